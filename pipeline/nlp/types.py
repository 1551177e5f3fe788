"""Result type of :func:`pipeline.nlp.annotate`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from pipeline.records import Document, Mention, Sentence


# Rules whose names hold for the whole document: a symbol its definitions resolved, a code it
# introduced or that a shape pattern found. Captions and table cells are annotated on their own,
# so these names go with them (``DocumentContext``).
CARRIED_RULES = frozenset({"abbreviation", "rule:introduced_name", "pattern:drug", "rule:listed_code"})


@dataclass(frozen=True)
class DocumentContext:
    """What a document's body says about its names, for annotating its captions and table cells:
    surface → (label, canonical, identifier), and the focal protein (label, canonical, identifier)."""

    names: dict = field(default_factory=dict)
    focal: tuple | None = None


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
    context: DocumentContext = field(default_factory=DocumentContext)


MAIN_AGENT_MIN = 3  # mentions
MAIN_AGENT_SHARE = 1 / 3  # of all agent mentions


def main_agent(mentions: list[Mention]) -> str | None:
    """The intervention a document is about: its most named agent, when it is clearly the main
    one (at least MAIN_AGENT_MIN mentions and MAIN_AGENT_SHARE of all agent mentions)."""
    counts = Counter(m.canonical for m in mentions if m.label == "DRUG")
    if not counts:
        return None
    agent, n = counts.most_common(1)[0]
    if n < MAIN_AGENT_MIN or n < MAIN_AGENT_SHARE * sum(counts.values()):
        return None
    return agent
