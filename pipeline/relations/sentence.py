"""Sentence-level drug–target–outcome rules: pure functions over a parsed, entity-tagged span.

The rules are general patterns, in order of how directly the text states the relation:
- ``cue``: a relation cue word (``cues.tsv``) between the drug and the target/outcome, or just
  before the pair ("inhibition of proliferation by X", "X-induced apoptosis", "X inhibits mTOR").
- ``class-apposition``: a named drug next to a drug class named after its target
  ("X, an mTOR inhibitor", "mTOR inhibitors such as X") takes the class's target.
- ``class-target``: a drug class acting as the agent carries its own target ("mTOR inhibitors …").
- ``activity``: a drug with an activity-type outcome and no cue ("the antitumour activity of X").
Coordinated drugs each get a record; combination partners go to ``combined_with``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span

from pipeline.relations.cues import categories, effect_of, has_category, interaction_of

CLASS_TARGETS_PATH = Path(__file__).with_name("patterns") / "class_targets.tsv"
MAX_WINDOW = 30  # tokens between a drug and what it acts on
LOOKBEHIND = 4  # tokens before the pair searched for a cue ("inhibition of Y by X")
APPOSITION_WINDOW = 8  # tokens between a named drug and a class naming its target
# Outcomes a paper attributes to a drug without a verb ("the antitumour activity of X").
ACTIVITY_OUTCOMES = frozenset({"anti-tumor activity", "response rate", "disease control",
                               "symptom control", "survival", "progression-free survival",
                               "overall survival"})


@lru_cache(maxsize=1)
def class_targets() -> dict[str, str]:
    """Drug-class canonical name → target it is named after."""
    with CLASS_TARGETS_PATH.open(encoding="utf-8") as handle:
        rows = (line for line in handle if not line.startswith("#"))
        return {row["class"]: row["target"] for row in csv.DictReader(rows, delimiter="\t")}


@dataclass
class Finding:
    """One statement found in a sentence, before it becomes a ``Triple``."""

    drug: Span
    combined_with: list[Span] = field(default_factory=list)
    target: str | None = None
    target_id: str | None = None
    interaction: str | None = None
    outcome: str | None = None
    effect: str | None = None
    negated: bool = False
    rule: str = "cue"
    confidence: float = 0.5


def canonical(span: Span) -> str:
    """Canonical name the NER stage gave the span (its text if none)."""
    value = span._.canonical if span.has_extension("canonical") else None
    return value or span.text.lower()


def identifier(span: Span) -> str | None:
    return span._.identifier if span.has_extension("identifier") else None


def _is_class(span: Span) -> bool:
    return canonical(span) in class_targets()


def _between(sent: Span, left: Span, right: Span) -> Span:
    """Tokens strictly between two spans (in text order)."""
    first, second = (left, right) if left.start <= right.start else (right, left)
    return sent.doc[first.end:max(first.end, second.start)]


def _window(sent: Span, a: Span, b: Span) -> list:
    """Tokens between two spans plus a few before the earlier one, within the sentence."""
    first = a if a.start <= b.start else b
    start = max(sent.start, first.start - LOOKBEHIND)
    pre = list(sent.doc[start:first.start])
    return pre + list(_between(sent, a, b))


def _too_far(a: Span, b: Span) -> bool:
    return len(_between(a, a, b)) > MAX_WINDOW


def _negated(tokens: list) -> bool:
    return any(has_category(t, "negation") or t.dep_ == "neg" for t in tokens)


def combination_groups(sent: Span, drugs: list[Span]) -> list[tuple[Span, list[Span]]]:
    """Group drugs into (primary, partners): partners are co-administered with the primary.

    Two neighbouring drugs are combined when the words between them are a combination marker
    ("plus", "+", "with", "and" in a sentence that speaks of a combination).
    """
    sentence_combines = any(has_category(t, "combination") for t in sent)
    groups: list[tuple[Span, list[Span]]] = []
    for drug in drugs:
        if groups:
            primary, partners = groups[-1]
            previous = partners[-1] if partners else primary
            between = [t for t in _between(sent, previous, drug) if not t.is_punct or t.text == "+"]
            words = {t.lower_ for t in between}
            joined = len(between) <= 4 and (
                words & {"plus", "+", "with"}
                or any(has_category(t, "combination") for t in between)
                or (sentence_combines and words <= {"and", "or", "both"} and words)
            )
            if joined and canonical(drug) != canonical(primary):
                partners.append(drug)
                continue
        groups.append((drug, []))
    return groups


def target_chains(genes: list[Span]) -> list[list[Span]]:
    """Genes written as one pathway ("PI3K/AKT/mTOR", "AMPK-mTOR") form one chain."""
    chains: list[list[Span]] = []
    for gene in genes:
        if chains:
            last = chains[-1][-1]
            gap = gene.doc[last.end:gene.start]
            if len(gap) <= 1 and all(t.text in {"/", "-", "–"} for t in gap) and gene.start - last.end <= 1:
                chains[-1].append(gene)
                continue
        chains.append([gene])
    return chains


def chain_name(chain: list[Span]) -> str:
    names: list[str] = []
    for gene in chain:
        name = canonical(gene)
        if name not in names:
            names.append(name)
    return "/".join(names)


def _chain_span(sent: Span, chain: list[Span]) -> Span:
    return sent.doc[chain[0].start:chain[-1].end]


def _target_cue(sent: Span, drug: Span, chain: Span) -> tuple[str, bool] | None:
    """Interaction signalled between a drug and a gene chain, nearest cue to the gene first."""
    if _too_far(drug, chain):
        return None
    tokens = _window(sent, drug, chain)
    ordered = sorted(tokens, key=lambda t: abs(t.i - chain.start))
    for token in ordered:
        interaction = interaction_of(token)
        if interaction:
            return interaction, _negated(tokens)
    return None


def _outcome_cue(sent: Span, drug: Span, outcome: Span) -> tuple[str | None, bool]:
    """Effect direction signalled between a drug and an outcome, and whether it is negated."""
    if _too_far(drug, outcome):
        return None, False
    tokens = [t for t in _window(sent, drug, outcome) if not (outcome.start <= t.i < outcome.end)]
    negated = _negated(tokens)
    for token in sorted(tokens, key=lambda t: abs(t.i - outcome.start)):
        effect = effect_of(token)
        if effect:
            return effect, negated
    # "anti-proliferative effect": the outcome phrase itself carries the direction.
    if any(t.lower_.startswith("anti") and canonical(outcome) != "anti-tumor activity" for t in outcome):
        return "decreases", negated
    return None, negated


def _apposed_class(sent: Span, drug: Span, classes: list[Span]) -> Span | None:
    for cls in classes:
        if cls is not drug and len(_between(sent, drug, cls)) <= APPOSITION_WINDOW:
            return cls
    return None


def find_statements(sent: Span) -> list[Finding]:
    """All drug–target–outcome findings in one sentence (or table row)."""
    ents = list(sent.ents)
    drugs = [e for e in ents if e.label_ == "DRUG"]
    genes = [e for e in ents if e.label_ == "GENE_OR_PROTEIN"]
    outcomes = [e for e in ents if e.label_ == "OUTCOME"]
    if not drugs or not (genes or outcomes or any(_is_class(d) for d in drugs)):
        return []
    classes = [d for d in drugs if _is_class(d)]
    named = [d for d in drugs if not _is_class(d)]
    chains = [_chain_span(sent, c) for c in target_chains(genes)]
    chain_names = {(c.start, c.end): chain_name(ch) for c, ch in zip(chains, target_chains(genes))}
    findings: list[Finding] = []
    for primary, partners in combination_groups(sent, drugs):
        # A class standing next to a named drug describes that drug; it is not an agent itself.
        if _is_class(primary) and _apposed_class(sent, primary, named):
            continue
        target, target_id, interaction, t_rule, t_negated = None, None, None, None, False
        for chain in chains:
            cue = _target_cue(sent, primary, chain)
            if cue:
                target, interaction, t_negated = chain_names[(chain.start, chain.end)], cue[0], cue[1]
                target_id = identifier(chain) if len(chain.ents) == 1 else None
                t_rule = "cue"
                break
        if target is None:
            cls = primary if _is_class(primary) else _apposed_class(sent, primary, classes)
            if cls is not None:
                target, interaction = class_targets()[canonical(cls)], "inhibits"
                t_rule = "class-target" if cls is primary else "class-apposition"
        outcome_findings = []
        for outcome in outcomes:
            effect, negated = _outcome_cue(sent, primary, outcome)
            rule = "cue"
            if effect is None and canonical(outcome) in ACTIVITY_OUTCOMES and not _too_far(primary, outcome):
                effect, rule = "increases", "activity"
            if effect is None:
                continue
            if negated:
                effect = "no_effect"
            outcome_findings.append(Finding(
                drug=primary, combined_with=partners, target=target, target_id=target_id,
                interaction=interaction, outcome=canonical(outcome), effect=effect, negated=negated,
                rule=f"outcome-{rule}" + (f"+target-{t_rule}" if target else ""),
                confidence=0.7 if rule == "cue" else 0.5))
        if outcome_findings:
            findings.extend(outcome_findings)
        elif target is not None:
            findings.append(Finding(drug=primary, combined_with=partners, target=target,
                                    target_id=target_id, interaction=interaction, negated=t_negated,
                                    rule=f"target-{t_rule}", confidence=0.7 if t_rule == "cue" else 0.6))
    return _dedupe(findings)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, unique = set(), []
    for f in findings:
        key = (canonical(f.drug), f.target, f.outcome, f.effect)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def is_hedged(sent: Span) -> bool:
    """The sentence presents its claim as possible rather than shown."""
    return any("hedge" in categories(t) for t in sent)
