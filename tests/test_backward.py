"""Backward passes: hand-checked gradients, finite differences and naive loops.

Every gradient is checked three ways: small cases worked out by hand (the
numbers in the asserts can be recomputed on paper), central finite differences
of L = Σ g·f(x) over random configurations drawn by Hypothesis, and, for max
pooling's routing of ties, a naive loop over windows that follows PyTorch's
rule (first maximum in row-major window order).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncalc.engine import ops
from cnncalc.errors import ParameterError
from cnncalc.train import backward as B

# --------------------------------------------------------------------------- helpers


def numeric_grad(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar function ``f`` at ``x``."""
    x = np.array(x, dtype=np.float64)
    out = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += eps
        minus[idx] -= eps
        out[idx] = (f(plus) - f(minus)) / (2 * eps)
    return out


def assert_grad(analytic, numeric, tol: float = 1e-6) -> None:
    analytic = np.asarray(analytic, dtype=np.float64)
    assert analytic.shape == np.shape(numeric)
    scale = max(1.0, float(np.max(np.abs(numeric))) if np.size(numeric) else 1.0)
    np.testing.assert_allclose(analytic, numeric, rtol=0, atol=tol * scale)


# --------------------------------------------------------------------------- by hand


def test_conv_gradients_by_hand():
    # x = 0..8 in a 3x3, kernel 2x2 of ones, upstream gradient all ones:
    # dW[a, b] is the sum of the 2x2 block of x starting at (a, b).
    x = np.arange(9.0).reshape(3, 3)
    g = B.conv2d_backward(x, np.ones((2, 2)), np.ones((2, 2)), bias=0.5)
    assert g.weight.tolist() == [[0 + 1 + 3 + 4, 1 + 2 + 4 + 5], [3 + 4 + 6 + 7, 4 + 5 + 7 + 8]]
    # each input cell receives one 1 per window that covers it
    assert g.input.tolist() == [[1, 2, 1], [2, 4, 2], [1, 2, 1]]
    assert g.bias == 4.0


def test_conv_mean_norm_divides_weight_and_input_grads_not_bias():
    x = np.arange(9.0).reshape(3, 3)
    g = B.conv2d_backward(x, np.ones((2, 2)), np.ones((2, 2)), norm="mean", bias=np.array([1.0]))
    assert g.weight.tolist() == [[2.0, 3.0], [5.0, 6.0]]
    assert g.input.tolist() == [[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]]
    assert g.bias.tolist() == [4.0]


def test_conv_flip_flips_the_weight_gradient():
    x = np.arange(9.0).reshape(3, 3)
    k = np.array([[1.0, 2.0], [3.0, 4.0]])
    gout = np.array([[1.0, 0.0], [0.0, 0.0]])  # only output (1, 1): window x[0:2, 0:2]
    plain = B.conv2d_backward(x, k, gout)
    flipped = B.conv2d_backward(x, k, gout, flip=True)
    assert plain.weight.tolist() == [[0.0, 1.0], [3.0, 4.0]]
    assert flipped.weight.tolist() == [[4.0, 3.0], [1.0, 0.0]]
    # input gradient: the (flipped) kernel laid on the window
    assert flipped.input.tolist() == [[4.0, 3.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 0.0]]


def test_conv_stride_and_dilation_pick_the_right_cells():
    x = np.arange(25.0).reshape(5, 5)
    gout = np.array([[1.0, 10.0], [100.0, 1000.0]])
    # 1x1 kernel, stride 2: output (i, j) reads x[2i, 2j]
    g = B.conv2d_backward(x, np.ones((1, 1)), np.ones((3, 3)), stride=2)
    assert g.weight.tolist() == [[0 + 2 + 4 + 10 + 12 + 14 + 20 + 22 + 24]]
    # 2x2 kernel dilated by 3 on 5x5: output 2x2, tap (1, 1) reads x[3 + i, 3 + j]
    g = B.conv2d_backward(x, np.ones((2, 2)), gout, dilation=3)
    assert g.weight[1, 1] == 18 * 1 + 19 * 10 + 23 * 100 + 24 * 1000
    assert g.weight[0, 0] == 0 * 1 + 1 * 10 + 5 * 100 + 6 * 1000


