"""Pages of each app, the JSON API, the admin site and the operator probe."""

from django.contrib import admin
from django.urls import include, path

from carepact.api import api
from carepact.core.views import healthz
from carepact.partnerships.views import dashboard


def _api_urls():
    """The API answers 401 itself: exempt its views from the page login redirect."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False
    return patterns, app_name, namespace


admin.site.site_header = "carepact administration"
admin.site.site_title = "carepact"

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("", include("carepact.accounts.urls")),
    path("", include("carepact.partnerships.urls")),
    *(
        path("", include(f"carepact.{app}.urls"))
        for app in (
            "agreements",
            "consent",
            "data",
            "outcomes",
            "value",
            "health",
            "governance",
            "portfolio",
            "public",
        )
    ),
    path("api/v1/", _api_urls()),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
