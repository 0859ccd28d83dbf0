"""Write the PyTorch golden cases in ``tests/golden/*.json``.

Run from the repository root with the torch environment (the test suite itself
never imports torch; it only reads the JSON this script writes)::

    python3 -m venv .torchenv && .torchenv/bin/pip install -e ".[goldens]"
    .torchenv/bin/python tests/make_goldens.py

The output is deterministic (fixed seed, float64, CPU), so re-running it on the
same torch version rewrites identical files. Each file holds::

    {"torch": "<version>", "seed": ..., "cases": [case, ...]}

and each case is ``{"id", "op", "args", "kwargs", "expected"}`` or, for a call
PyTorch refuses, ``{"id", "op", "args", "kwargs", "error": true, "torch_error":
"<PyTorch's message>"}``. ``args`` are nested lists (turned into float64 arrays
by the test) or plain ints (class targets); ``op`` names a function of
``cnncalc.engine.ops``. How a cnncalc call maps to PyTorch:

* conv2d: image (H, W) or (C, H, W) becomes (1, C, H, W); a 2-D kernel is a
  (1, 1, kh, kw) weight, an (M, kh, kw) kernel is an (M, 1, kh, kw) bank on a
  one-channel image and a (1, C, kh, kw) filter otherwise, a 4-D kernel is the
  weight itself. ``nn.Conv2d(..., padding_mode=...)`` computes the sum,
  ``norm="mean"`` divides it by C*kh*kw, then ``bias`` (scalar or per filter)
  is added; ``flip`` is the weight flipped on both spatial axes.
* pool2d: ``F.max_pool2d``; mean is ``F.avg_pool2d``; sum is ``F.avg_pool2d``
  with ``divisor_override=1``.
* the rest: ``torch.relu``, ``F.leaky_relu``, ``torch.sigmoid``, ``torch.tanh``,
  ``torch.softmax``, ``torch.flatten``, ``F.linear``, ``F.cross_entropy`` on a
  batch of one, ``F.mse_loss``.

The random generators are importable (``random_conv_case`` etc.) so a scratch
script can compare many more cases against torch directly.
"""

from __future__ import annotations

import json
import random
import re
import sys
import warnings
from pathlib import Path

import torch
import torch.nn.functional as F

SEED = 20240613
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
MODES = ("zeros", "reflect", "replicate", "circular")

torch.set_default_dtype(torch.float64)
# 'same' with even kernels and broadcasting mse warn; the cases are what we want
warnings.filterwarnings("ignore", category=UserWarning)


# --------------------------------------------------------------------------- helpers


def _pair(v):
    """The (h, w) that cnncalc's as_pair makes of an int, a list or an "h,w" string."""
    if isinstance(v, str):
        parts = [int(p) for p in v.split(",")]
        return (parts[0], parts[0]) if len(parts) == 1 else tuple(parts)
    if isinstance(v, (list, tuple)):
        return tuple(v)
    return (v, v)


def _t(x) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64)


def _values(rng: random.Random, shape: tuple[int, ...]):
    """Nested lists of short numbers: small integers or two-decimal values."""
    style = rng.random()
    if len(shape) == 0:
        return _one(rng, style)
    if len(shape) == 1:
        return [_one(rng, style) for _ in range(shape[0])]
    return [_values_style(rng, shape[1:], style) for _ in range(shape[0])]


def _values_style(rng, shape, style):
    if len(shape) == 1:
        return [_one(rng, style) for _ in range(shape[0])]
    return [_values_style(rng, shape[1:], style) for _ in range(shape[0])]


def _one(rng: random.Random, style: float) -> float:
    if style < 0.35:
        return float(rng.randint(-9, 9))
    if style < 0.5:
        return float(rng.choice((-1, 1)))
    return round(rng.uniform(-5, 5), 2)


def _error(case: dict, exc: Exception) -> dict:
    case["error"] = True
    message = str(exc).splitlines()[0][:160]
    # torch prints a set of choices in hash order; keep the file deterministic
    message = re.sub(
        r"\{[^{}]*\}", lambda m: "{" + ", ".join(sorted(m.group()[1:-1].split(", "))) + "}", message
    )
    case["torch_error"] = f"{type(exc).__name__}: {message}"
    return case


