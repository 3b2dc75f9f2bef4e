"""The self-check, the exercise spec and `cryptocourse release`."""
import json
import math

import numpy as np
import pytest

from cryptocourse import finance
from cryptocourse.course import LESSONS, REPO_ROOT
from cryptocourse.exercises import available_sets, check, find, load_set, run_check
from cryptocourse.exercises.release import (ReleaseError, release, release_notebook, strip_solution_code,
                                            strip_solution_markdown)
from cryptocourse.exercises.spec import FreeTextExercise, FunctionExercise, ValueExercise, close, exact, to_plain


# -- self-check ---------------------------------------------------------------------------
def test_the_packages_own_answer_passes_every_case_but_earns_nothing():
    """The references pass every case; handed in as answers they are refused, as the grader refuses them."""
    for name in ("apr_to_apy", "apy_to_apr", "real_yield", "annualized_volatility"):
        ex = next(e for e in load_set("01") if getattr(e, "name", "") == name)
        result = run_check(ex.id, getattr(finance, name))
        assert result.passed_cases == result.total_cases == len(ex.cases)
        assert result.status == "failed" and result.points == 0
        assert f"hands the work to cryptocourse.finance.{name}" in result.text()


def test_an_answer_that_calls_the_package_is_refused_by_the_self_check_too():
    from cryptocourse import arbitrage, ledger
    from cryptocourse.exercises import find, uses_the_package

    def merkle_root(leaves):                  # a wrapper, as a learner would write it
        return ledger.merkle_root(leaves)

    def helper(leaf, proof, root):
        return ledger.verify_proof(leaf, proof, root)

    assert run_check("02.2", merkle_root).points == 0
    assert uses_the_package(find("02.3"), lambda *a: helper(*a)) == "cryptocourse.ledger.verify_proof"
    assert uses_the_package(find("11.5"), lambda p, v=1.0: arbitrage.lvr_path(p).lvr[-1]).endswith("lvr_path")
    import numpy as np

    def own(apr, periods_per_year=365):                  # a learner's own, correct answer
        return np.expm1(apr) if periods_per_year == np.inf else (1 + apr / periods_per_year) ** periods_per_year - 1

    assert uses_the_package(find("01.1"), own) is None and run_check("01.1", own).status == "passed"


def test_wrong_answer_shows_input_expected_received_and_hint():
    result = run_check("01.3", lambda n, i: n - i)
    assert result.status == "failed" and result.points == 0
    text = result.text()
    assert "real_yield(0.05, 0.04): expected 0.009615384615, received 0.01" in text
    assert "hint(\"01.3\")" in text   # the hint itself waits until asked (test_help_comes_in_steps)
    # a plain-text front end (IPython, a text export) shows the same words, not the hidden hint
    assert result.hint and result.hint not in repr(result) and repr(result) == text


def test_placeholder_is_not_attempted():
    def apr_to_apy(apr, periods_per_year=365):
        raise NotImplementedError("write your code here")
    assert run_check("01.1", apr_to_apy).status == "not attempted"
    assert run_check("01.4", ...).status == "not attempted"


def test_errors_in_the_answer_are_reported_not_raised():
    result = run_check("01.1", lambda apr, n=365: 1 / 0)
    assert result.status == "failed" and "ZeroDivisionError" in result.text()


def test_check_never_raises(capsys):
    check("99.1", lambda: 0)           # no such set
    check("01.1", 42)                  # not a function
    check("nonsense", None)
    out = capsys.readouterr().out
    assert "could not run" in out and "should be a function" in out


def test_rigged_equality_cannot_pass():
    class Anything(float):
        def __eq__(self, other):
            return True
    result = run_check("01.3", lambda n, i: Anything(0))
    assert result.status == "failed" and "object of type Anything" in result.text()


def test_to_plain_converts_numpy_and_refuses_objects():
    assert to_plain(np.array([[1.5, 2.0]])) == [[1.5, 2.0]]
    assert to_plain({"a": np.int64(3)}) == {"a": 3}
    with pytest.raises(TypeError):
        to_plain(object())
    with pytest.raises(TypeError):
        to_plain(np.array(["a"]))


