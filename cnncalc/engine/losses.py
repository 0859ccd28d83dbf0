"""Losses with PyTorch's default reduction.

>>> round(cross_entropy(np.array([0.0, 0.0]), 1), 6)
0.693147
"""

from __future__ import annotations

import numpy as np

from cnncalc.engine.activations import log_softmax
from cnncalc.engine.validate import _as_float_array, _shape_text, finite_result
from cnncalc.errors import ParameterError, ShapeError


def _as_class(target: int, classes: int) -> int:
    if isinstance(target, bool) or not isinstance(target, (int, np.integer)):
        raise ParameterError("param.target", target=target, classes=classes, last=classes - 1)
    if not 0 <= int(target) < classes:
        raise ParameterError("param.target", target=target, classes=classes, last=classes - 1)
    return int(target)


def cross_entropy(logits: np.ndarray, target: int) -> float:
    """−log softmax(logits)[target], as ``F.cross_entropy`` (target 0-based).

    >>> round(cross_entropy(np.array([0.0, 0.0]), 1), 6)
    0.693147
    """
    z = _as_float_array(logits, "logits").reshape(-1)
    t = _as_class(target, z.size)
    return float(-log_softmax(z)[t])


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
