"""Plain-text and Markdown ingestion: bytes -> structured ``Document``.

The inputs are papers extracted to text by someone else: hard-wrapped lines that break
mid-sentence (sometimes with blank lines inside a sentence), headings as ALL-CAPS or short
title-case lines or Markdown ``#`` lines, tables either as Markdown ``|`` rows or flattened
into short lines, captions, front matter and a reference list. The reader works in two
passes: ``_Scanner`` labels every line (body line, heading, table, caption, reference,
removed noise); ``_assemble`` then unwraps body lines into paragraphs and lays title,
headings and paragraphs out as the canonical text with exact offsets.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ids import doc_id_for, sha256_bytes
from pipeline.ingest.errors import IngestError
from pipeline.records import Block, Caption, Document, Reference, Section, Table
from pipeline.settings import load_settings

INGEST_VERSION = "text-1"

# Closing characters that may follow a sentence terminator: `[5].`, `(Figure 4).`, `done.”`
_SENTENCE_END = re.compile(r"[.?!][\"'”’)\]]*$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_CAPTION = re.compile(
    r"^\s*(?:\*\*)?\s*(?P<kind>fig(?:ure)?s?\.?|table)\s*(?P<num>[0-9]+[A-Za-z]?)"
    r"(?:\*\*)?\s*(?P<sep>[:.|]|(?=\s+(?:\*\*)?(?-i:[A-Z(])))",
    re.IGNORECASE,
)
_CONTINUED = re.compile(r"^\(?\s*continued\s*\)?$", re.IGNORECASE)
_CITE_CELL = re.compile(r"^(?:\[\s*\d[\d,\s–-]*\]\s*)+$")
_TRAILING_CITES = re.compile(r"\s*((?:\[\s*\d[\d,\s–-]*\]\s*)+)$")
_LEADING_YEARS = re.compile(r"^((?:\d{4}\s*,?\s*)+)\s+")
_REF_ITEM = re.compile(r"^\s*(?:[-*•]\s+|\[\d+\]\s*|\d+\.\s+)")
_NUMBERED_REF = re.compile(r"^\s*(?:\[\d+\]|\d+\.)\s+\S")
# Block labels of journal front and back matter (not article content).
_FRONT_LABEL = re.compile(
    r"^(open access|edited by|reviewed by|correspondence|specialty section|citation|received|"
    r"accepted|published|keywords?|key words|copyright|funding|conflicts? of interest|"
    r"competing interests?|data availability|abbreviations)\b",
    re.IGNORECASE,
)
_REFERENCES_HEADING = re.compile(
    r"^(references?|bibliography|literature cited|works cited)$", re.IGNORECASE
)
_SECTION_WORDS = {"abstract", "introduction", "background", "summary", "contents"}
_FUNCTION_WORDS = {
    "a", "an", "the", "of", "and", "or", "to", "in", "on", "at", "by", "for", "from", "with",
    "via", "that", "which", "as", "is", "are", "was", "were", "be", "than", "into", "its",
}
_REF_COLUMN = re.compile(r"^(refs?|references?)\.?$", re.IGNORECASE)


# --------------------------------------------------------------------------- decoding


def decode_bytes(path: Path, data: bytes) -> str:
    """Decode text bytes: UTF-8 (BOM ok), else cp1252/latin-1 if the result looks like text.

    Raises ``IngestError(..., "undecodable", ...)`` naming why the bytes were rejected.
    """
    boms = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
    for bom, codec in boms:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise IngestError(path, "undecodable", f"invalid {codec} after BOM: {exc}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = str(exc)
    else:
        if _looks_like_text(text):
            return text
        raise IngestError(path, "undecodable", "valid UTF-8 but contains binary control bytes")
    for codec in ("cp1252", "latin-1"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise IngestError(
        path, "undecodable", f"not UTF-8 ({utf8_error}) and not plausible cp1252/latin-1 text"
    )


def _looks_like_text(text: str) -> bool:
    """True if almost no characters are control codes (binary data decodes to many)."""
    if "\x00" in text:
        return False
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return controls <= max(1, len(text) // 1000)


def normalise_text(text: str) -> str:
    """NFC-normalise and unify newlines (CRLF, CR, form feed -> LF); other characters stay."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------- line tests


