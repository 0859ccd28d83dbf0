"""The HTML report without a browser: escaping, shares, pages, determinism."""

import re
from html.parser import HTMLParser

import numpy as np
from reportdata import ESCAPE, EXPECTED, HOSTILE, PROBLEMS, records

from cnncalc.grade.htmlreport import (
    esc,
    page_name,
    render_index,
    render_student,
    write_report,
    wrong_shares,
)


class Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.shares, self.scripts, self.ths = [], 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and "data-share" in a:
            self.shares.append((a["data-map"], a["data-row"], a["data-col"], a["data-share"]))
        if tag == "script":
            self.scripts += 1
        if tag == "th":
            self.ths.append(a.get("scope"))


def test_wrong_shares_by_hand():
    s, n, other = wrong_shares(records(), 0, (1, 2, 2))
    assert (n, other) == (4, 1)
    assert s.tolist() == [[[0.0, 0.75], [0.25, 0.0]]]
    s, n, other = wrong_shares(records(), 1, (1, 1, 3))
    assert (n, other) == (2, 0) and s.tolist() == [[[0.0, 0.0, 0.5]]]


def test_index_cells_carry_shares_and_values():
    page = render_index(records(), PROBLEMS, title="HW 3", expected=EXPECTED)
    parser = Cells()
    parser.feed(page)
    shares = {(m, r, c): s for m, r, c, s in parser.shares[:4]}
    assert shares == {("1", "1", "1"): "0.0000", ("1", "1", "2"): "0.7500", ("1", "2", "1"): "0.2500",
                      ("1", "2", "2"): "0.0000"}
    assert '<span>-0.25</span><span class="share">75%</span>' in page
    assert parser.scripts == 1  # only the sorting script: no student text became a script
    assert all(scope in ("col", "row") for scope in parser.ths)


def test_every_string_is_escaped():
    page = render_index(records(), PROBLEMS, title="<i>HW</i>")
    assert HOSTILE not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x1b" not in page and "\\x1b[31mred" in page
    assert "&lt;i&gt;HW&lt;/i&gt;" in page
    student = render_student(records()[4], title="HW", feedback="line 1\n<b>bold</b>\x07")
    assert "\x1b" not in student and "\\x1b[31mred" in student
    assert "line 1\n&lt;b&gt;bold&lt;/b&gt;\\x07" in student


def test_esc_controls_and_bidi():
    assert esc("a\u202eb") == "a\\u202eb"
    assert esc("tab\there") == "tab\\there"
    assert esc("'\"&") == "&#x27;&quot;&amp;"
    assert esc("张三 Zoë") == "张三 Zoë"


def test_student_page_marks_wrong_cells_like_the_png():
    page = render_student(records()[1], title="HW")
    assert page.count('class="wrong"') == 3
    assert ('<td class="wrong" aria-label="row 1, column 2: wrote 0.25, expected -0.25">'
            '<span class="got">0.25</span><span class="exp">-0.25</span></td>') in page
    assert "outline:3px solid rgb(214,0,0)" in page and "background:rgb(255,232,232)" in page
    assert "color:rgb(178,0,0)" in page
    assert "2 of 4 cells wrong" in page


def test_student_page_shape_and_missing():
    assert "Shape 3×3, expected 2×2" in render_student(records()[4], title="HW")
    page = render_student(records()[5], title="HW")
    assert "Not answered." in page and "nothing handed in" in page


def test_pictures_inline_as_data_uris():
    page = render_student(records()[0], title="HW", pictures={1: b"\x89PNG fake"})
    assert 'src="data:image/png;base64,iVBORyBmYWtl"' in page and 'alt="Marked answer to map 1"' in page
    assert "http" not in page.replace("http-equiv", "")


def test_chinese_strings():
    page = render_index(records(), PROBLEMS, title="作业", lang="zh")
    assert '<html lang="zh-Hans">' in page and "全班报告：作业" in page and "最常见的错误" in page


def test_diagnoses_with_examples_and_sentences():
    page = render_index(records(), PROBLEMS, title="HW", explain=lambda label: f"about {label}")
    items = re.findall(r"<li><strong>([^<]+)</strong> ×(\d+) — about", page)
    assert items == [("sign", "2"), ("arithmetic", "1"), ("wrong-padding", "1")]
    assert f'href="students/{page_name("alice")}">example: alice, map 1' in page


def test_write_report_files_links_and_same_bytes(tmp_path):
    files = write_report(tmp_path / "r1", records(), PROBLEMS, title="HW", expected=EXPECTED,
                         feedback={"alice": "# HW\nwell"})
    assert files[0].name == "index.html" and len(files) == 7
    index = files[0].read_text(encoding="utf-8")
    for f in files[1:]:
        assert f'href="students/{f.name}"' in index
        assert f.parent.name == "students" and '<a href="../index.html">' in f.read_text(encoding="utf-8")
    again = write_report(tmp_path / "r2", records(), PROBLEMS, title="HW", expected=EXPECTED,
                         feedback={"alice": "# HW\nwell"})
    assert [f.read_bytes() for f in files] == [f.read_bytes() for f in again]


def test_page_names_are_safe_and_distinct():
    names = [page_name(s) for s in ("alice", "Alice", "../../x", HOSTILE, ESCAPE, "张三", "", "a/b")]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{10}\.html", n) for n in names)


def test_empty_class():
    page = render_index([], PROBLEMS, title="HW")
    assert "<tbody>\n\n</tbody>" in page and np.isfinite(0)
