"""MoUs, data-sharing and IP agreements: clause library, negotiation, signatures, documents."""

from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "carepact.agreements"
    label = "agreements"
    verbose_name = "Agreements"
    carepact_provides = {  # read by carepact.outcomes.seams, resolved when first needed
        "value.agreed_benefit_shares": "carepact.agreements.transparency.agreed_benefit_shares",
        "recognition": "carepact.agreements.transparency.negotiated_by",
    }

    def ready(self) -> None:
        from carepact.agreements import gates, indicators  # noqa: F401  (registrations)
        from carepact.core.navigation import add_top_link
        from carepact.partnerships.navigation import Section, register

        register(Section("agreements", "Agreements", "agreements:list", 20))
        add_top_link("Agreements", "agreements:mine", 20)
