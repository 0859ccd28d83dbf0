"""Packaging and tooling a maintainer would ship: the sdist carries what its tests
need, CI's Hypothesis profile is deterministic, the README documents exit codes and
shell completion and they are true."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncalc.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def tracked_files() -> list[str]:
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout (an unpacked sdist has no history to compare with)")
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [line for line in out.stdout.splitlines() if (ROOT / line).exists()]


def test_the_sdist_manifest_carries_every_tracked_file():
    """MANIFEST.in, processed the way setuptools' sdist processes it, takes every file
    of the checkout (tests, samples, docs, bench, .ci) except .gitignore."""
    filelist = pytest.importorskip("setuptools._distutils.filelist")
    files = filelist.FileList()
    here = os.getcwd()
    os.chdir(ROOT)  # templates are relative to the project root
    try:
        files.findall()
        for line in (ROOT / "MANIFEST.in").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                files.process_template_line(line)
    finally:
        os.chdir(here)
    taken = {Path(f).as_posix() for f in files.files}
    needed = [f for f in tracked_files() if not f.startswith("cnncalc/") and f not in (
        ".gitignore", "pyproject.toml", "MANIFEST.in")]
    assert [f for f in needed if f not in taken] == []
    assert not [f for f in taken if "__pycache__" in f or f.endswith(".pyc")]


def test_ci_hypothesis_profile_is_deterministic_without_deadline():
    from hypothesis import settings

    ci = settings.get_profile("ci")
    assert ci.derandomize is True and ci.deadline is None and ci.database is None
    probe = ("import sys; sys.path.insert(0, 'tests'); import conftest; "
             "from hypothesis import settings; print(settings.default.derandomize)")
    env = {**os.environ, "CI": "true"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    assert done.stdout == "True\n"


def test_shell_completion_as_the_readme_says():
    for shell in ("bash", "zsh", "fish"):
        assert f"_CNNCALC_COMPLETE={shell}_source cnncalc" in README
    script = CliRunner().invoke(cli, [], prog_name="cnncalc", env={"_CNNCALC_COMPLETE": "bash_source"})
    assert script.exit_code == 0 and "_cnncalc_completion" in script.output
    words = CliRunner().invoke(
        cli, [], prog_name="cnncalc",
        env={"_CNNCALC_COMPLETE": "bash_complete", "COMP_WORDS": "cnncalc tr", "COMP_CWORD": "1"},
    )
    assert words.output.split() == ["plain,train-step"]


def test_exit_codes_are_the_readmes(tmp_path, monkeypatch):
    table = README.split("| exit code | meaning |", 1)[1].split("\n\n", 1)[0]
    assert [row.split("|")[1].strip() for row in table.strip().splitlines()[1:]] == ["0", "1", "2", "130"]
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    right = tmp_path / "right.txt"
    right.write_text("1\n")
    assert runner.invoke(cli, ["check", str(right), "--expected", str(right)]).exit_code == 0
    assert runner.invoke(cli, ["check", "samples/xo/homework.txt", "--norm", "mean"]).exit_code == 1
    assert runner.invoke(cli, ["relu", "nope.txt"]).exit_code == 2
    graded = runner.invoke(cli, ["grade", "samples/xo/class", "--assignment", "samples/xo/assignment.toml",
                                 "--out", str(tmp_path / "out")])
    assert graded.exit_code == 0  # wrong answers in the class: still 0
    assert runner.invoke(cli, ["grade", "samples/xo/class", "--assignment", "nope.toml",
                               "--out", str(tmp_path / "o2")]).exit_code == 2
    from cnncalc.engine import ops

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ops, "relu", interrupted)
    assert runner.invoke(cli, ["relu", "samples/xo/x.txt"]).exit_code == 130
