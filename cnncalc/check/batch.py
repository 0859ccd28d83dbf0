"""Check many answers to one problem at once, for batch grading.

``check_many`` returns, for each answer, exactly the ``AnswerResult`` that
``checking.check_answer`` returns (``tests/test_batchcheck.py`` compares them
on random answers), but shares the work between answers:

* the checker's cell policy (``cells_right``, ``cell_causes``) is elementwise,
  so it is evaluated once per distinct *(written value, decimals, cell)* triple
  (``CellTable``) and gathered back for every answer;
* the mistakes worth trying (``search.problem_candidates``) depend on the
  problem, not on the answer, so they are computed once (kept in the context);
* a mistake is named only when it changes fewer than twice as many cells as the
  answer has wrong (``diagnosis.choose``): answers with fewer wrong cells than
  that get their per-cell causes here, for all answers together; the others
  (and those for which the checker would also try a ratio, ``norm`` guessed
  without a context) go through ``check_answer`` itself.

>>> from cnncalc.read import parse_text
>>> exp = np.array([[7 / 9, -1 / 9], [1.0, 0.5]])
>>> got = np.array([[[[0.77, 0.11], [1.0, 0.5]]], [[[0.78, -0.11], [1.0, 0.2]]]])
>>> dec = np.array([[[[2, 2], [0, 1]]], [[[2, 2], [0, 1]]]])
>>> [(r.score, [(w.row, w.col, w.cause) for w in r.wrong]) for r in check_many(got, dec, exp)]
[(0.75, [(1, 2, 'sign')]), (0.75, [(2, 2, 'arithmetic')])]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnncalc.check import diagnosis, recompute
from cnncalc.check.cells import CELL_LABELS, CheckContext, cell_causes, cells_right
from cnncalc.check.compare import AnswerResult, WrongCell, _as_maps, _written, order_labels


class CellTable:
    """The distinct (value, decimals, cell) triples of K answers of C cells.

    ``right(target)`` evaluates the checker's elementwise policy once per
    distinct triple and returns the (K, C) verdicts.

    >>> t = CellTable(np.array([[0.77, 1.0], [0.77, 1.0], [0.78, 1.0]]), np.array([[2, 0]] * 3))
    >>> len(t.values), t.right(np.array([7 / 9, 1.0]), {}).tolist()
    (3, [[True, True], [True, True], [True, True]])
    """

    def __init__(self, got: np.ndarray, dec: np.ndarray) -> None:
        k, c = got.shape
        bits = np.ascontiguousarray(got, dtype=np.float64).view(np.int64).ravel()
        d = np.asarray(dec, dtype=np.int64).ravel()
        ubits = np.unique(bits)
        udec = np.unique(d)
        col = np.tile(np.arange(c, dtype=np.int64), k)
        if len(ubits) * len(udec) * max(c, 1) < 2**62:
            key = (np.searchsorted(ubits, bits) * len(udec) + np.searchsorted(udec, d)) * c + col
            ukey = np.unique(key)
            self.inv = np.searchsorted(ukey, key).reshape(k, c)
            self.values = ubits[ukey // c // len(udec)].view(np.float64)
            self.decimals = udec[(ukey // c) % len(udec)]
            self.cols = ukey % c
        else:  # too many distinct values to pack a key: no sharing
            self.inv = np.arange(k * c).reshape(k, c)
            self.values, self.decimals, self.cols = bits.view(np.float64), d, col

    def right(self, target: np.ndarray, policy: dict[str, Any]) -> np.ndarray:
        """(K, C) verdicts of the policy against ``target`` (C exact values)."""
        ok = cells_right(self.values, self.decimals, np.asarray(target)[self.cols], **policy)
        return ok[self.inv]


def check_many(
    got: np.ndarray,
    dec: np.ndarray,
    expected: np.ndarray,
    *,
    name: str = "",
    decimals: int = 2,
    atol: float | None = None,
    rtol: float | None = None,
    context: CheckContext | None = None,
    others: list[Any] | None = None,
    table: CellTable | None = None,
    right: np.ndarray | None = None,
    written: bool = True,
) -> list[AnswerResult]:
    """``check_answer`` for K answers of the expected shape: ``got``/``dec`` are
    (K, maps, H, W). ``table``/``right`` may pass work already done; with
    ``written=False`` the wrong cells' ``written`` text is left empty (the caller
    has the text as written)."""
    exp = _as_maps(expected)
    k = got.shape[0]
    c = exp.size
    gotf = got.reshape(k, c)
    decf = dec.reshape(k, c)
    expf = exp.reshape(c)
    policy = {"required": decimals, "atol": atol, "rtol": rtol}
    if table is None:
        table = CellTable(gotf, decf)
    right = table.right(expf, policy) if right is None else right.reshape(k, c)
    wrong = ~right
    common = {
        "name": name, "expected": expected, "exp": exp, "got": gotf, "dec": decf,
        "decimals": decimals, "written": written,
    }
    results: list[AnswerResult | None] = [None] * k
    nwrong = wrong.sum(axis=1)
    fewest = diagnosis.fewest_telling(exp, context, others, policy) if nwrong.any() else 0
    # an answer is searched when some candidate could be named for it (``diagnosis.choose``
    # names only a candidate changing fewer than twice as many cells as are wrong)
    single = _ratio_candidates(exp, gotf, wrong, context) | ((nwrong > 0) & (2 * nwrong > fewest))
    for i in np.flatnonzero(single):
        from cnncalc.check.compare import check_answer
        from cnncalc.read import Grid

        grids = [Grid(values=got[i, m], decimals=dec[i, m]) for m in range(exp.shape[0])]
        results[i] = check_answer(
            grids, expected, name=name, decimals=decimals, atol=atol, rtol=rtol,
            context=context, others=others,
        )
        if not written:
            for w in results[i].wrong:  # type: ignore[union-attr]
                w.written = ""
    rows = np.flatnonzero(~single)
    if rows.size:
        for i, r in zip(rows, _cell_rows(rows, table, right, wrong, policy, common)):
            results[i] = r
    return results  # type: ignore[return-value]


def _ratio_candidates(exp: np.ndarray, gotf: np.ndarray, wrong: np.ndarray, context: Any) -> np.ndarray:
    """Answers for which ``alternatives`` would add a ratio (no usable context):
    found with a looser tolerance than the checker's, so none is missed."""
    k = gotf.shape[0]
    if (context is not None and recompute._small_enough(context)) or np.allclose(exp, 0):
        return np.zeros(k, dtype=bool)
    expf = exp.reshape(1, -1)
    mask = (np.abs(expf) > 1e-9) & (np.abs(gotf) > 1e-9)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(mask, np.abs(expf / gotf), np.nan)
    enough = (mask.sum(1) >= 2) & wrong.any(1)
    out = np.zeros(k, dtype=bool)
    if not enough.any():
        return out
    with np.errstate(divide="ignore", invalid="ignore"):
        med = np.nanmedian(ratio[enough], axis=1)
        for r in (med, 1 / med):
            n = np.round(r)
            out[enough] |= (n >= 2) & (np.abs(r - n) <= 0.06 * n)
    return out


