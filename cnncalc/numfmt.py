"""Rounding and printing of numbers the way students write them.

Three rounding modes: ``half-even`` and ``half-up`` round, ``truncate`` cuts the
decimals (the seed writes 7/9 as 0.77). Floating-point noise never leaks into
the digits: a value computed as 0.9999999999 for 1 is first snapped to
``SNAP_DECIMALS`` places, so it prints 1.00 under every mode.

>>> format_value(7 / 9, 2, "truncate")
'0.77'
>>> format_value(7 / 9, 2, "half-up")
'0.78'
>>> format_value(0.9999999999, 2, "truncate")
'1.00'
>>> format_value(2.675, 2, "half-up"), format_value(0.125, 2, "half-even")
('2.68', '0.12')
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

import numpy as np

ROUND_MODES = ("half-even", "half-up", "truncate")
SNAP_DECIMALS = 9
_DECIMAL_MODE = {"half-even": ROUND_HALF_EVEN, "half-up": ROUND_HALF_UP, "truncate": ROUND_DOWN}
# Beyond this magnitude (after scaling by 10**precision) float arithmetic cannot
# hold the snapped digits, so those cells go through Decimal one by one.
_FAST_LIMIT = 2.0**50


def snap(values: np.ndarray | float, precision: int = 0) -> np.ndarray:
    """Round away floating-point noise: keep at most 12 significant digits and
    ``max(SNAP_DECIMALS, precision + 2)`` decimals."""
    arr = np.asarray(values, dtype=np.float64)
    places = max(SNAP_DECIMALS, precision + 2)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        mag = np.floor(np.log10(np.abs(arr), where=arr != 0, out=np.zeros_like(arr)))
    sig_places = np.clip(11 - mag, -300, places).astype(np.int64)
    out = np.empty_like(arr)
    for p in sorted(set(sig_places.ravel().tolist())):  # np.unique would import numpy.ma
        mask = sig_places == p
        out[mask] = np.round(arr[mask], int(p))
    return out


def round_values(values: np.ndarray | float, precision: int, mode: str = "half-even") -> np.ndarray:
    """Return ``values`` rounded (or truncated) to ``precision`` decimals, noise removed.

    >>> round_values(np.array([7 / 9, -5 / 9, 0.125]), 2, "truncate").tolist()
    [0.77, -0.55, 0.12]
    """
    if mode not in _DECIMAL_MODE:
        raise ValueError(f"unknown rounding mode {mode!r}")
    arr = snap(values, precision)
    scale = 10.0**precision
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = np.round(arr * scale, max(SNAP_DECIMALS - precision, 3))
    if mode == "truncate":
        q = np.trunc(scaled)
    elif mode == "half-up":
        q = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
    else:
        q = np.round(scaled)
    out = q / scale
    big = ~(np.abs(scaled) < _FAST_LIMIT)
    if np.any(big):
        flat_out = out.reshape(-1)
        for idx in np.flatnonzero(big.reshape(-1)):
            v = float(arr.reshape(-1)[idx])
            flat_out[idx] = float(_round_decimal(v, precision, mode)) if np.isfinite(v) else v
    out = out + 0.0  # turn -0.0 into 0.0
    return out


def _round_decimal(value: float, precision: int, mode: str) -> Decimal:
    quantum = Decimal(1).scaleb(-precision)
    with localcontext() as ctx:
        ctx.prec = 400  # 1e308 to 15 decimals: beyond the default 28 digits
        return Decimal(repr(value)).quantize(quantum, rounding=_DECIMAL_MODE[mode])


def format_values(values: np.ndarray, precision: int, mode: str = "half-even") -> np.ndarray:
    """Return an array of strings with exactly ``precision`` decimals.

    >>> format_values(np.array([[1.0, -1 / 9]]), 2, "truncate").tolist()
    [['1.00', '-0.11']]
    """
    rounded = round_values(values, precision, mode)
    fmt = f"%.{precision}f"
    flat = [_clean_zero(fmt % v) for v in rounded.reshape(-1).tolist()]
    return np.array(flat, dtype=object).reshape(rounded.shape)


def format_value(value: float, precision: int, mode: str = "half-even") -> str:
    """Format one number; see ``format_values``."""
    return str(format_values(np.array([value]), precision, mode)[0])


def format_full(value: float) -> str:
    """The shortest text that reads back as exactly ``value`` (for files and JSON)."""
    if float(value).is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(float(value))


def _clean_zero(s: str) -> str:
    if s.startswith("-") and not s.strip("-0."):
        return s[1:]
    return s