def test_conv_bank_and_channels_shapes():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 4, 4))
    # one filter across both channels: (2, kh, kw) kernel, 2-D result
    g = B.conv2d_backward(x, rng.normal(size=(2, 3, 3)), np.ones((2, 2)))
    assert g.weight.shape == (2, 3, 3) and g.input.shape == (2, 4, 4)
    # full (M, C, kh, kw) weight with a bias per filter
    g = B.conv2d_backward(x, rng.normal(size=(3, 2, 2, 2)), np.ones((3, 3, 3)), bias=np.zeros(3))
    assert g.weight.shape == (3, 2, 2, 2) and g.bias.tolist() == [9.0, 9.0, 9.0]
    # a bank on a one-channel image, one shared bias number
    g = B.conv2d_backward(np.ones((3, 3)), np.ones((4, 2, 2)), np.ones((4, 2, 2)), bias=0.3)
    assert g.weight.shape == (4, 2, 2) and g.bias == 16.0 and g.input.shape == (3, 3)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        # 1x3 row padded by 2 on the left and 1 on the right = 6 cells of gradient 1..6
        ("zeros", [[3.0, 4.0, 5.0]]),
        ("replicate", [[1 + 2 + 3, 4.0, 5 + 6]]),  # left pads copy x1, the right pad x3
        ("reflect", [[3.0, 4 + 2 + 6, 5 + 1]]),  # pads hold x3 x2 | x1 x2 x3 | x2
        ("circular", [[3 + 6, 1 + 4, 2 + 5]]),  # pads hold x2 x3 | x1 x2 x3 | x1
    ],
)
def test_pad_backward_folds_onto_source_cells(mode, expected):
    g = np.arange(1.0, 7.0)[None]
    assert B.pad_backward(g, (0, 0, 2, 1), mode, (1, 3)).tolist() == expected


def test_pad_backward_both_axes_replicate_corner():
    # a 1x1 input replicated into 3x3: every padded cell is a copy of it
    assert B.pad_backward(np.ones((3, 3)), (1, 1, 1, 1), "replicate", (1, 1)).tolist() == [[9.0]]


def test_max_pool_routes_ties_to_the_first_maximum_and_accumulates():
    x = np.array([[1.0, 3.0, 3.0], [0.0, 2.0, 1.0]])
    # windows (size 2, stride 1): [[1,3],[0,2]] max 3 at (1,2); [[3,3],[2,1]] first max (1,2)
    g = B.pool2d_backward(x, np.array([[1.0, 10.0]]), kind="max", size=2, stride=1)
    assert g.tolist() == [[0.0, 11.0, 0.0], [0.0, 0.0, 0.0]]


def test_max_pool_all_equal_window_takes_top_left():
    g = B.pool2d_backward(np.zeros((2, 2)), np.array([[5.0]]), kind="max", size=2)
    assert g.tolist() == [[5.0, 0.0], [0.0, 0.0]]


def test_max_pool_padding_never_gets_gradient():
    # all values negative: the -inf padding never wins. Size 3, padding 1, stride 1 on a
    # 2x2 input gives 2x2 windows that each cover the four real cells: all pick x12 = -1.
    x = np.array([[-5.0, -1.0], [-2.0, -3.0]])
    g = B.pool2d_backward(x, np.array([[1.0, 2.0], [3.0, 4.0]]), kind="max", size=3, stride=1,
                          padding=1)
    assert g.tolist() == [[0.0, 10.0], [0.0, 0.0]]


