"""Legible on every terminal: check's table explains its arrows, wrapped lines of the
class summary keep their indent, the CLI's heat grid ends with a legend, and the
grade summary says "1 submission"."""

from __future__ import annotations

import io

from click.testing import CliRunner

from cnncalc.cli import cli
from cnncalc.grade.summary import summarize
from cnncalc.show.gradetables import print_grade_summary


def test_check_table_has_a_key_for_the_arrow():
    result = CliRunner().invoke(
        cli, ["check", "samples/xo/homework.txt", "--norm", "mean", "--format", "table"]
    )
    lines = result.output.splitlines()
    key = "a → b: a was written, b is the exact value at the decimals written"
    assert lines.count(key) == 3  # once under each grid of wrong cells
    plain = CliRunner().invoke(cli, ["check", "samples/xo/homework.txt", "--norm", "mean"])
    assert key not in plain.output  # plain output (pasted, piped) is unchanged
    zh = CliRunner().invoke(
        cli, ["--lang", "zh", "check", "samples/xo/homework.txt", "--norm", "mean", "--format", "table"]
    )
    assert "a → b：写的是 a，b 是按所写小数位数给出的准确值" in zh.output


def _summary(count: int) -> dict:
    records = [
        {"status": "ok", "score": 1.0, "max_score": 2.0,
         "problems": [{"name": "p", "answered": True, "wrong": [{"row": 1, "col": 1, "expected": 0.5}],
                       "diagnosis": ["normalization"]}]}
        for _ in range(count)
    ]
    return summarize(records, ["p"])


def test_class_summary_lines_keep_their_indent_when_wrapped(monkeypatch):
    monkeypatch.setenv("COLUMNS", "50")
    buf = io.StringIO()
    print_grade_summary(_summary(2), fmt="table", lang="en", no_color=True, file=buf)
    text = buf.getvalue()
    tail = text.split("Most common mistakes\n  normalization ×2", 1)[1].splitlines()
    follow = [line for line in tail[1:] if line.strip()]
    assert follow, text  # the sentence did wrap at 50 columns
    assert all(line.startswith("  ") for line in follow), text


def test_one_submission_in_the_grade_summary():
    buf = io.StringIO()
    print_grade_summary(_summary(1), fmt="plain", lang="en", file=buf)
    assert "1 submission: mean 1" in buf.getvalue()
    assert "1 submissions" not in buf.getvalue()
