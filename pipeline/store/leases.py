"""Document leases: two workers (two ``serve`` processes, or ``serve`` plus a manual
``extract``) never work on the same document version at once, on SQLite and on PostgreSQL.

A lease row per document version (``doc_key``). Taking it is one conditional UPDATE —
``owner = me`` only where nobody holds it, or the holder's lease expired (a killed worker) —
so the check and the take are one atomic statement on both databases. On PostgreSQL the row is
first locked with ``SELECT … FOR UPDATE SKIP LOCKED``, so a second worker skips a row another
is taking instead of waiting for it. The lease is given back (``done_at`` set) inside the
transaction that stores the document's results, so "stored" and "done" cannot disagree.
A worker killed with ``kill -9`` leaves its lease behind: it is taken over when it expires, or
at once by a worker on the same machine that finds the holder's process gone.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import Connection, Engine, and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pipeline.store.inbox_models import DocumentLeaseRow

T = DocumentLeaseRow.__table__


def new_owner() -> str:
    """An owner id for one worker process: host, pid and a random part."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _insert_missing(connection: Connection, doc_key: str) -> None:
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(insert(T).values(doc_key=doc_key, attempts=0).on_conflict_do_nothing())


def _dead_here(owner: str | None) -> bool:
    """True when ``owner`` is a process on this host that no longer exists (killed worker)."""
    if not owner:
        return False
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def acquire(engine: Engine, doc_key: str, owner: str, seconds: int) -> bool:
    """Take the lease on ``doc_key`` for ``seconds``; False when another live worker holds it.

    A lease is free when nobody holds it, its time ran out, or its holder was a process on this
    machine that is gone. Callers check again, under the lease, whether the work is still to do.
    """
    now = _now()
    with engine.begin() as connection:
        _insert_missing(connection, doc_key)
    with engine.begin() as connection:
        query = select(T.c.owner).where(T.c.doc_key == doc_key)
        if connection.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row = connection.execute(query).first()
        if row is None:  # PostgreSQL: another worker is taking this row right now
            return False
        free = or_(T.c.owner.is_(None), T.c.owner == owner, T.c.expires_at < now)
        if _dead_here(row.owner):
            free = or_(free, T.c.owner == row.owner)
        taken = connection.execute(
            update(T).where(T.c.doc_key == doc_key, free)
            .values(owner=owner, expires_at=now + timedelta(seconds=seconds), attempts=T.c.attempts + 1)
        )
        return taken.rowcount == 1


def finish(connection: Connection, doc_key: str, owner: str) -> None:
    """Mark the version done and drop the lease, inside the caller's storing transaction."""
    connection.execute(update(T).where(T.c.doc_key == doc_key, T.c.owner == owner)
                       .values(owner=None, expires_at=None, done_at=_now()))


def release(engine: Engine, doc_key: str, owner: str) -> None:
    """Give the lease back without marking the version done (a failure; another run may retry)."""
    with engine.begin() as connection:
        connection.execute(update(T).where(T.c.doc_key == doc_key, T.c.owner == owner)
                           .values(owner=None, expires_at=None))


def held(engine: Engine) -> list[tuple[str, str, datetime | None]]:
    """Leases held now (doc_key, owner, expires_at), for ``status``."""
    with engine.connect() as connection:
        rows = connection.execute(select(T.c.doc_key, T.c.owner, T.c.expires_at)
                                  .where(and_(T.c.owner.is_not(None))).order_by(T.c.doc_key))
        return [tuple(r) for r in rows]