def _ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line.rstrip()))


def _starts_lower(line: str) -> bool:
    first = line.lstrip()[:1]
    return first.isalpha() and first.islower()


def _plain(text: str) -> str:
    """Text without Markdown emphasis, escapes and a trailing colon (for label matching)."""
    return re.sub(r"[*_\\#]", "", text).strip().rstrip(":").strip()


def _is_all_caps(text: str) -> bool:
    """An upper-case heading such as "INTRODUCTION" (not a code such as "HOS-CSC")."""
    letters = [c for c in text if c.isalpha()]
    if not re.search(r"[A-Z]{5,}", text):
        return False
    return sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _caption_label(kind: str, num: str) -> tuple[str, str]:
    """(`figure`|`table`, "Figure 3"|"Table 1") from the matched label text."""
    if kind.lower().startswith("fig"):
        return "figure", f"Figure {num}"
    return "table", f"Table {num}"


def _is_paragraph_chunk(chunk: list[str]) -> bool:
    """A blank-separated chunk that reads like running prose, not table cells."""
    long_lines = [ln for ln in chunk if len(ln.strip()) >= 40]
    if len(chunk) >= 3 and len(long_lines) >= 3:
        return not _TRAILING_CITES.search(chunk[-1].strip())
    joined = " ".join(ln.strip() for ln in chunk)
    return len(joined) >= 250 and _ends_sentence(joined)


# --------------------------------------------------------------------------- scanning


@dataclass
class _Item:
    """One labelled piece of the source: kind is line|blank|title|heading|gap.

    ``gap`` marks where something set apart (table, caption, noise) was taken out. Heading
    levels are positive for Markdown ``#`` counts and negative for plain-text headings
    (-1 ALL-CAPS, -2 short title-case) until ``_fix_levels`` maps them.
    """

    kind: str
    text: str = ""
    level: int | None = None


