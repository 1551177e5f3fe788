"""Page layout: words to lines, column and band detection, reading order.

A page is split into horizontal *bands*: full-width bands (title, abstract, wide tables and
figures) and two-column bands. Bands are read top to bottom and, inside a two-column band, the
left column before the right one. Narrow text strips at the page edge separated from the main
text by a full-height gutter (margin notes, sidebars) are set apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

import numpy as np

# Ligature glyphs expanded to their letters (NFKC applied to these characters only).
LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_LIGATURE_ENDINGS = ("fi", "fl", "ff", "ffi", "ffl")
_CITATION_MARK = re.compile(r"[\d,\-–—]+")


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
        # Sub- and superscripts touching the previous glyph belong to the same token ("PIP2"),
        # except superscript citation numbers after a word ("growth,12" -> "growth, 12").
        parts = [self.words[0].text]
        for prev, word in zip(self.words, self.words[1:]):
            touching = word.x0 - prev.x1 < 0.1 * self.size and abs(word.size - prev.size) > 0.5
            citation = (
                word.bottom < prev.bottom - 0.15 * prev.size
                and _CITATION_MARK.fullmatch(word.text) is not None
                and (prev.text[-1:].islower() or prev.text[-1:] in tuple(",.;:)]"))
            )
            parts.append(word.text if touching and not citation else " " + word.text)
        return "".join(parts)


@dataclass
class PageLayout:
    """The reading-ordered lines of one page plus the text set apart from it."""

    lines: list[Line]
    side_notes: list[str] = field(default_factory=list)


_BOLD_FONT = re.compile(r"bold|black|heavy|demi|[.,-](b|bd)$|-bd|bd$", re.IGNORECASE)


def is_bold(fontname: str) -> bool:
    """Whether a PDF font name denotes a bold face ("Helvetica-Bold", "Times,Bold", "X.B")."""
    return bool(_BOLD_FONT.search(fontname))


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
            height = w.bottom - w.top
            # Sub- and superscripts sit half off the baseline: any overlap joins a small word.
            small = height < 0.85 * (bottom - top) and overlap > 0.2 * height
            if small or overlap > 0.5 * min(bottom - top, height):
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


def _low_runs(cov: np.ndarray, limit: float, min_width: int) -> list[tuple[int, int]]:
    """Runs of bins with coverage at most ``limit``, at least ``min_width`` wide, as [start, end)."""
    low = np.concatenate(([False], cov <= limit, [False]))
    edges = np.flatnonzero(np.diff(low.astype(np.int8)))
    starts, ends = edges[::2], edges[1::2]
    return [(int(s), int(e)) for s, e in zip(starts, ends) if e - s >= min_width]


def split_side_notes(words: list[Word], body_size: float) -> tuple[list[Word], list[list[Word]]]:
    """Separate narrow edge strips (margin notes, sidebars) from the main text block.

    A strip qualifies when a vertical gutter crossed only by a few lines (a title, a running
    head) separates it from the rest, it lies at the left or right edge, and it is much
    narrower than the main block. Words crossing the gutter stay in the main block.
    """
    if len(words) < 20:
        return words, []
    lo = int(min(w.x0 for w in words))
    hi = int(np.ceil(max(w.x1 for w in words))) + 1
    cov = _coverage(words, lo, hi)
    positive = cov[cov > 0]
    limit = 0.1 * float(np.median(positive)) if positive.size else 0.0
    runs = _low_runs(cov, limit, max(4, int(0.5 * body_size)))
    total = hi - lo
    notes: list[list[Word]] = []
    # Only the outermost low run on each side can cut off an edge strip.
    inner = [(s, e) for s, e in runs if s > 0 and e < total]
    candidates = []
    if inner:
        candidates.append(("left", inner[0]))
        candidates.append(("right", inner[-1]))
    for side, (s, e) in candidates:
        cut0, cut1 = lo + s, lo + e
        if side == "left" and cut0 - lo < 0.3 * total:
            strip = [w for w in words if w.x1 <= cut1 and (w.x0 + w.x1) / 2 < cut0 + 1]
        elif side == "right" and hi - cut1 < 0.3 * total:
            strip = [w for w in words if w.x0 >= cut0 and (w.x0 + w.x1) / 2 > cut1 - 1]
        else:
            continue
        # Hanging reference numbers or list markers also form narrow strips: notes have words.
        wordy = sum(1 for w in strip if sum(ch.isalpha() for ch in w.text) >= 3)
        if wordy >= 8 and len(strip) < 0.5 * len(words):
            notes.append(strip)
    if not notes:
        return words, []
    noted = {id(w) for strip in notes for w in strip}
    return [w for w in words if id(w) not in noted], notes


def find_gutter(words: list[Word], body_size: float) -> tuple[float, float] | None:
    """The column gutter of a two-column text block, or None for a single column.

    Evidence is counted per text row: a row of a two-column band has a wide gap at the
    gutter with text on both sides, while full-width rows (title, abstract, wide figures)
    cross it. The gutter is the x-range in the middle of the block where most rows have
    such a gap; at least a few rows must show it.
    """
    if len(words) < 40:
        return None
    lo = int(min(w.x0 for w in words))
    hi = int(np.ceil(max(w.x1 for w in words))) + 1
    width = hi - lo
    min_gap = max(3.0, 0.8 * body_size)
    gaps = np.zeros(width + 1)
    rows = 0
    for line in group_lines(words):
        ws = line.words
        for a, b in zip(ws, ws[1:]):
            if b.x0 - a.x1 >= min_gap:
                gaps[int(np.ceil(a.x1)) - lo] += 1
                gaps[int(b.x0) - lo] -= 1
        rows += 1
    counts = np.cumsum(gaps)[:-1]
    a, b = int(0.3 * width), int(0.7 * width)
    mid = counts[a:b]
    if mid.size == 0:
        return None
    best = float(mid.max())
    if best < max(4.0, 0.1 * rows):
        return None
    runs = _low_runs(-mid, -0.8 * best, 1)  # runs where at least 80% of the best count hold
    s, e = max(runs, key=lambda r: (r[1] - r[0]) * float(mid[r[0] : r[1]].mean()))
    g0, g1 = lo + a + s, lo + a + e
    # Ragged line ends widen the gap run; the gutter proper is its least-covered stretch.
    cov = _coverage(words, g0, g1)
    floor = float(cov.min())
    t0, t1 = max(_low_runs(cov, floor + 1e-6, 1), key=lambda r: r[1] - r[0])
    return float(g0 + t0), float(g0 + t1)


def order_page(words: list[Word], body_size: float, page: int, depth: int = 0) -> PageLayout:
    """Lines of a page in reading order, with margin notes set apart.

    A column that is itself much wider than half the text block (a three-column front page:
    affiliations, abstract, body) is ordered the same way, once more, inside itself.
    """
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
    centre_x = (g0 + g1) / 2
    min_gap = max(3.0, 0.8 * body_size)
    # Full-width bands: merged y-intervals of rows that cross the gutter, either with a word
    # or with only a word space at it (the gutter core can be narrow).
    spans: list[list[float]] = []
    for row in group_lines(main):
        left_end = max((w.x1 for w in row.words if w.x1 <= centre_x), default=None)
        right_start = min((w.x0 for w in row.words if w.x0 >= centre_x), default=None)
        crosses = any(w.x0 < g1 and w.x1 > g0 for w in row.words)
        narrow = left_end is not None and right_start is not None and right_start - left_end < min_gap
        if not (crosses or narrow):
            continue
        if spans and row.top <= spans[-1][1] + 1.0:
            spans[-1][1] = max(spans[-1][1], row.bottom)
        else:
            spans.append([row.top, row.bottom])

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
    region_id = -1
    previous_full = False
    for key in sorted(regions):
        band, col = key
        full = band % 2 == 1
        # Full-width bands with no column text between them are one region (so paragraph
        # breaks inside a long abstract are found from line spacing).
        if not (full and previous_full):
            region_id += 1
        previous_full = full
        x0, x1 = (lo, hi) if full else ((lo, g0) if col == 0 else (g1, hi))
        region_words = regions[key]
        if not full and depth == 0 and len(region_words) >= 60:
            r0 = min(w.x0 for w in region_words)
            r1 = max(w.x1 for w in region_words)
            if r1 - r0 > 0.55 * (hi - lo):
                inner = order_page(region_words, body_size, page, depth + 1)
                side.extend(inner.side_notes)
                if len({ln.region for ln in inner.lines}) > 1 or inner.side_notes:
                    base = region_id
                    for ln in inner.lines:
                        ln.region = base + ln.region
                        region_id = max(region_id, ln.region)
                        ordered.append(ln)
                    continue
        for ln in group_lines(region_words):
            ln.col_x0, ln.col_x1, ln.region, ln.page = x0, x1, region_id, page
            ordered.append(ln)
    return PageLayout(ordered, side)
