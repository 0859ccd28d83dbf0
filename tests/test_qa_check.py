"""QA of `cnncalc check`: answers written the way students write them, planted mistakes,
random answers that must not get a mistake's label, and the CLI contract (JSON, exit codes)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from cnncalc.check.cells import CheckContext
from cnncalc.check.compare import check_answer
from cnncalc.check.report import sentences
from cnncalc.cli import cli
from cnncalc.engine import ops
from cnncalc.read import Grid, parse_text, read_matrix

ROOT = Path(__file__).resolve().parent.parent
XO = ROOT / "samples" / "xo"
X = read_matrix(XO / "x.txt")
K1 = read_matrix(XO / "k1.txt")
FEATURES = ROOT / "samples" / "net" / "features.txt"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


def verdict(text: str, exact: float, **kw):
    r = check_answer(parse_text(text), np.array([[exact]]), **kw)
    return [(w.cause) for w in r.wrong]


# --------------------------------------------------------------------------- the cell policy


@pytest.mark.parametrize(
    ("written", "exact"),
    [
        ("0.5", 0.5),  # exact at 1 decimal: needs no second one (docs/decisions.md)
        ("0.50", 0.5),
        (".5", 0.5),
        ("1.", 1.0),
        ("1", 1.0),
        ("1.000", 1.0),
        ("-0.00", 0.0),  # negative zero is zero
        ("-0", 0.0),
        ("-0.00", -1 / 900),  # -0.0011 truncated or rounded
        ("0.00", -1 / 900),
        ("-0.55", -5 / 9),  # truncated
        ("-0.56", -5 / 9),  # rounded
        ("-0.555", -5 / 9),
        ("-0.5556", -5 / 9),
        ("0.7778", 7 / 9),
        ("7.7e-1", 7 / 9),  # exponent: 2 decimals
        ("7.8E-1", 7 / 9),
        ("０．７７", 7 / 9),  # full-width
        ("−0.11", -1 / 9),  # Unicode minus
        ("0.12", 1 / 8),  # 0.125: truncated / half-even
        ("0.13", 1 / 8),  # half-up
        ("1.00", 0.99999999999),  # float noise is no digit
    ],
)
def test_right_as_students_write_it(written, exact):
    assert verdict(written, exact) == []


@pytest.mark.parametrize(
    ("written", "exact", "cause"),
    [
        ("-0.5", -5 / 9, "too-few-decimals"),  # right at 1 decimal, but 2 are asked
        ("0.1", 1 / 8, "too-few-decimals"),
        ("0", 0.001, "too-few-decimals"),
        ("0.55", -5 / 9, "sign"),
        ("0.76", 7 / 9, "rounding"),
        ("0.67", 7 / 9, "arithmetic"),
        ("0.99", 0.99999999999, "arithmetic"),
    ],
)
def test_wrong_cells_and_their_cause(written, exact, cause):
    assert verdict(written, exact) == [cause]


def test_decimals_zero_and_three():
    assert verdict("1", 7 / 9, decimals=0) == []
    assert verdict("0", 7 / 9, decimals=0) == []  # truncated
    assert verdict("0.78", 7 / 9, decimals=3) == ["too-few-decimals"]
    assert verdict("0.777", 7 / 9, decimals=3) == []
    assert verdict("0.5", 0.5, decimals=3) == []  # exact values never need more


def test_tolerances_replace_the_policy():
    assert verdict("0.77", 7 / 9, atol=0.01) == []
    assert verdict("0.77", 7 / 9, atol=0.001) != []
    assert verdict("0.8", 7 / 9, rtol=0.05) == []


# --------------------------------------------------------------------------- planted mistakes

IMG = np.array(
    [
        [2, -1, 0, 3, 1, -2],
        [0, 1, -3, 2, 2, 1],
        [1, 3, 0, -1, -2, 0],
        [-2, 0, 2, 1, 3, -1],
        [3, -1, 1, 0, -2, 2],
        [0, 2, -1, 3, 1, 1],
    ],
    dtype=float,
)
KER = np.array([[1.0, 2, 0], [-1, 0, 1], [0, 1, -2]])


def plant(answer: np.ndarray, *, conv=None, post=None, others=None):
    """Check ``answer`` written at 2 decimals (half-up) against conv(IMG, KER, conv) + post."""
    from cnncalc.check.recompute import apply_post
    from cnncalc.numfmt import format_values

    conv = {"norm": "mean"} if conv is None else conv
    exp = apply_post(ops.conv2d(IMG, KER, **conv), post)
    text = "\n\n".join(
        "\n".join("\t".join(r) for r in format_values(m, 2, "half-up"))
        for m in np.asarray(answer).reshape(-1, *np.shape(answer)[-2:])
    )
    ctx = CheckContext(image=IMG, kernel=KER, conv=conv, post=post)
    return check_answer(parse_text(text), exp, context=ctx, others=others)


EXP = ops.conv2d(IMG, KER, norm="mean")


def test_planted_mistakes_are_named():
    shifted = EXP.copy()
    shifted[:, 1:] = EXP[:, :-1]
    other = ops.conv2d(IMG, KER[::-1].copy(), norm="mean")
    cases = {
        "normalization": plant(ops.conv2d(IMG, KER)),
        "flipped-kernel": plant(ops.conv2d(IMG, KER, norm="mean", flip=True)),
        "transposed": plant(EXP.T),
        "shifted": plant(shifted),
        "missing-relu": plant(EXP, post=["relu"]),
        "swapped-answers": plant(other, others=[None, other]),
    }
    for label, result in cases.items():
        assert result.diagnosis[0] == label, (label, result.diagnosis)
    both = plant(ops.conv2d(IMG, KER), post=["relu"])  # sum instead of mean, and no ReLU
    assert both.diagnosis == ["normalization+missing-relu"]  # issue 11: a pair is one diagnosis
    summed, relu_mean = np.round(ops.conv2d(IMG, KER), 2), np.round(np.maximum(EXP, 0), 2)
    assert len(both.wrong) == int((summed != relu_mean).sum()) == 14


def test_wrong_settings_are_named_with_the_setting():
    for conv, label, hint in (
        ({"stride": 2}, "wrong-stride", "stride=2"),
        ({"padding": 1}, "wrong-padding", "padding=1"),
        ({"dilation": 2}, "wrong-dilation", "dilation=2"),
        ({"stride": (1, 2)}, "wrong-stride", "stride=1,2"),  # one axis only
    ):
        r = plant(ops.conv2d(IMG, KER, norm="mean", **conv))
        assert (r.shape_ok, r.diagnosis, r.shape_hint) == (False, [label], hint)
        assert f"The answer matches {hint}, but this problem uses" in sentences(r, "en")[1]


def test_two_settings_that_keep_the_shape():
    """dilation 1 with padding 1 gives the shape of dilation 2 with padding 2."""
    r = plant(ops.conv2d(IMG, KER, padding=1), conv={"padding": 2, "dilation": 2})
    # issue 11: a pair of settings is one diagnosis, said as one sentence
    assert r.shape_ok and r.diagnosis == ["wrong-padding+wrong-dilation"]
    assert sentences(r, "en")[0].startswith(
        "The answer matches padding=1 together with dilation=1, but this problem uses padding=2 and dilation=2."
    )
    mode = plant(ops.conv2d(IMG, KER, padding=1), conv={"padding": 1, "padding_mode": "reflect"})
    assert mode.diagnosis == ["padding-mode"]  # issue 11: its own label
    assert sentences(mode, "en")[0].startswith("The answer matches padding_mode=zeros, but this problem uses padding_mode=reflect")


@pytest.mark.parametrize("seed", range(6))
def test_random_or_blank_answers_get_no_mistake_label(seed):
    """A random answer (or all zeros) agrees with some mistake on a cell or two by
    chance; that must not be reported as the mistake. An answer of zeros that is
    wrong on most cells is named for what it is, ``unfilled`` (a blank template)."""
    rng = np.random.default_rng(seed)
    img = rng.integers(-2, 3, (8, 8)).astype(float)
    ker = rng.integers(-1, 2, (3, 3)).astype(float)
    post = ["relu"] if seed % 2 else None
    from cnncalc.check.recompute import apply_post

    exp = apply_post(ops.conv2d(img, ker), post)
    ctx = CheckContext(image=img, kernel=ker, conv={}, post=post)
    for got in (np.round(rng.normal(size=exp.shape) * 3, 2), np.zeros(exp.shape)):
        r = check_answer([Grid(values=got, decimals=np.full(got.shape, 2))], exp, context=ctx)
        if not got.any() and 2 * len(r.wrong) > got.size:
            assert r.diagnosis == ["unfilled"]
        else:
            assert set(r.diagnosis) <= {"arithmetic", "sign", "rounding"}, r.diagnosis


def test_zeros_are_not_a_flipped_kernel():
    r = plant(np.zeros(EXP.shape))
    assert r.diagnosis == ["unfilled"]  # a blank answer, said so (it was "arithmetic")


def test_wrong_shape_transposed_only_when_the_values_are():
    img = IMG[:, :5]  # 6x5 image: the 3x3 conv is 4x3
    exp = ops.conv2d(img, KER)
    ctx = CheckContext(image=img, kernel=KER, conv={})

    def grids(a):
        return [Grid(values=a, decimals=np.full(a.shape, 2))]

    assert check_answer(grids(exp.T.copy()), exp, context=ctx).diagnosis == ["transposed"]
    noise = np.round(np.random.default_rng(0).normal(size=(3, 4)), 2)
    assert check_answer(grids(noise), exp, context=ctx).diagnosis == []


def test_two_maps_of_a_bank_swapped(tmp_path):
    maps = run("conv", XO / "x.txt", FEATURES, "--norm", "mean", "--format", "plain").output
    blocks = maps.strip().split("\n\n")
    (tmp_path / "a.txt").write_text("\n\n".join([blocks[0], blocks[2], blocks[1]]) + "\n")
    result = run("check", tmp_path / "a.txt", "--image", XO / "x.txt", "--kernel", FEATURES,
                 "--norm", "mean", "--format", "json")
    assert result.exit_code == 1
    answer = json.loads(result.output)["answers"][0]
    assert [d["label"] for d in answer["diagnosis"]] == ["swapped-answers"]  # issue 11: objects
    assert {w["map"] for w in answer["wrong"]} == {2, 3}
    plain = run("check", tmp_path / "a.txt", "--image", XO / "x.txt", "--kernel", FEATURES,
                "--norm", "mean", "--format", "plain").output
    assert ("- Maps 2 and 3 are in each other's place: map i is the result of filter i of the "
            "kernel file, in order.") in plain


def test_swapped_problems_of_an_assignment_are_named(tmp_path):
    maps = [
        run("conv", XO / "x.txt", XO / f"k{k}.txt", "--norm", "mean", "--format", "plain").output
        for k in (1, 2, 3)
    ]
    (tmp_path / "a.txt").write_text(maps[0] + "\n" + maps[2] + "\n" + maps[1])
    result = run("check", tmp_path / "a.txt", "--assignment", XO / "assignment.toml", "--format", "plain")
    assert result.exit_code == 1
    assert "- This is the answer of “feature map 3”: the answers are in the wrong order." in result.output
    zh = run("--lang", "zh", "check", tmp_path / "a.txt", "--assignment", XO / "assignment.toml",
             "--format", "plain").output
    assert "feature map 2：49 个格子中有 39 个错误" in zh
    assert "- 这是“feature map 2”的答案：答案的顺序弄错了。" in zh


# --------------------------------------------------------------------------- the CLI


def test_json_shape_and_exit_codes(tmp_path):
    right = run("conv", XO / "x.txt", XO / "k1.txt", "--norm", "mean", "--round", "truncate",
                "--format", "plain").output
    (tmp_path / "right.txt").write_text(right)
    (tmp_path / "sign.txt").write_text(right.replace("-0.11", "0.11", 1))
    common = ["--image", XO / "x.txt", "--kernel", XO / "k1.txt", "--norm", "mean", "--format", "json"]
    ok = run("check", tmp_path / "right.txt", *common)
    assert ok.exit_code == 0
    assert json.loads(ok.output) == {
        "correct": True,
        "answers": [{"name": "right.txt", "shape_ok": True, "wrong": [], "diagnosis": [], "score": 1.0}],
    }
    bad = run("check", tmp_path / "sign.txt", *common)
    assert bad.exit_code == 1
    assert json.loads(bad.output) == {
        "correct": False,
        "answers": [
            {
                "name": "sign.txt",
                "shape_ok": True,
                "wrong": [{"row": 1, "col": 2, "expected": -1 / 9, "got": 0.11, "cause": "sign"}],
                "diagnosis": [{  # issue 11: each diagnosis an object
                    "label": "sign", "labels": ["sign"], "settings": {}, "cells": [[1, 2]], "evidence": None,
                    "message": "The wrong cell: the right size but the wrong sign. Check the signs of the products.",
                }],
                "score": 48 / 49,
            }
        ],
    }
    (tmp_path / "ragged.txt").write_text("1 2\n3\n")
    broken = CliRunner().invoke(cli, ["check", str(tmp_path / "ragged.txt"), *map(str, common)])
    assert broken.exit_code == 2
    assert broken.output.startswith("Error: ") and broken.output.count("\n") == 1


def test_tolerance_shows_the_digits_that_differ(tmp_path):
    (tmp_path / "a.txt").write_text("0.11 2.11\n")
    (tmp_path / "x.txt").write_text("7 9\n")
    (tmp_path / "k.txt").write_text("1\n")
    result = run("check", tmp_path / "a.txt", "--image", tmp_path / "x.txt", "--kernel",
                 tmp_path / "k.txt", "--bias", str(-62 / 9), "--atol", "0.001", "--format", "plain")
    # 7 - 62/9 = 1/9 -> 0.111; 9 - 62/9 = 2.111
    assert result.output.splitlines()[1] == "0.11 → 0.111\t2.11 → 2.111"


def test_directive_errors_name_the_file_and_problem(tmp_path):
    body = (XO / "x.txt").read_text() + "\n" + (XO / "k1.txt").read_text() + "\n=\n\n1\n"
    (tmp_path / "p.txt").write_text("# cnncalc: norm=mean strid=2\n" + body)
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "p.txt")])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {tmp_path / 'p.txt'}:1:22: problem 1: unknown setting 'strid'")
    (tmp_path / "q.txt").write_text("# cnncalc: decimals=99\n" + body)
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "q.txt")])
    assert result.output == (
        f"Error: {tmp_path / 'q.txt'}:1:12: problem 1: decimals must be a whole number from 0 to 15 (got '99')\n"
    )


def test_command_line_beats_directives(tmp_path):
    right = run("conv", XO / "x.txt", XO / "k1.txt", "--norm", "mean", "--format", "plain").output
    body = (XO / "x.txt").read_text() + "\n" + (XO / "k1.txt").read_text() + "\n=\n\n" + right
    (tmp_path / "p.txt").write_text("# cnncalc: norm=mean\n" + body)
    assert run("check", tmp_path / "p.txt", "--format", "plain").exit_code == 0
    summed = run("check", tmp_path / "p.txt", "--norm", "sum", "--format", "json")
    assert summed.exit_code == 1
    assert [d["label"] for d in json.loads(summed.output)["answers"][0]["diagnosis"]] == ["normalization"]


def test_explain_takes_the_cell_as_a_chinese_keyboard_types_it():
    for at in ("1,1", "１，１", "（1，1）", "1 1"):
        result = run("explain", XO / "x.txt", XO / "k1.txt", "--at", at, "--norm", "mean",
                     "--round", "truncate", "--format", "plain")
        assert result.exit_code == 0
        assert result.output.splitlines()[-2:] == [
            "Mean (norm=mean, 9 kernel cells): 7 / 9 = 0.77", "Value of cell (1, 1): 0.77"
        ]


def test_an_answer_that_stops_before_the_pooling(tmp_path):
    (tmp_path / "a.toml").write_text(
        '[[problem]]\nname = "pooled"\nimage = "x.txt"\nkernel = "k1.txt"\n'
        'stages = "conv(norm=mean) | relu | maxpool(2)"\n'
    )
    for name in ("x.txt", "k1.txt"):
        (tmp_path / name).write_bytes((XO / name).read_bytes())
    conv_relu = run("run", XO / "x.txt", f"conv({XO / 'k1.txt'}, norm=mean) | relu", "--stage", "2",
                    "--format", "plain").output
    (tmp_path / "ans.txt").write_text(conv_relu)
    result = run("check", tmp_path / "ans.txt", "--assignment", tmp_path / "a.toml", "--format", "plain")
    assert result.exit_code == 1
    assert result.output.splitlines()[-2:] == [
        "- The answer is 7×7, but the result is 3×3.",
        (  # issue 11: the evidence
            "- The answer is the map before maxpool(2): apply maxpool(2) to it to get the result."
            " For example cell (1, 1): you wrote 0.78 = 7/9, exactly the value this mistake gives."
        ),
    ]
    cli_pool = run("check", tmp_path / "ans.txt", "--image", XO / "x.txt", "--kernel", XO / "k1.txt",
                   "--norm", "mean", "--relu", "--pool", "max:2", "--format", "plain", "--lang", "zh")
    assert cli_pool.output.splitlines()[-1] == (
        "- 答案是做 maxpool(2) 之前的特征图：还要对它做 maxpool(2) 才是结果。例如格子 (1, 1)：你写的 0.78 = 7/9 正是这样算出的值。"
    )


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_a_tolerance_must_be_finite(value):
    result = CliRunner().invoke(cli, ["check", str(XO / "homework.txt"), "--atol", value])
    assert (result.exit_code, result.output) == (2, f"Error: --atol must be a non-negative number (got {value})\n")
