"""Pictures: heat maps, marked answers, the sliding-window GIF.

Every test opens the written file with Pillow and looks at pixels where the
``PictureInfo.grids`` boxes say the cells are: sizes, frame counts, and colours
(negative cells blue, positive red, zero white, wrong cells outlined in red,
the sampled window outlined in orange).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from cnncalc.check.compare import check_answer
from cnncalc.colors import NEGATIVE_RGB, POSITIVE_RGB, heat_array, heat_rgb
from cnncalc.draw import animation, canvas, layout
from cnncalc.draw.canvas import PictureError
from cnncalc.draw.heatmap import (
    check_pngs,
    draw_maps,
    feedback_pictures,
    marked_answer_png,
    marked_from_result,
    write_marked_pngs,
)
from cnncalc.draw.marked import WRONG_FILL, WRONG_RGB, written_texts
from cnncalc.engine import ops
from cnncalc.read import parse_text, read_matrix, read_problems

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "xo"
WHITE = (255, 255, 255)


def rgb(path: Path, frame: int | None = None) -> Image.Image:
    img = Image.open(path)
    if frame is not None:
        img.seek(frame)
    return img.convert("RGB")


def corner(img: Image.Image, box: layout.GridBox, row: int, col: int) -> tuple[int, int, int]:
    """A pixel inside cell (row, col) (1-based), away from its number and grid lines."""
    x0, y0, _, _ = box.box(row, col)
    return img.getpixel((x0 + 3, y0 + 3))


def edge(img: Image.Image, box: layout.GridBox, row: int, col: int) -> tuple[int, int, int]:
    """A pixel on the left edge of cell (row, col), half way down (where outlines are drawn)."""
    x0, y0, _, y1 = box.box(row, col)
    return img.getpixel((x0 + 1, (y0 + y1) // 2))


def is_blue(c: tuple[int, int, int]) -> bool:
    return c[2] > c[0] + 40


def is_red(c: tuple[int, int, int]) -> bool:
    return c[0] > c[2] + 40


# --------------------------------------------------------------------------- colours


def test_heat_scale_ends_and_middle():
    assert heat_rgb(0.0) == WHITE
    assert heat_rgb(-1.0) == NEGATIVE_RGB and heat_rgb(1.0) == POSITIVE_RGB
    assert heat_rgb(-5.0) == NEGATIVE_RGB  # clipped
    # half way: 255 + (178 - 255) * 0.5 = 216.5 -> 216 (half-even), 139.5 -> 140, 149
    assert heat_rgb(0.5) == (216, 140, 149)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-10, 10, allow_nan=False), min_size=1, max_size=20), st.floats(0.5, 20))
def test_heat_array_is_heat_rgb_cell_by_cell(values, scale):
    arr = np.array(values)
    got = heat_array(arr, scale)
    assert [tuple(c) for c in got.tolist()] == [heat_rgb(v / scale) for v in values]


def test_heat_array_all_zero_map_is_white():
    assert heat_array(np.zeros((2, 2)), 0.0).tolist() == [[list(WHITE)] * 2] * 2


# --------------------------------------------------------------------------- draw


def test_draw_one_map_every_cell_has_its_colour(tmp_path):
    values = np.array([[-2.0, 0.0, 1.0], [2.0, -1.0, 0.5]])
    out = tmp_path / "map.png"
    info = draw_maps(out, values, precision=1, title="hand grid")
    img = rgb(out)
    assert img.size == (info.width, info.height)
    box = info.grids["map 1"]
    assert (box.rows, box.cols) == (2, 3)
    for i in range(2):
        for j in range(3):
            assert corner(img, box, i + 1, j + 1) == heat_rgb(values[i, j] / 2.0)
    assert corner(img, box, 1, 2) == WHITE  # zero is white
    assert is_blue(corner(img, box, 1, 1)) and is_blue(corner(img, box, 2, 2))  # negatives
    assert is_red(corner(img, box, 2, 1))
    assert box.x + 3 * box.cell < info.width and box.y + 2 * box.cell < info.height


def test_draw_writes_the_numbers_in_the_cells(tmp_path):
    out = tmp_path / "map.png"
    info = draw_maps(out, np.array([[-1.0, 0.0]]), precision=2)
    img = np.asarray(rgb(out)).astype(int)
    box = info.grids["map 1"]
    x0, y0, x1, y1 = box.box(1, 1)
    dark_cell = img[y0 + 4 : y1 - 3, x0 + 4 : x1 - 3]
    assert (dark_cell.min(axis=2) > 200).any()  # white text on the dark blue cell
    x0, y0, x1, y1 = box.box(1, 2)
    white_cell = img[y0 + 4 : y1 - 3, x0 + 4 : x1 - 3]
    assert (white_cell.max(axis=2) < 120).any()  # dark text "0.00" on white


def test_draw_several_maps_share_one_scale_side_by_side(tmp_path):
    maps = np.stack([np.full((2, 2), 1.0), np.full((2, 2), 4.0), np.full((2, 2), -4.0)])
    out = tmp_path / "maps.png"
    info = draw_maps(out, maps)
    img = rgb(out)
    boxes = [info.grids[f"map {k}"] for k in (1, 2, 3)]
    assert boxes[0].y == boxes[1].y == boxes[2].y and boxes[0].x < boxes[1].x < boxes[2].x
    assert corner(img, boxes[0], 1, 1) == heat_rgb(0.25)
    assert corner(img, boxes[1], 2, 2) == POSITIVE_RGB
    assert corner(img, boxes[2], 2, 1) == NEGATIVE_RGB


def test_draw_wraps_after_columns(tmp_path):
    info = draw_maps(tmp_path / "m.png", np.ones((5, 2, 2)), columns=2)
    ys = sorted({b.y for b in info.grids.values()})
    assert len(info.grids) == 5 and len(ys) == 3


def test_draw_big_map_gets_small_cells_without_numbers(tmp_path):
    values = np.arange(300 * 500, dtype=float).reshape(300, 500) - 75_000
    out = tmp_path / "big.png"
    info = draw_maps(out, values)
    box = info.grids["map 1"]
    assert box.cell == 1600 // 500 == 3
    img = np.asarray(rgb(out))
    assert img.shape[:2] == (info.height, info.width)
    cell = img[box.y : box.y + 3 * 20, box.x : box.x + 3 * 20]
    assert cell.shape == (60, 60, 3)  # inside the picture
    # first cell is -75000 at full blue, last is positive
    assert tuple(img[box.y + 1, box.x + 1]) == NEGATIVE_RGB
    assert is_red(tuple(int(v) for v in img[box.y + 300 * 3 - 2, box.x + 500 * 3 - 2]))


def test_draw_refuses_a_map_too_large(tmp_path):
    with pytest.raises(PictureError, match="at most 4000 cells"):
        draw_maps(tmp_path / "x.png", np.zeros((2, 4001)))


def test_draw_is_deterministic(tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    x = read_matrix(SAMPLES / "x.txt")
    draw_maps(a, x, title="X")
    draw_maps(b, x, title="X")
    assert a.read_bytes() == b.read_bytes()


def test_fit_cells_shrinks_then_drops_numbers():
    roomy = canvas.fit_cells(["-0.11"], 7, 7, max_px=1600)
    assert roomy.value_size == 14 and roomy.cell >= 32
    tight = canvas.fit_cells(["-0.11"], 50, 50, max_px=1600)
    assert tight.cell == 32 and 0 < tight.value_size < 14  # a smaller font
    small = canvas.fit_cells(["-0.11"], 100, 100, max_px=1600)
    assert (small.cell, small.value_size) == (16, 0)  # no room for "-0.11" even at 8 px
    tiny = canvas.fit_cells(["-0.11"], 400, 400, max_px=1600)
    assert (tiny.cell, tiny.value_size) == (4, 0)


def test_labels_thin_out_with_small_cells():
    assert canvas.label_step(40, 20) == 1
    assert canvas.label_step(4, 20) == 10  # 10 cells of 4 px hold a 20 px label
    shown = [n + 1 for n in range(30) if canvas._labelled(n, 10)]
    assert shown == [1, 10, 20, 30]
    assert [n + 1 for n in range(6) if canvas._labelled(n, 2)] == [1, 4, 6]


# --------------------------------------------------------------------------- fonts


def test_default_font_draws_digits_but_not_chinese():
    font = canvas._font(14, None)
    assert canvas.has_glyphs(font, "-0.77 map 1 · 7x7")
    assert not canvas.has_glyphs(font, "特征图")


def test_chinese_without_a_chinese_font_falls_back_to_english(tmp_path, monkeypatch):
    monkeypatch.setattr(canvas, "_candidate_paths", list)
    words = layout.Words("zh")
    assert words.lang == "en" and words.fallback
    info = draw_maps(tmp_path / "m.png", np.ones((2, 2, 2)), lang="zh")
    assert info.font_fallback


def test_chinese_with_a_font_keeps_chinese(monkeypatch):
    monkeypatch.setattr(canvas, "font_for", lambda text, size: (canvas._font(size, None), True))
    words = layout.Words("zh")
    assert words.lang == "zh" and not words.fallback
    assert words.say("pictures.map", index=1) == "特征图 1"


def test_pillow_missing_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(PictureError) as info:
        draw_maps(tmp_path / "m.png", np.ones((2, 2)))
    assert str(info.value) == 'drawing pictures needs Pillow: pip install "cnncalc[images]"'
    assert "pip install" in info.value.message("zh")
    with pytest.raises(PictureError):
        animation.animate_conv(tmp_path / "a.gif", np.ones((3, 3)), np.ones((2, 2)))


# --------------------------------------------------------------------------- marked answers


def test_marked_answer_outlines_the_wrong_cell_in_red(tmp_path):
    got = np.array([[0.77, 0.11], [1.0, 0.5]])
    exp = np.array([[7 / 9, -1 / 9], [1.0, 0.5]])
    wrong = np.array([[False, True], [False, False]])
    out = tmp_path / "marked.png"
    info = marked_answer_png(out, got, exp, wrong, 2, title="feature map 1")
    img = rgb(out)
    assert img.size == (info.width, info.height)
    box = info.grids["answer 1"]
    assert edge(img, box, 1, 2) == WRONG_RGB  # the red outline
    x0, y0, x1, y1 = box.box(1, 2)
    assert img.getpixel(((x0 + x1) // 2, y0 + 1)) == WRONG_RGB  # top side too
    assert img.getpixel((x0 + 4, y0 + 4)) == WRONG_FILL
    assert edge(img, box, 1, 1) != WRONG_RGB and corner(img, box, 1, 1) == WHITE
    # the expected value is written in red in the lower half of the wrong cell
    lower = np.asarray(img)[(y0 + y1) // 2 : y1 - 3, x0 + 4 : x1 - 3].astype(int)
    assert ((lower[..., 0] > 120) & (lower[..., 1] < 90)).any()


def outlined(img: Image.Image, box: layout.GridBox) -> set[tuple[int, int]]:
    return {
        (i, j)
        for i in range(1, box.rows + 1)
        for j in range(1, box.cols + 1)
        if edge(img, box, i, j) == WRONG_RGB
    }


def test_marked_homework_outlines_exactly_the_dropped_signs(tmp_path):
    problems = read_problems(SAMPLES / "homework.txt")
    for n, p in enumerate(problems, start=1):
        exp = ops.conv2d(p.image_array(), p.kernel_array(), norm="mean")
        result = check_answer(p.answer, exp)
        out = tmp_path / f"m{n}.png"
        info = marked_from_result(out, p.answer, result, exp, title=f"problem {n}")
        cells = outlined(rgb(out), info.grids["answer 1"])
        assert cells == {(w.row, w.col) for w in result.wrong}
        assert len(cells) == (12, 20, 15)[n - 1]


def test_marked_written_numbers_keep_their_decimals():
    assert written_texts(
        np.array([1.0, 0.5, 7 / 9]), np.array([0, 2, -1]), 2, "truncate"
    ).tolist() == [
        "1",
        "0.50",
        "0.77",
    ]


def test_marked_shape_mismatch_shows_both_grids(tmp_path):
    answer = parse_text("1 2\n3 4")
    exp = np.zeros((3, 3))
    result = check_answer(answer, exp)
    assert not result.shape_ok
    out = tmp_path / "shape.png"
    info = marked_from_result(out, answer, result, exp)
    assert set(info.grids) == {"answer 1", "expected 1"}
    assert (info.grids["answer 1"].rows, info.grids["expected 1"].rows) == (2, 3)
    title = np.asarray(rgb(out))[layout.PAD : layout.PAD + 16].astype(int)
    assert ((title[..., 0] > 180) & (title[..., 1] < 80)).any()  # the red shape line
    alone = marked_from_result(tmp_path / "alone.png", answer, result)  # no expected array
    assert set(alone.grids) == {"answer 1"}


def test_marked_several_maps(tmp_path):
    answer = parse_text("1 0\n0 1\n\n2 0\n0 2")
    exp = np.stack([np.eye(2), -2 * np.eye(2)])
    result = check_answer(answer, exp)
    out = tmp_path / "maps.png"
    info = marked_from_result(out, answer, result, exp)
    img = rgb(out)
    assert outlined(img, info.grids["answer 1"]) == set()
    assert outlined(img, info.grids["answer 2"]) == {(1, 1), (2, 2)}


def test_write_marked_pngs_for_wrong_answers_only(tmp_path):
    exp = np.array([[7 / 9, -1 / 9], [1.0, 0.5]])
    right = parse_text("0.77 -0.11\n1 0.5")
    wrong = parse_text("0.77 0.11\n1 0.5")
    answers = [right, wrong, None, wrong]
    results = [check_answer(a, exp) if a else None for a in answers]
    made = write_marked_pngs(tmp_path, "alice", answers, results, [exp] * 4)
    assert [(m.index, m.name) for m in made] == [(2, "alice-2.png"), (4, "alice-4.png")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alice-2.png", "alice-4.png"]
    first = (tmp_path / "alice-2.png").read_bytes()
    write_marked_pngs(tmp_path, "alice", answers, results, [exp] * 4)
    assert (tmp_path / "alice-2.png").read_bytes() == first  # a rerun: the same bytes


def test_feedback_pictures_from_a_student_result(tmp_path):
    exp = np.array([[1.0, -1.0]])
    wrong = parse_text("1 1")
    problem = SimpleNamespace
    student = SimpleNamespace(
        problems=[
            problem(name="p1", answered=True, grids=parse_text("1 -1"), result=None),
            problem(name="p2", answered=True, grids=wrong, result=check_answer(wrong, exp)),
            problem(name="p3", answered=False, grids=None, result=None),
        ]
    )
    assert feedback_pictures(tmp_path, "bob", student) == {2: "bob-2.png"}
    assert (tmp_path / "bob-2.png").is_file()


def test_check_pngs_one_file_or_one_per_answer(tmp_path):
    exp = np.array([[1.0, -1.0]])
    item = SimpleNamespace(grids=parse_text("1 1"), result=check_answer(parse_text("1 1"), exp))
    check_pngs(tmp_path / "one.png", [item])
    check_pngs(tmp_path / "marked.png", [item, item])
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["marked-1.png", "marked-2.png", "one.png"]


# --------------------------------------------------------------------------- animation


def gif_durations(path: Path) -> list[int]:
    img = Image.open(path)
    out = []
    for n in range(img.n_frames):
        img.seek(n)
        out.append(img.info["duration"])
    return out


def test_animation_frame_count_is_output_cells_plus_one(tmp_path):
    out = tmp_path / "conv.gif"
    info = animation.animate_conv(out, np.arange(16.0).reshape(4, 4), np.eye(2), stride=2, fps=4)
    img = Image.open(out)
    assert img.format == "GIF" and img.size == (info.width, info.height)
    assert img.n_frames == info.frames == 2 * 2 + 1
    assert gif_durations(out) == [250, 250, 250, 250, 2000]


def test_animation_frames_dir_and_window_and_output(tmp_path):
    x = np.arange(16.0).reshape(4, 4)  # 0..15
    k = np.array([[1.0, 0.0], [0.0, -1.0]])
    frames = tmp_path / "frames"
    out = tmp_path / "conv.gif"
    info = animation.animate_conv(out, x, k, stride=2, frames_dir=frames)
    names = sorted(p.name for p in frames.iterdir())
    assert names == [f"frame-000{n}.png" for n in range(1, 6)]
    first = rgb(frames / "frame-0001.png")
    assert first.size == (info.width, info.height)
    inp, outp = info.grids["input 1"], info.grids["output"]
    # output (1, 1) samples input rows 1-2, cols 1-2: outlined; (1, 3) is not
    for cell in ((1, 1), (1, 2), (2, 1), (2, 2)):
        assert edge(first, inp, *cell) == animation.WINDOW_RGB
    assert edge(first, inp, 1, 3) != animation.WINDOW_RGB
    # the output fills in: after frame 1 only (1, 1); all four in the last frame
    y = ops.conv2d(x, k, stride=2)  # every cell is 0 - 5 = -5
    assert y.tolist() == [[-5.0, -5.0], [-5.0, -5.0]]
    assert corner(first, outp, 1, 1) == NEGATIVE_RGB
    assert corner(first, outp, 2, 2) == animation.PENDING_RGB
    last = rgb(frames / "frame-0005.png")
    assert all(corner(last, outp, i, j) == NEGATIVE_RGB for i in (1, 2) for j in (1, 2))
    assert edge(last, inp, 1, 1) != animation.WINDOW_RGB  # no window on the final frame
    # the GIF shows the same: its palette keeps the key colours exact
    gif_last = rgb(out, 4)
    assert corner(gif_last, outp, 2, 2) == NEGATIVE_RGB
    assert corner(rgb(out, 0), outp, 2, 2) == animation.PENDING_RGB


def test_animation_dilated_window_shows_its_gaps(tmp_path):
    frames = tmp_path / "f"
    info = animation.animate_conv(
        tmp_path / "d.gif", np.ones((5, 5)), np.ones((2, 2)), dilation=2, frames_dir=frames
    )
    assert info.frames == 3 * 3 + 1
    img = rgb(frames / "frame-0001.png")
    inp = info.grids["input 1"]
    for cell in ((1, 1), (1, 3), (3, 1), (3, 3)):
        assert edge(img, inp, *cell) == animation.WINDOW_RGB
    x0, y0, x1, _ = inp.box(1, 2)  # the gap between sampled cells: not outlined
    assert img.getpixel(((x0 + x1) // 2, y0 + 1)) != animation.WINDOW_RGB
    x0, y0, x1, _ = inp.box(2, 2)
    assert img.getpixel(((x0 + x1) // 2, y0 + 1)) != animation.WINDOW_RGB


def test_animation_padding_grid_and_zero_is_white(tmp_path):
    x = np.array([[1.0, -1.0], [-1.0, 1.0]])
    frames = tmp_path / "f"
    info = animation.animate_conv(
        tmp_path / "p.gif", x, np.ones((2, 2)), padding=1, frames_dir=frames
    )
    y = ops.conv2d(x, np.ones((2, 2)), padding=1)  # [[1, 0, -1], [0, 0, 0], [-1, 0, 1]]
    assert info.frames == y.size + 1 == 10
    inp, outp = info.grids["input 1"], info.grids["output"]
    assert (inp.rows, inp.cols) == (4, 4)
    last = rgb(frames / "frame-0010.png")
    assert corner(last, outp, 2, 2) == WHITE  # zero is white
    assert corner(last, outp, 1, 1) == POSITIVE_RGB and corner(last, outp, 3, 1) == NEGATIVE_RGB
    pad_cell = corner(last, inp, 1, 1)  # a padding zero: greyed, not white
    assert pad_cell != WHITE and pad_cell[0] == pad_cell[1] == pad_cell[2]
    assert corner(last, inp, 2, 2) == POSITIVE_RGB  # the image's own (1, 1)


def test_animation_captions_walk_through_the_seed_cell():
    x, k = read_matrix(SAMPLES / "x.txt"), read_matrix(SAMPLES / "k1.txt")
    conv = {"norm": "mean"}
    s = animation._setup(x, k, conv, 1)
    lines = animation._captions(s, conv, 0.0, layout.Words("en"), 2, "truncate")
    assert len(lines) == 7 * 7 + 1
    assert lines[0] == ["output (1, 1) = sum of the products = 7", "mean: 7 / 9 = 0.77"]
    assert lines[-1] == ["output complete: 7x7"]
    conv = {"bias": 0.5}
    s = animation._setup(x, k, conv, 1)
    lines = animation._captions(s, conv, 0.5, layout.Words("en"), 2, "half-up")
    assert lines[0] == ["output (1, 1) = sum of the products = 7", "bias: 7.00 + 0.50 = 7.50"]


def test_animation_channels_sum_over_the_channels(tmp_path):
    x = read_matrix(SAMPLES / "x.txt")
    image = np.stack([x, -x, 0 * x])
    kernel = np.stack([np.eye(3)] * 3)
    info = animation.animate_conv(tmp_path / "c.gif", image, kernel, stride=3)
    assert info.frames == 3 * 3 + 1
    assert {"input 1", "input 3", "kernel 2", "products 3", "output"} <= set(info.grids)
    s = animation._setup(image, kernel, {"stride": 3}, 1)
    lines = animation._captions(s, {"stride": 3}, 0.0, layout.Words("en"), 2, "half-even")
    # window (1, 1) on the X's diagonal: -1 + 1 + 1 = 1; the negated X -1; zeros 0
    assert lines[0] == ["output (1, 1) = sum over the channels = 1 + (-1) + 0 = 0"]


def test_animation_of_a_bank_picks_one_filter(tmp_path):
    x = read_matrix(SAMPLES / "x.txt")
    bank = np.stack([read_matrix(SAMPLES / f"k{i}.txt") for i in (1, 2)])
    frames = tmp_path / "f"
    info = animation.animate_conv(
        tmp_path / "b.gif", x, bank, map=2, norm="mean", frames_dir=frames
    )
    expected = ops.conv2d(x, bank, norm="mean")[1]
    last = rgb(frames / "frame-0050.png")
    outp = info.grids["output"]
    scale = np.abs(expected).max()
    for i, j in ((1, 1), (4, 4), (4, 3)):
        assert corner(last, outp, i, j) == heat_rgb(expected[i - 1, j - 1] / scale)
    with pytest.raises(PictureError, match="no filter 3"):
        animation.animate_conv(tmp_path / "b.gif", x, bank, map=3)


def test_animation_refuses_absurd_sizes(tmp_path):
    with pytest.raises(PictureError, match="2,501 frames"):
        animation.animate_conv(tmp_path / "a.gif", np.zeros((52, 52)), np.ones((3, 3)))
    with pytest.raises(PictureError, match="too large to animate"):
        animation.animate_conv(tmp_path / "a.gif", np.zeros((150, 150)), np.ones((3, 3)), stride=50)
    assert not (tmp_path / "a.gif").exists()


def test_animation_is_deterministic(tmp_path):
    x, k = read_matrix(SAMPLES / "x.txt"), read_matrix(SAMPLES / "k2.txt")
    a, b = tmp_path / "a.gif", tmp_path / "b.gif"
    animation.animate_conv(a, x, k, stride=2, padding=1)
    animation.animate_conv(b, x, k, stride=2, padding=1)
    assert a.read_bytes() == b.read_bytes()


def test_feedback_pictures_for_the_sample_class(tmp_path):
    from cnncalc.check.assignment import load_assignment
    from cnncalc.grade.grader import Grader, find_submissions, grade_submissions

    assignment = load_assignment(SAMPLES / "assignment.toml")
    expected = [p.expected for p in assignment.problems]
    results = grade_submissions(find_submissions(SAMPLES / "class"), Grader(assignment))
    made = {r.student: feedback_pictures(tmp_path, r.student, r, expected) for r in results}
    assert made["ana"] == {}  # all right: no picture
    assert made["gus"] == {}  # malformed: nothing to draw
    dana = next(r for r in results if r.student == "dana")
    assert made["dana"] == {1: "dana-1.png", 2: "dana-2.png", 3: "dana-3.png"}
    # dana wrote sums instead of means: every cell of problem 1 is wrong, all outlined
    first = dana.problems[0].result
    img = rgb(tmp_path / "dana-1.png")
    info = marked_from_result(tmp_path / "again.png", dana.problems[0].grids, first, expected[0])
    assert len(outlined(img, info.grids["answer 1"])) == len(first.wrong) == 49
    assert (tmp_path / "again.png").read_bytes() == (tmp_path / "dana-1.png").read_bytes()


def test_picture_messages_exist_in_english_and_chinese():
    from cnncalc.messages import PICTURES

    assert PICTURES and all(
        {"en", "zh"} <= set(entry) <= {"en", "zh", "en_one", "one_of"} for entry in PICTURES.values()
    )
    for key, entry in PICTURES.items():
        fields_en = set(re.findall(r"{(\w+)", entry["en"]))
        assert fields_en == set(re.findall(r"{(\w+)", entry["zh"])), key
