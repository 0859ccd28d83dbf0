"""`cnncalc shape`: output shapes, parameter counts and multiply-adds, by hand.

The course notes' Net on 1×32×32: conv(6, 3) → 6×30×30 with 6·1·3·3 + 6 = 60
parameters and 6·30·30·9 = 54,000 MACs; maxpool(2) → 6×15×15; conv(16, 5) →
16×11×11 with 16·6·5·5 + 16 = 2,416 parameters and 16·11·11·150 = 292,336
MACs; maxpool(2) → 16×5×5. (PyTorch agrees: tests/test_pipeline_golden.py.)
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncalc.cli import cli
from cnncalc.engine import ops
from cnncalc.errors import CnncalcError
from cnncalc.net.chain import StageError
from cnncalc.net.shapes import parse_input_shape, shape_summary

ROOT = Path(__file__).resolve().parent.parent
SEED_NET = "conv(6, 3) | relu | maxpool(2) | conv(16, 5) | relu | maxpool(2)"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# --------------------------------------------------------------------------- the summary


def test_seed_net_acceptance():
    s = shape_summary("1x32x32", SEED_NET)
    assert [(layer.stage, layer.output_shape, layer.params, layer.macs) for layer in s.layers] == [
        ("conv(6, 3)", (6, 30, 30), 60, 54_000),
        ("relu", (6, 30, 30), 0, 0),
        ("maxpool(2)", (6, 15, 15), 0, 0),
        ("conv(16, 5)", (16, 11, 11), 2_416, 292_336),
        ("relu", (16, 11, 11), 0, 0),
        ("maxpool(2)", (16, 5, 5), 0, 0),
    ]
    assert (s.output_shape, s.total_params, s.total_macs) == ((16, 5, 5), 2_476, 346_336)


def test_classifier_head_counts():
    s = shape_summary((1, 32, 32), SEED_NET + " | flatten | linear(120) | relu | linear(10, bias=false) | softmax")
    flat, lin1, _, lin2, soft = s.layers[6:]
    assert (flat.output_shape, flat.params) == ((400,), 0)
    assert (lin1.output_shape, lin1.params, lin1.macs) == ((120,), 400 * 120 + 120, 48_120)
    assert (lin2.output_shape, lin2.params, lin2.macs) == ((10,), 1_200, 1_200)
    assert soft.output_shape == (10,)
    assert s.total_params == 2_476 + 48_120 + 1_200


def test_conv_options_change_the_shape_as_the_formula_says():
    # (32 + 2·1 − 2·(3−1) − 1) // 2 + 1 = 15
    (layer,) = shape_summary("3x32x32", "conv(8, 3, stride=2, padding=1, dilation=2)").layers
    assert layer.output_shape == (8, 15, 15)
    assert (layer.params, layer.macs) == (8 * 3 * 9 + 8, (8 * 3 * 9 + 8) * 15 * 15)
    (layer,) = shape_summary("1x10x12", "conv(2, (3,5), padding=same, bias=false)").layers
    assert (layer.output_shape, layer.params) == ((2, 10, 12), 30)
    (layer,) = shape_summary("1x10x12", "conv(out_channels=2, kernel_size=3x1, stride=(2,3), padding=valid)").layers
    assert layer.output_shape == (2, 4, 4)


def test_pool_options():
    s = shape_summary("4x7x7", "maxpool(2, ceil_mode=true) | avgpool(3, stride=1, padding=1) | sumpool(2)")
    assert [layer.output_shape for layer in s.layers] == [(4, 4, 4), (4, 4, 4), (4, 2, 2)]
    assert shape_summary("1x9x9", "maxpool(3, stride=1, dilation=2)").layers[0].output_shape == (1, 5, 5)


def test_linear_on_a_map_flattens_it():
    (layer,) = shape_summary("2x3x4", "linear(5)").layers
    assert (layer.output_shape, layer.params, layer.macs) == ((5,), 24 * 5 + 5, 125)


@pytest.mark.parametrize(
    "text, shape",
    [("1x32x32", (1, 32, 32)), ("1×32×32", (1, 32, 32)), ("32x32", (1, 32, 32)), ("3 x 28 x 28", (3, 28, 28)),
     ("3,28,28", (3, 28, 28)), ("1X5X6", (1, 5, 6)), ("2*3*4", (2, 3, 4))],
)
def test_input_shapes(text, shape):
    assert parse_input_shape(text) == shape


@pytest.mark.parametrize("text", ["32", "2x1x32x32x3", "0x32x32", "axb", "", "1x-3x3", "1.5x3x3"])
def test_bad_input_shapes(text):
    with pytest.raises(CnncalcError) as info:
        parse_input_shape(text)
    assert str(info.value) == (
        f"the input shape must be C×H×W, H×W or N×C×H×W (a batch) in positive integers, e.g. 1x32x32 (got {text!r})"
    )


@pytest.mark.parametrize(
    "shape, chain, message",
    [
        ("1x8x8", "conv(6, 3) | maxpool(2) | conv(16, 5)",
         ("stage 3 'conv(16, 5)' at character 27 (its input is 6×3×3): the kernel (5×5, dilated extent 5×5) "
         "is larger than the padded input (3×3)")),
        ("1x12x12", SEED_NET,
         ("stage 6 'maxpool(2)' at character 55 (its input is 16×1×1): the output would be 0×0: input 1×1 with "
         "size=2, stride=2, padding=0, dilation=1 gives no window")),
        ("1x4x4", "conv(2, 3, padding=4, padding_mode=reflect)",
         ("stage 1 'conv(2, 3, padding=4, padding_mode=reflect)' at character 1 (its input is 1×4×4): padding 4 "
         "is too large for reflect padding of an input of size 4: it must be smaller than the input")),
        ("1x4x4", "conv(2, 3, padding=5, padding_mode=circular)",
         ("stage 1 'conv(2, 3, padding=5, padding_mode=circular)' at character 1 (its input is 1×4×4): padding 5 "
         "is too large for circular padding of an input of size 4: it must be at most the input size")),
        ("1x8x8", "conv(k1.txt, 3)",
         ("stage 1 'conv(k1.txt, 3)' at character 6: conv takes sizes here, not files: conv(6, 3) "
         "(OUT channels, K×K kernel)")),
        ("1x8x8", "conv(6)", ("stage 1 'conv(6)' at character 1: conv needs KERNEL, e.g. conv(6, 3) "
         "(OUT channels, K×K kernel)")),
        ("1x8x8", "conv(0, 3)", "stage 1 'conv(0, 3)' at character 6: out must be a positive integer (got 0)"),
        ("1x8x8", "conv(2, 0)", "stage 1 'conv(2, 0)' at character 9: kernel must be a positive integer (got 0)"),
        ("1x8x8", "flatten | linear(w.txt)",
         "stage 2 'linear(w.txt)' at character 18: linear takes sizes here, not files: linear(120) (OUT features)"),
        ("1x8x8", "flatten | conv(2, 3)",
         "stage 2 'conv(2, 3)' at character 11: conv needs a map C×H×W but its input is 64"),
        ("1x8x8", "flatten | maxpool(2)",
         "stage 2 'maxpool(2)' at character 11: maxpool needs a map C×H×W but its input is 64"),
        ("1x8x8", "softmax", ("stage 1 'softmax' at character 1: softmax needs a vector but its input is 1×8×8: "
         "put flatten (or linear) before it")),
        ("1x8x8", "conv(2, 3, groups=2)",
         "stage 1 'conv(2, 3, groups=2)' at character 12: groups=2 must divide the input channels (1)"),
        ("1x8x8", "conv(2, 3, bias=b.txt)",
         "stage 1 'conv(2, 3, bias=b.txt)' at character 12: bias must be true or false (got 'b.txt')"),
        ("1x8x8", "conv(2, 3, stride=2, padding=same)",
         ("stage 1 'conv(2, 3, stride=2, padding=same)' at character 22: padding='same' needs stride 1 "
         "(got stride 2), as in PyTorch")),
        ("1x8x8", "avgpool(2, dilation=2)",
         ("stage 1 'avgpool(2, dilation=2)' at character 12: avgpool has no option 'dilation'; its options are "
         "size, stride, padding, ceil_mode, count_include_pad")),
    ],
)
def test_stages_that_cannot_fit_name_the_stage_and_sizes(shape, chain, message):
    with pytest.raises(StageError) as info:
        shape_summary(shape, chain)
    assert str(info.value) == message


def test_to_json():
    assert shape_summary("1x5x5", "conv(2, 3) | flatten").to_json() == {
        "layers": [
            {"stage": "conv(2, 3)", "output_shape": [2, 3, 3], "params": 20, "macs": 180},
            {"stage": "flatten", "output_shape": [18], "params": 0, "macs": 0},
        ],
        "total_params": 20,
        "total_macs": 180,
    }


@settings(max_examples=80, deadline=None)
@given(
    c=st.integers(1, 3), h=st.integers(1, 12), w=st.integers(1, 12), out=st.integers(1, 4),
    kh=st.integers(1, 4), kw=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2),
    d=st.integers(1, 2), bias=st.booleans(),
)
def test_conv_shape_agrees_with_running_conv2d(c, h, w, out, kh, kw, s, p, d, bias):
    chain = f"conv({out}, ({kh},{kw}), stride={s}, padding={p}, dilation={d}, bias={str(bias).lower()})"
    try:
        real = ops.conv2d(np.zeros((c, h, w)), np.zeros((out, c, kh, kw)), stride=s, padding=p, dilation=d)
    except CnncalcError:
        with pytest.raises(StageError):
            shape_summary((c, h, w), chain)
        return
    (layer,) = shape_summary((c, h, w), chain).layers
    assert layer.output_shape == real.shape
    assert layer.params == out * c * kh * kw + (out if bias else 0)
    assert layer.macs == layer.params * real.shape[-2] * real.shape[-1]  # torchinfo


@settings(max_examples=80, deadline=None)
@given(
    h=st.integers(1, 12), k=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2),
    ceil=st.booleans(), kind=st.sampled_from(["maxpool", "avgpool", "sumpool"]),
)
def test_pool_shape_agrees_with_running_pool2d(h, k, s, p, ceil, kind):
    chain = f"{kind}({k}, stride={s}, padding={p}, ceil_mode={str(ceil).lower()})"
    try:
        real = ops.pool2d(np.zeros((2, h, h + 1)), kind={"maxpool": "max", "avgpool": "mean", "sumpool": "sum"}[kind],
                          size=k, stride=s, padding=p, ceil_mode=ceil)
    except CnncalcError:
        with pytest.raises(StageError):
            shape_summary((2, h, h + 1), chain)
        return
    assert shape_summary((2, h, h + 1), chain).layers[0].output_shape == real.shape


# --------------------------------------------------------------------------- the command

TABLE = """\
stage         output shape   params      MACs
─────────────────────────────────────────────
input         1×32×32                        
conv(6, 3)    6×30×30            60    54,000
relu          6×30×30             0         0
maxpool(2)    6×15×15             0         0
conv(16, 5)   16×11×11        2,416   292,336
relu          16×11×11            0         0
maxpool(2)    16×5×5              0         0
─────────────────────────────────────────────
total                         2,476   346,336
"""

PLAIN = """\
stage\toutput shape\tparams\tMACs
input\t1×32×32
conv(6, 3)\t6×30×30\t60\t54,000
relu\t6×30×30\t0\t0
maxpool(2)\t6×15×15\t0\t0
conv(16, 5)\t16×11×11\t2,416\t292,336
relu\t16×11×11\t0\t0
maxpool(2)\t16×5×5\t0\t0
total\t\t2,476\t346,336
"""


def test_cli_table_reports_16x5x5_and_60_plus_2416_parameters():
    result = run("shape", "1x32x32", SEED_NET, "--format", "table", "--no-color")
    assert result.exit_code == 0
    assert result.output == TABLE


def test_cli_plain_is_the_default_when_piped():
    assert run("shape", "1×32×32", SEED_NET).output == PLAIN


def test_cli_json():
    data = json.loads(run("shape", "32x32", SEED_NET, "--format", "json").output)
    assert [layer["output_shape"] for layer in data["layers"]][-1] == [16, 5, 5]
    assert [layer["params"] for layer in data["layers"]] == [60, 0, 0, 2416, 0, 0]
    assert (data["total_params"], data["total_macs"]) == (2476, 346336)
    assert list(data["layers"][0]) == ["stage", "output_shape", "params", "macs"]


def test_cli_csv_tsv_markdown_latex():
    assert run("shape", "1x5x5", "conv(2, 3) | flatten", "--format", "csv").output == (
        'stage,output_shape,params,macs\ninput,1×5×5,,\n"conv(2, 3)",2×3×3,20,180\nflatten,18,0,0\ntotal,,20,180\n'
    )
    assert run("shape", "1x5x5", "conv(2, 3)", "--format", "tsv").output == (
        "stage\toutput_shape\tparams\tmacs\ninput\t1×5×5\t\t\nconv(2, 3)\t2×3×3\t20\t180\ntotal\t\t20\t180\n"
    )
    assert run("shape", "1x5x5", "conv(2, 3)", "--format", "markdown").output == (
        "| stage | output shape | params | MACs |\n|---|---|---:|---:|\n| input | 1×5×5 |  |  |\n"
        "| conv(2, 3) | 2×3×3 | 20 | 180 |\n| total |  | 20 | 180 |\n"
    )
    assert run("shape", "1x5x5", "leaky_relu", "--format", "latex").output == (
        "\\begin{tabular}{llrr}\n\\hline\nstage & output shape & params & MACs \\\\\n\\hline\n"
        "input & 1$\\times$5$\\times$5 &  &  \\\\\nleaky\\_relu & 1$\\times$5$\\times$5 & 0 & 0 \\\\\n\\hline\n"
        "total &  & 0 & 0 \\\\\n\\hline\n\\end{tabular}\n"
    )


def test_cli_chinese_and_output_file(tmp_path):
    out = run("shape", "1x32x32", SEED_NET, "--lang", "zh", "--format", "plain").output
    assert out.splitlines()[0] == "步骤\t输出形状\t参数量\t乘加次数"
    assert out.splitlines()[-1] == "合计\t\t2,476\t346,336"
    result = run("shape", "1x32x32", SEED_NET, "--lang", "en", "-o", str(tmp_path / "net.md"))
    assert result.output == ""
    assert (tmp_path / "net.md").read_text().startswith("| stage | output shape | params | MACs |\n")


def test_cli_seed_net_sample_file():
    result = run("shape", "1x32x32", f"@{ROOT / 'samples/net/seed-net.txt'}")
    assert result.output == PLAIN


@pytest.mark.parametrize(
    "args, message",
    [
        (["1x8x8", "conv(6, 3) | maxpool(2) | conv(16, 5)"],
         ("Error: stage 3 'conv(16, 5)' at character 27 (its input is 6×3×3): the kernel (5×5, dilated extent 5×5) "
         "is larger than the padded input (3×3)\n")),
        (["32", "relu"], ("Error: the input shape must be C×H×W, H×W or N×C×H×W (a batch) in positive integers, e.g. 1x32x32 "
         "(got '32')\n")),
        (["1x8x8", "relu |"], ("Error: stage 2 at character 7: empty stage: two '|' with nothing between them, "
         "or a '|' at an end\n")),
    ],
)
def test_cli_errors(args, message):
    result = run("shape", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message


def test_cli_error_in_chinese():
    result = run("shape", "1x8x8", "conv(6, 3) | maxpool(2) | conv(16, 5)", "--lang", "zh")
    assert result.stderr == (
        "Error: 第 3 步 “conv(16, 5)” 第 27 个字符处（其输入为 6×3×3）: 卷积核（5×5，膨胀后范围 5×5）"
        "大于填充后的输入（3×3）\n"
    )
