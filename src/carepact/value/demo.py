"""A ledger, coalition values and a value case for the demo partnerships.

The AI pathway has contributions from both parties (staff time, data, infrastructure, a
software licence in kind, cash for the evaluation) and benefits: a saving, a publication,
revenue for the company, and a milestone payment and a royalty returned to the trust. The
data partnership has contributions and coalition values for its three parties.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from carepact.accounts.demo import person
from carepact.core import clock
from carepact.core.demos import DemoContext
from carepact.partnerships.models import Partnership
from carepact.value import services

AI_SLUG = "ai-assisted-chest-x-ray-triage-pathway"
DATA_SLUG = "eastmoor-cardiometabolic-data-partnership"


def load(ctx: DemoContext) -> None:
    now = clock.now()
    ai = Partnership.objects.get(slug=AI_SLUG)
    data = Partnership.objects.get(slug=DATA_SLUG)
    _ai_pathway(ai, now)
    _data_partnership(data, now)


def _ai_pathway(ai: Partnership, now) -> None:
    northfield, lumen = (p.organisation for p in ai.active_parties())
    tom, sarah, mei = person("tom.okafor"), person("sarah.lindqvist"), person("mei.chen")
    grace, daniel = person("grace.mensah"), person("daniel.reyes")
    day = timedelta(days=1)
    with clock.travel(now - timedelta(days=290)):
        start = timezone.localdate(clock.now())
        for who, org, fields in [
            (
                sarah,
                northfield,
                {
                    "kind": "staff_time",
                    "description": "Consultant radiologists validating the AI and redesigning "
                    "the reporting worklist",
                    "fte_months": "6",
                    "rate": "11500",
                },
            ),
            (
                mei,
                northfield,
                {
                    "kind": "data",
                    "description": "Five years of de-identified chest X-rays and reports for "
                    "local validation",
                    "amount": "40000",
                    "valuation_method": "Cost of curation, de-identification and IG review "
                    "(trust day rates).",
                },
            ),
            (
                tom,
                northfield,
                {
                    "kind": "infrastructure",
                    "description": "PACS and RIS integration, hosting in the trust's data centre",
                    "amount": "18000",
                    "valuation_method": "Invoiced integration work plus 12 months of hosting at "
                    "the trust's internal rate.",
                },
            ),
            (
                grace,
                lumen,
                {
                    "kind": "in_kind",
                    "description": "Chest X-ray triage software licence for 12 months",
                    "amount": "120000",
                    "valuation_method": "Lumen's list price for a trust of Northfield's size.",
                },
            ),
            (
                grace,
                lumen,
                {
                    "kind": "staff_time",
                    "description": "Engineers integrating and monitoring the model on site",
                    "fte_months": "4",
                    "rate": "9000",
                },
            ),
            (
                daniel,
                lumen,
                {
                    "kind": "cash",
                    "description": "Funding for the independent evaluation",
                    "amount": "25000",
                },
            ),
        ]:
            services.record_contribution(
                who, ai, organisation=org, contributed_on=start, currency="GBP", **fields
            )
            clock.tick(3 * day)
        services.enter_coalition_values(
            tom,
            ai,
            basis="Expected net value over five years of the faster pathway, if these parties "
            "worked on it without the other",
            unit="£ thousands",
            values={
                northfield.slug: "40",
                lumen.slug: "15",
                f"{northfield.slug}+{lumen.slug}": "180",
            },
        )

    benefits = [
        (
            60,
            {
                "kind": "publication",
                "description": "Abstract at the British Thoracic Society winter meeting: "
                "time to diagnosis after AI triage",
                "shares": {northfield: 50, lumen: 50},
            },
        ),
        (
            45,
            {
                "kind": "cost_saving",
                "description": "Fewer outpatient follow-ups for patients waiting for CT",
                "amount": "54000",
                "currency": "GBP",
                "valuation_method": "1,080 appointments avoided at the national tariff of £50.",
                "shares": {northfield: 100},
            },
        ),
        (
            40,
            {
                "kind": "patient_benefit",
                "description": "Patients with lung cancer diagnosed a median 11 days sooner "
                "than before the pathway",
                "shares": {northfield: 100},
            },
        ),
        (
            30,
            {
                "kind": "revenue",
                "description": "Licence sold to a second trust, citing the Northfield evaluation",
                "amount": "90000",
                "currency": "GBP",
                "valuation_method": "Contract value, first year.",
                "shares": {lumen: 100},
            },
        ),
        (
            28,
            {
                "kind": "nhs_milestone",
                "description": "Milestone payment when a second trust adopted the pathway",
                "amount": "25000",
                "currency": "GBP",
                "valuation_method": "Set in the collaboration agreement's payment schedule.",
                "shares": {northfield: 100},
            },
        ),
        (
            27,
            {
                "kind": "nhs_royalty",
                "description": "Royalty of 5% on the second trust's licence",
                "amount": "4500",
                "currency": "GBP",
                "valuation_method": "5% of £90,000, as the agreement sets.",
                "shares": {northfield: 100},
            },
        ),
    ]
    for days_ago, fields in benefits:
        with clock.travel(now - timedelta(days=days_ago)):
            services.record_benefit(tom, ai, realised_on=timezone.localdate(clock.now()), **fields)

    with clock.travel(now - timedelta(days=20)):
        services.update_value_case(
            tom,
            ai,
            summary=(
                "AI triage puts suspicious chest X-rays first in the reporting queue. In its "
                "first year at Northfield the median time from X-ray to lung-cancer diagnosis "
                "fell from 42 to 31 days, with more cancers found at an early stage."
            ),
            sites=2,
            sites_detail="Northfield General Hospital and Northfield Royal Infirmary",
            population_reached=18400,
            population_detail="Adults referred for a chest X-ray by their GP or the emergency "
            "department",
            outcome_label="patient with lung cancer diagnosed within 28 days of their chest X-ray",
            outcome_quantity=212,
            outcome_source="Northfield cancer registry, first twelve months",
            evidence=(
                "Before-and-after comparison at one trust, monthly registry data for 12 months; "
                "an independent evaluation funded by Lumen reports next spring. Abstract "
                "presented at the British Thoracic Society winter meeting."
            ),
            evidence_strength="before_after",
            scaling_needs=(
                "A second trust with a different PACS to show the integration travels; "
                "radiologist time to validate locally (about 6 FTE-months); a data-sharing "
                "agreement template other trusts can sign without renegotiation; attention "
                "to the widening gap for the most deprived patients before expanding."
            ),
        )


def _data_partnership(data: Partnership, now) -> None:
    northfield, eastmoor, helix = (p.organisation for p in data.active_parties())
    tom, mei, nadia = person("tom.okafor"), person("mei.chen"), person("nadia.farouk")
    laura = person("laura.bennett")
    with clock.travel(now - timedelta(days=80)):
        today = timezone.localdate(clock.now())
        services.record_contribution(
            mei,
            data,
            organisation=northfield,
            kind="data",
            description="Linked primary and secondary care records of the cardiometabolic cohort",
            amount="60000",
            valuation_method="Cost of linkage, curation and IG review at trust day rates.",
            contributed_on=today,
        )
        services.record_contribution(
            nadia,
            data,
            organisation=eastmoor,
            kind="staff_time",
            description="Research software engineers and statisticians in the TRE",
            fte_months="8",
            rate="7200",
            contributed_on=today,
        )
        services.record_contribution(
            laura,
            data,
            organisation=helix,
            kind="cash",
            description="Funding for two analysts for a year",
            amount="150000",
            contributed_on=today,
        )
        slugs = {"N": northfield.slug, "U": eastmoor.slug, "H": helix.slug}
        table = {"N": 20, "U": 10, "H": 30, "N+U": 80, "N+H": 120, "U+H": 50, "N+U+H": 200}
        services.enter_coalition_values(
            tom,
            data,
            basis="Expected value of the evidence over five years, as each group could "
            "produce it alone",
            unit="£ thousands",
            values={
                "+".join(slugs[k] for k in key.split("+")): str(value)
                for key, value in table.items()
            },
        )
