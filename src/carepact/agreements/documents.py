"""An agreement version as a document: Markdown, Word (python-docx) and PDF (WeasyPrint).

Every format has the same parts: a title page with the parties, defined terms from the
partnership glossary, the numbered clauses, a schedule of parameters, a signature block
with names and dates, and the version's SHA-256 in the footer (or a note that the version
is not signed, so has no fingerprint yet).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from carepact.agreements import services
from carepact.agreements.models import Agreement, AgreementVersion
from carepact.agreements.services.drafting import ClauseView
from carepact.core import clock
from carepact.engine.agreements.topics import KINDS, Kind

FORMATS = {
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "pdf": ("application/pdf", "pdf"),
    "md": ("text/markdown; charset=utf-8", "md"),
}
STATUS_WORDS = {
    "draft": "Draft",
    "negotiating": "Under negotiation",
    "signing": "Out for signature",
    "signed": "Signed",
    "superseded": "Signed, since superseded by an amendment",
}
CSS = Path(__file__).with_name("document.css")


@dataclass
class SignatureLine:
    party: str
    signer: str
    title: str
    signed_on: str  # "" when not yet signed


@dataclass
class Document:
    title: str
    kind: str
    partnership: str
    version: int
    status: str
    fingerprint: str
    amends: str
    generated: str
    parties: list[tuple[str, str]]  # (name, kind)
    terms: list[dict]
    clauses: list[ClauseView]
    schedule: list[tuple[str, str, str]]  # (clause "3. Governance", parameter, value)
    signatures: list[SignatureLine]

    @property
    def footer(self) -> str:
        if self.fingerprint:
            return f"{self.title}, version {self.version} · SHA-256 {self.fingerprint}"
        return f"{self.title}, version {self.version} · not signed: no fingerprint yet"

    @property
    def filename_stem(self) -> str:
        from django.utils.text import slugify

        return f"{slugify(self.title)[:60] or 'agreement'}-v{self.version}"


def _date(moment) -> str:
    return timezone.localtime(moment).strftime("%-d %B %Y") if moment else ""


def build(agreement: Agreement, version: AgreementVersion) -> Document:
    """Everything the three formats print, from the stored version."""
    views = services.clause_views(version)
    signatures = {s.organisation_id: s for s in version.signatures.all()}
    parties = services.party_organisations(agreement)
    ctx = services.context_for(agreement, version)
    return Document(
        title=agreement.title,
        kind=KINDS[Kind(agreement.kind)].label,
        partnership=agreement.partnership.title,
        version=version.number,
        status=STATUS_WORDS[version.status]
        + (f" on {_date(version.signed_at)}" if version.signed_at else ""),
        fingerprint=version.hash,
        amends=(
            f"This version amends version {version.amends.number} (SHA-256 {version.amends.hash})."
            if version.amends_id
            else ""
        ),
        generated=_date(clock.now()),
        parties=[(ctx.party_name(o.slug), o.get_kind_display()) for o in parties],
        terms=services.defined_terms(agreement, version),
        clauses=views,
        schedule=[
            (f"{v.number}. {v.title}", label, value)
            for v in views
            for _, label, value in v.parameters
        ],
        signatures=[
            SignatureLine(
                party=signatures[o.pk].organisation_name if o.pk in signatures else o.name,
                signer=signatures[o.pk].signer_name if o.pk in signatures else "",
                title=signatures[o.pk].signer_title if o.pk in signatures else "",
                signed_on=_date(signatures[o.pk].signed_at) if o.pk in signatures else "",
            )
            for o in parties
        ],
    )


# -- Markdown --------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(doc: Document) -> str:
    lines = [
        f"# {doc.title}",
        "",
        f"**{doc.kind}** in the partnership *{doc.partnership}*.  ",
        f"Version {doc.version}: {doc.status}.",
        "",
    ]
    if doc.amends:
        lines += [doc.amends, ""]
    lines += ["## Parties", ""]
    lines += [f"{i}. {name} ({kind})" for i, (name, kind) in enumerate(doc.parties, 1)]
    lines += ["", "## Defined terms", ""]
    if doc.terms:
        lines += [f"- **{t['term']}**: {t['definition']}" for t in doc.terms]
    else:
        lines.append("No terms are defined by every party in the partnership glossary.")
    lines += ["", "## Clauses", ""]
    for clause in doc.clauses:
        lines += [f"### {clause.number}. {clause.title}", ""]
        for i, paragraph in enumerate(clause.paragraphs, 1):
            lines += [f"{clause.number}.{i} {paragraph}", ""]
    lines += [
        "## Schedule of parameters",
        "",
        "| Clause | Parameter | Value |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {_cell(c)} | {_cell(p)} | {_cell(v)} |" for c, p, v in doc.schedule]
    lines += ["", "## Signatures", "", "| Party | Signed by | Date |", "| --- | --- | --- |"]
    for s in doc.signatures:
        who = f"{s.signer}, {s.title}" if s.title else s.signer
        lines.append(f"| {_cell(s.party)} | {_cell(who) or '—'} | {s.signed_on or 'not signed'} |")
    lines += ["", "---", "", doc.footer, ""]
    return "\n".join(lines)


# -- Word ------------------------------------------------------------------------------------


def docx(doc: Document) -> bytes:
    from docx import Document as WordDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    word = WordDocument()
    word.core_properties.title = doc.title
    word.core_properties.subject = f"{doc.kind}, version {doc.version}"
    style = word.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)

    word.add_paragraph(doc.title, style="Title")
    word.add_paragraph(f"{doc.kind}").runs[0].bold = True
    word.add_paragraph(f"In the partnership {doc.partnership}")
    word.add_paragraph("Between:")
    for name, kind in doc.parties:
        word.add_paragraph(f"{name} ({kind})", style="List Number")
    word.add_paragraph(f"Version {doc.version}: {doc.status}.")
    if doc.amends:
        word.add_paragraph(doc.amends)
    word.add_paragraph(f"Produced by carepact on {doc.generated}.")
    word.paragraphs[-1].runs[-1].add_break(WD_BREAK.PAGE)

    word.add_heading("Defined terms", level=1)
    if doc.terms:
        for term in doc.terms:
            p = word.add_paragraph()
            p.add_run(term["term"]).bold = True
            p.add_run(f": {term['definition']}")
    else:
        word.add_paragraph("No terms are defined by every party in the partnership glossary.")

    word.add_heading("Clauses", level=1)
    for clause in doc.clauses:
        word.add_heading(f"{clause.number}. {clause.title}", level=2)
        for i, paragraph in enumerate(clause.paragraphs, 1):
            word.add_paragraph(f"{clause.number}.{i}\t{paragraph}")

    word.add_heading("Schedule of parameters", level=1)
    table = word.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Clause", "Parameter", "Value"), strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in doc.schedule:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text

    word.add_heading("Signatures", level=1)
    signatures = word.add_table(rows=1, cols=4)
    signatures.style = "Table Grid"
    for cell, text in zip(
        signatures.rows[0].cells, ("Party", "Signed by", "Role", "Date"), strict=True
    ):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for s in doc.signatures:
        cells = signatures.add_row().cells
        for cell, text in zip(
            cells, (s.party, s.signer or "", s.title, s.signed_on or "not signed"), strict=True
        ):
            cell.text = text

    footer = word.sections[0].footer.paragraphs[0]
    footer.text = doc.footer
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in footer.runs:
        run.font.size = Pt(7)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# -- PDF -------------------------------------------------------------------------------------


def html(doc: Document) -> str:
    return render_to_string("agreements/document.html", {"doc": doc})


def pdf(doc: Document) -> bytes:
    from weasyprint import CSS as WeasyCSS
    from weasyprint import HTML

    return HTML(string=html(doc)).write_pdf(stylesheets=[WeasyCSS(filename=str(CSS))])


def export(agreement: Agreement, version: AgreementVersion, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the version in ``fmt`` (docx, pdf or md)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use docx, pdf or md")
    doc = build(agreement, version)
    content_type, extension = FORMATS[fmt]
    if fmt == "md":
        content = markdown(doc).encode("utf-8")
    elif fmt == "docx":
        content = docx(doc)
    else:
        content = pdf(doc)
    return content, content_type, f"{doc.filename_stem}.{extension}"
