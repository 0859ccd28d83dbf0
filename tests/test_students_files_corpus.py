"""A corpus of files the way students write them (issue 21), each read right or refused.

Every readable form holds the same answer, KEY = [[0.75, -0.25], [0.5, 1]], and must read
as exactly those values and pass ``cnncalc check FILE --expected key.json``. Every other
form must give exactly one ``Error: FILE:LINE:COL: ...`` line (English and Chinese), exit 2.
docs/students-files.md is the table of this corpus; a test keeps the two together.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncalc.cli import cli
from cnncalc.read import read_grids

KEY = [[0.75, -0.25], [0.5, 1.0]]
DOC = Path(__file__).resolve().parent.parent / "docs" / "students-files.md"

# (form, file name, content) -- content is text (written as UTF-8) or bytes
READ = [
    ("spaces", "a.txt", "0.75 -0.25\n0.5 1\n"),
    ("tabs", "a.txt", "0.75\t-0.25\n0.5\t1\n"),
    ("tabs mixed with spaces", "a.txt", "0.75 \t -0.25\n \t0.5\t\t1   \n"),
    ("CSV", "a.csv", "0.75,-0.25\n0.5,1\n"),
    ("CSV with a header row", "a.csv", "c1,c2\n0.75,-0.25\n0.5,1\n"),
    ("Excel CSV with sep=, and CRLF", "a.csv", "sep=,\r\n0.75,-0.25\r\n0.5,1\r\n"),
    ("Excel CSV with ; and decimal points", "a.csv", "0.75;-0.25\n0.5;1\n"),
    ("Excel CSV with quoted cells", "a.csv", '"0.75","-0.25"\n"0.5","1"\n'),
    ("spreadsheet margins (,0.75,-0.25,)", "a.csv", ",0.75,-0.25,\n,0.5,1,\n"),
    ("trailing commas and spaces", "a.txt", "0.75, -0.25,  \n0.5, 1,\t\n"),
    ("UTF-8 with BOM", "a.txt", b"\xef\xbb\xbf0.75 -0.25\r\n0.5 1\r\n"),
    ("CRLF line ends", "a.txt", "0.75 -0.25\r\n0.5 1\r\n"),
    ("lone CR line ends (old Mac)", "a.txt", "0.75 -0.25\r0.5 1\r"),
    ("full-width digits, point, minus, space", "a.txt", "０．７５　－０．２５\n０．５　１\n"),
    ("Unicode minus U+2212", "a.txt", "0.75 \u22120.25\n0.5 1\n"),
    ("en dash as minus (Word)", "a.txt", "0.75 \u20130.25\n0.5 1\n"),
    ("fractions 3/4", "a.txt", "3/4 -1/4\n1/2 1\n"),
    ("full-width fraction slash", "a.txt", "３／４ －１／４\n１／２ １\n"),
    ("leading dots .75", "a.txt", ".75 -.25\n.5 1.\n"),
    ("scientific notation", "a.txt", "7.5e-1 -2.5E-1\n5e-1 1e0\n"),
    ("(-0.25) in parentheses", "a.txt", "0.75 (-0.25)\n0.5 1\n"),
    ("Chinese comma ，", "a.txt", "0.75，-0.25\n0.5，1\n"),
    ("Chinese semicolon ；", "a.txt", "0.75；-0.25\n0.5；1\n"),
    ("Chinese enumeration comma 、", "a.txt", "0.75、-0.25\n0.5、1\n"),
    ("Chinese comments", "a.txt", "# 第一题答案（卷积）\n0.75 -0.25  # 第一行\n0.5 1\n"),
    ("Markdown table", "a.md", "| 0.75 | -0.25 |\n| 0.5 | 1 |\n"),
    ("Markdown table with a header", "a.md", "| c1 | c2 |\n|:---:|---:|\n| 0.75 | -0.25 |\n| 0.5 | 1 |\n"),
    ("LaTeX bmatrix", "a.tex",
     "\\begin{bmatrix}\n0.75 & -0.25 \\\\\n0.5 & 1\n\\end{bmatrix}\n"),
    ("LaTeX pmatrix with \\frac in $$", "a.txt",
     "$$A = \\begin{pmatrix} \\frac{3}{4} & -\\frac{1}{4} \\\\ \\frac{1}{2} & 1 \\end{pmatrix}$$\n"),
    ("numpy print", "a.txt", "[[ 0.75 -0.25]\n [ 0.5   1.  ]]\n"),
    ("numpy array repr", "a.txt", "array([[ 0.75, -0.25],\n       [ 0.5 ,  1.  ]])\n"),
    ("torch tensor print", "a.txt", "tensor([[ 0.7500, -0.2500],\n        [ 0.5000,  1.0000]])\n"),
    ("Python list", "a.txt", "[[0.75, -0.25], [0.5, 1]]\n"),
    ("Python assignment", "a.py", "A = [[0.75, -0.25],\n     [0.5, 1]]\n"),
    ("full-width brackets", "a.txt", "［［0.75，-0.25］，［0.5，1］］\n"),
    ("MATLAB [a b; c d]", "a.txt", "[0.75 -0.25; 0.5 1]\n"),
    ("MATLAB/Octave display (A =)", "a.txt", "A =\n\n    0.7500   -0.2500\n    0.5000    1.0000\n\n"),
    ("Mathematica / Wolfram Alpha", "a.txt", "{{0.75, -0.25}, {0.5, 1}}\n"),
    ("JSON nested lists", "a.json", "[[0.75, -0.25],\n [0.5, 1]]\n"),
    ("cnncalc's JSON saved as .txt", "a.txt", '{"shape": [2, 2], "output": [[0.75, -0.25], [0.5, 1.0]]}\n'),
    ("UTF-16 LE with BOM (Notepad 'Unicode')", "a.txt", "0.75 -0.25\r\n0.5 1\r\n".encode("utf-16")),
    ("UTF-16 BE with BOM", "a.txt", b"\xfe\xff" + "0.75 -0.25\n0.5 1\n".encode("utf-16-be")),
    ("UTF-16 LE without BOM", "a.txt", "0.75 -0.25\n0.5 1\n".encode("utf-16-le")),
    ("UTF-32 with BOM", "a.txt", "0.75 -0.25\n0.5 1\n".encode("utf-32")),
    ("UTF-32 BE without BOM", "a.txt", "0.75 -0.25\n0.5 1\n".encode("utf-32-be")),
    ("GB18030 with Chinese comments", "a.txt", "# 答案\n0.75 -0.25\n0.5 1\n".encode("gb18030")),
    ("comment-only lines and blank lines around", "a.txt", "\n\n# answer\n\n0.75 -0.25\n0.5 1\n\n\n"),
    ("label lines ending in a colon (答案：, Answer:)", "a.txt", "答案：\n0.75 -0.25\n0.5 1\n"),
    ("a label line with a number (第1题：)", "a.txt", "第1题：\n0.75 -0.25\n0.5 1\n"),
    ("curly quotes around CSV cells (Word, macOS)", "a.csv", "\u201c0.75\u201d,\u201c-0.25\u201d\n\u201c0.5\u201d,\u201c1\u201d\n"),
    ("torch tensor with grad_fn", "a.txt",
     "tensor([[ 0.7500, -0.2500],\n        [ 0.5000,  1.0000]], grad_fn=<AddBackward0>)\n"),
    ("numpy print in e-notation", "a.txt", "[[ 7.5e-01 -2.5e-01]\n [ 5.0e-01  1.0e+00]]\n"),
    ("one bracketed row per line", "a.txt", "[0.75, -0.25],\n[0.5, 1],\n"),
    ("Python tuples", "a.txt", "((0.75, -0.25), (0.5, 1))\n"),
    ("MATLAB rows ending in ;", "a.txt", "0.75 -0.25;\n0.5 1;\n"),
    ("LaTeX array with \\left[ and \\hline", "a.txt",
     "\\left[\\begin{array}{cc}\n0.75 & -0.25 \\\\ \\hline\n0.5 & 1\n\\end{array}\\right]\n"),
]

# (form, file name, content, the error after "Error: a.txt:" -- None: the whole file)
REFUSED = [
    ("Excel CSV with ; and decimal commas", "a.csv", "0,75;-0,25\n0,5;1\n",
     "1:1: '0,75' looks like a decimal comma: write 0.75 (a comma separates numbers)"),
    ("decimal commas with spaces", "a.txt", "0,75 -0,25\n0,5 1\n",
     "1:1: '0,75' looks like a decimal comma: write 0.75 (a comma separates numbers)"),
    ("decimal commas among ', ' separators", "a.txt", "0,75, -0,25\n0,5, 1\n",
     "1:1: '0,75' looks like a decimal comma: write 0.75 (a comma separates numbers)"),
    ("Excel quoted decimal commas", "a.csv", '"0,75","-0,25"\n"0,5","1"\n',
     "1:2: '0,75' looks like a decimal comma: write 0.75 (a comma separates numbers)"),
    ("thousands separators (1,234.5) between spaces", "a.txt", "1,234.5 -0.25\n0.5 1\n",
     "1:1: '1,234.5' groups thousands with a comma, which also separates numbers: write 1234.5"),
    ("Excel quoted thousands (\"1,234\")", "a.csv", '"1,234","-0.25"\n"0.5","1"\n',
     "1:2: '1,234' has a comma inside the number: write 1.234 for a decimal comma, 1234 for thousands"),
    ("decimal commas in a Markdown table", "a.md", "| 0,75 | -0,25 |\n| 0,5 | 1 |\n",
     "1:3: '0,75' looks like a decimal comma: write 0.75 (a comma separates numbers)"),
    ("LaTeX decimal comma 0{,}75", "a.tex", "\\begin{bmatrix} 0{,}75 & -0{,}25 \\\\ 0{,}5 & 1 \\end{bmatrix}\n",
     "1:17: '0{,}75' looks like a decimal comma: write 0.75 (a comma separates numbers)"),
    ("LaTeX empty cell (& &)", "a.tex", "\\begin{bmatrix} 0.75 & & -0.25 \\\\ 0.5 & & 1 \\end{bmatrix}\n",
     "1:24: an empty cell between two values: write its number (0 if it is zero)"),
    ("unclosed bracket", "a.txt", "[[0.75, -0.25],\n [0.5, 1]\n",
     "1:1: '[' opened here is never closed: a ']' is missing"),
    ("mismatched brackets", "a.txt", "[[0.75, -0.25],\n [0.5, 1)]\n",
     "2:9: ')' cannot close the '[' of line 2, column 2: it needs ']'"),
    ("extra closing bracket", "a.txt", "[[0.75, -0.25], [0.5, 1]]]\n",
     "1:26: ']' closes nothing: no '[' is open here"),
    ("empty cell in a CSV", "a.csv", "0.75,,-0.25\n0.5,,1\n",
     "1:6: an empty cell between two values: write its number (0 if it is zero)"),
    ("empty cell in a Markdown table", "a.md", "| 0.75 | -0.25 |\n| 0.5 |  | 1 |\n",
     "2:10: an empty cell between two values: write its number (0 if it is zero)"),
    ("missing value (ragged row)", "a.txt", "0.75 -0.25\n0.5\n",
     "2:4: row has 1 value but the rows above have 2"),
    ("percent signs", "a.txt", "75% -25%\n50% 100%\n", "1:1: '75%' is a percentage: write 0.75"),
    ("letter O for zero", "a.txt", "O.75 -0.25\n0.5 1\n", "1:1: 'O.75' holds the letter O, not the digit 0: write 0.75"),
    ("letter l for one", "a.txt", "0.75 -0.25\n0.5 l\n", "2:5: 'l' holds the letter l or I, not the digit 1: write 1"),
    ("Chinese full stop 。 as decimal point", "a.txt", "0。75 -0.25\n0.5 1\n",
     "1:1: '0。75' has the Chinese full stop 。 as its decimal point: write 0.75"),
    ("a row ending in a colon", "a.txt", "0.75 -0.25:\n0.5 1\n", "1:6: '-0.25:' is not a number"),
    ("em dash (a blank placeholder?)", "a.txt", "0.75 \u20140.25\n0.5 1\n", "1:6: '\u20140.25' is not a number"),
    ("nan", "a.txt", "0.75 nan\n0.5 1\n", "1:6: 'nan' is not a finite number (nan and inf are not accepted)"),
    ("inf", "a.txt", "0.75 -0.25\ninf 1\n", "2:1: 'inf' is not a finite number (nan and inf are not accepted)"),
    ("beyond float64", "a.txt", "0.75 -0.25\n0.5 1e999\n",
     "2:5: '1e999' is too large for a float64 number (at most about 1.8e308)"),
    ("fraction over zero", "a.txt", "3/4 -1/0\n0.5 1\n", "1:5: '-1/0' divides by zero"),
    ("numpy's shortened print (...)", "a.txt", "[[0.75 ... -0.25]\n [0.5 ... 1.]]\n", "1:8: '...' is not a number"),
    ("unicode fraction ½", "a.txt", "0.75 -0.25\n½ 1\n", "2:1: '½' is not a number"),
    ("JSON true", "a.json", "[[0.75, -0.25], [0.5, true]]\n",
     "1:23: true is not a number: a JSON matrix holds numbers only (no true/false, null, strings or objects)"),
    ("JSON strings", "a.json", '[["0.75", "-0.25"], ["0.5", "1"]]\n',
     '1:3: "0.75" is not a number: a JSON matrix holds numbers only (no true/false, null, strings or objects)'),
    ("MATLAB rows on two lines without ;", "a.txt", "[0.75 -0.25\n 0.5 1]\n",
     ("2:2: the row of one bracket goes on to this line: end MATLAB rows with ';' ([1 2; 3 4]), or keep one "
      "row on one line")),
    ("directive without its colon", "a.txt", "# cnncalc batch=1\n0.75 -0.25\n0.5 1\n",
     "1:1: a directive needs a colon after cnncalc: write '# cnncalc: batch=1'"),
    ("numbered rows 1)", "a.txt", "1) 0.75 -0.25\n2) 0.5 1\n", "1:2: ')' closes nothing: no '(' is open here"),
    ("R's matrix print", "a.txt", "     [,1]  [,2]\n[1,] 0.75 -0.25\n[2,] 0.50  1.00\n",
     "2:6: '0.75' stands outside the brackets of the matrix rows"),
    ("pandas DataFrame print", "a.txt", "      0     1\n0  0.75 -0.25\n1  0.50  1.00\n",
     "2:9: row has 3 values but the rows above have 2"),
    ("plus-minus sign", "a.txt", "0.75 \u00b10.25\n0.5 1\n", "1:6: '\u00b10.25' is not a number"),
    ("empty file", "a.txt", "", None),
    ("only comments", "a.txt", "# 答案在下面\n# the answer\n", None),
    ("Word .docx renamed .txt", "a.txt", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + b"\x00" * 30, None),
    ("Excel .xlsx renamed .txt", "a.txt", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00b\xee" + b"\x00" * 30, None),
    ("PNG screenshot renamed .txt", "a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", None),
    ("RTF from WordPad/TextEdit", "a.txt", b"{\\rtf1\\ansi\\deff0 0.75 -0.25\\par 0.5 1\\par}", None),
    ("UTF-16 with a stray byte", "a.txt", "0.75 -0.25\n0.5 1\n".encode("utf-16-le") + b"\n", None),
]

WHOLE_FILE = {
    "empty file": "the file holds no numbers",
    "only comments": "the file holds no numbers",
    "Word .docx renamed .txt": "is a ZIP archive (a Word .docx or Excel .xlsx file under another name?), not text: "
                               "save the matrix as plain text (.txt) or CSV",
    "Excel .xlsx renamed .txt": "is a ZIP archive (a Word .docx or Excel .xlsx file under another name?), not text: "
                                "save the matrix as plain text (.txt) or CSV",
    "PNG screenshot renamed .txt": "is a PNG picture, not text: give it its picture suffix to read it as grayscale, "
                                   "or type the matrix into a text file",
    "RTF from WordPad/TextEdit": "is rich text (RTF, as WordPad and TextEdit save it), not plain text: save it as "
                                 "plain text (TextEdit: Format > Make Plain Text)",
    "UTF-16 with a stray byte": "looks like UTF-16 LE text (saved without a byte-order mark) but does not decode as "
                                "it: save it as UTF-8",
}


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def invoke(folder: Path, *args: str):
    old = os.getcwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def test_the_corpus_is_large_enough():
    assert len(READ) + len(REFUSED) >= 70
    assert len({f for f, *_ in READ + REFUSED}) == len(READ) + len(REFUSED)


@pytest.mark.parametrize("form, name, content", READ, ids=[r[0] for r in READ])
def test_readable_forms_read_exactly_and_check_right(tmp_path, form, name, content):
    path = write(tmp_path, name, content)
    grids = read_grids(path)
    assert [g.values.tolist() for g in grids] == [KEY], form
    (tmp_path / "key.json").write_text(json.dumps(KEY))
    result = invoke(tmp_path, "check", name, "--expected", "key.json", "--format", "plain")
    assert (result.exit_code, result.output) == (0, "block 1: all 4 cells right\n"), form


@pytest.mark.parametrize("form, name, content, error", REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_forms_give_one_error_line(tmp_path, form, name, content, error):
    write(tmp_path, name, content)
    (tmp_path / "key.json").write_text(json.dumps(KEY))
    expected = f"Error: {name}: {WHOLE_FILE[form]}" if error is None else f"Error: {name}:{error}"
    for command in (("relu", name), ("check", name, "--expected", "key.json")):
        en = invoke(tmp_path, *command, "--lang", "en")
        zh = invoke(tmp_path, *command, "--lang", "zh")
        for result in (en, zh):
            assert result.exit_code == 2, (form, result.output)
            assert result.output.count("\n") == 1 and result.output.startswith("Error: "), result.output
        assert en.output.startswith(expected), (form, en.output)
        place = expected.split(": ", 2)[1] if error is not None else name
        assert zh.output.startswith(f"Error: {place}: ") or zh.output.startswith(f"Error: {place}:"), zh.output
        assert zh.output != en.output


def test_an_empty_spreadsheet_row_parts_two_matrices(tmp_path):
    write(tmp_path, "two.csv", "0.75,-0.25\n0.5,1\n,\n1,2\n3,4\n")
    assert [g.values.tolist() for g in read_grids(tmp_path / "two.csv")] == [KEY, [[1, 2], [3, 4]]]


def test_a_very_long_line_reads(tmp_path):
    row = " ".join(str(i / 4) for i in range(20000))
    write(tmp_path, "long.txt", row + "\n" + row + "\n")
    grid = read_grids(tmp_path / "long.txt")[0]
    assert grid.shape == (2, 20000) and grid.values[1, 3] == 0.75


def test_a_problem_file_in_students_forms_checks(tmp_path):
    # image 1 2 / 3 4, kernel 1 0 / 0 1, mean: (1 + 4) / 4 = 5/4; CRLF, full-width '＝', UTF-16
    text = "# cnncalc: norm=mean\r\n1 2\r\n3 4\r\n\r\n[[1, 0], [0, 1]]\r\n＝\r\n５/４\r\n"
    write(tmp_path, "p.txt", text.encode("utf-16"))
    result = invoke(tmp_path, "check", "p.txt", "--format", "plain")
    assert (result.exit_code, result.output) == (0, "problem 1: all 1 cells right\n")


def test_the_doc_table_lists_every_form():
    doc = DOC.read_text(encoding="utf-8")
    for form, *_ in READ:
        assert f"| {form} | read |" in doc, form
    for form, *_ in REFUSED:
        assert f"| {form} | refused" in doc, form


def table() -> str:
    """The Markdown table of docs/students-files.md (``python tests/test_students_files_corpus.py``)."""

    def shown(content: str | bytes, name: str) -> str:
        if isinstance(content, bytes):
            return f"(bytes, {name})"
        text = content.replace("|", "\\|").replace("\r\n", "⏎").replace("\r", "␍").replace("\n", "↵")
        text = text.replace("\t", "⇥")
        return "`" + (text if len(text) <= 60 else text[:57] + "...").replace("`", "'") + "`"

    rows = ["| Form | Outcome | Example (↵ LF, ⏎ CRLF, ␍ CR, ⇥ tab) | What cnncalc says |", "|---|---|---|---|"]
    for form, name, content in READ:
        rows.append(f"| {form} | read | {shown(content, name)} | `[[0.75, -0.25], [0.5, 1]]`; `check`: all 4 "
                    "cells right |")
    for form, name, content, error in REFUSED:
        said = f"Error: {name}: {WHOLE_FILE[form]}" if error is None else f"Error: {name}:{error}"
        rows.append(f"| {form} | refused | {shown(content, name)} | `{said.replace('|', chr(92) + '|')}` |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(table(), end="")
