"""``explain`` without colour (``--no-color``, NO_COLOR, a pipe with ``--format table``)
marks the explained cell's window as the plain format does: its cells stand in
``[ ]``, the digits of every column still aligned, on one table or in the narrow
terminal's blocks of columns. With colour the table stays as it was (yellow, no
brackets)."""

from __future__ import annotations

import os
import re

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from test_narrow_terminals import _sections, clean, console, shown, widest_line

from cnncalc.check.report import GridView
from cnncalc.cli import cli
from cnncalc.show import checktables

EXPLAIN = ["explain", "samples/xo/x.txt", "samples/xo/k1.txt", "--at", "4,4", "--norm", "mean"]
CELL = re.compile(r"\[?-?\d+(?:\.\d+)?\]?")


def draw(sections, width: int, color_system: str | None = None, no_color: bool = False) -> str:
    c = console(width, color_system)
    c.no_color = no_color
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(checktables, "make_console", lambda **kw: c)
        checktables.print_sections(sections)
    return c.file.getvalue()


def image_lines(text: str) -> list[str]:
    """The image table's lines (header, rule, rows), up to the receptive-field sentence."""
    return [line.rstrip() for line in text.split("Image\n", 1)[1].split("The receptive field")[0].rstrip("\n").split("\n")]


def bracketed_cells(text: str) -> set[tuple[int, int]]:
    """(row, column), 1-based, of the cells in [ ], read back from a grid or its blocks:
    a header of column numbers above a rule, then rows ``label cell cell ...``."""
    lines = text.split("\n")
    found = set()
    for k in range(len(lines) - 1):
        if not lines[k + 1] or set(lines[k + 1]) != {"─"}:
            continue
        cols = [int(p) for p in lines[k].split()]
        for line in lines[k + 2:]:
            parts = line.split()
            if len(parts) != len(cols) + 1 or not parts[0].isdigit() or not all(CELL.fullmatch(p) for p in parts[1:]):
                break
            found |= {(int(parts[0]), col) for col, p in zip(cols, parts[1:]) if p.startswith("[")}
    return found


def digit_ends(text: str) -> list[list[list[int]]]:
    """Per block of a grid: for its header and each row, where each column's last digit
    ends (a closing bracket not counted)."""
    lines = text.split("\n")
    blocks = []
    for k in range(len(lines) - 1):
        if not lines[k + 1] or set(lines[k + 1]) != {"─"}:
            continue
        block = [[m.end() for m in re.finditer(r"\d+", lines[k])]]
        for line in lines[k + 2:]:
            parts = line.split()
            if not parts or not parts[0].isdigit() or not all(CELL.fullmatch(p) for p in parts[1:]):
                break
            block.append([m.end() - m.group().endswith("]") for m in re.finditer(r"\S+", line)][1:])
        blocks.append(block)
    return blocks


WINDOW = {(r, c) for r in (4, 5, 6) for c in (4, 5, 6)}


def test_no_color_marks_the_window_in_brackets_by_hand():
    text = clean(draw(_sections(EXPLAIN), 100, "truecolor", no_color=True))
    assert image_lines(text) == [
        "     1    2    3     4      5      6     7    8    9",
        "────────────────────────────────────────────────────",
        "1   -1   -1   -1    -1     -1     -1    -1   -1   -1",
        "2   -1    1   -1    -1     -1     -1    -1    1   -1",
        "3   -1   -1    1    -1     -1     -1     1   -1   -1",
        "4   -1   -1   -1    [1]   [-1]    [1]   -1   -1   -1",
        "5   -1   -1   -1   [-1]    [1]   [-1]   -1   -1   -1",
        "6   -1   -1   -1    [1]   [-1]    [1]   -1   -1   -1",
        "7   -1   -1    1    -1     -1     -1     1   -1   -1",
        "8   -1    1   -1    -1     -1     -1    -1    1   -1",
        "9   -1   -1   -1    -1     -1     -1    -1   -1   -1",
    ]


