"""What a teacher needs about ids (issue 23): submissions whose id is not on the
``--roster`` and roster students with nothing handed in are said in the summary,
the csv gradebook and the HTML report; an id a CSV file writes with a formula
guard (``'``) is written the same way in grades.csv and in every gradebook, and
said too."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncalc.cli import cli
from cnncalc.grade.gradebook import GRADEBOOKS, gradebook, neutralise, read_roster_rows
from cnncalc.grade.reports import grades_csv

ROOT = Path(__file__).resolve().parent.parent
XO = ROOT / "samples" / "xo"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """The X/O class, with zoe (right answers) and emma (an empty file) not on the roster."""
    folder = tmp_path / "class"
    shutil.copytree(XO / "class", folder)
    shutil.copy(XO / "class" / "ana.txt", folder / "zoe.txt")
    (folder / "emma.txt").write_text("")
    return folder


def grade(folder: Path, out: Path, *args: str, lang: str = "en"):
    result = CliRunner().invoke(cli, [
        "--lang", lang, "grade", str(folder), "--assignment", str(XO / "assignment.toml"),
        "--out", str(out), "--format", "plain", "--no-progress", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def test_summary_names_the_ids_off_the_roster_and_the_absent(course: Path, tmp_path: Path):
    result = grade(course, tmp_path / "r", "--roster", str(XO / "roster.csv"))
    lines = result.stdout.splitlines()
    assert lines[2:5] == [
        "Submissions: ok 7 · partial 1 · malformed 1 · empty 1 · missing 1 · too-large 0 · unreadable 0 (total 11)",
        "Not on the roster, graded by their file name (2): emma, zoe",
        "On the roster, nothing handed in (1): ivy",
    ]
    md = (tmp_path / "r" / "summary.md").read_text(encoding="utf-8")
    assert ("## Student ids\n\n- Not on the roster, graded by their file name (2): emma, zoe\n"
            "- On the roster, nothing handed in (1): ivy\n") in md
    zh = grade(course, tmp_path / "z", "--roster", str(XO / "roster.csv"), lang="zh").stdout.splitlines()
    assert zh[3:5] == ["不在名单上、按文件名评分的提交（2 份）：emma, zoe", "在名单上但没有提交（1 人）：ivy"]


def test_json_summary_and_grades_json_hold_the_facts(course: Path, tmp_path: Path):
    result = grade(course, tmp_path / "r", "--roster", str(XO / "roster.csv"), "--format", "json")
    assert json.loads(result.stdout)["ids"] == {
        "not_on_roster": ["emma", "zoe"], "no_submission": ["ivy"], "guarded": []}
    data = json.loads((tmp_path / "r" / "grades.json").read_text(encoding="utf-8"))
    flagged = {s["student"] for s in data["students"] if s.get("not_on_roster")}
    assert flagged == {"emma", "zoe"}
    assert all("not_on_roster" not in s for s in data["students"] if s["student"] not in flagged)


def test_without_a_roster_nothing_is_said_about_it(tmp_path: Path):
    result = grade(XO / "class", tmp_path / "r")
    assert "roster" not in result.stdout
    assert "not_on_roster" not in (tmp_path / "r" / "grades.json").read_text(encoding="utf-8")


def test_csv_gradebook_notes_and_warnings(course: Path, tmp_path: Path):
    result = grade(course, tmp_path / "r", "--roster", str(XO / "roster.csv"), "--gradebook", "csv",
                   "--gradebook", "canvas")
    table = {r["student"]: r for r in rows(tmp_path / "r" / "grades-csv.csv")}
    assert table["zoe"]["notes"] == "not on the roster" and table["zoe"]["status"] == "ok"
    assert table["emma"]["notes"] == "not on the roster" and table["emma"]["status"] == "empty"
    assert table["ivy"]["status"] == "missing" and table["ana"]["notes"] == ""
    for kind in ("csv", "canvas"):  # issue 24: one line for both ids, not one per student
        assert (f"Warning: {kind} gradebook: 2 submissions are not on the roster (each was graded by its file "
                "name); check the ids before importing: emma, zoe\n") in result.stderr
    assert "Warning: canvas gradebook: ana: not on the roster" not in result.stderr


def test_html_report_says_it(course: Path, tmp_path: Path):
    grade(course, tmp_path / "r", "--roster", str(XO / "roster.csv"), "--html")
    index = (tmp_path / "r" / "report" / "index.html").read_text(encoding="utf-8")
    assert ('<h2>Student ids</h2>\n<ul id="ids"><li>Not on the roster, graded by their file name (2): emma, zoe</li>'
            "<li>On the roster, nothing handed in (1): ivy</li></ul>") in index
    zoe = next((tmp_path / "r" / "report" / "students").glob("zoe-*.html")).read_text(encoding="utf-8")
    assert "<h2>Notes</h2><ul><li>not on the roster</li></ul>" in zoe


def test_only_rerun_keeps_the_fact(course: Path, tmp_path: Path):
    out = tmp_path / "r"
    grade(course, out, "--roster", str(XO / "roster.csv"))
    before = (out / "summary.md").read_bytes()
    grade(course, out, "--only", "zoe")  # no --roster: zoe keeps her note
    assert (out / "summary.md").read_bytes() == before
    grade(course, out, "--only", "ana", "--roster", str(XO / "roster.csv"))
    assert (out / "summary.md").read_bytes() == before


def test_the_same_bytes_on_two_workers(course: Path, tmp_path: Path):
    args = ("--roster", str(XO / "roster.csv"), "--gradebook", "csv", "--html")
    grade(course, tmp_path / "one", *args, "--workers", "1")
    grade(course, tmp_path / "two", *args, "--workers", "2")
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    for rel in files:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel


# --------------------------------------------------------------------------- the formula guard

IDS = ["--help", "-5", "+1", " =x", "@home", "ann", "\uff1dy", "0.5"]


def test_grades_csv_and_every_gradebook_write_an_id_the_same_way():
    """One rule (``neutralise``) for grades.csv and the gradebooks: an id starting like
    a formula gets the ``'`` everywhere, a plain number nowhere."""
    recs = [{"student": s, "status": "ok", "score": 1.0, "max_score": 1.0,
             "problems": [{"name": "p", "earned": 1.0, "points": 1.0}]} for s in IDS]
    written = {r[0] for r in csv.reader(io.StringIO(grades_csv(["p"], recs)))} - {"student"}
    assert written == {neutralise(s) for s in IDS}
    assert written == {"'--help", "-5", "+1", "' =x", "'@home", "ann", "'\uff1dy", "0.5"}
    plain = {r["student"] for r in rows_of(gradebook("csv", recs, None, title="t").text)}
    canvas = {r["SIS User ID"] for r in rows_of(gradebook("canvas", recs, None, title="t").text)}
    scope = {r["SID"] for r in rows_of(gradebook("gradescope", recs, None, title="t").text)}
    moodle = {r["Username"] for r in rows_of(gradebook("moodle", recs, None, title="t",
                                                       moodle_identifier="username").text)}
    assert plain == canvas == scope == moodle == written


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("kind", list(GRADEBOOKS))
def test_every_gradebook_warns_about_a_guarded_id(kind: str):
    roster = read_roster_rows("student,email,sis_user_id,username\n--help,=h@x.org,-h1,--help\nann,a@x.org,7,ann\n")
    recs = [{"student": s, "status": "ok", "score": 1.0, "max_score": 1.0, "problems": []} for s in ("--help", "ann")]
    options = {"moodle_identifier": "username"} if kind == "moodle" else {}
    gb = gradebook(kind, recs, roster, title="t", **options)
    guarded = [w for w in gb.warnings if "looks like a formula" in w]
    assert guarded and all(w.startswith("--help: ") for w in guarded), gb.warnings
    assert all("leading '" in w and "will not match it as written" in w for w in guarded)


