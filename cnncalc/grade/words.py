"""The words a reader sees for the stable keys of the records: statuses, mistake
labels, and the facts about student ids (not on the roster, no submission, an id
written with a formula guard).

``grades.json``, ``grades.csv`` and the gradebooks keep the English keys (a data
contract for scripts and platforms); everything written for people goes through
these names, so ``--lang zh`` reads Chinese. English shows the key itself.

>>> status_name("missing", "zh"), status_name("missing", "en")
('未提交', 'missing')
>>> label_name("wrong-pool-stride+cropped", "zh"), label_name("sign", "en")
('池化步长错误＋少算了窗口', 'sign')
>>> id_list(["a", "b", "c"], "en", limit=2), id_list(["a", "b", "c"], "zh", limit=2)
('a, b, … (3 in all)', 'a, b 等（共 3 人）')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cnncalc.messages import MESSAGES, text

MAX_IDS = 20


def status_name(status: str, lang: str) -> str:
    """A status for people (the key in English, a word in Chinese)."""
    key = f"classzh.status.{status}"
    return text(key, lang) if key in MESSAGES else status


def label_name(label: str, lang: str) -> str:
    """A mistake label for people; a pair ``a+b`` names both."""
    if "+" in label:
        first, _, second = label.partition("+")
        return text("classzh.pair", lang, first=label_name(first, lang), second=label_name(second, lang))
    key = f"classzh.label.{label}"
    return text(key, lang) if key in MESSAGES else label


def mistakes_text(diagnoses: Iterable[Mapping[str, Any]], lang: str = "en") -> str:
    """``sign ×3, normalization ×1`` (in Chinese ``正负号错误 ×3、…``)."""
    sep = "、" if lang == "zh" else ", "
    return sep.join(f"{label_name(d['label'], lang)} ×{d['count']}" for d in diagnoses)


def id_list(ids: Sequence[str], lang: str, *, limit: int = MAX_IDS) -> str:
    """Student ids, comma-separated, the first ``limit`` of them and the count."""
    shown = ", ".join(one_line(i) for i in ids[:limit])
    if len(ids) <= limit:
        return shown
    return text("classzh.more", lang, names=shown, count=len(ids))


def one_line(student: str) -> str:
    r"""An id on one line: a newline or tab in a file name is shown as ``\n``/``\t``."""
    return student.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def ids_of(records: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """The ids worth a teacher's look: records marked ``not_on_roster`` (a ``--roster``
    was given and does not list them), the ``missing`` students (on the roster,
    nothing handed in), and the ids a CSV file writes with a formula guard; when
    there are any, the students who handed in several files under one id
    (``several_files``: ``bob (bob.csv, bob.txt)``) and the ids off the roster that
    read like a missing roster id (``near_roster``: ``Ana → ana``)."""
    from cnncalc.grade.gradebook import neutralise, spaced

    ids = sorted(r["student"] for r in records if "student" in r)
    out = {
        "not_on_roster": sorted(r["student"] for r in records if r.get("not_on_roster")),
        "no_submission": sorted(r["student"] for r in records if r.get("status") == "missing"),
        "guarded": [s for s in ids if neutralise(s) != s],
    }
    marked = sorted((r for r in records if r.get("several_files") or r.get("roster_match")),
                    key=lambda r: r["student"])
    several = [f"{r['student']} ({', '.join(r['several_files'])})" for r in marked if r.get("several_files")]
    near = [f"{spaced(r['student'])} → {' / '.join(map(spaced, r['roster_match']))}"
            for r in marked if r.get("roster_match")]
    if several:
        out["several_files"] = several
    if near:
        out["near_roster"] = near
    return out


# the facts about ids, in the order a summary says them: (key of ``ids``, sentence)
ID_FACTS = (
    ("several_files", "intake.ids_several_files"),
    ("not_on_roster", "classzh.ids_not_on_roster"),
    ("near_roster", "intake.ids_near_roster"),
    ("no_submission", "classzh.ids_no_submission"),
    ("guarded", "classzh.ids_guarded"),
    ("hidden", "intake.ids_hidden"),
)


def id_facts(summary: Mapping[str, Any], lang: str, *, escape: Any = None) -> list[str]:
    """The sentences about ids in a class summary (``summarize``'s ``ids``): who handed
    in several files, who is not on the roster (and whom they may be), who on it
    handed nothing in, whose id got a formula guard, which hidden names were not read.
    ``escape`` (an id for Markdown, say) is applied to each id before it is listed."""
    ids = summary.get("ids") or {}
    out = []
    for key, sentence in ID_FACTS:
        found = ids.get(key) or []
        if found:
            shown = [escape(i) for i in found] if escape is not None else list(found)
            out.append(text(sentence, lang, count=len(found), names=id_list(shown, lang)))
    return out
