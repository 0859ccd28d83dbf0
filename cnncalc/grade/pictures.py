"""Marked pictures for ``cnncalc grade --pictures``: one PNG per wrong answer, beside the
student's feedback file, named ``<student>-<problem>.png`` (1-based problem index).

Only ``ok`` and ``partial`` students have answers to draw; a right or unanswered
problem gets no picture. A class often repeats the same wrong answer (the same
minus sign dropped), so each distinct picture is drawn once and its bytes are
reused: a picture depends only on the problem and the answer's values and
decimals, and PNG encoding has no time stamps, so a rerun writes the same bytes.

>>> picture_stem("alice"), picture_stem("a/b"), picture_stem("-rf")
('alice', 'a%2Fb', '-rf')
>>> picture_link("map [1]", "Zoë Li-2.png")
'![map \\\\[1\\\\]](Zo%C3%AB%20Li-2.png)'
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

MAX_STEM_BYTES = 200  # + "-NN.png" and atomic_write's ".{name}.XXXXXXXX.tmp" stay under 255
CACHE_LIMIT = 512  # distinct pictures whose bytes are kept for reuse
_TOO_BIG = ("pictures.too_large", "pictures.too_many_pixels")


def picture_stem(student: str) -> str:
    """The file stem of a student's pictures: their feedback file's stem, cut to
    ``MAX_STEM_BYTES`` bytes (plus a hash of the rest) when it is very long.

    >>> len(picture_stem("x" * 300).encode()), picture_stem("x" * 300)[-13:-12]
    (200, '~')
    """
    from cnncalc.grade.names import feedback_name

    stem = feedback_name(student)[: -len(".md")]
    raw = os.fsencode(stem)
    if len(raw) <= MAX_STEM_BYTES:
        return stem
    digest = hashlib.sha256(raw).hexdigest()[:12]
    cut = stem
    while len(os.fsencode(cut)) > MAX_STEM_BYTES - len(digest) - 1:
        cut = cut[:-1]
    return f"{cut}~{digest}"


def picture_link(alt: str, name: str) -> str:
    """A Markdown image line for a picture beside the feedback file (the name
    percent-encoded, so spaces, brackets and non-ASCII ids work everywhere)."""
    alt = re.sub(r"([\\\[\]])", r"\\\1", alt)
    return f"![{alt}]({quote(name, safe='', errors='surrogateescape')})"


def _answer_key(grids: Sequence[Any]) -> tuple:
    return tuple(
        (g.values.shape, g.values.tobytes(), np.shape(g.decimals), np.asarray(g.decimals).tobytes())
        for g in grids
    )


class FeedbackPictures:
    """Draws the marked pictures of each student's wrong answers.

    Parameters
    ----------
    expected : the exact values of every problem (drawn beside an answer of the
        wrong shape).
    precision : decimals for numbers whose decimals are not known (the
        assignment's); each answer's own required decimals come from its check.
    lang : the language of the pictures' words (English when no font has its glyphs).

    Examples
    --------
    >>> import tempfile
    >>> from types import SimpleNamespace as NS
    >>> from cnncalc.check.compare import check_answer
    >>> from cnncalc.read import parse_text
    >>> exp = np.array([[1.0, -1.0]])
    >>> wrong, right = parse_text("1 1"), parse_text("1 -1")
    >>> bob = NS(student="bob", status="ok", problems=[
    ...     NS(name="p1", answered=True, grids=right, result=None),
    ...     NS(name="p2", answered=True, grids=wrong, result=check_answer(wrong, exp))])
    >>> FeedbackPictures([exp, exp]).write(Path(tempfile.mkdtemp()), bob)
    {2: 'bob-2.png'}
    """

    def __init__(
        self, expected: Sequence[np.ndarray | None], *, precision: int = 2, lang: str = "en"
    ) -> None:
        self.expected = list(expected)
        self.precision, self.lang = precision, lang
        self._bytes: dict[tuple, bytes | None] = {}  # None: refused (too large)

    def write(self, directory: Path, student: Any) -> dict[int, str]:
        """Write ``student``'s pictures (a ``grading.StudentResult``) into ``directory``;
        returns ``{problem index (1-based): file name}``."""
        if student.status not in ("ok", "partial"):
            return {}
        stem = picture_stem(student.student)
        written = {}
        for k, p in enumerate(student.problems, start=1):
            r = p.result
            if not p.answered or not p.grids or r is None or r.correct:
                continue
            name = f"{stem}-{k}.png"
            if self._draw(Path(directory) / name, k, p):
                written[k] = name
        return written

    def _draw(self, path: Path, k: int, problem: Any) -> bool:
        from cnncalc.draw.canvas import PictureError, write_bytes
        from cnncalc.draw.marked import marked_from_result

        key = (k, _answer_key(problem.grids))
        if key in self._bytes:
            data = self._bytes[key]
            if data is not None:
                write_bytes(path, data)
            return data is not None
        r = problem.result
        try:
            marked_from_result(
                path,
                problem.grids,
                r,
                self.expected[k - 1] if k <= len(self.expected) else None,
                precision=int(getattr(r, "decimals", self.precision)),
                lang=self.lang,
                title=problem.name,
            )
            data = path.read_bytes()
        except PictureError as exc:
            if exc.key not in _TOO_BIG:
                raise
            data = None  # an answer too large to draw: the feedback's table says it all
        if len(self._bytes) < CACHE_LIMIT:
            self._bytes[key] = data
        return data is not None


def remove_stale(directory: Path, student: str, keep: Sequence[str] = ()) -> None:
    """Remove ``student``'s pictures in ``directory`` other than ``keep`` (an ``--only``
    rerun: an answer now right, or a student now malformed or missing, keeps none).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for n in ("amy-1.png", "amy-2.png", "amy-1-1.png", "amy.md"): _ = (d / n).write_text("")
    >>> remove_stale(d, "amy", ["amy-2.png"]); sorted(p.name for p in d.iterdir())
    ['amy-1-1.png', 'amy-2.png', 'amy.md']
    """
    pattern = re.compile(re.escape(picture_stem(student)) + r"-[0-9]+\.png")
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return
    for name in names:
        if name not in keep and pattern.fullmatch(name):
            try:
                os.unlink(os.path.join(directory, name))
            except FileNotFoundError:
                pass
