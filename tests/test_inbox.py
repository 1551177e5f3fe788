"""Inbox ingestion on real SQLite databases (PostgreSQL: tests/test_postgres.py reuses the
helpers here): new/changed/unchanged by content hash, one storing transaction per document,
leases between workers, run summaries, ``status``, decisions carried over to a new version,
and every failure contained to its document.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import PROJECT

NOTE = """# Everolimus in neuroendocrine tumours {n}

## Results

Everolimus inhibits mTOR and reduced proliferation of pancreatic neuroendocrine tumor cells.
In a phase III trial of 410 patients, median progression-free survival was 11.0 months with
everolimus vs. 4.6 months with placebo (hazard ratio = 0.35; 95% CI, 0.27–0.45; p < 0.001).
Rapamycin is a common mTOR inhibitor.
"""


def clean_env(tmp_path: Path, **extra) -> dict[str, str]:
    """The environment of a CLI subprocess: no inherited Prefect settings, output under tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PIPELINE_OUT=str(tmp_path / "out"), **extra)
    return env


def make_inbox(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"note_{i:03d}.md").write_text(NOTE.format(n=i), encoding="utf-8")
    return folder


def _process(path, engine, owner="test-owner", quarantine_dir=None, **kw):
    from pipeline.inbox.work import process_file
    from pipeline.process import extractor_fingerprint

    return process_file(Path(path), engine, owner=owner, fingerprint=extractor_fingerprint(),
                        quarantine_dir=quarantine_dir, **kw)


@pytest.fixture()
def engine(tmp_path):
    from pipeline.store import repository as repo

    return repo.connect(f"sqlite:///{tmp_path / 'store.sqlite'}")


def test_scan_new_unchanged_changed(tmp_path, engine):
    from pipeline.inbox.flow import scan
    from pipeline.process import extractor_fingerprint

    inbox = make_inbox(tmp_path / "inbox", 3)
    fingerprint = extractor_fingerprint()
    assert [p.status for p in scan(inbox, engine, fingerprint)] == ["new"] * 3
    outcome = _process(inbox / "note_000.md", engine)
    assert outcome.status == "new" and outcome.n_statements > 0 and outcome.n_stats > 0
    statuses = {p.path.name: p.status for p in scan(inbox, engine, fingerprint)}
    assert statuses == {"note_000.md": "unchanged", "note_001.md": "new", "note_002.md": "new"}
    with open(inbox / "note_000.md", "a", encoding="utf-8") as handle:
        handle.write("\nSirolimus inhibits mTOR in osteosarcoma cells.\n")
    planned = {p.path.name: p for p in scan(inbox, engine, fingerprint)}
    assert planned["note_000.md"].status == "changed"
    assert planned["note_000.md"].previous_key == outcome.doc_key


def test_largest_files_are_processed_first(tmp_path, engine):
    from pipeline.inbox.flow import scan, work_order
    from pipeline.process import extractor_fingerprint

    inbox = make_inbox(tmp_path / "inbox", 3)
    (inbox / "note_001.md").write_text(NOTE.format(n=1) * 5, encoding="utf-8")
    (inbox / "note_002.md").write_text(NOTE.format(n=2) * 2, encoding="utf-8")
    _process(inbox / "note_000.md", engine)
    (inbox / "note_003.md").write_text("tiny", encoding="utf-8")
    order = [p.path.name for p in work_order(scan(inbox, engine, extractor_fingerprint()))]
    assert order == ["note_001.md", "note_002.md", "note_003.md"]  # note_000 is unchanged


def test_changed_file_is_a_new_version_and_decisions_carry_over(tmp_path, engine):
    from pipeline.inbox.status import carried_decisions, collect
    from pipeline.store import repository as repo
    from pipeline.store.inbox_models import InboxFileRow

    inbox = make_inbox(tmp_path / "inbox", 1)
    path = inbox / "note_000.md"
    first = _process(path, engine)
    old = repo.statements(engine, doc_keys=[first.doc_key])
    kept = next(t for t in old if t.drug == "everolimus")
    repo.add_decision(engine, kept.id, "curator-a", "accept")
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\nSirolimus inhibits mTOR in osteosarcoma cells.\n")
    second = _process(path, engine, previous_key=first.doc_key)
    assert second.status == "changed" and second.doc_key != first.doc_key
    new = repo.statements(engine, doc_keys=[second.doc_key])
    assert kept.id in {t.id for t in new}  # the surviving statement keeps its stable id
    assert len(new) > len(old)  # and the added sentence brought new ones
    assert carried_decisions(engine, second.doc_key) == 1
    with Session(engine) as session:
        entry = session.get(InboxFileRow, str(path.resolve()))
        assert (entry.doc_key, entry.previous_key, entry.status) == (second.doc_key, first.doc_key, "changed")
    data = collect(engine, tmp_path / "quarantine")
    assert data["documents"][0]["decisions"] == 1
    # both versions stay stored: the old one is history, not overwritten
    assert repo.statements(engine, doc_keys=[first.doc_key])


