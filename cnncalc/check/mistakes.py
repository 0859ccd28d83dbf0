"""The mistake catalogue: what a student may have computed instead of the result.

A problem is read into a ``Recipe`` (image, kernel, conv settings, the steps
after the conv). A *mistake* is a dict of modifications (``mods``) that
``evaluate`` applies while recomputing the recipe; each entry of ``CATALOGUE``
has a label, the layer it changes and a function listing its variants for a
recipe (``(mods, details)`` pairs; none when the mistake cannot be made, e.g.
no bias to forget). Adding a mistake is adding an entry (and its sentences,
``check.diag.<label>`` and ``check.what.<label>`` in ``messages/check.py``).

Layers, in the order the computation runs:

* ``input``  the image, the kernel and the geometry (stride, padding, dilation,
  padding mode or value, windows shifted or one more window past the edge);
* ``scale``  the divisor of the sum and the bias;
* ``steps``  ReLU and pooling after the conv;
* ``output`` the finished map transposed, reversed or cropped.

>>> r = Recipe.from_context(CheckContext(np.arange(16.0).reshape(4, 4), np.ones((2, 2)), {"bias": 1.0}, ["relu"]))
>>> evaluate(r, {})[0].tolist()[0], evaluate(r, {"bias": 0.0})[0].tolist()[0]
([11.0, 15.0, 19.0], [10.0, 14.0, 18.0])
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cnncalc.check.cells import CheckContext
from cnncalc.errors import CnncalcError

Variants = list[tuple[dict[str, Any], dict[str, Any]]]

POOL_KINDS = ("max", "mean", "sum")
STRIDES, PADDINGS, DILATIONS, POOL_SIZES = (1, 2, 3, 4), (0, 1, 2, 3), (1, 2, 3), (2, 3)
WINDOW_SHIFTS = ((0, 1), (1, 0), (1, 1), (0, -1), (-1, 0), (-1, -1), (1, -1), (-1, 1))
ONE_MORE = ((1, 0), (0, 1), (1, 1))
_PAD_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _pair(v: Any) -> tuple[int, int]:
    if isinstance(v, (tuple, list)):
        return int(v[0]), int(v[1])
    return int(v), int(v)


def pair_text(v: Any) -> str:
    a, b = _pair(v)
    return str(a) if a == b else f"{a},{b}"


@dataclass
class Recipe:
    """A problem as the mistakes see it: every part a student can get wrong."""

    image: np.ndarray  # (C, H, W)
    kernel: np.ndarray  # (M, C, kh, kw), already flipped when the problem flips
    single: bool  # one map: the result is 2-D
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    padding_mode: str
    norm: str
    bias: np.ndarray  # (M,)
    flip: bool
    steps: list[tuple]  # ("relu",), ("pool", options), ("stage", Stage)
    peers: list[tuple[Any, np.ndarray, np.ndarray]] = field(default_factory=list)  # (name, image, kernel)
    padded: dict[Any, np.ndarray] = field(default_factory=dict, repr=False)  # padded images, reused

    @classmethod
    def from_context(cls, context: CheckContext, peers: list[Any] | None = None) -> Recipe | None:
        """The recipe of ``context``; None when it has parts the catalogue cannot redo."""
        from cnncalc.engine import ops

        if context.image is None or context.kernel is None:
            return None
        conv = {"stride": 1, "padding": 0, "dilation": 1, "padding_mode": "zeros", "norm": "sum",
                "bias": 0.0, "flip": False, **context.conv}
        try:
            image = np.asarray(context.image, dtype=np.float64)
            x = image[None] if image.ndim == 2 else image
            weight, single = ops._as_weight(context.kernel, x.shape[0])
            if isinstance(conv["padding"], str) or x.ndim != 3:
                return None
            bias = np.broadcast_to(np.asarray(conv["bias"], dtype=np.float64).reshape(-1), (weight.shape[0],))
        except (CnncalcError, ValueError, TypeError):
            return None
        steps = [s for s in (_step(p) for p in context.post or [])]
        if any(s is None for s in steps):
            return None
        flip = bool(conv["flip"])
        return cls(
            x, weight[:, :, ::-1, ::-1].copy() if flip else np.array(weight), single,
            _pair(conv["stride"]), _pair(conv["padding"]), _pair(conv["dilation"]),
            str(conv["padding_mode"]), str(conv["norm"]), bias.copy(), flip,
            steps, list(peers or []),  # type: ignore[arg-type]
        )

    def has(self, kind: str) -> bool:
        return any(s[0] == kind for s in self.steps)

    def pool(self) -> dict[str, Any] | None:
        return next((s[1] for s in self.steps if s[0] == "pool"), None)


def _step(p: Any) -> tuple | None:
    if isinstance(p, str):
        return ("relu",) if p == "relu" else None
    if isinstance(p, tuple):
        _, kind, size, stride = p
        size = _pair(size)
        return ("pool", {"kind": kind, "size": size, "stride": size if stride is None else _pair(stride)})
    name = getattr(p, "name", None)
    options = getattr(p, "options", {}) or {}
    if name == "relu":
        return ("relu",)
    if "kind" in options and "size" in options:
        plain = _pair(options.get("padding", 0)) == (0, 0) and _pair(options.get("dilation", 1)) == (1, 1)
        if plain and not options.get("ceil_mode"):
            return ("pool", {"kind": options["kind"], "size": _pair(options["size"]), "stride": _pair(options["stride"])})
    return ("stage", p)


# --------------------------------------------------------------------------- evaluating


def _pad(x: np.ndarray, pads: tuple[int, int], mode: str, value: float) -> np.ndarray:
    py, px = pads
    if py == px == 0:
        return x
    if mode == "zeros" or mode == "value":
        out = np.full((x.shape[0], x.shape[1] + 2 * py, x.shape[2] + 2 * px), float(value))
        out[:, py : py + x.shape[1], px : px + x.shape[2]] = x
        return out
    if mode == "reflect" and (py >= x.shape[1] or px >= x.shape[2]):
        raise ValueError("reflect padding too large")
    return np.pad(x, ((0, 0), (py, py), (px, px)), mode=_PAD_MODES[mode])  # type: ignore[call-overload]


def _windows(x: np.ndarray, size: tuple[int, int], stride: tuple[int, int], dilation: tuple[int, int]) -> list[np.ndarray]:
    """The (..., oh, ow) slices of ``x`` under each offset of a window."""
    (kh, kw), (sy, sx), (dy, dx) = size, stride, dilation
    h, w = x.shape[-2:]
    eh, ew = dy * (kh - 1) + 1, dx * (kw - 1) + 1
    if h < eh or w < ew:
        raise ValueError("window larger than the map")
    oh, ow = (h - eh) // sy + 1, (w - ew) // sx + 1
    return [
        x[..., a * dy : a * dy + sy * (oh - 1) + 1 : sy, b * dx : b * dx + sx * (ow - 1) + 1 : sx]
        for a in range(kh)
        for b in range(kw)
    ]


def correlate(x: np.ndarray, w: np.ndarray, stride: tuple[int, int], dilation: tuple[int, int]) -> np.ndarray:
    """Cross-correlation sums of the padded (C, H, W) ``x`` with (M, C, kh, kw) ``w``.

    >>> correlate(np.arange(9.0).reshape(1, 3, 3), np.ones((1, 1, 2, 2)), (1, 1), (1, 1)).tolist()
    [[[8.0, 12.0], [20.0, 24.0]]]
    """
    m, c, kh, kw = w.shape
    patches = np.stack(_windows(x, (kh, kw), stride, dilation))  # (kh·kw, C, oh, ow)
    return np.tensordot(w.reshape(m, c, kh * kw), patches, axes=([1, 2], [1, 0]))


def _pool(x: np.ndarray, kind: str, size: tuple[int, int], stride: tuple[int, int]) -> np.ndarray:
    parts = np.stack(_windows(x, size, stride, (1, 1)))
    if kind == "max":
        return parts.max(axis=0)  # type: ignore[no-any-return]
    total = parts.sum(axis=0)
    return total / (size[0] * size[1]) if kind == "mean" else total  # type: ignore[no-any-return]


_KERNEL_OPS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "flip": lambda k: k[:, :, ::-1, ::-1],
    "flip-rows": lambda k: k[:, :, ::-1, :],
    "flip-cols": lambda k: k[:, :, :, ::-1],
    "transpose": lambda k: k.transpose(0, 1, 3, 2),
}


def conv_sums(r: Recipe, mods: dict[str, Any]) -> np.ndarray:
    """The ``input`` layer: the sums of products under the mistakes in ``mods``."""
    x, k = r.image, r.kernel
    kop, iop = mods.get("kernel"), mods.get("image")
    if isinstance(kop, tuple):
        k = r.peers[kop[1]][2]
    elif kop is not None:
        k = _KERNEL_OPS[kop](k)
    if isinstance(iop, tuple):
        x = r.peers[iop[1]][1]
    elif iop == "transpose":
        x = x.transpose(0, 2, 1)
    if k.shape[1] != x.shape[0]:
        raise ValueError("channels")
    stride = _pair(mods.get("stride", r.stride))
    dilation = _pair(mods.get("dilation", r.dilation))
    mode = mods.get("padding_mode", r.padding_mode)
    value = float(mods.get("pad_value", 0.0))
    if "pad_value" in mods:
        mode = "value"
    key = (iop, mods.get("padding", r.padding), mode, value)
    xp = r.padded.get(key)
    if xp is None:
        xp = r.padded[key] = _pad(x, _pair(mods.get("padding", r.padding)), mode, value)
    shift, extend = mods.get("shift"), mods.get("extend")
    if shift is not None:
        dy, dx = shift
        h, w = xp.shape[1:]
        moved = np.zeros_like(xp)
        moved[:, max(-dy, 0) : h - max(dy, 0), max(-dx, 0) : w - max(dx, 0)] = xp[
            :, max(dy, 0) : h - max(-dy, 0), max(dx, 0) : w - max(-dx, 0)
        ]
        xp = moved
    if extend is not None:
        kh, kw = k.shape[2:]
        adds = []
        for axis, (n, s, d, kk) in enumerate(zip(xp.shape[1:], stride, dilation, (kh, kw))):
            e = d * (kk - 1) + 1
            out = (n - e) // s + 1 if n >= e else 0
            adds.append(s * out + e - n if extend[axis] else 0)
        xp = np.pad(xp, ((0, 0), (0, adds[0]), (0, adds[1])))
    return correlate(xp, k, stride, dilation)


def evaluate(r: Recipe, mods: dict[str, Any], sums: np.ndarray | None = None) -> np.ndarray:
    """The recipe's result (maps, H, W) with the mistakes in ``mods``; raises
    ``ValueError`` when they cannot be made (a window larger than the image).
    ``sums`` may give ``conv_sums(r, mods)`` already computed."""
    pre, steps = before_steps(r, mods, conv_sums(r, mods) if sums is None else sums)
    return finish(apply_steps(pre, steps, r.bias), mods)


def before_steps(r: Recipe, mods: dict[str, Any], sums: np.ndarray) -> tuple[np.ndarray, list[tuple]]:
    """The ``scale`` layer: the conv's output under ``mods``, and the steps still to run."""
    kop = mods.get("kernel")
    kernel = r.peers[kop[1]][2] if isinstance(kop, tuple) else r.kernel
    n = kernel.shape[1] * kernel.shape[2] * kernel.shape[3]
    norm = mods.get("norm", r.norm)
    divisor = mods.get("divisor", n if norm == "mean" else 1)
    out = sums / divisor if divisor != 1 else sums
    if not mods.get("bias_after_relu"):
        out = out + np.asarray(mods.get("bias", r.bias), dtype=np.float64).reshape(-1, 1, 1)
    return out, _steps(list(r.steps), mods)


