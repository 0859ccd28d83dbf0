"""A report folder written as one set: lock, manifest, fresh folder, one swap.

``ReportSet(out)`` is how ``grade`` (and anything that adds files to the report)
writes into ``--out``; docs/grading-safety.md tells the design:

* **lock**: ``fcntl.flock`` on ``.<out>.cnncalc-lock`` beside ``out`` (never
  removed, so two runs always lock the same file); a second run waits up to
  ``wait`` seconds, then fails with a "locked" error;
* **ours or foreign**: ``out`` must be missing, an empty folder, or a folder
  holding ``.cnncalc-report.json`` (the manifest) that lists every file in it with
  its SHA-256; anything else (a teacher's own file, a file edited since) is
  refused before a byte is written;
* **fresh folder + one swap**: every file goes into a fresh sibling folder
  ``.<out>.cnncalc-new-<pid>``; ``commit`` writes the manifest last and exchanges
  the two folders in one ``renameat2(RENAME_EXCHANGE)`` (two renames where the
  system has none; a run killed between them is repaired by the next one), then
  removes the old set; on any error (a full disk) the fresh folder is removed and
  ``out`` is untouched;
* a run killed with SIGKILL leaves at most a stale sibling folder; the next run,
  holding the lock, removes it.

Extra files join the same set with ``add(relpath, data)`` or by writing under
``staging`` (``path(relpath)`` makes the folders); ``carry(relpath)`` keeps a file
of the current set (hard link, or a copy).

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> with ReportSet(root / "r") as rs:
...     rs.add("grades.csv", "student\\n")
...     rs.commit()
>>> sorted(p.name for p in (root / "r").iterdir())
['.cnncalc-report.json', 'grades.csv']
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any, Self

from cnncalc.errors import CnncalcError

MANIFEST = ".cnncalc-report.json"
# the manifest's "written_by" per kind of set ("cnncalc" is grade's since the first manifest)
WRITERS = {"grade": "cnncalc", "making": "cnncalc make"}
_COMMANDS = {"grade": "cnncalc grade", "making": "cnncalc make"}
LOCK_WAIT = 10.0  # seconds a second run waits for the lock
_NEW, _OLD, _LOCK = ".cnncalc-new-", ".cnncalc-old-", ".cnncalc-lock"
_MARK = ".cnncalc-staging"  # inside a fresh folder: ours to remove when stale


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _files(folder: Path) -> list[str]:
    """Relative paths of everything under ``folder`` (folders end with '/'), sorted."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        rel = os.path.relpath(dirpath, folder)
        for n in filenames:
            found.append(n if rel == "." else f"{rel}/{n}")
        for n in dirnames:
            found.append((n if rel == "." else f"{rel}/{n}") + "/")
    return sorted(found)


def read_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest of a report folder (``None`` when there is none or it is broken)."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8", errors="surrogateescape"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return None
    return data


def check_ours(out: Path, words: str = "grade") -> dict[str, Any] | None:
    """Refuse an ``out`` that cnncalc did not make; returns its manifest (``None``
    when ``out`` is missing or empty). ``words`` is the area of the refusals' message
    keys (``grade.out_foreign``; ``making.out_foreign`` for ``make``)."""
    if not out.exists() and not out.is_symlink():
        return None
    if not out.is_dir():
        raise CnncalcError(f"{words}.out_not_folder", path=str(out))
    present = _files(out)
    if not present:
        return None
    manifest = read_manifest(out)
    if manifest is None:
        raise CnncalcError(f"{words}.out_foreign", path=str(out), manifest=MANIFEST)
    writer = manifest.get("written_by")
    if writer != WRITERS[words]:  # grade's report and make's homework never replace each other
        other = next((w for w, name in WRITERS.items() if name == writer), None)
        raise CnncalcError(f"{words}.out_other", path=str(out), other=_COMMANDS.get(other or "", str(writer)))
    listed = manifest["files"]
    for rel in present:
        if rel == MANIFEST:
            continue
        full = out / rel
        if rel.endswith("/"):
            if full.is_symlink():
                raise CnncalcError(f"{words}.out_not_ours", path=str(full))
            continue  # a folder: what is in it is checked
        if rel not in listed or full.is_symlink() or not full.is_file():
            raise CnncalcError(f"{words}.out_not_ours", path=str(full))
        if _sha(full) != listed[rel]:
            raise CnncalcError(f"{words}.out_changed", path=str(full))
    return manifest


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False when
    the system cannot."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, exchange = -100, 2
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), exchange)
    return rc == 0