@dataclass
class _Scan:
    items: list[_Item] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Scanner:
    """Labels the lines of a normalised text, left to right, with bounded look-ahead."""

    def __init__(self, text: str):
        self.lines = [ln.rstrip() for ln in text.split("\n")]
        self.out = _Scan()
        self.width = _typical_width(self.lines)
        self.section: str | None = None
        self.title: str | None = None
        # Front matter is only looked for when the opening lines show its usual signals.
        self.front = any(_is_front_signal(ln) for ln in self.lines[:80])
        self.in_refs = False

    # -- helpers
    def _next_nonblank(self, i: int) -> int | None:
        while i < len(self.lines):
            if self.lines[i].strip():
                return i
            i += 1
        return None

    def _chunk_end(self, i: int) -> int:
        """Index after the last line of the blank-separated chunk starting at ``i``."""
        while i < len(self.lines) and self.lines[i].strip():
            i += 1
        return i

    def _last_significant(self) -> _Item | None:
        for item in reversed(self.out.items):
            if item.kind != "blank":
                return item
        return None

    def _remove(self, lines: list[str]) -> None:
        text = " ".join(ln.strip() for ln in lines if ln.strip())
        if text:
            self.out.removed.append(text)
        self.out.items.append(_Item("gap"))

    # -- main loop
    def scan(self) -> _Scan:
        i = self._scan_title(0)
        while i < len(self.lines):
            i = self._step(i)
        self._tail_references()
        return self.out

    def _scan_title(self, i: int) -> int:
        first = self._next_nonblank(i)
        if first is None:
            return len(self.lines)
        s = self.lines[first].strip()
        md = _MD_HEADING.match(s)
        if md and len(md.group(1)) == 1:
            candidate = md.group(2).strip()
        elif md or len(s) > 200 or s.endswith((".", ",", ";", ":")):
            return first
        else:
            candidate = s
            following = self.lines[first + 1].strip() if first + 1 < len(self.lines) else ""
            if _plain(s).lower() in _SECTION_WORDS or _starts_lower(following):
                return first
        self.title = candidate
        self.out.items.append(_Item("title", candidate))
        return first + 1

    def _step(self, i: int) -> int:
        s = self.lines[i].strip()
        if not s:
            self.out.items.append(_Item("blank"))
            return i + 1
        if self.in_refs:
            return self._step_back_matter(i)
        heading = self._heading_at(i)
        if heading is not None:
            return self._take_heading(i, *heading)
        if _FRONT_LABEL.match(_plain(s)) and re.match(r"^[*_]*[\w ]+[*_]*:", s):
            end = self._chunk_end(i)
            self._remove(self.lines[i:end])
            return end
        if s.startswith("|"):
            return self._take_markdown_table(i, caption=None)
        cap = _CAPTION.match(s)
        if cap:
            return self._take_caption(i, cap)
        if _CONTINUED.match(_plain(s)):
            self._remove([s])
            return i + 1
        if self.front:
            end = self._chunk_end(i)
            if self._is_front_noise(self.lines[i:end]):
                self._remove(self.lines[i:end])
                return end
            self.front = False
        self.out.items.append(_Item("line", s))
        return i + 1

    def _is_front_noise(self, chunk: list[str]) -> bool:
        """Author lists, affiliations, years and copyright lines before the article body."""
        text = " ".join(ln.strip() for ln in chunk)
        if "<sup>" in text or "©" in text:
            return True
        sentences = re.findall(r"[a-z]{2,}[)\]]?[.?!](?:\s|$)", text)
        return len(text) < 120 or len(sentences) < 2

    # -- headings
    def _heading_at(self, i: int) -> tuple[str, int, bool] | None:
        """(text, level, is_markdown) if line ``i`` is a heading."""
        s = self.lines[i].strip()
        md = _MD_HEADING.match(s)
        if md:
            return md.group(2).strip(), len(md.group(1)), True
        if len(s) > 120 or s.endswith((".", ",", ";", ":")) or "[" in s or s.startswith("|"):
            return None
        if _CAPTION.match(s) or _CONTINUED.match(_plain(s)) or not s[0].isupper():
            return None
        last = self._last_significant()
        prev_ok = last is None or last.kind != "line" or _ends_sentence(last.text)
        if not prev_ok:
            return None
        if _is_all_caps(s):
            return s, 1, False
        nxt_i = self._next_nonblank(i + 1)
        nxt = self.lines[nxt_i].strip() if nxt_i is not None else ""
        opens = nxt[:1].isupper() or nxt[:1].isdigit() or nxt.startswith(("#", "(", "“", '"'))
        if nxt and not opens:
            return None  # the next line continues a sentence
        words = s.split()
        short = len(s) <= 70 and len(words) <= 12 and ". " not in s
        if words[-1].lower() in _FUNCTION_WORDS:
            return None  # "... the effects of": a wrapped line, not a title
        return (s, 2, False) if short and nxt else None

    def _take_heading(self, i: int, text: str, level: int, markdown: bool) -> int:
        label = _plain(text)
        if _REFERENCES_HEADING.match(label):
            self.in_refs = True
            self.out.items.append(_Item("gap"))
            return i + 1
        if _FRONT_LABEL.match(label):
            # The heading and the block that follows it (e.g. "Edited by:" + names).
            j = self._next_nonblank(i + 1)
            if j is not None and self._heading_at(j) is None:
                end = self._chunk_end(j)
                self._remove(self.lines[i:end])
                return end
            self._remove([self.lines[i]])
            return i + 1
        if self.front and self.title and _norm_title(label) == _norm_title(self.title):
            self._remove([self.lines[i]])  # repeated title of a cover page
            return i + 1
        self.front = False
        self.section = text
        self.out.items.append(_Item("heading", text, level if markdown else -level))
        return i + 1

    # -- captions and tables
    def _take_caption(self, i: int, cap: re.Match[str]) -> int:
        kind, label = _caption_label(cap.group("kind"), cap.group("num"))
        rest = _plain(self.lines[i][cap.end():])
        if kind == "table" and _CONTINUED.match(rest.strip(" |")):
            self._remove([self.lines[i]])  # "TABLE 1 | Continued": next md table continues
            return i + 1
        end = i + 1
        if kind == "figure":
            end = self._caption_end(i)
        caption_text = " ".join(self.lines[k].strip() for k in range(i, end))
        self.out.captions.append(Caption(kind=kind, label=label, text=caption_text))
        self.out.items.append(_Item("gap"))
        if kind == "table":
            nxt = self._next_nonblank(end)
            if nxt is not None and self.lines[nxt].strip().startswith("|"):
                return self._take_markdown_table(nxt, caption=(label, caption_text))
            if nxt is not None and end == i + 1 and not self._is_prose_at(end):
                return self._take_flattened_table(end, label, caption_text)
        return end

    def _caption_end(self, i: int) -> int:
        """End of a figure caption: blank line, or a lower-case line after a sentence end."""
        j = i + 1
        while j < len(self.lines) and self.lines[j].strip():
            if _ends_sentence(self.lines[j - 1]) and _starts_lower(self.lines[j]):
                break
            j += 1
        return j

    def _is_prose_at(self, i: int) -> bool:
        j = self._next_nonblank(i)
        if j is None:
            return True
        return _is_paragraph_chunk(self.lines[j : self._chunk_end(j)])

    def _take_markdown_table(self, i: int, caption: tuple[str, str] | None) -> int:
        end = i
        while end < len(self.lines) and self.lines[end].strip().startswith("|"):
            end += 1
        rows, header_rows = _parse_markdown_rows(self.lines[i:end])
        label, text = caption if caption else (None, None)
        previous = self.out.tables[-1] if self.out.tables else None
        continues = (
            caption is None
            and previous is not None
            and previous.origin == "markdown"
            and any(_plain(r).lower().endswith("continued") for r in self.out.removed[-2:])
        )
        if continues:
            # Continuation of the previous table: drop the repeated header.
            previous.rows.extend(rows[header_rows:])
            self.out.items.append(_Item("gap"))
        else:
            self._add_table(label, text, rows, header_rows, "markdown")
        return self._take_table_notes(end)

    def _add_table(self, label: str | None, caption: str | None, rows: list[list[str]],
                   header_rows: int, origin: str) -> None:
        """Keep a table apart from the canonical text; a gap marks where it stood."""
        self.out.tables.append(Table(table_id=f"t{len(self.out.tables) + 1}", label=label, caption=caption,
                                     rows=rows, header_rows=header_rows, section=self.section,
                                     origin=origin))
        self.out.items.append(_Item("gap"))

    def _take_table_notes(self, i: int) -> int:
        """A legend of abbreviations right after a table ("w, weekly; d, daily; ...")."""
        j = self._next_nonblank(i)
        if j is None:
            return i
        s = self.lines[j].strip()
        pairs = re.findall(r"[^;,]{1,40}, [^;]{1,80}(?:;|\.$)", s)
        if re.match(r"^\S{1,12}, ", s) and len(pairs) >= 3:
            self._remove([s])
            return j + 1
        return i

    def _take_flattened_table(self, i: int, label: str, caption: str) -> int:
        """Short cell-like lines after a table caption, up to the next heading or prose."""
        chunks: list[list[str]] = []
        j = i
        while j < len(self.lines):
            if not self.lines[j].strip():
                j += 1
                continue
            end = self._chunk_end(j)
            chunk = self.lines[j:end]
            head = chunk[0].strip()
            if _MD_HEADING.match(head) or _CAPTION.match(head) or _is_paragraph_chunk(chunk):
                break
            if _is_all_caps(head) and len(chunk) == 1 and not re.search(r"\d", head):
                break  # an upper-case heading such as "CONCLUSIONS" (cells carry codes/digits)
            chunks.append([ln.strip() for ln in chunk])
            j = end
        # A heading glued under the last row ("... [71]" then "Inhibition of apoptosis").
        giveback: list[str] = []
        if chunks and len(chunks[-1]) > 1:
            last = chunks[-1]
            if _TRAILING_CITES.search(last[-2]) and not _TRAILING_CITES.search(last[-1]):
                if len(last[-1]) <= 70 and not _ends_sentence(last[-1]) and last[-1][0].isupper():
                    giveback = [last.pop()]
        rows, header_rows = _flattened_rows(chunks)
        self._add_table(label, caption, rows, header_rows, "flattened")
        for line in giveback:
            self.out.items.append(_Item("heading", line, -2))
            self.section = line
        return j

    # -- references and back matter
    def _step_back_matter(self, i: int) -> int:
        s = self.lines[i].strip()
        if _REF_ITEM.match(s):
            body = _REF_ITEM.sub("", s, count=1).strip()
            if _starts_lower(body) and self.out.references:
                # The tail of an entry split by an interleaved block.
                prev = self.out.references[-1]
                prev.text = f"{prev.text} {body}"
            else:
                self.out.references.append(Reference(text=body))
            return i + 1
        prev_line = self.lines[i - 1].strip() if i else ""
        if prev_line and self.out.references and _REF_ITEM.match(prev_line) is not None:
            self.out.references[-1].text += " " + s  # wrapped entry
            return i + 1
        self._remove([s])  # acknowledgements, conflicts of interest, ...
        return i + 1

    def _tail_references(self) -> None:
        """Numbered citation lines ending a document that has no references heading."""
        if self.out.references:
            return
        items = self.out.items
        k = len(items)
        refs: list[str] = []
        while k > 0 and items[k - 1].kind in ("line", "blank"):
            item = items[k - 1]
            if item.kind == "line":
                if _NUMBERED_REF.match(item.text):
                    refs.insert(0, item.text)
                elif refs or (k >= 2 and items[k - 2].kind == "line"):
                    if not refs:
                        refs.insert(0, item.text)
                    else:
                        refs[0] = f"{item.text} {refs[0]}"
                else:
                    break
            k -= 1
        numbered = [r for r in refs if _NUMBERED_REF.match(r)]
        if len(numbered) < 3 or not _NUMBERED_REF.match(refs[0]):
            return
        # Merge continuation lines (stored as separate entries above) into their entry.
        entries: list[str] = []
        for ref in refs:
            if _NUMBERED_REF.match(ref) or not entries:
                entries.append(ref)
            else:
                entries[-1] += " " + ref
        self.out.references = [Reference(text=_REF_ITEM.sub("", e, count=1)) for e in entries]
        del items[k:]


