"""One feedback file per student: score, status, and per problem which cells are
wrong and why, in the student's language (``--lang``).

>>> feedback_name("alice"), feedback_name("a/b"), feedback_name("..")
('alice.md', 'a_b.md', '__.md')
"""

from __future__ import annotations

import os
import shutil
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from cnncalc.grade.grader import fmt_score
from cnncalc.grade.names import feedback_name
from cnncalc.grade.summary import fmt_num
from cnncalc.messages import text


def feedback_markdown(
    result: Any, title: str, lang: str, decimals: int = 2, *, pictures: dict[int, str] | None = None
) -> str:
    """One student's feedback (a ``StudentResult``): status, score, per problem the wrong
    cells and why, in ``lang``. ``pictures`` (``{problem index (1-based): PNG file name}``,
    from ``grade --pictures``) adds each problem's marked picture under its heading."""

    def t(key: str, **kw: Any) -> str:
        return text(key, lang, **kw)

    lines = [f"# {t('grade.feedback_title', title=title or 'cnncalc', student=result.student)}", ""]
    score = t(
        "grade.feedback_score",
        score=fmt_score(result.score),
        max_score=fmt_score(result.max_score),
        status=result.status,
    )
    lines += [score, ""]
    if result.message:
        lines += [f"> {result.message}", ""]
    lines += [f"- {note}" for note in result.notes]
    if result.notes:
        lines.append("")
    if result.status in ("ok", "partial"):
        for k, p in enumerate(result.problems, start=1):
            lines += [f"## {p.name} — {fmt_score(p.earned)}/{fmt_score(p.points)}", ""]
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
            lines.append(f"| {where} | {shown} | {fmt_num(w.expected)} | {w.cause} |")
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


@cache
def _fixed(key: str, lang: str) -> str:
    return text(key, lang)


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
    """Writes ``feedback/<student>.md`` files.

    ``staged`` (a whole class): the files go into a fresh ``.feedback.tmp`` folder
    (several processes may write into it) and ``finish`` swaps it in place of
    ``feedback/``, so readers see the old folder or the new one, never a mix.
    Otherwise (``--only``) each file is replaced atomically on its own, and the
    student's earlier pictures that no longer apply are removed.
    With ``expected`` (every problem's exact values: ``grade --pictures``) each wrong
    answer also gets a marked PNG beside the file (``gradepictures``), linked from it.
    """

    def __init__(
        self,
        out: Path,
        title: str,
        lang: str,
        decimals: int,
        *,
        staged: bool,
        expected: list[Any] | None = None,
    ) -> None:
        self.out = Path(out)
        self.title, self.lang, self.decimals, self.staged = title, lang, decimals, staged
        self.final = self.out / "feedback"
        self.tmp = self.out / ".feedback.tmp"
        self.pictures: Any = None  # gradepictures.FeedbackPictures
        if expected is not None:
            from cnncalc.grade.pictures import FeedbackPictures

            self.pictures = FeedbackPictures(expected, precision=decimals, lang=lang)
        if staged:
            _remove(self.tmp)
            self.tmp.mkdir(parents=True)

    def write(self, results: list[Any]) -> None:
        """Render and write the feedback of ``results`` (``StudentResult``)."""
        if not results:
            return
        if not self.staged:
            from cnncalc.grade.pictures import remove_stale
            from cnncalc.read import atomic_write

            for r in results:
                pictures = self._pictures(self.final, r)
                body = feedback_markdown(r, self.title, self.lang, self.decimals, pictures=pictures)
                atomic_write(self.final / feedback_name(r.student), body)
                remove_stale(self.final, r.student, list(pictures.values()))
            return
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
        folder = os.open(self.tmp, os.O_RDONLY)
        try:
            for r in results:
                pictures = self._pictures(self.tmp, r)
                body = feedback_markdown(r, self.title, self.lang, self.decimals, pictures=pictures)
                data = body.encode("utf-8")
                fd = os.open(feedback_name(r.student), flags, 0o644, dir_fd=folder)
                try:
                    while data:
                        data = data[os.write(fd, data) :]
                finally:
                    os.close(fd)
        finally:
            os.close(folder)

    def _pictures(self, folder: Path, result: Any) -> dict[int, str]:
        return self.pictures.write(folder, result) if self.pictures is not None else {}

    def finish(self) -> None:
        """Put the staged folder in place of ``feedback/``."""
        if not self.staged:
            return
        old = self.out / ".feedback.old"
        _remove(old)
        if self.final.exists():
            os.replace(self.final, old)
        os.replace(self.tmp, self.final)
        _remove(old)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
