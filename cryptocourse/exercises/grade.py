"""Grade a class in one command: ``cryptocourse grade SOLUTION SUBMISSIONS... --out gradebook.csv``.

Built for a class you do not trust (``tests/test_hostile_class.py`` is the proof):

* **Isolation.** Each submission runs in its own fresh kernel with a throwaway home, IPython and
  Jupyter folders, working folder and temp folder. As root (CI, a container) the kernel runs under
  its own unprivileged uid; with Landlock it can read only the Python installation, the course
  package without the exercise sets, and system folders, and write only its throwaway folder:
  solutions, other submissions, outputs and the grader's files are out of its reach. Everything it
  starts is killed when its grading ends (tracked by uid, parent chain and a per-sandbox token, new
  sessions included) and memory is capped over the whole tree, not per process (see ``_sandbox``).
* **No single submission stops the run.** Submissions are read as bytes with a size cap (a FIFO,
  a device, a folder or a 2 GB file is a problem on that row); what a kernel sends back is
  size-capped and validated; any answer value or shape is a problem on that row; the gradebook is
  always written, last and atomically.
* **Faking earns nothing.** Function exercises are also checked on hidden cases drawn for each run
  (never shown by the self-check), with expected values computed here. Answers come back over a
  pipe from a collection thread started before the notebook ran, which calls the learner's function
  on inputs sent only now; values are compared here. Importing an exercise set, opening the
  solution, calling the package's reference (by any alias, ``importlib`` included) while being
  checked, or attacking the watch is flagged and that exercise (or the whole submission) gets 0.
* **Careful with paths and options.** Options, the solution, the set and every output path are
  checked before any kernel starts (exit code 2 naming the problem); the outputs never overwrite an
  input; student names are unique and safe as file names; CSV cells cannot become formulas.

Outputs: the CSV gradebook (one row per student, one column per exercise), per-student feedback
(Markdown or HTML) and optionally Gradescope ``results.json``.
"""
from __future__ import annotations

import ast
import csv
import dataclasses
import glob
import html
import io
import json
import math
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import types
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import _sandbox, load_set
from .release import BEGIN, END, OLD_TEXT_PLACEHOLDERS, TEXT_PLACEHOLDER, atomic_write
from .spec import (CheckResult, Exercise, FreeTextExercise, FunctionExercise, ValueExercise, hidden_cases,
                   score, watched_functions)

SET_NAME = re.compile(r"^(\d\d[a-z]?)_[a-z0-9_]+\.ipynb$")
CHECK_CALL = re.compile(rb"""check\(\s*\\?["'](\d\d[a-z]?)\.\d+""")
MAX_NOTEBOOK_BYTES = 25_000_000   # a notebook bigger than this is refused, not read
MAX_WORKER_OUTPUT = 96 << 20      # what the grader keeps from one submission's worker
MAX_MESSAGE = 1000                # characters of one feedback message
GRACE_SECONDS = 15.0              # kernel start and clean-up on top of --timeout
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class GradeError(ValueError):
    """A problem with the grading request itself (not with a submission)."""


@dataclass
class Submission:
    student: str
    path: Path
    data: bytes | None = b""
    problem: str | None = None


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


# -- options --------------------------------------------------------------------------------
@dataclass
class GradeOptions:
    """How a class is graded: the options of ``cryptocourse grade`` (the command line builds one of
    these; from Python use :func:`defaults`). :func:`validate_options` checks every field."""

    solution: str = ""
    submissions: list = field(default_factory=list)
    out: str = "gradebook.csv"
    feedback: str | None = None
    format: str = "md"
    gradescope: str | None = None
    workers: int = 0
    cell_timeout: float = 30.0
    timeout: float = 300.0
    memory_mb: int = 4096
    zero_flagged: bool = False


def _option_error(option: str, why: str, value) -> GradeError:
    return GradeError(f"{option} {why} (got {value!r})")


def validate_options(args) -> None:
    """Every grading option, checked before anything runs: GradeError names the bad one."""
    for option, attr in (("--cell-timeout", "cell_timeout"), ("--timeout", "timeout")):
        value = getattr(args, attr)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or not 0 < value <= 86_400:
            raise _option_error(option, "must be a number of seconds above 0 and at most 86400", value)
    memory = args.memory_mb
    if isinstance(memory, bool) or not isinstance(memory, int) or not 256 <= memory <= 1 << 20:
        raise _option_error("--memory-mb", "must be a whole number of MiB from 256 up", memory)
    workers = args.workers
    if isinstance(workers, bool) or not isinstance(workers, int) or not 0 <= workers <= 64:
        raise _option_error("--workers", "must be a whole number from 0 (one per CPU core) to 64", workers)
    if args.format not in ("md", "html"):
        raise _option_error("--format", "must be md or html", args.format)
    for option, attr in (("--out", "out"), ("--feedback", "feedback"), ("--gradescope", "gradescope")):
        value = getattr(args, attr)
        if value is not None and (not isinstance(value, (str, os.PathLike)) or not str(value).strip()):
            raise _option_error(option, "must be a path", value)


