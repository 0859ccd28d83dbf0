"""A self-contained HTML class report: ``report/index.html`` plus one page per student.

Opens from a file with no network: plain HTML and CSS, a dozen lines of JS to sort
the student table, pictures inline as ``data:`` URIs. Made of the student records
(``StudentResult.to_json()`` dicts) and the assignment's problems (``name``,
``points``, ``shape``, as in ``grades.json``); the exact results (``expected``),
feedback texts, marked PNGs and diagnosis sentences are optional inputs. Every
string is escaped (``esc``), control characters are shown as ``\\x1b``; colours
are a colour-blind-safe blue ramp with every share also written as text, and the
wrong cells of a student's grid are marked as in the PNGs (``marked.py``: fill
rgb(255,232,232), a 3px rgb(214,0,0) outline, the exact value below in
rgb(178,0,0)) and named in words for screen readers.

>>> esc("<b>\\x1bZoë</b>"), page_name("Zoë Lee")
('&lt;b&gt;\\\\x1bZoë&lt;/b&gt;', 'zoe-lee-377deefbbc.html')
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cnncalc.grade.htmlassets import CSS, SORT_JS
from cnncalc.grade.htmlreportmd import esc, md_html
from cnncalc.grade.words import id_facts, ids_of, label_name, status_name
from cnncalc.messages import text

WRONG_RGB, WRONG_FILL, EXPECTED_INK = (214, 0, 0), (255, 232, 232), (178, 0, 0)  # as marked.py
HEAT_END = (8, 48, 107)  # ColorBrewer Blues, darkest: readable for every colour vision
BINS = 10
def page_name(student: str) -> str:
    """The file of a student's page: an ASCII slug and a hash of the id (ids differ,
    names differ; nothing can climb out of the folder)."""
    ascii_ = unicodedata.normalize("NFKD", student).encode("ascii", "ignore").decode().lower()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_))[:40] or "student"
    return f"{slug}-{hashlib.sha256(student.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}.html"


def fmt_num(value: float, decimals: int = 2) -> str:
    """``value`` at ``decimals`` decimals, trailing zeros cut (``-0`` is ``0``)."""
    out = f"{round(float(value), decimals) + 0.0:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if out == "-0" else out


class _Words:
    """The report's sentences in one language: ``t("title", title=...)``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **kw: Any) -> str:
        return text("classroom.html." + key, self.lang, **kw)


def _t(lang: str) -> _Words:
    return _Words(lang)


def _said(t: Callable[..., str], cell: str, what: str) -> str:
    """A cell's label for screen readers: where, then what (a full-width colon in Chinese)."""
    return text("classzh.html.cell_label", getattr(t, "lang", "en"), cell=cell, what=what)


