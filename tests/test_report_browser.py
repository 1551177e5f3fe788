"""The report in real headless Chromium: it renders, shows its plots, and requests nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest

from pipeline.report.build import evaluate_and_report
from tests.test_report import folders  # noqa: F401  (fixture: tiny gold/prediction folders)

pytestmark = pytest.mark.e2e

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--window-size=1280,2000"]
# Chromium's own service calls, made whatever the page (clock, updater, account check, GCM
# device check-in: android.clients.google.com/checkin, seen once on a CI clone).
BROWSER_HOSTS = {"clients2.google.com", "accounts.google.com", "update.googleapis.com", "android.clients.google.com",
                 "safebrowsing.googleapis.com", "redirector.gvt1.com"}
# Chromium's own endpoints on a host a page could also call: allowed by path only.
BROWSER_URL_PREFIXES = ("https://www.google.com/async/",)
REQUEST = re.compile(r"NotifyBeforeURLRequest: (\S+)")


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is required in CI (apt-get install -y chromium)")
    pytest.skip("chromium not installed (apt-get update && apt-get install -y chromium)")


def _run(chromium: str, tmp: Path, page: Path, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    return subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
                          capture_output=True, text=True, timeout=120, check=False)


def _external_requests(log: str) -> list[str]:
    urls = REQUEST.findall(log)
    return [u for u in urls if u.startswith(("http:", "https:")) and urlparse(u).hostname not in BROWSER_HOSTS
            and not u.startswith(BROWSER_URL_PREFIXES)]


def test_report_renders_in_chromium(chromium, folders, tmp_path):  # noqa: F811
    result = evaluate_and_report({"pdf": folders["pred"]}, folders["gold"], folders["out"],
                                 db_url=folders["db"])
    screenshot = tmp_path / "report.png"
    _run(chromium, tmp_path, result.index_html, f"--screenshot={screenshot}")
    assert screenshot.is_file() and screenshot.stat().st_size > 10_000
    from matplotlib.image import imread

    pixels = imread(screenshot)
    assert len({tuple(p) for p in pixels[::8, ::8].reshape(-1, pixels.shape[-1])}) > 20  # not blank

    dom = _run(chromium, tmp_path, result.index_html, "--dump-dom", "--enable-logging=stderr", "--v=1")
    assert dom.stdout.count('<img class="plot"') == 6
    assert "<script>alert(1)</script>" not in dom.stdout
    assert "<details>" in dom.stdout
    assert _external_requests(dom.stderr) == []


def test_request_log_sees_external_loads(chromium, tmp_path):
    """Control: the log-based check above does catch a page that loads from the network."""
    page = tmp_path / "external.html"
    page.write_text('<img src="http://example.invalid/x.png">', encoding="utf-8")
    log = _run(chromium, tmp_path, page, "--dump-dom", "--enable-logging=stderr", "--v=1").stderr
    assert _external_requests(log) == ["http://example.invalid/x.png"]
