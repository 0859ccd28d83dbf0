"""A student's homework sheet (Markdown and a printable HTML page) and their key.

Per problem: its name and points, the settings in words, the image and kernel,
and an empty answer grid of the size the answer has (the key fills it).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnncalc.grade.htmlreport import esc, fmt_num
from cnncalc.messages import MESSAGES, text

SHEET_CSS = """
body{font:15px/1.45 system-ui,sans-serif;color:#111;margin:1.5rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:1.6rem;break-after:avoid}
table.m{border-collapse:collapse;margin:.3rem 1.5rem .8rem 0;display:inline-table;vertical-align:top}
table.m td{border:1px solid #555;min-width:2.4rem;height:2rem;text-align:center;padding:0 .3rem}
table.m caption{text-align:left;font-weight:bold;padding-bottom:.2rem}
table.answer td{min-width:3.2rem;height:2.4rem}section{break-inside:avoid}
@media print{body{margin:0;max-width:none}}
""".strip()


def _matrix(path: Any) -> np.ndarray:
    from cnncalc.read import read_matrix

    arr = np.asarray(read_matrix(path), dtype=np.float64)
    return arr.reshape(-1, *arr.shape[-2:]) if arr.ndim >= 2 else arr.reshape(1, 1, -1)


def _cell(value: float) -> str:
    return fmt_num(value, 6)


def steps(problem: Any, lang: str) -> list[str]:
    """The settings of an assignment problem in words, in the order they apply."""
    if problem.stages:
        return [text("classroom.s_stages", lang, stages=problem.stages)]
    conv = problem.conv
    out = [text("classroom.s_conv", lang)]
    for key, default in (("stride", (1, 1)), ("padding", (0, 0)), ("dilation", (1, 1))):
        value = conv.get(key)
        if value is not None and value != default:
            shown = value if isinstance(value, str) else (value[0] if value[0] == value[1] else f"{value[0]}×{value[1]}")
            out.append(text(f"classroom.s_{key}", lang, value=shown))
    out.append(text("classroom.s_mean" if conv.get("norm") == "mean" else "classroom.s_sum", lang))
    bias = conv.get("bias")
    if bias is not None and not (np.ndim(bias) == 0 and float(bias) == 0):
        shown = _cell(float(bias)) if np.ndim(bias) == 0 else ", ".join(_cell(b) for b in np.ravel(bias))
        out.append(text("classroom.s_bias", lang, value=shown))
    for step in problem.post:
        if step == "relu":
            out.append(text("classroom.s_relu", lang))
        elif isinstance(step, tuple) and step[0] == "pool":
            _, kind, size, stride = step
            stride = stride or size
            name = text(f"classzh.pool.{kind}", lang) if f"classzh.pool.{kind}" in MESSAGES else kind
            out.append(text("classroom.s_pool", lang, kind=name, size=size[0], stride=stride[0]))
    return out


def _problems(made: Any) -> list[tuple[Any, np.ndarray, np.ndarray | None, np.ndarray]]:
    out = []
    for p in made.assignment.problems:
        kernel = _matrix(p.kernel) if p.kernel is not None else None
        exp = np.asarray(p.expected, dtype=np.float64)
        exp = exp.reshape(-1, *exp.shape[-2:]) if exp.ndim >= 2 else exp.reshape(1, 1, -1)
        out.append((p, _matrix(p.image), kernel, exp))
    return out


def _md_grid(grid: np.ndarray, cells: Any = None) -> list[str]:
    """A grid as cnncalc's own Markdown writes one: an empty corner cell over bold row
    numbers, so the column numbers are never read back as a row of the answer.

    >>> _md_grid(np.zeros((1, 2)))
    ['|   | 1 | 2 |', '|---|---|---|', '| **1** |   |   |']
    """
    rows, cols = grid.shape
    head = "|   | " + " | ".join(str(j + 1) for j in range(cols)) + " |"
    lines = [head, "|---|" + "---|" * cols]
    for i in range(rows):
        values = [cells(grid[i, j]) if cells else " " for j in range(cols)]
        lines.append(f"| **{i + 1}** | " + " | ".join(values) + " |")
    return lines


def _title(made: Any, title: str, lang: str, key: str = "classroom.sheet_title") -> str:
    if made.student == "" and key == "classroom.sheet_title":
        return text("classroom.sheet_title_class", lang, title=title)
    return text(key, lang, title=title, student=one_line(made.student))


def one_line(student: str) -> str:
    r"""An id as one line of text: control characters (a line break) as escapes.
    ``make`` refuses such ids in a roster; a caller of ``make_class`` may not.

    >>> one_line("new\nline\t1"), one_line("张三")
    ('new\\nline\\t1', '张三')
    """
    import unicodedata

    if not any(unicodedata.category(c) == "Cc" for c in student):
        return student
    return "".join(c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) == "Cc" else c
                   for c in student)


def _heading(problem: Any, lang: str) -> str:
    """``feature map 1 (10 points)``; in Chinese with full-width brackets."""
    points = text("classroom.points", lang, points=fmt_num(problem.points))
    return text("classzh.sheet_heading", lang, name=problem.name, points=points)


def sheet_markdown(made: Any, title: str, lang: str) -> str:
    """The sheet as Markdown: matrices as tables, the answer grid empty."""
    decimals = made.assignment.decimals
    lines = [f"# {_title(made, title, lang)}", "",
             text("classroom.hand_in", lang, student=one_line(made.student or "id"), decimals=decimals), ""]
    for p, image, kernel, exp in _problems(made):
        lines += [f"## {_heading(p, lang)}", ""]
        lines += [f"- {s}" for s in steps(p, lang)] + [""]
        for m in range(image.shape[0]):
            lines += [f"{text('classroom.image', lang, rows=image.shape[1], cols=image.shape[2])}", ""]
            lines += ["```", "\n".join("\t".join(_cell(v) for v in row) for row in image[m]), "```", ""]
        if kernel is not None:
            for m in range(kernel.shape[0]):
                lines += [f"{text('classroom.kernel', lang, rows=kernel.shape[1], cols=kernel.shape[2])}", ""]
                lines += ["```", "\n".join("\t".join(_cell(v) for v in row) for row in kernel[m]), "```", ""]
        for m in range(exp.shape[0]):
            lines += [text("classroom.answer_grid", lang, rows=exp.shape[1], cols=exp.shape[2]), ""]
            lines += _md_grid(exp[m]) + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def key_markdown(made: Any, title: str, lang: str) -> str:
    """The key: each problem's exact answer at the assignment's decimals."""
    decimals = made.assignment.decimals
    lines = [f"# {_title(made, title, lang, 'classroom.key_title')}", ""]
    for p, _, _, exp in _problems(made):
        lines += [f"## {p.name}", ""] + [f"- {s}" for s in steps(p, lang)] + [""]
        for m in range(exp.shape[0]):
            lines += [text("classroom.key_grid", lang, rows=exp.shape[1], cols=exp.shape[2]), ""]
            lines += ["```", "\n".join("\t".join(fmt_num(v, decimals) for v in row) for row in exp[m]), "```", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _html_grid(grid: np.ndarray, caption: str, answer: bool = False) -> str:
    rows = "".join(
        "<tr>" + "".join("<td></td>" if answer else f"<td>{esc(_cell(v))}</td>" for v in row) + "</tr>"
        for row in grid
    )
    cls = "m answer" if answer else "m"
    return f'<table class="{cls}"><caption>{esc(caption)}</caption>{rows}</table>'


def sheet_html(made: Any, title: str, lang: str) -> str:
    """The sheet as a printable, self-contained HTML page."""
    heading = _title(made, title, lang)
    decimals = made.assignment.decimals
    body = [f"<h1>{esc(heading)}</h1>",
            f"<p>{esc(text('classroom.hand_in', lang, student=one_line(made.student or 'id'), decimals=decimals))}</p>"]
    for p, image, kernel, exp in _problems(made):
        body.append(f"<section><h2>{esc(_heading(p, lang))}</h2>")
        body.append("<ol>" + "".join(f"<li>{esc(s)}</li>" for s in steps(p, lang)) + "</ol>")
        for m in range(image.shape[0]):
            body.append(_html_grid(image[m], text("classroom.image", lang, rows=image.shape[1], cols=image.shape[2])))
        if kernel is not None:
            for m in range(kernel.shape[0]):
                cap = text("classroom.kernel", lang, rows=kernel.shape[1], cols=kernel.shape[2])
                body.append(_html_grid(kernel[m], cap))
        for m in range(exp.shape[0]):
            cap = text("classroom.answer_grid", lang, rows=exp.shape[1], cols=exp.shape[2])
            body.append(_html_grid(exp[m], cap, answer=True))
        body.append("</section>")
    code = "zh-Hans" if lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{code}">\n<head>\n<meta charset="utf-8">\n<title>{esc(heading)}</title>\n'
            f"<style>\n{SHEET_CSS}\n</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")
