"""Scan matrix text into grids, the way students write them.

A text file holds one or more *blocks* separated by blank lines; each block is a
matrix, one row a line. Numbers may be separated by spaces, tabs, ``,`` ``;``
``|`` (Markdown tables) and their full-width forms, wrapped in numpy/Python
brackets, written with a Unicode minus or full-width digits. ``#`` starts a
comment; ``# cnncalc: key=value`` is a directive. Every error names the file,
line and column.

>>> grids = parse_text("1  -1\\n.5 ０.７７\\n\\n[[1, 2], [3, 4]]")
>>> [g.values.tolist() for g in grids]
[[[1.0, -1.0], [0.5, 0.77]], [[1.0, 2.0], [3.0, 4.0]]]
>>> grids[0].decimals.tolist()
[[0, 0], [1, 2]]"""

from __future__ import annotations

import math
import re

import numpy as np

from cnncalc.errors import MatrixFormatError
from cnncalc.read.brackets import Brackets, check_nesting
from cnncalc.read.bulk import _BULK_MIN_CHARS, _parse_bulk
from cnncalc.read.chars import _TRANSLATE
from cnncalc.read.fast import _SIMPLE_TEXT, _parse_simple
from cnncalc.read.grids import MAX_DECIMALS, Grid, Marker
from cnncalc.read.jsontext import grids_from_array, load_json, looks_like_json
from cnncalc.read.latex import LatexRows
from cnncalc.read.lines import comma_key, decimal_comma, empty_cell, no_row, token_hint
from cnncalc.read.mdsheet import tables_only

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}
OPERATORS = {"*", "⊗", "conv", "x", "×", "∗", "⋆"}

_SEP_RE = re.compile(r"[ \t,;|&\"'\r\v\f]+")
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
# a fraction such as 7/9 or -1/9: an exact value (compared by closeness, no decimals needed)
_FRACTION_RE = re.compile(r"^([+-]?)(\d+\.?\d*|\.\d+)/(\d+\.?\d*|\.\d+)$")
FRACTION_DECIMALS = 12  # a fraction is written exactly: checked like a full-precision number
# (-1) written around one number: the number itself, not a bracketed row
_PAREN_NUMBER_RE = re.compile(r"(?<![\w.])\(\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*\)")
_NONFINITE_RE = re.compile(r"^[+-]?(?:nan|inf|infinity)$", re.IGNORECASE)
_MD_RULE_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_DIRECTIVE_RE = re.compile(r"#\s*cnncalc\s*:(.*)$", re.IGNORECASE)
_NO_COLON_RE = re.compile(r"#\s*cnncalc\s+([A-Za-z_][\w-]*\s*=.*)$", re.IGNORECASE)  # "# cnncalc norm=mean"


def _token_decimals(token: str) -> int:
    """Decimals written, at most ``MAX_DECIMALS`` (more says nothing a float can hold).

    >>> _token_decimals("0.25"), _token_decimals("25e-3"), _token_decimals("0e-40000")
    (2, 3, 99)
    """
    mantissa, _, exponent = token.lower().partition("e")
    frac = mantissa.partition(".")[2]
    if len(exponent) > 6:  # 1e-99999999999999999999: no int() of 20 digits needed
        return 0 if exponent[:1] != "-" else MAX_DECIMALS
    return min(MAX_DECIMALS, max(0, len(frac) - (int(exponent) if exponent else 0)))


def _hint_fix(hint: str, token: str) -> str:
    """The number ``token`` was meant to be, written right."""
    if hint == "read.hint.percent":
        return format(float(token[:-1]) / 100, ".15g")
    wrong, right = {"read.hint.full_stop": ("。", "."), "read.hint.letter_o": ("Oo", "00"),
                    "read.hint.letter_l": ("lI", "11")}[hint]
    return token.translate(str.maketrans(wrong, right))


