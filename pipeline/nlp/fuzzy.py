"""Conservative fuzzy matching of misspelled drug names ("Temsirolium" → temsirolimus)."""

from __future__ import annotations

from collections import defaultdict

MIN_LENGTH = 8
MAX_DISTANCE = 2
LONG = 10  # tokens shorter than this may differ by one edit only ("cytokine" is not "cytovene")
PREFIX = 4  # candidates must share their first letters: misspellings rarely start wrong


def levenshtein(a: str, b: str, limit: int = MAX_DISTANCE) -> int:
    """Edit distance, giving up (returning ``limit + 1``) once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


class FuzzyIndex:
    """Drug names bucketed by prefix, for near-miss lookup of long single tokens."""

    def __init__(self, names: dict[str, str], blocked: frozenset[str] = frozenset()) -> None:
        """``names`` maps a lower-case name to its key; ``blocked`` are real words never fuzzed."""
        self.blocked = blocked
        self.buckets: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
        for name, key in names.items():
            if len(name) >= MIN_LENGTH and name.isalpha():
                self.buckets[name[:PREFIX], len(name)].append((name, key))
        self.seen: dict[str, str | None] = {}

    def lookup(self, token: str) -> str | None:
        """Key of the single closest name within the distance limit, else None (memoized)."""
        word = token.lower()
        if word not in self.seen:
            self.seen[word] = self._lookup(word)
        return self.seen[word]

    def _lookup(self, word: str) -> str | None:
        if len(word) < MIN_LENGTH or not word.isalpha() or word in self.blocked:
            return None
        near = [
            item
            for size in range(len(word) - MAX_DISTANCE, len(word) + MAX_DISTANCE + 1)
            for item in self.buckets.get((word[:PREFIX], size), [])
        ]
        scored = sorted((levenshtein(word, name), name, key) for name, key in near)
        if not scored or scored[0][0] > (MAX_DISTANCE if len(word) >= LONG else 1):
            return None
        if len(scored) > 1 and scored[1][0] == scored[0][0] and scored[1][2] != scored[0][2]:
            return None  # two drugs equally close: do not guess
        return scored[0][2]
