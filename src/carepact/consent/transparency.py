"""What the consent app tells the public page, through its seam.

Declared on ``ConsentConfig.carepact_provides`` (see ``carepact.outcomes.seams``):
``public.patient_page`` is the address of the patient's own page (``consent:patient``),
where a patient who has a one-time code from the NHS party sees which partnerships
received their data and withdraws from one of them. It is one stable address for every
partnership: the page itself shows the patient only their own choices.
"""

from __future__ import annotations

from django.urls import reverse

from carepact.core.indicators import Reading
from carepact.partnerships.models import Partnership


def patient_page(partnership: Partnership) -> Reading:
    """The site path of the patient page (the public page shows only site paths or https)."""
    return Reading(reverse("consent:patient"), True, "the patient page of the consent registry")
