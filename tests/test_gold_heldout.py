"""The held-out gold set is trustworthy: every record validates and quotes its held-out text verbatim.

The held-out documents (`annotations/heldout/<doc>.txt`) are sentences chosen by reading from real
articles (see `annotations/heldout/README.md`); they live in the project, so nothing here is skipped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ANNOTATIONS

HELDOUT = ANNOTATIONS / "heldout"
SCHEMAS = {
    "triples": json.loads((ANNOTATIONS / "schema" / "triple.schema.json").read_text()),
    "stats": json.loads((ANNOTATIONS / "schema" / "stat.schema.json").read_text()),
}
DOCS = {
    "stemcellsint2016_acar_notch_breast_cancer_review": "901",
    "expmolmed2023_lee_eprs1_phosphocode_review": "902",
    "cancers2022_bawaneh_tnbc_microbiota_doxorubicin": "903",
    "bmccancer2016_yu_t2dm_colorectal_adenoma_meta": "904",
    "clinsci2014_douglas_ace_ndomain_inhibitors": "905",
    "pain2014_seretny_cipn_systematic_review": "906",
    "cancercell2022_zhang_kras_g12c_neoepitopes": "907",
    "bmj2015_ussher_pregnancy_smoking_rct": "908",
}
GOLD_FILES = [HELDOUT / f"{doc}.{kind}.jsonl" for doc in DOCS for kind in ("triples", "stats")]


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _paragraphs(doc: str) -> list[str]:
    text = (HELDOUT / f"{doc}.txt").read_text(encoding="utf-8")
    return [_collapse(p) for p in re.split(r"\n\s*\n", text) if p.strip()]


def test_every_heldout_document_has_text_and_gold_files():
    for doc in DOCS:
        assert (HELDOUT / f"{doc}.txt").is_file(), doc
        for kind in ("triples", "stats"):
            assert (HELDOUT / f"{doc}.{kind}.jsonl").is_file(), (doc, kind)
    assert (HELDOUT / "README.md").is_file()


def test_heldout_texts_are_one_sentence_per_paragraph():
    total = 0
    for doc in DOCS:
        paragraphs = _paragraphs(doc)
        assert paragraphs, doc
        assert len(paragraphs) == len(set(paragraphs)), f"{doc}: duplicate paragraph"
        for p in paragraphs:
            assert "\n" not in p
            assert not re.search(r"[a-z]-\s[a-z]", p), f"{doc}: line-end hyphen left in {p[:60]!r}"
        total += len(paragraphs)
    assert 100 <= total <= 130, total


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_heldout_records_validate(path: Path):
    doc, kind = path.name.split(".")[:2]
    ids = set()
    for record in _records(path):
        jsonschema.validate(record, SCHEMAS[kind])
        assert record["doc"] == doc
        assert record["id"].startswith(DOCS[doc] + "-"), record["id"]
        assert record["id"] not in ids, f"duplicate id {record['id']}"
        ids.add(record["id"])
        if kind == "triples":
            filled = sum(record[k] is not None for k in ("drug", "target", "outcome"))
            assert filled >= 2, f"{record['id']}: fewer than two of drug/target/outcome"
            assert (record["target"] is None) == (record["interaction"] is None), record["id"]
            assert (record["outcome"] is None) == (record["effect"] is None), record["id"]
            assert record["combined_with"] == sorted(record["combined_with"]), record["id"]
            if record["effect"] == "no_effect":
                assert record["negated"], record["id"]


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_heldout_evidence_is_verbatim(path: Path):
    doc = path.name.split(".")[0]
    source = _collapse((HELDOUT / f"{doc}.txt").read_text(encoding="utf-8"))
    paragraphs = set(_paragraphs(doc))
    missing = [r["id"] for r in _records(path) if _collapse(r["evidence"]) not in source]
    assert not missing, f"evidence not found verbatim in {doc}.txt: {missing}"
    # Each evidence is one whole selected sentence (a paragraph of the held-out text).
    partial = [r["id"] for r in _records(path) if _collapse(r["evidence"]) not in paragraphs]
    assert not partial, f"evidence is not a whole paragraph of {doc}.txt: {partial}"