class ReportSet:
    """Writes one report set into ``out`` (see the module's docstring)."""

    def __init__(self, out: Path | str, *, wait: float = LOCK_WAIT, words: str = "grade") -> None:
        out = Path(out)
        if out.is_symlink() or out.name in ("", ".", ".."):  # `--out .`: the folder's own name
            out = Path(os.path.realpath(out))
        self.out = out
        self.parent = out.parent if str(out.parent) else Path(".")
        self.wait = wait
        self.words = words  # the area of the refusals' message keys: "grade" or "making"
        self.manifest: dict[str, Any] | None = None
        self.staging = self.parent / f".{out.name}{_NEW}{os.getpid()}"
        self._lock_fd: int | None = None
        self._done = False
        self.known: dict[str, str] = {}  # rel -> SHA-256 of a file put in, not read back

    # ----------------------------------------------------------------- lock and checks

    def __enter__(self) -> Self:
        self.parent.mkdir(parents=True, exist_ok=True)
        self._lock()
        try:
            self._repair()
            self.manifest = check_ours(self.out, self.words)
            self._remove(self.staging)
            self.staging.mkdir()
            (self.staging / _MARK).write_bytes(b"")
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            _remove_fully(self.staging)
        finally:
            self._unlock()

    def _lock(self) -> None:
        import fcntl

        path = self.parent / f".{self.out.name}{_LOCK}"
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise CnncalcError(f"{self.words}.out_locked", path=str(self.out), seconds=int(self.wait)) from None
                time.sleep(0.05)
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None

    def _repair(self) -> None:
        """Undo what a killed run left: a half-done two-rename swap, stale folders."""
        prefix = f".{self.out.name}"
        for entry in os.listdir(self.parent):
            if not entry.startswith(prefix + _NEW) and not entry.startswith(prefix + _OLD):
                continue
            path = self.parent / entry
            if not path.is_dir() or path.is_symlink():
                continue
            if entry.startswith(prefix + _OLD) and not self.out.exists() and read_manifest(path):
                os.rename(path, self.out)  # killed between the two renames: the old set back
                continue
            if (path / _MARK).exists() or read_manifest(path) is not None:
                self._remove(path)

    @staticmethod
    def _remove(path: Path) -> None:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)

    # ----------------------------------------------------------------- adding files

    def path(self, rel: str) -> Path:
        """Where to write ``rel`` in the fresh folder (its folders made)."""
        full = self.staging / rel
        full.parent.mkdir(parents=True, exist_ok=True)
        return full

    def add(self, rel: str, data: str | bytes) -> None:
        """Put one file into the set."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        target = self.path(rel)
        try:  # a carried file is a hard link into the current set: never write through it
            os.unlink(target)
        except FileNotFoundError:
            pass
        with open(target, "wb") as fh:
            fh.write(raw)
        self.known[rel] = hashlib.sha256(raw).hexdigest()

    def written(self, folder: str, hashes: dict[str, str]) -> None:
        """Tell the set the SHA-256 of files written under ``folder`` by their writer
        (``FeedbackWriter.hashes``), so that ``commit`` need not read them back."""
        for name, sha in hashes.items():
            self.known[f"{folder}/{name}"] = sha

    def current(self, rel: str) -> Path | None:
        """A file of the set now in ``out`` (checked by its manifest), or None."""
        if self.manifest is None or rel not in self.manifest["files"]:
            return None
        return self.out / rel

    def current_files(self) -> list[str]:
        return sorted(self.manifest["files"]) if self.manifest else []

    def carry(self, rel: str) -> None:
        """Keep ``rel`` of the current set in the new one, unchanged."""
        src = self.out / rel
        dst = self.path(rel)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)
        if self.manifest is not None and rel in self.manifest["files"]:
            self.known[rel] = self.manifest["files"][rel]  # checked by check_ours

    # ----------------------------------------------------------------- the swap

    def commit(self) -> None:
        """Write the manifest and put the fresh folder in place of ``out`` in one step."""
        os.unlink(self.staging / _MARK)
        files = {rel: self.known.get(rel) or _sha(self.staging / rel)
                 for rel in _files(self.staging) if not rel.endswith("/")}
        manifest = {"written_by": WRITERS[self.words], "format": 1, "files": files}
        (self.staging / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
            encoding="utf-8",
            errors="surrogateescape",
        )
        os.chmod(self.staging, 0o777 & ~_umask())
        if not self.out.exists():
            os.rename(self.staging, self.out)
        elif not _exchange(self.staging, self.out):
            old = self.parent / f".{self.out.name}{_OLD}{os.getpid()}"
            os.rename(self.out, old)
            os.rename(self.staging, self.out)
            self.staging = old
        self._done = True  # __exit__ removes the old set, now at self.staging


def _remove_fully(path: Path) -> None:
    """Remove ``path`` even when Ctrl-C (or SIGTERM, handled alike) comes meanwhile:
    removing a set of 10,000 files takes a while, and an interrupted removal would
    leave half a folder beside ``out``. The interruption is raised once it is gone."""
    interrupted: BaseException | None = None
    while True:
        try:
            ReportSet._remove(path)
            break
        except KeyboardInterrupt as exc:
            interrupted = exc
    if interrupted is not None:
        raise interrupted


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
