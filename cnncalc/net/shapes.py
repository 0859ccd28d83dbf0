"""Layer-by-layer shapes, parameter counts and multiply-adds of a stage chain.

In ``cnncalc shape`` the chain takes sizes instead of files: ``conv(OUT, K,
stride=, padding=, dilation=, padding_mode=, bias=true|false)`` and
``linear(OUT, bias=true|false)``; the other stages are written as for ``run``.
Counts follow PyTorch and torchinfo: a conv has out·in·kh·kw weights plus
``out`` biases and does (weights + biases)·Ho·Wo multiply-adds; a linear layer
has in·out weights plus ``out`` biases and does as many multiply-adds
(torchinfo's "Mult-Adds": each bias counts once per output cell).

>>> s = shape_summary((1, 32, 32), "conv(6, 3) | relu | maxpool(2) | conv(16, 5) | relu | maxpool(2)")
>>> [(layer.output_shape, layer.params) for layer in s.layers][::3]
[((6, 30, 30), 60), ((16, 11, 11), 2416)]
>>> s.output_shape, s.total_params, s.total_macs
((16, 5, 5), 2476, 346336)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from math import prod
from typing import Any

import numpy as np

from cnncalc.engine import ops
from cnncalc.engine.arrays import as_int
from cnncalc.engine.padding import PAD_MODES, as_pads, check_mode, plan_axes
from cnncalc.engine.transpose import plan_transpose
from cnncalc.errors import CnncalcError
from cnncalc.net.bind import (
    POOL_KIND,
    SPECS,
    as_bool,
    as_number,
    bind_adaptive,
    bind_arguments,
    bind_pool,
    checked,
)
from cnncalc.net.chain import Stage, StageError, parse_chain

__all__ = ["LayerShape", "ShapeSummary", "parse_input_shape", "shape_summary"]

SHAPE_SPECS = dict(SPECS)
SHAPE_SPECS["conv"] = (
    ("out", "kernel"),
    ("stride", "padding", "dilation", "padding_mode", "bias", "norm", "flip", "groups", "padding_value"),
)
SHAPE_SPECS["conv_transpose"] = (
    ("out", "kernel"),
    ("stride", "padding", "output_padding", "dilation", "groups", "bias"),
)
SHAPE_SPECS["batchnorm"] = ((), ("eps", "momentum", "train", "affine"))
SHAPE_SPECS["linear"] = (("out",), ("bias",))
SHAPE_ALIASES = {"out_channels": "out", "out_features": "out", "kernel_size": "kernel"}
EXAMPLES = {
    "conv": "conv(6, 3) (OUT channels, K×K kernel)",
    "conv_transpose": "conv_transpose(6, 2, stride=2) (OUT channels, K×K kernel)",
    "linear": "linear(120) (OUT features)",
    "adaptive_avgpool": "adaptive_avgpool(2, 2)",
    "adaptive_maxpool": "adaptive_maxpool(2, 2)",
}

_DIMS_RE = re.compile(r"\d+(?:\s*[x×X*,]\s*\d+){1,3}")


@dataclass
class LayerShape:
    """One stage: its text, output shape, parameter count and multiply-adds."""

    stage: str
    output_shape: tuple[int, ...]
    params: int
    macs: int


@dataclass
class ShapeSummary:
    """Every stage of a chain with totals, as ``cnncalc shape`` reports it."""

    input_shape: tuple[int, ...]
    layers: list[LayerShape] = field(default_factory=list)

    @property
    def total_params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def total_macs(self) -> int:
        return sum(layer.macs for layer in self.layers)

    @property
    def output_shape(self) -> tuple[int, ...]:
        return self.layers[-1].output_shape if self.layers else self.input_shape

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md: ``{"layers": [{"stage", "output_shape", "params", "macs"}], ...}``."""
        return {
            "layers": [
                {
                    "stage": layer.stage,
                    "output_shape": list(layer.output_shape),
                    "params": layer.params,
                    "macs": layer.macs,
                }
                for layer in self.layers
            ],
            "total_params": self.total_params,
            "total_macs": self.total_macs,
        }


