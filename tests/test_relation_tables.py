"""Header-declared drug–target columns (relations/tables.py, patterns/table_roles.tsv): each role
on its own header examples, and the operator on small tables; every negative beside a positive."""

from __future__ import annotations

import pytest

from pipeline.nlp import annotate_text
from pipeline.records import Table
from pipeline.relations.tables import role_findings, role_of, table_roles


@pytest.mark.parametrize("role", table_roles(), ids=lambda r: r.id)
def test_every_role_matches_its_header_example_only(role):
    assert role_of(role.positive) is role
    assert role_of(role.negative) is None


def _found(table: Table, focal=None) -> set[tuple[int, str, str, str]]:
    return {(row, f.agent.name, f.target, f.interaction)
            for row, findings in role_findings(table, annotate_text, focal) for f in findings}


def test_drugs_in_an_inhibitor_column_inhibit_the_protein_their_row_names():
    table = Table(table_id="t1", caption="Table 1 Kinase inhibitors", rows=[
        ["Target", "Substrate", "Inhibitor(s)"],
        ["EGFR", "ATP", "gefitinib, erlotinib"],
        ["", "ATP", "imatinib"]])  # no protein in the row: the caption names none either
    assert _found(table) == {(1, "gefitinib", "EGFR", "inhibits"), (1, "erlotinib", "EGFR", "inhibits")}


def test_a_potency_column_names_its_drug_in_the_header_and_skips_unmeasured_cells():
    table = Table(table_id="t4", rows=[
        ["Values are means ± S.E.M.", "", ""],
        ["Construct", "Imatinib Ki (nM)", "Fold selectivity"],
        ["ABL1", "21.03 ± 0.27", "2896"],
        ["KIT", "n.d.", "n.d."]])
    assert _found(table) == {(2, "imatinib", "ABL1", "inhibits")}


def test_a_row_without_a_protein_takes_the_focal_protein_and_a_table_without_roles_gives_nothing():
    with_roles = Table(table_id="t1", rows=[["Domain", "Inhibitors"], ["Both domains", "captopril"]])
    assert _found(with_roles, focal=("GENE_OR_PROTEIN", "ACE", "HGNC:2707")) == {(1, "captopril", "ACE", "inhibits")}
    without = Table(table_id="t2", rows=[["Domain", "Substrate"], ["EGFR", "captopril"]])
    assert _found(without, focal=("GENE_OR_PROTEIN", "ACE", "HGNC:2707")) == set()