def test_mean_pool_ceil_mode_and_count_include_pad_divisors():
    x = np.array([[1.0, 2.0, 3.0, 4.0, 5.0]])
    # size (1,2) stride 2 ceil_mode: windows [1,2] [3,4] [5]; the last has one cell
    g = B.pool2d_backward(x, np.array([[2.0, 4.0, 6.0]]), kind="mean", size=(1, 2), ceil_mode=True)
    assert g.tolist() == [[1.0, 1.0, 2.0, 2.0, 6.0]]
    # size (1,3) stride 2 padding (0,1): windows [p,1,2] [2,3,4] [4,5,p]
    kw = {"kind": "mean", "size": (1, 3), "stride": 2, "padding": (0, 1)}
    with_pad = B.pool2d_backward(x, np.array([[3.0, 3.0, 3.0]]), **kw)
    assert with_pad.tolist() == [[1.0, 2.0, 1.0, 2.0, 1.0]]  # every divisor 3
    without = B.pool2d_backward(x, np.array([[2.0, 3.0, 2.0]]), count_include_pad=False, **kw)
    assert without.tolist() == [[1.0, 2.0, 1.0, 2.0, 1.0]]  # divisors 2, 3, 2


def test_sum_pool_gradient_goes_to_real_cells():
    # size 2, stride 2, padding 1 on 2x3: windows read x11 | x12 x13 / x21 | x22 x23
    g = B.pool2d_backward(np.ones((2, 3)), np.array([[1.0, 10.0], [100.0, 1000.0]]),
                          kind="sum", size=2, padding=1)
    assert g.tolist() == [[1.0, 10.0, 10.0], [100.0, 1000.0, 1000.0]]


def test_max_pool_window_entirely_in_padding_is_refused():
    # size 2, dilation 3, padding 1 on 2x2: the only window reads cells -1 and 2
    with pytest.raises(ParameterError) as info:
        B.pool2d_backward(np.ones((2, 2)), np.zeros((1, 1)), kind="max", size=2, stride=1,
                          padding=1, dilation=3)
    assert "lies entirely in the padding" in str(info.value)
    assert np.isneginf(ops.pool2d(np.ones((2, 2)), kind="max", size=2, stride=1, padding=1,
                                  dilation=3)).all()


def test_relu_gradient_is_zero_at_exactly_zero():
    x = np.array([-1.0, 0.0, 1e-300, 2.0])
    assert B.relu_backward(x, np.ones(4)).tolist() == [0.0, 0.0, 1.0, 1.0]
    assert B.leaky_relu_backward(x, np.ones(4), 0.2).tolist() == [0.2, 0.2, 1.0, 1.0]


def test_activation_gradients_by_hand():
    assert B.sigmoid_backward(np.array([0.5, 0.25]), np.array([1.0, 4.0])).tolist() == [0.25, 0.75]
    assert B.tanh_backward(np.array([0.0, 0.5]), np.array([2.0, 4.0])).tolist() == [2.0, 3.0]
    # softmax (0.5, 0.5) with upstream (1, 0): 0.5·(1 − 0.5) and 0.5·(0 − 0.5)
    assert B.softmax_backward(np.array([0.5, 0.5]), np.array([1.0, 0.0])).tolist() == [0.25, -0.25]
    assert B.flatten_backward((1, 2, 2), np.arange(4.0)).shape == (1, 2, 2)


def test_linear_gradients_by_hand():
    x = np.array([1.0, 2.0, 3.0])
    w = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
    g = B.linear_backward(x, w, np.array([1.0, -2.0]), np.array([0.5, 0.5]))
    assert g.weight.tolist() == [[1.0, 2.0, 3.0], [-2.0, -4.0, -6.0]]
    assert g.bias.tolist() == [1.0, -2.0]
    assert g.input.tolist() == [1 - 4, -2, -1]
    shared = B.linear_backward(x, w, np.array([1.0, -2.0]), np.array([0.5]))
    assert shared.bias.tolist() == [-1.0]
    assert B.linear_backward(x, w, np.array([1.0, -2.0])).bias.size == 0


