"""File names for students: one feedback file per student, safe on every file system.

>>> feedback_name("alice")
'alice.md'
"""

from __future__ import annotations

import os
import re


def feedback_name(student: str) -> str:
    """The feedback file of a student: ``<student>.md`` (path separators replaced).

    Injective: ``%``, ``/``, ``\\``, control characters (NUL, newline, tab) and a
    leading ``.`` are percent-encoded, so ``a\\b`` and ``a_b`` get two files.

    >>> feedback_name("alice"), feedback_name("a/b"), feedback_name("a\\\\b"), feedback_name("a_b")
    ('alice.md', 'a%2Fb.md', 'a%5Cb.md', 'a_b.md')
    >>> len(feedback_name("张" * 90).encode()), feedback_name("x" * 300)[-16:]
    (253, '~0d4e2ca9e9cb.md')
    """
    safe = student.replace("%", "%25").replace("/", "%2F").replace("\\", "%5C")
    safe = _CONTROLS.sub(lambda m: f"%{ord(m.group()):02X}", safe)  # NUL, newline, tab...
    if safe.startswith("."):
        safe = "%2E" + safe[1:]
    if len(os.fsencode(safe)) + len(".md") > _MAX_NAME_BYTES:  # a file name holds 255 bytes
        import hashlib

        digest = hashlib.sha256(os.fsencode(safe)).hexdigest()[:12]
        while len(os.fsencode(safe)) > _MAX_NAME_BYTES - len(".md") - len(digest) - 1:
            safe = safe[:-1]
        safe = f"{safe}~{digest}"
    return safe + ".md"


def markdown_id(student: str) -> str:
    r"""An id inside a line of Markdown, read as text: the characters that make links,
    emphasis, code, tables, strikethrough or maths get a backslash (CommonMark lets any
    ASCII punctuation be escaped so). ``&``, ``<`` and ``>`` are left to the caller,
    which writes them as HTML entities.

    >>> print(markdown_id("[link](http:evil)"), markdown_id("a|b"), markdown_id("*x*_y_"))
    \[link\](http:evil) a\|b \*x\*\_y\_
    """
    return _MARKDOWN.sub(r"\\\g<0>", student)


_MARKDOWN = re.compile(r"[\\`*_\[\]|~$]")
_MAX_NAME_BYTES = 255
_CONTROLS = re.compile("[\x00-\x1f\x7f]")
