"""Settings are read in one place (``pipeline/settings.py``), and the README's table lists every
variable read there."""

from __future__ import annotations

import re

from tests.conftest import PROJECT

READS = re.compile(r"os\.environ\.get\(|os\.getenv\(|os\.environ\[\s*[\"']")


def test_environment_is_read_only_in_settings():
    offenders = []
    for path in sorted((PROJECT / "pipeline").rglob("*.py")):
        if path.name == "settings.py" and path.parent.name == "pipeline":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if READS.search(line) and "PIPELINE_" in line:
                offenders.append(f"{path.relative_to(PROJECT)}:{number}: {line.strip()}")
    assert offenders == []


def test_every_setting_is_in_the_readme_table():
    source = (PROJECT / "pipeline" / "settings.py").read_text(encoding="utf-8")
    variables = set(re.findall(r"\"((?:PIPELINE|PREFECT)_[A-Z_]+)\"", source))
    assert {"PIPELINE_MAX_BYTES", "PIPELINE_LEXICON_DIR", "PIPELINE_DB_URL"} <= variables
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `((?:PIPELINE|PREFECT)_[A-Z_]+)` \|", readme, flags=re.M))
    assert variables - rows == set(), "variables read in settings.py but missing from the README table"


def test_max_bytes_has_one_source(monkeypatch, tmp_path):
    from pipeline.ingest.errors import IngestError
    from pipeline.ingest.reader import read_document

    big = tmp_path / "big.txt"
    big.write_text("Rapamycin inhibits mTOR. " * 10)
    monkeypatch.setenv("PIPELINE_MAX_BYTES", "100")
    try:
        read_document(big)
    except IngestError as error:
        assert error.code == "too_large" and "100" in error.reason
    else:
        raise AssertionError("the limit from PIPELINE_MAX_BYTES was not applied")
