"""Sentence-level drug–target–outcome rules: pure functions over a parsed, entity-tagged span.

The rules are general patterns, in order of how directly the text states the relation:
- ``cue``: a relation cue word (``patterns/cues.tsv``) between the drug and the target/outcome,
  or just before the pair ("inhibition of proliferation by X", "X-induced apoptosis").
- ``class-apposition``: a named drug next to a drug class whose name states its target
  ("X, an mTOR inhibitor", "mTOR inhibitors such as X") takes the class's target.
- ``class-target``: a drug class acting on an outcome carries its own target.
- ``comparison``: a clinical comparison whose direction only the numbers give ("PFS was 16.4
  months with X vs. 11.3 months with placebo"), read with the trial-statistics parser.
- ``anaphor``: a sentence without a drug whose subject refers back ("the drug", "the
  combination") speaks of the drug of the previous sentence.
- ``trial-result``: a sentence without a drug that reports a measured result (p-value,
  percentage, patient count) reports the study of the named drug before it.
Coordinated drugs each get a record; combination partners go to ``combined_with``. A sentence
that only says what was studied ("assessed the activity of X") states no finding.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span

from pipeline.nlp.rules import EFFICACY_GRADES
from pipeline.relations.cues import (categories, effect_of, has_category, interaction_of, measure_outcomes,
                                     word_list, word_tuple)

CLASS_TARGETS_PATH = Path(__file__).with_name("patterns") / "class_targets.tsv"
MAX_WINDOW = 30  # tokens between a drug and what it acts on
BACKWARD_WINDOW = 12  # tokens from a gene back to the drug marked as its agent ("inhibition of mTOR by X")
LOOKBEHIND = 4  # tokens before the pair searched for a cue ("inhibition of Y by X")
APPOSITION_WINDOW = 8  # tokens between a named drug and a class naming its target
# Word lists: patterns/words.tsv says what each is for (MEASURE_OUTCOMES: measure_outcomes.tsv).
GENE_CLASS_HEADS = word_list("gene_class_heads")
EFFICACY_ADJECTIVES = word_list("efficacy_adjectives")
COPULAS = word_list("copulas")
ARTICLES = word_list("articles")
ENHANCERS = word_list("enhancers")
NON_AGENT_SUFFIXES = word_list("non_agent_suffixes")
BENEFIT_WORDS = word_list("benefit_words")
HARM_GRADES = word_list("harm_grades")
CLASS_HEAD_WORDS = word_list("class_head_words")
COMPOSITION_WORDS = word_list("composition_words")
ASSAY_VERBS = word_list("assay_verbs")
ASSAY_WINDOW = 4  # "as determined by cleaved caspase 3"
CELL_STATES = word_list("cell_states")
CO_TREATMENT_VERBS = word_list("co_treatment_verbs")
CO_TREATMENT_WINDOW = 5  # "treated with increasing doses of X"
THERAPY_HEADS = word_tuple("therapy_heads")  # a tuple: used with str.endswith
INDUCED_BY = word_list("induced_by")
RESPONSE_NOUNS = word_list("response_nouns")  # "X resistance"
# "resistant to X", "tolerance to X": X is what is resisted.
RESISTANCE_WORDS = RESPONSE_NOUNS | word_list("resistance_words")
DERIVATIVE_NOUNS = word_list("derivative_nouns")
AGENTIVE = word_list("agentive")  # "inhibition of mTOR by X"
# A percentage or a count of patients/groups ("41%", "13 out of 21 patients", "the two groups").
RESULT_NUMBER = re.compile(r"\d\s?%|\b(?:\d+|two|three)\s+(?:out\s+of\s+\d+\s+)?(?:patients|groups|arms)\b", re.I)
LIKEWISE_WINDOW = 6  # "in a similar range to parent molecule Y"
ANAPHOR_WINDOW = 6  # an anaphoric subject sits near the start of its sentence
DETERMINERS = word_list("determiners")
# Trial measures where a larger value in the treated arm is the better outcome.
MEASURE_OUTCOMES = measure_outcomes()
# Words naming efficacy in general, and the measured clinical outcomes they may paraphrase.
EFFICACY_OBJECT_WINDOW = 5  # "effective for aiding smoking cessation"
EFFICACY_PREPOSITIONS = word_list("efficacy_prepositions")
VAGUE_EFFICACY = word_list("vague_efficacy")
CLINICAL_OUTCOMES = frozenset(MEASURE_OUTCOMES.values()) | word_list("clinical_outcomes")


@lru_cache(maxsize=1)
def class_targets() -> dict[str, str]:
    """Drug-class canonical name → the target its name states."""
    with CLASS_TARGETS_PATH.open(encoding="utf-8") as handle:
        rows = (line for line in handle if not line.startswith("#"))
        return {row["class"]: row["target"] for row in csv.DictReader(rows, delimiter="\t")}


@dataclass(frozen=True)
class Agent:
    """The intervention of a statement: a drug (or class) and its combination partners.

    ``anchor`` is where the agent is in the sentence (the drug mention, or the anaphor that
    refers to it), used to measure distances to targets and outcomes.
    """

    name: str
    identifier: str | None
    partners: tuple[str, ...]
    anchor: Span
    is_class: bool = False


@dataclass
class Finding:
    """One statement found in a sentence, before it becomes a ``Triple``."""

    agent: Agent
    target: str | None = None
    target_id: str | None = None
    interaction: str | None = None
    outcome: str | None = None
    effect: str | None = None
    negated: bool = False
    rule: str = "cue"
    confidence: float = 0.5
    extra: dict = field(default_factory=dict)


def canonical(span: Span) -> str:
    """Canonical name the NER stage gave the span (its lower-cased text if none)."""
    value = span._.canonical if span.has_extension("canonical") else None
    return value or span.text.lower()


def identifier(span: Span) -> str | None:
    return span._.identifier if span.has_extension("identifier") else None


@lru_cache(maxsize=1)
def gene_symbols() -> dict[str, str]:
    """Lower-case canonical gene/family name → its canonical spelling ("mtorc1" → "mTORC1")."""
    from pipeline.nlp.lexicon import load_lexicon

    return {e.canonical.lower(): e.canonical for e in load_lexicon().entries if e.label == "GENE_OR_PROTEIN"}


@lru_cache(maxsize=1)
def gene_names() -> dict[str, str]:
    """Lower-case gene/family name or synonym → its canonical spelling ("aromatase" → CYP19A1,
    "estrogen receptor" → ESR1), for a class named after its target in words."""
    from pipeline.nlp.lexicon import load_lexicon

    names: dict[str, str] = {}
    for entry in load_lexicon().entries:
        if entry.label == "GENE_OR_PROTEIN":
            names.setdefault(entry.term.lower(), entry.canonical)
    return names


def class_target(span: Span) -> str | None:
    """The target a class name states: a listed class ("rapalogs" → MTOR), a class the NER
    composed from gene names ("cxcr4 antagonist" → CXCR4, "mek/erk inhibitor" → MEK/ERK), or a
    class named by a gene synonym ("aromatase inhibitors" → CYP19A1)."""
    name = canonical(span)
    if name in class_targets():
        return class_targets()[name]
    # The class as composed by the NER, else as written ("ACE inhibitors" whose lexicon name is
    # spelled out): "<gene> inhibitor|antagonist|blocker".
    for form in (name, span.text.lower()):
        genes, _, head = form.rpartition(" ")
        if head.removesuffix("s") in GENE_CLASS_HEADS and genes:
            symbols = [gene_symbols().get(part) or gene_names().get(part) for part in genes.split("/")]
            if all(symbols):
                return "/".join(symbols)
    return None


def _is_class(span: Span) -> bool:
    """A drug class ("SSA", "mTOR inhibitors", MeSH's "anthracyclines", "anti-bacterial
    agents"), not a named drug."""
    match = span._.match if span.has_extension("match") else None
    name = canonical(span)
    return match == "class" or name in class_targets() or name.split()[-1] in CLASS_HEAD_WORDS


def _between(left: Span, right: Span) -> Span:
    """Tokens strictly between two spans (in text order)."""
    first, second = (left, right) if left.start <= right.start else (right, left)
    return left.doc[first.end:max(first.end, second.start)]


def _window(sent: Span, a: Span, b: Span, lookbehind: int = LOOKBEHIND) -> list:
    """Tokens between two spans plus a few before the earlier one, within the sentence."""
    first = a if a.start <= b.start else b
    start = max(sent.start, first.start - lookbehind)
    return list(sent.doc[start:first.start]) + list(_between(a, b))


def _too_far(a: Span, b: Span) -> bool:
    """Too many tokens apart, or in different clauses ("X inhibits A while Y inhibits B").
    An agent the sentence leaves implicit (an empty anchor) is the agent of every clause."""
    between = _between(a, b)
    if len(between) > MAX_WINDOW:
        return True
    return bool(len(a) and len(b)) and any(has_category(t, "clause_break") for t in between)


def _names_something_else(drug: Span) -> bool:
    """The drug only qualifies another noun: "everolimus-resistant cells", "the quinolone-derived
    torin1", "rapamycin-insensitive companion of mTOR", "derivatives of rapamycin", "rapalogs
    resistance", "the everolimus sensitivity"."""
    doc = drug.doc
    after = [t.lower_ for t in doc[drug.end:drug.end + 2]]
    if len(after) == 2 and after[0] == "-" and after[1] in NON_AGENT_SUFFIXES:
        return True
    if after and after[0] in RESPONSE_NOUNS:
        return True
    before = [t.lower_ for t in doc[max(0, drug.start - 2):drug.start]]
    if len(before) == 2 and before[1] == "of" and before[0] in DERIVATIVE_NOUNS:
        return True
    # "a phosphinic peptidomimetic ACE inhibitor": a name right before a drug class qualifies it
    following = next((e for e in drug.sent.ents if e.start == drug.end), None)
    return following is not None and following.label_ == "DRUG" and _is_class(following)


def _is_comparator(drug: Span) -> bool:
    """A drug right after "vs", "than", "unlike", "differently from", "comparable (efficacy)
    to" or in a placebo arm ("placebo plus X") is compared against. The cue may sit across a
    named outcome, never across another drug."""
    for token in reversed(drug.doc[max(0, drug.start - 3):drug.start]):
        if has_category(token, "comparator"):
            return True
        if (token.is_punct and token.text not in {".", "("}) or token.ent_type_ == "DRUG":
            return False
    return False


def _negated(tokens: list) -> bool:
    """A negation cue that negates the clause, not one constituent ("mTORC2 but not mTORC1",
    "not only")."""
    for token in tokens:
        if not (has_category(token, "negation") or token.dep_ == "neg"):
            continue
        next_word = token.doc[token.i + 1].lower_ if token.i + 1 < len(token.doc) else ""
        if token.lower_ == "not" and (token.head.pos_ in {"NOUN", "PROPN"} or next_word == "only"):
            continue
        return True
    return False


def _gap(left: Span, right: Span) -> list:
    """Tokens between two mentions, without punctuation (but "+"), articles and bracketed asides
    ("Pasireotide (until 60 mg monthly) and Everolimus")."""
    gap, depth = [], 0
    for t in _between(left, right):
        depth = max(0, depth + (t.text == "(") - (t.text == ")"))
        if depth == 0 and (not t.is_punct or t.text == "+") and t.lower_ not in ARTICLES:
            gap.append(t)
    return gap


def _co_treatment(drug: Span) -> bool:
    """The drug is what patients or cells were treated with ("patients treated with increasing
    doses of X and Y"): drugs coordinated with it were given together."""
    before = drug.doc[max(drug.sent.start, drug.start - CO_TREATMENT_WINDOW):drug.start]
    return any(t.lower_ in CO_TREATMENT_VERBS for t in before)


def _joins(gap: list, sentence_combines: bool) -> bool:
    """The words between two drugs make the second a co-administered partner of the first;
    "X and with Y" coordinates two regimens instead."""
    if [t.lower_ for t in gap] in (["and", "with"], ["or", "with"]):
        return False
    if [t.lower_ for t in gap] == ["followed", "by"]:  # a sequence is one regimen
        return True
    words = {t.lower_ for t in gap}
    return len(gap) <= 4 and bool(
        words & {"plus", "+", "with"}
        or any(has_category(t, "combination") for t in gap)
        or (sentence_combines and words and words <= {"and", "or", "both"})
    )


def _names_a_partner(drug: Span) -> bool:
    """"Y-induced apoptosis" after another drug: Y's effect is what that drug modulates."""
    after = [t.lower_ for t in drug.doc[drug.end:drug.end + 2]]
    return len(after) == 2 and after[0] == "-" and after[1] in INDUCED_BY


def _combines_with(gap: list) -> bool:
    """A combination word and "with" between two drugs, and no verb after them ("…, especially
    in combination with", "when combining with other drugs, such as")."""
    for i, token in enumerate(gap[:-1]):
        if has_category(token, "combination") and gap[i + 1].lower_ == "with":
            return not any(t.pos_ in {"VERB", "AUX"} for t in gap[i + 2:])
    return False


def combination_groups(sent: Span, drugs: list[Span]) -> list[tuple[Span, list[Span]]]:
    """Group drugs into regimens (primary, partners): partners are co-administered with it.

    Two neighbouring drugs are combined when the words between them are a combination marker
    ("plus", "+", "with", "combined with"), or "and"/"or" in a sentence about a combination.
    Statements that name several regimens give one group each:
    - "X alone or in combination with Y" → (X), (X + Y);
    - "X combined with A or B" → (X + A), (X + B): partners joined by "or" are alternatives;
    - "X …, which is enhanced by Y" → (X), (X + Y);
    - "X sensitizes Y-induced apoptosis" → (X + Y): Y's own effect is what X acts on;
    - "X …, especially in combination with Y", "X … when combining with drugs such as Y" → (X + Y).
    """
    sentence_combines = any(has_category(t, "combination") for t in sent)
    groups: list[tuple[Span, list[Span]]] = []
    for drug in drugs:
        if groups:
            primary, partners = groups[-1]
            previous = partners[-1] if partners else primary
            gap = _gap(previous, drug)
            words = [t.lower_ for t in gap]
            if len(words) >= 2 and words[-2] in ENHANCERS and words[-1] == "by" and not _too_far(previous, drug):
                groups.append((primary, [*partners, drug]))
                continue
            alone = words[:2] in (["alone", "or"], ["alone", "and"])
            if alone:
                gap, words = gap[2:], words[2:]
            if _joins(gap, sentence_combines or _co_treatment(primary)) and canonical(drug) != canonical(primary):
                if partners and words == ["or"]:
                    groups.append((primary, [*partners[:-1], drug]))
                elif alone:
                    groups.append((primary, [drug]))
                else:
                    partners.append(drug)
                continue
            if (not alone and (_names_a_partner(drug) or _combines_with(gap)) and not _too_far(previous, drug)
                    and canonical(drug) != canonical(primary)):
                partners.append(drug)
                continue
        groups.append((drug, []))
    return groups


PATHWAY_JOINERS = word_list("pathway_joiners")
COORDINATORS = word_list("coordinators")


def target_chains(genes: list[Span]) -> list[list[Span]]:
    """Genes acted on jointly form one chain: a pathway ("PI3K/AKT/mTOR", "AMPK-mTOR") or a
    coordination with nothing else between them ("mTORC1 and mTORC2", "PDGFRB, and VEGFR2")."""
    chains: list[list[Span]] = []
    for gene in genes:
        if chains:
            gap = [t.lower_ for t in gene.doc[chains[-1][-1].end:gene.start]]
            pathway = len(gap) <= 1 and set(gap) <= PATHWAY_JOINERS
            if pathway or (gap and len(gap) <= 3 and set(gap) <= COORDINATORS):
                chains[-1].append(gene)
                continue
        chains.append([gene])
    return chains


def _not_a_target(chain: Span) -> bool:
    """Genes the sentence names for another purpose: an assay's readout ("apoptosis, as determined
    by cleaved caspase 3 immunoreactivity") or a cell state ("TGF-β-activated myofibroblasts",
    "HER2-positive tumours")."""
    doc = chain.doc
    before = [t.lower_ for t in doc[max(chain.sent.start, chain.start - ASSAY_WINDOW):chain.start]]
    after = [t.lower_ for t in doc[chain.end:chain.end + 2]]
    return (any(word in ASSAY_VERBS and nxt == "by" for word, nxt in zip(before, before[1:]))
            or (len(after) == 2 and after[0] == "-" and after[1] in CELL_STATES))


def _chain_name(chain: list[Span]) -> str:
    names: list[str] = []
    for gene in chain:
        if canonical(gene) not in names:
            names.append(canonical(gene))
    return "/".join(names)


def _agentive_link(anchor: Span) -> bool:
    """The drug is marked as the agent of something said before it: "… by X", "… with X",
    "(X)", "X-induced"."""
    before = anchor.doc[max(0, anchor.start - 2):anchor.start]
    after = anchor.doc[anchor.end:anchor.end + 1]
    return any(t.lower_ in AGENTIVE for t in before) or any(t.text == "-" for t in after)


def _target_cue(sent: Span, anchor: Span, chain: Span, lookbehind: int = LOOKBEHIND,
                owned: frozenset[int] = frozenset()) -> tuple[str, bool] | None:
    """Interaction signalled between the agent and a gene chain.

    A gene written before the drug needs the drug to be marked as the agent ("inhibition of
    mTOR by X"); otherwise the gene belongs to another clause of the sentence. A cue noun right
    after a chain ("X-induced ERK/MAPK activation") is that chain's own (``owned``: the token
    positions right after the sentence's chains), used when nothing nearer to the drug is.
    """
    if _too_far(anchor, chain):
        return None
    if chain.start < anchor.start and (not _agentive_link(anchor) or len(_between(chain, anchor)) > BACKWARD_WINDOW):
        return None
    tokens = [t for t in _window(sent, anchor, chain, lookbehind)
              if not (anchor.start <= t.i < anchor.end) and t.i not in owned]
    for token in sorted(tokens, key=lambda t: abs(t.i - chain.start)):
        interaction = interaction_of(token)
        if interaction:
            return interaction, _negated(tokens)
    following = sent.doc[chain.end] if chain.start > anchor.start and chain.end < sent.end else None
    if following is not None and following.pos_ == "NOUN" and interaction_of(following):
        return interaction_of(following), _negated(tokens)
    return None


def _outcome_cue(sent: Span, anchor: Span, outcome: Span) -> tuple[str | None, bool, bool]:
    """(effect, negated, investigated) between the agent and an outcome.

    The nearest cue decides: an effect cue gives the direction; an investigation verb
    ("assessed", "evaluated") means the sentence reports what was studied, not a result.
    """
    if _too_far(anchor, outcome):
        return None, False, False
    tokens = [t for t in _window(sent, anchor, outcome)
              if not (outcome.start <= t.i < outcome.end) and not (anchor.start <= t.i < anchor.end)]
    negated = _negated(tokens)
    # The outcome phrase may carry its own direction ("tumor regression", "anti-proliferative"),
    # unless the cue word is part of the outcome's name ("cell cycle arrest").
    name = canonical(outcome)
    # Efficacy or harm graded as such is efficacy or harm shown ("potent anti-OS activity",
    # "promising results", "intolerable toxicity").
    before = outcome.doc[outcome.start - 1] if outcome.start > outcome.sent.start else None
    grades = {t.lower_ for t in (outcome[0], before) if t is not None}
    if name == "anti-tumor activity" and outcome[-1].lower_ in BENEFIT_WORDS:  # "antitumour benefit"
        return "increases", negated, False
    if (name == "anti-tumor activity" and grades & EFFICACY_GRADES) or (name == "adverse events" and grades & HARM_GRADES):
        return "increases", negated, False
    if name != "anti-tumor activity":
        for token in outcome:
            effect = effect_of(token)
            if effect and token.lower_ not in name.split():
                return effect, negated, False
    # A nominal cue right after the outcome ("tumor growth inhibitory function", "apoptosis
    # induction") is the outcome's own direction.
    following = outcome.doc[outcome.end] if outcome.end < min(len(outcome.doc), outcome.sent.end) else None
    # Not after an adjective: "effective reduction" is a reduction that works, not less efficacy.
    if following is not None and outcome[-1].pos_ in {"NOUN", "PROPN"} and effect_of(following):
        return effect_of(following), negated, False
    # Words of other outcomes are not cues ("antitumour activity of X … PFS was 9.7 months").
    cues = [t for t in tokens if t.ent_type_ != "OUTCOME"]
    for token in sorted(cues, key=lambda t: abs(t.i - outcome.start)):
        if has_category(token, "investigation"):
            return None, negated, True
        effect = effect_of(token)
        if effect:
            return effect, negated, False
    return _predicated_efficacy(outcome), negated, False


def _predicated_efficacy(outcome: Span) -> str | None:
    """Efficacy said of the subject ("X was found effective", "X appeared to be the most
    effective treatment"): increases, or decreases when graded down ("less effective")."""
    word = outcome[0] if len(outcome) == 1 else None
    if word is None or word.lower_ not in EFFICACY_ADJECTIVES:
        return None
    predicative = word.dep_ in {"acomp", "oprd"} or (
        word.dep_ == "amod" and word.head.dep_ == "attr" and word.head.head.lemma_ in COPULAS)
    if not predicative:
        return None
    return "decreases" if any(c.lower_ in {"less", "least"} for c in word.children) else "increases"


def _efficacy_object(outcome: Span) -> Span | None:
    """"effective for aiding smoking cessation", "efficacy in reducing cravings": the outcome
    named right after a vague efficacy word (through a preposition and a gerund) is what the
    efficacy is about."""
    doc = outcome.doc
    window = doc[outcome.end:min(outcome.sent.end, outcome.end + EFFICACY_OBJECT_WINDOW)]
    if not window or window[0].lower_ not in EFFICACY_PREPOSITIONS:
        return None
    for ent in outcome.sent.ents:
        if ent.label_ == "OUTCOME" and window.start < ent.start <= window.end - 1:
            if all(t.lower_ in EFFICACY_PREPOSITIONS or t.tag_ == "VBG" or t.is_stop
                   for t in doc[window.start:ent.start]):
                return ent
    return None


def _reports_a_study(sent: Span) -> bool:
    """The sentence's main verb says what was studied ("The resistance of … mTOR inhibitors is
    explored in most studies"), so the sentence states no result."""
    root = sent.root
    return root.pos_ == "VERB" and has_category(root, "investigation")


@lru_cache(maxsize=256)
def _sentence_stats(text: str) -> tuple:
    """The trial statistics of a sentence, parsed once for all its agents and outcomes."""
    from pipeline.stats.sentences import parse_sentence

    return tuple(parse_sentence(text))


def _comparison_effect(sent: Span, outcome: Span) -> str | None:
    """Direction of a two-arm comparison of this outcome's measure, treated arm first."""
    for stat in _sentence_stats(sent.text):
        if (MEASURE_OUTCOMES.get(stat.measure) == canonical(outcome) and stat.value is not None
                and stat.comparator_value is not None):
            if stat.value == stat.comparator_value:
                return "no_effect"
            return "increases" if stat.value > stat.comparator_value else "decreases"
    return None


def _apposed(span: Span, candidates: list[Span]) -> Span | None:
    """The nearest candidate within the apposition window ("X, an mTOR inhibitor"); items
    coordinated with it ("rapamycin and MEK1/2 inhibitor") are not appositions."""
    near = []
    for other in candidates:
        between = [t.lower_ for t in _between(span, other)]
        if other.start != span.start and len(between) <= APPOSITION_WINDOW and not (
                between and set(between) <= COORDINATORS and set(between) & {"and", "or"}):
            near.append((len(between), other.start, other))
    return min(near, key=lambda n: n[:2])[2] if near else None


def _kind_of_therapy_given_as(drug: Span) -> bool:
    """"Targeted therapies with everolimus", "chemotherapy with cisplatin": a therapy class
    followed by "with" and a drug names the kind of therapy that drug is."""
    doc = drug.doc
    return (_is_class(drug) and drug[-1].lower_.endswith(THERAPY_HEADS) and drug.end + 1 < len(doc)
            and doc[drug.end].lower_ == "with" and doc[drug.end + 1].ent_type_ == "DRUG")


def _without_components(drugs: list[Span]) -> list[Span]:
    """"Neoadjuvant chemotherapy is a combination of agents, comprising anthracyclines
    (doxorubicin), …": drugs listed after a composition word are parts of the drug named before
    it, which is the agent."""
    if not drugs:
        return drugs
    marks = [t.i for t in drugs[0].sent if t.lower_ in COMPOSITION_WORDS and t.i > drugs[0].start]
    return [d for d in drugs if d.start < marks[0]] if marks else drugs


def agents(sent: Span, drugs: list[Span], primary_hint: str | None = None) -> list[Agent]:
    """The interventions a sentence speaks of. A class next to a named drug describes that
    drug and is not an agent of its own. ``primary_hint`` (a table row's drug-name cell)
    makes that drug the primary of its combination."""
    drugs = _without_components(drugs)
    named = [d for d in drugs if not _is_class(d)]
    groups = combination_groups(sent, [d for d in drugs if not _kind_of_therapy_given_as(d)])
    if primary_hint:
        # A row's drug-name cell followed by the findings text names the drug twice: the bare
        # name is not a statement of its own when the findings mention the drug again.
        mentioned = [g for g in groups if any(canonical(m) == primary_hint for m in (g[0], *g[1]))]
        if len(mentioned) > 1 and not mentioned[0][1]:
            groups = [g for g in groups if g is not mentioned[0]]
    found = []
    for primary, partners in groups:
        if ((_is_class(primary) and not partners and _apposed(primary, named)) or _is_comparator(primary)
                or _names_something_else(primary)):
            continue
        members = [primary, *partners]
        if primary_hint and any(canonical(m) == primary_hint for m in members):
            primary = next(m for m in members if canonical(m) == primary_hint)
        rest = tuple(sorted({canonical(m) for m in members if canonical(m) != canonical(primary)}))
        found.append(Agent(canonical(primary), identifier(primary), rest, primary, _is_class(primary)))
    return found


def anaphor(sent: Span, named_drug: bool = True) -> Span | None:
    """An anaphoric subject near the start ("The drug", "This combination", "the two drugs");
    "the study", "the trial" refer back to the study of a named drug (``named_drug``), not of a
    class.

    When the noun is itself a cue ("The inhibition of pS6 …") the determiner stands for the
    agent, so that the noun still reads as the cue."""
    doc = sent.doc
    for token in sent[:ANAPHOR_WINDOW]:
        if not (has_category(token, "anaphor") or (named_drug and has_category(token, "study_reference"))):
            continue
        determiners = [t for t in doc[max(sent.start, token.i - 3):token.i] if t.lower_ in DETERMINERS]
        if determiners:
            if interaction_of(token) or effect_of(token):
                return doc[determiners[-1].i:determiners[-1].i + 1]
            return doc[token.i:token.i + 1]
    return None


def reports_a_result(sent: Span) -> bool:
    """A sentence that names no drug but reports a measured result (a p-value, a percentage,
    a patient count: "Results showed an increased RR of 41%", "inhibition of pS6 (p = 0.02)")
    gives the result of the study just described, of the drug named before it. (A class named
    before is what studies are about, not a study's own drug.)"""
    from pipeline.stats.numbers import find_p_values

    text = sent.text
    return bool(find_p_values(text) or RESULT_NUMBER.search(text))


def find_statements(sent: Span, antecedent: Agent | None = None,
                    primary_hint: str | None = None) -> list[Finding]:
    """All drug–target–outcome findings in one sentence (or table row).

    ``antecedent`` is the agent of the previous sentence, used when this one has no acting drug
    (none, or only comparators: "The drug … superior to X") but an anaphoric subject, or names
    no drug at all but reports a measured result (the agent is then implicit: an empty anchor).
    """
    ents = list(sent.ents)
    drugs = [e for e in ents if e.label_ == "DRUG"]
    genes = [e for e in ents if e.label_ == "GENE_OR_PROTEIN"]
    outcomes = [e for e in ents if e.label_ == "OUTCOME"]
    acting = agents(sent, drugs, primary_hint)
    rule_prefix = ""
    if not acting and antecedent is not None and (genes or outcomes):
        pointer = anaphor(sent, named_drug=not antecedent.is_class)
        if pointer is not None:
            rule_prefix = "anaphor+"
        elif not drugs and not antecedent.is_class and reports_a_result(sent):
            pointer, rule_prefix = sent[:0], "trial-result+"
        if pointer is not None:
            acting = [Agent(antecedent.name, antecedent.identifier, antecedent.partners, pointer,
                            antecedent.is_class)]
    classes = [d for d in drugs if _is_class(d)]
    chains = [(sent.doc[c[0].start:c[-1].end], _chain_name(c)) for c in target_chains(genes)
              if not _not_a_target(sent.doc[c[0].start:c[-1].end])]
    findings: list[Finding] = []
    for index, agent in enumerate(acting):
        own = _agent_findings(sent, agent, chains, outcomes, classes, rule_prefix)
        if not own and index and _likewise(agent.anchor):
            own = [replace(f, agent=agent, rule=f"likewise+{f.rule}")
                   for f in findings if f.agent is acting[index - 1] and f.target is not None]
        findings.extend(own)
    return _dedupe(_specific_over_vague(findings))


def _likewise(anchor: Span) -> bool:
    """"… in a similar range to (parent molecule) Y", "… as well as Y": Y shares the findings of
    the drug before it. The cue sits within a few tokens before Y, never across another drug."""
    for token in reversed(anchor.doc[max(anchor.sent.start, anchor.start - LIKEWISE_WINDOW):anchor.start]):
        if token.ent_type_ == "DRUG" or token.text in {";", ":"}:
            return False
        if has_category(token, "likewise") and (token.lower_ != "well" or _as_well_as(token)):
            return True
    return False


def _as_well_as(token) -> bool:  # noqa: ANN001
    """The cue "well" only in "as well as" ("was well tolerated" shares nothing)."""
    doc = token.doc
    return 0 < token.i < len(doc) - 1 and doc[token.i - 1].lower_ == "as" and doc[token.i + 1].lower_ == "as"


def _parenthesised_after(anchor: Span, chains) -> list:
    """The gene chain a drug in parentheses names the inhibitor of: "inhibition of mTOR
    (everolimus) and PI3K (NVP-BEZ235)" pairs each drug with the gene right before it."""
    doc = anchor.doc
    if anchor.start < 2 or doc[anchor.start - 1].text != "(" or doc[min(anchor.end, len(doc) - 1)].text != ")":
        return []
    return [(chain, name) for chain, name in chains if chain.end == anchor.start - 1]


def _resisted(anchor: Span) -> bool:
    """"Tumours resistant to tamoxifen", "tolerance to chemotherapeutics": the drug is what is
    resisted; the proteins the sentence goes on to name are the resistance's, not the drug's."""
    before = [t.lower_ for t in anchor.doc[max(0, anchor.start - 2):anchor.start]]
    return len(before) == 2 and before[1] == "to" and before[0] in RESISTANCE_WORDS


def _agent_findings(sent, agent: Agent, chains, outcomes, classes, rule_prefix) -> list[Finding]:
    targets = []  # (name, id, interaction, negated, rule)
    if len(agent.anchor) and _resisted(agent.anchor):
        chains = []
    paired = _parenthesised_after(agent.anchor, chains)
    # A pairing shares the cue that opens the list ("dual inhibition of mTOR (X) and PI3K (Y)").
    lookbehind = len(sent) if paired else LOOKBEHIND
    for chain, name in paired or chains:
        owned = frozenset(other.end for other, _ in chains if other.start != chain.start)
        cue = _target_cue(sent, agent.anchor, chain, lookbehind, owned)
        if cue:
            chain_id = identifier(chain.ents[0]) if len(chain.ents) == 1 else None
            targets.append((name, chain_id, cue[0], cue[1], "cue"))
    if not targets:
        cls = agent.anchor if agent.is_class else _apposed(agent.anchor, classes)
        named = [d for d in sent.ents if d.label_ == "DRUG" and not _is_class(d) and not _names_something_else(d)]
        nearest = _apposed(cls, named) if cls is not None and not agent.is_class else None
        if nearest is not None and nearest.start != agent.anchor.start:
            cls = None  # "rapamycin and MEK1/2 inhibitor, PD98059": the class describes PD98059
        stated = class_target(cls) if cls is not None else None
        if stated:
            rule = "class-target" if agent.is_class else "class-apposition"
            targets.append((stated, None, "inhibits", False, rule))
    findings = []
    first = targets[0] if targets else None
    cues = [(outcome, *_outcome_cue(sent, agent.anchor, outcome)) for outcome in outcomes]
    # "In studies assessing the PFS …, X showed high effectiveness": the measure studied is what
    # the vague efficacy word is about.
    framing = {canonical(o) for o, _, _, investigated in cues if investigated and canonical(o) in CLINICAL_OUTCOMES}
    for outcome, effect, negated, investigated in cues:
        if investigated or _reports_a_study(sent):
            continue
        rule = "cue"
        if effect is None:
            effect, rule = _comparison_effect(sent, outcome), "comparison"
        if effect is None:
            continue
        vague = outcome.text.lower() in VAGUE_EFFICACY
        name, confidence = canonical(outcome), 0.7 if rule == "cue" else 0.6
        if vague and len(framing) == 1:
            name, vague, rule = next(iter(framing)), False, f"{rule}+framed"
        elif vague and (aim := _efficacy_object(outcome)) is not None:
            name, vague, rule = canonical(aim), False, f"{rule}+object"
        findings.append(Finding(
            agent=agent, target=first[0] if first else None, target_id=first[1] if first else None,
            interaction=first[2] if first else None, outcome=name,
            effect="no_effect" if negated else effect, negated=negated,
            rule=f"{rule_prefix}outcome-{rule}" + (f"+target-{first[4]}" if first else ""),
            confidence=confidence, extra={"vague": vague}))
    # Targets not already carried by an outcome record get their own record, except a class's
    # own target with nothing else said ("mTOR inhibitors are used in …" states nothing).
    for index, (name, target_id, interaction, negated, rule) in enumerate(targets):
        if findings and index == 0:
            continue
        if rule == "class-target":
            continue
        findings.append(Finding(agent=agent, target=name, target_id=target_id, interaction=interaction,
                                negated=negated, rule=f"{rule_prefix}target-{rule}",
                                confidence=0.7 if rule == "cue" else 0.6))
    return findings


def _specific_over_vague(findings: list[Finding]) -> list[Finding]:
    """"X was effective and improved PFS": the vague efficacy word paraphrases the measured
    clinical outcome of the same regimen, which is the statement."""
    measured = {(f.agent.name, f.agent.partners) for f in findings if f.outcome in CLINICAL_OUTCOMES}
    return [f for f in findings if not (f.extra.get("vague") and (f.agent.name, f.agent.partners) in measured)]


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per (regimen, target, outcome) in a sentence: a second mention of the same
    outcome with another direction contradicts the first and is dropped. A target-only finding
    whose targets another finding of the regimen already names ("mTORC1 and mTORC2 … by
    rapamycin, mTORC1 …") says nothing new."""
    seen, unique = set(), []
    for f in findings:
        key = (f.agent.name, f.agent.partners, f.target, f.outcome)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return [f for f in unique if not _repeats_a_target(f, unique)]


def _repeats_a_target(finding: Finding, findings: list[Finding]) -> bool:
    """A target-only finding whose targets are among those of another finding of the regimen."""
    if finding.outcome is not None or finding.target is None:
        return False
    regimen, targets = (finding.agent.name, finding.agent.partners), set(finding.target.split("/"))
    return any(
        other is not finding and (other.agent.name, other.agent.partners) == regimen and other.target
        and targets <= set(other.target.split("/")) and (other.outcome is not None or other.target != finding.target)
        for other in findings)


def is_hedged(sent: Span) -> bool:
    """The sentence presents its claim as possible rather than shown."""
    return any("hedge" in categories(t) for t in sent)
