"""The class report's student pages show the feedback as HTML, not Markdown source
(trial 2, papercut 1), and the index lists statuses in the summary's order."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from reportdata import PROBLEMS, record, records

from cnncalc.cli import cli
from cnncalc.grade.htmlreport import page_name, render_index, render_student
from cnncalc.grade.htmlreportmd import md_html

ROOT = Path(__file__).resolve().parent.parent


def feedback_of(page: str) -> str:
    return page.split('<div class="feedback">', 1)[1].split("</div>", 1)[0]


def test_the_feedback_cnncalc_writes_becomes_headings_bold_tables_and_lists():
    md = ("# HW: feedback for s04\n\nScore: **17.78 / 20** (status: ok)\n\n## feature map 1 — 7.78/10\n\n"
          "2 of 9 cells wrong.\n\n| cell (row, col) | written | expected | cause |\n|---|---:|---:|---|\n"
          "| (2, 1) | 2 | -2 | sign |\n\n- Every wrong cell: the right size but the wrong sign.\n")
    assert md_html(md) == (
        "<h3>HW: feedback for s04</h3>\n"
        "<p>Score: <strong>17.78 / 20</strong> (status: ok)</p>\n"
        "<h4>feature map 1 — 7.78/10</h4>\n"
        "<p>2 of 9 cells wrong.</p>\n"
        '<table><thead><tr><th>cell (row, col)</th><th style="text-align:right">written</th>'
        '<th style="text-align:right">expected</th><th>cause</th></tr></thead>'
        '<tbody><tr><td>(2, 1)</td><td style="text-align:right">2</td><td style="text-align:right">-2</td>'
        "<td>sign</td></tr></tbody></table>\n"
        "<ul><li>Every wrong cell: the right size but the wrong sign.</li></ul>")


@pytest.mark.parametrize("student", ["<img src=x onerror=alert(1)>", "[link](http:evil)", "a|b", "**x**",
                                     "<script>alert(1)</script>", "\x1b[31mred", "![p](x.png)"])
def test_hostile_ids_stay_text(student):
    # as grade/feedback.py writes the title: &, <, > as entities
    md = (f"# HW: feedback for {student.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}\n\n"
          "> a line: &lt;b&gt;x&lt;/b&gt;\n")
    page = render_student({**records()[0], "student": student}, title="HW", feedback=md)
    html = feedback_of(page)
    assert "<img" not in page.replace('<img src="data:', "") and "<script>" not in page
    assert "<a " not in html and "\x1b" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in html  # the written entity shows as the characters, escaped


def test_a_picture_line_links_to_the_marked_picture_and_nothing_else(tmp_path):
    out = tmp_path / "graded"
    result = CliRunner().invoke(cli, ["grade", str(ROOT / "samples/xo/class"), "--assignment",
                                      str(ROOT / "samples/xo/assignment.toml"), "--pictures", "--html",
                                      "--out", str(out), "--format", "plain"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    page_path = out / "report" / "students" / page_name("chen")
    page = page_path.read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">feature map (\d)</a>', feedback_of(page))
    assert [n for _, n in links] == ["1", "2", "3"]
    for href, _ in links:
        assert (page_path.parent / unquote(href)).resolve().is_file(), href
    # a target that is not a plain picture name beside the feedback is text, never a link
    for bad in ("![x](javascript:alert(1).png)", "![x](../../secret.png)", "![x](http://evil/a.png)",
                '![x](a.png" onclick="x)'):
        assert "<a " not in md_html(bad), bad


def test_escaped_bars_and_stars_in_a_cell():
    html = md_html("| a | b |\n|---|---|\n| x \\| y | \\*z\\* |\n")
    assert "<td>x | y</td><td>*z*</td>" in html


def test_statuses_are_listed_in_the_summarys_order():
    recs = records() + [record("u1", "unreadable", []), record("t1", "too-large", []),
                        record("m1", "malformed", []), record("p1", "partial", []), record("e1", "empty", [])]
    page = render_index(recs, PROBLEMS, title="HW")
    order = re.findall(r'<span data-status="([^"]+)">', page)
    assert order == ["ok", "partial", "malformed", "empty", "missing", "too-large", "unreadable"]
