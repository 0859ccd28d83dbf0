"""Where ``-o`` writes, and what a student id may not bring into a file name."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cnncalc.cli import cli

XO = Path(__file__).resolve().parent.parent / "samples" / "xo"


def test_o_makes_the_folders_it_names(tmp_path):
    """``-o out/run.json`` makes ``out/`` (as tests/test_cli_run.py relies on), and a file
    in the way is one Error line."""
    target = tmp_path / "new" / "out.txt"
    result = CliRunner().invoke(
        cli, ["conv", str(XO / "x.txt"), str(XO / "k1.txt"), "--norm", "mean", "-o", str(target)]
    )
    assert result.exit_code == 0
    assert target.read_text().startswith("0.78\t-0.11")


def test_control_characters_of_an_id_never_reach_a_file_name_or_a_heading():
    """A file name with a newline or a tab (students' shells allow them) is one student:
    their feedback file name and the heading of their feedback stay on one line."""
    from cnncalc.grade.feedback import feedback_markdown
    from cnncalc.grade.grader import StudentResult
    from cnncalc.grade.names import feedback_name

    assert [feedback_name(s) for s in ("new\nline", "tab\tname", "cr\rx", "new%0Aline")] == [
        "new%0Aline.md", "tab%09name.md", "cr%0Dx.md", "new%250Aline.md"]
    text = feedback_markdown(StudentResult("new\nline", "empty", [], "nothing in it"), "hw", "en")
    assert text.splitlines()[0] == "# hw: feedback for new\\nline"
