"""Why an answer is wrong: recompute plausible mistakes and see which one the student made.

Each *alternative* is the result a typical mistake produces (sum instead of
mean, a flipped kernel, a transposed or shifted map, no ReLU, another stride,
padding or dilation, another problem's answer). An alternative counts when it
agrees with the student's answer on more cells than the true result does and,
on the cells where it changes the result, the answer follows it on at least half
of them and three times as often as it follows the true result (``followed``);
the wrong cells it reproduces are *explained* by it. Alternatives are taken
greedily, the one explaining most first; the wrong cells left over get a
per-cell cause (sign, rounding, too-few-decimals, arithmetic) measured against
the best alternative when it explains at least half of the wrong cells (the
student's own frame), else against the true result.

>>> got = np.array([[[7.0, 1.0], [-1.0, 7.0]]])
>>> exp = got / 9
>>> causes, explained, details = diagnose(got, np.zeros_like(got, dtype=int), exp,
...                                       np.ones(got.shape, bool), context=None)
>>> explained, details["normalization"]["variant"]
({'normalization': 4}, 'sum')
"""
from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from cnncalc.check.cells import CheckContext, cell_causes, cells_right
from cnncalc.check.recompute import (
    MAX_SWAPPED_MAPS,
    PARAM_LABEL,
    SEARCH,
    SHIFTS,
    Alternative,
    _maps,
    _pair_text,
    _recompute,
    _setting,
    _small_enough,
    is_relu,
    recompute,
)
from cnncalc.errors import CnncalcError

# --------------------------------------------------------------------------- alternatives


def _toggles(context: CheckContext) -> list[tuple[str, dict[str, Any], bool, dict[str, Any]]]:
    """Single mistakes that keep the shape: (label, overrides, drop_relu, details)."""
    from cnncalc.engine import ops

    s = _setting(context.conv)
    image = np.asarray(context.image)
    weight, _ = ops._as_weight(context.kernel, image.shape[0] if image.ndim == 3 else 1)
    n = int(np.prod(weight.shape[1:]))  # C·kh·kw, the divisor of norm="mean"
    out: list[tuple[str, dict[str, Any], bool, dict[str, Any]]] = [
        (
            "normalization",
            {"norm": "mean" if s["norm"] == "sum" else "sum"},
            False,
            {"variant": "mean" if s["norm"] == "sum" else "sum", "n": n},
        ),
        ("flipped-kernel", {"flip": not s["flip"]}, False, {"variant": "unflipped" if s["flip"] else "flipped"}),
    ]
    if any(is_relu(p) for p in context.post or []):
        out.append(("missing-relu", {}, True, {}))
    return out


def _same_shape_settings(context: CheckContext) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Stride, padding, dilation and padding-mode changes (checked later for shape)."""
    s = _setting(context.conv)
    out: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for param, values in SEARCH.items():
        for v in values:
            if _pair_text(s[param]) != str(v):
                out.append((PARAM_LABEL[param], {param: v}, _param_details(param, v, s[param])))
    if _pair_text(s["padding"]) not in ("0", "valid"):
        for mode in ("zeros", "reflect", "replicate", "circular"):
            if mode != s["padding_mode"]:
                out.append(
                    (
                        "wrong-padding",
                        {"padding_mode": mode},
                        _param_details("padding_mode", mode, s["padding_mode"]),
                    )
                )
    return out


def step_text(step: Any) -> str:
    """A post step as people write it: ``relu``, ``maxpool(2)``, a stage's own text.

    >>> step_text("relu"), step_text(("pool", "max", (2, 2), None)), step_text(("pool", "mean", (3, 3), (1, 1)))
    ('relu', 'maxpool(2)', 'meanpool(3, stride=1)')
    """
    if isinstance(step, str):
        return step
    if isinstance(step, tuple):
        _, kind, size, stride = step
        text = f"{kind}pool({_pair_text(size)}"
        return text + (f", stride={_pair_text(stride)})" if stride is not None and stride != size else ")")
    return str(getattr(step, "text", getattr(step, "name", step)))


def _before_step(context: CheckContext, got: np.ndarray, dec: np.ndarray, policy: dict[str, Any]) -> str | None:
    """The step after the conv that the answer stops before (it forgot the pooling):
    when at least half its cells agree with the result up to there."""
    post = list(context.post or [])
    for k in range(len(post) - 1, -1, -1):
        key = ("before", k)
        if key not in context.cache:
            cut = CheckContext(context.image, context.kernel, context.conv, post[:k])
            context.cache[key] = _recompute(cut, {})
        values = context.cache[key]
        if values is None or _maps(values).shape != got.shape:
            continue
        agree = cells_right(got, dec, _maps(values), **policy)
        if 2 * int(agree.sum()) >= agree.size:
            return step_text(post[k])
    return None


def _conv_hw(context: CheckContext, setting: dict[str, Any]) -> tuple[int, int] | None:
    """The conv's output size under ``setting``, by the formula (None when illegal)."""
    from cnncalc.engine import ops

    try:
        k_hw = tuple(np.asarray(context.kernel).shape[-2:])
        stride = ops.as_pair(setting["stride"], "stride")
        dilation = ops.as_pair(setting["dilation"], "dilation")
        pads = ops.conv_padding(setting["padding"], k_hw, dilation, stride)  # type: ignore[arg-type]
        in_hw = tuple(np.asarray(context.image).shape[-2:])
        return ops.conv_output_hw(in_hw, k_hw, pads, stride, dilation)  # type: ignore[arg-type]
    except (CnncalcError, ValueError, TypeError):
        return None


