"""QA of `cnncalc grade` on hostile folders and broken inputs: every case gives the right
status or one `Error:` line (exit 2), never a traceback or a hang; submissions stay
byte-identical and a rerun gives the same bytes.

Anything that could block (FIFOs, devices) runs in a subprocess with a timeout."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncalc.check.assignment import load_assignment
from cnncalc.cli import cli
from cnncalc.grade import submissions
from cnncalc.grade.grader import grade_folder

ROOT = Path(__file__).resolve().parent.parent
XO = ROOT / "samples" / "xo"
ANSWER_1 = (XO / "class" / "ana.txt").read_text(encoding="utf-8").split("\n\n")[0].strip() + "\n"
ASSIGNMENT = """\
title = "QA"
decimals = 2

[[problem]]
name = "map 1"
image = "x.txt"
kernel = "k1.txt"
norm = "mean"
points = 10
"""


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """An assignment with one problem (the X with its first feature) beside ``subs/``."""
    for name in ("x.txt", "k1.txt"):
        (tmp_path / name).write_bytes((XO / name).read_bytes())
    (tmp_path / "a.toml").write_text(ASSIGNMENT, encoding="utf-8")
    (tmp_path / "subs").mkdir()
    return tmp_path


def grade(course: Path, *args: str):
    return CliRunner().invoke(
        cli, ["grade", str(course / "subs"), "--assignment", str(course / "a.toml"),
              "--no-progress", *map(str, args)],
    )


def one_error(result, start: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: " + start), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            p = Path(dirpath) / name
            h.update(os.fsencode(p))
            if p.is_file() and not p.is_symlink():
                h.update(p.read_bytes())
    return h.hexdigest()


def rows(path: Path) -> dict[str, list[str]]:
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return {r[0]: r[1:] for r in table[1:]}


# --------------------------------------------------------------------------- hostile folder


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_hostile_folder_statuses_never_block(course: Path):
    subs = course / "subs"
    names = ["good.txt", "--help.txt", "-o", "new\nline.txt", "tab\tname.txt", "com,ma.txt",
             'quo"te.txt']
    for name in names:
        (subs / name).write_text(ANSWER_1, encoding="utf-8")
    os.close(os.open(os.fsencode(subs) + b"/bad\xff\xfe.txt", os.O_CREAT | os.O_WRONLY))
    with open(os.fsencode(subs) + b"/\xd5\xc5\xc8\xfd.txt", "w", encoding="utf-8") as f:  # GBK name
        f.write(ANSWER_1)
    (subs / "zero.txt").write_bytes(b"")
    (subs / "hidden").mkdir()
    (subs / "hidden" / ".a.txt").write_text(ANSWER_1)
    deep = subs / "deep" / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "answer.txt").write_text(ANSWER_1)
    (subs / "devzero.txt").symlink_to("/dev/zero")
    (subs / "urandom.txt").symlink_to("/dev/urandom")
    os.mkfifo(subs / "fifo.txt")
    os.mkfifo(subs / "deep" / "pipe.txt")  # beside a real answer: a note, not a hang
    (subs / "loop1").symlink_to("loop2.txt")
    (subs / "loop2.txt").symlink_to("loop1")
    (subs / "self").symlink_to(".")
    padded = ANSWER_1 + "#" * ((1 << 20) - len(ANSWER_1.encode()) - 1) + "\n"
    (subs / "exactly1m.txt").write_text(padded, encoding="utf-8")
    (subs / "over1m.txt").write_text(padded + "\n", encoding="utf-8")
    before = tree_digest(subs)
    cmd = [sys.executable, "-m", "cnncalc", "grade", str(subs), "--assignment",
           str(course / "a.toml"), "--no-progress", "--format", "json"]
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    outs = []
    for out in ("r1", "r2"):
        proc = subprocess.run([*cmd, "--out", str(course / out)], check=False, capture_output=True,
                              timeout=120, env=env, cwd=course)
        assert proc.returncode == 0, proc.stderr
        assert b"Traceback" not in proc.stderr
        outs.append(course / out)
    table = rows(outs[0] / "grades.csv")
    status = {k: v[0] for k, v in table.items()}
    assert status == {
        # ids starting with '-' get a leading "'" in grades.csv (formula injection, issue 13)
        "good": "ok", "'--help": "ok", "'-o": "ok", "new\nline": "ok", "tab\tname": "ok",
        "com,ma": "ok", 'quo"te': "ok", "bad\\xff\\xfe": "empty", "张三": "ok",
        "zero": "empty", "hidden": "empty", "deep": "ok", "devzero": "unreadable",
        "urandom": "unreadable", "fifo": "unreadable", "loop1": "unreadable",
        "loop2": "unreadable", "self": "unreadable", "exactly1m": "ok", "over1m": "too-large",
    }
    assert table["good"] == ["ok", "10", "10", "10"]
    records = {
        r["student"]: r
        for r in (json.loads(line.rstrip(",")) for line in
                  (outs[0] / "grades.json").read_text(encoding="utf-8").splitlines()
                  if line.startswith('{"student"'))
    }
    assert records["deep"]["notes"] == [
        "deep/pipe.txt: not a regular file (a FIFO, socket or device is never opened)"
    ]
    assert records["over1m"]["message"] == "1048577 bytes, over the limit of 1048576 bytes (not read)"
    assert (outs[0] / "feedback" / "bad%5Cxff%5Cxfe.md").is_file()  # injective names (issue 13)
    for name in ("grades.csv", "grades.json", "summary.md"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()
    assert sorted(os.listdir(outs[0] / "feedback")) == sorted(os.listdir(outs[1] / "feedback"))
    assert tree_digest(subs) == before


def test_permission_denied_is_unreadable(course: Path, monkeypatch):
    """We run as root, so chmod 000 would not stop us: refuse the open instead."""
    (course / "subs" / "alice.txt").write_text(ANSWER_1)
    (course / "subs" / "bob.txt").write_text(ANSWER_1)
    real_open = os.open

    def deny(path, *args, **kwargs):
        if os.fspath(path).endswith("bob.txt"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(submissions.os, "open", deny)
    results = grade_folder(course / "subs", load_assignment(course / "a.toml"))
    got = {r.student: (r.status, r.message, r.score) for r in results}
    assert got == {
        "alice": ("ok", None, 10.0),
        "bob": ("unreadable", "bob.txt: cannot be read (Permission denied)", 0.0),
    }


# --------------------------------------------------------------------------- folders and --out


def test_empty_and_hidden_only_folders(course: Path):
    result = grade(course, "--out", course / "r", "--format", "plain")
    assert result.exit_code == 0
    assert (course / "r" / "grades.csv").read_text() == "student,status,score,max_score,map 1\n"
    assert "No submission was graded." in result.stdout
    (course / "subs" / ".DS_Store").write_bytes(b"\0\1")
    (course / "subs" / ".git").mkdir()
    assert grade(course, "--out", course / "r").exit_code == 0
    assert (course / "r" / "grades.csv").read_text() == "student,status,score,max_score,map 1\n"


def test_bad_folders_and_report_places(course: Path):
    one_error(
        CliRunner().invoke(cli, ["grade", str(course / "nope"), "--assignment", str(course / "a.toml")]),
        "Invalid value for 'FOLDER'",
    )
    (course / "subs" / "amy.txt").write_text(ANSWER_1)
    before = tree_digest(course / "subs")
    one_error(grade(course, "--out", course / "subs" / "report"), "the report folder")
    one_error(grade(course, "--out", course / "subs"), "the report folder")
    (course / "link").symlink_to(course / "subs")
    one_error(grade(course, "--out", course / "link" / "r"), "the report folder")
    (course / "file.txt").write_text("x")
    one_error(grade(course, "--out", course / "file.txt"), "Invalid value for '--out'")
    one_error(grade(course, "--out", course / "file.txt" / "r"), "")
    assert tree_digest(course / "subs") == before


# --------------------------------------------------------------------------- rosters and --only


def test_rosters(course: Path):
    (course / "subs" / "amy.txt").write_text(ANSWER_1)
    (course / "bom.csv").write_bytes(b"\xef\xbb\xbfStudent,name,email\r\namy,A,a@x\r\nivy,I,i@x\r\nivy,I,i@x\r\n")
    assert grade(course, "--out", course / "r", "--roster", course / "bom.csv").exit_code == 0
    assert rows(course / "r" / "grades.csv") == {
        "amy": ["ok", "10", "10", "10"], "ivy": ["missing", "0", "10", "0"]
    }
    (course / "semi.csv").write_text("name;student\nIvy I;ivy\n")  # a spreadsheet's ';' export
    assert grade(course, "--out", course / "r", "--roster", course / "semi.csv").exit_code == 0
    assert rows(course / "r" / "grades.csv")["ivy"][0] == "missing"
    (course / "nocol.csv").write_text("name,email\nivy,i@x\n")
    one_error(grade(course, "--out", course / "r", "--roster", course / "nocol.csv"),
              f"{course / 'nocol.csv'}: the roster must be a CSV file with a 'student' column")
    (course / "empty.csv").write_text("")
    one_error(grade(course, "--out", course / "r", "--roster", course / "empty.csv"), "")
    one_error(grade(course, "--out", course / "r", "--only", "nobody"),
              "no submission, roster entry or report row for student 'nobody'")
    one_error(grade(course, "--out", course / "fresh", "--only", "amy"), "--only regrades")


# --------------------------------------------------------------------------- broken assignments

GOOD_PROBLEM = '[[problem]]\nname = "a"\nimage = "x.txt"\nkernel = "k1.txt"\n'


@pytest.mark.parametrize(
    ("toml", "error"),
    [
        ('title = "x"\n[[problem]\n', "a.toml:2: is not valid TOML"),
        ('title = "x"\n', "a.toml: no [[problem]] table"),
        ('[[problem]]\nname = "a"\nimage = "x.txt"\n', "a.toml:1: problem 1 has no kernel"),
        (GOOD_PROBLEM + 'points = "ten"\n', "a.toml:5: points: must be a number, 0 or more"),
        (GOOD_PROBLEM + "points = -5\n", "a.toml:5: points: must be a number, 0 or more"),
        (GOOD_PROBLEM + "points = nan\n", "a.toml:5: points: must be a finite number from 0 to 1000000"),
        (GOOD_PROBLEM + "points = inf\n", "a.toml:5: points: must be a finite number from 0 to 1000000"),
        (GOOD_PROBLEM + 'scoring = "half"\n', "a.toml:5: scoring: must be \"cells\" or \"all\""),
        (GOOD_PROBLEM + "decimals = 16\n", "a.toml:5: decimals: decimals must be a whole number from 0 to 15"),
        ("decimals = 100\n" + GOOD_PROBLEM, "a.toml:1: decimals: decimals must be a whole number from 0 to 15"),
        ("title = 5\n" + GOOD_PROBLEM, "a.toml:1: title: must be text in quotes"),
        (GOOD_PROBLEM.replace("x.txt", "gone.txt"), "a.toml:3: image: "),
        (GOOD_PROBLEM + "stride = 0\n", "a.toml:5: stride: stride must be a positive integer"),
        (GOOD_PROBLEM + 'colour = "red"\n', "a.toml:5: colour: unknown key"),
        (GOOD_PROBLEM + GOOD_PROBLEM, "a.toml:6: name: problem 2 has the same name as problem 1 ('a')"),
    ],
)
def test_broken_assignment_is_one_error_line(course: Path, toml: str, error: str):
    (course / "a.toml").write_text(toml, encoding="utf-8")
    result = grade(course, "--out", course / "r")
    one_error(result, str(course / error.partition(":")[0]) + ":" + error.partition(":")[2])
    assert not (course / "r").exists()


# --------------------------------------------------------------------------- work shared by answers


def test_wrong_shapes_share_the_recomputed_mistakes(course: Path, monkeypatch):
    """Each distinct answer of a wrong shape looks for the setting that gives its shape;
    the recomputed results are shared, not redone per answer (10,000 wrong-shaped
    answers once took minutes)."""
    import numpy as np

    from cnncalc.check import search

    rng = np.random.default_rng(0)
    for i in range(40):
        a = np.round(rng.normal(size=(6, 6)), 2)
        (course / "subs" / f"s{i:02d}.txt").write_text(
            "\n".join(" ".join(f"{v:.2f}" for v in row) for row in a) + "\n"
        )
    calls = []
    real = search._from_recipe
    monkeypatch.setattr(search, "_from_recipe", lambda *a, **k: calls.append(1) or real(*a, **k))
    results = grade_folder(course / "subs", load_assignment(course / "a.toml"))
    assert [r.problems[0].result.got_shape for r in results] == [(6, 6)] * 40
    # 9x9 image, 3x3 kernel: stride=2, padding=2 gives 6x6, but random values are no
    # such answer: issue 11 names a setting only when it reproduces the values
    assert {r.problems[0].result.shape_hint for r in results} == {None}
    assert len(calls) == 1  # the catalogue is recomputed once for the problem


def test_chinese_summary_reads_naturally(tmp_path: Path):
    result = CliRunner().invoke(
        cli, ["--lang", "zh", "grade", str(XO / "class"), "--assignment", str(XO / "assignment.toml"),
              "--roster", str(XO / "roster.csv"), "--out", str(tmp_path / "r"), "--format", "plain",
              "--no-progress"],
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[2] == (
        "提交情况：正常 6 · 部分作答 1 · 格式错误 1 · 空白 0 · 未提交 1 · 文件过大 0 · "
        "无法读取 0（合计 9）"
    )  # issue 23: statuses and mistake labels in Chinese
    assert "feature map 1：7 人作答，4 人全对，0 人形状错误。" in lines
    assert "  正负号错误 ×3：有些错格是正负号错误：绝对值对了，但符号反了。请检查各乘积的正负号。" in lines  # issue 11
    assert not [line for line in lines if ": " in line]


def test_a_folder_of_thousands_of_files_gives_one_note(course: Path):
    bob = course / "subs" / "bob"
    bob.mkdir()
    (bob / "a.txt").write_text(ANSWER_1)
    for i in range(300):
        (bob / f"z{i:03d}.txt").write_text("1\n")
    (result,) = grade_folder(course / "subs", load_assignment(course / "a.toml"))
    assert (result.status, result.score) == ("ok", 10.0)
    # 301 files: 64 read, z063 is named and 236 more are counted
    assert result.notes[0] == "bob/z063.txt … (+236): skipped: a student's folder is read up to 64 files"
    assert len(result.notes) == 2  # and the 63 blocks after the answer


def test_wrong_shape_feedback_names_the_setting_once(course: Path):
    from cnncalc.engine import ops
    from cnncalc.grade.feedback import feedback_markdown
    from cnncalc.numfmt import format_values
    from cnncalc.read import read_matrix

    x, k = read_matrix(course / "x.txt"), read_matrix(course / "k1.txt")
    rows = format_values(ops.conv2d(x, k, norm="mean", stride=2), 2, "truncate")
    (course / "subs" / "sam.txt").write_text("\n".join("\t".join(r) for r in rows) + "\n")
    (result,) = grade_folder(course / "subs", load_assignment(course / "a.toml"))
    body = feedback_markdown(result, "QA", "en")
    assert body.split("## map 1 — 0/10\n\n")[1] == (
        "The answer is 4×4 but the result is 7×7: no cell can be checked.\n\n"
        "- The answer matches stride=2, but this problem uses stride=1 (the step by which the window moves)."
        " For example cell (1, 1): you wrote 0.77 = 7/9, exactly the value this mistake gives.\n"  # issue 11: evidence
    )


def test_a_feedback_folder_that_is_not_ours_is_never_replaced(course: Path):
    (course / "subs" / "amy.txt").write_text(ANSWER_1)
    mine = course / "r" / "feedback"
    mine.mkdir(parents=True)
    (mine / "notes.txt").write_text("my own notes")
    one_error(grade(course, "--out", course / "r"), f"{course / 'r'} is not empty and is not a cnncalc report folder")
    assert (mine / "notes.txt").read_text() == "my own notes"
    assert grade(course, "--out", course / "r2").exit_code == 0
    assert grade(course, "--out", course / "r2").exit_code == 0  # an earlier report's is replaced
    assert sorted(os.listdir(course / "r2" / "feedback")) == ["amy.md"]


def test_names_of_255_bytes_do_not_stop_the_batch(course: Path):
    """A file name may hold 255 bytes; '<id>.md' would need 256 (or more)."""
    for name in ("x" * 253 + ".t", "张" * 84 + ".t", "amy.txt"):
        (course / "subs" / name).write_text(ANSWER_1)
    result = grade(course, "--out", course / "r")
    assert result.exit_code == 0, result.output
    assert [r[0] for r in rows(course / "r" / "grades.csv").values()] == ["ok"] * 3
    names = sorted(os.listdir(course / "r" / "feedback"))
    assert names[0] == "amy.md" and all(len(os.fsencode(n)) <= 255 for n in names)
    assert names[1].startswith("x" * 200) and names[1].endswith(".md")
    assert grade(course, "--out", course / "r", "--only", "x" * 253).exit_code == 0
    assert sorted(os.listdir(course / "r" / "feedback")) == names
