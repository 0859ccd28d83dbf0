"""The new stages in chains (run, shape, assignments): conv_transpose, groups and
constant/asymmetric padding on conv, batchnorm, adaptive and global pooling."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cnncalc.engine import ops, transpose
from cnncalc.errors import CnncalcError
from cnncalc.net.pipeline import parse_pipeline, pipeline_output, run_pipeline
from cnncalc.net.shapes import shape_summary

GOLDEN = json.loads((Path(__file__).resolve().parent / "golden" / "engine.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("model", GOLDEN["shapes"], ids=lambda m: m["id"])
def test_shape_matches_torch_parameter_counts(model):
    s = shape_summary(tuple(model["input"]), model["chain"])
    got = [(list(layer.output_shape), layer.params, layer.macs) for layer in s.layers]
    assert got == [(r["output_shape"], r["params"], r["macs"]) for r in model["layers"]]
    assert s.total_params == model["total_params"]


def test_depthwise_separable_counts_by_hand():
    s = shape_summary((32, 56, 56), "conv(32, 3, padding=1, groups=32, bias=false) | conv(64, 1, bias=false)")
    # depthwise: 32 filters of 1×3×3 = 288 weights; pointwise: 64×32 = 2048
    assert [layer.params for layer in s.layers] == [288, 2048]
    assert s.layers[0].macs == 288 * 56 * 56


@pytest.fixture
def files(tmp_path):
    (tmp_path / "x.txt").write_text("1 2\n3 4\n")
    (tmp_path / "k.txt").write_text("1 10\n100 1000\n")
    (tmp_path / "two.txt").write_text("1 2\n3 4\n\n5 6\n7 8\n")
    (tmp_path / "k2.txt").write_text("1\n\n10\n")
    return tmp_path


def test_conv_transpose_stage_stamps_the_kernel(files):
    out = pipeline_output(np.array([[1.0, 2.0], [3.0, 4.0]]), "conv_transpose(k.txt, stride=2)", base_dir=files)
    assert out.tolist() == [
        [1.0, 10.0, 2.0, 20.0],
        [100.0, 1000.0, 200.0, 2000.0],
        [3.0, 30.0, 4.0, 40.0],
        [300.0, 3000.0, 400.0, 4000.0],
    ]
    cut = pipeline_output(np.array([[1.0, 2.0], [3.0, 4.0]]),
                          "conv_transpose(k.txt, stride=2, padding=1, output_padding=1, bias=0.5)", base_dir=files)
    assert cut.tolist() == [[1000.5, 200.5, 2000.5], [30.5, 4.5, 40.5], [3000.5, 400.5, 4000.5]]


def test_conv_groups_and_constant_padding_stages(files):
    x = np.array([[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]])
    # depthwise 1×1: channel 1 times 1, channel 2 times 10
    out = pipeline_output(x, "conv(k2.txt, groups=2)", base_dir=files)
    assert out.tolist() == [[[1.0, 2.0], [3.0, 4.0]], [[50.0, 60.0], [70.0, 80.0]]]
    # (left, right, top, bottom) = (1, 0, 0, 0) filled with 5: [[5, 1, 2], [5, 3, 4]]
    one = pipeline_output(x[0], "conv(k.txt, padding=(1,0,0,0), padding_mode=constant, padding_value=5)",
                          base_dir=files)
    assert one.tolist() == [[5 + 10 + 500 + 3000, 1 + 20 + 300 + 4000]]


def test_batchnorm_and_adaptive_stages():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    # (x − 2)/√4·3 + 1
    res = run_pipeline(x, parse_pipeline("batchnorm(mean=2, var=4, weight=3, bias=1, eps=0) | adaptive_maxpool(1, 2)"))
    assert res[0].output.tolist() == [[-0.5, 1.0], [2.5, 4.0]]
    assert res[1].output.tolist() == [[2.5, 4.0]]
    # train mode: batch statistics, mean 2.5, biased variance 1.25, + eps = 4
    t = pipeline_output(x, "batchnorm(train=true, eps=2.75)")
    assert t.tolist() == [[-0.75, -0.25], [0.25, 0.75]]
    assert pipeline_output(np.arange(6.0).reshape(2, 3), "adaptive_avgpool(1, 2) | global_avgpool").tolist() == [[2.5]]


def test_stage_refusals_name_the_stage():
    cases = [
        ("conv_transpose(output_padding=1)", "output_padding 1 must be smaller than stride 1 or dilation 1"),
        ("adaptive_avgpool(0)", "output_size must be positive (got 0)"),
        ("batchnorm", "running_mean and running_var are needed when training=False"),
        ("conv(groups=3)", "groups=3 must divide the input channels (2)"),
        ("conv(padding=1, padding_mode=reflect, padding_value=2)", "padding_value applies to padding_mode='constant' only"),
    ]
    x = np.ones((2, 3, 3))
    for chain, words in cases:
        with pytest.raises(CnncalcError) as info:
            pipeline_output(x, chain, default_kernel=np.ones((2, 2)))
        assert words in str(info.value), chain
        assert str(info.value).startswith("stage 1 ")
    with pytest.raises(CnncalcError) as info:
        pipeline_output(x, "conv_transpose(stride=2)")
    assert str(info.value).endswith("conv_transpose needs a kernel file, e.g. conv_transpose(k.txt, stride=2)")


def test_shape_refusals():
    with pytest.raises(CnncalcError) as info:
        shape_summary((3, 4, 4), "conv(4, 3, groups=2)")
    assert "groups=2 must divide the input channels (3)" in str(info.value)
    with pytest.raises(CnncalcError) as info:
        shape_summary((1, 2, 2), "conv_transpose(1, 1, padding=1)")
    assert "padding 1 cuts more" in str(info.value)


def test_assignment_stages_accept_the_new_stages(tmp_path):
    """An assignment's ``stages =`` uses the same chain grammar."""
    from cnncalc.check.assignment import load_assignment

    (tmp_path / "x.txt").write_text("1 2\n3 4\n")
    (tmp_path / "k.txt").write_text("1 10\n100 1000\n")
    (tmp_path / "hw.toml").write_text(
        '[[problem]]\nimage = "x.txt"\nkernel = "k.txt"\n'
        'stages = "conv_transpose(stride=2) | adaptive_avgpool(2, 2) | batchnorm(mean=0, var=1, eps=0)"\n'
    )
    assignment = load_assignment(tmp_path / "hw.toml")
    problem = assignment.problems[0]
    expected = transpose.conv_transpose2d(np.array([[[1.0, 2.0], [3.0, 4.0]]]),
                                          np.array([[[[1.0, 10.0], [100.0, 1000.0]]]]), stride=2)[0]
    want = expected.reshape(2, 2, 2, 2).mean(axis=(1, 3))
    np.testing.assert_allclose(problem.expected, want)
    assert ops  # the engine module the stages run on


