"""The AI pathway: its MoU (three rounds on IP ownership), an evaluation DSA whose
obligations fall due, and an IP agreement now being amended."""

from __future__ import annotations

from datetime import timedelta

from carepact.agreements import services
from carepact.agreements.demo.common import DAY, draft, sign_all
from carepact.core import clock
from carepact.partnerships import services as partnerships


def load(ai, now, tom, priya, mei, daniel, grace, nf, lu) -> None:
    """The AI pathway's agreements, ending with the partnership operating."""
    # -- The MoU: drafted by Northfield, IP ownership argued over three rounds, signed. ------
    with clock.travel(now - timedelta(days=296)):
        mou = draft(
            tom,
            ai,
            "mou",
            "Memorandum of understanding: AI-assisted chest X-ray triage",
            [
                (
                    "objectives-shared",
                    {
                        "objectives": "Report every chest X-ray suggesting lung cancer within "
                        "24 hours\nCT scan within 72 hours for every urgent finding\n"
                        "Publish what we learn for other trusts",
                        "outcome_measure": "the share of lung cancers diagnosed at stage 1 or 2",
                    },
                ),
                (
                    "project-plan-milestones",
                    {
                        "start_date": (now - timedelta(days=230)).date().isoformat(),
                        "plan_owner": nf,
                        "milestones": "Clinical safety case approved — month 2\n"
                        "Silent-mode validation on 5,000 images — month 4\n"
                        "Live triage in the reporting queue — month 6\n"
                        "Evaluation report — month 18",
                    },
                ),
                (
                    "sops-register",
                    {
                        "procedures": "Urgent finding escalation (Northfield radiology)\n"
                        "Model change control (Lumen)\n"
                        "Clinical safety incident reporting (both clinical safety officers)",
                        "keeper": nf,
                    },
                ),
                (
                    "governance-joint-board",
                    {"chair": nf, "decision_rule": "consensus", "dispute_route": "mediation"},
                ),
                (
                    "ownership-boundaries",
                    {"approval_threshold": "GBP 25,000", "liability_cap": "GBP 2,000,000"},
                ),
                (
                    "data-protection-uk-gdpr",
                    {
                        "controller": nf,
                        "article6_basis": "public_task",
                        "article9_condition": "health_care",
                        "security": "dspt",
                        "onward_sharing": "prohibited",
                    },
                ),
                ("ip-generator-owns", {"project_licence": "royalty_free"}),
                (
                    "term-exit",
                    {
                        "starts_on": (now - timedelta(days=230)).date().isoformat(),
                        "term": "36 months",
                        "exit_data": "delete",
                    },
                ),
                ("accountability-shared", {"accountable": [nf, lu]}),
            ],
        )
        clock.tick(2 * DAY)
        services.open_negotiation(tom, mou)
        clock.tick(4 * DAY)
        first = services.propose(
            grace,
            mou,
            family="ip-ownership",
            clause_key="ip-joint",
            parameters={"exploitation_lead": lu, "nhs_share": "20"},
            comment="Improvements to the model will come from Northfield's images and our "
            "engineering together: joint ownership reflects that, with Lumen leading on "
            "taking them to other trusts.",
        )
        clock.tick(9 * DAY)
        second = services.counter(
            tom,
            first,
            clause_key="ip-nhs-owns-licence-back",
            parameters={
                "nhs_party": nf,
                "licensees": [lu],
                "licence_scope": "commercial",
                "royalty": "5",
            },
            comment="Improvements learnt from our patients' images should stay with the NHS; "
            "Lumen gets a commercial licence back on a royalty.",
        )
        clock.tick(12 * DAY)
        third = services.counter(
            daniel,
            second,
            clause_key="ip-joint",
            parameters={"exploitation_lead": lu, "nhs_share": "35"},
            comment="We cannot raise investment on a licence we do not own. Joint ownership, "
            "with 35% of net income to Northfield, is our best offer.",
        )
        clock.tick(8 * DAY)
        services.respond(
            tom,
            third,
            answer="accept",
            comment="Agreed at the executive sponsors' meeting: joint ownership, 35% to "
            "Northfield.",
        )
        clock.tick(2 * DAY)
        retention = services.propose(
            mei,
            mou,
            family="data-protection",
            parameters={"retention": "14 days"},
            comment="Fourteen days is enough to check results; less data held for less time.",
        )
        clock.tick(5 * DAY)
        services.respond(grace, retention, answer="accept")
        clock.tick(DAY)
        ppi = services.add_clause(
            grace,
            mou,
            clause_key="ppi-transparency",
            parameters={"panel": "Northfield's lung health patient panel"},
            comment="Patients should see what the AI does and help us explain it.",
        )
        clock.tick(3 * DAY)
        services.respond(tom, ppi, answer="accept", comment="Gladly.")
        clock.tick(3 * DAY)
        services.send_for_signature(tom, mou)
        sign_all(mou, [priya, daniel], gap=3 * DAY)
        clock.tick(2 * DAY)
        partnerships.change_stage(
            tom, ai, to="mobilising", note="MoU signed by Northfield and Lumen."
        )

    # -- The evaluation data-sharing agreement: signed quickly, obligations falling due. -----
    with clock.travel(now - timedelta(days=238)):
        dsa = draft(
            mei,
            ai,
            "data_sharing",
            "Data-sharing agreement: triage evaluation",
            [
                (
                    "objectives-shared",
                    {
                        "objectives": "Validate the triage model on Northfield images\n"
                        "Measure time from X-ray to diagnosis before and after",
                        "outcome_measure": "the median days from chest X-ray to diagnosis",
                    },
                ),
                (
                    "governance-joint-board",
                    {"chair": nf, "decision_rule": "consensus", "dispute_route": "mediation"},
                ),
                (
                    "data-protection-uk-gdpr",
                    {
                        "controller": nf,
                        "article6_basis": "public_task",
                        "article9_condition": "health_care",
                        "security": "dspt",
                        "retention": "14 days",
                        "onward_sharing": "prohibited",
                    },
                ),
                (
                    "data-use-duo",
                    {
                        "data_provider": nf,
                        "recipients": [lu],
                        "datasets": "Chest X-ray images with radiology reports\n"
                        "Lung cancer diagnosis dates",
                        "purpose": "Evaluate whether AI triage shortens the time from chest X-ray "
                        "to lung cancer diagnosis",
                        "permission": "DS:lung cancer",
                        "modifiers": "IRB, PUB, RTN, GS:GB",
                        "environment": "provider_tre",
                        "expires_on": (now + timedelta(days=500)).date().isoformat(),
                        "report_every": "3 months",
                    },
                ),
                ("confidentiality-mutual", {}),
                ("ppi-transparency", {"panel": "Northfield's lung health patient panel"}),
                (
                    "term-exit",
                    {
                        "starts_on": (now - timedelta(days=230)).date().isoformat(),
                        "term": "24 months",
                        "exit_data": "delete",
                    },
                ),
            ],
        )
        clock.tick(DAY)
        services.open_negotiation(mei, dsa)
        clock.tick(3 * DAY)
        point = services.propose(
            grace,
            dsa,
            family="data-use",
            parameters={"report_every": "6 months"},
            comment="Quarterly reports are heavy for a small team: twice a year?",
        )
        clock.tick(4 * DAY)
        services.respond(
            mei,
            point,
            answer="reject",
            comment="The board meets quarterly and needs the reports to oversee the data use.",
        )
        clock.tick(2 * DAY)
        services.send_for_signature(mei, dsa)
        sign_all(dsa, [priya, daniel], gap=2 * DAY)

    # Lumen presents each quarterly report two days before it is due; the rest fall due later.
    reports = [
        v.obligation
        for v in services.obligations_of(tom, ai)
        if v.obligation.kind == "progress_report" and v.obligation.due_on < now.date()
    ]
    for report in sorted(reports, key=lambda o: o.due_on):
        with clock.travel(now - timedelta(days=(now.date() - report.due_on).days + 2)):
            services.meet_obligation(grace, report, note="Report presented at the quarterly board.")

    # -- The IP agreement on model improvements: signed, and now being amended. -------------
    with clock.travel(now - timedelta(days=205)):
        ip = draft(
            tom,
            ai,
            "ip",
            "IP agreement: improvements to the triage model",
            [
                (
                    "ip-nhs-owns-licence-back",
                    {
                        "nhs_party": nf,
                        "licensees": [lu],
                        "licence_scope": "exclusive_field",
                        "royalty": "3",
                    },
                ),
                ("ip-publication", {}),
                (
                    "benefit-sharing-in-kind",
                    {
                        "nhs_party": nf,
                        "free_use": "3 years",
                        "discount": "40",
                    },
                ),
                ("confidentiality-mutual", {}),
                (
                    "governance-joint-board",
                    {"chair": nf, "decision_rule": "consensus", "dispute_route": "expert"},
                ),
                (
                    "term-exit",
                    {
                        "starts_on": (now - timedelta(days=190)).date().isoformat(),
                        "term": "5 years",
                        "exit_data": "return",
                    },
                ),
            ],
        )
        clock.tick(DAY)
        services.open_negotiation(tom, ip)
        clock.tick(6 * DAY)
        services.send_for_signature(tom, ip)
        sign_all(ip, [priya, daniel], gap=4 * DAY)
        clock.tick(3 * DAY)
        partnerships.change_stage(
            tom, ai, to="operating", note="Live in the reporting queue after silent-mode checks."
        )

    with clock.travel(now - timedelta(days=21)):
        services.start_amendment(
            daniel,
            ip,
            reason="A second NHS trust wants the model: the royalty and the field need revisiting.",
        )
        clock.tick(DAY)
        royalty = services.propose(
            daniel,
            ip,
            family="ip-ownership",
            parameters={"royalty": "4", "licence_scope": "commercial"},
            comment="A non-exclusive licence lets other trusts' suppliers build on the work; we "
            "offer a higher royalty in return.",
        )
        clock.tick(5 * DAY)
        services.respond(tom, royalty, answer="accept", comment="Good for the wider NHS.")
        clock.tick(2 * DAY)
        services.propose(
            tom,
            ip,
            family="benefit-sharing",
            parameters={"discount": "50"},
            comment="With a second trust, the discount for Northfield should rise to 50%.",
        )
