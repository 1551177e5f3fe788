"""Table rules: header mapping, one record per measure per row, free-text results cells."""

from __future__ import annotations

import re

import pytest

from pipeline.records import Mention, Provenance, Table
from pipeline.stats.tables import map_columns, table_stats

_LEXICON = {"drugamab": ("DRUG", "drugamab"), "cytoxine": ("DRUG", "cytoxine"), "placebo": ("DRUG", "placebo"),
            "renal cell carcinoma": ("DISEASE", "renal cell carcinoma"), "ALPHA-2": ("TRIAL", "ALPHA-2")}


def fake_annotate(text: str) -> list[Mention]:
    """Dictionary look-up standing in for the NER model."""
    found = []
    for term, (label, canonical) in _LEXICON.items():
        for m in re.finditer(re.escape(term), text, re.IGNORECASE):
            found.append(Mention(doc_id="t", start=m.start(), end=m.end(), text=m.group(), label=label,
                                 canonical=canonical, provenance=Provenance(stage="test")))
    return found


def test_header_synonyms_map_fields_and_measures():
    columns = map_columns(["Trial", "Phase", "No. of patients", "Treatment", "Combined with", "Tumor type",
                           "Median PFS (months)", "ORR", "Outcome"])
    assert columns.fields == {"study": 0, "phase": 1, "n": 2, "drug": 3, "combination": 4, "disease": 5}
    assert [m.name for m in columns.measures.values()] == ["median_pfs", "orr"]
    assert columns.free_text == [8]


def test_one_record_per_measure_per_row():
    table = Table(table_id="t1", page=4, rows=[
        ["Author", "Phase", "n", "Agent", "Disease", "Median PFS (months)", "Response rate"],
        ["Lee et al. (7)", "Phase II", "64", "Drugamab 10 mg/d", "renal cell carcinoma", "7.5", "21%"],
        ["ALPHA-2", "III", "420", "Placebo", "renal cell carcinoma", "Not reached", "-"],
    ])
    records = table_stats(table, "d", fake_annotate)
    first = [r for r in records if r.study == "Lee et al."]
    assert [(r.measure, r.value, r.unit) for r in first] == [("median_pfs", 7.5, "months"), ("orr", 21.0, "%")]
    assert {(r.phase, r.n, r.drug, r.dose, r.disease, r.page, r.source) for r in first} == {
        ("2", 64, "drugamab", "10 mg/d", "renal cell carcinoma", 4, "table")}
    assert first[0].evidence == "Lee et al. (7) | Phase II | 64 | Drugamab 10 mg/d | renal cell carcinoma | 7.5 | 21%"
    assert first[0].rule == "table:Median PFS (months)" and first[0].start is None
    second = [r for r in records if r.study == "ALPHA-2"]
    assert [(r.measure, r.value, r.drug) for r in second] == [("median_pfs", None, "placebo")]


def test_measure_named_in_cell_overrides_column_and_line_breaks_split_values():
    table = Table(table_id="t1", rows=[
        ["Study", "Drug", "Combination therapy", "PFS (months)"],
        ["Kim et al.", "Drugamab", "cytoxine 2 mg/kg", "5 (TTP)"],
        ["Ray et al.", "Drugamab", "", "8.1<br>9.9"],
    ])
    records = table_stats(table, "d", fake_annotate)
    assert [(r.study, r.measure, r.value) for r in records] == [
        ("Kim et al.", "ttp", 5.0), ("Ray et al.", "median_pfs", 8.1), ("Ray et al.", "median_pfs", 9.9)]
    assert records[0].combined_with == ["cytoxine"]


def test_free_text_results_cell_is_read_like_a_sentence():
    table = Table(table_id="t1", rows=[
        ["Trial", "Intervention", "Results"],
        ["ALPHA-2", "drugamab plus cytoxine", "PFS 11 months; ORR 5%"],
    ])
    records = table_stats(table, "d", fake_annotate)
    assert [(r.measure, r.value, r.unit) for r in records] == [("median_pfs", 11.0, "months"), ("orr", 5.0, "%")]
    assert records[0].drug == "drugamab" and records[0].combined_with == ["cytoxine"]
    assert records[0].rule == "table:Results"


