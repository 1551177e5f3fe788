"""Fonts whose ToUnicode map folds capitals into lower case get their capitals back."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pipeline.ingest.fonts import _repair


def _font(encoding: dict[int, str], to_unicode: dict[int, str]):
    return SimpleNamespace(cid2unicode=encoding, unicode_map=SimpleNamespace(cid2unichr=dict(to_unicode)))


UPPER = {ord(c): c for c in "ACDEIPSVY"}
LOWER = {ord(c): c for c in "acdeips"}


def test_a_font_that_folds_case_gets_its_capitals_back():
    # As BMJ's MetaPro header font: codes of A, E, I, S, V, Y read as a, e, i, s, v, y; the
    # lower-case codes of a, e, i, s read as the same letters (collisions); C, D, P are right.
    to_unicode = {code: ch.lower() if ch in "AEISVY" else ch for code, ch in UPPER.items()} | LOWER
    font = _font(UPPER | LOWER, to_unicode)
    assert _repair(font) == 6
    mapped = font.unicode_map.cid2unichr
    assert "".join(mapped[ord(c)] for c in "EPDS") == "EPDS"
    assert mapped[ord("Y")] == "Y"  # no lower-case y in the subset: restored all the same
    assert "".join(mapped[ord(c)] for c in "aeips") == "aeips"


def test_one_collision_is_not_enough():
    to_unicode = {code: ch for code, ch in UPPER.items()} | LOWER
    to_unicode[ord("E")] = "e"
    font = _font(UPPER | LOWER, to_unicode)
    assert _repair(font) == 0 and font.unicode_map.cid2unichr[ord("E")] == "e"


def test_a_deliberate_lower_case_map_without_collisions_is_kept():
    # Small capitals drawn from capital glyph codes, the font holding no lower-case letters.
    font = _font(UPPER, {code: ch.lower() for code, ch in UPPER.items()})
    assert _repair(font) == 0


@pytest.mark.shared
def test_bmj_table_headers_read_as_printed(corpus_real_dir):
    from pipeline.ingest.pdf import ingest_pdf

    doc = ingest_pdf(corpus_real_dir / "bmj2015_ussher_pregnancy_smoking_rct.pdf")
    table4 = next(t for t in doc.tables if t.label == "Table 4")
    header = " ".join(" ".join(row) for row in table4.rows[: table4.header_rows])
    assert "EPDS score" in header and "Visit time" in header and "(95% CI)" in header, header
    assert "ePDs" not in doc.text and "OBJECTIVE" in doc.text
