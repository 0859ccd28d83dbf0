"""Write ``tests/golden/engine.json``: PyTorch's answers for grouped and transposed
convolution, F.pad-style padding, batch normalization, adaptive pooling and the losses.

Run from the repository's root with the ``goldens`` extra (the tests never import torch)::

    python3 -m venv .torchenv && .torchenv/bin/pip install -e ".[goldens]"
    .torchenv/bin/python tests/make_engine_goldens.py

Deterministic (fixed seed, float64, CPU): rerunning with the same torch
rewrites identical bytes. The file is ``{"generator", "torch", "seed", "cases"}``
and each case is one of

* ``{"id", "op", "inputs", "kwargs", "grad_output", "expected"}`` — ``inputs``
  maps the numpy function's argument names to nested lists (float arrays) or
  ints / int lists (class targets); ``grad_output`` is the upstream gradient
  (an array of the output's shape, or a number for a loss); ``expected`` holds
  ``output`` and ``grad_input`` and, where they exist, ``grad_weight``,
  ``grad_bias``, ``running_mean``, ``running_var`` (null when the op has none);
* ``{"id", "op", "inputs", "kwargs", "error": true, "torch_error"}`` — PyTorch
  refuses the call with that message (``"Type: first line"``);
* the same with ``"torch_error": null`` and ``"torch_result"`` — PyTorch answers
  but cnncalc refuses on purpose (an empty result, a nan, a silent broadcast).

How a case maps to PyTorch: ``conv2d`` is ``F.conv2d(F.pad(x, (l, r, t, b),
mode, value), w, b, stride, 0, dilation, groups)`` (an int or (h, w) zero
padding goes to F.conv2d itself); ``batch_norm`` unsqueezes a (C, H, W) input
to a batch of one and reads the running statistics back after the call;
``global_avg_pool2d`` is ``F.adaptive_avg_pool2d(x, 1)``; the losses use
``reduction='mean'`` and targets as int64 tensors; the rest are the F
functions of the same name.
"""

from __future__ import annotations

import json
import random
import sys
import warnings
from pathlib import Path

import torch
import torch.nn.functional as F

SEED = 20260514
OUT = Path(__file__).resolve().parent / "golden" / "engine.json"

torch.set_default_dtype(torch.float64)
warnings.filterwarnings("ignore", category=UserWarning)

LOSSES = ("cross_entropy", "nll_loss", "mse_loss", "binary_cross_entropy",
          "binary_cross_entropy_with_logits", "multi_margin_loss")


# --------------------------------------------------------------------------- values


def values(rng: random.Random, shape, style: float | None = None, lo: float = -5, hi: float = 5):
    """Nested lists of short numbers: small integers (ties), ±1, or two decimals."""
    style = rng.random() if style is None else style
    if not shape:
        if style < 0.35:
            return float(rng.randint(-9, 9))
        if style < 0.5:
            return float(rng.choice((-1, 1)))
        return round(rng.uniform(lo, hi), 2)
    return [values(rng, shape[1:], style, lo, hi) for _ in range(shape[0])]


def _tensor(v, grad: bool = False) -> torch.Tensor:
    return torch.tensor(v, dtype=torch.float64, requires_grad=grad)


