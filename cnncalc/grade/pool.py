"""Grade a large class on two cores: a forked child grades half the submissions.

Every step of grading one submission is independent of the others, and checking
a batch gives each answer exactly what checking it alone gives, so the split
changes no byte of the reports. The child is forked after the imports and the
assignment's expected values (nothing to redo), grades the second half, writes
those students' feedback files itself, and sends back their records (plain
dicts, lists, strings and numbers) through a pipe with ``marshal``. If anything
goes wrong in the child, the parent grades that half itself.

>>> from cnncalc.grade.pool import split_at
>>> split_at(10, workers=2, minimum=4), split_at(3, workers=2, minimum=4), split_at(10, workers=1)
(5, 3, 10)
"""

from __future__ import annotations

import marshal
import os
import signal
from collections.abc import Callable
from typing import Any

PARALLEL_MIN = 1000  # below this many submissions the fork costs more than it saves

Records = list[dict[str, Any]]


def split_at(n: int, *, workers: int | None = None, minimum: int = PARALLEL_MIN) -> int:
    """How many submissions the parent grades (all of them when there is no split)."""
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if hasattr(os, "fork") else 1
    if workers < 2 or n < minimum:
        return n
    return n // 2


def grade_records(
    subs: list[Any],
    grade_part: Callable[[list[Any], Any], Records],
    *,
    progress: Any = None,
    workers: int | None = None,
    minimum: int = PARALLEL_MIN,
) -> Records:
    """``grade_part(subs, progress)`` over all ``subs``, split over two processes when
    there are many. Returns the records of the parent's half, then the child's."""
    half = split_at(len(subs), workers=workers, minimum=minimum)
    if half == len(subs):
        return grade_part(subs, progress)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: grade the second half, send the records, leave at once
        os.close(read_fd)
        status = 1
        try:
            payload = marshal.dumps(grade_part(subs[half:], None))
            with os.fdopen(write_fd, "wb") as sink:
                sink.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    done = False
    try:
        scaled = None
        if progress is not None:
            scale = len(subs) / max(half, 1)

            def scaled(phase: str, n: int, total: int) -> None:
                progress(phase, min(len(subs), round(n * scale)), len(subs))

        mine = grade_part(subs[:half], scaled)
        with os.fdopen(read_fd, "rb") as source:
            payload = source.read()
        _, status = os.waitpid(pid, 0)
        done = True
    finally:
        if not done:
            _stop(pid)
    theirs = None
    if os.waitstatus_to_exitcode(status) == 0:
        try:
            theirs = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            theirs = None
    if not isinstance(theirs, list):
        theirs = grade_part(subs[half:], None)  # the child failed: grade its half here
    return mine + theirs


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
