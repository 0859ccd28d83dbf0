"""`cnncalc grade --pictures`: a marked PNG for each wrong answer beside the student's
feedback file, linked from it; the same bytes on a rerun and on two processes; `--only`
redraws one student's pictures; odd student ids; no Pillow, one Error line."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from cnncalc.check.assignment import load_assignment
from cnncalc.cli import cli
from cnncalc.draw.canvas import PictureError
from cnncalc.draw.layout import Words
from cnncalc.draw.marked import WRONG_RGB, marked_from_result
from cnncalc.grade import pictures as gradepictures
from cnncalc.grade import reports
from cnncalc.grade.grader import Grader, find_submissions, grade_submissions
from cnncalc.grade.pictures import picture_link, picture_stem, remove_stale

ROOT = Path(__file__).resolve().parent.parent
XO = ROOT / "samples" / "xo"
ASSIGNMENT = XO / "assignment.toml"

# The sample class's wrong answers (see grades.csv in the README): chen dropped minus signs,
# dana summed instead of averaging, eli is wrong everywhere, hana swapped maps 2 and 3.
# ana and ben are right, farid answered two maps right (partial), gus is malformed.
SAMPLE_PICTURES = {
    "chen": [1, 2, 3],
    "dana": [1, 2, 3],
    "eli": [1, 2, 3],
    "hana": [2, 3],
}


def grade(folder: Path, out: Path, *args: str, assignment: Path = ASSIGNMENT):
    return CliRunner().invoke(
        cli,
        [
            "grade",
            str(folder),
            "--assignment",
            str(assignment),
            "--out",
            str(out),
            "--format",
            "plain",
            "--no-progress",
            *args,
        ],
        catch_exceptions=False,
    )


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones too) by relative path."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".cnncalc-report.json"  # the report set's manifest
    }


def pngs(feedback: Path) -> list[str]:
    return sorted(p.name for p in feedback.iterdir() if p.suffix == ".png")


def links(md: str) -> list[str]:
    return [line for line in md.splitlines() if line.startswith("![")]


def sample_class(root: Path) -> Path:
    folder = root / "class"
    shutil.copytree(XO / "class", folder)
    return folder


# --------------------------------------------------------------------------- the sample class


def test_a_picture_for_each_wrong_answer_linked_under_its_heading(tmp_path):
    out = tmp_path / "r"
    result = grade(XO / "class", out, "--pictures", "--roster", str(XO / "roster.csv"))
    assert result.exit_code == 0
    feedback = out / "feedback"
    expected = sorted(f"{s}-{k}.png" for s, ks in SAMPLE_PICTURES.items() for k in ks)
    assert pngs(feedback) == expected
    for student, ks in SAMPLE_PICTURES.items():
        md = (feedback / f"{student}.md").read_text(encoding="utf-8")
        assert links(md) == [f"![feature map {k}]({student}-{k}.png)" for k in ks]
    # the link sits right under the problem's heading, before the wrong cells
    chen = (feedback / "chen.md").read_text(encoding="utf-8")
    assert (
        "## feature map 1 — 7.55/10\n\n![feature map 1](chen-1.png)\n\n12 of 49 cells wrong."
        in chen
    )
    hana = (feedback / "hana.md").read_text(encoding="utf-8")
    assert "## feature map 1 — 10/10\n\nEvery cell is right." in hana
    # all right (ana, ben), right where answered (farid), malformed (gus), missing (ivy): none
    for student in ("ana", "ben", "farid", "gus", "ivy"):
        assert links((feedback / f"{student}.md").read_text(encoding="utf-8")) == []
        assert not list(feedback.glob(f"{student}-*.png"))


def test_feedback_is_unchanged_apart_from_the_links(tmp_path):
    grade(XO / "class", tmp_path / "plain")
    grade(XO / "class", tmp_path / "pics", "--pictures")
    plain, pics = tree(tmp_path / "plain"), tree(tmp_path / "pics")
    assert {k for k in pics if not k.endswith(".png")} == set(plain)
    for name in ("grades.csv", "grades.json", "summary.md"):
        assert pics[name] == plain[name]
    for name, data in plain.items():
        if name.endswith(".md") and name.startswith("feedback"):
            text = pics[name].decode("utf-8")
            for link in links(text):
                text = text.replace(link + "\n\n", "")
            assert text == data.decode("utf-8")


def test_the_picture_marks_the_cells_grades_json_lists(tmp_path):
    out = tmp_path / "r"
    grade(XO / "class", out, "--pictures")
    data = json.loads((out / "grades.json").read_text(encoding="utf-8"))
    chen = next(s for s in data["students"] if s["student"] == "chen")
    wrong = {(w["row"], w["col"]) for w in chen["problems"][0]["wrong"]}
    assert len(wrong) == 12 and (1, 2) in wrong  # -0.11 written 0.11
    # the same picture drawn directly tells where the grid is
    a = load_assignment(ASSIGNMENT)
    subs = find_submissions(XO / "class", only="chen", skip=(ASSIGNMENT,))
    (student,) = grade_submissions(subs, Grader(a, max_bytes=1 << 20), None)
    p = student.problems[0]
    info = marked_from_result(
        tmp_path / "direct.png", p.grids, p.result, a.problems[0].expected, title=p.name
    )
    shown = out / "feedback" / "chen-1.png"
    assert shown.read_bytes() == info.path.read_bytes()
    img = Image.open(shown).convert("RGB")
    assert img.size == (info.width, info.height)
    box = info.grids["answer 1"]
    assert (box.rows, box.cols) == (7, 7)
    outlined = set()
    for i in range(1, 8):
        for j in range(1, 8):
            x0, y0, _, y1 = box.box(i, j)
            if img.getpixel((x0 + 1, (y0 + y1) // 2)) == WRONG_RGB:
                outlined.add((i, j))
    assert outlined == wrong


def test_a_rerun_gives_the_same_bytes_for_every_file(tmp_path):
    out = tmp_path / "r"
    assert grade(XO / "class", out, "--pictures").exit_code == 0
    first = tree(out)
    assert sum(name.endswith(".png") for name in first) == 11
    assert not any("/." in name or name.startswith(".") for name in first)  # no temporary files
    assert grade(XO / "class", out, "--pictures").exit_code == 0
    assert tree(out) == first
    assert grade(XO / "class", tmp_path / "other", "--pictures").exit_code == 0
    assert tree(tmp_path / "other") == first


def test_chinese_feedback_links_the_same_pictures(tmp_path):
    out = tmp_path / "r"
    result = grade(XO / "class", out, "--pictures", "--lang", "zh")
    assert result.exit_code == 0
    assert pngs(out / "feedback") == pngs_of_sample()
    chen = (out / "feedback" / "chen.md").read_text(encoding="utf-8")
    assert "![feature map 1](chen-1.png)" in chen and "个格子中有" in chen
    warned = result.stderr.startswith("警告：")
    assert warned == Words("zh").fallback  # a warning only when no font draws Chinese


def pngs_of_sample() -> list[str]:
    return sorted(f"{s}-{k}.png" for s, ks in SAMPLE_PICTURES.items() for k in ks)


# --------------------------------------------------------------------------- refusals


def test_without_pillow_one_error_line_and_nothing_written(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)  # `from PIL import Image` now fails
    result = grade(XO / "class", tmp_path / "r", "--pictures")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == 'Error: drawing pictures needs Pillow: pip install "cnncalc[images]"\n'
    assert not (tmp_path / "r").exists()
    with pytest.raises(PictureError):  # the Python API refuses as early
        reports.run_grade(
            XO / "class",
            load_assignment(ASSIGNMENT),
            out=tmp_path / "api",
            max_bytes=1 << 20,
            pictures=True,
        )
    assert not (tmp_path / "api").exists()
    # without --pictures grading needs no Pillow
    assert grade(XO / "class", tmp_path / "plain").exit_code == 0


def test_pictures_need_the_feedback_files(tmp_path):
    result = grade(XO / "class", tmp_path / "r", "--pictures", "--no-feedback")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --pictures draws the pictures of the feedback files; it cannot go with "
        "--no-feedback\n"
    )
    assert not (tmp_path / "r").exists()


# --------------------------------------------------------------------------- --only


def test_only_redraws_one_students_pictures_and_removes_stale_ones(tmp_path):
    folder = sample_class(tmp_path)
    out = tmp_path / "r"
    grade(folder, out, "--pictures")
    before = tree(out)

    def others_unchanged(student: str) -> None:
        now = tree(out)
        for name, data in before.items():
            if not name.startswith(f"feedback/{student}") and name.startswith("feedback/"):
                assert now[name] == data, name

    # hana now hands in eli's answers: wrong on all three maps
    shutil.copy(folder / "eli.txt", folder / "hana.txt")
    assert grade(folder, out, "--pictures", "--only", "hana").exit_code == 0
    feedback = out / "feedback"
    assert sorted(feedback.glob("hana-*.png")) == [feedback / f"hana-{k}.png" for k in (1, 2, 3)]
    for k in (1, 2, 3):
        assert (feedback / f"hana-{k}.png").read_bytes() == (feedback / f"eli-{k}.png").read_bytes()
    assert links((feedback / "hana.md").read_text(encoding="utf-8")) == [
        f"![feature map {k}](hana-{k}.png)" for k in (1, 2, 3)
    ]
    others_unchanged("hana")
    assert tree(out) == full_run(folder, tmp_path / "fresh1")

    # then ana's answers: all right, no picture left
    shutil.copy(folder / "ana.txt", folder / "hana.txt")
    grade(folder, out, "--pictures", "--only", "hana")
    assert not list(feedback.glob("hana-*.png"))
    assert links((feedback / "hana.md").read_text(encoding="utf-8")) == []
    assert tree(out) == full_run(folder, tmp_path / "fresh2")

    # a malformed submission, then none at all (missing): no pictures either
    shutil.copy(folder / "chen.txt", folder / "hana.txt")
    grade(folder, out, "--pictures", "--only", "hana")
    assert len(list(feedback.glob("hana-*.png"))) == 3
    shutil.copy(folder / "gus.txt", folder / "hana.txt")
    grade(folder, out, "--pictures", "--only", "hana")
    assert not list(feedback.glob("hana-*.png"))
    shutil.copy(folder / "chen.txt", folder / "hana.txt")
    grade(folder, out, "--pictures", "--only", "hana")
    (folder / "hana.txt").unlink()
    grade(folder, out, "--pictures", "--only", "hana")
    assert not list(feedback.glob("hana-*.png"))
    others_unchanged("hana")


def full_run(folder: Path, out: Path) -> dict[str, bytes]:
    assert grade(folder, out, "--pictures").exit_code == 0
    return tree(out)


def test_only_without_pictures_leaves_no_stale_picture(tmp_path):
    out = tmp_path / "r"
    grade(XO / "class", out, "--pictures")
    grade(XO / "class", out, "--only", "chen")
    assert not list((out / "feedback").glob("chen-*.png"))
    assert len(list((out / "feedback").glob("dana-*.png"))) == 3
    assert links((out / "feedback" / "chen.md").read_text(encoding="utf-8")) == []


# --------------------------------------------------------------------------- odd student ids


ODD_IDS = ["-rf", "Zoë Li (2)", "a b", "[x]", "学生", "amy", "amy-1", "y" * 240]


def test_odd_student_ids_get_safe_names_and_working_links(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for sid in ODD_IDS:
        shutil.copy(XO / "class" / "chen.txt", folder / f"{sid}.txt")
    out = tmp_path / "r"
    assert grade(folder, out, "--pictures").exit_code == 0
    feedback = out / "feedback"
    names = set(pngs(feedback))
    assert len(names) == 3 * len(ODD_IDS)
    for sid in ODD_IDS:
        md = next(p for p in feedback.iterdir() if p.name == f"{sid}.md")
        found = links(md.read_text(encoding="utf-8"))
        assert len(found) == 3
        for k, link in enumerate(found, start=1):
            target = unquote(link[link.index("](") + 2 : -1])
            assert target == f"{picture_stem(sid)}-{k}.png" and target in names
            assert " " not in link[link.index("](") :]  # spaces are percent-encoded
            assert len(target.encode()) <= 255
    assert picture_stem("y" * 240) != "y" * 240  # long ids are cut (with a hash)
    assert "![feature map 1](-rf-1.png)" in (feedback / "-rf.md").read_text(encoding="utf-8")
    assert "![feature map 1](Zo%C3%AB%20Li%20%282%29-1.png)" in (
        feedback / "Zoë Li (2).md"
    ).read_text(encoding="utf-8")
    # --only for "amy" (now right) keeps the pictures of "amy-1"
    shutil.copy(XO / "class" / "ana.txt", folder / "amy.txt")
    assert grade(folder, out, "--pictures", "--only", "amy").exit_code == 0
    assert not list(feedback.glob("amy-?.png"))
    assert sorted(p.name for p in feedback.glob("amy-1-*.png")) == [
        "amy-1-1.png",
        "amy-1-2.png",
        "amy-1-3.png",
    ]
    assert grade(folder, out, "--pictures", "--only", "-rf").exit_code == 0
    assert (feedback / "-rf-1.png").is_file()


def test_picture_link_escapes_the_alt_text():
    assert picture_link("map [1]", "a-1.png") == "![map \\[1\\]](a-1.png)"
    assert picture_link("m", "a b(c)-2.png") == "![m](a%20b%28c%29-2.png)"


@settings(max_examples=200, deadline=None)
@given(
    st.text(min_size=1, max_size=300).filter(lambda s: "\x00" not in s),
    st.text(min_size=1, max_size=300).filter(lambda s: "\x00" not in s),
    st.integers(1, 99),
)
def test_one_students_pictures_never_match_anothers_pattern(a, b, k):
    name = f"{picture_stem(a)}-{k}.png"
    assert (
        "/" not in name and "\\" not in name and len(name.encode("utf-8", "surrogatepass")) <= 255
    )
    pattern = gradepictures.re.compile(gradepictures.re.escape(picture_stem(b)) + r"-[0-9]+\.png")
    assert bool(pattern.fullmatch(name)) == (picture_stem(a) == picture_stem(b))


def test_remove_stale_keeps_what_is_asked_and_other_students(tmp_path):
    for name in ("bo-1.png", "bo-3.png", "bo-x.png", "bo-1-1.png", "bo.md", "bob-1.png"):
        (tmp_path / name).write_bytes(b"")
    remove_stale(tmp_path, "bo", ["bo-3.png"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bo-1-1.png",
        "bo-3.png",
        "bo-x.png",
        "bo.md",
        "bob-1.png",
    ]
    remove_stale(tmp_path / "nowhere", "bo")  # no folder: nothing to do


def test_an_answer_too_large_to_draw_gets_no_picture(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "wide.txt").write_text(" ".join(["1"] * 4001) + "\n", encoding="utf-8")
    shutil.copy(XO / "class" / "chen.txt", folder / "chen.txt")
    out = tmp_path / "r"
    assert grade(folder, out, "--pictures").exit_code == 0
    assert pngs(out / "feedback") == ["chen-1.png", "chen-2.png", "chen-3.png"]
    assert links((out / "feedback" / "wide.md").read_text(encoding="utf-8")) == []


# --------------------------------------------------------------------------- two processes


SMALL_ASSIGNMENT = """\
title = "small"
decimals = 2

