"""Commands that compute one map: ``conv``, ``pool``, ``relu``."""

from __future__ import annotations

from typing import Any

import click

from cnncalc.cli.base import POOL_KINDS
from cnncalc.cli.group import cli
from cnncalc.cli.options import (
    BiasType,
    PairType,
    _input,
    apply_post,
    conv_command_options,
    conv_kwargs,
    emit_maps,
    load_matrix,
    output_options,
    post_options,
)


@cli.command()
@_input("image")
@_input("kernel")
@conv_command_options
@post_options
@output_options
def conv(image: str, kernel: str, relu: bool, pool: tuple | None, groups: int, padding_value: float,
         **options: Any) -> None:
    """Convolve IMAGE with KERNEL (cross-correlation, as torch's conv2d).

    IMAGE with C blocks is C channels. KERNEL with M blocks is M filters for a
    one-channel image, one filter across the channels when M == C, M/C filters
    of C blocks each when C divides M, and with --groups G filters of C/G
    blocks each; .npy and .json may hold a full (out, in/groups, kH, kW) weight.

    \b
    Example (the sample's X with its first feature):
      cnncalc conv samples/xo/x.txt samples/xo/k1.txt --norm mean
    """
    from cnncalc.engine import ops
    from cnncalc.net.pipeline import conv_weight

    x = load_matrix(image)
    k = conv_weight(load_matrix(kernel), x.shape[-3] if x.ndim >= 3 else 1, groups)
    result = ops.conv2d(x, k, groups=groups, padding_value=padding_value, **conv_kwargs(options))
    result = apply_post(result, relu, pool)
    emit_maps(result, **_render_kwargs(options))


@cli.command("conv-transpose")
@_input("image")
@_input("kernel")
@click.option("--stride", type=PairType(1), default="1", help="INT or H,W (default 1).")
@click.option("--padding", type=PairType(0), default="0", help="Cut from each border: INT or H,W (default 0).")
@click.option("--output-padding", type=PairType(0), default="0",
              help="Extra rows/columns at the bottom/right, below max(stride, dilation) (default 0).")
@click.option("--dilation", type=PairType(1), default="1", help="INT or H,W (default 1).")
@click.option("--groups", type=click.IntRange(min=1), default=1, show_default=True,
              help="Split the input channels and the output channels into groups.")
@click.option("--bias", type=BiasType(), default="0",
              help="A number or a file with one value per output channel.")
@click.option("--explain", "explain_at", default=None, metavar="ROW,COL",
              help="List the input cells and kernel taps that reach output cell ROW,COL (1-based).")
