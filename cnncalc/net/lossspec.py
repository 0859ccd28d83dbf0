"""The loss of a network's output: ``--loss ce|nll|mse|bce|bce_logits|hinge`` and ``--target``.

The class losses (ce, nll, hinge) take a class index (0-based, as PyTorch) and
a final vector of scores; the value losses (mse, bce, bce_logits) take target
values of the output's shape: one number, or a matrix file with as many values
as the output (read in the output's shape). Every loss is PyTorch's with its
default reduction (the mean).

>>> round(loss_value(np.array([1.0, 3.0]), "mse", np.array([0.0, 1.0])), 6)
2.5
>>> read_target("0", "ce"), read_target("0.5", "mse").tolist()
(0, [0.5])
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from cnncalc.engine import losses, ops
from cnncalc.engine.arrays import shape_text
from cnncalc.errors import ParameterError, ShapeError

LOSSES = ("ce", "nll", "mse", "bce", "bce_logits", "hinge")
CLASS_LOSSES = ("ce", "nll", "hinge")
# the engine's function of each loss
FUNCTIONS = {
    "ce": losses.cross_entropy,
    "nll": losses.nll_loss,
    "hinge": losses.multi_margin_loss,
    "mse": losses.mse_loss,
    "bce": losses.binary_cross_entropy,
    "bce_logits": losses.binary_cross_entropy_with_logits,
}


def check_loss(loss: str) -> str:
    """One of ``LOSSES``."""
    return ops._choice(loss, "loss", LOSSES)


def read_target(value: Any, loss: str, base_dir: Path | None = None) -> int | np.ndarray | None:
    """``--target`` for ``loss``: a class index, or target values (a number or a file)."""
    check_loss(loss)
    if value is None:
        return None
    if loss in CLASS_LOSSES:
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            return int(value)
        if isinstance(value, (list, tuple, np.ndarray)):
            return np.asarray(value, dtype=np.int64)
        text = str(value).strip()
        try:
            if "," in text:  # one class per image of a batch
                return np.array([int(p) for p in text.split(",")], dtype=np.int64)
            return int(text)
        except ValueError:
            raise ParameterError("loss.class_target", loss=loss, value=value) from None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return np.array([float(value)])
    if isinstance(value, np.ndarray):
        return np.asarray(value, dtype=np.float64)
    text = str(value).strip()
    try:
        return np.array([float(text)])
    except ValueError:
        pass
    from cnncalc.read import read_matrix

    path = Path(text)
    if base_dir is not None and not path.is_absolute():
        path = base_dir / path
    return read_matrix(path)


def value_target(output: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The target values in the output's shape: one number (for every cell, as
    torch broadcasts a one-element target), or as many values as the output has cells.

    >>> value_target(np.zeros((2, 2)), np.array([0.5])).tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    """
    t = np.asarray(target, dtype=np.float64)
    if t.size == 1:
        return np.full(output.shape, float(t.reshape(-1)[0]))
    if t.size != output.size:
        raise ShapeError("param.same_shape", parameter="target", expected=shape_text(output.shape),
                         got=shape_text(t.shape))
    return t.reshape(output.shape)


def loss_value(output: np.ndarray, loss: str, target: Any) -> float:
    """The loss of ``output`` for ``target`` (a class index or values)."""
    check_loss(loss)
    if loss in CLASS_LOSSES:
        return FUNCTIONS[loss](output, target)
    return FUNCTIONS[loss](output, value_target(output, target))


def target_text(target: Any, raw: Any) -> str:
    """How ``--target`` is named in the loss line: the class, or what was written."""
    return str(target) if isinstance(target, int) else str(raw)


def batch_loss_and_prediction(out: np.ndarray, last: str, target: Any, loss: str) -> tuple[float | None, Any]:
    """The batch mean of the loss (PyTorch's default reduction) and one predicted
    class per image when the output is (N, classes)."""
    prediction = [int(i) for i in np.argmax(out, axis=1)] if out.ndim == 2 else None
    if target is None:
        return None, prediction if last in ("linear", "softmax") else None
    if loss in CLASS_LOSSES:
        if out.ndim != 2:
            raise ShapeError("param.dims", parameter="the batch's output", expected="(N, classes)", ndim=out.ndim)
        t = np.asarray(target).reshape(-1)
        if loss == "ce" and last == "softmax":
            t1 = losses._classes(np.log(np.maximum(out, 1e-300)), t)[1]
            return float(-np.mean(np.log(out[np.arange(t1.size), t1]))), prediction
        return FUNCTIONS[loss](out, t), prediction
    return loss_value(out, loss, target), prediction

