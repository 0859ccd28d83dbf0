"""QA: matrix files written the way students write them, and hostile ones.

Every file either reads right (values checked by hand below) or gives one
``MatrixFormatError`` naming the file, the line and the column.
"""

from __future__ import annotations

import numpy as np
import pytest

from cnncalc import read as mio
from cnncalc.check.compare import check_answer
from cnncalc.errors import CnncalcError, MatrixFormatError

M22 = [[1.0, 2.0], [3.0, 4.0]]


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def values(text: str) -> list:
    return [g.values.tolist() for g in mio.parse_text(text, source="t.txt")]


def error(text: str) -> MatrixFormatError:
    with pytest.raises(MatrixFormatError) as info:
        mio.parse_text(text, source="t.txt")
    return info.value


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "data",
    [
        "1 2\r\n3 4\r\n".encode("utf-16"),  # Notepad "Unicode", BOM and CRLF
        "1 2\r\n3 4\r\n".encode("utf-16-le"),  # no BOM
        "1 2\n3 4".encode("utf-16-be"),  # no BOM, big-endian, no final newline
        "# 第一个卷积核\r\n1 2 # 第一行\r\n3 4\r\n".encode("gbk"),  # Chinese Windows, CRLF
        b"\xef\xbb\xbf1 2\n3 4",  # BOM, last line without newline
        "1\u20092\n3\u202f4\n".encode(),  # thin and narrow no-break spaces (Word)
    ],
)
def test_windows_encodings_read(tmp_path, data):
    assert mio.read_matrix(write(tmp_path, "k.txt", data)).tolist() == M22


def test_utf16_without_bom_with_chinese_and_full_width(tmp_path):
    data = "# 第一个卷积核\r\n－１．５，２\r\n３、４\r\n".encode("utf-16-le")
    assert mio.read_matrix(write(tmp_path, "k.txt", data)).tolist() == [[-1.5, 2.0], [3.0, 4.0]]
    # one stray NUL in UTF-8 text is not UTF-16
    with pytest.raises(MatrixFormatError) as info:
        mio.read_matrix(write(tmp_path, "n.txt", b"1 2\n3\x00 4\n"))
    assert info.value.key == "read.binary"


def test_binary_is_still_refused(tmp_path):
    with pytest.raises(MatrixFormatError) as info:
        mio.read_matrix(write(tmp_path, "b.txt", bytes(range(256))))
    assert info.value.key == "read.binary"


# --------------------------------------------------------------------------- numbers


def test_student_numbers():
    grid = mio.parse_text("０．７７ −0.11 .5\n5. +1 1e-3\n–2 ‐.25 1E1\n")[0]
    assert grid.values.tolist() == [[0.77, -0.11, 0.5], [5.0, 1.0, 0.001], [-2.0, -0.25, 10.0]]
    assert grid.decimals.tolist() == [[2, 2, 1], [0, 0, 3], [0, 2, 0]]


def test_fractions_are_exact_values():
    grid = mio.parse_text("7/9 -1/9\n−5/9 ３／４\n")[0]
    assert grid.values.tolist() == [[7 / 9, -1 / 9], [-5 / 9, 0.75]]
    assert grid.decimals.tolist() == [[mio.FRACTION_DECIMALS] * 2] * 2


def test_fraction_is_checked_as_exact():
    exact = np.array([[7 / 9, 0.5]])
    assert check_answer(mio.parse_text("7/9 1/2"), exact).correct
    # 1/2 claims exactly 0.5: wrong for 0.4999 although "0.5" would round to it
    result = check_answer(mio.parse_text("7/9 1/2"), np.array([[7 / 9, 0.4999]]))
    assert [(w.row, w.col, w.cause) for w in result.wrong] == [(1, 2, "arithmetic")]


def test_fraction_errors_name_the_column():
    e = error("1 2\n3 7/0\n")
    assert (e.key, e.line, e.column, e.params["token"]) == ("read.zero_denominator", 2, 3, "7/0")
    e = error("1/2/3\n")
    assert (e.key, e.line, e.column) == ("read.bad_token", 1, 1)


