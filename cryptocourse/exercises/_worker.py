"""Run ONE submission in a sandboxed kernel and stream what it answered to the grader.

Started by the grader as ``python -m cryptocourse.exercises._worker`` with the request (the code
cells, the exercises and their inputs, the sandbox) on stdin: nothing about the submission is on
disk where its kernel could read it. The worker runs with the grader's rights (root in CI); the
kernel it starts runs as the sandbox user (see ``_sandbox`` and ``_kernel_boot``).

It never decides a grade. It replays the notebook's code cells in the kernel (a cell that runs past
the per-cell timeout or kills the kernel is skipped: the kernel is restarted and the notebook
replayed without it), stops every program the notebook started, then asks the kernel's collection
thread, exercise by exercise, to call the learner's answer on the inputs sent now (hidden ones
included). Outcomes, audit evidence and notes go to the grader as JSON lines on stdout as soon as
they are known, so a total timeout keeps whatever was already answered. If the notebook is still
running when the total time is nearly up, answers are collected from the running kernel.
"""
from __future__ import annotations

import codecs
import json
import os
import queue
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import _sandbox

BOOT = ("import sys; sys.path[:] = [p for p in sys.path if p not in ('', '.')]; import runpy; "
        "runpy.run_module('cryptocourse.exercises._kernel_boot', run_name='__main__', alter_sys=True)")
MAX_LINE = 8 << 20          # one message from the kernel (outcomes are capped at about 2 MB there)
MAX_CHANNEL = 64 << 20      # everything a kernel may send; beyond this it is drained and ignored


class Output:
    """JSON lines to the grader (stdout), one write each, flushed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stream = sys.stdout.buffer

    def send(self, **message) -> None:
        data = (json.dumps(message, allow_nan=True, separators=(",", ":")) + "\n").encode("utf-8", "replace")
        with self.lock:
            self.stream.write(data)
            self.stream.flush()


class Evidence:
    """Turns the kernel's audit reports into flags, attributed to the phase they happened in."""

    def __init__(self, request: dict, out: Output) -> None:
        self.out = out
        self.phase: str | None = None  # None: the notebook is running; else the exercise being checked
        self.sent: set = set()
        self.names = {e["id"]: e["name"] for e in request["exercises"]}
        self.by_label: dict[str, list[dict]] = {}
        for item in request["watch"]:
            self.by_label.setdefault(item["label"], []).extend(item["exercises"])

    def flag(self, scope: str, severity: str, text: str) -> None:
        key = (scope, severity, text)
        if key in self.sent or len(self.sent) > 40:
            return
        self.sent.add(key)
        self.out.send(t="flag", scope=scope, severity=severity, text=text[:400])

    def audit(self, fields: list[str]) -> None:
        what, rest = fields[0], fields[1:] + ["", ""]
        phase = self.phase
        if what == "set-import":
            self.flag("*", "reference", f"the notebook imported {rest[0]}, the checks of an exercise set "
                                        "(they hold the answers)")
        elif what == "open":
            if re.search(r"/exercises/(__pycache__/)?set\d\d[a-z]?[.]", rest[0]):
                self.flag("*", "reference", f"the notebook tried to read {rest[0]}, the checks of an exercise set "
                                            "(they hold the answers)")
            else:
                self.flag("*", "reference", f"the notebook tried to open {rest[0]}: a solution, another "
                                            "submission or the grader's own files")
        elif what == "reread":
            self.flag("*", "reference", f"the notebook re-read {rest[0]}, the source of a reference the grader "
                                        "watches (a reload or a copy of the package's code)")
        elif what == "reimport":
            self.flag("*", "tamper", f"the notebook re-imported {rest[0]}, where the grader watches the reference")
        elif what == "ref":
            label = rest[0]
            owners = self.by_label.get(label, [])
            if phase is not None:
                self.flag(phase, "reference", f"while `{self.names.get(phase, phase)}` was being checked, it called "
                                              f"the package's {label}: the answer must be your own code")
                return
            for owner in owners:
                if owner["kind"] == "value":
                    self.flag(owner["id"], "reference", f"the notebook called the package's {label}, which "
                                                        f"computes the answer to {owner['id']}")
                else:
                    self.flag(owner["id"], "review", f"the notebook called the package's {label} (the reference "
                                                     f"of {owner['id']}) outside the graded function")
        elif what == "copy":
            label = rest[0]
            for owner in self.by_label.get(label, []):
                self.flag(owner["id"], "reference", f"the notebook compiled a copy of the package's own source "
                                                    f"of {label}")
        elif what == "code":
            self.flag("*", "tamper", f"the notebook {rest[0]}: the grader's watch on the reference was attacked")
        elif what == "tool":
            self.flag("*", "tamper", f"the notebook used {rest[0]}, which can get round the grader's watch on "
                                     "the reference")
        elif what == "spawn":
            if phase is not None:
                self.flag(phase, "reference", f"while `{self.names.get(phase, phase)}` was being checked it started "
                                              f"a program ({rest[1][:120]})")
            else:
                self.flag("*", "review", f"the notebook started a program ({rest[1][:120]}); it was stopped "
                                         "before the answers were checked")
        else:
            self.flag("*", "tamper", "unexpected data on the grader's channel")


