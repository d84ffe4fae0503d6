"""The AI pathway's public page, written by the trust and published by both parties."""

from __future__ import annotations

from datetime import timedelta

from carepact.accounts.demo import person
from carepact.core import clock
from carepact.core.demos import DemoContext
from carepact.partnerships.models import Partnership
from carepact.public import services

AI_SLUG = "ai-assisted-chest-x-ray-triage-pathway"


def load(ctx: DemoContext) -> None:
    ai = Partnership.objects.get(slug=AI_SLUG)
    northfield, lumen = (p.organisation for p in ai.active_parties())
    tom, daniel = person("tom.okafor"), person("daniel.reyes")
    with clock.travel(clock.now() - timedelta(days=14)):
        services.save_settings(
            tom,
            ai,
            summary=(
                "Northfield hospitals use software from Lumen Health AI to spot chest X-rays "
                "that may show lung cancer and put them first in the queue for a radiologist "
                "to report. The aim is simple: people with lung cancer are diagnosed sooner, "
                "when treatment works best. The software looks at X-ray images inside the "
                "hospital's own systems. Lumen receives de-identified images only to check "
                "that the software works as well here as it should; it never receives names, "
                "addresses or NHS numbers."
            ),
            how_to_opt_out=(
                "You can ask for your X-rays not to be used to check the software, without any "
                "effect on your care: tell the radiology department, or contact the trust's "
                "data protection officer. You can also register a National Data Opt-out, "
                "which the trust applies to every release of data for research and planning."
            ),
            contact=(
                "Data Protection Officer, Northfield Teaching Hospitals, dpo@northfield.nhs.example"
            ),
            show_value="items",
            show_kpis=True,
        )
        clock.tick(timedelta(days=2))
        services.opt_in(tom, ai, organisation=northfield)
        clock.tick(timedelta(days=3))
        services.opt_in(daniel, ai, organisation=lumen)
