"""Grouped and transposed convolution, F.pad-style padding, batch normalization,
adaptive pooling and the losses against PyTorch 2.13's answers
(``tests/golden/engine.json``, written by ``tests/make_engine_goldens.py``),
hand-checked grids, and Hypothesis against naive loops. Never imports torch.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnncalc.engine import adaptive, batchnorm, grouped, losses, ops, padding, transpose
from cnncalc.engine.arrays import Grads
from cnncalc.errors import CnncalcError
from cnncalc.messages import MESSAGES
from cnncalc.train import backward_conv, backward_loss, backward_norm

ParameterError = CnncalcError
ENGINE = Path(__file__).resolve().parent.parent / "cnncalc"

ATOL = 1e-9
DOC = json.loads((Path(__file__).resolve().parent / "golden" / "engine.json").read_text(encoding="utf-8"))
CASES = DOC["cases"]
VALID = [c for c in CASES if not c.get("error")]
REFUSED = [c for c in CASES if c.get("error")]


def _pad_fwd(input, pads, mode="constant", value=0.0):
    return padding.pad(input, pads, mode=mode, value=value)


def _pad_bwd(input, grad, pads, mode="constant", value=0.0):
    return backward_conv.pad_backward(input, grad, pads, mode=mode, value=value)


def _conv_fwd(input, weight, bias=None, **kwargs):
    """ops.conv2d, the function every command uses, with F.conv2d's argument names."""
    return ops.conv2d(input, weight, bias=bias, method="direct", **kwargs)


# one entry per golden op: (forward, backward); backward takes the forward's
# arguments plus grad= and returns Grads or the input's gradient
OPS = {
    "conv2d": (_conv_fwd, backward_conv.conv2d_grouped_backward),
    "conv_transpose2d": (transpose.conv_transpose2d, backward_conv.conv_transpose2d_backward),
    "pad": (_pad_fwd, _pad_bwd),
    "batch_norm": (batchnorm.batch_norm, backward_norm.batch_norm_backward),
    "adaptive_avg_pool2d": (adaptive.adaptive_avg_pool2d, backward_norm.adaptive_avg_pool2d_backward),
    "adaptive_max_pool2d": (adaptive.adaptive_max_pool2d, backward_norm.adaptive_max_pool2d_backward),
    "global_avg_pool2d": (adaptive.global_avg_pool2d, backward_norm.global_avg_pool2d_backward),
    **{
        name: (getattr(losses, name), getattr(backward_loss, name + "_backward"))
        for name in ("cross_entropy", "nll_loss", "mse_loss", "binary_cross_entropy",
                     "binary_cross_entropy_with_logits", "multi_margin_loss")
    },
}


def _arg(v):
    return np.asarray(v) if isinstance(v, list) else v


def _inputs(case):
    return {k: _arg(v) for k, v in case["inputs"].items()}


def _forward(case) -> dict:
    r = OPS[case["op"]][0](**_inputs(case), **case["kwargs"])
    if isinstance(r, batchnorm.BatchNormResult):
        return {"output": r.output, "running_mean": r.running_mean, "running_var": r.running_var}
    return {"output": r}


def _backward(case) -> dict:
    r = OPS[case["op"]][1](**_inputs(case), grad=_arg(case["grad_output"]), **case["kwargs"])
    if isinstance(r, Grads):
        return {"grad_input": r.input, "grad_weight": r.weight, "grad_bias": r.bias}
    return {"grad_input": r}


def errors(case) -> dict[str, float]:
    """Largest absolute difference from PyTorch per expected quantity."""
    got = {**_forward(case), **_backward(case)}
    out = {}
    for key, expected in case["expected"].items():
        if expected is None:
            assert got[key] is None, (case["id"], key)
            continue
        e = np.asarray(expected, dtype=np.float64)
        g = np.asarray(got[key], dtype=np.float64)
        assert g.shape == e.shape, (case["id"], key, g.shape, e.shape)
        out[key] = float(np.max(np.abs(g - e))) if e.size else 0.0
    return out


