"""Cross-check the naive reference ops against numpy.pad / scipy (not against cnncalc)."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from naive import conv2d, pad, pool2d


def test_pad_modes():
    rng = np.random.default_rng(0)
    for _ in range(50):
        x = rng.integers(-5, 5, (int(rng.integers(3, 7)), int(rng.integers(3, 7)))).astype(float)
        p = int(rng.integers(1, 3))
        assert np.array_equal(pad(x, p, "replicate"), np.pad(x, p, mode="edge"))
        assert np.array_equal(pad(x, p, "reflect"), np.pad(x, p, mode="reflect"))
        assert np.array_equal(pad(x, p, "constant", 1.0), np.pad(x, p, constant_values=1.0))


def test_conv_against_scipy():
    import pytest

    signal = pytest.importorskip("scipy.signal")
    rng = np.random.default_rng(1)
    for _ in range(200):
        x = rng.integers(-3, 6, (int(rng.integers(4, 10)), int(rng.integers(4, 10)))).astype(float)
        k = rng.integers(-2, 3, (int(rng.integers(2, 4)),) * 2).astype(float)
        s, p, d = int(rng.integers(1, 3)), int(rng.integers(0, 3)), int(rng.integers(1, 3))
        kd = np.zeros((d * (k.shape[0] - 1) + 1, d * (k.shape[1] - 1) + 1))
        kd[::d, ::d] = k
        xp = np.pad(x, p)
        got = conv2d(x, k, stride=s, padding=p, dilation=d)
        if xp.shape[0] < kd.shape[0] or xp.shape[1] < kd.shape[1]:
            assert got is None
            continue
        full = signal.correlate2d(xp, kd, mode="valid")
        assert np.allclose(got, full[::s, ::s])


def test_pool():
    x = np.arange(16.0).reshape(4, 4)
    assert pool2d(x, "max", 2, 2).tolist() == [[5, 7], [13, 15]]
    assert pool2d(x, "mean", 2, 2).tolist() == [[2.5, 4.5], [10.5, 12.5]]
    assert pool2d(x, "sum", 3, 1).tolist() == [[45, 54], [81, 90]]
