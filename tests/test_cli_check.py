"""Exact output and exit codes of `cnncalc check` in every input mode and format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncalc.cli import cli

ROOT = Path(__file__).resolve().parent.parent
XO = ROOT / "samples/xo"
HOMEWORK = str(XO / "homework.txt")
ASSIGNMENT = str(XO / "assignment.toml")


def labels(answer: dict) -> list[str]:
    """The labels of an answer's JSON diagnosis (issue 11: each diagnosis is an object)."""
    return [d["label"] for d in answer["diagnosis"]]


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A 3x3 image 10*i + j... made 1..9, a 2x2 kernel; conv gives -4 everywhere."""
    (tmp_path / "img.txt").write_text("1 2 3\n4 5 6\n7 8 9\n")
    (tmp_path / "k.txt").write_text("1 0\n0 -1\n")
    (tmp_path / "right.txt").write_text("-4 -4\n-4 -4\n")
    (tmp_path / "sign.txt").write_text("-4 -4\n-4 4\n")
    return tmp_path


HOMEWORK_1 = (
    "problem 1: 12 of 49 cells wrong\n"
    "0.77\t0.11 → -0.11\t0.11\t0.33\t0.55\t0.11 → -0.11\t0.33\n"
    "0.11 → -0.11\t1.00\t-0.11\t0.33\t-0.11\t0.11\t-0.11\n"
    "0.11\t0.11 → -0.11\t1.00\t0.33 → -0.33\t0.11\t0.11 → -0.11\t0.55\n"
    "0.33\t0.33\t-0.33\t0.55\t0.33 → -0.33\t0.33\t0.33\n"
    "0.55\t0.11 → -0.11\t0.11\t-0.33\t1.00\t0.11 → -0.11\t0.11\n"
    "0.11 → -0.11\t0.11\t-0.11\t0.33\t-0.11\t1.00\t-0.11\n"
    "0.33\t0.11 → -0.11\t0.55\t0.33\t0.11\t0.11 → -0.11\t0.77\n"
    "- Every wrong cell: the right size but the wrong sign. Check the signs of the products.\n"
)


# --------------------------------------------------------------------------- the seed's homework


def test_homework_plain_marks_exactly_the_dropped_minus_signs():
    result = run("check", HOMEWORK, "--norm", "mean", "--format", "plain")
    assert result.exit_code == 1
    sections = result.output.split("\n\n")
    assert sections[0] + "\n" == HOMEWORK_1
    assert [s.splitlines()[0] for s in sections] == [
        "problem 1: 12 of 49 cells wrong",
        "problem 2: 20 of 49 cells wrong",
        "problem 3: 15 of 49 cells wrong",
        "0 of 3 answers right",
    ]
    # a truncated 5/9 written 0.55 with its sign dropped reads 0.55 → -0.55
    assert "0.55 → -0.55" in sections[1]


def test_homework_json_every_wrong_cell_is_a_sign():
    result = run("check", HOMEWORK, "--norm", "mean", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["correct"] is False
    assert [len(a["wrong"]) for a in data["answers"]] == [12, 20, 15]
    assert {w["cause"] for a in data["answers"] for w in a["wrong"]} == {"sign"}
    assert [labels(a) for a in data["answers"]] == [["sign"]] * 3
    first = data["answers"][0]
    assert list(first) == ["name", "shape_ok", "wrong", "diagnosis", "score"]
    assert first["wrong"][0] == {"row": 1, "col": 2, "expected": -1 / 9, "got": 0.11, "cause": "sign"}
    assert first["score"] == 37 / 49
    # 0.77 at (1, 1) is 7/9 truncated: never flagged
    assert all((w["row"], w["col"]) != (1, 1) for w in first["wrong"])


def test_homework_without_mean_is_normalization():
    result = run("check", HOMEWORK, "--format", "json")
    assert result.exit_code == 1
    answers = json.loads(result.output)["answers"]
    assert [labels(a) for a in answers] == [["normalization", "sign"]] * 3
    plain = run("check", HOMEWORK, "--format", "plain").output
    assert (
        "- The answer is the mean of the products (divided by 9), but this problem asks for "
        "their plain sum (norm=sum). For example cell (1, 1): you wrote 0.77 = 7/9, the right value is 7. "
        "If the mean was intended, check with --norm mean.\n"  # issue 11: the evidence
    ) in plain


def test_homework_chinese():
    result = run("check", HOMEWORK, "--norm", "mean", "--format", "plain", "--lang", "zh")
    lines = result.output.splitlines()
    assert lines[0] == "第 1 题：49 个格子中有 12 个错误"
    # issue 11: Chinese that reads naturally
    assert lines[8] == "- 所有错格都是正负号错误：绝对值对了，但符号反了。请检查各乘积的正负号。"
    assert lines[-1] == "3 道题都没有全对"


def test_homework_markdown():
    result = run("check", HOMEWORK, "--norm", "mean", "--format", "markdown")
    lines = result.output.splitlines()
    assert lines[:5] == [
        "### problem 1: 12 of 49 cells wrong",
        "",
        "|   | 1 | 2 | 3 | 4 | 5 | 6 | 7 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        "| **1** | 0.77 | **0.11 → -0.11** | 0.11 | 0.33 | 0.55 | **0.11 → -0.11** | 0.33 |",
    ]


def test_table_format_without_colour():
    result = run("check", HOMEWORK, "--norm", "mean", "--format", "table", "--no-color")
    assert result.exit_code == 1
    assert result.output.startswith("problem 1: 12 of 49 cells wrong\n")
    assert "→ -0.11" in result.output
    assert "\x1b[" not in result.output


def test_lesson_answers_with_the_seeds_truncation_are_right(tmp_path: Path):
    # the notes' first worked map, truncated as the notes write it, is all right
    text = (XO / "x.txt").read_text() + "\n" + (XO / "k1.txt").read_text() + "\n=\n"
    conv = run("conv", XO / "x.txt", XO / "k1.txt", "--norm", "mean", "--round", "truncate", "--format", "plain")
    problem = tmp_path / "p.txt"
    problem.write_text("# cnncalc: norm=mean\n" + text + conv.output)
    result = run("check", problem, "--format", "plain")
    assert (result.exit_code, result.output) == (0, "problem 1: all 49 cells right\n")


# --------------------------------------------------------------------------- directives and overrides


def test_directives_set_options_and_the_command_line_overrides_them(tmp_path: Path):
    problem = tmp_path / "p.txt"
    problem.write_text("# cnncalc: norm=mean\n1 2\n3 4\n\n1 1\n1 1\n=\n2.5\n")
    assert run("check", problem, "--format", "plain").output == "problem 1: all 1 cells right\n"
    result = run("check", problem, "--norm", "sum", "--format", "json")
    assert result.exit_code == 1
    assert labels(json.loads(result.output)["answers"][0]) == ["normalization"]


def test_directive_decimals_and_relu(tmp_path: Path):
    problem = tmp_path / "p.txt"
    problem.write_text("# cnncalc: decimals=1 relu=true\n1 -2\n\n1\n=\n1 0\n")
    assert run("check", problem, "--format", "plain").exit_code == 0
    problem.write_text("# cnncalc: relu=true\n1 -2\n\n1\n=\n1 -2\n")
    result = run("check", problem, "--format", "json")
    assert labels(json.loads(result.output)["answers"][0]) == ["missing-relu"]


def test_bad_directive_is_an_error(tmp_path: Path):
    problem = tmp_path / "p.txt"
    problem.write_text("# cnncalc: stride=0\n1 2\n\n1\n=\n1 2\n")
    result = run("check", problem)
    assert result.exit_code == 2
    assert result.output == f"Error: {problem}:1:12: problem 1: stride must be a positive integer (got 0)\n"
    problem.write_text("# cnncalc: colour=red\n1 2\n\n1\n=\n1 2\n")
    result = run("check", problem)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {problem}:1:12: problem 1: unknown setting 'colour'; known settings: stride, padding")


# --------------------------------------------------------------------------- --image / --kernel


def test_image_kernel_right_answer_exits_0(small: Path):
    result = run("check", small / "right.txt", "--image", small / "img.txt", "--kernel", small / "k.txt",
                 "--format", "plain")
    assert (result.exit_code, result.output) == (0, "right.txt: all 4 cells right\n")


def test_image_kernel_wrong_answer_plain(small: Path):
    result = run("check", small / "sign.txt", "--image", small / "img.txt", "--kernel", small / "k.txt",
                 "--format", "plain")
    assert result.exit_code == 1
    assert result.output == (
        "sign.txt: 1 of 4 cells wrong\n"
        "-4\t-4\n"
        "-4\t4 → -4\n"
        "- The wrong cell: the right size but the wrong sign. Check the signs of the products.\n"
    )


def test_image_kernel_json_exact(small: Path):
    result = run("check", small / "sign.txt", "--image", small / "img.txt", "--kernel", small / "k.txt",
                 "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output) == {
        "correct": False,
        "answers": [
            {
                "name": "sign.txt",
                "shape_ok": True,
                "wrong": [{"row": 2, "col": 2, "expected": -4.0, "got": 4.0, "cause": "sign"}],
                "diagnosis": [{  # issue 11: each diagnosis an object
                    "label": "sign", "labels": ["sign"], "settings": {}, "cells": [[2, 2]], "evidence": None,
                    "message": "The wrong cell: the right size but the wrong sign. Check the signs of the products.",
                }],
                "score": 0.75,
            }
        ],
    }


def test_image_kernel_with_conv_options_relu_and_pool(small: Path):
    answer = small / "a.txt"
    # padding 1, stride 2: windows at rows/cols 0 and 2 of the padded image
    answer.write_text("-1 -3\n-7 -4\n")
    args = ["--image", small / "img.txt", "--kernel", small / "k.txt", "--padding", "1", "--stride", "2"]
    assert run("check", answer, *args, "--format", "plain").exit_code == 0
    answer.write_text("0 0\n0 0\n")
    assert run("check", answer, *args, "--relu", "--format", "plain").exit_code == 0
    answer.write_text("-1\n")
    assert run("check", answer, *args, "--pool", "max:2", "--format", "plain").exit_code == 0


def test_wrong_stride_is_reported_with_the_setting(small: Path):
    (small / "img4.txt").write_text("1 2 3 4\n5 6 7 8\n9 10 11 12\n13 14 15 16\n")
    answer = small / "s2.txt"
    answer.write_text("-5 -5\n-5 -5\n")
    result = run("check", answer, "--image", small / "img4.txt", "--kernel", small / "k.txt", "--format", "plain")
    assert result.exit_code == 1
    assert result.output == (
        "s2.txt: wrong shape\n"
        "-5\t-5\n"
        "-5\t-5\n"
        "- The answer is 2×2, but the result is 3×3.\n"
        "- The answer matches stride=2, but this problem uses stride=1 (the step by which the window moves)."
        " For example cell (1, 1): you wrote -5, exactly the value this mistake gives.\n"  # issue 11: evidence
    )
    data = json.loads(run("check", answer, "--image", small / "img4.txt", "--kernel", small / "k.txt",
                          "--format", "json").output)
    assert data["answers"][0] == {
        "name": "s2.txt", "shape_ok": False, "wrong": [], "score": 0.0, "diagnosis": [{
            "label": "wrong-stride", "labels": ["wrong-stride"], "settings": {"stride": 2},
            "cells": [[1, 1], [1, 2], [2, 1], [2, 2]],
            "evidence": {"row": 1, "col": 1, "got": "-5", "mistake": -5.0},
            "message": "The answer matches stride=2, but this problem uses stride=1 (the step by which the window"
                       " moves). For example cell (1, 1): you wrote -5, exactly the value this mistake gives.",
        }],
    }


def test_answer_from_stdin(small: Path):
    result = run("check", "-", "--image", small / "img.txt", "--kernel", small / "k.txt", "--format", "plain",
                 input="-4 -4\n-4 -4\n")
    assert (result.exit_code, result.output) == (0, "-: all 4 cells right\n")


def test_decimals_and_tolerance(small: Path):
    (small / "k.txt").write_text("1 1\n1 1\n")
    answer = small / "a.txt"
    answer.write_text("3 4\n6 7\n")  # exact means: (1+2+4+5)/4 = 3, 4, 6, 7
    args = ["--image", small / "img.txt", "--kernel", small / "k.txt", "--norm", "mean", "--format", "json"]
    assert run("check", answer, *args).exit_code == 0
    answer.write_text("3.1 4\n6 7\n")
    data = json.loads(run("check", answer, *args).output)
    assert data["answers"][0]["wrong"][0]["cause"] == "arithmetic"
    assert run("check", answer, *args, "--atol", "0.2").exit_code == 0
    assert run("check", answer, *args, "--rtol", "0.01").exit_code == 1


def test_decimals_option(tmp_path: Path):
    problem = tmp_path / "p.txt"
    problem.write_text("# cnncalc: norm=mean\n1 1 1\n1 1 -1\n1 1 1\n\n1 1 1\n1 1 1\n1 1 1\n=\n0.78\n")
    assert run("check", problem).exit_code == 0
    data = json.loads(run("check", problem, "--decimals", "3", "--format", "json").output)
    assert data["answers"][0]["wrong"] == [
        {"row": 1, "col": 1, "expected": 7 / 9, "got": 0.78, "cause": "too-few-decimals"}
    ]
    assert run("check", problem, "--decimals", "1").exit_code == 0
    problem.write_text(problem.read_text().replace("0.78", "0.8"))
    assert run("check", problem, "--decimals", "1").exit_code == 0
    assert run("check", problem).exit_code == 1


def test_explain_n_adds_worked_cells(small: Path):
    result = run("check", small / "sign.txt", "--image", small / "img.txt", "--kernel", small / "k.txt",
                 "--explain", "1", "--format", "plain")
    assert result.exit_code == 1
    assert result.output == (
        "sign.txt: 1 of 4 cells wrong\n"
        "-4\t-4\n"
        "-4\t4 → -4\n"
        "- The wrong cell: the right size but the wrong sign. Check the signs of the products.\n"
        "\n"
        "Worked computation of cell (2, 2)\n"
        "Image\n"
        "1\t2\t3\n"
        "4\t[5]\t[6]\n"
        "7\t[8]\t[9]\n"
        "The receptive field of cell (2, 2): rows 2–3, columns 2–3\n"
        "Kernel\n"
        "1\t0\n"
        "0\t-1\n"
        "Products (window × kernel, cell by cell)\n"
        "5\t0\n"
        "0\t-9\n"
        "Sum of the 4 products: 5 + 0 + 0 - 9 = -4\n"
        "norm=sum: the value is the sum itself.\n"
        "Value of cell (2, 2): -4\n"
    )
    data = json.loads(run("check", small / "sign.txt", "--image", small / "img.txt", "--kernel", small / "k.txt",
                          "--explain", "1", "--format", "json").output)
    assert data["answers"][0]["explanations"] == [
        {"row": 2, "col": 2, "window": [[5.0, 6.0], [8.0, 9.0]], "kernel": [[1.0, 0.0], [0.0, -1.0]],
         "products": [[5.0, 0.0], [0.0, -9.0]], "sum": -4.0, "value": -4.0}
    ]


def test_explain_in_homework_explains_the_first_wrong_cell():
    result = run("check", HOMEWORK, "--norm", "mean", "--explain", "1", "--format", "plain")
    assert "Worked computation of cell (1, 2)\n" in result.output
    assert "Mean (norm=mean, 9 kernel cells): -1 / 9 = -0.11\n" in result.output


# --------------------------------------------------------------------------- --expected


def test_expected_key_block_by_block(small: Path):
    key = small / "key.txt"
    key.write_text("-4 -4\n-4 -4\n\n1 2\n")
    result = run("check", small / "sign.txt", "--expected", key, "--format", "plain")
    assert result.exit_code == 1
    assert result.output == (
        "block 1: 1 of 4 cells wrong\n"
        "-4\t-4\n"
        "-4\t4 → -4\n"
        "- The wrong cell: the right size but the wrong sign. Check the signs of the products.\n"
        "\n"
        "block 2: no answer\n"
        "- No answer was given for this problem.\n"
        "\n"
        "0 of 2 answers right\n"
    )


def test_expected_key_extra_blocks_and_swapped(small: Path):
    key = small / "key.txt"
    key.write_text("1 2\n3 4\n\n5 6\n7 8\n")
    answer = small / "a.txt"
    answer.write_text("5 6\n7 8\n\n1 2\n3 4\n\n9\n")
    result = run("check", answer, "--expected", key, "--format", "plain")
    assert result.exit_code == 1
    assert "- This is the answer of problem 2: the answers are in the wrong order. For example" in result.output
    assert "- This is the answer of problem 1: the answers are in the wrong order. For example" in result.output
    assert "1 block after the last answer was not checked.\n" in result.output


def test_expected_key_from_npy_is_full_precision(tmp_path: Path):
    import numpy as np

    np.save(tmp_path / "key.npy", np.array([[7 / 9, -1 / 9]]))
    (tmp_path / "a.txt").write_text("0.77 -0.11\n")
    assert run("check", tmp_path / "a.txt", "--expected", tmp_path / "key.npy").exit_code == 0


# --------------------------------------------------------------------------- --assignment


def test_assignment_with_the_homework():
    result = run("check", HOMEWORK, "--assignment", ASSIGNMENT, "--format", "json")
    assert result.exit_code == 1
    answers = json.loads(result.output)["answers"]
    assert [a["name"] for a in answers] == ["feature map 1", "feature map 2", "feature map 3"]
    assert [len(a["wrong"]) for a in answers] == [12, 20, 15]


def test_assignment_with_blocks_in_problem_order(tmp_path: Path):
    maps = [
        run("conv", XO / "x.txt", XO / f"k{i}.txt", "--norm", "mean", "--round", "truncate", "--format", "plain").output
        for i in (1, 2, 3)
    ]
    answer = tmp_path / "alice.txt"
    answer.write_text("\n".join(maps))
    result = run("check", answer, "--assignment", ASSIGNMENT, "--format", "plain")
    assert (result.exit_code, result.output) == (
        0,
        (
            "feature map 1: all 49 cells right\n\nfeature map 2: all 49 cells right\n\n"
            "feature map 3: all 49 cells right\n\n3 of 3 answers right\n"
        ),
    )
    answer.write_text(maps[1] + "\n" + maps[0] + "\n" + maps[2])
    answers = json.loads(run("check", answer, "--assignment", ASSIGNMENT, "--format", "json").output)["answers"]
    assert [labels(a) for a in answers] == [["swapped-answers"], ["swapped-answers"], []]


def test_assignment_stages(tmp_path: Path):
    for name in ("x.txt", "k1.txt"):
        (tmp_path / name).write_text((XO / name).read_text())
    (tmp_path / "a.toml").write_text(
        '[[problem]]\nname = "pooled"\nimage = "x.txt"\nkernel = "k1.txt"\n'
        'stages = "conv(norm=mean) | relu | maxpool(2)"\n'
    )
    (tmp_path / "ans.txt").write_text("1.00 0.33 0.55\n0.33 1.00 0.33\n0.55 0.33 1.00\n")
    assert run("check", tmp_path / "ans.txt", "--assignment", tmp_path / "a.toml").exit_code == 0
    (tmp_path / "ans.txt").write_text("0.77 0.33 0.55\n0.33 1.00 0.33\n0.55 0.33 1.00\n")
    data = json.loads(run("check", tmp_path / "ans.txt", "--assignment", tmp_path / "a.toml", "--format", "json").output)
    assert data["answers"][0]["wrong"] == [{"row": 1, "col": 1, "expected": 1.0, "got": 0.77, "cause": "arithmetic"}]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "args, message",
    [
        (["--image", "IMG"], "Error: --image and --kernel go together: give both\n"),
        (["--image", "IMG", "--kernel", "K", "--expected", "K"],
         "Error: use only one of --image/--kernel, --expected and --assignment\n"),
        (["--expected", "K", "--norm", "mean"],
         ("Error: conv options (--norm) need a problem file or --image/--kernel; --expected and "
          "--assignment set their own\n")),
        ([], ("Error: ANS is not a problem file (no line '='): give --image and --kernel, "
              "--expected KEY or --assignment FILE\n")),
    ],
)
def test_bad_usage_exits_2(small: Path, args, message):
    names = {"IMG": str(small / "img.txt"), "K": str(small / "k.txt"), "ANS": str(small / "sign.txt")}
    args = [names.get(a, a) for a in args]
    result = run("check", small / "sign.txt", *args)
    assert result.exit_code == 2
    assert result.output == message.replace("ANS", names["ANS"])


def test_unsupported_format_exits_2(small: Path):
    result = run("check", small / "sign.txt", "--expected", small / "right.txt", "--format", "csv")
    assert result.exit_code == 2
    assert result.output.startswith("Error: Invalid value for '--format': 'csv' is not one of")


def test_malformed_answer_names_file_and_line(small: Path):
    (small / "bad.txt").write_text("1 2\n3 x\n")
    result = run("check", small / "bad.txt", "--expected", small / "right.txt")
    assert result.exit_code == 2
    assert result.output == f"Error: {small / 'bad.txt'}:2:3: 'x' is not a number (line: \"3 x\")\n"


def test_output_file(small: Path):
    out = small / "report.md"
    result = run("check", small / "sign.txt", "--expected", small / "right.txt", "-o", out)
    assert result.exit_code == 1 and result.output == ""
    assert out.read_text().startswith("### block 1: 1 of 4 cells wrong\n")


@pytest.mark.parametrize(
    "options",
    [
        ["--dilation", "2"],
        ["--padding", "2", "--padding-mode", "reflect"],
        ["--padding", "1", "--padding-mode", "circular", "--stride", "2,1"],
        ["--padding", "same", "--padding-mode", "replicate"],
        ["--flip", "--norm", "mean"],
        ["--bias", "0.5"],
        ["--bias", "BIAS"],
        ["--relu", "--pool", "mean:2:1"],
    ],
)
def test_every_conv_option_reaches_the_expected_result(tmp_path: Path, options):
    """What `conv` prints with the same options is right for `check`."""
    (tmp_path / "img.txt").write_text("1 2 3 4 5\n6 7 8 9 10\n11 12 13 14 15\n16 17 18 19 20\n21 22 23 24 25\n")
    (tmp_path / "k.txt").write_text("1 0 -1\n2 0 -2\n1 0 -1\n")
    (tmp_path / "b.txt").write_text("-3\n")
    options = [str(tmp_path / "b.txt") if o == "BIAS" else o for o in options]
    image, kernel = tmp_path / "img.txt", tmp_path / "k.txt"
    conv = run("conv", image, kernel, *options, "--format", "plain", "--precision", "3")
    (tmp_path / "ans.txt").write_text(conv.output)
    result = run("check", tmp_path / "ans.txt", "--image", image, "--kernel", kernel, *options, "--format", "plain")
    assert result.exit_code == 0, result.output
    without = [o for o in options if o not in ("--flip", "--relu")]
    if without != options or "--bias" in options:
        # leaving out a step or the bias makes the same answer wrong
        changed = without if without != options else []
        assert run("check", tmp_path / "ans.txt", "--image", image, "--kernel", kernel, *changed).exit_code == 1


def test_explain_is_skipped_after_relu_with_a_note(small: Path):
    (small / "a.txt").write_text("1 0\n0 0\n")
    result = run("check", small / "a.txt", "--image", small / "img.txt", "--kernel", small / "k.txt", "--relu",
                 "--explain", "1", "--format", "plain")
    assert result.exit_code == 1
    assert result.output.endswith("\n\n--explain shows conv cells only; this problem has steps after the conv\n")


def test_check_messages_exist_in_both_languages_with_the_same_fields():
    import string

    from cnncalc.messages import CHECK

    for key, entry in CHECK.items():
        assert {"en", "zh"} <= set(entry) <= {"en", "zh", "en_one", "one_of"}, key
        fields = [{f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in ("en", "zh")]
        assert fields[0] == fields[1], key
        if "en_one" in entry:  # the singular drops the count field and nothing else
            one = {f for _, f, _, _ in string.Formatter().parse(entry["en_one"]) if f}
            assert one <= fields[0], key


def test_assignment_stages_diagnose_missing_relu(tmp_path: Path):
    for name in ("x.txt", "k1.txt"):
        (tmp_path / name).write_text((XO / name).read_text())
    (tmp_path / "a.toml").write_text(
        '[[problem]]\nimage = "x.txt"\nkernel = "k1.txt"\nstages = "conv(norm=mean) | relu"\n'
    )
    conv = run("conv", XO / "x.txt", XO / "k1.txt", "--norm", "mean", "--round", "truncate", "--format", "plain")
    (tmp_path / "ans.txt").write_text(conv.output)
    data = json.loads(run("check", tmp_path / "ans.txt", "--assignment", tmp_path / "a.toml", "--format", "json").output)
    assert labels(data["answers"][0]) == ["missing-relu"]
    assert len(data["answers"][0]["wrong"]) == conv.output.count("-")
