"""Issue 13 in-process: the report set (lock, manifest, swap, extra files), the limits of one
submission, and the work budget. The hostile corpus (test_grading_safety.py) drives the CLI."""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from cnncalc.check.assignment import load_assignment
from cnncalc.engine import budget
from cnncalc.errors import CnncalcError, LimitError
from cnncalc.grade import answers, reports
from cnncalc.grade.names import feedback_name
from cnncalc.grade.reportset import MANIFEST, ReportSet, check_ours
from cnncalc.read.files import npy_grids

RIGHT = "11 14\n20 23\n"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    (tmp_path / "img.txt").write_text("1 2 3\n4 5 6\n7 8 9\n")
    (tmp_path / "k1.txt").write_text("1 0\n0 2\n")
    (tmp_path / "a.toml").write_text(
        'title = "tiny"\n[[problem]]\nname = "conv"\nimage = "img.txt"\nkernel = "k1.txt"\npoints = 4\n'
    )
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "alice.txt").write_text(RIGHT)
    return tmp_path


def run(course: Path, **kw) -> dict:
    a = load_assignment(course / "a.toml")
    return reports.run_grade(course / "subs", a, out=course / "r", max_bytes=1 << 20, **kw)


def test_manifest_lists_every_file_with_its_hash(course):
    run(course)
    manifest = json.loads((course / "r" / MANIFEST).read_text())
    assert sorted(manifest["files"]) == ["feedback/alice.md", "grades.csv", "grades.json", "summary.md"]
    assert check_ours(course / "r")["files"] == manifest["files"]
    # nothing but the set in the folder, nothing left beside it but the lock file
    assert sorted(os.listdir(course)) == [".r.cnncalc-lock", "a.toml", "img.txt", "k1.txt", "r", "subs"]


def test_a_changed_file_makes_the_folder_not_ours(course):
    run(course)
    (course / "r" / "feedback" / "alice.md").write_text("edited by the teacher\n")
    with pytest.raises(CnncalcError) as exc:
        run(course)
    assert exc.value.key == "grade.out_changed"
    assert (course / "r" / "feedback" / "alice.md").read_text() == "edited by the teacher\n"


