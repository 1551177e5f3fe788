"""Trial-arm comparisons: what a trial report says its intervention arm did against control.

Trial reports state results as comparisons of groups, not as sentences with a drug subject:
"There was no significant difference in weight between the groups", "scores were significantly
higher for the physical activity group compared with controls". Three general operators read them:

* **the intervention arm** of a document: the agent whose name (without its head word
  "intervention", "programme", …) names a group ("the physical activity group", "the physical
  activity and control groups") at least twice;
* **arm mentions** in a sentence: that name before "group"/"arm"/"compared with control", or a
  generic one ("between the two groups", "the intervention") in a sentence naming no other drug;
* **the comparison**: the first cue of ``patterns/comparisons.tsv`` in the sentence gives the
  effect; a control arm named right after a directional cue ("more caesarean births in the
  control group") flips it; what is compared is each outcome or disease the sentence names, or
  else the noun phrase after "difference in" or the subject of the comparison.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span

from pipeline.relations.cues import any_word, tsv_rows, word_list
from pipeline.stats.arms import CONTROL_HEADER as CONTROL_ARM


COMPARISONS_PATH = Path(__file__).with_name("patterns") / "comparisons.tsv"
FLIP = {"increases": "decreases", "decreases": "increases"}
# Head words an intervention's name drops when its arm is named ("physical activity intervention"
# → "the physical activity group").
INTERVENTION_HEADS = re.compile(r"\s+" + any_word(word_list("intervention_heads")) + "$", re.I)
ARM_AFTER = r"(?:\s+(?:group|groups|arm|arms|participants)\b|\s+and\s+(?:the\s+)?control\s+groups?\b|" \
            r"\s+(?:compared\s+with|versus|vs\.?)\s+(?:the\s+)?control)"
GENERIC_ARM = re.compile(
    r"\b(?:between|in|for|of)\s+(?:the\s+)?(?:two\s+|both\s+|study\s+|trial\s+)*(?:groups|arms)\b|"
    r"\bthe\s+intervention(?:\s+(?:group|arm))?\b|\bintervention\s+status\b|\btreatment\s+group\b",
    re.I)
CONTROL_AFTER_CUE = re.compile(r"^[^.;]{0,60}?\b(?:in|for|among|with)\s+(?:the\s+)?(?:controls?|usual\s+care|placebo)\b",
                               re.I)
MIN_ARM_MENTIONS = 2
# Noun phrases that name the arms or the people, never what is compared.
NOT_COMPARED = re.compile(r"\b" + any_word(word_list("not_compared")) + r"\b", re.I)
# Comparisons of how the trial ran, not of what the intervention did (CONSORT items 13–15).
METHODOLOGICAL = re.compile(r"\b" + any_word(word_list("methodological")) + r"\b", re.I)
DIFFERENCE_IN = word_list("difference_in")  # "no difference in X": X is compared


@dataclass(frozen=True)
class Comparison:
    """One row of ``comparisons.tsv``."""

    id: str
    regex: re.Pattern
    effect: str
    flip: bool
    positive: str
    negative: str


@lru_cache(maxsize=1)
def comparisons() -> tuple[Comparison, ...]:
    rows = tsv_rows(COMPARISONS_PATH, ("id", "regex", "effect", "flip", "positive", "negative"))
    return tuple(Comparison(i, re.compile(regex, re.I), effect, flip == "yes", pos, neg)
                 for i, regex, effect, flip, pos, neg in rows)


@dataclass(frozen=True)
class Arm:
    """The intervention arm of a document: its agent's canonical name and the surface names
    (without head words) that name its group."""

    name: str
    identifier: str | None
    stems: tuple[str, ...]


def intervention_arm(doc) -> Arm | None:
    """The agent whose name names a group most often (at least twice): a review discussing
    many trials has none. Found once per parsed document (relations and statistics both ask)."""
    if "intervention_arm" not in doc.user_data:
        doc.user_data["intervention_arm"] = _find_arm(doc)
    return doc.user_data["intervention_arm"]


def _find_arm(doc) -> Arm | None:
    text = doc.text
    stems: dict[str, set[str]] = {}
    ids: dict[str, str | None] = {}
    for ent in doc.ents:
        if ent.label_ != "DRUG":
            continue
        name = ent._.canonical or ent.text.lower()
        stem = INTERVENTION_HEADS.sub("", ent.text.strip())
        stems.setdefault(name, set()).add(stem.lower())
        ids.setdefault(name, ent._.identifier)
    counts = Counter()
    for name, forms in stems.items():
        for form in forms:
            if CONTROL_ARM.fullmatch(form):
                continue
            counts[name] += len(re.findall(rf"\b{re.escape(form)}{ARM_AFTER}", text, re.I))
    best = counts.most_common(1)
    if best and best[0][1] >= MIN_ARM_MENTIONS:
        name = best[0][0]
        return Arm(name, ids.get(name), tuple(sorted(stems[name], key=len, reverse=True)))
    return None


def names_arm(text: str, arm: Arm) -> bool:
    """The text names the intervention arm by name ("the physical activity group")."""
    return any(re.search(rf"\b{re.escape(stem)}{ARM_AFTER}", text, re.I) for stem in arm.stems)


def arm_anchor(sent: Span, arm: Arm) -> Span | None:
    """Where the sentence names the intervention arm: by name before "group"/"arm"/"compared
    with control", or generically ("between the two groups", "the intervention")."""
    text = sent.text
    hit = None
    for stem in arm.stems:
        hit = re.search(rf"\b{re.escape(stem)}{ARM_AFTER}", text, re.I)
        if hit:
            break
    if hit is None and not any(e.label_ == "DRUG" and (e._.canonical or e.text.lower()) != arm.name
                               for e in sent.ents):
        # "between the two groups" in a sentence naming other drugs is about their study
        hit = GENERIC_ARM.search(text)
    if hit is None:
        return None
    return sent.char_span(hit.start(), hit.end(), alignment_mode="expand")


