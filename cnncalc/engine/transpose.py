"""Transposed convolution exactly as ``torch.nn.functional.conv_transpose2d``.

Each input cell scatters ``x[c, i, j] · weight[c, o]`` into the output at
(i·s + a·d, j·s + b·d) for kernel tap (a, b); then ``padding`` rows/columns are
cut from each border. The weight is (in, out/groups, kH, kW) as in PyTorch.
Output size per axis: (H − 1)·s − 2p + d·(k − 1) + output_padding + 1, where
output_padding must be smaller than the stride or the dilation of its axis.

A 2×2 input, a 2×2 kernel, stride 2: each cell stamps a scaled copy of the
kernel into its own 2×2 block.

>>> x = np.array([[[1., 2.], [3., 4.]]])
>>> k = np.array([[[[1., 10.], [100., 1000.]]]])
>>> conv_transpose2d(x, k, stride=2)[0].tolist()
[[1.0, 10.0, 2.0, 20.0], [100.0, 1000.0, 200.0, 2000.0], [3.0, 30.0, 4.0, 40.0], [300.0, 3000.0, 400.0, 4000.0]]
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from cnncalc.engine import ops
from cnncalc.engine.arrays import (
    as_array,
    as_batch,
    as_int,
    as_pair,
    as_vector,
    pair_text,
    shape_text,
)
from cnncalc.errors import ParameterError, ShapeError


class Plan(NamedTuple):
    x: np.ndarray  # (N, C, H, W)
    single: bool
    weight: np.ndarray  # (G, C/G, O/G, kH, kW)
    bias: np.ndarray | None
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    full_hw: tuple[int, int]  # before the padding is cut
    out_hw: tuple[int, int]


def plan_transpose(input: Any, weight: Any, bias: Any, stride: Any, padding: Any, output_padding: Any,
          dilation: Any, groups: Any) -> Plan:
    s = as_pair(stride, "stride")
    p = as_pair(padding, "padding", minimum=0)
    op = as_pair(output_padding, "output_padding", minimum=0)
    d = as_pair(dilation, "dilation")
    g = as_int(groups, "groups")
    if any(op[a] >= max(s[a], d[a]) for a in (0, 1)):
        raise ParameterError("param.output_padding", value=pair_text(op), stride=pair_text(s), dilation=pair_text(d))
    x, single = as_batch(input)
    w = as_array(weight, "weight")
    if w.ndim != 4:
        raise ShapeError("param.dims", parameter="weight", expected="4-D (in, out/groups, kH, kW)", ndim=w.ndim)
    c = x.shape[1]
    if c % g:
        raise ParameterError("param.groups_divide", groups=g, what="input channels", channels=c)
    if w.shape[0] != c:
        raise ShapeError("param.weight_channels", weight=shape_text(w.shape), expected=w.shape[0], channels=c)
    og, kh, kw = w.shape[1:]
    b = None if bias is None else as_vector(bias, "bias", og * g)
    h, wd = x.shape[2:]
    full = ((h - 1) * s[0] + d[0] * (kh - 1) + 1 + op[0], (wd - 1) * s[1] + d[1] * (kw - 1) + 1 + op[1])
    out = (full[0] - 2 * p[0], full[1] - 2 * p[1])
    if out[0] < 1 or out[1] < 1:
        raise ParameterError("param.transpose_output", output=shape_text(out), padding=pair_text(p), input=shape_text((h, wd)))
    ops.check_cells(x.shape[0], og * g, *full)
    return Plan(x, single, w.reshape(g, c // g, og, kh, kw), b, s, p, d, full, out)


def tap(a: np.ndarray, i: int, j: int, plan: Plan) -> np.ndarray:
    """The strided view of the uncut output that input cells reach through tap (i, j)."""
    (s0, s1), (d0, d1) = plan.stride, plan.dilation
    h, w = plan.x.shape[2:]
    return a[..., i * d0 : i * d0 + (h - 1) * s0 + 1 : s0, j * d1 : j * d1 + (w - 1) * s1 + 1 : s1]


@np.errstate(over="ignore", invalid="ignore")
def conv_transpose2d(
    input: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> np.ndarray:
    """Transposed 2-D convolution (the gradient of conv2d w.r.t. its input), as PyTorch.

    Parameters
    ----------
    input : (C, H, W) or (N, C, H, W).
    weight : (C, out/groups, kH, kW).
    bias : None or one value per output channel (out = groups · weight.shape[1]).
    stride, dilation : int or (h, w), positive.
    padding : int or (h, w), non-negative; cut from both borders of each axis.
    output_padding : int or (h, w), smaller than max(stride, dilation) per axis;
        extra rows/columns added at the bottom/right.
    groups : positive, dividing C.

    Returns
    -------
    (out, Ho, Wo), or (N, out, Ho, Wo) for a batch, with
    Ho = (H − 1)·s − 2p + d·(kH − 1) + output_padding + 1.

    Notes
    -----
    One batched matrix product per kernel tap, added into a strided view.

    Examples
    --------
    >>> conv_transpose2d(np.ones((1, 1, 2)), np.ones((1, 1, 1, 2))).tolist()
    [[[1.0, 2.0, 1.0]]]
    """
    plan = plan_transpose(input, weight, bias, stride, padding, output_padding, dilation, groups)
    x = plan.x
    n = x.shape[0]
    g, cg, og, kh, kw = plan.weight.shape
    h, w = x.shape[2:]
    xg = x.reshape(n, g, cg, h * w)
    wt = np.swapaxes(plan.weight, 1, 2)  # (G, O/G, C/G, kH, kW)
    full = np.zeros((n, g, og, *plan.full_hw))
    for i in range(kh):
        for j in range(kw):
            tap(full, i, j, plan)[...] += (wt[..., i, j] @ xg).reshape(n, g, og, h, w)
    (p0, p1), (ho, wo) = plan.padding, plan.out_hw
    out = full.reshape(n, g * og, *plan.full_hw)[:, :, p0 : p0 + ho, p1 : p1 + wo]
    if plan.bias is not None:
        out = out + plan.bias[:, None, None]
    out = ops.finite_result(np.ascontiguousarray(out), "conv_transpose2d")
    return out[0] if plan.single else out


class Contribution(NamedTuple):
    """One input cell reaching an output cell through one kernel tap (all 1-based)."""

    channel: int
    row: int
    col: int
    tap_row: int
    tap_col: int
    value: float
    weight: float
    product: float


def cell_contributions(
    input: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    row: int,
    col: int,
    map: int = 1,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> tuple[list[Contribution], float, float]:
    """Which input cells and kernel taps reach output cell (``row``, ``col``) of
    map ``map`` (1-based): input (i, j) reaches it through tap (a, b) when
    i·s + a·d = row − 1 + padding (and the same for columns).

    Returns the contributions, the bias added and the cell's value.

    >>> x = np.array([[[1., 2.], [3., 4.]]])
    >>> k = np.array([[[[1., 10.], [100., 1000.]]]])
    >>> parts, b, v = cell_contributions(x, k, row=2, col=2)
    >>> [(p.row, p.col, p.tap_row, p.tap_col, p.product) for p in parts], v
    ([(1, 1, 2, 2, 1000.0), (1, 2, 2, 1, 200.0), (2, 1, 1, 2, 30.0), (2, 2, 1, 1, 4.0)], 1234.0)
    """
    from cnncalc.errors import ParameterError

    plan = plan_transpose(input, weight, bias, stride, padding, output_padding, dilation, groups)
    if plan.x.shape[0] != 1:
        raise ParameterError("explain.one_image")
    g, cg, og, kh, kw = plan.weight.shape
    ho, wo = plan.out_hw
    for name, given in (("row", row), ("col", col), ("map", map)):
        if isinstance(given, (bool, np.bool_)) or not isinstance(given, (int, np.integer)):
            raise ParameterError("param.int_or_pair", parameter=name, value=given)
    if not 1 <= map <= g * og:
        raise ParameterError("explain.map_range", maps=g * og, value=map)
    if not (1 <= row <= ho and 1 <= col <= wo):
        raise ParameterError("explain.at_range", row=row, col=col, rows=ho, cols=wo, shape=f"{ho}×{wo}")
    (s0, s1), (d0, d1), (p0, p1) = plan.stride, plan.dilation, plan.padding
    big_r, big_c = row - 1 + p0, col - 1 + p1
    group, o = divmod(map - 1, og)
    h, w = plan.x.shape[2:]
    parts = []
    for c in range(cg):
        for a in range(kh):
            i, rest = divmod(big_r - a * d0, s0)
            if rest or not 0 <= i < h:
                continue
            for b in range(kw):
                j, rest = divmod(big_c - b * d1, s1)
                if rest or not 0 <= j < w:
                    continue
                value = float(plan.x[0, group * cg + c, i, j])
                wt = float(plan.weight[group, c, o, a, b])
                parts.append(Contribution(group * cg + c + 1, i + 1, j + 1, a + 1, b + 1, value, wt, value * wt))
    parts.sort(key=lambda p: (p.channel, p.row, p.col))
    added = 0.0 if plan.bias is None else float(plan.bias[map - 1])
    return parts, added, float(sum(p.product for p in parts)) + added


def spread_convolution(
    input: np.ndarray,
    weight: np.ndarray,
    *,
    map: int = 1,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """The convolution-arithmetic view of a transposed convolution: the input spread
    by the stride (s − 1 zeros between cells), padded with d·(kh − 1) − padding zeros
    on each side (and output_padding more at the bottom and right; a negative
    amount crops), convolved with stride 1, the same dilation and the kernel
    rotated by 180°, gives output map ``map`` (1-based).

    Returns the spread, padded input (C/groups, H', W') and the (C/groups, kh, kw)
    kernel, so that ``ops.conv2d(spread, kernel, dilation=dilation)`` is that map.

    >>> x = np.array([[[1., 2.], [3., 4.]]])
    >>> k = np.array([[[[1., 10.], [100., 1000.]]]])
    >>> spread, kernel = spread_convolution(x, k, stride=2)
    >>> spread[0].tolist()[:3]
    [[0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 2.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0]]
    >>> kernel[0].tolist()
    [[1000.0, 100.0], [10.0, 1.0]]
    """
    from cnncalc.errors import ParameterError

    plan = plan_transpose(input, weight, None, stride, padding, output_padding, dilation, groups)
    if plan.x.shape[0] != 1:
        raise ParameterError("explain.one_image")
    g, cg, og, kh, kw = plan.weight.shape
    if not 1 <= map <= g * og:
        raise ParameterError("explain.map_range", maps=g * og, value=map)
    group, o = divmod(map - 1, og)
    (s0, s1), (d0, d1), (p0, p1) = plan.stride, plan.dilation, plan.padding
    x = plan.x[0, group * cg : (group + 1) * cg]
    h, w = x.shape[1:]
    ops.check_cells(cg, (h - 1) * s0 + 1, (w - 1) * s1 + 1)
    spread = np.zeros((cg, (h - 1) * s0 + 1, (w - 1) * s1 + 1))
    spread[:, ::s0, ::s1] = x
    qh, qw = d0 * (kh - 1) - p0, d1 * (kw - 1) - p1
    extra = (plan.full_hw[0] - ((h - 1) * s0 + d0 * (kh - 1) + 1),  # output_padding
             plan.full_hw[1] - ((w - 1) * s1 + d1 * (kw - 1) + 1))
    ops.check_cells(cg, spread.shape[1] + 2 * max(qh, 0) + extra[0],
                    spread.shape[2] + 2 * max(qw, 0) + extra[1])
    # pad first, then crop: a crop on one side may be made up by output_padding on the other
    (top, bottom), (left, right) = (qh, qh + extra[0]), (qw, qw + extra[1])
    grown = np.pad(spread, ((0, 0), (max(top, 0), max(bottom, 0)), (max(left, 0), max(right, 0))))
    padded = grown[:, max(-top, 0) : grown.shape[1] - max(-bottom, 0),
                   max(-left, 0) : grown.shape[2] - max(-right, 0)]
    kernel = plan.weight[group, :, o, ::-1, ::-1]
    return padded, np.ascontiguousarray(kernel)
