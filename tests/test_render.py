"""The corpus renderer: a multi-page PDF whose words include the truth text, reproducibly."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from pipeline.ingest.text import ingest_text
from pipeline.render.hyphenate import SOFT_HYPHEN, hyphenate_word
from pipeline.render.layouts import LAYOUTS
from pipeline.render.markup import to_markup, to_plain
from pipeline.render.pdf import render_document

FIXTURES = Path(__file__).parent / "fixtures" / "text"


def test_hyphenation_points() -> None:
    assert hyphenate_word("proliferation").replace(SOFT_HYPHEN, "-") == "pro-li-fe-ra-tion"
    assert hyphenate_word("short") == "short"


def test_markup_to_plain() -> None:
    assert to_plain(to_markup("HIF $\\alpha$ and PIP<sub>2</sub> in *in vitro* ($p < 0.01$)")) == (
        "HIF α and PIP2 in in vitro (p < 0.01)"
    )


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{4,}", text)


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_render_fixture(tmp_path: Path, layout) -> None:  # noqa: ANN001 - parametrized Layout
    doc = ingest_text(FIXTURES / "wrapped.txt")
    long_doc = doc.model_copy(
        update={"blocks": doc.blocks + [b for b in doc.blocks if b.kind == "paragraph"] * 8}
    )
    result = render_document(long_doc, tmp_path / "x.pdf", layout)
    with pdfplumber.open(result.pdf_path) as pdf:
        assert len(pdf.pages) == result.pages > 1
        extracted = "\n".join(page.extract_text() or "" for page in pdf.pages)
    joined = re.sub(r"-\n", "", extracted)  # undo line-end hyphenation
    found = set(_words(joined))
    missing = [w for w in _words(result.truth) if w not in found]
    assert len(missing) <= 0.02 * len(_words(result.truth)), missing[:20]
    assert "Smith" not in result.truth and "Alphamab" not in result.truth
    again = render_document(long_doc, tmp_path / "y.pdf", layout)
    assert again.truth == result.truth
    assert (tmp_path / "x.pdf").read_bytes() == (tmp_path / "y.pdf").read_bytes()
