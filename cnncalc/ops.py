"""CNN operations with exactly PyTorch's semantics, on numpy arrays.

Every function validates its arguments first (messages name the parameter and
the rule), then does shape arithmetic and numpy views. Inputs are never written.

>>> import numpy as np
>>> x = np.array([[1., 2., 3.], [4., 5., 6.], [7., 8., 9.]])
>>> conv2d(x, np.array([[1., 0.], [0., -1.]])).tolist()
[[-4.0, -4.0], [-4.0, -4.0]]
>>> pool2d(x, kind="max", size=2, stride=1).tolist()
[[5.0, 6.0], [8.0, 9.0]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cnncalc.errors import LimitError, ParameterError, ShapeError

MAX_RESULT_CELLS = 10**8
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
NORMS = ("sum", "mean")
CONV_METHODS = ("auto", "direct")
POOL_KINDS = ("max", "mean", "sum")
_POOL_ALIASES = {"avg": "mean", "average": "mean", "max": "max", "mean": "mean", "sum": "sum"}

Pair = tuple[int, int]


# --------------------------------------------------------------------------- validation


def as_pair(value: object, parameter: str, *, minimum: int = 1) -> Pair:
    """Turn an int, an ``"H,W"`` string or a pair into ``(h, w)``, checking the minimum.

    >>> as_pair(2, "stride"), as_pair("1,2", "padding", minimum=0), as_pair("(2, 3)", "size")
    ((2, 2), (1, 2), (2, 3))
    """
    if isinstance(value, str):
        cleaned = value.strip().strip("()[]").replace("×", ",").replace("x", ",")
        parts = [p.strip() for p in cleaned.split(",")]
        try:
            items = [int(p) for p in parts]
        except ValueError:
            raise ParameterError("param.int_or_pair", parameter=parameter, value=value) from None
    elif isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        items = [int(value)]
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        items = []
        for v in value:
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
                raise ParameterError("param.int_or_pair", parameter=parameter, value=value)
            items.append(int(v))
    else:
        raise ParameterError("param.int_or_pair", parameter=parameter, value=value)
    if len(items) == 1:
        items = items * 2
    if len(items) != 2:
        raise ParameterError("param.int_or_pair", parameter=parameter, value=value)
    for v in items:
        if v < minimum:
            key = "param.positive" if minimum >= 1 else "param.non_negative"
            raise ParameterError(key, parameter=parameter, value=v)
    return items[0], items[1]


def _choice(value: str, parameter: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise ParameterError(
            "param.choice", parameter=parameter, choices=", ".join(choices), value=value
        )
    return value


def _as_float_array(x: object, parameter: str) -> np.ndarray:
    if x is None or isinstance(x, (str, bytes, dict, set)):
        raise ParameterError("param.bad_number", parameter=parameter, value=x)
    try:
        raw = np.asarray(x)
        if raw.dtype.kind == "c":
            raise ParameterError("param.real", parameter=parameter, dtype=str(raw.dtype))
        arr = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ParameterError("param.bad_number", parameter=parameter, value=x) from None
    if arr.size == 0:
        raise ParameterError("param.empty_input", shape=_shape_text(arr.shape))
    if not np.all(np.isfinite(arr)):
        raise ParameterError("param.nonfinite", parameter=parameter)
    return arr


def _as_image(image: object) -> np.ndarray:
    x = _as_float_array(image, "input")
    if x.ndim == 2:
        return x[None]
    if x.ndim != 3:
        raise ShapeError("shape.image_dims", ndim=x.ndim)
    return x


def _shape_text(shape: Sequence[int]) -> str:
    return "×".join(str(n) for n in shape)


def as_bool(value: object, parameter: str) -> bool:
    """``True``/``False`` (or 1/0); anything else is refused rather than taken as truthy.

    >>> as_bool(True, "flip"), as_bool(0, "ceil_mode")
    (True, False)
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)) and int(value) in (0, 1):
        return bool(value)
    raise ParameterError("param.bool", parameter=parameter, value=value)


