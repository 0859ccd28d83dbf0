"""Bytes to text: UTF-8 (with or without BOM), UTF-16 and UTF-32 (BOM or not), GB18030.

A file that is not text (a Word or Excel file, a picture, a PDF renamed ``.txt``)
is refused with a sentence naming what it is, never read as numbers.

>>> decode_bytes('1 2'.encode('gb18030'), 'x.txt')
'1 2'
>>> decode_bytes('1 2'.encode('utf-32'), 'x.txt'), decode_bytes('1 2'.encode('utf-16-le'), 'x.txt')
('1 2', '1 2')
"""

from __future__ import annotations

from cnncalc.errors import MatrixFormatError

# Byte-order marks, UTF-32's first: its little-endian mark starts with UTF-16's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)
# What a file that is not text is, by its first bytes: (magic, message key, kind).
_NOT_TEXT = (
    (b"PK\x03\x04", "read.binary.zip", ""),
    (b"\xd0\xcf\x11\xe0", "read.binary.office", ""),
    (b"%PDF", "read.binary.pdf", ""),
    (b"{\\rtf", "read.binary.rtf", ""),
    (b"\x93NUMPY", "read.binary.npy", ""),
    (b"\x89PNG", "read.binary.picture", "PNG"),
    (b"\xff\xd8\xff", "read.binary.picture", "JPEG"),
    (b"GIF8", "read.binary.picture", "GIF"),
)

# --------------------------------------------------------------------------- text


def decode_bytes(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-32/UTF-16 (with a BOM, or recognised by
    their zero bytes), or GB18030; refuse anything else with one sentence."""
    for magic, key, kind in _NOT_TEXT:
        if data.startswith(magic):
            raise MatrixFormatError(key, file=source, kind=kind)
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise MatrixFormatError("read.encoding.bom", file=source, codec=label) from exc
    if b"\x00" in data:
        return _wide_without_bom(data, source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise MatrixFormatError("read.encoding", file=source) from exc


def _wide_without_bom(data: bytes, source: str) -> str:
    """UTF-32 or UTF-16 text saved without a BOM (some editors' "Unicode"): the high
    bytes of ASCII characters are 0. Text that has that pattern but does not decode
    to printable text is refused naming the encoding; other bytes with a NUL are binary."""
    codec = _wide_codec(data)
    if codec is None:
        raise MatrixFormatError("read.binary", file=source)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        text = None
    if text is not None and all(ch.isprintable() or ch in "\r\n\t\f\v" for ch in text):
        return text
    # a wide text with a flaw (an odd last byte, a stray control) is said to be one;
    # bytes that mostly do not decode to printable text are binary
    loose = data.decode(codec, errors="replace")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in loose)
    if printable < 0.9 * len(loose):
        raise MatrixFormatError("read.binary", file=source)
    label = codec.upper().replace("-LE", " LE").replace("-BE", " BE")
    raise MatrixFormatError("read.encoding.nul", file=source, codec=label)


def _wide_codec(data: bytes) -> str | None:
    """The codec whose zero-byte pattern ``data`` has: ``utf-32-le/be`` when three bytes
    of every four are mostly 0, ``utf-16-le/be`` when one byte of every two is; else None."""
    n = len(data)
    if n >= 4:
        quarter = [data[k::4].count(0) for k in range(4)]
        size = n / 4
        if quarter[3] >= 0.9 * size and quarter[2] >= 0.9 * size and quarter[0] <= 0.1 * size:
            return "utf-32-le"
        if quarter[0] >= 0.9 * size and quarter[1] >= 0.9 * size and quarter[3] <= 0.1 * size:
            return "utf-32-be"
    if n >= 2:
        even, odd = data[0::2].count(0), data[1::2].count(0)
        half = n / 2
        if odd >= 0.25 * half and odd > 2 * even:
            return "utf-16-le"
        if even >= 0.25 * half and even > 2 * odd:
            return "utf-16-be"
    return None
