"""Normalize the compared values so that gold and predictions meet on equal terms.

Every function is symmetric: it is applied to the gold value and to the predicted value alike.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.nlp.lexicon import GREEK as NER_GREEK

LEXICON_DIR = Path(__file__).resolve().parents[1] / "lexicons"


@dataclass(frozen=True)
class Lexicon:
    """Synonym maps used by the normalizers (keys are :func:`fold`-ed terms)."""

    drugs: Mapping[str, str] = field(default_factory=dict)  # term -> lower-case INN or class
    genes: Mapping[str, str] = field(default_factory=dict)  # term -> HGNC symbol / FamPlex name
    outcomes: Mapping[str, str] = field(default_factory=dict)  # term -> outcome vocabulary
    # FamPlex family -> member symbols (upper case). The compiled lexicons carry no membership
    # yet, so this is empty unless a caller supplies it; sets are then compared by overlap only.
    families: Mapping[str, frozenset[str]] = field(default_factory=dict)


# Greek letters spelled out, the inverse of the NER lexicon's table ("β" → "beta").
GREEK = {letter: name for name, letter in NER_GREEK.items()}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-, hyphen-, spacing- and Greek-spelling-insensitive key:
    ``"Anti-Tumour  activity"`` → ``"anti tumor activity"``, ``"β-Elemene"`` → ``"beta elemene"``."""
    text = "".join(GREEK.get(ch, ch) for ch in text.lower())
    text = re.sub(r"[-_\s]+", " ", text).strip()
    return re.sub(r"tumour", "tumor", text)


def _tsv_rows(path: Path) -> Iterable[list[str]]:
    # Compiled lexicons: one "# source" comment line, one header line, then rows.
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as handle:
        lines = (line.rstrip("\n") for line in handle if not line.startswith("#"))
        next(lines, None)
        for line in lines:
            yield line.split("\t")


@lru_cache(maxsize=4)
def load_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    """Synonym maps from ``drugs.tsv``, ``genes.tsv`` and ``curated.tsv`` (missing files are skipped)."""
    drugs: dict[str, str] = {}
    genes: dict[str, str] = {}
    outcomes: dict[str, str] = {}
    for row in _tsv_rows(directory / "drugs.tsv"):
        drugs.setdefault(fold(row[0]), row[1].lower())
    gene_rows = list(_tsv_rows(directory / "genes.tsv"))
    # A canonical name maps to itself before any alias that happens to spell it ("ACT").
    for row in gene_rows:
        genes[fold(row[1])] = row[1]
    for row in gene_rows:
        genes.setdefault(fold(row[0]), row[1])
    for term, label, canonical, *_ in _tsv_rows(directory / "curated.tsv"):
        target = {"DRUG": drugs, "GENE_OR_PROTEIN": genes, "OUTCOME": outcomes}.get(label)
        if target is not None:  # curated rows are hand-reviewed: they win over compiled ones
            target[fold(term)] = canonical.lower() if label == "DRUG" else canonical
    return Lexicon(drugs=drugs, genes=genes, outcomes=outcomes)


def drug(name: str | None, lexicon: Lexicon) -> str | None:
    """Lower-case INN: synonyms and research codes resolve through the lexicon."""
    if not name or not name.strip():
        return None
    key = fold(name)
    if key in lexicon.drugs:
        return lexicon.drugs[key]
    # A class is named in the singular or the plural ("antibiotic", "antibiotics").
    other = key[:-1] if key.endswith("s") else key + "s"
    return lexicon.drugs.get(other, key)


def drugs(names: Iterable[str] | None, lexicon: Lexicon) -> frozenset[str]:
    """A set of normalized drug names (``combined_with``)."""
    return frozenset(d for d in (drug(n, lexicon) for n in names or []) if d)


def target_set(name: str | None, lexicon: Lexicon) -> frozenset[str]:
    """Upper-case canonical names of a ``/``-joined target list (``"PI3K/Akt"`` → {PI3K, AKT})."""
    if not name:
        return frozenset()
    parts = (p.strip() for p in name.split("/"))
    return frozenset(lexicon.genes.get(fold(p), p).upper() for p in parts if p)


def _covers(name: str, other: frozenset[str], lexicon: Lexicon) -> bool:
    members = {m.upper() for m in lexicon.families.get(name, ())}
    return name in other or bool(members & other) or any(
        name in {m.upper() for m in lexicon.families.get(o, ())} for o in other)


def targets_equal(gold: str | None, pred: str | None, lexicon: Lexicon) -> bool:
    """Same target set (both null counts as equal); a family stands for its known members."""
    a, b = target_set(gold, lexicon), target_set(pred, lexicon)
    return all(_covers(x, b, lexicon) for x in a) and all(_covers(y, a, lexicon) for y in b)


