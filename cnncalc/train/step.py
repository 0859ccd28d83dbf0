"""One or more training steps of a pipeline: loss, gradients, optimizer updates.

The network is a parsed pipeline (``cnncalc.net.pipeline``). Its parameters are the
conv kernels, the conv biases given with ``bias=`` (one per filter), and the
linear weights and biases (one per output). The loss is the cross-entropy of
the final vector for the 0-based ``target`` class: −log softmax(z)[target], or
−log p[target] when the last stage is ``softmax``. Gradients are analytic
(``cnncalc.train.backward``); updates follow ``torch.optim`` (``cnncalc.train.optim``).

>>> import numpy as np
>>> from cnncalc.train.optim import SGD
>>> net = _linear_stages([("linear", np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0.0, 0.0]))])
>>> r = train_network(np.array([0.0, 0.0]), net, target=0, optimizer=SGD(lr=1.0))
>>> round(r.losses[0], 6), r.params[1].grad.tolist(), r.params[1].updated.tolist()
(0.693147, [-0.5, 0.5], [0.5, -0.5])
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cnncalc.engine import ops
from cnncalc.errors import CnncalcError, ParameterError
from cnncalc.net.pipeline import Stage, StageError, StageResult, apply_stage, conv_weight
from cnncalc.train import backward as B
from cnncalc.train import backward_stages as S

MAX_STEPS = 10_000

__all__ = [
    "ParamReport",
    "TrainResult",
    "find_parameters",
    "network_gradients",
    "train_network",
]


@dataclass
class ParamSlot:
    """Where a trainable array lives: ``stage_pos`` (0-based) and ``name``."""

    stage_pos: int
    name: str  # "weight" or "bias"


@dataclass
class ParamReport:
    """One parameter: value before step 1, gradient at step 1, value after the last step."""

    stage: int  # 1-based position in the pipeline
    stage_name: str
    name: str
    value: np.ndarray
    grad: np.ndarray
    updated: np.ndarray

    def to_json(self) -> dict[str, Any]:
        # + 0.0 turns a negative zero (e.g. -0.5 × 0) into 0.0
        return {
            "stage": self.stage,
            "name": self.name,
            "value": self.value + 0.0,
            "grad": self.grad + 0.0,
            "updated": self.updated + 0.0,
        }


@dataclass
class Trace:
    """What the backward pass saw at each stage: its input and dL/d(output)."""

    inputs: list[np.ndarray]
    upstream: list[np.ndarray]


@dataclass
class TrainResult:
    """The losses per step, every parameter's report, and the gradients per step."""

    losses: list[float]
    params: list[ParamReport]
    step_grads: list[list[np.ndarray]] = field(default_factory=list, repr=False)
    stages: list[Stage] = field(default_factory=list, repr=False)
    first_trace: Trace | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {"loss": self.losses, "params": [p.to_json() for p in self.params]}

    def _repr_markdown_(self) -> str:
        """Jupyter shows the result as the CLI's ``--format markdown`` does."""
        from cnncalc import _markdown_of

        return _markdown_of(self)


# --------------------------------------------------------------------------- parameters


def _channels(x: np.ndarray) -> int:
    return x.shape[-3] if x.ndim >= 3 else 1


def _weight(stage: Stage) -> np.ndarray:
    assert stage.weight is not None  # parse_pipeline loads every conv/linear weight
    return stage.weight


def _conv_filters(stage: Stage, x: np.ndarray) -> int:
    groups = stage.options.get("groups", 1)
    weight, _ = ops._as_weight(conv_weight(_weight(stage), _channels(x), groups), _channels(x), groups)
    return int(weight.shape[0])


def forward(x: np.ndarray, stages: list[Stage]) -> list[StageResult]:
    """``run_pipeline`` stage by stage, refusing a max pooling that outputs −inf
    (a window entirely in padding) at that stage, since it has no gradient."""
    results = []
    current = np.asarray(x, dtype=np.float64)
    batched = current.ndim == 4
    for stage in stages:
        xin = current
        # direct convolution: FFT leaves ~1e-15 where the exact sum is 0, and
        # ReLU's derivative (0 at exactly 0, as PyTorch) must see the exact zeros
        current = apply_stage(stage, xin, conv_method="direct", batched=batched)
        if stage.name == "maxpool" and np.isneginf(current).any():
            where = np.argwhere(np.isneginf(current.reshape(-1, *current.shape[-2:])))[0]
            raise StageError(
                stage, "train.pool_empty_window", row=int(where[1]) + 1, col=int(where[2]) + 1,
                padding=ops._pair_text(stage.options["padding"]),
                dilation=ops._pair_text(stage.options["dilation"]),
            )
        results.append(StageResult(stage=stage, shape=tuple(current.shape), output=current, batch=batched))
    return results


