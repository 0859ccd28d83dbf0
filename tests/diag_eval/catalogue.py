"""The mistake catalogue of the evaluation set: problems, transforms (singles and pairs).

A *problem* is a dict: X (image), K (kernel), stride, padding, dilation, norm, bias,
post (list of steps: ("relu",) or ("pool", kind, size, stride), in order), form
("keys" or "stages"). A *mistake* is a dict of modifications (``mods``) that
:func:`evaluate` applies while recomputing the problem with the naive ops.
Nothing here imports cnncalc.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from naive import conv2d, pool2d, relu

SINGLES = (
    "missing-bias",
    "double-bias",
    "negated-bias",
    "bias-after-relu",
    "extra-relu",
    "missing-relu",
    "pool-kind",
    "missing-pool",
    "wrong-pool-stride",
    "wrong-pool-size",
    "stage-order",
    "flipped-kernel",
    "flipped-kernel-axis",
    "transposed-kernel",
    "transposed-image",
    "transposed",
    "reversed-rows",
    "reversed-cols",
    "shifted",
    "cropped",
    "extended",
    "wrong-divisor",
    "normalization",
    "padding-value",
    "padding-mode",
    "wrong-stride",
    "wrong-padding",
    "wrong-dilation",
    "other-input",
    "swapped-answers",
)
# per-cell mistakes: not transforms, generated cell by cell
CELL_MISTAKES = ("sign", "arithmetic")
PAIRS = (
    ("transposed", "normalization"),
    ("flipped-kernel", "transposed"),
    ("missing-bias", "missing-relu"),
    ("wrong-stride", "wrong-padding"),
    ("normalization", "missing-relu"),
    ("flipped-kernel", "normalization"),
    ("missing-bias", "normalization"),
    # more natural pairs
    ("flipped-kernel", "missing-relu"),
    ("missing-relu", "pool-kind"),
    ("normalization", "wrong-padding"),
    ("missing-bias", "flipped-kernel"),
    ("transposed-kernel", "normalization"),
)
# labels cnncalc uses for per-cell causes: never a diagnosis of the whole answer
CELL_LABELS = ("sign", "rounding", "too-few-decimals", "arithmetic")

POOL_KINDS = ("max", "mean", "sum")
STRIDES, PADDINGS, DILATIONS = (1, 2, 3), (0, 1, 2), (1, 2)
SHIFTS = ((0, 1), (1, 0), (1, 1), (0, -1), (-1, 0))


def has_relu(p: dict) -> bool:
    return any(s[0] == "relu" for s in p["post"])


def pool_step(p: dict) -> tuple | None:
    return next((s for s in p["post"] if s[0] == "pool"), None)


# --------------------------------------------------------------------------- evaluate


def _kernel(p: dict, op: Any, problems: list[dict]) -> np.ndarray:
    k = p["K"]
    if op is None:
        return k
    if op == "flip":
        return k[::-1, ::-1]
    if op == "flipud":
        return k[::-1, :]
    if op == "fliplr":
        return k[:, ::-1]
    if op == "T":
        return k.T
    return problems[op[1]]["K"]


def _image(p: dict, op: Any, problems: list[dict]) -> np.ndarray:
    if op is None:
        return p["X"]
    if op == "T":
        return p["X"].T
    return problems[op[1]]["X"]


def evaluate(p: dict, mods: dict, problems: list[dict] | None = None) -> np.ndarray | None:
    """The problem's result with the mistakes in ``mods`` (None when it is illegal)."""
    problems = problems or [p]
    if "answer_of" in mods:
        return evaluate(problems[mods["answer_of"]], {}, problems)
    x = _image(p, mods.get("image"), problems)
    k = _kernel(p, mods.get("kernel"), problems)
    bias = mods.get("bias", p["bias"])
    post = list(p["post"])
    conv_bias = bias
    if mods.get("bias_after_relu"):
        i = next(i for i, s in enumerate(post) if s[0] == "relu")
        post.insert(i + 1, ("bias", bias))
        conv_bias = 0.0
    if mods.get("drop_relu"):
        post = [s for s in post if s[0] != "relu"]
    if mods.get("extra_relu"):
        post.insert(0, ("relu",))
    if mods.get("swap_order"):
        i = next(i for i, s in enumerate(post) if s[0] == "relu")
        j = next(i for i, s in enumerate(post) if s[0] == "pool")
        post[i], post[j] = post[j], post[i]
    if mods.get("drop_pool"):
        post = [s for s in post if s[0] != "pool"]
    for key, idx in (("pool_kind", 1), ("pool_size", 2), ("pool_stride", 3)):
        if key in mods:
            post = [s[:idx] + (mods[key],) + s[idx + 1 :] if s[0] == "pool" else s for s in post]
    norm = mods.get("norm", p["norm"])
    out = conv2d(
        x,
        k,
        stride=mods.get("stride", p["stride"]),
        padding=mods.get("padding", p["padding"]),
        dilation=mods.get("dilation", p["dilation"]),
        pmode=mods.get("pmode", "zeros"),
        pvalue=mods.get("pvalue", 0.0),
        norm=norm,
        divisor=mods.get("divisor"),
        bias=conv_bias,
        extend=mods.get("extend", (0, 0)),
        shift=mods.get("shift", (0, 0)),
    )
    for step in post:
        if out is None:
            return None
        if step[0] == "relu":
            out = relu(out)
        elif step[0] == "bias":
            out = out + step[1]
        else:
            _, kind, size, stride = step
            out = pool2d(out, kind, size, stride)
    if out is None:
        return None
    for op in mods.get("out", ()):
        if op == "T":
            out = out.T
        elif op == "rows":
            out = out[::-1, :]
        elif op == "cols":
            out = out[:, ::-1]
        else:  # ("crop", rows, cols)
            _, r, c = op
            out = out[: out.shape[0] - r, : out.shape[1] - c]
            if out.size == 0:
                return None
    return out + 0.0


