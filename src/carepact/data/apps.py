"""Datasets, data-use terms and policies, access requests, releases."""

from django.apps import AppConfig


class DataConfig(AppConfig):
    name = "carepact.data"
    label = "data"
    verbose_name = "Data governance"
    carepact_provides = {  # read by carepact.outcomes.seams, resolved when first needed
        "public.datasets": "carepact.data.transparency.datasets",
        "public.releases": "carepact.data.transparency.releases",
        "recognition": "carepact.data.transparency.reviews_by",
    }

    def ready(self) -> None:
        from carepact.consent import hooks
        from carepact.core.navigation import add_top_link
        from carepact.data import indicators  # noqa: F401  (registrations)
        from carepact.data.services import trace_withdrawals, usage_of
        from carepact.partnerships.navigation import Section, register

        register(Section("data", "Data", "data:partnership", 25))
        add_top_link("Data catalogue", "data:catalogue", 30)
        hooks.on_withdrawal(trace_withdrawals)
        hooks.provide_usage(usage_of)
