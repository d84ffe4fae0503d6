"""Demo governance: a steering board whose decisions mostly come from one party, an overdue
action, a grievance raised in confidence and a risk register, built through the services."""

from __future__ import annotations

from datetime import timedelta

from carepact.accounts.demo import organisation, person
from carepact.core import clock
from carepact.core.demos import DemoContext
from carepact.governance import services
from carepact.partnerships.models import Partnership

AI = "ai-assisted-chest-x-ray-triage-pathway"
DATA = "eastmoor-cardiometabolic-data-partnership"


def load(ctx: DemoContext) -> None:
    northfield, lumen = organisation("northfield"), organisation("lumen")
    eastmoor, helix = organisation("university-of-eastmoor"), organisation("helix")
    tom, priya, sarah, mei = (
        person(n) for n in ("tom.okafor", "priya.raman", "sarah.lindqvist", "mei.chen")
    )
    daniel, grace, fiona = (person(n) for n in ("daniel.reyes", "grace.mensah", "fiona.hart"))
    alan, nadia, laura, ravi = (
        person(n) for n in ("alan.brooks", "nadia.farouk", "laura.bennett", "ravi.desai")
    )
    ai = Partnership.objects.get(slug=AI)
    data = Partnership.objects.get(slug=DATA)
    now = clock.now()

    # The AI pathway: a steering board where Northfield brings most proposals and sets most
    # of the agenda (what Lumen's people say in the health check), and Lumen dissents once.
    with clock.travel(now - timedelta(days=250)):
        board = services.create_body(
            tom,
            ai,
            name="Joint Steering Board",
            kind="board",
            decision_rights="Changes to the clinical pathway\nRelease of new model versions\n"
            "Spending above £25,000\nPublication of results",
        )
        for who, org, chair in [
            (tom, northfield, True),
            (priya, northfield, False),
            (sarah, northfield, False),
            (daniel, lumen, False),
            (grace, lumen, False),
            (fiona, lumen, False),
        ]:
            services.add_member(tom, board, person=who, organisation=org, is_chair=chair)
        services.set_route(tom, ai, kind="grievance", body=board, respond_within_days=21)
        services.set_route(tom, ai, kind="escalation", body=board, respond_within_days=10)

    meetings = [
        (
            200,
            "Quarterly board: go-live readiness",
            [
                ("Model version 2.1 sign-off", lumen),
                ("Reporting workflow changes", northfield),
                ("Clinical safety case review", northfield),
            ],
            [
                (tom, northfield),
                (priya, northfield),
                (daniel, lumen),
                (grace, lumen),
                (fiona, lumen),
            ],
        ),
        (
            110,
            "Quarterly board: first results",
            [
                ("Triage accuracy to date", northfield),
                ("Expansion to a second site", northfield),
                ("Commercial licence terms", northfield),
            ],
            [
                (tom, northfield),
                (sarah, northfield),
                (daniel, lumen),
                (grace, lumen),
                (fiona, lumen),
            ],
        ),
        (
            20,
            "Quarterly board: scaling decision",
            [
                ("Roll-out plan for the region", lumen),
                ("Pricing after the pilot", lumen),
                ("Radiographer workload", northfield),
            ],
            [
                (tom, northfield),
                (priya, northfield),
                (sarah, northfield),
                (daniel, lumen),
                (grace, lumen),
            ],
        ),
    ]
    decisions = {
        0: [
            (
                "Approve model version 2.1 for live use",
                sarah,
                northfield,
                "agreed",
                {northfield: ("for", ""), lumen: ("for", "")},
            ),
            (
                "Move urgent findings to the top of the reporting list",
                tom,
                northfield,
                "agreed",
                {northfield: ("for", ""), lumen: ("for", "")},
            ),
        ],
        1: [
            (
                "Prepare a second site at Northfield's partner hospital",
                priya,
                northfield,
                "agreed",
                {
                    northfield: ("for", "On condition the safety case is updated first."),
                    lumen: ("for", ""),
                },
            ),
            (
                "Keep the NHS terms of licence for phase two",
                priya,
                northfield,
                "agreed",
                {
                    northfield: ("for", ""),
                    lumen: (
                        "against",
                        "Lumen was not asked before the terms were drafted; its own licence "
                        "was not considered.",
                    ),
                },
            ),
        ],
        2: [
            (
                "Publish the first-year outcomes with both parties as authors",
                sarah,
                northfield,
                "agreed",
                {northfield: ("for", ""), lumen: ("for", "")},
            ),
            (
                "Start regional roll-out planning",
                grace,
                lumen,
                "deferred",
                {
                    northfield: ("abstain", "Waiting for the radiographer workload review."),
                    lumen: ("for", ""),
                },
            ),
        ],
    }
    for i, (days_ago, title, agenda, attendees) in enumerate(meetings):
        with clock.travel(now - timedelta(days=days_ago)):
            held = clock.now().date()
            meeting = services.record_meeting(
                tom,
                ai,
                body=board,
                held_on=held,
                title=title,
                minutes="Minutes agreed by both parties. Actions as listed.",
                agenda=agenda,
                attendees=attendees,
            )
            for d_title, proposer, org, outcome, positions in decisions[i]:
                services.record_decision(
                    tom,
                    ai,
                    body=board,
                    meeting=meeting,
                    title=d_title,
                    proposed_by=proposer,
                    proposed_for=org,
                    decided_on=held,
                    outcome=outcome,
                    positions=positions,
                )
            action = services.create_action(
                tom,
                ai,
                title=f"Circulate the minutes of '{title}'",
                owner=tom,
                owner_organisation=northfield,
                due_on=held + timedelta(days=7),
                meeting=meeting,
            )
            clock.tick(timedelta(days=5))
            services.set_action_status(tom, action, status="done")

    # The data partnership: a board, an overdue action, a grievance in confidence, risks.
    with clock.travel(now - timedelta(days=75)):
        data_board = services.create_body(
            tom,
            data,
            name="Data Partnership Board",
            kind="board",
            decision_rights="Approval of data access requests beyond the agreed scope\n"
            "Changes to the data-sharing agreement\nPublication policy",
        )
        for who, org, chair in [
            (tom, northfield, True),
            (mei, northfield, False),
            (alan, eastmoor, False),
            (nadia, eastmoor, False),
            (laura, helix, False),
            (ravi, helix, False),
        ]:
            services.add_member(tom, data_board, person=who, organisation=org, is_chair=chair)
        services.set_route(tom, data, kind="grievance", body=data_board, respond_within_days=14)
        services.set_route(tom, data, kind="escalation", body=data_board, respond_within_days=7)
        held = clock.now().date()
        meeting = services.record_meeting(
            tom,
            data,
            body=data_board,
            held_on=held,
            title="Board: terms and safeguards",
            minutes="Discussed the open points in the data-sharing agreement and the DPIA.",
            agenda=[
                ("Open points in the data-sharing agreement", northfield),
                ("Helix's request for linked primary-care data", helix),
                ("Public involvement panel", eastmoor),
            ],
            attendees=[
                (tom, northfield),
                (mei, northfield),
                (nadia, eastmoor),
                (laura, helix),
                (ravi, helix),
            ],
        )
        services.create_action(
            tom,
            data,
            title="Complete the DPIA for the linked dataset",
            owner=mei,
            owner_organisation=northfield,
            due_on=held + timedelta(days=30),
            meeting=meeting,
        )
        services.create_action(
            tom,
            data,
            title="Set up the public involvement panel",
            owner=nadia,
            owner_organisation=eastmoor,
            due_on=held + timedelta(days=120),
            meeting=meeting,
        )
        risks = [
            (
                "Re-identification through linkage with primary-care data",
                "data",
                mei,
                3,
                5,
                "Release only through k-anonymous extracts; no linkage outside the TRE.",
                40,
            ),
            (
                "Helix's commercial timelines outrun the ethics approval",
                "priorities",
                laura,
                4,
                3,
                "Board to agree a milestone plan tied to the approval date.",
                90,
            ),
            (
                "Grant funding for the analyst post ends in March",
                "funding",
                alan,
                3,
                3,
                "Apply for bridge funding; share the post with Northfield.",
                120,
            ),
            (
                "NHS party has less say over publication than the company",
                "power",
                tom,
                3,
                4,
                "Joint publication committee with equal votes.",
                60,
            ),
        ]
        for title, category, owner, likelihood, impact, mitigation, review_in in risks:
            services.create_risk(
                tom,
                data,
                title=title,
                category=category,
                owner=owner,
                likelihood=likelihood,
                impact=impact,
                mitigation=mitigation,
                review_on=held + timedelta(days=review_in),
                status="open",
            )
    with clock.travel(now - timedelta(days=12)):
        services.raise_escalation(
            nadia,
            data,
            kind="grievance",
            anonymous=True,
            title="Requests for record-level extracts outside the agreed process",
            description="Analysts from one partner have asked university staff directly for "
            "record-level extracts, bypassing the access request process. Staff feel pressed "
            "to agree. Please restate the process to all parties.",
        )
