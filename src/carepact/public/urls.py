from django.urls import path

from carepact.public import views

app_name = "public"

urlpatterns = [
    path("public/", views.index, name="index"),
    path("public/<slug:slug>/", views.page, name="page"),
    path("p/<slug:slug>/publication/", views.manage, name="manage"),
    path("p/<slug:slug>/publication/preview/", views.preview, name="preview"),
    path("p/<slug:slug>/publication/opt-in/", views.opt_in, name="opt_in"),
    path("p/<slug:slug>/publication/withdraw/", views.withdraw, name="withdraw"),
]
