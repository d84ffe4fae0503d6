"""The demo's health story: three waves of declining trust from Lumen's specialists, with
Northfield's dominance unseen by Northfield; one wave for the Eastmoor partnership."""

import pytest
from django.db import transaction

from carepact.accounts import demo as accounts_demo
from carepact.core import audit
from carepact.core.demos import DemoContext
from carepact.health import demo as health_demo
from carepact.health import services
from carepact.health.models import Round
from carepact.partnerships import demo as partnerships_demo
from carepact.partnerships.models import Partnership


@pytest.fixture
def demo(db):
    """Only the parts the health story needs (the whole demo runs in core's command tests)."""
    ctx = DemoContext()
    for part in (accounts_demo, partnerships_demo, health_demo):
        with transaction.atomic():
            part.load(ctx)


def test_the_demo_tells_its_story(demo):
    ai = Partnership.objects.get(slug="ai-assisted-chest-x-ray-triage-pathway")
    rounds = list(ai.health_rounds.order_by("number"))
    assert [(r.number, r.kind, r.status) for r in rounds] == [
        (n, Round.Kind.FULL, Round.Status.CLOSED) for n in (1, 2, 3)
    ]
    reports = [services.report_for(r) for r in rounds]
    lumen = next(p["key"] for p in reports[0]["parties"] if p["key"].startswith("lumen"))
    northfield = next(p["key"] for p in reports[0]["parties"] if p["key"].startswith("north"))

    def specialists_trust(report):
        c2 = next(c for c in report["constructs"] if c["code"] == "C2")
        cell = next(c for c in c2["cells"] if c["party"] == lumen and c["levels"] == ["specialist"])
        return cell["mean"]

    trust = [specialists_trust(r) for r in reports]
    assert trust[0] > trust[1] > trust[2] and trust[0] - trust[2] > 1.5
    latest = reports[-1]
    rules = {w["rule"] for w in latest["warnings"]}
    assert {"R2", "R6", "R7", "R12"} <= rules
    assert not {w["rule"] for w in reports[0]["warnings"]} & {"R6", "R7", "R12"}
    dominance = {s["party"]: s["dominance"] for s in latest["power"]["shares"]}
    assert dominance[northfield] == "unacknowledged"
    c2 = next(c for c in latest["trends"]["changes"] if c["construct"] == "C2")
    assert c2["difference"] < 0 and c2["paired_n"] >= 5
    assert latest["index"]["value"] < reports[0]["index"]["value"]

    data = Partnership.objects.get(slug="eastmoor-cardiometabolic-data-partnership")
    (only,) = data.health_rounds.all()
    report = services.report_for(only)
    held = [h["party"] for h in report["anonymity"]["held_back"]]
    assert len(held) == 1 and held[0].startswith("helix")
    assert all(report["parties"][i]["cells"] for i in range(2))
    assert all(r.broken is None for r in audit.verify())
