"""The Python API: results show in Jupyter as the CLI's Markdown, a wrong-shaped
answer says why, and the README's API snippet runs as written from the checkout."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cnncalc import check_answer, conv2d, explain_cell, read_grids, read_matrix
from cnncalc.cli import cli

ROOT = Path(__file__).resolve().parent.parent
X, K1 = ROOT / "samples/xo/x.txt", ROOT / "samples/xo/k1.txt"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def cli_markdown(*args: str) -> str:
    return CliRunner().invoke(cli, [*args, "--format", "markdown"]).stdout


def test_an_answer_shows_as_checks_markdown():
    x, k = read_matrix(X), read_matrix(K1)
    result = check_answer(read_grids(ROOT / "samples/xo/answer.txt"), conv2d(x, k, norm="mean"))
    shown = result._repr_markdown_()
    assert shown.startswith("### 12 of 49 cells wrong\n")
    cli = cli_markdown("check", str(ROOT / "samples/xo/answer.txt"), "--image", str(X),
                       "--kernel", str(K1), "--norm", "mean")
    # the same table and sentences as `check --format markdown`, under the same verdict
    assert shown.split("\n", 1)[1] == cli.split("\n", 1)[1].rstrip("\n")


def test_an_explanation_shows_as_explains_markdown():
    e = explain_cell(read_matrix(X), read_matrix(K1), row=1, col=1, norm="mean")
    cli = cli_markdown("explain", str(X), str(K1), "--at", "1,1", "--norm", "mean")
    assert e._repr_markdown_() == cli.rstrip("\n")


def test_a_training_result_shows_as_train_steps_markdown():
    from cnncalc.net.pipeline import parse_pipeline

    cli = cli_markdown("train-step", str(ROOT / "samples/train/x.txt"),
                       "@" + str(ROOT / "samples/train/net.txt"),
                       "--target", "0", "--optimizer", "sgd", "--lr", "0.1")
    from cnncalc.cli.networks import read_chain  # the CLI's reading of @FILE
    from cnncalc.train.optim import make_optimizer
    from cnncalc.train.step import train_network

    chain, base = read_chain("@" + str(ROOT / "samples/train/net.txt"))
    stages = parse_pipeline(chain, base_dir=base)
    result = train_network(read_matrix(ROOT / "samples/train/x.txt"), stages, target=0,
                           optimizer=make_optimizer("sgd", lr=0.1))
    assert result._repr_markdown_().rstrip("\n") == cli.rstrip("\n")


def test_a_wrong_shaped_answer_says_why():
    x, k = read_matrix(X), read_matrix(K1)
    result = check_answer(read_grids(K1), conv2d(x, k, norm="mean"))
    assert result.shape_ok is False
    assert result.to_json()["reason"] == (
        "The answer is 3×3, but the result is 7×7. The values match no usual mistake: "
        "recompute the map with this problem's settings."
    )
    assert result.reasons("zh") and "7×7" in result.reasons("zh")[0]
    right = check_answer(read_grids(ROOT / "samples/xo/answer.txt"), conv2d(x, k, norm="mean"))
    assert "reason" not in right.to_json()


def test_the_readme_api_snippets_run_as_written():
    snippets = re.findall(r"```python\n(.*?)```", README, re.DOTALL)
    assert len(snippets) == 2
    checks = "\nprint(result.diagnosis, len(result.wrong), explain_cell(x, k, row=1, col=1, norm='mean').sum)\n"
    for snippet, probe, shown in [
        (snippets[0], checks, "['sign'] 12 7.0\n"),
        (snippets[1], "\nprint(pooled.tolist())\n", ("[[1.0, 0.3333333333333333, 0.5555555555555556], "
         "[0.3333333333333333, 1.0, 0.3333333333333333], [0.5555555555555556, 0.3333333333333333, 1.0]]\n")),
    ]:
        done = subprocess.run([sys.executable, "-c", snippet + probe], check=False, cwd=ROOT,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert done.stdout == shown
