"""Gradebook files for Canvas, Moodle and Gradescope (and a plain CSV), from the
student records and a roster.

The records are ``StudentResult.to_json()`` dicts (or objects with ``to_json``):
``student``, ``status``, ``score``, ``max_score`` and ``problems`` (``name``,
``earned``, ``points``, ``answer``, ``wrong``). The roster is a CSV with a
``student`` column (the submission id) and any of ``name``, ``email``,
``sis_user_id``, ``sis_login_id``, ``section``, ``username``, ``idnumber``,
``canvas_id`` (header spellings such as "SIS User ID" or "Student ID" are
accepted). Each format is one entry of ``GRADEBOOKS``; docs/gradebooks.md cites
the documentation each follows and the import steps.

Spreadsheet safety: every text cell that a spreadsheet could read as a formula
(first character, or first after spaces, one of ``= + - @``, tab, CR, LF, or their
full-width forms ``＝ ＋ － ＠``) gets a leading ``'``. A cell that is exactly a
decimal number (``-1.5``, ``+2``, ``007``) is a number, not a formula, and is
written as it is, so scores stay numeric and a negative score stays a number.
NUL characters become U+FFFD. Quoting follows RFC 4180; lines end with CRLF.

>>> neutralise("=HYPERLINK(1)"), neutralise("-1.5"), neutralise("-1+1"), neutralise("Zoë")
("'=HYPERLINK(1)", '-1.5', "'-1+1", 'Zoë')
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cnncalc.errors import CnncalcError, ParameterError
from cnncalc.messages import text as say

_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?\Z")

ROSTER_FIELDS = ("student", "name", "email", "sis_user_id", "sis_login_id", "section",
                 "username", "idnumber", "canvas_id")
_ALIASES = {
    "student": ("student", "student id", "student_id", "studentid", "sid", "id"),
    "name": ("name", "full name", "full_name", "student name"),
    "email": ("email", "e-mail", "email address", "mail"),
    "sis_user_id": ("sis_user_id", "sis user id"),
    "sis_login_id": ("sis_login_id", "sis login id", "login id"),
    "section": ("section", "sections"),
    "username": ("username", "user name", "login"),
    "idnumber": ("idnumber", "id number", "id_number"),
    "canvas_id": ("canvas_id", "canvas id", "canvas user id"),
}


class RosterError(CnncalcError):
    """A roster that cannot be used (no ``student`` column, duplicate ids)."""


def neutralise(text: str) -> str:
    """``text`` safe for a spreadsheet cell (see the module docstring)."""
    text = str(text)
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    first = text[:1]
    if first not in _TRIGGERS and not first.isspace():  # most cells: nothing to do
        return text
    if _NUMBER.match(text):
        return text
    if text[:1] in _TRIGGERS or text.lstrip()[:1] in _TRIGGERS:
        return "'" + text
    return text


def spaced(student: str) -> str:
    """An id with surrounding spaces in quotes, so that the spaces can be seen.

    >>> spaced("ben "), spaced("ben")
    ('"ben "', 'ben')
    """
    return f'"{student}"' if student != student.strip() else student


def fmt_score(value: float) -> str:
    """A score as a plain decimal number: at most 2 decimals, no trailing zeros.

    >>> fmt_score(7.5510204), fmt_score(10.0), fmt_score(-2.5), fmt_score(-0.001)
    ('7.55', '10', '-2.5', '0')
    """
    out = f"{round(float(value), 2) + 0.0:.2f}".rstrip("0").rstrip(".")
    return "0" if out == "-0" else out


class Number(str):
    """A cell our own code formatted as a number: written without neutralising."""


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """RFC 4180 CSV (CRLF); ``Number`` cells as they are, every other cell neutralised.

    >>> csv_text([["id", "score"], ["=1+2", Number("-3")], ['a "b", c', Number("4")]])
    'id,score\\r\\n\\'=1+2,-3\\r\\n"a ""b"", c",4\\r\\n'
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow([c if isinstance(c, Number) else neutralise("" if c is None else c) for c in row])
    return buf.getvalue()


