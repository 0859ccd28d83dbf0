"""The stage-chain grammar, binding and running, with hand-checked values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncalc.engine import ops
from cnncalc.errors import CnncalcError, PipelineError
from cnncalc.net.chain import Stage, StageError, parse_chain, parse_value
from cnncalc.net.pipeline import (
    apply_stage,
    conv_weight,
    loss_and_prediction,
    parse_pipeline,
    pipeline_output,
    run_pipeline,
)
from cnncalc.read import matrix_text

X = np.array(  # the seed's X (samples/xo/x.txt)
    [[-1, -1, -1, -1, -1, -1, -1, -1, -1],
     [-1, 1, -1, -1, -1, -1, -1, 1, -1],
     [-1, -1, 1, -1, -1, -1, 1, -1, -1],
     [-1, -1, -1, 1, -1, 1, -1, -1, -1],
     [-1, -1, -1, -1, 1, -1, -1, -1, -1],
     [-1, -1, -1, 1, -1, 1, -1, -1, -1],
     [-1, -1, 1, -1, -1, -1, 1, -1, -1],
     [-1, 1, -1, -1, -1, -1, -1, 1, -1],
     [-1, -1, -1, -1, -1, -1, -1, -1, -1]], dtype=float)
K1 = np.array([[1, -1, -1], [-1, 1, -1], [-1, -1, 1]], dtype=float)


@pytest.fixture
def files(tmp_path):
    """k1.txt (the seed's first feature), a 2x2 bank, a linear layer."""
    (tmp_path / "k1.txt").write_text(matrix_text(K1))
    (tmp_path / "bank.txt").write_text("1 0\n0 1\n\n0 1\n1 0\n")
    (tmp_path / "w.txt").write_text("1 0 0 0\n0 0 0 1\n1 1 1 1\n")
    (tmp_path / "b.txt").write_text("0.5 -0.5 0\n")
    (tmp_path / "bias2.txt").write_text("1 -1\n")
    return tmp_path


# --------------------------------------------------------------------------- grammar


def test_stage_fields_follow_the_agreed_interface():
    stages = parse_chain("conv(k.txt, stride=(2,1), norm=mean) |  relu | maxpool(2)")
    conv, relu, pool = stages
    assert (conv.name, conv.args, conv.kwargs) == ("conv", ["k.txt"], {"stride": (2, 1), "norm": "mean"})
    assert (conv.text, conv.position, conv.index) == ("conv(k.txt, stride=(2,1), norm=mean)", 0, 1)
    assert (relu.name, relu.args, relu.kwargs, relu.position, relu.index) == ("relu", [], {}, 40, 2)
    assert (pool.text, pool.position, pool.args) == ("maxpool(2)", 47, [2])


@pytest.mark.parametrize(
    "raw, value",
    [
        ("2", 2), ("-3", -3), ("0.5", 0.5), ("-.25", -0.25), ("1e-3", 0.001),
        ("true", True), ("False", False), ("yes", True), ("(2,1)", (2, 1)), ("( 2 , 1 )", (2, 1)),
        ("[3, 4]", (3, 4)), ("2x1", (2, 1)), ("2×1", (2, 1)), ('"2,1"', "2,1"), ("'k 1.txt'", "k 1.txt"),
        ("same", "same"), ("k1.txt", "k1.txt"), ("../w/k.npy", "../w/k.npy"), ("((1,2),3)", ((1, 2), 3)),
    ],
)
def test_values(raw, value):
    assert parse_value(raw, 0) == value


def test_aliases_and_unicode_punctuation():
    stages = parse_chain("Conv2d（k.txt，stride＝2） ｜ max_pool2d(2) | avg_pool(2) | fc(w.txt) | LeakyReLU")
    assert [s.name for s in stages] == ["conv", "maxpool", "avgpool", "linear", "leaky_relu"]
    assert stages[0].kwargs == {"stride": 2}


def test_stages_without_brackets_or_with_empty_ones():
    assert [s.name for s in parse_chain("relu() | flatten|softmax")] == ["relu", "flatten", "softmax"]


@pytest.mark.parametrize(
    "chain, message",
    [
        ("", "the pipeline is empty: write stages separated by '|', e.g. conv(k1.txt) | relu | maxpool(2)"),
        ("relu | | flatten",
         "stage 2 at character 7: empty stage: two '|' with nothing between them, or a '|' at an end"),
        ("relu |", "stage 2 at character 7: empty stage: two '|' with nothing between them, or a '|' at an end"),
        ("relu | maxpol(2)",
         ("stage 2 'maxpol(2)' at character 8: unknown stage 'maxpol' (did you mean maxpool?); the stages are "
         "conv, relu, leaky_relu, sigmoid, tanh, maxpool, avgpool, meanpool, sumpool, flatten, linear, softmax, "
         "conv_transpose, batchnorm, adaptive_avgpool, adaptive_maxpool, global_avgpool")),
        ("relu | 2(3)", ("stage 2 '2(3)' at character 8: a stage starts with its name, e.g. relu or maxpool(2) "
         "(found '2(3)')")),
        ("maxpool(2", "stage 1 'maxpool(2' at character 8: a bracket is never closed: ')' is missing"),
        ("maxpool(2))", "stage 1 'maxpool(2))' at character 11: ')' closes a bracket that was never opened"),
        ("relu | maxpool(2) x",
         ("stage 2 'maxpool(2) x' at character 19: unexpected 'x': arguments go inside one pair of brackets, "
         "stages are separated by '|'")),
        ("maxpool(2,,1)", "stage 1 'maxpool(2,,1)' at character 11: empty argument (two commas in a row?)"),
        ("maxpool('2)", "stage 1 'maxpool('2)' at character 9: the quote ' is never closed"),
        ("conv(k.txt, stride=2, 1)",
         ("stage 1 'conv(k.txt, stride=2, 1)' at character 23: '1' comes after a key=value argument; "
         "for a pair write stride=(2,1) or stride=2x1")),
        ("maxpool(2, stride=1, stride=2)", ("stage 1 'maxpool(2, stride=1, stride=2)' at character 22: "
         "stride is given twice")),
    ],
)
def test_syntax_errors_name_stage_and_character(chain, message):
    with pytest.raises(PipelineError) as info:
        parse_pipeline(chain)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "chain, message",
    [
        ("relu(3)", "stage 1 'relu(3)' at character 6: relu takes no arguments"),
        ("relu | maxpool(0)", "stage 2 'maxpool(0)' at character 16: size must be a positive integer (got 0)"),
        ("maxpool(2, 1, 1, 1, 1)",
         "stage 1 'maxpool(2, 1, 1, 1, 1)' at character 21: maxpool takes at most 4 values without a name (got 5)"),
        ("maxpool(2, foo=1)",
         ("stage 1 'maxpool(2, foo=1)' at character 12: maxpool has no option 'foo'; its options are size, "
         "stride, padding, dilation, ceil_mode")),
        ("maxpool(2, size=3)", "stage 1 'maxpool(2, size=3)' at character 12: size is given twice"),
        ("maxpool(3, padding=2)",
         ("stage 1 'maxpool(3, padding=2)' at character 12: pool padding 2 must be at most half the pool size 3 "
         "(size // 2 = 1), as in PyTorch")),
        ("maxpool(2, ceil_mode=maybe)",
         "stage 1 'maxpool(2, ceil_mode=maybe)' at character 12: ceil_mode must be true or false (got 'maybe')"),
        ("maxpool(stride=2)", "stage 1 'maxpool(stride=2)' at character 1: maxpool needs size, e.g. maxpool(2)"),
        ("leaky_relu(abc)", "stage 1 'leaky_relu(abc)' at character 12: slope must be a number (got 'abc')"),
        ("linear", "stage 1 'linear' at character 1: linear needs W_FILE, e.g. linear(w.txt, b.txt)"),
        ("linear(3)", "stage 1 'linear(3)' at character 8: weight must be a file name (got 3)"),
        ("conv(k1.txt, norm=avg)",
         "stage 1 'conv(k1.txt, norm=avg)' at character 14: norm must be one of sum, mean (got 'avg')"),
        ("conv(k1.txt, padding_mode=mirror)",
         ("stage 1 'conv(k1.txt, padding_mode=mirror)' at character 14: padding_mode must be one of zeros, "
         "constant, reflect, replicate, circular (got 'mirror')")),
        ("conv(k1.txt, padding=same, stride=2)",
         ("stage 1 'conv(k1.txt, padding=same, stride=2)' at character 14: padding='same' needs stride 1 "
         "(got stride 2), as in PyTorch")),
        ("conv(k1.txt, stride=0)",
         "stage 1 'conv(k1.txt, stride=0)' at character 14: stride must be a positive integer (got 0)"),
        ("conv(k1.txt, padding=-1)",
         "stage 1 'conv(k1.txt, padding=-1)' at character 14: padding must be a non-negative integer (got -1)"),
        ("conv(k1.txt, flip=2)", "stage 1 'conv(k1.txt, flip=2)' at character 14: flip must be true or false (got 2)"),
        ("relu | conv(missing.txt)", "stage 2 'conv(missing.txt)' at character 13: {dir}/missing.txt: no such file"),
        ("linear(w.txt, bias2.txt)",
         ("stage 1 'linear(w.txt, bias2.txt)' at character 15: bias has 2 values but there are 3 filters: "
         "give one value or one per filter")),
    ],
)
def test_argument_errors_name_stage_and_character(files, chain, message):
    with pytest.raises(StageError) as info:
        parse_pipeline(chain, base_dir=files)
    assert str(info.value) == message.format(dir=files)


