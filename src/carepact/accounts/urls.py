from django.urls import path

from carepact.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("join/<str:token>/", views.join, name="join"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.revoke_token, name="token_revoke"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/invite/", views.invite_person, name="invite_person"),
    path(
        "organisations/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.revoke_invitation,
        name="invitation_revoke",
    ),
    path(
        "organisations/<slug:slug>/members/<int:membership_id>/",
        views.membership_edit,
        name="membership_edit",
    ),
]
