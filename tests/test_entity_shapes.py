"""Entity shape patterns (pipeline/lexicons/patterns.tsv): each row runs on its own positive and
negative example through the real tagger; a DRUG shape is a drug before any lexicon lists it."""

from __future__ import annotations

import csv
import re

import pytest

from pipeline.nlp import annotate_text
from pipeline.nlp.lexicon import lexicon_dir

with open(lexicon_dir() / "patterns.tsv", encoding="utf-8") as handle:
    handle.readline()
    ROWS = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _matches(row: dict, text: str) -> list[str]:
    return [m.group() for m in re.finditer(row["regex"], text)]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["comment"][:40])
def test_every_pattern_has_examples_and_matches_its_positive_only(row):
    assert row["positive"] and row["negative"], row
    assert _matches(row, row["positive"])
    assert not _matches(row, row["negative"])


@pytest.mark.parametrize("row", [r for r in ROWS if r["label"] == "DRUG"], ids=lambda r: r["comment"][:40])
def test_drug_shapes_are_tagged_as_drugs_by_the_tagger(row):
    expected = _matches(row, row["positive"])[0]
    drugs = {m.text: m.canonical for m in annotate_text(row["positive"]).mentions if m.label == "DRUG"}
    assert expected in drugs and drugs[expected] == drugs[expected].lower()
    negative = [m.text for m in annotate_text(row["negative"]).mentions if m.label == "DRUG"]
    assert not [t for t in negative if _matches(row, t)]


def test_a_code_prefix_of_a_longer_number_is_not_a_drug():
    prefix_rows = [r for r in ROWS if r["label"] == "DRUG" and "AZD" in r["regex"]]
    assert prefix_rows and not _matches(prefix_rows[0], "LY294.002 and PP242 inhibit mTOR.")
    assert _matches(prefix_rows[0], "LY294002 and PP242 inhibit mTOR.")
