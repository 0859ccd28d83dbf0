"""Terminal tables of ``run`` and ``shape``: stage maps, vector bars, layer tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from cnncalc.colors import NEGATIVE_RGB, POSITIVE_RGB
from cnncalc.formats import as_maps
from cnncalc.numfmt import format_values
from cnncalc.show.console import (
    _escape,
    color_disabled,
    heat_palette,
    heat_style,
    make_console,
    print_grid,
    print_legend,
)

BAR_WIDTH = 20
BAR_MAX_ENTRIES = 16


def _bar_cells(values: np.ndarray, bar_width: int = BAR_WIDTH) -> tuple[list[int], float]:
    finite = values[np.isfinite(values)]
    scale = float(np.max(np.abs(finite))) if finite.size else 0.0
    if scale == 0:
        return [0] * values.size, scale
    lengths = [max(1, round(abs(v) / scale * bar_width)) if v else 0 for v in values.tolist()]
    return lengths, scale


def vector_bars(
    values: np.ndarray, *, precision: int, mode: str, colored: bool = True, lang: str = "en",
    bar_width: int = BAR_WIDTH,
) -> Any:
    """A short vector as labelled bars: 0-based index, value, a bar to the left
    (negative, blue) or right (positive, red) of the axis, at most ``bar_width`` long."""
    from rich import box
    from rich.table import Table

    from cnncalc.messages import text as _t

    v = np.asarray(values, dtype=np.float64).reshape(-1)
    cells = format_values(v, precision, mode)
    lengths, _ = _bar_cells(v, bar_width)
    has_negative = bool(np.any(v < 0))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(_t("run.index", lang), justify="right", style="dim")
    table.add_column(_t("run.value", lang), justify="right")
    if has_negative:
        table.add_column("", justify="right", no_wrap=True)
    table.add_column("", justify="left", no_wrap=True)
    neg_style = "rgb({},{},{})".format(*NEGATIVE_RGB) if colored else ""
    pos_style = "rgb({},{},{})".format(*POSITIVE_RGB) if colored else ""
    for i, (value, cell, n) in enumerate(zip(v.tolist(), cells.tolist(), lengths)):
        neg = ("▒" * n if value < 0 else "") + "│"
        pos = "█" * n if value > 0 else ""
        row = [str(i), _escape(cell)]
        if has_negative:
            row.append(f"[{neg_style}]{neg}[/]" if neg_style else neg)
        row.append(f"[{pos_style}]{pos}[/]" if pos_style and pos else pos)
        table.add_row(*row)
    return table


def vector_grid(
    values: np.ndarray,
    *,
    precision: int,
    mode: str,
    colored: bool = True,
    width: int = 80,
    palette: str = "rgb",
) -> Any:
    """A long vector wrapped in rows of 10 (or 5, 2, 1 to fit ``width``): row label
    = first 0-based index, columns +0 … +9, heat-coloured like a map."""
    from rich import box
    from rich.table import Table

    from cnncalc.show.netreport import vector_rows

    v = np.asarray(values, dtype=np.float64).reshape(-1)
    texts = format_values(v, precision, mode).tolist()
    cell = max(len(t) for t in texts)
    label = len(str(v.size))
    per_row = next((n for n in (10, 5, 2) if label + n * (cell + 3) <= width), 1)
    labels, rows = vector_rows(v, per_row)
    finite = v[np.isfinite(v)]
    scale = float(np.max(np.abs(finite))) if finite.size else 0.0
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("", justify="right", style="dim", no_wrap=True)
    for name in labels:
        table.add_column(name, justify="right", no_wrap=True)
    for start, row in rows:
        shown = []
        for x, c in zip(row.tolist(), texts[start : start + per_row]):
            style = heat_style(x, scale, palette) if colored else ""
            shown.append(f"[{style}]{_escape(c)}[/]" if style else _escape(c))
        table.add_row(str(start), *shown)
    return table


def print_vector(
    console: Any, vec: np.ndarray, *, precision: int, mode: str, colored: bool, lang: str
) -> None:
    """A vector as bars (short) or wrapped rows (long); bars shorten to fit the
    console, and a vector whose numbers leave no room for bars is wrapped in rows."""
    from cnncalc.show.fit import fits, print_fitted

    if vec.size <= BAR_MAX_ENTRIES:
        table = vector_bars(vec, precision=precision, mode=mode, colored=colored, lang=lang)
        if fits(console, table):
            console.print(table)
            return
        for bar_width in range(BAR_WIDTH - 1, 2, -1):
            table = vector_bars(vec, precision=precision, mode=mode, colored=colored, lang=lang,
                                bar_width=bar_width)
            if fits(console, table):
                console.print(table)
                return
    table = vector_grid(vec, precision=precision, mode=mode, colored=colored,
                        width=console.width, palette=heat_palette(console))
    print_fitted(console, [(table, _measured(console, table))])


def _measured(console: Any, table: Any) -> int:
    from rich.measure import Measurement

    return int(Measurement.get(console, console.options.update_width(1 << 20), table).maximum)


def print_run(
    results: Sequence[Any],
    *,
    precision: int,
    mode: str,
    lang: str,
    no_color: bool = False,
    loss: float | None = None,
    prediction: int | None = None,
    target: Any = None,
    selected: int | None = None,
    file: Any = None,
    loss_kind: str = "ce",
) -> None:
    """Every stage of a ``run`` (or the ``selected`` one): a bold title with its
    shape, maps as heat grids, short vectors as bars, long vectors wrapped;
    then the loss and the predicted class."""
    from cnncalc.formats import squeeze_maps
    from cnncalc.messages import text as _t
    from cnncalc.show.fit import print_wrapped
    from cnncalc.show.netreport import stage_title, summary_lines

    console = make_console(no_color=no_color, file=file)
    colored = not color_disabled(no_color)
    chosen = [results[selected - 1]] if selected else list(results)
    for k, r in enumerate(chosen):
        if k:
            console.print()
        print_wrapped(console, stage_title(r, lang), style="bold")
        out = squeeze_maps(r.output)
        if out.ndim <= 1:
            print_vector(console, out.reshape(-1), precision=precision, mode=mode,
                         colored=colored, lang=lang)
            continue
        maps = as_maps(out)
        cells = format_values(maps, precision, mode)
        for j, (m, c) in enumerate(zip(maps, cells)):
            title = _t("cli.map_title", lang, index=j + 1) if len(maps) > 1 else None
            if j:
                console.print()
            print_grid(console, c, m, title=title, colored=colored, palette=heat_palette(console),
                       lang=lang)
            if colored:
                print_legend(console, m, precision=precision, mode=mode, lang=lang)
    lines = summary_lines(loss, prediction, target, precision, mode, lang, loss_kind)
    if lines:
        console.print()
        for line in lines:
            print_wrapped(console, line, style="bold")


def print_shape(summary: Any, *, lang: str, no_color: bool = False, file: Any = None) -> None:
    """The ``shape`` table: input row, one row per stage, a total row. On a narrow
    console the stages wrap and the number columns go into blocks as they fit."""
    from rich import box
    from rich.table import Table

    from cnncalc.show.fit import Column, fits, fitted_tables, print_fitted
    from cnncalc.show.netreport import shape_rows

    console = make_console(no_color=no_color, file=file)
    header, rows = shape_rows(summary, lang)
    total = rows[-1]
    table = Table(box=box.SIMPLE, show_edge=False, pad_edge=False, show_footer=True)
    for j, name in enumerate(header):
        table.add_column(
            name,
            footer=_escape(total[j]),
            footer_style="bold",
            justify="right" if j >= 2 else "left",
            no_wrap=j > 0,
        )
    for i, row in enumerate(rows[:-1]):
        table.add_row(*[_escape(c) for c in row], style="dim" if i == 0 else None)
    if fits(console, table):
        console.print(table)
        return
    columns = [Column(name, justify="right" if j >= 2 else "left", keep=j > 0, footer=total[j])
               for j, name in enumerate(header)]
    styles = ["dim"] + [""] * (len(rows) - 2)
    print_fitted(console, fitted_tables(console.width, columns, rows[:-1], box_name="SIMPLE",
                                        row_styles=styles))
