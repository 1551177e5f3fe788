"""Full-paper gold (annotations/papers/) is trustworthy: every record validates, carries its
paper's id prefix, and quotes the PDF's text layer verbatim (whitespace- and hyphen-normalised).

The text layer is poppler's ``pdftotext`` in reading order, as GUIDELINES v2 prescribes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ANNOTATIONS, CORPUS_REAL

PAPERS = ANNOTATIONS / "papers"
SPLITS = json.loads((ANNOTATIONS / "splits.json").read_text(encoding="utf-8"))
PREFIX = {e["doc"]: e["prefix"] for split in ("dev", "test") for e in SPLITS[split]}
SCHEMAS = {
    "triples": json.loads((ANNOTATIONS / "schema" / "triple.schema.json").read_text()),
    "stats": json.loads((ANNOTATIONS / "schema" / "stat.schema.json").read_text()),
}
GOLD_FILES = sorted(PAPERS.glob("*.jsonl")) + sorted((PAPERS / "raw").glob("*.jsonl"))
LIGATURES = {"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl"}
_DROP = re.compile(r"[\s\-‐‑‒–—−­]+")


def squeeze(text: str) -> str:
    """Whitespace and hyphen characters removed, ligatures spelled out."""
    for lig, plain in LIGATURES.items():
        text = text.replace(lig, plain)
    return _DROP.sub("", text)


@lru_cache(maxsize=None)
def text_layer(doc: str) -> str:
    pdf = CORPUS_REAL / f"{doc}.pdf"
    if not pdf.is_file():
        pytest.skip("../shared/corpus-real is not beside the project")
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed to check gold quotes; .ci/run installs it")
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
    return squeeze(out.stdout.decode("utf-8", "replace"))


def _doc_and_kind(path: Path) -> tuple[str, str]:
    parts = path.name.split(".")
    return parts[0], parts[-2]


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_splits_are_disjoint_and_mix_kinds():
    seed, dev, test = (set(SPLITS["seed"]), {e["doc"] for e in SPLITS["dev"]},
                       {e["doc"] for e in SPLITS["test"]})
    assert len(dev) == 4 and len(test) >= 4
    assert not (seed & dev or seed & test or dev & test)
    assert len({e["kind"] for e in SPLITS["test"]}) >= 3
    assert len(set(PREFIX.values())) == len(PREFIX)


def test_gold_files_belong_to_split_papers():
    for path in GOLD_FILES:
        doc, kind = _doc_and_kind(path)
        assert doc in PREFIX, f"{path.name}: not a dev/test paper in splits.json"
        assert kind in SCHEMAS, path.name


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_records_validate_and_carry_the_paper_prefix(path):
    doc, kind = _doc_and_kind(path)
    for record in _records(path):
        jsonschema.validate(record, SCHEMAS[kind])
        assert record["doc"] == doc, (path.name, record["id"])
        assert record["id"].startswith(PREFIX[doc] + "-"), (path.name, record["id"])


@pytest.mark.shared
@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_every_evidence_quote_is_verbatim_in_the_pdf_text(path):
    doc, _ = _doc_and_kind(path)
    layer = text_layer(doc)
    missing = []
    for record in _records(path):
        quote = record["evidence"]
        # A table row is its cells joined by " | ": each cell must be in the text layer.
        pieces = [c for c in quote.split(" | ")] if record.get("source") == "table" else [quote]
        if not all(squeeze(p) in layer for p in pieces if squeeze(p)):
            missing.append(record["id"])
    assert not missing, f"{path.name}: quotes not found verbatim: {missing}"


def test_squeeze_normalises_only_whitespace_hyphens_and_ligatures():
    assert squeeze("inhibi-\ntion of the ﬁrst") == squeeze("inhibition of the first")
    assert squeeze("PD-1 blockade") == squeeze("PD1 blockade")
    assert squeeze("cisplatin") != squeeze("carboplatin")