# --------------------------------------------------------------------------- variants


def variants(label: str, p: dict, t: int, problems: list[dict]) -> list[dict]:
    """Every way the mistake ``label`` can be made on problem ``t`` (empty: not applicable)."""
    b = p["bias"]
    pool = pool_step(p)
    relu_ = has_relu(p)
    if label == "missing-bias":
        return [{"bias": 0.0}] if b else []
    if label == "double-bias":
        return [{"bias": 2 * b}] if b else []
    if label == "negated-bias":
        return [{"bias": -b}] if b else []
    if label == "bias-after-relu":
        return [{"bias_after_relu": True}] if b and relu_ else []
    if label == "extra-relu":
        return [] if relu_ else [{"extra_relu": True}]
    if label == "missing-relu":
        return [{"drop_relu": True}] if relu_ else []
    if label == "pool-kind":
        return [{"pool_kind": k} for k in POOL_KINDS if pool and k != pool[1]]
    if label == "missing-pool":
        return [{"drop_pool": True}] if pool else []
    if label == "wrong-pool-stride":
        return [{"pool_stride": s} for s in STRIDES if pool and s != pool[3]]
    if label == "wrong-pool-size":
        if not pool:
            return []
        out = []
        for size in (2, 3):
            if size != pool[2]:
                out.append({"pool_size": size, "pool_stride": size})
                if pool[3] != size:
                    out.append({"pool_size": size})
        return out
    if label == "stage-order":
        return [{"swap_order": True}] if pool and relu_ else []
    if label == "flipped-kernel":
        return [{"kernel": "flip"}]
    if label == "flipped-kernel-axis":
        return [{"kernel": "flipud"}, {"kernel": "fliplr"}]
    if label == "transposed-kernel":
        return [{"kernel": "T"}]
    if label == "transposed-image":
        return [{"image": "T"}]
    if label == "transposed":
        return [{"out": ("T",)}]
    if label == "reversed-rows":
        return [{"out": ("rows",)}]
    if label == "reversed-cols":
        return [{"out": ("cols",)}]
    if label == "shifted":
        return [{"shift": s} for s in SHIFTS]
    if label == "cropped":
        return [{"out": (("crop", 1, 0),)}, {"out": (("crop", 0, 1),)}, {"out": (("crop", 1, 1),)}]
    if label == "extended":
        return [{"extend": (1, 0)}, {"extend": (0, 1)}, {"extend": (1, 1)}]
    if label == "wrong-divisor":
        if p["norm"] != "mean":
            return []
        n = p["K"].size
        nnz = int(np.count_nonzero(p["K"]))
        out = [{"divisor": n - 1}]
        if 0 < nnz < n and nnz != n - 1:
            out.append({"divisor": nnz})
        return out
    if label == "normalization":
        return [{"norm": "sum" if p["norm"] == "mean" else "mean"}]
    if label == "padding-value":
        return [{"pvalue": 1.0, "pmode": "constant"}] if p["padding"] else []
    if label == "padding-mode":
        return [{"pmode": m} for m in ("replicate", "reflect")] if p["padding"] else []
    if label == "wrong-stride":
        return [{"stride": s} for s in STRIDES if s != p["stride"]]
    if label == "wrong-padding":
        return [{"padding": s} for s in PADDINGS if s != p["padding"]]
    if label == "wrong-dilation":
        return [{"dilation": s} for s in DILATIONS if s != p["dilation"]]
    if label == "other-input":
        out = []
        for j, q in enumerate(problems):
            if j == t:
                continue
            if q["X"].shape != p["X"].shape or not np.array_equal(q["X"], p["X"]):
                out.append({"image": ("other", j)})
            if q["K"].shape != p["K"].shape or not np.array_equal(q["K"], p["K"]):
                out.append({"kernel": ("other", j)})
        return out
    if label == "swapped-answers":
        return [{"answer_of": j} for j in range(len(problems)) if j != t]
    raise KeyError(label)


def merge(a: dict, b: dict) -> dict | None:
    """Two mistakes made together (None when they touch the same setting)."""
    out = dict(a)
    for key, value in b.items():
        if key == "out":
            out["out"] = tuple(out.get("out", ())) + tuple(value)
        elif key in out:
            return None
        else:
            out[key] = value
    return out


def pair_variants(pair: tuple[str, str], p: dict, t: int, problems: list[dict]) -> list[dict]:
    out = []
    for a, b in itertools.product(variants(pair[0], p, t, problems), variants(pair[1], p, t, problems)):
        m = merge(a, b)
        if m is not None:
            out.append(m)
    return out


def explanations(
    match, p: dict, t: int, problems: list[dict], cache: dict | None = None
) -> list[list[str]]:
    """Every catalogue single or pair whose result ``match(values)`` accepts."""
    found: list[list[str]] = []
    cache = {} if cache is None else cache

    def value(mods: dict):
        key = repr(sorted(mods.items()))
        if key not in cache:
            cache[key] = evaluate(p, mods, problems)
        return cache[key]

    for label in SINGLES:
        if any(match(value(m)) for m in variants(label, p, t, problems)):
            found.append([label])
    for pair in PAIRS:
        if any(match(value(m)) for m in pair_variants(pair, p, t, problems)):
            found.append(list(pair))
    return found
