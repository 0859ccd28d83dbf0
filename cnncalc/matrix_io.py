"""Read and write matrices and problem files, the way students write them.

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
[[0, 0], [1, 2]]
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cnncalc.errors import MatrixFormatError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}
OPERATORS = {"*", "⊗", "conv", "x", "×", "∗", "⋆"}

# One-for-one replacements keep column numbers true to the original line.
_TRANSLATE = {ord(c): d for c, d in zip("０１２３４５６７８９", "0123456789")}
_TRANSLATE.update(
    {
        ord("−"): "-",  # U+2212 minus sign
        ord("－"): "-",
        ord("﹣"): "-",
        ord("＋"): "+",
        ord("．"): ".",
        ord("，"): ",",
        ord("；"): ";",
        ord("、"): ",",
        ord("｜"): "|",
        ord("［"): "[",
        ord("］"): "]",
        ord("＝"): "=",
        ord("＃"): "#",
        ord("ｅ"): "e",
        ord("Ｅ"): "E",
        ord("\u3000"): " ",
        ord("\u00a0"): " ",
        ord("\ufeff"): " ",
        # word processors: en dash, hyphen, figure dash and thin/narrow/zero-width spaces
        ord("\u2013"): "-",
        ord("\u2010"): "-",
        ord("\u2011"): "-",
        ord("\u2012"): "-",
        ord("\u2009"): " ",
        ord("\u202f"): " ",
        ord("\u200b"): " ",
        ord("／"): "/",
        ord("＆"): "&",
        ord("（"): "(",
        ord("）"): ")",
    }
)
_SEP_RE = re.compile(r"[ \t,;|&\"'\r\v\f]+")
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
# 0,5 written with a decimal comma (flagged when spaces or ';' separate the numbers)
_DECIMAL_COMMA_RE = re.compile(r"(?<![\d.,])[+-]?\d+,\d+(?![\d.,])")
_DIGIT_COMMA_RE = re.compile(r"\d,\d")  # a cheap first look
# a fraction such as 7/9 or -1/9: an exact value (compared by closeness, no decimals needed)
_FRACTION_RE = re.compile(r"^([+-]?)(\d+\.?\d*|\.\d+)/(\d+\.?\d*|\.\d+)$")
FRACTION_DECIMALS = 12  # a fraction is written exactly: checked like a full-precision number
# (-1) written around one number: the number itself, not a bracketed row
_PAREN_NUMBER_RE = re.compile(r"(?<![\w.])\(\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*\)")
# LaTeX matrices: \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}
_LATEX_SPLIT_RE = re.compile(r"\\begin\s*\{[^}]*\}(?:\s*\{[lcr|\s]*\})?|\\end\s*\{[^}]*\}|\\\\")
_LATEX_FRAC_RE = re.compile(r"\\[dt]?frac\s*\{\s*([^{}]*?)\s*\}\s*\{\s*([^{}]*?)\s*\}")
_LATEX_DROP_RE = re.compile(
    r"\\left\s*[\[(|.]|\\right\s*[\])|.]|\\[\[\]]|\\(?:hline|quad|qquad|displaystyle|phantom\{[^}]*\})"
    r"|\\[,;:! ]|\$+|[{}]"
)
_NONFINITE_RE = re.compile(r"^[+-]?(?:nan|inf|infinity)$", re.IGNORECASE)
_MD_RULE_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_DIRECTIVE_RE = re.compile(r"#\s*cnncalc\s*:(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Grid:
    """A matrix as written in a file.

    ``values`` is float64 (rows, cols); ``decimals`` holds how many decimals the
    writer gave each cell (``-1`` where unknown, e.g. from ``.npy``); ``lines``
    is the 1-based line of each row in ``source``.
    """

    values: np.ndarray
    decimals: np.ndarray
    source: str = "<text>"
    lines: tuple[int, ...] = ()

    @property
    def line(self) -> int:
        return self.lines[0] if self.lines else 0

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.values.shape)


@dataclass(frozen=True)
class Marker:
    """A line that is not a row: ``=`` or an operator such as ``*``."""

    text: str
    line: int


@dataclass
class Problem:
    """One problem of a problem file: image channels, kernels, answer maps, options."""

    image: list[Grid]
    kernel: list[Grid]
    answer: list[Grid]
    options: dict[str, str] = field(default_factory=dict)
    line: int = 0

    def image_array(self) -> np.ndarray:
        return stack_grids(self.image)

    def kernel_array(self) -> np.ndarray:
        return stack_grids(self.kernel)


def stack_grids(grids: list[Grid]) -> np.ndarray:
    """One grid gives a 2-D array, several give (n, H, W)."""
    if len(grids) == 1:
        return grids[0].values
    return np.stack([g.values for g in grids])


# --------------------------------------------------------------------------- text


def decode_bytes(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise MatrixFormatError("read.encoding", file=source) from exc
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        raise MatrixFormatError("read.binary", file=source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise MatrixFormatError("read.encoding", file=source) from exc


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a BOM (some editors' "Unicode"): the high byte
    of ASCII characters is 0, and all of it decodes to printable text. None when
    the bytes do not look like that."""
    if len(data) % 2 or len(data) < 2:
        return None
    even, odd = data[0::2], data[1::2]
    for zeros, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.25 * len(zeros) and zeros.count(0) > 2 * other.count(0):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            if all(ch.isprintable() or ch in "\r\n\t\f\v" for ch in text):
                return text
    return None