def test_errors_speak_chinese():
    with pytest.raises(StageError) as info:
        parse_pipeline("relu | maxpool(0)")
    assert info.value.message("zh") == "第 2 步 “maxpool(0)” 第 16 个字符处: size 必须是正整数（收到 0）"


# --------------------------------------------------------------------------- binding


def test_conv_stage_holds_weight_bias_and_options(files):
    (conv,) = parse_pipeline("conv(k1.txt, stride=2x1, padding=(1,0), norm=mean, bias=0.5, flip=true)",
                             base_dir=files)
    np.testing.assert_array_equal(conv.weight, K1)
    assert conv.bias.tolist() == [0.5]
    assert conv.options == {"stride": (2, 1), "padding": (1, 0), "dilation": (1, 1),
                            "padding_mode": "zeros", "norm": "mean", "flip": True,
                            "groups": 1, "padding_value": 0.0}


def test_conv_without_bias_has_none_and_bias_file_is_per_filter(files):
    plain, banked = parse_pipeline("conv(k1.txt) | conv(bank.txt, bias=bias2.txt)", base_dir=files)
    assert plain.bias is None
    assert banked.bias.tolist() == [1.0, -1.0]
    assert banked.weight.shape == (2, 2, 2)


def test_linear_stage_holds_weight_and_bias(files):
    (lin,) = parse_pipeline("linear(w.txt, b.txt)", base_dir=files)
    assert lin.weight.shape == (3, 4)
    assert lin.bias.tolist() == [0.5, -0.5, 0.0]
    (nobias,) = parse_pipeline("linear(weight=w.txt)", base_dir=files)
    assert nobias.bias is None


