from django.urls import path

from carepact.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("portfolio/", views.mine, name="mine"),
    path("organisations/<slug:slug>/portfolio/", views.portfolio, name="organisation"),
    path("organisations/<slug:slug>/portfolio.csv", views.portfolio_csv, name="csv"),
]
