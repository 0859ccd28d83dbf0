"""Commands that draw: ``draw``, ``animate``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from cnncalc.cli.base import ROUND_MODES, STATE
from cnncalc.cli.group import cli
from cnncalc.cli.options import (
    PairType,
    _input,
    _picture_target,
    _picture_written,
    conv_kwargs,
    conv_options,
    lang_option,
    load_matrix,
)


def _animate_transposed(target: Path, image: str, kernel: str, options: dict[str, Any], output_padding: Any,
                        map_index: int, **picture: Any) -> None:
    """``animate --transposed``: the stride-1 convolution of the spread input that
    equals one map of ``conv-transpose`` (as the convolution-arithmetic figures draw it)."""
    import numpy as np

    from cnncalc.draw.heatmap import animate_conv
    from cnncalc.engine import transpose
    from cnncalc.errors import ParameterError
    from cnncalc.net.newstages import transpose_weight

    padding = options["padding"]
    if isinstance(padding, str) or options["padding_mode"] != "zeros" or options["norm"] != "sum" \
            or options["flip"]:
        raise ParameterError("pictures.transposed_options")
    x = load_matrix(image)
    x3 = x[None] if x.ndim == 2 else x
    w = transpose_weight(load_matrix(kernel), x3.shape[0])
    spread, k = transpose.spread_convolution(x3, w, map=map_index, stride=options["stride"], padding=padding,
                                             output_padding=output_padding, dilation=options["dilation"])
    bias = np.asarray(options["bias"], dtype=np.float64).reshape(-1)
    b = float(bias[0] if bias.size == 1 else bias[map_index - 1]) if bias.size else 0.0
    _picture_written(animate_conv(target, spread if spread.shape[0] > 1 else spread[0],
                                  k if k.shape[0] > 1 else k[0], dilation=options["dilation"], bias=b,
                                  **picture), frames_dir=picture.get("frames_dir"))


def picture_options(f: Callable) -> Callable:
    """-o (required), --precision, --round, --title and --lang of draw and animate."""
    options = [
        click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            required=True,
            help="The picture to write.",
        ),
        click.option("--precision", type=click.IntRange(0, 15), default=2, show_default=True,
                     help="Decimals written in the cells."),
        click.option("--round", "round_mode", type=click.Choice(ROUND_MODES), default="half-even",
                     show_default=True, help="How to cut the decimals."),
        click.option("--title", default=None, help="The title written above the picture."),
        lang_option,
    ]
    for option in reversed(options):
        f = option(f)  # type: ignore[assignment, arg-type]
    return f


@cli.command()
@_input("input")
@picture_options
@click.option("--columns", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Maps per row before wrapping.")
def draw(input: str, output: Path, precision: int, round_mode: str, title: str | None,
         columns: int) -> None:
    """Draw the maps of INPUT as a PNG heat map (-o map.png).

    Several blocks (channels, filters' maps) are drawn side by side on one
    diverging scale: negative blue, positive red, zero white. Each cell holds
    its value at --precision; rows and columns are labelled from 1. Big maps
    get smaller cells, without numbers once they no longer fit. Needs Pillow
    (pip install "cnncalc[images]").

    \b
    Example (a conv result, piped):
      cnncalc conv samples/xo/x.txt samples/xo/k1.txt --norm mean --format plain | cnncalc draw - -o map.png
    """
    from cnncalc.draw.heatmap import draw_maps

    target = _picture_target(output, ".png")
    array = load_matrix(input)
    if title is None:
        title = "stdin" if input == "-" else Path(input).name
    info = draw_maps(target, array, precision=precision, mode=round_mode, title=title,
                     columns=columns, lang=STATE.lang)
    _picture_written(info)


@cli.command()
@_input("image")
@_input("kernel")
@conv_options
@picture_options
@click.option("--fps", type=click.FloatRange(0.1, 50), default=2.0, show_default=True,
              help="Frames per second (the last frame stays at least 2 s).")
@click.option("--frames", "frames_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, metavar="DIR", help="Also write every frame as DIR/frame-0001.png, ...")
@click.option("--map", "map_index", type=click.IntRange(min=1), default=1, show_default=True,
              help="Which filter to animate, when KERNEL holds several.")
@click.option("--transposed", is_flag=True,
              help="Animate conv-transpose: the input spread by the stride, the kernel rotated.")
@click.option("--output-padding", type=PairType(0), default="0",
              help="With --transposed: extra rows/columns at the bottom/right (default 0).")
def animate(image: str, kernel: str, output: Path, precision: int, round_mode: str,
            title: str | None, fps: float, frames_dir: Path | None, map_index: int,
            transposed: bool, output_padding: Any, **options: Any) -> None:
    """Animate the kernel sliding over the image as a GIF (-o conv.gif).

    One frame per output cell: the (padded) input with the sampled cells
    outlined (a dilated window shows its gaps), the kernel, the products,
    their sum (and the mean and bias when used), and the output map filling
    in; a last frame holds the full map, so the GIF has (output cells + 1)
    frames. A multi-channel image shows every channel and sums over them; a
    bank of filters animates one (--map). At most 2,500 frames and a padded
    input of 100 cells a side. Needs Pillow (pip install "cnncalc[images]").

    \b
    Example (the course notes' X, its first feature, averaged):
      cnncalc animate samples/xo/x.txt samples/xo/k1.txt --norm mean -o conv.gif
    """
    from cnncalc.draw.heatmap import animate_conv

    target = _picture_target(output, ".gif")
    if transposed:
        _animate_transposed(target, image, kernel, options, output_padding, map_index,
                            fps=fps, frames_dir=frames_dir, precision=precision, mode=round_mode,
                            lang=STATE.lang, title=title)
        return
    info = animate_conv(
        target,
        load_matrix(image),
        load_matrix(kernel),
        **conv_kwargs(options),
        map=map_index,
        fps=fps,
        frames_dir=frames_dir,
        precision=precision,
        mode=round_mode,
        lang=STATE.lang,
        title=title,
    )
    _picture_written(info, frames_dir=frames_dir)