# -- finding submissions ------------------------------------------------------------------
def set_code_of(solution: Path) -> str:
    match = SET_NAME.match(Path(solution).name)
    if not match:
        raise GradeError(f"solution must be an exercise notebook named like 01_money_math.ipynb (got {solution})")
    return match.group(1)


def set_codes_in(data: bytes) -> set[str]:
    """Exercise sets a notebook's ``check("NN.K", ...)`` calls refer to."""
    return {m.decode() for m in CHECK_CALL.findall(data)}


def check_solution(solution: Path) -> str:
    """The set code of a usable solution notebook, else GradeError."""
    code = set_code_of(solution)
    data, why = _sandbox.read_regular_file(solution, MAX_NOTEBOOK_BYTES)
    if data is None:
        if not os.path.lexists(solution):
            raise GradeError(f"solution: no such file {solution}")
        raise GradeError(f"solution {solution}: {why}")
    try:
        notebook = json.loads(data.decode("utf-8"))
        if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
            raise ValueError("no list of cells")
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise GradeError(f"solution {solution} is not a notebook ({str(exc)[:100]})") from None
    codes = set_codes_in(data)
    if codes and code not in codes:
        raise GradeError(f"solution {solution}: its checks are for set {', '.join(sorted(codes))}, "
                         f"but its name says set {code}")
    load_set(code)  # raises ValueError for a set the package does not have
    return code


