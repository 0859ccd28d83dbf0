"""The hot loops behind ``ops.conv2d``: banded BLAS products over row tiles, and FFT.

Inputs here are already validated and padded: ``xp`` is (C, Hp, Wp) float64,
``weight`` is (M, C, kh, kw). Both functions return (M, Ho, Wo) and compute
only the windows the stride keeps.

Notes
-----
The direct path copies each tile of input rows once into ``kw`` column-shifted
rows per channel (C·kw copies of the input, column stride and dilation
applied in the copy), then computes a block of output rows as one matrix
product of a small banded weight matrix with consecutive copied rows (BLAS
does the multiply-adds: about 2·C·kw·(kh + (B−1)·sh) flops per output cell for
blocks of B rows). Row ranges run on a small thread pool (numpy and BLAS
release the GIL). Kernels of 11x11 and more with stride 1 go through
``numpy.fft``: the input is transformed once, O(C·Hp·Wp·log(Hp·Wp)), then each
filter costs a product with its spectrum and one inverse transform, nearly
independent of the kernel size.

>>> import numpy as np
>>> xp = np.arange(16.0).reshape(1, 4, 4)
>>> correlate(xp, np.ones((1, 1, 2, 2)), (1, 1), (1, 1), (3, 3))[0, 0].tolist()
[10.0, 14.0, 18.0]
"""

from __future__ import annotations

import os
from collections.abc import Callable
from itertools import pairwise
from typing import Any

import numpy as np

TILE_BYTES = 1 << 22  # the column-shifted copy of one row tile stays in L2/L3
BLOCK_ROWS = 2  # output rows per matrix product when there is one filter
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


def _forget_pool() -> None:
    """A forked child has none of the parent's threads: start a fresh pool if needed."""
    global _pool
    _pool = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def _run(parts: list[tuple[int, int]], work: Callable[[int, int], None]) -> None:
    """Run ``work(start, stop)`` for every part: the first in this thread, the
    others on the pool (numpy and BLAS release the GIL while they compute)."""
    futures = [_executor().submit(work, *part) for part in parts[1:]]
    work(*parts[0])
    for future in futures:
        future.result()


def _band(weight: np.ndarray, block: int, stride_h: int, dil_h: int, span: int) -> np.ndarray:
    """The (block·M, span·C·kw) matrix that maps ``span`` stacked input rows to
    ``block`` output rows: row (b, m) holds filter m at input rows b·sh + i·dh."""
    m_count, c_count, kh, kw = weight.shape
    band = np.zeros((block, m_count, span, c_count, kw), dtype=np.float64)
    taps = weight.transpose(0, 2, 1, 3)  # (M, kh, C, kw): input row, then channel, then column
    for b in range(block):
        first = b * stride_h
        band[b, :, first : first + (kh - 1) * dil_h + 1 : dil_h] = taps
    return band.reshape(block * m_count, span * c_count * kw)


