"""Shared options and parameter types: formats, conv settings, inputs, writing results."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from cnncalc import messages
from cnncalc.cli.base import FORMATS, PADDING_MODES, POOL_KINDS, ROUND_MODES, STATE, say
from cnncalc.errors import CnncalcError

# --------------------------------------------------------------------------- parameter types


class PairType(click.ParamType):
    """An int or ``H,W`` pair; ``minimum`` is 1 (stride, dilation) or 0 (padding)."""

    name = "INT|H,W"

    def __init__(self, minimum: int = 1, words: tuple[str, ...] = ()) -> None:
        self.minimum = minimum
        self.words = words

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, (tuple, int)):
            return value
        text = str(value).strip().lower()
        if text in self.words:
            return text
        from cnncalc.engine.ops import as_pair

        name = param.name if param is not None and param.name else "value"
        try:
            return as_pair(text, name, minimum=self.minimum)
        except CnncalcError as exc:
            self.fail(exc.message(STATE.lang), param, ctx)


class PadsType(PairType):
    """``PairType`` that also takes four values ``L,R,T,B`` (F.pad's order; negative crops)."""

    name = "INT|H,W|L,R,T,B"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.count(",") == 3:
            from cnncalc.engine.padding import as_pads

            try:
                return as_pads(value.strip(), "padding")
            except CnncalcError as exc:
                self.fail(exc.message(STATE.lang), param, ctx)
        if isinstance(value, str) and value.count(",") >= 2:  # neither a pair nor four pads
            self.fail(say("param.int_pair_or_pads", parameter="padding", value=value.strip()), param, ctx)
        return super().convert(value, param, ctx)


class PoolSpecType(click.ParamType):
    """``KIND:SIZE[:STRIDE]``, e.g. ``max:2`` or ``mean:3:1``."""

    name = "KIND:SIZE[:STRIDE]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        from cnncalc.engine.ops import as_pair

        parts = str(value).split(":")
        kind = parts[0].strip().lower()
        kind = {"avg": "mean", "average": "mean"}.get(kind, kind)
        try:
            if kind not in POOL_KINDS or len(parts) not in (2, 3):
                raise ValueError
            size = as_pair(parts[1], "size")
            stride = as_pair(parts[2], "stride") if len(parts) == 3 else None
        except (ValueError, CnncalcError):
            self.fail(say("cli.pool_spec", value=value), param, ctx)
        return kind, size, stride


class BiasType(click.ParamType):
    """A number, or a matrix file holding one value per filter."""

    name = "NUMBER|FILE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return float(value)
        except ValueError:
            pass
        try:
            return load_matrix(value).reshape(-1)
        except CnncalcError as exc:  # names the option as well as the file
            self.fail(exc.message(STATE.lang), param, ctx)


# --------------------------------------------------------------------------- shared helpers


def load_matrix(path: str | Path) -> Any:
    """Read a matrix file, or stdin for ``-``."""
    from cnncalc import read

    if str(path) == "-":
        return read.read_text_matrix(read_stdin_text(), source="<stdin>")
    return read.read_matrix(path)


def read_stdin_text() -> str:
    """All of stdin, decoded like a file (UTF-8, BOM, GB18030, UTF-16)."""
    from cnncalc.read import decode_bytes

    if STATE.stdin_read:
        raise CnncalcError("cli.stdin_twice")
    STATE.stdin_read = True
    from cnncalc.errors import MatrixFormatError
    from cnncalc.read.files import MAX_INPUT_BYTES

    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return sys.stdin.read()
    data = buffer.read(MAX_INPUT_BYTES + 1)  # `cat /dev/zero | cnncalc relu -` ends here
    if len(data) > MAX_INPUT_BYTES:
        raise MatrixFormatError(
            "read.too_large", file="<stdin>", size=f"more than {MAX_INPUT_BYTES:,}", limit=MAX_INPUT_BYTES,
            mib=f"{MAX_INPUT_BYTES / 2**20:g}",
        )
    return decode_bytes(data, "<stdin>")


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    if value:
        STATE.lang = value
    return STATE.lang


def lang_option(f: Callable) -> Callable:
    return click.option(
        "--lang",
        type=click.Choice(messages.LANGS),
        default=None,
        is_eager=True,
        expose_value=False,
        callback=_set_lang,
        help="Language of messages: en or zh (default from LANGUAGE, LC_ALL, LC_MESSAGES or LANG).",
    )(f)


def output_options(
    f: Callable | None = None,
    *,
    formats: tuple[str, ...] = FORMATS,
    precision: int | None = 2,
) -> Callable:
    """--format, --precision, --round, -o, --no-color and --lang, shared by every
    computing command. ``formats`` are the ones the command writes (its --help
    lists exactly those); ``precision=None`` for a command that shows no decimals:
    its --precision and --round are hidden and do nothing (kept for one release)."""
    if f is None:
        return functools.partial(output_options, formats=formats, precision=precision)
    options = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(formats),
            default=None,
            help="Output format (default: table on a terminal, plain when piped, "
            "or from the -o suffix).",
        ),
        click.option(
            "--precision",
            type=click.IntRange(0, 15),
            default=2 if precision is None else precision,
            show_default=True,
            hidden=precision is None,
            help="Decimals shown.",
        ),
        click.option(
            "--round",
            "round_mode",
            type=click.Choice(ROUND_MODES),
            default="half-even",
            show_default=True,
            hidden=precision is None,
            help="How to cut the decimals; truncate writes 7/9 as 0.77.",
        ),
        click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Write to FILE (atomically) instead of stdout.",
        ),
        click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too)."),
        lang_option,
    ]
    for option in reversed(options):
        f = option(f)  # type: ignore[assignment, arg-type]
    return f


