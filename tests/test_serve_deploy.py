"""``serve`` runs the inbox on its schedule through a real Prefect server, and ``deploy``
registers the deployment with an existing Prefect server; ``--runner dask`` processes a batch
in Dask worker processes with the same outcomes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import PROJECT
from tests.test_inbox import clean_env as _env
from tests.test_inbox import make_inbox

pytestmark = pytest.mark.e2e


def test_serve_runs_on_schedule_then_status(tmp_path):
    inbox = make_inbox(tmp_path / "inbox", 2)
    env = _env(tmp_path)
    serve = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--inbox", str(inbox), "--interval", "5s"],
                             cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    lines = []
    try:
        deadline = time.monotonic() + 240
        for line in serve.stdout:
            lines.append(line)
            if line.startswith("2 files:") or time.monotonic() > deadline:
                break
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
    assert any(line.startswith("2 files: 2 new") for line in lines), lines
    status = subprocess.run([sys.executable, "-m", "pipeline", "status", "--json"], cwd=PROJECT, env=env,
                            capture_output=True, text=True, timeout=120)
    data = json.loads(status.stdout)
    assert data["runs"][-1]["new"] == 2 and data["runs"][-1]["status"] == "done"
    assert {d["doc_id"] for d in data["documents"]} == {"note_000", "note_001"}


def test_deploy_to_an_existing_server(tmp_path):
    from pipeline.inbox.server import local_server

    inbox = make_inbox(tmp_path / "inbox", 1)
    home = tmp_path / "prefect-home"
    home.mkdir()
    with local_server(home) as api_url:
        env = _env(tmp_path, PREFECT_API_URL=api_url)
        result = subprocess.run([sys.executable, "-m", "pipeline", "deploy", "--inbox", str(inbox), "--pool",
                                 "inbox-pool", "--cron", "*/10 * * * *"], cwd=PROJECT, env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        request = urllib.request.Request(f"{api_url}/deployments/name/inbox/inbox-inbox")
        with urllib.request.urlopen(request, timeout=10) as response:
            deployment = json.load(response)
    assert deployment["work_pool_name"] == "inbox-pool"
    assert deployment["parameters"]["inbox"] == str(inbox.resolve())
    assert deployment["schedules"][0]["schedule"]["cron"] == "*/10 * * * *"


def test_deploy_without_a_server_is_a_clear_error(tmp_path):
    inbox = make_inbox(tmp_path / "inbox", 1)
    result = subprocess.run([sys.executable, "-m", "pipeline", "deploy", "--inbox", str(inbox), "--pool", "p"],
                            cwd=PROJECT, env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "PREFECT_API_URL" in result.stderr


def test_dask_runner_two_workers(tmp_path):
    inbox = make_inbox(tmp_path / "inbox", 3)
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    result = subprocess.run([sys.executable, "-m", "pipeline", "inbox", str(inbox), "--runner", "dask",
                             "--workers", "2"], cwd=PROJECT, env=_env(tmp_path), capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "4 files: 3 new, 0 changed, 0 unchanged, 1 failed" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
