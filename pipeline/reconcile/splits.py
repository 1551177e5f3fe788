"""Score every split side by side (seed, dev, test) and the annotators' agreement ceiling.

``annotations/splits.json`` names the documents of each split. Seed gold lives in
``annotations/``; full-paper gold in ``annotations/papers/`` with each annotator's independent
file in ``annotations/papers/raw/<doc>.<A|B>.{triples,stats}.jsonl``.

Test documents are scored for their numbers only: their error lists are never written, so whoever
writes rules cannot read them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.reconcile.evaluate import evaluate_label, score_records
from pipeline.reconcile.io import gold_documents, read_jsonl
from pipeline.reconcile.normalize import Lexicon

SPLITS = ("seed", "dev", "test")
PAPERS = "papers"


@dataclass(frozen=True)
class SplitPlan:
    """Documents per split, as written in ``splits.json``."""

    seed: list[str]
    dev: list[str]
    test: list[str]
    sentences_dir: Path | None  # the old selected-sentence set (development data)

    def docs(self, split: str) -> list[str]:
        return getattr(self, split)


def load_plan(annotations_dir: Path) -> SplitPlan | None:
    """The split plan, or None when the annotations have no ``splits.json``."""
    path = Path(annotations_dir) / "splits.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))

    def names(entries: list) -> list[str]:
        return [e["doc"] if isinstance(e, dict) else e for e in entries]

    sentences = data.get("heldout_sentences", {}).get("dir")
    return SplitPlan(seed=names(data.get("seed", [])), dev=names(data.get("dev", [])),
                     test=names(data.get("test", [])),
                     sentences_dir=Path(annotations_dir).parent / sentences if sentences else None)


def paper_docs_with_gold(annotations_dir: Path, plan: SplitPlan, with_test: bool = True) -> list[str]:
    """Dev (and test) papers whose adjudicated gold exists (those worth extracting)."""
    have = set(gold_documents(Path(annotations_dir) / PAPERS))
    return [d for d in plan.dev + (plan.test if with_test else []) if d in have]


def _prf(block: dict) -> dict:
    return {k: block.get(k) for k in ("tp", "fp", "fn", "precision", "recall", "f1")}


def _summary(metrics: dict) -> dict:
    return {"triples": _prf(metrics["triples"]["lenient"]),
            "triples_strict": _prf(metrics["triples"]["strict"]),
            "stats": _prf(metrics["stats"]["matched"]),
            "by_doc": {"triples": {d: v["lenient"] for d, v in metrics["triples"]["by_doc"].items()},
                       "stats": {d: v["matched"] for d, v in metrics["stats"]["by_doc"].items()}}}


def evaluate_splits(seed_preds: dict[str, Path], papers_pred: Path | None,
                    sentences_pred: Path | None, annotations_dir: Path, lexicon: Lexicon,
                    score_test: bool = True) -> dict:
    """``splits`` for metrics.json: per split its documents and, per input kind, P/R/F1.

    With ``score_test`` off (``PIPELINE_SCORE_TEST=0``, while rules are being written) the test
    split lists its documents but is not scored."""
    annotations_dir = Path(annotations_dir)
    plan = load_plan(annotations_dir)
    if plan is None:
        return {}
    out: dict[str, dict] = {}
    seed_docs = [d for d in plan.seed if d in set(gold_documents(annotations_dir))]
    out["seed"] = {"docs": seed_docs, "scores": {
        label: _summary(evaluate_label(path, annotations_dir, lexicon, docs=seed_docs))
        for label, path in seed_preds.items()}}
    papers_gold = annotations_dir / PAPERS
    have = set(gold_documents(papers_gold))
    for split in ("dev", "test"):
        docs = [d for d in plan.docs(split) if d in have]
        scores = {}
        if split == "test" and not score_test:
            out[split] = {"docs": docs, "missing_gold": [d for d in plan.docs(split) if d not in have],
                          "scores": {}, "not_scored": "PIPELINE_SCORE_TEST=0"}
            continue
        if papers_pred is not None and docs:
            scores["pdf"] = _summary(evaluate_label(papers_pred, papers_gold, lexicon, docs=docs))
        if split == "dev" and sentences_pred is not None and plan.sentences_dir is not None:
            scores["sentences"] = _summary(evaluate_label(sentences_pred, plan.sentences_dir, lexicon))
        out[split] = {"docs": docs, "missing_gold": [d for d in plan.docs(split) if d not in have],
                      "scores": scores}
    return out


def generalisation_gap(splits: dict) -> dict:
    """Seed F1 (text) minus test F1 (PDF): the headline figure of generalisation."""
    def f1(split: str, label: str, kind: str) -> float | None:
        return splits.get(split, {}).get("scores", {}).get(label, {}).get(kind, {}).get("f1")

    gap = {}
    for kind in ("triples", "stats"):
        seed, test = f1("seed", "text", kind), f1("test", "pdf", kind)
        gap[f"{kind}_f1"] = None if seed is None or test is None else round(seed - test, 6)
        gap[f"{kind}_seed_f1"], gap[f"{kind}_test_f1"] = seed, test
    return gap


# --------------------------------------------------------------------------- agreement


def cohen_kappa(confusion: dict[str, dict[str, int]]) -> float | None:
    """Cohen's kappa of a square confusion table {a_label: {b_label: count}}."""
    labels = sorted(set(confusion) | {b for row in confusion.values() for b in row})
    total = sum(c for row in confusion.values() for c in row.values())
    if not total:
        return None
    observed = sum(confusion.get(x, {}).get(x, 0) for x in labels) / total
    row = {x: sum(confusion.get(x, {}).values()) / total for x in labels}
    col = {x: sum(confusion.get(a, {}).get(x, 0) for a in labels) / total for x in labels}
    expected = sum(row[x] * col[x] for x in labels)
    if expected == 1:
        return 1.0 if observed == 1 else None
    return round((observed - expected) / (1 - expected), 6)


