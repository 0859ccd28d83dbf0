"""What every command shares: the chosen language, the one-line error, the choices."""

from __future__ import annotations

from typing import Any

import click

from cnncalc import messages

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
    # one line, whatever the input held, and no terminal control of a file name or line
    message = messages.printable(" ".join(str(message).splitlines()))
    click.echo(f"{say('error.prefix')}: {message}", err=True)
    raise click.exceptions.Exit(code)
