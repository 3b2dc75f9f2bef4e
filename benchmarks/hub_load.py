"""A workshop on one machine, measured: the deploy/ JupyterHub recipe under N learners at once.

    sudo .venv/bin/python benchmarks/hub_load.py            # N = 10 (root: learners get their own accounts)
    sudo .venv/bin/python benchmarks/hub_load.py --learners 4 --quick

Uses the same machinery as tests/test_hub.py (tests/hubtools.py): a real hub with
configurable-http-proxy on loopback, learners with system accounts, kernels driven over the REST and
websocket APIs. It measures, and writes to benchmarks/results/hub_load.json:

* servers up: N servers spawned at once, seconds until every one is ready;
* kernel memory by lesson: each lesson run top to bottom in a fresh kernel alone, then the kernel's
  peak resident memory (``ru_maxrss``) and the time taken;
* synchronised Run All: every learner runs lesson 07 at the same moment; the slowest and median time;
* slider latency: lesson 07's pool-explorer slider moved 25 times in one learner's kernel, alone and
  while the other N - 1 learners run lesson 07 (median and 95th percentile, ms);
* memory of the whole machine before and at the end (``MemAvailable``), per learner.

The README's workshop sizing is derived from these figures (see there for the arithmetic).
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hubtools import Kernel, code_cells, running_hub, why_no_hub  # noqa: E402

SLIDER = """
import json, statistics, time
from cryptocourse.dashboards.amm import PoolExplorerDashboard
_d = PoolExplorerDashboard()
_c = next(c for c in _d.controls.values() if hasattr(c, "step") and hasattr(c, "max"))
_t = []
for _k in range(25):
    _v = _c.min + (_c.max - _c.min) * (0.2 + 0.6 * (_k % 13) / 12)
    _s = time.perf_counter(); _c.value = type(_c.value)(_v); _t.append(1000 * (time.perf_counter() - _s))
_t.sort()
print(json.dumps({"median_ms": statistics.median(_t), "p95_ms": _t[int(0.95 * (len(_t) - 1))]}))
"""
PEAK = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"   # KiB on Linux


def mem_available_mib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def lesson(hub, name, token, path):
    r = requests.get(f"{hub.url}/user/{name}/api/contents/cryptocourse/{path}", timeout=60,
                     headers={"Authorization": f"token {token}"})
    r.raise_for_status()
    return code_cells(r.json()["content"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=10, help="learners at once (default 10)")
    parser.add_argument("--quick", action="store_true", help="measure kernel memory for lessons 01 and 07 only")
    args = parser.parse_args(argv)
    if not 1 <= args.learners <= 200:
        parser.error("--learners must be from 1 to 200")
    why = why_no_hub()
    if why:
        print(f"hub_load: cannot run here: {why}", file=sys.stderr)
        return 2
    from cryptocourse.course import LESSONS

    result: dict = {"date": time.strftime("%Y-%m-%d"), "machine": {"cores": __import__("os").cpu_count(),
                    "python": platform.python_version()}, "learners": args.learners}
    before = mem_available_mib()
    with tempfile.TemporaryDirectory() as state, running_hub(Path(state)) as hub:
        names = [hub.add_learner() for _ in range(args.learners)]
        start = time.monotonic()
        for name in names:
            hub.start_server(name)
        for name in names:
            hub.wait_ready(name, seconds=600)
        result["servers_up_s"] = round(time.monotonic() - start, 1)
        tokens = {name: hub.user_token(name) for name in names}
        print(f"{args.learners} servers up in {result['servers_up_s']} s", flush=True)

        first = names[0]
        lessons = [lesson_.notebook for lesson_ in LESSONS]
        if args.quick:
            lessons = [p for p in lessons if p.startswith(("notebooks/01", "notebooks/07"))]
        rows = []
        for path in lessons:
            kernel = Kernel(hub, first, tokens[first])
            try:
                seconds = kernel.run_notebook(lesson(hub, first, tokens[first], path))
                peak = int(kernel.execute(PEAK)["stdout"].strip()) / 1024
            finally:
                kernel.close()
            rows.append({"lesson": path, "seconds_alone": round(seconds, 2), "kernel_peak_rss_mib": round(peak)})
            print(f"  {path:<55} {seconds:5.1f} s  {peak:5.0f} MiB", flush=True)
        result["lessons"] = rows

        kernels = {name: Kernel(hub, name, tokens[name]) for name in names}
        try:
            cells07 = lesson(hub, first, tokens[first], "notebooks/07_amms.ipynb")
            alone = json.loads(kernels[first].execute(SLIDER)["stdout"])
            times: dict[str, float] = {}
            busy: dict[str, float] = {}
            barrier = threading.Barrier(max(1, len(names) - 1))

            def run_all(name):
                barrier.wait()
                times[name] = kernels[name].run_notebook(cells07)

            def slider_while_busy():
                time.sleep(1.0)                       # the others are mid Run All
                busy.update(json.loads(kernels[first].execute(SLIDER)["stdout"]))

            threads = [threading.Thread(target=run_all, args=(n,)) for n in names[1:]]
            if len(names) > 1:
                threads.append(threading.Thread(target=slider_while_busy))
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if len(names) == 1:
                times[first] = kernels[first].run_notebook(cells07)
            result["run_all_07"] = {"learners_at_once": max(1, len(names) - 1),
                                    "median_s": round(statistics.median(times.values()), 1),
                                    "slowest_s": round(max(times.values()), 1)}
            result["slider_ms"] = {"alone": {k: round(v, 1) for k, v in alone.items()},
                                   "while_others_run_all": {k: round(v, 1) for k, v in busy.items()}}
            at_end = mem_available_mib()
            result["memory_mib"] = {"available_before": round(before), "available_with_all_kernels": round(at_end),
                                    "per_learner": round((before - at_end) / len(names))}
        finally:
            for k in kernels.values():
                k.close()
    out = ROOT / "benchmarks" / "results" / "hub_load.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "lessons"}, indent=1))
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
