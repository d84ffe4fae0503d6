"""Starter clauses on how the partners work together: objectives, plan, governance, SOPs,
term and exit, accountability."""

from __future__ import annotations

from carepact.agreements.starter.common import PS, P

CLAUSES: list[dict] = [
    # -- objectives ------------------------------------------------------------------------
    {
        "key": "objectives-shared",
        "family": "objectives",
        "topic": "objectives",
        "title": "Objectives and shared vision",
        "alternative": "Shared objectives with an outcome measure",
        "guidance": "Name a few objectives the parties own together and one measure of "
        "patient outcome that will show the work succeeded.",
        "parameters": [
            {
                "name": "objectives",
                "type": "list",
                "label": "Shared objectives",
                "min": 1,
                "help": "One objective per line, each owned by at least two parties.",
            },
            {
                "name": "outcome_measure",
                "type": "text",
                "label": "Measure of success",
                "help": "A patient outcome, not a count of activity.",
            },
            {
                "name": "review_every",
                "type": "duration",
                "label": "Objectives reviewed every",
                "default": "6 months",
            },
        ],
        "text": "The parties enter into this agreement to pursue together the following shared "
        "objectives: {{ objectives }}.\n\n"
        "The parties will judge whether the partnership has succeeded by {{ outcome_measure }}. "
        "They record that this is a measure of what changes for patients, and agree not to "
        "replace it with a measure of activity without amending this agreement.\n\n"
        "The shared vision written by the parties for the partnership guides how these "
        "objectives are read. The parties review the objectives together every "
        "{{ review_every }}.",
    },
    # -- project plan ----------------------------------------------------------------------
    {
        "key": "project-plan-milestones",
        "family": "project-plan",
        "topic": "project_plan",
        "title": "Project plan and milestones",
        "alternative": "Milestone plan kept by one party",
        "guidance": "Suits work whose steps are known at the start.",
        "parameters": [
            {"name": "start_date", "type": "date", "label": "Work starts on"},
            {"name": "plan_owner", "type": P, "label": "Party that keeps the plan"},
            {
                "name": "milestones",
                "type": "list",
                "label": "Milestones",
                "min": 1,
                "help": "One per line, each with its target date.",
            },
            {
                "name": "slip_tolerance",
                "type": "duration",
                "label": "Slippage reported after",
                "default": "4 weeks",
            },
        ],
        "text": "The work starts on {{ start_date }}. {{ plan_owner }} keeps the project plan "
        "on behalf of all parties and shares every change to it with them.\n\n"
        "The plan has the following milestones: {{ milestones }}.\n\n"
        "A milestone that is late by more than {{ slip_tolerance }} is reported to the "
        "partnership board, with the reason and a plan to recover, at its next meeting.",
    },
    {
        "key": "project-plan-phased",
        "family": "project-plan",
        "topic": "project_plan",
        "title": "Project plan and milestones",
        "alternative": "Phases with go/no-go decisions",
        "guidance": "Suits exploratory work: each phase ends with a joint decision to go on.",
        "parameters": [
            {"name": "start_date", "type": "date", "label": "Work starts on"},
            {
                "name": "phases",
                "type": "list",
                "label": "Phases",
                "min": 2,
                "help": "One per line: what the phase delivers and when it ends.",
            },
            {
                "name": "decision_by",
                "type": "choice",
                "label": "Go/no-go decided by",
                "options": [
                    ["board", "the partnership board"],
                    ["all_parties", "every party, each in writing"],
                ],
            },
        ],
        "text": "The work starts on {{ start_date }} and runs in the following phases: "
        "{{ phases }}.\n\n"
        "At the end of each phase {{ decision_by }} decides whether to go on to the next, "
        "on the evidence of what the phase delivered. No party is committed to a phase "
        "before that decision is made.",
    },
    # -- governance ------------------------------------------------------------------------
    {
        "key": "governance-joint-board",
        "family": "governance",
        "topic": "governance",
        "title": "Governance",
        "alternative": "Joint board with escalation and mediation",
        "guidance": "A board with a member from every party, decisions by an agreed rule, and a "
        "stepped route for disputes.",
        "parameters": [
            {"name": "chair", "type": P, "label": "Party that chairs the board"},
            {
                "name": "meets_every",
                "type": "duration",
                "label": "Board meets every",
                "default": "3 months",
            },
            {
                "name": "decision_rule",
                "type": "choice",
                "label": "Board decides by",
                "options": [
                    ["consensus", "consensus of the members present"],
                    ["majority", "a simple majority, each party having one vote"],
                    ["unanimity", "unanimity of all parties"],
                ],
            },
            {
                "name": "escalation_days",
                "type": "integer",
                "label": "Days before escalation",
                "min": 5,
                "max": 90,
                "default": 20,
            },
            {
                "name": "dispute_route",
                "type": "choice",
                "label": "Unresolved disputes go to",
                "options": [
                    ["mediation", "mediation by a mediator the parties choose together"],
                    ["expert", "determination by an independent expert"],
                    ["courts", "the courts of England and Wales"],
                ],
            },
            {
                "name": "report_every",
                "type": "duration",
                "label": "Progress reports every",
                "default": "3 months",
            },
        ],
        "text": "The parties set up a partnership board with one senior member from each party. "
        "{{ chair }} chairs it. The board meets at least every {{ meets_every }} and decides "
        "by {{ decision_rule }}. Each party names who may decide on its behalf between "
        "meetings and what they may decide.\n\n"
        "The board receives a written progress report every {{ report_every }}, covering the "
        "plan, the shared objectives, risks and the use of any shared data.\n\n"
        "A disagreement that the people doing the work cannot settle within "
        "{{ escalation_days }} days goes to the board; one the board cannot settle within the "
        "same period goes to the executive sponsors of the parties concerned. If they cannot "
        "settle it either, it goes to {{ dispute_route }}. Work not affected by the "
        "disagreement continues meanwhile.",
    },
    {
        "key": "governance-lead-party",
        "family": "governance",
        "topic": "governance",
        "title": "Governance",
        "alternative": "Lead party decides, advised by a steering group",
        "guidance": "Suits a partnership where one party runs the work and others contribute.",
        "parameters": [
            {"name": "lead", "type": P, "label": "Lead party"},
            {
                "name": "meets_every",
                "type": "duration",
                "label": "Steering group meets every",
                "default": "3 months",
            },
            {
                "name": "reserved",
                "type": "list",
                "label": "Decisions reserved to all parties",
                "help": "One per line: decisions the lead party may not take alone.",
            },
            {
                "name": "report_every",
                "type": "duration",
                "label": "Progress reports every",
                "default": "3 months",
            },
        ],
        "text": "{{ lead }} leads the work and takes its day-to-day decisions, advised by a "
        "steering group with a member from each party that meets at least every "
        "{{ meets_every }}.\n\n"
        "The following decisions need the written agreement of every party: {{ reserved }}.\n\n"
        "{{ lead }} sends every party a written progress report every {{ report_every }}. A "
        "party that disagrees with a decision of the lead party may refer it to the executive "
        "sponsors of the parties, who meet within 20 working days to settle it.",
    },
    # -- SOPs ------------------------------------------------------------------------------
    {
        "key": "sops-register",
        "family": "sops",
        "topic": "sops",
        "title": "Standard operating procedures",
        "alternative": "Register of procedures with named owners",
        "guidance": "List the procedures people will actually work to.",
        "parameters": [
            {
                "name": "procedures",
                "type": "list",
                "label": "Procedures",
                "min": 1,
                "help": "One per line, with the party that owns it.",
            },
            {"name": "keeper", "type": P, "label": "Party that keeps the register"},
            {
                "name": "review_every",
                "type": "duration",
                "label": "Reviewed every",
                "default": "12 months",
            },
        ],
        "text": "The parties work to the following standard operating procedures: "
        "{{ procedures }}.\n\n"
        "{{ keeper }} keeps the register of procedures and their current versions where every "
        "party can read them. A change to a procedure takes effect once its owner has told "
        "the other parties and none has objected within ten working days.\n\n"
        "The procedures are reviewed together at least every {{ review_every }}.",
    },
    # -- term and exit ---------------------------------------------------------------------
    {
        "key": "term-exit",
        "family": "term-exit",
        "topic": "term_exit",
        "title": "Term, review and exit",
        "alternative": "Fixed term with review and notice to leave",
        "guidance": "When it starts and ends, how often it is reviewed, and how a party leaves "
        "cleanly.",
        "parameters": [
            {"name": "starts_on", "type": "date", "label": "Starts on"},
            {"name": "term", "type": "duration", "label": "Lasts for"},
            {
                "name": "review_every",
                "type": "duration",
                "label": "Reviewed every",
                "default": "12 months",
            },
            {
                "name": "notice",
                "type": "duration",
                "label": "Notice to leave",
                "default": "3 months",
            },
            {
                "name": "exit_data",
                "type": "choice",
                "label": "On exit, shared data is",
                "options": [
                    ["delete", "deleted, and the deletion confirmed in writing"],
                    ["return", "returned to the party that provided it"],
                ],
            },
        ],
        "text": "This agreement starts on {{ starts_on }} and lasts for {{ term }}, unless the "
        "parties extend it by amendment. The parties review it together every "
        "{{ review_every }}: whether it still serves the shared objectives and whether "
        "anything in it needs to change.\n\n"
        "A party may leave by giving the others {{ notice }} notice in writing. The "
        "agreement continues between the others if at least two remain.\n\n"
        "When a party leaves or the agreement ends, data shared with that party is "
        "{{ exit_data }}, the party completes or hands over the work it is responsible for, "
        "and the clauses on confidentiality, intellectual property and publication continue "
        "to apply.",
    },
    # -- accountability --------------------------------------------------------------------
    {
        "key": "accountability-shared",
        "family": "accountability",
        "topic": "accountability",
        "title": "Accountability for shared objectives",
        "alternative": "Named executives answer jointly, with a recovery plan",
        "guidance": "Each objective has named executives from at least two parties who answer "
        "for it together.",
        "parameters": [
            {
                "name": "accountable",
                "type": PS,
                "label": "Parties whose executive sponsors answer jointly",
            },
            {
                "name": "review_every",
                "type": "duration",
                "label": "Progress reviewed every",
                "default": "6 months",
            },
            {
                "name": "recovery_days",
                "type": "integer",
                "label": "Recovery plan due within (days)",
                "min": 5,
                "max": 90,
                "default": 30,
            },
        ],
        "text": "The executive sponsors of {{ accountable }} answer jointly to the partnership "
        "board for the shared objectives. No objective is the responsibility of one party "
        "alone.\n\n"
        "The board reviews progress against each objective every {{ review_every }}. When an "
        "objective is off track, the accountable sponsors put a recovery plan to the board "
        "within {{ recovery_days }} days, naming what each party will do differently.",
    },
]
