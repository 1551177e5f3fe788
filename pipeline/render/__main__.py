"""``python -m pipeline.render``: render every text document of a folder to PDF + truth."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.ingest.text import ingest_text
from pipeline.render.layouts import LAYOUTS
from pipeline.render.pdf import render_document
from pipeline.render.tables import with_set_tables


def main(argv: list[str] | None = None) -> int:
    """Render ``--src`` documents (sorted; layouts cycle) into ``--out``; print a summary."""
    parser = argparse.ArgumentParser(prog="python -m pipeline.render", description=__doc__)
    parser.add_argument("--src", type=Path, default=Path("corpus/text"),
                        help="a .txt/.md document or a folder of them (default: corpus/text)")
    parser.add_argument("--out", type=Path, default=Path("corpus/pdf"),
                        help="output folder for <doc_id>.pdf and <doc_id>.truth.txt")
    parser.add_argument("--layout", choices=[layout.name for layout in LAYOUTS],
                        help="one layout for every document (default: the first three cycle)")
    parser.add_argument("--tables", type=Path, default=Path("corpus/tables"),
                        help="hand-set table grids <doc_id>.table<N>.csv, drawn by layouts that "
                             "set tables (default: corpus/tables)")
    args = parser.parse_args(argv)
    if args.src.is_file():
        sources = [args.src]
    else:
        sources = sorted(p for p in args.src.iterdir() if p.suffix.lower() in (".txt", ".md"))
    if not sources:
        print(f"no .txt/.md documents in {args.src}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    # The cycle is the three journal designs of corpus/pdf; the set-tables layout is asked for by name.
    cycle = [layout for layout in LAYOUTS if not layout.set_tables]
    for index, source in enumerate(sources):
        doc = ingest_text(source)
        layout = next((lay for lay in LAYOUTS if lay.name == args.layout), None) or cycle[index % len(cycle)]
        if layout.set_tables:
            doc = with_set_tables(doc, args.tables)
        result = render_document(doc, args.out / f"{doc.doc_id}.pdf", layout)
        (args.out / f"{doc.doc_id}.truth.txt").write_text(result.truth, encoding="utf-8")
        print(f"{doc.doc_id}: {result.pages} pages, {layout.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
