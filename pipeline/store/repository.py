"""Read and write pipeline records. The only module that opens database sessions."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import lru_cache
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, create_engine, delete, event, select
from sqlalchemy.orm import Session

from pipeline import __version__
from pipeline.records import Document, Mention, TrialStat, Triple
from pipeline.store.models import (
    Base,
    CurationDecisionRow,
    DocumentRow,
    IngestFailureRow,
    MentionRow,
    RunRow,
    ScoreRow,
    StatementRow,
    TrialStatRow,
)


@lru_cache(maxsize=8)
def connect(db_url: str) -> Engine:
    """Open (and create if needed) the database at ``db_url``; one engine per URL per process."""
    if db_url.startswith("sqlite:///"):
        Path(db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(db_url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    from pipeline.store import inbox_models  # noqa: F401  (its tables are part of the schema)
    from pipeline.store.migrate import upgrade

    upgrade(engine)  # Alembic migrations (pipeline/store/migrations); keeps older databases' rows
    Base.metadata.create_all(engine)  # any table no migration has made yet
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Foreign keys for cascades; WAL and a busy timeout so concurrent task writes wait, not fail.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def document_key(doc_id: str, content_hash: str) -> str:
    """Primary key of one version of a document."""
    return f"{doc_id}@{content_hash[:12]}"


def find_document(engine: Engine, doc_id: str, content_hash: str) -> Document | None:
    """The stored document with this id and content, if it was ingested before."""
    with Session(engine) as session:
        row = session.get(DocumentRow, document_key(doc_id, content_hash))
        return Document.model_validate(row.document) if row else None


def is_extracted(engine: Engine, doc_id: str, content_hash: str, fingerprint: str | None = None) -> bool:
    """True when this document version was extracted (by the extractor with ``fingerprint``)."""
    with Session(engine) as session:
        row = session.get(DocumentRow, document_key(doc_id, content_hash))
        if not (row and row.extracted_at):
            return False
        return fingerprint is None or row.extractor_fingerprint == fingerprint


def save_document(engine: Engine, doc: Document) -> str:
    """Insert or replace a document version; returns its key."""
    with Session(engine) as session, session.begin():
        row = write_document(session, doc)
        # A (re-)read document has not been extracted yet, whatever an earlier version was.
        row.extracted_at, row.extractor_fingerprint = None, None
        return row.key


def write_document(session: Session, doc: Document) -> DocumentRow:
    """The document's row, inserted or replaced inside the caller's transaction."""
    key = document_key(doc.doc_id, doc.content_hash)
    row = session.get(DocumentRow, key) or DocumentRow(key=key)
    row.doc_id, row.content_hash = doc.doc_id, doc.content_hash
    row.source_path, row.source_type = doc.source_path, doc.source_type
    row.n_pages, row.title = doc.n_pages, doc.title
    row.document = doc.model_dump(mode="json")
    session.add(row)
    return row


def record_failure(
    engine: Engine, path: str, doc_id: str, content_hash: str | None, code: str, reason: str,
    quarantined_to: str | None,
) -> None:
    """Keep a record of a file that failed ingestion."""
    with Session(engine) as session, session.begin():
        session.add(IngestFailureRow(path=path, doc_id=doc_id, content_hash=content_hash, code=code,
                                     reason=reason, quarantined_to=quarantined_to))


def failures(engine: Engine) -> list[IngestFailureRow]:
    with Session(engine) as session:
        return list(session.scalars(select(IngestFailureRow).order_by(IngestFailureRow.id)))


def save_extraction(
    engine: Engine, doc_key: str, mentions: Iterable[Mention], triples: Iterable[Triple],
    stats: Iterable[TrialStat], fingerprint: str | None = None,
) -> None:
    """Replace a document's mentions, statements and statistics in one transaction.

    Curator decisions are untouched: they refer to stable statement ids.
    """
    with Session(engine) as session, session.begin():
        write_extraction(session, doc_key, mentions, triples, stats)
        row = session.get(DocumentRow, doc_key)
        if row is not None:
            row.extracted_at = datetime.now(timezone.utc)
            row.extractor_fingerprint = fingerprint


def write_extraction(session: Session, doc_key: str, mentions: Iterable[Mention], triples: Iterable[Triple],
                     stats: Iterable[TrialStat]) -> tuple[int, int]:
    """Replace a document's mentions, statements and statistics inside the caller's transaction;
    records with one id (``pipeline.identity``) are stored once. Returns (statements, statistics)."""
    for model in (MentionRow, StatementRow, TrialStatRow):
        session.execute(delete(model).where(model.doc_key == doc_key))
    seen: set[str] = set()
    for m in mentions:
        if m.mention_id not in seen:
            seen.add(m.mention_id)
            session.add(MentionRow(
                id=m.mention_id, doc_key=doc_key, start=m.start, end=m.end, text=m.text,
                label=m.label, canonical=m.canonical, identifier=m.identifier, match=m.match,
                model=m.provenance.model, lexicon_version=m.provenance.lexicon_version))
    n_statements = n_stats = 0
    for t in triples:
        if t.id not in seen:
            seen.add(t.id)
            n_statements += 1
            session.add(StatementRow(id=t.id, doc_key=doc_key, **t.model_dump()))
    for st in stats:
        if st.id not in seen:
            seen.add(st.id)
            n_stats += 1
            session.add(TrialStatRow(id=st.id, doc_key=doc_key, doc=st.doc, measure=st.measure,
                                     rule=st.rule, record=st.model_dump(mode="json")))
    return n_statements, n_stats


def _for_documents(model, doc: str | None, doc_keys: list[str] | None, *order):
    """A query on a per-document table, narrowed to a document id or to document versions."""
    query = select(model).order_by(*order)
    if doc:
        query = query.where(model.doc == doc)
    if doc_keys is not None:
        query = query.where(model.doc_key.in_(doc_keys))
    return query


def statements(engine: Engine, doc: str | None = None, doc_keys: list[str] | None = None) -> list[Triple]:
    """Stored statement-level triples, optionally for one document id or document versions."""
    query = _for_documents(StatementRow, doc, doc_keys, StatementRow.doc, StatementRow.start)
    with Session(engine) as session:
        fields = Triple.model_fields.keys()
        return [Triple(**{f: getattr(r, f) for f in fields}) for r in session.scalars(query)]


def trial_stats(engine: Engine, doc: str | None = None, doc_keys: list[str] | None = None) -> list[TrialStat]:
    """Stored trial statistics, optionally for one document id or document versions."""
    query = _for_documents(TrialStatRow, doc, doc_keys, TrialStatRow.doc, TrialStatRow.id)
    with Session(engine) as session:
        return [TrialStat.model_validate(r.record) for r in session.scalars(query)]


def add_decision(engine: Engine, statement_id: str, curator: str, decision: str,
                 edited: dict | None = None, comment: str | None = None) -> None:
    """Append a curator decision (never updates an earlier one)."""
    if decision not in {"accept", "reject", "edit"}:
        raise ValueError(f"unknown decision {decision!r}")
    with Session(engine) as session, session.begin():
        session.add(CurationDecisionRow(statement_id=statement_id, curator=curator,
                                        decision=decision, edited=edited, comment=comment))


def decisions(engine: Engine, statement_id: str) -> list[CurationDecisionRow]:
    with Session(engine) as session:
        query = select(CurationDecisionRow).where(CurationDecisionRow.statement_id == statement_id)
        return list(session.scalars(query.order_by(CurationDecisionRow.id)))


def start_run(engine: Engine, kind: str, params: dict | None = None) -> str:
    """Record the start of a run; returns its id."""
    run_id = f"{kind}-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    with Session(engine) as session, session.begin():
        session.add(RunRow(id=run_id, kind=kind, params=params or {}, pipeline_version=__version__))
    return run_id


def save_scores(engine: Engine, run_id: str, rows: Iterable[tuple[str, str, str, float]]) -> None:
    """Store (label, kind, metric, value) scores of an evaluation run."""
    with Session(engine) as session, session.begin():
        for label, kind, metric, value in rows:
            session.add(ScoreRow(run_id=run_id, label=label, kind=kind, metric=metric, value=value))


def score_history(engine: Engine) -> list[dict]:
    """All stored scores with their run time, oldest first (for the history plot)."""
    query = select(ScoreRow, RunRow.started_at).join(RunRow, RunRow.id == ScoreRow.run_id)
    with Session(engine) as session:
        return [
            {"run_id": s.run_id, "at": at.isoformat(), "label": s.label, "kind": s.kind,
             "metric": s.metric, "value": s.value}
            for s, at in session.execute(query.order_by(RunRow.started_at, ScoreRow.id))
        ]
