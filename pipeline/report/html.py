"""Render the self-contained HTML report: inline CSS, inline PNG plots, every value escaped.

Texts come from PDFs and may be hostile, so every string passes through :func:`esc` or
:func:`highlight`; the page loads nothing from anywhere (no URLs, fonts or scripts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;
max-width:1200px;padding:0 16px;color:#222;background:#fff}
h1{font-size:22px}h2{font-size:18px;border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:32px}
h3{font-size:15px;margin:12px 0 6px}
table.summary{border-collapse:collapse;margin:8px 0}
table.summary th,table.summary td{border:1px solid #ccc;padding:4px 10px;text-align:right}
table.summary th:first-child,table.summary td:first-child,table.summary td:nth-child(2){text-align:left}
table.summary thead th{background:#f3f3f3}
img.plot{max-width:100%;display:block;margin:8px 0 16px}
details{border:1px solid #ddd;border-radius:4px;margin:6px 0;padding:4px 10px}
summary{cursor:pointer;font-weight:600}
.err{border-left:4px solid #999;margin:8px 0;padding:4px 10px;background:#fafafa}
.err.fp{border-color:#c0392b}.err.fn{border-color:#e67e22}.err.mm{border-color:#7f8c8d}
.tag{display:inline-block;font-size:11px;font-weight:700;color:#fff;border-radius:3px;
padding:0 5px;margin-right:6px}
.tag.fp{background:#c0392b}.tag.fn{background:#e67e22}.tag.mm{background:#7f8c8d}
.fields{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.evidence{margin:3px 0;font-style:italic}
.where{font-size:12px;color:#555}
mark{background:#fde68a;padding:0 1px}
.legend{background:#f6f8fa;border:1px solid #ddd;padding:8px 12px;border-radius:4px;font-size:13px}
.muted{color:#777}
"""


def esc(value: object) -> str:
    """HTML-escape any value (quotes too: values also land in attributes)."""
    return escape("" if value is None else str(value), quote=True)


def highlight(text: str, terms: Iterable[str | None]) -> str:
    """Escaped ``text`` with every whole-word, case-insensitive occurrence of ``terms`` marked."""
    spans: list[tuple[int, int]] = []
    for term in {t.strip() for t in terms if t and len(t.strip()) >= 2}:
        for found in re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE):
            spans.append(found.span())
    out, position = [], 0
    for start, end in sorted(spans):
        if start < position:  # overlapping terms: keep the earlier mark
            continue
        out += [esc(text[position:start]), "<mark>", esc(text[start:end]), "</mark>"]
        position = end
    out.append(esc(text[position:]))
    return "".join(out)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def summary_table(metrics: dict[str, dict]) -> str:
    """P/R/F1 per label and kind."""
    rows = []
    for label, m in metrics.items():
        for kind, counts in (("triples lenient", m["triples"]["lenient"]),
                             ("triples strict", m["triples"]["strict"]),
                             ("trial statistics", m["stats"]["matched"])):
            cells = [esc(label), esc(kind)] + [_fmt(counts[k]) for k in ("precision", "recall", "f1")]
            cells += [str(counts[k]) for k in ("tp", "fp", "fn")]
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("label", "kind", "P", "R", "F1", "TP", "FP", "FN"))
    return f'<table class="summary"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _terms(record: dict) -> list[str | None]:
    targets = (record.get("target") or "").split("/")
    return [record.get("drug"), record.get("outcome"), record.get("study"), record.get("dose"),
            *targets, *(record.get("combined_with") or [])]


def _describe(record: dict, kind: str) -> str:
    """One line of the record's fields."""
    if kind == "triples":
        parts = [f"drug={record.get('drug')}", f"target={record.get('target')}",
                 f"interaction={record.get('interaction')}", f"outcome={record.get('outcome')}",
                 f"effect={record.get('effect')}"]
        if record.get("combined_with"):
            parts.append(f"with={'+'.join(record['combined_with'])}")
        parts += [f"{flag}" for flag in ("hedged", "negated") if record.get(flag)]
    else:
        parts = [f"{name}={record.get(name)}" for name in
                 ("study", "phase", "drug", "measure", "value", "unit", "n", "hr", "ci_low",
                  "ci_high", "p_value", "dose")]
    return esc(" · ".join(parts))


