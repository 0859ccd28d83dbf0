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
from collections.abc import Sequence
from typing import Any

import numpy as np

from cnncalc.colors import NEGATIVE_RGB, POSITIVE_RGB, heat_rgb
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
    first_col: int = 0,
    scale: float | None = None,
    no_wrap: bool = False,
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
    """Print maps as heat-coloured grids, each titled with its index and shape.

    A map wider than the terminal is split into blocks of whole columns (labels
    keep their numbers); one over ``MAP_TABLE_MAX_CELLS`` prints as plain rows.
    """
    console = make_console(no_color=no_color, file=file)
    maps = as_maps(array)
    cells = format_values(maps, precision, mode)
    colored = not color_disabled(no_color)
    for k, (m, c) in enumerate(zip(maps, cells)):
        title = titles[k] if titles else None
        if k:
            console.print()
        if c.size > MAP_TABLE_MAX_CELLS:
            rows = "\n".join("\t".join(r) for r in c)
            console.file.write((title + "\n" if title else "") + rows + "\n")
        elif _grid_width(c) <= console.width:
            console.print(map_table(c, m, title=title, colored=colored))
        else:
            for table in chunked_grid(c, m, title=title or "", colored=colored, width=console.width):
                console.print(table)


def write_stdout(text: str) -> None:
    """Write already formatted text to stdout (no rich, no styling)."""
    if sys.stdout is None:  # started with stdout closed (>&-)
        from cnncalc.errors import CnncalcError

        raise CnncalcError("cli.write_failed", path="stdout", reason="closed")
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


# ---- pipeline rendering (run and shape; owned by the pipeline helper)

BAR_WIDTH = 20
BAR_MAX_ENTRIES = 16


def _bar_cells(values: np.ndarray) -> tuple[list[int], float]:
    finite = values[np.isfinite(values)]
    scale = float(np.max(np.abs(finite))) if finite.size else 0.0
    if scale == 0:
        return [0] * values.size, scale
    lengths = [max(1, round(abs(v) / scale * BAR_WIDTH)) if v else 0 for v in values.tolist()]
    return lengths, scale


def vector_bars(
    values: np.ndarray, *, precision: int, mode: str, colored: bool = True, lang: str = "en"
) -> Any:
    """A short vector as labelled bars: 0-based index, value, a bar to the left
    (negative, blue) or right (positive, red) of the axis."""
    from rich import box
    from rich.table import Table

    from cnncalc.messages import text as _t

    v = np.asarray(values, dtype=np.float64).reshape(-1)
    cells = format_values(v, precision, mode)
    lengths, _ = _bar_cells(v)
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
    values: np.ndarray, *, precision: int, mode: str, colored: bool = True, width: int = 80
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
            style = heat_style(x, scale) if colored else ""
            shown.append(f"[{style}]{_escape(c)}[/]" if style else _escape(c))
        table.add_row(str(start), *shown)
    return table


def print_run(
    results: Sequence[Any],
    *,
    precision: int,
    mode: str,
    lang: str,
    no_color: bool = False,
    loss: float | None = None,
    prediction: int | None = None,
    target: int | None = None,
    selected: int | None = None,
    file: Any = None,
) -> None:
    """Every stage of a ``run`` (or the ``selected`` one): a bold title with its
    shape, maps as heat grids, short vectors as bars, long vectors wrapped;
    then the loss and the predicted class."""
    from cnncalc.formats import squeeze_maps
    from cnncalc.messages import text as _t
    from cnncalc.show.netreport import stage_title, summary_lines

    console = make_console(no_color=no_color, file=file)
    colored = not color_disabled(no_color)
    chosen = [results[selected - 1]] if selected else list(results)
    for k, r in enumerate(chosen):
        if k:
            console.print()
        console.print(f"[bold]{_escape(stage_title(r, lang))}[/]")
        out = squeeze_maps(r.output)
        if out.ndim <= 1:
            vec = out.reshape(-1)
            if vec.size <= BAR_MAX_ENTRIES:
                console.print(vector_bars(vec, precision=precision, mode=mode, colored=colored, lang=lang))
            else:
                console.print(
                    vector_grid(vec, precision=precision, mode=mode, colored=colored, width=console.width)
                )
            continue
        maps = as_maps(out)
        cells = format_values(maps, precision, mode)
        for j, (m, c) in enumerate(zip(maps, cells)):
            title = _t("cli.map_title", lang, index=j + 1) if len(maps) > 1 else None
            if j:
                console.print()
            console.print(map_table(c, m, title=title, colored=colored))
    lines = summary_lines(loss, prediction, target, precision, mode, lang)
    if lines:
        console.print()
        for line in lines:
            console.print(f"[bold]{_escape(line)}[/]")


