"""Tables of the review app: users, sessions, the current state of each reviewed item and the
append-only audit trail. They live beside the pipeline's tables (same metadata, same database)
and refer to statement ids without a foreign key, so re-extraction never touches them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pipeline.store.models import Base, utcnow


class ReviewUserRow(Base):
    __tablename__ = "review_users"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))  # curator | admin
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReviewSessionRow(Base):
    """A login. Only the SHA-256 of the cookie value is stored."""

    __tablename__ = "review_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReviewStateRow(Base):
    """Current state of one reviewed item (statement, trial statistic or added statement).

    ``version`` counts accepted writes; a write names the version it saw (optimistic concurrency).
    ``fields`` holds the curator's values for edited fields (for an added statement: all fields).
    """

    __tablename__ = "review_state"

    item_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    doc: Mapped[str] = mapped_column(String(255), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # statement | stat | added
    status: Mapped[str] = mapped_column(String(16))  # accepted | rejected | edited | added | merged
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReviewAuditRow(Base):
    """One change, never updated or deleted: who, when, what it was before and after, why."""

    __tablename__ = "review_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(String(40), index=True)
    doc: Mapped[str] = mapped_column(String(255), index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(16))  # accept | reject | edit | add | merge
    before: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer)  # version after the change
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
