"""Tables without ruling lines: found from their caption, gridded from text alignment.

Most journals draw tables with at most a few horizontal rules, so pdfplumber's line-based table
finder sees nothing, and its text strategy (cut at every whitespace column) splits multi-word
cells and merges spanning headers. Here a table is anchored at its caption ("Table 2 |",
"TABLE 1", "Table 3:"), its extent is the run of lines in the table's (usually smaller) font
next to the caption, and its grid is built from the words themselves:

* rows: words are clustered by baseline into lines; lines are merged into logical rows by
  line pitch (a wrapped cell line follows at a tighter pitch than a new row) or, in tables of
  uniform pitch, by whether the first column holds text;
* columns: words are joined into phrases (a gap of most of an em ends a phrase), and the
  x-ranges of body phrases are projected on the x axis: the gaps nobody crosses are the column
  boundaries. A phrase spanning several columns (a group header, a group label) is written in
  the first column it spans;
* header: the lines above the first horizontal rule inside the table (or, without rules,
  above the first line with a number); a header line holding a spanning phrase ends a header
  level (two-level headers); a header cell spanning both levels goes in the top row;
* group labels: body rows with text in the first column only;
* footnotes: trailing lines in a smaller font than the cells.

Everything here is pure: words and rules in, ``AlignedTable`` records out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from pipeline.ingest.layout import Word

_CAPTION_WORD = re.compile(r"^(table)(\s*S?\d+[A-Za-z]?)?[.:|]?$", re.IGNORECASE)
_LABEL_NUMBER = re.compile(r"^S?\d+[A-Za-z]?[.:|]?$")
_NUMBER = re.compile(r"\d")


@dataclass
class AlignedTable:
    """A table read from text alignment on one page."""

    label: str
    caption: str
    bbox: tuple[float, float, float, float]
    rows: list[list[str]]
    header_rows: int
    group_rows: list[int]
    footnotes: str | None
    columns: list[tuple[float, float]]
    continued: bool = False  # the caption says "(continued)"
    words: list[Word] = field(default_factory=list)  # every word the table took (cells and notes)
    caption_words: list[Word] = field(default_factory=list)


class TableParseError(ValueError):
    """A table caption was found but no grid could be built under it."""


@dataclass
class TableFailure:
    """A captioned table whose grid could not be built: why, and the words it would have taken."""

    label: str
    reason: str
    words: list[Word] = field(default_factory=list)


# --------------------------------------------------------------------------- lines


@dataclass
class _TLine:
    words: list[Word]
    top: float
    bottom: float
    size: float

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def text(self) -> str:
        return _join_words(self.words, self.size)


def _baseline_lines(words: list[Word]) -> list[_TLine]:
    """Cluster words into lines by baseline; small words (sub/superscripts) join the line they
    overlap most."""
    if not words:
        return []
    sizes = [w.size for w in words]
    typical = median(sizes)
    big = sorted((w for w in words if w.size >= 0.85 * typical), key=lambda w: (w.bottom, w.x0))
    small = [w for w in words if w.size < 0.85 * typical]
    lines: list[list[Word]] = []
    for w in big:
        if lines and abs(w.bottom - median(x.bottom for x in lines[-1])) <= 0.3 * w.size:
            lines[-1].append(w)
        else:
            lines.append([w])
    out = [_TLine(ws, min(x.top for x in ws), max(x.bottom for x in ws), median(x.size for x in ws)) for ws in lines]
    for w in small:
        best, best_overlap = None, 0.0
        for ln in out:
            overlap = min(ln.bottom, w.bottom) - max(ln.top, w.top)
            if overlap > best_overlap:
                best, best_overlap = ln, overlap
        if best is None:
            out.append(_TLine([w], w.top, w.bottom, w.size))
        else:
            best.words.append(w)
    for ln in out:
        ln.words.sort(key=lambda w: w.x0)
    out.sort(key=lambda ln: ln.top)
    return out


def _join_words(words: list[Word], size: float) -> str:
    """Words of one line of one cell: a space where they do not touch."""
    parts: list[str] = []
    prev: Word | None = None
    for w in sorted(words, key=lambda w: w.x0):
        if prev is not None and w.x0 - prev.x1 > 0.12 * size:
            parts.append(" ")
        parts.append(w.text)
        prev = w
    return "".join(parts)


def _phrases(line: _TLine) -> list[list[Word]]:
    """Runs of words separated by less than a column gap."""
    gap = 0.55 * line.size
    out: list[list[Word]] = []
    for w in line.words:
        if out and w.x0 - out[-1][-1].x1 < gap:
            out[-1].append(w)
        else:
            out.append([w])
    return out


# --------------------------------------------------------------------------- captions


@dataclass
class _Caption:
    label: str
    words: list[Word]
    top: float
    bottom: float
    x0: float
    x1: float
    size: float

    @property
    def text(self) -> str:
        lines = _baseline_lines(self.words)
        return " ".join(_join_words(ln.words, ln.size) for ln in lines)


def find_captions(words: list[Word], body_size: float) -> list[_Caption]:
    """Table captions on a page: "Table N" opening a line (nothing just left of it on its
    baseline), set off by bold face, a size other than the body's, or punctuation after
    the number ("Table 2:", "table 3 |", "TABLE 1")."""
    found: list[_Caption] = []
    for w in words:
        m = _CAPTION_WORD.match(w.text)
        if not m:
            continue
        same = [o for o in words if o is not w and abs(o.bottom - w.bottom) <= 0.3 * w.size]
        if any(w.x0 - 0.8 * w.size < o.x1 <= w.x0 + 0.1 and o.x0 < w.x0 for o in same):
            continue  # "see Table 2" inside a sentence (a word space before it, not a gutter)
        right = sorted((o for o in same if o.x0 >= w.x1 - 0.1), key=lambda o: o.x0)
        if m.group(2):
            number = m.group(2).strip()
            rest = right
        else:
            if not right or not _LABEL_NUMBER.match(right[0].text) or right[0].x0 - w.x1 > 1.5 * w.size:
                continue
            number = right[0].text
            rest = right[1:]
        styled = (
            w.bold
            or abs(w.size - body_size) >= 0.4
            or number.endswith((".", ":", "|"))
            or (rest and rest[0].text in ("|", ":", "."))
            or w.text.isupper()
        )
        if not styled:
            continue
        # The caption's first line: words to the right up to a column-sized gap.
        line = [w] + ([right[0]] if not m.group(2) else [])
        for o in rest:
            if o.x0 - line[-1].x1 > 1.5 * w.size:
                break
            line.append(o)
        label = "Table " + number.rstrip(".:|")
        found.append(
            _Caption(label, line, min(o.top for o in line), max(o.bottom for o in line),
                     line[0].x0, max(o.x1 for o in line), w.size)
        )
    return found


def _extend_caption(cap: _Caption, words: list[Word], taken: set[int]) -> None:
    """Add the caption's wrapped lines: same size, starting at the caption's left edge."""
    while True:
        below = [
            w for w in words
            if id(w) not in taken
            and cap.bottom - 0.2 * cap.size < w.top < cap.bottom + 1.6 * cap.size
            and abs(w.size - cap.size) < 0.3
            and w.x0 >= cap.x0 - 1
            and w.x0 <= cap.x1 + cap.size
        ]
        if not below:
            return
        below.sort(key=lambda w: w.x0)
        if abs(below[0].x0 - cap.x0) > 1.5:
            return
        line = [below[0]]
        for o in below[1:]:
            if o.x0 - line[-1].x1 > 1.5 * cap.size:
                break
            line.append(o)
        # A wrapped caption line does not run far past the caption's right edge into a column.
        cap.words.extend(line)
        taken.update(id(o) for o in line)
        cap.bottom = max(o.bottom for o in line)
        cap.x1 = max(cap.x1, max(o.x1 for o in line))


# --------------------------------------------------------------------------- extent


def _walk(
    cap: _Caption,
    words: list[Word],
    body_size: float,
    taken: set[int],
    downward: bool,
    captions: list[_Caption],
) -> list[_TLine]:
    """Lines of the table next to the caption, walking away from it until a wide gap, a
    line of body text over the table, or another caption."""
    x_lo = cap.x0 - 4
    small = [w for w in words if id(w) not in taken and w.x0 >= x_lo]
    table_font = [w for w in small if w.size < body_size - 0.35]
    pool = table_font
    side = [w for w in small if (w.top >= cap.bottom - 1 if downward else w.bottom <= cap.top + 1)]
    nearest = min(side, key=lambda w: (w.top - cap.bottom) if downward else (cap.top - w.bottom), default=None)
    body_font_table = nearest is not None and nearest.size >= body_size - 0.35 and (
        abs(nearest.size - cap.size) < 0.3 and nearest.size <= body_size + 0.35
    )
    if body_font_table and downward:
        # A table set in the body font (preprints): take every word, and stop at prose instead.
        pool = small
    near = [w for w in pool if (w.top >= cap.bottom - 1 if downward else w.bottom <= cap.top + 1)]
    if not near:
        return []
    lines = _baseline_lines(near)
    if not downward:
        lines.reverse()
    other_caps = [c for c in captions if c is not cap]
    body_words = [w for w in words if w.size >= body_size - 0.35 and id(w) not in taken]
    if pool is small:
        body_words = []
    out: list[_TLine] = []
    edge = cap.bottom if downward else cap.top
    x0, x1 = cap.x0, cap.x1
    for ln in lines:
        gap = (ln.top - edge) if downward else (edge - ln.bottom)
        limit = 3.2 * ln.size if out else 4.0 * ln.size
        if gap > limit:
            break
        lo, hi = (edge, ln.top) if downward else (ln.bottom, edge)
        if out:
            x0, x1 = min(x0, min(o.x0 for o in out)), max(x1, max(o.x1 for o in out))
        # Body text between the previous line and this one, over the table: the table ended.
        if any(lo - 1 < (w.top + w.bottom) / 2 < hi + 1 and w.x1 > x0 and w.x0 < x1 for w in body_words):
            break
        if any(lo - 1 < c.top < hi + 1 for c in other_caps):
            break
        if pool is small and _prose(ln):
            break
        out.append(ln)
        edge = ln.bottom if downward else ln.top
    if not downward:
        out.reverse()
    return out


def _prose(line: _TLine) -> bool:
    """A line of running text: one phrase of many words."""
    phrases = _phrases(line)
    return len(phrases) == 1 and len(phrases[0]) >= 8


# --------------------------------------------------------------------------- grid


def _columns(lines: list[_TLine], left: float) -> list[tuple[float, float]]:
    """Column x-ranges: the maximal x-intervals covered by body phrases."""
    spans: list[tuple[float, float]] = []
    for ln in lines:
        phrases = _phrases(ln)
        for ph in phrases:
            x0, x1 = ph[0].x0, max(w.x1 for w in ph)
            # A lone phrase at the left edge may be a group label spanning the row.
            if len(phrases) == 1 and x0 - left < 1.5 * ln.size:
                continue
            spans.append((x0, x1))
        if len(phrases) == 1 and phrases[0][0].x0 - left < 1.5 * ln.size:
            # Its first word still marks the first column.
            first = phrases[0][0]
            spans.append((first.x0, first.x1))
    spans.sort()
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1] + 0.5:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    return [(a, b) for a, b in cols]


def _split_at_columns(phrase: list[Word], columns: list[tuple[float, float]], size: float) -> list[list[Word]]:
    """Split a phrase whose words sit in different columns with more than a word space between
    them (tightly set narrow columns: "Strain AMP CEF CHL"); a spanning header keeps its words."""
    out = [[phrase[0]]]
    for prev, w in zip(phrase, phrase[1:]):
        a = _place(prev.x0, prev.x1, columns)
        b = _place(w.x0, w.x1, columns)
        if w.x0 - prev.x1 > 0.4 * size and a[0] == a[1] and b[0] == b[1] and b[0] > a[1]:
            out.append([w])
        else:
            out[-1].append(w)
    return out


def _place(x0: float, x1: float, columns: list[tuple[float, float]]) -> tuple[int, int]:
    """First and last column a phrase overlaps (nearest column when it overlaps none)."""
    hits = [
        i for i, (a, b) in enumerate(columns)
        if min(x1, b) - max(x0, a) > min(2.0, 0.3 * (x1 - x0))
    ]
    if hits:
        return hits[0], hits[-1]
    centre = (x0 + x1) / 2
    best = min(range(len(columns)), key=lambda i: min(abs(centre - columns[i][0]), abs(centre - columns[i][1])))
    return best, best


def _is_numberish(text: str) -> bool:
    digits = sum(ch.isdigit() for ch in text)
    letters = sum(ch.isalpha() for ch in text)
    return digits > 0 and digits >= letters


def _join_cell(parts: list[str]) -> str:
    """Lines of one cell joined with a space; a line-end hyphen inside a lower-case word goes."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not out:
            out = part
        elif out.endswith("-") and len(out) > 2 and out[-2].islower() and part[:1].islower():
            left = re.split(r"[\s(/]", out[:-1])[-1]
            right = re.split(r"[\s,;.)]", part)[0]
            # "Web-based", "adenoma-serrated" are compounds; "meno-pausal", "in-take" are breaks.
            compound = left[:1].isupper() or (len(left) >= 6 and len(right) >= 5)
            out = out + part if compound else out[:-1] + part
        elif out.endswith(("-", "–", "−")) and len(out) > 1 and out[-2].isalnum():
            out = out + part
        else:
            out = f"{out} {part}"
    return out


