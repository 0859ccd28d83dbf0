"""The worked computation of one cell: core values by hand, and `cnncalc explain` exactly."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncalc.check.worked import explain_cell, number_text, parse_at, sum_expression
from cnncalc.cli import cli
from cnncalc.engine import ops
from cnncalc.errors import ParameterError
from cnncalc.read import read_matrix

ROOT = Path(__file__).resolve().parent.parent
X = ROOT / "samples/xo/x.txt"
K1 = ROOT / "samples/xo/k1.txt"
IMG = np.arange(1.0, 10.0).reshape(3, 3)  # 1..9


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


# --------------------------------------------------------------------------- core


def test_seed_cell_1_1():
    e = explain_cell(read_matrix(X), read_matrix(K1), row=1, col=1, norm="mean")
    assert e.window[0].tolist() == [[-1, -1, -1], [-1, 1, -1], [-1, -1, 1]]
    assert e.products[0].tolist() == [[-1, 1, 1], [1, 1, 1], [1, 1, 1]]
    assert (e.sum, e.divisor, e.value) == (7.0, 9, 7 / 9)


def test_every_cell_agrees_with_conv2d():
    x, k = read_matrix(X), read_matrix(K1)
    full = ops.conv2d(x, k, padding=1, stride=2, dilation=2, norm="mean", bias=0.5)
    for i in range(full.shape[0]):
        for j in range(full.shape[1]):
            e = explain_cell(x, k, row=i + 1, col=j + 1, padding=1, stride=2, dilation=2, norm="mean", bias=0.5)
            assert e.value == pytest.approx(full[i, j])


def test_padding_stride_and_dilation_place_the_window():
    e = explain_cell(IMG, np.ones((2, 2)), row=2, col=2, padding=1, stride=2)
    # padded image 5x5; output (2, 2) starts at padded row/col 2 (0-based)
    assert (e.rows.tolist(), e.cols.tolist()) == ([2, 3], [2, 3])
    assert e.window[0].tolist() == [[5, 6], [8, 9]]
    e = explain_cell(IMG, np.ones((2, 2)), row=1, col=1, dilation=2)
    assert (e.rows.tolist(), e.window[0].tolist(), e.sum) == ([0, 2], [[1, 3], [7, 9]], 20.0)


def test_flip_bias_and_filter_bank():
    k = np.array([[1.0, 0.0], [0.0, -1.0]])
    e = explain_cell(IMG, k, row=1, col=1, flip=True)
    assert e.kernel[0].tolist() == [[-1, 0], [0, 1]] and e.sum == 4.0
    e = explain_cell(IMG, np.stack([k, 2 * k]), row=1, col=1, map=2, bias=np.array([0.5, 1.5]))
    assert (e.sum, e.bias, e.value, e.maps) == (-8.0, 1.5, -6.5, 2)


def test_channels():
    x = np.stack([IMG, -IMG])
    e = explain_cell(x, np.ones((2, 2, 2)), row=1, col=1, norm="mean")
    assert e.window.shape == (2, 2, 2)
    assert (e.sum, e.divisor, e.value) == (0.0, 8, 0.0)
    assert np.array(e.to_json()["window"]).shape == (2, 2, 2)


def test_out_of_range_names_at_and_the_shape():
    with pytest.raises(ParameterError) as info:
        explain_cell(read_matrix(X), read_matrix(K1), row=8, col=1)
    assert str(info.value) == (
        "--at 8,1 is outside the output: it is 7×7, so the row must be 1 to 7 and the column 1 to 7"
    )
    with pytest.raises(ParameterError, match="--map must be 1: the kernel file has 1 filter"):
        explain_cell(IMG, np.ones((2, 2)), row=1, col=1, map=2)


@pytest.mark.parametrize("text, pair", [("1,1", (1, 1)), ("2, 3", (2, 3)), ("(4,5)", (4, 5)), ("6 7", (6, 7))])
def test_parse_at(text, pair):
    assert parse_at(text) == pair


@pytest.mark.parametrize("text", ["1", "a,b", "1,2,3", ""])
def test_parse_at_rejects(text):
    with pytest.raises(ParameterError, match="--at must be ROW,COL"):
        parse_at(text)


def test_sum_expression():
    assert sum_expression(np.array([[-1.0, 1.0], [1.0, 0.25]])) == "-1 + 1 + 1 + 0.25"
    assert sum_expression(np.ones(30)) is None


# --------------------------------------------------------------------------- CLI


SEED_PLAIN = (
    "Image\n"
    "[-1]\t[-1]\t[-1]\t-1\t-1\t-1\t-1\t-1\t-1\n"
    "[-1]\t[1]\t[-1]\t-1\t-1\t-1\t-1\t1\t-1\n"
    "[-1]\t[-1]\t[1]\t-1\t-1\t-1\t1\t-1\t-1\n"
    "-1\t-1\t-1\t1\t-1\t1\t-1\t-1\t-1\n"
    "-1\t-1\t-1\t-1\t1\t-1\t-1\t-1\t-1\n"
    "-1\t-1\t-1\t1\t-1\t1\t-1\t-1\t-1\n"
    "-1\t-1\t1\t-1\t-1\t-1\t1\t-1\t-1\n"
    "-1\t1\t-1\t-1\t-1\t-1\t-1\t1\t-1\n"
    "-1\t-1\t-1\t-1\t-1\t-1\t-1\t-1\t-1\n"
    "The receptive field of cell (1, 1): rows 1–3, columns 1–3\n"
    "Kernel\n"
    "1\t-1\t-1\n"
    "-1\t1\t-1\n"
    "-1\t-1\t1\n"
    "Products (window × kernel, cell by cell)\n"
    "-1\t1\t1\n"
    "1\t1\t1\n"
    "1\t1\t1\n"
    "Sum of the 9 products: -1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 = 7\n"
    "Mean (norm=mean, 9 kernel cells): 7 / 9 = 0.77\n"
    "Value of cell (1, 1): 0.77\n"
)


def test_explain_seed_cell_plain():
    result = run("explain", X, K1, "--at", "1,1", "--norm", "mean", "--round", "truncate", "--format", "plain")
    assert result.exit_code == 0
    assert result.output == SEED_PLAIN


def test_explain_seed_cell_json():
    result = run("explain", X, K1, "--at", "1,1", "--norm", "mean", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "row": 1,
        "col": 1,
        "window": [[-1, -1, -1], [-1, 1, -1], [-1, -1, 1]],
        "kernel": [[1, -1, -1], [-1, 1, -1], [-1, -1, 1]],
        "products": [[-1, 1, 1], [1, 1, 1], [1, 1, 1]],
        "sum": 7,
        "value": 7 / 9,
    }


def test_explain_padding_bias_chinese(tmp_path: Path):
    (tmp_path / "img.txt").write_text("1 2\n3 4\n")
    (tmp_path / "k.txt").write_text("1 1\n1 1\n")
    result = run("explain", tmp_path / "img.txt", tmp_path / "k.txt", "--at", "1,1", "--padding", "1",
                 "--bias", "0.5", "--format", "plain", "--lang", "zh")
    assert result.exit_code == 0
    assert result.output == (
        "填充 1 后的图像（zeros）\n"
        "[0]\t[0]\t0\t0\n"
        "[0]\t[1]\t2\t0\n"
        "0\t3\t4\t0\n"
        "0\t0\t0\t0\n"
        "格子 (1, 1) 的感受野：第 1–2 行，第 1–2 列（按填充后的图像计）\n"
        "卷积核\n"
        "1\t1\n"
        "1\t1\n"
        "乘积（窗口 × 卷积核，逐格相乘）\n"
        "0\t0\n"
        "0\t1\n"
        "4 个乘积之和：0 + 0 + 0 + 1 = 1\n"
        "norm=sum：值就是这个和。\n"
        "加偏置：1 + 0.50 = 1.50\n"
        "格子 (1, 1) 的值：1.50\n"
    )


def test_explain_markdown_marks_the_window_in_bold():
    result = run("explain", X, K1, "--at", "7,7", "--format", "markdown")
    assert "| **7** | -1 | -1 | 1 | -1 | -1 | -1 | **1** | **-1** | **-1** |" in result.output


def test_explain_table_without_colour():
    result = run("explain", X, K1, "--at", "1,1", "--norm", "mean", "--format", "table", "--no-color")
    assert result.exit_code == 0
    assert "Sum of the 9 products: -1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 = 7" in result.output
    assert "\x1b[" not in result.output


@pytest.mark.parametrize(
    "at, message",
    [
        ("8,1", "Error: --at 8,1 is outside the output: it is 7×7, so the row must be 1 to 7 and the column 1 to 7\n"),
        ("0,1", "Error: --at 0,1 is outside the output: it is 7×7, so the row must be 1 to 7 and the column 1 to 7\n"),
        ("x", "Error: --at must be ROW,COL with 1-based whole numbers (got 'x')\n"),
    ],
)
def test_explain_bad_at_exits_2(at, message):
    result = run("explain", X, K1, "--at", at)
    assert (result.exit_code, result.output) == (2, message)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False) | st.integers(-50, 50).map(lambda n: n / 9), min_size=1, max_size=30),
    st.integers(0, 4),
    st.sampled_from(["half-even", "half-up", "truncate"]),
)
def test_vectorised_cell_texts_equal_number_text(values, precision, mode):
    """The padded image's cells are formatted at once (a big image has millions): the
    same texts as ``number_text`` cell by cell."""
    from cnncalc.check.report import _numbers

    arr = np.array(values)
    assert _numbers(arr, precision, mode).tolist() == [number_text(v, precision, mode) for v in values]


def test_explain_a_grouped_filter_sees_only_its_groups_channels(tmp_path):
    """Two channels, groups 2, four 1×1 filters: filters 3 and 4 read channel 2 only."""
    (tmp_path / "x.txt").write_text("1 2\n3 4\n\n10 20\n30 40\n")
    (tmp_path / "k.txt").write_text("1\n\n2\n\n3\n\n4\n")
    e = explain_cell(read_matrix(tmp_path / "x.txt"), np.array([1.0, 2.0, 3.0, 4.0]).reshape(4, 1, 1, 1),
                     row=2, col=2, map=3, groups=2)
    assert (e.first_channel, e.window.tolist(), e.value) == (2, [[[40.0]]], 120.0)
    result = CliRunner().invoke(cli, ["explain", str(tmp_path / "x.txt"), str(tmp_path / "k.txt"),
                                      "--groups", "2", "--at", "2,2", "--map", "3", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["value"] == 120.0


def test_explain_constant_padding_fills_with_the_value():
    e = explain_cell(np.array([[2.0]]), np.ones((3, 3)), row=1, col=1, padding=1,
                     padding_mode="constant", padding_value=5.0)
    assert e.window[0].tolist() == [[5.0, 5.0, 5.0], [5.0, 2.0, 5.0], [5.0, 5.0, 5.0]]
    assert e.value == 42.0 == float(ops.conv2d(np.array([[2.0]]), np.ones((3, 3)), padding=1,
                                               padding_mode="constant", padding_value=5.0)[0, 0])
