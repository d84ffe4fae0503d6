"""The governance and portfolio demo: a board whose decisions mostly come from one party, an
overdue action, a grievance, a risk register, and a trust portfolio with one partnership at
risk and one not."""

import io

from django.core.management import call_command

from carepact.accounts.models import Organisation, User
from carepact.governance import services as governance
from carepact.governance.models import Escalation, Meeting
from carepact.partnerships.models import Partnership
from carepact.portfolio import services as portfolio

AI = "ai-assisted-chest-x-ray-triage-pathway"
DATA = "eastmoor-cardiometabolic-data-partnership"


def test_demo_governance_and_the_trust_portfolio(db):
    call_command("demo", no_serve=True, stdout=io.StringIO())
    ai, data = Partnership.objects.get(slug=AI), Partnership.objects.get(slug=DATA)

    meetings = Meeting.objects.filter(partnership=ai)
    assert meetings.count() >= 3 and all(m.minutes for m in meetings)
    shares = governance.behavioural_shares(ai).decisions_proposed
    leader = max(shares, key=shares.get)
    assert leader.startswith("northfield") and shares[leader] > 0.5

    assert governance.overdue_actions(data).count() == 1
    grievance = governance.open_escalations(data).get()
    assert grievance.kind == Escalation.Kind.GRIEVANCE
    assert data.risks.exists()

    tom = User.objects.get(email="tom.okafor@northfield.nhs.example")
    trust = Organisation.objects.get(slug__startswith="northfield")
    rows = {r.slug: r for r in portfolio.rows(tom, trust)}
    assert rows[DATA].at_risk
    assert {s.key for s in rows[DATA].signals} >= {"overdue_actions", "open_escalations", "risk"}
    # The pathway's health check tells of falling trust (a signal to watch), but nothing
    # else is wrong at once, so it is not marked at risk.
    assert not rows[AI].at_risk
    assert [s.key for s in rows[AI].signals] == ["health_warnings"]
