"""Security of the review app, each threat with a test: hostile evidence text is escaped, filters
are safe against SQL injection, the page-image route cannot leave the cache, security headers."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import create_engine, text

from tests.review_support import login, review_db, review_server, review_template_db  # noqa: F401


def _doc_key(client, doc="hostile_review"):
    return next(d["key"] for d in client.get("/api/documents").json() if d["doc"] == doc)


def test_hostile_evidence_is_rendered_escaped(review_server):
    client, _ = login(review_server, "alice")
    html = client.get(f"/documents/{_doc_key(client)}").text
    # The extractor kept the hostile sentences, so the page really shows them...
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "javascript:alert(document.cookie)" in html
    # ...as text only: no tag, handler or javascript: link made it through.
    assert "<script>alert" not in html and "<img src=x" not in html
    assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", html, re.I)
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script src="/static/review.js" defer>']
    # Highlights come from the stored offsets and sit inside the escaped text.
    assert '<mark class="drug" title="drug">Metformin</mark> &lt;script&gt;' in html
    # The JSON API returns the text as data, with a JSON content type.
    response = client.get("/api/statements", params={"doc": _doc_key(client)})
    assert response.headers["content-type"].startswith("application/json")
    assert any("<script>alert(1)</script>" in i["fields"]["evidence"] for i in response.json())


def test_hostile_text_added_by_a_curator_is_escaped_too(review_server):
    client, token = login(review_server, "alice")
    added = client.post("/api/statements", headers={"X-CSRF-Token": token}, json={
        "doc": "hostile_review", "drug": "<b onmouseover=alert(3)>x</b>", "outcome": "growth",
        "evidence": "A <svg onload=alert(4)> sentence about growth."})
    assert added.status_code == 201
    html = client.get(f"/documents/{_doc_key(client)}").text
    assert "<svg onload" not in html and "<b onmouseover" not in html
    assert "&lt;svg onload=alert(4)&gt;" in html


def test_filters_are_safe_against_sql_injection(review_server, review_db):
    client, _ = login(review_server, "alice")
    key = _doc_key(client, "000_3d1899da889077ad")
    everything = client.get("/api/statements", params={"doc": key}).json()
    assert len(everything) > 20
    mtor = client.get("/api/statements", params={"doc": key, "target": "mtor"}).json()
    assert mtor and all("mtor" in i["fields"]["target"].lower() for i in mtor) and len(mtor) < len(everything)
    for hostile in ("' OR '1'='1", "x') OR 1=1 --", "%", "_", "'; DROP TABLE statements; --"):
        for name in ("drug", "target", "outcome", "rule", "status", "source", "doc"):
            response = client.get("/api/statements", params={"doc": key, name: hostile} if name != "doc"
                                  else {"doc": hostile})
            assert response.status_code == 200, (name, hostile, response.text)
            assert response.json() == [], (name, hostile)
    page = client.get(f"/documents/{key}", params={"drug": "' OR '1'='1"})
    assert page.status_code == 200 and "No statements match." in page.text
    assert client.get("/api/statements", params={"confidence": "1 OR 1=1"}).status_code == 422
    with create_engine(review_db).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM statements")).scalar() >= len(everything)
    assert len(client.get("/api/statements", params={"doc": key}).json()) == len(everything)
    # Real filters still filter.
    rule = everything[0]["fields"]["rule"]
    by_rule = client.get("/api/statements", params={"doc": key, "rule": rule}).json()
    assert by_rule and all(i["fields"]["rule"] == rule for i in by_rule)
    high = client.get("/api/statements", params={"doc": key, "confidence": "0.7"}).json()
    assert all(i["fields"]["confidence"] >= 0.7 for i in high)
    assert {i["source"] for i in client.get("/api/statements", params={"doc": key, "source": "text"}).json()} == {"text"}


def test_page_image_route_renders_caches_and_cannot_leave_the_cache(review_server, tmp_path):
    client, _ = login(review_server, "alice")
    item = client.get("/api/statements", params={"doc": _doc_key(client)}).json()[0]
    image = client.get(f"/items/{item['id']}/image.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG\r\n\x1a\n")
    cached = tmp_path / "out" / "review-cache" / f"{item['id']}.png"
    assert cached.read_bytes() == image.content
    before = cached.stat().st_mtime_ns
    assert client.get(f"/items/{item['id']}/image.png").content == image.content
    assert cached.stat().st_mtime_ns == before  # served from the cache, not rendered again
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    for path in ("/items/..%2F..%2Fsecret.txt/image.png", "/items/..%2f..%2f..%2fetc%2fpasswd/image.png",
                 "/items/../../../etc/passwd", "/items/%2e%2e%2f%2e%2e%2fsecret/image.png",
                 "/items/tri_0000000000000000/image.png", "/items/review-cache/image.png",
                 "/static/../models.py", "/static/%2e%2e/auth.py", "/static/..%2fauth.py"):
        response = httpx.get(review_server + path, cookies=client.cookies)
        assert response.status_code == 404, (path, response.status_code)
        assert b"top secret" not in response.content and b"root:" not in response.content
        assert b"argon2" not in response.content
    anonymous = httpx.get(review_server + f"/items/{item['id']}/image.png")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")


def test_security_headers_on_every_kind_of_response(review_server):
    client, _ = login(review_server, "alice")
    anonymous = httpx.Client(base_url=review_server)
    responses = [client.get("/"), client.get("/api/documents"), client.get("/static/review.js"),
                 anonymous.get("/login"), anonymous.get("/api/documents"), client.get("/nope")]
    for response in responses:
        csp = response.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, response.url
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers.get("x-content-type-options") == "nosniff"
        assert response.headers.get("x-frame-options") == "DENY"
    assert anonymous.get("/api/documents").status_code == 401


def test_login_redirect_target_must_be_local(review_server):
    client = httpx.Client(base_url=review_server)
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post("/login", data={"username": "alice", "password": "correct horse battery",
                                               "next": target}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/"
    cross = client.post("/login", data={"username": "alice", "password": "correct horse battery"},
                        headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
