"""Files the way students write them (issue 21): the known faults, each as a student makes it.

Every wrong or ambiguous file gives exactly one ``Error: FILE:LINE:COL: ...`` line (in
English and Chinese), exit code 2, and never a reading of numbers that are not there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncalc.cli import cli
from cnncalc.read import decode_bytes, read_matrix


def run(*args: object, cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    finally:
        os.chdir(old)


def one_error(tmp_path: Path, name: str, data: bytes | str, *args: str, command: str = "relu") -> tuple[str, str]:
    """The one Error line of ``cnncalc COMMAND NAME`` in English and in Chinese."""
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    out = []
    for lang in ("en", "zh"):
        result = run(command, name, *args, "--lang", lang, cwd=tmp_path)
        assert result.exit_code == 2, result.output
        assert result.output.count("\n") == 1 and result.output.startswith("Error: "), result.output
        out.append(result.output.rstrip("\n"))
    return out[0], out[1]


# --------------------------------------------------------------------------- 1. brackets


def test_an_unclosed_bracket_is_an_error_at_the_bracket(tmp_path):
    en, zh = one_error(tmp_path, "a.txt", "[[1, 2], [3, 4]\n")
    assert en == "Error: a.txt:1:1: '[' opened here is never closed: a ']' is missing (line: \"[[1, 2], [3, 4]\")"
    assert zh == "Error: a.txt:1:1: 这里的 “[” 没有闭合：缺少 “]”（该行：“[[1, 2], [3, 4]”）"


def test_a_mismatched_bracket_names_both_places(tmp_path):
    en, zh = one_error(tmp_path, "b.txt", "[1, 2)\n")
    assert en == "Error: b.txt:1:6: ')' cannot close the '[' of line 1, column 1: it needs ']' (line: \"[1, 2)\")"
    assert zh == "Error: b.txt:1:6: “)” 不能闭合第 1 行第 1 列的 “[”：应该用 “]”（该行：“[1, 2)”）"
    en, _ = one_error(tmp_path, "b2.txt", "[[1, 2],\n (3, 4]]\n")
    assert en.startswith("Error: b2.txt:2:7: ']' cannot close the '(' of line 2, column 2: it needs ')'")


def test_an_extra_closing_bracket_is_an_error_where_it_stands(tmp_path):
    en, zh = one_error(tmp_path, "c.txt", "[[1, 2], [3, 4]]]\n")
    assert en == "Error: c.txt:1:17: ']' closes nothing: no '[' is open here (line: \"[[1, 2], [3, 4]]]\")"
    assert zh == "Error: c.txt:1:17: “]” 没有可闭合的括号：这里没有未闭合的 “[”（该行：“[[1, 2], [3, 4]]]”）"
    en, _ = one_error(tmp_path, "c2.txt", "[[1, 2],\r\n [3, 4]]\r\n]\r\n")
    assert en.startswith("Error: c2.txt:3:1: ']' closes nothing")


def test_an_unclosed_bracket_does_not_swallow_the_next_matrix(tmp_path):
    en, _ = one_error(tmp_path, "g.txt", "[[1, 2], [3, 4]\n\n[[5, 6], [7, 8]]\n")
    assert en.startswith("Error: g.txt:1:1: '[' opened here is never closed")
    en, _ = one_error(tmp_path, "g5.txt", "array([[1, 2],\n       [3, 4]]\n")
    assert en.startswith("Error: g5.txt:1:6: '(' opened here is never closed: a ')' is missing")


def test_an_unclosed_bracket_before_equals_in_a_problem_file(tmp_path):
    text = "[[1, 2], [3, 4]]\n\n[[1]\n=\n1 2\n3 4\n"
    en, _ = one_error(tmp_path, "p.txt", text, command="check")
    assert en == "Error: p.txt:3:1: '[' opened here is never closed: a ']' is missing (line: \"[[1]\")"


def test_balanced_brackets_still_read(tmp_path):
    for text in ("[[1, 2], [3, 4]]", "array([[1, 2],\n       [3, 4]])", "[[1. 2.]\n [3. 4.]]",
                 "[1 2; 3 4]", "((1, 2), (3, 4))", "tensor([[1., 2.],\n        [3., 4.]], dtype=torch.float64)"):
        (tmp_path / "m.txt").write_text(text + "\n")
        assert read_matrix(tmp_path / "m.txt").tolist() == [[1, 2], [3, 4]], text


# --------------------------------------------------------------------------- 2. JSON


@pytest.mark.parametrize(
    "text, where, token",
    [
        ("[[true, 2], [3, 4]]", "1:3", "true"),
        ("[[1, 2],\n [3, false]]", "2:6", "false"),
        ("[[1, null], [3, 4]]", "1:6", "null"),
        ('[["1", 2], [3, 4]]', "1:3", '"1"'),
        ('{"shape": [2, 2],\n "output": [[1, 2],\n   [3, "x"]], "note": "hi"}', "3:8", '"x"'),
        ('[[1, 2], [3, {"a": 1}]]', "1:14", "{"),
    ],
)
def test_json_values_that_are_not_numbers(tmp_path, text, where, token):
    en, zh = one_error(tmp_path, "d.json", text)
    line = text.splitlines()[int(where.split(":")[0]) - 1].strip()
    assert en == (f"Error: d.json:{where}: {token} is not a number: a JSON matrix holds numbers only "
                  f"(no true/false, null, strings or objects) (line: \"{line}\")")
    assert zh.startswith(f"Error: d.json:{where}: {token} 不是数字：JSON 矩阵里只能有数字")


def test_json_nan_names_its_place_and_numbers_still_read(tmp_path):
    en, _ = one_error(tmp_path, "n.json", "[[1, 2],\n [NaN, 4]]\n")
    assert en.startswith("Error: n.json:2:3: 'NaN' is not a finite number")
    (tmp_path / "ok.json").write_text('{"output": [[1, -2e3], [3, 0.25]], "comment": "fine"}')
    assert read_matrix(tmp_path / "ok.json").tolist() == [[1, -2000], [3, 0.25]]
    (tmp_path / "ok.txt").write_text('{"shape": [1, 2], "output": [[0.5, 1]]}')  # cnncalc's JSON as .txt
    assert read_matrix(tmp_path / "ok.txt").tolist() == [[0.5, 1]]


# --------------------------------------------------------------------------- 3. encodings


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
                                   "utf-32-be", "gb18030"])
def test_every_unicode_saving_reads(tmp_path, codec):
    text = "# 第一题 −0.5\r\n1 -0.5\r\n３ 4\r\n"
    data = text.encode(codec)
    if codec == "utf-16":  # Windows Notepad's "Unicode": little-endian with a BOM
        assert data.startswith(b"\xff\xfe")
    (tmp_path / "m.txt").write_bytes(data)
    assert read_matrix(tmp_path / "m.txt").tolist() == [[1, -0.5], [3, 4]]


def test_utf32_bom_is_not_taken_for_utf16():
    assert decode_bytes("1 2\n3 4\n".encode("utf-32"), "x") == "1 2\n3 4\n"
    assert decode_bytes(b"\xff\xfe\x00\x00" + "1".encode("utf-32-le"), "x") == "1"


def test_broken_wide_texts_say_their_encoding(tmp_path):
    data = "1 2\n3 4\n".encode("utf-16-le") + b"\n"  # a byte added after a UTF-16 save
    en, zh = one_error(tmp_path, "w.txt", data)
    assert en == ("Error: w.txt: looks like UTF-16 LE text (saved without a byte-order mark) but does not "
                  "decode as it: save it as UTF-8")
    assert zh == "Error: w.txt: 看起来是 UTF-16 LE 文本（没有字节顺序标记），但无法按它解码：请另存为 UTF-8"
    en, _ = one_error(tmp_path, "v.txt", b"\xff\xfe" + "1 2".encode("utf-16-le") + b"\x00")
    assert en == "Error: v.txt: starts with a UTF-16 byte-order mark but is not valid UTF-16 text: save it as UTF-8"


@pytest.mark.parametrize(
    "data, sentence",
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 20, "is a ZIP archive (a Word .docx or Excel .xlsx file under"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "is an old Word or Excel file (.doc, .xls)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "is a PDF file, not text"),
        (b"{\\rtf1\\ansi\\ansicpg1252 1 2\\par 3 4}", "is rich text (RTF, as WordPad and TextEdit save it)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a PNG picture, not text: give it its picture suffix"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "is a JPEG picture, not text"),
        (b"\x93NUMPY\x01\x00v\x00{'descr': '<f8'", "is a numpy .npy array under another name: name it .npy"),
        (bytes(range(256)) * 4, "looks like a binary file, not text"),
    ],
)
def test_renamed_binary_files_say_what_they_are(tmp_path, data, sentence):
    en, zh = one_error(tmp_path, "answer.txt", data)
    assert en.startswith(f"Error: answer.txt: {sentence}")
    assert "Error: answer.txt: " in zh and zh != en


# --------------------------------------------------------------------------- 4. directives


def test_batch_of_one_block_is_singular(tmp_path):
    en, zh = one_error(tmp_path, "f.txt", "# cnncalc: batch=2\n1 2\n")
    assert en == ('Error: f.txt:1:18: batch=2 must be a positive number of images that divides the 1 block '
                  '(line: "# cnncalc: batch=2")')
    assert zh == "Error: f.txt:1:18: batch=2 必须是能整除 1 个块的正整数（图像数）（该行：“# cnncalc: batch=2”）"


@pytest.mark.parametrize(
    "text, line",
    [
        ("1 2\n\n# cnncalc: batch=3\n3 4\n", 3),  # after a blank line (was reported one line early)
        ("1 2\r\n\r\n3 4\r\n# cnncalc: batch=3\r\n", 4),  # CRLF, last line
        ("1 2\r\r3 4\r# cnncalc: batch=3\r", 4),  # lone CRs (the directive was not seen at all)
    ],
)
def test_batch_errors_name_the_directive_line(tmp_path, text, line):
    en, _ = one_error(tmp_path, "f.txt", text)
    assert en.startswith(f"Error: f.txt:{line}:18: batch=3 must be a positive number of images that divides "
                         "the 2 blocks")


def test_batch_directive_after_lone_crs_is_applied(tmp_path):
    (tmp_path / "b.txt").write_bytes(b"1 2\r\r3 4\r# cnncalc: batch=2\r")
    assert read_matrix(tmp_path / "b.txt").shape == (2, 1, 1, 2)


PROBLEM = "1 2\n3 4\n\n1\n=\n1 2\n3 4\n"


@pytest.mark.parametrize(
    "text, where, problem",
    [
        ("# cnncalc: strid=2\n" + PROBLEM, "1:12", 1),  # first line (was reported at line 2)
        (PROBLEM + "\n# cnncalc: norm=mean  strid=2\n" + PROBLEM, "9:23", 2),  # middle
        ("1 2\n3 4\n\n# cnncalc: strid=2\n1\n=\n1 2\n3 4\n", "4:12", 1),  # between image and kernel
        (("# cnncalc: strid=2\n" + PROBLEM).replace("\n", "\r\n"), "1:12", 1),  # CRLF
        (("1 2\n3 4\n\n# cnncalc: strid=2\n1\n=\n1 2\n3 4\n").replace("\n", "\r"), "4:12", 1),  # lone CR
    ],
)
def test_directive_errors_name_the_directive_line_and_column(tmp_path, text, where, problem):
    en, zh = one_error(tmp_path, "p.txt", text, command="check")
    assert en == (f"Error: p.txt:{where}: problem {problem}: unknown setting 'strid'; known settings: "
                  "stride, padding, dilation, padding_mode, norm, bias, flip, relu, pool")
    assert zh.startswith(f"Error: p.txt:{where}: ")


def test_a_directive_inside_a_problem_applies_to_it(tmp_path):
    (tmp_path / "p.txt").write_text("1 2\n3 4\n\n# cnncalc: norm=mean\n1 1\n1 1\n=\n2.5\n")
    result = run("check", "p.txt", "--format", "plain", cwd=tmp_path)
    assert (result.exit_code, result.output) == (0, "problem 1: all 1 cells right\n")


def test_a_directive_below_the_last_problem_is_an_error(tmp_path):
    en, zh = one_error(tmp_path, "p.txt", PROBLEM + "# cnncalc: norm=mean\n", command="check")
    assert en == ("Error: p.txt:8:12: this directive comes after the '=' of the last problem (problem 1), so it "
                  "sets nothing: move it above the problem it is for (line: \"# cnncalc: norm=mean\")")
    assert zh.startswith("Error: p.txt:8:12: 这条指令在最后一题（第 1 题）的 “=” 之后")


def test_a_malformed_directive_names_its_column(tmp_path):
    en, _ = one_error(tmp_path, "p.txt", "# cnncalc: norm=mean stride\n" + PROBLEM, command="check")
    assert en.startswith("Error: p.txt:1:12: problem 1: norm must be one of")
    en, _ = one_error(tmp_path, "q.txt", "#cnncalc: stride\n" + PROBLEM, command="check")
    assert en.startswith("Error: q.txt:1:11: cannot understand the directive 'stride'")


# --------------------------------------------------------------------------- 5. found by the survey


def test_chinese_colon_in_a_directive_is_a_colon(tmp_path):
    (tmp_path / "b.txt").write_text("# cnncalc\uff1a batch\uff1d2\n1 2\n\n3 4\n", encoding="utf-8")
    assert read_matrix(tmp_path / "b.txt").shape == (2, 1, 1, 2)
    (tmp_path / "p.txt").write_text("# cnncalc\uff1a norm=mean\n1 2\n3 4\n\n1 1\n1 1\n=\n2.5\n", encoding="utf-8")
    result = run("check", "p.txt", "--format", "plain", cwd=tmp_path)
    assert (result.exit_code, result.output) == (0, "problem 1: all 1 cells right\n")


def test_a_directive_without_its_colon_is_not_a_silent_comment(tmp_path):
    en, zh = one_error(tmp_path, "p.txt", "# cnncalc norm=mean\n" + PROBLEM, command="check")
    assert en == ("Error: p.txt:1:1: a directive needs a colon after cnncalc: write '# cnncalc: norm=mean' "
                  "(line: \"# cnncalc norm=mean\")")
    assert zh.startswith("Error: p.txt:1:1: 指令在 cnncalc 之后需要冒号")


def test_a_numpy_1d_array_wrapped_over_lines_still_reads(tmp_path):
    import numpy as np

    for precision in (3, 8, 17):  # numpy's own wrap: a long first line, later ones may be short
        for values in (np.arange(30) / 8, np.arange(30) / 7, np.full(20, 7 / 9), np.arange(25) * 1e-5):
            text = np.array2string(values, max_line_width=75, precision=precision)
            assert "\n" in text
            (tmp_path / "v.txt").write_text(text + "\n")
            read = read_matrix(tmp_path / "v.txt")
            assert read.shape == (1, len(values)) and np.allclose(read[0], values, rtol=10.0**-precision), text
    (tmp_path / "l.txt").write_text("[0.5, 1,\n 2, 3]\n")  # a Python list going on after ','
    assert read_matrix(tmp_path / "l.txt").tolist() == [[0.5, 1, 2, 3]]


def test_matlab_rows_on_two_lines_are_refused_not_joined(tmp_path):
    en, zh = one_error(tmp_path, "m.txt", "[1 2\n 3 4]\n")
    assert en == ("Error: m.txt:2:2: the row of one bracket goes on to this line: end MATLAB rows with ';' "
                  "([1 2; 3 4]), or keep one row on one line (line: \"3 4]\")")
    assert zh.startswith("Error: m.txt:2:2: 同一个括号里的一行延续到了这一行")


def test_decimal_commas_inside_brackets_are_refused(tmp_path):
    en, _ = one_error(tmp_path, "d.txt", "[[0,5, 0,25], [1, 2]]\n")
    assert en.startswith("Error: d.txt:1:3: '0,5' looks like a decimal comma: write 0.5")


def test_grading_treats_renamed_binaries_as_unreadable(tmp_path):
    import json

    (tmp_path / "x.txt").write_text("1 2\n3 4\n")
    (tmp_path / "k.txt").write_text("1\n")
    (tmp_path / "a.toml").write_text('[[problem]]\nname = "p"\nimage = "x.txt"\nkernel = "k.txt"\n')
    subs = tmp_path / "subs"
    (subs / "ben").mkdir(parents=True)
    (subs / "ann.txt").write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 30)  # a .docx renamed
    (subs / "ben" / "answer.txt").write_text("1 2\n3 4\n")
    (subs / "ben" / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")  # skipped, noted
    result = run("grade", "subs", "--assignment", "a.toml", "--out", "report", "--format", "plain", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "report" / "grades.json").read_text(encoding="utf-8"))
    status = {s["student"]: s["status"] for s in data["students"]}
    assert status == {"ann": "unreadable", "ben": "ok"}


def test_chinese_labels_in_a_problem_file(tmp_path):
    text = "# cnncalc: norm=mean\n输入：\n1 2\n3 4\n卷积核：\n1 1\n1 1\n=\n答案：\n2.5\n"
    (tmp_path / "p.txt").write_text(text, encoding="utf-8")
    result = run("check", "p.txt", "--format", "plain", cwd=tmp_path)
    assert (result.exit_code, result.output) == (0, "problem 1: all 1 cells right\n")


def test_spreadsheet_error_values_are_not_comments():
    # "#DIV/0!" used to start a comment: the rest of the row vanished (a wrong shape)
    from cnncalc.errors import MatrixFormatError
    from cnncalc.read import parse_text

    for row, col, token in (("1,#DIV/0!,3", 3, "#DIV/0!"), ("1 2 #N/A", 5, "#N/A"), ("#VALUE! 2", 1, "#VALUE!")):
        with pytest.raises(MatrixFormatError) as err:
            parse_text(row + "\n4 5 6\n", source="a.csv")
        assert err.value.message("en").startswith(
            f"a.csv:1:{col}: '{token}' is a spreadsheet's error value, not a number: fix its formula")
        assert "电子表格的错误值" in err.value.message("zh")
    # a comment is still a comment
    assert parse_text("1 2 # N/A here\n3 4\n")[0].values.tolist() == [[1.0, 2.0], [3.0, 4.0]]
