"""Typed errors raised by the core; the CLI (``cnncalc/cli/``) turns them into one ``Error:`` line.

Every error carries a message *key* and its parameters rather than a finished
sentence, so the CLI can say it in English or Chinese (see ``cnncalc/messages/``).

>>> from cnncalc.errors import ParameterError
>>> str(ParameterError("param.positive", parameter="stride", value=0))
'stride must be a positive integer (got 0)'
"""

from __future__ import annotations

from typing import Any


class CnncalcError(Exception):
    """Base class: a user-facing problem with a translatable message."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def message(self, lang: str = "en") -> str:
        from cnncalc.messages import text

        return text(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")


class MatrixFormatError(CnncalcError):
    """A matrix or problem file that cannot be read; names file, line and column.

    ``line`` and ``column`` are 1-based; either may be ``None`` when the problem
    concerns the whole file (an empty file, an unreadable encoding).
    """

    def __init__(
        self,
        key: str,
        *,
        file: str,
        line: int | None = None,
        column: int | None = None,
        line_text: str | None = None,
        **params: Any,
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.line_text = line_text
        super().__init__(key, **params)

    def message(self, lang: str = "en") -> str:
        from cnncalc.messages import printable, text

        where = printable(str(self.file))
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        body = f"{where}: {text(self.key, lang, **self.params)}"
        if self.line_text is not None:
            shown = self.line_text.strip()
            if len(shown) > 80:
                shown = shown[:77] + "..."
            body += text("error.line_shown", lang, text=shown)
        return body


class ParameterError(CnncalcError):
    """An illegal parameter or combination; the message names the parameter and the rule."""


class ShapeError(CnncalcError):
    """Arrays whose shapes do not fit together (channels, banks, weights)."""


class LimitError(CnncalcError):
    """A request beyond cnncalc's safety limits (result size, file size)."""


class PipelineError(CnncalcError):
    """A stage chain that cannot be parsed; names the stage and the character."""


class AssignmentError(CnncalcError):
    """A broken assignment file; names the file, line and key."""
