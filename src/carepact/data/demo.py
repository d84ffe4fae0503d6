"""Demo data governance in the Eastmoor partnership, through the services with a history.

Northfield offers its synthetic cardiometabolic extract (written by the consent demo); the
three parties sign a data-sharing agreement for a first release (separate from the fuller
agreement still under negotiation); Eastmoor asks for the data, Northfield's data steward
approves and the release runs (here, at once, rather than waiting for a worker); Helix's
request waits for review; then a patient in the release withdraws, which leaves Eastmoor
an open obligation to delete or replace it.
"""

from __future__ import annotations

from datetime import timedelta

from carepact.accounts.demo import organisation, person
from carepact.agreements import services as agreements
from carepact.consent import registry
from carepact.consent import services as consent
from carepact.consent.demo import ETHNICITY_HIERARCHY, PATIENTS, demo_numbers
from carepact.core import clock
from carepact.core.demos import DEMO_PASSWORD, DemoContext
from carepact.partnerships.models import Partnership

from . import services
from .services.obligations import members, traceable_releases

DATA = "eastmoor-cardiometabolic-data-partnership"
DATASET = "Northfield cardiometabolic extract"
DAY = timedelta(days=1)


def load(ctx: DemoContext) -> None:
    data = Partnership.objects.get(slug=DATA)
    northfield, eastmoor = organisation("northfield"), organisation("university-of-eastmoor")
    helix = organisation("helix")
    tom, mei = person("tom.okafor"), person("mei.chen")
    alan, nadia = person("alan.brooks"), person("nadia.farouk")
    laura, ravi = person("laura.bennett"), person("ravi.desai")
    numbers = demo_numbers()
    now = clock.now()

    with clock.travel(now - timedelta(days=40)):
        dataset = services.register_dataset(
            mei,
            data,
            owner=northfield,
            name=DATASET,
            description="Admissions of adults with heart disease or type 2 diabetes at "
            "Northfield, 2023-2024: age, sex, postcode district, ethnicity, deprivation, "
            "diagnosis and a lab value. Synthetic: nobody in it is a real person.",
            location=PATIENTS,
            patient_id_column="nhs_number",
            article6="public_task",
            article9="research",
            k=10,
            suppression_limit=0.05,
        )
        services.run_profile(dataset.pk)  # the demo does not wait for a worker
        dataset.refresh_from_db()
        clock.tick(timedelta(hours=3))
        services.set_columns(
            mei,
            dataset,
            columns={
                "age": {"role": "quasi_identifier", "hierarchy": "age"},
                "sex": {"role": "quasi_identifier", "hierarchy": "none"},
                "postcode": {"role": "quasi_identifier", "hierarchy": "uk_postcode"},
                "ethnicity": {
                    "role": "quasi_identifier",
                    "hierarchy": "categorical",
                    "hierarchy_file": ETHNICITY_HIERARCHY,
                },
                "deprivation_decile": {"role": "other"},
                "diagnosis": {"role": "sensitive"},
                "admission_date": {"role": "other"},
                "lab_value": {"role": "other"},
            },
        )
        services.run_profile(dataset.pk)  # again, now the quasi-identifiers are marked
        dataset.refresh_from_db()
        clock.tick(DAY)
        services.draft_terms(
            mei, dataset, permission="HMB", modifiers="IRB, PUB, GS:GB", recipients=[]
        )

    # A short data-sharing agreement for the first release, signed by all three parties.
    with clock.travel(now - timedelta(days=30)):
        _sign_first_release_agreement(tom, data, northfield, eastmoor, helix, [tom, alan, laura])

    # Eastmoor asks, Northfield approves, the release runs.
    with clock.travel(now - timedelta(days=24)):
        asked = services.submit_request(
            nadia,
            dataset,
            purpose="DS:MONDO:0005148",
            columns=["age", "sex", "postcode", "ethnicity", "diagnosis", "lab_value"],
            lay_summary="Compare how people with type 2 diabetes and heart disease fare on "
            "newer diabetes treatments, and who is not offered them.",
            public_benefit="Fairer prescribing of treatments that keep people with diabetes "
            "out of hospital with heart failure.",
            ethics_reference="IRAS 331245",
            project="Eastmoor cardiometabolic outcomes study",
            users=[alan],
        )
        clock.tick(2 * DAY)
        _, release = services.review_request(
            mei, asked, verdict="approve", note="Within the agreement; thank you for the detail."
        )
        clock.tick(timedelta(minutes=10))
        services.execute_release(release.pk)
        clock.tick(DAY)
        release.refresh_from_db()
        if release.status == "succeeded":
            services.download(nadia, release)

    # Helix asks for a narrower slice; it waits for Northfield's review.
    with clock.travel(now - timedelta(days=5)):
        services.submit_request(
            ravi,
            dataset,
            purpose="DS:MONDO:0005252",
            columns=["age", "sex", "diagnosis", "lab_value"],
            lay_summary="Estimate how often heart failure follows a diagnosis of type 2 "
            "diabetes, to size a trial of a new treatment.",
            public_benefit="A better-designed trial reaches patients sooner and needs fewer "
            "of them.",
            ethics_reference="IRAS 334410",
            project="Heart failure after diabetes",
            users=[laura],
        )

    # A patient in the release withdraws from the partnership: Eastmoor must act.
    with clock.travel(now - timedelta(days=2)):
        patient = _someone_released(northfield, numbers)
        if patient:
            consent.withdraw(mei, northfield, patient=patient, scope="partnership",
                             partnership=DATA)  # fmt: skip


