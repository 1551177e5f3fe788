"""Measure vocabulary and table-header synonyms for trial statistics.

Each measure (names from annotations/GUIDELINES.md) is a set of regular expressions for the
ways papers write it, and a *kind* saying which values it can take: time-to-event medians take
durations, rates take percentages, scores take bare numbers. Abbreviations are matched
case-sensitively so "OS" and "PR" are not found inside ordinary words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

MeasureKind = Literal["time", "percent", "score"]

_PFS = r"(?:progression[- ]free[- ]survival|PFS)"
_OS = r"(?:overall[- ]survival|\bOS\b)"
_ABBR = r"(?:\s*\((?:[A-Z]{2,4}s?)\))?"  # an abbreviation in brackets after the long form


@dataclass(frozen=True)
class Measure:
    """A measure name, its value kind and the compiled pattern of its mentions."""

    name: str
    kind: MeasureKind
    pattern: re.Pattern[str]


def _measure(name: str, kind: MeasureKind, *forms: str) -> Measure:
    return Measure(name, kind, re.compile("|".join(f"(?:{f})" for f in forms)))


# Longer, more specific forms first: a mention is claimed by the first measure that matches it.
MEASURES: tuple[Measure, ...] = (
    _measure(
        "pfs_6m", "percent",
        rf"(?i:{_PFS}(?:\s+rate)?\s+at\s+(?:6|six)\s+months)", rf"(?i:(?:6|six)[- ]month\s+{_PFS}(?:\s+rate)?)",
        r"(?i:\bPFS?-?6(?:\s*months?)?\b)",
    ),
    _measure(
        "survival_1y", "percent",
        r"(?i:\b(?:1|one)[- ]year\s+(?:overall\s+)?survival(?:\s+rate)?)",
        r"(?i:survival(?:\s+rate)?\s+at\s+(?:1|one)\s+year)",
    ),
    _measure(
        "pfs_rate", "percent",
        rf"(?i:\b\d+[- ](?:month|year)\s+{_PFS}(?:\s+rate)?)", rf"(?i:{_PFS}\s+rates?(?:\s+at\s+\d+\s+(?:months|years))?)",
    ),
    _measure(
        "os_rate", "percent",
        rf"(?i:\b\d+[- ](?:month|year)\s+{_OS}(?:\s+rate)?)", r"(?i:overall\s+survival\s+rates?)",
    ),
    _measure("median_pfs", "time", rf"(?i:(?:median\s+)?{_PFS}){_ABBR}", rf"median\s+PFS"),
    _measure("median_os", "time", r"(?i:(?:median\s+)?overall\s+survival)" + _ABBR, r"(?:median\s+)?\bOS\b"),
    _measure("ttp", "time", r"(?i:(?:median\s+)?time\s+to\s+(?:tumou?r\s+)?progression)" + _ABBR, r"\bTTP\b"),
    _measure("disease_control_rate", "percent", r"(?i:disease[- ]control(?:\s+rate)?)" + _ABBR, r"\bDCR\b"),
    _measure("clinical_benefit_rate", "percent", r"(?i:clinical\s+benefit(?:\s+rate)?)" + _ABBR, r"\bCBR\b"),
    _measure(
        "orr", "percent",
        r"(?i:(?:overall|objective)\s+(?:tumou?r\s+)?response(?:\s*\((?i:ORR?|RR)\))?(?:\s+rates?)?)" + _ABBR,
        r"(?i:response\s+rates?)" + _ABBR, r"\bORR\b", r"\bRRs?\b",
    ),
    _measure("complete_response", "percent", r"(?i:complete\s+(?:response|remission)s?)" + _ABBR, r"\bCRs?\b"),
    _measure("partial_response", "percent", r"(?i:partial\s+(?:response|remission)s?)" + _ABBR, r"\bPRs?\b"),
    _measure(
        "stable_disease", "percent",
        r"(?i:stable\s+disease)" + _ABBR, r"(?i:disease\s+stabili[sz]ation)",
        r"(?i:stabili[sz]ation\s+of\s+(?:the\s+)?disease)", r"\bSD\b",
    ),
    _measure(
        "tumor_reduction", "percent",
        r"(?i:tumou?r\s+(?:regression|reduction|shrinkage))",
    ),
    _measure("biochemical_response", "percent", r"(?i:biochemical\s+response)"),
    _measure(
        "adverse_events", "percent",
        r"(?i:adverse\s+events?)" + _ABBR, r"\bAEs?\b",
        r"(?i:grade\s*[1-5](?:\s*[\u2013\u2014/-]\s*[1-5])?(?:\s+(?:adverse\s+events?|AEs?|toxicit(?:y|ies)))?)",
    ),
    # GUIDELINES v2: the % (or count) of an outcome in one arm — "CIPN prevalence was 68%",
    # "incidence of neutropenia", "rates of smoking abstinence … (8% v 6%)", "quit rate".
    _measure(
        "event_rate", "percent",
        r"(?i:\b(?:prevalence|incidence)\b)",
        r"(?i:\b(?:abstinence|cessation|quit|event|remission|relapse|recurrence)\s+rates?\b)",
        r"(?i:\brates?\s+of\s+[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,3})",
    ),
    _measure("p_score", "score", r"(?i:\bP[- ]scores?\b)"),
)

# Which abbreviation each measure owns; a document defining it otherwise ("OS, osteosarcoma")
# switches that abbreviation off.
ABBREVIATION_MEANINGS: dict[str, str] = {
    "OS": "overall survival", "PFS": "progression-free survival", "TTP": "time to progression",
    "ORR": "response", "RR": "response", "CR": "complete response", "PR": "partial response",
    "SD": "stable disease", "DCR": "disease control", "CBR": "clinical benefit", "AE": "adverse event",
}

# Durations and percentages as papers write them; "years" are kept but have no unit in the schema.
UNITS: dict[str, str | None] = {
    "%": "%", "percent": "%", "months": "months", "month": "months", "mo": "months",
    "weeks": "weeks", "week": "weeks", "wk": "weeks", "wks": "weeks", "years": None, "year": None,
}
UNIT_KIND: dict[str, MeasureKind] = {"%": "percent", "months": "time", "weeks": "time"}

# Words between two values that make the second the comparator arm's value.
COMPARISON_CUE = re.compile(
    r"\bvs\.?|\bv\.?(?=\s*(?:[\d.]|$))|\bversus\b|\bcompared\s+(?:with|to)\b|\b(?:superior|inferior)\s+to\b|\bin\s+contrast\b|\bwhereas\b"
    r"|\b(?:arm|group|cohort)s?\b[^.;]{0,40}?\band\b",
    re.IGNORECASE,
)
# Control arms that are not drugs.
CONTROLS = re.compile(r"(?i)\b(placebo|best\s+supportive\s+care|observation|standard\s+of\s+care)\b")
# Connectors that make a later drug part of the same regimen.
COMBINATION_CUE = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:plus|with|and|\+|in\s+combination\s+with|combined\s+with|followed\s+by)\W",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------- table headers

HeaderField = Literal["study", "phase", "n", "drug", "combination", "dose", "disease", "measure", "reference"]

# (field, header pattern) tried in order; the first match names the column.
HEADER_SYNONYMS: tuple[tuple[HeaderField, re.Pattern[str]], ...] = tuple(
    (field, re.compile(pattern, re.IGNORECASE))
    for field, pattern in (
        ("reference", r"^\s*(?:references?|refs?\.?|citations?)\s*$"),
        ("study", r"\b(?:study|studies|trial|author|first author|investigators?)\b"),
        ("phase", r"^\s*phase\s*$"),
        ("n", r"\b(?:patients|no\.|n|number|sample size|cases|enrolled|subjects)\b"),
        ("combination", r"\b(?:combination|combined|concomitant|plus|add-on)\b"),
        ("dose", r"\b(?:dose|dosage|schedule|regimen)\b"),
        ("drug", r"\b(?:drugs?|treatments?|agents?|interventions?|therapy|arms?|compounds?)\b"),
        ("disease", r"\b(?:disease|tumou?r|cancer|population|indication|histology|diagnosis)\b"),
    )
)
# Headers that hold results (measure columns or free-text results columns).
RESULTS_HEADER = re.compile(r"(?i)\b(?:outcomes?|results?|efficacy|findings?|response)\b")


def find_measures(text: str, disabled: frozenset[str] = frozenset()) -> list[tuple[Measure, int, int]]:
    """Non-overlapping measure mentions in ``text`` (measure, start, end), in text order.

    ``disabled`` lists abbreviations the document defines with another meaning.
    """
    taken: list[tuple[Measure, int, int]] = []
    for measure in MEASURES:
        for match in measure.pattern.finditer(text):
            if match.group().strip() in disabled or match.group().rstrip("s") in disabled:
                continue
            if any(match.start() < end and start < match.end() for _, start, end in taken):
                continue
            taken.append((measure, match.start(), match.end()))
    return sorted(taken, key=lambda item: item[1])


# Header words with spaces removed, for headers a PDF broke inside words ("Res pon se rate").
_SQUASHED_MEASURES: tuple[tuple[str, str], ...] = (
    ("progressionfreesurvival", "median_pfs"), ("medianpfs", "median_pfs"), ("overallsurvival", "median_os"),
    ("medianos", "median_os"), ("timetoprogression", "ttp"), ("responserate", "orr"),
    ("objectiveresponse", "orr"), ("overallresponse", "orr"), ("diseasecontrol", "disease_control_rate"),
    ("clinicalbenefit", "clinical_benefit_rate"), ("partialresponse", "partial_response"),
    ("completeresponse", "complete_response"), ("stabledisease", "stable_disease"),
)
_SQUASHED_FIELDS: tuple[tuple[HeaderField, tuple[str, ...]], ...] = (
    ("reference", ("reference",)), ("study", ("study", "trial", "author")), ("n", ("patient", "samplesize", "subjects")),
    ("combination", ("combination",)), ("dose", ("dose", "schedule", "regimen")),
    ("drug", ("drug", "treatment", "agent", "intervention")), ("disease", ("tumor", "tumour", "disease", "cancer", "population")),
)


def squash(text: str) -> str:
    """Lower case with all whitespace removed."""
    return re.sub(r"\s+", "", text).lower()


def measure_for_header(header: str, disabled: frozenset[str] = frozenset()) -> Measure | None:
    """The measure a column header names ("Median OS (months)" → median_os), if any."""
    found = find_measures(header, disabled)
    if found:
        return found[0][0]
    squashed = squash(header)
    name = next((name for word, name in _SQUASHED_MEASURES if word in squashed), None)
    return next((m for m in MEASURES if m.name == name), None)


def header_field(header: str) -> HeaderField | None:
    """The non-measure field a column header names, if any."""
    for field, pattern in HEADER_SYNONYMS:
        if pattern.search(header):
            return field
    squashed = squash(header)
    return next((field for field, words in _SQUASHED_FIELDS if any(w in squashed for w in words)), None)


def disabled_abbreviations(abbreviations: dict[str, str]) -> frozenset[str]:
    """Measure abbreviations a document defines with a different long form."""
    return frozenset(
        short for short, long in abbreviations.items()
        if short in ABBREVIATION_MEANINGS and ABBREVIATION_MEANINGS[short] not in long.lower()
    )
