"""Decisions survive re-extraction (orphans), merge and bulk decisions, the curated export, the
extractor scored against the curators, and curator agreement (Cohen's kappa)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from pipeline.review.app import AppConfig, create_app
from pipeline.review.service import Conflict, Filters, ReviewService, cohen_kappa
from pipeline.store.repository import connect, save_extraction, statements, trial_stats
from tests.conftest import PROJECT
from tests.review_support import PASSWORD, review_db, review_template_db  # noqa: F401


def _hostile(service: ReviewService):
    key = next(d["key"] for d in service.documents() if d["doc"] == "hostile_review")
    return key, [i for i in service.items(Filters(doc=key)) if i.kind == "statement"]


def test_decisions_survive_reextraction_and_orphans_are_kept(review_db):
    service = ReviewService(review_db)
    key, items = _hostile(service)
    service.decide(items[0].id, "alice", "accept", 0)
    service.decide(items[1].id, "alice", "reject", 0, reason="comparator")
    engine = connect(review_db)
    kept = [t for t in statements(engine, doc_keys=[key]) if t.id != items[1].id]
    # Re-extraction with the same statements but one: the decision on the kept one is untouched…
    save_extraction(engine, key, [], kept, trial_stats(engine, doc_keys=[key]))
    again = {i.id: i for i in service.items(Filters(doc=key))}
    assert again[items[0].id].status == "accepted" and not again[items[0].id].orphaned
    # …and the decision whose statement disappeared is kept, marked orphaned, with its audit.
    orphan = again[items[1].id]
    assert orphan.orphaned and orphan.status == "rejected" and orphan.reason == "comparator"
    assert orphan.current["drug"] == items[1].current["drug"]
    assert [i.id for i in service.items(Filters(doc=key, status="orphaned"))] == [items[1].id]
    assert service.audit(items[1].id)[0]["action"] == "reject"
    row = next(d for d in service.documents() if d["key"] == key)
    assert row["orphaned"] == 1 and row["counts"]["rejected"] == 0 and row["total"] == len(items) - 1


def test_merge_and_bulk_decisions_through_the_pages(review_db, tmp_path):
    client = TestClient(create_app(AppConfig(review_db, tmp_path / "cache")))
    assert client.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 200
    token = client.get("/api/session").json()["csrf_token"]
    service = ReviewService(review_db)
    key, items = _hostile(service)
    merged = client.post(f"/api/statements/{items[1].id}/decision", headers={"X-CSRF-Token": token},
                         json={"decision": "merge", "version": 0, "into": items[0].id})
    assert merged.status_code == 200 and merged.json()["status"] == "merged"
    assert merged.json()["reason"] == f"duplicate of {items[0].id}"
    bad = client.post(f"/api/statements/{items[2].id}/decision", headers={"X-CSRF-Token": token},
                      json={"decision": "merge", "version": 0, "into": items[2].id})
    assert bad.status_code == 422
    form = {"csrf_token": token, "action": "reject", "reason": "hostile sentence",
            "ids": [items[2].id, items[3].id], f"v_{items[2].id}": "0", f"v_{items[3].id}": "0"}
    response = client.post(f"/documents/{key}/bulk", data=form, follow_redirects=False)
    assert response.status_code == 303
    states = {i.id: i for i in service.items(Filters(doc=key))}
    assert states[items[2].id].status == states[items[3].id].status == "rejected"
    assert states[items[2].id].reason == "hostile sentence"
    stale = client.post(f"/documents/{key}/bulk", data={**form, "action": "accept"})
    assert stale.status_code == 409 and "changed by alice" in stale.text


def test_export_curated_writes_tables_and_indra_json(review_db, tmp_path):
    service = ReviewService(review_db)
    key, items = _hostile(service)
    service.decide(items[0].id, "alice", "accept", 0)
    service.decide(items[1].id, "alice", "reject", 0, reason="no")
    service.decide(items[2].id, "alice", "edit", 0, fields={"target": "MTORC1", "target_id": "FPLX:mTORC1"})
    added = service.add_statement("alice", {"doc": "hostile_review", "drug": "imatinib",
                                             "drug_id": "DRUGBANK:DB00619", "target": "KIT", "target_id": "HGNC:6342",
                                             "interaction": "binds", "evidence": "Imatinib binds KIT."})
    out = tmp_path / "curated"
    done = subprocess.run([sys.executable, "-m", "pipeline", "export", "--curated", "--out", str(out),
                           "--db", review_db], capture_output=True, text=True, cwd=PROJECT, timeout=120,
                          env={"PIPELINE_OUT": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in (out / "curated_triples.jsonl").read_text().splitlines()]
    assert {r["id"] for r in rows} == {items[0].id, items[2].id, added.id}
    by_id = {r["id"]: r for r in rows}
    assert by_id[items[2].id]["target"] == "MTORC1" and by_id[items[2].id]["status"] == "edited"
    assert by_id[items[0].id]["curator"] == "alice" and by_id[added.id]["status"] == "added"
    assert list(pd.read_parquet(out / "curated_triples.parquet")["id"]) == [r["id"] for r in rows]
    assert len(pd.read_csv(out / "curated_triples.csv")) == 3
    indra = json.loads((out / "indra_statements.json").read_text())
    types = {s["evidence"][0]["annotations"]["statement_id"]: s for s in indra}
    assert types[added.id]["type"] == "Complex"
    assert types[added.id]["members"][1]["db_refs"] == {"TEXT": "KIT", "HGNC": "6342"}
    edited = types[items[2].id]
    assert edited["type"] == "Inhibition" and edited["obj"]["db_refs"]["FPLX"] == "mTORC1"
    assert edited["subj"]["name"] == items[2].current["drug"]
    assert edited["evidence"][0]["text"] == items[2].current["evidence"]
    assert all(s["evidence"][0]["epistemics"]["curated"] for s in indra)


def test_evaluate_gold_curated_scores_the_extractor_against_the_decisions(review_db, tmp_path):
    service = ReviewService(review_db)
    key, items = _hostile(service)
    service.decide(items[0].id, "alice", "accept", 0)
    service.decide(items[1].id, "alice", "accept", 0)
    service.decide(items[2].id, "alice", "reject", 0, reason="no")
    service.decide(items[3].id, "alice", "edit", 0, fields={"outcome": "xenograft growth"})
    service.add_statement("alice", {"doc": "hostile_review", "drug": "imatinib", "target": "KIT",
                                     "evidence": "Imatinib inhibits ABL1 and reduces proliferation of leukemia cells."})
    done = subprocess.run([sys.executable, "-m", "pipeline", "evaluate", "--gold", "curated", "--out",
                           str(tmp_path / "report"), "--db", review_db], capture_output=True, text=True,
                          cwd=PROJECT, timeout=120, env={"PIPELINE_OUT": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    scores = json.loads((tmp_path / "report" / "curated_scores.json").read_text())
    doc = scores["documents"]["hostile_review"]
    assert (doc["accepted"], doc["rejected"], doc["edited"], doc["added"], doc["unreviewed"]) == (2, 1, 1, 1, 1)
    # strict: tp 2, fp 1 rejected + 1 edited, fn 1 added + 1 edited
    assert doc["strict"]["precision"] == pytest.approx(2 / 4) and doc["strict"]["recall"] == pytest.approx(2 / 4)
    # lenient: the edit counts as found
    assert doc["lenient"]["precision"] == pytest.approx(3 / 4) and doc["lenient"]["recall"] == pytest.approx(3 / 4)
    assert "000_3d1899da889077ad" not in scores["documents"] or \
        scores["documents"]["000_3d1899da889077ad"]["strict"]["precision"] is None
    assert "hostile_review" in (tmp_path / "report" / "curated_scores.md").read_text()


def test_cohen_kappa_by_hand_and_agreement_for_admins_only(review_db, tmp_path):
    assert cohen_kappa([("keep", "keep"), ("drop", "drop")]) == pytest.approx(1.0)
    # 4 items: a = k k d d, b = k d d d -> po = 3/4, pe = (2*1 + 2*3)/16 = 1/2, kappa = 0.5
    assert cohen_kappa([("keep", "keep"), ("keep", "drop"), ("drop", "drop"), ("drop", "drop")]) == pytest.approx(0.5)
    assert cohen_kappa([("keep", "keep")]) is None
    service = ReviewService(review_db)
    key, items = _hostile(service)
    labels_a = ["accept", "accept", "reject", "reject"]
    labels_b = ["accept", "reject", "reject", "reject"]
    for item, a, b in zip(items, labels_a, labels_b):
        service.decide(item.id, "alice", a, 0, reason="r" if a == "reject" else None)
        service.decide(item.id, "bob", b, 1, reason="r" if b == "reject" else None)
    with pytest.raises(Conflict):
        service.decide(items[0].id, "bob", "accept", 1)
    [pair] = service.agreement()
    assert (pair["doc"], pair["curator_a"], pair["curator_b"], pair["n"]) == ("hostile_review", "alice", "bob", 4)
    assert pair["kappa"] == pytest.approx(0.5) and pair["agreement"] == pytest.approx(0.75)
    client = TestClient(create_app(AppConfig(review_db, tmp_path / "cache")))
    client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert client.get("/admin").status_code == 403 and client.get("/api/agreement").status_code == 403
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    page = client.get("/admin")
    assert page.status_code == 200 and "0.50" in page.text and "alice" in page.text
    assert client.get("/api/agreement").json()[0]["kappa"] == pytest.approx(0.5)


def test_trial_statistics_are_reviewed_edited_and_exported(review_db, tmp_path):
    from pipeline.review.curated import export_curated

    service = ReviewService(review_db)
    [stat] = [i for i in service.items(Filters(doc="trial_review")) if i.kind == "stat"]
    assert stat.current["hr"] == 0.33 and stat.current["measure"] == "median_pfs"
    with pytest.raises(Exception) as bad:
        service.decide(stat.id, "alice", "edit", 0, fields={"context": "x"})  # a triple field
    assert "cannot be edited" in str(bad.value)
    edited = service.decide(stat.id, "alice", "edit", 0, fields={"ci_high": "0.44"}, reason="typo in the PDF")
    assert edited.current["ci_high"] == 0.44 and edited.original["ci_high"] == 0.43
    assert service.decide(stat.id, "bob", "accept", 1).status == "accepted"
    summary = export_curated(service, tmp_path / "curated")
    assert summary["stats"] == 1
    [row] = pd.read_parquet(tmp_path / "curated" / "curated_stats.parquet").to_dict("records")
    assert row["id"] == stat.id and row["ci_high"] == 0.44 and row["curator"] == "bob"
    client = TestClient(create_app(AppConfig(review_db, tmp_path / "cache")))
    client.post("/login", data={"username": "alice", "password": PASSWORD})
    page = client.get(f"/documents/{stat.doc_key}")
    assert page.status_code == 200 and f'id="item-{stat.id}"' in page.text and "median_pfs" in page.text
    assert client.get(f"/items/{stat.id}/image.png").status_code == 404  # a text source has no page image
