"""Matching rules of the reconciler, each on a tiny hand-made case."""

from __future__ import annotations

import json

import pytest

from pipeline.reconcile import normalize as norm
from pipeline.reconcile.compare import compare_stats, compare_triples
from pipeline.reconcile.evaluate import evaluate_label
from pipeline.reconcile.match import match
from pipeline.reconcile.normalize import Lexicon

LEX = Lexicon(
    drugs={"rad001": "everolimus", "rapamycin": "sirolimus"},
    genes={"akt": "AKT", "mtor": "MTOR", "pi3k": "PI3K", "akt1": "AKT1"},
    outcomes={"tumor volume": "tumor growth"},
)
SENTENCE = "Everolimus inhibited mTOR and decreased proliferation of OS cells [12]."


def triple(**fields) -> dict:
    base = {"doc": "d", "drug": "everolimus", "target": "MTOR", "interaction": "inhibits",
            "outcome": "proliferation", "effect": "decreases", "combined_with": [],
            "context": None, "hedged": False, "negated": False, "evidence": SENTENCE}
    return base | fields


def stat(**fields) -> dict:
    base = {"doc": "d", "drug": "everolimus", "measure": "median_pfs", "value": 11.0, "n": 410,
            "hr": 0.35, "ci_low": 0.27, "ci_high": 0.45, "p_value": "<0.001", "dose": "10 mg daily",
            "study": "RADIANT-3", "phase": "3",
            "evidence": "Median PFS was 11.0 months with everolimus vs 4.6 months with placebo (HR 0.35)."}
    return base | fields


def run(gold: list[dict], pred: list[dict], compare=compare_triples):
    return match(gold, pred, lambda g, p: compare(g, p, LEX))


# --------------------------------------------------------------------------- normalization


def test_drug_synonym_resolves_to_inn():
    comparison = compare_triples(triple(), triple(drug="RAD001"), LEX)
    assert comparison.fields["drug"] and comparison.strict


def test_drug_class_in_singular_meets_its_plural_synonym():
    lexicon = norm.Lexicon(drugs={"antibiotics": "anti-bacterial agents"})
    assert norm.drug("antibiotic", lexicon) == norm.drug("Antibiotics", lexicon) == "anti-bacterial agents"
    assert norm.drug("erlotinib", lexicon) == "erlotinib"


def test_greek_letters_meet_their_spelled_out_names():
    assert norm.fold("β-Elemene") == norm.fold("beta-elemene") == "beta elemene"


def test_real_lexicon_knows_rad001():
    lexicon = norm.load_lexicon()
    if not lexicon.drugs:
        pytest.skip("compiled lexicons not present")
    assert norm.drug("RAD001", lexicon) == "everolimus"
    assert norm.drug(" Rapamycin ", lexicon) == "sirolimus"


def test_target_lists_compare_as_case_insensitive_sets():
    assert norm.targets_equal("PI3K/AKT/MTOR", "mTOR/Akt/PI3K", LEX)
    assert not norm.targets_equal("PI3K/AKT/MTOR", "PI3K/MTOR", LEX)
    assert norm.targets_overlap("PI3K/AKT/MTOR", "PI3K/MTOR", LEX)
    assert not norm.targets_overlap("PI3K", "MTOR", LEX)


def test_family_matches_member_only_when_membership_is_known():
    assert not norm.targets_equal("AKT", "AKT1", LEX)
    with_family = Lexicon(genes=LEX.genes, families={"AKT": frozenset({"AKT1", "AKT2", "AKT3"})})
    assert norm.targets_equal("AKT", "AKT1", with_family)
    assert norm.targets_overlap("AKT1/MTOR", "AKT", with_family)


def test_outcome_normalization():
    assert norm.outcome("Tumour  Volume", LEX) == "tumor growth"
    assert norm.outcome("Progression-free survival", LEX) == norm.outcome("progression free  survival", LEX)
    assert compare_triples(triple(outcome="cell-growth"), triple(outcome="Cell growth"), LEX).fields["outcome"]


