"""What a whole line says before its numbers are read: decimal commas, empty cells, labels.

Each check looks at one line (full-width forms already ASCII, the comment cut off)
and returns where and why it cannot be read as numbers, or nothing. They catch the
spreadsheet habits that would otherwise be read silently as other numbers:
``0,5, 0,25`` (a decimal comma among comma separators), ``"0,5","0,25"`` (Excel's
quoted cells), ``1,,3`` (an empty cell) -- and say which lines are no row at all
(``,,,`` from an empty spreadsheet row, MATLAB's ``A =``, ``答案：``).

>>> decimal_comma("0,5, 0,25", "0,5, 0,25", in_brackets=False)
(1, '0,5')
>>> empty_cell("1,,3"), empty_cell("1,2,3,,"), empty_cell("| 1 |  | 3 |")
(3, None, 8)
>>> no_row(",,,"), no_row("A ="), no_row("答案:"), no_row("1,,"), no_row("1 2:")
(True, True, True, False, False)
"""

from __future__ import annotations

import re

# 0,5 written with a decimal comma (flagged when spaces or ';' separate the numbers)
_DECIMAL_COMMA_RE = re.compile(r"(?<![\d.,])[+-]?\d+,\d+(?![\d.,])")
_DIGIT_COMMA_RE = re.compile(r"\d,\d")  # a cheap first look
# numbers separated by spaces, '|' or '&' ("0,5 0,25", "| 0,5 | 0,25 |", "0,5, 0,25")
_SPACED_RE = re.compile(r"\d,?[ \t|&]+[+-]?\.?\d")
_COMMA_SPACE_RE = re.compile(r"\d,[ \t]+[+-]?\.?\d")  # "5, 0": a comma and a space between numbers
_FIRST_COMMA_NUMBER_RE = re.compile(r"(?<![\d.])[+-]?\d+,\d+")
_QUOTED_COMMA_RE = re.compile(r"\"[ \t]*([+-]?[\d.,]*\d,\d[\d.,]*)[ \t]*\"")  # Excel's "0,5", "1,234.5"
# 1,234.5: a thousands separator (flagged, like a decimal comma, when spaces or ';' separate)
_GROUPED_RE = re.compile(r"(?<![\d.,])[+-]?\d{1,3}(?:,\d{3})+\.\d+(?![\d.,])")
# an empty cell between two values: 1,,3  1;;3  1 & & 3  | 1 |  | 3 |  (not at a line's ends)
_EMPTY_CELL_RE = re.compile(
    r"[^\s,;&|][ \t]*[,;&](?:[ \t]*[,;&])+[ \t]*[^\s,;&|]|[^\s|][ \t]*\|(?:[ \t]*\|)+[ \t]*[^\s|]"
)
_SEPARATORS_ONLY_RE = re.compile(r"[ \t,;|&\"'\r\v\f]+\Z")
_LABEL_RE = re.compile(r"[A-Za-z_]\w*[ \t]*=\Z")  # MATLAB/Octave print "A =" above a matrix
# "Answer:", "答案：", "Problem 1:": words ending in a colon (full-width ':' is ':' here)
_COLON_LABEL_RE = re.compile(r"[^:]*[A-Za-z\u3400-\u9fff][^:]*:\Z")


def decimal_comma(body: str, raw: str, *, in_brackets: bool) -> tuple[int, str] | None:
    """(1-based column, token) of a number written with a decimal comma, or None.

    Outside brackets: ``0,5 0,25`` and Excel's ``0,5;0,25`` (a comma inside a number
    and spaces or ``;`` between numbers). Anywhere: ``0,5, 0,25``, commas both with
    and without a space between digits, and ``"0,5"`` in quotes. A full-width ``，``
    always separates. ``1,2,3`` and ``1,2`` stay rows of numbers (docs/decisions.md).
    """
    if "," not in body or not _DIGIT_COMMA_RE.search(body):
        return None
    if '"' in body:
        quoted = _QUOTED_COMMA_RE.search(body)
        if quoted and "," in raw[quoted.start(1) : quoted.end(1)]:
            return quoted.start(1) + 1, quoted.group(1)
    if _COMMA_SPACE_RE.search(body):  # "0,5, 0,25": which commas are decimal points?
        for m in _FIRST_COMMA_NUMBER_RE.finditer(body):
            if "," in raw[m.start() : m.end()]:
                return m.start() + 1, m.group()
    if in_brackets:
        return None
    for pattern in (_DECIMAL_COMMA_RE, _GROUPED_RE):
        comma = pattern.search(body)
        if comma and "," in raw[comma.start() : comma.end()] and (";" in body or _SPACED_RE.search(body)):
            return comma.start() + 1, comma.group()
    return None


def comma_key(token: str) -> tuple[str, dict[str, str]]:
    """The message for a number written with a comma inside: a decimal comma (``0,5``),
    thousands (``1,234.5``), or either (``1,234``).

    >>> comma_key("0,5"), comma_key("1,234.5")[0], comma_key("-1,234")[1]
    (('read.decimal_comma', {'fixed': '0.5'}), 'read.comma_thousands', {'dot': '-1.234', 'plain': '-1234'})
    """
    if "." in token:
        return "read.comma_thousands", {"fixed": token.replace(",", "")}
    if re.fullmatch(r"[+-]?\d{1,3},\d{3}", token):
        return "read.comma_either", {"dot": token.replace(",", "."), "plain": token.replace(",", "")}
    return "read.decimal_comma", {"fixed": token.replace(",", ".")}


def empty_cell(body: str) -> int | None:
    """1-based column of the separator that ends an empty cell between two values, or
    None. Empty cells at a line's start or end are a spreadsheet's margins: read."""
    m = _EMPTY_CELL_RE.search(body)
    if m is None:
        return None
    text = m.group()
    first = min(i for i, ch in enumerate(text) if ch in ",;&|")
    second = min(i for i, ch in enumerate(text) if ch in ",;&|" and i > first)
    return m.start() + second + 1


def no_row(stripped: str) -> bool:
    """True for a line that separates blocks like a blank one: separators only (an
    empty spreadsheet row, ``,,,``), a label ``A =`` (MATLAB and Octave print one) or
    words ending in a colon (``答案：``, ``Problem 1:``; ``1 2:`` is no label)."""
    return (
        _SEPARATORS_ONLY_RE.match(stripped) is not None
        or ("=" in stripped and _LABEL_RE.match(stripped) is not None)
        or (stripped.endswith(":") and _COLON_LABEL_RE.match(stripped) is not None)
    )


# What a student meant by a token that is not a number: (pattern, message key).
_HINTS = (
    (re.compile(r"^[+-]?\d*。\d+$"), "read.hint.full_stop"),
    (re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)[%％]$"), "read.hint.percent"),
    (re.compile(r"^[+-]?[\dOo]*[Oo][\dOo]*\.?[\dOo]*$"), "read.hint.letter_o"),
    (re.compile(r"^[+-]?[\dlI]*[lI][\dlI]*\.?[\dlI]*$"), "read.hint.letter_l"),
)


def token_hint(token: str) -> str | None:
    """The message key that says what ``token`` was probably meant to be, or None.

    >>> token_hint("0。5"), token_hint("50%"), token_hint("1O"), token_hint("l"), token_hint("x")
    ('read.hint.full_stop', 'read.hint.percent', 'read.hint.letter_o', 'read.hint.letter_l', None)
    """
    for pattern, key in _HINTS:
        if pattern.match(token):
            return key
    return None
