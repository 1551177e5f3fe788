"""Compare one gold record with one predicted record, field by field.

A comparison says which fields agree and whether the pair may be matched at all; the
assignment (``match.py``) then picks the best one-to-one pairing from these scores.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.reconcile import normalize as norm
from pipeline.reconcile.normalize import Lexicon

EVIDENCE_THRESHOLD = 0.5  # token containment for "the same sentence / table row"

TRIPLE_FIELDS = ("target", "outcome", "effect", "interaction", "combined_with", "context",
                 "hedged", "negated")
STRICT_FIELDS = ("drug", "target", "outcome", "effect", "interaction")
STAT_FIELDS = ("drug", "combined_with", "n", "hr", "ci", "p_value", "dose", "study", "phase", "model")


def analysis_model(record: dict) -> str | None:
    """Fixed or random effects: gold v2 writes ``model``; predictions write ``analysis_model``
    (their ``model`` is the NLP model that produced them)."""
    value = record.get("analysis_model") or record.get("model")
    return value if value in ("fixed", "random") else None


@dataclass(frozen=True)
class Comparison:
    """Agreement of one gold/prediction pair."""

    evidence: float  # token containment of the two evidence quotes
    fields: dict[str, bool]  # field name -> values agree
    matchable: bool  # may be paired at all (the lenient criterion for triples)
    strict: bool = False  # every strict field agrees (triples only)

    @property
    def score(self) -> float:
        """Assignment weight: 0 forbids the pair; full agreement and close quotes rank higher."""
        if not self.matchable:
            return 0.0
        agreement = sum(self.fields.values()) / len(self.fields)
        return 2.0 + 2.0 * self.strict + agreement + self.evidence


def compare_triples(gold: dict, pred: dict, lexicon: Lexicon,
                    threshold: float = EVIDENCE_THRESHOLD) -> Comparison:
    """Triples match leniently when the agent agrees, target or outcome agrees, from the same
    sentence. Conventions (GUIDELINES v2): the agent agrees when the first-named drug or the whole
    regimen set agrees (no mirror records needed); outcomes agree by their closed class
    (``pyroptosis`` and ``cell death`` meet); ``/``-joined targets are split before matching
    (``evaluate.expand_targets``)."""
    evidence = norm.evidence_overlap(gold.get("evidence"), pred.get("evidence"))
    if evidence < threshold:  # never paired: skip the field comparisons (most pairs of a document)
        return Comparison(evidence=evidence, fields={}, matchable=False)
    gold_outcome = norm.outcome_class(gold.get("outcome"), lexicon)
    fields = {
        "drug": norm.drug(gold.get("drug"), lexicon) == norm.drug(pred.get("drug"), lexicon)
        or regimen(gold, lexicon) == regimen(pred, lexicon),
        "target": norm.targets_equal(gold.get("target"), pred.get("target"), lexicon),
        "outcome": gold_outcome == norm.outcome_class(pred.get("outcome"), lexicon),
        "effect": gold.get("effect") == pred.get("effect"),
        "interaction": gold.get("interaction") == pred.get("interaction"),
        "combined_with": regimen(gold, lexicon) == regimen(pred, lexicon),
        "context": norm.text(gold.get("context")) == norm.text(pred.get("context")),
        "hedged": bool(gold.get("hedged")) == bool(pred.get("hedged")),
        "negated": bool(gold.get("negated")) == bool(pred.get("negated")),
    }
    # A null/null agreement must not carry a lenient match: the right field has to be filled.
    target_hit = norm.targets_overlap(gold.get("target"), pred.get("target"), lexicon)
    outcome_hit = fields["outcome"] and gold_outcome is not None
    matchable = (evidence >= threshold and fields["drug"] and gold.get("drug") is not None
                 and (target_hit or outcome_hit))
    strict = matchable and all(fields[f] for f in STRICT_FIELDS)
    return Comparison(evidence=evidence, fields=fields, matchable=matchable, strict=strict)


def regimen(record: dict, lexicon: Lexicon) -> frozenset[str]:
    """The arm a statistic belongs to: all agents given together (drug + combined_with).

    "everolimus plus octreotide" is one arm whichever agent an annotator calls the drug.
    """
    primary = norm.drug(record.get("drug"), lexicon)
    return norm.drugs(record.get("combined_with"), lexicon) | ({primary} if primary else set())


def compare_stats(gold: dict, pred: dict, lexicon: Lexicon,
                  threshold: float = EVIDENCE_THRESHOLD) -> Comparison:
    """Statistics match on measure + value + arm from the same sentence or table row.

    The arm agrees when the primary drug is the same or the whole regimen is the same set (an
    annotator may call either agent of "everolimus plus octreotide" the drug); the primary drug
    and the partners are then scored as fields.
    """
    evidence = norm.evidence_overlap(gold.get("evidence"), pred.get("evidence"))
    if evidence < threshold:
        return Comparison(evidence=evidence, fields={}, matchable=False)
    fields = {
        "drug": norm.drug(gold.get("drug"), lexicon) == norm.drug(pred.get("drug"), lexicon),
        "combined_with": norm.drugs(gold.get("combined_with"), lexicon)
        == norm.drugs(pred.get("combined_with"), lexicon),
        "n": gold.get("n") == pred.get("n"),
        "hr": norm.same_number(gold.get("hr"), pred.get("hr")),
        "ci": norm.same_number(gold.get("ci_low"), pred.get("ci_low"))
        and norm.same_number(gold.get("ci_high"), pred.get("ci_high")),
        "p_value": norm.p_value(gold.get("p_value")) == norm.p_value(pred.get("p_value")),
        "dose": norm.text(gold.get("dose")) == norm.text(pred.get("dose")),
        "study": norm.text(gold.get("study")) == norm.text(pred.get("study")),
        "phase": norm.phase(gold.get("phase")) == norm.phase(pred.get("phase")),
        "model": analysis_model(gold) == analysis_model(pred),
    }
    matchable = (
        evidence >= threshold
        and norm.text(gold.get("measure")) == norm.text(pred.get("measure"))
        and norm.same_number(gold.get("value"), pred.get("value"))
        and (fields["drug"] or regimen(gold, lexicon) == regimen(pred, lexicon))
        # fixed and random estimates are two records; a prediction without a model may take either
        and (analysis_model(pred) is None or fields["model"])
    )
    return Comparison(evidence=evidence, fields=fields, matchable=matchable,
                      strict=matchable and all(fields.values()))
