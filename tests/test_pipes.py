"""Pipes are exact: cnncalc's plain text in a pipe carries every digit unless
--precision/--round is given, and '-' reads cnncalc's own JSON. The README's pipe
examples, run through a real shell pipe, give what one `run` gives."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from cnncalc.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
X, K1, K2 = "samples/xo/x.txt", "samples/xo/k1.txt", "samples/xo/k2.txt"
CNNCALC = f"{shlex.quote(sys.executable)} -m cnncalc"


def shell(command: str) -> str:
    """Run a shell line with `cnncalc` as this Python's cnncalc; its stdout (a pipe)."""
    line = re.sub(r"(?<![\w-])cnncalc ", CNNCALC + " ", command)
    done = subprocess.run(
        line, shell=True, cwd=ROOT, capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "LANG": "C.UTF-8"},
    )
    return done.stdout


def run_json(*args: str) -> np.ndarray:
    result = CliRunner().invoke(cli, ["run", *args, "--format", "json"], catch_exceptions=False)
    return np.array(json.loads(result.stdout)["output"], dtype=float)


def run_plain(*args: str) -> str:
    return CliRunner().invoke(cli, ["run", *args, "--format", "plain"]).stdout


def numbers(text: str) -> np.ndarray:
    return np.array([[float(t) for t in line.split()] for line in text.splitlines() if line.strip()])


def readme_pipes() -> list[tuple[str, str]]:
    """Every `$ cnncalc ... | cnncalc ... -` example of the README with its output."""
    found = re.findall(r"```sh\n\$ (cnncalc [^\n]*\| cnncalc [^\n]*)\n(.*?)```", README, re.DOTALL)
    assert len(found) == 2
    return found


def test_the_readme_pipe_examples_compute_what_run_computes():
    (conv_pool, shown_pool), (json_relu, shown_relu) = readme_pipes()
    chain = f"conv({K2}, norm=mean) | avgpool(3, stride=2)"
    exact = run_json(X, chain)
    # on a terminal the last command rounds: the README shows what run shows
    assert shown_pool == run_plain(X, chain, "--stage", "2")
    # through a real pipe every stage carries every digit: the same floats as run
    piped = shell(conv_pool)
    assert np.array_equal(numbers(piped), exact)
    relu = run_json(X, f"conv({K1}, norm=mean) | relu")
    assert shell(json_relu) == shown_relu
    assert np.array_equal(numbers(shell(json_relu.partition(" | head")[0])), relu)


def test_a_key_built_through_a_pipe_is_the_exact_key():
    # the case: 2-decimal text gave 0.16 where the exact mean pooling gives 0.17
    piped = shell(f"cnncalc conv {X} {K1} --norm mean --format plain"
                  " | cnncalc pool - --kind mean --size 2 --precision 2 --format plain")
    exact = run_plain(X, f"conv({K1}, norm=mean) | avgpool(2)", "--stage", "2")
    assert piped == exact and "0.17" in exact.splitlines()[0]


def test_one_stage_of_run_pipes_exactly_too():
    piped = shell(f"cnncalc run {X} 'conv({K1}, norm=mean)' --stage 1 --format plain"
                  " | cnncalc pool - --kind mean --size 2 --precision 2 --format plain")
    assert piped == run_plain(X, f"conv({K1}, norm=mean) | avgpool(2)", "--stage", "2")


def test_rounding_asked_for_or_a_file_keeps_the_rounded_layout(tmp_path):
    asked = shell(f"cnncalc conv {X} {K1} --norm mean --round truncate --format plain | head -1")
    assert asked == "0.77\t-0.11\t0.11\t0.33\t0.55\t-0.11\t0.33\n"
    out = tmp_path / "map.txt"
    shell(f"cnncalc conv {X} {K1} --norm mean --format plain > {shlex.quote(str(out))}")
    assert out.read_text().splitlines()[0] == "0.78\t-0.11\t0.11\t0.33\t0.56\t-0.11\t0.33"


def test_stdin_reads_cnncalcs_own_json():
    produced = CliRunner().invoke(cli, ["conv", X, K1, "--norm", "mean", "--format", "json"]).stdout
    result = CliRunner().invoke(cli, ["relu", "-", "--format", "plain"], input=produced)
    assert result.exit_code == 0, result.output
    assert result.stdout == run_plain(X, f"conv({K1}, norm=mean) | relu", "--stage", "2")
    run_out = CliRunner().invoke(cli, ["run", X, f"conv({K1}, norm=mean)", "--format", "json"]).stdout
    again = CliRunner().invoke(cli, ["relu", "-", "--format", "plain"], input=run_out)
    assert again.stdout == result.stdout
    broken = CliRunner().invoke(cli, ["relu", "-"], input='{"output": [[1, 2], [3]]}')
    assert broken.exit_code == 2 and broken.stderr.startswith("Error: <stdin>")
