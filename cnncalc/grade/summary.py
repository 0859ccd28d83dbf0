"""What the class got wrong: statistics over the student records, and their text forms.

``summarize`` works on the JSON records of ``grades.json`` (so a full run and an
``--only`` rerun give the same summary); ``summary_markdown`` writes
``summary.md`` and ``summary_plain`` the piped terminal summary. The rich table
lives in ``show/gradetables.py``.

>>> rec = lambda name, score: {"student": name, "status": "ok", "score": score, "max_score": 10,
...     "problems": [{"answered": True, "shape_ok": True, "diagnosis": ["sign"] if score < 10 else [],
...                   "wrong": [{"row": 1, "col": 2, "expected": -0.5, "got": 0.5, "cause": "sign"}]
...                   if score < 10 else []}]}
>>> s = summarize([rec("a", 10), rec("b", 7.5), rec("c", 5)], ["map 1"])
>>> s["scores"]["mean"], s["scores"]["median"], [b["count"] for b in s["histogram"]][5:]
(7.5, 7.5, [1, 0, 1, 0, 1])
>>> s["problems"][0]["wrong_cells"], s["diagnoses"]
([{'map': 1, 'row': 1, 'col': 2, 'count': 2, 'expected': -0.5}], [{'label': 'sign', 'count': 2}])
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from cnncalc.grade.grader import STATUSES, diagnosis_labels, fmt_score
from cnncalc.grade.names import markdown_id
from cnncalc.grade.words import id_facts, ids_of, label_name, status_name
from cnncalc.grade.words import mistakes_text as _mistakes_text
from cnncalc.messages import text

HISTOGRAM_BINS = 10
TOP_CELLS = 5
TOP_DIAGNOSES = 8


def summarize(records: list[dict[str, Any]], problem_names: list[str]) -> dict[str, Any]:
    """Status counts; mean, median, min and max of the scores of everyone who handed
    something in (``missing`` left out); a histogram of score percentages in ten
    bins (100% in the last); per problem the most often wrong cells and diagnoses."""
    statuses = Counter(r["status"] for r in records)
    handed = [r for r in records if r["status"] != "missing"]
    scores = [float(r["score"]) for r in handed]
    max_score = float(records[0]["max_score"]) if records else 0.0
    stats: dict[str, Any] = {"count": len(scores), "max_score": max_score}
    if scores:
        stats.update(
            mean=round(statistics.fmean(scores), 6),
            median=round(statistics.median(scores), 6),
            min=min(scores),
            max=max(scores),
        )
    bins = [0] * HISTOGRAM_BINS
    if max_score > 0:
        for s in scores:
            bins[min(int(s / max_score * HISTOGRAM_BINS + 1e-9), HISTOGRAM_BINS - 1)] += 1
    width = 100 // HISTOGRAM_BINS
    histogram = [{"from": i * width, "to": (i + 1) * width, "count": n} for i, n in enumerate(bins)]
    problems = []
    overall: Counter = Counter()
    for i, name in enumerate(problem_names):
        problem = _problem(handed, i, name)
        overall.update({d["label"]: d["count"] for d in problem.pop("all_diagnoses")})
        problems.append(problem)
    return {
        "students": len(records),
        "statuses": {s: statuses.get(s, 0) for s in STATUSES},
        "scores": stats,
        "histogram": histogram,
        "problems": problems,
        "diagnoses": _top(overall, TOP_DIAGNOSES),
        "ids": ids_of(records),
    }


def _problem(handed: list[dict[str, Any]], i: int, name: str) -> dict[str, Any]:
    cells: Counter = Counter()
    expected_at: dict[tuple, float] = {}
    diagnoses: Counter = Counter()
    answered = right = shape_wrong = 0
    for r in handed:
        p = r["problems"][i]
        if not p.get("answered"):
            continue
        answered += 1
        if not p.get("shape_ok", True):
            shape_wrong += 1
        elif not p["wrong"]:
            right += 1
        for w in p["wrong"]:
            key = (w.get("map", 1), w["row"], w["col"])
            cells[key] += 1
            if key not in expected_at:
                expected_at[key] = w["expected"]
        diagnoses.update(diagnosis_labels(p))
    top = sorted(cells.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_CELLS]
    return {
        "name": name,
        "answered": answered,
        "right": right,
        "wrong_shape": shape_wrong,
        "wrong_cells": [
            {"map": k[0], "row": k[1], "col": k[2], "count": n, "expected": expected_at[k]}
            for k, n in top
        ],
        "diagnoses": _top(diagnoses, TOP_DIAGNOSES),
        "all_diagnoses": _top(diagnoses, None),
    }


def _top(counter: Counter, n: int | None) -> list[dict[str, Any]]:
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"label": k, "count": c} for k, c in (items if n is None else items[:n])]


def bar(count: int, most: int, width: int = 30) -> str:
    """A bar of ``█`` proportional to ``count`` (at least one block when non-zero).

    >>> bar(1, 4, 8), bar(0, 4), bar(4, 4, 8)
    ('██', '', '████████')
    """
    if most <= 0 or count <= 0:
        return ""
    return "█" * max(1, round(width * count / most))


def fmt_num(value: float, decimals: int = 4) -> str:
    """A value for people: up to ``decimals`` decimals, trailing zeros cut.

    >>> fmt_num(7 / 9), fmt_num(-1.0), fmt_num(0.5), fmt_num(-1e-9)
    ('0.7778', '-1', '0.5', '0')
    """
    out = f"{round(float(value), decimals) + 0.0:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if out == "-0" else out


def cell_text(cell: dict[str, Any], lang: str) -> str:
    """``(row, col)``, with the map when it is not the first."""
    where = f"({cell['row']}, {cell['col']})"
    return where + (f" · {text('grade.map', lang, index=cell['map'])}" if cell.get("map", 1) != 1 else "")


def score_line(summary: dict[str, Any], lang: str) -> str:
    """One sentence: how many submissions, mean, median, min, max, out of what."""
    s = summary["scores"]
    if not s["count"]:
        return text("grade.no_scores", lang)
    return text(
        "grade.score_line",
        lang,
        count=s["count"],
        mean=fmt_score(s["mean"]),
        median=fmt_score(s["median"]),
        min=fmt_score(s["min"]),
        max=fmt_score(s["max"]),
        max_score=fmt_score(s["max_score"]),
    )


def histogram_lines(summary: dict[str, Any]) -> list[tuple[str, int, str]]:
    """``(label, count, bar)`` per histogram bin, e.g. ``(' 90–100%', 2, '███')``."""
    most = max((b["count"] for b in summary["histogram"]), default=0)
    return [
        (f"{b['from']:>3}–{b['to']:<3}%", b["count"], bar(b["count"], most))
        for b in summary["histogram"]
    ]


def mistakes_text(diagnoses: list[dict[str, Any]], lang: str = "en") -> str:
    """``sign ×3, normalization ×1``, the labels named in ``lang``."""
    return _mistakes_text(diagnoses, lang)


def _sep(lang: str) -> str:
    """The colon after a label: full-width in Chinese."""
    return "：" if lang == "zh" else ": "


def _md(value: str) -> str:
    """Ids in a Markdown line: ``&``, ``<``, ``>`` as entities, never live HTML."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def summary_markdown(summary: dict[str, Any], title: str, lang: str) -> str:
    """``summary.md``: the class summary for people, in ``lang``."""
    from cnncalc.check.compare import diagnosis_sentence

    def t(key: str, **kw: Any) -> str:
        return text(key, lang, **kw)

    lines = [f"# {t('grade.summary_title', title=title or 'cnncalc')}", ""]
    lines += [f"## {t('grade.h_statuses')}", ""]
    lines += [f"| {t('grade.col_status')} | {t('grade.col_students')} |", "|---|---:|"]
    lines += [f"| {status_name(k, lang)} | {n} |" for k, n in summary["statuses"].items() if n]
    lines += [f"| **{t('grade.total')}** | **{summary['students']}** |", ""]
    facts = id_facts(summary, lang, escape=markdown_id)  # ids stay text: no links, no table cells
    if facts:
        lines += [f"## {t('classzh.h_ids')}", ""] + [f"- {_md(f)}" for f in facts] + [""]
    lines += [f"## {t('grade.h_scores')}", "", score_line(summary, lang), ""]
    lines += [f"{t('grade.h_histogram')}{_sep(lang).rstrip()}", "", "```"]
    lines += [f"{label} {count:>6} {b}".rstrip() for label, count, b in histogram_lines(summary)]
    lines += ["```", ""]
    for p in summary["problems"]:
        lines += [f"## {p['name']}", ""]
        lines += [
            t("grade.problem_line", answered=p["answered"], right=p["right"], shape=p["wrong_shape"]),
            "",
        ]
        if p["wrong_cells"]:
            lines += [
                f"| {t('grade.col_cell')} | {t('grade.col_expected')} | {t('grade.col_wrong_in')} |",
                "|---|---:|---:|",
            ]
            for c in p["wrong_cells"]:
                lines.append(f"| {cell_text(c, lang)} | {fmt_num(c['expected'])} | {c['count']} |")
            lines.append("")
        if p["diagnoses"]:
            lines += [f"{t('grade.h_diagnoses')}{_sep(lang)}{mistakes_text(p['diagnoses'], lang)}", ""]
    if summary["diagnoses"]:
        lines += [f"## {t('grade.h_diagnoses')}", ""]
        for d in summary["diagnoses"]:
            name = label_name(d["label"], lang)
            lines.append(f"- **{name}** ×{d['count']}{_sep(lang)}{diagnosis_sentence(d['label'], lang)}")
    return "\n".join(lines).rstrip("\n") + "\n"


