"""Gradebooks: exact files for a small class, hostile rosters, formula neutralising."""

import csv
import io

import pytest

from cnncalc.errors import ParameterError
from cnncalc.grade.gradebook import (
    GRADEBOOKS,
    Number,
    RosterError,
    csv_text,
    gradebook,
    neutralise,
    read_roster_rows,
)
from cnncalc.grade.gradenotes import similarity_notes


def rec(student, score, status="ok", earned=None, answer=None):
    earned = [score] if earned is None else earned
    return {"student": student, "status": status, "score": score, "max_score": 10,
            "problems": [{"name": "map 1", "points": 10, "earned": e, "answer": answer} for e in earned]}


ROSTER = (
    "student,name,email,sis_user_id,sis_login_id,section,username,idnumber\n"
    'alice,"Lee, Alice",alice@uni.edu,1001,alee,A,alee,S1001\n'
    "bob,Bob Ng,bob@uni.edu,1002,bng,B,bng,S1002\n"
    "carol,Carol Wu,carol@uni.edu,1003,cwu,A,cwu,S1003\n"
)
RECORDS = [rec("alice", 7.5), rec("bob", 10), rec("carol", 0, status="missing")]


def parse(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def test_canvas_exact():
    gb = gradebook("canvas", RECORDS, read_roster_rows(ROSTER), title="HW 3")
    assert gb.text == (
        "Student,ID,SIS User ID,SIS Login ID,Section,HW 3\r\n"
        '"Lee, Alice",,1001,alee,A,7.5\r\n'
        "Bob Ng,,1002,bng,B,10\r\n"
        "Carol Wu,,1003,cwu,A,\r\n"
    )
    assert gb.warnings == []


def test_canvas_points_possible_row_and_missing_as_zero():
    gb = gradebook("canvas", RECORDS, read_roster_rows(ROSTER), title="HW 3", points_possible=True,
                   missing_as="zero")
    rows = parse(gb.text)
    assert rows[1] == ["Points Possible", "", "", "", "", "10"]
    assert rows[-1][-1] == "0"


def test_moodle_exact_by_email_and_by_idnumber():
    roster = read_roster_rows(ROSTER)
    assert gradebook("moodle", RECORDS, roster, title="HW 3").text == (
        "Email address,Full name,HW 3\r\n"
        'alice@uni.edu,"Lee, Alice",7.5\r\n'
        "bob@uni.edu,Bob Ng,10\r\n"
        "carol@uni.edu,Carol Wu,\r\n"
    )
    rows = parse(gradebook("moodle", RECORDS, roster, title="HW 3", moodle_identifier="idnumber").text)
    assert rows[0][0] == "ID number" and [r[0] for r in rows[1:]] == ["S1001", "S1002", "S1003"]
    rows = parse(gradebook("moodle", RECORDS, roster, title="HW 3", feedback={"bob": "well done"}).text)
    assert rows[0] == ["Email address", "Full name", "HW 3", "Feedback"] and rows[2][3] == "well done"


def test_gradescope_exact():
    assert gradebook("gradescope", RECORDS, read_roster_rows(ROSTER), title="HW 3").text == (
        "Name,Email,SID,HW 3\r\n"
        '"Lee, Alice",alice@uni.edu,1001,7.5\r\n'
        "Bob Ng,bob@uni.edu,1002,10\r\n"
        "Carol Wu,carol@uni.edu,1003,\r\n"
    )


def test_plain_csv_exact_with_notes():
    notes = {"alice": ["map 1: identical wrong answer shared by 2 students (alice, dan)"]}
    gb = gradebook("csv", RECORDS, read_roster_rows(ROSTER), title="HW 3", notes=notes)
    rows = parse(gb.text)
    assert rows[0] == ["student", "name", "email", "sis_user_id", "sis_login_id", "section", "username",
                       "idnumber", "status", "score", "max_score", "map 1", "notes"]
    assert rows[1] == ["alice", "Lee, Alice", "alice@uni.edu", "1001", "alee", "A", "alee", "S1001", "ok",
                       "7.5", "10", "7.5", notes["alice"][0]]
    assert rows[3][8:11] == ["missing", "0", "10"]


def test_without_roster_the_student_id_is_used():
    gb = gradebook("canvas", [rec("s-17", 4)], None, title="HW")
    assert parse(gb.text)[1] == ["s-17", "", "s-17", "", "", "4"]
    gb = gradebook("gradescope", [rec("s-17", 4)], None, title="HW")
    assert "no email" in gb.warnings[0]


def test_roster_only_students_get_an_empty_score():
    roster = read_roster_rows(ROSTER + "dan,Dan,dan@uni.edu,1004,dan,C,dan,S1004\n")
    rows = parse(gradebook("canvas", RECORDS, roster, title="HW").text)
    assert rows[-1] == ["Dan", "", "1004", "dan", "C", ""]


@pytest.mark.parametrize("text, out", [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("  =1", "'  =1"), ("\uff1d1+1", "'\uff1d1+1"),
    ("-2.5", "-2.5"), ("+3", "+3"), ("007", "007"), ("0.75", "0.75"),
    ("-", "'-"), ("1e5", "1e5"), ("a=b", "a=b"), ("Zoë Müller", "Zoë Müller"), ("张三", "张三"),
    ("nul\x00byte", "nul\ufffdbyte"), ("", ""),
])
def test_neutralise(text, out):
    assert neutralise(text) == out


HOSTILE = (
    "Student,Name,Email,SIS User ID\n"
    '=cmd,"=HYPERLINK(""http://x"",""y"")",=1@x.org,=2\n'
    '"a,b","Quote ""Q"" Person",q@x.org,+3\n'
    '"new\nline","Line\nBreak",nl@x.org,-1+2\n'
    "@at,@Name,at@x.org,-42\n"
    "张三,张三,zhang@x.org,\t5\n"
)


@pytest.mark.parametrize("kind", list(GRADEBOOKS))
def test_hostile_roster_no_cell_can_start_a_formula(kind):
    roster = read_roster_rows(HOSTILE)
    records = [rec(r["student"], -2.5 if r["student"] == "@at" else 5) for r in roster]
    gb = gradebook(kind, records, roster, title="=HW")
    rows = parse(gb.text)
    assert len(rows) == 1 + len(roster) or kind == "moodle"
    for row in rows:
        for cell in row:
            if cell and cell.lstrip()[:1] in "=+-@\t\r":
                # only plain numbers may start with a sign
                assert neutralise(cell) == cell, (kind, cell)
    assert "'=HW" in rows[0] or kind == "csv"
    flat = [c for r in rows for c in r]
    if kind != "moodle":
        assert "-2.5" in flat  # a negative score stays a number
    assert any("张三" in c for c in flat)


def test_hostile_round_trip_keeps_commas_quotes_newlines():
    roster = read_roster_rows(HOSTILE)
    rows = parse(gradebook("csv", [rec(r["student"], 1) for r in roster], roster, title="t").text)
    students = [r[0] for r in rows[1:]]
    assert "a,b" in students and "new\nline" in students and "'=cmd" in students and "'@at" in students
    names = [r[1] for r in rows[1:]]
    assert 'Quote "Q" Person' in names and "Line\nBreak" in names


def test_moodle_warns_about_identifiers_it_cannot_match():
    roster = read_roster_rows("student,email\nx,=evil@x.org\ny,\n")
    gb = gradebook("moodle", [rec("x", 1), rec("y", 2)], roster, title="t")
    assert len(parse(gb.text)) == 2  # y has no email: left out
    assert any("looks like a formula" in w for w in gb.warnings)
    assert any(w.startswith("y: no email") for w in gb.warnings)


def test_roster_reader():
    rows = read_roster_rows("\ufeffStudent ID;Full Name;E-mail;SIS User ID\n alice ; Alice ;a@x;1\n\n;nobody;;\n")
    assert rows == [{"student": "alice", "name": "Alice", "email": "a@x", "sis_user_id": "1"}]
    with pytest.raises(RosterError, match="student"):
        read_roster_rows("name,email\nA,a@x\n")
    with pytest.raises(RosterError, match="twice"):
        read_roster_rows("student,name\na,A\na,B\n")
    assert read_roster_rows("student,name\na,A\na,A\n") == [{"student": "a", "name": "A"}]
    with pytest.raises(RosterError, match="empty"):
        read_roster_rows("\n\n")


def test_csv_text_numbers_are_not_touched():
    assert csv_text([[Number("-1"), "-1", "-1+1"]]) == "-1,-1,'-1+1\r\n"


def test_unknown_kind_and_options():
    with pytest.raises(ParameterError, match="gradebook must be one of canvas, moodle, gradescope, csv"):
        gradebook("blackboard", RECORDS, None, title="t")
    with pytest.raises(ParameterError, match="moodle_identifier"):
        gradebook("moodle", RECORDS, None, title="t", moodle_identifier="phone")


def test_objects_with_to_json_are_accepted():
    class R:
        def to_json(self):
            return rec("obj", 3)

    assert parse(gradebook("csv", [R()], None, title="t").text)[1][:3] == ["obj", "ok", "3"]


# --------------------------------------------------------------------------- notes


def p(rows, earned, name="map 1"):
    return {"name": name, "points": 1, "earned": earned, "answer": [rows]}


def test_shared_wrong_answers():
    recs = [{"student": s, "problems": [p(["1  2", "3 4"], 0.5)]} for s in ("c", "a", "b")]
    recs.append({"student": "d", "problems": [p(["1 2", "3 4"], 1)]})  # right: no note
    recs.append({"student": "e", "problems": [p(["9 9", "9 9"], 0)]})  # alone: no note
    notes = similarity_notes(recs)
    assert notes == {s: ["map 1: identical wrong answer shared by 3 students (a, b, c)"] for s in "abc"}
    assert similarity_notes(recs, min_shared=4) == {}
    zh = similarity_notes(recs, lang="zh")["a"][0]
    assert zh == "map 1：3 名学生交了完全相同的错误答案（a, b, c）"


def test_answer_equals_another_students_key():
    keys = {"amy": [[[7 / 9, -1 / 9]]], "ben": [[[0.5, 0.25]]], "cat": [[[1.0, 1.0]]]}
    recs = [
        {"student": "ben", "problems": [p(["0.77 -0.11"], 0)]},  # amy's key, truncated: copied?
        {"student": "cat", "problems": [p(["0.78 -0.11"], 0)]},  # amy's key, rounded half-up
        {"student": "amy", "problems": [p(["0.77 -0.11"], 1)]},  # right for amy: no note
        {"student": "dan", "problems": [p(["0.76 -0.11"], 0)]},  # neither
        {"student": "eve", "problems": [p(["0.5 0.25 1"], 0)]},  # another shape
    ]
    notes = similarity_notes(recs, keys=keys)
    assert notes["ben"] == ["map 1: answer equals the key of student amy"]
    assert notes["cat"] == ["map 1: answer equals the key of student amy"]
    assert "dan" not in notes and "eve" not in notes and "amy" not in notes
