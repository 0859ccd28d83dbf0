"""`conv-transpose` (with --explain), and `conv` with --groups, constant and four-sided
padding: exact output on the samples. The 2×2 input [[1, 2], [3, 4]] and the kernel
[[1, 10], [100, 1000]] (its digits show which tap a number came from)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cnncalc.cli import cli

ROOT = Path(__file__).resolve().parent.parent
X = str(ROOT / "samples" / "transpose" / "x.txt")
K = str(ROOT / "samples" / "transpose" / "k.txt")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_stride_two_stamps_the_kernel():
    r = run("conv-transpose", X, K, "--stride", "2", "--format", "plain")
    assert (r.exit_code, r.output) == (0, (
        "1.00\t10.00\t2.00\t20.00\n"
        "100.00\t1000.00\t200.00\t2000.00\n"
        "3.00\t30.00\t4.00\t40.00\n"
        "300.00\t3000.00\t400.00\t4000.00\n"
    ))


def test_padding_cuts_output_padding_adds_and_bias():
    r = run("conv-transpose", X, K, "--stride", "2", "--padding", "1", "--output-padding", "1", "--bias", "0.5",
            "--format", "plain")
    assert r.output == "1000.50\t200.50\t2000.50\n30.50\t4.50\t40.50\n3000.50\t400.50\t4000.50\n"


def test_stride_one_overlaps_add_and_relu_pool_follow():
    r = run("conv-transpose", X, K, "--format", "plain")
    assert r.output == "1.00\t12.00\t20.00\n103.00\t1234.00\t2040.00\n300.00\t3400.00\t4000.00\n"
    r = run("conv-transpose", X, K, "--pool", "max:3", "--format", "plain")
    assert r.output == "4000.00\n"


def test_explain_lists_the_input_cells_and_taps():
    r = run("conv-transpose", X, K, "--explain", "2,2")
    assert r.output == (
        "output cell (2, 2) of map 1: 4 input cells reach it, each times one kernel tap\n"
        "  input (1, 1) × kernel (2, 2): 1.00 × 1000.00 = 1000.00\n"
        "  input (1, 2) × kernel (2, 1): 2.00 × 100.00 = 200.00\n"
        "  input (2, 1) × kernel (1, 2): 3.00 × 10.00 = 30.00\n"
        "  input (2, 2) × kernel (1, 1): 4.00 × 1.00 = 4.00\n"
        "sum: 1234.00\n"
        "value: 1234.00\n"
    )
    doc = json.loads(run("conv-transpose", X, K, "--stride", "2", "--padding", "1", "--bias", "0.5",
                         "--explain", "1,2", "--format", "json").output)
    assert doc["contributions"] == [{"channel": 1, "row": 1, "col": 2, "tap_row": 2, "tap_col": 1,
                                     "value": 2.0, "weight": 100.0, "product": 200.0}]
    assert doc["value"] == 200.5


def test_refusals_are_one_error_line():
    cases = [
        (["--output-padding", "1"], "Error: output_padding 1 must be smaller than stride 1 or dilation 1 along each axis\n"),
        (["--padding", "2"], ("Error: the output would be -1×-1: padding 2 cuts more than the transposed "
                              "convolution of input 2×2 makes\n")),
        (["--explain", "4,1"], None),
    ]
    for args, message in cases:
        r = run("conv-transpose", X, K, *args)
        assert r.exit_code == 2, args
        assert r.output.startswith("Error: ") and r.output.count("\n") == 1
        if message:
            assert r.output == message


def test_conv_groups_constant_and_four_pads(tmp_path):
    (tmp_path / "two.txt").write_text("1 2\n3 4\n\n5 6\n7 8\n")
    (tmp_path / "k2.txt").write_text("1\n\n10\n")
    r = run("conv", str(tmp_path / "two.txt"), str(tmp_path / "k2.txt"), "--groups", "2", "--format", "plain")
    assert r.output == "1.00\t2.00\n3.00\t4.00\n\n50.00\t60.00\n70.00\t80.00\n"
    # (left, right, top, bottom) = (1, 0, 0, 0) filled with 5: [[5, 1, 2], [5, 3, 4]]
    r = run("conv", X, K, "--padding", "1,0,0,0", "--padding-mode", "constant", "--padding-value", "5",
            "--format", "plain")
    assert r.output == "3515.00\t4321.00\n"
    r = run("conv", X, K, "--padding", "1", "--padding-mode", "reflect", "--padding-value", "2")
    assert (r.exit_code, r.output) == (2, ("Error: padding_value applies to padding_mode='constant' only "
                                           "(got padding_mode='reflect')\n"))


def test_conv_and_run_read_kernel_blocks_the_same_way(tmp_path):
    """Six blocks on a two-channel image: three filters, for conv as for run."""
    import numpy as np

    (tmp_path / "x2.txt").write_text("1 2 3\n4 5 6\n7 8 9\n\n9 8 7\n6 5 4\n3 2 1\n")
    blocks = "\n\n".join(f"{a} 0\n0 {b}" for a, b in ((1, 1), (1, -1), (2, 0), (0, 2), (1, 0), (0, 1)))
    (tmp_path / "k6.txt").write_text(blocks + "\n")
    conv = run("conv", str(tmp_path / "x2.txt"), str(tmp_path / "k6.txt"), "--format", "json")
    chain = run("run", str(tmp_path / "x2.txt"), f"conv({tmp_path / 'k6.txt'})", "--format", "json")
    assert conv.exit_code == 0 and chain.exit_code == 0
    assert json.loads(conv.output)["shape"] == [3, 2, 2]
    assert json.loads(conv.output)["output"] == json.loads(chain.output)["output"]
    # filter 1 is (1, 1 / 1, −1) on (channel 1, channel 2): cell (1, 1) = 1 + 5 + 9 − 5 = 10
    assert np.asarray(json.loads(conv.output)["output"])[0, 0, 0] == 10.0


def test_animate_transposed_spreads_the_input(tmp_path):
    import pytest

    pytest.importorskip("PIL")
    r = run("animate", X, K, "--transposed", "--stride", "2", "-o", str(tmp_path / "t.gif"),
            "--frames", str(tmp_path / "frames"))
    assert r.exit_code == 0
    assert len(list((tmp_path / "frames").glob("frame-*.png"))) == 17  # 4×4 output cells + the last frame
    r = run("animate", X, K, "--transposed", "--padding", "same", "-o", str(tmp_path / "u.gif"))
    assert (r.exit_code, r.output) == (2, ("Error: animate --transposed takes --stride, --padding (INT or H,W), "
                                           "--output-padding, --dilation and --bias only\n"))