def _where(record: dict, gold: bool, pdf_href: str | None) -> str:
    """Pointer to the source: gold → seed text; prediction → PDF page (linked) or offsets."""
    if gold:
        return (f"gold {esc(record.get('id'))} · seed {esc(record.get('doc'))}.txt"
                f" · section {esc(record.get('section'))}")
    page = record.get("page")
    if page is not None and pdf_href:
        return f'page {esc(page)} · <a href="{esc(pdf_href)}#page={esc(page)}">open PDF page</a>'
    if page is not None:
        return f"page {esc(page)}"
    if record.get("start") is not None:
        return f"chars {esc(record.get('start'))}–{esc(record.get('end'))}"
    return "no page or offsets given"


def _error(css: str, tag: str, record: dict, kind: str, gold: bool, pdf_href: str | None) -> str:
    return (f'<div class="err {css}"><span class="tag {css}">{tag}</span>'
            f'<span class="fields">{_describe(record, kind)}</span>'
            f'<div class="evidence">{highlight(record.get("evidence") or "", _terms(record))}</div>'
            f'<div class="where">{_where(record, gold, pdf_href)}</div></div>')


def _mismatch(item: dict, kind: str, pdf_href: str | None) -> str:
    gold, pred = item["gold"], item["pred"]
    wrong = ", ".join(item["wrong"])
    return (f'<div class="err mm"><span class="tag mm">MISMATCH</span>wrong: <b>{esc(wrong)}</b>'
            f'<div class="fields">gold: {_describe(gold, kind)}</div>'
            f'<div class="fields">pred: {_describe(pred, kind)}</div>'
            f'<div class="evidence">{highlight(pred.get("evidence") or "", _terms(pred))}</div>'
            f'<div class="where">{_where(pred, False, pdf_href)} · {_where(gold, True, None)}</div></div>')


def error_lists(metrics: dict, pdf_hrefs: dict[str, str]) -> str:
    """Per document, a collapsible list of FN, FP and mismatches for triples and statistics."""
    docs = sorted(set(metrics["triples"]["errors"]) | set(metrics["stats"]["errors"]))
    blocks = []
    for doc in docs:
        href = pdf_hrefs.get(doc)
        body, totals = [], {"fp": 0, "fn": 0, "mismatch": 0}
        for kind, title in (("triples", "Triples"), ("stats", "Trial statistics")):
            errors = metrics[kind]["errors"].get(doc, {"fp": [], "fn": [], "mismatch": []})
            for key in totals:
                totals[key] += len(errors[key])
            items = [_error("fn", "FN", r, kind, True, None) for r in errors["fn"]]
            items += [_error("fp", "FP", r, kind, False, href) for r in errors["fp"]]
            items += [_mismatch(i, kind, href) for i in errors["mismatch"]]
            body.append(f"<h3>{title}</h3>" + ("".join(items) or '<p class="muted">no errors</p>'))
        blocks.append(
            f"<details><summary>{esc(doc)} — {totals['fn']} FN, {totals['fp']} FP, "
            f"{totals['mismatch']} mismatches</summary>{''.join(body)}</details>")
    return "".join(blocks)


LEGEND = """<div class="legend"><b>How to read this.</b>
<span class="tag fn">FN</span>gold record no prediction matched (missed) ·
<span class="tag fp">FP</span>prediction matching no gold record (spurious) ·
<span class="tag mm">MISMATCH</span>matched pair with some fields wrong.
<br><b>Lenient</b>: same drug, target or outcome right, same sentence (evidence token containment
&ge; 0.5). <b>Strict</b>: additionally drug, target, outcome, effect and interaction all right.
<b>Trial statistics</b> match on measure, value and arm (same primary drug, or the same regimen — drug plus combined_with as a set) from the same sentence or table row; primary drug and partners are scored as fields.
Counts are summed over documents (micro-average). <mark>Marked</mark> words are the record's
drug, target, outcome, study or dose as found in the evidence. "–" means undefined (0/0).</div>"""


