"""Ruled tables found with pdfplumber's table finder."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.ingest.layout import LIGATURES


@dataclass(slots=True)
class RawTable:
    """A table's cells and its box on the page (top-left origin, PDF points)."""

    bbox: tuple[float, float, float, float]
    rows: list[list[str]]


def _has_rules(page) -> bool:
    """Cheap gate: at least two horizontal and two vertical ruling edges on the page."""
    if not page.objects.get("line") and not page.objects.get("rect"):
        return False
    horizontal = vertical = 0
    for obj in page.objects.get("line", []) + page.objects.get("rect", []):
        w, h = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
        if w > 10:
            horizontal += 1
        if h > 10:
            vertical += 1
        if horizontal >= 2 and vertical >= 2:
            return True
    return False


def find_ruled_tables(page) -> list[RawTable]:
    """Tables drawn with ruling lines on a pdfplumber page (at least 2 rows and 2 columns)."""
    if not _has_rules(page):
        return []
    found: list[RawTable] = []
    for table in page.find_tables():
        rows = [
            [" ".join((cell or "").translate(LIGATURES).split()) for cell in row]
            for row in table.extract()
        ]
        rows = [row for row in rows if any(row)]
        filled = sum(1 for row in rows for cell in row if cell)
        n_cols = max((len(row) for row in rows), default=0)
        if len(rows) < 2 or n_cols < 2 or filled < 4:
            continue
        found.append(RawTable(tuple(table.bbox), rows))
    return found


def horizontal_rules(page) -> list[tuple[float, float, float]]:
    """Horizontal rules on a page as (y, x0, x1): thin lines and thin filled rectangles.

    Rules drawn as touching segments (one per column) are merged into one rule.
    """
    segments: list[tuple[float, float, float]] = []
    for obj in page.objects.get("line", []) + page.objects.get("rect", []):
        w, h = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
        if w > 15 and h < 2.5:
            segments.append((round((obj["top"] + obj["bottom"]) / 2, 1), obj["x0"], obj["x1"]))
    segments.sort()
    merged: list[list[float]] = []
    for y, x0, x1 in segments:
        if merged and abs(merged[-1][0] - y) < 1.0 and x0 <= merged[-1][2] + 3:
            merged[-1][2] = max(merged[-1][2], x1)
            merged[-1][1] = min(merged[-1][1], x0)
        else:
            merged.append([y, x0, x1])
    return [(y, x0, x1) for y, x0, x1 in merged]
