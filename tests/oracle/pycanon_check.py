"""Measure released tables with pycanon, an independent k-anonymity library.

Run with the oracle environment's Python (``.venv-oracle/bin/python``), never imported by
carepact. Reads a JSON list of ``{"file", "qi", "sensitive"}`` on standard input and
prints, for each file, the k and the distinct and entropy l that pycanon measures.
"""

import json
import sys

import pandas as pd
from pycanon import anonymity


def measure(item: dict) -> dict:
    path = item["file"]
    data = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    qi = item["qi"]
    # pycanon groups with pandas, which drops missing keys; fill them so every row counts.
    data[qi] = data[qi].astype("string").fillna("<missing>")
    if data.empty:
        return {"rows": 0}
    out = {"rows": len(data), "k": int(anonymity.k_anonymity(data, qi))}
    sens = item.get("sensitive") or []
    if sens:
        data[sens] = data[sens].astype("string").fillna("<missing>")
        out["l"] = {s: int(anonymity.l_diversity(data, qi, [s])) for s in sens}
        out["entropy_l"] = {s: int(anonymity.entropy_l_diversity(data, qi, [s])) for s in sens}
    return out


def main() -> None:
    items = json.load(sys.stdin)
    json.dump({item["file"]: measure(item) for item in items}, sys.stdout)


if __name__ == "__main__":
    main()
