"""The inbox commands of ``python -m pipeline``: inbox, serve, deploy, status."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from pipeline.settings import PROJECT_ROOT, Settings


def parse_interval(value: str) -> int:
    """``60``, ``60s``, ``5m``, ``1h`` → seconds."""
    match = re.fullmatch(r"\s*(\d+)\s*([smh]?)\s*", value)
    if not match:
        raise argparse.ArgumentTypeError(f"interval {value!r}: expected e.g. 60s, 5m or 1h")
    return int(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


def _run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="database URL (default: PIPELINE_DB_URL / SQLite under out/)")
    parser.add_argument("--runner", choices=("thread", "dask"), default="thread",
                        help="task runner: threads in this process, or Dask worker processes")
    parser.add_argument("--workers", type=int, default=1, help="parallel documents (threads or Dask workers)")
    parser.add_argument("--dask-address", help="an existing Dask scheduler (implies --runner dask)")
    parser.add_argument("--no-quarantine", action="store_true", help="record bad files but leave them in place")
    parser.add_argument("--force", action="store_true", help="re-process unchanged files too")


def _schedule_options(parser: argparse.ArgumentParser) -> None:
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--interval", type=parse_interval, default=None, help="e.g. 60s, 5m (default 60s)")
    when.add_argument("--cron", help='cron schedule, e.g. "*/5 * * * *"')
    parser.add_argument("--name", default=None, help="deployment name (default: inbox-<folder>)")


def add_commands(commands) -> None:
    inbox = commands.add_parser("inbox", help="process the new and changed files of an inbox once")
    inbox.add_argument("inbox", type=Path, help="the inbox folder")
    _run_options(inbox)

    serve = commands.add_parser("serve", help="serve a scheduled Prefect deployment of the inbox flow")
    serve.add_argument("--inbox", type=Path, required=True, help="the folder to watch")
    _run_options(serve)
    _schedule_options(serve)

    deploy = commands.add_parser("deploy", help="register the inbox deployment with an existing Prefect server")
    deploy.add_argument("--inbox", type=Path, required=True, help="the folder to watch")
    deploy.add_argument("--pool", required=True, help="work pool name (a 'process' pool; created if missing)")
    _run_options(deploy)
    _schedule_options(deploy)

    status = commands.add_parser("status", help="last runs, counts per document, quarantine")
    status.add_argument("--db", help="database URL")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.add_argument("--runs", type=int, default=10, help="how many runs to show")


def _parameters(args, settings: Settings) -> dict:
    return {"inbox": str(args.inbox.resolve()), "db_url": args.db or settings.db_url,
            "quarantine": not args.no_quarantine, "force": args.force,
            "runner": "dask" if (args.runner == "dask" or args.dask_address) else "thread"}


def _schedule(args) -> dict:
    if args.cron:
        return {"cron": args.cron}
    return {"interval": args.interval or 60}


def run_command(args, settings: Settings) -> int:
    from pipeline.inbox.work import DatabaseUnavailable

    try:
        return _dispatch(args, settings)
    except DatabaseUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _dispatch(args, settings: Settings) -> int:
    if args.command == "status":
        from pipeline.inbox import status
        from pipeline.inbox.flow import connect

        data = status.collect(connect(args.db or settings.db_url, settings), settings.quarantine_dir, args.runs)
        print(status.to_json(data) if args.json else status.render(data))
        return 0
    if not args.inbox.is_dir():
        print(f"error: inbox {args.inbox} is not a folder", file=sys.stderr)
        return 2
    if args.command == "serve" and not settings.prefect_api_url:
        # Prefect's in-process server has no scheduler: start a real one (own home, loopback
        # port) and point Prefect at it before Prefect is imported.
        import os

        from pipeline import prefect_env
        from pipeline.inbox.server import local_server

        home = prefect_env.current_home or prefect_env.run_home(settings)
        home.mkdir(parents=True, exist_ok=True)
        with local_server(home) as api_url:
            os.environ["PREFECT_API_URL"] = api_url
            return _dispatch_flows(args, settings, api_url)
    return _dispatch_flows(args, settings, settings.prefect_api_url)


def _dispatch_flows(args, settings: Settings, _api_url: str | None) -> int:
    from pipeline.inbox.flow import inbox_flow, run_inbox, task_runner
    from pipeline.inbox.progress import Progress, install

    if args.command in {"inbox", "serve"}:
        from pipeline.inbox.flow import connect

        connect(args.db or settings.db_url, settings)  # a clear error before Prefect starts
    if args.command == "inbox":
        install(Progress())
        summary = run_inbox(str(args.inbox), db_url=args.db, quarantine=not args.no_quarantine,
                            force=args.force, runner=args.runner, workers=args.workers,
                            dask_address=args.dask_address)
        return 1 if summary.failed and summary.failed == summary.files_seen - summary.unchanged else 0
    name = args.name or f"inbox-{args.inbox.resolve().name}"
    runnable = inbox_flow.with_options(task_runner=task_runner(args.runner, args.workers, args.dask_address))
    if args.command == "serve":
        return _serve(args, settings, runnable, name, _api_url)
    if args.command == "deploy":
        return _deploy(args, settings, name)
    raise AssertionError(args.command)


def _serve(args, settings: Settings, runnable, name: str, api_url: str) -> int:
    print(f"serving deployment inbox/{name} on {args.inbox} every "
          f"{args.cron or f'{args.interval or 60}s'}; Prefect API {api_url}; Ctrl-C stops", flush=True)
    from pipeline.inbox import ticker

    schedule = _schedule(args)
    stop = ticker.start(runnable.name, name, schedule.get("interval"), schedule.get("cron"))
    try:
        runnable.serve(name=name, parameters=_parameters(args, settings),
                       print_starting_message=False, **schedule)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
    return 0


def _deploy(args, settings: Settings, name: str) -> int:
    if not settings.prefect_api_url:
        print("error: deploy needs an existing Prefect server: set PREFECT_API_URL "
              "(e.g. http://127.0.0.1:4200/api); for a server of its own use `serve`", file=sys.stderr)
        return 2
    from prefect import flow as prefect_flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists

    with get_client(sync_client=True) as client:
        try:
            client.create_work_pool(WorkPoolCreate(name=args.pool, type="process"))
        except ObjectAlreadyExists:
            pass
    source = prefect_flow.from_source(source=str(PROJECT_ROOT), entrypoint="pipeline/inbox/flow.py:inbox_flow")
    # ``RunnerDeployment.apply`` rather than ``flow.deploy``: the latter then lists the pool's
    # workers with a request Prefect 3.8.8's own server rejects (422 on limit/offset None).
    deployment = source.to_deployment(name=name, work_pool_name=args.pool,
                                      parameters=_parameters(args, settings), **_schedule(args))
    deployment_id = deployment.apply(work_pool_name=args.pool)
    print(f"deployed inbox/{name} ({deployment_id}) to work pool {args.pool!r}; start a worker with:\n"
          f"  prefect worker start --pool {args.pool}")
    return 0
