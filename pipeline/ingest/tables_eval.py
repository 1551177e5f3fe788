"""Detected tables against the hand-made table reference (``annotations/tables/``).

Usage: ``python -m pipeline.ingest.tables_eval [--ref annotations/tables] [--pdfs DIR] [--out FILE]``
(``make tables-eval``). For every reference table: was a table with the same label found on
its pages, what share of the reference's non-empty cells occur in the detected table with the
exact same text (cell-text accuracy), and what share sit in the same row and column
(placement; rows are aligned first, so one missing or extra row costs only that row).

Cell texts are compared after collapsing runs of whitespace only: every character, dash and
decimal point counts.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.records import Table

PROJECT = Path(__file__).resolve().parents[2]


@dataclass
class TableScore:
    doc: str
    label: str
    pages: list[int]
    found: bool
    n_cells: int  # non-empty reference cells
    cell_accuracy: float  # reference cells whose exact text occurs in the detected table
    placement: float  # reference cells found at the same (aligned) row and the same column
    detected_shape: tuple[int, int] | None = None
    reference_shape: tuple[int, int] | None = None


@dataclass
class RefTable:
    doc: str
    label: str
    pages: list[int]
    rows: list[list[str]]
    n_header_rows: int


def _norm(text: str) -> str:
    return " ".join(text.split())


def load_reference(ref_dir: Path) -> list[RefTable]:
    """The reference tables listed in ``tables.jsonl`` with their CSV grids."""
    out: list[RefTable] = []
    for line in (ref_dir / "tables.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        meta = json.loads(line)
        with open(ref_dir / meta["file"], encoding="utf-8", newline="") as handle:
            rows = [[_norm(c) for c in row] for row in csv.reader(handle)]
        out.append(RefTable(meta["doc"], meta.get("label") or f"Table {meta['table']}", meta["pages"], rows, meta["n_header_rows"]))
    return out


def _label_key(label: str | None) -> str:
    return " ".join((label or "").lower().replace(".", " ").split())


def _row_similarity(a: list[str], b: list[str]) -> float:
    cells = [(x, b[i] if i < len(b) else "") for i, x in enumerate(a) if x]
    if not cells:
        return 0.0
    return sum(1 for x, y in cells if x == y) / len(cells)


def align_rows(ref: list[list[str]], det: list[list[str]]) -> dict[int, int]:
    """Monotone alignment of reference rows to detected rows maximising same-column matches."""
    n, m = len(ref), len(det)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = (
                score[i - 1][j - 1] + _row_similarity(ref[i - 1], det[j - 1]),
                score[i - 1][j],
                score[i][j - 1],
            )
            best = max(range(3), key=lambda k: options[k])
            score[i][j], back[i][j] = options[best], best
    pairs: dict[int, int] = {}
    i, j = n, m
    while i > 0 and j > 0:
        step = back[i][j]
        if step == 0:
            if _row_similarity(ref[i - 1], det[j - 1]) > 0:
                pairs[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif step == 1:
            i -= 1
        else:
            j -= 1
    return pairs


def score_table(ref: RefTable, table: Table | None) -> TableScore:
    ref_cells = [(i, j, c) for i, row in enumerate(ref.rows) for j, c in enumerate(row) if c]
    shape = (len(ref.rows), max((len(r) for r in ref.rows), default=0))
    if table is None:
        return TableScore(ref.doc, ref.label, ref.pages, False, len(ref_cells), 0.0, 0.0, None, shape)
    det = [[_norm(c) for c in row] for row in table.rows]
    available = Counter(c for row in det for c in row if c)
    hits = 0
    for _, _, text in ref_cells:
        if available[text] > 0:
            available[text] -= 1
            hits += 1
    pairs = align_rows(ref.rows, det)
    placed = sum(
        1 for i, j, text in ref_cells
        if i in pairs and j < len(det[pairs[i]]) and det[pairs[i]][j] == text
    )
    n = max(1, len(ref_cells))
    det_shape = (len(det), max((len(r) for r in det), default=0))
    return TableScore(ref.doc, ref.label, ref.pages, True, len(ref_cells), hits / n, placed / n, det_shape, shape)


def find_table(ref: RefTable, tables: list[Table]) -> Table | None:
    """The detected table with the reference's label on one of its pages."""
    for table in tables:
        pages = table.pages or ([table.page] if table.page else [])
        if _label_key(table.label) == _label_key(ref.label) and set(pages) & set(ref.pages):
            return table
    return None


def evaluate(ref_dir: Path, pdf_dir: Path) -> list[TableScore]:
    """Ingest every PDF named in the reference (once) and score its tables."""
    from pipeline.ingest.pdf import ingest_pdf

    refs = load_reference(ref_dir)
    scores: list[TableScore] = []
    cache: dict[str, list[Table]] = {}
    for ref in refs:
        pdf = pdf_dir / f"{ref.doc}.pdf"
        if not pdf.exists():
            continue
        if ref.doc not in cache:
            cache[ref.doc] = ingest_pdf(pdf).tables
        scores.append(score_table(ref, find_table(ref, cache[ref.doc])))
    return scores


def summary(scores: list[TableScore]) -> dict:
    cells = sum(s.n_cells for s in scores) or 1
    return {
        "tables": len(scores),
        "found": sum(s.found for s in scores),
        "cell_accuracy_micro": sum(s.cell_accuracy * s.n_cells for s in scores) / cells,
        "placement_micro": sum(s.placement * s.n_cells for s in scores) / cells,
        "cell_accuracy_macro": sum(s.cell_accuracy for s in scores) / max(1, len(scores)),
        "placement_macro": sum(s.placement for s in scores) / max(1, len(scores)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ref", type=Path, default=PROJECT / "annotations" / "tables")
    parser.add_argument("--pdfs", type=Path, default=PROJECT.parent / "shared" / "corpus-real")
    parser.add_argument("--out", type=Path, default=None, help="write the scores as JSON here")
    args = parser.parse_args(argv)
    if not (args.ref / "tables.jsonl").exists():
        print(f"no table reference at {args.ref}", file=sys.stderr)
        return 2
    scores = evaluate(args.ref, args.pdfs)
    print(f"{'document':52} {'table':9} {'found':5} {'cells':>5} {'text':>6} {'place':>6}  shape det/ref")
    for s in scores:
        print(
            f"{s.doc[:52]:52} {s.label:9} {'yes' if s.found else 'NO':5} {s.n_cells:5d} "
            f"{s.cell_accuracy:6.3f} {s.placement:6.3f}  {s.detected_shape} / {s.reference_shape}"
        )
    total = summary(scores)
    print(
        f"found {total['found']}/{total['tables']}; cell-text accuracy {total['cell_accuracy_micro']:.3f} "
        f"(macro {total['cell_accuracy_macro']:.3f}); placement {total['placement_micro']:.3f} "
        f"(macro {total['placement_macro']:.3f})"
    )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"tables": [asdict(s) for s in scores], "summary": total}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