class _Scanner(LatexRows):
    """Turns lines into rows, blank separators, markers and directives."""

    def __init__(self, source: str, allow_nonfinite: bool) -> None:
        self.source = source
        self.allow_nonfinite = allow_nonfinite
        self.items: list[object] = []  # list[float-row tuple] | None (blank) | Marker
        self.directives: list[tuple[int, dict[str, str]]] = []
        self.directive_cols: dict[int, dict[str, int]] = {}  # line -> key -> 1-based column
        self._open: list | None = None  # an open bracket row: [values, decimals, line, raw, col]
        self._depth = 0
        self._row_depth = 0
        self._parens: list[str] = []  # open "(": "group" (a row), "call" (array(...)), "skip" (k=(...))
        self._matlab = False  # the open bracket holds rows split by ';' ([1 2; 3 4])
        self._last_body = ""  # the last line fed to brackets
        # fractions as written, per row: id(values list) -> {index in the row: "2/3"}
        self.fraction_texts: dict[int, dict[int, str]] = {}
        self.brackets = Brackets(source)

    def error(self, key: str, lineno: int, col: int | None, line: str, **params) -> MatrixFormatError:
        token = params.get("token")
        if isinstance(token, str) and len(token) > 40:
            params["token"] = token[:37] + "..."
        return MatrixFormatError(
            key, file=self.source, line=lineno, column=col, line_text=line, **params
        )

    def number(self, token: str, lineno: int, col: int, line: str) -> tuple[float, int]:
        if _NUMBER_RE.match(token):
            value = float(token)
            if math.isinf(value):
                raise self.error("read.out_of_range", lineno, col, line, token=token)
            return value, _token_decimals(token)
        fraction = _FRACTION_RE.match(token)
        if fraction:
            sign, num, den = fraction.groups()
            if float(den) == 0:
                raise self.error("read.zero_denominator", lineno, col, line, token=token)
            value = float(num) / float(den)
            if math.isinf(value):
                raise self.error("read.out_of_range", lineno, col, line, token=token)
            return (-value if sign == "-" else value), FRACTION_DECIMALS
        if _NONFINITE_RE.match(token):
            if self.allow_nonfinite:
                return float(token), -1
            raise self.error("read.nonfinite", lineno, col, line, token=token)
        hint = token_hint(token)
        if hint is not None:  # 0。5, 50%, 1O, l: say what was meant
            raise self.error(hint, lineno, col, line, token=token, fixed=_hint_fix(hint, token))
        raise self.error("read.bad_token", lineno, col, line, token=token)

    def tokens(self, text: str, offset: int) -> list[tuple[str, int]]:
        out = []
        for m in re.finditer(r"[^ \t,;|&\"'\r\v\f]+", text):
            out.append((m.group(), offset + m.start() + 1))
        return out

    def feed(self, lineno: int, raw: str) -> None:
        line = raw.translate(_TRANSLATE)
        directive = _DIRECTIVE_RE.search(line)
        if directive:
            options = self._parse_directive(directive.group(1), directive.start(1), lineno, raw)
            self.directives.append((lineno, options))
        elif "#" in line and (no_colon := _NO_COLON_RE.search(line)):  # else a comment, silently
            raise self.error("read.directive_colon", lineno, no_colon.start() + 1, raw,
                             text=no_colon.group(1).strip())
        if "#" in line and (bad := _SHEET_ERROR_RE.search(line)):  # #DIV/0! is no comment
            raise self.error("read.sheet_error", lineno, bad.start() + 1, raw, token=bad.group())
        body = line.split("#", 1)[0]
        if "(" in body and (acc := _ACCOUNTING_RE.search(body)):  # (0.25): -0.25 in a spreadsheet
            raise self.error("read.accounting", lineno, acc.start() + 1, raw, token=acc.group(), value=acc.group(1))
        if "\\" in body and self._open is None and self._depth == 0:
            self._feed_latex(lineno, body, raw)
            return
        if "**" in body:  # Markdown labels in bold (cnncalc's own: | **1** |, **map 1**)
            body = re.sub(r"\*\*[^*|]*\*\*", lambda m: " " * len(m.group()), body)
            if not body.strip():
                line = body
        if "[" in body or "]" in body or "(" in body or ")" in body or "{" in body or "}" in body:
            self.brackets.feed(lineno, body, raw)
            if "{" in body or "}" in body:  # Mathematica and Wolfram Alpha: {{1, 2}, {3, 4}}
                body = body.replace("{", "[").replace("}", "]")
        if "(" in body or ")" in body or self._parens:
            body = self._paren_rows(body)
        stripped = body.strip()
        if stripped == "=" and self.brackets.stack:  # '=' inside brackets: one was left open
            self.brackets.check_closed()
        if self._open is None and self._depth == 0:
            if not stripped:
                if not line.strip():  # a comment-only line does not split blocks
                    self.items.append(None)
                return
            if stripped == "=" or stripped.lower() in OPERATORS:
                self.items.append(Marker(stripped, lineno))
                return
            if "|" in stripped and _MD_RULE_RE.match(stripped):
                return
            if no_row(stripped):  # ",,," (an empty spreadsheet row) or "A =" parts blocks
                self.items.append(None)
                return
        in_brackets = "[" in body or "]" in body or self._open is not None or self._depth > 0
        self._check_line(lineno, body, raw, in_brackets)
        if in_brackets:
            self._feed_brackets(lineno, body, raw)
            return
        self._feed_row(lineno, body, 0, raw)

    def _check_line(self, lineno: int, body: str, raw: str, in_brackets: bool) -> None:
        """Refuse a decimal comma or an empty cell: read, they would be other numbers."""
        comma = decimal_comma(body, raw, in_brackets=in_brackets)
        if comma is not None:  # "0,5 0,25", "0,5;0,25", "0,5, 0,25", "\"0,5\""
            col, token = comma
            key, fixes = comma_key(token)
            raise self.error(key, lineno, col, raw, token=token, **fixes)
        empty = empty_cell(body)
        if empty is not None:
            raise self.error("read.empty_cell", lineno, empty, raw)

    def _feed_row(self, lineno: int, text: str, offset: int, raw: str) -> None:
        values: list[float] = []
        decimals: list[int] = []
        for token, col in self.tokens(text, offset):
            v, d = self.number(token, lineno, col, raw)
            self._keep_fraction(values, token)
            values.append(v)
            decimals.append(d)
        self.items.append((values, decimals, lineno, raw))

    def _keep_fraction(self, values: list[float], token: str) -> None:
        """Remember the text of a fraction about to be appended to ``values``."""
        if "/" in token and _FRACTION_RE.match(token):
            self.fraction_texts.setdefault(id(values), {})[len(values)] = token

    def _paren_rows(self, body: str) -> str:
        """Parentheses the way students and Python print rows, column for column:
        ``(-1)`` is a number, ``((1, 2), (3, 4))`` rows, ``array(...)`` a call
        around them, ``shape=(2, 2)`` an ignored keyword."""
        body = _PAREN_NUMBER_RE.sub(
            lambda m: " " + m.group(1) + " " * (len(m.group()) - len(m.group(1)) - 1), body
        )
        out = list(body)
        skipping = "skip" in self._parens  # a keyword's value carried from an earlier line
        skip_from = 0
        for m in _PARENS_RE.finditer(body):  # only the parentheses: linear in the line
            i = m.start()
            if m.group() == "(":
                prev = body[i - 1] if i else ""
                j = i - 1  # the last character before i that is not a space
                while j >= 0 and body[j].isspace():
                    j -= 1
                if skipping or (j >= 0 and body[j] == "="):
                    kind = "skip"
                elif prev and (prev.isalnum() or prev in "_."):
                    kind = "call"
                else:
                    kind = "group"
                self._parens.append(kind)
                out[i] = "[" if kind == "group" else " "
                if kind == "skip" and not skipping:
                    skipping, skip_from = True, i
            elif self._parens:
                kind = self._parens.pop()
                out[i] = "]" if kind == "group" else " "
                if skipping and "skip" not in self._parens:
                    out[skip_from:i] = " " * (i - skip_from)
                    skipping = False
        if skipping:
            out[skip_from:] = " " * (len(body) - skip_from)
        return "".join(out)

    def _feed_brackets(self, lineno: int, body: str, raw: str) -> None:
        if self._open is not None and self._open[0] and self._depth == 1:
            self._row_goes_on(lineno, body, raw)
        pos = 0
        for m in re.finditer(r"[\[\];]", body):
            if m.group() == ";":
                # MATLAB's [1 2; 3 4]: inside one bracket level ';' ends a row
                if self._open is None or self._depth != 1:
                    continue
                self._bracket_text(body[pos : m.start()], pos, lineno, raw)
                pos = m.end()
                values, decimals, first, first_raw, start = self._open
                if values:
                    self.items.append((values, decimals, first, first_raw, start))
                self._open = [[], [], lineno, raw, m.start()]
                self._matlab = True
                continue
            self._bracket_text(body[pos : m.start()], pos, lineno, raw)
            pos = m.end()
            if m.group() == "[":
                self._depth += 1
                self._open = [[], [], lineno, raw, m.start()]
                self._row_depth = self._depth
            else:
                if self._open is not None:
                    values, decimals, first, first_raw, start = self._open
                    if values:
                        self.items.append((values, decimals, first, first_raw, start))
                    self._open = None
                self._depth = max(0, self._depth - 1)
                # a closed matrix ends its block; bare rows "[1, 2]" on
                # consecutive lines (print(row) per row) stay one matrix
                if self._depth <= self._row_depth - 2 or (self._matlab and self._depth == 0):
                    self.items.append(None)
                    self._matlab = False
        self._bracket_text(body[pos:], pos, lineno, raw)
        self._last_body = body

    def _row_goes_on(self, lineno: int, body: str, raw: str) -> None:
        """One bracket's row going on to another line: numpy wraps a long 1-D array
        (its first line is long) and Python lists end the line with ','; MATLAB's ``[1 2\n 3 4]``
        is two rows. A short line without a comma is either: refused, not guessed."""
        last = self._last_body.rstrip()
        first = self._open[3].split("#", 1)[0].rstrip() if self._open is not None else ""
        start = re.match(r"\s*(?=[+\-.\d])", body)
        # numpy fills the first line of a wrapped array to about 75 characters
        if start is not None and not last.endswith(",") and len(first) < 50:
            raise self.error("read.bracket_row_break", lineno, start.end() + 1, raw)

    def _bracket_text(self, text: str, offset: int, lineno: int, raw: str) -> None:
        if self._open is None:
            # words outside rows, e.g. "array(" or "dtype=float)", are skipped; a
            # number there would be lost, so it is an error
            for token, col in self.tokens(text, offset):
                if _NUMBER_RE.match(token) or _FRACTION_RE.match(token):
                    raise self.error("read.outside_brackets", lineno, col, raw, token=token)
            return
        for token, col in self.tokens(text, offset):
            v, d = self.number(token, lineno, col, raw)
            self._keep_fraction(self._open[0], token)
            self._open[0].append(v)
            self._open[1].append(d)

    def _parse_directive(self, text: str, start: int, lineno: int, raw: str) -> dict[str, str]:
        """``key=value`` pairs of a directive; ``text`` starts at 0-based column ``start``.
        The 1-based column of each key is kept in ``self.directive_cols[lineno]``."""
        options: dict[str, str] = {}
        cols: dict[str, int] = {}
        for m in re.finditer(r"\S.*?(?=\s+[A-Za-z_][\w-]*\s*=|\s*$)", text):
            part = m.group()
            key, eq, value = part.partition("=")
            if not eq or not key.strip() or not value.strip():
                raise self.error("read.directive", lineno, start + m.start() + 1, raw, text=text.strip())
            name = key.strip().replace("-", "_")
            options[name] = value.strip()
            cols[name] = start + m.start() + 1
        self.directive_cols[lineno] = cols
        return options

    def finish(self, lineno: int) -> None:
        self.brackets.finish()
        if self._open is not None and self._open[0]:
            values, decimals, first, first_raw, start = self._open
            self.items.append((values, decimals, first, first_raw, start))
        self._open = None


