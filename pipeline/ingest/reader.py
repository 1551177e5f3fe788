"""Dispatch a source file to the right ingester after checking its size and magic bytes."""

from __future__ import annotations

import importlib
from pathlib import Path

from pipeline.ingest.errors import IngestError
from pipeline.records import Document

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}


def max_bytes() -> int:
    """Size limit in bytes (``PIPELINE_MAX_BYTES``, read in ``pipeline.settings``)."""
    from pipeline.settings import load_settings

    return load_settings().max_bytes


def read_document(path: Path) -> Document:
    """Ingest a PDF, plain-text or Markdown file into a ``Document``.

    Raises ``IngestError`` with code ``too_large``, ``empty``, ``not_a_pdf``,
    ``unsupported_type`` or whatever the format-specific ingester reports.
    """
    path = Path(path)
    try:
        size = path.stat().st_size  # stat only: a huge file is never read
    except OSError as exc:
        raise IngestError(path, "unreadable", f"cannot open file: {exc.strerror}") from exc
    limit = max_bytes()
    if size > limit:
        raise IngestError(path, "too_large", f"file is {size} bytes, over the {limit}-byte limit")
    if size == 0:
        raise IngestError(path, "empty", "file is empty")
    with open(path, "rb") as handle:
        head = handle.read(1024)
    suffix = path.suffix.lower()
    is_pdf_bytes = head.lstrip(b"\x00\r\n\t ").startswith(b"%PDF-")
    if suffix == ".pdf" or (is_pdf_bytes and suffix not in TEXT_SUFFIXES):
        if not head.startswith(b"%PDF-"):
            raise IngestError(path, "not_a_pdf", "named .pdf but does not start with %PDF-")
        from pipeline.ingest.pdf import ingest_pdf

        return ingest_pdf(path)
    if suffix in TEXT_SUFFIXES:
        # Imported lazily: the text ingester is a separate module with its own dependencies.
        text = importlib.import_module("pipeline.ingest.text")
        return text.ingest_text(path)
    raise IngestError(path, "unsupported_type", f"unsupported file type {suffix or '(none)'!r}")
