"""Grading reports: the gradebook (CSV and JSON), and one grading run end to end.

Everything written is a function of the student records (``StudentResult.to_json()``
dicts), so a full run and an ``--only`` rerun that reloads ``grades.json`` produce
the same bytes: no timestamps, rows sorted by student, floats in one stable form.
``grades.json`` holds one student a line, so regrading one student changes one
line::

    {
    "title": "...",
    "fingerprint": "...",
    "problems": [...],
    "students": [
    {"student": "alice", "status": "ok", "score": 30.0, ...},
    {"student": "bob", ...}
    ]
    }

>>> csv_row(["a,b", "1", " x"])
'"a,b",1," x"'
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from cnncalc.errors import CnncalcError
from cnncalc.grade.grader import fmt_score
from cnncalc.read import atomic_write

# --------------------------------------------------------------------------- gradebook


def csv_row(fields: Iterable[str]) -> str:
    """One CSV line (RFC 4180 quoting), without the line end."""
    return ",".join(_csv_field(f) for f in fields)


_NEEDS_QUOTES = re.compile(r'[,"\r\n]|^\s|\s$')


def _csv_field(f: str) -> str:
    return '"' + f.replace('"', '""') + '"' if _NEEDS_QUOTES.search(f) else f


def grades_csv(problem_names: list[str], records: list[dict[str, Any]]) -> str:
    """``student,status,score,max_score`` then one column per problem, rows sorted by student.

    >>> rec = {"student": "bob", "status": "ok", "score": 7.5, "max_score": 10,
    ...        "problems": [{"earned": 7.5}]}
    >>> print(grades_csv(["map 1"], [rec]), end="")
    student,status,score,max_score,map 1
    bob,ok,7.5,10,7.5
    """
    lines = [csv_row(["student", "status", "score", "max_score", *problem_names])]
    for r in sorted(records, key=lambda r: r["student"]):
        numbers = [fmt_score(r["score"]), fmt_score(r["max_score"])]
        numbers += [fmt_score(p["earned"]) for p in r["problems"]]
        lines.append(f"{_csv_field(r['student'])},{r['status']}," + ",".join(numbers))
    return "\n".join(lines) + "\n"


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False)


def grades_json(header: dict[str, Any], records: list[dict[str, Any]]) -> str:
    """The JSON gradebook: header keys, then ``students``, one student a line."""
    head = ",\n".join(f"{_dumps(k)}: {_dumps(v)}" for k, v in header.items())
    students = ",\n".join(_dumps(r) for r in sorted(records, key=lambda r: r["student"]))
    return "{\n" + head + ',\n"students": [\n' + students + "\n]\n}\n"


def assignment_header(assignment: Any, expected: list[np.ndarray]) -> dict[str, Any]:
    """Title, problems and a fingerprint of what the answers are checked against."""
    problems = [
        {
            "name": p.name,
            "points": float(p.points),
            "scoring": getattr(p, "scoring", "cells"),
            "shape": list(np.shape(e)),
        }
        for p, e in zip(assignment.problems, expected)
    ]
    digest = hashlib.sha256(_dumps([getattr(assignment, "decimals", 2), problems]).encode())
    for e in expected:
        digest.update(np.ascontiguousarray(e, dtype=np.float64).tobytes())
    return {
        "title": getattr(assignment, "title", "") or "",
        "fingerprint": digest.hexdigest()[:16],
        "problems": problems,
    }


def load_records(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Read back a ``grades.json``: its header and the student records."""
    data = json.loads(path.read_text(encoding="utf-8"))
    students = data.pop("students")
    return data, students


# --------------------------------------------------------------------------- one run


def check_out_folder(folder: Path, out: Path, *, feedback: bool = False) -> None:
    """Refuse a report folder inside the submissions (or submissions inside ``out/feedback``),
    and, when feedback is written, a ``feedback/`` there that no earlier report made: a full
    run replaces that folder, and a teacher's own ``feedback/`` must not vanish."""
    f = os.path.realpath(folder)
    o = os.path.realpath(out)

    def within(a: str, b: str) -> bool:
        return a == b or a.startswith(b.rstrip(os.sep) + os.sep)

    if within(o, f):
        raise CnncalcError("grade.out_inside", out=str(out), folder=str(folder))
    for name in ("feedback", ".feedback.tmp", ".feedback.old"):
        if within(f, os.path.join(o, name)):
            raise CnncalcError("grade.out_over", out=str(out / name), folder=str(folder))
    fb = out / "feedback"
    if feedback and (fb.exists() or fb.is_symlink()) and not (out / "grades.json").is_file():
        raise CnncalcError("grade.out_foreign", path=str(fb))


