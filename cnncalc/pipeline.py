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

from cnncalc import ops
from cnncalc.errors import CnncalcError, PipelineError
from cnncalc.chain import STAGE_NAMES, Stage, StageError, parse_chain

__all__ = [
    "SPECS",
    "STAGE_NAMES",
    "Stage",
    "StageError",
    "StageResult",
    "apply_stage",
    "conv_weight",
    "loss_and_prediction",
    "parse_chain",
    "parse_pipeline",
    "pipeline_output",
    "run_pipeline",
]

CLASSIFIER_ENDS = ("linear", "softmax")
POOL_KIND = {"maxpool": "max", "avgpool": "mean", "meanpool": "mean", "sumpool": "sum"}

# positional parameter names in order, then the keyword-only ones
SPECS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "conv": (("kernel",), ("stride", "padding", "dilation", "padding_mode", "norm", "bias", "flip")),
    "relu": ((), ()),
    "leaky_relu": (("slope",), ()),
    "sigmoid": ((), ()),
    "tanh": ((), ()),
    "maxpool": (("size", "stride", "padding", "dilation"), ("ceil_mode",)),
    "avgpool": (("size", "stride", "padding"), ("ceil_mode", "count_include_pad")),
    "meanpool": (("size", "stride", "padding"), ("ceil_mode", "count_include_pad")),
    "sumpool": (("size", "stride", "padding"), ("ceil_mode",)),
    "flatten": ((), ()),
    "linear": (("weight", "bias"), ()),
    "softmax": ((), ()),
}
KEY_ALIASES = {"kernel_size": "size", "k": "size", "negative_slope": "slope", "w": "weight", "b": "bias"}
EXAMPLES = {
    "conv": "conv(k1.txt, norm=mean)",
    "leaky_relu": "leaky_relu(0.1)",
    "maxpool": "maxpool(2)",
    "avgpool": "avgpool(2)",
    "meanpool": "meanpool(2)",
    "sumpool": "sumpool(2)",
    "linear": "linear(w.txt, b.txt)",
}


@dataclass
class StageResult:
    """One stage's output: ``stage`` (the parsed Stage), ``shape`` and ``output``."""

    stage: Stage
    shape: tuple[int, ...]
    output: np.ndarray = field(repr=False)


# --------------------------------------------------------------------------- binding


def bind_arguments(stage: Stage, specs: dict = SPECS) -> dict[str, Any]:
    """Map a stage's positional and keyword arguments onto its parameter names.

    Returns ``{name: value}``; the char offset of each is kept in ``stage.spans``
    under the same name. Unknown, duplicate or surplus arguments are errors.
    """
    positional, keywords = specs[stage.name]
    bound: dict[str, Any] = {}
    if len(stage.args) > len(positional):
        extra = len(positional)
        if not positional and not keywords:
            raise StageError(stage, "pipeline.no_args", at=stage.spans.get(0), name=stage.name)
        raise StageError(
            stage, "pipeline.too_many_args", at=stage.spans.get(extra), name=stage.name,
            most=len(positional), got=len(stage.args),
        )
    for i, value in enumerate(stage.args):
        bound[positional[i]] = value
        stage.spans[positional[i]] = stage.spans.get(i, stage.position)
    allowed = positional + keywords
    for key, value in stage.kwargs.items():
        name = KEY_ALIASES.get(key, key)
        at = stage.spans.get("=" + key)
        if name not in allowed:
            raise StageError(
                stage, "pipeline.unknown_key", at=at, name=stage.name, option=key,
                keys=", ".join(allowed) or "-",
            )
        if name in bound:
            raise StageError(stage, "pipeline.duplicate_key", at=at, option=name)
        bound[name] = value
        stage.spans[name] = at if at is not None else stage.position
    return bound


