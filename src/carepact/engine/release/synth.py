"""Synthetic patient tables for examples, tests and benchmarks.

The tables look like hospital admissions in England: an older, skewed age profile, more
women than men, a long tail of small postcode districts, ethnicity in NHS ethnic-category
codes with census-like shares, a deprivation decile tied to the district, ICD-10
diagnoses with a few very common codes, admissions thinner at weekends, and a lab value.
Every NHS number is unique and passes its checksum. Nothing here is a real person.

Generation is chunked so memory stays flat at any size, and seeded so the same arguments
give the same file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

# Postcode areas of the United Kingdom; districts are made up beneath them.
_AREAS = [
    "AB",
    "AL",
    "B",
    "BA",
    "BB",
    "BD",
    "BH",
    "BL",
    "BN",
    "BR",
    "BS",
    "BT",
    "CA",
    "CB",
    "CF",
    "CH",
    "CM",
    "CO",
    "CR",
    "CT",
    "CV",
    "CW",
    "DA",
    "DD",
    "DE",
    "DG",
    "DH",
    "DL",
    "DN",
    "DT",
    "DY",
    "E",
    "EC",
    "EH",
    "EN",
    "EX",
    "FK",
    "FY",
    "G",
    "GL",
    "GU",
    "HA",
    "HD",
    "HG",
    "HP",
    "HR",
    "HS",
    "HU",
    "HX",
    "IG",
    "IP",
    "IV",
    "KA",
    "KT",
    "KW",
    "KY",
    "L",
    "LA",
    "LD",
    "LE",
    "LL",
    "LN",
    "LS",
    "LU",
    "M",
    "ME",
    "MK",
    "ML",
    "N",
    "NE",
    "NG",
    "NN",
    "NP",
    "NR",
    "NW",
    "OL",
    "OX",
    "PA",
    "PE",
    "PH",
    "PL",
    "PO",
    "PR",
    "RG",
    "RH",
    "RM",
    "S",
    "SA",
    "SE",
    "SG",
    "SK",
    "SL",
    "SM",
    "SN",
    "SO",
    "SP",
    "SR",
    "SS",
    "ST",
    "SW",
    "SY",
    "TA",
    "TD",
    "TF",
    "TN",
    "TQ",
    "TR",
    "TS",
    "TW",
    "UB",
    "W",
    "WA",
    "WC",
    "WD",
    "WF",
    "WN",
    "WR",
    "WS",
    "WV",
    "YO",
    "ZE",
]
_DIVERSE_AREAS = frozenset(
    [
        "B",
        "BD",
        "E",
        "EC",
        "LE",
        "LS",
        "M",
        "N",
        "NW",
        "SE",
        "SW",
        "UB",
        "W",
        "WC",
        "IG",
        "HA",
        "CR",
    ]
)

# NHS ethnic category codes with shares close to England's 2021 census.
_ETHNICITY = {
    "A": 0.735,
    "B": 0.006,
    "C": 0.060,
    "D": 0.005,
    "E": 0.004,
    "F": 0.004,
    "G": 0.005,
    "H": 0.032,
    "J": 0.027,
    "K": 0.011,
    "L": 0.016,
    "M": 0.007,
    "N": 0.024,
    "P": 0.005,
    "R": 0.008,
    "S": 0.014,
    "Z": 0.040,
}
ETHNICITY_GROUPS = {
    "A": "White",
    "B": "White",
    "C": "White",
    "D": "Mixed",
    "E": "Mixed",
    "F": "Mixed",
    "G": "Mixed",
    "H": "Asian",
    "J": "Asian",
    "K": "Asian",
    "L": "Asian",
    "M": "Black",
    "N": "Black",
    "P": "Black",
    "R": "Other",
    "S": "Other",
    "Z": "Not stated",
}

# Share of admissions by five-year age band, 0-4 up to 100-104.
_AGE_BANDS = np.array(
    [6, 2, 2, 3, 4, 5, 5.5, 5, 5, 5.5, 6.5, 7, 7.5, 8, 9, 8.5, 7, 5, 2.5, 0.8, 0.15]
)

_ADULT_DIAGNOSES = [
    "I10",
    "E11",
    "J44",
    "I50",
    "N39",
    "J18",
    "K80",
    "R07",
    "I48",
    "S72",
    "I21",
    "I63",
    "C34",
    "C50",
    "M17",
    "K57",
    "E87",
    "R55",
    "F32",
    "J45",
    "N18",
    "K21",
    "D64",
    "L03",
    "M54",
    "R10",
    "I25",
    "K92",
    "C18",
    "G40",
    "Z51",
    "O80",
    "E78",
    "J22",
    "K29",
    "A41",
    "R06",
    "N17",
    "F10",
    "H26",
]
_CHILD_DIAGNOSES = [
    "J06",
    "A09",
    "R50",
    "J21",
    "J45",
    "S06",
    "K35",
    "B34",
    "H66",
    "L20",
    "R11",
    "P59",
]

_FIRST_NAMES = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Noah",
    "Oliver",
    "George",
    "Arthur",
    "Leo",
    "Muhammad",
    "Harry",
    "Aisha",
]
_SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Khan",
    "Evans",
    "Ali",
]
_STREETS = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Victoria Road",
    "Park Avenue",
    "Mill Lane",
]

DATE_START = dt.date(2023, 1, 1)
DATE_DAYS = 731


def _districts(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Made-up districts under real areas, with a long tail of sizes and a base decile."""
    names, weights, diverse = [], [], []
    for area in _AREAS:
        count = int(rng.integers(4, 45))
        area_weight = float(rng.lognormal(0.0, 0.6))
        for number in range(1, count + 1):
            names.append(f"{area}{number}")
            weights.append(area_weight * float(rng.lognormal(0.0, 0.8)))
            diverse.append(area in _DIVERSE_AREAS)
    w = np.array(weights)
    return np.array(names, dtype=object), w / w.sum(), np.array(diverse)


