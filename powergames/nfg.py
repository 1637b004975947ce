"""Gambit .nfg files (placeholder, replaced by the real reader and writer)."""

from __future__ import annotations


def read_nfg(source):  # type: ignore[no-untyped-def]
    raise NotImplementedError


def write_nfg(game, path=None):  # type: ignore[no-untyped-def]
    raise NotImplementedError
