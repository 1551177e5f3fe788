"""One-to-one matching of predictions to gold within a document (maximum-weight assignment)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from pipeline.reconcile.compare import Comparison


@dataclass
class Pair:
    gold: dict
    pred: dict
    comparison: Comparison


@dataclass
class DocMatch:
    """Result for one document: matched pairs, unmatched predictions (FP) and gold (FN)."""

    pairs: list[Pair] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)
    false_negatives: list[dict] = field(default_factory=list)


def match(gold: list[dict], pred: list[dict], compare: Callable[[dict, dict], Comparison]) -> DocMatch:
    """Pair each gold record with at most one prediction, maximizing the summed scores.

    A pair with score 0 (not matchable) is never kept, so a duplicate prediction or a second,
    worse candidate for the same gold record stays a false positive.
    """
    table = [[compare(g, p) for p in pred] for g in gold]
    weights = np.array([[c.score for c in row] for row in table]).reshape(len(gold), len(pred))
    rows, cols = linear_sum_assignment(weights, maximize=True)
    kept = [(r, c) for r, c in zip(rows, cols) if weights[r, c] > 0]
    matched_gold = {r for r, _ in kept}
    matched_pred = {c for _, c in kept}
    return DocMatch(
        pairs=[Pair(gold[r], pred[c], table[r][c]) for r, c in sorted(kept)],
        false_positives=[p for i, p in enumerate(pred) if i not in matched_pred],
        false_negatives=[g for i, g in enumerate(gold) if i not in matched_gold],
    )
