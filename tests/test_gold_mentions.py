"""Mention-level gold (DRUG / GENE_OR_PROTEIN): valid, verbatim, no duplicate spans, inside coverage."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ANNOTATIONS

MENTIONS = ANNOTATIONS / "mentions"
SCHEMA = json.loads((ANNOTATIONS / "schema" / "mention.schema.json").read_text(encoding="utf-8"))
FILES = sorted(MENTIONS.glob("*.mentions.jsonl"))
COVERAGE_FILE = MENTIONS / "coverage.json"


def _doc(path: Path) -> str:
    return path.name.split(".")[0]


def _records(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _seed(seeds_dir: Path, doc: str) -> str:
    with open(seeds_dir / f"{doc}.txt", encoding="utf-8", newline="") as handle:
        return handle.read()


def test_mention_files_exist():
    assert FILES, "no mention gold files"
    assert {_doc(p) for p in FILES} <= set(json.loads(COVERAGE_FILE.read_text()))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_mentions_validate(path: Path):
    for record in _records(path):
        jsonschema.validate(record, SCHEMA)
        assert record["doc"] == _doc(path)
        assert record["start"] < record["end"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_mention_text_is_seed_slice(path: Path, seeds_dir: Path):
    seed = _seed(seeds_dir, _doc(path))
    bad = [
        (r["start"], r["end"], r["text"])
        for r in _records(path)
        if seed[r["start"] : r["end"]] != r["text"]
    ]
    assert not bad, f"text != seed[start:end]: {bad[:5]}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_duplicate_or_overlapping_spans(path: Path):
    spans = sorted((r["start"], r["end"]) for r in _records(path))
    assert len(spans) == len(set(spans)), "duplicate span"
    overlaps = [(a, b) for a, b in zip(spans, spans[1:]) if b[0] < a[1]]
    assert not overlaps, f"overlapping spans: {overlaps[:5]}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_mentions_inside_coverage(path: Path):
    ranges = json.loads(COVERAGE_FILE.read_text())[_doc(path)]
    outside = [
        (r["start"], r["end"])
        for r in _records(path)
        if not any(a <= r["start"] and r["end"] <= b for a, b in ranges)
    ]
    assert not outside, f"mentions outside the covered spans: {outside[:5]}"
