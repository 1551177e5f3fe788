"""Command-line entry points of the review app (wired into ``python -m pipeline``)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path


def add_commands(commands) -> None:
    """Add ``review``, ``users`` and ``export`` to the pipeline's sub-command parser."""
    review = commands.add_parser("review", help="the curator review web app")
    review.add_argument("--host", default="127.0.0.1")
    review.add_argument("--port", type=int, default=8000)
    review.add_argument("--db", help="database URL (default: PIPELINE_DB_URL or SQLite under out/)")
    review.add_argument("--secure-cookies", action="store_true", help="mark cookies Secure (behind HTTPS)")

    users = commands.add_parser("users", help="manage review accounts")
    users_cmd = users.add_subparsers(dest="users_command", required=True)
    add = users_cmd.add_parser("add", help="create a user or reset its password; the password is read from stdin")
    add.add_argument("name")
    add.add_argument("--role", choices=["curator", "admin"], required=True)
    add.add_argument("--db", help="database URL")
    listing = users_cmd.add_parser("list", help="list users")
    listing.add_argument("--db", help="database URL")

    export = commands.add_parser("export", help="write the curated set (accepted, edited, added statements)")
    export.add_argument("--curated", action="store_true", required=True,
                        help="export the curators' decisions (the only export so far)")
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--db", help="database URL")


def run(args, settings) -> int:
    from pipeline.review.service import ReviewService

    db_url = getattr(args, "db", None) or settings.db_url
    if args.command == "review":
        import uvicorn

        from pipeline.review.app import AppConfig, create_app

        app = create_app(AppConfig(db_url=db_url, cache_dir=settings.out_dir / "review-cache",
                                   secure_cookies=args.secure_cookies))
        uvicorn.run(app, host=args.host, port=args.port, log_level="info")
        return 0
    service = ReviewService(db_url)
    if args.command == "users":
        from pipeline.review import auth

        if args.users_command == "list":
            for user in auth.list_users(service):
                print(f"{user['username']}\t{user['role']}")
            return 0
        password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\r\n")
        try:
            auth.add_user(service, args.name, password, args.role)
        except auth.AccountError as exc:
            print(f"users add: {exc}", file=sys.stderr)
            return 2
        print(f"user {args.name} ({args.role}) saved")
        return 0
    if args.command == "export":
        from pipeline.review.curated import export_curated

        print(json.dumps(export_curated(service, args.out), indent=1))
        return 0
    raise AssertionError(args.command)


def evaluate_curated_command(args, settings) -> int:
    from pipeline.review.curated import evaluate_curated, write_evaluation
    from pipeline.review.service import ReviewService

    result = evaluate_curated(ReviewService(args.db or settings.db_url))
    paths = write_evaluation(result, args.out)
    print(json.dumps(result["overall"], indent=1))
    print("report: " + ", ".join(str(p) for p in paths))
    return 0
