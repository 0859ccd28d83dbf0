"""Every candidate a problem offers: the catalogue's single mistakes and their pairs.

``problem_candidates`` recomputes the problem under each entry of
``catalogue.CATALOGUE`` and under every pair of entries, once per problem (kept
in ``context.cache``); identical results are kept once, the simplest first
(singles before pairs, in catalogue order). Without a context only what can be
done to the result itself is tried (transposed, reversed, shifted or cropped
maps, another problem's answer).

>>> from cnncalc.check.cells import CheckContext
>>> ctx = CheckContext(np.arange(16.0).reshape(4, 4), np.array([[1.0, 0.0], [0.0, -1.0]]), {"bias": 1.0})
>>> exp = np.array([[[-4.0, -4.0, -4.0]] * 3])
>>> c = problem_candidates(exp, ctx, None)
>>> [x.labels for x in c if x.labels in (("missing-bias",), ("flipped-kernel", "missing-bias"))]
[('missing-bias',), ('flipped-kernel', 'missing-bias')]
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cnncalc.check import catalogue, mistakes
from cnncalc.check.cells import CheckContext
from cnncalc.check.recompute import MAX_SWAPPED_MAPS, SHIFTS, _small_enough

_MAX_CELLS = 4096  # results larger than this are not searched for pairs


@dataclass
class Candidate:
    labels: tuple[str, ...]
    values: np.ndarray  # (maps, H, W); nan where the mistake does not define a value
    details: dict[str, dict[str, Any]] = field(default_factory=dict)  # per label
    mods: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return "+".join(self.labels)


def _peer_list(others: list[Any] | None) -> list[tuple[Any, Any, Any]]:
    """``others`` as (name, result, context) triples (context None when not given)."""
    out = []
    for index, other in enumerate(others or [], start=1):
        name: Any = index
        ctx = None
        if isinstance(other, tuple):
            name, other, *rest = other
            ctx = rest[0] if rest else None
        if other is None:
            continue
        out.append((name, other, ctx))
    return out


def _recipe(context: CheckContext | None, others: list[Any] | None, exp: np.ndarray) -> mistakes.Recipe | None:
    if context is None or not _small_enough(context) or exp.size > _MAX_CELLS:
        return None
    peers = []
    for name, _, ctx in _peer_list(others):
        if ctx is not None:
            r = mistakes.Recipe.from_context(ctx)
            if r is not None:
                peers.append((name, r.image, r.kernel))
    recipe = mistakes.Recipe.from_context(context, peers)
    if recipe is None:
        return None
    try:
        base = mistakes.evaluate(recipe, {})
    except ValueError:
        return None
    if base.shape != exp.shape or not np.allclose(base, exp, rtol=1e-9, atol=1e-9):
        return None  # the catalogue would not redo this problem faithfully
    return recipe


def problem_candidates(exp: np.ndarray, context: CheckContext | None, others: list[Any] | None) -> list[Candidate]:
    """Every candidate for the problem whose result is ``exp`` (maps, H, W)."""
    key = ("candidates", tuple((n, id(o)) for n, o, _ in _peer_list(others)))
    if context is not None and key in context.cache:
        return context.cache[key]
    recipe = _recipe(context, others, exp)
    found = _swaps(exp, others)
    found += _from_recipe(recipe) if recipe is not None else _from_result(exp)
    out: list[Candidate] = []
    seen = {_fingerprint(exp)}
    for c in found:
        fp = _fingerprint(c.values)
        if fp not in seen:
            seen.add(fp)
            out.append(c)
    if context is not None:
        context.cache[key] = out
    return out


def _fingerprint(values: np.ndarray) -> tuple:
    v = np.where(np.isfinite(values), np.round(values, 9) + 0.0, np.inf)
    return values.shape, v.tobytes()


_INPUT_KEYS = ("kernel", "image", "stride", "padding", "dilation", "padding_mode", "pad_value", "shift", "extend")
_STEP_KEYS = ("drop_relu", "extra_relu", "swap_order", "drop_pool", "pool_kind", "pool_size", "pool_stride",
              "bias_after_relu")


def _mistakes(recipe: mistakes.Recipe) -> list[tuple[tuple[str, ...], dict[str, Any], dict[str, Any]]]:
    """(labels, details, mods) of every single mistake, then of every pair."""
    entries = [(e.label, e.variants(recipe)) for e in catalogue.CATALOGUE]
    out: list[tuple[tuple[str, ...], dict[str, Any], dict[str, Any]]] = [
        ((label,), {label: info}, mods) for label, variants in entries for mods, info in variants
    ]
    pairs = sorted(itertools.combinations(range(len(entries)), 2), key=lambda ab: (ab[0] + ab[1], ab[0]))
    for (la, va), (lb, vb) in ((entries[a], entries[b]) for a, b in pairs if entries[a][0] != entries[b][0]):
        for (ma, ia), (mb, ib) in itertools.product(va, vb):
            if ia.get("single") or ib.get("single"):
                continue
            mods = catalogue.merge(ma, mb)
            if mods is not None:
                out.append(((la, lb), {la: ia, lb: ib}, mods))
    return out


def _from_recipe(recipe: mistakes.Recipe) -> list[Candidate]:
    """The candidates of a recipe: sums once per input mistake, the steps once per
    group of candidates that share them (stacked), the output edits last."""
    sums: dict[str, np.ndarray | None] = {}
    groups: dict[tuple, list[tuple[int, np.ndarray]]] = {}
    todo = _mistakes(recipe)
    steps_of: dict[str, list[tuple]] = {}
    for n, (_, _, mods) in enumerate(todo):
        k = repr([(k, mods[k]) for k in _INPUT_KEYS if k in mods])
        if k not in sums:
            try:
                sums[k] = mistakes.conv_sums(recipe, mods)
            except (ValueError, IndexError):
                sums[k] = None
        s = sums[k]
        if s is None:
            continue
        pre, steps = mistakes.before_steps(recipe, mods, s)
        sk = repr([(k, mods[k]) for k in _STEP_KEYS if k in mods])
        steps_of[sk] = steps
        groups.setdefault((sk, pre.shape), []).append((n, pre))
    results: dict[int, np.ndarray] = {}
    for (sk, _), members in groups.items():
        try:
            done = mistakes.apply_steps(np.stack([pre for _, pre in members]), steps_of[sk], recipe.bias)
        except (ValueError, IndexError):
            continue
        for (n, _), values in zip(members, done):
            results[n] = values
    out: list[Candidate] = []
    for n, (labels, details, mods) in enumerate(todo):
        if n not in results:
            continue
        try:
            values = mistakes.finish(results[n], mods)
        except ValueError:
            continue
        out.append(Candidate(labels, values, details, mods))
    return out


def _from_result(exp: np.ndarray) -> list[Candidate]:
    """Without a context: what can be done to the result itself."""
    out = []
    for op, label in (("transpose", "transposed"), ("rows", "reversed-rows"), ("cols", "reversed-cols")):
        out.append(Candidate((label,), mistakes._output_op(exp, op)))
    for dy, dx in SHIFTS:
        out.append(_shifted(exp, dy, dx))
    return out


def _shifted(exp: np.ndarray, dy: int, dx: int) -> Candidate:
    h, w = exp.shape[1:]
    alt = np.full(exp.shape, np.nan)
    src = exp[:, max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)]
    alt[:, max(-dy, 0) : h + min(-dy, 0), max(-dx, 0) : w + min(-dx, 0)] = src
    return Candidate(("shifted",), alt, {"shifted": {"dy": dy, "dx": dx}})


def _swaps(exp: np.ndarray, others: list[Any] | None) -> list[Candidate]:
    out = []
    for name, other, _ in _peer_list(others):
        o = np.asarray(other, dtype=np.float64)
        o = o.reshape(-1, *o.shape[-2:]) if o.ndim >= 2 else o.reshape(1, 1, -1)
        variant = "named" if isinstance(name, str) else "other"
        out.append(Candidate(("swapped-answers",), o, {"swapped-answers": {"variant": variant, "other": name}}))
    if 2 <= exp.shape[0] <= MAX_SWAPPED_MAPS:  # two maps of a bank in each other's place
        for a, b in itertools.combinations(range(exp.shape[0]), 2):
            swapped = exp.copy()
            swapped[[a, b]] = exp[[b, a]]
            details = {"variant": "maps", "first": a + 1, "second": b + 1}
            out.append(Candidate(("swapped-answers",), swapped, {"swapped-answers": details}))
    return out


@dataclass
class Stack:
    """The candidates of one shape, stacked: ``values`` (n, cells)."""

    index: np.ndarray
    values: np.ndarray
    telling: dict[Any, np.ndarray] = field(default_factory=dict)


def stacks(cands: list[Candidate], context: CheckContext | None, others: list[Any] | None) -> dict[tuple, Stack]:
    """The candidates grouped by shape (cached with them)."""
    key = ("stacks", tuple((n, id(o)) for n, o, _ in _peer_list(others)))
    if context is not None and key in context.cache:
        return context.cache[key]
    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(cands):
        groups.setdefault(c.values.shape, []).append(i)
    out = {
        shape: Stack(np.array(idx), np.stack([cands[i].values.reshape(-1) for i in idx]))
        for shape, idx in groups.items()
    }
    if context is not None:
        context.cache[key] = out
    return out
