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
from cnncalc.grade.gradebook import neutralise
from cnncalc.grade.grader import fmt_score

# --------------------------------------------------------------------------- gradebook


def csv_row(fields: Iterable[str]) -> str:
    """One CSV line (RFC 4180 quoting), without the line end."""
    return ",".join(_csv_field(f) for f in fields)


_NEEDS_QUOTES = re.compile(r'[,"\r\n]|^\s|\s$')


def _csv_field(f: str) -> str:
    return '"' + f.replace('"', '""') + '"' if _NEEDS_QUOTES.search(f) else f


def _text_cell(f: str) -> str:
    """A text cell a spreadsheet never runs: the gradebooks' rule (``gradebook.neutralise``,
    OWASP's for CSV injection: a leading ``'`` before ``= + - @``, tab, CR, LF, their
    full-width forms, also after leading spaces), so an id is written the same way in
    ``grades.csv`` and in every ``grades-<kind>.csv`` (docs/gradebooks.md).

    >>> print(_text_cell('=HYPERLINK("x")'), _text_cell("alice"), _text_cell(" @x"), _text_cell("-5"))
    '=HYPERLINK("x") alice ' @x -5
    """
    return neutralise(f)


def grades_csv(problem_names: list[str], records: list[dict[str, Any]]) -> str:
    """``student,status,score,max_score`` then one column per problem, rows sorted by student.

    >>> rec = {"student": "bob", "status": "ok", "score": 7.5, "max_score": 10,
    ...        "problems": [{"earned": 7.5}]}
    >>> print(grades_csv(["map 1"], [rec]), end="")
    student,status,score,max_score,map 1
    bob,ok,7.5,10,7.5
    """
    lines = [csv_row(["student", "status", "score", "max_score", *map(_text_cell, problem_names)])]
    for r in sorted(records, key=lambda r: r["student"]):
        numbers = [fmt_score(r["score"]), fmt_score(r["max_score"])]
        numbers += [fmt_score(p["earned"]) for p in r["problems"]]
        lines.append(f"{_csv_field(_text_cell(r['student']))},{r['status']}," + ",".join(numbers))
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
    """Refuse a report folder inside the submissions (or the submissions inside ``out``):
    the report set replaces ``out`` as a whole."""
    f = os.path.realpath(folder)
    o = os.path.realpath(out)

    def within(a: str, b: str) -> bool:
        return a == b or a.startswith(b.rstrip(os.sep) + os.sep)

    if within(o, f):
        raise CnncalcError("grade.out_inside", out=str(out), folder=str(folder))
    if within(f, o):
        raise CnncalcError("intake.out_holds_folder", out=str(out), folder=str(folder))


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
    pictures: bool = False,
    classroom: Any = None,
    extra_files: Any = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """Grade ``folder`` and write the reports into ``out`` as one set; returns the class summary.

    The set is written by ``reportset.ReportSet``: ``out`` locked, refused unless
    cnncalc made it (or it is new or empty), every file written into a fresh folder
    that replaces ``out`` in one step (docs/grading-safety.md).
    With ``only`` the current set's ``grades.json`` is read back, that one student
    is regraded, and only their row, their feedback and the summary change (the other
    files of the set are carried over unchanged).
    ``pictures`` (with ``feedback``) adds a marked PNG for each wrong answer beside
    the feedback file (``gradepictures``); it needs Pillow. ``classroom`` (a
    ``classreport.ClassroomOptions``) adds gradebooks and the HTML report to the set;
    an ``assignment`` from ``classgrade.load_variants`` checks each student against
    their own variant.
    ``extra_files(records, summary, report_set)``, when given, adds more files to
    the same set before it is switched in (``report_set.add(relpath, data)``).
    ``workers`` processes grade (default: every core from ``pool.PARALLEL_MIN``
    submissions on, else one); the reports are the same bytes whatever the number.
    """
    from cnncalc.grade.feedback import FeedbackWriter
    from cnncalc.grade.grader import Grader, find_submissions, grade_records, missing_students
    from cnncalc.grade.names import feedback_name
    from cnncalc.grade.reportset import ReportSet
    from cnncalc.grade.summary import summarize, summary_markdown

    folder, out = Path(folder), Path(out)
    check_out_folder(folder, out, feedback=feedback)
    if pictures and feedback:
        from cnncalc.draw.canvas import pil

        pil()  # no Pillow: PictureError before anything is graded or written
    header = assignment_header(assignment, [p.expected for p in assignment.problems])
    names = [p["name"] for p in header["problems"]]
    title = header["title"]
    try:
        with ReportSet(out) as rs:
            previous: list[dict[str, Any]] = []
            if only is not None:
                previous = _previous_records(rs, out / "grades.json", header)
            hidden: list[str] = []
            subs = find_submissions(folder, only=only, skip=skip, hidden=hidden)
            if hasattr(assignment, "grader"):  # per-student variants (classgrade.ClassVariants)
                grader = assignment.grader(max_bytes=max_bytes, lang=lang)
            else:
                grader = Grader(assignment, max_bytes=max_bytes, lang=lang)
            writer = None
            if feedback:
                decimals = int(getattr(assignment, "decimals", 2))
                expected = [p.expected for p in assignment.problems] if pictures else None
                writer = FeedbackWriter(rs.path("feedback/x").parent, title, lang, decimals, expected=expected)
            records = grade_records(subs, grader, progress, writer=writer, workers=workers)
            found = {r["student"] for r in records}
            known = {r["student"] for r in previous} | set(roster or ())
            if only is not None and not found and only not in known:
                raise CnncalcError("grade.only_unknown", student=only)
            extra = missing_students(grader, found, roster if only is None else [only], only)
            if writer is not None:
                writer.write(extra)
                rs.written("feedback", writer.hashes)
            records += [r.to_json() for r in extra]
            _mark_roster(records, roster, previous)
            if only is not None:
                records = [r for r in previous if r["student"] != only] + records
                mine = {feedback_name(only)} | _pictures_of(rs, only) if writer is not None else set()
                for rel in rs.current_files():
                    if rel in ("grades.csv", "grades.json", "summary.md"):
                        continue
                    if rel.startswith("feedback/") and rel[len("feedback/") :] in mine:
                        continue
                    if _classroom_owns(rel):  # made again from the records when asked for
                        continue
                    rs.carry(rel)
            records.sort(key=lambda r: r["student"])
            _mark_near_roster(records)
            summary = summarize(records, names)
            if hidden:
                summary["ids"]["hidden"] = hidden
            rs.add("grades.csv", grades_csv(names, records))
            rs.add("grades.json", grades_json(header, records))
            rs.add("summary.md", summary_markdown(summary, title, lang))
            if extra_files is not None:
                extra_files(records, summary, rs)
            staged_feedback = rs.path("feedback/x").parent if feedback else None
            for rel, data in _classroom_extras(records, assignment, header, classroom, staged_feedback):
                rs.add(rel, data)
            rs.commit()
    except OSError as exc:  # a full disk, a folder that cannot be written: out is untouched
        raise CnncalcError(
            "grade.out_write_failed", path=str(out), reason=exc.strerror or str(exc)
        ) from exc
    summary["title"] = title
    return summary


def _mark_roster(records: list[dict[str, Any]], roster: list[str] | None,
                 previous: list[dict[str, Any]]) -> None:
    """``"not_on_roster": true`` on the fresh records whose id the ``--roster`` does not
    list (a fact for the summary, the csv gradebook and the report). Without a roster
    (an ``--only`` rerun) a regraded student keeps what their previous record said."""
    before = {r["student"]: r.get("not_on_roster", False) for r in previous}
    listed = set(roster) if roster is not None else None
    for r in records:
        off = before.get(r["student"], False) if listed is None else r["student"] not in listed
        if off:
            r["not_on_roster"] = True
        else:
            r.pop("not_on_roster", None)


def loose_id(student: str) -> str:
    """An id as a person reads it: case, surrounding spaces and character width
    (NFKC: full-width letters and digits) do not count.

    >>> loose_id(" Ana "), loose_id("ＡＮＡ"), loose_id("ana")
    ('ana', 'ana', 'ana')
    """
    import unicodedata

    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", student).casefold()).strip()


def _mark_near_roster(records: list[dict[str, Any]]) -> None:
    """``"roster_match": [ids]`` on each record marked ``not_on_roster`` whose id reads
    the same as a ``missing`` roster student's (``loose_id``): most likely the same
    student, whose file name differs from the roster. Said, never merged: two ids that
    differ only in case may be two students (docs/decisions.md). Made from all the
    records, so a full run and an ``--only`` rerun agree."""
    missing: dict[str, list[str]] = {}
    for r in records:
        if r["status"] == "missing" and not r.get("not_on_roster"):
            missing.setdefault(loose_id(r["student"]), []).append(r["student"])
    for r in records:
        match = missing.get(loose_id(r["student"])) if r.get("not_on_roster") else None
        if match:
            r["roster_match"] = sorted(match)
        else:
            r.pop("roster_match", None)


def _classroom_owns(rel: str) -> bool:
    """Files of ``grade --gradebook/--html``: never carried over, made from the records."""
    return rel.startswith("report/") or re.fullmatch(r"grades-[a-z]+\.csv", rel) is not None


def _classroom_extras(
    records: list[dict[str, Any]],
    assignment: Any,
    header: dict[str, Any],
    classroom: Any,
    feedback_dir: Path | None,
) -> list[tuple[str, bytes]]:
    """The files of ``grade --gradebook/--html`` (``classreport``), to be written with the report."""
    if classroom is None or not classroom.wanted:
        return []
    from cnncalc.grade.classreport import classroom_files
    from cnncalc.grade.names import feedback_name

    def feedback_text(student: str) -> str | None:
        path = None if feedback_dir is None else feedback_dir / feedback_name(student)
        return path.read_text(encoding="utf-8") if path is not None and path.is_file() else None

    return classroom_files(records, assignment, header, classroom, feedback=feedback_text)



def _pictures_of(rs: Any, student: str) -> set[str]:
    """The names of ``student``'s pictures in the current set's ``feedback/``."""
    from cnncalc.grade.pictures import picture_stem

    pattern = re.compile(re.escape(picture_stem(student)) + r"-[0-9]+\.png")
    return {rel[len("feedback/") :] for rel in rs.current_files()
            if rel.startswith("feedback/") and pattern.fullmatch(rel[len("feedback/") :])}


def _previous_records(rs: Any, path: Path, header: dict[str, Any]) -> list[dict[str, Any]]:
    if rs.current("grades.json") is None:
        raise CnncalcError("grade.only_no_report", path=str(path))
    try:
        old_header, records = load_records(path)
    except (OSError, ValueError, KeyError, AttributeError) as exc:
        raise CnncalcError("grade.only_bad_report", path=str(path), reason=str(exc)[:80]) from exc
    if old_header.get("fingerprint") != header["fingerprint"]:
        raise CnncalcError("grade.only_other_assignment", path=str(path))
    return records