def as_scalar(value: object, parameter: str) -> float:
    """A finite real number (not a bool), e.g. leaky_relu's slope."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError("param.bad_number", parameter=parameter, value=value)
    try:
        v = float(value)
    except OverflowError:
        raise ParameterError("param.nonfinite", parameter=parameter) from None
    if not np.isfinite(v):
        raise ParameterError("param.nonfinite", parameter=parameter)
    return v


def finite_result(out: np.ndarray, op: str, *, allow_neg_inf: bool = False) -> np.ndarray:
    """Refuse a result that overflowed float64 (finite inputs gave inf or nan)."""
    bad = ~np.isfinite(out)
    if allow_neg_inf:
        bad &= out != -np.inf
    if np.any(bad):
        raise LimitError("param.overflow", op=op)
    return out


def check_cells(*dims: int) -> None:
    """Refuse results over ``MAX_RESULT_CELLS`` before allocating them."""
    cells = 1
    for d in dims:
        cells *= int(d)
    if cells > MAX_RESULT_CELLS:
        raise LimitError("limit.cells", cells=cells, limit=MAX_RESULT_CELLS)


# --------------------------------------------------------------------------- convolution


def conv_padding(
    padding: object, kernel_hw: Pair, dilation: Pair, stride: Pair
) -> tuple[int, int, int, int]:
    """Resolve ``padding`` to (top, bottom, left, right) as PyTorch does.

    ``"same"`` puts ``total // 2`` on the top/left and the rest on the
    bottom/right; it needs stride 1. ``"valid"`` is no padding.

    >>> conv_padding("same", (4, 3), (1, 1), (1, 1))
    (1, 2, 1, 1)
    """
    if isinstance(padding, str) and padding.strip().lower() in ("same", "valid"):
        if padding.strip().lower() == "valid":
            return 0, 0, 0, 0
        if stride != (1, 1):
            raise ParameterError("param.same_stride", stride=_pair_text(stride))
        th = dilation[0] * (kernel_hw[0] - 1)
        tw = dilation[1] * (kernel_hw[1] - 1)
        return th // 2, th - th // 2, tw // 2, tw - tw // 2
    ph, pw = as_pair(padding, "padding", minimum=0)
    return ph, ph, pw, pw


def _pair_text(p: Pair) -> str:
    return str(p[0]) if p[0] == p[1] else f"{p[0]},{p[1]}"


def pad(x: np.ndarray, pads: tuple[int, int, int, int], mode: str = "zeros") -> np.ndarray:
    """Pad the last two axes of ``x`` by (top, bottom, left, right) like ``F.pad``.

    >>> pad(np.array([[1., 2.], [3., 4.]]), (1, 0, 0, 1), "replicate").tolist()
    [[1.0, 2.0, 2.0], [1.0, 2.0, 2.0], [3.0, 4.0, 4.0]]
    """
    _choice(mode, "padding_mode", PADDING_MODES)
    top, bottom, left, right = pads
    h, w = x.shape[-2:]
    if mode == "reflect":
        for p, size in ((top, h), (bottom, h), (left, w), (right, w)):
            if p >= size:
                raise ParameterError("param.reflect_too_large", padding=p, size=size)
    if mode == "circular":
        for p, size in ((top, h), (bottom, h), (left, w), (right, w)):
            if p > size:
                raise ParameterError("param.circular_too_large", padding=p, size=size)
    if not any(pads):
        return x
    widths = [(0, 0)] * (x.ndim - 2) + [(top, bottom), (left, right)]
    numpy_mode = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}
    return np.pad(x, widths, mode=numpy_mode[mode])


def conv_output_hw(
    in_hw: Pair, kernel_hw: Pair, pads: tuple[int, int, int, int], stride: Pair, dilation: Pair
) -> Pair:
    """Out = floor((H + pads − d(k−1) − 1)/s) + 1 per axis; refuses a kernel
    larger than the padded input.

    >>> conv_output_hw((9, 9), (3, 3), (0, 0, 0, 0), (1, 1), (1, 1))
    (7, 7)
    """
    hp = in_hw[0] + pads[0] + pads[1]
    wp = in_hw[1] + pads[2] + pads[3]
    eh = dilation[0] * (kernel_hw[0] - 1) + 1
    ew = dilation[1] * (kernel_hw[1] - 1) + 1
    if eh > hp or ew > wp:
        raise ParameterError(
            "param.kernel_too_large",
            kernel=_shape_text(kernel_hw),
            extent=_shape_text((eh, ew)),
            padded=_shape_text((hp, wp)),
        )
    return (hp - eh) // stride[0] + 1, (wp - ew) // stride[1] + 1


def _as_weight(kernel: object, channels: int) -> tuple[np.ndarray, bool]:
    """Return the (M, C, kh, kw) weight and whether the result is one 2-D map."""
    k = _as_float_array(kernel, "kernel")
    if k.ndim == 2:
        if channels != 1:
            raise ShapeError("shape.kernel_bank", channels=channels, blocks=1)
        return k[None, None], True
    if k.ndim == 3:
        if channels == 1:
            return k[:, None], False
        if k.shape[0] == channels:
            return k[None], True
        raise ShapeError("shape.kernel_bank", channels=channels, blocks=k.shape[0])
    if k.ndim == 4:
        if k.shape[1] != channels:
            raise ShapeError("shape.channels", kernel_channels=k.shape[1], image_channels=channels)
        return k, False
    raise ShapeError("shape.kernel_dims", ndim=k.ndim)


def _as_bias(bias: object, filters: int) -> np.ndarray:
    b = _as_float_array(bias, "bias").reshape(-1)
    if b.size not in (1, filters):
        raise ShapeError("shape.bias", got=b.size, filters=filters)
    return b


def conv2d(
    image: np.ndarray,
    kernel: np.ndarray,
    *,
    stride: int | Pair | str = 1,
    padding: int | Pair | str = 0,
    dilation: int | Pair | str = 1,
    padding_mode: str = "zeros",
    norm: str = "sum",
    bias: float | Sequence[float] | np.ndarray = 0.0,
    flip: bool = False,
    method: str = "auto",
) -> np.ndarray:
    """2-D cross-correlation exactly as ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    image : (H, W) or (C, H, W)
    kernel : (kh, kw); (M, kh, kw) as M filters for a one-channel image or one
        filter across C channels when M == C; or a full (M, C, kh, kw) weight.
    stride, dilation : int or (h, w), positive.
    padding : int, (h, w), ``"same"`` (stride 1 only) or ``"valid"``.
    padding_mode : zeros, reflect (p < size), replicate, circular (p <= size).
    norm : ``"sum"`` (as nn.Conv2d) or ``"mean"`` (divide by C·kh·kw).
    bias : added after normalisation; a scalar or one value per filter.
    flip : flip the kernel for true convolution.
    method : ``"auto"`` (FFT for kernels from 11x11 up with stride 1) or
        ``"direct"`` (always shift-and-add: exact zeros, no FFT rounding noise).

    Returns
    -------
    (Ho, Wo) for one filter given as 2-D (or one filter across channels),
    else (M, Ho, Wo).

    Notes
    -----
    Cost: M·C·kh·kw multiply-adds per output cell by shift-and-add on cache
    tiles; kernels from 11x11 up with stride 1 use ``numpy.fft`` instead.

    Examples
    --------
    >>> x = np.array([[1., -1., -1.], [-1., 1., -1.], [-1., -1., 1.]])
    >>> float(conv2d(x, x, norm="mean")[0, 0]) == 1.0
    True
    >>> conv2d(np.arange(9.).reshape(3, 3), np.ones((2, 2)), padding=1, stride=2).tolist()
    [[0.0, 3.0], [9.0, 24.0]]
    """
    x = _as_image(image)
    channels = x.shape[0]
    weight, single = _as_weight(kernel, channels)
    stride_p = as_pair(stride, "stride")
    dilation_p = as_pair(dilation, "dilation")
    _choice(padding_mode, "padding_mode", PADDING_MODES)
    _choice(norm, "norm", NORMS)
    flip = as_bool(flip, "flip")
    _choice(method, "method", CONV_METHODS)
    kernel_hw = (weight.shape[2], weight.shape[3])
    pads = conv_padding(padding, kernel_hw, dilation_p, stride_p)
    bias_v = _as_bias(bias, weight.shape[0])
    out_hw = conv_output_hw(x.shape[1:], kernel_hw, pads, stride_p, dilation_p)
    check_cells(weight.shape[0], *out_hw)
    # the padded copy of the input is allocated too (a huge padding with a huge stride)
    check_cells(channels, x.shape[1] + pads[0] + pads[1], x.shape[2] + pads[2] + pads[3])
    # one window along an axis makes its stride irrelevant; a huge one (2**62)
    # would overflow the byte strides of the views below
    stride_p = (stride_p[0] if out_hw[0] > 1 else 1, stride_p[1] if out_hw[1] > 1 else 1)

    if flip:
        weight = weight[:, :, ::-1, ::-1]
    xp = pad(x, pads, padding_mode)
    from cnncalc import fastconv

    with np.errstate(over="ignore", invalid="ignore"):
        if method == "auto" and fastconv.use_fft(kernel_hw, stride_p):
            out = fastconv.correlate_fft(xp, weight, dilation_p, out_hw)
        else:
            out = fastconv.correlate(xp, np.ascontiguousarray(weight), stride_p, dilation_p, out_hw)
        if norm == "mean":
            out /= weight.shape[1] * kernel_hw[0] * kernel_hw[1]
        if np.any(bias_v):
            out += bias_v[:, None, None] if bias_v.size > 1 else bias_v[0]
    finite_result(out, "conv2d")
    return out[0] if single else out


# --------------------------------------------------------------------------- pooling


def pool_output_size(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """PyTorch's ``pooling_output_shape``: with ceil_mode, a last window that
    starts in the right padding is dropped.

    >>> pool_output_size(5, 2, 2, 0, 1, False), pool_output_size(5, 2, 2, 0, 1, True)
    (2, 3)
    """
    numerator = size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)
    out = numerator // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def pool_output_hw(
    in_hw: Pair,
    size: Pair,
    stride: Pair,
    padding: Pair,
    dilation: Pair,
    ceil_mode: bool,
) -> Pair:
    """Validate pooling parameters against ``in_hw`` and return (Ho, Wo)."""
    for p, k in zip(padding, size):
        if p > k // 2:
            raise ParameterError("param.pool_padding", padding=p, size=k, half=k // 2)
    out = tuple(
        pool_output_size(in_hw[a], size[a], stride[a], padding[a], dilation[a], ceil_mode)
        for a in (0, 1)
    )
    if out[0] < 1 or out[1] < 1:
        raise ParameterError(
            "param.output_too_small",
            output=_shape_text(out),
            input=_shape_text(in_hw),
            what=f"size={_pair_text(size)}, stride={_pair_text(stride)}, "
            f"padding={_pair_text(padding)}, dilation={_pair_text(dilation)}",
        )
    return out[0], out[1]


def _window_counts(n_out: int, size: int, k: int, s: int, p: int) -> tuple[np.ndarray, np.ndarray]:
    """Per output index: cells counted with padding (clipped at the right pad)
    and real cells, as aten's avg_pool2d computes its divisors."""
    start = np.arange(n_out) * s - p
    end = np.minimum(start + k, size + p)
    with_pad = end - start
    real = np.minimum(end, size) - np.maximum(start, 0)
    return with_pad, real