def _token_decimals(token: str) -> int:
    mantissa, _, exponent = token.lower().partition("e")
    frac = mantissa.partition(".")[2]
    return max(0, len(frac) - (int(exponent) if exponent else 0))


class _Scanner:
    """Turns lines into rows, blank separators, markers and directives."""

    def __init__(self, source: str, allow_nonfinite: bool) -> None:
        self.source = source
        self.allow_nonfinite = allow_nonfinite
        self.items: list[object] = []  # list[float-row tuple] | None (blank) | Marker
        self.directives: list[tuple[int, dict[str, str]]] = []
        self._open: list | None = None  # an open bracket row: [values, decimals, line, raw, col]
        self._depth = 0
        self._row_depth = 0
        self._parens: list[str] = []  # open "(": "group" (a row), "call" (array(...)), "skip" (k=(...))
        self._matlab = False  # the open bracket holds rows split by ';' ([1 2; 3 4])

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
            self.directives.append((lineno, self._parse_directive(directive.group(1), lineno, raw)))
        body = line.split("#", 1)[0]
        if "\\" in body and self._open is None and self._depth == 0:
            self._feed_latex(lineno, body, raw)
            return
        if "**" in body:  # Markdown labels in bold (cnncalc's own: | **1** |, **map 1**)
            body = re.sub(r"\*\*[^*|]*\*\*", lambda m: " " * len(m.group()), body)
            if not body.strip():
                line = body
        if "(" in body or ")" in body or self._parens:
            body = self._paren_rows(body)
        stripped = body.strip()
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
        if "[" in body or "]" in body or self._open is not None or self._depth:
            self._feed_brackets(lineno, body, raw)
            return
        comma = _DECIMAL_COMMA_RE.search(body) if "," in body and _DIGIT_COMMA_RE.search(body) else None
        if (
            comma
            and "," in raw[comma.start() : comma.end()]  # a full-width '，' always separates
            and (";" in body or re.search(r"\d[ \t]+[+-]?\.?\d", body))
        ):
            # "0,5 0,25" or Excel's "0,5;0,25": a decimal comma would silently split numbers
            token = comma.group()
            raise self.error("read.decimal_comma", lineno, comma.start() + 1, raw, token=token,
                             fixed=token.replace(",", "."))
        self._feed_row(lineno, body, 0, raw)

    def _feed_row(self, lineno: int, text: str, offset: int, raw: str) -> None:
        values, decimals = [], []
        for token, col in self.tokens(text, offset):
            v, d = self.number(token, lineno, col, raw)
            values.append(v)
            decimals.append(d)
        self.items.append((values, decimals, lineno, raw))

    def _paren_rows(self, body: str) -> str:
        """Parentheses the way students and Python print rows, column for column:
        ``(-1)`` is a number, ``((1, 2), (3, 4))`` rows, ``array(...)`` a call
        around them, ``shape=(2, 2)`` an ignored keyword."""
        body = _PAREN_NUMBER_RE.sub(
            lambda m: " " + m.group(1) + " " * (len(m.group()) - len(m.group(1)) - 1), body
        )
        out = list(body)
        for i, ch in enumerate(body):
            if ch == "(":
                prev = body[i - 1] if i else ""
                before = body[:i].rstrip()
                if "skip" in self._parens or (before and before[-1] == "="):
                    kind = "skip"
                elif prev and (prev.isalnum() or prev in "_."):
                    kind = "call"
                else:
                    kind = "group"
                self._parens.append(kind)
                out[i] = "[" if kind == "group" else " "
            elif ch == ")" and self._parens:
                kind = self._parens.pop()
                out[i] = "]" if kind == "group" else " "
            elif "skip" in self._parens:
                out[i] = " "
        return "".join(out)

    def _feed_latex(self, lineno: int, body: str, raw: str) -> None:
        """LaTeX matrices: ``\\begin{..}``/``\\end{..}`` close a block, ``\\\\``
        ends a row, ``&`` separates; ``\\frac{a}{b}`` is the fraction a/b. Text in
        front of ``\\begin`` (``K =``) or behind ``\\end`` is a label."""
        body = body.split("%", 1)[0]
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
                self._feed_row(lineno, text, offset, raw)
            if follows in ("\\beg", "\\end"):
                self.items.append(None)
            after_end = follows == "\\end"

    def _feed_brackets(self, lineno: int, body: str, raw: str) -> None:
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
            self._open[0].append(v)
            self._open[1].append(d)

    def _parse_directive(self, text: str, lineno: int, raw: str) -> dict[str, str]:
        options: dict[str, str] = {}
        for part in re.split(r"\s+(?=[A-Za-z_][\w-]*\s*=)", text.strip()):
            if not part:
                continue
            key, eq, value = part.partition("=")
            if not eq or not key.strip() or not value.strip():
                raise self.error("read.directive", lineno, None, raw, text=text.strip())
            options[key.strip().replace("-", "_")] = value.strip()
        return options

    def finish(self, lineno: int) -> None:
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
        out.append(
            Grid(
                values=np.array([r[0] for r in rows], dtype=np.float64),
                decimals=np.array([r[1] for r in rows], dtype=np.int16),
                source=scanner.source,
                lines=tuple(r[2] for r in rows),
            )
        )
        rows.clear()

    for item in scanner.items:
        if item is None:
            close()
        elif isinstance(item, Marker):
            close()
            out.append(item)
        elif item[0]:
            rows.append(item)
    close()
    return out


