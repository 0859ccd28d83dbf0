"""What the reader gives: grids (values with the decimals as written), markers, problems.

>>> g = Grid(values=np.array([[0.5]]), decimals=np.array([[1]]))
>>> g.shape, stack_grids([g, g]).shape
((1, 1), (2, 1, 1))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cnncalc.errors import MatrixFormatError

MAX_DECIMALS = 99  # decimals counted in one number (stored as int16: 32,768 zeros must not overflow)

@dataclass(frozen=True)
class Grid:
    """A matrix as written in a file.

    ``values`` is float64 (rows, cols); ``decimals`` holds how many decimals the
    writer gave each cell (``-1`` where unknown, e.g. from ``.npy``); ``lines``
    is the 1-based line of each row in ``source``; ``texts`` (None when no cell
    is a fraction) holds the text of each cell written as a fraction (``2/3``,
    ``\\frac{2}{3}`` as ``2/3``) and None elsewhere, so that it is shown as written.
    """

    values: np.ndarray
    decimals: np.ndarray
    source: str = "<text>"
    lines: tuple[int, ...] = ()
    texts: np.ndarray | None = field(default=None, compare=False)

    def written(self, i: int, j: int) -> str | None:
        """The cell's text when it was written as a fraction, else None."""
        if self.texts is None:
            return None
        return self.texts[i, j]

    @property
    def line(self) -> int:
        return self.lines[0] if self.lines else 0

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.values.shape)


@dataclass(frozen=True)
class Marker:
    """A line that is not a row: ``=`` or an operator such as ``*``."""

    text: str
    line: int


@dataclass
class Problem:
    """One problem of a problem file: image channels, kernels, answer maps, options."""

    image: list[Grid]
    kernel: list[Grid]
    answer: list[Grid]
    options: dict[str, str] = field(default_factory=dict)
    line: int = 0
    # where each option was written: key -> (line, column) of its directive, 1-based
    option_places: dict[str, tuple[int, int]] = field(default_factory=dict)

    def image_array(self) -> np.ndarray:
        return stack_grids(self.image)

    def kernel_array(self) -> np.ndarray:
        return stack_grids(self.kernel)


def stack_grids(grids: list[Grid]) -> np.ndarray:
    """One grid gives a 2-D array, several give (n, H, W)."""
    if len(grids) == 1:
        return grids[0].values
    return np.stack([g.values for g in grids])


def _shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(str(n) for n in shape)




def grids_to_array(grids: list[Grid]) -> np.ndarray:
    """Stack equal-shaped grids; a shape mismatch names the block and its line."""
    first = grids[0]
    for i, g in enumerate(grids[1:], start=2):
        if g.shape != first.shape:
            raise MatrixFormatError(
                "read.block_shapes",
                file=g.source,
                line=g.line,
                column=1,
                block=i,
                got=_shape_text(g.shape),
                expected=_shape_text(first.shape),
            )
    return stack_grids(grids)
