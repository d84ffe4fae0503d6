"""The instrument file: what it asks, and the rules a file must keep to be loaded."""

import copy

import pytest
import yaml

from carepact.engine.health import instrument as ins

RAW = yaml.safe_load((ins.INSTRUMENTS_DIR / "carepact-1.yaml").read_text())


def test_the_instrument_asks_what_the_design_names():
    found = ins.load("carepact-1")
    assert found.codes == tuple(f"C{n}" for n in range(1, 15))
    assert len(found.core_items) == 42
    assert [i.id for i in found.mistrust_items] == ["M.1", "M.2"]
    assert found.balance.id == "B" and found.influence.id == "I"
    assert [q.id for q in found.open] == ["O1", "O2"]
    assert [c.code for c in found.constructs if c.directional] == ["C2", "C7"]
    assert found.index_codes == tuple(f"C{n}" for n in range(1, 14))
    assert sum(i.pulse for i in found.core_items) == 14
    assert [i.id for i in found.core_items if i.reverse] == ["C9.3"]


def test_every_statement_is_distinct_and_written_out():
    found = ins.load()
    texts = [i.text for i in (*found.core_items, *found.mistrust_items)]
    assert len(set(texts)) == len(texts)
    assert all(len(t) > 20 and t.endswith((".", ")")) for t in texts)


def test_answer_keys_for_two_parties():
    found = ins.load()
    full = found.answer_keys("full", ["a", "b"])
    # 42 statements, C2 and C7 asked about both parties (+6), M about both (4), B, I×2, O1, O2
    assert len(full) == 42 + 6 + 4 + 1 + 2 + 2
    assert {"C2.1@a", "C2.1@b", "M.2@b", "I@a", "B", "O2"} <= set(full)
    assert found.answer_keys("full", ["a", "b"], step="C9") == [
        "C9.1",
        "C9.2",
        "C9.3",
        "I@a",
        "I@b",
    ]
    assert found.answer_keys("full", ["a", "b"], step="open") == ["O1", "O2"]
    pulse = found.answer_keys("pulse", ["a", "b"])
    assert len(pulse) == 14 + 2 and "C2.1@b" in pulse and "B" not in pulse
    assert found.steps("full")[-1] == "open" and found.steps("pulse") == ("pulse",)


def test_clean_answers_keeps_valid_values_and_names_the_rest():
    found = ins.load()
    cleaned, errors = ins.clean_answers(
        found,
        "full",
        ["a", "b"],
        {"C1.1": "4", "C1.2": "dk", "C1.3": "", "C3.1": "9", "Z": "1", "I@a": "na", "O1": " ok "},
    )
    assert cleaned == {"C1.1": 4, "C1.2": "dk", "O1": "ok"}
    assert set(errors) == {"C3.1", "Z", "I@a"}


def _broken(change):
    data = copy.deepcopy(RAW)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # a construct with two statements
        (lambda d: d["constructs"][0]["items"].pop(), "exactly three"),
        # two pulse anchors in one construct
        (lambda d: d["constructs"][0]["items"][1].update(pulse=True), "pulse anchor"),
        # a repeated id
        (lambda d: d["constructs"][1]["items"][0].update(id="C1.1"), "unique"),
        # a four-point scale
        (lambda d: d["scale"].pop(5), "1 to 5"),
        # no "don't know"
        (lambda d: d["missing"].pop("dk"), "'dk'"),
        # an empty statement
        (lambda d: d["constructs"][2]["items"][0].update(text=" "), "non-empty"),
        # an influence question with three options
        (lambda d: d["constructs"][8]["influence"]["options"].pop(5), "1 to 5"),
    ],
)
def test_a_broken_instrument_is_refused_with_the_reason(change, message):
    with pytest.raises(ins.InstrumentError, match=message):
        ins.parse(_broken(change))


def test_an_unknown_instrument_is_refused():
    with pytest.raises(ins.InstrumentError, match="no instrument"):
        ins.load("carepact-99")
