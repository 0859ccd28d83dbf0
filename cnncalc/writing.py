"""How every stage writes a file: atomically, never replacing a device; matrices as full-precision text.

>>> matrix_text(np.array([[0.5, 2.0]]))
'0.5\\t2\\n'
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

# --------------------------------------------------------------------------- writing


def matrix_text(array: np.ndarray) -> str:
    """Full-precision text that ``read_matrix`` reads back exactly.

    >>> matrix_text(np.array([[1.0, 0.5], [-2.0, 1 / 3]])).split()
    ['1', '0.5', '-2', '0.3333333333333333']
    """
    from cnncalc.numfmt import format_full

    arr = np.asarray(array, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[None, :]
    maps = arr.reshape(-1, *arr.shape[-2:])
    blocks = ["\n".join("\t".join(format_full(v) for v in row) for row in m.tolist()) for m in maps]
    return "\n\n".join(blocks) + "\n"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A device, FIFO or terminal, and anything under ``/dev`` or ``/proc``
    (``-o /dev/stdout``, ``/dev/null``), is written in place: a rename would
    replace it with a plain file. A symlink is written through: the file it
    points to is replaced and the link stays.
    """
    import stat
    import tempfile

    p = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = p.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    special = str(p).startswith(("/dev/", "/proc/"))  # /dev/stdout may be a redirected file
    if mode is not None and (special or not stat.S_ISREG(mode)) and not stat.S_ISDIR(mode):
        with open(p, "ab") as fh:  # appends, as a shell's stdout does
            fh.write(raw)
        return
    if p.is_symlink():
        p = Path(os.path.realpath(p))
    p.parent.mkdir(parents=True, exist_ok=True)
    # the name cut, so that a 255-byte target still leaves room for the temporary's
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name[:40]}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        # mkstemp makes the file 0600; a report should get the usual 0666 & ~umask
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
