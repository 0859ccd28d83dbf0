"""Terminal view of ``grade``: the progress bar and the class summary."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

from cnncalc.show.console import make_console


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

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.progress.__exit__(kind, error, trace)

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
    print_summary_tables(summary, title, lang, make_console(no_color=no_color, file=file))


def _write(text: str, file: Any) -> None:
    (file or sys.stdout).write(text if text.endswith("\n") else text + "\n")


def print_summary_tables(summary: dict[str, Any], title: str, lang: str, console: Any) -> None:
    """The class summary on a console: its tables and sentences fit the console's width
    (``show.fit``): a table too wide goes into blocks of whole columns, the problem names
    wrap between words, every number and mistake label stays whole."""
    from cnncalc.check.compare import diagnosis_sentence
    from cnncalc.grade.summary import cell_text, histogram_lines, score_line
    from cnncalc.grade.words import id_facts, label_name, status_name
    from cnncalc.messages import text
    from cnncalc.show.fit import Column, print_wrapped

    def t(key: str, **kw: Any) -> str:
        return text(key, lang, **kw)

    print_wrapped(console, t("grade.summary_title", title=title or "cnncalc"), style="bold")
    console.print()
    status_colors = {"ok": "green", "partial": "yellow", "missing": "dim"}
    statuses = [
        [(status_name(status, lang), status_colors.get(status, "red")), str(n)]
        for status, n in summary["statuses"].items() if n
    ]
    statuses.append([(t("grade.total"), "bold"), (str(summary["students"]), "bold")])
    _print_table(console, [Column(t("grade.col_status"), justify="left"), Column(t("grade.col_students"))],
                 statuses)
    facts = id_facts(summary, lang)
    if facts:
        console.print()
        for fact in facts:
            print_wrapped(console, fact, style="yellow")
    console.print()
    print_wrapped(console, score_line(summary, lang))
    console.print()
    print_wrapped(console, t("grade.h_histogram"), style="bold")
    _print_histogram(console, histogram_lines(summary))
    console.print()
    columns = [
        Column(t("grade.col_problem"), justify="left", keep=False),
        Column(t("grade.col_answers")),
        Column(t("grade.col_all_right")),
        Column(t("grade.col_often_wrong"), justify="left"),  # each "(1, 2) ×3" line whole
        Column(t("grade.col_mistakes"), justify="left"),  # each "label ×n" line whole
    ]
    rows = [
        [
            p["name"],
            str(p["answered"]),
            str(p["right"]),
            "\n".join(f"{cell_text(c, lang)} ×{c['count']}" for c in p["wrong_cells"][:3]),
            "\n".join(f"{label_name(d['label'], lang)} ×{d['count']}" for d in p["diagnoses"][:3]),
        ]
        for p in summary["problems"]
    ]
    _print_table(console, columns, rows)
    if summary["diagnoses"]:
        console.print()
        print_wrapped(console, t("grade.h_diagnoses"), style="bold")
        sep = "：" if lang == "zh" else ": "
        for d in summary["diagnoses"]:
            label = label_name(d["label"], lang)
            line = f"  {label} ×{d['count']}{sep}{diagnosis_sentence(d['label'], lang)}"
            _print_entry(console, line, label)


def _print_table(console: Any, columns: list[Any], rows: list[list[Any]]) -> None:
    """A summary table (cells are text or ``(text, style)``) as one table when it fits
    the console, else in blocks of whole columns (``fit.fitted_tables``), the first
    column repeated in each block, a blank line between blocks."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from cnncalc.show.fit import fits, fitted_tables, print_fitted

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in columns:
        table.add_column(column.header, justify=column.justify)
    for row in rows:
        table.add_row(*[Text(c[0], style=c[1]) if isinstance(c, tuple) else Text(c) for c in row])
    if fits(console, table):
        console.print(table)
        return
    parts: list[tuple[Any, int]] = []
    for k, part in enumerate(fitted_tables(console.width, columns, rows)):
        if k:
            parts.append((Text(""), 0))
        parts.append(part)
    print_fitted(console, parts)


def _print_histogram(console: Any, lines: list[tuple[str, int, str]]) -> None:
    """The histogram's bars, shortened in proportion when the longest would not fit on
    the line after its label and count (the counts are shown whole either way)."""
    from rich.text import Text

    from cnncalc.grade.summary import bar
    from cnncalc.show.fit import cells

    heads = [f"{label} {count:>6} " for label, count, _ in lines]
    longest = max((len(b) for _, _, b in lines), default=0)
    room = console.width - max((cells(h) for h in heads), default=0)
    most = max((count for _, count, _ in lines), default=0)
    for head, (_, count, shown) in zip(heads, lines):
        if longest > room:
            shown = bar(count, most, max(1, room))
        console.print(Text(head) + Text(shown, style="cyan"))


def _print_entry(console: Any, line: str, label: str) -> None:
    """One line of the "most common mistakes": wrapped to the console between words
    (never inside a number), its next lines indented under it, the label in yellow."""
    from rich.text import Text

    from cnncalc.show.fit import cells, wrap_text

    shown = [line] if cells(line) <= console.width else wrap_text(line, console.width, indent="  ")
    for k, piece in enumerate(shown):
        text = Text(piece)
        if k == 0 and piece.startswith("  " + label):
            text.stylize("yellow", 2, 2 + len(label))
        console.print(text, no_wrap=True, overflow="ignore", crop=False)
