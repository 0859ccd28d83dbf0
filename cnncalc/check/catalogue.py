"""The mistake catalogue: one entry per mistake a student makes.

Each entry has a label, the layer of the computation it changes (``mistakes``:
input, scale, steps, output) and a function listing its variants for a recipe:
``(mods, details)`` pairs, none when the mistake cannot be made (no bias to
forget). Adding a mistake is adding an entry here, what ``mods`` asks of
``mistakes.evaluate``, and its sentences (``check.diag.<label>`` and
``check.what.<label>`` in ``messages/diagnosis.py``).

>>> from cnncalc.check.cells import CheckContext
>>> r = Recipe.from_context(CheckContext(np.ones((4, 4)), np.ones((2, 2)), {"bias": 0.5}))
>>> [mods for mods, _ in variants("missing-bias", r)]
[{'bias': array([0.])}]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from cnncalc.check.mistakes import Recipe, pair_text

Variants = list[tuple[dict[str, Any], dict[str, Any]]]

POOL_KINDS = ("max", "mean", "sum")
STRIDES, PADDINGS, DILATIONS, POOL_SIZES = (1, 2, 3, 4), (0, 1, 2, 3), (1, 2, 3), (2, 3)
WINDOW_SHIFTS = ((0, 1), (1, 0), (1, 1), (0, -1), (-1, 0), (-1, -1), (1, -1), (-1, 1))
ONE_MORE = ((1, 0), (0, 1), (1, 1))
CELL_SHIFTS = tuple((dy, dx) for dy in range(-2, 3) for dx in range(-2, 3) if (dy, dx) != (0, 0))


def _setting(param: str, values: tuple, r: Recipe, axes: tuple = ()) -> Variants:
    """Another value of a conv setting; ``axes`` also tries each pair of two values,
    one per axis (``stride=1,2``), alone only (``single``: never in a pair)."""
    now = getattr(r, param)
    out: Variants = [
        ({param: v}, {"variant": "setting", "setting": f"{param}={v}", "expected": f"{param}={pair_text(now)}"})
        for v in values
        if (v, v) != now
    ]
    for a, b in itertools.permutations(axes, 2):
        if (a, b) != now:
            out.append(({param: (a, b)}, {"variant": "setting", "setting": f"{param}={a},{b}",
                                          "expected": f"{param}={pair_text(now)}", "single": True}))
    return out


def _bias_text(r: Recipe) -> str:
    from cnncalc.numfmt import format_full

    return ", ".join(format_full(float(v)) for v in r.bias)


def _bias_variants(factor: float) -> Callable[[Recipe], Variants]:
    def variants(r: Recipe) -> Variants:
        if not np.any(r.bias != 0):
            return []
        return [({"bias": r.bias * factor}, {"variant": "value", "bias": _bias_text(r)})]

    return variants


def _pool_kind(r: Recipe) -> Variants:
    p = r.pool()
    if p is None:
        return []
    return [({"pool_kind": k}, {"variant": "setting", "setting": k, "expected": p["kind"]})
            for k in POOL_KINDS if k != p["kind"]]


def _pool_size(r: Recipe) -> Variants:
    p = r.pool()
    if p is None:
        return []
    out: Variants = []
    for size in POOL_SIZES:
        if (size, size) == p["size"]:
            continue
        info = {"variant": "setting", "setting": f"size={size}", "expected": f"size={pair_text(p['size'])}"}
        out.append(({"pool_size": (size, size), "pool_stride": (size, size)}, info))
        if p["stride"] != (size, size):
            out.append(({"pool_size": (size, size)}, info))
    return out


def _pool_stride(r: Recipe) -> Variants:
    p = r.pool()
    if p is None:
        return []
    return [
        ({"pool_stride": (s, s)},
         {"variant": "setting", "setting": f"stride={s}", "expected": f"stride={pair_text(p['stride'])}"})
        for s in (1, 2, 3)
        if (s, s) != p["stride"]
    ]


def _divisors(r: Recipe) -> Variants:
    if r.norm != "mean":
        return []
    k = r.kernel
    n = int(np.prod(k.shape[1:]))
    nnz = int(np.count_nonzero(k[0]))
    out = {n - 1, nnz, int(np.prod(k.shape[2:]))}  # not n + 1: k/10 is k/9 cut to one decimal
    return [({"divisor": d}, {"variant": "count", "divisor": d, "n": n}) for d in sorted(out) if d > 0 and d != n]


def _peers(r: Recipe) -> Variants:
    out: Variants = []
    for j, (name, image, kernel) in enumerate(r.peers):
        if image.shape != r.image.shape or not np.array_equal(image, r.image):
            out.append(({"image": ("other", j)}, {"other": name, "variant": "image"}))
        if kernel.shape != r.kernel.shape or not np.array_equal(kernel, r.kernel):
            out.append(({"kernel": ("other", j)}, {"other": name, "variant": "kernel"}))
    return out


def _padding_mode(r: Recipe) -> Variants:
    if r.padding == (0, 0):
        return []
    modes = [m for m in ("zeros", "replicate", "reflect") if m != r.padding_mode]
    return [
        ({"padding_mode": m},
         {"variant": "setting", "setting": f"padding_mode={m}", "expected": f"padding_mode={r.padding_mode}"})
        for m in modes
    ]


def _flip(r: Recipe) -> Variants:
    return [({"kernel": "flip"}, {"variant": "unflipped" if r.flip else "flipped"})]


def _when(test: Callable[[Recipe], Any], mods: dict[str, Any], **info: Any) -> Callable[[Recipe], Variants]:
    return lambda r: [(dict(mods), dict(info))] if test(r) else []


@dataclass(frozen=True)
class Entry:
    label: str
    layer: str  # input, scale, steps, output
    variants: Callable[[Recipe], Variants]


CATALOGUE: tuple[Entry, ...] = (  # most common first: the first of equal explanations is named
    Entry("normalization", "scale", lambda r: [({"norm": "sum" if r.norm == "mean" else "mean"},
                                                {"variant": "sum" if r.norm == "mean" else "mean",
                                                 "n": int(np.prod(r.kernel.shape[1:]))})]),
    Entry("flipped-kernel", "input", _flip),
    Entry("missing-relu", "steps", _when(lambda r: r.has("relu"), {"drop_relu": True})),
    Entry("missing-bias", "scale", _bias_variants(0.0)),
    Entry("wrong-stride", "input", lambda r: _setting("stride", STRIDES, r)),
    Entry("wrong-padding", "input", lambda r: _setting("padding", PADDINGS, r)),
    Entry("wrong-dilation", "input", lambda r: _setting("dilation", DILATIONS, r)),
    Entry("double-bias", "scale", _bias_variants(2.0)),
    Entry("negated-bias", "scale", _bias_variants(-1.0)),
    Entry("bias-after-relu", "steps", lambda r: [({"bias_after_relu": True}, {"variant": "value", "bias": _bias_text(r)})]
          if r.has("relu") and np.any(r.bias != 0) else []),
    Entry("extra-relu", "steps", _when(lambda r: not r.has("relu"), {"extra_relu": True})),
    Entry("missing-pool", "steps", lambda r: [({"drop_pool": True}, {"variant": "step", "step": _pool_text(r.pool())})] if r.pool() else []),
    Entry("pool-kind", "steps", _pool_kind),
    Entry("wrong-pool-size", "steps", _pool_size),
    Entry("wrong-pool-stride", "steps", _pool_stride),
    Entry("stage-order", "steps", _when(lambda r: r.has("relu") and r.pool() and r.pool()["kind"] != "max",  # type: ignore[index]
                                        {"swap_order": True})),
    Entry("wrong-divisor", "scale", _divisors),
    Entry("transposed", "output", _when(lambda r: True, {"out": ("transpose",)})),
    Entry("flipped-kernel-axis", "input", lambda r: [({"kernel": "flip-rows"}, {"variant": "rows"}),
                                                     ({"kernel": "flip-cols"}, {"variant": "cols"})]),
    Entry("transposed-kernel", "input", _when(lambda r: True, {"kernel": "transpose"})),
    Entry("transposed-image", "input", _when(lambda r: True, {"image": "transpose"})),
    Entry("reversed-rows", "output", _when(lambda r: True, {"out": ("rows",)})),
    Entry("reversed-cols", "output", _when(lambda r: True, {"out": ("cols",)})),
    Entry("padding-value", "input", _when(lambda r: r.padding != (0, 0), {"pad_value": 1.0}, value=1)),
    Entry("padding-mode", "input", _padding_mode),
    Entry("cropped", "output", lambda r: [({"out": (("crop",) + e,)}, {"rows": e[0], "cols": e[1]}) for e in ONE_MORE]),
    Entry("extended", "input", lambda r: [] if r.pool() else [({"extend": e}, {"rows": e[0], "cols": e[1]}) for e in ONE_MORE]),
    Entry("shifted", "input", lambda r: [({"shift": s}, {"variant": "window", "dy": s[0], "dx": s[1]}) for s in WINDOW_SHIFTS]),
    Entry("other-input", "input", _peers),
    # the cells written one or two places off (the grid itself shifted), never in a pair
    Entry("shifted", "output", lambda r: [({"out": (("move", dy, dx),)}, {"dy": dy, "dx": dx, "single": True})
                                          for dy, dx in CELL_SHIFTS]),
    # one axis only (stride=1,2): rarer than every mistake above, never in a pair
    Entry("wrong-stride", "input", lambda r: _setting("stride", (), r, (1, 2, 3))),
    Entry("wrong-padding", "input", lambda r: _setting("padding", (), r, (0, 1, 2))),
)
LABELS = tuple(dict.fromkeys(e.label for e in CATALOGUE))
SETTING_LABELS = ("wrong-stride", "wrong-padding", "wrong-dilation")


def _pool_text(p: dict[str, Any] | None) -> str:
    if p is None:
        return ""
    kind = {"mean": "avg"}.get(p["kind"], p["kind"])
    text = f"{kind}pool({pair_text(p['size'])}"
    return text + (f", stride={pair_text(p['stride'])})" if p["stride"] != p["size"] else ")")


def merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any] | None:
    """Two mistakes made together (None when both change the same thing)."""
    out = dict(a)
    for key, value in b.items():
        if key == "out":
            out["out"] = tuple(out.get("out", ())) + tuple(value)
        elif key in out or (key.startswith("pool") and any(k.startswith("pool") or k == "drop_pool" for k in a)):
            return None
        else:
            out[key] = value
    if "drop_pool" in out and any(k.startswith("pool_") or k == "swap_order" for k in out):
        return None
    if "drop_relu" in out and ("swap_order" in out or "bias_after_relu" in out):
        return None
    if "bias" in out and "bias_after_relu" in out:
        return None
    if "divisor" in out and "norm" in out:
        return None
    return out


def variants(label: str, r: Recipe) -> Variants:
    """Every variant of the mistake ``label`` for the recipe ``r``."""
    return [v for e in CATALOGUE if e.label == label for v in e.variants(r)]
