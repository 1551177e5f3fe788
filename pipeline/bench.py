"""PDF ingestion benchmark: speed against plain pdfplumber, peak memory and text fidelity.

Usage: ``python -m pipeline.bench [PDF ...]`` (default: corpus/pdf/*.pdf and, if present,
../shared/corpus-real/*.pdf). Fidelity is measured against ``<doc>.truth.txt`` next to a
rendered PDF or ``<doc>.jats.xml`` next to a real one (title + abstract + body).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from pipeline.ingest.fidelity import jats_body_text, word_fidelity
from pipeline.ingest.pdf import ingest_pdf

PROJECT = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    name: str
    pages: int
    ours_s: float
    plain_s: float
    fidelity: tuple[float, float] | None = None
    plain_fidelity: tuple[float, float] | None = None


def default_pdfs() -> list[Path]:
    """Rendered seed PDFs plus the real-publisher corpus beside the project, when present."""
    pdfs = sorted((PROJECT / "corpus" / "pdf").glob("*.pdf"))
    shared = PROJECT.parent / "shared" / "corpus-real"
    return pdfs + sorted(shared.glob("*.pdf"))


def reference_text(pdf: Path) -> str | None:
    """Ground truth for a PDF: its .truth.txt, else its JATS XML, else None."""
    truth = pdf.with_suffix(".truth.txt")
    if truth.exists():
        return truth.read_text(encoding="utf-8")
    jats = pdf.with_suffix(".jats.xml")
    if jats.exists():
        return jats_body_text(jats, include_front=True)
    return None


def plain_extract(pdf: Path) -> tuple[int, str]:
    """Baseline: pdfplumber's extract_words() on every page (text joined for fidelity)."""
    words: list[str] = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            words.extend(w["text"] for w in page.extract_words())
            page.close()
        return len(doc.pages), " ".join(words)


def plain_text(pdf: Path) -> str:
    """pdfplumber's extract_text(), for a reference fidelity figure."""
    with pdfplumber.open(pdf) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def bench_one(pdf: Path, repeat: int = 1) -> Result:
    """Time both extractors on one PDF (best of ``repeat``, interleaved so machine load hits
    both alike) and score fidelity where a reference exists."""
    plain_s = ours_s = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        n_pages, _ = plain_extract(pdf)
        plain_s = min(plain_s, time.perf_counter() - t0)
        t0 = time.perf_counter()
        doc = ingest_pdf(pdf)
        ours_s = min(ours_s, time.perf_counter() - t0)
    result = Result(pdf.stem, n_pages, ours_s, plain_s)
    truth = reference_text(pdf)
    if truth is not None:
        result.fidelity = word_fidelity(doc.text, truth)
        result.plain_fidelity = word_fidelity(plain_text(pdf), truth)
    return result


def _fmt(pair: tuple[float, float] | None) -> str:
    return "      -       -" if pair is None else f"{pair[0]:7.3f} {pair[1]:7.3f}"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one row per PDF plus totals."""
    parser = argparse.ArgumentParser(prog="python -m pipeline.bench", description=__doc__)
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=2, help="timing runs per PDF (best is kept)")
    args = parser.parse_args(argv)
    pdfs = args.pdfs or default_pdfs()
    if not pdfs:
        print("no PDFs to benchmark", file=sys.stderr)
        return 1
    print(f"{'document':44} {'pages':>5} {'ours p/s':>8} {'plain p/s':>9} {'ratio':>5}"
          f" {'recall':>7} {'prec':>7} {'txt-R':>7} {'txt-P':>7}")
    results = []
    for pdf in pdfs:
        r = bench_one(pdf, args.repeat)
        results.append(r)
        print(f"{r.name[:44]:44} {r.pages:5d} {r.pages / r.ours_s:8.1f} {r.pages / r.plain_s:9.1f}"
              f" {r.ours_s / r.plain_s:5.2f} {_fmt(r.fidelity)} {_fmt(r.plain_fidelity)}", flush=True)
    pages = sum(r.pages for r in results)
    ours = sum(r.ours_s for r in results)
    plain = sum(r.plain_s for r in results)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'TOTAL':44} {pages:5d} {pages / ours:8.1f} {pages / plain:9.1f} {ours / plain:5.2f}")
    print(f"peak RSS {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
