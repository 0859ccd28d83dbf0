"""Issue 13 — Grading safety: the failing-tests-first corpus.

Every case drives cnncalc only through its command line, ``PY -m cnncalc ...`` in a
subprocess of its own session, with a timeout and an address-space cap
(``RLIMIT_AS``), so the file survives any internal refactor and no case can hang or
eat the machine. ``PY`` is ``$CNNCALC_PYTHON`` (default: the interpreter running pytest).

    CNNCALC_PYTHON=.venv/bin/python python -m pytest -q tests/test_grading_safety.py

The contract asserted here (DESIGN.md "Assignments and batch grading", "Reliability
and limits", plus issue 13):

* the teacher's files in ``--out`` are never replaced or deleted: cnncalc marks its
  own report folder with ``.cnncalc-report.json`` (listing the files it wrote) and
  replaces only folders carrying it; any other non-empty folder is refused with one
  ``Error:`` line and exit 2, every byte left as it was;
* two runs into one ``--out`` at once, a run killed (SIGKILL, SIGTERM) at any moment,
  or a disk that fills up midway: afterwards the report is one complete, consistent set
  (the previous one or the new one, never a mix), no process of the run is left, and no
  ``*.tmp`` is left behind once cnncalc has had the chance to clean up;
* one hostile submission never aborts the class; single commands never print a
  traceback or an "internal error", and refuse work beyond their limits quickly;
* ids are NFC-normalised, distinct names get distinct rows and feedback files, true
  duplicates are reported; terminal escapes and HTML never reach reports or terminals raw.

Helpers and fixtures come first; each test's docstring says which real-world hostility
it models.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

PY = os.environ.get("CNNCALC_PYTHON") or sys.executable
MEM_CAP = 1536 << 20  # 1.5 GiB of address space for every cnncalc process
MANIFEST = ".cnncalc-report.json"

# --------------------------------------------------------------------------- running cnncalc


@dataclass
class Run:
    args: tuple
    rc: int | None
    out: bytes
    err: bytes
    seconds: float
    timed_out: bool

    @property
    def stdout(self) -> str:
        return self.out.decode("utf-8", "surrogateescape")

    @property
    def stderr(self) -> str:
        return self.err.decode("utf-8", "surrogateescape")

    def __str__(self) -> str:  # what a failing assert shows
        return (f"cnncalc {' '.join(map(_show, self.args))[:300]}\n rc={self.rc} "
                f"{self.seconds:.1f}s timed_out={self.timed_out}\n stdout: {self.stdout[-800:]!r}\n"
                f" stderr: {self.stderr[-1500:]!r}")


def _show(a) -> str:
    return os.fsdecode(a) if isinstance(a, bytes) else str(a)


def _env(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("CNNCALC_DEBUG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "COLUMNS")}
    env.update(NO_COLOR="1", LANG="C.UTF-8", PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")
    env.update(extra or {})
    return env


def _preexec(mem: int, fsize: int | None):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails with EFBIG instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return limit


def start(*args, cwd: Path, mem: int = MEM_CAP, fsize: int | None = None,
          env: dict | None = None) -> subprocess.Popen:
    """Start ``cnncalc ARGS`` in a session (process group) of its own."""
    return subprocess.Popen(
        [PY, "-m", "cnncalc", *map(_arg, args)], cwd=cwd, env=_env(env),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True, preexec_fn=_preexec(mem, fsize),  # noqa: PLW1509 (no threads here)
    )


def _arg(a):
    return a if isinstance(a, bytes) else str(a)


def finish(proc: subprocess.Popen, args: tuple, t0: float, timeout: float) -> Run:
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc.pid)
        out, err = proc.communicate()
    seconds = time.monotonic() - t0
    _kill_group(proc.pid)  # nothing of a finished run may linger (checked where it matters)
    return Run(args, proc.returncode, out, err, seconds, timed_out)


def cnncalc(*args, cwd: Path, timeout: float = 30, mem: int = MEM_CAP,
            fsize: int | None = None, env: dict | None = None) -> Run:
    t0 = time.monotonic()
    return finish(start(*args, cwd=cwd, mem=mem, fsize=fsize, env=env), args, t0, timeout)


def group_members(pgid: int) -> list[str]:
    """Live (not zombie) processes of a process group, as 'pid cmdline'."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = Path(f"/proc/{d}/stat").read_text()
            cmd = Path(f"/proc/{d}/cmdline").read_bytes().replace(b"\0", b" ")[:120]
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] not in "ZX":
            found.append(f"{d} {cmd.decode(errors='replace')}")
    return found


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def leftovers_after(pgid: int, grace: float) -> list[str]:
    """Wait up to ``grace`` seconds for the group to be gone; return (and kill) what is left."""
    deadline = time.monotonic() + grace
    while True:
        left = group_members(pgid)
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    if left:
        _kill_group(pgid)
        for _ in range(100):
            if not group_members(pgid):
                break
            time.sleep(0.05)
    return left


# --------------------------------------------------------------------------- assertions

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
LIMIT_WORDS = re.compile(r"limit|at most|too (large|big|long|many|much)|exceed|over|maxim", re.IGNORECASE)


def ok_run(run: Run) -> None:
    assert not run.timed_out, f"timed out\n{run}"
    assert run.rc == 0, str(run)
    assert "Traceback" not in run.stderr, str(run)


def one_error(run: Run, *needles: str) -> str:
    """Exit 2, stderr exactly one line ``Error: ...`` (no traceback, no internal error)."""
    assert not run.timed_out, f"timed out\n{run}"
    assert run.rc == 2, str(run)
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), str(run)
    assert "Traceback" not in run.stderr and "internal error" not in lines[0], str(run)
    for n in needles:
        assert n.lower() in lines[0].lower(), f"{n!r} not in the error\n{run}"
    return lines[0]