def _column_of_value(raw: str, index: int, start: int | None = None) -> int:
    """1-based column where value number ``index`` (0-based) starts, or ends the line.

    ``start`` is where a bracketed row opens (several rows may share a line);
    then only that row is searched, and a short row points just past its last value.
    """
    line = raw.translate(_TRANSLATE).split("#", 1)[0]
    if start is not None:
        close = line.find("]", start + 1)
        row = line[start + 1 : close if close >= 0 else len(line)]
        found = list(re.finditer(r"[^ \t,;|\"'\[\]\r\v\f]+", row))
        if index < len(found):
            return start + 1 + found[index].start() + 1
        return start + 1 + (found[-1].end() if found else 0) + 1
    found = list(re.finditer(r"[^ \t,;|\"'\[\]\r\v\f]+", line))
    if index < len(found):
        return found[index].start() + 1
    return len(line.rstrip()) + 1


def _scan(text: str, source: str, allow_nonfinite: bool, skip_header: bool = False) -> _Scanner:
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
        decimals=np.array([len(t.partition(".")[2]) for t in flat], dtype=np.int16).reshape(shape),
        source=source,
        lines=tuple(lines),
    )


def parse_text(
    text: str, *, source: str = "<text>", allow_nonfinite: bool = False, skip_header: bool = False
) -> list[Grid]:
    """Parse matrix text into its blocks. Markers (``=``) are an error here.

    >>> [g.shape for g in parse_text("1 2\\n3 4\\n\\n5 6\\n7 8")]
    [(2, 2), (2, 2)]
    """
    if not skip_header and _SIMPLE_TEXT.match(text):
        simple = _parse_simple(text, source)
        if simple is not None:
            return simple
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


