"""Number, range, CI, HR and p-value parsing, with property-based tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.stats.numbers import (
    find_numbers, parse_ci, parse_hr, parse_number, parse_p_value, parse_range, strip_latex,
)

decimals = st.decimals(min_value=0, max_value=999, places=2, allow_nan=False, allow_infinity=False)
dashes = st.sampled_from(["-", "\u2013", "\u2014", " to ", " \u2013 "])


@pytest.mark.parametrize("text,value", [
    ("1,908", 1908.0), ("3,895", 3895.0), ("36,4", 36.4), ("0·59", 0.59), ("\u22122.5", -2.5),
    ("16.4", 16.4), ("410", 410.0), ("1,234,567", 1234567.0),
])
def test_parse_number_examples(text, value):
    assert parse_number(text) == value


def test_parse_number_rejects_words():
    with pytest.raises(ValueError):
        parse_number("twelve")


@given(st.integers(min_value=1000, max_value=10**9))
def test_thousands_separators_round_trip(n):
    assert parse_number(f"{n:,}") == n


@given(decimals)
def test_decimal_point_comma_and_mid_dot_agree(d):
    text = f"{d:.2f}"
    assert parse_number(text) == parse_number(text.replace(".", ",")) == parse_number(text.replace(".", "·"))


@given(decimals, decimals, dashes)
def test_ranges_with_any_dash(low, high, dash):
    assert parse_range(f"between {low:.2f}{dash}{high:.2f} overall") == (float(low), float(high))


@given(decimals, decimals, st.sampled_from(["95% CI, {}{}{}", "95% CI: {}{}{}", "(95% CI, {}{}{} weeks)",
                                            "95% confidence interval {}{}{}", "95% CI {}{}{}"]), dashes)
def test_ci_formats(low, high, template, dash):
    text = "HR 0.5; " + template.format(f"{low:.2f}", dash, f"{high:.2f}")
    assert parse_ci(text) == (float(low), float(high))


@pytest.mark.parametrize("text,p", [
    ("P < 0.001", "<0.001"), ("$p = 0.02$", "0.02"), ("(p = 0.026)", "0.026"), ("p=0.026", "0.026"),
    ("P ≤ 0.05", "≤0.05"), ("$p < 0.0001$", "<0.0001"), ("P value = 0.3", "0.3"), ("p·0·003", None),
    ("$p \\leq 0.05$", "≤0.05"), ("group (p > 0.05)", ">0.05"),
])
def test_p_values_as_written(text, p):
    assert parse_p_value(text) == p


@given(st.sampled_from(["=", "<", ">", "≤"]), st.decimals(min_value=0, max_value=1, places=4))
def test_p_value_property(sign, value):
    written = f"{value:.4f}"
    assert parse_p_value(f"(P {sign} {written})") == ("" if sign == "=" else sign) + written


@pytest.mark.parametrize("text,hr", [
    ("hazard ratio = 0.77; 95% CI, 0.59–1.00", 0.77), ("(HR 0.35, 95% CI 0.27-0.45)", 0.35),
    ("HR: 0.52", 0.52), ("hazard ratio [HR], 0.40", 0.40), ("no ratio here", None),
])
def test_hazard_ratio(text, hr):
    assert parse_hr(text) == hr


def test_find_numbers_offsets_and_no_identifier_parts():
    text = "RADIANT-3 enrolled 410 patients; PFS 11.0 vs 4.6 months"
    found = find_numbers(text)
    assert [n.value for n in found] == [410.0, 11.0, 4.6]  # the 3 of RADIANT-3 is part of a name
    for n in found:
        assert text[n.start:n.end] == n.text


def test_strip_latex():
    assert strip_latex("($p = 0.02$) and $\\alpha$") == "(p = 0.02) and \\alpha"


# --------------------------------------------------------------------------- located statistics

from pipeline.stats.numbers import find_cis, find_hrs, find_p_values  # noqa: E402


def test_find_hrs_returns_each_ratio_with_offsets():
    text = "overall (HR = 0.52; 95% CI, 0.40–0.70) and in women (hazard ratio 0.61)"
    found = find_hrs(text)
    assert [h.value for h in found] == [0.52, 0.61]
    assert text[found[0].start:found[0].end].startswith("HR")


def test_find_cis_reads_spelled_out_interval_with_abbreviation():
    found = find_cis("a rate of 12% [95% confidence interval (CI), 3.1–25.4]")
    assert [c.value for c in found] == [(3.1, 25.4)]


@given(decimals, decimals, dashes)
def test_find_cis_agrees_with_parse_ci(low, high, dash):
    text = f"HR 0.5 (95% CI, {low:.2f}{dash}{high:.2f})"
    assert find_cis(text)[0].value == parse_ci(text)


def test_find_p_values_keeps_every_value_in_order():
    assert [p.value for p in find_p_values("(p = 0.04 and P < 0.001, respectively)")] == ["0.04", "<0.001"]


@given(digits=st.integers(min_value=1, max_value=999), op=st.sampled_from(["<", "=", ">"]))
def test_apa_p_values_without_leading_zero(digits, op):
    text = f"The difference was significant (P {op} .{digits:03d})."
    assert parse_p_value(text) == f"{op if op != '=' else ''}.{digits:03d}"
