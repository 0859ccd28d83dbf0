"""Batch normalisation as ``torch.nn.functional.batch_norm`` on (C, H, W) or (N, C, H, W).

Per channel c: y = (x − μ_c) / sqrt(σ²_c + eps) · weight_c + bias_c.

* ``training=False``: μ, σ² are the given ``running_mean`` / ``running_var``.
* ``training=True``: μ, σ² are the batch's mean and *biased* variance over
  N·H·W values (so at least two are needed); the running statistics, when
  given, become (1 − momentum)·old + momentum·new, with the *unbiased*
  variance σ²·M/(M − 1) for ``running_var``. They are returned as new arrays;
  the arrays passed in are never written (PyTorch updates them in place).

A (C, H, W) input is one image, a batch of N = 1 (``F.batch_norm`` itself would
read it as (N, C, L)).

>>> x = np.array([[[1., 3.]]])                        # one channel, two values
>>> r = batch_norm(x, np.zeros(1), np.ones(1), training=True, momentum=0.5, eps=1e-300)
>>> r.output.tolist(), r.running_mean.tolist(), r.running_var.tolist()
([[[-1.0, 1.0]]], [1.0], [1.5])
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from cnncalc.engine import ops
from cnncalc.engine.arrays import as_batch, as_bool, as_scalar, as_vector, shape_text
from cnncalc.errors import ParameterError


class BatchNormResult(NamedTuple):
    """The normalised output and the running statistics after this call (None when not tracked)."""

    output: np.ndarray
    running_mean: np.ndarray | None
    running_var: np.ndarray | None


class Stats(NamedTuple):
    x: np.ndarray  # (N, C, H, W)
    single: bool
    mean: np.ndarray  # (C,) the statistics used for normalising
    var: np.ndarray
    invstd: np.ndarray
    weight: np.ndarray | None
    bias: np.ndarray | None
    cells: int  # values per channel, N·H·W


def batch_stats(input: Any, running_mean: Any, running_var: Any, weight: Any, bias: Any,
           training: Any, momentum: Any, eps: Any) -> tuple[Stats, bool]:
    training = as_bool(training, "training")
    as_scalar(momentum, "momentum")
    eps = as_scalar(eps, "eps")
    if eps < 0:
        raise ParameterError("param.non_negative_real", parameter="eps", value=eps)
    if training and eps == 0:
        raise ParameterError("param.bn_eps_training", value=eps)
    if (running_mean is None) != (running_var is None):
        raise ParameterError("param.bn_running_pair")
    if running_mean is None and not training:
        raise ParameterError("param.bn_running_required")
    x, single = as_batch(input)
    c = x.shape[1]
    rm = None if running_mean is None else as_vector(running_mean, "running_mean", c)
    rv = None if running_var is None else as_vector(running_var, "running_var", c)
    w = None if weight is None else as_vector(weight, "weight", c)
    b = None if bias is None else as_vector(bias, "bias", c)
    count = x.shape[0] * x.shape[2] * x.shape[3]
    if training:
        if count < 2:
            raise ParameterError("param.bn_one_value", shape=shape_text(x.shape))
        mean = x.mean(axis=(0, 2, 3))
        var = ((x - mean[:, None, None]) ** 2).mean(axis=(0, 2, 3))
    else:
        assert rm is not None and rv is not None
        mean, var = rm, rv
    bad = np.flatnonzero(~(var + eps > 0))
    if bad.size:
        raise ParameterError("param.bn_variance", parameter="running_var" if not training else "batch variance",
                             channel=int(bad[0]) + 1, value=float(var[bad[0]]))
    invstd = 1.0 / np.sqrt(var + eps)
    return Stats(x, single, mean, var, invstd, w, b, count), training


@np.errstate(over="ignore", invalid="ignore")
def batch_norm(
    input: np.ndarray,
    running_mean: np.ndarray | None = None,
    running_var: np.ndarray | None = None,
    weight: np.ndarray | None = None,
    bias: np.ndarray | None = None,
    *,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> BatchNormResult:
    """Normalise each channel, as ``F.batch_norm`` (``nn.BatchNorm2d`` in train/eval mode).

    Parameters
    ----------
    input : (C, H, W) (one image) or (N, C, H, W).
    running_mean, running_var : (C,); needed when ``training=False``; optional
        (both or neither) when training.
    weight, bias : (C,) affine parameters, or None (1 and 0).
    training : use the batch's statistics and update the running ones.
    momentum : weight of the new statistics in the running update (any real, as PyTorch).
    eps : added to the variance; non-negative, positive when training (as
        PyTorch 2.13); σ² + eps must be positive.

    Returns
    -------
    BatchNormResult(output, running_mean, running_var): output in the input's
    shape; the updated running statistics (training) or the given ones (eval).

    Notes
    -----
    Two passes over the input (mean, then variance) and one to normalise.

    Examples
    --------
    >>> x = np.full((2, 1, 1), 3.0)                        # two channels
    >>> batch_norm(x, np.array([1., 0.]), np.array([4., 1.]), eps=0.0).output.ravel().tolist()
    [1.0, 3.0]
    """
    st, training = batch_stats(input, running_mean, running_var, weight, bias, training, momentum, eps)
    scale = st.invstd if st.weight is None else st.invstd * st.weight
    out = (st.x - st.mean[:, None, None]) * scale[:, None, None]
    if st.bias is not None:
        out += st.bias[:, None, None]
    rm = None if running_mean is None else np.asarray(running_mean, dtype=np.float64).copy()
    rv = None if running_var is None else np.asarray(running_var, dtype=np.float64).copy()
    if training and rm is not None and rv is not None:
        m = float(momentum)
        rm = (1 - m) * rm + m * st.mean
        rv = (1 - m) * rv + m * st.var * st.cells / (st.cells - 1)
    ops.finite_result(out, "batch_norm")
    for stat in (rm, rv):
        if stat is not None:
            ops.finite_result(stat, "batch_norm")
    return BatchNormResult(out[0] if st.single else out, rm, rv)
