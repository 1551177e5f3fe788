"""Inline markup of the source texts -> reportlab paragraph markup and plain display text.

The seeds carry Markdown emphasis (``*in vitro*``), HTML ``<sup>``/``<sub>``/``<br>`` and
LaTeX fragments (``$\\alpha$``, ``$p = 0.02$``, ``$^{177}\\text{Lu}$``). A PDF shows them as
styled characters, so the renderer needs the styled markup to draw and the plain text a
reader would extract (the ground truth).
"""

from __future__ import annotations

import html
import re

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "pi": "π", "sigma": "σ", "tau": "τ", "omega": "ω",
    "geq": "≥", "leq": "≤", "ge": "≥", "le": "≤", "pm": "±", "times": "×", "sim": "~",
    "approx": "≈", "cdot": "·", "%": "%",
}


def _latex(expr: str) -> str:
    """A small LaTeX math fragment as reportlab markup (symbols, ^{..}, _{..}, \\text{..})."""
    expr = re.sub(r"\\text\{([^}]*)\}", r"\1", expr)
    expr = re.sub(r"\\(%|[A-Za-z]+)", lambda m: _GREEK.get(m.group(1), m.group(1)), expr)
    expr = re.sub(r"\^\{([^}]*)\}", r"<super>\1</super>", expr)
    expr = re.sub(r"_\{([^}]*)\}", r"<sub>\1</sub>", expr)
    return expr.strip()


def to_markup(text: str) -> str:
    """Reportlab paragraph markup for ``text`` (XML-escaped, styles as tags)."""
    out = html.escape(text, quote=False)
    out = re.sub(r"&lt;br\s*/?&gt;", "<br/>", out)
    out = re.sub(r"&lt;sup&gt;(.*?)&lt;/sup&gt;", r"<super>\1</super>", out)
    out = re.sub(r"&lt;sub&gt;(.*?)&lt;/sub&gt;", r"<sub>\1</sub>", out)
    out = re.sub(r"\$([^$]+)\$", lambda m: _latex(m.group(1)), out)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", out)
    out = re.sub(r"\\([*_\\])", r"\1", out)
    return re.sub(r"[ \t]+", " ", out).strip()


def to_plain(markup: str) -> str:
    """The text a reader sees for ``markup``: tags dropped, entities decoded, spaces collapsed."""
    text = re.sub(r"<br/>", " ", markup)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
