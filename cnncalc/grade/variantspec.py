"""The ``random`` table of a problem: presets, and the checked specs that
``variants.draw_variant`` draws from (see ``variants`` for the exact rules).

Every entry is checked before anything is drawn; a bad one raises
``VariantSpecError`` whose ``key`` names it (``random.stride: ...``).

>>> parse_random_table({"preset": "easy"}).image_sizes
[(4, 4), (5, 5), (6, 6)]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cnncalc.errors import ParameterError

SETTING_KEYS = ("stride", "padding", "dilation", "norm", "bias", "relu", "pooling", "stages")
SIZE_KEYS = ("image_size", "kernel_size")
VALUE_KEYS = ("image_values", "kernel_values")
TABLE_KEYS = ("preset", *SIZE_KEYS, *VALUE_KEYS, *SETTING_KEYS, "min_output")
MIN_OUTPUT = 2  # default smallest side of an answer: a 1x1 answer teaches little
MAX_SIDE = 64
MAX_PLACES = 6

PRESETS: dict[str, dict[str, Any]] = {
    "easy": {
        "image_size": [4, 6],
        "image_values": [-1, 1],
        "kernel_size": 2,
        "kernel_values": [-1, 1],
        "stride": [1],
        "padding": [0],
        "dilation": [1],
        "norm": ["sum"],
        "bias": [0],
        "relu": [False],
        "pooling": ["none"],
    },
    "medium": {
        "image_size": [5, 7],
        "image_values": {"min": -2, "max": 3},
        "kernel_size": 3,
        "kernel_values": {"min": -1, "max": 2},
        "stride": [1, 2],
        "padding": [0, 1],
        "dilation": [1],
        "norm": ["sum", "mean"],
        "bias": [0],
        "relu": [False, True],
        "pooling": ["none", "max:2"],
    },
    "hard": {
        "image_size": [6, 9],
        "image_values": {"min": -1, "max": 1, "places": 1},
        "kernel_size": [2, 3],
        "kernel_values": {"min": -1, "max": 1, "places": 1},
        "stride": [1, 2, 3],
        "padding": [0, 1, 2],
        "dilation": [1, 2],
        "norm": ["sum", "mean"],
        "bias": [0, 0.5, -1],
        "relu": [False, True],
        "pooling": ["none", "max:2", "mean:2"],
    },
}


class VariantSpecError(ParameterError):
    """A ``random`` table that cannot be drawn from; ``entry`` names the entry and
    the message key says why (``random.stride: ...``)."""

    def __init__(self, entry: str, reason: str, **params: Any) -> None:
        self.entry = entry
        super().__init__(reason, **params)

    def message(self, lang: str = "en") -> str:
        return f"random.{self.entry}: " + super().message(lang)



def _int(value: Any, key: str, lo: int = -(10**9), hi: int = 10**9) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise VariantSpecError(key, "classroom.spec_int", lo=lo, hi=hi, value=repr(value))
    return value


def _number(value: Any, key: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise VariantSpecError(key, "classroom.spec_number", value=repr(value))
    if abs(value) > 1e9:
        raise VariantSpecError(key, "classroom.spec_too_large", value=repr(value))
    return value


def size_spec(value: Any, key: str) -> list[tuple[int, int]]:
    """The shapes a size spec allows, in order (a draw picks one, equally likely).

    >>> size_spec(3, "k"), size_spec([2, 4], "k")
    ([(3, 3)], [(2, 2), (3, 3), (4, 4)])
    >>> size_spec({"choices": [2, [3, 5]]}, "k")
    [(2, 2), (3, 5)]
    """
    if isinstance(value, Mapping):
        if set(value) == {"choices"}:
            items = value["choices"]
            if not isinstance(items, list) or not items:
                raise VariantSpecError(key, "classroom.spec_choices")
            out = []
            for item in items:
                if isinstance(item, list) and len(item) == 2:
                    out.append((_int(item[0], key, 1, MAX_SIDE), _int(item[1], key, 1, MAX_SIDE)))
                else:
                    side = _int(item, key, 1, MAX_SIDE)
                    out.append((side, side))
            return out
        if set(value) == {"min", "max"}:
            value = [value["min"], value["max"]]
        else:
            raise VariantSpecError(key, "classroom.spec_size_table")
    if isinstance(value, list):
        if len(value) != 2:
            raise VariantSpecError(key, "classroom.spec_range")
        lo, hi = _int(value[0], key, 1, MAX_SIDE), _int(value[1], key, 1, MAX_SIDE)
        if lo > hi:
            raise VariantSpecError(key, "classroom.spec_min_max", lo=lo, hi=hi)
        return [(n, n) for n in range(lo, hi + 1)]
    side = _int(value, key, 1, MAX_SIDE)
    return [(side, side)]


@dataclass(frozen=True)
class ValueSpec:
    """Where cell values come from: a set, an integer range, or a decimal range."""

    choices: tuple[int | float, ...] = ()
    lo: int = 0  # inclusive, in units of 10**-places
    hi: int = 0
    places: int = 0

    def draw(self, d: Any) -> int | float:
        if self.choices:
            return d.choice(self.choices)
        k = d.integer(self.lo, self.hi)
        return k if self.places == 0 else round(k / 10**self.places, self.places)


def value_spec(value: Any, key: str) -> ValueSpec:
    """Parse a values spec.

    >>> value_spec([-1, 1], "v").choices, value_spec({"min": -2, "max": 3}, "v").hi
    ((-1, 1), 3)
    >>> s = value_spec({"min": -0.5, "max": 1, "places": 1}, "v"); (s.lo, s.hi, s.places)
    (-5, 10, 1)
    """
    if isinstance(value, list):
        if not value:
            raise VariantSpecError(key, "classroom.spec_empty_set")
        return ValueSpec(choices=tuple(_number(v, key) for v in value))
    if not isinstance(value, Mapping) or not {"min", "max"} <= set(value) <= {"min", "max", "places"}:
        raise VariantSpecError(key, "classroom.spec_values")
    places = _int(value.get("places", 0), key, 0, MAX_PLACES)
    scale = 10**places
    lo_f, hi_f = _number(value["min"], key), _number(value["max"], key)
    lo, hi = round(lo_f * scale), round(hi_f * scale)
    if abs(lo - lo_f * scale) > 1e-6 or abs(hi - hi_f * scale) > 1e-6:
        raise VariantSpecError(key, "classroom.spec_places", places=places)
    if lo > hi:
        raise VariantSpecError(key, "classroom.spec_min_max", lo=lo_f, hi=hi_f)
    return ValueSpec(lo=lo, hi=hi, places=places)


def parse_pool(value: Any, key: str) -> tuple[str, int, int] | None:
    """``"none"`` or ``KIND:SIZE[:STRIDE]`` (kind max, mean or sum)."""
    if value in ("none", "", None, False):
        return None
    parts = str(value).split(":")
    if len(parts) not in (2, 3) or parts[0] not in ("max", "mean", "sum"):
        raise VariantSpecError(key, "classroom.spec_pool", value=repr(value))
    try:
        size = int(parts[1])
        stride = int(parts[2]) if len(parts) == 3 else size
    except ValueError:
        raise VariantSpecError(key, "classroom.spec_pool", value=repr(value)) from None
    if size < 1 or stride < 1:
        raise VariantSpecError(key, "classroom.spec_pool", value=repr(value))
    return parts[0], size, stride


def _settings(value: Any, key: str) -> list[Any]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise VariantSpecError(key, "classroom.spec_empty_list")
    checks: dict[str, Callable[[Any], Any]] = {
        "stride": lambda v: _int(v, key, 1, 16),
        "padding": lambda v: _int(v, key, 0, 16),
        "dilation": lambda v: _int(v, key, 1, 16),
        "bias": lambda v: _number(v, key),
        "pooling": lambda v: (parse_pool(v, key), v)[1],
    }
    for item in items:
        if key in checks:
            checks[key](item)
        elif key == "norm" and item not in ("sum", "mean"):
            raise VariantSpecError(key, "classroom.spec_norm", value=repr(item))
        elif key == "relu" and not isinstance(item, bool):
            raise VariantSpecError(key, "classroom.spec_bool", value=repr(item))
        elif key == "stages" and not isinstance(item, str):
            raise VariantSpecError(key, "classroom.spec_stages", value=repr(item))
    return items


@dataclass(frozen=True)
class RandomSpec:
    """A parsed ``random`` table (preset filled in, every entry checked)."""

    image_sizes: list[tuple[int, int]]
    image_values: ValueSpec
    kernel_sizes: list[tuple[int, int]]
    kernel_values: ValueSpec
    settings: dict[str, list[Any]]
    min_output: int = MIN_OUTPUT


def parse_random_table(table: Mapping[str, Any]) -> RandomSpec:
    """Check a problem's ``random`` table; the preset (if any) fills missing keys.

    >>> s = parse_random_table({"preset": "medium", "stride": 1})
    >>> s.settings["stride"], s.kernel_sizes
    ([1], [(3, 3)])
    >>> parse_random_table({"preset": "extreme"})
    Traceback (most recent call last):
    ...
    cnncalc.grade.variantspec.VariantSpecError: random.preset: 'extreme' is not easy, medium or hard
    """
    for key in table:
        if key not in TABLE_KEYS:
            raise VariantSpecError(str(key), "classroom.spec_unknown", keys=", ".join(TABLE_KEYS))
    merged: dict[str, Any] = {}
    if "preset" in table:
        if table["preset"] not in PRESETS:
            raise VariantSpecError("preset", "classroom.spec_preset", value=repr(table["preset"]))
        merged.update(PRESETS[table["preset"]])
    merged.update({k: v for k, v in table.items() if k != "preset"})
    for key in ("image_size", "image_values", "kernel_size", "kernel_values"):
        if key not in merged:
            raise VariantSpecError(key, "classroom.spec_missing")
    settings = {key: _settings(merged[key], key) for key in SETTING_KEYS if key in merged}
    return RandomSpec(
        size_spec(merged["image_size"], "image_size"),
        value_spec(merged["image_values"], "image_values"),
        size_spec(merged["kernel_size"], "kernel_size"),
        value_spec(merged["kernel_values"], "kernel_values"),
        settings,
        _int(merged.get("min_output", MIN_OUTPUT), "min_output", 1, MAX_SIDE),
    )
