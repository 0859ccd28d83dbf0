"""Problem files, the seed's homework layout: image, kernel, ``=``, answer, repeated.

>>> [p.answer[0].values.tolist() for p in parse_problems('1 2\\n3 4\\n\\n1\\n=\\n1 2\\n3 4')]
[[[1.0, 2.0], [3.0, 4.0]]]
"""

from __future__ import annotations

from pathlib import Path

from cnncalc.errors import MatrixFormatError
from cnncalc.read.decode import decode_bytes
from cnncalc.read.files import _display_name, read_bytes
from cnncalc.read.grids import Grid, Problem
from cnncalc.read.scan import _TRANSLATE, _group_items, _scan

# --------------------------------------------------------------------------- problems


def parse_problems(text: str, *, source: str = "<text>", allow_nonfinite: bool = False) -> list[Problem]:
    """Parse the seed's homework layout: image, kernel, ``=``, answer, repeated.

    An operator line (``*``, ``⊗``, ``conv``, ``x``) may stand between the image
    and the kernel; then all blocks before it are image channels and all after it
    kernels. Without one, the last block before ``=`` is the kernel. The answer
    has one block per output map. ``# cnncalc: key=value`` directives apply to
    the problems that follow them.

    >>> p = parse_problems("1 2\\n3 4\\n\\n1\\n=\\n1 2\\n3 4")[0]
    >>> p.image_array().tolist(), p.kernel_array().tolist(), len(p.answer)
    ([[1.0, 2.0], [3.0, 4.0]], [[1.0]], 1)
    """
    scanner = _scan(text, source, allow_nonfinite)
    items = _group_items(scanner)
    lines = text.splitlines()
    directives = sorted(scanner.directives)
    problems: list[Problem] = []

    def layout_error(key: str, line: int, **params: object) -> MatrixFormatError:
        return MatrixFormatError(
            key, file=source, line=line, column=1, line_text=lines[line - 1], **params
        )

    last_equals = 0
    pending: list[Grid] = []
    operator_at: int | None = None
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, Grid):
            pending.append(item)
            i += 1
            continue
        if item.text != "=":
            if not pending or operator_at is not None:
                raise layout_error("read.operator_stray", item.line)
            operator_at = len(pending)
            i += 1
            continue
        number = len(problems) + 1
        if operator_at is not None:
            image, kernel = pending[:operator_at], pending[operator_at:]
        else:
            image, kernel = pending[:-1], pending[-1:]
        if not image or not kernel:
            raise layout_error("read.problem_layout", item.line, problem=number)
        # one map per filter, but C blocks across C channels are one filter
        maps = 1 if 1 < len(image) == len(kernel) else len(kernel)
        answer: list[Grid] = []
        j = i + 1
        while j < len(items) and isinstance(items[j], Grid) and len(answer) < maps:
            answer.append(items[j])  # type: ignore[arg-type]
            j += 1
        if not answer:
            raise layout_error("read.problem_no_answer", item.line, problem=number)
        first_line = image[0].line
        options: dict[str, str] = {}
        places: dict[str, tuple[int, int]] = {}
        for lineno, opts in directives:
            if lineno < item.line:  # above this problem's '=': this problem and the next ones
                options.update(opts)
                places.update((k, (lineno, scanner.directive_cols[lineno][k])) for k in opts)
        problems.append(Problem(image, kernel, answer, options, first_line, places))
        last_equals = item.line
        pending, operator_at = [], None
        i = j
    if pending or not problems:
        if not problems:
            raise MatrixFormatError("read.no_problems", file=source)
        last = pending[-1]
        raise layout_error("read.problem_no_answer", last.line, problem=len(problems) + 1)
    for lineno, opts in directives:
        if lineno > last_equals and opts:  # below the last '=': it would set nothing
            col = min(scanner.directive_cols[lineno].values())
            raise MatrixFormatError("read.directive_unused", file=source, line=lineno, column=col,
                                    line_text=lines[lineno - 1], problem=len(problems))
    return problems


def read_problems(path: Path | str, *, max_bytes: int | None = None) -> list[Problem]:
    """Read a problem file from disk; see ``parse_problems``."""
    name = _display_name(path)
    return parse_problems(decode_bytes(read_bytes(path, max_bytes=max_bytes), name), source=name)


def looks_like_problem_file(text: str) -> bool:
    """True when some line holds a lone ``=`` (the seed's layout)."""
    return any(line.strip().translate(_TRANSLATE) == "=" for line in text.splitlines())
