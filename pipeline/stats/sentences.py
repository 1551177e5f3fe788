"""Read trial statistics out of one sentence (or one free-text table cell).

A sentence is scanned for measure mentions (``vocabulary.MEASURES``) and for values (a number
with a unit: months, weeks, %; bare numbers only for scores). Each measure takes the closest
value of a compatible kind, without reaching across another measure or a clause boundary; a
second value after a comparison cue ("vs.", "compared with") becomes ``comparator_value``.
Hazard ratios, confidence intervals and p-values attach to the value they follow; left over,
they become ``hr`` and ``p_score`` findings of their own.

Alongside, the field parsers (phase, patient count, dose, study) read context from text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.stats.meta import Estimate, find_estimates, is_threshold
from pipeline.stats.numbers import NUMBER, Located, find_cis, find_p_values, parse_number
from pipeline.stats.vocabulary import COMPARISON_CUE, UNIT_KIND, UNITS, Measure, find_measures

# A ranking score takes the hazard ratio that starts this close after it ("(0.82 P score)/(HR …").
_SCORE_RATIO_GAP = 12
# A value may sit this far after / before its measure (characters between them).
_AFTER_WINDOW = 70
_BEFORE_WINDOW = 50
_BEFORE_PENALTY = 10
_BOUNDARY_PENALTY = 60
# Clause boundaries between a measure and a value make the pairing unlikely.
_BOUNDARY = re.compile(r";|,\s*(?:and|but|while|whereas)\b|\bwhile\b|\bwhereas\b|\bbut\b")

# A value measured at a later time point: "60.0% (36.4–81.6) at 3 months", "20% after one year".
_TIME_POINT = re.compile(r"\s*(?:%|percent\b)?\s*(?:\([^()]{0,40}\)\s*)?(?:at|after|by|within)\s+(?:\d+|one|two|three|six|twelve)"
                         r"\s+(?:days?|weeks?|months?|years?)\b", re.IGNORECASE)

_UNIT_RE = r"(?:%|percent\b|months?\b|mo\b\.?|weeks?\b|wks?\b|years?\b)"
# A list of numbers sharing one unit: "11.0 vs. 4.6 months", "4.8 and 6.7%".
_VALUE_LIST_RE = re.compile(
    rf"(?<![\w.\-\u2013/])({NUMBER}(?:\s*(?:,|and|or|vs\.?|v\.?|versus)\s*{NUMBER})*)\s*({_UNIT_RE})?(?![\w\u2013-]*\d)"
)
_LIST_ITEM_RE = re.compile(NUMBER)
# What may stand between a value and its own CI: its unit and an opening bracket.
_VALUE_TAIL = re.compile(r"\s*(?:%|[A-Za-z.]+)?\s*[\[(,;]?\s*")
# A range in brackets right after a value (its unit may sit in between): "68.1% (57.7–78.4)".
_BRACKET_RANGE = re.compile(rf"\s*(?:%|[A-Za-z.]+)?\s*[(\[]\s*({NUMBER})\s*(?:[-\u2013\u2014]|to)\s*({NUMBER})\s*%?\s*[)\]]")
# Markup that must not reach the parsers; replaced by spaces so offsets stay put.
_MARKUP_RE = re.compile(r"<[^>]{1,10}>|\$|\\(?:leq?|geq?|pm|times|%)")
_MARKUP_SYMBOLS = {"\\le": "≤", "\\leq": "≤", "\\ge": "≥", "\\geq": "≥", "\\%": "%", "\\pm": "±", "\\times": "×"}

# Spans that hold numbers which are never measure values.
_NOT_VALUES = re.compile(
    r"(?i)(?:9[05]|99)\s*%\s*(?:CI|confidence)"  # the level of a confidence interval
    rf"|{NUMBER}\s*(?:[\u2013\u2014-]|to)\s*{NUMBER}"  # ranges (CIs in brackets, dose ranges)
    r"|\bgrade\s*\d"
    rf"|\b(?:after|within|every|over|until|up\s+to)\s+{NUMBER}\s*(?:months?|weeks?|years?|days?)\b"  # durations
    r"|\(\s*\d+(?:\s*[,\u2013-]\s*\d+)*\s*\)"  # citation numbers "(105)", "(44, 67)"
)

_PHASE_RE = re.compile(
    r"(?i)\bphase[\s-]*(IV|III|II|I|[1-4])(?:\s*([ab])\b)?(?:\s*[/\u2013-]\s*(IV|III|II|I|[1-4])\b)?"
)
_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4"}
_N_RE = re.compile(
    rf"(?i)\b(?:n\s*=\s*({NUMBER})|(?:out\s+of|of)\s+({NUMBER})\s+patients|({NUMBER})\s+(?:[A-Za-z'-]+\s+){{0,3}}?"
    r"(?:patients|participants|subjects|cases))"
)
_DOSE_RE = re.compile(
    rf"(?i)({NUMBER}(?:\s*(?:,|or|and|to|[\u2013-])\s*{NUMBER})*\s*(?:mg|µg|μg|mcg|g|mCi|GBq)\b"
    r"(?:\s*/\s*(?:m\s*2|m²|kg|day|d|week|wk|w)\b)?"
    r"(?:\s+(?:once\s+|twice\s+)?(?:daily|weekly|monthly|per\s+day|a\s+day|per\s+week|every\s+\d+\s+(?:days?|weeks?|d)))?)"
)
_AUTHOR_RE = re.compile(r"\b([A-Z][a-zA-Z'\u00c0-\u017f-]+(?:\s+(?:and|&)\s+[A-Z][a-z]+)?\s+et\s+al\.?)")
_TRIAL_RE = re.compile(r"\b(?!(?:PHASE|GRADE|STAGE|TABLE|FIGURE|TYPE|CLASS)\b)([A-Z][A-Z0-9]{3,}(?:[- ](?:\d{1,3}|IV|III|II|I)\b))")


@dataclass(frozen=True)
class Value:
    """A number with its unit (None for bare numbers) and span in the sentence."""

    number: float
    unit: str | None
    kind: str  # "time", "percent" or "score"
    start: int
    end: int


@dataclass(frozen=True)
class Finding:
    """One statistic read from a sentence, before context (study, drug, ...) is added."""

    measure: str
    value: float | None
    unit: str | None
    anchor: int  # where in the sentence the measure (or ratio) was mentioned
    rule: str
    comparator_value: float | None = None
    hr: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: str | None = None
    end: int = 0  # end of the last piece read (value, ratio or interval)
    analysis_model: str | None = None  # fixed | random (meta-analysis estimates)
    n: int | None = None  # patients pooled, when the finding itself is a count
    n_studies: int | None = None


def blank_markup(text: str) -> str:
    """Replace LaTeX dollars, inline HTML tags and TeX commands by spaces (or a symbol + spaces).

    Keeps the length, so offsets into the result are offsets into ``text``.
    """

    def blank(match: re.Match[str]) -> str:
        symbol = _MARKUP_SYMBOLS.get(match.group(), "")
        return symbol.ljust(len(match.group()))

    return _MARKUP_RE.sub(blank, text)


def find_values(text: str) -> list[Value]:
    """Values in ``text``: numbers with a unit, and bare numbers (kind "score")."""
    masked = _NOT_VALUES.sub(lambda m: " " * len(m.group()), text)
    values = []
    for match in _VALUE_LIST_RE.finditer(masked):
        unit_word = (match.group(2) or "").lower().rstrip(".")
        unit = UNITS.get(unit_word) if unit_word else None
        kind = UNIT_KIND.get(unit or "", "time" if unit_word.startswith("year") else "score")
        for item in _LIST_ITEM_RE.finditer(match.group(1)):
            start = match.start(1) + item.start()
            values.append(Value(parse_number(item.group()), unit, kind, start, start + len(item.group())))
    return values


def _pair_cost(text: str, measure_span: tuple[int, int], value: Value, others: list[tuple[int, int]]) -> int | None:
    """Cost of reading ``value`` as the value of the measure at ``measure_span`` (None: impossible)."""
    start, end = measure_span
    after = value.start >= end
    lo, hi = (end, value.start) if after else (value.end, start)
    if any(lo <= o_start < hi for o_start, _ in others):
        return None
    gap = text[lo:hi]
    if len(gap) > (_AFTER_WINDOW if after else _BEFORE_WINDOW):
        return None
    if not after and re.fullmatch(rf"\s*{_UNIT_RE}?\s*", gap):
        return 0  # "94% AE", "0.8 P score": a value written straight before its measure
    if not after and value.kind == "time":
        return None  # a duration before a survival measure times something else
    cost = len(gap) + (0 if after else _BEFORE_PENALTY)
    return cost + (_BOUNDARY_PENALTY if _BOUNDARY.search(gap) else 0)


def _assign(text: str, mentions: list[tuple[Measure, int, int]], values: list[Value]) -> dict[int, int]:
    """Greedy cheapest-first pairing: measure index → value index."""
    spans = [(s, e) for _, s, e in mentions]
    pairs = []
    for mi, (measure, start, end) in enumerate(mentions):
        others = [span for j, span in enumerate(spans) if j != mi]
        for vi, value in enumerate(values):
            if value.kind != measure.kind:
                continue
            cost = _pair_cost(text, (start, end), value, others)
            if cost is not None:
                pairs.append((cost, mi, vi))
    chosen: dict[int, int] = {}
    for _, mi, vi in sorted(pairs):
        if mi not in chosen and vi not in chosen.values():
            chosen[mi] = vi
    return chosen


def _next_mention(mentions: list[tuple[Measure, int, int]], after: int) -> int:
    return min((s for _, s, _ in mentions if s >= after), default=10**9)


def _extend(text: str, finding: Finding, value: Value, values: list[Value], used: set[int],
            mentions: list[tuple[Measure, int, int]]) -> tuple[list[Finding], int]:
    """Comparator value or same-measure subgroup values after ``value``; returns extra findings."""
    limit = _next_mention(mentions, value.end)
    extra: list[Finding] = []
    last, time_point_end = value, value.end
    for vi, other in enumerate(values):
        if vi in used or other.start < max(last.end, time_point_end) or other.start >= limit:
            continue
        if other.kind != value.kind:
            break  # another kind of value in between: not this measure's list
        gap = text[last.end:other.start]
        if finding.comparator_value is None and not extra and COMPARISON_CUE.search(gap):
            finding = replace(finding, comparator_value=other.number, rule=finding.rule + "+vs", end=other.end)
        elif re.search(r"(?i)\brespectively\b", text) and len(gap) < 80 and not _BOUNDARY.search(gap.replace("respectively", "")):
            extra.append(replace(finding, value=other.number, unit=other.unit, anchor=other.start,
                                 rule=finding.rule + "+list", end=other.end))
        elif (point := _TIME_POINT.match(text, other.end)) and len(gap) < 80 \
                and not _BOUNDARY.search(re.sub(r",\s*and\b", " ", gap)):
            extra.append(replace(finding, value=other.number, unit=other.unit, anchor=other.start,
                                 rule=finding.rule + "+timepoint", end=other.end))
            time_point_end = point.end()  # "at 3 months" is when, not another value
        else:
            break
        used.add(vi)
        last = other
    return [finding, *extra], last.end


def parse_sentence(text: str, disabled: frozenset[str] = frozenset()) -> list[Finding]:
    """Every statistic one sentence reports, in text order.

    ``disabled``: measure abbreviations the document uses with another meaning.
    """
    text = blank_markup(text)
    if is_threshold(text):  # a Methods decision rule ("If P > 0.1 and I² < 50%, …") is no result
        return []
    mentions = find_measures(text, disabled)
    values = find_values(text)
    cis, ps = find_cis(text), find_p_values(text)
    estimates = find_estimates(text, cis, ps)
    hrs = [e for e in estimates if e.measure == "hr"]
    others = [e for e in estimates if e.measure != "hr"]
    stat_spans = [(x.start, x.end) for x in (*estimates, *cis, *ps)]
    values = [v for v in values if not any(s <= v.start < e for s, e in stat_spans)]
    # A p-value read as part of an estimate (Egger's test P) is not given to another finding.
    ps = [p for p in ps if not any(e.start <= p.start < e.end for e in others if e.p_value)]
    chosen = _assign(text, mentions, values)
    used = set(chosen.values())
    findings: list[Finding] = []
    for mi, vi in sorted(chosen.items(), key=lambda item: values[item[1]].start):
        measure, start, _ = mentions[mi]
        value = values[vi]
        base = Finding(measure.name, value.number, value.unit, start, f"sent:{measure.name}", end=value.end)
        found, _ = _extend(text, base, value, values, used, mentions)
        findings.extend(found)
    findings = _attach_value_cis(text, _merge_comparisons(text, findings), cis)
    findings += [_estimate_finding(e) for e in others]
    return _attach_ratios(findings, hrs, ps)


def _estimate_finding(e: Estimate) -> Finding:
    low, high = e.ci if e.ci else (None, None)
    return Finding(e.measure, e.value, "%" if e.measure == "i2" else None, e.start, e.rule,
                   ci_low=low, ci_high=high, p_value=e.p_value, end=e.end,
                   analysis_model=e.analysis_model, n=e.n, n_studies=e.n_studies)


def _merge_comparisons(text: str, findings: list[Finding]) -> list[Finding]:
    """"PFS 19 months, superior to drug B (PFS 11 months)": a later same-measure value after a
    comparison cue is the comparator arm, not a new record."""
    out: list[Finding] = []
    for finding in findings:
        prev = out[-1] if out else None
        if (prev is not None and prev.measure == finding.measure and prev.comparator_value is None
                and prev.unit == finding.unit and COMPARISON_CUE.search(text[prev.end:finding.anchor])):
            out[-1] = replace(prev, comparator_value=finding.value, rule=prev.rule + "+vs", end=finding.end)
            continue
        out.append(finding)
    return out


def _attach_value_cis(text: str, findings: list[Finding], cis: list[Located]) -> list[Finding]:
    """A CI right after a value (within a bracket's reach) is the CI of that value."""
    out = []
    for finding in findings:
        ci = next((c for c in cis if c.start >= finding.end and _VALUE_TAIL.fullmatch(text[finding.end:c.start])), None)
        if ci is not None and finding.hr is None:
            low, high = ci.value  # type: ignore[misc]
            finding = replace(finding, ci_low=low, ci_high=high, end=ci.end)
        elif finding.hr is None and finding.ci_low is None and finding.value is not None:
            # a bare bracketed range right after a value is its CI when it holds the value:
            # "68.1% (57.7–78.4)"
            bracket = _BRACKET_RANGE.match(text, finding.end)
            if bracket:
                low, high = parse_number(bracket.group(1)), parse_number(bracket.group(2))
                if low <= finding.value <= high:
                    finding = replace(finding, ci_low=low, ci_high=high, end=bracket.end())
        out.append(finding)
    return out


def _attach_ratios(findings: list[Finding], hrs: list[Estimate], ps: list[Located]) -> list[Finding]:
    """Give hazard ratios and their CIs to the time-to-event findings they follow, or make them
    findings of their own; then hand out p-values."""
    ratios: list[Finding] = []
    for hr in hrs:
        low, high = hr.ci if hr.ci else (None, None)
        ratios.append(Finding("hr", None, None, hr.start, hr.rule, hr=hr.value, ci_low=low, ci_high=high,
                              end=hr.end, analysis_model=hr.analysis_model))
    # The first ratio after a comparison of a time-to-event measure belongs to it.
    out = list(findings)
    for i, finding in enumerate(out):
        if ratios and finding.measure in {"median_pfs", "median_os", "ttp"} and (
            finding.comparator_value is not None or len(out) == 1
        ) and ratios[0].anchor >= finding.anchor:
            ratio = ratios.pop(0)
            out[i] = replace(finding, hr=ratio.hr, ci_low=ratio.ci_low, ci_high=ratio.ci_high,
                             rule=finding.rule + "+hr", end=max(finding.end, ratio.end))
            break
    # GUIDELINES v2: a ranking score and the HR given with it for one arm are one record:
    # "(0.82 P score)/(HR, 0.35 [95% CI, 0.28–0.45])".
    for i, finding in enumerate(out):
        if finding.measure == "p_score" and finding.hr is None:
            ratio = next((r for r in ratios if 0 <= r.anchor - finding.end <= _SCORE_RATIO_GAP), None)
            if ratio is not None:
                ratios.remove(ratio)
                out[i] = replace(finding, hr=ratio.hr, ci_low=ratio.ci_low, ci_high=ratio.ci_high,
                                 rule=finding.rule + "+hr", end=max(finding.end, ratio.end))
    out.extend(ratios)
    out.sort(key=lambda f: f.anchor)
    return _attach_p_values(out, ps)


def _attach_p_values(findings: list[Finding], ps: list[Located]) -> list[Finding]:
    """Each p-value goes to the nearest finding before it; with no finding it is a ``p_score``."""
    out = list(findings)
    for p in ps:
        before = [i for i, f in enumerate(out) if f.anchor <= p.start and f.p_value is None and f.measure != "p_score"]
        if before:
            i = before[-1]
            out[i] = replace(out[i], p_value=str(p.value))
        elif not findings:
            # GUIDELINES v2: a bare p-value reports a change (``biomarker_change``); ``p_score``
            # is only a ranking score ("0.93 P score").
            out.append(Finding("biomarker_change", None, None, p.start, "sent:p", p_value=str(p.value), end=p.end))
    return out


# --------------------------------------------------------------------------- context fields


def parse_phase(text: str) -> str | None:
    """Trial phase normalized to Arabic: "phase III" → "3", "Phase I-II" → "1/2", "phase Ib" → "1b"."""
    match = _PHASE_RE.search(text)
    if not match:
        return None
    first = _ROMAN.get(match.group(1).upper(), match.group(1))
    phase = first + (match.group(2) or "").lower()
    if match.group(3):
        phase += "/" + _ROMAN.get(match.group(3).upper(), match.group(3))
    return phase


# Counts that describe part of a study population rather than its size.
_SUBGROUP = re.compile(r"(?i)\b(?:of\s+these|of\s+them|of\s+whom|among\s+(?:these|them|whom))\b[\s,]*$")
_SUBSET = re.compile(r"(?i)\b(?:evaluable|assessable|evaluated|responding|remaining)\b")


def parse_n(text: str) -> int | None:
    """Number of patients: "n = 43", "410 patients", "13 out of 21 patients" → 21.

    Arms written "X (n = 207) or placebo (n = 203)" give the study total, their sum.
    """
    arms = [parse_number(m.group(1)) for m in _N_RE.finditer(text) if m.group(1)]
    if len(arms) > 1 and all(a >= 1 and a == int(a) for a in arms):
        return int(sum(arms))
    for match in _N_RE.finditer(text):
        if _SUBGROUP.search(text[max(0, match.start() - 30):match.start()]) or _SUBSET.search(match.group()):
            continue  # "Of these, 30 patients …", "40 evaluable patients": part of the study, not its size
        token = next(g for g in match.groups() if g)
        value = parse_number(token)
        if value >= 1 and value == int(value):
            return int(value)
    return None


def parse_dose(text: str) -> str | None:
    """The first dose as written: "10 mg daily", "25 mg/week", "150 mg/m2"."""
    match = _DOSE_RE.search(blank_markup(text))
    return re.sub(r"\s+", " ", match.group(1)).strip() if match else None


def parse_study(text: str) -> str | None:
    """A trial acronym ("ALPHA-2", "BETA-III" → "BETA-3") or "Author et al." in ``text``."""
    trial = _TRIAL_RE.search(text)
    if trial:
        name, _, suffix = trial.group(1).replace(" ", "-").rpartition("-")
        return f"{name}-{_ROMAN.get(suffix, suffix)}"
    author = _AUTHOR_RE.search(text)
    if author:
        return re.sub(r"\s+", " ", author.group(1)).rstrip(".") + "."
    return None
