"""carepact agreements list | verify | export."""

import io
import json

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document as WordDocument

from tests.integration.agreements.helpers import draft, signed


def run(*args) -> str:
    out = io.StringIO()
    call_command("agreements", *args, stdout=out)
    return out.getvalue()


def test_list_as_a_table_and_as_json(world):
    agreement = signed(world)
    draft(world, kind="ip", title="IP draft")
    assert "Scan triage MoU" in run("list") and "IP draft" in run("list")
    rows = json.loads(run("list", "--json", "--partnership", "scan-triage"))
    assert [(r["title"], r["status"], r["in_force"]) for r in rows] == [
        ("Scan triage MoU", "signed", 1),
        ("IP draft", "draft", None),
    ]
    assert rows[0]["sha256"] == agreement.versions.get().hash
    assert rows[0]["parties"] == ["northgate", "brightscan"]
    with pytest.raises(CommandError) as caught:
        run("list", "--partnership", "nowhere")
    assert caught.value.returncode == 2


def test_export_writes_each_format(world, tmp_path):
    agreement = signed(world)
    docx, pdf, md = tmp_path / "a.docx", tmp_path / "a.pdf", tmp_path / "a.md"
    run("export", str(agreement.pk), "--format", "docx", "--output", str(docx))
    run("export", str(agreement.pk), "--format", "pdf", "--output", str(pdf))
    assert "Wrote version 1" in run(
        "export", str(agreement.pk), "--version", "1", "--format", "md", "--output", str(md)
    )
    assert WordDocument(str(docx)).paragraphs[0].text == "Scan triage MoU"
    assert "Scan triage MoU" in pypdf.PdfReader(str(pdf)).pages[0].extract_text()
    assert md.read_text().startswith("# Scan triage MoU")


@pytest.mark.parametrize(
    "args",
    [
        ["export", "999", "--format", "md", "--output", "x.md"],  # no such agreement
        ["verify", "999"],
    ],
)
def test_unknown_agreements_exit_2(db, args):
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2


def test_export_to_an_unwritable_place_exits_2(world, tmp_path):
    agreement = signed(world)
    with pytest.raises(CommandError, match="Cannot write") as caught:
        run("export", str(agreement.pk), "--format", "md", "--output", str(tmp_path / "no/x.md"))
    assert caught.value.returncode == 2


def test_verify_with_nothing_signed(db):
    assert "Every signed version verifies: 0 versions." in run("verify")
