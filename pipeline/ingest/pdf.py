"""PDF ingestion with pdfplumber: text layer to a structured ``Document``.

Per page: words are extracted once (with font size and name), watermarks and ruled tables are
taken out, running heads/footers found across pages are dropped, and the rest is put in
reading order by ``layout``. The ordered lines are then grouped into title, headings and
paragraphs; captions and the reference list are set apart.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from pipeline.ids import doc_id_for, file_hash
from pipeline.ingest.errors import IngestError
from pipeline.ingest.fonts import repair_case_folded_fonts
from pipeline.ingest.layout import Line, Word, group_lines, make_words, order_page
from pipeline.ingest.pdf_tables import RawTable, find_ruled_tables, horizontal_rules
from pipeline.ingest.table_grid import AlignedTable, find_aligned_tables
from pipeline.ids import stable_id
from pipeline.records import Block, Caption, Document, Reference, Section, Table

INGEST_VERSION = "pdf-1"
EDGE_ZONE = 0.12  # fraction of the page height where running heads and footers live
# Gap (as a fraction of font size) that starts a new word. pdfplumber's fixed 3 pt glues
# words of tightly set PDFs that carry no space characters; letter gaps are far below this.
X_TOLERANCE_RATIO = 0.15

_CAPTION = re.compile(
    r"^(?P<label>(?P<kind>fig(?:ure)?s?\.?|table|scheme|box)\s*S?\d+[A-Za-z]?)(?P<after>[\s.:|—–-]|$)",
    re.IGNORECASE,
)
_REFERENCES = re.compile(
    r"^(\d+(\.\d+)*\.?\s*)?(references|bibliography|literature cited|references and notes|works cited)$",
    re.IGNORECASE,
)
_NUMBERED_HEADING = re.compile(r"^(\d+(\.\d+)*)\.?\s+\S")
_REF_NUMBER = re.compile(r"^\[?\d{1,3}[\].)]?\s+\S")
_PAGE_NUMBER = re.compile(r"^(page\s*)?[\divxlc]+(\s*(of|/)\s*\d+)?$", re.IGNORECASE)
_LINKISH = re.compile(r"(doi[:.]|https?://|www\.|©|\(c\) \d{4})", re.IGNORECASE)
_HYPHENS = ("-", "\u2010", "\u00ad")
_WORD_EDGE = re.compile(r"^\W+|\W+$")


@dataclass
class _Page:
    number: int
    height: float
    words: list[Word]
    tables: list[RawTable] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # horizontal: y, x0, x1
    aligned: list[AlignedTable] = field(default_factory=list)


@dataclass
class _Para:
    """A paragraph under construction."""

    lines: list[Line]
    kind: str = "paragraph"  # paragraph | heading | title
    text: str = ""
    level: int | None = None


# --------------------------------------------------------------------------- opening


def _open(path: Path):
    size = path.stat().st_size
    with open(path, "rb") as handle:
        if handle.read(5) != b"%PDF-":
            raise IngestError(path, "not_a_pdf", "file does not start with %PDF-")
        # A PDF ends with %%EOF; its absence means the file was cut short.
        handle.seek(max(0, size - 4096))
        if b"%%EOF" not in handle.read():
            raise IngestError(path, "corrupt", "truncated PDF: no %%EOF marker at the end")
    try:
        pdf = pdfplumber.open(path)
        n_pages = len(pdf.pages)
    except Exception as exc:  # pdfminer raises many ad-hoc error types on damaged files
        raise _open_error(path, exc) from exc
    if n_pages == 0:
        pdf.close()
        raise IngestError(path, "empty", "PDF has no pages")
    return pdf


def _open_error(path: Path, exc: Exception) -> IngestError:
    """Classify a failure to open a PDF as ``encrypted`` or ``corrupt``."""
    # pdfplumber wraps pdfminer's exception as the first argument of PdfminerException.
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    detail = str(cause) or type(cause).__name__
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in detail.lower():
        return IngestError(path, "encrypted", f"PDF is encrypted and needs a password ({detail})")
    return IngestError(path, "corrupt", f"PDF cannot be parsed: {detail}")


def _light(color, space) -> bool:
    """Very light fill colour (near-white grey, RGB or CMYK): typical of watermarks.

    A one-component colour is only grey in DeviceGray; in a Separation space 1.0 is full ink.
    """
    if not isinstance(color, (tuple, list)) or not color:
        return False
    if not all(isinstance(c, (int, float)) for c in color):
        return False
    if len(color) == 1:
        return "gray" in str(space).lower() and color[0] > 0.85
    if len(color) == 3:
        return min(color) > 0.85
    if len(color) == 4:
        return max(color) < 0.1
    return False


def _dark_fills(page) -> list[tuple[float, float, float, float]]:
    """Boxes of filled rectangles in a dark colour (white text on them is real text)."""
    boxes = []
    for rect in page.objects.get("rect", []):
        color = rect.get("non_stroking_color")
        if not rect.get("fill") or color is None:
            continue
        values = color if isinstance(color, (tuple, list)) else (color,)
        if not values or not all(isinstance(c, (int, float)) for c in values):
            continue
        if len(values) == 4:
            darkness = max(values)  # CMYK: ink coverage
        else:
            darkness = 1.0 - sum(values) / len(values)
        if darkness > 0.4:
            boxes.append((rect["x0"], rect["top"], rect["x1"], rect["bottom"]))
    return boxes


def _rotated(obj: dict) -> bool:
    """A character drawn at an angle (pdfminer calls text up to 90 degrees "upright").

    Only the rotation term is tested: synthetic italics shear the matrix but do not rotate it.
    """
    if obj["object_type"] != "char":
        return False
    a, b = obj["matrix"][0], obj["matrix"][1]
    return abs(b) > 0.1 * abs(a) or a <= 0


def _read_page(page, number: int, removed: list[str]) -> _Page:
    """Words of one page without watermarks and ruled-table text, plus the tables."""
    chars = page.chars
    if any(_rotated(c) for c in chars):
        removed.append("".join(c["text"] for c in chars if _rotated(c)))
        text_page = page.filter(lambda obj: not _rotated(obj))
    else:
        text_page = page
    raw = text_page.extract_words(
        use_text_flow=False,
        x_tolerance_ratio=X_TOLERANCE_RATIO,
        extra_attrs=["size", "fontname", "non_stroking_color", "ncs"]
    )
    kept = []
    dark = _dark_fills(page) if any(_light(r["non_stroking_color"], r["ncs"]) for r in raw) else []
    for r in raw:
        # Light text is a watermark unless it is printed on a dark fill (a table's header band).
        on_dark = any(
            x0 <= (r["x0"] + r["x1"]) / 2 <= x1 and top <= (r["top"] + r["bottom"]) / 2 <= bottom
            for x0, top, x1, bottom in dark
        )
        if not r["upright"] or (_light(r["non_stroking_color"], r["ncs"]) and not on_dark):
            removed.append(r["text"])
        else:
            kept.append(r)
    # Ruled tables' words are taken out later, once tables found from alignment (which may
    # contain a ruled fragment such as a shaded band) have been compared with them.
    tables = find_ruled_tables(page)
    return _Page(number, float(page.height), make_words(kept), tables, horizontal_rules(page))


# --------------------------------------------------------------------------- running heads


def _norm_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def _strip_running(pages: list[_Page], body_size: float, removed: list[str]) -> None:
    """Drop running heads/footers, page numbers and repeated edge lines in place.

    An edge line goes if its text (digits ignored) recurs at about the same height on another
    page, if it is a bare page number, or if it is a small DOI/URL/copyright line.
    """
    edge_rows: list[tuple[int, Line, str, bool]] = []
    for page in pages:
        zone = EDGE_ZONE * page.height
        rows = group_lines(page.words)
        for k, line in enumerate(rows):
            if line.top < zone or line.bottom > page.height - zone:
                outermost = k in (0, 1, len(rows) - 2, len(rows) - 1)
                edge_rows.append((page.number, line, _norm_key(line.text), outermost))
    by_key: dict[str, list[tuple[int, float]]] = {}
    for number, line, key, _ in edge_rows:
        by_key.setdefault(key, []).append((number, line.top))
    drop: set[int] = set()
    for number, line, key, outermost in edge_rows:
        text = line.text
        recurring = any(n != number and abs(top - line.top) <= 4 for n, top in by_key[key])
        # "Table 2" at the top of two pages differs only in digits but is no running head.
        recurring = recurring and not _CAPTION.match(text)
        # Page numbers and DOI/URL lines only count at the very top or bottom of the page:
        # a reference with a DOI may end a column just above the footer.
        page_number = outermost and bool(_PAGE_NUMBER.match(text.strip()))
        linkish = outermost and bool(_LINKISH.search(text)) and line.size <= body_size + 0.1
        if recurring or page_number or linkish:
            drop.update(id(w) for w in line.words)
            removed.append(text)
    for page in pages:
        page.words = [w for w in page.words if id(w) not in drop]


# --------------------------------------------------------------------------- paragraphs


def _body_size(pages: list[_Page]) -> float:
    """The body font size: the largest size carrying a good share of the characters.

    Not simply the most common size: small-print references and tables can outweigh the
    body text of a short article.
    """
    sizes: Counter[float] = Counter()
    for page in pages:
        for w in page.words:
            sizes[round(w.size * 2) / 2] += len(w.text)
    if not sizes:
        return 10.0
    top = sizes.most_common(1)[0][1]
    return max(size for size, count in sizes.items() if count >= 0.35 * top)


def _is_heading(line: Line, body: float) -> bool:
    """Short line set apart by a larger size, bold face, numbering or capitals."""
    text = line.text.strip()
    n_words = len(text.split())
    # Figure panel letters ("A", "B C") are not headings: ask for a real word.
    if n_words == 0 or n_words > 14 or not re.search(r"[A-Za-z]{3}", text):
        return False
    if _REFERENCES.match(text):
        return True
    larger = line.size >= body + 1.0
    if text.endswith((",", ";")) or (text.endswith(".") and not larger and not _NUMBERED_HEADING.match(text)):
        return False
    # A line running to the column's right edge is body text, whatever its face; only
    # title-size type or a few larger words (a wrapped heading) excuse it.
    if line.x1 > line.col_x1 - line.size and line.size < 1.3 * body and (not larger or n_words > 8):
        return False
    if larger:
        return True
    if line.bold and line.size >= body - 0.6:
        return True
    letters = re.sub(r"[^A-Za-z]", "", text)
    capitals = len(letters) >= 4 and letters.isupper() and n_words <= 8
    # Small bold capitals are a common heading style ("REFERENCES" in 7 pt over 8.5 pt text).
    return capitals and line.size >= (0.75 * body if line.bold else body - 0.6)


def _starts_paragraph(prev: Line, cur: Line, gap_limit: float) -> bool:
    """Paragraph break before ``cur``: size change, wide gap, short last line or indent.
    Across a column or page break only a finished sentence on a short line or an indent."""
    size = cur.size
    if abs(cur.size - prev.size) > 1.0:
        return True
    short_prev = prev.x1 < prev.col_x1 - max(2.0 * size, 0.12 * (prev.col_x1 - prev.col_x0))
    # a colon ends a sentence when a capital follows; "95% CI:" before "0.27–0.45" does not
    ends_sentence = prev.text.rstrip().endswith((".", "?", "!")) or (
        prev.text.rstrip().endswith(":") and not cur.text.lstrip()[:1].isdigit() and not cur.text.lstrip()[:1].islower())
    indented = cur.x0 - cur.col_x0 > 0.8 * size and cur.x0 - cur.col_x0 < 6 * size
    if cur.page != prev.page or cur.region != prev.region:
        return (short_prev and ends_sentence) or (indented and ends_sentence)
    if cur.top - prev.bottom > gap_limit:
        return True
    if short_prev and ends_sentence:
        return True
    return indented and cur.x0 - prev.x0 > 0.8 * size and ends_sentence


def _paragraphs(lines: list[Line], body: float) -> list[_Para]:
    """Group reading-ordered lines into headings and paragraphs."""
    gaps = [
        b.top - a.bottom
        for a, b in zip(lines, lines[1:])
        if a.page == b.page and a.region == b.region and abs(a.size - body) < 0.6 and b.top > a.bottom - 2
    ]
    typical = median(gaps) if gaps else 0.3 * body
    gap_limit = typical + 0.45 * body
    paras: list[_Para] = []
    for line in lines:
        kind = "heading" if _is_heading(line, body) else "paragraph"
        if paras:
            last = paras[-1]
            prev = last.lines[-1]
            if kind == last.kind == "heading":
                same_style = abs(line.size - prev.size) < 0.3 and line.page == prev.page
                if same_style and line.top - prev.bottom < gap_limit + 0.5 * body:
                    last.lines.append(line)
                    continue
            elif (
                kind == last.kind == "paragraph"
                and not _starts_paragraph(prev, line, gap_limit)
                and not _caption_start(line, body)
            ):
                last.lines.append(line)
                continue
        paras.append(_Para([line], kind))
    return paras


@dataclass
class _Vocab:
    """Words of the whole document, to decide whether a line-end hyphen belongs to the word."""

    counts: Counter[str]  # words, leaving out line-end fragments such as "phospho-"
    hyphen_prefixes: set[str]  # "anti" when "anti-tumor" occurs somewhere

    @classmethod
    def of(cls, lines: list[Line]) -> _Vocab:
        counts = Counter(
            _WORD_EDGE.sub("", w.text.lower())
            for ln in lines
            for w in ln.words
            if not w.text.endswith(_HYPHENS)
        )
        prefixes = {w.split("-", 1)[0] for w in counts if "-" in w}
        return cls(counts, prefixes)

    def keeps_hyphen(self, left: str, right: str) -> bool:
        """Keep "left-right" unless the joined word occurs in the document."""
        head = right.split("-", 1)[0]
        if self.counts[left + head] or self.counts[left + right]:
            return False
        if self.counts[f"{left}-{right}"] or left in self.hyphen_prefixes:
            return True
        # Two real words ("tumor-" + "induced") form a compound; hyphenation fragments
        # ("phospho-" + "rus") rarely are both words. The right part is counted once as the
        # continuation itself, so it must occur again.
        return len(left) >= 3 and len(head) >= 3 and self.counts[left] >= 1 and self.counts[head] >= 2


def _join_lines(lines: list[Line], vocab: _Vocab | None) -> str:
    """Join a paragraph's lines, undoing line-end hyphenation where the word continues.

    The hyphen is dropped between lower-case letters unless the vocabulary says the word is a
    hyphenated compound; before a capital or digit ("PI3K-" + "AKT") it is kept.
    """
    out = ""
    for line in lines:
        text = line.text.strip()
        if not out:
            out = text
            continue
        if out.endswith(_HYPHENS) and len(out) > 1 and out[-2].isalnum() and text[:1].isalnum():
            if out.endswith("\u00ad"):
                out = out[:-1] + text
                continue
            left = _WORD_EDGE.sub("", out[:-1].rsplit(" ", 1)[-1].lower())
            right = _WORD_EDGE.sub("", text.split(" ", 1)[0].lower())
            lower_both = text[0].islower() and out[-2].islower()
            if lower_both and not (vocab and vocab.keeps_hyphen(left, right)):
                out = out[:-1] + text
            else:
                out = out + text
            continue
        out = f"{out} {text}"
    return out.translate({0xAD: None})


# --------------------------------------------------------------------------- assembly


def _heading_levels(paras: list[_Para], body: float) -> dict[int, int]:
    sizes = sorted({round(p.lines[0].size, 1) for p in paras if p.kind == "heading"}, reverse=True)
    levels: dict[int, int] = {}
    for i, p in enumerate(paras):
        if p.kind != "heading":
            continue
        number = _NUMBERED_HEADING.match(p.text)
        if number:
            levels[i] = number.group(1).count(".") + 1
        else:
            levels[i] = min(sizes.index(round(p.lines[0].size, 1)) + 1, 3)
    return levels


def _split_references(paras: list[_Para]) -> list[Reference]:
    lines = [ln for p in paras for ln in p.lines]
    numbered = sum(1 for ln in lines if _REF_NUMBER.match(ln.text)) >= 0.3 * max(1, len(paras))
    entries: list[list[Line]] = []
    para_starts = {id(p.lines[0]) for p in paras}
    for ln in lines:
        new = _REF_NUMBER.match(ln.text) if numbered else id(ln) in para_starts
        if new or not entries:
            entries.append([ln])
        else:
            entries[-1].append(ln)
    return [
        Reference(text=_join_lines(e, None), page=e[0].page) for e in entries if e
    ]


def ingest_pdf(path: Path) -> Document:
    """Read a text-layer PDF into a ``Document`` (raises ``IngestError`` on bad input)."""
    path = Path(path)
    removed: list[str] = []
    warnings: list[str] = []
    pages: list[_Page] = []
    with _open(path) as pdf:
        n_pages = len(pdf.pages)
        try:
            repair_case_folded_fonts(pdf)  # capitals a broken ToUnicode map reads as lower case
        except Exception as exc:  # a font repair must never cost the document
            warnings.append(f"font repair skipped: {type(exc).__name__}: {exc}")
        for number, page in enumerate(pdf.pages, start=1):
            try:
                pages.append(_read_page(page, number, removed))
            except Exception as exc:  # one damaged page should not lose the document
                warnings.append(f"page {number}: {type(exc).__name__}: {exc}")
            page.close()
    if not pages:
        raise IngestError(path, "corrupt", f"no page could be read ({warnings[0] if warnings else ''})")
    if not any(p.words for p in pages) and warnings:
        raise IngestError(path, "corrupt", f"no text could be read; damaged pages ({warnings[0]})")
    if not any(p.words for p in pages):
        raise IngestError(path, "no_text_layer", "PDF has no extractable text (scanned or image-only?)")

    body = _body_size(pages)
    _strip_running(pages, body, removed)
    previous: AlignedTable | None = None
    previous_page = 0
    for page in pages:
        run_on = previous if previous_page == page.number - 1 else None
        _take_aligned_tables(page, body, removed, warnings, previous, run_on)
        if page.aligned:
            previous, previous_page = page.aligned[-1], page.number
    lines: list[Line] = []
    for page in pages:
        layout = order_page(page.words, body, page.number)
        lines.extend(layout.lines)
        removed.extend(layout.side_notes)

    paras = _paragraphs(lines, body)
    vocab = _Vocab.of(lines)
    for p in paras:
        p.text = _join_lines(p.lines, vocab)
    _mark_title(paras, body)
    return _assemble(path, n_pages, paras, pages, body, removed, warnings)


def _take_aligned_tables(
    page: _Page, body: float, removed: list[str], warnings: list[str], previous: AlignedTable | None = None,
    run_on: AlignedTable | None = None,
) -> None:
    """Find captioned tables without ruling lines and take their words out of the page text.

    A table that cannot be gridded gives a warning and its words go to ``removed`` with the
    reason (they are not table cells one can trust, nor body text): nothing is lost.
    """
    try:
        found, failures = find_aligned_tables(page.words, page.rules, body, [], previous, run_on)
    except Exception as exc:  # table detection must never cost the document
        warnings.append(f"page {page.number}: table detection failed: {type(exc).__name__}: {exc}")
        found, failures = [], []
    # A part run on without a caption over a ruled table is that ruled table's business (it
    # takes the label of the table it continues when it repeats the header; see _tables).
    found = [
        t for t in found
        if t.caption_words or not t.continued or not any(_overlap(t.bbox, r.bbox) > 0.3 for r in page.tables)
    ]
    found, page.tables = _resolve_overlaps(found, page.tables)
    drop: set[int] = set()
    for raw in page.tables:
        x0, top, x1, bottom = raw.bbox
        drop.update(
            id(w) for w in page.words
            if x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom
        )
    for failure in failures:
        text = " ".join(w.text for w in sorted(failure.words, key=lambda w: (round(w.top), w.x0)))
        warnings.append(f"page {page.number}: {failure.label} could not be parsed ({failure.reason}); its words are in removed")
        removed.append(f"[unparsed table: {failure.label}, page {page.number}: {failure.reason}] {text}")
        drop.update(id(w) for w in failure.words)
    for table in found:
        drop.update(id(w) for w in table.words)
        # The caption is the table's: recorded with it (and as a caption), not left to the
        # paragraph reader, which misses captions behind a line number or in running text.
        drop.update(id(w) for w in table.caption_words)
    page.aligned = found
    if drop:
        page.words = [w for w in page.words if id(w) not in drop]


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Area of the intersection of two boxes over the area of ``a``."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    area = max(1e-6, (a[2] - a[0]) * (a[3] - a[1]))
    return max(0.0, w) * max(0.0, h) / area


def _resolve_overlaps(
    aligned: list[AlignedTable], ruled: list[RawTable]
) -> tuple[list[AlignedTable], list[RawTable]]:
    """One reading per table region: a ruled table that covers an aligned one at least as well
    (same region, as many filled cells) wins; a ruled fragment inside an aligned table (a
    shaded band read as a box) goes."""
    keep_aligned: list[AlignedTable] = []
    dropped_ruled: set[int] = set()
    for table in aligned:
        inside = [i for i, r in enumerate(ruled) if _overlap(r.bbox, table.bbox) > 0.5]
        filled = sum(1 for row in table.rows for c in row if c)
        width = max((len(row) for row in table.rows), default=0)
        full = [
            i for i in inside
            if _overlap(table.bbox, ruled[i].bbox) > 0.8
            and sum(1 for row in ruled[i].rows for c in row if c) >= 0.9 * filled
            and max((len(row) for row in ruled[i].rows), default=0) <= width  # no split columns
        ]
        if full:
            continue
        dropped_ruled.update(inside)
        keep_aligned.append(table)
    return keep_aligned, [r for i, r in enumerate(ruled) if i not in dropped_ruled]


def _mark_title(paras: list[_Para], body: float) -> None:
    """The largest-font text block on page 1 is the title, if no other block shares its size
    (a document without a title has section headings as its largest text)."""
    first = [p for p in paras if p.lines[0].page == 1]
    if not first:
        return
    biggest = max(first, key=lambda p: p.lines[0].size)
    size = biggest.lines[0].size
    shared = sum(1 for p in paras if p is not biggest and p.lines[0].size > size - 0.3)
    if size >= body + 2 and shared < 2:
        biggest.kind = "title"


def _assemble(
    path: Path,
    n_pages: int,
    paras: list[_Para],
    pages: list[_Page],
    body: float,
    removed: list[str],
    warnings: list[str],
) -> Document:
    captions: list[Caption] = []
    caption_pos: list[tuple[int, float, str, str]] = []  # page, top, label, text of table captions
    references: list[Reference] = []
    kept: list[_Para] = []
    levels = _heading_levels(paras, body)
    refs_size: float | None = None  # font size of the References heading while inside it
    ref_paras: list[_Para] = []
    byline = _byline_index(paras)
    unheaded = _unheaded_references(paras)
    # Banners above the title (journal name, article type, DOI line) are not body text.
    title_at = next((i for i, p in enumerate(paras) if p.kind == "title"), 0)
    first_heading = next((i for i, p in enumerate(paras) if p.kind == "heading"), len(paras))
    for i, p in enumerate(paras):
        if i < title_at or i == byline:
            removed.append(p.text)
            continue
        if title_at < i < first_heading and p.kind == "paragraph" and _front_matter(p.text):
            removed.append(p.text)  # affiliations, correspondence, editor, dates, licence
            continue
        if i in unheaded:
            ref_paras.append(p)
            continue
        if p.kind == "heading" and _REFERENCES.match(p.text.strip()):
            refs_size = p.lines[0].size
            continue
        if refs_size is not None:
            # A heading at least as prominent as "References" (methods, appendix) ends the list.
            if p.kind == "heading" and p.lines[0].size >= refs_size - 0.1 and not _REF_NUMBER.match(p.text):
                refs_size = None
            else:
                ref_paras.append(p)
                continue
        m = _CAPTION.match(p.text)
        if m and p.kind != "title" and _caption_start(p.lines[0], body):
            kind = "table" if m.group("kind").lower().startswith("table") else "figure"
            label = " ".join(m.group("label").split())
            captions.append(Caption(kind=kind, label=label, text=p.text, page=p.lines[0].page))
            if kind == "table":
                caption_pos.append((p.lines[0].page, p.lines[0].top, label, p.text))
            continue
        if not any(ch.isalnum() for ch in p.text):
            removed.append(p.text)
            continue
        boxed = p.kind == "paragraph" and p.lines[0].size < 0.8 * body and _boxed_prose(i, paras, body)
        small = p.lines[0].size < 0.8 * body and not boxed
        if p.kind == "paragraph" and (small or _fragmentary(p) or _tabular(p)):
            removed.append(p.text)  # footnotes, figure labels, small print
            continue
        if boxed and len(p.lines) > 1 and p.lines[0].bold and p.text.startswith(p.lines[0].text):
            # The box's bold first line is its label ("KEY CONCEPT 1 | Social tolerance"), as a
            # figure's label is: kept aside, not read as part of the box's prose.
            removed.append(p.lines[0].text)
            p.text = p.text[len(p.lines[0].text):].lstrip()
        kept.append(p)
        p.level = levels.get(i)
    kept = _boxes_after_interrupted(kept, body)
    references = _split_references(ref_paras) if ref_paras else []
    aligned_captions = [
        Caption(kind="table", label=t.label[:1].upper() + t.label[1:].lower(), text=t.caption, page=page.number)
        for page in pages
        for t in page.aligned
    ]
    if aligned_captions:
        captions = sorted(captions + aligned_captions, key=lambda c: c.page or 0)

    text_parts: list[str] = []
    blocks: list[Block] = []
    sections: list[Section] = []
    offset = 0
    current: str | None = None
    title: str | None = None
    for p in kept:
        start = offset
        end = start + len(p.text)
        text_parts.append(p.text)
        offset = end + 2
        level = p.level
        if p.kind == "title":
            title = title or p.text
        if p.kind == "heading":
            current = p.text
            sections.append(Section(title=p.text, level=level or 1, start=start, end=end, page=p.lines[0].page))
        blocks.append(
            Block(
                kind=p.kind,  # type: ignore[arg-type]
                text=p.text,
                start=start,
                end=end,
                page=p.lines[0].page,
                section=current if p.kind != "title" else None,
                level=level if p.kind == "heading" else None,
            )
        )
    text = "\n\n".join(text_parts)
    _close_sections(sections, len(text))
    tables = _tables(pages, caption_pos, doc_id_for(path))
    # A ruled table whose caption was drawn inside its box: the caption is still a caption.
    labels = {c.label.lower() for c in captions if c.kind == "table" and c.label}
    for t in tables:
        if t.caption and t.label and t.label.lower() not in labels:
            captions.append(Caption(kind="table", label=t.label, text=t.caption, page=t.page))
            labels.add(t.label.lower())
    captions.sort(key=lambda c: c.page or 0)
    return Document(
        doc_id=doc_id_for(path),
        content_hash=file_hash(path),
        source_path=str(path),
        source_type="pdf",
        n_pages=n_pages,
        title=title,
        text=text,
        blocks=blocks,
        sections=sections,
        tables=tables,
        captions=captions,
        references=references,
        removed=removed,
        warnings=warnings,
        ingest_version=INGEST_VERSION,
    )


_FRONT_OPENERS = re.compile(
    r"^(\*?\s*correspondence\b|academic editor|edited by|reviewed by|received:?\s|citation:|copyright\b|"
    r"©|specialty section|keywords?:|open access\b|\*?\s*corresponding author)",
    re.IGNORECASE,
)
_AFFILIATION = re.compile(
    r"^[\d*†‡a-z]{0,2}\s?[A-Z][^.]{0,80}\b(University|Institute|Department|Hospital|School|College|"
    r"Centre|Center|Faculty|Laborator(y|ies)|Unit)\b"
)


def _front_matter(text: str) -> bool:
    """Page-1 front matter between the title and the first heading: an affiliation list,
    correspondence, editor, dates or the licence statement (not the abstract)."""
    if _FRONT_OPENERS.match(text):
        return True
    if _AFFILIATION.match(text) and not text.rstrip().endswith((".", ":")) and len(re.findall(r"[.!?]\s+[A-Z]", text)) <= 1:
        return True
    return False


def _caption_start(line: Line, body: float) -> bool:
    """A line opening with "Figure 2:", a bold "Table 1" or a small-print label starts a caption."""
    m = _CAPTION.match(line.text)
    if not m:
        return False
    after = m.group("after")
    return bool(after.strip()) or not after or line.words[0].bold or line.size < body - 0.3


_CITATION = re.compile(
    r"^\[?\d{1,3}[\].)]?\s+[A-Z][\w'’-]+,?\s(?:[A-Z]{1,3}\b|[A-Z]\.)"  # "12 Smith AB," / "3. Adams, P.D."
)


def _unheaded_references(paras: list[_Para]) -> set[int]:
    """Indices of a reference list printed without a heading (none found otherwise).

    Starts at three consecutive numbered citation-like paragraphs and runs to the end of the
    document, skipping headings; continuation lines of an entry come along.
    """
    if any(p.kind == "heading" and _REFERENCES.match(p.text.strip()) for p in paras):
        return set()
    looks = [p.kind == "paragraph" and bool(_CITATION.match(p.text)) for p in paras]
    for i in range(len(paras) - 2):
        if looks[i] and looks[i + 1] and looks[i + 2]:
            return {j for j in range(i, len(paras)) if paras[j].kind == "paragraph"}
    return set()


_NUMERIC = re.compile(r"^[(\[]?[-–−+<>≤≥±]?[\d.,·]*\d[\d.,·:;/%–−-]*[)\]]?[,;%]?$")


def _tabular(p: _Para) -> bool:
    """Rows of an unruled table: mostly numbers and no sentence end."""
    tokens = p.text.split()
    numeric = sum(1 for t in tokens if _NUMERIC.match(t))
    return len(tokens) >= 3 and numeric >= 0.5 * len(tokens) and not p.text.rstrip().endswith((".", "?", "!"))


_SENTENCE_END = re.compile(r"[a-z0-9)\]%][.!?](?:\s|$)")


def _boxed_prose(i: int, paras: list[_Para], body: float) -> bool:
    """Small type that is body text all the same: prose set in a box inside the text column
    (Frontiers' "Key concept" panels; JATS counts <boxed-text> as body).

    Told from the other small print (footnotes, affiliations, licences, notes at the foot of a
    column) by where it stands: not on page 1, and with body-size text below it in the same
    column of the same page. And it must read as prose: a capital first, two or more
    sentences ending in a full stop, lines that fill the column, no run-together figure text.
    """
    p = paras[i]
    first, last = p.lines[0], p.lines[-1]
    text = p.text.strip()
    words = text.split()
    if first.page == 1 or first.size < 0.65 * body or len(words) < 30 or len(p.lines) < 3:
        return False
    if not text[0].isupper() or not text.endswith((".", "?", "!")) or len(_SENTENCE_END.findall(text)) < 2:
        return False
    if sum(1 for w in words if len(w) > 18) > 0.05 * len(words):
        return False  # words run together: text of a figure, not prose
    width = first.col_x1 - first.col_x0
    full = sum(1 for line in p.lines[:-1] if line.x1 > line.col_x1 - 0.06 * width)
    if full < 0.6 * (len(p.lines) - 1):
        return False
    return any(
        q.kind == "paragraph" and abs(q.lines[0].size - body) < 0.6 and q.lines[0].page == first.page
        and q.lines[0].top > last.bottom and abs(q.lines[0].col_x0 - first.col_x0) < 0.5 * body
        for q in paras[i + 1:]
    )


def _boxes_after_interrupted(kept: list[_Para], body: float) -> list[_Para]:
    """A box set at the top of a column interrupts the paragraph running on from the column
    before; read it after that paragraph ends (a box is read where the paragraph breaks)."""
    out: list[_Para] = []
    held: list[_Para] = []
    for p in kept:
        is_box = p.kind == "paragraph" and p.lines[0].size < 0.8 * body
        if is_box and (held or (out and out[-1].kind == "paragraph" and not out[-1].text.rstrip().endswith((".", "?", "!", ":")))):
            held.append(p)
            continue
        if held and p.kind != "paragraph":
            out.extend(held)
            held = []
        out.append(p)
        if held and p.text.rstrip().endswith((".", "?", "!", ":")):
            out.extend(held)
            held = []
    return out + held


def _fragmentary(p: _Para) -> bool:
    """Labels inside a figure: a few short lines, no sentence."""
    n_words = len(p.text.split())
    per_line = n_words / len(p.lines)
    return per_line <= 4 and n_words <= 25 and not p.text.rstrip().endswith((".", "?", "!", ":"))


def _byline_index(paras: list[_Para]) -> int | None:
    """Index of the author list right after the title on page 1, if there is one.

    An author list is short, has no sentence end, separates names with commas or "and",
    and nearly all its words are capitalised (affiliation marks and digits aside).
    """
    for i, p in enumerate(paras):
        if p.kind != "title":
            continue
        if i + 1 >= len(paras) or paras[i + 1].kind == "title":
            return None
        text = paras[i + 1].text.strip()
        words = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", text) if w.lower() not in ("and", "de", "van", "von", "der", "la")]
        if not words or len(text.split()) > 80 or text.endswith((".", ":")):
            return None
        capitalised = sum(1 for w in words if w[0].isupper()) / len(words)
        separators = text.count(",") + len(re.findall(r"\band\b", text))
        return i + 1 if capitalised >= 0.85 and separators >= 1 else None
    return None


def _close_sections(sections: list[Section], text_end: int) -> None:
    """Each section runs until the next heading of the same or a higher level."""
    for i, sec in enumerate(sections):
        end = text_end
        for nxt in sections[i + 1 :]:
            if nxt.level <= sec.level:
                end = nxt.start
                break
        sec.end = end


def _tables(pages: list[_Page], caption_pos: list[tuple[int, float, str, str]], doc_id: str = "") -> list[Table]:
    """Tables with their label and caption, in page order.

    Ruled tables take the nearest table caption above on the page, a caption drawn inside the
    table's first row, or the previous table's when this one continues it (same header row on
    a later page). Tables read from text alignment carry their own caption; a part whose
    caption says "(continued)", or repeats the label of a table on the page before, is merged
    into that table (a repeated header is dropped; a first row with an empty first cell is the
    end of the last row's cells, broken by the page).
    """
    tables: list[Table] = []
    for page in pages:
        items: list[tuple[float, RawTable | AlignedTable]] = [(t.bbox[1], t) for t in page.tables]
        items += [(t.bbox[1], t) for t in page.aligned]
        for _, raw in sorted(items, key=lambda item: item[0]):
            if isinstance(raw, AlignedTable):
                previous = tables[-1] if tables else None
                if (
                    previous is not None
                    and previous.method == "aligned"
                    and (previous.label or "").lower() == raw.label.lower()
                    and (raw.continued or (previous.pages and previous.pages[-1] == page.number - 1))
                ):
                    _merge_continuation(previous, raw, page.number)
                    continue
                tables.append(_aligned_record(raw, page.number, doc_id, len(tables) + 1))
                continue
            rows = raw.rows
            caption = label = None
            above = [c for c in caption_pos if c[0] == page.number and c[1] <= raw.bbox[1] + 2]
            if above:
                _, _, label, caption = max(above, key=lambda c: c[1])
            first = [cell for cell in rows[0] if cell]
            inside = _CAPTION.match(first[0]) if len(first) == 1 else None
            if inside:
                label, caption = " ".join(inside.group("label").split()), first[0]
                rows = rows[1:]
            elif label is None and tables and tables[-1].rows and _filled(tables[-1].rows[0]) == _filled(rows[0]):
                label, caption = tables[-1].label, tables[-1].caption
            rows, notes = _split_footnote_rows(rows)
            if label:
                label = label[:1].upper() + label[1:].lower()  # "table 2", "TABLE 2" -> "Table 2"
            tables.append(
                Table(
                    table_id=f"t{len(tables) + 1}",
                    page=page.number,
                    caption=caption,
                    label=label,
                    rows=rows,
                    origin="pdf",
                    key=_table_key(doc_id, page.number, raw.bbox),
                    pages=[page.number],
                    bbox=tuple(round(v, 1) for v in raw.bbox),
                    footnotes=notes,
                    method="ruled",
                )
            )
    return tables


_FOOTNOTE_START = re.compile(r"^([*†‡§¶#]|[a-z]\s?[A-Z]|[A-Z][A-Za-z0-9-]*\s?=)")


def _split_footnote_rows(rows: list[list[str]]) -> tuple[list[list[str]], str | None]:
    """Trailing rows of a ruled table that are notes (one long cell, or a cell opening with a
    note marker or an abbreviation "X=...") are the table's footnotes, not a row."""
    notes: list[str] = []
    while len(rows) > 2:
        filled = [c for c in rows[-1] if c]
        if len(filled) == 1 and (len(filled[0]) > 80 or _FOOTNOTE_START.match(filled[0])):
            notes.insert(0, filled[0])
            rows = rows[:-1]
        else:
            break
    return rows, " ".join(notes) or None


def _filled(row: list[str]) -> list[str]:
    return [c for c in row if c]


def _table_key(doc_id: str, page: int, bbox: tuple[float, float, float, float]) -> str:
    """Stable table id from the document, its first page and its box (rounded to whole points)."""
    return stable_id("tab", doc_id, page, *(round(v) for v in bbox))


def _aligned_record(raw: AlignedTable, page: int, doc_id: str, index: int) -> Table:
    label = raw.label[:1].upper() + raw.label[1:].lower()
    return Table(
        table_id=f"t{index}",
        page=page,
        caption=raw.caption,
        label=label,
        rows=raw.rows,
        header_rows=raw.header_rows,
        origin="pdf",
        key=_table_key(doc_id, page, raw.bbox),
        pages=[page],
        bbox=tuple(round(v, 1) for v in raw.bbox),
        footnotes=raw.footnotes,
        group_rows=list(raw.group_rows),
        method="aligned",
    )


def _merge_continuation(table: Table, part: AlignedTable, page: int) -> None:
    """Append a continued part's rows to ``table`` (columns matched by index)."""
    width = len(table.rows[0]) if table.rows else 0
    rows = [list(r) + [""] * (width - len(r)) if len(r) < width else list(r) for r in part.rows]
    head = table.rows[: table.header_rows]
    # A repeated header goes; a part printed without one has its first body row taken for a
    # header by the grid builder, so it is put back.
    if rows[: part.header_rows] == head:
        rows = rows[part.header_rows :]
    if rows and not rows[0][0] and table.rows:
        last = table.rows[-1]
        for c, text in enumerate(rows[0]):
            if text and c < len(last):
                last[c] = f"{last[c]} {text}".strip() if last[c] else text
        rows = rows[1:]
    offset = len(table.rows)
    table.rows.extend(rows)
    table.group_rows.extend(offset + g - part.header_rows for g in part.group_rows if g >= part.header_rows)
    table.pages.append(page)
    table.continued = True
    if part.footnotes:
        table.footnotes = f"{table.footnotes} {part.footnotes}".strip() if table.footnotes else part.footnotes
