"""Terminal view of ``check`` and ``explain``: sections, marked grids, keys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from cnncalc.show.console import (
    chunked_grid,
    make_console,
    map_table,
)

WRONG_STYLE = "bold red"
FIELD_STYLE = "bold black on yellow"
TONE_STYLE = {"good": "bold green", "bad": "bold red", "": ""}
# a wrong cell ``got → expected`` on one line, on two, then on three, as the console narrows
ARROW_FORMS = (" → ", "\n→ ", "\n→\n")


def print_sections(
    sections: Sequence[Any], *, no_color: bool = False, file: Any = None, lang: str = "en"
) -> None:
    """Draw a check report or an explanation (``checkreport.Section`` list): each
    grid as a table with its marked cells in red (wrong) or yellow (the
    receptive field), a grid of wrong cells followed by a one-line key to its
    arrows, each sentence as a line or a bullet. On a narrow console a grid
    goes into blocks of columns and sentences wrap with their indent."""
    from cnncalc.messages import text
    from cnncalc.show.fit import print_wrapped

    console = make_console(no_color=no_color, file=file)
    for k, section in enumerate(sections):
        if k:
            console.print()
        if section.title:
            tone = "" if section.ok is None else ("good" if section.ok else "bad")
            style = TONE_STYLE[tone] or "bold"
            print_wrapped(console, section.title, style=style)
        for block in section.blocks:
            if hasattr(block, "cells"):
                if block.title:
                    print_wrapped(console, block.title, style="italic")
                print_marked(console, block, lang)
                if block.kind == "wrong" and np.any(block.marked):
                    print_wrapped(console, text("check.arrow_key", lang), style="dim")
                continue
            style = TONE_STYLE.get(block.tone, "")
            line = ("• " if block.bullet else "") + block.text
            print_wrapped(console, line, style=style, indent="  " if block.bullet else "")


def print_marked(console: Any, block: Any, lang: str = "en") -> None:
    """A grid with its marked cells styled; wrong cells read ``got → expected``,
    on one line, two or three, whichever fits the console first; a grid that
    still does not fit is shown in blocks of columns (three-line cells). Without
    colour the receptive field's cells also stand in ``[ ]``, as in the plain format
    (``bracketed``)."""
    from cnncalc.show.fit import fits, print_fitted

    mark = FIELD_STYLE if block.kind == "field" else WRONG_STYLE
    styles = np.where(block.marked, mark, "").astype(object)
    values = np.zeros(block.cells.shape)
    forms = ARROW_FORMS if block.kind == "wrong" else ARROW_FORMS[:1]
    columns: dict[str, Any] = {}
    source = block.cells
    if block.kind == "field" and not colour_shown(console) and np.any(block.marked):
        source, headers, justify = bracketed(block.cells, block.marked)
        columns = {"headers": headers, "justify": justify}
    cells = source
    for form in forms:
        cells = np.vectorize(lambda c, f=form: str(c).replace(" → ", f), otypes=[object])(source)
        table = map_table(cells, values, styles=styles)
        for column in table.columns:
            column.no_wrap = True
        for column, header, how in zip(table.columns[1:], columns.get("headers", ()), columns.get("justify", ())):
            column.header, column.justify = header, how
        if fits(console, table):
            console.print(table)
            return
    print_fitted(console, chunked_grid(cells, values, title="", colored=False,
                                       width=console.width, lang=lang, styles=styles, **columns))


def colour_shown(console: Any) -> bool:
    """True when the console shows colours (a terminal, no ``--no-color``, no NO_COLOR)."""
    return bool(console.color_system) and not console.no_color


def bracketed(cells: np.ndarray, marked: np.ndarray) -> tuple[np.ndarray, list[str], list[str]]:
    """The cells of a grid with the marked ones in ``[ ]``, each column's digits still
    aligned: in a column holding a marked cell every cell and the column number are
    right-justified to one width, ending in ``]`` or a space (the column is then
    left-justified so rich keeps that space). Also each column's header and justify.

    >>> marked = np.array([[True, False], [False, False]])
    >>> shown, headers, justify = bracketed(np.array([["1", "-1"], ["-10", "2"]]), marked)
    >>> shown.tolist(), headers, justify
    ([[' [1]', '-1'], ['-10 ', '2']], ['  1 ', '2'], ['left', 'right'])
    """
    from cnncalc.show.fit import cells as width_of

    shown = np.array(cells, dtype=object)
    headers = [str(j + 1) for j in range(cells.shape[1])]
    justify = ["right"] * cells.shape[1]
    for j in np.flatnonzero(marked.any(axis=0)):
        column = [f"[{c}]" if m else f"{c} " for c, m in zip(cells[:, j], marked[:, j])]
        header = f"{j + 1} "
        wide = max(width_of(t) for t in [*column, header])
        shown[:, j] = [" " * (wide - width_of(t)) + t for t in column]
        headers[j] = " " * (wide - width_of(header)) + header
        justify[j] = "left"
    return shown, headers, justify
