"""User-facing sentences in English and Chinese.

Each message is a key mapped to ``{"en": ..., "zh": ...}`` with ``str.format``
fields; ``"en_one"`` is the English singular, used when the count field
(``count``, or the one ``"one_of"`` names) is 1. Each area of cnncalc keeps its
sentences in its own module of this
package. ``text`` falls back to English for a missing translation.

>>> text("param.positive", "zh", parameter="stride", value=0)
'stride 必须是正整数（收到 0）'
"""

from __future__ import annotations

import os
from typing import Any

from cnncalc.messages.check import CHECK
from cnncalc.messages.classroom import CLASSROOM
from cnncalc.messages.classzh import CLASSZH
from cnncalc.messages.core import CORE
from cnncalc.messages.diagnosis import DIAGNOSIS
from cnncalc.messages.engine import ENGINE
from cnncalc.messages.grade import GRADE
from cnncalc.messages.hardening import HARDENING
from cnncalc.messages.intake import INTAKE
from cnncalc.messages.limits import QA
from cnncalc.messages.making import MAKING
from cnncalc.messages.net import PIPELINE
from cnncalc.messages.pictures import PICTURES
from cnncalc.messages.students import STUDENTS
from cnncalc.messages.terminal import TERMINAL
from cnncalc.messages.train import TRAIN

LANGS = ("en", "zh")

MESSAGES: dict[str, dict[str, str]] = {}
for _section in (
    CORE, ENGINE, CHECK, DIAGNOSIS, GRADE, PIPELINE, TRAIN, PICTURES, QA, CLASSROOM, HARDENING,
    STUDENTS, TERMINAL, CLASSZH, MAKING, INTAKE,
):
    MESSAGES.update(_section)


def default_lang(environ: dict[str, str] | None = None) -> str:
    """The language of messages, found as Python's gettext finds it: the first
    non-empty of LANGUAGE, LC_ALL, LC_MESSAGES, LANG, read as a colon-separated
    list (``fr:zh_CN:en``) whose first language cnncalc speaks wins; else ``en``.

    >>> default_lang({"LANGUAGE": "fr:zh_CN:en", "LANG": "en_US.UTF-8"})
    'zh'
    >>> default_lang({"LANGUAGE": "", "LC_ALL": "zh_TW.UTF-8"}), default_lang({})
    ('zh', 'en')
    """
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            for item in value.split(":"):
                code = item.split("_")[0].split(".")[0].split("@")[0].lower()
                if code in LANGS:
                    return code
            return "en"
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
    if params.get(entry.get("one_of", "count")) == 1 and f"{lang}_one" in entry:
        template = entry[f"{lang}_one"]  # "1 submission", not "1 submissions"
    try:
        return printable(template.format(**params))
    except (KeyError, IndexError, ValueError):
        return printable(entry["en"].format(**params))
