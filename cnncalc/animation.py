"""The sliding-window animation of a convolution, as a GIF (and PNG frames).

One frame per output cell, in row-major order: the (padded) input with the
cells the kernel samples outlined (a dilated window shows its gaps), the
kernel, the element-wise products, the output map filling in, and a line with
the sum (and the mean and bias when used). A last frame holds the full map, so
a GIF has ``Ho·Wo + 1`` frames. Multi-channel inputs show every channel with
its kernel slice and sum over the channels; a filter bank animates one filter
(``map``, 1-based, default the first).

The GIF is streamed: frames are quantised to one palette and only the part
that changed is stored, so memory stays at one frame whatever the count.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cnncalc import canvas, ops
from cnncalc.canvas import PictureError
from cnncalc.colors import NEGATIVE_RGB, POSITIVE_RGB, dark_cells, heat_array, value_scale
from cnncalc.layout import (
    CAPTION_SIZE,
    GAP,
    PAD,
    TITLE_SIZE,
    GridBox,
    Panel,
    PictureInfo,
    Words,
    draw_grid,
    shape_text,
)
from cnncalc.numfmt import format_value, format_values

MAX_FRAMES = 2500
MAX_SIDE = 100  # padded input cells on a side
MAX_WIDTH, MAX_HEIGHT = 1500, 1000
WINDOW_RGB = (255, 170, 0)  # the sampled cells, the kernel's frame and the current output cell
PENDING_RGB = (242, 242, 242)  # output cells not computed yet, the empty products grid
PADDING_GREY = np.array([222, 222, 222])
STEP_SIZE = 14
TRANSPARENT = 255  # GIF palette index of pixels a frame leaves unchanged


@dataclass
class _Setup:
    """Everything a frame needs, computed once."""

    xp: np.ndarray  # (C, Hp, Wp) padded input
    weight: np.ndarray  # (C, kh, kw) as applied (flipped when asked)
    products: np.ndarray  # (Ho, Wo, C, kh, kw)
    out: np.ndarray  # (Ho, Wo) exact output of the animated filter
    rows: np.ndarray  # (Ho, kh) sampled padded rows per output row
    cols: np.ndarray  # (Wo, kw)
    pads: tuple[int, int, int, int]
    in_hw: tuple[int, int]


def _setup(image: Any, kernel: Any, conv: dict[str, Any], index: int) -> _Setup:
    x = ops._as_image(image)
    weight, _single = ops._as_weight(kernel, x.shape[0])
    stride = ops.as_pair(conv.get("stride", 1), "stride")
    dilation = ops.as_pair(conv.get("dilation", 1), "dilation")
    kh, kw = weight.shape[2:]
    pads = ops.conv_padding(conv.get("padding", 0), (kh, kw), dilation, stride)
    ho, wo = ops.conv_output_hw(x.shape[1:], (kh, kw), pads, stride, dilation)
    frames = ho * wo + 1
    if frames > MAX_FRAMES:
        raise PictureError(
            "pictures.too_many_frames",
            frames=f"{frames:,}",
            shape=shape_text((ho, wo)),
            limit=f"{MAX_FRAMES:,}",
        )
    hp, wp = x.shape[1] + pads[0] + pads[1], x.shape[2] + pads[2] + pads[3]
    if max(hp, wp, kh, kw) > MAX_SIDE:
        raise PictureError("pictures.too_large_anim", shape=shape_text((hp, wp)), limit=MAX_SIDE)
    if not 1 <= index <= weight.shape[0]:
        raise PictureError("pictures.filter_range", filters=weight.shape[0], value=index)
    full = ops.conv2d(x if x.shape[0] > 1 else x[0], kernel, **conv)
    out = full if full.ndim == 2 else full[index - 1]
    w = weight[index - 1]
    if conv.get("flip"):
        w = w[:, ::-1, ::-1]
    xp = ops.pad(x, pads, conv.get("padding_mode", "zeros"))
    rows = np.arange(ho)[:, None] * stride[0] + np.arange(kh)[None, :] * dilation[0]
    cols = np.arange(wo)[:, None] * stride[1] + np.arange(kw)[None, :] * dilation[1]
    windows = xp[:, rows[:, None, :, None], cols[None, :, None, :]]  # (C, Ho, Wo, kh, kw)
    products = np.moveaxis(windows, 0, 2) * w[None, None]
    return _Setup(
        xp, np.ascontiguousarray(w), products, out, rows, cols, pads, (x.shape[1], x.shape[2])
    )


def _bias_value(bias: Any, filters: int, index: int) -> float:
    b = ops._as_bias(bias, filters)
    return float(b[index - 1] if b.size > 1 else b[0])


def _captions(
    s: _Setup, conv: dict[str, Any], bias: float, words: Words, precision: int, mode: str
) -> list[list[str]]:
    """The text lines under each frame (the last: the completed map)."""
    ho, wo = s.out.shape
    c = s.weight.shape[0]
    count = int(s.weight.size)
    whole = _whole(s.xp) and _whole(s.weight)
    sums = s.products.sum(axis=(3, 4))  # (Ho, Wo, C)

    def fmt(v: float) -> str:
        return format_value(float(v), precision, mode)

    def fsum(v: float) -> str:  # sums of integer products are written as integers
        return format_value(float(v), 0 if whole else precision, mode)

    lines = []
    for i in range(ho):
        for j in range(wo):
            total = float(sums[i, j].sum())
            if c > 1:
                parts = " + ".join(fsum(v) if v >= 0 else f"({fsum(v)})" for v in sums[i, j])
                first = words.say(
                    "pictures.step_channels", row=i + 1, col=j + 1, parts=parts, sum=fsum(total)
                )
            else:
                first = words.say("pictures.step", row=i + 1, col=j + 1, sum=fsum(total))
            more = []
            before = total
            if conv.get("norm") == "mean":
                before = total / count
                mean = s.out[i, j] if not bias else before
                more.append(
                    words.say("pictures.step_mean", sum=fsum(total), count=count, value=fmt(mean))
                )
            if bias:
                more.append(
                    words.say(
                        "pictures.step_bias",
                        before=fmt(before),
                        bias=fmt(bias),
                        value=fmt(s.out[i, j]),
                    )
                )
            lines.append([first, words.say("pictures.sep").join(more)] if more else [first])
    lines.append([words.say("pictures.done", shape=shape_text((ho, wo)))])
    return lines


class _Layout:
    """Where each grid of a frame goes."""

    def __init__(
        self,
        s: _Setup,
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
        small = _samples(s, precision, mode, big=False)
        kcells = canvas.fit_cells(small, kh, kw, max_px=min(320, (MAX_HEIGHT - fixed_h) // c))
        room_w = (MAX_WIDTH - fixed_w - 2 * kw * kcells.cell) // (wp + wo)
        allowed = min(room_w, (MAX_HEIGHT - fixed_h) // max(c * hp, ho), 48)
        if allowed < 4:
            raise PictureError(
                "pictures.too_large_anim", shape=shape_text((hp, wp)), limit=MAX_SIDE
            )
        cells = canvas.fit_cells(
            _samples(s, precision, mode, big=True), 1, 1, max_px=allowed, max_cell=allowed
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


def _whole(values: np.ndarray) -> bool:
    """True when every value is an integer small enough to write exactly."""
    return bool(np.all(values == np.round(values)) and np.all(np.abs(values) < 1e12))


def _samples(s: _Setup, precision: int, mode: str, *, big: bool) -> list[str]:
    """The widest numbers of the input and output (``big``) or of the kernel and products."""
    texts: list[str] = []
    whole = _whole(s.xp) and _whole(s.weight)
    grids = (
        ((s.xp, _whole(s.xp)), (s.out, False))
        if big
        else ((s.weight, _whole(s.weight)), (s.products, whole))
    )
    for values, exact in grids:
        extremes = np.array([values.min(), values.max()], dtype=np.float64)
        texts += format_values(extremes, 0 if exact else precision, mode).tolist()
    return sorted(set(texts))


def animate_conv(
    path: str | Path,
    image: np.ndarray,
    kernel: np.ndarray,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    padding_mode: str = "zeros",
    norm: str = "sum",
    bias: Any = 0.0,
    flip: bool = False,
    map: int = 1,  # the name explain_cell uses
    fps: float = 2.0,
    frames_dir: str | Path | None = None,
    precision: int = 2,
    mode: str = "half-even",
    lang: str = "en",
    title: str | None = None,
) -> PictureInfo:
    """Write a GIF of ``kernel`` sliding over ``image``, one frame per output cell.

    Takes ``ops.conv2d``'s options (PyTorch's semantics). The output map fills
    in cell by cell; the last frame holds the complete map and stays longer.
    ``frames_dir`` also gets every frame as ``frame-0001.png``, ...

    Raises ``PictureError`` beyond 2,500 frames or a padded input over 100
    cells on a side (the frames would be unreadable).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "conv.gif"
    >>> info = animate_conv(p, np.arange(16.0).reshape(4, 4), np.eye(2), stride=2)
    >>> info.frames  # 2x2 output cells + the final frame
    5
    """
    canvas.pil()  # PictureError now when Pillow is missing
    conv = {
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "padding_mode": padding_mode,
        "norm": norm,
        "bias": bias,
        "flip": flip,
    }
    s = _setup(image, kernel, conv, map)
    words = Words(lang)
    filters = ops._as_weight(kernel, s.xp.shape[0])[0].shape[0]
    b = _bias_value(bias, filters, map)
    captions = _captions(s, conv, b, words, precision, mode)
    if title is None:
        title = words.say(
            "pictures.anim_title",
            image=shape_text(s.in_hw if s.xp.shape[0] == 1 else (s.xp.shape[0], *s.in_hw)),
            kernel=shape_text(s.weight.shape[1:]),
            stride=_pair(stride),
            padding=_pair(padding),
            dilation=_pair(dilation),
        )
        if filters > 1:
            title += " · " + words.say("pictures.filter_of", filter=map, filters=filters)
    lay = _Layout(s, words, conv, precision, mode, title, captions)
    painter = _Painter(s, lay, words, precision, mode)
    base = painter.base(title)
    frame_ms = max(20, round(1000.0 / fps / 10) * 10)
    durations = [frame_ms] * (len(captions) - 1) + [max(2000, 4 * frame_ms)]
    writer = _GifWriter(lay.width, lay.height)
    digits = max(4, len(str(len(captions))))
    if frames_dir is not None:
        Path(frames_dir).mkdir(parents=True, exist_ok=True)
    progress = base
    frames = _frames(painter, progress, captions)
    first = True
    for n, frame in enumerate(frames):
        if first:
            writer.start(frame, painter.palette_source(frame))
            first = False
        writer.add(frame, durations[n])
        if frames_dir is not None:
            canvas.write_png(Path(frames_dir) / f"frame-{n + 1:0{digits}d}.png", frame)
    canvas.write_bytes(path, writer.finish())
    return PictureInfo(
        Path(path), lay.width, lay.height, len(captions), words.fallback, lay.boxes()
    )


def _pair(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (tuple, list)):
        return str(value[0]) if value[0] == value[1] else f"{value[0]},{value[1]}"
    return str(value)


def _frames(painter: _Painter, progress: Any, captions: list[list[str]]):
    ho, wo = painter.s.out.shape
    for i in range(ho):
        for j in range(wo):
            painter.fill_output(progress, i, j)
            frame = progress.copy()
            painter.step(frame, i, j, captions[i * wo + j])
            yield frame
    frame = progress.copy()
    painter.caption(frame, captions[-1])
    yield frame


class _Painter:
    """Draws the static part once and the moving parts per frame."""

    def __init__(self, s: _Setup, lay: _Layout, words: Words, precision: int, mode: str) -> None:
        self.s, self.lay, self.words = s, lay, words
        self.precision, self.mode = precision, mode
        self.cell, self.size = lay.cells.cell, lay.cells.value_size
        self.kcell, self.ksize = lay.kcells.cell, lay.kcells.value_size
        self.in_scale = value_scale(s.xp)
        self.k_scale = value_scale(s.weight)
        self.p_scale = value_scale(s.products)
        self.o_scale = value_scale(s.out)
        self.whole_input = _whole(s.xp)
        self.whole_kernel = _whole(s.weight)
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


class _GifWriter:
    """Streams a looping GIF with one global palette, storing only changed regions.

    Colours map to the palette exactly (a 24-bit lookup table filled on demand),
    so white stays white and the key colours keep their values.
    """

    def __init__(self, width: int, height: int) -> None:
        self.size = (width, height)
        self.buf = io.BytesIO()
        self.palette = np.zeros((256, 3), np.int64)
        self.lut = np.full(1 << 24, -1, np.int16)
        self.previous: tuple[np.ndarray, np.ndarray] | None = None

    def start(self, first: Any, source: Any) -> None:
        Image, _, _ = canvas.pil()
        # the exact colours first (white stays white), then the frames' own
        keys = [
            canvas.BACKGROUND,
            canvas.INK,
            canvas.MUTED,
            canvas.GRID_LINE,
            WINDOW_RGB,
            PENDING_RGB,
        ]
        keys += [NEGATIVE_RGB, POSITIVE_RGB, (0, 0, 0)]
        free = TRANSPARENT - len(keys)  # the last entry marks unchanged pixels
        quantized = source.quantize(
            colors=free, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        rest = np.array(quantized.getpalette()[: free * 3]).reshape(-1, 3)
        pal = np.vstack([np.array(keys), rest])
        self.palette[: len(pal)] = pal
        self.palette[len(pal) :] = pal[0]
        self.search = self.palette[:TRANSPARENT]
        w, h = self.size
        self.buf.write(b"GIF89a" + struct.pack("<HH", w, h) + bytes([0xF7, 0, 0]))
        self.buf.write(self.palette.astype(np.uint8).tobytes())
        self.buf.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", 0) + b"\x00")

    def indices(self, rgb: np.ndarray) -> np.ndarray:
        """Palette index of every colour of ``rgb`` (..., 3): the nearest palette
        colour, exact when present."""
        c = rgb.astype(np.uint32)
        packed = (c[..., 0] << 16) | (c[..., 1] << 8) | c[..., 2]
        idx = self.lut[packed]
        if np.any(idx < 0):
            new = np.unique(packed[idx < 0])
            colours = np.stack([(new >> 16) & 255, (new >> 8) & 255, new & 255], axis=1).astype(
                np.int64
            )
            dist = ((colours[:, None, :] - self.search[None, :, :]) ** 2).sum(axis=2)
            self.lut[new] = np.argmin(dist, axis=1)
            idx = self.lut[packed]
        return idx.astype(np.uint8)

    def add(self, frame: Any, duration: int) -> None:
        """Append a frame: only the box around what changed, unchanged pixels transparent."""
        Image, _, _ = canvas.pil()
        from PIL import GifImagePlugin

        rgb = np.asarray(frame)
        params: dict[str, Any] = {"duration": duration, "disposal": 1}
        if self.previous is None:
            idx = self.indices(rgb)
            box = (0, 0, *self.size)
            crop = idx
        else:
            d = rgb != self.previous[0]
            changed = d[..., 0] | d[..., 1] | d[..., 2]  # faster than any(axis=2)
            rows = np.flatnonzero(changed.any(axis=1))
            cols = np.flatnonzero(changed.any(axis=0))
            if rows.size == 0:  # identical frame: still a frame, one pixel redrawn
                rows = cols = np.array([0])
                changed[0, 0] = True
            idx = self.previous[1].copy()
            idx[changed] = self.indices(rgb[changed])
            box = (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
            window = (slice(box[1], box[3]), slice(box[0], box[2]))
            crop = np.where(changed[window], idx[window], np.uint8(TRANSPARENT))
            params["transparency"] = TRANSPARENT
        self.previous = (rgb, idx)
        crop = np.ascontiguousarray(crop)
        im = Image.frombytes("P", (box[2] - box[0], box[3] - box[1]), crop.tobytes())
        im.putpalette(self.palette.astype(np.uint8).tobytes())
        for chunk in GifImagePlugin.getdata(im, offset=box[:2], **params):
            self.buf.write(chunk)

    def finish(self) -> bytes:
        self.buf.write(b";")
        return self.buf.getvalue()
