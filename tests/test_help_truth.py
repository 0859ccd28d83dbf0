"""--help says what the commands do: formats they write, defaults they use,
summaries that are not cut, words in the user's language (click's own too)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from cnncalc import messages
from cnncalc.cli import SHORT_HELP, cli, clicki18n
from cnncalc.cli.checking import CHECK_FORMATS


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "80", **(env or {})}, prog_name="cnncalc")


def format_choices(name: str) -> tuple[str, ...]:
    (param,) = [p for p in cli.commands[name].params if p.name == "fmt"]
    return tuple(param.type.choices)


@pytest.mark.parametrize("name", ["check", "explain"])
def test_check_and_explain_list_only_the_formats_they_write(name):
    assert format_choices(name) == CHECK_FORMATS
    assert "[table|plain|json|markdown]" in run(name, "--help").output


def test_unknown_output_suffix_is_refused(tmp_path):
    out = tmp_path / "out.xlsx"
    result = run("conv", "samples/xo/x.txt", "samples/xo/k1.txt", "-o", str(out))
    assert result.exit_code == 2 and not out.exists()
    assert result.output.startswith(f"Error: -o {out}: this command does not write .xlsx files")


def test_shape_has_no_precision_and_says_biases_count():
    text = run("shape", "--help").output
    assert "--precision" not in text and "--round" not in text
    assert "each bias counts once per output cell" in " ".join(text.split())
    plain = run("shape", "1x8x8", "conv(2, 3)", "--format", "plain")
    hidden = run("shape", "1x8x8", "conv(2, 3)", "--format", "plain", "--precision", "3")
    assert hidden.exit_code == 0 and hidden.stdout == plain.stdout
    assert plain.stderr == ""
    assert hidden.stderr == (
        "note: shape shows whole numbers only; --precision and --round do nothing "
        "and will be removed in the next release\n"
    )


def test_check_refuses_an_output_suffix_it_does_not_write(tmp_path):
    out = tmp_path / "out.csv"
    result = run("check", "samples/xo/homework.txt", "-o", str(out))
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr == (
        f"Error: -o {out}: this command does not write .csv files; "
        "use .json .markdown .md .txt or --format\n"
    )


def test_train_step_help_shows_its_real_default_precision():
    assert "[default: 4; 0<=x<=15]" in run("train-step", "--help").output


def test_command_list_is_not_cut():
    text = run("--help").output
    commands = text.split("Commands:\n", 1)[1]
    assert "..." not in commands
    assert set(SHORT_HELP) == set(cli.commands)
    assert all(len(line) <= 45 for line in SHORT_HELP.values())


def test_no_seed_jargon_in_help():
    """The course notes are "the seed" only to the developers; ``make``'s random ``seed`` is a real setting."""
    for name in cli.commands:
        text = run(name, "--help").output.replace("assignment's `seed`", "")
        assert "seed" not in text, name


def test_no_plural_in_parentheses_in_messages():
    for key, entry in messages.MESSAGES.items():
        assert "(s)" not in entry["en"], key


def test_one_submission_is_singular():
    assert messages.text("grade.score_line", "en", count=1, mean=1, median=1, min=1, max=1,
                         max_score=1).startswith("1 submission:")


@pytest.mark.parametrize(
    "env,lang",
    [
        ({"LANGUAGE": "fr:zh_CN:en", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LANGUAGE": "de", "LANG": "zh_CN.UTF-8"}, "en"),  # as gettext: LANGUAGE alone decides
        ({"LANGUAGE": "", "LC_ALL": "", "LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LC_ALL": "C"}, "en"),
    ],
)
def test_language_is_found_as_gettext_finds_it(env, lang):
    assert messages.default_lang(env) == lang


def test_clicks_own_words_in_chinese():
    result = run("--lang", "zh", "conv", "samples/xo/x.txt")
    assert result.exit_code == 2
    assert result.output == "Error: 缺少参数 'KERNEL'. (cnncalc conv --help)\n"
    text = run("--lang", "zh", "relu", "--help").output
    # (the --help option's own line is made once per process, before --lang is read)
    assert text.startswith("用法: cnncalc relu") and "\n选项:\n" in text
    from cnncalc.cli import STATE

    STATE.lang = "en"  # one process, one invocation: --lang is not undone by itself
    assert run("relu", "--help").output.startswith("Usage: cnncalc relu")  # English again


def test_catalogue_keeps_clicks_fields():
    fields = re.compile(r"{(\w+)")
    for msgid, zh in clicki18n.CLICK_ZH.items():
        assert fields.findall(msgid) == fields.findall(zh), msgid
