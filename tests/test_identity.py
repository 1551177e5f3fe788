"""One statement identity (pipeline.identity): ids, store dedup and assembly agree."""

from __future__ import annotations

from pipeline.identity import matches_key, record_id, statement_id
from pipeline.records import TrialStat, Triple
from pipeline.relations.assemble import assemble


def _t(drug, combined=(), evidence="Curcumin reduced viability.", start=0, **kw):
    return Triple(doc="d", drug=drug, combined_with=list(combined), outcome="cell viability",
                  effect=kw.pop("effect", "decreases"), evidence=evidence, rule="r", start=start,
                  end=start + len(evidence), **kw)


def test_curcumin_alone_and_with_cisplatin_are_two_statements():
    alone = _t("curcumin", evidence="Curcumin alone reduced viability.")
    combo = _t("curcumin", ["cisplatin"], evidence="Curcumin plus cisplatin reduced viability.", start=40)
    assert matches_key(alone) != matches_key(combo)
    view = assemble([alone, combo])
    assert len(view) == 2
    assert sorted(a.count for a in view) == [1, 1]
    assert {tuple(a.combined_with) for a in view} == {(), ("cisplatin",)}


def test_regimen_is_a_set_whichever_agent_is_named_first():
    a = _t("curcumin", ["cisplatin"])
    b = _t("cisplatin", ["curcumin"], evidence="Cisplatin with curcumin reduced viability.", start=50)
    assert matches_key(a) == matches_key(b)
    assert statement_id(a) == statement_id(b)
    assert record_id(a) != record_id(b)  # two pieces of evidence
    (merged,) = assemble([a, b])
    assert merged.count == 2 and len(merged.evidence) == 2 and merged.id == statement_id(a)


def test_polarity_is_part_of_identity():
    pos = _t("x")
    neg = _t("x", negated=True, effect="no_effect", start=30)
    assert matches_key(pos) != matches_key(neg)
    assert len(assemble([pos, neg])) == 2


def test_same_statement_twice_in_one_sentence_has_one_id():
    a, b = _t("x"), _t("x")
    assert a.id == b.id  # the store keeps one row


def _s(**kw):
    base = dict(doc="d", measure="hr", hr=2.32, ci_low=1.47, ci_high=3.66, evidence="pooled HR 2.32",
                start=0, end=14, rule="r")
    base.update(kw)
    return TrialStat(**base)


def test_fixed_and_random_estimates_with_equal_numbers_stay_apart():
    fixed, random = _s(analysis_model="fixed"), _s(analysis_model="random")
    assert fixed.id != random.id
    assert matches_key(fixed) != matches_key(random)


def test_table_cells_with_equal_numbers_stay_apart():
    a = _s(source="table", table_id="t1", row=1, column=2, start=None, end=None)
    b = _s(source="table", table_id="t1", row=2, column=2, start=None, end=None)
    assert a.id != b.id
    assert matches_key(a) == matches_key(b)  # the same result, reported twice


def test_ids_are_stable_across_runs():
    assert _s().id == _s().id and _t("x").id == _t("x").id
    assert _s().id.startswith("sta_") and _t("x").id.startswith("tri_")


def _view_t(drug, target, outcome, effect, evidence, negated=False):
    return Triple(doc="d", drug=drug, target=target, outcome=outcome, effect=effect,
                  interaction="inhibits" if target else None, evidence=evidence, rule="r",
                  negated=negated, start=0, end=len(evidence))


def test_assembly_merges_and_infers_target_only_in_the_view():
    statements = [
        _view_t("x", None, "apoptosis", "increases", "X induced apoptosis."),
        _view_t("x", None, "apoptosis", "increases", "Apoptosis was induced by X."),
        _view_t("x", "MTOR", None, None, "X inhibits mTOR."),
    ]
    view = {(a.drug, a.target, a.outcome): a for a in assemble(statements)}
    merged = view[("x", "MTOR", "apoptosis")]
    assert merged.count == 2 and merged.target_inferred and len(merged.evidence) == 2
    assert statements[0].target is None  # statement-level records are untouched


def test_one_record_per_target_with_its_own_identifier():
    from pipeline.relations import one_per_target

    joined = Triple(doc="d", drug="x", target="PI3K/AKT/MTOR", interaction="inhibits",
                    evidence="X inhibits PI3K/AKT/mTOR.", rule="r", start=0, end=24)
    parts = one_per_target(joined)
    assert [t.target for t in parts] == ["PI3K", "AKT", "MTOR"]
    assert parts[2].target_id == "HGNC:3942" and len({t.id for t in parts}) == 3
    single = joined.model_copy(update={"target": "MTOR"})
    assert one_per_target(single) == [single]
