"""The ``cnncalc`` command line: click commands only, one module per command family.

``group`` holds the ``cnncalc`` group and turns core errors into one ``Error:``
line; ``options`` the options and parameter types the commands share; the
families are ``compute`` (conv, pool, relu), ``networks`` (run, shape,
train-step), ``checking`` (check, explain), ``grading`` (grade),
``classroom`` (make) and ``pictures`` (draw, animate). Importing this package registers every command.
"""

from cnncalc.cli import checking, classroom, compute, grading, networks, pictures  # noqa: F401 (registers the commands)
from cnncalc.cli.base import STATE
from cnncalc.cli.group import cli, main

__all__ = ["STATE", "cli", "main"]
