"""Repair a font's text layer where its ToUnicode map folds capitals into lower case.

Some publisher fonts (BMJ's MetaPro header faces) carry a ToUnicode map that sends the codes of
capital letters to lower-case letters: "EPDS score" is printed, "ePDs score" is extracted. The
same font's /Encoding still names the glyphs correctly (code 0x45 is "E"), so the PDF itself
says which reading is wrong. A capital is restored only when the evidence is unambiguous:

- the font is a simple font with an explicit /Encoding that names the code a capital letter,
  and its ToUnicode map gives the lower-case letter for that code;
- the font folds case for certain: for at least two letters its ToUnicode map gives the same
  lower-case letter for the capital's code and for the code the encoding names lower case
  (two glyphs, one character). A subset font may hold a capital without its lower case, so once
  the font is known to fold, every capital it folds is restored.

A small-caps or otherwise deliberate mapping has no such collisions and is left alone.
"""

from __future__ import annotations

from pdfminer.pdffont import PDFSimpleFont
from pdfminer.pdftypes import PDFObjRef, resolve1


def repair_case_folded_fonts(pdf) -> int:  # noqa: ANN001 - a pdfplumber PDF
    """Fix the case-folding fonts of every page of ``pdf`` before its pages are read (the
    repaired font objects are the ones pdfplumber's interpreter will use). Returns the number
    of codes repaired."""
    repaired = 0
    seen: set[object] = set()
    for page in pdf.pages:
        resources = resolve1(page.page_obj.resources) or {}
        fonts = resolve1(resources.get("Font")) if isinstance(resources, dict) else None
        if not isinstance(fonts, dict):
            continue
        for spec in fonts.values():
            if not isinstance(spec, PDFObjRef) or spec.objid in seen:
                continue  # only shared (referenced) fonts are cached by the resource manager
            seen.add(spec.objid)
            font_dict = resolve1(spec)
            if not isinstance(font_dict, dict) or "Encoding" not in font_dict or "ToUnicode" not in font_dict:
                continue
            try:
                font = pdf.rsrcmgr.get_font(spec.objid, font_dict)
            except Exception:  # noqa: BLE001 - a font pdfminer cannot build is read as before
                continue
            if isinstance(font, PDFSimpleFont):
                repaired += _repair(font)
    return repaired


def _repair(font: PDFSimpleFont) -> int:
    unicode_map = getattr(font, "unicode_map", None)
    mapped = getattr(unicode_map, "cid2unichr", None)
    if not mapped:
        return 0
    encoded = font.cid2unicode
    by_letter: dict[str, set[int]] = {}
    for code, char in mapped.items():
        by_letter.setdefault(char, set()).add(code)
    folded = {}
    for code, char in mapped.items():
        named = encoded.get(code)
        if named and len(named) == 1 and named.isupper() and char == named.lower():
            folded[code] = named
    # Letters whose capital and lower-case codes both read as the lower case.
    collisions = {
        char for code, char in mapped.items() if code in folded
        and any(other != code and encoded.get(other) == char for other in by_letter.get(char, ()))
    }
    if len(collisions) < 2:
        return 0
    mapped.update(folded)
    return len(folded)
