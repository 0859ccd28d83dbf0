"""Why an answer is wrong: search the mistake catalogue for what the student computed.

Every candidate (``search.problem_candidates``: the catalogue's single mistakes
and their pairs, another problem's answer, maps swapped) is scored against the
answer: it *explains* the wrong cells whose written value it reproduces under
the decimals policy. A candidate is named only when

* it explains most of the wrong cells (more than half),
* the answer agrees with it on more cells than with the true result, and
* on the cells where it changes the result, the wrong cells follow it on more
  than half and at least three times as often as the answer keeps the true
  value there (``followed``: some mistake agrees with a random answer on a few
  cells by chance; that is no diagnosis), and
* the answer agrees with it on most cells where it is not 0 (an answer of zeros
  follows no mistake: it may as well be blank; one of zeros only, wrong on most
  cells, is named ``unfilled``).

Of those, the simplest that explains most wrong cells is named: a pair of
mistakes only when it explains more than the best single, on three cells at
least, and the answer follows it where the two differ. The wrong cells left get a per-cell cause
(sign, rounding, too-few-decimals, arithmetic) measured against the named
mistake's values. An answer of another shape is explained only by a candidate
of that shape that reproduces at least three quarters of its cells.

>>> got = np.array([[[7.0, 1.0], [-1.0, 7.0]]])
>>> exp = got / 9
>>> causes, explained, details = diagnose(got, np.zeros_like(got, dtype=int), exp,
...                                       np.ones(got.shape, bool), context=None)
>>> explained, details["normalization"]["variant"]
({'normalization': 4}, 'sum')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnncalc.check.cells import CheckContext, cell_causes, cells_right
from cnncalc.check.search import Candidate, problem_candidates, stacks

_SAMPLE = 12  # wrong cells tried first: a candidate reproducing none of them is dropped
_PAIR_EVIDENCE = 3  # a pair (many more of them than singles) is named on three cells at least


def step_text(step: Any) -> str:
    """A post step as people write it: ``relu``, ``maxpool(2)``, a stage's own text.

    >>> step_text("relu"), step_text(("pool", "max", (2, 2), None)), step_text(("pool", "mean", (3, 3), (1, 1)))
    ('relu', 'maxpool(2)', 'meanpool(3, stride=1)')
    """
    from cnncalc.check.mistakes import pair_text

    if isinstance(step, str):
        return step
    if isinstance(step, tuple):
        _, kind, size, stride = step
        text = f"{kind}pool({pair_text(size)}"
        return text + (f", stride={pair_text(stride)})" if stride is not None and stride != size else ")")
    return str(getattr(step, "text", getattr(step, "name", step)))


def telling_cells(values: np.ndarray, exp: np.ndarray, policy: dict[str, Any]) -> np.ndarray:
    """Where a mistake's result can be told apart from the true one: an answer
    that writes the mistake's value (at the required decimals, or exactly under
    ``atol``/``rtol``) would be wrong there.

    >>> telling_cells(np.array([0.1111, 0.2, np.nan, 0.0]), np.array([1 / 9, -0.2, 0.5, 1.0]), {}).tolist()
    [False, True, False, True]
    """
    from cnncalc.numfmt import round_values

    defined = np.isfinite(values)
    v = np.where(defined, values, 0.0)
    exp = np.broadcast_to(exp, v.shape)
    if policy.get("atol") is not None or policy.get("rtol") is not None:
        same = np.isclose(v, exp, rtol=policy.get("rtol") or 0.0, atol=policy.get("atol") or 0.0)
    else:
        required = int(policy.get("required", 2))
        written = round_values(v, required)
        same = cells_right(written, np.full(v.shape, required), exp, **policy)
    return defined & ~same


def followed(follows: Any, against: Any, telling: Any) -> Any:
    """The student made a mistake when, on the cells where it changes the result,
    the answer follows it on more than half, on two cells at least (unless it
    changes one only), and at least three times as often as it follows the true result.

    >>> followed(np.array([5, 3, 4, 4, 1, 1]), np.array([0, 0, 1, 2, 0, 0]), np.array([6, 6, 6, 6, 1, 2])).tolist()
    [True, False, True, False, True, False]
    """
    follows, against, telling = (np.asarray(a) for a in (follows, against, telling))
    return (follows >= np.minimum(2, telling)) & (follows > 0) & (2 * follows > telling) & (follows >= 3 * against)


def _telling(stack: Any, exp: np.ndarray, policy: dict[str, Any]) -> np.ndarray:
    key = (policy.get("required", 2), policy.get("atol"), policy.get("rtol"))
    if key not in stack.telling:
        stack.telling[key] = telling_cells(stack.values, exp.reshape(1, -1), policy)
    return stack.telling[key]


def fewest_telling(exp: np.ndarray, context: CheckContext | None, others: list[Any] | None,
                   policy: dict[str, Any]) -> int:
    """The fewest cells any candidate of the result's shape changes: an answer with
    at most half as many wrong cells cannot follow any (``batch`` skips its search)."""
    stack = stacks(problem_candidates(exp, context, others), context, others).get(exp.shape)
    if stack is None:
        return 1 << 30
    t = _telling(stack, exp, policy).sum(axis=1)
    return int(t.min()) if t.size else 1 << 30


def choose(
    got: np.ndarray, dec: np.ndarray, exp: np.ndarray, wrong: np.ndarray, cands: list[Candidate],
    stack: Any, policy: dict[str, Any],
) -> tuple[Candidate | None, np.ndarray | None]:
    """The candidate to name for an answer of the right shape, and the wrong cells it explains."""
    g, d, w = got.reshape(-1), dec.reshape(-1), wrong.reshape(-1)
    n_wrong = int(w.sum())
    # a value written with too few decimals may be the true value cut short: a mistake
    # explains such a cell only when it gives exactly the number written, and must
    # explain at least as many cells as "too few decimals" does
    causes = cell_causes(g[w], d[w], exp.reshape(-1)[w], **policy)
    few, sign = np.zeros_like(w), np.zeros_like(w)
    few[w], sign[w] = causes == "too-few-decimals", causes == "sign"
    telling_all = _telling(stack, exp, policy)
    eligible = np.flatnonzero(telling_all.sum(axis=1) < 2 * n_wrong)
    if eligible.size == 0:
        return None, None
    values = stack.values[eligible]
    wi = np.flatnonzero(w)
    sample = wi[np.linspace(0, wi.size - 1, min(_SAMPLE, wi.size)).round().astype(int)]
    hit = cells_right(np.broadcast_to(g[sample], (len(eligible), sample.size)),
                      np.broadcast_to(d[sample], (len(eligible), sample.size)), values[:, sample], **policy)
    keep = hit.sum(axis=1) * (2 if sample.size == wi.size else 1) > (n_wrong if sample.size == wi.size else 0)
    rows = eligible[keep]
    if rows.size == 0:
        return None, None
    v = stack.values[rows]
    right = cells_right(np.broadcast_to(g, v.shape), np.broadcast_to(d, v.shape), v, **policy)
    if few.any():
        right[:, few] &= np.abs(v[:, few] - g[few]) <= 1e-9 * np.maximum(1.0, np.abs(g[few]))
    telling = telling_all[rows]
    defined = np.isfinite(v)
    hits = (right & w).sum(axis=1)
    follows = (right & w & telling).sum(axis=1)
    against = (~w & telling).sum(axis=1)
    better = (right & defined).sum(axis=1) > (~w & defined).sum(axis=1)
    # an answer of zeros follows no mistake: it must agree where the mistake is not 0 written
    nonzero = defined & (np.abs(np.nan_to_num(v)) >= 10.0 ** -int(policy.get("required") or 2))
    ok = (2 * hits > n_wrong) & (hits >= int(few.sum())) & better & (defined.mean(axis=1) >= 0.5)
    ok &= 2 * (right & nonzero).sum(axis=1) > nonzero.sum(axis=1)
    ok &= followed(follows, against, telling.sum(axis=1))
    ok &= follows >= (2 if g.size > 2 else 1)  # two cells of evidence, when the result has them
    # a cell written as the true value with the wrong sign is a sign slip: a mistake that
    # reproduces only such cells must reproduce every wrong cell to be named instead
    ok &= ((right & w & ~sign).sum(axis=1) > 0) | (hits == n_wrong)
    if not ok.any():
        return None, None
    sizes = np.array([len(cands[stack.index[r]].labels) for r in rows])
    best = _best(hits, ok & (sizes == 1))
    pair = _best(hits, ok & (sizes > 1) & (follows >= _PAIR_EVIDENCE))
    if best is None or (pair is not None and hits[pair] > hits[best] and _beats(v[pair], v[best], right[pair], right[best], policy)):
        best = pair
    if best is None:
        return None, None
    return cands[stack.index[rows[best]]], (right[best] & w).reshape(got.shape)


def _best(hits: np.ndarray, ok: np.ndarray) -> int | None:
    if not ok.any():
        return None
    return int(np.flatnonzero(ok)[np.argmax(hits[ok])])


def _beats(pair: np.ndarray, single: np.ndarray, right_pair: np.ndarray, right_single: np.ndarray,
           policy: dict[str, Any]) -> bool:
    """A pair is named over a single when the answer follows it where the two differ."""
    t = telling_cells(pair, np.where(np.isfinite(single), single, np.nan), policy) & np.isfinite(single)
    return bool(followed(int((right_pair & t).sum()), int((right_single & t).sum()), int(t.sum())))


def diagnose(
    got: np.ndarray,
    dec: np.ndarray,
    exp: np.ndarray,
    wrong: np.ndarray,
    *,
    context: CheckContext | None,
    others: list[Any] | None = None,
    policy: dict[str, Any] | None = None,
) -> tuple[np.ndarray, dict[str, int], dict[str, dict[str, Any]]]:
    """Causes per cell, wrong cells explained per label, and sentence details per label
    (a pair of mistakes is one label ``a+b``)."""
    policy = policy or {}
    causes = np.full(got.shape, "", dtype=object)
    explained: dict[str, int] = {}
    details: dict[str, dict[str, Any]] = {}
    if not wrong.any():
        return causes, explained, details
    cands = problem_candidates(exp, context, others)
    extra = _ratio_normalization(exp, got) if _needs_ratio(context) else []
    if extra:
        cands = cands + extra
        groups = stacks(cands, None, None)
    else:
        groups = stacks(cands, context, others)
    stack = groups.get(exp.shape)
    best, right = (None, None) if stack is None else choose(got, dec, exp, wrong, cands, stack, policy)
    if best is None and unfilled(got, wrong) and not _zeros_explained(stack, wrong):
        causes[wrong] = "unfilled"
        count = int(wrong.sum())
        return causes, {"unfilled": count}, {"unfilled": {"labels": ["unfilled"], "count": count}}
    reference = exp
    left = wrong.copy()
    if best is not None and right is not None:
        new = wrong & right
        causes[new] = best.label
        explained[best.label] = int(new.sum())
        details[best.label] = finding_details(best, got, dec, exp, new, policy)
        reference = np.where(np.isfinite(best.values), best.values, exp)
        left &= ~new
    if left.any():
        cell = cell_causes(got[left], dec[left], reference[left], **policy)
        causes[left] = cell
        for label in np.unique(cell):
            explained[str(label)] = int((cell == label).sum())
    return causes, explained, details


def unfilled(got: np.ndarray, wrong: np.ndarray) -> bool:
    """An answer of zeros only, wrong on most of its cells: a blank template handed
    in, when no mistake of the catalogue gives it (an extra ReLU on a map of negative
    values does).

    >>> unfilled(np.zeros((2, 2)), np.array([[True, True], [True, False]]))
    True
    >>> unfilled(np.array([[0.0, 1.0], [0.0, 0.0]]), np.ones((2, 2), bool))
    False
    """
    return got.size >= 2 and 2 * int(wrong.sum()) > got.size and not np.any(got)


def _zeros_explained(stack: Any, wrong: np.ndarray) -> bool:
    """Whether some mistake gives 0 on every wrong cell (an extra ReLU on a map of
    negative values): then the zeros may be that mistake, not a blank template."""
    if stack is None:
        return False
    values = stack.values[:, wrong.reshape(-1)]
    return bool(np.any(np.all(np.nan_to_num(values, nan=1.0) == 0, axis=1)))


def _needs_ratio(context: CheckContext | None) -> bool:
    from cnncalc.check.recompute import _small_enough

    return context is None or not _small_enough(context)


def _ratio_normalization(exp: np.ndarray, got: np.ndarray) -> list[Candidate]:
    """Without a context: the answer is the result times or divided by a whole number."""
    mask = (np.abs(exp) > 1e-9) & (np.abs(got) > 1e-9)
    if mask.sum() < 2 or np.allclose(exp, 0):
        return []
    ratio = float(np.median(np.abs(exp[mask] / got[mask])))
    out = []
    for r, variant in ((ratio, "mean"), (1 / ratio, "sum")):
        n = round(r)
        if n >= 2 and abs(r - n) <= 0.05 * n:
            factor = 1 / n if variant == "mean" else float(n)
            out.append(Candidate(("normalization",), exp * factor, {"normalization": {"variant": variant, "n": n}}))
    return out


def finding_details(best: Candidate, got: np.ndarray, dec: np.ndarray, exp: np.ndarray | None,
                    cells: np.ndarray, policy: dict[str, Any]) -> dict[str, Any]:
    """What the sentence and the JSON object of a named mistake need: per label its
    details, the settings changed, the evidence cell."""
    from cnncalc.check.cells import written_text as _written

    out: dict[str, Any] = dict(best.details.get(best.labels[0], {})) if len(best.labels) == 1 else {}
    out["labels"] = list(best.labels)
    out["parts"] = {label: dict(best.details.get(label, {})) for label in best.labels}
    out["settings"] = _settings(best)
    if exp is not None:
        t = telling_cells(best.values, exp, policy) & cells
        pick = t if t.any() else cells
    else:
        pick = cells & (np.nan_to_num(best.values) != 0)
        pick = pick if pick.any() else cells
    if pick.any():
        m, i, j = (int(a[0]) for a in np.nonzero(pick))
        ev: dict[str, Any] = {"row": i + 1, "col": j + 1, "got": _written(float(got[m, i, j]), int(dec[m, i, j])),
                              "mistake": float(best.values[m, i, j])}
        if got.shape[0] > 1:
            ev["map"] = m + 1
        if exp is not None:
            ev["expected"] = float(exp[m, i, j])
        out["evidence"] = ev
    return out


def _settings(best: Candidate) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in best.mods.items():
        if isinstance(value, np.ndarray):
            value = [float(x) for x in value.reshape(-1)]
            value = value[0] if len(set(value)) == 1 else value
        elif isinstance(value, tuple) and value and value[0] == "other":
            value = {"other": _json_name(best.details, value)}
        elif isinstance(value, tuple):
            value = [list(x) if isinstance(x, tuple) else x for x in value]
        out[key] = value
    return out


def _json_name(details: dict[str, dict[str, Any]], value: tuple) -> Any:
    for d in details.values():
        if "other" in d:
            return d["other"]
    return value[1]


def diagnose_shape(
    answer: list[Any],
    got: np.ndarray | None,
    dec: np.ndarray | None,
    exp: np.ndarray,
    *,
    context: CheckContext | None,
    decimals: int = 2,
    atol: float | None = None,
    rtol: float | None = None,
    others: list[Any] | None = None,
) -> tuple[str | None, list[str], dict[str, dict[str, Any]]]:
    """For a wrong shape: the settings (hint text), the label and its details, when a
    candidate of the answer's shape reproduces at least three quarters of its cells."""
    if got is None or dec is None:
        return None, [], {}
    policy: dict[str, Any] = {"required": decimals, "atol": atol, "rtol": rtol}
    cands = problem_candidates(exp, context, others)
    stack = stacks(cands, context, others).get(got.shape)
    if stack is None:
        return None, [], {}
    g, d = got.reshape(-1), dec.reshape(-1)
    v = stack.values
    right = cells_right(np.broadcast_to(g, v.shape), np.broadcast_to(d, v.shape), v, **policy)
    nonzero = np.isfinite(v) & (v != 0)
    score = right.sum(axis=1)
    ok = (4 * score >= 3 * g.size) & (nonzero.sum(axis=1) > 0) & (2 * (right & nonzero).sum(axis=1) > nonzero.sum(axis=1))
    if not ok.any():
        return None, [], {}
    row = int(np.flatnonzero(ok)[np.argmax(score[ok])])
    best = cands[stack.index[row]]
    cells = right[row].reshape(got.shape)
    details = {best.label: finding_details(best, got, dec, None, cells, policy)}
    details[best.label]["count"] = int(cells.sum())
    details[best.label]["shape"] = "×".join(str(n) for n in got.shape[-2:])
    details[best.label]["cells"] = [
        ([int(m) + 1] if got.shape[0] > 1 else []) + [int(i) + 1, int(j) + 1] for m, i, j in zip(*np.nonzero(cells))
    ]
    hint = ", ".join(
        best.details[label]["setting"] for label in best.labels if "setting" in best.details.get(label, {})
    ) or None
    return hint, [best.label], details
