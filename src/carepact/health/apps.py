"""Health-check rounds, responses, scores and early warnings."""

from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "carepact.health"
    label = "health"
    verbose_name = "Partnership health"

    def ready(self) -> None:
        from carepact.health import indicators  # noqa: F401  (registrations)
        from carepact.partnerships.navigation import Section, register

        register(Section("health", "Health", "health:overview", 50))
