"""Prepare the environment Prefect reads, before Prefect is imported.

Two things the CLI does for every command that runs a flow:

* telemetry and analytics off unless the user turned them on (a machine without internet
  otherwise logs ``Failed to send telemetry`` on every run);
* a Prefect home of its own per run, under ``<out>/prefect/`` — the ephemeral server's SQLite
  database lives there, so two runs started at once do not lock each other's database. When
  ``PREFECT_API_URL`` names a server, that server is used and the home is left alone.

Console output of Prefect's own loggers is quiet (``CRITICAL``) unless set: flow and task logs
still go to the Prefect API (the UI shows them); the CLI prints one line per document itself.

Only environment variables are written here; nothing is read except through ``Settings``.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timezone
from pathlib import Path

from pipeline.settings import Settings

# Defaults that switch off everything that phones home; a value the user set wins.
QUIET_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS": "false",
    "DO_NOT_TRACK": "1",
    # flow/task logs go to the API; the console shows the CLI's own lines
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_RUNNER_POLL_FREQUENCY": "5",  # a served deployment picks up its scheduled run soon
}


current_home: Path | None = None  # the home configure_prefect made for this process


def run_home(settings: Settings) -> Path:
    """A new, unique Prefect home for one run: ``<out>/prefect/<utc time>-<pid>-<random>``."""
    if settings.prefect_home is not None:
        return settings.prefect_home
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    return settings.out_dir / "prefect" / f"{stamp}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def configure_prefect(settings: Settings, environ: dict | None = None) -> Path | None:
    """Write the Prefect variables into ``environ`` (default ``os.environ``).

    Returns the per-run Prefect home, or None when an existing server is used.
    """
    env = os.environ if environ is None else environ
    for key, value in QUIET_DEFAULTS.items():
        env.setdefault(key, value)
    if settings.prefect_api_url:
        return None
    home = run_home(settings)
    home.mkdir(parents=True, exist_ok=True)
    global current_home
    current_home = home
    env["PREFECT_HOME"] = str(home)
    env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = f"sqlite+aiosqlite:///{home / 'prefect.db'}"
    return home
