"""What `grade` finds in a submissions folder and how it says it (issue 24): a
resubmission under another extension, ids that differ from the roster only in
case, spaces or width, statuses kept with per-student variants, hidden names, one
gradebook warning per reason, an --out around the submissions, nesting past the
limit, ids that are Markdown, and grades.json's diagnoses as check JSON's objects."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncalc.cli import cli
from cnncalc.grade.gradebook import gradebook

ROOT = Path(__file__).resolve().parent.parent
XO = ROOT / "samples" / "xo"
CLASSROOM = ROOT / "samples" / "classroom"


def run(*args: str, lang: str = "en"):
    return CliRunner().invoke(cli, ["--lang", lang, *args], catch_exceptions=False)


def grade(folder: Path, out: Path, *args: str, lang: str = "en", assignment: Path = XO / "assignment.toml"):
    result = run("grade", str(folder), "--assignment", str(assignment), "--out", str(out), "--format", "plain",
                 "--no-progress", *args, lang=lang)
    assert result.exit_code == 0, result.output
    return result


def students(out: Path) -> dict[str, dict]:
    return {s["student"]: s for s in json.loads((out / "grades.json").read_text(encoding="utf-8"))["students"]}


def csv_rows(path: Path) -> dict[str, dict[str, str]]:
    return {r["student"]: r for r in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))}


@pytest.fixture
def resub(tmp_path: Path) -> Path:
    """The X/O class where bob handed in chen's wrong answer as bob.csv, then a right one as bob.txt."""
    folder = tmp_path / "class"
    shutil.copytree(XO / "class", folder)
    shutil.copy(XO / "class" / "chen.txt", folder / "bob.csv")
    shutil.copy(XO / "class" / "ana.txt", folder / "bob.txt")
    return folder


# --------------------------------------------------------------------------- B3: two files, one id


def test_a_resubmission_under_another_extension_is_not_graded_silently(resub: Path, tmp_path: Path):
    roster = tmp_path / "roster.csv"
    roster.write_text((XO / "roster.csv").read_text() + "bob,Bob Stone\n")
    out = tmp_path / "r"
    result = grade(resub, out, "--roster", str(roster), "--gradebook", "csv", "--gradebook", "canvas", "--html")
    bob = students(out)["bob"]
    assert (bob["status"], bob["score"]) == ("malformed", 0)  # it was ok, 13.47: bob.csv graded, bob.txt a note
    assert bob["message"] == "handed in 2 files: bob.csv, bob.txt; keep one and regrade with --only bob"
    assert bob["several_files"] == ["bob.csv", "bob.txt"] and bob["notes"] == []
    fact = ("Several files under one id, none of them graded (keep one, then regrade with --only ID) (1): "
            "bob (bob.csv, bob.txt)")
    assert fact in result.stdout.splitlines()
    assert f"- {fact}\n" in (out / "summary.md").read_text(encoding="utf-8")
    assert fact in (out / "report" / "index.html").read_text(encoding="utf-8")
    assert csv_rows(out / "grades-csv.csv")["bob"]["notes"] == bob["message"]
    assert "bob,malformed,0,30" in (out / "grades.csv").read_text()
    for kind in ("csv", "canvas"):
        assert (f"Warning: {kind} gradebook: bob: handed in 2 files (bob.csv, bob.txt), none graded, so the "
                "score is 0; keep one and regrade with --only bob before importing\n") in result.stderr
    # the teacher keeps the new file and regrades bob alone
    (resub / "bob.csv").unlink()
    grade(resub, out, "--only", "bob", "--roster", str(roster))
    bob = students(out)["bob"]
    assert (bob["status"], bob["score"], bob.get("several_files")) == ("ok", 30, None)


