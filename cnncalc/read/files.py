"""Read matrix files: text, .npy, .json and pictures, with sizes and names checked.

>>> read_text_matrix('1 2\\n3 4').tolist()
[[1.0, 2.0], [3.0, 4.0]]
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from cnncalc.errors import MatrixFormatError
from cnncalc.read.decode import decode_bytes
from cnncalc.read.grids import Grid, grids_to_array
from cnncalc.read.jsontext import check_array as _check_array
from cnncalc.read.jsontext import grids_from_array as _grids_from_array
from cnncalc.read.jsontext import load_json as _load_json
from cnncalc.read.jsontext import looks_like_json as _looks_like_json
from cnncalc.read.scan import IMAGE_SUFFIXES, parse_text

# --------------------------------------------------------------------------- files


def _display_name(path: Path | str) -> str:
    name = str(path)
    if not name.isprintable():  # a NUL or a newline in a name stays on one line
        name = repr(name)[1:-1]
    return name


def _check_path(path: object) -> None:
    """A file name must be non-empty text (or a ``Path``)."""
    from cnncalc.errors import ParameterError

    if not isinstance(path, (str, os.PathLike)):
        raise ParameterError("read.bad_path", value=path)
    if not str(path).strip():
        raise MatrixFormatError("read.no_name", file='""')


MAX_INPUT_BYTES = 64 << 20  # an input file of a single command: 64 MiB (README "Limits")


def read_bytes(path: Path | str, *, max_bytes: int | None = None) -> bytes:
    """Read a file's bytes, turning OS errors into ``MatrixFormatError``."""
    _check_path(path)
    p = Path(path)
    name = _display_name(path)
    try:
        if p.is_dir():
            raise MatrixFormatError("read.is_directory", file=name)
        limit = MAX_INPUT_BYTES if max_bytes is None else max_bytes
        size = p.stat().st_size
        if size > limit:
            raise MatrixFormatError("read.too_large", file=name, size=size, limit=limit,
                                    mib=f"{limit / 2**20:.3g}")
        with open(p, "rb") as fh:  # a device (/dev/zero) has no size: read up to the limit
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise MatrixFormatError("read.too_large", file=name, size=f"more than {limit:,}", limit=limit,
                                    mib=f"{limit / 2**20:.3g}")
        return data
    except FileNotFoundError as exc:
        raise MatrixFormatError("read.not_found", file=name) from exc
    except OSError as exc:
        raise MatrixFormatError("read.unreadable", file=name, reason=exc.strerror or str(exc)) from exc
    except ValueError as exc:  # a NUL in the name
        raise MatrixFormatError("read.unreadable", file=name, reason=str(exc)) from exc


def read_grids(
    path: Path | str,
    *,
    allow_nonfinite: bool = False,
    max_bytes: int | None = None,
    decimals: bool = True,
) -> list[Grid]:
    """Read every block of a matrix file as a ``Grid`` (text, .npy, .json or picture).

    ``decimals=False``: the numbers are all that is wanted (see ``parse_text``)."""
    _check_path(path)
    name = _display_name(path)
    suffix = Path(path).suffix.lower()
    data = read_bytes(path, max_bytes=max_bytes)
    if suffix == ".npy":
        return npy_grids(data, name, allow_nonfinite)
    if suffix in IMAGE_SUFFIXES:
        return _grids_from_array(_load_image(path, name), name)
    text = decode_bytes(data, name)
    if suffix == ".json" or _looks_like_json(text):  # cnncalc's JSON saved as .txt
        return _grids_from_array(_load_json(text, name, allow_nonfinite), name)
    return parse_text(
        text,
        source=name,
        allow_nonfinite=allow_nonfinite,
        skip_header=suffix in (".csv", ".tsv"),
        decimals=decimals,
    )


def read_matrix(
    path: Path | str, *, allow_nonfinite: bool = False, max_bytes: int | None = None
) -> np.ndarray:
    """Read a matrix file: one block gives (H, W), C equal blocks give (C, H, W).

    ``.npy`` and ``.json`` files keep their own 2-D to 4-D shape.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "k.txt"
    >>> _ = p.write_text("1 -1\\n-1 1\\n")
    >>> read_matrix(p).tolist()
    [[1.0, -1.0], [-1.0, 1.0]]
    """
    _check_path(path)
    name = _display_name(path)
    suffix = Path(path).suffix.lower()
    if suffix in (".npy", ".json"):
        data = read_bytes(path, max_bytes=max_bytes)
        if suffix == ".npy":
            return _load_npy(data, name, allow_nonfinite)
        return _load_json(decode_bytes(data, name), name, allow_nonfinite)
    if suffix in IMAGE_SUFFIXES:
        return grids_to_array(read_grids(path, allow_nonfinite=allow_nonfinite, max_bytes=max_bytes))
    text = decode_bytes(read_bytes(path, max_bytes=max_bytes), name)
    return read_text_matrix(text, source=name, allow_nonfinite=allow_nonfinite,
                            skip_header=suffix in (".csv", ".tsv"))


# a line (LF, CRLF or a lone CR) that is a directive setting batch=
_BATCH_RE = re.compile(
    r"(?:\A|(?<=[\n\r]))[ \t]*[#＃]\s*cnncalc\s*[:：][^\n\r]*?\bbatch\s*[=＝]\s*(\S+)", re.IGNORECASE
)


