"""A worked gradient for one weight: which products make up dL/dw.

For a conv kernel cell (a, b) of filter m and channel c,
dL/dw = Σ over output cells (i, j) of xp[c, i·s + a·d, j·s + b·d] · g[m, i, j],
divided by C·kh·kw with ``norm=mean`` (xp is the padded stage input, g the
gradient of the loss w.r.t. the stage output). With ``flip=true`` the stored
cell (a, b) is the window's cell (kh−1−a, kw−1−b). For a linear weight W[r, c]
there is one product: x[c] · g[r].

>>> import numpy as np
>>> from cnncalc.net.pipeline import Stage
>>> st = Stage("conv", [], {}, "conv(k.txt)", 0, 1, options={"stride": (1, 1), "padding": (0, 0),
...     "dilation": (1, 1), "padding_mode": "zeros", "norm": "sum", "flip": False},
...     weight=np.ones((2, 2)))
>>> e = explain_weight(st, np.arange(9.).reshape(3, 3), np.ones((2, 2)), block=None, row=2, col=1)
>>> [p.x for p in e.products], e.value
([3.0, 4.0, 6.0, 7.0], 20.0)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cnncalc.engine import ops
from cnncalc.errors import ParameterError
from cnncalc.net.pipeline import Stage, conv_weight

_SPEC = re.compile(r"^\s*(\d+)\s*:\s*(?:(\d+)\s*:\s*)?(\d+)\s*,\s*(\d+)\s*$")


@dataclass
class Product:
    """One term: an input cell times the upstream gradient at one output cell (1-based)."""

    output: tuple[int, int]
    padded: tuple[int, int]
    input: tuple[int, int] | None  # the source cell; None for zero padding
    x: float
    grad: float
    product: float

    def to_json(self) -> dict[str, Any]:
        return {
            "output": list(self.output),
            "input": list(self.input) if self.input is not None else None,
            "padded": list(self.padded),
            "x": self.x + 0.0,
            "grad": self.grad + 0.0,
            "product": self.product + 0.0,
        }


@dataclass
class WeightExplanation:
    """dL/dw for one weight cell as a list of products, their sum and the normalisation."""

    stage: int
    stage_name: str
    block: int | None
    row: int
    col: int
    products: list[Product]
    total: float
    divisor: int
    value: float
    flipped_to: tuple[int, int] | None = None
    filter: int = 1
    channel: int = 1
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "name": "weight",
            "block": self.block,
            "row": self.row,
            "col": self.col,
            "products": [p.to_json() for p in self.products],
            "sum": self.total + 0.0,
            "divisor": self.divisor,
            "value": self.value + 0.0,
        }


def parse_explain_spec(text: str) -> tuple[int, int | None, int, int]:
    """``STAGE:ROW,COL`` or ``STAGE:BLOCK:ROW,COL`` (1-based) to a tuple.

    >>> parse_explain_spec("1:2,3"), parse_explain_spec("3:2:1,1")
    ((1, None, 2, 3), (3, 2, 1, 1))
    """
    m = _SPEC.match(str(text))
    if not m or any(v is not None and int(v) < 1 for v in m.groups()):
        raise ParameterError("train.explain_spec", value=text)
    stage, block, row, col = m.groups()
    return int(stage), int(block) if block else None, int(row), int(col)


def _source_index(n: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """For each padded position along one axis, the input index it copies (−1: zero)."""
    if mode in ("zeros", "constant"):  # a fill cell copies nothing; a negative pad crops
        idx = np.arange(-lo, n + hi)
        return np.where((idx >= 0) & (idx < n), idx, -1)
    numpy_mode: Any = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}[mode]
    return np.pad(np.arange(n), (lo, hi), mode=numpy_mode)


def explain_weight(
    stage: Stage,
    x: np.ndarray,
    upstream: np.ndarray,
    *,
    block: int | None,
    row: int,
    col: int,
) -> WeightExplanation:
    """The products behind dL/dw at weight cell (``row``, ``col``) of ``block``.

    ``x`` is the stage's input and ``upstream`` the gradient of the loss with
    respect to the stage's output, as the backward pass saw them.
    """
    weight = np.asarray(stage.weight, dtype=np.float64)
    if np.ndim(x) == 4 or (stage.name == "linear" and np.ndim(upstream) == 2):
        raise ParameterError("explain.one_image")
    if stage.name == "linear":
        return _explain_linear(stage, x, upstream, block, row, col)
    blocks = 1 if weight.ndim == 2 else int(np.prod(weight.shape[:-2]))
    if block is None:
        if blocks > 1:
            raise ParameterError("train.explain_needs_block", stage=stage.index, blocks=blocks)
        block = 1 if blocks > 1 else None
    if block is not None and block > blocks:
        raise ParameterError("train.explain_block", block=block, stage=stage.index, blocks=blocks)
    kh, kw = weight.shape[-2:]
    if row > kh or col > kw:
        raise ParameterError(
            "train.explain_cell", row=row, col=col, stage=stage.index, shape=f"{kh}×{kw}"
        )
    xin = ops._as_image(x)
    channels = xin.shape[0]
    opts = stage.options
    groups = opts.get("groups", 1)
    per_filter = channels // groups
    w4, _ = ops._as_weight(conv_weight(weight, channels, groups), channels, groups)
    m, c_local = divmod((block or 1) - 1, per_filter)
    c = (m // (w4.shape[0] // groups)) * per_filter + c_local  # the input channel this block reads
    s, d = opts["stride"], opts["dilation"]
    pads = ops._resolve_pads(opts["padding"], (kh, kw), d, s)
    a, b = row - 1, col - 1
    flipped_to = None
    if opts.get("flip"):
        a, b = kh - 1 - a, kw - 1 - b
        flipped_to = (a + 1, b + 1)
    if opts["padding_mode"] == "constant" or min(pads) < 0:
        from cnncalc.engine.padding import pad

        xp = pad(xin, (pads[2], pads[3], pads[0], pads[1]), mode=opts["padding_mode"],
                 value=opts.get("padding_value", 0.0))
    else:
        xp = ops.pad(xin, pads, opts["padding_mode"])
    g = np.asarray(upstream, dtype=np.float64).reshape(w4.shape[0], -1, np.shape(upstream)[-1])[m]
    ho, wo = g.shape
    rows = a * d[0] + np.arange(ho) * s[0]
    cols = b * d[1] + np.arange(wo) * s[1]
    src_r = _source_index(xin.shape[1], pads[0], pads[1], opts["padding_mode"])
    src_c = _source_index(xin.shape[2], pads[2], pads[3], opts["padding_mode"])
    products = []
    for i, r in enumerate(rows):
        for j, q in enumerate(cols):
            xv, gv = float(xp[c, r, q]), float(g[i, j])
            source = (int(src_r[r]) + 1, int(src_c[q]) + 1) if src_r[r] >= 0 and src_c[q] >= 0 else None
            products.append(Product((i + 1, j + 1), (int(r) + 1, int(q) + 1), source, xv, gv, xv * gv))
    total = float(np.sum(xp[c][np.ix_(rows, cols)] * g))
    divisor = per_filter * kh * kw if opts["norm"] == "mean" else 1
    return WeightExplanation(
        stage=stage.index, stage_name=stage.name, block=block, row=row, col=col,
        products=products, total=total, divisor=divisor, value=total / divisor,
        flipped_to=flipped_to, filter=m + 1, channel=c + 1,
    )


def _explain_linear(
    stage: Stage, x: np.ndarray, upstream: np.ndarray, block: int | None, row: int, col: int
) -> WeightExplanation:
    weight = np.asarray(stage.weight, dtype=np.float64)
    if block not in (None, 1):
        raise ParameterError("train.explain_block", block=block, stage=stage.index, blocks=1)
    out_n, in_n = weight.shape
    if row > out_n or col > in_n:
        raise ParameterError(
            "train.explain_cell", row=row, col=col, stage=stage.index, shape=f"{out_n}×{in_n}"
        )
    xv = float(np.asarray(x, dtype=np.float64).reshape(-1)[col - 1])
    gv = float(np.asarray(upstream, dtype=np.float64).reshape(-1)[row - 1])
    product = Product((1, row), (1, col), (1, col), xv, gv, xv * gv)
    return WeightExplanation(
        stage=stage.index, stage_name=stage.name, block=None, row=row, col=col,
        products=[product], total=xv * gv, divisor=1, value=xv * gv,
    )
