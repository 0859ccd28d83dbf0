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

# The activations, losses and argument checks live in their own modules; ``ops`` names
# them all, so that ``ops.relu`` and ``ops.as_pair`` read as one vocabulary.
from cnncalc.engine.activations import (  # noqa: F401
    flatten,
    leaky_relu,
    linear,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    tanh,
)
from cnncalc.engine.losses import _as_class, cross_entropy, mse, nll_from_probabilities  # noqa: F401
from cnncalc.engine.validate import (
    Pair,
    _as_float_array,
    _as_image,
    _choice,
    _shape_text,
    as_bool,
    as_pair,
    as_scalar,
    finite_result,
)
from cnncalc.errors import LimitError, ParameterError, ShapeError

MAX_RESULT_CELLS = 10**8
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
NORMS = ("sum", "mean")
CONV_METHODS = ("auto", "direct")
POOL_KINDS = ("max", "mean", "sum")
_POOL_ALIASES = {"avg": "mean", "average": "mean", "max": "max", "mean": "mean", "sum": "sum"}


# --------------------------------------------------------------------------- limits


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
    numpy_mode = {
        "zeros": "constant",
        "reflect": "reflect",
        "replicate": "edge",
        "circular": "wrap",
    }
    return np.pad(x, widths, mode=numpy_mode[mode])  # type: ignore[call-overload]


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