def parse_input_shape(text: str) -> tuple[int, ...]:
    """``C×H×W`` or ``H×W`` (C = 1) as written on the command line; ``N×C×H×W`` is a batch.

    >>> parse_input_shape("1x32x32"), parse_input_shape("3×28×28"), parse_input_shape("32x32")
    ((1, 32, 32), (3, 28, 28), (1, 32, 32))
    >>> parse_input_shape("8x3x32x32")
    (8, 3, 32, 32)
    """
    raw = str(text).strip()
    if not _DIMS_RE.fullmatch(raw):
        raise CnncalcError("shape.bad_input", value=text)
    dims = [int(p) for p in re.split(r"\s*[x×X*,]\s*", raw)]
    if any(d < 1 for d in dims):
        raise CnncalcError("shape.bad_input", value=text)
    if len(dims) == 2:
        dims = [1, *dims]
    return tuple(dims)


def _size(stage: Stage, b: dict, name: str, *, required: bool = True) -> Any:
    value = b.get(name)
    if value is None:
        if not required:
            return None
        raise StageError(stage, "pipeline.missing_arg", name=stage.name, what=name.upper(),
                         example=EXAMPLES[stage.name])
    if isinstance(value, str) and not re.fullmatch(r"\d+\s*[x×X,]\s*\d+", value.strip()):
        raise StageError(stage, "shape.needs_size", at=stage.spans.get(name), name=stage.name,
                         example=EXAMPLES[stage.name])
    return value


def _count(stage: Stage, b: dict) -> int:
    """OUT channels or features: a positive integer."""
    value = _size(stage, b, "out")
    if isinstance(value, bool) or not isinstance(value, int):
        raise StageError(stage, "shape.needs_size", at=stage.spans.get("out"), name=stage.name,
                         example=EXAMPLES[stage.name])
    if value < 1:
        raise StageError(stage, "param.positive", at=stage.spans.get("out"), parameter="out", value=value)
    return value


def _bind(stage: Stage) -> dict[str, Any]:
    for alias, name in SHAPE_ALIASES.items():
        if alias in stage.kwargs:
            stage.kwargs[name] = stage.kwargs.pop(alias)
            stage.spans["=" + name] = stage.spans.get("=" + alias)
    return bind_arguments(stage, SHAPE_SPECS)


def _needs_map(stage: Stage, shape: tuple[int, ...]) -> None:
    if len(shape) != 3:
        raise StageError(stage, "shape.needs_map", name=stage.name, shape=_text(shape))


