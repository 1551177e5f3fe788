"""Page layout: words to lines, column and band detection, reading order.

A page is split into horizontal *bands*: full-width bands (title, abstract, wide tables and
figures) and two-column bands. Bands are read top to bottom and, inside a two-column band, the
left column before the right one. Narrow text strips at the page edge separated from the main
text by a full-height gutter (margin notes, sidebars) are set apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

import numpy as np

# Ligature glyphs expanded to their letters (NFKC applied to these characters only).
LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_LIGATURE_ENDINGS = ("fi", "fl", "ff", "ffi", "ffl")


@dataclass(slots=True)
class Word:
    """One word with its box and font."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass(slots=True)
class Line:
    """Words sharing a baseline inside one column, with the column's horizontal bounds."""

    words: list[Word]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    col_x0: float = 0.0
    col_x1: float = 0.0
    region: int = 0  # band/column id on the page: a change means a column or band break
    page: int = 0

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class PageLayout:
    """The reading-ordered lines of one page plus the text set apart from it."""

    lines: list[Line]
    side_notes: list[str] = field(default_factory=list)


def is_bold(fontname: str) -> bool:
    """Whether a PDF font name denotes a bold face."""
    name = fontname.lower()
    return any(key in name for key in ("bold", "black", "heavy", "semibold", ",b"))


def make_words(raw: list[dict]) -> list[Word]:
    """Convert pdfplumber words, re-joining words split after a ligature glyph.

    Some fonts draw a ligature wider than its advance and the PDF then carries an overlapping
    space, so pdfplumber splits e.g. "classifi" + "cation" although the two touch.
    """
    words: list[Word] = []
    for r in raw:
        text = r["text"].translate(LIGATURES)
        if not text.strip():
            continue
        word = Word(text, r["x0"], r["x1"], r["top"], r["bottom"], r["size"], is_bold(r["fontname"]))
        if words:
            prev = words[-1]
            if (
                prev.text.endswith(_LIGATURE_ENDINGS)
                and abs(word.x0 - prev.x1) < 0.5
                and abs(word.top - prev.top) < 1.0
                and abs(word.size - prev.size) < 0.1
            ):
                prev.text += text
                prev.x1 = word.x1
                continue
        words.append(word)
    return words


def group_lines(words: list[Word]) -> list[Line]:
    """Cluster words into lines by vertical overlap; lines sorted top-down, words left-right."""
    lines: list[list[Word]] = []
    bounds: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        placed = False
        # Only the last few lines can overlap a word visited in top order.
        for i in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            top, bottom = bounds[i]
            overlap = min(bottom, w.bottom) - max(top, w.top)
            if overlap > 0.5 * min(bottom - top, w.bottom - w.top):
                lines[i].append(w)
                bounds[i] = (min(top, w.top), max(bottom, w.bottom))
                placed = True
                break
        if not placed:
            lines.append([w])
            bounds.append((w.top, w.bottom))
    out = [_make_line(ws) for ws in lines]
    out.sort(key=lambda ln: ln.top)
    return out


def _make_line(words: list[Word]) -> Line:
    words.sort(key=lambda w: w.x0)
    sizes = [w.size for w in words for _ in range(len(w.text))]
    size = float(median(sizes))
    # Baseline extent from body-size words so superscripts do not widen the line.
    core = [w for w in words if w.size >= size - 0.5] or words
    return Line(
        words=words,
        x0=words[0].x0,
        x1=max(w.x1 for w in words),
        top=min(w.top for w in core),
        bottom=max(w.bottom for w in core),
        size=size,
        bold=all(w.bold for w in words),
    )


def _coverage(words: list[Word], lo: int, hi: int) -> np.ndarray:
    """Summed word heights covering each 1-pt bin of x in [lo, hi)."""
    diff = np.zeros(hi - lo + 1)
    x0 = np.clip(np.array([w.x0 for w in words]).astype(int) - lo, 0, hi - lo)
    x1 = np.clip(np.ceil(np.array([w.x1 for w in words])).astype(int) - lo, 0, hi - lo)
    h = np.array([w.bottom - w.top for w in words])
    np.add.at(diff, x0, h)
    np.add.at(diff, x1, -h)
    return np.cumsum(diff)[:-1]


def _empty_runs(cov: np.ndarray, min_width: int) -> list[tuple[int, int]]:
    """Runs of bins with zero coverage at least ``min_width`` wide, as [start, end)."""
    empty = np.concatenate(([False], cov <= 0, [False]))
    edges = np.flatnonzero(np.diff(empty.astype(np.int8)))
    starts, ends = edges[::2], edges[1::2]
    return [(int(s), int(e)) for s, e in zip(starts, ends) if e - s >= min_width]