def read_roster_rows(text: str, file: str = "roster") -> list[dict[str, str]]:
    """Roster rows with canonical keys (``ROSTER_FIELDS``; other columns dropped).

    The delimiter is ``,``, ``;`` or tab (the first found in the header line);
    a BOM and surrounding spaces are removed; blank lines are skipped.

    >>> read_roster_rows('\\ufeffStudent ID;Name;E-mail\\nalice;"Lee, Alice";a@x.org\\n\\n')
    [{'student': 'alice', 'name': 'Lee, Alice', 'email': 'a@x.org'}]
    """
    text = text.lstrip("\ufeff")
    first = text.partition("\n")[0]
    delimiter = next((d for d in ",;\t" if d in first), ",")
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if any(c.strip() for c in r)]
    if not rows:
        raise RosterError("classroom.roster_empty", file=file)
    lookup = {alias: key for key, aliases in _ALIASES.items() for alias in aliases}
    header = [lookup.get(h.strip().lower()) for h in rows[0]]
    if "student" not in header:
        raise RosterError("classroom.roster_column", file=file)
    out: list[dict[str, str]] = []
    seen: dict[str, dict[str, str]] = {}
    for row in rows[1:]:
        item = {k: v.strip() for k, v in zip(header, row) if k is not None}
        if not item.get("student"):
            continue
        earlier = seen.get(item["student"])
        if earlier is not None:
            if earlier != item:  # the same row twice is harmless; two different rows are ambiguous
                raise RosterError("classroom.roster_twice", file=file, student=repr(item["student"]))
            continue
        seen[item["student"]] = item
        out.append(item)
    return out


# --------------------------------------------------------------------------- the lines


@dataclass
class Line:
    """One student of the gradebook: their roster row (may be empty), record (may be None)."""

    student: str
    roster: dict[str, str]
    record: dict[str, Any] | None

    def get(self, key: str) -> str:
        return self.roster.get(key, "")

    def score(self, missing_as: str) -> Number | str:
        r = self.record
        if r is None or r.get("status") == "missing":
            return Number("0") if missing_as == "zero" else ""
        return Number(fmt_score(r["score"]))


def as_record(record: Any) -> dict[str, Any]:
    return dict(record) if isinstance(record, Mapping) else record.to_json()


def _lines(records: Iterable[Any], roster: Sequence[Mapping[str, str]] | None) -> list[Line]:
    by_id = {r["student"]: r for r in map(as_record, records)}
    rows = {r["student"]: dict(r) for r in roster or ()}
    return [Line(s, rows.get(s, {}), by_id.get(s)) for s in sorted(set(by_id) | set(rows))]


@dataclass
class Gradebook:
    """The text of a gradebook file and what a teacher should know before importing it."""

    kind: str
    text: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Ctx:
    lines: list[Line]
    title: str
    max_score: float
    problem_names: list[str]
    missing_as: str
    notes: Mapping[str, list[str]]
    options: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    lang: str = "en"

    roster_given: bool = False
    # (message key, shared params) -> (student, as listed, own params) of each student warned
    groups: dict[tuple, list[tuple[str, str, dict[str, Any]]]] = field(default_factory=dict)

    def warn(self, key: str, *, student: str, shown: str | None = None, own: dict[str, Any] | None = None,
             **params: Any) -> None:
        """Note a warning about ``student``; ``finish`` says each reason once."""
        self.groups.setdefault((key, tuple(sorted(params.items()))), []).append(
            (student, shown or student, own or {}))

    def finish(self) -> list[str]:
        """One line per reason, in the order first met: a reason of one student says it
        of them; of several, their count and the first ``MAX_LISTED`` ids (``s01, s02, …``)."""
        for (key, shared), who in self.groups.items():
            params = dict(shared)
            if len(who) == 1:
                student, _, own = who[0]
                self.warnings.append(say(key, self.lang, student=student, **params, **own))
                continue
            names = ", ".join(_one_line(shown) for _, shown, _ in who[:MAX_LISTED])
            names += ", …" if len(who) > MAX_LISTED else ""
            self.warnings.append(say(_MANY[key], self.lang, count=len(who), names=names, **params))
        self.groups.clear()
        return self.warnings

    def off_roster(self, ln: Line) -> bool:
        """A submission whose id the roster does not list: this roster, or the one its
        record was graded with (``"not_on_roster"``, kept by an ``--only`` rerun)."""
        if ln.record is None:
            return False
        return bool(ln.record.get("not_on_roster")) or (self.roster_given and not ln.roster)

    def ids(self, ln: Line, platform: str, cells: Sequence[tuple[str, str]]) -> None:
        """What a teacher needs about the ids of one row before importing it: a
        submission whose id is not on the roster, an identifier cell that will be
        written with a formula guard (``'``) and so will not match as written."""
        record = ln.record or {}
        if record.get("several_files"):
            files = record["several_files"]
            self.warn("intake.gb_several_files", student=ln.student,
                      own={"count": len(files), "names": ", ".join(files)})
        if self.off_roster(ln):
            match = record.get("roster_match")
            if match:
                said = " / ".join(map(spaced, match))
                self.warn("intake.gb_near_roster", student=ln.student, shown=f"{spaced(ln.student)} → {said}",
                          own={"match": said})
            else:
                self.warn("classzh.gb_not_on_roster", student=ln.student)
        for column, value in cells:
            if value and neutralise(value) != value:
                self.warn("classzh.gb_guarded" if platform else "classzh.gb_guarded_any", student=ln.student,
                          platform=platform, column=say(f"classzh.col.{column}", self.lang))