def _tolist(t: torch.Tensor):
    """Nested lists; a non-finite value (a max window of padding only) becomes a
    string such as "-inf", which ``numpy.asarray(..., dtype=float)`` reads back."""
    if torch.isfinite(t).all():
        return t.tolist()
    return [_tolist(r) for r in t] if t.dim() else str(t.item())


# --------------------------------------------------------------------------- conv2d


def torch_conv(image, kernel, kw: dict) -> torch.Tensor:
    """cnncalc.conv2d's contract computed by PyTorch (see the module docstring)."""
    x = _t(image)
    if x.dim() == 2:
        x = x[None]
    x = x[None]
    k = _t(kernel)
    single = False
    if k.dim() == 2:
        w, single = k[None, None], True
    elif k.dim() == 3:
        if x.shape[1] == 1:
            w = k[:, None]
        else:
            w, single = k[None], True
    else:
        w = k
    if kw.get("flip"):
        w = torch.flip(w, dims=(-2, -1))
    padding = kw.get("padding", 0)
    if not (isinstance(padding, str) and padding in ("same", "valid")):
        padding = _pair(padding)
    conv = torch.nn.Conv2d(
        w.shape[1],
        w.shape[0],
        tuple(w.shape[2:]),
        stride=_pair(kw.get("stride", 1)),
        padding=padding,
        dilation=_pair(kw.get("dilation", 1)),
        bias=False,
        padding_mode=kw.get("padding_mode", "zeros"),
    )
    with torch.no_grad():
        conv.weight.copy_(w)
        out = conv(x)[0]
    if kw.get("norm", "sum") not in ("sum", "mean"):
        raise ValueError(f"no norm {kw['norm']!r}")
    if kw.get("norm", "sum") == "mean":
        out = out / (w.shape[1] * w.shape[2] * w.shape[3])
    bias = kw.get("bias", 0.0)
    if isinstance(bias, list):
        b = _t(bias)
        # let PyTorch judge the bias length the way nn.Conv2d would
        F.conv2d(torch.zeros(1, w.shape[1], w.shape[2], w.shape[3]), w, bias=b)
        out = out + b[:, None, None]
    else:
        out = out + bias
    return out[0] if single else out


def conv_case(cid: str, image, kernel, **kwargs) -> dict:
    case = {"id": cid, "op": "conv2d", "args": [image, kernel], "kwargs": kwargs}
    try:
        case["expected"] = _tolist(torch_conv(image, kernel, kwargs))
    except (RuntimeError, ValueError, IndexError) as exc:
        return _error(case, exc)
    return case


def _int_or_pair(rng: random.Random, lo: int, hi: int):
    r = rng.random()
    if r < 0.6:
        return rng.randint(lo, hi)
    a, b = rng.randint(lo, hi), rng.randint(lo, hi)
    return f"{a},{b}" if r < 0.7 else [a, b]


