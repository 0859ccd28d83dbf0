"""conv2d with ``groups`` and any padding (constant value, asymmetric), batched, as ``F.conv2d``.

Exactly ``F.conv2d(F.pad(x, (left, right, top, bottom), mode, value), weight,
bias, stride, 0, dilation, groups)``; the weight is (out, in/groups, kH, kW)
as in PyTorch. groups == in channels is a depthwise convolution; out = k·in
then gives k filters per channel (a channel multiplier).

>>> x = np.arange(8.).reshape(2, 2, 2)               # two channels
>>> w = np.ones((2, 1, 1, 1)); w[1] *= 10            # depthwise: 1x on ch 0, 10x on ch 1
>>> conv2d_grouped(x, w, groups=2).tolist()
[[[0.0, 1.0], [2.0, 3.0]], [[40.0, 50.0], [60.0, 70.0]]]
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
    as_scalar,
    as_vector,
    shape_text,
)
from cnncalc.engine.padding import as_pads, check_mode, pad
from cnncalc.errors import ParameterError, ShapeError


class Plan(NamedTuple):
    x: np.ndarray  # (N, C, H, W)
    single: bool
    weight: np.ndarray  # (G, O/G, C/G, kH, kW)
    bias: np.ndarray | None
    stride: tuple[int, int]
    dilation: tuple[int, int]
    pads: tuple[int, int, int, int]
    mode: str
    value: float
    out_hw: tuple[int, int]


def plan_conv(input: Any, weight: Any, bias: Any, stride: Any, padding: Any, dilation: Any,
          groups: Any, padding_mode: Any, padding_value: Any) -> Plan:
    s = as_pair(stride, "stride")
    d = as_pair(dilation, "dilation")
    g = as_int(groups, "groups")
    pads = as_pads(padding)
    value = as_scalar(padding_value, "padding_value")
    mode = check_mode(padding_mode, value)
    x, single = as_batch(input)
    w = as_array(weight, "weight")
    if w.ndim != 4:
        raise ShapeError("param.dims", parameter="weight", expected="4-D (out, in/groups, kH, kW)", ndim=w.ndim)
    c = x.shape[1]
    o, cg, kh, kw = w.shape
    if c % g:
        raise ParameterError("param.groups_divide", groups=g, what="input channels", channels=c)
    if o % g:
        raise ParameterError("param.groups_divide", groups=g, what="output channels (weight.shape[0])", channels=o)
    if cg * g != c:
        raise ShapeError("param.weight_channels", weight=shape_text(w.shape), expected=cg * g, channels=c)
    b = None if bias is None else as_vector(bias, "bias", o)
    hp = x.shape[2] + pads[2] + pads[3]
    wp = x.shape[3] + pads[0] + pads[1]
    eh, ew = d[0] * (kh - 1) + 1, d[1] * (kw - 1) + 1
    if eh > hp or ew > wp:
        raise ParameterError("param.kernel_too_large", kernel=shape_text((kh, kw)), extent=shape_text((eh, ew)), padded=shape_text((hp, wp)))
    out_hw = ((hp - eh) // s[0] + 1, (wp - ew) // s[1] + 1)
    wg = w.reshape(g, o // g, cg, kh, kw)
    ops.check_cells(x.shape[0], o, *out_hw)
    ops.check_cells(x.shape[0], c, max(hp, 1), max(wp, 1))
    return Plan(x, single, wg, b, s, d, pads, mode, value, out_hw)


def tap(a: np.ndarray, i: int, j: int, plan: Plan) -> np.ndarray:
    """The strided view of a (N, G, C/G, Hp, Wp) array that kernel tap (i, j) reads."""
    (s0, s1), (d0, d1), (ho, wo) = plan.stride, plan.dilation, plan.out_hw
    return a[..., i * d0 : i * d0 + (ho - 1) * s0 + 1 : s0, j * d1 : j * d1 + (wo - 1) * s1 + 1 : s1]


@np.errstate(over="ignore", invalid="ignore")
def conv2d_grouped(
    input: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
    padding_value: float = 0.0,
) -> np.ndarray:
    """Grouped 2-D cross-correlation with F.pad-style padding, as PyTorch computes it.

    Parameters
    ----------
    input : (C, H, W) or (N, C, H, W).
    weight : (out, C/groups, kH, kW).
    bias : None or one value per output channel.
    stride, dilation : int or (h, w), positive.
    padding : int, (h, w), or (left, right, top, bottom) as F.pad (negative crops).
    groups : positive, dividing C and out.
    padding_mode : zeros, constant (with ``padding_value``), reflect, replicate, circular.
    padding_value : the fill for constant padding (any finite number).

    Returns
    -------
    (out, Ho, Wo), or (N, out, Ho, Wo) for a batch.

    Notes
    -----
    One batched matrix product per kernel tap: (G, out/G, C/G) by (N, G, C/G, Ho·Wo).

    Examples
    --------
    >>> x = np.ones((1, 2, 2))
    >>> conv2d_grouped(x, np.ones((1, 1, 2, 2)), padding=(1, 0, 0, 0), padding_mode="constant", padding_value=5.0).tolist()
    [[[12.0, 4.0]]]
    """
    plan = plan_conv(input, weight, bias, stride, padding, dilation, groups, padding_mode, padding_value)
    x = plan.x
    n = x.shape[0]
    g, og, cg, kh, kw = plan.weight.shape
    xp = pad(x, plan.pads, mode=plan.mode, value=plan.value)
    xg = xp.reshape(n, g, cg, *xp.shape[2:])
    p = plan.out_hw[0] * plan.out_hw[1]
    out = np.zeros((n, g, og, p))
    for i in range(kh):
        for j in range(kw):
            out += plan.weight[..., i, j] @ tap(xg, i, j, plan).reshape(n, g, cg, p)
    out = out.reshape(n, g * og, *plan.out_hw)
    if plan.bias is not None:
        out += plan.bias[:, None, None]
    ops.finite_result(out, "conv2d")
    return out[0] if plan.single else out
