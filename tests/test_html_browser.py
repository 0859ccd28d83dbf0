"""The HTML report in a real browser: Debian's headless Chromium (/usr/bin/chromium).

* ``--dump-dom`` gives the DOM after the scripts ran: every student is listed and
  the heat-map shares read from the DOM are the hand-computed ones;
* ``--screenshot`` of the index and of a student page: not blank (several colours,
  enough non-white pixels);
* console errors and uncaught exceptions come from a tiny Chrome DevTools Protocol
  client over ``--remote-debugging-pipe`` (standard library only: fds 3 and 4,
  NUL-separated JSON), which also clicks a column header and reads the new order.
  A page with a deliberate error proves the detector sees errors.

Skipped, with the reason, when Chromium is not installed
(``apt-get install -y chromium``).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from reportdata import ESCAPE, EXPECTED, HOSTILE, PROBLEMS, records

from cnncalc.grade.htmlreport import page_name, write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (apt-get install -y chromium)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars"]
TIMEOUT = 90


def shown(student: str) -> str:
    """A student id as the report shows it (control characters escaped)."""
    return student.replace("\x1b", "\\x1b")


def run_chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp / f"profile-{time.monotonic_ns()}"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    write_report(out, records(), PROBLEMS, title="HW 3", expected=EXPECTED,
                 feedback={"bob": "# HW 3\n- (1, 2): 0.25 → -0.25 (sign)"})
    return out


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory) -> Path:
    """The sample class graded with --html, as a teacher would (samples/classroom/)."""
    from click.testing import CliRunner

    from cnncalc.cli import cli

    root = Path(__file__).resolve().parent.parent / "samples" / "classroom"
    out = tmp_path_factory.mktemp("sample") / "graded"
    result = CliRunner().invoke(cli, ["grade", str(root / "submissions"), "--assignment",
                                      str(root / "made" / "variants.json"), "--roster", str(root / "roster.csv"),
                                      "--html", "--out", str(out), "--format", "plain"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "report"


class DomCells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.shares: dict[tuple[str, str, str], float] = {}
        self.students: list[str] = []
        self._problem = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "heat" in (a.get("class") or ""):
            self._problem += 1
        if tag == "td" and "data-share" in a:
            self.shares[(str(self._problem), a["data-row"], a["data-col"])] = float(a["data-share"])
        if tag == "tr" and "data-student" in a:
            self.students.append(a["data-student"])


def test_dump_dom_lists_every_student_and_the_shares(report, tmp_path):
    done = run_chromium(tmp_path, "--dump-dom", (report / "index.html").as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    dom = DomCells()
    dom.feed(done.stdout.decode("utf-8"))
    assert dom.students == [shown(s) for s in sorted(r["student"] for r in records())]
    assert HOSTILE in dom.students and shown(ESCAPE) in dom.students and "\\x1b[31mred" in dom.students
    assert dom.shares[("1", "1", "2")] == 0.75 and dom.shares[("1", "2", "1")] == 0.25
    assert dom.shares[("1", "1", "1")] == 0.0 and dom.shares[("2", "1", "3")] == 0.5
    assert sum(dom.shares.values()) == 1.5


def test_sample_class_in_the_browser_lists_30_students_and_true_shares(sample_report, tmp_path):
    from cnncalc.grade.classgrade import load_variants
    from cnncalc.grade.htmlreport import shape_of, wrong_shares

    done = run_chromium(tmp_path, "--dump-dom", (sample_report / "index.html").as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    dom = DomCells()
    dom.feed(done.stdout.decode("utf-8"))
    assert dom.students == [f"s{i:02d}" for i in range(1, 31)]
    # the shares the page shows are those counted from grades.json, heat map by heat map
    records = json.loads((sample_report.parent / "grades.json").read_text(encoding="utf-8"))["students"]
    variants = load_variants(Path(__file__).resolve().parent.parent / "samples/classroom/made/variants.json")
    shapes = variants.shapes(records)
    expected = {}
    k = 0
    for i in range(2):
        for shape in sorted({shape_of({"shape": s[i]}) for s in shapes.values()}):
            group = [r for r in records if shape_of({"shape": shapes[r["student"]][i]}) == shape]
            shares, n, other = wrong_shares(group, i, shape)
            if n + other == 0:
                continue
            k += 1
            for (_, row, col), v in np.ndenumerate(shares):
                expected[(str(k), str(row + 1), str(col + 1))] = round(float(v), 4)
    assert dom.shares == expected and any(v > 0 for v in expected.values())


def screenshot_stats(path: Path) -> tuple[int, float]:
    Image = pytest.importorskip("PIL.Image")
    with Image.open(path) as img:
        rgb = img.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20) or []
        pixels = rgb.width * rgb.height
        white = sum(n for n, c in colours if min(c) >= 250)
    return len(colours), 1 - white / pixels


@pytest.mark.parametrize("page", ["index.html", f"students/{page_name('bob')}"])
def test_screenshots_are_not_blank(report, tmp_path, page):
    shoot(report, tmp_path, page)


@pytest.mark.parametrize("page", ["index.html", f"students/{page_name('s03')}"])
def test_sample_screenshots_are_not_blank(sample_report, tmp_path, page):
    shoot(sample_report, tmp_path, page)


def shoot(report: Path, tmp_path: Path, page: str) -> None:
    shot = tmp_path / "shot.png"
    done = run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", (report / page).as_uri())
    assert shot.is_file(), done.stderr.decode(errors="replace")[-2000:]
    colours, ink = screenshot_stats(shot)
    # a blank page is one colour and no ink; a short student page is mostly white paper
    # (measured 1.6–4 % ink, hundreds of colours), so the bar is low on ink, high on colours
    assert colours > 20 and ink > 0.005, (colours, ink)
    keep = os.environ.get("CLASSROOM_SHOTS")
    if keep:
        shutil.copy(shot, Path(keep) / page.replace("/", "_").replace(".html", ".png"))


# --------------------------------------------------------------------------- a tiny CDP client


class Cdp:
    """Chrome DevTools Protocol over --remote-debugging-pipe (fd 3: commands in, fd 4: out)."""

    def __init__(self, tmp: Path) -> None:
        cmd_r, self.cmd_w = os.pipe()
        self.out_r, out_w = os.pipe()

        def fds() -> None:  # in the child, before exec: the pipe ends become fds 3 and 4
            os.dup2(cmd_r, 3)
            os.dup2(out_w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={tmp / 'cdp-profile'}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=fds, close_fds=False)  # noqa: PLW1509 (no threads here); fds 3, 4 reach chromium
        os.close(cmd_r)
        os.close(out_w)
        self.buf, self.next_id, self.events = b"", 0, []

    def _read(self, deadline: float) -> dict | None:
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.out_r], [], [], left)[0]:
                return None
            chunk = os.read(self.out_r, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        msg, _, self.buf = self.buf.partition(b"\0")
        return json.loads(msg)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._read(deadline)
            if reply is None:
                raise TimeoutError(method)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(e.get("method") == method for e in self.events):
                return True
            event = self._read(deadline)
            if event is not None:
                self.events.append(event)
        return False

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (event := self._read(deadline)) is not None:
            self.events.append(event)

    def errors(self) -> list[str]:
        out = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                d = p["exceptionDetails"]
                out.append(d.get("exception", {}).get("description") or d.get("text", "exception"))
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description"))) for a in p.get("args", [])))
            elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                out.append(p["entry"].get("text", ""))
        return out

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.cmd_w)
        os.close(self.out_r)


def open_page(cdp: Cdp, url: str) -> str:
    target = cdp.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = cdp.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Runtime", "Log", "Page"):
        cdp.send(f"{domain}.enable", session=session)
    cdp.send("Page.navigate", {"url": url}, session=session)
    assert cdp.wait_for("Page.loadEventFired", TIMEOUT), "the page never finished loading"
    cdp.drain(0.5)
    return session


def evaluate(cdp: Cdp, session: str, expression: str):
    result = cdp.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
    return result["result"].get("value")


@pytest.fixture
def cdp(tmp_path):
    client = Cdp(tmp_path)
    yield client
    client.close()


def test_no_console_errors_and_sorting_works(report, sample_report, cdp):
    sheet = Path(__file__).resolve().parent.parent / "samples/classroom/made/sheets/s01-fb173a948c.html"
    for url in ((sample_report / "index.html").as_uri(), (sample_report / "students" / page_name("s09")).as_uri(),
                sheet.as_uri()):
        open_page(cdp, url)
    session = open_page(cdp, (report / "index.html").as_uri())
    order = "Array.from(document.querySelectorAll('#students tbody tr')).map(r => r.dataset.student)"
    assert evaluate(cdp, session, order) == [shown(s) for s in sorted(r["student"] for r in records())]
    evaluate(cdp, session, "document.querySelector('th button[data-col=\"2\"]').click()")  # score, ascending
    scores = evaluate(cdp, session, "Array.from(document.querySelectorAll('#students tbody tr'))"
                                    ".map(r => +r.cells[2].dataset.sort)")
    assert scores == [0, 0, 3, 4, 4, 6]  # by hand from reportdata: <script> 3, bob 4, 张三 4, alice 6
    evaluate(cdp, session, "document.querySelector('th button[data-col=\"2\"]').click()")  # descending
    assert evaluate(cdp, session, "document.querySelectorAll('#students th[scope=col]')[2].getAttribute('aria-sort')") == "descending"
    student = open_page(cdp, (report / "students" / page_name(HOSTILE)).as_uri())
    assert evaluate(cdp, student, "document.querySelectorAll('td.wrong').length") == 1
    cdp.drain(0.3)
    assert cdp.errors() == []


def test_the_error_detector_sees_errors(tmp_path, cdp):
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom'); notDefined();</script>")
    open_page(cdp, bad.as_uri())
    errors = cdp.errors()
    assert any("boom" in e for e in errors) and any("notDefined" in e for e in errors), errors


class FeedbackDom(HTMLParser):
    """What the browser built inside a student page's ``div.feedback``."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # > 0 inside div.feedback
        self.tags: list[str] = []
        self.text: list[str] = []
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "div" and dict(attrs).get("class") == "feedback":
            self.depth = 1
        elif self.depth:
            self.depth += tag == "div"
            self.tags.append(tag)
            if tag in ("td", "th"):
                self._cell = []

    def handle_endtag(self, tag):
        if self.depth and tag == "div":
            self.depth -= 1
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)
            if self._cell is not None:
                self._cell.append(data)


def test_a_student_pages_feedback_is_html_not_markdown_source(sample_report, tmp_path):
    # trial 2, papercut 1: s04's feedback was shown as Markdown source (**17.78 / 20**, |---|---:|)
    done = run_chromium(tmp_path, "--dump-dom", (sample_report / "students" / page_name("s04")).as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    dom = FeedbackDom()
    dom.feed(done.stdout.decode("utf-8"))
    text = "".join(dom.text)
    assert {"table", "thead", "tbody", "tr", "th", "td", "strong", "h3", "h4", "ul", "li"} <= set(dom.tags)
    assert "|---" not in text and "**" not in text and "## " not in text
    assert "Score: 17.78 / 20 (status: ok)" in text
    # the table of wrong cells, read from the DOM: s04 wrote 2 for -2 twice (planted sign slips)
    assert dom.cells == ["cell (row, col)", "written", "expected", "cause",
                         "(2, 1)", "2", "-2", "sign", "(3, 1)", "2", "-2", "sign"]
