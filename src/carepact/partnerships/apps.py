from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "carepact.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"

    def ready(self) -> None:
        from carepact.core.navigation import add_top_link
        from carepact.partnerships import gates, indicators  # noqa: F401  (registrations)

        add_top_link("Partnerships", "dashboard", 0)
        add_top_link("Invitations", "partnerships:invitations", 70)