def _is_front_signal(line: str) -> bool:
    """A line typical of a journal's front matter (block labels, affiliations, copyright)."""
    s = line.strip()
    if "<sup>" in s or "©" in s:
        return True
    label = _plain(s.lstrip("#").strip())
    return bool(_FRONT_LABEL.match(label)) and (s.startswith("#") or ":" in s[:40])


def _norm_title(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _typical_width(lines: list[str]) -> float | None:
    """Median length of wrapped prose lines (lines inside chunks of 3+ lines), if any."""
    lengths: list[int] = []
    chunk: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            chunk.append(line.strip())
            continue
        if len(chunk) >= 3:
            lengths.extend(len(ln) for ln in chunk[:-1])
        chunk = []
    return statistics.median(lengths) if len(lengths) >= 5 else None


def _parse_markdown_rows(lines: list[str]) -> tuple[list[list[str]], int]:
    """Cells of ``|``-rows; rows above the ``---`` separator are header rows."""
    rows: list[list[str]] = []
    header_rows = 0
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-{2,}:?", c) or not c for c in cells):
            header_rows = len(rows)
            continue
        rows.append(cells)
    return rows, header_rows


def _flattened_rows(chunks: list[list[str]]) -> tuple[list[list[str]], int]:
    """Best-effort rows of a flattened table; a row ends at a citation cell like ``[14]``.

    Two layouts occur: one cell per chunk (cells short), or one row per chunk with cells
    run together on a line (year, text, citation). The first chunk's lines are the header.
    """
    if not chunks:
        return [], 0
    header_lines, body = chunks[0], chunks[1:]
    if not header_lines:
        return [], 0
    sizes = [len(" ".join(c)) for c in body] or [0]
    if statistics.median(sizes) < 45:
        cells = [" ".join(header_lines)] + [" ".join(c) for c in body]
        cut = next((k for k, c in enumerate(cells) if _REF_COLUMN.match(c)), None)
        header = cells[: cut + 1] if cut is not None else []
        rows: list[list[str]] = [header] if header else []
        current: list[str] = []
        for cell in cells[len(header):]:
            current.append(cell)
            if _CITE_CELL.match(cell):
                rows.append(current)
                current = []
        if current:
            rows.append(current)
        return rows, 1 if header else 0
    header_text = " ".join(header_lines)
    header = re.split(r"\s{2,}", header_text)
    if len(header) == 1 and _REF_COLUMN.match(header_text.split()[-1]):
        header = [header_text.rsplit(" ", 1)[0], header_text.split()[-1]]
    rows = [header]
    current_text = ""
    for chunk in body:
        current_text = f"{current_text} {' '.join(chunk)}".strip()
        if _TRAILING_CITES.search(current_text):
            rows.append(_split_row(current_text))
            current_text = ""
    if current_text:
        rows.append(_split_row(current_text))
    return rows, 1


def _split_row(text: str) -> list[str]:
    """[leading years, middle text, trailing citations] of a run-together row."""
    text = re.sub(r"\s+", " ", text).strip()
    cells: list[str] = []
    lead = _LEADING_YEARS.match(text)
    if lead:
        cells.append(lead.group(1).strip())
        text = text[lead.end():]
    cites = _TRAILING_CITES.search(text)
    tail = None
    if cites:
        tail = cites.group(1).strip()
        text = text[: cites.start()]
    cells.append(text.strip())
    if tail:
        cells.append(tail)
    return cells


# --------------------------------------------------------------------------- assembling


def _join_lines(left: str, right: str, vocabulary: set[str]) -> str:
    """Join two wrapped lines: undo line-break hyphenation only for clear single words."""
    left = left.rstrip()
    right = right.lstrip()
    if left.endswith("/"):
        return left + right  # "PI3K/" + "Akt"
    tail = re.search(r"(\S*?)([A-Za-z]*)-$", left)
    if tail and tail.group(0) != "-":
        head = re.match(r"[a-z]+", right)
        word = tail.group(2)
        if word and head and (word + head.group(0)).lower() in vocabulary:
            hyphenated = f"{word}-{head.group(0)}".lower()
            if hyphenated not in vocabulary:
                return left[:-1] + right
        return left + right  # a real hyphen: "3-" + "kinase", "PRR-" + "5)"
    return f"{left} {right}"


def _vocabulary(text: str) -> set[str]:
    """Lower-cased words and hyphenated compounds seen in the text (evidence for joins)."""
    return {w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text)} | {
        w.lower() for w in re.findall(r"[A-Za-z]+", text)
    }


