"""Assignment TOML files: every key, the exact results, and errors naming file, line and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from cnncalc.check.assignment import load_assignment, parse_pool, parse_settings
from cnncalc.engine import ops
from cnncalc.errors import AssignmentError, CnncalcError, MatrixFormatError, ParameterError
from cnncalc.read import read_matrix

ROOT = Path(__file__).resolve().parent.parent
XO = ROOT / "samples/xo"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("x.txt", "k1.txt", "k2.txt"):
        shutil.copy(XO / name, tmp_path / name)
    return tmp_path


def write(folder: Path, text: str) -> Path:
    path = folder / "a.toml"
    path.write_text(text)
    return path


def test_the_sample_assignment():
    a = load_assignment(XO / "assignment.toml")
    assert (a.title, a.decimals, len(a.problems)) == ("X or O feature maps", 2, 3)
    p = a.problems[0]
    assert (p.name, p.points, p.scoring, p.conv, p.stages) == ("feature map 1", 10.0, "cells", {"norm": "mean"}, None)
    assert p.expected.shape == (7, 7) and p.expected[0, 0] == 7 / 9
    assert p.context is not None and p.context.conv == {"norm": "mean"}
    assert a.problems[2].scoring == "all"
    assert a.problem_decimals(p) == 2


def test_conv_options_relu_and_pool(folder: Path):
    a = load_assignment(write(folder, (
        'title = "t"\ndecimals = 3\natol = 0.01\n'
        '[[problem]]\nimage = "x.txt"\nkernel = "k1.txt"\nstride = 2\npadding = "1,1"\n'
        'norm = "mean"\nrelu = true\npool = "max:2"\ndecimals = 1\n'
    )))
    x, k = read_matrix(folder / "x.txt"), read_matrix(folder / "k1.txt")
    expected = ops.pool2d(ops.relu(ops.conv2d(x, k, stride=2, padding=1, norm="mean")), kind="max", size=2)
    p = a.problems[0]
    assert np.array_equal(p.expected, expected)
    assert (p.name, p.points, p.decimals, p.atol, a.decimals) == ("problem 1", 1.0, 1, 0.01, 3)
    assert p.post == ["relu", ("pool", "max", (2, 2), None)]


def test_stages(folder: Path):
    a = load_assignment(write(folder, (
        '[[problem]]\nimage = "x.txt"\nkernel = "k1.txt"\nstages = "conv(norm=mean) | relu | maxpool(2)"\n'
        '[[problem]]\nimage = "x.txt"\nstages = "conv(k2.txt, stride=2)"\n'
    )))
    x = read_matrix(folder / "x.txt")
    first = ops.pool2d(ops.relu(ops.conv2d(x, read_matrix(folder / "k1.txt"), norm="mean")), kind="max", size=2)
    assert np.array_equal(a.problems[0].expected, first)
    ctx = a.problems[0].context
    assert ctx.conv["norm"] == "mean" and [s.name for s in ctx.post] == ["relu", "maxpool"]
    second = ops.conv2d(x, read_matrix(folder / "k2.txt"), stride=2)
    assert np.array_equal(a.problems[1].expected, second)
    assert a.problems[1].kernel is None


@pytest.mark.parametrize(
    "text, message",
    [
        ('title = "t\n[[problem]]\n', "a.toml:1: is not valid TOML (Illegal character '\\n')"),
        ('decimal = 2\n[[problem]]\nimage = "x.txt"\nkernel = "k1.txt"\n',
         "a.toml:1: decimal: unknown key (known keys: title, decimals, atol, rtol, problem)"),
        ('decimals = "two"\n[[problem]]\nimage = "x.txt"\nkernel = "k1.txt"\n',
         "a.toml:1: decimals: decimals must be a non-negative number (got 'two')"),
        ('title = "t"\n', "a.toml: no [[problem]] table: an assignment needs at least one problem"),
        ('[[problem]]\nname = "a"\n', 'a.toml:1: problem 1 has no image = "..."'),
        ('[[problem]]\nimage = "x.txt"\n', 'a.toml:1: problem 1 has no kernel = "..."'),
        ('[[problem]]\nimage = "x.txt"\nkernel = "k1.txt"\n\n[[problem]]\nimage = "x.txt"\nkernel = "k1.txt"\nstride = 0\n',
         "a.toml:8: stride: stride must be a positive integer (got 0)"),
        ('[[problem]]\nimage = "nope.txt"\nkernel = "k1.txt"\n', "a.toml:2: image: {dir}/nope.txt: no such file"),
        ('[[problem]]\nimage = "x.txt"\nkernel = "k1.txt"\ncolour = 1\n',
         ("a.toml:4: colour: unknown key (known keys: name, image, kernel, stages, points, scoring, stride, "
          "padding, dilation, padding_mode, norm, bias, flip, relu, pool, decimals, atol, rtol)")),
        ('[[problem]]\nimage = "x.txt"\nkernel = "k1.txt"\nnorm = "mean"\nstages = "conv"\n',
         "a.toml:4: norm: conv options and stages cannot both be given: put the options inside conv(...)"),
        ('[[problem]]\nimage = "x.txt"\nkernel = "k1.txt"\nscoring = "most"\n',
         "a.toml:4: scoring: must be \"cells\" or \"all\" (got 'most')"),
        ('[[problem]]\nimage = "x.txt"\nkernel = "k1.txt"\npoints = -1\n', "a.toml:4: points: must be a number, 0 or more"),
        ('[[problem]]\nimage = 3\nkernel = "k1.txt"\n', "a.toml:2: image: must be text in quotes"),
        ('[[problem]]\nimage = "x.txt"\nkernel = "k1.txt"\nstages = "conv | maxpool(0)"\n',
         "a.toml:4: stages: stage 2 'maxpool(0)' at character 16: size must be a positive integer (got 0)"),
        ('[[problem]]\nimage = "x.txt"\nkernel = "k1.txt"\npadding = 9\npadding_mode = "reflect"\n',
         ("a.toml:4: padding: padding 9 is too large for reflect padding of an input of size 9: "
          "it must be smaller than the input")),
    ],
)
def test_errors_name_file_line_and_key(folder: Path, monkeypatch, text, message):
    monkeypatch.chdir(folder)
    with pytest.raises(AssignmentError) as info:
        load_assignment(write(folder, text).name)
    assert str(info.value) == message.format(dir=".").replace("./", "")


def test_missing_assignment_file(tmp_path: Path):
    with pytest.raises(MatrixFormatError, match="no such file"):
        load_assignment(tmp_path / "none.toml")


def test_errors_in_chinese(folder: Path, monkeypatch):
    monkeypatch.chdir(folder)
    with pytest.raises(CnncalcError) as info:
        load_assignment(write(folder, '[[problem]]\nimage = "x.txt"\nkernel = "k1.txt"\nscoring = "most"\n').name)
    assert info.value.message("zh") == "a.toml:4: scoring: 必须是 \"cells\" 或 \"all\"（收到 'most'）"


def test_settings_from_text():
    s = parse_settings({"stride": "2,1", "padding": "same", "flip": "yes", "bias": "0.5", "pool": "sum:3:1"})
    assert s.conv == {"stride": (2, 1), "padding": "same", "flip": True, "bias": 0.5}
    assert s.post() == [("pool", "sum", (3, 3), (1, 1))]
    with pytest.raises(ParameterError, match="flip must be true or false"):
        parse_settings({"flip": "maybe"})
    with pytest.raises(ParameterError, match="--pool must be KIND:SIZE"):
        parse_pool("big:2")
