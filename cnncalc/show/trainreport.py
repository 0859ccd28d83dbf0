"""Text renderings of a ``train-step`` result (no rich): json, plain, csv, tsv,
markdown, latex. ``show/traintables.py`` draws the terminal ``table`` from the same parts.

The report is the loss per step, then for every parameter three grids: its
value before step 1, its gradient at step 1 and its value after the last step;
then, with ``--explain``, the products behind one weight's gradient. In plain,
csv and tsv the titles are ``#`` comment lines (``%`` in latex), so each grid
reads back as a matrix.

>>> import numpy as np
>>> from cnncalc.train.step import ParamReport, TrainResult
>>> r = TrainResult([0.5, 0.25], [ParamReport(1, "linear", "bias", np.array([1.0]),
...     np.array([0.5]), np.array([0.75]))])
>>> print(train_text(r, "plain", precision=2, mode="half-even", lang="en").replace("\\t", " | "))
# loss per step
# step | loss
1 | 0.5000
2 | 0.2500
<BLANKLINE>
# stage 1 · linear · bias · 1 — value (before step 1)
1.00
<BLANKLINE>
# stage 1 · linear · bias · 1 — gradient (at step 1)
0.50
<BLANKLINE>
# stage 1 · linear · bias · 1 — updated (after step 2)
0.75
<BLANKLINE>
"""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np

from cnncalc.formats import format_maps, json_text
from cnncalc.messages import text as _t
from cnncalc.numfmt import format_value


def loss_rows(losses: list[float], precision: int, mode: str) -> list[tuple[str, str]]:
    """(step, loss) pairs as text; the loss shows at least 4 decimals."""
    return [(str(k), format_value(v, max(precision, 4), mode)) for k, v in enumerate(losses, 1)]


def param_title(p: Any, lang: str) -> str:
    shape = "×".join(str(n) for n in np.shape(p.value))
    return _t("train.param_title", lang, stage=p.stage, stage_name=p.stage_name, name=p.name,
              shape=shape)


def grid_parts(p: Any, steps: int, lang: str) -> list[tuple[str, np.ndarray]]:
    """The three grids of one parameter with their captions."""
    return [
        (_t("train.value", lang), p.value),
        (_t("train.grad", lang), p.grad),
        (_t("train.updated", lang, steps=steps), p.updated),
    ]


def explain_header(lang: str) -> list[str]:
    return [_t(k, lang) for k in ("train.col_output", "train.col_input", "train.col_x",
                                  "train.col_g", "train.col_product")]


def _cell(cell: Any) -> str:
    return f"({cell[0]}, {cell[1]})"


def explain_rows(e: Any, precision: int, mode: str, lang: str) -> list[list[str]]:
    """One row per product: output cell, input cell, input value, upstream gradient, product."""
    digits = max(precision, 4)
    rows = []
    for p in e.products:
        where = _cell(p.input) if p.input is not None else _t("train.padding_cell", lang)
        if p.input is not None and p.padded != p.input and e.stage_name == "conv":
            where += f" ← {_cell(p.padded)}"
        rows.append([_cell(p.output), where, format_value(p.x, digits, mode),
                     format_value(p.grad, digits, mode), format_value(p.product, digits, mode)])
    return rows


def explain_lines(e: Any, precision: int, mode: str, lang: str) -> tuple[list[str], list[str]]:
    """Sentences before the products (title, flip) and after them (sum, mean, value)."""
    digits = max(precision, 4)
    block = _t("train.explain_block_part", lang, block=e.block) if e.block else ""
    head = [_t("train.explain_title", lang, stage=e.stage, stage_name=e.stage_name, block=block,
               row=e.row, col=e.col)]
    if e.flipped_to is not None:
        head.append(_t("train.explain_flip", lang, row=e.row, col=e.col, trow=e.flipped_to[0],
                       tcol=e.flipped_to[1]))
    total = format_value(e.total, digits, mode)
    value = format_value(e.value, digits, mode)
    tail = [_t("train.explain_sum", lang, sum=total)]
    if e.divisor != 1:
        tail.append(_t("train.explain_mean", lang, n=e.divisor, sum=total, value=value))
    tail.append(_t("train.explain_value", lang, value=value))
    return head, tail


def train_json(result: Any, explanation: Any = None) -> str:
    """DESIGN.md: ``{"loss": [...], "params": [{"stage", "name", "value", "grad", "updated"}]}``,
    plus ``"explain"`` when a worked gradient was asked for."""
    doc = result.to_json()
    if explanation is not None:
        doc["explain"] = explanation.to_json()
    return json_text(doc)


def train_markdown(result: Any, *, lang: str = "en", precision: int = 4) -> str:
    """A training result as ``train-step --format markdown`` shows it (Jupyter's view)."""
    return train_text(result, "markdown", precision=precision, mode="half-even", lang=lang)


def train_text(result: Any, fmt: str, *, precision: int, mode: str, lang: str,
               explanation: Any = None) -> str:
    """The report in plain, csv, tsv, markdown or latex."""
    comment = {"latex": "% ", "markdown": ""}.get(fmt, "# ")
    sep = {"csv": ",", "markdown": " | "}.get(fmt, "\t")
    steps = len(result.losses)

    def title(s: str) -> str:
        return f"**{s}**" if fmt == "markdown" else f"{comment}{s}"

    def table(header: list[str], rows: list[list[str]]) -> str:
        if fmt == "markdown":
            lines = ["| " + " | ".join(header) + " |", "|" + "---:|" * len(header)]
            return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])
        if fmt == "latex":
            body = [" & ".join(r) + r" \\" for r in rows]
            return "\n".join([r"\begin{tabular}{" + "r" * len(header) + "}",
                              " & ".join(header) + r" \\", r"\hline", *body, r"\end{tabular}"])
        if fmt == "csv":
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(rows)
            return comment + ",".join(header) + "\n" + buf.getvalue().rstrip("\n")
        return "\n".join([comment + sep.join(header)] + [sep.join(r) for r in rows])

    parts = [title(_t("train.loss_title", lang)) + "\n"
             + table([_t("train.col_step", lang), _t("train.col_loss", lang)],
                     [list(r) for r in loss_rows(result.losses, precision, mode)])]
    if not result.params:
        parts.append(comment + _t("train.no_params", lang))
    for p in result.params:
        for caption, grid in grid_parts(p, steps, lang):
            heading = title(f"{param_title(p, lang)} — {caption}")
            parts.append(heading + "\n" + format_maps(grid, fmt, precision, mode))
    if explanation is not None:
        head, tail = explain_lines(explanation, precision, mode, lang)
        rows = explain_rows(explanation, precision, mode, lang)
        if fmt == "markdown":
            parts.append("\n\n".join([title(head[0]), *head[1:],
                                      table(explain_header(lang), rows), "  \n".join(tail)]))
        else:
            lines = [comment + s for s in head] + [table(explain_header(lang), rows)]
            parts.append("\n".join(lines + [comment + s for s in tail]))
    return "\n\n".join(parts) + "\n"