@pytest.mark.parametrize("case", VALID, ids=lambda c: c["id"])
def test_golden(case):
    worst = errors(case)
    assert set(worst) | {k for k, v in case["expected"].items() if v is None} == set(case["expected"])
    bad = {k: v for k, v in worst.items() if not v <= ATOL}
    assert not bad, (case["id"], bad)


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c["id"])
def test_refusal(case):
    fwd, bwd = OPS[case["op"]]
    with pytest.raises(ParameterError) as info:
        fwd(**_inputs(case), **case["kwargs"])
    assert info.value.key in MESSAGES
    for lang in ("en", "zh"):
        assert "{" not in info.value.message(lang)  # the sentence formats with the fields given
    with pytest.raises(ParameterError):
        bwd(**_inputs(case), grad=1.0, **case["kwargs"])


def test_inputs_are_not_written():
    for case in VALID[::7] + REFUSED[::3]:
        before = _inputs(case)
        args = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in before.items()}
        for fn in OPS[case["op"]]:
            try:
                fn(**args, **({"grad": _arg(case.get("grad_output", 1.0))} if fn is OPS[case["op"]][1] else {}),
                   **case["kwargs"])
            except ParameterError:
                pass
        for k, v in before.items():
            if isinstance(v, np.ndarray):
                np.testing.assert_array_equal(args[k], v)


def test_golden_covers_every_parameter():
    ops = {c["op"] for c in VALID}
    assert ops == set(OPS)
    seen = {op: set().union(*({*c["kwargs"], *c["inputs"]} for c in VALID if c["op"] == op)) for op in ops}
    assert seen["conv_transpose2d"] >= {"stride", "padding", "output_padding", "dilation", "groups", "bias"}
    assert seen["conv2d"] >= {"stride", "padding", "dilation", "groups", "padding_mode", "padding_value", "bias"}
    assert seen["batch_norm"] >= {"training", "momentum", "eps", "running_mean", "running_var", "weight", "bias"}
    convs = [c for c in VALID if c["op"] == "conv2d"]
    assert any(len(np.shape(c["inputs"]["input"])) == 4 for c in convs)
    assert any(c["kwargs"].get("groups") == np.shape(c["inputs"]["input"])[-3] > 1 for c in convs)  # depthwise
    assert any(isinstance(c["kwargs"].get("padding"), list) and len(c["kwargs"]["padding"]) == 4 for c in convs)
    assert any(c["kwargs"].get("padding_value", 0) < 0 for c in convs)
    bns = [c for c in VALID if c["op"] == "batch_norm"]
    assert {c["kwargs"]["training"] for c in bns} == {True, False}
    assert {len(np.shape(c["inputs"]["input"])) for c in bns} == {3, 4}
    sizes = [(np.shape(c["inputs"]["input"])[-2:], c["kwargs"]["output_size"]) for c in VALID if "adaptive" in c["op"]]
    assert any(isinstance(o, list) and o[0] and o[0] > hw[0] for hw, o in sizes)  # larger than the input
    assert any(isinstance(o, list) and o[0] and hw[0] % o[0] for hw, o in sizes)  # non-divisible
    for op in ("cross_entropy", "nll_loss", "multi_margin_loss"):
        ranks = {np.ndim(c["inputs"]["input"]) for c in VALID if c["op"] == op}
        assert ranks == {1, 2}, op
    assert len(REFUSED) > 100 and sum(1 for c in REFUSED if c["torch_error"] is None) >= 5


def test_every_message_key_has_both_languages():
    """Each key raised in the new modules has an English and a Chinese sentence."""
    used = set()
    for name in ("engine/arrays.py", "engine/padding.py", "engine/grouped.py", "engine/transpose.py",
                 "engine/batchnorm.py", "engine/adaptive.py", "engine/losses.py", "train/backward_conv.py",
                 "train/backward_norm.py", "train/backward_loss.py"):
        used |= set(re.findall(r'"((?:param|shape)\.[a-z_]+)"', (ENGINE / name).read_text(encoding="utf-8")))
    assert used
    for key in used:
        assert set(MESSAGES[key]) >= {"en", "zh"}, key


