"""Screenshots of the sample class report for the README (docs/img/*.png).

Grades samples/classroom with --html into a temporary folder, opens the class page
and one student's page in Debian's headless Chromium, and keeps small PNGs
(256 colours). Run from the repository root, with cnncalc and Pillow installed:

    python docs/make_screenshots.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "classroom"


def main() -> None:
    from PIL import Image

    from cnncalc.grade.htmlreport import page_name

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("needs Chromium: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "graded"
        subprocess.run([sys.executable, "-m", "cnncalc", "grade", str(SAMPLE / "submissions"), "--assignment",
                        str(SAMPLE / "made" / "variants.json"), "--roster", str(SAMPLE / "roster.csv"),
                        "--html", "--out", str(out), "--format", "plain"], check=True, stdout=subprocess.DEVNULL)
        pages = {"class-report.png": "index.html", "student-page.png": f"students/{page_name('s08')}"}
        for name, page in pages.items():
            shot = Path(tmp) / name
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            f"--user-data-dir={Path(tmp) / 'profile'}", f"--screenshot={shot}",
                            "--window-size=1000,1100", (out / "report" / page).as_uri()],
                           check=True, capture_output=True, stdin=subprocess.DEVNULL)
            with Image.open(shot) as img:
                img.convert("RGB").quantize(colors=256).save(ROOT / "docs" / "img" / name, optimize=True)


if __name__ == "__main__":
    main()
