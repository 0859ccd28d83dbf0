"""Docs that cannot drift: README's two set-up commands, CI, help for every command."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from cnncalc.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def sh_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)]


def test_readme_starts_with_install_and_run_then_install_and_test():
    first, second = sh_blocks(README)[:2]
    assert "pip install ." in first and "cnncalc conv samples/xo/x.txt samples/xo/k1.txt" in first
    assert 'pip install ".[test]"' in second and second.endswith("python -m pytest")


def test_ci_installs_and_tests_the_readme_way():
    assert 'pip install --quiet ".[test]"' in CI
    assert "-m venv" in CI
    assert CI.rstrip().endswith("python -m pytest")


def test_readme_output_of_the_first_command_is_true():
    from click.testing import CliRunner

    first = sh_blocks(README)[0]
    args = first.split(".venv/bin/cnncalc ", 1)[1].split()
    shown = re.search(r"```\n(0\.77.*?)```", README, flags=re.DOTALL).group(1)
    assert CliRunner().invoke(cli, args).output == shown


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_in_the_readme(name):
    command = cli.commands[name]
    assert command.help and len(command.help) > 20
    assert f"cnncalc {name}" in README
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden and param.name != "help":
            assert param.help or param.type.name in ("choice", "boolean"), f"{name} --{param.name}"


def test_changelog_keeps_a_changelog_form():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text and "### Added" in text


def test_package_all_lists_every_lazy_export():
    import cnncalc

    assert sorted(cnncalc.__all__) == sorted(cnncalc._EXPORTS)
    for name in cnncalc.__all__:
        assert getattr(cnncalc, name) is not None
