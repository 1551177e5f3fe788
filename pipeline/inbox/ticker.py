"""Runs a served deployment on its schedule from the serving process.

Prefect 3.8.8's scheduler service cannot insert scheduled runs with the pinned SQLAlchemy 2.1.9
(``InvalidRequestError: Can't evaluate bulk DML statement`` in
``prefect/server/models/deployments.py::_insert_scheduled_flow_runs``), so a served deployment
would never run. This ticker creates each run through the API (``create_flow_run_from_deployment``,
which works) at the schedule's times; the runner of ``flow.serve`` picks it up as usual. It
creates none while a run of the deployment is still scheduled, pending or running, so a
scheduler that works (a later Prefect) and the ticker never stack runs.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone


def next_times(interval: int | None, cron: str | None):
    """Seconds to wait before each run: the first at once, then by interval or cron."""
    yield 0.0
    if cron:
        from cronsim import CronSim

        while True:
            now = datetime.now(timezone.utc)
            following = next(CronSim(cron, now))
            yield max(0.0, (following - now).total_seconds())
    while True:
        yield float(interval or 60)


def _busy(client, deployment_id) -> bool:
    from prefect.client.schemas.filters import (
        DeploymentFilter, DeploymentFilterId, FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    runs = client.read_flow_runs(
        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
        flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(
            any_=[StateType.SCHEDULED, StateType.PENDING, StateType.RUNNING]))),
        sort=FlowRunSort.ID_DESC, limit=1)
    return bool(runs)


def tick(flow_name: str, deployment_name: str, interval: int | None, cron: str | None,
         stop: threading.Event) -> None:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        deployment = None
        while deployment is None and not stop.is_set():
            try:
                deployment = client.read_deployment_by_name(f"{flow_name}/{deployment_name}")
            except Exception:  # noqa: BLE001 — not registered yet
                stop.wait(1.0)
        for wait in next_times(interval, cron):
            if stop.wait(wait):
                return
            try:
                if not _busy(client, deployment.id):
                    client.create_flow_run_from_deployment(deployment.id)
            except Exception as error:  # noqa: BLE001 — server busy or restarting: next tick
                import sys

                print(f"inbox schedule: could not start a run: {error}", file=sys.stderr, flush=True)
                time.sleep(1.0)


def start(flow_name: str, deployment_name: str, interval: int | None, cron: str | None) -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=tick, args=(flow_name, deployment_name, interval, cron, stop),
                     name="inbox-ticker", daemon=True).start()
    return stop
