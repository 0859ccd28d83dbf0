"""A streaming GIF writer: one global palette, only the changed region of each frame.

Pillow's own ``save_all`` keeps every frame in memory; this writer keeps one.
Each frame's pixels map to the palette through a 24-bit lookup table filled on
demand (exact for colours in the palette, so white stays white), the part that
changed since the previous frame is cropped, and unchanged pixels inside the
crop are transparent, which LZW compresses to almost nothing.

>>> from PIL import Image
>>> w = GifWriter(4, 2)
>>> a, b = Image.new("RGB", (4, 2), "white"), Image.new("RGB", (4, 2), "red")
>>> w.start(a)
>>> w.add(a, 100)
>>> w.add(b, 200)
>>> gif = Image.open(io.BytesIO(w.finish()))
>>> gif.n_frames, gif.info["loop"]
(2, 0)
"""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence
from typing import Any

import numpy as np

from cnncalc.draw import canvas

TRANSPARENT = 255  # palette index of pixels a frame leaves unchanged


class GifWriter:
    """Streams a looping GIF with one global palette, storing only changed regions.

    Colours map to the palette exactly (a 24-bit lookup table filled on demand),
    so white stays white and the key colours keep their values.
    """

    def __init__(self, width: int, height: int, keys: Sequence[tuple[int, int, int]] = ()) -> None:
        self.size = (width, height)
        self.keys = [(255, 255, 255), (0, 0, 0), *keys]  # kept exact in the palette
        self.buf = io.BytesIO()
        self.palette = np.zeros((256, 3), np.int64)
        self.lut = np.full(1 << 24, -1, np.int16)
        self.previous: tuple[np.ndarray, np.ndarray] | None = None

    def start(self, source: Any) -> None:
        """Write the header with a palette for the colours of ``source`` (an RGB picture)."""
        # the exact colours first (white stays white), then the frames' own
        keys = list(dict.fromkeys(self.keys))
        free = TRANSPARENT - len(keys)  # the last entry marks unchanged pixels
        quantized = source.quantize(
            colors=free,
            method=0,
            dither=0,  # median cut, no dithering (every Pillow)
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
