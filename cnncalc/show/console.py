"""The terminal: consoles, colours and heat-coloured map tables (rich, imported lazily).

rich is imported lazily, inside the functions that draw, so plain and JSON
output (and errors) never pay for it.

Colours follow a diverging scale: negative cells blue, positive cells red, the
intensity growing with |value| relative to the map's largest |value|; zero is
white. ``NO_COLOR`` (https://no-color.org) and ``--no-color`` turn colour off.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from cnncalc.colors import DARK_FROM, heat_rgb
from cnncalc.formats import as_maps
from cnncalc.numfmt import format_values

# A heat table of more cells is unreadable and slow to lay out: plain rows instead.
MAP_TABLE_MAX_CELLS = 10_000


def color_disabled(no_color: bool = False) -> bool:
    """True when colour must be off: ``--no-color`` or a non-empty NO_COLOR."""
    return no_color or bool(os.environ.get("NO_COLOR"))


def make_console(*, stderr: bool = False, no_color: bool = False, file: Any = None) -> Any:
    from rich.console import Console

    console = Console(
        file=file,
        stderr=stderr,
        no_color=color_disabled(no_color),
        highlight=False,
        soft_wrap=False,
        emoji=False,
    )
    console.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]  # rich exits 1: "wrong cells"
    return console


def _broken_pipe() -> None:
    """``cnncalc ... | head``: silence stdout and let the CLI exit 0, as for plain output."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    raise BrokenPipeError


# On a terminal of 8 or 16 colours rich rounds each RGB shade to the nearest of them:
# the light blues and pinks around +-0.5 all become white or grey, so -0.56 and 0.56
# look the same. There the scale is drawn in bands of the 8 basic colours (every
# terminal has them, even TERM=linux): negative blue, positive red, the background
# filled from DARK_FROM (the same |value| / scale where the truecolor text turns white).
STANDARD_SYSTEMS = ("standard", "windows")
BAND_STYLES = {  # (sign, strong) -> style
    (-1, True): "bold white on blue",
    (-1, False): "bold blue",
    (1, True): "bold white on red",
    (1, False): "bold red",
}


def heat_palette(console: Any) -> str:
    """``"bands"`` for a console of 8/16 colours, else ``"rgb"`` (rich keeps 256 apart)."""
    return "bands" if console.color_system in STANDARD_SYSTEMS else "rgb"


def heat_style(value: float, scale: float, palette: str = "rgb") -> str:
    """A rich style string for one cell on the diverging scale.

    >>> heat_style(-0.56, 1.0, "bands"), heat_style(0.56, 1.0, "bands"), heat_style(0.2, 1.0, "bands")
    ('bold white on blue', 'bold white on red', 'bold red')
    """
    if not np.isfinite(value) or scale == 0:
        return ""
    t = value / scale
    if palette == "bands":
        return BAND_STYLES.get((int(np.sign(t)), abs(t) > DARK_FROM), "")
    r, g, b = heat_rgb(t)
    fg = "white" if abs(t) > DARK_FROM else "black"
    return f"{fg} on rgb({r},{g},{b})"


def heat_legend(scale: float, *, precision: int, mode: str, palette: str, lang: str = "en") -> str:
    """One line of rich markup under a heat grid: which colour means which values.

    >>> heat_legend(1.0, precision=2, mode="half-even", palette="bands")
    'colours: [bold white on blue] ≤ -0.55 [/] [bold blue] < 0 [/] 0 [bold red] > 0 [/] [bold white on red] ≥ 0.55 [/]'
    """
    from cnncalc.messages import text

    if scale == 0:
        return ""
    label = text("table.legend", lang)
    if palette == "bands":
        edge = format_values(np.array([DARK_FROM * scale]), precision, mode)[0]
        return (
            f"{label} [{BAND_STYLES[-1, True]}] ≤ -{edge} [/] [{BAND_STYLES[-1, False]}] < 0 [/] 0 "
            f"[{BAND_STYLES[1, False]}] > 0 [/] [{BAND_STYLES[1, True]}] ≥ {edge} [/]"
        )
    stops = np.array([-1.0, -0.5, 0.0, 0.5, 1.0]) * scale
    shown = format_values(stops, precision, mode)
    swatches = " ".join(
        f"[{heat_style(float(v), scale)}] {_escape(c)} [/]" for v, c in zip(stops, shown)
    )
    return f"{label} {swatches}"


def print_legend(console: Any, values: np.ndarray, *, precision: int, mode: str, lang: str) -> None:
    """The legend line under a heat grid, only when colours reach a terminal."""
    if not console.color_system or color_disabled():
        return
    legend = heat_legend(
        map_scale(values), precision=precision, mode=mode, palette=heat_palette(console), lang=lang
    )
    if legend:
        console.print(legend)


def map_scale(values: np.ndarray) -> float:
    """The largest |value| of a map's finite cells (0 when none)."""
    finite = values[np.isfinite(values)]
    return float(np.max(np.abs(finite))) if finite.size else 0.0


