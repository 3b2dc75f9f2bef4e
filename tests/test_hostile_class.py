"""A class that attacks the grader, graded in one run (issue 19).

Every attack a student who reads the grader's source might try is one submission of set 01, with a
correct student before and after each. One ``grade`` run grades them all (two at a time); the tests
then check that:

* every correct student gets full marks with no flag and no problem, whatever ran next to them;
* every attacker gets no more than it earned honestly (0 where it implemented nothing), with the
  attack flagged or written down as a problem;
* no process of the class is left when grading ends, whatever it detached or forked;
* every file outside the outputs is unchanged (the submissions, the solution, a fake home with an
  IPython startup folder, a "victim" file), and nothing of the kernels' is left in /tmp;
* the gradebook is written, one row per submission, with file names of any kind;
* the grader's own memory does not grow with what students print or return.

Which of these hold depends on what the machine offers (``_sandbox.Isolation.detect``): the file
and process guarantees need the kernels contained (their own uid as root, or Landlock); without
that, those tests are skipped and the README says a container is needed.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import resource
import secrets
import socket
import stat
import time
from pathlib import Path

import pytest

from cryptocourse.exercises import _sandbox, load_set
from cryptocourse.exercises import grade as grading
from cryptocourse.exercises.release import dumps

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "exercises/solutions/01_money_math.ipynb"
LEARNER = ROOT / "exercises/01_money_math.ipynb"
FULL = 10.0
ISO = _sandbox.Isolation.detect()
CONTAINED = ISO.uid_mode or bool(ISO.landlock)
MARK = f"hostile-{secrets.token_hex(4)}"
DUMMY = {"solution": "", "victim": "", "out": "", "home": "", "others": "", "port": 0}
needs_containment = pytest.mark.skipif(not CONTAINED, reason="kernels are not contained on this machine "
                                                             "(not root and no Landlock): use a container")


# -- building notebooks -----------------------------------------------------------------------
def _load(path: Path) -> dict:
    return json.loads(path.read_text())


def _cell(source: str, n: int) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": f"h{n}", "metadata": {}, "outputs": [],
            "source": source}


def learner(*sources: str) -> dict:
    """The learner copy (nothing implemented) with extra cells at the end."""
    nb = _load(LEARNER)
    nb["cells"] += [_cell(s, i) for i, s in enumerate(sources)]
    return nb


def solution(*sources: str) -> dict:
    """The solution (everything implemented) with extra cells at the end."""
    nb = _load(SOLUTION)
    nb["cells"] += [_cell(s, i) for i, s in enumerate(sources)]
    return nb


def replaced(nb: dict, marker: str, source: str) -> dict:
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and marker in src:
            cell["source"] = source
            return nb
    raise AssertionError(f"no cell contains {marker!r}")


def lookup_table_source() -> str:
    """Functions that return the visible cases' expected answers (as read off the self-check)."""
    table = []
    for ex in load_set("01"):
        if ex.kind == "function":
            for c in ex.cases:
                value = ex.reference(*c.args, **c.kwargs)
                table.append([ex.name, repr(c.args), value.tolist() if hasattr(value, "tolist") else value])
    lines = ["import json, numpy as np", f"TABLE = {{(n, k): v for n, k, v in json.loads({json.dumps(table)!r})}}"]
    for name in ("apr_to_apy", "apy_to_apr", "real_yield", "annualized_volatility"):
        lines += [f"def {name}(*args):", f"    return TABLE.get(({name!r}, repr(args)), 0.0)"]
    return "\n".join(lines) + "\n"


