"""Issue 11's acceptance on the evaluation set: build it (``make_eval_set.py``, naive
numpy, no cnncalc) into a temporary folder, check every case as ``cnncalc check
--format json`` does (in this process, ``report.run_case_here``), and classify the
verdicts as ``report.py`` does.

Done when: no false alarm, no false acceptance, no misleading reason, and at least
95% of the single systematic mistakes and of the pairs named. ``python
tests/diag_eval/report.py DIR --here`` prints the table per category.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_eval_set
import report
from catalogue import CELL_MISTAKES, PAIRS, SINGLES


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> list[tuple[dict, dict]]:
    root = tmp_path_factory.mktemp("evalset")
    assert make_eval_set.main(["--out", str(root)]) == 0
    index = json.loads((root / "index.json").read_text())["cases"]
    out = []
    for item in index:
        meta = json.loads((root / item["dir"] / "case.json").read_text())
        out.append((meta, report.classify(meta, report.run_case_here(root, item))))
    return out


def _count(verdicts, categories) -> Counter:
    return Counter(v["outcome"] for m, v in verdicts if m["category"] in categories)


def test_the_set_is_large_and_varied(verdicts):
    answers = sum(len(m["answers"]) for m, _ in verdicts)
    assert answers >= 200
    categories = {m["category"] for m, _ in verdicts}
    assert {"right", *SINGLES, *CELL_MISTAKES, *("+".join(p) for p in PAIRS)} <= categories


def test_no_false_alarm(verdicts):
    assert [m["id"] for m, v in verdicts if v["false_alarm"]] == []


def test_no_false_acceptance(verdicts):
    assert [m["id"] for m, v in verdicts if v["outcome"] == "false-acc"] == []


def test_no_error(verdicts):
    assert [m["id"] for m, v in verdicts if v["outcome"] == "error"] == []


def test_no_misleading_reason(verdicts):
    assert [(m["id"], [s["labels"] for s in v["said"]]) for m, v in verdicts if v["outcome"] == "misleading"] == []


def test_single_mistakes_are_named(verdicts):
    counts = _count(verdicts, set(SINGLES))
    assert counts["named"] >= 0.95 * sum(counts.values()), counts


def test_pairs_are_named(verdicts):
    counts = _count(verdicts, {"+".join(p) for p in PAIRS})
    assert counts["named"] >= 0.95 * sum(counts.values()), counts


def test_cell_mistakes_keep_their_causes(verdicts):
    counts = _count(verdicts, set(CELL_MISTAKES))
    assert counts["named"] == sum(counts.values()), counts
