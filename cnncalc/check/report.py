"""Turn check results and explanations into a view, then into plain text, Markdown or JSON.

The view (``Section`` of ``GridView`` and ``Line`` blocks) is built once and
drawn by one renderer per format: ``render_plain`` and ``render_markdown``
here, the coloured table in ``show/checktables.py``. No rich here.

>>> from cnncalc.read import parse_text
>>> from cnncalc.check.compare import check_answer
>>> grids = parse_text("0.77 0.11\\n1 0.5")
>>> r = check_answer(grids, np.array([[7 / 9, -1 / 9], [1.0, 0.5]]), name="p")
>>> for line in render_plain(check_sections([CheckedAnswer(r, grids)], lang="en")).splitlines():
...     print(line.replace("\\t", " | "))
p: 1 of 4 cells wrong
0.77 | 0.11 → -0.11
1 | 0.5
- The wrong cell: the right size but the wrong sign. Check the signs of the products.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cnncalc.check.cells import written_decimals
from cnncalc.check.compare import AnswerResult
from cnncalc.check.worked import Explanation, number_text, sum_expression
from cnncalc.messages import text
from cnncalc.numfmt import format_value
from cnncalc.read import Grid


@dataclass
class GridView:
    """A grid to draw: ``cells`` text, ``marked`` cells (wrong, or in the window)."""

    cells: np.ndarray
    marked: np.ndarray
    title: str | None = None
    kind: str = "wrong"  # or "field" (an explanation's receptive field)


@dataclass
class Line:
    text: str
    bullet: bool = False
    tone: str = ""  # "good", "bad" or "" (the table renderer colours it)


@dataclass
class Section:
    title: str
    blocks: list[GridView | Line] = field(default_factory=list)
    ok: bool | None = None


@dataclass
class CheckedAnswer:
    """One checked answer with what the report shows beside it."""

    result: AnswerResult
    grids: list[Grid]
    explanations: list[Explanation] = field(default_factory=list)


# --------------------------------------------------------------------------- views


def _shape_text(shape: tuple) -> str:
    return "×".join(str(n) for n in shape) if shape else "—"


def written_cells(grid: Grid) -> np.ndarray:
    """The numbers as the student wrote them (decimals kept, fractions as fractions)."""
    d = written_decimals(grid.values, grid.decimals)
    flat = [
        number_text(v) if places >= 12 else f"{v:.{places}f}"
        for v, places in zip(grid.values.reshape(-1).tolist(), d.reshape(-1).tolist())
    ]
    cells = np.array(flat, dtype=object).reshape(grid.shape)
    if grid.texts is not None:
        cells = np.where(grid.texts != None, grid.texts, cells)
    return cells


def fraction_text(value: float) -> str | None:
    """``value`` as a fraction when one with a denominator up to 10^6 is exactly it.

    >>> fraction_text(7 / 9), fraction_text(1.0), fraction_text(-1 / 9), fraction_text(0.1234567)
    ('7/9', '1', '-1/9', None)
    """
    from fractions import Fraction

    if not np.isfinite(value):
        return None
    f = Fraction(value).limit_denominator(10**6)
    if float(f) != value:
        return None
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def _exact_at(value: float, places: int) -> bool:
    from cnncalc.numfmt import round_values, snap

    return bool(round_values(np.array([value]), places, "truncate")[0] == snap(np.array([value]))[0])


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def expected_text(expected: float, written: str, places: int, mode: str = "half-even") -> str:
    """The expected value at ``places`` decimals, cut the way the student cuts
    when that makes the digits agree (so a sign error reads ``0.55 → -0.55``).

    >>> expected_text(-5 / 9, "0.55", 2), expected_text(-5 / 9, "0.5", 2)
    ('-0.55', '-0.56')
    """
    from cnncalc.numfmt import ROUND_MODES

    for m in (mode,) + tuple(k for k in ROUND_MODES if k != mode):
        shown = format_value(expected, places, m)
        if shown.lstrip("-") == str(written).lstrip("-"):
            return shown
    return format_value(expected, places, mode)


def sentences(result: AnswerResult, lang: str, *, student: bool = False) -> list[str]:
    """The plain sentences for an answer's diagnosis, the named mistake first."""
    return result.reasons(lang, student=student)