def test_numbers_beyond_float64_name_line_and_column():
    e = error("1 2\n3 1e309\n")
    assert (e.key, e.line, e.column, e.params["token"]) == ("read.out_of_range", 2, 3, "1e309")
    e = error("1 " + "9" * 400 + "\n")  # plain digits take the fast path first
    assert (e.key, e.line, e.column) == ("read.out_of_range", 1, 3)
    assert len(e.params["token"]) == 40 and str(e).count("9") < 120


# --------------------------------------------------------------------------- separators and layouts


@pytest.mark.parametrize(
    "text",
    [
        "1 \t 2\t\n3\t\t4\n",  # spaces and tabs mixed
        "1,2,\n3,4,\n",  # trailing commas
        "1;2;\n3;4;\n",  # trailing semicolons
        "1，2；\n3、4\n",  # full-width separators
        "1 & 2\n3 & 4\n",  # LaTeX cells without the environment
        "| 1 | 2 |\n| 3 | 4 |\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n",
        "|   | 1 | 2 |\n|---|---:|---:|\n| **1** | 1.00 | 2.00 |\n| **2** | 3.00 | 4.00 |\n",
        "1 2\r\n3 4",  # CRLF, no final newline
    ],
)
def test_separators(text):
    assert values(text) == [M22]


def test_blank_line_with_spaces_separates_blocks():
    assert values("1 2\n   \n3 4\n") == [[[1.0, 2.0]], [[3.0, 4.0]]]


@pytest.mark.parametrize(
    "text",
    [
        "[[1, 2], [3, 4]]",
        "array([[1., 2.],\n       [3., 4.]])",
        "np.array([(1, 2), (3, 4)], dtype=float)",
        "tensor([[1., 2.],\n        [3., 4.]], dtype=torch.float64)",
        "x = [[1, 2], [3, 4]]",
        "[(1, 2), (3, 4)]",
        "((1, 2), (3, 4))",
        "(1, 2)\n(3, 4)",
        "[[1 2]\n [3 4]]",
        "[1 2; 3 4]",  # MATLAB
        "A = [1, 2;\n     3, 4];",
        "array([[1, 2], [3, 4]], shape=(2, 2))",  # a keyword's tuple is not a row
    ],
)
def test_python_numpy_and_matlab_layouts(text):
    assert values(text) == [M22]


def test_parenthesised_negative_numbers():
    assert values("1 (−1)\n(-1) 1\n") == [[[1.0, -1.0], [-1.0, 1.0]]]


def test_several_bracketed_matrices_are_blocks():
    assert values("((1, 2), (3, 4))\n((5, 6), (7, 8))") == [M22, [[5.0, 6.0], [7.0, 8.0]]]
    assert values("[1 2; 3 4]\n[5 6; 7 8]") == [M22, [[5.0, 6.0], [7.0, 8.0]]]


def test_a_number_outside_the_brackets_is_an_error_not_lost():
    e = error("1 [2] 3\n")
    assert (e.key, e.line, e.column) == ("read.outside_brackets", 1, 1)
    e = error("[[1, 2], 3]\n")
    assert (e.key, e.line, e.column) == ("read.outside_brackets", 1, 10)


@pytest.mark.parametrize(
    "text",
    [
        "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}",
        "\\begin{bmatrix}\n1 & 2 \\\\\n3 & 4\n\\end{bmatrix}\n",
        "$$K = \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}$$",
        "\\left[\\begin{array}{cc} 1 & 2 \\\\ 3 & 4 \\end{array}\\right]",
        "\\[ \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix} \\] % the kernel",
        "1 & 2 \\\\\n3 & 4 \\\\\n",
    ],
)
def test_latex_matrices(text):
    assert values(text) == [M22]