def test_pool_options_default_stride_to_size():
    (pool,) = parse_pipeline("avgpool(3, padding=1, ceil_mode=true, count_include_pad=false)")
    assert pool.options == {"kind": "mean", "size": (3, 3), "stride": (3, 3), "padding": (1, 1),
                            "dilation": (1, 1), "ceil_mode": True, "count_include_pad": False}
    assert parse_pipeline("meanpool(2)")[0].options["kind"] == "mean"
    assert parse_pipeline("sumpool(k=2, stride=1)")[0].options["stride"] == (1, 1)
    assert parse_pipeline("maxpool(2, 1, 0, 2)")[0].options["dilation"] == (2, 2)


def test_relative_files_are_found_from_base_dir(files, monkeypatch):
    monkeypatch.chdir(files.parent)
    (conv,) = parse_pipeline(f"conv({files.name}/k1.txt)")
    np.testing.assert_array_equal(conv.weight, K1)
    (conv,) = parse_pipeline(f"conv('{files / 'k1.txt'}')", base_dir="/nonexistent")  # absolute wins
    np.testing.assert_array_equal(conv.weight, K1)


# --------------------------------------------------------------------------- running


def test_seed_x_conv_relu_pool_by_hand(files):
    results = run_pipeline(X, parse_pipeline("conv(k1.txt, norm=mean) | relu | maxpool(2)", base_dir=files))
    conv, relu, pool = results
    assert [r.shape for r in results] == [(7, 7), (7, 7), (3, 3)]
    # the seed's first row: 7/9 -1/9 1/9 3/9 5/9 -1/9 3/9
    np.testing.assert_allclose(conv.output[0] * 9, [7, -1, 1, 3, 5, -1, 3])
    np.testing.assert_allclose(relu.output[0] * 9, [7, 0, 1, 3, 5, 0, 3])
    np.testing.assert_allclose(pool.output * 9, [[9, 3, 5], [3, 9, 3], [5, 3, 9]])
    assert results[0].stage.name == "conv" and results[2].stage.text == "maxpool(2)"