def find_parameters(x: np.ndarray, stages: list[Stage]) -> tuple[list[Stage], list[ParamSlot]]:
    """Copies of ``stages`` with biases widened to one value per filter/output,
    and the trainable slots in pipeline order (weight before bias).

    A bias written as one number is shared by every filter when the network
    runs, but trained as one value per filter, like ``nn.Conv2d``'s bias.
    """
    results = forward(x, stages)
    inputs = [np.asarray(x, dtype=np.float64)] + [r.output for r in results[:-1]]
    work: list[Stage] = []
    slots: list[ParamSlot] = []
    for pos, (stage, xin) in enumerate(zip(stages, inputs)):
        stage = dataclasses.replace(stage)
        if stage.name in ("conv", "linear"):
            slots.append(ParamSlot(pos, "weight"))
            if stage.bias is not None:
                n = _conv_filters(stage, xin) if stage.name == "conv" else _weight(stage).shape[0]
                bias = np.asarray(stage.bias, dtype=np.float64).reshape(-1)
                stage.bias = np.full(n, bias[0]) if bias.size == 1 else bias.copy()
                slots.append(ParamSlot(pos, "bias"))
            stage.weight = np.asarray(_weight(stage), dtype=np.float64).copy()
        elif stage.name in ("conv_transpose", "batchnorm"):
            n = S.parameter_count(stage, xin)
            if stage.name == "batchnorm":  # nn.BatchNorm2d's affine weight and bias: 1 and 0 unless given
                stage.weight = np.ones(n) if stage.weight is None else stage.weight
                stage.bias = np.zeros(n) if stage.bias is None else stage.bias
            slots.append(ParamSlot(pos, "weight"))
            stage.weight = np.asarray(_weight(stage), dtype=np.float64).copy()
            if stage.bias is not None:
                bias = np.asarray(stage.bias, dtype=np.float64).reshape(-1)
                stage.bias = np.full(n, bias[0]) if bias.size == 1 else bias.copy()
                slots.append(ParamSlot(pos, "bias"))
            if stage.name == "batchnorm" and stage.weight.size == 1 and n > 1:
                stage.weight = np.full(n, stage.weight[0])
        work.append(stage)
    return work, slots


def _get(stages: list[Stage], slot: ParamSlot) -> np.ndarray:
    return getattr(stages[slot.stage_pos], slot.name)


def _with_values(stages: list[Stage], slots: list[ParamSlot], values: list[np.ndarray]) -> list[Stage]:
    out = list(stages)
    for slot, value in zip(slots, values):
        stage = dataclasses.replace(out[slot.stage_pos])
        setattr(stage, slot.name, value)
        out[slot.stage_pos] = stage
    return out


# --------------------------------------------------------------------------- loss and gradients


def _loss_grad(results: list[StageResult], target: Any, kind: str = "ce") -> tuple[float, np.ndarray]:
    from cnncalc.net.pipeline import loss_and_prediction

    loss, _ = loss_and_prediction(results, target, kind)
    assert loss is not None
    last = results[-1]
    if kind != "ce" or last.batch:
        return S.loss_and_grad(last.output, kind, target, last.stage.name, last.batch)
    if last.stage.name == "softmax":
        return loss, B.nll_from_probabilities_backward(last.output, target)
    return loss, B.cross_entropy_backward(last.output, target)


