"""Shared test configuration.

Hypothesis runs derandomised (the same examples every run), so CI is repeatable;
set HYPOTHESIS_PROFILE=explore locally to search with fresh random examples.
"""
import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, max_examples=150, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
