"""User-facing sentences in English and Chinese.

Each message is a key mapped to ``{"en": ..., "zh": ...}`` with ``str.format``
fields. Each area of cnncalc keeps its sentences in its own module of this
package. ``text`` falls back to English for a missing translation.

>>> text("param.positive", "zh", parameter="stride", value=0)
'stride 必须是正整数（收到 0）'
"""

from __future__ import annotations

import os
from typing import Any

from cnncalc.messages.check import CHECK
from cnncalc.messages.classroom import CLASSROOM
from cnncalc.messages.core import CORE
from cnncalc.messages.engine import ENGINE
from cnncalc.messages.grade import GRADE
from cnncalc.messages.limits import QA
from cnncalc.messages.net import PIPELINE
from cnncalc.messages.pictures import PICTURES
from cnncalc.messages.train import TRAIN

LANGS = ("en", "zh")

MESSAGES: dict[str, dict[str, str]] = {}
for _section in (CORE, ENGINE, CHECK, GRADE, PIPELINE, TRAIN, PICTURES, QA, CLASSROOM):
    MESSAGES.update(_section)


def default_lang(environ: dict[str, str] | None = None) -> str:
    """Pick ``zh`` when the locale (LC_ALL, LC_MESSAGES, LANG) is Chinese, else ``en``."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


_CONTROLS = None


def printable(value: str) -> str:
    r"""``value`` with terminal controls (C0 but tab and newline, DEL, C1) written as
    ``\xNN``: a file name or a line of a submission can never colour, retitle or clear
    a terminal, or hide in a report.

    >>> printable("red\x1b[31m\x07")
    'red\\x1b[31m\\x07'
    """
    global _CONTROLS
    if _CONTROLS is None:
        import re

        _CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    if _CONTROLS.search(value) is None:
        return value
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def text(key: str, lang: str = "en", **params: Any) -> str:
    """Return the sentence for ``key`` in ``lang`` with ``params`` filled in."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key + (" " + repr(params) if params else "")
    template = entry.get(lang) or entry["en"]
    try:
        return printable(template.format(**params))
    except (KeyError, IndexError, ValueError):
        return printable(entry["en"].format(**params))