def expand(patterns: list[str], solution_name: str) -> list[Path]:
    """Files from paths, folders (searched recursively for *.ipynb) and globs, sorted, de-duplicated.

    Whatever matches is kept, even a FIFO or a folder named ``x.ipynb``: it becomes a problem on its
    row rather than a surprise later.
    """
    found: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir() and not path.name.endswith(".ipynb"):
            found += [p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
        elif os.path.lexists(path):
            found.append(path)
        else:
            matches = [Path(p) for p in glob.glob(pattern, recursive=True)]
            if not matches:
                raise GradeError(f"submissions: nothing matches {pattern!r}")
            found += [p for p in matches if p.name.endswith(".ipynb")]
    unique: dict = {}
    for p in found:
        try:
            key = p.resolve()
        except (OSError, RuntimeError):
            key = p.absolute()
        unique.setdefault(key, p)
    paths = sorted(unique.values(), key=lambda p: os.fsencode(p))
    if not paths:
        raise GradeError("submissions: no .ipynb files found")
    return paths


def safe_text(text: str) -> str:
    """``text`` that encodes as UTF-8 (undecodable file-name bytes shown as \\xNN)."""
    return os.fsencode(text).decode("utf-8", "backslashreplace") if isinstance(text, str) else str(text)


def student_ids(paths: list[Path], solution_name: str) -> list[str]:
    """A safe, unique name per submission: the file name, or its folder when the file keeps the set's name.

    Names use letters, digits and ``_.@-`` only, never start with a dot or a formula character, and
    are unique even ignoring case (``dup``, ``dup__2``, ...; an existing ``dup__2`` is skipped).
    """
    names = []
    for p in paths:
        name = p.name[:-6] if p.name.endswith(".ipynb") else p.name
        if p.name == solution_name or SET_NAME.match(p.name):
            name = p.parent.name or name
        name = re.sub(r"[^\w.@-]+", "_", safe_text(name).replace("\\x", "x"))
        name = name.lstrip(".-+=@_") or "student"
        names.append(name[:80])
    counts: dict[str, int] = {}
    for name in names:
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
    taken = {n.lower() for n in names if counts[n.lower()] == 1}
    out, seen = [], {}
    for name in names:
        if counts[name.lower()] == 1:
            out.append(name)
            continue
        k = seen.get(name.lower(), 0)
        while True:
            k += 1
            candidate = f"{name}__{k}"
            if candidate.lower() not in taken:
                break
        seen[name.lower()] = k
        taken.add(candidate.lower())
        out.append(candidate)
    return out


# -- static analysis ----------------------------------------------------------------------
def _code_cells(notebook: dict) -> list[str]:
    out = []
    for cell in notebook.get("cells", []):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            src = cell.get("source", "")
            if isinstance(src, list):
                src = "".join(s for s in src if isinstance(s, str))
            out.append(src if isinstance(src, str) else "")
    return out


def reference_calls(notebook: dict, exercises: list[Exercise]) -> dict[str, str]:
    """Exercises whose function merely calls the package's reference implementation."""
    aliases: dict[str, str] = {}  # local name -> dotted cryptocourse name
    defs: dict[str, ast.FunctionDef] = {}
    for source in _code_cells(notebook):
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
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
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue
        src = cell.get("source", "")
        text = "".join(s for s in src if isinstance(s, str)) if isinstance(src, list) else src
        if not isinstance(text, str):
            continue
        match = ANSWER_LINE.search(text)
        if not match:
            continue
        body = text[match.end():].replace(BEGIN, "").replace(END, "").strip()
        answers[match.group(1)] = "" if (not body or body == TEXT_PLACEHOLDER or body in OLD_TEXT_PLACEHOLDERS) else body[:20_000]
    return answers


# -- what one run checks --------------------------------------------------------------------
@dataclass(frozen=True)
class _GradedFunction(FunctionExercise):
    """A function exercise with this run's hidden cases appended and its expected outcomes cached."""

    expected_outcomes: tuple = ()

    def expected(self) -> list[dict]:
        return [dict(o) for o in self.expected_outcomes]


@dataclass(frozen=True)
class _GradedValue(ValueExercise):
    expected_outcomes: tuple = ()

    def expected(self) -> list[dict]:
        return [dict(o) for o in self.expected_outcomes]


@dataclass
class Plan:
    """Everything the run checks, computed once in the grader: cases, expected values, watched functions."""

    code: str
    exercises: list[Exercise]
    graded: dict[str, Exercise]
    requests: list[dict]
    watch: list[dict]
    hidden: dict[str, int]


def _fields(ex: Exercise) -> dict:
    return {f.name: getattr(ex, f.name) for f in dataclasses.fields(ex) if f.init}


def make_plan(code: str, exercises: list[Exercise], seed: int | None = None) -> Plan:
    seed = secrets.randbits(64) if seed is None else seed
    graded: dict[str, Exercise] = {}
    requests, watch, hidden = [], {}, {}
    for ex in exercises:
        if isinstance(ex, FunctionExercise):
            extra = hidden_cases(ex, random.Random(f"{seed}:{ex.id}"))
            cases = list(ex.cases) + extra
            hidden[ex.id] = len(extra)
            try:
                expected = dataclasses.replace(ex, cases=cases).expected()
            except Exception as exc:  # noqa: BLE001 - a broken exercise set, not a student's fault
                raise GradeError(f"exercise {ex.id}: its reference fails on its own cases ({exc})") from None
            graded[ex.id] = _GradedFunction(**dict(_fields(ex), cases=cases), expected_outcomes=tuple(expected))
            requests.append({"id": ex.id, "name": ex.name, "kind": "function",
                             "cases": [{"args": _portable(list(c.args)), "kwargs": _portable(dict(c.kwargs))}
                                       for c in cases]})
        elif isinstance(ex, ValueExercise):
            try:
                expected = ex.expected()
            except Exception as exc:  # noqa: BLE001
                raise GradeError(f"exercise {ex.id}: its expected value cannot be computed ({exc})") from None
            graded[ex.id] = _GradedValue(**_fields(ex), expected_outcomes=tuple(expected))
            requests.append({"id": ex.id, "name": ex.name, "kind": "value"})
        else:
            continue
        for function in watched_functions(ex):
            qualname = getattr(function, "__qualname__", "")
            if "<" in qualname:
                continue
            label = f"{function.__module__}.{qualname}"
            item = watch.setdefault(label, {"module": function.__module__, "qualname": qualname, "label": label,
                                            "exercises": []})
            item["exercises"].append({"id": ex.id, "kind": ex.kind})
    return Plan(code, exercises, graded, requests, list(watch.values()), hidden)


def _portable(value, depth: int = 0):
    """A case argument as JSON the kernel can rebuild (see ``_kernel_boot._decode``)."""
    if depth > 50:
        raise GradeError("a case argument is nested too deeply to send")
    t = type(value)
    if value is None or t in (bool, int, str):
        return value
    if t is float:
        return value if math.isfinite(value) else {"$": "float", "v": repr(value)}
    if t is list:
        return [_portable(v, depth + 1) for v in value]
    if t is tuple:
        return {"$": "tuple", "v": [_portable(v, depth + 1) for v in value]}
    if t is dict:
        if all(type(k) is str for k in value) and "$" not in value:
            return {k: _portable(v, depth + 1) for k, v in value.items()}
        return {"$": "dict", "v": [[_portable(k, depth + 1), _portable(v, depth + 1)] for k, v in value.items()]}
    if t is bytes:
        return {"$": "bytes", "v": value.hex()}
    if isinstance(value, types.ModuleType):
        return {"$": "module", "v": value.__name__}
    if getattr(t, "__module__", "") == "numpy":
        if hasattr(value, "shape") and hasattr(value, "tolist") and t.__name__ == "ndarray":
            return {"$": "nd", "dtype": str(value.dtype), "shape": list(value.shape),
                    "v": _portable(value.ravel().tolist(), depth + 1)}
        if hasattr(value, "item"):
            return {"$": "np", "dtype": str(value.dtype), "v": _portable(value.item(), depth + 1)}
    if isinstance(value, types.FunctionType):
        return _portable_function(value, depth)
    raise GradeError(f"a case argument of type {t.__name__} cannot be sent to the kernel")


def _portable_function(function: types.FunctionType, depth: int):
    """A function from an exercise set (e.g. a game for Shapley values), sent as its source."""
    import inspect
    import textwrap

    module = function.__module__ or ""
    if not re.search(r"\.exercises\.set\w+$", module):
        return {"$": "import", "module": module, "name": function.__qualname__}
    if function.__closure__:
        raise GradeError(f"case function {function.__qualname__} has a closure and cannot be sent")
    names: set[str] = set()
    stack = [function.__code__]
    while stack:
        code = stack.pop()
        names.update(code.co_names)
        stack += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    env = {}
    for name in sorted(names):
        if name not in function.__globals__:
            continue
        item = function.__globals__[name]
        if isinstance(item, types.ModuleType) or isinstance(item, types.FunctionType):
            env[name] = _portable(item, depth + 1)
        elif callable(item):
            env[name] = {"$": "import", "module": getattr(item, "__module__", ""),
                         "name": getattr(item, "__qualname__", name)}
        else:
            env[name] = _portable(item, depth + 1)
    return {"$": "fn", "name": function.__name__, "src": textwrap.dedent(inspect.getsource(function)), "env": env}


# -- the sandbox of one run -----------------------------------------------------------------
_ETC = ["ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "passwd", "group", "nsswitch.conf",
        "host.conf", "hosts", "resolv.conf", "gai.conf", "fonts", "mime.types", "matplotlibrc", "os-release",
        "alternatives", "protocols", "services", "locale.alias"]
_SYSTEM = ["/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin", "/proc", "/sys"]


class Run:
    """The grader's private folder, the isolation available, and what kernels may and may not touch."""

    def __init__(self, args, solution: Path, inputs: list[Path]) -> None:
        self.iso = _sandbox.Isolation.detect()
        self.dir = Path(tempfile.mkdtemp(prefix="cc-grade-"))
        os.chmod(self.dir, 0o711 if self.iso.uid_mode else 0o700)
        self.package = Path(__file__).resolve().parent.parent
        self.trusted = sorted(set(_sandbox.interpreter_paths()) | {"/usr", "/lib", "/lib64", "/bin", "/sbin"})
        forbidden = {str(self.dir)}
        for path in [solution, *inputs]:
            try:
                forbidden.add(os.path.realpath(path))
            except (OSError, ValueError):
                pass
        try:
            from ..course import REPO_ROOT

            forbidden.add(os.path.realpath(REPO_ROOT / "exercises" / "solutions"))
        except Exception:  # noqa: BLE001 - an installed package has no repository
            pass
        # a plain install carries the worked solutions inside the package (cryptocourse/_course)
        forbidden.add(os.path.realpath(self.package / "_course" / "exercises" / "solutions"))
        exercises_dir = self.package / "exercises"
        for p in list(exercises_dir.glob("set*.py")) + list((exercises_dir / "__pycache__").glob("set*")):
            forbidden.add(str(p.resolve()))
        for option in (args.out, _feedback_dir(args), args.gradescope):
            if option:
                forbidden.add(os.path.realpath(option))
        # never a folder holding the Python installation (a kernel's own box is exempted in the kernel)
        self.forbidden = sorted(f for f in forbidden if not any(_contains(f, t) for t in self.trusted))
        self.landlock_paths = self._landlock_paths() if self.iso.landlock else None
        self.previous_subreaper = _sandbox.set_child_subreaper(True) if _sandbox.LINUX else False
        self.workers: set[int] = set()
        self.lock = threading.Lock()

    def _landlock_paths(self) -> dict:
        read = list(self.trusted) + [p for p in _SYSTEM if os.path.exists(p)]
        read += [f"/etc/{name}" for name in _ETC if os.path.lexists(f"/etc/{name}")]
        read += [f"/dev/{name}" for name in ("null", "zero", "full", "random", "urandom")]
        # the package's own files are listed by the worker at each kernel start (see _sandbox.package_files)
        return {"read": read, "list": [str(self.package)], "write": ["/dev/null"]}

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        if _sandbox.LINUX:
            _sandbox._reap()
        if _sandbox.LINUX and not self.previous_subreaper:
            _sandbox.set_child_subreaper(False)


def _contains(folder: str, path: str) -> bool:
    folder = folder.rstrip(os.sep)
    return path == folder or path.startswith(folder + os.sep)


def _kernel_env(box: Path, token: str) -> dict:
    home = box / "home"
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"), "HOME": str(home), "USER": "student",
        "LOGNAME": "student", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TMPDIR": str(box / "tmp"),
        "IPYTHONDIR": str(home / ".ipython"), "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / ".local/share/jupyter"), "JUPYTER_RUNTIME_DIR": str(box / "runtime"),
        "JUPYTER_PLATFORM_DIRS": "1", "MPLCONFIGDIR": str(home / ".matplotlib"), "MPLBACKEND": "Agg",
        "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local/share"), "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0",
        "PYTHONNOUSERSITE": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "CC_GRADE_BOX": token,
    }
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


