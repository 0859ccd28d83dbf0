"""`train-step` and the training core: hand-checked steps, optimizers, --save, --explain, errors.

The hand network (``net`` fixture), every number checkable on paper:

    x = 1 2 0     k = 1 0     conv → 2 5    relu, flatten → v = (2, 5, 0, 2)
        0 1 3         0 1            0 2
        1 0 1
    W = 0.5 0 0 0      b = (0, 0)    logits = W·v + b = (1, 1), softmax (0.5, 0.5)
        0   0 0 0.5
    target 0: loss = ln 2; dL/dlogits = (0.5 − 1, 0.5) = (−0.5, 0.5)
    dW = outer(g, v) = −1 −2.5 0 −1 / 1 2.5 0 1, db = (−0.5, 0.5)
    dv = Wᵀg = (−0.25, 0, 0, 0.25) → dL/dconv = −0.25 0 / 0 0.25
    dk[a, b] = −0.25·x[a, b] + 0.25·x[a+1, b+1] = 0 0.25 / 0 0
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncalc.cli import cli
from cnncalc.errors import CnncalcError, ParameterError
from cnncalc.net.pipeline import parse_pipeline
from cnncalc.read import read_matrix
from cnncalc.train.optim import SGD, Adam, make_optimizer
from cnncalc.train.step import train_network

ROOT = Path(__file__).resolve().parent.parent
CHAIN = "conv(k.txt) | relu | flatten | linear(w.txt, b.txt)"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def net(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "x.txt").write_text("1 2 0\n0 1 3\n1 0 1\n")
    (tmp_path / "k.txt").write_text("1 0\n0 1\n")
    (tmp_path / "w.txt").write_text("0.5 0 0 0\n0 0 0 0.5\n")
    (tmp_path / "b.txt").write_text("0 0\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def train(chain: str = CHAIN, x: str = "x.txt", **kwargs):
    kwargs.setdefault("target", 0)
    kwargs.setdefault("optimizer", SGD(lr=0.1))
    return train_network(read_matrix(x), parse_pipeline(chain), **kwargs)


# --------------------------------------------------------------------------- hand-checked


def test_one_sgd_step_by_hand(net):
    r = train()
    assert r.losses == [pytest.approx(math.log(2), abs=1e-15)]
    kernel, weight, bias = r.params
    assert [(p.stage, p.stage_name, p.name) for p in r.params] == [
        (1, "conv", "weight"), (4, "linear", "weight"), (4, "linear", "bias")]
    assert kernel.grad.tolist() == [[0.0, 0.25], [0.0, 0.0]]
    assert weight.grad.tolist() == [[-1.0, -2.5, 0.0, -1.0], [1.0, 2.5, 0.0, 1.0]]
    assert bias.grad.tolist() == [-0.5, 0.5]
    np.testing.assert_allclose(kernel.updated, [[1.0, -0.025], [0.0, 1.0]], atol=1e-15)
    np.testing.assert_allclose(weight.updated, [[0.6, 0.25, 0.0, 0.1], [-0.1, -0.25, 0.0, 0.4]],
                               atol=1e-15)
    np.testing.assert_allclose(bias.updated, [0.05, -0.05], atol=1e-15)
    assert kernel.value.tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_steps_recompute_loss_and_keep_first_gradient(net):
    r = train(steps=3)
    assert len(r.losses) == 3 and len(r.step_grads) == 3
    assert r.losses[0] > r.losses[1] > r.losses[2]
    assert r.params[2].grad.tolist() == [-0.5, 0.5]  # the gradient shown is step 1's
    # step 2 starts from step 1's update: logits W'·v' + b' with the hand values above
    x = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [1.0, 0.0, 1.0]])
    k1 = np.array([[1.0, -0.025], [0.0, 1.0]])
    conv = np.array([[np.sum(x[i:i + 2, j:j + 2] * k1) for j in range(2)] for i in range(2)])
    v = np.maximum(conv, 0).reshape(-1)
    w1 = np.array([[0.6, 0.25, 0.0, 0.1], [-0.1, -0.25, 0.0, 0.4]])
    z = w1 @ v + np.array([0.05, -0.05])
    assert r.losses[1] == pytest.approx(-z[0] + np.log(np.sum(np.exp(z))), abs=1e-12)


def test_conv_bias_is_trained_only_when_given(net):
    assert [p.name for p in train().params if p.stage == 1] == ["weight"]
    r = train("conv(k.txt, bias=0.5) | relu | flatten | linear(w.txt, b.txt)")
    bias = next(p for p in r.params if p.stage == 1 and p.name == "bias")
    # dL/dbias = Σ dL/dconv = −0.25 + 0 + 0 + 0.25; the conv output shifts by 0.5
    # everywhere, logits become (1.25, 1.25): still (0.5, 0.5)
    assert bias.value.tolist() == [0.5] and bias.grad.tolist() == [0.0]


def test_a_bias_number_is_widened_to_one_per_filter(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.txt").write_text("1 2\n3 4\n")
    (tmp_path / "bank.txt").write_text("1\n\n-1\n")  # two 1×1 filters
    (tmp_path / "w.txt").write_text("1 0 0 0 0 0 0 0\n0 0 0 0 1 0 0 0\n")
    r = train("conv(bank.txt, bias=0.25) | flatten | linear(w.txt)", x="x.txt")
    bias = r.params[1]
    assert bias.name == "bias" and bias.value.tolist() == [0.25, 0.25]
    # logits (1.25, -0.75): p0 = 1/(1+e^-2); dL/dlogit = (p0 − 1, 1 − p0) feeds filter 1 at
    # cell (1,1) and filter 2 at cell (1,1) only
    p0 = 1 / (1 + math.exp(-2))
    np.testing.assert_allclose(bias.grad, [p0 - 1, 1 - p0], atol=1e-15)
    assert r.params[2].name == "weight" and len(r.params) == 3


def test_softmax_last_uses_minus_log_p(net):
    plain = train()
    soft = train(CHAIN + " | softmax")
    np.testing.assert_allclose(soft.losses, plain.losses, atol=1e-15)
    for a, b in zip(soft.params, plain.params):
        np.testing.assert_allclose(a.grad, b.grad, atol=1e-15)


def test_no_trainable_parameters_still_reports_the_loss(net):
    r = train("flatten | softmax")
    assert r.params == [] and len(r.losses) == 1


# --------------------------------------------------------------------------- optimizers


def test_sgd_weight_decay_and_momentum_by_hand():
    p, g = [np.array([2.0])], [np.array([1.0])]
    assert SGD(lr=0.1, weight_decay=0.5).step(p, g)[0].tolist() == [2.0 - 0.1 * (1 + 1)]
    sgd = SGD(lr=0.1, momentum=0.9, weight_decay=0.5)
    p1 = sgd.step(p, g)  # d = 1 + 0.5·2 = 2, buffer = 2 → 2 − 0.2 = 1.8
    assert p1[0].tolist() == [1.8]
    p2 = sgd.step(p1, g)  # d = 1 + 0.9 = 1.9, buffer = 0.9·2 + 1.9 = 3.7 → 1.8 − 0.37
    np.testing.assert_allclose(p2[0], [1.43], atol=1e-15)
    assert p[0].tolist() == [2.0]  # inputs are never written


def test_adam_two_steps_by_hand():
    adam = Adam(lr=0.1, betas=(0.5, 0.75), eps=0.0)
    p1 = adam.step([np.array([1.0])], [np.array([2.0])])
    # m = 0.5·2 = 1, v = 0.25·4 = 1; m̂ = 1/0.5 = 2, v̂ = 1/0.25 = 4 → 1 − 0.1·2/2
    np.testing.assert_allclose(p1[0], [0.9], atol=1e-15)
    p2 = adam.step(p1, [np.array([-2.0])])
    # m = 0.5·1 − 1 = −0.5 → m̂ = −0.5/0.75; v = 0.75 + 1 = 1.75 → v̂ = 1.75/0.4375 = 4
    np.testing.assert_allclose(p2[0], [0.9 + 0.1 * (0.5 / 0.75) / 2], atol=1e-15)


def test_adam_weight_decay_is_added_to_the_gradient():
    a = Adam(lr=0.1, weight_decay=1.0, eps=0.0).step([np.array([1.0])], [np.array([-3.0])])
    # g = −3 + 1 = −2: the first Adam step moves by lr against the sign of g
    np.testing.assert_allclose(a[0], [1.1], atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "sgd", "lr": -1.0}, "lr must be a number >= 0 (got -1.0)"),
        ({"name": "sgd", "lr": 0.1, "momentum": -0.5}, "momentum must be a number >= 0"),
        ({"name": "adam", "lr": 0.1, "betas": (0.9, 1.0)}, "beta 2 must be in [0, 1)"),
        ({"name": "adam", "lr": 0.1, "eps": -1e-8}, "eps must be a number >= 0"),
        ({"name": "adam", "lr": 0.1, "weight_decay": -1}, "weight_decay must be a number >= 0"),
        ({"name": "sgd", "lr": 0.1, "betas": (0.9, 0.99)}, "--betas applies to the adam"),
        ({"name": "adam", "lr": 0.1, "momentum": 0.9}, "--momentum applies to the sgd"),
        ({"name": "rmsprop", "lr": 0.1}, "optimizer must be one of sgd, adam"),
    ],
)
def test_optimizer_settings_are_checked(kwargs, message):
    name = kwargs.pop("name")
    with pytest.raises(ParameterError) as info:
        make_optimizer(name, **kwargs)
    assert message in str(info.value)


# --------------------------------------------------------------------------- CLI output

PLAIN = """\
# loss per step
# step\tloss
1\t0.6931