def summary_plain(summary: dict[str, Any], title: str, lang: str) -> str:
    """The class summary as plain text (piped terminals, ``--format plain``)."""
    from cnncalc.check.compare import diagnosis_sentence

    def t(key: str, **kw: Any) -> str:
        return text(key, lang, **kw)

    counts = " · ".join(f"{status_name(k, lang)} {n}" for k, n in summary["statuses"].items())
    sep = _sep(lang)
    total = f"{t('grade.total')} {summary['students']}"
    total = f"（{total}）" if lang == "zh" else f" ({total})"
    lines = [t("grade.summary_title", title=title or "cnncalc"), ""]
    lines.append(f"{t('grade.h_statuses')}{sep}{counts}{total}")
    lines += id_facts(summary, lang)
    lines += [score_line(summary, lang), "", t("grade.h_histogram") + sep.rstrip()]
    lines += [f"  {label} {count:>6} {b}".rstrip() for label, count, b in histogram_lines(summary)]
    for p in summary["problems"]:
        lines += [
            "",
            f"{p['name']}{sep}"
            + t("grade.problem_line", answered=p["answered"], right=p["right"], shape=p["wrong_shape"]),
        ]
        if p["wrong_cells"]:
            cells = ("、" if lang == "zh" else ", ").join(f"{cell_text(c, lang)} ×{c['count']}" for c in p["wrong_cells"])
            lines.append(f"  {t('grade.h_cells')}{sep}{cells}")
        if p["diagnoses"]:
            lines.append(f"  {t('grade.h_diagnoses')}{sep}{mistakes_text(p['diagnoses'], lang)}")
    if summary["diagnoses"]:
        lines += ["", t("grade.h_diagnoses") + sep.rstrip()]
        for d in summary["diagnoses"]:
            lines.append(f"  {label_name(d['label'], lang)} ×{d['count']}{sep}{diagnosis_sentence(d['label'], lang)}")
    return "\n".join(lines) + "\n"
