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
    still does not fit is shown in blocks of columns (three-line cells)."""
    from cnncalc.show.fit import fits, print_fitted

    mark = FIELD_STYLE if block.kind == "field" else WRONG_STYLE
    styles = np.where(block.marked, mark, "").astype(object)
    values = np.zeros(block.cells.shape)
    forms = ARROW_FORMS if block.kind == "wrong" else ARROW_FORMS[:1]
    cells = block.cells
    for form in forms:
        cells = np.vectorize(lambda c, f=form: str(c).replace(" → ", f), otypes=[object])(block.cells)
        table = map_table(cells, values, styles=styles)
        for column in table.columns:
            column.no_wrap = True
        if fits(console, table):
            console.print(table)
            return
    print_fitted(console, chunked_grid(cells, values, title="", colored=False,
                                       width=console.width, lang=lang, styles=styles))