def test_unexpected_exception_is_that_documents_failure(tmp_path, engine, monkeypatch, capfd):
    """Fault injection: the triple extractor raises on one document. The failure record holds the
    traceback; nothing reaches the console; the next document is processed."""
    import pipeline.relations as relations
    from pipeline.store import repository as repo

    real = relations.extract_triples

    def poisoned(annotated):
        if annotated.doc.doc_id == "note_000":
            raise ZeroDivisionError("injected fault in extraction")
        return real(annotated)

    monkeypatch.setattr(relations, "extract_triples", poisoned)
    inbox = make_inbox(tmp_path / "inbox", 2)
    bad = _process(inbox / "note_000.md", engine)
    good = _process(inbox / "note_001.md", engine)
    assert bad.status == "failed" and bad.error_code == "internal_error"
    assert "ZeroDivisionError" in bad.reason
    assert good.status == "new" and good.n_statements > 0
    failure = repo.failures(engine)[-1]
    assert failure.code == "internal_error" and "injected fault in extraction" in failure.traceback
    assert "Traceback (most recent call last)" in failure.traceback
    captured = capfd.readouterr()
    assert "Traceback" not in captured.out + captured.err
    # nothing half-written for the failed document, and its lease is free again
    with Session(engine) as session:
        from pipeline.store.inbox_models import DocumentLeaseRow
        from pipeline.store.models import DocumentRow

        assert session.get(DocumentRow, bad.doc_key) is None
        assert session.get(DocumentLeaseRow, bad.doc_key).owner is None


def test_unwritable_quarantine_is_reported_and_batch_goes_on(tmp_path, engine):
    from pipeline.store import repository as repo

    inbox = make_inbox(tmp_path / "inbox", 1)
    (inbox / "broken.pdf").write_bytes(b"not a pdf at all")
    blocker = tmp_path / "file"
    blocker.write_text("a file where the quarantine folder's parent should be")
    quarantine_dir = blocker / "quarantine"  # mkdir fails even for root
    bad = _process(inbox / "broken.pdf", engine, quarantine_dir=quarantine_dir)
    good = _process(inbox / "note_000.md", engine, quarantine_dir=quarantine_dir)
    assert bad.status == "failed" and bad.error_code == "not_a_pdf"
    assert bad.quarantined_to is None and "not writable" in bad.quarantine_error
    assert (inbox / "broken.pdf").exists()  # left in place, nothing lost
    assert "not writable" in repo.failures(engine)[-1].reason
    assert good.status == "new"


