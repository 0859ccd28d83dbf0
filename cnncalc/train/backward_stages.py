"""Backward passes of whole chain stages that the first training step did not know:
convolutions with groups or F.pad-style padding, transposed convolution, batch
normalization, adaptive and global pooling; and the gradients of every loss.

Each ``*_stage_backward`` takes the stage, its input, its output and dL/d(output)
and returns dL/d(input) with the gradients of the stage's own parameters, in
their shapes as the stage holds them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnncalc.engine import ops
from cnncalc.net.lossspec import CLASS_LOSSES, check_loss, loss_value, value_target
from cnncalc.net.newstages import transpose_weight
from cnncalc.net.pipeline import Stage, conv_weight
from cnncalc.train import backward_loss as L
from cnncalc.train.backward_conv import conv2d_grouped_backward, conv_transpose2d_backward
from cnncalc.train.backward_norm import (
    adaptive_avg_pool2d_backward,
    adaptive_max_pool2d_backward,
    batch_norm_backward,
    global_avg_pool2d_backward,
)

NEW_STAGES = ("conv_transpose", "batchnorm", "adaptive_avgpool", "adaptive_maxpool", "global_avgpool")


def needs_grouped(options: dict) -> bool:
    """A conv stage the first backward pass (``backward.conv2d_backward``) cannot take."""
    padding = options.get("padding", 0)
    four = isinstance(padding, tuple) and len(padding) == 4
    return (options.get("groups", 1) != 1 or options.get("padding_mode") == "constant"
            or four or options.get("padding_value", 0.0) != 0.0)


def _channels(x: np.ndarray) -> int:
    return x.shape[-3] if x.ndim >= 3 else 1


def _image(x: np.ndarray) -> np.ndarray:
    return x[None] if x.ndim == 2 else x


def conv_stage_backward(stage: Stage, xin: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, dict]:
    """A conv with groups, constant padding or four pads, through the grouped backward.

    The forward is conv(x, flip(w))/n + b (n = C/groups·kh·kw for norm=mean), so the
    grouped backward runs with that effective weight and its weight gradient is
    scaled and flipped back.
    """
    assert stage.weight is not None
    o = stage.options
    channels, groups = _channels(xin), o.get("groups", 1)
    w4, _ = ops._as_weight(conv_weight(stage.weight, channels, groups), channels, groups)
    kh, kw = w4.shape[2:]
    n = w4.shape[1] * kh * kw if o.get("norm") == "mean" else 1
    w_eff = (w4[:, :, ::-1, ::-1] if o.get("flip") else w4) / n
    top, bottom, left, right = ops._resolve_pads(o.get("padding", 0), (kh, kw), o["dilation"], o["stride"])
    mode = o.get("padding_mode", "zeros")
    bias = None if stage.bias is None else np.broadcast_to(stage.bias, (w4.shape[0],)).astype(np.float64)
    r = conv2d_grouped_backward(
        _image(xin), w_eff, g, bias, stride=o["stride"], padding=(left, right, top, bottom),
        dilation=o["dilation"], groups=groups, padding_mode=mode, padding_value=o.get("padding_value", 0.0),
    )
    assert r.weight is not None
    grad_w = r.weight[:, :, ::-1, ::-1] if o.get("flip") else r.weight
    grads = {"weight": (grad_w / n).reshape(np.shape(stage.weight))}
    if stage.bias is not None and r.bias is not None:
        grads["bias"] = r.bias.reshape(np.shape(stage.bias))
    return r.input.reshape(xin.shape), grads


def _per_channel(values: Any, channels: int) -> np.ndarray | None:
    if values is None:
        return None
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    return np.full(channels, float(v[0])) if v.size == 1 and channels > 1 else v


def new_stage_backward(stage: Stage, xin: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, dict]:
    """dL/d(input) and parameter gradients of a transposed conv, batch norm or adaptive pool."""
    x3 = _image(xin)
    name, o = stage.name, stage.options
    grads: dict[str, np.ndarray] = {}
    if name == "conv_transpose":
        assert stage.weight is not None
        w = transpose_weight(stage.weight, _channels(xin))
        r = conv_transpose2d_backward(x3, w, g, stage.bias, **o)
        assert r.weight is not None
        grads["weight"] = r.weight.reshape(np.shape(stage.weight))
        if stage.bias is not None and r.bias is not None:
            grads["bias"] = r.bias.reshape(np.shape(stage.bias))
        return r.input.reshape(xin.shape), grads
    if name == "batchnorm":
        c = _channels(xin)
        r = batch_norm_backward(
            x3, g, _per_channel(o["mean"], c), _per_channel(o["var"], c),
            _per_channel(stage.weight, c), _per_channel(stage.bias, c),
            training=o["training"], momentum=o["momentum"], eps=o["eps"],
        )
        if stage.weight is not None and r.weight is not None:
            grads["weight"] = r.weight.reshape(np.shape(stage.weight))
        if stage.bias is not None and r.bias is not None:
            grads["bias"] = r.bias.reshape(np.shape(stage.bias))
        return r.input.reshape(xin.shape), grads
    if name == "adaptive_avgpool":
        return adaptive_avg_pool2d_backward(x3, g, o["output_size"]).reshape(xin.shape), grads
    if name == "adaptive_maxpool":
        return adaptive_max_pool2d_backward(x3, g, o["output_size"]).reshape(xin.shape), grads
    return global_avg_pool2d_backward(x3, g).reshape(xin.shape), grads


def parameter_count(stage: Stage, xin: np.ndarray) -> int:
    """Output channels of a transposed conv (its bias's length) or channels of a batch norm."""
    if stage.name == "conv_transpose":
        assert stage.weight is not None
        w = transpose_weight(stage.weight, _channels(xin))
        return int(w.shape[1] * stage.options.get("groups", 1))
    return _channels(xin)


def linear_batch_backward(stage: Stage, xin: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, dict]:
    """A linear layer on (N, F) rows: dW = gᵀ·x, db = Σ rows of g, dx = g·W."""
    assert stage.weight is not None
    w = np.asarray(stage.weight, dtype=np.float64)
    w2 = w[None, :] if w.ndim == 1 else w
    x2 = xin.reshape(xin.shape[0], -1)
    grads = {"weight": (g.T @ x2).reshape(w.shape)}
    if stage.bias is not None:
        grads["bias"] = g.sum(axis=0).reshape(np.shape(stage.bias))
    return (g @ w2).reshape(xin.shape), grads


# --------------------------------------------------------------------------- losses

BACKWARD = {
    "ce": L.cross_entropy_backward,
    "nll": L.nll_loss_backward,
    "hinge": L.multi_margin_loss_backward,
    "mse": L.mse_loss_backward,
    "bce": L.binary_cross_entropy_backward,
    "bce_logits": L.binary_cross_entropy_with_logits_backward,
}


def loss_and_grad(output: np.ndarray, loss: str, target: Any, last: str = "",
                  batch: bool = False) -> tuple[float, np.ndarray]:
    """The loss of ``output`` and dL/d(output), as PyTorch's autograd gives them
    (a batch: the mean over its images)."""
    check_loss(loss)
    if batch and loss in CLASS_LOSSES:
        from cnncalc.net.lossspec import batch_loss_and_prediction

        value, _ = batch_loss_and_prediction(output, last, target, loss)
        assert value is not None
        t = np.asarray(target).reshape(-1)
        if loss == "ce" and last == "softmax":  # −mean log p[t]: −1/(N·p[t]) at each target
            grad = np.zeros(output.shape)
            rows = np.arange(t.size)
            grad[rows, t] = -1.0 / (t.size * output[rows, t])
            return value, grad
        return value, np.asarray(BACKWARD[loss](output, t, 1.0)).reshape(output.shape)
    value = loss_value(output, loss, target)
    goal = target if loss in CLASS_LOSSES else value_target(output, target)
    return value, np.asarray(BACKWARD[loss](output, goal, 1.0)).reshape(output.shape)