def test_grouped_reference_agrees_with_ops_conv2d():
    """engine.grouped (the backward's plan) and ops.conv2d (the commands' conv) give the same maps."""
    for case in [c for c in VALID if c["op"] == "conv2d"][::5]:
        args = _inputs(case)
        np.testing.assert_allclose(
            grouped.conv2d_grouped(**args, **case["kwargs"]), _forward(case)["output"], atol=1e-12
        )


# --------------------------------------------------------------------------- hand-checked grids

X22 = np.array([[[1.0, 2.0], [3.0, 4.0]]])
K22 = np.array([[[[1.0, 10.0], [100.0, 1000.0]]]])  # the digits show which kernel cell a number came from


def test_transpose_stride2_stamps_the_kernel():
    assert transpose.conv_transpose2d(X22, K22, stride=2).tolist() == [[
        [1.0, 10.0, 2.0, 20.0],
        [100.0, 1000.0, 200.0, 2000.0],
        [3.0, 30.0, 4.0, 40.0],
        [300.0, 3000.0, 400.0, 4000.0],
    ]]


def test_transpose_stride1_overlaps_add():
    assert transpose.conv_transpose2d(X22, K22).tolist() == [[
        [1.0, 12.0, 20.0],
        [103.0, 1234.0, 2040.0],
        [300.0, 3400.0, 4000.0],
    ]]


def test_transpose_padding_cuts_and_output_padding_adds_a_zero_edge():
    # the 4x4 stride-2 map above, its border cut (padding=1) ...
    assert transpose.conv_transpose2d(X22, K22, stride=2, padding=1).tolist() == [[[1000.0, 200.0], [30.0, 4.0]]]
    # ... and one more row/column at the bottom/right (output_padding=1): 3x3
    assert transpose.conv_transpose2d(X22, K22, stride=2, padding=1, output_padding=1).tolist() == [[
        [1000.0, 200.0, 2000.0],
        [30.0, 4.0, 40.0],
        [3000.0, 400.0, 4000.0],
    ]]


def test_transpose_backward_by_hand():
    # every output cell's gradient is 1: each input cell collects the kernel's sum
    r = backward_conv.conv_transpose2d_backward(X22, K22, np.ones((1, 4, 4)), np.zeros(1), stride=2)
    assert r.input.tolist() == [[[1111.0, 1111.0], [1111.0, 1111.0]]]
    assert r.weight.tolist() == [[[[10.0, 10.0], [10.0, 10.0]]]]
    assert r.bias.tolist() == [16.0]


def test_constant_padding_value_and_asymmetric_pads():
    x = np.array([[[1.0, 2.0], [3.0, 4.0]]])
    # (left, right, top, bottom) = (1, 0, 0, 0) with 5: [[5, 1, 2], [5, 3, 4]]
    assert padding.pad(x, (1, 0, 0, 0), value=5.0).tolist() == [[[5.0, 1.0, 2.0], [5.0, 3.0, 4.0]]]
    out = grouped.conv2d_grouped(x, np.ones((1, 1, 2, 2)), padding=(1, 0, 0, 0), padding_mode="constant", padding_value=5.0)
    assert out.tolist() == [[[14.0, 10.0]]]
    g = backward_conv.conv2d_grouped_backward(x, np.ones((1, 1, 2, 2)), np.ones((1, 1, 2)), padding=(1, 0, 0, 0),
                                padding_mode="constant", padding_value=5.0)
    assert g.input.tolist() == [[[2.0, 1.0], [2.0, 1.0]]]  # the fill cells take no gradient
    assert g.weight.tolist() == [[[[6.0, 3.0], [8.0, 7.0]]]]  # 5+1, 1+2 / 5+3, 3+4: the fill feeds the weight's


def test_depthwise_with_channel_multiplier():
    x = np.stack([np.ones((2, 2)), 2 * np.ones((2, 2))])
    w = np.array([1.0, -1.0, 10.0, 100.0]).reshape(4, 1, 1, 1)  # two filters per channel
    assert grouped.conv2d_grouped(x, w, groups=2)[:, 0, 0].tolist() == [1.0, -1.0, 20.0, 200.0]


