"""Alembic migrations: a database made by the previous release (``create_all`` of the baseline
schema, no ``alembic_version``) is upgraded in place and keeps every row; a fresh database gets
the whole schema; the models and the migrations agree (no pending autogenerate diff)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text


def make_previous_release_db(url: str) -> None:
    """The previous release's database: the baseline tables (as its ``create_all`` made them,
    without Alembic's table) with rows in each."""
    from pipeline.store import migrate

    engine = create_engine(url)
    migrate.upgrade(engine, migrate.BASELINE)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
        connection.execute(text(
            "INSERT INTO documents (key, doc_id, content_hash, source_path, source_type, document, ingested_at, extracted_at) "
            "VALUES ('d@abc', 'd', 'abc', '/x/d.txt', 'txt', '{\"doc_id\": \"d\"}', '2026-11-01 10:00:00', '2026-11-01 10:00:01')"))
        connection.execute(text(
            "INSERT INTO statements (id, doc_key, doc, combined_with, hedged, negated, evidence, rule, confidence) "
            "VALUES ('tri_1', 'd@abc', 'd', '[]', false, false, 'Rapamycin inhibits mTOR.', 'target-cue', 0.8)"))
        connection.execute(text(
            "INSERT INTO curation_decisions (statement_id, curator, decision, at) "
            "VALUES ('tri_1', 'ann', 'accept', '2026-11-02 09:00:00')"))
        connection.execute(text(
            "INSERT INTO ingest_failures (path, doc_id, code, reason, at) "
            "VALUES ('/x/bad.pdf', 'bad', 'corrupt', 'broken xref', '2026-11-01 10:00:00')"))
    assert "alembic_version" not in inspect(engine).get_table_names()
    engine.dispose()


def assert_upgrade_keeps_rows(url: str) -> None:
    from pipeline.store import migrate
    from pipeline.store import repository as repo

    make_previous_release_db(url)
    engine = repo.connect(url)  # what every command does first: migrate, then work
    assert migrate.current(engine) == migrate.head()
    tables = set(inspect(engine).get_table_names())
    assert {"document_leases", "inbox_files", "inbox_runs"} <= tables
    assert "traceback" in {c["name"] for c in inspect(engine).get_columns("ingest_failures")}
    assert [t.evidence for t in repo.statements(engine)] == ["Rapamycin inhibits mTOR."]
    assert [d.decision for d in repo.decisions(engine, "tri_1")] == ["accept"]
    failures = repo.failures(engine)
    assert [(f.code, f.reason, f.traceback) for f in failures] == [("corrupt", "broken xref", None)]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT doc_id FROM documents")).scalars().all() == ["d"]
    # the upgraded database works for new writes
    repo.add_decision(engine, "tri_1", "bob", "reject")
    assert len(repo.decisions(engine, "tri_1")) == 2


def test_previous_release_sqlite_upgrade_keeps_rows(tmp_path):
    assert_upgrade_keeps_rows(f"sqlite:///{tmp_path / 'old.sqlite'}")


def test_fresh_database_and_models_match_migrations(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import pipeline.review.models  # noqa: F401  (its tables are part of the schema)
    from pipeline.store import inbox_models  # noqa: F401
    from pipeline.store import migrate
    from pipeline.store.models import Base

    engine = create_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    assert migrate.upgrade(engine) == migrate.head() == "0003_review_source"
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == [], f"models changed without a migration: {diff}"


@pytest.mark.parametrize("target", ["0001_baseline"])
def test_downgrade_then_upgrade(tmp_path, target):
    from alembic import command

    from pipeline.store import migrate

    engine = create_engine(f"sqlite:///{tmp_path / 'down.sqlite'}")
    migrate.upgrade(engine)
    with engine.begin() as connection:
        command.downgrade(migrate._config(connection), target)
    assert "inbox_runs" not in inspect(engine).get_table_names()
    assert migrate.upgrade(engine) == migrate.head()
