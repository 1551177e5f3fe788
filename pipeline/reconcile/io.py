"""Read gold and prediction JSON Lines, grouped by document."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Literal

Kind = Literal["triples", "stats"]


def read_jsonl(path: Path) -> list[dict]:
    """Records of a JSON Lines file (blank lines skipped; a missing file is empty)."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def gold_documents(gold_dir: Path) -> list[str]:
    """Documents that have gold: every ``<doc>.triples.jsonl`` or ``<doc>.stats.jsonl``."""
    docs = {p.name.split(".")[0] for p in gold_dir.glob("*.triples.jsonl")}
    docs |= {p.name.split(".")[0] for p in gold_dir.glob("*.stats.jsonl")}
    return sorted(docs)


def load_gold(gold_dir: Path, kind: Kind) -> dict[str, list[dict]]:
    """Gold records per document from ``<doc>.<kind>.jsonl`` (every gold document is a key)."""
    return {doc: read_jsonl(gold_dir / f"{doc}.{kind}.jsonl") for doc in gold_documents(gold_dir)}


def load_predictions(pred_dir: Path, kind: Kind) -> dict[str, list[dict]]:
    """Predicted records per document from ``pred_dir/<kind>.jsonl`` (grouped by ``doc``)."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for record in read_jsonl(pred_dir / f"{kind}.jsonl"):
        grouped[record["doc"]].append(record)
    return dict(grouped)
