"""Hand-checked grids for cnncalc.engine.ops: every expected array is written out and
can be verified with pencil and paper.

Most inputs are ``x[i, j] = 10*i + j`` so a window's sum is easy to see, e.g. a
2x2 window of ones at (i, j) sums to 4*(10*i + j) + 22.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cnncalc.engine import ops
from cnncalc.errors import CnncalcError, LimitError, ParameterError, ShapeError


def grid(h: int, w: int) -> np.ndarray:
    """x[i, j] = 10*i + j."""
    return np.array([[10.0 * i + j for j in range(w)] for i in range(h)])


X3 = grid(3, 3)  # [[0, 1, 2], [10, 11, 12], [20, 21, 22]]
X4 = grid(4, 4)
X5 = grid(5, 5)


def eq(got, expected):
    np.testing.assert_allclose(got, np.asarray(expected, dtype=float), rtol=0, atol=1e-12)
    assert np.shape(got) == np.shape(expected)


# --------------------------------------------------------------------------- the seed's X

# The 9x9 "X" of the seed (../shared/seeds/004_*.txt) and its three 3x3 features.
X_IMAGE = -np.ones((9, 9))
for _i in range(1, 8):
    X_IMAGE[_i, _i] = X_IMAGE[_i, 8 - _i] = 1.0
K1 = np.array([[1, -1, -1], [-1, 1, -1], [-1, -1, 1]], dtype=float)
K2 = np.array([[1, -1, 1], [-1, 1, -1], [1, -1, 1]], dtype=float)
K3 = np.array([[-1, -1, 1], [-1, 1, -1], [1, -1, -1]], dtype=float)

# Each cell of the mean map is (matches - mismatches) / 9; these are the numerators.
NINTHS_K1 = [
    [7, -1, 1, 3, 5, -1, 3],
    [-1, 9, -1, 3, -1, 1, -1],
    [1, -1, 9, -3, 1, -1, 5],
    [3, 3, -3, 5, -3, 3, 3],
    [5, -1, 1, -3, 9, -1, 1],
    [-1, 1, -1, 3, -1, 9, -1],
    [3, -1, 5, 3, 1, -1, 7],
]
NINTHS_K2 = [
    [3, -5, 1, -1, 1, -5, 3],
    [-5, 5, -5, 3, -5, 5, -5],
    [1, -5, 5, -7, 5, -5, 1],
    [-1, 3, -7, 9, -7, 3, -1],
    [1, -5, 5, -7, 5, -5, 1],
    [-5, 5, -5, 3, -5, 5, -5],
    [3, -5, 1, -1, 1, -5, 3],
]
# kernel 3 is kernel 1 mirrored left-right, and so is its map
NINTHS_K3 = [row[::-1] for row in NINTHS_K1]

# The map the seed prints for kernel 1 in the lesson ("对图像运用该卷积核, 产生的结果"):
# the ninths truncated (not rounded) to two decimals, 7/9 -> 0.77, 5/9 -> 0.55.
SEED_LESSON_MAP = [
    [0.77, -0.11, 0.11, 0.33, 0.55, -0.11, 0.33],
    [-0.11, 1.00, -0.11, 0.33, -0.11, 0.11, -0.11],
    [0.11, -0.11, 1.00, -0.33, 0.11, -0.11, 0.55],
    [0.33, 0.33, -0.33, 0.55, -0.33, 0.33, 0.33],
    [0.55, -0.11, 0.11, -0.33, 1.00, -0.11, 0.11],
    [-0.11, 0.11, -0.11, 0.33, -0.11, 1.00, -0.11],
    [0.33, -0.11, 0.55, 0.33, 0.11, -0.11, 0.77],
]

# The first set of answers under the second "卷积层" heading (the one written as
# image, kernel, "=", answer) for kernel 1. It drops the minus sign in 13 cells;
# (row, col) 1-based, the truth in ninths:
#   (1,2) -1/9  (1,6) -1/9  (2,1) -1/9  (2,5) -1/9  (3,2) -1/9  (4,5) -3/9
#   (5,2) -1/9  (5,4) -3/9  (5,6) -1/9  (6,1) -1/9  (6,5) -1/9  (7,2) -1/9
#   (7,6) -1/9
# The seed's other answer sets have the same kind of slip (see samples/xo/);
# every wrong cell there is a true negative value written without its sign.
SEED_SECOND_HEADING_K1 = [
    [0.77, 0.11, 0.11, 0.33, 0.55, 0.11, 0.33],
    [0.11, 1.00, -0.11, 0.33, 0.11, 0.11, -0.11],
    [0.11, 0.11, 1.00, -0.33, 0.11, -0.11, 0.55],
    [0.33, 0.33, -0.33, 0.55, 0.33, 0.33, 0.33],
    [0.55, 0.11, 0.11, 0.33, 1.00, 0.11, 0.11],
    [0.11, 0.11, -0.11, 0.33, 0.11, 1.00, -0.11],
    [0.33, 0.11, 0.55, 0.33, 0.11, 0.11, 0.77],
]
SEED_TYPOS_K1 = [
    (1, 2),
    (1, 6),
    (2, 1),
    (2, 5),
    (3, 2),
    (4, 5),
    (5, 2),
    (5, 4),
    (5, 6),
    (6, 1),
    (6, 5),
    (7, 2),
    (7, 6),
]


def truncate2(ninths) -> np.ndarray:
    """Ninths truncated toward zero to two decimals, in integer arithmetic."""
    n = np.asarray(ninths)
    return np.sign(n) * (np.abs(n) * 100 // 9) / 100


@pytest.mark.parametrize("kernel, ninths", [(K1, NINTHS_K1), (K2, NINTHS_K2), (K3, NINTHS_K3)])
def test_seed_x_maps_are_exact_ninths(kernel, ninths):
    out = ops.conv2d(X_IMAGE, kernel, norm="mean")
    eq(out, np.asarray(ninths) / 9)
    eq(ops.conv2d(X_IMAGE, kernel), ninths)  # norm="sum" keeps the numerators


def test_seed_x_first_row():
    row = ops.conv2d(X_IMAGE, K1, norm="mean")[0]
    eq(row, [7 / 9, -1 / 9, 1 / 9, 3 / 9, 5 / 9, -1 / 9, 3 / 9])


def test_seed_lesson_map_is_the_truth_truncated():
    eq(truncate2(NINTHS_K1), SEED_LESSON_MAP)


def test_seed_second_heading_answer_differs_only_by_dropped_signs():
    truth = truncate2(NINTHS_K1)
    seed = np.array(SEED_SECOND_HEADING_K1)
    wrong = [(int(r) + 1, int(c) + 1) for r, c in np.argwhere(~np.isclose(seed, truth))]
    assert wrong == SEED_TYPOS_K1
    for r, c in wrong:
        assert truth[r - 1, c - 1] < 0 and seed[r - 1, c - 1] == -truth[r - 1, c - 1]


def test_seed_x_three_features_as_a_bank():
    bank = np.stack([K1, K2, K3])
    out = ops.conv2d(X_IMAGE, bank, norm="mean")
    eq(out, np.array([NINTHS_K1, NINTHS_K2, NINTHS_K3]) / 9)


# --------------------------------------------------------------------------- conv2d


def test_conv_window_sums():
    ones = np.ones((2, 2))
    eq(ops.conv2d(X4, ones), [[22, 26, 30], [62, 66, 70], [102, 106, 110]])
    eq(ops.conv2d(X4, [[1.0, 0.0], [0.0, -1.0]]), np.full((3, 3), -11.0))
    eq(ops.conv2d(X4, ones, norm="mean"), [[5.5, 6.5, 7.5], [15.5, 16.5, 17.5], [25.5, 26.5, 27.5]])
    eq(ops.conv2d(X4, ones, bias=-22.0), [[0, 4, 8], [40, 44, 48], [80, 84, 88]])


def test_conv_stride_and_dilation():
    ones = np.ones((2, 2))
    eq(ops.conv2d(X4, ones, stride=2), [[22, 30], [102, 110]])
    eq(ops.conv2d(X4, ones, stride=(1, 2)), [[22, 30], [62, 70], [102, 110]])
    eq(ops.conv2d(X4, ones, stride="2,1"), [[22, 26, 30], [102, 106, 110]])
    # dilation 2: x[i,j] + x[i,j+2] + x[i+2,j] + x[i+2,j+2] = 4*(10i+j) + 44
    eq(ops.conv2d(X4, ones, dilation=2), [[44, 48], [84, 88]])
    eq(ops.conv2d(X4, ones, dilation=(2, 1)), [[42, 46, 50], [82, 86, 90]])
    # out = floor((5 + 2*1 - 2*(3-1) - 1)/2) + 1 = 2
    eq(ops.conv2d(X5, np.ones((3, 3)), padding=1, dilation=2, stride=2).shape, (2, 2))


def test_conv_padding_modes_with_a_one_by_one_kernel():
    one = [[1.0]]
    eq(
        ops.conv2d(X3, one, padding=1),
        [[0, 0, 0, 0, 0], [0, 0, 1, 2, 0], [0, 10, 11, 12, 0], [0, 20, 21, 22, 0], [0, 0, 0, 0, 0]],
    )
    eq(
        ops.conv2d(X3, one, padding=1, padding_mode="reflect"),
        [
            [11, 10, 11, 12, 11],
            [1, 0, 1, 2, 1],
            [11, 10, 11, 12, 11],
            [21, 20, 21, 22, 21],
            [11, 10, 11, 12, 11],
        ],
    )
    eq(
        ops.conv2d(X3, one, padding=1, padding_mode="replicate"),
        [
            [0, 0, 1, 2, 2],
            [0, 0, 1, 2, 2],
            [10, 10, 11, 12, 12],
            [20, 20, 21, 22, 22],
            [20, 20, 21, 22, 22],
        ],
    )
    eq(
        ops.conv2d(X3, one, padding=1, padding_mode="circular"),
        [
            [22, 20, 21, 22, 20],
            [2, 0, 1, 2, 0],
            [12, 10, 11, 12, 10],
            [22, 20, 21, 22, 20],
            [2, 0, 1, 2, 0],
        ],
    )
    eq(
        ops.conv2d(X3, one, padding=(0, 2), padding_mode="reflect"),
        [[2, 1, 0, 1, 2, 1, 0], [12, 11, 10, 11, 12, 11, 10], [22, 21, 20, 21, 22, 21, 20]],
    )
    # circular padding may equal the size: a full extra copy on each side
    eq(ops.conv2d([[1.0, 2.0]], one, padding=(0, 2), padding_mode="circular"), [[1, 2, 1, 2, 1, 2]])
    eq(ops.conv2d([[5.0]], one, padding=2, padding_mode="replicate"), np.full((5, 5), 5.0))


def test_conv_same_and_valid():
    ones = np.ones((2, 2))
    # total padding 1: none on the top/left, one row/column on the bottom/right
    eq(ops.conv2d(X3, ones, padding="same"), [[22, 26, 14], [62, 66, 34], [41, 43, 22]])
    eq(
        ops.conv2d(X3, ones, padding="same", padding_mode="replicate"),
        [[22, 26, 28], [62, 66, 68], [82, 86, 88]],
    )
    eq(ops.conv2d(X3, ones, padding="valid"), [[22, 26], [62, 66]])
    # 3x3 ones, same: every window clipped at the zero border
    eq(ops.conv2d(X3, np.ones((3, 3)), padding="same"), [[22, 36, 26], [63, 99, 69], [62, 96, 66]])


def test_conv_flip_is_true_convolution():
    k = [[1.0, 2.0], [3.0, 4.0]]
    # x[i,j] + 2x[i,j+1] + 3x[i+1,j] + 4x[i+1,j+1] = 10*(10i+j) + 76
    eq(ops.conv2d(X3, k), [[76, 86], [176, 186]])
    # flipped: 4x[i,j] + 3x[i,j+1] + 2x[i+1,j] + x[i+1,j+1] = 10*(10i+j) + 34
    eq(ops.conv2d(X3, k, flip=True), [[34, 44], [134, 144]])


def test_conv_channels_and_banks():
    img = np.array([[[1.0, 2.0], [3.0, 4.0]], [[10.0, 20.0], [30.0, 40.0]]])
    # (C, kh, kw) on C channels: one filter across them
    eq(ops.conv2d(img, np.ones((2, 1, 1))), [[11, 22], [33, 44]])
    eq(ops.conv2d(img, np.ones((2, 1, 1)), norm="mean"), [[5.5, 11], [16.5, 22]])
    eq(ops.conv2d(img, np.ones((2, 2, 2))), [[110]])
    # a full (M, C, kh, kw) weight picking each channel in turn
    w = np.array([[[[1.0]], [[0.0]]], [[[0.0]], [[1.0]]]])
    eq(ops.conv2d(img, w), img)
    eq(ops.conv2d(img, w, bias=[0.5, -0.5]), img + np.array([0.5, -0.5])[:, None, None])
    # (M, kh, kw) on one channel: a bank, one map per filter, one bias each
    bank = np.array([[[1.0]], [[-1.0]]])
    eq(ops.conv2d(X3, bank, bias=[1.0, 2.0]), [X3 + 1, 2 - X3])
    eq(ops.conv2d(X3, bank[:1]).shape, (1, 3, 3))  # a bank of one is still a bank
    eq(ops.conv2d(X3[None], [[2.0]]), 2 * X3)  # (1, H, W) image, 2-D kernel


def test_conv_smallest_cases():
    eq(ops.conv2d([[3.0]], [[-2.0]]), [[-6]])
    eq(ops.conv2d(X3, np.ones((3, 3))), [[99]])  # the kernel exactly covers the image
    eq(ops.conv2d([[1.0, 2.0]], [[1.0], [1.0]], padding=(1, 0)), [[1, 2], [1, 2]])


def test_conv_does_not_write_its_inputs():
    x, k = X4.copy(), np.ones((2, 2))
    ops.conv2d(x, k, padding=1, padding_mode="reflect", flip=True, norm="mean", bias=1.0)
    eq(x, X4)
    eq(k, np.ones((2, 2)))


# --------------------------------------------------------------------------- pool2d


def test_pool_kinds():
    eq(ops.pool2d(X4, kind="max", size=2), [[11, 13], [31, 33]])
    eq(ops.pool2d(X4, kind="mean", size=2), [[5.5, 7.5], [25.5, 27.5]])
    eq(ops.pool2d(X4, kind="sum", size=2), [[22, 30], [102, 110]])
    eq(ops.pool2d(X4, kind="avg", size=2), [[5.5, 7.5], [25.5, 27.5]])  # alias
    eq(ops.pool2d(X4, kind="max", size=2, stride=1), [[11, 12, 13], [21, 22, 23], [31, 32, 33]])
    eq(ops.pool2d(X4, kind="max", size=(1, 2)), [[1, 3], [11, 13], [21, 23], [31, 33]])


def test_pool_padding():
    eq(
        ops.pool2d(X3, kind="max", size=3, stride=1, padding=1),
        [[11, 12, 12], [21, 22, 22], [21, 22, 22]],
    )
    # mean counts the padding by default: corner 22/9, edge 36/9, centre 99/9
    eq(
        ops.pool2d(X3, kind="mean", size=3, stride=1, padding=1),
        np.array([[22, 36, 26], [63, 99, 69], [62, 96, 66]]) / 9,
    )
    # ... and only the real cells with count_include_pad=False: 4, 6 or 9 of them
    eq(
        ops.pool2d(X3, kind="mean", size=3, stride=1, padding=1, count_include_pad=False),
        np.array([[22 / 4, 36 / 6, 26 / 4], [63 / 6, 99 / 9, 69 / 6], [62 / 4, 96 / 6, 66 / 4]]),
    )
    # sum is the plain sum of the real cells
    eq(
        ops.pool2d(X3, kind="sum", size=3, stride=1, padding=1),
        [[22, 36, 26], [63, 99, 69], [62, 96, 66]],
    )
    # max pads with -inf, so an all-negative input keeps its own values
    eq(
        ops.pool2d([[-5.0, -7.0], [-6.0, -8.0]], kind="max", size=2, stride=1, padding=1),
        [[-5, -5, -7], [-5, -5, -7], [-6, -6, -8]],
    )


def test_pool_ceil_mode():
    row = [[0.0, 1.0, 2.0, 3.0, 4.0]]
    eq(ops.pool2d(row, kind="max", size=(1, 2)), [[1, 3]])
    eq(ops.pool2d(row, kind="max", size=(1, 2), ceil_mode=True), [[1, 3, 4]])
    # the last, partial window holds one cell and no padding: divisor 1
    eq(ops.pool2d(row, kind="mean", size=(1, 2), ceil_mode=True), [[0.5, 2.5, 4]])
    # a last window that would start in the right padding is dropped:
    # floor((4 + 2 - 1 - 1 + 2)/3) + 1 = 3, but window 3 starts at 6 - 1 = 5 >= 4
    eq(
        ops.pool2d(
            [[0.0, 1.0, 2.0, 3.0]],
            kind="max",
            size=(1, 2),
            stride=(1, 3),
            padding=(0, 1),
            ceil_mode=True,
        ),
        [[0, 3]],
    )


def test_pool_mean_divisor_clipped_at_the_padded_edge():
    """aten's avg_pool2d: the divisor counts padding only up to the padded edge.

    Row [0, 1, 2, 3], size 3, stride 2, padding 1, ceil mode: windows start at
    -1, 1 and 3. The last covers cell 3, one padding cell, and one cell past
    the padding that counts for nothing: divisor 2 (or 1 real cell).
    """
    row = [[0.0, 1.0, 2.0, 3.0]]
    kw = {"kind": "mean", "size": (1, 3), "stride": (1, 2), "padding": (0, 1), "ceil_mode": True}
    eq(ops.pool2d(row, **kw), [[1 / 3, 2, 1.5]])
    eq(ops.pool2d(row, **kw, count_include_pad=False), [[0.5, 2, 3]])
    eq(ops.pool2d(row, **{**kw, "kind": "sum"}), [[1, 6, 3]])


def test_pool_max_dilation():
    # size 2, dilation 2: max of x[i,j], x[i,j+2], x[i+2,j], x[i+2,j+2] = x[i+2,j+2]
    eq(
        ops.pool2d(X5, kind="max", size=2, stride=1, dilation=2),
        [[22, 23, 24], [32, 33, 34], [42, 43, 44]],
    )
    eq(
        ops.pool2d([[0.0, 9.0, 1.0, 2.0, 8.0]], kind="max", size=(1, 2), stride=1, dilation=(1, 3)),
        [[2, 9]],
    )


def test_pool_channels_and_defaults():
    img = np.stack([X4, -X4])
    out = ops.pool2d(img, kind="max", size=2)  # stride defaults to the size
    eq(out, [[[11, 13], [31, 33]], [[0, -2], [-20, -22]]])
    eq(ops.pool2d(X4, kind="sum", size=4), [[264]])
    eq(ops.pool2d([[7.0]], kind="mean", size=3, padding=1), [[7 / 9]])
    eq(ops.pool2d([[7.0]], kind="mean", size=3, padding=1, count_include_pad=False), [[7]])


# --------------------------------------------------------------------------- the rest


def test_activations_by_hand():
    v = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    eq(ops.relu(v), [0, 0, 0, 0.5, 3])
    eq(ops.leaky_relu(v), [-0.02, -0.005, 0, 0.5, 3])
    eq(ops.leaky_relu(v, 0.5), [-1, -0.25, 0, 0.5, 3])
    eq(ops.sigmoid(np.array([0.0, math.log(3), -math.log(3)])), [0.5, 0.75, 0.25])
    eq(ops.sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])  # no overflow warning
    eq(ops.tanh(np.array([math.log(2), 0.0])), [0.6, 0.0])  # (2 - 1/2) / (2 + 1/2)
    logs = np.log([1.0, 2.0, 5.0])
    eq(ops.softmax(logs), [1 / 8, 2 / 8, 5 / 8])
    eq(ops.softmax(np.array([logs, logs[::-1]])), [[1 / 8, 2 / 8, 5 / 8], [5 / 8, 2 / 8, 1 / 8]])
    eq(ops.softmax(np.array([[0.0, 0.0], [math.log(3), 0.0]]), axis=0), [[0.25, 0.5], [0.75, 0.5]])
    eq(ops.softmax(np.array([1000.0, 1000.0])), [0.5, 0.5])
    eq(ops.log_softmax(logs), np.log([1 / 8, 2 / 8, 5 / 8]))


def test_flatten_linear_and_losses_by_hand():
    eq(ops.flatten(np.arange(8.0).reshape(2, 2, 2)), [0, 1, 2, 3, 4, 5, 6, 7])
    w = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]])
    eq(ops.linear([1.0, 1.0, 2.0], w, [0.5, -1.0]), [9.5, 0.0])
    eq(ops.linear([1.0, 1.0, 2.0], w), [9.0, 1.0])
    eq(ops.linear([1.0, 1.0, 2.0], w, 1.0), [10.0, 2.0])
    eq(ops.linear([1.0, 2.0], [3.0, 4.0]), [11.0])  # one row given as a vector
    logs = np.log([1.0, 2.0, 5.0])
    assert ops.cross_entropy(logs, 2) == pytest.approx(math.log(8 / 5), abs=1e-12)
    assert ops.cross_entropy(logs, 0) == pytest.approx(math.log(8), abs=1e-12)
    assert ops.nll_from_probabilities([0.125, 0.25, 0.625], 2) == pytest.approx(math.log(1.6))
    assert ops.nll_from_probabilities([1.0, 0.0], 1) == math.inf
    assert ops.mse([1.0, 2.0, 3.0], [1.0, 0.0, 0.0]) == pytest.approx(13 / 3, abs=1e-12)


# --------------------------------------------------------------------------- refusals


REFUSED = [
    # (call, error class, message key, a word the sentence must contain)
    (lambda: ops.conv2d(X3, np.ones((2, 2)), stride=0), ParameterError, "param.positive", "stride"),
    (
        lambda: ops.conv2d(X3, np.ones((2, 2)), dilation=(1, 0)),
        ParameterError,
        "param.positive",
        "dilation",
    ),
    (
        lambda: ops.conv2d(X3, np.ones((2, 2)), padding=-1),
        ParameterError,
        "param.non_negative",
        "padding",
    ),
    (
        lambda: ops.conv2d(X3, np.ones((2, 2)), stride=True),
        ParameterError,
        "param.int_or_pair",
        "stride",
    ),
    (
        lambda: ops.conv2d(X3, np.ones((2, 2)), stride=(1, 2, 3)),
        ParameterError,
        "param.int_or_pair",
        "stride",
    ),
    (
        lambda: ops.conv2d(X3, np.ones((2, 2)), padding="middle"),
        ParameterError,
        "param.int_or_pair",
        "padding",
    ),
    (
        lambda: ops.conv2d(X3, np.ones((2, 2)), padding="same", stride=2),
        ParameterError,
        "param.same_stride",
        "stride",
    ),
    (
        lambda: ops.conv2d(X3, np.ones((2, 2)), padding=3, padding_mode="reflect"),
        ParameterError,
        "param.reflect_too_large",
        "reflect",
    ),
    (
        lambda: ops.conv2d(X3, np.ones((2, 2)), padding=4, padding_mode="circular"),
        ParameterError,
        "param.circular_too_large",
        "circular",
    ),
    (lambda: ops.conv2d(X3, np.ones((4, 4))), ParameterError, "param.kernel_too_large", "kernel"),
    (
        lambda: ops.conv2d(X3, np.ones((2, 2)), dilation=3),
        ParameterError,
        "param.kernel_too_large",
        "dilated",
    ),
    (
        lambda: ops.conv2d(X3, np.ones((2, 2)), padding_mode="mirror"),
        ParameterError,
        "param.choice",
        "padding_mode",
    ),
    (lambda: ops.conv2d(X3, np.ones((2, 2)), norm="max"), ParameterError, "param.choice", "norm"),
    (
        lambda: ops.conv2d(np.ones((3, 4, 4)), np.ones((2, 2))),
        ShapeError,
        "shape.kernel_bank",
        "channels",
    ),
    (
        lambda: ops.conv2d(np.ones((3, 4, 4)), np.ones((2, 2, 2))),
        ShapeError,
        "shape.kernel_bank",
        "channels",
    ),
    (
        lambda: ops.conv2d(np.ones((3, 4, 4)), np.ones((1, 2, 2, 2))),
        ShapeError,
        "shape.channels",
        "channel",
    ),
    (
        lambda: ops.conv2d(X3, np.ones((2, 2, 2)), bias=[1.0, 2.0, 3.0]),
        ShapeError,
        "shape.bias",
        "bias",
    ),
    (lambda: ops.conv2d(X3, np.ones((2,))), ShapeError, "shape.kernel_dims", "kernel"),
    (lambda: ops.conv2d(np.ones(3), np.ones((2, 2))), ShapeError, "shape.image_dims", "input"),
    (
        lambda: ops.conv2d(np.zeros((0, 3)), np.ones((1, 1))),
        ParameterError,
        "param.empty_input",
        "empty",
    ),
    (lambda: ops.conv2d([[1.0, math.nan]], [[1.0]]), ParameterError, "param.nonfinite", "nan"),
    (lambda: ops.conv2d([["a"]], [[1.0]]), ParameterError, "param.bad_number", "number"),
    (
        lambda: ops.pool2d(X3, kind="max", size=2, stride=0),
        ParameterError,
        "param.positive",
        "stride",
    ),
    (
        lambda: ops.pool2d(X3, kind="max", size=3, padding=2),
        ParameterError,
        "param.pool_padding",
        "padding",
    ),
    (
        lambda: ops.pool2d(X3, kind="max", size=4),
        ParameterError,
        "param.output_too_small",
        "output",
    ),
    (
        lambda: ops.pool2d(X3, kind="mean", size=2, dilation=2),
        ParameterError,
        "param.pool_dilation",
        "dilation",
    ),
    (lambda: ops.pool2d(X3, kind="median", size=2), ParameterError, "param.choice", "kind"),
    (lambda: ops.linear([1.0, 2.0, 3.0], np.ones((2, 2))), ShapeError, "shape.linear", "weight"),
    (
        lambda: ops.linear([1.0, 2.0], np.ones((2, 2)), [1.0, 2.0, 3.0]),
        ShapeError,
        "shape.bias",
        "bias",
    ),
    (lambda: ops.cross_entropy([1.0, 2.0], 2), ParameterError, "param.target", "target"),
    (lambda: ops.cross_entropy([1.0, 2.0], -1), ParameterError, "param.target", "target"),
    (lambda: ops.cross_entropy([1.0, 2.0], 1.0), ParameterError, "param.target", "target"),
    # stricter than PyTorch, which broadcasts (1, 2) against (2, 2) with a warning
    (lambda: ops.mse(np.ones((2, 2)), np.ones((1, 2))), ShapeError, "shape.mse", "shape"),
]


@pytest.mark.parametrize("call, cls, key, word", REFUSED, ids=[r[2] for r in REFUSED])
def test_refusals_name_the_parameter_and_the_rule(call, cls, key, word):
    with pytest.raises(cls) as info:
        call()
    assert info.value.key == key
    assert word in str(info.value)
    assert str(info.value) != key  # a real sentence, not the bare key
    assert info.value.message("zh") != info.value.message("en")


def test_result_size_limit_is_checked_before_allocating(monkeypatch):
    monkeypatch.setattr(ops, "MAX_RESULT_CELLS", 10)
    with pytest.raises(LimitError):
        ops.conv2d(X4, [[1.0]])
    with pytest.raises(LimitError):
        ops.pool2d(X4, kind="max", size=1)
    eq(ops.conv2d(X3, np.ones((2, 2))), [[22, 26], [62, 66]])  # 4 cells are fine


def test_huge_padding_with_a_huge_stride_is_refused_not_a_memory_error():
    # the 3x3 result is small, but the padded copy would hold 10^10 cells
    with pytest.raises(LimitError):
        ops.conv2d(np.ones((2, 2)), [[1.0]], padding=50000, stride=50000)
    with pytest.raises(LimitError):
        ops.pool2d(np.ones((2, 2)), kind="max", size=100000, padding=50000)


def test_a_stride_past_the_input_takes_the_first_window_only():
    ones = np.ones((2, 2))
    eq(ops.conv2d(X4, ones, stride=2**62), [[22]])
    eq(ops.conv2d(X4, ones, stride=(10**30, 1)), [[22, 26, 30]])
    eq(ops.pool2d(X4, kind="max", size=2, stride=2**62), [[11]])


def test_every_refusal_is_a_cnncalc_error():
    for call, *_ in REFUSED:
        with pytest.raises(CnncalcError):
            call()


def test_direct_method_keeps_exact_zeros_that_fft_blurs():
    # columns alternate +1/-1; an 11x11 kernel of ones with its last column 0
    # covers 10 live columns, so every window sums to exactly 0
    x = np.zeros((13, 13))
    x[:, ::2] = 1.0
    x[:, 1::2] = -1.0
    k = np.ones((11, 11))
    k[:, -1] = 0.0
    direct = ops.conv2d(x, k, method="direct")
    assert np.array_equal(direct, np.zeros((3, 3)))
    assert np.allclose(ops.conv2d(x, k), direct, atol=1e-9)  # the FFT path: within noise
    with pytest.raises(CnncalcError):
        ops.conv2d(x, k, method="fast")
