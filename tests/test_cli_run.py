"""Exact output of `cnncalc run` in every format, its options and its errors.

The small network (checked by hand): the input [[1,-2,3],[-4,5,-6],[7,-8,9]];
relu → [[1,0,3],[0,5,0],[7,0,9]]; maxpool(2, stride=1) → [[5,5],[7,9]];
flatten → [5,5,7,9]; linear with W = [[1,0,0,0],[0,0,0,1]], b = [0,-4] →
[5, 5]; softmax → [0.5, 0.5]; the loss for class 1 is ln 2 = 0.6931 and the
prediction is class 0 (the first of a tie, as torch.argmax).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncalc.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CHAIN = "relu | maxpool(2, stride=1) | flatten | linear(w.txt, b.txt) | softmax"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def net(tmp_path, monkeypatch):
    (tmp_path / "in.txt").write_text("1 -2 3\n-4 5 -6\n7 -8 9\n")
    (tmp_path / "w.txt").write_text("1 0 0 0\n0 0 0 1\n")
    (tmp_path / "b.txt").write_text("0 -4\n")
    (tmp_path / "bank.txt").write_text("1 0\n0 1\n\n0 1\n1 0\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


PLAIN = """\
# stage 1 · relu · shape 3×3
1.00\t0.00\t3.00
0.00\t5.00\t0.00
7.00\t0.00\t9.00

# stage 2 · maxpool(2, stride=1) · shape 2×2
5.00\t5.00
7.00\t9.00

# stage 3 · flatten · shape 4
5.00\t5.00\t7.00\t9.00

# stage 4 · linear(w.txt, b.txt) · shape 2
5.00\t5.00

# stage 5 · softmax · shape 2
0.50\t0.50

# loss (cross-entropy, target class 1): 0.6931
# predicted class: 0
"""

TABLE = """\
stage 1 · relu · shape 3×3
       1      2      3
──────────────────────
1   1.00   0.00   3.00
2   0.00   5.00   0.00
3   7.00   0.00   9.00

stage 2 · maxpool(2, stride=1) · shape 2×2
       1      2
───────────────
1   5.00   5.00
2   7.00   9.00

stage 3 · flatten · shape 4
index   value                       
────────────────────────────────────
    0    5.00   ███████████         
    1    5.00   ███████████         
    2    7.00   ████████████████    
    3    9.00   ████████████████████

stage 4 · linear(w.txt, b.txt) · shape 2
index   value                       
────────────────────────────────────
    0    5.00   ████████████████████
    1    5.00   ████████████████████

stage 5 · softmax · shape 2
index   value                       
────────────────────────────────────
    0    0.50   ████████████████████
    1    0.50   ████████████████████