def _page(title: str, body: str, lang: str, script: bool = False) -> str:
    code = "zh-Hans" if lang == "zh" else "en"
    js = f"\n<script>\n{SORT_JS}\n</script>" if script else ""
    return (f'<!DOCTYPE html>\n<html lang="{code}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n{body}{js}\n</body>\n</html>\n")


# --------------------------------------------------------------------------- class statistics


def shape_of(problem: Mapping[str, Any], expected: Any = None) -> tuple[int, int, int]:
    """(maps, rows, cols) of a problem's answer grid."""
    shape = list(np.shape(expected)) if expected is not None else list(problem.get("shape") or [1, 1])
    shape = [1] * (3 - len(shape)) + shape if len(shape) < 3 else shape
    return int(np.prod(shape[:-2])), int(shape[-2]), int(shape[-1])


def wrong_shares(records: Sequence[Mapping[str, Any]], index: int, shape: tuple[int, int, int]) -> tuple[np.ndarray, int, int]:
    """Per cell, the share of the answers of the right shape that have it wrong;
    also how many answers that is and how many had another shape.

    >>> recs = [{"status": "ok", "problems": [{"answered": True, "shape_ok": True,
    ...          "wrong": [{"row": 1, "col": 2}] if k else []}]} for k in (1, 1, 0, 0)]
    >>> s, n, other = wrong_shares(recs, 0, (1, 1, 2)); s.tolist(), n, other
    ([[[0.0, 0.5]]], 4, 0)
    """
    counts = np.zeros(shape)
    n = other = 0
    for r in records:
        p = r["problems"][index] if index < len(r.get("problems", [])) else {}
        if r.get("status") == "missing" or not p.get("answered"):
            continue
        if not p.get("shape_ok", True):
            other += 1
            continue
        n += 1
        for w in p.get("wrong", []):
            m, i, j = w.get("map", 1) - 1, w["row"] - 1, w["col"] - 1
            if 0 <= m < shape[0] and 0 <= i < shape[1] and 0 <= j < shape[2]:
                counts[m, i, j] += 1
    return (counts / n if n else counts), n, other


def _heat(share: float) -> tuple[str, str]:
    rgb = [round(255 + (e - 255) * share) for e in HEAT_END]
    return f"rgb({rgb[0]},{rgb[1]},{rgb[2]})", ("#fff" if share > 0.55 else "#222")


def _heat_grid(name: str, shares: np.ndarray, expected: Any, n: int, other: int, t: Callable[..., str]) -> str:
    exp = None if expected is None else np.asarray(expected, dtype=np.float64).reshape(shares.shape)
    parts = [f'<figure><figcaption>{esc(t("heat_caption", name=name, n=n, shape=other))}</figcaption>']
    for m in range(shares.shape[0]):
        if shares.shape[0] > 1:
            parts.append(f"<p>{esc(t('map', index=m + 1))}</p>")
        rows = ['<table class="grid heat"><tr><td></td>' + "".join(
            f'<th scope="col">{j + 1}</th>' for j in range(shares.shape[2])) + "</tr>"]
        for i in range(shares.shape[1]):
            cells = []
            for j in range(shares.shape[2]):
                s = float(shares[m, i, j])
                bg, fg = _heat(s)
                value = f"<span>{esc(fmt_num(exp[m, i, j]))}</span>" if exp is not None else ""
                label = _said(t, t("cell", row=i + 1, col=j + 1), f"{round(100 * s)}%")
                cells.append(f'<td data-map="{m + 1}" data-row="{i + 1}" data-col="{j + 1}" data-share="{s:.4f}" '
                             f'style="background:{bg};color:{fg}" aria-label="{esc(label)}">{value}'
                             f'<span class="share">{round(100 * s)}%</span></td>')
            rows.append(f'<tr><th scope="row">{i + 1}</th>{"".join(cells)}</tr>')
        parts.append("\n".join(rows) + "</table>")
    return "\n".join(parts) + "</figure>"


def _variant_heat(records: Sequence[Mapping[str, Any]], i: int, name: str,
                  shapes: Mapping[str, Sequence[Any]], t: Callable[..., str]) -> str:
    """One heat map per answer size of problem ``i``, over the students of that size."""
    by_shape: dict[tuple[int, int, int], list[Mapping[str, Any]]] = {}
    for r in records:
        own = shapes.get(r["student"])
        if own is not None and i < len(own) and own[i] is not None:
            by_shape.setdefault(shape_of({"shape": list(own[i])}), []).append(r)
    parts = []
    for shape, group in sorted(by_shape.items()):
        shares, n, other = wrong_shares(group, i, shape)
        if n + other == 0:
            continue
        label = f"{name} — {t('heat_variant', rows=shape[1], cols=shape[2])}"
        parts.append(_heat_grid(label, shares, None, n, other, t))
    return "\n".join(parts) or f"<p>{esc(t('none'))}</p>"


def _histogram(records: Sequence[Mapping[str, Any]], t: Callable[..., str]) -> str:
    handed = [r for r in records if r.get("status") != "missing"]
    max_score = float(records[0]["max_score"]) if records else 0.0
    bins = [0] * BINS
    if max_score > 0:
        for r in handed:
            bins[min(max(int(float(r["score"]) / max_score * BINS + 1e-9), 0), BINS - 1)] += 1
    most, w = max(bins) or 1, 100 // BINS
    bars = []
    for k, count in enumerate(bins):
        h, x = round(120 * count / most), 10 + k * 52
        label = t("hist_label", count=count, lo=k * w, hi=(k + 1) * w)
        bars.append(f'<g><title>{esc(label)}</title><rect class="bar" x="{x}" y="{140 - h}" width="44" height="{h}"/>'
                    f'<text x="{x + 22}" y="{134 - h}" text-anchor="middle">{count}</text>'
                    f'<text x="{x + 22}" y="158" text-anchor="middle" font-size="11">{k * w}–{(k + 1) * w}</text></g>')
    return (f'<svg role="img" aria-label="{esc(t("histogram"))}" width="540" height="165" viewBox="0 0 540 165" '
            f'font-size="12">{"".join(bars)}</svg>')


def _diagnoses(records: Sequence[Mapping[str, Any]], names: list[str], t: Callable[..., str],
               explain: Callable[[str], str] | None, lang: str = "en") -> str:
    from cnncalc.grade.grader import diagnosis_labels

    counts: Counter = Counter()
    example: dict[str, tuple[str, str]] = {}
    for r in sorted(records, key=lambda r: r["student"]):
        for i, p in enumerate(r.get("problems", [])):
            for label in diagnosis_labels(p):
                counts[label] += 1
                example.setdefault(label, (r["student"], names[i] if i < len(names) else str(i + 1)))
    if not counts:
        return f"<p>{esc(t('none'))}</p>"
    items = []
    for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8]:
        who, prob = example[label]
        said = explain(label) if explain else ""
        sentence = f" — {esc(said)}" if said else ""
        link = f'<a href="students/{page_name(who)}">{esc(t("example", student=who, problem=prob))}</a>'
        items.append(f"<li><strong>{esc(label_name(label, lang))}</strong> ×{n}{sentence} ({link})</li>")
    return "<ol>" + "".join(items) + "</ol>"


