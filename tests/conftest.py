"""Shared test fixtures: paths to the project and to ../shared."""

from __future__ import annotations

import os
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


# The null-engine check (tests/test_null_engine.py) re-runs the relation tests with an engine that
# finds nothing; every one of them must then fail. Patched here, before test modules import it.
if os.environ.get("PIPELINE_NULL_RELATIONS") == "1":
    import pipeline.relations.sentence as _sentence

    _sentence.find_statements = lambda *args, **kwargs: []
    _sentence.agents = lambda *args, **kwargs: []
    import pipeline.relations.engine as _engine

    _engine.find_pattern_statements = lambda *args, **kwargs: []
    import pipeline.relations.arms as _arms

    _arms.arm_findings = lambda *args, **kwargs: []
    import pipeline.relations.tables as _tables

    _tables.role_findings = lambda *args, **kwargs: []
