"""The batch grading command: ``grade``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from cnncalc.cli.base import STATE, fail, say
from cnncalc.cli.group import cli
from cnncalc.cli.options import (
    lang_option,
)


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--assignment",
    "assignment_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The assignment TOML file (paths in it are relative to it), or the variants.json "
    "written by `cnncalc make` (each student checked against their own variant).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("grading-report"),
    show_default=True,
    help="Report folder (never inside FOLDER): grades.csv, grades.json, summary.md, feedback/.",
)
@click.option(
    "--only",
    metavar="STUDENT",
    default=None,
    help="Regrade one student: rewrite only their row, their feedback and the summary.",
)
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV file with a 'student' column; students without a submission are 'missing'.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=1 << 20,
    show_default=True,
    help="Submissions larger than this are 'too-large' and never read.",
)
@click.option(
    "--feedback/--no-feedback",
    default=True,
    show_default=True,
    help="Write feedback/<student>.md for every student.",
)
@click.option(
    "--pictures",
    is_flag=True,
    help="Also draw a marked PNG for each wrong answer beside the feedback file "
    "(feedback/<student>-<problem>.png, linked from it; needs Pillow).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "plain", "json", "markdown")),
    default=None,
    help="Class summary on stdout (default: table on a terminal, plain when piped).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: when stderr is a terminal).",
)
@click.option(
    "--gradebook",
    "gradebooks",
    type=click.Choice(("canvas", "moodle", "gradescope", "csv")),
    multiple=True,
    help="Also write grades-<KIND>.csv for a learning platform (repeat for several); "
    "the roster's columns fill its identifier columns.",
)
@click.option(
    "--moodle-id",
    type=click.Choice(("email", "idnumber", "username")),
    default="email",
    show_default=True,
    help="The roster column the Moodle gradebook identifies students by.",
)
@click.option("--html", is_flag=True, help="Also write the class report web page report/index.html.")
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=256),
    default=None,
    help="Processes to grade on (default: every core from 4,000 submissions on, else 1).",
)
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too).")
@lang_option
def grade(
    folder: Path,
    assignment_path: Path,
    out: Path,
    only: str | None,
    roster: Path | None,
    max_bytes: int,
    feedback: bool,
    pictures: bool,
    fmt: str | None,
    progress: bool | None,
    gradebooks: tuple[str, ...],
    moodle_id: str,
    html: bool,
    workers: int | None,
    no_color: bool,
) -> None:
    """Grade a folder of submissions against an assignment; write a gradebook,
    feedback for every student and a class summary.

    A submission is one file per student (alice.txt: the id is the stem) or
    one folder per student (the id is the folder name), holding the answers as
    blocks in problem order or as a problem file. Statuses: ok, partial,
    malformed, empty, missing, too-large, unreadable; one bad submission never
    stops the batch, and the exit code is 0 when the batch finished. Rerunning
    gives the same bytes; submissions are never modified. --pictures adds a
    marked PNG of each wrong answer beside the feedback file, linked from it.
    --gradebook canvas|moodle|gradescope|csv writes files those platforms import
    unedited; --html writes report/index.html (one page per student too).

    \b
    Example:
      cnncalc grade samples/xo/class --assignment samples/xo/assignment.toml --roster samples/xo/roster.csv
      cnncalc grade samples/xo/class --assignment samples/xo/assignment.toml --pictures
      cnncalc grade samples/classroom/submissions --assignment samples/classroom/made/variants.json --roster samples/classroom/roster.csv --gradebook canvas --html
    """
    from cnncalc.check.assignment import load_assignment
    from cnncalc.grade.reports import run_grade
    from cnncalc.grade.submissions import read_roster
    from cnncalc.show import gradetables as out_mod

    if pictures:
        if not feedback:
            fail(say("grade.pictures_no_feedback"))
        from cnncalc.draw.canvas import pil
        from cnncalc.draw.layout import Words

        pil()  # no Pillow: one Error line before anything is read
        if Words(STATE.lang).fallback:
            click.echo(say("pictures.warning", warning=say("pictures.font_fallback")), err=True)
    _stop_on_sigterm()
    from cnncalc.grade.classgrade import load_variants, variants_only_error
    from cnncalc.grade.classreport import ClassroomOptions

    assignment: Any
    if assignment_path.suffix.lower() == ".json":
        assignment = load_variants(assignment_path)
    else:
        assignment = load_assignment(assignment_path)
    variants_only_error(pictures, assignment)
    students = read_roster(roster) if roster is not None else None
    rows = _roster_rows(roster) if gradebooks else None  # the platforms' columns
    classroom = ClassroomOptions(tuple(gradebooks), html, rows, STATE.lang, moodle_id=moodle_id)
    show = sys.stderr.isatty() if progress is None else progress
    with out_mod.grade_progress(STATE.lang, enabled=show, no_color=no_color) as tick:
        summary = run_grade(
            folder,
            assignment,
            out=out,
            only=only,
            roster=students,
            max_bytes=max_bytes,
            feedback=feedback,
            lang=STATE.lang,
            skip=(assignment_path, roster),
            progress=tick,
            pictures=pictures,
            classroom=classroom,
            workers=workers,
        )
    fmt = fmt or ("table" if sys.stdout.isatty() else "plain")
    out_mod.print_grade_summary(summary, fmt=fmt, lang=STATE.lang, no_color=no_color)
    for warning in classroom.warnings:
        click.echo(say("pictures.warning", warning=warning), err=True)
    click.echo(say("grade.reports_written", path=str(out)), err=True)
    if html:
        click.echo(say("classroom.html_written", path=str(out / "report" / "index.html")), err=True)


def _roster_rows(roster: Path | None) -> list[dict[str, str]] | None:
    """The roster's columns for the gradebooks (name, email, SIS ids...)."""
    if roster is None:
        return None
    from cnncalc.grade.gradebook import read_roster_rows
    from cnncalc.read import decode_bytes, read_bytes

    return read_roster_rows(decode_bytes(read_bytes(roster, max_bytes=64 << 20), str(roster)), str(roster))


def _stop_on_sigterm() -> None:
    """``kill PID`` (SIGTERM) stops grading as Ctrl-C does: the fresh report folder is
    removed and ``--out`` keeps its previous set (docs/grading-safety.md)."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (the Python API in a thread)
        pass
