"""Grade a class in one command: ``cryptocourse grade SOLUTION SUBMISSIONS... --out gradebook.csv``.

Each submission runs in its own fresh kernel in a separate process (memory cap, per-cell and total
timeouts), several at once (one per CPU core). The learner's answers come back as plain values and
are compared here, in the grader's process, with expected values computed here: nothing a
submission does inside its kernel (an object equal to everything, a monkeypatched ``cryptocourse``
or ``check``, a silenced traceback) can change its grade. Submissions are read once and never
written; the gradebook appears only when complete (written to a temporary file, then renamed).

Outputs: the CSV gradebook (one row per student, one column per exercise), per-student feedback
(Markdown or HTML, the same messages as the self-check), and optionally Gradescope ``results.json``.

Untrusted code still runs with your user's rights (it could read or delete files it can reach);
for a hostile class, grade inside a container or a throwaway VM.
"""
from __future__ import annotations

import argparse
import ast
import csv
import glob
import html
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import load_set
from .release import BEGIN, END, TEXT_PLACEHOLDER, atomic_write
from .spec import CheckResult, Exercise, FreeTextExercise, FunctionExercise, ValueExercise, score

SET_NAME = re.compile(r"^(\d\d[a-z]?)_[a-z0-9_]+\.ipynb$")


class GradeError(ValueError):
    """A problem with the grading request itself (not with a submission)."""


@dataclass
class Submission:
    student: str
    path: Path
    data: bytes = b""


@dataclass
class StudentResult:
    student: str
    path: Path
    results: list[CheckResult] = field(default_factory=list)
    free_text: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def auto_points(self) -> float:
        return round(sum(r.points for r in self.results if r.status != "manual"), 2)


# -- finding submissions ------------------------------------------------------------------
def set_code_of(solution: Path) -> str:
    match = SET_NAME.match(Path(solution).name)
    if not match:
        raise GradeError(f"solution must be an exercise notebook named like 01_money_math.ipynb (got {solution})")
    return match.group(1)


def expand(patterns: list[str], solution_name: str) -> list[Path]:
    """Files from paths, folders (searched recursively for .ipynb) and globs, sorted, de-duplicated."""
    found: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            found += [p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
        elif path.exists():
            found.append(path)
        else:
            matches = [Path(p) for p in glob.glob(pattern, recursive=True)]
            if not matches:
                raise GradeError(f"submissions: nothing matches {pattern!r}")
            found += [p for p in matches if p.suffix == ".ipynb"]
    unique = sorted({p.resolve(): p for p in found}.values(), key=lambda p: str(p))
    if not unique:
        raise GradeError("submissions: no .ipynb files found")
    return unique


def student_ids(paths: list[Path], solution_name: str) -> list[str]:
    """A name per submission: the file name, or its folder when the file keeps the set's name."""
    names = []
    for p in paths:
        stem = p.stem
        if p.name == solution_name or SET_NAME.match(p.name):
            stem = p.parent.name or stem
        names.append(re.sub(r"[^\w.@-]+", "_", stem))
    seen: dict[str, int] = {}
    out = []
    for name, p in zip(names, paths):
        if names.count(name) > 1:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name}__{seen[name]}"
        out.append(name)
    return out


# -- static analysis ----------------------------------------------------------------------
def _code_cells(notebook: dict) -> list[str]:
    out = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            src = cell.get("source", "")
            out.append("".join(src) if isinstance(src, list) else src)
    return out


def reference_calls(notebook: dict, exercises: list[Exercise]) -> dict[str, str]:
    """Exercises whose function merely calls the package's reference implementation."""
    aliases: dict[str, str] = {}  # local name -> dotted cryptocourse name
    defs: dict[str, ast.FunctionDef] = {}
    for source in _code_cells(notebook):
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cryptocourse"):
                for a in node.names:
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("cryptocourse"):
                        aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                defs[node.name] = node
    flags = {}
    for ex in exercises:
        if not isinstance(ex, FunctionExercise) or ex.reference is None or ex.name not in defs:
            continue
        ref_name = getattr(ex.reference, "__name__", "")
        for node in ast.walk(defs[ex.name]):
            hit = None
            if isinstance(node, ast.Name) and aliases.get(node.id, "").endswith("." + ref_name):
                hit = aliases[node.id]
            elif isinstance(node, ast.Attribute) and node.attr == ref_name:
                root = node.value
                while isinstance(root, ast.Attribute):
                    root = root.value
                if isinstance(root, ast.Name) and root.id in aliases:
                    hit = f"{aliases[root.id]}...{ref_name}"
            if hit:
                flags[ex.id] = f"`{ex.name}` calls the package's reference ({hit.replace('...', '.')}) instead of implementing it"
                break
    return flags


ANSWER_LINE = re.compile(r"\*\*Answer (\d\d[a-z]?\.\d+)\.\*\*")