def map_table(
    cells: np.ndarray,
    values: np.ndarray,
    *,
    title: str | None = None,
    styles: np.ndarray | None = None,
    colored: bool = True,
    first_col: int = 0,
    scale: float | None = None,
    no_wrap: bool = False,
    palette: str = "rgb",
    **table_options: Any,
) -> Any:
    """A rich Table of one map with 1-based row and column labels.

    ``cells`` are the strings to show, ``values`` drive the heat colours unless
    ``styles`` gives each cell its own style. A block of columns cut from a
    wider map passes its ``first_col`` (0-based) and the whole map's ``scale``;
    ``table_options`` go to rich's Table.
    """
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, **table_options)
    table.add_column("", justify="right", style="dim")
    for j in range(cells.shape[1]):
        table.add_column(str(first_col + j + 1), justify="right", no_wrap=no_wrap)
    if scale is None:
        finite = values[np.isfinite(values)]
        scale = float(np.max(np.abs(finite))) if finite.size else 0.0
    for i in range(cells.shape[0]):
        row = []
        for j in range(cells.shape[1]):
            if styles is not None:
                style = styles[i, j]
            else:
                style = heat_style(float(values[i, j]), scale, palette) if colored else ""
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
    lang: str = "en",
) -> None:
    """Print maps as heat-coloured grids, each titled with its index and shape,
    each followed by a one-line colour legend when colours are shown.

    A map wider than the terminal is split into blocks of whole columns (labels
    keep their numbers); one over ``MAP_TABLE_MAX_CELLS`` prints as plain rows.
    """
    console = make_console(no_color=no_color, file=file)
    maps = as_maps(array)
    cells = format_values(maps, precision, mode)
    colored = not color_disabled(no_color)
    palette = heat_palette(console)
    for k, (m, c) in enumerate(zip(maps, cells)):
        title = titles[k] if titles else None
        if k:
            console.print()
        if c.size > MAP_TABLE_MAX_CELLS:
            console.file.write((title + "\n" if title else "") + plain_rows(console, c, lang) + "\n")
            continue
        if _grid_width(c) <= console.width:
            console.print(map_table(c, m, title=title, colored=colored, palette=palette))
        else:
            from cnncalc.show.fit import print_fitted

            print_fitted(console, chunked_grid(c, m, title=title or "", colored=colored,
                                               width=console.width, palette=palette, lang=lang))
        if colored:
            print_legend(console, m, precision=precision, mode=mode, lang=lang)


def plain_rows(console: Any, cells: np.ndarray, lang: str = "en") -> str:
    """A grid too large for a rich table: tab-separated rows into a file or a pipe; on a
    terminal the same numbers in blocks of whole columns that fit it (a terminal would
    fold a long row in the middle of a number)."""
    if not console.is_terminal:
        return "\n".join("\t".join(r) for r in cells)
    from cnncalc.show.fit import text_blocks

    return text_blocks(cells, console.width, lang=lang)


def write_stdout(text: str) -> None:
    """Write already formatted text to stdout (no rich, no styling)."""
    if sys.stdout is None:  # started with stdout closed (>&-)
        from cnncalc.errors import CnncalcError

        raise CnncalcError("cli.write_failed", path="stdout", reason="closed")
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _grid_width(cells: np.ndarray) -> int:
    """Columns a grid needs on one line: the row labels, then each column plus padding."""
    from rich.cells import cell_len

    label = len(str(cells.shape[0])) + 1
    widths = [max(cell_len(str(c)) for c in cells[:, j]) + 1 for j in range(cells.shape[1])]
    return label + sum(widths) + 2 * len(widths)


def heat_styles(values: np.ndarray, *, colored: bool, palette: str, scale: float | None = None) -> np.ndarray:
    """Each cell's heat style (empty when colour is off)."""
    scale = map_scale(values) if scale is None else scale
    out = np.full(values.shape, "", dtype=object)
    if colored:
        for index, value in np.ndenumerate(values):
            out[index] = heat_style(float(value), scale, palette)
    return out


def chunked_grid(
    cells: np.ndarray,
    values: np.ndarray,
    *,
    title: str,
    colored: bool,
    width: int,
    palette: str = "rgb",
    lang: str = "en",
    styles: np.ndarray | None = None,
    **columns: Any,
) -> list[tuple[Any, int]]:
    """A map wider than ``width`` in blocks of whole columns (``fit.grid_tables``):
    the title, then each block after a line naming its columns, the column labels
    keeping their 1-based numbers, each number whole. Pairs of (renderable, width
    it takes) for ``fit.print_fitted``; ``columns`` (headers, justify) go to
    ``grid_tables``."""
    from rich.text import Text

    from cnncalc.show.fit import grid_tables, wrap_text

    if styles is None:
        styles = heat_styles(values, colored=colored, palette=palette)
    parts: list[tuple[Any, int]] = [
        (Text(line, style="italic"), 0) for line in (wrap_text(title, width) if title else [])
    ]
    return parts + grid_tables(width, cells, styles, lang=lang, **columns)


def print_grid(
    console: Any,
    cells: np.ndarray,
    values: np.ndarray,
    *,
    title: str | None = None,
    colored: bool = True,
    palette: str = "rgb",
    lang: str = "en",
    styles: np.ndarray | None = None,
) -> None:
    """A map as one heat table when it fits the console, else in column blocks."""
    from cnncalc.show.fit import fits, print_fitted

    table = map_table(cells, values, title=title, colored=colored, palette=palette, styles=styles)
    if fits(console, table):
        console.print(table)
        return
    print_fitted(console, chunked_grid(cells, values, title=title or "", colored=colored,
                                       width=console.width, palette=palette, lang=lang,
                                       styles=styles))


def print_lines(lines: Sequence[str], *, no_color: bool = False, file: Any = None) -> None:
    """Sentences on the terminal, each wrapped to its width between words (never inside a
    number); a wrapped line's next lines keep its indent, four spaces deeper (deeper
    than the two-space lines listed under a heading)."""
    from cnncalc.show.fit import print_wrapped

    console = make_console(no_color=no_color, file=file)
    for line in lines:
        print_wrapped(console, line, indent="    ")
