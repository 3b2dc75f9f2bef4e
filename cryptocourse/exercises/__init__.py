"""Exercises that check themselves, and the tools to release and grade them.

In an exercise notebook::

    from cryptocourse.exercises import check
    check("01.1", apr_to_apy)        # runs exercise 01.1's checks on your function

``check`` prints friendly feedback and never raises, so a half-done notebook still runs top to
bottom. Help comes in steps: a failed check shows one failing case and a nudge; ``hint("01.1")``
shows the formula-level hint (it also appears by itself after three failed checks of the same
exercise); nothing is shown before a first attempt. Exercise sets live in ``setNN.py`` modules
(one per notebook), each with a list ``EXERCISES``; see ``spec.py`` for how they are written.
"""
from __future__ import annotations

import importlib
from typing import Any

from .spec import CheckResult, Exercise, collect, score

__all__ = ["check", "hint", "run_check", "load_set", "find", "available_sets"]

#: Failed self-checks per exercise in this kernel: the formula-level hint appears after this many.
HINT_AFTER_FAILURES = 3
_failures: dict[str, int] = {}


def available_sets() -> list[str]:
    """Codes of the exercise sets shipped with the package, e.g. ['01', '02', ...]."""
    from importlib import resources

    import re

    names = [p.name for p in resources.files(__name__).iterdir()]
    return sorted(m.group(1) for n in names if (m := re.fullmatch(r"set(\d\d[a-z]?)\.py", n)))


def load_set(code: str) -> list[Exercise]:
    """The exercises of set ``code`` (``"01"``), in order."""
    code = str(code)
    code = code.zfill(2) if code.isdigit() else code
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


def run_check(exercise_id: str, answer: Any = None, *, show_hint: bool = False) -> CheckResult:
    """Check ``answer`` against exercise ``exercise_id`` and return the verdict (no display)."""
    exercise = find(exercise_id)
    return _refuse_the_package(exercise, answer, score(exercise, collect(exercise, answer), show_hint=show_hint))


def uses_the_package(exercise: Exercise, answer: Any) -> str | None:
    """The package function a function answer hands the work to, if its code names one; else None.

    The batch grader watches every call (and gives no points for an exercise answered by calling the
    package's own solution); the self-check looks at the answer's code, so that a learner hears the same
    verdict before handing in. It reads only the learner's own functions (their names and constants,
    following the learner's helper functions), never the package's.

    >>> from cryptocourse import finance
    >>> uses_the_package(find("01.1"), finance.apr_to_apy)
    'cryptocourse.finance.apr_to_apy'
    >>> uses_the_package(find("01.1"), lambda apr, n=365: (1 + apr / n) ** n - 1) is None
    True
    """
    import types

    from .spec import FunctionExercise, watched_functions

    if not isinstance(exercise, FunctionExercise) or not callable(answer):
        return None
    watched = watched_functions(exercise)
    label = {id(f): f"{f.__module__}.{f.__qualname__}" for f in watched}
    if id(answer) in label:
        return label[id(answer)]
    todo = [answer] if isinstance(answer, types.FunctionType) else []
    seen: set[int] = set()
    while todo:
        function = todo.pop()
        if id(function) in seen or (getattr(function, "__module__", "") or "").startswith("cryptocourse"):
            continue
        seen.add(id(function))
        space = dict(function.__globals__)
        cells = function.__closure__ or ()
        space.update({name: cell.cell_contents for name, cell in zip(function.__code__.co_freevars, cells, strict=False)
                      if _filled(cell)})
        codes = [function.__code__]
        while codes:
            code = codes.pop()
            codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
            for name in code.co_names + code.co_freevars:
                obj = space.get(name)
                if obj is None:
                    continue
                if id(obj) in label:
                    return label[id(obj)]
                if isinstance(obj, types.ModuleType):          # module.function, re-exports included
                    for attr in code.co_names + code.co_freevars:
                        if id(getattr(obj, attr, None)) in label:
                            return label[id(getattr(obj, attr))]
                elif isinstance(obj, types.FunctionType):
                    todo.append(obj)
    return None


def _filled(cell: Any) -> bool:
    try:
        _ = cell.cell_contents
    except ValueError:              # a closure variable not yet assigned
        return False
    return True


def _refuse_the_package(exercise: Exercise, answer: Any, result: CheckResult) -> CheckResult:
    used = uses_the_package(exercise, answer)
    if used is None or result.status not in ("passed", "failed"):
        return result
    result.status, result.points = "failed", 0
    result.messages.insert(0, f"Your function hands the work to {used}, the package's own answer: write it "
                              "yourself (the grader gives no points for this exercise otherwise).")
    return result


def check(exercise_id: str, answer: Any = None, *, strict: bool = False) -> None:
    """Check your answer to exercise ``exercise_id`` and show friendly feedback.

    Never raises, unless ``strict=True`` (for graders' test cells, e.g. nbgrader's): then the
    answer is also tried on hidden cases drawn afresh, and an ``AssertionError`` carrying the
    feedback is raised unless every case passes.
    """
    if strict is not True and strict is not False:
        raise TypeError(f"strict must be True or False (got {strict!r})")
    if strict:
        result = _strict_result(exercise_id, answer)
        _show(result)
        if result.status != "passed":
            raise AssertionError(f"exercise {exercise_id} is not passed: {result.status} "
                                 f"({result.points:g}/{result.possible:g} points; the feedback is above)")
        return
    try:
        result: Any = run_check(exercise_id, answer)
        if result.status == "failed":
            _failures[exercise_id] = _failures.get(exercise_id, 0) + 1
            if _failures[exercise_id] >= HINT_AFTER_FAILURES:
                result.show_hint = True
    except Exception as exc:  # never a traceback wall in a learner's notebook
        result = _Message(f"The checker could not run: {exc}")
    _show(result)


def _strict_result(exercise_id: str, answer: Any) -> CheckResult:
    """The verdict on the visible cases plus hidden ones drawn with a fresh seed (as the grader does)."""
    import dataclasses
    import random
    import secrets

    from .spec import FunctionExercise, hidden_cases

    exercise = find(exercise_id)
    if isinstance(exercise, FunctionExercise):
        extra = hidden_cases(exercise, random.Random(secrets.randbits(64)))
        exercise = dataclasses.replace(exercise, cases=list(exercise.cases) + list(extra))
    return _refuse_the_package(exercise, answer, score(exercise, collect(exercise, answer)))


def hint(exercise_id: str) -> None:
    """Show the hint of exercise ``exercise_id`` (the method, not the answer). Never raises."""
    try:
        exercise = find(exercise_id)
        text = exercise.hint or "This exercise has no hint: re-read the lesson's section on it."
        result: Any = _Message(f"Hint for {exercise.id} · {exercise.title}: {text}", icon="💡")
    except Exception as exc:  # never a traceback wall in a learner's notebook
        result = _Message(f"No hint could be shown: {exc}")
    _show(result)


def _show(result: Any) -> None:
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
    def __init__(self, text: str, icon: str = "⚠") -> None:
        self.text = text
        self.icon = icon

    def __str__(self) -> str:
        return f"{self.icon} {self.text}"

    def _repr_html_(self) -> str:
        import html

        return (f"<div class='cc-check' style='background:#fff8e1;padding:6px 10px'>"
                f"{self.icon} {html.escape(self.text)}</div>")
