"""Shorthands and option lists the starter clauses share."""

from __future__ import annotations

P = "party"
PS = "parties"

ART6_OPTIONS = [
    ["public_task", "Article 6(1)(e): a task carried out in the public interest"],
    ["legitimate_interests", "Article 6(1)(f): legitimate interests"],
    ["consent", "Article 6(1)(a): consent"],
    ["legal_obligation", "Article 6(1)(c): a legal obligation"],
]
ART9_OPTIONS = [
    ["health_care", "Article 9(2)(h): the provision of health or social care"],
    ["public_health", "Article 9(2)(i): public health"],
    ["research", "Article 9(2)(j): archiving, scientific research or statistics"],
    ["explicit_consent", "Article 9(2)(a): explicit consent"],
]
ONWARD_OPTIONS = [
    ["prohibited", "is not permitted"],
    ["with_written_consent", "is permitted only with the data controller's prior written consent"],
    ["named_processors", "is permitted only to processors named in the data-use terms"],
]
SECURITY_OPTIONS = [
    ["dspt", "the NHS Data Security and Protection Toolkit standards met"],
    ["iso27001", "ISO/IEC 27001 certification for the systems that hold the data"],
    ["cyber_essentials_plus", "Cyber Essentials Plus certification"],
]
