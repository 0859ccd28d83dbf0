"""Shared pieces of the pictures: words in the user's language, panels, limits.

A *panel* is one grid on a picture: a caption, column labels above, row labels
on the left, and the cells. ``draw_grid`` paints one; the picture modules
(``pictures``, ``marked``, ``animation``) only decide where panels go.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cnncalc.draw import canvas
from cnncalc.draw.canvas import PictureError

PAD = 16
GAP = 28
TITLE_SIZE = 16
CAPTION_SIZE = 13
MAX_SIDE_CELLS = 4000  # a map larger than this on a side is refused (1 px per cell)
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class GridBox:
    """Where a grid was drawn: its top-left pixel, cell size and cell counts.

    >>> GridBox(10, 20, 30, 2, 2).box(1, 2)
    (40, 20, 70, 50)
    """

    x: int
    y: int
    cell: int
    rows: int
    cols: int

    def box(self, row: int, col: int) -> tuple[int, int, int, int]:
        """Pixel box (x0, y0, x1, y1) of cell (row, col), **1-based** as the labels;
        x1 and y1 are the grid lines on the right and below."""
        x0 = self.x + (col - 1) * self.cell
        y0 = self.y + (row - 1) * self.cell
        return x0, y0, x0 + self.cell, y0 + self.cell


@dataclass
class PictureInfo:
    """What was written: the file, its size in px, its frame count, whether some
    text fell back to English (or kept boxes) because no font could draw it, and
    where each grid is (``grids``: "map 1", "answer 1", "input 1", "output", ...)."""

    path: Path
    width: int
    height: int
    frames: int = 1
    font_fallback: bool = False
    grids: dict[str, GridBox] = field(default_factory=dict)


class Words:
    """Sentences for pictures in ``lang``; English when no font here can draw ``lang``.

    >>> Words("en").say("pictures.map", index=2)
    'map 2'
    """

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self.fallback = False
        if lang != "en":
            keys = ("pictures.input", "pictures.kernel", "pictures.products")
            sample = "".join(self.say(k) for k in keys) + self.say("pictures.map", index=1)
            if not canvas.font_for(sample, CAPTION_SIZE)[1]:
                self.lang, self.fallback = "en", True

    def say(self, key: str, **params: Any) -> str:
        from cnncalc.messages import text

        return text(key, self.lang, **params)

    def font(self, text: str, size: int) -> Any:
        font, ok = canvas.font_for(text, size)
        self.fallback |= not ok
        return font

    def write(self, draw: Any, xy: tuple[float, float], text: str, size: int, **kw: Any) -> None:
        """Draw ``text`` with a font that has its glyphs (``anchor`` defaults to left-top)."""
        kw.setdefault("anchor", "la")
        kw.setdefault("fill", canvas.INK)
        draw.text(xy, text, font=self.font(text, size), **kw)

    def width(self, text: str, size: int) -> float:
        return canvas.text_width(self.font(text, size), text)


def shape_text(shape: Sequence[int]) -> str:
    """``7x7``: an ASCII x, because Pillow's built-in font has no ×.

    >>> shape_text((3, 7, 7))
    '3x7x7'
    """
    return "x".join(str(int(n)) for n in shape)


def as_maps(array: Any) -> np.ndarray:
    """Any 0-D to 4-D array as a stack of 2-D maps (a vector is one row)."""
    from cnncalc.formats import as_maps as _as_maps

    return _as_maps(array)


def as_text_maps(texts: Any) -> np.ndarray:
    """``as_maps`` for an array of strings."""
    arr = np.asarray(texts, dtype=object)
    if arr.ndim == 1:
        return arr.reshape(1, 1, -1)
    return arr.reshape(-1, *arr.shape[-2:])


def check_size(shape: Sequence[int]) -> None:
    """Refuse a map over ``MAX_SIDE_CELLS`` on a side."""
    if max(shape[-2:]) > MAX_SIDE_CELLS:
        raise PictureError("pictures.too_large", shape=shape_text(shape[-2:]), limit=MAX_SIDE_CELLS)


def check_pixels(width: int, height: int) -> None:
    """Refuse a picture over ``MAX_PIXELS``."""
    if width * height > MAX_PIXELS:
        raise PictureError(
            "pictures.too_many_pixels", size=f"{width}x{height}", limit=f"{MAX_PIXELS:,}"
        )


@dataclass
class Panel:
    """One grid placed on a picture: its caption, cells and room for labels."""

    caption: str
    rows: int
    cols: int
    cells: canvas.Cells
    margin: int  # room for the row labels

    @classmethod
    def make(cls, caption: str, rows: int, cols: int, cells: canvas.Cells) -> Panel:
        return cls(caption, rows, cols, cells, canvas.label_margin(rows))

    @property
    def head(self) -> int:
        """Height above the grid: the caption and the column labels."""
        return CAPTION_SIZE + 8 + canvas.LABEL_SIZE + 6

    @property
    def size(self) -> tuple[int, int]:
        c = self.cells.cell
        return self.margin + self.cols * c + 1, self.head + self.rows * c + 1

    def origin(self, x: int, y: int) -> tuple[int, int]:
        """Top-left of the grid when the panel's top-left is (x, y)."""
        return x + self.margin, y + self.head

    def grid_box(self, x: int, y: int) -> GridBox:
        """The ``GridBox`` of this panel placed at (x, y)."""
        ox, oy = self.origin(x, y)
        return GridBox(ox, oy, self.cells.cell, self.rows, self.cols)


def draw_grid(
    img: Any,
    draw: Any,
    origin: tuple[int, int],
    panel: Panel,
    colours: np.ndarray,
    texts: np.ndarray | None,
    white: np.ndarray | None,
    *,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
) -> None:
    """Paint a panel's cells, numbers and 1-based labels with the grid's top-left at ``origin``."""
    cell = panel.cells.cell
    canvas.paste_grid(img, colours, cell, origin)
    if texts is not None:
        canvas.draw_texts(draw, origin, cell, texts, panel.cells.value_size, white=white)
    rows = row_labels if row_labels is not None else [str(i + 1) for i in range(panel.rows)]
    cols = col_labels if col_labels is not None else [str(j + 1) for j in range(panel.cols)]
    canvas.draw_labels(draw, origin, cell, rows, cols)


def place(
    panels: Sequence[Panel], columns: int, top: int
) -> tuple[list[tuple[int, int]], int, int]:
    """Lay panels out in rows of ``columns``: their (x, y), the width and the bottom."""
    pw = max(p.size[0] for p in panels)
    ph = max(p.size[1] for p in panels)
    spots = [
        (PAD + (k % columns) * (pw + GAP), top + (k // columns) * (ph + GAP))
        for k in range(len(panels))
    ]
    rows = -(-len(panels) // columns)
    return spots, 2 * PAD + columns * pw + (columns - 1) * GAP, top + rows * ph + (rows - 1) * GAP