class Channel:
    """The kernel's report pipe, read in a thread with size caps."""

    def __init__(self, fd: int, evidence: Evidence, out: Output) -> None:
        self.fd, self.evidence, self.out = fd, evidence, out
        self.outcomes: queue.Queue = queue.Queue()
        self.ready = threading.Event()
        self.kernel_pid = 0
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        buffer, total, flooded = b"", 0, False
        while True:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            total += len(chunk)
            if total > MAX_CHANNEL:
                if not flooded:
                    flooded = True
                    self.evidence.flag("*", "tamper", "the notebook flooded the grader's channel")
                continue
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                self._line(line)
            if len(buffer) > MAX_LINE:
                buffer = b""
                self.evidence.flag("*", "tamper", "unexpected data on the grader's channel (an overlong message)")
        try:
            os.close(self.fd)
        except OSError:
            pass

    def _line(self, line: bytes) -> None:
        parts = line.split(b"\t")
        kind = parts[0]
        try:
            if kind == b"O" and len(parts) == 3:
                self.outcomes.put((parts[1].decode("ascii"), parts[2]))
                return
            fields = [codecs.decode(p, "unicode_escape") for p in parts[1:]]
        except (UnicodeDecodeError, ValueError):
            self.evidence.flag("*", "tamper", "unexpected data on the grader's channel")
            return
        if kind == b"A" and fields:
            self.evidence.audit(fields)
        elif kind == b"N" and fields:
            self.out.send(t="note", text=f"grading sandbox: {fields[0]}"[:300])
        elif kind == b"R" and fields and not self.ready.is_set():
            self.ready.set()
        else:
            self.evidence.flag("*", "tamper", "unexpected data on the grader's channel")