def read_text_matrix(
    text: str, *, source: str = "<stdin>", allow_nonfinite: bool = False, skip_header: bool = False
) -> np.ndarray:
    """Like ``read_matrix`` for text already in memory (stdin). JSON (cnncalc's own
    ``--format json``, or nested lists) is read as a ``.json`` file is, at full precision.

    A ``# cnncalc: batch=N`` line makes the M blocks N images of M/N channels,
    a (N, M/N, H, W) batch.

    >>> read_text_matrix("# cnncalc: batch=2\\n1 2\\n\\n3 4\\n").shape
    (2, 1, 1, 2)
    >>> read_text_matrix('{"shape": [1, 2], "output": [[0.5, 0.3333333333333333]]}').tolist()
    [[0.5, 0.3333333333333333]]
    """
    if _looks_like_json(text):  # cnncalc's --format json, piped or saved as .txt
        return _load_json(text, source, allow_nonfinite)
    grids = parse_text(text, source=source, allow_nonfinite=allow_nonfinite,
                       skip_header=skip_header, decimals=False)  # the numbers are all it needs
    arr = grids_to_array(grids)
    m = _BATCH_RE.search(text) if "#" in text or "＃" in text else None  # a directive is a comment
    if m is None:
        return arr
    try:
        n = int(m.group(1))
    except ValueError:
        n = 0
    blocks = 1 if arr.ndim == 2 else arr.shape[0]
    if n < 1 or blocks % n:
        before = text[: m.start()].splitlines()  # lines as the scanner numbers them
        line = len(before) + 1 if m.start() else 1
        line_text = text[m.start() :].splitlines()[0]
        raise MatrixFormatError("read.batch", file=source, line=line, column=m.start(1) - m.start() + 1,
                                line_text=line_text, value=m.group(1), blocks=blocks)
    return arr.reshape(n, blocks // n, *arr.shape[-2:])


def npy_grids(data: bytes, name: str, allow_nonfinite: bool = False) -> list[Grid]:
    """The blocks of a ``.npy`` file. float64 (and integer) values keep full precision;
    float32 and float16 values are read as written to their own precision: the 6 (float16:
    3) significant digits any float32 keeps, so PyTorch's default dtype, which saves 7/9 as
    0.77777779, reads as 0.777778, six decimals, right for 7/9 (docs/decisions.md).

    >>> import io
    >>> buf = io.BytesIO(); np.save(buf, np.array([[7 / 9, 0.5]], dtype=np.float32))
    >>> g = npy_grids(buf.getvalue(), "a.npy")[0]
    >>> g.values.tolist(), g.decimals.tolist()
    ([[0.777778, 0.5]], [[6, 1]])
    """
    arr, decimals = _load_npy_written(data, name, allow_nonfinite)
    return _grids_from_array(arr, name, decimals)


def _as_written_low(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """float32/float16 values as the decimals their precision guarantees (float64) and
    those decimals: 6 significant digits for float32 (``FLT_DIG``), 3 for float16, the
    digits that survive any round trip through the type."""
    digits = 6 if arr.dtype == np.float32 else 3
    texts = [
        np.format_float_positional(v, precision=digits, unique=False, fractional=False, trim="-")
        if np.isfinite(v)
        else repr(float(v))
        for v in arr.reshape(-1).astype(np.float64)
    ]
    values = np.array([float(t) for t in texts], dtype=np.float64).reshape(arr.shape)
    decimals = np.array(
        [min(99, len(t.partition(".")[2])) if "." in t else 0 for t in texts], dtype=np.int16
    ).reshape(arr.shape)
    return values, decimals


def _load_npy(data: bytes, name: str, allow_nonfinite: bool = False) -> np.ndarray:
    return _load_npy_written(data, name, allow_nonfinite)[0]


def _load_npy_written(
    data: bytes, name: str, allow_nonfinite: bool = False
) -> tuple[np.ndarray, np.ndarray | None]:
    """The array as float64, and for float32/float16 the decimals of each value as written."""
    import io

    if not data.startswith(b"\x93NUMPY"):
        raise MatrixFormatError("read.npy", file=name, reason="no NUMPY header")
    try:
        arr = np.load(io.BytesIO(data), allow_pickle=False)
    except Exception as exc:  # numpy raises ValueError, OSError, EOFError...
        reason = str(exc).splitlines()[0][:100] if str(exc) else type(exc).__name__
        if "pickle" in reason:
            reason = "it holds Python objects (pickle), which cnncalc never loads"
        raise MatrixFormatError("read.npy", file=name, reason=reason) from exc
    if not isinstance(arr, np.ndarray) or arr.dtype.kind not in "biuf":
        raise MatrixFormatError("read.npy_dtype", file=name, dtype=getattr(arr, "dtype", "?"))
    if arr.dtype in (np.float32, np.float16):
        values, decimals = _as_written_low(arr)
        return _check_array(values, name, allow_nonfinite), decimals
    return _check_array(arr.astype(np.float64), name, allow_nonfinite), None


def _load_image(path: Path | str, name: str) -> np.ndarray:
    try:
        from PIL import Image
    except ImportError as exc:
        raise MatrixFormatError("read.image_needs_pillow", file=name) from exc
    try:
        with Image.open(path) as img:
            img.load()
            gray = img.convert("L")
            return np.asarray(gray, dtype=np.float64).copy()
    except Exception as exc:  # Pillow raises many types for bad files
        raise MatrixFormatError("read.image_bad", file=name, reason=str(exc)[:100]) from exc
