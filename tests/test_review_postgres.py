"""The review service on a real PostgreSQL server (started here with initdb/pg_ctl): decisions,
the 409 path and concurrent first writes (row lock + primary key) lose nothing."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from tests.review_support import review_template_db  # noqa: F401

PG_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory):
    initdb = shutil.which("initdb") or (str(PG_BINS[-1]) if PG_BINS else "/usr/lib/postgresql/bin/initdb")
    if not Path(initdb).exists():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required in CI (apt-get install -y postgresql)")
        pytest.skip("PostgreSQL binaries not installed")
    pg_ctl = str(Path(initdb).resolve().parent / "pg_ctl")
    # Not under pytest's tmp folder: that is private to root, and the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="review-pg-"))
    data = folder / "data"
    run_as: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    made = subprocess.run(run_as + [initdb, "-D", str(data), "-U", "review", "--auth=trust", "-E", "UTF8"],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    subprocess.run(run_as + [pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
                             f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://review@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(run_as + [pg_ctl, "-D", str(data), "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def pg_service(postgres_url, review_template_db):
    """The template database's documents and statements copied into PostgreSQL."""
    from sqlalchemy.orm import Session

    from pipeline.records import Document
    from pipeline.review import auth
    from pipeline.review.service import ReviewService
    from pipeline.store.models import DocumentRow
    from pipeline.store.repository import connect, save_document, save_extraction, statements, trial_stats

    source = connect(f"sqlite:///{review_template_db}")
    target = connect(postgres_url)
    with Session(source) as session:
        documents = [Document.model_validate(r.document) for r in session.query(DocumentRow)]
    for document in documents:
        key = save_document(target, document)
        save_extraction(target, key, [], statements(source, doc_keys=[key]), trial_stats(source, doc_keys=[key]))
    service = ReviewService(postgres_url)
    assert service.engine.dialect.name == "postgresql"
    auth.add_user(service, "alice", "correct horse battery", "curator")
    return service


def test_decisions_and_conflicts_on_postgresql(pg_service):
    from pipeline.review import auth
    from pipeline.review.service import Conflict, Filters

    assert auth.authenticate(pg_service, "alice", "correct horse battery") == "curator"
    key = next(d["key"] for d in pg_service.documents() if d["doc"] == "hostile_review")
    items = [i for i in pg_service.items(Filters(doc=key)) if i.kind == "statement"]
    assert len(items) == 5
    pg_service.decide(items[0].id, "alice", "accept", 0)
    with pytest.raises(Conflict) as stale:
        pg_service.decide(items[0].id, "bob", "reject", 0, reason="x")
    assert stale.value.updated_by == "alice"
    pg_service.add_statement("alice", {"doc": "hostile_review", "drug": "imatinib", "target": "KIT",
                                       "evidence": "Imatinib inhibits ABL1."})
    filtered = pg_service.items(Filters(doc=key, drug="' OR '1'='1"))
    assert filtered == []

    # Many threads race for the first write of one item, then keep editing it.
    item_id = items[1].id
    results: list[str] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        for n in range(10):
            version = pg_service.item(item_id).version
            try:
                pg_service.decide(item_id, name, "edit", version, fields={"context": f"{name}-{n}"})
                outcome = "ok"
            except Conflict:
                outcome = "conflict"
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=work, args=(f"c{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    audit = pg_service.audit(item_id)
    assert len(audit) == results.count("ok") > 0 and len(results) == 60
    assert [a["version"] for a in audit] == list(range(1, len(audit) + 1))
    assert pg_service.item(item_id).version == len(audit)
