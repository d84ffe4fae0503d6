"""Word, PDF and Markdown exports, opened and read back."""

import io

import pypdf
from docx import Document as WordDocument

from carepact.agreements import documents, services
from carepact.partnerships.models import GlossaryAgreement, GlossaryTerm
from tests.integration.agreements.helpers import draft, mou_clauses, signed


def with_glossary(world):
    agreed = GlossaryTerm.objects.create(
        partnership=world.partnership, term="Urgent finding", definition="Reported within 24h."
    )
    for org in (world.trust, world.company):
        GlossaryAgreement.objects.create(term=agreed, organisation=org)
    GlossaryTerm.objects.create(  # not agreed by every party: not a defined term
        partnership=world.partnership, term="Turnaround", definition="Hours."
    )


def test_word_export_of_a_signed_version(world):
    with_glossary(world)
    agreement = signed(world)
    version = services.current_version(agreement)
    content, content_type, filename = documents.export(agreement, version, "docx")
    assert content_type.endswith("wordprocessingml.document")
    assert filename == "scan-triage-mou-v1.docx"
    word = WordDocument(io.BytesIO(content))
    text = [p.text for p in word.paragraphs]
    assert text[0] == "Scan triage MoU"
    assert "Northgate NHS Trust (NHS trust or hospital)" in text
    assert "Brightscan AI (Health-tech company)" in text
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading 2")]
    assert headings[0] == "1. Objectives and shared vision" and len(headings) == 8
    assert any(t.startswith("1.1\tThe parties enter into this agreement") for t in text)
    assert any(t.startswith("Urgent finding") for t in text)  # the agreed term
    assert not any(t.startswith("Turnaround") for t in text)  # not agreed by everyone
    schedule, signatures = word.tables
    rows = [[c.text for c in row.cells] for row in schedule.rows]
    assert ["8. Term, review and exit", "Lasts for", "24 months"] in rows
    names = [[c.text for c in row.cells] for row in signatures.rows][1:]
    assert [n[:2] for n in names] == [
        ["Northgate NHS Trust", "Lee Lead"],
        ["Brightscan AI", "Ada Admin"],
    ]
    assert all(n[3] and n[3] != "not signed" for n in names)
    footer = word.sections[0].footer.paragraphs[0].text
    assert version.hash in footer and "version 1" in footer


def test_pdf_export_of_a_signed_version(world):
    agreement = signed(world)
    version = services.current_version(agreement)
    content, content_type, _ = documents.export(agreement, version, "pdf")
    assert content_type == "application/pdf" and content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(content))
    pages = [page.extract_text() for page in reader.pages]
    whole = "\n".join(pages)
    assert "Scan triage MoU" in pages[0] and "Brightscan AI" in pages[0]
    assert "1. Objectives and shared vision" in whole
    assert "Schedule of parameters" in whole and "Signatures" in whole
    assert "Lee Lead" in whole and "Ada Admin" in whole
    assert all(version.hash in page.replace("\n", "") for page in pages)  # every footer


def test_markdown_export_and_an_unsigned_draft(world):
    agreement = draft(world, clauses={"term-exit": mou_clauses("x")["term-exit"]})
    version = services.current_version(agreement)
    content, _, filename = documents.export(agreement, version, "md")
    text = content.decode()
    assert filename.endswith("-v1.md")
    assert text.startswith("# Scan triage MoU\n")
    assert "### 1. Term, review and exit" in text
    assert "| 1. Term, review and exit | Lasts for | 24 months |" in text
    assert "| Northgate NHS Trust | — | not signed |" in text
    assert text.rstrip().endswith("not signed: no fingerprint yet")
