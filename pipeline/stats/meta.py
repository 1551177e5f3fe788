"""Meta-analysis statistics from data: ratio estimates with CIs, I², publication-bias tests,
pooled counts of studies and patients, the analysis model, and Methods thresholds.

The patterns live in ``patterns/meta.tsv`` and ``patterns/context.tsv`` (each row with a positive
and a negative example sentence, run as tests); this module is the engine that applies them:

- a *ratio* pattern names an estimate ("pooled HR", "odds ratio", "RR"); the estimate is the first
  number after the name and a short connector ("for overall survival was"), and its CI is the
  95% CI or the bracketed range that follows it;
- a *percent* pattern (I²) takes the percentage after it; a *p* pattern (Egger/Begg) takes the
  first P value after it;
- the analysis model of an estimate is the nearest fixed/random-effects mention before it in the
  sentence (else the only one in the sentence);
- a sentence stating a decision threshold ("If P > 0.1 and I² < 50%, …") reports no result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.stats.numbers import NUMBER, Located, parse_number

PATTERNS_DIR = Path(__file__).with_name("patterns")
# Between an estimate's name and its number: an abbreviation in brackets, "for <outcome>",
# a verb or sign. No digits, so the number taken is the first one after the name.
_CONNECTOR = (r"(?:\s*(?:\[\w+\]|\(\w+\)))?(?:\s+(?:of|for|in|with)\s+[A-Za-z][\w\s,'’-]{0,70}?)?"
              r"\s*(?:=|:|,|was|were|is|of|was\s+about)?\s*")
_VALUE = rf"(?P<value>{NUMBER})(?![\d.]|\s*%)"
# A CI given as a bare bracketed range right after the estimate: "2.05 (1.51–2.77)", "[0.6, 0.9]".
_BRACKET_CI = re.compile(rf"^\s*[(\[]\s*(?:95\s*%\s*CI[,:]?\s*)?({NUMBER})\s*(?:[-\u2013\u2014,]|to)\s*({NUMBER})\s*[)\];,]")
# I² is a percentage; papers often drop the sign ("I2 = 98.2, P < .001").
_PERCENT = re.compile(rf"^\s*(?:=|:|was|of|,)?\s*(?:was\s+)?({NUMBER})(?![\d.])\s*%?")


@dataclass(frozen=True)
class Pattern:
    id: str
    measure: str  # or, for context rows, a label: fixed | random | n_patients | threshold
    kind: str
    regex: re.Pattern[str]
    positive: str
    negative: str


def _rows(path: Path) -> list[list[str]]:
    lines = [line.rstrip("\n") for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return [line.split("\t") for line in lines[1:]]


@lru_cache(maxsize=1)
def meta_patterns() -> tuple[Pattern, ...]:
    """Rows of ``meta.tsv``: id, measure, kind, pattern, positive, negative."""
    return tuple(Pattern(i, m, k, re.compile(p), pos, neg)
                 for i, m, k, p, pos, neg in _rows(PATTERNS_DIR / "meta.tsv"))


@lru_cache(maxsize=1)
def context_patterns() -> dict[str, Pattern]:
    """Rows of ``context.tsv`` by id: id, label, pattern, positive, negative."""
    return {i: Pattern(i, label, "context", re.compile(p), pos, neg)
            for i, label, p, pos, neg in _rows(PATTERNS_DIR / "context.tsv")}


@dataclass(frozen=True)
class Estimate:
    """One meta-analysis statistic read from a sentence."""

    measure: str
    value: float | None
    start: int
    end: int
    rule: str
    ci: tuple[float, float] | None = None
    p_value: str | None = None
    analysis_model: str | None = None
    n: int | None = None
    n_studies: int | None = None


def is_threshold(text: str) -> bool:
    """A Methods decision rule or a sample-size calculation, not a result."""
    return any(p.regex.search(text) for p in context_patterns().values() if p.measure == "threshold")


def _models(text: str) -> list[tuple[int, str]]:
    found = []
    for key in ("model_fixed", "model_random"):
        pattern = context_patterns()[key]
        found += [(m.start(), pattern.measure) for m in pattern.regex.finditer(text)]
    return sorted(found)


def _model_at(models: list[tuple[int, str]], offset: int) -> str | None:
    before = [label for at, label in models if at <= offset]
    if before:
        return before[-1]
    return models[0][1] if len({label for _, label in models}) == 1 else None


def _ci_after(text: str, end: int, cis: list[Located]) -> tuple[tuple[float, float] | None, int]:
    ci = next((c for c in cis if end <= c.start < end + 40), None)
    if ci is not None:
        return ci.value, ci.end  # type: ignore[return-value]
    bracket = _BRACKET_CI.match(text[end:])
    if bracket:
        low, high = parse_number(bracket.group(1)), parse_number(bracket.group(2))
        if low <= high:
            return (low, high), end + bracket.end()
    return None, end


def find_estimates(text: str, cis: list[Located], ps: list[Located]) -> list[Estimate]:
    """Every meta-analysis statistic in one sentence (markup already blanked), in text order."""
    if is_threshold(text):
        return []
    models = _models(text)
    out: list[Estimate] = []
    taken: list[tuple[int, int]] = []
    for pattern in meta_patterns():
        for name in pattern.regex.finditer(text):
            if any(s <= name.start() < e for s, e in taken):
                continue
            estimate = _read(pattern, name, text, cis, ps, models)
            if estimate is not None:
                out.append(estimate)
                taken.append((estimate.start, estimate.end))
    counts = context_patterns()["pooled_counts"]
    for hit in counts.regex.finditer(text):
        out.append(Estimate("n_patients", None, hit.start(), hit.end(), f"meta:{counts.id}",
                            n=int(parse_number(hit.group("n"))), n_studies=int(hit.group("studies"))))
    return sorted(out, key=lambda e: e.start)


def _read(pattern: Pattern, name: re.Match[str], text: str, cis: list[Located], ps: list[Located],
          models: list[tuple[int, str]]) -> Estimate | None:
    rule = f"meta:{pattern.id}"
    rest = text[name.end():]
    if pattern.kind == "ratio":
        hit = re.match(_CONNECTOR + _VALUE, rest)
        if not hit:
            return None
        end = name.end() + hit.end("value")
        ci, end = _ci_after(text, end, cis)
        return Estimate(pattern.measure, parse_number(hit.group("value")), name.start(), end, rule, ci=ci,
                        analysis_model=_model_at(models, name.start()))
    if pattern.kind == "percent":
        hit = _PERCENT.match(rest)
        if not hit:
            return None
        return Estimate(pattern.measure, parse_number(hit.group(1)), name.start(), name.end() + hit.end(), rule)
    if pattern.kind == "p":
        p = next((p for p in ps if name.end() <= p.start < name.end() + 80), None)
        if p is None:
            return None
        return Estimate(pattern.measure, None, name.start(), p.end, rule, p_value=str(p.value))
    return None
