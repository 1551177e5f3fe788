"""Evaluate prediction folders against the gold set and write metrics.json, index.html, summary.md."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from pipeline.reconcile.evaluate import evaluate_label
from pipeline.reconcile.io import gold_documents
from pipeline.reconcile.normalize import load_lexicon
from pipeline.report import plots
from pipeline.report.history import record_and_read
from pipeline.reconcile.splits import PAPERS, agreement, evaluate_splits, generalisation_gap
from pipeline.report.html import render_index, splits_table
from pipeline.report.markdown import summary_markdown
from pipeline.settings import load_settings


@dataclass
class EvaluationResult:
    """What one evaluation produced."""

    metrics: dict  # the content of metrics.json
    headline: dict  # label -> {triples_lenient_f1, triples_strict_f1, stats_f1, ...}
    index_html: Path
    summary_lines: list[str]


def headline(label_metrics: dict) -> dict:
    """The few numbers to print and compare: F1s plus lenient/stat precision and recall."""
    triples, stats = label_metrics["triples"], label_metrics["stats"]
    return {
        "triples_lenient_f1": triples["lenient"]["f1"],
        "triples_strict_f1": triples["strict"]["f1"],
        "stats_f1": stats["matched"]["f1"],
        "triples_lenient_precision": triples["lenient"]["precision"],
        "triples_lenient_recall": triples["lenient"]["recall"],
        "stats_precision": stats["matched"]["precision"],
        "stats_recall": stats["matched"]["recall"],
    }


def _line(label: str, scores: dict) -> str:
    def f(x: float | None) -> str:
        return "–" if x is None else f"{x:.3f}"

    return (f"{label}: triples lenient F1 {f(scores['triples_lenient_f1'])} "
            f"(P {f(scores['triples_lenient_precision'])}, R {f(scores['triples_lenient_recall'])}), "
            f"strict F1 {f(scores['triples_strict_f1'])}; trial statistics F1 {f(scores['stats_f1'])}")


def _commit() -> str | None:
    """The project's git commit (with "+dirty" for uncommitted changes), for the score history."""
    root = Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def _gap_line(gap: dict, agree: dict) -> str:
    def f(x: float | None) -> str:
        return "–" if x is None else f"{x:.3f}"

    return (f"generalisation: triples F1 seed {f(gap.get('triples_seed_f1'))} vs test "
            f"{f(gap.get('triples_test_f1'))} (gap {f(gap.get('triples_f1'))}); statistics F1 seed "
            f"{f(gap.get('stats_seed_f1'))} vs test {f(gap.get('stats_test_f1'))} (gap {f(gap.get('stats_f1'))}); "
            f"annotator agreement triples {f(agree.get('triples_f1'))}, statistics {f(agree.get('stats_f1'))}")


def _pdf_hrefs(docs: list[str], out_dir: Path) -> dict[str, str]:
    """Relative links from the report folder to ``corpus/pdf/<doc>.pdf`` for PDFs that exist."""
    pdf_dir = load_settings().corpus_dir / "pdf"
    return {doc: quote(Path(os.path.relpath(pdf_dir / f"{doc}.pdf", out_dir.resolve())).as_posix())
            for doc in docs if (pdf_dir / f"{doc}.pdf").is_file()}


def evaluate_and_report(pred_dirs: dict[str, Path], gold_dir: Path, out_dir: Path,
                        db_url: str | None = None, papers_pred: Path | None = None,
                        sentences_pred: Path | None = None) -> EvaluationResult:
    """Score every labelled prediction folder, store the scores (when ``db_url``), write the report.

    When ``gold_dir`` has a ``splits.json``, metrics.json also gets ``splits`` (seed, dev, test:
    documents and P/R/F1 per input kind), ``agreement`` (the annotators' ceiling) and ``gap``
    (seed text F1 − test PDF F1); ``papers_pred`` holds predictions for the full dev/test papers
    and ``sentences_pred`` for the old selected-sentence set."""
    if not pred_dirs:
        raise ValueError("no prediction folders to evaluate")
    gold_dir, out_dir = Path(gold_dir), Path(out_dir)
    lexicon = load_lexicon()
    by_label = {label: evaluate_label(Path(d), gold_dir, lexicon) for label, d in pred_dirs.items()}
    heads = {label: headline(m) for label, m in by_label.items()}
    gold_docs = gold_documents(gold_dir)
    lines = [_line(label, scores) for label, scores in heads.items()]
    lines.append(f"gold: {len(gold_docs)} documents in {gold_dir}")
    metrics = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": _commit(),
               "gold_dir": str(gold_dir), "gold_docs": gold_docs,
               "pred_dirs": {label: str(d) for label, d in pred_dirs.items()},
               "headline": heads, "labels": by_label}
    splits = evaluate_splits(pred_dirs, papers_pred, sentences_pred, gold_dir, lexicon,
                             score_test=load_settings().score_test)
    agree = agreement([gold_dir / PAPERS / "raw", gold_dir / "seeds" / "raw"], lexicon)
    gap = generalisation_gap(splits)
    if splits:
        metrics.update(splits=splits, agreement=agree, gap=gap)
        lines.append(_gap_line(gap, agree))

    figures = {
        "P/R/F1 per document": plots.prf_by_document(by_label),
        "P/R/F1 per relation type": plots.prf_by_type(by_label),
        "Effect direction on matched triples (gold vs predicted)": plots.effect_confusion(by_label),
        "Triple field accuracy": plots.field_accuracy(by_label, "triples"),
        "Trial-statistic field accuracy": plots.field_accuracy(by_label, "stats"),
    }
    if db_url:
        params = {"gold_dir": str(gold_dir), "pred_dirs": metrics["pred_dirs"]}
        metrics["run_id"], history = record_and_read(db_url, by_label, params)
        figures["Score history across runs"] = plots.score_history(history)
    else:
        lines.append("score history: no database given")

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=1, ensure_ascii=False),
                                          encoding="utf-8")
    hrefs = {label: _pdf_hrefs(gold_docs + m["unscored_docs"], out_dir) for label, m in by_label.items()}
    index = out_dir / "index.html"
    index.write_text(render_index(by_label, figures, hrefs, lines, splits_table(splits, agree, gap)),
                     encoding="utf-8")
    (out_dir / "summary.md").write_text(summary_markdown(by_label, lines), encoding="utf-8")
    return EvaluationResult(metrics=metrics, headline=heads, index_html=index, summary_lines=lines)
