"""`cnncalc grade` on the sample class: exact output in every summary format, the README's
tour, errors, and the two-process split giving the same bytes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncalc.cli import cli

ROOT = Path(__file__).resolve().parent.parent
XO = ROOT / "samples" / "xo"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def run(*args: str, out: Path) -> object:
    return CliRunner().invoke(
        cli,
        ["grade", str(XO / "class"), "--assignment", str(XO / "assignment.toml"),
         "--roster", str(XO / "roster.csv"), "--out", str(out), *args],
        catch_exceptions=False,
    )


def readme_block(after: str) -> str:
    start = README.index(after)
    return re.search(r"```\n(.*?)```", README[start:], flags=re.DOTALL).group(1)


def test_readme_tour_output_is_true(tmp_path):
    result = run("--format", "plain", out=tmp_path / "r")
    assert result.exit_code == 0
    assert result.stdout == readme_block("Piped (or with `--format plain`) the class summary reads:")
    csv = (tmp_path / "r" / "grades.csv").read_text(encoding="utf-8")
    shown = readme_block("- `grades.csv`, one row per student")
    assert csv == "\n".join(line[2:] for line in shown.rstrip().splitlines()) + "\n"


def test_plain_summary_and_statuses(tmp_path):
    result = run("--format", "plain", out=tmp_path / "r")
    lines = result.stdout.splitlines()
    assert lines[0] == "Class summary: X or O feature maps"
    assert lines[2] == (
        "Submissions: ok 6 · partial 1 · malformed 1 · empty 0 · missing 1 · too-large 0 · "
        "unreadable 0 (total 9)"
    )
    assert lines[3] == "On the roster, nothing handed in (1): ivy"  # issue 23: the ids a teacher needs
    assert lines[4] == "8 submissions: mean 13.32, median 12.76, min 0, max 30 (out of 30)."
    assert "Reports written to " in result.stderr


def test_json_summary(tmp_path):
    result = run("--format", "json", out=tmp_path / "r")
    summary = json.loads(result.stdout)
    assert summary["statuses"] == {
        "ok": 6, "partial": 1, "malformed": 1, "empty": 0, "missing": 1, "too-large": 0,
        "unreadable": 0,
    }
    assert summary["scores"] == {
        "count": 8, "max_score": 30.0, "mean": 13.316327, "median": 12.755102, "min": 0.0,
        "max": 30.0,
    }
    assert [b["count"] for b in summary["histogram"]] == [3, 0, 0, 0, 2, 0, 1, 0, 0, 2]
    first = summary["problems"][0]
    assert (first["answered"], first["right"], first["wrong_shape"]) == (7, 4, 0)
    assert first["wrong_cells"][0] == {"map": 1, "row": 1, "col": 2, "count": 3, "expected": -1 / 9}
    assert summary["diagnoses"][:2] == [
        {"label": "normalization", "count": 3}, {"label": "sign", "count": 3}
    ]


def test_markdown_summary_is_summary_md(tmp_path):
    result = run("--format", "markdown", out=tmp_path / "r")
    assert result.stdout == (tmp_path / "r" / "summary.md").read_text(encoding="utf-8")
    assert result.stdout.startswith("# Class summary: X or O feature maps\n\n## Submissions\n")


def test_table_summary(tmp_path):
    result = run("--format", "table", "--no-color", out=tmp_path / "r")
    out = result.stdout
    assert out.startswith("Class summary: X or O feature maps\n\nstatus      students\n")
    assert "ok                 6\n" in out and "total              9\n" in out
    assert " 90–100%      2 ████████████████████\n" in out
    assert re.search(r"feature map 1 +7 +4 +\(1, 2\) ×3 +normalization ×1", out)
    assert "Most common mistakes\n  normalization ×3: The answer mixes up" in out


def test_chinese_summary(tmp_path):
    result = run("--format", "plain", "--lang", "zh", out=tmp_path / "r")
    assert result.stdout.splitlines()[0] == "全班总结：X or O feature maps"
    assert "8 份提交：平均 13.32，中位数 12.76，最低 0，最高 30（满分 30）。" in result.stdout
    assert "报告已写入" in result.stderr


def test_sample_feedback_and_json(tmp_path):
    run("--format", "plain", out=tmp_path / "r")
    chen = (tmp_path / "r" / "feedback" / "chen.md").read_text(encoding="utf-8")
    assert "## feature map 1 — 7.55/10\n\n12 of 49 cells wrong." in chen
    assert "## feature map 3 — 0/10\n\n15 of 49 cells wrong." in chen  # "all" scoring
    data = json.loads((tmp_path / "r" / "grades.json").read_text(encoding="utf-8"))
    dana = next(s for s in data["students"] if s["student"] == "dana")
    # issue 24: each diagnosis is the object `check --format json` gives, not a bare label
    assert [p["diagnosis"][0]["label"] for p in dana["problems"]] == ["normalization"] * 3
    hana = next(s for s in data["students"] if s["student"] == "hana")
    assert hana["problems"][1]["diagnosis"][0]["label"] == "swapped-answers"
    gus = next(s for s in data["students"] if s["student"] == "gus")
    # issue 21: the letter O is named, with the number to write
    assert gus["message"].startswith("gus.txt:1:1: 'O.77' holds the letter O, not the digit 0: write 0.77")


def test_progress_bar_on_stderr(tmp_path):
    plain = run("--format", "plain", "--no-progress", out=tmp_path / "a")
    shown = run("--format", "plain", "--progress", out=tmp_path / "b")
    assert shown.exit_code == 0 and shown.stdout == plain.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--max-bytes", "0"], "Error: Invalid value for '--max-bytes'"),
        (["--format", "csv"], "Error: Invalid value for '--format'"),
    ],
)
def test_bad_options(tmp_path, args, message):
    result = run(*args, out=tmp_path / "r")
    assert result.exit_code == 2 and result.output.startswith(message)


def test_missing_folder_and_broken_assignment(tmp_path):
    r = CliRunner().invoke(cli, ["grade", str(tmp_path / "nope"), "--assignment", str(XO / "assignment.toml")])
    assert r.exit_code == 2 and "Error: Invalid value for 'FOLDER'" in r.output
    bad = tmp_path / "a.toml"
    bad.write_text('[[problem]]\nimage = "x.txt"\nkernel = "k1.txt"\npoints = "ten"\n')
    r = CliRunner().invoke(cli, ["grade", str(XO / "class"), "--assignment", str(bad), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and r.output.startswith(f"Error: {bad}:")
    assert not (tmp_path / "o").exists()


def test_roster_without_student_column(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("name\nAna\n")
    r = CliRunner().invoke(
        cli, ["grade", str(XO / "class"), "--assignment", str(XO / "assignment.toml"),
              "--roster", str(roster), "--out", str(tmp_path / "o")],
    )
    assert r.exit_code == 2
    assert r.output == f"Error: {roster}: the roster must be a CSV file with a 'student' column\n"