def build_grid(
    lines: list[_TLine],
    rules: list[tuple[float, float, float]],
    columns: list[tuple[float, float]] | None = None,
    with_header: bool = True,
) -> tuple[list[list[str]], int, list[int], list[tuple[float, float]]]:
    """Rows of cell texts, the number of header rows, the group-label rows and the columns."""
    if not lines:
        raise TableParseError("no table lines")
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    size = median(ln.size for ln in lines)
    inner_rules = sorted(
        y for y, a, b in rules
        if lines[0].top + 1 < y < lines[-1].bottom - 1 and min(b, right) - max(a, left) > 0.3 * (b - a)
    )
    # Header: lines above the first full rule; else lines before the first line with a number.
    n_head = 0
    if with_header:
        full_rules = [
            y for y, a, b in rules
            if lines[0].top + 1 < y < lines[-1].bottom - 1 and (b - a) > 0.6 * (right - left)
        ]
        if full_rules:
            n_head = sum(1 for ln in lines if ln.bottom <= full_rules[0] + 1)
        if n_head == 0 or n_head >= len(lines):
            n_head = _header_lines(lines, left)
    head_lines, body_lines = lines[:n_head], lines[n_head:]
    if columns is None:
        columns = _columns(body_lines or lines, left)
    if len(columns) < 2:
        raise TableParseError(f"one column only ({len(lines)} lines)")

    def cells_of(ln: _TLine) -> tuple[dict[int, list[str]], list[tuple[int, int]]]:
        cells: dict[int, list[str]] = {}
        spans: list[tuple[int, int]] = []
        for ph in (p for whole in _phrases(ln) for p in _split_at_columns(whole, columns, ln.size)):
            first, last = _place(ph[0].x0, max(w.x1 for w in ph), columns)
            cells.setdefault(first, []).append(_join_words(ph, ln.size))
            spans.append((first, last))
        return cells, spans

    # ---- header rows
    rows = _header_rows(head_lines, columns, rules, size)
    n_header = len(rows)

    # ---- body rows
    pitches = [b.top - a.top for a, b in zip(body_lines, body_lines[1:])]
    # The wrapped-line pitch: the smallest pitch, ignoring stacked lines closer
    # than a line height (two entries printed in one cell).
    usable = sorted(p for p in pitches if p >= 0.8 * size)
    p0 = usable[0] if usable else size
    bimodal = any(p > 1.15 * p0 + 0.5 for p in pitches)
    group_rows: list[int] = []
    current_body: dict[int, list[str]] | None = None
    prev: _TLine | None = None
    body_rows: list[dict[int, list[str]]] = []
    first_count = 0
    for ln in body_lines:
        cells, _ = cells_of(ln)
        new = True
        if prev is not None and current_body is not None:
            big = ln.top - prev.top > 1.15 * p0 + 0.5
            ruled = any(prev.bottom - 1 < y < ln.top + 1 for y in inner_rules)
            if ruled:
                new = True
            elif 0 not in cells:
                # A line with an empty stub continues the row's wrapped cells, unless a
                # clearly wider gap than a wrapped line's says it is a row of its own.
                # A lone cell after a gap is a second entry stacked in the same cell.
                new = bimodal and big and len(cells) >= 2
            else:
                # A stub in a tightly spaced line is a wrapped stub line when the line fills
                # few of the columns the row's first line filled.
                new = not bimodal or big or len(cells) >= max(2, 0.7 * first_count)
        if new or current_body is None:
            current_body = {}
            body_rows.append(current_body)
            first_count = len(cells)
        for c, texts in cells.items():
            current_body.setdefault(c, []).append(" ".join(texts))
        prev = ln
    for br in body_rows:
        row = [_join_cell(br.get(c, [])) for c in range(len(columns))]
        if row[0] and not any(row[1:]) and len(columns) >= 3:
            group_rows.append(len(rows))
        rows.append(row)
    return rows, n_header, group_rows, columns


