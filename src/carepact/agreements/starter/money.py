"""Starter clauses on what each party brings, pays and gets back."""

from __future__ import annotations

from carepact.agreements.starter.common import P

CLAUSES: list[dict] = [
    # -- ownership and financial boundaries --------------------------------------------------
    {
        "key": "ownership-boundaries",
        "family": "ownership-boundaries",
        "topic": "ownership_finance",
        "title": "Ownership and financial boundaries",
        "alternative": "Each party keeps what it brings; capped exposure",
        "guidance": "States what stays whose, who may commit spending, and the most each "
        "party can be liable for.",
        "parameters": [
            {
                "name": "approval_threshold",
                "type": "money",
                "label": "Joint spending needs every party's approval above",
            },
            {
                "name": "liability_cap",
                "type": "money",
                "label": "Each party's liability is capped at",
            },
            {
                "name": "costs",
                "type": "choice",
                "label": "Costs of taking part",
                "options": [
                    ["own", "each party bears its own costs of taking part"],
                    [
                        "shared",
                        "the costs of taking part are shared in the proportions the board records",
                    ],
                ],
                "default": "own",
            },
        ],
        "text": "Each party keeps ownership of the premises, equipment, staff, data, know-how "
        "and money it brings to the partnership. Nothing in this agreement transfers any of "
        "them to another party unless a clause of this agreement says so expressly.\n\n"
        "No party may commit another to any spending. Spending from joint funds above "
        "{{ approval_threshold }} needs the written approval of every party, and "
        "{{ costs }}.\n\n"
        "The total liability of a party to the others under this agreement is limited to "
        "{{ liability_cap }}, except for liability that the law does not allow to be limited.",
    },
    # -- payments --------------------------------------------------------------------------
    {
        "key": "payments-milestones",
        "family": "payments",
        "topic": "payments",
        "title": "Financial obligations and payments",
        "alternative": "Payments against milestones",
        "guidance": "One party pays another in instalments as milestones are met.",
        "parameters": [
            {"name": "payer", "type": P, "label": "Paying party"},
            {"name": "payee", "type": P, "label": "Receiving party"},
            {"name": "total", "type": "money", "label": "Total payable"},
            {
                "name": "schedule",
                "type": "list",
                "label": "Payment schedule",
                "min": 1,
                "help": "One instalment per line: the amount and the milestone it follows.",
            },
            {
                "name": "invoice_days",
                "type": "integer",
                "label": "Invoices paid within (days)",
                "min": 1,
                "max": 120,
                "default": 30,
            },
        ],
        "text": "{{ payer }} pays {{ payee }} a total of {{ total }}, in the following "
        "instalments: {{ schedule }}.\n\n"
        "{{ payee }} invoices each instalment once its milestone is met and the board has "
        "recorded it as met. {{ payer }} pays each undisputed invoice within "
        "{{ invoice_days }} days. No other payment is due under this agreement.",
    },
    {
        "key": "payments-own-costs",
        "family": "payments",
        "topic": "payments",
        "title": "Financial obligations and payments",
        "alternative": "No payments: each party bears its own costs",
        "guidance": "Suits partnerships where each party contributes in kind.",
        "parameters": [
            {
                "name": "contributions",
                "type": "list",
                "label": "Contributions in kind",
                "help": "One per line: what each party contributes.",
            },
        ],
        "text": "No party pays another under this agreement. Each party contributes in kind as "
        "follows: {{ contributions }}.\n\n"
        "A party that wishes to charge for anything must first propose an amendment to this "
        "agreement.",
    },
    # -- benefit sharing -------------------------------------------------------------------
    {
        "key": "benefit-sharing-revenue",
        "family": "benefit-sharing",
        "topic": "benefit_sharing",
        "title": "Benefit sharing",
        "alternative": "Share of revenue to the NHS party",
        "guidance": "Money flows back to the NHS when a product built with NHS data earns it.",
        "parameters": [
            {"name": "nhs_party", "type": P, "label": "NHS party that benefits"},
            {"name": "share", "type": "percentage", "label": "Share of net revenue"},
            {
                "name": "reinvestment",
                "type": "text",
                "label": "What the NHS party reinvests it in",
                "required": False,
            },
        ],
        "text": "A party that earns revenue from a product or service developed using data, "
        "staff or facilities provided by {{ nhs_party }} under this agreement pays "
        "{{ nhs_party }} {{ share }} of the net revenue, each year, with a statement of how "
        "it was calculated.\n\n"
        "{{ nhs_party }} intends to reinvest what it receives in {{ reinvestment }}, and "
        "reports each year, in plain words and in public, what it received and how it was "
        "used.",
    },
    {
        "key": "benefit-sharing-in-kind",
        "family": "benefit-sharing",
        "topic": "benefit_sharing",
        "title": "Benefit sharing",
        "alternative": "Benefits in kind to the NHS party",
        "guidance": "Free or discounted access to what is developed, instead of money.",
        "parameters": [
            {"name": "nhs_party", "type": P, "label": "NHS party that benefits"},
            {"name": "free_use", "type": "duration", "label": "Free use of the product for"},
            {"name": "discount", "type": "percentage", "label": "Discount afterwards"},
        ],
        "text": "Any product or service developed with data, staff or facilities provided by "
        "{{ nhs_party }} under this agreement is made available to {{ nhs_party }} free of "
        "charge for {{ free_use }} from its first commercial release, and at a discount of "
        "{{ discount }} on list price afterwards for as long as it is sold.\n\n"
        "The parties report each year, in public, the value of these benefits.",
    },
]
