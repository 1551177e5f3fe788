"""Page-region images of real PDF pages: the sentence is found (across hyphenation and table
cells), highlighted, and the image is cropped to its region."""

from __future__ import annotations

from PIL import Image

from pipeline.review.image import SCALE, render_region
from pipeline.review.service import Filters, ReviewService
from tests.review_support import CORPUS_PDF, review_db, review_template_db  # noqa: F401

HIGHLIGHT = (255, 243, 166)  # review highlight (255, 221, 0) blended 35 % over white paper


def _highlighted(path) -> tuple[Image.Image, int]:
    image = Image.open(path).convert("RGB")
    hits = sum(1 for p in image.get_flattened_data() if all(abs(a - b) <= 3 for a, b in zip(p, HIGHLIGHT)))
    return image, hits


def test_sentence_and_table_row_regions_are_found_and_highlighted(review_db, tmp_path):
    import pypdfium2 as pdfium

    service = ReviewService(review_db)
    key = next(d["key"] for d in service.documents() if d["doc"] == CORPUS_PDF.stem)
    items = [i for i in service.items(Filters(doc=key)) if i.kind == "statement" and i.current.get("page")]
    text_item = next(i for i in items if i.source == "text" and "-" not in i.current["evidence"][:20])
    table_item = next((i for i in items if i.source == "table"), None)
    page_height = pdfium.PdfDocument(str(CORPUS_PDF))[text_item.current["page"] - 1].get_size()[1] * SCALE
    for item in filter(None, (text_item, table_item)):
        out = render_region(CORPUS_PDF, item.current["page"], item.current["evidence"], tmp_path / f"{item.id}.png")
        image, hits = _highlighted(out)
        assert hits > 500, (item.id, item.current["evidence"][:80])
        assert image.height < page_height / 2, "the image is cropped to the sentence's region"
    # A sentence that is not on the page: the whole page, nothing highlighted.
    out = render_region(CORPUS_PDF, 1, "Zebras compose sonnets under quantum umbrellas.", tmp_path / "none.png")
    image, hits = _highlighted(out)
    assert hits == 0 and abs(image.height - page_height) <= 2
