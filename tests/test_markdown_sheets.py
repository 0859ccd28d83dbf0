"""A Markdown document with answer tables (a filled-in sheet of `cnncalc make`): prose and
the given image/kernel around the tables are not answers."""

from pathlib import Path

from cnncalc.read import parse_text

MADE = Path(__file__).resolve().parent.parent / "samples" / "classroom" / "made"
SHEET, KEY = MADE / "sheets" / "s01-fb173a948c.md", MADE / "keys" / "s01-fb173a948c.md"


def test_prose_and_given_blocks_around_answer_tables_are_not_answers():
    doc = ("# Homework\n\nHand in a text file named after your id (s01.txt).\n\nImage (2×2)\n\n"
           "```\n1\t2\n3\t4\n```\n\n|   | 1 | 2 |\n|---|---:|---:|\n| **1** | 0.5 | -1 |\n\n"
           "## problem 2\n\n|   | 1 |\n|---|---:|\n| **1** | 7 |\n| **2** | 8 |\n")
    grids = parse_text(doc)
    assert [g.values.tolist() for g in grids] == [[[0.5, -1.0]], [[7.0], [8.0]]]
    # a numeric first row above a rule is the student's data, as before
    assert [g.values.tolist() for g in parse_text("| 0.5 | 2 |\n|---|---|\n| 5 | 6 |\n")] == [
        [[0.5, 2.0], [5.0, 6.0]]]
