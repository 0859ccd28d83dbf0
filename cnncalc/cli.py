"""The ``cnncalc`` command line: click commands only.

Each command parses its options, calls the pure core, and hands the result to
one renderer chosen by ``--format``. Core errors (``CnncalcError``) become one
``Error: ...`` line on stderr and exit code 2.
"""

from __future__ import annotations

import functools
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from cnncalc import __version__, messages
from cnncalc.errors import CnncalcError

ROUND_MODES = ("half-even", "half-up", "truncate")
FORMATS = ("table", "plain", "csv", "tsv", "json", "markdown", "latex")
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
POOL_KINDS = ("max", "mean", "sum")


class _State:
    lang: str = messages.default_lang()
    stdin_read: bool = False  # stdin is read once: a second '-' is refused


STATE = _State()


def say(key: str, **params: Any) -> str:
    """A sentence in the language chosen with ``--lang``."""
    return messages.text(key, STATE.lang, **params)


def fail(message: str, code: int = 2) -> None:
    """Print one ``Error:`` line on stderr and exit with ``code``."""
    message = " ".join(str(message).splitlines())  # one line, whatever the input held
    click.echo(f"{say('error.prefix')}: {message}", err=True)
    raise click.exceptions.Exit(code)


class CnncalcGroup(click.Group):
    """Turns core errors into one ``Error:`` line and exit code 2."""

    def main(self, args: Any = None, prog_name: str | None = None, **extra: Any) -> Any:
        extra.pop("standalone_mode", None)
        for arg in args or ():
            if isinstance(arg, str) and "\x00" in arg:  # only from Python: a shell cannot pass one
                click.echo(f"{say('error.prefix')}: {say('cli.nul_argument', value=arg)}", err=True)
                sys.exit(2)
        try:
            code = super().main(args=args, prog_name=prog_name, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:  # plain `cnncalc`: the help, then why
            click.echo(exc.ctx.get_help() if exc.ctx is not None else "")
            click.echo(f"{say('error.prefix')}: {say('cli.no_command')}", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            hint = ""
            if isinstance(exc, click.UsageError) and exc.ctx is not None:
                hint = f" (cnncalc {exc.ctx.command_path.partition(' ')[2]} --help)".replace(
                    "  ", " "
                )
            # click lists choices on several lines: one line, as every cnncalc error
            message = " ".join(exc.format_message().split())
            click.echo(f"{say('error.prefix')}: {message}{hint}", err=True)
            sys.exit(exc.exit_code if exc.exit_code != 1 else 2)
        except click.Abort:
            click.echo(say("error.prefix") + ": aborted", err=True)
            sys.exit(130)  # the shell's code for Ctrl-C; 1 means "wrong cells"
        except Exception as exc:  # raised while parsing, before invoke's guard
            if os.environ.get("CNNCALC_DEBUG"):
                raise
            fail(f"internal error ({type(exc).__name__}: {exc}); please report it")
        sys.exit(code or 0)

    def invoke(self, ctx: click.Context) -> Any:
        STATE.stdin_read = False
        try:
            with warnings.catch_warnings():
                # numpy's overflow warnings are not for users: the core refuses
                # non-finite results with a sentence of its own
                warnings.simplefilter("ignore", RuntimeWarning)
                return super().invoke(ctx)
        except CnncalcError as exc:
            fail(exc.message(STATE.lang))
        except BrokenPipeError:
            sys.stderr.close()
            raise click.exceptions.Exit(0) from None
        except OSError as exc:
            name = getattr(exc, "filename", "") or ""
            fail(f"{name}: {exc.strerror or exc}" if name else str(exc.strerror or exc))
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # the last guard: never a traceback for users
            if os.environ.get("CNNCALC_DEBUG"):
                raise
            fail(f"internal error ({type(exc).__name__}: {exc}); please report it")


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
        from cnncalc.ops import as_pair

        name = param.name if param is not None and param.name else "value"
        try:
            return as_pair(text, name, minimum=self.minimum)
        except CnncalcError as exc:
            self.fail(exc.message(STATE.lang), param, ctx)


class PoolSpecType(click.ParamType):
    """``KIND:SIZE[:STRIDE]``, e.g. ``max:2`` or ``mean:3:1``."""

    name = "KIND:SIZE[:STRIDE]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        from cnncalc.ops import as_pair

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
    from cnncalc import matrix_io

    if str(path) == "-":
        return matrix_io.read_text_matrix(read_stdin_text(), source="<stdin>")
    return matrix_io.read_matrix(path)


def read_stdin_text() -> str:
    """All of stdin, decoded like a file (UTF-8, BOM, GB18030, UTF-16)."""
    from cnncalc.matrix_io import decode_bytes

    if STATE.stdin_read:
        raise CnncalcError("cli.stdin_twice")
    STATE.stdin_read = True
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return sys.stdin.read()
    return decode_bytes(buffer.read(), "<stdin>")


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
        help="Language of messages: en or zh (default from LANG).",
    )(f)


def output_options(f: Callable) -> Callable:
    """--format, --precision, --round, -o, --no-color and --lang, shared by every
    computing command."""
    options = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default=None,
            help="Output format (default: table on a terminal, plain when piped, "
            "or from the -o suffix).",
        ),
        click.option(
            "--precision",
            type=click.IntRange(0, 15),
            default=2,
            show_default=True,
            help="Decimals shown.",
        ),
        click.option(
            "--round",
            "round_mode",
            type=click.Choice(ROUND_MODES),
            default="half-even",
            show_default=True,
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
        f = option(f)
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
    from cnncalc import ops

    if relu:
        result = ops.relu(result)
    if pool is not None:
        kind, size, stride = pool
        result = ops.pool2d(result, kind=kind, size=size, stride=stride)
    return result


def resolve_format(fmt: str | None, output: Path | None) -> str:
    """Explicit ``--format``, else the -o suffix, else table on a terminal and plain when piped."""
    if fmt:
        return fmt
    if output is not None:
        from cnncalc.formats import SUFFIX_FORMATS

        return SUFFIX_FORMATS.get(output.suffix.lower(), "plain")
    return "table" if sys.stdout is not None and sys.stdout.isatty() else "plain"


def write_result(text: str, output: Path | None) -> None:
    """Write rendered text to ``-o`` atomically, or to stdout."""
    if output is None:
        from cnncalc.output import write_stdout

        write_stdout(text)
        return
    from cnncalc.matrix_io import atomic_write

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
    """Render conv/pool/relu results in the chosen format."""
    from cnncalc import formats

    fmt = resolve_format(fmt, output)
    arr = formats.squeeze_maps(result)
    if fmt == "json":
        write_result(formats.maps_json(arr), output)
        return
    if fmt == "table":
        from cnncalc import output as out

        maps = formats.as_maps(arr)
        titles = [
            (say("cli.map_title", index=i + 1) + " · " if len(maps) > 1 else "")
            + say("cli.shape_line", shape="×".join(map(str, m.shape)))
            for i, m in enumerate(maps)
        ]
        if output is None:
            out.print_maps(arr, precision=precision, mode=round_mode, no_color=no_color, titles=titles)
        else:
            import io

            buf = io.StringIO()
            out.print_maps(arr, precision=precision, mode=round_mode, no_color=True, titles=titles, file=buf)
            write_result(buf.getvalue(), output)
        return
    write_result(formats.format_maps(arr, fmt, precision, round_mode), output)


# --------------------------------------------------------------------------- commands


@click.group(cls=CnncalcGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, message="cnncalc %(version)s")  # also from a checkout
@lang_option
def cli() -> None:
    """Feature-map calculator and CNN homework checker.

    Computes convolutions, pooling and whole small networks exactly as PyTorch
    does, checks hand-computed answers cell by cell, and grades folders of
    submissions. Rows and columns shown are 1-based.
    """


_input = functools.partial(
    click.argument, type=click.Path(dir_okay=False, allow_dash=True, path_type=str)
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
    Example (the seed's X with its first feature):
      cnncalc conv samples/xo/x.txt samples/xo/k1.txt --norm mean
    """
    from cnncalc import ops

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
    from cnncalc import ops

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
    from cnncalc import ops

    emit_maps(ops.relu(load_matrix(input)), **_render_kwargs(options))


# ---- pipeline commands (run, shape)


def read_chain(pipeline: str) -> tuple[str, Path | None]:
    """The chain text and the folder its files are relative to.

    ``@FILE`` reads the chain from FILE (``#`` comments dropped, lines joined),
    with file names relative to FILE's folder; otherwise the text itself,
    relative to the current directory.
    """
    if not pipeline.startswith("@"):
        return pipeline, None
    from cnncalc.matrix_io import decode_bytes, read_bytes

    path = Path(pipeline[1:])
    raw = decode_bytes(read_bytes(path), str(path))
    lines = [line.split("#", 1)[0].strip() for line in raw.splitlines()]
    return " ".join(line for line in lines if line), path.parent


def _emit_rendered(fmt: str, output: Path | None, no_color: bool, draw: Callable, text: Callable) -> None:
    """``table`` goes through ``draw(file=..., no_color=...)``; other formats through ``text()``."""
    if fmt != "table":
        write_result(text(), output)
        return
    if output is None:
        draw(file=None, no_color=no_color)
        return
    import io

    buf = io.StringIO()
    draw(file=buf, no_color=True)
    write_result(buf.getvalue(), output)


@cli.command()
@_input("input")
@click.argument("pipeline")
@click.option(
    "--target",
    type=int,
    default=None,
    help="Class index (0-based, as PyTorch): adds the cross-entropy loss and the prediction.",
)
@click.option(
    "--stage",
    "selected",
    type=click.IntRange(min=1),
    default=None,
    help="Show only stage N (1-based); plain output is then just that map, ready to paste.",
)
@output_options
def run(input: str, pipeline: str, target: int | None, selected: int | None, **options: Any) -> None:
    """Run INPUT through a chain of stages and show every stage's output and shape.

    PIPELINE is 'stage | stage | ...' with stages conv(K_FILE, stride=, padding=,
    dilation=, padding_mode=, norm=, bias=, flip=), relu, leaky_relu(SLOPE),
    sigmoid, tanh, maxpool(K, stride=, padding=, dilation=, ceil_mode=),
    avgpool/meanpool(K, stride=, padding=, ceil_mode=, count_include_pad=),
    sumpool(K, ...), flatten, linear(W_FILE, B_FILE), softmax. '@FILE' reads
    the chain from FILE, with file names relative to it.

    \b
    Examples:
      cnncalc run samples/xo/x.txt "conv(samples/xo/k1.txt, norm=mean) | relu | maxpool(2)"
      cnncalc run samples/net/x.txt @samples/net/xo-net.txt --target 0
    """
    from cnncalc import netreport
    from cnncalc.pipeline import loss_and_prediction, parse_pipeline, run_pipeline

    x = load_matrix(input)
    chain, base_dir = read_chain(pipeline)
    stages = parse_pipeline(chain, base_dir=base_dir)
    results = run_pipeline(x, stages)
    if selected is not None and selected > len(results):
        raise CnncalcError("run.no_stage", stage=selected, count=len(results))
    loss, prediction = loss_and_prediction(results, target)
    fmt = resolve_format(options["fmt"], options["output"])
    if fmt == "json":
        write_result(netreport.run_json(results, loss, prediction, selected), options["output"])
        return
    common = {
        "precision": options["precision"],
        "mode": options["round_mode"],
        "lang": STATE.lang,
        "loss": loss,
        # one stage alone stays a bare answer unless a target asks for the verdict
        "prediction": None if selected and target is None else prediction,
        "target": target,
        "selected": selected,
    }

    def draw(file: Any, no_color: bool) -> None:
        from cnncalc.output import print_run

        print_run(results, no_color=no_color, file=file, **common)

    _emit_rendered(
        fmt, options["output"], options["no_color"], draw,
        lambda: netreport.run_text(results, fmt, **common),
    )


@cli.command()
@click.argument("input_shape", metavar="C×H×W")
@click.argument("pipeline")
@output_options
def shape(input_shape: str, pipeline: str, **options: Any) -> None:
    """Each stage's output shape, parameter count and multiply-adds for an input C×H×W.

    The input is written 1x32x32, 1×32×32 or 32x32 (one channel). Here conv and
    linear take sizes: conv(OUT, K, stride=, padding=, dilation=, bias=true|false)
    and linear(OUT, bias=true|false); the other stages are written as for run.
    Parameters and MACs are counted as PyTorch does (MACs leave out the biases).

    \b
    Example (the course notes' Net):
      cnncalc shape 1x32x32 "conv(6, 3) | relu | maxpool(2) | conv(16, 5) | relu | maxpool(2)"
    """
    from cnncalc import netreport
    from cnncalc.shapes import shape_summary

    chain, _ = read_chain(pipeline)
    summary = shape_summary(input_shape, chain)
    fmt = resolve_format(options["fmt"], options["output"])
    if fmt == "json":
        write_result(netreport.shape_json(summary), options["output"])
        return

    def draw(file: Any, no_color: bool) -> None:
        from cnncalc.output import print_shape

        print_shape(summary, lang=STATE.lang, no_color=no_color, file=file)

    _emit_rendered(
        fmt, options["output"], options["no_color"], draw,
        lambda: netreport.shape_text(summary, fmt, STATE.lang),
    )


# ---- grading commands (grade)


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--assignment",
    "assignment_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The assignment TOML file (paths in it are relative to it).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("grading-report"),
    show_default=True,
    help="Report folder (never inside FOLDER): grades.csv, grades.json, summary.md, feedback/.",
)
@click.option(
    "--only",
    metavar="STUDENT",
    default=None,
    help="Regrade one student: rewrite only their row, their feedback and the summary.",
)
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV file with a 'student' column; students without a submission are 'missing'.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=1 << 20,
    show_default=True,
    help="Submissions larger than this are 'too-large' and never read.",
)
@click.option(
    "--feedback/--no-feedback",
    default=True,
    show_default=True,
    help="Write feedback/<student>.md for every student.",
)
@click.option(
    "--pictures",
    is_flag=True,
    help="Also draw a marked PNG for each wrong answer beside the feedback file "
    "(feedback/<student>-<problem>.png, linked from it; needs Pillow).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "plain", "json", "markdown")),
    default=None,
    help="Class summary on stdout (default: table on a terminal, plain when piped).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: when stderr is a terminal).",
)
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too).")
@lang_option
def grade(
    folder: Path,
    assignment_path: Path,
    out: Path,
    only: str | None,
    roster: Path | None,
    max_bytes: int,
    feedback: bool,
    pictures: bool,
    fmt: str | None,
    progress: bool | None,
    no_color: bool,
) -> None:
    """Grade a folder of submissions against an assignment; write a gradebook,
    feedback for every student and a class summary.

    A submission is one file per student (alice.txt: the id is the stem) or
    one folder per student (the id is the folder name), holding the answers as
    blocks in problem order or as a problem file. Statuses: ok, partial,
    malformed, empty, missing, too-large, unreadable; one bad submission never
    stops the batch, and the exit code is 0 when the batch finished. Rerunning
    gives the same bytes; submissions are never modified. --pictures adds a
    marked PNG of each wrong answer beside the feedback file, linked from it.

    \b
    Example:
      cnncalc grade samples/xo/class --assignment samples/xo/assignment.toml --roster samples/xo/roster.csv
      cnncalc grade samples/xo/class --assignment samples/xo/assignment.toml --pictures
    """
    from cnncalc import output as out_mod
    from cnncalc.assignment import load_assignment
    from cnncalc.reports import run_grade
    from cnncalc.submissions import read_roster

    if pictures:
        if not feedback:
            fail(say("grade.pictures_no_feedback"))
        from cnncalc.canvas import pil
        from cnncalc.layout import Words

        pil()  # no Pillow: one Error line before anything is read
        if Words(STATE.lang).fallback:
            click.echo(f"{say('pictures.warning')}: {say('pictures.font_fallback')}", err=True)
    assignment = load_assignment(assignment_path)
    students = read_roster(roster) if roster is not None else None
    show = sys.stderr.isatty() if progress is None else progress
    with out_mod.grade_progress(STATE.lang, enabled=show, no_color=no_color) as tick:
        summary = run_grade(
            folder,
            assignment,
            out=out,
            only=only,
            roster=students,
            max_bytes=max_bytes,
            feedback=feedback,
            lang=STATE.lang,
            skip=(assignment_path, roster),
            progress=tick,
            pictures=pictures,
        )
    fmt = fmt or ("table" if sys.stdout.isatty() else "plain")
    out_mod.print_grade_summary(summary, fmt=fmt, lang=STATE.lang, no_color=no_color)
    click.echo(say("grade.reports_written", path=str(out)), err=True)


# ---- checking commands (check, explain)

CHECK_FORMATS = ("table", "plain", "json", "markdown")
_SETTING_PARAMS = ("stride", "padding", "dilation", "padding_mode", "norm", "bias", "flip", "relu", "pool")


def _check_format(options: dict[str, Any]) -> str:
    fmt = resolve_format(options["fmt"], options["output"])
    if fmt not in CHECK_FORMATS:
        raise click.BadParameter(
            f"{fmt!r}: use one of {', '.join(CHECK_FORMATS)}", param_hint="'--format'"
        )
    return fmt


def _emit_sections(sections: list, fmt: str, options: dict[str, Any], json_obj: Any = None) -> None:
    from cnncalc import checkreport

    if fmt == "json":
        from cnncalc.formats import json_text

        write_result(json_text(json_obj), options["output"])
        return

    def draw(file: Any, no_color: bool) -> None:
        from cnncalc.output import print_sections

        print_sections(sections, no_color=no_color, file=file)

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
@output_options
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

    from cnncalc.assignment import Settings
    from cnncalc.checkreport import check_json, check_sections
    from cnncalc.checkrun import run_check

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
    _emit_sections(sections, fmt, options, check_json(items, explain=explain_n > 0))
    if png is not None:  # pictures: see the picture commands below
        from cnncalc.pictures import check_pngs

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
@conv_options
@output_options
def explain(image: str, kernel: str, at: str, map_index: int, **options: Any) -> None:
    """Show how one output cell of conv IMAGE KERNEL is computed.

    The receptive field is highlighted in the (padded) image, then come the
    kernel, the element-wise products, their sum, the normalization and the
    value, as the course notes walk through cell (1, 1).

    \b
    Example:
      cnncalc explain samples/xo/x.txt samples/xo/k1.txt --at 1,1 --norm mean
    """
    from cnncalc.checkreport import explain_sections
    from cnncalc.explain import explain_cell, parse_at

    fmt = _check_format(options)
    row, col = parse_at(at)
    e = explain_cell(load_matrix(image), load_matrix(kernel), row=row, col=col, map=map_index,
                     **conv_kwargs(options))
    sections = explain_sections(e, lang=STATE.lang, precision=options["precision"], mode=options["round_mode"])
    _emit_sections(sections, fmt, options, e.to_json())


# ---- training commands (train-step)

TRAIN_DEFAULT_PRECISION = 4


class BetasType(click.ParamType):
    """Adam's ``B1,B2``, e.g. ``0.9,0.999``."""

    name = "B1,B2"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        parts = str(value).replace("，", ",").split(",")
        try:
            if len(parts) != 2:
                raise ValueError
            return float(parts[0]), float(parts[1])
        except ValueError:
            self.fail(say("train.betas", value=value), param, ctx)


class ExplainSpecType(click.ParamType):
    """``STAGE:ROW,COL`` or ``STAGE:BLOCK:ROW,COL`` (1-based)."""

    name = "STAGE:ROW,COL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        from cnncalc.training_explain import parse_explain_spec

        try:
            return parse_explain_spec(value)
        except CnncalcError as exc:
            self.fail(exc.message(STATE.lang), param, ctx)


@cli.command("train-step")
@_input("input")
@click.argument("pipeline")
@click.option("--target", type=int, required=True, help="The true class, 0-based (as PyTorch).")
@click.option("--optimizer", type=click.Choice(("sgd", "adam")), required=True)
@click.option("--lr", type=float, required=True, help="Learning rate.")
@click.option("--momentum", type=float, default=None, help="SGD momentum (default 0).")
@click.option("--betas", type=BetasType(), default=None, help="Adam B1,B2 (default 0.9,0.999).")
@click.option("--eps", type=float, default=None, help="Adam epsilon (default 1e-8).")
@click.option("--weight-decay", type=float, default=0.0, show_default=True,
              help="L2 penalty added to the gradient, as torch.optim.")
@click.option("--steps", type=click.IntRange(min=1), default=1, show_default=True,
              help="Optimizer steps (at most 10,000); each recomputes the loss and the gradients.")
@click.option("--save", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the updated parameters and pipeline.txt (for run @DIR/pipeline.txt).")
@click.option("--explain", "explain_spec", type=ExplainSpecType(), default=None,
              help="Show the products behind dL/dw of one weight cell at step 1: "
              "STAGE:ROW,COL, or STAGE:BLOCK:ROW,COL for a kernel of several blocks.")
@output_options
@click.pass_context
def train_step(
    ctx: click.Context,
    input: str,
    pipeline: str,
    target: int,
    optimizer: str,
    lr: float,
    momentum: float | None,
    betas: tuple[float, float] | None,
    eps: float | None,
    weight_decay: float,
    steps: int,
    save: Path | None,
    explain_spec: tuple | None,
    **options: Any,
) -> None:
    """Train the network PIPELINE on INPUT: loss, gradients and optimizer updates.

    Runs the forward pass, the cross-entropy loss for class --target (−log p
    when the last stage is softmax), the backward pass through every stage and
    --steps updates with torch.optim's SGD or Adam rules. Shows the loss per
    step, then each parameter (conv kernels, conv biases given with bias=,
    linear weights and biases): its value before step 1, its gradient at step 1
    and its value after the last step. Values show 4 decimals unless
    --precision says otherwise. PIPELINE is written as for run ('@FILE' too).

    \b
    Example:
      cnncalc train-step samples/net/x.txt @samples/net/xo-net.txt --target 0 \\
        --optimizer sgd --lr 0.1 --explain 1:1:1,1
    """
    from cnncalc import trainreport
    from cnncalc.optim import make_optimizer
    from cnncalc.pipeline import parse_pipeline
    from cnncalc.training import explain_gradient, explain_target, train_network

    if ctx.get_parameter_source("precision") == click.core.ParameterSource.DEFAULT:
        options["precision"] = TRAIN_DEFAULT_PRECISION
    x = load_matrix(input)
    chain, base_dir = read_chain(pipeline)
    stages = parse_pipeline(chain, base_dir=base_dir)
    if explain_spec is not None:
        explain_target(stages, explain_spec)
    opt = make_optimizer(optimizer, lr=lr, momentum=momentum, betas=betas, eps=eps,
                         weight_decay=weight_decay)
    result = train_network(x, stages, target=target, optimizer=opt, steps=steps)
    explanation = explain_gradient(result, explain_spec) if explain_spec is not None else None
    if save is not None:
        from cnncalc.training_save import save_parameters

        try:
            files, pipeline_file = save_parameters(save, stages, result.params)
        except OSError as exc:
            raise CnncalcError("cli.write_failed", path=str(save), reason=exc.strerror or exc) from exc
        click.echo(say("train.saved", count=len(files), pipeline=str(pipeline_file)), err=True)
    fmt = resolve_format(options["fmt"], options["output"])
    common = {"precision": options["precision"], "mode": options["round_mode"], "lang": STATE.lang}
    if fmt == "json":
        write_result(trainreport.train_json(result, explanation), options["output"])
        return

    def draw(file: Any, no_color: bool) -> None:
        from cnncalc.output import print_train

        print_train(result, explanation=explanation, no_color=no_color, file=file, **common)

    _emit_rendered(
        fmt, options["output"], options["no_color"], draw,
        lambda: trainreport.train_text(result, fmt, explanation=explanation, **common),
    )


# ---- picture commands (draw, animate)


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
        click.echo(f"{say('pictures.warning')}: {say('pictures.font_fallback')}", err=True)
    key = "pictures.wrote_frames" if info.frames > 1 else "pictures.wrote"
    click.echo(
        say(key, path=str(info.path), frames=info.frames, width=info.width, height=info.height),
        err=True,
    )
    if frames_dir is not None:
        click.echo(say("pictures.wrote_dir", frames=info.frames, dir=str(frames_dir)), err=True)


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
        f = option(f)
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
    from cnncalc.pictures import draw_maps

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
def animate(image: str, kernel: str, output: Path, precision: int, round_mode: str,
            title: str | None, fps: float, frames_dir: Path | None, map_index: int,
            **options: Any) -> None:
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
    from cnncalc.pictures import animate_conv

    target = _picture_target(output, ".gif")
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


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="cnncalc")
