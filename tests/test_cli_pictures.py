"""CLI: ``draw``, ``animate`` and ``check --png``, exact messages and the files they write."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from cnncalc.cli import cli
from cnncalc.draw import canvas
from cnncalc.draw.marked import WRONG_RGB
from cnncalc.engine import ops
from cnncalc.read import read_matrix

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "xo"
X, K1 = str(SAMPLES / "x.txt"), str(SAMPLES / "k1.txt")


def run(*args: object, input: str | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


def size(path: Path) -> tuple[int, int]:
    with Image.open(path) as img:
        return img.size


def frames(path: Path) -> int:
    with Image.open(path) as img:
        return img.n_frames


# --------------------------------------------------------------------------- draw


def test_draw_writes_a_png_and_says_so(tmp_path):
    out = tmp_path / "x.png"
    r = run("draw", X, "-o", out)
    assert r.exit_code == 0 and r.stdout == ""
    w, h = size(out)
    assert r.stderr == f"wrote {out} ({w}×{h} px)\n"


def test_draw_reads_stdin_so_conv_can_pipe_into_it(tmp_path):
    conv = run("conv", X, K1, "--norm", "mean", "--format", "plain")
    out = tmp_path / "map.png"
    r = run("draw", "-", "-o", out, "--precision", "1", "--title", "X * k1", input=conv.stdout)
    assert r.exit_code == 0 and out.is_file()
    with Image.open(out) as img:
        assert img.mode == "RGB"


def test_draw_several_blocks_and_columns(tmp_path):
    bank = tmp_path / "bank.txt"
    bank.write_text("1 -1\n-1 1\n\n0 0\n0 0\n\n2 2\n2 2\n")
    one_row, two_rows = tmp_path / "a.png", tmp_path / "b.png"
    assert run("draw", bank, "-o", one_row).exit_code == 0
    assert run("draw", bank, "-o", two_rows, "--columns", "1").exit_code == 0
    (w1, h1), (w2, h2) = size(one_row), size(two_rows)
    assert w1 > w2 and h2 > h1


def test_draw_refuses_other_suffixes(tmp_path):
    r = run("draw", X, "-o", tmp_path / "map.jpg")
    assert r.exit_code == 2
    assert r.stderr == f"Error: {tmp_path / 'map.jpg'}: -o must name a .png file\n"


def test_draw_needs_output():
    r = run("draw", X)
    assert r.exit_code == 2 and r.stderr.startswith("Error: Missing option '-o' / '--output'")


def test_draw_bad_input_is_one_error_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("1 2 3\n4 5\n")
    r = run("draw", bad, "-o", tmp_path / "m.png")
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("Error: ")
    assert "row has 2 values but the rows above have 3" in r.stderr


def test_draw_chinese_without_a_font_warns_and_draws_english(tmp_path, monkeypatch):
    monkeypatch.setattr(canvas, "_candidate_paths", list)
    out = tmp_path / "m.png"
    r = run("draw", X, "-o", out, "--lang", "zh")
    assert r.exit_code == 0 and out.is_file()
    warning, wrote = r.stderr.splitlines()
    assert warning.startswith("警告：") and "CNNCALC_FONT" in warning
    assert wrote.startswith(f"已写入 {out}（")


def test_pictures_without_pillow_are_one_error_line(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    message = 'Error: drawing pictures needs Pillow: pip install "cnncalc[images]"\n'
    r = run("draw", X, "-o", tmp_path / "m.png")
    assert (r.exit_code, r.stderr) == (2, message)
    r = run("animate", X, K1, "-o", tmp_path / "c.gif")
    assert (r.exit_code, r.stderr) == (2, message)
    r = run("check", SAMPLES / "homework.txt", "--norm", "mean", "--png", tmp_path / "m.png")
    assert r.exit_code == 2 and r.stderr == message


# --------------------------------------------------------------------------- animate


def test_animate_the_seed_example(tmp_path):
    out, dirname = tmp_path / "conv.gif", tmp_path / "frames"
    r = run("animate", X, K1, "--norm", "mean", "-o", out, "--frames", dirname)
    assert r.exit_code == 0, r.stderr
    w, h = size(out)
    assert frames(out) == 7 * 7 + 1
    assert r.stderr == f"wrote {out} (50 frames, {w}×{h} px)\nwrote 50 PNG frames to {dirname}\n"
    assert len(list(dirname.glob("frame-*.png"))) == 50
    assert size(dirname / "frame-0050.png") == (w, h)


@pytest.mark.parametrize(
    "options",
    [
        ["--stride", "2"],
        ["--stride", "2,3", "--padding", "1", "--padding-mode", "replicate"],
        ["--dilation", "2", "--padding", "same"],
        ["--padding", "2", "--padding-mode", "reflect", "--flip", "--bias", "0.5"],
        ["--norm", "mean", "--padding", "1,0", "--padding-mode", "circular"],
    ],
)
def test_animate_frame_count_follows_every_conv_option(tmp_path, options):
    out = tmp_path / "c.gif"
    r = run("animate", X, SAMPLES / "k2.txt", "-o", out, *options)
    assert r.exit_code == 0, r.stderr
    conv = run("conv", X, SAMPLES / "k2.txt", *options, "--format", "json")
    shape = json.loads(conv.stdout)["shape"]
    assert frames(out) == shape[0] * shape[1] + 1


def test_animate_a_bank_with_map(tmp_path):
    bank = tmp_path / "bank.txt"
    bank.write_text((SAMPLES / "k1.txt").read_text() + "\n\n" + (SAMPLES / "k2.txt").read_text())
    out = tmp_path / "c.gif"
    assert run("animate", X, bank, "--map", "2", "-o", out).exit_code == 0
    assert frames(out) == 50
    r = run("animate", X, bank, "--map", "3", "-o", out)
    assert r.exit_code == 2
    assert r.stderr == "Error: there is no filter 3: the kernel holds 2 filters (map 1 to 2)\n"


def test_animate_fps_sets_the_frame_time(tmp_path):
    out = tmp_path / "c.gif"
    assert run("animate", X, K1, "--stride", "3", "--fps", "5", "-o", out).exit_code == 0
    with Image.open(out) as img:
        img.seek(1)
        assert img.info["duration"] == 200


def test_animate_refuses_absurd_sizes_in_one_line(tmp_path):
    big = tmp_path / "big.npy"
    np.save(big, np.zeros((60, 60)))
    r = run("animate", big, K1, "-o", tmp_path / "c.gif")
    assert r.exit_code == 2
    assert r.stderr == (
        "Error: the animation would have 3,365 frames (output 58x58 plus the final frame), "
        "over the limit of 2,500: use a larger stride or a smaller image\n"
    )
    r = run("animate", X, K1, "--padding", "48", "--stride", "40", "-o", tmp_path / "c.gif")
    assert r.exit_code == 2
    assert r.stderr == (
        "Error: the padded input 105x105 is too large to animate: at most 100 cells on a side\n"
    )


def test_animate_illegal_conv_is_the_conv_error(tmp_path):
    r = run("animate", X, K1, "--padding", "same", "--stride", "2", "-o", tmp_path / "c.gif")
    assert r.exit_code == 2
    assert r.stderr == "Error: padding='same' needs stride 1 (got stride 2), as in PyTorch\n"


def test_animate_needs_a_gif(tmp_path):
    r = run("animate", X, K1, "-o", tmp_path / "c.png")
    assert r.exit_code == 2 and r.stderr.endswith("-o must name a .gif file\n")


# --------------------------------------------------------------------------- check --png


def test_check_png_one_file_per_answer_of_the_homework(tmp_path):
    out = tmp_path / "marked.png"
    r = run("check", SAMPLES / "homework.txt", "--norm", "mean", "--png", out, "--format", "json")
    assert r.exit_code == 1
    report = json.loads(r.stdout)  # stdout stays the JSON report
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["marked-1.png", "marked-2.png", "marked-3.png"]
    assert [len(a["wrong"]) for a in report["answers"]] == [12, 20, 15]
    lines = r.stderr.splitlines()
    for n, line in enumerate(lines, start=1):
        w, h = size(tmp_path / f"marked-{n}.png")
        assert line == f"wrote {tmp_path / f'marked-{n}.png'} ({w}×{h} px)"
    assert len(lines) == 3


def test_check_png_single_answer_goes_to_the_file(tmp_path):
    x, k = read_matrix(X), read_matrix(K1)
    exact = ops.conv2d(x, k, norm="mean")
    answer = tmp_path / "answer.txt"
    rows = ["\t".join(f"{v:.2f}" for v in row) for row in np.trunc(exact * 100) / 100]
    rows[0] = rows[0].replace("-0.11", "0.11", 1)  # one dropped minus sign at (1, 2)
    answer.write_text("\n".join(rows) + "\n")
    out = tmp_path / "mine.png"
    r = run("check", answer, "--image", X, "--kernel", K1, "--norm", "mean", "--png", out)
    assert r.exit_code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer.txt", "mine.png"]
    img = Image.open(out).convert("RGB")
    red = np.all(np.asarray(img) == np.array(WRONG_RGB), axis=2)
    ys, xs = np.nonzero(red)
    # one outlined cell: its red pixels form one square about one cell wide
    assert 20 < xs.max() - xs.min() < 80 and 20 < ys.max() - ys.min() < 80


def test_check_png_right_answer_has_no_red(tmp_path):
    x, k = read_matrix(X), read_matrix(K1)
    exact = ops.conv2d(x, k, norm="mean")
    answer = tmp_path / "answer.txt"
    answer.write_text("\n".join(" ".join(f"{v:.4f}" for v in row) for row in exact) + "\n")
    out = tmp_path / "ok.png"
    r = run("check", answer, "--image", X, "--kernel", K1, "--norm", "mean", "--png", out)
    assert r.exit_code == 0
    img = np.asarray(Image.open(out).convert("RGB"))
    assert not np.all(img == np.array(WRONG_RGB), axis=2).any()  # no red outline anywhere


def test_check_png_refuses_other_suffixes(tmp_path):
    r = run("check", SAMPLES / "homework.txt", "--png", tmp_path / "m.gif")
    assert r.exit_code == 2 and r.stdout == ""  # refused before checking
    assert r.stderr == f"Error: {tmp_path / 'm.gif'}: --png must name a .png file\n"


# --------------------------------------------------------------------------- README


def readme_pictures_section() -> str:
    text = (SAMPLES.parent.parent / "README.md").read_text(encoding="utf-8")
    return text.split("### Pictures", 1)[1].split("\n### ", 1)[0]


def test_readme_pictures_exist_and_their_commands_run(tmp_path, monkeypatch):
    import re
    import shlex

    section = readme_pictures_section()
    root = SAMPLES.parent.parent
    images = re.findall(r"!\[[^\]]*\]\((docs/img/[^)]+)\)", section)
    assert len(images) == 4 and all((root / i).is_file() for i in images)
    script = (root / "docs" / "make_pictures.sh").read_text()
    assert "bash docs/make_pictures.sh" in section
    monkeypatch.chdir(root)
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    for block in blocks:
        line = block.replace("\\\n", " ").strip()
        stdin = None
        for part in line.split(" | "):
            args = shlex.split(part)
            assert args[0] == "cnncalc"
            if "-o" in args or "--png" in args:
                flag = "-o" if "-o" in args else "--png"
                i = args.index(flag)
                # the same command writes docs/img/<name> in the script
                assert f'"$out/{args[i + 1]}"' in script
                args[i + 1] = str(tmp_path / args[i + 1])
            r = CliRunner().invoke(cli, args[1:], input=stdin, catch_exceptions=False)
            assert r.exit_code in (0, 1), (part, r.stderr)
            stdin = r.stdout
    assert (tmp_path / "marked-1.png").is_file() and (tmp_path / "conv.gif").is_file()
