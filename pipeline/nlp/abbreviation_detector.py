"""scispaCy's abbreviation detector without its quadratic parenthesis search.

scispaCy finds "( … )" candidates with the Matcher pattern ``( + )``, which yields every
opening parenthesis paired with every later closing one: tens of thousands of matches in a
review article, all but a few hundred of them longer than the 8 inner tokens its own filter
keeps. :func:`parenthesised` yields only the short ones, in the Matcher's order, so the
detector's output is unchanged.
"""

from __future__ import annotations

import bisect

import numpy as np
from scispacy.abbreviation import AbbreviationDetector
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

MAX_INNER = 8  # scispaCy's filter_matches drops parentheses holding more tokens


def parenthesised(doc: Doc, match_id: int = 0) -> list[tuple[int, int, int]]:
    """``(match_id, start, end)`` of every "(" … ")" span with 1 to :data:`MAX_INNER` inner tokens.

    Ordered as spaCy's Matcher orders the ``( + )`` pattern: by closing parenthesis, then the
    nearest opening one first.
    """
    orth = doc.to_array(ORTH)
    opens = np.flatnonzero(orth == doc.vocab.strings["("]).tolist()
    out = []
    for close in np.flatnonzero(orth == doc.vocab.strings[")"]).tolist():
        first = bisect.bisect_left(opens, close - MAX_INNER - 1)
        last = bisect.bisect_left(opens, close - 1)  # at least one token inside
        out += [(match_id, start, close + 1) for start in reversed(opens[first:last])]
    return out


@Language.factory("bounded_abbreviation_detector")
class BoundedAbbreviationDetector(AbbreviationDetector):
    """scispaCy's detector (same ``doc._.abbreviations``), fed by :func:`parenthesised`."""

    def __init__(self, nlp: Language, name: str = "abbreviation_detector", make_serializable: bool = False) -> None:
        super().__init__(nlp, name, make_serializable)
        match_id = nlp.vocab.strings.add("parenthesis")
        self.matcher = lambda doc: parenthesised(doc, match_id)