def answer_section(
    item: CheckedAnswer, *, lang: str, precision: int = 2, mode: str = "half-even"
) -> Section:
    r = item.result
    if not r.shape_ok:
        key = "check.title_shape" if r.got_shape else "check.title_missing"
        verdict = text(key, lang)
    elif r.wrong:
        verdict = text("check.summary", lang, wrong=len(r.wrong), cells=r.cells)
    else:
        verdict = text("check.all_right", lang, cells=r.cells)
    title = text("check.title", lang, name=r.name, verdict=verdict)
    section = Section(title, ok=r.correct)
    by_cell = {(w.map, w.row, w.col): w for w in r.wrong}
    for m, grid in enumerate(item.grids if not r.correct else [], start=1):
        cells = written_cells(grid)
        marked = np.zeros(grid.shape, dtype=bool)
        if r.shape_ok:
            d = written_decimals(grid.values, grid.decimals)
            for (wm, row, col), w in by_cell.items():
                if wm != m:
                    continue
                places = int(d[row - 1, col - 1])
                as_fraction = grid.written(row - 1, col - 1) and fraction_text(w.expected)
                if as_fraction:  # written as a fraction: the exact value as one
                    cells[row - 1, col - 1] = f"{cells[row - 1, col - 1]} → {as_fraction}"
                    marked[row - 1, col - 1] = True
                    continue
                if not _exact_at(w.expected, places):
                    places = min(max(places, r.decimals), 12)
                shown = expected_text(w.expected, cells[row - 1, col - 1], places, mode)
                while _same_number(shown, cells[row - 1, col - 1]) and places < 12:
                    places += 1  # --atol/--rtol: show the digits where they differ
                    shown = expected_text(w.expected, cells[row - 1, col - 1], places, mode)
                cells[row - 1, col - 1] = f"{cells[row - 1, col - 1]} → {shown}"
                marked[row - 1, col - 1] = True
        map_title = text("cli.map_title", lang, index=m) if len(item.grids) > 1 else None
        section.blocks.append(GridView(cells, marked, map_title))
    for sentence in sentences(r, lang):
        section.blocks.append(Line(sentence, bullet=True))
    for e in item.explanations:
        section.blocks.append(Line(""))
        section.blocks.append(Line(text("check.explain_heading", lang, row=e.row, col=e.col)))
        section.blocks.extend(explanation_blocks(e, lang=lang, precision=precision, mode=mode))
    return section


def check_sections(
    items: list[CheckedAnswer],
    *,
    lang: str,
    precision: int = 2,
    mode: str = "half-even",
    notes: list[str] | None = None,
) -> list[Section]:
    """One section per answer, then a total when there are several answers."""
    sections = [answer_section(i, lang=lang, precision=precision, mode=mode) for i in items]
    tail = Section("", ok=None)
    for note in notes or []:
        tail.blocks.append(Line(note))
    if len(items) > 1:
        right = sum(i.result.correct for i in items)
        tone = "good" if right == len(items) else "bad"
        key = "check.total_none" if right == 0 else "check.total_all" if right == len(items) else "check.total"
        tail.blocks.append(Line(text(key, lang, right=right, answers=len(items)), tone=tone))
    if tail.blocks:
        sections.append(tail)
    return sections


def _ranges(indices: np.ndarray) -> str:
    """1-based rows/cols as ``1–3`` when consecutive, else ``1, 3, 5``."""
    vals = [int(i) + 1 for i in indices]
    if len(vals) > 1 and all(b - a == 1 for a, b in itertools.pairwise(vals)):
        return f"{vals[0]}–{vals[-1]}"
    return ", ".join(map(str, vals))


def _numbers(arr: np.ndarray, precision: int, mode: str) -> np.ndarray:
    """``number_text`` of every cell, vectorised (a padded image may have millions).

    >>> _numbers(np.array([[7.0, 7 / 9], [-0.0, 0.5]]), 2, "half-even").tolist()
    [['7', '0.78'], ['0', '0.50']]
    """
    from cnncalc.numfmt import format_values, snap

    values = np.asarray(snap(np.asarray(arr, dtype=np.float64)), dtype=np.float64).reshape(-1)
    out = format_values(values, precision, mode).reshape(-1)
    whole = np.isfinite(values) & (values == np.trunc(values)) & (np.abs(values) < 1e15)
    if whole.any():
        out[whole] = np.char.mod("%d", values[whole].astype(np.int64)).astype(object)
    return out.reshape(np.shape(arr))


