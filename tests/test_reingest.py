"""A document read by an older version of the reader is read again (and then re-extracted)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.orm import Session

from pipeline.ingest.batch import ingest_one
from pipeline.process import ingester_fingerprint
from pipeline.store import repository as repo
from pipeline.store.models import DocumentRow


def test_stale_reader_output_is_read_again(tmp_path):
    src = tmp_path / "note.txt"
    src.write_text("# Title\n\nEverolimus reduced proliferation in NET cells.\n", encoding="utf-8")
    engine = repo.connect(f"sqlite:///{tmp_path / 'db.sqlite'}")
    first, doc = ingest_one(src, engine, None)
    assert first.status == "ingested" and doc.ingester == ingester_fingerprint()
    again, _ = ingest_one(src, engine, None)
    assert again.status == "unchanged"  # same bytes, same reader: nothing to do

    with Session(engine) as session, session.begin():  # as if an older reader had stored it
        row = session.get(DocumentRow, first.doc_key)
        row.document = {**row.document, "ingester": "old-reader"}
        row.extracted_at, row.extractor_fingerprint = datetime.now(timezone.utc), "x"
    stale, doc = ingest_one(src, engine, None)
    assert stale.status == "ingested" and doc.ingester == ingester_fingerprint()
    assert not repo.is_extracted(engine, doc.doc_id, doc.content_hash)  # extraction runs again
