"""What a student may have computed instead of the result: a problem redone with mistakes.

A problem is read into a ``Recipe`` (image, kernel, conv settings, the steps
after the conv). A *mistake* is a dict of modifications (``mods``) that
``evaluate`` applies while recomputing the recipe; ``catalogue.CATALOGUE``
lists the mistakes a student makes.

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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cnncalc.check.cells import CheckContext
from cnncalc.errors import CnncalcError

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
            if x.ndim != 3:
                return None
            if isinstance(conv["padding"], str):  # "same" or "valid": the pads they stand for
                top, bottom, left, right = ops.conv_padding(
                    conv["padding"], weight.shape[2:], _pair(conv["dilation"]), _pair(conv["stride"])
                )
                if top != bottom or left != right:
                    return None
                conv["padding"] = (top, left)
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
        return parts.max(axis=0)
    total = parts.sum(axis=0)
    return total / (size[0] * size[1]) if kind == "mean" else total


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
    if isinstance(op, tuple) and op[0] == "move":  # each cell holds its neighbour's value
        _, dy, dx = op
        h, w = out.shape[-2:]
        moved = np.full(out.shape, np.nan)
        moved[..., max(-dy, 0) : h + min(-dy, 0), max(-dx, 0) : w + min(-dx, 0)] = out[
            ..., max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)
        ]
        return moved
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
