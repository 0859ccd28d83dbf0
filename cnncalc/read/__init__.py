"""Reading: matrix, problem and answer files in every format students write.

``grids`` holds what the reader gives (values with their decimals as written);
``decode`` turns bytes into text; ``scan`` and ``fast`` turn text into grids;
``files`` reads matrix files of every kind; ``problems`` reads the seed's
homework layout.

>>> read_text_matrix("1 2\\n3 4").shape
(2, 2)
"""

from cnncalc.read.decode import decode_bytes
from cnncalc.read.files import read_bytes, read_grids, read_matrix, read_text_matrix
from cnncalc.read.grids import Grid, Marker, Problem, grids_to_array, stack_grids
from cnncalc.read.problems import looks_like_problem_file, parse_problems, read_problems
from cnncalc.read.scan import FRACTION_DECIMALS, IMAGE_SUFFIXES, OPERATORS, parse_text
from cnncalc.writing import atomic_write, matrix_text

__all__ = [
    "FRACTION_DECIMALS",
    "IMAGE_SUFFIXES",
    "OPERATORS",
    "Grid",
    "Marker",
    "Problem",
    "atomic_write",
    "decode_bytes",
    "grids_to_array",
    "looks_like_problem_file",
    "matrix_text",
    "parse_problems",
    "parse_text",
    "read_bytes",
    "read_grids",
    "read_matrix",
    "read_problems",
    "read_text_matrix",
    "stack_grids",
]
