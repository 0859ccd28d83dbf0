"""A Markdown document with answer tables (a filled-in sheet of `cnncalc make`): prose and
the given image/kernel around the tables are not answers, and the sheet's grid (column
numbers over an empty corner, bold row numbers) reads back."""

import json
import re
from pathlib import Path

from click.testing import CliRunner

from cnncalc.cli import cli
from cnncalc.read import parse_text

MADE = Path(__file__).resolve().parent.parent / "samples" / "classroom" / "made"
SHEET, KEY = MADE / "sheets" / "s01-fb173a948c.md", MADE / "keys" / "s01-fb173a948c.md"


def filled_sheet() -> str:
    """s01's sheet with every grid filled in with the key's values, as a student would."""
    answers = [[row.split("\t") for row in block.strip().splitlines()]
               for block in re.findall(r"Answer \(\S+\)\n\n```\n(.*?)```", KEY.read_text(), re.DOTALL)]
    out, lines, i, grid = [], SHEET.read_text().splitlines(), 0, -1
    while i < len(lines):
        if re.fullmatch(r"\|   \| 1 \|( \d+ \|)*", lines[i]):
            grid += 1
            out += lines[i:i + 2]
            i += 2
            for r, row in enumerate(answers[grid], start=1):
                assert lines[i].startswith(f"| **{r}** |")
                out.append(f"| **{r}** | " + " | ".join(row) + " |")
                i += 1
            continue
        out.append(lines[i])
        i += 1
    assert grid == 1  # two problems
    return "\n".join(out) + "\n"


def test_prose_and_given_blocks_around_answer_tables_are_not_answers():
    doc = ("# Homework\n\nHand in a text file named after your id (s01.txt).\n\nImage (2×2)\n\n"
           "```\n1\t2\n3\t4\n```\n\n|   | 1 | 2 |\n|---|---:|---:|\n| **1** | 0.5 | -1 |\n\n"
           "## problem 2\n\n|   | 1 |\n|---|---:|\n| **1** | 7 |\n| **2** | 8 |\n")
    grids = parse_text(doc)
    assert [g.values.tolist() for g in grids] == [[[0.5, -1.0]], [[7.0], [8.0]]]
    # a numeric first row above a rule is the student's data, as before
    assert [g.values.tolist() for g in parse_text("| 0.5 | 2 |\n|---|---|\n| 5 | 6 |\n")] == [
        [[0.5, 2.0], [5.0, 6.0]]]


def test_a_filled_in_sheet_handed_in_whole_gets_full_marks(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "s01.md").write_text(filled_sheet(), encoding="utf-8")
    r = CliRunner().invoke(cli, ["grade", str(subs), "--assignment", str(MADE / "variants.json"),
                                 "--out", str(tmp_path / "out"), "--no-feedback", "--format", "plain"])
    assert r.exit_code == 0
    assert (tmp_path / "out" / "grades.csv").read_text().splitlines()[1] == "s01,ok,20,20,10,10"


def test_the_sheet_handed_in_unfilled_is_empty_and_a_gap_is_named(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "s01.md").write_text(SHEET.read_text(), encoding="utf-8")
    CliRunner().invoke(cli, ["grade", str(subs), "--assignment", str(MADE / "variants.json"),
                             "--out", str(tmp_path / "out"), "--no-feedback", "--format", "plain"])
    student = json.loads((tmp_path / "out" / "grades.json").read_text())["students"][0]
    assert student["status"] == "empty"
    gap = filled_sheet().replace("| **1** | 0 | 0 | 0 | 2 |", "| **1** | 0 |   | 0 | 2 |")
    (tmp_path / "part.md").write_text(gap, encoding="utf-8")
    line = gap.splitlines().index("| **1** | 0 |   | 0 | 2 |") + 1
    r = CliRunner().invoke(cli, ["check", str(tmp_path / "part.md"), "--assignment",
                                 str(MADE / "variants" / "s01-fb173a948c" / "assignment.toml")])
    assert r.exit_code == 2
    assert f"part.md:{line}:17: an empty cell between two values" in r.output


def _grade_sheet(tmp_path, text: str, name: str = "s01.md", newline: str = "\n"):
    subs = tmp_path / "subs"
    subs.mkdir(parents=True, exist_ok=True)
    (subs / name).write_bytes(text.replace("\n", newline).encode("utf-8"))
    out = tmp_path / "out"
    CliRunner().invoke(cli, ["grade", str(subs), "--assignment", str(MADE / "variants.json"),
                             "--out", str(out), "--no-feedback", "--format", "plain"])
    return json.loads((out / "grades.json").read_text())["students"][0]


def test_a_sheet_saved_on_windows_or_old_mac_reads_the_same(tmp_path):
    for newline in ("\r\n", "\r"):
        student = _grade_sheet(tmp_path / repr(newline), filled_sheet(), newline=newline)
        assert (student["status"], student["score"]) == ("ok", 20.0), student["message"]


def test_rows_of_numbers_under_a_blank_grid_are_the_answer(tmp_path):
    # the sheet's own text asks for rows of numbers: written under the grid, they count
    key = re.findall(r"Answer \(\S+\)\n\n```\n(.*?)```", KEY.read_text(), re.DOTALL)
    text = SHEET.read_text().replace("Your answer (4×4): fill in every cell\n",
                                     "Your answer (4×4): fill in every cell\n\n" + key[0] + "\n", 1)
    student = _grade_sheet(tmp_path, text)
    assert student["problems"][0]["score"] == 1.0 and student["problems"][1]["answered"] is False


def test_a_half_filled_grid_is_refused_at_its_first_empty_cell(tmp_path):
    lines = filled_sheet().splitlines()
    row3 = next(i for i, line in enumerate(lines) if line.startswith("| **3** |"))
    for n, (broken, col) in enumerate((
        ("| **3** |   |   |   |   |", 13),  # a blank row inside the grid
        ("| **3** |   | 4 | 0 | 0 |", 13),  # a blank first column
    )):
        text = "\n".join(lines[:row3] + [broken] + lines[row3 + 1:]) + "\n"
        student = _grade_sheet(tmp_path / str(n), text)
        assert student["status"] == "malformed"
        assert student["message"].startswith(f"s01.md:{row3 + 1}:{col}: an empty cell between two values")


def test_a_blank_grid_above_a_filled_one_is_refused_not_shifted(tmp_path):
    lines = filled_sheet().splitlines()
    first = [i for i, line in enumerate(lines) if line.startswith("| **")][:4]  # problem 1's grid
    for i in first:
        lines[i] = f"| **{first.index(i) + 1}** |   |   |   |   |"
    student = _grade_sheet(tmp_path, "\n".join(lines) + "\n")
    assert student["status"] == "malformed"
    assert student["message"] == (
        f"s01.md:{first[0] + 1}: this grid is blank but a grid below it is filled in: fill in every grid "
        "in problem order (or hand in the answers as text, a blank line between answers)")


def test_a_blank_last_grid_is_a_problem_not_answered(tmp_path):
    lines = filled_sheet().splitlines()
    grid2 = [i for i, line in enumerate(lines) if line.startswith("| **")][4:]
    for n, i in enumerate(grid2, start=1):
        lines[i] = f"| **{n}** |   |   |   |"
    student = _grade_sheet(tmp_path, "\n".join(lines) + "\n")
    assert student["status"] == "partial" and student["score"] == 10.0
