"""Shared test fixtures: paths to the project and to ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS_REAL = SHARED / "corpus-real"
ANNOTATIONS = PROJECT / "annotations"


def seed_path(doc: str) -> Path:
    return SEEDS / f"{doc}.txt"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the project")
    return SEEDS


@pytest.fixture(scope="session")
def corpus_real_dir() -> Path:
    if not CORPUS_REAL.is_dir():
        pytest.skip("../shared/corpus-real is not beside the project")
    return CORPUS_REAL


@pytest.fixture(scope="session")
def prefect_server():
    """One temporary Prefect server for all flow tests, stopped while pytest still owns the
    output (a server stopped at interpreter exit logs into closed streams)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield
