"""PNG heat maps, marked answers and GIFs of a sliding kernel (Pillow, imported lazily).

Every picture uses the terminal's diverging scale (``colors``): negative cells
blue, positive red, zero white, the value written in each cell, 1-based row and
column labels. This module draws maps (``draw_maps``) and gathers the public
picture API; marked answers live in ``marked``, the animation in ``animation``.
Without Pillow, every function raises ``PictureError`` naming
``pip install "cnncalc[images]"``.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "map.png"
>>> info = draw_maps(out, np.array([[1.0, -1.0], [0.0, 0.5]]), title="demo")
>>> info.frames, out.stat().st_size > 0
(1, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cnncalc.colors import dark_cells, heat_array, value_scale
from cnncalc.draw import canvas
from cnncalc.draw.animation import MAX_FRAMES, animate_conv
from cnncalc.draw.canvas import PictureError
from cnncalc.draw.layout import (
    CAPTION_SIZE,
    PAD,
    TITLE_SIZE,
    Panel,
    PictureInfo,
    Words,
    as_maps,
    check_pixels,
    check_size,
    draw_grid,
    place,
    shape_text,
)
from cnncalc.draw.marked import (
    MarkedPicture,
    check_pngs,
    feedback_pictures,
    marked_answer_png,
    marked_from_result,
    write_marked_pngs,
)
from cnncalc.numfmt import format_values

__all__ = [
    "MAX_FRAMES",
    "MarkedPicture",
    "PictureError",
    "PictureInfo",
    "animate_conv",
    "check_pngs",
    "draw_maps",
    "feedback_pictures",
    "marked_answer_png",
    "marked_from_result",
    "write_marked_pngs",
]

BAR_HEIGHT = 44


def _colour_bar(
    img: Any, draw: Any, words: Words, xy: tuple[int, int], width: int, labels: Sequence[str]
) -> None:
    """A horizontal scale from −scale (blue) through 0 (white) to +scale (red)."""
    Image, _, _ = canvas.pil()
    x, y = xy
    ramp = heat_array(np.linspace(-1.0, 1.0, width)[None, :].repeat(10, axis=0), 1.0)
    img.paste(Image.fromarray(ramp), (x, y))
    draw.rectangle([x - 1, y - 1, x + width, y + 10], outline=canvas.GRID_LINE)
    marks = ((labels[0], x, "la"), ("0", x + width / 2, "ma"), (labels[1], x + width, "ra"))
    for text, xx, anchor in marks:
        words.write(draw, (xx, y + 14), text, canvas.LABEL_SIZE, anchor=anchor, fill=canvas.MUTED)


def draw_maps(
    path: str | Path,
    array: np.ndarray,
    *,
    precision: int = 2,
    mode: str = "half-even",
    title: str | None = None,
    names: Sequence[str] | None = None,
    columns: int = 4,
    lang: str = "en",
) -> PictureInfo:
    """Draw one or several maps side by side as a PNG heat map.

    Each cell is coloured on one diverging scale shared by all maps (negative
    blue, positive red, zero white; full colour at the largest |value|), with
    its value written at ``precision`` decimals when the cell can hold it, and
    1-based row and column labels. Maps wrap after ``columns`` per row; a
    colour bar at the bottom gives the scale.

    Parameters
    ----------
    path : the PNG to write (atomically; a rerun writes the same bytes).
    array : (H, W), (M, H, W) or (M, C, H, W) values; a vector is one row.
    names : captions of the maps (default "map 1", ... when there are several).

    Notes
    -----
    Cells shrink (down to 1 px) to keep a map within about 1,600 px; numbers
    are left out when they no longer fit and labels thin out to every 2nd,
    5th, 10th... Maps over 4,000 cells on a side are refused.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "two.png"
    >>> draw_maps(p, np.ones((2, 3, 3)), precision=1).width > 200
    True
    """
    Image, ImageDraw, _ = canvas.pil()
    maps = as_maps(array)
    check_size(maps.shape)
    words = Words(lang)
    n, h, w = maps.shape
    ncols = max(1, min(columns, n))
    max_px = max(240, 1600 // ncols)
    texts = format_values(maps, precision, mode) if max_px // max(h, w) >= 12 else None
    samples = canvas.widest(texts) if texts is not None else []
    cells = canvas.fit_cells(samples, h, w, max_px=max_px)
    panels = []
    for k in range(n):
        name = (
            names[k]
            if names is not None
            else (words.say("pictures.map", index=k + 1) if n > 1 else "")
        )
        caption = f"{name} · {shape_text((h, w))}" if name else shape_text((h, w))
        panels.append(Panel.make(caption, h, w, cells))
    top = PAD + (TITLE_SIZE + 12 if title else 0)
    spots, width, bottom = place(panels, ncols, top)
    captions_w = max(words.width(p.caption, CAPTION_SIZE) for p in panels)
    width = int(max(width, 2 * PAD + 240, 2 * PAD + captions_w))
    if title:
        width = max(width, 2 * PAD + int(words.width(title, TITLE_SIZE)))
    height = bottom + BAR_HEIGHT + PAD
    check_pixels(width, height)
    img = Image.new("RGB", (width, height), canvas.BACKGROUND)
    draw = ImageDraw.Draw(img)
    if title:
        words.write(draw, (PAD, PAD), title, TITLE_SIZE)
    scale = value_scale(maps)
    colours = heat_array(maps, scale)
    white = dark_cells(maps, scale)
    for k, (panel, (x, y)) in enumerate(zip(panels, spots)):
        words.write(draw, (x, y), panel.caption, CAPTION_SIZE)
        grid_texts = texts[k] if texts is not None else None
        draw_grid(img, draw, panel.origin(x, y), panel, colours[k], grid_texts, white[k])
    labels = format_values(np.array([-scale, scale]), precision, mode).tolist()
    if max(len(t) for t in labels) > 12:  # 1e308 at 2 decimals is 312 characters
        labels = [f"{-scale:.3g}", f"{scale:.3g}"]
    _colour_bar(img, draw, words, (PAD, bottom + 14), min(320, width - 2 * PAD), labels)
    canvas.write_png(path, img)
    boxes = {
        f"map {k + 1}": panel.grid_box(x, y) for k, (panel, (x, y)) in enumerate(zip(panels, spots))
    }
    return PictureInfo(Path(path), width, height, 1, words.fallback, boxes)
