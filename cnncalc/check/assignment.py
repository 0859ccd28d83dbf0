"""Where the expected answer comes from: conv settings, directives and assignment files.

An assignment is a TOML file (DESIGN.md, "Assignments and batch grading");
paths in it are relative to it::

    title = "X or O feature maps"
    decimals = 2
    [[problem]]
    name = "feature map 1"
    image = "x.txt"
    kernel = "k1.txt"
    norm = "mean"                       # conv options: stride padding dilation
    points = 10                         #   padding_mode norm bias flip relu pool
    scoring = "cells"                   # or "all"

or, instead of the conv options, ``stages = "conv(norm=mean) | relu | maxpool(2)"``
(the grammar of ``cnncalc run``; ``conv`` without a file uses ``kernel``).
Every problem's exact result is computed once, when the file is loaded. A
broken file raises ``AssignmentError`` naming the file, the line and the key.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "x.txt").write_text("1 2\\n3 4\\n")
>>> _ = (d / "k.txt").write_text("1\\n")
>>> _ = (d / "a.toml").write_text('[[problem]]\\nimage = "x.txt"\\nkernel = "k.txt"\\nrelu = true\\n')
>>> a = load_assignment(d / "a.toml")
>>> a.title, a.decimals, a.problems[0].name, a.problems[0].expected.tolist()
('a', 2, 'problem 1', [[1.0, 2.0], [3.0, 4.0]])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cnncalc.check.cells import CheckContext
from cnncalc.errors import AssignmentError, CnncalcError, ParameterError

CONV_KEYS = ("stride", "padding", "dilation", "padding_mode", "norm", "bias", "flip")
POST_KEYS = ("relu", "pool")
CHECK_KEYS = ("decimals", "atol", "rtol")
TOP_KEYS = ("title", "decimals", "atol", "rtol", "problem")
PROBLEM_KEYS = ("name", "image", "kernel", "stages", "points", "scoring") + CONV_KEYS + POST_KEYS + CHECK_KEYS
SCORINGS = ("cells", "all")
MAX_DECIMALS = 15  # as `check --decimals`; more is beyond a float's digits
MAX_POINTS = 1e6


# --------------------------------------------------------------------------- settings


@dataclass
class Settings:
    """Conv keyword arguments plus the ``relu``/``pool`` steps after it."""

    conv: dict[str, Any] = field(default_factory=dict)
    relu: bool = False
    pool: tuple | None = None  # (kind, size, stride)

    def post(self) -> list[Any]:
        steps: list[Any] = ["relu"] if self.relu else []
        if self.pool is not None:
            steps.append(("pool", *self.pool))
        return steps


def _bool(value: Any, key: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "false", "no", "0"):
        return value.strip().lower() in ("true", "yes", "1")
    raise ParameterError("check.setting_bool", parameter=key, value=value)


def parse_pool(value: Any) -> tuple:
    """``KIND:SIZE[:STRIDE]`` to ``(kind, size, stride)``.

    >>> parse_pool("max:2"), parse_pool("avg:3:1")
    (('max', (2, 2), None), ('mean', (3, 3), (1, 1)))
    """
    from cnncalc.engine.ops import as_pair

    parts = str(value).split(":")
    kind = {"avg": "mean", "average": "mean"}.get(parts[0].strip().lower(), parts[0].strip().lower())
    try:
        if kind not in ("max", "mean", "sum") or len(parts) not in (2, 3):
            raise ValueError
        size = as_pair(parts[1].strip(), "size")
        stride = as_pair(parts[2].strip(), "stride") if len(parts) == 3 else None
    except (ValueError, CnncalcError):
        raise ParameterError("cli.pool_spec", value=value) from None
    return kind, size, stride


def parse_settings(raw: dict[str, Any], *, base_dir: Path | None = None) -> Settings:
    """Validate conv and post settings written as text (directives) or TOML values.

    >>> s = parse_settings({"norm": "mean", "stride": "2", "relu": "true"})
    >>> s.conv, s.post()
    ({'norm': 'mean', 'stride': (2, 2)}, ['relu'])
    """
    from cnncalc.engine import ops

    out = Settings()
    for key, value in raw.items():
        if key in ("stride", "dilation"):
            out.conv[key] = ops.as_pair(_pair_value(value), key)
        elif key == "padding":
            if isinstance(value, str) and value.strip().lower() in ("same", "valid"):
                out.conv[key] = value.strip().lower()
            else:
                out.conv[key] = ops.as_pair(_pair_value(value), key, minimum=0)
        elif key in ("padding_mode", "norm"):
            choices = ops.PADDING_MODES if key == "padding_mode" else ops.NORMS
            word = str(value).strip().lower()
            if word not in choices:
                raise ParameterError(
                    "param.choice", parameter=key, choices=", ".join(choices), value=value
                )
            out.conv[key] = word
        elif key == "bias":
            out.conv[key] = _bias(value, base_dir)
        elif key == "flip":
            out.conv[key] = _bool(value, key)
        elif key == "relu":
            out.relu = _bool(value, key)
        elif key == "pool":
            out.pool = parse_pool(value)
        else:
            raise ParameterError("check.setting_unknown", parameter=key, keys=", ".join(CONV_KEYS + POST_KEYS))
    return out


def _pair_value(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().strip("()[]")
    return value


def _bias(value: Any, base_dir: Path | None) -> Any:
    if isinstance(value, bool):
        raise ParameterError("param.bad_number", parameter="bias", value=value)
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        from cnncalc.read import read_matrix

        path = Path(str(value))
        if base_dir is not None and not path.is_absolute():
            path = base_dir / path
        return read_matrix(path).reshape(-1)


def check_setting(key: str, value: Any) -> Any:
    """``decimals`` (int >= 0), ``atol``/``rtol`` (number >= 0) from text or TOML.

    >>> check_setting("decimals", "3"), check_setting("atol", "0.01")
    (3, 0.01)
    """
    number: float | None = None
    if not isinstance(value, bool):
        try:
            number = int(str(value)) if key == "decimals" else float(str(value))
        except ValueError:
            number = None
    if number is None or not number >= 0 or number == float("inf"):
        raise ParameterError("check.setting_number", parameter=key, value=value)
    if key == "decimals" and number > MAX_DECIMALS:
        raise ParameterError("check.setting_decimals", parameter=key, value=value)
    return number


def expected_from(image: np.ndarray, kernel: np.ndarray, settings: Settings) -> tuple[np.ndarray, CheckContext]:
    """The exact result of a conv (plus relu/pool) and the context that produced it."""
    from cnncalc.check.recompute import apply_post
    from cnncalc.engine import ops

    out = ops.conv2d(image, kernel, **settings.conv)
    post = settings.post()
    return apply_post(out, post), CheckContext(image, kernel, dict(settings.conv), post)


def expected_from_stages(
    image: np.ndarray, kernel: np.ndarray | None, stages_text: str, *, base_dir: Path | None = None
) -> tuple[np.ndarray, CheckContext | None]:
    """Run a stage chain on ``image``; the context is its first conv and what follows."""
    from cnncalc.net.pipeline import conv_weight, parse_pipeline, run_pipeline

    stages = parse_pipeline(stages_text, base_dir=base_dir, default_kernel=kernel)
    if not stages:
        return np.asarray(image, dtype=np.float64), None
    results = run_pipeline(image, stages, default_kernel=kernel)
    context = None
    for i, stage in enumerate(stages):
        if stage.name != "conv":
            continue
        x = np.asarray(image, dtype=np.float64) if i == 0 else results[i - 1].output
        weight = stage.weight if stage.weight is not None else kernel
        if weight is None:
            break
        channels = x.shape[0] if x.ndim == 3 else 1
        conv = dict(stage.options)
        # the mistake model knows conv2d's classic options: a grouped or F.pad-style
        # padded conv is checked cell by cell without it
        if (conv.pop("groups", 1) != 1 or conv.pop("padding_value", 0.0) != 0.0
                or conv.get("padding_mode") == "constant"
                or (isinstance(conv.get("padding"), tuple) and len(conv["padding"]) == 4)):
            break
        if stage.bias is not None:
            conv["bias"] = stage.bias if stage.bias.size > 1 else float(stage.bias[0])
        context = CheckContext(x, conv_weight(weight, channels), conv, list(stages[i + 1 :]))
        break
    return results[-1].output, context


# --------------------------------------------------------------------------- assignments


@dataclass
class AssignmentProblem:
    """One problem of an assignment, with its exact result already computed."""

    name: str
    image: Path
    kernel: Path | None
    conv: dict[str, Any]
    stages: str | None
    points: float
    scoring: str
    expected: np.ndarray
    decimals: int | None = None
    atol: float | None = None
    rtol: float | None = None
    context: CheckContext | None = None
    post: list[Any] = field(default_factory=list)


@dataclass
class Assignment:
    title: str
    decimals: int
    problems: list[AssignmentProblem]
    path: Path | None = None
    atol: float | None = None
    rtol: float | None = None

    def problem_decimals(self, problem: AssignmentProblem) -> int:
        return self.decimals if problem.decimals is None else problem.decimals


class AssignmentFileError(AssignmentError):
    """An ``AssignmentError`` that says where: ``file:line: key: reason``.

    ``cause`` (another ``CnncalcError``) is said in the reader's language.
    """

    def __init__(
        self,
        key: str,
        *,
        file: str,
        line: int | None = None,
        setting: str | None = None,
        cause: CnncalcError | None = None,
        column: int | None = None,
        **params: Any,
    ) -> None:
        self.file, self.line, self.setting, self.cause = file, line, setting, cause
        self.column = column
        super().__init__(key, **params)

    def message(self, lang: str = "en") -> str:
        from cnncalc.messages import text

        where = self.file + (f":{self.line}" if self.line else "")
        where += f":{self.column}" if self.line and self.column else ""
        body = self.cause.message(lang) if self.cause is not None else text(self.key, lang, **self.params)
        return f"{where}: {self.setting}: {body}" if self.setting else f"{where}: {body}"


class _Locator:
    """Finds the line of a key in the TOML text (top level or in problem N)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers = [
            i for i, line in enumerate(self.lines) if re.match(r"\s*\[\[\s*problem\s*\]\]", line)
        ]

    def line(self, key: str | None, problem: int | None = None) -> int | None:
        if problem is None:
            start, end = 0, self.headers[0] if self.headers else len(self.lines)
        elif problem < len(self.headers):
            start = self.headers[problem]
            end = self.headers[problem + 1] if problem + 1 < len(self.headers) else len(self.lines)
        else:
            return None
        if key is None:
            return start + 1 if problem is not None else None
        pattern = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for i in range(start, end):
            if pattern.match(self.lines[i]):
                return i + 1
        return start + 1 if problem is not None else None


