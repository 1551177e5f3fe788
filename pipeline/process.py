"""Per-document work, independent of Prefect: read a file, annotate, extract.

Flows wrap these functions in tasks; tests and the CLI's ``--no-prefect`` mode call them directly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.records import Document, Mention, TrialStat, Triple

# Code and data whose change means stored extractions are stale.
# Packages and modules whose change changes what is extracted (ingest: what the extractor reads;
# records.py, ids.py, identity.py: the ids). The inbox re-reads a file whenever this changes.
_EXTRACTOR_PARTS = ("ingest", "nlp", "relations", "stats", "lexicons", "records.py", "ids.py", "identity.py")


# Code whose change means stored documents are stale (the reader's output changes).
_INGESTER_PARTS = ("ingest", "records.py")


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """Hash of the extractor's code and data files, so a changed rule re-extracts."""
    return _fingerprint(_EXTRACTOR_PARTS)


@lru_cache(maxsize=1)
def ingester_fingerprint() -> str:
    """Hash of the reader's code, so a changed ingester re-reads stored documents (a table
    detector that did not exist when a PDF was first read must get its chance)."""
    return _fingerprint(_INGESTER_PARTS)[:16]


def _fingerprint(parts: tuple[str, ...]) -> str:
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for part in parts:
        paths = [root / part] if (root / part).is_file() else sorted((root / part).rglob("*"))
        for path in paths:
            if path.is_file() and path.suffix in {".py", ".tsv", ".jsonl", ".json", ".txt"}:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class Extraction:
    """Everything extracted from one document."""

    document: Document
    mentions: list[Mention] = field(default_factory=list)
    triples: list[Triple] = field(default_factory=list)
    stats: list[TrialStat] = field(default_factory=list)
    model: str | None = None


def read(path: Path) -> Document:
    """Ingest one file (PDF, .txt, .md) into a Document; raises IngestError on bad input."""
    from pipeline.ingest.reader import read_document

    return read_document(path)


def extract(document: Document) -> Extraction:
    """Run NLP, triple extraction and trial-statistic extraction on one document."""
    from pipeline.nlp import annotate
    from pipeline.relations import extract_triples
    from pipeline.stats.extract import extract_stats

    annotated = annotate(document)
    return Extraction(
        document=document,
        mentions=annotated.mentions,
        triples=extract_triples(annotated),
        stats=extract_stats(annotated),
        model=annotated.model,
    )
