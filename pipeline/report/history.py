"""Score history: store this evaluation's headline scores and read all runs back."""

from __future__ import annotations

from pipeline.store import repository as repo

# (kind in the score table, path into one label's metrics)
SCORED = {
    "triples_lenient": ("triples", "lenient"),
    "triples_strict": ("triples", "strict"),
    "stats": ("stats", "matched"),
}


def score_rows(metrics: dict[str, dict]) -> list[tuple[str, str, str, float]]:
    """(label, kind, metric, value) rows of the micro-averaged scores; undefined ones are skipped."""
    rows = []
    for label, m in metrics.items():
        for kind, (part, mode) in SCORED.items():
            for metric in ("precision", "recall", "f1"):
                value = m[part][mode][metric]
                if value is not None:
                    rows.append((label, kind, metric, float(value)))
    return rows


def record_and_read(db_url: str, metrics: dict[str, dict], params: dict) -> tuple[str, list[dict]]:
    """Store this run's scores; returns its run id and the whole history, oldest first."""
    engine = repo.connect(db_url)
    run_id = repo.start_run(engine, "evaluate", params)
    repo.save_scores(engine, run_id, score_rows(metrics))
    return run_id, repo.score_history(engine)
