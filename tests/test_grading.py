"""Batch grading: statuses, hand-computed scores, reports, reruns, --only, hostile folders.

The assignment (hand-checkable):

    image  1 2 3      problem "conv" (4 points, cells):  kernel 1 0 / 0 2, sum
           4 5 6          -> 11 14 / 20 23
           7 8 9      problem "mean" (2 points, all):    kernel 1 1 / 1 0, mean
                          -> (1+2+4)/4 = 1.75, 2.5 / 4, 4.75
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncalc.check.assignment import load_assignment
from cnncalc.cli import cli
from cnncalc.grade import submissions
from cnncalc.grade.answers import distribute
from cnncalc.grade.grader import Grader, fmt_score, grade_folder
from cnncalc.grade.submissions import discover, read_roster, student_id
from cnncalc.read import parse_text

RIGHT_1 = "11 14\n20 23\n"
RIGHT_2 = "1.75 2.5\n4 4.75\n"
RIGHT = RIGHT_1 + "\n" + RIGHT_2


@pytest.fixture
def assignment_file(tmp_path: Path) -> Path:
    d = tmp_path / "hw"
    d.mkdir()
    (d / "img.txt").write_text("1 2 3\n4 5 6\n7 8 9\n")
    (d / "k1.txt").write_text("1 0\n0 2\n")
    (d / "k2.txt").write_text("1 1\n1 0\n")
    (d / "a.toml").write_text(
        'title = "tiny"\n'
        '[[problem]]\nname = "conv"\nimage = "img.txt"\nkernel = "k1.txt"\npoints = 4\n'
        '[[problem]]\nname = "mean"\nimage = "img.txt"\nkernel = "k2.txt"\nnorm = "mean"\n'
        'points = 2\nscoring = "all"\n'
    )
    return d / "a.toml"


def problem_file(answer_1: str, answer_2: str) -> str:
    img = "1 2 3\n4 5 6\n7 8 9\n"
    return (
        f"# cnncalc: norm=mean\n{img}\n1 0\n0 2\n=\n{answer_1}\n{img}\n1 1\n1 0\n=\n{answer_2}"
    )


@pytest.fixture
def every_status(tmp_path: Path) -> Path:
    """One submission for each status (and a few ways of being ok)."""
    c = tmp_path / "class"
    c.mkdir()
    (c / "alice.txt").write_text(RIGHT)
    (c / "bob.txt").write_text("11 14\n20 22\n\n" + RIGHT_2)  # one cell wrong in problem 1
    (c / "carol.txt").write_text(RIGHT_1 + "\n1.75 2.5\n4 4.7\n")  # "all" problem: 0
    (c / "dave.txt").write_text("1 2 3\n4 5 6\n7 8 9\n\n" + RIGHT_2)  # wrong shape
    (c / "eve.txt").write_text(RIGHT_1)  # partial
    (c / "frank.txt").write_bytes(("# 弗兰克的作业\n" + RIGHT).encode("gbk"))
    (c / "gina.txt").write_bytes(b"")
    (c / "gus.txt").write_text("# nothing but a comment\n\n")
    (c / "hal.txt").write_bytes(b"\x00\x01\x02binary\xff")
    (c / "ivan.txt").write_text("11 14\n20\n")  # ragged
    (c / "jack.txt").write_bytes(b"1 " * (1 << 20))  # 2 MB
    (c / "lee").mkdir()
    (c / "lee" / "p1.txt").write_text(RIGHT_1)
    (c / "lee" / "p2.txt").write_text(RIGHT_2)
    (c / "mia.txt").write_text(problem_file(RIGHT_1, RIGHT_2))
    (c / ".hidden.txt").write_text("not a student")
    outside = tmp_path / "outside.txt"
    outside.write_text(RIGHT)
    os.symlink(outside, c / "kim.txt")
    (tmp_path / "roster.csv").write_text("student,name\nalice,A\nzoe,Z\n")
    return c


EXPECTED_STATUS = {
    "alice": ("ok", 6.0),
    "bob": ("ok", 5.0),  # 4 * 3/4 + 2
    "carol": ("ok", 4.0),  # 4 + 0 ("all" with one wrong cell)
    "dave": ("ok", 2.0),  # wrong shape: 0 + 2
    "eve": ("partial", 4.0),
    "frank": ("ok", 6.0),  # GBK-encoded
    "gina": ("empty", 0.0),
    "gus": ("empty", 0.0),
    "hal": ("unreadable", 0.0),
    "ivan": ("malformed", 0.0),
    "jack": ("too-large", 0.0),
    "kim": ("unreadable", 0.0),  # symlink out of the folder
    "lee": ("ok", 6.0),  # one folder, two files
    "mia": ("ok", 6.0),  # a problem file
    "zoe": ("missing", 0.0),  # roster only
}


def tree_hashes(root: Path) -> dict[str, str]:
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = Path(dirpath) / f
            if f == ".cnncalc-report.json":  # the report set's manifest: bookkeeping
                continue
            if stat.S_ISREG(os.lstat(p).st_mode):  # no FIFO, no symlink
                out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def grade(args: list[str]) -> object:
    return CliRunner().invoke(cli, ["grade", *args], catch_exceptions=False)


def args_for(folder: Path, assignment: Path, out: Path, *extra: str) -> list[str]:
    roster = folder.parent / "roster.csv"
    return [str(folder), "--assignment", str(assignment), "--out", str(out),
            "--roster", str(roster), "--format", "plain", *extra]


def test_every_status_and_hand_scores(every_status, assignment_file, tmp_path):
    before = tree_hashes(every_status)
    out = tmp_path / "report"
    result = grade(args_for(every_status, assignment_file, out))
    assert result.exit_code == 0, result.output
    data = json.loads((out / "grades.json").read_text(encoding="utf-8"))
    got = {s["student"]: (s["status"], s["score"]) for s in data["students"]}
    assert got == EXPECTED_STATUS
    assert tree_hashes(every_status) == before  # submissions byte-identical
    assert (tmp_path / "outside.txt").read_text() == RIGHT
    csv = (out / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert csv[0] == "student,status,score,max_score,conv,mean"
    assert csv[1:6] == [
        "alice,ok,6,6,4,2",
        "bob,ok,5,6,3,2",
        "carol,ok,4,6,4,0",
        "dave,ok,2,6,0,2",
        "eve,partial,4,6,4,0",
    ]
    assert [line.split(",")[0] for line in csv[1:]] == sorted(EXPECTED_STATUS)


def test_messages_say_why(every_status, assignment_file, tmp_path):
    out = tmp_path / "report"
    grade(args_for(every_status, assignment_file, out))
    students = {s["student"]: s for s in json.loads((out / "grades.json").read_text())["students"]}
    assert students["ivan"]["message"] == (
        'ivan.txt:2:3: row has 1 value but the rows above have 2 (line: "20")'
    )
    assert students["jack"]["message"] == "2097152 bytes, over the limit of 1048576 bytes (not read)"
    assert students["hal"]["message"] == "hal.txt: looks like a binary file, not text"
    assert students["kim"]["message"] == (
        "kim.txt: a symlink that leaves the submissions folder (not followed)"
    )
    assert students["eve"]["message"] == "1 problem not answered: mean"
    assert students["zoe"]["message"] == "on the roster but nothing was handed in"
    bob = students["bob"]["problems"]
    assert bob[0]["answer"] == [["11 14", "20 22"]]
    assert bob[0]["wrong"] == [
        {"row": 2, "col": 2, "expected": 23.0, "got": 22.0, "cause": "arithmetic"}
    ]
    assert bob[0]["earned"] == 3.0 and bob[0]["score"] == 0.75
    dave = students["dave"]["problems"][0]
    assert dave["shape_ok"] is False and dave["expected_shape"] == [2, 2]
    assert dave["got_shape"] == [3, 3] and dave["earned"] == 0.0
    assert students["frank"]["files"] == ["frank.txt"]
    assert students["lee"]["files"] == ["lee/p1.txt", "lee/p2.txt"]


def test_too_large_and_symlinked_files_are_never_opened(
    every_status, assignment_file, tmp_path, monkeypatch
):
    opened: list[str] = []
    real_open = os.open

    def spy(path, *a, **k):
        opened.append(os.path.basename(os.fspath(path)))
        return real_open(path, *a, **k)

    monkeypatch.setattr(submissions.os, "open", spy)
    grade_folder(every_status, load_assignment(assignment_file))
    assert "alice.txt" in opened
    assert "outside.txt" not in opened and "kim.txt" not in opened
    read_sizes: list[int] = []
    real_read = os.read
    monkeypatch.setattr(submissions.os, "read", lambda fd, n: read_sizes.append(n) or real_read(fd, n))
    grade_folder(every_status, load_assignment(assignment_file))
    assert max(read_sizes) < 1 << 20  # the 2 MB file was stat'ed, never read


def test_rerun_gives_the_same_bytes(every_status, assignment_file, tmp_path):
    out = tmp_path / "report"
    grade(args_for(every_status, assignment_file, out))
    first = tree_hashes(out)
    assert set(first) >= {"grades.csv", "grades.json", "summary.md", "feedback/alice.md"}
    assert len([f for f in first if f.startswith("feedback/")]) == len(EXPECTED_STATUS)
    grade(args_for(every_status, assignment_file, out))
    assert tree_hashes(out) == first
    other = tmp_path / "elsewhere"
    grade(args_for(every_status, assignment_file, other))
    assert tree_hashes(other) == first  # no path or time in the reports


def test_only_regrades_one_student(every_status, assignment_file, tmp_path):
    out, full = tmp_path / "report", tmp_path / "full"
    grade(args_for(every_status, assignment_file, out))
    before = tree_hashes(out)
    (every_status / "bob.txt").write_text(RIGHT)  # bob hands in a corrected answer
    (every_status / "carol.txt").write_text(RIGHT)  # carol too, but is not regraded
    result = grade(args_for(every_status, assignment_file, out, "--only", "bob"))
    assert result.exit_code == 0, result.output
    after = tree_hashes(out)
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {"grades.csv", "grades.json", "summary.md", "feedback/bob.md"}
    csv = (out / "grades.csv").read_text().splitlines()
    assert "bob,ok,6,6,4,2" in csv and "carol,ok,4,6,4,0" in csv
    (every_status / "carol.txt").write_text(RIGHT_1 + "\n1.75 2.5\n4 4.7\n")
    grade(args_for(every_status, assignment_file, full))
    for name in ("grades.csv", "grades.json", "summary.md", "feedback/bob.md"):
        assert (out / name).read_bytes() == (full / name).read_bytes(), name


def test_only_for_a_student_who_left(every_status, assignment_file, tmp_path):
    out = tmp_path / "report"
    grade(args_for(every_status, assignment_file, out))
    (every_status / "alice.txt").unlink()
    result = grade(args_for(every_status, assignment_file, out, "--only", "alice"))
    assert result.exit_code == 0
    assert "alice,missing,0,6,0,0" in (out / "grades.csv").read_text().splitlines()


@pytest.mark.parametrize(
    "setup, message",
    [
        ("none", "--only regrades one student of an earlier report, but"),
        ("unknown", "Error: no submission, roster entry or report row for student 'nobody'"),
        ("changed", "was made for another version of the assignment: grade the whole class again"),
    ],
)
def test_only_refusals(every_status, assignment_file, tmp_path, setup, message):
    out = tmp_path / "report"
    if setup != "none":
        grade(args_for(every_status, assignment_file, out))
    if setup == "changed":
        text = assignment_file.read_text().replace("points = 4", "points = 5")
        assignment_file.write_text(text)
    who = "nobody" if setup == "unknown" else "bob"
    result = grade(args_for(every_status, assignment_file, out, "--only", who))
    assert result.exit_code == 2
    assert message in result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1


def test_report_folder_inside_submissions_is_refused(every_status, assignment_file):
    before = tree_hashes(every_status)
    result = grade(args_for(every_status, assignment_file, every_status / "report"))
    assert result.exit_code == 2
    assert result.output.startswith("Error: the report folder ")
    assert "must not be inside the submissions folder" in result.output
    assert tree_hashes(every_status) == before and not (every_status / "report").exists()


def test_submissions_inside_the_feedback_folder_are_refused(assignment_file, tmp_path):
    folder = tmp_path / "out" / "feedback" / "class"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(RIGHT)
    result = grade([str(folder), "--assignment", str(assignment_file), "--out", str(tmp_path / "out")])
    # issue 24: said for what the user did (an --out around the submissions), not "feedback folder"
    assert result.exit_code == 2 and result.output == (
        f"Error: --out {tmp_path / 'out'} contains the submissions folder {folder}, but the report folder is "
        "replaced as a whole on every run; give the report a folder of its own, e.g. --out grading-report\n")
    assert (folder / "a.txt").read_text() == RIGHT


def test_max_bytes_and_no_feedback(every_status, assignment_file, tmp_path):
    out = tmp_path / "report"
    result = grade(args_for(every_status, assignment_file, out, "--max-bytes", "20", "--no-feedback"))
    assert result.exit_code == 0
    rows = dict(line.split(",", 2)[:2] for line in (out / "grades.csv").read_text().splitlines()[1:])
    assert (rows["alice"], rows["eve"], rows["lee"]) == ("too-large", "partial", "too-large")
    assert not (out / "feedback").exists()


def test_folder_total_counts_against_max_bytes(tmp_path, assignment_file):
    c = tmp_path / "c"
    (c / "lee").mkdir(parents=True)
    (c / "lee" / "p1.txt").write_text(RIGHT_1)
    (c / "lee" / "p2.txt").write_text(RIGHT_2)
    (result,) = grade_folder(c, load_assignment(assignment_file), max_bytes=20)
    assert result.status == "too-large"  # 12 + 18 bytes > 20


def test_feedback_in_chinese(every_status, assignment_file, tmp_path):
    out = tmp_path / "report"
    grade(args_for(every_status, assignment_file, out, "--lang", "zh"))
    bob = (out / "feedback" / "bob.md").read_text(encoding="utf-8")
    assert bob.splitlines()[0] == "# tiny：bob 的反馈"
    assert "得分：**5 / 6**（状态：正常）" in bob  # issue 23: the status in Chinese
    assert "4 个格子中有 1 个错误。" in bob
    ivan = (out / "feedback" / "ivan.md").read_text(encoding="utf-8")
    assert "ivan.txt:2:3: 这一行有 1 个数，但上面的行有 2 个" in ivan
    assert "全班总结：tiny" in (out / "summary.md").read_text(encoding="utf-8")


def test_feedback_in_english_says_what_is_wrong(every_status, assignment_file, tmp_path):
    out = tmp_path / "report"
    grade(args_for(every_status, assignment_file, out))
    bob = (out / "feedback" / "bob.md").read_text(encoding="utf-8")
    assert bob == (
        "# tiny: feedback for bob\n\n"
        "Score: **5 / 6** (status: ok)\n\n"
        "## conv — 3/4\n\n"
        "1 of 4 cells wrong.\n\n"
        "| cell (row, col) | written | expected | cause |\n"
        "|---|---:|---:|---|\n"
        "| (2, 2) | 22 | 23 | arithmetic |\n\n"
        # issue 11: command-line advice is for the teacher's view, not the student's feedback
        "- The wrong cell: miscalculated. Redo the products and their sum.\n\n"
        "## mean — 2/2\n\n"
        "Every cell is right.\n"
    ), bob
    dave = (out / "feedback" / "dave.md").read_text(encoding="utf-8")
    assert "The answer is 3×3 but the result is 2×2: no cell can be checked." in dave
    eve = (out / "feedback" / "eve.md").read_text(encoding="utf-8")
    assert "> 1 problem not answered: mean" in eve and "## mean — 0/2\n\nNot answered." in eve


# --------------------------------------------------------------------------- hostile folders


def test_hostile_folder_neither_crashes_nor_hangs(tmp_path, assignment_file):
    c = tmp_path / "class"
    c.mkdir()
    (c / "name with spaces.txt").write_text(RIGHT)
    (c / "学生 王.txt").write_text(RIGHT)
    (c / "-rf.txt").write_text(RIGHT)
    (c / "--help").write_text(RIGHT)
    (c / 'quote",comma.txt').write_text(RIGHT)
    (c / "deep" / "a" / "b" / "c" / "d" / "e").mkdir(parents=True)
    (c / "deep" / "a" / "b" / "c" / "d" / "e" / "x.txt").write_text(RIGHT)
    (c / "nested" / "inner").mkdir(parents=True)
    (c / "nested" / "inner" / "p1.txt").write_text(RIGHT_1)
    (c / "nested" / "p2.txt").write_text(RIGHT_2)
    (c / "nested" / "z.bin").write_bytes(b"\x00\x00")
    (c / "dirlike.txt").mkdir()
    (c / "dirlike.txt" / "answer.txt").write_text(RIGHT)
    os.mkfifo(c / "fifo.txt")
    os.mkfifo(c / "nested" / "pipe")
    os.symlink("loop_b", c / "loop_a")
    os.symlink("loop_a", c / "loop_b")
    os.symlink(".", c / "self")
    os.symlink("..", c / "nested" / "up")
    os.symlink(tmp_path, c / "parent_dir")
    os.symlink("name with spaces.txt", c / "inside_link.txt")
    (c / "empty_dir").mkdir()
    before = tree_hashes(c)
    out = tmp_path / "report"
    old = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("grading hung"))
    signal.alarm(120)
    try:
        result = grade([str(c), "--assignment", str(assignment_file), "--out", str(out),
                        "--format", "plain"])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert result.exit_code == 0, result.output
    students = {s["student"]: s for s in json.loads((out / "grades.json").read_text())["students"]}
    status = {k: v["status"] for k, v in students.items()}
    assert status == {
        "--help": "ok",
        "-rf": "ok",
        "deep": "unreadable",  # its one file is nested too deep: not read, and nothing else was
        "dirlike.txt": "ok",
        "empty_dir": "empty",
        "fifo": "unreadable",
        "inside_link": "ok",
        "loop_a": "unreadable",
        "loop_b": "unreadable",
        "name with spaces": "ok",
        "nested": "ok",
        "parent_dir": "unreadable",
        'quote",comma': "ok",
        "self": "unreadable",
        "学生 王": "ok",
    }
    assert students["nested"]["files"] == ["nested/inner/p1.txt", "nested/p2.txt", "nested/z.bin"]
    assert any("nested/pipe" in n for n in students["nested"]["notes"])
    assert any("nested/up" in n for n in students["nested"]["notes"])
    assert students["nested"]["score"] == 6.0
    assert students["fifo"]["message"].startswith("fifo.txt: not a regular file")
    assert students["deep"]["message"] == (  # issue 24: the limit named; a loop has its own words
        "deep/a/b/c/d: skipped: a folder nested more than 4 levels deep in the student's folder (not read)"
    )
    assert students["loop_a"]["message"] == "loop_a: a broken or looping symlink"
    assert students["self"]["message"].startswith("self: a symlink that leaves")
    assert tree_hashes(c) == before
    csv = (out / "grades.csv").read_text(encoding="utf-8")
    assert '"quote"",comma",ok,6,6,4,2' in csv
    assert (out / "feedback" / "-rf.md").is_file() and (out / "feedback" / "学生 王.md").is_file()


def test_same_stem_is_not_merged(tmp_path, assignment_file):
    """Issue 24 (it merged them, in name order): two files of one id are a resubmission
    whose intent nobody can read; none is graded, and the status says which files."""
    c = tmp_path / "c"
    c.mkdir()
    (c / "amy.a.txt").write_text(RIGHT_1)
    (c / "amy.b.txt").write_text(RIGHT_2)
    (c / "bo.csv").write_text("c1,c2\n11,14\n20,23\n")
    (c / "bo.txt").write_text(RIGHT_2)
    subs = discover(c)
    assert [(s.student, [n for _, n in s.files]) for s in subs] == [
        ("amy.a", ["amy.a.txt"]), ("amy.b", ["amy.b.txt"]), ("bo", ["bo.csv", "bo.txt"])
    ]
    results = {r.student: r for r in grade_folder(c, load_assignment(assignment_file))}
    assert results["bo"].status == "malformed" and results["bo"].score == 0
    assert results["bo"].message == "handed in 2 files: bo.csv, bo.txt; keep one and regrade with --only bo"
    assert results["bo"].several_files == ["bo.csv", "bo.txt"]
    assert results["amy.a"].status == "partial" and results["amy.b"].status == "partial"


def test_assignment_and_roster_inside_the_folder_are_not_students(tmp_path, assignment_file):
    c = assignment_file.parent
    (c / "ann.txt").write_text(RIGHT)
    (c / "roster.csv").write_text("student\nann\n")
    a = load_assignment(assignment_file)
    results = grade_folder(c, a, skip=(assignment_file, c / "roster.csv"))
    assert {r.student for r in results} == {"ann", "img", "k1", "k2"}


# --------------------------------------------------------------------------- units


def test_student_ids():
    assert student_id("alice.txt", False) == "alice"
    assert student_id("alice", False) == "alice"
    assert student_id("a.b.txt", False) == "a.b"
    assert student_id("bob.txt", True) == "bob.txt"


def test_scores_are_formatted_stably():
    assert [fmt_score(x) for x in (0.0, 10.0, 7.551020408163265, 2.5, 1 / 3, -0.0)] == [
        "0", "10", "7.55", "2.5", "0.33", "0"
    ]


def test_distribute_blocks_and_problem_files():
    a, b, c = parse_text("1\n\n2\n\n3")
    assert distribute([a, b, c], [1, 1]) == ([[a], [b]], 1)
    assert distribute([a], [1, 1]) == ([[a], None], 0)
    assert distribute([[a, b], c], [1, 1]) == ([[a, b], [c]], 0)


def test_read_roster(tmp_path):
    p = tmp_path / "r.csv"
    p.write_bytes("\ufeffStudent,email\n王,w@x\n  amy ,a@x\n,\n".encode())
    assert read_roster(p) == ["王", "amy"]
    p.write_text("name\nx\n")
    result = CliRunner().invoke(cli, ["grade", str(tmp_path), "--assignment", str(p), "--roster", str(p)])
    assert result.exit_code == 2


def test_cells_and_all_scoring_by_hand(tmp_path, assignment_file):
    """5 of 6 ... : conv (cells) 4 points x 2/4 = 2; mean (all) 2 points x 0."""
    c = tmp_path / "c"
    c.mkdir()
    (c / "s.txt").write_text("11 0\n0 23\n\n1.75 2.5\n4 0\n")
    (r,) = grade_folder(c, load_assignment(assignment_file))
    assert [(p.earned, p.fraction) for p in r.problems] == [(2.0, 0.5), (0.0, 0.75)]
    assert r.score == 2.0 and r.max_score == 6.0


def test_progress_is_reported(every_status, assignment_file):
    seen: list[tuple[str, int, int]] = []
    grade_folder(every_status, load_assignment(assignment_file), progress=lambda *a: seen.append(a))
    assert seen[0][0] == "read" and seen[-1] == ("check", 2 * 14, 2 * 14)
    assert ("read", 14, 14) in seen


def test_grader_blank_rows_score_zero(assignment_file):
    g = Grader(load_assignment(assignment_file))
    row = g.blank("x", "missing", "m").to_json()
    assert (row["score"], row["max_score"], [p["earned"] for p in row["problems"]]) == (0, 6.0, [0, 0])