def _same_shape_pairs(
    context: CheckContext,
) -> list[tuple[tuple[str, str], dict[str, Any], dict[str, dict[str, Any]]]]:
    """Two of stride, padding and dilation changed together that keep the output size
    (dilation 1 with padding 1 where the problem has dilation 2 with padding 2)."""
    s = _setting(context.conv)
    size = _conv_hw(context, s)
    if size is None:
        return []
    out = []
    for (pa, va), (pb, vb) in itertools.combinations(
        [(p, v) for p, vs in SEARCH.items() for v in vs if _pair_text(s[p]) != str(v)], 2
    ):
        if pa != pb and _conv_hw(context, {**s, pa: va, pb: vb}) == size:
            details = {
                PARAM_LABEL[pa]: _param_details(pa, va, s[pa]),
                PARAM_LABEL[pb]: _param_details(pb, vb, s[pb]),
            }
            out.append(((PARAM_LABEL[pa], PARAM_LABEL[pb]), {pa: va, pb: vb}, details))
    return out


def _param_details(param: str, value: Any, expected: Any) -> dict[str, Any]:
    return {
        "variant": "setting",
        "setting": f"{param}={_pair_text(value)}",
        "expected": f"{param}={_pair_text(expected)}",
    }


def alternatives(
    exp: np.ndarray,
    got: np.ndarray,
    *,
    context: CheckContext | None,
    others: list[Any] | None,
) -> list[Alternative]:
    """Every mistake worth trying for an answer of the right shape."""
    alts: list[Alternative] = []
    if context is not None and _small_enough(context):
        toggles = _toggles(context)
        for k in (1, 2):
            for combo in itertools.combinations(toggles, k):
                overrides: dict[str, Any] = {}
                drop = False
                for _, ov, dr, _ in combo:
                    overrides.update(ov)
                    drop = drop or dr
                values = recompute(context, overrides, drop_relu=drop)
                if values is not None and _maps(values).shape == exp.shape:
                    alts.append(
                        Alternative(
                            tuple(c[0] for c in combo), _maps(values), {c[0]: c[3] for c in combo}
                        )
                    )
        for label, ov, details in _same_shape_settings(context):
            values = recompute(context, ov)
            if values is not None and _maps(values).shape == exp.shape:
                alts.append(Alternative((label,), _maps(values), {label: details}))
        for labels, ov, both in _same_shape_pairs(context):
            values = recompute(context, ov)
            if values is not None and _maps(values).shape == exp.shape:
                alts.append(Alternative(labels, _maps(values), both))
    elif not np.allclose(exp, 0):
        alts.extend(_ratio_normalization(exp, got))
    if exp.shape[1] == exp.shape[2]:
        alts.append(Alternative(("transposed",), exp.transpose(0, 2, 1).copy()))
    for dy, dx in SHIFTS:
        alts.append(_shifted(exp, dy, dx))
    for index, other in enumerate(others or [], start=1):
        if isinstance(other, tuple):  # (name of the other problem, its result)
            index, other = other
        if other is None:
            continue
        o = _maps(other)
        if o.shape == exp.shape and not np.array_equal(o, exp):
            variant = "named" if isinstance(index, str) else "other"
            alts.append(Alternative(("swapped-answers",), o, {"swapped-answers": {"variant": variant, "other": index}}))
    if 2 <= exp.shape[0] <= MAX_SWAPPED_MAPS:  # two maps of a bank in each other's place
        for a, b in itertools.combinations(range(exp.shape[0]), 2):
            if not np.array_equal(exp[a], exp[b]):
                swapped = exp.copy()
                swapped[[a, b]] = exp[[b, a]]
                details = {"variant": "maps", "first": a + 1, "second": b + 1}
                alts.append(Alternative(("swapped-answers",), swapped, {"swapped-answers": details}))
    return alts


