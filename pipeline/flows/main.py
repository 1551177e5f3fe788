"""The main job: extract the corpus from its PDFs and from its texts, evaluate both, report."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger

from pipeline.flows.extract import extract_flow
from pipeline.settings import load_settings


HELDOUT = "heldout"  # sentences from other real papers, annotated by reading (annotations/heldout/)


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
    result = evaluate_and_report(pred_dirs, settings.annotations_dir, out / "report",
                                 db_url=settings.db_url)
    for line in result.summary_lines:
        logger.info(line)
    heldout_gold = settings.annotations_dir / HELDOUT
    heldout_inputs = sorted(heldout_gold.glob("*.txt"))
    if heldout_inputs:
        summary = extract_flow([str(p) for p in heldout_inputs], out_dir=str(out / "extract" / HELDOUT),
                               force=force, quarantine=False)
        heldout = evaluate_and_report({HELDOUT: Path(summary.out_dir)}, heldout_gold,
                                      out / "report" / HELDOUT, db_url=settings.db_url)
        for line in heldout.summary_lines:
            logger.info("held-out: %s", line)
        logger.info("held-out report: %s", heldout.index_html)
    logger.info("report: %s", result.index_html)
    return str(result.index_html)