def _cell_rows(
    rows: np.ndarray,
    table: CellTable,
    right_all: np.ndarray,
    wrong_all: np.ndarray,
    policy: dict[str, Any],
    common: dict[str, Any],
) -> list[AnswerResult]:
    """``diagnose`` for answers no mistake can be named for: per-cell causes only."""
    kb = rows.size
    right, wrong = right_all[rows], wrong_all[rows]
    expf = common["exp"].reshape(-1)
    cell_names = np.full(wrong.shape, "", dtype=object)
    cell_count = np.zeros((kb, len(CELL_LABELS)), dtype=np.int64)
    if wrong.any():
        li, lc = np.nonzero(wrong)
        gotf, decf = common["got"][rows], common["dec"][rows]
        cc = cell_causes(gotf[li, lc], decf[li, lc], expf[lc], **policy)
        cell_names[li, lc] = cc
        for n, lab in enumerate(CELL_LABELS):
            cell_count[:, n] = np.bincount(li[cc == lab], minlength=kb)
    return _results(rows, wrong, right, cell_names, cell_count, common)


def _results(
    rows: np.ndarray,
    wrong: np.ndarray,
    right: np.ndarray,
    cell_names: np.ndarray,
    cell_count: np.ndarray,
    common: dict[str, Any],
) -> list[AnswerResult]:
    """Build the ``AnswerResult`` of every answer (cells gathered for all at once)."""
    exp = common["exp"]
    maps, h, w = exp.shape
    expf = exp.reshape(-1)
    li, lc = np.nonzero(wrong)
    names = cell_names[li, lc]
    got = common["got"][rows][li, lc]
    dec = common["dec"][rows][li, lc]
    m, rest = np.divmod(lc, h * w)
    i, j = np.divmod(rest, w)
    text = [_written(g, d) for g, d in zip(got.tolist(), dec.tolist())] if common["written"] else None
    cells = [
        WrongCell(row=r + 1, col=c + 1, expected=e, got=g, cause=n, map=mm + 1)
        for r, c, e, g, n, mm in zip(
            i.tolist(), j.tolist(), expf[lc].tolist(), got.tolist(), names.tolist(), m.tolist()
        )
    ]
    if text is not None:
        for cell, t in zip(cells, text):
            cell.written = t
    bounds = np.searchsorted(li, np.arange(rows.size + 1)).tolist()
    scores = right.sum(1).tolist()
    size = expf.size
    expected_shape = tuple(np.asarray(common["expected"]).shape)
    got_shape = (h, w) if maps == 1 else (maps, h, w)
    explained_by: list[dict[str, int]] = [{} for _ in range(rows.size)]
    for b, n in zip(*(a.tolist() for a in np.nonzero(cell_count))):
        explained_by[b][CELL_LABELS[n]] = int(cell_count[b, n])
    out = []
    for b in range(rows.size):
        explained = explained_by[b]
        out.append(
            AnswerResult(
                name=common["name"],
                shape_ok=True,
                expected_shape=expected_shape,
                got_shape=got_shape,
                wrong=cells[bounds[b] : bounds[b + 1]],
                diagnosis=order_labels(explained),
                score=scores[b] / size if size else 1.0,
                cells=int(size),
                explained=explained,
                details={},
                maps=maps,
                decimals=common["decimals"],
            )
        )
    return out