def finish(out: np.ndarray, mods: dict[str, Any]) -> np.ndarray:
    """The ``output`` layer: the finished map transposed, reversed or cropped."""
    for op in mods.get("out", ()):
        out = _output_op(out, op)
    return out


def _steps(steps: list[tuple], mods: dict[str, Any]) -> list[tuple]:
    if mods.get("bias_after_relu"):
        i = next(i for i, s in enumerate(steps) if s[0] == "relu")
        steps = steps[: i + 1] + [("bias",)] + steps[i + 1 :]
    if mods.get("drop_relu"):
        steps = [s for s in steps if s[0] != "relu"]
    if mods.get("extra_relu"):
        steps = [("relu",)] + steps
    if mods.get("swap_order"):
        i = next(i for i, s in enumerate(steps) if s[0] == "relu")
        j = next(i for i, s in enumerate(steps) if s[0] == "pool")
        steps[i], steps[j] = steps[j], steps[i]
    if mods.get("drop_pool"):
        steps = [s for s in steps if s[0] != "pool"]
    pool = {k: mods[m] for k, m in (("kind", "pool_kind"), ("size", "pool_size"), ("stride", "pool_stride")) if m in mods}
    if pool:
        steps = [("pool", {**s[1], **pool}) if s[0] == "pool" else s for s in steps]
    return steps