def random_conv_args(rng: random.Random) -> tuple[list, dict]:
    """One random conv2d call across every parameter (valid or not)."""
    c = rng.choice((1, 1, 1, 2, 3))
    h, w = rng.randint(1, 9), rng.randint(1, 9)
    kh, kw = rng.randint(1, 4), rng.randint(1, 4)
    image = _values(rng, (h, w)) if c == 1 and rng.random() < 0.6 else _values(rng, (c, h, w))
    layout = rng.random()
    if c == 1:
        if layout < 0.45:
            kernel, m = _values(rng, (kh, kw)), 1
        elif layout < 0.8:
            m = rng.randint(1, 3)
            kernel = _values(rng, (m, kh, kw))
        else:
            m = rng.randint(1, 3)
            kernel = _values(rng, (m, 1, kh, kw))
    elif layout < 0.5:
        kernel, m = _values(rng, (c, kh, kw)), 1
    else:
        m = rng.randint(1, 3)
        kernel = _values(rng, (m, c, kh, kw))
    kwargs: dict = {}
    if rng.random() < 0.6:
        kwargs["stride"] = _int_or_pair(rng, 1, 3)
    r = rng.random()
    if r < 0.15:
        kwargs["padding"] = "same"
        if rng.random() < 0.8:
            kwargs.pop("stride", None)
    elif r < 0.2:
        kwargs["padding"] = "valid"
    elif r < 0.75:
        kwargs["padding"] = _int_or_pair(rng, 0, 3)
    if rng.random() < 0.4:
        kwargs["dilation"] = _int_or_pair(rng, 1, 3)
    if rng.random() < 0.6:
        kwargs["padding_mode"] = rng.choice(MODES)
    if rng.random() < 0.5:
        kwargs["norm"] = rng.choice(("sum", "mean"))
    r = rng.random()
    if r < 0.25:
        kwargs["bias"] = round(rng.uniform(-2, 2), 2)
    elif r < 0.45:
        kwargs["bias"] = [round(rng.uniform(-2, 2), 2) for _ in range(m)]
    if rng.random() < 0.3:
        kwargs["flip"] = True
    return [image, kernel], kwargs


def random_conv_case(rng: random.Random, cid: str) -> dict:
    args, kwargs = random_conv_args(rng)
    return conv_case(cid, *args, **kwargs)