def correlate(
    xp: np.ndarray,
    weight: np.ndarray,
    stride: tuple[int, int],
    dilation: tuple[int, int],
    out_hw: tuple[int, int],
) -> np.ndarray:
    """Cross-correlate every filter of ``weight`` with ``xp`` (valid windows only).

    A tile of input rows is copied once as ``kw`` column-shifted (and
    column-strided) rows per channel; a block of output rows is then one BLAS
    product of a small banded weight matrix with consecutive rows of that copy,
    written straight into the result. Row ranges run on the thread pool.
    """
    from numpy.lib.stride_tricks import as_strided

    m_count, c_count, kh, kw = weight.shape
    ho, wo = out_hw
    sh, sw = stride
    dh, dw = dilation
    ext = dh * (kh - 1) + 1
    # one filter: several output rows per product so BLAS gets a real matrix;
    # several filters: one output row per product, the filters are the matrix
    block = min(BLOCK_ROWS, ho) if m_count == 1 else 1
    span = (block - 1) * sh + ext
    band = _band(weight, block, sh, dh, span)
    per_row = c_count * kw  # copied rows per input row
    item = 8
    tw = max(1, min(wo, TILE_BYTES // (item * per_row * span)))
    blocks = max(1, (TILE_BYTES // (item * per_row * tw) - span) // (block * sh) + 1)
    tile_rows = blocks * block
    out = np.empty((m_count, ho, wo), dtype=np.float64)
    xs_c, xs_h, xs_w = xp.strides
    os_m, os_h, os_w = out.strides
    step = block * sh * per_row  # copied rows between consecutive blocks

    def rows(start: int, stop: int) -> None:
        buf = np.empty(((min(tile_rows, stop - start) - 1) * sh + ext) * per_row * tw)
        for c0 in range(0, wo, tw):
            w_t = min(tw, wo - c0)
            for r0 in range(start, stop, tile_rows):
                nr = min(tile_rows, stop - r0)
                rows_in = (nr - 1) * sh + ext
                y = buf[: rows_in * per_row * w_t].reshape(rows_in, c_count, kw, w_t)
                src = as_strided(
                    xp[:, r0 * sh :, c0 * sw :],
                    shape=(rows_in, c_count, kw, w_t),
                    strides=(xs_h, xs_c, dw * xs_w, sw * xs_w),
                    writeable=False,
                )
                np.copyto(y, src)
                y2 = y.reshape(rows_in * per_row, w_t)
                nb = nr // block
                z = as_strided(
                    y2,
                    shape=(nb, span * per_row, w_t),
                    strides=(step * w_t * item, w_t * item, item),
                    writeable=False,
                )
                dst = as_strided(
                    out[:, r0:, c0:],
                    shape=(nb, block * m_count, w_t),
                    strides=(block * os_h, os_m if block == 1 else os_h, os_w),
                )
                np.matmul(band, z, out=dst)
                rest = nr - nb * block
                if rest:  # a last partial block (one filter only)
                    k_r = ((rest - 1) * sh + ext) * per_row
                    np.matmul(
                        band[:rest, :k_r],
                        y2[nb * step : nb * step + k_r],
                        out=out[0, r0 + nb * block : r0 + nr, c0 : c0 + w_t],
                    )

    n_parts = min(_threads(), ho // block)
    if n_parts < 2 or m_count * c_count * kh * kw * ho * wo < PARALLEL_MIN_WORK:
        rows(0, ho)
    else:
        cuts = [ho * p // n_parts // block * block for p in range(n_parts)] + [ho]
        _run(list(pairwise(cuts)), rows)
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


def _twiddles(n_freq: int, size: int, taps: int, step: int) -> np.ndarray:
    """(n_freq, taps) factors exp(+2πi·f·t·step/size), the exponent reduced
    exactly modulo ``size`` first so large products lose no accuracy."""
    f = np.arange(n_freq, dtype=np.int64)[:, None]
    t = np.arange(taps, dtype=np.int64)[None, :] * step
    return np.exp((2j * np.pi / size) * ((f * t) % size))


def _kernel_spectrum(taps: np.ndarray, fh: int, fw: int, dilation: tuple[int, int]) -> np.ndarray:
    """Conjugate 2-D spectrum, (C, fh, fw//2+1), of the (C, kh, kw) taps placed
    every ``dilation`` cells. Along the width a twiddle product (a kernel row
    has few taps); along the height a twiddle product for short kernels and an
    unscaled inverse FFT for tall ones. No transform of a padded kernel."""
    c_count, kh, kw = taps.shape
    dh, dw = dilation
    half = taps @ _twiddles(fw // 2 + 1, fw, kw, dw).T  # (C, kh, nv)
    if kh <= 1.5 * max(1, fh.bit_length()):
        return _twiddles(fh, fh, kh, dh) @ half
    placed = np.zeros((c_count, dh * (kh - 1) + 1, half.shape[2]), dtype=np.complex128)
    placed[:, ::dh] = half
    return np.fft.ifft(placed, n=fh, axis=1, norm="forward")


def correlate_fft(
    xp: np.ndarray, weight: np.ndarray, dilation: tuple[int, int], out_hw: tuple[int, int]
) -> np.ndarray:
    """Valid cross-correlation through ``numpy.fft``, stride 1.

    Correlation is the product with the conjugate kernel spectrum; a circular
    correlation of length ``fh >= Hp`` never wraps inside the valid windows,
    so no extra zero padding is needed, and the inverse row transforms run
    only on the ``Ho`` rows kept.
    """
    m_count, c_count = weight.shape[:2]
    _, hp, wp = xp.shape
    ho, wo = out_hw
    fh, fw = _fast_len(hp), _fast_len(wp)
    fx = np.fft.fft(np.fft.rfft(xp, n=fw, axis=2), n=fh, axis=1)  # (C, fh, nv)
    out = np.empty((m_count, ho, wo), dtype=np.float64)
    for m in range(m_count):
        spec = _kernel_spectrum(weight[m], fh, fw, dilation)
        spec *= fx
        if c_count > 1:
            spec = spec.sum(axis=0, keepdims=True)
        back = np.fft.ifft(spec[0], axis=0)[:ho]
        out[m] = np.fft.irfft(back, n=fw, axis=1)[:, :wo]
    return out
