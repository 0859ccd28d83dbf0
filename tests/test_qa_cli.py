"""QA: hostile input for conv, pool, relu, run, shape, train-step, explain, draw, animate.

The contract: bad input never gives a traceback but one ``Error:`` line on
stderr naming the file, line, column or parameter, and exit code 2. The Python
API refuses bad types with a ``CnncalcError`` carrying a sentence.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import cnncalc
from cnncalc.cli import cli
from cnncalc.errors import CnncalcError, LimitError, ParameterError

ROOT = Path(__file__).resolve().parent.parent
X = str(ROOT / "samples/xo/x.txt")
K1 = str(ROOT / "samples/xo/k1.txt")


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


def error_line(result) -> str:
    """The one ``Error:`` line of a refused command (exit code 2, nothing else)."""
    lines = result.stderr.splitlines()
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert result.stdout == ""
    return lines[0]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    out = {}
    for name, text in {
        "one.txt": "5\n",
        "k.txt": "1 1\n1 1\n",
        "huge.txt": "1e308 1e308\n1e308 1e308\n",
        "over.txt": "1 2\n3 1e309\n",
        "x.txt": "1 2\n3 4\n",
    }.items():
        (tmp_path / name).write_text(text)
        out[name] = str(tmp_path / name)
    return out


# --------------------------------------------------------------------------- numbers at the edge


def test_overflowing_conv_is_refused_without_numpy_warnings(files):
    line = error_line(run("conv", files["huge.txt"], files["k.txt"], "--format", "json"))
    assert line.startswith("Error: the result of conv2d overflows")
    assert "RuntimeWarning" not in line


def test_overflowing_sum_pool_is_refused(files):
    line = error_line(run("pool", files["huge.txt"], "--kind", "sum", "--size", "2"))
    assert line.startswith("Error: the result of pool2d overflows")


def test_max_pool_window_in_the_padding_stays_minus_infinity(files):
    # 2x2 input, window 2 dilated by 3, padding 1: its taps are -1 and 2, both padding
    result = run("pool", files["x.txt"], "--kind", "max", "--size", "2", "--padding", "1",
                 "--dilation", "3", "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout) == {"shape": [1, 1], "output": [["-inf"]]}


def test_huge_values_print_in_every_rounding_mode(files):
    for mode in ("half-even", "half-up", "truncate"):
        result = run("relu", files["huge.txt"], "--format", "plain", "--precision", "15", "--round", mode)
        assert result.exit_code == 0 and result.stderr == ""
        first = result.stdout.split("\t")[0]
        assert first.endswith("." + "0" * 15) and len(first) == 309 + 16


def test_number_beyond_float64_names_file_line_and_column(files):
    line = error_line(run("relu", files["over.txt"]))
    assert line == (
        f"Error: {files['over.txt']}:2:3: '1e309' is too large for a float64 number "
        '(at most about 1.8e308) (line: "3 1e309")'
    )


# --------------------------------------------------------------------------- arguments


def test_click_choice_errors_are_one_line(files):
    line = error_line(run("pool", files["x.txt"], "--size", "2"))
    assert line == "Error: Missing option '--kind'. Choose from: max, mean, sum, avg (cnncalc pool --help)"


def test_empty_file_names(files):
    assert error_line(run("relu", "")) == 'Error: "": no file name given'
    assert error_line(run("relu", files["x.txt"], "-o", "")) == "Error: -o needs a file name (got an empty one)"
    assert error_line(run("draw", files["x.txt"], "-o", "")) == "Error: -o needs a file name (got an empty one)"


def test_nul_in_output_name(files):
    line = error_line(run("relu", files["x.txt"], "-o", "a\x00b.txt"))
    assert line == "Error: an argument holds a NUL character, which no file name or option can hold ('a\\x00b.txt')"


def test_stdin_is_read_once(files):
    line = error_line(run("conv", "-", "-", input="1 2\n3 4\n"))
    assert line == "Error: only one input can be '-' (stdin is read once); give the other as a file"
    result = run("conv", "-", files["k.txt"], "--format", "plain", input="1 2\n3 4\n")
    assert result.output == "10.00\n"


def test_binary_and_empty_stdin(files):
    assert error_line(run("relu", "-", input=bytes(range(256)))) == "Error: <stdin>: looks like a binary file, not text"
    assert error_line(run("relu", "-", input=b"")) == "Error: <stdin>: the file holds no numbers"


def test_bias_file_error_names_the_option(files):
    line = error_line(run("conv", files["x.txt"], files["k.txt"], "--bias", "nope.txt"))
    assert line == "Error: Invalid value for '--bias': nope.txt: no such file (cnncalc conv --help)"


def test_animate_refuses_nan_fps(files, tmp_path):
    line = error_line(run("animate", files["x.txt"], files["one.txt"], "-o", str(tmp_path / "a.gif"), "--fps", "nan"))
    assert line == "Error: fps must be a number from 0.1 to 50 (got nan)"


def test_stage_text_with_a_newline_stays_on_one_line(files):
    line = error_line(run("run", files["x.txt"], "relu |\n| flatten"))
    assert line == "Error: stage 2 at character 7: empty stage: two '|' with nothing between them, or a '|' at an end"


def test_deep_json_is_an_error_not_a_crash(tmp_path):
    p = tmp_path / "deep.json"
    p.write_text("[" * 5000 + "]" * 5000)
    assert error_line(run("relu", str(p))) == f"Error: {p}: is not usable JSON (nested too deeply)"


# --------------------------------------------------------------------------- files as students write them


def test_notepad_utf16_fractions_through_conv(tmp_path):
    image = tmp_path / "x.txt"
    image.write_bytes("# 图像\r\n1 −1\r\n−1 1\r\n".encode("utf-16"))
    kernel = tmp_path / "k.txt"
    kernel.write_bytes("\\begin{bmatrix} 1/2 & 0 \\\\ 0 & \\frac{1}{2} \\end{bmatrix}".encode("gbk"))
    result = run("conv", str(image), str(kernel), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"shape": [1, 1], "output": [[1.0]]}


def test_every_option_at_once_matches_pytorch(tmp_path):
    """2 channels, a (2, 2, 2, 2) .npy weight, stride 2,1, padding 1,0 reflect, mean, a bias
    file, ReLU and a 2x2 max pool with stride 1 -- values from torch.nn.Conv2d (eighths)."""
    image = tmp_path / "x.txt"
    image.write_text("1 2 0 -1\n0 1 3 2\n2 -2 1 0\n\n0.5 0 1 1\n1 1 -1 0\n0 2 0 1\n")
    weight = tmp_path / "w.npy"
    np.save(weight, np.array([[[[1, 0], [0, -1]], [[2, 1], [0, 0]]], [[[0, 1], [1, 0]], [[-1, 0], [0, 1]]]], float))
    bias = tmp_path / "b.txt"
    bias.write_text("0.5 -0.5\n")
    args = ["conv", image, weight, "--stride", "2,1", "--padding", "1,0", "--padding-mode", "reflect",
            "--norm", "mean", "--bias", bias, "--format", "json"]
    out = json.loads(run(*args).stdout)
    assert out == {"shape": [2, 2, 3], "output": [[[0.625, 0.75, 0.75], [1.125, 0.625, 0.625]],
                                                  [[-0.375, 0.125, 0.0], [0.0, -0.5, 0.125]]]}
    out = json.loads(run(*args, "--relu", "--pool", "max:2:1").stdout)
    assert out == {"shape": [2, 1, 2], "output": [[[1.125, 0.75]], [[0.125, 0.125]]]}


# --------------------------------------------------------------------------- the Python API


@pytest.mark.parametrize(
    "call, key",
    [
        (lambda: cnncalc.leaky_relu(np.ones(2), "a"), "param.bad_number"),
        (lambda: cnncalc.leaky_relu(np.ones(2), float("nan")), "param.nonfinite"),
        (lambda: cnncalc.softmax(np.ones((2, 2)), axis=5), "param.axis"),
        (lambda: cnncalc.softmax(np.ones(2), axis="a"), "param.axis"),
        (lambda: cnncalc.conv2d(np.eye(3), np.eye(2), flip="no"), "param.bool"),
        (lambda: cnncalc.conv2d(np.eye(3) + 1j, np.eye(2)), "param.real"),
        (lambda: cnncalc.conv2d(np.eye(3), None), "param.bad_number"),
        (lambda: cnncalc.relu(None), "param.bad_number"),
        (lambda: cnncalc.pool2d(np.eye(3), kind=[], size=2), "param.choice"),
        (lambda: cnncalc.pool2d(np.eye(3), kind="max", size=2, ceil_mode="x"), "param.bool"),
        (lambda: cnncalc.linear(np.full(2, 1e308), np.ones((1, 2))), "param.overflow"),
        (lambda: cnncalc.mse(np.full(2, 1e308), -np.full(2, 1e308)), "param.overflow"),
        (lambda: cnncalc.read_matrix(None), "read.bad_path"),
        (lambda: cnncalc.parse_pipeline(None), "param.text"),
        (lambda: cnncalc.run_pipeline("abc", cnncalc.parse_pipeline("relu")), "param.bad_number"),
        (lambda: cnncalc.run_pipeline(np.eye(2), None), "param.stages"),
        (lambda: cnncalc.shape_summary(None, "relu"), "shape.bad_input"),
        (lambda: cnncalc.explain_cell(np.eye(3), np.eye(2), row="a", col=1), "param.int_or_pair"),
        (lambda: cnncalc.check_answer("0.5", np.eye(2)), "param.answer_grids"),
        (lambda: cnncalc.check_answer(cnncalc.read_grids(X), None), "param.expected_dims"),
    ],
)
def test_api_bad_types_raise_cnncalc_errors(call, key):
    with pytest.raises(CnncalcError) as info:
        call()
    assert info.value.key == key
    assert str(info.value)[0].isalpha() and "{" not in str(info.value)  # a filled-in sentence


def test_api_overflow_is_a_limit_error_and_valid_values_pass():
    with pytest.raises(LimitError):
        cnncalc.conv2d(np.full((2, 2), 1e308), np.ones((2, 2)))
    assert cnncalc.conv2d(np.full((2, 2), 1e308), np.full((2, 2), 0.25)).tolist() == [[1e308]]
    assert cnncalc.leaky_relu(np.array([-2.0]), 1).tolist() == [-2.0]
    assert cnncalc.softmax(np.array([[0.0, 0.0]]), axis=-2).tolist() == [[1.0, 1.0]]
    with pytest.raises(ParameterError):
        cnncalc.softmax(np.array([[0.0, 0.0]]), axis=True)


# --------------------------------------------------------------------------- where output goes


def test_output_to_a_fifo_is_written_in_place_not_replaced(files, tmp_path):
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = run("relu", files["x.txt"], "-o", str(fifo), "--format", "csv")
    reader.join(timeout=10)
    assert result.exit_code == 0
    assert got == [b"1.00,2.00\n3.00,4.00\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # a rename would have made it a plain file


def test_output_through_a_symlink_keeps_the_link(files, tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old\n")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert run("relu", files["x.txt"], "-o", str(link), "--format", "plain").exit_code == 0
    assert link.is_symlink() and target.read_text() == "1.00\t2.00\n3.00\t4.00\n"


def test_closed_stdout_is_an_error_line(files, monkeypatch):
    from cnncalc.show import console as output

    monkeypatch.setattr(output.sys, "stdout", None)
    with pytest.raises(CnncalcError) as info:
        output.write_stdout("1\n")
    assert str(info.value) == "cannot write stdout: closed"


def test_draw_huge_values(files, tmp_path):
    result = run("draw", files["huge.txt"], "-o", str(tmp_path / "h.png"))
    assert result.exit_code == 0 and result.stderr.startswith("wrote ")


def test_unclosed_bracket_points_at_the_bracket_left_open(files):
    # a full-width '（' typed after relu swallows the rest of the chain
    line = error_line(run("shape", "1x8x8", "conv(6, 3) | relu（ | maxpool(2) | flatten"))
    assert line == "Error: stage 2 'relu(' at character 18: a bracket is never closed: ')' is missing"


def test_train_steps_are_capped():
    root = Path(__file__).resolve().parent.parent / "samples/train"
    line = error_line(run("train-step", root / "x.txt", f"@{root / 'net.txt'}", "--target", "0",
                          "--optimizer", "sgd", "--lr", "0.1", "--steps", "1000000000"))
    assert line == "Error: steps must be at most 10,000 (got 1,000,000,000)"


def test_os_errors_name_the_path(files, tmp_path, monkeypatch):
    import cnncalc.draw.heatmap as pictures

    def refuse(*args, **kwargs):  # as an --frames folder that cannot be made
        raise PermissionError(13, "Permission denied", str(tmp_path / "frames"))

    monkeypatch.setattr(pictures, "animate_conv", refuse)
    line = error_line(run("animate", files["x.txt"], files["one.txt"], "-o", str(tmp_path / "a.gif")))
    assert line == f"Error: {tmp_path / 'frames'}: Permission denied"


def test_no_command_shows_the_help_and_one_error_line():
    result = run()
    assert result.exit_code == 2
    assert result.stdout.startswith("Usage: ") and "Commands:" in result.stdout
    assert result.stderr == "Error: give a command, e.g. cnncalc conv IMAGE KERNEL (the commands are listed above)\n"


def test_version_works_from_a_checkout():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout == f"cnncalc {cnncalc.__version__}\n"


def test_table_output_into_a_closed_pipe_exits_0(tmp_path):
    import os
    import subprocess
    import sys

    big = tmp_path / "big.txt"
    big.write_text("\n".join(" ".join("1" for _ in range(60)) for _ in range(300)) + "\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "cnncalc", "run", str(big), "relu", "--format", "table"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stdout.read(10)
    proc.stdout.close()  # as `| head -c 10` does
    assert proc.wait(timeout=60) == 0  # rich alone exits 1, which means "wrong cells"
    assert proc.stderr is not None and proc.stderr.read() == b""
