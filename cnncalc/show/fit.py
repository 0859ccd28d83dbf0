"""Tables and sentences on a terminal narrower than they are: no number is ever cut.

rich shrinks a table that is wider than the console by cutting cells to ``…``;
a student loses the very digits they came for. Here every table is measured
first. One that fits is printed as it always was; one that does not is laid
out again: its text columns wrap between words (never inside a number), and when
its numbers still do not fit on one line, its columns are shown in blocks of
consecutive columns, each headed with its column range, the row labels repeated
in every block. Widths are terminal cells: a Chinese character takes two.

A number wider than the whole terminal is printed whole on a line of its own
width (the terminal then folds that line): shown, never cut.

>>> wrap_text("Mean (norm=mean, 9 kernel cells): 7 / 9 = 0.77", 20, indent="  ")
['Mean (norm=mean, 9', '  kernel cells): 7 /', '  9 = 0.77']
>>> wrap_text("例如格子 (1, 1)：你写的是 0.77 = 7/9，正确的值是 7。", 16)
['例如格子', '(1, 1)：你写的是', '0.77 = 7/9，正确', '的值是 7。']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Wide (double-cell) scripts: a line may break between any two of their characters.
_WIDE = "\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
# a cell written (1, 2) is one piece; spaces end other pieces; a wide character is one
_TOKEN = re.compile(rf"\(\d+, \d+\)[^\s{_WIDE}]*|\s+|[{_WIDE}]|[^\s{_WIDE}]+")
_NO_LINE_START = set("，。、；：！？）》」』】〉”’")  # stays with the token before it
_NO_LINE_END = set("（《「『【〈“‘")  # stays with the token after it
# where a long run of letters, digits and signs may break: after , ; | when no digit follows
# (so 1,234 stays whole), and before an opening parenthesis
_SOFT_BREAK = re.compile(r"(?<=[,;|])(?=[^\d])|(?=\()")
NUMBER = re.compile(r"[-+−]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
GAP = 3  # between two columns of a table: a space of padding, the divider, a space


def cells(text: str) -> int:
    """Terminal cells the widest line of ``text`` takes (a Chinese character is 2)."""
    from rich.cells import cell_len

    return max((cell_len(line) for line in str(text).split("\n")), default=0)


def _pieces(text: str) -> list[tuple[str, bool]]:
    """Unbreakable pieces of one line of text, each with whether a space stood before it."""
    pieces: list[tuple[str, bool]] = []
    space = False
    glue_next = False
    for token in _TOKEN.findall(text):
        if token.isspace():
            space = True
            glue_next = False
            continue
        if pieces and not space and (glue_next or token[0] in _NO_LINE_START):
            last, before = pieces[-1]
            pieces[-1] = (last + token, before)
        else:
            pieces.append((token, space))
        glue_next = token[-1] in _NO_LINE_END
        space = False
    return pieces


def _split_long(piece: str, width: int) -> list[str]:
    """A piece wider than ``width``: split at its soft breaks, then by cells, but never
    inside a number (a number wider than ``width`` stays whole)."""
    parts = [p for p in _SOFT_BREAK.split(piece) if p]
    out: list[str] = []
    for part in parts:
        if out and cells(out[-1] + part) <= width:
            out[-1] += part
        else:
            out.extend(_chop(part, width))
    return out


def _chop(part: str, width: int) -> list[str]:
    if cells(part) <= width:
        return [part]
    inside: set[int] = set()  # positions a cut may not fall on: inside a number
    for match in NUMBER.finditer(part):
        inside.update(range(match.start() + 1, match.end()))
    cut = 0
    while cut < len(part) and cells(part[: cut + 1]) <= width:
        cut += 1
    while cut in inside and cut > 0:
        cut -= 1
    if cut == 0:  # a number wider than the line: the whole number, then the rest
        cut = next((m.end() for m in NUMBER.finditer(part) if m.start() == 0), 1)
    return [part[:cut], *_chop(part[cut:], width)] if cut < len(part) else [part]


def wrap_text(text: str, width: int, *, indent: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between words (or between two
    Chinese characters), never inside a number; lines after the first start with ``indent``.
    Lines of the text that already fit are kept as they are."""
    lines: list[str] = []
    for raw in str(text).split("\n"):
        if cells(raw) <= width:
            lines.append(raw)
            continue
        lead = raw[: len(raw) - len(raw.lstrip())]
        line = lead
        fresh = True  # nothing but the indent on the line yet
        for piece, space in _pieces(raw):
            joined = line + (" " if space and not fresh else "") + piece
            if cells(joined) <= width:
                line, fresh = joined, False
                continue
            if not fresh:
                lines.append(line)
            line = lead + indent
            room = max(1, width - cells(line))
            parts = _split_long(piece, room) if cells(piece) > room else [piece]
            for part in parts[:-1]:
                lines.append(line + part)
            line, fresh = line + parts[-1], False
        lines.append(line)
    return lines


