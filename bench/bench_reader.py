"""Reader speed against numpy.loadtxt, side by side (DESIGN: a 10^6-cell CSV/TSV/
space-separated file in at most 1.5x the time of numpy.loadtxt on the same file).

    python bench/bench_reader.py [--rounds 9] [--size 1000]

Each round times numpy.loadtxt and cnncalc's read_matrix on each file, interleaved
(loadtxt, cnncalc, loadtxt, cnncalc, ...), so a busy neighbour slows both alike;
the table shows medians and the ratio of medians. It also checks that both read
the same numbers. The checkout is put on sys.path.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib

REMOVED = benchlib.clean_blas_env()  # they slow a current numpy
benchlib.repo_on_path()

import numpy as np

from cnncalc.read import read_matrix

LIMIT = 1.5


def make_files(folder: Path, size: int) -> list[tuple[str, Path, str | None]]:
    rng = np.random.default_rng(12)
    a = np.round(rng.uniform(-100, 100, (size, size)), 4)
    files = []
    for label, name, delim, fmt in [
        ("csv", "m.csv", ",", "%.4f"),
        ("tsv", "m.tsv", "\t", "%.4f"),
        ("space", "m.txt", " ", "%.4f"),
        ("csv %.6g", "g.csv", ",", "%.6g"),
        ("space %.18e", "e.txt", " ", "%.18e"),  # np.savetxt's default
    ]:
        path = folder / name
        np.savetxt(path, a, fmt=fmt, delimiter=delim)
        files.append((label, path, None if delim == " " else delim))
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--size", type=int, default=1000, help="rows = columns (default 1000)")
    args = ap.parse_args()
    import cnncalc

    print(f"numpy {np.__version__}, cnncalc from {Path(cnncalc.__file__).parent}")
    print(f"{args.size}x{args.size} cells, {args.rounds} interleaved rounds, medians in ms")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        files = make_files(Path(tmp), args.size)
        for label, path, delim in files:  # warm up, and the same numbers
            ours, theirs = read_matrix(path), np.loadtxt(path, delimiter=delim)
            if not np.array_equal(ours, theirs):
                print(f"{label}: cnncalc and loadtxt read different numbers", file=sys.stderr)
                return 2
        times = {label: ([], []) for label, _, _ in files}
        for _ in range(args.rounds):
            for label, path, delim in files:
                t0 = time.perf_counter()
                np.loadtxt(path, delimiter=delim)
                t1 = time.perf_counter()
                read_matrix(path)
                t2 = time.perf_counter()
                times[label][0].append(t1 - t0)
                times[label][1].append(t2 - t1)
        print(f"{'file':<14}{'loadtxt':>10}{'cnncalc':>10}{'ratio':>8}")
        for label, (lt, ct) in times.items():
            ratio = statistics.median(ct) / statistics.median(lt)
            if label in ("csv", "tsv", "space"):
                worst = max(worst, ratio)
            print(
                f"{label:<14}{statistics.median(lt) * 1e3:>10.1f}"
                f"{statistics.median(ct) * 1e3:>10.1f}{ratio:>7.2f}x"
            )
    verdict = "ok" if worst <= LIMIT else "over"
    print(f"worst plain ratio {worst:.2f}x (limit {LIMIT}x): {verdict}")
    return 0 if worst <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
