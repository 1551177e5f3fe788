"""Result type of :func:`pipeline.nlp.annotate`."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from pipeline.records import Document, Mention, Sentence


@dataclass
class AnnotatedDocument:
    """A document with its parse, sentences, normalized mentions and abbreviations."""

    doc: Document
    spacy_doc: Doc
    sentences: list[Sentence]
    mentions: list[Mention]
    abbreviations: dict[str, str] = field(default_factory=dict)  # short form → long form
    model: str = ""
    lexicon_version: str = ""
