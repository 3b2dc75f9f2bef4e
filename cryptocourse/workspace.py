"""Where the course's notebooks live, and copying them into a learner's working folder.

A clone of the repository (or an editable install of it) holds the notebooks in the repository
itself. A plain install (``pip install .`` or the wheel) carries them inside the package, in
``cryptocourse/_course/``, and ``cryptocourse lab`` copies them into the folder it is started in (or
``--dir``), because learners edit notebooks and an installed package must stay unchanged.

Copying never overwrites a learner's work. The folder keeps a small record,
``.cryptocourse-copy.json``, of each file's fingerprint as it was copied. On a later run (say after
upgrading the course) a file still equal to its record is updated; a file the learner changed, or one
that was already there before the first copy, is left alone and listed. Each file is written to a
temporary name and renamed into place, so an interrupted copy never leaves half a notebook.

>>> (course_source() / START_PAGE).is_file()
True
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

#: The start page, relative to a course folder.
START_PAGE = "notebooks/00_start_here.ipynb"
#: The folders of a course folder that hold its notebooks (lessons, exercise sets, worked solutions).
COURSE_FOLDERS = ("notebooks", "exercises", "exercises/solutions")
#: The record a working folder keeps of what was copied into it.
RECORD = ".cryptocourse-copy.json"

_PACKAGE = Path(__file__).resolve().parent


def _repository() -> Path:
    return _PACKAGE.parent


def course_source() -> Path:
    """The folder the course's notebooks come from: the repository for a clone or an editable
    install, else the copy the installed package carries (``cryptocourse/_course``)."""
    for candidate in (_repository(), _PACKAGE / "_course"):
        if (candidate / START_PAGE).is_file():
            return candidate
    raise FileNotFoundError(
        "cryptocourse: this installation carries no course notebooks (neither a clone's notebooks/ nor the "
        f"package's _course/ folder under {_PACKAGE}). Reinstall the course: python -m pip install cryptocourse "
        "(or, from a clone, python -m pip install -e .)")


def is_course_folder(folder: Path | str) -> bool:
    """True when ``folder`` holds the course (its start page), e.g. a clone or a folder copied into before."""
    return (Path(folder) / START_PAGE).is_file()


def is_clone(folder: Path | str) -> bool:
    """True when ``folder`` is the repository the running package comes from (a clone, editable install)."""
    try:
        return Path(folder).resolve() == _repository() and is_course_folder(folder)
    except OSError:
        return False


def course_files(source: Path | str | None = None) -> list[str]:
    """The course's notebooks, as paths relative to the course folder (``notebooks/01_money_math.ipynb``...)."""
    root = Path(source) if source is not None else course_source()
    return sorted(str(p.relative_to(root).as_posix())
                  for folder in COURSE_FOLDERS for p in (root / folder).glob("*.ipynb") if p.is_file())


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class CopyReport:
    """What :func:`copy_course` did: files ``added``; files ``updated`` (the course changed them and the
    learner had not); files ``kept`` (the course has another version but the learner changed theirs, or
    the file was there before the first copy); files already ``current``; and ``yours``, files the
    learner changed while the course's version stayed the same (nothing to do)."""

    folder: Path
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    yours: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"Course folder: {self.folder}"]
        if self.added:
            lines.append(f"  added {len(self.added)} notebook(s)")
        if self.updated:
            lines.append(f"  updated {len(self.updated)} notebook(s) you had not changed")
        if self.kept:
            lines.append(f"  left {len(self.kept)} notebook(s) of yours alone although the course has another "
                         "version (rename yours and run again to get the course's):")
            lines += [f"    {name}" for name in self.kept]
        if not (self.added or self.updated or self.kept):
            lines.append("  already up to date")
        return "\n".join(lines)


def _write_atomically(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(source.read_bytes())
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def copy_course(folder: Path | str, source: Path | str | None = None) -> CopyReport:
    """Copy the course's notebooks into ``folder`` (created if needed), never overwriting a file the
    learner changed; return what was done.

    ``source`` is the course to copy from (default: :func:`course_source`). Copying into the source
    itself is refused: a clone is used in place.
    """
    if not isinstance(folder, (str, os.PathLike)):
        raise TypeError(f"folder must be a path (str or Path), got {type(folder).__name__}")
    dest = Path(folder).expanduser().resolve()
    src = Path(source).resolve() if source is not None else course_source().resolve()
    if not is_course_folder(src):
        raise FileNotFoundError(f"source must be a course folder holding {START_PAGE}; {src} does not")
    if dest == src:
        raise ValueError(f"folder is the course's own source ({src}); open it directly instead of copying into it")
    if dest.exists() and not dest.is_dir():
        raise NotADirectoryError(f"folder must be a directory; {dest} is a file")
    dest.mkdir(parents=True, exist_ok=True)
    record_path = dest / RECORD
    try:
        record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.exists() else {}
        record = record if isinstance(record, dict) else {}
    except (OSError, ValueError):
        record = {}  # an unreadable record: treat every existing file as the learner's own
    report = CopyReport(dest)
    for name in course_files(src):
        new = src / name
        target = dest / name
        new_print = _fingerprint(new)
        if not target.exists():
            _write_atomically(new, target)
            report.added.append(name)
            record[name] = new_print
            continue
        have = _fingerprint(target)
        if have == new_print:
            report.current.append(name)
            record[name] = new_print
        elif record.get(name) == have:  # the learner has not touched it since we copied it
            _write_atomically(new, target)
            report.updated.append(name)
            record[name] = new_print
        elif record.get(name) == new_print:
            report.yours.append(name)  # the learner's edit of the version we copied: nothing to say
        else:  # changed by the learner (or there before us) and the course has another version
            report.kept.append(name)
    fd, tmp = tempfile.mkstemp(prefix=f"{RECORD}.", suffix=".part", dir=dest)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(dict(sorted(record.items())), out, indent=1)
    os.replace(tmp, record_path)
    return report
