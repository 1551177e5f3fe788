"""Every row of ``pipeline/relations/patterns/relations.jsonl`` runs on its own examples.

Each example goes through the real tagger (``annotate_text``) and the engine: a positive example
must give the row's finding (with the fields its ``expect`` names), a negative one must give no
finding of that row. A check on an engine that returns nothing must fail.
"""

from __future__ import annotations

import json

import pytest

from pipeline.nlp import annotate_text
from pipeline.relations import engine as engine_module
from pipeline.relations.engine import PATTERNS_PATH, RelationPattern, load_patterns

PATTERNS = load_patterns()
POSITIVE = [(p.id, i) for p in PATTERNS for i in range(len(p.positive))]
NEGATIVE = [(p.id, i) for p in PATTERNS for i in range(len(p.negative))]
BY_ID = {p.id: p for p in PATTERNS}


def _findings_of(pattern_id: str, text: str):
    doc = annotate_text(text).spacy_doc
    return [f for sent in doc.sents for f in engine_module.find_pattern_statements(sent)
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
    assert len(PATTERNS) >= 5
    for p in PATTERNS:
        assert p.positive and p.negative, p.id
        assert p.effect or p.interaction, p.id
        assert all(ex.get("expect", {}).get("agent") for ex in p.positive), p.id


def test_a_null_engine_fails_the_positive_checks(monkeypatch):
    monkeypatch.setattr(engine_module, "find_pattern_statements", lambda sent: [])
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

    component = load_nlp().create_pipe("relation_patterns")
    doc = component(annotate_text("Imatinib is approved for the treatment of chronic myeloid leukemia.").spacy_doc)
    assert [(f.agent.name, f.outcome) for f in doc._.relations] == [("imatinib", "chronic myeloid leukemia")]


def test_coordinated_agents_each_get_a_finding():
    doc = annotate_text("Imatinib and nilotinib are approved for the treatment of chronic myeloid leukemia.").spacy_doc
    names = {f.agent.name for s in doc.sents for f in engine_module.find_pattern_statements(s)}
    assert names == {"imatinib", "nilotinib"}
