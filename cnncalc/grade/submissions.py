"""Find the submissions in a folder and read them safely.

A submission is one file per student (``alice.txt``: the student id is the file
stem) or one folder per student (``bob/``: the id is the folder name; its files
are read in name order, nested folders included). Several entries with the same
id (``alice.txt`` and ``alice.csv``, or ``alice.txt`` and ``alice/``) are a
resubmission nobody can read the intent of: none is graded, the submission is
``malformed`` and says which entries were handed in (docs/decisions.md).

Safety rules, for folders handed in by a whole class:

* hidden entries (``.name``) are not read; those of the submissions folder itself
  are listed for the summary (``hidden``), operating-system litter aside;
* a symlink is followed only when its target stays inside the submissions
  folder; one that leaves it (or loops) is reported, never opened;
* only regular files are opened: a FIFO, socket or device is reported, never
  opened (so nothing can block); files are opened non-blocking and without
  following a last-moment symlink;
* a file over ``max_bytes`` is ``too-large`` and never read;
* nothing is ever written into the folder.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "alice.txt").write_text("1 2\\n")
>>> (root / "bob").mkdir(); _ = (root / "bob" / "answer.txt").write_text("3\\n")
>>> _ = (root / ".hidden.txt").write_text("x")
>>> [(s.student, [name for _, name in s.files]) for s in discover(root)]
[('alice', ['alice.txt']), ('bob', ['bob/answer.txt'])]
"""

from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MAX_BYTES = 1 << 20
MAX_DEPTH = 4  # nested folders inside one student's folder
MAX_FILES = 64  # files read for one student


@dataclass
class Submission:
    """What was found for one student, before reading.

    ``files`` are ``(path to open, name relative to the submissions folder)``.
    ``skipped`` lists entries that are not read, as ``(name, message key)``: a
    symlink leaving the folder, a FIFO, a folder nested too deep. ``problem`` is
    ``(status, message key, params)`` when nothing at all can be read, or when
    ``entries`` (the names in the submissions folder that give this id, a folder
    written ``name/``) are more than one: which of them counts is not guessed.
    """

    student: str
    files: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)

    @property
    def problem(self) -> tuple[str, str, dict] | None:
        if len(self.entries) > 1:
            return "malformed", "intake.several_files", {
                "count": len(self.entries), "names": ", ".join(self.entries), "student": self.student}
        if self.files:
            return None
        if self.skipped:
            name, key = self.skipped[0]
            return "unreadable", key, {"name": name}
        return "empty", "grade.empty_folder", {}


class ReadProblem(Exception):
    """A file that cannot be read: a status (``unreadable``/``too-large``) and a message key."""

    def __init__(self, status: str, key: str, **params: object) -> None:
        super().__init__(key)
        self.status = status
        self.key = key
        self.params = params


def student_id(name: str, is_dir: bool) -> str:
    """The student id of an entry: a folder's name, a file's stem.

    >>> student_id("alice.txt", False), student_id("bob.txt", True), student_id("-rf.txt", False)
    ('alice', 'bob.txt', '-rf')
    """
    if is_dir:
        return name
    stem, dot, _ = name.rpartition(".")
    return stem if dot and stem else name


def display_name(name: str) -> str:
    """A file name as people read it: names that are not UTF-8 (bytes the OS hands
    over as surrogates) are read as GB18030 (Chinese Windows archives), else their
    bad bytes are written ``\\xff``, so every name stays distinct and printable.

    >>> display_name("alice.txt"), display_name("bad\\udcff.txt")
    ('alice.txt', 'bad\\\\xff.txt')
    >>> display_name("\\udcd5\\udcc5\\udcc8\\udcfd.txt")
    '张三.txt'
    """
    from cnncalc.messages import printable

    try:
        name.encode("utf-8")
        return printable(unicodedata.normalize("NFC", name))
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape")
    try:
        return printable(unicodedata.normalize("NFC", raw.decode("gb18030")))
    except UnicodeDecodeError:
        return printable(raw.decode("utf-8", "backslashreplace"))


