"""Tables without ruling lines: generated PDFs with known grids, the real-PDF table reference,
bad tables, CSV export and the typed ``Table`` interface."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline.ingest import table_grid
from pipeline.ingest.pdf import ingest_pdf
from pipeline.ingest.table_export import table_file_names, write_table_csvs
from pipeline.ingest.tables_eval import align_rows, evaluate, load_reference, score_table
from pipeline.records import Table

from .conftest import ANNOTATIONS

BODY = (
    "The randomised trial enrolled patients with advanced disease who were assigned to the "
    "study drug or to placebo in a one to one ratio and followed for progression and survival "
    "over a median of two years in all centres that took part in the study. "
)

# Column x positions (pt) of the unruled table, and its rows as printed.
COLS = (60, 230, 330, 430)
HEADER_TOP = ["", "Everolimus", "Placebo", "Hazard ratio"]
HEADER_LOW = ["", "(n=120)", "(n=118)", "(95% CI)"]
ROWS = [
    ["Primary outcome", "", "", ""],
    ["Progression-free survival", "11.0 (9.7–13.1)", "4.6 (3.1–5.4)", "0.35 (0.25–0.49)"],
    ["Overall survival", "25.1 (21.3–30.0)", "18.9 (15.2–22.0)", "0.77 (0.58–1.02)"],
    ["Secondary outcomes", "", "", ""],
    ["Objective response", "12 (10%)", "2 (2%)", "—"],
]
WRAPPED_STUB = ("Grade 3 or 4 adverse events", "during treatment")  # one cell on two lines
WRAPPED_VALUES = ["45 (38%)", "20 (17%)", "<0.001"]


def _body_lines(c: canvas.Canvas, x: float, y: float, n: int, width: int = 52) -> float:
    text = BODY * 6
    for i in range(n):
        c.drawString(x, y, text[i * width : (i + 1) * width].strip())
        y -= 12
    return y


def _unruled_table_pdf(path: Path, broken: bool = False) -> Path:
    """Two-column article page with a full-width unruled table (caption above, two header
    lines, group labels, a wrapped stub cell, footnote) and body text above and below."""
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    c.setFont("Helvetica-Bold", 16)
    c.drawString(60, height - 70, "Everolimus in a synthetic randomised trial")
    c.setFont("Helvetica", 10)
    _body_lines(c, 60, height - 110, 14)
    _body_lines(c, 310, height - 110, 14)
    y = height - 300
    c.setFont("Helvetica-Bold", 9)
    c.drawString(60, y, "Table 1.")
    c.setFont("Helvetica", 9)
    c.drawString(96, y, "Outcomes by treatment arm in the intention-to-treat population")
    y -= 18
    c.setFont("Helvetica", 8)
    if broken:
        # Under the caption: one column of short items, no grid to read.
        for item in ("alpha", "beta", "gamma", "delta"):
            c.drawString(60, y, item)
            y -= 11
    else:
        for header in (HEADER_TOP, HEADER_LOW):
            for x, text in zip(COLS, header):
                c.drawString(x, y, text)
            y -= 10
        c.line(60, y + 6, 540, y + 6)  # one rule under the header, none between the rows
        y -= 6
        for row in ROWS:
            for x, text in zip(COLS, row):
                if text:
                    c.drawString(x, y, text)
            y -= 13
        c.drawString(COLS[0], y, WRAPPED_STUB[0])
        for x, text in zip(COLS[1:], WRAPPED_VALUES):
            c.drawString(x, y, text)
        y -= 9
        c.drawString(COLS[0], y, WRAPPED_STUB[1])
        y -= 14
        c.setFont("Helvetica", 6.5)
        c.drawString(60, y, "CI=confidence interval. Values are median months (95% CI) unless stated otherwise.")
    y -= 40
    c.setFont("Helvetica", 10)
    _body_lines(c, 60, y, 12)
    _body_lines(c, 310, y, 12)
    c.save()
    return path


def expected_rows() -> list[list[str]]:
    stub = " ".join(WRAPPED_STUB)
    return [HEADER_TOP, HEADER_LOW, *ROWS, [stub, *WRAPPED_VALUES]]


# --------------------------------------------------------------------------- generated PDFs


@pytest.fixture(scope="module")
def unruled_doc(tmp_path_factory):
    return ingest_pdf(_unruled_table_pdf(tmp_path_factory.mktemp("t") / "unruled.pdf"))


def test_unruled_table_found_with_exact_cells(unruled_doc):
    assert len(unruled_doc.tables) == 1
    table = unruled_doc.tables[0]
    assert table.label == "Table 1" and table.method == "aligned"
    assert table.caption.startswith("Table 1. Outcomes by treatment arm")
    assert table.rows[table.header_rows :] == expected_rows()[2:]
    # Two header lines with no spanning cell: one header row, its lines joined per column.
    header = [" ".join(filter(None, (a, b))) for a, b in zip(HEADER_TOP, HEADER_LOW)]
    assert table.rows[: table.header_rows] == [header]


def test_unruled_table_record_fields(unruled_doc):
    table = unruled_doc.tables[0]
    assert table.page == 1 and table.pages == [1] and not table.continued
    assert table.key and table.key.startswith("tab_")
    x0, top, x1, bottom = table.bbox
    assert 55 < x0 < 65 and x1 > 450 and top < bottom
    assert table.footnotes.startswith("CI=confidence interval")
    # Group labels are their own rows and are carried down to the cells below them.
    groups = {table.rows[r][0] for r in table.group_rows}
    assert groups == {"Primary outcome", "Secondary outcomes"}
    cells = {(c.row, c.col): c for c in table.cells}
    pfs_row = next(r for r, row in enumerate(table.rows) if row[0] == "Progression-free survival")
    assert cells[(pfs_row, 3)].text == "0.35 (0.25–0.49)"
    assert cells[(pfs_row, 3)].group == "Primary outcome"
    assert cells[(len(table.rows) - 1, 1)].group == "Secondary outcomes"
    assert all(c.header for c in table.cells if c.row < table.header_rows)


def test_unruled_table_kept_out_of_body_text(unruled_doc):
    text = unruled_doc.text
    for needle in ("0.35 (0.25–0.49)", "Progression-free survival", "CI=confidence interval", "(n=120)"):
        assert needle not in text
    assert "Outcomes by treatment arm" not in text  # the caption is a caption
    assert any(c.kind == "table" and c.label == "Table 1" for c in unruled_doc.captions)
    # Body text on both sides of the table is still there, in reading order.
    assert text.count("randomised trial enrolled") >= 4
    assert not unruled_doc.warnings


def test_table_key_is_stable(tmp_path):
    a = ingest_pdf(_unruled_table_pdf(tmp_path / "a.pdf")).tables[0]
    b = ingest_pdf(_unruled_table_pdf(tmp_path / "a.pdf")).tables[0]
    assert a.key == b.key


def test_bad_table_warns_and_keeps_its_words(tmp_path):
    doc = ingest_pdf(_unruled_table_pdf(tmp_path / "broken.pdf", broken=True))
    assert doc.tables == []
    assert any("Table 1 could not be parsed" in w for w in doc.warnings)
    unparsed = [r for r in doc.removed if r.startswith("[unparsed table: Table 1")]
    assert len(unparsed) == 1
    for item in ("alpha", "beta", "gamma", "delta"):
        assert item in unparsed[0]
    assert "randomised trial enrolled" in doc.text


def test_grid_failure_never_crashes_the_document(tmp_path, monkeypatch):
    """Any error inside the grid builder becomes a warning; the words stay in ``removed``."""

    def explode(*args, **kwargs):
        raise RuntimeError("grid exploded")

    monkeypatch.setattr(table_grid, "build_grid", explode)
    doc = ingest_pdf(_unruled_table_pdf(tmp_path / "t.pdf"))
    assert doc.tables == []
    assert any("RuntimeError: grid exploded" in w for w in doc.warnings)
    unparsed = next(r for r in doc.removed if r.startswith("[unparsed table: Table 1"))
    assert "0.35 (0.25–0.49)" in unparsed and "Progression-free survival" in unparsed
    assert "0.35 (0.25–0.49)" not in doc.text


def test_tables_written_as_csv(unruled_doc, tmp_path):
    paths = write_table_csvs(unruled_doc, tmp_path)
    assert [p.name for p in paths] == [f"{unruled_doc.doc_id}.table1.csv"]
    assert paths[0].parent.name == "tables"
    with open(paths[0], encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == unruled_doc.tables[0].rows


def test_table_file_names_use_label_numbers_once():
    doc_tables = [Table(table_id="t1", label="Table 2", rows=[["a"]]), Table(table_id="t2", label="Table 2", rows=[["b"]]),
                  Table(table_id="t3", label=None, rows=[["c"]])]
    from pipeline.records import Document

    doc = Document(doc_id="d", content_hash="h", source_path="x", source_type="pdf", text="", tables=doc_tables)
    assert table_file_names(doc) == ["d.table2.csv", "d.table2b.csv", "d.table3.csv"]


# --------------------------------------------------------------------------- grid pieces


def _w(text: str, x0: float, top: float, size: float = 8.0, bold: bool = False) -> table_grid.Word:
    return table_grid.Word(text, x0, x0 + 0.5 * size * len(text), top, top + size, size, bold)


def test_two_level_header_spanning_cell_in_first_column():
    """A spanning header ("EPDS score") opens a second header row for the columns under it; a
    cell spanning both levels ("Visit") stays in the top row."""
    words = [_w("Table", 40, 20, 9, True), _w("4", 66, 20, 9, True), _w("Depression", 76, 20, 9)]
    words += [_w("Visit", 40, 45), _w("EPDS", 139, 38), _w("score", 157, 38), _w("Beta", 300, 45)]
    words += [_w("Control", 120, 50), _w("Active", 170, 50)]
    for i, (a, b, c, d) in enumerate([("Baseline", "7.7", "7.6", "0"), ("End", "7.2", "8.0", "1.06")]):
        top = 66 + 11 * i
        words += [_w(a, 40, top), _w(b, 120, top), _w(c, 170, top), _w(d, 300, top)]
    tables, failures = table_grid.find_aligned_tables(words, [(61.0, 40.0, 340.0)], body_size=10.0)
    assert not failures and len(tables) == 1
    t = tables[0]
    assert t.header_rows == 2
    assert t.rows[0] == ["Visit", "EPDS score", "", "Beta"]
    assert t.rows[1] == ["", "Control", "Active", ""]
    assert t.rows[2:] == [["Baseline", "7.7", "7.6", "0"], ["End", "7.2", "8.0", "1.06"]]


def test_caption_below_table_and_sentence_mention_ignored():
    words = [_w("as", 10, 5, 10), _w("Table", 22, 5, 10), _w("3", 50, 5, 10), _w("shows", 58, 5, 10)]
    words += [_w("Arm", 40, 30), _w("Mean", 150, 30)]
    words += [_w("High", 40, 41), _w("5.0", 150, 41), _w("Low", 40, 52), _w("4.1", 150, 52)]
    words += [_w("Table", 40, 70, 8, True), _w("3:", 63, 70, 8, True), _w("Usage", 75, 70)]
    tables, _ = table_grid.find_aligned_tables(words, [], body_size=10.0)
    assert [t.label for t in tables] == ["Table 3"]
    assert tables[0].rows == [["Arm", "Mean"], ["High", "5.0"], ["Low", "4.1"]]


def test_scorer_aligns_rows_and_counts_exact_text():
    ref_rows = [["a", "b"], ["1", "2"], ["3", "4"]]
    assert align_rows(ref_rows, [["a", "b"], ["x", "y"], ["1", "2"], ["3", "4"]]) == {0: 0, 1: 2, 2: 3}
    from pipeline.ingest.tables_eval import RefTable

    ref = RefTable("d", "Table 1", [1], ref_rows, 1)
    perfect = score_table(ref, Table(table_id="t1", label="Table 1", rows=ref_rows))
    assert (perfect.cell_accuracy, perfect.placement) == (1.0, 1.0)
    shifted = score_table(ref, Table(table_id="t1", label="Table 1", rows=[["b", "a"], ["1", "2"], ["3", "4 "]]))
    assert shifted.cell_accuracy == 1.0 and shifted.placement == pytest.approx(4 / 6)
    assert not score_table(ref, None).found


# --------------------------------------------------------------------------- real PDFs


@pytest.mark.shared
def test_real_tables_match_the_hand_made_reference(corpus_real_dir, tmp_path):
    """Every table of annotations/tables (16 tables, 8 PDFs + PLOS JATS) is found, with
    cell-text accuracy and row/column placement of at least 0.90 each."""
    ref_dir = ANNOTATIONS / "tables"
    refs = load_reference(ref_dir)
    assert len(refs) >= 12
    scores = evaluate(ref_dir, corpus_real_dir)
    assert len(scores) == len(refs)
    report = json.dumps([s.__dict__ for s in scores], default=str, indent=0)
    assert all(s.found for s in scores), report
    cells = sum(s.n_cells for s in scores)
    assert sum(s.cell_accuracy * s.n_cells for s in scores) / cells >= 0.95, report
    assert sum(s.placement * s.n_cells for s in scores) / cells >= 0.95, report
    # Per table >= 0.90. BMJ Table 4 was 0.824 until its MetaPro header font's case-folding
    # ToUnicode map was repaired (pipeline.ingest.fonts: "ePDs score" is now "EPDS score").
    for s in scores:
        assert s.cell_accuracy >= 0.90 and s.placement >= 0.90, report


# --------------------------------------------------------------------------- reading order


def _gutter_crossing(line, body: float, mid: float, width: float) -> bool:
    """A body-size line holding two runs of words (three real words each) on both sides of a
    column-wide gap at the middle of the text block: two columns read as one line."""
    words = line.words
    if abs(line.size - body) >= 0.6:
        return False
    for i in range(1, len(words)):
        gap0, gap1 = words[i - 1].x1, words[i].x0
        if gap1 - gap0 > 2.5 * line.size and gap0 < mid + 0.15 * width and gap1 > mid - 0.15 * width:
            left = [w for w in words[:i] if sum(ch.isalpha() for ch in w.text) >= 3]
            right = [w for w in words[i:] if sum(ch.isalpha() for ch in w.text) >= 3]
            if len(left) >= 3 and len(right) >= 3:
                return True
    return False


# Known, not fixed: text inside a figure read into a body line (clinsci p8: a residue label
# "Tyr 369" inside a sentence; pain p3: two boxes of the PRISMA flow chart side by side).
FIGURE_TEXT_IN_BODY = {"clinsci2014_douglas_ace_ndomain_inhibitors", "pain2014_seretny_cipn_systematic_review"}


def _real_pdfs() -> list:
    from .conftest import CORPUS_REAL

    pdfs = sorted(CORPUS_REAL.glob("*.pdf")) if CORPUS_REAL.is_dir() else []
    return [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason="figure text read into a body line"))
        if p.stem in FIGURE_TEXT_IN_BODY else p
        for p in pdfs
    ]


@pytest.mark.shared
@pytest.mark.parametrize("pdf", _real_pdfs(), ids=lambda p: p.stem)
def test_no_body_paragraph_interleaves_two_columns(pdf, monkeypatch):
    """One regression test per real layout: no line of a body paragraph (a block of the
    canonical text) joins text from two columns."""
    import pipeline.ingest.pdf as pdf_module

    seen: dict = {}
    original = pdf_module._paragraphs

    def keep(lines, body):
        paras = original(lines, body)
        seen["paras"], seen["body"] = paras, body
        return paras

    monkeypatch.setattr(pdf_module, "_paragraphs", keep)
    doc = ingest_pdf(pdf)
    blocks = {b.text for b in doc.blocks}
    lines = [line for para in seen["paras"] if para.text in blocks for line in para.lines]
    crossing = []
    for page in {line.page for line in lines}:
        on_page = [line for line in lines if line.page == page]
        x0, x1 = min(line.x0 for line in on_page), max(line.x1 for line in on_page)
        crossing += [
            (page, line.text) for line in on_page
            if _gutter_crossing(line, seen["body"], (x0 + x1) / 2, x1 - x0)
        ]
    assert crossing == [], crossing[:5]


# Body text against the publisher's JATS (title + abstract + body), per JATS-backed PDF:
# target recall >= 0.97 and precision >= 0.95. Frontiers prints four "Key concept" boxes in
# small type inside the text column; JATS counts them as body, and so does the reader (boxed
# prose, read after the paragraph it interrupts): measured 0.974 / 0.956 (was 0.951 / 0.974
# when small print was all set apart).
JATS_FLOORS = {
    "frontpsychol2015_range_canine_cooperation_review": (0.97, 0.95),
    "plosone2014_iskandar_fanged_frog": (0.97, 0.95),
    "stemcellsint2016_acar_notch_breast_cancer_review": (0.97, 0.95),
}


@pytest.mark.shared
@pytest.mark.parametrize("name", sorted(JATS_FLOORS))
def test_body_text_against_jats(name, corpus_real_dir):
    from pipeline.ingest.fidelity import jats_body_text, word_fidelity

    pdf = corpus_real_dir / f"{name}.pdf"
    recall, precision = word_fidelity(ingest_pdf(pdf).text, jats_body_text(pdf.with_suffix(".jats.xml"), include_front=True))
    floor_r, floor_p = JATS_FLOORS[name]
    assert recall >= floor_r and precision >= floor_p, (recall, precision)


@pytest.mark.shared
def test_continued_table_is_one_record(corpus_real_dir):
    """Yu Table 1 runs over pages 4-5 without a repeated header; the cell broken by the page
    ('Wang, JH', adjusted variables) is merged back into its row."""
    doc = ingest_pdf(corpus_real_dir / "bmccancer2016_yu_t2dm_colorectal_adenoma_meta.pdf")
    tables = [t for t in doc.tables if t.label == "Table 1"]
    assert len(tables) == 1
    table = tables[0]
    assert table.pages == [4, 5] and table.continued and table.header_rows == 1
    wang = next(row for row in table.rows if row[0].startswith("Wang, JH"))
    assert wang[9].endswith("while female and daily fiber intake")
    assert table.rows[-1][0] == "Misciagna, G [16]"
    assert table.footnotes.startswith("DM diabetes mellitus")


@pytest.mark.shared
def test_table_captions_are_captions(corpus_real_dir):
    """A caption after a line number (bioRxiv) or drawn inside a ruled table's box (BMJ) is a
    table caption of the document and is not left in the body text."""
    biorxiv = ingest_pdf(corpus_real_dir / "biorxiv2024_singh_sarscov2_nanobody_affinity.pdf")
    caption = next(c for c in biorxiv.captions if c.kind == "table" and c.label == "Table 1")
    assert caption.page == 17 and "docking scores" in caption.text
    assert "Mutations selected for the CDR2 and CDR3" not in biorxiv.text
    bmj = ingest_pdf(corpus_real_dir / "bmj2015_ussher_pregnancy_smoking_rct.pdf")
    assert [c.label for c in bmj.captions if c.kind == "table"] == [f"Table {n}" for n in range(1, 7)]


@pytest.mark.shared
def test_notes_under_the_closing_rule_are_footnotes(corpus_real_dir):
    """Pain Table 4: notes printed in the cells' own size under the table's closing rule are
    footnotes, not rows (before, they merged every column into one and the table was lost)."""
    doc = ingest_pdf(corpus_real_dir / "pain2014_seretny_cipn_systematic_review.pdf")
    table = next(t for t in doc.tables if t.label == "Table 4")
    assert not doc.warnings
    assert table.rows[0][:2] == ["Study", "Category of risk factor reported"]
    assert table.rows[1][0] == "Argyriou (2013)" and table.rows[1][3] == "200"
    assert table.footnotes.startswith("Abbreviations: CIPN")
