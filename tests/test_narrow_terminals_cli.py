"""Narrow terminals, end to end: the bundled samples' commands run on a real
pseudo-terminal of 40, 60, 80 and 120 columns (COLUMNS set, the window size set),
in English and Chinese. Every number of the full-precision result (the commands'
own JSON, rounded as the terminal shows it) is read back from the screen, no line
is wider than the terminal, and no number is cut to "…"."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter

import numpy as np
import pytest
from click.testing import CliRunner
from test_narrow_terminals import as_grid, clean, grids, numbers, widest_line

from cnncalc.cli import cli
from cnncalc.numfmt import format_values

pty = pytest.importorskip("pty")

SEPARATOR = "=== next command ==="
DRIVER = f"""
import json, sys
from cnncalc.cli import cli
for args in json.loads(sys.argv[1]):
    try:
        cli.main(args, prog_name="cnncalc", standalone_mode=False)
    except SystemExit:
        pass
    except Exception as exc:  # a click usage error or similar: shown, then the next
        print("DRIVER", type(exc).__name__, exc)
    sys.stdout.flush()
    print({SEPARATOR!r}, flush=True)
"""
TRANSPOSE = ["conv-transpose", "samples/transpose/x.txt", "samples/transpose/k.txt", "--stride", "2"]
COMMANDS = {
    "conv": ["conv", "samples/xo/x.txt", "samples/net/features.txt", "--norm", "mean", "--precision", "6"],
    "transpose": TRANSPOSE,
    "transpose-explain": TRANSPOSE[:3] + ["--explain", "2,2"],
    "check": ["check", "samples/xo/homework.txt", "--norm", "mean"],
    "explain": ["explain", "samples/xo/x.txt", "samples/xo/k1.txt", "--at", "3,3", "--norm", "mean",
                "--padding", "1"],
    "run": ["run", "samples/xo/x.txt", "conv(samples/xo/k1.txt, norm=mean) | relu | maxpool(2)",
            "--round", "truncate"],
    "net": ["run", "samples/net/o.txt", "@samples/net/xo-net.txt", "--target", "1", "--precision", "6"],
    "train": ["train-step", "samples/train/x.txt", "@samples/train/net.txt", "--target", "0",
              "--optimizer", "sgd", "--lr", "0.1", "--explain", "1:1,2"],
    "shape": ["shape", "1x28x28", ("conv(16, 3, stride=2, padding=1) | relu "
                                   "| conv_transpose(16, 3, stride=2, padding=1, output_padding=1) | sigmoid")],
}


def on_terminal(width: int, commands: list[list[str]]) -> list[str]:
    """What each command shows on a pseudo-terminal ``width`` columns wide."""
    import fcntl
    import select
    import struct
    import termios

    env = dict(os.environ, COLUMNS=str(width), LINES="50", TERM="xterm-256color")
    env.pop("NO_COLOR", None)  # colours on, as a student sees them
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of the given size, the driver reading the commands
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, width, 0, 0))
        os.execve(sys.executable, [sys.executable, "-c", DRIVER, json.dumps(commands)], env)
    data = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        data += chunk
    os.waitpid(pid, 0)
    shown = clean(data.decode("utf-8", "replace"))
    parts = shown.split(SEPARATOR + "\n")
    assert len(parts) == len(commands) + 1, shown[-2000:]
    return parts[:-1]


def _json(args: list[str]) -> dict:
    return json.loads(CliRunner().invoke(cli, args + ["--format", "json"]).output)


def _plain(args: list[str]) -> str:
    return CliRunner().invoke(cli, args + ["--format", "plain"]).output


def expected_maps(lang: str) -> dict[str, list]:
    """The grids each command must show whole: its full-precision JSON, rounded."""
    conv = _json(COMMANDS["conv"])["output"]
    run = _json(COMMANDS["run"])["stages"]
    return {
        "conv": [format_values(np.array(m), 6, "half-even") for m in conv],
        "transpose": [format_values(np.array(_json(TRANSPOSE)["output"]), 2, "half-even")],
        "run": [format_values(np.array(s["output"]), 2, "truncate") for s in run],
        "net": [format_values(np.array(m), 6, "half-even")
                for s in _json(COMMANDS["net"])["stages"] if np.ndim(s["output"]) == 3
                for m in s["output"]],
    }


@pytest.fixture(scope="module")
def screens() -> dict[tuple[int, str], dict[str, str]]:
    out = {}
    for lang, widths in (("en", (40, 60, 80, 120)), ("zh", (40, 80))):
        for width in widths:
            names = list(COMMANDS)
            shown = on_terminal(width, [["--lang", lang, *COMMANDS[n]] for n in names])
            out[width, lang] = dict(zip(names, shown))
    return out


CASES = [(w, "en") for w in (40, 60, 80, 120)] + [(w, "zh") for w in (40, 80)]


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_no_line_is_wider_than_the_terminal_and_nothing_is_cut(screens, width, lang):
    for name, text in screens[width, lang].items():
        assert "DRIVER" not in text, text
        assert "…" not in text, (name, text)
        assert widest_line(text) <= width, (name, text)


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_every_map_is_read_back_whole_in_its_rows_and_columns(screens, width, lang):
    for name, maps in expected_maps(lang).items():
        shown = grids(screens[width, lang][name])
        assert shown == [as_grid(m) for m in maps], name


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_every_number_of_the_plain_report_is_on_the_screen(screens, width, lang):
    # plain text (what a pipe gets) lists every number of check, explain, train-step,
    # shape and conv-transpose --explain; the terminal must show each of them whole
    for name in ("check", "explain", "train", "shape", "transpose-explain"):
        plain = _plain(["--lang", lang, *COMMANDS[name]])
        if name == "shape":
            plain = "\n".join("\t".join(line.split("\t")[1:]) for line in plain.splitlines()[1:])
        if name == "train":
            plain = "\n".join(line for line in plain.splitlines() if not line.startswith("#"))
        missing = numbers(plain) - numbers(screens[width, lang][name])
        assert not missing, (name, missing)


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_check_keeps_its_arrows_and_key(screens, width, lang):
    text = screens[width, lang]["check"]
    wrong = sum(len(a["wrong"]) for a in _json(COMMANDS["check"])["answers"])
    key = {"en": "a → b: a was written", "zh": "a → b：写的是 a"}[lang]
    assert text.count(key) == 3
    assert text.count("→") == wrong + 3


def test_the_net_shows_its_loss_and_every_probability(screens):
    from cnncalc.numfmt import format_value

    doc = _json(COMMANDS["net"])
    values = Counter(format_values(np.array(doc["output"]), 6, "half-even").tolist())
    values[format_value(doc["loss"], 6, "half-even")] += 1
    for shown in screens.values():
        assert numbers(shown["net"]) >= values


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_wrapped_lines_keep_their_indent(screens, width, lang):
    # conv-transpose --explain: a line too long goes on under itself, four spaces deeper
    # (deeper than the lines listed under the heading); joined back, the screen's lines
    # are the plain text's lines
    plain = _plain(["--lang", lang, *COMMANDS["transpose-explain"]]).splitlines()
    lines = screens[width, lang]["transpose-explain"].splitlines()
    joined: list[str] = []
    base = 0
    for line in lines:
        depth = len(line) - len(line.lstrip())
        if joined and line.strip() and depth == base + 4:
            wide = lang == "zh" and ord(line.lstrip()[0]) > 0x2E80  # no space before a Chinese word
            joined[-1] += ("" if wide else " ") + line.strip()
        else:
            joined.append(line.rstrip())
            base = depth
    assert joined == plain
    if width == 40:
        assert len(lines) > len(plain)  # some did wrap
