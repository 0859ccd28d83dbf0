"""Terminal view of ``train-step``: losses, parameters, gradients and updates."""

from __future__ import annotations

from typing import Any

from cnncalc.formats import as_maps
from cnncalc.numfmt import format_values
from cnncalc.show.console import (
    _escape,
    chunked_grid,
    color_disabled,
    heat_palette,
    make_console,
    map_table,
    plain_rows,
)

TRAIN_TABLE_MAX_CELLS = 2000  # larger grids print as plain rows (a rich table would take minutes)


def print_train(
    result: Any,
    *,
    precision: int,
    mode: str,
    lang: str,
    explanation: Any = None,
    no_color: bool = False,
    file: Any = None,
) -> None:
    """``train-step`` on a terminal: the loss per step, then each parameter's
    value, gradient and updated value as heat grids side by side (one row of
    three per block), then the worked gradient asked for with ``--explain``."""
    from rich import box
    from rich.cells import cell_len
    from rich.columns import Columns
    from rich.table import Table

    from cnncalc.messages import text as _t
    from cnncalc.show.fit import Column, fits, fitted_tables, print_fitted, print_wrapped
    from cnncalc.show.trainreport import (
        explain_header,
        explain_lines,
        explain_rows,
        grid_parts,
        loss_rows,
        param_title,
    )

    console = make_console(no_color=no_color, file=file)
    colored = not color_disabled(no_color)
    losses = Table(title=_t("train.loss_title", lang), box=box.SIMPLE_HEAD, show_edge=False,
                   pad_edge=False)
    losses.add_column(_t("train.col_step", lang), justify="right", style="dim")
    losses.add_column(_t("train.col_loss", lang), justify="right")
    for step, loss in loss_rows(result.losses, precision, mode):
        losses.add_row(step, loss)
    if fits(console, losses):
        console.print(losses)
    else:
        print_wrapped(console, _t("train.loss_title", lang), style="italic")
        print_fitted(console, fitted_tables(
            console.width,
            [Column(_t("train.col_step", lang), style="dim"), Column(_t("train.col_loss", lang))],
            [list(r) for r in loss_rows(result.losses, precision, mode)]))
    if not result.params:
        print_wrapped(console, _t("train.no_params", lang))
    for p in result.params:
        console.print()
        print_wrapped(console, param_title(p, lang), style="bold")
        parts = [(caption, as_maps(grid)) for caption, grid in grid_parts(p, len(result.losses), lang)]
        blocks = len(parts[0][1])
        for b in range(blocks):
            tables: list[tuple[str, Any]] = []
            for caption, maps in parts:
                title = caption + (" · " + _t("train.block", lang, block=b + 1) if blocks > 1 else "")
                cells = format_values(maps[b], precision, mode)
                if cells.size > TRAIN_TABLE_MAX_CELLS:  # a grid this large: plain rows, fast
                    tables.append(("plain", title + "\n" + plain_rows(console, cells, lang)))
                    continue
                table = map_table(cells, maps[b], title=title, colored=colored,
                                  palette=heat_palette(console), no_wrap=True, title_justify="left",
                                  min_width=min(cell_len(title), console.width))
                if fits(console, table):
                    tables.append(("table", table))
                    continue
                tables.append(("blocks", chunked_grid(cells, maps[b], title=title, colored=colored,
                                                      width=console.width, lang=lang,
                                                      palette=heat_palette(console))))
            whole = all(kind == "table" for kind, _ in tables)
            if whole and sum(console.measure(t).maximum + 3 for _, t in tables) <= console.width:
                console.print(Columns([t for _, t in tables], padding=(0, 3)))
                continue
            for kind, shown in tables:
                if kind == "plain":
                    console.file.write(shown + "\n")
                elif kind == "table":
                    console.print(shown)
                else:
                    print_fitted(console, shown)
    if explanation is not None:
        head, tail = explain_lines(explanation, precision, mode, lang)
        console.print()
        print_wrapped(console, head[0], style="bold")
        for line in head[1:]:
            print_wrapped(console, line)
        header = explain_header(lang)
        rows = explain_rows(explanation, precision, mode, lang)
        explained = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for j, name in enumerate(header):
            explained.add_column(name, justify="left" if j < 2 else "right")
        for row in rows:
            explained.add_row(*[_escape(c) for c in row])
        if fits(console, explained):
            console.print(explained)
        else:  # the two cells label each product; the numbers go into blocks as they fit
            columns = [Column(name, justify="left" if j < 2 else "right") for j, name in enumerate(header)]
            print_fitted(console, fitted_tables(console.width, columns, rows, labels=2))
        for line in tail[:-1]:
            print_wrapped(console, line)
        print_wrapped(console, tail[-1], style="bold")
