"""Notes for the teacher's gradebook, worded as facts: answers shared by several
students, and answers that equal another student's key (per-student variants).

They feed the ``notes`` column of the ``csv`` gradebook (``gradebook.gradebook``);
they are for teachers, so no format that students see carries them by default.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from cnncalc.grade.gradebook import as_record
from cnncalc.messages import text as say

MAX_NAMES = 5


def _answer_key(problem: Mapping[str, Any]) -> str | None:
    answer = problem.get("answer")
    if not answer:
        return None
    return "\n\n".join("\n".join(" ".join(str(row).split()) for row in block) for block in answer)


def _cells(problem: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray] | None:
    """The answer's values and decimals written, or None when it is not a clean grid."""
    try:
        texts = [[row.split() for row in block] for block in problem["answer"]]
        flat = [t for block in texts for row in block for t in row]
        values = np.array([float(t.replace("\u2212", "-")) for t in flat]).reshape(
            len(texts), len(texts[0]), len(texts[0][0]))
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    places = np.array([len(t.partition(".")[2]) if "." in t else 0 for t in flat]).reshape(values.shape)
    return values, places


def _matches(values: np.ndarray, places: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Which keys (N, *shape) the answer equals under the checking policy: each cell
    is the key rounded (half-up or half-even) or truncated to the decimals written."""
    scale = 10.0 ** places
    got = np.round(values * scale)
    k = keys * scale
    eps = 1e-9 * np.maximum(1.0, np.abs(k))
    options = (np.floor(k + 0.5 + eps), np.round(k), np.trunc(k + np.sign(k) * eps), np.ceil(k - 0.5 - eps))
    ok = np.zeros(keys.shape, bool)
    for o in options:
        ok |= o == got
    return np.asarray(ok.reshape(len(keys), -1).all(axis=1))


def similarity_notes(
    records: Iterable[Any],
    *,
    keys: Mapping[str, Sequence[Any]] | None = None,
    lang: str = "en",
    min_shared: int = 2,
) -> dict[str, list[str]]:
    """Facts a teacher may want to look at, per student, for the ``csv`` notes column.

    * the same wrong answer (as written, spacing aside) handed in by ``min_shared``
      or more students: "identical wrong answer shared by N students (ids)";
    * with per-student variants, ``keys[student][i]`` is the exact result of that
      student's problem i: an answer that is wrong for its writer but equals another
      student's key gives "answer equals the key of student X".

    Examples
    --------
    >>> p = lambda rows, earned: {"name": "map 1", "points": 1, "earned": earned, "answer": [rows]}
    >>> recs = [{"student": s, "problems": [p(["1 2"], 0.5)]} for s in ("a", "b")]
    >>> recs.append({"student": "c", "problems": [p(["3 4"], 0.0)]})
    >>> similarity_notes(recs)["a"]
    ['map 1: identical wrong answer shared by 2 students (a, b)']
    >>> similarity_notes(recs, keys={"a": [[[3.0, 4.0]]], "c": [[[9.0, 9.0]]]})["c"]
    ['map 1: answer equals the key of student a']

    Notes
    -----
    Cost: one pass for shared answers; for keys, one vectorised comparison of each
    wrong answer with all keys of its shape (O(wrong answers x students x cells)).
    """
    recs = sorted(map(as_record, records), key=lambda r: r["student"])
    out: dict[str, list[str]] = defaultdict(list)
    groups: dict[tuple[int, str], list[str]] = defaultdict(list)
    for r in recs:
        for i, p in enumerate(r.get("problems", [])):
            k = _answer_key(p)
            if k is not None and p.get("earned", 0) < p.get("points", 0):
                groups[(i, k)].append(r["student"])
    names = {i: p.get("name", f"problem {i + 1}") for r in recs for i, p in enumerate(r.get("problems", []))}
    for (i, _), students in sorted(groups.items()):
        if len(students) >= min_shared:
            shown = ", ".join(students[:MAX_NAMES]) + (", …" if len(students) > MAX_NAMES else "")
            for s in students:
                out[s].append(say("classroom.note_shared", lang, problem=names[i], count=len(students), names=shown))
    for i in sorted({i for r in recs for i in range(len(r.get("problems", [])))} if keys else ()):
        stacks: dict[tuple, tuple[list[str], list[np.ndarray]]] = {}
        table = keys or {}
        for s in sorted(table):
            ks = table[s]
            if i < len(ks) and ks[i] is not None:
                arr = np.asarray(ks[i], dtype=np.float64)
                arr = arr.reshape(-1, *arr.shape[-2:]) if arr.ndim >= 2 else arr.reshape(1, 1, -1)
                stacks.setdefault(arr.shape, ([], []))
                stacks[arr.shape][0].append(s)
                stacks[arr.shape][1].append(arr)
        for r in recs:
            p = r["problems"][i] if i < len(r.get("problems", [])) else None
            cells = _cells(p) if p and p.get("earned", 0) < p.get("points", 0) else None
            if cells is None or cells[0].shape not in stacks:
                continue
            who, arrays = stacks[cells[0].shape]
            hits = _matches(cells[0], cells[1], np.stack(arrays))
            for s in (w for w, h in zip(who, hits.tolist()) if h and w != r["student"]):
                out[r["student"]].append(say("classroom.note_key", lang, problem=names[i], other=s))
    return dict(out)
