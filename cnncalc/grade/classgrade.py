"""Grading per-student variants: ``variants.json`` (written by ``make``) names each
student's own assignment; every student is checked against theirs.

``load_variants`` gives a ``ClassVariants`` that ``run_grade`` takes in place of an
assignment: its ``problems``, ``title`` and ``decimals`` are the first variant's
(names and points are the same for every student), and its ``grader`` checks each
submission with the grader of that student's variant.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from cnncalc.check.assignment import Assignment, load_assignment
from cnncalc.errors import AssignmentError, CnncalcError
from cnncalc.grade.grader import Grader, StudentResult
from cnncalc.grade.submissions import DEFAULT_MAX_BYTES, Submission
from cnncalc.messages import text

VARIANTS_FORMAT = "cnncalc-variants"


class ClassVariants:
    """Every student's assignment, read from ``variants.json``."""

    def __init__(self, path: Path, students: dict[str, Assignment], default: Assignment | None) -> None:
        self.path = path
        self.students = students
        self.default = default
        base = default if default is not None else next(iter(students.values()))
        self.base = base
        self.title = base.title
        self.decimals = base.decimals
        self.problems = base.problems

    def assignment_for(self, student: str) -> Assignment | None:
        return self.students.get(student, self.default)

    def keys(self) -> dict[str, list[np.ndarray]]:
        """Each student's exact results (for the "equals the key of" notes)."""
        return {s: [p.expected for p in a.problems] for s, a in self.students.items()}

    def shapes(self, records: list[dict[str, Any]]) -> dict[str, list[list[int]]]:
        """Each graded student's answer shapes, problem by problem."""
        out = {}
        for r in records:
            a = self.assignment_for(r["student"])
            if a is not None:
                out[r["student"]] = [list(np.shape(p.expected)) for p in a.problems]
        return out

    def grader(self, *, max_bytes: int = DEFAULT_MAX_BYTES, lang: str = "en") -> VariantGrader:
        return VariantGrader(self, max_bytes=max_bytes, lang=lang)


def load_variants(path: Path | str) -> ClassVariants:
    """Read ``variants.json`` and every assignment it names (relative to it)."""
    from cnncalc.read import decode_bytes, read_bytes

    path = Path(path)
    name = str(path)
    try:
        data = json.loads(decode_bytes(read_bytes(path, max_bytes=64 << 20), name))
        if not isinstance(data, dict) or data.get("format") != VARIANTS_FORMAT:
            raise ValueError("format")
        students = data["students"]
        default = data.get("default")
        if not isinstance(students, dict) or not (students or default):
            raise ValueError("students")
    except (ValueError, KeyError) as exc:
        raise AssignmentError("classroom.variants_bad", file=name, reason=str(exc)[:80]) from exc
    loaded: dict[str, Assignment] = {}
    cache: dict[str, Assignment] = {}
    for student, rel in sorted(students.items()):
        if rel not in cache:
            cache[rel] = load_assignment(path.parent / str(rel))
        loaded[str(student)] = cache[rel]
    fallback = load_assignment(path.parent / str(default)) if default else None
    return ClassVariants(path, loaded, fallback)


class VariantGrader:
    """A ``Grader`` that hands each student to the grader of their own variant."""

    def __init__(self, variants: ClassVariants, *, max_bytes: int = DEFAULT_MAX_BYTES, lang: str = "en") -> None:
        self.variants = variants
        self.max_bytes = max_bytes
        self.lang = lang
        self.base = Grader(variants.base, max_bytes=max_bytes, lang=lang)
        self.problems = self.base.problems
        self._graders: dict[int, Grader] = {id(variants.base): self.base}

    def grader_for(self, student: str) -> Grader | None:
        a = self.variants.assignment_for(student)
        if a is None:
            return None
        g = self._graders.get(id(a))
        if g is None:
            g = self._graders[id(a)] = Grader(a, max_bytes=self.max_bytes, lang=self.lang)
        return g

    def blank(self, student: str, status: str, message: str | None) -> StudentResult:
        return self.base.blank(student, status, message)

    def forget(self) -> None:
        """Drop the parsed answers every variant's grader kept (a chunk of the class is done)."""
        for grader in self._graders.values():
            grader.forget()

    def read_many(self, subs: list[Submission]) -> list[StudentResult]:
        out = []
        for sub in subs:
            g = self.grader_for(sub.student)
            if g is None:
                out.append(self._no_variant(sub))
            else:
                out += g.read_many([sub])
        return out

    def _no_variant(self, sub: Submission) -> StudentResult:
        """A student ``variants.json`` does not list: read as any submission, so a file
        that is too large, unreadable or empty keeps that status; one that can be read
        is ``malformed`` with the reason (nothing to check it against), and a parse
        error it had becomes a note."""
        (result,) = self.base.read_many([sub])
        if result.status in ("too-large", "unreadable", "empty"):
            return result
        said = text("classroom.no_variant", self.lang, student=sub.student)
        blank = self.base.blank(sub.student, "malformed", said)
        blank.files, blank.several_files = result.files, result.several_files
        blank.notes = ([result.message] if result.status == "malformed" and result.message else []) + result.notes
        return blank

    def check(self, results: list[StudentResult], progress: Any = None) -> None:
        groups: dict[int, tuple[Grader, list[StudentResult]]] = {}
        for r in results:
            g = self.grader_for(r.student)
            if g is not None and r.status in ("ok", "partial"):
                groups.setdefault(id(g), (g, []))[1].append(r)
        for g, group in groups.values():
            g.check(group)
        if progress is not None:
            total = sum(len(r.problems) for r in results)
            progress("check", total, total)


def variants_only_error(pictures: bool, assignment: Any) -> None:
    """Marked pictures need one expected result per problem: refused with variants."""
    if pictures and isinstance(assignment, ClassVariants):
        raise CnncalcError("classroom.pictures_variants")