def _repeats_header(lines: list[_TLine], previous: AlignedTable) -> bool:
    """Whether a continued part starts with the header of the part before."""
    if not previous.header_rows or not previous.rows:
        return False
    head = " ".join(c for c in previous.rows[0] if c).split()
    first = lines[0].text.split()
    return bool(head) and first[: min(3, len(head))] == head[: min(3, len(head))]


def _header_rows(
    lines: list[_TLine],
    columns: list[tuple[float, float]],
    rules: list[tuple[float, float, float]],
    size: float,
) -> list[list[str]]:
    """One or two header rows from the header lines.

    A phrase spanning several columns (by its own width, or by a rule drawn just under it over
    several columns) opens a second level: text under it, in the columns it spans, goes to the
    second row; everything else goes to the first row, in line order (a header cell spanning
    both levels is written in the top row). The spanning phrase sits in its first column.
    """
    if not lines:
        return []
    placed: list[tuple[int, int, int, str]] = []  # line, first col, last col, text
    # Header cells are often wider than the body cells under them: a column's extent grows
    # by the header phrases of one column, read bottom-up, so a phrase above is judged
    # spanning against what is printed under it.
    ext = [list(c) for c in columns]
    for k in range(len(lines) - 1, -1, -1):
        ln = lines[k]
        for ph in (p for whole in _phrases(ln) for p in _split_at_columns(whole, columns, ln.size)):
            x0, x1 = ph[0].x0, max(w.x1 for w in ph)
            first, last = _place(x0, x1, [tuple(c) for c in ext])
            bottom = max(w.bottom for w in ph)
            for y, a, b in rules:
                partial = b - a < 0.8 * (columns[-1][1] - columns[0][0])
                if partial and bottom - 1 < y < bottom + 1.2 * size and min(b, x1) - max(a, x0) > 0.5 * (x1 - x0) and b - a > 1.3 * (x1 - x0):
                    lo, hi = _place(a + 1, b - 1, columns)
                    first, last = min(first, lo), max(last, hi)
            if first == last:
                lo = ext[first - 1][1] if first > 0 else float("-inf")
                hi = ext[first + 1][0] if first + 1 < len(ext) else float("inf")
                ext[first][0] = max(min(ext[first][0], x0), lo + 0.5)
                ext[first][1] = min(max(ext[first][1], x1), hi - 0.5)
            placed.append((k, first, last, _join_words(ph, ln.size)))
    placed.sort(key=lambda item: item[0])
    spans = [(k, a, b) for k, a, b, _ in placed if b > a]
    top: dict[int, list[str]] = {}
    low: dict[int, list[str]] = {}
    for k, a, b, text in placed:
        under = any(k > sk and sa <= a <= sb for sk, sa, sb in spans) and b == a
        (low if under else top).setdefault(a, []).append(text)
    out = [[_join_cell(top.get(c, [])) for c in range(len(columns))]]
    if low:
        out.append([_join_cell(low.get(c, [])) for c in range(len(columns))])
    return out