@pytest.mark.parametrize("width", [40, 60, 80, 120])
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("args", [EXPLAIN, EXPLAIN[:4] + ["1,1", "--norm", "mean", "--padding", "1"]])
def test_no_color_brackets_exactly_the_window_at_every_width(width, lang, args):
    sections = _sections(["--lang", lang, *args])
    text = clean(draw(sections, width))  # color_system None: a pipe, or a terminal without colour
    assert "…" not in text and widest_line(text) <= width
    window = WINDOW if "4,4" in args else {(r, c) for r in (1, 2, 3) for c in (1, 2, 3)}
    assert bracketed_cells(text) == window
    assert text.count("[") == text.count("]") == 9  # the kernel and products unmarked


def test_colour_keeps_the_yellow_mark_and_no_brackets(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    raw = draw(_sections(EXPLAIN), 100, "truecolor")
    assert "[" not in clean(raw)
    assert "\x1b[1;30;43m" in raw  # bold black on yellow


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 6).flatmap(lambda n: st.tuples(
        st.lists(st.lists(st.integers(-999, 999), min_size=n, max_size=n), min_size=1, max_size=5),
        st.integers(0, n - 1), st.integers(1, n),
    )),
    st.integers(12, 60),
)
def test_brackets_mark_the_marked_cells_and_the_digits_stay_aligned(data, width):
    rows, first, span = data
    values = np.array(rows)
    marked = np.zeros(values.shape, dtype=bool)
    marked[: (len(rows) + 1) // 2, first: first + span] = True
    cells = np.vectorize(str, otypes=[object])(values)
    c = console(width)
    checktables.print_marked(c, GridView(cells=cells, marked=marked, kind="field"))
    text = shown(c)
    expected = {(i + 1, j + 1) for i, j in zip(*np.nonzero(marked))}
    assert bracketed_cells(text) == expected
    for block in digit_ends(text):  # every column's digits end where its number does
        assert all(row == block[0] for row in block), text
    assert widest_line(text) <= max(width, 12)


# --------------------------------------------------------------------------- a real terminal

pty = pytest.importorskip("pty")


def on_terminal(width: int, args: list[str], **env: str) -> str:
    """What ``cnncalc args`` shows on a pseudo-terminal ``width`` columns wide."""
    import fcntl
    import select
    import struct
    import sys
    import termios

    full = dict(os.environ, COLUMNS=str(width), LINES="50", TERM="xterm-256color")
    full.pop("NO_COLOR", None)
    full.update(env)
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, width, 0, 0))
        driver = "import sys; from cnncalc.cli import cli; cli.main(sys.argv[1:], prog_name='cnncalc')"
        os.execve(sys.executable, [sys.executable, "-c", driver, *args], full)
    data = b""
    while select.select([fd], [], [], 60)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    os.waitpid(pid, 0)
    return clean(data.decode("utf-8", "replace"))


@pytest.mark.parametrize("width", [40, 100])
@pytest.mark.parametrize(("flag", "env"), [(["--no-color"], {}), ([], {"NO_COLOR": "1"})])
def test_on_a_terminal_without_colour_the_window_is_in_brackets(width, flag, env):
    text = on_terminal(width, EXPLAIN + flag, **env)
    assert "…" not in text and widest_line(text) <= width
    assert bracketed_cells(text) == WINDOW
    for block in digit_ends(text.split("Kernel")[0]):
        assert all(row == block[0] for row in block), text


def test_on_a_colour_terminal_there_are_no_brackets():
    text = on_terminal(100, EXPLAIN)
    assert "[" not in text
    assert "The receptive field of cell (4, 4)" in text


def test_plain_output_is_unchanged():
    result = CliRunner().invoke(cli, EXPLAIN + ["--format", "plain"])
    assert "-1\t-1\t-1\t[1]\t[-1]\t[1]\t-1\t-1\t-1\n" in result.output
