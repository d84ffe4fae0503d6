"""Shared objectives, KPIs and measurements."""

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "carepact.outcomes"
    label = "outcomes"
    verbose_name = "Objectives and outcomes"

    def ready(self) -> None:
        from carepact.core.navigation import add_top_link
        from carepact.outcomes import indicators  # noqa: F401  (registers providers)
        from carepact.partnerships.navigation import Section, register

        register(Section("outcomes", "Outcomes", "outcomes:index", 30))
        register(Section("recognition", "Recognition", "outcomes:recognition", 95))
        add_top_link("Your contributions", "outcomes:my_contributions", 60)
