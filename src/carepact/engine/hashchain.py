"""Hash chains: the tamper evidence under the audit trail and signed agreements.

An entry's hash is SHA-256 over a canonical JSON encoding of its fields together with the
previous entry's hash. Changing, removing or reordering any entry changes every hash after
it, so recomputing the chain names the first entry that no longer fits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8, no NaN."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def link_hash(payload: Mapping[str, Any], prev_hash: str) -> str:
    """The hash of one chain entry: its payload bound to the hash before it."""
    return sha256_hex(canonical_json({"payload": dict(payload), "prev": prev_hash}))


@dataclass(frozen=True)
class Entry:
    """One stored entry as read back: where it sits, what it says, what it claims."""

    ref: str  # how to name the entry to a person, e.g. "event 41"
    seq: int
    payload: Mapping[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Break:
    """The first place a chain no longer holds, and what that means."""

    ref: str
    seq: int
    problem: str


def verify(
    entries: Iterable[Entry], *, head_seq: int | None, head_hash: str | None
) -> Break | None:
    """Recompute one chain from its first entry, in ``seq`` order.

    ``head_seq`` and ``head_hash`` are what the chain's head record says the last entry is;
    they catch entries removed from the end, which leave no gap behind them.
    """
    expected_prev = GENESIS
    expected_seq = 1
    last: Entry | None = None
    for entry in entries:
        if entry.seq != expected_seq:
            if entry.seq > expected_seq:
                missing = (
                    f"entry {expected_seq}"
                    if entry.seq == expected_seq + 1
                    else f"entries {expected_seq} to {entry.seq - 1}"
                )
                problem = f"{missing} of this chain are missing: deleted before {entry.ref}"
            else:
                problem = f"{entry.ref} repeats position {entry.seq}: the order was changed"
            return Break(entry.ref, entry.seq, problem)
        if entry.prev_hash != expected_prev:
            return Break(
                entry.ref,
                entry.seq,
                f"{entry.ref} does not follow the entry before it: "
                "an earlier entry was replaced or the order was changed",
            )
        if link_hash(entry.payload, entry.prev_hash) != entry.hash:
            return Break(
                entry.ref,
                entry.seq,
                f"{entry.ref} was altered: its contents no longer match its hash",
            )
        expected_prev = entry.hash
        expected_seq += 1
        last = entry
    last_seq = last.seq if last else 0
    if head_seq is not None and head_seq != last_seq:
        ref = last.ref if last else "the chain"
        return Break(
            ref,
            last_seq,
            f"the chain ends at position {last_seq} but its head records {head_seq}: "
            "entries at the end were deleted",
        )
    if head_hash is not None and last is not None and head_hash != last.hash:
        return Break(last.ref, last.seq, f"{last.ref} differs from the hash its head records")
    return None
