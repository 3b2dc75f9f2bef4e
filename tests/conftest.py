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


# -- markers: a maintainer's inner loop skips the slow parts ---------------------------------
# `pytest -m "not slow"` runs the package tests and doctests in about a minute; `-m notebooks`
# runs every notebook under nbval; `-m browser` the JupyterLab + Chromium tests. CI runs everything.
import pytest  # noqa: E402

#: Test files that start kernels, servers, browsers or grade whole classes.
SLOW_FILES = {"test_browser.py", "test_exercise_sets.py", "test_grading.py", "test_hostile_class.py",
              "test_hub.py", "test_nbgrader.py", "test_packaging.py"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.path
        if path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebooks)
            item.add_marker(pytest.mark.slow)
        elif path.name == "test_browser.py":
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
        elif path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
