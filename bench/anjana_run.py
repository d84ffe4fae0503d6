"""Run anjana's l-diversity on a prepared table; for the oracle environment's Python only.

    anjana_run.py DATA.csv HIERARCHIES.json OUT.csv K L SUPPRESSION_PERCENT

Every column is read as text (the hierarchies list labels as text). Prints one JSON line
with the wall time and the rows anjana kept. carepact never imports anjana.
"""

import contextlib
import io
import json
import sys
import time

import pandas as pd
from anjana.anonymity import l_diversity


def main() -> None:
    data_path, hier_path, out_path, k, l_div, supp = sys.argv[1:7]
    data = pd.read_csv(data_path, dtype=str, keep_default_na=False)
    with open(hier_path) as fh:
        raw = json.load(fh)
    hierarchies = {
        qi: {int(level): values for level, values in levels.items()} for qi, levels in raw.items()
    }
    qis = list(hierarchies)
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        out = l_diversity(data, [], qis, "diagnosis", int(k), int(l_div), float(supp), hierarchies)
    wall = time.perf_counter() - start
    out.to_csv(out_path, index=False)
    print(json.dumps({"wall": wall, "rows_out": len(out)}))


if __name__ == "__main__":
    main()