def test_reflect_pad_backward_by_hand():
    # reflect of [a, b, c] by (2, 1): [c, b, a, b, c, b]; gradients 0..5 fold back
    assert backward_conv.pad_backward(np.zeros((1, 3)), np.arange(6.0)[None], (2, 1, 0, 0), mode="reflect").tolist() == [
        [2.0, 9.0, 4.0]
    ]


def test_adaptive_windows_by_hand():
    assert [b.tolist() for b in adaptive.window_bounds(5, 3)] == [[0, 1, 3], [2, 4, 5]]
    assert [b.tolist() for b in adaptive.window_bounds(2, 4)] == [[0, 0, 1, 1], [1, 1, 2, 2]]
    x = np.arange(5.0).reshape(1, 1, 5)
    assert adaptive.adaptive_avg_pool2d(x, (1, 3)).tolist() == [[[0.5, 2.0, 3.5]]]
    assert adaptive.adaptive_max_pool2d(x, (1, 3)).tolist() == [[[1.0, 3.0, 4.0]]]
    # cell 1 is in windows 0 and 1: it collects both shares (1/2 of 2 and 1/3 of 3)
    assert backward_norm.adaptive_avg_pool2d_backward(x, np.array([[[2.0, 3.0, 4.0]]]), (1, 3)).tolist() == [
        [[1.0, 2.0, 1.0, 3.0, 2.0]]
    ]


