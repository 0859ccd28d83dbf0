"""The stage-chain grammar shared by ``run`` and ``shape``: text to ``Stage`` objects.

``stage | stage | ...``; a stage is ``name`` or ``name(arg, key=value, ...)``.
Values: ints, floats, ``true``/``false``, pairs ``(2,1)``, ``2x1`` or
``"2,1"``, and words or file names (kept as strings). This module only reads
the text; ``stagebind.bind_stage`` and ``shapes`` give the arguments meaning.

>>> [(s.name, s.args, s.kwargs, s.position) for s in parse_chain("conv(k.txt, stride=(2,1)) | relu")]
[('conv', ['k.txt'], {'stride': (2, 1)}, 0), ('relu', [], {}, 28)]
>>> parse_chain("relu | | flatten")
Traceback (most recent call last):
...
cnncalc.net.chain.StageError: stage 2 at character 7: empty stage: two '|' with nothing between them, or a '|' at an end
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cnncalc.errors import CnncalcError, PipelineError

STAGE_NAMES = (
    "conv",
    "relu",
    "leaky_relu",
    "sigmoid",
    "tanh",
    "maxpool",
    "avgpool",
    "meanpool",
    "sumpool",
    "flatten",
    "linear",
    "softmax",
    "conv_transpose",
    "batchnorm",
    "adaptive_avgpool",
    "adaptive_maxpool",
    "global_avgpool",
)
ALIASES = {
    "conv_transpose2d": "conv_transpose",
    "convtranspose": "conv_transpose",
    "batch_norm": "batchnorm",
    "batchnorm2d": "batchnorm",
    "bn": "batchnorm",
    "adaptive_avg_pool2d": "adaptive_avgpool",
    "adaptive_avg_pool": "adaptive_avgpool",
    "adaptive_max_pool2d": "adaptive_maxpool",
    "adaptive_max_pool": "adaptive_maxpool",
    "global_avg_pool": "global_avgpool",
    "gap": "global_avgpool",
    "conv2d": "conv",
    "max_pool": "maxpool",
    "max_pool2d": "maxpool",
    "avg_pool": "avgpool",
    "avg_pool2d": "avgpool",
    "mean_pool": "meanpool",
    "sum_pool": "sumpool",
    "leakyrelu": "leaky_relu",
    "fc": "linear",
    "dense": "linear",
}

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEY_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)")
_INT_RE = re.compile(r"[+-]?\d+")
_FLOAT_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_PAIR_RE = re.compile(r"(\d+)\s*[x×X*]\s*(\d+)")
_BOOLS = {"true": True, "false": False, "yes": True, "no": False}
_OPEN = {"(": ")", "[": "]"}
_UNICODE = str.maketrans({"−": "-", "（": "(", "）": ")", "，": ",", "＝": "=", "｜": "|"})


@dataclass
class Stage:
    """One stage of a chain, as written and (after binding) ready to run.

    ``args``/``kwargs`` are the values as written; ``text`` the stage's text;
    ``position`` its 0-based character offset in the chain; ``index`` its
    1-based place. Binding fills ``options`` (validated ``ops`` keyword
    arguments) and, for conv and linear, ``weight`` and ``bias`` (``None`` when
    not given). ``spans`` maps an argument (index or name) to its offset.
    """

    name: str
    args: list
    kwargs: dict
    text: str
    position: int
    index: int = 0
    options: dict = field(default_factory=dict)
    weight: np.ndarray | None = field(default=None, repr=False)
    bias: np.ndarray | None = field(default=None, repr=False)
    spans: dict = field(default_factory=dict, repr=False)


class StageError(PipelineError):
    """An error at one stage of a chain: "stage 3 'maxpool(0)' at character 16: ...".

    ``at`` is the 0-based character offset in the chain (shown 1-based); the
    reason is a message key with its parameters, or another error wrapped.
    """

    def __init__(
        self,
        stage: Stage | None,
        key: str,
        *,
        at: int | None = None,
        index: int | None = None,
        cause: CnncalcError | None = None,
        input_shape: str | None = None,
        **params: Any,
    ) -> None:
        self.stage = stage
        self.index = index if index is not None else (stage.index if stage else 0)
        self.stage_text = stage.text if stage else ""
        self.at = at if at is not None else (stage.position if stage else 0)
        self.cause = cause
        self.input_shape = input_shape
        super().__init__(key, **params)

    @classmethod
    def wrap(
        cls, stage: Stage, exc: CnncalcError, *, at: int | None = None, input_shape: str | None = None
    ) -> StageError:
        """Report another cnncalc error at ``stage`` (for ``input_shape``, when given)."""
        return cls(stage, exc.key, at=at, cause=exc, input_shape=input_shape, **exc.params)

    def message(self, lang: str = "en") -> str:
        from cnncalc.messages import text

        reason = self.cause.message(lang) if self.cause is not None else text(self.key, lang, **self.params)
        where_key = "pipeline.where" if self.stage_text else "pipeline.where_empty"
        where = text(where_key, lang, index=self.index, text=self.stage_text, char=self.at + 1)
        if self.input_shape:
            where += text("shape.input_prefix", lang, input=self.input_shape)
        return f"{where}: {reason}"


# --------------------------------------------------------------------------- splitting


def _split(text: str, sep: str, offset: int) -> list[tuple[str, int]]:
    """Split at ``sep`` outside brackets and quotes; pieces with their offsets.

    An unclosed bracket or quote leaves the rest in the last piece (the stage
    parser reports it); a stray closing bracket is reported here.
    """
    pieces: list[tuple[str, int]] = []
    stack: list[str] = []
    opened: list[int] = []  # where each open bracket stands
    quote = ""
    start = 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in _OPEN:
            stack.append(_OPEN[ch])
            opened.append(i)
        elif ch in ")]":
            if not stack or stack[-1] != ch:
                raise _Located("pipeline.unbalanced", offset + i, char=ch)
            stack.pop()
            opened.pop()
        elif ch == sep and not stack:
            pieces.append((text[start:i], offset + start))
            start = i + 1
    if quote:
        raise _Located("pipeline.unclosed_quote", offset + text.rindex(quote), quote=quote)
    if stack:  # point at the bracket left open: its stage swallowed the rest
        raise _Located("pipeline.unclosed", offset + opened[-1], bracket=stack[-1])
    pieces.append((text[start:], offset + start))
    return pieces


class _Located(Exception):
    def __init__(self, key: str, at: int, **params: Any) -> None:
        self.key, self.at, self.params = key, at, params


def _strip(piece: str, offset: int) -> tuple[str, int]:
    lead = len(piece) - len(piece.lstrip())
    return piece.strip(), offset + lead


# --------------------------------------------------------------------------- values


def parse_value(raw: str, offset: int) -> Any:
    """A value as written: int, float, bool, tuple (pair), or string (word, file).

    >>> [parse_value(t, 0) for t in ("2", "-0.5", "true", "(2, 1)", "2x1", "'2,1'", "k1.txt")]
    [2, -0.5, True, (2, 1), (2, 1), '2,1', 'k1.txt']
    """
    text, offset = _strip(raw, offset)
    if not text:
        raise _Located("pipeline.empty_arg", offset)
    if text[0] in "\"'":
        if len(text) < 2 or text[-1] != text[0]:
            raise _Located("pipeline.unclosed_quote", offset, quote=text[0])
        return text[1:-1]
    if text[0] in _OPEN:
        if text[-1] != _OPEN[text[0]]:
            raise _Located("pipeline.trailing", offset + text.rindex(_OPEN[text[0]]) + 1,
                           text=text[text.rindex(_OPEN[text[0]]) + 1 :])
        inner = text[1:-1]
        if not inner.strip():
            raise _Located("pipeline.empty_arg", offset + 1)
        return tuple(parse_value(p, o) for p, o in _split(inner, ",", offset + 1))
    if _INT_RE.fullmatch(text):
        return int(text)
    if _FLOAT_RE.fullmatch(text):
        return float(text)
    m = _PAIR_RE.fullmatch(text)
    if m:
        return int(m.group(1)), int(m.group(2))
    if text.lower() in _BOOLS:
        return _BOOLS[text.lower()]
    return text


# --------------------------------------------------------------------------- stages


def _parse_stage(raw: str, offset: int, index: int, names: Sequence[str]) -> Stage:
    text, start = _strip(raw, offset)
    probe = Stage(name="", args=[], kwargs={}, text=text, position=start, index=index)
    if not text:
        raise StageError(None, "pipeline.empty_stage", at=offset, index=index)
    m = _NAME_RE.match(text)
    if not m:
        raise StageError(probe, "pipeline.bad_name", found=text[:12])
    word = m.group(0).lower()
    name = ALIASES.get(word, word)
    if name not in names:
        similar = difflib.get_close_matches(word, list(names) + list(ALIASES), n=1)
        hint = similar[0] if similar else ""
        key = "pipeline.unknown_stage_hint" if hint else "pipeline.unknown_stage"
        raise StageError(probe, key, name=m.group(0), names=", ".join(names), hint=ALIASES.get(hint, hint))
    probe.name = name
    rest = text[m.end() :]
    rest_at = start + m.end()
    body, body_at = _strip(rest, rest_at)
    if not body:
        return probe
    if body[0] != "(":
        raise StageError(probe, "pipeline.trailing", at=body_at, text=body)
    close = _matching(body)
    inner, inner_at = body[1:close], body_at + 1
    after = body[close + 1 :]
    if after.strip():
        lead = len(after) - len(after.lstrip())
        raise StageError(probe, "pipeline.trailing", at=body_at + close + 1 + lead, text=after.strip())
    if inner.strip():
        _parse_args(probe, inner, inner_at)
    return probe


def _matching(body: str) -> int:
    """Index of the bracket closing ``body[0]`` (the chain was checked balanced)."""
    depth = 0
    quote = ""
    for i, ch in enumerate(body):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in _OPEN:
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth == 0:
                return i
    return len(body) - 1


def _parse_args(stage: Stage, inner: str, inner_at: int) -> None:
    seen_keyword = False
    for raw, at in _split(inner, ",", inner_at):
        text, at = _strip(raw, at)
        if not text:
            raise StageError(stage, "pipeline.empty_arg", at=at)
        m = _KEY_RE.match(text)
        if m:
            key = m.group(1).lower()
            if key in stage.kwargs:
                raise StageError(stage, "pipeline.duplicate_key", at=at, option=key)
            stage.spans["=" + key] = at
            stage.kwargs[key] = parse_value(text[m.end() :], at + m.end())
            seen_keyword = True
        else:
            if seen_keyword:
                raise StageError(stage, "pipeline.positional_after_keyword", at=at, text=text)
            stage.spans[len(stage.args)] = at
            stage.args.append(parse_value(text, at))


def parse_chain(text: str, *, names: Sequence[str] = STAGE_NAMES) -> list[Stage]:
    """Split ``text`` into stages and read their arguments (no meaning given yet).

    ``names`` are the allowed stage names; an unknown name suggests the closest.
    Raises ``StageError`` (a ``PipelineError``) naming the stage and character.
    """
    if not isinstance(text, str):
        raise PipelineError("param.text", parameter="the pipeline", value=text)
    source = text.translate(_UNICODE)
    if not source.strip():
        raise PipelineError("pipeline.empty")
    try:
        pieces = _split(source, "|", 0)
    except _Located as exc:
        index = source[: exc.at].count("|") + 1
        piece_start = source.rfind("|", 0, exc.at) + 1
        end = source.find("|", exc.at)
        stage_text = source[piece_start : end if end >= 0 else len(source)].strip()
        probe = Stage(name="", args=[], kwargs={}, text=stage_text, position=piece_start, index=index)
        raise StageError(probe, exc.key, at=min(exc.at, len(source) - 1), **exc.params) from None
    stages = []
    for index, (raw, offset) in enumerate(pieces, start=1):
        try:
            stages.append(_parse_stage(raw, offset, index, names))
        except _Located as exc:
            text_, start = _strip(raw, offset)
            probe = Stage(name="", args=[], kwargs={}, text=text_, position=start, index=index)
            raise StageError(probe, exc.key, at=exc.at, **exc.params) from None
    return stages