def apply_steps(x: np.ndarray, steps: list[tuple], bias: np.ndarray) -> np.ndarray:
    """The ``steps`` layer on (..., maps, H, W) maps (several candidates at once)."""
    for step in steps:
        if step[0] == "relu":
            x = np.maximum(x, 0.0)
        elif step[0] == "bias":
            x = x + np.asarray(bias, dtype=np.float64).reshape(-1, 1, 1)
        elif step[0] == "pool":
            o = step[1]
            x = _pool(x, o["kind"], _pair(o["size"]), _pair(o["stride"]))
        else:
            from cnncalc.net.pipeline import run_pipeline

            lead = x.shape[:-3]
            try:
                outs = [run_pipeline(one, [step[1]])[-1].output for one in x.reshape(-1, *x.shape[-3:])]
            except CnncalcError as e:
                raise ValueError(str(e)) from None
            outs = [o.reshape(-1, *o.shape[-2:]) for o in outs]
            x = np.stack(outs).reshape(*lead, *outs[0].shape)
    return x


def _output_op(out: np.ndarray, op: Any) -> np.ndarray:
    if op == "transpose":
        return out.swapaxes(-1, -2)
    if op == "rows":
        return out[..., ::-1, :]
    if op == "cols":
        return out[..., :, ::-1]
    _, rows, cols = op  # ("crop", rows, cols)
    if out.shape[-2] <= rows or out.shape[-1] <= cols:
        raise ValueError("cropped away")
    return out[..., : out.shape[-2] - rows, : out.shape[-1] - cols]


# --------------------------------------------------------------------------- the catalogue


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


def _bias(r: Recipe) -> float | None:
    b = r.bias
    return float(b[0]) if b.size and np.all(b == b[0]) and b[0] != 0 else None


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
    out = {n - 1, n + 1, nnz, int(np.prod(k.shape[2:]))}
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


def _each(key: str, values: tuple, name: str) -> Callable[[Recipe], Variants]:
    return lambda r: [({key: v}, {name: v}) for v in values]


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
