"""Write the learner's copy of an exercise notebook from its solution (solutions first).

In the solution notebook ``exercises/solutions/NN_topic.ipynb`` answers sit between the lines
``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's markers), in code cells and in the
markdown cells of free-text answers. The learner's copy ``exercises/NN_topic.ipynb`` gets:

* inside a function: ``raise NotImplementedError(...)`` with a pointer to the exercise;
* at the top level of a cell: ``name = ...`` for each variable the answer assigns
  (the self-check reports "not attempted yet" for ``...``);
* in markdown: a line asking for the learner's own words;
* no outputs, no execution counts;
* relative links rewritten for its folder: a solution links ``../../notebooks/07_amms.ipynb``
  (from ``exercises/solutions/``), its learner copy ``../notebooks/07_amms.ipynb``.

The result is deterministic, so a test can compare it with the committed copy.
"""
from __future__ import annotations

import ast
import json
import os
import posixpath
import re
import tempfile
from pathlib import Path

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
TEXT_PLACEHOLDER = "_Replace this line with your answer, in your own words._"
#: Placeholders of earlier releases: a notebook released with one of them is still "not answered".
OLD_TEXT_PLACEHOLDERS = ("_Replace this line with your answer, in your own words (one or two sentences)._",)
SOLUTION_BANNER = "<!-- solutions: this cell is removed from the learner's copy -->"


class ReleaseError(ValueError):
    """A solution notebook that cannot be released (unbalanced markers, bad JSON ...)."""


def _assigned_names(code: str) -> list[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    names: list[str] = []
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name) and sub.id not in names:
                    names.append(sub.id)
    return names


def strip_solution_code(source: str, where: str = "cell") -> str:
    """Replace every marked region of a code cell by a placeholder."""
    out: list[str] = []
    lines = source.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == END:
            raise ReleaseError(f"{where}: '{END}' without a matching '{BEGIN}'")
        if line.strip() != BEGIN:
            out.append(line)
            i += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        j = i + 1
        while j < len(lines) and lines[j].strip() != END:
            if lines[j].strip() == BEGIN:
                raise ReleaseError(f"{where}: '{BEGIN}' inside another solution region")
            j += 1
        if j == len(lines):
            raise ReleaseError(f"{where}: '{BEGIN}' is never closed by '{END}'")
        body = "\n".join(ln[len(indent):] if ln.startswith(indent) else ln.lstrip() for ln in lines[i + 1: j])
        if indent:
            out.append(f"{indent}# YOUR CODE HERE")
            out.append(f'{indent}raise NotImplementedError("write your code here, then run the check below")')
        else:
            out.append("# YOUR CODE HERE: replace each ... with your answer")
            names = _assigned_names(body)
            out += [f"{name} = ..." for name in names] or ["..."]
        i = j + 1
    return "\n".join(out)


def strip_solution_markdown(source: str, where: str = "cell") -> str:
    """Replace every marked region of a markdown cell by a request for the learner's words."""
    pattern = re.compile(r"^[ \t]*" + re.escape(BEGIN) + r"[ \t]*$.*?^[ \t]*" + re.escape(END) + r"[ \t]*$",
                         re.S | re.M)
    text = pattern.sub(TEXT_PLACEHOLDER, source)
    if BEGIN in text or END in text:
        raise ReleaseError(f"{where}: unbalanced solution markers in a markdown cell")
    return text


_LINK = re.compile(r"(\]\()([^)\s]+)(\))")


def relink(markdown: str) -> str:
    """Rewrite relative Markdown links from ``exercises/solutions/`` to ``exercises/``.

    >>> relink("[lesson](../../notebooks/07_amms.ipynb) [web](https://x.org)")
    '[lesson](../notebooks/07_amms.ipynb) [web](https://x.org)'
    """
    def fix(match: re.Match) -> str:
        target = match.group(2)
        if re.match(r"^[a-z]+:|^#|^/", target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        new = posixpath.relpath(posixpath.normpath(posixpath.join("exercises/solutions", path)), "exercises")
        return match.group(1) + new + ("#" + anchor if anchor else "") + match.group(3)
    return _LINK.sub(fix, markdown)


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def release_notebook(solution: dict) -> dict:
    """Return the learner's copy (a notebook dict) of a solution notebook dict."""
    learner = json.loads(json.dumps(solution))
    cells = []
    for index, cell in enumerate(learner.get("cells", [])):
        where = f"cell {index}"
        text = _source(cell)
        if SOLUTION_BANNER in text:
            continue
        if cell.get("cell_type") == "code":
            cell["source"] = strip_solution_code(text, where)
            cell["outputs"] = []
            cell["execution_count"] = None
        elif cell.get("cell_type") == "markdown":
            cell["source"] = relink(strip_solution_markdown(text, where))
        cell.get("metadata", {}).pop("execution", None)
        cells.append(cell)
    learner["cells"] = cells
    return learner


def dumps(notebook: dict) -> str:
    """Serialise a notebook the way the course stores them (stable, one key order)."""
    return json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a failure never leaves a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def learner_path(solution_path: Path) -> Path:
    """``exercises/solutions/NN_x.ipynb`` -> ``exercises/NN_x.ipynb``."""
    solution_path = Path(solution_path)
    if solution_path.parent.name != "solutions":
        raise ReleaseError(f"solution notebooks live in exercises/solutions/ (got {solution_path})")
    return solution_path.parent.parent / solution_path.name


def read_notebook(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReleaseError(f"{path}: no such notebook") from None
    except json.JSONDecodeError as exc:
        raise ReleaseError(f"{path} is not valid notebook JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict) or "cells" not in data:
        raise ReleaseError(f"{path} is not a notebook (no 'cells')")
    return data


def release(solution_path: Path, check_only: bool = False) -> tuple[Path, bool]:
    """Write (or with ``check_only`` compare) the learner copy. Returns (path, up_to_date)."""
    solution_path = Path(solution_path)
    target = learner_path(solution_path)
    text = dumps(release_notebook(read_notebook(solution_path)))
    current = target.read_text(encoding="utf-8") if target.exists() else None
    if current == text:
        return target, True
    if not check_only:
        atomic_write(target, text)
    return target, False
