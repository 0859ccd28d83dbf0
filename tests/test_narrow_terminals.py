"""Narrow terminals: no number is ever cut. A table wider than the terminal is shown in
blocks of whole columns, each after a line naming its columns, the row labels kept; a
check table keeps its arrows and key; wrapped sentences keep their indent; Chinese
characters take two cells. Rendered with rich consoles of a given width here;
tests/test_narrow_terminals_cli.py runs the commands on a pseudo-terminal."""

from __future__ import annotations

import io
import re
from collections import Counter

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncalc.check.report import GridView, Line, Section
from cnncalc.cli import cli
from cnncalc.numfmt import format_values
from cnncalc.show import checktables, nettables, traintables
from cnncalc.show import console as out
from cnncalc.show.fit import plan_blocks, wrap_text

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# a number as cnncalc shows it: thousands with commas, decimals, an exponent
NUMBER = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?(?:e[-+]?\d+)?")
WIDTHS = (40, 60, 80, 120)


# --------------------------------------------------------------------------- reading back


def clean(text: str) -> str:
    """Terminal bytes as a person reads them: no colour codes, no carriage returns."""
    return ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "")


def numbers(text: str) -> Counter:
    return Counter(NUMBER.findall(text))


def widest_line(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.split("\n")), default=0)


def grids(text: str) -> list[dict[tuple[int, int], str]]:
    """The grids of a terminal text, read back from their blocks: a header line of
    column numbers above a rule, then rows ``label value value ...``. A block that goes
    on numbering the columns joins the grid before it; one starting at column 1 starts
    a new grid. Each grid maps (row, col), 1-based, to the text shown."""
    lines = text.split("\n")
    found: list[dict[tuple[int, int], str]] = []
    k = 0
    while k < len(lines) - 1:
        head = lines[k].split()
        rule = lines[k + 1].strip()
        if head and all(t.isdigit() for t in head) and rule and set(rule) == {"─"}:
            cols = [int(t) for t in head]
            if cols[0] == 1 or not found:
                found.append({})
            k += 2
            while k < len(lines):
                parts = lines[k].split()
                if len(parts) != len(cols) + 1 or not parts[0].isdigit():
                    break
                if not all(NUMBER.fullmatch(p) for p in parts[1:]):
                    break
                for col, cell in zip(cols, parts[1:]):
                    found[-1][int(parts[0]), col] = cell
                k += 1
            continue
        k += 1
    return found


def as_grid(cells) -> dict[tuple[int, int], str]:
    return {(i + 1, j + 1): str(c) for i, row in enumerate(cells) for j, c in enumerate(row)}


def console(width: int, color_system: str | None = None):
    from rich.console import Console

    return Console(file=io.StringIO(), width=width, force_terminal=True, color_system=color_system,
                   highlight=False, emoji=False)


def shown(c) -> str:
    return clean(c.file.getvalue())


# --------------------------------------------------------------------------- by hand


def test_a_grid_wider_than_the_terminal_goes_into_column_blocks_by_hand():
    # 1.50 -2.25 10.00 / 0.00 3.12 -7.00: columns 4, 5 and 5 cells wide, the row label 1;
    # 1 + (4 + 3) + (5 + 3) = 16 fits 20, a third column would make it 24
    c = console(20)
    v = np.array([[1.5, -2.25, 10], [0, 3.125, -7]])
    out.print_grid(c, format_values(v, 2, "half-even"), v, colored=False)
    assert shown(c) == (
        "columns 1–2 of 3\n"
        "       1       2\n"
        "────────────────\n"
        "1   1.50   -2.25\n"
        "2   0.00    3.12\n"
        "column 3 of 3\n"
        "        3\n"
        "─────────\n"
        "1   10.00\n"
        "2   -7.00\n"
    )


def test_a_grid_that_fits_prints_as_one_table():
    c = console(24)
    v = np.array([[1.5, -2.25, 10], [0, 3.125, -7]])
    out.print_grid(c, format_values(v, 2, "half-even"), v, colored=False)
    assert "column" not in shown(c)
    assert grids(shown(c)) == [as_grid(format_values(v, 2, "half-even"))]