def answer_or_one_error(run: Run) -> None:
    """A result (exit 0/1) or one ``Error:`` line with exit 2; never a traceback."""
    assert not run.timed_out, f"timed out\n{run}"
    assert "Traceback" not in run.stderr, str(run)
    if run.rc in (0, 1):
        return
    one_error(run)


def refuses_with_a_limit(run: Run, seconds: float = 10) -> None:
    line = one_error(run)
    assert run.seconds < seconds, f"took {run.seconds:.1f}s\n{run}"
    assert re.search(r"\d", line) and LIMIT_WORDS.search(line), (
        f"the error should name the limit with a figure\n{run}")


def tree(folder: Path, *, hidden: bool = True) -> dict[str, bytes]:
    """Every regular file under ``folder`` (relative path → bytes); symlinks as 'link->'."""
    found: dict[str, bytes] = {}
    if not folder.exists():
        return found
    for dirpath, dirnames, filenames in os.walk(folder):
        if not hidden:
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not hidden and name.startswith("."):
                continue
            p = Path(dirpath) / name
            rel = os.fsdecode(os.path.relpath(p, folder))
            found[rel] = (b"link->" + os.fsencode(os.readlink(p))) if p.is_symlink() else p.read_bytes()
        for name in dirnames:
            p = Path(dirpath) / name
            found[os.fsdecode(os.path.relpath(p, folder)) + "/"] = b"<dir>"
    return found


def report(folder: Path) -> dict[str, bytes]:
    """The report as people see it: the visible files (no manifest, no hidden temporaries)."""
    return tree(folder, hidden=False)


def tmp_leftovers(folder: Path) -> list[str]:
    """Temporaries a run left behind: ``*.tmp`` files or folders (``.feedback.tmp``,
    ``.grades.csv.XXXX.tmp``) and swapped-out ``*.old`` folders."""
    return sorted(k for k in tree(folder)
                  if any(part.endswith((".tmp", ".old")) or ".tmp." in part for part in k.rstrip("/").split("/")))


def csv_rows(out: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO((out / "grades.csv").read_text(encoding="utf-8"), newline="")))


def records(out: Path) -> list[dict]:
    return json.loads((out / "grades.json").read_text(encoding="utf-8"))["students"]


def feedback_files(out: Path) -> list[str]:
    fb = out / "feedback"
    return sorted(n for n in os.listdir(fb) if n.endswith(".md")) if fb.is_dir() else []


def assert_consistent(out: Path) -> None:
    """grades.csv, grades.json and feedback/ describe the same students."""
    rows = csv_rows(out)
    recs = records(out)
    assert [r[0] for r in rows[1:]] == [r["student"] for r in recs], "csv and json students differ"
    for row, rec in zip(rows[1:], recs):
        assert row[1] == rec["status"], (row, rec["status"])
    assert (out / "summary.md").is_file()
    assert len(feedback_files(out)) == len(recs), "one feedback file per student"


def all_strings(obj) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in all_strings(k) + all_strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in all_strings(v)]
    return []


def mentions_duplicate(rec: dict) -> bool:
    text = " ".join([rec.get("status", ""), str(rec.get("message") or ""), *map(str, rec.get("notes") or [])])
    return "duplicate" in text.lower()


# --------------------------------------------------------------------------- a tiny course

RIGHT = "11 14\n20 23\n"
WRONG = "11 14\n20 22\n"  # one cell wrong: 3 of 4 points
TINY_TOML = ('title = "tiny"\n[[problem]]\nname = "conv"\nimage = "img.txt"\n'
             'kernel = "k1.txt"\npoints = 4\n')


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """img 1..9 (3×3) * kernel [1 0; 0 2] (sum) = [11 14; 20 23]; ``subs/`` beside it."""
    (tmp_path / "img.txt").write_text("1 2 3\n4 5 6\n7 8 9\n")
    (tmp_path / "k1.txt").write_text("1 0\n0 2\n")
    (tmp_path / "key.txt").write_text(RIGHT)
    (tmp_path / "a.toml").write_text(TINY_TOML)
    (tmp_path / "subs").mkdir()
    return tmp_path


def put(folder: Path, name: str | bytes, data: str | bytes) -> None:
    path = os.fsencode(folder) + b"/" + (name if isinstance(name, bytes) else name.encode("utf-8"))
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def grade(course: Path, *extra, out: str | Path = "r", subs: str | Path = "subs",
          toml: str = "a.toml", timeout: float = 30, **kw) -> Run:
    return cnncalc("grade", subs, "--assignment", toml, "--out", out, "--format", "plain",
                   "--no-progress", *extra, cwd=course, timeout=timeout, **kw)


# --------------------------------------------------------------------------- a heavy course

HEAVY_N = 2000
HEAVY_SIDE = 12  # 10×10 answers: about 2 s for the class on an idle 2-core machine


def heavy_course(root: Path, n: int, seeds: tuple[int, ...]) -> None:
    """A HEAVY_SIDE² ±1 image, three 3×3 ±1 features (norm=mean); ``subs<seed>/`` classes whose
    answers have ~20 % random wrong cells, so every answer is diagnosed on its own."""
    rng = np.random.default_rng(7)
    x = rng.choice([-1, 1], size=(HEAVY_SIDE, HEAVY_SIDE))
    root.mkdir(parents=True, exist_ok=True)
    np.savetxt(root / "x.txt", x, fmt="%d")
    toml = 'title = "heavy"\ndecimals = 2\n'
    maps = []
    for i in range(3):
        k = rng.choice([-1, 1], size=(3, 3))
        np.savetxt(root / f"k{i}.txt", k, fmt="%d")
        toml += (f'[[problem]]\nname = "map {i}"\nimage = "x.txt"\nkernel = "k{i}.txt"\n'
                 'norm = "mean"\npoints = 10\n')
        win = np.lib.stride_tricks.sliding_window_view(x, (3, 3))
        maps.append(np.trunc((win * k).sum(axis=(2, 3)) / 9 * 100) / 100)
    (root / "a.toml").write_text(toml)
    for seed in seeds:
        subs = root / f"subs{seed}"
        subs.mkdir()
        r = np.random.default_rng(seed)
        for s in range(n):
            blocks = []
            for y in maps:
                noise = np.round(r.normal(size=y.shape), 2)
                a = np.where(r.random(y.shape) < 0.2, noise, y)
                blocks.append("\n".join(" ".join(f"{v:.2f}" for v in row) for row in a))
            (subs / f"s{s:04d}.txt").write_text("\n\n".join(blocks) + "\n")