# --------------------------------------------------------------------------- files


def _display_name(path: Path | str) -> str:
    name = str(path)
    if not name.isprintable():  # a NUL or a newline in a name stays on one line
        name = repr(name)[1:-1]
    return name


def _check_path(path: object) -> None:
    """A file name must be non-empty text (or a ``Path``)."""
    from cnncalc.errors import ParameterError

    if not isinstance(path, (str, os.PathLike)):
        raise ParameterError("read.bad_path", value=path)
    if not str(path).strip():
        raise MatrixFormatError("read.no_name", file='""')


def read_bytes(path: Path | str, *, max_bytes: int | None = None) -> bytes:
    """Read a file's bytes, turning OS errors into ``MatrixFormatError``."""
    _check_path(path)
    p = Path(path)
    name = _display_name(path)
    try:
        if p.is_dir():
            raise MatrixFormatError("read.is_directory", file=name)
        if max_bytes is not None:
            size = p.stat().st_size
            if size > max_bytes:
                raise MatrixFormatError("read.too_large", file=name, size=size, limit=max_bytes)
        return p.read_bytes()
    except FileNotFoundError as exc:
        raise MatrixFormatError("read.not_found", file=name) from exc
    except OSError as exc:
        raise MatrixFormatError("read.unreadable", file=name, reason=exc.strerror or str(exc)) from exc
    except ValueError as exc:  # a NUL in the name
        raise MatrixFormatError("read.unreadable", file=name, reason=str(exc)) from exc


def read_grids(
    path: Path | str, *, allow_nonfinite: bool = False, max_bytes: int | None = None
) -> list[Grid]:
    """Read every block of a matrix file as a ``Grid`` (text, .npy, .json or picture)."""
    _check_path(path)
    name = _display_name(path)
    suffix = Path(path).suffix.lower()
    data = read_bytes(path, max_bytes=max_bytes)
    if suffix == ".npy":
        return _grids_from_array(_load_npy(data, name, allow_nonfinite), name)
    if suffix in IMAGE_SUFFIXES:
        return _grids_from_array(_load_image(path, name), name)
    text = decode_bytes(data, name)
    if suffix == ".json" or text.lstrip().startswith("{"):  # cnncalc's JSON saved as .txt
        return _grids_from_array(_load_json(text, name, allow_nonfinite), name)
    return parse_text(
        text, source=name, allow_nonfinite=allow_nonfinite, skip_header=suffix in (".csv", ".tsv")
    )


def read_matrix(
    path: Path | str, *, allow_nonfinite: bool = False, max_bytes: int | None = None
) -> np.ndarray:
    """Read a matrix file: one block gives (H, W), C equal blocks give (C, H, W).

    ``.npy`` and ``.json`` files keep their own 2-D to 4-D shape.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "k.txt"
    >>> _ = p.write_text("1 -1\\n-1 1\\n")
    >>> read_matrix(p).tolist()
    [[1.0, -1.0], [-1.0, 1.0]]
    """
    _check_path(path)
    name = _display_name(path)
    suffix = Path(path).suffix.lower()
    if suffix in (".npy", ".json"):
        data = read_bytes(path, max_bytes=max_bytes)
        if suffix == ".npy":
            return _load_npy(data, name, allow_nonfinite)
        return _load_json(decode_bytes(data, name), name, allow_nonfinite)
    grids = read_grids(path, allow_nonfinite=allow_nonfinite, max_bytes=max_bytes)
    return grids_to_array(grids)


def grids_to_array(grids: list[Grid]) -> np.ndarray:
    """Stack equal-shaped grids; a shape mismatch names the block and its line."""
    first = grids[0]
    for i, g in enumerate(grids[1:], start=2):
        if g.shape != first.shape:
            raise MatrixFormatError(
                "read.block_shapes",
                file=g.source,
                line=g.line,
                column=1,
                block=i,
                got=_shape_text(g.shape),
                expected=_shape_text(first.shape),
            )
    return stack_grids(grids)


