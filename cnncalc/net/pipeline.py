"""Parse and run stage chains such as ``conv(k1.txt, norm=mean) | relu | maxpool(2)``.

Grammar: ``stage | stage | ...``; a stage is ``name`` or ``name(arg, key=value, ...)``.
Values are ints, floats, ``true``/``false``, pairs written ``(2,1)``, ``2x1`` or
``"2,1"``, words such as ``same`` or ``mean``, and file names (relative to
``base_dir``). Every error names the stage and the character it concerns.

Stages: conv, relu, leaky_relu, sigmoid, tanh, maxpool, avgpool, meanpool,
sumpool, flatten, linear, softmax (see ``SPECS``). After parsing, conv and
linear stages hold their arrays in ``stage.weight`` / ``stage.bias`` and every
stage holds its validated keyword arguments for ``ops`` in ``stage.options``.

>>> import numpy as np
>>> stages = parse_pipeline("relu | maxpool(2, stride=1) | flatten")
>>> [(s.index, s.name, s.options) for s in stages][1]
(2, 'maxpool', {'kind': 'max', 'size': (2, 2), 'stride': (1, 1), 'padding': (0, 0), \
'dilation': (1, 1), 'ceil_mode': False, 'count_include_pad': True})
>>> results = run_pipeline(np.array([[1., -2.], [-3., 4.]]), stages)
>>> [(r.stage.name, r.shape, r.output.tolist()) for r in results]
[('relu', (2, 2), [[1.0, 0.0], [0.0, 4.0]]), ('maxpool', (1, 1), [[4.0]]), ('flatten', (1,), [4.0])]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cnncalc.engine import ops
from cnncalc.errors import CnncalcError, PipelineError
from cnncalc.net.bind import POOL_KIND, SPECS, bind_stage
from cnncalc.net.chain import STAGE_NAMES, Stage, StageError, parse_chain

__all__ = [
    "SPECS",
    "STAGE_NAMES",
    "Stage",
    "StageError",
    "StageResult",
    "apply_stage",
    "bind_stage",
    "conv_weight",
    "loss_and_prediction",
    "parse_chain",
    "parse_pipeline",
    "pipeline_output",
    "run_pipeline",
]

CLASSIFIER_ENDS = ("linear", "softmax")
NEW_STAGES = ("conv_transpose", "batchnorm", "adaptive_avgpool", "adaptive_maxpool", "global_avgpool")


@dataclass
class StageResult:
    """One stage's output: ``stage`` (the parsed Stage), ``shape`` and ``output``."""

    stage: Stage
    shape: tuple[int, ...]
    output: np.ndarray = field(repr=False)
    batch: bool = False  # the first axis counts images (a 4-D input)


def parse_pipeline(
    text: str, *, base_dir: Path | str | None = None, default_kernel: Any = None
) -> list[Stage]:
    """Parse a chain for ``run``: check every argument and load the files.

    ``base_dir`` is where relative file names are found (an assignment's folder;
    default the current directory). ``default_kernel`` is the kernel of a
    ``conv`` stage written without a file, as in an assignment's
    ``stages = "conv(norm=mean) | relu"``; it may also be given to
    ``run_pipeline``.

    >>> [s.name for s in parse_pipeline("conv(norm=mean) | relu", default_kernel=[[1.0]])]
    ['conv', 'relu']
    >>> parse_pipeline("relu | maxpool(0)")
    Traceback (most recent call last):
    ...
    cnncalc.net.chain.StageError: stage 2 'maxpool(0)' at character 16: size must be a positive integer (got 0)
    """
    base = Path(base_dir) if base_dir is not None else None
    stages = parse_chain(text, names=STAGE_NAMES)
    for stage in stages:
        bind_stage(stage, base_dir=base, default_kernel=default_kernel)
    return stages


# --------------------------------------------------------------------------- running


def _per_image(x: np.ndarray, fn: Any) -> np.ndarray:
    """Apply a one-image function to each image of a (N, C, H, W) batch."""
    if x.ndim == 4:
        return np.stack([fn(one) for one in x])
    return fn(x)


