"""The checking policy cell by cell, and every diagnosis label planted in an otherwise right answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncalc.check.cells import LABELS, CheckContext, cell_causes, cells_right
from cnncalc.check.compare import check_answer, diagnosis_sentence, missing_result
from cnncalc.engine import ops
from cnncalc.numfmt import format_values
from cnncalc.read import parse_text, read_problems

ROOT = Path(__file__).resolve().parent.parent
HOMEWORK = ROOT / "samples/xo/homework.txt"

# A 7x7 image and a 3x3 kernel with no symmetry, so that transposing, flipping
# or shifting the result always changes it.
IMAGE = np.array(
    [
        [1, 0, 2, 1, 0, 3, 1],
        [0, 1, 1, 2, 1, 0, 2],
        [2, 0, 1, 0, 2, 1, 0],
        [1, 3, 0, 1, 0, 2, 1],
        [0, 1, 2, 0, 1, 1, 3],
        [3, 0, 1, 2, 0, 1, 0],
        [1, 2, 0, 1, 3, 0, 2],
    ],
    dtype=float,
)
KERNEL = np.array([[1, 0, -2], [2, 1, 0], [0, -1, -1]], dtype=float)


def written(arr: np.ndarray, decimals: int = 2, mode: str = "truncate") -> list:
    """The grids a student gets by writing ``arr`` at ``decimals`` decimals."""
    cells = format_values(np.asarray(arr, dtype=float), decimals, mode)
    maps = cells.reshape(-1, *cells.shape[-2:])
    return parse_text("\n\n".join("\n".join(" ".join(r) for r in m) for m in maps))


def conv(**kw) -> np.ndarray:
    return ops.conv2d(IMAGE, KERNEL, **kw)


def context(**kw) -> CheckContext:
    return CheckContext(IMAGE, KERNEL, dict(kw), None)


# --------------------------------------------------------------------------- policy


@pytest.mark.parametrize(
    "text, exact, right",
    [
        ("0.77", 7 / 9, True),  # truncated, as the seed writes it
        ("0.78", 7 / 9, True),  # rounded
        ("0.777", 7 / 9, True),  # more decimals, truncated
        ("0.778", 7 / 9, True),
        ("0.7778", 7 / 9, True),
        ("0.76", 7 / 9, False),
        ("0.79", 7 / 9, False),
        ("0.7", 7 / 9, False),  # too few decimals
        ("0.8", 7 / 9, False),
        ("-0.55", -5 / 9, True),  # truncation cuts towards zero
        ("-0.56", -5 / 9, True),
        ("-0.5", -5 / 9, False),
        ("1", 1.0, True),  # an exact value needs no decimals
        ("1.0", 1.0, True),
        ("1.00", 1.0, True),
        ("0.5", 0.5, True),
        ("-3", -3.0, True),
        ("0.12", 0.125, True),  # half-even and truncate
        ("0.13", 0.125, True),  # half-up
        ("0.11", -1 / 9, False),
        ("0", 0.0, True),
        ("0.00", 0.0, True),
        ("-0.00", -0.001, True),
        ("0.00", -0.001, True),
        ("1.00", 0.9999999999, True),  # float noise never counts
    ],
)
def test_cell_policy(text, exact, right):
    grid = parse_text(text)[0]
    assert cells_right(grid.values, grid.decimals, np.array([[exact]]))[0, 0] == right


def test_decimals_setting_changes_what_is_too_few():
    grid = parse_text("0.7")[0]
    assert not cells_right(grid.values, grid.decimals, np.array([[7 / 9]]))[0, 0]
    assert cells_right(grid.values, grid.decimals, np.array([[7 / 9]]), required=1)[0, 0]


def test_tolerance_replaces_the_policy():
    grid = parse_text("0.7 0.8 0.6")[0]
    exact = np.full((1, 3), 7 / 9)
    assert cells_right(grid.values, grid.decimals, exact, atol=0.1).tolist() == [[True, True, False]]
    assert cells_right(grid.values, grid.decimals, exact, rtol=0.03).tolist() == [[False, True, False]]


def test_unknown_decimals_use_the_shortest_text_of_the_value():
    # .npy answers carry no written decimals (-1): 0.77 reads as two decimals
    values = np.array([[0.77, 7 / 9, 0.7]])
    decimals = np.full(values.shape, -1)
    assert cells_right(values, decimals, np.full((1, 3), 7 / 9)).tolist() == [[True, True, False]]


@pytest.mark.parametrize(
    "text, exact, cause",
    [
        ("0.11", -1 / 9, "sign"),
        ("-0.77", 7 / 9, "sign"),
        ("0.7", 7 / 9, "too-few-decimals"),
        ("1", 7 / 9, "too-few-decimals"),
        ("0.76", 7 / 9, "rounding"),
        ("0.79", 7 / 9, "rounding"),
        ("0.50", 7 / 9, "arithmetic"),
        ("0.5", 7 / 9, "arithmetic"),
        ("2", 0.0, "arithmetic"),
    ],
)
def test_cell_causes(text, exact, cause):
    grid = parse_text(text)[0]
    assert cell_causes(grid.values, grid.decimals, np.array([[exact]]))[0, 0] == cause


# --------------------------------------------------------------------------- the seed's homework


def _homework(norm: str):
    problems = read_problems(HOMEWORK)
    expected = [ops.conv2d(p.image_array(), p.kernel_array(), norm=norm) for p in problems]
    results = []
    for p, exp in zip(problems, expected):
        ctx = CheckContext(p.image_array(), p.kernel_array(), {"norm": norm}, None)
        results.append(check_answer(p.answer, exp, context=ctx, others=expected))
    return results


def test_homework_flags_exactly_the_dropped_minus_signs():
    results = _homework("mean")
    assert [len(r.wrong) for r in results] == [12, 20, 15]
    assert {w.cause for r in results for w in r.wrong} == {"sign"}
    assert [r.diagnosis for r in results] == [["sign"]] * 3
    # every flagged cell is a dropped minus: expected negative, written positive
    assert all(w.expected < 0 < w.got and abs(w.expected + w.got) < 0.01 for r in results for w in r.wrong)
    first = results[0]
    assert [(w.row, w.col) for w in first.wrong][:3] == [(1, 2), (1, 6), (2, 1)]
    assert first.score == pytest.approx(37 / 49)


def test_homework_never_flags_truncated_or_rounded_values():
    results = _homework("mean")
    # 7/9 is written 0.77 (truncated) and 5/9 as 0.55; none of them is flagged
    flagged = {(w.row, w.col) for w in results[0].wrong}
    assert (1, 1) not in flagged and (7, 7) not in flagged and (1, 5) not in flagged
    exp = ops.conv2d(read_problems(HOMEWORK)[0].image_array(), read_problems(HOMEWORK)[0].kernel_array(), norm="mean")
    for mode in ("truncate", "half-up", "half-even"):
        assert check_answer(written(exp, 2, mode), exp).wrong == []


def test_homework_without_mean_is_diagnosed_as_normalization():
    results = _homework("sum")
    for r, signs in zip(results, (12, 20, 15)):
        assert r.diagnosis == ["normalization", "sign"]
        assert r.explained == {"normalization": 49 - signs, "sign": signs}
        assert {k: r.details["normalization"][k] for k in ("variant", "n")} == {"variant": "mean", "n": 9}


# --------------------------------------------------------------------------- planted mistakes


def test_a_correct_answer_has_no_diagnosis():
    exp = conv()
    r = check_answer(written(exp), exp, context=context())
    assert (r.wrong, r.diagnosis, r.score, r.shape_ok) == ([], [], 1.0, True)


def test_planted_sign():
    exp = conv()
    ans = exp.copy()
    cells = [(0, 0), (2, 3), (4, 1)]
    for i, j in cells:
        assert exp[i, j] != 0
        ans[i, j] = -exp[i, j]
    r = check_answer(written(ans), exp, context=context())
    assert [(w.row - 1, w.col - 1) for w in r.wrong] == cells
    assert r.diagnosis == ["sign"]


def test_planted_rounding():
    exp = conv(norm="mean")
    ans = format_values(exp, 2, "truncate")
    i, j = np.argwhere(np.abs(exp * 100 - np.round(exp * 100)) > 0.1)[0]
    ans = ans.astype(object)
    ans[i, j] = f"{float(ans[i, j]) + (0.01 if exp[i, j] < 0 else -0.01):.2f}"
    grids = parse_text("\n".join(" ".join(r) for r in ans))
    r = check_answer(grids, exp, context=context(norm="mean"))
    assert [(w.row - 1, w.col - 1, w.cause) for w in r.wrong] == [(i, j, "rounding")]
    assert r.diagnosis == ["rounding"]


def test_planted_too_few_decimals():
    exp = conv(norm="mean")
    grids = written(exp, 1, "half-up")
    r = check_answer(grids, exp, context=context(norm="mean"))
    # exact values (whole numbers, x.5) are fine with one decimal; the ninths are not
    inexact = np.abs(exp * 10 - np.round(exp * 10)) > 1e-9
    assert len(r.wrong) == int(inexact.sum())
    assert r.diagnosis == ["too-few-decimals"]
    assert "at least 2 decimals" in diagnosis_sentence("too-few-decimals", "en", count=1, wrong=1, decimals=2)


def test_planted_arithmetic():
    exp = conv()
    ans = exp.copy()
    ans[1, 2] += 3
    r = check_answer(written(ans), exp, context=context())
    assert [(w.row, w.col, w.cause) for w in r.wrong] == [(2, 3, "arithmetic")]
    assert r.diagnosis == ["arithmetic"]


def test_planted_normalization_mean_for_sum():
    exp = conv()
    r = check_answer(written(conv(norm="mean")), exp, context=context())
    assert r.diagnosis == ["normalization"]
    assert r.details["normalization"]["variant"] == "mean"
    assert all(w.cause == "normalization" for w in r.wrong)


def test_planted_normalization_sum_for_mean():
    exp = conv(norm="mean")
    r = check_answer(written(conv()), exp, context=context(norm="mean"))
    assert r.diagnosis == ["normalization"]
    assert {k: r.details["normalization"][k] for k in ("variant", "n")} == {"variant": "sum", "n": 9}


def test_normalization_is_found_without_a_context():
    exp = conv()
    r = check_answer(written(conv(norm="mean")), exp)
    assert r.diagnosis == ["normalization"]
    assert {k: r.details["normalization"][k] for k in ("variant", "n")} == {"variant": "mean", "n": 9}


def test_planted_flipped_kernel():
    exp = conv()
    r = check_answer(written(conv(flip=True)), exp, context=context())
    assert r.diagnosis[0] == "flipped-kernel"
    assert r.details["flipped-kernel"]["variant"] == "flipped"


def test_planted_transposed():
    exp = conv()
    r = check_answer(written(exp.T), exp, context=context())
    assert r.diagnosis == ["transposed"]


def test_transposed_shape():
    exp = ops.conv2d(IMAGE[:, :6], KERNEL)  # 5x4
    r = check_answer(written(exp.T), exp)
    assert (r.shape_ok, r.diagnosis, r.expected_shape, r.got_shape) == (False, ["transposed"], (5, 4), (4, 5))


def test_planted_shift():
    exp = conv()
    ans = exp.copy()
    ans[:, :-1] = exp[:, 1:]  # every value one column too far left
    r = check_answer(written(ans), exp, context=context())
    assert r.diagnosis[0] == "shifted"
    # every window moved one cell to the right (issue 11: windows moved, not cells)
    assert (r.details["shifted"]["dy"], r.details["shifted"]["dx"]) == (0, 1)


def test_planted_missing_relu():
    exp_raw = conv()
    assert (exp_raw < 0).any()
    ctx = CheckContext(IMAGE, KERNEL, {}, ["relu"])
    r = check_answer(written(exp_raw), ops.relu(exp_raw), context=ctx)
    assert r.diagnosis == ["missing-relu"]
    assert len(r.wrong) == int((exp_raw < 0).sum())


@pytest.mark.parametrize(
    "mistake, label, hint",
    [
        ({"stride": 2}, "wrong-stride", "stride=2"),
        ({"dilation": 2}, "wrong-dilation", "dilation=2"),
        ({"padding": 1}, "wrong-padding", "padding=1"),
    ],
)
def test_planted_wrong_setting_changes_the_shape(mistake, label, hint):
    exp = conv()
    ans = conv(**mistake)
    r = check_answer(written(ans), exp, context=context())
    assert not r.shape_ok and r.score == 0.0 and r.wrong == []
    assert (r.diagnosis, r.shape_hint) == ([label], hint)
    assert r.expected_shape == (5, 5)
    expected_setting = {"wrong-stride": "stride=1", "wrong-dilation": "dilation=1", "wrong-padding": "padding=0"}
    assert r.details[label]["expected"] == expected_setting[label]


def test_planted_wrong_padding_mode_keeps_the_shape():
    exp = conv(padding=1)
    ans = conv(padding=1, padding_mode="replicate")
    r = check_answer(written(ans), exp, context=context(padding=1))
    assert r.shape_ok
    assert r.diagnosis == ["padding-mode"]  # issue 11: its own label
    assert r.details["padding-mode"]["setting"] == "padding_mode=replicate"


def test_planted_swapped_answers():
    exp1 = conv()
    exp2 = ops.conv2d(IMAGE, KERNEL.T)
    r = check_answer(written(exp2), exp1, context=context(), others=[exp1, exp2])
    assert r.diagnosis == ["swapped-answers"]
    assert r.details["swapped-answers"]["other"] == 2


def test_diagnosis_is_ordered_by_cells_explained():
    exp = conv()
    ans = conv(norm="mean")
    ans[0, 0] = -ans[0, 0]
    ans[0, 2] = -ans[0, 2]
    r = check_answer(written(ans), exp, context=context())
    # 6 of the 25 cells are 0 (right as mean or sum); 2 of the other 19 have a wrong sign too
    assert int((exp == 0).sum()) == 6
    assert r.diagnosis == ["normalization", "sign"]
    assert r.explained == {"normalization": 17, "sign": 2}


def test_every_label_has_a_sentence_in_both_languages():
    for label in LABELS:
        en = diagnosis_sentence(label, "en")
        zh = diagnosis_sentence(label, "zh")
        assert en and zh and en != zh and "check.diag" not in en + zh


def test_json_shape_is_the_designs():
    exp = np.array([[7 / 9, -1 / 9], [1.0, 0.5]])
    r = check_answer(parse_text("0.77 0.11\n1 0.5"), exp, name="p")
    assert r.to_json() == {
        "name": "p",
        "shape_ok": True,
        "wrong": [{"row": 1, "col": 2, "expected": -1 / 9, "got": 0.11, "cause": "sign"}],
        "diagnosis": [{  # issue 11: each diagnosis an object
            "label": "sign", "labels": ["sign"], "settings": {}, "cells": [[1, 2]], "evidence": None,
            "message": "The wrong cell: the right size but the wrong sign. Check the signs of the products.",
        }],
        "score": 0.75,
    }


def test_several_maps_number_their_wrong_cells():
    k = np.stack([KERNEL, KERNEL.T])
    exp = ops.conv2d(IMAGE, k)
    ans = exp.copy()
    ans[1, 0, 0] = -ans[1, 0, 0]
    r = check_answer(written(ans), exp)
    assert [w.to_json(with_map=True) for w in r.wrong] == [
        {"map": 2, "row": 1, "col": 1, "expected": exp[1, 0, 0], "got": -exp[1, 0, 0], "cause": "sign"}
    ]
    assert r.to_json()["wrong"][0]["map"] == 2


def test_missing_answer():
    r = missing_result("p", np.zeros((3, 3)))
    assert (r.shape_ok, r.score, r.cells, r.got_shape) == (False, 0.0, 9, ())


# --------------------------------------------------------------------------- property


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(-300, 300), min_size=1, max_size=12),
    st.integers(1, 12),
    st.integers(0, 3),
    st.sampled_from(["half-even", "half-up", "truncate"]),
)
def test_a_correct_answer_at_enough_decimals_is_always_accepted(nums, denom, extra, mode):
    exact = np.array([[n / denom for n in nums]])
    required = 2
    d = required + extra
    grid = parse_text(" ".join(format_values(exact, d, mode)[0]))[0]
    assert cells_right(grid.values, grid.decimals, exact, required=required).all()
    assert check_answer([grid], exact, decimals=required).wrong == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False), min_size=1, max_size=12),
    st.integers(2, 9),
    st.sampled_from(["half-even", "half-up", "truncate"]),
)
def test_any_float_written_at_enough_decimals_is_accepted(values, d, mode):
    exact = np.array([values])
    grid = parse_text(" ".join(format_values(exact, d, mode)[0]))[0]
    assert cells_right(grid.values, grid.decimals, exact).all()


@settings(max_examples=200, deadline=None)
@given(st.integers(-10**6, 10**6), st.integers(1, 12), st.integers(0, 4))
def test_a_wrong_last_digit_is_never_accepted(num, denom, d):
    exact = num / denom
    right = format_values(np.array([exact]), d, "half-up")[0]
    unit = 10.0**-d
    accepted = {format_values(np.array([exact]), d, m)[0] for m in ("half-even", "half-up", "truncate")}
    for wrong in (float(right) + 2 * unit, float(right) - 2 * unit):
        text = f"{wrong:.{d}f}"
        if text in accepted or text.lstrip("-") == "0" * (d + 1) or text == "0":
            continue
        grid = parse_text(text)[0]
        assert not cells_right(grid.values, grid.decimals, np.array([[exact]]), required=0)[0, 0]
