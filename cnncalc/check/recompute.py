"""The problem's steps after the conv, and how much recomputing the mistakes may cost.

``apply_post`` runs the steps after a conv (``"relu"``, ``("pool", kind, size,
stride)`` or pipeline stages); ``_small_enough`` says whether a problem is small
enough for the mistake catalogue (``check/search.py``) to be recomputed.

>>> apply_post(np.array([[-1.0, 2.0]]), ["relu"]).tolist()
[[0.0, 2.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnncalc.check.cells import CheckContext

MAX_SWAPPED_MAPS = 8  # banks up to this many maps are searched for two maps swapped
SHIFTS = [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3) if (dy, dx) != (0, 0)]
# Work limit for recomputing mistakes (cells of the image times cells of the kernel).
_MAX_WORK = 5 * 10**7


def _small_enough(context: CheckContext) -> bool:
    if context.image is None or context.kernel is None:
        return False
    return np.asarray(context.image).size * np.asarray(context.kernel).size <= _MAX_WORK


def apply_post(x: np.ndarray, post: list[Any] | None) -> np.ndarray:
    """Apply post steps: ``"relu"``, ``("pool", kind, size, stride)`` or pipeline stages.

    >>> apply_post(np.array([[-1.0, 2.0]]), ["relu"]).tolist()
    [[0.0, 2.0]]
    """
    from cnncalc.engine import ops

    for step in post or []:
        if isinstance(step, str):
            if step != "relu":
                raise ValueError(f"unknown post step {step!r}")
            x = ops.relu(x)
        elif isinstance(step, tuple):
            _, kind, size, stride = step
            x = ops.pool2d(x, kind=kind, size=size, stride=stride)
        else:
            from cnncalc.net.pipeline import run_pipeline

            x = run_pipeline(x, [step])[-1].output
    return x
