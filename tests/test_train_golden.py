"""Training steps against torch.autograd + torch.optim (``tests/golden/train.json``).

The cases are written by ``tests/make_train_goldens.py`` (run it with a torch
environment; this test never imports torch). Each case's input and weight files
are written to a temporary folder, the pipeline is parsed from its text, and
loss, every gradient at every step and every updated parameter must match to
1e-9 — through the Python API and, for the JSON shape, through the CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from cnncalc.cli import cli
from cnncalc.net.pipeline import parse_pipeline
from cnncalc.read import matrix_text
from cnncalc.train.optim import make_optimizer
from cnncalc.train.step import train_network

GOLDEN = Path(__file__).resolve().parent / "golden" / "train.json"
CASES = json.loads(GOLDEN.read_text(encoding="utf-8"))["cases"]
ATOL = 1e-9


def _materialise(case: dict, folder: Path) -> tuple[Path, str]:
    """Write the case's input and files; return the input path and the pipeline text."""
    x_path = folder / "input.txt"
    x_path.write_text(matrix_text(np.asarray(case["input"], dtype=np.float64)), encoding="utf-8")
    names = {}
    for key, spec in case["files"].items():
        path = folder / f"{key}{spec['suffix']}"
        if spec["suffix"] == ".json":
            path.write_text(json.dumps(spec["data"]), encoding="utf-8")
        else:
            path.write_text(matrix_text(np.asarray(spec["data"], dtype=np.float64)), encoding="utf-8")
        names[key] = str(path)
    return x_path, case["pipeline"].format(**names)


def _optimizer(case: dict):
    cfg = dict(case["optimizer"])
    name = cfg.pop("name")
    if "betas" in cfg:
        cfg["betas"] = tuple(cfg["betas"])
    return make_optimizer(name, **cfg)


def _close(got, expected, what: str) -> None:
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    assert got.shape == expected.shape, f"{what}: shape {got.shape} != {expected.shape}"
    np.testing.assert_allclose(got, expected, rtol=0, atol=ATOL, err_msg=what)


def test_the_goldens_cover_every_stage_and_option():
    text = " ".join(c["pipeline"] for c in CASES)
    for word in (
        "conv(", "relu", "leaky_relu(", "sigmoid", "tanh", "maxpool(", "avgpool(", "meanpool(",
        "sumpool(", "flatten", "linear(", "softmax", "stride=(", "padding=same", "padding=valid",
        "padding=(", "dilation=", "padding_mode=reflect", "padding_mode=replicate",
        "padding_mode=circular", "norm=mean", "flip=true", "ceil_mode=true",
        "count_include_pad=false",
    ):
        assert word in text, word
    assert any(".json" == f["suffix"] for c in CASES for f in c["files"].values())
    # an 11×11 kernel at stride 1 (ops.conv2d's FFT path) on an integer input
    assert any(np.shape(f["data"]) == (11, 11) for c in CASES for f in c["files"].values())
    optimizers = {(c["optimizer"]["name"], "momentum" in c["optimizer"],
                   "weight_decay" in c["optimizer"]) for c in CASES}
    assert {("sgd", False, False), ("sgd", True, False), ("sgd", True, True),
            ("sgd", False, True), ("adam", False, False), ("adam", False, True)} <= optimizers
    assert max(c["steps"] for c in CASES) >= 3


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_training_matches_torch(case, tmp_path):
    x_path, text = _materialise(case, tmp_path)
    from cnncalc.read import read_matrix

    stages = parse_pipeline(text)
    result = train_network(
        read_matrix(x_path), stages, target=case["target"], optimizer=_optimizer(case),
        steps=case["steps"],
    )
    _close(result.losses, case["loss"], "loss")
    assert len(result.params) == len(case["params"])
    for got, want in zip(result.params, case["params"]):
        where = f"stage {want['stage']} {want['name']}"
        assert (got.stage, got.name) == (want["stage"], want["name"])
        _close(got.value, want["value"], where + " value")
        _close(got.grad, want["grad"], where + " grad")
        _close(got.updated, want["updated"], where + " updated")
    for step, (got_step, want_step) in enumerate(zip(result.step_grads, case["grads"]), start=1):
        for i, (g, w) in enumerate(zip(got_step, want_step)):
            _close(g, w, f"step {step} grad of parameter {i + 1}")


def _cli_args(case: dict) -> list[str]:
    cfg = case["optimizer"]
    args = ["--target", str(case["target"]), "--optimizer", cfg["name"], "--lr", repr(cfg["lr"]),
            "--steps", str(case["steps"]), "--format", "json"]
    if "momentum" in cfg:
        args += ["--momentum", repr(cfg["momentum"])]
    if "weight_decay" in cfg:
        args += ["--weight-decay", repr(cfg["weight_decay"])]
    if "betas" in cfg:
        args += ["--betas", ",".join(repr(b) for b in cfg["betas"])]
    if "eps" in cfg:
        args += ["--eps", repr(cfg["eps"])]
    return args


@pytest.mark.parametrize("case", CASES[::5], ids=[c["id"] for c in CASES[::5]])
def test_cli_json_matches_torch(case, tmp_path):
    x_path, text = _materialise(case, tmp_path)
    result = CliRunner().invoke(
        cli, ["train-step", str(x_path), text, *_cli_args(case)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert list(doc) == ["loss", "params"]
    _close(doc["loss"], case["loss"], "loss")
    assert [(p["stage"], p["name"]) for p in doc["params"]] == [
        (p["stage"], p["name"]) for p in case["params"]
    ]
    for got, want in zip(doc["params"], case["params"]):
        assert list(got) == ["stage", "name", "value", "grad", "updated"]
        for key in ("value", "grad", "updated"):
            _close(got[key], want[key], f"stage {want['stage']} {want['name']} {key}")
