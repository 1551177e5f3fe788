"""Report plots as inline PNG data URIs (matplotlib ``Figure`` objects: no pyplot, no GUI state)."""

from __future__ import annotations

import base64
import io
import math

from matplotlib.figure import Figure

COLORS = {"precision": "#4c72b0", "recall": "#dd8452", "f1": "#55a868"}
EFFECTS = ["increases", "decreases", "no_effect", "none"]


def _data_uri(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _value(x: float | None) -> float:
    return math.nan if x is None else x  # undefined ratios are gaps, not zeros


def _top_legend(ax) -> None:
    """Room above 1.0 for a one-row legend, so it never hides a bar."""
    ax.set_ylim(0, 1.22)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.legend(fontsize=7, loc="upper center", ncol=4, frameon=False)


def _prf_bars(ax, groups: dict[str, dict], title: str) -> None:
    """Grouped P/R/F1 bars, one group per key of ``groups`` (each a Counts.as_dict())."""
    names = list(groups)
    width = 0.25
    for i, metric in enumerate(COLORS):
        xs = [j + (i - 1) * width for j in range(len(names))]
        ax.bar(xs, [_value(groups[n][metric]) for n in names], width, label=metric,
               color=COLORS[metric])
        for x, y in zip(xs, [groups[n][metric] for n in names]):
            if y is None:  # undefined (0/0): say so instead of leaving an unexplained gap
                ax.text(x, 0.02, "n/a", ha="center", rotation=90, fontsize=7, color="#777")
    ax.set_xticks(range(len(names)), names, rotation=15, ha="right", fontsize=8)
    _top_legend(ax)
    ax.set_title(title, fontsize=10)
    ax.grid(axis="y", alpha=0.3)


def prf_by_document(metrics: dict[str, dict]) -> str:
    """Lenient triple P/R/F1 and stat P/R/F1 per document, one row of panels per label."""
    figure = Figure(figsize=(10, 3.2 * len(metrics)))
    axes = figure.subplots(len(metrics), 2, squeeze=False)
    for row, (label, m) in enumerate(metrics.items()):
        _prf_bars(axes[row][0], {d: v["lenient"] for d, v in m["triples"]["by_doc"].items()},
                  f"{label}: triples (lenient) per document")
        _prf_bars(axes[row][1], {d: v["matched"] for d, v in m["stats"]["by_doc"].items()},
                  f"{label}: trial statistics per document")
    figure.tight_layout()
    return _data_uri(figure)


def prf_by_type(metrics: dict[str, dict]) -> str:
    """Triple P/R/F1 per relation type and mode (lenient, strict), one panel per label."""
    figure = Figure(figsize=(5 * len(metrics), 3.4))
    axes = figure.subplots(1, len(metrics), squeeze=False)[0]
    for ax, (label, m) in zip(axes, metrics.items()):
        groups = {f"{kind.replace('_', '–')}\n{mode}": modes[mode]
                  for kind, modes in m["triples"]["by_type"].items() for mode in ("lenient", "strict")}
        _prf_bars(ax, groups, f"{label}: triples per relation type")
    figure.tight_layout()
    return _data_uri(figure)


def effect_confusion(metrics: dict[str, dict]) -> str:
    """Effect direction, gold (rows) vs predicted (columns), on matched triple pairs."""
    figure = Figure(figsize=(4.2 * len(metrics), 3.8))
    axes = figure.subplots(1, len(metrics), squeeze=False)[0]
    for ax, (label, m) in zip(axes, metrics.items()):
        table = m["triples"]["effect_confusion"]
        grid = [[table.get(g, {}).get(p, 0) for p in EFFECTS] for g in EFFECTS]
        ax.imshow(grid, cmap="Blues")
        for i, row in enumerate(grid):
            for j, count in enumerate(row):
                ax.text(j, i, str(count), ha="center", va="center", fontsize=9,
                        color="white" if count > max(map(max, grid)) / 2 else "black")
        ax.set_xticks(range(len(EFFECTS)), EFFECTS, rotation=30, ha="right", fontsize=8)
        ax.set_yticks(range(len(EFFECTS)), EFFECTS, fontsize=8)
        ax.set_xlabel("predicted", fontsize=9)
        ax.set_ylabel("gold", fontsize=9)
        ax.set_title(f"{label}: effect direction", fontsize=10)
    figure.tight_layout()
    return _data_uri(figure)


def field_accuracy(metrics: dict[str, dict], kind: str) -> str:
    """Per-field accuracy on matched pairs of ``kind`` ("triples" or "stats"), bars per label."""
    fields = list(next(iter(metrics.values()))[kind]["fields"])
    figure = Figure(figsize=(10, 3.2))
    ax = figure.subplots()
    width = 0.8 / len(metrics)
    for i, (label, m) in enumerate(metrics.items()):
        xs = [j + i * width - 0.4 + width / 2 for j in range(len(fields))]
        ax.bar(xs, [_value(m[kind]["fields"][f]["accuracy"]) for f in fields], width, label=label)
    ax.set_xticks(range(len(fields)), fields, fontsize=8)
    _top_legend(ax)
    ax.set_ylabel("accuracy on matched pairs", fontsize=8)
    ax.set_title(f"{'trial statistic' if kind == 'stats' else 'triple'} field accuracy", fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    return _data_uri(figure)


def score_history(history: list[dict]) -> str:
    """F1 of every (label, kind) across evaluation runs, oldest first."""
    runs = list(dict.fromkeys(row["run_id"] for row in history))
    series: dict[str, dict[str, float]] = {}
    for row in history:
        if row["metric"] == "f1":
            series.setdefault(f"{row['label']} {row['kind']}", {})[row["run_id"]] = row["value"]
    figure = Figure(figsize=(10, 3.2))
    ax = figure.subplots()
    for name, values in sorted(series.items()):
        ax.plot(range(len(runs)), [_value(values.get(r)) for r in runs], marker="o", label=name)
    times = {row["run_id"]: row["at"][:19].replace("T", " ") for row in history}
    ax.set_xticks(range(len(runs)), [times[r] for r in runs], rotation=20, ha="right", fontsize=7)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("F1", fontsize=8)
    ax.set_title("score history (one point per evaluation run)", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    figure.tight_layout()
    return _data_uri(figure)