def test_default_kernel_in_parse_or_run():
    by_parse = parse_pipeline("conv(norm=mean) | relu", default_kernel=K1)
    out1 = run_pipeline(X, by_parse)[-1].output
    by_run = parse_pipeline("conv(norm=mean) | relu")
    assert by_run[0].weight is None
    out2 = run_pipeline(X, by_run, default_kernel=K1)[-1].output
    np.testing.assert_array_equal(out1, out2)
    assert out1[1, 1] == 1.0
    with pytest.raises(StageError, match=r"stage 1 'conv\(\)' at character 1: conv needs a kernel file"):
        run_pipeline(X, parse_pipeline("conv()"))


def test_bank_then_multichannel_text_kernel(tmp_path):
    """A text kernel of M·C blocks on a C-channel input is M filters, filter by filter."""
    x = np.arange(16.0).reshape(4, 4)
    (tmp_path / "bank.txt").write_text("1 0\n0 0\n\n0 0\n0 1\n")  # 2 filters on 1 channel
    # 2 filters x 2 channels: f1 = (c1: 1, c2: 0), f2 = (c1: 1, c2: -1) as 1x1 kernels
    (tmp_path / "mix.txt").write_text("1\n\n0\n\n1\n\n-1\n")
    res = run_pipeline(x, parse_pipeline("conv(bank.txt) | conv(mix.txt)", base_dir=tmp_path))
    top_left, bottom_right = x[:3, :3], x[1:, 1:]
    np.testing.assert_array_equal(res[0].output, [top_left, bottom_right])
    np.testing.assert_array_equal(res[1].output, [top_left, top_left - bottom_right])
    assert res[1].shape == (2, 3, 3)
    (tmp_path / "three.txt").write_text("1\n\n1\n\n1\n")
    with pytest.raises(StageError, match="the input has 2 channels but the kernel has 3 blocks"):
        run_pipeline(x, parse_pipeline("conv(bank.txt) | conv(three.txt)", base_dir=tmp_path))


def test_conv_weight_reshape_rule():
    assert conv_weight(np.zeros((6, 3, 3)), 3).shape == (2, 3, 3, 3)
    assert conv_weight(np.zeros((3, 3, 3)), 3).shape == (3, 3, 3)  # one filter across 3 channels
    assert conv_weight(np.zeros((4, 3, 3)), 1).shape == (4, 3, 3)  # 4 filters on one channel
    assert conv_weight(np.zeros((2, 1, 3, 3)), 1).shape == (2, 1, 3, 3)


def test_conv_bias_number_and_file(files):
    x = np.ones((3, 3))
    res = run_pipeline(x, parse_pipeline("conv(bank.txt, bias=bias2.txt) | flatten", base_dir=files))
    assert res[0].output.tolist() == [[[3.0, 3.0], [3.0, 3.0]], [[1.0, 1.0], [1.0, 1.0]]]
    assert res[1].shape == (8,)
    res = run_pipeline(x, parse_pipeline("conv(bank.txt, bias=-2, norm=mean)", base_dir=files))
    assert res[0].output.tolist() == [[[-1.5, -1.5], [-1.5, -1.5]]] * 2


