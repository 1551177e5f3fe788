"""Sentence rules of the trial-statistics parser, on made-up sentences."""

from __future__ import annotations

import pytest

from pipeline.stats.sentences import (
    blank_markup, find_values, parse_dose, parse_n, parse_phase, parse_sentence, parse_study,
)


def _one(text: str):
    findings = parse_sentence(text)
    assert len(findings) == 1, findings
    return findings[0]


def test_comparison_sentence_is_one_record_with_both_arms_hr_ci_p():
    f = _one("Median PFS was 8.2 months with drugamab versus 3.1 months with placebo "
             "(HR 0.42; 95% CI, 0.30–0.58; P < 0.001).")
    assert (f.measure, f.value, f.unit, f.comparator_value) == ("median_pfs", 8.2, "months", 3.1)
    assert (f.hr, f.ci_low, f.ci_high, f.p_value) == (0.42, 0.30, 0.58, "<0.001")


def test_shared_unit_comparison_in_brackets():
    f = _one("Overall survival improved (14.0 vs. 9.5 months; hazard ratio = 0.71; $p = 0.03$).")
    assert (f.measure, f.value, f.comparator_value, f.hr, f.p_value) == ("median_os", 14.0, 9.5, 0.71, "0.03")


def test_two_measures_give_two_records():
    found = parse_sentence("The objective response rate was 31% and the median time to progression was 24 weeks.")
    assert [(f.measure, f.value, f.unit) for f in found] == [("orr", 31.0, "%"), ("ttp", 24.0, "weeks")]


def test_value_before_its_measure_and_clause_boundaries():
    found = parse_sentence("Overall, 55% of patients had stable disease, and 12% achieved a partial remission.")
    assert [(f.measure, f.value) for f in found] == [("stable_disease", 55.0), ("partial_response", 12.0)]


def test_abbreviated_measures_and_rates():
    found = parse_sentence("ORR was 17%, DCR 64% and the 1-year survival rate 48%.")
    assert [(f.measure, f.value) for f in found] == [("orr", 17.0), ("disease_control_rate", 64.0), ("survival_1y", 48.0)]


def test_ci_of_a_value_without_ratio():
    f = _one("The median PFS was 40 weeks (95% CI, 31–52 weeks).")
    assert (f.value, f.unit, f.ci_low, f.ci_high, f.hr) == (40.0, "weeks", 31.0, 52.0, None)


def test_hazard_ratio_alone_is_an_hr_record():
    found = parse_sentence("Treatment reduced the risk of progression (HR = 0.62, 95% CI: 0.45–0.85) in the whole cohort "
                           "and in women (HR = 0.55, 95% CI: 0.33–0.91).")
    assert [(f.measure, f.hr, f.ci_low) for f in found] == [("hr", 0.62, 0.45), ("hr", 0.55, 0.33)]


def test_p_value_without_a_measure_is_a_biomarker_change():
    found = parse_sentence("Tumour Ki-67 fell after two cycles ($p = 0.004$).")
    assert [(f.measure, f.value, f.p_value) for f in found] == [("biomarker_change", None, "0.004")]


def test_ranking_score_and_its_hazard_ratio_are_one_record():
    found = parse_sentence("Everolimus as single therapy (0.82 P score)/(hazard ratio [HR], 0.35 [95% CI, 0.28–0.45]) "
                           "was effective.")
    assert [(f.measure, f.value, f.hr, f.ci_low, f.ci_high) for f in found] == [("p_score", 0.82, 0.35, 0.28, 0.45)]
    apart = parse_sentence("The regimen ranked first (0.82 P score); in the trial the HR was 0.35 (95% CI 0.28–0.45).")
    assert sorted(f.measure for f in apart) == ["hr", "p_score"]


def test_a_ranking_score_is_a_p_score():
    found = parse_sentence("The combination ranked first (0.93 P score).")
    assert [(f.measure, f.value) for f in found] == [("p_score", 0.93)]


def test_subgroup_values_listed_with_respectively():
    found = parse_sentence("The response rate was 22%, respectively 18 and 27% in the two cohorts.")
    assert [f.value for f in found] == [22.0, 18.0, 27.0]


