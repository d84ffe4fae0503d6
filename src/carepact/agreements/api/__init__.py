"""Agreements as JSON: the clause library, agreements, negotiation, signatures, documents,
data-use terms and obligations. The same services as the pages."""

from ninja import Router

router = Router(tags=["agreements"])

from carepact.agreements.api import agreements, library, negotiation  # noqa: E402, F401  (routes)