def run_grade(
    folder: Path,
    assignment: Any,
    *,
    out: Path,
    only: str | None = None,
    roster: list[str] | None = None,
    max_bytes: int,
    feedback: bool = True,
    lang: str = "en",
    skip: tuple[Any, ...] = (),
    progress: Any = None,
    workers: int | None = None,
    pictures: bool = False,
    classroom: Any = None,
) -> dict[str, Any]:
    """Grade ``folder`` and write the reports into ``out``; returns the class summary.

    With ``only`` the earlier ``grades.json`` in ``out`` is read back, that one
    student is regraded, and only their row, their feedback and the summary change.
    Large classes are graded on two processes (``gradepool``); ``workers=1`` forbids it.
    ``pictures`` (with ``feedback``) adds a marked PNG for each wrong answer beside
    the feedback file (``gradepictures``); it needs Pillow. ``classroom`` (a
    ``classreport.ClassroomOptions``) adds gradebooks and the HTML report; an
    ``assignment`` from ``classgrade.load_variants`` checks each student against
    their own variant.
    """
    from cnncalc.grade import pool as gradepool
    from cnncalc.grade.feedback import FeedbackWriter
    from cnncalc.grade.grader import Grader, find_submissions, grade_submissions, missing_students
    from cnncalc.grade.summary import summarize, summary_markdown

    folder, out = Path(folder), Path(out)
    check_out_folder(folder, out, feedback=feedback)
    if pictures and feedback:
        from cnncalc.draw.canvas import pil

        pil()  # no Pillow: PictureError before anything is graded or written
    header = assignment_header(assignment, [p.expected for p in assignment.problems])
    names = [p["name"] for p in header["problems"]]
    title = header["title"]
    previous: list[dict[str, Any]] = []
    if only is not None:
        previous = _previous_records(out / "grades.json", header)
    subs = find_submissions(folder, only=only, skip=skip)
    if hasattr(assignment, "grader"):  # per-student variants (classgrade.ClassVariants)
        grader = assignment.grader(max_bytes=max_bytes, lang=lang)
    else:
        grader = Grader(assignment, max_bytes=max_bytes, lang=lang)
    out.mkdir(parents=True, exist_ok=True)  # fail early: not after grading everyone
    writer = None
    if feedback:
        decimals = int(getattr(assignment, "decimals", 2))
        expected = [p.expected for p in assignment.problems] if pictures else None
        writer = FeedbackWriter(out, title, lang, decimals, staged=only is None, expected=expected)

    def part(chunk: list[Any], tick: Any) -> list[dict[str, Any]]:
        results = grade_submissions(chunk, grader, tick)
        if writer is not None:
            writer.write(results)
            if tick is not None:
                tick("write", len(results), len(results))
        return [r.to_json() for r in results]

    records = gradepool.grade_records(subs, part, progress=progress, workers=workers)
    found = {r["student"] for r in records}
    known = {r["student"] for r in previous} | set(roster or ())
    if only is not None and not found and only not in known:
        raise CnncalcError("grade.only_unknown", student=only)
    extra = missing_students(grader, found, roster if only is None else [only], only)
    if writer is not None:
        writer.write(extra)
    records += [r.to_json() for r in extra]
    if only is not None:
        records = [r for r in previous if r["student"] != only] + records
    records.sort(key=lambda r: r["student"])
    summary = summarize(records, names)
    if writer is not None:
        writer.finish()
    atomic_write(out / "grades.csv", grades_csv(names, records))
    atomic_write(out / "grades.json", grades_json(header, records))
    atomic_write(out / "summary.md", summary_markdown(summary, title, lang))
    # ---- classroom extras (issue 15): gradebooks and report/, as (relative path, bytes)
    for rel, data in _classroom_extras(records, assignment, header, classroom, out if feedback else None):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        atomic_write(out / rel, data)
    summary["title"] = title
    return summary


def _classroom_extras(
    records: list[dict[str, Any]], assignment: Any, header: dict[str, Any], classroom: Any, out: Path | None
) -> list[tuple[str, bytes]]:
    """The files of ``grade --gradebook/--html`` (``classreport``), to be written with the report."""
    if classroom is None or not classroom.wanted:
        return []
    from cnncalc.grade.classreport import classroom_files
    from cnncalc.grade.names import feedback_name

    def feedback_text(student: str) -> str | None:
        path = None if out is None else out / "feedback" / feedback_name(student)
        return path.read_text(encoding="utf-8") if path is not None and path.is_file() else None

    return classroom_files(records, assignment, header, classroom, feedback=feedback_text)


def _previous_records(path: Path, header: dict[str, Any]) -> list[dict[str, Any]]:
    if not path.is_file():
        raise CnncalcError("grade.only_no_report", path=str(path))
    try:
        old_header, records = load_records(path)
    except (OSError, ValueError, KeyError, AttributeError) as exc:
        raise CnncalcError("grade.only_bad_report", path=str(path), reason=str(exc)[:80]) from exc
    if old_header.get("fingerprint") != header["fingerprint"]:
        raise CnncalcError("grade.only_other_assignment", path=str(path))
    return records
