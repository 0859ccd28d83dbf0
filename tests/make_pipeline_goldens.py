"""Write ``tests/golden/pipelines.json``: whole stage chains computed by PyTorch.

Run from the repository root with the torch environment (the test suite never
imports torch; ``tests/test_pipeline_golden.py`` reads the JSON)::

    python3 -m venv .torchenv && .torchenv/bin/pip install -e ".[goldens]"
    .torchenv/bin/python tests/make_pipeline_goldens.py

Deterministic (fixed seed, float64, CPU). The file holds::

    {"generator", "torch", "seed", "run": [case, ...], "shape": [case, ...]}

A ``run`` case is ``{"id", "input", "chain", "files", "target", "stages",
"loss", "prediction"}``: ``chain`` is the pipeline text with file names such
as ``w0.npy`` that the test writes from ``files`` (``{"name": nested list}``;
``.txt`` files hold C·M blocks filter by filter, ``.npy``/``.json`` the full
weight), ``stages`` the torch output of every stage with the batch axis
removed, ``loss`` F.cross_entropy of the final vector for ``target`` (or
F.nll_loss of its log when the chain ends in softmax). A case torch refuses
has ``"error_stage"`` (1-based) instead of outputs.

A ``shape`` case is ``{"id", "input", "chain", "layers": [{"output_shape",
"params", "macs"}], "total_params", "total_macs"}`` from an ``nn.Sequential``
run on zeros: params are ``sum(p.numel())`` per module, MACs are torchinfo's
"Mult-Adds": the parameters (weight and bias) times the output cells per
channel for Conv2d, and the parameters for Linear. A case torch refuses has ``"error_stage"``.

How a cnncalc stage maps to PyTorch: conv is ``nn.Conv2d(C, M, k, stride,
padding, dilation, bias=False, padding_mode)`` with the weight (flipped on both
axes for ``flip``), divided by C·kh·kw for ``norm=mean``, then the bias added;
maxpool ``F.max_pool2d``; avgpool/meanpool ``F.avg_pool2d``; sumpool
``F.avg_pool2d(divisor_override=1)``; relu, leaky_relu, sigmoid, tanh,
``torch.flatten(x, 1)``, ``F.linear``, ``torch.softmax(dim=1)``.
"""

from __future__ import annotations

import json
import random
import warnings
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

SEED = 5_2024
OUT = Path(__file__).resolve().parent / "golden" / "pipelines.json"
MODES = ("zeros", "reflect", "replicate", "circular")

torch.set_default_dtype(torch.float64)
warnings.filterwarnings("ignore", category=UserWarning)


# --------------------------------------------------------------------------- run cases


def _round(t: torch.Tensor, digits: int = 2) -> torch.Tensor:
    return torch.round(t * 10**digits) / 10**digits


def _rand(rng: random.Random, *shape: int, scale: float = 2.0) -> torch.Tensor:
    g = torch.Generator().manual_seed(rng.randrange(2**31))
    return _round((torch.rand(*shape, generator=g) * 2 - 1) * scale)


def _pair_text(p: tuple[int, int], style: int) -> str:
    if p[0] == p[1] and style % 2 == 0:
        return str(p[0])
    return (f"({p[0]},{p[1]})", f"{p[0]}x{p[1]}", f'"{p[0]},{p[1]}"')[style % 3]


def _pair(rng: random.Random, lo: int, hi: int) -> tuple[int, int]:
    a = rng.randint(lo, hi)
    return (a, a) if rng.random() < 0.7 else (a, rng.randint(lo, hi))


