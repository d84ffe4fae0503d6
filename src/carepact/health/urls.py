from django.urls import path

from carepact.health import views

app_name = "health"

P = "p/<slug:slug>/health"

urlpatterns = [
    path(f"{P}/", views.overview, name="overview"),
    path(f"{P}/rounds/new/", views.round_new, name="round_new"),
    path(f"{P}/rounds/<int:number>/", views.round_detail, name="round"),
    path(f"{P}/rounds/<int:number>/close/", views.round_close, name="round_close"),
    path(f"{P}/rounds/<int:number>/remind/", views.round_remind, name="round_remind"),
    path(f"{P}/rounds/<int:number>/results/", views.results, name="results"),
    path(f"{P}/rounds/<int:number>/results.csv", views.results_csv, name="results_csv"),
    path(f"{P}/settings/", views.settings_page, name="settings"),
    path(f"{P}/answer/", views.answer, name="answer"),
    path("health/playbook/", views.playbook, name="playbook"),
    path("health/respond/<str:token>/", views.respond_start, name="respond"),
    path("health/respond/<str:token>/review/", views.respond_review, name="respond_review"),
    path("health/respond/<str:token>/<str:step>/", views.respond_step, name="respond_step"),
    path("health/thanks/", views.thanks, name="thanks"),
]
