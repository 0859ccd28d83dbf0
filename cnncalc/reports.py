"""Grading reports: gradebook CSV and JSON, class summary, per-student feedback.

Everything here is a pure function of the student records (``StudentResult.to_json()``
dicts), so a full run and an ``--only`` rerun that reloads ``grades.json`` produce
the same bytes. No timestamps, rows sorted by student, floats in one stable form.

``grades.json`` holds one student per line, so a regrade of one student changes
one line:

.. code-block:: text

    {
    "title": "...", "fingerprint": "...", "problems": [...],
    "students": [
    {"student": "alice", "status": "ok", "score": 30, ...},
    {"student": "bob", ...}
    ]
    }

>>> csv_row(["a,b", "1"])
'"a,b",1'
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import statistics
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from cnncalc.errors import CnncalcError
from cnncalc.grading import STATUSES, fmt_score
from cnncalc.matrix_io import atomic_write
from cnncalc.messages import text

HISTOGRAM_BINS = 10
TOP_CELLS = 5
TOP_DIAGNOSES = 8


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


# --------------------------------------------------------------------------- summary


def summarize(records: list[dict[str, Any]], problem_names: list[str]) -> dict[str, Any]:
    """Class statistics: status counts, score stats (of everyone who handed something
    in), a histogram of score percentages, most often wrong cells and diagnoses."""
    statuses = Counter(r["status"] for r in records)
    handed = [r for r in records if r["status"] != "missing"]
    scores = [float(r["score"]) for r in handed]
    max_score = float(records[0]["max_score"]) if records else 0.0
    stats: dict[str, Any] = {"count": len(scores), "max_score": max_score}
    if scores:
        stats.update(
            mean=round(statistics.fmean(scores), 6),
            median=round(statistics.median(scores), 6),
            min=min(scores),
            max=max(scores),
        )
    bins = [0] * HISTOGRAM_BINS
    if max_score > 0:
        for s in scores:
            bins[min(int(s / max_score * HISTOGRAM_BINS + 1e-9), HISTOGRAM_BINS - 1)] += 1
    width = 100 // HISTOGRAM_BINS
    histogram = [
        {"from": i * width, "to": (i + 1) * width, "count": n} for i, n in enumerate(bins)
    ]
    problems = []
    overall: Counter = Counter()
    for i, name in enumerate(problem_names):
        cells: Counter = Counter()
        expected_at: dict[tuple, float] = {}
        diagnoses: Counter = Counter()
        answered = right = shape_wrong = 0
        for r in handed:
            p = r["problems"][i]
            if not p.get("answered"):
                continue
            answered += 1
            if not p.get("shape_ok", True):
                shape_wrong += 1
            elif not p["wrong"]:
                right += 1
            for w in p["wrong"]:
                key = (w.get("map", 1), w["row"], w["col"])
                cells[key] += 1
                expected_at.setdefault(key, w["expected"])
            diagnoses.update(p["diagnosis"])
        overall.update(diagnoses)
        problems.append(
            {
                "name": name,
                "answered": answered,
                "right": right,
                "wrong_shape": shape_wrong,
                "wrong_cells": [
                    {"map": k[0], "row": k[1], "col": k[2], "count": n, "expected": expected_at[k]}
                    for k, n in sorted(cells.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_CELLS]
                ],
                "diagnoses": _top(diagnoses),
            }
        )
    return {
        "students": len(records),
        "statuses": {s: statuses.get(s, 0) for s in STATUSES},
        "scores": stats,
        "histogram": histogram,
        "problems": problems,
        "diagnoses": _top(overall),
    }


def _top(counter: Counter) -> list[dict[str, Any]]:
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_DIAGNOSES]
    return [{"label": k, "count": n} for k, n in items]


def bar(count: int, most: int, width: int = 30) -> str:
    """A bar of ``█`` proportional to ``count`` (at least one block when non-zero)."""
    if most <= 0 or count <= 0:
        return ""
    return "█" * max(1, round(width * count / most))


def summary_markdown(summary: dict[str, Any], title: str, lang: str) -> str:
    """``summary.md``: the class summary for people, in ``lang``."""
    from cnncalc.checking import diagnosis_sentence

    t = lambda key, **kw: text(key, lang, **kw)  # noqa: E731
    s = summary["scores"]
    lines = [f"# {t('grade.summary_title', title=title or 'cnncalc')}", ""]
    lines += [f"## {t('grade.h_statuses')}", "", f"| {t('grade.col_status')} | {t('grade.col_students')} |", "|---|---:|"]
    lines += [f"| {k} | {n} |" for k, n in summary["statuses"].items() if n]
    lines += [f"| **{t('grade.total')}** | **{summary['students']}** |", ""]
    lines += [f"## {t('grade.h_scores')}", ""]
    if s["count"]:
        lines.append(
            t(
                "grade.score_line",
                count=s["count"],
                mean=fmt_score(s["mean"]),
                median=fmt_score(s["median"]),
                min=fmt_score(s["min"]),
                max=fmt_score(s["max"]),
                max_score=fmt_score(s["max_score"]),
            )
        )
    else:
        lines.append(t("grade.no_scores"))
    lines += ["", "```"]
    most = max((b["count"] for b in summary["histogram"]), default=0)
    for b in summary["histogram"]:
        label = f"{b['from']:>3}–{b['to']:<3}%"
        lines.append(f"{label} {b['count']:>6} {bar(b['count'], most)}".rstrip())
    lines += ["```", ""]
    for p in summary["problems"]:
        lines += [f"## {p['name']}", ""]
        lines.append(t("grade.problem_line", answered=p["answered"], right=p["right"], shape=p["wrong_shape"]))
        lines.append("")
        if p["wrong_cells"]:
            lines += [f"| {t('grade.col_cell')} | {t('grade.col_expected')} | {t('grade.col_wrong_in')} |", "|---|---:|---:|"]
            for c in p["wrong_cells"]:
                where = f"({c['row']}, {c['col']})" + (f" · {t('grade.map', index=c['map'])}" if c["map"] != 1 else "")
                lines.append(f"| {where} | {fmt_num(c['expected'])} | {c['count']} |")
            lines.append("")
        for d in p["diagnoses"]:
            lines.append(f"- **{d['label']}** ×{d['count']}: {diagnosis_sentence(d['label'], lang)}")
        if p["diagnoses"]:
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def fmt_num(value: float, decimals: int = 4) -> str:
    """A value for people: up to ``decimals`` decimals, trailing zeros cut.

    >>> fmt_num(7 / 9), fmt_num(-1.0), fmt_num(0.5)
    ('0.7778', '-1', '0.5')
    """
    out = f"{round(float(value), decimals) + 0.0:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if out == "-0" else out


# --------------------------------------------------------------------------- feedback


def feedback_markdown(result: Any, title: str, lang: str, decimals: int = 2) -> str:
    """One student's feedback (a ``StudentResult``): status, score, per problem the wrong
    cells and why, in ``lang``."""
    from cnncalc.checking import diagnosis_sentence

    t = lambda key, **kw: text(key, lang, **kw)  # noqa: E731
    lines = [f"# {t('grade.feedback_title', title=title or 'cnncalc', student=result.student)}", ""]
    lines.append(
        t("grade.feedback_score", score=fmt_score(result.score), max_score=fmt_score(result.max_score), status=result.status)
    )
    lines.append("")
    if result.message:
        lines += [f"> {result.message}", ""]
    for note in result.notes:
        lines.append(f"- {note}")
    if result.notes:
        lines.append("")
    if result.status not in ("ok", "partial"):
        return "\n".join(lines).rstrip("\n") + "\n"
    for p in result.problems:
        head = f"## {p.name} — {fmt_score(p.earned)}/{fmt_score(p.points)}"
        lines += [head, ""]
        r = p.result
        if not p.answered:
            lines += [t("grade.fb_unanswered"), ""]
            continue
        if r is None:
            lines += [t("grade.fb_right"), ""]
            continue
        if not r.shape_ok:
            lines.append(t("grade.fb_shape", got=_shape(r.got_shape), expected=_shape(r.expected_shape)))
            if r.shape_hint:
                lines.append(t("grade.fb_shape_hint", hint=r.shape_hint))
            lines.append("")
        else:
            lines += [t("grade.fb_wrong_count", wrong=len(r.wrong), cells=r.cells), ""]
            multi = r.maps > 1
            head_cells = [t("grade.col_cell"), t("grade.col_written"), t("grade.col_expected"), t("grade.col_cause")]
            lines += ["| " + " | ".join(head_cells) + " |", "|---|---:|---:|---|"]
            for w in r.wrong:
                where = f"({w.row}, {w.col})" + (f" · {t('grade.map', index=w.map)}" if multi else "")
                lines.append(f"| {where} | {w.written or fmt_num(w.got)} | {fmt_num(w.expected)} | {w.cause} |")
            lines.append("")
        for label in r.diagnosis:
            params = dict(r.details.get(label, {}))
            params.setdefault("count", r.explained.get(label))
            params.setdefault("wrong", len(r.wrong))
            params.setdefault("decimals", decimals)
            lines.append(f"- {diagnosis_sentence(label, lang, **params)}")
        if r.diagnosis:
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _shape(shape: Any) -> str:
    if shape and isinstance(shape[0], tuple):
        return ", ".join(_shape(s) for s in shape)
    return "×".join(str(n) for n in shape)


def feedback_name(student: str) -> str:
    """The feedback file of a student: ``<student>.md`` (path separators replaced).

    >>> feedback_name("alice"), feedback_name("a/b")
    ('alice.md', 'a_b.md')
    """
    safe = student.replace("/", "_").replace("\\", "_").replace("\x00", "_")
    if safe in (".", ".."):
        safe = safe.replace(".", "_")
    return safe + ".md"


# --------------------------------------------------------------------------- writing


def write_feedback_folder(out: Path, files: dict[str, str]) -> None:
    """Write every feedback file into a fresh folder, then swap it in place of
    ``out/feedback``: readers see the old folder or the new one, never a mix."""
    final = out / "feedback"
    tmp = out / ".feedback.tmp"
    old = out / ".feedback.old"
    for stale in (tmp, old):
        if stale.exists():
            shutil.rmtree(stale)
    tmp.mkdir(parents=True)
    for name, body in files.items():
        with open(tmp / name, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(body)
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    if old.exists():
        shutil.rmtree(old)


def summary_plain(summary: dict[str, Any], title: str, lang: str) -> str:
    """The class summary as plain text (piped terminals, ``--format plain``)."""
    t = lambda key, **kw: text(key, lang, **kw)  # noqa: E731
    s = summary["scores"]
    lines = [t("grade.summary_title", title=title or "cnncalc"), ""]
    counts = " · ".join(f"{k} {n}" for k, n in summary["statuses"].items())
    lines.append(f"{t('grade.h_statuses')}: {counts} ({t('grade.total')} {summary['students']})")
    if s["count"]:
        lines.append(
            t(
                "grade.score_line",
                count=s["count"],
                mean=fmt_score(s["mean"]),
                median=fmt_score(s["median"]),
                min=fmt_score(s["min"]),
                max=fmt_score(s["max"]),
                max_score=fmt_score(s["max_score"]),
            )
        )
    else:
        lines.append(t("grade.no_scores"))
    lines += ["", t("grade.h_histogram") + ":"]
    most = max((b["count"] for b in summary["histogram"]), default=0)
    for b in summary["histogram"]:
        lines.append(f"  {b['from']:>3}–{b['to']:<3}% {b['count']:>6} {bar(b['count'], most)}".rstrip())
    for p in summary["problems"]:
        lines += ["", f"{p['name']}: " + t("grade.problem_line", answered=p["answered"], right=p["right"], shape=p["wrong_shape"])]
        if p["wrong_cells"]:
            cells = ", ".join(
                f"({c['row']}, {c['col']})" + (f" {t('grade.map', index=c['map'])}" if c["map"] != 1 else "")
                + f" ×{c['count']}"
                for c in p["wrong_cells"]
            )
            lines.append(f"  {t('grade.h_cells')}: {cells}")
        if p["diagnoses"]:
            lines.append(f"  {t('grade.h_diagnoses')}: " + ", ".join(f"{d['label']} ×{d['count']}" for d in p["diagnoses"]))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- one run


def check_out_folder(folder: Path, out: Path) -> None:
    """Refuse a report folder inside the submissions (or submissions inside ``out/feedback``)."""
    f = os.path.realpath(folder)
    o = os.path.realpath(out)

    def within(a: str, b: str) -> bool:
        return a == b or a.startswith(b.rstrip(os.sep) + os.sep)

    if within(o, f):
        raise CnncalcError("grade.out_inside", out=str(out), folder=str(folder))
    for name in ("feedback", ".feedback.tmp", ".feedback.old"):
        if within(f, os.path.join(o, name)):
            raise CnncalcError("grade.out_over", out=str(out / name), folder=str(folder))


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
) -> dict[str, Any]:
    """Grade ``folder`` and write the reports into ``out``; returns the class summary.

    With ``only`` the earlier ``grades.json`` in ``out`` is read back, that one
    student is regraded, and only their row, their feedback and the summary change.
    """
    from cnncalc.grading import Grader, grade_folder

    folder, out = Path(folder), Path(out)
    check_out_folder(folder, out)
    header = assignment_header(assignment, [p.expected for p in assignment.problems])
    names = [p["name"] for p in header["problems"]]
    previous: list[dict[str, Any]] = []
    if only is not None:
        previous = _previous_records(out / "grades.json", header)
    results = grade_folder(
        folder, assignment, max_bytes=max_bytes, roster=roster, only=only, lang=lang,
        skip=skip, progress=progress,
    )
    if only is not None:
        if not results:
            if not any(r["student"] == only for r in previous):
                raise CnncalcError("grade.only_unknown", student=only)
            grader = Grader(assignment, max_bytes=max_bytes, lang=lang)
            results = [grader.blank(only, "missing", text("grade.missing", lang))]
        records = [r for r in previous if r["student"] != only] + [r.to_json() for r in results]
    else:
        records = [r.to_json() for r in results]
    records.sort(key=lambda r: r["student"])
    summary = summarize(records, names)
    title = header["title"]
    decimals = int(getattr(assignment, "decimals", 2))
    if feedback:
        files = {}
        for n, r in enumerate(results, start=1):
            files[feedback_name(r.student)] = feedback_markdown(r, title, lang, decimals)
            if progress is not None and (n % 256 == 0 or n == len(results)):
                progress("write", n, len(results))
        if only is None:
            write_feedback_folder(out, files)
        else:
            for name, body in files.items():
                atomic_write(out / "feedback" / name, body)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out / "grades.csv", grades_csv(names, records))
    atomic_write(out / "grades.json", grades_json(header, records))
    atomic_write(out / "summary.md", summary_markdown(summary, title, lang))
    summary["title"] = title
    return summary


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