def read_text_matrix(text: str, *, source: str = "<stdin>", allow_nonfinite: bool = False) -> np.ndarray:
    """Like ``read_matrix`` for text already in memory (stdin)."""
    return grids_to_array(parse_text(text, source=source, allow_nonfinite=allow_nonfinite))


def _shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(str(n) for n in shape)


def _grids_from_array(arr: np.ndarray, name: str) -> list[Grid]:
    if arr.ndim == 2:
        arr = arr[None]
    elif arr.ndim == 4:
        arr = arr.reshape(-1, *arr.shape[-2:])
    dec = np.full(arr.shape[-2:], -1, dtype=np.int16)
    return [Grid(values=a, decimals=dec, source=name) for a in arr]


def _check_array(arr: np.ndarray, name: str, allow_nonfinite: bool = False) -> np.ndarray:
    if arr.ndim < 2 or arr.ndim > 4:
        if arr.ndim == 1 and arr.size:
            arr = arr[None, :]
        else:
            raise MatrixFormatError("read.dims", file=name, ndim=arr.ndim)
    if arr.size == 0:
        raise MatrixFormatError("read.empty", file=name)
    if not allow_nonfinite and not np.all(np.isfinite(arr)):
        raise MatrixFormatError("read.nonfinite", file=name, token="nan/inf")
    return arr


def _load_npy(data: bytes, name: str, allow_nonfinite: bool = False) -> np.ndarray:
    import io

    if not data.startswith(b"\x93NUMPY"):
        raise MatrixFormatError("read.npy", file=name, reason="no NUMPY header")
    try:
        arr = np.load(io.BytesIO(data), allow_pickle=False)
    except Exception as exc:  # numpy raises ValueError, OSError, EOFError...
        reason = str(exc).splitlines()[0][:100] if str(exc) else type(exc).__name__
        if "pickle" in reason:
            reason = "it holds Python objects (pickle), which cnncalc never loads"
        raise MatrixFormatError("read.npy", file=name, reason=reason) from exc
    if not isinstance(arr, np.ndarray) or arr.dtype.kind not in "biuf":
        raise MatrixFormatError("read.npy_dtype", file=name, dtype=getattr(arr, "dtype", "?"))
    return _check_array(arr.astype(np.float64), name, allow_nonfinite)


def _load_json(text: str, name: str, allow_nonfinite: bool) -> np.ndarray:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MatrixFormatError(
            "read.json", file=name, line=exc.lineno, column=exc.colno, reason=exc.msg
        ) from exc
    except RecursionError as exc:
        raise MatrixFormatError("read.json_deep", file=name) from exc
    if isinstance(data, dict):
        for key in ("output", "weight", "matrix", "data", "values"):
            if key in data:
                data = data[key]
                break
    try:
        arr = np.array(data, dtype=np.float64)
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise MatrixFormatError("read.json_shape", file=name) from exc
    return _check_array(arr, name, allow_nonfinite)


def _load_image(path: Path | str, name: str) -> np.ndarray:
    try:
        from PIL import Image
    except ImportError as exc:
        raise MatrixFormatError("read.image_needs_pillow", file=name) from exc
    try:
        with Image.open(path) as img:
            img.load()
            gray = img.convert("L")
            return np.asarray(gray, dtype=np.float64).copy()
    except Exception as exc:  # Pillow raises many types for bad files
        raise MatrixFormatError("read.image_bad", file=name, reason=str(exc)[:100]) from exc


# --------------------------------------------------------------------------- problems


