"""Lexicon matching: one case-folded PhraseMatcher, case checked per entry afterwards.

Pure helpers turn matches into :class:`Candidate` records; the annotate step resolves overlaps.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.nlp.lexicon import Entry, Lexicon


@dataclass(frozen=True)
class Candidate:
    """A token span proposed as an entity, with the identity it normalizes to."""

    start: int  # token offsets
    end: int
    label: str
    canonical: str
    identifier: str | None
    match: str
    rule: str
    ambiguous: bool = False

    def with_match(self, match: str, rule: str) -> "Candidate":
        return replace(self, match=match, rule=rule)


def squash(text: str) -> str:
    """Whitespace-free form used to compare a case-sensitive term with the text."""
    return "".join(text.split())


class LexiconMatcher:
    """Built once per (pipeline, lexicon); finds lexicon terms in a Doc."""

    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        self.index: dict[str, list[Entry]] = {}
        for entry in sorted(lexicon.entries, key=lambda e: e.priority):
            self.index.setdefault(entry.term.lower(), []).append(entry)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        keys = list(self.index)
        # Map the tokenized key (its tokens' LOWER ids, as a match reads them from the Doc's
        # array) back to the lexicon key: tokenization may drop spaces.
        self.by_tokens: dict[tuple[int, ...], str] = {}
        patterns = []
        for key, pattern in zip(keys, nlp.tokenizer.pipe(keys, batch_size=2000)):
            self.by_tokens.setdefault(tuple(t.lower for t in pattern), key)
            patterns.append(pattern)
        self.matcher.add("LEX", patterns)

    def candidates(self, doc: Doc) -> list[Candidate]:
        """Every lexicon match whose case fits its entry (overlaps are kept)."""
        found = []
        matches = self.matcher(doc)
        if not matches:
            return found
        # Token ids from one array read: slicing the Doc would create a Token object per token.
        lower, orth = doc.to_array([LOWER, ORTH]).T.tolist()
        strings = doc.vocab.strings
        for _, start, end in matches:
            key = self.by_tokens.get(tuple(lower[start:end]))
            # The match's tokens without their whitespace: all that _pick compares.
            written = "".join([strings[token] for token in orth[start:end]])
            entry = self._pick(self.index.get(key, []), written)
            if entry is not None:
                found.append(Candidate(start, end, entry.label, entry.canonical, entry.identifier,
                                       entry.match, f"lexicon:{entry.label.lower()}", entry.ambiguous))
        return found

    @staticmethod
    def _pick(entries: list[Entry], text: str) -> Entry | None:
        """Highest-priority entry whose case rule accepts ``text``; exact case breaks ties.

        Priority comes first so a reviewed curated row ("interferon", a drug) is not overridden
        by a compiled entry that happens to share the capitalisation of the text.
        """
        written = squash(text)
        accepted = [e for e in entries if squash(e.term) == written or not e.case_sensitive]
        if not accepted:
            return None
        return min(accepted, key=lambda e: (e.priority, squash(e.term) != written))
