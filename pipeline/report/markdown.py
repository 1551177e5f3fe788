"""The pull-request summary: a Markdown table of P/R/F1 per label and kind."""

from __future__ import annotations


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def summary_markdown(metrics: dict[str, dict], notes: list[str]) -> str:
    """Markdown with one table row per (label, kind) and the notes as a list."""
    lines = ["## Evaluation", "", "| label | kind | P | R | F1 | TP | FP | FN |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for label, m in metrics.items():
        for kind, c in (("triples lenient", m["triples"]["lenient"]),
                        ("triples strict", m["triples"]["strict"]),
                        ("trial statistics", m["stats"]["matched"])):
            lines.append(f"| {label} | {kind} | {_fmt(c['precision'])} | {_fmt(c['recall'])} | "
                         f"{_fmt(c['f1'])} | {c['tp']} | {c['fp']} | {c['fn']} |")
    lines += [""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"
