"""A wheel built with ``pip wheel .``, installed in a fresh virtualenv outside the checkout,
runs ``pipeline extract SEED.txt --out DIR`` from another folder.

The fresh venv gets the wheel only (``--no-deps``); the third-party packages come from the
project venv's site-packages through a ``.pth`` line (appended after the venv's own
site-packages, so the wheel's ``pipeline`` wins over the checkout's editable install, whose
own ``.pth`` hooks are not processed from there). The test checks that the imported package is
the installed one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile

import pytest

from tests.conftest import PROJECT, seed_path

pytestmark = [pytest.mark.e2e, pytest.mark.shared]


def test_wheel_installs_and_extracts_outside_the_checkout(tmp_path, seeds_dir):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(wheels), str(PROJECT)], check=True, cwd=tmp_path, timeout=600)
    (wheel,) = wheels.glob("pipeline-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in ("pipeline/relations/patterns/cues.tsv", "pipeline/relations/patterns/class_targets.tsv",
                 "pipeline/lexicons/drugs.tsv", "pipeline/store/migrations/versions/0002_inbox.py",
                 "pipeline/store/migrations/script.py.mako"):
        assert data in names, data
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                    str(wheel)], check=True, timeout=300)
    (venv / site.split(str(venv) + "/", 1)[1] / "zz_project_deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIPELINE_", "PYTHON"))}
    where = subprocess.run([str(python), "-c", "import pipeline; print(pipeline.__file__)"], cwd=elsewhere,
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(venv)), where
    result = subprocess.run([str(venv / "bin" / "pipeline"), "extract", str(seed_path("001_2bada934f44e6c92")),
                             "--out", "exported"], cwd=elsewhere, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    triples = [json.loads(line) for line in (elsewhere / "exported" / "triples.jsonl").read_text().splitlines()]
    assert triples and all(t["doc"] == "001_2bada934f44e6c92" for t in triples)
    assert (elsewhere / "out" / "pipeline.sqlite").exists()  # default out/ is the working folder
    assert "Traceback" not in result.stderr
