"""Score one prediction folder against the gold folder: counts, P/R/F1, field accuracy, errors.

Only documents with gold are scored; counts are summed over them (micro-average).
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from pathlib import Path

from pipeline.reconcile import normalize as norm
from pipeline.reconcile.compare import STAT_FIELDS, TRIPLE_FIELDS, compare_stats, compare_triples
from pipeline.reconcile.io import load_gold, load_predictions
from pipeline.reconcile.match import DocMatch, match
from pipeline.reconcile.metrics import Counts, Tally
from pipeline.reconcile.normalize import Lexicon, load_lexicon

RELATION_TYPES = {"drug_target": "target", "drug_outcome": "outcome"}


def expand_targets(records: list[dict]) -> list[dict]:
    """One record per target (GUIDELINES v2): a ``/``-joined target counts as its parts, on the
    gold side and the predicted side alike."""
    out = []
    for record in records:
        for part in norm.target_parts(record.get("target")):
            out.append(record if part == record.get("target") else {**record, "target": part})
    return out


def evaluate_label(pred_dir: Path, gold_dir: Path, lexicon: Lexicon | None = None,
                   docs: list[str] | None = None) -> dict:
    """JSON-ready metrics of the predictions in ``pred_dir`` (``triples.jsonl``, ``stats.jsonl``),
    over the gold documents in ``gold_dir`` (or only ``docs`` of them)."""
    lexicon = lexicon if lexicon is not None else load_lexicon()
    pred_triples, pred_stats = load_predictions(pred_dir, "triples"), load_predictions(pred_dir, "stats")
    return score_records(load_gold(gold_dir, "triples"), load_gold(gold_dir, "stats"),
                         pred_triples, pred_stats, lexicon, docs)


def score_records(gold_triples: dict[str, list[dict]], gold_stats: dict[str, list[dict]],
                  pred_triples: dict[str, list[dict]], pred_stats: dict[str, list[dict]],
                  lexicon: Lexicon, docs: list[str] | None = None) -> dict:
    """Score predicted records against gold records, both grouped by document."""
    scored = set(gold_triples) | set(gold_stats)
    if docs is not None:
        scored &= set(docs)
    gold_triples = {d: expand_targets(gold_triples.get(d, [])) for d in scored}
    gold_stats = {d: gold_stats.get(d, []) for d in scored}
    pred_triples = {d: expand_targets(r) for d, r in pred_triples.items()}
    return {
        "triples": score_triples(
            {d: match(gold_triples[d], pred_triples.get(d, []), partial(compare_triples, lexicon=lexicon))
             for d in sorted(scored)}, lexicon),
        "stats": score_stats(
            {d: match(gold_stats[d], pred_stats.get(d, []), partial(compare_stats, lexicon=lexicon))
             for d in sorted(scored)}),
        "unscored_docs": sorted((set(pred_triples) | set(pred_stats)) - scored) if docs is None else [],
    }


def _errors(result: DocMatch) -> dict:
    """False positives, false negatives and matched pairs with wrong fields, for the curator."""
    return {
        "fp": result.false_positives,
        "fn": result.false_negatives,
        "mismatch": [
            {"gold": p.gold, "pred": p.pred,
             "wrong": sorted(f for f, ok in p.comparison.fields.items() if not ok)}
            for p in result.pairs if not p.comparison.strict
        ],
    }


def _counts(result: DocMatch, strict: bool) -> Counts:
    tp = sum(1 for p in result.pairs if p.comparison.strict or not strict)
    n_pred = len(result.pairs) + len(result.false_positives)
    n_gold = len(result.pairs) + len(result.false_negatives)
    return Counts(tp=tp, fp=n_pred - tp, fn=n_gold - tp)


def _type_counts(result: DocMatch, field: str, lexicon: Lexicon) -> tuple[Counts, Counts]:
    """Lenient and strict counts of one relation type (records whose ``field`` is filled).

    Lenient: the pair's drug (by the match) and this field agree; strict adds the direction
    (interaction for targets, effect for outcomes) and exact target set.
    """
    direction = "interaction" if field == "target" else "effect"
    n_gold = sum(1 for r in [p.gold for p in result.pairs] + result.false_negatives if r.get(field))
    n_pred = sum(1 for r in [p.pred for p in result.pairs] + result.false_positives if r.get(field))
    lenient = strict = 0
    for pair in result.pairs:
        if not (pair.gold.get(field) and pair.pred.get(field)):
            continue
        if field == "target":
            hit = norm.targets_overlap(pair.gold["target"], pair.pred["target"], lexicon)
        else:
            hit = pair.comparison.fields["outcome"]
        lenient += hit
        strict += hit and pair.comparison.fields[field] and pair.comparison.fields[direction]
    return (Counts(lenient, n_pred - lenient, n_gold - lenient),
            Counts(strict, n_pred - strict, n_gold - strict))


def _field_tallies(results: dict[str, DocMatch], fields: tuple[str, ...]) -> dict:
    tallies = {f: Tally() for f in fields}
    for result in results.values():
        for pair in result.pairs:
            for name in fields:
                tallies[name].total += 1
                tallies[name].correct += pair.comparison.fields[name]
    return {name: tally.as_dict() for name, tally in tallies.items()}


def score_triples(results: dict[str, DocMatch], lexicon: Lexicon) -> dict:
    """Micro-averaged lenient/strict scores, per document, per relation type, per field."""
    total = {"lenient": Counts(), "strict": Counts()}
    by_type = {name: {"lenient": Counts(), "strict": Counts()} for name in RELATION_TYPES}
    by_doc, errors = {}, {}
    confusion: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for doc, result in results.items():
        doc_counts = {"lenient": _counts(result, strict=False), "strict": _counts(result, strict=True)}
        for mode, counts in doc_counts.items():
            total[mode].add(counts)
        by_doc[doc] = {mode: counts.as_dict() for mode, counts in doc_counts.items()}
        for name, field in RELATION_TYPES.items():
            lenient, strict = _type_counts(result, field, lexicon)
            by_type[name]["lenient"].add(lenient)
            by_type[name]["strict"].add(strict)
        for pair in result.pairs:
            confusion[pair.gold.get("effect") or "none"][pair.pred.get("effect") or "none"] += 1
        errors[doc] = _errors(result)
    return {
        **{mode: counts.as_dict() for mode, counts in total.items()},
        "by_doc": by_doc,
        "by_type": {name: {m: c.as_dict() for m, c in modes.items()} for name, modes in by_type.items()},
        "fields": _field_tallies(results, TRIPLE_FIELDS),
        "effect_confusion": {g: dict(row) for g, row in confusion.items()},
        "errors": errors,
    }


def score_stats(results: dict[str, DocMatch]) -> dict:
    """Micro-averaged match scores (measure + value + arm), per document, per field."""
    total, strict = Counts(), Counts()
    by_doc, errors = {}, {}
    for doc, result in results.items():
        counts = _counts(result, strict=False)
        total.add(counts)
        strict.add(_counts(result, strict=True))
        by_doc[doc] = {"matched": counts.as_dict()}
        errors[doc] = _errors(result)
    return {"matched": total.as_dict(), "strict": strict.as_dict(), "by_doc": by_doc,
            "fields": _field_tallies(results, STAT_FIELDS), "errors": errors}
