"""Set bad input apart: move it to the quarantine folder with a JSON note of why. Nothing is lost."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

from pipeline.ingest.errors import IngestError


def quarantine(path: Path, error: IngestError, quarantine_dir: Path, move: bool = True) -> Path:
    """Move (or copy) ``path`` into ``quarantine_dir`` and write ``<name>.error.json`` beside it.

    An existing file of the same name is never overwritten: the new one gets a numbered suffix.
    Returns where the file now is.
    """
    quarantine_dir.mkdir(parents=True, exist_ok=True)
    target = quarantine_dir / path.name
    counter = 1
    while target.exists():
        target = quarantine_dir / f"{path.stem}.{counter}{path.suffix}"
        counter += 1
    if path.exists():
        (shutil.move if move else shutil.copy2)(str(path), str(target))
    note = {
        "file": str(path), "quarantined_to": str(target), "code": error.code,
        "reason": error.reason, "at": datetime.now(timezone.utc).isoformat(),
    }
    target.with_name(target.name + ".error.json").write_text(json.dumps(note, indent=2))
    return target
