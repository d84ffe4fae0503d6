"""Contributions, benefits, fairness and the value case."""

from django.apps import AppConfig


class ValueConfig(AppConfig):
    name = "carepact.value"
    label = "value"
    verbose_name = "Value and benefit sharing"

    def ready(self) -> None:
        from carepact.partnerships.navigation import Section, register

        register(Section("value", "Value", "value:ledger", 40))
