"""Mention-level NER scorer: a hand-made case, then the seeds against annotations/mentions."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from pipeline.reconcile.mentions import Alignment, Span, score_mentions, score_spans
from pipeline.records import Mention, Provenance


def _mention(doc_id: str, text: str, surface: str, label: str, canonical: str, ident=None, nth: int = 0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(doc_id=doc_id, start=start, end=start + len(surface), text=surface, label=label,
                   canonical=canonical, identifier=ident, match="exact",
                   provenance=Provenance(stage="test"))


def test_alignment_maps_wrapped_raw_text_to_unwrapped_text():
    raw = "Everolimus inhibits\nmTOR complex 1.\n\nFigure 1: a caption\n\nIt binds FKBP12."
    canonical = "Everolimus inhibits mTOR complex 1.\n\nIt binds FKBP12."
    a = Alignment(raw, canonical)
    span = a.raw_to_canonical(raw.index("inhibits\nmTOR"), raw.index("inhibits\nmTOR") + 13)
    assert canonical[span[0]:span[1]] == "inhibits mTOR"
    assert a.raw_to_canonical(raw.index("caption"), raw.index("caption") + 7) is None  # dropped block
    assert a.canonical_to_raw(canonical.index("FKBP12")) == raw.index("FKBP12")


def test_score_spans_exact_overlap_and_normalization():
    gold = [Span(0, 10, "DRUG", "everolimus", "everolimus", None),
            Span(20, 34, "GENE_OR_PROTEIN", "mTOR complex 1", "mTORC1", "FPLX:mTORC1"),
            Span(40, 46, "GENE_OR_PROTEIN", "FKBP12", "FKBP1A", "HGNC:3711"),
            Span(50, 59, "DRUG", "capsaicin", "capsaicin", None)]
    pred = [Span(0, 10, "DRUG", "everolimus", "Everolimus", "MESH:D000068338"),  # exact, case-folded name
            Span(20, 24, "GENE_OR_PROTEIN", "mTOR", "MTOR", "HGNC:3942"),  # overlap, wrong identity
            Span(40, 46, "GENE_OR_PROTEIN", "FKBP12", "FKBP1A", "HGNC:3711"),
            Span(60, 70, "DRUG", "cellulose", "carboxymethylcellulose", None)]  # false positive
    s = score_spans(gold, pred)
    assert s["DRUG"]["exact"]["tp"] == 1 and s["DRUG"]["exact"]["precision"] == 0.5
    assert s["DRUG"]["exact"]["recall"] == 0.5 and s["DRUG"]["normalization"]["accuracy"] == 1.0
    gene = s["GENE_OR_PROTEIN"]
    assert gene["exact"]["tp"] == 1 and gene["overlap"]["tp"] == 2
    assert gene["overlap"]["f1"] == 1.0 and gene["exact"]["f1"] == 0.5
    assert gene["normalization"]["correct"] == 1 and gene["normalization"]["accuracy"] == 0.5
    # Identifiers are compared only within one namespace: HGNC vs FPLX says nothing.
    assert gene["identifiers"] == {"agree": 1, "comparable": 1, "accuracy": 1.0}
    assert s["DRUG"]["identifiers"]["comparable"] == 0


def test_right_name_with_wrong_identifier_is_an_identifier_error():
    s = score_spans([Span(0, 9, "DRUG", "sirolimus", "sirolimus", "MESH:D020123")],
                    [Span(0, 9, "DRUG", "sirolimus", "sirolimus", "MESH:D007166")])
    assert s["DRUG"]["normalization"]["accuracy"] == 1.0
    assert s["DRUG"]["identifiers"]["accuracy"] == 0.0
    assert s["DRUG"]["errors"]["identifier"]


def test_label_mismatch_is_both_error_kinds():
    s = score_spans([Span(0, 6, "GENE_OR_PROTEIN", "Raptor", "RPTOR", None)],
                    [Span(0, 6, "DRUG", "Raptor", "raptor", None)])
    assert s["GENE_OR_PROTEIN"]["overlap"]["recall"] == 0.0
    assert s["DRUG"]["overlap"]["precision"] == 0.0


def test_score_mentions_end_to_end_on_a_tiny_gold_folder(tmp_path: Path):
    raw = "Rapamycin blocks\nmTOR in cells.\n\nTable 1: rapamycin\n\nOutside text: sirolimus and AKT.\n"
    canonical = "Rapamycin blocks mTOR in cells.\n\nOutside text: sirolimus and AKT.\n"
    seeds, gold = tmp_path / "seeds", tmp_path / "gold"
    seeds.mkdir(), gold.mkdir()
    (seeds / "d1.txt").write_text(raw, encoding="utf-8")
    covered_end = raw.index("Outside")
    (gold / "coverage.json").write_text(json.dumps({"d1": [[0, covered_end]]}))
    records = [
        {"doc": "d1", "start": 0, "end": 9, "text": "Rapamycin", "label": "DRUG", "canonical": "sirolimus"},
        {"doc": "d1", "start": raw.index("mTOR"), "end": raw.index("mTOR") + 4, "text": "mTOR",
         "label": "GENE_OR_PROTEIN", "canonical": "MTOR", "identifier": "HGNC:3942"},
        {"doc": "d1", "start": raw.index("rapamycin"), "end": raw.index("rapamycin") + 9, "text": "rapamycin",
         "label": "DRUG", "canonical": "sirolimus"},  # in a table: unreachable
    ]
    (gold / "d1.mentions.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    mentions = [
        _mention("d1", canonical, "Rapamycin", "DRUG", "sirolimus"),
        _mention("d1", canonical, "mTOR", "GENE_OR_PROTEIN", "MTOR", "HGNC:3942"),
        _mention("d1", canonical, "sirolimus", "DRUG", "sirolimus"),  # outside coverage: ignored
        _mention("d1", canonical, "AKT", "GENE_OR_PROTEIN", "AKT"),
    ]
    annotated = SimpleNamespace(doc=SimpleNamespace(text=canonical), mentions=mentions)
    result = score_mentions({"d1": annotated}, gold, seeds)
    overall = result["overall"]
    assert overall["DRUG"]["exact"] == {"tp": 1, "pred": 1, "gold": 1, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert overall["GENE_OR_PROTEIN"]["exact"]["f1"] == 1.0
    assert overall["DRUG"]["normalization"]["accuracy"] == 1.0
    assert len(result["unreachable"]) == 1


@pytest.fixture(scope="module")
def seed_scores(seeds_dir: Path) -> dict:
    from pipeline.reconcile.mentions import annotate_seeds

    return score_mentions(annotate_seeds(seeds_dir=seeds_dir), seeds_dir=seeds_dir)["overall"]


# Thresholds actually reached on the seeds (overlap match), kept as a regression floor.
FLOORS = {"DRUG": (0.95, 0.97), "GENE_OR_PROTEIN": (0.94, 0.93)}


@pytest.mark.parametrize("label", sorted(FLOORS))
def test_seed_mentions_reach_floor(seed_scores: dict, label: str):
    f1_floor, norm_floor = FLOORS[label]
    assert seed_scores[label]["overlap"]["f1"] >= f1_floor
    assert seed_scores[label]["normalization"]["accuracy"] >= norm_floor
