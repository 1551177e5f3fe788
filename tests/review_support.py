"""Shared fixtures of the review-app tests: a real database made by the real reader and extractor
from a hostile PDF (made here with reportlab) and one corpus PDF; users; a running server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from pipeline.review.bench import wait_until_serving
from tests.conftest import PROJECT

HOSTILE_LINES = [
    "Hostile evidence for the review app",
    "",
    "Metformin <script>alert(1)</script> inhibited mTOR and reduced migration of tumor cells.",
    "Everolimus <img src=x onerror=alert(2)> inhibits mTOR and reduces tumor growth in mice.",
    "See javascript:alert(document.cookie) where rapamycin inhibited mTOR and decreased proliferation.",
    "Gefitinib inhibited EGFR and reduced tumor growth in lung cancer xenografts.",
    "Imatinib inhibits ABL1 and reduces proliferation of leukemia cells.",
]
TRIAL_TEXT = """Everolimus in advanced renal cell carcinoma

In the phase III RECORD-1 trial (n = 416), everolimus improved median progression-free survival compared \
with placebo (4.9 vs 1.9 months; HR 0.33, 95% CI 0.25-0.43, p < 0.001).
"""
CORPUS_PDF = PROJECT / "corpus" / "pdf" / "000_3d1899da889077ad.pdf"
PASSWORD = "correct horse battery"


def make_hostile_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = 780
    for i, line in enumerate(HOSTILE_LINES):
        pdf.setFont("Helvetica-Bold" if i == 0 else "Helvetica", 14 if i == 0 else 10)
        pdf.drawString(60, y, line)
        y -= 22
    pdf.showPage()
    pdf.save()
    return path


@pytest.fixture(scope="session")
def review_template_db(tmp_path_factory) -> Path:
    """A SQLite file filled once per session by the real reader and extractor.

    Test modules import this fixture, which makes one fixture per module; the file is made by
    the first and reused by the others (it sits in the session's base temp folder).
    """
    from pipeline.review.seed import seed
    from pipeline.store.repository import connect

    folder = tmp_path_factory.getbasetemp() / "review-template"
    db = folder / "template.sqlite"
    if db.exists():
        return db
    folder.mkdir(parents=True, exist_ok=True)
    pdf = make_hostile_pdf(folder / "hostile_review.pdf")
    building = folder / "building.sqlite"
    trial = folder / "trial_review.txt"
    trial.write_text(TRIAL_TEXT, encoding="utf-8")
    counts = seed(f"sqlite:///{building}", [pdf, CORPUS_PDF, trial])
    assert len(counts) == 3 and all(n > 0 for n in counts.values()), counts
    connect(f"sqlite:///{building}").dispose()
    building.rename(db)
    return db


@pytest.fixture()
def review_db(review_template_db, tmp_path) -> str:
    """A fresh copy of the template database, with an admin and two curators."""
    from pipeline.review import auth
    from pipeline.review.service import ReviewService

    db = tmp_path / "review.sqlite"
    shutil.copy(review_template_db, db)
    url = f"sqlite:///{db}"
    service = ReviewService(url)
    auth.add_user(service, "admin", PASSWORD, "admin")
    auth.add_user(service, "alice", PASSWORD, "curator")
    auth.add_user(service, "bob", PASSWORD, "curator")
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def review_server(review_db, tmp_path):
    """``python -m pipeline review`` on a free loopback port; yields the base URL."""
    port = free_port()
    # The database comes the way the pipeline's does: PIPELINE_DB_URL (no --db).
    env = {"PIPELINE_OUT": str(tmp_path / "out"), "PIPELINE_DB_URL": review_db, "PATH": "/usr/bin:/bin"}
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "review", "--port", str(port)],
                            cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, proc, tmp_path / "server.log")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def login(base: str, username: str, password: str = PASSWORD) -> tuple[httpx.Client, str]:
    """A logged-in client and its CSRF token."""
    client = httpx.Client(base_url=base, timeout=30)
    response = client.post("/login", data={"username": username, "password": password},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    token = client.get("/api/session").json()["csrf_token"]
    return client, token
