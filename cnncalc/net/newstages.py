"""Running the stages of transposed convolution, batch normalization and adaptive pooling.

Each takes a (C, H, W) map, a (H, W) map (one channel; the result is 2-D again
when it has one channel) or a (N, C, H, W) batch.

>>> from cnncalc.net.pipeline import parse_pipeline, run_pipeline
>>> import numpy as np
>>> stages = parse_pipeline("adaptive_avgpool(1, 2) | global_avgpool")
>>> [r.output.tolist() for r in run_pipeline(np.arange(6.).reshape(2, 3), stages)]
[[[2.0, 3.0]], [[2.5]]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnncalc.engine import adaptive, batchnorm, transpose
from cnncalc.net.chain import Stage, StageError


def transpose_weight(weight: np.ndarray, channels: int) -> np.ndarray:
    """The (C, out/groups, kh, kw) weight of ``F.conv_transpose2d`` from a kernel file.

    A 2-D kernel is one input and one output channel; M blocks on C input
    channels are M/C blocks per input channel, channel by channel (so M == C
    blocks give one output map); a 4-D ``.npy``/``.json`` is the weight itself.

    >>> transpose_weight(np.zeros((4, 2, 2)), 2).shape
    (2, 2, 2, 2)
    """
    w = np.asarray(weight, dtype=np.float64)
    if w.ndim == 2:
        return w[None, None]
    if w.ndim == 3 and w.shape[0] % channels == 0:
        return w.reshape(channels, w.shape[0] // channels, *w.shape[1:])
    return w


def apply_new_stage(stage: Stage, x: np.ndarray, default_kernel: Any) -> np.ndarray:
    """Run one bound new stage on ``x`` (errors are wrapped by the caller)."""
    flat = x.ndim == 2
    x3 = x[None] if flat else x
    name = stage.name
    if name == "conv_transpose":
        weight = stage.weight if stage.weight is not None else default_kernel
        if weight is None:
            raise StageError(stage, "pipeline.no_transpose_kernel")
        w = transpose_weight(weight, x3.shape[-3])
        bias = stage.bias
        if bias is not None and bias.size == 1 and w.ndim == 4:
            bias = np.full(w.shape[1] * stage.options["groups"], float(bias[0]))
        out = transpose.conv_transpose2d(x3, w, bias, **stage.options)
    elif name == "batchnorm":
        o = stage.options
        c = x3.shape[-3]
        vec = {k: _per_channel(o[k], c) for k in ("mean", "var")}
        vec["weight"] = _per_channel(stage.weight, c)
        vec["bias"] = _per_channel(stage.bias, c)
        out = batchnorm.batch_norm(x3, vec["mean"], vec["var"], vec["weight"], vec["bias"],
                                   training=o["training"], momentum=o["momentum"], eps=o["eps"]).output
    elif name == "adaptive_avgpool":
        out = adaptive.adaptive_avg_pool2d(x3, stage.options["output_size"])
    elif name == "adaptive_maxpool":
        out = adaptive.adaptive_max_pool2d(x3, stage.options["output_size"])
    else:  # global_avgpool
        out = adaptive.global_avg_pool2d(x3)
    return out[0] if flat and out.shape[0] == 1 else out


def _per_channel(values: np.ndarray | None, channels: int) -> np.ndarray | None:
    """One number stands for every channel."""
    if values is not None and values.size == 1 and channels > 1:
        return np.full(channels, float(values[0]))
    return values
