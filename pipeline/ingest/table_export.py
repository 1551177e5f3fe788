"""Every table of a document as a CSV file: ``<dir>/tables/<doc>.table<N>.csv``.

``N`` is the number in the table's label ("Table 2" -> 2) when it has one and no earlier table
of the document took it, else the table's 1-based position in the document. Rows are written
as read (header rows first), with Python's csv module (UTF-8, minimal quoting).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from pipeline.records import Document, Table

_LABEL_NUMBER = re.compile(r"(\d+)\s*$")


def table_file_names(document: Document) -> list[str]:
    """File names for the document's tables, in document order."""
    names: list[str] = []
    used: set[str] = set()
    for index, table in enumerate(document.tables, start=1):
        m = _LABEL_NUMBER.search(table.label or "")
        number = m.group(1) if m else None
        key = number if number and number not in used else str(index)
        while key in used:
            key = f"{key}b"
        used.add(key)
        names.append(f"{document.doc_id}.table{key}.csv")
    return names


def write_table_csv(table: Table, path: Path) -> Path:
    """One table as a CSV file (rows padded to the widest row)."""
    width = max((len(row) for row in table.rows), default=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for row in table.rows:
            writer.writerow(list(row) + [""] * (width - len(row)))
    return path


def write_table_csvs(document: Document, out_dir: Path) -> list[Path]:
    """Write every table of ``document`` under ``out_dir/tables/``; returns the paths."""
    folder = Path(out_dir) / "tables"
    return [
        write_table_csv(table, folder / name)
        for table, name in zip(document.tables, table_file_names(document))
    ]
