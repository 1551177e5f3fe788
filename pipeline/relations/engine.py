"""Relation patterns as data: one engine runs the rows of ``patterns/relations.jsonl``.

Each row is a spaCy ``DependencyMatcher`` pattern (``"matcher": "dependency"``) or a token
``Matcher`` pattern (``"matcher": "token"``) over a parsed sentence whose entities are already
set (DRUG, GENE_OR_PROTEIN, OUTCOME, DISEASE). A row names:

- ``id`` (the rule of the findings it makes) and ``label`` (the relation family);
- ``slots``: which pattern node fills which role (``agent``, ``target``, ``outcome``). For a
  dependency pattern a slot is a node's ``RIGHT_ID``; for a token pattern, the index of a token
  pattern in the list. The filled slot is the entity that holds the matched token;
- ``direction``: ``effect`` (increases / decreases / no_effect) of the agent on the outcome, or
  ``interaction`` (inhibits / activates / binds …) of the agent with the target; a target pattern
  may name the ``outcome`` its trigger measures ("selective for" → ``binding``) with its ``effect``;
- ``trigger`` (optional): the node whose negation negates the finding (a dependency pattern's
  ``"trigger"`` node by default; for a token pattern, the index of its trigger word);
- ``examples``: at least one ``positive`` sentence (with the finding it must give) and one
  ``negative`` sentence (where the row must give nothing); ``tests/test_relation_patterns.py``
  runs every row on its own examples.

Python keeps only the engine and a few general operators applied to every match: negation of the
trigger (``"trigger"`` node, or the agent's head) turns the effect into ``no_effect``; an agent
coordinated with other drugs ("X and Y are approved for …") gives each drug a finding; a drug class
that names its target ("ACE inhibitors") carries that target.

The ``relation_patterns`` factory wraps the engine as a spaCy component. It runs after the
project's tagger has set ``doc.ents`` (``pipeline.nlp.annotate``), so it is created with
``nlp.create_pipe`` and called on tagged docs rather than added to the loaded pipeline, whose
components run before the entities exist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span

from pipeline.relations.cues import word_list
from pipeline.relations.sentence import Agent, Finding, canonical, class_target, identifier

PATTERNS_PATH = Path(__file__).with_name("patterns") / "relations.jsonl"
# Rows that pass their own examples but have not yet shown a gain on the development papers; the
# tests run them, ``extract_triples`` does not. A row moves to relations.jsonl when it helps there.
CANDIDATES_PATH = Path(__file__).with_name("patterns") / "candidates.jsonl"
ROLES = frozenset({"agent", "target", "outcome"})
EFFECTS = frozenset({"increases", "decreases", "no_effect"})
INTERACTIONS = frozenset({"inhibits", "activates", "binds", "degrades", "modulates"})
MATCHERS = frozenset({"dependency", "token"})
NEGATORS = word_list("negators")
NEGATING_HEADS = word_list("negating_heads")  # "X failed to protect against Y"
CONFIDENCE = 0.6


@dataclass(frozen=True)
class RelationPattern:
    """One row of ``relations.jsonl``."""

    id: str
    label: str
    matcher: str
    pattern: list
    slots: dict
    effect: str | None
    interaction: str | None
    positive: tuple
    negative: tuple
    trigger: object = "trigger"
    measured: str | None = None  # fixed outcome of a target pattern ("selective for" → binding)

    @classmethod
    def from_row(cls, row: dict) -> "RelationPattern":
        problems = []
        for key in ("id", "label", "matcher", "pattern", "slots", "direction", "examples"):
            if key not in row:
                problems.append(f"missing {key!r}")
        if problems:
            raise ValueError(f"pattern {row.get('id')!r}: {', '.join(problems)}")
        slots, direction, examples = row["slots"], row["direction"], row["examples"]
        if row["matcher"] not in MATCHERS:
            problems.append(f"matcher must be one of {sorted(MATCHERS)}")
        if "agent" not in slots or not set(slots) <= ROLES or not ({"target", "outcome"} & set(slots)):
            problems.append("slots must fill agent and a target or an outcome")
        effect, interaction = direction.get("effect"), direction.get("interaction")
        if effect is not None and effect not in EFFECTS:
            problems.append(f"effect must be one of {sorted(EFFECTS)}")
        if interaction is not None and interaction not in INTERACTIONS:
            problems.append(f"interaction must be one of {sorted(INTERACTIONS)}")
        measured = direction.get("outcome")  # a fixed outcome the trigger measures ("affinity" → binding)
        if (("outcome" in slots or measured is not None) != (effect is not None)
                or ("target" in slots) != (interaction is not None)):
            problems.append("an outcome (slot or fixed) needs an effect, a target slot an interaction")
        if not examples.get("positive") or not examples.get("negative"):
            problems.append("needs at least one positive and one negative example")
        names = _node_names(row["matcher"], row["pattern"])
        if not set(slots.values()) <= names:
            problems.append(f"slots name nodes the pattern lacks: {set(slots.values()) - names}")
        if problems:
            raise ValueError(f"pattern {row['id']!r}: {'; '.join(problems)}")
        trigger = row.get("trigger", "trigger")
        if "trigger" in row and trigger not in names:
            problems.append(f"trigger names a node the pattern lacks: {trigger!r}")
        if problems:
            raise ValueError(f"pattern {row['id']!r}: {'; '.join(problems)}")
        return cls(row["id"], row["label"], row["matcher"], row["pattern"], dict(slots), effect,
                   interaction, tuple(examples["positive"]), tuple(examples["negative"]), trigger, measured)


def _node_names(matcher: str, pattern: list) -> set:
    if matcher == "dependency":
        return {node["RIGHT_ID"] for node in pattern}
    return set(range(len(pattern)))


def load_patterns(path: Path | str | None = None) -> list[RelationPattern]:
    """The rows of a pattern file (blank lines and ``//`` comment lines skipped); ids are unique."""
    patterns, seen = [], set()
    with Path(path or PATTERNS_PATH).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            pattern = RelationPattern.from_row(json.loads(line))
            if pattern.id in seen:
                raise ValueError(f"duplicate pattern id {pattern.id!r}")
            seen.add(pattern.id)
            patterns.append(pattern)
    return patterns


class RelationEngine:
    """Runs every pattern on a sentence and turns matches into ``Finding`` records."""

    def __init__(self, vocab, patterns: list[RelationPattern]) -> None:
        self.patterns = {p.id: p for p in patterns}
        # Match ids are string hashes; keep them here so a doc from another Vocab (another nlp
        # object) is matched without looking its strings up.
        self._by_hash = {vocab.strings.add(p.id): p for p in patterns}
        self.dependency = DependencyMatcher(vocab, validate=True)
        self.token = Matcher(vocab, validate=True)
        for p in patterns:
            if p.matcher == "dependency":
                self.dependency.add(p.id, [p.pattern])
            else:
                self.token.add(p.id, [p.pattern])
        self._last = None  # (doc, its matches)

    def __call__(self, doc: Doc) -> Doc:
        """Component use: findings of every sentence in ``doc._.relations``."""
        if not Doc.has_extension("relations"):
            Doc.set_extension("relations", default=None)
        doc._.relations = [f for sent in doc.sents for f in self.findings(sent)]
        return doc

    def _doc_matches(self, doc: Doc) -> list[tuple[RelationPattern, dict]]:
        """Matches of every pattern in a whole doc (``{node: token index}``), kept for the last
        doc: matching a span would copy it into a new doc (``Span.as_doc``), which fails on docs
        whose user data holds spans."""
        if self._last is not None and self._last[0] is doc:
            return self._last[1]
        matches = []
        if len(self.dependency):
            for match_id, tokens in self.dependency(doc):
                pattern = self._by_hash[match_id]
                matches.append((pattern, {node["RIGHT_ID"]: i for node, i in zip(pattern.pattern, tokens)}))
        if len(self.token):
            for match_id, start, _end, alignment in self.token(doc, with_alignments=True):
                pattern = self._by_hash[match_id]
                nodes = {}
                for offset, index in enumerate(alignment):
                    nodes.setdefault(index, start + offset)
                matches.append((pattern, nodes))
        self._last = (doc, matches)
        return matches

    def findings(self, sent: Span) -> list[Finding]:
        """All findings the patterns give in one sentence, one per (agent, target, outcome)."""
        matches = [(pattern, nodes) for pattern, nodes in self._doc_matches(sent.doc)
                   if all(sent.start <= i < sent.end for i in nodes.values())]
        findings, seen = [], set()
        for pattern, nodes in matches:
            for finding in self._findings(sent, pattern, nodes):
                key = (finding.agent.name, finding.target, finding.outcome)
                if key not in seen:
                    seen.add(key)
                    findings.append(finding)
        return findings

    def _findings(self, sent: Span, pattern: RelationPattern, nodes: dict) -> list[Finding]:
        filled = {role: _entity_at(sent, nodes[node]) for role, node in pattern.slots.items()}
        if any(span is None for span in filled.values()):
            return []
        agent_span = filled["agent"]
        trigger = sent.doc[nodes[pattern.trigger]] if pattern.trigger in nodes else agent_span.root.head
        negated = _negated(trigger)
        findings = []
        for span in _coordinated(sent, agent_span):
            target, target_id, interaction = None, None, None
            if "target" in filled:
                target, target_id = canonical(filled["target"]), identifier(filled["target"])
                interaction = pattern.interaction
            else:
                stated = class_target(span)
                if stated:
                    target, interaction = stated, "inhibits"
            outcome = canonical(filled["outcome"]) if "outcome" in filled else pattern.measured
            effect = None
            if outcome is not None:
                effect = "no_effect" if negated else pattern.effect
            agent = Agent(canonical(span), identifier(span), (), span)
            findings.append(Finding(agent=agent, target=target, target_id=target_id, interaction=interaction,
                                    outcome=outcome, effect=effect, negated=negated,
                                    rule=f"pattern:{pattern.id}", confidence=CONFIDENCE,
                                    extra={"label": pattern.label}))
        return findings


def _entity_at(sent: Span, index: int) -> Span | None:
    for ent in sent.ents:
        if ent.start <= index < ent.end:
            return ent
    return None


def _coordinated(sent: Span, agent: Span) -> list[Span]:
    """The agent and the drugs coordinated with it ("X and Y are approved for …")."""
    spans, queue = [agent], [agent.root]
    while queue:
        token = queue.pop()
        for child in token.children:
            if child.dep_ == "conj":
                ent = _entity_at(sent, child.i)
                if ent is not None and ent.label_ == "DRUG" and all(ent.start != s.start for s in spans):
                    spans.append(ent)
                queue.append(child)
    return spans


def _negated(trigger) -> bool:
    """The trigger (or the verb it hangs from) is negated, or sits under "fail to"/"lack"."""
    for token in (trigger, trigger.head):
        if any(child.dep_ == "neg" or child.lower_ in NEGATORS and child.dep_ in {"neg", "det", "advmod"}
               for child in token.children):
            return True
        if token.lemma_ in NEGATING_HEADS and token is not trigger:
            return True
    return False


@lru_cache(maxsize=1)
def default_engine() -> RelationEngine:
    """The engine over the project's pattern file, built on the loaded pipeline's vocabulary."""
    from pipeline.nlp.model import load_nlp

    return RelationEngine(load_nlp().vocab, load_patterns())


def find_pattern_statements(sent: Span, engine: RelationEngine | None = None) -> list[Finding]:
    """Findings of the project's pattern file (or of ``engine``) in one tagged sentence."""
    return (engine or default_engine()).findings(sent)


def merge_findings(findings: list[Finding], sent: Span) -> list[Finding]:
    """The rule findings of a sentence plus the pattern findings they do not already hold: same
    agent, target and outcome, or — when the rules already relate the agent to that outcome —
    same agent and outcome (the rule's reading, with its own target and direction, is kept)."""
    seen = {(f.agent.name, f.target, f.outcome) for f in findings}
    related = {(f.agent.name, f.outcome) for f in findings if f.outcome is not None}
    extra = [f for f in find_pattern_statements(sent)
             if (f.agent.name, f.target, f.outcome) not in seen and (f.agent.name, f.outcome) not in related]
    return findings + extra


@Language.factory("relation_patterns", default_config={"path": None})
def make_relation_patterns(nlp: Language, name: str, path: str | None) -> RelationEngine:
    return RelationEngine(nlp.vocab, load_patterns(path))
