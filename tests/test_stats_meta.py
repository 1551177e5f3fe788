"""Meta-analysis statistic patterns (pipeline/stats/patterns/*.tsv): every row's own positive and
negative example, plus the engine's general operators (CI, model, thresholds)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.stats.meta import context_patterns, meta_patterns
from pipeline.stats.sentences import parse_sentence

META = meta_patterns()
CONTEXT = context_patterns()


def _measures(text: str) -> list[str]:
    return [f.measure for f in parse_sentence(text)]


def test_pattern_files_are_loaded():
    assert len(META) >= 7 and {"model_fixed", "model_random", "pooled_counts", "methods_threshold"} <= set(CONTEXT)


@pytest.mark.parametrize("row", META, ids=lambda r: r.id)
def test_meta_pattern_positive_example(row):
    assert row.measure in _measures(row.positive), row.positive


@pytest.mark.parametrize("row", META, ids=lambda r: r.id)
def test_meta_pattern_negative_example(row):
    assert row.measure not in _measures(row.negative), row.negative


@pytest.mark.parametrize("key", ["model_fixed", "model_random"])
def test_model_patterns_on_their_examples(key):
    row = CONTEXT[key]
    assert {f.analysis_model for f in parse_sentence(row.positive) if f.value is not None} == {row.measure}
    assert row.measure not in {f.analysis_model for f in parse_sentence(row.negative)}


def test_pooled_counts_on_their_examples():
    row = CONTEXT["pooled_counts"]
    counts = [f for f in parse_sentence(row.positive) if f.measure == "n_patients"]
    assert [(f.n, f.n_studies) for f in counts] == [(4179, 31), (359, 8)]
    assert not [f for f in parse_sentence(row.negative) if f.measure == "n_patients"]


def test_methods_threshold_is_not_a_result():
    row = CONTEXT["methods_threshold"]
    assert parse_sentence(row.positive) == []
    assert parse_sentence(row.negative)  # the same numbers as a result are read


def test_pooled_hr_with_words_between_and_bracket_ci():
    (f,) = [f for f in parse_sentence("The pooled HR for recurrence was 2.05 (1.51–2.77), P < 0.001.")
            if f.measure == "hr"]
    assert (f.hr, f.ci_low, f.ci_high, f.p_value) == (2.05, 1.51, 2.77, "<0.001")


def test_fixed_and_random_estimates_in_one_sentence_are_two_findings():
    text = ("The pooled RR was 0.82 (95% CI 0.70–0.96) with the fixed-effect model and "
            "RR 0.82 (95% CI 0.66–1.02) with the random-effects model.")
    rr = [f for f in parse_sentence(text) if f.measure == "rr"]
    assert len(rr) == 2 and {f.ci_high for f in rr} == {0.96, 1.02}


def test_i2_takes_its_heterogeneity_p():
    (f,) = [f for f in parse_sentence("Heterogeneity was high (I2 = 74%, P < 0.001).") if f.measure == "i2"]
    assert (f.value, f.unit, f.p_value) == (74.0, "%", "<0.001")


def test_response_rate_abbreviation_with_percent_is_not_a_risk_ratio():
    assert "rr" not in _measures("The RR was 45% with sunitinib.")


@given(value=st.decimals(min_value="0.05", max_value="9.99", places=2),
       low=st.decimals(min_value="0.01", max_value="0.99", places=2),
       width=st.decimals(min_value="0.01", max_value="9.00", places=2),
       name=st.sampled_from(["odds ratio", "OR", "risk ratio", "RR", "relative risk"]))
def test_ratio_and_ci_round_trip(value, low, width, name):
    high = low + width
    text = f"The pooled {name} was {value} (95% CI {low}–{high})."
    found = [f for f in parse_sentence(text) if f.measure in {"or", "rr"}]
    assert len(found) == 1
    assert (found[0].value, found[0].ci_low, found[0].ci_high) == (float(value), float(low), float(high))


def test_ci_level_right_after_the_estimate_is_not_part_of_it():
    text = "in pancreatic NETs (HR = 0.49 95% CI: 0.29–0.83) than in others (HR = 0.71 95% CI: 0.49–1.02)."
    assert [(f.hr, f.ci_low, f.ci_high) for f in parse_sentence(text)] == [(0.49, 0.29, 0.83), (0.71, 0.49, 1.02)]


def test_i2_without_a_percent_sign():
    (f,) = [f for f in parse_sentence("There was considerable heterogeneity (I2 = 98.2, P < .001).") if f.measure == "i2"]
    assert (f.value, f.p_value) == (98.2, "<.001")


def test_an_estimate_named_with_a_long_qualifier_before_its_number():
    text = ("The rate was 8% in the physical activity group and 6% in the control group (odds ratio for "
            "physical activity group, adjusted for recruitment centre only 1.21, 95% confidence interval "
            "0.70 to 2.10).")
    found = [(f.measure, f.value, f.ci_low, f.ci_high) for f in parse_sentence(text) if f.measure == "or"]
    assert found == [("or", 1.21, 0.70, 2.10)]