def splits_table(splits: dict, agreement: dict, gap: dict) -> str:
    """Seed, dev and test side by side, each with its input kinds, the agreement ceiling beside
    every score, and the seed-vs-test gap as the headline figure of generalisation."""
    if not splits:
        return ""
    ceiling = {"triples": agreement.get("triples_f1"), "stats": agreement.get("stats_f1")}
    rows = []
    for split in ("seed", "dev", "test"):
        info = splits.get(split, {})
        scores = info.get("scores", {})
        if not scores and info.get("not_scored"):
            rows.append(f"<tr><td>{esc(split)}</td><td colspan=\"10\" class=\"muted\">not scored in this run "
                        f"({esc(info['not_scored'])}): test papers are scored once, at the end of an issue</td></tr>")
            continue
        if not scores:
            missing = ", ".join(info.get("missing_gold", [])) or "none"
            rows.append(f"<tr><td>{esc(split)}</td><td colspan=\"9\" class=\"muted\">no gold yet "
                        f"(missing: {esc(missing)})</td></tr>")
        for label, s in scores.items():
            cells = [esc(split), esc(label), str(len(info.get("docs", []))) if label != "sentences" else "–"]
            for kind in ("triples", "stats"):
                block = s[kind]
                cells += [_fmt(block["precision"]), _fmt(block["recall"]), _fmt(block["f1"])]
                cells.append(_fmt(ceiling[kind]))
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in (
        "split", "input", "docs", "triples P", "R", "F1", "ceiling", "stats P", "R", "F1", "ceiling"))
    headline = ""
    if gap.get("triples_f1") is not None or gap.get("stats_f1") is not None:
        headline = (f'<p><strong>Generalisation gap (seed text F1 − test PDF F1):</strong> '
                    f'triples {_fmt(gap.get("triples_f1"))}, statistics {_fmt(gap.get("stats_f1"))}.</p>')
    kappa = agreement.get("effect_kappa")
    agree = (f'<p class="muted">Ceiling = agreement of two independent annotators before adjudication '
             f'on {esc(", ".join(agreement.get("docs", [])) or "no document yet")} (same scorer); '
             f'effect-direction kappa {_fmt(kappa)}. Test documents show numbers only: their errors are '
             f'not listed, so rule writers never read them.</p>')
    docs = "".join(f"<li>{esc(split)}: {esc(', '.join(splits.get(split, {}).get('docs', [])) or '–')}</li>"
                   for split in ("seed", "dev", "test"))
    return (f"<h2>Splits: seed, development, test</h2>{headline}"
            f'<table class="summary"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f'{agree}<ul class="muted">{docs}</ul>')


def render_index(metrics: dict[str, dict], plots: dict[str, str], pdf_hrefs: dict[str, dict[str, str]],
                 notes: list[str], splits_html: str = "") -> str:
    """The whole page; ``plots``: caption → PNG data URI; ``pdf_hrefs``: label → doc → PDF link."""
    figures = "".join(f'<h3>{esc(caption)}</h3><img class="plot" alt="{esc(caption)}" src="{uri}">'
                      for caption, uri in plots.items())
    sections = "".join(
        f'<h2>Errors — {esc(label)}</h2>'
        + (f'<p class="muted">documents without gold (not scored): {esc(", ".join(m["unscored_docs"]))}</p>'
           if m["unscored_docs"] else "")
        + error_lists(m, pdf_hrefs.get(label, {}))
        for label, m in metrics.items())
    notes_html = "".join(f"<li>{esc(n)}</li>" for n in notes)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Evaluation report</title><style>{CSS}</style></head><body>"
            f"<h1>Evaluation report: drug–target–outcome triples and trial statistics</h1>"
            f"{LEGEND}{splits_html}<h2>Summary (seeds)</h2>{summary_table(metrics)}<ul class=\"muted\">{notes_html}</ul>"
            f"<h2>Plots</h2>{figures}{sections}</body></html>")