def _message(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"


def _list(t):
    return None if t is None else t.detach().tolist()


# --------------------------------------------------------------------------- torch side


def _conv_pads(padding) -> tuple[int, int, int, int] | None:
    if isinstance(padding, list) and len(padding) == 4:
        return tuple(padding)
    return None


def torch_conv2d(t: dict, kw: dict) -> torch.Tensor:
    mode = kw.get("padding_mode", "zeros")
    value = kw.get("padding_value", 0.0)
    padding = kw.get("padding", 0)
    pads = _conv_pads(padding)
    x = t["input"]
    if pads is None and mode == "zeros":
        conv_pad = tuple(padding) if isinstance(padding, list) else padding
    else:
        if pads is None:
            ph, pw = (padding, padding) if isinstance(padding, int) else padding
            pads = (pw, pw, ph, ph)
        if mode in ("zeros", "constant"):
            x = F.pad(x, pads, mode="constant", value=value)
        elif "padding_value" in kw:
            x = F.pad(x, pads, mode=mode, value=value)
        else:
            x = F.pad(x, pads, mode=mode)
        conv_pad = 0
    return F.conv2d(x, t["weight"], t.get("bias"), stride=_tuple(kw.get("stride", 1)), padding=conv_pad,
                    dilation=_tuple(kw.get("dilation", 1)), groups=kw.get("groups", 1))


def _tuple(v):
    return tuple(v) if isinstance(v, list) else v


def torch_conv_transpose2d(t: dict, kw: dict) -> torch.Tensor:
    return F.conv_transpose2d(t["input"], t["weight"], t.get("bias"), **{k: _tuple(v) for k, v in kw.items()})


def torch_pad(t: dict, kw: dict) -> torch.Tensor:
    mode = kw.get("mode", "constant")
    extra = {"value": kw["value"]} if "value" in kw else {}
    return F.pad(t["input"], tuple(kw["pads"]), mode=mode, **extra)


def torch_batch_norm(t: dict, kw: dict):
    x = t["input"]
    x4 = x.unsqueeze(0) if x.dim() == 3 else x
    rm = None if t.get("running_mean") is None else t["running_mean"].detach().clone()
    rv = None if t.get("running_var") is None else t["running_var"].detach().clone()
    out = F.batch_norm(x4, rm, rv, t.get("weight"), t.get("bias"), training=kw.get("training", False),
                       momentum=kw.get("momentum", 0.1), eps=kw.get("eps", 1e-5))
    return (out[0] if x.dim() == 3 else out), rm, rv


def torch_adaptive(fn):
    def run(t: dict, kw: dict) -> torch.Tensor:
        size = kw["output_size"]
        return fn(t["input"], tuple(size) if isinstance(size, list) else size)
    return run


def torch_loss(name: str):
    fn = getattr(F, name)

    def run(t: dict, kw: dict) -> torch.Tensor:
        target = t["target"]
        return fn(t["input"], target, **kw)
    return run


TORCH = {
    "conv2d": torch_conv2d,
    "conv_transpose2d": torch_conv_transpose2d,
    "pad": torch_pad,
    "batch_norm": torch_batch_norm,
    "adaptive_avg_pool2d": torch_adaptive(F.adaptive_avg_pool2d),
    "adaptive_max_pool2d": torch_adaptive(F.adaptive_max_pool2d),
    "global_avg_pool2d": lambda t, kw: F.adaptive_avg_pool2d(t["input"], 1),
    **{name: torch_loss(name) for name in LOSSES},
}
GRAD_NAMES = ("input", "weight", "bias")
INT_INPUTS = ("target",)


def _first_leaf(v):
    while isinstance(v, list) and v:
        v = v[0]
    return v


def case(rng: random.Random | None, cid: str, op: str, inputs: dict, kwargs: dict | None = None) -> dict:
    """Run ``op`` in torch; record output, gradients and running stats, or the refusal."""
    kwargs = kwargs or {}
    out = {"id": cid, "op": op, "inputs": inputs, "kwargs": kwargs}
    t = {}
    try:
        for k, v in inputs.items():
            if v is None:
                t[k] = None
            elif k in INT_INPUTS and _first_leaf(v).__class__ is int:
                t[k] = torch.tensor(v, dtype=torch.int64)
            else:
                t[k] = _tensor(v, grad=k in GRAD_NAMES and not (op in LOSSES and k != "input"))
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)  # mse's silent broadcast becomes a refusal here
            result = TORCH[op](t, kwargs)
        rm = rv = None
        if op == "batch_norm":
            result, rm, rv = result
        if result.numel() == 0 or not torch.isfinite(result).all() or rng is None:
            raise ArithmeticError(f"torch returns shape {tuple(result.shape)}, values {result.flatten()[:3].tolist()}")
        if result.dim() == 0:
            g = round(rng.uniform(-2, 2), 2) if rng else 1.0
            result.backward(torch.tensor(g))
        else:
            g = values(rng, list(result.shape), style=0.9)
            result.backward(_tensor(g))
    except ArithmeticError as exc:  # torch answered; cnncalc refuses on purpose
        out.update(error=True, torch_error=None, torch_result=str(exc))
        return out
    except UserWarning as exc:  # torch broadcasts with a warning; cnncalc refuses
        out.update(error=True, torch_error=None, torch_result=f"answers with a warning: {exc}"[:200])
        return out
    except (RuntimeError, ValueError, IndexError, TypeError) as exc:
        out.update(error=True, torch_error=_message(exc))
        return out
    out["grad_output"] = g
    expected = {"output": _list(result)}
    for k in GRAD_NAMES:
        if k in inputs and isinstance(t.get(k), torch.Tensor) and t[k].requires_grad:
            expected[f"grad_{k}"] = _list(t[k].grad)
        elif k in ("weight", "bias") and op in ("conv2d", "conv_transpose2d", "batch_norm"):
            expected[f"grad_{k}"] = None
    if op == "batch_norm":
        expected["running_mean"], expected["running_var"] = _list(rm), _list(rv)
    out["expected"] = expected
    return out


# --------------------------------------------------------------------------- random cases


def _maybe_pair(rng: random.Random, lo: int, hi: int):
    if rng.random() < 0.7:
        return rng.randint(lo, hi)
    return [rng.randint(lo, hi), rng.randint(lo, hi)]


def _pair(v) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else tuple(v)


def _batch_shape(rng: random.Random, c: int, h: int, w: int) -> list[int]:
    n = rng.choice((None, None, 1, 2, 3))
    return [c, h, w] if n is None else [n, c, h, w]


def random_conv_transpose(rng: random.Random, cid: str) -> dict:
    groups = rng.choice((1, 1, 1, 2, 3))
    cg, og = rng.randint(1, 2), rng.randint(1, 2)
    kh, kw = rng.randint(1, 3), rng.randint(1, 3)
    kwargs = {}
    s = _maybe_pair(rng, 1, 3)
    d = _maybe_pair(rng, 1, 2)
    for name, v, default in (("stride", s, 1), ("dilation", d, 1), ("groups", groups, 1)):
        if v != default or rng.random() < 0.2:
            kwargs[name] = v
    if rng.random() < 0.6:
        kwargs["padding"] = _maybe_pair(rng, 0, 2)
    room = [max(a, b) - 1 for a, b in zip(_pair(s), _pair(d))]
    if max(room) > 0 and rng.random() < 0.6:
        kwargs["output_padding"] = [rng.randint(0, room[0]), rng.randint(0, room[1])]
    inputs = {
        "input": values(rng, _batch_shape(rng, cg * groups, rng.randint(1, 4), rng.randint(1, 4))),
        "weight": values(rng, [cg * groups, og, kh, kw]),
    }
    if rng.random() < 0.6:
        inputs["bias"] = values(rng, [og * groups])
    return case(rng, cid, "conv_transpose2d", inputs, kwargs)


