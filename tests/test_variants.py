"""Variants: the generator is pinned by whole variants written out below.

Any change of the generator, of the order of draws or of a preset breaks these
tests on purpose: a student's homework must never change between releases.
"""

import hashlib
import unicodedata

import pytest

from cnncalc.grade.variants import (
    Draws,
    Variant,
    draw_assignment,
    draw_variant,
    grid_text,
    output_shape,
)
from cnncalc.grade.variantspec import (
    PRESETS,
    VariantSpecError,
    parse_random_table,
    size_spec,
    value_spec,
)

SETTINGS_EASY = {"stride": 1, "padding": 0, "dilation": 1, "norm": "sum", "bias": 0,
                 "relu": False, "pooling": "none", "stages": None}


def test_first_draw_is_sha256_of_the_documented_message():
    expected = int.from_bytes(hashlib.sha256(b"7\0amy\x000\x000").digest()[:8], "big")
    d = Draws(7, "amy", 0)
    assert d.u64() == expected
    second = int.from_bytes(hashlib.sha256(b"7\0amy\x000\x001").digest()[:8], "big")
    assert d.u64() == second


def test_below_rejects_the_biased_tail(monkeypatch):
    d = Draws(1, "x", 0)
    n = 3
    limit = 2**64 - 2**64 % n  # 2**64 - 1: the single value 2**64 - 1 is rejected
    values = iter([2**64 - 1, 2**64 - 2, 5])
    monkeypatch.setattr(d, "u64", lambda: next(values))
    assert limit == 2**64 - 1
    assert d.below(n) == (2**64 - 2) % 3 == 2  # 2**64 = 1 (mod 3); the first value was skipped


def test_integer_range_is_inclusive_and_uniform_enough():
    d = Draws("seed", "s", 0)
    counts = [0] * 4
    for _ in range(4000):
        counts[d.integer(-1, 2) + 1] += 1
    assert all(900 < c < 1100 for c in counts), counts


def test_pinned_easy_variants():
    alice = draw_variant(2024, "alice", 0, {"preset": "easy"})
    assert alice == Variant(
        "alice", 0,
        [[-1, 1, 1, 1, -1], [1, 1, 1, 1, -1], [1, 1, -1, -1, 1], [-1, -1, 1, -1, 1], [1, -1, 1, -1, -1]],
        [[-1, 1], [-1, 1]], SETTINGS_EASY, 0, (4, 4))
    bob = draw_variant(2024, "bob", 0, {"preset": "easy"})
    assert bob.image == [[1, 1, -1, 1], [-1, 1, -1, 1], [-1, -1, -1, -1], [1, 1, -1, -1]]
    assert bob.kernel == [[-1, -1], [-1, 1]]
    assert bob.shape_out == (3, 3)


def test_pinned_medium_variant_with_a_chinese_id():
    v = draw_variant("hw3", "张三", 1, {"preset": "medium"})
    # attempts 0 and 1 gave answers smaller than 2x2 (min_output): skipped
    assert v.attempt == 2
    assert v.image == [[-2, 1, 2, 1, 1, 2], [2, -1, 1, -1, -1, 2], [2, 0, 2, 0, 2, 0],
                       [1, 3, 3, 2, 0, -2], [2, 2, 0, 1, -2, -2], [2, 3, 1, -1, 1, 1]]
    assert v.kernel == [[0, 1, 2], [0, 2, 0], [2, 0, 1]]
    assert v.settings == {**SETTINGS_EASY, "relu": True, "pooling": "max:2"}
    # 6x6, k=3, s=1: 6-3+1 = 4; max pool 2: floor((4-2)/2)+1 = 2
    assert v.shape_out == (2, 2)
    one = draw_variant("hw3", "张三", 1, {"preset": "medium", "min_output": 1})
    assert (one.attempt, one.shape_out) == (0, (1, 1))  # 7x7, k=3, s=2: 3; max pool 2: 1


def test_pinned_hard_variant_decimals_with_a_hostile_id():
    v = draw_variant("hw3", "=cmd|' /C calc'!A0", 2, {"preset": "hard"})
    assert v.attempt == 1
    assert v.image[0] == [0.9, -0.3, -0.6, -0.8, 1.0, 0.8, -0.2]
    assert v.kernel == [[0.2, 1.0], [-0.2, -1.0]]
    assert v.settings == {**SETTINGS_EASY, "stride": 2, "norm": "mean", "bias": 0.5, "relu": True}
    assert v.shape_out == (3, 3)  # 7x7, k=2, s=2: floor(5/2)+1 = 3
    assert all(round(x, 1) == x for row in v.image for x in row)


def test_pinned_custom_table():
    table = {"image_size": 3, "image_values": {"min": 0, "max": 9}, "kernel_size": 2, "kernel_values": [-1, 1]}
    v = draw_variant(7, "amy", 0, table)
    assert v.image == [[0, 6, 1], [1, 3, 9], [7, 6, 2]]
    assert v.kernel == [[1, -1], [-1, 1]]
    assert grid_text(v.image) == "0\t6\t1\n1\t3\t9\n7\t6\t2"


