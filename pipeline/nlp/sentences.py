"""Sentence-boundary repair: undo splits after abbreviations, inside citations and numbers.

Runs before the parser (which respects ``is_sent_start = False``) or after the rule
sentencizer, so both pipelines share one rule.
"""

from __future__ import annotations

import re

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

# Words that end with a period without ending a sentence ("et al.", "Fig. 2", "vs. placebo").
ABBREVIATIONS = frozenset(
    "al vs v fig figs eg e.g ie i.e cf ref refs approx ca no nos resp dr mr ms prof inc ltd "
    "eq eqs ed eds vol p pp suppl".split()
)
CITATION = re.compile(r"^[\(\[]\s*\d")


def non_starts(words: list[str]) -> list[int]:
    """Indices of tokens that must not begin a sentence, given the token texts."""
    blocked = []
    for i in range(1, len(words)):
        word, prev = words[i], words[i - 1]
        before = words[i - 2].lower().rstrip(".") if i >= 2 else ""
        if prev == "." and before in ABBREVIATIONS:
            blocked.append(i)  # "et al . In" / "Fig . 2"
        elif prev.endswith(".") and prev.lower().rstrip(".") in ABBREVIATIONS:
            blocked.append(i)  # "vs. placebo", "e.g. X"
        elif word.isalpha() and word.islower() or word[:1].isdigit() and prev not in {".", "!", "?"}:
            blocked.append(i)  # sentences do not start lower-case or mid-number
        elif word[:1] in "([" and i + 1 < len(words) and CITATION.match(word + words[i + 1]):
            blocked.append(i)  # "(44, 45)" / "[22–25]" belong to the sentence before
        elif word[:1] in ")]},;:%" or word in {"<", ">", "=", "≤", "≥", "±"}:
            blocked.append(i)
    return blocked


def forced_starts(words: list[str]) -> list[int]:
    """Indices of tokens that begin a sentence: the first word after a blank line."""
    return [i for i in range(1, len(words)) if "\n\n" in words[i - 1] and words[i - 1].isspace()]


@Language.component("sentence_repair")
def sentence_repair(doc: Doc) -> Doc:
    """Mark tokens that cannot (or must) start a sentence; other boundaries stay as they were."""
    words = [t.text for t in doc]
    # One array write: per-token ``is_sent_start`` assignment rescans the whole doc each time.
    starts = doc.to_array([SENT_START]).astype("int64")  # stored unsigned; we write -1
    starts[non_starts(words)] = -1
    starts[forced_starts(words)] = 1
    doc.from_array([SENT_START], starts.astype("uint64"))  # -1 wraps, as spaCy stores it
    return doc
