"""Command line: ``python -m pipeline <command>`` (also installed as ``pipeline``).

Commands:
  ingest PATH... --out DIR     PDFs/texts → structured documents (DIR/<doc>.txt, DIR/<doc>.json)
  extract PATH... --out DIR    ingest → NLP → triples + trial statistics (export contract files)
  evaluate --pred DIR --gold annotations/ --out REPORT_DIR
                               score predictions against the gold set; HTML + JSON + Markdown
  run                          the main job: extract the corpus (PDF and text), evaluate, report
  review [--host H] [--port P] the curator review web app (see README "Reviewing")
  users add NAME --role R      create a review account; the password is read from stdin
  export --curated --out DIR   the curated set: JSONL/CSV/Parquet and INDRA statement JSON
  evaluate --gold curated --out REPORT_DIR
                               score the extractor against the curators' decisions
  inbox DIR                    process the new and changed files of DIR once (run summary stored)
  serve --inbox DIR [--interval 60s | --cron "*/5 * * * *"]
                               serve a Prefect deployment that runs `inbox DIR` on a schedule
  deploy --inbox DIR --pool NAME [--interval | --cron]
                               register that deployment with an existing Prefect server
  status [--json]              last runs, counts per document, quarantine, leases
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.settings import load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pipeline", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="ingest PDFs, .txt and .md files")
    ingest.add_argument("paths", nargs="+", type=Path, help="files or folders")
    ingest.add_argument("--out", type=Path, required=True, help="folder for <doc>.txt and <doc>.json")
    ingest.add_argument("--db", help="database URL (default: SQLite under out/)")
    ingest.add_argument("--no-quarantine", action="store_true", help="record bad files but leave them in place")

    extract = commands.add_parser("extract", help="extract triples and trial statistics")
    extract.add_argument("paths", nargs="+", type=Path, help="files or folders")
    extract.add_argument("--out", type=Path, required=True, help="folder for the export files")
    extract.add_argument("--db", help="database URL (default: SQLite under out/)")
    extract.add_argument("--force", action="store_true", help="re-extract even unchanged documents")
    extract.add_argument("--no-quarantine", action="store_true", help="record bad files but leave them in place")

    evaluate = commands.add_parser("evaluate", help="score predictions against the gold set")
    evaluate.add_argument("--pred", type=Path, action="append", required=False,
                          help="folder with triples.jsonl/stats.jsonl; repeat, optionally LABEL=DIR")
    evaluate.add_argument("--gold", type=Path, default=None, help="gold folder (default: annotations/)")
    evaluate.add_argument("--out", type=Path, required=True, help="report folder")
    evaluate.add_argument("--db", help="database URL for the score history")

    run = commands.add_parser("run", help="main job: extract the corpus, evaluate, write the report")
    run.add_argument("--out", type=Path, default=None, help="output folder (default: out/)")
    run.add_argument("--force", action="store_true", help="re-extract even unchanged documents")

    from pipeline.review.cli import add_commands

    add_commands(commands)
    from pipeline.inbox.cli import add_commands as add_inbox_commands

    add_inbox_commands(commands)
    return parser


def _pred_dirs(values: list[Path]) -> dict[str, Path]:
    dirs = {}
    for value in values:
        label, sep, path = str(value).partition("=")
        dirs[label if sep else Path(label).name] = Path(path if sep else label)
    return dirs


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    settings = load_settings()
    if args.command in {"ingest", "extract", "run", "inbox", "serve", "deploy"}:
        from pipeline.prefect_env import configure_prefect

        configure_prefect(settings)  # before Prefect is imported: no telemetry, a home per run
    if args.command in {"inbox", "serve", "deploy", "status"}:
        from pipeline.inbox.cli import run_command

        return run_command(args, settings)
    if args.command == "ingest":
        from pipeline.flows.ingest import ingest_flow

        outcomes = ingest_flow([str(p) for p in args.paths], out_dir=str(args.out), db_url=args.db,
                               quarantine=not args.no_quarantine)
        _print_outcomes(outcomes)
        return 0
    if args.command == "extract":
        from pipeline.flows.extract import extract_flow

        from pipeline.inbox.work import DatabaseUnavailable

        try:
            summary = extract_flow([str(p) for p in args.paths], out_dir=str(args.out), db_url=args.db,
                                   force=args.force, quarantine=not args.no_quarantine)
        except DatabaseUnavailable as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        _print_outcomes(summary.outcomes)
        print(f"{summary.n_triples} triples, {summary.n_stats} trial statistics -> {summary.out_dir}")
        return 0
    if args.command == "evaluate" and str(args.gold) == "curated":
        from pipeline.review.cli import evaluate_curated_command

        return evaluate_curated_command(args, settings)
    if args.command == "evaluate" and not args.pred:
        print("evaluate: --pred is required (except with --gold curated)", file=sys.stderr)
        return 2
    if args.command == "evaluate":
        from pipeline.report.build import evaluate_and_report

        result = evaluate_and_report(_pred_dirs(args.pred), args.gold or settings.annotations_dir,
                                     args.out, db_url=args.db or settings.db_url)
        print(json.dumps(result.headline, indent=1))
        print(f"report: {result.index_html}")
        return 0
    if args.command == "run":
        from pipeline.flows.main import main_flow

        report = main_flow(out_dir=str(args.out or settings.out_dir), force=args.force)
        print(f"\nReport: {report}")
        return 0
    if args.command in ("review", "users", "export"):
        from pipeline.review.cli import run as run_review

        return run_review(args, settings)
    raise AssertionError(args.command)


def _print_outcomes(outcomes) -> None:
    failed = [o for o in outcomes if o.status == "failed"]
    print(f"{len(outcomes) - len(failed)} ok, {len(failed)} failed")
    for outcome in failed:
        where = f" (quarantined: {outcome.quarantined_to})" if outcome.quarantined_to else ""
        print(f"  {outcome.path}: {outcome.reason} [{outcome.error_code}]{where}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