def _status_order(item: tuple[str, int]) -> tuple[int, str]:
    """The summary's order of statuses (ok, partial, malformed, empty, missing,
    too-large, unreadable); any other after them, by name."""
    from cnncalc.grade.grader import STATUSES

    return (STATUSES.index(item[0]) if item[0] in STATUSES else len(STATUSES), item[0])


def render_index(records: Sequence[Mapping[str, Any]], problems: Sequence[Mapping[str, Any]], *, title: str,
                 expected: Sequence[Any] | None = None, lang: str = "en",
                 explain: Callable[[str], str] | None = None,
                 shapes: Mapping[str, Sequence[Any]] | None = None,
                 notes: Mapping[str, list[str]] | None = None) -> str:
    """The class page: statuses, histogram, a heat map per problem, diagnoses, notes, the students.

    With per-student variants, ``shapes[student][i]`` is the shape of that student's
    answer grid for problem i: a problem gets one heat map per answer size, over
    the students of that size (``expected`` is then not shown)."""
    t = _t(lang)
    records = sorted(records, key=lambda r: r["student"])
    names = [p["name"] for p in problems]
    statuses = Counter(r.get("status", "") for r in records)
    out = [f"<h1>{esc(t('title', title=title))}</h1>", f"<h2>{esc(t('statuses'))}</h2>", "<ul>"]
    out += [f'<li><span class="badge">{esc(status_name(s, lang))}</span> <span data-status="{esc(s)}">{n}</span></li>'
            for s, n in sorted(statuses.items(), key=_status_order)]
    out.append(f"<li>{esc(t('total'))} {len(records)}</li></ul>")
    facts = id_facts({"ids": ids_of(records)}, lang)
    if facts:
        out += [f"<h2>{esc(text('classzh.html.roster', lang))}</h2>",
                '<ul id="ids">' + "".join(f"<li>{esc(f)}</li>" for f in facts) + "</ul>"]
    out += [f"<h2>{esc(t('histogram'))}</h2>",
            _histogram(records, t), f"<h2>{esc(t('problems'))}</h2>"]
    for i, p in enumerate(problems):
        if shapes is None:
            exp = expected[i] if expected is not None else None
            shares, n, other = wrong_shares(records, i, shape_of(p, exp))
            grids = _heat_grid(p["name"], shares, exp, n, other, t)
        else:
            grids = _variant_heat(records, i, p["name"], shapes, t)
        out.append(f'<section aria-label="{esc(p["name"])}">{grids}</section>')
    out += [f"<h2>{esc(t('diagnoses'))}</h2>", _diagnoses(records, names, t, explain, lang)]
    if notes:
        items = [f"<li>{esc(text('classzh.html.student_of', lang, student=r['student'], note=n))}</li>"
                 for r in records for n in notes.get(r["student"], [])]
        out += [f"<h2>{esc(t('notes_title'))}</h2>", '<ul id="notes">' + "".join(items) + "</ul>"]
    out.append(f"<h2>{esc(t('students'))}</h2>")
    cols = [t("student"), t("status"), t("score"), t("percent"), *names]
    head = "".join(f'<th scope="col"><button type="button" data-col="{k}" aria-label="{esc(t("sort", col=c))}">'
                   f"{esc(c)}</button></th>" for k, c in enumerate(cols))
    body = []
    for r in records:
        score, mx = float(r["score"]), float(r["max_score"]) or 1.0
        cells = [f'<td data-sort="{esc(r["student"])}"><a href="students/{page_name(r["student"])}">{esc(r["student"])}</a></td>',
                 f'<td data-sort="{esc(r["status"])}">{esc(status_name(r["status"], lang))}</td>',
                 f'<td class="num" data-sort="{score}">{fmt_num(score)}</td>',
                 f'<td class="num" data-sort="{100 * score / mx:.4f}">{fmt_num(100 * score / mx, 1)}</td>']
        cells += [f'<td class="num" data-sort="{float(p["earned"])}">{fmt_num(p["earned"])}</td>' for p in r["problems"]]
        body.append(f'<tr data-student="{esc(r["student"])}">{"".join(cells)}</tr>')
    out.append(f'<table id="students"><thead><tr>{head}</tr></thead><tbody>\n' + "\n".join(body) + "\n</tbody></table>")
    return _page(t("title", title=title), "\n".join(out), lang, script=True)


