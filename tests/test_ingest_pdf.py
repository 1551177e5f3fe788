"""PDF ingestion: layout, clean-up and structure on a generated two-column PDF; corpus-real."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline.ingest.fidelity import jats_body_text, word_fidelity
from pipeline.ingest.pdf import ingest_pdf

LEFT = [
    "Alpha one the mTOR pathway controls cell growth and",
    "alpha two metabolism in many tissues and its inhibi-",
    "tion by rapamycin alpha three slows tumour growth in",
    "alpha four several mouse models of breast cancer.",
]
RIGHT = [
    "Bravo one everolimus is an oral inhibitor of mTORC1",
    "bravo two that was approved for renal cancer and for",
    "bravo three hormone receptor positive breast cancer in",
    "bravo four combination with exemestane after relapse.",
]
PAGE2 = [
    "Charlie one the second page continues the discussion of",
    "charlie two resistance mechanisms including feedback",
    "charlie three activation of AKT signalling upstream.",
]


def _two_column_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for page in (1, 2):
        c.setFont("Helvetica", 8)
        c.drawString(60, height - 30, "Journal of Synthetic Tests 2024; 12: 1-10")
        c.drawString(width / 2, 25, str(page))
        if page == 1:
            c.setFont("Helvetica-Bold", 16)
            c.drawString(60, height - 80, "A synthetic review of mTOR inhibition")
            c.setFont("Helvetica-Bold", 10)
            c.drawString(60, height - 120, "Introduction")
            c.setFont("Helvetica", 10)
            for i, line in enumerate(LEFT * 3):
                c.drawString(60, height - 140 - 12 * i, line)
            for i, line in enumerate(RIGHT * 3 + ["End of part one."]):
                c.drawString(310, height - 140 - 12 * i, line)
            y = height - 140 - 12 * 13 - 20
            c.setFont("Helvetica", 8)
            c.drawString(60, y, "Figure 1. Overview of the synthetic pathway model.")
            # A ruled 3x2 table below the text.
            top = y - 30
            for r in range(4):
                c.line(60, top - 16 * r, 360, top - 16 * r)
            for x in (60, 210, 360):
                c.line(x, top, x, top - 48)
            cells = [["Drug", "Response"], ["everolimus", "12%"], ["placebo", "2%"]]
            for r, row in enumerate(cells):
                for k, cell in enumerate(row):
                    c.drawString(65 + 150 * k, top - 12 - 16 * r, cell)
        else:
            c.setFont("Helvetica", 10)
            for i, line in enumerate(PAGE2 * 6):
                c.drawString(60, height - 140 - 12 * i, line)
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    return ingest_pdf(_two_column_pdf(tmp_path_factory.mktemp("pdf") / "two_col.pdf"))


def test_reading_order_left_column_first(doc):
    text = doc.text
    assert text.index("alpha four") < text.index("Bravo one") < text.index("Charlie one")
    # The left column is read to its end before the right column starts.
    assert text.rindex("alpha four") < text.index("Bravo one")


def test_running_head_and_page_numbers_removed(doc):
    assert "Journal of Synthetic Tests" not in doc.text
    assert any("Journal of Synthetic Tests" in r for r in doc.removed)
    assert not any(b.text.strip().isdigit() for b in doc.blocks)


def test_dehyphenation(doc):
    assert "inhibition by rapamycin" in doc.text
    assert "inhibi-" not in doc.text


def test_title_heading_caption(doc):
    assert doc.title == "A synthetic review of mTOR inhibition"
    assert [s.title for s in doc.sections][:1] == ["Introduction"]
    assert doc.captions and doc.captions[0].label == "Figure 1" and doc.captions[0].kind == "figure"
    assert "Overview of the synthetic" not in doc.text


def test_ruled_table_extracted_and_kept_out_of_text(doc):
    assert len(doc.tables) == 1
    assert doc.tables[0].rows == [["Drug", "Response"], ["everolimus", "12%"], ["placebo", "2%"]]
    assert doc.tables[0].page == 1
    assert "12%" not in doc.text


def test_block_offsets_exact(doc):
    assert doc.blocks
    for block in doc.blocks:
        assert doc.text[block.start : block.end] == block.text
        assert block.page in (1, 2)
    for section in doc.sections:
        assert doc.text[section.start :].startswith(section.title)
    assert doc.blocks[-1].page == 2


def _margin_note_pdf(path: Path) -> Path:
    """One text column, a narrow margin note beside it and a rotated watermark."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 9)
    for i in range(30):
        c.drawString(60, 760 - 12 * i, f"Delta {i} body text about sirolimus dosing in kidney transplant")
    c.setFont("Helvetica", 7)
    for i, note in enumerate(["See Comment page", "Department of Oncology", "University of Nowhere",
                              "Correspondence to", "Dr Margin Author", "margin@example.org"]):
        c.drawString(430, 700 - 10 * i, note)
    c.saveState()
    c.setFont("Helvetica", 40)
    c.translate(300, 400)
    c.rotate(45)
    c.drawString(0, 0, "WATERMARK")
    c.restoreState()
    c.showPage()
    c.save()
    return path


