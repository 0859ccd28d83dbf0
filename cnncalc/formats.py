"""Plain-text renderings of maps: plain, csv, tsv, json, markdown, latex.

Pure functions (no rich): the CLI, the grader and the feedback files share them.
``plain`` is the seed's own layout: one row a line, values separated by a tab,
maps separated by a blank line, so it pastes straight into a homework file.

>>> format_maps(np.array([[7 / 9, -1 / 9], [0.5, 1.0]]), "plain", 2, "truncate").split()
['0.77', '-0.11', '0.50', '1.00']
>>> print(format_maps(np.array([[1.0, 0.5]]), "latex", 1, "half-up"))
\\begin{bmatrix}
1.0 & 0.5
\\end{bmatrix}
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np

from cnncalc.numfmt import format_full, format_values

FORMATS = ("table", "plain", "csv", "tsv", "json", "markdown", "latex")
SUFFIX_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".tex": "latex",
}


def as_maps(array: np.ndarray) -> np.ndarray:
    """View any 0-D to 4-D result as a stack of 2-D maps (a vector is one row)."""
    arr = np.asarray(array, dtype=np.float64)
    if arr.ndim == 0:
        return arr.reshape(1, 1, 1)
    if arr.ndim == 1:
        return arr.reshape(1, 1, -1)
    return arr.reshape(-1, *arr.shape[-2:])


def squeeze_maps(array: np.ndarray) -> np.ndarray:
    """One map is reported 2-D, several 3-D (DESIGN.md JSON shapes)."""
    arr = np.asarray(array)
    while arr.ndim > 2 and arr.shape[0] == 1:
        arr = arr[0]
    return arr


def format_maps(
    array: np.ndarray,
    fmt: str,
    precision: int | None = 2,
    mode: str = "half-even",
    title: str = "map",
) -> str:
    """Render ``array`` in one of the text formats (not ``table`` or ``json``).

    ``precision=None`` writes every number in full (the shortest text that reads
    back as exactly the same float).

    >>> format_maps(np.array([[7 / 9, 1.0]]), "plain", None)
    '0.7777777777777778\\t1'
    """
    maps = as_maps(array)
    if precision is None:
        cells = np.vectorize(format_full, otypes=[object])(maps)
    else:
        cells = format_values(maps, precision, mode)
    if fmt in ("plain", "tsv", "table"):
        return "\n\n".join("\n".join("\t".join(row) for row in m) for m in cells)
    if fmt == "csv":
        return "\n\n".join("\n".join(",".join(row) for row in m) for m in cells)
    if fmt == "markdown":
        return "\n\n".join(
            _markdown_table(m, f"{title} {i}" if len(cells) > 1 else None)
            for i, m in enumerate(cells, start=1)
        )
    if fmt == "latex":
        return "\n\n".join(_latex_matrix(m) for m in cells)
    raise ValueError(f"unknown format {fmt!r}")


def _markdown_table(cells: np.ndarray, heading: str | None) -> str:
    cols = cells.shape[1]
    lines = []
    if heading:
        lines += [f"**{heading}**", ""]
    lines.append("|   | " + " | ".join(str(j) for j in range(1, cols + 1)) + " |")
    lines.append("|---|" + "---:|" * cols)
    for i, row in enumerate(cells, start=1):
        lines.append(f"| **{i}** | " + " | ".join(row) + " |")
    return "\n".join(lines)


def _latex_matrix(cells: np.ndarray) -> str:
    rows = [" & ".join(row) for row in cells]
    return "\\begin{bmatrix}\n" + " \\\\\n".join(rows) + "\n\\end{bmatrix}"


def to_jsonable(value: Any) -> Any:
    """Numpy arrays and scalars to lists and floats; nan/inf become strings."""
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist())
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return to_jsonable(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def json_text(obj: Any) -> str:
    """Stable, full-precision JSON (keys in the order given)."""
    text = json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2)
    # keep each innermost list of numbers on one line: a map reads row by row
    return _INNER_LIST.sub(lambda m: "[" + ", ".join(_SPACES.split(m.group(1).strip())) + "]", text)


_INNER_LIST = re.compile(r"\[\s*((?:-?[\d.eE+-]+|\"-?inf\"|\"nan\"|null|true|false)(?:,\s*(?:-?[\d.eE+-]+|\"-?inf\"|\"nan\"|null|true|false))*)\s*\]")
_SPACES = re.compile(r",\s*")


def maps_json(array: np.ndarray) -> str:
    """``{"shape": [...], "output": nested lists}`` for conv/pool/relu."""
    arr = squeeze_maps(array)
    return json_text({"shape": list(arr.shape), "output": arr})
