"""Document-level view: identical statements merged, with all their evidence and a count.

A statement with a drug and an outcome but no target may borrow the target stated for the same
drug elsewhere in the document; it is then marked ``target_inferred``. Statement-level records
are never changed.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from pipeline.identity import matches_key, statement_id
from pipeline.records import AssembledTriple, Triple


def _stated_targets(triples: list[Triple]) -> dict[tuple[str, str], Triple]:
    """(doc, drug) → a statement of the target most often stated for that drug."""
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    example: dict[tuple[str, str, str], Triple] = {}
    for t in triples:
        if t.drug and t.target and not t.negated:
            counts[(t.doc, t.drug)][t.target] += 1
            example.setdefault((t.doc, t.drug, t.target), t)
    return {key: example[(*key, c.most_common(1)[0][0])] for key, c in counts.items()}


def assemble(triples: list[Triple]) -> list[AssembledTriple]:
    """Merge statements with one identity (``pipeline.identity.matches_key``): same regimen,
    target, outcome, effect and polarity; their evidence is kept as a list."""
    groups: dict[tuple, list[Triple]] = defaultdict(list)
    for t in triples:
        groups[matches_key(t)].append(t)
    stated = _stated_targets(triples)
    assembled = []
    for members in groups.values():
        first = members[0]
        doc, drug, target, outcome, effect = first.doc, first.drug, first.target, first.outcome, first.effect
        target_id, interaction, inferred = first.target_id, first.interaction, False
        if target is None and outcome is not None and (doc, drug) in stated:
            source = stated[(doc, drug)]
            target, target_id, interaction, inferred = source.target, source.target_id, source.interaction, True
        assembled.append(AssembledTriple(
            id=statement_id(first), doc=doc, drug=drug, drug_id=first.drug_id, target=target, target_id=target_id,
            target_inferred=inferred, outcome=outcome, effect=effect,
            interaction=interaction,
            combined_with=sorted(first.combined_with), negated=first.negated,
            contexts=sorted({m.context for m in members if m.context}),
            count=len(members), statement_ids=[m.id for m in members],
            evidence=[m.evidence for m in members],
        ))
    return sorted(assembled, key=lambda a: (a.doc, -a.count, a.drug or "", a.outcome or ""))
