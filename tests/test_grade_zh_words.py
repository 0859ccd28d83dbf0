"""`grade --lang zh`: every word a teacher or a student reads is Chinese (issue 23).

A whole class is graded in Chinese with every output asked for (the summary in each
format, summary.md, feedback, the HTML report, every gradebook, the warnings), and
each text is scanned for English words. Allowed: the ids, names and file names, the
assignment's own title and problem names (the teacher wrote them), what the
students wrote, setting syntax (`norm=sum`), command and platform names. The
machine-readable files (grades.json, grades.csv, the gradebooks' columns) keep
their English keys and values: a data contract (docs/gradebooks.md).
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncalc.check.catalogue import LABELS
from cnncalc.check.cells import ANSWER_LABELS, CELL_LABELS
from cnncalc.cli import cli
from cnncalc.grade.grader import STATUSES
from cnncalc.grade.words import label_name, status_name

ROOT = Path(__file__).resolve().parent.parent
XO = ROOT / "samples" / "xo"
CLASSROOM = ROOT / "samples" / "classroom"

# names of programs, platforms and their columns, kept as they are in Chinese text
TERMS = {"cnncalc", "explain", "ReLU", "PyTorch", "CSV", "Canvas", "Moodle", "Gradescope", "SIS", "User",
         "Login", "ID", "idnumber", "canvas", "moodle", "gradescope", "csv"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def words(text: str) -> set[str]:
    """The English words of ``text``, once settings (``norm=sum``), file names,
    escapes (``\\t``) and quoted student writing (“O.77”) are taken out."""
    text = re.sub(r"“[^”]*”", " ", text)
    text = re.sub(r"\S*/\S*", " ", text)  # paths
    text = re.sub(r"\S+=\S+", " ", text)
    text = re.sub(r"[\w.-]+\.(txt|md|png|html|csv|toml|json)\b", " ", text)
    text = re.sub(r"\\[a-z]", " ", text)
    text = re.sub(r"[A-Za-z]*[0-9][A-Za-z0-9]*", " ", text)  # conv2d, s01
    return set(re.findall(r"[A-Za-z][A-Za-z]*", text))


def visible(page: str) -> str:
    """What a reader of an HTML page sees or hears: text, and the labels of screen readers."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    said = re.findall(r'(?:aria-label|alt|title)="([^"]*)"', page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + " ".join(said))


def allowed_from(out: Path, *names: str) -> set[str]:
    """Words of the data itself: ids, roster names, title and problem names."""
    import json

    data = json.loads((out / "grades.json").read_text(encoding="utf-8"))
    text = " ".join([data["title"], *(p["name"] for p in data["problems"]),
                     *(s["student"] for s in data["students"]), *names])
    return words(text) | set(re.findall(r"[A-Za-z]+", text))


def english_left(out: Path, streams: list[str], allowed: set[str]) -> dict[str, set[str]]:
    """Per output, the English words not allowed."""
    texts = {f"stream {k}": s for k, s in enumerate(streams)}
    for f in sorted(out.rglob("*")):
        rel = str(f.relative_to(out))
        if f.suffix == ".md":
            texts[rel] = f.read_text(encoding="utf-8")
        elif f.suffix == ".html":
            texts[rel] = visible(f.read_text(encoding="utf-8"))
        elif f.name == "grades-csv.csv":
            rows = csv.DictReader(io.StringIO(f.read_text(encoding="utf-8"), newline=""))
            texts[rel + " (notes)"] = "\n".join(r["notes"] for r in rows)
    found = {name: words(t) - allowed - TERMS for name, t in texts.items()}
    return {name: w for name, w in found.items() if w}


def grade_zh(folder: Path, assignment: Path, roster: Path, out: Path, *extra: str) -> list[str]:
    streams = []
    for fmt in ("plain", "markdown", "table"):
        result = CliRunner().invoke(cli, [
            "--lang", "zh", "grade", str(folder), "--assignment", str(assignment), "--roster", str(roster),
            "--out", str(out), "--html", "--format", fmt, "--no-color", "--no-progress",
            *(a for kind in ("canvas", "moodle", "gradescope", "csv") for a in ("--gradebook", kind)), *extra,
        ], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        streams += [result.stdout, result.stderr]
    return streams


@pytest.fixture
def xo_class(tmp_path: Path) -> Path:
    """The X/O sample class and three more submissions that are not on its roster:
    one right (zoe), one empty (emma), one whose id starts like a formula (-o)."""
    folder = tmp_path / "class"
    shutil.copytree(XO / "class", folder)
    shutil.copy(XO / "class" / "ana.txt", folder / "zoe.txt")
    shutil.copy(XO / "class" / "chen.txt", folder / "-o.txt")
    (folder / "emma.txt").write_text("")
    return folder


def test_every_status_and_label_has_a_chinese_name():
    for status in STATUSES:
        assert status_name(status, "en") == status
        assert CJK.search(status_name(status, "zh")) and not re.search(r"[A-Za-z]", status_name(status, "zh"))
    for label in dict.fromkeys(CELL_LABELS + ANSWER_LABELS + LABELS):
        assert label_name(label, "en") == label  # the key itself: grades.json's value
        name = label_name(label, "zh")
        assert CJK.search(name), label
        assert words(name) <= TERMS, (label, name)
    assert label_name("missing-relu+cropped", "zh") == "漏做 ReLU＋少算了窗口"


def test_xo_class_in_chinese_has_no_english_words(xo_class: Path, tmp_path: Path):
    out = tmp_path / "r"
    streams = grade_zh(xo_class, XO / "assignment.toml", XO / "roster.csv", out)
    roster_names = (XO / "roster.csv").read_text(encoding="utf-8")
    assert english_left(out, streams, allowed_from(out, roster_names)) == {}
    summary = streams[0]
    assert "提交情况：正常 8 · 部分作答 1 · 格式错误 1 · 空白 1 · 未提交 1 · 文件过大 0 · 无法读取 0（合计 12）" in summary
    assert "最常见的错误：正负号错误 ×2、和与平均值混淆 ×1、小数位数不足 ×1" in summary
    chen = (out / "feedback" / "chen.md").read_text(encoding="utf-8")
    assert "得分：**13.47 / 30**（状态：正常）" in chen and "| (1, 2) | 0.11 | -0.1111 | 正负号错误 |" in chen
    index = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert '<span class="badge">未提交</span> <span data-status="missing">1</span>' in index


def test_classroom_sample_in_chinese_has_no_english_words(tmp_path: Path):
    out = tmp_path / "r"
    roster = CLASSROOM / "roster.csv"
    streams = grade_zh(CLASSROOM / "submissions", CLASSROOM / "made" / "variants.json", roster, out)
    assert english_left(out, streams, allowed_from(out, roster.read_text(encoding="utf-8"))) == {}
    assert "池化步长错误＋少算了窗口 ×1：两个错误叠加" in streams[0]


def test_machine_readable_files_keep_their_english_keys(xo_class: Path, tmp_path: Path):
    out = tmp_path / "r"
    grade_zh(xo_class, XO / "assignment.toml", XO / "roster.csv", out)
    rows = list(csv.reader(io.StringIO((out / "grades.csv").read_text(encoding="utf-8"))))
    assert rows[0][:4] == ["student", "status", "score", "max_score"]
    assert {r[1] for r in rows[1:]} == {"ok", "partial", "malformed", "empty", "missing"}
    data = (out / "grades.json").read_text(encoding="utf-8")
    # issue 24: a diagnosis is check JSON's object; its label stays English, its message is the run's language
    assert '"cause": "sign"' in data and '"diagnosis": [{"label": "normalization"' in data
    assert '"status": "missing"' in data and "未提交" not in data


def ascii_colons_after_chinese(out: Path) -> list[str]:
    """Lines of the Chinese files where a Chinese word is followed by ``": "``."""
    bad = []
    for f in sorted(out.rglob("*")):
        if f.suffix in (".md", ".html"):
            body = visible(f.read_text(encoding="utf-8")) if f.suffix == ".html" else f.read_text(encoding="utf-8")
            bad += [f"{f.name}: {line}" for line in body.splitlines() if re.search(r"[\u4e00-\u9fff）]: ", line)]
    return bad


def test_chinese_files_use_full_width_colons(xo_class: Path, tmp_path: Path):
    out = tmp_path / "r"
    streams = grade_zh(xo_class, XO / "assignment.toml", XO / "roster.csv", out)
    assert ascii_colons_after_chinese(out) == []
    assert not [line for line in streams[0].splitlines() if re.search(r"[\u4e00-\u9fff）]: ", line)]
    index = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="第 1 行第 2 列：44%"' in index
    assert "<li>chen：feature map 1：2 名学生交了完全相同的错误答案（-o, chen）</li>" in index


def test_english_counts_of_one_are_singular():
    from cnncalc.grade.htmlreport import render_index
    from cnncalc.messages import text

    rec = {"student": "ann", "status": "ok", "score": 1, "max_score": 2,
           "problems": [{"name": "p1", "points": 2, "earned": 1, "answered": True, "shape_ok": True,
                         "answer": [["1 2"]], "wrong": [{"row": 1, "col": 2, "expected": 3, "got": 2}]}]}
    page = render_index([rec], [{"name": "p1", "shape": [1, 2]}], title="HW")
    assert "<title>1 student scored 50–60%</title>" in page and "<title>0 students scored 0–10%</title>" in page
    assert "p1: share of the class with each cell wrong (1 answer of the right shape; 0 of another shape)" in page
    assert text("classroom.made", "en", count=1, path="out") == "Wrote 1 sheet, its key and variants.json to out"
    assert text("classroom.made", "en", count=2, path="out") == "Wrote 2 sheets, their keys and variants.json to out"


def test_make_sheets_and_keys_in_chinese_have_no_english_words(tmp_path: Path):
    out = tmp_path / "made"
    roster = CLASSROOM / "roster.csv"
    result = CliRunner().invoke(cli, ["--lang", "zh", "make", str(CLASSROOM / "assignment.toml"), "--roster",
                                      str(roster), "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    allowed = words(roster.read_text(encoding="utf-8") + " Homework feature maps map")
    left = {}
    for f in sorted(out.rglob("*")):
        if f.suffix in (".md", ".html"):
            body = f.read_text(encoding="utf-8")
            found = words(visible(body) if f.suffix == ".html" else body) - allowed - TERMS
            if found:
                left[f.name] = found
    assert left == {}
    sheet = next((out / "sheets").glob("s01-*.md")).read_text(encoding="utf-8")
    assert "## feature map 2（10 分）" in sheet and "- 最大池化 2×2，步长 2" in sheet
