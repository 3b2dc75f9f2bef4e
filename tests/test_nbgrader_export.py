"""`cryptocourse release --nbgrader DIR` writes nbgrader source notebooks with the right cell
metadata, and `check(..., strict=True)` fails a test cell exactly when the answer is not right.
(Real nbgrader runs on them in tests/test_nbgrader.py.)"""
from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from cryptocourse import cli
from cryptocourse.exercises import available_sets, check, find, load_set
from cryptocourse.exercises.release import BEGIN, END, ReleaseError, dumps
from cryptocourse.exercises.spec import FreeTextExercise
from cryptocourse.exercises.to_nbgrader import export

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "exercises" / "solutions").glob("*.ipynb"))


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    dest = tmp_path_factory.mktemp("nbgrader")
    return dest, {item.code: item for item in export(SOLUTIONS, dest)}


def test_every_set_is_exported(exported):
    _, sets = exported
    assert sorted(sets) == available_sets()


@pytest.mark.parametrize("code", available_sets())
def test_points_match_the_set_definition(exported, code):
    item = exported[1][code]
    exercises = load_set(code)
    assert sum(item.autograded.values()) == sum(e.points for e in exercises if not isinstance(e, FreeTextExercise))
    assert sum(item.manual.values()) == sum(e.points for e in exercises if isinstance(e, FreeTextExercise))
    assert len(item.autograded) + len(item.manual) == len(exercises)


@pytest.mark.parametrize("code", available_sets())
def test_cells_carry_the_metadata_nbgrader_needs(exported, code):
    item = exported[1][code]
    cells = json.loads(item.path.read_text())["cells"]
    ids = [c["metadata"]["nbgrader"]["grade_id"] for c in cells if "nbgrader" in c["metadata"]]
    assert len(ids) == len(set(ids)), "grade ids must be unique"
    for cell in cells:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        meta = cell["metadata"].get("nbgrader")
        if BEGIN in text or END in text:      # nbgrader stops on a solution region in a non-solution cell
            assert meta and meta["solution"] is True, text[:80]
        if cell["cell_type"] == "code" and text.startswith("check("):
            assert text.endswith(", strict=True)") and meta["grade"] and meta["locked"] and meta["points"] > 0
        if meta:
            assert meta["schema_version"] == 3
        assert cell.get("outputs", []) == []
    assert "solutions: this cell is removed" not in item.path.read_text()


def test_answers_stay_in_the_source_for_the_instructor(exported):
    text = exported[1]["01"].path.read_text()
    assert "return (1 + nominal) / (1 + inflation) - 1" in text


def _solution(code: str) -> dict:
    path = next(p for p in SOLUTIONS if p.name.startswith(code + "_"))
    return json.loads(path.read_text())


def test_a_check_of_an_unknown_exercise_is_refused_and_nothing_is_written(tmp_path):
    nb = _solution("01")
    for cell in nb["cells"]:
        if "".join(cell["source"]).strip() == 'check("01.3", real_yield)':
            cell["source"] = 'check("01.9", real_yield)'
    bad = tmp_path / "solutions" / "01_money_math.ipynb"
    bad.parent.mkdir()
    bad.write_text(dumps(nb))
    dest = tmp_path / "course"
    with pytest.raises(ReleaseError, match="01.9"):
        export([SOLUTIONS[0], bad], dest)
    assert not dest.exists()


def test_an_answer_without_its_check_is_refused(tmp_path):
    nb = _solution("01")
    nb["cells"] = [c for c in nb["cells"] if "".join(c["source"]).strip() != 'check("01.5", annualized_volatility)']
    bad = tmp_path / "solutions" / "01_money_math.ipynb"
    bad.parent.mkdir()
    bad.write_text(dumps(nb))
    with pytest.raises(ReleaseError, match="not followed by a check"):
        export([bad], tmp_path / "course")


def test_an_instructors_config_is_kept(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'mine'\n")
    export(SOLUTIONS[:1], tmp_path)
    assert "'mine'" in (tmp_path / "nbgrader_config.py").read_text()


def test_cli_names_a_file_given_as_the_folder(tmp_path):
    target = tmp_path / "afile"
    target.write_text("keep me")
    err = io.StringIO()
    with redirect_stderr(err), redirect_stdout(io.StringIO()):
        code = cli.main(["release", "--nbgrader", str(target), str(SOLUTIONS[0])])
    assert code == 2 and "--nbgrader must name a folder" in err.getvalue()
    assert target.read_text() == "keep me"


# -- check(..., strict=True): what an autograded test cell runs --------------------------------
def _real_yield(nominal, inflation):
    return (1 + nominal) / (1 + inflation) - 1


def test_strict_check_passes_a_right_answer(capsys):
    check("01.3", _real_yield, strict=True)
    assert "passed" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [None, lambda n, i: n - i, lambda n, i: None])
def test_strict_check_raises_on_a_missing_or_wrong_answer(answer):
    with pytest.raises(AssertionError, match="01.3 is not passed"):
        check("01.3", answer, strict=True)


def test_strict_check_tries_hidden_cases_a_lookup_table_fails():
    exercise = find("01.3")
    table = {tuple(c.args): _real_yield(*c.args) for c in exercise.cases}

    def memorised(nominal, inflation):
        return table.get((nominal, inflation), 0.0)

    check("01.3", memorised)                      # the self-check sees only the visible cases
    with pytest.raises(AssertionError):
        check("01.3", memorised, strict=True)


def test_strict_must_be_a_real_boolean():
    with pytest.raises(TypeError, match="strict must be True or False"):
        check("01.3", _real_yield, strict="yes")
