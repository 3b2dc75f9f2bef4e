"""Every exercise set, graded as an instructor would grade it.

nbval only proves the notebooks run (a failing `check` prints feedback, it never raises), so here
each solution notebook is graded by `cryptocourse grade`'s engine: it must earn every auto-graded
point with no flags and no problems, and its generated learner copy must earn nothing, with every
exercise reported as not attempted and no cell failing.
"""
import pytest

from cryptocourse.course import LESSONS, REPO_ROOT
from cryptocourse.exercises import grade as grading
from cryptocourse.exercises.spec import FreeTextExercise

SETS = [l for l in LESSONS if l.has_exercises]


@pytest.mark.parametrize("lesson", SETS, ids=[l.code for l in SETS])
def test_solution_earns_full_marks_and_learner_copy_nothing(lesson, tmp_path):
    solution = REPO_ROOT / lesson.solution
    args = grading.defaults(out=str(tmp_path / "gb.csv"), cell_timeout=120.0)
    results = {r.path.name if r.path.parent.name != "solutions" else "solution": r
               for r in grading.grade(solution, [str(solution), str(REPO_ROOT / lesson.exercise)], args)}
    exercises = grading.load_set(lesson.code)
    possible = sum(e.points for e in exercises if not isinstance(e, FreeTextExercise))

    sol = results["solution"]
    failing = [f"{c.exercise_id}: {c.text()}" for c in sol.results if c.status not in ("passed", "manual")]
    assert not failing, f"{lesson.solution} does not pass its own checks:\n" + "\n".join(failing)
    assert sol.auto_points == possible and not sol.flags and not sol.problems, (sol.flags, sol.problems)

    learner = results[f"{lesson.stem}.ipynb"]
    assert learner.auto_points == 0 and not learner.problems, learner.problems
    assert all(c.status in ("not attempted", "manual") for c in learner.results), \
        [c.text() for c in learner.results if c.status not in ("not attempted", "manual")]
