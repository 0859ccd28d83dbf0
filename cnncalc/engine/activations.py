"""Activations, flatten and the linear layer, exactly as PyTorch.

>>> relu(np.array([-1.0, 2.0])).tolist()
[0.0, 2.0]
"""

from __future__ import annotations

import numpy as np

from cnncalc.engine.validate import _as_float_array, _shape_text, as_scalar, finite_result
from cnncalc.errors import ParameterError, ShapeError

# --------------------------------------------------------------------------- activations


def relu(x: np.ndarray) -> np.ndarray:
    """max(x, 0) element-wise.

    >>> relu(np.array([-1.5, 0.0, 2.0])).tolist()
    [0.0, 0.0, 2.0]
    """
    return np.maximum(_as_float_array(x, "input"), 0.0)


def leaky_relu(x: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """x where x > 0, else slope·x (``F.leaky_relu``).

    >>> leaky_relu(np.array([-2.0, 3.0]), 0.1).tolist()
    [-0.2, 3.0]
    """
    arr = _as_float_array(x, "input")
    a = as_scalar(slope, "slope")
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.where(arr > 0, arr, arr * a)
    return finite_result(out, "leaky_relu")


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^−x), computed without overflow.

    >>> sigmoid(np.array([0.0])).tolist()
    [0.5]
    """
    arr = _as_float_array(x, "input")
    e = np.exp(-np.abs(arr))
    return np.where(arr >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def tanh(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent.

    >>> tanh(np.array([0.0])).tolist()
    [0.0]
    """
    return np.tanh(_as_float_array(x, "input"))


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """e^x / Σ e^x along ``axis`` (stable: the maximum is subtracted first).

    >>> softmax(np.array([0.0, 0.0])).tolist()
    [0.5, 0.5]
    """
    arr = _as_float_array(x, "input")
    axis = _as_axis(axis, arr.ndim)
    with np.errstate(over="ignore", under="ignore"):
        z = arr - np.max(arr, axis=axis, keepdims=True)
        e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def _as_axis(axis: object, ndim: int) -> int:
    low, high = -max(ndim, 1), max(ndim, 1) - 1
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)) or not low <= axis <= high:
        raise ParameterError("param.axis", low=low, high=high, ndim=ndim, value=axis)
    return int(axis)


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(softmax(x)) computed stably."""
    arr = _as_float_array(x, "input")
    axis = _as_axis(axis, arr.ndim)
    with np.errstate(over="ignore", under="ignore"):
        z = arr - np.max(arr, axis=axis, keepdims=True)
        return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def flatten(x: np.ndarray) -> np.ndarray:
    """Row-major flattening of (C, H, W) into one vector, as ``torch.flatten``.

    >>> flatten(np.array([[1., 2.], [3., 4.]])).tolist()
    [1.0, 2.0, 3.0, 4.0]
    """
    return _as_float_array(x, "input").reshape(-1)


def linear(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | float | None = None) -> np.ndarray:
    """y = x Wᵀ + b as ``nn.Linear``; W is (out, in), x is a vector of length in.

    >>> linear(np.array([1., 2.]), np.array([[1., 1.], [0., -1.]]), np.array([0.5, 0.])).tolist()
    [3.5, -2.0]
    """
    v = _as_float_array(x, "input").reshape(-1)
    w = _as_float_array(weight, "weight")
    if w.ndim == 1:
        w = w[None, :]
    if w.ndim != 2 or w.shape[1] != v.size:
        raise ShapeError("shape.linear", in_features=v.size, weight=_shape_text(w.shape))
    with np.errstate(over="ignore", invalid="ignore"):
        y = w @ v
        if bias is not None:
            b = _as_float_array(bias, "bias").reshape(-1)
            if b.size not in (1, y.size):
                raise ShapeError("shape.bias", got=b.size, filters=y.size)
            y = y + b
    return finite_result(y, "linear")
