"""An answer of zeros only is named ``unfilled`` (a blank template handed in), not
"miscalculated" cell by cell; an answer with a few right zeros is not."""

import json

import numpy as np
from click.testing import CliRunner

from cnncalc.check.diagnosis import diagnose, unfilled
from cnncalc.cli import cli

XO = "samples/xo"


def _zeros(tmp_path, text="0.00"):
    path = tmp_path / "blank.txt"
    path.write_text("\n".join(" ".join([text] * 7) for _ in range(7)) + "\n", encoding="utf-8")
    return str(path)


def _check(answer, *extra):
    args = ["check", answer, "--image", f"{XO}/x.txt", "--kernel", f"{XO}/k1.txt", "--norm", "mean"]
    return CliRunner().invoke(cli, args + list(extra))


def test_a_blank_template_is_named_unfilled_in_both_languages(tmp_path):
    answer = _zeros(tmp_path)
    en = _check(answer, "--lang", "en")
    assert en.exit_code == 1
    assert ("- Every cell of the answer is 0, and 49 of them should not be: it looks like a blank "
            "template. Compute each cell (cnncalc explain shows every step).") in en.output
    assert "miscalculated" not in en.output
    zh = _check(answer, "--lang", "zh")
    assert "答案的每一格都是 0，其中 49 格不应为 0：看起来交的是没填的空白表格。" in zh.output


def test_zeros_written_without_decimals_are_unfilled_too(tmp_path):
    out = _check(_zeros(tmp_path, "0"), "--format", "json")
    answer = json.loads(out.output)["answers"][0]
    assert [d["label"] for d in answer["diagnosis"]] == ["unfilled"]
    assert {c["cause"] for c in answer["wrong"]} == {"unfilled"}
    assert len(answer["wrong"]) == 49


def test_zeros_that_are_mostly_right_are_not_unfilled():
    exp = np.array([[[0.0, 0.0], [0.0, 0.5]]])
    got = np.zeros_like(exp)
    wrong = np.array([[[False, False], [False, True]]])
    assert not unfilled(got, wrong)
    causes, explained, _ = diagnose(got, np.full(got.shape, 2), exp, wrong, context=None)
    assert "unfilled" not in explained
    assert causes[0, 1, 1] != "unfilled"


def test_one_nonzero_cell_is_an_attempt_not_a_blank():
    got = np.zeros((3, 3))
    got[1, 1] = 0.33
    assert not unfilled(got, np.ones((3, 3), bool))


def test_zeros_that_an_extra_relu_gives_are_not_called_blank():
    # every product sum is negative: an extra ReLU gives all zeros, so the zeros may be
    # that mistake; the answer is not called a blank template
    img = np.array([[1.0, 1, 4], [2, 1, 0], [0, 1, 4]])
    ker = np.array([[-1.0, -2], [-1, -1]])
    from cnncalc.check.cells import CheckContext
    from cnncalc.engine import ops

    exp = ops.conv2d(img, ker)[None]
    assert (exp < 0).all()
    got = np.zeros_like(exp)
    wrong = np.ones(exp.shape, bool)
    ctx = CheckContext(image=img, kernel=ker, conv={}, post=None)
    _, explained, _ = diagnose(got, np.full(got.shape, 2), exp, wrong, context=ctx)
    assert "unfilled" not in explained