def test_evidence_overlap_ignores_whitespace_latex_and_tags():
    gold = "PFS improved ($p = 0.02$) with<sup>12</sup>  everolimus."
    pred = "PFS improved (p = 0.02) with 12 everolimus."
    assert norm.evidence_overlap(gold, pred) == 1.0


def test_evidence_threshold_decides_same_sentence():
    # 4 of the prediction's 8 tokens are in the gold sentence: containment 0.5 -> same sentence.
    pred = "everolimus inhibited mtor and then something else entirely"
    assert norm.evidence_overlap(SENTENCE, pred) == pytest.approx(4 / 8)
    assert compare_triples(triple(), triple(evidence=pred), LEX).matchable
    other = "everolimus inhibited many unrelated things in another model system today"
    assert norm.evidence_overlap(SENTENCE, other) < 0.5
    assert not compare_triples(triple(), triple(evidence=other), LEX).matchable


def test_table_rows_compare_cell_tokens():
    gold = "| Phase-II | 37 | Temsirolimus 25 mg/w | 5.6% |"
    pred = "Phase-II 37 Temsirolimus 25 mg/w 5.6%"
    assert norm.evidence_overlap(gold, pred) == 1.0


def test_numbers_equal_within_tolerance_or_same_rounding():
    assert norm.same_number(11.0, 11.0000004)
    assert norm.same_number(16.43, 16.4)
    assert not norm.same_number(16.5, 16.4)
    assert not norm.same_number(5, 5.4)  # rounding never coarser than one decimal
    assert norm.same_number(None, None) and not norm.same_number(None, 1.0)


def test_p_value_normalization():
    assert norm.p_value("< 0.001") == norm.p_value("<0.001") == norm.p_value("P<.001") == "<0.001"
    assert norm.p_value("= 0.026") == norm.p_value(0.026) == "0.026"
    assert norm.p_value("<0.001") != norm.p_value("0.001")


def test_phase_normalization():
    assert norm.phase("Phase II") == "2" and norm.phase("I/II") == "1/2" and norm.phase("1b") == "1b"


# --------------------------------------------------------------------------- matching


def test_null_gold_target_against_predicted_target():
    comparison = compare_triples(triple(target=None, interaction=None), triple(), LEX)
    assert comparison.matchable  # drug + outcome from the right sentence
    assert not comparison.fields["target"] and not comparison.strict


def test_null_null_target_does_not_make_a_lenient_match():
    gold = triple(target=None, interaction=None)
    pred = triple(target=None, interaction=None, outcome="apoptosis", effect="increases")
    assert not compare_triples(gold, pred, LEX).matchable


def test_duplicate_predictions_give_one_tp_and_one_fp():
    result = run([triple()], [triple(), triple()])
    assert len(result.pairs) == 1 and len(result.false_positives) == 1 and not result.false_negatives


def test_one_gold_two_candidates_the_better_one_matches():
    worse = triple(effect="increases")
    better = triple(drug="RAD001")
    result = run([triple()], [worse, better])
    assert result.pairs[0].pred is better
    assert result.false_positives == [worse]


def test_assignment_is_global_not_greedy():
    # Prediction A fits both gold records; B fits only the first. Greedy would lose a match.
    g1, g2 = triple(), triple(outcome="apoptosis", effect="increases", target=None, interaction=None)
    a = triple(outcome="apoptosis", effect="increases")  # lenient for g1 (target) and g2 (outcome)
    b = triple()
    result = run([g1, g2], [a, b])
    assert len(result.pairs) == 2


def test_strict_versus_lenient():
    wrong_effect = triple(effect="increases")
    comparison = compare_triples(triple(), wrong_effect, LEX)
    assert comparison.matchable and not comparison.strict
    wrong_drug = triple(drug="sirolimus")
    assert not compare_triples(triple(), wrong_drug, LEX).matchable


