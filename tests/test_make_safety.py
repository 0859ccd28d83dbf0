"""`make --out` writes one set as `grade` does (trial 2, B2), refuses the rosters
`grade` refuses and ids that cannot be file names (B9, B10), and names the file,
line and key of a bad source (papercut 11)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncalc.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "classroom"
SOURCE = 'title = "HW"\nseed = 7\n\n[[problem]]\nname = "p1"\npoints = 10\n[problem.random]\npreset = "easy"\n'


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def src(tmp_path: Path) -> Path:
    path = tmp_path / "a.toml"
    path.write_text(SOURCE, encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\nt01,Ann\nt02,Ben\n", encoding="utf-8")
    return path


def make(src: Path, out: Path, roster: str | None = "roster.csv"):
    args = ["make", str(src), "--out", str(out)]
    if roster:
        args += ["--roster", str(src.parent / roster)]
    return run(*args)


# --------------------------------------------------------------------------- B2: the teacher's files


def test_a_folder_of_the_teachers_files_is_refused_and_left_alone(src, tmp_path):
    out = tmp_path / "mine"
    (out / "keys").mkdir(parents=True)
    (out / "variants.json").write_text("notes\n")
    (out / "keys" / "t01-hand.md").write_text("hand key\n")
    before = snapshot(out)
    result = make(src, out)
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {out} is not empty and is not a folder cnncalc make wrote (no .cnncalc-report.json): "
        "cnncalc never replaces files it did not write. If it is the output of an older make, remove the "
        "folder; otherwise choose another --out (nothing was changed)\n")
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if "cnncalc-new" in p.name) == []


def test_a_key_edited_by_hand_is_never_replaced(src, tmp_path):
    out = tmp_path / "made"
    assert make(src, out).exit_code == 0
    key = next((out / "keys").iterdir())
    key.write_text("fixed by hand\n")
    before = snapshot(out)
    result = make(src, out)
    assert result.exit_code == 2
    assert result.output == (f"Error: {key} was changed after cnncalc make wrote it (a key edited by hand?): "
                             "move it away or choose another --out (nothing was changed)\n")
    assert snapshot(out) == before
    (out / "notes.txt").write_text("mine\n")
    key.unlink()
    result = make(src, out)
    assert result.output == (f"Error: {out / 'notes.txt'} was not written by cnncalc make (the folder's manifest "
                             "does not list it): move it away or choose another --out (nothing was changed)\n")


def test_a_rerun_replaces_its_own_set_in_one_step(src, tmp_path):
    out = tmp_path / "made"
    assert make(src, out).exit_code == 0
    manifest = json.loads((out / ".cnncalc-report.json").read_text(encoding="utf-8"))
    files = {k: v for k, v in snapshot(out).items() if k != ".cnncalc-report.json"}
    assert manifest["files"] == files and len(files) == 1 + 2 * 6
    # a roster with one student fewer: the old student's files go with the old set
    (tmp_path / "one.csv").write_text("student\nt02\n", encoding="utf-8")
    result = make(src, out, "one.csv")
    assert result.exit_code == 0, result.output
    assert not any("t01" in k for k in snapshot(out)), snapshot(out)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".made.")) == [".made.cnncalc-lock"]


def test_no_written_file_names_the_fresh_folder(tmp_path):
    # a fixed problem (files beside the source) and a random one
    (tmp_path / "img.txt").write_text("1 2 3\n4 5 6\n7 8 9\n")
    (tmp_path / "k.txt").write_text("1 0\n0 1\n")
    src = tmp_path / "a.toml"
    src.write_text('seed = 1\n[[problem]]\nname = "fixed"\nimage = "img.txt"\nkernel = "k.txt"\n'
                   '[[problem]]\nname = "r"\n[problem.random]\npreset = "easy"\n')
    out = tmp_path / "made"
    assert run("make", str(src), "--out", str(out)).exit_code == 0
    for path in out.rglob("*"):
        if path.is_file():
            assert b"cnncalc-new" not in path.read_bytes(), path
    toml = next((out / "variants").iterdir()) / "assignment.toml"
    assert '"image" = "../../../img.txt"' in toml.read_text(encoding="utf-8")
    from cnncalc.check.assignment import load_assignment

    assert load_assignment(toml).problems[0].expected.tolist() == [[6.0, 8.0], [12.0, 14.0]]


def test_a_fixed_problems_error_names_the_source_not_the_copy(tmp_path):
    (tmp_path / "img.txt").write_text("1 2\n3 4\n")
    (tmp_path / "k.txt").write_text("1\n")
    src = tmp_path / "a.toml"
    src.write_text('seed = 1\n[[problem]]\nname = "fixed"\nimage = "img.txt"\nkernel = "k.txt"\npoints = -1\n')
    result = run("make", str(src), "--out", str(tmp_path / "o"))
    assert result.output == f"Error: {src}:6: points: must be a number, 0 or more\n"
    src.write_text('seed = 1\n[[problem]]\nname = "fixed"\nimage = "img.txt"\nkernel = "k.txt"\nstride = 0\n')
    result = run("make", str(src), "--out", str(tmp_path / "o"))
    assert result.output == f"Error: {src}:6: stride: stride must be a positive integer (got 0)\n"
    src.write_text('seed = 1\n[[problem]]\nname = "fixed"\nimage = "nope.txt"\nkernel = "k.txt"\n')
    result = run("make", str(src), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and result.output.startswith(f"Error: {src}:4: image: ")
    assert "cnncalc-new" not in result.output and not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- papercut 11: file, line, key


def test_a_bad_random_entry_names_file_line_and_key(tmp_path):
    src = tmp_path / "a.toml"
    src.write_text(SOURCE + '\n[[problem]]\nname = "p2"\n[problem.random]\nimage_size = 5\npreset = "eazy"\n')
    result = run("make", str(src), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert result.output == f"Error: {src}:14: random.preset: 'eazy' is not easy, medium or hard\n"
    src.write_text('seed = 1\n[[problem]]\nrandom = {preset = "easy", stride = [0]}\n')
    result = run("make", str(src), "--out", str(tmp_path / "o"))
    assert result.output == f"Error: {src}:3: random.stride: needs a whole number from 1 to 16, got 0\n"
    src.write_text('seed = 1\n[[problem]]\n[problem.random]\nimage_size = 2\nkernel_size = 5\n'
                   "image_values = [1]\nkernel_values = [1]\n")
    result = run("make", str(src), "--out", str(tmp_path / "o"))
    assert result.output == (f"Error: {src}:4: random.image_size: no legal variant in 1000 draws "
                             "(kernel larger than the image?)\n")
    src.write_text('seed = 1\n[[problem]]\nname = "x\n')
    result = run("make", str(src), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and result.output.startswith(f"Error: {src}:3: is not valid TOML (")


# --------------------------------------------------------------------------- B9, B10: the roster


def test_a_duplicate_id_is_refused_as_grade_refuses_it(src, tmp_path):
    roster = tmp_path / "dup.csv"
    roster.write_text("student,name\nt01,A\nt01,B\n", encoding="utf-8")
    result = make(src, tmp_path / "o", "dup.csv")
    assert result.exit_code == 2
    line = f"Error: {roster}: student 't01' is listed twice with different details\n"
    assert result.output == line and not (tmp_path / "o").exists()
    subs = tmp_path / "subs"
    subs.mkdir()
    graded = run("grade", str(subs), "--assignment", str(ROOT / "samples" / "xo" / "assignment.toml"), "--roster", str(roster), "--gradebook", "csv",
                 "--out", str(tmp_path / "r"))
    assert graded.exit_code == 2 and graded.output == line
    # the same row twice is one student (grade agrees): one sheet, and the count says so
    roster.write_text("student,name\nt01,A\nt01,A\nt02,B\n", encoding="utf-8")
    result = make(src, tmp_path / "o", "dup.csv")
    assert result.output == f"Wrote 2 sheets, their keys and variants.json to {tmp_path / 'o'}\n"
    assert len(list((tmp_path / "o" / "keys").iterdir())) == 2


@pytest.mark.parametrize(("row", "line", "shown", "why"), [
    ("x/y,C", 3, "'x/y'", "it holds a / or \\"),
    ("2024\\0123,C", 3, "'2024\\\\0123'", "it holds a / or \\"),
    ('"new\nline",C', 3, "'new\\nline'", "it holds a control character such as a line break"),
    ("tab\there,C", 3, "'tab\\there'", "it holds a control character such as a line break"),
    ("..,C", 3, "'..'", "it starts with a dot, so grade would skip the file as hidden"),
    (".,C", 3, "'.'", "it starts with a dot, so grade would skip the file as hidden"),
    ("  ,Carl", 3, "''", "it is empty"),
    ("x" * 260 + ",C", 3, repr("x" * 260), "it is longer than a file name can be"),
])
def test_an_id_that_cannot_be_a_file_name_is_refused(src, tmp_path, row, line, shown, why):
    roster = tmp_path / "bad.csv"
    roster.write_text(f"student,name\nt01,A\n{row}\nt02,B\n", encoding="utf-8")
    result = make(src, tmp_path / "o", "bad.csv")
    assert result.exit_code == 2
    assert result.output == (f"Error: {roster}:{line}: student {shown} cannot be a file name ({why}): "
                             "the sheet could not say which file to hand in; change the id in the roster\n")
    assert not (tmp_path / "o").exists()


def test_the_refused_ids_line_counts_quoted_line_breaks_and_blank_lines(src, tmp_path):
    roster = tmp_path / "bad.csv"
    roster.write_bytes(b'\xef\xbb\xbfStudent;name\r\nt01;"two\r\nlines"\r\n\r\nok;x\r\na/b;y\r\n')
    result = make(src, tmp_path / "o", "bad.csv")
    assert result.output.startswith(f"Error: {roster}:6: student 'a/b' cannot be a file name")
    assert os.listdir(tmp_path).count("o") == 0


def test_school_ids_and_unicode_still_make_sheets(src, tmp_path):
    (tmp_path / "ok.csv").write_text("student\n2024-0123\n张三\n a.b \n", encoding="utf-8")
    result = make(src, tmp_path / "o", "ok.csv")
    assert result.exit_code == 0, result.output
    index = json.loads((tmp_path / "o" / "variants.json").read_text(encoding="utf-8"))
    assert sorted(index["students"]) == ["2024-0123", "a.b", "张三"]


# --------------------------------------------------------------------------- grade's warnings in Chinese


def test_grades_warnings_have_a_full_width_colon_in_chinese(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("student,name,idnumber\ns01,Ana Silva,S1\n")
    result = run("grade", str(SAMPLE / "submissions"), "--assignment", str(SAMPLE / "made" / "variants.json"),
                 "--roster", str(roster), "--gradebook", "moodle", "--moodle-id", "idnumber",
                 "--out", str(tmp_path / "g"), "--format", "plain", "--lang", "zh")
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("警告")]
    assert warnings and all(line.startswith("警告：") for line in warnings), warnings


# --------------------------------------------------------------------------- papercut 12: names a teacher can read


def test_sheet_names_show_whose_they_are(src, tmp_path):
    (tmp_path / "zh.csv").write_text("student\n张伟\nZoë\n", encoding="utf-8")
    assert make(src, tmp_path / "o", "zh.csv").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "o" / "keys").iterdir()) == ["zoe-c6a1269858.md", "张伟-a3a0bafd0b.md"]
    result = make(src, tmp_path / "one", None)
    assert result.output == f"Wrote 1 sheet, its key and variants.json to {tmp_path / 'one'}\n"
    assert sorted(p.name for p in (tmp_path / "one" / "sheets").iterdir()) == ["class.html", "class.md"]


@pytest.mark.parametrize("student", ["s01", "Ann Lee", "a_b", "x" * 60, "--", "2024-0123", "A.B@x.org"])
def test_an_ascii_ids_name_is_its_report_pages(student):
    from cnncalc.grade.classmake import make_name
    from cnncalc.grade.htmlreport import page_name

    assert make_name(student) + ".html" == page_name(student)


def test_a_sheet_title_stays_one_line_whatever_the_id(tmp_path, src):
    # make refuses such ids in a roster; the library function keeps the title whole anyway
    from cnncalc.grade.classmake import make_class

    made = make_class(src, ["new\nline"], tmp_path / "o")
    sheet = (tmp_path / "o" / "sheets" / f"{made[0].name}.md").read_text(encoding="utf-8")
    assert sheet.splitlines()[0] == "# HW: homework of new\\nline"
    html = (tmp_path / "o" / "sheets" / f"{made[0].name}.html").read_text(encoding="utf-8")
    assert "<h1>HW: homework of new\\nline</h1>" in html


@pytest.mark.parametrize(("source", "said"), [
    ('seed = 1\n[[problem]]\nrandom = 3\n', "3: problem 1: 'random' must be a table"),
    ('seed = 1\n[[problem]]\nimage = "x.txt"\n[problem.random]\npreset = "easy"\n',
     "3: problem 1: give 'random' or image/kernel/settings, not both"),
    ('seed = true\n[[problem]]\n[problem.random]\npreset = "easy"\n',
     "1: an assignment with random problems needs a whole-number or text 'seed'"),
])
def test_the_sources_own_errors_name_their_line(tmp_path, source, said):
    src = tmp_path / "a.toml"
    src.write_text(source)
    result = run("make", str(src), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and result.output == f"Error: {src}:{said}\n"


def test_grade_and_make_never_replace_each_others_folder(tmp_path):
    home = Path(__file__).resolve().parent.parent / "samples" / "classroom"
    made, report = tmp_path / "made", tmp_path / "report"
    run = CliRunner().invoke
    assert run(cli, ["make", str(home / "assignment.toml"), "--roster", str(home / "roster.csv"),
                     "--out", str(made)]).exit_code == 0
    assert run(cli, ["grade", str(home / "submissions"), "--assignment", str(made / "variants.json"),
                     "--out", str(report), "--no-feedback"]).exit_code == 0

    def sums(root):
        return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}

    before = sums(made), sums(report)
    r = run(cli, ["grade", str(home / "submissions"), "--assignment", str(made / "variants.json"), "--out", str(made)])
    assert r.exit_code == 2
    assert r.output.endswith(f"Error: {made} was written by cnncalc make, not by cnncalc grade: a report never "
                             "replaces it; choose another --out (nothing was changed)\n")
    r = run(cli, ["make", str(home / "assignment.toml"), "--roster", str(home / "roster.csv"), "--out", str(report)])
    assert r.exit_code == 2
    assert f"{report} was written by cnncalc grade, not by cnncalc make" in r.output
    assert (sums(made), sums(report)) == before
