"""Prepare adjudication: align two annotators' independent files with the project's scorer.

``python -m pipeline.reconcile.adjudication RAW_DIR DOC OUT.json`` writes, for one document, the
pairs the scorer matches (with the fields on which they differ) and the records only one
annotator has. The adjudicator decides every differing field and every one-sided record;
agreed records are carried over as they are.
"""

from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path

from pipeline.reconcile.compare import compare_stats, compare_triples
from pipeline.reconcile.evaluate import expand_targets
from pipeline.reconcile.io import read_jsonl
from pipeline.reconcile.match import match
from pipeline.reconcile.normalize import load_lexicon


def align(raw_dir: Path, doc: str) -> dict:
    """Matched pairs, differing fields, and one-sided records of annotators A and B."""
    lexicon = load_lexicon()
    out = {"doc": doc}
    for kind, compare in (("triples", compare_triples), ("stats", compare_stats)):
        a = read_jsonl(raw_dir / f"{doc}.A.{kind}.jsonl")
        b = read_jsonl(raw_dir / f"{doc}.B.{kind}.jsonl")
        if kind == "triples":
            a, b = expand_targets(a), expand_targets(b)
        result = match(a, b, partial(compare, lexicon=lexicon))
        out[kind] = {
            "agreed": [{"A": p.gold["id"], "B": p.pred["id"]} for p in result.pairs if p.comparison.strict],
            "differ": [{"A": p.gold["id"], "B": p.pred["id"],
                        "fields": sorted(f for f, ok in p.comparison.fields.items() if not ok)}
                       for p in result.pairs if not p.comparison.strict],
            "only_A": [r["id"] for r in result.false_negatives],
            "only_B": [r["id"] for r in result.false_positives],
        }
    return out


def main(argv: list[str]) -> int:
    raw_dir, doc, out = Path(argv[0]), argv[1], Path(argv[2])
    result = align(raw_dir, doc)
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    for kind in ("triples", "stats"):
        r = result[kind]
        print(f"{doc} {kind}: agreed {len(r['agreed'])}, differ {len(r['differ'])}, "
              f"only A {len(r['only_A'])}, only B {len(r['only_B'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