def targets_overlap(gold: str | None, pred: str | None, lexicon: Lexicon) -> bool:
    """At least one target in common (or family/member); false when either is null."""
    a, b = target_set(gold, lexicon), target_set(pred, lexicon)
    return any(_covers(x, b, lexicon) for x in a)


def outcome(name: str | None, lexicon: Lexicon) -> str | None:
    """Outcome vocabulary term, compared case/hyphen/spacing-insensitively."""
    if not name or not name.strip():
        return None
    key = fold(name)
    return fold(lexicon.outcomes.get(key, key))


@lru_cache(maxsize=4)
def _outcome_classes(path: Path = LEXICON_DIR / "outcome_classes.tsv") -> tuple[tuple[re.Pattern, str], ...]:
    rows = []
    for row in _tsv_rows(path):
        if len(row) >= 2 and row[0]:
            rows.append((re.compile(row[0]), row[1]))
    return tuple(rows)


def outcome_class(name: str | None, lexicon: Lexicon) -> str | None:
    """The closed outcome class of an outcome term (GUIDELINES v2): ``"pyroptosis"`` → ``cell
    death``, ``"HbA1c"`` → ``glycemic control``; a class name maps to itself; an unknown term is
    ``other``. Lenient matching compares classes, so annotators' class labels meet the
    extractor's specific terms."""
    term = outcome(name, lexicon)
    return None if term is None else _class_of(term)


@lru_cache(maxsize=16384)
def _class_of(term: str) -> str:
    for pattern, label in _outcome_classes():
        if pattern.search(term) or term == fold(label):
            return label
    return "other"


def target_parts(name: str | None) -> list[str | None]:
    """A ``/``-joined target counts as its parts (``"GSDMD/GSDME"`` → two targets)."""
    if not name or "/" not in name:
        return [name]
    return [p.strip() for p in name.split("/") if p.strip()] or [None]


def text(value: str | None) -> str | None:
    """Free text compared loosely (context, dose, study): folded, trailing dots dropped."""
    if value is None or not str(value).strip():
        return None
    return fold(str(value)).rstrip(".")


_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}


def phase(value: str | None) -> str | None:
    """Trial phase in Arabic numerals: ``"Phase II"`` → ``"2"``, ``"I/II"`` → ``"1/2"``."""
    if value is None or not str(value).strip():
        return None
    cleaned = re.sub(r"phase|\s", "", str(value).lower())
    return "/".join(_ROMAN.get(p, p) for p in cleaned.split("/"))


_TAGS = re.compile(r"<[^>]{0,40}>")  # <sup>, </i>
_LATEX = re.compile(r"\\[a-zA-Z]+|[$^_{}\\]")
_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")


@lru_cache(maxsize=65536)
def evidence_tokens(value: str | None) -> frozenset[str]:
    """Token set of a sentence or table row: tags, LaTeX and cell separators dropped."""
    cleaned = _LATEX.sub(" ", _TAGS.sub(" ", value or ""))
    return frozenset(_TOKEN.findall(cleaned.lower()))


def evidence_overlap(a: str | None, b: str | None) -> float:
    """Containment of the smaller token set in the larger: 1.0 when one quote holds the other.

    Containment rather than Jaccard because PDF and text input split sentences differently:
    a prediction may quote a longer or shorter span of the same sentence.
    """
    x, y = evidence_tokens(a), evidence_tokens(b)
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))


def _decimals(value: float) -> int:
    text = repr(float(value))
    return 0 if "e" in text else len(text.split(".")[1].rstrip("0"))


def same_number(a: float | int | None, b: float | int | None, tol: float = 1e-6) -> bool:
    """Equal within ``tol``, or equal once rounded to the coarser precision (16.43 ~ 16.4).

    Rounding stops at one decimal: JSON drops written precision (``11.0`` reads as ``11``),
    so integers must not swallow 11.2 or 11.4.
    """
    if a is None or b is None:
        return a is None and b is None
    a, b = float(a), float(b)
    if math.isclose(a, b, abs_tol=tol):
        return True
    digits = max(1, min(_decimals(a), _decimals(b)))
    return math.isclose(round(a, digits), round(b, digits), abs_tol=tol)


_P_VALUE = re.compile(r"^(<=|>=|<|>|=)?(\d*\.?\d+(?:e-?\d+)?)$")


def p_value(value: str | float | None) -> str | None:
    """Canonical p-value: ``"p < .001"`` → ``"<0.001"``, ``"= 0.026"`` → ``"0.026"``."""
    if value is None or not str(value).strip():
        return None
    cleaned = re.sub(r"\s+", "", str(value).lower()).replace("≤", "<=").replace("≥", ">=")
    cleaned = cleaned.removeprefix("p")
    found = _P_VALUE.match(cleaned)
    if not found:
        return cleaned
    op = found.group(1) or ""
    return f"{'' if op == '=' else op}{float(found.group(2)):g}"
