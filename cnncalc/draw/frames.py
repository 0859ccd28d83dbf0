"""Drawing the frames of the convolution animation: where the grids go, what moves.

``FrameLayout`` sizes the cells (input and output share one size; the kernel
and the products keep readable cells even when the input's are small) and
places the panels; ``FramePainter`` draws the static picture once and, per
output cell, the window, the products, the output cell and the caption.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from cnncalc.colors import dark_cells, heat_array, value_scale
from cnncalc.draw import canvas
from cnncalc.draw.canvas import PictureError
from cnncalc.draw.layout import (
    CAPTION_SIZE,
    GAP,
    PAD,
    TITLE_SIZE,
    GridBox,
    Panel,
    Words,
    draw_grid,
    shape_text,
)
from cnncalc.numfmt import format_values

MAX_SIDE = 100  # padded input cells on a side
MAX_WIDTH, MAX_HEIGHT = 1500, 1000
WINDOW_RGB = (255, 170, 0)  # the sampled cells, the kernel's frame and the current output cell
PENDING_RGB = (242, 242, 242)  # output cells not computed yet, the empty products grid
PADDING_GREY = np.array([222, 222, 222])
STEP_SIZE = 14
KEY_COLOURS = (canvas.INK, canvas.MUTED, canvas.GRID_LINE, WINDOW_RGB, PENDING_RGB)



@dataclass
class Setup:
    """Everything a frame needs, computed once."""

    xp: np.ndarray  # (C, Hp, Wp) padded input
    weight: np.ndarray  # (C, kh, kw) as applied (flipped when asked)
    products: np.ndarray  # (Ho, Wo, C, kh, kw)
    out: np.ndarray  # (Ho, Wo) exact output of the animated filter
    rows: np.ndarray  # (Ho, kh) sampled padded rows per output row
    cols: np.ndarray  # (Wo, kw)
    pads: tuple[int, int, int, int]
    in_hw: tuple[int, int]


class FrameLayout:
    """Where each grid of a frame goes."""

    def __init__(
        self,
        s: Setup,
        words: Words,
        conv: dict[str, Any],
        precision: int,
        mode: str,
        title: str,
        captions: list[list[str]],
    ) -> None:
        c, hp, wp = s.xp.shape
        kh, kw = s.weight.shape[1:]
        ho, wo = s.out.shape
        self.c = c
        padded = any(s.pads)
        in_caption = (
            words.say("pictures.input_padded", mode=conv.get("padding_mode", "zeros"))
            if padded
            else words.say("pictures.input")
        )
        k_caption = words.say("pictures.kernel_flipped" if conv.get("flip") else "pictures.kernel")
        if c > 1:
            ch = [" · " + words.say("pictures.channel", channel=k + 1) for k in range(c)]
        else:
            ch = [""]
        fixed_w = 2 * PAD + 3 * GAP + GAP // 2 + 4 * canvas.label_margin(max(hp, ho, 10))
        fixed_h = 2 * PAD + TITLE_SIZE + 12 + c * (CAPTION_SIZE + 8 + canvas.LABEL_SIZE + 6)
        fixed_h += (c - 1) * GAP // 2 + 2 * (STEP_SIZE + 8) + 8
        # kernel and products keep readable cells even when the input's are small
        small = samples(s, precision, mode, big=False)
        kcells = canvas.fit_cells(small, kh, kw, max_px=min(320, (MAX_HEIGHT - fixed_h) // c))
        room_w = (MAX_WIDTH - fixed_w - 2 * kw * kcells.cell) // (wp + wo)
        allowed = min(room_w, (MAX_HEIGHT - fixed_h) // max(c * hp, ho), 48)
        if allowed < 4:
            raise PictureError(
                "pictures.too_large_anim", shape=shape_text((hp, wp)), limit=MAX_SIDE
            )
        cells = canvas.fit_cells(
            samples(s, precision, mode, big=True), 1, 1, max_px=allowed, max_cell=allowed
        )
        if cells.cell >= kcells.cell:  # room enough: one cell size everywhere
            kcells = canvas.Cells(
                cells.cell, min(cells.value_size, kcells.value_size) or cells.value_size
            )
        self.cells, self.kcells = cells, kcells

        mk = Panel.make
        self.inputs = [mk(in_caption + ch[k], hp, wp, cells) for k in range(c)]
        self.kernels = [mk(k_caption + ch[k], kh, kw, kcells) for k in range(c)]
        self.products = [
            mk(words.say("pictures.products") + ch[k], kh, kw, kcells) for k in range(c)
        ]
        self.output = mk(words.say("pictures.output", shape=shape_text((ho, wo))), ho, wo, cells)
        col_w = [
            max(int(words.width(p.caption, CAPTION_SIZE)) + 4, p.size[0])
            for p in (self.inputs[0], self.kernels[0], self.products[0], self.output)
        ]
        row_h = max(self.inputs[0].size[1], self.kernels[0].size[1])
        self.xs = [PAD]
        for wdt in col_w[:-1]:
            self.xs.append(self.xs[-1] + wdt + GAP)
        self.xs[-1] += GAP // 2
        self.title_y = PAD
        top = PAD + TITLE_SIZE + 12
        self.ys = [top + k * (row_h + GAP // 2) for k in range(c)]
        body_h = max(self.ys[-1] + row_h, top + self.output.size[1])
        self.caption_y = body_h + 10
        widest_caption = max(words.width(line, STEP_SIZE) for lines in captions for line in lines)
        self.width = int(
            max(
                self.xs[-1] + col_w[-1] + PAD,
                2 * PAD + widest_caption,
                2 * PAD + words.width(title, TITLE_SIZE),
            )
        )
        self.height = int(self.caption_y + 2 * (STEP_SIZE + 8) + PAD)

    def origin(self, panel: Panel, x: int, y: int) -> tuple[int, int]:
        return x + panel.margin, y + panel.head

    def boxes(self) -> dict[str, GridBox]:
        """Where each grid is: "input 1", "kernel 1", "products 1" (per channel), "output"."""
        out = {}
        for k in range(self.c):
            for name, panels, x in (
                ("input", self.inputs, 0),
                ("kernel", self.kernels, 1),
                ("products", self.products, 2),
            ):
                out[f"{name} {k + 1}"] = panels[k].grid_box(self.xs[x], self.ys[k])
        out["output"] = self.output.grid_box(self.xs[3], self.ys[0])
        return out


def integral(values: np.ndarray) -> bool:
    """True when every value is an integer small enough to write exactly."""
    return bool(np.all(values == np.round(values)) and np.all(np.abs(values) < 1e12))


def samples(s: Setup, precision: int, mode: str, *, big: bool) -> list[str]:
    """The widest numbers of the input and output (``big``) or of the kernel and products."""
    texts: list[str] = []
    whole = integral(s.xp) and integral(s.weight)
    grids = (
        ((s.xp, integral(s.xp)), (s.out, False))
        if big
        else ((s.weight, integral(s.weight)), (s.products, whole))
    )
    for values, exact in grids:
        extremes = np.array([values.min(), values.max()], dtype=np.float64)
        texts += format_values(extremes, 0 if exact else precision, mode).tolist()
    return sorted(set(texts))


class FramePainter:
    """Draws the static part once and the moving parts per frame."""

    def __init__(self, s: Setup, lay: FrameLayout, words: Words, precision: int, mode: str) -> None:
        self.s, self.lay, self.words = s, lay, words
        self.precision, self.mode = precision, mode
        self.cell, self.size = lay.cells.cell, lay.cells.value_size
        self.kcell, self.ksize = lay.kcells.cell, lay.kcells.value_size
        self.in_scale = value_scale(s.xp)
        self.k_scale = value_scale(s.weight)
        self.p_scale = value_scale(s.products)
        self.o_scale = value_scale(s.out)
        self.whole_input = integral(s.xp)
        self.whole_kernel = integral(s.weight)
        self.out_texts = self._text(s.out, False, self.size)

    def _text(self, values: np.ndarray, whole: bool, size: int) -> np.ndarray | None:
        """Numbers to write (None when the cells are too small); integer grids get no decimals."""
        if not size:
            return None
        return format_values(values, 0 if whole else self.precision, self.mode)

    def base(self, title: str) -> Any:
        Image, ImageDraw, _ = canvas.pil()
        s, lay = self.s, self.lay
        img = Image.new("RGB", (lay.width, lay.height), canvas.BACKGROUND)
        draw = ImageDraw.Draw(img)
        self.words.write(draw, (PAD, lay.title_y), title, TITLE_SIZE)
        hp, wp = s.xp.shape[1:]
        kh, kw = s.weight.shape[1:]
        top, _, left, _ = s.pads
        h, w = s.in_hw
        real = np.zeros((hp, wp), bool)
        real[top : top + h, left : left + w] = True
        rows = [str(r - top + 1) if 0 <= r - top < h else "" for r in range(hp)]
        cols = [str(q - left + 1) if 0 <= q - left < w else "" for q in range(wp)]
        for k in range(lay.c):
            y = lay.ys[k]
            xk = s.xp[k]
            colours = heat_array(xk, self.in_scale)
            grey = (colours * 0.45 + PADDING_GREY * 0.55).astype(np.uint8)
            colours = np.where(real[..., None], colours, grey)
            texts = self._text(xk, self.whole_input, self.size)
            white = dark_cells(xk, self.in_scale) & real
            self._panel(img, draw, lay.inputs[k], lay.xs[0], y, colours, texts, white, rows, cols)
            if any(s.pads):  # frame the real image inside its padding
                ox, oy = lay.origin(lay.inputs[k], lay.xs[0], y)
                c = self.cell
                box = [ox + left * c, oy + top * c, ox + (left + w) * c, oy + (top + h) * c]
                draw.rectangle(box, outline=canvas.INK, width=2 if c >= 8 else 1)
            wk = s.weight[k]
            texts = self._text(wk, self.whole_kernel, self.ksize)
            colours = heat_array(wk, self.k_scale)
            self._panel(
                img,
                draw,
                lay.kernels[k],
                lay.xs[1],
                y,
                colours,
                texts,
                dark_cells(wk, self.k_scale),
            )
            ox, oy = lay.origin(lay.kernels[k], lay.xs[1], y)
            box = [ox - 1, oy - 1, ox + kw * self.kcell + 1, oy + kh * self.kcell + 1]
            draw.rectangle(box, outline=WINDOW_RGB, width=3)
            empty = np.full((kh, kw, 3), PENDING_RGB, np.uint8)
            self._panel(img, draw, lay.products[k], lay.xs[2], y, empty, None, None)
        ho, wo = s.out.shape
        empty = np.full((ho, wo, 3), PENDING_RGB, np.uint8)
        self._panel(img, draw, lay.output, lay.xs[3], lay.ys[0], empty, None, None)
        return img

    def _panel(
        self,
        img: Any,
        draw: Any,
        panel: Panel,
        x: int,
        y: int,
        colours: np.ndarray,
        texts: np.ndarray | None,
        white: np.ndarray | None,
        rows: Sequence[str] | None = None,
        cols: Sequence[str] | None = None,
    ) -> None:
        self.words.write(draw, (x, y), panel.caption, CAPTION_SIZE)
        origin = self.lay.origin(panel, x, y)
        draw_grid(img, draw, origin, panel, colours, texts, white, row_labels=rows, col_labels=cols)

    def fill_output(self, img: Any, i: int, j: int) -> None:
        """Paint output cell (i, j) for good (it stays in the following frames)."""
        _, ImageDraw, _ = canvas.pil()
        draw = ImageDraw.Draw(img)
        ox, oy = self.lay.origin(self.lay.output, self.lay.xs[3], self.lay.ys[0])
        v = self.s.out[i : i + 1, j : j + 1]
        at = (ox + j * self.cell, oy + i * self.cell)
        canvas.paste_grid(img, heat_array(v, self.o_scale), self.cell, at)
        if self.out_texts is not None:
            texts = self.out_texts[i : i + 1, j : j + 1]
            canvas.draw_texts(
                draw, at, self.cell, texts, self.size, white=dark_cells(v, self.o_scale)
            )

    def step(self, img: Any, i: int, j: int, caption: list[str]) -> None:
        """Draw the moving parts of output cell (i, j): window, products, current cell, text."""
        _, ImageDraw, _ = canvas.pil()
        draw = ImageDraw.Draw(img)
        s, lay, c = self.s, self.lay, self.cell
        width = 3 if c >= 12 else (2 if c >= 6 else 1)
        whole = self.whole_input and self.whole_kernel
        for k in range(lay.c):
            ox, oy = lay.origin(lay.inputs[k], lay.xs[0], lay.ys[k])
            for r in s.rows[i]:
                for q in s.cols[j]:
                    box = canvas.cell_box((ox, oy), c, int(r), int(q))
                    draw.rectangle(box, outline=WINDOW_RGB, width=width)
            prod = s.products[i, j, k]
            at = lay.origin(lay.products[k], lay.xs[2], lay.ys[k])
            canvas.paste_grid(img, heat_array(prod, self.p_scale), self.kcell, at)
            texts = self._text(prod, whole, self.ksize)
            if texts is not None:
                white = dark_cells(prod, self.p_scale)
                canvas.draw_texts(draw, at, self.kcell, texts, self.ksize, white=white)
        ox, oy = lay.origin(lay.output, lay.xs[3], lay.ys[0])
        draw.rectangle(canvas.cell_box((ox, oy), c, i, j), outline=WINDOW_RGB, width=width)
        self.caption(img, caption)

    def caption(self, img: Any, lines: list[str]) -> None:
        _, ImageDraw, _ = canvas.pil()
        draw = ImageDraw.Draw(img)
        for n, line in enumerate(lines):
            if line:
                self.words.write(
                    draw, (PAD, self.lay.caption_y + n * (STEP_SIZE + 8)), line, STEP_SIZE
                )

    def palette_source(self, frame: Any) -> Any:
        """A picture holding every colour the frames use: a frame, the scale, the marks."""
        Image, _, _ = canvas.pil()
        ramp = heat_array(np.linspace(-1, 1, 512)[None, :].repeat(4, 0), 1.0)
        marks = np.array(
            [[WINDOW_RGB, PENDING_RGB, canvas.INK, canvas.MUTED, canvas.GRID_LINE]], np.uint8
        ).repeat(4, 0)
        grey = (
            (heat_array(np.linspace(-1, 1, 64)[None, :], 1.0) * 0.45 + PADDING_GREY * 0.55)
            .astype(np.uint8)
            .repeat(4, 0)
        )
        extra = np.zeros((12, max(512, frame.width), 3), np.uint8) + 255
        extra[0:4, :512] = ramp
        extra[4:8, :64] = grey
        extra[8:12, :5] = marks
        src = Image.new("RGB", (frame.width, frame.height + 12), canvas.BACKGROUND)
        src.paste(frame, (0, 0))
        src.paste(Image.fromarray(extra[:, : frame.width]), (0, frame.height))
        return src
