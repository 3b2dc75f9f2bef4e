"""Exercises that check themselves, and the tools to release and grade them.

In an exercise notebook::

    from cryptocourse.exercises import check
    check("01.1", apr_to_apy)        # runs exercise 01.1's checks on your function

``check`` prints friendly feedback (passed / what was expected / a hint) and never raises,
so a half-done notebook still runs top to bottom. Exercise sets live in ``setNN.py`` modules
(one per notebook), each with a list ``EXERCISES``; see ``spec.py`` for how they are written.
"""
from __future__ import annotations

import importlib
from typing import Any

from .spec import CheckResult, Exercise, collect, score

__all__ = ["check", "run_check", "load_set", "find", "available_sets"]


def available_sets() -> list[str]:
    """Codes of the exercise sets shipped with the package, e.g. ['01', '02', ...]."""
    from importlib import resources

    names = [p.name for p in resources.files(__name__).iterdir()]
    return sorted(n[3:5] for n in names if n.startswith("set") and n.endswith(".py") and n[3:5].isdigit())


def load_set(code: str) -> list[Exercise]:
    """The exercises of set ``code`` (``"01"``), in order."""
    code = str(code).zfill(2)
    if code not in available_sets():
        raise ValueError(f"exercise set must be one of {', '.join(available_sets())} (got {code!r})")
    module = importlib.import_module(f"{__name__}.set{code}")
    return list(module.EXERCISES)


def find(exercise_id: str) -> Exercise:
    """The exercise with id ``"NN.K"``."""
    if not isinstance(exercise_id, str) or "." not in exercise_id:
        raise ValueError(f"exercise_id must look like '01.2' (got {exercise_id!r})")
    for exercise in load_set(exercise_id.split(".")[0]):
        if exercise.id == exercise_id:
            return exercise
    ids = ", ".join(e.id for e in load_set(exercise_id.split(".")[0]))
    raise ValueError(f"exercise_id must be one of {ids} (got {exercise_id!r})")


def run_check(exercise_id: str, answer: Any = None) -> CheckResult:
    """Check ``answer`` against exercise ``exercise_id`` and return the verdict (no display)."""
    exercise = find(exercise_id)
    return score(exercise, collect(exercise, answer))


def check(exercise_id: str, answer: Any = None) -> None:
    """Check your answer to exercise ``exercise_id`` and show friendly feedback. Never raises."""
    try:
        result: Any = run_check(exercise_id, answer)
    except Exception as exc:  # never a traceback wall in a learner's notebook
        result = _Message(f"The checker could not run: {exc}")
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display(result)
            return
    except ImportError:  # pragma: no cover - IPython is a dependency of the course
        pass
    print(result)


class _Message:
    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return "⚠ " + self.text

    def _repr_html_(self) -> str:
        import html

        return f"<div class='cc-check' style='background:#fff8e1;padding:6px 10px'>⚠ {html.escape(self.text)}</div>"
