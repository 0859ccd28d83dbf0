"""Fractions stay fractions: a cell written 2/3 is shown as 2/3 (check's table and
plain report, the API's wrong cells, the feedback's "written" column), and the
exact value beside it as a fraction when it is one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from click.testing import CliRunner

from cnncalc import check_answer
from cnncalc.cli import cli
from cnncalc.read import parse_text

ROOT = Path(__file__).resolve().parent.parent


def test_the_reader_keeps_the_text_of_fractions():
    (grid,) = parse_text("2/3 1\n\\frac{7}{9} −1/9\n")
    assert grid.texts.tolist() == [["2/3", None], ["7/9", "-1/9"]]
    assert parse_text("0.5 1\n")[0].texts is None


def test_check_shows_the_fraction_written_and_the_exact_fraction(tmp_path):
    (tmp_path / "p.txt").write_text("1 2\n3 4\n\n1\n\n=\n\n2/3 2\n3 4\n")
    plain = CliRunner().invoke(cli, ["check", str(tmp_path / "p.txt"), "--format", "plain"])
    assert plain.stdout.splitlines()[1:3] == ["2/3 → 1\t2", "3\t4"]
    table = CliRunner().invoke(cli, ["check", str(tmp_path / "p.txt"), "--format", "table"])
    assert "2/3 → 1 " in table.stdout and "1.000000000000" not in table.stdout


def test_an_exact_value_that_is_a_fraction_is_shown_as_one(tmp_path):
    (tmp_path / "a.txt").write_text("7/9 -1/9\n1/9 1/3\n")
    (tmp_path / "k.npy").write_bytes(b"")
    np.save(tmp_path / "k.npy", np.array([[7 / 9, 1 / 9], [1 / 9, 1 / 3]]))
    result = CliRunner().invoke(
        cli, ["check", str(tmp_path / "a.txt"), "--expected", str(tmp_path / "k.npy"), "--format", "plain"]
    )
    assert result.stdout.splitlines()[1] == "7/9\t-1/9 → 1/9"


def test_the_api_keeps_what_was_written():
    result = check_answer(parse_text("2/3 2\n3 4\n"), np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert [w.written for w in result.wrong] == ["2/3"]


def test_feedback_written_column_shows_the_fraction(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    x = (ROOT / "samples/xo/x.txt").read_text()
    (tmp_path / "x.txt").write_text(x)
    (tmp_path / "k.txt").write_text("1 0\n0 1\n")
    (tmp_path / "a.toml").write_text(
        '[[problem]]\nname = "p"\nimage = "x.txt"\nkernel = "k.txt"\nnorm = "mean"\n'
    )
    exact = CliRunner().invoke(
        cli, ["conv", str(tmp_path / "x.txt"), str(tmp_path / "k.txt"), "--norm", "mean",
              "--format", "plain", "--precision", "1"]
    ).stdout
    rows = [line.split("\t") for line in exact.splitlines()]
    rows[0][0] = "2/3"  # the exact value there is 1
    (folder / "ann.txt").write_text("\n".join(" ".join(r) for r in rows) + "\n")
    out = tmp_path / "report"
    result = CliRunner().invoke(
        cli, ["grade", str(folder), "--assignment", str(tmp_path / "a.toml"), "--out", str(out)]
    )
    assert result.exit_code in (0, 1), result.output
    feedback = (out / "feedback" / "ann.md").read_text(encoding="utf-8")
    assert "| (1, 1) | 2/3 |" in feedback and "0.666666666667" not in feedback