def test_table_without_results_columns_gives_nothing():
    table = Table(table_id="t1", rows=[["Year", "Drug", "Main finding"], ["2012", "drugamab", "inhibits growth"]])
    assert table_stats(table, "d", fake_annotate) == []


def test_headers_and_cells_broken_inside_words_by_pdf_extraction():
    columns = map_columns(["Tri al", "Patient s", "Res pon se rate", "Media n OS ( mont hs)", "Referen ces"])
    assert columns.fields == {"study": 0, "n": 1, "reference": 4}
    assert [m.name for m in columns.measures.values()] == ["orr", "median_os"]
    table = Table(table_id="t1", rows=[["Study", "Media n OS ( mont hs)"], ["Lee et al.", "Not re ached"]])
    assert [(r.measure, r.value) for r in table_stats(table, "d", fake_annotate)] == [("median_os", None)]


def test_header_abbreviation_with_another_meaning_is_not_a_measure():
    assert map_columns(["Type of OS cells"], disabled=frozenset({"OS"})).measures == {}


@pytest.mark.parametrize("cell,n", [
    ("7 phase I<br>36 phase II", 43),
    ("7 phase I 36 phase II", 43),  # the line break lost in a PDF
    ("30 patients 10 mg", 30),
    ("216", 216),
])
def test_patient_counts_per_subgroup_are_summed(cell, n):
    from pipeline.stats.tables import _row_n

    assert _row_n(cell) == n


def test_without_a_drug_column_the_row_names_its_agents_in_other_cells():
    from pipeline.records import Table
    from pipeline.stats.tables import table_stats

    table = Table(table_id="t1", rows=[["First author (year)", "Incidence (95% CI)", "Main cancer class (chemotherapy)"],
                                       ["Smith (2009)", "58.8% (42.2–75.3)", "Colorectal (drugamab)"],
                                       ["Jones (2010)", "41.6%", "Gynecological (drugamab and cytoxine)"]])

    records = table_stats(table, "d", fake_annotate)
    assert [(r.drug, r.combined_with, r.value) for r in records] == [
        ("drugamab", [], 58.8), ("drugamab", ["cytoxine"], 41.6)]


ARM_TABLE = [["Outcomes", "Drugamab group (n=392)", "Control group (n=393)", "Odds ratio* (95% CI)",
              "Fully adjusted odds ratio (95% CI)"],
             ["Primary:", "", "", "", ""],
             ["Abstinence at end of pregnancy", "30 (8)", "25 (6)", "1.21 (0.70 to 2.10)", "1.37 (0.78 to 2.41)"],
             ["Median minutes of activity", "162, 280 (190-425)", "206, 240 (140-420)", "—", "—"]]


def test_two_arm_table_gives_arm_comparisons_and_estimates():
    records = table_stats(Table(table_id="t3", rows=ARM_TABLE), "d", fake_annotate)
    got = [(r.measure, r.value, r.comparator_value, r.ci_low, r.ci_high, r.drug, r.comparator, r.n, r.row)
           for r in records]
    assert got == [("event_rate", 8.0, 6.0, None, None, "drugamab", "control", 785, 2),
                   ("or", 1.21, None, 0.7, 2.1, "drugamab", "control", 785, 2),
                   ("or", 1.37, None, 0.78, 2.41, "drugamab", "control", 785, 2),
                   ("event_rate", 280.0, 240.0, None, None, "drugamab", "control", 785, 3)]


def test_a_table_without_a_control_arm_is_not_read_as_two_arms():
    rows = [["Outcome", "Drugamab group (n=20)", "Odds ratio (95% CI)"], ["Response", "12 (60)", "1.5 (1.1 to 2.0)"]]
    assert all(r.rule != "table:arms" for r in table_stats(Table(table_id="t", rows=rows), "d", fake_annotate))


def test_arm_named_by_the_head_words_of_a_document_agent_and_baseline_tables_skipped():
    rows = [["Outcome", "Physical activity group (n=10)", "Control group (n=10)", "Odds ratio (95% CI)"],
            ["Abstinence", "3 (30)", "2 (20)", "1.7 (0.2 to 12.1)"]]
    agents = {"physical activity intervention": "exercise programme"}
    records = table_stats(Table(table_id="t", rows=rows), "d", fake_annotate, agents=agents)
    assert {r.drug for r in records} == {"exercise programme"} and len(records) == 2
    assert table_stats(Table(table_id="t", rows=rows), "d", fake_annotate)[0].drug is None
    baseline = Table(table_id="t1", caption="Table 1 Baseline characteristics of participants", rows=rows)
    assert table_stats(baseline, "d", fake_annotate, agents=agents) == []


