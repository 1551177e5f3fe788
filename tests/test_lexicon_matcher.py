"""The lexicon matcher finds what spaCy's PhraseMatcher(attr="LOWER") found."""

from __future__ import annotations

import pytest
from spacy.attrs import LOWER
from spacy.matcher import PhraseMatcher

from pipeline.nlp.lexicon import Entry, Lexicon
from pipeline.nlp.matching import LexiconMatcher
from pipeline.nlp.model import load_nlp

TERMS = [  # prefixes of each other, spaced and hyphenated forms, case-sensitive symbols, a blank
    ("mTOR", "GENE_OR_PROTEIN"), ("mTOR inhibitor", "DRUG"), ("mtor inhibitors", "DRUG"),
    ("mTORC1", "GENE_OR_PROTEIN"), ("IL-2", "GENE_OR_PROTEIN"), ("IL 2", "GENE_OR_PROTEIN"),
    ("interleukin 2", "GENE_OR_PROTEIN"), ("rapamycin", "DRUG"), ("AT", "GENE_OR_PROTEIN"),
    ("breast cancer", "DISEASE"), ("breast", "DISEASE"), ("cancer of the breast", "DISEASE"),
    ("HIF-1α", "GENE_OR_PROTEIN"), ("4E-BP1", "GENE_OR_PROTEIN"), ("p70 S6 kinase", "GENE_OR_PROTEIN"),
    ("  ", "DRUG"),
]
TEXT = ("mTOR inhibitors such as rapamycin block mTORC1 (mTOR inhibitor, MTOR). IL-2 and IL 2 and "
        "interleukin 2; at AT breast cancer, cancer of the breast. HIF-1α, 4E-BP1/p70 S6 kinase, "
        "mtor\ninhibitors at the end: mTOR")


def lexicon() -> Lexicon:
    entries = [Entry(term, label, term.lower(), None, "exact", len(term) < 6, False, 1) for term, label in TERMS]
    return Lexicon(entries, [], "lex-test")


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def test_same_matches_as_the_phrase_matcher(nlp):
    matcher = LexiconMatcher(nlp, lexicon())
    doc = nlp.make_doc(TEXT)
    phrase = PhraseMatcher(nlp.vocab, attr="LOWER")
    phrase.add("LEX", list(nlp.tokenizer.pipe(matcher.index)))
    expected = [(start, end) for _, start, end in phrase(doc)]
    lower = doc.to_array([LOWER]).tolist()
    assert [(start, end) for start, end, _ in matcher.matches(lower)] == expected
    assert len(expected) > 15  # overlapping matches are all there
