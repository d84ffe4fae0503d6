"""Demo consent registry for Northfield: synthetic patients, a national opt-out list with a
few bad lines, and choices imported as FHIR Consent, through the services.

The synthetic patient table (the release engine's generator: nothing in it is a real
person) is written here, under the data directory, because the registry's choices are
about its patients; the data demo then offers it in the Eastmoor partnership.
"""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from pathlib import Path

import pyarrow.parquet as pq
from django.conf import settings

from carepact.accounts.demo import organisation, person
from carepact.core import clock
from carepact.core.demos import DemoContext
from carepact.engine.release.synth import write_ethnicity_hierarchy, write_patients

from . import fhir, services

PATIENTS = "northfield/cardiometabolic-extract.parquet"
ETHNICITY_HIERARCHY = "northfield/ethnicity-hierarchy.csv"
ROWS = 20_000
SEED = 2026
DATA_PARTNERSHIP = "eastmoor-cardiometabolic-data-partnership"


def patients_path() -> Path:
    return Path(settings.DATA_DIR) / "datasets" / PATIENTS


def demo_numbers() -> list[str]:
    """The NHS numbers of the synthetic table, in its order (written if missing)."""
    path = patients_path()
    if not path.exists():
        write_patients(path, ROWS, seed=SEED)
        write_ethnicity_hierarchy(path.parent / Path(ETHNICITY_HIERARCHY).name)
    return pq.read_table(path, columns=["nhs_number"]).column(0).to_pylist()


def _spoil(number: str) -> str:
    return number[:9] + str((int(number[9]) + 1) % 10)


def load(ctx: DemoContext) -> None:
    northfield = organisation("northfield")
    mei = person("mei.chen")
    numbers = demo_numbers()
    now = clock.now()
    # The national data opt-out list, checked two months ago: 2% of patients, and three
    # lines whose check digit is wrong, as real lists have.
    with clock.travel(now - timedelta(days=60)):
        opted_out = numbers[::50]
        lines = ["nhs_number", *opted_out, *(_spoil(n) for n in numbers[1:4])]
        services.import_optouts(
            mei,
            northfield,
            content="\n".join(lines) + "\n",
            filename="ndop-check-result.csv",
        )
    # Choices from the trust's consent system, as FHIR Consent: five people on the opt-out
    # list who consented to this partnership's study, and forty who said no to companies.
    with clock.travel(now - timedelta(days=45)):
        resources = []
        for n in opted_out[:5]:
            resources.append(_consent(n, "permit", partnership=DATA_PARTNERSHIP))
        for n in numbers[7:2007:50]:
            resources.append(_consent(n, "deny", recipients="commercial"))
        bundle = {"resourceType": "Bundle", "type": "collection",
                  "entry": [{"resource": r} for r in resources]}  # fmt: skip
        services.import_fhir(
            mei, northfield, content=json.dumps(bundle), filename="consent-system-export.json"
        )


def _consent(number: str, decision: str, *, partnership=None, recipients=None) -> dict:
    provision: dict = {"type": decision}
    extensions = []
    if partnership:
        extensions.append({"url": fhir.EXT_PARTNERSHIP, "valueString": partnership})
    if recipients:
        extensions.append({"url": fhir.EXT_RECIPIENTS, "valueCode": recipients})
    if extensions:
        provision["extension"] = extensions
    return {
        "resourceType": "Consent",
        "status": "active",
        "scope": {"coding": [fhir.SCOPE]},
        "category": [{"coding": [fhir.CATEGORY]}],
        "patient": {"identifier": {"system": fhir.NHS_NUMBER_SYSTEM, "value": number}},
        "dateTime": clock.now().astimezone(UTC).isoformat(),
        "provision": provision,
    }