class Builder:
    """Builds one random chain, computing each stage with torch as it goes."""

    def __init__(self, rng: random.Random, x: torch.Tensor) -> None:
        self.rng = rng
        self.x = x  # (1, C, H, W) or (1, N)
        self.parts: list[str] = []
        self.outputs: list[list] = []
        self.files: dict[str, list] = {}
        self.n_files = 0

    def _name(self, suffix: str) -> str:
        self.n_files += 1
        return f"f{self.n_files}{suffix}"

    def push(self, text: str, y: torch.Tensor) -> None:
        self.parts.append(text)
        self.outputs.append(y[0].tolist())
        self.x = y

    def conv(self) -> bool:
        rng = self.rng
        c, _h, _w = self.x.shape[1:]
        m = rng.choice([1, 1, 2, 3, 4])
        k = _pair(rng, 1, 3)
        stride = _pair(rng, 1, 2)
        dilation = _pair(rng, 1, 2) if rng.random() < 0.3 else (1, 1)
        mode = rng.choice(MODES)
        if stride == (1, 1) and rng.random() < 0.25:
            padding: object = rng.choice(["same", "valid"])
        else:
            padding = _pair(rng, 0, 2)
        norm = rng.choice(["sum", "mean"])
        flip = rng.random() < 0.3
        weight = _rand(rng, m, c, *k)
        try:
            mod = nn.Conv2d(c, m, k, stride=stride, padding=padding, dilation=dilation,
                            bias=False, padding_mode=mode)
            with torch.no_grad():
                mod.weight.copy_(torch.flip(weight, (2, 3)) if flip else weight)
                y = mod(self.x)
        except (RuntimeError, ValueError):
            return False
        if y.shape[2] < 1 or y.shape[3] < 1:
            return False
        if norm == "mean":
            y = y / (c * k[0] * k[1])
        args = []
        kind = rng.choice(["txt", "npy", "json"])
        name = self._name("." + kind)
        if kind == "txt":
            # M·C blocks, filter by filter; a single filter on one channel may be 2-D
            value = weight[0, 0].tolist() if (m == 1 and c == 1) else weight.reshape(m * c, *k).tolist()
            if m == 1 and c > 1:
                value = weight[0].tolist()  # C blocks = one filter across the channels
        else:
            value = weight.tolist()
        self.files[name] = value
        args.append(name)
        if stride != (1, 1) or rng.random() < 0.2:
            args.append(f"stride={_pair_text(stride, rng.randrange(6))}")
        if padding != (0, 0) or rng.random() < 0.2:
            args.append(f"padding={padding if isinstance(padding, str) else _pair_text(padding, rng.randrange(6))}")
        if dilation != (1, 1):
            args.append(f"dilation={_pair_text(dilation, rng.randrange(6))}")
        if mode != "zeros" or rng.random() < 0.2:
            args.append(f"padding_mode={mode}")
        if norm != "sum" or rng.random() < 0.2:
            args.append(f"norm={norm}")
        if flip:
            args.append("flip=true")
        bias_kind = rng.choice(["none", "none", "number", "file"])
        if bias_kind == "number":
            b = round(rng.uniform(-1, 1), 2)
            y = y + b
            args.append(f"bias={b}")
        elif bias_kind == "file":
            b = _rand(rng, m, scale=1.0)
            y = y + b[None, :, None, None]
            bname = self._name(".txt")
            self.files[bname] = [b.tolist()]
            args.append(f"bias={bname}")
        self.push(f"conv({', '.join(args)})", y)
        return True

    def pool(self) -> bool:
        rng = self.rng
        kind = rng.choice(["maxpool", "avgpool", "meanpool", "sumpool"])
        k = _pair(rng, 1, 3)
        stride = _pair(rng, 1, 3)
        padding = (rng.randint(0, k[0] // 2), rng.randint(0, k[1] // 2))
        ceil_mode = rng.random() < 0.3
        dilation = _pair(rng, 1, 2) if kind == "maxpool" and rng.random() < 0.3 else (1, 1)
        count_include_pad = rng.random() < 0.6
        try:
            if kind == "maxpool":
                y = F.max_pool2d(self.x, k, stride, padding, dilation, ceil_mode=ceil_mode)
            elif kind == "sumpool":
                y = F.avg_pool2d(self.x, k, stride, padding, ceil_mode=ceil_mode, divisor_override=1)
            else:
                y = F.avg_pool2d(self.x, k, stride, padding, ceil_mode=ceil_mode,
                                 count_include_pad=count_include_pad)
        except RuntimeError:
            return False
        if y.shape[2] < 1 or y.shape[3] < 1:
            return False
        args = [_pair_text(k, rng.randrange(6))]
        if stride != k or rng.random() < 0.3:
            args.append(f"stride={_pair_text(stride, rng.randrange(6))}")
        if padding != (0, 0):
            args.append(f"padding={_pair_text(padding, rng.randrange(6))}")
        if dilation != (1, 1):
            args.append(f"dilation={_pair_text(dilation, rng.randrange(6))}")
        if ceil_mode:
            args.append("ceil_mode=true")
        if kind in ("avgpool", "meanpool") and not count_include_pad:
            args.append("count_include_pad=false")
        self.push(f"{kind}({', '.join(args)})", y)
        return True

    def activation(self) -> None:
        rng = self.rng
        kind = rng.choice(["relu", "relu", "leaky_relu", "sigmoid", "tanh"])
        if kind == "relu":
            self.push("relu", torch.relu(self.x))
        elif kind == "leaky_relu":
            slope = round(rng.uniform(0.01, 0.3), 2)
            self.push(f"leaky_relu({slope})", F.leaky_relu(self.x, slope))
        elif kind == "sigmoid":
            self.push("sigmoid", torch.sigmoid(self.x))
        else:
            self.push("tanh", torch.tanh(self.x))

    def linear(self, out: int) -> None:
        rng = self.rng
        n_in = self.x.shape[1]
        weight = _rand(self.rng, out, n_in)
        wname = self._name(rng.choice([".txt", ".txt", ".npy", ".json"]))
        self.files[wname] = weight.tolist()
        if rng.random() < 0.75:
            bias = _rand(rng, out, scale=1.0)
            bname = self._name(".txt")
            self.files[bname] = [bias.tolist()]
            self.push(f"linear({wname}, {bname})", F.linear(self.x, weight, bias))
        else:
            self.push(f"linear({wname})", F.linear(self.x, weight))


def run_case(rng: random.Random, index: int) -> dict:
    c = rng.choice([1, 1, 2, 3])
    h, w = rng.randint(6, 14), rng.randint(6, 14)
    x = _round(torch.randn(1, c, h, w, generator=torch.Generator().manual_seed(rng.randrange(2**31))), 2)
    b = Builder(rng, x)
    for _ in range(rng.choice([1, 1, 2])):
        for _attempt in range(20):
            if b.conv():
                break
        if rng.random() < 0.8:
            b.activation()
        if rng.random() < 0.7:
            for _attempt in range(20):
                if b.pool():
                    break
    b.push("flatten", torch.flatten(b.x, 1))
    classes = rng.randint(2, 5)
    if rng.random() < 0.4:
        b.linear(rng.randint(3, 8))
        b.activation()
    b.linear(classes)
    softmax = rng.random() < 0.4
    if softmax:
        b.push("softmax", torch.softmax(b.x, dim=1))
    target = rng.randrange(classes)
    t = torch.tensor([target])
    loss = F.nll_loss(torch.log(b.x), t) if softmax else F.cross_entropy(b.x, t)
    x_value = x[0, 0].tolist() if (c == 1 and rng.random() < 0.5) else x[0].tolist()
    return {
        "id": f"run-{index:03d}",
        "input": x_value,
        "chain": " | ".join(b.parts),
        "files": b.files,
        "target": target,
        "stages": b.outputs,
        "loss": float(loss),
        "prediction": int(torch.argmax(b.x[0])),
    }


def error_cases() -> list[dict]:
    """Chains torch refuses at a known stage (the test expects a StageError there)."""
    x = [[float((3 * i + j) % 5) for j in range(6)] for i in range(6)]
    k3 = [[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]
    cases = [
        ("kernel-too-large", "conv(k.txt) | maxpool(2) | conv(k.txt)", {"k.txt": k3}, 3),
        ("linear-size", "conv(k.txt) | flatten | linear(w.txt)", {"k.txt": k3, "w.txt": [[1.0] * 15]}, 3),
        ("pool-too-large", "relu | maxpool(2) | maxpool(4)", {}, 3),
        ("reflect-too-large", "maxpool(2) | conv(k.txt, padding=3, padding_mode=reflect)", {"k.txt": k3}, 2),
    ]
    # confirm torch refuses each at that stage
    t = torch.tensor(x)[None, None]
    w = torch.tensor(k3)[None, None]
    checks = [
        lambda: F.conv2d(F.max_pool2d(F.conv2d(t, w), 2), w),
        lambda: F.linear(torch.flatten(F.conv2d(t, w), 1), torch.ones(1, 15)),
        lambda: F.max_pool2d(F.max_pool2d(torch.relu(t), 2), 4),
        lambda: nn.Conv2d(1, 1, 3, padding=3, padding_mode="reflect", bias=False)(F.max_pool2d(t, 2)),
    ]
    out = []
    for (name, chain, files, stage), check in zip(cases, checks):
        try:
            check()
        except RuntimeError:
            pass
        else:
            raise SystemExit(f"torch accepted {name}")
        out.append({"id": f"run-error-{name}", "input": x, "chain": chain, "files": files,
                    "error_stage": stage})
    return out


# --------------------------------------------------------------------------- shape cases


def _shape_module(stage: tuple, c: int) -> tuple[nn.Module, int]:
    kind = stage[0]
    if kind == "conv":
        _, out, k, stride, padding, dilation, bias = stage
        return nn.Conv2d(c, out, k, stride=stride, padding=padding, dilation=dilation, bias=bias), out
    if kind == "maxpool":
        _, k, stride, padding, ceil = stage
        return nn.MaxPool2d(k, stride, padding, ceil_mode=ceil), c
    if kind == "avgpool":
        _, k, stride, padding, ceil = stage
        return nn.AvgPool2d(k, stride, padding, ceil_mode=ceil), c
    if kind == "relu":
        return nn.ReLU(), c
    if kind == "flatten":
        return nn.Flatten(), c
    raise ValueError(kind)


def _stage_text(stage: tuple) -> str:
    kind = stage[0]
    if kind == "conv":
        _, out, k, stride, padding, dilation, bias = stage
        args = [str(out), str(k) if isinstance(k, int) else f"({k[0]},{k[1]})"]
        if stride != 1:
            args.append(f"stride={stride}")
        if padding != 0:
            args.append(f"padding={padding}")
        if dilation != 1:
            args.append(f"dilation={dilation}")
        if not bias:
            args.append("bias=false")
        return f"conv({', '.join(args)})"
    if kind in ("maxpool", "avgpool"):
        _, k, stride, padding, ceil = stage
        args = [str(k), f"stride={stride}"]
        if padding:
            args.append(f"padding={padding}")
        if ceil:
            args.append("ceil_mode=true")
        return f"{kind}({', '.join(args)})"
    if kind == "linear":
        _, out, bias = stage
        return f"linear({out})" if bias else f"linear({out}, bias=false)"
    return kind


def shape_case(name: str, input_shape: tuple, stages: list[tuple]) -> dict:
    x = torch.zeros(1, *input_shape)
    c = input_shape[0]
    layers = []
    case = {"id": f"shape-{name}", "input": "x".join(map(str, input_shape)),
            "chain": " | ".join(_stage_text(s) for s in stages)}
    for i, stage in enumerate(stages, start=1):
        try:
            if stage[0] == "linear":
                mod = nn.Linear(x[0].numel(), stage[1], bias=stage[2])
                x = torch.flatten(x, 1) if x.dim() > 2 else x
            else:
                mod, c = _shape_module(stage, c)
            x = mod(x)
        except RuntimeError:
            case["error_stage"] = i
            return case
        params = sum(p.numel() for p in mod.parameters())
        if isinstance(mod, nn.Conv2d):
            macs = params * x.shape[2] * x.shape[3]  # torchinfo: bias counted per cell
        elif isinstance(mod, nn.Linear):
            macs = params
        else:
            macs = 0
        layers.append({"output_shape": list(x.shape[1:]), "params": params, "macs": macs})
    case["layers"] = layers
    case["total_params"] = sum(layer["params"] for layer in layers)
    case["total_macs"] = sum(layer["macs"] for layer in layers)
    return case


def shape_cases(rng: random.Random) -> list[dict]:
    seed_net = [("conv", 6, 3, 1, 0, 1, True), ("relu",), ("maxpool", 2, 2, 0, False),
                ("conv", 16, 5, 1, 0, 1, True), ("relu",), ("maxpool", 2, 2, 0, False)]
    lenet = seed_net + [("flatten",), ("linear", 120, True), ("relu",), ("linear", 84, True),
                        ("relu",), ("linear", 10, True)]
    cases = [
        shape_case("seed-net", (1, 32, 32), seed_net),
        shape_case("lenet", (1, 32, 32), lenet),
        shape_case("seed-net-too-small", (1, 12, 12), seed_net),
        shape_case("kernel-larger-than-input", (1, 4, 4), [("conv", 2, 5, 1, 0, 1, True)]),
        shape_case("second-conv-too-large", (1, 8, 8), seed_net[:4]),
        shape_case("rgb", (3, 28, 28), [("conv", 8, 3, 1, 1, 1, False), ("relu",),
                                        ("maxpool", 3, 2, 1, True), ("conv", 4, (3, 1), 2, 0, 2, True),
                                        ("avgpool", 2, 1, 1, False), ("flatten",), ("linear", 7, False)]),
    ]
    for n in range(40):
        c, h, w = rng.choice([1, 3]), rng.randint(8, 40), rng.randint(8, 40)
        stages: list[tuple] = []
        for _ in range(rng.randint(1, 3)):
            k = rng.choice([1, 2, 3, 5, (3, 1), (2, 3)])
            stages.append(("conv", rng.randint(1, 16), k, rng.choice([1, 1, 2]), rng.choice([0, 0, 1, 2]),
                           rng.choice([1, 1, 2]), rng.random() < 0.8))
            if rng.random() < 0.6:
                stages.append(("relu",))
            if rng.random() < 0.6:
                kp = rng.choice([2, 3])
                stages.append((rng.choice(["maxpool", "avgpool"]), kp, rng.choice([1, 2, kp]),
                               rng.randint(0, kp // 2), rng.random() < 0.3))
        if rng.random() < 0.7:
            stages.append(("flatten",))
            stages.append(("linear", rng.randint(2, 64), rng.random() < 0.8))
        cases.append(shape_case(f"rand-{n:02d}", (c, h, w), stages))
    return cases


def main() -> None:
    rng = random.Random(SEED)
    runs = [run_case(rng, i) for i in range(60)] + error_cases()
    shapes = shape_cases(rng)
    data = {"generator": "tests/make_pipeline_goldens.py", "torch": torch.__version__, "seed": SEED,
            "run": runs, "shape": shapes}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    errors = sum("error_stage" in c for c in shapes)
    print(f"wrote {OUT}: {len(runs)} run cases, {len(shapes)} shape cases ({errors} refused by torch)")


if __name__ == "__main__":
    main()
