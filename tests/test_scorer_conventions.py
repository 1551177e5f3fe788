"""Scorer conventions of GUIDELINES v2, each with a paired positive and negative case."""

from __future__ import annotations

import json

import pytest

from pipeline.reconcile.compare import compare_stats, compare_triples
from pipeline.reconcile.evaluate import expand_targets, score_records
from pipeline.reconcile.normalize import Lexicon, outcome_class
from pipeline.reconcile.splits import agreement, cohen_kappa, evaluate_splits, generalisation_gap

LEX = Lexicon()
EV = "Curcumin plus cisplatin reduced the viability of A549 cells."


def _tri(drug, combined=(), target=None, outcome="cell viability", effect="decreases", evidence=EV, **kw):
    return {"doc": "d", "drug": drug, "combined_with": list(combined), "target": target,
            "outcome": outcome, "effect": effect, "evidence": evidence, **kw}


def test_regimen_matches_by_its_set_of_members():
    gold = _tri("cisplatin", ["curcumin"])
    assert compare_triples(gold, _tri("curcumin", ["cisplatin"]), LEX).matchable
    assert compare_triples(gold, _tri("curcumin", ["cisplatin"]), LEX).fields["combined_with"]


def test_a_different_regimen_is_not_the_same_agent():
    gold = _tri("cisplatin", ["curcumin"])
    other = compare_triples(gold, _tri("doxorubicin", ["curcumin"]), LEX)
    assert not other.matchable
    alone = compare_triples(gold, _tri("cisplatin"), LEX)
    assert alone.matchable and not alone.fields["combined_with"]  # agent right, regimen wrong


def test_slash_joined_target_counts_as_its_parts():
    joined = [_tri("x", target="GSDMD/GSDME", outcome=None)]
    parts = expand_targets(joined)
    assert [r["target"] for r in parts] == ["GSDMD", "GSDME"]
    gold = {"d": [_tri("x", target="GSDMD", outcome=None), _tri("x", target="GSDME", outcome=None)]}
    scores = score_records(gold, {}, {"d": joined}, {}, LEX)
    assert scores["triples"]["lenient"]["tp"] == 2 and scores["triples"]["lenient"]["fp"] == 0


def test_a_single_target_is_not_split():
    assert expand_targets([_tri("x", target="PD-1")]) == [_tri("x", target="PD-1")]
    gold = {"d": [_tri("x", target="GSDMD", outcome=None), _tri("x", target="GSDME", outcome=None)]}
    scores = score_records(gold, {}, {"d": [_tri("x", target="GSDMD", outcome=None)]}, {}, LEX)
    assert scores["triples"]["lenient"]["tp"] == 1 and scores["triples"]["lenient"]["fn"] == 1


@pytest.mark.parametrize("term, cls", [
    ("pyroptosis", "cell death"), ("HbA1c", "glycemic control"), ("nephrotoxicity", "organ toxicity"),
    ("well tolerated", "tolerability"), ("progression-free survival", "progression-free survival"),
    ("overall survival", "overall survival"), ("continuous abstinence", "behaviour"),
    ("cell death", "cell death"), ("tumour growth", "tumor growth"), ("septic shock", "sepsis/shock"),
])
def test_outcome_terms_map_to_their_class(term, cls):
    assert outcome_class(term, LEX) == cls


def test_outcome_classes_apply_for_lenient_matching():
    gold = _tri("x", outcome="cell death", outcome_text="pyroptosis")
    assert compare_triples(gold, _tri("x", outcome="pyroptosis"), LEX).matchable
    assert not compare_triples(gold, _tri("x", outcome="proliferation"), LEX).matchable
    assert outcome_class("an unheard-of phrase", LEX) == "other"


def _stat(model=None, field="analysis_model", **kw):
    base = {"doc": "d", "drug": "metformin", "combined_with": [], "measure": "rr", "value": 0.8,
            "ci_low": 0.6, "ci_high": 0.9, "evidence": "The pooled RR was 0.80 (95% CI 0.60-0.90)."}
    if model:
        base[field] = model
    return {**base, **kw}


def test_fixed_and_random_estimates_are_separate_records():
    gold = [_stat("fixed", "model"), _stat("random", "model")]
    both = score_records({"d": []}, {"d": gold}, {}, {"d": [_stat("fixed"), _stat("random")]}, LEX)
    assert both["stats"]["matched"]["tp"] == 2
    one = score_records({"d": []}, {"d": gold}, {}, {"d": [_stat("fixed"), _stat("fixed")]}, LEX)
    assert one["stats"]["matched"]["tp"] == 1 and one["stats"]["matched"]["fp"] == 1


def test_a_wrong_model_does_not_match_but_no_model_may():
    assert not compare_stats(_stat("random", "model"), _stat("fixed"), LEX).matchable
    assert compare_stats(_stat("random", "model"), _stat(), LEX).matchable