def random_conv2d(rng: random.Random, cid: str) -> dict:
    groups = rng.choice((1, 1, 2, 3, "depthwise"))
    c = rng.randint(1, 4) if groups == "depthwise" else groups * rng.randint(1, 2)
    groups = c if groups == "depthwise" else groups
    og = rng.randint(1, 3)  # filters per group: a channel multiplier when depthwise
    kh, kw = rng.randint(1, 3), rng.randint(1, 3)
    kwargs: dict = {}
    if groups != 1 or rng.random() < 0.2:
        kwargs["groups"] = groups
    for name in ("stride", "dilation"):
        v = _maybe_pair(rng, 1, 2)
        if v != 1:
            kwargs[name] = v
    form = rng.random()
    if form < 0.25:
        kwargs["padding"] = _maybe_pair(rng, 0, 2)
    elif form < 0.8:
        kwargs["padding"] = [rng.randint(0, 2) for _ in range(4)]
    elif form < 0.9:
        kwargs["padding"] = [rng.randint(-1, 2) for _ in range(4)]
    mode = rng.random()
    if mode < 0.5:
        kwargs["padding_mode"] = "constant"
        kwargs["padding_value"] = rng.choice((0.0, 1.0, -1.0, 2.5, -3.25, round(rng.uniform(-9, 9), 2)))
    elif mode < 0.6 and "padding" in kwargs and min(_flat(kwargs["padding"])) >= 0:
        kwargs["padding_mode"] = rng.choice(("reflect", "replicate", "circular"))
    inputs = {
        "input": values(rng, _batch_shape(rng, c, rng.randint(2, 5), rng.randint(2, 5))),
        "weight": values(rng, [og * groups, c // groups, kh, kw]),
    }
    if rng.random() < 0.6:
        inputs["bias"] = values(rng, [og * groups])
    return case(rng, cid, "conv2d", inputs, kwargs)


def _flat(v) -> list[int]:
    return [v] if isinstance(v, int) else list(v)


def random_pad(rng: random.Random, cid: str) -> dict:
    mode = rng.choice(("constant", "constant", "reflect", "replicate", "circular"))
    low = -1 if mode == "constant" else 0
    pads = [rng.randint(low, 2) for _ in range(4)]
    kwargs = {"pads": pads, "mode": mode}
    if mode == "constant":
        kwargs["value"] = round(rng.uniform(-5, 5), 2)
    shape = _batch_shape(rng, rng.randint(1, 2), rng.randint(2, 4), rng.randint(2, 4))
    return case(rng, cid, "pad", {"input": values(rng, shape)}, kwargs)


def random_batch_norm(rng: random.Random, cid: str) -> dict:
    c = rng.randint(1, 3)
    training = rng.random() < 0.6
    shape = _batch_shape(rng, c, rng.randint(1, 3), rng.randint(1, 3))
    kwargs = {"training": training}
    if rng.random() < 0.7:
        kwargs["momentum"] = rng.choice((0.1, 0.5, 0.0, 1.0, 0.3, 0.01))
    if rng.random() < 0.7:
        kwargs["eps"] = rng.choice((1e-5, 1e-3, 0.1, 0.5, 1.0))
    inputs = {"input": values(rng, shape, style=0.9)}
    if not training or rng.random() < 0.8:
        inputs["running_mean"] = values(rng, [c], style=0.9, lo=-2, hi=2)
        inputs["running_var"] = [round(rng.uniform(0.1, 3), 2) for _ in range(c)]
    if rng.random() < 0.7:
        inputs["weight"] = values(rng, [c], style=0.9, lo=-2, hi=2)
    if rng.random() < 0.7:
        inputs["bias"] = values(rng, [c], style=0.9, lo=-2, hi=2)
    return case(rng, cid, "batch_norm", inputs, kwargs)


def random_adaptive(rng: random.Random, cid: str) -> dict:
    op = rng.choice(("adaptive_avg_pool2d", "adaptive_max_pool2d"))
    h, w = rng.randint(1, 7), rng.randint(1, 7)
    shape = _batch_shape(rng, rng.randint(1, 2), h, w)
    size = [rng.randint(1, 8), rng.randint(1, 8)]
    if rng.random() < 0.1:
        size[rng.randint(0, 1)] = None
    output_size = size[0] if size[0] == size[1] and rng.random() < 0.5 else size
    style = rng.random() * 0.5 if op == "adaptive_max_pool2d" else None  # integers: ties
    return case(rng, cid, op, {"input": values(rng, shape, style=style)}, {"output_size": output_size})


def random_loss(rng: random.Random, cid: str, op: str) -> dict:
    single = rng.random() < 0.35
    n, c = rng.randint(1, 4), rng.randint(2, 5)
    shape = [c] if single else [n, c]
    kwargs: dict = {}
    if op in ("cross_entropy", "nll_loss", "multi_margin_loss"):
        x = values(rng, shape, style=0.9)
        if op == "nll_loss":  # log-probabilities, as the input of nll_loss should be
            x = F.log_softmax(_tensor(x), dim=-1).tolist()
        target = rng.randrange(c) if single else [rng.randrange(c) for _ in range(n)]
        if op == "multi_margin_loss":
            if rng.random() < 0.4:
                kwargs["p"] = 2
            if rng.random() < 0.4:
                kwargs["margin"] = rng.choice((0.5, 2.0, 0.0, 1.5))
        return case(rng, cid, op, {"input": x, "target": target}, kwargs)
    if not single and rng.random() < 0.3:
        shape = [n, c, rng.randint(1, 3)]
    if op == "binary_cross_entropy":
        x = values(rng, shape, style=0.9, lo=0.01, hi=0.99)
        t = values(rng, shape, style=rng.choice((0.4, 0.9)), lo=0, hi=1)
        t = _map(t, lambda v: (v + 1) / 2 if v in (-1.0, 1.0) else v)  # ±1 → 0/1
    else:
        x = values(rng, shape)
        t = values(rng, shape, lo=0 if op.startswith("binary") else -5, hi=1 if op.startswith("binary") else 5)
    return case(rng, cid, op, {"input": x, "target": t}, kwargs)


def _map(v, fn):
    return [_map(a, fn) for a in v] if isinstance(v, list) else fn(v)


# --------------------------------------------------------------------------- hand-picked cases


def edge_cases(rng: random.Random) -> list[dict]:
    """Each parameter at its limits, the layouts, the worked examples of the docs."""
    out = []

    def add(op, name, inputs, **kwargs):
        out.append(case(rng, f"{op}-edge-{name}", op, inputs, kwargs))

    x22 = [[[1.0, 2.0], [3.0, 4.0]]]
    k22 = [[[[1.0, 10.0], [100.0, 1000.0]]]]
    add("conv_transpose2d", "2x2-stride2", {"input": x22, "weight": k22}, stride=2)
    add("conv_transpose2d", "2x2-stride1", {"input": x22, "weight": k22})
    add("conv_transpose2d", "stride2-pad1-outpad1", {"input": x22, "weight": k22}, stride=2, padding=1, output_padding=1)
    add("conv_transpose2d", "outpad-below-dilation", {"input": x22, "weight": k22}, stride=1, dilation=3, output_padding=2)
    add("conv_transpose2d", "outpad-pair", {"input": x22, "weight": k22}, stride=[3, 2], output_padding=[2, 1])
    add("conv_transpose2d", "pad-to-one-cell", {"input": x22, "weight": k22}, padding=1)
    add("conv_transpose2d", "groups2-bias-batch", {"input": values(rng, [2, 4, 2, 3]), "weight": values(rng, [4, 2, 2, 2]),
                                                   "bias": [0.5, -1.0, 2.0, 0.25]}, groups=2, stride=2)
    add("conv_transpose2d", "depthwise", {"input": values(rng, [3, 3, 3]), "weight": values(rng, [3, 1, 3, 3])},
        groups=3, stride=2, padding=1, output_padding=1)
    add("conv_transpose2d", "1x1-input", {"input": [[[2.0]]], "weight": values(rng, [1, 2, 3, 3])})

    x = values(rng, [3, 4, 4])
    add("conv2d", "depthwise", {"input": x, "weight": values(rng, [3, 1, 2, 2])}, groups=3)
    add("conv2d", "depthwise-multiplier2", {"input": x, "weight": values(rng, [6, 1, 3, 3]), "bias": values(rng, [6])},
        groups=3, padding=1)
    add("conv2d", "constant-minus2", {"input": x, "weight": values(rng, [2, 3, 3, 3])}, padding=1,
        padding_mode="constant", padding_value=-2.0)
    add("conv2d", "asym-left-top", {"input": x, "weight": values(rng, [1, 3, 2, 2])}, padding=[1, 0, 2, 0])
    add("conv2d", "asym-constant", {"input": x, "weight": values(rng, [1, 3, 2, 2])}, padding=[0, 2, 1, 0],
        padding_mode="constant", padding_value=0.5)
    add("conv2d", "crop-left", {"input": x, "weight": values(rng, [1, 3, 2, 2])}, padding=[-1, 1, 0, 0])
    add("conv2d", "reflect-asym", {"input": x, "weight": values(rng, [1, 3, 2, 2])}, padding=[2, 0, 0, 3],
        padding_mode="reflect")
    add("conv2d", "batch-groups2", {"input": values(rng, [2, 4, 3, 3]), "weight": values(rng, [2, 2, 2, 2]),
                                    "bias": [1.0, -1.0]}, groups=2, stride=[1, 2])

    add("pad", "constant-negative-value", {"input": x22}, pads=[1, 2, 0, 1], mode="constant", value=-7.5)
    add("pad", "crop-both", {"input": [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]}, pads=[-1, -1, 1, 0], mode="constant", value=0.0)
    add("pad", "circular-full", {"input": x22}, pads=[2, 2, 2, 2], mode="circular")

    xb = values(rng, [3, 2, 2], style=0.9)
    add("batch_norm", "chw-train", {"input": xb, "running_mean": [0.0, 0.0, 0.0], "running_var": [1.0, 1.0, 1.0]},
        training=True)
    add("batch_norm", "n1-train-affine", {"input": [xb], "running_mean": [0.5, -0.5, 0.0], "running_var": [2.0, 1.0, 0.5],
                                          "weight": [1.5, -1.0, 0.5], "bias": [0.0, 1.0, -2.0]}, training=True, momentum=1.0)
    add("batch_norm", "eval-eps0", {"input": xb, "running_mean": [1.0, 0.0, -1.0], "running_var": [4.0, 1.0, 0.25]},
        training=False, eps=0.0)
    add("batch_norm", "train-no-running", {"input": values(rng, [2, 2, 1, 1], style=0.9)}, training=True)
    add("batch_norm", "train-two-values", {"input": [[[1.0, 3.0]]], "running_mean": [0.0], "running_var": [1.0]},
        training=True, momentum=0.5, eps=1e-8)

    xa = values(rng, [2, 5, 7], style=0.2)
    for op in ("adaptive_avg_pool2d", "adaptive_max_pool2d"):
        for name, size in (("equal", [5, 7]), ("smaller-divisible", [5, 1]), ("non-divisible", [3, 4]),
                           ("larger", [8, 9]), ("one", 1), ("none-keeps-axis", [None, 3]), ("mixed", [2, 10])):
            add(op, name, {"input": xa}, output_size=size)
    add("adaptive_max_pool2d", "ties", {"input": [[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]]}, output_size=[1, 2])
    add("adaptive_max_pool2d", "batch", {"input": values(rng, [2, 2, 4, 4], style=0.2)}, output_size=3)
    add("global_avg_pool2d", "chw", {"input": xa})
    add("global_avg_pool2d", "batch", {"input": values(rng, [3, 2, 2, 3])})

    add("cross_entropy", "single", {"input": [0.0, 0.0], "target": 1})
    add("cross_entropy", "large-logits", {"input": [[1000.0, 0.0, -1000.0], [5.0, 5.0, 5.0]], "target": [2, 1]})
    add("nll_loss", "single", {"input": [-0.5, -1.5, -2.5], "target": 0})
    add("mse_loss", "single", {"input": [1.0, 3.0], "target": [0.0, 1.0]})
    add("binary_cross_entropy", "clamp-at-100", {"input": [0.0, 1.0, 0.0, 1.0], "target": [1.0, 0.0, 0.0, 1.0]})
    add("binary_cross_entropy", "soft-targets", {"input": [[0.25, 0.5], [0.75, 0.999]], "target": [[0.5, 0.5], [0.1, 1.0]]})
    add("binary_cross_entropy_with_logits", "large", {"input": [50.0, -50.0, 0.0, 800.0], "target": [0.0, 1.0, 0.5, 1.0]})
    add("multi_margin_loss", "torch-doc", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [3]})
    add("multi_margin_loss", "gap-exactly-zero", {"input": [1.0, 0.0, 0.5], "target": 0})
    add("multi_margin_loss", "p2-margin2", {"input": [[1.0, 0.0, 0.5], [0.0, 0.0, 0.0]], "target": [0, 2]}, p=2, margin=2.0)
    return out


def refusals() -> list[dict]:
    """Calls PyTorch refuses (with its message), and a few cnncalc refuses although torch answers."""
    out = []

    def add(op, name, inputs, **kwargs):
        c = case(None, f"{op}-refuse-{name}", op, inputs, kwargs)
        assert c.get("error"), c["id"]
        out.append(c)

    x = [[[1.0, 2.0, 3.0]] * 3] * 2  # (2, 3, 3)
    w = [[[[1.0, 2.0], [3.0, 4.0]]] * 2] * 2  # (2, 2, 2, 2)
    ct = "conv_transpose2d"
    add(ct, "outpad-equals-stride", {"input": x, "weight": w}, stride=2, output_padding=2)
    add(ct, "outpad-stride1", {"input": x, "weight": w}, output_padding=1)
    add(ct, "outpad-one-axis", {"input": x, "weight": w}, stride=[2, 1], dilation=[1, 1], output_padding=[1, 1])
    add(ct, "outpad-negative", {"input": x, "weight": w}, stride=2, output_padding=-1)
    add(ct, "groups-not-dividing", {"input": x, "weight": [[[[1.0]]]] * 2}, groups=3)
    add(ct, "groups-zero", {"input": x, "weight": w}, groups=0)
    add(ct, "stride-zero", {"input": x, "weight": w}, stride=0)
    add(ct, "dilation-zero", {"input": x, "weight": w}, dilation=0)
    add(ct, "padding-negative", {"input": x, "weight": w}, padding=-1)
    add(ct, "padding-empties-output", {"input": x, "weight": w}, padding=2)
    add(ct, "padding-negative-output", {"input": x, "weight": w}, padding=[0, 3])
    add(ct, "weight-channels", {"input": x, "weight": w + w[:1]})
    add(ct, "bias-length", {"input": x, "weight": w, "bias": [1.0, 2.0, 3.0]})
    add(ct, "weight-3d", {"input": x, "weight": w[0]})
    add(ct, "input-5d", {"input": [[x]], "weight": w})

    x4 = [[[1.0, 2.0, 3.0]] * 3] * 4  # (4, 3, 3)
    k = [[[1.0, 0.0], [0.0, 1.0]]]
    add("conv2d", "groups-not-dividing-input", {"input": x4, "weight": [k] * 6}, groups=3)
    add("conv2d", "out-not-divisible", {"input": x4, "weight": [k * 2] * 3}, groups=2)
    add("conv2d", "weight-in-per-group", {"input": x4, "weight": [k] * 4}, groups=2)
    add("conv2d", "groups-zero", {"input": x4, "weight": [k * 4]}, groups=0)
    add("conv2d", "stride-zero", {"input": x4, "weight": [k * 4]}, stride=0)
    add("conv2d", "dilation-zero", {"input": x4, "weight": [k * 4]}, dilation=0)
    add("conv2d", "padding-negative", {"input": x4, "weight": [k * 4]}, padding=-1)
    add("conv2d", "kernel-too-large", {"input": x4, "weight": [[[[1.0] * 4] * 4] * 4]})
    add("conv2d", "dilated-too-large", {"input": x4, "weight": [k * 4]}, dilation=3)
    add("conv2d", "crop-past-input", {"input": x4, "weight": [k * 4]}, padding=[-4, 0, 0, 0])
    add("conv2d", "crop-leaves-too-little", {"input": x4, "weight": [k * 4]}, padding=[-2, 0, 0, 0])
    add("conv2d", "reflect-too-large", {"input": x4, "weight": [k * 4]}, padding=[3, 0, 0, 0], padding_mode="reflect")
    add("conv2d", "circular-too-large", {"input": x4, "weight": [k * 4]}, padding=[0, 0, 4, 0], padding_mode="circular")
    add("conv2d", "value-with-reflect", {"input": x4, "weight": [k * 4]}, padding=1, padding_mode="reflect",
        padding_value=2.0)
    add("conv2d", "bias-length", {"input": x4, "weight": [k * 4], "bias": [1.0, 2.0]})
    add("conv2d", "input-5d", {"input": [[x4]], "weight": [k * 4]})

    add("pad", "crop-past-input", {"input": x}, pads=[-4, 0, 0, 0], mode="constant", value=1.0)
    add("pad", "crop-everything", {"input": x}, pads=[-2, -1, 0, 0], mode="constant", value=1.0)
    add("pad", "reflect-too-large", {"input": x}, pads=[0, 0, 3, 0], mode="reflect")
    add("pad", "circular-too-large", {"input": x}, pads=[4, 0, 0, 0], mode="circular")
    add("pad", "value-with-replicate", {"input": x}, pads=[1, 1, 1, 1], mode="replicate", value=3.0)
    add("pad", "three-values", {"input": x}, pads=[1, 0, 1], mode="constant", value=0.0)

    xb = [[[[1.0]], [[2.0]]]]  # (1, 2, 1, 1)
    bn = "batch_norm"
    add(bn, "train-one-value", {"input": xb, "running_mean": [0.0, 0.0], "running_var": [1.0, 1.0]}, training=True)
    add(bn, "train-one-value-chw", {"input": xb[0]}, training=True)
    add(bn, "eval-without-running", {"input": x}, training=False)
    add(bn, "running-mean-only", {"input": x, "running_mean": [0.0, 0.0]}, training=True)
    add(bn, "running-length", {"input": x, "running_mean": [0.0, 0.0, 0.0], "running_var": [1.0, 1.0, 1.0]})
    add(bn, "weight-length", {"input": x, "running_mean": [0.0, 0.0], "running_var": [1.0, 1.0], "weight": [1.0]})
    add(bn, "eps-negative", {"input": x, "running_mean": [0.0, 0.0], "running_var": [1.0, 1.0]}, eps=-1.0)
    add(bn, "eval-negative-var", {"input": x, "running_mean": [0.0, 0.0], "running_var": [1.0, -2.0]})
    add(bn, "eval-zero-var-eps0", {"input": x, "running_mean": [0.0, 0.0], "running_var": [0.0, 1.0]}, eps=0.0)
    add(bn, "train-eps0", {"input": [[[1.0, 3.0]]]}, training=True, eps=0.0)

    for op in ("adaptive_avg_pool2d", "adaptive_max_pool2d"):
        add(op, "output-negative", {"input": x}, output_size=-1)
        add(op, "output-negative-w", {"input": x}, output_size=[2, -1])
        add(op, "output-zero", {"input": x}, output_size=0)
        add(op, "output-zero-h", {"input": x}, output_size=[0, 2])
        add(op, "input-2d", {"input": x[0]}, output_size=2)
        add(op, "input-5d", {"input": [[x]]}, output_size=2)
    add("global_avg_pool2d", "input-2d", {"input": x[0]})

    add("cross_entropy", "target-too-large", {"input": [0.0, 1.0, 2.0], "target": 5})
    add("cross_entropy", "target-negative", {"input": [0.0, 1.0, 2.0], "target": -1})
    add("cross_entropy", "target-ignore-index", {"input": [0.0, 1.0, 2.0], "target": -100})
    add("cross_entropy", "batch-target-too-large", {"input": [[0.0, 1.0, 2.0]] * 2, "target": [0, 3]})
    add("cross_entropy", "float-targets", {"input": [[0.0, 1.0, 2.0]] * 2, "target": [0.0, 1.0]})
    add("cross_entropy", "batch-size-mismatch", {"input": [[0.0, 1.0, 2.0]] * 2, "target": [0, 1, 2]})
    add("nll_loss", "target-too-large", {"input": [[-1.0, -2.0, -3.0]] * 2, "target": [0, 3]})
    add("nll_loss", "target-ignore-index", {"input": [[-1.0, -2.0, -3.0]], "target": [-100]})
    add("mse_loss", "broadcast", {"input": [0.5, 0.5], "target": [1.0]})
    add("binary_cross_entropy", "input-above-1", {"input": [1.5], "target": [1.0]})
    add("binary_cross_entropy", "input-below-0", {"input": [-0.25], "target": [1.0]})
    add("binary_cross_entropy", "target-above-1", {"input": [0.5], "target": [1.5]})
    add("binary_cross_entropy", "shape-mismatch", {"input": [0.5, 0.5], "target": [1.0]})
    add("binary_cross_entropy_with_logits", "shape-mismatch", {"input": [0.5, 0.5], "target": [1.0]})
    add("multi_margin_loss", "p3", {"input": [[0.0, 1.0, 2.0]] * 2, "target": [0, 1]}, p=3)
    add("multi_margin_loss", "target-too-large", {"input": [[0.0, 1.0, 2.0]] * 2, "target": [0, 3]})
    return out


# --------------------------------------------------------------------------- shapes of whole models


def shape_models() -> list[dict]:
    """Chains for ``cnncalc shape`` beside the torch modules they write out: each
    layer's output shape and parameter count, and its Mult-Adds by torchinfo 1.8's
    rule (a Conv or ConvTranspose: parameters × output cells; any other layer:
    parameters × batch), computed here from the modules' real parameters and outputs."""
    from torch import nn

    models = [
        ("depthwise-separable", [32, 56, 56],
         "conv(32, 3, padding=1, groups=32, bias=false) | batchnorm | relu | conv(64, 1, bias=false) | batchnorm | relu",
         [nn.Conv2d(32, 32, 3, padding=1, groups=32, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
          nn.Conv2d(32, 64, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU()]),
        ("encoder-decoder", [1, 28, 28],
         ("conv(16, 3, stride=2, padding=1) | relu | conv(32, 3, stride=2, padding=1) | relu | "
          "conv_transpose(16, 3, stride=2, padding=1, output_padding=1) | relu | "
          "conv_transpose(1, 3, stride=2, padding=1, output_padding=1) | sigmoid"),
         [nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
          nn.ConvTranspose2d(32, 16, 3, 2, 1, output_padding=1), nn.ReLU(),
          nn.ConvTranspose2d(16, 1, 3, 2, 1, output_padding=1), nn.Sigmoid()]),
        ("grouped-gap-classifier", [4, 9, 9],
         ("conv(8, 3, groups=2) | batchnorm | relu | conv_transpose(8, 2, stride=2, groups=4, bias=false) | "
          "adaptive_maxpool(5, 3) | adaptive_avgpool(2) | global_avgpool | flatten | linear(10)"),
         [nn.Conv2d(4, 8, 3, groups=2), nn.BatchNorm2d(8), nn.ReLU(),
          nn.ConvTranspose2d(8, 8, 2, stride=2, groups=4, bias=False), nn.AdaptiveMaxPool2d((5, 3)),
          nn.AdaptiveAvgPool2d(2), nn.AdaptiveAvgPool2d(1), nn.Flatten(0), nn.Linear(8, 10)]),
    ]
    out = []
    for name, shape, chain, layers in models:
        x = torch.zeros([1, *shape])
        rows = []
        for layer in layers:
            x = layer(x) if not isinstance(layer, nn.Flatten) else x.flatten(1)
            params = sum(p.numel() for p in layer.parameters())
            cells = x.shape[0] * (int(torch.tensor(x.shape[2:]).prod()) if x.dim() > 2 else 1)
            macs = params * cells if "Conv" in type(layer).__name__ else params * x.shape[0]
            rows.append({"output_shape": list(x.shape[1:]), "params": params, "macs": macs})
        out.append({"id": name, "input": shape, "chain": chain, "layers": rows,
                    "total_params": sum(p.numel() for m in layers for p in m.parameters())})
    return out


# --------------------------------------------------------------------------- training steps


def train_cases() -> list[dict]:
    """One SGD step of small chains through the new stages, by torch.autograd.

    Each case: the input, the chain with ``{name}`` for its files, the files'
    contents (nested lists, written as .json by the test), the loss and target,
    the learning rate, and torch's loss, gradients and updated values of every
    parameter as ``[stage (1-based), name, grad, updated]`` in chain order.
    """
    rng = random.Random(SEED + 1)
    lr = 0.1

    def v(shape, lo=-1.0, hi=1.0):
        return values(rng, shape, style=0.9, lo=lo, hi=hi)

    def bn(x, p, train, eps=1e-5):
        one = x.dim() == 3  # cnncalc reads (C, H, W) as a batch of one
        out = F.batch_norm(x.unsqueeze(0) if one else x, p.get("mean"), p.get("var"), p["weight"], p["bias"],
                           training=train, eps=eps)
        return out[0] if one else out

    cases = []

    def add(cid, x, chain, files, params, forward, loss, target, torch_loss=None):
        """``params``: [(stage, name, key in files or a list of values)] in chain order."""
        leaves = {}
        for stage, name, src in params:
            raw = files[src] if isinstance(src, str) else src
            leaves[(stage, name)] = _tensor(raw, grad=True)
        xt = _tensor(x)
        out = forward(xt, {k: leaves[k] for k in leaves})
        if loss in ("ce", "nll", "hinge"):
            fn = {"ce": F.cross_entropy, "nll": F.nll_loss, "hinge": F.multi_margin_loss}[torch_loss or loss]
            if isinstance(target, list):  # a batch: one class per image, the mean loss
                value = fn(out, torch.tensor(target))
            else:
                value = fn(out.unsqueeze(0), torch.tensor([target]))
        else:
            fn = {"mse": F.mse_loss, "bce": F.binary_cross_entropy,
                  "bce_logits": F.binary_cross_entropy_with_logits}[loss]
            value = fn(out, _tensor(target).reshape(out.shape))
        value.backward()
        rows = []
        for (stage, name), leaf in leaves.items():
            rows.append([stage, name, leaf.grad.tolist(), (leaf - lr * leaf.grad).detach().tolist()])
        cases.append({"id": cid, "input": x, "chain": chain, "files": files, "loss": loss,
                      "target": target, "lr": lr, "expected_loss": value.item(), "params": rows})

    # 1. grouped conv with constant, asymmetric padding | batch norm (train) | relu | GAP | linear; ce
    files = {"k": v([4, 1, 3, 3]), "kb": [v([4])], "w": v([3, 4]), "b": [v([3])]}
    bnw, bnb = v([4], 0.5, 1.5), v([4])
    chain = ("conv({k}, groups=2, padding=(1,0,0,1), padding_mode=constant, padding_value=0.5, bias={kb}) | "
             f"batchnorm(mean=0, var=1, weight={tuple(bnw)}, bias={tuple(bnb)}, train=true) | relu | "
             "global_avgpool | flatten | linear({w}, {b})")

    def f1(x, p):
        y = F.conv2d(F.pad(x, (1, 0, 0, 1), value=0.5), p[(1, "weight")], p[(1, "bias")], groups=2)
        y = F.relu(bn(y, {"mean": torch.zeros(4), "var": torch.ones(4), "weight": p[(2, "weight")],
                          "bias": p[(2, "bias")]}, True))
        return F.linear(F.adaptive_avg_pool2d(y, 1).flatten(), p[(6, "weight")], p[(6, "bias")])

    add("grouped-bn-gap-ce", v([2, 5, 5], -3, 3), chain, files,
        [(1, "weight", "k"), (1, "bias", files["kb"][0]), (2, "weight", bnw), (2, "bias", bnb),
         (6, "weight", "w"), (6, "bias", files["b"][0])], f1, "ce", 1)

    # 2. transposed conv with stride, padding, output_padding, bias | sigmoid; mse against a file
    files = {"k": v([1, 2, 2, 2]), "kb": [v([2])]}
    chain = "conv_transpose({k}, stride=2, padding=1, output_padding=1, bias={kb}) | sigmoid"

    def f2(x, p):
        return torch.sigmoid(F.conv_transpose2d(x, p[(1, "weight")], p[(1, "bias")], stride=2, padding=1,
                                                output_padding=1))

    add("transpose-sigmoid-mse", v([1, 3, 3], -2, 2), chain, files,
        [(1, "weight", "k"), (1, "bias", files["kb"][0])], f2, "mse", v([2, 5, 5], 0, 1))

    # 3. conv | adaptive max | adaptive avg | flatten; bce_logits
    files = {"k": v([2, 1, 2, 2])}
    chain = "conv({k}) | adaptive_maxpool(2, 3) | adaptive_avgpool(1, 2) | flatten"

    def f3(x, p):
        y = F.adaptive_avg_pool2d(F.adaptive_max_pool2d(F.conv2d(x, p[(1, "weight")]), (2, 3)), (1, 2))
        return y.flatten()

    add("adaptive-bce-logits", v([1, 4, 5], -3, 3), chain, files, [(1, "weight", "k")], f3, "bce_logits",
        [0.0, 1.0, 0.25, 0.75])

    # 4. batch norm (eval) | grouped transposed conv | GAP | flatten; hinge
    files = {"k": v([2, 1, 2, 2])}
    bnw, bnb = v([2], 0.5, 1.5), v([2])
    chain = (f"batchnorm(mean=(0.5, -0.25), var=(2.0, 0.5), weight={tuple(bnw)}, bias={tuple(bnb)}, eps=0.1) | "
             "conv_transpose({k}, groups=2, dilation=2) | global_avgpool | flatten")

    def f4(x, p):
        y = bn(x, {"mean": _tensor([0.5, -0.25]), "var": _tensor([2.0, 0.5]), "weight": p[(1, "weight")],
                   "bias": p[(1, "bias")]}, False, eps=0.1)
        y = F.conv_transpose2d(y, p[(2, "weight")], groups=2, dilation=2)
        return F.adaptive_avg_pool2d(y, 1).flatten()

    add("bn-eval-transpose-hinge", v([2, 3, 3], -2, 2), chain, files,
        [(1, "weight", bnw), (1, "bias", bnb), (2, "weight", "k")], f4, "hinge", 0)

    # 5. flatten | linear; nll (on raw scores, as F.nll_loss takes them) and bce after sigmoid
    files = {"w": v([3, 4]), "b": [v([3])]}

    def f5(x, p):
        return F.linear(x.flatten(), p[(2, "weight")], p[(2, "bias")])

    add("linear-nll", v([1, 2, 2]), "flatten | linear({w}, {b})", files,
        [(2, "weight", "w"), (2, "bias", files["b"][0])], f5, "nll", 2)
    add("linear-sigmoid-bce", v([1, 2, 2]), "flatten | linear({w}, {b}) | sigmoid", files,
        [(2, "weight", "w"), (2, "bias", files["b"][0])], lambda x, p: torch.sigmoid(f5(x, p)), "bce",
        [1.0, 0.0, 0.5])
    # 6. a batch of three images: conv | batch norm over the batch | relu | maxpool | flatten | linear; ce
    files = {"k": v([2, 1, 3, 3]), "kb": [v([2])], "w": v([3, 8]), "b": [v([3])]}
    chain = "conv({k}, padding=1, bias={kb}) | batchnorm(train=true) | relu | maxpool(2) | flatten | linear({w}, {b})"

    def f6(x, p):
        y = F.conv2d(x, p[(1, "weight")], p[(1, "bias")], padding=1)
        y = F.relu(bn(y, {"weight": p[(2, "weight")], "bias": p[(2, "bias")]}, True))
        return F.linear(F.max_pool2d(y, 2).flatten(1), p[(6, "weight")], p[(6, "bias")])

    add("batch-conv-bn-ce", v([3, 1, 4, 4], -3, 3), chain, files,
        [(1, "weight", "k"), (1, "bias", files["kb"][0]), (2, "weight", [1.0, 1.0]), (2, "bias", [0.0, 0.0]),
         (6, "weight", "w"), (6, "bias", files["b"][0])], f6, "ce", [0, 2, 1])
    # 7. a batch through a softmax end: cnncalc's ce is −mean log p, torch's nll of log softmax
    add("batch-softmax-ce", v([2, 1, 2, 2]), "flatten | linear({w}, {b}) | softmax",
        {"w": v([3, 4]), "b": [v([3])]}, [(2, "weight", "w"), (2, "bias", "b")],
        lambda x, p: torch.log(torch.softmax(F.linear(x.flatten(1), p[(2, "weight")], p[(2, "bias")][0]), 1)),
        "ce", [2, 0], torch_loss="nll")
    return cases


# --------------------------------------------------------------------------- main


def build(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    torch.manual_seed(seed)
    cases = edge_cases(rng)
    plan = [("conv_transpose2d", random_conv_transpose, 160), ("conv2d", random_conv2d, 160),
            ("pad", random_pad, 40), ("batch_norm", random_batch_norm, 90), ("adaptive", random_adaptive, 140)]
    for name, make, count in plan:
        kept = refused = i = 0
        while kept < count:
            c = make(rng, f"{name}-rand-{i:03d}")
            i += 1
            if c.get("error"):
                if refused >= count // 10:
                    continue
                refused += 1
            else:
                kept += 1
            cases.append(c)
    for op in LOSSES:
        cases += [random_loss(rng, f"{op}-rand-{i:03d}", op) for i in range(30)]
    return cases + refusals()


def main() -> int:
    cases = build()
    doc = {"generator": "tests/make_engine_goldens.py", "torch": torch.__version__.split("+")[0], "seed": SEED, "cases": cases,
           "shapes": shape_models(), "train": train_cases()}
    text = json.dumps(doc, separators=(",", ":"), allow_nan=False)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(text + "\n", encoding="utf-8")
    refused = sum(1 for c in cases if c.get("error"))
    print(f"{OUT.name}: {len(cases)} cases ({refused} refused), {len(text) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