def free_text_answers(notebook: dict) -> dict[str, str]:
    """Free-text answers by exercise id ('' where the placeholder is still there)."""
    answers = {}
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        src = cell.get("source", "")
        text = "".join(src) if isinstance(src, list) else src
        match = ANSWER_LINE.search(text)
        if not match:
            continue
        body = text[match.end():].replace(BEGIN, "").replace(END, "").strip()
        answers[match.group(1)] = "" if (not body or body == TEXT_PLACEHOLDER) else body
    return answers


# -- running one submission ---------------------------------------------------------------
def _limit_memory(megabytes: int):
    def apply():  # runs in the child between fork and exec
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        os.setsid()
    return apply


def run_one(sub: Submission, exercises: list[Exercise], args) -> tuple[dict | None, list[str], float]:
    """Execute one submission in a worker process; return (worker report or None, problems, seconds)."""
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cc-grade-") as tmp:
        nb_path = Path(tmp) / "submission.ipynb"
        nb_path.write_bytes(sub.data)  # the worker sees a copy; the original is never touched
        work = Path(tmp) / "work"
        work.mkdir()
        request = {
            "notebook": str(nb_path), "workdir": str(work), "result": str(Path(tmp) / "result.json"),
            "cell_timeout": args.cell_timeout,
            "exercises": [{"id": e.id, "name": e.name, "kind": e.kind} for e in exercises
                          if isinstance(e, (FunctionExercise, ValueExercise))],
        }
        req_path = Path(tmp) / "request.json"
        req_path.write_text(json.dumps(request), encoding="utf-8")
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="Agg")
        proc = subprocess.Popen(
            [sys.executable, "-m", "cryptocourse.exercises._worker", str(req_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=str(work),
            preexec_fn=_limit_memory(args.memory_mb) if os.name == "posix" else None,
        )
        problems = []
        try:
            _, err = proc.communicate(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            _kill_tree(proc)
            proc.communicate()
            problems.append(f"the whole submission ran longer than {args.timeout:g} s and was stopped")
            return None, problems, time.monotonic() - start
        result_path = Path(request["result"])
        if proc.returncode != 0 or not result_path.exists():
            tail = (err or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
            problems.append(f"the notebook could not be run ({tail[0][:200]})")
            return None, problems, time.monotonic() - start
        return json.loads(result_path.read_text(encoding="utf-8")), problems, time.monotonic() - start


def _kill_tree(proc: subprocess.Popen) -> None:
    """Stop the worker and everything it started (its kernel is in its own session)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def grade_submission(sub: Submission, exercises: list[Exercise], args) -> StudentResult:
    """Grade one submission (never raises: problems are recorded on the result)."""
    result = StudentResult(sub.student, sub.path)
    try:
        notebook = json.loads(sub.data.decode("utf-8"))
        if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
            raise ValueError("it has no list of cells")
    except (UnicodeDecodeError, ValueError) as exc:
        result.problems.append(f"not a valid notebook file ({str(exc)[:120]}); nothing could be graded")
        result.results = [score(e, [{"missing": True}]) if not isinstance(e, FreeTextExercise)
                          else score(e, []) for e in exercises]
        return result
    static_flags = reference_calls(notebook, exercises)
    result.free_text = free_text_answers(notebook)
    report, problems, seconds = run_one(sub, exercises, args)
    result.problems += problems
    result.seconds = seconds
    if report:
        result.problems += report.get("notes", [])
        errors = report.get("cell_errors", [])
        if errors:
            result.problems.append(f"{len(errors)} cell(s) raised an error, e.g. {errors[0]}")
    for ex in exercises:
        if isinstance(ex, FreeTextExercise):
            check = score(ex, [])
            if not result.free_text.get(ex.id):
                check.messages.append("No answer written yet.")
            result.results.append(check)
            continue
        outcomes = (report or {}).get("outcomes", {}).get(ex.id) or [{"missing": True}]
        flags = list((report or {}).get("runtime_flags", {}).get(ex.id, []))
        if ex.id in static_flags:
            flags.append(static_flags[ex.id])
        check = score(ex, outcomes, flags=flags)
        if flags:
            result.flags.append(f"{ex.id}: {flags[0]}")
            if args.zero_flagged and check.points:
                check.points = 0.0
                check.messages.append("0 points: the function must be your own implementation.")
        result.results.append(check)
    return result


# -- writing the outputs ------------------------------------------------------------------
def feedback_markdown(res: StudentResult, exercises: list[Exercise], set_code: str) -> str:
    auto_possible = sum(e.points for e in exercises if not isinstance(e, FreeTextExercise))
    lines = [f"# Feedback: exercise set {set_code} · {res.student}", "",
             f"**Auto-graded score: {res.auto_points:g} / {auto_possible:g}**"
             + (" (free-text answers are graded by hand)" if any(isinstance(e, FreeTextExercise) for e in exercises) else ""),
             ""]
    if res.problems:
        lines += ["## Problems while running your notebook", ""] + [f"- {p}" for p in res.problems] + [""]
    lines += ["## Exercises", ""]
    for check in res.results:
        text = check.text().splitlines()
        lines.append(f"### {text[0]}")
        lines += [""] + [f"    {t}" for t in text[1:]] + [""]
        if check.status == "manual":
            answer = res.free_text.get(check.exercise_id, "")
            lines += ["Your answer:", ""] + ([f"> {l}" for l in answer.splitlines()] or ["> (none)"]) + [""]
    return "\n".join(lines) + "\n"


def feedback_html(markdown_text: str) -> str:
    body = html.escape(markdown_text)
    return (f"<!doctype html><meta charset='utf-8'><title>Feedback</title>"
            f"<pre style='font-family:system-ui,sans-serif;white-space:pre-wrap'>{body}</pre>\n")


def gradescope_json(res: StudentResult) -> str:
    tests = []
    for check in res.results:
        entry = {"name": f"{check.exercise_id} {check.title}", "max_score": check.possible,
                 "output": check.text()}
        if check.status != "manual":
            entry["score"] = check.points
            entry["status"] = "passed" if check.status == "passed" else "failed"
        else:
            entry["score"] = 0
            entry["output"] += "\n(graded by hand)"
        tests.append(entry)
    return json.dumps({"score": res.auto_points, "tests": tests,
                       "output": "\n".join(res.problems)}, indent=2) + "\n"


def gradebook_csv(results: list[StudentResult], exercises: list[Exercise]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    header = ["student", "submission"]
    for e in exercises:
        header.append(f"{e.id} ({e.points:g}{' manual' if isinstance(e, FreeTextExercise) else ''})")
    header += ["auto_total", "auto_possible", "manual_possible", "flags", "problems"]
    writer.writerow(header)
    auto_possible = sum(e.points for e in exercises if not isinstance(e, FreeTextExercise))
    manual_possible = sum(e.points for e in exercises if isinstance(e, FreeTextExercise))
    for res in results:
        row = [res.student, str(res.path)]
        for check in res.results:
            row.append("" if check.status == "manual" else f"{check.points:g}")
        row += [f"{res.auto_points:g}", f"{auto_possible:g}", f"{manual_possible:g}",
                "; ".join(res.flags), "; ".join(res.problems)]
        writer.writerow(row)
    return buf.getvalue()


def grade(solution: Path, submissions: list[str], args) -> list[StudentResult]:
    """Grade every submission; return the results (writes nothing)."""
    code = set_code_of(solution)
    exercises = load_set(code)
    paths = expand(submissions, Path(solution).name)
    subs = []
    for path, student in zip(paths, student_ids(paths, Path(solution).name)):
        try:
            data = path.read_bytes()
        except OSError as exc:
            data = f"unreadable: {exc}".encode()
        subs.append(Submission(student, path, data))
    workers = args.workers or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda s: grade_submission(s, exercises, args), subs))


def write_outputs(results: list[StudentResult], exercises: list[Exercise], set_code: str, args) -> None:
    out = Path(args.out)
    feedback_dir = Path(args.feedback) if args.feedback else out.parent / "feedback"
    for res in results:
        text = feedback_markdown(res, exercises, set_code)
        if args.format == "html":
            atomic_write(feedback_dir / f"{res.student}.html", feedback_html(text))
        else:
            atomic_write(feedback_dir / f"{res.student}.md", text)
        if args.gradescope:
            atomic_write(Path(args.gradescope) / res.student / "results.json", gradescope_json(res))
    atomic_write(out, gradebook_csv(results, exercises))  # last, and all at once


def defaults(**overrides) -> argparse.Namespace:
    """The grading options with their command-line defaults (for use from Python and tests)."""
    from ..cli import build_parser

    ns = build_parser().parse_args(["grade", "x", "y"])
    for key, value in overrides.items():
        setattr(ns, key, value)
    return ns


def main(args: argparse.Namespace) -> int:
    start = time.monotonic()
    solution = Path(args.solution)
    try:
        code = set_code_of(solution)
        exercises = load_set(code)
        out = Path(args.out)
        for p in expand(args.submissions, solution.name):
            if p.resolve() == out.resolve():
                raise GradeError(f"--out {out} is one of the submissions: choose another file")
        results = grade(solution, args.submissions, args)
    except (GradeError, ValueError) as exc:
        print(f"cryptocourse grade: {exc}", file=sys.stderr)
        return 2
    write_outputs(results, exercises, code, args)
    auto_possible = sum(e.points for e in exercises if not isinstance(e, FreeTextExercise))
    width = max(len(r.student) for r in results)
    for res in results:
        note = f"  ⚑ {len(res.flags)} flag(s)" if res.flags else ""
        note += f"  ⚠ {res.problems[0][:70]}" if res.problems else ""
        print(f"{res.student:<{width}}  {res.auto_points:>5g} / {auto_possible:g}{note}")
    feedback_dir = Path(args.feedback) if args.feedback else Path(args.out).parent / "feedback"
    print(f"\ngraded {len(results)} submission(s) in {time.monotonic() - start:.1f} s -> {args.out}; "
          f"feedback in {feedback_dir}/")
    return 0