def _group_items(scanner: _Scanner) -> list[Grid | Marker]:
    """Collect rows into grids; blank lines and markers close a block."""
    out: list[Grid | Marker] = []
    rows: list[tuple] = []

    def close() -> None:
        if not rows:
            return
        width = len(rows[0][0])
        for values, _, lineno, raw, *start in rows[1:]:
            if len(values) != width:
                col = _column_of_value(raw, min(len(values), width), *start)
                raise MatrixFormatError(
                    "read.ragged",
                    file=scanner.source,
                    line=lineno,
                    column=col,
                    line_text=raw,
                    got=len(values),
                    expected=width,
                )
        texts = None
        if scanner.fraction_texts and any(id(r[0]) in scanner.fraction_texts for r in rows):
            texts = np.full((len(rows), width), None, dtype=object)
            for i, r in enumerate(rows):
                for j, written in scanner.fraction_texts.get(id(r[0]), {}).items():
                    texts[i, j] = written
        out.append(
            Grid(
                values=np.array([r[0] for r in rows], dtype=np.float64),
                decimals=np.array([r[1] for r in rows], dtype=np.int16),
                source=scanner.source,
                lines=tuple(r[2] for r in rows),
                texts=texts,
            )
        )
        rows.clear()

    for item in scanner.items:
        if item is None:
            close()
        elif isinstance(item, Marker):
            close()
            out.append(item)
        elif item[0]:  # type: ignore[index]
            rows.append(item)  # type: ignore[arg-type]
    close()
    return out


