"""Biomedical NER with normalized identifiers.

``annotate(document)`` parses ``Document.text`` and returns an :class:`AnnotatedDocument`
with sentences, DRUG / GENE_OR_PROTEIN / DISEASE / OUTCOME / CELL_LINE / TRIAL mentions
(canonical name + namespaced identifier), and the document's abbreviations.
"""

from pipeline.nlp.annotate import annotate, annotate_text
from pipeline.nlp.model import load_nlp
from pipeline.nlp.types import AnnotatedDocument

__all__ = ["AnnotatedDocument", "annotate", "annotate_text", "load_nlp"]
