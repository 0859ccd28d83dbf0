"""``cnncalc make``: one homework variant per student, drawn from the assignment's
``seed`` and the student id (``variants``), written as files a class can use.

The source assignment is an assignment TOML (``check/assignment.py``) with a
top-level ``seed`` whose problems may give a ``random`` table instead of files::

    title = "Feature maps"
    seed = 2026
    [[problem]]
    name = "feature map 1"
    points = 10
    [problem.random]
    preset = "easy"

``make`` writes into ``OUT``, per student (names from ``make_name``: the id's
letters and a hash, safe for any id)::

    sheets/<name>.md, sheets/<name>.html   the sheet: matrices, settings in words,
                                           an empty answer grid of the right size
    keys/<name>.md                         the key (for the teacher)
    variants/<name>/assignment.toml        an ordinary assignment of that student's
                                           problems (+ matrix files): grade checks them
    variants.json                          student id -> their assignment (grade's
                                           --assignment takes this file)

Without a roster there is one sheet (drawn for the id ``""``) that every student
is checked against. Each student's assignment is read back with
``load_assignment``, so the key is exactly what ``grade`` checks.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cnncalc.check.assignment import Assignment, AssignmentFileError, load_assignment
from cnncalc.errors import CnncalcError
from cnncalc.grade.variants import Variant, draw_variant, grid_text
from cnncalc.grade.variantspec import RandomSpec, VariantSpecError, parse_random_table

RANDOM_PROBLEM_KEYS = ("name", "points", "scoring", "decimals", "atol", "rtol", "random")
VARIANTS_FORMAT = "cnncalc-variants"
CLASS_ID = ""  # the id of the one sheet made without a roster


@dataclass
class ClassSource:
    """A source assignment: its top-level settings, the problems as written, the seed."""

    path: Path
    top: dict[str, Any]
    seed: int | str | None
    problems: list[dict[str, Any]]
    specs: list[RandomSpec | None]
    locator: Any = None  # check.assignment._Locator of the source text: lines of keys


def read_source(path: Path | str) -> ClassSource:
    """Read the source assignment (TOML with ``seed`` and ``random`` tables); a bad
    entry is named by file, line and key, as ``grade`` names an assignment's
    (``assignment.toml:9: random.preset: 'eazy' is not easy, medium or hard``)."""
    import re
    import tomllib

    from cnncalc.check.assignment import _Locator
    from cnncalc.read import decode_bytes, read_bytes

    path = Path(path)
    name = str(path)
    text = decode_bytes(read_bytes(path, max_bytes=1 << 20), name)
    try:
        data = tomllib.loads(text)
    except RecursionError as exc:
        raise AssignmentFileError("assign.toml", file=name, reason="nested too deep") from exc
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise AssignmentFileError("assign.toml", file=name, line=int(m.group(1)) if m else None,
                                  reason=reason) from exc
    seed = data.pop("seed", None)
    problems = data.get("problem")
    if not isinstance(problems, list) or not problems or not all(isinstance(p, dict) for p in problems):
        raise AssignmentFileError("assign.no_problems", file=name)
    loc = _Locator(text)
    specs: list[RandomSpec | None] = []
    for i, raw in enumerate(problems):
        table = raw.get("random")
        if table is None:
            _check_files(raw, path.parent, name, loc, i)
            specs.append(None)
            continue
        if not isinstance(table, dict):
            raise AssignmentFileError("making.bad_random", file=name, line=loc.line("random", i), number=i + 1)
        extra = [k for k in raw if k not in RANDOM_PROBLEM_KEYS]
        if extra:
            raise AssignmentFileError("making.random_and_files", file=name, line=loc.line(extra[0], i),
                                      number=i + 1)
        try:
            specs.append(parse_random_table(table))
        except VariantSpecError as exc:
            raise spec_error(exc, name, loc, i) from exc
    if any(specs) and (isinstance(seed, bool) or not isinstance(seed, (int, str))):
        raise AssignmentFileError("making.need_seed", file=name, line=loc.line("seed"))
    return ClassSource(path, data, seed, problems, specs, loc)


def _check_files(raw: dict[str, Any], base: Path, file: str, loc: Any, problem: int) -> None:
    """A fixed problem's image and kernel must be files beside the source (an error
    names the source, not the copy ``make`` writes for each student)."""
    from cnncalc.read import read_matrix

    for key in ("image", "kernel"):
        value = raw.get(key)
        if isinstance(value, str) and not (base / value).is_file():
            try:
                read_matrix(base / value)
            except CnncalcError as exc:
                raise AssignmentFileError("assign.bad", file=file, line=loc.line(key, problem), setting=key,
                                          cause=exc) from exc


def spec_error(exc: VariantSpecError, file: str, loc: Any, problem: int) -> AssignmentFileError:
    """``exc`` (``random.<entry>: reason``) said with the file and the entry's line."""
    return AssignmentFileError(exc.key, file=file, line=_random_line(loc, problem, exc.entry),
                               setting=f"random.{exc.entry}", **exc.params)