def test_the_choice_is_the_same_bytes_whatever_the_file_times(resub: Path, tmp_path: Path):
    grade(resub, tmp_path / "a")
    os.utime(resub / "bob.csv", (2_000_000_000, 2_000_000_000))  # the old file now looks newer
    grade(resub, tmp_path / "b")
    for name in ("grades.csv", "grades.json", "summary.md", "feedback/bob.md"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_one_folder_per_student_still_reads_every_file(tmp_path: Path):
    folder = tmp_path / "class"
    (folder / "amy").mkdir(parents=True)
    blocks = (XO / "class" / "ana.txt").read_text().strip().split("\n\n")
    for k, block in enumerate(blocks, start=1):
        (folder / "amy" / f"p{k}.txt").write_text(block + "\n")
    (folder / "bo").mkdir()
    (folder / "bo" / "all.txt").write_text((XO / "class" / "ana.txt").read_text())
    shutil.copy(XO / "class" / "ana.txt", folder / "bo.txt")  # a file beside the folder: two entries
    result = students(grade(folder, tmp_path / "r") and tmp_path / "r")
    assert len(blocks) == 3 and (result["amy"]["status"], result["amy"]["score"]) == ("ok", 30)
    assert result["bo"]["status"] == "malformed" and result["bo"]["several_files"] == ["bo/", "bo.txt"]


# --------------------------------------------------------------------------- B4: ids close to the roster


def test_an_id_that_differs_from_a_missing_roster_id_only_in_case_or_spaces_is_named(tmp_path: Path):
    folder = tmp_path / "class"
    shutil.copytree(XO / "class", folder)
    (folder / "ana.txt").rename(folder / "Ana.txt")
    (folder / "ben.txt").rename(folder / "ben .txt")
    (folder / "chen.txt").rename(folder / "ＣＨＥＮ.txt")  # full-width letters (NFKC)
    out = tmp_path / "r"
    result = grade(folder, out, "--roster", str(XO / "roster.csv"), "--gradebook", "csv")
    graded = students(out)
    assert graded["Ana"]["roster_match"] == ["ana"] and graded["ben "]["roster_match"] == ["ben"]
    assert graded["ＣＨＥＮ"]["roster_match"] == ["chen"]
    assert graded["ana"]["status"] == "missing"  # said, never merged: the teacher renames the file
    notes = csv_rows(out / "grades-csv.csv")
    assert notes["Ana"]["notes"] == "not on the roster; did you mean ana, who handed in nothing?"
    assert notes["ben "]["notes"] == "not on the roster; did you mean ben, who handed in nothing?"
    assert ("Not on the roster, but a roster id with nothing handed in differs only in case, spaces or character "
            'width (rename the file, then grade again) (3): Ana → ana, "ben " → ben, ＣＨＥＮ → chen'
            ) in result.stdout.splitlines()
    assert ("Warning: csv gradebook: 3 submissions are not on the roster, but a roster id with nothing handed in "
            "differs only in case, spaces or character width; rename the files and grade again before importing: "
            'Ana → ana, "ben " → ben, ＣＨＥＮ → chen\n') in result.stderr
    zh = grade(folder, tmp_path / "zh", "--roster", str(XO / "roster.csv"), "--gradebook", "csv", lang="zh")
    assert "不在名单上，但与名单上没有提交的学号只差大小写、空格或全角半角" in zh.stdout
    assert csv_rows(tmp_path / "zh" / "grades-csv.csv")["Ana"]["notes"] == "不在名单上；是不是名单上没有提交的 ana？"


def test_an_id_off_the_roster_with_no_close_roster_id_keeps_the_plain_note(tmp_path: Path):
    folder = tmp_path / "class"
    shutil.copytree(XO / "class", folder)
    (folder / "ana.txt").rename(folder / "anna.txt")
    out = tmp_path / "r"
    grade(folder, out, "--roster", str(XO / "roster.csv"), "--gradebook", "csv")
    assert "roster_match" not in students(out)["anna"]
    assert csv_rows(out / "grades-csv.csv")["anna"]["notes"] == "not on the roster"


# --------------------------------------------------------------------------- B8: variants keep real statuses


def test_with_variants_a_student_without_one_keeps_the_status_of_their_file(tmp_path: Path):
    folder = tmp_path / "subs"
    shutil.copytree(CLASSROOM / "submissions", folder)
    (folder / "zbig.txt").write_text("1 " * 2000)  # over --max-bytes 1000 (the class's files are ~100 bytes)
    (folder / "zempty.txt").write_text("")
    (folder / "zbin.txt").write_bytes(b"\x00\x01\x02\x03")
    os.mkfifo(folder / "zfifo.txt")
    shutil.copy(folder / "s01.txt", folder / "zgood.txt")
    (folder / "zbad.txt").write_text("1 2 O.7\n")
    out = tmp_path / "r"
    result = grade(folder, out, "--max-bytes", "1000", assignment=CLASSROOM / "made" / "variants.json")
    got = {k: (v["status"], v["message"]) for k, v in students(out).items() if k.startswith("z")}
    assert got == {
        "zbig": ("too-large", "4000 bytes, over the limit of 1000 bytes (not read)"),
        "zbin": ("unreadable", "zbin.txt: looks like a binary file, not text"),
        "zempty": ("empty", "the submission holds no numbers"),
        "zfifo": ("unreadable", "zfifo.txt: not a regular file (a FIFO, socket or device is never opened)"),
        "zgood": ("malformed", "no variant was made for student zgood (not in variants.json)"),
        "zbad": ("malformed", "no variant was made for student zbad (not in variants.json)"),
    }
    assert students(out)["zbad"]["notes"] == [
        "zbad.txt:1:5: 'O.7' holds the letter O, not the digit 0: write 0.7 (line: \"1 2 O.7\")"]
    assert "too-large 1 · unreadable 2" in result.stdout and "empty 1" in result.stdout


# --------------------------------------------------------------------------- papercut 9: hidden names


def test_hidden_names_are_listed_in_one_summary_line(tmp_path: Path):
    folder = tmp_path / "class"
    shutil.copytree(XO / "class", folder)
    shutil.copy(XO / "class" / "ana.txt", folder / ".late.txt")
    shutil.copy(XO / "class" / "ana.txt", folder / "..txt")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")  # operating-system litter: not listed
    (folder / "._ana.txt").write_bytes(b"\x00\x05\x16\x07")
    out = tmp_path / "r"
    result = grade(folder, out)
    line = "Not graded: hidden names (starting with a dot) in the submissions folder (2): ..txt, .late.txt"
    assert result.stdout.count("hidden") == 1 and line in result.stdout.splitlines()
    assert f"- {line}\n" in (out / "summary.md").read_text(encoding="utf-8")
    assert not any(s.startswith(".") for s in students(out))
    (folder / "ana.txt").write_text("1 2\n")  # an --only rerun says the same
    grade(folder, out, "--only", "ana")
    assert f"- {line}\n" in (out / "summary.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- papercut 10: grouped warnings


def _records(ids: list[str]) -> list[dict]:
    return [{"student": s, "status": "ok", "score": 1.0, "max_score": 1.0, "problems": [{"name": "p", "earned": 1.0}]}
            for s in ids]


def test_gradebook_warnings_are_one_line_per_reason():
    ids = [f"s{k:02d}" for k in range(1, 20)]
    roster = [{"student": s, "name": s.upper()} for s in ids]
    canvas = gradebook("canvas", _records(ids), roster, title="HW")
    assert canvas.warnings == [
        ("19 students have no Canvas ID, SIS User ID or SIS Login ID; Canvas can only match their names: "
        "s01, s02, s03, s04, s05, …")]
    scope = gradebook("gradescope", _records(ids[:2]), roster[:2], title="HW")
    assert scope.warnings == ["2 students have no email in the roster; Gradescope matches students by email: s01, s02"]
    one = gradebook("gradescope", _records(ids[:1]), roster[:1], title="HW")  # one student: said of them
    assert one.warnings == ["s01: no email in the roster; Gradescope matches students by email"]
    zh = gradebook("canvas", _records(ids), roster, title="HW", lang="zh")
    assert zh.warnings == [("19 名学生没有 Canvas ID、SIS User ID 或 SIS Login ID；Canvas 只能按姓名匹配："
                           "s01, s02, s03, s04, s05, …")]


def test_the_cli_says_each_gradebook_reason_once(tmp_path: Path):
    roster = tmp_path / "roster.csv"
    roster.write_text("student\n" + "".join(f"{s}\n" for s in ("ana", "ben", "chen", "dana", "eli", "farid", "gus",
                                                                  "hana", "ivy")))
    result = grade(XO / "class", tmp_path / "r", "--roster", str(roster), "--gradebook", "canvas",
                   "--gradebook", "gradescope")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        ("Warning: canvas gradebook: 9 students have no Canvas ID, SIS User ID or SIS Login ID; Canvas can only "
        "match their names: ana, ben, chen, dana, eli, …"),
        ("Warning: gradescope gradebook: 9 students have no email in the roster; Gradescope matches students by "
        "email: ana, ben, chen, dana, eli, …"),
    ]


# --------------------------------------------------------------------------- papercut 13: --out .


def test_an_out_around_the_submissions_is_refused_in_the_users_words(tmp_path: Path, monkeypatch):
    shutil.copytree(XO / "class", tmp_path / "subs")
    monkeypatch.chdir(tmp_path)
    result = run("grade", "subs", "--assignment", str(XO / "assignment.toml"), "--out", ".")
    assert result.exit_code == 2
    assert result.output == (
        "Error: --out . contains the submissions folder subs, but the report folder is replaced as a whole on "
        "every run; give the report a folder of its own, e.g. --out grading-report\n")
    assert "feedback folder" not in result.output and sorted(os.listdir(tmp_path)) == ["subs"]


# --------------------------------------------------------------------------- papercut 15: nesting


def test_nesting_past_the_limit_is_what_the_readme_says(tmp_path: Path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `grade`: one student's folder |"))
    assert row == ("| `grade`: one student's folder | 64 files, 4 nested levels; past them a file is not read, "
                   "with a note (`unreadable` when nothing else was read) |")
    folder = tmp_path / "class"
    deep = folder / "deep" / "a" / "b" / "c" / "d"
    deep.mkdir(parents=True)
    (deep / "x.txt").write_text((XO / "class" / "ana.txt").read_text())
    (folder / "both" / "a" / "b" / "c" / "d").mkdir(parents=True)
    (folder / "both" / "a" / "b" / "c" / "d" / "x.txt").write_text("1\n")
    shutil.copy(XO / "class" / "ana.txt", folder / "both" / "answer.txt")
    out = tmp_path / "r"
    grade(folder, out)
    graded = students(out)
    said = "skipped: a folder nested more than 4 levels deep in the student's folder (not read)"
    assert (graded["deep"]["status"], graded["deep"]["message"]) == ("unreadable", f"deep/a/b/c/d: {said}")
    assert (graded["both"]["status"], graded["both"]["score"]) == ("ok", 30)
    assert graded["both"]["notes"] == [f"both/a/b/c/d: {said}"]


def test_a_symlink_loop_in_a_folder_is_named_as_such(tmp_path: Path):
    folder = tmp_path / "class"
    (folder / "amy" / "sub").mkdir(parents=True)
    shutil.copy(XO / "class" / "ana.txt", folder / "amy" / "answer.txt")
    os.symlink("..", folder / "amy" / "sub" / "up")
    out = tmp_path / "r"
    grade(folder, out)
    assert students(out)["amy"]["notes"] == [("amy/sub/up: skipped: a symlink back to a folder already being read "
                                             "(not read twice)")]


# --------------------------------------------------------------------------- papercut 20: ids in Markdown


def test_ids_are_text_in_markdown_feedback_and_summary(tmp_path: Path):
    folder = tmp_path / "class"
    folder.mkdir()
    for sid in ("[link](http:evil)", "a|b", "*bold*_x_"):
        shutil.copy(XO / "class" / "ana.txt", folder / f"{sid}.txt")
    roster = tmp_path / "roster.csv"
    roster.write_text("student\nana\n")
    out = tmp_path / "r"
    grade(folder, out, "--roster", str(roster))
    heading = (out / "feedback" / "[link](http:evil).md").read_text(encoding="utf-8").splitlines()[0]
    assert heading == r"# X or O feature maps: feedback for \[link\](http:evil)"
    assert (out / "feedback" / "a|b.md").read_text(encoding="utf-8").startswith(
        r"# X or O feature maps: feedback for a\|b" + "\n")
    assert (out / "feedback" / "*bold*_x_.md").read_text(encoding="utf-8").startswith(
        r"# X or O feature maps: feedback for \*bold\*\_x\_" + "\n")
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert (r"- Not on the roster, graded by their file name (3): \*bold\*\_x\_, \[link\](http:evil), a\|b"
            "\n") in summary
    assert "[link](http:evil)" not in summary


# --------------------------------------------------------------------------- point 9: diagnosis objects


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_grades_json_diagnoses_are_the_objects_check_json_gives(tmp_path: Path, lang: str):
    out = tmp_path / "r"
    grade(XO / "class", out, "--html", lang=lang)
    for sid in ("chen", "dana", "hana"):
        checked = run("check", str(XO / "class" / f"{sid}.txt"), "--assignment", str(XO / "assignment.toml"),
                      "--format", "json", lang=lang)
        answers = json.loads(checked.output)["answers"]
        graded = students(out)[sid]["problems"]
        assert [p["diagnosis"] for p in graded] == [a["diagnosis"] for a in answers], sid
    dana = students(out)["dana"]["problems"][0]["diagnosis"][0]
    assert list(dana) == ["label", "labels", "settings", "cells", "evidence", "message"]
    assert dana["label"] == "normalization" and dana["settings"] == {"norm": "sum"}
    if lang == "en":
        assert dana["message"].startswith("The answer is the plain sum of the products, but this problem asks "
                                          "for their mean")
        index = (out / "report" / "index.html").read_text(encoding="utf-8")
        assert "<strong>normalization</strong> ×3" in index  # the HTML report still counts the labels
    else:
        assert "平均" in dana["message"]  # the run's language


# --------------------------------------------------------------------------- one set, any worker count


def test_the_new_facts_are_the_same_bytes_on_one_or_two_workers(resub: Path, tmp_path: Path):
    answers = [(XO / "class" / f"{s}.txt").read_bytes() for s in ("ana", "chen", "dana", "hana")]
    for k in range(1100):  # more than one chunk of 1,024: the pool splits the class
        (resub / f"s{k:04d}.txt").write_bytes(answers[k % 4])
    (resub / "ana.txt").rename(resub / "Ana.txt")
    (resub / ".late.txt").write_bytes(answers[0])
    roster = tmp_path / "roster.csv"
    roster.write_text("student\nana\nbob\nivy\n")
    for workers in ("1", "2"):
        grade(resub, tmp_path / workers, "--roster", str(roster), "--workers", workers, "--gradebook", "csv")
    one, two = tmp_path / "1", tmp_path / "2"
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)
    graded = students(one)
    assert graded["bob"]["several_files"] == ["bob.csv", "bob.txt"] and graded["Ana"]["roster_match"] == ["ana"]
    assert graded["s0002"]["problems"][0]["diagnosis"][0]["label"] == "normalization"
    assert "(1): .late.txt" in (one / "summary.md").read_text(encoding="utf-8")


def test_a_folder_with_two_copies_of_the_answers_is_not_graded_on_a_guess(tmp_path: Path):
    folder = tmp_path / "subs"
    (folder / "bob").mkdir(parents=True)
    (folder / "eve").mkdir(parents=True)
    right = (XO / "class" / "ana.txt").read_text()
    wrong = (XO / "class" / "chen.txt").read_text()
    (folder / "bob" / "answers (1).txt").write_text(wrong)  # sorts first: it was the one graded
    (folder / "bob" / "answers.txt").write_text(right)
    blocks = right.strip().split("\n\n")
    (folder / "eve" / "p1.txt").write_text(blocks[0] + "\n")  # answers split over files: fine
    (folder / "eve" / "p2-3.txt").write_text("\n\n".join(blocks[1:]) + "\n")
    out = tmp_path / "r"
    grade(folder, out)
    bob, eve = students(out)["bob"], students(out)["eve"]
    assert (bob["status"], bob["score"]) == ("malformed", 0.0)
    assert bob["message"] == ("2 files of the folder (bob/answers (1).txt, bob/answers.txt) each hold every "
                              "answer (two copies?); keep one and regrade with --only bob")
    assert bob["several_files"] == ["bob/answers (1).txt", "bob/answers.txt"]
    assert (eve["status"], eve["score"]) == ("ok", 30.0)
