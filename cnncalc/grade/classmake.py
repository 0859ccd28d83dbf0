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

``make`` writes into ``OUT``, per student (folder names from ``htmlreport.page_name``,
safe for any id)::

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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cnncalc.check.assignment import Assignment, AssignmentFileError, load_assignment
from cnncalc.errors import AssignmentError, CnncalcError
from cnncalc.grade.htmlreport import page_name
from cnncalc.grade.variants import Variant, draw_variant, grid_text
from cnncalc.grade.variantspec import RandomSpec, parse_random_table

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


def read_source(path: Path | str) -> ClassSource:
    """Read the source assignment (TOML with ``seed`` and ``random`` tables)."""
    import tomllib

    from cnncalc.read import decode_bytes, read_bytes

    path = Path(path)
    name = str(path)
    text = decode_bytes(read_bytes(path, max_bytes=1 << 20), name)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AssignmentFileError("assign.toml", file=name, reason=str(exc)) from exc
    seed = data.pop("seed", None)
    problems = data.get("problem")
    if not isinstance(problems, list) or not problems or not all(isinstance(p, dict) for p in problems):
        raise AssignmentFileError("assign.no_problems", file=name)
    specs: list[RandomSpec | None] = []
    for i, raw in enumerate(problems):
        table = raw.get("random")
        if table is None:
            specs.append(None)
            continue
        if not isinstance(table, dict):
            raise AssignmentError("classroom.bad_random", file=name, number=i + 1)
        extra = [k for k in raw if k not in RANDOM_PROBLEM_KEYS]
        if extra:
            raise AssignmentError("classroom.random_and_files", file=name, number=i + 1)
        specs.append(parse_random_table(table))
    if any(specs) and (isinstance(seed, bool) or not isinstance(seed, (int, str))):
        raise AssignmentError("classroom.need_seed", file=name)
    return ClassSource(path, data, seed, problems, specs)


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
    ``variants.json``. Returns what was made (in roster order)."""
    from cnncalc.grade.sheets import key_markdown, sheet_html, sheet_markdown
    from cnncalc.read import atomic_write

    source = read_source(source_path)
    out = Path(out)
    ids = list(students) if students else [CLASS_ID]
    made: list[Made] = []
    seed: int | str = source.seed if source.seed is not None else ""  # checked when a problem is random
    for student in ids:
        name = page_name(student or "class")[: -len(".html")]
        folder = out / "variants" / name
        folder.mkdir(parents=True, exist_ok=True)
        variants = [
            None if spec is None else draw_variant(
                seed, student, i, spec, legal=lambda v, m=spec.min_output: _legal(v, m)  # type: ignore[misc]
            )
            for i, spec in enumerate(source.specs)
        ]
        for file, text in student_assignment(source, variants, folder).items():
            atomic_write(folder / file, text)
        made.append(Made(student, name, variants, load_assignment(folder / "assignment.toml")))
    title = str(source.top.get("title", source.path.stem))
    (out / "sheets").mkdir(parents=True, exist_ok=True)
    (out / "keys").mkdir(parents=True, exist_ok=True)
    for m in made:
        atomic_write(out / "sheets" / f"{m.name}.md", sheet_markdown(m, title, lang))
        atomic_write(out / "sheets" / f"{m.name}.html", sheet_html(m, title, lang))
        atomic_write(out / "keys" / f"{m.name}.md", key_markdown(m, title, lang))
    index = {
        "format": VARIANTS_FORMAT,
        "version": 1,
        "title": title,
        "seed": source.seed,
        "students": {m.student: f"variants/{m.name}/assignment.toml" for m in made if students},
        "default": None if students else f"variants/{made[0].name}/assignment.toml",
    }
    atomic_write(out / "variants.json", json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return made
