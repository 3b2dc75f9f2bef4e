"""tools/nbedit.py, the notebook-building tool authors use (docs/AUTHORING.md, CONTRIBUTING.md)."""
import json
import sys

import nbformat
import pytest

from cryptocourse.course import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "tools"))
import nbedit  # noqa: E402


def test_save_stores_clean_stable_json_and_round_trips(tmp_path):
    nb = nbedit.new([nbedit.md("# Title"), nbedit.code("x = 1\nx")])
    nb["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "1"}]
    nb["cells"][1]["execution_count"] = 3
    path = tmp_path / "a.ipynb"
    nbedit.save(path, nb)
    stored = json.loads(path.read_text())
    assert stored["cells"][1]["outputs"] == [] and stored["cells"][1]["execution_count"] is None
    nbformat.validate(nbformat.reads(path.read_text(), as_version=4))
    nbedit.save(path, nbedit.load(path))
    assert json.loads(path.read_text()) == stored


def test_replace_needs_exactly_one_cell():
    nb = nbedit.new([nbedit.md("same words"), nbedit.md("same words")])
    assert nb["cells"][0]["id"] != nb["cells"][1]["id"]
    with pytest.raises(ValueError, match="exactly one cell"):
        nbedit.replace(nb, "same words", "x")
    with pytest.raises(ValueError, match="found 0"):
        nbedit.replace(nb, "absent", "x")
    nb["cells"][1]["source"] = "other words"
    nbedit.replace(nb, "other", "new")
    assert nb["cells"][1]["source"] == "new words"


def test_new_lesson_scaffolds_the_three_files_and_never_overwrites(tmp_path):
    for folder in ("notebooks", "exercises/solutions", "cryptocourse/exercises"):
        (tmp_path / folder).mkdir(parents=True)
    paths = nbedit.new_lesson("15", "options", "Options", root=tmp_path)
    assert [p.name for p in paths] == ["15_options.ipynb", "15_options.ipynb", "set15.py"]
    for p in paths[:2]:
        nbformat.validate(nbformat.reads(p.read_text(), as_version=4))
    compile(paths[2].read_text(), "set15.py", "exec")
    with pytest.raises(SystemExit, match="exists already"):
        nbedit.new_lesson("15", "options", "Options", root=tmp_path)
    with pytest.raises(SystemExit, match="code must look like"):
        nbedit.new_lesson("1", "x", "X", root=tmp_path)