def _matplotlib_cache() -> list[Path]:
    folder = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib")
    return sorted(Path(folder).glob("fontlist-*.json"))[:4]


def _make_box(run: Run, index: int, uid: int | None) -> tuple[Path, Path]:
    private = run.dir / f"s{index}"
    private.mkdir(mode=0o711 if uid is not None else 0o700)
    box = private / "box"
    box.mkdir(mode=0o700)
    for sub in ("home", "home/.ipython", "home/.jupyter", "home/.local/share/jupyter", "home/.matplotlib",
                "home/.config", "home/.cache", "work", "tmp", "runtime"):
        (box / sub).mkdir(parents=True, exist_ok=True)
    for cache in _matplotlib_cache():
        try:
            shutil.copy(cache, box / "home/.matplotlib" / cache.name)
        except OSError:
            pass
    if uid is not None:
        for root, dirs, files in os.walk(box):
            for name in [root] + [os.path.join(root, n) for n in dirs + files]:
                os.lchown(name, uid, uid)
    return private, box


# -- running one submission ---------------------------------------------------------------
def run_one(sub: Submission, cells: list[str], plan: Plan, args, run: Run, index: int) -> tuple[list[dict], list[str]]:
    """Execute one submission in a worker and its sandboxed kernel: (worker messages, grader problems)."""
    messages: list[dict] = []
    problems: list[str] = []
    lease = _sandbox.lease_uid() if run.iso.uid_mode else None
    uid = lease.uid if lease else None
    proc: subprocess.Popen | None = None
    private = run.dir / f"s{index}"
    seen: set[int] = set()
    stderr_tail = bytearray()
    readers: list[threading.Thread] = []

    def tree() -> list[int]:
        table = _sandbox.processes()
        pids = _sandbox.descendants(table, proc.pid) if proc is not None else set()
        if uid is not None:
            pids |= {p.pid for p in table.values() if p.uid == uid}
        else:  # adopted by the grader (a subreaper) after the worker died
            pids |= {pid for pid in seen if pid in table and table[pid].ppid == os.getpid()}
        seen.update(pids)
        return [pid for pid in pids if (proc is None or pid != proc.pid) and pid in table and not table[pid].zombie]

    try:
        token = secrets.token_hex(16)
        private, box = _make_box(run, index, uid)
        request = {
            "cells": cells, "cell_timeout": float(args.cell_timeout), "timeout": float(args.timeout),
            "box": str(box), "uid": uid, "read_cap": run.iso.read_cap, "landlock": run.iso.landlock,
            "landlock_paths": run.landlock_paths, "seccomp": run.iso.seccomp,
            "memory_bytes": int(args.memory_mb) << 20, "file_bytes": 256 << 20, "max_processes": 256,
            "forbidden": run.forbidden, "trusted": run.trusted, "watch": plan.watch,
            "limits": {"chars": 2_000_000, "items": 200_000}, "exercises": plan.requests,
            "env": _kernel_env(box, token), "token": token,
        }
        cap = int(args.memory_mb) << 20
        proc = subprocess.Popen(
            [sys.executable, "-m", "cryptocourse.exercises._worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=str(private), start_new_session=True,
            env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
        _sandbox.protect(proc.pid)
        with run.lock:
            run.workers.add(proc.pid)
        readers = [threading.Thread(target=_read_messages, args=(proc.stdout, messages), daemon=True),
                   threading.Thread(target=_read_tail, args=(proc.stderr, stderr_tail), daemon=True)]
        for t in readers:
            t.start()
        try:
            proc.stdin.write(json.dumps(request, allow_nan=False).encode())
            proc.stdin.close()
        except OSError:
            pass
        hard_deadline = time.monotonic() + float(args.timeout) + GRACE_SECONDS
        over_memory = False
        while proc.poll() is None:
            try:
                proc.wait(timeout=0.25)
                break
            except subprocess.TimeoutExpired:
                pass
            if time.monotonic() > hard_deadline:
                problems.append(f"the whole submission ran longer than {args.timeout:g} s and was stopped; "
                                "the answers checked before that count")
                break
            if _sandbox.LINUX:
                pids = tree()
                used = sum(_sandbox.memory_bytes(pid) for pid in pids)
                if used > cap:  # stop what is there now (not the kernel the worker starts next)
                    over_memory = True
                    _sandbox.kill_until_gone(_family(set(pids)))
        if over_memory:
            problems.append(f"its processes together used more than {args.memory_mb} MiB; they were stopped "
                            "(the cell that did it was skipped)")
    finally:
        if proc is not None and proc.poll() is None:
            try:
                os.kill(proc.pid, 19)  # SIGSTOP: it starts nothing new while its tree is killed
            except OSError:
                pass
        if _sandbox.LINUX:
            _sandbox.kill_until_gone(tree)
        if proc is not None:
            for kill in (lambda: os.killpg(proc.pid, 9), proc.kill):
                try:
                    kill()
                except OSError:
                    pass
            proc.wait()
            _sandbox.unprotect(proc.pid)
        if _sandbox.LINUX:
            _sandbox.kill_until_gone(tree)
        if lease:
            lease.release()
        for t in readers:
            t.join(timeout=5)
        if proc is not None:
            with run.lock:
                run.workers.discard(proc.pid)
        shutil.rmtree(private, ignore_errors=True)
    if not any(m.get("t") == "done" for m in messages):
        fatal = [m.get("text", "") for m in messages if m.get("t") == "fatal"]
        if fatal:
            problems.append(f"the notebook could not be run ({str(fatal[0])[:200]})")
        elif not problems:
            tail = bytes(stderr_tail).decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
            problems.append(f"the notebook could not be run ({tail[0][:200]})")
    return messages, problems


def _family(victims: set[int]):
    """A selector for ``kill_until_gone``: these processes and whatever they start meanwhile."""
    def select() -> list[int]:
        table = _sandbox.processes()
        for pid in list(victims):
            victims.update(_sandbox.descendants(table, pid))
        return [pid for pid in victims if pid in table and not table[pid].zombie]
    return select


def _read_messages(stream, messages: list) -> None:
    total = 0
    for line in iter(lambda: stream.readline(MAX_WORKER_OUTPUT), b""):
        total += len(line)
        if total > MAX_WORKER_OUTPUT:
            messages.append({"t": "note", "text": "the grader's worker sent too much; the rest was ignored"})
            for _ in iter(lambda: stream.read(1 << 16), b""):
                pass
            return
        try:
            message = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(message, dict):
            messages.append(message)


def _read_tail(stream, tail: bytearray) -> None:
    for chunk in iter(lambda: stream.read1(1 << 16), b""):
        tail += chunk
        del tail[:-8192]


_OUTCOME_KEYS = {"value", "raised", "message", "not_plain", "not_implemented", "missing", "not_callable"}


def _plain_ok(value, depth: int = 0) -> bool:
    if depth > 30:
        return False
    t = type(value)
    if value is None or t in (bool, str, float):
        return True
    if t is int:
        return value.bit_length() <= 1100
    if t is list:
        return all(_plain_ok(v, depth + 1) for v in value)
    if t is dict:
        return all(type(k) is str and _plain_ok(v, depth + 1) for k, v in value.items())
    return False


def validate_outcomes(raw, cases: int) -> list[dict] | None:
    """Outcomes as the collection thread writes them, or None if they could not have come from it."""
    if type(raw) is not list or not 1 <= len(raw) <= max(cases, 1):
        return None
    out = []
    for o in raw:
        if type(o) is not dict or not o or not set(o) <= _OUTCOME_KEYS:
            return None
        if "value" in o:
            if len(o) != 1 or not _plain_ok(o["value"]):
                return None
        elif "raised" in o:
            if type(o["raised"]) is not str or type(o.get("message", "")) is not str or set(o) - {"raised", "message"}:
                return None
            o = {"raised": o["raised"][:100], "message": o.get("message", "")[:300]}
        elif len(o) != 1 or not (o.get("not_implemented") is True or o.get("missing") is True
                                 or type(o.get("not_plain")) is str or type(o.get("not_callable")) is str):
            return None
        out.append(o)
    return out


def _safe_score(exercise: Exercise, outcomes: list[dict]) -> CheckResult:
    try:
        result = score(exercise, outcomes, show_failures=3, show_hint=True)
    except Exception as exc:  # noqa: BLE001 - an answer no comparison survives is a wrong answer
        result = CheckResult(exercise.id, exercise.title, "failed", 0.0, float(exercise.points),
                             hint=exercise.hint, nudge=exercise.nudge, show_hint=True)
        result.messages.append(f"The answer could not be compared with the expected one ({type(exc).__name__}).")
    result.messages = [m if len(m) <= MAX_MESSAGE else m[:MAX_MESSAGE - 3] + "..." for m in result.messages]
    return result


def _notebook_of(sub: Submission) -> tuple[dict | None, str | None]:
    if sub.data is None:
        return None, sub.problem
    try:
        notebook = json.loads(sub.data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError, MemoryError) as exc:
        return None, f"not a valid notebook file ({str(exc)[:120]})"
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return None, "not a valid notebook file (it has no list of cells)"
    return notebook, None


def grade_submission(sub: Submission, plan: Plan, args, run: Run, index: int) -> StudentResult:
    """Grade one submission (never raises: problems are recorded on the result)."""
    result = StudentResult(sub.student, sub.path)
    try:
        return _grade_submission(sub, plan, args, run, index, result)
    except Exception as exc:  # noqa: BLE001 - one submission never stops the class
        result.problems.append(f"grading failed ({type(exc).__name__}: {str(exc)[:200]}); nothing could be graded")
        result.results = [score(e, [] if isinstance(e, FreeTextExercise) else [{"missing": True}])
                          for e in plan.exercises]
        return result


def _grade_submission(sub: Submission, plan: Plan, args, run: Run, index: int, result: StudentResult) -> StudentResult:
    exercises = plan.exercises
    notebook, why = _notebook_of(sub)
    if notebook is None:
        result.problems.append(f"{why}; nothing could be graded")
        result.results = [score(e, [] if isinstance(e, FreeTextExercise) else [{"missing": True}]) for e in exercises]
        return result
    codes = set_codes_in(sub.data or b"")
    if codes and plan.code not in codes:
        result.problems.append(f"this notebook checks exercises of set {', '.join(sorted(codes))}, not set "
                               f"{plan.code}: is it the right file?")
    result.free_text = free_text_answers(notebook)
    flags: list[tuple[str, str, str]] = [(ex_id, "reference", text)
                                         for ex_id, text in reference_calls(notebook, exercises).items()]
    start = time.monotonic()
    messages, problems = run_one(sub, _code_cells(notebook), plan, args, run, index)
    result.seconds = time.monotonic() - start
    outcomes: dict[str, list] = {}
    for m in messages:
        kind = m.get("t")
        if kind == "outcomes" and isinstance(m.get("id"), str) and m["id"] not in outcomes:
            outcomes[m["id"]] = m.get("outcomes")
        elif kind == "note" and isinstance(m.get("text"), str):
            result.problems.append(m["text"][:300])
        elif kind == "errors" and isinstance(m.get("errors"), list) and m["errors"]:
            errors = [str(e)[:300] for e in m["errors"]]
            result.problems.append(f"{len(errors)} cell(s) raised an error, e.g. {errors[0]}")
        elif kind == "flag" and all(isinstance(m.get(k), str) for k in ("scope", "severity", "text")):
            flags.append((m["scope"], m["severity"], m["text"][:400]))
    result.problems += problems
    for ex in exercises:
        if isinstance(ex, FreeTextExercise):
            check = score(ex, [])
            if not result.free_text.get(ex.id):
                check.messages.append("No answer written yet.")
            result.results.append(check)
            continue
        graded = plan.graded[ex.id]
        n_cases = len(getattr(graded, "cases", ())) or 1
        raw = outcomes.get(ex.id)
        if raw is None:
            valid = [{"missing": True}]
        else:
            valid = validate_outcomes(raw, n_cases)
            if valid is None:
                flags.append(("*", "tamper", f"the answers to {ex.id} did not come from the grader's collector"))
                valid = [{"missing": True}]
        check = _safe_score(graded, valid)
        mine = [(sev, text) for scope, sev, text in flags if scope in (ex.id, "*")]
        withheld = [text for sev, text in mine if sev in ("reference", "tamper")]
        review = [text for sev, text in mine if sev == "review"]
        check.messages += [f"⚑ {text}" for text in withheld + review][:5]
        if check.points and (withheld or (review and args.zero_flagged)):
            check.points = 0.0
            check.messages.append("0 points: the grader found the flag above; your own code must compute the answer.")
        result.results.append(check)
    for scope, severity, text in flags:
        entry = f"{'all' if scope == '*' else scope}: {text}" + ("" if severity != "review" else " (review)")
        if entry not in result.flags:
            result.flags.append(entry)
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
    if res.flags:
        lines += ["## Flags", ""] + [f"- {f}" for f in res.flags] + [""]
    lines += ["## Exercises", ""]
    for check in res.results:
        text = check.text().splitlines()
        lines.append(f"### {text[0]}")
        lines += [""] + [f"    {t}" for t in text[1:]] + [""]
        if check.status == "manual":
            answer = res.free_text.get(check.exercise_id, "")
            lines += ["Your answer:", ""] + ([f"> {line}" for line in answer.splitlines()] or ["> (none)"]) + [""]
    return safe_text("\n".join(lines) + "\n")


def feedback_html(markdown_text: str) -> str:
    body = html.escape(markdown_text)
    return (f"<!doctype html><meta charset='utf-8'><title>Feedback</title>"
            f"<pre style='font-family:system-ui,sans-serif;white-space:pre-wrap'>{body}</pre>\n")


def gradescope_json(res: StudentResult) -> str:
    tests = []
    for check in res.results:
        entry = {"name": f"{check.exercise_id} {check.title}", "max_score": check.possible,
                 "output": safe_text(check.text())}
        if check.status != "manual":
            entry["score"] = check.points
            entry["status"] = "passed" if check.status == "passed" else "failed"
        else:
            entry["score"] = 0
            entry["output"] += "\n(graded by hand)"
        tests.append(entry)
    return json.dumps({"score": res.auto_points, "tests": tests,
                       "output": safe_text("\n".join(res.problems + res.flags))}, indent=2) + "\n"


def neutralise(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading ``= + - @``, tab or CR gets a ``'`` in front."""
    cell = safe_text(cell)
    return "'" + cell if cell.startswith(FORMULA_START) else cell


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
        row = [neutralise(res.student), neutralise(str(res.path))]
        for check in res.results:
            row.append("" if check.status == "manual" else f"{check.points:g}")
        row += [f"{res.auto_points:g}", f"{auto_possible:g}", f"{manual_possible:g}",
                neutralise("; ".join(res.flags)[:4000]), neutralise("; ".join(res.problems)[:4000])]
        writer.writerow(row)
    return buf.getvalue()


def _feedback_dir(args) -> Path:
    return Path(args.feedback) if args.feedback else Path(args.out).parent / "feedback"


def planned_outputs(args, students: list[str]) -> list[Path]:
    """Every file the outputs will be: the gradebook, a feedback file and a Gradescope file per student."""
    paths = [Path(args.out)]
    suffix = ".html" if args.format == "html" else ".md"
    paths += [_feedback_dir(args) / f"{s}{suffix}" for s in students]
    if args.gradescope:
        paths += [Path(args.gradescope) / s / "results.json" for s in students]
    return paths


def check_outputs(args, inputs: list[Path], students: list[str]) -> None:
    """Before grading: the outputs can be written, and none of them is an input. GradeError if not."""
    inputs_real = set()
    for p in inputs:
        try:
            inputs_real.add(os.path.realpath(p))
        except (OSError, ValueError):
            pass
    for option, folder in (("--out", Path(args.out).parent), ("--feedback", _feedback_dir(args)),
                           ("--gradescope", Path(args.gradescope) if args.gradescope else None)):
        if folder is None:
            continue
        folder = folder if str(folder) else Path(".")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(prefix=".cc-write-test-", dir=folder)
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            raise GradeError(f"{option}: cannot write in {folder} ({exc.strerror or exc})") from None
    if Path(args.out).is_dir():
        raise GradeError(f"--out {args.out} is a folder: name the CSV file to write")
    folders = [os.path.realpath(_feedback_dir(args))] + ([os.path.realpath(args.gradescope)] if args.gradescope else [])
    for i, path in enumerate(planned_outputs(args, students)):
        real = os.path.realpath(path)
        if real in inputs_real:
            what = "--out" if i == 0 else "output file"
            raise GradeError(f"{what} {path} is one of the inputs (the solution or a submission): choose another path")
        if i and not any(_contains(folder, real) and real != folder for folder in folders):
            raise GradeError(f"output file {path} would land outside --feedback/--gradescope")


def read_submissions(paths: list[Path], names: list[str]) -> list[Submission]:
    subs = []
    for path, student in zip(paths, names, strict=True):
        data, why = _sandbox.read_regular_file(path, MAX_NOTEBOOK_BYTES)
        subs.append(Submission(student, path, data, why))
    return subs


def grade(solution: Path, submissions: list[str], args, *, seed: int | None = None) -> list[StudentResult]:
    """Grade every submission; return the results (writes nothing but its own temporary folder)."""
    validate_options(args)
    solution = Path(solution)
    code = check_solution(solution)
    exercises = load_set(code)
    paths = expand(submissions, solution.name)
    subs = read_submissions(paths, student_ids(paths, solution.name))
    mentioned = [set_codes_in(s.data) for s in subs if s.data]
    if mentioned and not any(code in m for m in mentioned):
        others = sorted(set().union(*mentioned))
        if others:
            raise GradeError(f"the submissions check exercises of set {', '.join(others)}, but the solution "
                             f"{solution.name} is set {code}: grade them with that set's solution")
    plan = make_plan(code, exercises, seed)
    run = Run(args, solution, paths)
    try:
        workers = args.workers or os.cpu_count() or 1
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(lambda item: grade_submission(item[1], plan, args, run, item[0]),
                                 enumerate(subs)))
    finally:
        run.close()


def write_outputs(results: list[StudentResult], exercises: list[Exercise], set_code: str, args) -> None:
    check_outputs(args, [r.path for r in results], [r.student for r in results])
    feedback_dir = _feedback_dir(args)
    for res in results:
        text = feedback_markdown(res, exercises, set_code)
        if args.format == "html":
            atomic_write(feedback_dir / f"{res.student}.html", feedback_html(text))
        else:
            atomic_write(feedback_dir / f"{res.student}.md", text)
        if args.gradescope:
            atomic_write(Path(args.gradescope) / res.student / "results.json", gradescope_json(res))
    atomic_write(Path(args.out), gradebook_csv(results, exercises))  # last, and all at once


def defaults(**overrides) -> GradeOptions:
    """The grading options with their command-line defaults, some replaced (for Python and tests)."""
    known = {f.name for f in dataclasses.fields(GradeOptions)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise TypeError(f"grading options must be among {', '.join(sorted(known))} (got {', '.join(unknown)})")
    return GradeOptions(**overrides)


def main(args: GradeOptions) -> int:
    start = time.monotonic()
    solution = Path(args.solution)
    try:
        validate_options(args)
        code = check_solution(solution)
        exercises = load_set(code)
        paths = expand(args.submissions, solution.name)
        check_outputs(args, [solution, *paths], student_ids(paths, solution.name))
        results = grade(solution, args.submissions, args)
        write_outputs(results, exercises, code, args)
    except (GradeError, ValueError) as exc:
        print(f"cryptocourse grade: {safe_text(str(exc))}", file=sys.stderr)
        return 2
    auto_possible = sum(e.points for e in exercises if not isinstance(e, FreeTextExercise))
    width = max(len(r.student) for r in results)
    lines = []
    for res in results:
        note = f"  ⚑ {len(res.flags)} flag(s)" if res.flags else ""
        note += f"  ⚠ {res.problems[0][:70]}" if res.problems else ""
        lines.append(f"{res.student:<{width}}  {res.auto_points:>5g} / {auto_possible:g}{note}")
    iso = _sandbox.Isolation.detect()
    lines.append(f"\ngraded {len(results)} submission(s) in {time.monotonic() - start:.1f} s -> {args.out}; "
                 f"feedback in {_feedback_dir(args)}/")
    lines.append(f"sandbox: {iso.summary()}" + (f" ({'; '.join(iso.notes)})" if iso.notes else ""))
    text = safe_text("\n".join(lines)) + "\n"
    sys.stdout.buffer.write(text.encode("utf-8", "replace")) if hasattr(sys.stdout, "buffer") else print(text)
    sys.stdout.flush()
    return 0
