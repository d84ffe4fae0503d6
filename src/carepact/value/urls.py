from django.urls import path

from carepact.value import views

app_name = "value"

urlpatterns = [
    path("p/<slug:slug>/value/", views.ledger, name="ledger"),
    path("p/<slug:slug>/value/contributions/new/", views.contribution_new, name="contribution_new"),
    path("p/<slug:slug>/value/benefits/new/", views.benefit_new, name="benefit_new"),
    path("p/<slug:slug>/value/fairness/", views.fairness, name="fairness"),
    path("p/<slug:slug>/value/fairness/coalitions/", views.shapley_values, name="coalitions"),
    path("p/<slug:slug>/value/case/", views.case, name="case"),
    path("p/<slug:slug>/value/case/edit/", views.case_edit, name="case_edit"),
]
