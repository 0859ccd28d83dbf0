"""The extra files of a grading report for a class: gradebooks for learning
platforms (``grades-<kind>.csv``) and the HTML class report (``report/``).

``classroom_files`` returns them as ``(path relative to the report folder, bytes)``,
so they are written with the rest of the report in one go. The similarity notes
(``gradenotes``: shared wrong answers; with per-student variants, answers that
equal another student's key) go into the ``csv`` gradebook and the HTML report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

GRADEBOOK_FILE = "grades-{kind}.csv"
REPORT_DIR = "report"


@dataclass
class ClassroomOptions:
    """What ``grade --gradebook/--html`` asked for; ``warnings`` collects what a
    teacher should read before importing (said by the CLI)."""

    gradebooks: tuple[str, ...] = ()
    html: bool = False
    roster_rows: list[dict[str, str]] | None = None
    lang: str = "en"
    missing_as: str = "blank"
    moodle_id: str = "email"
    warnings: list[str] = field(default_factory=list)

    @property
    def wanted(self) -> bool:
        return bool(self.gradebooks or self.html)


def classroom_files(
    records: list[dict[str, Any]],
    assignment: Any,
    header: dict[str, Any],
    options: ClassroomOptions,
    *,
    feedback: Callable[[str], str | None] | None = None,
) -> list[tuple[str, bytes]]:
    """The gradebook files and the report pages for ``records`` (sorted by student)."""
    from cnncalc.grade.classgrade import ClassVariants
    from cnncalc.grade.gradebook import gradebook
    from cnncalc.grade.gradenotes import similarity_notes
    from cnncalc.messages import text

    variants = assignment if isinstance(assignment, ClassVariants) else None
    keys = variants.keys() if variants is not None else None
    notes = similarity_notes(records, keys=keys, lang=options.lang)
    title = header["title"] or "grade"
    names = [p["name"] for p in header["problems"]]
    files: list[tuple[str, bytes]] = []
    for kind in dict.fromkeys(options.gradebooks):
        gb = gradebook(kind, records, options.roster_rows, title=title, problem_names=names, notes=notes,
                       missing_as=options.missing_as, lang=options.lang, moodle_identifier=options.moodle_id)
        files.append((GRADEBOOK_FILE.format(kind=kind), gb.text.encode("utf-8")))
        options.warnings += [text("classroom.gb_warning", options.lang, kind=kind, warning=w) for w in gb.warnings]
    if options.html:
        from cnncalc.grade.htmlreport import report_files

        texts = {}
        if feedback is not None:
            for r in records:
                t = feedback(r["student"])
                if t:
                    texts[r["student"]] = t
        expected = None if variants is not None else [p.expected for p in assignment.problems]
        shapes = variants.shapes(records) if variants is not None else None
        files += [
            (f"{REPORT_DIR}/{rel}", data)
            for rel, data in report_files(
                records, header["problems"], title=title, expected=expected, lang=options.lang,
                feedback=texts, notes=notes, explain=_explainer(options.lang),
                decimals=int(getattr(assignment, "decimals", 2)), shapes=shapes,
            )
        ]
    return files


def _explainer(lang: str) -> Callable[[str], str] | None:
    """A diagnosis label in a short sentence, when the checker has one."""
    from cnncalc.messages import MESSAGES, text

    lead = text("check.lead.some", lang)

    def explain(label: str) -> str:
        key = f"check.diag.{label}"
        if "+" in label:  # a pair: the summary's sentence names both mistakes
            from cnncalc.check.compare import diagnosis_sentence

            return diagnosis_sentence(label, lang)
        if key not in MESSAGES:
            return ""
        try:
            return MESSAGES[key].get(lang, MESSAGES[key]["en"]).format(lead=lead, decimals=2, n="N")
        except (KeyError, IndexError, ValueError):
            return ""

    return explain
