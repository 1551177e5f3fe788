"""Mention-level NER score against ``annotations/mentions`` (DRUG / GENE_OR_PROTEIN).

Gold offsets index the raw seed file; predicted offsets index ``Document.text`` (the canonical
text, which unwraps lines and drops figure/table blocks). The two are aligned on their
non-whitespace characters with difflib; a gold mention whose characters are not all in the
canonical text (a table cell, a caption) is *unreachable* and reported apart.

``python -m pipeline.reconcile.mentions [--gold DIR] [--seeds DIR] [--errors]`` ingests the seeds
that have mention gold, annotates them and prints P/R/F1 per label (exact span and overlap)
plus normalization accuracy on matched mentions.
"""

from __future__ import annotations

import argparse
import bisect
import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.reconcile.normalize import GREEK

PROJECT = Path(__file__).resolve().parents[2]
GOLD_DIR = PROJECT / "annotations" / "mentions"
SEEDS_DIR = PROJECT.parent / "shared" / "seeds"
LABELS = ("DRUG", "GENE_OR_PROTEIN")


@dataclass(frozen=True)
class Span:
    """A mention in canonical-text offsets (``raw_start`` is its offset in the seed file)."""

    start: int
    end: int
    label: str
    text: str
    canonical: str | None
    identifier: str | None
    raw_start: int | None = None


class Alignment:
    """Character map between a raw text and its canonical form, through non-space characters."""

    def __init__(self, raw: str, canonical: str) -> None:
        self.raw_pos = [i for i, ch in enumerate(raw) if not ch.isspace()]
        self.can_pos = [i for i, ch in enumerate(canonical) if not ch.isspace()]
        a = "".join(raw[i] for i in self.raw_pos)
        b = "".join(canonical[i] for i in self.can_pos)
        blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
        self.to_can: dict[int, int] = {}
        self.to_raw: dict[int, int] = {}
        for ia, ib, size in blocks:
            for k in range(size):
                self.to_can[self.raw_pos[ia + k]] = self.can_pos[ib + k]
                self.to_raw[self.can_pos[ib + k]] = self.raw_pos[ia + k]

    def raw_to_canonical(self, start: int, end: int) -> tuple[int, int] | None:
        """Canonical span of raw ``[start, end)``, or None if any of its characters is missing."""
        lo, hi = bisect.bisect_left(self.raw_pos, start), bisect.bisect_left(self.raw_pos, end)
        mapped = [self.to_can.get(i) for i in self.raw_pos[lo:hi]]
        if not mapped or any(m is None for m in mapped):
            return None
        return mapped[0], mapped[-1] + 1

    def canonical_to_raw(self, offset: int) -> int | None:
        """Raw offset of the first non-space canonical character at or after ``offset``."""
        j = bisect.bisect_left(self.can_pos, offset)
        return self.to_raw.get(self.can_pos[j]) if j < len(self.can_pos) else None


