"""Marked answers: a student's grid with the wrong cells outlined in red.

Each wrong cell shows the student's number on top and the exact value below
it in red; right cells stay white. A wrong shape shows the student's grid (and
the expected one when it is known) under a red "shape ..., expected ..." line.
``check --png`` and ``grade --pictures`` use ``check_pngs`` and
``feedback_pictures``; ``write_marked_pngs`` is the general form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cnncalc.draw import canvas
from cnncalc.draw.layout import (
    CAPTION_SIZE,
    PAD,
    TITLE_SIZE,
    Panel,
    PictureInfo,
    Words,
    as_maps,
    as_text_maps,
    check_pixels,
    check_size,
    place,
    shape_text,
)
from cnncalc.numfmt import format_values

WRONG_RGB = (214, 0, 0)
WRONG_FILL = (255, 232, 232)
EXPECTED_INK = (178, 0, 0)


@dataclass
class _Grid:
    key: str  # "answer 1", "expected 1": PictureInfo.grids
    caption: str
    texts: np.ndarray
    wrong: np.ndarray | None = None  # bool mask, None: nothing marked
    expected: np.ndarray | None = None  # texts of the exact values


def written_texts(
    values: np.ndarray, decimals: np.ndarray | None, precision: int, mode: str
) -> np.ndarray:
    """Numbers as the student wrote them: each with its own decimals where known
    (``decimals >= 0``), else at ``precision``.

    >>> written_texts(np.array([1.0, 0.5, 7 / 9]), np.array([0, 2, -1]), 2, "truncate").tolist()
    ['1', '0.50', '0.77']
    """
    vals = np.asarray(values, dtype=np.float64)
    out = format_values(vals, precision, mode)
    if decimals is None:
        return out
    dec = np.broadcast_to(np.asarray(decimals), vals.shape)
    for d in np.unique(dec[dec >= 0]):
        mask = dec == d
        out[mask] = format_values(vals[mask], int(min(d, 15)), "half-even")
    return out


def marked_answer_png(
    path: str | Path,
    got: np.ndarray,
    expected: np.ndarray | None,
    wrong_mask: np.ndarray | None,
    precision: int = 2,
    *,
    mode: str = "half-even",
    title: str | None = None,
    got_text: np.ndarray | None = None,
    lang: str = "en",
    expected_shape: Sequence[int] | None = None,
    expected_text: np.ndarray | None = None,
) -> PictureInfo:
    """Draw a student's answer with the wrong cells outlined in red and the exact
    value written below the student's number in each of them.

    Parameters
    ----------
    got : the student's values, (H, W) or (M, H, W) for several maps.
    expected : the exact values. When its shape differs from ``got``'s, both
        grids are drawn side by side under a red "shape ..., expected ..." line;
        None with ``expected_shape`` draws the student's grid alone under it.
    wrong_mask : True at the wrong cells (``got``'s shape); ignored when the
        shapes differ.
    precision, mode : how the exact values are written.
    got_text : the student's numbers as written (default: ``got`` at ``precision``).
    expected_text : the exact values as they should be written in the wrong cells
        (default: ``expected`` at ``precision``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "marked.png"
    >>> got = np.array([[0.77, 0.11], [1.0, 0.5]])
    >>> exp = np.array([[7 / 9, -1 / 9], [1.0, 0.5]])
    >>> marked_answer_png(p, got, exp, np.array([[False, True], [False, False]])).frames
    1
    """
    Image, ImageDraw, _ = canvas.pil()
    words = Words(lang)
    got_arr = np.asarray(got, dtype=np.float64)
    g_maps = as_maps(got_arr)
    check_size(g_maps.shape)
    g_text = (
        as_text_maps(got_text) if got_text is not None else format_values(g_maps, precision, mode)
    )
    e_maps = None if expected is None else as_maps(expected)
    if e_maps is not None:
        check_size(e_maps.shape)
    if e_maps is not None and e_maps.shape == g_maps.shape:
        if expected_text is not None:
            e_text = as_text_maps(expected_text)
        else:
            e_text = format_values(e_maps, precision, mode)
        grids, headline, legend = _same_shape(words, g_text, e_text, wrong_mask)
        ink = canvas.INK
    else:
        shape = np.shape(expected) if expected is not None else tuple(expected_shape or ())
        headline = words.say(
            "pictures.shape_mismatch", got=shape_text(got_arr.shape), expected=shape_text(shape)
        )
        grids = _mismatch(words, g_text, e_maps, precision, mode)
        legend, ink = "", WRONG_RGB
    ncols = min(len(grids), 4)
    max_px = max(240, 1400 // ncols)
    panels = []
    for g in grids:
        samples = canvas.widest(g.texts) + (
            canvas.widest(g.expected) if g.expected is not None else []
        )
        lines = 2 if g.wrong is not None and g.wrong.any() else 1
        rows, cols = g.texts.shape
        cells = canvas.fit_cells(samples, rows, cols, max_px=max_px, lines=lines)
        panels.append(Panel.make(g.caption, rows, cols, cells))
    heading = words.say("pictures.titled", title=title, headline=headline) if title else headline
    spots, width, bottom = place(panels, ncols, PAD + TITLE_SIZE + 12)
    width = max(width, 2 * PAD + int(words.width(heading, TITLE_SIZE)))
    if legend:
        width = max(width, 2 * PAD + int(words.width(legend, CAPTION_SIZE)))
    height = bottom + PAD + (CAPTION_SIZE + 14 if legend else 0)
    check_pixels(width, height)
    img = Image.new("RGB", (width, height), canvas.BACKGROUND)
    draw = ImageDraw.Draw(img)
    words.write(draw, (PAD, PAD), heading, TITLE_SIZE, fill=ink)
    for g, panel, (x, y) in zip(grids, panels, spots):
        if panel.caption:
            words.write(draw, (x, y), panel.caption, CAPTION_SIZE)
        _marked_grid(img, draw, panel.origin(x, y), panel, g)
    if legend:
        words.write(
            draw, (PAD, height - PAD - CAPTION_SIZE), legend, CAPTION_SIZE, fill=canvas.MUTED
        )
    canvas.write_png(path, img)
    boxes = {g.key: panel.grid_box(x, y) for g, panel, (x, y) in zip(grids, panels, spots)}
    return PictureInfo(Path(path), width, height, 1, words.fallback, boxes)


def _same_shape(
    words: Words, g_text: np.ndarray, e_text: np.ndarray, wrong_mask: Any
) -> tuple[list[_Grid], str, str]:
    mask = np.zeros(e_text.shape, bool)
    if wrong_mask is not None:
        mask = np.asarray(wrong_mask, dtype=bool).reshape(e_text.shape)
    wrong, cells = int(mask.sum()), int(mask.size)
    if wrong:
        headline = words.say("pictures.wrong_count", wrong=wrong, cells=cells)
    else:
        headline = words.say("pictures.all_right", cells=cells)
    several = e_text.shape[0] > 1
    grids = [
        _Grid(
            f"answer {k + 1}",
            words.say("pictures.map", index=k + 1) if several else "",
            g_text[k],
            mask[k],
            e_text[k],
        )
        for k in range(e_text.shape[0])
    ]
    return grids, headline, words.say("pictures.legend_marked") if wrong else ""


def _mismatch(
    words: Words, g_text: np.ndarray, e_maps: np.ndarray | None, precision: int, mode: str
) -> list[_Grid]:
    yours, exact = words.say("pictures.your_answer"), words.say("pictures.expected")
    several = g_text.shape[0] > 1 or (e_maps is not None and e_maps.shape[0] > 1)

    def caption(base: str, k: int) -> str:
        return f"{base} · {words.say('pictures.map', index=k + 1)}" if several else base

    grids = [_Grid(f"answer {k + 1}", caption(yours, k), g_text[k]) for k in range(g_text.shape[0])]
    if e_maps is not None:
        e_text = format_values(e_maps, precision, mode)
        grids += [
            _Grid(f"expected {k + 1}", caption(exact, k), e_text[k]) for k in range(e_maps.shape[0])
        ]
    return grids


def _marked_grid(img: Any, draw: Any, origin: tuple[int, int], panel: Panel, g: _Grid) -> None:
    cell, size = panel.cells.cell, panel.cells.value_size
    wrong = g.wrong if g.wrong is not None else np.zeros(g.texts.shape, bool)
    fill = np.array(WRONG_FILL, np.uint8)
    colours = np.where(wrong[..., None], fill, np.array(canvas.BACKGROUND, np.uint8)).astype(
        np.uint8
    )
    canvas.paste_grid(img, colours, cell, origin)
    if size:
        canvas.draw_texts(draw, origin, cell, g.texts, size, skip=wrong)
        if wrong.any() and g.expected is not None:
            half = (size + 3) / 2
            canvas.draw_texts(draw, origin, cell, g.texts, size, skip=~wrong, dy=-half)
            canvas.draw_texts(
                draw, origin, cell, g.expected, size, skip=~wrong, dy=half, fill=EXPECTED_INK
            )
    width = 3 if cell >= 12 else (2 if cell >= 6 else 1)
    for i, j in zip(*np.nonzero(wrong)):
        draw.rectangle(
            canvas.cell_box(origin, cell, int(i), int(j)), outline=WRONG_RGB, width=width
        )
    rows = [str(i + 1) for i in range(panel.rows)]
    canvas.draw_labels(draw, origin, cell, rows, [str(j + 1) for j in range(panel.cols)])


def marked_from_result(
    path: str | Path,
    answer: Sequence[Any],
    result: Any,
    expected: np.ndarray | None = None,
    *,
    precision: int = 2,
    mode: str = "half-even",
    title: str | None = None,
    lang: str = "en",
) -> PictureInfo:
    """``marked_answer_png`` for a checked answer.

    ``answer`` is the student's grids (``read.Grid``, one per map),
    ``result`` its ``checking.AnswerResult``: the wrong cells and their exact
    values come from ``result.wrong``, the numbers are shown as written.
    ``expected`` (the exact values) is needed only to draw the expected grid
    beside an answer of the wrong shape.
    """
    grids = list(answer)
    if len({g.values.shape for g in grids}) != 1:
        grids = grids[:1]  # ragged blocks: the first is shown under the shape line
    got = np.stack([g.values for g in grids])
    dec = np.stack([np.broadcast_to(g.decimals, g.values.shape) for g in grids])
    texts = written_texts(got, dec, precision, mode)
    title = title if title is not None else (getattr(result, "name", "") or None)
    if result.shape_ok:
        exact = got.copy()
        mask = np.zeros(got.shape, bool)
        shown = np.full(got.shape, "", dtype=object)
        places = _written_places(got, dec)
        required = int(getattr(result, "decimals", precision))
        for w in result.wrong:
            at = (getattr(w, "map", 1) - 1, w.row - 1, w.col - 1)
            mask[at], exact[at] = True, w.expected
            shown[at] = _expected_shown(w.expected, texts[at], int(places[at]), required, mode)
        return marked_answer_png(
            path,
            got,
            exact,
            mask,
            precision,
            mode=mode,
            title=title,
            got_text=texts,
            lang=lang,
            expected_text=shown,
        )
    if got.shape[0] == 1:
        got, texts = got[0], texts[0]
    return marked_answer_png(
        path,
        got,
        expected,
        None,
        precision,
        mode=mode,
        title=title,
        got_text=texts,
        lang=lang,
        expected_shape=result.expected_shape,
    )


def _written_places(got: np.ndarray, dec: np.ndarray) -> np.ndarray:
    from cnncalc.check.cells import written_decimals

    return written_decimals(got, dec)


def _expected_shown(expected: float, written: str, places: int, required: int, mode: str) -> str:
    """The exact value as ``check`` shows it beside a wrong cell: at the decimals the
    student wrote (at least ``required`` unless exact there), cut the student's way
    when that makes the digits agree (a dropped minus reads ``0.55`` / ``-0.55``).

    >>> _expected_shown(-5 / 9, "0.55", 2, 2, "half-even"), _expected_shown(7 / 9, "7", 0, 2, "half-up")
    ('-0.55', '0.78')
    """
    from cnncalc.check.report import expected_text
    from cnncalc.numfmt import round_values, snap

    value = np.array([expected])
    if round_values(value, places, "truncate")[0] != snap(value)[0]:  # not exact at places
        places = min(max(places, required), 12)
    return expected_text(expected, written, places, mode)


@dataclass
class MarkedPicture:
    """One marked picture written for an answer (``index`` is 1-based)."""

    index: int
    name: str
    path: Path


def write_marked_pngs(
    directory: str | Path,
    stem: str,
    answers: Sequence[Sequence[Any] | None],
    results: Sequence[Any],
    expected: Sequence[np.ndarray | None] | None = None,
    *,
    precision: int = 2,
    mode: str = "half-even",
    lang: str = "en",
    pattern: str = "{stem}-{index}.png",
    titles: Sequence[str | None] | None = None,
) -> list[MarkedPicture]:
    """Write a marked PNG for every wrong answer of one student (for feedback files).

    ``answers[k]`` is the student's grids for problem k+1 (None or empty when
    missing: no picture), ``results[k]`` its ``AnswerResult`` (None or correct:
    no picture) and ``expected[k]`` the exact values (optional; drawn beside an
    answer of the wrong shape). Files are named ``pattern.format(stem=stem,
    index=k+1)`` (``alice-2.png``) in ``directory``; a rerun writes the same
    bytes. Returns what was written, in problem order, so a Markdown file can
    link ``![problem 2](alice-2.png)``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cnncalc.check.compare import check_answer
    >>> from cnncalc.read import parse_text
    >>> exp = np.array([[7 / 9, -1 / 9], [1.0, 0.5]])
    >>> ans = parse_text("0.77 0.11\\n1 0.5")
    >>> res = check_answer(ans, exp)
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> [m.name for m in write_marked_pngs(d, "alice", [ans], [res], [exp])]
    ['alice-1.png']
    """
    written = []
    for k, (answer, result) in enumerate(zip(answers, results), start=1):
        if not answer or result is None or getattr(result, "correct", False):
            continue
        name = pattern.format(stem=stem, index=k)
        path = Path(directory) / name
        exp = expected[k - 1] if expected is not None else None
        title = titles[k - 1] if titles is not None else None
        marked_from_result(
            path, answer, result, exp, precision=precision, mode=mode, lang=lang, title=title
        )
        written.append(MarkedPicture(k, name, path))
    return written


def feedback_pictures(
    directory: str | Path,
    stem: str,
    student: Any,
    expected: Sequence[np.ndarray | None] | None = None,
    *,
    precision: int = 2,
    mode: str = "half-even",
    lang: str = "en",
) -> dict[int, str]:
    """Marked pictures for one ``grading.StudentResult``: ``{problem index (1-based): file name}``.

    Uses each ``ProblemResult``'s ``grids`` and ``result`` (None when right);
    the files go to ``directory`` (the feedback folder) as ``<stem>-<k>.png``.

    Examples
    --------
    >>> import tempfile
    >>> from types import SimpleNamespace as NS
    >>> from cnncalc.check.compare import check_answer
    >>> from cnncalc.read import parse_text
    >>> wrong = parse_text("1 1")
    >>> bob = NS(problems=[NS(name="p1", answered=True, grids=wrong,
    ...                       result=check_answer(wrong, np.array([[1.0, -1.0]])))])
    >>> feedback_pictures(tempfile.mkdtemp(), "bob", bob)
    {1: 'bob-1.png'}
    """
    problems = list(student.problems)
    pictures = write_marked_pngs(
        directory,
        stem,
        [p.grids if p.answered else None for p in problems],
        [p.result for p in problems],
        expected,
        precision=precision,
        mode=mode,
        lang=lang,
        titles=[p.name for p in problems],
    )
    return {m.index: m.name for m in pictures}


def check_pngs(
    path: str | Path,
    items: Sequence[Any],
    *,
    precision: int = 2,
    mode: str = "half-even",
    lang: str = "en",
) -> list[PictureInfo]:
    """Pictures for ``cnncalc check --png FILE``: ``items`` have ``.result`` and ``.grids``.

    One answer goes to ``FILE``; several go to ``FILE``'s stem plus ``-1``,
    ``-2``, ... (``marked-1.png``), right answers included.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from types import SimpleNamespace as NS
    >>> from cnncalc.check.compare import check_answer
    >>> from cnncalc.read import parse_text
    >>> grids = parse_text("1 1")
    >>> item = NS(grids=grids, result=check_answer(grids, np.array([[1.0, -1.0]])))
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> [i.path.name for i in check_pngs(d / "marked.png", [item, item])]
    ['marked-1.png', 'marked-2.png']
    """
    p = Path(path)
    out = []
    for k, item in enumerate(items, start=1):
        target = p if len(items) == 1 else p.with_name(f"{p.stem}-{k}{p.suffix or '.png'}")
        out.append(
            marked_from_result(
                target, item.grids, item.result, precision=precision, mode=mode, lang=lang
            )
        )
    return out
