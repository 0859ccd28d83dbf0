"""The classroom loop end to end: make -> hand in -> grade -> gradebooks and report.

The sample class (samples/classroom/) was made with `cnncalc make` and answered by
simulate.py, which wrote the grades it planted (planted.json); grading must find
exactly those grades, and `make` must redraw exactly the committed variants.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncalc.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "classroom"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("graded") / "report"
    result = run("grade", str(SAMPLE / "submissions"), "--assignment", str(SAMPLE / "made" / "variants.json"),
                 "--roster", str(SAMPLE / "roster.csv"), "--gradebook", "canvas", "--gradebook", "csv",
                 "--gradebook", "moodle", "--gradebook", "gradescope", "--html", "--out", str(out),
                 "--format", "plain")
    assert result.exit_code == 0, result.output
    return out


def test_make_redraws_the_committed_sample_exactly(tmp_path):
    out = tmp_path / "made"
    result = run("make", str(SAMPLE / "assignment.toml"), "--roster", str(SAMPLE / "roster.csv"), "--out", str(out))
    assert result.exit_code == 0
    assert result.output == f"Wrote 30 sheets, their keys and variants.json to {out}\n"
    committed = sorted(p.relative_to(SAMPLE / "made") for p in (SAMPLE / "made").rglob("*") if p.is_file())
    made = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert made == committed and len(made) == 2 + 30 * (3 + 5)  # variants.json, the manifest, 8 a student
    for rel in made:
        assert (out / rel).read_bytes() == (SAMPLE / "made" / rel).read_bytes(), rel


def test_a_variant_file_by_hand():
    # s01's first problem (easy preset): the image and kernel drawn from seed 2026 and "s01"
    folder = SAMPLE / "made" / "variants" / "s01-fb173a948c"
    assert (folder / "assignment.toml").read_text(encoding="utf-8").startswith(
        'title = "Homework 5: feature maps"\ndecimals = 2\n\n[[problem]]\n"name" = "feature map 1"\n')
    from cnncalc.grade.variants import draw_variant, grid_text

    v = draw_variant(2026, "s01", 0, {"preset": "easy"})
    assert (folder / "p1-image.txt").read_text() == grid_text(v.image) + "\n"


def test_round_trip_grades_equal_what_the_simulation_planted(graded):
    planted = json.loads((SAMPLE / "planted.json").read_text(encoding="utf-8"))
    grades = json.loads((graded / "grades.json").read_text(encoding="utf-8"))["students"]
    assert {r["student"]: (r["status"], round(r["score"], 6)) for r in grades} == {
        s: (p["status"], p["score"]) for s, p in planted.items()
    }
    assert len(grades) == 30


def test_canvas_gradebook_from_the_sample(graded):
    rows = list(csv.reader(io.StringIO((graded / "grades-canvas.csv").read_text(encoding="utf-8"), newline="")))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Homework 5: feature maps"]
    assert rows[1] == ["Ana Silva", "", "20260001", "s01", "A", "20"]
    planted = json.loads((SAMPLE / "planted.json").read_text(encoding="utf-8"))
    by_login = {r[3]: r[5] for r in rows[1:]}
    assert by_login["s30"] == ""  # missing: no grade, not a zero
    assert by_login["s03"] == f"{planted['s03']['score']:.2f}".rstrip("0").rstrip(".")
    assert len(rows) == 31


def test_notes_are_facts_in_the_csv_gradebook_and_the_report(graded):
    text = (graded / "grades-csv.csv").read_text(encoding="utf-8")
    notes = {r["student"]: r["notes"] for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert notes["s09"] == "feature map 1: answer equals the key of student s10"
    assert notes["s11"] == "feature map 2: answer equals the key of student s12"
    shared = "feature map 1: identical wrong answer shared by 3 students (s26, s27, s28)"
    assert notes["s26"] == notes["s27"] == notes["s28"] == shared
    assert notes["s01"] == ""
    index = (graded / "report" / "index.html").read_text(encoding="utf-8")
    assert "<li>s09: feature map 1: answer equals the key of student s10</li>" in index
    assert f"<li>s27: {shared}</li>" in index


def test_one_sheet_without_a_roster(tmp_path):
    out = tmp_path / "one"
    assert run("make", str(SAMPLE / "assignment.toml"), "--out", str(out)).exit_code == 0
    index = json.loads((out / "variants.json").read_text(encoding="utf-8"))
    assert index["students"] == {} and index["default"] == "variants/class/assignment.toml"
    assert sorted(p.name for p in (out / "sheets").iterdir()) == ["class.html", "class.md"]
    sheet = (out / "sheets" / "class.md").read_text(encoding="utf-8")
    assert sheet.startswith("# Homework 5: feature maps: homework\n")
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "anyone.txt").write_text("1\n")
    result = run("grade", str(subs), "--assignment", str(out / "variants.json"), "--out", str(tmp_path / "r"),
                 "--format", "plain", "--gradebook", "csv")
    assert result.exit_code == 0
    assert "anyone" in (tmp_path / "r" / "grades-csv.csv").read_text(encoding="utf-8")


def test_sheet_has_an_empty_answer_grid_of_the_right_size():
    sheet = (SAMPLE / "made" / "sheets" / "s01-fb173a948c.html").read_text(encoding="utf-8")
    key = (SAMPLE / "made" / "keys" / "s01-fb173a948c.md").read_text(encoding="utf-8")
    import re

    sizes = re.findall(r"Answer \((\d+)×(\d+)\)", key)
    grids = re.findall(r'<table class="m answer"><caption>Your answer \((\d+)×(\d+)\)[^<]*</caption>(.*?)</table>',
                       sheet)
    assert [(r, c) for r, c, _ in grids] == sizes and len(sizes) == 2
    for r, c, body in grids:
        assert body.count("<tr>") == int(r) and body.count("<td></td>") == int(r) * int(c)
    assert "convolve the image with the kernel" in sheet


def test_bad_random_table_is_one_error_line(tmp_path):
    bad = tmp_path / "a.toml"
    bad.write_text('seed = 1\n[[problem]]\n[problem.random]\npreset = "easy"\nstride = [0]\n')
    result = run("make", str(bad), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    # the file, the line and the key, as grade names an assignment's errors (trial 2, papercut 11)
    assert result.output == f"Error: {bad}:5: random.stride: needs a whole number from 1 to 16, got 0\n"
    bad.write_text('[[problem]]\n[problem.random]\npreset = "easy"\n')
    result = run("make", str(bad), "--out", str(tmp_path / "o"))
    assert result.output == f"Error: {bad}: an assignment with random problems needs a whole-number or text 'seed'\n"


def test_pictures_are_refused_with_variants(tmp_path):
    result = run("grade", str(SAMPLE / "submissions"), "--assignment", str(SAMPLE / "made" / "variants.json"),
                 "--pictures", "--out", str(tmp_path / "r"))
    assert result.exit_code == 2
    assert result.output == "Error: --pictures is not available when each student has their own variant\n"


HOSTILE_ROSTER = (
    "student,name,email,sis_user_id\n"
    '=cmd,"=HYPERLINK(""http://x"")",=evil@x.org,+1\n'
    '"a,b","Quote ""Q"" Person",q@x.org,2\n'
    '"new\nline","Line\nBreak",n@x.org,3\n'
    "张三,张三,z@x.org,@4\n"
    "<script>,<b>bold</b>,s@x.org,-5\n"
)


def test_hostile_roster_breaks_neither_the_csvs_nor_the_html(tmp_path):
    src = tmp_path / "a.toml"
    src.write_text('title = "=HW"\nseed = 3\n[[problem]]\nname = "<p1>"\n[problem.random]\npreset = "easy"\n')
    roster = tmp_path / "roster.csv"
    roster.write_text(HOSTILE_ROSTER, encoding="utf-8")
    made = tmp_path / "made"
    # make refuses an id that cannot name a file (trial 2, B10): it makes the others' sheets
    make_roster = tmp_path / "make-roster.csv"
    make_roster.write_text(HOSTILE_ROSTER.replace('"new\nline","Line\nBreak",n@x.org,3\n', ""), encoding="utf-8")
    assert run("make", str(src), "--roster", str(make_roster), "--out", str(made)).exit_code == 0
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "=cmd.txt").write_text("1 2\n3 4\n")
    (subs / "张三.txt").write_text("0\n")
    out = tmp_path / "r"
    result = run("grade", str(subs), "--assignment", str(made / "variants.json"), "--roster", str(roster),
                 "--gradebook", "canvas", "--gradebook", "csv", "--gradebook", "gradescope", "--html",
                 "--out", str(out), "--format", "plain")
    assert result.exit_code == 0, result.output
    for kind in ("canvas", "csv", "gradescope"):
        rows = list(csv.reader(io.StringIO((out / f"grades-{kind}.csv").read_text(encoding="utf-8"), newline="")))
        assert len(rows) == 6 and len({len(r) for r in rows}) == 1, kind
        for cell in (c for r in rows for c in r):
            assert not cell or cell[0] not in "=+-@\t\r" or cell.lstrip("+-").replace(".", "").isdigit(), (kind, cell)
    csv_rows = list(csv.DictReader(io.StringIO((out / "grades-csv.csv").read_text(encoding="utf-8"), newline="")))
    assert [r["student"] for r in csv_rows] == ["<script>", "'=cmd", "a,b", "new\nline", "张三"]
    index = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "<script>," not in index and "&lt;script&gt;" in index and "<b>bold" not in index
    assert index.count("<script>") == 1  # the sorting script only
    assert 'data-student="new\\nline"' in index and 'data-student="a,b"' in index
    pages = sorted(p.name for p in (out / "report" / "students").iterdir())
    assert len(pages) == 5 and all(p.endswith(".html") and "/" not in p for p in pages)


def test_stage_chains_are_checked_by_the_engine_and_redrawn(tmp_path):
    from cnncalc.grade.classmake import _legal
    from cnncalc.grade.variants import Variant

    settings = {"stride": 1, "padding": 0, "dilation": 1, "norm": "sum", "bias": 0, "relu": False,
                "pooling": "none", "stages": "conv | relu | maxpool(2)"}
    ones = [[1] * 4 for _ in range(4)]
    v = Variant("x", 0, ones, [[1, 1], [1, 1]], settings)
    # 4x4 conv 2x2 -> 3x3, max pool 2 -> 1x1: computable, but under a 2x2 minimum
    assert _legal(v, 1) and not _legal(v, 2)
    bad = Variant("x", 0, ones, [[1, 1], [1, 1]], {**settings, "stages": "conv | maxpool(9)"})
    assert not _legal(bad, 1)  # the engine refuses a pool larger than the map
    src = tmp_path / "a.toml"
    src.write_text('seed = "s"\n[[problem]]\nname = "chain"\n[problem.random]\npreset = "easy"\n'
                   'stages = ["conv | relu | maxpool(2)", "conv(stride=2) | relu"]\n')
    roster = tmp_path / "r.csv"
    roster.write_text("student\n" + "".join(f"u{i}\n" for i in range(12)))
    assert run("make", str(src), "--roster", str(roster), "--out", str(tmp_path / "o")).exit_code == 0
    from cnncalc.grade.classgrade import load_variants

    for a in load_variants(tmp_path / "o" / "variants.json").students.values():
        assert min(a.problems[0].expected.shape[-2:]) >= 2


def test_chinese_sheet_and_report(tmp_path):
    out = tmp_path / "made"
    assert run("make", str(SAMPLE / "assignment.toml"), "--out", str(out), "--lang", "zh").exit_code == 0
    sheet = next((out / "sheets").glob("*.html")).read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in sheet and "你的答案" in sheet and "填满每个格子" in sheet
    r = tmp_path / "r"
    result = run("grade", str(SAMPLE / "submissions"), "--assignment", str(SAMPLE / "made" / "variants.json"),
                 "--html", "--out", str(r), "--format", "plain", "--lang", "zh")
    assert result.exit_code == 0
    index = (r / "report" / "index.html").read_text(encoding="utf-8")
    assert "全班报告：Homework 5: feature maps" in index and "每个格子答错的学生比例" in index


def test_moodle_gradebook_by_id_number(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("student,name,idnumber\ns01,Ana Silva,S1\ns02,Ben,S2\n")
    out = tmp_path / "g"
    result = run("grade", str(SAMPLE / "submissions"), "--assignment", str(SAMPLE / "made" / "variants.json"),
                 "--roster", str(roster), "--gradebook", "moodle", "--moodle-id", "idnumber",
                 "--out", str(out), "--format", "plain")
    assert result.exit_code == 0
    lines = (out / "grades-moodle.csv").read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["ID number,Full name,Homework 5: feature maps", "S1,Ana Silva,20", "S2,Ben,20"]
    assert len(lines) == 3  # students without an ID number are left out, with a warning
    # issue 24: one line per gradebook and reason, not one per student
    assert ("Warning: moodle gradebook: 27 students have no id number in the roster; their rows are left out: "
            "s03, s04, s05, s06, s07, …\n") in result.output
    assert result.output.count("no id number") == 1


def test_ci_installs_chromium_when_missing():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "if ! command -v chromium" in ci and "apt-get update && apt-get install -y chromium" in ci


def test_rerun_and_only_give_the_same_bytes(graded, tmp_path):
    import shutil

    again = tmp_path / "again"
    shutil.copytree(graded, again)
    result = run("grade", str(SAMPLE / "submissions"), "--assignment", str(SAMPLE / "made" / "variants.json"),
                 "--roster", str(SAMPLE / "roster.csv"), "--gradebook", "canvas", "--gradebook", "csv",
                 "--gradebook", "moodle", "--gradebook", "gradescope", "--html", "--out", str(again),
                 "--only", "s05", "--format", "plain")
    assert result.exit_code == 0
    for path in graded.rglob("*"):
        if path.is_file():
            assert (again / path.relative_to(graded)).read_bytes() == path.read_bytes(), path
