from django.urls import path

from carepact.agreements import views

app_name = "agreements"

A = "p/<slug:slug>/agreements/<int:agreement_id>"

urlpatterns = [
    path("agreements/", views.mine, name="mine"),
    path("agreements/library/", views.library, name="library"),
    path("agreements/library/new/", views.library_new, name="library_new"),
    path("agreements/library/<slug:key>/", views.library_clause, name="library_clause"),
    path(
        "agreements/library/<slug:key>/versions/new/",
        views.library_version_new,
        name="library_version_new",
    ),
    path(
        "agreements/library/<slug:key>/versions/<int:number>/edit/",
        views.library_version_edit,
        name="library_version_edit",
    ),
    path("p/<slug:slug>/agreements/", views.agreement_list, name="list"),
    path(f"{A}/", views.agreement_detail, name="detail"),
    path(f"{A}/clauses/add/", views.clause_add, name="clause_add"),
    path(f"{A}/clauses/add/<slug:key>/", views.clause_add_form, name="clause_add_form"),
    path(f"{A}/clauses/<slug:family>/", views.clause, name="clause"),
    path(f"{A}/clauses/<slug:family>/remove/", views.clause_remove, name="clause_remove"),
    path(f"{A}/negotiate/", views.open_negotiation, name="open_negotiation"),
    path(f"{A}/proposals/<int:proposal_id>/respond/", views.respond, name="respond"),
    path(f"{A}/proposals/<int:proposal_id>/counter/", views.counter, name="counter"),
    path(f"{A}/proposals/<int:proposal_id>/withdraw/", views.withdraw, name="withdraw"),
    path(f"{A}/send/", views.send, name="send"),
    path(f"{A}/recall/", views.recall, name="recall"),
    path(f"{A}/sign/", views.sign, name="sign"),
    path(f"{A}/amend/", views.amend, name="amend"),
    path(f"{A}/diff/", views.diff, name="diff"),
    path(f"{A}/versions/<int:number>/export/<str:fmt>/", views.export, name="export"),
    path(
        "p/<slug:slug>/obligations/<int:obligation_id>/met/",
        views.obligation_met,
        name="obligation_met",
    ),
]
