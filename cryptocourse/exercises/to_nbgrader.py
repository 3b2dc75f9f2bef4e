"""Export the exercise sets as an nbgrader course (``cryptocourse release --nbgrader DIR``).

nbgrader (https://nbgrader.readthedocs.io) recognises its cells by metadata, not by the
``### BEGIN SOLUTION`` markers alone: a marker in a cell without metadata stops
``nbgrader generate_assignment`` ("Solution region detected in a non-solution cell"), and a
notebook without graded cells scores everyone 0 of 0. This module writes, for every solution
notebook ``exercises/solutions/NN_topic.ipynb``, the nbgrader *source* notebook
``DIR/source/setNN/NN_topic.ipynb`` in which

* each code cell holding an answer (between the markers) is a **solution cell**
  (``solution: true, grade: false``): nbgrader replaces the marked region by its stub;
* each ``check("NN.K", answer)`` cell becomes a locked **autograded test cell** worth the
  exercise's points, running ``check("NN.K", answer, strict=True)``: the same feedback, then an
  ``AssertionError`` unless the check passes (on the exercise's visible and hidden cases), so a
  blank or wrong answer earns 0 and a right one its points;
* each free-text answer (a markdown cell with ``**Answer NN.K.**`` and the markers) is a
  **manually graded answer cell** worth the exercise's points;
* the cell that imports the checker is locked (read-only), so a learner cannot delete it by accident;
* relative links are rewritten as in the learner's copy (``../notebooks/...``): they work when the
  course was copied into the learner's home (``cryptocourse lab --copy-only``) and nbgrader fetches
  assignments into that same folder.

Cell metadata follows nbgrader's schema version 3 (``nbgrader/nbformat/v3.py`` in nbgrader 0.9).

A check that runs in the student's own kernel can be defeated by a student who rebinds ``check``;
that is true of every nbgrader test cell. For a class nobody vouches for, grade with
``cryptocourse grade``, which runs each submission in its own sandboxed kernel.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import load_set
from .release import (BEGIN, END, SOLUTION_BANNER, ReleaseError, atomic_write, dumps, read_notebook,
                      relink)
from .spec import FreeTextExercise

#: nbgrader's cell-metadata schema this module writes.
SCHEMA_VERSION = 3
CHECK_CELL = re.compile(r'check\(\s*"(?P<id>\d\d[a-z]?\.\d+)"\s*,\s*(?P<answer>[A-Za-z_][A-Za-z0-9_]*)\s*\)')
ANSWER_LINE = re.compile(r"\*\*Answer (\d\d[a-z]?\.\d+)\.\*\*")
SOLUTION_NAME = re.compile(r"(\d\d[a-z]?)_[a-z0-9_]+\.ipynb")

CONFIG = '''\
"""nbgrader configuration for the cryptocourse exercise sets (written by `cryptocourse release --nbgrader`).

Run nbgrader from this folder, for example:
    nbgrader generate_assignment set01     # source/set01 -> release/set01 (answers removed)
    nbgrader autograde set01               # grades submitted/<student>/set01/
