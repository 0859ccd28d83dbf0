"""On 8/16-colour terminals the heat grid keeps the sign visible, and every
coloured grid ends with a one-line legend (value <-> colour)."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from rich.console import Console

from cnncalc.show import console as output
from cnncalc.show import nettables

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def render(values, color_system: str) -> str:
    console = Console(file=io.StringIO(), color_system=color_system, force_terminal=True, width=80)
    arr = np.array(values, dtype=float)
    cells = np.array([[f"{v:.2f}" for v in row] for row in arr])
    palette = output.heat_palette(console)
    console.print(output.map_table(cells, arr, palette=palette))
    console.print(output.heat_legend(float(np.abs(arr).max()), precision=2, mode="half-even",
                                     palette=palette))
    return console.file.getvalue()


def codes_before(text: str, cell: str) -> str:
    """The SGR codes in force where ``cell`` is printed."""
    return re.search(r"\x1b\[([0-9;]*)m" + re.escape(cell) + r"\x1b", text).group(1)


def test_standard_colours_keep_the_sign_apart(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    text = render([[-0.56, 0.56, 1.0], [-1.0, -0.2, 0.2]], "standard")
    neg, pos = codes_before(text, "-0.56"), codes_before(text, "0.56")
    assert neg != pos
    assert "44" in neg.split(";") and "41" in pos.split(";")  # white on blue / white on red
    assert "34" in codes_before(text, "-0.20").split(";")  # blue text
    assert "31" in codes_before(text, "0.20").split(";")  # red text
    assert not re.search(r"\x1b\[[0-9;]*(38|48);[25];", text)  # no 256/RGB codes at all


@pytest.mark.parametrize("system", ["standard", "256", "truecolor"])
def test_legend_is_one_line_under_the_grid(monkeypatch, system):
    monkeypatch.delenv("NO_COLOR", raising=False)
    text = render([[-2.0, 0.5], [1.0, 2.0]], system)
    last = SGR.sub("", text).rstrip("\n").splitlines()[-1]
    if system == "standard":
        assert last == "colours:  ≤ -1.10   < 0  0  > 0   ≥ 1.10 "
    else:
        assert last == "colours:  -2.00   -1.00   0.00   1.00   2.00 "


def test_256_colours_already_differ():
    a = output.heat_style(-0.56, 1.0)
    b = output.heat_style(0.56, 1.0)
    from rich.color import ColorSystem
    from rich.style import Style

    da = Style.parse(a).bgcolor.downgrade(ColorSystem.EIGHT_BIT).number
    db = Style.parse(b).bgcolor.downgrade(ColorSystem.EIGHT_BIT).number
    assert da != db


def test_no_legend_without_colour(monkeypatch):
    buf = io.StringIO()
    output.print_maps(np.array([[-1.0, 1.0]]), precision=2, mode="half-even", no_color=True, file=buf)
    assert "colours" not in buf.getvalue()


def test_run_and_train_grids_use_the_bands_too(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    console = Console(file=io.StringIO(), color_system="standard", force_terminal=True, width=80)
    v = np.linspace(-1, 1, 40)
    console.print(nettables.vector_grid(v, precision=2, mode="half-even",
                                     palette=output.heat_palette(console)))
    text = console.file.getvalue()
    assert "\x1b[1;37;44m" in text and "\x1b[1;37;41m" in text
    assert not re.search(r"\x1b\[[0-9;]*(38|48);[25];", text)