def _plain(name: str) -> bool:
    """A name that is UTF-8 and has no control character (shown as it is, up to NFC)."""
    from cnncalc.messages import printable

    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return printable(name) == name


def _stem(name: str) -> str:
    stem, dot, _ = name.rpartition(".")
    return stem if dot and stem else name


def _inside(real: str, root_real: str) -> bool:
    return real.startswith(root_real.rstrip(os.sep) + os.sep)


def discover(
    folder: Path | str, *, skip: tuple[Path | str | None, ...] = (), hidden: list[str] | None = None
) -> list[Submission]:
    """The submissions in ``folder``, sorted by student id.

    ``skip`` lists files to leave out when they are inside the folder (the
    assignment file, the roster). ``hidden``, when given, receives the names of
    the folder's hidden entries that were not read (``.late.txt``, ``..txt``),
    leaving out operating-system litter (``.DS_Store``, ``._*``, ``.git``).
    """
    root = os.fspath(folder)
    root_real = os.path.realpath(root)
    skipped = {os.path.realpath(os.fspath(p)) for p in skip if p is not None}
    skipped_names = {os.path.basename(p) for p in skipped}
    by_id: dict[str, Submission] = {}
    raw_of: dict[str, str] = {}  # student id -> the raw name (stem) that made it
    with os.scandir(root) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        name = entry.name
        if name in skipped_names and os.path.realpath(entry.path) in skipped:
            continue
        if name.startswith("."):
            if hidden is not None and not _litter(name):
                hidden.append(display_name(name))
            continue
        raw = name
        name = display_name(name)
        kind, real = _follow(entry, root_real)
        sid = student_id(name, kind == "dir")
        raw_stem = raw if kind == "dir" else _stem(raw)
        first = raw_of.setdefault(sid, raw_stem)
        if first != raw_stem:  # another name gives the same id
            if not _plain(raw_stem) or not _plain(first):
                # a name shown escaped or decoded (not UTF-8, controls): a student of its own
                sid = f"{sid}~{os.fsencode(raw_stem).hex()}"
                raw_of.setdefault(sid, raw_stem)
            else:  # the same id in two Unicode forms (NFC, NFD): a true duplicate
                by_id[sid].skipped.append((name, "grade.duplicate"))
                continue
        sub = by_id.get(sid)
        if sub is None:
            sub = by_id[sid] = Submission(sid)
        sub.entries.append(name + "/" if kind == "dir" else name)
        if kind == "file":
            sub.files.append((real, name))
        elif kind == "dir":
            _walk(real, name, root_real, sub, 1, {os.path.realpath(real)})
        else:
            sub.skipped.append((name, kind))
    return [by_id[k] for k in sorted(by_id)]


_LITTER = frozenset((".DS_Store", ".git", ".svn", ".hg", ".ipynb_checkpoints", ".localized", ".directory",
                     ".Trashes", ".Spotlight-V100", ".fseventsd", ".TemporaryItems"))


def _litter(name: str) -> bool:
    """A hidden name an operating system or a tool leaves behind, never a student's."""
    return name in _LITTER or name.startswith("._")


def _follow(entry: os.DirEntry, root_real: str) -> tuple[str, str]:
    """``(kind, path)``: kind is file, dir or the message key of why it is not read."""
    try:
        if entry.is_symlink():
            real = os.path.realpath(entry.path)
            if not _inside(real, root_real):
                return "grade.symlink_out", real
            try:
                mode = os.stat(real).st_mode
            except OSError:  # broken link, loop
                return "grade.broken_link", real
            if stat.S_ISDIR(mode):
                return "dir", real
            return ("file" if stat.S_ISREG(mode) else "grade.not_regular"), real
        if entry.is_dir(follow_symlinks=False):
            return "dir", entry.path
        if entry.is_file(follow_symlinks=False):
            return "file", entry.path
    except OSError:
        return "grade.cannot_list", entry.path
    return "grade.not_regular", entry.path


