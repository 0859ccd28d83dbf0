"""Commands that compute one map: ``conv``, ``pool``, ``relu``."""

from __future__ import annotations

from typing import Any

import click

from cnncalc.cli.base import POOL_KINDS
from cnncalc.cli.group import cli
from cnncalc.cli.options import (
    PairType,
    _input,
    apply_post,
    conv_kwargs,
    conv_options,
    emit_maps,
    load_matrix,
    output_options,
    post_options,
)


@cli.command()
@_input("image")
@_input("kernel")
@conv_options
@post_options
@output_options
def conv(image: str, kernel: str, relu: bool, pool: tuple | None, **options: Any) -> None:
    """Convolve IMAGE with KERNEL (cross-correlation, as torch's conv2d).

    IMAGE with C blocks is C channels. KERNEL with M blocks is M filters for a
    one-channel image, or one filter across the channels when M == C; .npy and
    .json may hold a full (out, in, kH, kW) weight.

    \b
    Example (the sample's X with its first feature):
      cnncalc conv samples/xo/x.txt samples/xo/k1.txt --norm mean
    """
    from cnncalc.engine import ops

    x = load_matrix(image)
    k = load_matrix(kernel)
    result = ops.conv2d(x, k, **conv_kwargs(options))
    result = apply_post(result, relu, pool)
    emit_maps(result, **_render_kwargs(options))


def _render_kwargs(options: dict[str, Any]) -> dict[str, Any]:
    return {k: options[k] for k in ("fmt", "precision", "round_mode", "output", "no_color")}


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
