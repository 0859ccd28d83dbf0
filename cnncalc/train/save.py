"""Save trained parameters as matrix files and the pipeline rewritten to use them.

``stage<N>_weight.txt`` and ``stage<N>_bias.txt`` hold full-precision values
(``read.matrix_text``) that ``read_matrix`` reads back exactly; a kernel
keeps its blocks (filter by filter, channel by channel). ``pipeline.txt`` is
the chain with every conv and linear stage pointing at its new files by names
relative to the folder, so ``cnncalc run INPUT @DIR/pipeline.txt`` runs the
trained network from anywhere. Files are written atomically. A file of the same
name that an earlier ``--save`` did not write (``.cnncalc-saved.json`` lists what it
wrote, with SHA-256), or that was changed since, is never replaced: the save is
refused before anything is written.

>>> stage_text_for("conv", {"stride": (2, 1), "padding": "same", "dilation": (1, 1),
...     "padding_mode": "zeros", "norm": "mean", "flip": True}, "out/w.txt", "out/b.txt")
'conv(out/w.txt, stride=(2,1), padding=same, norm=mean, flip=true, bias=out/b.txt)'
>>> stage_text_for("linear", {}, "my dir/w.txt", None)
'linear("my dir/w.txt")'
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from cnncalc.errors import ParameterError
from cnncalc.net.pipeline import Stage
from cnncalc.read import atomic_write, matrix_text

_PLAIN_PATH = re.compile(r"[A-Za-z0-9_./\\~:+-]+")


def _quote(path: str) -> str:
    """A file name as the chain grammar reads it back (quoted when needed)."""
    if _PLAIN_PATH.fullmatch(path) and not re.fullmatch(r"[\d.+-]+|\d+[xX]\d+", path):
        return path
    return f"'{path}'" if '"' in path else f'"{path}"'


def _pair(p: Any) -> str:
    return str(p[0]) if p[0] == p[1] else f"({p[0]},{p[1]})"


def stage_text_for(name: str, options: dict, weight: str, bias: str | None) -> str:
    """The text of a conv or linear stage reading ``weight`` (and ``bias``) files,
    with only the options that differ from the defaults."""
    parts = [_quote(weight)]
    if name == "linear":
        if bias is not None:
            parts.append(_quote(bias))
        return f"linear({', '.join(parts)})"
    if tuple(options.get("stride", (1, 1))) != (1, 1):
        parts.append(f"stride={_pair(options['stride'])}")
    padding = options.get("padding", (0, 0))
    if isinstance(padding, str):
        if padding != "valid":
            parts.append(f"padding={padding}")
    elif len(padding) == 4:
        parts.append("padding=(" + ",".join(str(p) for p in padding) + ")")
    elif tuple(padding) != (0, 0):
        parts.append(f"padding={_pair(padding)}")
    if tuple(options.get("dilation", (1, 1))) != (1, 1):
        parts.append(f"dilation={_pair(options['dilation'])}")
    for key, default in (("padding_mode", "zeros"), ("norm", "sum")):
        if options.get(key, default) != default:
            parts.append(f"{key}={options[key]}")
    if options.get("groups", 1) != 1:
        parts.append(f"groups={options['groups']}")
    if options.get("padding_value", 0.0) != 0.0:
        parts.append(f"padding_value={options['padding_value']!r}")
    if options.get("flip"):
        parts.append("flip=true")
    if bias is not None:
        parts.append(f"bias={_quote(bias)}")
    return f"conv({', '.join(parts)})"


def new_stage_text(name: str, options: dict, weight: str, bias: str | None) -> str:
    """The text of a conv_transpose or batchnorm stage reading its trained files.

    >>> new_stage_text("conv_transpose", {"stride": (2, 2), "padding": (0, 0), "output_padding": (1, 1),
    ...     "dilation": (1, 1), "groups": 1}, "w.txt", None)
    'conv_transpose(w.txt, stride=2, output_padding=1)'
    >>> new_stage_text("batchnorm", {"mean": None, "var": None, "training": True, "momentum": 0.1,
    ...     "eps": 1e-05}, "w.txt", "b.txt")
    'batchnorm(weight=w.txt, bias=b.txt, train=true)'
    """
    if name == "conv_transpose":
        parts = [_quote(weight)]
        for key, default in (("stride", 1), ("padding", 0), ("output_padding", 0), ("dilation", 1)):
            if tuple(options.get(key, (default, default))) != (default, default):
                parts.append(f"{key}={_pair(options[key])}")
        if options.get("groups", 1) != 1:
            parts.append(f"groups={options['groups']}")
        if bias is not None:
            parts.append(f"bias={_quote(bias)}")
        return f"conv_transpose({', '.join(parts)})"
    parts = []
    for key in ("mean", "var"):
        if options.get(key) is not None:
            parts.append(f"{key}=(" + ", ".join(repr(float(v)) for v in options[key]) + ")")
    parts.append(f"weight={_quote(weight)}")
    if bias is not None:
        parts.append(f"bias={_quote(bias)}")
    if options.get("eps", 1e-5) != 1e-5:
        parts.append(f"eps={options['eps']!r}")
    if options.get("momentum", 0.1) != 0.1:
        parts.append(f"momentum={options['momentum']!r}")
    if options.get("training"):
        parts.append("train=true")
    return f"batchnorm({', '.join(parts)})"


def save_parameters(
    directory: Path | str, stages: list[Stage], params: list[Any]
) -> tuple[list[Path], Path]:
    """Write each parameter's ``updated`` value and ``pipeline.txt`` into ``directory``.

    ``params`` are ``training.ParamReport`` objects (``stage`` 1-based, ``name``,
    ``updated``). Returns the parameter files and the pipeline file.
    """
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise ParameterError("train.save_exists", path=str(folder))
    contents = {f"stage{p.stage}_{p.name}.txt": matrix_text(p.updated) for p in params}
    files: list[Path] = []
    written: dict[tuple[int, str], str] = {}
    for p in params:
        path = folder / f"stage{p.stage}_{p.name}.txt"
        files.append(path)
        written[(p.stage, p.name)] = path.name
    texts = []
    for stage in stages:
        key = (stage.index, "weight")
        if stage.name in ("conv", "linear") and key in written:
            texts.append(
                stage_text_for(stage.name, stage.options, written[key],
                               written.get((stage.index, "bias")))
            )
        elif stage.name in ("conv_transpose", "batchnorm") and key in written:
            texts.append(new_stage_text(stage.name, stage.options, written[key],
                                        written.get((stage.index, "bias"))))
        else:
            texts.append(stage.text.strip())
    pipeline = folder / "pipeline.txt"
    contents["pipeline.txt"] = " | ".join(texts) + "\n"
    listed = saved_before(folder)
    for name in contents:  # every check before the first byte is written
        _replaceable(folder / name, listed)
    for name, text in contents.items():
        atomic_write(folder / name, text)
        listed[name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    atomic_write(folder / SAVED, json.dumps({"written_by": "cnncalc train-step --save", "files": listed},
                                            indent=0, sort_keys=True) + "\n")
    return files, pipeline


SAVED = ".cnncalc-saved.json"  # in a --save folder: the files train-step wrote there, with their SHA-256


def saved_before(folder: Path) -> dict[str, str]:
    """The files an earlier ``--save`` wrote into ``folder`` (name -> SHA-256)."""
    try:
        data = json.loads((folder / SAVED).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, TypeError, KeyError):
        return {}
    return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)} \
        if isinstance(files, dict) else {}


def _replaceable(path: Path, listed: dict[str, str]) -> None:
    """Refuse to replace a file that ``--save`` did not write, or that changed since."""
    if not path.exists() and not path.is_symlink():
        return
    ours = path.name in listed and path.is_file() and not path.is_symlink()
    if ours:
        with open(path, "rb") as fh:
            ours = hashlib.sha256(fh.read()).hexdigest() == listed[path.name]
    if not ours:
        raise ParameterError("train.save_foreign", path=str(path))