def comparison_effect(sent: Span) -> tuple[str, str, int] | None:
    """(effect, cue id, cue end offset) of the first comparison cue in the sentence."""
    for row in comparisons():
        hit = row.regex.search(sent.text)
        if hit:
            effect = row.effect
            if row.flip and CONTROL_AFTER_CUE.search(sent.text[hit.end():]):
                effect = FLIP[effect]
            return effect, row.id, hit.end()
    return None


def compared(sent: Span, anchor: Span) -> list[tuple[str, Span]]:
    """What the arms are compared on: (name, span) of each outcome or disease named outside the
    arm mention, or else the noun phrase after "difference in" or the comparison's subject."""
    if METHODOLOGICAL.search(sent.text[:anchor.start_char - sent.start_char]):
        return []
    named = [e for e in sent.ents if e.label_ in {"OUTCOME", "DISEASE"}
             and not (anchor.start <= e.start < anchor.end)]
    if named:
        return list({e._.canonical or e.text.lower(): e for e in reversed(named)}.items())[::-1]
    out = []
    for chunk in sent.noun_chunks:
        if NOT_COMPARED.search(chunk.text) or chunk.start >= anchor.start and chunk.end <= anchor.end:
            continue
        head = chunk.root
        if head.lower_ in DIFFERENCE_IN:
            continue
        after_difference = head.dep_ == "pobj" and head.head.lower_ == "in" and head.head.head.lower_ in DIFFERENCE_IN
        subject = head.dep_ in {"nsubj", "nsubjpass", "attr"} and head.head.dep_ == "ROOT"  # "there were more X"
        if after_difference or subject:
            kept = [t for t in chunk if t.pos_ in {"NOUN", "PROPN", "ADJ"} or t.text == "-"]
            start = next((t.i for t in kept if t.pos_ != "PUNCT" and t.text != "-"), None)
            if start is not None:
                span = sent.doc[start:chunk.end]
                out.append((span.text.lower(), span))
    return out


def arm_findings(sent: Span, arm: Arm) -> list:
    """Findings of a sentence that compares the intervention arm with control."""
    from pipeline.relations.sentence import Agent, Finding

    anchor = arm_anchor(sent, arm)
    if anchor is None:
        return []
    cue = comparison_effect(sent)
    if cue is None:
        return []
    effect, cue_id, _ = cue
    agent = Agent(arm.name, arm.identifier, (), anchor)
    return [Finding(agent=agent, outcome=name, effect=effect, negated=effect == "no_effect",
                    rule=f"arm-comparison:{cue_id}", confidence=0.6)
            for name, _span in compared(sent, anchor)]
