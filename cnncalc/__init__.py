"""cnncalc: feature-map calculator and CNN homework checker.

The Python API mirrors the CLI and uses PyTorch's keyword names:

>>> from cnncalc import conv2d, relu
>>> import numpy as np
>>> relu(conv2d(np.eye(3), np.eye(2), norm="mean")).tolist()
[[0.5, 0.0], [0.0, 0.5]]
"""

from cnncalc.errors import CnncalcError, MatrixFormatError, ParameterError, ShapeError
from cnncalc.matrix_io import read_grids, read_matrix, read_problems
from cnncalc.ops import (
    conv2d,
    cross_entropy,
    flatten,
    leaky_relu,
    linear,
    mse,
    pool2d,
    relu,
    sigmoid,
    softmax,
    tanh,
)

__version__ = "0.1.0"

__all__ = [
    "CnncalcError",
    "MatrixFormatError",
    "ParameterError",
    "ShapeError",
    "conv2d",
    "cross_entropy",
    "flatten",
    "leaky_relu",
    "linear",
    "mse",
    "pool2d",
    "read_grids",
    "read_matrix",
    "read_problems",
    "relu",
    "sigmoid",
    "softmax",
    "tanh",
]
