"""Fill a database for the review app from files, without Prefect: read, extract, store.

Used by the tests and the load benchmark; the pipeline's own ``extract`` command does the same
through Prefect.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.process import extract, extractor_fingerprint, read
from pipeline.store.repository import connect, save_document, save_extraction


def seed(db_url: str, paths: list[Path]) -> dict[str, int]:
    """Ingest and extract each file into ``db_url``; returns statements per document key."""
    engine = connect(db_url)
    counts = {}
    for path in paths:
        document = read(path)
        key = save_document(engine, document)
        result = extract(document)
        save_extraction(engine, key, result.mentions, result.triples, result.stats, extractor_fingerprint())
        counts[key] = len(result.triples)
    return counts