def assert_two_workers_never_share(db_url: str) -> None:
    """Lease semantics on one database: a held lease is not taken; an expired one is; a lease of
    a dead process on this machine is taken over at once."""
    from pipeline.store import leases
    from pipeline.store import repository as repo

    engine = repo.connect(db_url)
    assert leases.acquire(engine, "doc@1", "host:1:a", 60)
    assert not leases.acquire(engine, "doc@1", "other:2:b", 60)
    assert leases.acquire(engine, "doc@1", "host:1:a", 60)  # re-entrant for its holder
    assert leases.acquire(engine, "doc@2", "other:2:b", -1)  # expired at once
    assert leases.acquire(engine, "doc@2", "host:1:a", 60)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    ghost = f"{leases.new_owner().split(':')[0]}:{dead}:x"
    assert leases.acquire(engine, "doc@3", ghost, 600)
    assert leases.acquire(engine, "doc@3", leases.new_owner(), 60)  # holder's process is gone
    # many threads racing for one lease: exactly one wins
    wins = []

    def race(i):
        if leases.acquire(engine, "doc@race", f"other:{i}:r", 60):
            wins.append(i)

    threads = [threading.Thread(target=race, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1


def test_leases_sqlite(tmp_path):
    assert_two_workers_never_share(f"sqlite:///{tmp_path / 'leases.sqlite'}")


WORKER = """
import sys
from pathlib import Path
from pipeline.inbox.work import process_file
from pipeline.process import extractor_fingerprint
from pipeline.store import repository as repo
from pipeline.store.leases import new_owner
engine = repo.connect(sys.argv[1])
owner, fp = new_owner(), extractor_fingerprint()
for path in sorted(Path(sys.argv[2]).glob("*.md")):
    print(process_file(path, engine, owner=owner, fingerprint=fp, quarantine_dir=None).status, flush=True)
"""


def run_two_workers_and_check(db_url: str, tmp_path: Path) -> None:
    """Two worker processes over the same inbox at once: each document is stored once, every
    document is stored, and the two split the work (one's 'new' is the other's skipped/unchanged)."""
    from pipeline.store import repository as repo
    from pipeline.store.models import DocumentRow, StatementRow

    inbox = make_inbox(tmp_path / "inbox2", 8)
    env = dict(os.environ, PIPELINE_OUT=str(tmp_path / "out"))
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, db_url, str(inbox)], cwd=PROJECT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [w.communicate(timeout=600) for w in workers]
    assert all(w.returncode == 0 for w in workers), [r[1][-2000:] for r in results]
    statuses = [r[0].split() for r in results]
    assert sum(s.count("new") for s in statuses) == 8  # each document processed exactly once
    engine = repo.connect(db_url)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(DocumentRow)) == 8
        per_doc = session.execute(select(StatementRow.doc_key, func.count()).group_by(StatementRow.doc_key)).all()
    assert len(per_doc) == 8 and len({n for _, n in per_doc}) == 1  # same text → same count each


def test_status_json_after_a_run(tmp_path, engine):
    from pipeline.inbox.flow import InboxSummary, _write_run
    from pipeline.inbox.status import collect, render, to_json

    inbox = make_inbox(tmp_path / "inbox", 1)
    outcome = _process(inbox / "note_000.md", engine, run_id="inbox-test")
    summary = InboxSummary(run_id="inbox-test", inbox=str(inbox), files_seen=1, new=1,
                           statements=outcome.n_statements, stats=outcome.n_stats, duration_s=1.5)
    _write_run(engine, summary, "thread", "done")
    data = json.loads(to_json(collect(engine, tmp_path / "q")))
    assert data["runs"][0]["new"] == 1 and data["runs"][0]["status"] == "done"
    assert data["runs"][0]["statements"] == outcome.n_statements
    assert data["documents"][0]["statements"] == outcome.n_statements
    assert "note_000" in render(data)


def test_progress_one_line_per_document_and_a_bar():
    import io

    from pipeline.inbox.progress import Progress
    from pipeline.inbox.work import DocOutcome

    out = io.StringIO()
    progress = Progress(out=out, bar=False)
    progress.start(2, "inbox: 2 files, 2 to process, 0 unchanged")
    progress.document(DocOutcome(path="/i/a.pdf", doc_id="a", status="new", n_pages=12, n_statements=5,
                                 n_stats=2, seconds=1.25))
    progress.document(DocOutcome(path="/i/b.pdf", doc_id="b", status="failed", error_code="corrupt",
                                 reason="broken xref", quarantine_error="quarantine folder /q not writable"))
    progress.finish("2 files: 1 new")
    lines = out.getvalue().splitlines()
    assert lines == ["inbox: 2 files, 2 to process, 0 unchanged",
                     "[1/2] a new, 12 pages, 5 statements, 2 statistics (1.2s)",
                     "[2/2] /i/b.pdf FAILED [corrupt] broken xref (quarantine: not moved; "
                     "quarantine folder /q not writable)",
                     "2 files: 1 new"]
    assert (progress.pages, progress.failures) == (12, 1)
    bar = Progress(out=io.StringIO(), bar=True)  # the rich bar: docs, pages, failures, ETA
    bar.start(1, "x")
    assert bar._bar is not None
    bar.document(DocOutcome(path="/i/a.pdf", doc_id="a", status="new", n_pages=3))
    bar.finish("done")
    assert bar._bar is None and bar.pages == 3