def raw_pairs(raw_dir: Path) -> list[str]:
    """Documents with both annotators' independent files."""
    docs = {p.name.split(".")[0] for p in Path(raw_dir).glob("*.A.triples.jsonl")}
    return sorted(d for d in docs if (Path(raw_dir) / f"{d}.B.triples.jsonl").is_file())


def agreement(raw_dir: Path | list[Path], lexicon: Lexicon, docs: list[str] | None = None) -> dict:
    """Inter-annotator agreement before adjudication, scored with the project's own scorer
    (annotator A as gold, B as prediction; F1 is symmetric), plus Cohen's kappa on effect
    direction over the matched triples."""
    dirs = [Path(d) for d in (raw_dir if isinstance(raw_dir, list) else [raw_dir])]
    where = {d: directory for directory in dirs for d in raw_pairs(directory)}
    names = sorted(d for d in where if docs is None or d in docs)
    if not names:
        return {}

    def load(doc: str, who: str, kind: str) -> list[dict]:
        return read_jsonl(where[doc] / f"{doc}.{who}.{kind}.jsonl")

    gold_t = {d: load(d, "A", "triples") for d in names}
    gold_s = {d: load(d, "A", "stats") for d in names}
    pred_t = {d: load(d, "B", "triples") for d in names}
    pred_s = {d: load(d, "B", "stats") for d in names}
    total = score_records(gold_t, gold_s, pred_t, pred_s, lexicon)
    by_doc = {}
    for d in names:
        one = score_records({d: gold_t[d]}, {d: gold_s[d]}, {d: pred_t[d]}, {d: pred_s[d]}, lexicon)
        by_doc[d] = {"triples_f1": one["triples"]["lenient"]["f1"],
                     "stats_f1": one["stats"]["matched"]["f1"],
                     "effect_kappa": cohen_kappa(one["triples"]["effect_confusion"]),
                     "n_triples": [len(gold_t[d]), len(pred_t[d])],
                     "n_stats": [len(gold_s[d]), len(pred_s[d])]}
    return {"triples_f1": total["triples"]["lenient"]["f1"],
            "stats_f1": total["stats"]["matched"]["f1"],
            "effect_kappa": cohen_kappa(total["triples"]["effect_confusion"]),
            "docs": names, "by_doc": by_doc}


def agreement_table(annotations_dir: Path, lexicon: Lexicon) -> str:
    """Markdown table of the annotators' agreement per document (for annotations/README.md)."""
    annotations_dir = Path(annotations_dir)
    agree = agreement([annotations_dir / PAPERS / "raw", annotations_dir / "seeds" / "raw"], lexicon)
    if not agree:
        return "no double-annotated documents"

    def f(x: float | None) -> str:
        return "–" if x is None else f"{x:.3f}"

    rows = ["| document | triples A / B | triple F1 | stats A / B | stat F1 | effect κ |",
            "|---|---|---|---|---|---|"]
    for doc, v in agree["by_doc"].items():
        rows.append(f"| {doc} | {v['n_triples'][0]} / {v['n_triples'][1]} | {f(v['triples_f1'])} | "
                    f"{v['n_stats'][0]} / {v['n_stats'][1]} | {f(v['stats_f1'])} | {f(v['effect_kappa'])} |")
    rows.append(f"| **all (micro)** | | **{f(agree['triples_f1'])}** | | **{f(agree['stats_f1'])}** | "
                f"**{f(agree['effect_kappa'])}** |")
    return "\n".join(rows)


if __name__ == "__main__":  # python -m pipeline.reconcile.splits [ANNOTATIONS_DIR]
    import sys

    from pipeline.reconcile.normalize import load_lexicon

    print(agreement_table(Path(sys.argv[1] if len(sys.argv) > 1 else "annotations"), load_lexicon()))