def _paragraph_breaks(prev: str, nxt: str, width: float | None) -> bool:
    """Inside a chunk, does ``nxt`` start a new paragraph? (a short sentence-final line)."""
    if _REF_ITEM.match(nxt) and nxt.lstrip()[:1] in "-*•":
        return True
    if width is None or not _ends_sentence(prev) or _starts_lower(nxt):
        return False
    first_word = nxt.split()[0] if nxt.split() else ""
    return len(prev) + 1 + len(first_word) <= 0.9 * width


def _continues_across_gap(prev: str, nxt: str) -> bool:
    """After a blank line or a removed block, does ``nxt`` continue ``prev``'s sentence?"""
    if _ends_sentence(prev) or prev.rstrip().endswith(":"):
        return False
    return not nxt.lstrip().startswith(("- ", "* ", "|"))


@dataclass
class _Unit:
    kind: str  # title | heading | paragraph
    text: str
    level: int | None = None


def _units(items: list[_Item], width: float | None, vocabulary: set[str]) -> list[_Unit]:
    units: list[_Unit] = []
    para: str | None = None
    last_line = ""  # the previous source line, whose length tells a short final line
    gap = False
    for item in items:
        if item.kind == "line":
            if para is None:
                para = item.text
            elif (gap and _continues_across_gap(para, item.text)) or (
                not gap and not _paragraph_breaks(last_line, item.text, width)
            ):
                para = _join_lines(para, item.text, vocabulary)
            else:
                units.append(_Unit("paragraph", para))
                para = item.text
            last_line = item.text
            gap = False
        elif item.kind in ("title", "heading"):
            if para is not None:
                units.append(_Unit("paragraph", para))
                para = None
            units.append(_Unit(item.kind, item.text, item.level))
        else:
            gap = True
    if para is not None:
        units.append(_Unit("paragraph", para))
    return _fix_levels(units)


