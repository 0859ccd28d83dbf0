"""Every terminal rendering lives here; the only module that imports rich.

rich is imported lazily, inside the functions that draw, so plain and JSON
output (and errors) never pay for it.

Colours follow a diverging scale: negative cells blue, positive cells red, the
intensity growing with |value| relative to the map's largest |value|; zero is
white. ``NO_COLOR`` (https://no-color.org) and ``--no-color`` turn colour off.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Sequence

import numpy as np

from cnncalc.colors import NEGATIVE_RGB, POSITIVE_RGB, heat_rgb  # noqa: F401 (re-exported)
from cnncalc.formats import as_maps
from cnncalc.numfmt import format_values


def color_disabled(no_color: bool = False) -> bool:
    """True when colour must be off: ``--no-color`` or a non-empty NO_COLOR."""
    return no_color or bool(os.environ.get("NO_COLOR"))


def make_console(*, stderr: bool = False, no_color: bool = False, file: Any = None) -> Any:
    from rich.console import Console

    return Console(
        file=file,
        stderr=stderr,
        no_color=color_disabled(no_color),
        highlight=False,
        soft_wrap=False,
        emoji=False,
    )


def heat_style(value: float, scale: float) -> str:
    """A rich style string for one cell on the diverging scale."""
    if not np.isfinite(value) or scale == 0:
        return ""
    t = value / scale
    r, g, b = heat_rgb(t)
    fg = "white" if abs(t) > 0.55 else "black"
    return f"{fg} on rgb({r},{g},{b})"


def map_table(
    cells: np.ndarray,
    values: np.ndarray,
    *,
    title: str | None = None,
    styles: np.ndarray | None = None,
    colored: bool = True,
) -> Any:
    """A rich Table of one map with 1-based row and column labels.

    ``cells`` are the strings to show, ``values`` drive the heat colours unless
    ``styles`` gives each cell its own style.
    """
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("", justify="right", style="dim")
    for j in range(cells.shape[1]):
        table.add_column(str(j + 1), justify="right")
    finite = values[np.isfinite(values)]
    scale = float(np.max(np.abs(finite))) if finite.size else 0.0
    for i in range(cells.shape[0]):
        row = []
        for j in range(cells.shape[1]):
            if styles is not None:
                style = styles[i, j]
            else:
                style = heat_style(float(values[i, j]), scale) if colored else ""
            row.append(f"[{style}]{_escape(cells[i, j])}[/]" if style else _escape(cells[i, j]))
        table.add_row(str(i + 1), *row)
    return table


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(str(text))


def print_maps(
    array: np.ndarray,
    *,
    precision: int,
    mode: str,
    no_color: bool = False,
    titles: Sequence[str] | None = None,
    file: Any = None,
) -> None:
    """Print maps as heat-coloured grids, each titled with its index and shape."""
    console = make_console(no_color=no_color, file=file)
    maps = as_maps(array)
    cells = format_values(maps, precision, mode)
    colored = not color_disabled(no_color)
    for k, (m, c) in enumerate(zip(maps, cells)):
        title = titles[k] if titles else None
        if k:
            console.print()
        console.print(map_table(c, m, title=title, colored=colored))


def write_stdout(text: str) -> None:
    """Write already formatted text to stdout (no rich, no styling)."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
