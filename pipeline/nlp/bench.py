"""Speed check: NER + normalization time relative to the bare parser on the same texts.

``python -m pipeline.nlp.bench [files…]`` (default: the seeds in ../shared/seeds). Both are
timed in this run after warm-up; the target is a ratio ≤ 1.3.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pipeline.nlp.annotate import annotate_text, tagger

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
REPEATS = 3


def best_of(func, texts: list[str]) -> float:
    """Fastest of ``REPEATS`` passes over all texts, in seconds."""
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for text in texts:
            func(text)
        timings.append(time.perf_counter() - start)
    return min(timings)


def main(argv: list[str] | None = None) -> float:
    """Print parser time, full annotate time and their ratio; return the ratio."""
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or sorted(SEEDS.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths if p.name != "README.md"]
    nlp = tagger().nlp  # loads model, lexicon and matchers before timing
    annotate_text(texts[0])
    extra = [name for name in ("abbreviation_detector",) if name in nlp.pipe_names]
    with nlp.select_pipes(disable=extra):
        parser_only = best_of(nlp, texts)
    full = best_of(annotate_text, texts)
    ratio = full / parser_only
    chars = sum(map(len, texts))
    print(f"texts: {len(texts)} ({chars} chars)")
    print(f"bare parser (model pipes only): {parser_only:.3f} s")
    print(f"annotate (parser + NER + normalization): {full:.3f} s")
    print(f"ratio: {ratio:.2f}x (target <= 1.3x)")
    return ratio


if __name__ == "__main__":
    main()