def _header_lines(lines: list[_TLine], left: float) -> int:
    """Header lines of a table without a rule under its header: the lines before the first
    row with a stub (text at the left edge) and a number in another column; a trailing lone
    stub line (a group label) belongs to the body."""
    def at_left(ln: _TLine, phrase: list[Word]) -> bool:
        return phrase[0].x0 - left < 1.5 * ln.size

    n_head = 0
    for i, ln in enumerate(lines[1:], start=1):
        phrases = _phrases(ln)
        if at_left(ln, phrases[0]) and any(_is_numberish(_join_words(ph, ln.size)) for ph in phrases[1:]):
            n_head = i
            break
    if n_head == 0:
        for i, ln in enumerate(lines[1:], start=1):
            if any(_is_numberish(_join_words(ph, ln.size)) for ph in _phrases(ln)):
                n_head = i
                break
    n_head = max(1, min(n_head or 1, len(lines) - 1))
    # Wrapped header lines: close under the header, no stub, no number.
    while n_head < len(lines) - 1:
        ln, above = lines[n_head], lines[n_head - 1]
        phrases = _phrases(ln)
        if (
            ln.top - above.top < 1.8 * ln.size
            and not at_left(ln, phrases[0])
            and not any(_is_numberish(_join_words(ph, ln.size)) for ph in phrases)
        ):
            n_head += 1
        else:
            break
    while n_head > 1:
        phrases = _phrases(lines[n_head - 1])
        if len(phrases) == 1 and at_left(lines[n_head - 1], phrases[0]):
            n_head -= 1
        else:
            break
    return n_head


