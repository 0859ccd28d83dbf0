"""Terminal view of ``grade``: the progress bar and the class summary."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

from cnncalc.show.console import (
    _escape,
    make_console,
)


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
    _grade_tables(summary, title, lang, make_console(no_color=no_color, file=file))


def _write(text: str, file: Any) -> None:
    (file or sys.stdout).write(text if text.endswith("\n") else text + "\n")


def _grade_tables(summary: dict[str, Any], title: str, lang: str, console: Any) -> None:
    from rich import box
    from rich.table import Table

    from cnncalc.check.compare import diagnosis_sentence
    from cnncalc.grade.summary import cell_text, histogram_lines, score_line
    from cnncalc.grade.words import id_facts, label_name, status_name
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
            table.add_row(f"[{status_colors.get(status, 'red')}]{_escape(status_name(status, lang))}[/]", str(n))
    table.add_row(f"[bold]{_escape(t('grade.total'))}[/]", f"[bold]{summary['students']}[/]")
    console.print(table)
    facts = id_facts(summary, lang)
    if facts:
        console.print()
        for fact in facts:
            console.print(f"[yellow]{_escape(fact)}[/]")
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
        mistakes = "\n".join(f"{_escape(label_name(d['label'], lang))} ×{d['count']}" for d in p["diagnoses"][:3])
        problems.add_row(_escape(p["name"]), str(p["answered"]), str(p["right"]), cells, mistakes)
    console.print(problems)
    if summary["diagnoses"]:
        console.print()
        console.print(f"[bold]{_escape(t('grade.h_diagnoses'))}[/]")
        lines = Table.grid(padding=0)  # a wrapped sentence keeps the two-space indent
        lines.add_column(no_wrap=True)
        lines.add_column()
        for d in summary["diagnoses"]:
            lines.add_row(
                "  ",
                f"[yellow]{_escape(label_name(d['label'], lang))}[/] ×{d['count']}" + ("：" if lang == "zh" else ": ")
                + _escape(diagnosis_sentence(d["label"], lang)),
            )
        console.print(lines)
