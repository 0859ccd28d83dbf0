"""cnncalc: feature-map calculator and CNN homework checker.

The Python API mirrors the CLI and uses PyTorch's keyword names:

>>> from cnncalc import conv2d, relu
>>> import numpy as np
>>> relu(conv2d(np.eye(3), np.eye(2), norm="mean")).tolist()
[[0.5, 0.0], [0.0, 0.5]]
"""

import importlib
from typing import Any

# Names are imported on first use so that `cnncalc` on the command line starts fast.
_EXPORTS = {
    "CnncalcError": "cnncalc.errors",
    "MatrixFormatError": "cnncalc.errors",
    "ParameterError": "cnncalc.errors",
    "ShapeError": "cnncalc.errors",
    "read_grids": "cnncalc.read",
    "read_matrix": "cnncalc.read",
    "read_problems": "cnncalc.read",
    "conv2d": "cnncalc.engine.ops",
    "cross_entropy": "cnncalc.engine.ops",
    "flatten": "cnncalc.engine.ops",
    "leaky_relu": "cnncalc.engine.ops",
    "linear": "cnncalc.engine.ops",
    "mse": "cnncalc.engine.ops",
    "pool2d": "cnncalc.engine.ops",
    "relu": "cnncalc.engine.ops",
    "sigmoid": "cnncalc.engine.ops",
    "softmax": "cnncalc.engine.ops",
    "tanh": "cnncalc.engine.ops",
    "conv_transpose2d": "cnncalc.engine.transpose",
    "batch_norm": "cnncalc.engine.batchnorm",
    "adaptive_avg_pool2d": "cnncalc.engine.adaptive",
    "adaptive_max_pool2d": "cnncalc.engine.adaptive",
    "global_avg_pool2d": "cnncalc.engine.adaptive",
    "pad": "cnncalc.engine.padding",
    "nll_loss": "cnncalc.engine.losses",
    "mse_loss": "cnncalc.engine.losses",
    "binary_cross_entropy": "cnncalc.engine.losses",
    "binary_cross_entropy_with_logits": "cnncalc.engine.losses",
    "multi_margin_loss": "cnncalc.engine.losses",
    # whole networks (pipeline helper)
    "PipelineError": "cnncalc.errors",
    "parse_pipeline": "cnncalc.net.pipeline",
    "run_pipeline": "cnncalc.net.pipeline",
    "loss_and_prediction": "cnncalc.net.pipeline",
    "shape_summary": "cnncalc.net.shapes",
    # checking answers (checker helper)
    "check_answer": "cnncalc.check.compare",
    "explain_cell": "cnncalc.check.worked",
    "load_assignment": "cnncalc.check.assignment",
}


# Jupyter shows results of the Python API as Markdown, worded by the renderers of
# `--format markdown` (they live above the results, hence by name, imported on use).
_MARKDOWN = {
    "AnswerResult": ("cnncalc.check.report", "answer_markdown"),
    "Explanation": ("cnncalc.check.report", "explanation_markdown"),
    "TrainResult": ("cnncalc.show.trainreport", "train_markdown"),
}


def _markdown_of(result: Any, lang: str = "en") -> str:
    """The Markdown of an API result (``_repr_markdown_`` in Jupyter)."""
    module, function = _MARKDOWN[type(result).__name__]
    return str(getattr(importlib.import_module(module), function)(result, lang=lang))


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cnncalc' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_EXPORTS))


__version__ = "0.1.0"

__all__ = [
    "CnncalcError",
    "MatrixFormatError",
    "ParameterError",
    "PipelineError",
    "ShapeError",
    "adaptive_avg_pool2d",
    "adaptive_max_pool2d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "check_answer",
    "conv2d",
    "conv_transpose2d",
    "cross_entropy",
    "explain_cell",
    "flatten",
    "global_avg_pool2d",
    "leaky_relu",
    "linear",
    "load_assignment",
    "loss_and_prediction",
    "mse",
    "mse_loss",
    "multi_margin_loss",
    "nll_loss",
    "pad",
    "parse_pipeline",
    "pool2d",
    "read_grids",
    "read_matrix",
    "read_problems",
    "relu",
    "run_pipeline",
    "shape_summary",
    "sigmoid",
    "softmax",
    "tanh",
]
