"""Demo agreements, negotiated and signed through the services over weeks of history.

The AI pathway gets its MoU (three rounds on IP ownership before both sides sign), then
moves to mobilising and operating; a data-sharing agreement for the evaluation, signed,
whose obligations are now falling due; and an IP agreement, signed, with an amendment under
negotiation. The data partnership gets a signed MoU between its three parties and a
data-sharing agreement mid-negotiation, with open points raised by each side.
"""

from __future__ import annotations

from carepact.accounts.demo import organisation, person
from carepact.agreements.demo import ai_pathway, data_partnership
from carepact.agreements.demo.common import AI, DATA
from carepact.agreements.services.library import ensure_starter_library
from carepact.core import clock
from carepact.core.demos import DemoContext
from carepact.partnerships.models import Partnership


def load(ctx: DemoContext) -> None:
    """Load the agreements of both demo partnerships (after the partnerships demo)."""
    ensure_starter_library()
    northfield, lumen = organisation("northfield"), organisation("lumen")
    eastmoor, helix = organisation("university-of-eastmoor"), organisation("helix")
    tom, priya, mei = person("tom.okafor"), person("priya.raman"), person("mei.chen")
    daniel, grace = person("daniel.reyes"), person("grace.mensah")
    alan, nadia = person("alan.brooks"), person("nadia.farouk")
    laura, ravi = person("laura.bennett"), person("ravi.desai")
    ai = Partnership.objects.get(slug=AI)
    data = Partnership.objects.get(slug=DATA)
    nf, lu, em, hx = northfield.slug, lumen.slug, eastmoor.slug, helix.slug
    now = clock.now()

    ai_pathway.load(ai, now, tom, priya, mei, daniel, grace, nf, lu)
    data_partnership.load(data, now, tom, mei, alan, nadia, laura, ravi, nf, em, hx)
