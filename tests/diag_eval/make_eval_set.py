#!/usr/bin/env python3
"""Build the independent evaluation set for cnncalc's mistake model ("issue 11").

    python tests/diag_eval/make_eval_set.py [--out DIR] [--seed N]   # DIR: a temporary folder by default

Every case is a folder ``DIR/cases/NNN-category/`` with ``assignment.toml`` (one to
three problems, ``decimals = 2``, conv keys or a ``stages`` chain), the image and
kernel files, ``answer.txt`` (the student's answers, one block per problem, written
as students write) and ``case.json`` (category, acceptable labels, and per answer the
mistake made and every catalogue single or pair that reproduces the written answer).
``DIR/index.json`` lists the cases. Truths and mistakes are computed with the naive
loops of ``naive.py`` / ``catalogue.py``; cnncalc is never imported.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalogue import (
    CELL_MISTAKES,
    PAIRS,
    SINGLES,
    evaluate,
    explanations,
    has_relu,
    pair_variants,
    pool_step,
    variants,
)
from naive import Token, as_fraction, grid_right, is_exact_at, quantize, token_right

N_MISTAKE = 9  # cases per mistake category
N_RIGHT = 72

REQ: dict[str, set[str]] = {
    "missing-bias": {"bias"},
    "double-bias": {"bias"},
    "negated-bias": {"bias"},
    "bias-after-relu": {"bias", "relu"},
    "extra-relu": {"norelu"},
    "missing-relu": {"relu"},
    "pool-kind": {"pool"},
    "missing-pool": {"pool"},
    "wrong-pool-stride": {"pool"},
    "wrong-pool-size": {"pool"},
    "stage-order": {"relu", "pool", "poolnotmax"},
    "wrong-divisor": {"mean"},
    "padding-value": {"padding"},
    "padding-mode": {"padding"},
    "extended": {"nopool"},
    "sign": {"norelu"},
    "other-input": {"multi"},
    "swapped-answers": {"multi"},
}
BIASES = (0.5, -0.5, 1.0, -1.0, 0.25, 2.0, -2.0, 1.5)
POOLS = ((2, 2), (2, 2), (2, 1), (3, 1), (3, 3), (3, 2))


# --------------------------------------------------------------------------- inputs


def xo_image(rng: np.random.Generator, n: int) -> np.ndarray:
    """A ±1 X or O drawn on an n×n grid, with a few pixels flipped."""
    x = -np.ones((n, n))
    kind = rng.choice(["X", "O", "X", "O", "plus"])
    m = 1
    for i in range(m, n - m):
        if kind == "X":
            x[i, i] = 1
            x[i, n - 1 - i] = 1
        elif kind == "O":
            x[m, i] = x[n - 1 - m, i] = x[i, m] = x[i, n - 1 - m] = 1
        else:
            x[n // 2, i] = x[i, n // 2] = 1
    if kind == "O":  # round the corners
        for a, b in ((m, m), (m, n - 1 - m), (n - 1 - m, m), (n - 1 - m, n - 1 - m)):
            x[a, b] = -1
    for _ in range(int(rng.integers(0, 4))):
        i, j = rng.integers(0, n, 2)
        x[i, j] = -x[i, j]
    return x


XO_KERNELS = (
    [[1, -1, -1], [-1, 1, -1], [-1, -1, 1]],
    [[-1, -1, 1], [-1, 1, -1], [1, -1, -1]],
    [[1, -1, 1], [-1, 1, -1], [1, -1, 1]],
    [[-1, 1, -1], [1, 1, 1], [-1, 1, -1]],
    [[1, 1, -1], [1, -1, -1], [-1, -1, -1]],
    [[1, -1], [-1, 1]],
    [[1, 1], [-1, -1]],
)


def xo_kernel(rng: np.random.Generator) -> np.ndarray:
    if rng.random() < 0.55:
        return np.array(XO_KERNELS[int(rng.integers(0, len(XO_KERNELS)))], dtype=float)
    size = 3 if rng.random() < 0.75 else 2
    return rng.choice([-1.0, 1.0], (size, size))


def gen_inputs(rng: np.random.Generator, source: str, shape: tuple[int, int] | None = None):
    if source == "xo":
        n = int(rng.integers(7, 10)) if shape is None else shape[0]
        return xo_image(rng, n), xo_kernel(rng)
    if shape is None:
        h = int(rng.integers(4, 10))
        w = h if rng.random() < 0.6 else int(rng.integers(4, 10))
    else:
        h, w = shape
    kh = int(rng.choice([2, 3], p=[0.35, 0.65]))
    kw = kh
    if source == "int":
        lo = -3 if rng.random() < 0.6 else 0
        x = rng.integers(lo, 6, (h, w)).astype(float)
        k = rng.integers(-2, 3, (kh, kw)).astype(float)
    else:
        x = np.round(rng.uniform(-2, 2, (h, w)), int(rng.choice([1, 2])))
        k = np.round(rng.uniform(-1, 1, (kh, kw)), 1)
    if np.count_nonzero(k) < 2:
        k[0, 0], k[-1, -1] = 1.0, -1.0
    return x, k


def gen_problem(rng: np.random.Generator, req: set[str], share: dict | None = None) -> dict:
    """A random problem meeting ``req`` (bias, relu, norelu, pool, nopool, poolnotmax,
    mean, padding). ``share``: another problem whose image (and settings) to reuse."""
    for _ in range(200):
        if share is not None:
            source = share["source"]
            x = share["X"]
            k = xo_kernel(rng) if source == "xo" else gen_inputs(rng, source, x.shape)[1]
        else:
            source = str(rng.choice(["xo", "int", "real"], p=[0.35, 0.4, 0.25]))
            x, k = gen_inputs(rng, source)
        if source == "xo":
            norm = "mean" if rng.random() < 0.8 else "sum"
        else:
            norm = "sum" if rng.random() < 0.65 else "mean"
        if "mean" in req:
            norm = "mean"
        stride = 1 if rng.random() < 0.75 else 2
        padding = 0 if rng.random() < 0.7 else 1
        if "padding" in req:
            padding = 1 if rng.random() < 0.8 else 2
        dilation = 1 if rng.random() < 0.85 else 2
        bias = 0.0
        if "bias" in req or rng.random() < 0.2:
            bias = float(rng.choice(BIASES))
        use_relu = rng.random() < 0.45
        if "relu" in req:
            use_relu = True
        if "norelu" in req:
            use_relu = False
        use_pool = rng.random() < 0.35
        if "pool" in req:
            use_pool = True
        if "nopool" in req:
            use_pool = False
        post: list[tuple] = []
        if use_relu:
            post.append(("relu",))
        if use_pool:
            kind = str(rng.choice(["max", "mean", "sum"], p=[0.5, 0.3, 0.2]))
            if "poolnotmax" in req:
                kind = str(rng.choice(["mean", "sum"]))
            size, pstride = POOLS[int(rng.integers(0, len(POOLS)))]
            step = ("pool", kind, size, pstride)
            if use_relu and rng.random() < 0.35:
                post.insert(0, step)
            else:
                post.append(step)
        if share is not None:  # a homework sheet: the same settings for the same image
            stride, padding, dilation, norm = share["stride"], share["padding"], share["dilation"], share["norm"]
        p = {"X": x, "K": k, "stride": stride, "padding": padding, "dilation": dilation, "norm": norm,
             "bias": bias, "post": post, "source": source}
        conv = evaluate({**p, "post": []}, {})
        if conv is None or min(conv.shape) < 3:
            continue
        out = evaluate(p, {})
        if out is None or min(out.shape) < 2:
            continue
        if np.count_nonzero(np.round(out, 2)) < 2:
            continue
        pool_first = bool(post) and post[0][0] == "pool" and use_relu
        p["form"] = "stages" if pool_first or rng.random() < 0.4 else "keys"
        p["explicit_norm"] = bool(rng.random() < 0.3)
        return p
    raise RuntimeError(f"no problem for {req}")


# --------------------------------------------------------------------------- writing


def style_for(rng: np.random.Generator, right: bool) -> dict:
    """How the student writes numbers: mode, decimals, short exact values, fractions, layout."""
    mode = str(rng.choice(["half-up", "truncate", "mixed", "half-even"], p=[0.4, 0.3, 0.2, 0.1]))
    d = int(rng.choice([2, 3, 4], p=[0.75, 0.17, 0.08] if right else [0.85, 0.12, 0.03]))
    layout = str(rng.choice(["tab", "space", "aligned", "comma", "comma-space"], p=[0.3, 0.25, 0.2, 0.1, 0.15]))
    st = {
        "mode": mode,
        "decimals": d,
        "short": bool(rng.random() < (0.5 if right else 0.35)),
        "fractions": bool(rng.random() < (0.15 if right else 0.05)),
        "layout": layout,
        "fullwidth": bool(rng.random() < (0.08 if right else 0.03)),
        "unicode_minus": bool(rng.random() < (0.08 if right else 0.03)),
        "leading_dot": bool(rng.random() < (0.08 if right else 0.02)),
        "brackets": bool(right and rng.random() < 0.05),
        "pipes": bool(right and rng.random() < 0.05),
        "crlf": bool(right and rng.random() < 0.05),
        "comments": bool(rng.random() < 0.2),
    }
    if st["brackets"] or st["pipes"]:
        st["layout"] = "comma-space" if st["brackets"] else "space"
    return st


def write_tokens(values: np.ndarray, st: dict, rng: np.random.Generator) -> list[list[Token]]:
    rows = []
    d = st["decimals"]
    for row in values:
        out = []
        for v in row:
            v = float(v)
            frac = as_fraction(v) if st["fractions"] and not is_exact_at(v, 2) else None
            if frac is not None and rng.random() < 0.7:
                out.append(Token("frac", frac))
                continue
            if st["short"] and is_exact_at(v, d):
                dd = next(k for k in range(d + 1) if is_exact_at(v, k))
                out.append(Token("dec", quantize(v, dd, "truncate"), dd))
                continue
            mode = st["mode"]
            if mode == "mixed":
                mode = "truncate" if rng.random() < 0.5 else "half-up"
            out.append(Token("dec", quantize(v, d, mode), d))
        rows.append(out)
    return rows


FULLWIDTH = str.maketrans("0123456789.-", "０１２３４５６７８９．－")


def render_number(tok: Token, st: dict) -> str:
    s = tok.text()
    if st["leading_dot"] and s.startswith(("0.", "-0.")):
        s = s.replace("0.", ".", 1)
    if st["unicode_minus"]:
        s = s.replace("-", "\u2212")
    if st["fullwidth"]:
        s = s.translate(FULLWIDTH)
    return s


def render_grid(tokens: list[list[Token]], st: dict) -> str:
    cells = [[render_number(t, st) for t in row] for row in tokens]
    sep = {"tab": "\t", "space": " ", "aligned": " ", "comma": ",", "comma-space": ", "}[st["layout"]]
    if st["layout"] == "aligned":
        width = max(len(c) for row in cells for c in row)
        cells = [[c.rjust(width) for c in row] for row in cells]
    if st["brackets"]:
        rows = ["[" + ", ".join(row) + "]" for row in cells]
        return "[" + ",\n ".join(rows) + "]"
    if st["pipes"]:
        return "\n".join("| " + " | ".join(row) + " |" for row in cells)
    return "\n".join(sep.join(row) for row in cells)


def fmt_value(v: float) -> str:
    v = float(v)
    if v == int(v):
        return str(int(v))
    return repr(round(v, 4))


def matrix_file(a: np.ndarray) -> str:
    return "\n".join(" ".join(fmt_value(v) for v in row) for row in a) + "\n"


POOL_STAGE = {"max": "maxpool", "mean": "avgpool", "sum": "sumpool"}


def stages_text(p: dict) -> str:
    opts = []
    if p["norm"] != "sum":
        opts.append(f"norm={p['norm']}")
    for key, default in (("stride", 1), ("padding", 0), ("dilation", 1)):
        if p[key] != default:
            opts.append(f"{key}={p[key]}")
    if p["bias"]:
        opts.append(f"bias={fmt_value(p['bias'])}")
    parts = ["conv(" + ", ".join(opts) + ")" if opts else "conv"]
    for s in p["post"]:
        if s[0] == "relu":
            parts.append("relu")
        else:
            _, kind, size, stride = s
            parts.append(f"{POOL_STAGE[kind]}({size})" if stride == size else f"{POOL_STAGE[kind]}({size}, stride={stride})")
    return " | ".join(parts)


def problem_toml(p: dict, img: str, ker: str) -> str:
    lines = ["[[problem]]", f'name = "{p["name"]}"', f'image = "{img}"', f'kernel = "{ker}"']
    if p["form"] == "stages":
        lines.append(f'stages = "{stages_text(p)}"')
    else:
        if p["norm"] != "sum" or p.get("explicit_norm"):
            lines.append(f'norm = "{p["norm"]}"')
        for key, default in (("stride", 1), ("padding", 0), ("dilation", 1)):
            if p[key] != default:
                lines.append(f"{key} = {p[key]}")
        if p["bias"]:
            lines.append(f"bias = {float(p['bias'])!r}")
        if has_relu(p):
            lines.append("relu = true")
        pool = pool_step(p)
        if pool:
            _, kind, size, stride = pool
            lines.append(f'pool = "{kind}:{size}"' if stride == size else f'pool = "{kind}:{size}:{stride}"')
    lines.append("points = 10")
    return "\n".join(lines) + "\n"


def describe(p: dict) -> str:
    return stages_text(p)


# --------------------------------------------------------------------------- mistakes


def close_match(tokens: list[list[Token]]):
    """``match(values)``: True when every written cell is right for ``values``."""
    h, w = len(tokens), len(tokens[0])
    got = np.array([[t.float() for t in row] for row in tokens])
    tol = np.array([[10.0 ** -t.d if t.kind == "dec" else 1e-9 for t in row] for row in tokens]) + 1e-9

    def match(values) -> bool:
        if values is None or values.shape != (h, w):
            return False
        if np.any(np.abs(values - got) > tol):  # cheap necessary condition
            return False
        ok = grid_right(tokens, values)
        return bool(ok is not None and ok.all())

    return match


def differs(tokens: list[list[Token]], truth: np.ndarray) -> bool:
    """The written answer is wrong for the truth: another shape, or at least 2 wrong cells."""
    ok = grid_right(tokens, truth)
    return ok is None or int((~ok).sum()) >= 2


def sign_mistake(truth: np.ndarray, st: dict, rng) -> tuple[list[list[Token]], dict] | None:
    tokens = write_tokens(truth, st, rng)
    neg = [(i, j) for i, row in enumerate(tokens) for j, t in enumerate(row) if t.float() < 0]
    if len(neg) < 2:
        return None
    k = int(rng.integers(2, len(neg) + 1))
    chosen = [neg[i] for i in rng.choice(len(neg), k, replace=False)]
    for i, j in chosen:
        t = tokens[i][j]
        tokens[i][j] = Token(t.kind, abs(t.value), t.d)
    return tokens, {"cells": sorted([i + 1, j + 1] for i, j in chosen)}


def arithmetic_mistake(truth: np.ndarray, st: dict, rng) -> tuple[list[list[Token]], dict] | None:
    tokens = write_tokens(truth, st, rng)
    h, w = truth.shape
    k = int(rng.integers(2, 4))
    if h * w < 6:
        return None
    chosen = [divmod(int(c), w) for c in rng.choice(h * w, k, replace=False)]
    scale = max(1.0, float(np.abs(truth).max()) / 3)
    for i, j in chosen:
        e = float(truth[i, j])
        for _ in range(20):
            delta = float(rng.choice([-1, 1]) * rng.uniform(0.15, 1.2) * scale)
            v = round(e + delta, 2)
            tok = Token("dec", quantize(v, 2, "half-up"), 2)
            unit = 0.01 + 1e-9
            near = any(abs(tok.float() - float(quantize(e, 2, m))) <= unit for m in ("half-up", "truncate", "half-even"))
            if not near and not token_right(tok, -e) and not token_right(tok, e):
                tokens[i][j] = tok
                break
        else:
            return None
    return tokens, {"cells": sorted([i + 1, j + 1] for i, j in chosen)}


# --------------------------------------------------------------------------- cases


def make_problems(rng, category: str, labels: tuple[str, ...]) -> tuple[list[dict], list[int]]:
    """The problems of a case and the indices of the answers that carry the mistake."""
    req: set[str] = set()
    for label in labels:
        req |= REQ.get(label, set())
    multi = "multi" in req or (category != "right" and rng.random() < 0.2) or (category == "right" and rng.random() < 0.35)
    if not multi:
        return [gen_problem(rng, req)], [0]
    n = int(rng.choice([2, 3], p=[0.6, 0.4]))
    t = int(rng.integers(0, n))
    problems = []
    shared = category in ("other-input", "swapped-answers", "right") and rng.random() < 0.5
    for i in range(n):
        r = req if i == t else set()
        if shared and problems:
            problems.append(gen_problem(rng, r - {"multi"}, share=problems[0]))
        else:
            problems.append(gen_problem(rng, r - {"multi"}))
    if category == "swapped-answers":
        u = int(rng.choice([i for i in range(n) if i != t]))
        return problems, sorted([t, u])
    return problems, [t]


def build_case(rng, category: str) -> dict | None:
    labels = tuple(category.split("+")) if category != "right" else ()
    problems, targets = make_problems(rng, category, labels)
    for i, p in enumerate(problems):
        p["name"] = f"problem {i + 1}"
    truths = [evaluate(p, {}, problems) for p in problems]
    right = category == "right"
    answers = []
    written = []
    for i, p in enumerate(problems):
        st = style_for(rng, right or i not in targets)
        entry = {"problem": p["name"], "mistaken": i in targets, "style": st}
        if i not in targets or right:
            tokens = write_tokens(truths[i], st, rng)
            assert grid_right(tokens, truths[i]).all()
            entry["mistaken"] = False
        elif category == "swapped-answers":
            other = next(j for j in targets if j != i)
            if truths[other].shape == truths[i].shape and np.allclose(truths[other], truths[i]):
                return None
            tokens = write_tokens(truths[other], st, rng)
            entry["mistake"] = {"labels": ["swapped-answers"], "mods": {"answer_of": other + 1}}
        elif category in CELL_MISTAKES:
            made = (sign_mistake if category == "sign" else arithmetic_mistake)(truths[i], st, rng)
            if made is None:
                return None
            tokens, info = made
            entry["mistake"] = {"labels": [category], **info}
        else:
            if len(labels) == 1:
                options = variants(labels[0], p, i, problems)
            else:
                options = pair_variants(labels, p, i, problems)  # type: ignore[arg-type]
            if not options:
                return None
            mods = options[int(rng.integers(0, len(options)))]
            values = evaluate(p, mods, problems)
            if values is None or min(values.shape) < 2:
                return None
            if category == "wrong-stride+wrong-padding" and values.shape == truths[i].shape:
                return None
            tokens = write_tokens(values, st, rng)
            entry["mistake"] = {"labels": list(labels), "mods": jsonable(mods)}
        if entry["mistaken"]:
            if not differs(tokens, truths[i]):
                return None
            found = explanations(close_match(tokens), p, i, problems)
            if category in CELL_MISTAKES:
                found.insert(0, [category])
            elif category == "swapped-answers":
                pass
            if list(labels) not in found and category not in CELL_MISTAKES:
                raise AssertionError(f"{category}: the mistake made does not reproduce itself")
            entry["explanations"] = found
            entry["acceptable"] = sorted({lb for e in found for lb in e})
        answers.append(entry)
        written.append(tokens)
    return {"problems": problems, "answers": answers, "written": written, "truths": truths}


def jsonable(mods: dict) -> dict:
    out = {}
    for k, v in mods.items():
        if isinstance(v, tuple):
            v = [list(x) if isinstance(x, tuple) else x for x in v]
            if len(v) == 2 and v[0] == "other":
                v = {"other_problem": v[1] + 1}
        out[k] = v
    return out


def write_case(root: Path, number: int, category: str, case: dict) -> dict:
    folder = root / "cases" / f"{number:03d}-{category}"
    folder.mkdir(parents=True)
    files: dict[bytes, str] = {}
    toml = ['title = "diagnosis evaluation case"', "decimals = 2", ""]
    for i, p in enumerate(case["problems"], start=1):
        names = []
        for what, arr in (("image", p["X"]), ("kernel", p["K"])):
            text = matrix_file(arr)
            key = text.encode()
            if key not in files:
                files[key] = f"{what}{i}.txt"
                (folder / files[key]).write_text(text)
            names.append(files[key])
        toml.append(problem_toml(p, *names))
    (folder / "assignment.toml").write_text("\n".join(toml))
    blocks = []
    for entry, tokens in zip(case["answers"], case["written"]):
        st = entry["style"]
        block = render_grid(tokens, st)
        if st["comments"]:
            block = f"# {entry['problem']}\n" + block
        blocks.append(block)
    nl = "\r\n" if any(e["style"]["crlf"] for e in case["answers"]) else "\n"
    text = "\n\n".join(blocks) + "\n"
    (folder / "answer.txt").write_bytes(text.replace("\n", nl).encode("utf-8"))
    mistaken = [e for e in case["answers"] if e["mistaken"]]
    meta = {
        "id": folder.name,
        "category": category,
        "acceptable": sorted({lb for e in mistaken for lb in e["acceptable"]}),
        "expect_correct": not mistaken,
        "answers": [
            {
                "problem": e["problem"],
                "pipeline": describe(p),
                "source": p["source"],
                "image_shape": list(p["X"].shape),
                "kernel_shape": list(p["K"].shape),
                "mistaken": e["mistaken"],
                **({k: e[k] for k in ("mistake", "explanations", "acceptable")} if e["mistaken"] else {}),
                "style": {k: v for k, v in e["style"].items() if v not in (False,)},
                "truth": np.round(t, 6).tolist(),
            }
            for e, p, t in zip(case["answers"], case["problems"], case["truths"])
        ],
    }
    (folder / "case.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n")
    return {"id": folder.name, "dir": f"cases/{folder.name}", "category": category, "acceptable": meta["acceptable"]}


def categories() -> list[tuple[str, int]]:
    cats = [("right", N_RIGHT)]
    cats += [(c, N_MISTAKE) for c in SINGLES + CELL_MISTAKES]
    cats += [("+".join(p), N_MISTAKE) for p in PAIRS]
    return cats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "cnncalc-diag-evalset"))
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args(argv)
    root = Path(args.out)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    start = time.perf_counter()
    index = []
    number = 0
    short: list[str] = []
    for k, (category, count) in enumerate(categories()):
        rng = np.random.default_rng([args.seed, k])
        made = 0
        for _attempt in range(count * 60):
            if made == count:
                break
            case = build_case(rng, category)
            if case is None:
                continue
            number += 1
            made += 1
            index.append(write_case(root, number, category, case))
        if made < count:
            short.append(f"{category}: {made}/{count}")
    (root / "index.json").write_text(json.dumps({"seed": args.seed, "cases": index}, indent=1) + "\n")
    took = time.perf_counter() - start
    print(f"{len(index)} cases in {root} ({took:.1f} s)")
    for s in short:
        print("short:", s, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
