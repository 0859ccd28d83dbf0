"""Read a submission's answers: its files' bytes, parsed into blocks, given to problems.

``AnswerReader`` reads a submission's files within the byte limit, decodes and
parses them (blocks of numbers, a problem file's answers, ``.npy``/``.json``
arrays, CSV/TSV with a header), parses identical bytes once, and keeps each
block's rows as written for the gradebook. ``distribute`` hands the blocks to
the problems in order.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from cnncalc import read
from cnncalc.errors import MatrixFormatError
from cnncalc.grade.submissions import ReadProblem, Submission, read_limited
from cnncalc.messages import text
from cnncalc.read.fast import _SIMPLE_TEXT
from cnncalc.read.files import _grids_from_array, _load_json, npy_grids


def written(grid: read.Grid) -> list[str]:
    """A map as written: its rows, the numbers separated by spaces.

    >>> written(read.parse_text("[[0.77, -.5], [1, 2.0]]")[0])
    ['0.77 -0.5', '1 2.0']
    """
    from cnncalc.numfmt import format_full

    decimals = np.broadcast_to(grid.decimals, grid.shape).tolist()
    texts = grid.texts.tolist() if grid.texts is not None else [[None] * grid.shape[1]] * grid.shape[0]
    return [
        " ".join(
            t or (format_full(v) if d < 0 or d > 17 else f"{v:.{d}f}")
            for v, d, t in zip(vals, decs, txts)
        )
        for vals, decs, txts in zip(grid.values.tolist(), decimals, texts)
    ]


# --------------------------------------------------------------------------- reading


class AnswerReader:
    """Reads and parses submissions; identical bytes are parsed once."""

    def __init__(self, max_bytes: int, lang: str) -> None:
        self.max_bytes = max_bytes
        self.lang = lang
        self._cache: dict[tuple[bytes, str], list] = {}
        self._rows: dict[int, list[str]] = {}  # id(grid) -> rows as written

    def forget(self) -> None:
        """Drop what was parsed so far (the batch keeps records, not parsed answers)."""
        self._cache.clear()
        self._rows.clear()

    def rows(self, grid: read.Grid) -> list[str]:
        """A grid's rows as written (taken from the text when it was plain)."""
        rows = self._rows.get(id(grid))
        if rows is None:
            rows = self._rows[id(grid)] = written(grid)
        return rows

    def load(self, sub: Submission, notes: list[str]) -> tuple[str, Any]:
        """``("ok", [(bytes, name), ...])`` or ``(status, message)`` for a submission
        that cannot be read (too large, unreadable, nothing in it)."""
        problem = sub.problem
        if problem is not None:
            status, key, params = problem
            where = f"{params['name']}: " if params.get("name") else ""
            return status, where + text(key, self.lang, **params)
        datas = []
        total = 0
        for path, name in sub.files:
            try:
                data = read_limited(path, self.max_bytes - total)
            except ReadProblem as exc:
                if exc.status == "too-large":
                    size = int(exc.params["size"]) + total  # type: ignore[call-overload]
                    return "too-large", text("grade.too_large", self.lang, size=size, limit=self.max_bytes)
                if len(sub.files) == 1:
                    return "unreadable", f"{name}: " + text(exc.key, self.lang, **exc.params)
                notes.append(f"{name}: " + text(exc.key, self.lang, **exc.params))
                continue
            total += len(data)
            datas.append((data, name))
        return "ok", datas

    def items(self, datas: list[tuple[bytes, str]], notes: list[str]) -> tuple[str, list, str | None]:
        """``(status, items, message)``; items are Grids (blocks) or lists of Grids (a
        problem file's answers). Status is ``ok`` when something was read."""
        import time

        items: list = []
        unreadable = None
        deadline = time.monotonic() + PARSE_SECONDS  # for the whole submission, all its files
        for data, name in datas:
            if not data.strip():
                continue
            suffix = _suffix(name)
            key = (data, suffix if suffix in _SPECIAL else "")
            cached = self._cache.get(key)
            if cached is None:
                try:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise _TooSlow
                    cached = _bounded(lambda: self._parse(data, name, suffix), left)  # noqa: B023
                except _TooSlow:
                    return "malformed", [], f"{name}: " + text("grade.too_slow", self.lang, seconds=PARSE_SECONDS)
                except MatrixFormatError as exc:
                    if exc.key.startswith(("read.binary", "read.encoding")):  # and their kinds
                        if len(datas) == 1:
                            return "unreadable", [], exc.message(self.lang)
                        unreadable = unreadable or exc.message(self.lang)
                        notes.append(exc.message(self.lang))
                        continue
                    if exc.key == "read.empty":
                        continue
                    return "malformed", [], exc.message(self.lang)
                self._cache[key] = cached
            items.extend(cached)
        if not items:
            if unreadable:
                return "unreadable", [], unreadable
            return "empty", [], text("grade.no_numbers", self.lang)
        return "ok", items, None

    def _parse(self, data: bytes, name: str, suffix: str) -> list:
        if suffix == "npy":
            return npy_grids(data, name)
        text_ = read.decode_bytes(data, name)
        blocks = len(_BLANK_LINES.findall(text_.strip())) if text_.count("\n") > MAX_BLOCKS else 0
        if blocks >= MAX_BLOCKS:  # 1 MiB of "1\n\n" would be 350,000 parsed blocks
            raise MatrixFormatError("grade.too_many_blocks", file=name, count=blocks + 1, limit=MAX_BLOCKS)
        if suffix == "json":
            return _grids_from_array(_load_json(text_, name, False), name)
        if ("=" in text_ or "＝" in text_) and read.looks_like_problem_file(text_):
            return [p.answer for p in read.parse_problems(text_, source=name)]
        grids = read.parse_text(text_, source=name, skip_header=suffix in ("csv", "tsv"))
        if _SIMPLE_TEXT.match(text_):  # rows as written, straight from the lines
            lines = text_.splitlines()
            for g in grids:
                rows = [lines[n - 1].split() for n in g.lines]
                if all(len(r) == g.shape[1] for r in rows):
                    self._rows[id(g)] = [" ".join(r) for r in rows]
        return grids