def _conv(stage: Stage, b: dict, shape: tuple[int, ...]) -> LayerShape:
    _needs_map(stage, shape)
    out = _count(stage, b)
    k = checked(stage, "kernel", ops.as_pair, _size(stage, b, "kernel"), "kernel")
    stride = checked(stage, "stride", ops.as_pair, b.get("stride", 1), "stride")
    dilation = checked(stage, "dilation", ops.as_pair, b.get("dilation", 1), "dilation")
    padding = b.get("padding", 0)
    if _four(padding):
        left, right, top, bottom = checked(stage, "padding", as_pads, padding)
        pads = (top, bottom, left, right)
    else:
        if not (isinstance(padding, str) and padding.strip().lower() in ("same", "valid")):
            padding = checked(stage, "padding", ops.as_pair, padding, "padding", minimum=0)
        pads = checked(stage, "padding", ops.conv_padding, padding, k, dilation, stride)
    mode = str(b.get("padding_mode", "zeros")).strip().lower()
    checked(stage, "padding_mode", ops._choice, mode, "padding_mode", PAD_MODES)
    value = as_number(stage, "padding_value", b.get("padding_value", 0.0))
    checked(stage, "padding_value", check_mode, mode, value)
    groups = _groups(stage, b, shape[0], out)
    checked(stage, "norm", ops._choice, str(b.get("norm", "sum")).lower(), "norm", ops.NORMS)
    as_bool(stage, "flip", b.get("flip", False))
    bias = as_bool(stage, "bias", b.get("bias", True))
    c, h, w = shape
    if min(pads) < 0:
        try:
            plan_axes((h, w), (pads[2], pads[3], pads[0], pads[1]), mode, "padding")
        except CnncalcError as exc:
            _no_fit(stage, shape, exc)
    for p, size in ((pads[0], h), (pads[1], h), (pads[2], w), (pads[3], w)):
        if mode == "reflect" and p >= size:
            _no_fit(stage, shape, CnncalcError("param.reflect_too_large", padding=p, size=size))
        if mode == "circular" and p > size:
            _no_fit(stage, shape, CnncalcError("param.circular_too_large", padding=p, size=size))
    try:
        ho, wo = ops.conv_output_hw((h, w), k, pads, stride, dilation)
    except CnncalcError as exc:
        _no_fit(stage, shape, exc)
    params = out * (c // groups) * k[0] * k[1] + (out if bias else 0)
    return LayerShape(stage.text, (out, ho, wo), params, params * ho * wo)


def _four(value: Any) -> bool:
    if isinstance(value, str):
        return value.count(",") == 3
    return isinstance(value, tuple) and len(value) == 4


def _groups(stage: Stage, b: dict, channels: int, out: int) -> int:
    """``groups`` divides the input channels and OUT, as nn.Conv2d requires."""
    groups = checked(stage, "groups", as_int, b.get("groups", 1), "groups")
    for what, n in (("input channels", channels), ("output channels (OUT)", out)):
        if n % groups:
            raise StageError(stage, "param.groups_divide", at=stage.spans.get("groups"),
                             groups=groups, what=what, channels=n)
    return groups


def _conv_transpose(stage: Stage, b: dict, shape: tuple[int, ...]) -> LayerShape:
    """nn.ConvTranspose2d: weight (in, out/groups, kh, kw); Mult-Adds as torchinfo
    counts any Conv: parameters × output cells."""
    _needs_map(stage, shape)
    out = _count(stage, b)
    k = checked(stage, "kernel", ops.as_pair, _size(stage, b, "kernel"), "kernel")
    stride = checked(stage, "stride", ops.as_pair, b.get("stride", 1), "stride")
    padding = checked(stage, "padding", ops.as_pair, b.get("padding", 0), "padding", minimum=0)
    outpad = checked(stage, "output_padding", ops.as_pair, b.get("output_padding", 0),
                     "output_padding", minimum=0)
    dilation = checked(stage, "dilation", ops.as_pair, b.get("dilation", 1), "dilation")
    groups = _groups(stage, b, shape[0], out)
    bias = as_bool(stage, "bias", b.get("bias", True))
    c, h, w = shape
    try:  # the engine's own plan checks every rule on a stand-in input of this shape
        plan = plan_transpose(np.zeros((1, c, h, w)), np.zeros((c, out // groups, *k)), None, stride,
                              padding, outpad, dilation, groups)
    except CnncalcError as exc:
        _no_fit(stage, shape, exc)
    ho, wo = plan.out_hw
    params = c * (out // groups) * k[0] * k[1] + (out if bias else 0)
    return LayerShape(stage.text, (out, ho, wo), params, params * ho * wo)


def _batchnorm(stage: Stage, b: dict, shape: tuple[int, ...]) -> LayerShape:
    """nn.BatchNorm2d: weight and bias per channel (2C parameters unless
    affine=false); torchinfo counts each parameter once as a Mult-Add."""
    _needs_map(stage, shape)
    as_bool(stage, "train", b.get("train", False))
    for name in ("eps", "momentum"):
        if name in b:
            as_number(stage, name, b[name])
    params = 2 * shape[0] if as_bool(stage, "affine", b.get("affine", True)) else 0
    return LayerShape(stage.text, shape, params, params)


def _adaptive(stage: Stage, b: dict, shape: tuple[int, ...]) -> LayerShape:
    _needs_map(stage, shape)
    if stage.name == "global_avgpool":
        return LayerShape(stage.text, (shape[0], 1, 1), 0, 0)
    bind_adaptive(stage, b)
    return LayerShape(stage.text, (shape[0], *stage.options["output_size"]), 0, 0)


def _linear(stage: Stage, b: dict, shape: tuple[int, ...]) -> LayerShape:
    out = _count(stage, b)
    bias = as_bool(stage, "bias", b.get("bias", True))
    params = prod(shape) * out + (out if bias else 0)
    return LayerShape(stage.text, (out,), params, params)


def _pool(stage: Stage, b: dict, shape: tuple[int, ...]) -> LayerShape:
    _needs_map(stage, shape)
    bind_pool(stage, b)
    o = stage.options
    if o["kind"] != "max" and o["dilation"] != (1, 1):
        raise StageError(stage, "param.pool_dilation", at=stage.spans.get("dilation"),
                         kind=o["kind"], dilation=_text(o["dilation"]))
    try:
        ho, wo = ops.pool_output_hw(
            (shape[1], shape[2]), o["size"], o["stride"], o["padding"], o["dilation"], o["ceil_mode"]
        )
    except CnncalcError as exc:
        _no_fit(stage, shape, exc)
    return LayerShape(stage.text, (shape[0], ho, wo), 0, 0)


def _layer(stage: Stage, shape: tuple[int, ...]) -> LayerShape:
    b = _bind(stage)
    if stage.name == "conv":
        return _conv(stage, b, shape)
    if stage.name == "linear":
        return _linear(stage, b, shape)
    if stage.name == "conv_transpose":
        return _conv_transpose(stage, b, shape)
    if stage.name == "batchnorm":
        return _batchnorm(stage, b, shape)
    if stage.name in ("adaptive_avgpool", "adaptive_maxpool", "global_avgpool"):
        return _adaptive(stage, b, shape)
    if stage.name in POOL_KIND:
        return _pool(stage, b, shape)
    if stage.name == "flatten":
        return LayerShape(stage.text, (prod(shape),), 0, 0)
    if stage.name == "softmax" and len(shape) != 1:
        raise StageError(stage, "pipeline.softmax_vector", shape=_text(shape))
    if stage.name == "leaky_relu" and "slope" in b:
        as_number(stage, "slope", b["slope"])
    return LayerShape(stage.text, shape, 0, 0)


def shape_summary(input_shape: tuple[int, ...] | str, text: str) -> ShapeSummary:
    """Each stage's output shape, parameters and MACs for an input of ``input_shape``.

    A stage that cannot fit its input is a ``StageError`` naming the stage and
    the sizes.
    """
    start: tuple[int, ...]
    if isinstance(input_shape, str):
        start = parse_input_shape(input_shape)
    elif isinstance(input_shape, (tuple, list)) and len(input_shape) in (2, 3, 4) and all(
        isinstance(d, int) and not isinstance(d, bool) and d >= 1 for d in input_shape
    ):
        start = tuple(input_shape) if len(input_shape) == 3 else (1, *input_shape)
    else:
        raise CnncalcError("shape.bad_input", value=input_shape)
    if len(start) == 4:  # a batch: each image's shapes with N in front; Mult-Adds for the whole batch
        n = start[0]
        one = shape_summary(start[1:], text)
        batch = ShapeSummary(input_shape=start)
        for layer in one.layers:
            batch.layers.append(LayerShape(layer.stage, (n, *layer.output_shape), layer.params, layer.macs * n))
        return batch
    summary = ShapeSummary(input_shape=start)
    shape: tuple[int, ...] = start
    for stage in parse_chain(text):
        layer = _layer(stage, shape)
        summary.layers.append(layer)
        shape = layer.output_shape
    return summary


def _no_fit(stage: Stage, shape: tuple[int, ...], exc: CnncalcError) -> None:
    raise StageError.wrap(stage, exc, input_shape=_text(shape))


def _text(shape: tuple[int, ...]) -> str:
    return "×".join(str(n) for n in shape)