def test_flatten_linear_softmax_and_loss_by_hand(files):
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    res = run_pipeline(x, parse_pipeline("flatten | linear(w.txt, b.txt)", base_dir=files))
    assert res[0].output.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert res[1].output.tolist() == [1.5, 3.5, 10.0]  # [1+0.5, 4-0.5, 10]
    loss, pred = loss_and_prediction(res, 1)
    logits = np.array([1.5, 3.5, 10.0])
    assert loss == pytest.approx(-(3.5 - 10.0 - math.log(1 + math.exp(-8.5) + math.exp(-6.5))), abs=1e-12)
    assert pred == 2
    sm = run_pipeline(x, parse_pipeline("flatten | linear(w.txt, b.txt) | softmax", base_dir=files))
    p = np.exp(logits) / np.exp(logits).sum()
    np.testing.assert_allclose(sm[-1].output, p, atol=1e-15)
    loss_sm, pred_sm = loss_and_prediction(sm, 1)
    assert loss_sm == pytest.approx(-math.log(p[1]), abs=1e-12)
    assert loss_sm == pytest.approx(loss, abs=1e-12)
    assert pred_sm == 2


def test_prediction_only_for_classifiers_or_with_target(files):
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    flat = run_pipeline(x, parse_pipeline("flatten"))
    assert loss_and_prediction(flat, None) == (None, None)
    assert loss_and_prediction(flat, 3)[1] == 3
    lin = run_pipeline(x, parse_pipeline("linear(w.txt)", base_dir=files))  # linear flattens a map
    assert lin[0].output.tolist() == [1.0, 4.0, 10.0]
    assert loss_and_prediction(lin, None) == (None, 2)
    assert loss_and_prediction([], 0) == (None, None)


def test_target_errors(files):
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    maps = run_pipeline(x, parse_pipeline("relu"))
    with pytest.raises(PipelineError) as info:
        loss_and_prediction(maps, 0)
    assert str(info.value) == (
        "--target needs a network that ends in a vector of class scores, but the last stage gives 2×2: "
        "end with flatten | linear(...)"
    )
    lin = run_pipeline(x, parse_pipeline("linear(w.txt)", base_dir=files))
    with pytest.raises(CnncalcError, match="target must be a class index from 0 to 2"):
        loss_and_prediction(lin, 3)


def test_softmax_of_zero_probability_gives_infinite_loss():
    res = run_pipeline(np.array([[0.0, 800.0]]), parse_pipeline("flatten | softmax"))
    assert res[-1].output.tolist() == [0.0, 1.0]
    assert loss_and_prediction(res, 0)[0] == math.inf


def test_activations_in_a_chain():
    x = np.array([[-2.0, 0.0, 3.0]])
    outs = [r.output for r in run_pipeline(x, parse_pipeline("leaky_relu(0.5) | tanh | sigmoid | relu"))]
    assert outs[0].tolist() == [[-1.0, 0.0, 3.0]]
    np.testing.assert_allclose(outs[1], np.tanh([[-1.0, 0.0, 3.0]]))
    np.testing.assert_allclose(outs[2], 1 / (1 + np.exp(-np.tanh([[-1.0, 0.0, 3.0]]))))
    assert parse_pipeline("leaky_relu")[0].options == {"slope": 0.01}
    assert parse_pipeline("leaky_relu(negative_slope=0.2)")[0].options == {"slope": 0.2}


def test_run_errors_name_the_stage(files):
    x = np.ones((4, 4))
    with pytest.raises(StageError) as info:
        run_pipeline(x, parse_pipeline("maxpool(2) | conv(k1.txt)", base_dir=files))
    assert str(info.value) == (
        "stage 2 'conv(k1.txt)' at character 14: the kernel (3×3, dilated extent 3×3) is larger than "
        "the padded input (2×2)"
    )
    with pytest.raises(StageError, match=r"stage 2 'linear\(w.txt\)' .*the linear weight is 3×4 but the input has 9"):
        run_pipeline(np.ones((3, 3)), parse_pipeline("flatten | linear(w.txt)", base_dir=files))
    with pytest.raises(StageError, match=r"stage 1 'softmax' .*softmax needs a vector but its input is 4×4"):
        run_pipeline(x, parse_pipeline("softmax"))
    with pytest.raises(StageError, match="stage 2 'conv"):
        run_pipeline(x, parse_pipeline("flatten | conv(k1.txt)", base_dir=files))