# --------------------------------------------------------------------------- page


def find_aligned_tables(
    words: list[Word],
    rules: list[tuple[float, float, float]],
    body_size: float,
    skip_boxes: list[tuple[float, float, float, float]] = (),
    previous: AlignedTable | None = None,
    run_on: AlignedTable | None = None,
) -> tuple[list[AlignedTable], list[TableFailure]]:
    """Captioned tables on one page, read from text alignment, plus the ones that failed.

    ``rules`` are horizontal rules as (y, x0, x1). A caption inside ``skip_boxes`` (tables
    already read from their ruling lines) is ignored. ``previous`` is the last table of the page
    before: a part captioned "(continued)" with its label is gridded on its columns, without a
    header of its own unless the part repeats one. A caption under which no grid can be
    built yields a ``TableFailure`` holding the words next to the caption, so the caller can
    set them apart with the reason instead of losing them (or letting them into the body).
    ``run_on`` is the last table of the page just before, when it may run on to this page
    without a caption: a block that repeats its header is read as its continuation.
    """
    captions = [
        c for c in find_captions(words, body_size)
        if not any(x0 - 2 <= c.x0 <= x1 + 2 and top - 2 <= c.top <= bottom + 2 for x0, top, x1, bottom in skip_boxes)
    ]
    taken: set[int] = set()
    for cap in captions:
        taken.update(id(w) for w in cap.words)
    for cap in captions:
        _extend_caption(cap, words, taken)
    tables: list[AlignedTable] = []
    warnings: list[TableFailure] = []
    for cap in captions:
        down = _walk(cap, words, body_size, taken, True, captions)
        up = _walk(cap, words, body_size, taken, False, captions) if len(down) < 2 else []
        lines = down if len(down) >= len(up) else up
        if len(lines) < 2:
            continue  # a caption of a table drawn as an image, or a mislabelled line
        cell_size = median(ln.size for ln in lines)
        # Footnotes: the lines on the far side (or, for a caption below, the near side) in a
        # smaller font than the cells.
        downward = lines is down
        notes: list[_TLine] = []
        # Lines under the table's closing rule are notes, whatever their size: the closing
        # rule is the last of at least two full-width rules over the table, with more table
        # lines above it than lines below it (a rule under the header of a table that runs
        # on to the next page closes nothing).
        x_lo, x_hi = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
        full = sorted(
            y for y, a, b in rules
            if b - a > 0.6 * (x_hi - x_lo) and min(b, x_hi) - max(a, x_lo) > 0.5 * (b - a)
            and lines[0].top - 2 * cell_size < y < lines[-1].bottom + 2 * cell_size
        )
        if len(full) >= 2:
            y_end = full[-1]
            above = sum(1 for ln in lines if ln.bottom <= y_end + 1)
            below = len(lines) - above
            if 0 < below < above and above >= 3:
                while len(lines) > 2 and lines[-1].top > y_end + 0.5:
                    notes.insert(0, lines.pop())
        # Trailing lines in a smaller font than the cells are notes too.
        while len(lines) > 2 and lines[-1].size < cell_size - 0.3:
            notes.insert(0, lines.pop())
        used = [w for ln in lines + notes for w in ln.words]
        try:
            continuing = (
                previous is not None
                and previous.label == cap.label
                and "continued" in cap.text.lower()
            )
            if continuing:
                repeats = _repeats_header(lines, previous)
                rows, n_header, groups, columns = build_grid(
                    lines, rules, columns=previous.columns, with_header=repeats
                )
            else:
                rows, n_header, groups, columns = build_grid(lines, rules)
        except Exception as exc:  # any failure of one table must not lose the page
            warnings.append(TableFailure(cap.label, f"{type(exc).__name__}: {exc}", used))
            taken.update(id(w) for w in used)
            continue
        taken.update(id(w) for w in used)
        bbox = (
            min(w.x0 for w in used), min(w.top for w in used),
            max(w.x1 for w in used), max(w.bottom for w in used),
        )
        footnotes = " ".join(ln.text for ln in notes) or None
        tables.append(
            AlignedTable(
                label=cap.label,
                caption=cap.text,
                bbox=bbox,
                rows=rows,
                header_rows=n_header,
                group_rows=groups,
                footnotes=footnotes,
                columns=columns,
                continued="continued" in cap.text.lower(),
                words=used,
                caption_words=cap.words,
            )
        )
    if run_on is not None and not any(t.continued and t.label == run_on.label for t in tables):
        part = _uncaptioned_continuation(words, rules, body_size, taken, captions, run_on)
        if part is not None:
            tables.append(part)
    return tables, warnings


