from django.urls import path

from carepact.governance import views

app_name = "governance"

P = "p/<slug:slug>/governance/"

urlpatterns = [
    path(P, views.overview, name="overview"),
    path(P + "bodies/", views.bodies, name="bodies"),
    path(P + "bodies/<int:body_id>/", views.body, name="body"),
    path(P + "routes/", views.route, name="route"),
    path(P + "meetings/", views.meetings, name="meetings"),
    path(P + "meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path(P + "decisions/", views.decisions, name="decisions"),
    path(P + "actions/", views.actions, name="actions"),
    path(P + "actions/<int:action_id>/status/", views.action_status, name="action_status"),
    path(P + "escalations/", views.escalations, name="escalations"),
    path(P + "escalations/<int:escalation_id>/", views.escalation, name="escalation"),
    path(P + "risks/", views.risks, name="risks"),
    path(P + "risks/<int:risk_id>/", views.risk_edit, name="risk_edit"),
    path(P + "report/", views.progress_report, name="report"),
    path(P + "report.pdf", views.progress_report_pdf, name="report_pdf"),
]