# --------------------------------------------------------------------------- one student


def _marked_grid(p: Mapping[str, Any], t: Callable[..., str], decimals: int) -> str:
    """The student's grid as written, wrong cells marked as in the PNGs."""
    answer = p.get("answer") or []
    wrong = {(w.get("map", 1), w["row"], w["col"]): w for w in p.get("wrong") or []}
    parts = []
    for m, block in enumerate(answer, start=1):
        rows = [str(row).split() for row in block]
        width = max((len(r) for r in rows), default=0)
        html_rows = ['<table class="grid marked"><tr><td></td>' + "".join(
            f'<th scope="col">{j}</th>' for j in range(1, width + 1)) + "</tr>"]
        for i, row in enumerate(rows, start=1):
            cells = []
            for j, got in enumerate(row, start=1):
                w = wrong.get((m, i, j)) if p.get("shape_ok", True) else None
                where = t("cell", row=i, col=j)
                if w is None:
                    label = _said(t, where, t("ok_cell", got=got))
                    cells.append(f'<td aria-label="{esc(label)}"><span>{esc(got)}</span></td>')
                    continue
                places = len(got.partition(".")[2]) if "." in got else 0
                exp = fmt_num(w["expected"], max(places, decimals))
                label = _said(t, where, t("wrote", got=got, expected=exp))
                cells.append(f'<td class="wrong" aria-label="{esc(label)}"><span class="got">{esc(got)}</span>'
                             f'<span class="exp">{esc(exp)}</span></td>')
            html_rows.append(f'<tr><th scope="row">{i}</th>{"".join(cells)}</tr>')
        if len(answer) > 1:
            parts.append(f"<p>{esc(t('map', index=m))}</p>")
        parts.append("\n".join(html_rows) + "</table>")
    return "\n".join(parts)


