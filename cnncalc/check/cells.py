"""The cell policy: when a written number is right, and why a wrong one is wrong.

DESIGN.md, "Checking policy": a written number is right when it equals the exact
value rounded half-up or half-even, **or truncated**, at the number of decimals
the student wrote. An exact value needs no decimals ("1" is right for 1.0).
Fewer decimals than ``decimals`` (default 2) is wrong with cause
``too-few-decimals``. ``atol``/``rtol`` replace the policy with ``numpy.isclose``.

>>> got, dec, exp = np.array([0.77, 0.78, 0.7]), np.array([2, 2, 1]), np.full(3, 7 / 9)
>>> cells_right(got, dec, exp).tolist()
[True, True, False]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cnncalc.numfmt import _FAST_LIMIT, ROUND_MODES, SNAP_DECIMALS, round_values, snap

# Diagnosis vocabulary, in the order used to break ties.
CELL_LABELS = ("sign", "rounding", "too-few-decimals", "arithmetic")
ANSWER_LABELS = (
    "normalization",
    "flipped-kernel",
    "transposed",
    "shifted",
    "missing-relu",
    "wrong-stride",
    "wrong-padding",
    "wrong-dilation",
    "swapped-answers",
    # the mistake model's catalogue (check/mistakes.py) adds these
    "missing-bias",
    "double-bias",
    "negated-bias",
    "bias-after-relu",
    "extra-relu",
    "missing-pool",
    "pool-kind",
    "wrong-pool-size",
    "wrong-pool-stride",
    "stage-order",
    "wrong-divisor",
    "flipped-kernel-axis",
    "transposed-kernel",
    "transposed-image",
    "reversed-rows",
    "reversed-cols",
    "cropped",
    "extended",
    "padding-value",
    "padding-mode",
    "other-input",
    # an answer of zeros only (check/diagnosis.py, ``unfilled``)
    "unfilled",
)
LABELS = ANSWER_LABELS + CELL_LABELS
# Written decimals from which a number is compared by closeness, not digit by digit.
_FULL_PRECISION = 12


@dataclass
class CheckContext:
    """What produced the expected answer, so the diagnosis can recompute alternatives.

    ``conv`` holds ``ops.conv2d`` keyword arguments; ``post`` the steps after the
    conv: ``"relu"``, ``("pool", kind, size, stride)`` or pipeline ``Stage`` objects.
    """

    image: np.ndarray | None = None
    kernel: np.ndarray | None = None
    conv: dict[str, Any] = field(default_factory=dict)
    post: list[Any] | None = None
    # the mistakes recomputed for this problem (``search.problem_candidates``), kept for the next answer
    cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)


# --------------------------------------------------------------------------- cell policy


def _unit(d: np.ndarray) -> np.ndarray:
    return np.power(10.0, -d.astype(np.float64))


class _Quanta:
    """``exact`` in units of each cell's last written decimal, snapped once.

    ``scaled`` is exact·10^d without float noise (as ``numfmt.round_values``
    computes it); ``q[mode]`` its three roundings, whole numbers; ``exact_at``
    is True where the value needs no more than d decimals. Cells written with
    ``_FULL_PRECISION`` decimals or more are compared by closeness instead.
    """

    def __init__(self, exact: np.ndarray, d: np.ndarray) -> None:
        self.d = d
        self.full = d >= _FULL_PRECISION
        self.scale = np.power(10.0, np.where(self.full, 0, d).astype(np.float64))
        scaled = np.zeros(exact.shape)
        for places in np.unique(d[~self.full]):
            p = int(places)
            mask = (d == places) & ~self.full
            arr = snap(exact[mask], p)
            with np.errstate(over="ignore", invalid="ignore"):
                scaled[mask] = np.round(arr * 10.0**p, max(SNAP_DECIMALS - p, 3))
        self.scaled = scaled
        self.q = {
            "truncate": np.trunc(scaled),
            "half-up": np.sign(scaled) * np.floor(np.abs(scaled) + 0.5),
            "half-even": np.round(scaled),
        }
        big = ~(np.abs(scaled) < _FAST_LIMIT) & ~self.full
        for idx in zip(*np.nonzero(big)):  # beyond float's digits: exact decimal rounding
            p = int(d[idx])
            for mode in ROUND_MODES:
                self.q[mode][idx] = float(round_values(np.array([exact[idx]]), p, mode)[0]) * 10.0**p
        self.exact_at = (scaled == self.q["truncate"]) & ~self.full
        self.exact = exact

    def units(self, got: np.ndarray) -> np.ndarray:
        """A written number in units of its last decimal (a whole number)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return np.round(got * self.scale)

    def matches(self, got: np.ndarray) -> np.ndarray:
        """True where ``got`` is one of the three roundings (or close, at full precision)."""
        g = self.units(got)
        out = (g == self.q["truncate"]) | (g == self.q["half-up"]) | (g == self.q["half-even"])
        if self.full.any():
            out[self.full] = np.isclose(got[self.full], self.exact[self.full], rtol=1e-9, atol=1e-12)
        return out

    def off_by_one(self, got: np.ndarray) -> np.ndarray:
        """True where ``got`` is one unit in its last decimal away from a rounding."""
        g = self.units(got)
        out = np.zeros(got.shape, dtype=bool)
        for q in self.q.values():
            out |= np.abs(g - q) == 1
        return out & ~self.full


