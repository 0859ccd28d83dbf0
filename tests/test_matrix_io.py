"""The reader, rule by rule as DESIGN.md "Matrix text" states them.

Each test writes what a student would paste or save and checks the numbers,
the decimals recorded per cell, and for bad input the file, line and column of
the error.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnncalc import read as mio
from cnncalc.errors import CnncalcError, MatrixFormatError

M22 = [[1.0, 2.0], [3.0, 4.0]]


def values(text: str, **kw) -> list:
    return [g.values.tolist() for g in mio.parse_text(text, **kw)]


def one(text: str, **kw) -> mio.Grid:
    grids = mio.parse_text(text, **kw)
    assert len(grids) == 1
    return grids[0]


def error(call) -> MatrixFormatError:
    with pytest.raises(MatrixFormatError) as info:
        call()
    return info.value


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "token, value, decimals",
    [
        ("7", 7.0, 0),
        ("-3", -3.0, 0),
        ("+2", 2.0, 0),
        ("0.25", 0.25, 2),
        ("1.50", 1.5, 2),  # trailing zeros count: the student wrote two decimals
        ("2.", 2.0, 0),
        (".77", 0.77, 2),
        ("-.5", -0.5, 1),
        ("1e-3", 0.001, 3),
        ("1.5e-1", 0.15, 2),
        ("2E+1", 20.0, 0),
        ("1e2", 100.0, 0),
        ("\u22121", -1.0, 0),  # Unicode minus sign
        ("\u2212.11", -0.11, 2),
        ("\uff0d\uff11\uff0e\uff15", -1.5, 1),  # full-width minus, digits, point
        ("\uff0b\uff12", 2.0, 0),  # full-width plus
        ("\ufe63\uff13", -3.0, 0),  # small hyphen-minus
    ],
)
def test_number_forms_and_their_decimals(token, value, decimals):
    g = one(f"{token} 0\n1 {token}")
    assert g.values[0, 0] == pytest.approx(value, abs=0) or g.values[0, 0] == value
    assert g.values[1, 1] == g.values[0, 0]
    assert g.decimals[0, 0] == decimals and g.decimals[1, 1] == decimals
    assert g.decimals[0, 1] == 0


def test_decimals_are_recorded_per_cell():
    g = one("0.77\t-0.11\t1\n.5\t-.250\t3")  # the plain fast path
    assert g.decimals.tolist() == [[2, 2, 0], [1, 3, 0]]
    g = one("0.77, -0.11, 1\n.5, -.250, 3")  # the full scanner
    assert g.decimals.tolist() == [[2, 2, 0], [1, 3, 0]]
    assert g.values.tolist() == [[0.77, -0.11, 1.0], [0.5, -0.25, 3.0]]


@pytest.mark.parametrize("token", ["nan", "NaN", "inf", "-inf", "+Infinity", "INF"])
def test_nonfinite_is_rejected_by_default_and_allowed_on_request(token):
    e = error(lambda: mio.parse_text(f"1 2\n3 {token}", source="a.txt"))
    assert e.key == "read.nonfinite"
    assert (e.file, e.line, e.column) == ("a.txt", 2, 3)
    g = one(f"1 2\n3 {token}", allow_nonfinite=True)
    assert not math.isfinite(g.values[1, 1])
    assert g.decimals[1, 1] == -1


@pytest.mark.parametrize(
    "token", ["1..2", "0x10", "1_000", "1e", "--1", "1-2", "abc", "½", "=", "."]
)
def test_stray_tokens_name_line_and_column(token):
    e = error(lambda: mio.parse_text(f"1 2 3\n4 {token} 6", source="k.txt"))
    assert e.key == "read.bad_token"
    assert (e.file, e.line, e.column) == ("k.txt", 2, 3)
    assert e.line_text == f"4 {token} 6"
    message = str(e)
    assert message.startswith("k.txt:2:3: ")
    assert f'(line: "4 {token} 6")' in message


# --------------------------------------------------------------------------- separators


@pytest.mark.parametrize(
    "text",
    [
        "1 2\n3 4",
        "1   2\n  3 4  ",
        "1\t2\n3\t4",
        "1,2\n3,4",
        "1, 2\n3, 4",
        "1;2\n3;4",
        "1 ; 2\n3 ;4",
        "1\uff0c2\n3\uff0c4",  # full-width comma
        "1\uff1b2\n3\uff1b4",  # full-width semicolon
        "1\u30012\n3\u30014",  # ideographic comma
        "1\u30002\n3\u00a04",  # ideographic space, no-break space
        "1,2,\n3,4,",  # trailing separators
        # "1,,2" (an empty cell) is an error since issue 21: tests/test_students_files*.py
        "1 2\r\n3 4\r\n",  # CRLF
        '"1","2"\n"3","4"',  # quoted CSV cells
    ],
)
def test_separators(text):
    assert values(text) == [M22]


def test_full_width_everything():
    g = one("\uff11\uff0c\uff0d\uff12\uff0e\uff15\n\uff13\uff1b\uff14")
    assert g.values.tolist() == [[1.0, -2.5], [3.0, 4.0]]
    assert g.decimals.tolist() == [[0, 1], [0, 0]]


# --------------------------------------------------------------------------- brackets and tables


@pytest.mark.parametrize(
    "text",
    [
        "[[1, 2], [3, 4]]",
        "[[1,2],[3,4]]",
        "[[1, 2],\n [3, 4]]",
        "[[1. 2.]\n [3. 4.]]",  # print(numpy_array)
        "array([[1., 2.],\n       [3., 4.]])",  # repr(numpy_array)
        "np.array([[1, 2], [3, 4]])",
        "array([[1, 2], [3, 4]], dtype=float64)",
        "[1, 2]\n[3, 4]",
        "［［１，２］，［３，４］］",  # full-width brackets
    ],
)
def test_numpy_and_python_brackets(text):
    assert values(text) == [M22]


def test_numpy_wrapped_rows_are_joined():
    text = (
        "array([[ 1.,  2.,  3.,  4.,  5.,\n"
        "         6.],\n"
        "       [ 7.,  8.,  9., 10., 11.,\n"
        "        12.]])"
    )
    g = one(text)
    assert g.values.tolist() == [[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]
    assert g.lines == (1, 3)


def test_brackets_one_list_is_one_row_and_3d_lists_are_blocks():
    assert values("[1, 2, 3]") == [[[1.0, 2.0, 3.0]]]
    assert values("[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]") == [M22, [[5.0, 6.0], [7.0, 8.0]]]
    assert values("[[1, 2], [3, 4]]\n[[5, 6], [7, 8]]") == [M22, [[5.0, 6.0], [7.0, 8.0]]]


def test_ragged_bracket_rows_point_at_the_short_row():
    e = error(lambda: mio.parse_text("[[1, 2], [3]]", source="b.txt"))
    assert e.key == "read.ragged"
    assert (e.line, e.column) == (1, 12)  # just past the 3, where a value is missing
    e = error(lambda: mio.parse_text("[[1, 2], [3, 4, 5]]"))
    assert (e.line, e.column) == (1, 17)  # the extra value 5
    e = error(lambda: mio.parse_text("[[1, 2, 3],\n [4, 5]]"))
    assert (e.line, e.column) == (2, 7)
    assert e.params == {"got": 2, "expected": 3}


@pytest.mark.parametrize(
    "text",
    [
        "| 1 | 2 |\n| 3 | 4 |",
        "|1|2|\n|3|4|",
        "| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |",
        "| c1 | c2 |\n|:---|---:|\n| 1 | 2 |\n| 3 | 4 |",
        "a | b\n--- | ---\n1 | 2\n3 | 4",
        "| 1 | 2 |\n|---|---|\n| 3 | 4 |",  # a numeric header row is the first row
        "\uff5c1\uff5c2\uff5c\n\uff5c3\uff5c4\uff5c",  # full-width pipes
    ],
)
def test_markdown_tables(text):
    assert values(text) == [M22]


# --------------------------------------------------------------------------- blocks and comments


def test_blank_lines_separate_blocks():
    text = "1 2\n3 4\n\n\n\n5 6\n7 8\n   \n9\n"
    grids = mio.parse_text(text)
    assert [g.values.tolist() for g in grids] == [M22, [[5.0, 6.0], [7.0, 8.0]], [[9.0]]]
    assert [g.lines for g in grids] == [(1, 2), (6, 7), (9,)]


def test_comments():
    text = "# image\n1 2  # first row\n# a comment line does not split a block\n3 4\n\n# kernel\n5"
    grids = mio.parse_text(text)
    assert [g.values.tolist() for g in grids] == [M22, [[5.0]]]
    assert grids[0].lines == (2, 4)
    assert values("1 2 ＃ full-width hash\n3 4") == [M22]


def test_markers_are_not_numbers_in_a_matrix_file():
    e = error(lambda: mio.parse_text("1 2\n3 4\n=\n5", source="m.txt"))
    assert (e.key, e.line, e.column, e.params["token"]) == ("read.bad_token", 3, 1, "=")


# --------------------------------------------------------------------------- errors


def test_ragged_row_names_file_line_and_column():
    e = error(lambda: mio.parse_text("1 2 3\n4 5\n", source="r.txt"))
    assert (e.key, e.file, e.line, e.column) == ("read.ragged", "r.txt", 2, 4)
    assert str(e) == 'r.txt:2:4: row has 2 values but the rows above have 3 (line: "4 5")'
    e = error(lambda: mio.parse_text("1 2\n3 4 5\n"))
    assert (e.line, e.column) == (2, 5)  # the extra value
    e = error(lambda: mio.parse_text("1,2\n3,4,5", source="c.txt"))
    assert (e.line, e.column) == (2, 5)
    assert "行" in e.message("zh")


@pytest.mark.parametrize("text", ["", "\n\n", "   \n\t\n", "# only a comment\n", "[]", "[[]]"])
def test_empty_input(text):
    e = error(lambda: mio.parse_text(text, source="e.txt"))
    assert e.key == "read.empty"
    assert str(e) == "e.txt: the file holds no numbers"


def test_blocks_of_different_shapes_cannot_stack(tmp_path):
    p = tmp_path / "two.txt"
    p.write_text("1 2\n3 4\n\n5 6 7\n")
    e = error(lambda: mio.read_matrix(p))
    assert (e.key, e.line, e.params["block"]) == ("read.block_shapes", 4, 2)
    assert len(mio.read_grids(p)) == 2  # as separate grids they are fine


# --------------------------------------------------------------------------- files and encodings


def write(tmp_path, name: str, data: bytes | str):
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


@pytest.mark.parametrize(
    "name, data",
    [
        ("plain.txt", b"1 2\n3 4\n"),
        ("bom.txt", b"\xef\xbb\xbf1 2\n3 4\n"),
        ("bom_crlf.txt", b"\xef\xbb\xbf1\t2\r\n3\t4\r\n"),
        ("cr_only.txt", b"1 2\r3 4\r"),
        ("utf16le.txt", "1 2\n3 4\n".encode("utf-16")),  # Python writes a BOM
        ("utf16be.txt", b"\xfe\xff" + "1 2\n3 4\n".encode("utf-16-be")),
        ("gbk.txt", "# 卷积核（第一块）\n1，2\n3，4\n".encode("gbk")),
        ("gb18030.txt", "# 图像：特征图\n1；2\n3；4\n".encode("gb18030")),
        ("m.csv", b"c1,c2\n1,2\n3,4\n"),
        ("quoted.csv", b'"x","y"\n"1","2"\n"3","4"\n'),
        ("noheader.csv", b"1,2\n3,4\n"),
        ("m.tsv", b"a\tb\n1\t2\n3\t4\n"),
        ("excel.csv", b"\xef\xbb\xbfcol1,col2\r\n1,2\r\n3,4\r\n"),
        ("m.json", b"[[1, 2], [3, 4]]"),
        ("nested.json", b'{"matrix": [[1, 2], [3, 4]]}'),
    ],
)
def test_file_formats_and_encodings(tmp_path, name, data):
    p = write(tmp_path, name, data)
    assert mio.read_matrix(p).tolist() == M22
    assert [g.values.tolist() for g in mio.read_grids(p)] == [M22]


def test_gbk_file_with_full_width_minus(tmp_path):
    p = write(tmp_path, "k.txt", "# 第二个卷积核\n1\u3000－1\n－1\u30001\n".encode("gbk"))
    assert mio.read_matrix(p).tolist() == [[1.0, -1.0], [-1.0, 1.0]]


def test_bad_encodings_and_binary_files(tmp_path):
    e = error(lambda: mio.read_matrix(write(tmp_path, "bin.txt", b"\x00\x01\x02\x03abc")))
    assert e.key == "read.binary" and e.file.endswith("bin.txt")
    e = error(lambda: mio.read_matrix(write(tmp_path, "x.txt", b"1 2 \xff\xfe\xfd\n")))
    assert e.key == "read.encoding"
    # UTF-16 without its BOM is recognised by its zero bytes (docs/decisions.md)
    assert mio.read_matrix(write(tmp_path, "u16.txt", "1 2".encode("utf-16-le"))).tolist() == [[1.0, 2.0]]
    e = error(lambda: mio.read_matrix(write(tmp_path, "empty.txt", b"")))
    assert e.key == "read.empty" and str(e).endswith("empty.txt: the file holds no numbers")


def test_missing_file_folder_and_size_limit(tmp_path):
    assert error(lambda: mio.read_matrix(tmp_path / "nope.txt")).key == "read.not_found"
    assert error(lambda: mio.read_matrix(tmp_path)).key == "read.is_directory"
    p = write(tmp_path, "big.txt", "1 2\n3 4\n")
    e = error(lambda: mio.read_matrix(p, max_bytes=4))
    assert (e.key, e.params["size"], e.params["limit"]) == ("read.too_large", 8, 4)


def test_npy_files(tmp_path):
    np.save(tmp_path / "a.npy", np.array(M22))
    np.save(tmp_path / "i.npy", np.array([[1, 2], [3, 4]], dtype=np.int16))
    np.save(tmp_path / "w.npy", np.arange(24.0).reshape(2, 3, 2, 2))
    np.save(tmp_path / "v.npy", np.array([1.0, 2.0]))
    assert mio.read_matrix(tmp_path / "a.npy").tolist() == M22
    assert mio.read_matrix(tmp_path / "i.npy").dtype == np.float64
    w = mio.read_matrix(tmp_path / "w.npy")
    assert w.shape == (2, 3, 2, 2)  # a full (out, in, kH, kW) weight keeps its shape
    assert len(mio.read_grids(tmp_path / "w.npy")) == 6
    assert mio.read_grids(tmp_path / "a.npy")[0].decimals.tolist() == [[-1, -1], [-1, -1]]
    assert mio.read_matrix(tmp_path / "v.npy").tolist() == [[1.0, 2.0]]


def test_npy_refuses_pickles_and_non_numbers(tmp_path):
    np.save(tmp_path / "o.npy", np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    e = error(lambda: mio.read_matrix(tmp_path / "o.npy"))
    assert e.key == "read.npy" and "pickle" in str(e)
    np.save(tmp_path / "s.npy", np.array([["a", "b"]]))
    assert error(lambda: mio.read_matrix(tmp_path / "s.npy")).key == "read.npy_dtype"
    np.save(tmp_path / "c.npy", np.array([[1 + 2j]]))
    assert error(lambda: mio.read_matrix(tmp_path / "c.npy")).key == "read.npy_dtype"
    np.save(tmp_path / "n.npy", np.array([[np.nan, 1.0]]))
    assert error(lambda: mio.read_matrix(tmp_path / "n.npy")).key == "read.nonfinite"
    assert np.isnan(mio.read_matrix(tmp_path / "n.npy", allow_nonfinite=True)[0, 0])
    np.save(tmp_path / "s0.npy", np.float64(3.0))
    assert error(lambda: mio.read_matrix(tmp_path / "s0.npy")).key == "read.dims"
    np.save(tmp_path / "z.npy", np.zeros((0, 3)))
    assert error(lambda: mio.read_matrix(tmp_path / "z.npy")).key == "read.empty"
    write(tmp_path, "t.npy", b"1 2\n3 4\n")
    assert error(lambda: mio.read_matrix(tmp_path / "t.npy")).key == "read.npy"


def test_json_files(tmp_path):
    p = write(tmp_path, "w.json", json.dumps(np.arange(8.0).reshape(2, 1, 2, 2).tolist()))
    assert mio.read_matrix(p).shape == (2, 1, 2, 2)
    p = write(tmp_path, "c.json", json.dumps([M22, M22]))
    assert mio.read_matrix(p).shape == (2, 2, 2)
    e = error(lambda: mio.read_matrix(write(tmp_path, "bad.json", "[[1, 2], [3, 4]")))
    assert (e.key, e.line, e.column) == ("read.json", 1, 16)
    e = error(lambda: mio.read_matrix(write(tmp_path, "r.json", "[[1, 2], [3]]")))
    assert e.key == "read.json_shape"
    # issue 21: a string is refused where it stands (it was a shape error, without a place)
    e = error(lambda: mio.read_matrix(write(tmp_path, "r.json", '[["a", 1]]')))
    assert (e.key, e.line, e.column) == ("read.json_value", 1, 3)
    e = error(lambda: mio.read_matrix(write(tmp_path, "n.json", "[[NaN, 1]]")))
    assert e.key == "read.nonfinite"


def test_pictures_read_as_grayscale(tmp_path):
    pil = pytest.importorskip("PIL.Image")
    pil.fromarray(np.array([[0, 128], [255, 7]], dtype=np.uint8)).save(tmp_path / "g.png")
    assert mio.read_matrix(tmp_path / "g.png").tolist() == [[0.0, 128.0], [255.0, 7.0]]
    # colour becomes luma L = 0.299 R + 0.587 G + 0.114 B (Pillow's "L" mode)
    rgb = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255]]], dtype=np.uint8)
    pil.fromarray(rgb).save(tmp_path / "c.png")
    assert mio.read_matrix(tmp_path / "c.png").tolist() == [[76.0, 150.0, 29.0]]
    pil.fromarray(np.full((8, 8), 200, dtype=np.uint8)).save(tmp_path / "g.jpg", quality=95)
    img = mio.read_matrix(tmp_path / "g.jpg")
    assert img.shape == (8, 8) and np.all(np.abs(img - 200) <= 1)
    write(tmp_path, "fake.png", b"not a picture")
    assert error(lambda: mio.read_matrix(tmp_path / "fake.png")).key == "read.image_bad"


# --------------------------------------------------------------------------- problem files

SEED_PROBLEM = """\
# 作业：
-1\t-1\t-1\t-1
-1\t1\t-1\t1
-1\t-1\t1\t-1
-1\t1\t-1\t1



