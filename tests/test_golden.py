"""cnncalc.engine.ops against cases computed by PyTorch (``tests/golden/*.json``).

The files are written by ``tests/make_goldens.py`` (run it with a torch
environment; this test never imports torch). A case PyTorch refuses must be
refused here with a ``CnncalcError`` subclass, never another exception; every
other case must match to 1e-9.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cnncalc.engine import ops
from cnncalc.errors import CnncalcError

GOLDEN = Path(__file__).resolve().parent / "golden"
FILES = ("conv2d", "pool2d", "activations")
ATOL = 1e-9


def _load(name: str) -> list[dict]:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))["cases"]


CASES = {name: _load(name) for name in FILES}


def _arg(value):
    """Lists become float64 arrays; ints (class targets) and None stay as they are."""
    if isinstance(value, list):
        return np.asarray(value, dtype=np.float64)
    return value


def _run(case: dict):
    fn = getattr(ops, case["op"])
    return fn(*[_arg(a) for a in case["args"]], **case["kwargs"])


def _check(case: dict) -> None:
    if case.get("error"):
        with pytest.raises(CnncalcError):
            _run(case)
        return
    got = _run(case)
    expected = np.asarray(case["expected"], dtype=np.float64)
    assert np.shape(got) == expected.shape, case["id"]
    np.testing.assert_allclose(got, expected, rtol=0, atol=ATOL, err_msg=case["id"])


@pytest.mark.parametrize("case", CASES["conv2d"], ids=lambda c: c["id"])
def test_conv2d(case):
    _check(case)


@pytest.mark.parametrize("case", CASES["pool2d"], ids=lambda c: c["id"])
def test_pool2d(case):
    _check(case)


@pytest.mark.parametrize("case", CASES["activations"], ids=lambda c: c["id"])
def test_activations(case):
    _check(case)


def test_inputs_are_not_written():
    """Running every case leaves its argument arrays untouched."""
    for name in FILES:
        for case in CASES[name][::25]:
            args = [_arg(a) for a in case["args"]]
            before = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
            try:
                getattr(ops, case["op"])(*args, **case["kwargs"])
            except CnncalcError:
                pass
            for a, b in zip(args, before):
                if isinstance(a, np.ndarray):
                    np.testing.assert_array_equal(a, b)


def test_golden_files_cover_every_parameter():
    """The generator kept a case for each option value (guards against a thin rewrite)."""
    conv = [c for c in CASES["conv2d"] if not c.get("error")]
    seen = {k for c in conv for k in c["kwargs"]}
    assert seen >= {"stride", "padding", "dilation", "padding_mode", "norm", "bias", "flip"}
    assert {c["kwargs"].get("padding_mode", "zeros") for c in conv} == set(ops.PADDING_MODES)
    assert {"same", "valid"} <= {
        c["kwargs"].get("padding") for c in conv if isinstance(c["kwargs"].get("padding"), str)
    }
    kernel_dims = {np.ndim(c["args"][1]) for c in conv}
    assert kernel_dims == {2, 3, 4}
    pool = [c for c in CASES["pool2d"] if not c.get("error")]
    assert {c["kwargs"]["kind"] for c in pool} == {"max", "mean", "sum"}
    assert any(c["kwargs"].get("ceil_mode") for c in pool)
    assert any(c["kwargs"].get("count_include_pad") is False for c in pool)
    assert any(c["kwargs"].get("dilation", 1) != 1 for c in pool)
    ops_seen = {c["op"] for c in CASES["activations"]}
    assert ops_seen == {
        "relu",
        "leaky_relu",
        "sigmoid",
        "tanh",
        "softmax",
        "flatten",
        "linear",
        "cross_entropy",
        "mse",
    }
    assert sum(len(CASES[n]) for n in FILES) > 1500
    assert sum(1 for n in FILES for c in CASES[n] if c.get("error")) > 200
