"""Give a parsed stage its meaning for ``run``: check every argument, load the files.

``bind_stage`` maps positional and keyword arguments onto each stage's
parameters (``SPECS``), validates them with ``ops``' rules and fills
``stage.options`` (keyword arguments for ``ops``), ``stage.weight`` and
``stage.bias``. Every error is a ``StageError`` pointing at the argument.

>>> from cnncalc.net.chain import parse_chain
>>> (stage,) = parse_chain("maxpool(3, stride=2x1, ceil_mode=true)")
>>> bind_stage(stage).options["stride"], stage.options["ceil_mode"]
((2, 1), True)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from cnncalc.engine import ops
from cnncalc.engine.arrays import as_int
from cnncalc.engine.padding import PAD_MODES, as_pads, check_mode
from cnncalc.errors import CnncalcError
from cnncalc.net.chain import Stage, StageError

POOL_KIND = {"maxpool": "max", "avgpool": "mean", "meanpool": "mean", "sumpool": "sum"}

# positional parameter names in order, then the keyword-only ones
SPECS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "conv": (("kernel",), ("stride", "padding", "dilation", "padding_mode", "norm", "bias", "flip",
                           "groups", "padding_value")),
    "conv_transpose": (("kernel",), ("stride", "padding", "output_padding", "dilation", "groups", "bias")),
    "batchnorm": ((), ("mean", "var", "weight", "bias", "eps", "momentum", "train")),
    "adaptive_avgpool": (("h", "w"), ()),
    "adaptive_maxpool": (("h", "w"), ()),
    "global_avgpool": ((), ()),
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
    "conv_transpose": "conv_transpose(k.txt, stride=2)",
    "adaptive_avgpool": "adaptive_avgpool(2, 2)",
    "adaptive_maxpool": "adaptive_maxpool(2, 2)",
}
KEY_ALIASES.update({"output_size": "h", "running_mean": "mean", "running_var": "var",
                    "training": "train", "value": "padding_value"})


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


def as_bool(stage: Stage, name: str, value: Any) -> bool:
    """``true``/``false`` (or 1/0) for argument ``name``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise StageError(stage, "pipeline.needs_bool", at=stage.spans.get(name), parameter=name, value=value)


def as_number(stage: Stage, name: str, value: Any) -> float:
    """A number (not a bool) for argument ``name``."""
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
    from cnncalc.read import read_matrix

    if not isinstance(value, str) or not value.strip():
        raise StageError(stage, "pipeline.needs_file", at=stage.spans.get(name), parameter=name, value=value)
    try:
        return read_matrix(_resolve(value.strip(), base_dir))
    except CnncalcError as exc:
        raise StageError.wrap(stage, exc, at=stage.spans.get(name)) from exc


