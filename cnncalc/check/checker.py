"""What ``cnncalc check`` does, without click: find the expected answers, check, explain.

Four sources of the exact result:

* a **problem file** (the seed's layout) holds image, kernel and answer;
  ``# cnncalc:`` directives set the options, the command line overrides them;
* ``image`` and ``kernel`` files with conv settings (``relu``/``pool`` after);
* an ``expected`` key file: block i of the answer is checked against block i;
* an ``assignment`` TOML file: the answer's blocks are taken in problem order.

>>> from pathlib import Path
>>> items, notes = run_check(Path("samples/xo/homework.txt"), overrides=Settings(conv={"norm": "mean"}))
>>> [len(i.result.wrong) for i in items], {w.cause for i in items for w in i.result.wrong}
([12, 20, 15], {'sign'})
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from cnncalc import read
from cnncalc.check.assignment import (
    CHECK_KEYS,
    Settings,
    check_setting,
    expected_from,
    load_assignment,
    parse_settings,
)
from cnncalc.check.cells import CheckContext
from cnncalc.check.compare import check_answer, missing_result
from cnncalc.check.report import CheckedAnswer
from cnncalc.errors import CnncalcError
from cnncalc.messages import text
from cnncalc.read import Grid, Problem


def read_answer(path: Path | str, answer_text: str | None = None) -> list[Grid] | list[Problem]:
    """An answer file's grids, or its problems when it is a problem file."""
    name = str(path)
    suffix = Path(name).suffix.lower()
    if answer_text is None and (suffix in (".npy", ".json") or suffix in read.IMAGE_SUFFIXES):
        return read.read_grids(path)
    if answer_text is None:
        answer_text = read.decode_bytes(read.read_bytes(path), name)
    if read.looks_like_problem_file(answer_text):
        return read.parse_problems(answer_text, source=name)
    return read.parse_text(answer_text, source=name, skip_header=suffix in (".csv", ".tsv"))


def _is_problems(items: list[Any]) -> bool:
    return bool(items) and isinstance(items[0], Problem)


def _grids(items: list[Any]) -> list[Grid]:
    if _is_problems(items):
        return [g for p in items for g in p.answer]
    return list(items)


def merge(base: Settings, overrides: Settings | None, given: set[str] | None = None) -> Settings:
    """``base`` (directives) with the settings given on the command line on top."""
    if overrides is None:
        return base
    given = given if given is not None else set(overrides.conv) | {"relu", "pool"}
    out = Settings(dict(base.conv), base.relu, base.pool)
    out.conv.update({k: v for k, v in overrides.conv.items() if k in given})
    if "relu" in given:
        out.relu = overrides.relu
    if "pool" in given:
        out.pool = overrides.pool
    return out


def run_check(
    answer: Path | str,
    *,
    answer_text: str | None = None,
    image: np.ndarray | None = None,
    kernel: np.ndarray | None = None,
    expected: Path | str | None = None,
    assignment: Path | str | None = None,
    overrides: Settings | None = None,
    given: set[str] | None = None,
    decimals: int | None = None,
    atol: float | None = None,
    rtol: float | None = None,
    explain: int = 0,
    lang: str = "en",
) -> tuple[list[CheckedAnswer], list[str]]:
    """Check ``answer`` against the chosen source; returns the items and notes.

    ``overrides`` are conv/relu/pool settings from the command line (``given``
    names the ones actually typed; they beat the file's directives).
    ``explain`` adds the worked computation of the first N wrong cells of each
    answer.
    """
    items: list[Any] = list(read_answer(answer, answer_text))
    policy: dict[str, Any] = {"atol": atol, "rtol": rtol}
    notes: list[str] = []
    if assignment is not None:
        checked = _check_assignment(items, load_assignment(assignment), decimals, policy, lang, notes)
    elif expected is not None:
        checked = _check_key(items, str(answer), read.read_grids(expected), decimals, policy, lang, notes)
    elif image is not None and kernel is not None:
        settings = merge(Settings(), overrides, given)
        exp, context = expected_from(image, kernel, settings)
        grids = _grids(items)
        result = check_answer(grids, exp, name=Path(str(answer)).name, decimals=2 if decimals is None else decimals,
                              context=context, **policy)
        checked = [(CheckedAnswer(result, grids), context)]
    else:
        if not _is_problems(items):
            raise CnncalcError("check.no_source", file=str(answer))
        checked = _check_problems(items, overrides, given, decimals, policy, lang, str(answer))
    if explain:
        _add_explanations(checked, explain, lang, notes)
    return [c for c, _ in checked], notes


def _directives(problem: Problem) -> tuple[Settings, dict[str, Any]]:
    conv_raw = {k: v for k, v in problem.options.items() if k not in CHECK_KEYS}
    checks = {k: check_setting(k, v) for k, v in problem.options.items() if k in CHECK_KEYS}
    return parse_settings(conv_raw), checks


def _directive_place(problem: Problem, exc: CnncalcError) -> tuple[int | None, int | None]:
    """Line and column of the directive setting that ``exc`` is about (the key it
    names, else the last directive in force), or the problem's first line."""
    places = problem.option_places
    place = places.get(str(exc.params.get("parameter", "")))
    if place is None and places:
        place = max(places.values())
    if place is None:
        return problem.line or None, None
    return place