# --------------------------------------------------------------------------- train-step against torch.autograd


@pytest.mark.parametrize("case", GOLDEN["train"], ids=lambda c: c["id"])
def test_train_step_matches_torch_autograd(case, tmp_path):
    from cnncalc.train.optim import SGD
    from cnncalc.train.step import train_network

    names = {}
    for key, value in case["files"].items():
        (tmp_path / f"{key}.json").write_text(json.dumps(value))
        names[key] = f"{key}.json"
    stages = parse_pipeline(case["chain"].format(**names), base_dir=tmp_path)
    target = case["target"] if isinstance(case["target"], int) else np.array(case["target"])
    r = train_network(np.array(case["input"]), stages, target=target, optimizer=SGD(lr=case["lr"]),
                      loss=case["loss"])
    assert abs(r.losses[0] - case["expected_loss"]) < 1e-9
    assert [(p.stage, p.name) for p in r.params] == [(row[0], row[1]) for row in case["params"]]
    for p, (_, _, grad, updated) in zip(r.params, case["params"]):
        np.testing.assert_allclose(p.grad.reshape(np.shape(grad)), grad, atol=1e-9, rtol=0)
        np.testing.assert_allclose(p.updated.reshape(np.shape(updated)), updated, atol=1e-9, rtol=0)


def test_train_step_save_writes_the_new_stages_back(tmp_path):
    """--save rewrites conv (groups, constant pads), batchnorm and conv_transpose to read
    their trained files, so the saved chain runs the trained network."""
    from cnncalc.train.optim import SGD
    from cnncalc.train.save import save_parameters
    from cnncalc.train.step import train_network

    (tmp_path / "kk.txt").write_text("1 0\n0 1\n\n2 0\n0 2\n")
    x = np.array([[[1.0, 2, 3], [4, 5, 6], [7, 8, 9]], [[1.0, 0, 1], [0, 1, 0], [1, 0, 1]]])
    chain = ("conv(kk.txt, groups=2, padding=(1,0,0,1), padding_mode=constant, padding_value=0.5) | "
             "batchnorm(train=true) | conv_transpose(kk.txt, stride=2, groups=2) | global_avgpool | flatten")
    stages = parse_pipeline(chain, base_dir=tmp_path)
    r = train_network(x, stages, target=1, optimizer=SGD(lr=0.1), steps=2)
    _, pipeline = save_parameters(tmp_path / "out", stages, r.params)
    assert pipeline.read_text() == (
        "conv(stage1_weight.txt, padding=(1,0,0,1), padding_mode=constant, groups=2, padding_value=0.5) | "
        "batchnorm(weight=stage2_weight.txt, bias=stage2_bias.txt, train=true) | "
        "conv_transpose(stage3_weight.txt, stride=2, groups=2) | global_avgpool | flatten\n"
    )
    saved = parse_pipeline(pipeline.read_text(), base_dir=tmp_path / "out")
    from cnncalc.net.pipeline import loss_and_prediction

    loss, _ = loss_and_prediction(run_pipeline(x, saved), 1)
    trained = loss_and_prediction(run_pipeline(x, r.stages), 1)[0]
    assert abs(loss - trained) < 1e-12 and loss < r.losses[0]