def test_a_wrong_cell_goes_on_three_lines_then_into_blocks_by_hand():
    # one line: 1 + 4 + 12 + 4 + 3·3 = 30; "0.50 / → -0.50": 25; "0.50 / → / -0.50": 23;
    # all wider than 20, so blocks of the three-line form: columns 1–2 (16), then 3
    c = console(20)
    cells = np.array([["1.00", "0.50 → -0.50", "2.00"]], dtype=object)
    checktables.print_marked(c, GridView(cells=cells, marked=np.array([[False, True, False]])))
    assert shown(c) == (
        "columns 1–2 of 3\n"
        "       1       2\n"
        "────────────────\n"
        "1   1.00    0.50\n"
        "               →\n"
        "           -0.50\n"
        "column 3 of 3\n"
        "       3\n"
        "────────\n"
        "1   2.00\n"
    )


@pytest.mark.parametrize(("width", "lines"), [
    (30, ["1.00   0.50 → -0.50   2.00"]),
    (25, ["1.00      0.50   2.00", "       → -0.50"]),
    (23, ["1.00    0.50   2.00", "           →", "       -0.50"]),
])
def test_a_wrong_cell_takes_the_first_form_that_fits(width, lines):
    c = console(width)
    cells = np.array([["1.00", "0.50 → -0.50", "2.00"]], dtype=object)
    checktables.print_marked(c, GridView(cells=cells, marked=np.array([[False, True, False]])))
    body = [line[4:].rstrip() for line in shown(c).splitlines()[2:]]
    assert body == lines


def test_the_block_line_is_chinese_with_lang_zh():
    c = console(20)
    v = np.array([[1.5, -2.25, 10]])
    out.print_grid(c, format_values(v, 2, "half-even"), v, colored=False, lang="zh")
    assert shown(c).splitlines()[0] == "第 1–2 列（共 3 列）"
    assert "第 3 列（共 3 列）" in shown(c)


def test_plan_blocks_by_hand():
    # a label of 2 cells, columns of 5, 5, 7 and 3 cells, 20 cells wide
    plan = plan_blocks([(2, 2), (5, 5), (5, 5), (7, 7), (3, 3)], 20)
    assert plan == [([0, 1, 2], [2, 5, 5]), ([0, 3, 4], [2, 7, 3])]


# --------------------------------------------------------------------------- sentences


def test_wrapped_sentences_keep_their_indent_and_numbers():
    lines = wrap_text("  input (1, 1) × kernel (2, 2): 1.00 × 1000.00 = 1000.00", 40, indent="  ")
    assert lines == ["  input (1, 1) × kernel (2, 2): 1.00 ×", "    1000.00 = 1000.00"]


def test_chinese_is_measured_in_cells():
    lines = wrap_text("答案是各乘积的平均值（除以了 9），但本题要的是乘积之和（norm=sum）。", 20)
    from rich.cells import cell_len

    assert all(cell_len(line) <= 20 for line in lines)
    assert "".join(lines).replace(" ", "") == "答案是各乘积的平均值（除以了9），但本题要的是乘积之和（norm=sum）。"
    assert not any(line.startswith(("，", "）", "。")) for line in lines)  # no line starts with a closing mark


def test_a_number_wider_than_the_line_stays_whole():
    assert wrap_text("value: -1234567.891011", 8) == ["value:", "-1234567.891011"]


def test_a_bullet_wraps_under_its_text():
    c = console(30)
    section = Section("problem 1", [Line("The answer is the mean of the products (divided by 9).", bullet=True)])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(checktables, "make_console", lambda **kw: c)
        checktables.print_sections([section])
    assert shown(c).splitlines() == [
        "problem 1",
        "• The answer is the mean of",
        "  the products (divided by 9).",
    ]


words = st.one_of(
    st.from_regex(r"-?[0-9]{1,9}(\.[0-9]{1,8})?", fullmatch=True),
    st.sampled_from(["the", "cell", "(1, 2)", "×", "=", "norm=mean", "答案", "正负号错误", "，", "。", "值"]),
    st.text(alphabet="abcdefghij_()", min_size=1, max_size=25),
)


@given(st.lists(words, min_size=1, max_size=30), st.integers(10, 80), st.booleans())
@settings(max_examples=200)
def test_wrapping_never_splits_a_number(pieces, width, indent):
    from rich.cells import cell_len

    text = " ".join(pieces)
    lines = wrap_text(text, width, indent="  " if indent else "")
    joined = " ".join(line.strip() for line in lines)
    for number in NUMBER.findall(text):  # every number of the text is on one line, whole
        assert any(number in line for line in lines), (number, lines)
    assert joined.replace(" ", "") == text.replace(" ", "")
    for line in lines:  # a line wider than the width holds a single number and its indent
        assert cell_len(line) <= width or NUMBER.fullmatch(line.strip()), (line, lines)


