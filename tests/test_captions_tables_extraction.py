"""Captions and table cells reach extraction with their provenance (source, table id, row)."""

from __future__ import annotations

import pytest

from pipeline.process import extract
from pipeline.records import Caption, Document, Table

BODY = "Patients were enrolled at three centres between 2010 and 2012."


def _doc(captions=(), tables=()) -> Document:
    return Document(doc_id="cap", content_hash="0" * 64, source_path="", source_type="txt",
                    text=BODY, captions=list(captions), tables=list(tables))


@pytest.fixture(scope="module")
def extracted():
    captions = [
        Caption(kind="figure", label="Figure 2",
                text="Figure 2. Everolimus inhibited mTOR and reduced tumour growth in xenografts.", page=3),
        Caption(kind="table", label="Table 1",
                text="Table 1. Objective response rate was 45% with sunitinib in the phase II trial.", page=4),
        Caption(kind="figure", label="Figure 3", text="Figure 3. Study flow diagram of screened patients.", page=5),
    ]
    table = Table(table_id="t1", page=6, rows=[["Drug", "Main finding"],
                                              ["Gefitinib", "Gefitinib inhibited EGFR and reduced proliferation"]])
    return extract(_doc(captions, [table]))


def test_caption_statements_are_extracted_with_caption_source(extracted):
    caption = [t for t in extracted.triples if t.source == "caption"]
    assert {(t.drug, t.outcome) for t in caption} >= {("everolimus", "tumor growth")}
    assert all(t.table_id == "Figure 2" and t.page == 3 for t in caption)
    assert all(t.rule.startswith("caption:") for t in caption)


def test_caption_statistics_are_extracted_with_caption_source(extracted):
    stats = [s for s in extracted.stats if s.source == "caption"]
    assert [(s.measure, s.value, s.table_id) for s in stats] == [("orr", 45.0, "Table 1")]


def test_a_caption_without_a_statement_gives_nothing(extracted):
    assert not [r for r in extracted.triples + extracted.stats if r.table_id == "Figure 3"]
    assert not [t for t in extracted.triples if t.source == "text"]  # the body states nothing


def test_table_rows_carry_table_id_and_row(extracted):
    rows = [t for t in extracted.triples if t.source == "table"]
    assert rows and all(t.table_id == "t1" and t.row == 1 and t.column == 1 for t in rows)
    assert {t.target for t in rows} >= {"EGFR"}