def narrowest(text: str) -> int:
    """The width of ``text``'s widest number or word: the narrowest column it fits in
    without a piece being split (a long word counts only up to 12 cells; it may break)."""
    widest = 1
    for line in str(text).split("\n"):
        for piece, _ in _pieces(line):
            numbers = [cells(m.group()) for m in NUMBER.finditer(piece)]
            widest = max(widest, min(cells(piece), 12), *numbers)
    return widest


def print_wrapped(console: Any, text: str, *, style: str = "", indent: str = "") -> None:
    """One sentence on the console, wrapped to its width by ``wrap_text`` (lines that
    fit print exactly as rich prints them)."""
    from rich.text import Text

    if cells(text) <= console.width:
        console.print(Text(text, style=style))
        return
    for line in wrap_text(text, console.width, indent=indent):
        console.print(Text(line, style=style), no_wrap=True, overflow="ignore", crop=False)


@dataclass
class Column:
    """One column of a table to fit: its header, whether its cells are numbers or labels
    kept whole (``keep``) or text that may wrap between words, and rich's options."""

    header: str = ""
    justify: str = "right"
    keep: bool = True
    style: str | None = None
    footer: str = ""


def _text(cell: Any) -> str:
    return cell[0] if isinstance(cell, tuple) else str(cell)


def _style(cell: Any) -> str:
    return cell[1] if isinstance(cell, tuple) else ""