def test_adaptive_max_ties_go_to_the_first_cell():
    x = np.ones((1, 2, 3))
    assert backward_norm.adaptive_max_pool2d_backward(x, np.array([[[5.0]]]), 1).tolist() == [
        [[5.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    ]


def test_batch_norm_by_hand():
    # one channel, values 1 and 3: mean 2, biased variance 1 -> (-1, 1);
    # unbiased variance 2; running var 0.5*1 + 0.5*2 = 1.5, running mean 0.5*0 + 0.5*2 = 1
    r = batchnorm.batch_norm(np.array([[[1.0, 3.0]]]), np.zeros(1), np.ones(1), training=True, momentum=0.5, eps=1e-300)
    assert (r.output.tolist(), r.running_mean.tolist(), r.running_var.tolist()) == ([[[-1.0, 1.0]]], [1.0], [1.5])
    e = batchnorm.batch_norm(np.full((1, 1, 1), 5.0), np.array([1.0]), np.array([4.0]), np.array([3.0]), np.array([1.0]),
                             eps=0.0)
    assert e.output.tolist() == [[[7.0]]]  # (5 - 1) / 2 * 3 + 1


def test_losses_by_hand():
    assert losses.binary_cross_entropy(np.array([0.0, 1.0]), np.array([1.0, 0.0])) == 100.0
    assert round(losses.multi_margin_loss(np.array([[0.1, 0.2, 0.4, 0.8]]), [3]), 12) == 0.325
    assert losses.nll_loss(np.array([[-1.0, -2.0], [-3.0, -4.0]]), [1, 0]) == 2.5
    assert backward_loss.mse_loss_backward(np.array([1.0, 3.0]), np.array([0.0, 1.0])).tolist() == [1.0, 2.0]
    assert backward_loss.multi_margin_loss_backward(np.array([1.0, 0.0, 0.5]), 0).tolist() == [-1 / 3, 0.0, 1 / 3]


# --------------------------------------------------------------------------- Hypothesis against naive loops

small = st.integers(1, 3)
PROPS = settings(max_examples=40, deadline=None)


def _arrays(draw, shape):
    return np.array(draw(st.lists(st.integers(-4, 4), min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))),
                    dtype=np.float64).reshape(shape)


@st.composite
def transpose_cases(draw):
    g, cg, og = draw(st.integers(1, 2)), draw(small), draw(small)
    n, h, w, kh, kw = draw(st.integers(1, 2)), draw(small), draw(small), draw(small), draw(small)
    s, d = (draw(small), draw(small)), (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    op = tuple(draw(st.integers(0, max(s[a], d[a]) - 1)) for a in (0, 1))
    p = (draw(st.integers(0, 1)), draw(st.integers(0, 1)))
    x = _arrays(draw, (n, g * cg, h, w))
    wt = _arrays(draw, (g * cg, og, kh, kw))
    return x, wt, {"stride": s, "padding": p, "output_padding": op, "dilation": d, "groups": g}


def naive_transpose(x, wt, stride, padding, output_padding, dilation, groups):
    n, c, h, w = x.shape
    _, og, kh, kw = wt.shape
    cg = c // groups
    fh = (h - 1) * stride[0] + dilation[0] * (kh - 1) + 1 + output_padding[0]
    fw = (w - 1) * stride[1] + dilation[1] * (kw - 1) + 1 + output_padding[1]
    full = np.zeros((n, og * groups, fh, fw))
    for b, ci, i, j, o, a, e in itertools.product(range(n), range(c), range(h), range(w), range(og), range(kh), range(kw)):
        full[b, (ci // cg) * og + o, i * stride[0] + a * dilation[0], j * stride[1] + e * dilation[1]] += x[b, ci, i, j] * wt[ci, o, a, e]
    return full[:, :, padding[0] : fh - padding[0], padding[1] : fw - padding[1]]


@PROPS
@given(transpose_cases())
def test_transpose_matches_naive_scatter(case):
    x, wt, kw = case
    try:
        got = transpose.conv_transpose2d(x, wt, **kw)
    except ParameterError as exc:
        assert exc.key == "param.transpose_output"
        return
    np.testing.assert_array_equal(got, naive_transpose(x, wt, **kw))


@PROPS
@given(transpose_cases(), st.data())
def test_transpose_is_the_adjoint_of_conv(case, data):
    """<conv_transpose(x), y> = <x, conv2d(y)> with the same weight seen as (out, in/groups, ...)."""
    x, wt, kw = case
    try:
        out = transpose.conv_transpose2d(x, wt, **kw)
    except ParameterError:
        return
    y = _arrays(data.draw, out.shape)
    g = kw["groups"]
    cg, og = wt.shape[0] // g, wt.shape[1]
    # (G, cg, og, kh, kw) -> (G, og, cg, kh, kw) -> (C_in, og, ...) as a conv weight from og*g to C_in channels
    w_conv = wt.reshape(g, cg, og, *wt.shape[2:]).swapaxes(1, 2).reshape(g * og, cg, *wt.shape[2:])
    w_conv = w_conv.reshape(g, og, cg, *wt.shape[2:]).swapaxes(1, 2).reshape(g * cg, og, *wt.shape[2:])
    back = grouped.conv2d_grouped(y, w_conv, stride=kw["stride"], padding=kw["padding"], dilation=kw["dilation"], groups=g)
    back = back[:, :, : x.shape[2], : x.shape[3]]
    assert abs(float((out * y).sum()) - float((x * back).sum())) < 1e-9
    # and the backward pass's input gradient is exactly that conv
    np.testing.assert_allclose(backward_conv.conv_transpose2d_backward(x, wt, y, **kw).input, back, atol=1e-12)


@st.composite
def conv_cases(draw):
    g, cg, og = draw(st.integers(1, 2)), draw(small), draw(small)
    n, h, w, kh, kw = draw(st.integers(1, 2)), draw(st.integers(2, 4)), draw(st.integers(2, 4)), draw(small), draw(small)
    pads = tuple(draw(st.integers(-1, 2)) for _ in range(4))
    x = _arrays(draw, (n, g * cg, h, w))
    wt = _arrays(draw, (g * og, cg, kh, kw))
    kwargs = {"stride": (draw(small), draw(small)), "dilation": (draw(st.integers(1, 2)), draw(st.integers(1, 2))),
                  "groups": g, "padding": pads, "padding_mode": "constant", "padding_value": float(draw(st.integers(-3, 3)))}
    return x, wt, kwargs


def naive_conv(x, wt, stride, dilation, groups, padding, padding_mode, padding_value):
    left, right, top, bottom = padding
    n, c, h, w = x.shape
    rows = range(-top, h + bottom)
    cols = range(-left, w + right)
    xp = np.array([[[[x[b, ci, i, j] if 0 <= i < h and 0 <= j < w else padding_value for j in cols] for i in rows]
                     for ci in range(c)] for b in range(n)])
    o, cg, kh, kw = wt.shape
    ho = (xp.shape[2] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    wo = (xp.shape[3] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((n, o, ho, wo))
    og = o // groups
    for b, m, i, j, ci, a, e in itertools.product(range(n), range(o), range(ho), range(wo), range(cg), range(kh), range(kw)):
        out[b, m, i, j] += wt[m, ci, a, e] * xp[b, (m // og) * cg + ci, i * stride[0] + a * dilation[0], j * stride[1] + e * dilation[1]]
    return out


@PROPS
@given(conv_cases())
def test_grouped_conv_matches_naive_loops(case):
    x, wt, kw = case
    try:
        got = grouped.conv2d_grouped(x, wt, **kw)
    except ParameterError as exc:
        assert exc.key in ("param.kernel_too_large", "param.crop_too_large")
        return
    np.testing.assert_array_equal(got, naive_conv(x, wt, **kw))


def _numeric_grad(f, x, eps=1e-6):
    g = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):  # a handful of cells: a finite-difference check, not a kernel
        d = np.zeros(x.shape)
        d[idx] = eps
        g[idx] = (f(x + d) - f(x - d)) / (2 * eps)
    return g


@PROPS
@given(conv_cases(), st.data())
def test_grouped_conv_backward_is_the_derivative(case, data):
    x, wt, kw = case
    try:
        out = grouped.conv2d_grouped(x, wt, **kw)
    except ParameterError:
        return
    y = _arrays(data.draw, out.shape)
    r = backward_conv.conv2d_grouped_backward(x, wt, y, np.zeros(wt.shape[0]), **kw)
    np.testing.assert_allclose(r.input, _numeric_grad(lambda v: (grouped.conv2d_grouped(v, wt, **kw) * y).sum(), x), atol=1e-5)
    np.testing.assert_allclose(r.weight, _numeric_grad(lambda v: (grouped.conv2d_grouped(x, v, **kw) * y).sum(), wt), atol=1e-5)
    assert r.bias.tolist() == y.sum(axis=(0, 2, 3)).tolist()


@PROPS
@given(st.data())
def test_adaptive_pools_match_naive_windows(data):
    h, w = data.draw(st.integers(1, 6)), data.draw(st.integers(1, 6))
    oh, ow = data.draw(st.integers(1, 7)), data.draw(st.integers(1, 7))
    x = _arrays(data.draw, (2, h, w))
    avg = np.zeros((2, oh, ow))
    mx = np.zeros((2, oh, ow))
    for i, j in itertools.product(range(oh), range(ow)):
        win = x[:, (i * h) // oh : -(-(i + 1) * h // oh), (j * w) // ow : -(-(j + 1) * w // ow)]
        avg[:, i, j] = win.mean(axis=(1, 2))
        mx[:, i, j] = win.max(axis=(1, 2))
    np.testing.assert_allclose(adaptive.adaptive_avg_pool2d(x, (oh, ow)), avg, atol=1e-12)
    np.testing.assert_array_equal(adaptive.adaptive_max_pool2d(x, (oh, ow)), mx)
    y = _arrays(data.draw, (2, oh, ow))
    np.testing.assert_allclose(backward_norm.adaptive_avg_pool2d_backward(x, y, (oh, ow)),
                               _numeric_grad(lambda v: (adaptive.adaptive_avg_pool2d(v, (oh, ow)) * y).sum(), x), atol=1e-5)
    # max: the gradient lands on maxima only and keeps the total
    gm = backward_norm.adaptive_max_pool2d_backward(x, y, (oh, ow))
    assert abs(gm.sum() - y.sum()) < 1e-9


@PROPS
@given(st.data())
def test_batch_norm_train_matches_naive_and_derivative(data):
    n, c, h, w = data.draw(st.integers(1, 3)), data.draw(small), data.draw(small), data.draw(small)
    if n * h * w < 2:
        return
    x = _arrays(data.draw, (n, c, h, w)) + np.linspace(0, 0.5, n * c * h * w).reshape(n, c, h, w)
    wt, b = _arrays(data.draw, (c,)), _arrays(data.draw, (c,))
    rm, rv = np.zeros(c), np.ones(c)
    r = batchnorm.batch_norm(x, rm, rv, wt, b, training=True, momentum=0.25, eps=0.01)
    for ch in range(c):
        vals = [float(v) for v in x[:, ch].ravel()]
        mean = sum(vals) / len(vals)
        var = sum((v - mean) ** 2 for v in vals) / len(vals)
        expect = (x[:, ch] - mean) / (var + 0.01) ** 0.5 * wt[ch] + b[ch]
        np.testing.assert_allclose(r.output[:, ch], expect, atol=1e-9)
        assert abs(r.running_var[ch] - (0.75 + 0.25 * var * len(vals) / (len(vals) - 1))) < 1e-9
    y = _arrays(data.draw, x.shape)
    f = lambda v: (batchnorm.batch_norm(v, rm, rv, wt, b, training=True, eps=0.01).output * y).sum()
    g = backward_norm.batch_norm_backward(x, y, rm, rv, wt, b, training=True, eps=0.01)
    np.testing.assert_allclose(g.input, _numeric_grad(f, x), atol=1e-4)


@PROPS
@given(st.data())
def test_loss_gradients_are_derivatives(data):
    n, c = data.draw(st.integers(1, 3)), data.draw(st.integers(2, 4))
    x = _arrays(data.draw, (n, c)) / 2
    t = data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n))
    p = np.clip(np.abs(x) / 5 + 0.05, 0.05, 0.95)
    soft = np.clip(_arrays(data.draw, (n, c)) / 8 + 0.5, 0, 1)
    cases = [
        (losses.cross_entropy, backward_loss.cross_entropy_backward, x, t, {}),
        (losses.nll_loss, backward_loss.nll_loss_backward, x, t, {}),
        (losses.multi_margin_loss, backward_loss.multi_margin_loss_backward, x + 0.01 * np.arange(c), t, {"p": 2}),
        (losses.mse_loss, backward_loss.mse_loss_backward, x, soft, {}),
        (losses.binary_cross_entropy, backward_loss.binary_cross_entropy_backward, p, soft, {}),
        (losses.binary_cross_entropy_with_logits, backward_loss.binary_cross_entropy_with_logits_backward, x, soft, {}),
    ]
    for fwd, bwd, inp, target, kw in cases:
        numeric = _numeric_grad(lambda v, f=fwd, t=target, k=kw: f(v, t, **k), inp)
        np.testing.assert_allclose(bwd(inp, target, 1.0, **kw), numeric, atol=1e-5, err_msg=fwd.__name__)
    # naive per-sample loops for the class losses
    ce = sum(-x[i, t[i]] + np.log(sum(np.exp(x[i]))) for i in range(n)) / n
    hinge = sum(max(0.0, 1 - x[i, t[i]] + x[i, j]) for i in range(n) for j in range(c) if j != t[i]) / (n * c)
    assert abs(losses.cross_entropy(x, t) - ce) < 1e-9
    assert abs(losses.multi_margin_loss(x, t) - hinge) < 1e-9


@PROPS
@given(st.data())
def test_pad_matches_naive(data):
    h, w = data.draw(st.integers(2, 4)), data.draw(st.integers(2, 4))
    pads = tuple(data.draw(st.integers(-1, 3)) for _ in range(4))
    x = _arrays(data.draw, (2, h, w))
    left, right, top, bottom = pads
    assume(w + min(left, 0) + min(right, 0) >= 1 and h + min(top, 0) + min(bottom, 0) >= 1)
    expect = np.array([[[x[c, i, j] if 0 <= i < h and 0 <= j < w else -7.0 for j in range(-left, w + right)]
                        for i in range(-top, h + bottom)] for c in range(2)])
    np.testing.assert_array_equal(padding.pad(x, pads, value=-7.0), expect)
    y = _arrays(data.draw, expect.shape)
    np.testing.assert_allclose(backward_conv.pad_backward(x, y, pads),
                               _numeric_grad(lambda v: (padding.pad(v, pads, value=-7.0) * y).sum(), x), atol=1e-6)


# --------------------------------------------------------------------------- ops.conv2d's new options, limits


def test_conv2d_groups_read_kernel_blocks_per_group():
    x = np.stack([np.ones((2, 2)), 2 * np.ones((2, 2))])
    blocks = np.stack([np.ones((1, 1)), 10 * np.ones((1, 1))])  # depthwise: one 1x1 block per channel
    assert ops.conv2d(x, blocks, groups=2)[:, 0, 0].tolist() == [1.0, 20.0]
    # four blocks, two channels, groups 2: two filters per channel (a channel multiplier)
    four = np.array([1.0, -1.0, 10.0, 100.0]).reshape(4, 1, 1)
    assert ops.conv2d(x, four, groups=2)[:, 0, 0].tolist() == [1.0, -1.0, 20.0, 200.0]
    with pytest.raises(CnncalcError) as info:
        ops.conv2d(x, four, groups=3)
    assert info.value.key == "param.groups_divide"


def test_conv2d_four_pads_as_text_and_constant_value():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    # (left, right, top, bottom) = (1, 0, 0, 0), filled with 5: [[5, 1, 2], [5, 3, 4]]
    got = ops.conv2d(x, np.ones((2, 2)), padding="1,0,0,0", padding_mode="constant", padding_value=5.0)
    assert got.tolist() == [[14.0, 10.0]]
    with pytest.raises(CnncalcError) as info:
        ops.conv2d(x, np.ones((2, 2)), padding=1, padding_mode="reflect", padding_value=2.0)
    assert info.value.key == "param.padding_value_mode"
    with pytest.raises(CnncalcError) as info:
        ops.conv2d(x, np.ones((1, 1)), padding=(-1, -1, 0, 0))
    assert info.value.key == "param.crop_too_large"


def test_conv2d_batch_is_one_map_per_image():
    xs = np.arange(18.0).reshape(2, 1, 3, 3)
    got = ops.conv2d(xs, np.ones((1, 1, 2, 2)))
    assert got.shape == (2, 1, 2, 2)
    assert got[1].tolist() == ops.conv2d(xs[1], np.ones((1, 1, 2, 2))).tolist()


def test_new_ops_respect_the_cell_limit(monkeypatch):
    monkeypatch.setattr(ops, "MAX_RESULT_CELLS", 10)
    calls = [
        lambda: transpose.conv_transpose2d(np.ones((1, 2, 2)), np.ones((1, 1, 3, 3)), stride=2),
        lambda: adaptive.adaptive_avg_pool2d(np.ones((1, 2, 2)), 4),
        lambda: adaptive.adaptive_max_pool2d(np.ones((1, 2, 2)), 4),
        lambda: ops.conv2d(np.ones((4, 4)), np.ones((1, 1)), groups=1),
    ]
    for call in calls:
        with pytest.raises(CnncalcError) as info:
            call()
        assert info.value.key == "limit.cells"


def test_new_ops_refuse_overflow():
    big = np.full((1, 2, 2), 1e308)
    for call in (
        lambda: transpose.conv_transpose2d(big, np.full((1, 1, 2, 2), 10.0)),
        lambda: batchnorm.batch_norm(big, np.zeros(1), np.full(1, 1e-300), np.full(1, 1e300)),
        lambda: losses.mse_loss(big, -big),
    ):
        with pytest.raises(CnncalcError) as info:
            call()
        assert info.value.key == "param.overflow"


@PROPS
@given(transpose_cases())
def test_spread_input_view_is_the_transposed_convolution(case):
    """The convolution-arithmetic figure: input spread by the stride, padded, conv with the kernel rotated."""
    x, wt, kw = case
    try:
        full = transpose.conv_transpose2d(x[:1], wt, **kw)
    except ParameterError:
        return
    for m in range(full.shape[1]):
        spread, kernel = transpose.spread_convolution(x[:1], wt, map=m + 1, **kw)
        got = ops.conv2d(spread, kernel, dilation=kw["dilation"], method="direct")
        np.testing.assert_allclose(got.reshape(full.shape[2:]), full[0, m], atol=1e-12)
