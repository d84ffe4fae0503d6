from django.urls import path

from carepact.partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("partnerships/new/", views.partnership_new, name="new"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:party_id>/", views.invitation_respond, name="invitation_respond"),
    path("p/<slug:slug>/", views.partnership_detail, name="detail"),
    path("p/<slug:slug>/edit/", views.partnership_edit, name="edit"),
    path("p/<slug:slug>/parties/invite/", views.invite_party, name="invite"),
    path("p/<slug:slug>/roles/", views.roles, name="roles"),
    path("p/<slug:slug>/roles/<int:role_id>/remove/", views.role_remove, name="role_remove"),
    path("p/<slug:slug>/stage/", views.stage, name="stage"),
    path("p/<slug:slug>/glossary/", views.glossary, name="glossary"),
    path("p/<slug:slug>/glossary/<int:term_id>/edit/", views.term_edit, name="term_edit"),
    path("p/<slug:slug>/glossary/<int:term_id>/agree/", views.term_agree, name="term_agree"),
    path("p/<slug:slug>/audit/", views.audit, name="audit"),
]
