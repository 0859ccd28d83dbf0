"""Terminal view of ``check`` and ``explain``: sections, marked grids, keys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from cnncalc.show.console import (
    _escape,
    _grid_width,
    make_console,
    map_table,
)

WRONG_STYLE = "bold red"
FIELD_STYLE = "bold black on yellow"
TONE_STYLE = {"good": "bold green", "bad": "bold red", "": ""}


def print_sections(
    sections: Sequence[Any], *, no_color: bool = False, file: Any = None, lang: str = "en"
) -> None:
    """Draw a check report or an explanation (``checkreport.Section`` list): each
    grid as a table with its marked cells in red (wrong) or yellow (the
    receptive field), a grid of wrong cells followed by a one-line key to its
    arrows, each sentence as a line or a bullet."""
    from cnncalc.messages import text

    console = make_console(no_color=no_color, file=file)
    for k, section in enumerate(sections):
        if k:
            console.print()
        if section.title:
            tone = "" if section.ok is None else ("good" if section.ok else "bad")
            style = TONE_STYLE[tone] or "bold"
            console.print(f"[{style}]{_escape(section.title)}[/]")
        for block in section.blocks:
            if hasattr(block, "cells"):
                if block.title:
                    console.print(f"[italic]{_escape(block.title)}[/]")
                console.print(_marked_table(console, block))
                if block.kind == "wrong" and np.any(block.marked):
                    console.print(f"[dim]{_escape(text('check.arrow_key', lang))}[/]")
                continue
            style = TONE_STYLE.get(block.tone, "")
            line = ("• " if block.bullet else "") + block.text
            console.print(f"[{style}]{_escape(line)}[/]" if style else _escape(line))


def _marked_table(console: Any, block: Any) -> Any:
    """A grid with its marked cells styled; wrong cells read ``got → expected``,
    on two lines when one line would not fit the console."""
    mark = FIELD_STYLE if block.kind == "field" else WRONG_STYLE
    styles = np.where(block.marked, mark, "").astype(object)
    values = np.zeros(block.cells.shape)
    table = map_table(block.cells, values, styles=styles)
    for column in table.columns:
        column.no_wrap = True
    if block.kind == "wrong" and _grid_width(block.cells) > console.width:
        cells = np.vectorize(lambda c: str(c).replace(" → ", "\n→ "), otypes=[object])(block.cells)
        table = map_table(cells, values, styles=styles)
    return table
