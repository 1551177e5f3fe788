"""Lay a structured ``Document`` out as a journal-like PDF and return its ground-truth text.

The PDF carries everything a real article does (running heads, page numbers, byline,
captions, ruled tables, a reference list, words hyphenated at line ends); the ground truth
is only the body: title, headings and paragraphs in reading order, as a reader sees them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table as RLTable,
    TableStyle,
)
from reportlab.graphics.shapes import Drawing, Rect, Line

from pipeline.records import Block, Caption, Document, Table
from pipeline.render.hyphenate import hyphenate_markup
from pipeline.render.layouts import Layout, register_fonts
from pipeline.render.markup import to_markup, to_plain

_ABSTRACT_HEADINGS = {"abstract", "summary"}
_MENTION = re.compile(r"\b(Table|TABLE|Fig\.?|Figure|FIGURE)\s*(\d+)")


@dataclass(frozen=True)
class Rendered:
    """What one rendering produced."""

    pdf_path: Path
    pages: int
    truth: str


def _styles(layout: Layout) -> dict[str, ParagraphStyle]:
    fam, size = layout.family, layout.body_size
    lead = size * layout.leading_factor
    body = ParagraphStyle(
        "body", fontName=fam, fontSize=size, leading=lead, alignment=TA_JUSTIFY,
        firstLineIndent=size * 1.2 if layout.columns > 1 else 0, spaceAfter=lead * 0.35,
        embeddedHyphenation=1, hyphenationLang="",
    )
    return {
        "body": body,
        "title": ParagraphStyle("title", fontName=f"{fam}-b", fontSize=size * 2, leading=size * 2.4,
                                alignment=TA_LEFT, spaceAfter=size),
        "byline": ParagraphStyle("byline", fontName=f"{fam}-i", fontSize=size * 1.05,
                                 leading=size * 1.4, spaceAfter=size * 0.8),
        "label": ParagraphStyle("label", fontName=f"{fam}-b", fontSize=size * 0.8,
                                leading=size, textColor=colors.HexColor("#1f4e79"), spaceAfter=4),
        "abstract": ParagraphStyle("abstract", parent=body, firstLineIndent=0,
                                   fontSize=size * 1.02, leading=lead * 1.02),
        "h1": ParagraphStyle("h1", fontName=f"{fam}-b", fontSize=size * 1.2, leading=size * 1.5,
                             spaceBefore=size * 0.9, spaceAfter=size * 0.4,
                             textColor=colors.HexColor("#1f4e79"), keepWithNext=1),
        "h2": ParagraphStyle("h2", fontName=f"{fam}-bi", fontSize=size * 1.02, leading=size * 1.3,
                             spaceBefore=size * 0.6, spaceAfter=size * 0.25, keepWithNext=1),
        "caption": ParagraphStyle("caption", fontName=fam, fontSize=size * 0.85,
                                  leading=size * 1.05, spaceBefore=3, spaceAfter=size),
        "cell": ParagraphStyle("cell", fontName=fam, fontSize=size * 0.72, leading=size * 0.86),
        "head": ParagraphStyle("head", fontName=f"{fam}-b", fontSize=size * 0.72,
                               leading=size * 0.86),
        "ref": ParagraphStyle("ref", fontName=fam, fontSize=size * 0.8, leading=size * 0.98,
                              leftIndent=10, firstLineIndent=-10, spaceAfter=1.5),
        "running": ParagraphStyle("running", fontName=fam, fontSize=7.5, leading=9),
        "center": ParagraphStyle("center", fontName=fam, fontSize=8, alignment=TA_CENTER),
    }


class _HyphenatedParagraph(Paragraph):
    """A paragraph with soft hyphens whose split never overfills the frame.

    Reportlab can re-wrap the first part of a split hyphenated paragraph one line taller
    than the space it was split for (a LayoutError); splitting a line shorter avoids it.
    """

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts = super().split(availWidth, availHeight)
        height = availHeight
        while len(parts) == 2 and parts[0].wrap(availWidth, height)[1] > availHeight:
            height -= self.style.leading
            if height <= 0:
                return []
            parts = super().split(availWidth, height)
        return parts


def _para(text: str, style: ParagraphStyle, hyphenate: bool = False) -> Paragraph:
    markup = to_markup(text)
    if hyphenate:
        return _HyphenatedParagraph(hyphenate_markup(markup), style)
    return Paragraph(markup, style)


def _heading(block: Block, styles: dict[str, ParagraphStyle]) -> Paragraph:
    return _para(block.text, styles["h1" if (block.level or 1) <= 1 else "h2"])


def _split_front(doc: Document) -> tuple[list[Block], list[Block]]:
    """(title + abstract blocks for the full-width head, remaining body blocks)."""
    blocks = list(doc.blocks)
    k = 1 if blocks and blocks[0].kind == "title" else 0
    if k < len(blocks) and blocks[k].kind == "heading":
        if blocks[k].text.strip().lower() not in _ABSTRACT_HEADINGS:
            return blocks[:k], blocks[k:]
        k += 1
    while k < len(blocks) and blocks[k].kind == "paragraph":
        k += 1
    return blocks[:k], blocks[k:]


def _byline(doc: Document) -> str:
    """An author line from the removed front matter when one is recognisable."""
    for line in doc.removed:
        if "<sup>" in line and " and " in line and len(line) < 300:
            return re.sub(r"<sup>[^<]*</sup>", "", line)
    return "Review article"


def _figure(caption: Caption, width: float, styles: dict[str, ParagraphStyle]) -> Flowable:
    """A placeholder figure panel (ruled box with a schematic) and its caption."""
    height = min(45 * 2.83, width * 0.45)
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, strokeColor=colors.grey, fillColor=colors.whitesmoke))
    for k in range(1, 4):
        drawing.add(Line(width * k / 4, height * 0.2, width * (k + 0.5) / 4, height * 0.8,
                         strokeColor=colors.HexColor("#8fa9c9"), strokeWidth=1.5))
    return KeepTogether([drawing, _caption_para(caption, styles)])


def _caption_para(caption: Caption, styles: dict[str, ParagraphStyle]) -> Paragraph:
    markup = to_markup(caption.text.replace("**", ""))
    match = re.match(r"^(?:fig(?:ure)?\.?|table)\s*\d+[A-Za-z]?\s*[:.|]?", markup, re.IGNORECASE)
    if match:
        markup = f"<b>{match.group(0)}</b>{markup[match.end():]}"
    return Paragraph(markup, styles["caption"])


def _table(table: Table, width: float, styles: dict[str, ParagraphStyle],
           by_mean: bool = False, rules: str = "grid") -> list[Flowable]:
    """Caption plus a ruled table whose column widths follow the amount of text per column
    (its longest cell up to 40 characters; with ``by_mean``, its mean cell, uncapped, so a
    column of sentences gets most of the width as journals set it)."""
    ncols = max(len(r) for r in table.rows)
    # Short rows of flattened tables lack their leading (spanned) cells: pad at the front.
    rows = [[""] * (ncols - len(r)) + r for r in table.rows]
    weights = []
    for c in range(ncols):
        texts = [to_plain(to_markup(r[c])) for r in rows]
        longest_word = max((len(w) for t in texts for w in t.split()), default=1)
        amount = sum(map(len, texts)) / len(texts) if by_mean else min(max(len(t) for t in texts), 40)
        weights.append(max(amount, longest_word + 2, 6))
    col_widths = [width * w / sum(weights) for w in weights]
    if by_mean:
        col_widths = _fit_longest_words(col_widths, rows, styles)
    data = [
        [Paragraph(to_markup(cell), styles["head" if i < table.header_rows else "cell"])
         for cell in row]
        for i, row in enumerate(rows)
    ]
    grid = RLTable(data, colWidths=col_widths, repeatRows=table.header_rows, hAlign="LEFT")
    last_head = max(table.header_rows - 1, 0)
    lines = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#555555"))] if rules == "grid" else [
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, last_head), (-1, last_head), 0.4, colors.black),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.black),
    ]
    grid.setStyle(TableStyle([
        *lines,
        ("BACKGROUND", (0, 0), (-1, max(table.header_rows - 1, 0)), colors.HexColor("#e4ebf3")
         if table.header_rows else colors.white),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    caption = Caption(kind="table", label=table.label, text=table.caption or table.label or "")
    return [_caption_para(caption, styles), grid, Spacer(1, 8)]


def _fit_longest_words(widths: list[float], rows: list[list[str]],
                       styles: dict[str, ParagraphStyle]) -> list[float]:
    """Widen columns too narrow for their longest word (reportlab would break it mid-word,
    as no journal does), taking the width from the widest column."""
    style = styles["head"]  # bold: the wider face
    need = [max((stringWidth(word, style.fontName, style.fontSize) + 6
                 for row in rows for word in to_plain(to_markup(row[c])).split()), default=0)
            for c in range(len(widths))]
    widths = list(widths)
    for c, least in enumerate(need):
        if widths[c] < least:
            widest = max(range(len(widths)), key=lambda k: widths[k])
            widths[widest] -= least - widths[c]
            widths[c] = least
    return widths


class _Journal(BaseDocTemplate):
    """Page templates: first page (full-width head over columns), body columns, wide pages."""

    def __init__(self, path: Path, layout: Layout, head_height: float, running: str, **kw):
        super().__init__(str(path), pagesize=layout.pagesize, invariant=1,
                         leftMargin=layout.margin, rightMargin=layout.margin,
                         topMargin=layout.margin + 14, bottomMargin=layout.margin + 10, **kw)
        self.layout = layout
        self.running = running
        x, y, w, h = self.leftMargin, self.bottomMargin, self.width, self.height
        head = Frame(x, y + h - head_height, w, head_height, id="head", showBoundary=0)
        self.addPageTemplates([
            PageTemplate("first", [head, *self._columns(x, y, w, h - head_height)],
                         onPage=self._decorate),
            PageTemplate("body", self._columns(x, y, w, h), onPage=self._decorate),
            PageTemplate("wide", [Frame(x, y, w, h, id="wide")], onPage=self._decorate),
        ])

    def _columns(self, x: float, y: float, w: float, h: float) -> list[Frame]:
        n, gutter = self.layout.columns, self.layout.gutter
        cw = (w - gutter * (n - 1)) / n
        return [Frame(x + k * (cw + gutter), y, cw, h, id=f"col{k}") for k in range(n)]

    def _decorate(self, canvas, doc) -> None:  # noqa: ANN001 - reportlab callback signature
        """Running head, rule and page number: the noise a real article carries."""
        width, height = self.layout.pagesize
        m = self.layout.margin
        canvas.saveState()
        canvas.setFont(self.layout.family, 7.5)
        canvas.setFillColor(colors.HexColor("#444444"))
        top = height - m + 2
        canvas.drawString(m, top, self.layout.journal)
        canvas.drawRightString(width - m, top, self.running)
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setLineWidth(0.5)
        canvas.line(m, top - 3, width - m, top - 3)
        canvas.setFont(self.layout.family, 8)
        footer = f"{doc.page}" if self.layout.columns > 1 else f"Page {doc.page}"
        canvas.drawCentredString(width / 2, m - 4, footer)
        canvas.drawString(m, m - 4, "Open access · CC BY 4.0")
        canvas.restoreState()


def _measure(flowables: list[Flowable], width: float) -> float:
    total = 0.0
    for f in flowables:
        _, h = f.wrap(width, 10_000)
        total += h + f.getSpaceBefore() + f.getSpaceAfter()
    return total


def render_document(doc: Document, pdf_path: Path, layout: Layout) -> Rendered:
    """Render ``doc`` to ``pdf_path`` in ``layout``; return the page count and truth text."""
    register_fonts()
    styles = _styles(layout)
    head_blocks, body_blocks = _split_front(doc)
    running = (doc.title or doc.doc_id)[:70]

    head: list[Flowable] = [Paragraph("REVIEW", styles["label"])]
    for block in head_blocks:
        if block.kind == "title":
            head += [_para(block.text, styles["title"]), _para(_byline(doc), styles["byline"])]
        elif block.kind == "heading":
            head.append(_heading(block, styles))
        else:
            head.append(_para(block.text, styles["abstract"], hyphenate=True))
    margin_w = layout.pagesize[0] - 2 * layout.margin
    head_height = _measure(head, margin_w) + 24

    template = _Journal(pdf_path, layout, head_height, running, title=running,
                        author="pipeline corpus renderer", subject="rendered test corpus",
                        creator="pipeline.render", producer="pipeline.render")
    story: list[Flowable] = [*head, FrameBreak(), NextPageTemplate("body")]
    column_w = (margin_w - layout.gutter * (layout.columns - 1)) / layout.columns
    pending = _floats(doc)
    for block in body_blocks:
        if block.kind == "heading":
            story.append(CondPageBreak(40))
            story.append(_heading(block, styles))
            continue
        story.append(_para(block.text, styles["body"], hyphenate=True))
        for key in [k for k in pending if k in _mentions(block.text)]:
            story += _place(pending.pop(key), layout, column_w, margin_w, styles)
    for item in pending.values():
        story += _place(item, layout, column_w, margin_w, styles)
    if doc.references:
        story.append(Paragraph("References", styles["h1"]))
        story += [Paragraph(f"{i}. {to_markup(r.text)}", styles["ref"])
                  for i, r in enumerate(doc.references, 1)]
    template.build(story)
    truth = "\n\n".join(to_plain(to_markup(b.text)) for b in doc.blocks) + "\n"
    return Rendered(pdf_path=pdf_path, pages=template.page, truth=truth)


def _mentions(text: str) -> set[str]:
    return {("table" if m.group(1).lower().startswith("t") else "figure") + m.group(2)
            for m in _MENTION.finditer(text)}


def _floats(doc: Document) -> dict[str, Caption | Table]:
    """Tables and figure captions to place, keyed like ``table1``/``figure2``."""
    items: dict[str, Caption | Table] = {}
    for table in doc.tables:
        items[(table.label or table.table_id).lower().replace(" ", "")] = table
    for caption in doc.captions:
        key = (caption.label or "").lower().replace(" ", "")
        if caption.kind == "figure" and key:
            items.setdefault(key, caption)
    return items


def _place(item: Caption | Table, layout: Layout, column_w: float, full_w: float,
           styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    if isinstance(item, Caption):
        return [_figure(item, column_w, styles)]
    if layout.table_full_width and layout.columns > 1:
        # A large table gets full-width pages of its own, as journals float them.
        return [NextPageTemplate("wide"), PageBreak(),
                *_table(item, full_w, styles, layout.set_tables, layout.table_rules),
                NextPageTemplate("body"), PageBreak()]
    return _table(item, column_w, styles, layout.set_tables, layout.table_rules)
