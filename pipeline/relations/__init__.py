"""Relation extraction: drug–target–outcome statements from sentences and table rows."""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Span

from pipeline.records import Triple


def extract_triples(annotated) -> list[Triple]:
    """Statement-level triples of an ``AnnotatedDocument``: one record per statement per sentence."""
    from pipeline.relations.sentence import canonical, find_statements, is_hedged

    document = annotated.doc
    default_context = _dominant_disease(annotated)
    triples: list[Triple] = []
    sentences = {s.start: s for s in annotated.sentences}
    for sent in annotated.spacy_doc.sents:
        record = sentences.get(sent.start_char)
        hedged = is_hedged(sent)
        context = _context(sent) or default_context
        for finding in find_statements(sent):
            triples.append(_triple(document.doc_id, finding, sent.text, hedged, context,
                                   record.section if record else document.section_at(sent.start_char),
                                   record.page if record else document.page_at(sent.start_char),
                                   sent.start_char, sent.end_char, annotated))
    triples.extend(_table_triples(annotated, default_context, canonical, find_statements, is_hedged))
    return triples


def _triple(doc_id, finding, evidence, hedged, context, section, page, start, end, annotated) -> Triple:
    from pipeline.relations.sentence import canonical, identifier

    return Triple(
        doc=doc_id, drug=canonical(finding.drug), drug_id=identifier(finding.drug),
        combined_with=sorted({canonical(p) for p in finding.combined_with}),
        target=finding.target, target_id=finding.target_id, interaction=finding.interaction,
        outcome=finding.outcome, effect=finding.effect, context=context, hedged=hedged,
        negated=finding.negated, evidence=evidence, section=section, page=page, start=start,
        end=end, rule=finding.rule, confidence=finding.confidence, model=annotated.model,
        lexicon_version=annotated.lexicon_version,
    )


def _context(span: Span) -> str | None:
    from pipeline.relations.sentence import canonical

    for ent in span.ents:
        if ent.label_ == "DISEASE":
            return canonical(ent)
    return None


def _dominant_disease(annotated) -> str | None:
    """The disease a document is about: its most frequent DISEASE mention."""
    counts = Counter(m.canonical for m in annotated.mentions if m.label == "DISEASE")
    return counts.most_common(1)[0][0] if counts else None


def _table_triples(annotated, default_context, canonical, find_statements, is_hedged) -> list[Triple]:
    """Rows of tables are read like sentences; evidence is the row's cells joined by " | "."""
    from pipeline.nlp import annotate_text

    triples = []
    for table in annotated.doc.tables:
        for row in table.rows[table.header_rows:]:
            text = " | ".join(cell.strip() for cell in row if cell and cell.strip())
            if len(text) < 10:
                continue
            row_doc = annotate_text(text, doc_id=annotated.doc.doc_id).spacy_doc
            span = row_doc[:]
            for finding in find_statements(span):
                triple = _triple(annotated.doc.doc_id, finding, text, is_hedged(span),
                                 _context(span) or default_context, table.section, table.page,
                                 None, None, annotated)
                triples.append(triple.model_copy(update={"rule": f"table:{finding.rule}"}))
    return triples
