"""Ingest one file of a batch: skip unchanged input, store the document, quarantine bad input.

Never raises for bad input: the outcome says what happened, so the rest of a batch goes on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import Engine

from pipeline.ids import doc_id_for, file_hash
from pipeline.ingest.errors import IngestError
from pipeline.ingest.quarantine import quarantine
from pipeline.records import Document
from pipeline.store import repository as repo


class IngestOutcome(BaseModel):
    """What happened to one input file."""

    path: str
    doc_id: str
    status: Literal["ingested", "unchanged", "failed"]
    content_hash: str | None = None
    doc_key: str | None = None
    n_pages: int | None = None
    error_code: str | None = None
    reason: str | None = None
    quarantined_to: str | None = None


def write_document_files(document: Document, out_dir: Path) -> None:
    """Write ``<doc>.txt`` (canonical text) and ``<doc>.json`` (structured document)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{document.doc_id}.txt").write_text(document.text, encoding="utf-8")
    (out_dir / f"{document.doc_id}.json").write_text(
        json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=1), encoding="utf-8"
    )


def ingest_one(
    path: Path, engine: Engine, quarantine_dir: Path | None, out_dir: Path | None = None,
) -> tuple[IngestOutcome, Document | None]:
    """Ingest ``path`` unless this exact content is already stored.

    Bad input is recorded in the store and, when ``quarantine_dir`` is given, moved there.
    """
    from pipeline.ingest.reader import read_document
    from pipeline.process import ingester_fingerprint

    doc_id = doc_id_for(path)
    content_hash = file_hash(path) if path.is_file() else None
    stored = repo.find_document(engine, doc_id, content_hash) if content_hash else None
    if stored is not None and stored.ingester != ingester_fingerprint():
        stored = None  # read by an older reader: read it again (extraction then re-runs too)
    if stored is not None:
        document, status = stored, "unchanged"
    else:
        try:
            document = read_document(path)
        except IngestError as error:
            try:
                moved = quarantine(path, error, quarantine_dir) if quarantine_dir else None
            except OSError as exc:  # quarantine not writable: say so, the batch goes on
                moved, error.reason = None, f"{error.reason} (quarantine {quarantine_dir} not writable: {exc})"
            repo.record_failure(engine, str(path), doc_id, content_hash, error.code, error.reason,
                                str(moved) if moved else None)
            return IngestOutcome(path=str(path), doc_id=doc_id, status="failed",
                                 content_hash=content_hash, error_code=error.code,
                                 reason=error.reason,
                                 quarantined_to=str(moved) if moved else None), None
        except Exception as error:  # noqa: BLE001 — a bug on one document is that document's failure
            if isinstance(error, OSError):
                raise  # transient I/O: the task retries
            import traceback

            from pipeline.inbox.work import record_failure

            reason = f"unexpected {type(error).__name__}: {error}"
            record_failure(engine, path, doc_id, content_hash, "internal_error", reason, None,
                           traceback.format_exc())
            return IngestOutcome(path=str(path), doc_id=doc_id, status="failed", content_hash=content_hash,
                                 error_code="internal_error", reason=reason), None
        status = "ingested"
        document = document.model_copy(update={"ingester": ingester_fingerprint()})
        repo.save_document(engine, document)
    if out_dir is not None:
        write_document_files(document, out_dir)
    key = repo.document_key(document.doc_id, document.content_hash)
    return IngestOutcome(path=str(path), doc_id=doc_id, status=status,
                         content_hash=document.content_hash, doc_key=key,
                         n_pages=document.n_pages), document


def expand_inputs(paths: list[Path]) -> list[Path]:
    """Files named directly, plus every file (not hidden) inside named folders, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")))
        else:
            files.append(path)
    return files
