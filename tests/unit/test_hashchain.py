from dataclasses import replace

from carepact.engine import hashchain


def chain(n: int) -> list[hashchain.Entry]:
    entries, prev = [], hashchain.GENESIS
    for seq in range(1, n + 1):
        payload = {"seq": seq, "action": f"thing.{seq}"}
        digest = hashchain.link_hash(payload, prev)
        entries.append(hashchain.Entry(f"event {seq}", seq, payload, prev, digest))
        prev = digest
    return entries


def test_canonical_json_ignores_key_order_and_spacing():
    assert hashchain.canonical_json({"b": 1, "a": "é"}) == hashchain.canonical_json(
        {"a": "é", "b": 1}
    )
    assert hashchain.canonical_json({"a": 1}) == b'{"a":1}'


def test_intact_chain_verifies():
    entries = chain(5)
    assert hashchain.verify(entries, head_seq=5, head_hash=entries[-1].hash) is None


def test_altered_payload_is_named():
    entries = chain(5)
    entries[2] = replace(entries[2], payload={"seq": 3, "action": "something else"})
    broken = hashchain.verify(entries, head_seq=5, head_hash=entries[-1].hash)
    assert broken.seq == 3 and "altered" in broken.problem


def test_deleted_middle_entry_is_named():
    entries = chain(5)
    del entries[1]
    broken = hashchain.verify(entries, head_seq=5, head_hash=entries[-1].hash)
    assert broken.seq == 3 and "missing" in broken.problem


def test_swapped_entries_break_the_chain():
    entries = chain(5)
    a, b = entries[1], entries[2]
    entries[1], entries[2] = replace(b, seq=2), replace(a, seq=3)
    broken = hashchain.verify(entries, head_seq=5, head_hash=entries[-1].hash)
    assert broken is not None and broken.seq == 2


def test_deleted_tail_is_caught_by_the_head():
    entries = chain(5)
    broken = hashchain.verify(entries[:4], head_seq=5, head_hash=entries[-1].hash)
    assert broken is not None and "end were deleted" in broken.problem


def test_empty_chain_with_empty_head_verifies():
    assert hashchain.verify([], head_seq=0, head_hash=hashchain.GENESIS) is None
