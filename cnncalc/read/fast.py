"""The fast path for plain numeric text (batch grading reads thousands of files).

>>> [g.values.tolist() for g in _parse_simple('1 2\\n3 4', 'x')]
[[[1.0, 2.0], [3.0, 4.0]]]
"""

from __future__ import annotations

import math
import re

import numpy as np

from cnncalc.read.grids import MAX_DECIMALS, Grid

# Fast path (batch grading reads thousands of these): plain decimal numbers
# separated by spaces or tabs, blank lines between blocks. Anything else --
# another character, a ragged row, a token float() refuses -- returns None and
# the full scanner above handles the text (and words its error).
_SIMPLE_TEXT = re.compile(r"[0-9.+\- \t\r\n]*\Z")


def _parse_simple(text: str, source: str) -> list[Grid] | None:
    """The grids of simple numeric text, exactly as the scanner reads them, or None."""
    grids: list[Grid] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        tokens = line.split()
        if tokens:
            if rows and len(tokens) != len(rows[0]):
                return None
            rows.append(tokens)
            lines.append(lineno)
        elif rows:
            grid = _simple_grid(rows, lines, source)
            if grid is None:
                return None
            grids.append(grid)
            rows, lines = [], []
    if rows:
        grid = _simple_grid(rows, lines, source)
        if grid is None:
            return None
        grids.append(grid)
    return grids or None


def _simple_grid(rows: list[list[str]], lines: list[int], source: str) -> Grid | None:
    flat = [t for row in rows for t in row]
    try:
        values = list(map(float, flat))
    except ValueError:
        return None
    if not all(map(math.isfinite, values)):  # 400 digits: the scanner says which is too large
        return None
    shape = (len(rows), len(rows[0]))
    return Grid(
        values=np.array(values, dtype=np.float64).reshape(shape),
        decimals=_decimals([len(t.partition(".")[2]) for t in flat]).reshape(shape),
        source=source,
        lines=tuple(lines),
    )


def _decimals(counts: list[int]) -> np.ndarray:
    """Decimals as written, capped at ``MAX_DECIMALS`` (32,768 zeros must not overflow int16)."""
    arr = np.array(counts, dtype=np.int64)
    np.minimum(arr, MAX_DECIMALS, out=arr)
    return arr.astype(np.int16)