def split_side_notes(words: list[Word], body_size: float) -> tuple[list[Word], list[list[Word]]]:
    """Separate narrow edge strips (margin notes) from the main text block.

    A strip qualifies when a full-height vertical gutter separates it from the rest, it lies at
    the left or right edge, and it is much narrower than the main block.
    """
    if len(words) < 20:
        return words, []
    lo = int(min(w.x0 for w in words))
    hi = int(np.ceil(max(w.x1 for w in words))) + 1
    cov = _coverage(words, lo, hi)
    runs = _empty_runs(cov, max(6, int(body_size)))
    if not runs:
        return words, []
    cuts = [lo] + [lo + (s + e) // 2 for s, e in runs] + [hi]
    strips = [[w for w in words if a <= (w.x0 + w.x1) / 2 < b] for a, b in zip(cuts, cuts[1:])]
    widths = [b - a for a, b in zip(cuts, cuts[1:])]
    total = hi - lo
    notes: list[list[Word]] = []
    for idx in (0, len(strips) - 1):
        strip = strips[idx]
        if not strip or widths[idx] > 0.3 * total or len(strips) < 2:
            continue
        if len(strip) < len(words) - len(strip):
            notes.append(strip)
    if not notes:
        return words, []
    noted = {id(w) for strip in notes for w in strip}
    return [w for w in words if id(w) not in noted], notes


def find_gutter(words: list[Word], body_size: float) -> tuple[float, float] | None:
    """The column gutter of a two-column text block, or None for a single column.

    The gutter is the x-range in the middle of the block least covered by text; only
    full-width bands may cross it, so it must be far less covered than the columns.
    """
    if len(words) < 40:
        return None
    lo = int(min(w.x0 for w in words))
    hi = int(np.ceil(max(w.x1 for w in words))) + 1
    cov = _coverage(words, lo, hi)
    width = hi - lo
    a, b = int(0.3 * width), int(0.7 * width)
    if b - a < 4:
        return None
    mid = cov[a:b]
    cmin = float(mid.min())
    col_level = float(np.median(cov[cov > 0])) if np.any(cov > 0) else 0.0
    if cmin > 0.5 * col_level:
        return None
    low = mid <= cmin + 0.05 * col_level
    centre = int(np.argmin(mid))
    s = e = centre
    while s > 0 and low[s - 1]:
        s -= 1
    while e < len(low) - 1 and low[e + 1]:
        e += 1
    g0, g1 = lo + a + s, lo + a + e + 1
    if g1 - g0 < max(3.0, 0.4 * body_size):
        return None
    left = sum(1 for w in words if w.x1 <= g0)
    right = sum(1 for w in words if w.x0 >= g1)
    if min(left, right) < 0.15 * len(words):
        return None
    return float(g0), float(g1)


def order_page(words: list[Word], body_size: float, page: int) -> PageLayout:
    """Lines of a page in reading order, with margin notes set apart."""
    main, notes = split_side_notes(words, body_size)
    side = [" ".join(ln.text for ln in group_lines(strip)) for strip in notes]
    if not main:
        return PageLayout([], side)
    lo = min(w.x0 for w in main)
    hi = max(w.x1 for w in main)
    gutter = find_gutter(main, body_size)
    if gutter is None:
        lines = group_lines(main)
        for ln in lines:
            ln.col_x0, ln.col_x1, ln.page = lo, hi, page
        return PageLayout(lines, side)

    g0, g1 = gutter
    quarter = (g1 - g0) / 4
    crossing = [w for w in main if w.x0 < g1 - quarter and w.x1 > g0 + quarter]
    # Full-width bands: merged y-intervals of lines that cross the gutter.
    spans: list[list[float]] = []
    for w in sorted(crossing, key=lambda w: w.top):
        if spans and w.top <= spans[-1][1] + 1.0:
            spans[-1][1] = max(spans[-1][1], w.bottom)
        else:
            spans.append([w.top, w.bottom])

    def band_of(w: Word) -> int:
        centre = (w.top + w.bottom) / 2
        for i, (t, b) in enumerate(spans):
            if centre < t:
                return 2 * i  # the two-column band above full-width band i
            if centre <= b:
                return 2 * i + 1
        return 2 * len(spans)

    regions: dict[tuple[int, int], list[Word]] = {}
    for w in main:
        band = band_of(w)
        col = 0 if band % 2 else (0 if (w.x0 + w.x1) / 2 < (g0 + g1) / 2 else 1)
        regions.setdefault((band, col), []).append(w)

    ordered: list[Line] = []
    for region_id, key in enumerate(sorted(regions)):
        band, col = key
        full = band % 2 == 1
        x0, x1 = (lo, hi) if full else ((lo, g0) if col == 0 else (g1, hi))
        for ln in group_lines(regions[key]):
            ln.col_x0, ln.col_x1, ln.region, ln.page = x0, x1, region_id, page
            ordered.append(ln)
    return PageLayout(ordered, side)