def written_decimals(got: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    """Decimals as written; where unknown (``-1``, e.g. ``.npy``) those of the
    shortest text of the value.

    >>> written_decimals(np.array([0.77, 1.0]), np.array([-1, -1])).tolist()
    [2, 0]
    """
    d = np.asarray(decimals, dtype=np.int64).copy()
    unknown = d < 0
    if np.any(unknown):
        from cnncalc.numfmt import format_full

        d[unknown] = [
            min(len(format_full(v).partition(".")[2]), _FULL_PRECISION) if "e" not in format_full(v)
            else _FULL_PRECISION
            for v in got[unknown].tolist()
        ]
    return np.minimum(d, _FULL_PRECISION)


def cells_right(
    got: np.ndarray,
    decimals: np.ndarray,
    exact: np.ndarray,
    *,
    required: int = 2,
    atol: float | None = None,
    rtol: float | None = None,
) -> np.ndarray:
    """The policy, vectorised: True where the written number is right.

    >>> cells_right(np.array([0.77, 0.78, 0.7, 1.0]), np.array([2, 2, 1, 0]),
    ...             np.array([7 / 9, 7 / 9, 7 / 9, 1.0])).tolist()
    [True, True, False, True]
    """
    got = np.asarray(got, dtype=np.float64)
    exact = np.asarray(exact, dtype=np.float64)
    defined = np.isfinite(exact)
    if atol is not None or rtol is not None:
        out = np.isclose(got, exact, rtol=rtol or 0.0, atol=atol or 0.0)
        return out & defined
    d = written_decimals(got, decimals)
    quanta = _Quanta(np.where(defined, exact, 0.0), d)
    ok = quanta.matches(got) & ((d >= required) | quanta.exact_at | quanta.full)
    return ok & defined


def cell_causes(
    got: np.ndarray,
    decimals: np.ndarray,
    exact: np.ndarray,
    *,
    required: int = 2,
    atol: float | None = None,
    rtol: float | None = None,
) -> np.ndarray:
    """Per-cell cause of a wrong cell: sign, too-few-decimals, rounding or arithmetic.

    >>> cell_causes(np.array([0.11, 0.7, 0.76, 0.5]), np.array([2, 1, 2, 2]),
    ...             np.array([-1 / 9, 7 / 9, 7 / 9, 7 / 9])).tolist()
    ['sign', 'too-few-decimals', 'rounding', 'arithmetic']
    """
    got = np.asarray(got, dtype=np.float64)
    exact = np.nan_to_num(np.asarray(exact, dtype=np.float64))
    d = written_decimals(got, decimals)
    quanta = _Quanta(exact, d)
    causes = np.full(got.shape, "arithmetic", dtype=object)
    nonzero = ((quanta.scaled != 0) | (quanta.full & (np.abs(exact) > 1e-12))) & (got != 0)
    if atol is not None or rtol is not None:
        sign = nonzero & np.isclose(-got, exact, rtol=rtol or 0.0, atol=atol or 0.0)
        near = (np.abs(got - exact) <= _unit(d) * (1 + 1e-6)) & ~quanta.exact_at
        causes[near] = "rounding"
        causes[sign] = "sign"
        return causes
    few = (d < required) & ~quanta.exact_at & quanta.matches(got)
    sign = nonzero & quanta.matches(-got)
    # off by one in the last digit is a rounding slip only when there was something to round
    causes[quanta.off_by_one(got) & ~quanta.exact_at] = "rounding"
    causes[sign] = "sign"
    causes[few] = "too-few-decimals"
    return causes


def written_text(value: float, d: int) -> str:
    """A number as written with ``d`` decimals (all its digits when unknown, ``-1``).

    >>> written_text(0.7, 2), written_text(0.125, -1)
    ('0.70', '0.125')
    """
    if d < 0:
        from cnncalc.numfmt import format_full

        return format_full(value)
    return f"{value:.{d}f}"
