"""``annotate``: parse a document, tag and normalize its entities, resolve abbreviations."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.ids import sha256_bytes
from pipeline.nlp.abbreviations import defined_terms, resolve
from pipeline.nlp.ambiguity import has_gene_context
from pipeline.nlp.fuzzy import MIN_LENGTH, FuzzyIndex
from pipeline.nlp.lexicon import Lexicon, load_lexicon
from pipeline.nlp.matching import Candidate, LexiconMatcher
from pipeline.nlp.model import load_nlp, model_name
from pipeline.nlp.rules import compose, focal_protein, protein_parts
from pipeline.nlp.types import CARRIED_RULES, AnnotatedDocument, DocumentContext
from pipeline.records import Document, Mention, Provenance, Sentence

TRIAL_CONTEXT = re.compile(r"\b(trials?|stud(?:y|ies)|phase|randomi[sz]ed|placebo)\b", re.I)
CONTEXT_CHARS = 80
NOT_NAMES = frozenset({"VERB", "AUX", "ADJ", "ADV", "ADP", "DET", "PRON", "CCONJ", "SCONJ"})
DRUG_SOURCE_PRIORITY = 2  # fuzzy matching targets curated and drug-dictionary names, not ChEBI compounds
MAX_TEXT = 5_000_000
# INN stems (WHO stem book) a lower-case misspelling must keep to be fuzzy-matched.
INN_STEMS = ("mab", "nib", "lib", "limus", "platin", "mycin", "micin", "rubicin", "taxel", "statin", "sartan",
             "prazole", "tide", "cillin", "cycline", "vir", "afil", "olol", "pril", "parin", "dronate", "tecan",
             "zomib", "ciclib", "rafenib", "sertib", "lisib", "tinib", "mustine", "trexate", "citabine")  # spaCy's default max_length is 1e6; review articles can be longer


class Tagger:
    """Everything built once: the pipeline, the lexicon and its matchers."""

    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        self.nlp = nlp
        self.lexicon = lexicon
        self.model = model_name(nlp)
        self.matcher = LexiconMatcher(nlp, lexicon)
        drugs = {e.term.lower(): e for e in lexicon.entries
                 if e.label == "DRUG" and e.match != "class" and e.priority <= DRUG_SOURCE_PRIORITY}
        self.drugs = drugs
        self.fuzzy = FuzzyIndex({t: t for t in drugs}, lexicon.fuzzy_block | frozenset(self.matcher.index))

    def candidates(self, doc: Doc) -> list[Candidate]:
        """Lexicon, fuzzy and pattern candidates, before overlap resolution."""
        found = self.matcher.candidates(doc)
        covered = {i for c in found for i in range(c.start, c.end)}
        found += self._fuzzy(doc, covered)
        found += self._patterns(doc)
        return found

    def _fuzzy(self, doc: Doc, covered: set[int]) -> list[Candidate]:
        out = []
        for token in doc:
            # Cheapest test first: most tokens are too short to be fuzzy-matched at all.
            if len(token) < MIN_LENGTH or token.i in covered:
                continue
            # Misspelled drug names are nouns; verbs and adjectives are words we lack.
            if token.pos_ in NOT_NAMES or not _name_like(token):
                continue
            key = self.fuzzy.lookup(token.text)
            # A lower-case word is only a misspelled drug when the drug's INN stem shows it.
            if key is not None and (_capitalised(token) or key.endswith(INN_STEMS)):
                entry = self.drugs[key]
                out.append(Candidate(token.i, token.i + 1, "DRUG", entry.canonical, entry.identifier,
                                     "fuzzy", "fuzzy:drug"))
        return out

    def _patterns(self, doc: Doc) -> list[Candidate]:
        out = []
        text = doc.text  # built on every access
        for pattern in self.lexicon.patterns:
            for hit in pattern.regex.finditer(text):
                window = text[max(0, hit.start() - CONTEXT_CHARS):hit.end() + CONTEXT_CHARS]
                if pattern.requires_context and not TRIAL_CONTEXT.search(window):
                    continue
                span = doc.char_span(hit.start(), hit.end(), alignment_mode="expand")
                if span is not None:
                    # Trial acronyms are upper case with "-n"; a drug name or code is lower case.
                    canonical = (hit.group().lower() if pattern.label == "DRUG"
                                 else re.sub(r"[- ]?(\d+)$", r"-\1", hit.group().upper()))
                    out.append(Candidate(span.start, span.end, pattern.label, canonical, None,
                                         "pattern", f"pattern:{pattern.label.lower()}"))
        return out


def _name_like(token) -> bool:
    """Not an inflection of an English word the fuzzy index blocks ("inhibits" → "inhibit")."""
    return token.lemma_.lower() not in tagger().fuzzy.blocked


def _capitalised(token) -> bool:
    """Capitalised mid-sentence, as drug names (and misspelled brand/INN names) often are."""
    return token.text[:1].isupper() and not token.is_sent_start


@lru_cache(maxsize=1)
def tagger() -> Tagger:
    """The process-wide tagger (loading takes seconds; annotating is fast)."""
    return Tagger(load_nlp(), load_lexicon())


def register_extensions() -> None:
    """Span extensions carrying the normalized identity on ``doc.ents``."""
    for name in ("canonical", "identifier", "match"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


def disambiguate(doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
    """Drop ambiguous gene symbols that have no gene context."""
    words = [t.lower_ for t in doc]
    genes = {i for c in candidates if c.label == "GENE_OR_PROTEIN" and not c.ambiguous
             for i in range(c.start, c.end)}
    return [c for c in candidates if not c.ambiguous or has_gene_context(words, c.start, c.end, genes)]


def longest(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: longest first, then leftmost."""
    taken: set[int] = set()
    chosen = []
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start)):
        if not taken.intersection(range(c.start, c.end)):
            chosen.append(c)
            taken.update(range(c.start, c.end))
    return sorted(chosen, key=lambda c: c.start)


