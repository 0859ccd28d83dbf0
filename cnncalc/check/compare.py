"""Compare a hand-computed answer with the exact result, cell by cell, and say why it is wrong.

The cell policy (DESIGN.md, "Checking policy"): a written number is right when it
equals the exact value rounded half-up or half-even, **or truncated**, at the
number of decimals the student wrote. An exact value needs no decimals ("1" is
right for 1.0). Fewer decimals than ``decimals`` (default 2) is wrong with cause
``too-few-decimals``. ``atol``/``rtol`` replace the policy with ``numpy.isclose``.

>>> from cnncalc.read import parse_text
>>> answer = parse_text("0.77 0.11\\n1 0.5")
>>> r = check_answer(answer, np.array([[7 / 9, -1 / 9], [1.0, 0.5]]))
>>> [(w.row, w.col, w.got, w.cause) for w in r.wrong], r.score
([(1, 2, 0.11, 'sign')], 0.75)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cnncalc.check.cells import (
    CELL_LABELS,
    LABELS,
    CheckContext,
    cells_right,
)
from cnncalc.check.cells import written_text as _written
from cnncalc.read import Grid

_ORDER = {label: k for k, label in enumerate(LABELS)}


@dataclass
class WrongCell:
    """One wrong cell; ``row``/``col`` (and ``map``) are 1-based."""

    row: int
    col: int
    expected: float
    got: float
    cause: str
    map: int = 1
    written: str = ""  # the number as the student wrote it (for display)

    def to_json(self, *, with_map: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if with_map:
            out["map"] = self.map
        out.update(
            row=self.row, col=self.col, expected=self.expected, got=self.got, cause=self.cause
        )
        return out


@dataclass
class AnswerResult:
    """The verdict on one answer (all maps of one problem)."""

    name: str
    shape_ok: bool
    expected_shape: tuple
    got_shape: tuple
    wrong: list[WrongCell]
    diagnosis: list[str]
    score: float
    cells: int
    shape_hint: str | None = None
    # per label: how many wrong cells it explains and the details its sentence needs
    explained: dict[str, int] = field(default_factory=dict)
    details: dict[str, dict[str, Any]] = field(default_factory=dict)
    maps: int = 1
    decimals: int = 2
    # the answer as read (for the marked grid of the Markdown view)
    grids: list[Grid] = field(default_factory=list, repr=False, compare=False)

    @property
    def correct(self) -> bool:
        return self.shape_ok and not self.wrong

    def _repr_markdown_(self) -> str:
        """Jupyter shows the result as the CLI's ``--format markdown`` does."""
        from cnncalc import _markdown_of

        return _markdown_of(self)

    def to_json(self, lang: str = "en", *, reason: bool = True) -> dict[str, Any]:
        """DESIGN.md's shape: name, shape_ok, wrong (1-based), diagnosis, score; each
        diagnosis an object (``findings``). An answer of the wrong shape adds
        ``reason``, the sentences the CLI prints (``check --format json`` keeps
        DESIGN.md's shape: ``reason=False``)."""
        out = {
            "name": self.name,
            "shape_ok": self.shape_ok,
            "wrong": [w.to_json(with_map=self.maps > 1) for w in self.wrong],
            "diagnosis": self.findings(lang),
            "score": self.score,
        }
        if reason and not self.shape_ok:
            out["reason"] = " ".join(self.reasons(lang))
        return out

    def reasons(self, lang: str = "en", *, student: bool = False) -> list[str]:
        """The sentences of the diagnosis, the named mistake first, as ``check`` prints
        them (``student``: without the command-line advice meant for the teacher).

        >>> from cnncalc.read import parse_text
        >>> check_answer(parse_text("1 2"), np.zeros((2, 2))).reasons()[0]
        'The answer is 1×2, but the result is 2×2.'
        """
        from cnncalc.messages import text

        out = []
        if not self.shape_ok:
            if not self.got_shape:
                return [text("check.missing_answer", lang)]
            got, expected = _shape_text(self.got_shape), _shape_text(self.expected_shape)
            out.append(text("check.shape_wrong", lang, got=got, expected=expected))
            if not self.diagnosis:
                out.append(text("check.shape_unexplained", lang))
        for label in self.diagnosis:
            out.append(diagnosis_sentence(label, lang, student=student, **self.sentence_params(label)))
        return out

    def findings(self, lang: str = "en", *, student: bool = False) -> list[dict[str, Any]]:
        """Every diagnosis as ``{"label", "labels", "settings", "cells", "evidence",
        "message"}``; a pair of mistakes is one object with both labels."""
        out = []
        for label in self.diagnosis:
            d = self.details.get(label, {})
            if "cells" in d:
                cells = d["cells"]
            else:
                cells = [
                    ([w.map] if self.maps > 1 else []) + [w.row, w.col] for w in self.wrong if w.cause == label
                ]
            out.append({
                "label": label,
                "labels": list(d.get("labels", label.split("+"))),
                "settings": dict(d.get("settings", {})),
                "cells": cells,
                "evidence": d.get("evidence"),
                "message": diagnosis_sentence(label, lang, student=student, **self.sentence_params(label)),
            })
        return out

    def sentence_params(self, label: str) -> dict[str, Any]:
        params = {k: v for k, v in self.details.get(label, {}).items() if k != "cells"}
        params.update(count=self.explained.get(label, params.get("count")), wrong=len(self.wrong),
                      decimals=self.decimals)
        return params


