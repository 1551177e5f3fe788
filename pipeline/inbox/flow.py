"""The inbox flow: scan a folder, process new and changed documents, write a run summary.

``python -m pipeline inbox DIR`` runs it once; ``serve`` schedules it with ``flow.serve``;
``deploy`` registers it with an existing Prefect server's work pool.
"""

from __future__ import annotations

import contextlib
import logging
import time
import traceback
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from prefect import flow, task
from pydantic import BaseModel
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from pipeline.inbox.progress import current as progress
from pipeline.inbox.work import DatabaseUnavailable, DocOutcome, document_key, is_db_error, process_file, record_failure
from pipeline.settings import Settings, load_settings

RUNNERS = ("thread", "dask")


class InboxSummary(BaseModel):
    run_id: str
    inbox: str
    files_seen: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    pages: int = 0
    statements: int = 0
    stats: int = 0
    duration_s: float = 0.0
    outcomes: list[DocOutcome] = []

    def line(self) -> str:
        return (f"{self.files_seen} files: {self.new} new, {self.changed} changed, {self.unchanged} "
                f"unchanged, {self.failed} failed, {self.skipped} skipped; {self.pages} pages, "
                f"{self.statements} statements, {self.stats} statistics in {self.duration_s:.1f}s "
                f"(run {self.run_id})")


@dataclass(frozen=True)
class Planned:
    path: Path
    content_hash: str
    key: str
    status: str  # new | changed | unchanged
    previous_key: str | None = None


def _safe_url(db_url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return "(unparseable URL)"


def connect(db_url: str, settings: Settings) -> Engine:
    """The engine for ``db_url`` after at most ``settings.db_retries`` attempts (backing off),
    else ``DatabaseUnavailable`` naming the database and the driver's reason."""
    from pipeline.store import repository as repo

    last: Exception | None = None
    for attempt in range(settings.db_retries):
        try:
            engine = repo.connect(db_url)
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return engine
        except (OperationalError, DBAPIError) as error:
            last = error
            if attempt + 1 < settings.db_retries:
                time.sleep(settings.db_retry_delay * 2 ** attempt)
    reason = str(getattr(last, "orig", last)).strip().splitlines()[0] if last else "unknown"
    raise DatabaseUnavailable(f"database {_safe_url(db_url)} unreachable after "
                              f"{settings.db_retries} attempt(s): {reason}")


def scan(inbox: Path, engine: Engine, fingerprint: str, force: bool = False) -> list[Planned]:
    """Every file of the inbox with what to do: hashes compared with the store in two queries,
    so an unchanged inbox costs one hash per file."""
    from pipeline.ids import doc_id_for, file_hash
    from pipeline.ingest.batch import expand_inputs
    from pipeline.store.inbox_models import InboxFileRow
    from pipeline.store.models import DocumentRow, IngestFailureRow

    with Session(engine) as session:
        done = set(session.scalars(select(DocumentRow.key).where(
            DocumentRow.extracted_at.is_not(None), DocumentRow.extractor_fingerprint == fingerprint)))
        known = dict(session.execute(select(InboxFileRow.path, InboxFileRow.doc_key)).all())
        bad = {(d, h) for d, h in session.execute(
            select(IngestFailureRow.doc_id, IngestFailureRow.content_hash)) if h}
    planned = []
    for path in expand_inputs([inbox]):
        try:
            content_hash = file_hash(path)
        except OSError:
            content_hash = ""  # unreadable now: process_file records why
        doc_id = doc_id_for(path)
        key = document_key(doc_id, content_hash) if content_hash else f"{doc_id}@?"
        previous = known.get(str(path.resolve()))
        if not force and (key in done or (doc_id, content_hash) in bad):
            status = "unchanged"
        else:
            status = "changed" if previous and previous != key else "new"
        planned.append(Planned(path, content_hash, key, status, previous if status == "changed" else None))
    return planned


def work_order(plan: list[Planned]) -> list[Planned]:
    """The files to process, largest first (longest processing time first): a big PDF
    submitted last would keep one worker busy at the end while the others have nothing to do."""

    def size(planned: Planned) -> int:
        try:
            return planned.path.stat().st_size
        except OSError:
            return 0

    return sorted((p for p in plan if p.status != "unchanged"), key=size, reverse=True)


@lru_cache(maxsize=1)
def _owner() -> str:
    from pipeline.store.leases import new_owner

    return new_owner()


# Set in this process once the database was found gone for good: the queued documents then
# stop at once instead of each spending its retries.
_DATABASE_GONE: list[str] = []


def _retry_transient(_task, _task_run, state) -> bool:
    """Retry I/O and database errors (a file still being copied, a database restarting)."""
    error = state.result(raise_on_failure=False)
    if isinstance(error, DatabaseUnavailable):
        return False
    return isinstance(error, OSError) or is_db_error(error)


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=_retry_transient,
      task_run_name="process {path.name}")
def process_task(path: Path, db_url: str, quarantine_dir: Path | None, fingerprint: str,
                 lease_seconds: int, force: bool, previous_key: str | None, run_id: str,
                 content_hash: str | None) -> DocOutcome:
    from pipeline.store import repository as repo

    if _DATABASE_GONE:
        raise DatabaseUnavailable(_DATABASE_GONE[0])
    return process_file(path, repo.connect(db_url), owner=_owner(), fingerprint=fingerprint,
                        quarantine_dir=quarantine_dir, lease_seconds=lease_seconds, force=force,
                        previous_key=previous_key, run_id=run_id, content_hash=content_hash or None)


