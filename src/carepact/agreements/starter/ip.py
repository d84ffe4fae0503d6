"""Starter clauses on intellectual property: ownership alternatives and publication."""

from __future__ import annotations

from carepact.agreements.starter.common import PS, P

CLAUSES: list[dict] = [
    # -- IP --------------------------------------------------------------------------------
    {
        "key": "ip-generator-owns",
        "family": "ip-ownership",
        "topic": "ip",
        "title": "Intellectual property",
        "alternative": "Owned by the party that generates it",
        "guidance": "Simple and common in research: each party owns what its people create, "
        "with licences so others can finish the work.",
        "parameters": [
            {
                "name": "project_licence",
                "type": "choice",
                "label": "Licence to others for the project",
                "options": [
                    ["royalty_free", "a royalty-free, non-exclusive licence"],
                    ["none", "no licence beyond what the law implies"],
                ],
            },
            {
                "name": "notify_days",
                "type": "integer",
                "label": "New IP disclosed within (days)",
                "min": 5,
                "max": 180,
                "default": 30,
            },
        ],
        "text": "Background IP (what each party owned before this agreement or creates outside "
        "it) stays with its owner. Foreground IP (what is created in the work under this "
        "agreement) belongs to the party whose people create it; IP created jointly belongs to "
        "the parties who created it, in shares reflecting their contributions.\n\n"
        "Each party grants the others {{ project_licence }} to use its background and "
        "foreground IP for the purposes of the work under this agreement, for its "
        "duration.\n\n"
        "A party discloses to the others any foreground IP it creates within "
        "{{ notify_days }} days of becoming aware of it.",
    },
    {
        "key": "ip-joint",
        "family": "ip-ownership",
        "topic": "ip",
        "title": "Intellectual property",
        "alternative": "Jointly owned",
        "guidance": "Foreground IP belongs to all parties; one leads on exploiting it.",
        "parameters": [
            {"name": "exploitation_lead", "type": P, "label": "Party that leads exploitation"},
            {
                "name": "nhs_share",
                "type": "percentage",
                "label": "Share of net income to the NHS party",
            },
            {
                "name": "decision_days",
                "type": "integer",
                "label": "Days to object to an exploitation plan",
                "min": 5,
                "max": 90,
                "default": 30,
            },
        ],
        "text": "Background IP stays with its owner. Foreground IP belongs to all parties "
        "jointly, in equal undivided shares, whoever creates it.\n\n"
        "{{ exploitation_lead }} leads on protecting and exploiting the foreground IP, after "
        "sharing each plan with the other parties, any of which may object within "
        "{{ decision_days }} days. Of the net income from exploitation, {{ nhs_share }} goes "
        "to the NHS party and the rest is shared between the other parties in proportion to "
        "their contributions.\n\n"
        "No party licenses or assigns its share without the written consent of the others.",
    },
    {
        "key": "ip-nhs-owns-licence-back",
        "family": "ip-ownership",
        "topic": "ip",
        "title": "Intellectual property",
        "alternative": "Owned by the NHS party with a licence back",
        "guidance": "The NHS party owns what is created with its patients' data or staff, and "
        "licenses it back to the company on agreed terms.",
        "parameters": [
            {"name": "nhs_party", "type": P, "label": "NHS party that owns foreground IP"},
            {"name": "licensees", "type": PS, "label": "Licensed parties"},
            {
                "name": "licence_scope",
                "type": "choice",
                "label": "Licence back",
                "options": [
                    ["research", "a non-exclusive, royalty-free licence for research"],
                    [
                        "commercial",
                        "a non-exclusive commercial licence on payment of the royalty below",
                    ],
                    [
                        "exclusive_field",
                        "an exclusive commercial licence in the agreed "
                        "field on payment of the royalty below",
                    ],
                ],
            },
            {"name": "royalty", "type": "percentage", "label": "Royalty on net sales"},
        ],
        "text": "Background IP stays with its owner. Foreground IP belongs to {{ nhs_party }}, "
        "and each other party assigns to it any foreground IP its people create.\n\n"
        "{{ nhs_party }} grants {{ licensees }} {{ licence_scope }}. The royalty is "
        "{{ royalty }} of net sales of any product or service that uses the foreground IP.\n\n"
        "{{ nhs_party }} keeps the right to use the foreground IP for the care of patients, "
        "for teaching and for research, free of charge and without limit.",
    },
    {
        "key": "ip-publication",
        "family": "ip-publication",
        "topic": "ip",
        "title": "Publication rights",
        "alternative": "Publication after review, with a moratorium",
        "guidance": "Researchers may publish; partners may review first for confidential "
        "information and patentable inventions.",
        "parameters": [
            {
                "name": "review_days",
                "type": "integer",
                "label": "Review period (days)",
                "min": 10,
                "max": 90,
                "default": 30,
            },
            {
                "name": "moratorium",
                "type": "duration",
                "label": "Longest delay for a patent filing",
                "default": "3 months",
            },
            {
                "name": "publish_within",
                "type": "duration",
                "label": "Results published within",
                "default": "12 months",
            },
        ],
        "text": "Each party may publish the results of the work. A party sends any proposed "
        "publication to the others {{ review_days }} days before submitting it; within that "
        "time another party may require the removal of its confidential information, and "
        "may ask for a delay of at most {{ moratorium }} so that a patent application can be "
        "filed.\n\n"
        "No party may prevent the publication of results because they are unfavourable. The "
        "parties publish the main results within {{ publish_within }} of the end of the work "
        "that produced them.",
    },
]
