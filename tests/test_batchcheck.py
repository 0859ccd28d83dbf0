"""check_many gives, answer for answer, exactly what check_answer gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncalc import read as matrix_io
from cnncalc.check.batch import CellTable, check_many
from cnncalc.check.cells import CheckContext
from cnncalc.check.compare import check_answer
from cnncalc.engine import ops
from cnncalc.numfmt import round_values

XO = Path(__file__).resolve().parent.parent / "samples" / "xo"
X = matrix_io.read_matrix(XO / "x.txt")
K1 = matrix_io.read_matrix(XO / "k1.txt")
K2 = matrix_io.read_matrix(XO / "k2.txt")


def same(a, b) -> None:
    assert a.to_json() == b.to_json()
    assert (a.shape_ok, a.expected_shape, a.got_shape, a.cells, a.maps) == (
        b.shape_ok, b.expected_shape, b.got_shape, b.cells, b.maps
    )
    assert a.explained == b.explained and a.details == b.details
    assert [w.written for w in a.wrong] == [w.written for w in b.wrong]
    assert [w.map for w in a.wrong] == [w.map for w in b.wrong]


def grids_of(values: np.ndarray, decimals: np.ndarray) -> list[matrix_io.Grid]:
    return [matrix_io.Grid(values=v, decimals=d) for v, d in zip(values, decimals)]


def variants(exp: np.ndarray, other: np.ndarray, rng: np.random.Generator, n: int):
    """Answers with the classic mistakes, written at 2 decimals (some at 1 or 0)."""
    out = []
    for _ in range(n):
        kind = rng.integers(0, 9)
        v = exp.copy()
        if kind == 1:
            v = np.where(rng.random(v.shape) < 0.3, -v, v)
        elif kind == 2:
            v = v * 9
        elif kind == 3:
            v = np.roll(v, 1, axis=-1)
        elif kind == 4:
            v = v.transpose(0, 2, 1).copy()
        elif kind == 5:
            v = other.copy()
        elif kind == 6:
            v = np.maximum(v, 0) if rng.random() < 0.5 else v + rng.integers(0, 3, v.shape) / 100
        elif kind == 7:
            v = np.where(rng.random(v.shape) < 0.2, v + rng.integers(-30, 30, v.shape) / 100, v)
        d = int(rng.choice([2, 2, 2, 1, 0, 3]))
        mode = str(rng.choice(["truncate", "half-up", "half-even"]))
        out.append((round_values(v, d, mode), np.full(v.shape, d, dtype=np.int16)))
    return out


@pytest.mark.parametrize(
    "context_kind", ["mean", "sum-relu", "none", "bank", "bias-pool"]
)
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_check_many_equals_check_answer(context_kind, seed):
    rng = np.random.default_rng(seed)
    if context_kind == "mean":
        exp, ctx = ops.conv2d(X, K1, norm="mean"), CheckContext(X, K1, {"norm": "mean"}, [])
        other = ops.conv2d(X, K2, norm="mean")
    elif context_kind == "sum-relu":
        exp = ops.relu(ops.conv2d(X, K1, padding=1))
        ctx = CheckContext(X, K1, {"padding": (1, 1)}, ["relu"])
        other = ops.relu(ops.conv2d(X, K2, padding=1))
    elif context_kind == "bank":
        bank = np.stack([K1, K2])
        exp, ctx = ops.conv2d(X, bank, norm="mean"), CheckContext(X, bank, {"norm": "mean"}, [])
        other = exp[::-1].copy()
    elif context_kind == "bias-pool":  # every entry of the mistake catalogue applies (issue 11)
        post = ["relu", ("pool", "mean", 2, None)]
        exp = ops.pool2d(ops.relu(ops.conv2d(X, K1, padding=1, bias=0.5)), kind="mean", size=2)
        ctx = CheckContext(X, K1, {"padding": 1, "bias": 0.5}, post)
        other = ops.pool2d(ops.relu(ops.conv2d(X, K1, padding=1)), kind="mean", size=2)  # no bias
    else:
        exp, ctx = ops.conv2d(X, K1, norm="mean"), None
        other = ops.conv2d(X, K2, norm="mean")
    maps = exp.reshape(-1, *exp.shape[-2:])
    answers = variants(maps, other.reshape(maps.shape), rng, 12)
    got = np.stack([a for a, _ in answers])
    dec = np.stack([d for _, d in answers])
    others = [None, other]
    batch = check_many(got, dec, exp, name="p", decimals=2, context=ctx, others=others)
    for (g, d), b in zip(answers, batch):
        one = check_answer(grids_of(g, d), exp, name="p", decimals=2, context=ctx, others=others)
        same(b, one)


def test_tolerance_policy_is_shared():
    exp = ops.conv2d(X, K1, norm="mean")
    got = np.stack([exp[None] + 0.004, -exp[None]])
    dec = np.full(got.shape, -1, dtype=np.int16)
    batch = check_many(got, dec, exp, atol=0.005)
    for g, d, b in zip(got, dec, batch):
        same(b, check_answer(grids_of(g, d), exp, atol=0.005))
    assert batch[0].score == 1.0 and batch[1].diagnosis[0] == "sign"


def test_cell_table_shares_equal_triples():
    got = np.array([[0.77, 0.11], [0.77, 0.11], [0.77, -0.11]])
    dec = np.array([[2, 2], [2, 2], [2, 2]])
    table = CellTable(got, dec)
    assert len(table.values) == 3  # (0.77, col 1), (0.11, col 2), (-0.11, col 2)
    assert table.right(np.array([7 / 9, -1 / 9]), {}).tolist() == [
        [True, False], [True, False], [True, True]
    ]
