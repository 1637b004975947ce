"""A cheap model for the streaming tests: it needs no closed forms, so a fresh process
sweeps it in a fraction of a second."""

from __future__ import annotations

import os
import signal
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from powergames.tables import Column

#: 60 chunks of 7 points (the last one short): 415 points.
GRID = {"x": np.linspace(0.0, 1.0, 83), "z": [1.0, -2.0, 0.5, 1e-300, 3e20]}
CHUNK = 7


class Toy:
    """y = slope x + z / 3, a label holding the characters CSV quotes, a boolean.

    No ``__repr__``: the default one holds the object's address, so two equal toys
    have different reprs (a sweep must resume by ``identity()``, not by ``repr``).
    ``kill_at`` kills the process (SIGKILL, no clean-up) when chunk ``kill_at``
    starts computing.
    """

    parameter_names = ("x", "z")
    default_columns = ("y", "label")

    def __init__(self, slope: float = 2.0, kill_at: int | None = None) -> None:
        self.slope, self.kill_at, self.calls = slope, kill_at, 0

    @property
    def columns(self) -> dict[str, Column]:
        return {
            "x": Column("x"),
            "z": Column("z"),
            "y": Column("y", "utility", "slope x + z / 3"),
            "label": Column("label", "", "high or low"),
            "flag": Column("flag", "", "x > z"),
        }

    def identity(self) -> dict[str, Any]:
        return {"model": "toy", "slope": self.slope}

    def compute(
        self, points: Mapping[str, np.ndarray], names: Sequence[str]
    ) -> dict[str, np.ndarray]:
        if self.kill_at is not None and self.calls == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        self.calls += 1
        x, z = np.asarray(points["x"]), np.asarray(points["z"])
        out = {
            "x": x,
            "z": z,
            "y": self.slope * x + z / 3,
            "label": np.where(x > 0.5, 'high, "quoted"', "low"),
            "flag": x > z,
        }
        return {name: out[name] for name in names}