def test_margin_note_and_watermark_set_apart(tmp_path):
    doc = ingest_pdf(_margin_note_pdf(tmp_path / "margin.pdf"))
    assert "Delta 29 body text" in doc.text
    assert "Department of Oncology" not in doc.text and "WATERMARK" not in doc.text
    assert any("Department of Oncology" in r for r in doc.removed)
    assert "WATERMARK" in doc.removed  # rotated text is set apart whole


def test_subscripts_join_citations_split(tmp_path):
    path = tmp_path / "scripts.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for i in range(3):
        y = 700 - 40 * i
        c.setFont("Helvetica", 10)
        c.drawString(60, y, "PI3K converts PIP")
        x = 60 + c.stringWidth("PI3K converts PIP", "Helvetica", 10)
        c.setFont("Helvetica", 7)
        c.drawString(x, y - 2, "2")
        c.setFont("Helvetica", 10)
        c.drawString(x + 10, y, "and drives growth,")
        x2 = x + 10 + c.stringWidth("and drives growth,", "Helvetica", 10)
        c.setFont("Helvetica", 7)
        c.drawString(x2, y + 4, "12")
    c.showPage()
    c.save()
    doc = ingest_pdf(path)
    assert "PIP2 and drives growth, 12" in doc.text


# --------------------------------------------------------------------------- corpus-real

LIGATURE_CHARS = "ﬀﬁﬂﬃﬄ"
JATS_RECALL, JATS_PRECISION = 0.95, 0.90


@pytest.mark.shared
def test_corpus_real_all_pdfs(corpus_real_dir):
    pdfs = sorted(corpus_real_dir.glob("*.pdf"))
    assert len(pdfs) >= 12
    for pdf in pdfs:
        doc = ingest_pdf(pdf)
        assert doc.n_pages and len(doc.text) > 5000, pdf.name
        assert not any(ch in doc.text for ch in LIGATURE_CHARS), pdf.name
        for block in doc.blocks:
            assert doc.text[block.start : block.end] == block.text
        xml = pdf.with_suffix(".jats.xml")
        if xml.exists():
            recall, precision = word_fidelity(doc.text, jats_body_text(xml, include_front=True))
            assert recall >= JATS_RECALL and precision >= JATS_PRECISION, (pdf.name, recall, precision)


RENDERED = Path(__file__).resolve().parents[1] / "corpus" / "pdf"


@pytest.mark.skipif(not any(RENDERED.glob("*.truth.txt")), reason="rendered corpus PDFs not present")
def test_rendered_pdfs_fidelity():
    for truth in sorted(RENDERED.glob("*.truth.txt")):
        pdf = truth.with_name(truth.name.replace(".truth.txt", ".pdf"))
        recall, precision = word_fidelity(ingest_pdf(pdf).text, truth.read_text(encoding="utf-8"))
        assert recall >= 0.99 and precision >= 0.98, (pdf.name, recall, precision)


def test_a_colon_before_a_number_does_not_end_a_paragraph_across_a_page_break():
    from pipeline.ingest.pdf import _starts_paragraph

    class L:  # the fields _starts_paragraph reads
        def __init__(self, text, page, x0=72.0, x1=300.0):
            self.text, self.page, self.region, self.size = text, page, 0, 10.0
            self.x0, self.x1, self.col_x0, self.col_x1, self.top, self.bottom = x0, x1, 72.0, 520.0, 700.0, 710.0

    prev = L("months; HR = 0.35; 95% CI:", page=3)
    assert not _starts_paragraph(prev, L("0.27–0.45; P < 0.001) in the arm treated with everolimus.", page=4), 20.0)
    assert _starts_paragraph(prev, L("Results of the second trial were negative.", page=4, x0=84.0), 20.0)