def conv_options(f: Callable) -> Callable:
    """The options of ``torch.nn.Conv2d`` plus ``--norm``, ``--bias``, ``--flip``."""
    options = [
        click.option("--stride", type=PairType(1), default="1", help="INT or H,W (default 1)."),
        click.option(
            "--padding",
            type=PairType(0, ("same", "valid")),
            default="0",
            help="INT, H,W, same (stride 1) or valid (default 0).",
        ),
        click.option("--dilation", type=PairType(1), default="1", help="INT or H,W (default 1)."),
        click.option(
            "--padding-mode",
            type=click.Choice(PADDING_MODES),
            default="zeros",
            show_default=True,
        ),
        click.option(
            "--norm",
            type=click.Choice(("sum", "mean")),
            default="sum",
            show_default=True,
            help="sum as nn.Conv2d, or mean: divide by the filter's cells (C·kh·kw).",
        ),
        click.option(
            "--bias",
            type=BiasType(),
            default="0",
            help="Added after normalisation: a number or a file with one value per filter.",
        ),
        click.option("--flip", is_flag=True, help="Flip the kernel: true convolution."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def conv_command_options(f: Callable) -> Callable:
    """``conv_options`` for the ``conv`` command, with four pads (L,R,T,B), the
    constant padding mode and its value, and ``--groups``."""
    f = conv_options(f)
    for param in getattr(f, "__click_params__", []):
        if param.name == "padding":
            param.type = PadsType(0, ("same", "valid"))
            param.help = "INT, H,W, L,R,T,B (as F.pad), same (stride 1) or valid (default 0)."
        if param.name == "padding_mode":
            param.type = click.Choice(PADDING_MODES + ("constant",))
    f = click.option("--padding-value", type=float, default=0.0, show_default=True,
                     help="The fill of --padding-mode constant.")(f)
    f = click.option("--groups", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Split channels and filters into groups (groups = C: depthwise).")(f)
    return f


def post_options(f: Callable) -> Callable:
    """``--relu`` and ``--pool KIND:SIZE[:STRIDE]`` applied after a convolution."""
    f = click.option(
        "--pool", type=PoolSpecType(), default=None, help="Pool after the conv: KIND:SIZE[:STRIDE]."
    )(f)
    f = click.option("--relu", is_flag=True, help="Apply ReLU after the conv.")(f)
    return f


def conv_kwargs(options: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``ops.conv2d`` taken from parsed CLI options."""
    return {
        "stride": options["stride"],
        "padding": options["padding"],
        "dilation": options["dilation"],
        "padding_mode": options["padding_mode"],
        "norm": options["norm"],
        "bias": options["bias"],
        "flip": options["flip"],
    }


def apply_post(result: Any, relu: bool, pool: tuple | None) -> Any:
    """Apply ``--relu`` then ``--pool`` to a conv result."""
    from cnncalc.engine import ops

    if relu:
        result = ops.relu(result)
    if pool is not None:
        kind, size, stride = pool
        result = ops.pool2d(result, kind=kind, size=size, stride=stride)
    return result


PLAIN_SUFFIXES = ("", ".txt", ".text")


def resolve_format(fmt: str | None, output: Path | None, formats: tuple[str, ...] = FORMATS) -> str:
    """Explicit ``--format``, else the -o suffix, else table on a terminal and plain when piped.

    A suffix that names no format (``out.xlsx``) or one the command does not write
    (``check -o out.csv``) is refused with a sentence about ``-o``, not ``--format``;
    so is a suffix that names another format than ``--format`` (``-o o.csv --format
    json``). ``.txt`` takes any format.
    """
    from cnncalc.formats import SUFFIX_FORMATS

    if fmt:
        named = SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None else None
        if output is not None and named is not None and named != fmt:  # -o o.csv --format json
            raise CnncalcError("cli.output_format_clash", path=str(output), named=named, format=fmt)
        return fmt
    if output is not None:

        suffix = output.suffix.lower()
        chosen = "plain" if suffix in PLAIN_SUFFIXES else SUFFIX_FORMATS.get(suffix)
        if chosen is None or chosen not in formats:
            known = sorted({s for s, f in SUFFIX_FORMATS.items() if f in formats} | {".txt"})
            raise CnncalcError(
                "cli.output_suffix", path=str(output), suffix=suffix, suffixes=" ".join(known)
            )
        return chosen
    return "table" if sys.stdout is not None and sys.stdout.isatty() else "plain"


PIPE_EXACT_FORMATS = ("plain", "tsv", "csv")


def exact_pipe(fmt: str) -> bool:
    """True when text of format ``fmt`` goes into a pipe at full precision: plain, TSV
    or CSV on stdout, stdout a pipe, and neither --precision nor --round given."""
    return fmt in PIPE_EXACT_FORMATS and stdout_is_pipe() and not rounding_asked()


def stdout_is_pipe() -> bool:
    """True when stdout is a pipe or a socket (``cnncalc conv ... | cnncalc pool -``),
    not a terminal and not a file."""
    import stat

    try:
        mode = os.fstat(sys.stdout.fileno()).st_mode
    except (AttributeError, OSError, ValueError):  # closed, or a StringIO (tests)
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def rounding_asked() -> bool:
    """True when --precision or --round was given (on the command line or by env)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return False
    given = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)
    return any(ctx.get_parameter_source(name) in given for name in ("precision", "round_mode"))


def write_result(text: str, output: Path | None) -> None:
    """Write rendered text to ``-o`` atomically, or to stdout."""
    if output is None:
        from cnncalc.show.console import write_stdout

        write_stdout(text)
        return
    from cnncalc.read import atomic_write

    if str(output) == ".":  # what click makes of -o '' (a real '.' is refused as a folder)
        raise CnncalcError("cli.empty_output")
    try:
        atomic_write(output, text if text.endswith("\n") else text + "\n")
    except OSError as exc:
        raise CnncalcError("cli.write_failed", path=str(output), reason=exc.strerror or exc) from exc
    except ValueError as exc:  # a NUL in the name
        raise CnncalcError("cli.write_failed", path=repr(str(output)), reason=exc) from exc


def emit_maps(
    result: Any,
    *,
    fmt: str | None,
    precision: int,
    round_mode: str,
    output: Path | None,
    no_color: bool,
) -> None:
    """Render conv/pool/relu results in the chosen format.

    Plain, TSV or CSV text going into a pipe carries every digit unless --precision
    or --round was given: the next command reads exactly what this one computed."""
    from cnncalc import formats

    fmt = resolve_format(fmt, output)
    if output is None and exact_pipe(fmt):
        write_result(formats.format_maps(formats.squeeze_maps(result), fmt, None), output)
        return
    arr = formats.squeeze_maps(result)
    if fmt == "json":
        write_result(formats.maps_json(arr), output)
        return
    if fmt == "table":
        from cnncalc.show import console as out

        maps = formats.as_maps(arr)
        titles = [
            (say("cli.map_title", index=i + 1) + " · " if len(maps) > 1 else "")
            + say("cli.shape_line", shape="×".join(map(str, m.shape)))
            for i, m in enumerate(maps)
        ]
        if output is None:
            out.print_maps(
                arr, precision=precision, mode=round_mode, no_color=no_color, titles=titles,
                lang=STATE.lang,
            )
        else:
            import io

            buf = io.StringIO()
            out.print_maps(arr, precision=precision, mode=round_mode, no_color=True, titles=titles, file=buf)
            write_result(buf.getvalue(), output)
        return
    write_result(formats.format_maps(arr, fmt, precision, round_mode), output)


def _picture_target(path: Path, suffix: str, option: str = "-o") -> Path:
    """Refuse a picture file whose suffix is not the picture's kind."""
    if str(path) == ".":  # -o ''
        raise CnncalcError("cli.empty_output")
    if path.suffix.lower() != suffix:
        raise CnncalcError("pictures.bad_suffix", path=str(path), option=option, suffix=suffix)
    return path


def _picture_written(info: Any, *, frames_dir: Path | None = None) -> None:
    """Confirm on stderr what was written (and warn when text fell back to English)."""
    if info.font_fallback:
        click.echo(say("pictures.warning", warning=say("pictures.font_fallback")), err=True)
    key = "pictures.wrote_frames" if info.frames > 1 else "pictures.wrote"
    click.echo(
        say(key, path=str(info.path), frames=info.frames, width=info.width, height=info.height),
        err=True,
    )
    if frames_dir is not None:
        click.echo(say("pictures.wrote_dir", frames=info.frames, dir=str(frames_dir)), err=True)


_input = functools.partial(
    click.argument, type=click.Path(dir_okay=False, allow_dash=True, path_type=str)
)