def test_comparisons():
    assert close()(1.0, 1.0 + 1e-12) is None
    assert close()(1.0, 1.1) is not None
    assert close()(2.0, 2) is None                     # ints are numbers too
    assert exact()(10**18, 10**18) is None
    assert exact()(10**18, float(10**18)) is not None  # wei are ints
    assert close()([1.0, 2.0], [1.0]) == "expected 2 items, got 1"
    assert close()(True, 1) is not None
    assert close()(math.inf, math.inf) is None


def test_every_exercise_set_is_well_formed():
    lessons = {l.code: l for l in LESSONS if l.has_exercises}
    for code in available_sets():
        assert code in lessons, f"set{code}.py has no lesson in the manifest"
        exercises = load_set(code)
        assert 3 <= len(exercises) <= 6, f"set {code} should have 3-6 exercises"
        ids = [e.id for e in exercises]
        assert ids == [f"{code}.{k}" for k in range(1, len(ids) + 1)], ids
        for ex in exercises:
            assert ex.points > 0 and ex.title and find(ex.id) is ex
            if isinstance(ex, FunctionExercise):
                assert ex.name.isidentifier() and ex.reference is not None and len(ex.cases) >= 3
                ex.expected()  # the reference runs on every case
            elif isinstance(ex, ValueExercise):
                assert ex.name.isidentifier()
                ex.expected()
            else:
                assert isinstance(ex, FreeTextExercise) and ex.rubric


# -- release ------------------------------------------------------------------------------
def test_release_replaces_function_bodies_and_values():
    src = "def f(x):\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION\n"
    out = strip_solution_code(src)
    assert "return x + 1" not in out and "raise NotImplementedError" in out
    out = strip_solution_code("### BEGIN SOLUTION\na = 1\nb, c = 2, 3\n### END SOLUTION\nprint(a)")
    assert out.splitlines()[1:] == ["a = ...", "b = ...", "c = ...", "print(a)"]


def test_release_markdown_answers():
    out = strip_solution_markdown("**Answer 01.6.**\n### BEGIN SOLUTION\nsecret\n### END SOLUTION\n")
    assert "secret" not in out and "your own words" in out


@pytest.mark.parametrize("src", [
    "### BEGIN SOLUTION\nx = 1\n",
    "x = 1\n### END SOLUTION\n",
    "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n",
])
def test_unbalanced_markers_are_a_clear_error(src):
    with pytest.raises(ReleaseError, match="SOLUTION"):
        strip_solution_code(src, "cell 3")


