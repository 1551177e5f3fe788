"""Compiled lexicons: headers, size limits, key entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.nlp.lexicon import load_lexicon

LEXICONS = Path(__file__).resolve().parents[1] / "pipeline" / "lexicons"


@pytest.mark.parametrize("name", ["drugs.tsv", "genes.tsv", "diseases.tsv", "curated.tsv", "ambiguous.tsv",
                                  "patterns.tsv", "fuzzy_block.tsv"])
def test_header_and_size(name):
    path = LEXICONS / name
    assert path.read_text(encoding="utf-8").startswith("# source:")
    assert path.stat().st_size < 3_000_000


def test_key_entries():
    entries = {(e.term, e.label): e for e in load_lexicon().entries}
    # The drug's own MeSH descriptor, not its pharmacological action ("mTOR Inhibitors").
    assert entries["everolimus", "DRUG"].identifier == "MESH:D000068338"
    assert entries["rapamycin", "DRUG"].identifier == "MESH:D020123"
    assert entries["doxorubicin", "DRUG"].identifier == "MESH:D004317"
    assert entries["mTOR", "GENE_OR_PROTEIN"].identifier == "HGNC:3942"
    assert entries["mTORC1", "GENE_OR_PROTEIN"].identifier == "FPLX:mTORC1"
    assert entries["osteosarcoma", "DISEASE"].identifier == "DOID:3347"
    assert entries["SET", "GENE_OR_PROTEIN"].ambiguous


def test_curated_rows_have_reasons():
    lines = (LEXICONS / "curated.tsv").read_text(encoding="utf-8").splitlines()[2:]
    assert all(len(line.split("\t")) == 6 and line.split("\t")[5] for line in lines)