def test_durations_and_citations_are_not_values():
    assert parse_sentence("After 8 weeks of therapy PFS improved (12).") == []


def test_abbreviation_with_another_meaning_is_ignored():
    assert parse_sentence("OS patients were followed for 20 months.", disabled=frozenset({"OS"})) == []


def test_blank_markup_keeps_offsets():
    text = "value $p \\leq 0.05$ in <sup>90</sup>Y"
    blanked = blank_markup(text)
    assert len(blanked) == len(text) and "≤" in blanked and "<sup>" not in blanked


def test_find_values_shares_the_unit_of_a_list():
    assert [(v.number, v.unit) for v in find_values("rates of 4, 9 and 12%")] == [(4.0, "%"), (9.0, "%"), (12.0, "%")]


@pytest.mark.parametrize("text,phase", [
    ("a phase III trial", "3"), ("Phase-II", "2"), ("phase Ib study", "1b"), ("Phase I-II", "1/2"),
    ("phase 2", "2"), ("no phase here", None),
])
def test_parse_phase(text, phase):
    assert parse_phase(text) == phase


@pytest.mark.parametrize("text,n", [
    ("enrolled 312 patients", 312), ("(n = 48)", 48), ("in 9 out of 30 patients", 30),
    ("1,204 randomized patients", 1204), ("no count", None),
    ("drug X ( $n = 150$ ) or placebo (n = 148)", 298),
    ("Of these, 30 patients had carcinoid tumors", None), ("40 evaluable patients responded", None),
])
def test_parse_n(text, n):
    assert parse_n(text) == n


@pytest.mark.parametrize("text,dose", [
    ("given 20 mg daily for", "20 mg daily"), ("at 150 mg/m2 weekly", "150 mg/m2 weekly"),
    ("Drugamab 5, 10 mg/d", "5, 10 mg/d"), ("no dose", None),
])
def test_parse_dose(text, dose):
    assert parse_dose(text) == dose


@pytest.mark.parametrize("text,study", [
    ("In the ALPHA-2 trial", "ALPHA-2"), ("the OMEGA-III study", "OMEGA-3"), ("Smith et al. (12) reported", "Smith et al."),
    ("a PHASE II study", None),
])
def test_parse_study(text, study):
    assert parse_study(text) == study


def test_incidence_of_an_outcome_is_an_event_rate():
    f = _one("The incidence of neutropenia with drugamab was 12% in the safety population.")
    assert (f.measure, f.value, f.unit) == ("event_rate", 12.0, "%")


def test_adverse_events_named_as_such_stay_adverse_events():
    f = _one("Grade 3 adverse events occurred in 12% of patients.")
    assert (f.measure, f.value) == ("adverse_events", 12.0)


def test_rates_of_an_outcome_in_two_arms_are_one_comparison():
    f = _one("Rates of smoking abstinence were similar in the two groups (8% v 6%).")
    assert (f.measure, f.value, f.comparator_value) == ("event_rate", 8.0, 6.0)


def test_bracketed_range_after_a_value_is_its_ci_only_when_it_holds_the_value():
    (f,) = parse_sentence("CIPN prevalence was 68.1% (57.7–78.4) in the first month.")
    assert (f.value, f.ci_low, f.ci_high) == (68.1, 57.7, 78.4)
    (g,) = parse_sentence("CIPN prevalence was 68.1% (12–20) in the first month.")
    assert (g.ci_low, g.ci_high) == (None, None)


def test_values_at_later_time_points_are_records_of_the_same_measure():
    findings = parse_sentence("Neuropathy prevalence was 61.2% (95% CI 50.1–72.3) after the last cycle, "
                              "48.0% (30.5–65.5) at 3 months, and 22.5% (9.1–35.9) at 12 months.")
    assert [(f.measure, f.value) for f in findings] == [
        ("event_rate", 61.2), ("event_rate", 48.0), ("event_rate", 22.5)]
    assert (findings[0].ci_low, findings[0].ci_high) == (50.1, 72.3)