def load_gold(gold_dir: Path) -> tuple[dict[str, list[dict]], dict[str, list[tuple[int, int]]]]:
    """Gold mention records per document and the covered raw spans per document."""
    coverage = json.loads((gold_dir / "coverage.json").read_text(encoding="utf-8"))
    gold: dict[str, list[dict]] = {}
    for path in sorted(gold_dir.glob("*.mentions.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        gold[path.name.split(".")[0]] = [json.loads(line) for line in lines if line.strip()]
    return gold, {doc: [tuple(s) for s in spans] for doc, spans in coverage.items()}


def read_seed(seeds_dir: Path, doc: str) -> str:
    with open(seeds_dir / f"{doc}.txt", encoding="utf-8", newline="") as handle:
        return handle.read()


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "pred": n_pred, "gold": n_gold, "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(f, 4)}




def _fold(name: str) -> str:
    """Case-folded name with Greek letters spelled out ("β-elemene" = "beta-elemene")."""
    return "".join(GREEK.get(ch, ch) for ch in name.casefold())


def normalized_equal(gold: Span, pred: Span) -> bool:
    """Same identity: canonical names equal after case-folding (Greek letters spelled out), or identifiers equal."""
    if gold.canonical and pred.canonical and _fold(gold.canonical) == _fold(pred.canonical):
        return True
    return bool(gold.identifier and pred.identifier and gold.identifier == pred.identifier)


def _namespace(identifier: str | None) -> str | None:
    return identifier.split(":", 1)[0] if identifier and ":" in identifier else None


def identifier_pairs(pairs: list[tuple[Span, Span]]) -> list[tuple[Span, Span]]:
    """Matched pairs whose identifiers can be compared: both set, in the same namespace."""
    return [(a, b) for a, b in pairs if _namespace(a.identifier) and _namespace(a.identifier) == _namespace(b.identifier)]


def match_overlap(gold: list[Span], pred: list[Span]) -> list[tuple[Span, Span]]:
    """One-to-one pairs of same-label overlapping spans, exact spans first, then largest overlap."""
    options = []
    for g in gold:
        for p in pred:
            if g.label == p.label and g.start < p.end and p.start < g.end:
                exact = (g.start, g.end) == (p.start, p.end)
                overlap = min(g.end, p.end) - max(g.start, p.start)
                options.append((not exact, -overlap, g.start, p.start, g, p))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for *_, g, p in sorted(options, key=lambda o: o[:4]):
        if id(g) not in used_g and id(p) not in used_p:
            used_g.add(id(g))
            used_p.add(id(p))
            pairs.append((g, p))
    return pairs


def score_spans(gold: list[Span], pred: list[Span]) -> dict:
    """Per-label exact and overlap P/R/F1 and normalization accuracy, with error lists."""
    out: dict = {}
    for label in LABELS:
        g = [s for s in gold if s.label == label]
        p = [s for s in pred if s.label == label]
        exact = {(s.start, s.end) for s in g} & {(s.start, s.end) for s in p}
        pairs = match_overlap(g, p)
        norm_ok = [normalized_equal(a, b) for a, b in pairs]
        comparable = identifier_pairs(pairs)
        id_ok = sum(a.identifier == b.identifier for a, b in comparable)
        matched_g = {id(a) for a, _ in pairs}
        matched_p = {id(b) for _, b in pairs}
        out[label] = {
            "exact": _prf(len(exact), len(p), len(g)),
            "overlap": _prf(len(pairs), len(p), len(g)),
            "normalization": {"correct": sum(norm_ok), "matched": len(pairs),
                              "accuracy": round(sum(norm_ok) / len(pairs), 4) if pairs else 0.0},
            # Catches right names with wrong ids (a class id given for a drug, say).
            "identifiers": {"agree": id_ok, "comparable": len(comparable),
                            "accuracy": round(id_ok / len(comparable), 4) if comparable else 0.0},
            "errors": {
                "false_negatives": [_show(s) for s in g if id(s) not in matched_g],
                "false_positives": [_show(s) for s in p if id(s) not in matched_p],
                "boundary": [f"{_show(a)} ~ {_show(b)}" for a, b in pairs if (a.start, a.end) != (b.start, b.end)],
                "normalization": [f"{_show(a)} -> {b.canonical} {b.identifier}"
                                  for (a, b), ok in zip(pairs, norm_ok) if not ok],
                "identifier": [f"{_show(a)} {a.identifier} -> {b.identifier}"
                               for a, b in comparable if a.identifier != b.identifier],
            },
        }
    return out


def _show(s: Span) -> str:
    return f"{s.text!r}@{s.start} [{s.canonical}]"


def _merge(scores: Iterable[dict]) -> dict:
    """Micro-average of per-document scores."""
    scores = list(scores)
    out: dict = {}
    for label in LABELS:
        parts = [s[label] for s in scores]
        exact_tp = sum(x["exact"]["tp"] for x in parts)
        tp = sum(x["overlap"]["tp"] for x in parts)
        n_pred = sum(x["overlap"]["pred"] for x in parts)
        n_gold = sum(x["overlap"]["gold"] for x in parts)
        correct = sum(x["normalization"]["correct"] for x in parts)
        agree = sum(x["identifiers"]["agree"] for x in parts)
        comparable = sum(x["identifiers"]["comparable"] for x in parts)
        out[label] = {
            "exact": _prf(exact_tp, n_pred, n_gold),
            "overlap": _prf(tp, n_pred, n_gold),
            "normalization": {"correct": correct, "matched": tp, "accuracy": round(correct / tp, 4) if tp else 0.0},
            "identifiers": {"agree": agree, "comparable": comparable,
                            "accuracy": round(agree / comparable, 4) if comparable else 0.0},
            "errors": {k: [e for x in parts for e in x["errors"][k]] for k in parts[0]["errors"]} if parts else {},
        }
    return out


def score_mentions(annotated_by_doc: Mapping, gold_dir: Path = GOLD_DIR, seeds_dir: Path = SEEDS_DIR) -> dict:
    """Score ``{doc_id: AnnotatedDocument}`` against the mention gold in ``gold_dir``.

    Returns ``{"overall": {label: …}, "documents": {doc: {label: …}}, "unreachable": [...]}``; only
    documents with gold are scored, only predictions inside the covered spans count.
    """
    gold_records, coverage = load_gold(Path(gold_dir))
    per_doc: dict[str, dict] = {}
    unreachable: list[str] = []
    for doc, records in gold_records.items():
        if doc not in annotated_by_doc:
            continue
        annotated = annotated_by_doc[doc]
        alignment = Alignment(read_seed(Path(seeds_dir), doc), annotated.doc.text)
        covered = coverage.get(doc, [])
        gold = []
        for r in records:
            span = alignment.raw_to_canonical(r["start"], r["end"])
            if span is None:
                unreachable.append(f"{doc}:{r['start']} {r['text']!r} ({r['label']})")
                continue
            gold.append(Span(span[0], span[1], r["label"], r["text"], r["canonical"], r.get("identifier"),
                             r["start"]))
        pred = []
        for m in annotated.mentions:
            if m.label not in LABELS:
                continue
            raw = alignment.canonical_to_raw(m.start)
            if raw is None or not any(a <= raw < b for a, b in covered):
                continue
            pred.append(Span(m.start, m.end, m.label, m.text, m.canonical, m.identifier, raw))
        per_doc[doc] = score_spans(gold, pred)
    return {"overall": _merge(per_doc.values()), "documents": per_doc, "unreachable": unreachable}


def annotate_seeds(gold_dir: Path = GOLD_DIR, seeds_dir: Path = SEEDS_DIR) -> dict:
    """Ingest and annotate every seed that has mention gold."""
    from pipeline.ingest.reader import read_document
    from pipeline.nlp import annotate

    gold_records, _ = load_gold(Path(gold_dir))
    out = {}
    for doc in gold_records:
        document = read_document(Path(seeds_dir) / f"{doc}.txt")
        out[doc] = annotate(document)
    return out


def format_report(result: dict, errors: bool = False) -> str:
    lines = []
    for label, s in result["overall"].items():
        e, o, n, i = s["exact"], s["overlap"], s["normalization"], s["identifiers"]
        lines.append(
            f"{label:16s} exact P={e['precision']:.3f} R={e['recall']:.3f} F1={e['f1']:.3f} | "
            f"overlap P={o['precision']:.3f} R={o['recall']:.3f} F1={o['f1']:.3f} "
            f"(tp={o['tp']} pred={o['pred']} gold={o['gold']}) | norm acc={n['accuracy']:.3f} "
            f"({n['correct']}/{n['matched']}) | same-namespace id agreement={i['accuracy']:.3f} "
            f"({i['agree']}/{i['comparable']})"
        )
        if errors:
            for kind, items in s["errors"].items():
                for item in items:
                    lines.append(f"    {kind}: {item}")
    lines.append(f"unreachable gold (not in Document.text: tables, captions): {len(result['unreachable'])}")
    if errors:
        lines.extend(f"    {u}" for u in result["unreachable"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD_DIR)
    parser.add_argument("--seeds", type=Path, default=SEEDS_DIR)
    parser.add_argument("--errors", action="store_true", help="list false positives/negatives")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = parser.parse_args(argv)
    result = score_mentions(annotate_seeds(args.gold, args.seeds), args.gold, args.seeds)
    print(json.dumps(result, indent=1) if args.json else format_report(result, args.errors))
    return result


if __name__ == "__main__":
    main()