def test_release_strips_outputs():
    nb = {"cells": [{"cell_type": "code", "source": "1", "outputs": [{"output_type": "stream"}],
                     "execution_count": 4, "metadata": {}}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    out = release_notebook(nb)
    assert out["cells"][0]["outputs"] == [] and out["cells"][0]["execution_count"] is None


def test_committed_learner_copies_are_up_to_date():
    for lesson in LESSONS:
        if not lesson.has_exercises or not (REPO_ROOT / lesson.solution).exists():
            continue
        target, fresh = release(REPO_ROOT / lesson.solution, check_only=True)
        assert fresh, f"{target} is out of date: run `cryptocourse release {lesson.solution}`"


def test_release_refuses_a_corrupt_solution(tmp_path):
    sol = tmp_path / "solutions" / "01_money_math.ipynb"
    sol.parent.mkdir()
    sol.write_text("{ not json")
    with pytest.raises(ReleaseError, match="not valid notebook JSON"):
        release(sol)
    assert not (tmp_path / "01_money_math.ipynb").exists()


def test_solution_notebooks_define_every_exercise():
    for lesson in LESSONS:
        if not lesson.has_exercises or not (REPO_ROOT / lesson.solution).exists():
            continue
        nb = json.loads((REPO_ROOT / lesson.solution).read_text())
        text = "\n".join("".join(c["source"]) for c in nb["cells"])
        for ex in load_set(lesson.code):
            heading = f"### Exercise {ex.id} · {ex.title} ({ex.points:g} point"
            assert heading in text, f"{lesson.solution}: missing heading {heading!r}"
            if isinstance(ex, FreeTextExercise):
                assert f"**Answer {ex.id}.**" in text
            else:
                assert f'check("{ex.id}", {ex.name})' in text


# -- every check is sharp: it rejects the wrong answers learners actually write ---------------
from cryptocourse.exercises.spec import Mistake, collect, rounded, score  # noqa: E402

GRADED = [e for code in available_sets() for e in load_set(code) if not isinstance(e, FreeTextExercise)]


@pytest.mark.parametrize("exercise", GRADED, ids=lambda e: e.id)
def test_each_check_lists_the_mistakes_it_must_reject(exercise):
    assert len(exercise.mistakes) >= 2, (
        f"{exercise.id}: list at least two plausible wrong answers (spec.mistake) beside the cases")
    assert all(isinstance(m, Mistake) and m.label for m in exercise.mistakes)


MISTAKES = [(e, m) for e in GRADED for m in e.mistakes]


@pytest.mark.parametrize("exercise,wrong", MISTAKES, ids=lambda x: getattr(x, "id", None) or x.label[:40])
def test_each_check_rejects_each_listed_mistake(exercise, wrong):
    answer = wrong.answer
    if isinstance(exercise, ValueExercise) and callable(answer):
        answer = answer()
    result = score(exercise, collect(exercise, answer))
    assert result.status == "failed" and result.points == 0, (
        f"{exercise.id} passes the wrong answer '{wrong.label}'")


@pytest.mark.parametrize("exercise", [e for e in GRADED if isinstance(e, ValueExercise)], ids=lambda e: e.id)
def test_value_checks_never_print_the_answer(exercise):
    expected = exercise.expected()[0]["value"]
    wrong = expected * 3 + 7 if type(expected) in (int, float) else "a wrong answer"
    text = "\n".join(score(exercise, collect(exercise, wrong)).text().splitlines()[1:])  # below the title
    import re
    numbers = set(re.findall(r"-?\d[\d,]*\.?\d*", text.replace(exercise.id, "")))
    if type(expected) in (int, float):
        for shown in {f"{expected:.10g}", f"{expected:,.2f}", f"{expected:.2f}", repr(expected)}:
            assert shown not in numbers, f"{exercise.id}'s feedback gives the answer away: {text}"


def test_help_comes_in_steps():
    from cryptocourse import exercises

    exercises._failures.clear()
    untouched = run_check("01.1", None).text()
    assert "Hint" not in untouched and "Nudge" not in untouched and "hint(" not in untouched
    wrong = run_check("01.3", lambda n, i: n - i).text()
    assert "Hint:" not in wrong and 'hint("01.3")' in wrong
    assert wrong.count("• ") == 1, "the self-check spells out one failing case at a time"
    assert "Hint:" in run_check("01.3", lambda n, i: n - i, show_hint=True).text()


def test_check_shows_the_hint_after_repeated_failures(capsys):
    from cryptocourse import exercises

    exercises._failures.clear()
    for _ in range(exercises.HINT_AFTER_FAILURES - 1):
        check("01.3", lambda n, i: n - i)
    assert "Hint:" not in capsys.readouterr().out
    check("01.3", lambda n, i: n - i)
    assert "Hint:" in capsys.readouterr().out
    exercises.hint("01.3")
    assert "Hint for 01.3" in capsys.readouterr().out


def test_rounded_accepts_the_printed_precision_only():
    assert rounded(2)(2168.6747, 2168.67) is None
    assert rounded(2)(2168.675, 2168.68) is None      # half a cent either way is rounding
    assert rounded(2)(2168.6747, 2168.66) is not None
    assert rounded(4)(-0.152849, -0.1528) is None
    assert rounded(4)(-0.152849, -0.153) is not None
    with pytest.raises(ValueError, match="decimals"):
        rounded(2.5)
