"""Issue 11: the mistake model names what the student computed, with evidence, in both
languages; pairs are one diagnosis; shapes are explained only by values; students'
feedback carries no command-line advice. Expected values are computed here by hand
(numpy slices), not by cnncalc's mistake code."""

from __future__ import annotations

import json
import string

import numpy as np
import pytest

from cnncalc.check.catalogue import CATALOGUE, LABELS
from cnncalc.check.cells import ANSWER_LABELS, CheckContext
from cnncalc.check.compare import check_answer, diagnosis_sentence
from cnncalc.check.report import CheckedAnswer, check_sections, render_plain, sentences
from cnncalc.messages import MESSAGES
from cnncalc.read import Grid

IMG = np.array(
    [
        [1, 0, 2, -1, 0, 1],
        [0, 1, -2, 1, 2, 0],
        [2, -1, 0, 1, -1, 1],
        [1, 1, 0, -2, 1, 0],
        [0, 2, 1, 0, -1, 2],
        [-1, 0, 1, 2, 0, 1],
    ],
    dtype=float,
)
KER = np.array([[1, 0, -1], [2, 1, 0], [0, -1, 1]], dtype=float)


def corr(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Cross-correlation, no padding, stride 1: by hand."""
    kh, kw = k.shape
    oh, ow = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    out = np.zeros((oh, ow))
    for i in range(kh):
        for j in range(kw):
            out += k[i, j] * x[i : i + oh, j : j + ow]
    return out


def grids(a: np.ndarray, d: int = 2) -> list[Grid]:
    a = np.round(a, d)
    return [Grid(values=a, decimals=np.full(a.shape, d))]


def check(answer: np.ndarray, exp: np.ndarray, conv: dict, post: list | None = None, **kw):
    return check_answer(grids(answer), exp, context=CheckContext(IMG, KER, dict(conv), post), **kw)


def test_the_catalogue_is_data_with_sentences_in_both_languages():
    assert set(LABELS) <= set(ANSWER_LABELS)
    for entry in CATALOGUE:
        for key in (f"check.diag.{entry.label}", f"check.what.{entry.label}"):
            assert key in MESSAGES or any(k.startswith(key + ".") for k in MESSAGES), key
    for key, entry in MESSAGES.items():
        if key.startswith(("check.diag.", "check.what.", "check.evidence")):
            fields = [{f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in ("en", "zh")]
            assert fields[0] == fields[1], key
    for label in LABELS:  # the class summary's general sentence needs no details
        for lang in ("en", "zh"):
            assert "?" not in diagnosis_sentence(label, lang), (label, lang)


def test_missing_bias_is_named_with_its_evidence():
    exp = corr(IMG, KER) + 1.5
    r = check(corr(IMG, KER), exp, {"bias": 1.5})
    assert r.diagnosis == ["missing-bias"]
    # cell (1, 1): window [[1, 0, 2], [0, 1, -2], [2, -1, 0]] times the kernel sums to 1; plus 1.5
    assert sentences(r, "en")[0] == (
        "The bias 1.5 was left out: add it to every sum of products. For example cell (1, 1):"
        " you wrote 1.00, the right value is 2.50."
    )
    assert sentences(r, "zh")[0] == "漏加了偏置 1.5：每个乘积之和都要加上偏置。例如格子 (1, 1)：你写的是 1.00，正确的值是 2.50。"


@pytest.mark.parametrize(
    ("answer", "label"),
    [
        (lambda: corr(IMG, KER) + 3.0, "double-bias"),
        (lambda: corr(IMG, KER), "missing-bias"),
        (lambda: corr(IMG, KER) - 1.5, "negated-bias"),
    ],
)
def test_bias_variants(answer, label):
    r = check(answer(), corr(IMG, KER) + 1.5, {"bias": 1.5})
    assert r.diagnosis == [label]


def test_extra_relu_and_bias_after_relu():
    exp = corr(IMG, KER)
    assert check(np.maximum(exp, 0), exp, {}).diagnosis == ["extra-relu"]
    with_bias = np.maximum(exp - 1, 0)
    assert check(np.maximum(exp, 0) - 1, with_bias, {"bias": -1.0}, ["relu"]).diagnosis == ["bias-after-relu"]


def test_kernel_and_image_transforms():
    exp = corr(IMG, KER)
    assert check(corr(IMG, KER[:, ::-1]), exp, {}).diagnosis == ["flipped-kernel-axis"]
    assert check(corr(IMG, KER.T), exp, {}).diagnosis == ["transposed-kernel"]
    assert check(exp[::-1], exp, {}).diagnosis == ["reversed-rows"]


def test_pool_kind_and_missing_pool():
    conv = corr(IMG, KER)  # 4x4
    blocks = conv.reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(2, 2, 4)
    exp = blocks.max(axis=2)
    r = check(blocks.mean(axis=2), exp, {}, [("pool", "max", 2, None)])
    assert r.diagnosis == ["pool-kind"]
    assert sentences(r, "en")[0].startswith("The pooling takes the mean of each window, but this problem asks for the max.")
    assert sentences(r, "zh")[0].startswith("池化取的是每个窗口的平均值，但本题要的是最大值。")
    missing = check(conv, exp, {}, [("pool", "max", 2, None)])
    assert (missing.shape_ok, missing.diagnosis) == (False, ["missing-pool"])


def test_a_pair_is_one_diagnosis_with_both_settings_in_json():
    exp = np.maximum(corr(IMG, KER) / 9, 0)  # norm=mean, then ReLU
    r = check(corr(IMG, KER), exp, {"norm": "mean"}, ["relu"])  # summed, and no ReLU
    assert r.diagnosis == ["normalization+missing-relu"]
    (obj,) = [d for d in r.to_json()["diagnosis"] if "+" in d["label"]]
    assert obj["labels"] == ["normalization", "missing-relu"]
    assert obj["settings"] == {"norm": "sum", "drop_relu": True}
    assert obj["message"].startswith(
        "Two mistakes together give this answer: the sums were not divided by 9, and negative values were kept"
    )
    assert obj["cells"] and obj["evidence"]["row"] >= 1
    json.dumps(r.to_json())  # plain JSON


def test_a_shape_is_explained_only_by_values():
    exp = corr(IMG, KER)  # 4x4
    cropped = check(exp[:, :-1], exp, {})
    assert (cropped.diagnosis, cropped.shape_hint) == (["cropped"], None)
    noise = np.round(np.random.default_rng(1).normal(size=(2, 2)), 2)  # stride=2 gives 2x2
    r = check(noise, exp, {})
    assert (r.diagnosis, r.shape_hint) == ([], None)
    assert sentences(r, "en") == [
        "The answer is 2×2, but the result is 4×4.",
        "The values match no usual mistake: recompute the map with this problem's settings.",
    ]


def test_other_input_from_another_problem():
    other = np.array([[0, 1, 0], [1, -1, 1], [0, 1, 0]], dtype=float)
    exp = corr(IMG, KER)
    peer = CheckContext(IMG, other, {})
    r = check_answer(grids(corr(IMG, other)), exp, context=CheckContext(IMG, KER, {}),
                     others=[None, ("problem B", corr(IMG, other), peer)])
    # the answer is problem B's own result: that is the simplest reading
    assert r.diagnosis == ["swapped-answers"]
    r = check_answer(grids(corr(IMG, other) / 9), exp / 9, context=CheckContext(IMG, KER, {"norm": "mean"}),
                     others=[None, ("problem B", corr(IMG, other), peer)])
    assert r.diagnosis == ["other-input"]
    assert sentences(r, "en")[0].startswith("The answer was computed with the kernel of “problem B”")


def test_random_answers_get_no_label():
    rng = np.random.default_rng(7)
    exp = corr(IMG, KER) + 0.5
    for _ in range(20):
        noise = np.round(rng.normal(size=exp.shape) * 3, 2)
        r = check(noise, exp, {"bias": 0.5}, ["relu"])
        assert set(r.diagnosis) <= {"arithmetic", "sign", "rounding", "too-few-decimals"}, r.diagnosis


def test_chinese_reads_naturally():
    assert diagnosis_sentence("arithmetic", "zh", count=7, wrong=47).startswith("47 个错格中有 7 个是计算错误")
    exp = corr(IMG, KER)
    items = [CheckedAnswer(check(exp + 1, exp, {}), grids(exp + 1)) for _ in range(3)]
    assert render_plain(check_sections(items, lang="zh")).splitlines()[-1] == "3 道题都没有全对"
    right = [CheckedAnswer(check(exp, exp, {}), grids(exp)) for _ in range(3)]
    assert render_plain(check_sections(right, lang="zh")).splitlines()[-1] == "3 道题全都对了"


def test_feedback_has_no_command_line_advice():
    exp = corr(IMG, KER)
    r = check(exp / 9, exp, {})  # the mean where the sum is asked
    teacher = diagnosis_sentence(r.diagnosis[0], "en", **r.sentence_params(r.diagnosis[0]))
    student = diagnosis_sentence(r.diagnosis[0], "en", student=True, **r.sentence_params(r.diagnosis[0]))
    assert "--norm mean" in teacher and "--norm" not in student and "cnncalc" not in student
    assert "cnncalc explain" not in diagnosis_sentence("arithmetic", "zh", student=True, count=1, wrong=1)
