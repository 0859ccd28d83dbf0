"""``grade``'s class summary on narrow terminals: no number, cell or mistake label is
cut to "…" or broken over two lines; a problems table too wide goes into blocks of
whole columns (the problem names repeated); the "most common mistakes" sentences wrap
between words under their two-space indent. Rendered with rich consoles of 40, 60, 80
and 120 columns in English and Chinese, then on a real pseudo-terminal."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from test_narrow_terminals import clean, console, shown, widest_line

from cnncalc.check.compare import diagnosis_sentence
from cnncalc.cli import cli
from cnncalc.grade.summary import cell_text
from cnncalc.grade.words import label_name
from cnncalc.show.gradetables import print_summary_tables

WIDTHS = (40, 60, 80, 120)
SAMPLES = {
    "xo": ["samples/xo/class", "--assignment", "samples/xo/assignment.toml",
           "--roster", "samples/xo/roster.csv"],
    "classroom": ["samples/classroom/submissions", "--assignment", "samples/classroom/made/variants.json",
                  "--roster", "samples/classroom/roster.csv"],
}


def grade_args(sample: str, lang: str, out) -> list[str]:
    return ["--lang", lang, "grade", *SAMPLES[sample], "--out", str(out), "--no-progress"]


@pytest.fixture(scope="module")
def summaries(tmp_path_factory) -> dict[str, dict]:
    out = {}
    for sample in SAMPLES:
        result = CliRunner().invoke(cli, grade_args(sample, "en", tmp_path_factory.mktemp(sample))
                                    + ["--format", "json"])
        assert result.exit_code == 0, result.output
        out[sample] = json.loads(result.stdout)
    return out


def summary_on(summary: dict, width: int, lang: str) -> str:
    c = console(width)
    print_summary_tables(summary, summary.get("title", ""), lang, c)
    return shown(c)


def whole_pieces(summary: dict, lang: str) -> list[str]:
    """What must stand whole on one line: each often-wrong cell with its count, each
    mistake label with its count, the answered and all-right counts."""
    pieces = []
    for p in summary["problems"]:
        pieces += [f"{cell_text(c, lang)} ×{c['count']}" for c in p["wrong_cells"][:3]]
        pieces += [f"{label_name(d['label'], lang)} ×{d['count']}" for d in p["diagnoses"][:3]]
    return pieces


def on_a_line(piece: str, text: str) -> bool:
    return any(piece in line for line in text.split("\n"))


CASES = [(s, w, lang) for s in SAMPLES for w in WIDTHS for lang in ("en", "zh")]


@pytest.mark.parametrize(("sample", "width", "lang"), CASES)
def test_nothing_is_cut_and_no_line_is_wider_than_the_terminal(summaries, sample, width, lang):
    text = summary_on(summaries[sample], width, lang)
    assert "…" not in text, text
    assert widest_line(text) <= width, text


@pytest.mark.parametrize(("sample", "width", "lang"), CASES)
def test_every_cell_and_mistake_label_stays_whole_on_its_line(summaries, sample, width, lang):
    text = summary_on(summaries[sample], width, lang)
    for piece in whole_pieces(summaries[sample], lang):
        assert on_a_line(piece, text), (piece, text)


@pytest.mark.parametrize(("sample", "width", "lang"), CASES)
def test_every_problem_shows_its_counts(summaries, sample, width, lang):
    # a problem's row starts with its name (or the name's first word when it wraps),
    # then its answered and all-right counts, whole
    text = summary_on(summaries[sample], width, lang)
    for p in summaries[sample]["problems"]:
        first = p["name"].split()[0]
        row = re.compile(rf"^{re.escape(first)}\b.*?\s{p['answered']}\s+{p['right']}\s", re.MULTILINE)
        assert row.search(text), (p, text)


@pytest.mark.parametrize(("sample", "width", "lang"), CASES)
def test_the_most_common_mistakes_read_whole_under_their_indent(summaries, sample, width, lang):
    summary = summaries[sample]
    text = summary_on(summary, width, lang)
    heading = "Most common mistakes" if lang == "en" else "最常见的错误"
    lines = text.split(heading + "\n", 1)[1].rstrip("\n").split("\n")
    assert all(line.startswith("  ") for line in lines), text
    sep = "：" if lang == "zh" else ": "
    joined = "".join(re.sub(r"\s+", "", line) for line in lines)
    for d in summary["diagnoses"]:
        entry = f"{label_name(d['label'], lang)} ×{d['count']}{sep}{diagnosis_sentence(d['label'], lang)}"
        assert re.sub(r"\s+", "", entry) in joined, (entry, text)
        # the entry's first line starts with its label and count, its next lines deeper
        assert any(line.startswith(f"  {label_name(d['label'], lang)} ×{d['count']}") for line in lines)
    entries = [line for line in lines if not line.startswith("    ")]
    assert len(entries) == len(summary["diagnoses"]), text


def test_the_problems_table_in_blocks_at_40_columns_by_hand(summaries):
    # problem names wrap to "feature" (7), answers 7, all right 5 ("all" / "right"),
    # often wrong 9: 7 + 7 + 5 + 9 + 3·3 = 37; mistakes (19) would make it 59: a block of
    # its own after the problem names
    text = summary_on(summaries["xo"], 40, "en")
    table = text.split("Most common mistakes")[0].split("90–100%")[1].split("\n", 2)[2]
    assert [line.rstrip() for line in table.rstrip("\n").split("\n")] == [
        "                      all   often",
        "problem   answers   right   wrong",
        "─────────────────────────────────────",
        "feature         7       4   (1, 2) ×3",
        "map 1                       (1, 6) ×3",
        "                            (2, 1) ×3",
        "feature         7       3   (1, 2) ×4",
        "map 2                       (1, 4) ×4",
        "                            (1, 6) ×4",
        "feature         6       2   (1, 2) ×4",
        "map 3                       (1, 6) ×4",
        "                            (2, 1) ×4",
        "",
        "problem         mistakes",
        "───────────────────────────────────",
        "feature map 1   normalization ×1",
        "                sign ×1",
        "                too-few-decimals ×1",
        "feature map 2   normalization ×1",
        "                sign ×1",
        "                swapped-answers ×1",
        "feature map 3   normalization ×1",
        "                sign ×1",
        "                swapped-answers ×1",
    ]


def test_a_wide_terminal_shows_the_one_table_as_before(summaries):
    text = summary_on(summaries["xo"], 120, "en")
    assert re.search(r"^problem +answers +all right +often wrong +mistakes *$", text, re.MULTILINE), text
    assert re.search(r"^feature map 1 +7 +4 +\(1, 2\) ×3 +normalization ×1 *$", text, re.MULTILINE), text
    assert len(re.findall(r"^problem ", text, re.MULTILINE)) == 1  # one table, not blocks


def test_histogram_bars_shrink_to_the_terminal_and_keep_their_counts(summaries):
    text = summary_on(summaries["xo"], 40, "en")
    assert "  0–10 %      3 " + "█" * 24 + "\n" in text  # 40 - 16 cells: the longest bar
    assert " 40–50 %      2 " + "█" * 16 + "\n" in text  # 2/3 of it
    assert " 60–70 %      1 " + "█" * 8 + "\n" in text
    wide = summary_on(summaries["xo"], 80, "en")
    assert "  0–10 %      3 " + "█" * 30 + "\n" in wide  # as before when it fits


def test_colours_stay_on_a_wide_colour_terminal(summaries, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    c = console(120, "truecolor")
    print_summary_tables(summaries["xo"], "", "en", c)
    raw = c.file.getvalue()
    assert "\x1b[33mnormalization\x1b[0m ×3: " in raw  # the label in yellow
    assert "\x1b[32mok" in raw and "\x1b[36m" in raw  # green status, cyan bars


# --------------------------------------------------------------------------- a real terminal

pty = pytest.importorskip("pty")


@pytest.fixture(scope="module")
def screens(tmp_path_factory) -> dict[tuple[int, str], list[str]]:
    from test_narrow_terminals_cli import on_terminal

    out = {}
    for lang in ("en", "zh"):
        for width in WIDTHS:
            commands = [grade_args(s, lang, tmp_path_factory.mktemp(f"{s}{width}{lang}")) for s in SAMPLES]
            out[width, lang] = on_terminal(width, commands)
    return out


@pytest.mark.parametrize(("width", "lang"), [(w, lang) for w in WIDTHS for lang in ("en", "zh")])
def test_on_a_terminal_nothing_is_cut(screens, summaries, width, lang):
    for sample, text in zip(SAMPLES, screens[width, lang]):
        text = clean(text)
        assert "DRIVER" not in text, text
        assert "…" not in text, text
        summary = text.split("\nReports written to" if lang == "en" else "\n报告已写入")[0]  # stderr: a long path
        assert widest_line(summary) <= width, text
        for piece in whole_pieces(summaries[sample], lang):
            assert on_a_line(piece, text), (piece, text)
