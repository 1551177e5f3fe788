"""Statistics of a trial report go to its intervention arm (stats.extract._with_trial_arm, using
relations.arms.intervention_arm): not a relation test, so it lives apart from the null-engine check."""

from __future__ import annotations

from pipeline.nlp import annotate_text
from tests.test_arms import TRIAL


def test_a_result_naming_the_trial_arm_is_that_arms_statistic():
    from pipeline.stats.extract import extract_stats

    text = (TRIAL + "Nicotine replacement therapy was not offered.\n\nThe rate of validated abstinence at end of "
            "pregnancy was 8% in the physical activity group and 6% in the control group (odds ratio 1.21, "
            "95% confidence interval 0.70 to 2.10).")
    stats = extract_stats(annotate_text(text))
    found = {(s.measure, s.value, s.drug) for s in stats if s.value in (8.0, 1.21)}
    assert found == {("event_rate", 8.0, "exercise programme"), ("or", 1.21, "exercise programme")}


def test_a_result_naming_its_own_drug_keeps_it_in_a_trial_report():
    from pipeline.stats.extract import extract_stats

    text = (TRIAL + "\n\nIn an earlier trial, the abstinence rate with bupropion was 12% in the bupropion group "
            "and 5% in the placebo group.")
    drugs = {s.drug for s in extract_stats(annotate_text(text)) if s.value == 12.0}
    assert drugs == {"bupropion"}
