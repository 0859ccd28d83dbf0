#!/usr/bin/env python3
"""Run the diagnosis evaluation set through ``cnncalc check`` and tabulate the verdicts.

    python report.py DIR [--cnncalc PATH] [--jobs N] [--raw FILE]
    python report.py DIR --here          # in this process, with the importable cnncalc

For each case: ``cnncalc check answer.txt --assignment assignment.toml --format json``
(run in the case folder; exit 1 expected for a wrong answer, 0 for a right one).
Per category:

* named      every mistaken answer gets labels, all acceptable, covering one full
             explanation (both labels of a pair); for ``sign``/``arithmetic``: every
             wrong cell has that cause (or an acceptable explanation is named);
* partial    only acceptable labels, but not a full explanation for every answer
             (one label of a pair, one of two swapped answers);
* misleading some label named that is not acceptable for that answer;
* silent     no label beyond per-cell causes (sign, rounding, too-few-decimals, arithmetic);
* false-acc  a mistaken answer judged right (not counted in the four above);
* false-alarm a right answer judged wrong (counted apart, any category);
* error      exit code 2 or unreadable JSON.

Diagnosis entries may be strings (today) or objects ``{"label": "a+b", "labels": [...], ...}``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CELL_LABELS = {"sign", "rounding", "too-few-decimals", "arithmetic"}
CELL_CATEGORIES = {"sign", "arithmetic"}
OUTCOMES = ("named", "partial", "misleading", "silent", "false-acc", "error")


def entry_labels(entry) -> list[str]:
    if isinstance(entry, str):
        return [entry]
    if isinstance(entry, dict):
        if entry.get("labels"):
            return [str(x) for x in entry["labels"]]
        label = entry.get("label")
        if isinstance(label, list):
            return [str(x) for x in label]
        if isinstance(label, str):
            return [x.strip() for x in label.split("+") if x.strip()]
    return []


def answer_labels(answer: dict) -> list[str]:
    out: list[str] = []
    for entry in answer.get("diagnosis") or []:
        for label in entry_labels(entry):
            if label not in out:
                out.append(label)
    return out


def judged_right(answer: dict) -> bool:
    return bool(answer.get("shape_ok")) and not answer.get("wrong")


def run_case(cnncalc: str, root: Path, item: dict) -> dict:
    folder = root / item["dir"]
    cmd = [cnncalc, "check", "answer.txt", "--assignment", "assignment.toml", "--format", "json"]
    try:
        proc = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=120, check=False)
    except subprocess.TimeoutExpired:
        return {"rc": None, "json": None, "stderr": "timeout"}
    try:
        data = json.loads(proc.stdout) if proc.stdout.strip() else None
    except json.JSONDecodeError:
        data = None
    return {"rc": proc.returncode, "json": data, "stderr": proc.stderr.strip()[-500:]}


def run_case_here(root: Path, item: dict) -> dict:
    """``run_case`` without a process: cnncalc's own ``check`` code, the same JSON."""
    from cnncalc.check.checker import run_check
    from cnncalc.check.report import check_json
    from cnncalc.errors import CnncalcError

    folder = root / item["dir"]
    try:
        items, _ = run_check(folder / "answer.txt", assignment=folder / "assignment.toml")
    except CnncalcError as e:
        return {"rc": 2, "json": None, "stderr": str(e)}
    data = check_json(items)
    return {"rc": 0 if data["correct"] else 1, "json": json.loads(json.dumps(data))}


