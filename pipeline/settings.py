"""Run-time settings, read from the environment when asked for (never at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _default_root() -> Path:
    """The checkout when run from one; the working directory for an installed wheel (whose
    parent folder is site-packages)."""
    return PROJECT_ROOT if (PROJECT_ROOT / "pyproject.toml").is_file() else Path.cwd()


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
    # Added for scheduled ingestion (issue 14); defaults keep older callers working.
    lexicon_dir: Path | None = None  # None: the lexicons shipped in pipeline/lexicons/
    prefect_home: Path | None = None  # None: a fresh one per run under out/prefect/
    prefect_api_url: str | None = None  # set: use that Prefect server instead of an ephemeral one
    lease_seconds: int = 900  # a document lease older than this is taken over (dead worker)
    db_retries: int = 3  # attempts to reach the database before a clear error
    db_retry_delay: float = 1.0  # seconds before the first retry (doubles each time)


def load_settings() -> Settings:
    """Settings from the environment with embedded defaults (SQLite under ``out/``)."""
    out_dir = Path(os.environ.get("PIPELINE_OUT", _default_root() / "out"))
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
        lexicon_dir=Path(os.environ["PIPELINE_LEXICON_DIR"]) if os.environ.get("PIPELINE_LEXICON_DIR") else None,
        prefect_home=Path(os.environ["PIPELINE_PREFECT_HOME"]) if os.environ.get("PIPELINE_PREFECT_HOME") else None,
        prefect_api_url=os.environ.get("PREFECT_API_URL") or None,
        lease_seconds=int(os.environ.get("PIPELINE_LEASE_SECONDS", 900)),
        db_retries=int(os.environ.get("PIPELINE_DB_RETRIES", 3)),
        db_retry_delay=float(os.environ.get("PIPELINE_DB_RETRY_DELAY", 1.0)),
    )
