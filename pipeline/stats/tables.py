"""Trial statistics from tables: map column headers to fields, then one record per measure per row.

Headers are read with general synonyms (``vocabulary.HEADER_SYNONYMS``); a header naming a
measure ("Median OS (months)", "Response rate") makes a measure column, a header such as
"Results" or "Outcome" makes a free-text column read with the sentence parser. A measure
written inside a cell ("6 (TTP)", "PFS-6 79%") overrides the column's measure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.nlp.lexicon import is_specific_disease
from pipeline.records import Mention, Table, TrialStat
from pipeline.stats.arms import arm_layout, arm_table_stats
from pipeline.stats.numbers import find_numbers
from pipeline.stats.sentences import blank_markup, parse_dose, parse_phase, parse_sentence, parse_study
from pipeline.stats.vocabulary import (
    CONTROLS, RESULTS_HEADER, Measure, find_measures, header_field, measure_for_header, squash,
)

# Cell → its entity mentions (DRUG, DISEASE, TRIAL); offsets into the cell text.
CellAnnotator = Callable[[str], list[Mention]]

CELLS_PATH = Path(__file__).with_name("patterns") / "cells.tsv"


@dataclass(frozen=True)
class CellPattern:
    """One row of ``patterns/cells.tsv``: a statistic written in a cell without a measure name."""

    id: str
    measure: str
    header: re.Pattern | None
    regex: re.Pattern
    positive: str
    negative: str


@lru_cache(maxsize=1)
def cell_patterns() -> tuple[CellPattern, ...]:
    from pipeline.relations.cues import tsv_rows

    rows = tsv_rows(CELLS_PATH, ("id", "measure", "header", "pattern", "positive", "negative"))
    return tuple(CellPattern(i, m, re.compile(h) if h else None, re.compile(p), pos, neg)
                 for i, m, h, p, pos, neg in rows)


def _number(match: re.Match, name: str) -> float | None:
    value = match.groupdict().get(name)
    return float(value) if value is not None else None


def pattern_values(text: str, pattern: CellPattern) -> list[dict]:
    """The statistics ``pattern`` reads in ``text``: measure, value, n, ci_low, ci_high."""
    out = []
    for hit in pattern.regex.finditer(text):
        n = hit.groupdict().get("n")
        out.append(dict(measure=pattern.measure, value=_number(hit, "value"), n=int(n) if n else None,
                        ci_low=_number(hit, "lo"), ci_high=_number(hit, "hi")))
    return out


def _group_label(row: list[str]) -> str | None:
    """A row whose only text is its first cell, in a table of three or more columns, labels the
    rows below it ("Oxaliplatin: 72.3% (95% CI = 59.7–86.8)")."""
    if len(row) < 3 or not row[0].strip() or any(cell.strip() for cell in row[1:]):
        return None
    return row[0].strip()


_EMPTY = re.compile(r"(?i)^\s*(?:-+|\u2013|\u2014|n\.?a\.?|n/?a|ns|nr?/?e|none|)\s*$")
_NOT_REACHED = re.compile(r"(?i)\b(?:not\s+reached|NR)\b")
_CELL_BREAK = re.compile(r"(?i)<br\s*/?>")


@dataclass
class Columns:
    """What each column of a table holds."""

    fields: dict[str, int] = field(default_factory=dict)  # field name → first column holding it
    measures: dict[int, Measure] = field(default_factory=dict)  # column → measure
    free_text: list[int] = field(default_factory=list)  # results columns in words


def map_columns(headers: list[str], disabled: frozenset[str] = frozenset()) -> Columns:
    """Read the header cells: measure columns, free-text results columns and context fields."""
    columns = Columns()
    for index, header in enumerate(headers):
        measure = measure_for_header(header, disabled)
        if measure is not None:
            columns.measures[index] = measure
            continue
        name = header_field(header)
        if name is not None and name not in columns.fields:
            columns.fields[name] = index
        elif name is None and RESULTS_HEADER.search(header):
            columns.free_text.append(index)
    return columns


def _header_texts(table: Table) -> list[str]:
    width = max(len(row) for row in table.rows)
    heads = table.rows[: max(table.header_rows, 1)]
    return [" ".join(row[i] for row in heads if i < len(row)).strip() for i in range(width)]


def _cell(row: list[str], columns: Columns, name: str) -> str:
    index = columns.fields.get(name)
    return row[index] if index is not None and index < len(row) else ""


def _parts(cell: str) -> list[str]:
    """A cell split at its line breaks, markup blanked, empty parts dropped."""
    parts = [re.sub(r"\s+", " ", blank_markup(p)).strip() for p in _CELL_BREAK.split(cell)]
    return [p for p in parts if p]


def _unit_for(measure: Measure, header: str, cell: str) -> str | None:
    if measure.kind == "percent" or "%" in cell:
        return "%"
    if measure.kind == "time":
        return "weeks" if re.search(r"(?i)\bweeks?\b", header + " " + cell) else "months"
    return None


def _cell_values(part: str, measure: Measure, header: str, disabled: frozenset[str]) -> list[tuple[str, float | None, str | None]]:
    """(measure, value, unit) read from one cell part of a measure column."""
    if _EMPTY.match(part):
        return []
    findings = [f for f in parse_sentence(part, disabled) if f.value is not None]
    if findings:
        return [(f.measure, f.value, f.unit) for f in findings]
    named = find_measures(part, disabled)
    name = named[0][0].name if named and named[0][0].kind == measure.kind else measure.name
    if _NOT_REACHED.search(part) or "notreached" in squash(part):
        return [(name, None, _unit_for(measure, header, part))]
    numbers = find_numbers(part)
    if not numbers:
        return []
    return [(name, numbers[0].value, _unit_for(measure, header, part))]


def _mentions(annotate: CellAnnotator, cell: str, label: str) -> list[str]:
    if not cell.strip():
        return []
    seen: list[str] = []
    for mention in annotate(re.sub(r"\s+", " ", blank_markup(cell))):
        if mention.label == label and mention.canonical not in seen:
            seen.append(mention.canonical)
    return seen


def _row_n(cell: str) -> int | None:
    """Patients: the number leading each line of the cell, summed ("7 phase I<br>36 phase II" → 43).

    A cell whose line breaks were lost ("7 phase I 36 phase II", from a PDF) is split before each
    count that repeats the label of the first ("phase")."""
    total = 0
    for part in (piece for line in _parts(cell) for piece in _subgroup_counts(line)):
        numbers = find_numbers(part)
        if numbers and part.startswith(numbers[0].text) and numbers[0].value == int(numbers[0].value):
            total += int(numbers[0].value)
    return total or None


def _subgroup_counts(line: str) -> list[str]:
    """``"7 phase I 36 phase II"`` → ``["7 phase I", "36 phase II"]``; other lines unchanged."""
    first = re.match(r"(\d+) ([A-Za-z]+)\b", line)
    if not first:
        return [line]
    return re.split(rf"(?<=\S) (?=\d+ {re.escape(first.group(2))}\b)", line)


def _row_study(row: list[str], columns: Columns, annotate: CellAnnotator) -> str | None:
    study_cell = _cell(row, columns, "study")
    trials = _mentions(annotate, study_cell, "TRIAL")
    if trials:
        return trials[0]
    return parse_study(study_cell) or parse_study(_cell(row, columns, "reference"))


def _row_drugs(row: list[str], columns: Columns, annotate: CellAnnotator) -> tuple[str | None, list[str]]:
    drug_cell, combination_cell = _cell(row, columns, "drug"), _cell(row, columns, "combination")
    drugs = _mentions(annotate, drug_cell, "DRUG")
    control = CONTROLS.search(drug_cell)
    if not drugs and control:
        drugs = [control.group(1).lower()]
    partners = [d for d in _mentions(annotate, combination_cell, "DRUG") if d not in drugs]
    if not drugs and "drug" not in columns.fields:
        # No drug column: the agents named in the row's descriptive cells ("Colorectal
        # (oxaliplatin)", "Multiple solid (cisplatin and paclitaxel)").
        described = [c for i, c in enumerate(row) if i not in columns.measures and i not in columns.free_text]
        drugs = [d for c in described for d in _mentions(annotate, c, "DRUG")]
        drugs = list(dict.fromkeys(drugs))
    return (drugs[0] if drugs else None), drugs[1:] + partners


def _row_disease(row: list[str], columns: Columns, annotate: CellAnnotator) -> str | None:
    diseases = [d for d in _mentions(annotate, _cell(row, columns, "disease"), "DISEASE") if is_specific_disease(d)]
    return diseases[0] if diseases else None


def table_stats(table: Table, doc_id: str, annotate: CellAnnotator, disabled: frozenset[str] = frozenset(),
                agents: dict[str, str] | None = None) -> list[TrialStat]:
    """One record per measure per row of ``table`` (source "table")."""
    headers = _header_texts(table)
    layout = arm_layout(headers)
    if layout is not None:  # a two-arm results table of a randomised trial
        return arm_table_stats(table, headers, layout, doc_id, annotate, agents)
    columns = map_columns(headers, disabled)
    records: list[TrialStat] = []
    first = max(table.header_rows, 1)
    counted = {i: p for p in cell_patterns() if p.header is not None
               for i, header in enumerate(headers)
               if i not in columns.measures and i not in columns.free_text and p.header.search(header)}
    label_patterns = [p for p in cell_patterns() if p.id.startswith("label")]
    group: tuple[str | None, list[str]] = (None, [])
    for row_index, row in enumerate(table.rows[first:], start=first):
        label = _group_label(row)
        if label is not None:
            # The label's agents go to the rows below it; its own estimate is the group's.
            drugs = _mentions(annotate, label, "DRUG")
            group = (drugs[0] if drugs else None, drugs[1:])
            records.extend(
                TrialStat(doc=doc_id, drug=group[0], combined_with=group[1], source="table", evidence=label,
                          page=table.page, table_id=table.table_id, row=row_index, column=0,
                          rule=f"table:{p.id}", **values)
                for p in label_patterns for values in pattern_values(label, p))
            continue
        if not columns.measures and not columns.free_text and not counted:
            continue
        results = [(i, m) for i, m in columns.measures.items() if i < len(row)]
        texts = [i for i in columns.free_text if i < len(row)]
        values = [
            (name, value, unit, f"table:{headers[i]}", i)
            for i, measure in results for part in _parts(row[i])
            for name, value, unit in _cell_values(part, measure, headers[i], disabled)
        ] + [
            (f.measure, f.value, f.unit, f"table:{headers[i]}", i)
            for i in texts for part in _parts(row[i]) for f in parse_sentence(part, disabled)
        ]
        counts = [(i, values) for i, p in counted.items() if i < len(row) for values in pattern_values(row[i], p)]
        if not values and not counts:
            continue
        drug, combined = _row_drugs(row, columns, annotate)
        if drug is None:
            drug, combined = group
        context = dict(
            doc=doc_id, study=_row_study(row, columns, annotate),
            phase=parse_phase(" ".join([_cell(row, columns, "phase"), _cell(row, columns, "study")]) ),
            drug=drug, combined_with=combined, n=_row_n(_cell(row, columns, "n")),
            dose=parse_dose(_cell(row, columns, "dose") or _cell(row, columns, "drug")),
            disease=_row_disease(row, columns, annotate), source="table",
            evidence=" | ".join(cell.strip() for cell in row), page=table.page,
            table_id=table.table_id, row=row_index,
        )
        records.extend(
            TrialStat(**context, measure=name, value=value, unit=unit, rule=rule, column=column)
            for name, value, unit, rule, column in values
        )
        records.extend(
            TrialStat(**{**context, "n": found.pop("n") or context["n"]}, **found, rule=f"table:{counted[i].id}",
                      column=i)
            for i, found in counts
        )
    return records