def _ratio_normalization(exp: np.ndarray, got: np.ndarray) -> list[Alternative]:
    """Without a context: the answer is the result times or divided by a whole number."""
    mask = (np.abs(exp) > 1e-9) & (np.abs(got) > 1e-9)
    if mask.sum() < 2:
        return []
    ratio = float(np.median(np.abs(exp[mask] / got[mask])))
    out = []
    for r, variant, factor in ((ratio, "sum", None), (1 / ratio, "mean", None)):
        n = round(r)
        if n >= 2 and abs(r - n) <= 0.05 * n:
            factor = 1 / n if variant == "sum" else float(n)
            # "sum": the expected values are n times the answer -> student divided by n
            label_variant = "mean" if variant == "sum" else "sum"
            out.append(
                Alternative(
                    ("normalization",),
                    exp * factor,
                    {"normalization": {"variant": label_variant, "n": n}},
                )
            )
    return out


def _shifted(exp: np.ndarray, dy: int, dx: int) -> Alternative:
    h, w = exp.shape[1:]
    alt = np.full(exp.shape, np.nan)
    src = exp[:, max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)]
    alt[:, max(-dy, 0) : h + min(-dy, 0), max(-dx, 0) : w + min(-dx, 0)] = src
    i0, j0 = max(-dy, 0), max(-dx, 0)
    details = {
        "variant": "cells",
        "cell": f"({i0 + 1}, {j0 + 1})",
        "belongs": f"({i0 + dy + 1}, {j0 + dx + 1})",
    }
    return Alternative(("shifted",), alt, {"shifted": details})


# --------------------------------------------------------------------------- diagnosis


def telling_cells(values: np.ndarray, exp: np.ndarray, policy: dict[str, Any]) -> np.ndarray:
    """Where a mistake's result can be told apart from the true one: an answer
    that writes the mistake's value (at the required decimals, or exactly under
    ``atol``/``rtol``) would be wrong there. Cells where the mistake gives 0 do
    not count: 0 is what an unsure student writes, so agreeing there proves nothing.

    >>> telling_cells(np.array([0.1111, 0.2, np.nan, 0.0]), np.array([1 / 9, -0.2, 0.5, 1.0]), {}).tolist()
    [False, True, False, False]
    """
    from cnncalc.numfmt import round_values

    defined = np.isfinite(values)
    v = np.where(defined, values, 0.0)
    if policy.get("atol") is not None or policy.get("rtol") is not None:
        same = np.isclose(v, exp, rtol=policy.get("rtol") or 0.0, atol=policy.get("atol") or 0.0)
        zero = v == 0
    else:
        required = int(policy.get("required", 2))
        written = round_values(v, required)
        same = cells_right(written, np.full(v.shape, required), exp, **policy)
        zero = written == 0
    return defined & ~same & ~zero