# --------------------------------------------------------------------------- grids, any size


@given(
    st.integers(1, 12), st.integers(1, 30), st.integers(0, 6), st.integers(20, 160),
    st.data(),
)
@settings(max_examples=80)
def test_every_number_of_any_grid_is_shown_whole(rows, cols, precision, width, data):
    scale = data.draw(st.sampled_from([1.0, 100.0, 1e5]))
    values = np.array(data.draw(st.lists(
        st.floats(-scale, scale, allow_nan=False), min_size=rows * cols, max_size=rows * cols
    ))).reshape(rows, cols)
    cells = format_values(values, precision, "half-even")
    c = console(width, data.draw(st.sampled_from([None, "standard"])))
    out.print_grid(c, cells, values, colored=True, palette=out.heat_palette(c))
    text = shown(c)
    assert "…" not in text
    assert widest_line(text) <= width
    assert grids(text) == [as_grid(cells)]  # every cell, in its row and column


@given(st.integers(1, 6), st.integers(1, 12), st.integers(20, 120), st.data())
@settings(max_examples=60)
def test_every_cell_of_a_checked_grid_is_shown_whole(rows, cols, width, data):
    written = data.draw(st.lists(st.integers(-999, 999), min_size=rows * cols, max_size=rows * cols))
    wrong = data.draw(st.lists(st.booleans(), min_size=rows * cols, max_size=rows * cols))
    cells = np.array([
        f"{w / 100:.2f} → {-w / 100 - 1:.2f}" if bad else f"{w / 100:.2f}"
        for w, bad in zip(written, wrong)
    ], dtype=object).reshape(rows, cols)
    c = console(width)
    checktables.print_marked(c, GridView(cells=cells, marked=np.array(wrong).reshape(rows, cols)))
    text = shown(c)
    assert "…" not in text
    assert widest_line(text) <= width
    assert text.count("→") == sum(wrong)
    expected = Counter(t for cell in cells.ravel() for t in NUMBER.findall(cell))
    assert numbers(text) >= expected


def test_a_grid_narrower_than_one_number_is_shown_whole():
    c = console(8)
    v = np.array([[-123456.789, 1.0]])
    out.print_grid(c, format_values(v, 3, "half-even"), v, colored=False)
    text = shown(c)
    assert "…" not in text and "-123456.789" in text and "1.000" in text
    assert grids(text) == [as_grid(format_values(v, 3, "half-even"))]


# --------------------------------------------------------------------------- the commands' views


