"""The store on a real SQLite database: versions, replacement, decisions survive re-extraction."""

from __future__ import annotations

from pipeline.records import Document, Mention, Provenance, TrialStat, Triple
from pipeline.store import repository as repo


def _doc(text: str = "Everolimus inhibits mTOR.", content_hash: str = "a" * 64) -> Document:
    return Document(doc_id="d1", content_hash=content_hash, source_path="d1.txt",
                    source_type="txt", text=text)


def _triple(outcome: str = "proliferation") -> Triple:
    return Triple(doc="d1", drug="everolimus", target="MTOR", outcome=outcome, effect="decreases",
                  evidence="Everolimus inhibits mTOR.", start=0, end=25, rule="test")


def test_document_round_trip_and_versions(tmp_path):
    engine = repo.connect(f"sqlite:///{tmp_path / 'db.sqlite'}")
    key = repo.save_document(engine, _doc())
    assert repo.find_document(engine, "d1", "a" * 64).text == "Everolimus inhibits mTOR."
    assert repo.find_document(engine, "d1", "b" * 64) is None
    other = repo.save_document(engine, _doc(content_hash="b" * 64))
    assert key != other
    assert not repo.is_extracted(engine, "d1", "a" * 64)


def test_reextraction_replaces_statements_but_keeps_decisions(tmp_path):
    engine = repo.connect(f"sqlite:///{tmp_path / 'db.sqlite'}")
    key = repo.save_document(engine, _doc())
    mention = Mention(doc_id="d1", start=0, end=10, text="Everolimus", label="DRUG",
                      canonical="everolimus", provenance=Provenance(stage="ner"))
    stat = TrialStat(doc="d1", measure="median_pfs", value=11.0, unit="months", evidence="x",
                     rule="test")
    repo.save_extraction(engine, key, [mention], [_triple()], [stat])
    first = repo.statements(engine, "d1")
    assert len(first) == 1 and repo.is_extracted(engine, "d1", "a" * 64)
    repo.add_decision(engine, first[0].id, "curator-a", "accept")
    repo.save_extraction(engine, key, [mention], [_triple("apoptosis")], [stat])
    second = repo.statements(engine, "d1")
    assert [t.outcome for t in second] == ["apoptosis"]
    assert [d.decision for d in repo.decisions(engine, first[0].id)] == ["accept"]


def test_scores_history(tmp_path):
    engine = repo.connect(f"sqlite:///{tmp_path / 'db.sqlite'}")
    run = repo.start_run(engine, "evaluate")
    repo.save_scores(engine, run, [("text", "triples_lenient", "f1", 0.5)])
    history = repo.score_history(engine)
    assert history[0]["value"] == 0.5 and history[0]["run_id"] == run


def test_unknown_decision_is_refused(tmp_path):
    engine = repo.connect(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        repo.add_decision(engine, "tri_x", "c", "maybe")
    except ValueError as error:
        assert "maybe" in str(error)
    else:
        raise AssertionError("expected ValueError")


def test_two_versions_of_one_document_keep_their_own_records(tmp_path):
    """The PDF and the text of one paper share a doc id and may yield identical mentions."""
    engine = repo.connect(f"sqlite:///{tmp_path / 'db.sqlite'}")
    mention = Mention(doc_id="d1", start=0, end=10, text="Everolimus", label="DRUG",
                      canonical="everolimus", provenance=Provenance(stage="ner"))
    keys = [repo.save_document(engine, _doc(content_hash=h * 64)) for h in "ab"]
    for key in keys:
        repo.save_extraction(engine, key, [mention], [_triple()], [])
    assert len(repo.statements(engine, "d1")) == 2
    assert len(repo.statements(engine, doc_keys=[keys[0]])) == 1


def test_block_lookup_by_offset():
    from pipeline.records import Block

    text = "Title\n\nFirst paragraph."
    doc = _doc(text=text).model_copy(update={"blocks": [
        Block(kind="title", text="Title", start=0, end=5, page=1),
        Block(kind="paragraph", text="First paragraph.", start=7, end=23, page=2)]})
    assert doc.block_at(0).kind == "title" and doc.block_at(10).kind == "paragraph"
    assert doc.block_at(6) is None and doc.block_at(23) is None  # between and after blocks
    assert doc.page_at(8) == 2 and doc.page_at(6) is None


def test_regimens_of_one_sentence_are_distinct_statements():
    from pipeline.records import Triple

    base = dict(doc="d", drug="curcumin", outcome="tumor growth", effect="decreases", start=0, end=60,
                evidence="Curcumin alone or in combination with cisplatin reduced tumor growth.", rule="cue")
    alone, combined = Triple(**base), Triple(**base, combined_with=["cisplatin"])
    assert alone.id != combined.id
    # Table rows carry no offsets: their text tells them apart.
    first = Triple(**dict(base, start=None, end=None, evidence="2014 | X reduced tumor growth"))
    second = Triple(**dict(base, start=None, end=None, evidence="2015 | X reduced tumor growth in mice"))
    assert first.id != second.id


def test_hazard_ratios_of_one_sentence_are_distinct_records():
    from pipeline.records import TrialStat

    base = dict(doc="d", measure="hr", evidence="HR 0.59 for PFS and 0.71 for OS.", start=0, end=31, rule="r")
    assert TrialStat(**base, hr=0.59).id != TrialStat(**base, hr=0.71).id
