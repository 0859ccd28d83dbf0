"""The sentence of a diagnosis: per-cell causes with their lead, a catalogue mistake
with its evidence, a pair of mistakes as one sentence.

The teacher's view (``cnncalc check``) may end a sentence with command-line
advice (``check.advice.<label>.<variant>``, or the key's ``.student`` version
for a student); a student's feedback asks for ``student=True`` and gets none.

>>> say("sign", "zh", count=7, wrong=47)
'47 个错格中有 7 个是正负号错误：绝对值对了，但符号反了。请检查各乘积的正负号。'
>>> say("missing-bias", "en", variant="value", bias="1.5",
...     evidence={"row": 2, "col": 3, "got": "1.22", "expected": 2.72})
'The bias 1.5 was left out: add it to every sum of products. For example cell (2, 3): you wrote 1.22, the right value is 2.72.'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnncalc.check.catalogue import SETTING_LABELS
from cnncalc.check.cells import CELL_LABELS


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _gap(lang: str) -> str:
    """Between two sentences: a space in English, nothing after a Chinese full stop."""
    return "" if lang == "zh" else " "


def _key(base: str, student: bool) -> str:
    from cnncalc.messages import MESSAGES

    if student and base + ".student" in MESSAGES:
        return base + ".student"
    return base


def _template(key: str, lang: str, params: dict[str, Any]) -> str:
    from cnncalc.messages import MESSAGES

    entry = MESSAGES[key]
    return (entry.get(lang) or entry["en"]).format_map(_Params(params))


def _first(*keys: str) -> str:
    from cnncalc.messages import MESSAGES

    return next(k for k in keys if k in MESSAGES)


def _variant(label: str, params: dict[str, Any]) -> str | None:
    variant = params.get("variant")
    if variant is None and label in SETTING_LABELS and "setting" in params:
        return "setting"
    return variant


def _pool_names(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """The pooling kinds and the other problem as a sentence says them."""
    from cnncalc.messages import MESSAGES, text

    out = dict(params)
    other = params.get("other")
    if isinstance(other, str):
        out["other_ref"] = f"“{other}”"
    elif other is not None:
        out["other_ref"] = text("check.problem_name", lang, index=other)
    for name, field in (("setting", "kind"), ("expected", "expected_kind")):
        key = f"check.pool.{params.get(name)}"
        if key in MESSAGES:
            out[field] = _template(key, lang, {})
    return out


def what(label: str, lang: str, params: dict[str, Any]) -> str:
    """The short phrase of one mistake, for the sentence of a pair."""
    variant = _variant(label, params)
    key = _first(f"check.what.{label}.{variant}", f"check.what.{label}", "check.diag.swapped-answers")
    return _template(key, lang, _pool_names(params, lang))


def evidence(ev: dict[str, Any], lang: str, decimals: int = 2) -> str:
    """``For example cell (2, 3): you wrote 1.22, the right value is 2.72.``"""
    from cnncalc.check.worked import number_text

    where = _template("check.where_map" if "map" in ev else "check.where", lang, ev)
    got = ev["got"] + _fraction(ev.get("mistake"))
    if "expected" in ev:
        shown = number_text(ev["expected"], max(decimals, 2))
        return _template("check.evidence", lang, {"where": where, "got": got, "expected": shown})
    return _template("check.evidence_shape", lang, {"where": where, "got": got})


def _fraction(value: float | None) -> str:
    """`` = 11/9`` when the mistake's value is a fraction with a small denominator
    (what the student computed, exactly), else nothing.

    >>> _fraction(11 / 9), _fraction(2.0), _fraction(0.1234567)
    (' = 11/9', '', '')
    """
    from fractions import Fraction

    if value is None or not np.isfinite(value) or float(value).is_integer():
        return ""
    f = Fraction(float(value)).limit_denominator(100)
    if f.denominator in (1, 2, 4, 5, 10, 20, 25, 50, 100) or abs(float(f) - value) > 1e-9:
        return ""  # a value with two decimals is written exactly: nothing to add
    return f" = {f.numerator}/{f.denominator}"


def say(label: str, lang: str = "en", *, student: bool = False, **params: Any) -> str:
    """The sentence for ``label`` (a cell cause, a catalogue label or ``a+b``)."""
    from cnncalc.messages import text

    if label in CELL_LABELS:
        count, wrong = params.get("count"), params.get("wrong")
        if count is None or wrong is None:
            lead = text("check.lead.some", lang)
        elif count == wrong:
            lead = text("check.lead.all", lang) if count > 1 else text("check.lead.one", lang)
        else:
            lead = text("check.lead.count", lang, count=count, wrong=wrong)
        params = {"decimals": 2, **params, "lead": lead}
        return _template(_key(f"check.diag.{label}", student), lang, params)
    labels = label.split("+")
    if len(labels) == 2:
        parts = params.get("parts") or {}
        pa, pb = parts.get(labels[0], {}), parts.get(labels[1], {})
        if all(lb in SETTING_LABELS for lb in labels) and "setting" in pa and "setting" in pb:
            key = "check.diag.pair_settings_shape" if "shape" in params else "check.diag.pair_settings"
            out = _template(key, lang, {
                "shape": params.get("shape"),
                "first": pa["setting"], "second": pb["setting"],
                "first_expected": pa.get("expected"), "second_expected": pb.get("expected"),
            })
        else:
            key = "check.diag.pair" if pa or pb else "check.diag.pair_general"
            out = _template(key, lang, {
                "first": what(labels[0], lang, pa), "second": what(labels[1], lang, pb),
            })
    else:
        variant = _variant(label, params)
        key = f"check.diag.{label}"
        if params.get("variant") == "shape":
            key = "check.diag.shape_setting"
        key = _first(f"{key}.{variant}", key)
        out = _template(_key(key, student), lang, _pool_names(params, lang))
    if params.get("evidence"):
        out += _gap(lang) + evidence(params["evidence"], lang, int(params.get("decimals") or 2))
    advice = f"check.advice.{label}.{params.get('variant')}"
    if not student and _first(advice, "check.diag.sign") == advice:
        out += _gap(lang) + _template(advice, lang, params)
    return out