def edge_conv_cases() -> list[dict]:
    """Hand-picked cases: each limit on both sides, each layout, each refusal."""
    rng = random.Random(SEED + 1)
    img5 = [[float(10 * i + j) for j in range(5)] for i in range(5)]
    img34 = [[float(10 * i + j) for j in range(4)] for i in range(3)]
    k3 = [[1.0, 2.0, 0.0], [-1.0, 0.0, 1.0], [0.5, -2.0, 3.0]]
    k2 = [[1.0, -1.0], [2.0, 0.5]]
    k23 = [[1.0, 2.0, 3.0], [-1.0, 0.0, 4.0]]
    cases = []

    def add(name, image, kernel, **kw):
        cases.append(conv_case(f"conv-edge-{len(cases):03d}-{name}", image, kernel, **kw))

    add("plain", img5, k3)
    add("1x1-image-1x1-kernel", [[3.0]], [[-2.0]])
    add("kernel-equals-input", img34, _values(rng, (3, 4)))
    add("kernel-larger-than-input", img34, _values(rng, (4, 4)))
    add("kernel-larger-fits-after-padding", img34, _values(rng, (4, 4)), padding=1)
    add("dilated-kernel-too-large", img5, k3, dilation=3)
    add("dilated-kernel-just-fits", img5, k3, dilation=2)
    add("dilated-fits-with-padding", img5, k3, dilation=3, padding=1)
    for s in (2, 3, [2, 1], "1,3", 7):
        add(f"stride-{s}", img5, k3, stride=s)
    for p in (1, 2, [0, 2], "2,0", 6):
        add(f"zeros-padding-{p}", img5, k3, padding=p)
    for d in (2, [1, 2], "2,1"):
        add(f"dilation-{d}", img5, k2, dilation=d)
    add("stride-0", img5, k3, stride=0)
    add("stride-pair-0", img5, k3, stride=[1, 0])
    add("stride-negative", img5, k3, stride=-1)
    add("dilation-0", img5, k3, dilation=0)
    add("padding-negative", img5, k3, padding=-1)
    add("padding-pair-negative", img5, k3, padding=[1, -1])
    # same / valid
    for kern, name in ((k3, "3x3"), (k2, "2x2"), (k23, "2x3")):
        add(f"same-{name}", img5, kern, padding="same")
        add(f"same-{name}-dilation-2", img5, kern, padding="same", dilation=2)
        add(f"valid-{name}", img5, kern, padding="valid")
    add("same-dilation-pair", img5, k23, padding="same", dilation=[2, 3])
    add("same-stride-2", img5, k3, padding="same", stride=2)
    add("same-stride-pair", img5, k3, padding="same", stride=[1, 2])
    add("valid-stride-2", img5, k3, padding="valid", stride=2)
    for mode in MODES[1:]:
        add(f"same-{mode}-2x2", img5, k2, padding="same", padding_mode=mode)
        add(f"same-{mode}-2x3-dil", img5, k23, padding="same", padding_mode=mode, dilation=2)
    # padding modes at and beyond their limits (img34 is 3 rows, 4 columns)
    add("reflect-p1", img34, k2, padding=1, padding_mode="reflect")
    add("reflect-p2", img34, k2, padding=2, padding_mode="reflect")
    add("reflect-p3-eq-rows", img34, k2, padding=3, padding_mode="reflect")
    add("reflect-pair-2-3", img34, k2, padding=[2, 3], padding_mode="reflect")
    add("reflect-pair-2-4", img34, k2, padding=[2, 4], padding_mode="reflect")
    add("reflect-1-row", [[1.0, 2.0, 3.0]], [[1.0]], padding=[1, 0], padding_mode="reflect")
    add("circular-p3-eq-rows", img34, k2, padding=3, padding_mode="circular")
    add("circular-pair-3-4", img34, k2, padding=[3, 4], padding_mode="circular")
    add("circular-p4-gt-rows", img34, k2, padding=4, padding_mode="circular")
    add("circular-pair-1-5", img34, k2, padding=[1, 5], padding_mode="circular")
    add("replicate-p5", img34, k2, padding=5, padding_mode="replicate")
    add("replicate-pair", img34, k3, padding=[0, 3], padding_mode="replicate")
    add("zeros-p5", img34, k2, padding=5, padding_mode="zeros")
    add("circular-stride-dil", img5, k3, padding=2, padding_mode="circular", stride=2, dilation=2)
    add("reflect-stride-dil", img5, k2, padding=[1, 3], padding_mode="reflect", stride=[2, 1])
    add("bad-padding-mode", img5, k3, padding=1, padding_mode="mirror")
    # norm and bias
    add("mean", img5, k3, norm="mean")
    add("mean-bias", img5, k3, norm="mean", bias=0.25)
    add("sum-bias", img5, k3, bias=-1.5)
    add("bad-norm", img5, k3, norm="max")
    img3c = _values(rng, (3, 4, 5))
    add("across-3-channels", img3c, _values(rng, (3, 2, 2)))
    add("across-3-channels-mean", img3c, _values(rng, (3, 2, 2)), norm="mean")
    add("across-3-channels-mean-bias", img3c, _values(rng, (3, 2, 2)), norm="mean", bias=[0.5])
    add("full-weight-2x3", img3c, _values(rng, (2, 3, 2, 2)), norm="mean", bias=[1.0, -1.0])
    add("full-weight-1x3", img3c, _values(rng, (1, 3, 3, 3)), padding=1)
    add("bank-on-1-channel", img5, _values(rng, (3, 2, 2)), bias=[1.0, 2.0, 3.0])
    add("bank-on-1-channel-mean", img5, _values(rng, (2, 3, 3)), norm="mean", bias=0.5)
    add("bank-one-filter", img5, _values(rng, (1, 3, 3)))
    add("bank-on-CHW-1-channel", [img5], _values(rng, (2, 3, 3)))
    add("2d-kernel-on-CHW-1-channel", [img5], k3)
    add("full-weight-1-channel", img5, _values(rng, (2, 1, 2, 2)))
    add("bias-too-many", img5, _values(rng, (2, 2, 2)), bias=[1.0, 2.0, 3.0])
    add("bias-too-few", img5, _values(rng, (3, 2, 2)), bias=[1.0, 2.0])
    add("bias-list-single-filter", img5, k3, bias=[2.0])
    # channel mismatches
    add("2d-kernel-on-3-channels", img3c, k2)
    add("3-blocks-on-2-channels", _values(rng, (2, 4, 4)), _values(rng, (3, 2, 2)))
    add("weight-channels-mismatch", img3c, _values(rng, (2, 2, 2, 2)))
    add("weight-channels-1-on-3", img3c, _values(rng, (2, 1, 2, 2)))
    # flip
    add("flip", img5, k3, flip=True)
    add("flip-2x3-stride", img5, k23, flip=True, stride=2)
    add("flip-across-channels", img3c, _values(rng, (3, 2, 3)), flip=True, padding=1)
    add("flip-bank", img5, _values(rng, (2, 2, 3)), flip=True, padding="same")
    add("flip-reflect-dilation", img5, k2, flip=True, padding=2, padding_mode="reflect", dilation=2)
    # the seed's X example with kernel 1
    x9 = [[-1.0] * 9 for _ in range(9)]
    for i in range(1, 8):
        x9[i][i] = 1.0
        x9[i][8 - i] = 1.0
    add(
        "seed-x-k1-mean", x9, [[1.0, -1.0, -1.0], [-1.0, 1.0, -1.0], [-1.0, -1.0, 1.0]], norm="mean"
    )
    add("seed-x-k2-mean", x9, [[1.0, -1.0, 1.0], [-1.0, 1.0, -1.0], [1.0, -1.0, 1.0]], norm="mean")
    add(
        "seed-x-k3-mean", x9, [[-1.0, -1.0, 1.0], [-1.0, 1.0, -1.0], [1.0, -1.0, -1.0]], norm="mean"
    )
    # the FFT path (kernels from 11x11 up) with every option it can meet
    big = _values(rng, (16, 18))
    add("fft-11x11", big, _values(rng, (11, 11)))
    add("fft-11x12-same", big, _values(rng, (11, 12)), padding="same")
    add("fft-12x11-dil-pad", big, _values(rng, (6, 6)), dilation=2, padding=3)
    add("fft-bank-reflect", big, _values(rng, (2, 11, 11)), padding=5, padding_mode="reflect")
    add("fft-channels-mean", _values(rng, (2, 13, 14)), _values(rng, (3, 2, 11, 11)), norm="mean")
    add("fft-stride-2", big, _values(rng, (11, 11)), stride=2, padding=1)
    add(
        "fft-circular-flip",
        big,
        _values(rng, (11, 13)),
        padding=6,
        padding_mode="circular",
        flip=True,
    )
    return cases


