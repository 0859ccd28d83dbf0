"""One feedback file per student: score, status, and per problem which cells are
wrong and why, in the student's language (``--lang``).

>>> feedback_name("alice"), feedback_name("a/b"), feedback_name("..")
('alice.md', 'a%2Fb.md', '%2E..md')
"""

from __future__ import annotations

import hashlib
import os
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from cnncalc.grade.grader import fmt_score
from cnncalc.grade.names import feedback_name, markdown_id
from cnncalc.grade.summary import fmt_num
from cnncalc.grade.words import label_name, status_name
from cnncalc.messages import text


def feedback_markdown(
    result: Any, title: str, lang: str, decimals: int = 2, *, pictures: dict[int, str] | None = None
) -> str:
    """One student's feedback (a ``StudentResult``): status, score, per problem the wrong
    cells and why, in ``lang``. ``pictures`` (``{problem index (1-based): PNG file name}``,
    from ``grade --pictures``) adds each problem's marked picture under its heading."""

    def t(key: str, **kw: Any) -> str:
        return text(key, lang, **kw)

    student = _one_line(markdown_id(result.student))  # `[x](http:evil)` or `a|b` stay text
    lines = [f"# {_html(t('grade.feedback_title', title=title or 'cnncalc', student=student))}", ""]
    score = t(
        "grade.feedback_score",
        score=fmt_score(result.score),
        max_score=fmt_score(result.max_score),
        status=status_name(result.status, lang),
    )
    lines += [score, ""]
    if result.message:
        lines += [f"> {_html(result.message)}", ""]
    lines += [f"- {_html(note)}" for note in result.notes]
    if result.notes:
        lines.append("")
    if result.status in ("ok", "partial"):
        for k, p in enumerate(result.problems, start=1):
            lines += [f"## {_html(p.name)} — {fmt_score(p.earned)}/{fmt_score(p.points)}", ""]
            if pictures and k in pictures:
                from cnncalc.grade.pictures import picture_link

                lines += [picture_link(p.name, pictures[k]), ""]
            lines += _problem_lines(p, lang, decimals)
    return "\n".join(lines).rstrip("\n") + "\n"


def _problem_lines(p: Any, lang: str, decimals: int) -> list[str]:
    r = p.result
    if not p.answered:
        return [_fixed("grade.fb_unanswered", lang), ""]
    if r is None:
        return [_fixed("grade.fb_right", lang), ""]
    lines = []
    if not r.shape_ok:
        got, expected = _shape(r.got_shape), _shape(r.expected_shape)
        lines.append(text("grade.fb_shape", lang, got=got, expected=expected))
        if not r.diagnosis:  # else the diagnosis sentence says what gives the answer's shape
            lines.append(_fixed("check.shape_unexplained", lang))
        lines.append("")
    else:
        lines += [text("grade.fb_wrong_count", lang, wrong=len(r.wrong), cells=r.cells), ""]
        lines += _table_head(lang)
        for w in r.wrong:
            where = f"({w.row}, {w.col})"
            if r.maps > 1:
                where += " · " + text("grade.map", lang, index=w.map)
            shown = _as_written(p.rows, w) or w.written or fmt_num(w.got)
            lines.append(f"| {where} | {_html(shown)} | {fmt_num(w.expected)} | {_cause(w.cause, lang)} |")
        lines.append("")
    for label in r.diagnosis:
        params = r.sentence_params(label)
        params["decimals"] = decimals
        try:
            sentence = _sentence(label, lang, _frozen(params))
        except TypeError:  # a detail that cannot be a cache key
            from cnncalc.check.compare import diagnosis_sentence

            sentence = diagnosis_sentence(label, lang, student=True, **params)
        lines.append(f"- {sentence}")
    if r.diagnosis:
        lines.append("")
    return lines


