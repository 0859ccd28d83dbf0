"""Commands on whole networks: ``run``, ``shape``, ``train-step``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from cnncalc.cli.base import STATE, say
from cnncalc.cli.group import cli
from cnncalc.cli.options import (
    _input,
    exact_pipe,
    load_matrix,
    output_options,
    resolve_format,
    write_result,
)
from cnncalc.errors import CnncalcError

LOSS_CHOICES = ("ce", "nll", "mse", "bce", "bce_logits", "hinge")


def read_chain(pipeline: str) -> tuple[str, Path | None]:
    """The chain text and the folder its files are relative to.

    ``@FILE`` reads the chain from FILE (``#`` comments dropped, lines joined),
    with file names relative to FILE's folder; otherwise the text itself,
    relative to the current directory.
    """
    if not pipeline.startswith("@"):
        return pipeline, None
    from cnncalc.read import decode_bytes, read_bytes

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
    default=None,
    help="Class index (0-based, as PyTorch) for ce/nll/hinge, or target values (a number or a "
    "file) for mse/bce/bce_logits: adds the loss and the prediction.",
)
@click.option("--loss", "loss_kind", type=click.Choice(LOSS_CHOICES), default="ce", show_default=True,
              help="The loss, as PyTorch's with its default mean reduction.")
@click.option(
    "--stage",
    "selected",
    type=click.IntRange(min=1),
    default=None,
    help="Show only stage N (1-based); plain output is then just that map, ready to paste.",
)
@output_options
def run(input: str, pipeline: str, target: str | None, loss_kind: str, selected: int | None,
        **options: Any) -> None:
    """Run INPUT through a chain of stages and show every stage's output and shape.

    PIPELINE is 'stage | stage | ...' with stages conv(K_FILE, stride=, padding=,
    dilation=, padding_mode=, padding_value=, groups=, norm=, bias=, flip=),
    conv_transpose(K_FILE, stride=, padding=, output_padding=, dilation=,
    groups=, bias=), batchnorm(mean=, var=, weight=, bias=, eps=, momentum=,
    train=), relu, leaky_relu(SLOPE), sigmoid, tanh, maxpool(K, stride=,
    padding=, dilation=, ceil_mode=), avgpool/meanpool(K, stride=, padding=,
    ceil_mode=, count_include_pad=), sumpool(K, ...), adaptive_avgpool(H, W),
    adaptive_maxpool(H, W), global_avgpool, flatten, linear(W_FILE, B_FILE),
    softmax. '@FILE' reads the chain from FILE, with file names relative to it.
    --loss picks the loss of --target (cross-entropy by default).

    \b
    Examples:
      cnncalc run samples/xo/x.txt "conv(samples/xo/k1.txt, norm=mean) | relu | maxpool(2)"
      cnncalc run samples/net/x.txt @samples/net/xo-net.txt --target 0
    """
    from cnncalc.net.lossspec import read_target, target_text
    from cnncalc.net.pipeline import loss_and_prediction, parse_pipeline, run_pipeline
    from cnncalc.show import netreport

    x = load_matrix(input)
    chain, base_dir = read_chain(pipeline)
    stages = parse_pipeline(chain, base_dir=base_dir)
    goal = read_target(target, loss_kind)
    results = run_pipeline(x, stages)
    if selected is not None and selected > len(results):
        raise CnncalcError("run.no_stage", stage=selected, count=len(results))
    loss, prediction = loss_and_prediction(results, goal, loss_kind)
    fmt = resolve_format(options["fmt"], options["output"])
    if selected and target is None and options["output"] is None and exact_pipe(fmt):
        from cnncalc.formats import format_maps, squeeze_maps  # one bare map, every digit

        write_result(format_maps(squeeze_maps(results[selected - 1].output), fmt, None), None)
        return
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
        "target": None if goal is None else (
            goal if loss_kind == "ce" and isinstance(goal, int) else target_text(goal, target)),
        "selected": selected,
        "loss_kind": loss_kind,
    }

    def draw(file: Any, no_color: bool) -> None:
        from cnncalc.show.nettables import print_run

        print_run(results, no_color=no_color, file=file, **common)

    _emit_rendered(
        fmt, options["output"], options["no_color"], draw,
        lambda: netreport.run_text(results, fmt, **common),
    )


@cli.command()
@click.argument("input_shape", metavar="C×H×W")
@click.argument("pipeline")
@output_options(precision=None)
@click.pass_context
def shape(ctx: click.Context, input_shape: str, pipeline: str, **options: Any) -> None:
    """Each stage's output shape, parameter count and multiply-adds for an input C×H×W.

    The input is written 1x32x32, 1×32×32 or 32x32 (one channel), or N×C×H×W for a
    batch. Here conv, conv_transpose and linear take sizes: conv(OUT, K, stride=,
    padding=, dilation=, groups=, bias=true|false), conv_transpose(OUT, K, stride=,
    padding=, output_padding=, dilation=, groups=, bias=true|false) and
    linear(OUT, bias=true|false); the other stages are written as for run.
    Parameters are counted as PyTorch does; multiply-adds (MACs) as torchinfo's
    "Mult-Adds": each bias counts once per output cell.

    \b
    Example (the course notes' Net):
      cnncalc shape 1x32x32 "conv(6, 3) | relu | maxpool(2) | conv(16, 5) | relu | maxpool(2)"
    """
    from cnncalc.net.shapes import shape_summary
    from cnncalc.show import netreport

    if any(ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE
           for name in ("precision", "round_mode")):
        click.echo(say("cli.shape_no_decimals"), err=True)  # hidden, kept for one release
    chain, _ = read_chain(pipeline)
    summary = shape_summary(input_shape, chain)
    fmt = resolve_format(options["fmt"], options["output"])
    if fmt == "json":
        write_result(netreport.shape_json(summary), options["output"])
        return

    def draw(file: Any, no_color: bool) -> None:
        from cnncalc.show.nettables import print_shape

        print_shape(summary, lang=STATE.lang, no_color=no_color, file=file)

    _emit_rendered(
        fmt, options["output"], options["no_color"], draw,
        lambda: netreport.shape_text(summary, fmt, STATE.lang),
    )


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
        from cnncalc.train.explain import parse_explain_spec

        try:
            return parse_explain_spec(value)
        except CnncalcError as exc:
            self.fail(exc.message(STATE.lang), param, ctx)


@cli.command("train-step")
@_input("input")
@click.argument("pipeline")
@click.option("--target", required=True,
              help="The true class, 0-based (as PyTorch), or target values (a number or a file) "
              "for mse/bce/bce_logits.")
@click.option("--loss", "loss_kind", type=click.Choice(LOSS_CHOICES), default="ce", show_default=True,
              help="The loss, as PyTorch's with its default mean reduction.")
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
@output_options(precision=TRAIN_DEFAULT_PRECISION)
@click.pass_context
def train_step(
    ctx: click.Context,
    input: str,
    pipeline: str,
    target: str,
    loss_kind: str,
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

    Runs the forward pass, the loss (--loss; cross-entropy for class --target
    by default, −log p when the last stage is softmax), the backward pass
    through every stage (batchnorm's weight and bias are trained too) and
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
    from cnncalc.net.lossspec import read_target
    from cnncalc.net.pipeline import parse_pipeline
    from cnncalc.show import trainreport
    from cnncalc.train.optim import make_optimizer
    from cnncalc.train.step import explain_gradient, explain_target, train_network

    x = load_matrix(input)
    chain, base_dir = read_chain(pipeline)
    stages = parse_pipeline(chain, base_dir=base_dir)
    if explain_spec is not None:
        explain_target(stages, explain_spec)
    opt = make_optimizer(optimizer, lr=lr, momentum=momentum, betas=betas, eps=eps,
                         weight_decay=weight_decay)
    goal = read_target(target, loss_kind)
    result = train_network(x, stages, target=goal, optimizer=opt, steps=steps, loss=loss_kind)
    explanation = explain_gradient(result, explain_spec) if explain_spec is not None else None
    if save is not None:
        from cnncalc.train.save import save_parameters

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
        from cnncalc.show.traintables import print_train

        print_train(result, explanation=explanation, no_color=no_color, file=file, **common)

    _emit_rendered(
        fmt, options["output"], options["no_color"], draw,
        lambda: trainreport.train_text(result, fmt, explanation=explanation, **common),
    )