_SPECIAL = ("npy", "json", "csv", "tsv")  # suffixes read their own way
MAX_BLOCKS = 10_000  # blocks of one submission (an assignment needs a handful)
PARSE_SECONDS = 10.0  # reading one submission (all its files); past it, it is malformed
_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n")


class _TooSlow(Exception):
    """Reading one submission took more than ``PARSE_SECONDS``."""


def _bounded(parse: Any, seconds: float) -> Any:
    """``parse()`` within ``seconds`` of wall time (a timer signal in the main
    thread; elsewhere, unbounded): a safety net behind the linear reader."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return parse()

    def stop(signum: int, frame: Any) -> None:
        raise _TooSlow

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return parse()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _suffix(name: str) -> str:
    base = name.rpartition("/")[2]
    return base.rpartition(".")[2].lower() if "." in base else ""


def distribute(items: list, maps: list[int]) -> tuple[list[list[read.Grid] | None], int]:
    """Give each problem its answer: a problem file's answer as a whole, else as many
    blocks as the problem has maps. Returns the answers and the blocks left over.

    >>> g = read.parse_text("1\\n\\n2\\n\\n3")
    >>> answers, extra = distribute(g, [2, 1, 1])
    >>> [len(a) if a else None for a in answers], extra
    ([2, 1, None], 0)
    """
    answers: list[list[read.Grid] | None] = []
    k = 0
    for m in maps:
        if k >= len(items):
            answers.append(None)
            continue
        if isinstance(items[k], list):
            answers.append(items[k])
            k += 1
            continue
        taken: list[read.Grid] = []
        while k < len(items) and len(taken) < m and not isinstance(items[k], list):
            taken.append(items[k])
            k += 1
        answers.append(taken)
    return answers, len(items) - k
