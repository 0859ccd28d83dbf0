"""The ``cnncalc`` group: core errors become one ``Error:`` line and exit code 2."""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any

import click

from cnncalc import __version__, messages
from cnncalc.cli.base import STATE, fail, say
from cnncalc.cli.options import lang_option
from cnncalc.errors import CnncalcError


class HelpInLanguage:
    """``--help`` in the language of ``--lang`` (or the locale): the command's text,
    its options' help and the command list come from ``messages/helpzh.py``,
    swapped in only while the help is written. click's own words are
    ``clicki18n``'s. ``--lang`` must come before ``--help`` (both are eager)."""

    def get_help(self, ctx: click.Context) -> str:
        if STATE.lang == "en":
            return super().get_help(ctx)  # type: ignore[misc]
        from cnncalc.cli.clicki18n import CATALOGUES
        from cnncalc.messages.helpzh import HELP_ZH

        saved: list[tuple[Any, str, str]] = []
        # click's own -h/--help option got its text in English when it was made,
        # before --lang was read: it is looked up in click's catalogue too
        table = {**CATALOGUES.get(STATE.lang, {}), **HELP_ZH}

        def swap(obj: Any, attr: str) -> None:
            old = getattr(obj, attr, None)
            if old and old in table:
                saved.append((obj, attr, old))
                setattr(obj, attr, table[old])

        swap(self, "help")
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            swap(param, "help")
        for command in getattr(self, "commands", {}).values():
            swap(command, "short_help")
        try:
            return super().get_help(ctx)  # type: ignore[misc]
        finally:
            for obj, attr, old in reversed(saved):
                setattr(obj, attr, old)


class CnncalcCommand(HelpInLanguage, click.Command):
    """Every cnncalc command: help in the user's language."""


class CnncalcGroup(HelpInLanguage, click.Group):
    """Turns core errors into one ``Error:`` line and exit code 2."""

    command_class = CnncalcCommand

    def main(  # type: ignore[override]
        self, args: Any = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        extra.pop("standalone_mode", None)
        for arg in args or ():
            if isinstance(arg, str) and "\x00" in arg:  # only from Python: a shell cannot pass one
                click.echo(f"{say('error.prefix')}: {say('cli.nul_argument', value=arg)}", err=True)
                sys.exit(2)
        try:
            code = super().main(args=args, prog_name=prog_name, standalone_mode=False, **extra)
        except click.ClickException as exc:
            hint = ""
            if isinstance(exc, click.UsageError) and exc.ctx is not None:
                hint = f" (cnncalc {exc.ctx.command_path.partition(' ')[2]} --help)".replace(
                    "  ", " "
                )
            # click lists choices on several lines: one line, as every cnncalc error
            message = messages.printable(" ".join(exc.format_message().split()))
            click.echo(f"{say('error.prefix')}: {message}{hint}", err=True)
            sys.exit(exc.exit_code if exc.exit_code != 1 else 2)
        except click.Abort:
            click.echo(f"{say('error.prefix')}: {say('cli.aborted')}", err=True)
            sys.exit(130)  # the shell's code for Ctrl-C; 1 means "wrong cells"
        except Exception as exc:  # raised while parsing, before invoke's guard
            if os.environ.get("CNNCALC_DEBUG"):
                raise
            fail(f"internal error ({type(exc).__name__}: {exc}); please report it")
        sys.exit(code or 0)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            # plain `cnncalc`: the help, then why, exit 2. Done here because click 8.2+
            # raises NoArgsIsHelpError (a UsageError) while click 8.1 prints the help
            # and exits 0 -- and 8.1 has no such class to catch.
            click.echo(ctx.get_help(), color=ctx.color)
            click.echo(f"{say('error.prefix')}: {say('cli.no_command')}", err=True)
            ctx.exit(2)
        return super().parse_args(ctx, args)

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


@click.group(cls=CnncalcGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, message="cnncalc %(version)s")  # also from a checkout
@lang_option
def cli() -> None:
    """Feature-map calculator and CNN homework checker.

    Computes convolutions, pooling and whole small networks exactly as PyTorch
    does, checks hand-computed answers cell by cell, and grades folders of
    submissions. Rows and columns shown are 1-based.
    """


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="cnncalc")
