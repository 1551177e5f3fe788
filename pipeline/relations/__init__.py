"""Relation extraction: drug–target–outcome statements from sentences and table rows."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from spacy.tokens import Span

from pipeline.records import Triple


def extract_triples(annotated) -> list[Triple]:
    """Statement-level triples of an ``AnnotatedDocument``: one record per statement per sentence.

    Headings are not statements. The agent of a sentence is remembered within its paragraph so
    that a following sentence saying "the drug …" can refer back to it.
    """
    from pipeline.relations.arms import arm_findings, intervention_arm
    from pipeline.relations.engine import merge_findings
    from pipeline.relations.sentence import agents, find_statements, is_hedged

    document = annotated.doc
    default_context = _dominant_disease(annotated)
    arm = intervention_arm(annotated.spacy_doc)
    records = {s.start: s for s in annotated.sentences}
    triples: list[Triple] = []
    antecedent, paragraph = None, None
    for sent in annotated.spacy_doc.sents:
        block = document.block_at(sent.start_char)
        if block is not None and block.kind != "paragraph":
            continue
        if block is not paragraph:
            antecedent, paragraph = None, block
        record = records.get(sent.start_char)
        if is_search_query(sent.text):
            continue
        findings = merge_findings(find_statements(sent, antecedent=antecedent), sent)
        if arm is not None:
            said = {(f.agent.name, f.outcome) for f in findings}
            findings += [f for f in arm_findings(sent, arm) if (f.agent.name, f.outcome) not in said]
        hedged, context = is_hedged(sent), _context(sent) or default_context
        findings = [f for f in findings if not restates_a_definition(f, sent, annotated.abbreviations)]
        for finding in findings:
            triples.append(_triple(
                document.doc_id, finding, sent.text, hedged, context,
                record.section if record else document.section_at(sent.start_char),
                record.page if record else document.page_at(sent.start_char),
                sent.start_char, sent.end_char, annotated))
        named = agents(sent, [e for e in sent.ents if e.label_ == "DRUG"])
        if named:
            antecedent = named[0]
    triples.extend(_table_triples(annotated, default_context))
    triples.extend(_caption_triples(annotated, default_context))
    return [part for t in triples for part in one_per_target(t)]


BOOLEAN_OPERATOR = re.compile(r"(?<![\w-])(?:OR|AND|NOT)(?![\w-])")
MIN_BOOLEAN_OPERATORS = 3


def is_search_query(text: str) -> bool:
    """A systematic review's search string ("‘‘Chemotherapy Induced Neuropathy’’ OR …") lists
    terms; it states nothing about them."""
    return len(BOOLEAN_OPERATOR.findall(text)) >= MIN_BOOLEAN_OPERATORS


def restates_a_definition(finding, sent: Span, abbreviations: dict[str, str]) -> bool:  # noqa: ANN001
    """"CIPN … after chemotherapy", where CIPN abbreviates "chemotherapy-induced peripheral
    neuropathy": pairing the agent with a term whose definition names it says the definition
    again, not a finding. The sentence that defines the term is kept."""
    from pipeline.relations.sentence import canonical

    if finding.outcome is None:
        return False
    for ent in sent.ents:
        long = abbreviations.get(ent.text)
        if (long and ent.label_ in {"OUTCOME", "DISEASE"} and canonical(ent) == finding.outcome
                and finding.agent.name.lower() in long.lower() and long.lower() not in sent.text.lower()):
            return True
    return False


def one_per_target(triple: Triple) -> list[Triple]:
    """One record per target: a finding about "PI3K/AKT/mTOR" becomes three statements, each with
    its own normalised identifier (HGNC/FamPlex from the lexicon); a family stays a family."""
    if not triple.target or "/" not in triple.target:
        return [triple]
    parts = [p.strip() for p in triple.target.split("/") if p.strip()]
    ids = _gene_identifiers()
    return [triple.model_copy(update={"target": part, "target_id": ids.get(part)}) for part in dict.fromkeys(parts)]


@lru_cache(maxsize=1)
def _gene_identifiers() -> dict[str, str]:
    """Canonical gene/family name → its identifier (first lexicon entry that has one)."""
    from pipeline.nlp.lexicon import load_lexicon

    out: dict[str, str] = {}
    for entry in load_lexicon().entries:
        if entry.label == "GENE_OR_PROTEIN" and entry.identifier:
            out.setdefault(entry.canonical, entry.identifier)
    return out


def _triple(doc_id, finding, evidence, hedged, context, section, page, start, end, annotated) -> Triple:
    agent = finding.agent
    return Triple(
        doc=doc_id, drug=agent.name, drug_id=agent.identifier, combined_with=list(agent.partners),
        target=finding.target, target_id=finding.target_id, interaction=finding.interaction,
        outcome=finding.outcome, effect=finding.effect, context=context, hedged=hedged,
        negated=finding.negated, evidence=evidence, section=section, page=page, start=start,
        end=end, rule=finding.rule, confidence=finding.confidence, model=annotated.model,
        lexicon_version=annotated.lexicon_version,
    )


def _context(span: Span) -> str | None:
    """The first specific disease named in the span ("cancer" says nothing)."""
    from pipeline.nlp.lexicon import is_specific_disease
    from pipeline.relations.sentence import canonical

    for ent in span.ents:
        if ent.label_ == "DISEASE" and is_specific_disease(canonical(ent)):
            return canonical(ent)
    return None


def _dominant_disease(annotated) -> str | None:
    """The disease a document is about: its most frequent specific DISEASE mention."""
    from pipeline.nlp.lexicon import is_specific_disease

    counts = Counter(m.canonical for m in annotated.mentions
                     if m.label == "DISEASE" and is_specific_disease(m.canonical))
    return counts.most_common(1)[0][0] if counts else None


def _name_cell_drug(cells: list[str], row_doc) -> str | None:
    """The drug a table row is about: a cell that is nothing but a drug name (a "Drug"
    column), or, in a flattened row, the drug that opens the first text cell."""
    from pipeline.relations.sentence import canonical

    drugs = [e for e in row_doc.ents if e.label_ == "DRUG"]
    for ent in drugs:
        if ent.text.strip() in {c.strip() for c in cells}:
            return canonical(ent)
    first_text_cell = next((c for c in cells if any(ch.isalpha() for ch in c)), "")
    for ent in drugs:
        if first_text_cell and first_text_cell.startswith(ent.text):
            return canonical(ent)
    return None


def _table_triples(annotated, default_context) -> list[Triple]:
    """Rows of tables are read like sentences; evidence is the row's cells joined by " | "."""
    from pipeline.nlp import annotate_text
    from pipeline.relations.sentence import find_statements, is_hedged

    triples = []
    for table in annotated.doc.tables:
        for row_index, row in enumerate(table.rows[table.header_rows:], start=table.header_rows):
            filled = [(column, cell.strip()) for column, cell in enumerate(row) if cell and cell.strip()]
            cells = [cell for _, cell in filled]
            text = " | ".join(cells)
            if len(text) < 10:
                continue
            row_doc = annotate_text(text, doc_id=annotated.doc.doc_id, context=annotated.context).spacy_doc
            span = row_doc[:]
            for finding in find_statements(span, primary_hint=_name_cell_drug(cells, row_doc)):
                triple = _triple(annotated.doc.doc_id, finding, text, is_hedged(span),
                                 _context(span) or default_context, table.section, table.page,
                                 None, None, annotated)
                triples.append(triple.model_copy(update={
                    "rule": f"table:{finding.rule}", "source": "table", "table_id": table.table_id,
                    "row": row_index, "column": _statement_column(finding, filled, row_doc)}))
        triples.extend(_role_triples(annotated, table, default_context, triples))
    return triples


