"""Prefect flow around the evaluation report (for schedules and the Prefect UI)."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger


@flow(name="evaluate")
def evaluate_flow(pred_dirs: dict[str, str], gold_dir: str, out_dir: str,
                  db_url: str | None = None) -> str:
    """Score ``pred_dirs`` (label -> folder) against ``gold_dir``; returns the index.html path."""
    from pipeline.report.build import evaluate_and_report

    result = evaluate_and_report({label: Path(d) for label, d in pred_dirs.items()}, Path(gold_dir),
                                 Path(out_dir), db_url=db_url)
    logger = get_run_logger()
    for line in result.summary_lines:
        logger.info(line)
    return str(result.index_html)
