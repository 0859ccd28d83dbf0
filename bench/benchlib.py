"""Shared helpers for the bench scripts: fair environment, interleaved timing, tables.

Imported by the scripts next to it (``python bench/bench_conv.py`` puts bench/
on sys.path). Standard library only, so it runs in any environment.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Set on some machines because old OpenBLAS builds crash on their processors;
# they slow a current numpy down, so a fair benchmark runs without them.
BLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def clean_blas_env() -> list[str]:
    """Re-execute this script without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE.

    They must be gone before numpy (and its OpenBLAS) is loaded, so this runs
    first thing. Returns the names that were removed (read back from
    ``CNNCALC_BENCH_UNSET`` after the re-exec).
    """
    present = [name for name in BLAS_VARS if name in os.environ]
    if present:
        env = {k: v for k, v in os.environ.items() if k not in BLAS_VARS}
        env["CNNCALC_BENCH_UNSET"] = ",".join(present)
        os.execve(sys.executable, [sys.executable, *sys.argv], env)
    removed = os.environ.get("CNNCALC_BENCH_UNSET", "")
    return [name for name in removed.split(",") if name]


def repo_on_path() -> None:
    """Make ``import cnncalc`` use this checkout (no install needed)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))


def blas_description() -> str:
    """Which BLAS numpy runs, and its core type when threadpoolctl can tell."""
    try:
        from threadpoolctl import threadpool_info  # type: ignore[import-not-found]

        infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    except Exception:  # noqa: BLE001 - optional helper only: fall back to numpy's config
        infos = []
    if infos:
        i = infos[0]
        return (
            f"{i.get('internal_api')} {i.get('version')} core={i.get('architecture')} "
            f"threads={i.get('num_threads')}"
        )
    try:
        import numpy as np

        config = np.show_config(mode="dicts")  # type: ignore[call-arg]
        blas = config["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version')} (threadpoolctl not installed: core type unknown)"
    except Exception:  # noqa: BLE001
        return "unknown"


def header(title: str, removed: Sequence[str], extra: Sequence[str] = ()) -> None:
    import numpy as np

    print(f"# {title}")
    print(f"python {platform.python_version()} ({sys.executable})")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"numpy {np.__version__}; BLAS: {blas_description()}")
    if removed:
        print(f"unset for this run: {', '.join(removed)} (see bench/README.md)")
    else:
        print("OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE: not set")
    try:
        print(f"load average before the run: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    except OSError:
        pass
    for line in extra:
        print(line)
    print()


def interleaved_medians(
    contenders: dict[str, Callable[[], object]], repeats: int, warmup: int = 1
) -> dict[str, float]:
    """Median wall seconds per contender, running them round-robin so that a
    noisy moment on the machine hits every contender alike."""
    for _ in range(warmup):
        for fn in contenders.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for rep in range(repeats):
        # rotate the order each round so nobody always runs right after a given peer
        order = names[rep % len(names) :] + names[: rep % len(names)]
        for name in order:
            start = time.perf_counter()
            contenders[name]()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain aligned text table (markdown-compatible pipes)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def verdict(ratio: float, limit: float) -> str:
    return "PASS" if ratio <= limit else "MISS"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f}"
