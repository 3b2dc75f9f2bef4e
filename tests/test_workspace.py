"""Copying the course into a learner's folder: nothing of theirs is ever overwritten or half-written."""
import json
import os
from pathlib import Path

import pytest

from cryptocourse import cli
from cryptocourse.workspace import (RECORD, START_PAGE, copy_course, course_files, course_source, is_clone,
                                    is_course_folder)

ROOT = Path(__file__).resolve().parent.parent


def _course(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def source(tmp_path):
    return _course(tmp_path / "src", {START_PAGE: "start v1", "notebooks/01_a.ipynb": "lesson v1",
                                      "exercises/01_a.ipynb": "set v1", "exercises/solutions/01_a.ipynb": "sol v1",
                                      "notebooks/notes.txt": "not a notebook"})


def test_the_clone_is_the_source_and_lists_every_notebook():
    assert course_source() == ROOT and is_clone(ROOT)
    files = course_files()
    assert START_PAGE in files and "exercises/solutions/01_money_math.ipynb" in files
    on_disk = {str(p.relative_to(ROOT)) for f in ("notebooks", "exercises", "exercises/solutions")
               for p in (ROOT / f).glob("*.ipynb")}
    assert set(files) == on_disk


def test_first_copy_adds_everything_and_records_it(source, tmp_path):
    dest = tmp_path / "work"
    report = copy_course(dest, source)
    assert sorted(report.added) == course_files(source) and not (report.kept or report.updated)
    assert not (dest / "notebooks/notes.txt").exists(), "only notebooks are course files"
    assert (dest / "notebooks/01_a.ipynb").read_text() == "lesson v1" and is_course_folder(dest)
    assert set(json.loads((dest / RECORD).read_text())) == set(course_files(source))
    assert not [p for p in dest.rglob("*.part")], "no temporary files left behind"
    again = copy_course(dest, source)
    assert not (again.added or again.updated or again.kept) and "already up to date" in again.summary()


def test_an_update_adds_and_refreshes_but_never_overwrites_an_edit(source, tmp_path):
    dest = tmp_path / "work"
    copy_course(dest, source)
    (dest / "notebooks/01_a.ipynb").write_text("my notes", encoding="utf-8")       # the learner's work
    _course(source, {"notebooks/01_a.ipynb": "lesson v2", "exercises/01_a.ipynb": "set v2",
                     "notebooks/02_b.ipynb": "new lesson"})                          # the course moves on
    report = copy_course(dest, source)
    assert report.added == ["notebooks/02_b.ipynb"]
    assert report.updated == ["exercises/01_a.ipynb"] and (dest / "exercises/01_a.ipynb").read_text() == "set v2"
    assert report.kept == ["notebooks/01_a.ipynb"] and (dest / "notebooks/01_a.ipynb").read_text() == "my notes"
    assert "notebooks/01_a.ipynb" in report.summary() and "rename yours" in report.summary()
    # still kept (and listed) on the next run; after the learner renames theirs, the course's comes back
    assert copy_course(dest, source).kept == ["notebooks/01_a.ipynb"]
    os.rename(dest / "notebooks/01_a.ipynb", dest / "notebooks/01_a_mine.ipynb")
    assert copy_course(dest, source).added == ["notebooks/01_a.ipynb"]
    assert (dest / "notebooks/01_a_mine.ipynb").read_text() == "my notes"


def test_an_edit_of_the_current_version_is_simply_the_learners(source, tmp_path):
    dest = tmp_path / "work"
    copy_course(dest, source)
    (dest / "notebooks/01_a.ipynb").write_text("my answers", encoding="utf-8")
    report = copy_course(dest, source)
    assert report.yours == ["notebooks/01_a.ipynb"] and not report.kept
    assert (dest / "notebooks/01_a.ipynb").read_text() == "my answers"


def test_files_there_before_the_first_copy_are_left_alone(source, tmp_path):
    dest = _course(tmp_path / "work", {"notebooks/01_a.ipynb": "someone else's file"})
    (dest / RECORD).write_text("{not json", encoding="utf-8")  # a damaged record trusts nothing
    report = copy_course(dest, source)
    assert report.kept == ["notebooks/01_a.ipynb"]
    assert (dest / "notebooks/01_a.ipynb").read_text() == "someone else's file"


def test_an_interrupted_copy_leaves_no_half_file(source, tmp_path, monkeypatch):
    import cryptocourse.workspace as ws

    dest = tmp_path / "work"
    real_replace, calls = os.replace, []

    def failing_replace(a, b):
        calls.append(b)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_replace(a, b)

    monkeypatch.setattr(ws.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        copy_course(dest, source)
    monkeypatch.undo()
    written = [p for p in dest.rglob("*") if p.is_file()]
    assert len(written) == 1 and not [p for p in written if p.suffix == ".part"]
    assert copy_course(dest, source).added  # the next run finishes the job


def test_bad_folders_are_refused_clearly(source, tmp_path):
    with pytest.raises(TypeError, match="folder must be a path"):
        copy_course(3, source)
    with pytest.raises(ValueError, match="course's own source"):
        copy_course(source, source)
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match="folder must be a directory"):
        copy_course(tmp_path / "file", source)
    with pytest.raises(FileNotFoundError, match="source must be a course folder"):
        copy_course(tmp_path / "w", tmp_path / "nowhere")


def _lab_args(*argv):
    return cli.build_parser().parse_args(["lab", *argv])


def test_lab_opens_a_clone_in_place_and_copies_elsewhere_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an empty folder, with the course installed editable from the clone
    assert cli.lab_folder(_lab_args()) == ROOT and not list(tmp_path.iterdir())
    monkeypatch.chdir(ROOT)
    assert cli.lab_folder(_lab_args()) == ROOT
    target = tmp_path / "workshop"
    assert cli.lab_folder(_lab_args("--dir", str(target))) == target.resolve()
    assert course_files(target) == course_files(ROOT)
    cmd = cli.lab_command(_lab_args("--no-browser", "--port", "8899"), target)
    assert cmd[2:4] == ["jupyterlab", START_PAGE] and f"--ServerApp.root_dir={target}" in cmd
    assert "--ServerApp.open_browser=False" in cmd and "--ServerApp.port=8899" in cmd


def test_lab_copy_only_reports_the_folder(tmp_path, capsys):
    assert cli.main(["lab", "--copy-only", "--dir", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out
    assert "added" in out and f"cryptocourse lab --dir {(tmp_path / 'c').resolve()}" in out
    assert cli.main(["lab", "--copy-only", "--dir", str(tmp_path / "c")]) == 0
    assert "already up to date" in capsys.readouterr().out


def test_lab_cannot_copy_into_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(SystemExit, match="cannot copy the course into"):
        cli.lab_folder(_lab_args("--dir", str(tmp_path / "f")))


def test_lab_without_any_course_says_how_to_reinstall(tmp_path, monkeypatch):
    import cryptocourse.workspace as ws

    monkeypatch.setattr(ws, "_PACKAGE", tmp_path / "site" / "cryptocourse")  # an install that lost its notebooks
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match="carries no course notebooks.*Reinstall"):
        cli.lab_folder(_lab_args())
