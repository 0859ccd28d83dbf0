"""A student's homework variant: a pure function of (assignment seed, student id).

A problem of an assignment may carry a ``random`` table (or name a preset)::

    [[problem]]
    name = "feature map 1"
    points = 10
    [problem.random]
    preset = "medium"                   # easy | medium | hard; keys below override it
    image_size = [5, 7]                 # side drawn from 5..7 (square image)
    image_values = [-1, 1]              # every cell drawn from the set {-1, 1}
    kernel_size = 3                     # fixed 3x3
    kernel_values = {min = -1, max = 2} # integers -1..2
    stride = [1, 2]                     # settings: one drawn from each list
    padding = [0, 1]
    relu = [false, true]
    pooling = ["none", "max:2"]

Specs, exactly:

* a **size** (``image_size``, ``kernel_size``) is an int ``n`` (n x n), a pair
  ``[lo, hi]`` (side drawn from lo..hi, square), ``{min = lo, max = hi}`` (the same)
  or ``{choices = [...]}`` whose entries are sides ``n`` or shapes ``[h, w]``;
* **values** (``image_values``, ``kernel_values``) are a list (a set: each cell
  drawn from it), ``{min, max}`` (integers, inclusive) or ``{min, max, places = N}``
  (decimals with N places: an integer k drawn from min*10^N..max*10^N, value k/10^N);
* a **setting** (``stride``, ``padding``, ``dilation``, ``norm``, ``bias``,
  ``relu``, ``pooling``, ``stages``) is a list to draw one entry from, or one value.

The generator is defined here, not borrowed: SHA-256 in counter mode. Draw number
``c`` (0, 1, 2, ...) of problem ``i`` for a student is the first 8 bytes, big-endian,
of ``sha256(f"{seed}\\0{nfc(student_id)}\\0{i}\\0{c}".encode("utf-8"))``, a 64-bit
integer. An integer below ``n`` comes from rejection sampling (a draw at or above
``2**64 - 2**64 % n`` is skipped, the next is used), then ``x % n``: no modulo bias,
no floating point. The same seed and id give the same variant on every machine,
numpy version and release; changing any of this is a breaking change (the tests
pin whole variants). Student ids are NFC-normalised, so a composed and a
decomposed "é" give the same variant.

A drawn variant is **legal** when the kernel fits the padded image and every step
leaves a map whose sides are at least ``min_output`` (a table key, default 2: a
1x1 answer teaches little); otherwise the draws simply continue (a redraw is
deterministic too) up to ``MAX_ATTEMPTS`` variants.

>>> v = draw_variant(2024, "alice", 0, {"preset": "easy"})
>>> v.attempt, v.shape_out
(0, (4, 4))
>>> draw_variant(2024, "alice", 0, {"preset": "easy"}) == v
True
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cnncalc.grade.variantspec import (
    PRESETS,
    SETTING_KEYS,
    RandomSpec,
    ValueSpec,
    VariantSpecError,
    parse_pool,
    parse_random_table,
)

__all__ = [
    "PRESETS",
    "Draws",
    "RandomSpec",
    "Variant",
    "VariantSpecError",
    "draw_assignment",
    "draw_variant",
    "grid_text",
    "output_shape",
    "parse_random_table",
]

MAX_ATTEMPTS = 1000
_TWO64 = 1 << 64


# --------------------------------------------------------------------------- generator


class Draws:
    """The deterministic draws of one student for one problem (SHA-256 counter mode).

    Examples
    --------
    >>> d = Draws("s1", "bob", 0)
    >>> d.u64() == int.from_bytes(hashlib.sha256(b"s1\\0bob\\x000\\x000").digest()[:8], "big")
    True
    >>> d.counter
    1
    >>> [Draws("s1", "bob", 0).below(6) for _ in range(2)]  # same stream, same result
    [2, 2]
    """

    def __init__(self, seed: int | str, student_id: str, problem_index: int) -> None:
        if isinstance(seed, bool) or not isinstance(seed, (int, str)):
            raise TypeError(f"seed must be an int or a str, not {type(seed).__name__}")
        if not isinstance(student_id, str):
            raise TypeError("student_id must be a str")
        sid = unicodedata.normalize("NFC", student_id)
        self.prefix = f"{seed}\0{sid}\0{int(problem_index)}\0".encode()
        self.counter = 0

    def u64(self) -> int:
        """The next 64-bit integer of the stream."""
        digest = hashlib.sha256(self.prefix + str(self.counter).encode("ascii")).digest()
        self.counter += 1
        return int.from_bytes(digest[:8], "big")

    def below(self, n: int) -> int:
        """A uniform integer in ``0..n-1`` (rejection sampling, no modulo bias)."""
        if n <= 0:
            raise ValueError("n must be positive")
        limit = _TWO64 - _TWO64 % n
        while True:
            x = self.u64()
            if x < limit:
                return x % n

    def integer(self, lo: int, hi: int) -> int:
        """A uniform integer in ``lo..hi`` (both included)."""
        return lo + self.below(hi - lo + 1)

    def choice(self, items: Sequence[Any]) -> Any:
        """One entry of ``items``, each equally likely."""
        return items[self.below(len(items))]


# --------------------------------------------------------------------------- variants

DEFAULTS: dict[str, Any] = {
    "stride": 1, "padding": 0, "dilation": 1, "norm": "sum", "bias": 0,
    "relu": False, "pooling": "none", "stages": None,
}


@dataclass(frozen=True)
class Variant:
    """One student's problem: the image, the kernel and the settings drawn.

    ``image``/``kernel`` are nested lists of ints (or floats with ``places``
    decimals); ``settings`` holds every key of ``DEFAULTS``; ``attempt`` counts the
    illegal variants skipped before this one; ``shape_out`` is the answer's shape.
    """

    student: str
    problem: int
    image: list[list[int | float]]
    kernel: list[list[int | float]]
    settings: dict[str, Any] = field(default_factory=dict)
    attempt: int = 0
    shape_out: tuple[int, int] = (0, 0)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for a key file (JSON/TOML)."""
        return {
            "student": self.student, "problem": self.problem, "image": self.image,
            "kernel": self.kernel, "settings": dict(self.settings), "attempt": self.attempt,
            "shape_out": list(self.shape_out),
        }


