"""Batch grading with untrusted submissions: every bad kind the exercises issue lists.

The submissions are made from the real solution of set 01 by replacing single answers, so they
stay in step with the exercise set. One batch grades them all (in parallel, each in its own
kernel); each test then checks one student's row.
"""
from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cryptocourse.exercises import grade as grading
from cryptocourse.exercises import release
from cryptocourse.exercises.release import dumps

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "exercises/solutions/01_money_math.ipynb"
LEARNER = ROOT / "exercises/01_money_math.ipynb"
FULL = 10.0  # auto-graded points of set 01


def _notebook() -> dict:
    return json.loads(SOLUTION.read_text())


def _replace(nb: dict, marker: str, new_source: str) -> dict:
    """Replace the code cell containing ``marker``."""
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and marker in src:
            cell["source"] = new_source
            return nb
    raise AssertionError(f"no cell contains {marker!r}")


def _append(nb: dict, source: str) -> dict:
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": f"x{len(nb['cells'])}",
                        "metadata": {}, "outputs": [], "source": source})
    return nb


def _insert_after_imports(nb: dict, source: str) -> dict:
    cell = {"cell_type": "code", "execution_count": None, "id": "inserted", "metadata": {},
            "outputs": [], "source": source}
    nb["cells"].insert(2, cell)
    return nb


