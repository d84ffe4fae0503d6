"""Starter clauses on patient data: protection, use, confidentiality, patients' involvement."""

from __future__ import annotations

from carepact.agreements.starter.common import (
    ART6_OPTIONS,
    ART9_OPTIONS,
    ONWARD_OPTIONS,
    PS,
    SECURITY_OPTIONS,
    P,
)

CLAUSES: list[dict] = [
    # -- data protection -------------------------------------------------------------------
    {
        "key": "data-protection-uk-gdpr",
        "family": "data-protection",
        "topic": "data_protection",
        "title": "Data management and protection",
        "alternative": "UK GDPR and the Data Protection Act 2018",
        "guidance": "For personal data processed in the UK.",
        "parameters": [
            {"name": "controller", "type": P, "label": "Data controller"},
            {
                "name": "article6_basis",
                "type": "choice",
                "label": "Lawful basis (Article 6)",
                "options": ART6_OPTIONS,
            },
            {
                "name": "article9_condition",
                "type": "choice",
                "label": "Condition for health data (Article 9)",
                "options": ART9_OPTIONS,
            },
            {
                "name": "security",
                "type": "choice",
                "label": "Security standard",
                "options": SECURITY_OPTIONS,
            },
            {
                "name": "retention",
                "type": "duration",
                "label": "Data kept after use ends for at most",
                "default": "30 days",
            },
            {
                "name": "breach_notice_hours",
                "type": "integer",
                "label": "Breach notice (hours)",
                "min": 1,
                "max": 72,
                "default": 24,
            },
            {
                "name": "onward_sharing",
                "type": "choice",
                "label": "Onward sharing",
                "options": ONWARD_OPTIONS,
            },
        ],
        "text": "{{ controller }} is the controller of the personal data shared under this "
        "agreement. The parties process it under the UK GDPR and the Data Protection Act "
        "2018, relying on {{ article6_basis }} and, for data concerning health, on "
        "{{ article9_condition }}.\n\n"
        "Each party that holds the data keeps it secure, with {{ security }}, and processes "
        "no more of it than the purpose needs. Data is kept after the permitted use ends for "
        "at most {{ retention }}, then deleted, and the deletion confirmed in writing.\n\n"
        "A party that becomes aware of a breach affecting the data tells the controller "
        "within {{ breach_notice_hours }} hours, with what it knows, and helps the controller "
        "meet its own duties to report. Onward sharing of the data {{ onward_sharing }}.",
    },
    {
        "key": "data-protection-hipaa",
        "family": "data-protection",
        "topic": "data_protection",
        "title": "Data management and protection",
        "alternative": "HIPAA (United States)",
        "guidance": "For protected health information of a US covered entity.",
        "parameters": [
            {"name": "controller", "type": P, "label": "Covered entity"},
            {
                "name": "hipaa_basis",
                "type": "choice",
                "label": "Basis for the disclosure",
                "options": [
                    ["authorization", "individual authorization (45 CFR 164.508)"],
                    ["irb_waiver", "a waiver of authorization by an IRB or privacy board"],
                    ["limited_data_set", "a limited data set under a data use agreement"],
                    ["safe_harbor", "de-identification by the Safe Harbor method"],
                    ["expert_determination", "de-identification by expert determination"],
                ],
            },
            {
                "name": "retention",
                "type": "duration",
                "label": "Data kept after use ends for at most",
                "default": "30 days",
            },
            {
                "name": "breach_notice_days",
                "type": "integer",
                "label": "Breach notice (days)",
                "min": 1,
                "max": 60,
                "default": 10,
            },
            {
                "name": "onward_sharing",
                "type": "choice",
                "label": "Onward sharing",
                "options": ONWARD_OPTIONS,
            },
        ],
        "text": "{{ controller }} is the covered entity for the protected health information "
        "disclosed under this agreement, which it discloses on the basis of "
        "{{ hipaa_basis }}.\n\n"
        "Each recipient uses appropriate administrative, physical and technical safeguards, "
        "makes no attempt to identify any individual or contact them, and keeps the data "
        "after the permitted use ends for at most {{ retention }}.\n\n"
        "A recipient reports any use or disclosure not permitted by this agreement to the "
        "covered entity within {{ breach_notice_days }} days of discovering it. Onward "
        "sharing of the data {{ onward_sharing }}.",
    },
    # -- data use --------------------------------------------------------------------------
    {
        "key": "data-use-duo",
        "family": "data-use",
        "topic": "data_use",
        "title": "Data-use terms",
        "alternative": "Permitted use in GA4GH DUO terms",
        "guidance": "The terms every release is checked against: datasets, recipients, DUO "
        "permission and modifiers, place, end date and reporting.",
        "parameters": [
            {"name": "data_provider", "type": P, "label": "Data provider"},
            {"name": "recipients", "type": PS, "label": "Recipients"},
            {
                "name": "datasets",
                "type": "list",
                "label": "Datasets",
                "min": 1,
                "help": "One dataset per line, by the name it has in the data catalogue.",
            },
            {"name": "purpose", "type": "text", "label": "Purpose in plain words"},
            {"name": "permission", "type": "duo_permission", "label": "DUO permission"},
            {
                "name": "modifiers",
                "type": "duo_modifiers",
                "label": "DUO modifiers",
                "required": False,
            },
            {
                "name": "environment",
                "type": "choice",
                "label": "Where analysis happens",
                "options": [
                    [
                        "provider_tre",
                        "only inside the data provider's trusted research "
                        "environment, from which no record leaves",
                    ],
                    ["recipient_secure", "in the recipients' accredited secure environments"],
                    [
                        "federated",
                        "by federated analysis, only aggregate results leaving the data provider",
                    ],
                ],
            },
            {
                "name": "geography",
                "type": "countries",
                "label": "Countries where use may take place",
                "default": "GB",
            },
            {"name": "expires_on", "type": "date", "label": "Permitted use ends on"},
            {
                "name": "report_every",
                "type": "duration",
                "label": "Progress reports every",
                "required": False,
            },
        ],
        "text": "{{ data_provider }} makes the following datasets available under this "
        "agreement: {{ datasets }}. They are made available to {{ recipients }} and to no one "
        "else.\n\n"
        "The data may be used only for this purpose: {{ purpose }}. In the terms of the GA4GH "
        "Data Use Ontology, the permitted use is {{ permission }}, subject to: "
        "{{ modifiers }}.\n\n"
        "Analysis takes place {{ environment }}, and only in {{ geography }}. The permitted "
        "use ends on {{ expires_on }}. Each recipient reports on its use of the data every "
        "{{ report_every }}.\n\n"
        "Every release of data under this agreement is checked against these terms before it "
        "is made, and a release they do not cover is not made.",
    },
    # -- confidentiality -------------------------------------------------------------------
    {
        "key": "confidentiality-mutual",
        "family": "confidentiality",
        "topic": "confidentiality",
        "title": "Confidentiality",
        "alternative": "Mutual confidentiality with the usual exceptions",
        "guidance": "Each party protects what the others disclose; publicly required "
        "disclosures stay possible.",
        "parameters": [
            {
                "name": "survives",
                "type": "duration",
                "label": "Obligations last after the agreement ends for",
                "default": "5 years",
            },
        ],
        "text": "Each party keeps confidential the information another party discloses to it "
        "under this agreement and marks or describes as confidential, uses it only for the "
        "work under this agreement, and shares it only with its own people who need it.\n\n"
        "This does not apply to information that is or becomes public other than through a "
        "breach of this clause, that the receiving party already had or develops "
        "independently, or that the law requires it to disclose. An NHS party subject to the "
        "Freedom of Information Act 2000 consults the disclosing party before answering a "
        "request about its information.\n\n"
        "These obligations last for {{ survives }} after this agreement ends.",
    },
    # -- patient and public involvement -----------------------------------------------------
    {
        "key": "ppi-transparency",
        "family": "ppi-transparency",
        "topic": "ppi_transparency",
        "title": "Patient and public involvement and transparency",
        "alternative": "Patient panel and public register",
        "guidance": "Patients help shape the work and the public can see it.",
        "parameters": [
            {"name": "panel", "type": "text", "label": "Patient and public group"},
            {
                "name": "meetings_per_year",
                "type": "integer",
                "label": "Meetings with the group each year",
                "min": 1,
                "max": 24,
                "default": 2,
            },
            {
                "name": "summary_within",
                "type": "duration",
                "label": "Public summary within",
                "default": "3 months",
            },
        ],
        "text": "The parties involve {{ panel }} in the work: the group is consulted on the "
        "objectives, on the uses of patient data and on how results are explained, and meets "
        "the partnership at least {{ meetings_per_year }} times a year.\n\n"
        "Within {{ summary_within }} of this agreement being signed, the parties publish a "
        "plain-language summary of the partnership: who the parties are, what it does, "
        "which patient data it uses and why, and what value is expected to come back to "
        "patients and the NHS. They keep the summary up to date, including on the "
        "partnership's public page.",
    },
]
