"""The Markdown that cnncalc writes (a student's feedback, ``grade/feedback.py``) as
HTML for the class report's student page: no dependency, nothing else.

Understood, line by line: ATX headings (``#`` .. ``######``, shifted two levels
down so they sit under the page's own ``h2``), ``- `` lists, ``> `` quotes, pipe
tables with their ``|---|---:|`` alignment row, fenced code, a picture line
``![alt](name.png)`` (a link to the marked picture in the report set's
``feedback/`` folder), paragraphs; inline ``**bold**``, `` `code` `` and
backslash escapes. Every other character is text: escaped by ``esc`` (control
and bidi characters shown as escapes), the ``&amp;``/``&lt;``/``&gt;`` the
feedback writes for a hostile file name turned back into the characters first,
so they show as written and are never live.

>>> md_html("Score: **3 / 4** (status: ok)\\n\\n| cell | got |\\n|---|---:|\\n| (1, 2) | &lt;b&gt; |")
'<p>Score: <strong>3 / 4</strong> (status: ok)</p>\\n<table><thead><tr><th>cell</th><th style="text-align:right">got</th></tr></thead><tbody><tr><td>(1, 2)</td><td style="text-align:right">&lt;b&gt;</td></tr></tbody></table>'
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

_BIDI = set("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")

def esc(text: Any, *, keep_newlines: bool = False) -> str:
    """HTML-escaped text with control and bidi characters shown as escapes.

    >>> esc('a"b\\u202ec'), esc("x\\ny", keep_newlines=True), esc("x\\ny")
    ('a&quot;b\\\\u202ec', 'x\\ny', 'x\\\\ny')
    """
    out = []
    for ch in str(text):
        if keep_newlines and ch in "\n\t":
            out.append(ch)
        elif unicodedata.category(ch) == "Cc" or ch in _BIDI:
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return html.escape("".join(out), quote=True)


PICTURES = "../../feedback/"  # from report/students/<page>.html to the set's feedback/
_HEADING = re.compile(r"(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PICTURE = re.compile(r"!\[((?:\\.|[^\]\\])*)\]\(([A-Za-z0-9%._~-]+\.png)\)\s*$")
_PUNCT = set("\\`*_{}[]()#+-.!|<>~\"'")


def inline(text: str) -> str:
    """One line's inline Markdown as HTML.

    >>> inline("a **b \\\\*c\\\\*** `d<e>` &amp; <i>")
    'a <strong>b *c*</strong> <code>d&lt;e&gt;</code> &amp; &lt;i&gt;'
    """
    out: list[str] = []
    plain: list[str] = []

    def flush() -> None:
        if plain:
            out.append(esc(html.unescape("".join(plain)), keep_newlines=True))
            plain.clear()

    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in _PUNCT:
            flush()
            out.append(esc(text[i + 1]))
            i += 2
        elif text.startswith("**", i) and (end := _close(text, i + 2, "**")) > i + 2:
            flush()
            out.append(f"<strong>{inline(text[i + 2:end])}</strong>")
            i = end + 2
        elif ch == "`" and (end := text.find("`", i + 1)) > i + 1:
            flush()
            out.append(f"<code>{esc(html.unescape(text[i + 1:end]))}</code>")
            i = end + 1
        else:
            plain.append(ch)
            i += 1
    flush()
    return "".join(out)


def _close(text: str, start: int, marker: str) -> int:
    """Where ``marker`` next stands unescaped from ``start`` on (-1: nowhere)."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(marker, i):
            return i
        else:
            i += 1
    return -1


def _cells(line: str) -> list[str]:
    """A table row's cells (``\\|`` is a bar inside a cell)."""
    line = line.strip()
    line = line.removeprefix("|")
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    return [c.strip() for c in re.split(r"(?<!\\)\|", line)]


def _align(rule: str) -> list[str]:
    out = []
    for cell in _cells(rule):
        left, right = cell.startswith(":"), cell.endswith(":")
        out.append("center" if left and right else "right" if right else "left" if left else "")
    return out


def _table(lines: list[str]) -> str:
    aligns = _align(lines[1])

    def row(cells: list[str], tag: str) -> str:
        parts = []
        for k, cell in enumerate(cells):
            a = aligns[k] if k < len(aligns) else ""
            style = f' style="text-align:{a}"' if a else ""
            parts.append(f"<{tag}{style}>{inline(cell)}</{tag}>")
        return "<tr>" + "".join(parts) + "</tr>"

    head = row(_cells(lines[0]), "th")
    body = "".join(row(_cells(line), "td") for line in lines[2:])
    return f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"


def md_html(markdown: str, pictures: str = PICTURES) -> str:
    """The feedback's Markdown as HTML blocks (see the module docstring)."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    blocks: list[str] = []
    para: list[str] = []
    i = 0

    def end_para() -> None:
        if para:
            blocks.append("<p>" + "\n".join(inline(p) for p in para) + "</p>")
            para.clear()

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            end_para()
            i += 1
        elif stripped.startswith("```"):
            end_para()
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith("```"):
                j += 1
            blocks.append("<pre><code>" + esc("\n".join(lines[i + 1:j]), keep_newlines=True) + "</code></pre>")
            i = j + 1
        elif m := _HEADING.match(stripped):
            end_para()
            level = min(len(m.group(1)) + 2, 6)
            blocks.append(f"<h{level}>{inline(m.group(2))}</h{level}>")
            i += 1
        elif m := _PICTURE.match(stripped):
            end_para()
            alt = re.sub(r"\\(.)", r"\1", m.group(1))
            blocks.append(f'<p><a href="{esc(pictures + m.group(2))}">{esc(alt)}</a></p>')
            i += 1
        elif stripped.startswith("|") and i + 1 < len(lines) and _RULE.match(lines[i + 1].strip()):
            end_para()
            j = i + 2
            while j < len(lines) and lines[j].strip().startswith("|"):
                j += 1
            blocks.append(_table([s.strip() for s in lines[i:j]]))
            i = j
        elif stripped.startswith(("- ", "* ")) or stripped in ("-", "*"):
            end_para()
            items = []
            while i < len(lines) and lines[i].strip()[:2] in ("- ", "* "):
                items.append(f"<li>{inline(lines[i].strip()[2:])}</li>")
                i += 1
            if not items:  # a lone "-"
                items.append("<li></li>")
                i += 1
            blocks.append("<ul>" + "".join(items) + "</ul>")
        elif stripped.startswith(">"):
            end_para()
            quoted = []
            while i < len(lines) and lines[i].strip().startswith(">"):
                quoted.append(inline(lines[i].strip()[1:].lstrip()))
                i += 1
            blocks.append("<blockquote><p>" + "\n".join(quoted) + "</p></blockquote>")
        else:
            para.append(stripped)
            i += 1
    end_para()
    return "\n".join(blocks)