def test_loss_gradients_by_hand():
    # logits (0, 0): softmax (0.5, 0.5); target 1: (0.5, -0.5)
    assert B.cross_entropy_backward(np.array([0.0, 0.0]), 1).tolist() == [0.5, -0.5]
    assert B.nll_from_probabilities_backward(np.array([0.75, 0.25]), 1).tolist() == [0.0, -4.0]
    with pytest.raises(ParameterError):
        B.nll_from_probabilities_backward(np.array([1.0, 0.0]), 1)
    with pytest.raises(ParameterError):
        B.cross_entropy_backward(np.array([0.0, 0.0]), 2)


# --------------------------------------------------------------------------- finite differences


@st.composite
def conv_configs(draw):
    c = draw(st.integers(1, 2))
    m = draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = draw(st.integers(kh, 6)), draw(st.integers(kw, 6))
    mode = draw(st.sampled_from(ops.PADDING_MODES))
    padding = draw(st.one_of(st.just("same"), st.just("valid"),
                             st.tuples(st.integers(0, 2), st.integers(0, 2))))
    stride = (1, 1) if padding == "same" else draw(st.tuples(st.integers(1, 2), st.integers(1, 2)))
    dilation = draw(st.tuples(st.integers(1, 2), st.integers(1, 2)))
    kwargs = {
        "stride": stride, "padding": padding, "dilation": dilation, "padding_mode": mode,
        "norm": draw(st.sampled_from(ops.NORMS)), "flip": draw(st.booleans()),
    }
    seed = draw(st.integers(0, 2**32 - 1))
    return c, m, (kh, kw), (h, w), kwargs, seed


@settings(max_examples=60, deadline=None)
@given(conv_configs())
def test_conv_backward_matches_finite_differences(config):
    c, m, (kh, kw), (h, w), kwargs, seed = config
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(c, h, w))
    k = rng.normal(size=(m, c, kh, kw))
    b = rng.normal(size=m)
    try:
        y = ops.conv2d(x, k, bias=b, **kwargs)
    except ParameterError:
        return  # padding too large for the mode, kernel larger than the input...
    g = rng.normal(size=y.shape)
    r = B.conv2d_backward(x, k, g, bias=b, **kwargs)

    def loss(x_=x, k_=k, b_=b):
        return float(np.sum(g * ops.conv2d(x_, k_, bias=b_, **kwargs)))

    assert_grad(r.input, numeric_grad(lambda v: loss(x_=v), x))
    assert_grad(r.weight, numeric_grad(lambda v: loss(k_=v), k))
    assert_grad(r.bias, numeric_grad(lambda v: loss(b_=v), b))