def load_assignment(path: Path | str) -> Assignment:
    """Read and check an assignment TOML file; compute every problem's exact result."""
    import tomllib

    from cnncalc.read import decode_bytes, read_bytes

    path = Path(path)
    name = str(path)
    text = decode_bytes(read_bytes(path, max_bytes=1 << 20), name)  # errors name the file
    try:
        data = tomllib.loads(text)
    except RecursionError as exc:  # a 100,000-deep array: tomllib recurses
        raise AssignmentFileError("assign.toml", file=name, line=None, reason="nested too deep") from exc
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise AssignmentFileError(
            "assign.toml", file=name, line=int(m.group(1)) if m else None, reason=reason
        ) from exc
    loc = _Locator(text)

    def error(key: str, setting: str | None, problem: int | None = None, **params: Any) -> AssignmentFileError:
        return AssignmentFileError(key, file=name, line=loc.line(setting, problem), setting=setting, **params)

    for key in data:
        if key not in TOP_KEYS:
            raise error("assign.unknown_key", key, keys=", ".join(TOP_KEYS))
    title = data.get("title", path.stem)
    if not isinstance(title, str):
        raise error("assign.need_text", "title")
    top_checks: dict[str, Any] = {}
    for key in CHECK_KEYS:
        if key in data:
            try:
                top_checks[key] = check_setting(key, data[key])
            except CnncalcError as exc:
                raise AssignmentFileError("assign.bad", file=name, line=loc.line(key), setting=key, cause=exc) from exc
    problems_raw = data.get("problem")
    if not isinstance(problems_raw, list) or not problems_raw or not all(
        isinstance(raw, dict) for raw in problems_raw
    ):
        raise error("assign.no_problems", None)
    base = path.parent
    problems: list[AssignmentProblem] = []
    for i, raw in enumerate(problems_raw):
        problem = _load_problem(i, raw, base, name, loc, error)
        first = next((k for k, p in enumerate(problems) if p.name == problem.name), None)
        if first is not None:
            raise error("assign.duplicate_name", "name", i, number=i + 1, first=first + 1, value=problem.name)
        problem.atol = problem.atol if problem.atol is not None else top_checks.get("atol")
        problem.rtol = problem.rtol if problem.rtol is not None else top_checks.get("rtol")
        problems.append(problem)
    return Assignment(
        title=title,
        decimals=int(top_checks.get("decimals", 2)),
        problems=problems,
        path=path,
        atol=top_checks.get("atol"),
        rtol=top_checks.get("rtol"),
    )


