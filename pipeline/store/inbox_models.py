"""Tables of scheduled inbox ingestion (migration 0002): leases, inbox files, run summaries.

Same ``Base`` as ``pipeline.store.models``, portable types only (SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pipeline.store.models import Base, utcnow


class DocumentLeaseRow(Base):
    """Who is working on one document version now. A worker takes the lease before it reads the
    file and gives it back in the transaction that stores the result; a lease whose holder died
    expires and is taken over. ``done_at`` set: this version is stored, nothing left to do."""

    __tablename__ = "document_leases"

    doc_key: Mapped[str] = mapped_column(String(64), primary_key=True)  # "<doc_id>@<hash12>"
    owner: Mapped[str | None] = mapped_column(String(96), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class InboxFileRow(Base):
    """The last state of one file in a watched inbox (by path)."""

    __tablename__ = "inbox_files"

    path: Mapped[str] = mapped_column(String(1024), primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(255), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    doc_key: Mapped[str] = mapped_column(String(64))
    previous_key: Mapped[str | None] = mapped_column(String(64), nullable=True)  # older version
    status: Mapped[str] = mapped_column(String(16))  # new | changed | unchanged | failed
    n_pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    n_statements: Mapped[int | None] = mapped_column(Integer, nullable=True)
    n_stats: Mapped[int | None] = mapped_column(Integer, nullable=True)
    run_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InboxRunRow(Base):
    """Summary of one inbox run."""

    __tablename__ = "inbox_runs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    inbox: Mapped[str] = mapped_column(Text)
    runner: Mapped[str] = mapped_column(String(16), default="thread")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | done | error
    files_seen: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)  # leased by another worker
    pages: Mapped[int] = mapped_column(Integer, default=0)
    statements: Mapped[int] = mapped_column(Integer, default=0)
    stats: Mapped[int] = mapped_column(Integer, default=0)
    duration_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