class Kernel:
    """One sandboxed IPython kernel (a fresh process and fresh pipes at every start)."""

    def __init__(self, request: dict, evidence: Evidence, out: Output) -> None:
        self.request, self.evidence, self.out = request, evidence, out
        self.expired: set[str] = set()   # nonces of our requests that timed out (their answers may still come)
        self.proc: subprocess.Popen | None = None
        self.kc = None
        self.starts = 0
        self.start()

    # -- lifecycle
    def start(self) -> None:
        from jupyter_client import BlockingKernelClient
        from jupyter_client.connect import write_connection_file

        req = self.request
        box = Path(req["box"])
        self.starts += 1
        connection = box / "runtime" / f"kernel-{self.starts}.json"
        _, info = write_connection_file(str(connection), ip="127.0.0.1", key=secrets.token_hex(16).encode(),
                                        transport="tcp")
        uid = req.get("uid")
        if uid is not None:
            os.chown(connection, uid, uid)
        report_r, report_w = os.pipe()
        request_r, request_w = os.pipe()
        config_r, config_w = os.pipe()
        landlock = None
        if req["landlock"]:
            landlock = dict(req["landlock_paths"], abi=req["landlock"], full=[str(box)])
            landlock["read"] = landlock["read"] + _sandbox.package_files(Path(__file__).resolve().parent.parent)
            landlock["ports"] = [info[k] for k in ("shell_port", "iopub_port", "stdin_port", "hb_port", "control_port")]
        config = {
            "report_fd": report_w, "request_fd": request_r, "uid": uid, "gid": uid, "read_cap": req["read_cap"],
            "memory_bytes": req["memory_bytes"], "file_bytes": req["file_bytes"],
            "max_processes": req["max_processes"], "landlock": landlock, "seccomp": req["seccomp"],
            "forbidden": req["forbidden"], "box": os.path.realpath(box), "trusted": req["trusted"],
            "watch": req["watch"],
            "limits": req["limits"],
            "kernel_argv": ["-f", str(connection), "--HistoryManager.enabled=False",
                            "--IPKernelApp.capture_fd_output=False"],
        }
        env = dict(req["env"], CC_GRADE_CONFIG_FD=str(config_r), JPY_PARENT_PID=str(os.getpid()))
        self.proc = subprocess.Popen(
            [sys.executable, "-s", "-c", BOOT], env=env, cwd=str(box / "work"), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, pass_fds=(config_r, report_w, request_r),
            start_new_session=True)
        for fd in (config_r, report_w, request_r):
            os.close(fd)
        self.stderr_tail = b""
        threading.Thread(target=self._drain_stderr, args=(self.proc.stderr,), daemon=True).start()
        data = json.dumps(config).encode()

        def feed():
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(config_w, view):]
            except OSError:
                pass
            finally:
                os.close(config_w)

        threading.Thread(target=feed, daemon=True).start()
        self.request_w = request_w
        self.channel = Channel(report_r, self.evidence, self.out)
        self.out.send(t="kernel", pid=self.proc.pid)
        self.kc = BlockingKernelClient()
        self.kc.load_connection_info(info)
        self.kc.start_channels()
        deadline = time.monotonic() + 90
        while not self.channel.ready.wait(0.05):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                tail = self.stderr_tail.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
                raise RuntimeError(f"the grading kernel did not start ({tail[0][:200]})")
        try:
            self.kc.wait_for_ready(timeout=max(5.0, deadline - time.monotonic()))
        except RuntimeError as exc:
            raise RuntimeError(f"the grading kernel did not start ({exc})") from None

    def _drain_stderr(self, stream) -> None:
        while True:
            chunk = stream.read1(1 << 16) if hasattr(stream, "read1") else stream.read(1 << 16)
            if not chunk:
                break
            self.stderr_tail = (self.stderr_tail + chunk)[-4096:]

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop_others(self) -> int:
        """Kill every process of the sandbox except the kernel itself (before answers are checked)."""
        keep = self.proc.pid if self.alive() else -1
        return _sandbox.kill_until_gone(lambda: [p for p in sandbox_pids(self.request) if p != keep])

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
        except Exception:  # noqa: BLE001 - channels may be broken already
            pass
        if self.proc is not None:
            _sandbox.kill_until_gone(lambda: sandbox_pids(self.request))
            try:
                self.proc.kill()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.close(self.request_w)
        except OSError:
            pass

    def restart(self) -> None:
        self.shutdown()
        self.start()

    # -- running code
    def execute(self, code: str, timeout: float) -> tuple[str, str]:
        """Run ``code``; return (status, detail): ok, error, timeout or dead."""
        msg_id = self.kc.execute(code, allow_stdin=False, stop_on_error=False, store_history=False)
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            self._drain_iopub()
            try:
                reply = self.kc.get_shell_msg(timeout=0.05)
            except queue.Empty:
                reply = None
            if reply is not None and reply.get("parent_header", {}).get("msg_id") == msg_id:
                content = reply.get("content", {})
                if content.get("status") == "error":
                    return "error", f"{content.get('ename', 'Error')}: {content.get('evalue', '')}"[:300]
                return "ok", ""
            if not self.alive():
                return "dead", "the kernel stopped (an exit, a crash or too much memory)"
            if time.monotonic() > deadline:
                return "timeout", f"still running after {timeout:g} s"

    def _drain_iopub(self) -> None:
        for _ in range(10_000):  # whatever the notebook prints is read and dropped
            try:
                self.kc.get_iopub_msg(timeout=0)
            except queue.Empty:
                return

    def collect(self, exercise: dict, timeout: float) -> list | None:
        """Ask the collection thread for one exercise's outcomes; None if no answer in time."""
        nonce = secrets.token_hex(12)
        line = json.dumps({"nonce": nonce, "name": exercise["name"], "kind": exercise["kind"],
                           "cases": exercise.get("cases", [])}, allow_nan=False) + "\n"
        try:
            data = memoryview(line.encode("utf-8"))
            while data:
                data = data[os.write(self.request_w, data):]
        except OSError:
            return None
        deadline = time.monotonic() + timeout
        while True:
            self._drain_iopub()
            try:
                got_nonce, text = self.channel.outcomes.get(timeout=0.05)
            except queue.Empty:
                if not self.alive() or time.monotonic() > deadline:
                    self.expired.add(nonce)
                    return None
                continue
            if got_nonce != nonce:
                if got_nonce in self.expired:       # a late answer to a request of ours that timed out
                    self.expired.discard(got_nonce)
                    continue
                self.evidence.flag("*", "tamper", "answers arrived on the grader's channel that it had not asked for")
                continue
            try:
                outcomes = json.loads(text)
            except ValueError:
                self.evidence.flag("*", "tamper", "unexpected data on the grader's channel")
                return None
            return outcomes

    def sync(self, timeout: float) -> None:
        """Wait until the channel has read every report the kernel wrote so far.

        Reports travel on one pipe, in the order the kernel writes them, but are read by a thread:
        under load a report of a call made while the notebook ran (say, the package's reference
        computing a value exercise's answer) can still be unread when the first exercise is checked,
        and would then be blamed on that exercise instead of the one it gives away. The answer to a
        request for a name nobody can have defined comes after all of them.
        """
        self.collect({"name": f"__cc_sync_{secrets.token_hex(8)}", "kind": "value"}, timeout)

    def leftovers(self) -> None:
        """Answers nobody asked for (a notebook writing on the grader's channel)."""
        time.sleep(0.05)
        while True:
            try:
                got_nonce, _ = self.channel.outcomes.get_nowait()
            except queue.Empty:
                return
            if got_nonce in self.expired:
                self.expired.discard(got_nonce)
                continue
            self.evidence.flag("*", "tamper", "answers arrived on the grader's channel that it had not asked for")