def _canvas(ctx: _Ctx) -> list[list[Any]]:
    """Student, ID, SIS User ID, SIS Login ID, Section, then the assignment column."""
    rows: list[list[Any]] = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ctx.title]]
    if ctx.options.get("points_possible"):
        rows.append(["Points Possible", "", "", "", "", Number(fmt_score(ctx.max_score))])
    for ln in ctx.lines:
        sis = ln.get("sis_user_id") or (ln.student if not ln.roster else "")
        if not (ln.get("canvas_id") or sis or ln.get("sis_login_id")):
            ctx.warn("classroom.gb_no_canvas_id", student=ln.student)
        ctx.ids(ln, "Canvas", [("name", ln.get("name") or ln.student), ("sis_user_id", sis),
                               ("sis_login_id", ln.get("sis_login_id"))])
        rows.append([ln.get("name") or ln.student, ln.get("canvas_id"), sis, ln.get("sis_login_id"),
                     ln.get("section"), ln.score(ctx.missing_as)])
    return rows


_MOODLE_IDS = {"email": "Email address", "idnumber": "ID number", "username": "Username"}


def _moodle(ctx: _Ctx) -> list[list[Any]]:
    """An identifier column (map it to useremail / useridnumber / username), the name, the grade."""
    ident = ctx.options.get("moodle_identifier", "email")
    if ident not in _MOODLE_IDS:
        raise ParameterError("param.choice", parameter="moodle_identifier", choices=", ".join(_MOODLE_IDS), value=ident)
    feedback = ctx.options.get("feedback")
    header = [_MOODLE_IDS[ident], "Full name", ctx.title] + (["Feedback"] if feedback is not None else [])
    rows: list[list[Any]] = [header]
    for ln in ctx.lines:
        value = ln.get(ident) or (ln.student if ident == "username" and not ln.roster else "")
        if not value:
            ctx.warn("classroom.gb_no_moodle_id", student=ln.student, column=say(f"classzh.col.{ident}", ctx.lang))
            continue
        ctx.ids(ln, "Moodle", [(ident, value)])
        row = [value, ln.get("name") or ln.student, ln.score(ctx.missing_as)]
        rows.append(row + ([feedback.get(ln.student, "")] if feedback is not None else []))
    return rows


def _gradescope(ctx: _Ctx) -> list[list[Any]]:
    """Name, Email, SID and the score column; Gradescope matches students by email."""
    rows: list[list[Any]] = [["Name", "Email", "SID", ctx.title]]
    for ln in ctx.lines:
        if not ln.get("email"):
            ctx.warn("classroom.gb_no_email", student=ln.student)
        sid = ln.get("sis_user_id") or ln.get("idnumber") or ln.student
        ctx.ids(ln, "Gradescope", [("email", ln.get("email")), ("student", sid)])
        rows.append([ln.get("name") or ln.student, ln.get("email"), sid, ln.score(ctx.missing_as)])
    return rows


def _plain(ctx: _Ctx) -> list[list[Any]]:
    """Every roster field present, status, score, max_score, each problem, notes."""
    extra = [f for f in ROSTER_FIELDS[1:] if any(ln.get(f) for ln in ctx.lines)]
    rows: list[list[Any]] = [["student", *extra, "status", "score", "max_score", *ctx.problem_names, "notes"]]
    for ln in ctx.lines:
        r = ln.record
        status = r["status"] if r else "missing"
        earned = [Number(fmt_score(p["earned"])) for p in r["problems"]] if r else [""] * len(ctx.problem_names)
        score = Number(fmt_score(r["score"])) if r else ""
        ctx.ids(ln, "", [("student", ln.student)])
        notes = list(ctx.notes.get(ln.student, []))
        match = (r or {}).get("roster_match")
        if ctx.off_roster(ln):
            notes.insert(0, say("intake.near_roster", ctx.lang, match=" / ".join(map(spaced, match)))
                         if match else say("classzh.not_on_roster", ctx.lang))
        files = (r or {}).get("several_files")
        if files:
            notes.insert(0, say("intake.several_files", ctx.lang, count=len(files), names=", ".join(files),
                                student=ln.student))
        rows.append([ln.student, *(ln.get(f) for f in extra), status, score,
                     Number(fmt_score(ctx.max_score)), *earned, ("；" if ctx.lang == "zh" else "; ").join(notes)])
    return rows


