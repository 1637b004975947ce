"""Shared test configuration: hypothesis profiles and helpers."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("POWERGAMES_HYPOTHESIS_PROFILE", "default"))

# The closed forms' cache on disk goes to a folder of the test session's own: the
# first derivation is done afresh, and the user's cache is left alone.
if "POWERGAMES_CACHE_DIR" not in os.environ:
    import atexit
    import shutil
    import tempfile

    _cache = tempfile.mkdtemp(prefix="powergames-cache-")
    os.environ["POWERGAMES_CACHE_DIR"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)
