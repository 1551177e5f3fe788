"""Write the export contract: triples, trial statistics and the assembled view as JSONL, CSV, Parquet.

Field names and order are the public contract documented in README.md ("Export contract").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from pipeline.records import AssembledTriple, TrialStat, Triple

TRIPLE_FIELDS = [
    "doc", "drug", "drug_id", "combined_with", "target", "target_id", "interaction", "outcome",
    "effect", "context", "hedged", "negated", "evidence", "section", "page", "start", "end", "rule",
    "confidence",
]
STAT_FIELDS = [
    "doc", "study", "phase", "drug", "combined_with", "comparator", "n", "measure", "value", "unit",
    "comparator_value", "hr", "ci_low", "ci_high", "p_value", "dose", "disease", "source",
    "evidence", "page", "start", "end", "rule",
]
# Provenance columns written after the contract fields.
EXTRA_FIELDS = ["id", "model", "lexicon_version"]
# Where the evidence is, after the provenance: body text, a caption or a table cell (table id,
# row, column; null for text). Statistics carry ``source`` among their contract fields already.
TRIPLE_WHERE = ["source", "table_id", "row", "column"]
STAT_WHERE = ["table_id", "row", "column"]


def _row(record: BaseModel, fields: list[str], where: Sequence[str] = ()) -> dict:
    data = record.model_dump(mode="json")
    row = {name: data.get(name) for name in fields}
    for name in EXTRA_FIELDS:
        if name == "id":
            row["id"] = record.id  # type: ignore[attr-defined]
        elif name in data:
            row[name] = data[name]
    for name in where:
        row[name] = data.get(name)
    return row


def write_table(rows: list[dict], out_dir: Path, name: str, columns: list[str]) -> list[Path]:
    """Write ``rows`` as ``name``.jsonl, .csv and .parquet; returns the paths written."""
    import pandas as pd  # only the export needs pandas

    out_dir.mkdir(parents=True, exist_ok=True)
    jsonl = out_dir / f"{name}.jsonl"
    with jsonl.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    frame = pd.DataFrame(rows, columns=columns or None)
    flat = frame.copy()
    for column in flat.columns:
        if flat[column].map(lambda v: isinstance(v, list)).any():
            flat[column] = flat[column].map(lambda v: ";".join(v) if isinstance(v, list) else v)
    csv = out_dir / f"{name}.csv"
    flat.to_csv(csv, index=False)
    parquet = out_dir / f"{name}.parquet"
    frame.to_parquet(parquet, index=False)
    return [jsonl, csv, parquet]


def write_exports(
    out_dir: Path, triples: Sequence[Triple], stats: Sequence[TrialStat],
    assembled: Sequence[AssembledTriple],
) -> list[Path]:
    """Write all three exports into ``out_dir``."""
    paths = write_table([_row(t, TRIPLE_FIELDS, TRIPLE_WHERE) for t in triples], out_dir, "triples",
                        TRIPLE_FIELDS + EXTRA_FIELDS + TRIPLE_WHERE)
    paths += write_table([_row(s, STAT_FIELDS, STAT_WHERE) for s in stats], out_dir, "stats",
                         STAT_FIELDS + EXTRA_FIELDS + STAT_WHERE)
    assembled_rows = [a.model_dump(mode="json") for a in assembled]
    paths += write_table(assembled_rows, out_dir, "triples_assembled", list(AssembledTriple.model_fields))
    return paths