@dataclass(frozen=True)
class Format:
    name: str
    build: Callable[[_Ctx], list[list[Any]]]
    description: str


GRADEBOOKS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("canvas", _canvas, "Canvas Gradebook import CSV"),
        Format("moodle", _moodle, "Moodle 'Import grades from CSV file'"),
        Format("gradescope", _gradescope, "Gradescope roster-style CSV with a score column"),
        Format("csv", _plain, "plain CSV: roster fields, status, scores, notes"),
    )
}


def gradebook(
    kind: str,
    records: Iterable[Any],
    roster: Sequence[Mapping[str, str]] | None = None,
    *,
    title: str,
    problem_names: Sequence[str] | None = None,
    notes: Mapping[str, list[str]] | None = None,
    missing_as: str = "blank",
    lang: str = "en",
    **options: Any,
) -> Gradebook:
    """The gradebook file of ``kind`` (a key of ``GRADEBOOKS``).

    Parameters
    ----------
    records : the grading records (``StudentResult`` or its ``to_json()`` dict).
    roster : rows from ``read_roster_rows``; students on it without a record get an
        empty score, students with a record but no roster row get a row from their id.
    title : the assignment column's name (Canvas: the assignment, or a new one).
    notes : per student, sentences for the ``csv`` notes column (``similarity_notes``).
    missing_as : ``"blank"`` (default: no grade) or ``"zero"`` for ``missing`` students.
    options : ``points_possible=True`` (canvas: a "Points Possible" row under the
        header), ``moodle_identifier="email"|"idnumber"|"username"``,
        ``feedback={student: text}`` (moodle: a Feedback column, shown to students).

    Examples
    --------
    >>> rec = {"student": "s1", "status": "ok", "score": 7.5, "max_score": 10, "problems": [{"earned": 7.5}]}
    >>> roster = [{"student": "s1", "name": "Lee, Ann", "sis_user_id": "1001", "section": "A"}]
    >>> gradebook("canvas", [rec], roster, title="HW 3").text.splitlines()
    ['Student,ID,SIS User ID,SIS Login ID,Section,HW 3', '"Lee, Ann",,1001,,A,7.5']
    """
    if kind not in GRADEBOOKS:
        raise ParameterError("param.choice", parameter="gradebook", choices=", ".join(GRADEBOOKS), value=kind)
    if missing_as not in ("blank", "zero"):
        raise ParameterError("param.choice", parameter="missing_as", choices="blank, zero", value=missing_as)
    lines = _lines(records, roster)
    recs = [ln.record for ln in lines if ln.record is not None]
    max_score = float(recs[0]["max_score"]) if recs else 0.0
    names = list(problem_names) if problem_names is not None else (
        [p.get("name", f"problem {i + 1}") for i, p in enumerate(recs[0]["problems"])] if recs else [])
    ctx = _Ctx(lines, title, max_score, names, missing_as, notes or {}, options, lang=lang,
               roster_given=roster is not None)
    rows = GRADEBOOKS[kind].build(ctx)
    return Gradebook(kind, csv_text(rows), ctx.finish())


MAX_LISTED = 5  # ids named in a warning about several students
# a warning about one student -> the same reason said of several
_MANY = {
    "classroom.gb_no_canvas_id": "intake.gb_no_canvas_id_many",
    "classroom.gb_no_moodle_id": "intake.gb_no_moodle_id_many",
    "classroom.gb_no_email": "intake.gb_no_email_many",
    "classzh.gb_not_on_roster": "intake.gb_not_on_roster_many",
    "classzh.gb_guarded": "intake.gb_guarded_many",
    "classzh.gb_guarded_any": "intake.gb_guarded_any_many",
    "intake.gb_near_roster": "intake.gb_near_roster_many",
    "intake.gb_several_files": "intake.gb_several_files_many",
}


def _one_line(student: str) -> str:
    return student.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
