"""Hand-set table grids: a flattened source table as the journal set it, for the renderer.

The seed texts flatten their tables into lines ("2010 Everolimus Combination with ZOL … [65]"),
so the text reader cannot tell a drug-name column from a findings column. A layout with
``set_tables`` draws such a table from ``<folder>/<doc_id>.table<N>.csv`` instead: one CSV row
per table row, header first, every cell transcribed verbatim from the source text (whitespace
collapsed). The same CSV is the reference the tests hold the PDF table reader to.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from pipeline.records import Document


def set_table_path(folder: Path, doc_id: str, number: int) -> Path:
    """Where the hand-set grid of table ``number`` (1-based) of ``doc_id`` lives."""
    return folder / f"{doc_id}.table{number}.csv"


def read_grid(path: Path) -> list[list[str]]:
    """Rows of a hand-set grid CSV (header first)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [[re.sub(r"\s+", " ", cell).strip() for cell in row] for row in csv.reader(handle) if row]


def with_set_tables(doc: Document, folder: Path | None) -> Document:
    """``doc`` with each table that has a hand-set grid in ``folder`` replaced by that grid
    (caption, label and placement kept; one header row)."""
    if folder is None or not folder.is_dir():
        return doc
    tables = []
    for table in doc.tables:
        number = re.search(r"\d+", table.label or table.table_id)
        path = set_table_path(folder, doc.doc_id, int(number.group(0))) if number else None
        if path is not None and path.exists():
            table = table.model_copy(update={"rows": read_grid(path), "header_rows": 1})
        tables.append(table)
    return doc.model_copy(update={"tables": tables})
