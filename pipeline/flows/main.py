"""The main job: extract the corpus from its PDFs and from its texts, evaluate both, report."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger

from pipeline.flows.extract import extract_flow
from pipeline.settings import load_settings


PAPERS = "papers"  # full dev/test papers from the real corpus (annotations/papers/)
HELDOUT = "heldout"  # sentences from other real papers, annotated by reading (annotations/heldout/)


def _extract_papers(settings, out: Path, force: bool, logger) -> Path | None:
    """Extract the full dev/test papers that have gold, from the real corpus (PDFs in place)."""
    from pipeline.reconcile.splits import load_plan, paper_docs_with_gold

    plan = load_plan(settings.annotations_dir)
    if plan is None:
        return None
    docs = paper_docs_with_gold(settings.annotations_dir, plan, with_test=settings.score_test)
    inputs = [settings.real_corpus_dir / f"{d}.pdf" for d in docs]
    missing = [p for p in inputs if not p.is_file()]
    if missing:
        logger.warning("real corpus PDFs not found (set PIPELINE_REAL_CORPUS): %s",
                       ", ".join(str(p) for p in missing))
    inputs = [p for p in inputs if p.is_file()]
    if not inputs:
        return None
    summary = extract_flow([str(p) for p in inputs], out_dir=str(out / "extract" / PAPERS),
                           force=force, quarantine=False)
    return Path(summary.out_dir)


@flow(name="main")
def main_flow(out_dir: str | None = None, force: bool = False) -> str:
    """Run extraction on ``corpus/pdf`` and ``corpus/text``, then the evaluation report; the
    held-out sentences from other papers get a report of their own (``report/heldout/``).

    Returns the path of the main report's index.html.
    """
    from pipeline.report.build import evaluate_and_report

    settings = load_settings()
    logger = get_run_logger()
    out = Path(out_dir) if out_dir else settings.out_dir
    pred_dirs = {}
    for label, pattern in (("pdf", "pdf/*.pdf"), ("text", "text/*.txt")):
        inputs = sorted(settings.corpus_dir.glob(pattern))
        if not inputs:
            logger.warning("no %s inputs under %s", label, settings.corpus_dir)
            continue
        summary = extract_flow([str(p) for p in inputs], out_dir=str(out / "extract" / label),
                               force=force, quarantine=False)
        pred_dirs[label] = Path(summary.out_dir)
    heldout_gold = settings.annotations_dir / HELDOUT
    heldout_inputs = sorted(heldout_gold.glob("*.txt"))
    sentences_pred = None
    if heldout_inputs:
        summary = extract_flow([str(p) for p in heldout_inputs], out_dir=str(out / "extract" / HELDOUT),
                               force=force, quarantine=False)
        sentences_pred = Path(summary.out_dir)
        heldout = evaluate_and_report({HELDOUT: sentences_pred}, heldout_gold,
                                      out / "report" / HELDOUT, db_url=settings.db_url)
        for line in heldout.summary_lines:
            logger.info("held-out sentences: %s", line)
        logger.info("held-out sentences report: %s", heldout.index_html)
    papers_pred = _extract_papers(settings, out, force, logger)
    result = evaluate_and_report(pred_dirs, settings.annotations_dir, out / "report",
                                 db_url=settings.db_url, papers_pred=papers_pred,
                                 sentences_pred=sentences_pred)
    for line in result.summary_lines:
        logger.info(line)
    logger.info("report: %s", result.index_html)
    return str(result.index_html)
