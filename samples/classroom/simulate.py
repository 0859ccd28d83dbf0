"""Write the sample class's submissions as simulated students would: right answers
and the common mistakes, and the grades this plants (planted.json).

Run from the repository root after `cnncalc make` (see README, "Classroom"):

    python samples/classroom/simulate.py

Every answer is whole numbers (norm=sum, integer cells), so the planted score of
a problem is exactly points x (cells right / cells), counted here by hand-simple
comparisons; tests/test_classroom.py checks that `grade` finds the same grades.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import numpy as np

from cnncalc.grade.classgrade import load_variants

HERE = Path(__file__).resolve().parent
SUBS = HERE / "submissions"

# student -> what they do on (problem 1, problem 2)
PLAN = {
    "s03": ("slip:1", "right"), "s04": ("sign:2", "right"), "s05": ("right", "slip:2"),
    "s06": ("right", "shape"), "s07": ("right", "none"), "s08": ("slip:3", "sign:1"),
    "s09": ("copy:s10", "right"), "s11": ("right", "copy:s12"), "s13": ("shape", "shape"),
    "s14": ("right", "sign:1"), "s16": ("slip:1", "slip:1"), "s18": ("right", "slip:1"),
    "s20": ("sign:1", "right"), "s22": ("right", "shape"), "s24": ("slip:2", "right"),
    "s26": ("share:s26", "right"), "s27": ("share:s26", "right"), "s28": ("share:s26", "right"),
}
ABSENT = ("s30",)  # on the roster, nothing handed in


def text_of(grid: np.ndarray) -> str:
    return "\n".join(" ".join(str(int(v)) for v in row) for row in grid)


def answer(plan: str, key: np.ndarray, keys: dict, rng: random.Random) -> np.ndarray | None:
    kind, _, arg = plan.partition(":")
    got = key.copy()
    cells = [(i, j) for i in range(key.shape[0]) for j in range(key.shape[1])]
    if kind == "slip":  # an arithmetic slip: +1 in some cells
        for i, j in rng.sample(cells, int(arg)):
            got[i, j] += 1
    elif kind == "sign":  # a dropped minus sign (only where the value is not 0)
        for i, j in rng.sample([c for c in cells if key[c] != 0], int(arg)):
            got[i, j] = -got[i, j]
    elif kind == "shape":  # a step forgotten: one row too many
        got = np.vstack([got, got[-1:]])
    elif kind == "none":
        return None
    elif kind == "copy":  # hands in another student's key
        got = keys[arg]
    elif kind == "share":  # copies one wrong answer: the first row +1
        got = keys[arg].copy()
        got[0, :] += 1
    return got


def main() -> None:
    variants = load_variants(HERE / "made" / "variants.json")
    rng = random.Random(2026)
    if SUBS.exists():
        shutil.rmtree(SUBS)
    SUBS.mkdir()
    planted = {}
    for student in sorted(variants.students):
        if student in ABSENT:
            planted[student] = {"status": "missing", "score": 0.0}
            continue
        problems = variants.students[student].problems
        plans = PLAN.get(student, ("right", "right"))
        blocks, score = [], 0.0
        for i, (p, plan) in enumerate(zip(problems, plans)):
            key = np.asarray(p.expected)
            keys = {s: np.asarray(a.problems[i].expected) for s, a in variants.students.items()}
            got = answer(plan, key, keys, rng)
            if got is None:
                continue
            blocks.append(text_of(got))
            if got.shape == key.shape:
                score += p.points * float(np.mean(got == key))
        (SUBS / f"{student}.txt").write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
        status = "partial" if len(blocks) < len(problems) else "ok"
        planted[student] = {"status": status, "score": round(score, 6), "plan": list(plans)}
    (HERE / "planted.json").write_text(json.dumps(planted, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