def test_cohen_kappa():
    assert cohen_kappa({"increases": {"increases": 5}, "decreases": {"decreases": 5}}) == 1.0
    assert cohen_kappa({"increases": {"decreases": 5}, "decreases": {"increases": 5}}) == -1.0
    assert cohen_kappa({}) is None
    # 20 pairs, 15 agree: p_o = .75, p_e = .5 → kappa .5
    assert cohen_kappa({"a": {"a": 8, "b": 2}, "b": {"a": 3, "b": 7}}) == pytest.approx(0.5)


def _write(path, records):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_agreement_scores_annotator_b_against_a(tmp_path):
    raw = tmp_path / "raw"
    a = [_tri("x", outcome="apoptosis", effect="increases"), _tri("y", effect="decreases")]
    b = [_tri("x", outcome="apoptosis", effect="increases"), _tri("y", effect="increases")]
    _write(raw / "p1.A.triples.jsonl", a)
    _write(raw / "p1.B.triples.jsonl", b)
    _write(raw / "p1.A.stats.jsonl", [_stat()])
    _write(raw / "p1.B.stats.jsonl", [])
    agree = agreement(raw, LEX)
    assert agree["docs"] == ["p1"]
    assert agree["triples_f1"] == 1.0 and agree["stats_f1"] == 0.0
    assert agree["effect_kappa"] < 1.0
    assert agreement(tmp_path / "nothing", LEX) == {}


def test_splits_score_each_split_and_report_the_gap(tmp_path):
    ann = tmp_path / "annotations"
    _write(ann / "seed1.triples.jsonl", [_tri("x", doc="seed1")])
    _write(ann / "papers" / "dev1.triples.jsonl", [_tri("x", doc="dev1")])
    _write(ann / "papers" / "test1.triples.jsonl", [_tri("x", doc="test1"), _tri("y", doc="test1")])
    (ann / "splits.json").write_text(json.dumps({
        "seed": ["seed1"], "dev": [{"doc": "dev1"}], "test": [{"doc": "test1"}, {"doc": "test2"}]}))
    _write(tmp_path / "text" / "triples.jsonl", [_tri("x", doc="seed1")])
    _write(tmp_path / "papers" / "triples.jsonl", [_tri("x", doc="test1"), _tri("x", doc="dev1")])
    splits = evaluate_splits({"text": tmp_path / "text"}, tmp_path / "papers", None, ann, LEX)
    assert splits["seed"]["scores"]["text"]["triples"]["f1"] == 1.0
    assert splits["dev"]["scores"]["pdf"]["triples"]["f1"] == 1.0
    assert splits["test"]["docs"] == ["test1"] and splits["test"]["missing_gold"] == ["test2"]
    assert splits["test"]["scores"]["pdf"]["triples"]["recall"] == 0.5
    gap = generalisation_gap(splits)
    assert gap["triples_f1"] == pytest.approx(1.0 - splits["test"]["scores"]["pdf"]["triples"]["f1"])


def test_test_split_is_not_scored_while_rules_are_written(tmp_path):
    ann = tmp_path / "annotations"
    _write(ann / "papers" / "test1.triples.jsonl", [_tri("x", doc="test1")])
    (ann / "splits.json").write_text(json.dumps({"seed": [], "dev": [], "test": [{"doc": "test1"}]}))
    _write(tmp_path / "papers" / "triples.jsonl", [_tri("x", doc="test1")])
    hidden = evaluate_splits({}, tmp_path / "papers", None, ann, LEX, score_test=False)
    assert hidden["test"]["scores"] == {} and hidden["test"]["docs"] == ["test1"]
    shown = evaluate_splits({}, tmp_path / "papers", None, ann, LEX, score_test=True)
    assert shown["test"]["scores"]["pdf"]["triples"]["f1"] == 1.0


def test_metrics_json_has_splits_agreement_and_provenance(tmp_path):
    from pipeline.report.build import evaluate_and_report
    from tests.conftest import ANNOTATIONS

    pred = tmp_path / "text"
    _write(pred / "triples.jsonl", [])
    _write(pred / "stats.jsonl", [])
    result = evaluate_and_report({"text": pred}, ANNOTATIONS, tmp_path / "report")
    metrics = json.loads((tmp_path / "report" / "metrics.json").read_text())
    assert set(metrics["splits"]) == {"seed", "dev", "test"}
    assert metrics["splits"]["seed"]["scores"]["text"]["triples"]["recall"] == 0.0
    assert len(metrics["splits"]["dev"]["docs"]) == 4 and len(metrics["splits"]["test"]["docs"]) == 4
    assert 0 < metrics["agreement"]["triples_f1"] <= 1 and 0 < metrics["agreement"]["stats_f1"] <= 1
    assert metrics["agreement"]["effect_kappa"] is not None
    assert metrics["date"] and "gap" in metrics
    assert "Splits: seed, development, test" in result.index_html.read_text()