def _column_of_value(raw: str, index: int, start: int | None = None) -> int:
    """1-based column where value number ``index`` (0-based) starts, or ends the line.

    ``start`` is where a bracketed row opens (several rows may share a line);
    then only that row is searched, and a short row points just past its last value.
    """
    line = raw.translate(_TRANSLATE).split("#", 1)[0].replace("}", "]")
    if start is not None:
        close = line.find("]", start + 1)
        row = line[start + 1 : close if close >= 0 else len(line)]
        found = list(re.finditer(r"[^ \t,;|\"'\[\]{}\r\v\f]+", row))
        if index < len(found):
            return start + 1 + found[index].start() + 1
        return start + 1 + (found[-1].end() if found else 0) + 1
    found = list(re.finditer(r"[^ \t,;|\"'\[\]{}\r\v\f]+", line))
    if index < len(found):
        return found[index].start() + 1
    return len(line.rstrip()) + 1


_PARENS_RE = re.compile(r"[()]")
# a spreadsheet's error values, exported as text; and an unsigned number alone in brackets,
# the accounting format's negative (a signed one, "(-0.25)", is read)
_SHEET_ERROR_RE = re.compile(r"(?<![^\s,;|&])#(?:DIV/0!|VALUE!|NUM!|N/A|REF!|NAME\?|NULL!|SPILL!|CALC!)")
_ACCOUNTING_RE = re.compile(r"(?<![\w\])])\(\s*(\d+(?:\.\d*)?|\.\d+)\s*\)")
def _scan(text: str, source: str, allow_nonfinite: bool, skip_header: bool = False) -> _Scanner:
    check_nesting(text, source)
    scanner = _Scanner(source, allow_nonfinite)
    lines = text.splitlines()
    header_done = not skip_header
    for i, raw in enumerate(lines):
        if not header_done and raw.strip() and not raw.lstrip().startswith("#"):
            toks = [t for t in _SEP_RE.split(raw.translate(_TRANSLATE).strip()) if t]
            if toks and not any(_NUMBER_RE.match(t) for t in toks):
                continue  # a CSV header such as "c1,c2,c3" (after Excel's "sep=," too)
            header_done = True
        # a Markdown header row is the line right above a |---| rule
        if (
            "|" in raw
            and i + 1 < len(lines)
            and "|" in lines[i + 1]
            and _MD_RULE_RE.match(lines[i + 1].translate(_TRANSLATE))
        ):
            toks = [t for t in _SEP_RE.split(raw.translate(_TRANSLATE).strip()) if t]
            cells = raw.translate(_TRANSLATE).strip().strip("|").split("|")
            # no numbers, or an empty corner cell above row labels (cnncalc's markdown)
            if not any(_NUMBER_RE.match(t) for t in toks) or not cells[0].strip():
                continue
        scanner.feed(i + 1, raw)
    scanner.finish(len(lines))
    return scanner



