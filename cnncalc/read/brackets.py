"""Brackets must pair up: an unclosed ``[``, a stray ``]`` or ``[1, 2)`` is an error where it is.

The scanner is lenient about what stands between brackets, so without this check
``[[1, 2], [3, 4]`` (a ``]`` forgotten) would read as a 2×2 matrix, and the next
matrix of the file would join it. ``(`` and ``[`` pair with their own closers
only (``{`` too: Mathematica's lists); full-width forms are already ASCII here. Comments and LaTeX
lines are not looked at (``\\left[`` and ``\\right.`` need not pair).

>>> b = Brackets("x.txt")
>>> b.feed(1, "[[1, 2],", "[[1, 2],"); b.feed(2, " [3, 4]]", " [3, 4]]"); b.finish()
>>> b.feed(1, "[[1, 2], [3, 4]", "[[1, 2], [3, 4]")
>>> try:
...     b.finish()
... except Exception as exc:
...     print(exc)
x.txt:1:1: '[' opened here is never closed: a ']' is missing (line: "[[1, 2], [3, 4]")
"""

from __future__ import annotations

import re

from cnncalc.errors import MatrixFormatError

_PAIRS = {"]": "[", ")": "(", "}": "{"}
_CLOSER = {"[": "]", "(": ")", "{": "}"}
_BRACKET_RE = re.compile(r"[\[\](){}]")


class Brackets:
    """The brackets open so far in a file: (char, line, column, raw line) each."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.stack: list[tuple[str, int, int, str]] = []

    def feed(self, lineno: int, body: str, raw: str) -> None:
        """Take one line's brackets (``body``: the line as read, comment cut off,
        one character for each of ``raw``'s, so columns agree)."""
        stack = self.stack
        for m in _BRACKET_RE.finditer(body):
            char = m.group()
            if char in _CLOSER:
                stack.append((char, lineno, m.start() + 1, raw))
                continue
            if not stack:
                raise MatrixFormatError(
                    "read.bracket_stray", file=self.source, line=lineno, column=m.start() + 1,
                    line_text=raw, token=char, opener=_PAIRS[char],
                )
            opener, line, col, _ = stack.pop()
            if opener != _PAIRS[char]:
                raise MatrixFormatError(
                    "read.bracket_mismatch", file=self.source, line=lineno, column=m.start() + 1,
                    line_text=raw, token=char, opener=opener, closer=_CLOSER[opener],
                    open_line=line, open_col=col,
                )

    def check_closed(self) -> None:
        """Refuse a bracket still open (at the end of the file, or at an ``=`` line)."""
        if self.stack:
            char, line, col, raw = self.stack[-1]
            self.stack.clear()
            raise MatrixFormatError(
                "read.bracket_unclosed", file=self.source, line=line, column=col, line_text=raw,
                token=char, closer=_CLOSER[char],
            )

    finish = check_closed


MAX_NESTING = 64  # brackets open at once: a matrix needs 4 (numpy's repr of a 4-D array)
_BRACKETS_RE = re.compile(r"[()\[\]（）{}]")


def check_nesting(text: str, source: str) -> None:
    """Refuse text nesting brackets deeper than ``MAX_NESTING`` before scanning it (one
    linear pass): 200,000 ``(`` or ``array(`` would otherwise cost the scanner
    quadratic time.

    >>> check_nesting("[[1, 2], [3, 4]]", "x")
    >>> try:
    ...     check_nesting("(" * 100, "x")
    ... except MatrixFormatError as exc:
    ...     print(exc.key, exc.column)
    read.too_deep 65
    """
    if text.count("(") + text.count("[") + text.count("（") + text.count("{") <= MAX_NESTING:
        return
    depth = 0
    for m in _BRACKETS_RE.finditer(text):
        if m.group() in "([（{":
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, m.start()) + 1
                col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
                raise MatrixFormatError(
                    "read.too_deep", file=source, line=line, column=col, limit=MAX_NESTING
                )
        elif depth:
            depth -= 1
