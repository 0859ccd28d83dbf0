"""Grade a large class on every core: a standard ``multiprocessing`` pool over chunks.

Every step of grading one submission is independent of the others, and checking a
chunk gives each answer exactly what checking it alone gives, so the split changes
no byte of the reports. The workers are forked after the imports and the
assignment's expected values (nothing to redo); each grades a range of
submissions, writes those students' feedback files into the fresh report folder
itself, and returns their records (plain dicts). ``imap`` keeps the order.

A worker never outlives the run: it asks the kernel for SIGKILL when its parent
dies (``PR_SET_PDEATHSIG``), leaves SIGTERM at its default, and the pool is
terminated when the run stops for any reason (an error, Ctrl-C, SIGTERM).

Below ``PARALLEL_MIN`` submissions, or on one core, grading stays in one process:
bench/README.md has the figures (on two quiet cores a second process saves a
fifth of the wall time at 10,000 submissions without feedback files; on a loaded
machine, or when writing feedback files dominates, it saves nothing).

>>> workers_for(10, workers=None, cores=8), workers_for(50_000, workers=None, cores=8)
(1, 8)
>>> workers_for(50_000, workers=1, cores=8), workers_for(10, workers=3, cores=8)
(1, 3)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

PARALLEL_MIN = 4_000  # submissions from which all cores are used by default
CHUNK = 1024  # submissions a worker grades at a time

_JOB: dict[str, Any] = {}  # what a forked worker grades: set in the parent before the fork


def workers_for(n: int, *, workers: int | None, cores: int | None = None) -> int:
    """How many processes grade ``n`` submissions (``workers`` when given)."""
    if workers is not None:
        return max(1, int(workers))
    if not hasattr(os, "fork"):
        return 1
    cores = cores if cores is not None else len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores if n >= PARALLEL_MIN and cores > 1 else 1


def _die_with_parent(parent: int) -> None:
    """In a worker: SIGKILL when the parent dies; default SIGTERM, no Ctrl-C of its own."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the pool's terminate() still applies
        pass
    if os.getppid() != parent:  # the parent died before prctl
        os._exit(1)


_Part = Any  # what grade_part returns for one chunk: its records (and more)


def _grade_range(bounds: tuple[int, int]) -> _Part:
    start, end = bounds
    return _JOB["grade"](_JOB["subs"][start:end])


def grade_records(
    subs: list[Any],
    grade_part: Callable[[list[Any]], _Part],
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[_Part]:
    """``grade_part`` over ``subs`` chunk by chunk, in order, on ``workers_for`` processes;
    yields what ``grade_part`` returns for each chunk (``progress(done)`` after each)."""
    n = workers_for(len(subs), workers=workers)
    bounds = [(i, min(i + CHUNK, len(subs))) for i in range(0, len(subs), CHUNK)]
    if n < 2 or len(bounds) < 2:
        for start, end in bounds:
            yield grade_part(subs[start:end])
            if progress is not None:
                progress(end)
        return
    import multiprocessing

    _JOB.update(subs=subs, grade=grade_part)
    try:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(n, initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
            for (_, end), records in zip(bounds, pool.imap(_grade_range, bounds)):
                yield records
                if progress is not None:
                    progress(end)
            pool.close()
            pool.join()
        # leaving the with-block otherwise (an error, Ctrl-C, SIGTERM) terminates the workers
    finally:
        _JOB.clear()