def _ranges(columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> list[tuple[int, int]]:
    """(narrowest, natural) width of every column: the narrowest keeps every number
    and kept cell on one line (a header may wrap between its words)."""
    out = []
    for j, column in enumerate(columns):
        texts = [_text(r[j]) for r in rows] + [column.footer]
        natural = max([cells(column.header)] + [cells(t) for t in texts])
        body = [cells(t) if column.keep else narrowest(t) for t in texts]
        out.append((max([narrowest(column.header)] + body), natural))
    return out


def plan_blocks(ranges: Sequence[tuple[int, int]], width: int, labels: int = 1) -> list[tuple[list[int], list[int]]]:
    """The columns of each block and their widths: the ``labels`` first columns start
    every block; the others follow in order, as many per block as fit ``width`` at their
    narrowest; then each block's spare cells widen its columns toward their natural widths.

    >>> plan_blocks([(1, 1), (4, 4), (5, 5), (4, 4)], 16)
    [([0, 1, 2], [1, 4, 5]), ([0, 3], [1, 4])]
    """
    head = list(range(labels))
    base = sum(ranges[j][0] for j in head) + GAP * max(0, labels - 1)
    blocks: list[list[int]] = []
    current: list[int] = []
    used = base
    for j in range(labels, len(ranges)):
        need = ranges[j][0] + (GAP if head or current else 0)
        if current and used + need > width:
            blocks.append(current)
            current, used = [], base
            need = ranges[j][0] + (GAP if head else 0)
        current.append(j)
        used += need
    if current or not blocks:
        blocks.append(current)
    planned = []
    for block in blocks:
        chosen = head + block
        widths = [ranges[j][0] for j in chosen]
        spare = width - sum(widths) - GAP * (len(chosen) - 1)
        # widen toward the natural width: the number columns first (their headers on one
        # line), then the label columns, left to right
        for k in sorted(range(len(chosen)), key=lambda k: chosen[k] < labels):
            grow = max(0, min(spare, ranges[chosen[k]][1] - widths[k]))
            widths[k] += grow
            spare -= grow
        planned.append((chosen, widths))
    return planned


def _wrapped(text: str, width: int) -> str:
    return "\n".join(wrap_text(text, width))


def fitted_tables(
    width: int,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    labels: int = 1,
    box_name: str = "SIMPLE_HEAD",
    row_styles: Sequence[str | None] | None = None,
    show_header: bool = True,
    caption: Any = None,
) -> list[tuple[Any, int]]:
    """``rows`` laid out in tables no wider than ``width``: every column's width is
    planned, its text cells wrapped to it, and the columns after the ``labels`` first
    ones spread over as many blocks as they need. Each block comes with the width it takes
    (wider than ``width`` only when a single number is). ``caption(first, last)``
    (0-based, inclusive) gives a line to print above each block when there are several.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    ranges = _ranges(columns, rows)
    plan = plan_blocks(ranges, width, labels)
    out: list[tuple[Any, int]] = []
    for chosen, widths in plan:
        if caption is not None and len(plan) > 1 and len(chosen) > labels:
            out.append((Text(caption(chosen[labels], chosen[-1]), style="dim"), 0))
        show_footer = any(columns[j].footer for j in chosen)
        table = Table(box=getattr(box, box_name), show_edge=False, pad_edge=False,
                      show_header=show_header, show_footer=show_footer)
        for j, w in zip(chosen, widths):
            c = columns[j]
            justify: Any = c.justify
            # no width is set: every cell is already at most w wide, so the table takes its
            # natural width (rich's fixed widths differ between versions)
            table.add_column(Text(_wrapped(c.header, w)), justify=justify, style=c.style,
                             no_wrap=True, overflow="fold",
                             footer=Text(c.footer, style="bold"))
        for i, row in enumerate(rows):
            shown = []
            for j, w in zip(chosen, widths):
                text = _text(row[j]) if columns[j].keep else _wrapped(_text(row[j]), w)
                shown.append(Text(text, style=_style(row[j])))
            table.add_row(*shown, style=row_styles[i] if row_styles else None)
        out.append((table, sum(widths) + GAP * (len(widths) - 1)))
    return out


def print_fitted(console: Any, parts: Sequence[tuple[Any, int]]) -> None:
    """Print what ``fitted_tables`` laid out; a block wider than the console (a single
    number wider than the terminal) is printed at its own width, whole."""
    for renderable, need in parts:
        if need <= console.width:
            console.print(renderable)
            continue
        saved = console.width
        console.width = need
        try:
            console.print(renderable, crop=False)
        finally:
            console.width = saved


def fits(console: Any, table: Any) -> bool:
    """True when rich would print ``table`` on the console without shrinking a column."""
    from rich.measure import Measurement

    wide = console.options.update_width(1 << 20)  # measured unclamped, then compared
    return bool(Measurement.get(console, wide, table).maximum <= console.width)


def grid_tables(
    width: int,
    cells: Any,
    styles: Any = None,
    *,
    lang: str = "en",
    first_col: int = 0,
    total: int | None = None,
    headers: Sequence[str] | None = None,
    justify: Sequence[str] | None = None,
) -> list[tuple[Any, int]]:
    """A grid (1-based row and column labels) in blocks of whole columns that fit the
    ``width``, each block after a line naming its columns; ``styles`` per cell;
    ``headers`` and ``justify`` per column when not the column numbers, right-justified."""
    from cnncalc.messages import text

    n_rows, n_cols = cells.shape
    total = total or first_col + n_cols
    columns = [Column("", style="dim")] + [
        Column(headers[j] if headers else str(first_col + j + 1), justify=justify[j] if justify else "right")
        for j in range(n_cols)
    ]
    rows = [
        [str(i + 1)] + [(str(cells[i, j]), styles[i, j] if styles is not None else "")
                        for j in range(n_cols)]
        for i in range(n_rows)
    ]

    def caption(first: int, last: int) -> str:
        a, b = first_col + first, first_col + last
        key = "table.column" if a == b else "table.columns"
        return text(key, lang, first=a, last=b, total=total)

    return fitted_tables(width, columns, rows, caption=caption)


def text_blocks(cells: Any, width: int, *, lang: str = "en") -> str:
    """A grid too large for a rich table, as plain text laid out like one: 1-based row and
    column labels, numbers right-aligned, in blocks of whole columns no wider than
    ``width``, each after a line naming its columns when there are several. Fast: no rich.

    >>> print(text_blocks([["1.50", "-2.25", "10.00"], ["0.00", "3.12", "-7.00"]], 20))
    columns 1–2 of 3
           1       2
    ────────────────
    1   1.50   -2.25
    2   0.00    3.12
    column 3 of 3
            3
    ─────────
    1   10.00
    2   -7.00
    """
    from cnncalc.messages import text

    rows = [[str(c) for c in row] for row in cells]
    n_cols = len(rows[0]) if rows else 0
    label = len(str(len(rows)))
    ranges = [(label, label)] + [
        (w, w) for w in (max([len(str(j + 1))] + [cells_width(r[j]) for r in rows]) for j in range(n_cols))
    ]
    plan = plan_blocks(ranges, width)
    out: list[str] = []
    for chosen, widths in plan:
        data = chosen[1:]
        if len(plan) > 1:
            key = "table.column" if len(data) == 1 else "table.columns"
            out.append(text(key, lang, first=data[0], last=data[-1], total=n_cols))
        out.append(" " * label + "".join(" " * GAP + str(j).rjust(w) for j, w in zip(data, widths[1:])))
        out.append("─" * (sum(widths) + GAP * len(data)))
        for i, row in enumerate(rows):
            shown = "".join(" " * GAP + _rjust(row[j - 1], w) for j, w in zip(data, widths[1:]))
            out.append(str(i + 1).rjust(label) + shown)
    return "\n".join(out)


def cells_width(text: str) -> int:
    return cells(text) if not text.isascii() else len(text)


def _rjust(text: str, width: int) -> str:
    return " " * (width - cells_width(text)) + text
