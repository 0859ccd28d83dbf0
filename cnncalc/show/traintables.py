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
    from rich.columns import Columns
    from rich.table import Table

    from cnncalc.messages import text as _t
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
    console.print(losses)
    if not result.params:
        console.print(_escape(_t("train.no_params", lang)))
    for p in result.params:
        console.print()
        console.print(f"[bold]{_escape(param_title(p, lang))}[/]")
        parts = [(caption, as_maps(grid)) for caption, grid in grid_parts(p, len(result.losses), lang)]
        blocks = len(parts[0][1])
        for b in range(blocks):
            tables = []
            for caption, maps in parts:
                title = caption + (" · " + _t("train.block", lang, block=b + 1) if blocks > 1 else "")
                cells = format_values(maps[b], precision, mode)
                if cells.size > TRAIN_TABLE_MAX_CELLS:  # a grid this large: plain rows, fast
                    tables.append([title + "\n" + "\n".join("\t".join(r) for r in cells)])
                    continue
                tables.append(chunked_grid(cells, maps[b], title=title, colored=colored,
                                           width=console.width, palette=heat_palette(console)))
            fits = all(len(t) == 1 and not isinstance(t[0], str) for t in tables)
            if fits and sum(console.measure(t[0]).maximum + 3 for t in tables) <= console.width:
                console.print(Columns([t[0] for t in tables], padding=(0, 3)))
                continue
            for chunks in tables:
                for table in chunks:
                    if isinstance(table, str):
                        console.file.write(table + "\n")
                    else:
                        console.print(table)
    if explanation is not None:
        head, tail = explain_lines(explanation, precision, mode, lang)
        console.print()
        console.print(f"[bold]{_escape(head[0])}[/]")
        for line in head[1:]:
            console.print(_escape(line))
        explained = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for j, name in enumerate(explain_header(lang)):
            explained.add_column(name, justify="left" if j < 2 else "right")
        for row in explain_rows(explanation, precision, mode, lang):
            explained.add_row(*[_escape(c) for c in row])
        console.print(explained)
        for line in tail[:-1]:
            console.print(_escape(line))
        console.print(f"[bold]{_escape(tail[-1])}[/]")
