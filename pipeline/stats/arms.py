"""Two-arm result tables (randomised trials): one row per outcome, a column per arm and columns
of effect estimates.

    Outcomes | Intervention group (n=392) | Control group (n=393) | Odds ratio (95% CI) | ...
    Abstinence at end of pregnancy | 30 (8) | 25 (6) | 1.21 (0.70 to 2.10) | ...

gives, per row, an ``event_rate`` comparison (value = intervention arm, comparator_value = control
arm) and one record per effect-estimate column (OR/RR/HR/MD/RD from ``patterns/meta.tsv`` with its CI).
The arm columns are recognised by their header ("… group", "… arm"); the control arm by the words of
``vocabulary.CONTROLS`` or "control"; n is the sum of the arms' "(n=…)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.records import Table, TrialStat
from pipeline.stats.meta import meta_patterns
from pipeline.stats.numbers import NUMBER, parse_number
from pipeline.stats.vocabulary import CONTROLS

ARM_HEADER = re.compile(r"(?i)\b(?:group|arm)s?\b")
# A control arm is named by the control words of the text rules, or called "control"/"usual care".
CONTROL_HEADER = re.compile(rf"{CONTROLS.pattern}|(?i:\b(?:control|usual\s+care|standard\s+care|comparator)\b)")
ARM_N = re.compile(r"(?i)\(\s*n\s*=\s*(\d[\d,]*)\s*\)")
# "30 (8)" = count (percent); "8%"; "162, 280 (190-425)" = n, median (range); "1.21 (0.70 to 2.10)".
_COUNT_PERCENT = re.compile(rf"^\s*({NUMBER})(?:\s*/\s*{NUMBER})?\s*\(\s*({NUMBER})\s*%?\s*\)\s*$")
# A table of who was randomised, not of what happened to them.
BASELINE_CAPTION = re.compile(r"(?i)\b(?:baseline|characteristics|demographic)")
ARM_WORDS = re.compile(r"(?i)\b(?:group|arm)s?\b|\(\s*n\s*=[^)]*\)|[*†‡§¶]+")
_PERCENT = re.compile(rf"({NUMBER})\s*%")
_ONLY_SIZE = re.compile(r"(?i)^\s*n\s*=\s*\d[\d,]*\W*$")
# Rows that say how the trial ran, not what the intervention did (CONSORT items 15–16).
NOT_AN_OUTCOME_ROW = re.compile(r"(?i)^\W*(?:baseline|no\.?\s+of\s+(?:treatment\s+)?sessions|sessions\s+attended|adherence|attendance|compliance)\b")
_ARM_SIZE = re.compile(r"(?i)^n\s*=\s*\d[\d,]*\s*[,;]\s*")
# A row of means: its between-arm estimate is a difference even under a ratio header (BMJ-style
# tables give mean differences for continuous rows in the "Odds ratio" column); so is any
# negative estimate, which no ratio can be.
MEAN_ROW = re.compile(r"(?i)^\W*(?:mean|average)\b")
RATIOS = frozenset({"or", "rr", "hr"})
_N_MEDIAN = re.compile(rf"^\s*({NUMBER})\s*,\s*({NUMBER})\s*\(")
_ESTIMATE = re.compile(rf"^\s*({NUMBER})\s*[(\[]\s*({NUMBER})\s*(?:to|[-\u2013\u2014,])\s*({NUMBER})\s*[)\]]")


@dataclass(frozen=True)
class ArmLayout:
    experimental: int
    control: int
    estimates: dict[int, str]  # column → measure (or, rr, hr, mean_difference, risk_difference)
    n: int | None


def arm_layout(headers: list[str]) -> ArmLayout | None:
    """The layout of a two-arm results table, or None when the headers are not one."""
    arms = [i for i, h in enumerate(headers) if ARM_HEADER.search(h)]
    controls = [i for i in arms if CONTROL_HEADER.search(headers[i])]
    experimental = [i for i in arms if i not in controls]
    if not controls or not experimental:
        return None
    estimates = {}
    for i, header in enumerate(headers):
        if i in arms:
            continue
        for pattern in meta_patterns():
            if pattern.kind == "ratio" and pattern.regex.search(header):
                estimates[i] = pattern.measure
                break
    sizes = [ARM_N.search(headers[i]) for i in (experimental[0], controls[0])]
    n = sum(int(m.group(1).replace(",", "")) for m in sizes) if all(sizes) else None
    return ArmLayout(experimental[0], controls[0], estimates, n)


def arm_value(cell: str) -> tuple[float | None, str | None]:
    """An arm's value: the percentage of "n (%)", a stated %, the median of "n, median (range)",
    else the first number."""
    if _ONLY_SIZE.match(cell):  # "n=74": a subgroup's size, no result
        return None, None
    cell = _ARM_SIZE.sub("", cell.strip())  # "n=354, 3132.4 (581.7)": the arm's size, then its mean
    if m := _COUNT_PERCENT.match(cell):
        count, share = parse_number(m.group(1)), parse_number(m.group(2))
        # a count is whole: "80.7 (14.9)" is a mean (SD), not 14.9 %
        if share <= 100 and count == int(count) and (count >= share or "%" in cell):
            return share, "%"
    if m := _PERCENT.search(cell):
        return parse_number(m.group(1)), "%"
    if m := _N_MEDIAN.match(cell):
        return parse_number(m.group(2)), None
    if m := re.search(NUMBER, cell):
        return parse_number(m.group()), None
    return None, None


def arm_table_stats(table: Table, headers: list[str], layout: ArmLayout, doc_id: str,
                    annotate, agents: dict[str, str] | None = None) -> list[TrialStat]:  # noqa: ANN001
    """Records of a two-arm results table (source "table"). ``agents``: the document's agent
    mentions, surface (lower case) → canonical name."""
    if table.caption and BASELINE_CAPTION.search(table.caption):
        return []
    drugs = [m.canonical for m in annotate(headers[layout.experimental]) if m.label == "DRUG"]
    if not drugs and agents:
        # "Physical activity group": the arm is named by the head words of an intervention the
        # document names elsewhere ("physical activity intervention").
        words = ARM_WORDS.sub(" ", headers[layout.experimental]).strip().lower()
        drugs = [canonical for surface, canonical in agents.items() if words and surface.startswith(words)][:1]
    control = CONTROL_HEADER.search(headers[layout.control])
    records: list[TrialStat] = []
    first = max(table.header_rows, 1)
    for row_index, row in enumerate(table.rows[first:], start=first):
        cells = row + [""] * (len(headers) - len(row))
        base = dict(doc=doc_id, drug=drugs[0] if drugs else None, combined_with=drugs[1:],
                    comparator=control.group().lower() if control else None, n=layout.n,
                    source="table", evidence=" | ".join(c.strip() for c in row), page=table.page,
                    table_id=table.table_id, row=row_index)
        if NOT_AN_OUTCOME_ROW.match(cells[0]):
            continue
        value, unit = arm_value(cells[layout.experimental])
        other, _ = arm_value(cells[layout.control])
        if value is not None and other is not None:
            records.append(TrialStat(**base, measure="event_rate", value=value, unit=unit,
                                     comparator_value=other, column=layout.experimental, rule="table:arms"))
        for column, measure in layout.estimates.items():
            m = _ESTIMATE.match(cells[column])
            if not m:
                continue
            estimate, low, high = (parse_number(g) for g in m.groups())
            if measure in RATIOS and (estimate < 0 or low < 0 or MEAN_ROW.match(cells[0])):
                measure = "mean_difference"
            fields = {"hr": estimate} if measure == "hr" else {"value": estimate}
            records.append(TrialStat(**base, measure=measure, ci_low=low, ci_high=high, column=column,
                                     rule=f"table:arms:{measure}", **fields))
    return records

