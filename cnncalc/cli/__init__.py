"""The ``cnncalc`` command line: click commands only, one module per command family.

``group`` holds the ``cnncalc`` group and turns core errors into one ``Error:``
line; ``options`` the options and parameter types the commands share; the
families are ``compute`` (conv, pool, relu), ``networks`` (run, shape,
train-step), ``checking`` (check, explain), ``grading`` (grade),
``classroom`` (make) and ``pictures`` (draw, animate). Importing this package registers every command.
"""

from cnncalc.cli import (  # noqa: F401 (registers the commands; clicki18n translates click)
    checking,
    classroom,
    clicki18n,
    compute,
    grading,
    networks,
    pictures,
)
from cnncalc.cli.base import STATE
from cnncalc.cli.group import cli, main

# The one-line summaries of `cnncalc --help` (click would cut each docstring's first
# sentence at the terminal's width, mid-phrase). At most 45 characters: whole at 61
# columns and wider.
SHORT_HELP = {
    "animate": "Animate the kernel sliding over IMAGE (GIF).",
    "check": "Check a hand-computed answer cell by cell.",
    "conv": "Convolve IMAGE with KERNEL (torch's conv2d).",
    "conv-transpose": "Transposed convolution of IMAGE with KERNEL.",
    "draw": "Draw maps as a PNG heat map.",
    "explain": "Show how one output cell of conv is computed.",
    "grade": "Grade a folder of submissions; write reports.",
    "make": "Make homework variants, sheets and keys.",
    "pool": "Pool INPUT with max, mean or sum windows.",
    "relu": "Set the negative cells of INPUT to 0 (ReLU).",
    "run": "Run INPUT through a chain of stages.",
    "shape": "Shapes, parameters and MACs of a network.",
    "train-step": "Train PIPELINE on INPUT: loss and gradients.",
}
for _name, _text in SHORT_HELP.items():
    cli.commands[_name].short_help = _text

clicki18n.install(lambda: STATE.lang)

__all__ = ["SHORT_HELP", "STATE", "cli", "main"]
