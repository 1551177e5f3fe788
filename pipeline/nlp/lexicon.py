"""Load the compiled lexicons (TSV) into one in-memory table of entries.

Priority when two sources claim the same term: curated > genes > drugs > compounds > diseases.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "lexicons"
SOURCES = (  # file, label (None = per row), priority (lower wins)
    ("curated.tsv", None, 0),
    ("genes.tsv", "GENE_OR_PROTEIN", 1),
    ("drugs.tsv", "DRUG", 2),
    ("compounds.tsv", "DRUG", 3),  # bioactive ChEBI compounds the drug source lacks
    ("diseases.tsv", "DISEASE", 4),
)
# Head nouns whose plural the disease lexicon does not list.
PLURAL_HEADS = ("tumor", "tumour", "neoplasm", "cancer", "carcinoma", "sarcoma", "carcinoid", "lymphoma")
# Root terms of the disease ontology that name no particular disease ("tumors", "the disease").
GENERIC_DISEASES = frozenset(
    "disease diseases disorder disorders syndrome syndromes tumor tumors tumour tumours neoplasm neoplasms "
    "lesion lesions malignancy malignancies".split()
)
# Canonical disease names too general to say what a statement or a trial is about.
GENERIC_DISEASE_NAMES = frozenset({"cancer", "disease", "tumor", "carcinoma", "syndrome", "neoplasm",
                                   "disease progression", "malignancy"})


def is_specific_disease(canonical: str) -> bool:
    """A disease name that can serve as a context ("osteosarcoma", not "cancer")."""
    return canonical.lower() not in GENERIC_DISEASE_NAMES
# The drug source (MeSH chemicals) lists proteins, receptors and antigens: they are gene products,
# never drugs ("regulatory-associated protein of mTOR", "stem cell factor", "HLA-DR antigens").
PROTEIN_NAME = re.compile(
    r"\b(?:proteins?|receptors?|kinases?|antigens?|factors?|enzymes?|ligands?|subunits?)"
    r"(?:[- ](?:alpha|beta|gamma|[0-9]+[a-z]?|[ivx]+))?$|\bprotein of\b"
)
# Greek letters spelled out in gene lexicons ("HIF-1alpha") and written as symbols in prose.
GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "kappa": "κ", "epsilon": "ε"}
GREEK_PREFIX = re.compile(r"^(alpha|beta|gamma|delta|kappa|epsilon)-", re.I)
GREEK_SUFFIX = re.compile(r"(?<=[0-9A-Za-z-])(alpha|beta|gamma|delta|kappa|epsilon)(?=[0-9]?$)", re.I)


@dataclass(frozen=True)
class Entry:
    """One lexicon term and the identity it normalizes to."""

    term: str
    label: str
    canonical: str
    identifier: str | None
    match: str  # exact | synonym | class
    case_sensitive: bool
    ambiguous: bool = False
    priority: int = 0


@dataclass(frozen=True)
class Pattern:
    """A regular expression naming an entity by its shape."""

    label: str
    regex: re.Pattern[str]
    requires_context: bool


@dataclass
class Lexicon:
    """All entries plus the data the rules need."""

    entries: list[Entry]
    patterns: list[Pattern]
    version: str
    ambiguous_terms: frozenset[str] = field(default_factory=frozenset)
    fuzzy_block: frozenset[str] = field(default_factory=frozenset)  # words never fuzz-matched


def lexicon_dir() -> Path:
    """Directory holding the TSVs (``PIPELINE_LEXICON_DIR`` overrides, for tests)."""
    from pipeline.settings import load_settings

    return load_settings().lexicon_dir or DEFAULT_DIR


def _read(path: Path) -> tuple[str, list[dict[str, str]]]:
    """Header comment and rows of a lexicon TSV."""
    with open(path, encoding="utf-8") as handle:
        comment = handle.readline().lstrip("# ").strip()
        return comment, list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def is_case_sensitive(term: str, label: str) -> bool:
    """Short or upper-case symbols must match as written; long names match in any case."""
    if label == "DRUG" and term == term.lower():
        return False
    return len(term) < 6 or (label == "GENE_OR_PROTEIN" and term.isupper() and len(term) < 8)


def _version(comments: list[str]) -> str:
    """A compact lexicon version: the build dates of the compiled files."""
    dates = sorted({m.group(1) for c in comments for m in [re.search(r"built (\S+)", c)] if m})
    return "lex-" + (dates[-1] if dates else "unknown")


@lru_cache(maxsize=4)
def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Read every TSV once; curated rows without an identifier borrow the drug lexicon's."""
    directory = directory or lexicon_dir()
    _, ambiguous_rows = _read(directory / "ambiguous.tsv")
    ambiguous_terms = frozenset(r["term"] for r in ambiguous_rows)
    entries: list[Entry] = []
    comments: list[str] = []
    ids_by_canonical: dict[tuple[str, str], str] = {}
    for name, label, priority in SOURCES:
        comment, rows = _read(directory / name)
        comments.append(comment)
        for row in rows:
            row_label = label or row["label"]
            term = row["term"]
            if not _keep(term, row["canonical"], row_label, priority):
                continue
            ident = row.get("identifier") or None
            if ident:
                ids_by_canonical.setdefault((row_label, row["canonical"]), ident)
            match = row.get("match") or ("exact" if term.lower() == row["canonical"].lower() else "synonym")
            ambiguous = row.get("flags") == "ambiguous" or term in ambiguous_terms
            entries.extend(
                Entry(variant, row_label, row["canonical"], ident, match,
                      is_case_sensitive(variant, row_label), ambiguous and row_label == "GENE_OR_PROTEIN", priority)
                for variant in _variants(term, row_label, ambiguous)
            )
    entries = [
        e if e.identifier else Entry(e.term, e.label, e.canonical, ids_by_canonical.get((e.label, e.canonical)),
                                     e.match, e.case_sensitive, e.ambiguous, e.priority)
        for e in entries
    ]
    _, pattern_rows = _read(directory / "patterns.tsv")
    patterns = [Pattern(r["label"], re.compile(r["regex"]), r["requires_context"] == "yes") for r in pattern_rows]
    _, block_rows = _read(directory / "fuzzy_block.tsv")
    fuzzy_block = frozenset(r["term"] for r in block_rows)
    return Lexicon(entries, patterns, _version(comments), ambiguous_terms, fuzzy_block)


