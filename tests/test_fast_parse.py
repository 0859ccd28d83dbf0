"""The reader's fast path for plain numeric text reads exactly what the full scanner reads.

``matrix_io.parse_text`` tries ``_parse_simple`` first (batch grading parses thousands of
small answers) and falls back to the scanner on anything unusual; these tests compare the
two on hand-written and random texts.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncalc.errors import MatrixFormatError
from cnncalc.read import scan as matrix_io


def scanner_grids(text: str) -> list[matrix_io.Grid]:
    """The full scanner's reading, bypassing the fast path."""
    scanner = matrix_io._scan(text, "<t>", False)
    return [g for g in matrix_io._group_items(scanner) if isinstance(g, matrix_io.Grid)]


def same(a: list[matrix_io.Grid], b: list[matrix_io.Grid]) -> bool:
    return len(a) == len(b) and all(
        x.values.dtype == y.values.dtype
        and x.decimals.dtype == y.decimals.dtype
        and np.array_equal(x.values, y.values)
        and np.array_equal(x.decimals, y.decimals)
        and x.lines == y.lines
        and x.source == y.source
        for x, y in zip(a, b)
    )


def test_fast_path_reads_the_seed_layout():
    text = "0.77\t-0.11\t1\n.5\t-.25\t+3.\n\n\n1 2\r\n3 4\r\n"
    grids = matrix_io._parse_simple(text, "<t>")
    assert grids is not None
    assert grids[0].values.tolist() == [[0.77, -0.11, 1.0], [0.5, -0.25, 3.0]]
    assert grids[0].decimals.tolist() == [[2, 2, 0], [1, 2, 0]]
    assert grids[0].lines == (1, 2) and grids[1].lines == (5, 6)
    assert same(grids, scanner_grids(text))


@pytest.mark.parametrize(
    "text",
    [
        "1 2\n3\n",  # ragged: the scanner words the error
        "1 - 2\n",  # a lone sign
        "1.2.3\n",
        "1e3 2\n",  # exponent: not simple
        "1, 2\n",  # another separator
        "# c\n1 2\n",
        "[1, 2]\n",
        "",
        "  \n\n",
        "−1 2\n",  # Unicode minus
    ],
)
def test_unusual_text_leaves_the_fast_path(text):
    assert not matrix_io._SIMPLE_TEXT.match(text) or matrix_io._parse_simple(text, "<t>") is None


def test_errors_are_the_scanners():
    with pytest.raises(MatrixFormatError) as info:
        matrix_io.parse_text("1 2\n3 -\n", source="a.txt")
    assert str(info.value).startswith("a.txt:2:3: '-' is not a number")
    with pytest.raises(MatrixFormatError) as info:
        matrix_io.parse_text("1 2\n3\n", source="a.txt")
    assert "a.txt:2" in str(info.value) and "row has 1 value but" in str(info.value)


token = st.from_regex(r"[+-]?(\d{1,4}(\.\d{0,5})?|\.\d{1,5})", fullmatch=True)
junk = st.sampled_from(["", "-", ".", "1.2.3", "--1", "+-2", "1-1"])
row = st.lists(st.one_of(token, token, token, junk), min_size=1, max_size=5)
sep = st.sampled_from([" ", "\t", "  ", " \t"])
eol = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def simple_texts(draw):
    lines = []
    for r in draw(st.lists(st.one_of(row, st.just([])), max_size=8)):
        lines.append(draw(sep).join(r) + draw(st.sampled_from(["", " ", "\t"])))
    return "".join(line + draw(eol) for line in lines)


@settings(max_examples=300, deadline=None)
@given(simple_texts())
def test_fast_path_equals_the_scanner(text):
    fast = matrix_io._parse_simple(text, "<t>") if matrix_io._SIMPLE_TEXT.match(text) else None
    try:
        full = scanner_grids(text)
    except MatrixFormatError:
        assert fast is None  # the scanner refuses it: the fast path must not accept it
        return
    if fast is not None:
        assert same(fast, full)
