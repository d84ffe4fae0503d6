from django.urls import path

from carepact.data import views

app_name = "data"

P = "p/<slug:slug>/data"
D = f"{P}/datasets/<slug:dataset>"

urlpatterns = [
    path("data/", views.catalogue, name="catalogue"),
    path(f"{P}/", views.partnership_data, name="partnership"),
    path(f"{P}/datasets/new/", views.dataset_new, name="dataset_new"),
    path(f"{D}/", views.dataset_detail, name="dataset"),
    path(f"{D}/edit/", views.dataset_edit, name="dataset_edit"),
    path(f"{D}/columns/", views.dataset_columns, name="dataset_columns"),
    path(f"{D}/profile/", views.dataset_profile, name="dataset_profile"),
    path(f"{D}/terms/", views.dataset_terms, name="dataset_terms"),
    path(f"{D}/request/", views.request_new, name="request_new"),
    path(f"{P}/policies/", views.policies_page, name="policies"),
    path(f"{P}/requests/", views.requests_page, name="requests"),
    path(f"{P}/requests/<int:request_id>/", views.request_detail, name="request"),
    path(f"{P}/requests/<int:request_id>/review/", views.request_review, name="request_review"),
    path(f"{P}/requests/<int:request_id>/edit/", views.request_edit, name="request_edit"),
    path(f"{P}/requests/<int:request_id>/release/", views.release_start, name="release_start"),
    path(f"{P}/releases/<int:release_id>/", views.release_detail, name="release"),
    path(f"{P}/releases/<int:release_id>/retry/", views.release_retry, name="release_retry"),
    path(
        f"{P}/releases/<int:release_id>/download/", views.release_download, name="release_download"
    ),
    path(
        f"{P}/releases/<int:release_id>/manifest.json",
        views.release_manifest,
        name="release_manifest",
    ),
    path(f"{P}/obligations/", views.obligations_page, name="obligations"),
    path(
        f"{P}/obligations/<int:obligation_id>/acknowledge/",
        views.obligation_acknowledge,
        name="obligation_acknowledge",
    ),
]