def test_latex_fractions_and_blocks():
    text = (
        "\\begin{bmatrix} \\frac{7}{9} & -\\frac{1}{9} \\\\ \\dfrac{1}{2} & 0 \\end{bmatrix}\n"
        "\\begin{bmatrix} 1 \\end{bmatrix}"
    )
    assert values(text) == [[[7 / 9, -1 / 9], [0.5, 0.0]], [[1.0]]]
    e = error("\\begin{bmatrix} 1 & x \\\\ 3 & 4 \\end{bmatrix}")
    assert (e.key, e.line, e.column, e.params["token"]) == ("read.bad_token", 1, 21, "x")


def test_cnncalc_output_formats_read_back(tmp_path):
    from cnncalc.formats import format_maps, maps_json

    arr = np.array([[[7 / 9, -0.5], [1.0, 2.0]], [[0.0, 1.5], [-3.0, 4.25]]])
    shown = np.round(arr, 2)
    for fmt in ("plain", "csv", "tsv", "markdown", "latex"):
        text = format_maps(arr, fmt, 2, "half-even")
        assert values(text) == shown.tolist(), fmt
    p = write(tmp_path, "out.txt", maps_json(arr))  # JSON saved under another suffix
    assert mio.read_matrix(p).tolist() == arr.tolist()


def test_excel_csv_with_sep_line_header_and_quotes(tmp_path):
    p = write(tmp_path, "k.csv", 'sep=,\r\n"c1","c2"\r\n"1","2"\r\n"3","4"\r\n')
    assert mio.read_matrix(p).tolist() == M22


# --------------------------------------------------------------------------- file names and JSON


def test_bad_file_names():
    with pytest.raises(CnncalcError) as info:
        mio.read_matrix(None)  # type: ignore[arg-type]
    assert info.value.key == "read.bad_path"
    with pytest.raises(MatrixFormatError) as info:
        mio.read_matrix("")
    assert str(info.value) == '"": no file name given'
    with pytest.raises(MatrixFormatError) as info:
        mio.read_grids("a\x00b.txt")
    assert info.value.key == "read.unreadable" and "\x00" not in str(info.value)


def test_hostile_json(tmp_path):
    with pytest.raises(MatrixFormatError) as info:
        mio.read_matrix(write(tmp_path, "d.json", "[" * 100000 + "]" * 100000))
    assert info.value.key == "read.json_deep"
    with pytest.raises(MatrixFormatError) as info:
        mio.read_matrix(write(tmp_path, "i.json", "[[1" + "0" * 400 + ", 1]]"))
    assert info.value.key == "read.json_shape"


def test_decimal_commas_are_refused_not_split():
    e = error("0,5 0,25\n1,0 2,0\n")
    assert (e.key, e.line, e.column, e.params["fixed"]) == ("read.decimal_comma", 1, 1, "0.5")
    e = error("1;2\n0,5;0,25\n")  # a European Excel export
    assert (e.key, e.line, e.column) == ("read.decimal_comma", 2, 1)
    e = error("1 2,5\n")
    assert (e.key, e.line, e.column, e.params["token"]) == ("read.decimal_comma", 1, 3, "2,5")
    # commas that separate numbers stay separators
    assert values("1,2,3\n4,5,6") == [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]
    assert values("1,2\n3,4") == [M22]


def test_an_unsigned_number_in_brackets_is_refused_as_a_spreadsheet_negative():
    # "(2)" used to be read as 2; spreadsheets write -2 so (accounting format): a silent
    # sign error either way, so it is refused with both readings named. "(-2)" is read.
    from cnncalc.errors import MatrixFormatError

    with pytest.raises(MatrixFormatError) as err:
        mio.parse_text("1 (2)\n(3) 4")
    assert err.value.message("en") == (
        "<text>:1:3: '(2)': a number in brackets is how spreadsheets write -2 (accounting format): "
        "write -2, or 2 without brackets (line: \"1 (2)\")")
    assert [g.values.tolist() for g in mio.parse_text("1 (-2)\n(+3) 4")] == [[[1.0, -2.0], [3.0, 4.0]]]

