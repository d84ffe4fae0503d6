"""The reference engine: the meaning of a release spec in plain Python, for small data.

It reads rows as Python values, groups them with dictionaries, tries every node of the
lattice (no pruning, so it is also the brute-force check of the fast engine's
optimality), and writes with the same writer. The DuckDB engine must agree with it on
every behaviour table and on generated inputs, byte for byte.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable

import duckdb
import numpy as np
import pyarrow as pa

from carepact.engine.release.errors import ReleaseError
from carepact.engine.release.hierarchy import build_domain
from carepact.engine.release.io import InputPlan, ReleaseWriter, id_expression, quote
from carepact.engine.release.model import (
    Analysis,
    HashedExclusions,
    NodeOutcome,
    class_ok,
    entropy_of,
    loss_fraction,
    max_suppressed,
)
from carepact.engine.release.pseudonym import pseudonym
from carepact.engine.release.spec import ReleaseSpec


class ReferenceEngine:
    name = "reference"

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        spec: ReleaseSpec,
        plan: InputPlan,
        exclusions: tuple[str, ...],
        hashed: HashedExclusions | None = None,
    ) -> None:
        self.spec = spec
        self.excluded = set(exclusions)
        self.hashed = hashed if hashed is not None and hashed.digests else None
        self.excluded_by_hash = 0
        cols = [*spec.qi_columns, *spec.sensitive_columns, *spec.keep]
        select = ", ".join(quote(c) for c in cols)
        table = con.sql(
            f"SELECT {id_expression(spec)} AS _pid, {select} FROM {plan.relation}"  # noqa: S608
        ).to_arrow_table()
        self.types = {c: table.schema.field(c).type for c in cols}
        self.all_rows = table.to_pylist()
        self.analysis: Analysis | None = None
        self.rows: list[dict] = []
        self.outcomes: dict[tuple[int, ...], tuple[NodeOutcome, dict]] = {}

    def analyse(self, progress: Callable[[float], None] | None = None) -> Analysis:
        spec = self.spec
        if not self.all_rows:
            raise ReleaseError("input has no rows")
        if self.hashed:
            by_hash = {
                r["_pid"]
                for r in self.all_rows
                if r["_pid"] is not None
                and r["_pid"] not in self.excluded
                and bytes.fromhex(pseudonym(self.hashed.key, r["_pid"])) in self.hashed.digests
            }
            self.excluded_by_hash = sum(1 for r in self.all_rows if r["_pid"] in by_hash)
            self.excluded |= by_hash
        no_id = [r for r in self.all_rows if r["_pid"] is None]
        excluded = [
            r for r in self.all_rows if r["_pid"] is not None and r["_pid"] in self.excluded
        ]
        self.rows = [
            r for r in self.all_rows if r["_pid"] is not None and r["_pid"] not in self.excluded
        ]
        n = len(self.rows)
        if n == 0:
            raise ReleaseError("no rows are left once consent exclusions are applied")
        if spec.privacy.k > n:
            raise ReleaseError(
                f"k ({spec.privacy.k}) is larger than the number of rows that may be released ({n})"
            )
        domains = []
        for q in spec.quasi_identifiers:
            values = list(dict.fromkeys(r[q.column] for r in self.rows))
            domains.append(build_domain(q.column, q.hierarchy, values))
        self.domains = domains
        self.value_index = [
            {v: i for i, v in enumerate(dict.fromkeys(r[q.column] for r in self.rows))}
            for q in spec.quasi_identifiers
        ]
        nodes = list(itertools.product(*(range(d.height) for d in domains)))
        for i, node in enumerate(nodes):
            self.outcomes[node] = self._evaluate(node)
            if progress:
                progress((i + 1) / len(nodes))
        passing = [o for o, _ in self.outcomes.values() if o.passes]
        metric = spec.privacy.metric
        passing.sort(key=lambda o: o.rank(metric))
        best = passing[0] if passing else None
        class_sizes = (
            sorted(
                len(v)
                for k, v in self.outcomes[best.levels][1].items()
                if k in self._released(best.levels)
            )
            if best
            else []
        )
        self.analysis = Analysis(
            rows_in=len(self.all_rows),
            excluded_consent=len(excluded),
            excluded_no_id=len(no_id),
            domains=domains,
            best=best,
            class_sizes=class_sizes,
            lattice_size=len(nodes),
            evaluated=len(nodes),
            tagged=0,
            pruned=0,
            candidates=passing,
        )
        return self.analysis

    def label(self, q: int, level: int, value: object) -> str | None:
        d = self.domains[q]
        return d.labels[level][d.codes[level][self.value_index[q][value]]]

    def _classes(self, node: tuple[int, ...]) -> dict[tuple, list[dict]]:
        classes: dict[tuple, list[dict]] = defaultdict(list)
        for r in self.rows:
            key = tuple(
                self.label(q, lv, r[c])
                for q, (lv, c) in enumerate(zip(node, self.spec.qi_columns, strict=True))
            )
            classes[key].append(r)
        return classes

    def _class_verdict(self, members: list[dict]) -> tuple[bool, list[float]]:
        distinct, entropy, l_values = [], [], []
        for s in self.spec.sensitive:
            counts = Counter(r[s.column] for r in members)
            distinct.append(len(counts))
            entropy.append(entropy_of(list(counts.values())))
            if s.kind == "entropy":
                import math

                l_values.append(math.exp(entropy[-1]))
            else:
                l_values.append(float(len(counts)))
        return class_ok(self.spec, len(members), distinct, entropy), l_values

    def _released(self, node: tuple[int, ...]) -> set[tuple]:
        return self.outcomes[node][1]["released"]

    def _evaluate(self, node: tuple[int, ...]) -> tuple[NodeOutcome, dict]:
        spec = self.spec
        classes = self._classes(node)
        released: set[tuple] = set()
        suppressed = 0
        l_mins: list[float] = [float("inf")] * len(spec.sensitive)
        for key, members in classes.items():
            ok, l_values = self._class_verdict(members)
            if ok:
                released.add(key)
                l_mins = [min(a, b) for a, b in zip(l_mins, l_values, strict=True)]
            else:
                suppressed += len(members)
        n = len(self.rows)
        nums = []
        for q, (d, lv) in enumerate(zip(self.domains, node, strict=True)):
            total = 0
            for key, members in classes.items():
                if key in released:
                    for r in members:
                        total += int(
                            d.ncp_num[lv][d.codes[lv][self.value_index[q][r[spec.qi_columns[q]]]]]
                        )
            nums.append(total + suppressed * d.ncp_den)
        loss = loss_fraction(
            [q.weight for q in spec.quasi_identifiers], [d.ncp_den for d in self.domains], nums, n
        )
        dm = sum(len(classes[k]) ** 2 for k in released) + suppressed * n
        sizes = [len(classes[k]) for k in released]
        outcome = NodeOutcome(
            levels=node,
            passes=suppressed <= max_suppressed(spec, n) and suppressed < n,
            suppressed=suppressed,
            classes=len(released),
            loss=loss,
            discernibility=dm,
            k_achieved=min(sizes) if sizes else 0,
            l_achieved=tuple(v if sizes else 0.0 for v in l_mins),
        )
        return outcome, {"released": released, **classes}

    def write(
        self,
        key: bytes,
        writer: ReleaseWriter,
        block_rows: int,
        progress: Callable[[float], None] | None = None,
        membership_key: bytes | None = None,
    ) -> tuple[int, np.ndarray, None]:
        spec = self.spec
        assert self.analysis is not None and self.analysis.best is not None
        node = self.analysis.best.levels
        released = self._released(node)
        out_rows = []
        for r in self.rows:
            labels = tuple(
                self.label(q, lv, r[c])
                for q, (lv, c) in enumerate(zip(node, spec.qi_columns, strict=True))
            )
            if labels not in released:
                continue
            digest_hex = pseudonym(key, r["_pid"])
            row = {"pseudonym": digest_hex, "_pid": r["_pid"]}
            row.update(dict(zip(spec.qi_columns, labels, strict=True)))
            for c in (*spec.sensitive_columns, *spec.keep):
                row[c] = r[c]
            out_rows.append(row)
        digests = []
        written = 0
        for start in range(0, len(out_rows), block_rows):
            block = out_rows[start : start + block_rows]
            # Shuffle by pseudonym within the block (input order among equal ones).
            block = sorted(block, key=lambda row: row["pseudonym"])
            table = pa.Table.from_pylist(block, schema=writer.schema)
            writer.write_block(table)
            if membership_key is not None and membership_key != key:
                digests.extend(
                    bytes.fromhex(pseudonym(membership_key, row["_pid"])) for row in block
                )
            else:
                digests.extend(bytes.fromhex(row["pseudonym"]) for row in block)
            written += len(block)
        if progress:
            progress(1.0)
        digest_rows = np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(-1, 32)
        return written, digest_rows, None  # the index sorts them all