def heavy_grade_args(subs: str, out: str | Path) -> tuple:
    return ("grade", subs, "--assignment", "a.toml", "--out", str(out), "--format", "plain",
            "--no-progress")


@pytest.fixture(scope="module")
def heavy(tmp_path_factory) -> dict:
    """Two versions (A, B) of a 2,000-student class and their complete reference reports."""
    root = tmp_path_factory.mktemp("heavy")
    heavy_course(root, HEAVY_N, (1, 2))
    refs = {}
    for name, subs in (("A", "subs1"), ("B", "subs2")):
        run = cnncalc(*heavy_grade_args(subs, root / f"ref{name}"), cwd=root, timeout=60)
        ok_run(run)
        refs[name] = report(root / f"ref{name}")
    assert refs["A"] != refs["B"]
    return {"root": root, "refs": refs, "subs": {"A": "subs1", "B": "subs2"}}


def which_set(got: dict[str, bytes], refs: dict[str, dict[str, bytes]]) -> str:
    for name, ref in refs.items():
        if got == ref:
            return name
    if not got:
        return "nothing"
    lines = [f"the report is a mix or incomplete ({len(got)} files):"]
    for name, ref in refs.items():
        missing = sorted(set(ref) - set(got))
        extra = sorted(set(got) - set(ref))
        differ = sorted(k for k in set(ref) & set(got) if ref[k] != got[k])
        lines.append(f"  vs {name}: {len(missing)} missing {missing[:3]}, {len(extra)} extra "
                     f"{extra[:3]}, {len(differ)} differ {differ[:3]}")
    pytest.fail("\n".join(lines))


# =========================================================================== 1. --out is the teacher's


def _foreign_out_is_refused(course: Path, setup) -> None:
    put(course / "subs", "alice.txt", RIGHT)
    out = course / "r"
    out.mkdir()
    setup(out)
    before = tree(out)
    run = grade(course)
    one_error(run)
    assert tree(out) == before, "a byte of the teacher's folder changed"


def test_foreign_grades_csv_is_never_replaced(course: Path):
    """The teacher points --out at the folder holding their own gradebook export
    (grades.csv from the school system): cnncalc must refuse, not overwrite it."""
    _foreign_out_is_refused(
        course, lambda out: (out / "grades.csv").write_text("student,grade\nalice,A+\nbob,B\n"))


def test_teacher_feedback_letter_is_never_deleted(course: Path):
    """A folder with the teacher's feedback/letter.md and a grades.json copied from last
    term's report (cnncalc-shaped, but not this folder's manifest): a full run used to
    swap feedback/ out and delete the letter."""
    other = course / "last-term"
    put(course / "subs", "alice.txt", RIGHT)
    ok_run(grade(course, out=other))

    def setup(out: Path) -> None:
        shutil.copy(other / "grades.json", out / "grades.json")
        (out / "feedback").mkdir()
        (out / "feedback" / "letter.md").write_text("Dear class, ...\n")
    _foreign_out_is_refused(course, setup)


def test_foreign_grades_json_does_not_count_as_ours(course: Path):
    """A grades.json exported by another tool (and a summary.md the teacher wrote) is not
    "cnncalc made this": only the manifest says so."""
    def setup(out: Path) -> None:
        (out / "grades.json").write_text('{"students": [], "exported_by": "moodle"}\n')
        (out / "summary.md").write_text("# My summary\n")
        (out / "feedback").mkdir()
        (out / "feedback" / "alice.md").write_text("Alice: see me after class.\n")
    _foreign_out_is_refused(course, setup)


def test_only_into_a_foreign_folder_is_refused(course: Path):
    """--only STUDENT into a folder whose grades.json matches the assignment but which has
    no manifest (copied by hand, feedback written by the teacher): refuse, touch nothing."""
    other = course / "elsewhere"
    put(course / "subs", "alice.txt", RIGHT)
    ok_run(grade(course, out=other))
    out = course / "r"
    out.mkdir()
    shutil.copy(other / "grades.json", out / "grades.json")
    (out / "feedback").mkdir()
    (out / "feedback" / "alice.md").write_text("Alice: handwritten feedback, do not lose.\n")
    before = tree(out)
    one_error(grade(course, "--only", "alice"))
    assert tree(out) == before


def test_own_report_carries_a_manifest_and_is_replaced(course: Path):
    """cnncalc's own folder: a fresh or empty --out is accepted, marked with
    .cnncalc-report.json listing every file written, and a rerun replaces it; a file the
    teacher added afterwards is never deleted (kept, or the rerun is refused untouched)."""
    put(course / "subs", "alice.txt", RIGHT)
    put(course / "subs", "bob.txt", WRONG)
    (course / "empty").mkdir()
    ok_run(grade(course, out="empty"))
    out = course / "r"
    ok_run(grade(course))
    manifest = out / MANIFEST
    assert manifest.is_file(), f"no {MANIFEST} in the report folder"
    listed = set(all_strings(json.loads(manifest.read_text(encoding="utf-8"))))
    written = set(report(out))
    assert {"grades.csv", "grades.json", "summary.md", "feedback/alice.md", "feedback/bob.md"} <= written
    assert {k for k in written if not k.endswith("/")} <= listed, f"manifest does not list {written - listed}"
    first = report(out)
    ok_run(grade(course))
    assert report(out) == first
    (out / "my-notes.txt").write_text("mine\n")
    before = tree(out)
    run = grade(course)
    if run.rc == 0:
        assert (out / "my-notes.txt").read_text() == "mine\n"
    else:
        one_error(run)
        assert tree(out) == before


