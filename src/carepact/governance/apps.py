"""Board, meetings, decisions, actions, escalations and risks."""

from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "carepact.governance"
    label = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from carepact.governance import indicators  # noqa: F401  (registers providers)
        from carepact.partnerships.navigation import Section, register

        register(Section("governance", "Governance", "governance:overview", 60))
