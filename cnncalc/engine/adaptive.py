"""Adaptive average and max pooling as ``F.adaptive_avg_pool2d`` / ``F.adaptive_max_pool2d``.

Output cell i of an axis of ``n`` input cells pooled to ``m`` reads the window
[floor(i·n/m), ceil((i+1)·n/m)): the windows cover the input, may differ in
length by one and overlap when n is not a multiple of m; an output larger
than the input repeats cells.

>>> window_bounds(5, 3)
(array([0, 1, 3]), array([2, 4, 5]))
>>> adaptive_avg_pool2d(np.arange(5.).reshape(1, 1, 5), (1, 3)).tolist()
[[[0.5, 2.0, 3.5]]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnncalc.engine import ops
from cnncalc.engine.arrays import as_batch, as_int
from cnncalc.errors import ParameterError


def window_bounds(n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:
    """Starts floor(i·n_in/n_out) and ends ceil((i+1)·n_in/n_out), in integers as aten."""
    i = np.arange(n_out)
    return (i * n_in) // n_out, ((i + 1) * n_in + n_out - 1) // n_out


def output_size_hw(output_size: Any, in_hw: tuple[int, int]) -> tuple[int, int]:
    """An int, or a pair whose None entries keep the input's size; each entry positive."""
    items = [output_size, output_size] if not isinstance(output_size, (tuple, list)) else list(output_size)
    if len(items) != 2:
        raise ParameterError("param.int_or_pair", parameter="output_size", value=output_size)
    sizes = []
    for v, n in zip(items, in_hw):
        v = n if v is None else as_int(v, "output_size", minimum=0)
        if v == 0:
            raise ParameterError("param.adaptive_output", value=output_size)
        sizes.append(v)
    return sizes[0], sizes[1]


def averaging(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) matrix whose row i averages window i."""
    start, end = window_bounds(n_in, n_out)
    cells = np.arange(n_in)
    inside = (cells >= start[:, None]) & (cells < end[:, None])
    return inside / (end - start)[:, None]


def adaptive_avg_pool2d(input: np.ndarray, output_size: Any) -> np.ndarray:
    """Mean of each adaptive window (window rule in the module docstring).

    Parameters
    ----------
    input : (C, H, W) or (N, C, H, W).
    output_size : int or (h, w), positive; ``None`` in the pair keeps that axis.

    Returns
    -------
    (C, h, w) or (N, C, h, w).

    Notes
    -----
    The windows are separable, so the pool is A_h · x · A_wᵀ with two averaging
    matrices: cost (h·H·W + h·W·w) per channel.

    Examples
    --------
    >>> adaptive_avg_pool2d(np.arange(16.).reshape(1, 4, 4), 2).tolist()
    [[[2.5, 4.5], [10.5, 12.5]]]
    """
    x, single = as_batch(input)
    oh, ow = output_size_hw(output_size, x.shape[2:])
    ops.check_cells(x.shape[0], x.shape[1], oh, ow)
    with np.errstate(over="ignore", invalid="ignore"):
        out = averaging(x.shape[2], oh) @ x @ averaging(x.shape[3], ow).T
    ops.finite_result(out, "adaptive_avg_pool2d")
    return out[0] if single else out


def global_avg_pool2d(input: np.ndarray) -> np.ndarray:
    """Global average pooling: ``adaptive_avg_pool2d(input, 1)``, shape (C, 1, 1) or (N, C, 1, 1).

    >>> global_avg_pool2d(np.arange(8.).reshape(2, 2, 2)).ravel().tolist()
    [1.5, 5.5]
    """
    return adaptive_avg_pool2d(input, 1)


def window_argmax(x: np.ndarray, oh: int, ow: int) -> tuple[np.ndarray, np.ndarray]:
    """Maxima and their flat indices h·W + w; ties go to the first cell in row-major
    window order (PyTorch's CPU kernel replaces the maximum only when strictly greater)."""
    h, w = x.shape[2:]
    sh, eh = window_bounds(h, oh)
    sw, ew = window_bounds(w, ow)
    best = np.full((*x.shape[:2], oh, ow), -np.inf)
    where = np.zeros(best.shape, dtype=np.int64)
    for a in range(int((eh - sh).max())):
        rows = np.minimum(sh + a, eh - 1)  # past the window's end: its last cell again, never greater
        for b in range(int((ew - sw).max())):
            cols = np.minimum(sw + b, ew - 1)
            val = x[:, :, rows[:, None], cols[None, :]]
            better = val > best
            best = np.where(better, val, best)
            where = np.where(better, rows[:, None] * w + cols[None, :], where)
    return best, where


def adaptive_max_pool2d(input: np.ndarray, output_size: Any) -> np.ndarray:
    """Maximum of each adaptive window (window rule in the module docstring).

    Parameters
    ----------
    input : (C, H, W) or (N, C, H, W).
    output_size : int or (h, w), positive; ``None`` in the pair keeps that axis.

    Returns
    -------
    (C, h, w) or (N, C, h, w).

    Notes
    -----
    One gather per tap of the longest window, ceil(H/h)+1 by ceil(W/w) at most.

    Examples
    --------
    >>> adaptive_max_pool2d(np.array([[[1., 5., 2.], [0., 3., 4.]]]), (1, 2)).tolist()
    [[[5.0, 5.0]]]
    """
    x, single = as_batch(input)
    oh, ow = output_size_hw(output_size, x.shape[2:])
    ops.check_cells(x.shape[0], x.shape[1], oh, ow)
    best, _ = window_argmax(x, oh, ow)
    return best[0] if single else best
