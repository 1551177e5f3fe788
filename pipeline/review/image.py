"""Page-region images: the part of a PDF page that holds a sentence, with the sentence highlighted.

Rendered with pypdfium2 and cached as PNG files named by item id inside the cache folder.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

_lock = threading.Lock()  # pdfium is not thread-safe
SCALE = 2.0
MARGIN = 24  # points above and below the sentence


def _normalised(text: str) -> tuple[str, list[int]]:
    """Lower-case letters and digits of ``text`` and the index each came from: spaces, line
    breaks, hyphens (also pdfium's soft-hyphen marks) and table bars do not take part."""
    chars, where = [], []
    for index, char in enumerate(text):
        if char.isalnum():
            chars.append(char.lower())
            where.append(index)
    return "".join(chars), where


def _locate(page_text: str, evidence: str) -> tuple[int, int] | None:
    """(first, last) character index of ``evidence`` on the page, or None.

    The whole sentence is looked up first; failing that (a table row read across its cells), its
    longest findable beginning and end, each at least 12 letters long.
    """
    page, where = _normalised(page_text)
    wanted, _ = _normalised(evidence)
    if not wanted or not page:
        return None
    at = page.find(wanted)
    if at >= 0:
        return where[at], where[at + len(wanted) - 1]
    head = tail = None
    for size in (80, 50, 30, 20, 12):
        if head is None and len(wanted) >= size and (i := page.find(wanted[:size])) >= 0:
            head = (i, i + size - 1)
        if tail is None and len(wanted) >= size and (i := page.rfind(wanted[-size:])) >= 0:
            tail = (i, i + size - 1)
    if head and tail and tail[1] > head[0]:
        return where[head[0]], where[tail[1]]
    if head or tail:
        lo, hi = head or tail
        return where[lo], where[hi]
    return None


def render_region(pdf_path: Path, page_no: int, evidence: str, out_path: Path) -> Path:
    """Write the page region holding ``evidence`` (1-based ``page_no``) to ``out_path``; returns it.

    When the sentence cannot be located on the page the whole page is rendered, unhighlighted.
    """
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    with _lock:
        pdf = pdfium.PdfDocument(str(pdf_path))
        try:
            if not 1 <= page_no <= len(pdf):
                raise ValueError(f"{pdf_path.name}: no page {page_no}")
            page = pdf[page_no - 1]
            width, height = page.get_size()
            textpage = page.get_textpage()
            rects = []
            found = _locate(textpage.get_text_range(), evidence)
            if found:
                lo, hi = found
                n = textpage.count_rects(lo, hi - lo + 1)
                rects = [textpage.get_rect(i) for i in range(n)]
            image = page.render(scale=SCALE).to_pil().convert("RGB")
        finally:
            pdf.close()
    if rects:
        overlay = image.copy()
        draw = ImageDraw.Draw(overlay)
        for left, bottom, right, top in rects:
            draw.rectangle([left * SCALE, (height - top) * SCALE, right * SCALE, (height - bottom) * SCALE],
                           fill=(255, 221, 0))
        from PIL import Image

        image = Image.blend(image, overlay, 0.35)
        top = max(0.0, height - max(r[3] for r in rects) - MARGIN)
        bottom = min(height, height - min(r[1] for r in rects) + MARGIN)
        image = image.crop((0, int(top * SCALE), int(width * SCALE), int(bottom * SCALE)))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    image.save(tmp, format="PNG")
    os.replace(tmp, out_path)
    return out_path
