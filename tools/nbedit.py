"""Build and edit the course's notebooks from Python, in the course's stable stored form.

Lessons are stored as .ipynb without outputs. Edit them in JupyterLab (then run
``python tools/nbedit.py strip PATH`` to drop outputs), or from a script with this module::

    import sys; sys.path.insert(0, "tools")
    from nbedit import load, save, md, code, replace

    nb = load("notebooks/07_amms.ipynb")
    replace(nb, "old sentence", "new sentence")       # exactly one cell must contain it
    save("notebooks/07_amms.ipynb", nb)               # atomic, stable JSON, no outputs

``python tools/nbedit.py new-lesson 15 my_topic "My topic"`` scaffolds a lesson, its solution
notebook and its checks from the template in docs/AUTHORING.md; then add the manifest entry.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptocourse.exercises.release import atomic_write, dumps  # noqa: E402

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def _id(text: str, salt: int) -> str:
    return hashlib.sha256(f"{salt}:{text}".encode()).hexdigest()[:8]


def md(text: str) -> dict:
    """A markdown cell."""
    return {"cell_type": "markdown", "id": _id(text, 0), "metadata": {}, "source": text.strip("\n")}


def code(text: str) -> dict:
    """A code cell, stored without outputs."""
    return {"cell_type": "code", "execution_count": None, "id": _id(text, 1), "metadata": {}, "outputs": [],
            "source": text.strip("\n")}


def new(cells: list[dict]) -> dict:
    """A notebook with the course's kernelspec."""
    seen: set[str] = set()
    for index, cell in enumerate(cells):
        while cell["id"] in seen:      # identical cells still need distinct ids
            cell["id"] = _id(cell["id"], index)
        seen.add(cell["id"])
    return {"cells": cells, "metadata": {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def load(path: str | Path) -> dict:
    """Read a notebook as plain JSON (sources as one string per cell)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    return nb


def strip(nb: dict) -> dict:
    """Drop outputs and execution counts (notebooks are stored clean)."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cell.get("metadata", {}).pop("execution", None)
    return nb


def save(path: str | Path, nb: dict) -> None:
    """Write atomically in the stored form (a failed write never leaves half a notebook)."""
    atomic_write(Path(path), dumps(strip(nb)))


def replace(nb: dict, old: str, new_text: str) -> None:
    """Replace ``old`` by ``new_text`` in the one cell that contains it (error if none or several)."""
    hits = [c for c in nb["cells"] if old in c["source"]]
    if len(hits) != 1:
        raise ValueError(f"old must occur in exactly one cell (found {len(hits)}): {old[:60]!r}")
    hits[0]["source"] = hits[0]["source"].replace(old, new_text)


def new_lesson(code_: str, slug: str, title: str, root: Path = ROOT) -> list[Path]:
    """Scaffold notebooks/CODE_slug.ipynb, its solution notebook and cryptocourse/exercises/setCODE.py."""
    import re

    if not re.fullmatch(r"\d\d[a-z]?", code_):
        raise SystemExit(f"code must look like 15 or 09c (got {code_!r})")
    if not re.fullmatch(r"[a-z0-9_]+", slug):
        raise SystemExit(f"slug must be lower-case letters, digits and _ (got {slug!r})")
    stem = f"{code_}_{slug}"
    lesson = root / "notebooks" / f"{stem}.ipynb"
    solution = root / "exercises" / "solutions" / f"{stem}.ipynb"
    checks = root / "cryptocourse" / "exercises" / f"set{code_}.py"
    for path in (lesson, solution, checks):
        if path.exists():
            raise SystemExit(f"{path} exists already: nothing was written")
    save(lesson, new([
        md(f"# {code_} · {title}\n\nWhy this matters, in one paragraph."),
        md("## Objectives (about 45 minutes)\n\n- ...\n- ...\n- ..."),
        md("## Setup"), code(f"import numpy as np\nfrom cryptocourse import {slug.split('_')[0]}\n\n"
                             "rng = np.random.default_rng(2026)"),
        md("## 1. The first idea\n\nA short explanation, then a short code cell."), code("# ..."),
        md("## Try it\n\n1. ...\n2. ..."), code("# the dashboard, as the last expression"),
        md("<details><summary>Answers</summary>\n\n1. ...\n\n</details>"),
        md("## Check your understanding\n\n1. ...\n\n<details><summary>Answers</summary>\n\n1. ...\n\n</details>"),
        md(f"## Summary\n\n- ...\n\n**Next:** [exercise set {code_}](../exercises/{stem}.ipynb), then the next lesson."),
    ]))
    save(solution, new([
        md(f"# Exercise set {code_} · {title}\n\nBack to the [lesson](../../notebooks/{stem}.ipynb). Run "
           f"`check(\"{code_}.1\", your_function)` after each answer; `hint(\"{code_}.1\")` when stuck."),
        code("from cryptocourse.exercises import check, hint"),
        md(f"### Exercise {code_}.1 · ... (2 points)\n\nThe task."),
        code("def my_function(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION"),
        code(f'check("{code_}.1", my_function)'),
    ]))
    checks.write_text(
        f'"""Exercise set {code_} ({title}): the checks behind exercises/{stem}.ipynb."""\n'
        "from .spec import FunctionExercise, case, close, mistake\n\n"
        "EXERCISES = [\n"
        f'    FunctionExercise(id="{code_}.1", title="...", points=2, name="my_function", reference=lambda x: x,\n'
        '                     cases=[case(1.0)], compare=close(),\n'
        '                     nudge="a direction, not the formula", hint="the method",\n'
        '                     mistakes=[mistake("a wrong answer learners write", lambda x: 2 * x),\n'
        '                               mistake("another", lambda x: x + 1)]),\n'
        "]\n", encoding="utf-8")
    return [lesson, solution, checks]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_strip = sub.add_parser("strip", help="drop outputs and execution counts, rewrite in the stored form")
    p_strip.add_argument("paths", nargs="+")
    p_new = sub.add_parser("new-lesson", help="scaffold a lesson, its solution notebook and its checks")
    p_new.add_argument("code", help='e.g. "15" or "09c"')
    p_new.add_argument("slug", help="e.g. options_and_perps")
    p_new.add_argument("title", help='e.g. "Options and perpetuals"')
    args = parser.parse_args(argv)
    if args.command == "strip":
        for path in args.paths:
            save(path, load(path))
            print(f"stripped {path}")
    else:
        for path in new_lesson(args.code, args.slug, args.title):
            print(f"wrote {path}")
        print("next: add the Lesson to cryptocourse/course.py, write the lesson, then "
              "`cryptocourse release` and `python -m cryptocourse.course --write-readme` (CONTRIBUTING.md)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