@pytest.mark.parametrize("pattern", __import__("pipeline.stats.tables", fromlist=["cell_patterns"]).cell_patterns(),
                         ids=lambda p: p.id)
def test_every_cell_pattern_reads_its_positive_only(pattern):
    from pipeline.stats.tables import pattern_values

    assert pattern_values(pattern.positive, pattern)
    assert not pattern_values(pattern.negative, pattern)


STRATIFIED = [["", "Study type (CONSORT/STROBE)", "Main cancer class", "Severity (count by grade if given)"],
              ["Drugamab: 72.3% (95% CI = 59.7–86.8)", "", "", ""],
              ["Smith (2007)", "Prospective cohort (19/22)", "Colorectal", "Grade I (6/16) Grade II (8/16)"],
              ["Cytoxine: 42.2% (95% CI = 21.3–63.1)", "", "", ""],
              ["Jones (1995)", "RCT", "Gastrointestinal", "NR"]]


def test_a_group_label_row_gives_its_estimate_and_its_agent_to_the_rows_below():
    records = table_stats(Table(table_id="t3", rows=STRATIFIED), "d", fake_annotate)
    found = [(r.drug, r.measure, r.value, r.n, r.ci_low, r.ci_high, r.row) for r in records]
    assert found == [("drugamab", "event_rate", 72.3, None, 59.7, 86.8, 1),
                     ("drugamab", "event_rate", 6.0, 16, None, None, 2),
                     ("drugamab", "event_rate", 8.0, 16, None, None, 2),
                     ("cytoxine", "event_rate", 42.2, None, 21.3, 63.1, 3)]


def test_counts_are_read_only_in_a_column_whose_header_says_it_holds_counts():
    rows = [[c if i != 3 else "Main findings" for i, c in enumerate(STRATIFIED[0])]] + STRATIFIED[2:3]
    assert table_stats(Table(table_id="t3", rows=rows), "d", fake_annotate) == []


def test_arm_cells_give_means_not_their_sd_and_skip_the_arm_size():
    from pipeline.stats.arms import arm_value

    assert arm_value("80.7 (14.9)") == (80.7, None)      # mean (SD)
    assert arm_value("30 (8)") == (8.0, "%")              # count (percent)
    assert arm_value("6/383 (2)") == (2.0, "%")
    assert arm_value("n=354, 3132.4 (581.7)") == (3132.4, None)


def test_a_mean_row_or_a_negative_estimate_under_a_ratio_header_is_a_mean_difference():
    rows = [["Outcomes", "Drugamab group (n=384)", "Control group (n=391)", "Odds ratio (95% CI)"],
            ["Caesarean delivery", "76/357 (21)", "103/359 (29)", "0.67 (0.48 to 0.95)"],
            ["Mean (SD) birth weight (g)", "n=354, 3132.4 (581.7)", "n=359, 3146.8 (640.0)", "−14.50 (−104.52 to 75.52)"]]
    estimates = [(r.measure, r.value) for r in table_stats(Table(table_id="t6", rows=rows), "d", fake_annotate)
                 if r.rule.startswith("table:arms:")]
    assert estimates == [("or", 0.67), ("mean_difference", -14.5)]


def test_baseline_and_attendance_rows_and_bare_subgroup_sizes_are_no_results():
    from pipeline.stats.arms import arm_value

    assert arm_value("n=74") == (None, None)
    rows = [["Outcomes", "Drugamab group (n=392)", "Control group (n=393)", "Odds ratio (95% CI)"],
            ["Baseline", "391, 210 (125-350)", "393, 225 (130-360)", "—"],
            ["No of treatment sessions attended", "391, 4 (2-8)", "393, 3 (2-6)", ""],
            ["Abstinence at end of pregnancy", "30 (8)", "25 (6)", "1.21 (0.70 to 2.10)"]]
    found = [(r.row, r.measure) for r in table_stats(Table(table_id="t2", rows=rows), "d", fake_annotate)]
    assert found == [(3, "event_rate"), (3, "or")]
