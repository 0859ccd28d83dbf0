"""JSON matrices: nested lists of numbers, or cnncalc's own ``--format json`` object.

A JSON matrix holds numbers only: ``true``, ``null``, strings and objects are refused
at their line and column (numpy would read ``true`` as 1 and ``"0.5"`` as 0.5).

>>> load_json('{"shape": [1, 2], "output": [[0.5, 1]]}', "x.json", False).tolist()
[[0.5, 1.0]]
"""

from __future__ import annotations

import json
import re

import numpy as np

from cnncalc.errors import MatrixFormatError
from cnncalc.read.grids import Grid

_JSON_START = re.compile(r"\s*\{\s*[\"}]")  # not Mathematica's {{1, 2}, {3, 4}}


def looks_like_json(text: str) -> bool:
    """An object first (cnncalc's ``--format json``), looked at without copying the text."""
    return _JSON_START.match(text) is not None



def grids_from_array(arr: np.ndarray, name: str, decimals: np.ndarray | None = None) -> list[Grid]:
    if arr.ndim == 2:
        arr = arr[None]
    elif arr.ndim == 4:
        arr = arr.reshape(-1, *arr.shape[-2:])
    if decimals is None:
        dec = np.full(arr.shape[-2:], -1, dtype=np.int16)
        return [Grid(values=a, decimals=dec, source=name) for a in arr]
    decs = decimals.reshape(arr.shape)
    return [Grid(values=a, decimals=d, source=name) for a, d in zip(arr, decs)]


def check_array(arr: np.ndarray, name: str, allow_nonfinite: bool = False) -> np.ndarray:
    if arr.ndim < 2 or arr.ndim > 4:
        if arr.ndim == 1 and arr.size:
            arr = arr[None, :]
        else:
            raise MatrixFormatError("read.dims", file=name, ndim=arr.ndim)
    if arr.size == 0:
        raise MatrixFormatError("read.empty", file=name)
    if not allow_nonfinite and not np.all(np.isfinite(arr)):
        raise MatrixFormatError("read.nonfinite", file=name, token="nan/inf")
    return arr


def load_json(text: str, name: str, allow_nonfinite: bool) -> np.ndarray:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MatrixFormatError(
            "read.json", file=name, line=exc.lineno, column=exc.colno, reason=exc.msg
        ) from exc
    except RecursionError as exc:
        raise MatrixFormatError("read.json_deep", file=name) from exc
    span = (0, len(text))
    if isinstance(data, dict):
        for key in ("output", "weight", "matrix", "data", "values"):
            if key in data:
                data = data[key]
                span = _json_value_span(text, key)
                break
    _check_json_values(text, span, name, allow_nonfinite)
    try:
        arr = np.array(data, dtype=np.float64)
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise MatrixFormatError("read.json_shape", file=name) from exc
    return check_array(arr, name, allow_nonfinite)


# A JSON matrix holds numbers only: numpy would read true as 1 and "0.5" as 0.5.
_JSON_NOT_NUMBER = re.compile(r'"(?:[^"\\]|\\.)*"|\btrue\b|\bfalse\b|\bnull\b|\{|-?\bNaN\b|-?Infinity\b')


def _json_value_span(text: str, key: str) -> tuple[int, int]:
    """Where the value of ``key`` (the last one written, as ``json`` keeps) lies in ``text``."""
    starts = [m.end() for m in re.finditer(r'"' + key + r'"\s*:\s*', text)]
    if not starts:
        return 0, len(text)
    try:
        _, end = json.JSONDecoder().raw_decode(text, starts[-1])
    except (json.JSONDecodeError, RecursionError):
        return 0, len(text)
    return starts[-1], end


def _check_json_values(text: str, span: tuple[int, int], name: str, allow_nonfinite: bool) -> None:
    """Refuse ``true``, ``null``, a string or an object in a JSON matrix, at its line and column
    (nan and inf too, unless allowed); one search of the text, no walk of the values."""
    for m in _JSON_NOT_NUMBER.finditer(text, *span):
        token = m.group()
        nonfinite = token.lstrip("-") in ("NaN", "Infinity")
        if nonfinite and allow_nonfinite:
            continue
        pos = m.start()
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        if len(token) > 24:
            token = token[:21] + "..."
        raise MatrixFormatError(
            "read.nonfinite" if nonfinite else "read.json_value", file=name,
            line=text.count("\n", 0, pos) + 1, column=pos - start + 1,
            line_text=text[start : end if end >= 0 else len(text)], token=token,
        )
