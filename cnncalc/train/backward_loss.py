"""Gradients of the losses (``cnncalc/engine/losses.py``) w.r.t. their input.

Each ``*_backward`` takes ``grad``, the upstream gradient of the scalar loss
(1 for the loss itself), and returns an array of the input's shape.

>>> cross_entropy_backward(np.array([[0., 0.], [0., 0.]]), [0, 1]).tolist()
[[-0.25, 0.25], [0.25, -0.25]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnncalc.engine.arrays import as_scalar
from cnncalc.engine.losses import (
    BCE_EPSILON,
    _classes,
    _log_sigmoid,
    _log_softmax,
    _margins,
    _pair,
    _probabilities,
)


def cross_entropy_backward(input: np.ndarray, target: Any, grad: float = 1.0) -> np.ndarray:
    """(softmax(input) − one_hot(target)) · grad / N."""
    z, t = _classes(input, target)
    g = as_scalar(grad, "grad")
    out = np.exp(_log_softmax(z))
    out[np.arange(t.size), t] -= 1.0
    return (out * (g / t.size)).reshape(np.shape(input))


def nll_loss_backward(input: np.ndarray, target: Any, grad: float = 1.0) -> np.ndarray:
    """−grad / N at each sample's target, 0 elsewhere."""
    z, t = _classes(input, target)
    g = as_scalar(grad, "grad")
    out = np.zeros(z.shape)
    out[np.arange(t.size), t] = -g / t.size
    return out.reshape(np.shape(input))


def mse_loss_backward(input: np.ndarray, target: np.ndarray, grad: float = 1.0) -> np.ndarray:
    """2·(input − target)·grad / number of elements."""
    x, t = _pair(input, target)
    return 2.0 * (x - t) * (as_scalar(grad, "grad") / x.size)


def binary_cross_entropy_backward(input: np.ndarray, target: np.ndarray, grad: float = 1.0) -> np.ndarray:
    """grad·(x − t) / max((1 − x)·x, ε) / number of elements, as aten (finite at 0 and 1;
    ε is float32(1e-12))."""
    x, t = _probabilities(input, target)
    return (as_scalar(grad, "grad") / x.size) * (x - t) / np.maximum((1 - x) * x, BCE_EPSILON)


def binary_cross_entropy_with_logits_backward(input: np.ndarray, target: np.ndarray, grad: float = 1.0) -> np.ndarray:
    """(σ(x) − t)·grad / number of elements."""
    x, t = _pair(input, target)
    return (np.exp(_log_sigmoid(x)) - t) * (as_scalar(grad, "grad") / x.size)


def multi_margin_loss_backward(input: np.ndarray, target: Any, grad: float = 1.0, *, p: int = 1, margin: float = 1.0) -> np.ndarray:
    """Each i ≠ y with a positive gap gets grad·(1 or 2·gap)/(classes·N); the target gets minus their sum."""
    z, t, gap, p = _margins(input, target, p, margin)
    active = gap > 0
    each = np.where(active, 1.0 if p == 1 else 2.0 * gap, 0.0) * (as_scalar(grad, "grad") / (z.shape[1] * t.size))
    each[np.arange(t.size), t] = -each.sum(axis=1)
    return each.reshape(np.shape(input))