def test_illegal_draws_are_redrawn_deterministically():
    # image 2..4 with a 3x3 kernel and dilation 1 or 2: many draws cannot fit
    table = {"image_size": [2, 4], "image_values": [0, 1], "kernel_size": 3, "kernel_values": [1],
             "dilation": [1, 2], "min_output": 1}
    s2 = draw_variant(5, "s2", 0, table)
    assert s2.attempt == 2
    assert s2.image == [[0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0], [0, 1, 1, 0]]
    assert s2.settings["dilation"] == 1 and s2.shape_out == (2, 2)
    s3 = draw_variant(5, "s3", 0, table)
    assert (s3.attempt, s3.shape_out, s3.image) == (5, (1, 1), [[1, 0, 1], [0, 0, 1], [0, 0, 1]])
    for s in ("s1", "s2", "s3", "s4", "s5", "s6"):
        v = draw_variant(5, s, 0, table)
        assert output_shape((len(v.image), len(v.image[0])), (3, 3), v.settings) is not None


def test_legal_callback_can_refuse():
    seen = []

    def no_one_by_one(v):
        seen.append(v.attempt)
        return v.shape_out != (1, 1)

    table = {"image_size": [3, 4], "image_values": [1], "kernel_size": 3, "kernel_values": [1]}
    v = draw_variant(1, "kim", 0, table, legal=no_one_by_one)
    assert v.shape_out == (2, 2) and seen[-1] == v.attempt


def test_nfc_normalised_ids_and_distinct_students():
    decomposed = unicodedata.normalize("NFD", "José")
    assert decomposed != "José"
    assert draw_variant(1, decomposed, 0, {"preset": "medium"}) == draw_variant(1, "José", 0, {"preset": "medium"})
    assert draw_variant(1, "José", 0, {"preset": "medium"}) != draw_variant(1, "Jose", 0, {"preset": "medium"})
    assert draw_variant(1, "a", 0, {"preset": "hard"}) != draw_variant(1, "a", 1, {"preset": "hard"})
    assert draw_variant(1, "a", 0, {"preset": "hard"}) != draw_variant(2, "a", 0, {"preset": "hard"})


@pytest.mark.parametrize("sid", ["a,b", 'q"uote', "new\nline", "\x1b[31m", "-rf", "../../etc", "", "😀"])
def test_hostile_ids_draw_fine(sid):
    v = draw_variant("s", sid, 0, {"preset": "medium"})
    assert v.student == sid and v == draw_variant("s", sid, 0, {"preset": "medium"})


def test_every_preset_draws_legal_variants_for_many_students():
    for name in PRESETS:
        for k in range(60):
            v = draw_variant(99, f"student{k}", 0, {"preset": name})
            assert min(v.shape_out) >= 1


def test_specs_by_hand():
    assert size_spec(3, "k") == [(3, 3)]
    assert size_spec([5, 7], "k") == [(5, 5), (6, 6), (7, 7)]
    assert size_spec({"min": 2, "max": 3}, "k") == [(2, 2), (3, 3)]
    assert size_spec({"choices": [4, [3, 5]]}, "k") == [(4, 4), (3, 5)]
    s = value_spec({"min": -1, "max": 1, "places": 2}, "v")
    assert (s.lo, s.hi, s.places) == (-100, 100, 2)
    assert value_spec([-1, 1], "v").choices == (-1, 1)


@pytest.mark.parametrize("table, key", [
    ({"preset": "easy", "stride": [0]}, "stride"),
    ({"preset": "easy", "norm": ["median"]}, "norm"),
    ({"preset": "easy", "relu": ["yes"]}, "relu"),
    ({"preset": "easy", "pooling": ["max"]}, "pooling"),
    ({"preset": "easy", "image_size": [7, 5]}, "image_size"),
    ({"preset": "easy", "image_size": [3, 4, 5]}, "image_size"),
    ({"preset": "easy", "image_values": []}, "image_values"),
    ({"preset": "easy", "kernel_values": {"min": 0, "max": 1.25, "places": 1}}, "kernel_values"),
    ({"preset": "easy", "colour": 1}, "colour"),
    ({"image_size": 3}, "image_values"),
    ({"preset": "easy", "kernel_size": True}, "kernel_size"),
])
def test_bad_tables_name_the_key(table, key):
    with pytest.raises(VariantSpecError) as info:
        parse_random_table(table)
    assert info.value.entry == key and str(info.value).startswith(f"random.{key}: ")


def test_impossible_table_stops_with_an_error():
    with pytest.raises(VariantSpecError, match="no legal variant"):
        draw_variant(1, "x", 0, {"image_size": 2, "image_values": [0], "kernel_size": 3, "kernel_values": [1]})


def test_draw_assignment_one_variant_per_problem():
    vs = draw_assignment(3, "amy", [{"preset": "easy"}, None, {"preset": "easy"}])
    assert vs[1] is None and vs[0].problem == 0 and vs[2].problem == 2
    assert vs[0] == draw_variant(3, "amy", 0, {"preset": "easy"})


def test_seed_must_be_int_or_text():
    with pytest.raises(TypeError):
        Draws(True, "a", 0)
    with pytest.raises(TypeError):
        Draws(1.5, "a", 0)
