"""Whole chains against PyTorch (``tests/golden/pipelines.json``).

The goldens are written by ``tests/make_pipeline_goldens.py`` with torch; this
test never imports torch. Each ``run`` case writes its weight files into a
temporary folder and runs the chain text with that folder as ``base_dir``:
every stage's output, the loss and the prediction must match to 1e-9. Each
``shape`` case must give torch's output shapes and parameter counts.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cnncalc.net.chain import StageError
from cnncalc.net.pipeline import loss_and_prediction, parse_pipeline, run_pipeline
from cnncalc.net.shapes import shape_summary
from cnncalc.read import matrix_text

GOLDEN = json.loads(
    (Path(__file__).resolve().parent / "golden" / "pipelines.json").read_text(encoding="utf-8")
)
ATOL = 1e-9


def _write_files(folder: Path, files: dict) -> None:
    for name, value in files.items():
        arr = np.asarray(value, dtype=np.float64)
        path = folder / name
        if name.endswith(".npy"):
            np.save(path, arr)
        elif name.endswith(".json"):
            path.write_text(json.dumps(value), encoding="utf-8")
        else:
            path.write_text(matrix_text(arr), encoding="utf-8")


def _same(got: np.ndarray, expected: list, label: str) -> None:
    exp = np.asarray(expected, dtype=np.float64)
    # cnncalc reports one map 2-D where torch keeps a channel axis of 1
    assert np.squeeze(got).shape == np.squeeze(exp).shape, label
    np.testing.assert_allclose(np.squeeze(got), np.squeeze(exp), rtol=0, atol=ATOL, err_msg=label)


@pytest.mark.parametrize("case", GOLDEN["run"], ids=lambda c: c["id"])
def test_run_matches_torch(case, tmp_path):
    _write_files(tmp_path, case["files"])
    x = np.asarray(case["input"], dtype=np.float64)
    if "error_stage" in case:
        with pytest.raises(StageError) as info:
            run_pipeline(x, parse_pipeline(case["chain"], base_dir=tmp_path))
        assert info.value.index == case["error_stage"]
        return
    stages = parse_pipeline(case["chain"], base_dir=tmp_path)
    results = run_pipeline(x, stages)
    assert len(results) == len(case["stages"])
    for r, expected in zip(results, case["stages"]):
        _same(r.output, expected, f"{case['id']} stage {r.stage.index} {r.stage.text}")
    loss, prediction = loss_and_prediction(results, case["target"])
    assert loss == pytest.approx(case["loss"], abs=ATOL)
    assert prediction == case["prediction"]


@pytest.mark.parametrize("case", GOLDEN["shape"], ids=lambda c: c["id"])
def test_shape_matches_torch(case):
    if "error_stage" in case:
        with pytest.raises(StageError) as info:
            shape_summary(case["input"], case["chain"])
        assert info.value.index == case["error_stage"]
        return
    summary = shape_summary(case["input"], case["chain"])
    got = [
        {"output_shape": list(layer.output_shape), "params": layer.params, "macs": layer.macs}
        for layer in summary.layers
    ]
    assert got == case["layers"]
    assert summary.total_params == case["total_params"]
    assert summary.total_macs == case["total_macs"]


def test_goldens_cover_every_stage_and_option():
    chains = " ".join(c["chain"] for c in GOLDEN["run"])
    for word in ("conv(", "relu", "leaky_relu(", "sigmoid", "tanh", "maxpool(", "avgpool(",
                 "meanpool(", "sumpool(", "flatten", "linear(", "softmax", "stride=", "padding=same",
                 "padding=valid", "dilation=", "padding_mode=reflect", "padding_mode=replicate",
                 "padding_mode=circular", "norm=mean", "flip=true", "bias=f", "ceil_mode=true",
                 "count_include_pad=false", ".npy", ".json", ".txt"):
        assert word in chains, word
    assert sum("error_stage" in c for c in GOLDEN["shape"]) >= 3