def pool2d(
    x: np.ndarray,
    *,
    kind: str,
    size: int | Pair | str,
    stride: int | Pair | str | None = None,
    padding: int | Pair | str = 0,
    dilation: int | Pair | str = 1,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> np.ndarray:
    """Max, mean or sum pooling as ``F.max_pool2d`` / ``F.avg_pool2d``.

    ``stride`` defaults to ``size``; ``padding`` is at most ``size // 2``;
    ``dilation`` is for max only. Max pads with −inf. Mean divides by the
    window's cells including padding unless ``count_include_pad=False``.
    Sum is the plain sum of the window's real cells.

    Notes
    -----
    One reducer (maximum or add) applied over k·k strided views; cost
    k·k operations per output cell.

    Examples
    --------
    >>> x = np.arange(16.).reshape(4, 4)
    >>> pool2d(x, kind="mean", size=2).tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    >>> pool2d(x, kind="sum", size=3, stride=2, padding=1).tolist()
    [[10.0, 24.0], [51.0, 90.0]]
    """
    kind = _POOL_ALIASES.get(kind, kind) if isinstance(kind, str) else kind
    _choice(kind, "kind", POOL_KINDS)
    ceil_mode = as_bool(ceil_mode, "ceil_mode")
    count_include_pad = as_bool(count_include_pad, "count_include_pad")
    arr = _as_image(x)
    k = as_pair(size, "size")
    s = as_pair(k if stride is None else stride, "stride")
    p = as_pair(padding, "padding", minimum=0)
    d = as_pair(dilation, "dilation")
    if kind != "max" and d != (1, 1):
        raise ParameterError("param.pool_dilation", kind=kind, dilation=_pair_text(d))
    c, h, w = arr.shape
    ho, wo = pool_output_hw((h, w), k, s, p, d, ceil_mode)
    check_cells(c, ho, wo)

    # pad to cover every window, including ceil-mode windows past the padding
    need_h = (ho - 1) * s[0] + d[0] * (k[0] - 1) + 1
    need_w = (wo - 1) * s[1] + d[1] * (k[1] - 1) + 1
    fill = -np.inf if kind == "max" else 0.0
    check_cells(c, max(need_h, h + p[0]), max(need_w, w + p[1]))
    xp = np.full((c, max(need_h, h + p[0]), max(need_w, w + p[1])), fill)
    xp[:, p[0] : p[0] + h, p[1] : p[1] + w] = arr
    reducer = np.maximum if kind == "max" else np.add
    out = None
    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(k[0]):
            for j in range(k[1]):
                view = xp[
                    :,
                    i * d[0] : i * d[0] + (ho - 1) * s[0] + 1 : s[0],
                    j * d[1] : j * d[1] + (wo - 1) * s[1] + 1 : s[1],
                ]
                if out is None:
                    out = view.copy()
                else:
                    reducer(out, view, out=out)
        assert out is not None
        if kind == "mean":
            ph, rh = _window_counts(ho, h, k[0], s[0], p[0])
            pw, rw = _window_counts(wo, w, k[1], s[1], p[1])
            divisor = np.outer(ph, pw) if count_include_pad else np.outer(rh, rw)
            out /= divisor
    # a dilated max window lying wholly in the padding is -inf, as in PyTorch
    finite_result(out, "pool2d", allow_neg_inf=kind == "max")
    return out[0] if np.ndim(x) == 2 else out


# --------------------------------------------------------------------------- activations


def relu(x: np.ndarray) -> np.ndarray:
    """max(x, 0) element-wise.

    >>> relu(np.array([-1.5, 0.0, 2.0])).tolist()
    [0.0, 0.0, 2.0]
    """
    return np.maximum(_as_float_array(x, "input"), 0.0)


def leaky_relu(x: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """x where x > 0, else slope·x (``F.leaky_relu``).

    >>> leaky_relu(np.array([-2.0, 3.0]), 0.1).tolist()
    [-0.2, 3.0]
    """
    arr = _as_float_array(x, "input")
    a = as_scalar(slope, "slope")
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.where(arr > 0, arr, arr * a)
    return finite_result(out, "leaky_relu")


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^−x), computed without overflow.

    >>> sigmoid(np.array([0.0])).tolist()
    [0.5]
    """
    arr = _as_float_array(x, "input")
    e = np.exp(-np.abs(arr))
    return np.where(arr >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def tanh(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent.

    >>> tanh(np.array([0.0])).tolist()
    [0.0]
    """
    return np.tanh(_as_float_array(x, "input"))


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """e^x / Σ e^x along ``axis`` (stable: the maximum is subtracted first).

    >>> softmax(np.array([0.0, 0.0])).tolist()
    [0.5, 0.5]
    """
    arr = _as_float_array(x, "input")
    axis = _as_axis(axis, arr.ndim)
    with np.errstate(over="ignore", under="ignore"):
        z = arr - np.max(arr, axis=axis, keepdims=True)
        e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def _as_axis(axis: object, ndim: int) -> int:
    low, high = -max(ndim, 1), max(ndim, 1) - 1
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)) or not low <= axis <= high:
        raise ParameterError("param.axis", low=low, high=high, ndim=ndim, value=axis)
    return int(axis)


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(softmax(x)) computed stably."""
    arr = _as_float_array(x, "input")
    axis = _as_axis(axis, arr.ndim)
    with np.errstate(over="ignore", under="ignore"):
        z = arr - np.max(arr, axis=axis, keepdims=True)
        return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def flatten(x: np.ndarray) -> np.ndarray:
    """Row-major flattening of (C, H, W) into one vector, as ``torch.flatten``.

    >>> flatten(np.array([[1., 2.], [3., 4.]])).tolist()
    [1.0, 2.0, 3.0, 4.0]
    """
    return _as_float_array(x, "input").reshape(-1)


def linear(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | float | None = None) -> np.ndarray:
    """y = x Wᵀ + b as ``nn.Linear``; W is (out, in), x is a vector of length in.

    >>> linear(np.array([1., 2.]), np.array([[1., 1.], [0., -1.]]), np.array([0.5, 0.])).tolist()
    [3.5, -2.0]
    """
    v = _as_float_array(x, "input").reshape(-1)
    w = _as_float_array(weight, "weight")
    if w.ndim == 1:
        w = w[None, :]
    if w.ndim != 2 or w.shape[1] != v.size:
        raise ShapeError("shape.linear", in_features=v.size, weight=_shape_text(w.shape))
    with np.errstate(over="ignore", invalid="ignore"):
        y = w @ v
        if bias is not None:
            b = _as_float_array(bias, "bias").reshape(-1)
            if b.size not in (1, y.size):
                raise ShapeError("shape.bias", got=b.size, filters=y.size)
            y = y + b
    return finite_result(y, "linear")


def _as_class(target: int, classes: int) -> int:
    if isinstance(target, bool) or not isinstance(target, (int, np.integer)):
        raise ParameterError("param.target", target=target, classes=classes, last=classes - 1)
    if not 0 <= int(target) < classes:
        raise ParameterError("param.target", target=target, classes=classes, last=classes - 1)
    return int(target)


def cross_entropy(logits: np.ndarray, target: int) -> float:
    """−log softmax(logits)[target], as ``F.cross_entropy`` (target 0-based).

    >>> round(cross_entropy(np.array([0.0, 0.0]), 1), 6)
    0.693147
    """
    z = _as_float_array(logits, "logits").reshape(-1)
    t = _as_class(target, z.size)
    return float(-log_softmax(z)[t])


def nll_from_probabilities(probs: np.ndarray, target: int) -> float:
    """−log p[target] for a vector of probabilities (when softmax ends the network)."""
    p = _as_float_array(probs, "probabilities").reshape(-1)
    t = _as_class(target, p.size)
    return float(-np.log(p[t])) if p[t] > 0 else float("inf")


def mse(x: np.ndarray, y: np.ndarray) -> float:
    """Mean squared error, as ``F.mse_loss``.

    >>> mse(np.array([1.0, 3.0]), np.array([0.0, 1.0]))
    2.5
    """
    a = _as_float_array(x, "input")
    b = _as_float_array(y, "target")
    if a.shape != b.shape:
        raise ShapeError("shape.mse", got=_shape_text(a.shape), expected=_shape_text(b.shape))
    with np.errstate(over="ignore", invalid="ignore"):
        value = np.mean((a - b) ** 2)
    return float(finite_result(np.asarray(value), "mse"))
