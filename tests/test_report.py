"""The evaluation report on tiny hand-made folders: files, hand-computed numbers, safety."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.report.build import evaluate_and_report
from pipeline.store import repository as repo

DOC = "d1"
SENTENCE = "Everolimus inhibited mTOR and decreased proliferation of tumor cells."
OTHER = "Sirolimus induced apoptosis in osteosarcoma cells."
HOSTILE = "Metformin <script>alert(1)</script> reduced migration of tumor cells."
STAT_EVIDENCE = "Median PFS was 11.0 months with everolimus vs 4.6 months with placebo (p < 0.001)."


def _triple(**fields) -> dict:
    base = {"doc": DOC, "drug": "everolimus", "combined_with": [], "target": "MTOR",
            "interaction": "inhibits", "outcome": "proliferation", "effect": "decreases",
            "context": None, "hedged": False, "negated": False, "evidence": SENTENCE}
    return base | fields


def _stat(**fields) -> dict:
    base = {"doc": DOC, "study": "RADIANT-3", "phase": "3", "drug": "everolimus", "n": 410,
            "measure": "median_pfs", "value": 11.0, "p_value": "<0.001", "dose": None,
            "evidence": STAT_EVIDENCE}
    return base | fields


def _write(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


@pytest.fixture
def folders(tmp_path, monkeypatch) -> dict[str, Path]:
    """Gold: 2 triples + 1 statistic. Predictions: 1 right triple, 1 spurious, 1 statistic.

    Triples: tp 1, fp 1, fn 1 -> P = R = F1 = 0.5 (strict and lenient alike).
    Statistics: tp 1 -> P = R = F1 = 1.0; its n is wrong (400 vs 410), its p-value only spaced.
    """
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    _write(gold / f"{DOC}.triples.jsonl", [
        _triple(id="001-T001"),
        _triple(id="001-T002", drug="sirolimus", target=None, interaction=None, outcome="apoptosis",
                effect="increases", evidence=OTHER)])
    _write(gold / f"{DOC}.stats.jsonl", [_stat(id="001-S001")])
    _write(pred / "triples.jsonl", [
        _triple(page=2, start=0, end=70, rule="r"),
        _triple(drug="metformin", target=None, interaction=None, outcome="migration",
                evidence=HOSTILE, page=3, rule="r")])
    _write(pred / "stats.jsonl", [_stat(n=400, p_value="< 0.001", page=2, rule="r")])
    # A PDF of the document in the corpus: predictions with a page link to it.
    corpus = tmp_path / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "pdf" / f"{DOC}.pdf").write_bytes(b"%PDF-1.4\n")
    monkeypatch.setenv("PIPELINE_CORPUS", str(corpus))
    return {"gold": gold, "pred": pred, "out": tmp_path / "report" / "eval",
            "db": f"sqlite:///{tmp_path / 'scores.sqlite'}"}


def test_report_files_and_hand_computed_numbers(folders):
    result = evaluate_and_report({"pdf": folders["pred"]}, folders["gold"], folders["out"],
                                 db_url=folders["db"])
    for name in ("metrics.json", "index.html", "summary.md"):
        assert (folders["out"] / name).is_file()
    metrics = json.loads((folders["out"] / "metrics.json").read_text(encoding="utf-8"))
    triples, stats = metrics["labels"]["pdf"]["triples"], metrics["labels"]["pdf"]["stats"]
    half = {"tp": 1, "fp": 1, "fn": 1, "precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert triples["lenient"] == half and triples["strict"] == half
    assert stats["matched"] == {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert stats["fields"]["n"] == {"correct": 0, "total": 1, "accuracy": 0.0}
    assert stats["fields"]["p_value"]["accuracy"] == 1.0
    assert result.headline == {"pdf": metrics["headline"]["pdf"]}
    assert result.headline["pdf"]["triples_lenient_f1"] == 0.5
    assert result.headline["pdf"]["stats_f1"] == 1.0
    assert "| pdf | triples lenient | 0.500 | 0.500 | 0.500 | 1 | 1 | 1 |" in (
        folders["out"] / "summary.md").read_text(encoding="utf-8")
    assert result.summary_lines[0].startswith("pdf: triples lenient F1 0.500")


def test_html_is_self_contained_and_escaped(folders):
    result = evaluate_and_report({"pdf": folders["pred"]}, folders["gold"], folders["out"],
                                 db_url=folders["db"])
    html = result.index_html.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.IGNORECASE)
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"<script|<link|@import|url\(", html, re.IGNORECASE)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count('src="data:image/png;base64,') == 6  # five plots + score history
    # The spurious prediction is listed with its evidence, marked words and a PDF page link.
    assert "<mark>Metformin</mark>" in html and "<mark>migration</mark>" in html
    assert 'href="../../corpus/pdf/d1.pdf#page=3"' in html
    assert "gold 001-T002" in html  # the missed gold record points to its id and seed


def test_every_run_adds_to_the_score_history(folders):
    first = evaluate_and_report({"pdf": folders["pred"]}, folders["gold"], folders["out"],
                                db_url=folders["db"])
    second = evaluate_and_report({"pdf": folders["pred"]}, folders["gold"], folders["out"],
                                 db_url=folders["db"])
    history = repo.score_history(repo.connect(folders["db"]))
    assert {row["run_id"] for row in history} == {first.metrics["run_id"], second.metrics["run_id"]}
    f1 = [r["value"] for r in history if (r["kind"], r["metric"]) == ("triples_lenient", "f1")]
    assert f1 == [0.5, 0.5]


def test_without_database_there_is_no_history_plot(folders):
    result = evaluate_and_report({"pdf": folders["pred"]}, folders["gold"], folders["out"])
    assert "run_id" not in result.metrics
    assert "Score history" not in result.index_html.read_text(encoding="utf-8")


@pytest.mark.e2e
def test_evaluate_flow_runs_in_prefect(prefect_server, folders):
    from pipeline.flows.evaluate import evaluate_flow

    index = evaluate_flow({"pdf": str(folders["pred"])}, str(folders["gold"]), str(folders["out"]),
                          db_url=folders["db"])
    assert Path(index).is_file()