def _as_weight(kernel: object, channels: int, groups: int = 1) -> tuple[np.ndarray, bool]:
    """Return the (M, C/groups, kh, kw) weight and whether the result is one 2-D map."""
    k = _as_float_array(kernel, "kernel")
    if channels % groups:
        raise ParameterError("param.groups_divide", groups=groups, what="input channels", channels=channels)
    per_filter = channels // groups
    if k.ndim == 2:
        if per_filter != 1:
            raise ShapeError("shape.kernel_bank", channels=channels, blocks=1)
        return k[None, None], groups == 1
    if k.ndim == 3:
        if groups == 1 and channels == 1:
            return k[:, None], False
        if groups == 1 and k.shape[0] == channels:
            return k[None], True
        if groups > 1 and k.shape[0] % per_filter == 0:
            return k.reshape(k.shape[0] // per_filter, per_filter, *k.shape[1:]), False
        raise ShapeError("shape.kernel_bank", channels=channels, blocks=k.shape[0])
    if k.ndim == 4:
        if k.shape[1] != per_filter:
            raise ShapeError("shape.channels", kernel_channels=k.shape[1] * groups, image_channels=channels)
        return k, False
    raise ShapeError("shape.kernel_dims", ndim=k.ndim)


def _resolve_pads(
    padding: object, kernel_hw: Pair, dilation: Pair, stride: Pair
) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) from ``same``/``valid``, an int, a pair, or four
    values (left, right, top, bottom) as ``F.pad`` takes them (negative crops)."""
    from cnncalc.engine.padding import as_pads

    four = isinstance(padding, str) and padding.count(",") == 3
    four = four or (isinstance(padding, Sequence) and not isinstance(padding, str) and len(padding) == 4)
    if not four:
        return conv_padding(padding, kernel_hw, dilation, stride)
    left, right, top, bottom = as_pads(padding)
    return top, bottom, left, right


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
    bias: float | Sequence[float] | np.ndarray | None = 0.0,
    flip: bool = False,
    method: str = "auto",
    groups: int = 1,
    padding_value: float = 0.0,
) -> np.ndarray:
    """2-D cross-correlation exactly as ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    image : (H, W) or (C, H, W)
    kernel : (kh, kw); (M, kh, kw) as M filters for a one-channel image or one
        filter across C channels when M == C; or a full (M, C, kh, kw) weight.
    stride, dilation : int or (h, w), positive.
    padding : int, (h, w), ``"same"`` (stride 1 only), ``"valid"``, or four
        values (left, right, top, bottom) as ``F.pad`` (negative crops, constant
        padding only).
    padding_mode : zeros, constant (fill ``padding_value``), reflect (p < size),
        replicate, circular (p <= size).
    norm : ``"sum"`` (as nn.Conv2d) or ``"mean"`` (divide by C·kh·kw).
    bias : added after normalisation; a scalar or one value per filter.
    flip : flip the kernel for true convolution.
    method : ``"auto"`` (FFT for kernels from 11x11 up with stride 1) or
        ``"direct"`` (always shift-and-add: exact zeros, no FFT rounding noise).
    groups : split the C channels and the M filters into ``groups`` groups
        (``nn.Conv2d``'s weight (M, C/groups, kh, kw)); groups == C is depthwise.
    padding_value : the fill of ``padding_mode="constant"``.

    A (N, C, H, W) input is a batch: the result is (N, M, Ho, Wo).

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
    >>> conv2d(np.ones((2, 2)), np.ones((2, 2)), padding=(1, 0, 0, 0),
    ...        padding_mode="constant", padding_value=5.0).tolist()
    [[12.0, 4.0]]
    """
    if np.ndim(image) == 4:
        batch = _as_float_array(image, "input")
        check_cells(*batch.shape)
        maps = [
            conv2d(one, kernel, stride=stride, padding=padding, dilation=dilation,
                   padding_mode=padding_mode, norm=norm, bias=bias, flip=flip,
                   method=method, groups=groups, padding_value=padding_value)
            for one in batch
        ]
        return np.stack([m if m.ndim == 3 else m[None] for m in maps])  # (N, M, Ho, Wo) always
    from cnncalc.engine.arrays import as_int
    from cnncalc.engine.padding import PAD_MODES, check_mode

    x = _as_image(image)
    channels = x.shape[0]
    groups = as_int(groups, "groups")
    value = as_scalar(padding_value, "padding_value")
    weight, single = _as_weight(kernel, channels, groups)
    if weight.shape[0] % groups:
        raise ParameterError("param.groups_divide", groups=groups,
                             what="output channels (filters)", channels=weight.shape[0])
    stride_p = as_pair(stride, "stride")
    dilation_p = as_pair(dilation, "dilation")
    _choice(padding_mode, "padding_mode", PAD_MODES)
    check_mode(padding_mode, value)
    _choice(norm, "norm", NORMS)
    flip = as_bool(flip, "flip")
    _choice(method, "method", CONV_METHODS)
    kernel_hw = (weight.shape[2], weight.shape[3])
    pads = _resolve_pads(padding, kernel_hw, dilation_p, stride_p)
    if min(pads) < 0:  # cropping: constant padding only, and something must remain
        from cnncalc.engine.padding import plan_axes

        plan_axes(x.shape, (pads[2], pads[3], pads[0], pads[1]), padding_mode, "padding")
    bias_v = _as_bias(0.0 if bias is None else bias, weight.shape[0])
    out_hw = conv_output_hw(x.shape[1:], kernel_hw, pads, stride_p, dilation_p)
    check_cells(weight.shape[0], *out_hw)
    from cnncalc.engine import budget

    budget.check_conv(weight.shape[0] * out_hw[0] * out_hw[1], int(np.prod(weight.shape[1:])))
    # the padded copy of the input is allocated too (a huge padding with a huge stride)
    check_cells(channels, max(x.shape[1] + pads[0] + pads[1], 1), max(x.shape[2] + pads[2] + pads[3], 1))
    # one window along an axis makes its stride irrelevant; a huge one (2**62)
    # would overflow the byte strides of the views below
    stride_p = (stride_p[0] if out_hw[0] > 1 else 1, stride_p[1] if out_hw[1] > 1 else 1)

    if flip:
        weight = weight[:, :, ::-1, ::-1]
    if padding_mode == "constant" or min(pads) < 0:
        from cnncalc.engine import padding as fpad

        top, bottom, left, right = pads
        xp = fpad.pad(x, (left, right, top, bottom), mode=padding_mode, value=value)
    else:
        xp = pad(x, pads, padding_mode)
    from cnncalc.engine import fastconv

    per_group = weight.shape[0] // groups
    cg = channels // groups
    with np.errstate(over="ignore", invalid="ignore"):
        parts = []
        for g in range(groups):
            xg = xp[g * cg : (g + 1) * cg] if groups > 1 else xp
            wg = weight[g * per_group : (g + 1) * per_group] if groups > 1 else weight
            if method == "auto" and fastconv.use_fft(kernel_hw, stride_p):
                parts.append(fastconv.correlate_fft(xg, wg, dilation_p, out_hw))
            else:
                parts.append(fastconv.correlate(xg, np.ascontiguousarray(wg), stride_p, dilation_p, out_hw))
        out = parts[0] if groups == 1 else np.concatenate(parts)
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
    if any(out[a] < 1 and dilation[a] > 1 for a in (0, 1)):  # dilation=1e9: named, no negative size
        raise ParameterError(
            "param.pool_window_too_large",
            size=_pair_text(size),
            dilation=_pair_text(dilation),
            extent=_shape_text(tuple(dilation[a] * (size[a] - 1) + 1 for a in (0, 1))),
            padded=_shape_text(tuple(in_hw[a] + 2 * padding[a] for a in (0, 1))),
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
