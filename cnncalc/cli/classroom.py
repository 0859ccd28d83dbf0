"""The classroom command: ``make`` (one homework variant per student)."""

from __future__ import annotations

from pathlib import Path

import click

from cnncalc.cli.base import STATE, say
from cnncalc.cli.group import cli
from cnncalc.cli.options import lang_option


@cli.command()
@click.argument("assignment_path", metavar="ASSIGNMENT.toml",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV file with a 'student' column: one variant per student (without it, one sheet).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for sheets/, keys/, variants/ and variants.json.",
)
@lang_option
def make(assignment_path: Path, roster: Path | None, out: Path) -> None:
    """Make homework: per student a sheet (Markdown and printable HTML), its key,
    and what `grade` needs to check each student against their own variant.

    A problem may give a `random` table instead of files (image_size,
    image_values, kernel_size, kernel_values, stride, padding, dilation, norm,
    bias, relu, pooling, stages, min_output) or a preset (easy, medium, hard).
    Each variant is drawn from the assignment's `seed` and the student id: the
    same on every machine and release. Grade with
    `--assignment OUT/variants.json`.

    \b
    Example:
      cnncalc make samples/classroom/assignment.toml --roster samples/classroom/roster.csv --out made
    """
    from cnncalc.grade.classmake import make_class, read_make_roster

    students = read_make_roster(roster) if roster is not None else None
    made = make_class(assignment_path, students, out, lang=STATE.lang)
    click.echo(say("classroom.made", count=len(made), path=str(out)), err=True)