def annotate(document: Document, context: DocumentContext | None = None) -> AnnotatedDocument:
    """Parse ``document.text``; return sentences, normalized mentions and abbreviations.

    ``context`` is the body's (``AnnotatedDocument.context``) when annotating one of its captions
    or table cells: the names the body defined or introduced, and its focal protein, hold there too."""
    register_extensions()
    tool = tagger()
    tool.nlp.max_length = max(tool.nlp.max_length, min(len(document.text) + 1, MAX_TEXT))
    doc = tool.nlp(document.text)
    found = tool.candidates(doc) + _context_names(doc, context)
    candidates = disambiguate(doc, found)
    kept = set(map(id, candidates))
    doubted = {doc[c.start:c.end].text: c for c in found
               if c.ambiguous and c.label == "GENE_OR_PROTEIN" and id(c) not in kept}
    abbreviations, candidates = resolve(doc, candidates, doubted)
    candidates = defined_terms(doc, candidates, abbreviations)
    composed = longest(compose(doc, candidates, tool.matcher.index))
    focal = (Candidate(0, 0, *context.focal, "pattern", "context") if context and context.focal
             else focal_protein(composed))
    chosen = protein_parts(doc, composed, focal)

    spans = []
    for c in chosen:
        span = Span(doc, c.start, c.end, label=c.label)
        span._.canonical, span._.identifier, span._.match = c.canonical, c.identifier, c.match
        spans.append(span)
    doc.ents = spans

    sentences = _sentences(document, doc)
    starts = [s.start for s in sentences]
    # spaCy's tokenizer keeps every character, so span offsets index ``document.text`` directly.
    mentions = [
        Mention(
            doc_id=document.doc_id, start=span.start_char, end=span.end_char,
            text=document.text[span.start_char:span.end_char], label=c.label, canonical=c.canonical,
            identifier=c.identifier, match=c.match, sentence_index=_sentence_of(starts, span.start_char),
            provenance=Provenance(stage="nlp", rule=c.rule, model=tool.model,
                                  lexicon_version=tool.lexicon.version),
        )
        for c, span in zip(chosen, spans)
    ]
    carried = DocumentContext(
        names={doc[c.start:c.end].text: (c.label, c.canonical, c.identifier) for c in chosen if c.rule in CARRIED_RULES},
        focal=(focal.label, focal.canonical, focal.identifier) if focal else None)
    return AnnotatedDocument(document, doc, sentences, mentions, abbreviations, tool.model, tool.lexicon.version,
                             carried)


def _context_names(doc: Doc, context: DocumentContext | None) -> list[Candidate]:
    """Candidates for the body's carried names wherever this text uses them (whole words)."""
    if not context or not context.names:
        return []
    out = []
    for surface, (label, canonical, identifier) in context.names.items():
        for hit in re.finditer(rf"(?<![\w-]){re.escape(surface)}(?![\w-])", doc.text):
            span = doc.char_span(hit.start(), hit.end())
            if span is not None:
                out.append(Candidate(span.start, span.end, label, canonical, identifier, "pattern", "context"))
    return out


def annotate_text(text: str, doc_id: str = "snippet", context: DocumentContext | None = None) -> AnnotatedDocument:
    """Annotate a bare string (a table cell, a caption, a snippet) as a one-block document, with
    the names of the document it comes from (``context``)."""
    document = Document(doc_id=doc_id, content_hash=sha256_bytes(text.encode("utf-8")),
                        source_path="", source_type="txt", text=text)
    return annotate(document, context)


def _sentences(document: Document, doc: Doc) -> list[Sentence]:
    """Non-blank sentences with their section and page."""
    out: list[Sentence] = []
    for sent in doc.sents:
        # Sliced from the source text: Span.text joins the span's tokens anew on every access.
        raw = document.text[sent.start_char:sent.end_char]
        text = raw.strip()
        if not text:
            continue
        start = sent.start_char + (len(raw) - len(raw.lstrip()))
        out.append(Sentence(doc_id=document.doc_id, index=len(out), start=start, end=start + len(text),
                            text=text, section=document.section_at(start), page=document.page_at(start)))
    return out


def _sentence_of(starts: list[int], offset: int) -> int | None:
    """Index of the sentence containing ``offset`` (the last one starting at or before it)."""
    i = bisect.bisect_right(starts, offset) - 1
    return i if i >= 0 else None
