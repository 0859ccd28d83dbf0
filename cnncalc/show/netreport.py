"""Text renderings of ``run`` and ``shape`` results (no rich): json, plain, csv,
tsv, markdown, latex. ``show/nettables.py`` draws the terminal ``table`` from the same rows.

Sentences come in through ``lang``; vector positions are 0-based, like the
class indices of ``--target`` (maps keep their 1-based rows and columns).

>>> from cnncalc.net.shapes import shape_summary
>>> lines = shape_text(shape_summary((1, 5, 5), "conv(2, 3) | flatten"), "plain").splitlines()
>>> [line.split("\\t") for line in lines]  # doctest: +NORMALIZE_WHITESPACE
[['stage', 'output shape', 'params', 'MACs'], ['input', '1×5×5'],
 ['conv(2, 3)', '2×3×3', '20', '180'], ['flatten', '18', '0', '0'], ['total', '', '20', '180']]
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import numpy as np

from cnncalc.formats import format_maps, json_text, squeeze_maps
from cnncalc.messages import text as _t
from cnncalc.numfmt import format_value, format_values

VECTOR_ROW = 10


def shape_text_of(shape: Sequence[int]) -> str:
    return "×".join(str(n) for n in shape)


# --------------------------------------------------------------------------- run


def run_json(results: Sequence[Any], loss: float | None, prediction: int | None,
             selected: int | None = None) -> str:
    """DESIGN.md: ``{"stages": [{"stage", "shape", "output"}], "output", "loss", "prediction"}``.

    ``selected`` (1-based) keeps only that stage in ``stages``; ``output`` is
    always the network's final output.
    """
    chosen = [results[selected - 1]] if selected else list(results)
    final = results[-1].output if results else None
    return json_text({
        "stages": [
            {"stage": r.stage.text, "shape": list(r.shape), "output": squeeze_maps(r.output)}
            for r in chosen
        ],
        "output": squeeze_maps(final) if final is not None else None,
        "loss": loss,
        "prediction": prediction,
    })


def stage_title(result: Any, lang: str) -> str:
    return _t("run.stage_title", lang, index=result.stage.index, text=result.stage.text,
              shape=shape_text_of(result.shape))


def summary_lines(loss: float | None, prediction: int | None, target: Any,
                  precision: int, mode: str, lang: str, loss_kind: str = "ce") -> list[str]:
    """The loss and predicted-class sentences shown after the stages."""
    lines = []
    if loss is not None and target is not None:
        value = format_value(loss, max(precision, 4), mode)
        if loss_kind == "ce" and isinstance(target, int):
            lines.append(_t("run.loss", lang, target=target, loss=value))
        else:
            lines.append(_t("run.loss_named", lang, name=_t(f"loss.name.{loss_kind}", lang),
                            target=target, loss=value))
    if prediction is not None:
        lines.append(_t("run.prediction", lang, cls=prediction))
    return lines


def run_text(results: Sequence[Any], fmt: str, *, precision: int, mode: str, lang: str,
             loss: float | None = None, prediction: int | None = None, target: Any = None,
             selected: int | None = None, loss_kind: str = "ce") -> str:
    """Every stage (or the ``selected`` one, bare) in plain, csv, tsv, markdown or latex.

    Titles and the loss are comment lines (``#``, ``%`` in latex) so plain output
    reads back as matrices; markdown uses bold titles.
    """
    chosen = [results[selected - 1]] if selected else list(results)
    comment = {"latex": "% ", "markdown": ""}.get(fmt, "# ")
    parts = []
    map_word = _t("cli.map_title", lang, index="").strip()
    for r in chosen:
        body = _stage_body(r.output, fmt, precision, mode, map_word)
        if selected:
            parts.append(body)
        elif fmt == "markdown":
            parts.append(f"**{stage_title(r, lang)}**\n\n{body}")
        else:
            parts.append(f"{comment}{stage_title(r, lang)}\n{body}")
    tail = summary_lines(loss, prediction, target, precision, mode, lang, loss_kind)
    if tail:
        parts.append("\n".join(f"{comment}{line}" if fmt != "markdown" else f"{line}  " for line in tail))
    return "\n\n".join(parts) + "\n"


def _stage_body(output: np.ndarray, fmt: str, precision: int, mode: str, map_word: str) -> str:
    if fmt == "markdown" and np.ndim(output) == 1:
        return vector_markdown(output, precision, mode)
    return format_maps(squeeze_maps(output), fmt, precision, mode, title=map_word)


def vector_rows(values: np.ndarray, width: int = VECTOR_ROW) -> tuple[list[str], list[tuple[int, np.ndarray]]]:
    """Column labels and ``(first index, values)`` rows of a vector wrapped at ``width``.

    >>> labels, rows = vector_rows(np.arange(12.0))
    >>> labels[:3], [(start, row.tolist()[:2]) for start, row in rows]
    (['+0', '+1', '+2'], [(0, [0.0, 1.0]), (10, [10.0, 11.0])])
    >>> vector_rows(np.arange(3.0))[0]
    ['0', '1', '2']
    """
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    if v.size <= width:
        return [str(i) for i in range(v.size)], [(0, v)]
    labels = [f"+{j}" for j in range(width)]
    return labels, [(i, v[i : i + width]) for i in range(0, v.size, width)]


def vector_markdown(values: np.ndarray, precision: int, mode: str) -> str:
    """A vector as a Markdown table labelled with 0-based positions."""
    labels, rows = vector_rows(values)
    wrapped = len(rows) > 1
    head = ([""] if wrapped else []) + labels
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for start, row in rows:
        cells = list(format_values(row, precision, mode))
        cells += [""] * (len(labels) - len(cells))
        lines.append("| " + (f"**{start}** | " if wrapped else "") + " | ".join(cells) + " |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- shape


def shape_rows(summary: Any, lang: str, *, human: bool = True) -> tuple[list[str], list[list[str]]]:
    """Header and rows (input row, one per stage, total row) of a shape summary."""
    num = (lambda n: f"{n:,}") if human else str
    header = [_t(k, lang) for k in ("shape.col_stage", "shape.col_output", "shape.col_params", "shape.col_macs")]
    rows = [[_t("shape.input_row", lang), shape_text_of(summary.input_shape), "", ""]]
    for layer in summary.layers:
        rows.append([layer.stage, shape_text_of(layer.output_shape), num(layer.params), num(layer.macs)])
    rows.append([_t("shape.total", lang), "", num(summary.total_params), num(summary.total_macs)])
    return header, rows


def shape_json(summary: Any) -> str:
    return json_text(summary.to_json())


def shape_text(summary: Any, fmt: str, lang: str = "en") -> str:
    """The shape table in plain, csv, tsv, markdown or latex."""
    header, rows = shape_rows(summary, lang, human=fmt in ("plain", "markdown", "latex", "table"))
    if fmt in ("plain", "table"):
        return "\n".join("\t".join(r).rstrip("\t") for r in [header, *rows])
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(["stage", "output_shape", "params", "macs"])
        writer.writerows(rows)
        return buf.getvalue().rstrip("\n")
    if fmt == "markdown":
        lines = ["| " + " | ".join(header) + " |", "|---|---|---:|---:|"]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
        return "\n".join(lines)
    if fmt == "latex":
        esc = str.maketrans({"_": r"\_", "&": r"\&", "%": r"\%", "#": r"\#", "×": r"$\times$"})
        body = [" & ".join(c.translate(esc) for c in r) + r" \\" for r in rows]
        head = " & ".join(header) + r" \\"
        return "\n".join(
            [r"\begin{tabular}{llrr}", r"\hline", head, r"\hline", *body[:-1], r"\hline", body[-1],
             r"\hline", r"\end{tabular}"]
        )
    raise ValueError(f"unknown format {fmt!r}")
