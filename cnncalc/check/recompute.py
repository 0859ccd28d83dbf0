"""What a student computed instead: the problem recomputed with other settings.

An *alternative* is the result one typical mistake gives. ``recompute`` runs the
problem's convolution (and the steps after it) with a changed setting, within a
work limit, and caches results per problem.

>>> apply_post(np.array([[-1.0, 2.0]]), ["relu"]).tolist()
[[0.0, 2.0]]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cnncalc.check.cells import CheckContext
from cnncalc.errors import CnncalcError

CONV_DEFAULTS: dict[str, Any] = {
    "stride": 1,
    "padding": 0,
    "dilation": 1,
    "padding_mode": "zeros",
    "norm": "sum",
    "bias": 0.0,
    "flip": False,
}
SEARCH = {"stride": (1, 2, 3, 4), "padding": (0, 1, 2, 3), "dilation": (1, 2, 3)}
PARAM_LABEL = {"stride": "wrong-stride", "padding": "wrong-padding", "dilation": "wrong-dilation"}
MAX_SWAPPED_MAPS = 8  # banks up to this many maps are searched for two maps swapped
SHIFTS = [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3) if (dy, dx) != (0, 0)]
# Work limit for recomputing alternatives (cells of the image times cells of the kernel).
_MAX_WORK = 5 * 10**7
_CACHE_BYTES = 64 << 20  # recomputed results kept per problem


@dataclass
class Alternative:
    labels: tuple[str, ...]
    values: np.ndarray  # (maps, H, W); nan where the mistake does not define a value
    details: dict[str, dict[str, Any]] = field(default_factory=dict)


# --------------------------------------------------------------------------- recomputing


def _pair_text(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        a, b = value
        return str(a) if a == b else f"{a},{b}"
    return str(value)


def _setting(conv: dict[str, Any]) -> dict[str, Any]:
    return {**CONV_DEFAULTS, **conv}


def _small_enough(context: CheckContext) -> bool:
    if context.image is None or context.kernel is None:
        return False
    return np.asarray(context.image).size * np.asarray(context.kernel).size <= _MAX_WORK


def is_relu(step: Any) -> bool:
    """True for a ReLU post step (``"relu"`` or a pipeline stage named relu)."""
    name = step if isinstance(step, str) else getattr(step, "name", None)
    return name == "relu"


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


def recompute(
    context: CheckContext, overrides: dict[str, Any], *, drop_relu: bool = False
) -> np.ndarray | None:
    """The result with some conv settings changed (None when they are illegal).
    Kept in ``context.cache``: every answer to a problem tries the same mistakes."""
    try:
        key: Any = (tuple(sorted(overrides.items())), drop_relu)
        hash(key)
    except TypeError:  # an array among the settings: no caching
        key = None
    if key is not None and key in context.cache:
        return context.cache[key]
    values = _recompute(context, overrides, drop_relu=drop_relu)
    if key is not None:
        used = context.cache.get("bytes", 0) + (values.nbytes if values is not None else 0)
        if used <= _CACHE_BYTES:
            context.cache[key] = values
            context.cache["bytes"] = used
    return values


def _recompute(
    context: CheckContext, overrides: dict[str, Any], *, drop_relu: bool = False
) -> np.ndarray | None:
    from cnncalc.engine import ops

    if context.image is None or context.kernel is None:
        return None
    post = [s for s in (context.post or []) if not (drop_relu and is_relu(s))]
    try:
        out = ops.conv2d(context.image, context.kernel, **_setting({**context.conv, **overrides}))
        return apply_post(out, post)
    except (CnncalcError, ValueError):
        return None


def _maps(arr: np.ndarray) -> np.ndarray:
    arr = np.asarray(arr, dtype=np.float64)
    return arr.reshape(-1, *arr.shape[-2:]) if arr.ndim >= 2 else arr.reshape(1, 1, -1)
