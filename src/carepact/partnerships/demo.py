"""Two demo partnerships at different stages, built through the services with a history."""

from __future__ import annotations

from datetime import timedelta

from carepact.accounts.demo import organisation, person
from carepact.core import clock
from carepact.core.demos import DemoContext
from carepact.partnerships import services
from carepact.partnerships.models import Party, Role

AI_PATHWAY = {
    "title": "AI-assisted chest X-ray triage pathway",
    "type": "hospital_health_tech",
    "purpose": (
        "Use Lumen's AI to put urgent chest X-rays at the front of the reporting queue at "
        "Northfield, and find out whether patients with suspected lung cancer are diagnosed sooner."
    ),
    "vision": (
        "Every patient whose chest X-ray suggests lung cancer has it reported within 24 hours "
        "and a CT scan within 72, so that more cancers are found at a curable stage. We will "
        "measure that outcome, not the number of images processed, and publish what we learn "
        "for other trusts."
    ),
}
DATA_PARTNERSHIP = {
    "title": "Eastmoor Cardiometabolic Data Partnership",
    "type": "consortium",
    "purpose": (
        "A trust, a university and a pharmaceutical company study de-identified records of "
        "patients with heart disease and diabetes to find who benefits most from newer treatments."
    ),
    "vision": (
        "Better, fairer treatment for people living with both heart disease and type 2 "
        "diabetes in our region, with the value drawn from patient data shared back with the "
        "NHS and explained to the public."
    ),
}


def load(ctx: DemoContext) -> None:
    northfield, helix = organisation("northfield"), organisation("helix")
    lumen, eastmoor = organisation("lumen"), organisation("university-of-eastmoor")
    tom, priya = person("tom.okafor"), person("priya.raman")
    sarah, mei = person("sarah.lindqvist"), person("mei.chen")
    daniel, grace, fiona = person("daniel.reyes"), person("grace.mensah"), person("fiona.hart")
    laura, ravi = person("laura.bennett"), person("ravi.desai")
    alan, nadia = person("alan.brooks"), person("nadia.farouk")
    day = timedelta(days=1)

    # A hospital–health-tech partnership that has reached operating.
    with clock.travel(clock.now() - timedelta(days=330)):
        ai = services.create_partnership(tom, organisation=northfield, **AI_PATHWAY)
        clock.tick(day)
        party = services.invite_organisation(
            tom,
            ai,
            organisation=lumen,
            role=Party.Role.PARTNER,
            message="Following our pilot conversations in the spring.",
        )
        clock.tick(2 * day)
        services.respond_to_invitation(daniel, party, accept=True)
        clock.tick(day)
        for who, org, role in [
            (sarah, northfield, Role.CLINICAL_CHAMPION),
            (priya, northfield, Role.EXECUTIVE_SPONSOR),
            (mei, northfield, Role.DATA_STEWARD),
            (grace, lumen, Role.CHAMPION),
            (fiona, lumen, Role.CLINICAL_CHAMPION),
            (daniel, lumen, Role.EXECUTIVE_SPONSOR),
            (daniel, lumen, Role.SIGNATORY),
            (priya, northfield, Role.SIGNATORY),
        ]:
            assigner = tom if org == northfield else daniel
            services.assign_role(assigner, ai, person=who, organisation=org, role=role)
            clock.tick(timedelta(hours=3))
        for term, definition, proposer, agreer in [
            (
                "Urgent finding",
                "An X-ray the AI or a radiologist flags as suggesting lung cancer, "
                "to be reported within 24 hours.",
                sarah,
                grace,
            ),
            (
                "Time to diagnosis",
                "Days from the chest X-ray to a confirmed diagnosis recorded "
                "by the lung cancer multidisciplinary team.",
                sarah,
                fiona,
            ),
            (
                "Clinical safety case",
                "The evidence, under DCB0129 and DCB0160, that the tool and "
                "its use at Northfield are safe; owned jointly by both clinical safety officers.",
                fiona,
                sarah,
            ),
        ]:
            entry = services.propose_term(proposer, ai, term=term, definition=definition)
            clock.tick(2 * day)
            services.agree_term(agreer, entry)
        clock.tick(20 * day)
        services.change_stage(
            tom, ai, to="agreeing", note="Vision agreed at the kick-off workshop."
        )
        # The agreements demo (carepact.agreements.demo) negotiates and signs the MoU, and only
        # then moves the partnership on to mobilising and operating: the MoU gate makes that
        # the only honest order.

    # A multi-party data partnership still agreeing its terms.
    with clock.travel(clock.now() - timedelta(days=120)):
        data = services.create_partnership(tom, organisation=northfield, **DATA_PARTNERSHIP)
        clock.tick(day)
        for org, admin in [(eastmoor, alan), (helix, laura)]:
            party = services.invite_organisation(
                tom, data, organisation=org, role=Party.Role.PARTNER
            )
            clock.tick(3 * day)
            services.respond_to_invitation(admin, party, accept=True)
        for who, org, role in [
            (mei, northfield, Role.DATA_STEWARD),
            (person("james.whitlow"), northfield, Role.CLINICAL_CHAMPION),
            (nadia, eastmoor, Role.CHAMPION),
            (ravi, helix, Role.MEMBER),
            (person("anna.kowalski"), helix, Role.MEMBER),
            (person("sam.taylor"), eastmoor, Role.OBSERVER),
        ]:
            assigner = {northfield: tom, eastmoor: alan, helix: laura}[org]
            services.assign_role(assigner, data, person=who, organisation=org, role=role)
            clock.tick(timedelta(hours=6))
        for term, definition, proposer, agreers in [
            (
                "Pseudonymised data",
                "Records from which direct identifiers are removed and the "
                "NHS number replaced by a keyed code that only Northfield can reverse.",
                mei,
                [nadia, ravi],
            ),
            (
                "Trusted research environment",
                "The secure platform at Eastmoor in which analysts "
                "work on released data; no record leaves it.",
                nadia,
                [mei],
            ),
        ]:
            entry = services.propose_term(proposer, data, term=term, definition=definition)
            clock.tick(2 * day)
            for agreer in agreers:
                services.agree_term(agreer, entry)
        clock.tick(30 * day)
        services.change_stage(tom, data, to="agreeing", note="Scope agreed by all three parties.")
