"""The gold set is trustworthy: every record validates and quotes its source verbatim."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ANNOTATIONS, SEEDS

SCHEMAS = {
    "triples": json.loads((ANNOTATIONS / "schema" / "triple.schema.json").read_text()),
    "stats": json.loads((ANNOTATIONS / "schema" / "stat.schema.json").read_text()),
}
GOLD_FILES = sorted(ANNOTATIONS.glob("*.triples.jsonl")) + sorted(ANNOTATIONS.glob("*.stats.jsonl"))


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_gold_exists_for_every_seed():
    docs = {p.name.split(".")[0] for p in GOLD_FILES}
    assert {"000_3d1899da889077ad", "001_2bada934f44e6c92", "002_0943a23fd24ffb90"} <= docs


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_gold_records_validate(path: Path):
    kind = path.name.split(".")[1]
    ids = set()
    for record in _records(path):
        jsonschema.validate(record, SCHEMAS[kind])
        assert record["doc"] == path.name.split(".")[0]
        assert record["id"] not in ids, f"duplicate id {record['id']}"
        ids.add(record["id"])
        if kind == "triples":
            filled = sum(record[k] is not None for k in ("drug", "target", "outcome"))
            assert filled >= 2, f"{record['id']}: fewer than two of drug/target/outcome"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_gold_evidence_is_verbatim(path: Path, seeds_dir: Path):
    # GUIDELINES v2: quote and source are compared with whitespace and hyphens removed; a table
    # row (cells joined by " | ") is checked cell by cell.
    from tests.test_gold_papers import squeeze

    source = squeeze((seeds_dir / f"{path.name.split('.')[0]}.txt").read_text())
    missing = [r["id"] for r in _records(path)
               if not all(squeeze(cell) in source for cell in
                          (r["evidence"].split(" | ") if r.get("source") == "table" else [r["evidence"]])
                          if squeeze(cell))]
    assert not missing, f"evidence not found verbatim in the seed: {missing}"
