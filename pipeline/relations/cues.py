"""The relation cue lexicon (``patterns/cues.tsv``) and questions asked of tokens against it, and
the rules' word lists (``patterns/words.tsv``, ``patterns/measure_outcomes.tsv``)."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

CUES_PATH = Path(__file__).with_name("patterns") / "cues.tsv"
WORDS_PATH = Path(__file__).with_name("patterns") / "words.tsv"
MEASURE_OUTCOMES_PATH = Path(__file__).with_name("patterns") / "measure_outcomes.tsv"

TARGET_INTERACTIONS = {
    "target_inhibits": "inhibits",
    "target_activates": "activates",
    "target_down": "downregulates",
    "target_up": "upregulates",
    "target_binds": "binds",
}
OUTCOME_EFFECTS = {"outcome_down": "decreases", "outcome_up": "increases"}


@lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, frozenset[str]]:
    """Map each cue (lower-case lemma or word) to its categories."""
    categories: dict[str, set[str]] = defaultdict(set)
    with CUES_PATH.open(encoding="utf-8") as handle:
        rows = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(rows, delimiter="\t"):
            categories[row["cue"]].add(row["category"])
    return {cue: frozenset(cats) for cue, cats in categories.items()}


def tsv_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The rows of a tab-separated pattern file (no quoting; ``#`` lines and blank lines skipped),
    each cut to ``columns``, which must begin its header line; a missing trailing cell is ""."""
    lines = [line.rstrip("\r\n") for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line.strip() and not line.startswith("#")]
    header = tuple(lines[0].split("\t")) if lines else ()
    if header[:len(columns)] != columns:
        raise ValueError(f"{path.name}: header {header} does not begin with {columns}")
    rows = []
    for line in lines[1:]:
        cells = line.split("\t") + [""] * len(header)
        rows.append(tuple(cells[:len(columns)]))
    return rows


@lru_cache(maxsize=1)
def _word_lists() -> dict[str, tuple[str, ...]]:
    """List name → its words in file order (``patterns/words.tsv``)."""
    lists: dict[str, list[str]] = defaultdict(list)
    for name, word in tsv_rows(WORDS_PATH, ("list", "word")):
        if not name or not word:
            raise ValueError(f"{WORDS_PATH.name}: row without a list name or a word: {name!r} {word!r}")
        lists[name].append(word)
    return {name: tuple(words) for name, words in lists.items()}


@lru_cache(maxsize=None)
def word_tuple(name: str) -> tuple[str, ...]:
    """The words of list ``name`` in file order, for lists whose order matters (``str.endswith``)."""
    lists = _word_lists()
    if name not in lists:
        raise ValueError(f"unknown word list {name!r} (not in {WORDS_PATH.name}; known: {', '.join(sorted(lists))})")
    return lists[name]


@lru_cache(maxsize=None)
def word_list(name: str) -> frozenset[str]:
    """The words of list ``name`` in ``patterns/words.tsv``; ValueError naming it if there is none."""
    return frozenset(word_tuple(name))


def any_word(words: frozenset[str]) -> str:
    """A regex group matching any of ``words`` (a list of ``patterns/words.tsv``), longest first."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


@lru_cache(maxsize=1)
def measure_outcomes() -> dict[str, str]:
    """Trial-statistic measure → the outcome it measures (``patterns/measure_outcomes.tsv``)."""
    return {measure: outcome for measure, outcome in tsv_rows(MEASURE_OUTCOMES_PATH, ("measure", "outcome"))}


def _forms(token: Token) -> tuple[str, ...]:
    """Lower-case word, lemma and the parts of a hyphenated word ("anti-proliferative" → anti)."""
    word = token.lower_
    forms = [word, token.lemma_.lower()]
    if "-" in word:
        forms.append(word.split("-")[0])
    if word.startswith("anti") and word != "anti":
        forms.append("anti")
    # Crude suffix stripping so "inhibited"/"inhibiting" find "inhibit" without a lemmatizer.
    for suffix in ("ed", "ing", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            forms.extend([stem, stem + "e"])
    # British spelling: "antagonises", "sensitised" find "antagonize", "sensitize".
    forms.extend([re.sub(r"is(e|ed|es|ing|ation)$", r"iz\1", form) for form in forms if "is" in form])
    return tuple(forms)


def categories(token: Token) -> frozenset[str]:
    """All cue categories a token signals."""
    lexicon = cue_lexicon()
    found: set[str] = set()
    for form in _forms(token):
        found |= lexicon.get(form, frozenset())
    return frozenset(found)


def has_category(token: Token, category: str) -> bool:
    return category in categories(token)


def interaction_of(token: Token) -> str | None:
    """The drug→target interaction a token signals, if any (first in lexicon priority)."""
    cats = categories(token)
    for category, interaction in TARGET_INTERACTIONS.items():
        if category in cats:
            return interaction
    return None


def effect_of(token: Token) -> str | None:
    """The drug→outcome effect direction a token signals, if any."""
    cats = categories(token)
    for category, effect in OUTCOME_EFFECTS.items():
        if category in cats:
            return effect
    return None