def parse_problems(text: str, *, source: str = "<text>", allow_nonfinite: bool = False) -> list[Problem]:
    """Parse the seed's homework layout: image, kernel, ``=``, answer, repeated.

    An operator line (``*``, ``⊗``, ``conv``, ``x``) may stand between the image
    and the kernel; then all blocks before it are image channels and all after it
    kernels. Without one, the last block before ``=`` is the kernel. The answer
    has one block per output map. ``# cnncalc: key=value`` directives apply to
    the problems that follow them.

    >>> p = parse_problems("1 2\\n3 4\\n\\n1\\n=\\n1 2\\n3 4")[0]
    >>> p.image_array().tolist(), p.kernel_array().tolist(), len(p.answer)
    ([[1.0, 2.0], [3.0, 4.0]], [[1.0]], 1)
    """
    scanner = _scan(text, source, allow_nonfinite)
    items = _group_items(scanner)
    lines = text.splitlines()
    directives = sorted(scanner.directives)
    problems: list[Problem] = []

    def layout_error(key: str, line: int, **params: object) -> MatrixFormatError:
        return MatrixFormatError(
            key, file=source, line=line, column=1, line_text=lines[line - 1], **params
        )

    pending: list[Grid] = []
    operator_at: int | None = None
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, Grid):
            pending.append(item)
            i += 1
            continue
        if item.text != "=":
            if not pending or operator_at is not None:
                raise layout_error("read.operator_stray", item.line)
            operator_at = len(pending)
            i += 1
            continue
        number = len(problems) + 1
        if operator_at is not None:
            image, kernel = pending[:operator_at], pending[operator_at:]
        else:
            image, kernel = pending[:-1], pending[-1:]
        if not image or not kernel:
            raise layout_error("read.problem_layout", item.line, problem=number)
        # one map per filter, but C blocks across C channels are one filter
        maps = 1 if 1 < len(image) == len(kernel) else len(kernel)
        answer: list[Grid] = []
        j = i + 1
        while j < len(items) and isinstance(items[j], Grid) and len(answer) < maps:
            answer.append(items[j])  # type: ignore[arg-type]
            j += 1
        if not answer:
            raise layout_error("read.problem_no_answer", item.line, problem=number)
        first_line = image[0].line
        options: dict[str, str] = {}
        for lineno, opts in directives:
            if lineno <= first_line:
                options.update(opts)
        problems.append(Problem(image, kernel, answer, options, first_line))
        pending, operator_at = [], None
        i = j
    if pending or not problems:
        if not problems:
            raise MatrixFormatError("read.no_problems", file=source)
        last = pending[-1]
        raise layout_error("read.problem_no_answer", last.line, problem=len(problems) + 1)
    return problems


def read_problems(path: Path | str, *, max_bytes: int | None = None) -> list[Problem]:
    """Read a problem file from disk; see ``parse_problems``."""
    name = _display_name(path)
    return parse_problems(decode_bytes(read_bytes(path, max_bytes=max_bytes), name), source=name)


def looks_like_problem_file(text: str) -> bool:
    """True when some line holds a lone ``=`` (the seed's layout)."""
    return any(line.strip().translate(_TRANSLATE) == "=" for line in text.splitlines())


# --------------------------------------------------------------------------- writing


def matrix_text(array: np.ndarray) -> str:
    """Full-precision text that ``read_matrix`` reads back exactly.

    >>> matrix_text(np.array([[1.0, 0.5], [-2.0, 1 / 3]])).split()
    ['1', '0.5', '-2', '0.3333333333333333']
    """
    from cnncalc.numfmt import format_full

    arr = np.asarray(array, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[None, :]
    maps = arr.reshape(-1, *arr.shape[-2:])
    blocks = ["\n".join("\t".join(format_full(v) for v in row) for row in m.tolist()) for m in maps]
    return "\n\n".join(blocks) + "\n"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A device, FIFO or terminal, and anything under ``/dev`` or ``/proc``
    (``-o /dev/stdout``, ``/dev/null``), is written in place: a rename would
    replace it with a plain file. A symlink is written through: the file it
    points to is replaced and the link stays.
    """
    import stat
    import tempfile

    p = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = p.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    special = str(p).startswith(("/dev/", "/proc/"))  # /dev/stdout may be a redirected file
    if mode is not None and (special or not stat.S_ISREG(mode)) and not stat.S_ISDIR(mode):
        with open(p, "ab") as fh:  # appends, as a shell's stdout does
            fh.write(raw)
        return
    if p.is_symlink():
        p = Path(os.path.realpath(p))
    p.parent.mkdir(parents=True, exist_ok=True)
    # the name cut, so that a 255-byte target still leaves room for the temporary's
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name[:40]}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        # mkstemp makes the file 0600; a report should get the usual 0666 & ~umask
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
