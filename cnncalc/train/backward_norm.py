"""Backward passes of batch normalization and adaptive pooling.

Each takes the forward's arguments plus ``grad`` and returns the gradients in
the inputs' shapes (the forwards: ``cnncalc/engine/batchnorm.py``, ``adaptive.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnncalc.engine.adaptive import averaging, output_size_hw, window_argmax
from cnncalc.engine.arrays import Grads, as_batch, as_grad
from cnncalc.engine.batchnorm import batch_stats


def batch_norm_backward(
    input: np.ndarray,
    grad: np.ndarray,
    running_mean: np.ndarray | None = None,
    running_var: np.ndarray | None = None,
    weight: np.ndarray | None = None,
    bias: np.ndarray | None = None,
    *,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Grads:
    """Gradients of ``batch_norm``'s output w.r.t. input, weight and bias.

    With x̂ = (x − μ)·invstd and the sums over N·H·W per channel:
    dbias = Σ g, dweight = Σ g·x̂; eval: dx = g·weight·invstd; training (μ and
    σ² depend on x): dx = weight·invstd·(g − mean(g) − x̂·mean(g·x̂)).
    The running statistics get no gradient.

    Notes
    -----
    A few per-channel reductions; cost a small multiple of the input's size.

    Examples
    --------
    >>> r = batch_norm_backward(np.array([[[1., 3.]]]), np.array([[[1., 0.]]]), training=True, eps=1e-300)
    >>> r.input.tolist(), r.weight, r.bias
    ([[[0.0, 0.0]]], None, None)
    """
    st, training = batch_stats(input, running_mean, running_var, weight, bias, training, momentum, eps)
    g = as_grad(grad, st.x.shape)
    xhat = (st.x - st.mean[:, None, None]) * st.invstd[:, None, None]
    sum_g = g.sum(axis=(0, 2, 3))
    sum_gx = (g * xhat).sum(axis=(0, 2, 3))
    scale = st.invstd if st.weight is None else st.invstd * st.weight
    if training:
        dx = (g - (sum_g / st.cells)[:, None, None] - xhat * (sum_gx / st.cells)[:, None, None]) * scale[:, None, None]
    else:
        dx = g * scale[:, None, None]
    return Grads(
        input=dx[0] if st.single else dx,
        weight=None if st.weight is None else sum_gx,
        bias=None if st.bias is None else sum_g,
    )


def adaptive_avg_pool2d_backward(input: np.ndarray, grad: np.ndarray, output_size: Any) -> np.ndarray:
    """Gradient w.r.t. the input: each window shares its gradient equally, A_hᵀ · g · A_w.

    >>> adaptive_avg_pool2d_backward(np.zeros((1, 1, 3)), np.array([[[2., 4.]]]), (1, 2)).tolist()
    [[[1.0, 3.0, 2.0]]]
    """
    x, single = as_batch(input)
    oh, ow = output_size_hw(output_size, x.shape[2:])
    g = as_grad(grad, (*x.shape[:2], oh, ow))
    out = averaging(x.shape[2], oh).T @ g @ averaging(x.shape[3], ow)
    return out[0] if single else out


def global_avg_pool2d_backward(input: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """Each cell gets its channel's gradient divided by H·W."""
    return adaptive_avg_pool2d_backward(input, grad, 1)


def adaptive_max_pool2d_backward(input: np.ndarray, grad: np.ndarray, output_size: Any) -> np.ndarray:
    """Gradient w.r.t. the input: each window's gradient goes to its (first) maximum;
    a cell that is the maximum of several overlapping windows collects them all.

    >>> adaptive_max_pool2d_backward(np.array([[[1., 5., 2.]]]), np.array([[[3., 4.]]]), (1, 2)).tolist()
    [[[0.0, 7.0, 0.0]]]
    """
    x, single = as_batch(input)
    oh, ow = output_size_hw(output_size, x.shape[2:])
    _, where = window_argmax(x, oh, ow)
    n, c, h, w = x.shape
    g = as_grad(grad, (n, c, oh, ow))
    flat = (np.arange(n * c)[:, None] * (h * w) + where.reshape(n * c, -1)).ravel()
    out = np.bincount(flat, weights=g.ravel(), minlength=n * c * h * w).reshape(x.shape)
    return out[0] if single else out
