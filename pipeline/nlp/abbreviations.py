"""Per-document abbreviations: a short form takes the identity of its long form's entity.

"osteosarcoma (OS)" makes every OS in that document osteosarcoma; "overall survival (OS)"
makes it the outcome; "hazard ratio (HR)" makes HR nothing at all (so the gene HR is dropped).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from pipeline.nlp.matching import Candidate


def definitions(doc: Doc) -> list[tuple[Span, Span]]:
    """(short-form occurrence, long form) pairs found by scispaCy, or [] without it."""
    if not Doc.has_extension("abbreviations"):
        return []
    return [(short, short._.long_form) for short in doc._.abbreviations]


def long_form_entity(long_form: Span, candidates: list[Candidate]) -> Candidate | None:
    """The longest candidate inside the long form that ends where it ends (its head)."""
    inside = [c for c in candidates if c.start >= long_form.start and c.end == long_form.end]
    return max(inside, key=lambda c: c.end - c.start, default=None)


def resolve(doc: Doc, candidates: list[Candidate]) -> tuple[dict[str, str], list[Candidate]]:
    """Apply the document's abbreviations to the candidates; return (short → long, candidates)."""
    pairs = definitions(doc)
    if not pairs:
        return {}, candidates
    expansions: dict[str, str] = {}
    kept = list(candidates)
    for short, long_form in pairs:
        expansions.setdefault(short.text, long_form.text)
        entity = long_form_entity(long_form, candidates)
        here = [c for c in kept if c.start < short.end and short.start < c.end]
        own = [c for c in here if (c.start, c.end) == (short.start, short.end) and not c.ambiguous]
        if own and (entity is None or own[0].label != entity.label or own[0].canonical == entity.canonical):
            # Same reading, or an unambiguous symbol whose definition names something else
            # (the gene MEN1 is defined via the disease "multiple endocrine neoplasia type 1").
            continue
        kept = [c for c in kept if c not in here]
        if entity is not None:
            kept.append(Candidate(short.start, short.end, entity.label, entity.canonical,
                                  entity.identifier, "abbreviation", "abbreviation"))
    return expansions, kept