def _html(value: str) -> str:
    """Text for Markdown that a viewer or an LMS renders: ``&``, ``<`` and ``>`` as HTML
    entities, so a file name or a line such as ``<img onerror=...>`` is never live HTML.

    >>> _html("<img src=x onerror=alert(1)> & co")
    '&lt;img src=x onerror=alert(1)&gt; &amp; co'
    """
    if "<" not in value and ">" not in value and "&" not in value:
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@cache
def _fixed(key: str, lang: str) -> str:
    return text(key, lang)


@cache
def _cause(cause: str, lang: str) -> str:
    return label_name(cause, lang)


@cache
def _table_head(lang: str) -> tuple[str, str]:
    cols = [_fixed(k, lang) for k in ("grade.col_cell", "grade.col_written", "grade.col_expected", "grade.col_cause")]
    return "| " + " | ".join(cols) + " |", "|---|---:|---:|---|"


def _frozen(value: Any) -> Any:
    """Details as a cache key: dicts and lists become sorted tuples."""
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("__list__",) + tuple(_frozen(v) for v in value)
    return value


def _thawed(value: Any) -> Any:
    if isinstance(value, tuple) and value[:1] == ("__list__",):
        return [_thawed(v) for v in value[1:]]
    if isinstance(value, tuple) and all(isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in value):
        return {k: _thawed(v) for k, v in value}
    return value


@lru_cache(maxsize=4096)
def _sentence(label: str, lang: str, params: tuple) -> str:
    """The student's sentence (no command-line advice: that is the teacher's view)."""
    from cnncalc.check.compare import diagnosis_sentence

    return diagnosis_sentence(label, lang, student=True, **_thawed(params))


def _as_written(rows: list[list[str]] | None, cell: Any) -> str | None:
    """The number of ``cell`` exactly as the student wrote it, from their rows."""
    try:
        return rows[cell.map - 1][cell.row - 1].split()[cell.col - 1]  # type: ignore[index]
    except (TypeError, IndexError):
        return None


def _shape(shape: Any) -> str:
    if shape and isinstance(shape[0], tuple):
        return ", ".join(_shape(s) for s in shape)
    return "×".join(str(n) for n in shape)


class FeedbackWriter:
    """Writes ``<student>.md`` files into ``folder`` (the fresh report set's ``feedback/``,
    ``reportset.ReportSet``): nothing is written into the report folder itself, so a
    crash leaves no half-written feedback behind.
    With ``expected`` (every problem's exact values: ``grade --pictures``) each wrong
    answer also gets a marked PNG beside the file (``gradepictures``), linked from it.
    """

    def __init__(
        self,
        folder: Path,
        title: str,
        lang: str,
        decimals: int,
        *,
        expected: list[Any] | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.title, self.lang, self.decimals = title, lang, decimals
        self.pictures: Any = None  # gradepictures.FeedbackPictures
        if expected is not None:
            from cnncalc.grade.pictures import FeedbackPictures

            self.pictures = FeedbackPictures(expected, precision=decimals, lang=lang)
        self.hashes: dict[str, str] = {}  # name -> SHA-256 of every file written here
        self.folder.mkdir(parents=True, exist_ok=True)

    def write(self, results: list[Any]) -> dict[str, str]:
        """Render and write the feedback of ``results`` (``StudentResult``); returns the
        SHA-256 of each file written, by name (the report set's manifest takes them
        instead of reading the files back)."""
        hashes: dict[str, str] = {}
        if not results:
            return hashes
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
        folder = os.open(self.folder, os.O_RDONLY)
        try:
            for r in results:
                pictures = self.pictures.write(self.folder, r) if self.pictures is not None else {}
                body = feedback_markdown(r, self.title, self.lang, self.decimals, pictures=pictures)
                data = body.encode("utf-8")
                name = feedback_name(r.student)
                hashes[name] = hashlib.sha256(data).hexdigest()
                fd = os.open(name, flags, 0o644, dir_fd=folder)
                try:
                    while data:
                        data = data[os.write(fd, data) :]
                finally:
                    os.close(fd)
        finally:
            os.close(folder)
        self.hashes.update(hashes)
        return hashes


def _one_line(student: str) -> str:
    r"""A student id for a heading: a newline or tab in a file name is shown as ``\n``/``\t``."""
    return student.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
