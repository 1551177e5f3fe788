"""Parsers for numbers, ranges, confidence intervals, hazard ratios and p-values as papers write them.

Handles unicode minus, en/em dashes and "to" in ranges, decimal commas ("36,4"), the Lancet
mid-dot decimal ("0·59"), thousands separators ("1,908"), LaTeX math (``$p = 0.02$``) and
comparison signs (<, ≤, >, ≥). Pure functions, no state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MINUS = "\u2212"
DASHES = "\u2013\u2014\u2012\u2010-"

# A number token: optional sign, digits with optional thousands groups, optional decimal part
# with '.', '·' (mid dot) or ',' (decimal comma).
NUMBER = r"[-\u2212+]?(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:[.\u00b7,]\d+)?"
# Not part of a name such as "RADIANT-3" or "CC-223", nor of a longer token.
_NUMBER_RE = re.compile(rf"(?<![\w.])(?<![\w][-\u2212]){NUMBER}(?![\w])")
_RANGE_SEP = rf"\s*(?:[{DASHES}]|to)\s*"
_RANGE_RE = re.compile(rf"({NUMBER}){_RANGE_SEP}({NUMBER})")
_CI_RE = re.compile(
    rf"(?:9[05]|99)\s*%\s*(?:CI|confidence interval)\s*[,:=]?\s*\[?\(?\s*({NUMBER})"
    rf"\s*(?:%|months?|weeks?|days?)?{_RANGE_SEP}({NUMBER})",
    re.IGNORECASE,
)
_P_RE = re.compile(
    r"(?<![A-Za-z])p\s*(?:-?value)?\s*(=|<|>|≤|≥|<=|>=|\\leq?|\\geq?|\\le|\\ge)\s*"
    # APA style drops the leading zero: "P < .001"
    rf"((?:{NUMBER}|\.\d+)(?:\s*[x×]\s*10\s*[\^]?\s*[-\u2212]\s*\d+)?)",
    re.IGNORECASE,
)
_HR_RE = re.compile(
    r"(?:hazard ratio|\bHR\b)\s*(?:\[HR\]|\(HR\))?\s*(?:for [\w\s-]{1,40}?)?\s*(?:=|:|,|of|was)?\s*"
    rf"({NUMBER})",
    re.IGNORECASE,
)
_LATEX_RE = re.compile(r"\$([^$]*)\$")
_LATEX_COMMANDS = {r"\leq": "≤", r"\geq": "≥", r"\le": "≤", r"\ge": "≥", r"\pm": "±", r"\times": "×"}


@dataclass(frozen=True)
class NumberSpan:
    """A number found in text with its character offsets."""

    value: float
    start: int
    end: int
    text: str


def strip_latex(text: str) -> str:
    """Unwrap inline LaTeX math (``$p = 0.02$`` → ``p = 0.02``), keeping other text as is.

    Keeps the same length is NOT guaranteed; use it for parsing, not for offsets.
    """

    def unwrap(match: re.Match[str]) -> str:
        inner = match.group(1)
        for command, symbol in _LATEX_COMMANDS.items():
            inner = inner.replace(command, symbol)
        return inner.replace("\\%", "%").replace("{", "").replace("}", "")

    return _LATEX_RE.sub(unwrap, text)


def parse_number(token: str) -> float:
    """Parse one number as written: "1,908" → 1908, "36,4" → 36.4, "0·59" → 0.59, "−2" → -2.

    A comma followed by exactly three digits (and an integer part of 1–3 digits) is a thousands
    separator; any other single comma is a decimal comma. Raises ValueError on non-numbers.
    """
    text = token.strip().replace(MINUS, "-").replace("\u00b7", ".")
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    elif re.fullmatch(r"[-+]?\d+,\d+", text):
        text = text.replace(",", ".")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
        raise ValueError(f"not a number: {token!r}")
    return float(text)


def find_numbers(text: str) -> list[NumberSpan]:
    """Every number in ``text`` with offsets (ranges give two numbers)."""
    spans = []
    for match in _NUMBER_RE.finditer(text):
        try:
            spans.append(NumberSpan(parse_number(match.group()), match.start(), match.end(), match.group()))
        except ValueError:
            continue
    return spans


def parse_range(text: str) -> tuple[float, float] | None:
    """First range in ``text``: "0.59–1.00", "54 to 66", "0.27-0.45" → (low, high)."""
    match = _RANGE_RE.search(strip_latex(text))
    if not match:
        return None
    return parse_number(match.group(1)), parse_number(match.group(2))


def parse_ci(text: str) -> tuple[float, float] | None:
    """The confidence interval in ``text``: "95% CI, 0.59–1.00", "(95% CI: 54–66 weeks)"."""
    match = _CI_RE.search(strip_latex(text))
    if not match:
        return None
    return parse_number(match.group(1)), parse_number(match.group(2))


def parse_p_value(text: str) -> str | None:
    """The p-value as written, without "p =": "P < 0.001" → "<0.001", "$p = 0.02$" → "0.02"."""
    match = _P_RE.search(strip_latex(text))
    if not match:
        return None
    sign = {"=": "", "<=": "≤", ">=": "≥", "\\le": "≤", "\\leq": "≤", "\\ge": "≥", "\\geq": "≥"}.get(
        match.group(1), match.group(1)
    )
    value = re.sub(r"\s+", "", match.group(2)).replace(MINUS, "-").replace("\u00b7", ".")
    return f"{sign}{value}"


def parse_hr(text: str) -> float | None:
    """The hazard ratio in ``text``: "hazard ratio = 0.77", "HR 0.35", "HR: 0.35"."""
    match = _HR_RE.search(strip_latex(text))
    return parse_number(match.group(1)) if match else None


# --------------------------------------------------------------------------- located statistics
# The span finders below return every match with its offsets, so that a sentence holding several
# hazard ratios or p-values can attach each to the value it follows. They expect text without
# LaTeX (callers blank markup first, keeping offsets).

# Like _CI_RE, but also accepts the spelled-out "confidence interval (CI)" form.
_CI_SPAN_RE = re.compile(
    rf"(?:9[05]|99)\s*%\s*(?:CI|confidence interval(?:\s*\(CI\))?)\s*[,:=]?\s*\[?\(?\s*({NUMBER})"
    rf"\s*(?:%|months?|weeks?|days?)?{_RANGE_SEP}({NUMBER})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Located:
    """A parsed statistic and the character span it was read from."""

    value: float | tuple[float, float] | str
    start: int
    end: int


def _format_p(match: re.Match[str]) -> str:
    sign = {"=": "", "<=": "≤", ">=": "≥", "\\le": "≤", "\\leq": "≤", "\\ge": "≥", "\\geq": "≥"}.get(
        match.group(1), match.group(1)
    )
    value = re.sub(r"\s+", "", match.group(2)).replace(MINUS, "-").replace("\u00b7", ".")
    return f"{sign}{value}"


def find_hrs(text: str) -> list[Located]:
    """Every hazard ratio in ``text`` (value: float)."""
    return [Located(parse_number(m.group(1)), m.start(), m.end()) for m in _HR_RE.finditer(text)]


def find_cis(text: str) -> list[Located]:
    """Every confidence interval in ``text`` (value: (low, high))."""
    return [
        Located((parse_number(m.group(1)), parse_number(m.group(2))), m.start(), m.end())
        for m in _CI_SPAN_RE.finditer(text)
    ]


def find_p_values(text: str) -> list[Located]:
    """Every p-value in ``text`` as written without "p =" (value: str, e.g. "<0.001")."""
    return [Located(_format_p(m), m.start(), m.end()) for m in _P_RE.finditer(text)]