def followed(follows: Any, against: Any, telling: Any) -> Any:
    """The student made a mistake when, on the cells where it changes the result,
    the answer follows it on more than half and at least three times as often as
    it follows the true result (a random answer agrees with some mistake on a
    few cells by chance: that is no diagnosis).

    >>> followed(np.array([5, 3, 4, 4]), np.array([0, 0, 1, 2]), np.array([6, 6, 6, 6])).tolist()
    [True, False, True, False]
    """
    follows, against, telling = (np.asarray(a) for a in (follows, against, telling))
    return (follows > 0) & (2 * follows > telling) & (follows >= 3 * against)


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
    """Causes per cell, wrong cells explained per label, and sentence details per label."""
    policy = policy or {}
    causes = np.full(got.shape, "", dtype=object)
    explained: dict[str, int] = {}
    details: dict[str, dict[str, Any]] = {}
    if not wrong.any():
        return causes, explained, details
    right_exp = ~wrong
    scored = []
    wrong_got, wrong_dec = got[wrong], dec[wrong]
    for alt in alternatives(exp, got, context=context, others=others):
        # cheap first: does this mistake reproduce any wrong cell at all?
        if not cells_right(wrong_got, wrong_dec, alt.values[wrong], **policy).any():
            continue
        defined = np.isfinite(alt.values)
        if defined.mean() < 0.5:
            continue
        right_alt = cells_right(got, dec, alt.values, **policy)
        hits = wrong & right_alt
        telling = telling_cells(alt.values, exp, policy)
        better = right_alt[defined].sum() > right_exp[defined].sum()
        if hits.any() and better and followed(
            int((right_alt & telling).sum()), int((right_exp & telling).sum()), int(telling.sum())
        ):
            scored.append((int(hits.sum()), alt, hits))
    scored.sort(key=lambda t: -t[0])
    left = wrong.copy()
    reference = exp
    for rank, (_, alt, hits) in enumerate(scored):
        new = hits & left
        if not new.any():
            continue
        if rank == 0 and 2 * int(new.sum()) >= int(wrong.sum()):
            reference = np.where(np.isfinite(alt.values), alt.values, exp)
        causes[new] = alt.labels[0]
        for label in alt.labels:
            if label not in explained:
                explained[label] = int(new.sum())
                details[label] = alt.details.get(label, {})
        left &= ~new
    if left.any():
        cell = cell_causes(got[left], dec[left], reference[left], **policy)
        causes[left] = cell
        for label in np.unique(cell):
            explained[str(label)] = int((cell == label).sum())
    return causes, explained, details


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
) -> tuple[str | None, list[str], dict[str, dict[str, Any]]]:
    """For a wrong shape: the setting (hint text), labels and details that give the student's shape."""
    if got is None or dec is None:
        return None, [], {}
    policy: dict[str, Any] = {"required": decimals, "atol": atol, "rtol": rtol}
    if got.shape == exp.transpose(0, 2, 1).shape:
        # a transposed answer, when at least half of its cells agree with the transpose
        agree = cells_right(got, dec, exp.transpose(0, 2, 1), **policy)
        if 2 * int(agree.sum()) >= agree.size:
            return None, ["transposed"], {"transposed": {}}
    if context is None or not _small_enough(context):
        return None, [], {}
    before = _before_step(context, got, dec, policy)
    if before is not None:
        return None, [], {"before": {"step": before}}
    s = _setting(context.conv)
    single = [(PARAM_LABEL[p], {p: v}) for p, vs in SEARCH.items() for v in vs if _pair_text(s[p]) != str(v)]
    pairs = [
        ((la, lb), {**a, **b})
        for (la, a), (lb, b) in itertools.combinations(single, 2)
        if la != lb
    ]
    # one axis only (stride=1,2): after the square settings, before the pairs
    axes = [
        (PARAM_LABEL[p], {p: (a, b)})
        for p in ("stride", "padding")
        for a in SEARCH[p]
        for b in SEARCH[p]
        if a != b and _pair_text(s[p]) != f"{a},{b}"
    ]
    candidates = [((label,), ov) for label, ov in single + axes] + pairs
    best = None
    for labels, ov in candidates:
        if best is not None and len(labels) > len(best[1]):
            break
        values = recompute(context, ov)
        if values is None or _maps(values).shape != got.shape:
            continue
        right = int(cells_right(got, dec, _maps(values), **policy).sum())
        if best is None or right > best[0]:
            best = (right, labels, ov)
    if best is None:
        return None, [], {}
    right, labels, ov = best
    hint = ", ".join(f"{p}={_pair_text(v)}" for p, v in ov.items())
    details = {
        label: _param_details(p, v, s[p]) for label, (p, v) in zip(labels, ov.items())
    }
    if 2 * right < got.size:  # only the shape fits: say so, not that the values match
        for d in details.values():
            d["variant"] = "shape"
    return hint, list(labels), details