def _someone_released(northfield, numbers) -> str | None:
    """A patient of the demo table whom the demo release contained."""
    releases = list(traceable_releases(northfield))
    if not releases:
        return None
    candidates = {registry.patient_hash(northfield, n) for n in numbers[100:400]}
    found = sorted(members(releases[0], candidates))
    return found[0] if found else None


def _sign_first_release_agreement(tom, data, northfield, eastmoor, helix, signers) -> None:
    agreement = agreements.create_agreement(
        tom,
        data,
        kind="data_sharing",
        title="Data-sharing agreement: first release of the cardiometabolic extract",
    )
    expires = (clock.now() + timedelta(days=335)).date().isoformat()
    for key, parameters in [
        (
            "objectives-shared",
            {
                "objectives": "Describe treatment and outcomes of people with type 2 diabetes "
                "and heart disease\nPrepare the fuller study under negotiation",
                "outcome_measure": "hospital admissions for heart failure per 1,000 patients",
            },
        ),
        (
            "governance-joint-board",
            {"chair": northfield.slug, "decision_rule": "unanimity", "dispute_route": "mediation"},
        ),
        (
            "data-protection-uk-gdpr",
            {
                "controller": northfield.slug,
                "article6_basis": "public_task",
                "article9_condition": "research",
                "security": "dspt",
                "onward_sharing": "prohibited",
            },
        ),
        (
            "data-use-duo",
            {
                "data_provider": northfield.slug,
                "recipients": [eastmoor.slug, helix.slug],
                "datasets": DATASET,
                "purpose": "Describe treatment and outcomes of people with type 2 diabetes and "
                "heart disease, before the fuller study",
                "permission": "HMB",
                "modifiers": "IRB, PUB, COL, GS:GB",
                "environment": "provider_tre",
                "expires_on": expires,
                "report_every": "3 months",
            },
        ),
        ("confidentiality-mutual", {}),
        ("ppi-transparency", {"panel": "the Eastmoor heart and diabetes patient forum"}),
        (
            "term-exit",
            {
                "starts_on": clock.now().date().isoformat(),
                "term": "12 months",
                "exit_data": "delete",
            },
        ),
    ]:
        clock.tick(timedelta(hours=2))
        agreements.add_clause(tom, agreement, clause_key=key, parameters=parameters)
    clock.tick(DAY)
    agreements.open_negotiation(tom, agreement)
    clock.tick(DAY)
    agreements.send_for_signature(tom, agreement)
    for signer in signers:
        clock.tick(DAY)
        agreements.sign(signer, agreement, password=DEMO_PASSWORD)
