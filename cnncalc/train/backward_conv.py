"""Backward passes of F.pad-style padding, grouped convolution and transposed convolution.

Each takes the forward's arguments plus ``grad`` (the gradient of the loss
w.r.t. the forward's output) and returns the gradients in the inputs' shapes;
nothing here writes into its arguments. The forward passes are in
``cnncalc/engine/padding.py``, ``grouped.py`` and ``transpose.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from cnncalc.engine.arrays import Grads, as_grad, as_scalar
from cnncalc.engine.grouped import plan_conv
from cnncalc.engine.grouped import tap as conv_tap
from cnncalc.engine.padding import as_pads, check_mode, pad, plan_axes
from cnncalc.engine.transpose import plan_transpose
from cnncalc.engine.transpose import tap as transpose_tap


def pad_backward(
    x: np.ndarray, grad: np.ndarray, pads: Sequence[int], *, mode: str = "constant", value: float = 0.0
) -> np.ndarray:
    """Gradient of ``pad`` w.r.t. ``x``: each padded cell's gradient goes back to
    the cell it copies; fill cells and cropped cells get nothing. ``value`` is
    only checked (the fill is a constant: it has no gradient).

    Notes
    -----
    One ``numpy.bincount`` over the padded cells.

    Examples
    --------
    >>> x = np.zeros((1, 3))
    >>> pad_backward(x, np.arange(6.)[None], (2, 1, 0, 0), mode="reflect").tolist()
    [[2.0, 9.0, 4.0]]
    >>> pad_backward(x, np.ones((1, 4)), (-1, 2, 0, 0)).tolist()
    [[0.0, 1.0, 1.0]]
    """
    mode = check_mode(mode, as_scalar(value, "padding_value"))
    pads4 = as_pads(tuple(pads) if isinstance(pads, Sequence) else pads, "pad")
    shape = np.shape(x)
    rows, cols = plan_axes(shape, pads4, mode, "pad")
    h, w = shape[-2:]
    g = as_grad(grad, (*shape[:-2], rows.size, cols.size)).reshape(-1, rows.size, cols.size)
    lead = g.shape[0]
    keep = (rows[:, None] >= 0) & (cols[None, :] >= 0)
    cell = (rows[:, None] * w + cols[None, :])[keep]
    flat = (np.arange(lead)[:, None] * (h * w) + cell[None, :]).ravel()
    out = np.bincount(flat, weights=g[:, keep].ravel(), minlength=lead * h * w)
    return out.reshape(shape)


def conv2d_grouped_backward(
    input: np.ndarray,
    weight: np.ndarray,
    grad: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
    padding_value: float = 0.0,
) -> Grads:
    """Gradients of ``conv2d`` w.r.t. input, weight and bias, given ``grad`` (the output's gradient).

    dW[o, c, a, b] = Σ grad[n, o, i, j]·xp[n, c', i·s + a·d, j·s + b·d] within the
    group; the input's gradient is the transposed scatter, folded back through
    the padding (constant fill cells and cropped cells receive nothing); the
    bias's is Σ grad over batch and space.

    Notes
    -----
    Two batched products per kernel tap.

    Examples
    --------
    >>> r = conv2d_grouped_backward(np.arange(4.).reshape(1, 2, 2), np.ones((1, 1, 1, 1)), np.ones((1, 2, 2)), np.zeros(1))
    >>> r.weight.tolist(), r.bias.tolist(), r.input.tolist()
    ([[[[6.0]]]], [4.0], [[[1.0, 1.0], [1.0, 1.0]]])
    """
    plan = plan_conv(input, weight, bias, stride, padding, dilation, groups, padding_mode, padding_value)
    x = plan.x
    n = x.shape[0]
    g, og, cg, kh, kw = plan.weight.shape
    p = plan.out_hw[0] * plan.out_hw[1]
    xp = pad(x, plan.pads, mode=plan.mode, value=plan.value)
    gg = as_grad(grad, (n, g * og, *plan.out_hw)).reshape(n, g, og, p)
    xg = xp.reshape(n, g, cg, *xp.shape[2:])
    grad_xg = np.zeros(xg.shape)
    grad_w = np.empty(plan.weight.shape)
    wt = np.swapaxes(plan.weight, 1, 2)  # (G, C/G, O/G, kH, kW)
    for i in range(kh):
        for j in range(kw):
            view = conv_tap(xg, i, j, plan).reshape(n, g, cg, p)
            grad_w[..., i, j] = np.einsum("ngop,ngcp->goc", gg, view, optimize=True)
            conv_tap(grad_xg, i, j, plan)[...] += (wt[..., i, j] @ gg).reshape(n, g, cg, *plan.out_hw)
    grad_x = pad_backward(x, grad_xg.reshape(xp.shape), plan.pads, mode=plan.mode)
    grad_b = None if plan.bias is None else gg.sum(axis=(0, 3)).reshape(-1)
    return Grads(
        input=grad_x[0] if plan.single else grad_x,
        weight=grad_w.reshape(np.shape(weight)),
        bias=grad_b,
    )


def conv_transpose2d_backward(
    input: np.ndarray,
    weight: np.ndarray,
    grad: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Grads:
    """Gradients of ``conv_transpose2d`` w.r.t. input, weight and bias.

    The output's gradient is put back into the uncut output (the cut borders
    and nothing else get zero); the input's gradient is then an ordinary
    strided conv2d of it with the same weight, and
    dW[c, o, a, b] = Σ x[n, c, i, j]·G[n, o, i·s + a·d, j·s + b·d].

    Notes
    -----
    Two batched products per kernel tap.

    Examples
    --------
    >>> r = conv_transpose2d_backward(np.ones((1, 1, 2)), np.ones((1, 1, 1, 2)), np.array([[[1., 2., 3.]]]))
    >>> r.input.tolist(), r.weight.tolist(), r.bias is None
    ([[[3.0, 5.0]]], [[[[3.0, 5.0]]]], True)
    """
    plan = plan_transpose(input, weight, bias, stride, padding, output_padding, dilation, groups)
    x = plan.x
    n = x.shape[0]
    g, cg, og, kh, kw = plan.weight.shape
    h, w = x.shape[2:]
    (p0, p1), (ho, wo) = plan.padding, plan.out_hw
    g4 = as_grad(grad, (n, g * og, ho, wo))
    full = np.zeros((n, g * og, *plan.full_hw))
    full[:, :, p0 : p0 + ho, p1 : p1 + wo] = g4
    full = full.reshape(n, g, og, *plan.full_hw)
    xg = x.reshape(n, g, cg, h * w)
    grad_x = np.zeros((n, g, cg, h * w))
    grad_w = np.empty(plan.weight.shape)
    for i in range(kh):
        for j in range(kw):
            view = transpose_tap(full, i, j, plan).reshape(n, g, og, h * w)
            grad_x += plan.weight[..., i, j] @ view
            grad_w[..., i, j] = np.einsum("ngcp,ngop->gco", xg, view, optimize=True)
    grad_x = grad_x.reshape(x.shape)
    return Grads(
        input=grad_x[0] if plan.single else grad_x,
        weight=grad_w.reshape(np.shape(weight)),
        bias=None if plan.bias is None else g4.sum(axis=(0, 2, 3)),
    )