def _random_line(loc: Any, problem: int, entry: str) -> int | None:
    """The line of ``entry`` in problem ``problem``'s random table, else of the table,
    else of the problem's ``[[problem]]`` header (1-based; None when not found)."""
    import re

    if problem >= len(loc.headers):
        return None
    start = loc.headers[problem]
    end = loc.headers[problem + 1] if problem + 1 < len(loc.headers) else len(loc.lines)
    for pattern in (rf"\s*[\"']?{re.escape(entry)}[\"']?\s*=", r"\s*\[\s*problem\s*\.\s*random\s*\]",
                    r"\s*[\"']?random[\"']?\s*="):
        for k in range(start, end):
            if re.match(pattern, loc.lines[k]):
                return k + 1
    return start + 1


def _legal(variant: Variant, min_output: int = 1) -> bool:
    """Ask the engine itself: the variant's settings must compute (PyTorch's rules),
    stage chains included, and leave an answer whose sides are at least ``min_output``."""
    import numpy as np

    from cnncalc.check.assignment import expected_from, expected_from_stages, parse_settings

    image = np.asarray(variant.image, dtype=np.float64)
    kernel = np.asarray(variant.kernel, dtype=np.float64)
    try:
        stages = variant.settings.get("stages")
        if stages:
            out, _ = expected_from_stages(image, kernel, stages)
        else:
            out, _ = expected_from(image, kernel, parse_settings(conv_settings(variant.settings)))
    except CnncalcError:
        return False
    return np.ndim(out) >= 2 and min(np.shape(out)[-2:]) >= min_output


def conv_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """A variant's settings as assignment keys (defaults left out).

    >>> conv_settings({"stride": 2, "padding": 0, "dilation": 1, "norm": "mean", "bias": 0,
    ...                "relu": True, "pooling": "max:2", "stages": None})
    {'stride': 2, 'norm': 'mean', 'relu': True, 'pool': 'max:2'}
    """
    if settings.get("stages"):
        return {"stages": settings["stages"]}
    out: dict[str, Any] = {}
    for key, default in (("stride", 1), ("padding", 0), ("dilation", 1), ("norm", "sum"), ("bias", 0)):
        if settings.get(key, default) != default:
            out[key] = settings[key]
    if settings.get("relu"):
        out["relu"] = True
    if settings.get("pooling") not in (None, "none", "", False):
        out["pool"] = settings["pooling"]
    return out


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are TOML's
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(type(value).__name__)


