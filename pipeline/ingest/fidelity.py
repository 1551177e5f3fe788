"""Word-level fidelity of extracted text against a reference text."""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
# Elements whose text is not running body text (citation markers, <xref>, are printed, so kept).
_SKIP = {"table-wrap", "fig", "caption", "disp-formula", "inline-formula", "table", "fn-group",
         "ref-list", "label", "graphic", "media", "supplementary-material", "fig-group",
         "table-wrap-foot", "alternatives", "tex-math", "mml:math", "math"}


def normalise_words(text: str) -> list[str]:
    """Lower-cased NFKC words with punctuation stripped at their edges (empty ones dropped)."""
    words = (_EDGE_PUNCT.sub("", w) for w in unicodedata.normalize("NFKC", text).lower().split())
    return [w for w in words if w]


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of two word lists.

    Words are mapped to ints and the LCS is computed bit-parallel (Allison–Dix / Hyyrö): one
    big-integer update per word of ``b``, so 10k x 10k words take well under a second.
    """
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for i, word in enumerate(a):
        masks[word] = masks.get(word, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full  # zero bits mark matched positions of ``a``
    for word in b:
        u = v & masks.get(word, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - v.bit_count()


def word_fidelity(extracted: str, truth: str) -> tuple[float, float]:
    """(recall, precision): LCS of normalised words over truth words and over extracted words."""
    ext, ref = normalise_words(extracted), normalise_words(truth)
    common = lcs_length(ref, ext)
    recall = common / len(ref) if ref else 1.0
    precision = common / len(ext) if ext else (1.0 if not ref else 0.0)
    return recall, precision


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text_of(elem: ET.Element) -> str:
    """Text of an element without skipped children (their tails are kept)."""
    parts = [elem.text or ""]
    for child in elem:
        if _local(child.tag) not in _SKIP:
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _collect(elem: ET.Element, out: list[str]) -> None:
    for child in elem:
        name = _local(child.tag)
        if name in _SKIP:
            continue
        if name in ("p", "title"):
            text = " ".join(_text_of(child).split())
            if text:
                out.append(text)
        else:
            _collect(child, out)


def jats_body_text(xml_path: Path, include_front: bool = False) -> str:
    """Section titles and paragraphs of a JATS article's <body>, one block per line.

    Tables, figures, captions and formulas are left out. With ``include_front`` the article
    title and abstract come first (the canonical PDF text includes them).
    """
    root = ET.parse(xml_path).getroot()
    out: list[str] = []
    if include_front:
        for elem in root.iter():
            if _local(elem.tag) == "article-title":
                out.append(" ".join(_text_of(elem).split()))
                break
        for elem in root.iter():
            if _local(elem.tag) == "abstract":
                _collect(elem, out)
    for elem in root.iter():
        if _local(elem.tag) == "body":
            _collect(elem, out)
            break
    return "\n\n".join(out)