def _stage_backward(
    stage: Stage, xin: np.ndarray, y: np.ndarray, g: np.ndarray
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """dL/d(input) of one stage and the gradients of its own parameters."""
    name, opts = stage.name, stage.options
    if name == "linear" and g.ndim == 2:  # a batch: one row per image
        return S.linear_batch_backward(stage, xin, g)
    if name in ("maxpool", "avgpool", "meanpool", "sumpool") and xin.ndim == 4:
        return np.stack([B.pool2d_backward(one, gi, **opts) for one, gi in zip(xin, g)]), {}
    if name in S.NEW_STAGES:
        return S.new_stage_backward(stage, xin, g)
    if name == "conv" and (S.needs_grouped(opts) or xin.ndim == 4):
        return S.conv_stage_backward(stage, xin, g)
    if name == "conv":
        w = conv_weight(_weight(stage), _channels(xin))
        bias = stage.bias if stage.bias is not None else 0.0
        plain = {k: v for k, v in opts.items() if k not in ("groups", "padding_value")}
        r = B.conv2d_backward(xin, w, g, bias=bias, **plain)
        grads = {"weight": r.weight.reshape(_weight(stage).shape)}
        if stage.bias is not None:
            grads["bias"] = np.asarray(r.bias).reshape(stage.bias.shape)
        return r.input, grads
    if name == "linear":
        r = B.linear_backward(xin, _weight(stage), g, stage.bias)
        grads = {"weight": r.weight}
        if stage.bias is not None:
            grads["bias"] = r.bias
        return r.input, grads
    if name in ("maxpool", "avgpool", "meanpool", "sumpool"):
        return B.pool2d_backward(xin, g, **opts), {}
    if name == "relu":
        return B.relu_backward(xin, g), {}
    if name == "leaky_relu":
        return B.leaky_relu_backward(xin, g, opts.get("slope", 0.01)), {}
    if name == "sigmoid":
        return B.sigmoid_backward(y, g), {}
    if name == "tanh":
        return B.tanh_backward(y, g), {}
    if name == "softmax":
        return B.softmax_backward(y, g), {}
    if name == "flatten":
        return B.flatten_backward(xin.shape, g), {}
    raise StageError(stage, "pipeline.unknown_stage", name=name, names=name)


def network_gradients(
    x: np.ndarray, stages: list[Stage], slots: list[ParamSlot], target: Any, loss: str = "ce"
) -> tuple[float, list[np.ndarray], Trace]:
    """Forward, loss and backward through every stage.

    Returns the loss, the gradient of each slot (in the slot's shape) and the
    trace of stage inputs and upstream gradients (for ``explain_weight``).
    """
    x = np.asarray(x, dtype=np.float64)
    results = forward(x, stages)
    total, g = _loss_grad(results, target, loss)
    inputs = [x] + [r.output for r in results[:-1]]
    upstream: list[np.ndarray] = [np.empty(0)] * len(stages)
    found: dict[tuple[int, str], np.ndarray] = {}
    for pos in range(len(stages) - 1, -1, -1):
        stage = stages[pos]
        upstream[pos] = g
        try:
            g, grads = _stage_backward(stage, inputs[pos], results[pos].output, g)
        except StageError:
            raise
        except CnncalcError as exc:
            raise StageError.wrap(stage, exc) from exc
        for name, value in grads.items():
            found[(pos, name)] = value
    return total, [found[(s.stage_pos, s.name)] for s in slots], Trace(inputs, upstream)


# --------------------------------------------------------------------------- training


def train_network(
    x: np.ndarray, stages: list[Stage], *, target: Any, optimizer: Any, steps: int = 1, loss: str = "ce"
) -> TrainResult:
    """Run ``steps`` training steps (forward, loss, backward, optimizer update).

    ``losses[k]`` is the loss before update k+1. Each report holds the value
    before the first step, the gradient at the first step and the value after
    the last step; ``step_grads[k]`` holds every gradient of step k+1.
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ParameterError("param.positive", parameter="steps", value=steps)
    if steps > MAX_STEPS:  # about a millisecond each: a typo of 10**9 would run for days
        raise ParameterError("limit.steps", value=steps, limit=MAX_STEPS)
    if not stages:
        raise ParameterError("pipeline.empty")
    work, slots = find_parameters(x, stages)
    initial = [_get(work, s).copy() for s in slots]
    values = [v.copy() for v in initial]
    losses: list[float] = []
    step_grads: list[list[np.ndarray]] = []
    first_trace: Trace | None = None
    current = work
    from cnncalc.engine import budget

    for step in range(1, steps + 1):
        before = budget.done()
        value, grads, trace = network_gradients(x, current, slots, target, loss)
        if step == 1:  # the first step measures the work of one: refuse the rest up front
            budget.check_training(budget.done() - before, steps)
        losses.append(value)
        step_grads.append(grads)
        if first_trace is None:
            first_trace = trace
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
            values = optimizer.step(values, grads) if slots else values
        if not all(np.all(np.isfinite(v)) for v in values):
            raise ParameterError("train.diverged", step=step, lr=optimizer.lr)
        current = _with_values(work, slots, values)
    reports = [
        ParamReport(
            stage=s.stage_pos + 1,
            stage_name=work[s.stage_pos].name,
            name=s.name,
            value=initial[i],
            grad=step_grads[0][i],
            updated=values[i],
        )
        for i, s in enumerate(slots)
    ]
    return TrainResult(losses, reports, step_grads, current, first_trace)


def _linear_stages(net: list[tuple[str, np.ndarray, np.ndarray | None]]) -> list[Stage]:
    """Stages built in code (for examples and tests): ``[("linear", W, b), ...]``."""
    out = []
    for i, (name, w, b) in enumerate(net, start=1):
        out.append(Stage(name=name, args=[], kwargs={}, text=name, position=0, index=i,
                         weight=np.asarray(w, dtype=np.float64),
                         bias=None if b is None else np.asarray(b, dtype=np.float64)))
    return out


# --------------------------------------------------------------------------- explain


def explain_target(stages: list[Stage], spec: tuple[int, int | None, int, int]) -> Stage:
    """The conv or linear stage an ``--explain`` spec names (checked before training)."""
    number = spec[0]
    if not 1 <= number <= len(stages):
        raise ParameterError("train.explain_no_stage", stage=number, count=len(stages))
    stage = stages[number - 1]
    if stage.name not in ("conv", "linear"):
        choices = ", ".join(str(s.index) for s in stages if s.name in ("conv", "linear"))
        raise ParameterError("train.explain_stage", stage=number, name=stage.name,
                             choices=choices or "-")
    return stage


def explain_gradient(result: TrainResult, spec: tuple[int, int | None, int, int]) -> Any:
    """The worked dL/dw of step 1 for the weight cell ``spec`` =
    (stage, block or None, row, col), all 1-based."""
    from cnncalc.train.explain import explain_weight

    stage = explain_target(result.stages, spec)
    trace = result.first_trace
    assert trace is not None
    pos = spec[0] - 1
    return explain_weight(
        stage, trace.inputs[pos], trace.upstream[pos], block=spec[1], row=spec[2], col=spec[3]
    )