def attacks(paths: dict) -> dict:
    """name -> (notebook, the most it may score, substrings its flags or problems must contain)."""
    P = {k: str(v) for k, v in paths.items()}
    others = json.dumps(P["others"].split("|"))
    return {
        # -- faking: nothing implemented honestly
        "fake_json_dumps": (learner(
            "import json\n_real = json.dumps\n"
            "def _forge(obj, *a, **k):\n    return _real(obj, *a, **k)\njson.dumps = _forge\n"
            "from cryptocourse.exercises import find\n"
            "apr_to_apy = lambda a, n=365: find('01.1').reference(a, n)\n"
            "apy_to_apr = lambda a, n=365: find('01.2').reference(a, n)\n"
            "real_yield = lambda n, i: find('01.3').reference(n, i)\n"
            "annualized_volatility = lambda p, n=365: find('01.5').reference(p, n)\n"
            "break_even_usd = find('01.4').expected_value()\n"), 0, ["exercise set"]),
        "post_run_cell_forger": (learner(
            "import os, json, stat\nfrom IPython import get_ipython\n"
            "def _forge(*a, **k):\n"
            "    fake = json.dumps([{'value': 0.1}] * 13)\n"
            "    for name in os.listdir('/proc/self/fd'):\n"
            "        try:\n"
            "            fd = int(name)\n"
            "            if stat.S_ISFIFO(os.fstat(fd).st_mode):\n"
            "                os.write(fd, ('O\\tdeadbeef\\t' + fake + '\\n').encode())\n"
            "        except (OSError, ValueError):\n"
            "            pass\n"
            "    for i in ['01.1', '01.2', '01.3', '01.4', '01.5']:\n"
            "        open(f'answer-{i}.json', 'w').write(json.dumps({'outcomes': [{'value': 0.1}]}))\n"
            "get_ipython().events.register('post_run_cell', _forge)\n"
            "get_ipython().events.register('pre_run_cell', _forge)\n"), 0, ["not asked for"]),
        "lookup_table": (learner(lookup_table_source()), 0, []),
        "importlib_reference": (learner(
            "import importlib\nF = importlib.import_module('cryptocourse.fin' + 'ance')\n"
            "def apr_to_apy(a, n=365):\n    return getattr(F, 'apr_to_' + 'apy')(a, n)\n"
            "def apy_to_apr(a, n=365):\n    return F.apy_to_apr(a, n)\n"
            "def real_yield(n, i):\n    return F.real_yield(n, i)\n"
            "def annualized_volatility(p, n=365):\n    return F.annualized_volatility(p, n)\n"
            "break_even_usd = getattr(F, 'break_even_size')(35.0, 0.08, 60)\n"), 0, ["the package's cryptocourse.finance"]),
        "alias_reference": (learner(
            "from cryptocourse.finance import apr_to_apy, apy_to_apr, real_yield, annualized_volatility\n"
            "import cryptocourse.finance as F\nbreak_even_usd = F.break_even_size(35.0, 0.08, 60)\n"), 0,
            ["the package's cryptocourse.finance"]),
        "exec_solution": (learner(
            "import json\n"
            f"for path in [{P['solution']!r}, {str(SOLUTION)!r}]:\n"
            "    try:\n"
            "        for c in json.load(open(path))['cells']:\n"
            "            if c['cell_type'] == 'code':\n"
            "                exec(''.join(c['source']), globals())\n"
            "        break\n"
            "    except Exception as exc:\n"
            "        print(exc)\n"), 0, ["tried to open"]),
        "solution_by_subprocess": (learner(
            "import subprocess, json\n"
            f"text = subprocess.run(['cat', {str(SOLUTION)!r}], capture_output=True, text=True).stdout\n"
            "for c in (json.loads(text)['cells'] if text else []):\n"
            "    if c['cell_type'] == 'code':\n"
            "        exec(''.join(c['source']), globals())\n"),
            # without Landlock a program the notebook starts can read a world-readable solution
            0 if ISO.landlock else FULL, ["started a program"]),
        "reload_reference": (learner(
            "import importlib, cryptocourse.finance as F\nF2 = importlib.reload(F)\n"
            "apr_to_apy, apy_to_apr = F2.apr_to_apy, F2.apy_to_apr\n"
            "real_yield, annualized_volatility = F2.real_yield, F2.annualized_volatility\n"), 0, ["re-read"]),
        "exec_package_source": (learner(
            "import inspect, cryptocourse.finance as F\nns = {}\n"
            "exec(compile(inspect.getsource(F), 'mine.py', 'exec'), ns)\n"
            "apr_to_apy, apy_to_apr, real_yield = ns['apr_to_apy'], ns['apy_to_apr'], ns['real_yield']\n"
            "annualized_volatility = ns['annualized_volatility']\n"), 0, ["copy of the package's own source"]),
        "code_object_theft": (learner(
            "import types, cryptocourse.finance as F\n"
            "apr_to_apy = types.FunctionType(F.apr_to_apy.__code__, F.__dict__)\n"), 0, ["watch on the reference"]),
        "gc_and_tracing": (solution(
            "import gc, sys\nfound = [o for o in gc.get_objects() if type(o).__name__ == 'function'][:3]\n"
            "sys.settrace(lambda *a: None)\nsys.settrace(None)\n"), 0, ["gc.get_objects"]),
        "fd_juggling": (learner(
            "import os, stat\n"
            "null = os.open('/dev/null', os.O_WRONLY)\n"
            "for name in os.listdir('/proc/self/fd'):\n"
            "    try:\n"
            "        fd = int(name)\n"
            "        if stat.S_ISFIFO(os.fstat(fd).st_mode):\n"
            "            os.dup2(null, fd)\n"
            "    except (OSError, ValueError):\n"
            "        pass\n"
            "import cryptocourse.finance as F\n"
            "def apr_to_apy(a, n=365):\n    return F.apr_to_apy(a, n)\n"), 0, ["the package's cryptocourse.finance"]),
        "spawn_while_checked": (learner(
            "import subprocess\n"
            "def real_yield(nominal, inflation):\n"
            f"    subprocess.Popen(['sh', '-c', 'sleep 600; : {MARK}'], start_new_session=True)\n"
            "    return (1 + nominal) / (1 + inflation) - 1\n"), 0, ["started a program"]),
        "forged_channel": (solution(
            "import os, stat\n"
            "for name in os.listdir('/proc/self/fd'):\n"
            "    try:\n"
            "        fd = int(name)\n"
            "        if not stat.S_ISFIFO(os.fstat(fd).st_mode):\n"
            "            continue\n"
            "        os.write(fd, b'O\\tnonce\\t[[1],[2]]\\n')\n"
            "        os.write(fd, b'O\\tx\\t{\"value\": 1}\\n')\n"
            "        os.write(fd, b'\\xff\\xfe garbage \\x00\\n')\n"
            "        os.write(fd, b'Q' * (9 << 20) + b'\\n')\n"
            "    except (OSError, ValueError):\n"
            "        pass\n"), 0, ["grader's channel"]),
        # -- sabotage and escape: these may keep their honest points
        "startup_sabotage": (solution(
            "import os, pathlib\n"
            "evil = 'def apr_to_apy(*a, **k):\\n    return 0.0\\nreal_yield = apy_to_apr = apr_to_apy\\n'\n"
            f"for home in [os.path.expanduser('~'), {P['home']!r}]:\n"
            "    try:\n"
            "        d = pathlib.Path(home, '.ipython/profile_default/startup')\n"
            "        d.mkdir(parents=True, exist_ok=True)\n"
            "        (d / '00-evil.py').write_text(evil)\n"
            "    except OSError as exc:\n"
            "        print(exc)\n"), FULL, []),
        "write_everything": (solution(
            "import os, glob, json, shutil\n"
            f"targets = json.loads({others!r}) + [{P['solution']!r}, {P['victim']!r}, {P['out']!r} + '/gradebook.csv']\n"
            "for t in targets:\n"
            "    for attempt in (lambda: open(t, 'w').write('forged'), lambda: os.unlink(t),\n"
            "                    lambda: os.chmod(t, 0o777), lambda: os.rename(t, t + '.x'),\n"
            "                    lambda: shutil.rmtree(os.path.dirname(t))):\n"
            "        try:\n"
            "            attempt()\n"
            "        except OSError:\n"
            "            pass\n"
            "for d in glob.glob('/tmp/cc-grade-*/**', recursive=True):\n"
            "    try:\n"
            "        open(os.path.join(d, 'evil'), 'w').write('x')\n"
            "    except OSError:\n"
            "        pass\n"
            "for p in ['/tmp/evil-' + str(os.getpid()), '/dev/shm/evil-' + str(os.getpid())]:\n"
            "    try:\n"
            "        open(p, 'w').write('x')\n"
            "    except OSError:\n"
            "        pass\n"), FULL, ["tried to open"]),
        "detached_survivors": (solution(
            "import os, subprocess\n"
            f"subprocess.Popen(['sh', '-c', 'sleep 600; : {MARK}'], start_new_session=True)\n"
            "pid = os.fork()\n"
            "if pid == 0:\n"
            "    os.setsid()\n"
            "    if os.fork() == 0:\n"
            f"        os.execv('/bin/sh', ['sh', '-c', 'sleep 6; echo forged > {P['out']}/gradebook.csv; "
            f"echo forged > {P['victim']}; sleep 600; : {MARK}'])\n"
            "    os._exit(0)\n"
            "os.waitpid(pid, 0)\n"), FULL, ["started a program"]),
        "fork_many": (solution(
            "import os\n"
            "for _ in range(300):\n"
            "    try:\n"
            "        if os.fork() == 0:\n"
            f"            os.execv('/bin/sh', ['sh', '-c', 'sleep 600; : {MARK}'])\n"
            "    except OSError:\n"
            "        break\n"), FULL, []),
        "memory_over_the_tree": (solution(
            "import os, time\nkids = []\n"
            "for _ in range(3):\n"
            "    pid = os.fork()\n"
            "    if pid == 0:\n"
            "        try:\n"
            "            hog = bytearray(700 << 20)\n"
            "            time.sleep(60)\n"
            "        finally:\n"
            "            os._exit(0)\n"
            "    kids.append(pid)\n"
            "for pid in kids:\n"
            "    os.waitpid(pid, 0)\n"), FULL, ["MiB"]),
        "print_flood": (solution(
            "import os\nchunk = 'x' * 1_000_000\n"
            "for _ in range(60):\n    print(chunk)\n"
            "for _ in range(60):\n    os.write(1, b'y' * 1_000_000)\n    os.write(2, b'z' * 1_000_000)\n"), FULL, []),
        "huge_answers": (replaced(replaced(replaced(solution(
            "break_even_usd = 'x' * 50_000_000\n"),
            "def real_yield", "def real_yield(nominal, inflation):\n    return 10**400\n"),
            "def apy_to_apr", "def apy_to_apr(apy, periods_per_year=365):\n"
                              "    x = [apy]\n    for _ in range(5000):\n        x = [x]\n    return x\n"),
            "def annualized_volatility", "def annualized_volatility(prices, periods_per_year=365):\n"
                                         "    return list(range(4_000_000))\n"), 2.0, []),
        "network": (learner(
            "import socket\n"
            "try:\n"
            f"    socket.create_connection(('127.0.0.1', {P['port']}), timeout=3).sendall(b'leak')\n"
            "except OSError as exc:\n"
            "    print(exc)\n"), 0, []),
        **({} if not (ISO.uid_mode or ISO.landlock >= 6) else {"signals": (learner(
            "import os, signal\n"
            "for target in (os.getppid(), 1, -1):\n"
            "    try:\n"
            "        os.kill(target, signal.SIGKILL)\n"
            "    except OSError as exc:\n"
            "        print(target, exc)\n"), 0, [])}),  # kill(-1) as the grader's own uid would kill everything
    }