# =========================================================================== 2. concurrency and kills


def test_two_runs_into_one_out_at_once(tmp_path: Path):
    """Two TAs (or a double-clicked script) grade two versions of the class into the same
    --out at the same moment: each run ends with exit 0 or one 'locked' Error (exit 2), and
    the report is afterwards exactly one of the two complete sets; no temporaries left."""
    heavy_course(tmp_path, 600, (1, 2))
    refs = {}
    for name, subs in (("A", "subs1"), ("B", "subs2")):
        ok_run(cnncalc(*heavy_grade_args(subs, tmp_path / f"ref{name}"), cwd=tmp_path, timeout=60))
        refs[name] = report(tmp_path / f"ref{name}")
    out = tmp_path / "out"
    for round_ in range(3):
        t0 = time.monotonic()
        pa = start(*heavy_grade_args("subs1", out), cwd=tmp_path)
        pb = start(*heavy_grade_args("subs2", out), cwd=tmp_path)
        ra = finish(pa, ("grade", "A"), t0, 60)
        rb = finish(pb, ("grade", "B"), t0, 60)
        for run in (ra, rb):
            assert not run.timed_out, str(run)
            if run.rc != 0:
                one_error(run, "lock")
        assert 0 in (ra.rc, rb.rc), f"round {round_}: neither run finished\n{ra}\n{rb}"
        got = which_set(report(out), refs)
        assert got in ("A", "B"), f"round {round_}: {got}"
        assert_consistent(out)
        assert not tmp_leftovers(out), tmp_leftovers(out)


def _kill_rounds(heavy: dict, tmp_path: Path, sig: int, seed: int, extra: tuple = ()) -> None:
    root, refs, subs = heavy["root"], heavy["refs"], heavy["subs"]
    out = tmp_path / "out"
    ok_run(cnncalc(*heavy_grade_args(subs["A"], out), cwd=root, timeout=60))
    state = which_set(report(out), refs)
    assert state == "A"
    rng = random.Random(seed)
    for round_ in range(3):
        target = "B" if state == "A" else "A"
        delay = rng.uniform(0.0, 2.0)
        proc = start(*heavy_grade_args(subs[target], out), *extra, cwd=root)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, sig)  # the main process only, as the OOM killer or `kill PID`
        try:  # wait for the main process only: communicate() would also wait for a helper
            proc.wait(timeout=10)  # process still holding the pipes, and hide it
        except subprocess.TimeoutExpired:
            _kill_group(proc.pid)
            proc.wait()
            pytest.fail(f"round {round_}: signal {sig} did not stop the run within 10 s")
        left = leftovers_after(proc.pid, grace=1.0)
        proc.stdout.close()
        proc.stderr.close()
        assert not left, f"round {round_} (kill after {delay:.2f}s): processes left: {left}"
        got = which_set(report(out), refs)
        assert got in (state, target), f"round {round_}: {got}"
        if sig == signal.SIGTERM:
            assert not tmp_leftovers(out), f"SIGTERM is catchable: clean up {tmp_leftovers(out)[:5]}"
        state = got
        # the teacher regrades one student: a consistent set, same bytes as the full run
        only = cnncalc(*heavy_grade_args(subs[state], out), "--only", f"s{rng.randrange(HEAVY_N):04d}",
                       cwd=root, timeout=30)
        ok_run(only)
        assert which_set(report(out), refs) == state
        assert_consistent(out)
        assert not tmp_leftovers(out), f"temporaries left: {tmp_leftovers(out)[:5]}"


def test_sigkill_at_random_moments_leaves_a_complete_set(heavy, tmp_path: Path):
    """The run is SIGKILLed (OOM killer, `kill -9`, a laptop lid) 0–2 s into grading a
    2,000-student class: no cnncalc process survives it (the second grading process too),
    --out holds the previous complete set or the new one, never a mix, and the next
    `--only` run works and leaves no temporaries."""
    _kill_rounds(heavy, tmp_path, signal.SIGKILL, seed=13)


def test_sigterm_at_random_moments_leaves_a_complete_set(heavy, tmp_path: Path):
    """As SIGKILL, for SIGTERM (`kill PID`, a CI job cancelled, a shutdown): the run stops
    promptly, takes its helper process with it and removes its temporaries itself."""
    _kill_rounds(heavy, tmp_path, signal.SIGTERM, seed=31)


def test_sigkill_with_two_worker_processes(heavy, tmp_path: Path):
    """As above with `--workers 2` (a standard pool): the workers die with the main process
    (PR_SET_PDEATHSIG), none writes into the next report."""
    _kill_rounds(heavy, tmp_path, signal.SIGKILL, seed=7, extra=("--workers", "2"))


def test_sigterm_with_two_worker_processes(heavy, tmp_path: Path):
    """SIGTERM with `--workers 2`: the pool is terminated, the temporaries removed."""
    _kill_rounds(heavy, tmp_path, signal.SIGTERM, seed=71, extra=("--workers", "2"))


