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
from cnncalc.messages.core import CORE
from cnncalc.messages.diagnosis import DIAGNOSIS
from cnncalc.messages.grade import GRADE
from cnncalc.messages.limits import QA
from cnncalc.messages.net import PIPELINE
from cnncalc.messages.pictures import PICTURES
from cnncalc.messages.train import TRAIN

LANGS = ("en", "zh")

MESSAGES: dict[str, dict[str, str]] = {}
for _section in (CORE, CHECK, DIAGNOSIS, GRADE, PIPELINE, TRAIN, PICTURES, QA):
    MESSAGES.update(_section)


def default_lang(environ: dict[str, str] | None = None) -> str:
    """Pick ``zh`` when the locale (LC_ALL, LC_MESSAGES, LANG) is Chinese, else ``en``."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def text(key: str, lang: str = "en", **params: Any) -> str:
    """Return the sentence for ``key`` in ``lang`` with ``params`` filled in."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key + (" " + repr(params) if params else "")
    template = entry.get(lang) or entry["en"]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return entry["en"].format(**params)
