from django.urls import path

from carepact.consent import views

app_name = "consent"

R = "consent/<slug:slug>"

urlpatterns = [
    path("consent/", views.home, name="home"),
    path(f"{R}/", views.registry_page, name="registry"),
    path(f"{R}/choices/new/", views.record_new, name="record_new"),
    path(f"{R}/patients/<str:patient>/", views.patient_records, name="patient_records"),
    path(f"{R}/patients/<str:patient>/withdraw/", views.withdraw, name="withdraw"),
    path(f"{R}/patients/<str:patient>/code/", views.issue_code, name="issue_code"),
    path(f"{R}/imports/fhir/", views.import_fhir, name="import_fhir"),
    path(f"{R}/imports/opt-outs/", views.import_optouts, name="import_optouts"),
    path(f"{R}/imports/<int:batch_id>/", views.import_detail, name="import_detail"),
    path(f"{R}/export.fhir", views.export_fhir, name="export_fhir"),
    # The patient's own page: no account, a one-time code. A stable address to link to.
    path("patient/", views.patient, name="patient"),
    path("patient/choices/", views.patient_choices, name="patient_choices"),
    path("patient/leave/", views.patient_leave, name="patient_leave"),
]