def checked(stage: Stage, name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
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
    stride = checked(stage, "stride", ops.as_pair, b.get("stride", 1), "stride")
    dilation = checked(stage, "dilation", ops.as_pair, b.get("dilation", 1), "dilation")
    padding = b.get("padding", 0)
    if isinstance(padding, str) and padding.strip().lower() in ("same", "valid"):
        padding = padding.strip().lower()
        if padding == "same" and stride != (1, 1):
            checked(stage, "padding", ops.conv_padding, padding, (1, 1), dilation, stride)
    elif _four(padding):
        padding = checked(stage, "padding", as_pads, padding)
    else:
        padding = checked(stage, "padding", ops.as_pair, padding, "padding", minimum=0)
    options = {"stride": stride, "padding": padding, "dilation": dilation}
    options["groups"] = checked(stage, "groups", as_int, b.get("groups", 1), "groups")
    options["padding_value"] = as_number(stage, "padding_value", b.get("padding_value", 0.0))
    for name, choices, default in (
        ("padding_mode", PAD_MODES, "zeros"),
        ("norm", ops.NORMS, "sum"),
    ):
        word = _as_word(stage, name, b.get(name, default))
        if word not in choices:
            raise StageError(
                stage, "param.choice", at=stage.spans.get(name), parameter=name,
                choices=", ".join(choices), value=word,
            )
        options[name] = word
    options["flip"] = as_bool(stage, "flip", b.get("flip", False))
    checked(stage, "padding_value", check_mode, options["padding_mode"], options["padding_value"])
    stage.options = options
    if "bias" in b:
        value = b["bias"]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            stage.bias = np.array([float(value)])
        else:
            stage.bias = _load(stage, "bias", value, base_dir).reshape(-1)


def bind_pool(stage: Stage, b: dict) -> None:
    if "size" not in b:
        raise StageError(stage, "pipeline.missing_arg", name=stage.name, what="size",
                         example=EXAMPLES[stage.name])
    size = checked(stage, "size", ops.as_pair, b["size"], "size")
    stride = checked(stage, "stride", ops.as_pair, b.get("stride", size), "stride")
    padding = checked(stage, "padding", ops.as_pair, b.get("padding", 0), "padding", minimum=0)
    dilation = checked(stage, "dilation", ops.as_pair, b.get("dilation", 1), "dilation")
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
        "ceil_mode": as_bool(stage, "ceil_mode", b.get("ceil_mode", False)),
        "count_include_pad": as_bool(stage, "count_include_pad", b.get("count_include_pad", True)),
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


def _four(value: Any) -> bool:
    """Four pads (left, right, top, bottom), as a tuple or a quoted "l,r,t,b"."""
    if isinstance(value, str):
        return value.count(",") == 3
    return isinstance(value, tuple) and len(value) == 4


def _bias_values(stage: Stage, b: dict, base_dir: Path | None) -> np.ndarray | None:
    """A bias written as a number or a file of one value per output channel."""
    if "bias" not in b:
        return None
    value = b["bias"]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return np.array([float(value)])
    return _load(stage, "bias", value, base_dir).reshape(-1)


def _bind_conv_transpose(stage: Stage, b: dict, base_dir: Path | None, default_kernel: Any) -> None:
    if "kernel" in b:
        stage.weight = _load(stage, "kernel", b["kernel"], base_dir)
    elif default_kernel is not None:
        stage.weight = np.asarray(default_kernel, dtype=np.float64)
    stage.options = {
        "stride": checked(stage, "stride", ops.as_pair, b.get("stride", 1), "stride"),
        "padding": checked(stage, "padding", ops.as_pair, b.get("padding", 0), "padding", minimum=0),
        "output_padding": checked(stage, "output_padding", ops.as_pair, b.get("output_padding", 0),
                                  "output_padding", minimum=0),
        "dilation": checked(stage, "dilation", ops.as_pair, b.get("dilation", 1), "dilation"),
        "groups": checked(stage, "groups", as_int, b.get("groups", 1), "groups"),
    }
    stage.bias = _bias_values(stage, b, base_dir)


def _values(stage: Stage, name: str, value: Any, base_dir: Path | None) -> np.ndarray:
    """Per-channel values: a number (every channel), a tuple of numbers, or a file."""
    if isinstance(value, tuple):
        return np.array([as_number(stage, name, v) for v in value])
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return np.array([float(value)])
    return _load(stage, name, value, base_dir).reshape(-1)


def _bind_batchnorm(stage: Stage, b: dict, base_dir: Path | None) -> None:
    options: dict[str, Any] = {
        "training": as_bool(stage, "train", b.get("train", False)),
        "momentum": as_number(stage, "momentum", b.get("momentum", 0.1)),
        "eps": as_number(stage, "eps", b.get("eps", 1e-5)),
    }
    for name in ("mean", "var"):
        options[name] = _values(stage, name, b[name], base_dir) if name in b else None
    if options["eps"] < 0:
        raise StageError(stage, "param.non_negative_real", at=stage.spans.get("eps"), parameter="eps",
                         value=options["eps"])
    stage.options = options
    # the affine weight and bias are the stage's parameters (trained by train-step)
    stage.weight = _values(stage, "weight", b["weight"], base_dir) if "weight" in b else None
    stage.bias = _values(stage, "bias", b["bias"], base_dir) if "bias" in b else None


def bind_adaptive(stage: Stage, b: dict) -> None:
    if "h" not in b:
        raise StageError(stage, "pipeline.missing_arg", name=stage.name, what="H, W",
                         example=EXAMPLES[stage.name])
    h = b["h"]
    if isinstance(h, tuple) and "w" not in b:
        size = checked(stage, "h", ops.as_pair, h, "output_size", minimum=0)
    else:
        size = (checked(stage, "h", as_int, h, "output_size", minimum=0),
                checked(stage, "w", as_int, b.get("w", h), "output_size", minimum=0))
    if 0 in size:
        raise StageError(stage, "param.adaptive_output", at=stage.spans.get("h"), value=_pair_text(size))
    stage.options = {"output_size": size}


def _pair_text(p: tuple[int, int]) -> str:
    return str(p[0]) if p[0] == p[1] else f"{p[0]},{p[1]}"


def bind_stage(
    stage: Stage, *, base_dir: Path | None = None, default_kernel: Any = None
) -> Stage:
    """Validate a parsed stage for ``run`` and load its files (in place)."""
    b = bind_arguments(stage)
    if stage.name == "conv":
        _bind_conv(stage, b, base_dir, default_kernel)
    elif stage.name == "conv_transpose":
        _bind_conv_transpose(stage, b, base_dir, default_kernel)
    elif stage.name == "batchnorm":
        _bind_batchnorm(stage, b, base_dir)
    elif stage.name in ("adaptive_avgpool", "adaptive_maxpool"):
        bind_adaptive(stage, b)
    elif stage.name in POOL_KIND:
        bind_pool(stage, b)
    elif stage.name == "leaky_relu":
        stage.options = {"slope": as_number(stage, "slope", b.get("slope", 0.01))}
    elif stage.name == "linear":
        _bind_linear(stage, b, base_dir)
    return stage