def _shape_text(shape: tuple) -> str:
    return "×".join(str(n) for n in shape) if shape else "—"


# --------------------------------------------------------------------------- answers


def _as_maps(expected: np.ndarray) -> np.ndarray:
    arr = np.asarray(expected, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[None, :]
    return arr.reshape(-1, *arr.shape[-2:])


def answer_arrays(answer: list[Grid]) -> tuple[np.ndarray | None, np.ndarray | None, tuple]:
    """Stack the answer's grids to (maps, H, W) values and decimals; None when ragged."""
    shapes = tuple(g.shape for g in answer)
    got_shape = shapes[0] if len(shapes) == 1 else (len(shapes), *shapes[0])
    if len(set(shapes)) != 1:
        return None, None, tuple(shapes)
    values = np.stack([g.values for g in answer])
    decimals = np.stack([np.broadcast_to(g.decimals, g.shape) for g in answer])
    return values, decimals, got_shape


def _check_arguments(answer: Any, expected: Any) -> None:
    """The API's types: a list of ``Grid`` (``read_grids``/``parse_text``) and numbers."""
    from cnncalc.errors import ParameterError, ShapeError

    if not isinstance(answer, (list, tuple)) or not all(isinstance(g, Grid) for g in answer):
        raise ParameterError("param.answer_grids", value=answer)
    try:
        arr = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ParameterError("param.bad_number", parameter="expected", value=expected) from None
    if expected is None or not 1 <= arr.ndim <= 3 or arr.size == 0:
        raise ShapeError("param.expected_dims", shape="×".join(map(str, arr.shape)) or "0-D")


def check_answer(
    answer: list[Grid],
    expected: np.ndarray,
    *,
    name: str = "",
    decimals: int = 2,
    atol: float | None = None,
    rtol: float | None = None,
    context: CheckContext | None = None,
    others: list[Any] | None = None,
) -> AnswerResult:
    """Check ``answer`` (one grid per map) against the exact ``expected`` result.

    Parameters
    ----------
    answer : the student's maps as read (``Grid`` keeps the decimals written).
    expected : (H, W) or (M, H, W) exact values.
    decimals : the fewest decimals a non-exact value may be written with.
    atol, rtol : when given, a cell is right when ``numpy.isclose`` says so.
    context : how ``expected`` was computed, for the answer-level diagnosis.
    others : the expected results of the other problems (``swapped-answers``):
        ``others[i]`` is problem ``i + 1`` (``None`` or this problem's own
        result is skipped), or give ``(name, result)`` pairs.

    Examples
    --------
    >>> from cnncalc.read import parse_text
    >>> r = check_answer(parse_text("7 -1\\n1 7"), np.array([[7 / 9, -1 / 9], [1 / 9, 7 / 9]]))
    >>> r.diagnosis, r.score
    (['normalization'], 0.0)
    """
    _check_arguments(answer, expected)
    exp = _as_maps(expected)
    exp_shape = tuple(np.asarray(expected).shape)
    cells = int(exp.size)
    got, dec, got_shape = answer_arrays(answer)
    if got is None or got.shape != exp.shape:
        from cnncalc.check.diagnosis import diagnose_shape

        hint, labels, details = diagnose_shape(
            answer, got, dec, exp, context=context, decimals=decimals, atol=atol, rtol=rtol, others=others
        )
        return AnswerResult(
            name=name,
            shape_ok=False,
            expected_shape=exp_shape,
            got_shape=got_shape,
            wrong=[],
            diagnosis=labels,
            score=0.0,
            cells=cells,
            shape_hint=hint,
            details=details,
            maps=exp.shape[0],
            decimals=decimals,
            grids=[g for g in answer if isinstance(g, Grid)],
        )
    assert dec is not None  # stacked together with got
    policy: dict[str, Any] = {"required": decimals, "atol": atol, "rtol": rtol}
    right = cells_right(got, dec, exp, **policy)
    wrong_mask = ~right
    from cnncalc.check.diagnosis import diagnose

    causes, explained, details = diagnose(
        got, dec, exp, wrong_mask, context=context, others=others, policy=policy
    )
    wrong = []
    grids = list(answer) if isinstance(answer, (list, tuple)) else []
    for m, i, j in zip(*np.nonzero(wrong_mask)):
        as_written = _fraction_written(grids, int(m), int(i), int(j))
        wrong.append(
            WrongCell(
                row=int(i) + 1,
                col=int(j) + 1,
                expected=float(exp[m, i, j]),
                got=float(got[m, i, j]),
                cause=str(causes[m, i, j]),
                map=int(m) + 1,
                written=as_written or _written(float(got[m, i, j]), int(dec[m, i, j])),
            )
        )
    labels = order_labels(explained)
    return AnswerResult(
        name=name,
        shape_ok=True,
        expected_shape=exp_shape,
        got_shape=got_shape,
        wrong=wrong,
        diagnosis=labels,
        score=float(right.sum()) / cells if cells else 1.0,
        cells=cells,
        explained=explained,
        details=details,
        maps=exp.shape[0],
        decimals=decimals,
        grids=[g for g in answer if isinstance(g, Grid)],
    )


def missing_result(name: str, expected: np.ndarray, *, decimals: int = 2) -> AnswerResult:
    """The result for a problem with no answer at all: wrong shape, score 0.

    >>> missing_result("p", np.zeros((2, 2))).to_json()["shape_ok"]
    False
    """
    exp = _as_maps(expected)
    return AnswerResult(
        name=name,
        shape_ok=False,
        expected_shape=tuple(np.asarray(expected).shape),
        got_shape=(),
        wrong=[],
        diagnosis=[],
        score=0.0,
        cells=int(exp.size),
        maps=exp.shape[0],
        decimals=decimals,
    )


def _fraction_written(grids: list[Any], m: int, i: int, j: int) -> str | None:
    """The cell's text when the student wrote it as a fraction (``2/3``)."""
    grid = grids[m] if m < len(grids) else None
    written = getattr(grid, "written", None)
    return written(i, j) if callable(written) else None


def order_labels(explained: dict[str, int]) -> list[str]:
    """The named mistake first, then the per-cell causes, most cells first."""
    return sorted(explained, key=lambda lb: (lb in CELL_LABELS, -explained[lb], _ORDER.get(lb, -1)))


def diagnosis_sentence(label: str, lang: str = "en", *, student: bool = False, **params: Any) -> str:
    """A plain sentence for a diagnosis label (a pair is ``a+b``), in ``lang`` (en or zh).

    Without ``params`` the sentence is the general one; with the details kept in
    ``AnswerResult.details[label]`` (and ``count``/``wrong``) it is specific and
    ends with its evidence. ``student`` leaves out command-line advice.

    >>> diagnosis_sentence("sign", "en", count=12, wrong=12)
    'Every wrong cell: the right size but the wrong sign. Check the signs of the products.'
    """
    from cnncalc.check.sentences import say

    return say(label, lang, student=student, **params)
