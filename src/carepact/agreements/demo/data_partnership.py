"""The consortium: an MoU signed by all three parties, and a DSA mid-negotiation with
open points raised by each side."""

from __future__ import annotations

from datetime import timedelta

from carepact.accounts.demo import organisation
from carepact.agreements import services
from carepact.agreements.demo.common import DAY, draft, sign_all
from carepact.core import clock
from carepact.partnerships import services as partnerships
from carepact.partnerships.models import Role


def load(data, now, tom, mei, alan, nadia, laura, ravi, nf, em, hx) -> None:
    """The consortium's signed MoU and its DSA mid-negotiation."""
    for who, org, assigner in [(tom, "northfield", tom), (alan, em, alan), (laura, hx, laura)]:
        partnerships.assign_role(
            assigner,
            data,
            person=who,
            organisation=organisation(org),
            role=Role.SIGNATORY,
        )

    # -- The consortium MoU: three parties, one point argued, signed by all three. ----------
    with clock.travel(now - timedelta(days=74)):
        mou = draft(
            tom,
            data,
            "mou",
            "Memorandum of understanding: Eastmoor cardiometabolic data partnership",
            [
                (
                    "objectives-shared",
                    {
                        "objectives": "Find which patients with heart disease and type 2 "
                        "diabetes benefit most from newer treatments\nShare the value drawn "
                        "from patient data back with the NHS and explain it to the public",
                        "outcome_measure": "hospital admissions for heart failure per 1,000 "
                        "patients treated",
                    },
                ),
                (
                    "project-plan-phased",
                    {
                        "start_date": (now + timedelta(days=30)).date().isoformat(),
                        "phases": "Data preparation and de-identification — 4 months\n"
                        "Analysis in the trusted research environment — 9 months\n"
                        "Publication and return of results — 5 months",
                        "decision_by": "board",
                    },
                ),
                (
                    "sops-register",
                    {
                        "procedures": "Data release request and review (Northfield)\n"
                        "Statistical disclosure control of outputs (Eastmoor)",
                        "keeper": em,
                    },
                ),
                (
                    "governance-joint-board",
                    {"chair": nf, "decision_rule": "majority", "dispute_route": "mediation"},
                ),
                (
                    "ownership-boundaries",
                    {"approval_threshold": "GBP 10,000", "liability_cap": "GBP 500,000"},
                ),
                (
                    "data-protection-uk-gdpr",
                    {
                        "controller": nf,
                        "article6_basis": "public_task",
                        "article9_condition": "research",
                        "security": "dspt",
                        "onward_sharing": "prohibited",
                    },
                ),
                ("ip-generator-owns", {"project_licence": "royalty_free"}),
                (
                    "term-exit",
                    {
                        "starts_on": (now + timedelta(days=30)).date().isoformat(),
                        "term": "18 months",
                        "exit_data": "delete",
                    },
                ),
            ],
        )
        clock.tick(DAY)
        services.open_negotiation(tom, mou)
        clock.tick(5 * DAY)
        point = services.propose(
            laura,
            mou,
            family="governance",
            parameters={"decision_rule": "unanimity"},
            comment="With three parties, a majority could bind Helix to something it cannot "
            "accept: board decisions should be unanimous.",
        )
        clock.tick(3 * DAY)
        services.respond(nadia, point, answer="accept")
        clock.tick(6 * DAY)
        services.respond(tom, point, answer="accept", comment="Fair; we will meet more often.")
        clock.tick(2 * DAY)
        services.send_for_signature(tom, mou)
        sign_all(mou, [tom, alan, laura], gap=2 * DAY)

    # -- The data-sharing agreement: mid-negotiation, points open on every side. -------------
    with clock.travel(now - timedelta(days=44)):
        dsa = draft(
            mei,
            data,
            "data_sharing",
            "Data-sharing agreement: cardiometabolic outcomes study",
            [
                (
                    "objectives-shared",
                    {
                        "objectives": "Estimate the effect of newer diabetes treatments on "
                        "heart failure admissions\nDescribe who is and is not reached by them",
                        "outcome_measure": "hospital admissions for heart failure per 1,000 "
                        "patients treated",
                    },
                ),
                (
                    "governance-joint-board",
                    {"chair": nf, "decision_rule": "unanimity", "dispute_route": "mediation"},
                ),
                (
                    "data-protection-uk-gdpr",
                    {
                        "controller": nf,
                        "article6_basis": "public_task",
                        "article9_condition": "research",
                        "security": "dspt",
                        "onward_sharing": "prohibited",
                    },
                ),
                (
                    "data-use-duo",
                    {
                        "data_provider": nf,
                        "recipients": [em, hx],
                        "datasets": "Northfield cardiometabolic extract\n"
                        "Heart failure admissions 2018-2025",
                        "purpose": "Find which patients with heart disease and type 2 diabetes "
                        "benefit most from newer treatments",
                        "permission": "HMB",
                        "modifiers": "IRB, PUB, RTN, NCU, GS:GB",
                        "environment": "provider_tre",
                        "expires_on": (now + timedelta(days=600)).date().isoformat(),
                        "report_every": "3 months",
                    },
                ),
                ("confidentiality-mutual", {}),
                (
                    "ppi-transparency",
                    {"panel": "the Eastmoor heart and diabetes patient forum"},
                ),
                ("ip-publication", {}),
                ("benefit-sharing-revenue", {"nhs_party": nf, "share": "2"}),
                (
                    "term-exit",
                    {
                        "starts_on": (now + timedelta(days=30)).date().isoformat(),
                        "term": "24 months",
                        "exit_data": "delete",
                    },
                ),
            ],
            parties=None,
        )
        clock.tick(DAY)
        services.open_negotiation(mei, dsa)
        # Settled: Helix cannot accept non-commercial use only; Northfield counters with
        # collaboration required instead, and everyone accepts.
        clock.tick(2 * DAY)
        ncu = services.propose(
            ravi,
            dsa,
            family="data-use",
            parameters={"modifiers": "IRB, PUB, RTN, GS:GB"},
            comment="Helix is a commercial company: 'non-commercial use only' would exclude us "
            "from the study we are funding.",
        )
        clock.tick(6 * DAY)
        col = services.counter(
            mei,
            ncu,
            parameters={"modifiers": "IRB, PUB, RTN, COL, GS:GB"},
            comment="We can drop NCU if every analysis is done in collaboration with "
            "Northfield's investigators (DUO COL).",
        )
        clock.tick(4 * DAY)
        services.respond(nadia, col, answer="accept")
        clock.tick(3 * DAY)
        services.respond(ravi, col, answer="accept", comment="Agreed.")
        # Settled: Eastmoor asked for more time to report breaches; Northfield said no.
        clock.tick(DAY)
        breach = services.propose(
            nadia,
            dsa,
            family="data-protection",
            parameters={"breach_notice_hours": "48"},
            comment="Our security team works office hours: 48 hours is realistic.",
        )
        clock.tick(3 * DAY)
        services.respond(
            mei,
            breach,
            answer="reject",
            comment="We must tell the ICO within 72 hours; 24 hours from you is what gives us "
            "time to assess.",
        )
        # Open: Helix wants analysis in its own secure environment (Eastmoor has accepted).
        clock.tick(2 * DAY)
        environment = services.propose(
            ravi,
            dsa,
            family="data-use",
            parameters={"environment": "recipient_secure"},
            comment="Our statisticians need our validated software, which the TRE does not have.",
        )
        clock.tick(DAY)
        services.respond(
            nadia, environment, answer="accept", comment="Eastmoor's environment qualifies too."
        )
        # Open: Eastmoor wants a shorter publication review; Helix counters with a longer one.
        clock.tick(2 * DAY)
        review = services.propose(
            nadia,
            dsa,
            family="ip-publication",
            parameters={"review_days": "15", "moratorium": "2 months"},
            comment="Thirty days' review plus three months' moratorium delays PhD students.",
        )
        clock.tick(5 * DAY)
        services.counter(
            laura,
            review,
            parameters={"review_days": "45", "moratorium": "3 months"},
            comment="Patent filings take time; we need 45 days to review.",
        )
        # Open: Northfield asks for a larger share of revenue (Eastmoor has accepted).
        clock.tick(3 * DAY)
        share = services.propose(
            tom,
            dsa,
            family="benefit-sharing",
            parameters={
                "share": "5",
                "reinvestment": "cardiology services for the patients "
                "whose data made the work possible",
            },
            comment="Two per cent undervalues fifteen years of Northfield records.",
        )
        clock.tick(2 * DAY)
        services.respond(nadia, share, answer="accept")