"""
c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "cryptocourse"
# Some checks run a contract on the course's EVM; give a cell more than nbgrader's default 30 s.
c.Execute.timeout = 120
'''


@dataclass
class NbgraderSet:
    """One exported set: where it was written and what nbgrader will grade."""

    code: str
    path: Path
    autograded: dict[str, float] = field(default_factory=dict)   # grade_id -> points
    manual: dict[str, float] = field(default_factory=dict)

    @property
    def assignment(self) -> str:
        return f"set{self.code}"


def _meta(**fields) -> dict:
    return {"nbgrader": dict(fields, schema_version=SCHEMA_VERSION)}


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _grade_id(kind: str, exercise_id: str) -> str:
    return f"{kind}_{exercise_id.replace('.', '_')}"


def nbgrader_notebook(solution: dict, code: str) -> tuple[dict, dict[str, float], dict[str, float]]:
    """The nbgrader source notebook of a solution notebook dict of set ``code``.

    Returns (notebook, autograded points by grade_id, manually graded points by grade_id).
    Raises :class:`ReleaseError` when a check cell names an exercise the set does not have, an
    answer cell has no check, or an exercise of the set has no cell to grade it.
    """
    exercises = {e.id: e for e in load_set(code)}
    notebook = json.loads(json.dumps(solution))
    cells, auto, manual = [], {}, {}
    pending: list[dict] = []     # solution cells waiting for the check cell that names their exercise
    locked_import = False
    for index, cell in enumerate(notebook.get("cells", [])):
        text = _source(cell)
        where = f"set {code}, cell {index}"
        if SOLUTION_BANNER in text:
            continue
        cell.get("metadata", {}).pop("nbgrader", None)
        cell.get("metadata", {}).pop("execution", None)
        kind = cell.get("cell_type")
        if kind == "code":
            cell["outputs"], cell["execution_count"] = [], None
            match = CHECK_CELL.fullmatch(text.strip())
            if match:
                exercise = exercises.get(match["id"])
                if exercise is None:
                    raise ReleaseError(f"{where}: check of {match['id']}, which set {code} does not define")
                grade_id = _grade_id("check", exercise.id)
                cell["source"] = f'check("{exercise.id}", {match["answer"]}, strict=True)'
                cell.setdefault("metadata", {}).update(_meta(grade=True, solution=False, locked=True,
                                                             points=float(exercise.points), grade_id=grade_id))
                auto[grade_id] = float(exercise.points)
                for n, waiting in enumerate(pending, start=1):
                    suffix = "" if len(pending) == 1 else f"_{n}"
                    waiting["metadata"]["nbgrader"]["grade_id"] = _grade_id("answer", exercise.id) + suffix
                pending = []
            elif BEGIN in text or END in text:
                cell.setdefault("metadata", {}).update(_meta(grade=False, solution=True, locked=False,
                                                             grade_id=""))
                pending.append(cell)
            elif not locked_import and "from cryptocourse.exercises import" in text:
                cell.setdefault("metadata", {}).update(_meta(grade=False, solution=False, locked=True,
                                                             grade_id="setup"))
                locked_import = True
        elif kind == "markdown":
            cell["source"] = relink(text)
            answer = ANSWER_LINE.search(text)
            if answer and BEGIN in text:
                exercise = exercises.get(answer.group(1))
                if not isinstance(exercise, FreeTextExercise):
                    raise ReleaseError(f"{where}: free-text answer {answer.group(1)} is not a free-text "
                                       f"exercise of set {code}")
                grade_id = _grade_id("answer", exercise.id)
                cell.setdefault("metadata", {}).update(_meta(grade=True, solution=True, locked=False,
                                                             points=float(exercise.points), grade_id=grade_id))
                manual[grade_id] = float(exercise.points)
            elif BEGIN in text or END in text:
                raise ReleaseError(f"{where}: a solution region in markdown without an **Answer NN.K.** line")
        cells.append(cell)
    if pending:
        raise ReleaseError(f"set {code}: an answer cell is not followed by a check cell")
    graded = {gid.split("_", 1)[1].replace("_", ".") for gid in list(auto) + list(manual)}
    missing = [e for e in exercises if e not in graded]
    if missing:
        raise ReleaseError(f"set {code}: no graded cell for exercise(s) {', '.join(missing)}")
    notebook["cells"] = cells
    return notebook, auto, manual


def export(solutions: list[Path], dest: Path) -> list[NbgraderSet]:
    """Write the nbgrader course folder ``dest`` (``nbgrader_config.py`` and ``source/setNN/``).

    Every notebook is converted before anything is written, so a bad solution notebook leaves
    ``dest`` untouched; each file is written atomically.
    """
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise ReleaseError(f"--nbgrader must name a folder (got the file {dest})")
    planned = []
    for path in solutions:
        path = Path(path)
        match = SOLUTION_NAME.fullmatch(path.name)
        if not match:
            raise ReleaseError(f"{path}: a solution notebook is named NN_topic.ipynb")
        notebook, auto, manual = nbgrader_notebook(read_notebook(path), match.group(1))
        out = NbgraderSet(match.group(1), dest / "source" / f"set{match.group(1)}" / path.name, auto, manual)
        planned.append((out, dumps(notebook)))
    config = dest / "nbgrader_config.py"
    if not config.exists():
        atomic_write(config, CONFIG)
    for out, text in planned:
        atomic_write(out.path, text)
    return [out for out, _ in planned]