def _write_run(engine: Engine, summary: InboxSummary, runner: str, status: str,
               error: str | None = None) -> None:
    from pipeline.store.inbox_models import InboxRunRow

    with Session(engine) as session, session.begin():
        row = session.get(InboxRunRow, summary.run_id) or InboxRunRow(id=summary.run_id, inbox=summary.inbox)
        row.runner, row.status, row.error = runner, status, error
        for name in ("files_seen", "new", "changed", "unchanged", "failed", "skipped", "pages",
                     "statements", "stats"):
            setattr(row, name, getattr(summary, name))
        if status != "running":
            row.finished_at = datetime.now(timezone.utc)
            row.duration_s = summary.duration_s
        session.add(row)


@flow(name="inbox")
def inbox_flow(inbox: str, db_url: str | None = None, quarantine: bool = True, force: bool = False,
               runner: str = "thread") -> InboxSummary:
    """Process the new and changed files of ``inbox``; bad files are quarantined, the batch
    goes on; the run's summary is stored in ``inbox_runs``."""
    from prefect.futures import as_completed

    from pipeline.process import extractor_fingerprint
    from pipeline.store.leases import release

    settings = load_settings()
    db_url = db_url or settings.db_url
    started = time.perf_counter()
    engine = connect(db_url, settings)
    summary = InboxSummary(run_id=f"inbox-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}",
                           inbox=str(Path(inbox).resolve()))
    _write_run(engine, summary, runner, "running")
    fingerprint = extractor_fingerprint()
    plan = scan(Path(inbox), engine, fingerprint, force)
    todo = work_order(plan)
    summary.files_seen, summary.unchanged = len(plan), len(plan) - len(todo)
    report = progress()
    report.start(len(todo), f"{summary.inbox}: {len(plan)} files, {len(todo)} to process, "
                            f"{summary.unchanged} unchanged")
    quarantine_dir = settings.quarantine_dir if quarantine else None
    futures = {process_task.submit(p.path, db_url, quarantine_dir, fingerprint, settings.lease_seconds,
                                   force, p.previous_key, summary.run_id, p.content_hash): p for p in todo}
    db_error: Exception | None = None
    for future in as_completed(list(futures)):
        planned = futures[future]
        try:
            outcome = future.result()
        except Exception as error:  # noqa: BLE001 — retries spent: this document's failure
            if is_db_error(error):
                db_error = db_error or error
                _DATABASE_GONE[:] = [str(getattr(error, "orig", error)).strip().splitlines()[0]]
                continue
            trace = "".join(traceback.format_exception(error))
            reason = f"unexpected {type(error).__name__}: {error}"
            try:
                record_failure(engine, planned.path, planned.path.stem, planned.content_hash or None,
                               "internal_error", reason, None, trace)
                release(engine, planned.key, _owner())
            except (OperationalError, DBAPIError) as db:
                db_error = db_error or db
            outcome = DocOutcome(path=str(planned.path), doc_id=planned.path.stem, status="failed",
                                 content_hash=planned.content_hash, error_code="internal_error", reason=reason)
        setattr(summary, outcome.status, getattr(summary, outcome.status) + 1)
        summary.pages += outcome.n_pages or 0
        summary.statements += outcome.n_statements
        summary.stats += outcome.n_stats
        summary.outcomes.append(outcome)
        report.document(outcome)
    summary.duration_s = time.perf_counter() - started
    if db_error is not None:
        message = f"database {_safe_url(db_url)} unreachable during the run: " + \
                  str(getattr(db_error, "orig", db_error)).strip().splitlines()[0]
        report.finish(f"stopped: {message}")
        try:
            _write_run(engine, summary, runner, "error", message)
        except (OperationalError, DBAPIError):
            pass
        _DATABASE_GONE.clear()
        raise DatabaseUnavailable(message)
    _DATABASE_GONE.clear()
    _write_run(engine, summary, runner, "done")
    report.finish(summary.line())
    return summary


def task_runner(runner: str, workers: int = 1, dask_address: str | None = None):
    """The Prefect task runner for ``--runner``: threads (default) or Dask processes."""
    if runner == "dask" or dask_address:
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        # silence_logs: the workers' own logging (a heartbeat racing the cluster's shutdown logs a
        # CommClosedError traceback); per-document failures are recorded in the database anyway.
        return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                              cluster_kwargs={"n_workers": workers, "processes": True,
                                              "threads_per_worker": 1, "dashboard_address": None,
                                              "silence_logs": logging.CRITICAL})
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=workers)


@contextlib.contextmanager
def shared_api() -> Iterator[None]:
    """Make the Prefect API this process uses the one its local Dask workers use too.

    Without ``PREFECT_API_URL`` Prefect starts an ephemeral API server in a subprocess of the
    process that first needs one, and a task run carries its parent's settings to the worker
    that runs it: every Dask worker process then started an ephemeral server of its own (an
    import of Prefect's server, its migrations, ~230 MB and seconds of CPU per worker, all on the
    same SQLite database) before its first document. Here the ephemeral server is started once,
    in this process, and its URL goes to the workers with the flow's settings.
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the same (per-process) instance ephemeral mode would start
    server.start()
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        yield


def run_inbox(inbox: str, *, db_url: str | None = None, quarantine: bool = True, force: bool = False,
              runner: str = "thread", workers: int = 1, dask_address: str | None = None) -> InboxSummary:
    """Run the inbox flow once with the chosen task runner."""
    name = "dask" if (runner == "dask" or dask_address) else "thread"
    configured = inbox_flow.with_options(task_runner=task_runner(runner, workers, dask_address))
    # Workers of a cluster elsewhere cannot reach this machine's loopback server: they need a
    # PREFECT_API_URL of their own (README, Scheduled ingestion).
    local_workers = name == "dask" and not dask_address
    with shared_api() if local_workers else contextlib.nullcontext():
        return configured(inbox, db_url=db_url, quarantine=quarantine, force=force, runner=name)