def test_disk_full_midway_keeps_the_previous_report(course: Path):
    """The disk (or quota) fills up while the reports are written (here: RLIMIT_FSIZE lets
    small feedback files through but not grades.json): one Error line, exit 2, the previous
    report intact byte for byte and no .feedback.tmp or *.tmp left."""
    subs = course / "subs"
    for i in range(60):
        put(subs, f"s{i:02d}.txt", RIGHT)
    ok_run(grade(course))
    before = report(course / "r")
    for i in range(60):
        put(subs, f"s{i:02d}.txt", WRONG if i % 2 else "11 14\n21 23\n")
    run = grade(course, fsize=12 << 10)
    one_error(run)
    assert report(course / "r") == before, which_set(report(course / "r"), {"previous": before})
    assert not tmp_leftovers(course / "r"), tmp_leftovers(course / "r")


# =========================================================================== 3. hostile numbers

HOSTILE_NUMBERS = {
    "zero-exp-40000": "0e-40000 14\n20 23\n",
    "zeros-32768": "0." + "0" * 32768 + " 14\n20 23\n",
    "zeros-40000-bracketed": "[[0." + "0" * 40000 + ", 14], [20, 23]]\n",
    "half-exp-40000": "0.5e-40000 14\n20 23\n",
    "one-e400": "1e400 14\n20 23\n",
    "digits-10000": "1" * 10000 + " 14\n20 23\n",
    "exp-20-digits": "1e-99999999999999999999 14\n20 23\n",
    "fullwidth-digits-10000": "９" * 10000 + " 14\n20 23\n",
    "fraction-of-5000-digits": "1/" + "9" * 5000 + " 14\n20 23\n",
}


@pytest.mark.parametrize("case", sorted(HOSTILE_NUMBERS))
def test_one_hostile_number_never_aborts_the_class(course: Path, case: str):
    """A student pastes a number a float parser chokes on (a huge exponent, 32,768 zeros,
    10,000 digits): that student is `malformed` (or read correctly), everyone else graded."""
    subs = course / "subs"
    put(subs, "alice.txt", RIGHT)
    put(subs, "bob.txt", WRONG)
    put(subs, "eve.txt", HOSTILE_NUMBERS[case])
    run = grade(course)
    ok_run(run)
    status = {r["student"]: (r["status"], r["score"]) for r in records(course / "r")}
    assert status["alice"] == ("ok", 4.0) and status["bob"] == ("ok", 3.0), status
    assert status["eve"][0] in ("malformed", "ok"), status


@pytest.mark.parametrize("case", sorted(HOSTILE_NUMBERS))
def test_hostile_number_in_single_commands(course: Path, case: str):
    """The same file given to `relu FILE` and `check FILE --expected KEY`: an answer, or
    one Error line naming the file with exit 2 — never a traceback or an internal error."""
    put(course, "eve.txt", HOSTILE_NUMBERS[case])
    for args in (("relu", "eve.txt", "--format", "plain"), ("check", "eve.txt", "--expected", "key.txt")):
        run = cnncalc(*args, cwd=course, timeout=20)
        answer_or_one_error(run)
        if run.rc == 2:
            assert "eve.txt" in run.stderr, str(run)


def test_float32_npy_of_the_exact_answer_is_right(tmp_path: Path):
    """A student saves their answer from PyTorch/NumPy as float32 (the default dtype of
    torch): values are judged as written to float32 precision, so float32(7/9) is right."""
    x = np.array([[-1, -1, -1, -1, -1], [-1, 1, -1, 1, -1], [-1, -1, 1, -1, -1],
                  [-1, 1, -1, 1, -1], [-1, -1, -1, -1, -1]])
    k = np.array([[1, -1, -1], [-1, 1, -1], [-1, -1, 1]])
    np.savetxt(tmp_path / "x.txt", x, fmt="%d")
    np.savetxt(tmp_path / "k.txt", k, fmt="%d")
    (tmp_path / "a.toml").write_text('title = "f32"\n[[problem]]\nname = "map"\nimage = "x.txt"\n'
                                     'kernel = "k.txt"\nnorm = "mean"\npoints = 10\n')
    win = np.lib.stride_tricks.sliding_window_view(x, (3, 3))
    y = (win * k).sum(axis=(2, 3)) / 9
    assert not np.array_equal(y.astype(np.float32).astype(np.float64), y)  # really inexact
    (tmp_path / "subs").mkdir()
    np.save(tmp_path / "subs" / "alice.npy", y.astype(np.float32))
    np.save(tmp_path / "subs" / "bob.npy", y)
    np.save(tmp_path / "answer32.npy", y.astype(np.float32))
    run = cnncalc("grade", "subs", "--assignment", "a.toml", "--out", "r", "--format", "plain",
                  "--no-progress", cwd=tmp_path)
    ok_run(run)
    got = {r["student"]: (r["status"], r["score"]) for r in records(tmp_path / "r")}
    assert got == {"alice": ("ok", 10.0), "bob": ("ok", 10.0)}, got
    check = cnncalc("check", "answer32.npy", "--image", "x.txt", "--kernel", "k.txt", "--norm", "mean",
                    cwd=tmp_path)
    assert check.rc == 0, str(check)


# =========================================================================== 4. names


def test_backslash_and_underscore_names_get_two_feedback_files(course: Path):
    """`a\\b.txt` (made on Windows, unzipped on Linux) and `a_b.txt` are two students:
    two rows and two different feedback files, not one overwriting the other."""
    put(course / "subs", "a\\b.txt", RIGHT)
    put(course / "subs", "a_b.txt", WRONG)
    ok_run(grade(course))
    out = course / "r"
    assert len(records(out)) == 2
    assert_consistent(out)
    bodies = {(out / "feedback" / n).read_bytes() for n in feedback_files(out)}
    assert len(bodies) == 2


def test_non_utf8_name_and_its_escaped_twin_are_two_rows(course: Path):
    """`bad<0xff>.txt` (a Latin-1 archive) is shown as `bad\\xff`; a file literally named
    `bad\\xff.txt` is another student: two rows, two feedback files."""
    put(course / "subs", b"bad\xff.txt", RIGHT)
    put(course / "subs", "bad\\xff.txt", WRONG)
    ok_run(grade(course))
    out = course / "r"
    recs = records(out)
    assert len(recs) == 2, [(r["student"], r.get("files")) for r in recs]
    assert_consistent(out)


