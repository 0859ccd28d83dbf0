"""Batch grading speed: `cnncalc grade` on 10,000 one-answer submissions.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_grade.py [--students 10000] [--repeats 5]

Generates, in a temporary folder, the seed's X example as an assignment (image
x.txt, kernel k1.txt, norm = "mean", decimals 2; DESIGN.md "Assignments and batch
grading") and one file per student holding the 7x7 answer with a few random
wrong cells (none for some students). Then times, as medians of ``--repeats``:
  * merely reading the files (``Path.read_bytes`` on each, warm cache);
  * ``python -m cnncalc grade DIR --assignment A --out OUT`` (grades.csv,
    grades.json, summary.md and feedback/), into a fresh OUT each run;
  * the same with ``--no-feedback`` (the CSV and JSON gradebook only).
DESIGN.md target: at most 1.5 s wall on the 2-core machine.

``--cores`` instead times ``grade --workers N`` (N = 1, 2 and every core) on classes
of ``--sizes`` submissions (default 10,000 and 100,000), as ratios against one
process, and checks that every report is byte-identical to the one-process report.
If ``grade`` fails (not built yet), says so and exits 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib

REMOVED = benchlib.clean_blas_env()
benchlib.repo_on_path()

import numpy as np

TARGET_SECONDS = 1.5
ASSIGNMENT = """\
title = "X or O feature maps (bench)"
decimals = 2

[[problem]]
name = "feature map 1"
image = "x.txt"
kernel = "k1.txt"
norm = "mean"
points = 10
scoring = "cells"
"""


def expected_answer(x_path: Path, k_path: Path) -> np.ndarray:
    """The exact 7x7 feature map, computed here with numpy (no cnncalc involved)."""
    x = np.loadtxt(x_path)
    k = np.loadtxt(k_path)
    kh, kw = k.shape
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(kh):
        for j in range(kw):
            out += k[i, j] * x[i : i + out.shape[0], j : j + out.shape[1]]
    return out / k.size


def make_class(root: Path, students: int, seed: int = 0) -> tuple[Path, Path]:
    """Write the assignment and ``students`` submissions; return (folder, toml)."""
    from bench_startup import sample_files

    for src, name in zip(sample_files(root), ("x.txt", "k1.txt")):
        if src != root / name:
            shutil.copy(src, root / name)
    toml = root / "assignment.toml"
    toml.write_text(ASSIGNMENT, encoding="utf-8")
    answer = expected_answer(root / "x.txt", root / "k1.txt")
    rng = np.random.default_rng(seed)
    subs = root / "submissions"
    subs.mkdir()
    flat = answer.reshape(-1)
    for n in range(students):
        cells = flat.copy()
        wrong = rng.choice(flat.size, size=int(rng.integers(0, 4)), replace=False)
        cells[wrong] += rng.choice([-1, 1], size=wrong.size) * rng.integers(1, 10, wrong.size) / 10
        rows = cells.reshape(answer.shape)
        text = "\n".join("\t".join(f"{v:.2f}" for v in row) for row in rows) + "\n"
        (subs / f"s{n:05d}.txt").write_text(text, encoding="utf-8")
    return subs, toml


def read_all(folder: Path) -> int:
    total = 0
    for path in sorted(folder.iterdir()):
        total += len(path.read_bytes())
    return total


def time_grade(cmd: list[str], out: Path, env: dict[str, str]) -> tuple[float, str]:
    if out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    proc = subprocess.run(
        cmd, check=False, cwd=benchlib.REPO, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        return -1.0, (proc.stderr or proc.stdout).strip()
    return elapsed, ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cores", action="store_true", help="time --workers 1, 2, all")
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    if args.cores:
        by_cores(args)
        return

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(benchlib.REPO))
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        subs, toml = make_class(tmp, args.students)
        out = tmp / "report"
        benchlib.header(
            f"cnncalc grade on {args.students} one-answer submissions, median of {args.repeats}",
            REMOVED,
        )
        read_times = []
        read_all(subs)  # warm the page cache, as for the grade runs
        for _ in range(args.repeats):
            start = time.perf_counter()
            read_all(subs)
            read_times.append(time.perf_counter() - start)
        t_read = statistics.median(read_times)

        base = [sys.executable, "-m", "cnncalc", "grade", str(subs), "--assignment", str(toml)]
        variants = {
            "grade (CSV, JSON, summary, feedback)": [*base, "--out", str(out)],
            "grade --no-feedback (CSV, JSON, summary)": [*base, "--out", str(out), "--no-feedback"],
        }
        rows = []
        for label, cmd in variants.items():
            elapsed, error = time_grade(cmd, out, env)  # warm-up (and the bytecode cache)
            if elapsed < 0:
                print("grade not available yet (the command failed):")
                print("\n".join(error.splitlines()[-5:]))
                return
            csv_rows = (out / "grades.csv").read_text(encoding="utf-8").splitlines()
            if len(csv_rows) != args.students + 1 or not (out / "grades.json").is_file():
                print(f"unexpected report: {len(csv_rows)} lines in grades.csv")
                return
            times = [time_grade(cmd, out, env)[0] for _ in range(args.repeats)]
            t = statistics.median(times)
            rows.append(
                [
                    label,
                    f"{t:.3f}",
                    f"{t / t_read:.1f}x",
                    f"<= {TARGET_SECONDS} s",
                    benchlib.verdict(t, TARGET_SECONDS),
                ]
            )
        rows.append([f"reading the {args.students} files", f"{t_read:.3f}", "1.0x", "", ""])
        print(benchlib.table(["what", "median s", "vs reading", "target", "verdict"], rows))
        scores = (out / "grades.csv").read_text(encoding="utf-8").splitlines()[1:4]
        print("\nfirst gradebook rows: " + " / ".join(scores))


def _report_bytes(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def by_cores(args: argparse.Namespace) -> None:
    """``grade --workers N`` for N = 1, 2 and every core, per class size."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    counts = sorted({1, 2, cores})
    benchlib.header(f"cnncalc grade by worker processes ({cores} cores), median of {args.repeats}", REMOVED)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(benchlib.REPO))
            env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
            subs, toml = make_class(tmp, size)
            read_all(subs)
            base = [sys.executable, "-m", "cnncalc", "grade", str(subs), "--assignment", str(toml)]
            times: dict[int, float] = {}
            first: dict[str, bytes] | None = None
            for n in counts:
                out = tmp / f"report{n}"
                cmd = [*base, "--out", str(out), "--workers", str(n)]
                runs = [time_grade(cmd, out, env)[0] for _ in range(args.repeats)]
                times[n] = statistics.median(runs)
                got = _report_bytes(out)
                first = first if first is not None else got
                same = "identical" if got == first else "DIFFERENT"
                rows.append([f"{size:,}", str(n), f"{times[n]:.2f}", f"{times[n] / times[1]:.2f}x", same])
    print(benchlib.table(["submissions", "workers", "median s", "vs 1 worker", "reports"], rows))


if __name__ == "__main__":
    main()
