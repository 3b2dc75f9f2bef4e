"""Run ONE submission in a fresh kernel and record its answers as plain values.

Started by the grader as ``python -m cryptocourse.exercises._worker REQUEST.json`` in its own
process (with a memory cap that the kernel inherits). It never decides a grade: it executes the
notebook's code cells, then, for each auto-graded exercise, calls the learner's answer on the
exercise's cases inside the kernel and writes the *plain* outcomes (numbers, lists, strings) to
a JSON file. The grader compares them in its own process.

Robustness: a cell that runs past the per-cell timeout or kills the kernel (``os._exit``, a
segfault, running out of memory) is skipped: the kernel is restarted and the notebook replayed
without it, so the answers defined elsewhere still count.
"""
from __future__ import annotations

import json
import os
import queue
import sys
import time
from pathlib import Path

# Executed inside the learner's kernel, as source text (not imported from the package, so a
# learner who monkeypatches cryptocourse cannot change how answers are collected).
HARNESS = r'''
def __cc_collect(exercise_id, name, kind, out_path, user_ns):
    import copy as _copy, json as _json
    def plain(v, depth=0):
        if depth > 20:
            raise TypeError("nested too deeply")
        t = type(v)
        if t in (bool, int, float, str, type(None)):
            return v
        if t in (list, tuple):
            return [plain(x, depth + 1) for x in v]
        if t is dict:
            if not all(type(k) is str for k in v):
                raise TypeError("dict with non-string keys")
            return {k: plain(x, depth + 1) for k, x in v.items()}
        if getattr(t, "__module__", "") == "numpy":
            import numpy as _np
            if t is _np.ndarray and v.dtype.kind in "biuf":
                return plain(v.tolist(), depth + 1)
            if isinstance(v, (_np.bool_, _np.integer, _np.floating)):
                return v.item()
        raise TypeError(t.__name__)
    result = {"outcomes": [], "runtime_flags": []}
    missing = object()
    answer = user_ns.get(name, missing)
    if kind == "value":
        if answer is missing:
            result["outcomes"] = [{"missing": True}]
        elif answer is Ellipsis or answer is None:
            result["outcomes"] = [{"not_implemented": True}]
        else:
            try:
                result["outcomes"] = [{"value": plain(answer)}]
            except TypeError as exc:
                result["outcomes"] = [{"not_plain": str(exc)}]
    else:
        if answer is missing or answer is Ellipsis or answer is None:
            result["outcomes"] = [{"missing": True}]
        elif not callable(answer):
            result["outcomes"] = [{"not_callable": type(answer).__name__}]
        else:
            module = getattr(answer, "__module__", "") or ""
            if module.startswith("cryptocourse"):
                result["runtime_flags"].append(
                    f"`{name}` is the package's own {module}.{getattr(answer, '__name__', name)}, not your code")
            from cryptocourse.exercises import find as _find
            for case in _find(exercise_id).cases:
                try:
                    value = answer(*_copy.deepcopy(case.args), **_copy.deepcopy(case.kwargs))
                except NotImplementedError:
                    result["outcomes"].append({"not_implemented": True})
                    break
                except Exception as exc:
                    result["outcomes"].append({"raised": type(exc).__name__, "message": str(exc)[:300]})
                    continue
                try:
                    result["outcomes"].append({"value": plain(value)})
                except TypeError as exc:
                    result["outcomes"].append({"not_plain": str(exc)})
    text = _json.dumps(result, allow_nan=True)
    with open(out_path, "w", encoding="utf-8") as handle:
        handle.write(text)
'''


