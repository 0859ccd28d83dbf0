"""Analytic backward passes of ``cnncalc.engine.ops``, exactly as PyTorch's autograd.

Each ``*_backward`` takes the forward inputs (and options, with the same
keyword names as the forward function) plus ``grad``, the gradient of the loss
with respect to the forward output, and returns the gradients with respect to
the inputs, in the inputs' own shapes. Nothing here writes into its arguments.

>>> import numpy as np
>>> x = np.array([[1., 2.], [3., 4.]])
>>> g = conv2d_backward(x, np.ones((1, 1)), np.ones((2, 2)))
>>> g.weight.tolist(), g.input.tolist()
([[10.0]], [[1.0, 1.0], [1.0, 1.0]])
>>> pool2d_backward(x, np.array([[1.0]]), kind="max", size=2).tolist()
[[0.0, 0.0], [0.0, 1.0]]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cnncalc.engine import ops
from cnncalc.errors import ParameterError

_NUMPY_PAD: dict[str, Any] = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


@dataclass
class ConvGrads:
    """Gradients of a convolution: w.r.t. the image, the kernel and the bias."""

    input: np.ndarray
    weight: np.ndarray
    bias: np.ndarray


# --------------------------------------------------------------------------- padding


def pad_backward(
    grad: np.ndarray, pads: tuple[int, int, int, int], mode: str, in_hw: tuple[int, int]
) -> np.ndarray:
    """Fold the gradient of ``ops.pad``'s output back onto its input.

    Zero padding drops the border; reflect, replicate and circular add each
    padded cell's gradient to the cell it was copied from.

    >>> g = np.ones((1, 4))
    >>> pad_backward(g, (0, 0, 1, 1), "replicate", (1, 2)).tolist()
    [[2.0, 2.0]]
    >>> pad_backward(np.arange(4.)[None], (0, 0, 1, 1), "reflect", (1, 2)).tolist()
    [[4.0, 2.0]]
    """
    top, bottom, left, right = pads
    h, w = in_hw
    out = np.asarray(grad, dtype=np.float64)
    for axis, (lo, hi, n) in ((-2, (top, bottom, h)), (-1, (left, right, w))):
        if mode == "zeros" or not (lo or hi):
            out = np.take(out, np.arange(lo, lo + n), axis=axis)
            continue
        source = np.pad(np.arange(n), (lo, hi), mode=_NUMPY_PAD[mode])
        moved = np.moveaxis(out, axis, 0)
        folded = moved[lo : lo + n].copy()
        for r in (*range(lo), *range(lo + n, lo + n + hi)):
            folded[source[r]] += moved[r]
        out = np.moveaxis(folded, 0, axis)
    return np.ascontiguousarray(out)


# --------------------------------------------------------------------------- convolution


def conv2d_backward(
    image: np.ndarray,
    kernel: np.ndarray,
    grad: np.ndarray,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    padding_mode: str = "zeros",
    norm: str = "sum",
    bias: Any = 0.0,
    flip: bool = False,
) -> ConvGrads:
    """Gradients of ``ops.conv2d`` w.r.t. image, kernel and bias.

    ``grad`` has the forward output's shape. The results have the shapes of
    ``image``, ``kernel`` and ``bias`` (a scalar bias shared by several filters
    collects the gradient of every output cell).

    Notes
    -----
    One tensor contraction per kernel tap (kh·kw of them), each over
    M·C·Ho·Wo products: dW[m, c, a, b] = Σ g[m, i, j]·xp[c, i·s + a·d, j·s + b·d]
    and the transposed scatter for the input; padded cells fold back onto
    their source cells.

    Examples
    --------
    >>> x = np.arange(9.).reshape(3, 3)
    >>> g = conv2d_backward(x, np.ones((2, 2)), np.ones((2, 2)), norm="mean", bias=0.5)
    >>> g.weight.tolist(), float(g.bias)
    ([[2.0, 3.0], [5.0, 6.0]], 4.0)
    """
    x = ops._as_image(image)
    channels = x.shape[0]
    weight, _ = ops._as_weight(kernel, channels)
    s = ops.as_pair(stride, "stride")
    d = ops.as_pair(dilation, "dilation")
    ops._choice(padding_mode, "padding_mode", ops.PADDING_MODES)
    ops._choice(norm, "norm", ops.NORMS)
    m_count, _, kh, kw = weight.shape
    pads = ops.conv_padding(padding, (kh, kw), d, s)
    bias_v = ops._as_bias(bias, m_count)
    ho, wo = ops.conv_output_hw(x.shape[1:], (kh, kw), pads, s, d)
    g = np.asarray(grad, dtype=np.float64).reshape(m_count, ho, wo)

    bias_grad = g.sum(axis=(1, 2))
    if bias_v.size == 1:
        bias_grad = bias_grad.sum(keepdims=True)
    if norm == "mean":
        g = g / (channels * kh * kw)
    wf = weight[:, :, ::-1, ::-1] if flip else weight
    xp = ops.pad(x, pads, padding_mode)
    grad_xp = np.zeros(xp.shape, dtype=np.float64)
    grad_wf = np.empty(weight.shape, dtype=np.float64)
    for a in range(kh):
        rows = slice(a * d[0], a * d[0] + (ho - 1) * s[0] + 1, s[0])
        for b in range(kw):
            cols = slice(b * d[1], b * d[1] + (wo - 1) * s[1] + 1, s[1])
            grad_wf[:, :, a, b] = np.tensordot(g, xp[:, rows, cols], axes=([1, 2], [1, 2]))
            grad_xp[:, rows, cols] += np.tensordot(wf[:, :, a, b], g, axes=([0], [0]))
    grad_w = grad_wf[:, :, ::-1, ::-1] if flip else grad_wf
    grad_x = pad_backward(grad_xp, pads, padding_mode, x.shape[1:])
    return ConvGrads(
        input=grad_x.reshape(np.shape(image)),
        weight=np.ascontiguousarray(grad_w).reshape(np.shape(kernel)),
        bias=bias_grad.reshape(np.shape(bias)) if np.ndim(bias) else bias_grad[0],
    )


# --------------------------------------------------------------------------- pooling


def pool2d_backward(
    x: np.ndarray,
    grad: np.ndarray,
    *,
    kind: str,
    size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> np.ndarray:
    """Gradient of ``ops.pool2d`` w.r.t. its input.

    Max: each window's gradient goes to its first maximal cell in row-major
    window order (PyTorch's CPU kernel); overlapping windows add up. Mean: the
    gradient divided by the window's divisor goes to each real cell. Sum: the
    gradient goes to each real cell. Padding never receives gradient. A max
    window that lies entirely in padding (possible only with dilation) has no
    maximum and is refused.

    Notes
    -----
    k·k strided views; max pooling keeps a (k·k, C, Ho, Wo) stack for argmax.

    Examples
    --------
    >>> x = np.array([[1., 3., 3.], [0., 2., 1.]])
    >>> pool2d_backward(x, np.array([[1., 10.]]), kind="max", size=2, stride=1).tolist()
    [[0.0, 11.0, 0.0], [0.0, 0.0, 0.0]]
    >>> pool2d_backward(x, np.array([[4., 8.], [12., 16.]]), kind="mean", size=2, padding=1).tolist()
    [[1.0, 2.0, 2.0], [3.0, 4.0, 4.0]]
    """
    kind = ops._POOL_ALIASES.get(kind, kind)
    ops._choice(kind, "kind", ops.POOL_KINDS)
    arr = ops._as_image(x)
    k = ops.as_pair(size, "size")
    s = ops.as_pair(k if stride is None else stride, "stride")
    p = ops.as_pair(padding, "padding", minimum=0)
    d = ops.as_pair(dilation, "dilation")
    if kind != "max" and d != (1, 1):
        raise ParameterError("param.pool_dilation", kind=kind, dilation=ops._pair_text(d))
    c, h, w = arr.shape
    ho, wo = ops.pool_output_hw((h, w), k, s, p, d, ceil_mode)
    g = np.asarray(grad, dtype=np.float64).reshape(c, ho, wo)
    need_h = max((ho - 1) * s[0] + d[0] * (k[0] - 1) + 1, h + p[0])
    need_w = max((wo - 1) * s[1] + d[1] * (k[1] - 1) + 1, w + p[1])

    def view(a: np.ndarray, i: int, j: int) -> np.ndarray:
        return a[
            :,
            i * d[0] : i * d[0] + (ho - 1) * s[0] + 1 : s[0],
            j * d[1] : j * d[1] + (wo - 1) * s[1] + 1 : s[1],
        ]

    taps = [(i, j) for i in range(k[0]) for j in range(k[1])]
    if kind == "max":
        xp = np.full((c, need_h, need_w), -np.inf)
        xp[:, p[0] : p[0] + h, p[1] : p[1] + w] = arr
        stack = np.stack([view(xp, i, j) for i, j in taps])
        empty = np.all(np.isneginf(stack), axis=0)
        if empty.any():
            _, r, q = np.argwhere(empty)[0]
            raise ParameterError(
                "train.pool_empty_window", row=int(r) + 1, col=int(q) + 1,
                dilation=ops._pair_text(d), padding=ops._pair_text(p),
            )
        best = np.argmax(stack, axis=0)  # the first maximum in row-major window order
        ti, tj = np.divmod(best, k[1])
        rows = np.arange(ho)[None, :, None] * s[0] + ti * d[0] - p[0]
        cols = np.arange(wo)[None, None, :] * s[1] + tj * d[1] - p[1]
        flat = (np.arange(c)[:, None, None] * h + rows) * w + cols
        out = np.bincount(flat.ravel(), weights=g.ravel(), minlength=c * h * w)
        return out.reshape(np.shape(x))

    if kind == "mean":
        ph, rh = ops._window_counts(ho, h, k[0], s[0], p[0])
        pw, rw = ops._window_counts(wo, w, k[1], s[1], p[1])
        g = g / (np.outer(ph, pw) if count_include_pad else np.outer(rh, rw))
    grad_xp = np.zeros((c, need_h, need_w), dtype=np.float64)
    for i, j in taps:
        view(grad_xp, i, j)[...] += g
    return grad_xp[:, p[0] : p[0] + h, p[1] : p[1] + w].reshape(np.shape(x)).copy()


# --------------------------------------------------------------------------- activations


def relu_backward(x: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """grad where x > 0, else 0 (0 at exactly 0, as PyTorch's threshold_backward).

    >>> relu_backward(np.array([-1., 0., 2.]), np.array([5., 5., 5.])).tolist()
    [0.0, 0.0, 5.0]
    """
    return np.where(np.asarray(x) > 0, grad, 0.0)


def leaky_relu_backward(x: np.ndarray, grad: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """grad where x > 0, else slope·grad (as PyTorch, slope·grad at exactly 0).

    >>> leaky_relu_backward(np.array([-1., 0., 2.]), np.array([5., 5., 5.]), 0.1).tolist()
    [0.5, 0.5, 5.0]
    """
    g = np.asarray(grad, dtype=np.float64)
    return np.where(np.asarray(x) > 0, g, g * float(slope))


def sigmoid_backward(y: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """grad·(1 − y)·y, from the forward output ``y``.

    >>> sigmoid_backward(np.array([0.5]), np.array([1.0])).tolist()
    [0.25]
    """
    y = np.asarray(y, dtype=np.float64)
    return grad * (1.0 - y) * y


def tanh_backward(y: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """grad·(1 − y²), from the forward output ``y``.

    >>> tanh_backward(np.array([0.5]), np.array([2.0])).tolist()
    [1.5]
    """
    y = np.asarray(y, dtype=np.float64)
    return grad * (1.0 - y * y)


def softmax_backward(y: np.ndarray, grad: np.ndarray, axis: int = -1) -> np.ndarray:
    """y·(grad − Σ grad·y) along ``axis``, from the forward output ``y``.

    >>> softmax_backward(np.array([0.5, 0.5]), np.array([1.0, 0.0])).tolist()
    [0.25, -0.25]
    """
    y = np.asarray(y, dtype=np.float64)
    g = np.asarray(grad, dtype=np.float64)
    return y * (g - np.sum(g * y, axis=axis, keepdims=True))


def flatten_backward(shape: tuple[int, ...], grad: np.ndarray) -> np.ndarray:
    """The vector's gradient reshaped back to the input's shape.

    >>> flatten_backward((2, 2), np.arange(4.)).tolist()
    [[0.0, 1.0], [2.0, 3.0]]
    """
    return np.asarray(grad, dtype=np.float64).reshape(shape)


def linear_backward(
    x: np.ndarray, weight: np.ndarray, grad: np.ndarray, bias: Any = None
) -> ConvGrads:
    """Gradients of ``ops.linear`` (y = W·x + b): x, W and b in their own shapes.

    dW = g ⊗ x, db = g, dx = Wᵀ·g.

    >>> r = linear_backward(np.array([1., 2.]), np.array([[1., 1.]]), np.array([3.]), np.array([0.]))
    >>> r.weight.tolist(), r.bias.tolist(), r.input.tolist()
    ([[3.0, 6.0]], [3.0], [3.0, 3.0])
    """
    v = np.asarray(x, dtype=np.float64).reshape(-1)
    w = np.asarray(weight, dtype=np.float64)
    w2 = w[None, :] if w.ndim == 1 else w
    g = np.asarray(grad, dtype=np.float64).reshape(-1)
    bias_grad = np.zeros(0)
    if bias is not None:
        bias_grad = g if np.size(bias) == g.size else g.sum(keepdims=True)
        bias_grad = bias_grad.reshape(np.shape(bias))
    return ConvGrads(
        input=(w2.T @ g).reshape(np.shape(x)),
        weight=np.outer(g, v).reshape(w.shape),
        bias=bias_grad,
    )


# --------------------------------------------------------------------------- losses


def cross_entropy_backward(logits: np.ndarray, target: int) -> np.ndarray:
    """d/dz of −log softmax(z)[target]: softmax(z) − one_hot(target).

    >>> cross_entropy_backward(np.array([0.0, 0.0]), 1).tolist()
    [0.5, -0.5]
    """
    z = np.asarray(logits, dtype=np.float64)
    t = ops._as_class(target, z.size)
    g = ops.softmax(z.reshape(-1))
    g[t] -= 1.0
    return g.reshape(z.shape)


def nll_from_probabilities_backward(probs: np.ndarray, target: int) -> np.ndarray:
    """d/dp of −log p[target]: −1/p[target] at the target, 0 elsewhere.

    A target probability of exactly 0 has an infinite loss and is refused.

    >>> nll_from_probabilities_backward(np.array([0.75, 0.25]), 1).tolist()
    [0.0, -4.0]
    """
    p = np.asarray(probs, dtype=np.float64)
    t = ops._as_class(target, p.size)
    flat = p.reshape(-1)
    if not flat[t] > 0:
        raise ParameterError("train.zero_probability", target=t)
    g = np.zeros(flat.shape)
    g[t] = -1.0 / flat[t]
    return g.reshape(p.shape)