def parse_text(
    text: str,
    *,
    source: str = "<text>",
    allow_nonfinite: bool = False,
    skip_header: bool = False,
    decimals: bool = True,
) -> list[Grid]:
    """Parse matrix text into its blocks. Markers (``=``) are an error here.

    ``decimals=False`` lets a large plain file skip counting each number's
    decimals (its grids' decimals may then be -1, unknown).

    >>> [g.shape for g in parse_text("1 2\\n3 4\\n\\n5 6\\n7 8")]
    [(2, 2), (2, 2)]
    """
    sheet = tables_only(text, source)  # a filled-in Markdown sheet: its tables are the answers
    if sheet is not None:
        text = sheet
    if text[:1] in "{ \t\r\n\ufeff" and looks_like_json(text):  # cnncalc's --format json as .txt
        return grids_from_array(load_json(text, source, allow_nonfinite), source)
    if len(text) < _BULK_MIN_CHARS and not skip_header and _SIMPLE_TEXT.match(text):
        fast = _parse_simple(text, source)
    else:  # a CSV header is never all numbers: with or without skip_header, one reading
        fast = _parse_bulk(text, source, decimals=decimals)
    if fast is not None:
        return fast
    scanner = _scan(text, source, allow_nonfinite, skip_header)
    grids = []
    for item in _group_items(scanner):
        if isinstance(item, Marker):
            raise MatrixFormatError(
                "read.bad_token",
                file=source,
                line=item.line,
                column=_marker_column(text, item),
                line_text=text.splitlines()[item.line - 1],
                token=item.text,
            )
        grids.append(item)
    if not grids:
        raise MatrixFormatError("read.empty", file=source)
    return grids


def _marker_column(text: str, marker: Marker) -> int:
    line = text.splitlines()[marker.line - 1].translate(_TRANSLATE)
    return line.find(marker.text) + 1
