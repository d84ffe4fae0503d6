"""docs/health.md keeps up: every statement, rule, playbook entry and report field is in it."""

from datetime import date
from pathlib import Path

from carepact.engine.health import report, rules
from carepact.engine.health.instrument import load
from carepact.engine.health.playbook import entries

DOC = (Path(__file__).resolve().parents[3] / "docs" / "health.md").read_text()


def test_every_statement_is_documented_word_for_word():
    instrument = load()
    texts = [i.text for c in instrument.constructs for i in (*c.items, *c.mistrust)]
    texts += [
        instrument.balance.text,
        instrument.influence.text,
        *(q.text for q in instrument.open),
    ]
    missing = [t for t in texts if t not in DOC]
    assert not missing, missing


def test_every_rule_and_playbook_entry_is_documented():
    assert all(f"| {rule} " in DOC for rule in rules.RULES)
    assert all(e.title in DOC for e in entries().values())


def test_every_report_field_is_documented():
    wave = report.Wave(1, "full", "carepact-1", date(2026, 1, 1), (), (), {})
    fields = set(report.build(wave)) | {"partnership"}
    assert all(f"| `{name}" in DOC for name in fields), sorted(
        name for name in fields if f"| `{name}" not in DOC
    )
