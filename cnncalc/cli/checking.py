"""Commands that check and explain: ``check``, ``explain``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cnncalc.cli.base import STATE
from cnncalc.cli.group import cli
from cnncalc.cli.options import (
    _input,
    _picture_target,
    _picture_written,
    conv_command_options,
    conv_kwargs,
    conv_options,
    load_matrix,
    output_options,
    post_options,
    read_stdin_text,
    resolve_format,
    write_result,
)
from cnncalc.errors import CnncalcError

CHECK_FORMATS = ("table", "plain", "json", "markdown")
_SETTING_PARAMS = ("stride", "padding", "dilation", "padding_mode", "norm", "bias", "flip", "relu", "pool")


def _check_format(options: dict[str, Any]) -> str:
    return resolve_format(options["fmt"], options["output"], CHECK_FORMATS)


def _emit_sections(sections: list, fmt: str, options: dict[str, Any], json_obj: Any = None) -> None:
    from cnncalc.check import report as checkreport

    if fmt == "json":
        from cnncalc.formats import json_text

        write_result(json_text(json_obj), options["output"])
        return

    def draw(file: Any, no_color: bool) -> None:
        from cnncalc.show.checktables import print_sections

        print_sections(sections, no_color=no_color, file=file, lang=STATE.lang)

    if fmt != "table":
        render = checkreport.render_markdown if fmt == "markdown" else checkreport.render_plain
        write_result(render(sections), options["output"])
    elif options["output"] is None:
        draw(file=None, no_color=options["no_color"])
    else:
        import io

        buf = io.StringIO()
        draw(file=buf, no_color=True)
        write_result(buf.getvalue(), options["output"])


@cli.command()
@click.argument("answer", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
@click.option("--image", type=click.Path(dir_okay=False, allow_dash=True, path_type=str), default=None,
              help="The image the answer was computed from (with --kernel).")
@click.option("--kernel", type=click.Path(dir_okay=False, allow_dash=True, path_type=str), default=None,
              help="The kernel (with --image).")
@click.option("--expected", "expected_path", type=click.Path(dir_okay=False, path_type=str), default=None,
              metavar="KEY", help="An answer key: block i of ANSWER is checked against block i of KEY.")
@click.option("--assignment", "assignment_path", type=click.Path(dir_okay=False, path_type=str),
              default=None, metavar="FILE", help="An assignment TOML file; ANSWER's blocks in problem order.")
@conv_options
@post_options
@click.option("--decimals", type=click.IntRange(0, 15), default=None,
              help="Fewest decimals a non-exact value may have (default 2, or the file's).")
@click.option("--atol", type=click.FloatRange(min=0), default=None,
              help="Absolute tolerance: numpy's isclose rule instead of the decimals policy.")
@click.option("--rtol", type=click.FloatRange(min=0), default=None,
              help="Relative tolerance (with or without --atol).")
@click.option("--explain", "explain_n", type=click.IntRange(min=0), default=0, metavar="N",
              help="Add the worked computation of the first N wrong cells of each answer.")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Also draw the answer with wrong cells outlined in red (several answers: "
              "FILE-1.png, FILE-2.png, ...). Needs Pillow.")
@output_options(formats=CHECK_FORMATS)
@click.pass_context
def check(ctx: click.Context, answer: str, image: str | None, kernel: str | None,
          expected_path: str | None, assignment_path: str | None, relu: bool, pool: tuple | None,
          decimals: int | None, atol: float | None, rtol: float | None, explain_n: int,
          png: Path | None, **options: Any) -> None:
    """Check a hand-computed ANSWER cell by cell and say why wrong cells are wrong.

    ANSWER is a problem file (image, kernel, '=', answer; '# cnncalc:' directives
    set options, the command line overrides them), or a matrix file checked
    against --image/--kernel, --expected KEY or --assignment FILE. A cell is
    right when it equals the exact value rounded (half-up or half-even) or
    truncated to the decimals written; exact values need none ("1" for 1.00).
    Exit code 0: all right; 1: something wrong; 2: bad input.

    \b
    Example (the course notes' homework, with its dropped minus signs):
      cnncalc check samples/xo/homework.txt --norm mean
    """
    from click.core import ParameterSource

    from cnncalc.check.assignment import Settings
    from cnncalc.check.checker import run_check
    from cnncalc.check.report import check_json, check_sections

    fmt = _check_format(options)
    for name, tol in (("--atol", atol), ("--rtol", rtol)):
        if tol is not None and not tol < float("inf"):  # nan or inf: no tolerance at all
            raise CnncalcError("check.setting_number", parameter=name, value=tol)
    if png is not None:
        png = _picture_target(png, ".png", "--png")
    given = {
        name for name in _SETTING_PARAMS
        if ctx.get_parameter_source(name) in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)
    }
    if (image is None) != (kernel is None):
        raise CnncalcError("check.image_and_kernel")
    if sum(x is not None for x in (image, expected_path, assignment_path)) > 1:
        raise CnncalcError("check.one_source")
    if given and (expected_path or assignment_path):
        raise CnncalcError(
            "check.options_need_conv", options=", ".join("--" + g.replace("_", "-") for g in sorted(given))
        )
    overrides = Settings(conv_kwargs(options), relu, pool)
    items, notes = run_check(
        answer,
        answer_text=read_stdin_text() if answer == "-" else None,
        image=load_matrix(image) if image else None,
        kernel=load_matrix(kernel) if kernel else None,
        expected=expected_path,
        assignment=assignment_path,
        overrides=overrides,
        given=given if image is None else set(_SETTING_PARAMS),
        decimals=decimals,
        atol=atol,
        rtol=rtol,
        explain=explain_n,
        lang=STATE.lang,
    )
    sections = check_sections(
        items, lang=STATE.lang, precision=options["precision"], mode=options["round_mode"], notes=notes
    )
    _emit_sections(sections, fmt, options, check_json(items, explain=explain_n > 0, lang=STATE.lang))
    if png is not None:  # pictures: see the picture commands below
        from cnncalc.draw.heatmap import check_pngs

        for info in check_pngs(png, items, precision=options["precision"],
                               mode=options["round_mode"], lang=STATE.lang):
            _picture_written(info)
    if not all(i.result.correct for i in items):
        raise click.exceptions.Exit(1)


@cli.command()
@_input("image")
@_input("kernel")
@click.option("--at", "at", required=True, metavar="ROW,COL", help="The output cell, 1-based (e.g. 1,1).")
@click.option("--map", "map_index", type=click.IntRange(min=1), default=1, show_default=True,
              help="Which filter, when KERNEL holds several.")
@conv_command_options
@output_options(formats=CHECK_FORMATS)
def explain(image: str, kernel: str, at: str, map_index: int, groups: int, padding_value: float,
            **options: Any) -> None:
    """Show how one output cell of conv IMAGE KERNEL is computed.

    The receptive field is highlighted in the (padded) image, then come the
    kernel, the element-wise products, their sum, the normalization and the
    value, as the course notes walk through cell (1, 1).

    \b
    Example:
      cnncalc explain samples/xo/x.txt samples/xo/k1.txt --at 1,1 --norm mean
    """
    from cnncalc.check.report import explain_sections
    from cnncalc.check.worked import explain_cell, parse_at

    fmt = _check_format(options)
    row, col = parse_at(at)
    from cnncalc.net.pipeline import conv_weight

    x = load_matrix(image)
    k = conv_weight(load_matrix(kernel), x.shape[-3] if x.ndim >= 3 else 1, groups)
    e = explain_cell(x, k, row=row, col=col, map=map_index, groups=groups, padding_value=padding_value,
                     **conv_kwargs(options))
    sections = explain_sections(e, lang=STATE.lang, precision=options["precision"], mode=options["round_mode"])
    _emit_sections(sections, fmt, options, e.to_json())