def test_gb18030_and_utf8_names_of_one_student_are_not_merged(course: Path):
    """张三.txt from a Chinese Windows zip (GB18030 bytes) and 张三.txt in UTF-8 in one
    folder: two rows, or one row reported as a duplicate — never both files silently
    graded as one submission."""
    put(course / "subs", "张三.txt".encode("gb18030"), RIGHT)
    put(course / "subs", "张三.txt", WRONG)
    ok_run(grade(course))
    out = course / "r"
    recs = records(out)
    assert_consistent(out)
    if len(recs) == 1:
        assert mentions_duplicate(recs[0]), recs[0]
    else:
        assert len(recs) == 2


def test_nfd_file_name_matches_nfc_roster_entry(course: Path):
    """macOS writes `José.txt` decomposed (NFD); the roster exported from the school
    system has `José` composed (NFC): one `ok` row with the NFC id, not ok + missing."""
    put(course / "subs", unicodedata.normalize("NFD", "José.txt"), RIGHT)
    (course / "roster.csv").write_text("student,name\n" + unicodedata.normalize("NFC", "José") + ",J\n")
    ok_run(grade(course, "--roster", "roster.csv"))
    out = course / "r"
    got = [(r["student"], r["status"]) for r in records(out)]
    assert got == [(unicodedata.normalize("NFC", "José"), "ok")], got
    assert [r[0] for r in csv_rows(out)[1:]] == [unicodedata.normalize("NFC", "José")]


def test_true_duplicates_are_reported_not_merged(course: Path):
    """`Zoë.txt` handed in twice (once NFC from Windows, once NFD from a Mac): the same id
    after normalisation, so the row says 'duplicate' instead of grading two look-alike rows
    or silently merging the files."""
    put(course / "subs", unicodedata.normalize("NFC", "Zoë.txt"), RIGHT)
    put(course / "subs", unicodedata.normalize("NFD", "Zoë.txt"), WRONG)
    put(course / "subs", "amy.txt", RIGHT)
    ok_run(grade(course))
    recs = records(course / "r")
    zoe = [r for r in recs if unicodedata.normalize("NFC", r["student"]) == unicodedata.normalize("NFC", "Zoë")]
    assert zoe and all(r["student"] == unicodedata.normalize("NFC", "Zoë") for r in zoe), \
        [r["student"] for r in zoe]
    assert any(mentions_duplicate(r) for r in zoe), zoe


# =========================================================================== 5. escapes and HTML

ESC_NAMES = ["\x1b[31mred\x1b[0m.txt", "\x1b]0;pwned\x07title.txt", "clear\x1b[2J.txt", "bell\x07.txt",
             "csi\u009b31m.txt"]
ESC_CONTENT = "11 14\n20 \x1b[2J\x1b]0;x\x07\x1b[31m\n"


def _no_raw_controls(out: Path, *runs: Run) -> None:
    """No C0/C1 control (but tab and line ends) in any report file, file name, string of
    grades.json, or on stdout/stderr of ``runs``; every hit is listed."""
    hits = []

    def look(where: str, text: str) -> None:
        for m in CONTROL.finditer(text):
            hits.append(f"{where}: {m.group()!r} in ...{text[max(0, m.start() - 30):m.end() + 15]!r}")
            break

    for rel, data in tree(out).items():
        look("file name", rel)
        if rel.endswith((".md", ".csv", ".json")):
            look(rel, data.decode("utf-8", "surrogateescape"))
    for s in all_strings(json.loads((out / "grades.json").read_text(encoding="utf-8"))):
        look("a grades.json string (printing it runs the escape)", s)
    for run in runs:
        look(f"stdout of {' '.join(map(_show, run.args))[:60]!r}", run.stdout.replace("\r", ""))
        look(f"stderr of {' '.join(map(_show, run.args))[:60]!r}", run.stderr.replace("\r", ""))
    assert not hits, "raw terminal controls:\n" + "\n".join(hits[:25])


def test_terminal_escapes_in_file_names_and_roster(course: Path):
    """Students name files with terminal escapes (red text, a window-title OSC ending in
    BEL, clear-screen) and a roster cell carries one: none reaches grades.csv,
    grades.json's strings, feedback/*.md, summary.md, feedback file names, stdout or stderr."""
    for name in ESC_NAMES:
        put(course / "subs", name, WRONG)
    (course / "roster.csv").write_text("student\n\x1b[2Jghost\n", encoding="utf-8")
    runs = [grade(course, "--roster", "roster.csv"),
            grade(course, "--roster", "roster.csv", "--format", "json", out="r2")]
    for run in runs:
        ok_run(run)
    _no_raw_controls(course / "r", *runs)


def test_terminal_escapes_in_contents(course: Path):
    """A submission whose text holds ESC[2J, an OSC title and BEL (pasted from a coloured
    terminal, or planted): the malformed-line quote in grades/feedback and the `check` and
    `relu` messages show it escaped."""
    put(course / "subs", "eve.txt", ESC_CONTENT)
    put(course / "subs", "amy.txt", RIGHT)
    put(course, "eve.txt", ESC_CONTENT)
    put(course, "\x1b]0;pwn\x07\x1b[31mw.txt", WRONG)
    runs = [grade(course),
            cnncalc("check", "eve.txt", "--expected", "key.txt", "--format", "plain", cwd=course),
            cnncalc("relu", "eve.txt", "--format", "plain", cwd=course),
            cnncalc("check", "\x1b]0;pwn\x07\x1b[31mw.txt", "--expected", "key.txt", "--format", "plain",
                    cwd=course)]
    ok_run(runs[0])
    for run in runs[1:]:
        answer_or_one_error(run)
    _no_raw_controls(course / "r", *runs)


