"""The lexicon matcher finds what spaCy's PhraseMatcher(attr="LOWER") found, and its cache of
tokenized keys gives the same matcher as tokenizing anew."""

from __future__ import annotations

from pathlib import Path

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


def test_same_matches_as_the_phrase_matcher(nlp, tmp_path):
    matcher = LexiconMatcher(nlp, lexicon(), tmp_path)
    doc = nlp.make_doc(TEXT)
    phrase = PhraseMatcher(nlp.vocab, attr="LOWER")
    phrase.add("LEX", list(nlp.tokenizer.pipe(matcher.index)))
    expected = [(start, end) for _, start, end in phrase(doc)]
    lower = doc.to_array([LOWER]).tolist()
    assert [(start, end) for start, end, _ in matcher.matches(lower)] == expected
    assert len(expected) > 15  # overlapping matches are all there


def test_cached_tokens_give_the_same_matcher(nlp, tmp_path):
    cold = LexiconMatcher(nlp, lexicon(), tmp_path)
    [cache] = tmp_path.glob("lexicon-tokens-*.npz")
    warm = LexiconMatcher(nlp, lexicon(), tmp_path)
    assert list(warm.by_tokens.items()) == list(cold.by_tokens.items()) and warm.sizes == cold.sizes
    doc = nlp.make_doc(TEXT)
    assert warm.candidates(doc) == cold.candidates(doc)
    cache.write_bytes(b"not a cache")  # unusable: tokenized again and rewritten
    again = LexiconMatcher(nlp, lexicon(), tmp_path)
    assert again.by_tokens == cold.by_tokens and cache.stat().st_size > 100


def test_changed_lexicon_misses_the_cache(nlp, tmp_path):
    LexiconMatcher(nlp, lexicon(), tmp_path)
    smaller = lexicon()
    smaller.entries.pop()
    smaller.entries.pop()
    matcher = LexiconMatcher(nlp, smaller, tmp_path)
    assert ("p70", "s6", "kinase") not in {tuple(nlp.vocab.strings[t] for t in k) for k in matcher.by_tokens}
    assert len(list(tmp_path.glob("lexicon-tokens-*.npz"))) == 1  # the stale one is gone


def test_unwritable_cache_is_harmless(nlp, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    matcher = LexiconMatcher(nlp, lexicon(), Path(blocked) / "cache")
    assert matcher.candidates(nlp.make_doc("rapamycin"))
