"""Exact output of `conv`, `pool` and `relu` in every format, and their errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnncalc.cli import cli

ROOT = Path(__file__).resolve().parent.parent
X = str(ROOT / "samples/xo/x.txt")
K1 = str(ROOT / "samples/xo/k1.txt")
K2 = str(ROOT / "samples/xo/k2.txt")
MALFORMED = sorted((ROOT / "tests/malformed").iterdir())

SEED_MAP_TRUNCATED = (
    "0.77\t-0.11\t0.11\t0.33\t0.55\t-0.11\t0.33\n"
    "-0.11\t1.00\t-0.11\t0.33\t-0.11\t0.11\t-0.11\n"
    "0.11\t-0.11\t1.00\t-0.33\t0.11\t-0.11\t0.55\n"
    "0.33\t0.33\t-0.33\t0.55\t-0.33\t0.33\t0.33\n"
    "0.55\t-0.11\t0.11\t-0.33\t1.00\t-0.11\t0.11\n"
    "-0.11\t0.11\t-0.11\t0.33\t-0.11\t1.00\t-0.11\n"
    "0.33\t-0.11\t0.55\t0.33\t0.11\t-0.11\t0.77\n"
)


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def small(tmp_path: Path) -> tuple[str, str]:
    """A 3x3 image 10*i + j and a 2x2 kernel, easy to check by hand."""
    image = tmp_path / "img.txt"
    image.write_text("0 1 2\n10 11 12\n20 21 22\n")
    kernel = tmp_path / "k.txt"
    kernel.write_text("1 0\n0 -1\n")
    return str(image), str(kernel)


def test_seed_map_plain_truncated_matches_the_notes():
    result = run("conv", X, K1, "--norm", "mean", "--round", "truncate", "--format", "plain")
    assert result.exit_code == 0
    assert result.output == SEED_MAP_TRUNCATED


def test_piped_output_defaults_to_plain():
    result = run("conv", X, K1, "--norm", "mean", "--round", "truncate")
    assert result.output == SEED_MAP_TRUNCATED


def test_half_up_rounds_seven_ninths_up():
    result = run("conv", X, K1, "--norm", "mean", "--round", "half-up", "--format", "plain")
    assert result.output.splitlines()[0] == "0.78\t-0.11\t0.11\t0.33\t0.56\t-0.11\t0.33"


@pytest.mark.parametrize(
    "fmt, expected",
    [
        ("plain", "-11.00\t-11.00\n-11.00\t-11.00\n"),
        ("tsv", "-11.00\t-11.00\n-11.00\t-11.00\n"),
        ("csv", "-11.00,-11.00\n-11.00,-11.00\n"),
        (
            "markdown",
            "|   | 1 | 2 |\n|---|---:|---:|\n| **1** | -11.00 | -11.00 |\n| **2** | -11.00 | -11.00 |\n",
        ),
        ("latex", "\\begin{bmatrix}\n-11.00 & -11.00 \\\\\n-11.00 & -11.00\n\\end{bmatrix}\n"),
        ("json", '{\n  "shape": [2, 2],\n  "output": [\n    [-11.0, -11.0],\n    [-11.0, -11.0]\n  ]\n}\n'),
    ],
)
def test_every_format_exactly(small, fmt, expected):
    image, kernel = small
    # window at (1,1): 0*1 + 11*(-1) = -11; every window differs by the same 11
    result = run("conv", image, kernel, "--format", fmt)
    assert result.exit_code == 0
    assert result.output == expected


def test_table_format_has_labels_and_title(small):
    image, kernel = small
    result = run("conv", image, kernel, "--format", "table", "--no-color", "--precision", "1")
    lines = [line.rstrip() for line in result.output.splitlines()]
    assert lines[0].strip() == "shape 2×2"
    assert lines[1].split() == ["1", "2"]
    assert lines[3].split() == ["1", "-11.0", "-11.0"]
    assert lines[4].split() == ["2", "-11.0", "-11.0"]


def test_bank_of_two_filters_gives_two_maps(tmp_path):
    image = tmp_path / "img.txt"
    image.write_text("1 2\n3 4\n")
    bank = tmp_path / "bank.txt"
    bank.write_text("1\n\n-2\n")
    result = run("conv", str(image), str(bank), "--format", "plain", "--precision", "0")
    assert result.output == "1\t2\n3\t4\n\n-2\t-4\n-6\t-8\n"
    data = json.loads(run("conv", str(image), str(bank), "--format", "json").output)
    assert data["shape"] == [2, 2, 2]


def test_two_channel_image_with_two_block_kernel_is_one_filter(tmp_path):
    image = tmp_path / "img.txt"
    image.write_text("1 2\n3 4\n\n10 20\n30 40\n")
    kernel = tmp_path / "k.txt"
    kernel.write_text("1\n\n1\n")
    result = run("conv", str(image), str(kernel), "--format", "plain", "--precision", "0")
    assert result.output == "11\t22\n33\t44\n"
    mean = run("conv", str(image), str(kernel), "--norm", "mean", "--format", "plain", "--precision", "1")
    assert mean.output == "5.5\t11.0\n16.5\t22.0\n"


def test_stride_padding_dilation_bias_flip(small):
    image, kernel = small
    padded = run("conv", image, kernel, "--padding", "1", "--stride", "2", "--format", "plain", "--precision", "0")
    # padded 5x5; windows at rows/cols 0 and 2 of the padded image
    assert padded.output == "0\t-2\n-20\t-11\n"
    flipped = run("conv", image, kernel, "--flip", "--bias", "0.5", "--format", "plain", "--precision", "1")
    assert flipped.output == "11.5\t11.5\n11.5\t11.5\n"
    dilated = run("conv", image, kernel, "--dilation", "2", "--format", "plain", "--precision", "0")
    assert dilated.output == "-22\n"


def test_relu_and_pool_after_conv():
    result = run("conv", X, K1, "--norm", "mean", "--relu", "--pool", "max:2", "--format", "plain")
    assert result.output == "1.00\t0.33\t0.56\n0.33\t1.00\t0.33\n0.56\t0.33\t1.00\n"


def test_pool_command_kinds(tmp_path):
    x = tmp_path / "x.txt"
    x.write_text("1 2 3 4\n5 6 7 8\n9 10 11 12\n13 14 15 16\n")
    out = lambda *a: run("pool", str(x), *a, "--format", "plain", "--precision", "1").output
    assert out("--kind", "max", "--size", "2") == "6.0\t8.0\n14.0\t16.0\n"
    assert out("--kind", "mean", "--size", "2") == "3.5\t5.5\n11.5\t13.5\n"
    assert out("--kind", "sum", "--size", "2") == "14.0\t22.0\n46.0\t54.0\n"
    # 3x3 windows, stride 2, padding 1: (1,1) sees 1+2+5+6 = 14 over 9 cells, or over 4 real ones
    assert out("--kind", "mean", "--size", "3", "--stride", "2", "--padding", "1") == "1.6\t3.3\n6.3\t11.0\n"
    assert (
        out("--kind", "mean", "--size", "3", "--stride", "2", "--padding", "1", "--no-count-include-pad")
        == "3.5\t5.0\n9.5\t11.0\n"
    )
    assert out("--kind", "max", "--size", "3", "--stride", "2", "--ceil-mode") == "11.0\t12.0\n15.0\t16.0\n"
    assert out("--kind", "max", "--size", "2", "--dilation", "2", "--stride", "1") == "11.0\t12.0\n15.0\t16.0\n"


def test_relu_reads_stdin():
    result = run("relu", "-", "--format", "plain", "--precision", "1", input="-1 2\n3 -4\n")
    assert result.output == "0.0\t2.0\n3.0\t0.0\n"


def test_output_file_format_follows_suffix(tmp_path, small):
    image, kernel = small
    target = tmp_path / "out.csv"
    result = run("conv", image, kernel, "-o", str(target))
    assert result.exit_code == 0 and result.output == ""
    assert target.read_text() == "-11.00,-11.00\n-11.00,-11.00\n"
    js = tmp_path / "out.json"
    run("conv", image, kernel, "-o", str(js))
    assert json.loads(js.read_text())["output"] == [[-11.0, -11.0], [-11.0, -11.0]]


def test_inputs_are_never_modified(small):
    image, kernel = small
    before = Path(image).read_bytes(), Path(kernel).read_bytes()
    run("conv", image, kernel, "--padding", "1", "--padding-mode", "reflect", "--format", "json")
    assert (Path(image).read_bytes(), Path(kernel).read_bytes()) == before


@pytest.mark.parametrize("path", MALFORMED, ids=[p.name for p in MALFORMED])
def test_malformed_files_give_one_error_line(path):
    result = CliRunner().invoke(cli, ["relu", str(path), "--format", "plain"])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert path.name in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--stride", "0"], "stride must be a positive integer"),
        (["--padding", "-1"], "padding must be a non-negative integer"),
        (["--padding", "same", "--stride", "2"], "padding='same' needs stride 1"),
        (["--padding", "9", "--padding-mode", "reflect"], "too large for reflect padding"),
        (["--padding", "10", "--padding-mode", "circular"], "too large for circular padding"),
        (["--dilation", "5"], "larger than the padded input"),
        (["--pool", "max:9"], "output would be"),
        (["--pool", "max:4:1:2"], "--pool must be KIND:SIZE[:STRIDE]"),
        (["--pool", "median:2"], "--pool must be KIND:SIZE[:STRIDE]"),
        (["--stride", "a,b"], "stride must be an integer or a pair"),
        (["--bias", "nonexistent-bias.txt"], "no such file"),
    ],
)
def test_illegal_parameters_name_the_rule(args, needle):
    result = CliRunner().invoke(cli, ["conv", X, K1, *args])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert needle in lines[0]


def test_pool_padding_rule_is_pytorchs():
    result = CliRunner().invoke(cli, ["pool", X, "--kind", "max", "--size", "3", "--padding", "2"])
    assert result.exit_code == 2
    assert "at most half the pool size 3 (size // 2 = 1)" in result.output


def test_mean_pool_refuses_dilation():
    result = CliRunner().invoke(cli, ["pool", X, "--kind", "mean", "--size", "2", "--dilation", "2"])
    assert result.exit_code == 2
    assert "dilation applies to max pooling only" in result.output


def test_channel_mismatch_is_explained(tmp_path):
    image = tmp_path / "rgb.txt"
    image.write_text("1 2\n3 4\n\n1 2\n3 4\n\n1 2\n3 4\n")
    result = CliRunner().invoke(cli, ["conv", str(image), K2])
    assert result.exit_code == 2
    assert "3 channels but the kernel file has 1 blocks" in result.output


def test_errors_in_chinese():
    result = CliRunner().invoke(cli, ["conv", X, K1, "--padding", "same", "--stride", "2", "--lang", "zh"])
    assert result.exit_code == 2
    assert result.output == "Error: padding='same' 要求 stride 为 1（收到 stride 2），与 PyTorch 一致\n"


def test_missing_file_and_missing_argument():
    missing = CliRunner().invoke(cli, ["conv", X, "no-such-kernel.txt"])
    assert missing.exit_code == 2
    assert missing.output == "Error: no-such-kernel.txt: no such file\n"
    usage = CliRunner().invoke(cli, ["conv", X])
    assert usage.exit_code == 2
    assert usage.output.startswith("Error: Missing argument 'KERNEL'.")


def test_result_size_limit_is_refused_before_allocation(tmp_path, monkeypatch):
    from cnncalc.engine import ops

    monkeypatch.setattr(ops, "MAX_RESULT_CELLS", 10)
    result = CliRunner().invoke(cli, ["conv", X, K1])
    assert result.exit_code == 2
    assert "the result would have 49 cells, over the limit of 10" in result.output


def test_written_files_get_ordinary_permissions(tmp_path, small):
    import os
    import stat

    image, kernel = small
    target = tmp_path / "out.txt"
    old = os.umask(0o022)
    try:
        run("conv", image, kernel, "-o", str(target))
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_wide_map_table_splits_into_column_blocks(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    x = tmp_path / "wide.txt"
    x.write_text("\n".join(" ".join(str(100 + j) for j in range(30)) for _ in range(3)) + "\n")
    result = run("relu", str(x), "--format", "table", "--no-color", "--precision", "0")
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    # header lines hold only column labels; together they are 1..30 in order
    headers = [line.split() for line in lines if line.strip() and line.split()[0] != "shape"
               and all(t.isdigit() and int(t) <= 30 for t in line.split())]
    assert [int(t) for h in headers for t in h] == list(range(1, 31))
    assert len(headers) > 1 and result.output.count("─") > 0
    data = [line.split() for line in lines if line.split()[:1] == ["1"] and len(line.split()) > 1
            and int(line.split()[1]) >= 100]
    assert [int(t) for row in data for t in row[1:]] == list(range(100, 130))


def test_huge_map_table_prints_plain_rows(tmp_path, monkeypatch):
    from cnncalc.show import console as output

    monkeypatch.setattr(output, "MAP_TABLE_MAX_CELLS", 4)
    x = tmp_path / "x.txt"
    x.write_text("1 -2 3\n-4 5 -6\n")
    result = run("relu", str(x), "--format", "table", "--no-color", "--precision", "0")
    assert result.output == "shape 2×3\n1\t0\t3\n0\t5\t0\n"


def test_three_paddings_name_the_three_forms_padding_takes(tmp_path):
    from click.testing import CliRunner

    from cnncalc.cli import cli

    (tmp_path / "x.txt").write_text("1 2\n3 4\n")
    (tmp_path / "k.txt").write_text("1\n")
    for lang, line in (
        ("en", "padding must be an integer, a pair H,W or four pads L,R,T,B (got '1,2,3')"),
        ("zh", "padding 必须是整数、一对 H,W 或四个值 L,R,T,B（收到 '1,2,3'）"),
    ):
        r = CliRunner().invoke(cli, ["--lang", lang, "conv", str(tmp_path / "x.txt"), str(tmp_path / "k.txt"),
                                     "--padding", "1,2,3"])
        assert r.exit_code == 2
        assert line in r.output and r.output.count("\n") == 1


def test_an_output_suffix_that_names_another_format_is_refused(tmp_path):
    from click.testing import CliRunner

    from cnncalc.cli import cli

    (tmp_path / "x.txt").write_text("1 2\n3 4\n")
    (tmp_path / "k.txt").write_text("1\n")
    base = ["conv", str(tmp_path / "x.txt"), str(tmp_path / "k.txt")]
    r = CliRunner().invoke(cli, [*base, "-o", str(tmp_path / "o.csv"), "--format", "json"])
    assert r.exit_code == 2
    assert r.output.endswith("o.csv names a csv file, but --format json was given: "
                             "name the file for its format or leave out --format\n")
    assert not (tmp_path / "o.csv").exists()
    # .txt takes any format; a suffix that agrees is fine
    assert CliRunner().invoke(cli, [*base, "-o", str(tmp_path / "o.txt"), "--format", "json"]).exit_code == 0
    assert (tmp_path / "o.txt").read_text().startswith("{")
    assert CliRunner().invoke(cli, [*base, "-o", str(tmp_path / "o.csv"), "--format", "csv"]).exit_code == 0
    assert (tmp_path / "o.csv").read_text() == "1.00,2.00\n3.00,4.00\n"