def classify(meta: dict, result: dict) -> dict:
    """Outcome of one case, plus what cnncalc said about each answer."""
    data, rc = result["json"], result["rc"]
    said = []
    if rc not in (0, 1) or not isinstance(data, dict) or len(data.get("answers", [])) != len(meta["answers"]):
        return {"outcome": "error", "false_alarm": False, "said": said, "rc": rc, "stderr": result.get("stderr", "")}
    category = meta["category"]
    false_alarm = False
    misleading = False
    accepted = False
    named_all = True
    any_label = False
    for exp, got in zip(meta["answers"], data["answers"]):
        labels = answer_labels(got)
        verdict = "right" if judged_right(got) else "wrong"
        causes = Counter(str(w.get("cause")) for w in got.get("wrong") or [])
        said.append({"problem": exp["problem"], "verdict": verdict, "labels": labels, "causes": dict(causes),
                     "shape_ok": got.get("shape_ok"),
                     "messages": [e.get("message") for e in got.get("diagnosis") or [] if isinstance(e, dict) and e.get("message")]})
        if not exp["mistaken"]:
            if verdict == "wrong":
                false_alarm = True
            continue
        if verdict == "right":
            accepted = True
            continue
        acceptable = set(exp["acceptable"])
        answer_level = [lb for lb in labels if lb not in CELL_LABELS]
        if any(lb not in acceptable for lb in answer_level):
            misleading = True
        named = bool(answer_level) and all(lb in acceptable for lb in answer_level) and any(
            set(e) <= set(answer_level) for e in exp["explanations"]
        )
        if category in CELL_CATEGORIES:
            cells = got.get("wrong") or []
            if cells and all(w.get("cause") == category for w in cells) and all(lb in acceptable for lb in answer_level):
                named = True
        any_label = any_label or bool(answer_level)
        named_all = named_all and named
    if category == "right":
        outcome = "ok"
    elif misleading:
        outcome = "misleading"
    elif accepted:
        outcome = "false-acc"
    elif named_all:
        outcome = "named"
    elif any_label:
        outcome = "partial"
    else:
        outcome = "silent"
    return {"outcome": outcome, "false_alarm": false_alarm, "said": said, "rc": rc}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Tabulate cnncalc's diagnoses on the evaluation set.")
    ap.add_argument("dir", help="the folder make_eval_set.py wrote (holds index.json)")
    ap.add_argument("--cnncalc", default=shutil.which("cnncalc") or "cnncalc", help="the cnncalc executable")
    ap.add_argument("--here", action="store_true",
                    help="check in this process with the importable cnncalc (fast) instead of running the executable")
    ap.add_argument("--jobs", type=int, default=2, help="cases checked at once (default 2)")
    ap.add_argument("--raw", help="also write every case's verdict and cnncalc's JSON here")
    args = ap.parse_args(argv)
    root = Path(args.dir)
    index = json.loads((root / "index.json").read_text())["cases"]
    metas = [json.loads((root / item["dir"] / "case.json").read_text()) for item in index]
    if args.here:
        results = [run_case_here(root, item) for item in index]
    else:
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(pool.map(lambda item: run_case(args.cnncalc, root, item), index))
    verdicts = [classify(m, r) for m, r in zip(metas, results)]

    order: list[str] = []
    rows: dict[str, Counter] = defaultdict(Counter)
    for meta, v in zip(metas, verdicts):
        cat = meta["category"]
        if cat not in order:
            order.append(cat)
        rows[cat]["cases"] += 1
        rows[cat][v["outcome"]] += 1
        rows[cat]["false-alarm"] += int(v["false_alarm"])
    width = max(len(c) for c in order + ["category"]) + 1
    cols = ("cases",) + OUTCOMES + ("false-alarm",)
    head = "category".ljust(width) + "".join(c.rjust(12) for c in cols)
    print(f"cnncalc: {'this process' if args.here else args.cnncalc}")
    print(f"cases: {len(metas)} in {root}")
    print()
    print(head)
    print("-" * len(head))
    total: Counter = Counter()
    for cat in order:
        r = rows[cat]
        if cat == "right":
            cells = [str(r["cases"])] + ["-"] * 4 + ["-", str(r["error"]), str(r["false-alarm"])]
        else:
            cells = [str(r[c]) for c in cols]
            total.update({c: r[c] for c in cols})
        print(cat.ljust(width) + "".join(c.rjust(12) for c in cells))
    print("-" * len(head))
    print("mistakes total".ljust(width) + "".join(str(total[c]).rjust(12) for c in cols))
    n = total["cases"] or 1
    print("share".ljust(width) + "".join(f"{total[c] / n:.0%}".rjust(12) for c in cols))
    right = rows.get("right", Counter())
    fa_total = sum(r["false-alarm"] for r in rows.values())
    print()
    print(f"false alarms (a right answer judged wrong): {fa_total} case(s) "
          f"({right['false-alarm']} of {right['cases']} all-right cases)")
    print(f"false acceptances (a mistaken answer judged right): {total['false-acc']}")
    print(f"errors (exit 2 / no JSON): {total['error'] + right['error']}")
    # named per category as a compact line, handy for comparing runs
    print()
    print("named/cases per category: " + ", ".join(f"{c} {rows[c]['named']}/{rows[c]['cases']}" for c in order if c != "right"))

    def show(title: str, pick) -> None:
        chosen = [(m, v) for m, v in zip(metas, verdicts) if pick(m, v)]
        print()
        print(f"{title}: {len(chosen)}")
        for m, v in chosen:
            print(f"  {m['id']}  acceptable={','.join(m['acceptable']) or '-'}")
            for s, a in zip(v["said"], m["answers"]):
                tag = "mistaken" if a["mistaken"] else "right"
                causes = ", ".join(f"{k}×{n}" for k, n in sorted(s["causes"].items()))
                line = f"    {s['problem']} ({tag}, judged {s['verdict']}{'' if s['shape_ok'] else ', wrong shape'}): labels={s['labels'] or '[]'}"
                if causes:
                    line += f" causes: {causes}"
                print(line)
                for msg in s["messages"]:
                    print(f"      said: {msg}")
            if v["outcome"] == "error":
                print(f"    rc={v['rc']} {v.get('stderr', '')}")

    show("Misleading cases", lambda m, v: v["outcome"] == "misleading")
    show("False acceptances", lambda m, v: v["outcome"] == "false-acc")
    show("False alarms", lambda m, v: v["false_alarm"])
    show("Errors", lambda m, v: v["outcome"] == "error")
    if args.raw:
        Path(args.raw).write_text(json.dumps(
            [{"id": m["id"], "category": m["category"], **v, "json": r["json"]} for m, v, r in zip(metas, verdicts, results)],
            indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
