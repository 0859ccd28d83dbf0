"""Bytes to text: UTF-8 (with or without BOM), UTF-16, GB18030.

>>> decode_bytes('1 2'.encode('gb18030'), 'x.txt')
'1 2'
"""

from __future__ import annotations

from cnncalc.errors import MatrixFormatError

# --------------------------------------------------------------------------- text


def decode_bytes(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise MatrixFormatError("read.encoding", file=source) from exc
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        raise MatrixFormatError("read.binary", file=source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise MatrixFormatError("read.encoding", file=source) from exc


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a BOM (some editors' "Unicode"): the high byte
    of ASCII characters is 0, and all of it decodes to printable text. None when
    the bytes do not look like that."""
    if len(data) % 2 or len(data) < 2:
        return None
    even, odd = data[0::2], data[1::2]
    for zeros, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.25 * len(zeros) and zeros.count(0) > 2 * other.count(0):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            if all(ch.isprintable() or ch in "\r\n\t\f\v" for ch in text):
                return text
    return None
