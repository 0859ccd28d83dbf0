"""Hypothesis: conv2d and pool2d against naive loops, plus algebraic properties.

The naive references below are direct transcriptions of PyTorch's rules, cell
by cell, with no numpy tricks: output size floor((H + 2p - d(k-1) - 1)/s) + 1,
the ceil-mode rule of aten's ``pooling_output_shape`` and the divisor rule of
aten's ``avg_pool2d``. They also decide which calls are illegal, and cnncalc
must refuse exactly those with a ``CnncalcError``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnncalc.engine import ops
from cnncalc.errors import CnncalcError

SETTINGS = settings(max_examples=150, deadline=None)
FEW = settings(max_examples=60, deadline=None)


class Refused(Exception):
    """The naive reference says PyTorch would refuse this call."""


# --------------------------------------------------------------------------- naive conv


def _pair(v) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


def _source_index(r: int, size: int, mode: str) -> int | None:
    """Which input row/column a padded coordinate ``r`` reads (None: a zero)."""
    if 0 <= r < size:
        return r
    if mode == "zeros":
        return None
    if mode == "reflect":
        return -r if r < 0 else 2 * (size - 1) - r
    if mode == "replicate":
        return min(max(r, 0), size - 1)
    return r % size  # circular


def naive_conv(
    image,
    kernel,
    stride=1,
    padding=0,
    dilation=1,
    padding_mode="zeros",
    norm="sum",
    bias=0.0,
    flip=False,
):
    x = np.asarray(image, dtype=float)
    x3 = x[None] if x.ndim == 2 else x
    c_count, h, w = x3.shape
    k = np.asarray(kernel, dtype=float)
    single = False
    if k.ndim == 2:
        wt, single = k[None, None], True
    elif k.ndim == 3 and c_count == 1:
        wt = k[:, None]
    elif k.ndim == 3:
        wt, single = k[None], True
    else:
        wt = k
    if wt.shape[1] != c_count:
        raise Refused("channels")
    m_count, _, kh, kw = wt.shape
    sh, sw = _pair(stride)
    dh, dw = _pair(dilation)
    if min(sh, sw) < 1 or min(dh, dw) < 1:
        raise Refused("stride/dilation")
    if padding == "valid":
        top = bottom = left = right = 0
    elif padding == "same":
        if (sh, sw) != (1, 1):
            raise Refused("same needs stride 1")
        th, tw = dh * (kh - 1), dw * (kw - 1)
        top, bottom, left, right = th // 2, th - th // 2, tw // 2, tw - tw // 2
    else:
        ph, pw = _pair(padding)
        if min(ph, pw) < 0:
            raise Refused("negative padding")
        top = bottom = ph
        left = right = pw
    for p, size in ((top, h), (bottom, h), (left, w), (right, w)):
        if padding_mode == "reflect" and p >= size:
            raise Refused("reflect")
        if padding_mode == "circular" and p > size:
            raise Refused("circular")
    hp, wp = h + top + bottom, w + left + right
    if dh * (kh - 1) + 1 > hp or dw * (kw - 1) + 1 > wp:
        raise Refused("kernel too large")
    b = np.asarray(bias, dtype=float).reshape(-1)
    if b.size not in (1, m_count):
        raise Refused("bias")
    if flip:
        wt = wt[:, :, ::-1, ::-1]
    ho = (hp - dh * (kh - 1) - 1) // sh + 1
    wo = (wp - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((m_count, ho, wo))
    for m in range(m_count):
        for oi in range(ho):
            for oj in range(wo):
                total = 0.0
                for c in range(c_count):
                    for i in range(kh):
                        r = _source_index(oi * sh + i * dh - top, h, padding_mode)
                        for j in range(kw):
                            q = _source_index(oj * sw + j * dw - left, w, padding_mode)
                            if r is not None and q is not None:
                                total += wt[m, c, i, j] * x3[c, r, q]
                if norm == "mean":
                    total /= c_count * kh * kw
                out[m, oi, oj] = total + (b[0] if b.size == 1 else b[m])
    return out[0] if single else out


# --------------------------------------------------------------------------- naive pool


def _pool_out(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """aten pooling_output_shape: floor or ceil, then the ceil-mode correction."""
    num = size + 2 * p - d * (k - 1) - 1
    out = (-(-num // s) if ceil_mode else num // s) + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def naive_pool(
    x, kind, size, stride=None, padding=0, dilation=1, ceil_mode=False, count_include_pad=True
):
    a = np.asarray(x, dtype=float)
    a3 = a[None] if a.ndim == 2 else a
    c_count, h, w = a3.shape
    kh, kw = _pair(size)
    sh, sw = _pair(size if stride is None else stride)
    ph, pw = _pair(padding)
    dh, dw = _pair(dilation)
    if min(kh, kw, sh, sw, dh, dw) < 1 or min(ph, pw) < 0:
        raise Refused("non-positive")
    if ph > kh // 2 or pw > kw // 2:
        raise Refused("padding over half the size")
    if kind != "max" and (dh, dw) != (1, 1):
        raise Refused("dilation is for max only (cnncalc)")
    ho = _pool_out(h, kh, sh, ph, dh, ceil_mode)
    wo = _pool_out(w, kw, sw, pw, dw, ceil_mode)
    if ho < 1 or wo < 1:
        raise Refused("output too small")
    out = np.zeros((c_count, ho, wo))
    for c in range(c_count):
        for oi in range(ho):
            for oj in range(wo):
                if kind == "max":
                    best = -math.inf
                    for i in range(kh):
                        for j in range(kw):
                            r, q = oi * sh - ph + i * dh, oj * sw - pw + j * dw
                            if 0 <= r < h and 0 <= q < w:
                                best = max(best, a3[c, r, q])
                    out[c, oi, oj] = best
                    continue
                # aten avg_pool2d: the window clipped at the padded edge, then at the input
                hs, ws = oi * sh - ph, oj * sw - pw
                he, we = min(hs + kh, h + ph), min(ws + kw, w + pw)
                pool_size = (he - hs) * (we - ws)
                hs, ws, he, we = max(hs, 0), max(ws, 0), min(he, h), min(we, w)
                total = sum(a3[c, r, q] for r in range(hs, he) for q in range(ws, we))
                if kind == "sum":
                    out[c, oi, oj] = total
                else:
                    divisor = pool_size if count_include_pad else (he - hs) * (we - ws)
                    out[c, oi, oj] = total / divisor
    return out[0] if a.ndim == 2 else out


def test_naive_references_by_hand():
    """The references themselves, on numbers a person can check."""
    x = np.array([[0.0, 1.0, 2.0], [10.0, 11.0, 12.0], [20.0, 21.0, 22.0]])
    np.testing.assert_array_equal(naive_conv(x, np.ones((2, 2))), [[22, 26], [62, 66]])
    # reflect: row -1 reads row 1, column -1 reads column 1
    np.testing.assert_array_equal(
        naive_conv(x, [[1.0]], padding=1, padding_mode="reflect")[0], [11, 10, 11, 12, 11]
    )
    np.testing.assert_array_equal(
        naive_conv(x, [[1.0]], padding=1, padding_mode="circular")[0], [22, 20, 21, 22, 20]
    )
    # mean pool 3x3, padding 1: the corner window holds 4 real cells of 9
    assert naive_pool(x, "mean", 3, stride=1, padding=1)[0, 0] == (0 + 1 + 10 + 11) / 9
    assert (
        naive_pool(x, "mean", 3, stride=1, padding=1, count_include_pad=False)[0, 0]
        == (0 + 1 + 10 + 11) / 4
    )
    assert _pool_out(5, 2, 2, 0, 1, True) == 3 and _pool_out(4, 2, 3, 1, 1, True) == 2
    with pytest.raises(Refused):
        naive_pool(x, "max", 2, padding=2)


# --------------------------------------------------------------------------- strategies

values = st.one_of(
    st.integers(-9, 9).map(float),
    st.floats(-10, 10, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 3)),
)
small_pos = st.sampled_from([1, 1, 1, 2, 2, 3])
int_or_pair = st.one_of(small_pos, st.tuples(small_pos, small_pos))


@st.composite
def conv_calls(draw):
    c = draw(st.sampled_from([1, 1, 2, 3]))
    h, w = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    image = draw(
        arrays(np.float64, (c, h, w) if c > 1 or draw(st.booleans()) else (h, w), elements=values)
    )
    layout = draw(st.sampled_from(["2d", "3d", "3d", "4d"]))
    if layout == "2d" and c > 1 and draw(st.integers(0, 4)) != 3:
        layout = "3d"  # a 2-D kernel on several channels is refused; keep it rare
    m = draw(st.integers(1, 3))
    if layout == "2d":
        shape, m = (kh, kw), 1
    elif layout == "3d":
        # M blocks on one channel is a bank; C blocks on C channels one filter
        shape = (m, kh, kw) if c == 1 else (m if draw(st.integers(0, 9)) == 7 else c, kh, kw)
        m = m if c == 1 else 1
    else:
        shape = (m, c + 1 if draw(st.integers(0, 9)) == 7 else c, kh, kw)
    kernel = draw(arrays(np.float64, shape, elements=values))
    kwargs = {}
    if draw(st.booleans()):
        kwargs["stride"] = 0 if draw(st.integers(0, 11)) == 7 else draw(int_or_pair)
    if draw(st.booleans()):
        kwargs["dilation"] = draw(int_or_pair)
    kwargs["padding"] = draw(
        st.one_of(
            st.integers(0, 4),
            st.tuples(st.integers(0, 4), st.integers(0, 4)),
            st.sampled_from(["same", "same", "valid", -1]),
        )
    )
    kwargs["padding_mode"] = draw(st.sampled_from(ops.PADDING_MODES))
    kwargs["norm"] = draw(st.sampled_from(ops.NORMS))
    bias = draw(st.sampled_from(["none", "none", "scalar", "per-filter", "per-filter"]))
    bias = "wrong" if draw(st.integers(0, 11)) == 7 else bias
    if bias == "scalar":
        kwargs["bias"] = draw(values)
    elif bias == "per-filter":
        kwargs["bias"] = draw(st.lists(values, min_size=m, max_size=m))
    elif bias == "wrong":
        kwargs["bias"] = draw(st.lists(values, min_size=m + 1, max_size=m + 1))
        assume(m + 1 != 1)
    kwargs["flip"] = draw(st.booleans())
    return image, kernel, kwargs


@st.composite
def pool_calls(draw):
    c = draw(st.sampled_from([1, 1, 2]))
    h, w = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    x = draw(arrays(np.float64, (c, h, w) if c > 1 else (h, w), elements=values))
    kind = draw(st.sampled_from(ops.POOL_KINDS))
    size = draw(st.one_of(st.integers(1, 4), st.tuples(st.integers(1, 4), st.integers(1, 4))))
    kh, kw = _pair(size)
    kwargs = {"kind": kind, "size": size}
    if draw(st.booleans()):
        kwargs["stride"] = draw(
            st.one_of(st.integers(1, 4), st.tuples(st.integers(1, 4), st.integers(1, 4)))
        )
    # now and then one over the limit size // 2
    over = int(draw(st.integers(0, 7)) == 5)
    kwargs["padding"] = (draw(st.integers(0, kh // 2 + over)), draw(st.integers(0, kw // 2 + over)))
    if kind == "max" or draw(st.integers(0, 9)) == 7:
        kwargs["dilation"] = draw(
            st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3)))
        )
    kwargs["ceil_mode"] = draw(st.booleans())
    kwargs["count_include_pad"] = draw(st.booleans())
    return x, kwargs


# --------------------------------------------------------------------------- against the loops


def _compare(ours, naive):
    try:
        expected = naive()
    except Refused as why:
        event(f"refused: {why}")
        with pytest.raises(CnncalcError):
            ours()
        return False
    event("computed")
    got = ours()
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)
    return True


@SETTINGS
@given(conv_calls())
def test_conv2d_matches_naive_loop(call):
    image, kernel, kwargs = call
    _compare(
        lambda: ops.conv2d(image, kernel, **kwargs), lambda: naive_conv(image, kernel, **kwargs)
    )


@SETTINGS
@given(pool_calls())
def test_pool2d_matches_naive_loop(call):
    x, kwargs = call
    _compare(lambda: ops.pool2d(x, **kwargs), lambda: naive_pool(x, **kwargs))


@FEW
@given(
    st.integers(11, 13),
    st.integers(11, 12),
    st.integers(0, 2),
    st.sampled_from(ops.PADDING_MODES),
    st.integers(1, 2),
)
def test_conv2d_fft_path_matches_naive_loop(kh, kw, p, mode, d):
    """Kernels from 11x11 up go through numpy.fft; same answer as the loop."""
    rng = np.random.default_rng(kh * 100 + kw * 10 + p)
    x = rng.integers(-3, 4, size=(2, 24, 25)).astype(float)
    k = rng.integers(-2, 3, size=(2, 2, kh, kw)).astype(float)
    _compare(
        lambda: ops.conv2d(x, k, padding=p, padding_mode=mode, dilation=(1, d)),
        lambda: naive_conv(x, k, padding=p, padding_mode=mode, dilation=(1, d)),
    )


# --------------------------------------------------------------------------- properties

img = arrays(np.float64, st.tuples(st.integers(2, 7), st.integers(2, 7)), elements=values)
vec = arrays(np.float64, st.integers(1, 8), elements=values)


@SETTINGS
@given(img, st.data())
def test_conv_is_linear_in_the_image_and_the_kernel(x, data):
    y = data.draw(arrays(np.float64, x.shape, elements=values))
    k = data.draw(arrays(np.float64, (2, 2), elements=values))
    k2 = data.draw(arrays(np.float64, (2, 2), elements=values))
    a, b = data.draw(st.integers(-3, 3)), data.draw(st.integers(-3, 3))
    mode = data.draw(st.sampled_from(ops.PADDING_MODES))
    kw = {"padding": 1, "padding_mode": mode}
    lhs = ops.conv2d(a * x + b * y, k, **kw)
    np.testing.assert_allclose(
        lhs, a * ops.conv2d(x, k, **kw) + b * ops.conv2d(y, k, **kw), atol=1e-9
    )
    np.testing.assert_allclose(
        ops.conv2d(x, a * k + b * k2, **kw),
        a * ops.conv2d(x, k, **kw) + b * ops.conv2d(x, k2, **kw),
        atol=1e-9,
    )


@SETTINGS
@given(img, st.sampled_from(ops.PADDING_MODES))
def test_centred_delta_kernel_with_same_padding_is_identity(x, mode):
    delta = np.zeros((3, 3))
    delta[1, 1] = 1.0
    assume(mode != "reflect" or min(x.shape) >= 2)
    np.testing.assert_array_equal(ops.conv2d(x, delta, padding="same", padding_mode=mode), x)


@SETTINGS
@given(img, st.data())
def test_flip_is_the_kernel_reversed_and_mean_is_sum_over_cells(x, data):
    k = data.draw(arrays(np.float64, (2, 2), elements=values))
    np.testing.assert_allclose(
        ops.conv2d(x, k, flip=True), ops.conv2d(x, k[::-1, ::-1]), atol=1e-12
    )
    np.testing.assert_allclose(ops.conv2d(x, k, norm="mean"), ops.conv2d(x, k) / 4, atol=1e-12)
    np.testing.assert_allclose(ops.conv2d(x, k, bias=2.5), ops.conv2d(x, k) + 2.5, atol=1e-12)


@SETTINGS
@given(img, st.integers(1, 3))
def test_pool_kinds_agree_without_padding(x, k):
    assume(min(x.shape) >= k)
    mx = ops.pool2d(x, kind="max", size=k, stride=1)
    mean = ops.pool2d(x, kind="mean", size=k, stride=1)
    total = ops.pool2d(x, kind="sum", size=k, stride=1)
    np.testing.assert_allclose(total, mean * k * k, atol=1e-9)
    assert np.all(mx >= mean - 1e-12)
    # the max of -x is minus the min, and the min is at most the mean
    assert np.all(-ops.pool2d(-x, kind="max", size=k, stride=1) <= mean + 1e-12)


@SETTINGS
@given(vec)
def test_relu_properties(v):
    r = ops.relu(v)
    np.testing.assert_array_equal(ops.relu(r), r)  # idempotent
    assert np.all(r >= 0)
    np.testing.assert_array_equal(r - ops.relu(-v), v)
    np.testing.assert_array_equal(ops.leaky_relu(v, 0.0), r)
    np.testing.assert_array_equal(ops.leaky_relu(v, 1.0), v)


@SETTINGS
@given(vec, st.floats(-50, 50))
def test_softmax_sums_to_one_and_ignores_shifts(v, shift):
    s = ops.softmax(v)
    assert abs(s.sum() - 1.0) < 1e-12
    assert np.all((s > 0) & (s <= 1))
    np.testing.assert_allclose(ops.softmax(v + shift), s, atol=1e-12)
    assert int(np.argmax(s)) == int(np.argmax(v))


@SETTINGS
@given(vec)
def test_sigmoid_tanh_symmetry(v):
    np.testing.assert_allclose(ops.sigmoid(-v), 1 - ops.sigmoid(v), atol=1e-15)
    np.testing.assert_allclose(ops.tanh(-v), -ops.tanh(v), atol=1e-15)
    np.testing.assert_allclose(ops.tanh(v), 2 * ops.sigmoid(2 * v) - 1, atol=1e-12)


@SETTINGS
@given(vec, st.data())
def test_cross_entropy_and_mse(v, data):
    t = data.draw(st.integers(0, v.size - 1))
    ce = ops.cross_entropy(v, t)
    assert ce >= 0
    assert abs(ce + math.log(ops.softmax(v)[t])) < 1e-9
    w = data.draw(arrays(np.float64, v.shape, elements=values))
    assert ops.mse(v, v) == 0.0
    assert abs(ops.mse(v, w) - ops.mse(w, v)) < 1e-12
    assert ops.mse(v, w) >= 0


@SETTINGS
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 4)),
        elements=values,
    ),
    st.data(),
)
def test_linear_is_a_dot_product_per_row_of_the_flattened_input(x, data):
    flat = ops.flatten(x)
    assert flat.shape == (x.size,)
    wt = data.draw(arrays(np.float64, (2, x.size), elements=values))
    b = data.draw(arrays(np.float64, (2,), elements=values))
    y = ops.linear(x, wt, b)
    for o in range(2):
        assert abs(y[o] - (sum(wt[o, i] * flat[i] for i in range(x.size)) + b[o])) < 1e-9