def _strip_code(md: str) -> str:
    md = re.sub(r"```.*?```", "", md, flags=re.DOTALL)
    return re.sub(r"`[^`\n]*`", "", md)


def test_html_in_names_and_contents_is_escaped_in_feedback(course: Path):
    """`<img src=x onerror=alert(1)>` as a file name and as file content: the feedback
    Markdown is rendered by an LMS or a Markdown viewer, so it must appear escaped
    (or inside code), never as live HTML."""
    put(course / "subs", "<img src=x onerror=alert(1)>.txt", WRONG)
    put(course / "subs", "eve.txt", "<img src=x onerror=alert(1)>\n")
    (course / "roster.csv").write_text("student\n<script>alert(2)</script>\n")
    ok_run(grade(course, "--roster", "roster.csv"))
    out = course / "r"
    live = []
    for rel, data in tree(out).items():
        if rel.endswith(".md"):
            body = _strip_code(data.decode("utf-8"))
            live += [f"{rel}: ...{body[max(0, m.start() - 40):m.end() + 30]!r}"
                     for m in re.finditer(r"<(img|script)", body, re.IGNORECASE)]
    assert not live, "live HTML in Markdown:\n" + "\n".join(live)


# =========================================================================== 6. parsing and memory bounds


def test_nested_parentheses_are_graded_quickly(course: Path):
    """Submissions of 200 KB and ~1 MiB of `((((`, 50,000 nested `array(`, `[(` pairs and
    200,000-deep brackets (a fuzzer, or a paste gone wrong): each is graded (malformed or
    empty; a lone number in deep brackets may be read) and the whole class within 20 s."""
    subs = course / "subs"
    put(subs, "alice.txt", RIGHT)
    put(subs, "p200k.txt", "(" * 200_000 + "\n")
    put(subs, "p1m.txt", "(" * ((1 << 20) - 2) + "\n")
    put(subs, "array50k.txt", "array(" * 50_000 + "\n")
    put(subs, "mixed.txt", "[(" * 100_000 + "\n")
    put(subs, "brackets.txt", "[" * 200_000 + "1" + "]" * 200_000 + "\n")
    run = grade(course, timeout=25)
    ok_run(run)
    assert run.seconds < 20, f"class took {run.seconds:.1f}s"
    status = {r["student"]: r["status"] for r in records(course / "r")}
    assert status["alice"] == "ok"
    for sid in ("p200k", "p1m", "array50k", "mixed"):
        assert status[sid] in ("malformed", "empty"), status


def test_nested_parentheses_in_check(course: Path):
    """The same 200 KB of `((((` given to `check FILE --expected KEY`: one Error line, fast."""
    put(course, "p.txt", "(" * 200_000 + "\n")
    run = cnncalc("check", "p.txt", "--expected", "key.txt", cwd=course, timeout=15)
    one_error(run)
    assert run.seconds < 10, f"took {run.seconds:.1f}s"


