"""Array checks of the batch-aware operations: batches, per-channel vectors, upstream gradients.

Every check names the parameter it refuses; none writes into its argument.

>>> as_pair(2, "stride"), as_pair((1, 3), "dilation"), as_int(0, "padding", minimum=0)
((2, 2), (1, 3), 0)
>>> as_batch(np.zeros((2, 3, 3)), "input")[0].shape
(1, 2, 3, 3)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cnncalc.engine.validate import all_finite, as_bool, as_pair, as_scalar  # noqa: F401
from cnncalc.errors import ParameterError, ShapeError

Pair = tuple[int, int]


def _is_int(v: object) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def as_int(value: object, parameter: str, *, minimum: int = 1) -> int:
    """An integer (not a bool) of at least ``minimum``."""
    if not isinstance(value, (int, np.integer)) or isinstance(value, (bool, np.bool_)):
        raise ParameterError("param.int_or_pair", parameter=parameter, value=value)
    if int(value) < minimum:
        key = "param.positive" if minimum >= 1 else "param.non_negative"
        raise ParameterError(key, parameter=parameter, value=int(value))
    return int(value)


def as_array(x: object, parameter: str) -> np.ndarray:
    """A finite, non-empty float64 array (a view when ``x`` already is one)."""
    if x is None or isinstance(x, (str, bytes, dict, set)):
        raise ParameterError("param.bad_number", parameter=parameter, value=x)
    try:
        raw = np.asarray(x)
        if raw.dtype.kind in "cOUSV":
            raise TypeError
        arr = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ParameterError("param.bad_number", parameter=parameter, value=x) from None
    if arr.size == 0:
        raise ParameterError("param.empty_array", parameter=parameter, shape="×".join(map(str, arr.shape)))
    if not all_finite(arr):
        raise ParameterError("param.nonfinite", parameter=parameter)
    return arr


def as_batch(x: object, parameter: str = "input") -> tuple[np.ndarray, bool]:
    """(C, H, W) as a batch of one, or (N, C, H, W); returns the 4-D array and
    whether the input was one image (so results drop the batch axis again)."""
    arr = as_array(x, parameter)
    if arr.ndim == 3:
        return arr[None], True
    if arr.ndim != 4:
        raise ShapeError("param.dims", parameter=parameter, expected="(C, H, W) or (N, C, H, W)", ndim=arr.ndim)
    return arr, False


def as_vector(v: object, parameter: str, length: int) -> np.ndarray:
    """A 1-D array of ``length`` values (bias, running statistics, affine weight)."""
    arr = as_array(v, parameter)
    if arr.ndim != 1:
        raise ShapeError("param.dims", parameter=parameter, expected="1-D", ndim=arr.ndim)
    if arr.size != length:
        raise ShapeError("param.length", parameter=parameter, expected=length, got=arr.size)
    return arr


def pair_text(p: Sequence[int]) -> str:
    """``2`` for (2, 2), ``2,3`` otherwise."""
    return str(p[0]) if len(set(p)) == 1 else ",".join(map(str, p))


def shape_text(shape: Sequence[int]) -> str:
    """``2×3×3``."""
    return "×".join(str(int(n)) for n in shape)


@dataclass
class Grads:
    """Gradients w.r.t. an operation's input, weight and bias (``None`` when it has none)."""

    input: np.ndarray
    weight: np.ndarray | None = None
    bias: np.ndarray | None = None


def as_grad(grad: object, shape: Sequence[int]) -> np.ndarray:
    """The upstream gradient as a float64 array of ``shape`` (the output's shape,
    with or without the batch axis of a single image)."""
    arr = as_array(grad, "grad")
    if arr.size != int(np.prod(shape)):
        raise ShapeError("param.same_shape", parameter="grad", expected=shape_text(shape), got=shape_text(arr.shape))
    return arr.reshape(tuple(shape))
