"""A Prefect server of this run's own, for ``serve`` without ``PREFECT_API_URL``.

Prefect's ephemeral in-process API does not run the scheduler service, so a served deployment
would never get a scheduled run. ``serve`` therefore starts ``prefect server start`` on a free
loopback port, with the run's own Prefect home (its database under ``out/prefect/``), and stops
it on exit. With ``PREFECT_API_URL`` set, that server is used instead.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def local_server(home: Path, timeout: float = 120.0):
    """Start a Prefect server, yield its API URL, stop it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    log = open(home / "server.log", "ab")
    env = dict(os.environ, PREFECT_HOME=str(home))
    # schedule runs soon after a deployment appears (the default loop is 60 s)
    env.setdefault("PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS", "5")
    env.pop("PREFECT_API_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the Prefect server stopped at start; see {home / 'server.log'}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Prefect server did not answer in {timeout:.0f}s; see {home / 'server.log'}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
