"""Consent records, national opt-outs and withdrawals."""

from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "carepact.consent"
    label = "consent"
    verbose_name = "Consent"
    carepact_provides = {  # read by carepact.outcomes.seams, resolved when first needed
        "public.patient_page": "carepact.consent.transparency.patient_page",
    }

    def ready(self) -> None:
        from carepact.core.navigation import add_top_link

        add_top_link("Consent registry", "consent:home", 40)
