"""Ctrl-C says so in one line, in the user's language, and exits 130."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _wait_until_blocked_on(pid: int, fifo) -> None:
    """Until the command waits in the fifo's open (its wchan says so): a signal
    before that would hit Python's start-up, not cnncalc."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            wchan = Path(f"/proc/{pid}/wchan").read_text()
        except OSError:
            wchan = ""
        if wchan == "wait_for_partner":  # the kernel's wait in a fifo's open
            return
        time.sleep(0.05)
    pytest.fail("the command never blocked on the fifo")


@pytest.mark.parametrize(("lang", "line"), [("en", "Error: aborted"), ("zh", "Error: 已中止")])
def test_ctrl_c_while_waiting_for_input_is_one_line_exit_130(tmp_path, lang, line):
    fifo = tmp_path / "never-written"
    os.mkfifo(fifo)  # opening it blocks until a writer comes: the command waits
    proc = subprocess.Popen(
        [sys.executable, "-m", "cnncalc", "--lang", lang, "relu", str(fifo)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    _wait_until_blocked_on(proc.pid, fifo)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert out == ""
    assert err.strip() == line
    assert "Traceback" not in err
