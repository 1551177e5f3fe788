"""Accounts, sessions, CSRF tokens and the login rate limit.

Passwords are hashed with Argon2id. A session is a random token in an HttpOnly, SameSite=Lax
cookie; the database keeps only its SHA-256 and the session's CSRF token.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pipeline.review.models import ReviewSessionRow, ReviewUserRow
from pipeline.review.service import ReviewService

ROLES = ("curator", "admin")
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
SESSION_HOURS = 12
_hasher = PasswordHasher()
# Verifying an unknown user costs the same as a known one (no user enumeration by timing).
_DUMMY_HASH = _hasher.hash("not a password")


@dataclass(frozen=True)
class User:
    username: str
    role: str
    csrf_token: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class AccountError(ValueError):
    pass


def add_user(service: ReviewService, username: str, password: str, role: str) -> None:
    """Create or replace a user (replacing resets the password and role)."""
    if not USERNAME.match(username):
        raise AccountError(f"invalid user name {username!r}: letters, digits, '.', '_', '-' only")
    if role not in ROLES:
        raise AccountError(f"invalid role {role!r}: curator or admin")
    if len(password) < 8:
        raise AccountError("the password must have at least 8 characters")
    with Session(service.write_engine) as session, session.begin():
        row = session.get(ReviewUserRow, username) or ReviewUserRow(username=username)
        row.password_hash, row.role = _hasher.hash(password), role
        session.add(row)


def list_users(service: ReviewService) -> list[dict]:
    with Session(service.engine) as session:
        return [{"username": u.username, "role": u.role, "created_at": u.created_at.isoformat()}
                for u in session.scalars(select(ReviewUserRow).order_by(ReviewUserRow.username))]


def authenticate(service: ReviewService, username: str, password: str) -> str | None:
    """The user's role when the password is right, else None."""
    with Session(service.engine) as session:
        row = session.get(ReviewUserRow, username) if USERNAME.match(username or "") else None
        stored, role = (row.password_hash, row.role) if row else (_DUMMY_HASH, None)
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    return role


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(service: ReviewService, username: str) -> str:
    """A new session for ``username``; returns the cookie value."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(timezone.utc)
    with Session(service.write_engine) as session, session.begin():
        session.execute(delete(ReviewSessionRow).where(ReviewSessionRow.expires_at < now))
        session.add(ReviewSessionRow(token_hash=_digest(token), username=username,
                                     csrf_token=secrets.token_urlsafe(32), created_at=now,
                                     expires_at=now + timedelta(hours=SESSION_HOURS)))
    return token


def session_user(service: ReviewService, token: str | None) -> User | None:
    if not token or len(token) > 128:
        return None
    with Session(service.engine) as session:
        row = session.get(ReviewSessionRow, _digest(token))
        if row is None:
            return None
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=timezone.utc)
        if expires < datetime.now(timezone.utc):
            return None
        user = session.get(ReviewUserRow, row.username)
        return User(user.username, user.role, row.csrf_token) if user else None


def end_session(service: ReviewService, token: str | None) -> None:
    if token:
        with Session(service.write_engine) as session, session.begin():
            session.execute(delete(ReviewSessionRow).where(ReviewSessionRow.token_hash == _digest(token)))


def csrf_ok(user: User, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(user.csrf_token.encode(), str(sent).encode())


class LoginLimiter:
    """At most ``limit`` failed logins per client address and per user name in ``window`` seconds."""

    def __init__(self, limit: int = 5, window: float = 300.0):
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def retry_after(self, address: str, username: str) -> int:
        """Seconds until another attempt is allowed (0: allowed now)."""
        now = time.monotonic()
        with self._lock:
            waits = [times[0] + self.window - now for key in (f"ip:{address}", f"user:{username}")
                     if len(times := self._recent(key, now)) >= self.limit]
        return int(max(waits) + 1) if waits else 0

    def failed(self, address: str, username: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (f"ip:{address}", f"user:{username}"):
                self._recent(key, now).append(now)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(f"user:{username}", None)
