"""The bulk path for large plain CSV/TSV/space-separated files (10^6 cells).

``numpy.loadtxt`` reads the numbers; a whole-array pass counts each number's
decimals. Whatever it cannot read exactly as the scanner does returns None, and
the scanner reads the text (and words the error).

>>> [g.values.tolist() for g in _parse_bulk("1,2\\n3,4\\n", "x")]
[[[1.0, 2.0], [3.0, 4.0]]]
>>> _parse_bulk("1,2\\n3\\n", "x") is None
True
"""

from __future__ import annotations

import re

import numpy as np

from cnncalc.read.grids import Grid

# Bulk fast path (10^6-cell CSV/TSV/space files). numpy.loadtxt's C reader parses
# each field with the C-level routine behind Python's float() (so the very same
# numbers); the bytes are first held to plain ASCII numbers and separators, where
# float()'s grammar and _NUMBER_RE agree. loadtxt splits rows on one delimiter:
# ',' when the text has one (a field "0,5 0,25" then holds a space and is refused,
# the decimal-comma case), else ';', else runs of spaces and tabs. Anything it
# refuses -- a ragged row, an empty field, a bad token -- and anything the scanner
# reads differently -- another character, a lone CR, an overflow -- returns None,
# and the scanner reads the text and words the error (file:line:column).
_BULK_MIN_CHARS = 2048  # below this the per-line path above is cheaper
_BULK_CHARS = b"0123456789.+-eE,; \t\r\n"
_DIGIT_COMMA_DIGIT = re.compile(rb"\d,\d")
_BLANK_LINE = re.compile(rb"\n[ \t]*(?=\n|\Z)")  # a blank line after the first
_WHITE_FIRST = re.compile(rb"[ \t]*(?:\n|\Z)")  # a blank first line
_SEP, _NL, _DIGIT, _DOT, _SIGN, _EXP = range(6)  # byte classes for counting decimals
_BULK_CLASS = bytes(
    _DIGIT if 48 <= i <= 57
    else _DOT if i == 46
    else _SIGN if i in b"+-"
    else _EXP if i in b"eE"
    else _NL if i == 10
    else _SEP
    for i in range(256)
)


def _parse_bulk(text: str, source: str, *, decimals: bool = True) -> list[Grid] | None:
    """The grids of plain numeric text, exactly as the scanner reads them, or None.

    With ``decimals=False`` the grids' decimals are -1 (unknown), as from ``.npy``.

    Notes: one ``bytes.translate`` check, a search for blank lines, then
    ``numpy.loadtxt`` on the lines: about 1.4x ``numpy.loadtxt`` on a 10^6-cell
    file (``bench/bench_reader.py``); counting decimals adds about 0.5x.
    """
    if not text.isascii():
        return None
    data = text.encode("ascii")
    if data.translate(None, _BULK_CHARS):
        return None  # a letter, '#', a bracket, '|', '/', a full-width form...: the scanner's
    has_comma, has_semicolon = b"," in data, b";" in data
    if has_comma and has_semicolon:
        return None  # Excel's "0,5;0,25": the scanner's decimal-comma sentence
    spaced = has_comma and (b" " in data or b"\t" in data)  # one memchr each; ", " costs 40 ms
    if spaced and (b", " in data or b",\t" in data) and _DIGIT_COMMA_DIGIT.search(data):
        return None  # "0,5, 0,25": commas with and without a space, the scanner's decimal comma
    delimiter = "," if has_comma else ";" if has_semicolon else None
    lines = text.splitlines()  # numbered as the scanner numbers them
    grids: list[Grid] = []
    for first, last in _bulk_blocks(data, lines):
        try:
            values = np.loadtxt(
                lines[first - 1 : last],
                dtype=np.float64,
                delimiter=delimiter,
                comments=None,
                quotechar=None,
                ndmin=2,
            )
        except ValueError:
            return None  # ragged, an empty field, a bad token: the scanner words it
        if values.shape[0] != last - first + 1 or not np.isfinite(values).all():
            return None  # 1e999: the scanner names the token
        grids.append(
            Grid(
                values=values,
                decimals=np.full(values.shape, -1, dtype=np.int16),
                source=source,
                lines=tuple(range(first, last + 1)),
            )
        )
    if not grids:
        return None
    if decimals:
        counted = _bulk_decimals(data, sum(g.values.size for g in grids))
        if counted is None:
            return None
        offset = 0
        for i, g in enumerate(grids):
            part = counted[offset : offset + g.values.size].reshape(g.values.shape)
            grids[i] = Grid(values=g.values, decimals=part, source=source, lines=g.lines)
            offset += g.values.size
    return grids