loss (cross-entropy, target class 1): 0.6931
predicted class: 0
"""

JSON = {
    "stages": [
        {"stage": "relu", "shape": [3, 3], "output": [[1.0, 0.0, 3.0], [0.0, 5.0, 0.0], [7.0, 0.0, 9.0]]},
        {"stage": "maxpool(2, stride=1)", "shape": [2, 2], "output": [[5.0, 5.0], [7.0, 9.0]]},
        {"stage": "flatten", "shape": [4], "output": [5.0, 5.0, 7.0, 9.0]},
        {"stage": "linear(w.txt, b.txt)", "shape": [2], "output": [5.0, 5.0]},
        {"stage": "softmax", "shape": [2], "output": [0.5, 0.5]},
    ],
    "output": [0.5, 0.5],
    "loss": 0.6931471805599453,
    "prediction": 0,
}


def test_plain_shows_every_stage_with_its_shape_and_the_loss(net):
    result = run("run", "in.txt", CHAIN, "--target", "1", "--format", "plain")
    assert result.exit_code == 0
    assert result.output == PLAIN


def test_piped_output_is_plain(net):
    assert run("run", "in.txt", CHAIN, "--target", "1").output == PLAIN


def test_table_heat_grids_for_maps_and_bars_for_vectors(net):
    result = run("run", "in.txt", CHAIN, "--target", "1", "--format", "table", "--no-color")
    assert result.exit_code == 0
    assert result.output == TABLE


def test_json_full_precision(net):
    result = run("run", "in.txt", CHAIN, "--target", "1", "--format", "json")
    assert json.loads(result.output) == JSON
    assert '"output": [5.0, 5.0, 7.0, 9.0]' in result.output  # rows stay on one line


def test_json_without_target_has_null_loss_but_a_prediction_for_a_classifier(net):
    data = json.loads(run("run", "in.txt", CHAIN, "--format", "json").output)
    assert (data["loss"], data["prediction"]) == (None, 0)
    data = json.loads(run("run", "in.txt", "relu | flatten", "--format", "json").output)
    assert (data["loss"], data["prediction"]) == (None, None)


def test_csv_tsv_latex_markdown(net):
    csv_out = run("run", "in.txt", "relu | maxpool(2, stride=1) | flatten", "--format", "csv").output
    assert csv_out == (
        "# stage 1 · relu · shape 3×3\n1.00,0.00,3.00\n0.00,5.00,0.00\n7.00,0.00,9.00\n\n"
        "# stage 2 · maxpool(2, stride=1) · shape 2×2\n5.00,5.00\n7.00,9.00\n\n"
        "# stage 3 · flatten · shape 4\n5.00,5.00,7.00,9.00\n"
    )
    tsv_out = run("run", "in.txt", "maxpool(2, stride=1)", "--format", "tsv").output
    assert tsv_out == "# stage 1 · maxpool(2, stride=1) · shape 2×2\n5.00\t5.00\n7.00\t9.00\n"
    latex = run("run", "in.txt", "flatten | softmax", "--format", "latex", "--precision", "1",
                "--target", "0").output
    assert latex.startswith("% stage 1 · flatten · shape 9\n\\begin{bmatrix}\n1.0 & -2.0 & 3.0")
    assert latex.endswith("\\end{bmatrix}\n\n% loss (cross-entropy, target class 0): 8.1454\n"
                          "% predicted class: 8\n")
    md = run("run", "in.txt", "maxpool(2, stride=1) | flatten | linear(w.txt, b.txt)", "--format", "markdown",
             "--target", "0").output
    assert md == (
        "**stage 1 · maxpool(2, stride=1) · shape 2×2**\n\n"
        "|   | 1 | 2 |\n|---|---:|---:|\n| **1** | 5.00 | 5.00 |\n| **2** | 7.00 | 9.00 |\n\n"
        "**stage 2 · flatten · shape 4**\n\n"
        "| 0 | 1 | 2 | 3 |\n|---:|---:|---:|---:|\n| 5.00 | 5.00 | 7.00 | 9.00 |\n\n"
        "**stage 3 · linear(w.txt, b.txt) · shape 2**\n\n"
        "| 0 | 1 |\n|---:|---:|\n| 5.00 | 5.00 |\n\n"
        "loss (cross-entropy, target class 0): 0.6931  \npredicted class: 0  \n"
    )


def test_long_vectors_wrap_in_rows_of_ten(net):
    (net / "long.txt").write_text(" ".join(str(i) for i in range(20)) + "\n")
    table = run("run", "long.txt", "flatten", "--format", "table").output
    # 80 columns (not a terminal) hold five of these values a row; markdown keeps ten
    assert table.splitlines()[1:7] == [
        "        +0      +1      +2      +3      +4",
        "─" * 42,
        " 0    0.00    1.00    2.00    3.00    4.00",
        " 5    5.00    6.00    7.00    8.00    9.00",
        "10   10.00   11.00   12.00   13.00   14.00",
        "15   15.00   16.00   17.00   18.00   19.00",
    ]
    md = run("run", "long.txt", "flatten", "--format", "markdown").output
    assert md.splitlines()[-1] == "| **10** | 10.00 | 11.00 | 12.00 | 13.00 | 14.00 | 15.00 | 16.00 | 17.00 | 18.00 | 19.00 |"
    (net / "long.txt").write_text(" ".join(str(i) for i in range(12)) + "\n")
    md = run("run", "long.txt", "flatten", "--format", "markdown").output
    assert md.splitlines()[-1] == "| **10** | 10.00 | 11.00 |  |  |  |  |  |  |  |  |"


def test_several_maps_per_stage(net):
    result = run("run", "in.txt", "conv(bank.txt) | relu", "--format", "plain")
    assert result.output == (
        "# stage 1 · conv(bank.txt) · shape 2×2×2\n6.00\t-8.00\n-12.00\t14.00\n\n-6.00\t8.00\n12.00\t-14.00\n\n"
        "# stage 2 · relu · shape 2×2×2\n6.00\t0.00\n0.00\t14.00\n\n0.00\t8.00\n12.00\t0.00\n"
    )
    table = run("run", "in.txt", "conv(bank.txt)", "--format", "table").output
    assert "map 1" in table and "map 2" in table


def test_stage_option_prints_one_stage_ready_to_paste(net):
    assert run("run", "in.txt", CHAIN, "--stage", "2").output == "5.00\t5.00\n7.00\t9.00\n"
    assert run("run", "in.txt", CHAIN, "--stage", "5", "--target", "0").output == (
        "0.50\t0.50\n\n# loss (cross-entropy, target class 0): 0.6931\n# predicted class: 0\n"
    )
    data = json.loads(run("run", "in.txt", CHAIN, "--stage", "3", "--format", "json").output)
    assert data["stages"] == [JSON["stages"][2]] and data["output"] == [0.5, 0.5]
    table = run("run", "in.txt", CHAIN, "--stage", "2", "--format", "table").output
    assert table.startswith("stage 2 · maxpool(2, stride=1) · shape 2×2\n")
    assert "stage 1" not in table


def test_precision_and_rounding(net):
    (net / "thirds.txt").write_text("1 2\n")
    (net / "third.txt").write_text("0.3333333333333333 0.6666666666666666\n")
    out = run("run", "thirds.txt", "linear(third.txt)", "--format", "plain", "--precision", "3",
              "--round", "truncate").output
    assert out == "# stage 1 · linear(third.txt) · shape 1\n1.666\n\n# predicted class: 0\n"
    out = run("run", "thirds.txt", "linear(third.txt)", "--format", "plain", "--precision", "3",
              "--round", "half-up").output
    assert "1.667" in out


def test_output_file_takes_its_format_from_the_suffix(net):
    result = run("run", "in.txt", CHAIN, "--target", "1", "-o", "out/run.json")
    assert result.exit_code == 0 and result.output == ""
    assert json.loads((net / "out" / "run.json").read_text()) == JSON
    run("run", "in.txt", CHAIN, "--target", "1", "-o", "run.txt")
    assert (net / "run.txt").read_text() == PLAIN
    run("run", "in.txt", CHAIN, "--target", "1", "-o", "table.txt", "--format", "table")
    assert (net / "table.txt").read_text() == TABLE


def test_chinese(net):
    out = run("run", "in.txt", CHAIN, "--target", "1", "--lang", "zh").output
    assert out.startswith("# 第 1 步 · relu · 形状 3×3\n")
    assert out.endswith("# 损失（交叉熵，目标类别 1）：0.6931\n# 预测类别：0\n")
    table = run("run", "in.txt", "flatten", "--lang", "zh", "--format", "table").output
    assert table.splitlines()[1].split() == ["序号", "值"]


def test_stdin_input(net):
    out = run("run", "-", "relu", "--format", "plain", input="-1 2\n").output
    assert out == "# stage 1 · relu · shape 1×2\n0.00\t2.00\n"


def test_chain_from_a_file_with_paths_relative_to_it(net, monkeypatch):
    monkeypatch.chdir(ROOT)
    x = run("run", "samples/net/x.txt", "@samples/net/xo-net.txt", "--target", "0", "--format", "json")
    o = run("run", "samples/net/o.txt", "@samples/net/xo-net.txt", "--target", "1", "--format", "json")
    dx, do = json.loads(x.output), json.loads(o.output)
    assert [s["shape"] for s in dx["stages"]] == [[3, 7, 7], [3, 7, 7], [3, 4, 4], [48], [2], [2]]
    assert dx["prediction"] == 0 and do["prediction"] == 1
    assert dx["loss"] < 0.01 and do["loss"] < 0.01
    # the first map of the first stage is the seed's feature map (7/9 in the corner)
    assert dx["stages"][0]["output"][0][0][0] == pytest.approx(7 / 9, abs=1e-15)


@pytest.mark.parametrize(
    "args, message",
    [
        (["in.txt", "relu | maxpool(0)"],
         "Error: stage 2 'maxpool(0)' at character 16: size must be a positive integer (got 0)\n"),
        (["in.txt", "relu | conv(nope.txt)"],
         "Error: stage 2 'conv(nope.txt)' at character 13: nope.txt: no such file\n"),
        (["in.txt", "maxpool(2) | conv(bank.txt)"],
         ("Error: stage 2 'conv(bank.txt)' at character 14: the kernel (2×2, dilated extent 2×2) is larger "
         "than the padded input (1×1)\n")),
        (["in.txt", "relu", "--target", "0"],
         ("Error: --target needs a network that ends in a vector of class scores, but the last stage gives "
         "3×3: end with flatten | linear(...)\n")),
        (["in.txt", CHAIN, "--target", "2"],
         "Error: target must be a class index from 0 to 1 (2 classes; got 2)\n"),
        (["in.txt", CHAIN, "--target", "-1"],
         "Error: target must be a class index from 0 to 1 (2 classes; got -1)\n"),
        (["in.txt", CHAIN, "--stage", "6"], "Error: --stage 6 is out of range: the pipeline has 5 stages\n"),
        (["in.txt", ""], ("Error: the pipeline is empty: write stages separated by '|', "
         "e.g. conv(k1.txt) | relu | maxpool(2)\n")),
        (["nope.txt", "relu"], "Error: nope.txt: no such file\n"),
        (["in.txt", "@nope.txt"], "Error: nope.txt: no such file\n"),
    ],
)
def test_errors_are_one_line_and_exit_2(net, args, message):
    result = run("run", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message


def test_error_in_chinese(net):
    result = run("run", "in.txt", "relu | maxpool(0)", "--lang", "zh")
    assert result.stderr == "Error: 第 2 步 “maxpool(0)” 第 16 个字符处: size 必须是正整数（收到 0）\n"


# --------------------------------------------------------------------------- check/grade use any stage


def test_check_against_the_pooled_map_the_vector_and_the_probabilities(net, monkeypatch):
    """An assignment's `stages` chain: check compares the answer with its last stage."""
    monkeypatch.chdir(ROOT)
    folder = net
    for name in ("x.txt", "features.txt", "w.txt", "b.txt"):
        (folder / name).write_text((ROOT / "samples/net" / name).read_text())
    (folder / "k1.txt").write_text("1 -1 -1\n-1 1 -1\n-1 -1 1\n")
    (folder / "a.toml").write_text(
        'title = "stages"\n'
        '[[problem]]\nname = "pooled"\nimage = "x.txt"\nkernel = "k1.txt"\n'
        'stages = "conv(norm=mean) | relu | maxpool(2)"\n'
        '[[problem]]\nname = "flat"\nimage = "x.txt"\nkernel = "k1.txt"\n'
        'stages = "conv(norm=mean) | relu | maxpool(2) | flatten"\n'
        '[[problem]]\nname = "probs"\nimage = "x.txt"\nkernel = "features.txt"\n'
        'stages = "conv(norm=mean) | relu | maxpool(2, ceil_mode=true) | flatten | linear(w.txt, b.txt) | softmax"\n'
    )
    (folder / "answer.txt").write_text(
        "1.00 0.33 0.55\n0.33 1.00 0.33\n0.55 0.33 1.00\n\n"
        "1 0.33 0.56 0.33 1 0.33 0.56 0.33 1\n\n"
        "1.00 0.00\n"
    )
    result = run("check", str(folder / "answer.txt"), "--assignment", str(folder / "a.toml"), "--format", "json")
    data = json.loads(result.output)
    assert result.exit_code == 0, result.output
    assert [a["name"] for a in data["answers"]] == ["pooled", "flat", "probs"]
    assert data["correct"] is True
    (folder / "answer.txt").write_text(
        "1.00 0.33 0.55\n0.33 1.00 0.33\n0.55 0.33 1.00\n\n"
        "1 0.33 0.56 0.33 1 -0.33 0.56 0.33 1\n\n"
        "0.00 1.00\n"
    )
    result = run("check", str(folder / "answer.txt"), "--assignment", str(folder / "a.toml"), "--format", "json")
    data = json.loads(result.output)
    assert result.exit_code == 1
    assert next(a["score"] for a in data["answers"]) == 1.0
    assert [(w["row"], w["col"]) for w in data["answers"][1]["wrong"]] == [(1, 6)]
    assert data["answers"][2]["score"] == 0.0


# --------------------------------------------------------------------------- README


def _readme_examples() -> list[tuple[str, str]]:
    """(command, shown output) for each `$ cnncalc run|shape` of the README's "Whole networks"."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Whole networks", 1)[1].split("\n### ", 1)[0]
    examples = []
    for m in re.finditer(r"```sh\n\$ (cnncalc (?:run|shape) [^\n]+)\n(.*?)```(?:\n```\n(.*?)```)?", section, re.DOTALL):
        command, inline, shown = m.group(1), m.group(2), m.group(3)
        examples.append((command, inline if inline else shown))
    return examples


@pytest.mark.parametrize("command, shown", _readme_examples(), ids=lambda v: v[:40])
def test_readme_whole_networks_examples_are_true(command, shown, monkeypatch):
    import shlex

    monkeypatch.chdir(ROOT)
    result = run(*shlex.split(command)[1:])
    assert result.output == shown


def test_readme_has_the_whole_networks_examples():
    commands = [c for c, _ in _readme_examples()]
    assert len(commands) == 5
    assert any("--target" in c for c in commands) and any(c.startswith("cnncalc shape") for c in commands)
