"""The ``extract`` flow: ingest → NLP → triples and trial statistics → store → export files."""

from __future__ import annotations

import json
import time
from pathlib import Path

from prefect import flow, get_run_logger, task
from pydantic import BaseModel

from pipeline.export import write_exports
from pipeline.flows.ingest import is_transient_io, log_outcome
from pipeline.ingest.batch import IngestOutcome, expand_inputs, ingest_one
from pipeline.process import extract, extractor_fingerprint
from pipeline.settings import load_settings
from pipeline.store import repository as repo


class ExtractSummary(BaseModel):
    """What an extract run produced, for the CLI and the main job."""

    out_dir: str
    outcomes: list[IngestOutcome]
    n_triples: int
    n_stats: int
    files: list[str]


@task(retries=2, retry_delay_seconds=2, retry_condition_fn=is_transient_io,
      task_run_name="extract {path.name}")
def extract_task(path: Path, db_url: str, quarantine_dir: Path | None, force: bool) -> IngestOutcome:
    """Ingest and extract one document, unless this content was extracted by this extractor."""
    engine = repo.connect(db_url)
    outcome, document = ingest_one(path, engine, quarantine_dir)
    if document is None:
        return outcome
    fingerprint = extractor_fingerprint()
    if force or not repo.is_extracted(engine, document.doc_id, document.content_hash, fingerprint):
        result = extract(document)
        repo.save_extraction(engine, outcome.doc_key, result.mentions, result.triples, result.stats,
                             fingerprint)
    return outcome


@flow(name="extract")
def extract_flow(paths: list[str], out_dir: str, db_url: str | None = None, force: bool = False,
                 quarantine: bool = True) -> ExtractSummary:
    """Extract triples and trial statistics from files/folders and write the export files."""
    from pipeline.relations.assemble import assemble

    settings = load_settings()
    logger = get_run_logger()
    db_url = db_url or settings.db_url
    files = expand_inputs([Path(p) for p in paths])
    outcomes = []
    for index, path in enumerate(files, 1):
        started = time.perf_counter()
        outcome = extract_task(path, db_url, settings.quarantine_dir if quarantine else None, force)
        log_outcome(logger, index, len(files), outcome, time.perf_counter() - started)
        outcomes.append(outcome)
    engine = repo.connect(db_url)
    keys = [o.doc_key for o in outcomes if o.doc_key]
    triples = repo.statements(engine, doc_keys=keys)
    stats = repo.trial_stats(engine, doc_keys=keys)
    out = Path(out_dir)
    written = write_exports(out, triples, stats, assemble(triples))
    written += _write_tables(engine, outcomes, out)
    failures = out / "failures.jsonl"
    failures.write_text("".join(o.model_dump_json() + "\n" for o in outcomes if o.status == "failed"))
    logger.info("%d document(s), %d triple(s), %d trial statistic(s) -> %s", len(keys), len(triples),
                len(stats), out)
    return ExtractSummary(out_dir=str(out), outcomes=outcomes, n_triples=len(triples),
                          n_stats=len(stats), files=[str(p) for p in written + [failures]])


def _write_tables(engine, outcomes: list[IngestOutcome], out: Path) -> list[Path]:
    """Each extracted document's tables as ``out/tables/<doc>.table<N>.csv``."""
    from pipeline.ingest.table_export import write_table_csvs

    written: list[Path] = []
    for outcome in outcomes:
        if not outcome.doc_key or not outcome.content_hash:
            continue
        document = repo.find_document(engine, outcome.doc_id, outcome.content_hash)
        if document is not None:
            written += write_table_csvs(document, out)
    return written
