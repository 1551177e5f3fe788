"""The ``extract`` flow: ingest → NLP → triples and trial statistics → store → export files."""

from __future__ import annotations

import json
import time
from pathlib import Path

from prefect import flow, get_run_logger, task
from pydantic import BaseModel

from pipeline.export import write_exports
from pipeline.flows.ingest import is_transient_io, log_outcome
from pipeline.ingest.batch import IngestOutcome, expand_inputs
from pipeline.process import extractor_fingerprint
from pipeline.settings import load_settings
from pipeline.store import repository as repo


class ExtractSummary(BaseModel):
    """What an extract run produced, for the CLI and the main job."""

    out_dir: str
    outcomes: list[IngestOutcome]
    n_triples: int
    n_stats: int
    files: list[str]


@task(retries=2, retry_delay_seconds=2, retry_condition_fn=is_transient_io,
      task_run_name="extract {path.name}")
def extract_task(path: Path, db_url: str, quarantine_dir: Path | None, force: bool) -> IngestOutcome:
    """Ingest and extract one document, unless this content was extracted by this extractor.

    Any error of this document (bad input, or a bug in layout/NLP/extraction) is its failure,
    recorded with a traceback; a document another worker is processing is waited for (lease).
    """
    from pipeline.inbox.flow import _owner
    from pipeline.inbox.work import process_file

    done = process_file(path, repo.connect(db_url), owner=_owner(), fingerprint=extractor_fingerprint(),
                        quarantine_dir=quarantine_dir, lease_seconds=load_settings().lease_seconds,
                        force=force, inbox=False, wait=True)
    status = {"new": "ingested", "changed": "ingested"}.get(done.status, done.status)
    return IngestOutcome(path=done.path, doc_id=done.doc_id, status=status, content_hash=done.content_hash,
                         doc_key=done.doc_key if status != "failed" else None, n_pages=done.n_pages,
                         error_code=done.error_code, reason=done.reason, quarantined_to=done.quarantined_to)


def _outcome_or_failure(state, path: Path, db_url: str) -> IngestOutcome:
    """The task's outcome; a task that failed after its retries is this document's failure (with
    the traceback in the failure record), unless the database itself is gone."""
    import traceback

    from pipeline.inbox.work import DatabaseUnavailable, is_db_error, record_failure

    result = state.result(raise_on_failure=False)
    if not isinstance(result, BaseException):
        return result
    if is_db_error(result):
        raise DatabaseUnavailable(f"database unreachable while extracting {path}: {result}")
    reason = f"unexpected {type(result).__name__}: {result}"
    record_failure(repo.connect(db_url), path, path.stem, None, "internal_error", reason, None,
                   "".join(traceback.format_exception(result)))
    return IngestOutcome(path=str(path), doc_id=path.stem, status="failed", error_code="internal_error",
                         reason=reason)


@flow(name="extract")
def extract_flow(paths: list[str], out_dir: str, db_url: str | None = None, force: bool = False,
                 quarantine: bool = True) -> ExtractSummary:
    """Extract triples and trial statistics from files/folders and write the export files."""
    from pipeline.relations.assemble import assemble

    settings = load_settings()
    logger = get_run_logger()
    db_url = db_url or settings.db_url
    files = expand_inputs([Path(p) for p in paths])
    outcomes = []
    for index, path in enumerate(files, 1):
        started = time.perf_counter()
        state = extract_task(path, db_url, settings.quarantine_dir if quarantine else None, force,
                             return_state=True)
        outcome = _outcome_or_failure(state, path, db_url)
        log_outcome(logger, index, len(files), outcome, time.perf_counter() - started)
        outcomes.append(outcome)
    engine = repo.connect(db_url)
    keys = [o.doc_key for o in outcomes if o.doc_key]
    triples = repo.statements(engine, doc_keys=keys)
    stats = repo.trial_stats(engine, doc_keys=keys)
    out = Path(out_dir)
    written = write_exports(out, triples, stats, assemble(triples))
    written += _write_tables(engine, outcomes, out)
    failures = out / "failures.jsonl"
    failures.write_text("".join(o.model_dump_json() + "\n" for o in outcomes if o.status == "failed"))
    logger.info("%d document(s), %d triple(s), %d trial statistic(s) -> %s", len(keys), len(triples),
                len(stats), out)
    return ExtractSummary(out_dir=str(out), outcomes=outcomes, n_triples=len(triples),
                          n_stats=len(stats), files=[str(p) for p in written + [failures]])


def _write_tables(engine, outcomes: list[IngestOutcome], out: Path) -> list[Path]:
    """Each extracted document's tables as ``out/tables/<doc>.table<N>.csv``."""
    from pipeline.ingest.table_export import write_table_csvs

    written: list[Path] = []
    for outcome in outcomes:
        if not outcome.doc_key or not outcome.content_hash:
            continue
        document = repo.find_document(engine, outcome.doc_id, outcome.content_hash)
        if document is not None:
            written += write_table_csvs(document, out)
    return written