def _fix_levels(units: list[_Unit]) -> list[_Unit]:
    """Markdown levels shifted so the top heading is 1; plain ALL-CAPS 1, others 1 or 2."""
    md_levels = [u.level for u in units if u.kind == "heading" and u.level and u.level > 0]
    plain_caps = any(u.kind == "heading" and u.level == -1 for u in units)
    shift = min(md_levels) - 1 if md_levels else 0
    for unit in units:
        if unit.kind != "heading" or unit.level is None:
            continue
        if unit.level > 0:
            unit.level -= shift
        else:
            unit.level = 1 if unit.level == -1 or not plain_caps else 2
    return units


def _layout(units: list[_Unit]) -> tuple[str, list[Block], list[Section]]:
    """Canonical text (units joined by blank lines) with blocks and sections."""
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    open_sections: list[tuple[str, int, int]] = []  # (title, level, start)
    sections: list[Section] = []
    for unit in units:
        if parts:
            pos += 2
        start, end = pos, pos + len(unit.text)
        if unit.kind == "heading":
            level = unit.level or 1
            while open_sections and open_sections[-1][1] >= level:
                title, lvl, s_start = open_sections.pop()
                sections.append(Section(title=title, level=lvl, start=s_start, end=start - 2))
            open_sections.append((unit.text, level, start))
        section = open_sections[-1][0] if open_sections else None
        blocks.append(
            Block(kind=unit.kind, text=unit.text, start=start, end=end, section=section,
                  level=unit.level if unit.kind == "heading" else None)
        )
        parts.append(unit.text)
        pos = end
    for title, lvl, s_start in reversed(open_sections):
        sections.append(Section(title=title, level=lvl, start=s_start, end=pos))
    sections.sort(key=lambda s: (s.start, s.level))
    return "\n\n".join(parts), blocks, sections