@st.composite
def pool_configs(draw):
    kind = draw(st.sampled_from(ops.POOL_KINDS))
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    kwargs = {
        "kind": kind,
        "size": k,
        "stride": (draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        "padding": (draw(st.integers(0, k[0] // 2)), draw(st.integers(0, k[1] // 2))),
        "dilation": (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if kind == "max" else 1,
        "ceil_mode": draw(st.booleans()),
        "count_include_pad": draw(st.booleans()),
    }
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 6)), draw(st.integers(1, 6)))
    return kwargs, shape, draw(st.integers(0, 2**32 - 1))


@settings(max_examples=80, deadline=None)
@given(pool_configs())
def test_pool_backward_matches_finite_differences(config):
    kwargs, shape, seed = config
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape)  # no ties: the maximum is stable under ±1e-6
    try:
        y = ops.pool2d(x, **kwargs)
    except ParameterError:
        return
    if not np.all(np.isfinite(y)):
        with pytest.raises(ParameterError):
            B.pool2d_backward(x, np.ones(y.shape), **kwargs)
        return
    g = rng.normal(size=y.shape)
    analytic = B.pool2d_backward(x, g, **kwargs)
    assert_grad(analytic, numeric_grad(lambda v: float(np.sum(g * ops.pool2d(v, **kwargs))), x))


def naive_max_pool_grad(x, g, size, stride, padding, dilation, ceil_mode):
    """PyTorch's CPU loop: per window, the first cell with val > maxval wins."""
    c, h, w = x.shape
    ho, wo = ops.pool_output_hw((h, w), size, stride, padding, dilation, ceil_mode)
    out = np.zeros_like(x)
    for ch in range(c):
        for i in range(ho):
            for j in range(wo):
                best, where = -np.inf, None
                for a in range(size[0]):
                    for b in range(size[1]):
                        r = i * stride[0] - padding[0] + a * dilation[0]
                        q = j * stride[1] - padding[1] + b * dilation[1]
                        if 0 <= r < h and 0 <= q < w and x[ch, r, q] > best:
                            best, where = x[ch, r, q], (r, q)
                if where is not None:
                    out[ch, where[0], where[1]] += g[ch, i, j]
    return out


@settings(max_examples=80, deadline=None)
@given(pool_configs())
def test_max_pool_ties_follow_pytorchs_loop(config):
    kwargs, shape, seed = config
    kwargs = {**kwargs, "kind": "max"}
    if not isinstance(kwargs["dilation"], tuple):
        kwargs["dilation"] = (1, 1)
    rng = np.random.default_rng(seed)
    x = rng.integers(-1, 2, size=shape).astype(float)  # many ties
    try:
        y = ops.pool2d(x, **kwargs)
    except ParameterError:
        return
    if not np.all(np.isfinite(y)):
        return
    g = rng.integers(1, 9, size=y.shape).astype(float)
    got = B.pool2d_backward(x, g, **kwargs)
    expected = naive_max_pool_grad(
        x, g, kwargs["size"], kwargs["stride"], kwargs["padding"], kwargs["dilation"],
        kwargs["ceil_mode"],
    )
    assert got.tolist() == expected.tolist()


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.sampled_from([0.01, 0.2, 1.5]))
def test_pointwise_and_vector_gradients_match_finite_differences(seed, n, slope):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    g = rng.normal(size=n)
    checks = [
        (ops.leaky_relu, lambda: B.leaky_relu_backward(x, g, slope), {"slope": slope}),
        (ops.relu, lambda: B.relu_backward(x, g), {}),
        (ops.sigmoid, lambda: B.sigmoid_backward(ops.sigmoid(x), g), {}),
        (ops.tanh, lambda: B.tanh_backward(ops.tanh(x), g), {}),
        (ops.softmax, lambda: B.softmax_backward(ops.softmax(x), g), {}),
    ]
    for fn, analytic, kw in checks:
        assert_grad(analytic(), numeric_grad(lambda v, f=fn, k=kw: float(np.sum(g * f(v, **k))), x))
    w = rng.normal(size=(3, n))
    b = rng.normal(size=3)
    g3 = rng.normal(size=3)
    r = B.linear_backward(x, w, g3, b)
    assert_grad(r.input, numeric_grad(lambda v: float(g3 @ ops.linear(v, w, b)), x))
    assert_grad(r.weight, numeric_grad(lambda v: float(g3 @ ops.linear(x, v, b)), w))
    assert_grad(r.bias, numeric_grad(lambda v: float(g3 @ ops.linear(x, w, v)), b))
    t = int(rng.integers(0, n))
    assert_grad(B.cross_entropy_backward(x, t), numeric_grad(lambda v: ops.cross_entropy(v, t), x))
    p = ops.softmax(x)
    assert_grad(
        B.nll_from_probabilities_backward(p, t),
        numeric_grad(lambda v: ops.nll_from_probabilities(v, t), p, eps=1e-8),
        tol=1e-5,
    )
