"""Typed records passed between stages.

Every stage reads and writes these models; nothing downstream reaches back into a stage's
internals. Offsets are always character offsets into ``Document.text`` (the canonical body
text), never token offsets. Export field names (``Triple``, ``TrialStat``) are a public
contract documented in README.md: add fields, never rename them.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Literal

from pydantic import BaseModel, Field

from pipeline.identity import record_id, statement_id
from pipeline.ids import stable_id

SourceType = Literal["pdf", "txt", "md"]
BlockKind = Literal["title", "heading", "paragraph"]


class Provenance(BaseModel):
    """Who made a record: stage, rule, model and lexicon versions."""

    stage: str
    rule: str | None = None
    model: str | None = None
    lexicon_version: str | None = None
    pipeline_version: str | None = None


# --------------------------------------------------------------------------- ingestion


class Block(BaseModel):
    """A heading or paragraph of the canonical text, in reading order."""

    kind: BlockKind
    text: str
    start: int
    end: int
    page: int | None = None  # 1-based; None for text input
    section: str | None = None  # title of the enclosing section
    level: int | None = None  # heading level (1 = top)


class Section(BaseModel):
    """A section: its heading and the span of canonical text it covers."""

    title: str
    level: int = 1
    start: int
    end: int
    page: int | None = None


class TableCell(BaseModel):
    """One non-empty cell of a table grid, with the group label carried down to its row."""

    row: int  # index into ``Table.rows`` (header rows first)
    col: int
    text: str  # exact text of the cell (lines joined with one space)
    header: bool = False
    group: str | None = None  # nearest group-label row above (e.g. "Primary outcome")


class Table(BaseModel):
    """A table kept as rows of cells (not part of the canonical text)."""

    table_id: str  # e.g. "t1" within the document
    page: int | None = None
    caption: str | None = None
    label: str | None = None  # "Table 1"
    rows: list[list[str]]
    header_rows: int = 1
    section: str | None = None
    origin: Literal["pdf", "markdown", "flattened"] = "pdf"
    # Added for tables found from text alignment (all optional, so older JSON still loads).
    key: str | None = None  # stable id from document, first page and box: "tab_…"
    pages: list[int] = Field(default_factory=list)  # every page the table spans (continued tables)
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom on the first page (pt)
    footnotes: str | None = None  # notes printed under the table (abbreviations, markers)
    group_rows: list[int] = Field(default_factory=list)  # row indices that are group labels
    continued: bool = False  # True when rows from a later page were merged in
    method: str | None = None  # "ruled" | "aligned"

    @property
    def cells(self) -> list[TableCell]:
        """Non-empty cells with row/column indices, header flag and the carried-down group label."""
        out: list[TableCell] = []
        group: str | None = None
        groups = set(self.group_rows)
        for r, row in enumerate(self.rows):
            if r in groups:
                group = next((c for c in row if c), None)
            for c, text in enumerate(row):
                if text:
                    out.append(
                        TableCell(row=r, col=c, text=text, header=r < self.header_rows,
                                  group=group if r not in groups else None)
                    )
        return out


class Caption(BaseModel):
    """A figure or table caption, set apart from the body text."""

    kind: Literal["figure", "table"]
    label: str | None = None
    text: str
    page: int | None = None


class Reference(BaseModel):
    """One entry of the reference list."""

    text: str
    page: int | None = None


def block_index(blocks: list[Block], offset: int) -> int:
    """Index of the block containing ``offset`` in reading-ordered ``blocks``, or -1."""
    index = bisect_right([b.start for b in blocks], offset) - 1
    return index if index >= 0 and offset < blocks[index].end else -1


class Document(BaseModel):
    """A structured document: canonical body text plus everything set apart from it."""

    doc_id: str  # source file stem
    content_hash: str  # sha256 of the source bytes
    source_path: str
    source_type: SourceType
    n_pages: int | None = None
    title: str | None = None
    text: str  # canonical body text: headings and paragraphs in reading order
    blocks: list[Block] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    captions: list[Caption] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)  # running heads, page numbers, side notes
    warnings: list[str] = Field(default_factory=list)
    ingester: str | None = None  # fingerprint of the reader that made this record (process.ingester_fingerprint)
    ingest_version: str = "1"

    def block_at(self, offset: int) -> Block | None:
        """The heading or paragraph containing ``offset``."""
        index = block_index(self.blocks, offset)
        return self.blocks[index] if index >= 0 else None

    def page_at(self, offset: int) -> int | None:
        """Page of the block containing ``offset`` (None for text input)."""
        block = self.block_at(offset)
        return block.page if block else None

    def section_at(self, offset: int) -> str | None:
        """Title of the innermost section containing ``offset``."""
        found = None
        for section in self.sections:
            if section.start <= offset < section.end:
                found = section.title
        return found


# --------------------------------------------------------------------------- NLP


class Sentence(BaseModel):
    doc_id: str
    index: int
    start: int
    end: int
    text: str
    section: str | None = None
    page: int | None = None


EntityLabel = Literal["DRUG", "GENE_OR_PROTEIN", "DISEASE", "OUTCOME", "CELL_LINE", "TRIAL"]
MatchKind = Literal["exact", "synonym", "abbreviation", "fuzzy", "class", "pattern"]


class Mention(BaseModel):
    """An entity mention with its normalized identity."""

    doc_id: str
    start: int
    end: int
    text: str
    label: EntityLabel
    canonical: str  # e.g. "everolimus", "MTOR", "mTORC1"
    identifier: str | None = None  # namespace-prefixed, e.g. "HGNC:3942", "FPLX:mTORC1", "DRUGBANK:DB06287"
    match: MatchKind = "exact"
    sentence_index: int | None = None
    provenance: Provenance

    @property
    def mention_id(self) -> str:
        return stable_id("men", self.doc_id, self.start, self.end, self.label, self.canonical)


# --------------------------------------------------------------------------- relations

Source = Literal["text", "table", "caption"]
Interaction = Literal["inhibits", "activates", "binds", "downregulates", "upregulates"]
Effect = Literal["increases", "decreases", "no_effect"]


class Triple(BaseModel):
    """One drug-target-outcome statement from one evidence sentence (export contract)."""

    doc: str
    drug: str | None = None
    drug_id: str | None = None
    combined_with: list[str] = Field(default_factory=list)
    target: str | None = None
    target_id: str | None = None
    interaction: Interaction | None = None
    outcome: str | None = None
    effect: Effect | None = None
    context: str | None = None
    hedged: bool = False
    negated: bool = False
    evidence: str
    section: str | None = None
    page: int | None = None
    start: int | None = None
    end: int | None = None
    rule: str
    confidence: float = 0.5
    # Where the evidence is: body text, a caption, or a table cell (table id, row, column).
    source: Source = "text"
    table_id: str | None = None
    row: int | None = None
    column: int | None = None
    # Provenance beyond the contract fields.
    model: str | None = None
    lexicon_version: str | None = None

    @property
    def id(self) -> str:
        """Evidence-level id: the statement identity (``pipeline.identity``) plus where it was
        said — "X alone" and "X + Y" in one sentence are two statements."""
        return record_id(self)

    @property
    def statement_id(self) -> str:
        """Id of the statement across all its evidence (what assembly groups by)."""
        return statement_id(self)


class TrialStat(BaseModel):
    """One quantitative trial result: (study, arm or comparison, measure) (export contract)."""

    doc: str
    study: str | None = None
    phase: str | None = None
    drug: str | None = None
    combined_with: list[str] = Field(default_factory=list)
    comparator: str | None = None
    n: int | None = None
    measure: str
    value: float | None = None
    unit: str | None = None
    comparator_value: float | None = None
    hr: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: str | None = None  # as written: "0.026", "<0.001"
    dose: str | None = None
    disease: str | None = None
    # Meta-analysis and range fields: the pooled-estimate model ("fixed" | "random" — two
    # estimates, even with equal numbers), studies pooled, a range across studies, a time point.
    analysis_model: Literal["fixed", "random"] | None = None
    n_studies: int | None = None
    range_low: float | None = None
    range_high: float | None = None
    time_point: str | None = None
    source: Source = "text"
    table_id: str | None = None
    row: int | None = None
    column: int | None = None
    evidence: str
    page: int | None = None
    start: int | None = None
    end: int | None = None
    rule: str
    model: str | None = None  # provenance: the NLP model that parsed the sentence

    @property
    def id(self) -> str:
        """Evidence-level id: the result's identity (every reported number, the model variant)
        plus where it was said (``pipeline.identity``)."""
        return record_id(self)


class AssembledTriple(BaseModel):
    """Document-level view: statements with one identity merged, with all their evidence."""

    id: str  # pipeline.identity.statement_id
    doc: str
    drug: str | None
    drug_id: str | None = None
    target: str | None
    target_id: str | None = None
    target_inferred: bool = False  # target taken from elsewhere in the document
    outcome: str | None
    effect: Effect | None
    interaction: Interaction | None = None
    combined_with: list[str] = Field(default_factory=list)
    negated: bool = False
    contexts: list[str] = Field(default_factory=list)
    count: int
    statement_ids: list[str]
    evidence: list[str]
