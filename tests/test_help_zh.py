"""``--lang zh`` gives the help of every command in Chinese (issue 12, point 6)."""

from __future__ import annotations

import click
from click.testing import CliRunner

from cnncalc.cli import SHORT_HELP, cli
from cnncalc.messages.helpzh import HELP_ZH


def help_texts() -> list[str]:
    texts = [cli.help or ""]
    for param in cli.params:
        if isinstance(param, click.Option) and param.help:
            texts.append(param.help)
    for command in cli.commands.values():
        texts += [command.help or "", command.short_help or ""]
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden and param.help:
                texts.append(param.help)
    return [t for t in texts if t]


def test_every_help_text_has_its_chinese():
    assert [t for t in help_texts() if t not in HELP_ZH] == []


def test_translations_keep_commands_and_examples():
    """Example lines (``cnncalc ...``) and the ``\\b`` markers stay as they are."""
    for english, chinese in HELP_ZH.items():
        examples = [line.strip() for line in english.splitlines() if line.strip().startswith("cnncalc ")]
        assert all(e in chinese for e in examples), english
        assert english.count("\b") == chinese.count("\b"), english


def test_conv_help_in_chinese_then_english_again():
    zh = CliRunner().invoke(cli, ["--lang", "zh", "conv", "--help"])
    assert zh.exit_code == 0
    assert "用法:" in zh.output and "选项" in zh.output
    stride_zh = HELP_ZH[next(p.help for p in cli.commands["conv"].params if p.name == "stride")]
    assert stride_zh[:4] in zh.output
    assert "Convolve IMAGE" not in zh.output
    en = CliRunner().invoke(cli, ["--lang", "en", "conv", "--help"])
    assert "Convolve IMAGE" in en.output and "INT or H,W" in en.output


def test_command_list_in_chinese():
    out = CliRunner().invoke(cli, ["--lang", "zh", "--help"]).output
    assert HELP_ZH[SHORT_HELP["conv"]] in out
    assert SHORT_HELP["conv"] not in out


def test_the_help_option_and_suggestions_in_chinese():
    top = CliRunner().invoke(cli, ["--lang", "zh", "--help"]).output
    assert "-h, --help      显示本帮助并退出。" in top
    assert "Show this message" not in top
    assert "LANGUAGE、LC_ALL、LC_MESSAGES 或 LANG" in top
    conv = CliRunner().invoke(cli, ["--lang", "zh", "conv", "--help"]).output
    assert "显示本帮助并退出。" in conv and "Show this message" not in conv
    typo = CliRunner().invoke(cli, ["--lang", "zh", "conv", "--helpp"])
    assert typo.exit_code == 2
    # click 8.3+ words it "No such option '--helpp'. (Did you mean one of: ...?)", click 8.2
    # "No such option: --helpp (Possible options: ...)": both in Chinese
    assert ("没有选项 '--helpp'。" in typo.output and "（是不是想用其中之一：'--flip', '--help', '--relu'？）"
            in typo.output) or ("没有选项：--helpp" in typo.output and "（可用的选项：--flip, --help, --relu）"
                                in typo.output), typo.output
    assert "Did you mean" not in typo.output and "Possible options" not in typo.output
    # and English stays English afterwards
    en = CliRunner().invoke(cli, ["--lang", "en", "--help"]).output
    assert "-h, --help      Show this message and exit." in en
    assert "LC_MESSAGES" in en