# stage 1 · conv · weight · 2×2 — value (before step 1)
1.0000\t0.0000
0.0000\t1.0000

# stage 1 · conv · weight · 2×2 — gradient (at step 1)
0.0000\t0.2500
0.0000\t0.0000

# stage 1 · conv · weight · 2×2 — updated (after step 1)
1.0000\t-0.0250
0.0000\t1.0000

# stage 4 · linear · weight · 2×4 — value (before step 1)
0.5000\t0.0000\t0.0000\t0.0000
0.0000\t0.0000\t0.0000\t0.5000

# stage 4 · linear · weight · 2×4 — gradient (at step 1)
-1.0000\t-2.5000\t0.0000\t-1.0000
1.0000\t2.5000\t0.0000\t1.0000

# stage 4 · linear · weight · 2×4 — updated (after step 1)
0.6000\t0.2500\t0.0000\t0.1000
-0.1000\t-0.2500\t0.0000\t0.4000

# stage 4 · linear · bias · 2 — value (before step 1)
0.0000\t0.0000

# stage 4 · linear · bias · 2 — gradient (at step 1)
-0.5000\t0.5000

# stage 4 · linear · bias · 2 — updated (after step 1)
0.0500\t-0.0500
"""


def test_plain_output_exact(net):
    result = run("train-step", "x.txt", CHAIN, "--target", "0", "--optimizer", "sgd",
                 "--lr", "0.1", "--format", "plain")
    assert result.exit_code == 0
    assert result.stdout == PLAIN


def test_precision_option_overrides_the_training_default(net):
    result = run("train-step", "x.txt", CHAIN, "--target", "0", "--optimizer", "sgd",
                 "--lr", "0.1", "--format", "plain", "--precision", "1")
    lines = result.stdout.splitlines()
    assert lines[2] == "1\t0.6931"  # the loss keeps 4 decimals
    assert lines[5:7] == ["1.0\t0.0", "0.0\t1.0"]


def test_json_output_shape_and_values(net):
    result = run("train-step", "x.txt", CHAIN, "--target", "0", "--optimizer", "sgd",
                 "--lr", "0.1", "--steps", "2", "--format", "json")
    doc = json.loads(result.stdout)
    assert list(doc) == ["loss", "params"]
    assert len(doc["loss"]) == 2 and doc["loss"][0] == pytest.approx(math.log(2), abs=1e-15)
    assert [(p["stage"], p["name"]) for p in doc["params"]] == [(1, "weight"), (4, "weight"),
                                                                (4, "bias")]
    assert doc["params"][0]["grad"] == [[0.0, 0.25], [0.0, 0.0]]
    assert doc["params"][1]["grad"][0] == [-1.0, -2.5, 0.0, -1.0]  # no negative zero
    assert doc["params"][2]["value"] == [0.0, 0.0]


def test_table_output_shows_every_grid(net):
    result = run("train-step", "x.txt", CHAIN, "--target", "0", "--optimizer", "adam",
                 "--lr", "0.1", "--format", "table", "--no-color")
    out = result.stdout
    assert "loss per step" in out and "0.6931" in out
    for title in ("stage 1 · conv · weight · 2×2", "stage 4 · linear · bias · 2"):
        assert title in out
    for caption in ("value (before step 1)", "gradient (at step 1)", "updated (after step 1)"):
        assert out.count(caption) == 3
    assert "\x1b[" not in out


@pytest.mark.parametrize("fmt", ["csv", "tsv", "markdown", "latex"])
def test_other_formats(net, fmt):
    result = run("train-step", "x.txt", CHAIN, "--target", "0", "--optimizer", "sgd",
                 "--lr", "0.1", "--format", fmt, "--explain", "1:1,2")
    out = result.stdout
    assert result.exit_code == 0
    expected_row = {"csv": "0.0000,0.2500", "tsv": "0.0000\t0.2500",
                    "markdown": "| **1** | 0.0000 | 0.2500 |", "latex": "0.0000 & 0.2500"}[fmt]
    assert expected_row in out
    assert {"csv": '"(1, 1)","(1, 2)",2.0000,-0.2500,-0.5000', "tsv": "(1, 1)\t(1, 2)\t2.0000",
            "markdown": "| (1, 1) | (1, 2) | 2.0000 | -0.2500 | -0.5000 |",
            "latex": "(1, 1) & (1, 2) & 2.0000"}[fmt] in out


def test_chinese_captions(net):
    result = run("train-step", "x.txt", CHAIN, "--target", "0", "--optimizer", "sgd",
                 "--lr", "0.1", "--format", "plain", "--lang", "zh")
    assert "# 每步的损失" in result.stdout
    assert "# 第 1 步 · conv · weight · 2×2 — 梯度（第 1 步）" in result.stdout


# --------------------------------------------------------------------------- --explain


def test_explain_conv_cell_by_hand(net):
    result = run("train-step", "x.txt", CHAIN, "--target", "0", "--optimizer", "sgd",
                 "--lr", "0.1", "--format", "plain", "--explain", "1:1,2")
    tail = result.stdout.split("# dL/dw", 1)[1].splitlines()
    assert tail[1:] == [
        "# output cell\tinput cell\tinput value\tupstream gradient\tproduct",
        "(1, 1)\t(1, 2)\t2.0000\t-0.2500\t-0.5000",
        "(1, 2)\t(1, 3)\t0.0000\t0.0000\t0.0000",
        "(2, 1)\t(2, 2)\t1.0000\t0.0000\t0.0000",
        "(2, 2)\t(2, 3)\t3.0000\t0.2500\t0.7500",
        "# sum of the products: 0.2500",
        "# dL/dw = 0.2500",
    ]


def test_explain_json_and_linear_cell(net):
    result = run("train-step", "x.txt", CHAIN, "--target", "0", "--optimizer", "sgd",
                 "--lr", "0.1", "--format", "json", "--explain", "4:2,2")
    e = json.loads(result.stdout)["explain"]
    # dL/dW[2, 2] = g[2] · v[2] = 0.5 · 5
    assert e["products"] == [{"output": [1, 2], "input": [1, 2], "padded": [1, 2], "x": 5.0,
                              "grad": 0.5, "product": 2.5}]
    assert (e["stage"], e["row"], e["col"], e["sum"], e["value"]) == (4, 2, 2, 2.5, 2.5)


def test_explain_with_padding_flip_stride_and_mean(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.txt").write_text("1 2 3\n4 5 6\n7 8 9\n")
    (tmp_path / "k.txt").write_text("1 2\n3 4\n")
    (tmp_path / "w.txt").write_text("1 -1 0.5 2\n0 1 1 -1\n")
    chain = ("conv(k.txt, padding=1, padding_mode=replicate, stride=2, flip=true, norm=mean)"
             " | flatten | linear(w.txt)")
    result = run("train-step", "x.txt", chain, "--target", "1", "--optimizer", "sgd",
                 "--lr", "0.1", "--format", "json", "--explain", "1:1,1")
    doc = json.loads(result.stdout)
    e = doc["explain"]
    # flip: stored cell (1, 1) is the window's (2, 2); padded 5×5, stride 2 → output 2×2;
    # window (i, j) reads padded cell (2i + 2, 2j + 2) (1-based), i.e. input (2i+1, 2j+1)
    assert [p["padded"] for p in e["products"]] == [[2, 2], [2, 4], [4, 2], [4, 4]]
    assert [p["input"] for p in e["products"]] == [[1, 1], [1, 3], [3, 1], [3, 3]]
    assert [p["x"] for p in e["products"]] == [1.0, 3.0, 7.0, 9.0]
    assert e["divisor"] == 4 and e["value"] == pytest.approx(e["sum"] / 4, abs=1e-15)
    assert e["value"] == pytest.approx(doc["params"][0]["grad"][0][0], abs=1e-15)
    text = run("train-step", "x.txt", chain, "--target", "1", "--optimizer", "sgd", "--lr", "0.1",
               "--format", "plain", "--explain", "1:1,1").stdout
    assert "# the kernel is flipped (flip=true): its cell (1, 1) multiplies the window's cell (2, 2)" in text
    assert "# norm=mean divides by 4 cells:" in text
    assert "(1, 1)\t(1, 1) ← (2, 2)\t1.0000" in text


def test_explain_zero_padding_cells_are_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.txt").write_text("1 2\n3 4\n")
    (tmp_path / "k.txt").write_text("1 1\n1 1\n")
    (tmp_path / "w.txt").write_text("1 0 0 0 0 0 0 0 0\n0 0 0 0 0 0 0 0 1\n")
    chain = "conv(k.txt, padding=1) | flatten | linear(w.txt)"
    result = run("train-step", "x.txt", chain, "--target", "0", "--optimizer", "sgd", "--lr", "1",
                 "--format", "json", "--explain", "1:1,1")
    products = json.loads(result.stdout)["explain"]["products"]
    assert products[0]["input"] is None and products[0]["x"] == 0.0
    assert products[4]["input"] == [1, 1]
    plain = run("train-step", "x.txt", chain, "--target", "0", "--optimizer", "sgd", "--lr", "1",
                "--format", "plain", "--explain", "1:1,1").stdout
    assert "(1, 1)\tpadding\t0.0000" in plain


def test_explain_block_of_a_kernel_bank():
    x = str(ROOT / "samples/net/x.txt")
    chain = f"@{ROOT / 'samples/net/xo-net.txt'}"
    result = run("train-step", x, chain, "--target", "0", "--optimizer", "sgd", "--lr", "0.1",
                 "--format", "json", "--explain", "1:3:2,2")
    doc = json.loads(result.stdout)
    assert doc["explain"]["block"] == 3
    assert doc["explain"]["value"] == pytest.approx(doc["params"][0]["grad"][2][1][1], abs=1e-15)
    bad = run("train-step", x, chain, "--target", "0", "--optimizer", "sgd", "--lr", "0.1",
              "--explain", "1:2,2")
    assert bad.exit_code == 2
    assert "the weight of stage 1 has 3 blocks: say which with --explain STAGE:BLOCK:ROW,COL" in bad.stderr


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("2:1,1", "stage 2 is relu, which has no weight: --explain needs a conv or linear stage (1, 4)"),
        ("9:1,1", "stage 9 does not exist: the pipeline has 4 stages"),
        ("1:3,1", "row 3, column 1 is outside the 2×2 weight of stage 1"),
        ("1:2:1,1", "block 2 does not exist: the weight of stage 1 has 1 block"),
        ("1-1,1", "--explain must be STAGE:ROW,COL or STAGE:BLOCK:ROW,COL"),
        ("0:1,1", "--explain must be STAGE:ROW,COL"),
    ],
)
def test_explain_errors(net, spec, message):
    result = run("train-step", "x.txt", CHAIN, "--target", "0", "--optimizer", "sgd",
                 "--lr", "0.1", "--explain", spec)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.startswith("Error: ")
    assert result.stdout == ""


# --------------------------------------------------------------------------- --save


def test_save_writes_files_that_run_accepts(net):
    result = run("train-step", "x.txt", CHAIN, "--target", "0", "--optimizer", "sgd",
                 "--lr", "0.1", "--save", "out", "--format", "json")
    assert result.exit_code == 0
    assert "saved 3 parameter files and out/pipeline.txt" in result.stderr
    assert sorted(p.name for p in (net / "out").iterdir()) == [  # and the list of what it wrote
        ".cnncalc-saved.json", "pipeline.txt", "stage1_weight.txt", "stage4_bias.txt", "stage4_weight.txt"]
    assert (net / "out/pipeline.txt").read_text() == (
        "conv(stage1_weight.txt) | relu | flatten | linear(stage4_weight.txt, stage4_bias.txt)\n")
    assert read_matrix(net / "out/stage1_weight.txt").tolist() == [[1.0, -0.025], [0.0, 1.0]]
    # the saved network's loss is the loss of a second step
    two = json.loads(run("train-step", "x.txt", CHAIN, "--target", "0", "--optimizer", "sgd",
                         "--lr", "0.1", "--steps", "2", "--format", "json").stdout)
    ran = json.loads(run("run", "x.txt", "@out/pipeline.txt", "--target", "0",
                         "--format", "json").stdout)
    assert ran["loss"] == pytest.approx(two["loss"][1], abs=1e-15)


def test_save_keeps_conv_options_banks_and_biases(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rng = np.random.default_rng(3)
    (tmp_path / "x.txt").write_text(
        "\n\n".join("\n".join(" ".join(str(v) for v in row) for row in m)
                    for m in rng.integers(-3, 4, size=(2, 5, 5))))
    # 3 filters × 2 channels = 6 blocks
    (tmp_path / "k.txt").write_text("\n\n".join(
        "\n".join(" ".join(str(v) for v in row) for row in m) for m in rng.integers(-2, 3, size=(6, 2, 2))))
    (tmp_path / "w.txt").write_text("\n".join(
        " ".join(str(v) for v in row) for row in rng.integers(-2, 3, size=(2, 18))))
    chain = ("conv(k.txt, stride=(2,1), padding=1, padding_mode=circular, dilation=(1,2), "
             "norm=mean, flip=true, bias=0.5) | tanh | avgpool(2, ceil_mode=true, "
             "count_include_pad=false) | flatten | linear(w.txt, 0.1) | softmax")
    result = run("train-step", "x.txt", chain, "--target", "1", "--optimizer", "adam",
                 "--lr", "0.01", "--save", "saved dir", "--format", "json")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "saved dir/pipeline.txt").read_text()
    assert text == (
        "conv(stage1_weight.txt, stride=(2,1), padding=1, dilation=(1,2), padding_mode=circular, "
        "norm=mean, flip=true, bias=stage1_bias.txt) | tanh | avgpool(2, ceil_mode=true, "
        "count_include_pad=false) | flatten | linear(stage5_weight.txt, stage5_bias.txt) | softmax\n")
    params = json.loads(result.stdout)["params"]
    assert read_matrix(tmp_path / "saved dir/stage1_weight.txt").shape == (6, 2, 2)
    assert read_matrix(tmp_path / "saved dir/stage1_bias.txt").reshape(-1).tolist() == \
        params[1]["updated"]
    np.testing.assert_array_equal(read_matrix(tmp_path / "saved dir/stage5_weight.txt"),
                                  params[2]["updated"])
    ran = run("run", "x.txt", "@saved dir/pipeline.txt", "--target", "1", "--format", "json")
    assert ran.exit_code == 0, ran.output


def test_save_into_a_file_is_refused(net):
    (net / "taken").write_text("x")
    result = run("train-step", "x.txt", CHAIN, "--target", "0", "--optimizer", "sgd", "--lr", "0.1",
                 "--save", "taken")
    assert result.exit_code == 2 and "Error: " in result.stderr


# --------------------------------------------------------------------------- refusals


def test_max_pool_window_in_padding_is_refused_with_the_stage(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.txt").write_text("1 2\n3 4\n")
    (tmp_path / "w.txt").write_text("1 0 0 0\n0 0 0 1\n")
    chain = "maxpool(2, stride=1, padding=1, dilation=3) | flatten | linear(w.txt)"
    result = run("train-step", "x.txt", chain, "--target", "0", "--optimizer", "sgd", "--lr", "0.1")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: stage 1 'maxpool(2, stride=1, padding=1, dilation=3)'")


def test_ceil_mode_windows_starting_in_padding_are_dropped_as_pytorch_does(tmp_path, monkeypatch):
    # 1×5 row, size (1, 2), stride 2, padding (0, 1), ceil_mode: PyTorch keeps 3 windows
    # [p,1] [2,3] [4,5] and drops a 4th that would start in the right padding
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.txt").write_text("1 2 3 4 5\n")
    (tmp_path / "w.txt").write_text("1 0 0\n0 0 1\n")
    chain = "maxpool((1,2), padding=(0,1), ceil_mode=true) | flatten | linear(w.txt)"
    r = train(chain, target=0)
    # logits (1, 5); g = (p0 − 1, 1 − p0) goes to cell 1 (window 1) and cell 5 (window 3)
    assert r.params[0].grad.shape == (2, 3)
    p0 = 1 / (1 + math.exp(4))
    np.testing.assert_allclose(r.params[0].grad, [[(p0 - 1) * 1, (p0 - 1) * 3, (p0 - 1) * 5],
                                                  [(1 - p0) * 1, (1 - p0) * 3, (1 - p0) * 5]],
                               atol=1e-15)


def test_zero_target_probability_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.txt").write_text("1000 0\n")
    (tmp_path / "w.txt").write_text("1 0\n0 1\n")
    result = run("train-step", "x.txt", "flatten | linear(w.txt) | softmax", "--target", "1",
                 "--optimizer", "sgd", "--lr", "0.1")
    assert result.exit_code == 2
    assert "the probability of the target class 1 is 0, so the loss is infinite" in result.stderr


def test_divergence_is_reported(net):
    result = run("train-step", "x.txt", CHAIN, "--target", "0", "--optimizer", "sgd",
                 "--lr", "1e308", "--steps", "3")
    assert result.exit_code == 2
    assert "made a parameter infinite or nan (learning rate 1e+308): lower --lr" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "2"], "target must be a class index from 0 to 1 (2 classes; got 2)"),
        (["--target", "0", "--momentum", "0.9", "--optimizer", "adam"],
         "--momentum applies to the sgd optimizer only"),
        (["--target", "0", "--betas", "0.9"], "--betas must be two numbers B1,B2"),
        (["--target", "0", "--lr", "-1"], "lr must be a number >= 0 (got -1.0)"),
        (["--target", "0", "--steps", "0"], "0 is not in the range x>=1"),
    ],
)
def test_bad_options(net, args, message):
    base = {"--optimizer": "sgd", "--lr": "0.1"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    flat = [v for kv in base.items() for v in kv]
    result = run("train-step", "x.txt", CHAIN, *flat)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.startswith("Error: ")


def test_network_must_end_in_a_vector(net):
    result = run("train-step", "x.txt", "conv(k.txt) | relu", "--target", "0", "--optimizer", "sgd",
                 "--lr", "0.1")
    assert result.exit_code == 2
    assert "--target needs a network that ends in a vector of class scores" in result.stderr


def test_error_in_chinese(net):
    result = run("train-step", "x.txt", CHAIN, "--target", "0", "--optimizer", "adam",
                 "--lr", "0.1", "--momentum", "0.9", "--lang", "zh")
    assert result.stderr == "Error: --momentum 只适用于 sgd 优化器\n"


def test_core_refuses_bad_steps(net):
    with pytest.raises(CnncalcError):
        train(steps=0)


# --------------------------------------------------------------------------- README


def test_readme_training_tour_is_true(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Training step", 1)[1].split("\n### ", 1)[0]
    command = section.split("```sh\n", 1)[1].split("\n```", 1)[0]
    blocks = section.split("```")
    # blocks: [text, sh command, text(empty), plain output, text, explain tail, text, sh save, ...]
    plain_output = blocks[3].removeprefix("\n")
    explain_tail = blocks[5].removeprefix("\n")
    monkeypatch.chdir(ROOT)
    args = command.split("cnncalc ", 1)[1].split()
    assert run(*args).stdout == plain_output
    explained = run(*args, "--explain", "1:1,2").stdout
    assert explained.endswith(explain_tail)
    save_block = blocks[7]
    lines = [line.removeprefix("$ ") for line in save_block.splitlines() if line.startswith("$ ")]
    train_args = lines[0].split("cnncalc ", 1)[1].split(" > ")[0].split()
    out = tmp_path / "trained"
    train_args[train_args.index("--save") + 1] = str(out)
    saved = run(*train_args)
    assert saved.exit_code == 0
    expected_saved = save_block.splitlines()[2].replace("trained/", f"{out}/")
    assert saved.stderr.strip() == expected_saved
    run_args = lines[1].split("cnncalc ", 1)[1].split(" | ")[0].split()
    run_args[run_args.index("@trained/pipeline.txt")] = f"@{out}/pipeline.txt"
    tail = run(*run_args).stdout.strip().splitlines()[-2:]
    assert tail == save_block.strip().splitlines()[-2:]


# --------------------------------------------------------------------------- explain = grad


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    channels=st.integers(1, 2),
    filters=st.integers(1, 2),
    options=st.fixed_dictionaries({
        "stride": st.sampled_from(["1", "2", "(1,2)"]),
        "padding": st.sampled_from(["0", "1", "(0,1)", "valid"]),
        "dilation": st.sampled_from(["1", "2", "(2,1)"]),
        "padding_mode": st.sampled_from(["zeros", "reflect", "replicate", "circular"]),
        "norm": st.sampled_from(["sum", "mean"]),
        "flip": st.sampled_from(["true", "false"]),
    }),
)
def test_explained_products_sum_to_the_gradient(tmp_path_factory, seed, channels, filters, options):
    folder = tmp_path_factory.mktemp("explain")
    rng = np.random.default_rng(seed)
    from cnncalc.read import matrix_text

    (folder / "x.txt").write_text(matrix_text(rng.normal(size=(channels, 6, 6))))
    (folder / "k.txt").write_text(matrix_text(rng.normal(size=(filters * channels, 2, 3))))
    opts = ", ".join(f"{k}={v}" for k, v in options.items())
    stages = parse_pipeline(f"conv({folder / 'k.txt'}, {opts}) | tanh | flatten")
    x = read_matrix(folder / "x.txt")
    try:
        from cnncalc.net.pipeline import run_pipeline

        n = run_pipeline(x, stages)[-1].output.size
    except CnncalcError:
        return  # e.g. the dilated kernel does not fit
    w = rng.normal(size=(2, n))
    (folder / "w.txt").write_text(matrix_text(w))
    stages = parse_pipeline(f"conv({folder / 'k.txt'}, {opts}) | tanh | flatten | "
                            f"linear({folder / 'w.txt'})")
    result = train_network(x, stages, target=1, optimizer=SGD(lr=0.1))
    grad = result.params[0].grad.reshape(-1, 2, 3)
    from cnncalc.train.step import explain_gradient

    for block in range(1, grad.shape[0] + 1):
        for row in (1, 2):
            for col in (1, 3):
                e = explain_gradient(result, (1, block if grad.shape[0] > 1 else None, row, col))
                assert e.value == pytest.approx(grad[block - 1, row - 1, col - 1], abs=1e-12)
                assert e.total == pytest.approx(sum(p.product for p in e.products), abs=1e-12)