def test_stats_match_on_measure_value_and_arm():
    assert compare_stats(stat(), stat(value=11.04), LEX).matchable  # same rounding
    assert not compare_stats(stat(), stat(value=11.2), LEX).matchable
    assert not compare_stats(stat(), stat(measure="median_os"), LEX).matchable
    assert not compare_stats(stat(), stat(drug="placebo"), LEX).matchable
    comparison = compare_stats(stat(), stat(p_value="< 0.001", phase="III", ci_high=0.46), LEX)
    assert comparison.fields["p_value"] and comparison.fields["phase"]
    assert not comparison.fields["ci"] and not comparison.strict


# --------------------------------------------------------------------------- metrics


def write(folder, name, records):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_hand_computed_precision_recall_f1(tmp_path):
    """Gold: 4 triples. Predictions: 2 exact, 1 with the wrong effect, 2 spurious.

    lenient: tp 3, fp 2, fn 1 -> P 3/5 = 0.6, R 3/4 = 0.75, F1 6/9 = 0.666667
    strict:  tp 2, fp 3, fn 2 -> P 0.4, R 0.5, F1 4/9 = 0.444444
    """
    other = "Rapamycin induced apoptosis and autophagy in tumour cells."
    gold = [triple(), triple(outcome="cell growth"),
            triple(drug="sirolimus", target=None, interaction=None, outcome="apoptosis",
                   effect="increases", evidence=other),
            triple(drug="sirolimus", target=None, interaction=None, outcome="autophagy",
                   effect="increases", evidence=other)]
    pred = [triple(), triple(outcome="cell growth"),
            triple(drug="rapamycin", target=None, interaction=None, outcome="apoptosis",
                   effect="decreases", evidence=other),
            triple(drug="metformin"), triple(outcome="migration", target=None)]
    write(tmp_path / "gold", "d.triples.jsonl", gold)
    write(tmp_path / "pred", "triples.jsonl", pred)
    metrics = evaluate_label(tmp_path / "pred", tmp_path / "gold", LEX)["triples"]
    assert metrics["lenient"] == {"tp": 3, "fp": 2, "fn": 1, "precision": 0.6, "recall": 0.75,
                                  "f1": 0.666667}
    assert metrics["strict"] == {"tp": 2, "fp": 3, "fn": 2, "precision": 0.4, "recall": 0.5,
                                 "f1": 0.444444}
    # drug-target: gold 2, pred 3 (two exact + metformin); both exact pairs agree.
    assert metrics["by_type"]["drug_target"]["lenient"] | {} == {
        "tp": 2, "fp": 1, "fn": 0, "precision": 0.666667, "recall": 1.0, "f1": 0.8}
    assert metrics["fields"]["effect"] == {"correct": 2, "total": 3, "accuracy": 0.666667}
    assert metrics["effect_confusion"] == {"decreases": {"decreases": 2}, "increases": {"decreases": 1}}
    errors = metrics["errors"]["d"]
    assert [e["outcome"] for e in errors["fn"]] == ["autophagy"]
    assert sorted(e["drug"] for e in errors["fp"]) == ["everolimus", "metformin"]
    assert errors["mismatch"][0]["wrong"] == ["effect"]


def test_stats_arm_is_the_regimen_whichever_agent_is_primary():
    gold = stat(drug="everolimus", combined_with=["octreotide"])
    swapped = stat(drug="octreotide", combined_with=["everolimus"])
    comparison = compare_stats(gold, swapped, LEX)
    assert comparison.matchable and not comparison.fields["drug"] and not comparison.strict
    partial = compare_stats(gold, stat(drug="everolimus", combined_with=[]), LEX)
    assert partial.matchable and not partial.fields["combined_with"]
    assert not compare_stats(gold, stat(drug="octreotide", combined_with=[]), LEX).matchable