1\t-1
-1\t1

=

0.5\t-0.5\t0.5
-0.5\t0.5\t-1
0\t-0.5\t0.5

-1 -1 -1
-1 1 -1
-1 -1 1

1 -1
-1 1

=

0.5 -0.5
-0.5 0.5
"""


def test_problem_file_in_the_seed_layout():
    problems = mio.parse_problems(SEED_PROBLEM, source="hw.txt")
    assert len(problems) == 2
    first, second = problems
    assert first.image_array().shape == (4, 4)
    assert first.kernel_array().tolist() == [[1.0, -1.0], [-1.0, 1.0]]
    assert [a.values.tolist() for a in first.answer] == [
        [[0.5, -0.5, 0.5], [-0.5, 0.5, -1.0], [0.0, -0.5, 0.5]]
    ]
    assert first.answer[0].decimals.tolist() == [[1, 1, 1], [1, 1, 0], [0, 1, 1]]
    assert (first.line, second.line) == (2, 18)
    assert second.answer[0].lines == (27, 28)
    assert first.options == {} and second.options == {}


@pytest.mark.parametrize("op", ["*", "⊗", "conv", "x", "X", "×"])
def test_operator_line_between_image_and_kernel(op):
    text = f"1 2\n3 4\n{op}\n2\n=\n2 4\n6 8\n"
    (p,) = mio.parse_problems(text)
    assert p.image_array().tolist() == M22
    assert p.kernel_array().tolist() == [[2.0]]
    assert p.answer[0].values.tolist() == [[2.0, 4.0], [6.0, 8.0]]


def test_operator_line_splits_channels_from_a_bank():
    # two channels, one filter across them (two kernel blocks), one answer map
    text = "1 2\n3 4\n\n5 6\n7 8\n*\n1\n\n1\n=\n6 8\n10 12\n"
    (p,) = mio.parse_problems(text)
    assert p.image_array().shape == (2, 2, 2) and p.kernel_array().shape == (2, 1, 1)
    assert len(p.answer) == 1
    # one channel, a bank of two filters: two answer maps
    text = "1 2\n3 4\n⊗\n1\n\n2\n=\n1 2\n3 4\n\n2 4\n6 8\n"
    (p,) = mio.parse_problems(text)
    assert len(p.kernel) == 2 and len(p.answer) == 2


def test_directives_apply_to_the_problems_after_them():
    text = (
        "# cnncalc: norm=mean stride=1 padding=0\n"
        "1 2\n3 4\n\n1\n=\n0.5 1\n1.5 2\n\n"
        "# cnncalc: padding=1 padding-mode=reflect\n"
        "5\n\n1\n=\n5 5 5\n5 5 5\n5 5 5\n"
    )
    first, second = mio.parse_problems(text)
    assert first.options == {"norm": "mean", "stride": "1", "padding": "0"}
    assert second.options == {
        "norm": "mean",
        "stride": "1",
        "padding": "1",
        "padding_mode": "reflect",
    }
    e = error(lambda: mio.parse_problems("# cnncalc: norm\n1\n\n1\n=\n1\n", source="d.txt"))
    assert (e.key, e.line) == ("read.directive", 1)


def test_problem_file_variants():
    for eq in ("=", "  =  ", "＝"):
        (p,) = mio.parse_problems(f"1 2\n3 4\n\n1\n{eq}\n1 2\n3 4\n")
        assert p.answer[0].values.tolist() == M22
    (p,) = mio.parse_problems("1 2\r\n3 4\r\n\r\n1\r\n=\r\n1 2\r\n3 4\r\n")
    assert p.kernel_array().tolist() == [[1.0]]


@pytest.mark.parametrize(
    "text, key, line",
    [
        ("1 2\n3 4\n\n1\n=\n", "read.problem_no_answer", 5),
        ("1 2\n3 4\n=\n1 2\n3 4\n", "read.problem_layout", 3),
        ("*\n1 2\n\n1\n=\n1\n", "read.operator_stray", 1),
        ("1 2\n*\n1\n*\n2\n=\n1\n", "read.operator_stray", 4),
        ("1 2\n3 4\n\n1\n", "read.no_problems", None),
        ("1 2\n3 4\n\n1\n=\n1 2\n3 4\n\n9 9\n", "read.problem_no_answer", 9),
    ],
)
def test_problem_file_errors(text, key, line):
    e = error(lambda: mio.parse_problems(text, source="p.txt"))
    assert (e.key, e.file, e.line) == (key, "p.txt", line)


def test_read_problems_from_a_gbk_file(tmp_path):
    text = "# 作业 第一题\n1，2\n3，4\n\n1\n=\n1，2\n3，4\n"
    p = write(tmp_path, "hw.txt", text.encode("gbk"))
    (prob,) = mio.read_problems(p)
    assert prob.answer[0].values.tolist() == M22
    assert mio.looks_like_problem_file(text)
    assert not mio.looks_like_problem_file("1 2\n3 4\n")


# --------------------------------------------------------------------------- writing


@settings(max_examples=100, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 4)),
        elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    )
)
def test_matrix_text_reads_back_exactly(arr):
    text = mio.matrix_text(arr)
    back = mio.read_text_matrix(text)
    np.testing.assert_array_equal(back, arr[0] if arr.shape[0] == 1 else arr)


def test_atomic_write(tmp_path):
    p = tmp_path / "sub" / "out.txt"
    mio.atomic_write(p, "1 2\n")
    mio.atomic_write(p, b"3 4\n")
    assert p.read_text() == "3 4\n"
    assert [f.name for f in p.parent.iterdir()] == ["out.txt"]  # no temporary left


def test_reader_errors_are_cnncalc_errors():
    for bad in ("1 x", "", "1 2\n3", "nan"):
        with pytest.raises(CnncalcError):
            mio.parse_text(bad)


# --------------------------------------------------------------------------- channels and banks


def test_blocks_are_channels_and_kernel_blocks_are_filters(tmp_path):
    from cnncalc import conv2d, read_matrix

    image = write(tmp_path, "rgb.txt", "1 2\n3 4\n\n10 20\n30 40\n")
    kernels = write(tmp_path, "k.txt", "1\n\n1\n")
    bank = write(tmp_path, "bank.txt", "1\n\n-1\n\n2\n")
    x, k = read_matrix(image), read_matrix(kernels)
    assert x.shape == (2, 2, 2) and k.shape == (2, 1, 1)
    # as many kernel blocks as channels: one filter across the channels, one map
    assert conv2d(x, k).tolist() == [[11.0, 22.0], [33.0, 44.0]]
    # a one-channel image with three kernel blocks: three maps
    gray = read_matrix(write(tmp_path, "g.txt", "1 2\n3 4\n"))
    maps = conv2d(gray, read_matrix(bank))
    assert maps.tolist() == [M22, [[-1.0, -2.0], [-3.0, -4.0]], [[2.0, 4.0], [6.0, 8.0]]]