# --------------------------------------------------------------------------- pool2d


def torch_pool(x, kw: dict) -> torch.Tensor:
    t = _t(x)
    two_d = t.dim() == 2
    t = t[None, None] if two_d else t[None]
    kind = kw["kind"]
    size = _pair(kw["size"])
    stride = None if kw.get("stride") is None else _pair(kw["stride"])
    padding = _pair(kw.get("padding", 0))
    dilation = _pair(kw.get("dilation", 1))
    ceil = kw.get("ceil_mode", False)
    if kind == "max":
        out = F.max_pool2d(t, size, stride, padding, dilation, ceil_mode=ceil)
    elif kind in ("mean", "sum"):
        if dilation != (1, 1):
            raise ValueError("avg_pool2d has no dilation")
        out = F.avg_pool2d(
            t,
            size,
            stride,
            padding,
            ceil_mode=ceil,
            count_include_pad=kw.get("count_include_pad", True),
            divisor_override=1 if kind == "sum" else None,
        )
    else:
        raise ValueError(f"no pool kind {kind}")
    return out[0, 0] if two_d else out[0]


def pool_case(cid: str, x, **kwargs) -> dict:
    case = {"id": cid, "op": "pool2d", "args": [x], "kwargs": kwargs}
    try:
        case["expected"] = _tolist(torch_pool(x, kwargs))
    except (RuntimeError, ValueError, IndexError) as exc:
        return _error(case, exc)
    return case


