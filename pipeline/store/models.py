"""Database schema. Portable types only, so the same schema runs on SQLite and PostgreSQL.

Statements and statistics are keyed by stable content-hash ids. Curator decisions live in their
own table and refer to statement ids without a foreign key, so re-extraction (which replaces a
document's statements) never deletes or overwrites a decision.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    """One version of a document: file-stem id plus content hash."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("doc_id", "content_hash"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # "<doc_id>@<hash12>"
    doc_id: Mapped[str] = mapped_column(String(255), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    source_path: Mapped[str] = mapped_column(Text)
    source_type: Mapped[str] = mapped_column(String(8))
    n_pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    document: Mapped[dict] = mapped_column(JSON)  # the full structured Document
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    extracted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Hash of the extractor code and data that produced the stored records; a change re-extracts.
    extractor_fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)


class IngestFailureRow(Base):
    """A file that could not be ingested, with the reason and where it was quarantined."""

    __tablename__ = "ingest_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    path: Mapped[str] = mapped_column(Text)
    doc_id: Mapped[str] = mapped_column(String(255), index=True)
    content_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    code: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    quarantined_to: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Python traceback of an unexpected error (a bug, not bad input); migration 0002.
    traceback: Mapped[str | None] = mapped_column(Text, nullable=True)


class MentionRow(Base):
    __tablename__ = "mentions"

    # Ids are content hashes within a document version: the PDF and the text of one paper
    # share a doc id, so the key includes the version.
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    doc_key: Mapped[str] = mapped_column(ForeignKey("documents.key", ondelete="CASCADE"), primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(32), index=True)
    canonical: Mapped[str] = mapped_column(Text)
    identifier: Mapped[str | None] = mapped_column(String(64), nullable=True)
    match: Mapped[str] = mapped_column(String(16))
    model: Mapped[str | None] = mapped_column(String(128), nullable=True)
    lexicon_version: Mapped[str | None] = mapped_column(String(64), nullable=True)


class StatementRow(Base):
    """A statement-level triple (export contract fields plus provenance)."""

    __tablename__ = "statements"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    doc_key: Mapped[str] = mapped_column(ForeignKey("documents.key", ondelete="CASCADE"), primary_key=True)
    doc: Mapped[str] = mapped_column(String(255), index=True)
    drug: Mapped[str | None] = mapped_column(Text, nullable=True)
    drug_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    combined_with: Mapped[list] = mapped_column(JSON, default=list)
    target: Mapped[str | None] = mapped_column(Text, nullable=True)
    target_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    interaction: Mapped[str | None] = mapped_column(String(16), nullable=True)
    outcome: Mapped[str | None] = mapped_column(Text, nullable=True)
    effect: Mapped[str | None] = mapped_column(String(16), nullable=True)
    context: Mapped[str | None] = mapped_column(Text, nullable=True)
    hedged: Mapped[bool] = mapped_column(Boolean, default=False)
    negated: Mapped[bool] = mapped_column(Boolean, default=False)
    evidence: Mapped[str] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(Text, nullable=True)
    page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str] = mapped_column(String(8), default="text")  # text | table | caption
    table_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    row: Mapped[int | None] = mapped_column(Integer, nullable=True)
    column: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rule: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)
    model: Mapped[str | None] = mapped_column(String(128), nullable=True)
    lexicon_version: Mapped[str | None] = mapped_column(String(64), nullable=True)


class TrialStatRow(Base):
    __tablename__ = "trial_stats"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    doc_key: Mapped[str] = mapped_column(ForeignKey("documents.key", ondelete="CASCADE"), primary_key=True)
    doc: Mapped[str] = mapped_column(String(255), index=True)
    record: Mapped[dict] = mapped_column(JSON)  # the full TrialStat (contract fields)
    measure: Mapped[str] = mapped_column(String(32), index=True)
    rule: Mapped[str] = mapped_column(String(64))


class CurationDecisionRow(Base):
    """A curator's decision on a statement. Append-only: the audit trail is the table."""

    __tablename__ = "curation_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    statement_id: Mapped[str] = mapped_column(String(40), index=True)
    curator: Mapped[str] = mapped_column(String(128))
    decision: Mapped[str] = mapped_column(String(16))  # accept | reject | edit
    edited: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RunRow(Base):
    """One pipeline run (ingest, extract or evaluate) and its parameters."""

    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    pipeline_version: Mapped[str] = mapped_column(String(32))


class ScoreRow(Base):
    """Evaluation scores per run, kept so reports can plot score history."""

    __tablename__ = "scores"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(64))  # which prediction set, e.g. "pdf" or "text"
    kind: Mapped[str] = mapped_column(String(32))  # triples_lenient | triples_strict | stats
    metric: Mapped[str] = mapped_column(String(16))  # precision | recall | f1
    value: Mapped[float] = mapped_column(Float)