def test_summary_lists_the_guarded_ids(tmp_path: Path):
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(XO / "class" / "ana.txt", folder / "--help.txt")
    shutil.copy(XO / "class" / "ana.txt", folder / "ann.txt")
    result = grade(folder, tmp_path / "r")
    assert ("Ids that look like a formula, written with a leading ' in the CSV files so that a spreadsheet "
            "never runs them; a platform will not match them as written (1): --help") in result.stdout.splitlines()
    assert (tmp_path / "r" / "grades.csv").read_text(encoding="utf-8").splitlines()[1].startswith("'--help,ok,")


def test_only_rerun_keeps_the_note_in_the_csv_gradebook(course: Path, tmp_path: Path):
    out = tmp_path / "r"
    grade(course, out, "--roster", str(XO / "roster.csv"), "--gradebook", "csv")
    grade(course, out, "--only", "zoe", "--gradebook", "csv")  # no --roster this time
    table = {r["student"]: r for r in rows(out / "grades-csv.csv")}
    assert table["zoe"]["notes"] == "not on the roster" and table["emma"]["notes"] == "not on the roster"


def test_table_summary_says_it_too(course: Path, tmp_path: Path):
    result = grade(course, tmp_path / "r", "--roster", str(XO / "roster.csv"), "--format", "table", "--no-color")
    lines = result.stdout.splitlines()
    assert "Not on the roster, graded by their file name (2): emma, zoe" in lines
    assert "On the roster, nothing handed in (1): ivy" in lines
    assert lines.index("On the roster, nothing handed in (1): ivy") < lines.index(
        "10 submissions: mean 13.65, median 12.76, min 0, max 30 (out of 30).")
