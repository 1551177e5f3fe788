"""Bring a database to the current schema with Alembic (``pipeline/store/migrations``).

* empty database: the current models' tables, stamped as the head revision;
* a database made by a release before migrations (tables, no ``alembic_version``): stamped as
  the baseline, then upgraded — its rows stay;
* otherwise: upgraded to head (a no-op when current).

Two processes may start on one database at once: PostgreSQL serialises them with an advisory
lock, SQLite with a lock file beside the database.

New migration after a model change::

    python -m pipeline.store.migrate revision -m "what changed" --db sqlite:///out/pipeline.sqlite
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001_baseline"
_PG_LOCK = 7_414_001  # advisory lock key for migrations


def _config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextlib.contextmanager
def _exclusive(engine: Engine):
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK})
                connection.commit()
    elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        lock = Path(f"{engine.url.database}.migrate.lock")
        with open(lock, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    else:
        yield


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Upgrade the database to ``revision``; returns the revision it is at afterwards."""
    with _exclusive(engine):
        with engine.connect() as connection:
            have = MigrationContext.configure(connection).get_current_revision()
            tables = set(inspect(connection).get_table_names())
        if have is None and not tables and revision == "head":
            # An empty database: the models' tables as they are (same column order as
            # ``create_all`` always gave), stamped as current — Alembic's advice for new databases.
            from pipeline.review import models as _review  # noqa: F401
            from pipeline.store import inbox_models  # noqa: F401
            from pipeline.store.models import Base

            with engine.begin() as connection:
                Base.metadata.create_all(connection)
                command.stamp(_config(connection), "head")
            return current(engine)
        if have is None and "documents" in tables:
            with engine.begin() as connection:
                command.stamp(_config(connection), BASELINE)
        if have != head() or revision != "head":
            with engine.begin() as connection:
                command.upgrade(_config(connection), revision)
    return current(engine)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.store.migrate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["upgrade", "current", "revision"])
    parser.add_argument("--db", help="database URL (default: PIPELINE_DB_URL / SQLite under out/)")
    parser.add_argument("-m", "--message", default="schema change")
    args = parser.parse_args(argv)
    from pipeline.settings import load_settings

    engine = create_engine(args.db or load_settings().db_url)
    if args.action == "upgrade":
        print(upgrade(engine))
    elif args.action == "current":
        print(current(engine))
    else:
        with engine.begin() as connection:
            command.revision(_config(connection), message=args.message, autogenerate=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