def _bulk_blocks(data: bytes, lines: list[str]) -> list[tuple[int, int]]:
    """(first line, last line), 1-based, of each run of non-blank lines."""
    end = len(data) - 1 if data.endswith(b"\n") else len(data)
    if b"\r" not in data and not _WHITE_FIRST.match(data) and not _BLANK_LINE.search(data, 0, end):
        return [(1, len(lines))] if lines else []  # one block: the common case
    rows = np.flatnonzero([bool(line.strip()) for line in lines])
    if not len(rows):
        return []
    cut = np.flatnonzero(np.diff(rows) > 1)
    firsts = np.concatenate((rows[:1], rows[cut + 1])) + 1
    lasts = np.concatenate((rows[cut], rows[-1:])) + 1
    return list(zip(firsts.tolist(), lasts.tolist()))


def _bulk_decimals(data: bytes, count: int) -> np.ndarray | None:
    """Decimals of each number in reading order, as ``_token_decimals`` counts them.

    The text is already known to be numbers and separators (loadtxt read every
    field): a token is a run of number characters. None when more than 4
    exponent digits or more decimals than int16 holds (the scanner's business).
    """
    has_exp = b"e" in data or b"E" in data
    if b"." not in data and not has_exp:
        return np.zeros(count, dtype=np.int16)
    padded = b" " + data + b" "  # a separator on each side: neighbours need no bounds checks
    u = np.frombuffer(padded, dtype=np.uint8)
    cls = np.frombuffer(padded.translate(_BULK_CLASS), dtype=np.uint8)
    edges = np.flatnonzero(np.diff(cls >= _DIGIT)) + 1
    starts, ends = edges[0::2], edges[1::2]
    if len(starts) != count:
        return None
    dots = np.flatnonzero(cls == _DOT)
    exps = np.flatnonzero(cls == _EXP) if has_exp else dots[:0]
    dot_tok = _token_of(dots, starts, ends)
    exp_tok = _token_of(exps, starts, ends)
    frac_end = ends
    if len(exps):
        frac_end = ends.copy()
        frac_end[exp_tok] = exps
    if len(dots) == count:  # a dot in every number: dot_tok is 0, 1, 2, ...
        out = frac_end - dots - 1
    else:
        out = np.zeros(count, dtype=np.int64)
        out[dot_tok] = frac_end[dot_tok] - dots - 1
    if len(exps):
        signed = cls[exps + 1] == _SIGN
        first = exps + 1 + signed
        ndigits = ends[exp_tok] - first
        if ndigits.max() > 4:
            return None
        power = np.zeros(len(exps), dtype=np.int64)
        for k in range(4):
            more = ndigits > k
            power[more] = power[more] * 10 + (u[first[more] + k].astype(np.int64) - 48)
        power[u[exps + 1] == 45] *= -1
        out[exp_tok] = np.maximum(out[exp_tok] - power, 0)
    if out.max() > np.iinfo(np.int16).max:
        return None
    return out.astype(np.int16)


def _token_of(positions: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The token (index into ``starts``) holding each position."""
    if len(positions) == len(starts) and (positions >= starts).all() and (positions < ends).all():
        return np.arange(len(starts))  # one in every token: the common case, no search
    return np.searchsorted(starts, positions, side="right") - 1