# Words that never make a drug name on their own: a brand written "AT 10" is lower-cased in the
# compiled lexicon and would otherwise match the phrase "at 10 mg".
FUNCTION_WORDS = frozenset("a an and as at by for from in into is it of on or per the to up with".split())


def _is_function_phrase(term: str) -> bool:
    """Only function words and numbers: "at 10", "in 1"."""
    words = term.lower().split()
    return len(words) > 1 and all(w in FUNCTION_WORDS or w.replace(".", "").isdigit() for w in words)


def _keep(term: str, canonical: str, label: str, priority: int) -> bool:
    """False for compiled rows that misname their entity: protein "drugs", generic disease words,
    brand names made of function words and numbers."""
    if priority == 0:
        return True  # curated rows were reviewed one by one
    if label == "DRUG":
        return not (PROTEIN_NAME.search(term) or PROTEIN_NAME.search(canonical.lower())
                    or _is_function_phrase(term))
    if label == "DISEASE":
        return term.lower() not in GENERIC_DISEASES
    return True


def _variants(term: str, label: str, ambiguous: bool) -> list[str]:
    """The term plus the spellings prose uses that the sources omit."""
    variants = [term]
    if label == "DISEASE" and term.endswith(PLURAL_HEADS):
        variants.append(term + "s")
    # "AKT1" is written "Akt1", "RHEB" "Rheb": add the capitalized form of plain symbols.
    if label == "GENE_OR_PROTEIN" and not ambiguous and 3 <= len(term) <= 6 and term.isupper() and term[0].isalpha():
        variants.append(term[0] + term[1:].lower())
    # "HIF-1alpha" is written "HIF-1α", "TGF-beta1" "TGF-β1".
    if label == "GENE_OR_PROTEIN" and GREEK_SUFFIX.search(term):
        variants.append(GREEK_SUFFIX.sub(lambda m: GREEK[m.group(1).lower()], term))
    # "beta-elemene" is written "β-elemene".
    if label == "DRUG" and GREEK_PREFIX.match(term):
        variants.append(GREEK_PREFIX.sub(lambda m: GREEK[m.group(1).lower()] + "-", term))
    return variants