def print_shape(summary: Any, *, lang: str, no_color: bool = False, file: Any = None) -> None:
    """The ``shape`` table: input row, one row per stage, a total row."""
    from rich import box
    from rich.table import Table

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
    console.print(table)


# ---- checking rendering (check and explain; owned by the checker helper)

WRONG_STYLE = "bold red"
FIELD_STYLE = "bold black on yellow"
TONE_STYLE = {"good": "bold green", "bad": "bold red", "": ""}


def print_sections(sections: Sequence[Any], *, no_color: bool = False, file: Any = None) -> None:
    """Draw a check report or an explanation (``checkreport.Section`` list): each
    grid as a table with its marked cells in red (wrong) or yellow (the
    receptive field), each sentence as a line or a bullet."""
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


def _grid_width(cells: np.ndarray) -> int:
    """Columns a grid needs on one line: the row labels, then each column plus padding."""
    from rich.cells import cell_len

    label = len(str(cells.shape[0])) + 1
    widths = [max(cell_len(str(c)) for c in cells[:, j]) + 1 for j in range(cells.shape[1])]
    return label + sum(widths) + 2 * len(widths)


# ---- grading rendering (progress bar and class summary; owned by the grading helper)


class _NoProgress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class _GradeProgress:
    """A rich progress bar on stderr with one task per phase (reading, checking, writing)."""

    def __init__(self, lang: str, no_color: bool) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.lang = lang
        self.progress = Progress(
            TextColumn("{task.description:>10}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=make_console(stderr=True, no_color=no_color),
            transient=True,
        )
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> Any:
        self.progress.__enter__()
        return self.tick

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)

    def tick(self, phase: str, done: int, total: int) -> None:
        from cnncalc.messages import text

        task = self.tasks.get(phase)
        if task is None:
            task = self.tasks[phase] = self.progress.add_task(
                text(f"grade.progress_{phase}", self.lang), total=total
            )
        self.progress.update(task, completed=done, total=total)


def grade_progress(lang: str, *, enabled: bool, no_color: bool = False) -> Any:
    """A context manager giving a ``tick(phase, done, total)`` callback, or None when off."""
    return _GradeProgress(lang, no_color) if enabled else _NoProgress()


def print_grade_summary(
    summary: dict[str, Any], *, fmt: str, lang: str, no_color: bool = False, file: Any = None
) -> None:
    """The class summary after ``grade``: table (rich), plain, markdown or json."""
    from cnncalc.grade import summary as classsummary

    title = summary.get("title", "")
    if fmt == "json":
        from cnncalc.formats import json_text

        _write(json_text(summary), file)
        return
    if fmt == "markdown":
        _write(classsummary.summary_markdown(summary, title, lang), file)
        return
    if fmt != "table":
        _write(classsummary.summary_plain(summary, title, lang), file)
        return
    _grade_tables(summary, title, lang, make_console(no_color=no_color, file=file))


def _write(text: str, file: Any) -> None:
    (file or sys.stdout).write(text if text.endswith("\n") else text + "\n")


