"""Curated output: the accepted, edited and added statements as export files and INDRA JSON, and
the extractor scored against the curators' decisions (``evaluate --gold curated``).
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from pathlib import Path

from pipeline.export import STAT_FIELDS, TRIPLE_FIELDS, write_table
from pipeline.review.service import Item, ReviewService

KEPT = ("accepted", "edited", "added")
CURATION_FIELDS = ["id", "status", "curator", "reviewed_at", "orphaned", "kind"]
# INDRA statement types for the pipeline's interactions and effects.
INDRA_TYPES = {"inhibits": "Inhibition", "activates": "Activation", "downregulates": "DecreaseAmount",
               "upregulates": "IncreaseAmount"}
NAMESPACES = {"HGNC": "HGNC", "FPLX": "FPLX", "DRUGBANK": "DRUGBANK", "MESH": "MESH", "CHEBI": "CHEBI",
              "DOID": "DOID", "GO": "GO", "UP": "UP", "PUBCHEM": "PUBCHEM", "EFO": "EFO", "HP": "HP"}


def curated_items(service: ReviewService) -> list[Item]:
    """Every item a curator kept (accepted, edited or added), orphaned ones included."""
    return [i for i in service.items() if i.status in KEPT]


def _row(item: Item, fields: list[str]) -> dict:
    current = item.current
    row = {name: current.get(name) for name in fields}
    row.update(id=item.id, status=item.status, curator=item.updated_by,
               reviewed_at=item.updated_at.isoformat() if item.updated_at else None,
               orphaned=item.orphaned, kind=item.kind)
    return row


def _agent(name: str | None, identifier: str | None) -> dict | None:
    if not name:
        return None
    refs = {"TEXT": name}
    if identifier and ":" in identifier:
        prefix, _, local = identifier.partition(":")
        refs[NAMESPACES.get(prefix.upper(), prefix.upper())] = local if prefix.upper() != "CHEBI" else identifier
    return {"name": name, "db_refs": refs}


def indra_statement(item: Item) -> dict | None:
    """One curated statement as an INDRA statement (JSON form of ``indra.statements``).

    Drug–target pairs become the interaction's type (Complex for "binds"); a drug with only an
    outcome becomes Activation/Inhibition of the outcome as a biological process.
    """
    f = item.current
    drug = _agent(f.get("drug"), f.get("drug_id"))
    if drug is None:
        return None
    target = _agent(f.get("target"), f.get("target_id"))
    evidence = {
        "source_api": "pipeline", "text": f.get("evidence"),
        "annotations": {"doc": item.doc, "statement_id": item.id, "curation": item.status,
                        "curator": item.updated_by, "outcome": f.get("outcome"), "effect": f.get("effect"),
                        "context": f.get("context"), "rule": f.get("rule"), "page": f.get("page"),
                        "section": f.get("section")},
        "epistemics": {"hypothesis": bool(f.get("hedged")), "negated": bool(f.get("negated")),
                       "direct": False, "curated": True},
    }
    stmt_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"pipeline:{item.id}"))
    if target is not None and f.get("interaction") == "binds":
        return {"type": "Complex", "members": [drug, target], "evidence": [evidence], "id": stmt_id,
                "belief": 1.0}
    if target is not None and f.get("interaction") in INDRA_TYPES:
        return {"type": INDRA_TYPES[f["interaction"]], "subj": drug, "obj": target, "evidence": [evidence],
                "id": stmt_id, "belief": 1.0}
    outcome = f.get("outcome")
    if outcome and f.get("effect") in ("increases", "decreases"):
        obj = {"name": outcome, "db_refs": {"TEXT": outcome}}
        kind = "Activation" if f["effect"] == "increases" else "Inhibition"
        return {"type": kind, "subj": drug, "obj": obj, "evidence": [evidence], "id": stmt_id, "belief": 1.0}
    if target is not None:  # direction unknown: INDRA's undirected association
        return {"type": "Association", "members": [
            {"concept": {"name": drug["name"], "db_refs": drug["db_refs"]}},
            {"concept": {"name": target["name"], "db_refs": target["db_refs"]}}],
            "evidence": [evidence], "id": stmt_id, "belief": 1.0}
    return None


def export_curated(service: ReviewService, out_dir: Path) -> dict:
    """Write curated_triples / curated_stats (.jsonl, .csv, .parquet) and indra_statements.json."""
    items = curated_items(service)
    triples = [i for i in items if i.kind in ("statement", "added")]
    stats = [i for i in items if i.kind == "stat"]
    paths = write_table([_row(i, TRIPLE_FIELDS) for i in triples], out_dir, "curated_triples",
                        TRIPLE_FIELDS + CURATION_FIELDS)
    paths += write_table([_row(i, STAT_FIELDS) for i in stats], out_dir, "curated_stats",
                         STAT_FIELDS + CURATION_FIELDS)
    indra = [s for s in (indra_statement(i) for i in triples) if s is not None]
    indra_path = out_dir / "indra_statements.json"
    indra_path.write_text(json.dumps(indra, indent=1, ensure_ascii=False), encoding="utf-8")
    return {"triples": len(triples), "stats": len(stats), "indra": len(indra),
            "files": [str(p) for p in paths + [indra_path]]}


def evaluate_curated(service: ReviewService) -> dict:
    """Score the extractor against the curators, per document and overall.

    Accepted statements are true positives, rejected ones false positives, added ones misses.
    An edited statement was right about something but wrong in a field: strict scoring counts it as
    a false positive and a miss, lenient scoring as a true positive. Merged duplicates and
    unreviewed statements are not scored (the number unreviewed is reported).
    """
    per_doc: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in service.items():
        if item.kind == "stat":
            continue
        counts = per_doc[item.doc]
        counts[item.status] += 1
        if item.orphaned:
            counts["orphaned"] += 1
    out = {"documents": {}, "overall": {}}
    total: dict[str, int] = defaultdict(int)
    for doc, counts in sorted(per_doc.items()):
        out["documents"][doc] = _scores(counts)
        for key, value in counts.items():
            total[key] += value
    out["overall"] = _scores(total)
    return out


def _scores(counts: dict[str, int]) -> dict:
    accepted, rejected, edited = counts.get("accepted", 0), counts.get("rejected", 0), counts.get("edited", 0)
    added = counts.get("added", 0)
    result = {"accepted": accepted, "rejected": rejected, "edited": edited, "added": added,
              "merged": counts.get("merged", 0), "unreviewed": counts.get("to_review", 0)}
    for mode, tp, fp, fn in (("strict", accepted, rejected + edited, added + edited),
                             ("lenient", accepted + edited, rejected, added)):
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        f1 = (2 * precision * recall / (precision + recall)
              if precision is not None and recall is not None and precision + recall else None)
        result[mode] = {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}
    return result


def write_evaluation(result: dict, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / "curated_scores.json"
    json_path.write_text(json.dumps(result, indent=1), encoding="utf-8")
    lines = ["# Extractor against curator decisions", "",
             "| document | accepted | rejected | edited | added | unreviewed | P (strict) | R (strict) | "
             "P (lenient) | R (lenient) |", "|---|---|---|---|---|---|---|---|---|---|"]

    def fmt(v):
        return "–" if v is None else f"{v:.3f}"

    for doc, s in [*result["documents"].items(), ("**overall**", result["overall"])]:
        lines.append(f"| {doc} | {s['accepted']} | {s['rejected']} | {s['edited']} | {s['added']} | "
                     f"{s['unreviewed']} | {fmt(s['strict']['precision'])} | {fmt(s['strict']['recall'])} | "
                     f"{fmt(s['lenient']['precision'])} | {fmt(s['lenient']['recall'])} |")
    md_path = out_dir / "curated_scores.md"
    md_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [json_path, md_path]