def _check_problems(
    problems: list[Problem],
    overrides: Settings | None,
    given: set[str] | None,
    decimals: int | None,
    policy: dict[str, Any],
    lang: str,
    source: str | None = None,
) -> list[tuple[CheckedAnswer, CheckContext | None]]:
    from cnncalc.check.assignment import AssignmentFileError

    setups = []
    for index, p in enumerate(problems, start=1):
        try:
            settings, checks = _directives(p)
            settings = merge(settings, overrides, given)
            exp, context = expected_from(p.image_array(), p.kernel_array(), settings)
        except AssignmentFileError:
            raise
        except CnncalcError as exc:  # say which problem of the file (and from which line)
            if source is None:
                raise
            line, column = _directive_place(p, exc)
            raise AssignmentFileError(
                "assign.bad", file=source, line=line, column=column, cause=exc,
                setting=text("check.problem_name", lang, index=index),
            ) from exc
        setups.append((exp, context, checks))
    others: list[Any] = [(i, exp, context) for i, (exp, context, _) in enumerate(setups, start=1)]
    out: list[tuple[CheckedAnswer, CheckContext | None]] = []
    for index, (p, (exp, context, checks)) in enumerate(zip(problems, setups), start=1):
        pol = {k: policy[k] if policy[k] is not None else checks.get(k) for k in ("atol", "rtol")}
        d = decimals if decimals is not None else int(checks.get("decimals", 2))
        result = check_answer(
            p.answer, exp, name=text("check.problem_name", lang, index=index), decimals=d,
            context=context, others=others, **pol,
        )
        out.append((CheckedAnswer(result, p.answer), context))
    return out


def _check_key(
    items: list[Any],
    name: str,
    key: list[Grid],
    decimals: int | None,
    policy: dict[str, Any],
    lang: str,
    notes: list[str],
) -> list[tuple[CheckedAnswer, CheckContext | None]]:
    grids = _grids(items)
    others = [g.values for g in key]
    d = 2 if decimals is None else decimals
    out: list[tuple[CheckedAnswer, CheckContext | None]] = []
    for index, k in enumerate(key, start=1):
        label = text("check.block_name", lang, index=index)
        if index > len(grids):
            out.append((CheckedAnswer(missing_result(label, k.values, decimals=d), []), None))
            continue
        answer = [grids[index - 1]]
        result = check_answer(answer, k.values, name=label, decimals=d, others=others, **policy)
        out.append((CheckedAnswer(result, answer), None))
    if len(grids) > len(key):
        notes.append(text("check.extra_blocks", lang, count=len(grids) - len(key)))
    return out


def _check_assignment(
    items: list[Any],
    assignment: Any,
    decimals: int | None,
    policy: dict[str, Any],
    lang: str,
    notes: list[str],
) -> list[tuple[CheckedAnswer, CheckContext | None]]:
    problems = assignment.problems
    maps = [int(np.asarray(p.expected).reshape(-1, *np.shape(p.expected)[-2:]).shape[0]) for p in problems]
    if _is_problems(items) and len(items) == len(problems):
        answers: list[list[Grid]] = [list(p.answer) for p in items]
        extra = 0
    else:
        flat = _grids(items)
        answers, k = [], 0
        for m in maps:
            answers.append(flat[k : k + m])
            k += m
        extra = max(0, len(flat) - k)
    others = [(i, (p.name, p.expected, p.context)) for i, p in enumerate(problems, start=1)]
    out: list[tuple[CheckedAnswer, CheckContext | None]] = []
    for i, (p, answer) in enumerate(zip(problems, answers)):
        d = decimals if decimals is not None else assignment.problem_decimals(p)
        pol = {k: policy[k] if policy[k] is not None else getattr(p, k) for k in ("atol", "rtol")}
        if not answer:
            out.append((CheckedAnswer(missing_result(p.name, p.expected, decimals=d), []), p.context))
            continue
        mine = [o if j != i + 1 else None for j, o in others]
        result = check_answer(answer, p.expected, name=p.name, decimals=d, context=p.context,
                              others=mine, **pol)
        out.append((CheckedAnswer(result, answer), p.context))
    if extra:
        notes.append(text("check.extra_blocks", lang, count=extra))
    return out


def _add_explanations(
    checked: list[tuple[CheckedAnswer, CheckContext | None]], n: int, lang: str, notes: list[str]
) -> None:
    from cnncalc.check.worked import explain_cell

    said: set[str] = set()
    for item, context in checked:
        if not item.result.wrong:
            continue
        if context is None or context.image is None or context.kernel is None:
            said.add("check.explain_needs_context")
            continue
        if context.post:
            said.add("check.explain_not_conv")
            continue
        for w in item.result.wrong[:n]:
            item.explanations.append(
                explain_cell(context.image, context.kernel, row=w.row, col=w.col, map=w.map, **context.conv)
            )
    notes.extend(text(key, lang) for key in sorted(said))