[[problem]]
name = "p1"
image = "x.txt"
kernel = "k1.txt"
points = 2

[[problem]]
name = "p2"
image = "x.txt"
kernel = "k2.txt"
points = 2
"""

# x = [1 2 3]; k1 = [1 -1] gives [-1 -1]; k2 = [1 1] gives [3 5]
VARIANTS = [
    ("-1 -1\n\n3 5\n", []),  # right
    ("1 1\n\n3 5\n", [1]),  # sign on p1
    ("-1 -1\n\n3 4\n", [2]),  # one cell of p2
    ("1 1\n\n5 3\n", [1, 2]),  # both wrong
    ("-1 -1 -1\n", [1]),  # wrong shape, p2 unanswered (partial)
    ("x y\n", []),  # malformed
    ("", []),  # empty
]


def test_a_thousand_students_give_the_same_files_twice(tmp_path, monkeypatch):
    home = tmp_path / "a"
    home.mkdir()
    (home / "x.txt").write_text("1 2 3\n")
    (home / "k1.txt").write_text("1 -1\n")
    (home / "k2.txt").write_text("1 1\n")
    (home / "assignment.toml").write_text(SMALL_ASSIGNMENT)
    a = load_assignment(home / "assignment.toml")
    assert [p.expected.tolist() for p in a.problems] == [[[-1.0, -1.0]], [[3.0, 5.0]]]
    folder = tmp_path / "class"
    folder.mkdir()
    n = 1000
    wanted = set()
    for i in range(n):
        body, wrong = VARIANTS[i % len(VARIANTS)]
        (folder / f"s{i:04d}.txt").write_text(body)
        wanted |= {f"s{i:04d}-{k}.png" for k in wrong}
    assert len(wanted) == 143 * 5  # 1,000 = 142·7 + 6: variants 1-4 come 143 times

    log = tmp_path / "pids.log"
    real = gradepictures.FeedbackPictures.write

    def logged(self, directory, student):  # which process draws
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(self, directory, student)

    monkeypatch.setattr(gradepictures.FeedbackPictures, "write", logged)
    kwargs = {"max_bytes": 1 << 20, "pictures": True}
    reports.run_grade(folder, a, out=tmp_path / "one", **kwargs)
    assert set(log.read_text().split()) == {str(os.getpid())}  # no helper process draws
    reports.run_grade(folder, a, out=tmp_path / "two", **kwargs)

    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert one == two
    assert {Path(k).name for k in one if k.endswith(".png")} == wanted
    assert sum(k.endswith(".md") for k in one) == n + 1  # feedback files and summary.md
    s1 = (tmp_path / "one" / "feedback" / "s0001.md").read_text(encoding="utf-8")
    assert "## p1 — 0/2\n\n![p1](s0001-1.png)\n\n2 of 2 cells wrong." in s1
    # same answers, same picture
    assert one["feedback/s0001-1.png"] == one["feedback/s0008-1.png"]
    img = Image.open(tmp_path / "one" / "feedback" / "s0003-2.png").convert("RGB")
    assert np.asarray(img).shape[2] == 3
