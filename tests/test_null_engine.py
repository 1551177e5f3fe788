"""A relation test must fail when the engine returns nothing.

The relation tests are re-run in a subprocess with the engine replaced by one that finds no
statement and no agent (``PIPELINE_NULL_RELATIONS=1``, see conftest.py); every test must fail.
A test that still passes checks nothing about the engine and needs a paired positive case.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import PROJECT


@pytest.mark.e2e
def test_every_relation_test_fails_with_a_null_engine():
    env = {**os.environ, "PIPELINE_NULL_RELATIONS": "1"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA",
                          "tests/test_relations.py", "tests/test_arms.py", "tests/test_relation_tables.py",
                          "-k", "not every_comparison_cue and not every_role"],
                         cwd=PROJECT, env=env, capture_output=True, text=True)
    passed = re.findall(r"^PASSED (\S+)", run.stdout, re.MULTILINE)
    failed = re.search(r"(\d+) failed", run.stdout)
    assert failed and int(failed.group(1)) >= 60, run.stdout[-2000:]
    assert passed == [], f"these relation tests pass with an engine that finds nothing: {passed}"