def _header_words(table: AlignedTable) -> list[str]:
    return " ".join(c for row in table.rows[: table.header_rows] for c in row if c).split()


def _starts_with_header(line: _TLine, previous: AlignedTable) -> bool:
    """Whether ``line`` is the first line of ``previous``'s header printed again: three or more
    words, all of them header words of ``previous`` in the same order (a header wrapped over
    several lines prints its first line's words as a subsequence of the whole)."""
    words = line.text.split()
    head = _header_words(previous)
    if len(words) < 3 or not previous.header_rows:
        return False
    it = iter(head)
    return all(any(w == h for h in it) for w in words)


def _uncaptioned_continuation(
    words: list[Word],
    rules: list[tuple[float, float, float]],
    body_size: float,
    taken: set[int],
    captions: list[_Caption],
    previous: AlignedTable,
) -> AlignedTable | None:
    """The rest of ``previous`` (the last table of the page before) printed on this page under
    its repeated header but without a "(continued)" caption: the first line in the table font
    that repeats the header starts it. Gridded on its own columns (it may sit in another column
    of the page); the caller merges it into ``previous`` by label."""
    free = [w for w in words if id(w) not in taken and w.size < body_size - 0.35]
    start = next((ln for ln in _baseline_lines(free) if _starts_with_header(ln, previous)), None)
    if start is None:
        return None
    anchor = _Caption(previous.label, [], start.top - 0.5, start.top - 0.5, start.x0, start.x1, start.size)
    lines = _walk(anchor, words, body_size, taken, True, captions)
    if len(lines) < 2:
        return None
    try:
        rows, n_header, groups, columns = build_grid(lines, rules)
    except Exception:  # noqa: BLE001 - not a continuation after all: leave the words be
        return None
    used = [w for ln in lines for w in ln.words]
    taken.update(id(w) for w in used)
    return AlignedTable(
        label=previous.label,
        caption=previous.caption,
        bbox=(min(w.x0 for w in used), min(w.top for w in used), max(w.x1 for w in used), max(w.bottom for w in used)),
        rows=rows,
        header_rows=n_header,
        group_rows=groups,
        footnotes=None,
        columns=columns,
        continued=True,
        words=used,
    )
