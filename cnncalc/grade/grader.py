"""Batch grading: read every submission, check every answer, score it.

``grade_folder`` finds the submissions (``submissions.discover``), reads and
parses each one (a bad one gets a status, it never stops the batch), checks all
answers of a problem at once with the checker's vectorised cell policy, runs
the full diagnosis only for wrong answers (once per distinct answer), and
scores: ``cells`` gives the points times the fraction of right cells, ``all``
the points only when every cell is right; a wrong shape scores 0.

Statuses: ``ok``, ``partial`` (fewer answers than problems), ``malformed``
(the parse error is kept), ``empty``, ``missing`` (on the roster, nothing
handed in), ``too-large`` (over ``max_bytes``, never read), ``unreadable``
(binary, undecodable, not a regular file, a symlink leaving the folder).

>>> fmt_score(7.5510204), fmt_score(10.0), fmt_score(0.0), fmt_score(3.5)
('7.55', '10', '0', '3.5')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cnncalc import read
from cnncalc.check.batch import CellTable, check_many
from cnncalc.check.compare import AnswerResult, answer_arrays, check_answer
from cnncalc.errors import CnncalcError
from cnncalc.grade.answers import AnswerReader, distribute, written
from cnncalc.grade.submissions import DEFAULT_MAX_BYTES, Submission, discover
from cnncalc.messages import text
from cnncalc.read import Grid

STATUSES = ("ok", "partial", "malformed", "empty", "missing", "too-large", "unreadable")
_BATCH_CELLS = 1 << 20  # cells checked at once by the vectorised policy

Progress = Callable[[str, int, int], None]


def fmt_score(value: float) -> str:
    """A score for people and the gradebook: at most 2 decimals, no trailing zeros."""
    text_ = _SCORES.get(value)
    if text_ is None:
        text_ = _SCORES[value] = f"{round(value, 2) + 0.0:.2f}".rstrip("0").rstrip(".")
    return text_


_SCORES: dict[float, str] = {}


@dataclass
class ProblemResult:
    """One student's answer to one problem and its score."""

    name: str
    points: float
    answered: bool = False
    earned: float = 0.0
    fraction: float = 0.0
    grids: list[read.Grid] | None = None
    result: AnswerResult | None = None  # the full check; None when right or unanswered
    rows: list[list[str]] | None = None  # the answer as written, per map its rows
    wrong_json: list[dict[str, Any]] | None = None  # shared by students with this answer
    diagnosis_json: list[dict[str, Any]] | None = None  # the check JSON's objects, in the run's language

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "points": self.points,
            "earned": round(self.earned, 6),
            "answered": self.answered,
            "score": round(self.fraction, 6),
        }
        if not self.answered:
            return out
        r = self.result
        out["shape_ok"] = r.shape_ok if r else True
        if r is not None and not r.shape_ok:
            out["expected_shape"] = list(r.expected_shape)
            out["got_shape"] = [list(s) if isinstance(s, tuple) else s for s in r.got_shape]
            out["shape_hint"] = r.shape_hint
        out["answer"] = self.rows if self.rows is not None else [written(g) for g in self.grids or []]
        if r is None:
            out["wrong"] = []
        elif self.wrong_json is not None:
            out["wrong"] = self.wrong_json
        else:
            out["wrong"] = [w.to_json(with_map=r.maps > 1) for w in r.wrong]
        if r is None:
            out["diagnosis"] = []
        elif self.diagnosis_json is not None:
            out["diagnosis"] = self.diagnosis_json
        else:
            out["diagnosis"] = diagnosis_objects(r, "en")
        return out


def diagnosis_objects(result: AnswerResult, lang: str) -> list[dict[str, Any]]:
    """The diagnoses as ``check --format json`` writes them (DESIGN.md: ``{"label",
    "settings", "cells", "evidence", "message"}``, plus ``labels``), in ``lang``."""
    from cnncalc.formats import to_jsonable

    return to_jsonable(result.findings(lang))


def diagnosis_labels(problem: dict[str, Any]) -> list[str]:
    """The labels of a record's ``diagnosis``: objects since issue 24, plain labels in a
    ``grades.json`` written before (an ``--only`` rerun reads such a file back).

    >>> diagnosis_labels({"diagnosis": [{"label": "sign"}, "normalization"]})
    ['sign', 'normalization']
    """
    return [d["label"] if isinstance(d, dict) else d for d in problem.get("diagnosis") or ()]


