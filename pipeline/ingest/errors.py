"""The one error type ingestion raises for bad input."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A document could not be ingested. Names the file and the reason.

    ``code`` is a short machine-readable reason (``encrypted``, ``corrupt``, ``no_text_layer``,
    ``empty``, ``not_a_pdf``, ``undecodable``, ``too_large``, ``unsupported_type``) so the
    store and the quarantine can group failures.
    """

    def __init__(self, path: Path | str, code: str, reason: str):
        self.path = str(path)
        self.code = code
        self.reason = reason
        super().__init__(f"{self.path}: {reason} [{code}]")
