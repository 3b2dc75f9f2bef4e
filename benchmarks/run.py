"""How fast the course is for the people waiting on it. Prints a table, writes a JSON file.

    python benchmarks/run.py            # everything (about 10 minutes on 2 cores)
    python benchmarks/run.py --quick    # skip the full test suite and the solution notebooks
    python benchmarks/run.py --only dashboards,import

Sections (each a figure the course's targets name; figures, never asserts):
  notebooks   every lesson, learner copy and solution run in a fresh kernel (nbclient), seconds
  dashboards  every dashboard, headless: controls moved step by step as a person drags a
              slider; recompute + redraw time, median and 95th percentile
  import      `import cryptocourse` cold in a fresh process; first plot; first EVM contract
  simulation  100,000 paths x 365 days with a strategy's value (benchmarks/bench_simulation.py),
              AMM quotes and exact swaps, Shapley values, each against a naive pure-Python loop
  grading     30 submissions of exercise set 01 with `cryptocourse grade`
  suite       the README's test command, end to end

Results go to benchmarks/results/latest.json (with the machine they come from).
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import json
import math
import os
import pkgutil
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGETS = {
    "notebook_s": 5.0, "course_total_s": 90.0, "dashboard_median_ms": 50.0, "dashboard_p95_ms": 150.0,
    "import_s": 0.3, "paths_s": 1.0, "paths_ratio": 50.0, "grading_30_s": 60.0, "suite_s": 600.0,
}


def _p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(math.ceil(0.95 * len(values))) - 1)]


# -- notebooks ----------------------------------------------------------------------------
def bench_notebooks(include_solutions: bool = True) -> list[dict]:
    import nbformat
    from nbclient import NotebookClient

    from cryptocourse.course import LESSONS

    paths = []
    for lesson in LESSONS:
        paths.append(lesson.notebook)
        if lesson.has_exercises and include_solutions:
            paths += [lesson.exercise, lesson.solution]
    rows = []
    for rel in paths:
        path = ROOT / rel
        if not path.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        client = NotebookClient(nb, kernel_name="python3", timeout=600, allow_errors=False,
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute()
        seconds = time.perf_counter() - start
        rows.append({"notebook": rel, "seconds": round(seconds, 2), "ok": seconds <= TARGETS["notebook_s"]})
        print(f"  {rel:<62} {seconds:6.2f} s", flush=True)
    return rows


# -- dashboards ---------------------------------------------------------------------------
def _dashboard_classes():
    import cryptocourse.dashboards as pkg
    from cryptocourse.dashboards._base import Dashboard

    found = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"cryptocourse.dashboards.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Dashboard) and cls is not Dashboard and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def _moves(control, steps: int = 12):
    """Values a person produces dragging this control: small steps one way, then back."""
    import ipywidgets as w

    if isinstance(control, (w.FloatSlider, w.IntSlider)):
        values, v = [], control.value
        step = control.step or (control.max - control.min) / 100
        direction = 1 if v + steps * step <= control.max else -1
        for _ in range(steps):
            v = min(control.max, max(control.min, v + direction * step))
            values.append(v)
        return values + values[::-1][1:] + [control.value]
    if isinstance(control, w.FloatLogSlider):
        values, e = [], math.log10(control.value)
        direction = 1 if e + steps * control.step <= control.max else -1
        for _ in range(steps):
            e = min(control.max, max(control.min, e + direction * control.step))
            values.append(10 ** e)
        return values + [control.value]
    if isinstance(control, (w.Dropdown, w.RadioButtons, w.ToggleButtons)):
        opts = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [o for o in opts if o != control.value] + [control.value]
    if isinstance(control, w.Checkbox):
        return [not control.value, control.value]
    return []


def bench_dashboards() -> list[dict]:
    rows = []
    for cls in _dashboard_classes():
        start = time.perf_counter()
        dash = cls()
        build = time.perf_counter() - start
        times, full_before = [], dash.full_redraws
        for control in dash.controls.values():
            for value in _moves(control):
                before = dash.updates
                control.value = value
                if dash.updates > before:
                    times.append(dash.last_update_seconds)
        if not times:
            continue
        med, p95 = statistics.median(times) * 1000, _p95(times) * 1000
        rows.append({"dashboard": f"{cls.__module__.split('.')[-1]}.{cls.__name__}", "updates": len(times),
                     "median_ms": round(med, 1), "p95_ms": round(p95, 1),
                     "full_redraws": dash.full_redraws - full_before, "build_s": round(build, 2),
                     "ok": med <= TARGETS["dashboard_median_ms"] and p95 <= TARGETS["dashboard_p95_ms"]})
        print(f"  {rows[-1]['dashboard']:<48} median {med:6.1f} ms  p95 {p95:6.1f} ms  "
              f"({len(times)} updates, {rows[-1]['full_redraws']} full redraws)", flush=True)
    return rows


# -- import -------------------------------------------------------------------------------
def _fresh(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def bench_import() -> list[dict]:
    imp = statistics.median(_fresh("import time; t = time.perf_counter(); import cryptocourse; "
                                   "print(time.perf_counter() - t)") for _ in range(5))
    everything = statistics.median(_fresh(
        "import time, importlib; t = time.perf_counter(); import cryptocourse\n"
        "for m in ['finance','ledger','governance','ownership','staking','amm','farming','lending','leverage',"
        "'arbitrage','tokens','risk','stablecoins']:\n    importlib.import_module('cryptocourse.' + m)\n"
        "print(time.perf_counter() - t)") for _ in range(3))
    plot = _fresh("import time; t = time.perf_counter()\n"
                  "from cryptocourse.dashboards.finance import MoneyMathDashboard; MoneyMathDashboard()\n"
                  "print(time.perf_counter() - t)")
    evm = _fresh("import time; t = time.perf_counter(); import boa\n"
                 "c = boa.loads('x: public(uint256)\\n@deploy\\ndef __init__():\\n    self.x = 1\\n'); c.x()\n"
                 "print(time.perf_counter() - t)")
    rows = [
        {"what": "import cryptocourse (cold, fresh process)", "seconds": round(imp, 3), "ok": imp <= TARGETS["import_s"]},
        {"what": "import every topic module", "seconds": round(everything, 3)},
        {"what": "first dashboard (matplotlib + ipywidgets)", "seconds": round(plot, 3)},
        {"what": "first EVM contract (boa import + compile + deploy + call)", "seconds": round(evm, 3)},
    ]
    for r in rows:
        print(f"  {r['what']:<62} {r['seconds']:6.3f} s", flush=True)
    return rows


# -- simulation kernels -------------------------------------------------------------------
def _best(fn, repeats=3):
    best = math.inf
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def bench_simulation() -> list[dict]:
    rows = []
    try:
        import bench_simulation

        rows += bench_simulation.measure()
    except Exception as exc:  # noqa: BLE001 - report, keep benchmarking the rest
        rows.append({"name": "price paths", "error": str(exc)})

    import numpy as np

    from cryptocourse import amm, ownership

    n = 100_000
    rng = np.random.default_rng(1)
    sizes = rng.uniform(1, 1000, n)
    fast = _best(lambda: amm.amount_out(sizes, 1e6, 2e6))
    sizes_list = sizes.tolist()

    def loop():
        out = []
        for s in sizes_list:
            with_fee = s * 0.997
            out.append(with_fee * 2e6 / (1e6 + with_fee))
        return out
    slow = _best(loop)
    rows.append({"name": f"AMM: {n:,} quotes (float, vectorised vs loop)", "seconds": fast,
                 "naive_seconds": slow, "ratio": slow / fast})

    pair_swaps = 20_000
    def exact_swaps():
        r0, r1 = 10**24, 2 * 10**24
        for k in range(pair_swaps):
            amt = 10**18 + k
            if k % 2:
                out = amm.get_amount_out(amt, r0, r1)
                r0, r1 = r0 + amt, r1 - out
            else:
                out = amm.get_amount_out(amt, r1, r0)
                r0, r1 = r0 - out, r1 + amt
    exact = _best(exact_swaps, 1)
    rows.append({"name": f"AMM: {pair_swaps:,} sequential exact swaps (get_amount_out, wei)",
                 "seconds": exact, "per_swap_us": exact / pair_swaps * 1e6})

    players = 12
    weights = [random.Random(i).randint(1, 20) for i in range(players)]
    quota = sum(weights) / 2

    def value(coalition):
        return 1.0 if sum(weights[i] for i in coalition) > quota else 0.0

    fast = _best(lambda: ownership.shapley_values(players, value), 1)

    def naive_shapley():
        import itertools
        phi = [0.0] * players
        fact = math.factorial
        for i in range(players):
            others = [j for j in range(players) if j != i]
            for size in range(players):
                for subset in itertools.combinations(others, size):
                    s = frozenset(subset)
                    phi[i] += fact(size) * fact(players - size - 1) / fact(players) * (value(s | {i}) - value(s))
        return phi
    slow = _best(naive_shapley, 1)
    rows.append({"name": f"Shapley: exact, {players} players (2^{players} coalitions)", "seconds": fast,
                 "naive_seconds": slow, "ratio": slow / fast})
    for r in rows:
        if "error" in r:
            print(f"  {r['name']:<62} ERROR {r['error']}")
            continue
        extra = f"  naive {r['naive_seconds']:8.3f} s  ratio {r['ratio']:6.1f}x" if "ratio" in r else ""
        print(f"  {r['name']:<62} {r['seconds']:8.3f} s{extra}", flush=True)
    return rows


# -- grading ------------------------------------------------------------------------------
def bench_grading(n: int = 30) -> list[dict]:
    solution = ROOT / "exercises/solutions/01_money_math.ipynb"
    learner = ROOT / "exercises/01_money_math.ipynb"
    with tempfile.TemporaryDirectory() as tmp:
        subs = Path(tmp) / "subs"
        subs.mkdir()
        for i in range(n):
            src = solution if i % 3 else learner
            shutil.copy(src, subs / f"student{i:02d}.ipynb")
        start = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "cryptocourse"), "grade", str(solution), str(subs),
                        "--out", str(Path(tmp) / "gb.csv")], check=True, capture_output=True, cwd=ROOT)
        seconds = time.perf_counter() - start
    print(f"  {n} submissions of set 01 graded in {seconds:.1f} s", flush=True)
    return [{"what": f"grade {n} submissions of set 01", "seconds": round(seconds, 1),
             "ok": seconds <= TARGETS["grading_30_s"]}]


# -- the test suite -----------------------------------------------------------------------
def bench_suite() -> list[dict]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q"], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    last = (done.stdout.strip().splitlines() or ["?"])[-1]
    print(f"  full test suite: {seconds:.0f} s ({last})", flush=True)
    return [{"what": "python -m pytest (the README's test command)", "seconds": round(seconds, 1),
             "result": last, "ok": seconds <= TARGETS["suite_s"] and done.returncode == 0}]


SECTIONS = {"import": bench_import, "dashboards": bench_dashboards, "simulation": bench_simulation,
            "grading": bench_grading, "notebooks": bench_notebooks, "suite": bench_suite}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the test suite and solution notebooks")
    parser.add_argument("--only", default="", help="comma-separated sections: " + ",".join(SECTIONS))
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/latest.json"))
    args = parser.parse_args(argv)
    chosen = [s for s in args.only.split(",") if s] or list(SECTIONS)
    if args.quick and not args.only:
        chosen = [s for s in chosen if s != "suite"]
    results = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                           "cpus": os.cpu_count(), "processor": platform.processor() or platform.machine()},
               "targets": TARGETS, "date": time.strftime("%Y-%m-%d")}
    for name in chosen:
        print(f"== {name}", flush=True)
        fn = SECTIONS[name]
        results[name] = fn(include_solutions=not args.quick) if name == "notebooks" else fn()
        if name == "notebooks":
            total = sum(r["seconds"] for r in results[name])
            print(f"  total {total:.1f} s over {len(results[name])} notebooks (target {TARGETS['course_total_s']:g} s)")
            results["notebooks_total_s"] = round(total, 1)
    out = Path(args.out)
    if args.only and out.exists():  # keep the other sections' latest figures
        previous = json.loads(out.read_text())
        previous.update(results)
        results = previous
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=1) + "\n")
    os.replace(tmp, out)
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
