"""A Markdown document with answer tables (a filled-in sheet of ``cnncalc make``):
only its tables are answers.

A sheet holds prose, the image and kernel in fenced code blocks, and one table per
answer. When a text holds a Markdown table (a ``|---|`` rule) *and* lines that are
no table row, comment or blank (prose), everything but the table rows, ``# cnncalc:``
directives and ``=`` markers is blanked out; the line numbers stay those of the file,
and each table is one block.

>>> doc = "Fill in:\\n\\n```\\n1 2\\n```\\n\\n|   | 1 | 2 |\\n|---|---|---|\\n| **1** | 5 | 6 |\\n"
>>> tables_only(doc).splitlines()
['', '', '', '', '', '', '|   | 1 | 2 |', '|---|---|---|', '| **1** | 5 | 6 |']
>>> tables_only("| 1 | 2 |\\n|---|---|\\n| 5 | 6 |\\n") is None  # tables alone: read as they are
True
"""

from __future__ import annotations

import re

_RULE_RE = re.compile(r"^[ \t]*[|｜]?[ \t]*:?-{2,}:?[ \t]*([|｜][ \t]*:?-{2,}:?[ \t]*)+[|｜]?[ \t]*$", re.MULTILINE)
_FENCE_RE = re.compile(r"^[ \t]*(```|~~~)")


def _kept(stripped: str) -> bool:
    """A table row (with or without its outer pipes), a directive or a marker."""
    return "|" in stripped or "｜" in stripped or stripped == "=" or stripped.lower().startswith("# cnncalc")


def tables_only(text: str) -> str | None:
    """``text`` with only its table rows (and directives, markers) left, when it is a
    Markdown document with prose around its tables; else None (read it as it is)."""
    if "|" not in text and "｜" not in text or _RULE_RE.search(text) is None:
        return None
    lines = text.splitlines()
    prose = False
    fenced = False
    out = []
    for line in lines:
        stripped = line.strip()
        if _FENCE_RE.match(line):
            fenced = not fenced
            prose = True  # a fenced block is given material (the image, the kernel), not an answer
            out.append("")
            continue
        if fenced or not _kept(stripped):
            if stripped and not stripped.startswith("#"):
                prose = True
            out.append("")
            continue
        out.append(line)
    return "\n".join(out) + "\n" if prose else None