SUBMISSIONS = {
    "correct": lambda nb: nb,
    "partly": lambda nb: _replace(nb, "def real_yield", "def real_yield(nominal, inflation):\n    return nominal - inflation\n"),
    "infinite_loop": lambda nb: _replace(nb, "def real_yield", "while True:\n    pass\n"),
    "stubborn_loop": lambda nb: _replace(nb, "def real_yield",
                                         "while True:\n    try:\n        pass\n    except BaseException:\n        pass\n"),
    "sys_exit": lambda nb: _insert_after_imports(nb, "import sys\nsys.exit(0)\n"),
    "os_exit": lambda nb: _insert_after_imports(nb, "import os\nos._exit(1)\n"),
    "segfault": lambda nb: _insert_after_imports(nb, "import ctypes\nctypes.string_at(0)\n"),
    "memory_hog": lambda nb: _insert_after_imports(nb, "hog = bytearray(64 * 1024**3)\n"),
    "exception": lambda nb: _insert_after_imports(nb, "raise RuntimeError('oops')\n"),
    "renamed": lambda nb: _replace(nb, "def apr_to_apy",
                                   "def apr_to_apy_v2(apr, periods_per_year=365):\n"
                                   "    return (1 + apr / periods_per_year) ** periods_per_year - 1\n"),
    "eq_always_true": lambda nb: _replace(nb, "def real_yield",
                                          "class Anything(float):\n    def __eq__(self, other):\n        return True\n"
                                          "def real_yield(nominal, inflation):\n    return Anything(0.0)\n"),
    "patched_package": lambda nb: _append(nb,
        "import cryptocourse.finance as F, cryptocourse.exercises as E, cryptocourse.exercises.spec as S\n"
        "F.real_yield = lambda n, i: 0.0\nE.check = lambda *a, **k: print('passed')\n"
        "S.score = lambda *a, **k: None\n"
        "def real_yield(nominal, inflation):\n    return 0.0\n"),
    "no_traceback": lambda nb: _replace(nb, "def real_yield",
        "import IPython\nip = IPython.get_ipython()\nip.showtraceback = lambda *a, **k: None\n"
        "ip._showtraceback = lambda *a, **k: None\n"
        "def real_yield(nominal, inflation):\n    raise ValueError('hidden')\n"),
    "calls_reference": lambda nb: _replace(nb, "def apr_to_apy",
                                           "from cryptocourse import finance\n"
                                           "def apr_to_apy(apr, periods_per_year=365):\n"
                                           "    return finance.apr_to_apy(apr, periods_per_year)\n"),
    "slow_function": lambda nb: _replace(nb, "def real_yield",
                                         "def real_yield(nominal, inflation):\n    while True:\n        pass\n"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    for name, make in SUBMISSIONS.items():
        nb = make(_notebook())
        (folder / f"{name}.ipynb").write_text(dumps(nb))
    (folder / "invalid_json.ipynb").write_text('{"cells": [ this is not json')
    (folder / "learner_copy.ipynb").write_bytes(LEARNER.read_bytes())
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    out = tmp_path_factory.mktemp("out") / "gradebook.csv"
    args = grading.defaults(out=str(out), cell_timeout=4.0, timeout=120.0, memory_mb=3072,
                            gradescope=str(out.parent / "gradescope"))
    results = grading.grade(SOLUTION, [str(folder)], args)
    grading.write_outputs(results, grading.load_set("01"), "01", args)
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    rows = {row["student"]: row for row in csv.DictReader(out.open())}
    return {"results": {r.student: r for r in results}, "rows": rows, "before": before, "after": after,
            "out": out}


def points(graded, student, exercise=None):
    row = graded["rows"][student]
    if exercise is None:
        return float(row["auto_total"])
    key = next(k for k in row if k.startswith(exercise + " "))
    return float(row[key])


def test_correct_submission_gets_full_marks(graded):
    assert points(graded, "correct") == FULL
    assert graded["rows"]["correct"]["flags"] == ""


def test_partly_correct_gets_the_points_it_earned(graded):
    assert points(graded, "partly", "01.3") == 0
    assert points(graded, "partly") == FULL - 2
    fb = (graded["out"].parent / "feedback/partly.md").read_text()
    assert "real_yield(0.05, 0.04): expected 0.009615384615, received 0.01" in fb


@pytest.mark.parametrize("student", ["infinite_loop", "stubborn_loop"])
def test_infinite_loop_cell_is_skipped_and_the_rest_counts(graded, student):
    assert points(graded, student, "01.3") == 0  # that cell defined real_yield
    assert points(graded, student) == FULL - 2
    assert "ran too long" in graded["rows"][student]["problems"]


@pytest.mark.parametrize("student", ["os_exit", "segfault"])
def test_a_cell_that_kills_the_kernel_is_skipped(graded, student):
    assert points(graded, student) == FULL
    assert "stopped the kernel" in graded["rows"][student]["problems"]


def test_sys_exit_does_not_stop_grading(graded):
    assert points(graded, "sys_exit") == FULL


def test_memory_cap_turns_a_hog_into_an_error(graded):
    assert points(graded, "memory_hog") == FULL
    assert "MemoryError" in graded["rows"]["memory_hog"]["problems"]


def test_exception_in_a_cell_is_reported_and_the_rest_runs(graded):
    assert points(graded, "exception") == FULL
    assert "RuntimeError: oops" in graded["rows"]["exception"]["problems"]


def test_renamed_function_earns_nothing_for_that_exercise(graded):
    assert points(graded, "renamed", "01.1") == 0
    fb = (graded["out"].parent / "feedback/renamed.md").read_text()
    assert "No `apr_to_apy` was found" in fb


def test_object_equal_to_everything_earns_nothing(graded):
    assert points(graded, "eq_always_true", "01.3") == 0
    fb = (graded["out"].parent / "feedback/eq_always_true.md").read_text()
    assert "object of type Anything" in fb


def test_monkeypatching_the_package_in_the_kernel_changes_nothing(graded):
    assert points(graded, "patched_package", "01.3") == 0
    assert points(graded, "patched_package") == FULL - 2


def test_silenced_tracebacks_earn_nothing(graded):
    assert points(graded, "no_traceback", "01.3") == 0


def test_calling_the_reference_is_flagged(graded):
    assert "calls the package's reference" in graded["rows"]["calls_reference"]["flags"]
    assert graded["rows"]["correct"]["flags"] == ""


def test_a_function_that_hangs_on_a_check_earns_nothing_for_it_only(graded):
    assert points(graded, "slow_function", "01.3") == 0
    assert points(graded, "slow_function") == FULL - 2


def test_invalid_json_gets_a_clear_reason(graded):
    assert points(graded, "invalid_json") == 0
    assert "not a valid notebook" in graded["rows"]["invalid_json"]["problems"]


def test_learner_copy_is_not_attempted(graded):
    assert points(graded, "learner_copy") == 0
    assert graded["rows"]["learner_copy"]["problems"] == ""
    fb = (graded["out"].parent / "feedback/learner_copy.md").read_text()
    assert fb.count("not attempted yet") == 5


def test_submissions_are_never_modified(graded):
    assert graded["before"] == graded["after"]


def test_free_text_is_collected_for_the_instructor(graded):
    fb = (graded["out"].parent / "feedback/correct.md").read_text()
    assert "graded by hand" in fb and "> Gas for entering and leaving" in fb
    row = graded["rows"]["correct"]
    assert row["01.6 (2 manual)"] == ""


def test_gradescope_results(graded):
    data = json.loads((graded["out"].parent / "gradescope/correct/results.json").read_text())
    assert data["score"] == FULL
    assert [t["name"].split()[0] for t in data["tests"]] == ["01.1", "01.2", "01.3", "01.4", "01.5", "01.6"]


def test_regrading_gives_the_same_result(graded, tmp_path):
    folder = tmp_path / "again"
    folder.mkdir()
    (folder / "partly.ipynb").write_text(dumps(SUBMISSIONS["partly"](_notebook())))
    args = grading.defaults(out=str(tmp_path / "gb.csv"), cell_timeout=4.0)
    again = grading.grade(SOLUTION, [str(folder)], args)[0]
    first = graded["results"]["partly"]
    assert [(r.exercise_id, r.points, r.messages) for r in again.results] == \
           [(r.exercise_id, r.points, r.messages) for r in first.results]


def test_cli_grades_and_never_leaves_a_partial_gradebook(tmp_path):
    sub = tmp_path / "subs"
    sub.mkdir()
    (sub / "amy.ipynb").write_bytes(SOLUTION.read_bytes())
    out = tmp_path / "book.csv"
    cmd = [sys.executable, "-m", "cryptocourse.cli", "grade", str(SOLUTION), str(sub / "*.ipynb"),
           "--out", str(out), "--format", "html"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert re.search(r"amy\s+10 / 10", done.stdout)
    assert (tmp_path / "feedback/amy.html").exists()
    assert not list(tmp_path.glob(".book.csv.*"))  # no temporary left behind
    # a bad request fails before anything is written
    out2 = tmp_path / "none.csv"
    bad = subprocess.run([sys.executable, "-m", "cryptocourse.cli", "grade", str(SOLUTION),
                          str(tmp_path / "missing/*.ipynb"), "--out", str(out2)],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "nothing matches" in bad.stderr
    assert not out2.exists()


def test_solution_names_a_set():
    with pytest.raises(ValueError, match="solution must be"):
        grading.set_code_of(Path("homework.ipynb"))


# -- issue 19: options, paths, names, outcomes and hidden cases ----------------------------
from cryptocourse import cli  # noqa: E402
from cryptocourse.exercises import _sandbox, run_check  # noqa: E402
from cryptocourse.exercises.spec import FunctionExercise, case, hidden_cases, watched_functions  # noqa: E402

SOLUTION_02 = ROOT / "exercises/solutions/02_ledgers_and_provenance.ipynb"


@pytest.fixture()
def small_class(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "amy.ipynb").write_bytes(SOLUTION.read_bytes())
    return subs


@pytest.mark.parametrize("option, value", [("--cell-timeout", "0"), ("--cell-timeout", "-3"), ("--timeout", "nan"),
                                           ("--timeout", "inf"), ("--memory-mb", "-1"), ("--memory-mb", "12"),
                                           ("--workers", "-2"), ("--workers", "many")])
def test_a_bad_option_stops_before_grading_and_names_itself(small_class, tmp_path, capsys, option, value):
    out = tmp_path / "gb.csv"
    with pytest.raises(SystemExit) as stop:
        cli.main(["grade", str(SOLUTION), str(small_class), "--out", str(out), option, value])
    assert stop.value.code == 2
    assert option in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("attr, value, option", [("cell_timeout", 0.0, "--cell-timeout"),
                                                 ("timeout", float("nan"), "--timeout"),
                                                 ("memory_mb", -1, "--memory-mb"), ("workers", 999, "--workers")])
def test_the_python_api_validates_options_too(small_class, tmp_path, attr, value, option):
    args = grading.defaults(out=str(tmp_path / "gb.csv"), **{attr: value})
    with pytest.raises(grading.GradeError, match=option):
        grading.grade(SOLUTION, [str(small_class)], args)


def _grade_cli(*argv) -> int:
    return cli.main(["grade", *map(str, argv)])


def test_bad_requests_fail_before_any_kernel_starts(small_class, tmp_path, capsys):
    out = tmp_path / "gb.csv"
    assert _grade_cli(tmp_path / "01_money_math.ipynb", small_class, "--out", out) == 2
    assert "no such file" in capsys.readouterr().err
    assert _grade_cli(SOLUTION_02, small_class, "--out", out) == 2  # a set-02 solution for set-01 work
    assert "set 01" in capsys.readouterr().err
    copy = tmp_path / "solution" / SOLUTION.name
    copy.parent.mkdir()
    copy.write_bytes(SOLUTION.read_bytes())
    assert _grade_cli(copy, small_class, "--out", copy) == 2  # --out would overwrite the solution
    assert "one of the inputs" in capsys.readouterr().err
    assert _grade_cli(copy, small_class, "--out", small_class / "amy.ipynb") == 2
    assert "one of the inputs" in capsys.readouterr().err
    assert _grade_cli(copy, small_class, "--out", tmp_path) == 2
    assert "is a folder" in capsys.readouterr().err
    assert _grade_cli(copy, small_class, "--out", "/proc/no/gb.csv") == 2
    assert "--out: cannot write" in capsys.readouterr().err
    assert _grade_cli(copy, small_class, "--out", out, "--feedback", small_class, "--format", "md") == 0
    assert copy.read_bytes() == SOLUTION.read_bytes() and not out.with_suffix(".tmp").exists()
    assert (small_class / "amy.md").exists() and (small_class / "amy.ipynb").read_bytes() == SOLUTION.read_bytes()


def test_student_names_are_unique_and_safe():
    paths = [Path("a/dup.ipynb"), Path("b/dup.ipynb"), Path("dup__1.ipynb"), Path("DUP.ipynb"), Path("...ipynb"),
             Path("=cmd|' -C calc'!A0.ipynb"), Path(os.fsdecode(b"caf\xe9.ipynb")), Path("x/01_money_math.ipynb")]
    names = grading.student_ids(paths, "01_money_math.ipynb")
    assert names[:4] == ["dup__2", "dup__3", "dup__1", "DUP__4"]
    assert names[4] == "student" and names[5] == "cmd_-C_calc_A0" and names[6] == "cafxe9" and names[7] == "x"
    assert len({n.lower() for n in names}) == len(names)


def test_formula_like_cells_are_neutralised():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert grading.neutralise(text) == "'" + text
    assert grading.neutralise("amy") == "amy"
    assert grading.neutralise(os.fsdecode(b"\xff")) == "\\xff"


def test_only_outcomes_the_collector_can_write_are_accepted():
    ok = [{"value": [1.5, {"a": None}]}, {"raised": "ValueError", "message": "no"}, {"not_plain": "X"},
          {"not_implemented": True}]
    assert grading.validate_outcomes(ok, 4) == ok
    for forged in ([[1], [2]], "x", None, [], [{"value": 1, "raised": "E"}], [{"value": 10**400}],
                   [{"verdict": "passed"}], [{"value": object()}], [{"missing": 1}], [{"value": 1}] * 5):
        assert grading.validate_outcomes(forged, 4) is None, forged


def test_special_files_are_refused_without_reading_them(tmp_path):
    os.mkfifo(tmp_path / "fifo.ipynb")
    (tmp_path / "folder.ipynb").mkdir()
    os.symlink("/dev/zero", tmp_path / "zero.ipynb")
    with open(tmp_path / "big.ipynb", "wb") as handle:
        handle.truncate(3 * 10**9)
    (tmp_path / "fine.ipynb").write_text("{}")
    for name, why in [("fifo", "FIFO"), ("folder", "folder"), ("zero", "device"), ("big", "too large"),
                      ("missing", "cannot be opened")]:
        data, problem = _sandbox.read_regular_file(tmp_path / f"{name}.ipynb", 10**6)
        assert data is None and why in problem, (name, problem)
    assert _sandbox.read_regular_file(tmp_path / "fine.ipynb", 10**6) == (b"{}", None)


def test_hidden_cases_are_new_inputs_drawn_per_run_and_never_in_the_self_check():
    ex = grading.load_set("01")[0]
    first, again, other = (hidden_cases(ex, __import__("random").Random(seed)) for seed in (1, 1, 2))
    assert len(first) >= 5 and [repr(c.args) for c in first] == [repr(c.args) for c in again]
    assert [repr(c.args) for c in first] != [repr(c.args) for c in other]
    visible = {repr(c.args) for c in ex.cases}
    assert not visible & {repr(c.args) for c in first}
    wrong = run_check("01.1", lambda apr, n=365: apr)
    assert "hidden" not in wrong.text() and wrong.total_cases == len(ex.cases)
    plan_a, plan_b = grading.make_plan("01", grading.load_set("01")), grading.make_plan("01", grading.load_set("01"))
    assert plan_a.requests[0]["cases"] != plan_b.requests[0]["cases"]  # a fresh secret each run


def test_a_variant_the_reference_refuses_is_not_a_check():
    def reference(x):
        if x > 1.0:
            raise ValueError("x must be at most 1")
        return x * 2
    ex = FunctionExercise(id="99.1", title="t", points=1, name="f", reference=reference,
                          cases=[case(1.0), case(0.5), case(2.0, raises=ValueError)])
    for seed in range(20):
        kept = hidden_cases(ex, __import__("random").Random(seed))
        assert all(c.args[0] <= 1.0 and c.raises is None for c in kept)
        assert 1 <= len(kept) <= 2


def test_watched_functions_cover_references_and_one_call_value_answers():
    by_id = {e.id: e for e in grading.load_set("01")}
    from cryptocourse import finance
    assert watched_functions(by_id["01.1"]) == [finance.apr_to_apy]
    assert watched_functions(by_id["01.4"]) == [finance.break_even_size]
    assert watched_functions(by_id["01.6"]) == []


def test_a_total_timeout_keeps_what_was_answered_before_it(tmp_path):
    sub = tmp_path / "subs"
    sub.mkdir()
    (sub / "slow.ipynb").write_text(dumps(_append(_notebook(), "while True:\n    pass\n")))
    args = grading.defaults(out=str(tmp_path / "gb.csv"), timeout=20.0, cell_timeout=60.0)
    start = time.monotonic()
    res = grading.grade(SOLUTION, [str(sub)], args)[0]
    assert res.auto_points == FULL, [c.text() for c in res.results]
    assert any("total time ran out" in p for p in res.problems), res.problems
    assert time.monotonic() - start < 20.0 + grading.GRACE_SECONDS


@pytest.mark.parametrize("mode", ["none", "no-uid"])
def test_weaker_sandboxes_still_grade_and_leave_no_process(tmp_path, monkeypatch, mode):
    mark = f"weaker-{mode}-{os.getpid()}"
    sub = tmp_path / "subs"
    sub.mkdir()
    (sub / "amy.ipynb").write_bytes(SOLUTION.read_bytes())
    (sub / "daemon.ipynb").write_text(dumps(_append(_notebook(),
        "import os, subprocess\n"
        f"subprocess.Popen(['sh', '-c', 'sleep 600; : {mark}'], start_new_session=True)\n"
        "if os.fork() == 0:\n    os.setsid()\n"
        f"    os.execv('/bin/sh', ['sh', '-c', 'sleep 600; : {mark}'])\n")))
    (sub / "zoe.ipynb").write_bytes(SOLUTION.read_bytes())
    monkeypatch.setenv("CRYPTOCOURSE_GRADE_SANDBOX", mode)
    results = {r.student: r for r in grading.grade(SOLUTION, [str(sub)], grading.defaults(out=str(tmp_path / "g.csv")))}
    assert results["amy"].auto_points == results["zoe"].auto_points == results["daemon"].auto_points == FULL
    assert not results["amy"].flags and not results["zoe"].flags
    alive = [p for p in os.listdir("/proc") if p.isdigit() and mark.encode() in _cmdline(p)]
    assert alive == []


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_the_command_line_defaults_are_the_grading_defaults():
    """The CLI builds a GradeOptions; both must agree on every default (grading never imports the CLI)."""
    import dataclasses

    ns = cli.build_parser().parse_args(["grade", "sol.ipynb", "subs"])
    opts = grading.defaults(solution="sol.ipynb", submissions=["subs"])
    assert {f.name: getattr(ns, f.name) for f in dataclasses.fields(grading.GradeOptions)} == dataclasses.asdict(opts)
    with pytest.raises(TypeError, match="cell_timout"):
        grading.defaults(cell_timout=3)


def test_grading_does_not_import_the_command_line():
    code = ("import sys, cryptocourse.exercises.grade; "
            "print('cryptocourse.cli' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("placeholder", [release.TEXT_PLACEHOLDER, *release.OLD_TEXT_PLACEHOLDERS])
def test_a_free_text_placeholder_of_any_release_is_not_an_answer(placeholder):
    # learners may hand in a copy released before the placeholder's wording changed
    cell = {"cell_type": "markdown", "source": f"**Answer 11.6.**\n{placeholder}"}
    assert grading.free_text_answers({"cells": [cell]}) == {"11.6": ""}
    cell["source"] = "**Answer 11.6.**\nThe LPs pay."
    assert grading.free_text_answers({"cells": [cell]}) == {"11.6": "The LPs pay."}