def _sections(args: list[str]):
    """The sections ``check``/``explain`` would draw, from their plain text's source."""
    from cnncalc.cli import checking

    captured = {}

    def keep(sections, fmt, options, json_obj=None):
        captured["sections"] = sections

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(checking, "_emit_sections", keep)
        CliRunner().invoke(cli, args, catch_exceptions=False)
    return captured["sections"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("color_system", [None, "standard"])
def test_check_tables_keep_every_number_and_arrow(width, lang, color_system):
    args = ["--lang", lang, "check", "samples/xo/homework.txt", "--norm", "mean"]
    sections = _sections(args)
    plain = CliRunner().invoke(cli, args + ["--format", "plain"]).output
    c = console(width, color_system)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(checktables, "make_console", lambda **kw: c)
        checktables.print_sections(sections, lang=lang)
    text = shown(c)
    assert "…" not in text
    assert widest_line(text) <= width
    grid_lines = [line for line in plain.splitlines() if "\t" in line]
    wrong = sum(line.count("→") for line in grid_lines)
    key = "a → b: a was written" if lang == "en" else "a → b：写的是 a"
    assert text.count(key) == 3  # the key under each of the three grids, unbroken at 40 columns
    assert text.count("→") == wrong + 3  # every wrong cell keeps its arrow
    assert numbers(text) >= numbers("\n".join(grid_lines))


@pytest.mark.parametrize("width", WIDTHS)
def test_run_maps_and_vectors_keep_every_number(width):
    import json

    args = ["run", "samples/net/o.txt", "@samples/net/xo-net.txt", "--target", "1", "--precision", "6"]
    doc = json.loads(CliRunner().invoke(cli, args + ["--format", "json"]).output)
    captured = {}

    def keep(results, **kw):
        captured.update(results=results, **kw)

    with pytest.MonkeyPatch.context() as mp:  # the results the command hands to print_run
        mp.setattr("cnncalc.show.nettables.print_run", keep)
        CliRunner().invoke(cli, args + ["--format", "table"], catch_exceptions=False)
    c = console(width)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nettables, "make_console", lambda **kw: c)
        nettables.print_run(**captured)
    text = shown(c)
    assert "…" not in text and widest_line(text) <= width
    expected = Counter()
    for stage in doc["stages"]:
        expected.update(format_values(np.array(stage["output"], dtype=float), 6, "half-even").ravel().tolist())
    assert numbers(text) >= expected
    maps = [m for stage in doc["stages"] if np.ndim(stage["output"]) == 3 for m in stage["output"]]
    assert grids(text) == [as_grid(format_values(np.array(m), 6, "half-even")) for m in maps]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_shape_table_keeps_every_number(width, lang):
    from cnncalc.net.shapes import shape_summary

    chain = ("conv(16, 3, stride=2, padding=1) | relu | conv(32, 3, stride=2, padding=1) | relu "
             "| conv_transpose(16, 3, stride=2, padding=1, output_padding=1) | relu "
             "| conv_transpose(1, 3, stride=2, padding=1, output_padding=1) | sigmoid")
    summary = shape_summary((1, 28, 28), chain)
    plain = CliRunner().invoke(cli, ["--lang", lang, "shape", "1x28x28", chain, "--format", "plain"]).output
    c = console(width)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nettables, "make_console", lambda **kw: c)
        nettables.print_shape(summary, lang=lang)
    text = shown(c)
    assert "…" not in text and widest_line(text) <= width
    cells = [cell for line in plain.splitlines()[1:] for cell in line.split("\t")[1:]]
    assert numbers(text) >= numbers("\n".join(cells))  # shapes, params, MACs, the totals


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_train_step_keeps_every_number(width, lang):
    args = ["--lang", lang, "train-step", "samples/train/x.txt", "@samples/train/net.txt", "--target", "0",
            "--optimizer", "sgd", "--lr", "0.1", "--explain", "1:1,2"]
    plain = CliRunner().invoke(cli, args + ["--format", "plain"]).output
    captured = {}

    def keep(result, **kw):
        captured.update(result=result, **kw)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("cnncalc.show.traintables.print_train", keep)
        CliRunner().invoke(cli, args + ["--format", "table"], catch_exceptions=False)
    c = console(width)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(traintables, "make_console", lambda **kw: c)
        traintables.print_train(**captured)
    text = shown(c)
    assert "…" not in text and widest_line(text) <= width
    body = [line for line in plain.splitlines() if not line.startswith("#")]
    assert numbers(text) >= numbers("\n".join(body))
    assert "dL/dw = 0.2500" in text


def test_piped_output_does_not_depend_on_the_terminal_width(monkeypatch):
    args = ["check", "samples/xo/homework.txt", "--norm", "mean"]
    monkeypatch.setenv("COLUMNS", "200")
    wide = CliRunner().invoke(cli, args).output
    monkeypatch.setenv("COLUMNS", "40")
    narrow = CliRunner().invoke(cli, args).output
    assert wide == narrow and "…" not in narrow


def test_a_map_too_large_for_a_table_is_in_column_blocks_on_a_terminal(monkeypatch):
    # beyond MAP_TABLE_MAX_CELLS a map is plain text; on a terminal its rows would be
    # folded by the terminal in the middle of a number, so they come in blocks instead:
    # label 1 + 3 columns of (1 + 3) cells = 13 > 12, so columns 1–2, then 3
    c = console(12)
    monkeypatch.setattr(out, "MAP_TABLE_MAX_CELLS", 4)
    monkeypatch.setattr(out, "make_console", lambda **kw: c)
    out.print_maps(np.array([[1.0, 0, 3], [0, 5, 0]]), precision=0, mode="half-even",
                   titles=["shape 2×3"], no_color=True)
    assert shown(c) == (
        "shape 2×3\n"
        "columns 1–2 of 3\n"
        "    1   2\n"
        "─────────\n"
        "1   1   0\n"
        "2   0   5\n"
        "column 3 of 3\n"
        "    3\n"
        "─────\n"
        "1   3\n"
        "2   0\n"
    )
