"""Seed 000 rendered with its Table 1 set as a real table (a ruled grid of year, drug name,
finding sentence and reference cells): the PDF reader finds the grid cell by cell, and the
sentence cells give the same triples as the text path reads from the flattened table."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.pdf import ingest_pdf
from pipeline.ingest.text import ingest_text
from pipeline.ingest.fidelity import word_fidelity
from pipeline.render.layouts import LAYOUTS
from pipeline.render.pdf import render_document
from pipeline.render.tables import read_grid, set_table_path, with_set_tables

PROJECT = Path(__file__).resolve().parents[1]
DOC = "000_3d1899da889077ad"
SOURCE = PROJECT / "corpus" / "text" / f"{DOC}.txt"
GRIDS = PROJECT / "corpus" / "tables"
LAYOUT = next(layout for layout in LAYOUTS if layout.set_tables)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    doc = with_set_tables(ingest_text(SOURCE), GRIDS)
    result = render_document(doc, tmp_path_factory.mktemp("set") / f"{DOC}.pdf", LAYOUT)
    return result, ingest_pdf(result.pdf_path)


def test_the_set_grid_is_the_seed_table_with_its_name_column_apart():
    grid = read_grid(set_table_path(GRIDS, DOC, 1))
    flattened = ingest_text(SOURCE).tables[0]
    assert grid[0] == ["Publication", "Name", "Main Findings", "Ref"]
    assert len(grid) == len(flattened.rows) and {len(row) for row in grid} == {4}
    # Every row is the flattened row with the drug name split off its finding, nothing else.
    for set_row, flat_row in zip(grid[1:], flattened.rows[1:], strict=True):
        assert " ".join(set_row) == " ".join(flat_row), set_row


def test_the_table_is_found_with_its_rows_columns_and_cell_text(rendered):
    _, doc = rendered
    grid = read_grid(set_table_path(GRIDS, DOC, 1))
    assert len(doc.tables) == 1, [t.rows[:2] for t in doc.tables]
    table = doc.tables[0]
    assert table.label == "Table 1" and table.caption.startswith("Table 1: Research status of mTOR")
    assert table.header_rows == 1 and table.method == "ruled" and table.page and table.bbox
    assert (len(table.rows), {len(r) for r in table.rows}) == (18, {4})
    assert table.rows == grid
    assert {(c.row, c.col) for c in table.cells if c.text == "Temsirolimus, LY294.002 and PP242"} == {(10, 1)}
    assert not doc.warnings


def test_table_cells_stay_out_of_the_body_text(rendered):
    result, doc = rendered
    recall, precision = word_fidelity(doc.text, result.truth)
    assert recall >= 0.99 and precision >= 0.98, (recall, precision)
    assert "inhibite the growthl" not in doc.text  # a finding cell, only in the table


def test_sentence_cells_give_the_triples_of_the_text_path(rendered):
    from pipeline.process import extract

    _, pdf_doc = rendered
    from_text, from_pdf = extract(ingest_text(SOURCE)).triples, extract(pdf_doc).triples
    assert abs(len(from_pdf) - len(from_text)) <= 0.05 * len(from_text), (len(from_pdf), len(from_text))
    table_text = [t for t in from_text if t.source == "table"]
    table_pdf = [t for t in from_pdf if t.source == "table"]
    assert abs(len(table_pdf) - len(table_text)) <= 0.05 * len(table_text), (len(table_pdf), len(table_text))
    # Each statement is placed in the cell that says it: the Main Findings column.
    assert all(t.table_id == "t1" and t.row is not None and t.column == 2 for t in table_pdf)
    # A finding cell whose drug is named only in the row's Name column still gets that drug.
    row9 = {(t.drug, t.outcome) for t in table_pdf if t.row == 9}
    assert ("pp242", "apoptosis") in row9 or any(d == "pp242" for d, _ in row9), row9


def _render_variant(tmp_path: Path, **changes):
    import dataclasses

    doc = with_set_tables(ingest_text(SOURCE), GRIDS)
    result = render_document(doc, tmp_path / f"{DOC}.pdf", dataclasses.replace(LAYOUT, **changes))
    return ingest_pdf(result.pdf_path)


def test_the_table_drawn_open_is_found_from_alignment(tmp_path):
    # Rules only above and below the header and under the last row, as most journals draw them.
    doc = _render_variant(tmp_path, table_rules="open")
    assert [(t.method, len(t.pages)) for t in doc.tables] == [("aligned", 1)]
    assert doc.tables[0].rows == read_grid(set_table_path(GRIDS, DOC, 1))


def test_an_open_table_in_a_column_runs_on_to_the_next_page(tmp_path):
    """Set in one column, the open table breaks across a page; the part on the next page has
    no caption, only the repeated header, and is read as the rest of Table 1."""
    from pipeline.process import extract

    doc = _render_variant(tmp_path, table_rules="open", table_full_width=False)
    grid = read_grid(set_table_path(GRIDS, DOC, 1))
    assert len(doc.tables) == 1, [(t.label, t.pages) for t in doc.tables]
    table = doc.tables[0]
    assert table.continued and len(table.pages) == 2 and table.rows[0] == grid[0]
    # Every row but the first, whose year and reference cells hold two stacked entries and are
    # read as two rows (known: a tight line filling most columns reads as a new row).
    assert all(row in table.rows for row in grid[2:])
    assert not any(r.startswith("2015 ") for r in doc.removed)
    from_text, from_pdf = extract(ingest_text(SOURCE)).triples, extract(doc).triples
    assert abs(len(from_pdf) - len(from_text)) <= 0.05 * len(from_text), (len(from_pdf), len(from_text))