def _role_triples(annotated, table, default_context, said: list[Triple]) -> list[Triple]:
    """Findings stated by a column's header (``relations.tables``), where the row's own text
    gave no finding of that drug and target."""
    from functools import lru_cache as cache

    from pipeline.nlp import annotate_text
    from pipeline.relations.tables import role_findings

    @cache(maxsize=None)
    def annotate(text: str):
        return annotate_text(text, doc_id=annotated.doc.doc_id, context=annotated.context)

    known = {(t.table_id, t.row, t.drug, t.target) for t in said}
    out = []
    for row_index, findings in role_findings(table, annotate, annotated.context.focal):
        text = " | ".join(c.strip() for c in table.rows[row_index] if c and c.strip())
        for finding in findings:
            if (table.table_id, row_index, finding.agent.name, finding.target) in known:
                continue
            triple = _triple(annotated.doc.doc_id, finding, text, False, default_context, table.section,
                             table.page, None, None, annotated)
            out.append(triple.model_copy(update={"source": "table", "table_id": table.table_id,
                                                 "row": row_index}))
    return out


def _statement_column(finding, filled: list[tuple[int, str]], row_doc) -> int | None:
    """The table column whose cell says ``finding``: the cell with its target or outcome
    mention, else the one with its agent (a drug named only in a Name column). ``filled`` is
    the row's non-empty (column, text) cells in the order they were joined with " | "."""
    from pipeline.relations.sentence import canonical

    spans, offset = [], 0
    for column, cell in filled:
        spans.append((offset, offset + len(cell), column))
        offset += len(cell) + 3
    wanted = {part.strip().lower() for name in (finding.target, finding.outcome) if name
              for part in [name, *name.split("/")]}
    chars = [e.start_char for e in row_doc.ents if canonical(e).lower() in wanted or e.text.lower() in wanted]
    anchor = finding.agent.anchor
    if anchor is not None and len(anchor):
        chars.append(anchor.start_char)
    for char in chars:
        for start, end, column in spans:
            if start <= char < end:
                return column
    return None


def _caption_triples(annotated, default_context) -> list[Triple]:
    """Figure and table captions are read with the same rules as body sentences; their
    records carry ``source: "caption"`` and the caption's label ("Figure 2") as ``table_id``."""
    from pipeline.nlp import annotate_text
    from pipeline.relations.sentence import find_statements, is_hedged

    triples = []
    for caption in annotated.doc.captions:
        caption_doc = annotate_text(caption.text, doc_id=annotated.doc.doc_id, context=annotated.context).spacy_doc
        for sent in caption_doc.sents:
            for finding in find_statements(sent):
                triple = _triple(annotated.doc.doc_id, finding, sent.text.strip(), is_hedged(sent),
                                 _context(sent) or default_context, caption.label, caption.page,
                                 None, None, annotated)
                triples.append(triple.model_copy(update={
                    "rule": f"caption:{finding.rule}", "source": "caption", "table_id": caption.label}))
    return triples
