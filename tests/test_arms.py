"""Trial-arm comparisons (pipeline/relations/arms.py, patterns/comparisons.tsv): each cue row on
its own examples, and the operator on small trial reports, positive and negative."""

from __future__ import annotations

import pytest

from pipeline.nlp import annotate_text
from pipeline.relations import extract_triples
from pipeline.relations.arms import comparisons

TRIAL = ("We randomised pregnant smokers to a physical activity intervention or to behavioural support alone. "
         "The physical activity group attended 14 sessions. Women in the physical activity group were "
         "compared with the control group at six weeks. ")


@pytest.mark.parametrize("row", comparisons(), ids=lambda r: r.id)
def test_every_comparison_cue_matches_its_positive_only(row):
    assert row.regex.search(row.positive)
    assert not row.regex.search(row.negative)


def _arm_findings(text: str) -> set[tuple[str, str, str]]:
    triples = extract_triples(annotate_text(text))
    return {(t.drug, t.outcome, t.effect) for t in triples if t.rule.startswith("arm-comparison")}


def test_no_difference_between_the_groups_is_no_effect_of_the_named_arm():
    found = _arm_findings(TRIAL + "There was no significant difference in smoking abstinence between the groups.")
    assert found == {("exercise programme", "smoking abstinence", "no_effect")}


def test_a_control_arm_named_after_the_cue_flips_the_direction():
    found = _arm_findings(TRIAL + "There were significantly more caesarean births in the control group than "
                                  "in the physical activity group.")
    assert found == {("exercise programme", "caesarean births", "decreases")}


def test_the_compared_measure_need_not_be_a_known_outcome():
    found = _arm_findings(TRIAL + "There was no significant difference in gestational weight between the groups.")
    assert found == {("exercise programme", "gestational weight", "no_effect")}


# Each negative case sits beside the positive sentence, so that it also fails with no engine.
RESULT = "There was no significant difference in smoking abstinence between the groups."
ONLY_RESULT = {("exercise programme", "smoking abstinence", "no_effect")}


def test_a_comparison_of_how_the_trial_ran_is_not_a_finding():
    assert _arm_findings(TRIAL + "The baseline characteristics were similar between the two groups. "
                         + RESULT) == ONLY_RESULT


def test_a_sentence_without_a_comparison_cue_gives_nothing():
    assert _arm_findings(TRIAL + "Maternal weight was measured by midwives in both groups. " + RESULT) == ONLY_RESULT


def test_groups_of_another_study_named_with_its_drugs_are_not_the_documents_arm():
    assert _arm_findings(TRIAL + "In a trial of varenicline, there was no difference in birth weight "
                                 "between the two groups. " + RESULT) == ONLY_RESULT


def test_a_review_without_a_named_arm_gives_no_arm_findings():
    review = ("Everolimus was studied in RADIANT-3. There was no difference in overall survival between "
              "the two groups.")
    assert not _arm_findings(review)
    assert _arm_findings(TRIAL + review) == {("exercise programme", "overall survival", "no_effect")}

