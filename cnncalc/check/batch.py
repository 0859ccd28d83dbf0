"""Check many answers to one problem at once, for batch grading.

``check_many`` returns, for each answer, exactly the ``AnswerResult`` that
``checking.check_answer`` returns (``tests/test_batchcheck.py`` compares them
on random answers), but shares the work between answers:

* the checker's cell policy (``cells_right``, ``cell_causes``) is elementwise,
  so it is evaluated once per distinct *(written value, decimals, cell)* triple
  (``CellTable``) and gathered back for every answer;
* the mistakes worth trying (``diagnosis.alternatives``) depend on the problem,
  not on the answer, so they are computed once;
* the greedy choice of ``diagnosis.diagnose`` (the alternative explaining most
  wrong cells first) runs for all answers together, one rank at a time.

Answers for which the checker would also try a ratio (``norm`` guessed without
a context) go through ``check_answer`` itself.

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
from cnncalc.check.cells import (
    ANSWER_LABELS,
    CELL_LABELS,
    LABELS,
    CheckContext,
    cell_causes,
    cells_right,
)
from cnncalc.check.compare import AnswerResult, WrongCell, _as_maps, _written

_ORDER = {label: k for k, label in enumerate(LABELS)}
_MAX_HITS = 1 << 25  # booleans kept at once: alternatives x answers x cells


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
    single = _ratio_candidates(exp, gotf, wrong, context)
    for i in np.flatnonzero(single):
        from cnncalc.check.compare import check_answer
        from cnncalc.read import Grid

        grids = [Grid(values=got[i, m], decimals=dec[i, m]) for m in range(exp.shape[0])]
        results[i] = check_answer(
            grids, expected, name=name, decimals=decimals, atol=atol, rtol=rtol,
            context=context, others=others,
        )
    rows = np.flatnonzero(~single)
    if rows.size:
        alts = [
            a for a in diagnosis.alternatives(exp, np.zeros_like(exp), context=context, others=others)
            if np.isfinite(a.values).mean() >= 0.5
        ]
        step = max(1, _MAX_HITS // max(1, (len(alts) + 1) * c))
        for start in range(0, rows.size, step):
            part = rows[start : start + step]
            for i, r in zip(part, _diagnose_rows(part, alts, table, right, wrong, policy, common)):
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


def _diagnose_rows(
    rows: np.ndarray,
    alts: list[Any],
    table: CellTable,
    right_all: np.ndarray,
    wrong_all: np.ndarray,
    policy: dict[str, Any],
    common: dict[str, Any],
) -> list[AnswerResult]:
    """``diagnose`` for the answers ``rows``, vectorised over answers."""
    kb = rows.size
    right, wrong = right_all[rows], wrong_all[rows]
    expf = common["exp"].reshape(-1)
    nwrong = wrong.sum(1)
    scores = np.zeros((len(alts), kb), dtype=np.int64)
    hits = np.zeros((len(alts), kb, expf.size), dtype=bool)
    for j, alt in enumerate(alts):
        values = alt.values.reshape(-1)
        defined = np.isfinite(values)
        right_alt = table.right(values, policy)[rows]
        h = wrong & right_alt
        n = h.sum(1)
        better = right_alt[:, defined].sum(1) > right[:, defined].sum(1)
        telling = diagnosis.telling_cells(values, expf, policy)
        follows = diagnosis.followed(
            (right_alt & telling).sum(1), (right & telling).sum(1), int(telling.sum())
        )
        scores[j] = np.where((n > 0) & better & follows, n, 0)
        hits[j] = h
    labels = list(ANSWER_LABELS)
    member = np.array([[lb in a.labels for lb in labels] for a in alts], dtype=bool).reshape(
        len(alts), len(labels)
    )
    first = np.array([labels.index(a.labels[0]) for a in alts], dtype=np.int64)
    cause = np.full(wrong.shape, -1, dtype=np.int64)
    explained = np.full((kb, len(labels)), -1, dtype=np.int64)
    source = np.full((kb, len(labels)), -1, dtype=np.int64)
    reference = np.full(kb, -1, dtype=np.int64)
    left = wrong.copy()
    order = np.argsort(-scores, axis=0, kind="stable")
    ar = np.arange(kb)
    for rank in range(len(alts)):
        aj = order[rank]
        valid = scores[aj, ar] > 0
        if not valid.any():
            break
        new = hits[aj, ar] & left & valid[:, None]
        n_new = new.sum(1)
        if rank == 0:
            use = valid & (2 * n_new >= nwrong)
            reference[use] = aj[use]
        cause = np.where(new, first[aj][:, None], cause)
        fill = member[aj] & (n_new > 0)[:, None] & (explained < 0)
        explained = np.where(fill, n_new[:, None], explained)
        source = np.where(fill, aj[:, None], source)
        left &= ~new
    gotf, decf = common["got"][rows], common["dec"][rows]
    refs = np.broadcast_to(expf, left.shape).copy()
    for j in np.unique(reference[reference >= 0]):
        v = alts[j].values.reshape(-1)
        refs[reference == j] = np.where(np.isfinite(v), v, expf)
    cell_names = np.full(left.shape, "", dtype=object)
    cell_count = np.zeros((kb, len(CELL_LABELS)), dtype=np.int64)
    if left.any():
        li, lc = np.nonzero(left)
        cc = cell_causes(gotf[li, lc], decf[li, lc], refs[li, lc], **policy)
        cell_names[li, lc] = cc
        for n, lab in enumerate(CELL_LABELS):
            cell_count[:, n] = np.bincount(li[cc == lab], minlength=kb)
    return _results(rows, wrong, right, cause, cell_names, explained, source, cell_count, alts, labels, common)


def _results(
    rows: np.ndarray,
    wrong: np.ndarray,
    right: np.ndarray,
    cause: np.ndarray,
    cell_names: np.ndarray,
    explained_arr: np.ndarray,
    source: np.ndarray,
    cell_count: np.ndarray,
    alts: list[Any],
    labels: list[str],
    common: dict[str, Any],
) -> list[AnswerResult]:
    """Build the ``AnswerResult`` of every answer (cells gathered for all at once)."""
    exp = common["exp"]
    maps, h, w = exp.shape
    expf = exp.reshape(-1)
    li, lc = np.nonzero(wrong)
    codes = cause[li, lc]
    names = np.where(codes >= 0, np.array(labels, dtype=object)[np.maximum(codes, 0)], cell_names[li, lc])
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
    details_by: list[dict[str, dict[str, Any]]] = [{} for _ in range(rows.size)]
    for b, n in zip(*(a.tolist() for a in np.nonzero(explained_arr >= 0))):
        explained_by[b][labels[n]] = int(explained_arr[b, n])
        details_by[b][labels[n]] = alts[source[b, n]].details.get(labels[n], {})
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
                diagnosis=sorted(explained, key=lambda lb: (-explained[lb], _ORDER[lb])),
                score=scores[b] / size if size else 1.0,
                cells=int(size),
                explained=explained,
                details=details_by[b],
                maps=maps,
                decimals=common["decimals"],
            )
        )
    return out
