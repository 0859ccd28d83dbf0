"""Drawing primitives for cnncalc's pictures: Pillow, fonts, heat-coloured grids.

Pillow is imported lazily, inside ``pil()``; when it is missing, ``PictureError``
says ``pip install "cnncalc[images]"``. Grids are painted with numpy (one
``np.repeat`` per grid, whatever its size); the only per-cell loop writes the
numbers, and numbers are drawn only when the cells are big enough to hold them,
which bounds that loop to a few thousand cells.

Text uses Pillow's built-in font (``ImageFont.load_default(size=...)``, Pillow
>= 10.1; older Pillow gets its fixed bitmap font). Characters that font lacks
(Chinese) are looked up in ``$CNNCALC_FONT`` and a few usual system fonts;
``font_for`` tells the caller when none has them, so it can fall back to English.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from cnncalc.errors import CnncalcError

GRID_LINE = (205, 205, 205)
INK = (34, 34, 34)
MUTED = (110, 110, 110)
BACKGROUND = (255, 255, 255)
VALUE_SIZES = (14, 13, 12, 11, 10, 9, 8)  # font sizes tried for the numbers, largest first
LABEL_SIZE = 12
_LABEL_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)

# Fonts with Chinese glyphs found on usual systems (Linux, macOS, Windows).
_FALLBACK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansSC-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
)


class PictureError(CnncalcError):
    """A picture that cannot be made: Pillow missing, too large, a bad file name."""


def pil() -> tuple[Any, Any, Any]:
    """Return Pillow's ``Image``, ``ImageDraw`` and ``ImageFont`` modules, or raise
    ``PictureError`` naming the extra to install."""
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError as exc:
        raise PictureError("pictures.needs_pillow") from exc
    return Image, ImageDraw, ImageFont


# --------------------------------------------------------------------------- fonts


@lru_cache(maxsize=64)
def _font(size: int, path: str | None) -> Any:
    _, _, ImageFont = pil()
    if path:
        return ImageFont.truetype(path, size)
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: one bitmap font, no sizes
        return ImageFont.load_default()


def _missing_mask(font: Any) -> bytes:
    return bytes(font.getmask("\U000e0fff"))


def has_glyphs(font: Any, text: str) -> bool:
    """True when ``font`` draws every non-space character of ``text`` (not as a box)."""
    chars = {c for c in text if not c.isspace() and ord(c) > 126}
    if not chars:
        return True
    try:
        missing = _missing_mask(font)
        return all(bytes(font.getmask(c)) != missing for c in chars)
    except (UnicodeEncodeError, ValueError, OSError):  # bitmap fonts: Latin-1 only
        return False


def _candidate_paths() -> list[str]:
    env = os.environ.get("CNNCALC_FONT", "").strip()
    paths = [env] if env else []
    return paths + [p for p in _FALLBACK_FONTS if Path(p).is_file()]


def font_for(text: str, size: int) -> tuple[Any, bool]:
    """A font of ``size`` px that can draw ``text``, and whether one was found.

    Pillow's default font first (the same pictures on every machine), then
    ``$CNNCALC_FONT``, then usual system fonts with Chinese glyphs. When none
    has every glyph, the default font comes back with ``False``.
    """
    default = _font(size, None)
    if has_glyphs(default, text):
        return default, True
    for path in _candidate_paths():
        try:
            font = _font(size, path)
        except OSError:
            continue
        if has_glyphs(font, text):
            return font, True
    return default, False


def text_width(font: Any, text: str) -> float:
    return float(font.getlength(text))


# --------------------------------------------------------------------------- grids


@dataclass
class Cells:
    """How a grid is drawn: cell size in px and the font size of its numbers (0: none)."""

    cell: int
    value_size: int


def fit_cells(
    samples: Sequence[str], rows: int, cols: int, *, max_px: int, lines: int = 1, max_cell: int = 64
) -> Cells:
    """Pick the cell size and number font for a ``rows`` × ``cols`` grid.

    The cell is as large as the widest sample needs at 14 px (at least 32 px),
    but never so large that the grid exceeds ``max_px`` on its longer side; the
    font then shrinks down to 8 px, and below that the numbers are left out.
    ``lines`` is how many lines of text a cell holds.
    """
    allowed = max(1, min(max_cell, max_px // max(rows, cols, 1)))

    def need(size: int) -> int:
        font = _font(size, None)
        width = max((text_width(font, s) for s in samples), default=0.0)
        return int(max(width + 6, lines * (size + 4) + (4 if lines == 1 else 10)))

    cell = min(allowed, max(need(VALUE_SIZES[0]), 32))
    for size in VALUE_SIZES:
        if need(size) <= cell:
            return Cells(cell, size)
    return Cells(cell, 0)


def widest(texts: np.ndarray, keep: int = 40) -> list[str]:
    """The longest strings of ``texts`` (by characters): samples for ``fit_cells``."""
    flat = np.asarray(texts, dtype=object).reshape(-1)
    if flat.size == 0:
        return []
    lengths = np.fromiter((len(t) for t in flat), dtype=np.int64, count=flat.size)
    longest = flat[lengths == lengths.max()]
    return sorted(set(longest.tolist()))[:keep]


def grid_pixels(
    colors: np.ndarray, cell: int, line: tuple[int, int, int] = GRID_LINE
) -> np.ndarray:
    """An (h·cell+1, w·cell+1, 3) uint8 picture of a colour grid with grid lines.

    Lines are drawn only when cells are at least 5 px; the outer border always.
    """
    h, w = colors.shape[:2]
    img = np.repeat(np.repeat(np.asarray(colors, np.uint8), cell, axis=0), cell, axis=1)
    img = np.pad(img, ((0, 1), (0, 1), (0, 0)), mode="edge")
    ink = np.array(line, np.uint8)
    if cell >= 5:
        img[::cell, :] = ink
        img[:, ::cell] = ink
    else:
        img[[0, h * cell], :] = ink
        img[:, [0, w * cell]] = ink
    return img


def paste_grid(canvas: Any, colors: np.ndarray, cell: int, origin: tuple[int, int]) -> None:
    """Paint a colour grid onto ``canvas`` (a PIL RGB image) with its top-left at ``origin``."""
    Image, _, _ = pil()
    canvas.paste(Image.fromarray(grid_pixels(colors, cell)), origin)


def cell_box(origin: tuple[int, int], cell: int, row: int, col: int, inset: int = 0) -> list[int]:
    """The pixel box [x0, y0, x1, y1] of cell (row, col) (0-based) of a grid at ``origin``."""
    x0 = origin[0] + col * cell + inset
    y0 = origin[1] + row * cell + inset
    return [x0, y0, x0 + cell - 2 * inset, y0 + cell - 2 * inset]


def draw_texts(
    draw: Any,
    origin: tuple[int, int],
    cell: int,
    texts: np.ndarray,
    size: int,
    *,
    white: np.ndarray | None = None,
    fill: tuple[int, int, int] = INK,
    skip: np.ndarray | None = None,
    dy: float = 0.0,
) -> None:
    """Write ``texts`` centred in their cells (white where ``white``), ``dy`` px below centre."""
    if size <= 0:
        return
    font = _font(size, None)
    for i, j in zip(*np.nonzero(np.ones(texts.shape, bool) if skip is None else ~skip)):
        colour = (255, 255, 255) if white is not None and white[i, j] else fill
        x = origin[0] + j * cell + cell / 2
        y = origin[1] + i * cell + cell / 2 + dy
        draw.text((x, y), str(texts[i, j]), font=font, fill=colour, anchor="mm")


def label_step(cell: int, widest_label: float) -> int:
    """Label every ``step``-th row/column so labels never overlap."""
    for step in _LABEL_STEPS:
        if step * cell >= widest_label + 4:
            return step
    return _LABEL_STEPS[-1]


def draw_labels(
    draw: Any,
    origin: tuple[int, int],
    cell: int,
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    size: int = LABEL_SIZE,
) -> None:
    """1-based row labels left of a grid and column labels above it (blank labels skipped).

    With small cells only the first label and every ``step``-th one are drawn.
    """
    font = _font(size, None)
    longest = max((text_width(font, t) for t in list(rows) + list(cols)), default=0.0)
    step = label_step(cell, longest)
    row_step = label_step(cell, size)
    for i, t in enumerate(rows):
        if t and _labelled(i, row_step):
            y = origin[1] + i * cell + cell / 2
            draw.text((origin[0] - 5, y), t, font=font, fill=MUTED, anchor="rm")
    for j, t in enumerate(cols):
        if t and _labelled(j, step):
            x = origin[0] + j * cell + cell / 2
            draw.text((x, origin[1] - 4), t, font=font, fill=MUTED, anchor="ms")


def _labelled(index: int, step: int) -> bool:
    """Label the first row/column and every ``step``-th one not crowding the first."""
    n = index + 1
    return step == 1 or n == 1 or (n % step == 0 and n - 1 >= 0.8 * step)


def label_margin(rows: int, size: int = LABEL_SIZE) -> int:
    """Width left of a grid that its row labels need."""
    return int(text_width(_font(size, None), str(rows))) + 10


def png_bytes(image: Any) -> bytes:
    """The PNG encoding of a PIL image (deterministic: no time stamps)."""
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def write_png(path: str | Path, image: Any) -> None:
    """Write ``image`` as PNG atomically (a rerun gives the same bytes)."""
    write_bytes(path, png_bytes(image))


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` atomically; an OS error becomes ``cli.write_failed``."""
    from cnncalc.read import atomic_write

    try:
        atomic_write(path, data)
    except OSError as exc:
        raise PictureError("cli.write_failed", path=str(path), reason=exc.strerror or exc) from exc
