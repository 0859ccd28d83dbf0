"""Losses with PyTorch's default ``reduction='mean'``.

A single sample is a 1-D input (or any input with one class index: its cells
are the scores) and one class index; a batch is (N, classes) with N class
indices. The class losses average over the N samples; mse and the two binary
cross-entropies average over every element. The gradients are in
``cnncalc/train/backward_loss.py``.

>>> round(cross_entropy(np.array([0.0, 0.0]), 1), 6)
0.693147
>>> cross_entropy(np.array([0.0, 0.0]), 1) == nll_loss(np.log([0.5, 0.5]), 1)
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnncalc.engine.activations import log_softmax  # noqa: F401
from cnncalc.engine.arrays import as_array, as_scalar, shape_text
from cnncalc.engine.validate import _as_float_array, _shape_text, finite_result
from cnncalc.errors import ParameterError, ShapeError

LOG_FLOOR = -100.0  # binary_cross_entropy clamps each log at −100, as aten does
# and its backward divides by max((1 − x)·x, ε) with aten's ε = 1e-12 *as a float32*
# (9.9999999600419720e-13): at x = 0 or 1 the gradient is (x − t)/ε, not (x − t)·1e12
BCE_EPSILON = float(np.float32(1e-12))


def _classes(input: Any, target: Any) -> tuple[np.ndarray, np.ndarray]:
    """(N, C) scores and N integer targets from a 1-D input with one index or a
    2-D input with one index per row."""
    z = as_array(input, "input")
    t = np.asarray(target)
    if t.ndim == 0 and z.ndim != 1:  # one class index: the whole input is one sample's scores
        z = z.reshape(-1)
    if z.ndim not in (1, 2):
        raise ShapeError("param.dims", parameter="input", expected="1-D (classes) or 2-D (N, classes)", ndim=z.ndim)
    if t.dtype.kind not in "iu" or t.ndim != z.ndim - 1:
        raise ParameterError("param.target", target=target, classes=z.shape[-1], last=z.shape[-1] - 1)
    z2, t1 = z.reshape(-1, z.shape[-1]), t.reshape(-1).astype(np.int64)
    if t1.size != z2.shape[0]:
        raise ParameterError("param.target_count", samples=z2.shape[0], targets=t1.size)
    bad = (t1 < 0) | (t1 >= z2.shape[1])
    if bad.any():
        raise ParameterError("param.target", target=int(t1[bad][0]), classes=z2.shape[1], last=z2.shape[1] - 1)
    return z2, t1


def _pair(input: Any, target: Any) -> tuple[np.ndarray, np.ndarray]:
    """Input and target of equal shapes (no broadcasting)."""
    x = as_array(input, "input")
    t = as_array(target, "target")
    if x.shape != t.shape:
        raise ShapeError("param.same_shape", parameter="target", expected=shape_text(x.shape), got=shape_text(t.shape))
    return x, t


@np.errstate(over="ignore", invalid="ignore", divide="ignore")
def _finite(value: Any) -> float:
    """The loss as a float; refused when finite inputs overflowed."""
    return float(finite_result(np.asarray(value, dtype=np.float64), "loss"))


def _log_softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


@np.errstate(over="ignore", invalid="ignore")
def nll_loss(input: np.ndarray, target: Any) -> float:
    """mean over samples of −input[target]; the input holds log-probabilities (``F.nll_loss``).

    >>> nll_loss(np.array([[-1., -2.], [-3., -4.]]), [1, 0])
    2.5
    """
    z, t = _classes(input, target)
    return _finite(-z[np.arange(t.size), t].mean())


@np.errstate(over="ignore", invalid="ignore")
def mse_loss(input: np.ndarray, target: np.ndarray) -> float:
    """mean of (input − target)² over every element (``F.mse_loss``; equal shapes only).

    >>> mse_loss(np.array([1., 3.]), np.array([0., 1.]))
    2.5
    """
    x, t = _pair(input, target)
    return _finite(((x - t) ** 2).mean())


def _probabilities(input: Any, target: Any) -> tuple[np.ndarray, np.ndarray]:
    x, t = _pair(input, target)
    for name, a in (("input", x), ("target", t)):
        outside = (a < 0) | (a > 1)
        if outside.any():
            raise ParameterError("param.probability", parameter=name, value=float(a[outside][0]))
    return x, t


@np.errstate(over="ignore", invalid="ignore")
def binary_cross_entropy(input: np.ndarray, target: np.ndarray) -> float:
    """mean of −(t·log x + (1 − t)·log(1 − x)), each log clamped at −100 (``F.binary_cross_entropy``).

    Input and target lie in [0, 1]; a probability of exactly 0 or 1 on the
    wrong side costs 100, not infinity.

    >>> binary_cross_entropy(np.array([0.0, 1.0]), np.array([1.0, 0.0]))
    100.0
    """
    x, t = _probabilities(input, target)
    with np.errstate(divide="ignore"):
        log_x = np.maximum(np.log(x), LOG_FLOOR)
        log_1mx = np.maximum(np.log1p(-x), LOG_FLOOR)
    return _finite(((t - 1) * log_1mx - t * log_x).mean())


def _log_sigmoid(x: np.ndarray) -> np.ndarray:
    return np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))


@np.errstate(over="ignore", invalid="ignore")
def binary_cross_entropy_with_logits(input: np.ndarray, target: np.ndarray) -> float:
    """mean of (1 − t)·x − log σ(x), the stable form of BCE(σ(x), t) without the −100 clamp.

    >>> round(binary_cross_entropy_with_logits(np.array([0.0]), np.array([1.0])), 6)
    0.693147
    """
    x, t = _pair(input, target)
    return _finite(((1 - t) * x - _log_sigmoid(x)).mean())


def _margins(input: Any, target: Any, p: Any, margin: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    if isinstance(p, bool) or p not in (1, 2):
        raise ParameterError("param.margin_p", value=p)
    m = as_scalar(margin, "margin")
    z, t = _classes(input, target)
    rows = np.arange(t.size)
    gap = m - z[rows, t][:, None] + z  # margin − x[y] + x[i]
    gap[rows, t] = 0.0  # the target's own term is left out
    return z, t, gap, int(p)


@np.errstate(over="ignore", invalid="ignore")
def multi_margin_loss(input: np.ndarray, target: Any, *, p: int = 1, margin: float = 1.0) -> float:
    """Multi-class hinge loss, as ``F.multi_margin_loss``: per sample
    Σ_{i≠y} max(0, margin − x[y] + x[i])^p / classes, then the mean over samples.

    >>> round(multi_margin_loss(np.array([0.1, 0.2, 0.4, 0.8]), 3), 12)  # PyTorch's own example
    0.325
    """
    z, _, gap, p = _margins(input, target, p, margin)
    return _finite((np.maximum(gap, 0.0) ** p).sum(axis=1).mean() / z.shape[1])


def _as_class(target: int, classes: int) -> int:
    if isinstance(target, bool) or not isinstance(target, (int, np.integer)):
        raise ParameterError("param.target", target=target, classes=classes, last=classes - 1)
    if not 0 <= int(target) < classes:
        raise ParameterError("param.target", target=target, classes=classes, last=classes - 1)
    return int(target)


def cross_entropy(input: np.ndarray, target: Any) -> float:
    """Mean over samples of −log softmax(input)[target], as ``F.cross_entropy``
    (targets 0-based; one index reads the whole input as one sample's scores).

    >>> round(cross_entropy(np.array([0.0, 0.0]), 1), 6)
    0.693147
    >>> round(cross_entropy(np.array([[2., 0.], [0., 2.]]), [0, 0]), 6)
    1.126928
    """
    if np.ndim(target) == 0:
        z = _as_float_array(input, "logits").reshape(-1)
        _as_class(target, z.size)
    z, t = _classes(input, target)
    with np.errstate(over="ignore", invalid="ignore"):
        value = -_log_softmax(z)[np.arange(t.size), t].mean()
    return float(finite_result(np.asarray(value), "cross_entropy"))


def nll_from_probabilities(probs: np.ndarray, target: int) -> float:
    """−log p[target] for a vector of probabilities (when softmax ends the network)."""
    p = _as_float_array(probs, "probabilities").reshape(-1)
    t = _as_class(target, p.size)
    return float(-np.log(p[t])) if p[t] > 0 else float("inf")


def mse(x: np.ndarray, y: np.ndarray) -> float:
    """Mean squared error, as ``F.mse_loss``.

    >>> mse(np.array([1.0, 3.0]), np.array([0.0, 1.0]))
    2.5
    """
    a = _as_float_array(x, "input")
    b = _as_float_array(y, "target")
    if a.shape != b.shape:
        raise ShapeError("shape.mse", got=_shape_text(a.shape), expected=_shape_text(b.shape))
    with np.errstate(over="ignore", invalid="ignore"):
        value = np.mean((a - b) ** 2)
    return float(finite_result(np.asarray(value), "mse"))