def _as_bool(stage: Stage, name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise StageError(stage, "pipeline.needs_bool", at=stage.spans.get(name), parameter=name, value=value)


def _as_number(stage: Stage, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StageError(stage, "pipeline.needs_number", at=stage.spans.get(name), parameter=name, value=value)
    return float(value)


def _as_word(stage: Stage, name: str, value: Any) -> str:
    return value.strip().lower() if isinstance(value, str) else str(value)


def _resolve(value: str, base_dir: Path | None) -> Path:
    path = Path(value).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    return path


def _load(stage: Stage, name: str, value: Any, base_dir: Path | None) -> np.ndarray:
    from cnncalc.matrix_io import read_matrix

    if not isinstance(value, str) or not value.strip():
        raise StageError(stage, "pipeline.needs_file", at=stage.spans.get(name), parameter=name, value=value)
    try:
        return read_matrix(_resolve(value.strip(), base_dir))
    except CnncalcError as exc:
        raise StageError.wrap(stage, exc, at=stage.spans.get(name)) from exc


def _checked(stage: Stage, name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call an ``ops`` validator, re-raising its error at this argument."""
    try:
        return fn(*args, **kwargs)
    except CnncalcError as exc:
        raise StageError.wrap(stage, exc, at=stage.spans.get(name)) from exc


def _bind_conv(stage: Stage, b: dict, base_dir: Path | None, default_kernel: Any) -> None:
    if "kernel" in b:
        stage.weight = _load(stage, "kernel", b["kernel"], base_dir)
    elif default_kernel is not None:
        stage.weight = np.asarray(default_kernel, dtype=np.float64)
    stride = _checked(stage, "stride", ops.as_pair, b.get("stride", 1), "stride")
    dilation = _checked(stage, "dilation", ops.as_pair, b.get("dilation", 1), "dilation")
    padding = b.get("padding", 0)
    if isinstance(padding, str) and padding.strip().lower() in ("same", "valid"):
        padding = padding.strip().lower()
        if padding == "same" and stride != (1, 1):
            _checked(stage, "padding", ops.conv_padding, padding, (1, 1), dilation, stride)
    else:
        padding = _checked(stage, "padding", ops.as_pair, padding, "padding", minimum=0)
    options = {"stride": stride, "padding": padding, "dilation": dilation}
    for name, choices, default in (
        ("padding_mode", ops.PADDING_MODES, "zeros"),
        ("norm", ops.NORMS, "sum"),
    ):
        word = _as_word(stage, name, b.get(name, default))
        if word not in choices:
            raise StageError(
                stage, "param.choice", at=stage.spans.get(name), parameter=name,
                choices=", ".join(choices), value=word,
            )
        options[name] = word
    options["flip"] = _as_bool(stage, "flip", b.get("flip", False))
    stage.options = options
    if "bias" in b:
        value = b["bias"]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            stage.bias = np.array([float(value)])
        else:
            stage.bias = _load(stage, "bias", value, base_dir).reshape(-1)


def _bind_pool(stage: Stage, b: dict) -> None:
    if "size" not in b:
        raise StageError(stage, "pipeline.missing_arg", name=stage.name, what="size",
                         example=EXAMPLES[stage.name])
    size = _checked(stage, "size", ops.as_pair, b["size"], "size")
    stride = _checked(stage, "stride", ops.as_pair, b.get("stride", size), "stride")
    padding = _checked(stage, "padding", ops.as_pair, b.get("padding", 0), "padding", minimum=0)
    dilation = _checked(stage, "dilation", ops.as_pair, b.get("dilation", 1), "dilation")
    for p, k in zip(padding, size):
        if p > k // 2:
            raise StageError(stage, "param.pool_padding", at=stage.spans.get("padding"),
                             padding=p, size=k, half=k // 2)
    stage.options = {
        "kind": POOL_KIND[stage.name],
        "size": size,
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "ceil_mode": _as_bool(stage, "ceil_mode", b.get("ceil_mode", False)),
        "count_include_pad": _as_bool(stage, "count_include_pad", b.get("count_include_pad", True)),
    }


def _bind_linear(stage: Stage, b: dict, base_dir: Path | None) -> None:
    if "weight" not in b:
        raise StageError(stage, "pipeline.missing_arg", name="linear", what="W_FILE",
                         example=EXAMPLES["linear"])
    weight = _load(stage, "weight", b["weight"], base_dir)
    if weight.ndim == 1:
        weight = weight[None, :]
    if weight.ndim != 2:
        raise StageError(stage, "pipeline.linear_dims", at=stage.spans.get("weight"),
                         shape="×".join(map(str, weight.shape)))
    stage.weight = weight
    if "bias" in b:
        value = b["bias"]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            stage.bias = np.array([float(value)])
        else:
            stage.bias = _load(stage, "bias", value, base_dir).reshape(-1)
        if stage.bias.size not in (1, weight.shape[0]):
            raise StageError(stage, "shape.bias", at=stage.spans.get("bias"),
                             got=stage.bias.size, filters=weight.shape[0])


def bind_stage(
    stage: Stage, *, base_dir: Path | None = None, default_kernel: Any = None
) -> Stage:
    """Validate a parsed stage for ``run`` and load its files (in place)."""
    b = bind_arguments(stage)
    if stage.name == "conv":
        _bind_conv(stage, b, base_dir, default_kernel)
    elif stage.name in POOL_KIND:
        _bind_pool(stage, b)
    elif stage.name == "leaky_relu":
        stage.options = {"slope": _as_number(stage, "slope", b.get("slope", 0.01))}
    elif stage.name == "linear":
        _bind_linear(stage, b, base_dir)
    return stage


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
    cnncalc.chain.StageError: stage 2 'maxpool(0)' at character 16: size must be a positive integer (got 0)
    """
    base = Path(base_dir) if base_dir is not None else None
    stages = parse_chain(text, names=STAGE_NAMES)
    for stage in stages:
        bind_stage(stage, base_dir=base, default_kernel=default_kernel)
    return stages


# --------------------------------------------------------------------------- running


def conv_weight(weight: np.ndarray, channels: int) -> np.ndarray:
    """The weight ``ops.conv2d`` gets for an input with ``channels`` channels.

    A text kernel file with M·C blocks on a C-channel input is M filters written
    filter by filter, channel by channel, i.e. an (M, C, kh, kw) weight.

    >>> conv_weight(np.zeros((6, 3, 3)), 2).shape
    (3, 2, 3, 3)
    >>> conv_weight(np.zeros((2, 3, 3)), 2).shape
    (2, 3, 3)
    """
    w = np.asarray(weight, dtype=np.float64)
    if w.ndim == 3 and channels > 1 and w.shape[0] != channels and w.shape[0] % channels == 0:
        return w.reshape(w.shape[0] // channels, channels, *w.shape[1:])
    return w


def apply_stage(stage: Stage, x: np.ndarray, *, default_kernel: Any = None) -> np.ndarray:
    """Run one bound stage on ``x``; errors are reported at that stage."""
    try:
        return _apply(stage, np.asarray(x, dtype=np.float64), default_kernel)
    except StageError:
        raise
    except CnncalcError as exc:
        raise StageError.wrap(stage, exc) from exc


def _apply(stage: Stage, x: np.ndarray, default_kernel: Any) -> np.ndarray:
    name = stage.name
    if name == "conv":
        weight = stage.weight if stage.weight is not None else default_kernel
        if weight is None:
            raise StageError(stage, "pipeline.no_kernel")
        channels = x.shape[0] if x.ndim == 3 else 1
        w = conv_weight(weight, channels)
        if w.ndim == 3 and channels > 1 and w.shape[0] != channels:
            raise StageError(stage, "pipeline.kernel_blocks", channels=channels, blocks=w.shape[0])
        bias = stage.bias if stage.bias is not None else 0.0
        return ops.conv2d(x, w, bias=bias, **stage.options)
    if name in POOL_KIND:
        return ops.pool2d(x, **stage.options)
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
    results = []
    current = np.asarray(x, dtype=np.float64)
    for stage in stages:
        current = apply_stage(stage, current, default_kernel=default_kernel)
        results.append(StageResult(stage=stage, shape=tuple(current.shape), output=current))
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


def loss_and_prediction(results: list[StageResult], target: int | None) -> tuple[float | None, int | None]:
    """Cross-entropy of the final output for class ``target`` (0-based) and the predicted class.

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
