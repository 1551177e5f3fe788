"""The review app's JSON API, sessions, CSRF, roles and decisions, against a real uvicorn server
(``python -m pipeline review``) on a database filled by the real reader and extractor."""

from __future__ import annotations

import subprocess
import sys
import threading

import httpx
import pytest

from tests.conftest import PROJECT
from tests.review_support import PASSWORD, login, review_db, review_server, review_template_db  # noqa: F401


def _doc_key(client: httpx.Client, doc: str = "hostile_review") -> str:
    return next(d["key"] for d in client.get("/api/documents").json() if d["doc"] == doc)


def _items(client: httpx.Client, doc: str = "hostile_review", **params) -> list[dict]:
    response = client.get("/api/statements", params={"doc": _doc_key(client, doc), **params})
    assert response.status_code == 200, response.text
    return response.json()


def _decide(client, token, item, decision, **body):
    return client.post(f"/api/statements/{item['id']}/decision", headers={"X-CSRF-Token": token},
                       json={"decision": decision, "version": item["version"], **body})


def test_unauthenticated_calls_get_401_and_pages_redirect_to_login(review_server):
    anonymous = httpx.Client(base_url=review_server)
    for path in ("/api/documents", "/api/statements", "/api/session", "/api/audit?statement=x"):
        assert anonymous.get(path).status_code == 401, path
    assert anonymous.post("/api/statements/tri_0000000000000000/decision", json={}).status_code == 401
    assert anonymous.post("/api/statements", json={}).status_code == 401
    page = anonymous.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_login_sets_httponly_samesite_cookie_and_session_reports_user_role_csrf(review_server, review_db):
    client = httpx.Client(base_url=review_server)
    wrong = client.post("/login", data={"username": "alice", "password": "nope"})
    assert wrong.status_code == 401 and "review_session" not in wrong.headers.get("set-cookie", "")
    response = client.post("/login", data={"username": "alice", "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    session = client.get("/api/session").json()
    assert session["user"] == "alice" and session["role"] == "curator" and len(session["csrf_token"]) >= 32
    # The database holds only a hash of the cookie value.
    token = client.cookies["review_session"]
    from sqlalchemy import create_engine, text

    with create_engine(review_db).connect() as conn:
        stored = [r[0] for r in conn.execute(text("SELECT token_hash FROM review_sessions"))]
    assert token not in stored and len(stored) == 1
    # Passwords are stored as Argon2 hashes.
    with create_engine(review_db).connect() as conn:
        hashes = [r[0] for r in conn.execute(text("SELECT password_hash FROM review_users"))]
    assert hashes and all(h.startswith("$argon2id$") for h in hashes) and PASSWORD not in "".join(hashes)


def test_state_changes_without_a_valid_csrf_token_get_403(review_server):
    client, token = login(review_server, "alice")
    item = _items(client)[0]
    url = f"/api/statements/{item['id']}/decision"
    body = {"decision": "accept", "version": item["version"]}
    assert client.post(url, json=body).status_code == 403
    assert client.post(url, json=body, headers={"X-CSRF-Token": "forged"}).status_code == 403
    other, other_token = login(review_server, "bob")
    assert client.post(url, json=body, headers={"X-CSRF-Token": other_token}).status_code == 403
    form = client.post(f"/documents/{item['doc_key']}/decide",
                       data={"item_id": item["id"], "version": "0", "action": "accept"})
    assert form.status_code == 403
    assert client.post("/api/statements", json={"doc": "hostile_review", "evidence": "x", "drug": "y"}).status_code == 403
    assert _items(client)[0]["status"] == "to_review"  # nothing was written
    assert client.get("/api/audit", params={"statement": item["id"]}).json() == []
    # The form field works for browsers, the header for API clients.
    ok = client.post(f"/documents/{item['doc_key']}/decide", follow_redirects=False,
                     data={"item_id": item["id"], "version": "0", "action": "accept", "csrf_token": token})
    assert ok.status_code == 303
    assert _items(client)[0]["status"] == "accepted"


def test_accept_reject_edit_add_each_append_an_audit_row(review_server):
    client, token = login(review_server, "alice")
    first, second, third = _items(client)[:3]

    accepted = _decide(client, token, first, "accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert accepted.json()["version"] == first["version"] + 1

    no_reason = _decide(client, token, second, "reject")
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["detail"]
    rejected = _decide(client, token, second, "reject", reason="the drug is a comparator")
    assert rejected.status_code == 200 and rejected.json()["reason"] == "the drug is a comparator"

    bad = _decide(client, token, third, "edit", fields={"interaction": "explodes"})
    assert bad.status_code == 422
    unknown = _decide(client, token, third, "edit", fields={"evidence": "rewritten"})
    assert unknown.status_code == 422 and "evidence" in unknown.json()["detail"]
    edited = _decide(client, token, third, "edit", fields={"target": "MTORC1", "target_id": "FPLX:mTORC1"},
                     reason="complex, not the gene")
    assert edited.status_code == 200
    body = edited.json()
    assert body["status"] == "edited" and body["fields"]["target"] == "MTORC1"
    assert body["original"]["target"] == third["fields"]["target"]  # the extractor's value is kept

    added = client.post("/api/statements", headers={"X-CSRF-Token": token}, json={
        "doc": "hostile_review", "drug": "imatinib", "drug_id": "DRUGBANK:DB00619", "target": "KIT",
        "interaction": "inhibits", "outcome": "proliferation", "effect": "decreases",
        "evidence": "Imatinib inhibits ABL1 and reduces proliferation of leukemia cells."})
    assert added.status_code == 201, added.text
    new = added.json()
    assert new["status"] == "added" and new["id"].startswith("add_") and new["fields"]["start"] is not None
    missing = client.post("/api/statements", headers={"X-CSRF-Token": token}, json={"doc": "hostile_review"})
    assert missing.status_code == 422

    audit = {i["id"]: client.get("/api/audit", params={"statement": i["id"]}).json()
             for i in (first, second, third, new)}
    assert [a["action"] for a in audit[first["id"]]] == ["accept"]
    row = audit[third["id"]][0]
    assert row["user"] == "alice" and row["action"] == "edit" and row["before"] is None
    assert row["after"]["fields"] == {"target": "MTORC1", "target_id": "FPLX:mTORC1"}
    assert row["reason"] == "complex, not the gene" and row["at"]
    assert audit[second["id"]][0]["reason"] == "the drug is a comparator"
    assert audit[new["id"]][0]["action"] == "add"

    # A second change records what it was before.
    again = _decide(client, token, body, "accept")
    assert again.status_code == 200
    history = client.get("/api/audit", params={"statement": third["id"]}).json()
    assert [h["action"] for h in history] == ["edit", "accept"]
    assert history[1]["before"]["status"] == "edited" and history[1]["after"]["status"] == "accepted"

    counts = next(d for d in client.get("/api/documents").json() if d["doc"] == "hostile_review")
    assert counts["counts"]["accepted"] == 2 and counts["counts"]["rejected"] == 1 and counts["added"] == 1
    assert counts["counts"]["to_review"] == counts["total"] - 3
    by_status = _items(client, status="accepted")
    assert {i["id"] for i in by_status} == {first["id"], third["id"]}


def test_stale_version_gets_409_naming_who_changed_it(review_server):
    alice, alice_token = login(review_server, "alice")
    bob, bob_token = login(review_server, "bob")
    item = _items(alice)[0]
    seen_by_bob = _items(bob)[0]
    assert _decide(alice, alice_token, item, "accept").status_code == 200
    stale = _decide(bob, bob_token, seen_by_bob, "reject", reason="wrong target")
    assert stale.status_code == 409
    assert stale.json()["changed_by"] == "alice" and "alice" in stale.json()["detail"]
    assert stale.json()["current_version"] == 1
    assert _items(bob)[0]["status"] == "accepted"
    # The form path answers 409 with a page that names alice too.
    page = bob.post(f"/documents/{item['doc_key']}/decide",
                    data={"item_id": item["id"], "version": "0", "action": "accept", "csrf_token": bob_token})
    assert page.status_code == 409 and "changed by alice" in page.text


def test_concurrent_edits_lose_no_update(review_server):
    """Two sessions edit one statement as fast as they can: every accepted write is in the audit,
    versions are consecutive, and the final state is the last accepted write."""
    clients = [login(review_server, name) for name in ("alice", "bob")]
    item_id = _items(clients[0][0])[0]["id"]
    successes: list[tuple[str, int, str]] = []
    conflicts = []
    lock = threading.Lock()

    def work(client, token, name):
        for n in range(15):
            current = client.get(f"/api/statements/{item_id}").json()
            context = f"{name}-{n}"
            response = client.post(f"/api/statements/{item_id}/decision", headers={"X-CSRF-Token": token},
                                   json={"decision": "edit", "version": current["version"],
                                         "fields": {"context": context}})
            with lock:
                if response.status_code == 200:
                    successes.append((name, response.json()["version"], context))
                else:
                    assert response.status_code == 409, response.text
                    conflicts.append(response.json()["changed_by"])

    threads = [threading.Thread(target=work, args=(c, t, name))
               for (c, t), name in zip(clients, ("alice", "bob"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    audit = clients[0][0].get("/api/audit", params={"statement": item_id}).json()
    assert len(audit) == len(successes) >= 15
    assert sorted(v for _, v, _ in successes) == list(range(1, len(successes) + 1))
    assert [a["version"] for a in audit] == list(range(1, len(audit) + 1))
    final = clients[0][0].get(f"/api/statements/{item_id}").json()
    last = max(successes, key=lambda s: s[1])
    assert final["version"] == len(successes) and final["fields"]["context"] == last[2]
    assert {a["after"]["fields"]["context"] for a in audit} == {c for _, _, c in successes}
    assert all(who in ("alice", "bob") for who in conflicts)


def test_roles_are_enforced_on_the_server(review_server):
    curator, token = login(review_server, "alice")
    for path in ("/api/users", "/api/export", "/api/agreement", "/admin"):
        assert curator.get(path).status_code == 403, path
    forged = curator.post("/api/users", headers={"X-CSRF-Token": token},
                          json={"username": "mallory", "password": "12345678", "role": "admin"})
    assert forged.status_code == 403
    admin, admin_token = login(review_server, "admin")
    assert "mallory" not in {u["username"] for u in admin.get("/api/users").json()}
    created = admin.post("/api/users", headers={"X-CSRF-Token": admin_token},
                         json={"username": "carol", "password": "another password", "role": "curator"})
    assert created.status_code == 201
    assert login(review_server, "carol", "another password")[0].get("/api/session").json()["role"] == "curator"
    export = admin.get("/api/export").json()
    assert len(export["items"]) >= 5 and export["audit"] == []


def test_failed_logins_are_rate_limited(review_server):
    client = httpx.Client(base_url=review_server)
    for _ in range(5):
        assert client.post("/login", data={"username": "bob", "password": "guess"}).status_code == 401
    limited = client.post("/login", data={"username": "bob", "password": PASSWORD},
                          headers={"Accept": "application/json"})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    # Other users from elsewhere are not locked out by bob's attempts... but this address is.
    assert client.post("/login", data={"username": "alice", "password": PASSWORD},
                       headers={"Accept": "application/json"}).status_code == 429


def test_users_add_reads_the_password_from_stdin(review_db, tmp_path):
    command = [sys.executable, "-m", "pipeline", "users", "add", "dave", "--role", "admin", "--db", review_db]
    env = {"PIPELINE_OUT": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(command, input="a long passphrase\n", text=True, capture_output=True, cwd=PROJECT,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    from pipeline.review import auth
    from pipeline.review.service import ReviewService

    service = ReviewService(review_db)
    assert auth.authenticate(service, "dave", "a long passphrase") == "admin"
    assert auth.authenticate(service, "dave", "a long passphrase\n") is None
    short = subprocess.run(command[:5] + ["eve", "--role", "curator", "--db", review_db], input="short\n",
                           text=True, capture_output=True, cwd=PROJECT, env=env, timeout=120)
    assert short.returncode == 2 and "at least 8 characters" in short.stderr
    assert auth.authenticate(service, "eve", "short") is None
