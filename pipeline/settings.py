"""Run-time settings, read from the environment when asked for (never at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Settings:
    """Where things live. Every field can be overridden by a ``PIPELINE_*`` variable."""

    db_url: str
    out_dir: Path
    quarantine_dir: Path
    corpus_dir: Path
    annotations_dir: Path
    max_bytes: int
    real_corpus_dir: Path  # full real papers (../shared/corpus-real) for the dev/test splits
    score_test: bool  # score the held-out test papers (off while developing rules: test is scored once)


def load_settings() -> Settings:
    """Settings from the environment with embedded defaults (SQLite under ``out/``)."""
    out_dir = Path(os.environ.get("PIPELINE_OUT", PROJECT_ROOT / "out"))
    return Settings(
        db_url=os.environ.get("PIPELINE_DB_URL", f"sqlite:///{out_dir / 'pipeline.sqlite'}"),
        out_dir=out_dir,
        quarantine_dir=Path(os.environ.get("PIPELINE_QUARANTINE", out_dir / "quarantine")),
        corpus_dir=Path(os.environ.get("PIPELINE_CORPUS", PROJECT_ROOT / "corpus")),
        annotations_dir=Path(os.environ.get("PIPELINE_ANNOTATIONS", PROJECT_ROOT / "annotations")),
        max_bytes=int(os.environ.get("PIPELINE_MAX_BYTES", 100 * 1024 * 1024)),
        real_corpus_dir=Path(os.environ.get("PIPELINE_REAL_CORPUS",
                                            PROJECT_ROOT.parent / "shared" / "corpus-real")),
        score_test=os.environ.get("PIPELINE_SCORE_TEST", "1") != "0",
    )
