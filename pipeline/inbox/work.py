"""One document of a batch, start to finish, with every failure contained.

* bad input (``IngestError``): recorded, moved to the quarantine with a note; if the quarantine
  cannot be written, that is said in the outcome and the record, and the batch goes on;
* any other exception in layout, NLP or extraction: recorded as this document's failure with the
  traceback in the failure record (not on the console); the batch goes on;
* the database unreachable: raised (``DatabaseUnavailable``), since nothing can be recorded —
  the run stops with a clear error, and nothing half-written stays behind: a document's rows,
  its inbox entry and its lease are written in one transaction.
"""

from __future__ import annotations

import time
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from pipeline.ids import doc_id_for, file_hash
from pipeline.ingest.errors import IngestError
from pipeline.store import leases
from pipeline.store import repository as repo
from pipeline.store.inbox_models import InboxFileRow
from pipeline.store.models import DocumentRow, IngestFailureRow, StatementRow, TrialStatRow
from pipeline.store.repository import document_key

Status = Literal["new", "changed", "unchanged", "failed", "skipped"]


class DatabaseUnavailable(RuntimeError):
    """The database could not be reached after bounded retries."""


class DocOutcome(BaseModel):
    """What happened to one file."""

    path: str
    doc_id: str
    status: Status
    content_hash: str | None = None
    doc_key: str | None = None
    n_pages: int | None = None
    n_statements: int = 0
    n_stats: int = 0
    error_code: str | None = None
    reason: str | None = None
    quarantined_to: str | None = None
    quarantine_error: str | None = None
    seconds: float = 0.0


def is_db_error(error: BaseException) -> bool:
    return isinstance(error, (OperationalError, DBAPIError, DatabaseUnavailable))


def _extracted(engine: Engine, doc_key: str, fingerprint: str) -> bool:
    with Session(engine) as session:
        row = session.get(DocumentRow, doc_key)
        return bool(row and row.extracted_at and row.extractor_fingerprint == fingerprint)


def _counts(session: Session, doc_key: str) -> tuple[int, int, int | None]:
    n_statements = session.scalar(select(func.count()).select_from(StatementRow)
                                  .where(StatementRow.doc_key == doc_key)) or 0
    n_stats = session.scalar(select(func.count()).select_from(TrialStatRow)
                             .where(TrialStatRow.doc_key == doc_key)) or 0
    row = session.get(DocumentRow, doc_key)
    return n_statements, n_stats, row.n_pages if row else None


def record_failure(engine: Engine, path: Path, doc_id: str, content_hash: str | None, code: str,
                   reason: str, quarantined_to: str | None, trace: str | None) -> None:
    with Session(engine) as session, session.begin():
        session.add(IngestFailureRow(path=str(path), doc_id=doc_id, content_hash=content_hash,
                                     code=code, reason=reason, quarantined_to=quarantined_to,
                                     traceback=trace))


def _store(engine: Engine, document, result, fingerprint: str, owner: str, inbox_path: str | None,
           previous_key: str | None, status: str, run_id: str | None) -> tuple[int, int]:
    """Document row, mentions, statements, statistics, inbox entry and the lease: one transaction."""
    key = document_key(document.doc_id, document.content_hash)
    with Session(engine) as session, session.begin():
        row = repo.write_document(session, document)
        row.extracted_at = datetime.now(timezone.utc)
        row.extractor_fingerprint = fingerprint
        session.flush()
        n_statements, n_stats = repo.write_extraction(session, key, result.mentions, result.triples,
                                                      result.stats)
        if inbox_path is not None:
            _upsert_inbox(session, inbox_path, document.doc_id, document.content_hash, key,
                          previous_key, status, document.n_pages, n_statements, n_stats, run_id)
        leases.finish(session.connection(), key, owner)
    return n_statements, n_stats


def _upsert_inbox(session: Session, path: str, doc_id: str, content_hash: str, key: str,
                  previous_key: str | None, status: str, n_pages, n_statements, n_stats, run_id) -> None:
    entry = session.get(InboxFileRow, path) or InboxFileRow(path=path)
    entry.doc_id, entry.content_hash, entry.doc_key = doc_id, content_hash, key
    if previous_key and previous_key != key:
        entry.previous_key = previous_key
    entry.status, entry.n_pages, entry.run_id = status, n_pages, run_id
    entry.n_statements, entry.n_stats = n_statements, n_stats
    entry.updated_at = datetime.now(timezone.utc)
    session.add(entry)


