"""Assertions shared by the tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def as_profiles(equilibria: Iterable[object]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Profiles from Equilibrium objects or from (x, y) pairs."""
    profiles = []
    for eq in equilibria:
        x, y = getattr(eq, "strategies", eq)  # type: ignore[misc]
        profiles.append((np.asarray(x, dtype=float), np.asarray(y, dtype=float)))
    return profiles


def same_profiles(found: Sequence[object], expected: Sequence[object], tol: float = 1e-7) -> bool:
    """Whether the two lists hold the same profiles (as sets, within ``tol``, no repeats)."""
    a, b = as_profiles(found), as_profiles(expected)
    if len(a) != len(b):
        return False
    unmatched = list(range(len(b)))
    for x, y in a:
        hit = next(
            (
                k
                for k in unmatched
                if np.allclose(x, b[k][0], atol=tol, rtol=0)
                and np.allclose(y, b[k][1], atol=tol, rtol=0)
            ),
            None,
        )
        if hit is None:
            return False
        unmatched.remove(hit)
    return True


def describe(equilibria: Iterable[object]) -> str:
    return "\n".join(
        f"  {x.round(6).tolist()} {y.round(6).tolist()}" for x, y in as_profiles(equilibria)
    )
