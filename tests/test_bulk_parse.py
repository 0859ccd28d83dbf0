"""The reader's bulk path (large plain CSV/TSV/space files through numpy.loadtxt)
reads exactly what the full scanner reads, and leaves every error to the scanner."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnncalc.errors import MatrixFormatError
from cnncalc.read import bulk as bulkpath
from cnncalc.read import files, scan
from cnncalc.read.grids import Grid


def scanner_grids(text: str) -> list[Grid]:
    """The full scanner's reading (its errors included), bypassing both fast paths."""
    scanner = scan._scan(text, "a.csv", False)
    return [g for g in scan._group_items(scanner) if isinstance(g, Grid)]


def same(a: list[Grid], b: list[Grid]) -> bool:
    return len(a) == len(b) and all(
        np.array_equal(x.values, y.values)
        and x.values.dtype == y.values.dtype
        and np.array_equal(x.decimals, y.decimals)
        and x.decimals.dtype == y.decimals.dtype
        and x.lines == y.lines
        and x.source == y.source
        for x, y in zip(a, b)
    )


def grid_text(rows: int, cols: int, sep: str, eol: str = "\n") -> str:
    """10*i + j style numbers with a varying number of decimals, e.g. -12.5, 13, 1.25e1."""
    forms = ["{}", "-{}.5", "{}.25", "+{}.", "{}e0", "-{}.0E-1", ".{}"]
    return "".join(
        sep.join(forms[(i + j) % len(forms)].format(10 * i + j) for j in range(cols)) + eol
        for i in range(rows)
    )


@pytest.mark.parametrize("sep", [",", ", ", "\t", " ", "  ", ";", " ; ", "\t,"])
@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_bulk_reads_what_the_scanner_reads(sep, eol):
    text = grid_text(60, 9, sep, eol)
    assert len(text) >= bulkpath._BULK_MIN_CHARS
    bulk = bulkpath._parse_bulk(text, "a.csv")
    assert bulk is not None and same(bulk, scanner_grids(text))
    assert same(scan.parse_text(text, source="a.csv", skip_header=True), bulk)


def test_blocks_and_blank_lines_keep_their_line_numbers():
    block = grid_text(3, 4, ",")
    text = "\n \n" + block + "\n\t\n" + block + "   \n\n" + block
    bulk = bulkpath._parse_bulk(text, "a.csv")
    assert [g.lines for g in bulk] == [(3, 4, 5), (8, 9, 10), (13, 14, 15)]
    assert same(bulk, scanner_grids(text))


def test_decimals_follow_the_written_digits():
    (grid,) = bulkpath._parse_bulk("0.77,-0.11,1\n.5,1.250,2e-3\n1.5E+1,7e1,-.125e-1\n", "a.csv")
    assert grid.decimals.tolist() == [[2, 2, 0], [1, 3, 3], [0, 0, 4]]
    (nodec,) = bulkpath._parse_bulk("0.77,1\n", "a.csv", decimals=False)
    assert nodec.decimals.tolist() == [[-1, -1]] and nodec.values.tolist() == [[0.77, 1.0]]


def test_read_matrix_of_a_large_csv_equals_loadtxt(tmp_path):
    rng = np.random.default_rng(3)
    a = np.round(rng.uniform(-9, 9, (200, 50)), 3)
    for name, delim in [("m.csv", ","), ("m.tsv", "\t"), ("m.txt", " ")]:
        np.savetxt(tmp_path / name, a, fmt="%.3f", delimiter=delim)
        assert np.array_equal(files.read_matrix(tmp_path / name), a)


# Each unusual text, made large, must come back None from the bulk path and give the
# scanner's exact error (file:line:column) through parse_text.
BAD = [
    ("ragged", "1,2,3\n"),
    ("short", "1\n"),
    ("stray", "1,x\n"),
    ("lone sign", "1,-\n"),
    ("two dots", "1.2.3,4\n"),
    ("sign inside", "1-1,4\n"),
    ("overflow", "1e999,4\n"),
    ("decimal comma", "0,5 0,25\n"),
    ("excel decimal comma", "0,5;0,25\n"),
    ("empty field", "1,,2\n"),
    ("trailing comma", "1,2,\n"),
    ("unicode minus", "−1,2\n"),
    ("comment", "1,2 # c\n"),
    ("nan", "nan,2\n"),
    ("operator line", "=\n"),
    ("lone cr", "1,2\r3,4\n"),
]


@pytest.mark.parametrize("what,bad_line", BAD, ids=[b[0] for b in BAD])
def test_unusual_lines_leave_the_bulk_path(what, bad_line):
    text = grid_text(300, 2, ",")
    lines = text.splitlines(keepends=True)
    lines[150] = bad_line
    text = "".join(lines)
    try:
        expected = scanner_grids(text)
    except MatrixFormatError as exc:
        expected = str(exc)
    bulk = bulkpath._parse_bulk(text, "a.csv")
    if isinstance(expected, str):
        assert bulk is None
        with pytest.raises(MatrixFormatError) as info:
            scan.parse_text(text, source="a.csv")
        assert str(info.value) == expected and "a.csv:151" in expected
    else:  # the scanner accepts it (",," is one separator to it): the same grids or None
        assert bulk is None or same(bulk, expected)


token = st.from_regex(r"[+-]?(\d{1,4}(\.\d{0,5})?|\.\d{1,5})([eE][+-]?\d{1,2})?", fullmatch=True)
junk = st.sampled_from(["", "-", ".", "1.2.3", "--1", "+-2", "1-1", "1e", "e5", "1e2.5", "0,5", ","])
row = st.lists(st.one_of(token, token, token, token, junk), min_size=1, max_size=5)
sep = st.sampled_from([" ", "\t", ",", ", ", " ,", ";", "  ", ",,"])
eol = st.sampled_from(["\n", "\n", "\r\n", "\r"])


@st.composite
def texts(draw):
    lines = []
    for r in draw(st.lists(st.one_of(row, row, st.just([])), max_size=8)):
        lines.append(draw(sep).join(r) + draw(st.sampled_from(["", " ", "\t", ","])))
    return "".join(line + draw(eol) for line in lines)


@settings(max_examples=400, deadline=None)
@given(texts())
def test_bulk_path_equals_the_scanner(text):
    bulk = bulkpath._parse_bulk(text, "a.csv")
    try:
        full = scanner_grids(text)
    except MatrixFormatError:
        assert bulk is None  # the scanner refuses it: the bulk path must not accept it
        return
    if bulk is not None:
        assert same(bulk, full)