def conv_weight(weight: np.ndarray, channels: int, groups: int = 1) -> np.ndarray:
    """The weight ``ops.conv2d`` gets for an input with ``channels`` channels.

    A text kernel file with M·C blocks on a C-channel input is M filters written
    filter by filter, channel by channel, i.e. an (M, C, kh, kw) weight.

    >>> conv_weight(np.zeros((6, 3, 3)), 2).shape
    (3, 2, 3, 3)
    >>> conv_weight(np.zeros((2, 3, 3)), 2).shape
    (2, 3, 3)
    """
    w = np.asarray(weight, dtype=np.float64)
    if groups > 1:  # ops.conv2d reads the blocks group by group
        return w
    if w.ndim == 3 and channels > 1 and w.shape[0] != channels and w.shape[0] % channels == 0:
        return w.reshape(w.shape[0] // channels, channels, *w.shape[1:])
    return w


def apply_stage(
    stage: Stage, x: np.ndarray, *, default_kernel: Any = None, conv_method: str = "auto",
    batched: bool = False,
) -> np.ndarray:
    """Run one bound stage on ``x``; errors are reported at that stage.

    ``conv_method`` is passed to ``ops.conv2d`` (``"direct"`` keeps exact zeros).
    ``batched``: the first axis of ``x`` counts images (maps (N, C, H, W), then
    vectors (N, F) after flatten), as PyTorch's modules take a batch.
    """
    try:
        x = np.asarray(x, dtype=np.float64)
        if batched and stage.name in ("flatten", "linear", "softmax"):
            return _apply_rows(stage, x)
        return _apply(stage, x, default_kernel, conv_method)
    except StageError:
        raise
    except CnncalcError as exc:
        raise StageError.wrap(stage, exc) from exc


def _apply_rows(stage: Stage, x: np.ndarray) -> np.ndarray:
    """flatten, linear and softmax on a batch: one row per image."""
    if stage.name == "flatten":
        return x.reshape(x.shape[0], -1)
    if x.ndim != 2:
        raise StageError(stage, "pipeline.batch_vectors", name=stage.name, shape=_shape_text(x.shape))
    if stage.name == "softmax":
        return ops.softmax(x, axis=-1)
    if stage.weight is None:
        raise StageError(stage, "pipeline.missing_arg", name="linear", what="W_FILE",
                         example="linear(w.txt, b.txt)")
    return np.stack([ops.linear(row, stage.weight, stage.bias) for row in x])


def _apply(stage: Stage, x: np.ndarray, default_kernel: Any, conv_method: str) -> np.ndarray:
    name = stage.name
    if name == "conv":
        weight = stage.weight if stage.weight is not None else default_kernel
        if weight is None:
            raise StageError(stage, "pipeline.no_kernel")
        channels = x.shape[-3] if x.ndim >= 3 else 1
        groups = stage.options.get("groups", 1)
        w = conv_weight(weight, channels, groups)
        if w.ndim == 3 and channels > 1 and groups == 1 and w.shape[0] != channels:
            raise StageError(stage, "pipeline.kernel_blocks", channels=channels, blocks=w.shape[0])
        bias = stage.bias if stage.bias is not None else 0.0
        return ops.conv2d(x, w, bias=bias, method=conv_method, **stage.options)
    if name in POOL_KIND:
        return _per_image(x, lambda one: ops.pool2d(one, **stage.options))
    if name in NEW_STAGES:
        from cnncalc.net.newstages import apply_new_stage

        return apply_new_stage(stage, x, default_kernel)
    if name == "relu":
        return ops.relu(x)
    if name == "leaky_relu":
        return ops.leaky_relu(x, stage.options.get("slope", 0.01))
    if name == "sigmoid":
        return ops.sigmoid(x)
    if name == "tanh":
        return ops.tanh(x)
    if name == "flatten":
        return ops.flatten(x)
    if name == "linear":
        if stage.weight is None:
            raise StageError(stage, "pipeline.missing_arg", name="linear", what="W_FILE",
                             example="linear(w.txt, b.txt)")
        return ops.linear(x, stage.weight, stage.bias)
    if name == "softmax":
        if x.ndim != 1:
            raise StageError(stage, "pipeline.softmax_vector", shape=_shape_text(x.shape))
        return ops.softmax(x)
    raise StageError(stage, "pipeline.unknown_stage", name=name, names=", ".join(STAGE_NAMES))


def run_pipeline(
    x: np.ndarray, stages: list[Stage], *, default_kernel: Any = None
) -> list[StageResult]:
    """Run ``x`` through ``stages``; one ``StageResult`` per stage, in order.

    >>> out = run_pipeline(np.eye(3), parse_pipeline("conv(norm=mean)", default_kernel=np.eye(2)))
    >>> out[-1].output.tolist()
    [[0.5, 0.0], [0.0, 0.5]]
    """
    if not isinstance(stages, (list, tuple)) or not all(isinstance(s, Stage) for s in stages):
        raise CnncalcError("param.stages", value=stages)
    results = []
    current = ops._as_float_array(x, "input")
    batched = current.ndim == 4
    for stage in stages:
        current = apply_stage(stage, current, default_kernel=default_kernel, batched=batched)
        results.append(StageResult(stage=stage, shape=tuple(current.shape), output=current, batch=batched))
    return results


def pipeline_output(
    x: np.ndarray,
    text: str,
    *,
    base_dir: Path | str | None = None,
    default_kernel: Any = None,
) -> np.ndarray:
    """Parse ``text`` and return the last stage's output (what ``check`` compares)."""
    stages = parse_pipeline(text, base_dir=base_dir, default_kernel=default_kernel)
    if not stages:
        return np.asarray(x, dtype=np.float64)
    return run_pipeline(x, stages, default_kernel=default_kernel)[-1].output


def loss_and_prediction(
    results: list[StageResult], target: Any, loss: str = "ce"
) -> tuple[float | None, int | None]:
    """The loss of the final output for ``target`` and the predicted class.

    ``loss`` is one of ``lossspec.LOSSES``; the default, cross-entropy, takes
    the class ``target`` (0-based).

    The loss is −log softmax(logits)[target], or −log p[target] when the last
    stage is ``softmax``. The prediction is the argmax (first on ties) of a
    final vector when a target is given or the network ends in ``linear`` or
    ``softmax`` (a classifier), else ``None``. A target needs a final vector.

    >>> res = run_pipeline(np.array([[0.0, 0.0]]), parse_pipeline("flatten"))
    >>> loss, pred = loss_and_prediction(res, 1)
    >>> round(loss, 6), pred
    (0.693147, 0)
    >>> loss_and_prediction(res, None)
    (None, None)
    """
    if not results:
        return None, None
    last = results[-1]
    out = last.output
    if last.batch:
        from cnncalc.net.lossspec import batch_loss_and_prediction

        return batch_loss_and_prediction(out, last.stage.name, target, loss)
    if isinstance(target, np.ndarray) and target.dtype.kind in "iu":
        raise PipelineError("loss.one_image_target", value=",".join(str(int(t)) for t in target.reshape(-1)))
    if loss != "ce":
        from cnncalc.net.lossspec import CLASS_LOSSES, loss_value

        if loss not in CLASS_LOSSES and target is not None:
            value = loss_value(out, loss, target)
            ends = out.ndim == 1 and last.stage.name in CLASSIFIER_ENDS
            return value, int(np.argmax(out)) if ends else None
        if out.ndim != 1 and target is not None:
            raise PipelineError("pipeline.target_vector", shape=_shape_text(out.shape))
        if target is not None:
            return loss_value(out, loss, target), int(np.argmax(out))
    if out.ndim != 1:
        if target is not None:
            raise PipelineError("pipeline.target_vector", shape=_shape_text(out.shape))
        return None, None
    prediction = int(np.argmax(out))
    if target is None:
        return None, prediction if last.stage.name in CLASSIFIER_ENDS else None
    if last.stage.name == "softmax":
        return ops.nll_from_probabilities(out, target), prediction
    return ops.cross_entropy(out, target), prediction


def _shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(str(n) for n in shape)