def test_explain_weight_of_a_grouped_constant_padded_conv(tmp_path):
    """train-step --explain sums the products behind each dL/dw of a grouped conv with
    constant, asymmetric padding: every cell equals the gradient the backward pass gave."""
    from cnncalc.train.optim import SGD
    from cnncalc.train.step import explain_gradient, train_network

    (tmp_path / "k4.txt").write_text("1 0\n0 1\n\n2 0\n0 2\n\n0 1\n1 0\n\n1 1\n1 1\n")
    (tmp_path / "w.txt").write_text("\n".join(" ".join(str((i * 7 + j) % 5 - 2) for j in range(36))
                                              for i in range(3)) + "\n")
    x = np.array([[[1.0, 2, 3], [4, 5, 6], [7, 8, 9]], [[1.0, 0, 1], [0, -1, 0], [1, 0, 1]]])
    chain = ("conv(k4.txt, groups=2, padding=(1,0,0,1), padding_mode=constant, padding_value=0.5, norm=mean) | "
             "flatten | linear(w.txt)")
    r = train_network(x, parse_pipeline(chain, base_dir=tmp_path), target=0, optimizer=SGD(lr=0.1))
    grad = r.params[0].grad
    for block in range(1, 5):
        for row in (1, 2):
            for col in (1, 2):
                e = explain_gradient(r, (1, block, row, col))
                assert abs(e.value - grad[block - 1, row - 1, col - 1]) < 1e-12
    assert np.abs(grad).sum() > 0
    with pytest.raises(CnncalcError, match="explain works on one image"):
        b = train_network(np.stack([x, x]), parse_pipeline(chain, base_dir=tmp_path), target=np.array([0, 1]),
                          optimizer=SGD(lr=0.1))
        explain_gradient(b, (1, 1, 1, 1))


def test_checking_an_answer_to_a_constant_padded_stage_chain(tmp_path):
    """A wrong answer to an assignment whose chain pads with a constant is diagnosed
    cell by cell (the mistake model knows only conv2d's classic options), never an internal error."""
    from click.testing import CliRunner

    from cnncalc.cli import cli

    (tmp_path / "x.txt").write_text("1 2 3\n4 5 6\n7 8 9\n")
    (tmp_path / "k.txt").write_text("1 0\n0 1\n")
    (tmp_path / "hw.toml").write_text(
        '[[problem]]\nname = "p1"\nimage = "x.txt"\nkernel = "k.txt"\n'
        'stages = "conv(padding=(1,0,0,1), padding_mode=constant, padding_value=1) | relu"\n'
    )
    # [[1,1,2,3],[1,4,5,6],[1,7,8,9],[1,1,1,1]] with the identity 2x2: 3×3 map
    (tmp_path / "right.txt").write_text("5 6 8\n8 12 14\n2 8 9\n")
    (tmp_path / "wrong.txt").write_text("5 6 8\n8 12 14\n2 8 10\n")
    runner = CliRunner()
    right = runner.invoke(cli, ["check", str(tmp_path / "right.txt"), "--assignment", str(tmp_path / "hw.toml"),
                                "--format", "plain"])
    assert right.exit_code == 0, right.output
    wrong = runner.invoke(cli, ["check", str(tmp_path / "wrong.txt"), "--assignment", str(tmp_path / "hw.toml"),
                                "--format", "plain"])
    assert wrong.exit_code == 1 and "1 of 9 cells wrong" in wrong.output


def test_a_batch_runs_each_image_as_alone(tmp_path):
    """Without batch statistics, stage by stage a batch gives each image's own result."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    (tmp_path / "k.txt").write_text("1 -1\n2 0\n\n0 1\n1 1\n")
    (tmp_path / "w.txt").write_text("1 0 -1 2\n0 1 1 0\n")
    chain = ("conv(k.txt, padding=(1,0,0,1), padding_mode=constant, padding_value=-1) | relu | maxpool(2) | "
             "conv_transpose(k.txt, stride=2) | adaptive_avgpool(2, 2) | flatten | linear(w.txt) | softmax")
    stages = parse_pipeline(chain, base_dir=tmp_path)

    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.integers(-5, 5), min_size=3 * 9, max_size=3 * 9))
    def check(values):
        xs = np.array(values, dtype=np.float64).reshape(3, 1, 3, 3)
        batch = run_pipeline(xs, stages)
        for n in range(3):
            alone = run_pipeline(xs[n], stages)
            for b, a in zip(batch, alone):
                np.testing.assert_allclose(b.output[n].reshape(a.output.shape), a.output, atol=1e-12)

    check()
