"""Per-document abbreviations: a short form takes the identity of its long form's entity.

"osteosarcoma (OS)" makes every OS in that document osteosarcoma; "overall survival (OS)"
makes it the outcome; "hazard ratio (HR)" makes HR nothing at all (so the gene HR is dropped).
"""

from __future__ import annotations

import re
from collections import defaultdict

from spacy.tokens import Doc, Span

from pipeline.nlp.matching import Candidate


def definitions(doc: Doc) -> list[tuple[Span, Span]]:
    """(short-form occurrence, long form) pairs found by scispaCy, or [] without it."""
    if not Doc.has_extension("abbreviations"):
        return []
    return [(short, short._.long_form) for short in doc._.abbreviations]


def long_form_entity(long_form: Span, ending_at: dict[int, list[Candidate]]) -> Candidate | None:
    """The longest candidate inside the long form that ends where it ends (its head).

    ``ending_at`` maps a token index to the candidates ending there, in candidate order.
    """
    inside = [c for c in ending_at.get(long_form.end, []) if c.start >= long_form.start]
    return max(inside, key=lambda c: c.end - c.start, default=None)


class OrderedCandidates:
    """Candidates in their order, with removal and lookup by token.

    A document has hundreds of short-form occurrences; scanning every candidate for each was
    most of the time spent resolving abbreviations.
    """

    def __init__(self, candidates: list[Candidate]) -> None:
        self.slots: list[Candidate | None] = []  # None once removed, so positions keep the order
        self.by_token: dict[int, list[int]] = defaultdict(list)
        for candidate in candidates:
            self.add(candidate)

    def add(self, candidate: Candidate) -> None:
        """Append ``candidate``."""
        for token in range(candidate.start, candidate.end):
            self.by_token[token].append(len(self.slots))
        self.slots.append(candidate)

    def overlapping(self, start: int, end: int) -> list[tuple[int, Candidate]]:
        """(position, candidate) of the remaining candidates sharing a token with ``start:end``, in order."""
        found = sorted({slot for token in range(start, end) for slot in self.by_token.get(token, ())})
        return [(slot, self.slots[slot]) for slot in found if self.slots[slot] is not None]

    def remove(self, positions: list[int]) -> None:
        """Drop the candidates at ``positions``."""
        for slot in positions:
            self.slots[slot] = None

    def remaining(self) -> list[Candidate]:
        """The candidates not removed, in order."""
        return [c for c in self.slots if c is not None]


# Heads of a long form that names a protein ("angiotensin-1-converting enzyme", "death receptor").
PROTEIN_NAME_HEADS = frozenset(
    "enzyme enzymes kinase kinases receptor receptors protein proteins factor factors ligase synthase "
    "phosphatase transporter channel protease peptidase oxidase reductase dehydrogenase transferase "
    "hydrolase isomerase cyclase polymerase exchanger antigen".split()
)


def resolve(doc: Doc, candidates: list[Candidate],
            symbols: dict[str, Candidate] | None = None) -> tuple[dict[str, str], list[Candidate]]:
    """Apply the document's abbreviations to the candidates; return (short → long, candidates).

    ``symbols`` holds the gene readings of ambiguous symbols that had no gene context (by text):
    a definition whose long form names a protein ("ACE, angiotensin-1-converting enzyme") makes
    the symbol that gene in the whole document, before the lexicon's doubt. Only candidates inside
    a short form are replaced; a longer name containing it ("ACE inhibitors") stays."""
    symbols = symbols or {}
    pairs = definitions(doc)
    if not pairs:
        return {}, candidates
    expansions: dict[str, str] = {}
    ending_at: dict[int, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        ending_at[candidate.end].append(candidate)
    kept = OrderedCandidates(candidates)
    for short, long_form in pairs:
        expansions.setdefault(short.text, long_form.text)
        entity = long_form_entity(long_form, ending_at)
        here = kept.overlapping(short.start, short.end)
        own = [c for _, c in here if (c.start, c.end) == (short.start, short.end) and not c.ambiguous]
        if own and (entity is None or own[0].label != entity.label or own[0].canonical == entity.canonical):
            # Same reading, or an unambiguous symbol whose definition names something else
            # (the gene MEN1 is defined via the disease "multiple endocrine neoplasia type 1").
            continue
        kept.remove([slot for slot, c in here if short.start <= c.start and c.end <= short.end])
        gene = symbols.get(short.text)
        if entity is None and gene is not None and long_form[-1].lower_ in PROTEIN_NAME_HEADS:
            kept.add(Candidate(short.start, short.end, gene.label, gene.canonical, gene.identifier,
                               "abbreviation", "abbreviation"))
        elif entity is not None:
            kept.add(Candidate(short.start, short.end, entity.label, entity.canonical,
                               entity.identifier, "abbreviation", "abbreviation"))
    return expansions, kept.remaining()


def defined_terms(doc: Doc, candidates: list[Candidate], expansions: dict[str, str]) -> list[Candidate]:
    """A long form the document abbreviates is one name wherever it is used again: the drug in
    "chemotherapy-induced peripheral neuropathy (CIPN)" says what the condition is called, not
    that the drug is given. Drug candidates inside a later use of a long form whose last word is
    a condition (a non-drug candidate ends where it ends) are dropped; the definition itself
    ("… neuropathy (CIPN)") keeps them."""
    text = doc.text
    drop: set[int] = set()
    ends = {}
    for index, c in enumerate(candidates):
        ends.setdefault(doc[c.end - 1].idx + len(doc[c.end - 1]), []).append((index, c))
    for short, long in expansions.items():
        if len(long.split()) < 2:
            continue
        # "chemotherapy-induced" and "Chemotherapy Induced" are the same name
        name = r"[\s-]+".join(re.escape(word) for word in re.split(r"[\s-]+", long.strip()))
        for hit in re.finditer(name, text, re.I):
            if re.match(rf"\s*\(\s*{re.escape(short)}\s*\)", text[hit.end():]):
                continue  # the definition
            closing = [c for _, c in ends.get(hit.end(), []) if c.label != "DRUG"]
            if not closing:
                continue
            for index, c in enumerate(candidates):
                if c.label == "DRUG" and hit.start() <= doc[c.start].idx and doc[c.end - 1].idx < hit.end():
                    drop.add(index)
    return [c for index, c in enumerate(candidates) if index not in drop]