def test_pipeline_output_is_the_last_stage(files):
    out = pipeline_output(X, "conv(k1.txt, norm=mean) | relu | maxpool(2) | flatten", base_dir=files)
    assert out.shape == (9,)
    assert out[0] == 1.0
    np.testing.assert_array_equal(pipeline_output(X, "conv(norm=mean)", default_kernel=K1),
                                  ops.conv2d(X, K1, norm="mean"))


def test_apply_stage_by_itself():
    (pool,) = parse_pipeline("sumpool(2)")
    assert apply_stage(pool, np.arange(16.0).reshape(4, 4)).tolist() == [[10.0, 18.0], [42.0, 50.0]]


def test_inputs_are_never_modified(files):
    x = X.copy()
    run_pipeline(x, parse_pipeline("conv(k1.txt, padding=1) | relu | avgpool(2)", base_dir=files))
    np.testing.assert_array_equal(x, X)


# --------------------------------------------------------------------------- properties


pool_kinds = st.sampled_from(["maxpool", "avgpool", "sumpool"])


@settings(max_examples=60, deadline=None)
@given(
    kind=pool_kinds,
    k=st.integers(1, 3),
    s=st.integers(1, 3),
    p=st.integers(0, 1),
    ceil=st.booleans(),
    act=st.sampled_from(["relu", "sigmoid", "tanh", "leaky_relu(0.2)"]),
    seed=st.integers(0, 2**16),
)
def test_chain_equals_direct_ops_calls(kind, k, s, p, ceil, act, seed):
    p = min(p, k // 2)
    x = np.random.default_rng(seed).integers(-9, 10, size=(2, 7, 6)).astype(float)
    chain = f"{act} | {kind}({k}, stride={s}, padding={p}, ceil_mode={str(ceil).lower()}) | flatten"
    results = run_pipeline(x, parse_pipeline(chain))
    direct = {"relu": ops.relu, "sigmoid": ops.sigmoid, "tanh": ops.tanh,
              "leaky_relu(0.2)": lambda a: ops.leaky_relu(a, 0.2)}[act](x)
    pooled = ops.pool2d(direct, kind={"maxpool": "max", "avgpool": "mean", "sumpool": "sum"}[kind],
                        size=k, stride=s, padding=p, ceil_mode=ceil)
    np.testing.assert_array_equal(results[0].output, direct)
    np.testing.assert_array_equal(results[1].output, pooled)
    np.testing.assert_array_equal(results[2].output, pooled.reshape(-1))
    assert [r.stage.index for r in results] == [1, 2, 3]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["relu", "tanh", "maxpool(2)", "flatten", "sigmoid", "sumpool(1)"]),
                min_size=1, max_size=6),
       st.lists(st.sampled_from([" ", "", "  "]), min_size=12, max_size=12))
def test_positions_point_at_each_stage(names, spaces):
    pieces = [spaces[2 * i] + n + spaces[2 * i + 1] for i, n in enumerate(names)]
    text = "|".join(pieces)
    stages = parse_chain(text)
    assert [s.text for s in stages] == names
    for s in stages:
        assert text[s.position : s.position + len(s.text)] == s.text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="conv(relu)maxpool|,=2x'\" k.txt", max_size=30))
def test_any_text_parses_or_raises_a_pipeline_error(text):
    try:
        parse_chain(text)
    except PipelineError as exc:
        assert "Traceback" not in exc.message("en")
        assert exc.message("zh")


def test_stage_is_a_dataclass_with_the_agreed_names():
    s = Stage(name="relu", args=[], kwargs={}, text="relu", position=0)
    assert (s.index, s.options, s.weight, s.bias) == (0, {}, None, None)


def test_python_api_exports():
    import cnncalc

    stages = cnncalc.parse_pipeline("conv(norm=mean) | relu | maxpool(2)", default_kernel=K1)
    out = cnncalc.run_pipeline(X, stages)[-1].output
    assert out.shape == (3, 3) and out[0, 0] == 1.0
    assert cnncalc.shape_summary("1x9x9", "conv(1, 3) | maxpool(2)").output_shape == (1, 3, 3)
    assert issubclass(StageError, cnncalc.PipelineError)
    assert cnncalc.loss_and_prediction(cnncalc.run_pipeline(np.zeros((1, 2)), cnncalc.parse_pipeline("flatten")), 0)[0] \
        == pytest.approx(math.log(2))