def sandbox_pids(request: dict) -> list[int]:
    """Live processes that belong to this submission's sandbox (never the worker itself)."""
    table = _sandbox.processes()
    me = os.getpid()
    pids = _sandbox.descendants(table, me)
    uid = request.get("uid")
    if uid is not None:
        pids |= {p.pid for p in table.values() if p.uid == uid}
    token = request["token"].encode()
    if uid is None:  # same uid as the grader: also whatever carries this sandbox's token
        pids |= {pid for pid, p in table.items() if p.uid == os.geteuid() and pid != me and pid not in pids
                 and not p.zombie and _sandbox.environ_has(pid, token)}
    return [pid for pid in pids if pid != me and pid in table and not table[pid].zombie]


def run(request: dict, out: Output) -> None:
    cells = [str(c) for c in request["cells"]]
    cell_timeout = float(request["cell_timeout"])
    start = time.monotonic()
    deadline = start + float(request["timeout"])
    reserve = min(max(5.0, 0.25 * float(request["timeout"])), 60.0)
    notebook_deadline = deadline - reserve
    max_restarts = int(request.get("max_restarts", 6))
    evidence = Evidence(request, out)
    skipped: set[int] = set()
    errors: list[str] = []
    restarts = 0
    busy = False  # the kernel is still running a cell when answers are collected
    kernel = Kernel(request, evidence, out)

    def replay() -> bool:
        """Run every code cell not yet known to be fatal. False if we gave up."""
        nonlocal restarts, busy
        while True:
            errors.clear()
            fatal = None
            for index, source in enumerate(cells):
                if index in skipped or not source.strip():
                    continue
                left = notebook_deadline - time.monotonic()
                if left <= 0:
                    out.send(t="note", text=f"the total time ran out before code cell {index + 1}; it and the "
                                            "cells after it were not run")
                    return True
                status, detail = kernel.execute(source, min(cell_timeout, left))
                if status == "error":
                    errors.append(f"code cell {index + 1}: {detail}")
                elif status == "timeout" and cell_timeout > left:
                    out.send(t="note", text=f"code cell {index + 1} was still running when the total time ran "
                                            "out; the answers defined before it were checked")
                    busy = True
                    return True
                elif status in ("timeout", "dead"):
                    fatal = (index, status, detail)
                    break
            if fatal is None:
                return True
            index, status, detail = fatal
            skipped.add(index)
            what = "ran too long" if status == "timeout" else "stopped the kernel"
            out.send(t="note", text=f"code cell {index + 1} {what} ({detail}); it was skipped and the rest re-run")
            restarts += 1
            if restarts > max_restarts:
                out.send(t="note", text="too many cells stopped the kernel; grading stopped here")
                return False
            kernel.restart()

    try:
        ok = replay()
        out.send(t="errors", errors=errors[:50])
        stopped = kernel.stop_others()
        if stopped:
            out.send(t="note", text=f"{stopped} program(s) the notebook started were stopped before its answers "
                                    "were checked")
        if ok:
            kernel.sync(min(cell_timeout, max(1.0, deadline - time.monotonic() - 1.0)))
        timeouts_in_a_row = 0
        for item in request["exercises"]:
            ex_id = item["id"]
            if not ok:
                out.send(t="outcomes", id=ex_id, outcomes=[{"missing": True}])
                continue
            budget = min(float(item.get("budget", cell_timeout * 2)), deadline - time.monotonic() - 1.0)
            if budget <= 0:
                out.send(t="note", text=f"the total time ran out before exercise {ex_id} was checked")
                out.send(t="outcomes", id=ex_id, outcomes=[{"missing": True}])
                continue
            evidence.phase = ex_id
            outcomes = kernel.collect(item, budget)
            if outcomes is not None:
                evidence.phase = None
                timeouts_in_a_row = 0
                out.send(t="outcomes", id=ex_id, outcomes=outcomes)
                continue
            why = "stopped the kernel" if not kernel.alive() else "ran too long"
            out.send(t="note", text=f"exercise {ex_id}: checking `{item['name']}` {why}")
            out.send(t="outcomes", id=ex_id, outcomes=[{"raised": "GradingError", "message": why}])
            timeouts_in_a_row += 1
            evidence.phase = None
            stuck = timeouts_in_a_row >= 2 and not busy  # e.g. C code holding the interpreter
            if (not kernel.alive() or stuck) and deadline - time.monotonic() > 5:
                kernel.restart()
                busy = False
                ok = replay()
                kernel.stop_others()
                if ok:
                    kernel.sync(min(cell_timeout, max(1.0, deadline - time.monotonic() - 1.0)))
                timeouts_in_a_row = 0
        kernel.leftovers()
    finally:
        kernel.shutdown()
    out.send(t="done")


def main(argv: list[str]) -> int:
    request = json.loads(sys.stdin.buffer.read(256 << 20).decode("utf-8"))
    if _sandbox.LINUX:
        try:
            _sandbox.set_dumpable(False)  # a kernel of the same uid cannot read this process's memory
            _sandbox.set_child_subreaper(True)  # nothing the kernel starts can escape to init
        except OSError:
            pass
    out = Output()
    try:
        run(request, out)
    except Exception as exc:  # noqa: BLE001 - report, then let the grader clean up
        out.send(t="fatal", text=f"{type(exc).__name__}: {exc}"[:300])
        return 1
    finally:
        shutil.rmtree(Path(request["box"]) / "runtime", ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
