"""Unattended runs through the real CLI, real Prefect and a real SQLite store:
two runs started at once print no traceback (a Prefect home per run, telemetry off), and a
worker killed with ``kill -9`` mid-batch is finished by the next run with no duplicate and no
lost document."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import PROJECT
from tests.test_inbox import clean_env as _env
from tests.test_inbox import make_inbox

pytestmark = pytest.mark.e2e


def test_two_runs_at_once_print_no_traceback(tmp_path):
    inbox = make_inbox(tmp_path / "inbox", 2)
    env = _env(tmp_path)
    runs = [subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(inbox), "--out",
                              str(tmp_path / f"export{i}")], cwd=PROJECT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(2)]
    results = [r.communicate(timeout=600) for r in runs]
    for run, (out, err) in zip(runs, results):
        assert run.returncode == 0, err[-3000:]
        for bad in ("Traceback", "database is locked", "telemetry", "ERROR"):
            assert bad not in out + err, (bad, err[-3000:])
        assert "2 ok, 0 failed" in out
    homes = list((tmp_path / "out" / "prefect").iterdir())
    assert len(homes) == 2 and all((h / "prefect.db").exists() for h in homes)  # one home per run


def test_configure_prefect_turns_telemetry_off_and_respects_the_user(tmp_path):
    from pipeline.prefect_env import configure_prefect
    from pipeline.settings import load_settings

    env = {"PREFECT_SERVER_ANALYTICS_ENABLED": "true"}
    os.environ["PIPELINE_OUT"] = str(tmp_path)
    try:
        home = configure_prefect(load_settings(), env)
        other = configure_prefect(load_settings(), dict(env))
    finally:
        del os.environ["PIPELINE_OUT"]
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "true"  # set by the user: kept
    assert env["DO_NOT_TRACK"] == "1" and env["PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY"] == "false"
    assert home != other and home.parent == tmp_path / "prefect"
    assert env["PREFECT_HOME"] == str(home)


def test_kill_9_mid_batch_then_rerun_completes(tmp_path):
    from pipeline.store import repository as repo
    from pipeline.store.inbox_models import DocumentLeaseRow, InboxFileRow
    from pipeline.store.models import DocumentRow, StatementRow

    inbox = make_inbox(tmp_path / "inbox", 10)
    env = _env(tmp_path)
    worker = subprocess.Popen([sys.executable, "-m", "pipeline", "inbox", str(inbox)], cwd=PROJECT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    seen = []
    for line in worker.stdout:
        seen.append(line)
        if line.startswith("[3/"):
            os.killpg(worker.pid, signal.SIGKILL)  # the worker and its Prefect server, no cleanup
            break
    worker.wait(timeout=60)
    assert worker.returncode == -signal.SIGKILL, seen
    engine = repo.connect(f"sqlite:///{tmp_path / 'out' / 'pipeline.sqlite'}")
    with Session(engine) as session:
        stored_before = session.scalar(select(func.count()).select_from(DocumentRow))
    assert 3 <= stored_before < 10
    rerun = subprocess.run([sys.executable, "-m", "pipeline", "inbox", str(inbox)], cwd=PROJECT, env=env,
                           capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert f"{stored_before} unchanged" in rerun.stdout and "0 failed" in rerun.stdout
    assert "0 skipped" in rerun.stdout  # the dead worker's lease was taken over, not waited for
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(DocumentRow)) == 10
        assert session.scalar(select(func.count()).select_from(InboxFileRow)) == 10
        per_doc = session.execute(select(StatementRow.doc_key, func.count()).group_by(StatementRow.doc_key)).all()
        assert session.scalar(select(func.count()).select_from(DocumentLeaseRow)
                              .where(DocumentLeaseRow.owner.is_not(None))) == 0
    assert len(per_doc) == 10 and len({n for _, n in per_doc}) == 1  # same text: same statements each