def _rel(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()


def student_assignment(source: ClassSource, variants: list[Variant | None], folder: Path) -> dict[str, str]:
    """The files of one student's assignment (name -> text): ``assignment.toml`` and
    the drawn matrices; a fixed problem's files are named relative to ``folder``."""
    files: dict[str, str] = {}
    lines = [f"{k} = {_toml_value(v)}" for k, v in source.top.items() if k != "problem"]
    base = source.path.parent
    for i, (raw, variant) in enumerate(zip(source.problems, variants), start=1):
        lines += ["", "[[problem]]"]
        entries = {k: v for k, v in raw.items() if k != "random"}
        entries.setdefault("name", f"problem {i}")
        if variant is None:
            for key in ("image", "kernel", "bias"):
                if isinstance(entries.get(key), str) and (base / entries[key]).is_file():
                    entries[key] = _rel(base / entries[key], folder)
        else:
            files[f"p{i}-image.txt"] = grid_text(variant.image) + "\n"
            files[f"p{i}-kernel.txt"] = grid_text(variant.kernel) + "\n"
            entries.update({"image": f"p{i}-image.txt", "kernel": f"p{i}-kernel.txt"})
            entries.update(conv_settings(variant.settings))
        lines += [f"{json.dumps(k)} = {_toml_value(v)}" for k, v in entries.items()]
    files["assignment.toml"] = "\n".join(lines) + "\n"
    return files


def make_name(student: str) -> str:
    """The name of a student's sheet, key and variant folder: the id's letters and
    digits in any script (lower case, accents dropped, at most 40), then a hash of
    the id, so that ids differ, names differ and a teacher can tell whose it is.
    For an ASCII id it is ``htmlreport.page_name`` without ``.html``; the one sheet
    made without a roster is ``class``.

    >>> make_name("s01"), make_name("张伟"), make_name("Zoë Lee"), make_name("")
    ('s01-fb173a948c', '张伟-a3a0bafd0b', 'zoe-lee-377deefbbc', 'class')
    """
    import hashlib
    import re

    if student == CLASS_ID:
        return "class"
    plain = "".join(c for c in unicodedata.normalize("NFKD", student) if unicodedata.category(c) != "Mn")
    slug = "-".join(re.findall(r"[^\W_]+", plain.lower()))[:40].strip("-") or "student"
    return f"{slug}-{hashlib.sha256(student.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}"


def read_make_roster(path: Path | str) -> list[str]:
    """The roster's ids for ``make``, each once, read as ``grade`` reads them.

    Refused as ``grade`` refuses it (``grade/gradebook.read_roster_rows``: no
    ``student`` column, one id on two rows with different details), and also an id
    that cannot name the file its student hands in (``<id>.txt``): empty (on a row
    that has other cells), holding ``/``, ``\\`` or a control character (a line break,
    NUL, tab), starting with ``.`` (grade skips hidden files; ``.``, ``..``), or
    longer than a file name. One ``Error:`` line names the roster, the line and the id.
    """
    import csv
    import io

    from cnncalc.grade.gradebook import read_roster_rows
    from cnncalc.grade.submissions import read_roster
    from cnncalc.read import decode_bytes, read_bytes

    name = str(path)
    data = decode_bytes(read_bytes(path, max_bytes=64 << 20), name)
    read_roster_rows(data, name)  # grade's refusals, word for word
    ids = read_roster(path)
    text = data.lstrip("\ufeff")
    delimiter = next((d for d in ",;\t" if d in text.partition("\n")[0]), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    col = header.index("student") if "student" in header else None
    line = reader.line_num
    for row in reader:
        start, line = line + 1, reader.line_num
        if col is None or not any(c.strip() for c in row):
            continue
        student = unicodedata.normalize("NFC", row[col].strip()) if len(row) > col else ""
        why = _unusable(student)
        if why:
            raise RosterIdError("making.bad_id", file=name, line=start, student=repr(student),
                                why_key=f"making.why_{why}")
    return list(dict.fromkeys(ids))  # the same row twice is one student


def _unusable(student: str) -> str | None:
    """Why ``<student>.txt`` cannot be handed in (a ``making.why_*`` key end), or None.

    >>> [_unusable(s) for s in ("s01", "2024/0123", "new\\nline", "..", "", "张三")]
    [None, 'slash', 'control', 'dot', 'empty', None]
    """
    if not student:
        return "empty"
    if "/" in student or "\\" in student:
        return "slash"
    if any(unicodedata.category(ch) == "Cc" for ch in student):
        return "control"
    if student.startswith("."):
        return "dot"
    if len(os.fsencode(student)) + len(".txt") > 255:
        return "long"
    return None


class RosterIdError(CnncalcError):
    """A roster id that cannot be a file name: ``roster.csv:4: student 'x/y' ...``."""

    def message(self, lang: str = "en") -> str:
        from cnncalc.messages import text

        params = dict(self.params)
        why = text(params.pop("why_key"), lang)
        return text(self.key, lang, why=why, **params)


@dataclass
class Made:
    """One student's variant as made: the id, the folder name, the loaded assignment."""

    student: str
    name: str
    variants: list[Variant | None]
    assignment: Assignment


def make_class(
    source_path: Path | str, students: list[str] | None, out: Path | str, *, lang: str = "en"
) -> list[Made]:
    """Draw, write and read back every student's variant; write sheets, keys and
    ``variants.json``. Returns what was made (in roster order).

    ``out`` is written as one set, as ``grade`` writes its report
    (``reportset.ReportSet``, docs/grading-safety.md): refused unless it is new, empty
    or a set cnncalc wrote and nobody changed since (a key edited by hand is never
    replaced); every file goes into a fresh sibling folder that replaces ``out`` in
    one step, with the manifest ``.cnncalc-report.json``."""
    from cnncalc.grade.reportset import ReportSet

    source = read_source(source_path)
    out = Path(out)
    try:
        with ReportSet(out, words="making") as rs:
            made = _write_set(source, students, rs, lang)
            rs.commit()
    except OSError as exc:  # a full disk, a folder that cannot be written: out is untouched
        raise CnncalcError("making.out_write_failed", path=str(out), reason=exc.strerror or str(exc)) from exc
    return made


def _write_set(source: ClassSource, students: list[str] | None, rs: Any, lang: str) -> list[Made]:
    """Every file of the set into ``rs``'s fresh folder; each variant is read back
    from there (the files name no folder but their own, so they read the same in ``out``)."""
    from cnncalc.grade.sheets import key_markdown, sheet_html, sheet_markdown

    ids = list(students) if students else [CLASS_ID]
    made: list[Made] = []
    seed: int | str = source.seed if source.seed is not None else ""  # checked when a problem is random
    for student in ids:
        name = make_name(student)
        rel = f"variants/{name}"
        variants: list[Variant | None] = []
        for i, spec in enumerate(source.specs):
            if spec is None:
                variants.append(None)
                continue
            try:
                variants.append(draw_variant(
                    seed, student, i, spec, legal=lambda v, m=spec.min_output: _legal(v, m)  # type: ignore[misc]
                ))
            except VariantSpecError as exc:
                raise spec_error(exc, str(source.path), source.locator, i) from exc
        # fixed problems' files are named relative to the final folder (the fresh one is its sibling)
        files = student_assignment(source, variants, rs.out / rel)
        for file, text in files.items():
            rs.add(f"{rel}/{file}", text)
        made.append(Made(student, name, variants, _read_back(rs, rel, source, files["assignment.toml"])))
    title = str(source.top.get("title", source.path.stem))
    for m in made:
        rs.add(f"sheets/{m.name}.md", sheet_markdown(m, title, lang))
        rs.add(f"sheets/{m.name}.html", sheet_html(m, title, lang))
        rs.add(f"keys/{m.name}.md", key_markdown(m, title, lang))
    index = {
        "format": VARIANTS_FORMAT,
        "version": 1,
        "title": title,
        "seed": source.seed,
        "students": {m.student: f"variants/{m.name}/assignment.toml" for m in made if students},
        "default": None if students else f"variants/{made[0].name}/assignment.toml",
    }
    rs.add("variants.json", json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return made


def _read_back(rs: Any, rel: str, source: ClassSource, written: str) -> Assignment:
    """Load the student's assignment from the fresh folder. An error (a fixed
    problem's bad setting) names the source file and line, never the fresh folder."""
    from cnncalc.check.assignment import _Locator

    try:
        return load_assignment(rs.staging / rel / "assignment.toml")
    except AssignmentFileError as exc:
        headers = _Locator(written).headers
        problem = sum(1 for h in headers if exc.line is not None and h + 1 <= exc.line) - 1
        line = source.locator.line(exc.setting, problem) if problem >= 0 else None
        cause = _Renamed(exc.cause, str(rs.staging), str(rs.out)) if exc.cause is not None else None
        raise AssignmentFileError(exc.key, file=str(source.path), line=line, setting=exc.setting,
                                  cause=cause, **exc.params) from exc


class _Renamed(CnncalcError):
    """Another error's sentence with the fresh folder's path said as ``out``'s."""

    def __init__(self, inner: CnncalcError, old: str, new: str) -> None:
        self.inner, self.old, self.new = inner, old, new
        super().__init__(inner.key, **inner.params)

    def message(self, lang: str = "en") -> str:
        return self.inner.message(lang).replace(self.old, self.new)
