"""Write ``tests/golden/train.json``: training steps computed by torch.autograd + torch.optim.

Run from the repository root with the torch environment (the test suite never
imports torch; ``tests/test_train_golden.py`` only reads the JSON)::

    python3 -m venv .torchenv && .torchenv/bin/pip install -e ".[goldens]"
    .torchenv/bin/python tests/make_train_goldens.py

Each case is a random pipeline over every stage kind and conv/pool option, an
input, a target class, an optimizer and a number of steps::

    {"id", "input", "pipeline": "conv({w1}, stride=(2,1), bias={b1}) | relu | ...",
     "files": {"w1": {"suffix": ".txt", "data": nested lists}, ...},
     "target", "optimizer": {"name": "sgd"|"adam", "lr", ...}, "steps",
     "loss": [per step], "grads": [[per parameter] per step],
     "params": [{"stage", "name", "value", "grad", "updated"}]}

``{w1}`` placeholders are file names; the test writes ``data`` to a temporary
file with that suffix and substitutes its path. Parameters are listed in
pipeline order, weight before bias, in the shape of their file; a conv bias is
one value per filter (a bias written as one number is widened), as cnncalc
trains it. How a pipeline maps to PyTorch: a conv is ``F.pad`` with the
padding mode then ``F.conv2d`` (weight flipped for ``flip=true``, divided by
C·kh·kw for ``norm=mean``, then the bias added); pools are ``F.max_pool2d`` and
``F.avg_pool2d`` (``divisor_override=1`` for sum); the loss is
``F.cross_entropy`` of the final vector, or ``-log p[target]`` when the last
stage is softmax. Optimizers are ``torch.optim.SGD`` / ``torch.optim.Adam``
with the case's settings; the loss of step k is computed before update k.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import torch
import torch.nn.functional as F

SEED = 20240701
OUT = Path(__file__).resolve().parent / "golden" / "train.json"
MODES = ("zeros", "reflect", "replicate", "circular")

torch.set_default_dtype(torch.float64)


class Skip(Exception):
    """The random network does not fit its input; draw another."""


def _num(rng: random.Random, integer: bool) -> float:
    return float(rng.randint(-3, 3)) if integer else round(rng.uniform(-1.5, 1.5), 3)


def _arr(rng: random.Random, shape: tuple[int, ...], integer: bool = False):
    if not shape:
        return _num(rng, integer)
    return [_arr(rng, shape[1:], integer) for _ in range(shape[0])]


def _pair_text(p: tuple[int, int]) -> str:
    return str(p[0]) if p[0] == p[1] else f"({p[0]},{p[1]})"


def _rand_pair(rng: random.Random, lo: int, hi: int) -> tuple[int, int]:
    if rng.random() < 0.6:
        v = rng.randint(lo, hi)
        return v, v
    return rng.randint(lo, hi), rng.randint(lo, hi)


# --------------------------------------------------------------------------- stages


class Builder:
    """Grows a random pipeline while tracking the shape, building torch ops."""

    def __init__(self, rng: random.Random, channels: int, hw: tuple[int, int], integer: bool):
        self.rng = rng
        self.c, self.h, self.w = channels, hw[0], hw[1]
        self.vector: int | None = None
        self.integer = integer
        self.text: list[str] = []
        self.files: dict[str, dict] = {}
        self.params: list[dict] = []  # {"stage", "name", "tensor"}
        self.ops: list = []  # callables tensor -> tensor
        self.names: list[str] = []

    def _file(self, data, suffix: str = ".txt") -> str:
        key = f"f{len(self.files) + 1}"
        self.files[key] = {"suffix": suffix, "data": data}
        return "{" + key + "}"

    def _param(self, name: str, data) -> torch.Tensor:
        t = torch.tensor(data, dtype=torch.float64, requires_grad=True)
        self.params.append({"stage": len(self.text) + 1, "name": name, "tensor": t})
        return t

    def add(self, text: str, op, name: str) -> None:
        self.text.append(text)
        self.ops.append(op)
        self.names.append(name)

    # conv ---------------------------------------------------------------------------------
    def conv(self, kernel: tuple[int, int] | None = None) -> None:
        rng, c = self.rng, self.c
        kh, kw = kernel or (rng.randint(1, 3), rng.randint(1, 3))
        layout = rng.random()
        if c == 1:
            if layout < 0.4:
                m, shape, suffix = 1, (kh, kw), ".txt"
            elif layout < 0.8:
                m = rng.randint(2, 3)
                shape, suffix = (m, kh, kw), ".txt"
            else:
                m = rng.randint(1, 2)
                shape, suffix = (m, 1, kh, kw), ".json"
        else:
            if layout < 0.35:
                m, shape, suffix = 1, (c, kh, kw), ".txt"  # one filter across channels
            elif layout < 0.7:
                m = rng.randint(2, 3)
                shape, suffix = (m * c, kh, kw), ".txt"  # M·C blocks
            else:
                m = rng.randint(1, 2)
                shape, suffix = (m, c, kh, kw), ".json"
        data = _arr(rng, shape, self.integer)
        stride = _rand_pair(rng, 1, 2)
        dilation = _rand_pair(rng, 1, 2) if rng.random() < 0.4 else (1, 1)
        if kernel is not None:  # a large kernel, stride 1: the FFT forward path
            stride, dilation = (1, 1), (1, 1)
        r = rng.random()
        if r < 0.15:
            padding, stride = "same", (1, 1)
        elif r < 0.25:
            padding = "valid"
        else:
            padding = _rand_pair(rng, 0, 2)
        mode = rng.choice(MODES) if padding != "valid" else "zeros"
        norm = rng.choice(("sum", "mean"))
        flip = rng.random() < 0.3
        bias_kind = rng.choice(("none", "none", "number", "file"))

        eh, ew = dilation[0] * (kh - 1), dilation[1] * (kw - 1)
        if padding == "same":
            pads = (eh // 2, eh - eh // 2, ew // 2, ew - ew // 2)
        elif padding == "valid":
            pads = (0, 0, 0, 0)
        else:
            pads = (padding[0], padding[0], padding[1], padding[1])
        if mode == "reflect" and (max(pads[:2]) >= self.h or max(pads[2:]) >= self.w):
            raise Skip
        if mode == "circular" and (max(pads[:2]) > self.h or max(pads[2:]) > self.w):
            raise Skip
        hp, wp = self.h + pads[0] + pads[1], self.w + pads[2] + pads[3]
        if eh + 1 > hp or ew + 1 > wp:
            raise Skip
        ho, wo = (hp - eh - 1) // stride[0] + 1, (wp - ew - 1) // stride[1] + 1

        parts = [self._file(data, suffix)]
        if stride != (1, 1):
            parts.append(f"stride={_pair_text(stride)}")
        if padding in ("same", "valid"):
            parts.append(f"padding={padding}")
        elif padding != (0, 0) or rng.random() < 0.2:
            parts.append(f"padding={_pair_text(padding)}")
        if dilation != (1, 1):
            parts.append(f"dilation={_pair_text(dilation)}")
        if mode != "zeros" or rng.random() < 0.1:
            parts.append(f"padding_mode={mode}")
        if norm != "sum" or rng.random() < 0.1:
            parts.append(f"norm={norm}")
        if flip:
            parts.append("flip=true")
        weight = self._param("weight", data)
        bias = None
        if bias_kind == "number":
            value = _num(rng, False)
            parts.append(f"bias={value}")
            bias = self._param("bias", [value] * m)
        elif bias_kind == "file":
            values = _arr(rng, (m,))
            parts.append(f"bias={self._file([values])}")
            bias = self._param("bias", values)
        cin = c

        def op(x, weight=weight, bias=bias):
            w = weight.reshape(-1, cin, kh, kw)
            if flip:
                w = torch.flip(w, dims=(-2, -1))
            if any(pads):
                top, bottom, left, right = pads
                if mode == "zeros":
                    x = F.pad(x, (left, right, top, bottom))
                else:
                    x = F.pad(x, (left, right, top, bottom), mode=mode)
            y = F.conv2d(x, w, stride=stride, dilation=dilation)
            if norm == "mean":
                y = y / (cin * kh * kw)
            if bias is not None:
                y = y + bias[None, :, None, None]
            return y

        self.add(f"conv({', '.join(parts)})", op, "conv")
        self.c, self.h, self.w = m, ho, wo

    # pools --------------------------------------------------------------------------------
    def pool(self) -> None:
        rng = self.rng
        kind = rng.choice(("max", "max", "mean", "sum"))
        k = _rand_pair(rng, 1, 3)
        stride = _rand_pair(rng, 1, 3) if rng.random() < 0.6 else k
        padding = (rng.randint(0, k[0] // 2), rng.randint(0, k[1] // 2))
        dilation = _rand_pair(rng, 1, 2) if kind == "max" and rng.random() < 0.3 else (1, 1)
        ceil = rng.random() < 0.4
        cip = rng.random() < 0.6

        def size(n, kk, s, p, d):
            num = n + 2 * p - d * (kk - 1) - 1 + (s - 1 if ceil else 0)
            if num < 0:
                return 0
            out = num // s + 1
            if ceil and (out - 1) * s >= n + p:
                out -= 1
            return out

        ho = size(self.h, k[0], stride[0], padding[0], dilation[0])
        wo = size(self.w, k[1], stride[1], padding[1], dilation[1])
        if ho < 1 or wo < 1:
            raise Skip
        name = {"max": "maxpool", "mean": rng.choice(("avgpool", "meanpool")), "sum": "sumpool"}[kind]
        parts = [_pair_text(k)]
        if stride != k:
            parts.append(f"stride={_pair_text(stride)}")
        if padding != (0, 0):
            parts.append(f"padding={_pair_text(padding)}")
        if dilation != (1, 1):
            parts.append(f"dilation={_pair_text(dilation)}")
        if ceil:
            parts.append("ceil_mode=true")
        if kind == "mean" and not cip:
            parts.append("count_include_pad=false")

        def op(x):
            if kind == "max":
                return F.max_pool2d(x, k, stride, padding, dilation, ceil_mode=ceil)
            if kind == "mean":
                return F.avg_pool2d(x, k, stride, padding, ceil_mode=ceil, count_include_pad=cip)
            return F.avg_pool2d(x, k, stride, padding, ceil_mode=ceil, divisor_override=1)

        self.add(f"{name}({', '.join(parts)})", op, name)
        self.h, self.w = ho, wo

    def activation(self) -> None:
        kind = self.rng.choice(("relu", "relu", "leaky_relu", "sigmoid", "tanh"))
        if kind == "leaky_relu":
            slope = self.rng.choice((0.01, 0.1, 0.2, 0.5))
            self.add(f"leaky_relu({slope})", lambda x: F.leaky_relu(x, slope), kind)
        else:
            fn = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}[kind]
            self.add(kind, fn, kind)

    def flatten(self) -> None:
        self.add("flatten", lambda x: torch.flatten(x), "flatten")
        self.vector = self.c * self.h * self.w

    def linear(self, out: int) -> None:
        rng = self.rng
        n = self.vector
        assert n is not None
        data = _arr(rng, (out, n))
        parts = [self._file(data)]
        weight = self._param("weight", data)
        bias = None
        r = rng.random()
        if r < 0.6:
            values = _arr(rng, (out,))
            parts.append(self._file([values]))
            bias = self._param("bias", values)
        elif r < 0.75:
            value = _num(rng, False)
            parts.append(str(value))
            bias = self._param("bias", [value] * out)
        self.add(f"linear({', '.join(parts)})", lambda x, w=weight, b=bias: F.linear(x, w, b), "linear")
        self.vector = out

    def softmax(self) -> None:
        self.add("softmax", lambda x: torch.softmax(x, dim=0), "softmax")


def random_network(rng: random.Random, force: dict | None = None) -> tuple[Builder, list]:
    force = force or {}
    integer = force.get("integer", rng.random() < 0.25)
    channels = force.get("channels", rng.choice((1, 1, 2, 3)))
    hw = force.get("hw", (rng.randint(3, 8), rng.randint(3, 8)))
    b = Builder(rng, channels, hw, integer)
    x = _arr(rng, (hw if channels == 1 and rng.random() < 0.6 else (channels, *hw)), integer)
    for _ in range(force.get("convs", rng.choice((0, 1, 1, 1, 2)))):
        b.conv(force.pop("kernel", None))
        if rng.random() < 0.7:
            b.activation()
        if rng.random() < 0.6:
            b.pool()
    if force.get("pool_first") or (not b.params and rng.random() < 0.5):
        b.pool()
    b.flatten()
    if b.vector > 200:
        raise Skip
    if rng.random() < 0.4:
        b.linear(rng.randint(2, 5))
        b.activation()
        if rng.random() < 0.15:
            b.softmax()
    classes = rng.randint(2, 4)
    b.linear(classes)
    if rng.random() < 0.3:
        b.softmax()
    return b, x


def run_torch(b: Builder, x_data, target: int, opt_cfg: dict, steps: int) -> dict:
    x = torch.tensor(x_data, dtype=torch.float64)
    x = x[None, None] if x.dim() == 2 else x[None]
    params = [p["tensor"] for p in b.params]
    initial = [p.detach().clone() for p in params]
    settings = {k: v for k, v in opt_cfg.items() if k != "name"}
    if "betas" in settings:
        settings["betas"] = tuple(settings["betas"])
    if params:
        opt = (torch.optim.SGD if opt_cfg["name"] == "sgd" else torch.optim.Adam)(params, **settings)
    losses, grads = [], []
    for _ in range(steps):
        if params:
            opt.zero_grad()
        h = x
        for op, name in zip(b.ops, b.names):
            if name == "flatten":
                h = torch.flatten(h)
            else:
                h = op(h)
        if not torch.isfinite(h).all():
            raise Skip
        if b.names[-1] == "softmax":
            loss = -torch.log(h[target])
        else:
            loss = F.cross_entropy(h[None], torch.tensor([target]))
        if not math.isfinite(loss.item()):
            raise Skip
        losses.append(loss.item())
        if params:
            loss.backward()
            grads.append([p.grad.detach().clone().tolist() for p in params])
            opt.step()
        else:
            grads.append([])
    return {
        "loss": losses,
        "grads": grads,
        "params": [
            {
                "stage": p["stage"],
                "name": p["name"],
                "value": initial[i].tolist(),
                "grad": grads[0][i],
                "updated": p["tensor"].detach().tolist(),
            }
            for i, p in enumerate(b.params)
        ],
    }


OPTIMIZERS = [
    {"name": "sgd", "lr": 0.1},
    {"name": "sgd", "lr": 0.05, "momentum": 0.9},
    {"name": "sgd", "lr": 0.1, "momentum": 0.5, "weight_decay": 0.01},
    {"name": "sgd", "lr": 0.2, "weight_decay": 0.1},
    {"name": "adam", "lr": 0.01},
    {"name": "adam", "lr": 0.05, "betas": [0.8, 0.99], "eps": 1e-6},
    {"name": "adam", "lr": 0.02, "weight_decay": 0.05},
]

FORCED = [
    {"integer": True, "convs": 1, "channels": 1},  # exact zeros before relu, ties in max pools
    {"integer": True, "convs": 2, "channels": 2},
    {"convs": 0, "pool_first": True},
    {"convs": 2, "channels": 3},
    # an 11×11 kernel: the forward pass goes through the FFT path
    {"convs": 1, "channels": 1, "hw": (12, 13), "kernel": (11, 11)},
]


def make_cases(count: int = 70) -> list[dict]:
    rng = random.Random(SEED)
    cases: list[dict] = []
    attempt = 0
    while len(cases) < count:
        attempt += 1
        index = len(cases)
        force = dict(FORCED[index % len(FORCED)]) if index < 2 * len(FORCED) else None
        try:
            b, x = random_network(rng, force)
            classes = b.vector
            target = rng.randrange(classes)
            opt_cfg = OPTIMIZERS[index % len(OPTIMIZERS)]
            steps = rng.choice((1, 2, 3, 4))
            expected = run_torch(b, x, target, opt_cfg, steps)
        except Skip:
            continue
        cases.append(
            {
                "id": f"train-{index:03d}",
                "input": x,
                "pipeline": " | ".join(b.text),
                "files": b.files,
                "target": target,
                "optimizer": opt_cfg,
                "steps": steps,
                **expected,
            }
        )
    return cases


def main() -> None:
    cases = make_cases()
    kinds = sorted({part.strip().split("(")[0] for c in cases for part in c["pipeline"].split("|")})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    head = json.dumps({"torch": torch.__version__, "seed": SEED})[:-1]
    body = ",\n".join(json.dumps(case) for case in cases)  # one case a line
    OUT.write_text(f'{head}, "cases": [\n{body}\n]}}\n', encoding="utf-8")
    print(f"wrote {len(cases)} cases to {OUT} (stage kinds: {', '.join(kinds)})")


if __name__ == "__main__":
    main()
