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


def _words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def _find(textpage, words: list[str], sizes=(10, 7, 5, 3)):
    """(char index, char count) of the first run of ``words`` found on the page, trying shorter runs."""
    for size in sizes:
        if len(words) < size and size != sizes[-1]:
            continue
        probe = " ".join(words[:size])
        if not probe:
            return None
        searcher = textpage.search(probe, match_case=False, match_whole_word=False)
        hit = searcher.get_next()
        if hit:
            return hit
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
            words = _words(evidence)
            first = _find(textpage, words)
            last = _find(textpage, words[-10:] if len(words) > 10 else words, sizes=(10, 7, 5, 3)) \
                if first else None
            rects = []
            if first:
                lo = first[0]
                hi = last[0] + last[1] if last and last[0] + last[1] > lo else first[0] + first[1]
                n = textpage.count_rects(lo, hi - lo)
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
