"""What anyone may see without signing in: transparency and patient choices."""

from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "carepact.public"
    label = "public"
    verbose_name = "Public pages"

    def ready(self) -> None:
        from carepact.partnerships.navigation import Section, register

        register(Section("public", "Public page", "public:manage", 85))