def _grade_tables(summary: dict[str, Any], title: str, lang: str, console: Any) -> None:
    from rich import box
    from rich.table import Table

    from cnncalc.check.compare import diagnosis_sentence
    from cnncalc.grade.summary import cell_text, histogram_lines, score_line
    from cnncalc.messages import text

    def t(key: str, **kw: Any) -> str:
        return text(key, lang, **kw)

    console.print(f"[bold]{_escape(t('grade.summary_title', title=title or 'cnncalc'))}[/]")
    console.print()
    status_colors = {"ok": "green", "partial": "yellow", "missing": "dim"}
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(t("grade.col_status"))
    table.add_column(t("grade.col_students"), justify="right")
    for status, n in summary["statuses"].items():
        if n:
            table.add_row(f"[{status_colors.get(status, 'red')}]{status}[/]", str(n))
    table.add_row(f"[bold]{_escape(t('grade.total'))}[/]", f"[bold]{summary['students']}[/]")
    console.print(table)
    console.print()
    console.print(_escape(score_line(summary, lang)))
    console.print()
    console.print(f"[bold]{_escape(t('grade.h_histogram'))}[/]")
    for label, count, bar in histogram_lines(summary):
        console.print(f"{label} {count:>6} [cyan]{bar}[/]")
    console.print()
    problems = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    problems.add_column(t("grade.col_problem"))
    problems.add_column(t("grade.col_answers"), justify="right")
    problems.add_column(t("grade.col_all_right"), justify="right")
    problems.add_column(t("grade.col_often_wrong"))
    problems.add_column(t("grade.col_mistakes"))
    for p in summary["problems"]:
        cells = "\n".join(f"{cell_text(c, lang)} ×{c['count']}" for c in p["wrong_cells"][:3])
        mistakes = "\n".join(f"{d['label']} ×{d['count']}" for d in p["diagnoses"][:3])
        problems.add_row(_escape(p["name"]), str(p["answered"]), str(p["right"]), cells, mistakes)
    console.print(problems)
    if summary["diagnoses"]:
        console.print()
        console.print(f"[bold]{_escape(t('grade.h_diagnoses'))}[/]")
        for d in summary["diagnoses"]:
            console.print(
                f"  [yellow]{_escape(d['label'])}[/] ×{d['count']}" + ("：" if lang == "zh" else ": ")
                + _escape(diagnosis_sentence(d["label"], lang))
            )
# ---- training rendering (train-step; owned by the training helper)

TRAIN_TABLE_MAX_CELLS = 2000  # larger grids print as plain rows (a rich table would take minutes)


def chunked_grid(
    cells: np.ndarray, values: np.ndarray, *, title: str, colored: bool, width: int
) -> list[Any]:
    """A map as one table, or as several tables of consecutive columns when it
    is wider than ``width`` (column labels keep their 1-based numbers)."""
    from rich.cells import cell_len

    rows, cols = cells.shape
    # each column: its text, one space of padding on each side, one divider
    cell_width = max([len(str(c)) for c in cells.ravel()] + [len(str(cols))]) + 3
    label_width = len(str(rows)) + 1
    per_chunk = max(1, (width - label_width) // cell_width)
    finite = values[np.isfinite(values)]
    scale = float(np.max(np.abs(finite))) if finite.size else 0.0
    return [
        map_table(
            cells[:, start : start + per_chunk],
            values[:, start : start + per_chunk],
            title=title if start == 0 else None,
            colored=colored,
            first_col=start,
            scale=scale,
            no_wrap=True,
            title_justify="left",
            min_width=min(cell_len(title), width) if start == 0 else None,
        )
        for start in range(0, cols, per_chunk)
    ]


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

    from cnncalc.formats import as_maps
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
                                           width=console.width))
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
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for j, name in enumerate(explain_header(lang)):
            table.add_column(name, justify="left" if j < 2 else "right")
        for row in explain_rows(explanation, precision, mode, lang):
            table.add_row(*[_escape(c) for c in row])
        console.print(table)
        for line in tail[:-1]:
            console.print(_escape(line))
        console.print(f"[bold]{_escape(tail[-1])}[/]")
