"""A Markdown document with answer tables (a filled-in sheet of ``cnncalc make``):
only its tables and rows of numbers are answers.

A sheet holds prose, the image and kernel in fenced code blocks, and one table per
answer. When a text holds a Markdown table (a ``|---|`` rule) *and* lines that are
no table row, number row, comment or blank (prose), everything else is blanked out:
prose, headings, fenced blocks. Table rows, rows of numbers written under a grid (as
the sheet's own text asks), ``# cnncalc:`` directives and ``=`` markers stay; the line
numbers stay those of the file, and each table is one block.

A grid is all filled in or all blank (a problem not done there). A grid with some
empty cells -- a blank row, a blank column, one forgotten cell -- is refused at its
first empty cell; so is a blank grid above a filled one, which would otherwise move
every later answer up one problem.

>>> doc = "Fill in:\\n\\n```\\n1 2\\n```\\n\\n|   | 1 | 2 |\\n|---|---|---|\\n| **1** | 5 | 6 |\\n"
>>> tables_only(doc, "s.md").splitlines()
['', '', '', '', '', '', '|   | 1 | 2 |', '|---|---|---|', '| **1** | 5 | 6 |']
>>> tables_only("| 1 | 2 |\\n|---|---|\\n| 5 | 6 |\\n", "s.md") is None  # tables alone: as they are
True
"""

from __future__ import annotations

import re

from cnncalc.errors import MatrixFormatError

_RULE_RE = re.compile(r"^[ \t]*[|｜]?[ \t]*:?-{2,}:?[ \t]*([|｜][ \t]*:?-{2,}:?[ \t]*)+[|｜]?[ \t]*$", re.MULTILINE)
_FENCE_RE = re.compile(r"^[ \t]*(```|~~~)")
_NUMBERS_RE = re.compile(r"^[\s\d.,;:+\-−/eE()\[\]]+$")  # a row of numbers written as text
_LABEL_RE = re.compile(r"^\*\*[^*]*\*\*$")  # a bold row number: | **1** |


def _kept(stripped: str) -> bool:
    """A table row (with or without its outer pipes), a directive or a marker."""
    return "|" in stripped or "｜" in stripped or stripped == "=" or stripped.lower().startswith("# cnncalc")


def _cells(line: str) -> list[tuple[int, str]]:
    """A table row's cells with the column (1-based) where each one ends."""
    body = line.replace("｜", "|")
    out, start = [], 0
    for i, ch in enumerate(body):
        if ch == "|":
            if i > 0 and body[:i].strip():
                out.append((i + 1, body[start:i].strip()))
            start = i + 1
    if body[start:].strip():
        out.append((len(body) + 1, body[start:].strip()))
    return out


def _check_tables(lines: list[str], source: str) -> None:
    """Refuse a half-filled grid, and a blank grid above a filled one."""
    tables: list[list[int]] = []  # the line indexes of each table's data rows
    for i, line in enumerate(lines):
        if _RULE_RE.match(line.replace("\r", "")) and i > 0 and lines[i - 1].strip():
            rows, k = [], i + 1
            while k < len(lines) and _kept(lines[k].strip()) and lines[k].strip() not in ("=",):
                rows.append(k)
                k += 1
            tables.append(rows)
    blank_at = None
    for rows in tables:
        empty, filled = [], 0
        for k in rows:
            cells = _cells(lines[k])
            data = cells[1:] if cells and _LABEL_RE.match(cells[0][1]) else cells
            empty += [(k, col) for col, cell in data if not cell]
            filled += sum(1 for _, cell in data if cell)
        if filled and empty:
            k, col = empty[0]
            raise MatrixFormatError("read.empty_cell", file=source, line=k + 1, column=col, line_text=lines[k])
        if not filled and rows:
            blank_at = blank_at or rows[0] + 1
        elif filled and blank_at is not None:
            raise MatrixFormatError("read.blank_grid", file=source, line=blank_at)


def tables_only(text: str, source: str = "<text>") -> str | None:
    """``text`` with only its tables and rows of numbers left (directives and markers
    too), when it is a Markdown document with prose around its tables; else None
    (read it as it is)."""
    if "|" not in text and "｜" not in text:
        return None
    if "\r" in text:  # Windows (CRLF) and old Mac (CR) line ends
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _RULE_RE.search(text) is None:
        return None
    lines = text.split("\n")
    prose = fenced = False
    out = []
    for line in lines:
        stripped = line.strip()
        if _FENCE_RE.match(line):
            fenced = not fenced
            prose = True  # a fenced block is given material (the image, the kernel), not an answer
            out.append("")
            continue
        if fenced or not (_kept(stripped) or _NUMBERS_RE.match(stripped)):
            if stripped and not stripped.startswith("#"):
                prose = True
            out.append("")
            continue
        out.append(line)
    if not prose:
        return None
    _check_tables(out, source)
    return "\n".join(out)
