"""The hot loops behind ``ops.conv2d``: shift-and-add over row tiles, and FFT.

Inputs here are already validated and padded: ``xp`` is (C, Hp, Wp) float64,
``weight`` is (M, C, kh, kw). Both functions return (M, Ho, Wo) and compute
only the windows the stride keeps.

Notes
-----
Shift-and-add does ``M*C*kh*kw`` fused multiply-adds per output cell as whole
numpy operations on row tiles sized to stay in cache; tiles run on a small
thread pool (numpy releases the GIL inside ufuncs). Kernels of 11x11 and more
with stride 1 go through ``numpy.fft``: cost O(C·Hp·Wp·log(Hp·Wp)) per filter,
independent of the kernel size.

>>> import numpy as np
>>> xp = np.arange(16.0).reshape(1, 4, 4)
>>> correlate(xp, np.ones((1, 1, 2, 2)), (1, 1), (1, 1), (3, 3))[0, 0].tolist()
[10.0, 14.0, 18.0]
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

TILE_CELLS = 1 << 13  # output cells per tile: a few arrays of 64 KiB stay in L2
PARALLEL_MIN_WORK = 1 << 20  # multiply-adds below which threads cost more than they save
FFT_MIN_KERNEL = 11

_pool: Any = None


def _threads() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _executor() -> Any:
    global _pool
    if _pool is None:
        from concurrent.futures import ThreadPoolExecutor

        _pool = ThreadPoolExecutor(max_workers=_threads(), thread_name_prefix="cnncalc")
    return _pool


def _run(tasks: list, work) -> None:
    if len(tasks) == 1 or _threads() == 1:
        for task in tasks:
            work(*task)
        return
    # one chunk of consecutive tiles per thread keeps scheduling overhead low
    n = _threads()
    chunks = [tasks[i::n] for i in range(n)]
    list(_executor().map(lambda chunk: [work(*t) for t in chunk], chunks))


def correlate(
    xp: np.ndarray,
    weight: np.ndarray,
    stride: tuple[int, int],
    dilation: tuple[int, int],
    out_hw: tuple[int, int],
) -> np.ndarray:
    """Cross-correlate every filter of ``weight`` with ``xp`` (valid windows only)."""
    m_count, c_count, kh, kw = weight.shape
    ho, wo = out_hw
    sh, sw = stride
    dh, dw = dilation
    out = np.empty((m_count, ho, wo), dtype=np.float64)
    taps = [
        (c, i, j, weight[:, c, i, j])
        for c in range(c_count)
        for i in range(kh)
        for j in range(kw)
    ]
    rows_per_tile = max(1, TILE_CELLS // max(wo, 1))
    tiles = [(r0, min(r0 + rows_per_tile, ho)) for r0 in range(0, ho, rows_per_tile)]
    col_stop = (wo - 1) * sw + 1

    def work(r0: int, r1: int) -> None:
        tmp = np.empty((r1 - r0, wo), dtype=np.float64)
        row_start = r0 * sh
        row_stop = (r1 - 1) * sh + 1
        for m in range(m_count):
            acc = out[m, r0:r1]
            first = True
            for c, i, j, w in taps:
                wm = w[m]
                if wm == 0.0 and not first:
                    continue
                src = xp[
                    c,
                    row_start + i * dh : row_stop + i * dh : sh,
                    j * dw : col_stop + j * dw : sw,
                ]
                if first:
                    np.multiply(src, wm, out=acc)
                    first = False
                else:
                    np.multiply(src, wm, out=tmp)
                    acc += tmp

    work_size = m_count * len(taps) * ho * wo
    if work_size < PARALLEL_MIN_WORK:
        for tile in tiles:
            work(*tile)
    else:
        _run(tiles, work)
    return out


def _fast_len(n: int) -> int:
    """Smallest 2^a 3^b 5^c 7^d >= n (sizes pocketfft transforms fastest)."""
    best = 1 << max(0, (n - 1).bit_length())
    p7 = 1
    while p7 < best:
        p5 = p7
        while p5 < best:
            p3 = p5
            while p3 < best:
                p2 = p3
                while p2 < n:
                    p2 *= 2
                best = min(best, p2)
                p3 *= 3
            p5 *= 5
        p7 *= 7
    return best


def use_fft(kernel_hw: tuple[int, int], stride: tuple[int, int]) -> bool:
    """FFT pays off from 11x11 kernels up, when every window is needed."""
    return min(kernel_hw) >= FFT_MIN_KERNEL and stride == (1, 1)


def correlate_fft(
    xp: np.ndarray, weight: np.ndarray, dilation: tuple[int, int], out_hw: tuple[int, int]
) -> np.ndarray:
    """Valid cross-correlation through ``numpy.fft``, stride 1.

    A circular convolution of length ``Hp`` only corrupts the first ``kh-1``
    rows, which the valid output never uses, so no extra zero padding is needed.
    """
    m_count, c_count, kh, kw = weight.shape
    dh, dw = dilation
    eh, ew = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    _, hp, wp = xp.shape
    ho, wo = out_hw
    fh, fw = _fast_len(hp), _fast_len(wp)
    # true convolution with the flipped (and dilated) kernel = correlation
    k = np.zeros((m_count, c_count, eh, ew), dtype=np.float64)
    k[:, :, ::dh, ::dw] = weight
    k = k[:, :, ::-1, ::-1]
    fx = np.fft.rfft2(xp, s=(fh, fw))
    fk = np.fft.rfft2(k, s=(fh, fw))
    out = np.empty((m_count, ho, wo), dtype=np.float64)
    for m in range(m_count):
        spec = np.einsum("chw,chw->hw", fx, fk[m]) if c_count > 1 else fx[0] * fk[m, 0]
        full = np.fft.irfft2(spec, s=(fh, fw))
        out[m] = full[eh - 1 : eh - 1 + ho, ew - 1 : ew - 1 + wo]
    return out
