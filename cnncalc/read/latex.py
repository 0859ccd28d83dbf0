"""LaTeX matrices: ``\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}``, on one line or several.

A mixin of the scanner (``scan._Scanner``): ``\\begin``/``\\end`` close a block,
``\\\\`` ends a row, ``&`` separates, ``\\frac{a}{b}`` is the fraction a/b, and
``0{,}5`` (German typesetting's decimal comma) is refused like ``0,5 0,25``.
"""

from __future__ import annotations

import re
from typing import Any

from cnncalc.read.lines import comma_key, decimal_comma, empty_cell

# LaTeX matrices: \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}
_LATEX_SPLIT_RE = re.compile(r"\\begin\s*\{[^}]*\}(?:\s*\{[lcr|\s]*\})?|\\end\s*\{[^}]*\}|\\\\")
_LATEX_FRAC_RE = re.compile(r"\\[dt]?frac\s*\{\s*([^{}]*?)\s*\}\s*\{\s*([^{}]*?)\s*\}")
_LATEX_DROP_RE = re.compile(
    r"\\left\s*[\[(|.]|\\right\s*[\])|.]|\\[\[\]]|\\(?:hline|quad|qquad|displaystyle|phantom\{[^}]*\})"
    r"|\\[,;:! ]|\$+|[{}]"
)
_LATEX_COMMA_RE = re.compile(r"[+-]?\d*\{,\}\d+")  # 0{,}5


class LatexRows:
    """The LaTeX part of the scanner; ``items``, ``error`` and ``_feed_row`` are the scanner's."""

    items: list[Any]

    def error(self, key: str, lineno: int, col: int | None, line: str, **params: Any) -> Exception:
        raise NotImplementedError

    def _feed_row(self, lineno: int, text: str, offset: int, raw: str) -> None:
        raise NotImplementedError

    def _feed_latex(self, lineno: int, body: str, raw: str) -> None:
        """LaTeX matrices: ``\\begin{..}``/``\\end{..}`` close a block, ``\\\\``
        ends a row, ``&`` separates; ``\\frac{a}{b}`` is the fraction a/b. Text in
        front of ``\\begin`` (``K =``) or behind ``\\end`` is a label."""
        body = body.split("%", 1)[0]
        comma = _LATEX_COMMA_RE.search(body)
        if comma is not None:
            token = comma.group()
            raise self.error("read.decimal_comma", lineno, comma.start() + 1, raw, token=token,
                             fixed=token.replace("{,}", "."))
        body = _LATEX_FRAC_RE.sub(
            lambda m: (f"{m.group(1)}/{m.group(2)}").ljust(len(m.group())), body
        )
        pieces: list[tuple[str, int, str]] = []  # (text, offset, what follows it)
        pos = 0
        for m in _LATEX_SPLIT_RE.finditer(body):
            pieces.append((body[pos : m.start()], pos, m.group()[:4]))
            pos = m.end()
        pieces.append((body[pos:], pos, ""))
        after_end = False
        for text, offset, follows in pieces:
            text = _LATEX_DROP_RE.sub(lambda m: " " * len(m.group()), text)
            label = follows == "\\beg" or after_end
            if text.strip() and not label:
                self._check_latex_row(lineno, text, offset, raw)
                self._feed_row(lineno, text, offset, raw)
            if follows in ("\\beg", "\\end"):
                self.items.append(None)
            after_end = follows == "\\end"

    def _check_latex_row(self, lineno: int, text: str, offset: int, raw: str) -> None:
        """A LaTeX row's decimal commas (``0{,}5 & 0{,}25``) and empty cells (``1 & & 3``)."""
        if "," in text or "&" in text:
            part = raw[offset : offset + len(text)]  # one character for each, as for the line
            comma = decimal_comma(text, part, in_brackets=False)
            if comma is not None:
                col, token = comma
                key, fixes = comma_key(token)
                raise self.error(key, lineno, offset + col, raw, token=token, **fixes)
            empty = empty_cell(text)
            if empty is not None:
                raise self.error("read.empty_cell", lineno, offset + empty, raw)
