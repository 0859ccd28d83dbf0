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

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from cnncalc.colors import NEGATIVE_RGB, POSITIVE_RGB
from cnncalc.draw import canvas
from cnncalc.draw.canvas import PictureError
from cnncalc.draw.frames import (  # noqa: F401 (WINDOW_RGB, PENDING_RGB: for callers)
    KEY_COLOURS,
    MAX_SIDE,
    PENDING_RGB,
    WINDOW_RGB,
    FrameLayout,
    FramePainter,
    Setup,
    integral,
)
from cnncalc.draw.gif import GifWriter
from cnncalc.draw.layout import PictureInfo, Words, shape_text
from cnncalc.engine import ops
from cnncalc.errors import ParameterError
from cnncalc.numfmt import format_value

MAX_FRAMES = 2500


def _setup(image: Any, kernel: Any, conv: dict[str, Any], index: int) -> Setup:
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
    return Setup(
        xp, np.ascontiguousarray(w), products, out, rows, cols, pads, (x.shape[1], x.shape[2])
    )


def _bias_value(bias: Any, filters: int, index: int) -> float:
    b = ops._as_bias(bias, filters)
    return float(b[index - 1] if b.size > 1 else b[0])


def _captions(
    s: Setup, conv: dict[str, Any], bias: float, words: Words, precision: int, mode: str
) -> list[list[str]]:
    """The text lines under each frame (the last: the completed map)."""
    ho, wo = s.out.shape
    c = s.weight.shape[0]
    count = int(s.weight.size)
    whole = integral(s.xp) and integral(s.weight)
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
                terms = [fsum(v) for v in sums[i, j]]
                parts = " + ".join([terms[0]] + [t if t[0] != "-" else f"({t})" for t in terms[1:]])
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
    if (
        isinstance(fps, bool)
        or not isinstance(fps, (int, float, np.integer, np.floating))
        or not 0.1 <= fps <= 50  # also refuses nan
    ):
        raise ParameterError("param.fps", value=fps)
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
    lay = FrameLayout(s, words, conv, precision, mode, title, captions)
    painter = FramePainter(s, lay, words, precision, mode)
    frame_ms = max(20, round(1000.0 / fps / 10) * 10)
    durations = [frame_ms] * (len(captions) - 1) + [max(2000, 4 * frame_ms)]
    writer = GifWriter(lay.width, lay.height, [*KEY_COLOURS, NEGATIVE_RGB, POSITIVE_RGB])
    digits = max(4, len(str(len(captions))))
    if frames_dir is not None:
        Path(frames_dir).mkdir(parents=True, exist_ok=True)
    for n, frame in enumerate(_frames(painter, painter.base(title), captions)):
        if n == 0:
            writer.start(painter.palette_source(frame))
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


def _frames(painter: FramePainter, progress: Any, captions: list[list[str]]) -> Iterator[Any]:
    """Every frame in order; ``progress`` keeps the output cells painted so far."""
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