def _nhs_numbers(start: int, count: int) -> tuple[np.ndarray, int]:
    """``count`` unique NHS numbers from position ``start`` of a fixed scrambled sequence.

    The nine-digit body is an affine bijection of the position, so bodies never repeat;
    positions whose check digit would be 10 (never issued) are skipped.
    """
    out: list[np.ndarray] = []
    have = 0
    pos = start
    while have < count:
        idx = np.arange(pos, pos + (count - have) * 12 // 10 + 16, dtype=np.int64)
        body = 400_000_000 + (idx * 387_420_489 + 91_138_233) % 599_999_999
        digits = np.stack([(body // 10**p) % 10 for p in range(8, -1, -1)], axis=1)
        total = (digits * np.arange(10, 1, -1)).sum(axis=1)
        check = (11 - total % 11) % 11
        ok = check != 10
        bodies = body[ok] * 10 + check[ok]
        take = min(len(bodies), count - have)
        out.append(bodies[:take])
        have += take
        pos = int(idx[ok][take - 1]) + 1 if take else int(idx[-1]) + 1
    return np.concatenate(out), pos


def generate_chunks(
    rows: int,
    *,
    seed: int = 0,
    postcode: str = "district",
    direct_identifiers: bool = False,
    chunk_rows: int = 1_000_000,
):
    """Yield Arrow record batches that together hold ``rows`` synthetic admissions."""
    if postcode not in ("district", "full"):
        raise ValueError("postcode is 'district' or 'full'")
    rng = np.random.default_rng(seed)
    districts, dweights, ddiverse = _districts(rng)
    base_decile = rng.integers(1, 11, size=len(districts))
    eth_codes = np.array(list(_ETHNICITY), dtype=object)
    eth_p = np.array(list(_ETHNICITY.values()))
    eth_p = eth_p / eth_p.sum()
    eth_p_diverse = eth_p.copy()
    eth_p_diverse[0] *= 0.55
    eth_p_diverse = eth_p_diverse / eth_p_diverse.sum()
    adult_p = 1.0 / np.arange(1, len(_ADULT_DIAGNOSES) + 1) ** 0.9
    adult_p /= adult_p.sum()
    child_p = 1.0 / np.arange(1, len(_CHILD_DIAGNOSES) + 1) ** 0.8
    child_p /= child_p.sum()
    day = np.arange(DATE_DAYS)
    weekday = np.array([(DATE_START + dt.timedelta(days=int(d))).weekday() for d in day]) < 5
    month = np.array([(DATE_START + dt.timedelta(days=int(d))).month for d in day])
    day_p = np.where(weekday, 1.0, 0.7) * np.where(np.isin(month, [12, 1, 2]), 1.15, 1.0)
    day_p /= day_p.sum()
    age_p = _AGE_BANDS / _AGE_BANDS.sum()
    epoch = np.datetime64(DATE_START.isoformat(), "D")

    done = 0
    nhs_pos = 0
    while done < rows:
        n = min(chunk_rows, rows - done)
        nhs, nhs_pos = _nhs_numbers(nhs_pos, n)
        band = rng.choice(len(age_p), size=n, p=age_p)
        age = (band * 5 + rng.integers(0, 5, size=n)).astype(np.int16)
        sex = rng.choice(np.array(["F", "M", "U"], dtype=object), size=n, p=[0.52, 0.4795, 0.0005])
        d_idx = rng.choice(len(districts), size=n, p=dweights)
        district = districts[d_idx]
        diverse = ddiverse[d_idx]
        ethnicity = np.where(
            diverse,
            rng.choice(eth_codes, size=n, p=eth_p_diverse),
            rng.choice(eth_codes, size=n, p=eth_p),
        )
        decile = np.clip(base_decile[d_idx] + np.rint(rng.normal(0, 1.2, size=n)), 1, 10)
        child = age < 16
        diagnosis = np.where(
            child,
            rng.choice(np.array(_CHILD_DIAGNOSES, dtype=object), size=n, p=child_p),
            rng.choice(np.array(_ADULT_DIAGNOSES, dtype=object), size=n, p=adult_p),
        )
        admission = epoch + rng.choice(DATE_DAYS, size=n, p=day_p).astype("timedelta64[D]")
        lab = np.round(rng.lognormal(1.6, 1.0, size=n), 1)
        if postcode == "full":
            sector = rng.integers(0, 10, size=n).astype(str)
            letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"), dtype=object)
            unit = rng.choice(letters, size=n) + rng.choice(letters, size=n)
            pc = district + " " + sector.astype(object) + unit
            pc_array = pa.array(pc, type=pa.string())
        else:
            pc_array = pa.array(district, type=pa.string())
        columns = {
            "nhs_number": pa.array(nhs.astype(str), type=pa.string()),
            "age": pa.array(age, type=pa.int16()),
            "sex": pa.array(sex, type=pa.string()),
            "postcode": pc_array,
            "ethnicity": pa.array(ethnicity, type=pa.string()),
            "deprivation_decile": pa.array(decile.astype(np.int8), type=pa.int8()),
            "diagnosis": pa.array(diagnosis, type=pa.string()),
            "admission_date": pa.array(admission, type=pa.date32()),
            "lab_value": pa.array(lab, type=pa.float64()),
        }
        if direct_identifiers:
            first = rng.choice(np.array(_FIRST_NAMES, dtype=object), size=n)
            last = rng.choice(np.array(_SURNAMES, dtype=object), size=n)
            columns["name"] = pa.array(first + " " + last, type=pa.string())
            house = rng.integers(1, 200, size=n).astype(str).astype(object)
            columns["address"] = pa.array(
                house + " " + rng.choice(np.array(_STREETS, dtype=object), size=n),
                type=pa.string(),
            )
            phone = rng.integers(100_000_000, 999_999_999, size=n).astype(str).astype(object)
            columns["phone"] = pa.array("07" + phone, type=pa.string())
        yield pa.RecordBatch.from_pydict(columns)
        done += n


def write_patients(path: Path, rows: int, **options) -> Path:
    """Write a synthetic admissions table to ``path`` (Parquet, or CSV if it ends .csv)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    writer = None
    try:
        for batch in generate_chunks(rows, **options):
            if writer is None:
                if path.suffix == ".csv":
                    import pyarrow.csv as pacsv

                    writer = pacsv.CSVWriter(str(tmp), batch.schema)
                else:
                    writer = pq.ParquetWriter(str(tmp), batch.schema, compression="zstd")
            writer.write_batch(batch)
    finally:
        if writer is not None:
            writer.close()
    os.replace(tmp, path)
    return path


def write_optouts(
    patients: Path,
    path: Path,
    *,
    share: float,
    seed: int = 1,
    invalid: int = 0,
    column: str = "nhs_number",
) -> int:
    """Write a consent opt-out list naming ``share`` of the patients in ``patients``.

    ``invalid`` adds that many numbers whose check digit is wrong, as real lists have.
    Returns the number of valid entries written.
    """
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        src = str(patients).replace("'", "''")
        reader = "read_csv_auto" if str(patients).endswith(".csv") else "read_parquet"
        ids = con.sql(f"SELECT CAST({column} AS VARCHAR) FROM {reader}('{src}')").to_arrow_table()  # noqa: S608
    finally:
        con.close()
    ids_np = np.asarray(ids.column(0).to_numpy(zero_copy_only=False), dtype=object)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(ids_np), size=int(len(ids_np) * share), replace=False)
    values = list(ids_np[np.sort(chosen)])
    for i in range(invalid):
        good = int(values[i % max(1, len(values))]) if values else 4_000_000_000
        values.append(str((good // 10) * 10 + (good % 10 + 1) % 10))
    table = pa.table({column: pa.array(values, type=pa.string())})
    import pyarrow.csv as pacsv

    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    pacsv.write_csv(table, str(tmp))
    os.replace(tmp, path)
    return len(chosen)


def write_ethnicity_hierarchy(path: Path) -> Path:
    """The categorical hierarchy for NHS ethnic category codes: code, group, *."""
    path = Path(path)
    lines = [f"{code},{group},*" for code, group in ETHNICITY_GROUPS.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--postcode", choices=["district", "full"], default="district")
    parser.add_argument("--direct-identifiers", action="store_true")
    args = parser.parse_args(argv)
    write_patients(
        args.path,
        args.rows,
        seed=args.seed,
        postcode=args.postcode,
        direct_identifiers=args.direct_identifiers,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