@dataclass
class StudentResult:
    """Everything about one student: status, per-problem results, notes."""

    student: str
    status: str
    problems: list[ProblemResult]
    message: str | None = None
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    several_files: list[str] = field(default_factory=list)  # entries of one id: none was graded

    @property
    def score(self) -> float:
        return sum(p.earned for p in self.problems)

    @property
    def max_score(self) -> float:
        return sum(p.points for p in self.problems)

    def to_json(self) -> dict[str, Any]:
        out = {
            "student": self.student,
            "status": self.status,
            "score": round(self.score, 6),
            "max_score": round(self.max_score, 6),
            "message": self.message,
            "files": self.files,
            "notes": self.notes,
            "problems": [p.to_json() for p in self.problems],
        }
        if self.several_files:
            out["several_files"] = self.several_files
        return out


# --------------------------------------------------------------------------- grading


def _maps(expected: np.ndarray) -> np.ndarray:
    arr = np.asarray(expected, dtype=np.float64)
    if arr.ndim <= 1:
        arr = arr.reshape(1, 1, -1)
    return arr.reshape(-1, *arr.shape[-2:])


class Grader:
    """Grades submissions against one assignment; expected values are computed once
    (by the assignment) and diagnoses are cached per distinct answer."""

    def __init__(self, assignment: Any, *, max_bytes: int = DEFAULT_MAX_BYTES, lang: str = "en") -> None:
        self.assignment = assignment
        self.problems = list(assignment.problems)
        self.lang = lang
        self.expected = [_maps(p.expected) for p in self.problems]
        self.maps = [e.shape[0] for e in self.expected]
        self.reader = AnswerReader(max_bytes, lang)

    def forget(self) -> None:
        """Drop the parsed answers kept so far (a chunk of the class is done)."""
        self.reader.forget()

    def blank(self, student: str, status: str, message: str | None) -> StudentResult:
        problems = [ProblemResult(p.name, float(p.points)) for p in self.problems]
        return StudentResult(student, status, problems, message)

    def read(self, sub: Submission) -> StudentResult:
        """Read and parse one submission (``read_many`` does many at once)."""
        return self.read_many([sub])[0]

    def read_many(self, subs: list[Submission]) -> list[StudentResult]:
        """Read the submissions' bytes, parse the plain texts together, then give each
        its status and answers."""
        loaded = []
        for sub in subs:
            notes = [f"{name}: " + text(key, self.lang) for name, key in sub.skipped] if sub.files else []
            loaded.append((sub, notes, *self.reader.load(sub, notes)))
        return [self._result(*item) for item in loaded]

    def _result(self, sub: Submission, notes: list[str], status: str, loaded: Any) -> StudentResult:
        items: list = []
        message = None if status == "ok" else loaded
        if status == "ok":
            status, items, message = self.reader.items(loaded, notes)
        result = self.blank(sub.student, status, message)
        result.files = [name for _, name in sub.files]
        result.notes = notes
        if len(sub.entries) > 1:
            result.several_files = list(sub.entries)
        if status != "ok":
            return result
        answers, extra = distribute(items, self.maps)
        full = self._full_files(loaded) if extra and len(result.files) > 1 else []
        if len(full) > 1:  # a folder of two complete answer files: which one? never a guess
            again = self.blank(sub.student, "malformed", text(
                "intake.several_answer_files", self.lang, count=len(full),
                names=", ".join(full), student=sub.student))
            again.files, again.notes, again.several_files = result.files, notes, full
            return again
        for pr, answer in zip(result.problems, answers):
            if answer:
                pr.answered, pr.grids = True, answer
                pr.rows = [self.reader.rows(g) for g in answer]
        if any(a is None for a in answers):
            result.status = "partial"
            missing = [p.name for p, a in zip(self.problems, answers) if a is None]
            result.message = text("grade.partial", self.lang, count=len(missing), names=", ".join(missing))
        if extra:
            result.notes.append(text("grade.extra_blocks", self.lang, count=extra))
        return result

    def _full_files(self, loaded: list[tuple[bytes, str]]) -> list[str]:
        """The files of a folder that each hold a whole set of answers on their own, every
        answer of its problem's shape (a file of workings or stray numbers is not one)."""
        full = []
        for data, name in loaded:
            status, items, _ = self.reader.items([(data, name)], [])
            answers = distribute(items, self.maps)[0] if status == "ok" else [None]
            if all(a is not None and len(a) == len(exp) and all(
                    isinstance(g, read.Grid) and g.values.shape == exp.shape[1:] for g in a)
                   for a, exp in zip(answers, self.expected)) and status == "ok":
                full.append(name)
        return full

    def check(self, results: list[StudentResult], progress: Progress | None = None) -> None:
        """Check every answered problem: all answers of a problem at once, each distinct
        answer once; the full diagnosis only for wrong ones."""
        total = sum(len(r.problems) for r in results)
        done = 0
        for i, exp in enumerate(self.expected):
            groups: dict[tuple, list[ProblemResult]] = {}
            same_shape: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
            seen: dict[tuple, tuple] = {}  # the same grid objects (same bytes) -> key
            for r in results:
                pr = r.problems[i]
                if not pr.answered:
                    continue
                ident = tuple(map(id, pr.grids))  # type: ignore[arg-type]
                key = seen.get(ident)
                if key is None:
                    key = seen[ident] = self._key(pr.grids, exp, same_shape)  # type: ignore[arg-type]
                group = groups.get(key)
                if group is None:
                    groups[key] = group = []
                group.append(pr)
            verdicts = self._verdicts(i, same_shape)
            for key, group in groups.items():
                fraction, result = verdicts.get(key) or self._one(i, group[0].grids)
                earned = _earned(self.problems[i], fraction, result)
                wrong = [w.to_json(with_map=result.maps > 1) for w in result.wrong] if result else []
                found = diagnosis_objects(result, self.lang) if result else []
                for pr in group:
                    pr.fraction, pr.earned, pr.result, pr.wrong_json = fraction, earned, result, wrong
                    pr.diagnosis_json = found
            done += len(results)
            if progress is not None:
                progress("check", done, total)

    @staticmethod
    def _key(grids: list[Grid], exp: np.ndarray, same_shape: dict) -> tuple:
        """Answers with equal values and decimals share a key (and one check)."""
        got: np.ndarray | None
        dec: np.ndarray | None
        if len(grids) == 1 and grids[0].decimals.shape == grids[0].shape:
            g = grids[0]
            got, dec, shape = g.values[None], g.decimals[None], g.shape
        else:
            got, dec, shape = answer_arrays(grids)
        if got is None or got.shape != exp.shape:
            return ("shape", shape, _grids_key(grids))
        key = (got.tobytes(), np.asarray(dec, dtype=np.int16).tobytes())
        same_shape.setdefault(key, (got, dec))
        return key

    def _verdicts(self, i: int, arrays: dict[tuple, tuple[np.ndarray, np.ndarray]]) -> dict:
        """``key -> (fraction right, AnswerResult or None when all right)`` for answers of
        the expected shape, vectorised (``batchcheck``)."""
        problem, exp = self.problems[i], self.expected[i]
        keys = list(arrays)
        out: dict[tuple, tuple[float, AnswerResult | None]] = {}
        step = max(1, _BATCH_CELLS // max(exp.size, 1))
        for start in range(0, len(keys), step):
            chunk = keys[start : start + step]
            got = np.stack([arrays[k][0] for k in chunk])
            dec = np.stack([arrays[k][1] for k in chunk])
            flat = (len(chunk), exp.size)
            table = CellTable(got.reshape(flat), dec.reshape(flat))
            right = table.right(exp.reshape(-1), self._policy(problem))
            full = right.all(axis=1)
            for k in np.flatnonzero(full).tolist():
                out[chunk[k]] = (1.0, None)
            wrong = np.flatnonzero(~full)
            if wrong.size:
                checked = check_many(
                    got[wrong], dec[wrong], problem.expected, right=right[wrong], written=False,
                    **self._check_kwargs(i),
                )
                for k, result in zip(wrong.tolist(), checked):
                    out[chunk[k]] = (result.score, result)
        return out

    def _policy(self, problem: Any) -> dict[str, Any]:
        return {
            "required": self._decimals(problem),
            "atol": getattr(problem, "atol", None),
            "rtol": getattr(problem, "rtol", None),
        }

    def _check_kwargs(self, i: int) -> dict[str, Any]:
        problem = self.problems[i]
        policy = self._policy(problem)
        return {
            "name": problem.name,
            "decimals": policy["required"],
            "atol": policy["atol"],
            "rtol": policy["rtol"],
            "context": getattr(problem, "context", None),
            "others": [
                None if j == i else (p.name, e, getattr(p, "context", None))
                for j, (p, e) in enumerate(zip(self.problems, self.expected))
            ],
        }

    def _decimals(self, problem: Any) -> int:
        d = getattr(problem, "decimals", None)
        return int(d if d is not None else getattr(self.assignment, "decimals", 2))

    def _one(self, i: int, grids: Any) -> tuple[float, AnswerResult]:
        """An answer of another shape (or ragged maps): the checker's own verdict."""
        result = check_answer(grids, self.problems[i].expected, **self._check_kwargs(i))
        return result.score, result


def _grids_key(grids: Any) -> tuple:
    return tuple((g.shape, g.values.tobytes(), g.decimals.tobytes()) for g in grids)


def _earned(problem: Any, fraction: float, result: AnswerResult | None) -> float:
    """``cells``: points times the fraction right; ``all``: the points only when all is right."""
    points = float(problem.points)
    if getattr(problem, "scoring", "cells") == "all":
        return points if result is None else 0.0
    return points * fraction


def grade_submissions(
    subs: list[Submission], grader: Grader, progress: Progress | None = None
) -> list[StudentResult]:
    """Read and check ``subs`` (in their order)."""
    results: list[StudentResult] = []
    for start in range(0, len(subs), CHUNK):
        chunk = grader.read_many(subs[start : start + CHUNK])
        results += chunk
        _tick(progress, grader, len(results), len(subs), chunk)
    return results


def _tick(progress: Progress | None, grader: Grader, done: int, total: int, chunk: list) -> None:
    """Read ``chunk`` (the ``done``-th submission last), then check it, with progress."""
    n = len(grader.problems)
    if progress is not None:
        progress("read", done, total)
    grader.check(chunk)
    if progress is not None:
        progress("check", done * n, total * n)


def grade_records(
    subs: list[Submission],
    grader: Grader,
    progress: Progress | None = None,
    *,
    writer: Any = None,
    workers: int | None = None,
) -> list[dict[str, Any]]:
    """Read and check ``subs`` (in their order) and return their records
    (``StudentResult.to_json()``), ``CHUNK`` submissions at a time: each chunk's
    parsed answers are dropped once its records (and, with a ``writer``, its
    feedback files) are made, so memory follows the chunk, not the class.
    Large classes are graded on every core (``pool``; ``workers`` overrides)."""
    from cnncalc.grade import pool

    def part(chunk: list[Submission]) -> tuple[list[dict[str, Any]], dict[str, str]]:
        results = grader.read_many(chunk)
        grader.check(results)
        hashes = writer.write(results) if writer is not None else {}
        records = [r.to_json() for r in results]
        grader.forget()
        return records, hashes  # a worker's hashes come back with its records

    n, total = len(grader.problems), len(subs)

    def tick(done: int) -> None:
        if progress is not None:
            progress("read", done, total)
            progress("check", done * n, total * n)
            if writer is not None:
                progress("write", done, total)

    records: list[dict[str, Any]] = []
    for chunk_records, hashes in pool.grade_records(subs, part, workers=workers, progress=tick):
        records += chunk_records
        if writer is not None:
            writer.hashes.update(hashes)
    return records


CHUNK = 1024  # submissions read, checked and written at a time


def find_submissions(
    folder: Path | str,
    *,
    only: str | None = None,
    skip: tuple[Path | str | None, ...] = (),
    hidden: list[str] | None = None,
) -> list[Submission]:
    """The submissions in ``folder`` (only the student ``only`` when given); ``hidden``
    receives the folder's hidden names that were not read (``discover``)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CnncalcError("grade.not_a_folder", path=str(folder))
    subs = discover(folder, skip=skip, hidden=hidden)
    return subs if only is None else [s for s in subs if s.student == only]


def missing_students(
    grader: Grader, found: set[str], roster: list[str] | None, only: str | None = None
) -> list[StudentResult]:
    """``missing`` rows for the students on the roster with nothing handed in."""
    out = []
    seen = set(found)
    for student in roster or ():
        if student not in seen and (only is None or student == only):
            seen.add(student)
            out.append(grader.blank(student, "missing", text("grade.missing", grader.lang)))
    return out


def grade_folder(
    folder: Path | str,
    assignment: Any,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    roster: list[str] | None = None,
    only: str | None = None,
    lang: str = "en",
    skip: tuple[Path | str | None, ...] = (),
    progress: Progress | None = None,
) -> list[StudentResult]:
    """Grade every submission in ``folder`` (or only the student ``only``), sorted by id.

    Students on the ``roster`` with nothing handed in are ``missing``.
    """
    subs = find_submissions(folder, only=only, skip=skip)
    grader = Grader(assignment, max_bytes=max_bytes, lang=lang)
    results = grade_submissions(subs, grader, progress)
    results += missing_students(grader, {r.student for r in results}, roster, only)
    results.sort(key=lambda r: r.student)
    return results
