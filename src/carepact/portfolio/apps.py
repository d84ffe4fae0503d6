"""Every partnership of an organisation at a glance."""

from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "carepact.portfolio"
    label = "portfolio"
    verbose_name = "Portfolio"

    def ready(self) -> None:
        from carepact.core.navigation import add_top_link

        add_top_link("Portfolio", "portfolio:mine", 5)
