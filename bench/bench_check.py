"""Checking one answer against the whole mistake catalogue, pairs included.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_check.py [--repeats 21]

A 9x9 problem (random integers, a 3x3 kernel, norm=mean, padding 1, a bias,
ReLU then mean pooling 2: every entry of the catalogue applies) and an answer
made with two mistakes (the kernel transposed, the sum instead of the mean), so
that no single mistake explains it and the search goes through the pairs. Times,
as medians of ``--repeats`` of the process's CPU time (``time.process_time``:
what the check computes, not what the other processes of a shared machine take):

  * ``check_answer`` with a fresh context: the catalogue (singles and pairs)
    recomputed for the problem, then searched for the answer;
  * the same answer checked again with the context kept (what ``grade`` pays
    for each further distinct answer to the problem);
  * the peer: ``check_answer`` with no context (only the cells are judged and
    the result itself transposed or shifted), the cost of checking at all.

DESIGN.md / issue 11 target: at most 50 ms of compute for the first.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib

REMOVED = benchlib.clean_blas_env()
benchlib.repo_on_path()

import numpy as np

TARGET_MS = 50.0


def problem() -> tuple[np.ndarray, np.ndarray, dict, list, np.ndarray, np.ndarray]:
    from cnncalc.check.recompute import apply_post
    from cnncalc.engine import ops

    rng = np.random.default_rng(11)
    x = rng.integers(-3, 4, (9, 9)).astype(float)
    k = rng.integers(-1, 2, (3, 3)).astype(float)
    conv = {"norm": "mean", "padding": 1, "bias": 0.5}
    post = ["relu", ("pool", "mean", 2, None)]
    exp = apply_post(ops.conv2d(x, k, **conv), post)
    made = apply_post(ops.conv2d(x, k.T, **{**conv, "norm": "sum"}), post)  # two mistakes at once
    return x, k, conv, post, exp, made


def cpu_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    from cnncalc.check.cells import CheckContext
    from cnncalc.check.compare import check_answer
    from cnncalc.read import Grid

    x, k, conv, post, exp, made = problem()
    answer = [Grid(values=np.round(made, 2), decimals=np.full(made.shape, 2))]

    def fresh():
        return check_answer(answer, exp, context=CheckContext(x, k, dict(conv), list(post)))

    kept = CheckContext(x, k, dict(conv), list(post))
    result = check_answer(answer, exp, context=kept)
    from cnncalc.check.search import problem_candidates

    count = len(problem_candidates(exp[None], kept, None))
    benchlib.header(f"check one 9x9 problem against the mistake catalogue ({count} candidates), "
                    f"CPU median of {args.repeats}", REMOVED)
    print(f"diagnosis: {result.diagnosis}")
    t_fresh = cpu_ms(fresh, args.repeats)
    t_kept = cpu_ms(lambda: check_answer(answer, exp, context=kept), args.repeats)
    t_none = cpu_ms(lambda: check_answer(answer, exp), args.repeats)
    rows = [
        ["check, catalogue recomputed", benchlib.ms(t_fresh / 1000), f"{t_fresh / t_none:.1f}×",
         f"{t_fresh / TARGET_MS:.2f}× of 50 ms", benchlib.verdict(t_fresh / TARGET_MS, 1.0)],
        ["check, catalogue kept", benchlib.ms(t_kept / 1000), f"{t_kept / t_none:.1f}×", "", ""],
        ["check without a context (peer)", benchlib.ms(t_none / 1000), "1.0×", "", ""],
    ]
    print(benchlib.table(["what", "CPU", "vs peer", "target", ""], rows))


if __name__ == "__main__":
    main()