def explanation_blocks(
    e: Explanation, *, lang: str, precision: int = 2, mode: str = "half-even"
) -> list[GridView | Line]:
    """Padded image with the window marked, the kernel, the products, the sum,
    the normalization and the value."""
    blocks: list[GridView | Line] = []
    padded = any(e.pads)
    for c in range(e.channels):
        marked = np.zeros(e.padded.shape[1:], dtype=bool)
        marked[np.ix_(e.rows, e.cols)] = True
        if padded:
            title = text("explain.image_padded", lang, padding=_pads_text(e.pads), mode=e.padding_mode)
        else:
            title = text("explain.image", lang)
        if e.channels > 1:
            title += " · " + text("explain.channel", lang, index=e.first_channel + c)
        blocks.append(GridView(_numbers(e.padded[c], precision, mode), marked, title, kind="field"))
    blocks.append(
        Line(
            text(
                "explain.field",
                lang,
                row=e.row,
                col=e.col,
                rows=_ranges(e.rows),
                cols=_ranges(e.cols),
                padded=text("explain.padded_coords", lang) if padded else "",
            )
        )
    )
    if e.flip:
        ktitle = text("explain.kernel_flipped", lang)
    elif e.maps > 1:
        ktitle = text("explain.kernel_filter", lang, index=e.map)
    else:
        ktitle = text("explain.kernel", lang)
    for c in range(e.channels):
        suffix = " · " + text("explain.channel", lang, index=e.first_channel + c) if e.channels > 1 else ""
        blocks.append(GridView(_numbers(e.kernel[c], precision, mode), _none(e.kernel[c]), ktitle + suffix))
    for c in range(e.channels):
        suffix = " · " + text("explain.channel", lang, index=e.first_channel + c) if e.channels > 1 else ""
        blocks.append(
            GridView(_numbers(e.products[c], precision, mode), _none(e.products[c]),
                     text("explain.products", lang) + suffix)
        )
    total = number_text(e.sum, precision, mode)
    expr = sum_expression(e.products, precision, mode)
    count = int(e.products.size)
    if expr is not None:
        blocks.append(Line(text("explain.sum", lang, count=count, expr=expr, sum=total)))
    else:
        blocks.append(Line(text("explain.sum_short", lang, count=count, sum=total)))
    before = e.sum / e.divisor
    if e.divisor > 1:
        blocks.append(
            Line(text("explain.mean", lang, sum=total, n=e.divisor, value=number_text(before, precision, mode)))
        )
    else:
        blocks.append(Line(text("explain.no_norm", lang)))
    if e.bias:
        blocks.append(
            Line(
                text(
                    "explain.bias",
                    lang,
                    before=number_text(before, precision, mode),
                    bias=number_text(e.bias, precision, mode),
                    value=number_text(e.value, precision, mode),
                )
            )
        )
    blocks.append(
        Line(text("explain.value", lang, row=e.row, col=e.col, value=number_text(e.value, precision, mode)), tone="good")
    )
    return blocks


def _pads_text(pads: tuple[int, int, int, int]) -> str:
    top, bottom, left, right = pads
    if top == bottom == left == right:
        return str(top)
    return f"{top},{bottom},{left},{right}"


def _none(arr: np.ndarray) -> np.ndarray:
    return np.zeros(arr.shape, dtype=bool)


def explain_sections(e: Explanation, *, lang: str, precision: int = 2, mode: str = "half-even") -> list[Section]:
    return [Section("", explanation_blocks(e, lang=lang, precision=precision, mode=mode))]


# --------------------------------------------------------------------------- renderers


def render_plain(sections: list[Section]) -> str:
    """No colour: wrong cells read ``got → expected``; window cells are in brackets."""
    parts = []
    for s in sections:
        lines = [s.title] if s.title else []
        for b in s.blocks:
            if isinstance(b, Line):
                lines.append(("- " if b.bullet else "") + b.text)
                continue
            if b.title:
                lines.append(b.title)
            for i, row in enumerate(b.cells):
                cells = [
                    f"[{c}]" if b.kind == "field" and b.marked[i, j] else str(c)
                    for j, c in enumerate(row)
                ]
                lines.append("\t".join(cells))
        parts.append("\n".join(lines))
    return "\n\n".join(p for p in parts if p)


def render_markdown(sections: list[Section]) -> str:
    """Headings, tables with the marked cells in bold, bullet sentences."""
    parts = []
    for s in sections:
        lines = [f"### {s.title}", ""] if s.title else []
        for b in s.blocks:
            if isinstance(b, Line):
                lines += [("- " if b.bullet else "") + b.text, ""]
                continue
            if b.title:
                lines += [f"**{b.title}**", ""]
            cols = b.cells.shape[1]
            lines.append("|   | " + " | ".join(str(j) for j in range(1, cols + 1)) + " |")
            lines.append("|---|" + "---:|" * cols)
            for i, row in enumerate(b.cells, start=1):
                cells = [
                    f"**{c}**" if b.marked[i - 1, j] else str(c) for j, c in enumerate(row)
                ]
                lines.append(f"| **{i}** | " + " | ".join(cells) + " |")
            lines.append("")
        parts.append("\n".join(lines).rstrip())
    return "\n\n".join(p for p in parts if p)


def answer_markdown(result: AnswerResult, *, lang: str = "en") -> str:
    """One answer as ``check --format markdown`` shows it (Jupyter's view of a result)."""
    section = answer_section(CheckedAnswer(result, list(result.grids)), lang=lang)
    if not result.name:  # check_answer's default: the verdict alone heads the view
        section.title = section.title.split(": ", 1)[-1].split("：", 1)[-1]
    return render_markdown([section])


def explanation_markdown(e: Explanation, *, lang: str = "en") -> str:
    """One worked cell as ``explain --format markdown`` shows it."""
    return render_markdown(explain_sections(e, lang=lang))


def check_json(items: list[CheckedAnswer], *, explain: bool = False, lang: str = "en") -> dict[str, Any]:
    """DESIGN.md: ``{"correct", "answers": [{"name","shape_ok","wrong","diagnosis","score"}]}``;
    with ``explain`` each answer also has ``"explanations"``."""
    answers = []
    for item in items:
        obj = item.result.to_json(lang, reason=False)
        if explain:
            obj["explanations"] = [e.to_json() for e in item.explanations]
        answers.append(obj)
    return {"correct": all(i.result.correct for i in items), "answers": answers}
