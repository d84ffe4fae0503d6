"""What the demo's agreements share: names, time steps, drafting and signing helpers."""

from __future__ import annotations

from datetime import timedelta

from carepact.agreements import services
from carepact.core import clock
from carepact.core.demos import DEMO_PASSWORD

AI = "ai-assisted-chest-x-ray-triage-pathway"
DATA = "eastmoor-cardiometabolic-data-partnership"
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def draft(actor, partnership, kind, title, clauses, *, parties=None):
    """A draft with the given library clauses, added a few hours apart."""
    agreement = services.create_agreement(
        actor, partnership, kind=kind, title=title, parties=parties
    )
    for key, parameters in clauses:
        clock.tick(3 * HOUR)
        services.add_clause(actor, agreement, clause_key=key, parameters=parameters)
    return agreement


def sign_all(agreement, signatories, *, gap=DAY):
    """Each signatory signs in turn, ``gap`` apart; the last signature freezes the version."""
    for signer in signatories:
        clock.tick(gap)
        services.sign(signer, agreement, password=DEMO_PASSWORD)
