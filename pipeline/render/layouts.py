"""Page designs that imitate common journal layouts (one per document, cycled)."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont


@dataclass(frozen=True)
class Layout:
    """Geometry and typography of one journal style."""

    name: str
    pagesize: tuple[float, float]
    columns: int
    margin: float
    gutter: float
    family: str  # "serif" or "sans"
    body_size: float
    leading_factor: float
    journal: str  # running-head journal name
    table_full_width: bool  # big tables on full-width pages instead of in a column
    # Tables the source flattened into lines are drawn from their hand-set grid
    # (``corpus/tables/<doc>.table<N>.csv``, see ``pipeline.render.tables``) when one exists:
    # one cell per column as the journal set it, sentence cells included.
    set_tables: bool = False
    # "grid": every cell ruled; "open": only rules above and below the header and under the
    # last row, as most journals draw tables (the reader must find the columns from alignment).
    table_rules: str = "grid"


LAYOUTS = (
    Layout("two-column journal", A4, 2, 16 * mm, 6 * mm, "serif", 9.0, 1.22,
           "Journal of Oncology Reviews", table_full_width=False),
    Layout("single-column manuscript", LETTER, 1, 25 * mm, 0, "sans", 10.5, 1.6,
           "Manuscript submitted for review", table_full_width=False),
    Layout("two-column frontiers-like", A4, 2, 18 * mm, 8 * mm, "sans", 8.6, 1.3,
           "Frontiers-style Review", table_full_width=True),
    Layout("two-column with set tables", LETTER, 2, 15 * mm, 7 * mm, "serif", 9.4, 1.2,
           "Oncology Research Letters", table_full_width=True, set_tables=True),
)


def _font_dir() -> Path:
    """DejaVu TTFs (full Greek/symbol coverage) shipped with matplotlib, else the system's."""
    spec = importlib.util.find_spec("matplotlib")
    if spec and spec.submodule_search_locations:
        bundled = Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"
        if (bundled / "DejaVuSerif.ttf").exists():
            return bundled
    return Path("/usr/share/fonts/truetype/dejavu")


def register_fonts() -> None:
    """Register ``serif``/``sans`` families (regular, bold, italic, bold-italic) once."""
    if "serif" in pdfmetrics.getRegisteredFontNames():
        return
    folder = _font_dir()
    files = {
        "serif": ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic"),
        "sans": ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"),
    }
    for family, (regular, bold, italic, bold_italic) in files.items():
        names = [family, f"{family}-b", f"{family}-i", f"{family}-bi"]
        for name, stem in zip(names, (regular, bold, italic, bold_italic), strict=True):
            pdfmetrics.registerFont(TTFont(name, str(folder / f"{stem}.ttf")))
        pdfmetrics.registerFontFamily(family, normal=names[0], bold=names[1], italic=names[2],
                                      boldItalic=names[3])
