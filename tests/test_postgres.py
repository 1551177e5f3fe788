"""The store on a real PostgreSQL server started by the tests (initdb + pg_ctl): migrations from
the previous release's schema without data loss, leases with SKIP LOCKED between two workers,
and a database that drops in the middle of a run.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import PROJECT
from tests.pg_server import PostgresServer, pg_bin

pytestmark = pytest.mark.postgres

_names = itertools.count()


@pytest.fixture(scope="module")
def pg():
    if not (pg_bin("initdb") and pg_bin("pg_ctl")):
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL binaries (initdb, pg_ctl) missing: .ci/run installs postgresql")
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not installed")
    server = PostgresServer()
    server.init()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture()
def pg_url(pg):
    return pg.create_db(f"t{os.getpid()}_{next(_names)}")


def test_migration_from_previous_release_keeps_rows(pg_url):
    from tests.test_migrations import assert_upgrade_keeps_rows

    assert_upgrade_keeps_rows(pg_url)


def test_leases_skip_locked_two_workers(pg_url):
    from tests.test_inbox import assert_two_workers_never_share

    assert_two_workers_never_share(pg_url)


def test_two_processes_store_each_document_once(pg_url, tmp_path):
    from tests.test_inbox import run_two_workers_and_check

    run_two_workers_and_check(pg_url, tmp_path)


def test_database_drops_mid_run(pg, tmp_path):
    """The server stops while a batch runs: bounded retries, then a clear error (no traceback);
    every stored document is complete; after a restart the next run finishes the batch."""
    from sqlalchemy import create_engine, text

    from tests.test_inbox import make_inbox

    url = pg.create_db(f"drop{os.getpid()}")
    inbox = make_inbox(tmp_path / "inbox", 12)
    env = dict(os.environ, PIPELINE_OUT=str(tmp_path / "out"), PIPELINE_DB_URL=url,
               PIPELINE_DB_RETRIES="2", PIPELINE_DB_RETRY_DELAY="0.2")
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "inbox", str(inbox)], cwd=PROJECT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("[2/"):
            pg.stop("immediate")
            break
    out, err = process.communicate(timeout=300)
    lines.append(out)
    pg.start()
    assert process.returncode == 2, (lines, err)
    assert "unreachable" in err and "Traceback" not in err, err
    engine = create_engine(url)
    with engine.connect() as connection:
        # every document row is complete: extracted, with its inbox entry (one transaction)
        incomplete = connection.execute(text(
            "SELECT count(*) FROM documents d LEFT JOIN inbox_files f ON f.doc_key = d.key "
            "WHERE d.extracted_at IS NULL OR f.path IS NULL")).scalar()
        stored = connection.execute(text("SELECT count(*) FROM documents")).scalar()
    assert incomplete == 0 and 2 <= stored < 12
    engine.dispose()
    done = subprocess.run([sys.executable, "-m", "pipeline", "inbox", str(inbox)], cwd=PROJECT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    engine = create_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM documents")).scalar() == 12
        assert connection.execute(text(
            "SELECT count(*) FROM (SELECT id FROM statements GROUP BY id HAVING count(*) > 1) d")).scalar() == 0
    engine.dispose()


def test_unreachable_at_start_is_a_clear_error(tmp_path):
    from tests.pg_server import _free_port

    env = dict(os.environ, PIPELINE_OUT=str(tmp_path / "out"), PIPELINE_DB_RETRIES="2",
               PIPELINE_DB_RETRY_DELAY="0.1",
               PIPELINE_DB_URL=f"postgresql+psycopg://pipeline@127.0.0.1:{_free_port()}/none")
    (tmp_path / "inbox").mkdir()
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "pipeline", "inbox", str(tmp_path / "inbox")],
                            cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "unreachable after 2 attempt(s)" in result.stderr and "Traceback" not in result.stderr
    assert time.monotonic() - started < 60
