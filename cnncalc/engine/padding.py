"""Padding of the last two axes as ``torch.nn.functional.pad``, and its backward.

Pads are given in F.pad's order, ``(left, right, top, bottom)``. ``constant``
fills with ``value`` (any real number, negative too; ``zeros`` is constant 0);
``reflect``, ``replicate`` and ``circular`` copy cells of the input. A negative
pad crops that side, as F.pad does, in constant mode only.

>>> x = np.array([[1., 2.], [3., 4.]])
>>> pad(x, (1, 0, 0, 1), value=-1.0).tolist()
[[-1.0, 1.0, 2.0], [-1.0, 3.0, 4.0], [-1.0, -1.0, -1.0]]
>>> pad(x, (-1, 1, 0, 0), value=9.0).tolist()
[[2.0, 9.0], [4.0, 9.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from cnncalc.engine.arrays import as_array, as_int, as_pair, as_scalar
from cnncalc.errors import ParameterError, ShapeError

PAD_MODES = ("zeros", "constant", "reflect", "replicate", "circular")
_NUMPY_MODE = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}

Pads = tuple[int, int, int, int]


def as_pads(padding: object, parameter: str = "padding") -> Pads:
    """``(left, right, top, bottom)`` from an int, a pair ``(h, w)`` or four ints.

    An int or a pair must be non-negative (as ``F.conv2d``'s ``padding``); four
    values are F.pad's and may be negative (cropping).

    >>> as_pads(1), as_pads((1, 2)), as_pads((0, 1, 2, 3)), as_pads("1,0,2,0")
    ((1, 1, 1, 1), (2, 2, 1, 1), (0, 1, 2, 3), (1, 0, 2, 0))
    """
    if isinstance(padding, str):
        parts = padding.strip().strip("()[]").split(",")
        if len(parts) == 4:
            try:
                padding = tuple(int(p) for p in parts)
            except ValueError:
                raise ParameterError("param.pads", parameter=parameter, value=padding) from None
    if isinstance(padding, Sequence) and not isinstance(padding, (str, bytes)) and len(padding) == 4:
        left, right, top, bottom = (as_int(v, parameter, minimum=-(2**62)) for v in padding)
        return left, right, top, bottom
    if isinstance(padding, Sequence) and not isinstance(padding, (str, bytes)) and len(padding) not in (1, 2):
        raise ParameterError("param.pads", parameter=parameter, value=padding)
    ph, pw = as_pair(padding, parameter, minimum=0)
    return pw, pw, ph, ph


def check_mode(mode: object, value: float) -> str:
    """Validate ``mode`` (one of PAD_MODES) and that ``value`` is only used with constant."""
    if mode not in PAD_MODES:
        raise ParameterError("param.choice", parameter="padding_mode", choices=", ".join(PAD_MODES), value=mode)
    if value != 0.0 and mode != "constant":
        raise ParameterError("param.padding_value_mode", mode=mode)
    return str(mode)


def _sources(n: int, lo: int, hi: int, mode: str, parameter: str) -> np.ndarray:
    """For each cell of a padded axis, the input index it copies (−1: the fill value)."""
    if (lo < 0 or hi < 0) and mode not in ("zeros", "constant"):
        raise ParameterError("param.negative_pad_mode", parameter=parameter, mode=mode)
    crop_lo, crop_hi = max(-lo, 0), max(-hi, 0)
    if crop_lo + crop_hi >= n:
        raise ParameterError("param.crop_too_large", parameter=parameter, crop=crop_lo + crop_hi, size=n)
    kept = np.arange(crop_lo, n - crop_hi)
    lo, hi = max(lo, 0), max(hi, 0)
    if mode in ("zeros", "constant"):
        return np.concatenate([np.full(lo, -1), kept, np.full(hi, -1)])
    for p in (lo, hi):
        if mode == "reflect" and p >= n:
            raise ParameterError("param.reflect_too_large", padding=p, size=n)
        if mode == "circular" and p > n:
            raise ParameterError("param.circular_too_large", padding=p, size=n)
    numpy_mode: Any = _NUMPY_MODE[mode]
    return np.pad(kept, (lo, hi), mode=numpy_mode)


def plan_axes(shape: tuple[int, ...], pads: Pads, mode: str, parameter: str) -> tuple[np.ndarray, np.ndarray]:
    left, right, top, bottom = pads
    return (
        _sources(shape[-2], top, bottom, mode, parameter),
        _sources(shape[-1], left, right, mode, parameter),
    )


def pad(x: np.ndarray, pads: Sequence[int], *, mode: str = "constant", value: float = 0.0) -> np.ndarray:
    """Pad (or crop) the last two axes of ``x`` exactly as ``F.pad(x, pads, mode, value)``.

    Parameters
    ----------
    x : array with at least two axes; the last two are (H, W).
    pads : (left, right, top, bottom); negative values crop (constant mode only).
    mode : ``constant`` (alias ``zeros``), ``reflect`` (pad < size),
        ``replicate`` or ``circular`` (pad <= size).
    value : the fill of constant padding; any finite number.

    Returns
    -------
    A new array of shape (..., H + top + bottom, W + left + right).

    Notes
    -----
    One gather through per-axis source indices; cost one read per output cell.

    Examples
    --------
    >>> pad(np.arange(3.)[None], (2, 1, 0, 0), mode="reflect").tolist()
    [[2.0, 1.0, 0.0, 1.0, 2.0, 1.0]]
    """
    v = as_scalar(value, "padding_value")
    mode = check_mode(mode, v)
    pads4 = as_pads(tuple(pads) if isinstance(pads, Sequence) else pads, "pad")
    arr = as_array(x, "input")
    if arr.ndim < 2:
        raise ShapeError("param.dims", parameter="input", expected="at least 2-D", ndim=arr.ndim)
    rows, cols = plan_axes(arr.shape, pads4, mode, "pad")
    out = arr[..., rows[:, None], cols[None, :]]
    fill = (rows[:, None] < 0) | (cols[None, :] < 0)
    if fill.any():
        out[..., fill] = v
    return out
