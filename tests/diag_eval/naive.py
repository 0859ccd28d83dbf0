"""Naive reference arithmetic for the diagnosis evaluation set (independent of cnncalc).

Cross-correlation as PyTorch computes it (nn.Conv2d / F.conv2d, one channel),
pooling without padding (floor mode), ReLU, and the student's way of writing numbers.
Everything is plain numpy loops over kernel / window offsets.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np

SNAP = 10  # decimals kept before rounding a float result (removes float noise)


# --------------------------------------------------------------------------- ops


def pad(x: np.ndarray, p: int, mode: str = "zeros", value: float = 0.0) -> np.ndarray:
    """Pad ``p`` cells on every side: zeros / constant ``value`` / replicate / reflect."""
    h, w = x.shape
    if p == 0:
        return x.astype(np.float64).copy()
    out = np.full((h + 2 * p, w + 2 * p), float(value))
    if mode in ("zeros", "constant"):
        out[p : p + h, p : p + w] = x
        return out

    def src(i: int, n: int) -> int:
        if mode == "replicate":
            return min(max(i, 0), n - 1)
        if mode == "reflect":
            while i < 0 or i >= n:
                i = -i if i < 0 else 2 * (n - 1) - i
            return i
        raise ValueError(mode)

    for i in range(h + 2 * p):
        for j in range(w + 2 * p):
            out[i, j] = x[src(i - p, h), src(j - p, w)]
    return out


def conv2d(
    x: np.ndarray,
    k: np.ndarray,
    *,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
    pmode: str = "zeros",
    pvalue: float = 0.0,
    norm: str = "sum",
    divisor: float | None = None,
    bias: float = 0.0,
    extend: tuple[int, int] = (0, 0),
    shift: tuple[int, int] = (0, 0),
) -> np.ndarray | None:
    """Cross-correlation (no kernel flip). ``extend`` computes extra windows past the
    bottom/right edge (zeros there); ``shift`` moves every window by (dy, dx) pixels
    (zeros outside). ``norm='mean'`` divides by kh*kw (or ``divisor``)."""
    kh, kw = k.shape
    if pmode == "reflect" and padding >= min(x.shape):
        return None
    xp = pad(x, padding, pmode, pvalue)
    hp, wp = xp.shape
    eh, ew = dilation * (kh - 1) + 1, dilation * (kw - 1) + 1
    oh, ow = (hp - eh) // stride + 1, (wp - ew) // stride + 1
    if hp < eh or wp < ew or oh < 1 or ow < 1:
        return None
    oh, ow = oh + extend[0], ow + extend[1]
    m = 2 + stride  # zero margin for extended / shifted windows
    big = np.zeros((hp + 2 * m + stride, wp + 2 * m + stride))
    big[m : m + hp, m : m + wp] = xp
    acc = np.zeros((oh, ow))
    for a in range(kh):
        for b in range(kw):
            r0 = m + shift[0] + a * dilation
            c0 = m + shift[1] + b * dilation
            acc += k[a, b] * big[r0 : r0 + stride * (oh - 1) + 1 : stride, c0 : c0 + stride * (ow - 1) + 1 : stride]
    if divisor is not None:
        acc = acc / divisor
    elif norm == "mean":
        acc = acc / (kh * kw)
    return acc + bias


def pool2d(x: np.ndarray, kind: str, size: int, stride: int) -> np.ndarray | None:
    h, w = x.shape
    oh, ow = (h - size) // stride + 1, (w - size) // stride + 1
    if h < size or w < size or oh < 1 or ow < 1:
        return None
    parts = [
        x[a : a + stride * (oh - 1) + 1 : stride, b : b + stride * (ow - 1) + 1 : stride]
        for a in range(size)
        for b in range(size)
    ]
    st = np.stack(parts)
    if kind == "max":
        return st.max(axis=0)
    if kind == "mean":
        return st.sum(axis=0) / (size * size)
    if kind == "sum":
        return st.sum(axis=0)
    raise ValueError(kind)


def relu(x: np.ndarray) -> np.ndarray:
    return np.where(x > 0, x, 0.0)


# --------------------------------------------------------------------------- numbers as written


def exact_decimal(v: float) -> Decimal:
    return Decimal(repr(round(float(v), SNAP))) + 0  # +0 drops "-0"


def quantize(v: float, d: int, mode: str) -> Decimal:
    q = Decimal(1).scaleb(-d)
    rounding = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN, "truncate": ROUND_DOWN}[mode]
    out = exact_decimal(v).quantize(q, rounding=rounding)
    return out if out != 0 else abs(out)


def is_exact_at(v: float, d: int) -> bool:
    e = exact_decimal(v)
    return e == e.quantize(Decimal(1).scaleb(-d), rounding=ROUND_DOWN)


def as_fraction(v: float) -> Fraction | None:
    f = Fraction(float(v)).limit_denominator(5000)
    return f if abs(float(f) - v) < 1e-11 else None


class Token:
    """One written number: ``kind`` 'dec' (Decimal with ``d`` decimals) or 'frac'."""

    __slots__ = ("d", "kind", "value")

    def __init__(self, kind: str, value, d: int = 0) -> None:
        self.kind, self.value, self.d = kind, value, d

    def text(self) -> str:
        if self.kind == "frac":
            f = self.value
            return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"
        if self.d == 0:
            return str(int(self.value))
        return f"{self.value:.{self.d}f}"

    def float(self) -> float:
        return float(self.value)


def token_right(tok: Token, exact: float, required: int = 2) -> bool:
    """The checking policy of DESIGN.md, re-implemented: right when the written number is
    the exact value rounded half-up / half-even or truncated at the decimals written, and
    at least ``required`` decimals unless the value is exact at fewer."""
    if not np.isfinite(exact):
        return False
    if tok.kind == "frac":
        return abs(float(tok.value) - exact) < 1e-9
    d = tok.d
    if not any(tok.value == quantize(exact, d, m) for m in ("half-up", "half-even", "truncate")):
        return False
    return d >= required or is_exact_at(exact, d)


def grid_right(tokens: list[list[Token]], exact: np.ndarray | None, required: int = 2) -> np.ndarray | None:
    """Per-cell rightness of a written grid against exact values (None on shape mismatch)."""
    if exact is None or exact.shape != (len(tokens), len(tokens[0])):
        return None
    return np.array([[token_right(t, float(exact[i, j]), required) for j, t in enumerate(row)] for i, row in enumerate(tokens)])
