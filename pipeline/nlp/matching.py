"""Lexicon matching: lower-case token sequences looked up in a dict, case checked per entry afterwards.

Pure helpers turn matches into :class:`Candidate` records; the annotate step resolves overlaps.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import spacy
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
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


def _digest(nlp: Language, keys: list[str]) -> str:
    """What the tokenized keys depend on: the keys, the tokenizer's rules, spaCy and the model."""
    digest = hashlib.sha256(f"{CACHE_FORMAT} {spacy.__version__} {nlp.lang} {nlp.meta.get('name')} "
                            f"{nlp.meta.get('version')}".encode())
    digest.update(nlp.tokenizer.to_bytes(exclude=["vocab"]))
    digest.update("\0".join(keys).encode())
    return digest.hexdigest()[:32]


def squash(text: str) -> str:
    """Whitespace-free form used to compare a case-sensitive term with the text."""
    return "".join(text.split())


CACHE_FORMAT = 1  # bump when the cache file's layout changes


class LexiconMatcher:
    """Built once per (pipeline, lexicon); finds lexicon terms in a Doc.

    Every lexicon key is tokenized by the pipeline's tokenizer and stored as the tuple of its
    tokens' LOWER ids; a match is a run of the Doc's tokens whose LOWER ids form such a tuple —
    what spaCy's ``PhraseMatcher(attr="LOWER")`` finds, in the same order (by start, then end).
    The PhraseMatcher's trie of hash maps over ~187,000 terms held ~530 MB for good and ~1.2 GB
    while being built, per process; these two dicts hold ~80 MB.

    Tokenizing the keys takes seconds (spaCy creates a lexeme for every new word), in every
    process that loads the tagger — each Dask worker, each scheduled run. The token ids are
    therefore cached in ``cache_dir`` (default ``<out>/cache/``) under a digest of the keys, the
    tokenizer's rules and the spaCy and model versions; a changed lexicon or tokenizer misses.
    """

    def __init__(self, nlp: Language, lexicon: Lexicon, cache_dir: Path | None = None) -> None:
        self.index: dict[str, list[Entry]] = {}
        for entry in sorted(lexicon.entries, key=lambda e: e.priority):
            self.index.setdefault(entry.term.lower(), []).append(entry)
        # The tokenized key (its tokens' LOWER ids, as a match reads them from the Doc's array)
        # back to the lexicon key: tokenization may drop spaces; the first key wins a tie.
        self.by_tokens: dict[tuple[int, ...], str] = {}
        keys = list(self.index)
        if cache_dir is None:
            from pipeline.settings import load_settings

            cache_dir = load_settings().out_dir / "cache"
        path = cache_dir / f"lexicon-tokens-{_digest(nlp, keys)}.npz"
        if not self._load(path, keys):
            ids: dict[int, int] = {}  # one int object per distinct token id
            for key, pattern in zip(keys, nlp.tokenizer.pipe(keys, batch_size=2000)):
                if len(pattern):  # the PhraseMatcher skips empty patterns too
                    self.by_tokens.setdefault(tuple([ids.setdefault(t.lower, t.lower) for t in pattern]), key)
            self._save(path, keys)
        # First token id -> the token lengths of the keys starting with it, ascending.
        sizes: dict[int, set[int]] = {}
        for tokens in self.by_tokens:
            sizes.setdefault(tokens[0], set()).add(len(tokens))
        self.sizes: dict[int, tuple[int, ...]] = {first: tuple(sorted(n)) for first, n in sizes.items()}

    def _load(self, path: Path, keys: list[str]) -> bool:
        """Fill ``by_tokens`` from the cache file; False when it is missing or unusable."""
        try:
            with np.load(path, allow_pickle=False) as data:
                flat, ends, which = data["ids"].tolist(), data["ends"].tolist(), data["keys"].tolist()
        except (OSError, ValueError, KeyError):
            return False
        if len(ends) != len(which) or (ends and ends[-1] != len(flat)) or any(k >= len(keys) for k in which):
            return False
        ids: dict[int, int] = {}
        flat = [ids.setdefault(i, i) for i in flat]
        start = 0
        for end, k in zip(ends, which):
            self.by_tokens[tuple(flat[start:end])] = keys[k]
            start = end
        return True

    def _save(self, path: Path, keys: list[str]) -> None:
        """Write the cache atomically (two workers may write it at once); a failure is harmless."""
        position = {key: i for i, key in enumerate(keys)}
        patterns = list(self.by_tokens)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".lexicon-tokens-", suffix=".npz")
            with os.fdopen(handle, "wb") as out:
                np.savez(out, ids=np.fromiter((i for p in patterns for i in p), dtype=np.uint64),
                         ends=np.cumsum([len(p) for p in patterns], dtype=np.int64),
                         keys=np.fromiter((position[self.by_tokens[p]] for p in patterns), dtype=np.int64))
            os.replace(temporary, path)
            for stale in path.parent.glob("lexicon-tokens-*.npz"):
                if stale != path:
                    stale.unlink(missing_ok=True)
        except OSError:
            pass

    def matches(self, lower: list[int]) -> list[tuple[int, int, str]]:
        """``(start, end, key)`` of every key whose token ids occur in ``lower`` (overlaps kept)."""
        found = []
        n = len(lower)
        sizes, by_tokens = self.sizes, self.by_tokens
        for start, first in enumerate(lower):
            lengths = sizes.get(first)
            if lengths is None:
                continue
            for size in lengths:
                end = start + size
                if end > n:
                    break
                key = by_tokens.get(tuple(lower[start:end]))
                if key is not None:
                    found.append((start, end, key))
        return found

    def candidates(self, doc: Doc) -> list[Candidate]:
        """Every lexicon match whose case fits its entry (overlaps are kept)."""
        found = []
        if not len(doc):
            return found
        # Token ids from one array read: slicing the Doc would create a Token object per token.
        lower, orth = doc.to_array([LOWER, ORTH]).T.tolist()
        strings = doc.vocab.strings
        for start, end, key in self.matches(lower):
            # The match's tokens without their whitespace: all that _pick compares.
            written = "".join([strings[token] for token in orth[start:end]])
            entry = self._pick(self.index[key], written)
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
