"""The worked computation of one output cell, as the course notes walk through cell (1, 1).

The receptive field is cut from the (padded) image, multiplied cell by cell
with the kernel, the products are added, the sum is divided by the number of
kernel cells when ``norm="mean"``, and the bias is added.

>>> x = np.array([[1., -1., -1.], [-1., 1., -1.], [-1., -1., 1.]])
>>> e = explain_cell(x, x, row=1, col=1, norm="mean")
>>> e.products[0].tolist(), e.sum, e.divisor, round(e.value, 4)
([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], 9.0, 9, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cnncalc.engine import ops
from cnncalc.engine.padding import pad
from cnncalc.errors import ParameterError


@dataclass
class Explanation:
    """One output cell, step by step. ``row``/``col``/``map`` are 1-based;
    ``rows``/``cols`` are the 0-based rows and columns of the padded image
    that the kernel's taps touch; arrays are (C, kh, kw)."""

    row: int
    col: int
    map: int
    maps: int
    padded: np.ndarray
    pads: tuple[int, int, int, int]
    padding_mode: str
    rows: np.ndarray
    cols: np.ndarray
    window: np.ndarray
    kernel: np.ndarray
    products: np.ndarray
    sum: float
    divisor: int
    bias: float
    value: float
    flip: bool = False
    first_channel: int = 1  # the 1-based input channel of window[0] (a group's first, with groups)

    def _repr_markdown_(self) -> str:
        """Jupyter shows the result as the CLI's ``--format markdown`` does."""
        from cnncalc import _markdown_of

        return _markdown_of(self)

    @property
    def channels(self) -> int:
        return int(self.window.shape[0])

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md's shape: row, col (1-based), window, kernel, products, sum, value.

        Arrays are 2-D for a one-channel image, (C, kh, kw) otherwise.
        """

        def arr(a: np.ndarray) -> Any:
            return a[0] if a.shape[0] == 1 else a

        return {
            "row": self.row,
            "col": self.col,
            "window": arr(self.window),
            "kernel": arr(self.kernel),
            "products": arr(self.products),
            "sum": self.sum,
            "value": self.value,
        }


def parse_at(text: str) -> tuple[int, int]:
    """``"ROW,COL"`` (1-based) to a pair; also ``ROW COL``, ``(ROW, COL)`` and
    full-width ``（１，２）`` as a Chinese keyboard types it.

    >>> parse_at("1,1"), parse_at(" (3, 4) "), parse_at("（１，２）")
    ((1, 1), (3, 4), (1, 2))
    """
    import unicodedata

    cleaned = unicodedata.normalize("NFKC", str(text))
    parts = [p for p in cleaned.strip().strip("()").replace(",", " ").split() if p]
    try:
        if len(parts) != 2:
            raise ValueError
        row, col = int(parts[0]), int(parts[1])
    except ValueError:
        raise ParameterError("explain.at_format", value=text) from None
    return row, col


def explain_cell(
    image: np.ndarray,
    kernel: np.ndarray,
    *,
    row: int,
    col: int,
    map: int = 1,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    padding_mode: str = "zeros",
    norm: str = "sum",
    bias: Any = 0.0,
    flip: bool = False,
    groups: int = 1,
    padding_value: float = 0.0,
) -> Explanation:
    """Explain output cell (``row``, ``col``) (1-based) of filter ``map`` of ``conv2d``.

    The options are ``ops.conv2d``'s. A row or column outside the output raises
    ``ParameterError`` naming ``--at`` and the output's shape.

    Notes
    -----
    Computes the whole output once (to validate the options exactly as
    ``conv`` does), then only the C·kh·kw products of the one window.

    Examples
    --------
    >>> e = explain_cell(np.arange(9.).reshape(3, 3), np.ones((2, 2)), row=2, col=2, padding=1)
    >>> e.window[0].tolist(), e.sum
    ([[0.0, 1.0], [3.0, 4.0]], 8.0)
    """
    conv = {"stride": stride, "padding": padding, "dilation": dilation, "padding_mode": padding_mode,
            "norm": norm, "bias": bias, "flip": flip, "groups": groups, "padding_value": padding_value}
    for name, given in (("row", row), ("col", col), ("map", map)):
        if isinstance(given, (bool, np.bool_)) or not isinstance(given, (int, np.integer)):
            raise ParameterError("param.int_or_pair", parameter=name, value=given)
    full = ops.conv2d(image, kernel, **conv)
    x = ops._as_image(image)
    weight, _ = ops._as_weight(kernel, x.shape[0], groups)
    maps3 = full.reshape(-1, *full.shape[-2:])
    if not 1 <= map <= weight.shape[0]:
        raise ParameterError("explain.map_range", maps=weight.shape[0], value=map)
    ho, wo = maps3.shape[-2:]
    if not (1 <= row <= ho and 1 <= col <= wo):
        raise ParameterError(
            "explain.at_range", row=row, col=col, rows=ho, cols=wo, shape=f"{ho}×{wo}"
        )
    s = ops.as_pair(stride, "stride")
    d = ops.as_pair(dilation, "dilation")
    kh, kw = weight.shape[2:]
    pads = ops._resolve_pads(padding, (kh, kw), d, s)
    top, bottom, left, right = pads
    fill = padding_value if padding_mode == "constant" else 0.0
    mode = "constant" if padding_mode in ("zeros", "constant") else padding_mode
    padded = pad(x, (left, right, top, bottom), mode=mode, value=fill)
    # with groups, filter ``map`` sees only its group's channels
    per_group, cg = weight.shape[0] // groups, weight.shape[1]
    first = (map - 1) // per_group * cg
    padded = padded[first : first + cg]
    k = weight[map - 1]
    if flip:
        k = k[:, ::-1, ::-1]
    rows = (row - 1) * s[0] + d[0] * np.arange(kh)
    cols = (col - 1) * s[1] + d[1] * np.arange(kw)
    window = padded[:, rows[:, None], cols[None, :]]
    with np.errstate(over="ignore", invalid="ignore"):
        products = window * k
        total = float(np.sum(products))
    ops.finite_result(products, "conv2d")
    divisor = int(weight.shape[1] * kh * kw) if norm == "mean" else 1
    b = np.asarray(bias, dtype=np.float64).reshape(-1)
    bias_value = float(b[map - 1] if b.size > 1 else b[0])
    value = total / divisor + bias_value
    return Explanation(
        row=row,
        col=col,
        map=map,
        maps=int(weight.shape[0]),
        padded=padded,
        pads=pads,
        padding_mode=padding_mode,
        rows=rows,
        cols=cols,
        window=np.ascontiguousarray(window),
        kernel=np.ascontiguousarray(k),
        products=products,
        sum=total,
        divisor=divisor,
        bias=bias_value,
        value=value,
        flip=flip,
        first_channel=first + 1,
    )


def number_text(value: float, precision: int = 2, mode: str = "half-even") -> str:
    """Whole numbers as integers (7, -1), others at ``precision`` decimals.

    >>> number_text(7.0), number_text(7 / 9), number_text(-0.0)
    ('7', '0.78', '0')
    """
    from cnncalc.numfmt import format_value, snap

    v = float(snap(value))
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v)) if v != 0 else "0"
    return format_value(v, precision, mode)


def sum_expression(products: np.ndarray, precision: int = 2, mode: str = "half-even", limit: int = 27) -> str | None:
    """``1 + 1 - 1 + ...`` for up to ``limit`` products, else None.

    >>> sum_expression(np.array([[1., -1.], [0.5, 2.]]))
    '1 - 1 + 0.50 + 2'
    """
    flat = np.asarray(products).reshape(-1).tolist()
    if len(flat) > limit:
        return None
    out = ""
    for i, v in enumerate(flat):
        t = number_text(v, precision, mode)
        if i == 0:
            out = t
        elif t.startswith("-"):
            out += " - " + t[1:]
        else:
            out += " + " + t
    return out
