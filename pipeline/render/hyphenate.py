"""Cheap line-end hyphenation: soft hyphens at vowel-consonant-vowel boundaries.

Journal PDFs break long words at column edges with a hyphen; the PDF reader downstream must
undo that. Reportlab breaks a word at an embedded soft hyphen (U+00AD) and draws a visible
hyphen there, and draws nothing where the word is not broken.
"""

from __future__ import annotations

import re

SOFT_HYPHEN = "\u00ad"
_VOWELS = set("aeiouy")
_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][a-z]{7,}(?![A-Za-z0-9])")


def hyphenate_word(word: str, min_part: int = 3) -> str:
    """``word`` with soft hyphens before each consonant that sits between two vowels."""
    lower = word.lower()
    points = [
        i
        for i in range(min_part, len(word) - min_part + 1)
        if lower[i - 1] in _VOWELS and lower[i] not in _VOWELS and lower[i + 1 : i + 2] in _VOWELS
    ]
    for i in reversed(points):
        word = word[:i] + SOFT_HYPHEN + word[i:]
    return word


def _soft(match: re.Match[str]) -> str:
    return hyphenate_word(match.group(0))


def hyphenate_markup(markup: str) -> str:
    """Soft-hyphenate words of 8+ letters (not all-caps) in the text parts of reportlab markup."""
    parts = re.split(r"(<[^>]+>|&\w+;)", markup)
    return "".join(
        part if part.startswith(("<", "&")) else _WORD.sub(_soft, part) for part in parts
    )