@click.option("--map", "map_index", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --explain: which output channel.")
@post_options
@output_options
def conv_transpose(image: str, kernel: str, stride: Any, padding: Any, output_padding: Any, dilation: Any,
                   groups: int, bias: Any, explain_at: str | None, map_index: int, relu: bool,
                   pool: tuple | None, **options: Any) -> None:
    """Transposed convolution of IMAGE with KERNEL (as torch's conv_transpose2d).

    Each input cell stamps the kernel, scaled by its value, into the output at
    stride steps; overlaps add; --padding cuts that many rows and columns from
    each border. KERNEL with M blocks on C input channels is M/C output
    channels per input channel (channel by channel); .npy and .json may hold
    the full (in, out/groups, kH, kW) weight.

    \b
    Example (each cell of the 2×2 input stamps the kernel into its own 2×2 block):
      cnncalc conv-transpose samples/transpose/x.txt samples/transpose/k.txt --stride 2
    """
    import numpy as np

    from cnncalc.engine import transpose
    from cnncalc.net.newstages import transpose_weight

    x = load_matrix(image)
    flat = x.ndim == 2
    x3 = x[None] if flat else x
    w = transpose_weight(load_matrix(kernel), x3.shape[-3])
    out_channels = w.shape[1] * groups if w.ndim == 4 else 1
    b = np.asarray(bias, dtype=np.float64).reshape(-1)
    bias_v = None if not b.any() else (np.full(out_channels, b[0]) if b.size == 1 else b)
    geometry = {"stride": stride, "padding": padding, "output_padding": output_padding,
                "dilation": dilation, "groups": groups}
    if explain_at is not None:
        from cnncalc.check.worked import parse_at

        row, col = parse_at(explain_at)
        parts, added, value = transpose.cell_contributions(x3, w, bias_v, row=row, col=col, map=map_index,
                                                           **geometry)
        _emit_contributions(parts, added, value, row, col, map_index, x3.shape[0] > 1, options)
        return
    result = transpose.conv_transpose2d(x3, w, bias_v, **geometry)
    if flat and result.shape[0] == 1:
        result = result[0]
    result = apply_post(result, relu, pool)
    emit_maps(result, **_render_kwargs(options))


def _render_kwargs(options: dict[str, Any]) -> dict[str, Any]:
    return {k: options[k] for k in ("fmt", "precision", "round_mode", "output", "no_color")}


def _emit_contributions(parts: list, added: float, value: float, row: int, col: int, map_index: int,
                        channels: bool, options: dict[str, Any]) -> None:
    """``conv-transpose --explain``: one line per input cell and tap, then the sum and value."""
    from cnncalc.cli.base import say
    from cnncalc.cli.options import resolve_format, write_result
    from cnncalc.numfmt import format_value

    if resolve_format(options["fmt"], options["output"]) == "json":
        from cnncalc.formats import json_text

        doc = {"row": row, "col": col, "map": map_index, "contributions": [p._asdict() for p in parts],
               "bias": added, "value": value}
        write_result(json_text(doc), options["output"])
        return

    def num(v: float) -> str:
        return format_value(v, options["precision"], options["round_mode"])

    lines = [say("transpose.explain_head", row=row, col=col, map=map_index, count=len(parts))]
    for p in parts:
        where = say("transpose.explain_channel", channel=p.channel) if channels else ""
        lines.append(say("transpose.explain_line", where=where, row=p.row, col=p.col, tap_row=p.tap_row,
                         tap_col=p.tap_col, value=num(p.value), weight=num(p.weight), product=num(p.product)))
    total = value - added
    lines.append(say("transpose.explain_sum", sum=num(total)))
    if added:
        lines.append(say("transpose.explain_bias", bias=num(added)))
    lines.append(say("transpose.explain_value", value=num(value)))
    if options["output"] is None and resolve_format(options["fmt"], None) == "table":
        from cnncalc.show.console import print_lines

        print_lines(lines, no_color=options["no_color"])  # wrapped to the terminal, numbers whole
        return
    write_result("\n".join(lines) + "\n", options["output"])


@cli.command()
@_input("input")
@click.option("--kind", type=click.Choice(POOL_KINDS + ("avg",)), required=True)
@click.option("--size", type=PairType(1), required=True, help="Window size: INT or H,W.")
@click.option("--stride", type=PairType(1), default=None, help="Default: the size.")
@click.option("--padding", type=PairType(0), default="0", help="At most size // 2.")
@click.option("--dilation", type=PairType(1), default="1", help="Max pooling only.")
@click.option("--ceil-mode", is_flag=True, help="Round the output size up (PyTorch's rule).")
@click.option(
    "--count-include-pad/--no-count-include-pad",
    default=True,
    show_default=True,
    help="Mean pooling: count padded cells in the divisor.",
)
@output_options
def pool(
    input: str,
    kind: str,
    size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: bool,
    count_include_pad: bool,
    **options: Any,
) -> None:
    """Pool INPUT with max, mean or sum windows (as torch's max_pool2d/avg_pool2d).

    \b
    Example:
      cnncalc pool samples/xo/x.txt --kind max --size 2
    """
    from cnncalc.engine import ops

    result = ops.pool2d(
        load_matrix(input),
        kind=kind,
        size=size,
        stride=stride,
        padding=padding,
        dilation=dilation,
        ceil_mode=ceil_mode,
        count_include_pad=count_include_pad,
    )
    emit_maps(result, **_render_kwargs(options))


@cli.command()
@_input("input")
@output_options
def relu(input: str, **options: Any) -> None:
    """Set the negative cells of INPUT to 0 (ReLU).

    \b
    Example:
      cnncalc conv samples/xo/x.txt samples/xo/k1.txt --norm mean --format plain | cnncalc relu -
    """
    from cnncalc.engine import ops

    emit_maps(ops.relu(load_matrix(input)), **_render_kwargs(options))