def output_shape(image: tuple[int, int], kernel: tuple[int, int], settings: Mapping[str, Any]) -> tuple[int, int] | None:
    """The answer's shape after conv (and pooling), or None when a step leaves nothing.

    Conv per axis (PyTorch): ``floor((n + 2p - d(k-1) - 1) / s) + 1``, which needs
    ``n + 2p >= d(k-1) + 1``; pooling ``KIND:K:S``: ``floor((n - K) / S) + 1``, needs n >= K.

    >>> output_shape((5, 5), (3, 3), {"stride": 2, "padding": 1})
    (3, 3)
    >>> output_shape((4, 4), (3, 3), {"dilation": 2}) is None
    True
    >>> output_shape((6, 6), (3, 3), {"pooling": "max:2"}), output_shape((5, 5), (3, 3), {"pooling": "max:4"})
    ((2, 2), None)
    """
    s = int(settings.get("stride", 1))
    p = int(settings.get("padding", 0))
    d = int(settings.get("dilation", 1))
    out = []
    for n, k in zip(image, kernel):
        span = d * (k - 1) + 1
        if n + 2 * p < span:
            return None
        out.append((n + 2 * p - span) // s + 1)
    pool = parse_pool(settings.get("pooling", "none"), "pooling")
    if pool is not None:
        _, size, stride = pool
        if min(out) < size:
            return None
        out = [(n - size) // stride + 1 for n in out]
    return (out[0], out[1]) if min(out) >= 1 else None


def _grid(d: Draws, shape: tuple[int, int], spec: ValueSpec) -> list[list[int | float]]:
    return [[spec.draw(d) for _ in range(shape[1])] for _ in range(shape[0])]


def draw_variant(
    seed: int | str,
    student_id: str,
    problem_index: int,
    table: Mapping[str, Any] | RandomSpec,
    *,
    legal: Callable[[Variant], bool] | None = None,
) -> Variant:
    """Draw the variant of ``student_id`` for problem ``problem_index`` (0-based).

    Order of draws for one attempt: image shape, kernel shape, the settings in the
    order of ``SETTING_KEYS`` (only those given), the image cells row by row, the
    kernel cells row by row. An illegal variant (see ``output_shape``; ``legal``,
    when given, is asked too, e.g. the engine's own check of a ``stages`` text) is
    skipped and the stream goes on. Raises ``VariantSpecError`` after
    ``MAX_ATTEMPTS`` illegal variants.

    Examples
    --------
    >>> v = draw_variant("hw3", "bob", 1, {"preset": "medium"})
    >>> v.settings["stride"] in (1, 2), len(v.kernel), v.shape_out == output_shape(
    ...     (len(v.image), len(v.image[0])), (3, 3), v.settings)
    (True, 3, True)
    >>> draw_variant(1, "x", 0, {"image_size": 2, "image_values": [0],
    ...                          "kernel_size": 3, "kernel_values": [1]})
    Traceback (most recent call last):
    ...
    cnncalc.grade.variantspec.VariantSpecError: random.image_size: no legal variant in 1000 draws (kernel larger than the image?)

    Notes
    -----
    Cost: about ``3 + 8 + cells`` SHA-256 hashes per attempt (microseconds each).
    """
    spec = table if isinstance(table, RandomSpec) else parse_random_table(table)
    d = Draws(seed, student_id, problem_index)
    student = unicodedata.normalize("NFC", student_id)
    for attempt in range(MAX_ATTEMPTS):
        ishape = d.choice(spec.image_sizes)
        kshape = d.choice(spec.kernel_sizes)
        settings = dict(DEFAULTS)
        for key in SETTING_KEYS:
            if key in spec.settings:
                settings[key] = d.choice(spec.settings[key])
        image = _grid(d, ishape, spec.image_values)
        kernel = _grid(d, kshape, spec.kernel_values)
        shape = output_shape(ishape, kshape, settings)
        if shape is None or min(shape) < spec.min_output:
            continue
        variant = Variant(student, problem_index, image, kernel, settings, attempt, shape)
        if legal is None or legal(variant):
            return variant
    raise VariantSpecError("image_size", "classroom.spec_no_legal", attempts=MAX_ATTEMPTS)


def draw_assignment(
    seed: int | str,
    student_id: str,
    tables: Sequence[Mapping[str, Any] | None],
    *,
    legal: Callable[[Variant], bool] | None = None,
) -> list[Variant | None]:
    """One variant per problem (None for a problem without a ``random`` table).

    >>> [v is None for v in draw_assignment(7, "amy", [None, {"preset": "easy"}])]
    [True, False]
    """
    return [
        None if t is None else draw_variant(seed, student_id, i, t, legal=legal)
        for i, t in enumerate(tables)
    ]


def grid_text(grid: list[list[int | float]]) -> str:
    """A grid in the seed's plain layout (tab-separated rows), numbers as drawn.

    >>> grid_text([[1, -1], [0.5, 2]])
    '1\\t-1\\n0.5\\t2'
    """
    return "\n".join("\t".join(str(v) for v in row) for row in grid)
