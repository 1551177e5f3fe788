"""The bounded abbreviation detector finds what scispaCy's own detector finds."""

from __future__ import annotations

import pytest

from pipeline.nlp.abbreviation_detector import MAX_INNER, parenthesised
from pipeline.nlp.model import load_nlp

scispacy_abbreviation = pytest.importorskip("scispacy.abbreviation")

TEXT = (
    "Overall survival (OS) and progression-free survival (PFS) were longer with everolimus (RAD001). "
    "Nested (a (b) c) and empty ( ) parentheses, unbalanced ) ones (and a long aside that holds "
    "far more than eight tokens in all of it) do not matter. Mammalian target of rapamycin (mTOR) "
    "inhibitors ((mTORi)) act on mTOR; OS was 12 months (95% CI 10-14) ) (x (y (z) ) ) ("
)


@pytest.fixture(scope="module")
def doc():
    nlp = load_nlp()
    with nlp.select_pipes(disable=["abbreviation_detector"]):
        return nlp(TEXT)


def test_parenthesised_is_the_matcher_output_that_scispacy_keeps(doc):
    matcher = scispacy_abbreviation.AbbreviationDetector(load_nlp()).matcher
    kept = [m for m in matcher(doc) if m[2] - m[1] - 2 <= MAX_INNER]
    assert parenthesised(doc, kept[0][0]) == kept


def test_same_abbreviations_as_scispacy(doc):
    def found(detector) -> list[tuple[str, int, str, int]]:
        # Sorted: scispaCy collects each long form's short forms in a set of Spans.
        result = detector(doc.copy())
        return sorted((s.text, s.start, s._.long_form.text, s._.long_form.start) for s in result._.abbreviations)

    nlp = load_nlp()
    ours = found(nlp.get_pipe("abbreviation_detector"))
    assert ours == found(scispacy_abbreviation.AbbreviationDetector(nlp))
    assert ("OS", 3, "Overall survival", 0) in ours
