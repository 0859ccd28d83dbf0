"""The diverging colour scale shared by the terminal tables and the pictures.

Negative values are blue, positive values red, the intensity growing with
|value| relative to a scale (usually the map's largest |value|); zero is white.
Pure functions: no rich, no Pillow.

>>> heat_rgb(0.0), heat_rgb(1.0), heat_rgb(-1.0)
((255, 255, 255), (178, 24, 43), (33, 102, 172))
>>> heat_array(np.array([[-2.0, 0.0, 1.0]]), 2.0).tolist()
[[[33, 102, 172], [255, 255, 255], [216, 140, 149]]]
"""

from __future__ import annotations

import numpy as np

NEGATIVE_RGB = (33, 102, 172)
POSITIVE_RGB = (178, 24, 43)
# Above this |value| / scale a cell is dark enough to need white text.
DARK_FROM = 0.55


def heat_rgb(t: float) -> tuple[int, int, int]:
    """Background colour for a value scaled to [-1, 1]: white at 0.

    >>> heat_rgb(0.5)
    (216, 140, 149)
    """
    t = max(-1.0, min(1.0, t))
    end = POSITIVE_RGB if t >= 0 else NEGATIVE_RGB
    a = abs(t)
    r, g, b = (round(255 + (e - 255) * a) for e in end)
    return int(r), int(g), int(b)


def heat_array(values: np.ndarray, scale: float) -> np.ndarray:
    """``heat_rgb`` for every cell of ``values`` (any shape) as uint8 ``(..., 3)``.

    ``scale`` is the |value| drawn at full colour; 0 (an all-zero map) gives
    white everywhere. Non-finite cells are drawn light grey.

    Notes
    -----
    Vectorised: a few numpy operations per call, whatever the size.
    """
    v = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(v)
    t = np.clip(np.where(finite, v, 0.0) / scale, -1.0, 1.0) if scale > 0 else np.zeros(v.shape)
    end = np.where((t >= 0)[..., None], np.array(POSITIVE_RGB), np.array(NEGATIVE_RGB))
    rgb = np.round(255 + (end - 255) * np.abs(t)[..., None])
    rgb[~finite] = 220
    return rgb.astype(np.uint8)


def dark_cells(values: np.ndarray, scale: float) -> np.ndarray:
    """True where a cell's colour is dark enough that its text should be white."""
    v = np.asarray(values, dtype=np.float64)
    if scale <= 0:
        return np.zeros(v.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        return np.abs(v) / scale > DARK_FROM


def value_scale(*arrays: np.ndarray) -> float:
    """The largest finite |value| over ``arrays`` (0.0 when there is none).

    >>> value_scale(np.array([1.0, -3.0]), np.array([2.0]))
    3.0
    """
    best = 0.0
    for a in arrays:
        arr = np.asarray(a, dtype=np.float64)
        finite = arr[np.isfinite(arr)]
        if finite.size:
            best = max(best, float(np.max(np.abs(finite))))
    return best