def test_tiny_blocks_in_twenty_submissions_stay_under_the_cap(course: Path):
    """Twenty students hand in 1 MiB each of "1\\n\\n" (350,000 one-cell blocks): the run
    finishes under a 1.5 GB address-space cap, every student gets a row."""
    block = b"1\n\n"
    for i in range(20):
        put(course / "subs", f"m{i:02d}.txt", block * (((1 << 20) - 16) // len(block)))
    put(course / "subs", "alice.txt", RIGHT)
    run = grade(course, timeout=45)
    ok_run(run)
    recs = records(course / "r")
    assert len(recs) == 21 and {r["student"]: r["status"] for r in recs}["alice"] == "ok"


# =========================================================================== 7. work limits of single commands

X9 = "\n".join(" ".join("1" if i == j or i + j == 8 else "-1" for j in range(9)) for i in range(9)) + "\n"
K3 = "1 -1 -1\n-1 1 -1\n-1 -1 1\n"


@pytest.fixture
def xo(tmp_path: Path) -> Path:
    (tmp_path / "x.txt").write_text(X9)
    (tmp_path / "k.txt").write_text(K3)
    return tmp_path


def test_explain_with_huge_padding_is_refused(xo: Path):
    """`explain --at 1,1 --padding 2000` would draw a 4,007×4,007 padded image: refuse
    quickly naming the limit (it used to run for minutes)."""
    refuses_with_a_limit(cnncalc("explain", "x.txt", "k.txt", "--at", "1,1", "--padding", "2000",
                                 cwd=xo, timeout=12))


def test_conv_with_huge_padding_is_refused(xo: Path):
    """`conv --padding 3000`: 36 million output cells of text from a 9×9 image — a typo
    (3000 for 3) must be refused quickly with the limit named, not a MemoryError."""
    refuses_with_a_limit(cnncalc("conv", "x.txt", "k.txt", "--padding", "3000", cwd=xo, timeout=12))


def test_run_with_padded_conv_and_seven_relus_is_refused(xo: Path):
    """`run` keeps every stage for --format json: a padded conv and seven relus would be
    eight 16-million-cell maps in JSON; refuse naming the limit."""
    chain = "conv(k.txt, padding=2000)" + " | relu" * 7
    refuses_with_a_limit(cnncalc("run", "x.txt", chain, "--format", "json", cwd=xo, timeout=12))


def test_relu_of_dev_zero_is_refused(xo: Path):
    """`relu /dev/zero` (or a mistyped device path) reads forever: refuse at the input size
    limit, naming it."""
    refuses_with_a_limit(cnncalc("relu", "/dev/zero", cwd=xo, timeout=12))


def test_train_step_that_would_take_minutes_is_refused(tmp_path: Path):
    """`train-step --steps 10000` on a 128×128 image, 16 5×5 filters, maxpool and a linear
    layer (≈30 ms a step, so about five minutes): refuse up front naming the work limit."""
    rng = np.random.default_rng(0)
    np.savetxt(tmp_path / "x.txt", np.round(rng.normal(size=(128, 128)), 2), fmt="%.2f")
    ks = np.round(rng.normal(size=(16, 5, 5)), 2)
    (tmp_path / "k.txt").write_text("\n\n".join("\n".join(" ".join(f"{v:.2f}" for v in r) for r in k) for k in ks) + "\n")
    np.savetxt(tmp_path / "w.txt", np.round(rng.normal(size=(2, 62 * 62 * 16)) * 0.01, 3), fmt="%.3f")
    (tmp_path / "b.txt").write_text("0 0\n")
    chain = "conv(k.txt) | relu | maxpool(2) | flatten | linear(w.txt, b.txt)"
    refuses_with_a_limit(cnncalc("train-step", "x.txt", chain, "--target", "1", "--optimizer", "sgd",
                                 "--lr", "0.01", "--steps", "10000", "--format", "json",
                                 cwd=tmp_path, timeout=12))


def test_assignment_with_deeply_nested_array(course: Path):
    """An assignment TOML with a 100,000-deep nested array (a fuzzed or corrupted file):
    one Error line naming the file, exit 2 — not a RecursionError."""
    (course / "a.toml").write_text('title = "t"\nx = ' + "[" * 100_000 + "]" * 100_000 + "\n" + TINY_TOML.split("\n", 1)[1])
    put(course / "subs", "alice.txt", RIGHT)
    one_error(grade(course), "a.toml")
    assert not (course / "r").exists()


def test_pool_with_huge_dilation_names_the_parameter(xo: Path):
    """`pool --size 2 --dilation 1000000000`: an Error naming the parameter, never a
    negative output size."""
    line = one_error(cnncalc("pool", "x.txt", "--kind", "max", "--size", "2", "--dilation", "1000000000",
                             cwd=xo, timeout=12), "dilation")
    assert not re.search(r"(?<![\w=])-\d", line), f"negative size in: {line}"


# =========================================================================== 8. more hostile folders


def test_student_folder_1500_levels_deep(course: Path):
    """A student's folder nested 1,500 levels (`d/d/d/...`, a zip bomb of folders): graded
    quickly with a note, no RecursionError, the rest of the class fine."""
    put(course / "subs", "alice.txt", RIGHT)
    deep = os.path.join(os.fspath(course / "subs"), "bob")
    os.mkdir(deep)
    fd = os.open(deep, os.O_RDONLY)
    for _ in range(1500):  # relative mkdir/open: the full path outgrows PATH_MAX
        os.mkdir("d", dir_fd=fd)
        nfd = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = nfd
    os.close(os.open("answer.txt", os.O_CREAT | os.O_WRONLY, dir_fd=fd))
    os.close(fd)
    try:
        run = grade(course, timeout=30)
    finally:
        _remove_chain(Path(deep))  # shutil.rmtree (pytest's clean-up) recurses: 1,500 is too deep
    ok_run(run)
    status = {r["student"]: r["status"] for r in records(course / "r")}
    assert status["alice"] == "ok" and status["bob"] in ("empty", "unreadable", "malformed"), status
    assert run.seconds < 20


def _remove_chain(top: Path) -> None:
    """Remove ``top/d/d/.../d`` one level at a time (move ``d/d`` up, drop the shallow ``d``)."""
    while (top / "d").is_dir():
        if (top / "d" / "d").is_dir():
            os.rename(top / "d" / "d", top / "d.up")
            shutil.rmtree(top / "d")
            os.rename(top / "d.up", top / "d")
        else:
            shutil.rmtree(top / "d")


def test_student_folder_of_100000_empty_files(course: Path):
    """One student's folder holds 100,000 empty files: graded with one note within 20 s."""
    put(course / "subs", "alice.txt", RIGHT)
    bob = course / "subs" / "bob"
    bob.mkdir()
    for i in range(100_000):
        os.close(os.open(bob / f"{i:06d}.txt", os.O_CREAT | os.O_WRONLY, 0o644))
    run = grade(course, timeout=30)
    ok_run(run)
    assert run.seconds < 20, f"took {run.seconds:.1f}s"
    status = {r["student"]: r for r in records(course / "r")}
    assert status["alice"]["status"] == "ok"
    assert len(status["bob"].get("notes") or []) <= 3


def test_dev_zero_symlink_inside_the_folder_is_not_read(course: Path):
    """`zero.txt -> /dev/zero` and a symlink to a FIFO *inside* the folder: never opened
    (no hang, no MemoryError), `unreadable`, the class graded."""
    put(course / "subs", "alice.txt", RIGHT)
    (course / "subs" / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(course / "subs" / ".fifo")
    (course / "subs" / "pipe.txt").symlink_to(course / "subs" / ".fifo")
    run = grade(course, timeout=20)
    ok_run(run)
    status = {r["student"]: r["status"] for r in records(course / "r")}
    assert status == {"alice": "ok", "pipe": "unreadable", "zero": "unreadable"}, status


def test_spreadsheet_formulas_in_names_are_neutralised(course: Path):
    """A student names the file `=HYPERLINK("http://x","click").txt` or `@SUM(1).txt`:
    grades.csv is opened in Excel by the teacher, so a cell starting with = or @ must be
    neutralised (DESIGN "Classroom" asks it of gradebooks; grades.csv is one too)."""
    put(course / "subs", '=HYPERLINK("http:__x","click").txt', RIGHT)
    put(course / "subs", "@SUM(1).txt", RIGHT)
    ok_run(grade(course))
    for row in csv_rows(course / "r")[1:]:
        assert not row[0].startswith(("=", "@")), row
