"""Argument checks shared by every operation: pairs, choices, numbers, finite results.

Each check names the parameter and the rule in its message.

>>> as_pair("2,3", "stride")
(2, 3)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cnncalc.errors import LimitError, ParameterError, ShapeError

Pair = tuple[int, int]



def as_pair(value: object, parameter: str, *, minimum: int = 1) -> Pair:
    """Turn an int, an ``"H,W"`` string or a pair into ``(h, w)``, checking the minimum.

    >>> as_pair(2, "stride"), as_pair("1,2", "padding", minimum=0), as_pair("(2, 3)", "size")
    ((2, 2), (1, 2), (2, 3))
    """
    if isinstance(value, str):
        cleaned = value.strip().strip("()[]").replace("×", ",").replace("x", ",")
        parts = [p.strip() for p in cleaned.split(",")]
        try:
            items = [int(p) for p in parts]
        except ValueError:
            raise ParameterError("param.int_or_pair", parameter=parameter, value=value) from None
    elif isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        items = [int(value)]
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        items = []
        for v in value:
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
                raise ParameterError("param.int_or_pair", parameter=parameter, value=value)
            items.append(int(v))
    else:
        raise ParameterError("param.int_or_pair", parameter=parameter, value=value)
    if len(items) == 1:
        items = items * 2
    if len(items) != 2:
        raise ParameterError("param.int_or_pair", parameter=parameter, value=value)
    for v in items:
        if v < minimum:
            key = "param.positive" if minimum >= 1 else "param.non_negative"
            raise ParameterError(key, parameter=parameter, value=v)
    return items[0], items[1]


def _choice(value: str, parameter: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise ParameterError(
            "param.choice", parameter=parameter, choices=", ".join(choices), value=value
        )
    return value


def _as_float_array(x: object, parameter: str) -> np.ndarray:
    if x is None or isinstance(x, (str, bytes, dict, set)):
        raise ParameterError("param.bad_number", parameter=parameter, value=x)
    try:
        raw = np.asarray(x)
        if raw.dtype.kind == "c":
            raise ParameterError("param.real", parameter=parameter, dtype=str(raw.dtype))
        arr = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ParameterError("param.bad_number", parameter=parameter, value=x) from None
    if arr.size == 0:
        raise ParameterError("param.empty_input", shape=_shape_text(arr.shape))
    if not all_finite(arr):
        raise ParameterError("param.nonfinite", parameter=parameter)
    return arr


def all_finite(arr: np.ndarray) -> bool:
    """Whether every value is finite, without a mask the size of ``arr``: the sum of
    finite values is finite unless it overflows, and then the values are looked at.

    >>> all_finite(np.array([1.0, 2.0])), all_finite(np.array([1.0, np.nan])), all_finite(np.array([1e308, 1e308]))
    (True, False, True)
    """
    if arr.dtype.kind != "f":
        return True
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.add.reduce(arr, axis=None)):
            return True
    return bool(np.isfinite(arr).all())


def _as_image(image: object) -> np.ndarray:
    x = _as_float_array(image, "input")
    if x.ndim == 2:
        return x[None]
    if x.ndim != 3:
        raise ShapeError("shape.image_dims", ndim=x.ndim)
    return x


def _shape_text(shape: Sequence[int]) -> str:
    return "×".join(str(n) for n in shape)


def as_bool(value: object, parameter: str) -> bool:
    """``True``/``False`` (or 1/0); anything else is refused rather than taken as truthy.

    >>> as_bool(True, "flip"), as_bool(0, "ceil_mode")
    (True, False)
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)) and int(value) in (0, 1):
        return bool(value)
    raise ParameterError("param.bool", parameter=parameter, value=value)


def as_scalar(value: object, parameter: str) -> float:
    """A finite real number (not a bool), e.g. leaky_relu's slope."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError("param.bad_number", parameter=parameter, value=value)
    try:
        v = float(value)
    except OverflowError:
        raise ParameterError("param.nonfinite", parameter=parameter) from None
    if not np.isfinite(v):
        raise ParameterError("param.nonfinite", parameter=parameter)
    return v


def finite_result(out: np.ndarray, op: str, *, allow_neg_inf: bool = False) -> np.ndarray:
    """Refuse a result that overflowed float64 (finite inputs gave inf or nan)."""
    if all_finite(out):
        return out
    bad = ~np.isfinite(out)
    if allow_neg_inf:
        bad &= out != -np.inf
    if np.any(bad):
        raise LimitError("param.overflow", op=op)
    return out