def render_student(record: Mapping[str, Any], *, title: str, lang: str = "en", feedback: str | None = None,
                   pictures: Mapping[int, bytes] | None = None, notes: Sequence[str] = (), decimals: int = 2) -> str:
    """One student's page: score, their marked grids, marked PNGs, feedback text."""
    t = _t(lang)
    r = record
    out = [f'<p><a href="../index.html">{esc(t("back"))}</a></p>',
           f"<h1>{esc(t('student_title', student=r['student'], title=title))}</h1>",
           f"<p>{esc(t('score_line', score=fmt_num(r['score']), max=fmt_num(r['max_score']), status=status_name(r['status'], lang)))}</p>"]
    if r.get("message"):
        out.append(f"<p>{esc(r['message'])}</p>")
    all_notes = list(r.get("notes") or []) + list(notes)
    if r.get("not_on_roster"):
        all_notes.insert(0, text("classzh.not_on_roster", lang))
    if all_notes:
        out.append(f"<h2>{esc(t('notes'))}</h2><ul>" + "".join(f"<li>{esc(n)}</li>" for n in all_notes) + "</ul>")
    for k, p in enumerate(r.get("problems", []), start=1):
        out.append(f"<h2>{esc(p['name'])} — {fmt_num(p['earned'])}/{fmt_num(p['points'])}</h2>")
        if not p.get("answered"):
            out.append(f"<p>{esc(t('not_answered'))}</p>")
            continue
        if not p.get("shape_ok", True):
            gs = p.get("got_shape", [])
            got = ", ".join("×".join(map(str, s)) for s in gs) if gs and isinstance(gs[0], list) else "×".join(map(str, gs))
            exp = "×".join(map(str, p.get("expected_shape", [])))
            out.append(f"<p>{esc(t('shape_line', got=got, expected=exp))}</p>")
        elif p.get("wrong"):
            cells = sum(len(str(row).split()) for block in p.get("answer", []) for row in block)
            out.append(f"<p>{esc(t('wrong_count', wrong=len(p['wrong']), cells=cells))}</p>")
        else:
            out.append(f"<p>{esc(t('all_right'))}</p>")
        out.append(_marked_grid(p, t, decimals))
        if pictures and k in pictures:
            data = base64.b64encode(pictures[k]).decode("ascii")
            out.append(f'<img src="data:image/png;base64,{data}" alt="{esc(t("picture", problem=p["name"]))}">')
    if feedback:
        out.append(f'<h2>{esc(t("feedback"))}</h2>\n<div class="feedback">\n{md_html(feedback)}\n</div>')
    return _page(t("student_title", student=r["student"], title=title), "\n".join(out), lang)


def report_files(records: Sequence[Any], problems: Sequence[Mapping[str, Any]], *, title: str,
                 expected: Sequence[Any] | None = None, lang: str = "en", feedback: Mapping[str, str] | None = None,
                 pictures: Mapping[str, Mapping[int, bytes]] | None = None, notes: Mapping[str, list[str]] | None = None,
                 explain: Callable[[str], str] | None = None, decimals: int = 2,
                 shapes: Mapping[str, Sequence[Any]] | None = None) -> list[tuple[str, bytes]]:
    """The report's files as ``(path relative to the report folder, bytes)``:
    ``index.html`` and ``students/<page_name>.html``. The same records give the
    same bytes (no timestamps; students sorted by id)."""
    recs = sorted((r if isinstance(r, Mapping) else r.to_json() for r in records), key=lambda r: r["student"])
    index = render_index(recs, problems, title=title, expected=expected, lang=lang, explain=explain,
                         shapes=shapes, notes=notes)
    files = [("index.html", index.encode("utf-8"))]
    for r in recs:
        s = r["student"]
        page = render_student(r, title=title, lang=lang, feedback=(feedback or {}).get(s),
                              pictures=(pictures or {}).get(s), notes=(notes or {}).get(s, ()), decimals=decimals)
        files.append((f"students/{page_name(s)}", page.encode("utf-8")))
    return files


def write_report(out: Path | str, records: Sequence[Any], problems: Sequence[Mapping[str, Any]], *,
                 title: str, **options: Any) -> list[Path]:
    """Write ``report_files`` into ``out`` (``index.html``, ``students/*.html``); returns the files.

    Examples
    --------
    >>> import tempfile
    >>> rec = {"student": "ann", "status": "ok", "score": 1, "max_score": 1,
    ...        "problems": [{"name": "p1", "points": 1, "earned": 1, "answered": True, "answer": [["1"]]}]}
    >>> files = write_report(tempfile.mkdtemp(), [rec], [{"name": "p1", "shape": [1, 1]}], title="HW")
    >>> [f.name for f in files]
    ['index.html', 'ann-49915e0d7d.html']
    """
    from cnncalc.read import atomic_write

    out = Path(out)
    (out / "students").mkdir(parents=True, exist_ok=True)
    paths = []
    for rel, data in report_files(records, problems, title=title, **options):
        paths.append(out / rel)
        atomic_write(paths[-1], data)
    return paths
