"""Trial statistics of an annotated document: sentences of the canonical text, then its tables.

Sentence findings (``sentences.parse_sentence``) get their context from the entity mentions:
the treatment regimen nearest before the measure (drug + partners joined by "plus", "with",
"in combination with"), the control after "vs."/"compared with", the trial named in the
sentence. What a sentence does not say (study, phase, n, dose, drug, disease) is carried from
earlier sentences of the same section, as reviews name a trial once and then report it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pipeline.nlp.lexicon import is_specific_disease
from pipeline.nlp.types import main_agent
from pipeline.records import Block, Mention, Sentence, TrialStat, block_index
from pipeline.stats.sentences import Finding, parse_dose, parse_n, parse_phase, parse_sentence, parse_study
from pipeline.stats.tables import CellAnnotator, table_stats
from pipeline.stats.vocabulary import COMPARISON_CUE, CONTROLS, disabled_abbreviations

# What may separate two drugs of one regimen: a bracketed dose, then a joining word.
_JOINED = re.compile(
    r"[\s,]*(?:\([^()]{0,60}\)\s*)?,?\s*(?:plus|with|and|\+|in\s+combination\s+with|combined\s+with"
    r"|together\s+with|along\s+with)\s+(?:the\s+|a\s+)?",
    re.IGNORECASE,
)


@dataclass
class Context:
    """Study-level facts known so far in a paragraph."""

    study: str | None = None
    phase: str | None = None
    n: int | None = None
    dose: str | None = None
    drug: str | None = None
    combined_with: list[str] = field(default_factory=list)
    disease: str | None = None


@dataclass(frozen=True)
class Regimen:
    """Drugs given together, as written in a sentence (offsets into the document text)."""

    drugs: tuple[str, ...]
    start: int


# A phrase that introduces a co-administered partner, right before the partner's name.
_PARTNER_INTRO = re.compile(
    r"\b(?:in\s+combination\s+with|combined\s+with|together\s+with|along\s+with)\s+(?:the\s+|a\s+)?$",
    re.IGNORECASE,
)


def regimens(text: str, drugs: list[Mention], offset: int = 0) -> list[Regimen]:
    """Group a sentence's DRUG mentions into regimens; ``offset`` is where ``text`` starts.

    A drug joins the previous regimen when only a joining word separates them ("X plus Y"), or
    when a partner phrase introduces it however far it is ("X was given to 43 patients in
    combination with Y").
    """
    groups: list[Regimen] = []
    prev_end = 0
    for mention in sorted(drugs, key=lambda m: m.start):
        gap = text[prev_end - offset:mention.start - offset]
        if groups and (_JOINED.fullmatch(gap) or _PARTNER_INTRO.search(gap)):
            last = groups[-1]
            if mention.canonical not in last.drugs:
                groups[-1] = Regimen(last.drugs + (mention.canonical,), last.start)
        else:
            groups.append(Regimen((mention.canonical,), mention.start))
        prev_end = mention.end
    return groups


def _arm(groups: list[Regimen], anchor: int, controls_after: int) -> Regimen | None:
    """The regimen nearest before ``anchor``, else the first one before the comparison cue."""
    active = [g for g in groups if not CONTROLS.fullmatch(g.drugs[0])]
    before = [g for g in active if g.start <= anchor]
    if before:
        return before[-1]
    first = [g for g in active if g.start < controls_after]
    return first[0] if first else (active[0] if active else None)


def _comparator(text: str, groups: list[Regimen], offset: int) -> tuple[str | None, int]:
    """The control named after the first comparison cue, and where that cue is."""
    cue = COMPARISON_CUE.search(text)
    if not cue:
        return None, 10**12
    where = offset + cue.start()
    control = CONTROLS.search(text, cue.end())
    after = [g for g in groups if g.start >= offset + cue.end()]
    if control and (not after or offset + control.start() <= after[0].start):
        return control.group(1).lower(), where
    return (after[0].drugs[0] if after else None), where


def _update(context: Context, sentence: Sentence, mentions: list[Mention]) -> Context:
    """Context after reading ``sentence``: what it names replaces what was carried."""
    text = sentence.text
    trials = [m.canonical for m in mentions if m.label == "TRIAL"]
    diseases = [m.canonical for m in mentions if m.label == "DISEASE" and is_specific_disease(m.canonical)]
    return Context(
        study=(trials[0] if trials else None) or parse_study(text) or context.study,
        phase=parse_phase(text) or context.phase,
        n=parse_n(text) or context.n,
        dose=parse_dose(text) or context.dose,
        drug=context.drug,
        combined_with=context.combined_with,
        disease=diseases[0] if diseases else context.disease,
    )


def _record(doc_id: str, sentence: Sentence, finding: Finding, context: Context, arm: Regimen | None,
            comparator: str | None) -> TrialStat:
    drug = arm.drugs[0] if arm else context.drug
    combined = list(arm.drugs[1:]) if arm else context.combined_with
    compared = finding.comparator_value is not None or finding.hr is not None
    return TrialStat(
        doc=doc_id, study=context.study, phase=context.phase, drug=drug, combined_with=combined,
        comparator=comparator if compared else None, n=finding.n or context.n, measure=finding.measure,
        analysis_model=finding.analysis_model, n_studies=finding.n_studies,
        value=finding.value, unit=finding.unit, comparator_value=finding.comparator_value, hr=finding.hr,
        ci_low=finding.ci_low, ci_high=finding.ci_high, p_value=finding.p_value, dose=context.dose,
        disease=context.disease, source="text", evidence=sentence.text, page=sentence.page,
        start=sentence.start, end=sentence.end, rule=finding.rule,
    )


_OUTSIDE = object()  # a sentence outside any block: it starts a fresh context


def text_stats(doc_id: str, blocks: list[Block], sentences: list[Sentence], mentions: list[Mention],
               disabled: frozenset[str] = frozenset()) -> list[TrialStat]:
    """Records from the sentences of the canonical text.

    Study context (name, phase, n, dose, drug) is carried across the paragraphs of a section, as
    reviews discuss one trial over several paragraphs; whatever a sentence names replaces it.
    """
    records: list[TrialStat] = []
    context, current_section = Context(), _OUTSIDE
    for sentence in sentences:
        here = block_index(blocks, sentence.start)
        section = blocks[here].section if here >= 0 else _OUTSIDE
        if section is _OUTSIDE or section != current_section:
            context = Context()
        current_section = section
        inside = [m for m in mentions if sentence.start <= m.start < sentence.end]
        context = _update(context, sentence, inside)
        groups = regimens(sentence.text, [m for m in inside if m.label == "DRUG"], sentence.start)
        findings = parse_sentence(sentence.text, disabled)
        for finding in findings:
            comparator, cue_at = _comparator(sentence.text, groups, sentence.start)
            arm = _arm(groups, sentence.start + finding.anchor, cue_at)
            records.append(_record(doc_id, sentence, finding, context, arm, comparator))
        first = _arm(groups, sentence.end, sentence.end)
        if first is not None:
            context = replace(context, drug=first.drugs[0], combined_with=list(first.drugs[1:]))
    return records


def extract_stats(annotated, annotate_cell: CellAnnotator | None = None) -> list[TrialStat]:  # noqa: ANN001
    """Every trial statistic of an annotated document (``pipeline.nlp.AnnotatedDocument``).

    ``annotate_cell`` finds mentions in a table cell; by default ``pipeline.nlp.annotate_text``.
    """
    document = annotated.doc
    disabled = disabled_abbreviations(getattr(annotated, "abbreviations", {}) or {})
    records = text_stats(document.doc_id, document.blocks, annotated.sentences, annotated.mentions, disabled)
    context = getattr(annotated, "context", None)  # the body's names hold in its cells and captions
    cell_annotator = annotate_cell or _nlp_cell_annotator(context)
    agents = {m.text.lower(): m.canonical for m in annotated.mentions if m.label == "DRUG"}
    for table in document.tables:
        records.extend(table_stats(table, document.doc_id, cell_annotator, disabled, agents))
    records.extend(caption_stats(document, disabled, context))
    records = _with_trial_arm(records, getattr(annotated, "spacy_doc", None))
    records = _with_document_agent(records, annotated.mentions)
    # Provenance: which NLP model found the mentions these records rest on.
    model = getattr(annotated, "model", None) or None
    return [r.model_copy(update={"model": model}) for r in records]


def _with_trial_arm(records: list[TrialStat], spacy_doc) -> list[TrialStat]:  # noqa: ANN001
    """A result sentence that names the trial's intervention arm ("8% in the physical activity
    group and 6% in the control group") is that arm's, unless the sentence names the record's own
    drug (``relations.arms``; rule ``+arm``)."""
    from pipeline.relations.arms import intervention_arm, names_arm

    arm = intervention_arm(spacy_doc) if spacy_doc is not None else None
    if arm is None:
        return records
    out = []
    for r in records:
        own = r.drug is not None and r.drug.lower() in r.evidence.lower()
        if r.source == "text" and not own and names_arm(r.evidence, arm):
            r = r.model_copy(update={"drug": arm.name, "combined_with": [], "rule": f"{r.rule}+arm"})
        out.append(r)
    return out


def _with_document_agent(records: list[TrialStat], mentions: list[Mention]) -> list[TrialStat]:
    """A result with no agent in its sentence, its study context or its table row belongs to the
    intervention the document is about (``pipeline.nlp.types.main_agent``; rule ``+doc-agent``)."""
    agent = main_agent(mentions)
    if agent is None:
        return records
    return [r if r.drug else r.model_copy(update={"drug": agent, "rule": f"{r.rule}+doc-agent"})
            for r in records]


def caption_stats(document, disabled: frozenset[str] = frozenset(), context=None) -> list[TrialStat]:  # noqa: ANN001
    """Statistics stated in figure and table captions, read like body sentences
    (``source: "caption"``, the caption label as ``table_id``)."""
    if not document.captions:
        return []
    from pipeline.nlp import annotate_text  # lazily: loading the model is slow

    records = []
    for caption in document.captions:
        ann = annotate_text(caption.text, doc_id=document.doc_id, context=context)
        for record in text_stats(document.doc_id, ann.doc.blocks, ann.sentences, ann.mentions, disabled):
            records.append(record.model_copy(update={
                "source": "caption", "table_id": caption.label, "page": caption.page,
                "start": None, "end": None, "rule": f"caption:{record.rule}"}))
    return records


def _nlp_cell_annotator(context=None) -> CellAnnotator:  # noqa: ANN001
    from pipeline.nlp import annotate_text  # lazily: loading the model is slow

    cache: dict[str, list[Mention]] = {}

    def annotate(text: str) -> list[Mention]:
        if text not in cache:
            cache[text] = annotate_text(text, context=context).mentions
        return cache[text]

    return annotate