def _walk(path: str, rel: str, root_real: str, sub: Submission, depth: int, seen: set[str]) -> None:
    """Add the regular files of a student's folder (name order, nested folders too)."""
    try:
        with os.scandir(path) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        sub.skipped.append((rel, "grade.cannot_list"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        name = f"{rel}/{display_name(entry.name)}"
        kind, real = _follow(entry, root_real)
        if kind == "file":
            if len(sub.files) >= MAX_FILES:
                _too_many(sub, name)
            else:
                sub.files.append((real, name))
        elif kind == "dir":
            key = os.path.realpath(real)
            if key in seen:  # a symlink back up the student's own folder
                sub.skipped.append((name, "intake.seen_twice"))
            elif depth >= MAX_DEPTH:
                sub.skipped.append((name, "intake.too_deep"))
            else:
                _walk(real, name, root_real, sub, depth + 1, seen | {key})
        else:
            sub.skipped.append((name, kind))


def _too_many(sub: Submission, name: str) -> None:
    """Note the first file over ``MAX_FILES``; later ones only raise its count
    (``bob/f65.txt … (+2935)``), so a folder of thousands of files gives one note."""
    for k, (first, key) in enumerate(sub.skipped):
        if key == "grade.too_many_files":
            head, _, count = first.partition(" … (+")
            more = int(count.rstrip(")")) + 1 if count else 1
            sub.skipped[k] = (f"{head} … (+{more})", key)
            return
    sub.skipped.append((name, "grade.too_many_files"))


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
_OPEN_FLAGS |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def read_limited(path: str, limit: int) -> bytes:
    """A regular file's bytes; ``ReadProblem`` when it is over ``limit`` (never
    read), not a regular file (never read) or cannot be opened.

    >>> import tempfile, os
    >>> fd, p = tempfile.mkstemp(); os.write(fd, b"1 2\\n"); os.close(fd)
    4
    >>> read_limited(p, 10)
    b'1 2\\n'
    >>> read_limited(p, 3)
    Traceback (most recent call last):
    ...
    cnncalc.grade.submissions.ReadProblem: grade.too_large
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise ReadProblem("unreadable", "grade.cannot_open", reason=exc.strerror or str(exc)) from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ReadProblem("unreadable", "grade.not_regular", name=os.path.basename(path))
        if st.st_size > limit:
            raise ReadProblem("too-large", "grade.too_large", size=st.st_size, limit=limit)
        # one read of size + 1 bytes gives the whole file; anything else (it grew
        # or shrank since fstat, a short read) reads on to the end, up to the limit
        data = os.read(fd, st.st_size + 1)
        if len(data) == st.st_size:
            return data
        chunks = [data]
        total = len(data)
        while total <= limit:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
        raise ReadProblem("too-large", "grade.too_large", size=total, limit=limit)
    except OSError as exc:
        raise ReadProblem("unreadable", "grade.cannot_open", reason=exc.strerror or str(exc)) from exc
    finally:
        os.close(fd)


def read_roster(path: Path | str) -> list[str]:
    """Student ids from a CSV file with a ``student`` column (any case, BOM allowed).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "roster.csv"
    >>> _ = p.write_text("Student,name\\nalice,Alice A\\n bob ,Bob B\\n\\n")
    >>> read_roster(p)
    ['alice', 'bob']
    >>> _ = p.write_text("name;student\\nAlice A;alice\\n")
    >>> read_roster(p)
    ['alice']
    """
    import csv
    import io

    from cnncalc.errors import CnncalcError
    from cnncalc.read import decode_bytes, read_bytes

    name = str(path)
    data = decode_bytes(read_bytes(path, max_bytes=64 << 20), name)
    first = data.lstrip("\ufeff").partition("\n")[0]
    # spreadsheets in many locales export ';' (or tabs) instead of ','
    delimiter = next((d for d in ",;\t" if d in first), ",")
    rows = list(csv.reader(io.StringIO(data), delimiter=delimiter))
    if not rows:
        raise CnncalcError("grade.roster_column", path=name)
    header = [h.strip().lower() for h in rows[0]]
    if "student" not in header:
        raise CnncalcError("grade.roster_column", path=name)
    col = header.index("student")
    from cnncalc.messages import printable

    return [
        printable(unicodedata.normalize("NFC", r[col].strip())) for r in rows[1:] if len(r) > col and r[col].strip()
    ]
