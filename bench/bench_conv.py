"""conv2d speed against its peers, side by side in one run (DESIGN.md "Performance").

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_conv.py [--repeats 9] [--size 2048]

Runs in an environment with the ``bench`` extra (scipy, OpenCV), or with
``goldens,bench`` for torch as well: every peer is optional and a missing one is reported.
Contenders of one case run round-robin and the median of ``--repeats`` rounds
is kept. Each peer's result is checked against cnncalc's before timing.

Cases (float64, one channel, one filter, random normal data):
  * 3x3 kernel, stride 1: cnncalc (valid, (N-2)^2 cells) vs scipy.ndimage.correlate
    (mode='constant', N^2 cells: the valid region plus a 1-cell border, 0.2 % more),
    torch.nn.functional.conv2d (valid, CPU) and cv2.filter2D (BORDER_CONSTANT, N^2);
  * 11x11 and 15x15 (cnncalc's FFT path) vs scipy.signal.fftconvolve(mode='valid')
    of the flipped kernel (the same correlation; results equal to 1e-8);
  * 3x3 with stride 2: only the needed windows; compared with cnncalc's own
    stride-1 time and with torch's stride 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib

REMOVED = benchlib.clean_blas_env()
benchlib.repo_on_path()

import numpy as np

from cnncalc import conv2d

TARGETS = {
    "ndimage": 0.8,  # at most 0.8x scipy.ndimage.correlate
    "torch": 0.3,  # at most 0.3x torch F.conv2d float64 CPU
    "cv2": 2.0,  # within 2x of cv2.filter2D
    "fftconvolve": 1.5,  # FFT path within 1.5x of scipy.signal.fftconvolve
    "stride1": 1.0,  # stride 2 computes only the needed windows: well under stride 1
}


def load_peers() -> tuple[dict[str, object], list[str]]:
    peers: dict[str, object] = {}
    missing = []
    try:
        import scipy.ndimage
        import scipy.signal

        peers["scipy"] = scipy
    except ImportError:
        missing.append("scipy (scipy.ndimage.correlate, scipy.signal.fftconvolve)")
    try:
        import cv2

        peers["cv2"] = cv2
    except ImportError:
        missing.append("cv2 (opencv-python-headless)")
    try:
        import torch

        peers["torch"] = torch
    except ImportError:
        missing.append("torch (install the goldens extra for it)")
    return peers, missing


def versions(peers: dict[str, object]) -> str:
    parts = [f"{name} {getattr(mod, '__version__', '?')}" for name, mod in peers.items()]
    extra = []
    if "torch" in peers:
        extra.append(f"torch threads={peers['torch'].get_num_threads()}")  # type: ignore[attr-defined]
    if "cv2" in peers:
        extra.append(f"cv2 threads={peers['cv2'].getNumThreads()}")  # type: ignore[attr-defined]
    return "peers: " + (", ".join(parts) or "none") + ("; " + ", ".join(extra) if extra else "")


def close(a: np.ndarray, b: np.ndarray, what: str, tol: float = 1e-8) -> None:
    if a.shape != b.shape:
        raise SystemExit(f"{what}: shape {a.shape} != {b.shape}")
    err = float(np.max(np.abs(a - b)))
    if err > tol * max(1.0, float(np.max(np.abs(b)))):
        raise SystemExit(f"{what}: results differ by {err:.3g}")


def case_3x3(x: np.ndarray, peers: dict[str, object], repeats: int) -> tuple[list, float]:
    rng = np.random.default_rng(1)
    k = rng.standard_normal((3, 3))
    ours = conv2d(x, k)
    contenders = {"cnncalc": lambda: conv2d(x, k)}
    if "scipy" in peers:
        nd = peers["scipy"].ndimage  # type: ignore[attr-defined]
        close(nd.correlate(x, k, mode="constant")[1:-1, 1:-1], ours, "ndimage")
        contenders["ndimage"] = lambda: nd.correlate(x, k, mode="constant")
    if "torch" in peers:
        torch = peers["torch"]
        F = torch.nn.functional  # type: ignore[attr-defined]
        xt = torch.from_numpy(x)[None, None]  # type: ignore[attr-defined]
        kt = torch.from_numpy(k)[None, None]  # type: ignore[attr-defined]
        close(F.conv2d(xt, kt)[0, 0].numpy(), ours, "torch")
        contenders["torch"] = lambda: F.conv2d(xt, kt)
    if "cv2" in peers:
        cv2 = peers["cv2"]
        flags = {"borderType": cv2.BORDER_CONSTANT}  # type: ignore[attr-defined]
        close(cv2.filter2D(x, -1, k, **flags)[1:-1, 1:-1], ours, "cv2")  # type: ignore[attr-defined]
        contenders["cv2"] = lambda: cv2.filter2D(x, -1, k, **flags)  # type: ignore[attr-defined]
    t = benchlib.interleaved_medians(contenders, repeats)
    rows = []
    for peer in ("ndimage", "torch", "cv2"):
        label = {
            "ndimage": "scipy.ndimage.correlate",
            "torch": "torch F.conv2d",
            "cv2": "cv2.filter2D",
        }
        if peer in t:
            ratio = t["cnncalc"] / t[peer]
            rows.append(
                [
                    "3x3",
                    benchlib.ms(t["cnncalc"]),
                    label[peer],
                    benchlib.ms(t[peer]),
                    f"{ratio:.2f}x",
                    f"<= {TARGETS[peer]}x",
                    benchlib.verdict(ratio, TARGETS[peer]),
                ]
            )
        else:
            rows.append(
                [
                    "3x3",
                    benchlib.ms(t["cnncalc"]),
                    label[peer],
                    "-",
                    "-",
                    f"<= {TARGETS[peer]}x",
                    "not installed",
                ]
            )
    return rows, t["cnncalc"]


def case_fft(x: np.ndarray, peers: dict[str, object], size: int, repeats: int) -> list:
    rng = np.random.default_rng(size)
    k = rng.standard_normal((size, size))
    ours = conv2d(x, k)
    contenders = {"cnncalc": lambda: conv2d(x, k)}
    flipped = np.ascontiguousarray(k[::-1, ::-1])
    if "scipy" in peers:
        sig = peers["scipy"].signal  # type: ignore[attr-defined]
        close(sig.fftconvolve(x, flipped, mode="valid"), ours, f"fftconvolve {size}x{size}")
        contenders["fftconvolve"] = lambda: sig.fftconvolve(x, flipped, mode="valid")
    t = benchlib.interleaved_medians(contenders, repeats)
    label = f"{size}x{size} (FFT)"
    if "fftconvolve" not in t:
        return [
            [
                label,
                benchlib.ms(t["cnncalc"]),
                "scipy.signal.fftconvolve",
                "-",
                "-",
                "<= 1.5x",
                "not installed",
            ]
        ]
    ratio = t["cnncalc"] / t["fftconvolve"]
    return [
        [
            label,
            benchlib.ms(t["cnncalc"]),
            "scipy.signal.fftconvolve",
            benchlib.ms(t["fftconvolve"]),
            f"{ratio:.2f}x",
            f"<= {TARGETS['fftconvolve']}x",
            benchlib.verdict(ratio, TARGETS["fftconvolve"]),
        ]
    ]


def case_stride2(x: np.ndarray, peers: dict[str, object], repeats: int) -> list:
    rng = np.random.default_rng(2)
    k = rng.standard_normal((3, 3))
    ours = conv2d(x, k, stride=2)
    close(ours, conv2d(x, k)[::2, ::2], "stride 2 vs stride 1 subsampled")
    contenders = {"cnncalc": lambda: conv2d(x, k, stride=2), "stride1": lambda: conv2d(x, k)}
    if "torch" in peers:
        torch = peers["torch"]
        F = torch.nn.functional  # type: ignore[attr-defined]
        xt = torch.from_numpy(x)[None, None]  # type: ignore[attr-defined]
        kt = torch.from_numpy(k)[None, None]  # type: ignore[attr-defined]
        close(F.conv2d(xt, kt, stride=2)[0, 0].numpy(), ours, "torch stride 2")
        contenders["torch"] = lambda: F.conv2d(xt, kt, stride=2)
    t = benchlib.interleaved_medians(contenders, repeats)
    ratio = t["cnncalc"] / t["stride1"]
    rows = [
        [
            "3x3 stride 2",
            benchlib.ms(t["cnncalc"]),
            "cnncalc stride 1",
            benchlib.ms(t["stride1"]),
            f"{ratio:.2f}x",
            f"< {TARGETS['stride1']}x",
            "PASS" if ratio < TARGETS["stride1"] else "MISS",
        ]
    ]
    if "torch" in t:
        rows.append(
            [
                "3x3 stride 2",
                benchlib.ms(t["cnncalc"]),
                "torch F.conv2d stride 2",
                benchlib.ms(t["torch"]),
                f"{t['cnncalc'] / t['torch']:.2f}x",
                "(info)",
                "",
            ]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--repeats", type=int, default=9, help="timed rounds per case (median kept)"
    )
    parser.add_argument("--size", type=int, default=2048, help="image side (N x N)")
    args = parser.parse_args()

    peers, missing = load_peers()
    extra = [versions(peers)]
    if missing:
        extra.append("missing: " + "; ".join(missing))
    benchlib.header(
        f"conv2d {args.size}x{args.size} float64, median of {args.repeats} interleaved rounds",
        REMOVED,
        extra,
    )
    x = np.random.default_rng(0).standard_normal((args.size, args.size))
    rows, _ = case_3x3(x, peers, args.repeats)
    for size in (11, 15):
        rows += case_fft(x, peers, size, args.repeats)
    rows += case_stride2(x, peers, args.repeats)
    print(
        benchlib.table(
            ["case", "cnncalc ms", "peer", "peer ms", "ratio", "target", "verdict"], rows
        )
    )
    print("\nratio = cnncalc time / peer time (lower is faster); results checked equal to 1e-8.")


if __name__ == "__main__":
    main()