def _load_problem(i: int, raw: dict, base: Path, name: str, loc: _Locator, error: Any) -> AssignmentProblem:
    from cnncalc.read import read_matrix

    def fail(setting: str, exc: CnncalcError) -> AssignmentFileError:
        return AssignmentFileError("assign.bad", file=name, line=loc.line(setting, i), setting=setting, cause=exc)

    for key in raw:
        if key not in PROBLEM_KEYS:
            raise error("assign.unknown_key", key, i, keys=", ".join(PROBLEM_KEYS))
    title = raw.get("name", f"problem {i + 1}")
    if not isinstance(title, str) or not title.strip():
        raise error("assign.need_text", "name", i)
    for key in ("image", "kernel", "stages"):
        if key in raw and not isinstance(raw[key], str):
            raise error("assign.need_text", key, i)
    if "image" not in raw:
        raise error("assign.missing", None, i, what="image", number=i + 1)
    if "kernel" not in raw and "stages" not in raw:
        raise error("assign.missing", None, i, what="kernel", number=i + 1)
    conv_raw = {k: raw[k] for k in CONV_KEYS + POST_KEYS if k in raw}
    if conv_raw and "stages" in raw:
        raise error("assign.conv_and_stages", next(iter(conv_raw)), i)
    points = raw.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
        raise error("assign.need_points", "points", i)
    if not points <= MAX_POINTS:  # nan, inf, or so large that the sums overflow
        raise error("assign.points_range", "points", i, value=points)
    scoring = raw.get("scoring", "cells")
    if scoring not in SCORINGS:
        raise error("assign.scoring", "scoring", i, value=scoring)
    checks: dict[str, Any] = {}
    for key in CHECK_KEYS:
        if key in raw:
            try:
                checks[key] = check_setting(key, raw[key])
            except CnncalcError as exc:
                raise fail(key, exc) from exc
    image_path = base / raw["image"]
    kernel_path = base / raw["kernel"] if "kernel" in raw else None
    try:
        image = read_matrix(image_path)
    except CnncalcError as exc:
        raise fail("image", exc) from exc
    try:
        kernel = read_matrix(kernel_path) if kernel_path is not None else None
    except CnncalcError as exc:
        raise fail("kernel", exc) from exc
    settings = Settings()
    if "stages" in raw:
        try:
            expected, context = expected_from_stages(image, kernel, raw["stages"], base_dir=base)
        except CnncalcError as exc:
            raise fail("stages", exc) from exc
    else:
        for key, value in conv_raw.items():
            try:
                part = parse_settings({key: value}, base_dir=base)
            except CnncalcError as exc:
                raise fail(key, exc) from exc
            settings.conv.update(part.conv)
            settings.relu = settings.relu or part.relu
            settings.pool = part.pool or settings.pool
        try:
            expected, context = expected_from(image, kernel, settings)  # type: ignore[arg-type]
        except CnncalcError as exc:
            raise fail(next(iter(conv_raw), "kernel"), exc) from exc
    return AssignmentProblem(
        name=title,
        image=image_path,
        kernel=kernel_path,
        conv=dict(settings.conv),
        stages=raw.get("stages"),
        points=float(points),
        scoring=scoring,
        expected=np.asarray(expected, dtype=np.float64),
        decimals=checks.get("decimals"),
        atol=checks.get("atol"),
        rtol=checks.get("rtol"),
        context=context,
        post=settings.post(),
    )
