"""The demo: a signed MoU lets the AI pathway operate; the consortium DSA is mid-negotiation."""

import io

from django.core.management import call_command

from carepact.agreements import services
from carepact.agreements.models import Agreement, Obligation, Proposal
from carepact.core import audit
from carepact.partnerships.models import Partnership, Stage

AI = "ai-assisted-chest-x-ray-triage-pathway"
DATA = "eastmoor-cardiometabolic-data-partnership"


def test_demo_agreements(db):
    call_command("demo", no_serve=True, stdout=io.StringIO())
    stages = dict(Partnership.objects.values_list("slug", "stage"))
    assert stages[AI] == Stage.OPERATING and stages[DATA] == Stage.AGREEING

    ai = {a.kind: a for a in Agreement.objects.filter(partnership__slug=AI)}
    assert services.current_version(ai["mou"]).status == "signed"
    assert services.signed_version(ai["ip"]) is not None  # signed, with an amendment open
    assert services.current_version(ai["ip"]).status == "negotiating"

    (dsa,) = [
        a
        for a in Agreement.objects.filter(partnership__slug=DATA, kind="data_sharing")
        if services.current_version(a).status == "negotiating"
    ]
    open_points = Proposal.objects.filter(version__agreement=dsa, status="open")
    assert open_points.count() >= 3
    assert open_points.values("organisation").distinct().count() >= 2  # more than one side
    assert Proposal.objects.filter(version__agreement=dsa, round__gt=1).exists()  # a counter

    assert Obligation.objects.filter(met_at__isnull=False).exists()
    assert all(v.ok for v in services.verify_all())
    assert all(report.broken is None for report in audit.verify())
