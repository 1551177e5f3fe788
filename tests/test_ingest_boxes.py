"""Small-type prose boxed inside the text column is body text; small print at the foot is not.

Frontiers sets "Key concept" boxes in small type at the top of a column, and JATS counts
them as body (<boxed-text>). A generated two-page, two-column PDF holds one such box (bold
label line, justified prose) at the top of page 2, interrupting a paragraph that runs on from
page 1, and a small-type note at the foot of the same column.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph

from pipeline.ingest.pdf import ingest_pdf

BODY = ParagraphStyle("b", fontName="Times-Roman", fontSize=10, leading=12.5, alignment=TA_JUSTIFY)
SMALL = ParagraphStyle("s", fontName="Helvetica", fontSize=7.5, leading=9, alignment=TA_JUSTIFY)
FILLER = ("Inhibitors of the mTOR kinase slow the growth of tumour cells in culture and in mouse "
          "models, and several of them have reached clinical trials in solid tumours. ")
RUN_ON = "The rest of this section discusses why some tumours resist this treatment, which the box interrupts and"
CONTINUED = ("continues here on the second page with the resistance mechanisms. " + FILLER * 3).strip()
BOX_LABEL = "KEY CONCEPT 1 | Feedback activation"
BOX = ("Feedback activation describes how blocking one kinase releases a brake on another one. "
       "Inhibiting mTORC1 removes the negative feedback on insulin receptor substrate signalling. "
       "The upstream kinase AKT is then activated and can support tumour cell survival.")
NOTE = ("Correspondence should be sent to the first author at the institute address. "
        "The authors declare that the research was conducted without commercial relationships.")


def _draw(c: canvas.Canvas, text: str, style: ParagraphStyle, x: float, top: float, width: float) -> float:
    para = Paragraph(text, style)
    _, height = para.wrap(width, 1000)
    para.drawOn(c, x, top - height)
    return top - height


def _pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    col, left, right = 240, 50, 305
    # Page 1: title and body text in two columns; the last paragraph runs on to page 2.
    c.setFont("Times-Bold", 18)
    c.drawString(left, height - 70, "A synthetic review of mTOR feedback")
    _draw(c, FILLER * 8, BODY, left, height - 100, col)
    y = _draw(c, FILLER * 6, BODY, right, height - 100, col)
    _draw(c, FILLER * 2 + RUN_ON, BODY, right, y - 8, col)
    c.showPage()
    # Page 2, left column: the box (ruled above and below) at the top, body text, a foot note.
    top = height - 60
    c.line(left, top, left + col, top)
    y = _draw(c, f"<b>{BOX_LABEL}</b>", SMALL, left + 4, top - 4, col - 8)
    y = _draw(c, BOX, SMALL, left + 4, y - 2, col - 8)
    c.line(left, y - 4, left + col, y - 4)
    y = _draw(c, CONTINUED, BODY, left, y - 16, col)
    _draw(c, FILLER * 4, BODY, left, y - 8, col)
    _draw(c, NOTE, SMALL, left, 110, col)
    _draw(c, FILLER * 9, BODY, right, height - 60, col)
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    return ingest_pdf(_pdf(tmp_path_factory.mktemp("box") / "box.pdf"))


def test_boxed_prose_is_body_text(doc):
    assert "Feedback activation describes how blocking one kinase" in doc.text
    assert "can support tumour cell survival." in doc.text


def test_the_box_is_read_after_the_paragraph_it_interrupts(doc):
    text = doc.text
    assert text.index("which the box interrupts and") < text.index("continues here on the second page")
    assert text.index("continues here on the second page") < text.index("Feedback activation describes")


def test_the_box_label_is_set_apart(doc):
    assert "KEY CONCEPT" not in doc.text
    assert any(r.startswith("KEY CONCEPT 1") for r in doc.removed)


def test_small_print_at_the_foot_of_the_column_stays_out(doc):
    assert "Correspondence should be sent" not in doc.text
    assert any("Correspondence should be sent" in r for r in doc.removed)