def random_pool_args(rng: random.Random) -> tuple[list, dict]:
    c = rng.choice((1, 1, 2, 3))
    h, w = rng.randint(1, 10), rng.randint(1, 10)
    x = _values(rng, (h, w)) if c == 1 and rng.random() < 0.7 else _values(rng, (c, h, w))
    kind = rng.choice(("max", "mean", "sum"))
    kwargs: dict = {"kind": kind, "size": _int_or_pair(rng, 1, 4)}
    size = _pair(kwargs["size"])
    if rng.random() < 0.6:
        kwargs["stride"] = _int_or_pair(rng, 1, 4)
    if rng.random() < 0.6:
        # mostly legal padding (at most size // 2), sometimes one over
        extra = 1 if rng.random() < 0.1 else 0
        ph = rng.randint(0, size[0] // 2 + extra)
        pw = rng.randint(0, size[1] // 2 + extra)
        kwargs["padding"] = ph if ph == pw and rng.random() < 0.5 else [ph, pw]
    if kind == "max" and rng.random() < 0.5:
        kwargs["dilation"] = _int_or_pair(rng, 1, 3)
    if rng.random() < 0.5:
        kwargs["ceil_mode"] = True
    if kind == "mean" and rng.random() < 0.5:
        kwargs["count_include_pad"] = rng.random() < 0.5
    return [x], kwargs


def random_pool_case(rng: random.Random, cid: str) -> dict:
    args, kwargs = random_pool_args(rng)
    return pool_case(cid, *args, **kwargs)


def edge_pool_cases() -> list[dict]:
    rng = random.Random(SEED + 2)
    x44 = [[float(10 * i + j) for j in range(4)] for i in range(4)]
    x55 = [[float(10 * i + j) for j in range(5)] for i in range(5)]
    x57 = _values(rng, (5, 7))
    cases = []

    def add(name, x, **kw):
        cases.append(pool_case(f"pool-edge-{len(cases):03d}-{name}", x, **kw))

    for kind in ("max", "mean", "sum"):
        add(f"{kind}-2", x44, kind=kind, size=2)
        add(f"{kind}-2-stride-1", x44, kind=kind, size=2, stride=1)
        add(f"{kind}-3-pad-1", x55, kind=kind, size=3, padding=1)
        add(f"{kind}-3-pad-1-stride-2", x55, kind=kind, size=3, stride=2, padding=1)
        add(f"{kind}-3-pad-2-over-half", x55, kind=kind, size=3, padding=2)
        add(f"{kind}-4-pad-2-half", x55, kind=kind, size=4, padding=2)
        add(f"{kind}-pair-size", x57, kind=kind, size=[2, 3])
        add(f"{kind}-pair-size-str", x57, kind=kind, size="3,2", stride="1,2")
        add(f"{kind}-ceil", x55, kind=kind, size=2, ceil_mode=True)
        add(f"{kind}-ceil-pad", x55, kind=kind, size=3, stride=2, padding=1, ceil_mode=True)
        # last ceil window would start in the right padding: dropped
        add(f"{kind}-ceil-drop", x44, kind=kind, size=2, stride=3, padding=1, ceil_mode=True)
        add(f"{kind}-ceil-partial", x57, kind=kind, size=3, stride=2, ceil_mode=True)
        add(f"{kind}-size-1", x57, kind=kind, size=1)
        add(f"{kind}-size-eq-input", x44, kind=kind, size=4)
        add(f"{kind}-size-gt-input", x44, kind=kind, size=5)
        add(f"{kind}-size-gt-input-pad", x44, kind=kind, size=5, padding=1)
        add(f"{kind}-stride-0", x44, kind=kind, size=2, stride=0)
        add(f"{kind}-size-0", x44, kind=kind, size=0)
        add(f"{kind}-padding-negative", x44, kind=kind, size=2, padding=-1)
        add(f"{kind}-stride-gt-size", x57, kind=kind, size=2, stride=3)
        add(f"{kind}-1x1-input-pad", [[4.0]], kind=kind, size=3, padding=1)
        add(f"{kind}-channels", _values(rng, (3, 4, 5)), kind=kind, size=2, padding=1)
    for cip in (True, False):
        add(f"mean-cip-{cip}-pad", x55, kind="mean", size=3, padding=1, count_include_pad=cip)
        add(
            f"mean-cip-{cip}-ceil-clipped",
            x57,
            kind="mean",
            size=3,
            stride=2,
            padding=1,
            ceil_mode=True,
            count_include_pad=cip,
        )
        add(
            f"mean-cip-{cip}-pair",
            x57,
            kind="mean",
            size=[4, 2],
            stride=[3, 1],
            padding=[2, 1],
            ceil_mode=True,
            count_include_pad=cip,
        )
    add("max-dil-2", x57, kind="max", size=2, dilation=2)
    add("max-dil-pair", x57, kind="max", size=2, stride=1, dilation=[1, 3])
    add("max-dil-pad", x57, kind="max", size=3, stride=1, padding=1, dilation=2)
    add("max-dil-ceil", x57, kind="max", size=2, stride=2, padding=1, dilation=2, ceil_mode=True)
    add("max-dil-too-large", x44, kind="max", size=3, dilation=2)
    add("max-dil-0", x44, kind="max", size=2, dilation=0)
    # PyTorch checks padding against the kernel size, not the dilated extent
    add("max-dil-pad-over-half-size", x57, kind="max", size=2, padding=2, dilation=3)
    add(
        "max-all-negative-pad",
        [[-5.0, -7.0], [-6.0, -8.0]],
        kind="max",
        size=2,
        stride=1,
        padding=1,
    )
    return cases


# --------------------------------------------------------------------------- the rest


def simple_case(cid: str, op: str, args: list, kwargs: dict, fn) -> dict:
    case = {"id": cid, "op": op, "args": args, "kwargs": kwargs}
    try:
        out = fn()
    except (RuntimeError, ValueError, IndexError) as exc:
        return _error(case, exc)
    case["expected"] = _tolist(out) if isinstance(out, torch.Tensor) else out
    return case


def activation_cases() -> list[dict]:
    rng = random.Random(SEED + 3)
    cases: list[dict] = []

    def add(op, name, args, kwargs, fn):
        cases.append(simple_case(f"{op}-{len(cases):03d}-{name}", op, args, kwargs, fn))

    shapes = [(1,), (5,), (3, 4), (2, 3, 3), (4, 1)]
    for i in range(8):
        for shape in shapes:
            x = _values(rng, shape)
            add("relu", f"{shape}", [x], {}, lambda x=x: torch.relu(_t(x)))
            slope = rng.choice((None, 0.1, 0.2, 0.01, 1.5, -0.5, 0.0))
            kw = {} if slope is None else {"slope": slope}
            add(
                "leaky_relu",
                f"{shape}-{slope}",
                [x],
                kw,
                lambda x=x, s=slope: F.leaky_relu(_t(x), 0.01 if s is None else s),
            )
            add("sigmoid", f"{shape}", [x], {}, lambda x=x: torch.sigmoid(_t(x)))
            add("tanh", f"{shape}", [x], {}, lambda x=x: torch.tanh(_t(x)))
            add("flatten", f"{shape}", [x], {}, lambda x=x: torch.flatten(_t(x)))
            if len(shape) <= 2:
                add("softmax", f"{shape}", [x], {}, lambda x=x: torch.softmax(_t(x), dim=-1))
            if len(shape) >= 2:
                add(
                    "softmax",
                    f"{shape}-axis0",
                    [x],
                    {"axis": 0},
                    lambda x=x: torch.softmax(_t(x), dim=0),
                )
    extremes = [[-1000.0, -50.0, -1e-9, 0.0, 1e-9, 30.0, 800.0]]
    for op, fn in (("relu", torch.relu), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh)):
        add(op, "extremes", extremes, {}, lambda fn=fn: fn(_t(extremes[0])))
    add("softmax", "extremes", extremes, {}, lambda: torch.softmax(_t(extremes[0]), -1))
    add(
        "softmax",
        "large-equal",
        [[1000.0, 1000.0]],
        {},
        lambda: torch.softmax(_t([1000.0, 1000.0]), -1),
    )
    # linear: W is out x in
    for i in range(30):
        n_in, n_out = rng.randint(1, 8), rng.randint(1, 5)
        x, w = _values(rng, (n_in,)), _values(rng, (n_out, n_in))
        r = rng.random()
        b = None if r < 0.3 else (_values(rng, (1,)) if r < 0.4 else _values(rng, (n_out,)))
        add(
            "linear",
            f"{n_out}x{n_in}",
            [x, w, b],
            {},
            lambda x=x, w=w, b=b: F.linear(_t(x), _t(w), None if b is None else _t(b)),
        )
    for name, x, w, b in (
        ("in-mismatch", [1.0, 2.0, 3.0], [[1.0, 2.0], [3.0, 4.0]], None),
        ("transposed-weight", [1.0, 2.0], [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], None),
        ("bias-too-long", [1.0, 2.0], [[1.0, 2.0], [3.0, 4.0]], [1.0, 2.0, 3.0]),
    ):
        if name == "transposed-weight":
            w = [list(r) for r in zip(*w)]
        add(
            "linear",
            name,
            [x, w, b],
            {},
            lambda x=x, w=w, b=b: F.linear(_t(x), _t(w), None if b is None else _t(b)),
        )
    # cross entropy: logits and a 0-based class
    for i in range(30):
        n = rng.randint(1, 7)
        logits = _values(rng, (n,))
        target = rng.randrange(n)
        add(
            "cross_entropy",
            f"{n}-classes",
            [logits, target],
            {},
            lambda z=logits, t=target: F.cross_entropy(_t(z)[None], torch.tensor([t])).item(),
        )
    for name, z, t in (
        ("target-too-large", [1.0, 2.0, 3.0], 3),
        ("target-negative", [1.0, 2.0, 3.0], -1),
        ("extreme-logits", [800.0, -800.0, 0.0], 1),
    ):
        add(
            "cross_entropy",
            name,
            [z, t],
            {},
            lambda z=z, t=t: F.cross_entropy(_t(z)[None], torch.tensor([t])).item(),
        )
    # mse
    for i in range(20):
        shape = rng.choice(shapes)
        a, b = _values(rng, shape), _values(rng, shape)
        add("mse", f"{shape}", [a, b], {}, lambda a=a, b=b: F.mse_loss(_t(a), _t(b)).item())
    add(
        "mse",
        "shape-mismatch",
        [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]],
        {},
        lambda: F.mse_loss(
            _t([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), _t([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        ).item(),
    )
    return cases


# --------------------------------------------------------------------------- main


def build(n_conv: int = 700, n_pool: int = 600, seed: int = SEED) -> dict[str, list[dict]]:
    """All golden cases by file name; random ones are kept until ``n_*`` are valid."""
    rng = random.Random(seed)
    conv = edge_conv_cases()
    valid = errors = 0
    i = 0
    while valid < n_conv:
        case = random_conv_case(rng, f"conv-rand-{i:04d}")
        i += 1
        if case.get("error"):
            if errors >= n_conv // 4:
                continue
            errors += 1
        else:
            valid += 1
        conv.append(case)
    pool = edge_pool_cases()
    valid = errors = 0
    i = 0
    while valid < n_pool:
        case = random_pool_case(rng, f"pool-rand-{i:04d}")
        i += 1
        if case.get("error"):
            if errors >= n_pool // 4:
                continue
            errors += 1
        else:
            valid += 1
        pool.append(case)
    return {"conv2d": conv, "pool2d": pool, "activations": activation_cases()}


def main() -> int:
    GOLDEN_DIR.mkdir(exist_ok=True)
    total = 0
    for name, cases in build().items():
        doc = {
            "generator": "tests/make_goldens.py",
            "torch": torch.__version__.split("+")[0],
            "seed": SEED,
            "cases": cases,
        }
        text = json.dumps(doc, separators=(",", ":"), allow_nan=False)
        path = GOLDEN_DIR / f"{name}.json"
        path.write_text(text + "\n", encoding="utf-8")
        n_err = sum(1 for c in cases if c.get("error"))
        total += len(text)
        print(f"{path.name}: {len(cases)} cases ({n_err} refused), {len(text) / 1e3:.0f} kB")
    print(f"total {total / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