# --------------------------------------------------------------------------- entry point


def ingest_text(path: Path, data: bytes | None = None) -> Document:
    """Read a ``.txt`` or ``.md`` file (or its ``data``) into a structured ``Document``.

    Raises ``IngestError`` with code ``too_large``, ``undecodable`` or ``empty``.
    """
    path = Path(path)
    if data is None:
        data = path.read_bytes()
    max_bytes = load_settings().max_bytes
    if len(data) > max_bytes:
        raise IngestError(path, "too_large", f"{len(data)} bytes exceeds the {max_bytes} limit")
    text = normalise_text(decode_bytes(path, data))
    if not text.strip():
        raise IngestError(path, "empty", "file is empty or whitespace only")
    scanner = _Scanner(text)
    scan = scanner.scan()
    units = _units(scan.items, scanner.width, _vocabulary(text))
    canonical, blocks, sections = _layout(units)
    if not canonical.strip():
        raise IngestError(path, "empty", "no body text (only references or front matter)")
    if scanner.title is None:
        scan.warnings.append("no title line recognised")
    return Document(
        doc_id=doc_id_for(path),
        content_hash=sha256_bytes(data),
        source_path=str(path),
        source_type="md" if path.suffix.lower() in (".md", ".markdown") else "txt",
        title=scanner.title,
        text=canonical,
        blocks=blocks,
        sections=sections,
        tables=scan.tables,
        captions=scan.captions,
        references=scan.references,
        removed=scan.removed,
        warnings=scan.warnings,
        ingest_version=INGEST_VERSION,
    )
