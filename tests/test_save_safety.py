"""train-step --save never replaces a file it did not write (or one changed since)."""

import json
from pathlib import Path

from click.testing import CliRunner

from cnncalc.cli import cli

TRAIN = Path(__file__).resolve().parent.parent / "samples" / "train"


def save(folder: Path, *pipeline: str, lang: str = "en"):
    net = pipeline[0] if pipeline else f"@{TRAIN / 'net.txt'}"
    return CliRunner().invoke(cli, [
        "--lang", lang, "train-step", str(TRAIN / "x.txt"), net, "--target", "0",
        "--optimizer", "sgd", "--lr", "0.1", "--save", str(folder), "--format", "plain",
    ])


def test_a_file_of_the_teacher_is_never_replaced(tmp_path):
    folder = tmp_path / "trained"
    folder.mkdir()
    (folder / "pipeline.txt").write_text("my own notes\n")
    r = save(folder)
    assert r.exit_code == 2
    assert r.output.splitlines()[-1] == (
        f"Error: {folder / 'pipeline.txt'} exists and was not written by train-step --save (or was "
        "changed since): move it away or choose another --save folder (nothing was written)")
    assert (folder / "pipeline.txt").read_text() == "my own notes\n"
    assert sorted(p.name for p in folder.iterdir()) == ["pipeline.txt"]  # nothing written


def test_its_own_files_are_replaced_by_the_next_save_then_guarded_again(tmp_path):
    folder = tmp_path / "trained"
    assert save(folder).exit_code == 0
    listed = json.loads((folder / ".cnncalc-saved.json").read_text())["files"]
    assert sorted(listed) == ["pipeline.txt", "stage1_weight.txt", "stage4_bias.txt", "stage4_weight.txt"]
    first = (folder / "stage1_weight.txt").read_text()
    # train on from the saved network, into the same folder: allowed, the weights move on
    assert save(folder, f"@{folder / 'pipeline.txt'}").exit_code == 0
    assert (folder / "stage1_weight.txt").read_text() != first
    # a hand edit makes the file the teacher's: refused, in Chinese too
    (folder / "stage1_weight.txt").write_text("1 2\n3 4\n")
    r = save(folder, lang="zh")
    assert r.exit_code == 2
    assert "stage1_weight.txt 已存在，且不是 train-step --save 写的（或之后被改过）" in r.output
    assert (folder / "stage1_weight.txt").read_text() == "1 2\n3 4\n"


def test_a_symlink_in_the_folder_is_not_written_through(tmp_path):
    folder = tmp_path / "trained"
    folder.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("keep\n")
    (folder / "stage1_weight.txt").symlink_to(precious)
    assert save(folder).exit_code == 2
    assert precious.read_text() == "keep\n"
