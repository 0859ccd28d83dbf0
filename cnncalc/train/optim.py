"""SGD and Adam with exactly ``torch.optim``'s update rules, on numpy arrays.

An optimizer holds its state (momentum buffers, moment estimates, the step
count) and ``step(params, grads)`` returns the updated parameters as new
arrays; the arrays given are never written.

>>> import numpy as np
>>> sgd = SGD(lr=0.1, momentum=0.9)
>>> p = [np.array([1.0])]
>>> p = sgd.step(p, [np.array([1.0])]); p[0].tolist()   # buffer = the first gradient
[0.9]
>>> p = sgd.step(p, [np.array([1.0])]); p[0].tolist()   # buffer = 0.9·1 + 1
[0.71]
>>> adam = Adam(lr=0.1)
>>> [round(v, 6) for v in adam.step([np.array([1.0])], [np.array([0.5])])[0].tolist()]
[0.9]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from cnncalc.errors import ParameterError

OPTIMIZERS = ("sgd", "adam")


def _non_negative(value: float, parameter: str) -> float:
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise ParameterError("train.non_negative", parameter=parameter, value=value)
    return v


class SGD:
    """``torch.optim.SGD`` with dampening 0 and nesterov off.

    d = g + weight_decay·p; with momentum, buf = d at the first step, then
    buf = momentum·buf + d, and d = buf; p ← p − lr·d.
    """

    name = "sgd"

    def __init__(self, *, lr: float, momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        self.lr = _non_negative(lr, "lr")
        self.momentum = _non_negative(momentum, "momentum")
        self.weight_decay = _non_negative(weight_decay, "weight_decay")
        self.buffers: list[np.ndarray | None] = []

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> list[np.ndarray]:
        if not self.buffers:
            self.buffers = [None] * len(params)
        out = []
        for i, (p, g) in enumerate(zip(params, grads)):
            d = g + self.weight_decay * p if self.weight_decay != 0 else g
            if self.momentum != 0:
                buf = self.buffers[i]
                buf = d.copy() if buf is None else buf * self.momentum + d
                self.buffers[i] = buf
                d = buf
            out.append(p - self.lr * d)
        return out


class Adam:
    """``torch.optim.Adam`` (amsgrad off, weight decay as L2 added to the gradient).

    g ← g + weight_decay·p; m ← m + (1 − β1)(g − m); v ← β2·v + (1 − β2)·g²;
    p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps).
    """

    name = "adam"

    def __init__(
        self,
        *,
        lr: float,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        self.lr = _non_negative(lr, "lr")
        self.eps = _non_negative(eps, "eps")
        self.weight_decay = _non_negative(weight_decay, "weight_decay")
        if len(betas) != 2:
            raise ParameterError("train.betas", value=betas)
        for index, beta in enumerate(betas):
            if not 0.0 <= float(beta) < 1.0:
                raise ParameterError("train.beta", index=index + 1, value=beta)
        self.betas = (float(betas[0]), float(betas[1]))
        self.t = 0
        self.m: list[np.ndarray] = []
        self.v: list[np.ndarray] = []

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> list[np.ndarray]:
        if not self.m:
            self.m = [np.zeros_like(p, dtype=np.float64) for p in params]
            self.v = [np.zeros_like(p, dtype=np.float64) for p in params]
        self.t += 1
        b1, b2 = self.betas
        step_size = self.lr / (1.0 - b1**self.t)
        correction2_sqrt = (1.0 - b2**self.t) ** 0.5
        out = []
        for i, (p, g) in enumerate(zip(params, grads)):
            if self.weight_decay != 0:
                g = g + self.weight_decay * p
            self.m[i] = self.m[i] + (1.0 - b1) * (g - self.m[i])  # torch's lerp, weight < 0.5
            self.v[i] = self.v[i] * b2 + (1.0 - b2) * (g * g)
            denom = np.sqrt(self.v[i]) / correction2_sqrt + self.eps
            out.append(p - step_size * (self.m[i] / denom))
        return out


def make_optimizer(
    name: str,
    *,
    lr: float,
    momentum: float | None = None,
    betas: tuple[float, float] | None = None,
    eps: float | None = None,
    weight_decay: float = 0.0,
) -> SGD | Adam:
    """Build ``sgd`` or ``adam``; an option of the other optimizer is refused.

    >>> make_optimizer("adam", lr=0.1, momentum=0.9)
    Traceback (most recent call last):
    ...
    cnncalc.errors.ParameterError: --momentum applies to the sgd optimizer only
    """
    if name == "sgd":
        for option, value in (("--betas", betas), ("--eps", eps)):
            if value is not None:
                raise ParameterError("train.option_for", option=option, optimizer="adam")
        return SGD(lr=lr, momentum=momentum or 0.0, weight_decay=weight_decay)
    if name == "adam":
        if momentum is not None:
            raise ParameterError("train.option_for", option="--momentum", optimizer="sgd")
        return Adam(
            lr=lr,
            betas=betas if betas is not None else (0.9, 0.999),
            eps=eps if eps is not None else 1e-8,
            weight_decay=weight_decay,
        )
    raise ParameterError(
        "param.choice", parameter="optimizer", choices=", ".join(OPTIMIZERS), value=name
    )
