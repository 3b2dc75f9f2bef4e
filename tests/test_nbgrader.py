"""The exercise sets graded by real nbgrader (`cryptocourse release --nbgrader DIR`), as README's
"Using nbgrader instead" says: generate_assignment, then autograde a solution (full marks for the
autograded part), the unedited release (0) and a solution with one function broken (loses exactly
that exercise's points), and the same verdicts as `cryptocourse grade` on the same notebooks."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cryptocourse.exercises import load_set
from cryptocourse.exercises.release import BEGIN, END, dumps
from cryptocourse.exercises.spec import FreeTextExercise, FunctionExercise

pytest.importorskip("nbgrader", reason="nbgrader is in the test extra: pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parents[1]
SETS = {"01": "01_money_math.ipynb", "09b": "09b_stablecoins_and_maker_vaults.ipynb"}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"{' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def _break_first_function(notebook: dict, code: str) -> tuple[dict, str]:
    """The notebook with one function exercise's answer replaced by `return None`: the first
    function no other answer uses (breaking one that a later exercise calls costs both)."""
    sources = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    target = next(e for e in load_set(code) if isinstance(e, FunctionExercise)
                  and sum(e.name in s for s in sources) == 2)    # its definition and its check
    for cell in notebook["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and text.startswith(f"def {target.name}(") and BEGIN in text:
            head, _, rest = text.partition(BEGIN)
            indent = head.rsplit("\n", 1)[-1]
            tail = rest.partition(END)[2]
            cell["source"] = head.rstrip(" ") + f"{indent}return None\n" + tail.lstrip("\n")
            return notebook, target.id
    raise AssertionError(f"no answer cell defines {target.name}")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nbgrader_course")
    _run([sys.executable, "-m", "cryptocourse", "release", "--nbgrader", str(folder)], cwd=ROOT)
    broken = {}
    for code, name in SETS.items():
        assignment = f"set{code}"
        _run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment], cwd=folder)
        source = json.loads((folder / "source" / assignment / name).read_text())
        release = (folder / "release" / assignment / name).read_text()
        wrong, broken[code] = _break_first_function(json.loads(json.dumps(source)), code)
        for student, text in {"solution": dumps(source), "blank": release, "onewrong": dumps(wrong)}.items():
            target = folder / "submitted" / student / assignment / name
            target.parent.mkdir(parents=True)
            target.write_text(text)
        _run([sys.executable, "-m", "nbgrader", "autograde", assignment], cwd=folder)
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gb:
        for code, name in SETS.items():
            for student in ("solution", "blank", "onewrong"):
                nb = gb.find_submission_notebook(Path(name).stem, f"set{code}", student)
                scores[code, student] = {g.name: (g.auto_score, g.max_score) for g in nb.grades}
    return {"folder": folder, "scores": scores, "broken": broken}


def _auto(scores: dict) -> float:
    return sum(auto or 0.0 for name, (auto, _) in scores.items() if name.startswith("check_"))


@pytest.mark.parametrize("code", SETS)
def test_every_exercise_has_its_points_in_the_gradebook(course, code):
    expected = {("answer_" if isinstance(e, FreeTextExercise) else "check_") + e.id.replace(".", "_"): e.points
                for e in load_set(code)}
    got = {name: max_score for name, (_, max_score) in course["scores"][code, "solution"].items()}
    assert got == expected


@pytest.mark.parametrize("code", SETS)
def test_the_solution_earns_every_autograded_point(course, code):
    auto_possible = sum(e.points for e in load_set(code) if not isinstance(e, FreeTextExercise))
    assert _auto(course["scores"][code, "solution"]) == auto_possible > 0


@pytest.mark.parametrize("code", SETS)
def test_the_unedited_release_earns_nothing(course, code):
    assert all((auto or 0.0) == 0.0 for auto, _ in course["scores"][code, "blank"].values())


@pytest.mark.parametrize("code", SETS)
def test_one_wrong_function_loses_exactly_its_points(course, code):
    broken = course["broken"][code]
    points = {e.id: e.points for e in load_set(code)}
    scores = course["scores"][code, "onewrong"]
    assert scores["check_" + broken.replace(".", "_")][0] == 0.0
    assert _auto(scores) == _auto(course["scores"][code, "solution"]) - points[broken]


def test_release_removed_the_answers_and_kept_the_checks(course):
    release = (course["folder"] / "release" / "set01" / SETS["01"]).read_text()
    assert "return (1 + nominal) / (1 + inflation) - 1" not in release
    assert 'check(\\"01.3\\", real_yield, strict=True)' in release
    assert "../notebooks/01_money_math.ipynb" in release   # links work from a set folder beside notebooks/


@pytest.mark.parametrize("code", SETS)
def test_cryptocourse_grade_agrees_with_nbgrader(course, code, tmp_path):
    from cryptocourse.exercises import grade as grading

    name = SETS[code]
    folder = tmp_path / "subs"
    folder.mkdir()
    for student in ("solution", "blank", "onewrong"):
        src = course["folder"] / "submitted" / student / f"set{code}" / name
        (folder / f"{student}.ipynb").write_bytes(src.read_bytes())
    args = grading.defaults(out=str(tmp_path / "gradebook.csv"), timeout=300.0)
    results = grading.grade(ROOT / "exercises" / "solutions" / name, [str(folder)], args)
    for res in results:
        ours = {r.exercise_id: r.points for r in res.results if r.status != "manual"}
        theirs = {gid[len("check_"):].replace("_", "."): auto for gid, (auto, _) in course["scores"][code, res.student].items()
                  if gid.startswith("check_")}
        assert ours == theirs, res.student
