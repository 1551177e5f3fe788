"""The ``ingest`` flow: one task per document, retries only for transient I/O errors."""

from __future__ import annotations

import time
from pathlib import Path

from prefect import flow, get_run_logger, task

from pipeline.ingest.batch import IngestOutcome, expand_inputs, ingest_one
from pipeline.ingest.errors import IngestError
from pipeline.settings import load_settings
from pipeline.store import repository as repo


def is_transient_io(_task, _task_run, state) -> bool:
    """Retry only OS-level I/O errors (e.g. a file still being copied), never bad input."""
    error = state.result(raise_on_failure=False)
    return isinstance(error, OSError) and not isinstance(error, IngestError)


@task(retries=2, retry_delay_seconds=2, retry_condition_fn=is_transient_io,
      task_run_name="ingest {path.name}")
def ingest_task(path: Path, db_url: str, quarantine_dir: Path | None, out_dir: Path | None) -> IngestOutcome:
    """Ingest one file (see ``pipeline.ingest.batch.ingest_one``)."""
    outcome, _ = ingest_one(path, repo.connect(db_url), quarantine_dir, out_dir)
    return outcome


def log_outcome(logger, index: int, total: int, outcome: IngestOutcome, seconds: float) -> None:
    """One progress line per document."""
    if outcome.status == "failed":
        logger.error("[%d/%d] %s FAILED (%s): %s -> quarantined at %s", index, total, outcome.path,
                     outcome.error_code, outcome.reason, outcome.quarantined_to or "(not moved)")
    else:
        pages = f", {outcome.n_pages} pages" if outcome.n_pages else ""
        logger.info("[%d/%d] %s %s%s (%.1fs)", index, total, outcome.doc_id, outcome.status, pages, seconds)


@flow(name="ingest")
def ingest_flow(paths: list[str], out_dir: str | None = None, db_url: str | None = None,
                quarantine: bool = True) -> list[IngestOutcome]:
    """Ingest files and folders into the store; bad files are quarantined, the batch goes on."""
    settings = load_settings()
    logger = get_run_logger()
    files = expand_inputs([Path(p) for p in paths])
    outcomes = []
    for index, path in enumerate(files, 1):
        started = time.perf_counter()
        outcome = ingest_task(path, db_url or settings.db_url,
                              settings.quarantine_dir if quarantine else None,
                              Path(out_dir) if out_dir else None)
        log_outcome(logger, index, len(files), outcome, time.perf_counter() - started)
        outcomes.append(outcome)
    failed = sum(o.status == "failed" for o in outcomes)
    logger.info("ingested %d file(s): %d failed", len(outcomes), failed)
    return outcomes
