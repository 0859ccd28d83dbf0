"""CLI start-up: `cnncalc conv` on the seed's X example against importing its deps.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_startup.py [--repeats 21] [--importtime]

Times, as fresh subprocesses run round-robin (median of ``--repeats``):
  * ``python -m cnncalc conv samples/xo/x.txt samples/xo/k1.txt --norm mean``
  * ``python -c "import numpy, click, rich.console, rich.table"``
DESIGN.md target: the first at most 1.5x the second. Both run with bytecode
caching on (PYTHONDONTWRITEBYTECODE removed, cache in a temporary
PYTHONPYCACHEPREFIX), as an installed package would. ``--importtime`` also
prints the slowest imports of the conv run (``python -X importtime``), to find
what to make lazy.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib

REMOVED = benchlib.clean_blas_env()
TARGET = 1.5
X_IMAGE = """\
-1 -1 -1 -1 -1 -1 -1 -1 -1
-1 1 -1 -1 -1 -1 -1 1 -1
-1 -1 1 -1 -1 -1 1 -1 -1
-1 -1 -1 1 -1 1 -1 -1 -1
-1 -1 -1 -1 1 -1 -1 -1 -1
-1 -1 -1 1 -1 1 -1 -1 -1
-1 -1 1 -1 -1 -1 1 -1 -1
-1 1 -1 -1 -1 -1 -1 1 -1
-1 -1 -1 -1 -1 -1 -1 -1 -1
"""
K1 = "1 -1 -1\n-1 1 -1\n-1 -1 1\n"


def sample_files(tmp: Path) -> tuple[Path, Path]:
    """The repo's samples/xo files, or temporary copies of the seed's X and k1."""
    x, k = benchlib.REPO / "samples/xo/x.txt", benchlib.REPO / "samples/xo/k1.txt"
    if x.is_file() and k.is_file():
        return x, k
    (tmp / "x.txt").write_text(X_IMAGE, encoding="utf-8")
    (tmp / "k1.txt").write_text(K1, encoding="utf-8")
    print("samples/xo not found: using temporary copies of the seed's X and k1")
    return tmp / "x.txt", tmp / "k1.txt"


def run(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        cmd, check=False, cwd=benchlib.REPO, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    return elapsed


def slowest_imports(cmd: list[str], env: dict[str, str], top: int) -> list[tuple[int, int, str]]:
    proc = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]],
        check=False,
        cwd=benchlib.REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line[len("import time:") :].split("|")
        try:
            rows.append((int(parts[0]), int(parts[1]), parts[2].rstrip()))
        except ValueError:
            continue  # the header line
    return sorted(rows, key=lambda r: r[1], reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=21, help="runs of each command")
    parser.add_argument("--importtime", action="store_true", help="list the slowest imports")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        # as after `pip install`: modules load from bytecode. The cache goes to
        # a temporary folder (the warm-up run fills it), never into the repo.
        env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(benchlib.REPO))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        x, k = sample_files(Path(tmp))
        conv = [sys.executable, "-m", "cnncalc", "conv", str(x), str(k), "--norm", "mean"]
        deps = [sys.executable, "-c", "import numpy, click, rich.console, rich.table"]
        bare = [sys.executable, "-c", "pass"]
        benchlib.header(f"CLI start-up, median of {args.repeats} interleaved runs", REMOVED)
        t = benchlib.interleaved_medians(
            {
                "conv": lambda: run(conv, env),
                "deps": lambda: run(deps, env),
                "bare": lambda: run(bare, env),
            },
            args.repeats,
        )
        ratio = t["conv"] / t["deps"]
        rows = [
            [
                "cnncalc conv x.txt k1.txt --norm mean",
                benchlib.ms(t["conv"]),
                f"{ratio:.2f}x",
                f"<= {TARGET}x",
                benchlib.verdict(ratio, TARGET),
            ],
            [
                'python -c "import numpy, click, rich.console, rich.table"',
                benchlib.ms(t["deps"]),
                "1.00x",
                "",
                "",
            ],
            ['python -c "pass"', benchlib.ms(t["bare"]), f"{t['bare'] / t['deps']:.2f}x", "", ""],
        ]
        print(benchlib.table(["command", "median ms", "vs deps", "target", "verdict"], rows))
        if args.importtime:
            print("\nslowest imports of the conv run (microseconds, cumulative):")
            top = slowest_imports(conv, env, 25)
            print(benchlib.table(["self us", "cumulative us", "module"], top))


if __name__ == "__main__":
    main()