# -- the run -------------------------------------------------------------------------------
def tree_hash(folder: Path, skip: Path) -> dict[str, str]:
    """Every entry under ``folder`` (not ``skip``): regular files by content, others by type."""
    out = {}
    for root, dirs, files in os.walk(folder):
        if Path(root) == skip or skip in Path(root).parents:
            continue
        for name in dirs + files:
            path = Path(root) / name
            if path == skip:
                continue
            info = os.lstat(path)
            key = os.fsencode(path).decode("utf-8", "backslashreplace")
            if stat.S_ISREG(info.st_mode) and info.st_size < 50_000_000:
                out[key] = hashlib.sha256(path.read_bytes()).hexdigest() + f" {oct(info.st_mode)}"
            else:
                out[key] = f"{stat.S_IFMT(info.st_mode)} {info.st_size} {oct(info.st_mode)}"
    return out


def stray_processes() -> list[str]:
    """Processes of this class still alive: by their marker, or under a sandbox uid started for us."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{name}/cmdline").read_bytes()
            status = Path(f"/proc/{name}/status").read_text()
        except OSError:
            continue
        if "State:\tZ" in status:
            continue
        if MARK.encode() in cmdline:
            found.append(f"{name}: {cmdline[:120]!r}")
    return found


def sandbox_files_in_tmp() -> list[str]:
    found = []
    for folder in ("/tmp", "/dev/shm", "/var/tmp"):
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for name in entries:
            try:
                owner = os.lstat(os.path.join(folder, name)).st_uid
            except OSError:
                continue
            if _sandbox.UID_BASE <= owner < _sandbox.UID_BASE + _sandbox.UID_COUNT or name.startswith("evil-"):
                found.append(os.path.join(folder, name))
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    subs, out, home = root / "subs", root / "out", root / "home"
    (home / ".ipython/profile_default/startup").mkdir(parents=True)
    (root / "solution").mkdir()
    solution_copy = root / "solution" / SOLUTION.name
    solution_copy.write_bytes(SOLUTION.read_bytes())
    victim = root / "victim.txt"
    victim.write_text("do not touch")
    subs.mkdir()
    correct = dumps(_load(SOLUTION))
    names = list(attacks(DUMMY))
    ok_paths = [subs / f"s{2 * i:02d}_ok.ipynb" for i in range(len(names) + 1)]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    paths = {"solution": solution_copy, "victim": victim, "out": out, "home": home,
             "others": "|".join(str(p) for p in ok_paths), "port": listener.getsockname()[1]}
    table = attacks(paths)
    for p in ok_paths:
        p.write_text(correct)
    for i, name in enumerate(names):
        (subs / f"s{2 * i + 1:02d}_{name}.ipynb").write_text(dumps(table[name][0]))
    # files of every kind
    (subs / os.fsdecode(b"zz_name_\xff\xfe.ipynb")).write_text(correct)
    os.mkfifo(subs / "zz_fifo.ipynb")
    os.symlink("/dev/zero", subs / "zz_zero.ipynb")
    (subs / "zz_folder.ipynb").mkdir()
    with open(subs / "zz_big.ipynb", "wb") as handle:
        handle.truncate(2 * 10**9)  # sparse: 2 GB to read, nothing on disk
    for folder in ("x", "y"):
        (subs / folder).mkdir()
        (subs / folder / "dup.ipynb").write_text(correct)
    (subs / "dup__1.ipynb").write_text(correct)
    (subs / "=HYPERLINK(1).ipynb").write_text(correct)
    (subs / "-minus.ipynb").write_text(correct)
    (subs / "...ipynb").write_text(correct)

    before = tree_hash(root, skip=out)
    memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    mp = pytest.MonkeyPatch()
    mp.setenv("HOME", str(home))
    start = time.monotonic()
    try:
        args = grading.defaults(out=str(out / "gradebook.csv"), gradescope=str(out / "gradescope"),
                                cell_timeout=10.0, timeout=90.0, memory_mb=1536, workers=2)
        results = grading.grade(solution_copy, [str(subs)], args)
        grading.write_outputs(results, load_set("01"), "01", args)
    finally:
        mp.undo()
    seconds = time.monotonic() - start
    memory_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    strays_at_end = stray_processes()
    time.sleep(8)  # anything that survived would now rewrite the outputs and the victim
    rows = list(csv.DictReader((out / "gradebook.csv").open(encoding="utf-8")))
    try:
        listener.accept()
        connected = True
    except BlockingIOError:
        connected = False
    listener.close()
    return {"results": results, "rows": rows, "names": names, "before": before, "after": tree_hash(root, skip=out),
            "strays": strays_at_end + stray_processes(), "tmp": sandbox_files_in_tmp(), "out": out,
            "grader_growth_mb": (memory_after - memory_before) / 1024, "seconds": seconds, "connected": connected,
            "by_student": {r.student: r for r in results}, "row": {r["student"]: r for r in rows}}


def _row(hostile, suffix: str) -> dict:
    matches = [r for name, r in hostile["row"].items() if name.endswith(suffix)]
    assert len(matches) == 1, (suffix, list(hostile["row"]))
    return matches[0]


def test_every_correct_student_gets_full_marks(hostile):
    correct = {name: r for name, r in hostile["row"].items() if name.endswith("_ok")}
    assert len(correct) == len(hostile["names"]) + 1
    for name, row in correct.items():
        assert float(row["auto_total"]) == FULL, (name, row["flags"], row["problems"])
        assert row["flags"] == "" and row["problems"] == "", (name, row["flags"], row["problems"])


@pytest.mark.parametrize("attack", list(attacks(DUMMY)))
def test_attack_earns_no_more_than_its_honest_work(hostile, attack):
    _, most, evidence = attacks(DUMMY)[attack]
    row = _row(hostile, "_" + attack)
    assert float(row["auto_total"]) <= most, (attack, row)
    said = row["flags"] + " | " + row["problems"]
    for text in evidence:
        assert text in said, (attack, said)


def test_honest_work_next_to_an_attack_still_counts(hostile):
    # the sabotage and escape attempts implement everything: contained, they keep their points
    for attack in ("startup_sabotage", "print_flood", "memory_over_the_tree", "fork_many"):
        assert float(_row(hostile, "_" + attack)["auto_total"]) == FULL, attack
    assert float(_row(hostile, "_huge_answers")["auto_total"]) == 2.0


def test_memory_cap_is_over_the_whole_tree(hostile):
    assert "together used more than 1536 MiB" in _row(hostile, "_memory_over_the_tree")["problems"]


@needs_containment
def test_no_process_survives_grading(hostile):
    assert hostile["strays"] == []


@needs_containment
def test_every_file_outside_the_outputs_is_unchanged(hostile):
    changed = {k for k in set(hostile["before"]) | set(hostile["after"])
               if hostile["before"].get(k) != hostile["after"].get(k)}
    assert not changed, sorted(changed)[:10]
    assert hostile["tmp"] == []


@needs_containment
def test_outputs_were_not_rewritten_after_the_run(hostile):
    text = (hostile["out"] / "gradebook.csv").read_text(encoding="utf-8")
    assert text.startswith("student,submission,")
    assert "forged" not in text.splitlines()
    assert (hostile["out"].parent / "victim.txt").read_text() == "do not touch"


def test_files_of_every_kind_are_rows_with_a_reason(hostile):
    expect = {"zz_fifo": "FIFO", "zz_zero": "device", "zz_folder": "folder", "zz_big": "too large"}
    for name, why in expect.items():
        row = hostile["row"][name]
        assert float(row["auto_total"]) == 0 and why in row["problems"], (name, row["problems"])
    odd = [r for n, r in hostile["row"].items() if n.startswith("zz_name_")]
    assert len(odd) == 1 and float(odd[0]["auto_total"]) == FULL
    assert "\\xff" in odd[0]["submission"]


def test_names_are_unique_safe_and_confined(hostile):
    names = [r["student"] for r in hostile["rows"]]
    assert len(names) == len(set(n.lower() for n in names))
    assert {"dup__1", "dup__2", "dup__3"} <= set(names)  # dup, dup (another folder), and a real dup__1
    for name in names:
        assert not name.startswith((".", "=", "+", "-", "@")) and "/" not in name
    out = hostile["out"]
    for path in out.rglob("*"):
        assert out in path.resolve().parents
    assert len(list((out / "gradescope").glob("*/results.json"))) == len(names)
    for name in ("HYPERLINK_1_", "minus", "student"):
        assert float(hostile["row"][name]["auto_total"]) == FULL


def test_gradebook_cells_cannot_be_formulas(hostile):
    for row in hostile["rows"]:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_grader_memory_stays_bounded(hostile):
    # the class printed 60 MB to IOPub, 120 MB to its file descriptors and returned 4 million items
    assert hostile["grader_growth_mb"] < 150, hostile["grader_growth_mb"]


def test_startup_file_in_the_real_home_is_not_written(hostile):
    home_startup = [p for p in hostile["before"] if "/home/.ipython/profile_default/startup/" in p]
    assert home_startup == [] and not any("00-evil" in p for p in hostile["after"])


@pytest.mark.skipif(ISO.landlock < 4, reason="blocking TCP needs Landlock 4 (Linux 6.7+)")
def test_kernels_cannot_open_a_tcp_connection(hostile):
    assert hostile["connected"] is False
