"""Text/Markdown ingestion on small hand-made fixtures and on the three seed papers."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.errors import IngestError
from pipeline.ingest.text import ingest_text
from pipeline.records import Document

FIXTURES = Path(__file__).parent / "fixtures" / "text"


def _check_offsets(doc: Document) -> None:
    for block in doc.blocks:
        assert doc.text[block.start : block.end] == block.text
    for section in doc.sections:
        assert 0 <= section.start < section.end <= len(doc.text)


def _paragraphs(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if b.kind == "paragraph"]


@pytest.fixture(scope="module")
def wrapped() -> Document:
    return ingest_text(FIXTURES / "wrapped.txt")


@pytest.fixture(scope="module")
def markdown() -> Document:
    return ingest_text(FIXTURES / "table.md")


def test_identity_and_offsets(wrapped: Document) -> None:
    data = (FIXTURES / "wrapped.txt").read_bytes()
    assert wrapped.doc_id == "wrapped"
    assert wrapped.source_type == "txt"
    assert len(wrapped.content_hash) == 64
    assert wrapped.title == "Kinase inhibitors in a model tumour"
    assert wrapped.blocks[0].kind == "title"
    assert all(b.page is None for b in wrapped.blocks)
    _check_offsets(wrapped)
    assert ingest_text(FIXTURES / "wrapped.txt", data) == wrapped


def test_unwraps_lines_and_blank_line_inside_sentence(wrapped: Document) -> None:
    first = _paragraphs(wrapped)[0]
    assert "patients with high morbidity. This short text" in first
    assert "\n" not in first


def test_hyphens_and_slashes_at_line_ends(wrapped: Document) -> None:
    text = wrapped.text
    assert "3-kinase pathway" in text  # real hyphen kept, no space
    assert "PI3K/Akt route" in text
    assert "blocking metastasis is" in text  # joined: "metastasis" occurs elsewhere
    assert "(PRR-5)" in text
    assert "metastasis-free interval" in text


def test_caption_inside_sentence_is_set_apart(wrapped: Document) -> None:
    assert "placed in the middle of the sentence" in wrapped.text
    assert "schematic drawing" not in wrapped.text
    figure = [c for c in wrapped.captions if c.kind == "figure"]
    assert figure and figure[0].label == "Figure 1"


def test_headings_and_sections(wrapped: Document) -> None:
    headings = [(b.text, b.level) for b in wrapped.blocks if b.kind == "heading"]
    assert headings == [
        ("ABSTRACT", 1), ("INTRODUCTION", 1), ("Effects on growth", 2), ("CONCLUSIONS", 1)
    ]
    growth = wrapped.text.index("Inhibitors reduce growth")
    assert wrapped.section_at(growth) == "Effects on growth"
    intro = next(s for s in wrapped.sections if s.title == "INTRODUCTION")
    assert intro.end > growth  # a level-2 section nests inside its level-1 parent


def test_flattened_table(wrapped: Document) -> None:
    (table,) = wrapped.tables
    assert table.origin == "flattened" and table.label == "Table 1"
    finding = "Alphamab Alphamab reduces growth of tumour cells in vitro."
    assert table.rows[1] == ["2010", finding, "[4]"]
    assert len(table.rows) == 3
    assert "Alphamab" not in wrapped.text


def test_references_out_of_text(wrapped: Document) -> None:
    assert [r.text[:5] for r in wrapped.references] == ["Smith", "Roe B", "Poe C"]
    assert wrapped.references[2].text.endswith("Onc Lett. 2003;3:5-9.")
    assert "Smith J" not in wrapped.text


def test_markdown_table_with_continuation(markdown: Document) -> None:
    assert markdown.source_type == "md"
    (table,) = markdown.tables
    assert table.origin == "markdown" and table.label == "Table 1"
    assert table.header_rows == 1
    assert table.rows[0] == ["Study", "Patients", "Drug"]
    assert [r[0] for r in table.rows[1:]] == ["Phase-II", "Phase-III", "Phase-I"]
    assert "Phase-III" not in markdown.text
    assert "d, daily" not in markdown.text  # the table's abbreviation legend
    _check_offsets(markdown)


def test_markdown_front_and_back_matter(markdown: Document) -> None:
    text = markdown.text
    assert markdown.title == "Targeted therapy in a rare tumour"
    for noise in ("Sample University", "Edited by", "Cy Editor", "Keywords", "thank the reviewers"):
        assert noise not in text
    assert any("Cy Editor" in r for r in markdown.removed)
    assert text.index("This is the abstract") < text.index("INTRODUCTION")
    assert "response rate was 12% (3)." in text  # joined across the blank line
    assert "$n = 40$" in text  # LaTeX kept verbatim
    assert len(markdown.references) == 3


def test_undecodable_bytes() -> None:
    with pytest.raises(IngestError) as err:
        ingest_text(Path("bin.txt"), b"\x00\x01\x02\xff\xfe\x00binary\x00" * 20)
    assert err.value.code == "undecodable"


def test_cp1252_fallback() -> None:
    data = "Title\n\nCaf\u00e9 na\u00efve text \u2013 ok.\n".encode("cp1252")
    doc = ingest_text(Path("legacy.txt"), data)
    assert "Caf\u00e9 na\u00efve text \u2013 ok." in doc.text


def test_bom_and_crlf() -> None:
    doc = ingest_text(Path("bom.txt"), "\ufeffTitle\r\n\r\nA line.\r\n".encode("utf-8"))
    assert doc.title == "Title" and doc.text == "Title\n\nA line."


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"])
def test_empty(data: bytes) -> None:
    with pytest.raises(IngestError) as err:
        ingest_text(Path("empty.txt"), data)
    assert err.value.code == "empty"


SEED_HEADINGS = {
    "000_3d1899da889077ad": ["INTRODUCTION", "INHIBITORS OF MTOR", "Inhibition of apoptosis"],
    "001_2bada934f44e6c92": ["Background", "Metastasis and migration", "Drug resistance"],
    "002_0943a23fd24ffb90": ["INTRODUCTION", "EVEROLIMUS", "Single Therapy", "Meta-Analysis"],
}


@pytest.mark.parametrize("doc_id", sorted(SEED_HEADINGS))
def test_seed(seeds_dir: Path, doc_id: str) -> None:
    doc = ingest_text(seeds_dir / f"{doc_id}.txt")
    _check_offsets(doc)
    assert doc.doc_id == doc_id
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    for heading in SEED_HEADINGS[doc_id]:
        assert heading in headings
    assert any(t.label == "Table 1" and len(t.rows) >= 10 for t in doc.tables)
    assert 12 <= len(_paragraphs(doc)) <= 80
    for ref in doc.references:
        assert ref.text[:60] not in doc.text
    for table in doc.tables:
        assert table.rows[-1][0] not in doc.text.split("\n\n")  # no row leaked as a paragraph
