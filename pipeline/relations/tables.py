"""Table columns that state drug–target relations by their header (``patterns/table_roles.tsv``).

Pharmacology tables say in a header what their cells are: "Inhibitor(s) targeting the indicated
domain" lists inhibitors of the protein its row names; "RXP407 Ki (nM)" holds RXP407's potency on
the row's protein. One operator reads both kinds:

* the header row is the first of the table's first rows with a cell that matches a role (a note
  above the header, as PDFs often give, is skipped);
* ``members`` columns: every drug named in the cell acts on the row's protein;
* ``potency`` columns: the drug named in the header acts on the row's protein when the cell holds
  a number ("n.d." states nothing);
* the row's protein is a gene or protein named in its other cells, else the caption's, else the
  document's focal protein.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.relations.cues import tsv_rows

ROLES_PATH = Path(__file__).with_name("patterns") / "table_roles.tsv"
HEADER_SEARCH_ROWS = 3
MEASURED = re.compile(r"\d")
NOT_DETERMINED = re.compile(r"(?i)^\s*(?:n\.?\s?d\.?|n/?a|nr|—|–|-)\W*$")


@dataclass(frozen=True)
class TableRole:
    """One row of ``table_roles.tsv``."""

    id: str
    kind: str  # members | potency
    header: re.Pattern
    interaction: str
    outcome: str | None
    effect: str | None
    positive: str
    negative: str


@lru_cache(maxsize=1)
def table_roles() -> tuple[TableRole, ...]:
    rows = tsv_rows(ROLES_PATH, ("id", "kind", "header", "interaction", "outcome", "effect", "positive", "negative"))
    return tuple(TableRole(i, kind, re.compile(header), interaction, outcome or None, effect or None, pos, neg)
                 for i, kind, header, interaction, outcome, effect, pos, neg in rows)


def role_of(header: str) -> TableRole | None:
    """The first role whose header pattern matches ``header``."""
    return next((role for role in table_roles() if role.header.search(header)), None)


def header_roles(rows: list[list[str]]) -> tuple[int, dict[int, TableRole]] | None:
    """(header row index, column → role) of the first of the first rows that has a role."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        roles = {column: role for column, cell in enumerate(row) if (role := role_of(cell)) is not None}
        if roles:
            return index, roles
    return None


def _genes(ann) -> list[tuple[str, str | None]]:  # noqa: ANN001
    return [(m.canonical, m.identifier) for m in ann.mentions if m.label == "GENE_OR_PROTEIN"]


def _drugs(ann) -> list[tuple[str, str | None]]:  # noqa: ANN001
    seen: dict[str, str | None] = {}
    for m in ann.mentions:
        if m.label == "DRUG":
            seen.setdefault(m.canonical, m.identifier)
    return list(seen.items())


def role_findings(table, annotate, focal: tuple | None = None) -> list[tuple[int, list]]:  # noqa: ANN001
    """(row index, findings) of each data row; ``annotate(text)`` annotates a cell or caption
    with the document's context; ``focal`` is its focal protein (label, canonical, identifier)."""
    from pipeline.relations.sentence import Agent, Finding

    found = header_roles(table.rows)
    if found is None:
        return []
    header_index, roles = found
    header = table.rows[header_index]
    caption_genes = _genes(annotate(table.caption)) if table.caption else []
    out = []
    for row_index in range(header_index + 1, len(table.rows)):
        row = table.rows[row_index]
        others = " | ".join(c for i, c in enumerate(row) if i not in roles and c.strip())
        genes = _genes(annotate(others)) if others else []
        target = (genes or caption_genes or ([focal[1:]] if focal else []) or [None])[0]
        if target is None:
            continue
        findings = []
        for column, role in roles.items():
            cell = row[column] if column < len(row) else ""
            if not cell.strip():
                continue
            if role.kind == "members":
                agents = _drugs(annotate(cell))
            else:
                if NOT_DETERMINED.match(cell) or not MEASURED.search(cell):
                    continue
                agents = _drugs(annotate(header[column]))
            for name, identifier in agents:
                findings.append(Finding(
                    agent=Agent(name, identifier, (), None), target=target[0], target_id=target[1],
                    interaction=role.interaction, outcome=role.outcome, effect=role.effect,
                    rule=f"table-role:{role.id}", confidence=0.6))
        if findings:
            out.append((row_index, findings))
    return out
