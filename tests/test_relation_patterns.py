"""Every row of ``pipeline/relations/patterns/relations.jsonl`` (admitted, used by
``extract_triples``) and ``candidates.jsonl`` (not yet admitted) runs on its own examples.

Each example goes through the real tagger (``annotate_text``) and the engine: a positive example
must give the row's finding (with the fields its ``expect`` names), a negative one must give no
finding of that row. A check on an engine that returns nothing must fail.
"""

from __future__ import annotations

import json

import pytest

from pipeline.nlp import annotate_text
from pipeline.relations import engine as engine_module
from pipeline.nlp.model import load_nlp
from pipeline.relations.engine import CANDIDATES_PATH, PATTERNS_PATH, RelationEngine, RelationPattern, load_patterns

FILES = {"admitted": load_patterns(PATTERNS_PATH), "candidate": load_patterns(CANDIDATES_PATH)}
PATTERNS = [p for rows in FILES.values() for p in rows]
ENGINES = {name: RelationEngine(load_nlp().vocab, rows) for name, rows in FILES.items()}
ENGINE_OF = {p.id: name for name, rows in FILES.items() for p in rows}
POSITIVE = [(p.id, i) for p in PATTERNS for i in range(len(p.positive))]
NEGATIVE = [(p.id, i) for p in PATTERNS for i in range(len(p.negative))]
BY_ID = {p.id: p for p in PATTERNS}


def _findings_of(pattern_id: str, text: str):
    doc = annotate_text(text).spacy_doc
    engine = ENGINES[ENGINE_OF[pattern_id]]
    return [f for sent in doc.sents for f in engine_module.find_pattern_statements(sent, engine)
            if f.rule == f"pattern:{pattern_id}"]


def _check_positive(pattern_id: str, index: int) -> None:
    example = BY_ID[pattern_id].positive[index]
    findings = _findings_of(pattern_id, example["text"])
    assert findings, f"{pattern_id}: no finding in its positive example {example['text']!r}"
    expect = example.get("expect", {})
    values = [{"agent": f.agent.name, "target": f.target, "outcome": f.outcome, "effect": f.effect,
               "interaction": f.interaction, "negated": f.negated} for f in findings]
    assert any(all(v[key] == want for key, want in expect.items()) for v in values), (pattern_id, expect, values)


@pytest.mark.parametrize("pattern_id,index", POSITIVE)
def test_pattern_finds_its_positive_example(pattern_id, index):
    _check_positive(pattern_id, index)


@pytest.mark.parametrize("pattern_id,index", NEGATIVE)
def test_pattern_is_silent_on_its_negative_example(pattern_id, index):
    example = BY_ID[pattern_id].negative[index]
    # The sentence must still hold the entities the row looks for, or "silent" proves nothing.
    labels = {e.label_ for e in annotate_text(example["text"]).spacy_doc.ents}
    assert "DRUG" in labels, f"{pattern_id}: negative example names no drug: {example['text']!r}"
    assert _findings_of(pattern_id, example["text"]) == []


def test_every_pattern_has_examples_and_a_direction():
    assert len(PATTERNS) >= 5 and FILES["admitted"]
    assert len(ENGINE_OF) == len(PATTERNS), "a pattern id is in both files"
    for p in PATTERNS:
        assert p.positive and p.negative, p.id
        assert p.effect or p.interaction, p.id
        assert all(ex.get("expect", {}).get("agent") for ex in p.positive), p.id


def test_a_null_engine_fails_the_positive_checks(monkeypatch):
    monkeypatch.setattr(engine_module, "find_pattern_statements", lambda *args, **kwargs: [])
    for pattern_id, index in POSITIVE:
        with pytest.raises(AssertionError):
            _check_positive(pattern_id, index)


def test_a_pattern_without_a_negative_example_is_refused():
    row = json.loads(PATTERNS_PATH.read_text(encoding="utf-8").splitlines()[0])
    row["examples"]["negative"] = []
    with pytest.raises(ValueError, match="negative"):
        RelationPattern.from_row(row)


def test_the_factory_runs_as_a_component_on_a_tagged_doc():
    from pipeline.nlp.model import load_nlp

    component = load_nlp().create_pipe("relation_patterns", config={"path": str(CANDIDATES_PATH)})
    doc = component(annotate_text("Imatinib is approved for the treatment of chronic myeloid leukemia.").spacy_doc)
    assert [(f.agent.name, f.outcome) for f in doc._.relations] == [("imatinib", "chronic myeloid leukemia")]


def test_extract_triples_carries_an_admitted_pattern_finding():
    from pipeline.relations import extract_triples

    triples = extract_triples(annotate_text("Metformin remains the first-line option in the treatment of "
                                            "type 2 diabetes."))
    found = [(t.drug, t.outcome, t.effect, t.rule) for t in triples]
    assert ("metformin", "type 2 diabetes mellitus", "decreases", "pattern:therapy-in-the-treatment-of") in found, found


def test_coordinated_agents_each_get_a_finding():
    doc = annotate_text("Metformin and sitagliptin remain options in the treatment of type 2 diabetes.").spacy_doc
    names = {f.agent.name for s in doc.sents for f in engine_module.find_pattern_statements(s)}
    assert names == {"metformin", "sitagliptin"}


def test_a_token_matcher_row_fills_slots_by_pattern_index(tmp_path):
    row = {"id": "token-protects", "label": "TREATS", "matcher": "token",
           "pattern": [{"ENT_TYPE": "DRUG"}, {"LOWER": "protects"}, {"LOWER": "against"}, {"ENT_TYPE": "DISEASE"}],
           "slots": {"agent": 0, "outcome": 3}, "direction": {"effect": "decreases"},
           "examples": {"positive": [{"text": "Aspirin protects against colorectal cancer.",
                                      "expect": {"agent": "aspirin"}}],
                        "negative": [{"text": "Colorectal cancer protects nobody from aspirin."}]}}
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    engine = RelationEngine(load_nlp().vocab, load_patterns(path))
    doc = annotate_text(row["examples"]["positive"][0]["text"]).spacy_doc
    found = [(f.agent.name, f.outcome, f.effect) for s in doc.sents for f in engine.findings(s)]
    assert found == [("aspirin", "colorectal cancer", "decreases")]
    doc = annotate_text(row["examples"]["negative"][0]["text"]).spacy_doc
    assert [f for s in doc.sents for f in engine.findings(s)] == []


def test_a_rule_finding_on_the_same_agent_and_outcome_is_kept_over_the_pattern_finding(monkeypatch):
    from pipeline.relations.engine import merge_findings
    from pipeline.relations.sentence import Agent, Finding

    doc = annotate_text("Metformin remains the first-line option in the treatment of type 2 diabetes.").spacy_doc
    sent = next(iter(doc.sents))
    rule = Finding(agent=Agent("metformin", None, (), doc[0:1]), outcome="type 2 diabetes mellitus",
                   effect="decreases", rule="cue")
    assert merge_findings([rule], sent) == [rule]
    assert [f.rule for f in merge_findings([], sent)] == ["pattern:therapy-in-the-treatment-of"]