class Kernel:
    """A fresh IPython kernel driven over the Jupyter protocol, with timeouts."""

    def __init__(self, cwd: str) -> None:
        self.cwd = cwd
        self._start()

    def _start(self) -> None:
        from jupyter_client import KernelManager

        self.km = KernelManager(kernel_name="python3")
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0")
        self.km.start_kernel(cwd=self.cwd, env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)

    def restart(self) -> None:
        """A brand-new kernel (new process, new ports): nothing of the old one survives."""
        self.shutdown()
        self._start()

    def execute(self, code: str, timeout: float) -> tuple[str, str]:
        """Run ``code``; return (status, detail): ok, error, timeout or dead."""
        msg_id = self.kc.execute(code, allow_stdin=False, stop_on_error=False, store_history=False)
        deadline = time.monotonic() + timeout
        error = ""
        while True:
            self._drain_iopub(msg_id, lambda e: None)
            try:
                reply = self.kc.get_shell_msg(timeout=0.05)
            except queue.Empty:
                reply = None
            if reply is not None and reply.get("parent_header", {}).get("msg_id") == msg_id:
                content = reply["content"]
                if content.get("status") == "error":
                    error = f"{content.get('ename', 'Error')}: {content.get('evalue', '')}"[:300]
                    return "error", error
                return "ok", ""
            if not self.km.is_alive():
                return "dead", "the kernel stopped (an exit, a crash or too much memory)"
            if time.monotonic() > deadline:
                return "timeout", f"still running after {timeout:g} s"

    def _drain_iopub(self, msg_id, sink) -> None:
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=0)
            except queue.Empty:
                return
            sink(msg)

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
        except Exception:  # noqa: BLE001 - channels may already be broken
            pass
        try:
            self.km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - the kernel may be gone already
            pass
        try:
            self.km.cleanup_resources()
        except Exception:  # noqa: BLE001
            pass


def run(request: dict) -> dict:
    notebook = json.loads(Path(request["notebook"]).read_text(encoding="utf-8"))
    cells = [
        ("".join(c["source"]) if isinstance(c.get("source"), list) else c.get("source", ""))
        for c in notebook.get("cells", []) if c.get("cell_type") == "code"
    ]
    cell_timeout = float(request["cell_timeout"])
    workdir = request["workdir"]
    max_restarts = int(request.get("max_restarts", 6))
    skipped: set[int] = set()
    notes: list[str] = []
    errors: list[str] = []
    restarts = 0
    kernel = Kernel(workdir)
    report = {"outcomes": {}, "runtime_flags": {}, "notes": notes, "cell_errors": errors}

    def replay() -> bool:
        """Run every code cell not yet known to be fatal. False if we gave up."""
        nonlocal restarts
        while True:
            errors.clear()
            fatal = None
            for index, source in enumerate(cells):
                if index in skipped or not source.strip():
                    continue
                status, detail = kernel.execute(source, cell_timeout)
                if status == "error":
                    errors.append(f"code cell {index + 1}: {detail}")
                elif status in ("timeout", "dead"):
                    fatal = (index, status, detail)
                    break
            if fatal is None:
                return True
            index, status, detail = fatal
            skipped.add(index)
            what = "ran too long" if status == "timeout" else "stopped the kernel"
            notes.append(f"code cell {index + 1} {what} ({detail}); it was skipped and the rest re-run")
            restarts += 1
            if restarts > max_restarts:
                notes.append("too many cells stopped the kernel; grading stopped here")
                return False
            kernel.restart()

    try:
        ok = replay()
        kernel.execute(HARNESS, cell_timeout)
        for item in request["exercises"]:
            ex_id = item["id"]
            out_path = os.path.join(workdir, f"answer-{ex_id}.json")
            if not ok:
                report["outcomes"][ex_id] = [{"missing": True}]
                continue
            call = (f"__cc_collect({ex_id!r}, {item['name']!r}, {item['kind']!r}, {out_path!r}, "
                    f"globals())")
            status, detail = kernel.execute(call, cell_timeout * 2)
            data = None
            if status == "ok" and os.path.exists(out_path):
                try:
                    data = json.loads(Path(out_path).read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    data = None
            if data is None or not isinstance(data.get("outcomes"), list):
                why = {"timeout": "ran too long", "dead": "stopped the kernel"}.get(status, "could not be run")
                notes.append(f"exercise {ex_id}: checking `{item['name']}` {why} ({detail or 'no result'})")
                report["outcomes"][ex_id] = [{"raised": "GradingError", "message": f"{why}: {detail}"}]
                if status in ("timeout", "dead"):
                    kernel.restart()
                    ok = replay()
                    kernel.execute(HARNESS, cell_timeout)
                continue
            report["outcomes"][ex_id] = data["outcomes"]
            report["runtime_flags"][ex_id] = [str(f) for f in data.get("runtime_flags", [])][:3]
    finally:
        kernel.shutdown()
    return report


def main(argv: list[str]) -> int:
    request = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    report = run(request)
    tmp = request["result"] + ".tmp"
    Path(tmp).write_text(json.dumps(report), encoding="utf-8")
    os.replace(tmp, request["result"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