def test_a_second_run_waits_then_says_locked(course, monkeypatch):
    run(course)
    fd = os.open(course / ".r.cnncalc-lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        t0 = time.monotonic()
        with pytest.raises(CnncalcError) as exc, ReportSet(course / "r", wait=0.3):
            pass
        assert exc.value.key == "grade.out_locked" and time.monotonic() - t0 >= 0.3
        assert "is locked by another grading run (waited 0 s)" in str(exc.value)
    finally:
        os.close(fd)


def test_extra_files_join_the_same_set_and_survive_only(course):
    def extra(records, summary, rs):
        rs.add("exports/moodle.csv", "student,grade\n" + "".join(f"{r['student']},{r['score']}\n" for r in records))

    run(course, extra_files=extra)
    out = course / "r"
    assert (out / "exports" / "moodle.csv").read_text() == "student,grade\nalice,4.0\n"
    assert "exports/moodle.csv" in json.loads((out / MANIFEST).read_text())["files"]
    (course / "subs" / "bob.txt").write_text("11 14\n20 22\n")
    run(course, only="bob")  # carried over, as every file of the set
    assert (out / "exports" / "moodle.csv").read_text() == "student,grade\nalice,4.0\n"
    assert sorted(os.listdir(out / "feedback")) == ["alice.md", "bob.md"]


def test_an_error_midway_leaves_the_previous_set_and_no_fresh_folder(course):
    run(course)
    before = {p: p.read_bytes() for p in (course / "r").rglob("*") if p.is_file()}

    def boom(records, summary, rs):
        raise OSError(28, "No space left on device")

    with pytest.raises(CnncalcError) as exc:
        run(course, extra_files=boom)
    assert "the previous report is unchanged" in str(exc.value)
    assert {p: p.read_bytes() for p in (course / "r").rglob("*") if p.is_file()} == before
    assert not [n for n in os.listdir(course) if "cnncalc-new" in n or "cnncalc-old" in n]


def test_a_killed_two_rename_swap_is_repaired(course):
    run(course)
    old = course / f".r.cnncalc-old-{os.getpid() + 1}"
    os.rename(course / "r", old)  # killed between the two renames
    stale = course / ".r.cnncalc-new-99999"
    stale.mkdir()
    (stale / ".cnncalc-staging").write_bytes(b"")
    run(course)
    assert (course / "r" / "grades.csv").is_file()
    assert not old.exists() and not stale.exists()


def test_feedback_names_are_injective():
    ids = ["a\\b", "a_b", "a/b", "a%5Cb", ".hidden", "%2Ehidden", "..", "a%2Fb"]
    names = [feedback_name(i) for i in ids]
    assert len(set(names)) == len(ids), names
    assert not any(n.startswith(".") or "/" in n or "\\" in n for n in names)


def test_too_many_blocks_is_malformed_without_parsing_them(course):
    (course / "subs" / "eve.txt").write_text("1\n\n" * (answers.MAX_BLOCKS + 5))
    summary = run(course)
    recs = {r["student"]: r for r in json.loads((course / "r" / "grades.json").read_text())["students"]}
    assert recs["eve"]["status"] == "malformed"
    assert recs["eve"]["message"] == "eve.txt: 10,005 blocks of numbers, over the limit of 10,000 for one submission"
    assert summary["title"] == "tiny"


def test_a_submission_that_reads_too_long_is_malformed(course, monkeypatch):
    (course / "subs" / "eve.txt").write_text("1 2\n3 4\n")
    real = answers.AnswerReader._parse

    def slow(self, data, name, suffix):
        if name == "eve.txt":
            time.sleep(2)
        return real(self, data, name, suffix)

    monkeypatch.setattr(answers, "PARSE_SECONDS", 0.2)
    monkeypatch.setattr(answers.AnswerReader, "_parse", slow)
    run(course)
    recs = {r["student"]: r for r in json.loads((course / "r" / "grades.json").read_text())["students"]}
    assert recs["eve"]["status"] == "malformed"
    assert recs["eve"]["message"] == "eve.txt: reading it took more than 0.2 s, the limit for one submission"
    assert recs["alice"]["status"] == "ok"


def test_float32_values_are_read_to_float32_precision():
    import io

    y = np.array([[7 / 9, -1 / 9, 1 / 3], [0.5, 1.0, -5 / 9]])
    buf = io.BytesIO()
    np.save(buf, y.astype(np.float32))
    (g,) = npy_grids(buf.getvalue(), "a.npy")
    assert g.values.tolist() == [[0.777778, -0.111111, 0.333333], [0.5, 1.0, -0.555556]]
    assert g.decimals.tolist() == [[6, 6, 6], [1, 0, 6]]
    buf = io.BytesIO()
    np.save(buf, y)  # float64 keeps full precision
    (g,) = npy_grids(buf.getvalue(), "a.npy")
    assert g.values.tolist() == y.tolist() and (g.decimals == -1).all()


def test_work_budget_names_the_figures():
    budget.check_conv(out_cells=2046 * 2046, kernel_cells=9)  # the bench's 2048 × 2048 with 3 × 3
    with pytest.raises(LimitError) as exc:
        budget.check_conv(out_cells=10_001 * 1_000, kernel_cells=1)
    assert str(exc.value) == (
        "the convolution would have 10,001,000 output cells, over the limit of 10,000,000 "
        "(check the padding and the input size)"
    )
    with pytest.raises(LimitError) as exc:
        budget.check_conv(out_cells=3000 * 3000, kernel_cells=121)
    assert str(exc.value) == (
        "the convolution would take 1,089,000,000 multiply-adds, over the limit of 1,000,000,000")
    with pytest.raises(LimitError) as exc:
        budget.check_training(per_step=2_000_000, steps=10_000)
    assert str(exc.value) == (
        "10,000 steps of 2,000,000 multiply-adds each would take 20,000,000,000, over the limit "
        "of 10,000,000,000; use fewer steps"
    )


def test_workers_write_the_same_bytes(tmp_path):
    from cnncalc.grade import pool

    home = Path(__file__).resolve().parent.parent / "samples" / "xo"
    folder = tmp_path / "class"
    folder.mkdir()
    answers_ = sorted(p for p in (home / "class").iterdir() if p.is_file())
    for i in range(2500):  # three chunks
        src = answers_[i % len(answers_)]
        (folder / f"s{i:04d}{src.suffix}").write_bytes(src.read_bytes())
    a = load_assignment(home / "assignment.toml")
    kw = {"max_bytes": 1 << 20, "roster": ["s0000", "zz"]}
    reports.run_grade(folder, a, out=tmp_path / "one", workers=1, **kw)
    reports.run_grade(folder, a, out=tmp_path / "two", workers=2, **kw)

    def tree(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert one == two and len(one) == 2501 + 4
    # the feedback hashes come from the writers (workers included), never read back:
    # each must still be the file's own
    import hashlib

    listed = json.loads(two[MANIFEST])["files"]
    assert {rel: hashlib.sha256(data).hexdigest() for rel, data in two.items() if rel != MANIFEST} == listed
    assert pool.workers_for(2500, workers=None, cores=2) == 1  # below PARALLEL_MIN: one process


def test_out_dot_is_the_folder_by_its_own_name(course, monkeypatch):
    (course / "r").mkdir()
    monkeypatch.chdir(course / "r")
    a = load_assignment(course / "a.toml")
    reports.run_grade(course / "subs", a, out=Path("."), max_bytes=1 << 20)
    assert sorted(os.listdir(course / "r")) == [MANIFEST, "feedback", "grades.csv", "grades.json", "summary.md"]
    assert (course / ".r.cnncalc-lock").is_file()


def test_ctrl_c_while_the_fresh_folder_is_removed_leaves_nothing_behind(course, monkeypatch):
    # a Ctrl-C that comes while the staging folder is being removed (a set of 10,000
    # files takes a while) acts once the folder is gone
    import signal

    real_remove = ReportSet._remove
    calls = []

    def remove_interrupted(path):
        calls.append(path)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # arrives in the middle of the removal
            time.sleep(0.5)  # the handler runs here: KeyboardInterrupt before anything is removed
        real_remove(path)

    with pytest.raises(KeyboardInterrupt), ReportSet(course / "r") as rs:
        for i in range(50):
            rs.add(f"feedback/s{i}.md", "x\n")
        monkeypatch.setattr(ReportSet, "_remove", staticmethod(remove_interrupted))
        raise RuntimeError("stop before the swap")  # __exit__ removes the fresh folder
    assert calls
    assert not (course / "r").exists()
    assert [n for n in os.listdir(course) if "cnncalc-new" in n] == []
