"""Synthetic grading records for the HTML report tests (hand-checkable).

Problem "map 1" (2x2, exact [[0.5, -0.25], [1, 0]]):
  alice  wrong at (1, 2)             bob   wrong at (1, 2) and (2, 1)
  张三    right                       <script>  wrong at (1, 2)
  \\x1b[31mred  answered 3x3 (another shape)   =cmd  missing
So 4 answers of the right shape; share wrong: (1,2) = 3/4, (2,1) = 1/4, others 0.
Problem "map 2" (1x3): only alice and bob answered, bob wrong at (1, 3): share 1/2.
"""

EXPECTED = [[[0.5, -0.25], [1.0, 0.0]], [[1.0, 2.0, 3.0]]]
PROBLEMS = [{"name": "map 1", "points": 4, "shape": [2, 2]}, {"name": "map 2", "points": 3, "shape": [1, 3]}]
HOSTILE = "<script>alert(1)</script>"
ESCAPE = "\x1b[31mred"


def w(row, col, expected, got, cause="sign"):
    return {"row": row, "col": col, "expected": expected, "got": got, "cause": cause}


def problem(name, points, earned, answer=None, wrong=(), shape_ok=True, diagnosis=(), **extra):
    out = {"name": name, "points": points, "earned": earned, "answered": answer is not None,
           "score": earned / points}
    if answer is not None:
        out.update(shape_ok=shape_ok, answer=answer, wrong=list(wrong), diagnosis=list(diagnosis), **extra)
    return out


def record(student, status, problems, message=None):
    return {"student": student, "status": status, "score": sum(p["earned"] for p in problems),
            "max_score": 7, "message": message, "files": [], "notes": [], "problems": problems}


def records():
    return [
        record("alice", "ok", [
            problem("map 1", 4, 3, [["0.5 0.25", "1 0"]], [w(1, 2, -0.25, 0.25)], diagnosis=["sign"]),
            problem("map 2", 3, 3, [["1 2 3"]])]),
        record("bob", "ok", [
            problem("map 1", 4, 2, [["0.5 0.25", "-1 0"]], [w(1, 2, -0.25, 0.25), w(2, 1, 1, -1)],
                    diagnosis=["sign"]),
            problem("map 2", 3, 2, [["1 2 4"]], [w(1, 3, 3, 4, "arithmetic")], diagnosis=["arithmetic"])]),
        record("张三", "partial", [problem("map 1", 4, 4, [["0.50 -0.25", "1.00 0.00"]]), problem("map 2", 3, 0)]),
        record(HOSTILE, "partial", [
            problem("map 1", 4, 3, [["0.5 0.2", "1 0"]], [w(1, 2, -0.25, 0.2, "arithmetic")]),
            problem("map 2", 3, 0)]),
        record(ESCAPE, "partial", [
            problem("map 1", 4, 0, [["1 2 3", "4 5 6", "7 8 9"]], shape_ok=False, got_shape=[3, 3],
                    expected_shape=[2, 2], diagnosis=["wrong-padding"]),
            problem("map 2", 3, 0)]),
        record("=cmd", "missing", [problem("map 1", 4, 0), problem("map 2", 3, 0)], message="nothing handed in"),
    ]