def process_file(
    path: Path, engine: Engine, *, owner: str, fingerprint: str, quarantine_dir: Path | None,
    lease_seconds: int = 900, force: bool = False, inbox: bool = True, wait: bool = False,
    previous_key: str | None = None, run_id: str | None = None, content_hash: str | None = None,
) -> DocOutcome:
    """Ingest and extract ``path`` unless this content was extracted by this extractor.

    ``wait``: when another worker holds the document, wait for it (a manual ``extract`` that
    wants the results) instead of skipping it (a scheduled run: the other worker does it).
    """
    from pipeline.process import extract, read

    started = time.perf_counter()
    path = Path(path)
    doc_id = doc_id_for(path)
    new_status: Status = "changed" if previous_key else "new"

    def outcome(status: Status, **fields) -> DocOutcome:
        return DocOutcome(path=str(path), doc_id=doc_id, status=status, content_hash=content_hash,
                          seconds=time.perf_counter() - started, **fields)

    try:
        content_hash = content_hash or file_hash(path)
    except OSError as error:
        return _bad_input(engine, path, doc_id, None, IngestError(path, "unreadable", str(error)),
                          quarantine_dir, outcome)
    key = document_key(doc_id, content_hash)
    if not force and _extracted(engine, key, fingerprint):
        return _unchanged(engine, key, outcome)
    while not leases.acquire(engine, key, owner, lease_seconds):
        if not wait:
            return outcome("skipped", doc_key=key, reason="another worker holds this document")
        time.sleep(0.5)
    finished = False
    try:
        if not force and _extracted(engine, key, fingerprint):  # done by another worker meanwhile
            return _unchanged(engine, key, outcome)
        try:
            document = read(path)
            result = extract(document)
        except IngestError as error:
            return _bad_input(engine, path, doc_id, content_hash, error, quarantine_dir, outcome)
        except Exception as error:  # noqa: BLE001 — any bug in one document is that document's failure
            if is_db_error(error) or isinstance(error, OSError):
                raise  # transient (file still being copied, database away): the task retries
            trace = traceback.format_exc()
            reason = f"unexpected {type(error).__name__}: {error}"
            record_failure(engine, path, doc_id, content_hash, "internal_error", reason, None, trace)
            return outcome("failed", doc_key=key, error_code="internal_error", reason=reason)
        n_statements, n_stats = _store(engine, document, result, fingerprint, owner,
                                       str(path.resolve()) if inbox else None, previous_key,
                                       new_status, run_id)
        finished = True
        return outcome(new_status, doc_key=key, n_pages=document.n_pages,
                       n_statements=n_statements, n_stats=n_stats)
    finally:
        if not finished:
            try:
                leases.release(engine, key, owner)
            except (OperationalError, DBAPIError):
                pass  # the lease expires by itself


def _unchanged(engine: Engine, key: str, outcome) -> DocOutcome:
    with Session(engine) as session:
        n_statements, n_stats, n_pages = _counts(session, key)
    return outcome("unchanged", doc_key=key, n_pages=n_pages, n_statements=n_statements, n_stats=n_stats)


def _bad_input(engine: Engine, path: Path, doc_id: str, content_hash: str | None, error: IngestError,
               quarantine_dir: Path | None, outcome) -> DocOutcome:
    from pipeline.ingest.quarantine import quarantine

    moved = problem = None
    if quarantine_dir is not None:
        try:
            moved = quarantine(path, error, quarantine_dir)
        except OSError as exc:
            problem = f"quarantine folder {quarantine_dir} not writable: {exc.strerror or exc}"
    reason = error.reason + (f" ({problem}; file left in place)" if problem else "")
    record_failure(engine, path, doc_id, content_hash, error.code, reason,
                   str(moved) if moved else None, None)
    return outcome("failed", error_code=error.code, reason=error.reason,
                   quarantined_to=str(moved) if moved else None, quarantine_error=problem)
