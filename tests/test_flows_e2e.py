"""End to end through a real Prefect flow run and a real SQLite database.

One batch holds a rendered PDF, a Markdown file and a corrupt "PDF": the good files are
ingested and extracted, the bad one is quarantined with a note, the batch completes, the export
contract files are written, and a second run over the same files does no new work.
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from pipeline.export import STAT_FIELDS, TRIPLE_FIELDS
from tests.conftest import PROJECT

pytestmark = pytest.mark.e2e

MARKDOWN = """# Everolimus in neuroendocrine tumours

## Results

Everolimus inhibits mTOR and reduced proliferation of pancreatic neuroendocrine tumor cells.
In a phase III trial of 410 patients, median progression-free survival was 11.0 months with
everolimus vs. 4.6 months with placebo (hazard ratio = 0.35; 95% CI, 0.27–0.45; p < 0.001).
"""


@pytest.fixture()
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(PROJECT / "corpus" / "pdf" / "000_3d1899da889077ad.pdf", folder)
    (folder / "note_everolimus.md").write_text(MARKDOWN, encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    return folder


def test_extract_flow_batch_with_bad_input(prefect_server, inbox, tmp_path, monkeypatch):
    from pipeline.flows.extract import extract_flow
    from pipeline.store import repository as repo

    db_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("PIPELINE_QUARANTINE", str(tmp_path / "quarantine"))
    out = tmp_path / "out"

    summary = extract_flow([str(inbox)], out_dir=str(out), db_url=db_url)

    status = {o.doc_id: o.status for o in summary.outcomes}
    assert status == {"000_3d1899da889077ad": "ingested", "broken": "failed",
                      "note_everolimus": "ingested"}
    failed = next(o for o in summary.outcomes if o.status == "failed")
    assert "broken.pdf" in failed.path and failed.reason
    assert (tmp_path / "quarantine" / "broken.pdf").exists()
    note = json.loads((tmp_path / "quarantine" / "broken.pdf.error.json").read_text())
    assert note["code"] == failed.error_code
    assert not (inbox / "broken.pdf").exists()  # moved, not copied: nothing lost, nothing retried
    assert [f.code for f in repo.failures(repo.connect(db_url))] == [failed.error_code]

    triples = [json.loads(line) for line in (out / "triples.jsonl").read_text().splitlines()]
    stats = [json.loads(line) for line in (out / "stats.jsonl").read_text().splitlines()]
    assert triples and stats
    assert all(list(t)[:len(TRIPLE_FIELDS)] == TRIPLE_FIELDS for t in triples)
    assert all(list(s)[:len(STAT_FIELDS)] == STAT_FIELDS for s in stats)
    assert any(t["doc"] == "note_everolimus" and t["drug"] == "everolimus" for t in triples)
    assert any(s["doc"] == "note_everolimus" and s["hr"] == 0.35 and s["p_value"] == "<0.001"
               for s in stats)
    pdf_triples = [t for t in triples if t["doc"] == "000_3d1899da889077ad"]
    assert pdf_triples and all(isinstance(t["page"], int) for t in pdf_triples)
    assert len(pd.read_parquet(out / "triples.parquet")) == len(triples)
    assert (out / "triples_assembled.jsonl").exists() and (out / "stats.csv").exists()
    # Every table of every document as CSV (000 prints Table 1 over two pages as two ruled parts).
    assert sorted(p.name for p in (out / "tables").glob("*.csv")) == [
        "000_3d1899da889077ad.table1.csv", "000_3d1899da889077ad.table2.csv"]
    assert len(repo.statements(repo.connect(db_url))) == len(triples)

    again = extract_flow([str(inbox)], out_dir=str(out), db_url=db_url)
    assert {o.status for o in again.outcomes} == {"unchanged"}
    assert again.n_triples == summary.n_triples
