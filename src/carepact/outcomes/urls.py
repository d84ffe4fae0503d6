from django.urls import path

from carepact.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("p/<slug:slug>/outcomes/", views.index, name="index"),
    path("p/<slug:slug>/outcomes/objectives/new/", views.objective_new, name="objective_new"),
    path(
        "p/<slug:slug>/outcomes/objectives/<int:objective_id>/",
        views.objective_detail,
        name="objective",
    ),
    path(
        "p/<slug:slug>/outcomes/objectives/<int:objective_id>/edit/",
        views.objective_edit,
        name="objective_edit",
    ),
    path(
        "p/<slug:slug>/outcomes/objectives/<int:objective_id>/kpis/new/",
        views.kpi_new,
        name="kpi_new",
    ),
    path("p/<slug:slug>/outcomes/kpis/<int:kpi_id>/", views.kpi_detail, name="kpi"),
    path("p/<slug:slug>/outcomes/kpis/<int:kpi_id>/import/", views.kpi_import, name="kpi_import"),
    path("p/<slug:slug>/recognition/", views.partnership_recognition, name="recognition"),
    path("account/contributions/", views.my_contributions, name="my_contributions"),
    path(
        "people/<int:person_id>/contributions/",
        views.person_contributions,
        name="person_contributions",
    ),
]
