"""How much work a command may do: estimated before it starts, refused past a limit.

One command must finish in seconds and fit in memory, whatever its options
(``conv --padding 3000``, ``train-step --steps 10000`` on a big network). The
estimate is cells × kernel × steps in multiply-adds; the limits are stated in
README "Limits".

>>> check_conv(out_cells=49, kernel_cells=9)
>>> try:
...     check_conv(out_cells=36_000_000, kernel_cells=1)
... except LimitError as exc:
...     print(exc.key, exc.params["limit"])
limit.conv_cells 10000000
"""

from __future__ import annotations

from cnncalc.errors import LimitError

# output cells of one convolution, all maps: room for DESIGN.md's 2048 × 2048 benchmark (4.2
# million) and more, while a typo such as --padding 3000 (36 million) is refused at once
MAX_CONV_CELLS = 10_000_000
MAX_CONV_WORK = 1_000_000_000  # multiply-adds of one convolution
MAX_TRAIN_WORK = 10_000_000_000  # multiply-adds of all the steps of one train-step

_tally = [0]  # multiply-adds done by convolutions so far (train-step measures a step)


def check_conv(out_cells: int, kernel_cells: int) -> None:
    """Refuse a convolution of more than ``MAX_CONV_CELLS`` output cells or
    ``MAX_CONV_WORK`` multiply-adds; count its work."""
    if out_cells > MAX_CONV_CELLS:
        raise LimitError("limit.conv_cells", cells=out_cells, limit=MAX_CONV_CELLS)
    work = out_cells * kernel_cells
    if work > MAX_CONV_WORK:
        raise LimitError("limit.conv_work", work=work, limit=MAX_CONV_WORK)
    _tally[0] += work


def done() -> int:
    """Multiply-adds counted so far."""
    return _tally[0]


def check_training(per_step: int, steps: int) -> None:
    """Refuse ``steps`` training steps of ``per_step`` multiply-adds past ``MAX_TRAIN_WORK``."""
    if per_step * steps > MAX_TRAIN_WORK:
        raise LimitError(
            "limit.train_work", work=per_step * steps, steps=steps, per_step=per_step, limit=MAX_TRAIN_WORK
        )
