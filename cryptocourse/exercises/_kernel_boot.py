"""The first code of every grading kernel: lock it down, then start IPython (started by ``_worker``).

Before any of the learner's code runs, in this order:

1. read the grader's instructions from an inherited pipe (nothing on disk, nothing in argv);
2. limits (memory, file size, processes, core dumps), then drop to the sandbox uid (as root);
3. Landlock: read the Python installation, the course package without the exercise sets
   (which hold the expected answers) and system folders; write only the sandbox; bind only the
   five Jupyter ports; then seccomp keeps the report pipe from being closed or replaced;
4. *watch the references*: every package function that is the answer to an exercise of this
   set (a function exercise's reference, or the one call a value exercise's answer is) is
   recompiled from its own source with a first line that raises the audit event
   ``cryptocourse.reference``; any call, through any alias or ``importlib``, is reported;
5. an audit hook (``sys.addaudithook``: it cannot be removed) reports over the pipe: imports of
   an exercise set, opening the solution or another forbidden path, reading or rebuilding a
   watched function's code, tools that could defeat the watch (``gc`` referents, tracing,
   other threads' frames) and programs started by the notebook;
6. the self-check (``check``/``hint``) is switched off (it would import the exercise set);
7. a collection thread waits for the grader's requests: after the notebook has run, the grader
   sends each exercise's inputs (including hidden ones drawn for this run) and this thread calls
   the learner's function on them and writes plain values back. It uses only builtins captured
   here, so a notebook that patches ``json``, ``builtins`` or IPython hooks changes nothing.

The grader checks the values in its own process; the pipe carries evidence, never a verdict.
"""
from __future__ import annotations

import os
import sys
from _thread import allocate_lock
from pathlib import Path

_write = os.write
_REPORT_FD = -1
_WRITING = allocate_lock()  # one line at a time: longer lines than a pipe's atomic size never interleave
_ESCAPE = {i: f"\\u{i:04x}" for i in range(32)}
_ESCAPE.update({ord('"'): '\\"', ord("\\"): "\\\\", 0x7F: "\\u007f", 0x2028: "\\u2028", 0x2029: "\\u2029"})
_ESCAPE.update({i: f"\\u{i:04x}" for i in range(0xD800, 0xE000)})


def _send(kind: bytes, *fields: str) -> None:
    """One line to the grader: KIND TAB field TAB field ... (fields escaped: no tab, no newline)."""
    try:
        parts = [kind] + [str(f)[:2000].encode("unicode_escape") for f in fields]
        _send_line(b"\t".join(parts) + b"\n")
    except BaseException:  # noqa: BLE001 - reporting must never raise into the learner's code
        pass


def _send_line(data: bytes) -> None:
    locked = _WRITING.acquire(True, 10)
    try:
        view = memoryview(data)
        while view:
            view = view[_write(_REPORT_FD, view):]
    finally:
        if locked:
            _WRITING.release()


# -- step 4: watched functions -------------------------------------------------------------
def _watch(function, label: str) -> str | None:
    """Recompile ``function`` with a first line raising the audit event; None or why not."""
    import ast
    import inspect
    import textwrap
    import types
    import warnings

    if not isinstance(function, types.FunctionType) or function.__closure__:
        return "not a plain module-level function"
    code = function.__code__
    try:
        lines, first = inspect.getsourcelines(function)
    except (OSError, TypeError) as exc:
        return f"no source ({exc})"
    tree = ast.parse(textwrap.dedent("".join(lines)))
    node = tree.body[0]
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.name != function.__name__:
        return "source does not start with its def"
    node.decorator_list = []
    probe = ast.parse(f'"__cc_probe__"("cryptocourse.reference", {label!r})').body[0]
    node.body.insert(0, probe)
    ast.fix_missing_locations(tree)
    ast.increment_lineno(tree, first - 1)
    for sub in ast.walk(probe):
        if hasattr(sub, "lineno"):
            sub.lineno = sub.end_lineno = first
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        module_code = compile(tree, code.co_filename, "exec")
    new = next((c for c in module_code.co_consts if isinstance(c, types.CodeType) and c.co_name == node.name), None)
    if new is None:
        return "could not recompile"
    if (new.co_argcount, new.co_posonlyargcount, new.co_kwonlyargcount, new.co_freevars) != \
            (code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount, code.co_freevars) \
            or (new.co_flags ^ code.co_flags) & 0x3FF:
        return "recompiled signature differs"
    new = new.replace(co_consts=tuple(sys.audit if c == "__cc_probe__" else c for c in new.co_consts))
    function.__code__ = new
    return None


def _package_code(watched: dict) -> tuple[list, frozenset]:
    """Every code object of the package's modules that may call a watched function, taken now.

    A watched function called from one of these, by a name its code contains, is the package
    using its own helper; code made later (by the notebook, even in a package module's namespace
    or under a package file name) is never in this set.
    """
    import importlib
    import types

    package = Path(__file__).resolve().parent.parent
    names = {label.rsplit(".", 1)[-1] for label in watched}
    for path in package.rglob("*.py"):
        relative = path.relative_to(package)
        if relative.parts[0] in ("exercises", "dashboards") or path.name.startswith("_") and path.name != "__init__.py":
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        if any(n in text for n in names):
            module = ".".join(("cryptocourse",) + relative.with_suffix("").parts)
            try:
                importlib.import_module(module.removesuffix(".__init__"))
            except Exception:  # noqa: BLE001 - a module that cannot load here cannot call anything
                pass
    keep: list = []
    seen: set = set()

    def add(code):
        if id(code) in seen:
            return
        seen.add(id(code))
        keep.append(code)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                add(const)

    def visit(obj, module_name, depth=0):
        if isinstance(obj, (staticmethod, classmethod)):
            obj = obj.__func__
        if isinstance(obj, property):
            for f in (obj.fget, obj.fset, obj.fdel):
                if f is not None:
                    visit(f, module_name, depth)
            return
        if isinstance(obj, types.FunctionType):
            if obj.__module__ == module_name:
                add(obj.__code__)
        elif isinstance(obj, type) and obj.__module__ == module_name and depth < 3:
            for item in list(vars(obj).values()):
                visit(item, module_name, depth + 1)

    for name, module in list(sys.modules.items()):
        if name.startswith("cryptocourse.") and not name.startswith("cryptocourse.exercises"):
            for item in list(vars(module).values()):
                visit(item, name)
    for function in watched.values():
        add(function.__code__)
    return keep, frozenset(seen)


def _resolve(module_name: str, qualname: str):
    import importlib

    obj = importlib.import_module(module_name)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


# -- step 5: the audit hook ----------------------------------------------------------------
# One flat audit-hook dispatcher (one branch per audited event), kept in a single closure so a notebook
# cannot reach a helper to patch: its complexity is the list of events, not tangled logic.
def _make_hook(cfg: dict, watched: dict, watched_files: set, watched_modules: set, genuine: frozenset):  # noqa: C901
    import re
    from _thread import get_ident
    from shutil import which

    getframe, isabs, join, realpath, getcwd, fspath = (sys._getframe, os.path.isabs, os.path.join,
                                                      os.path.realpath, os.getcwd, os.fspath)
    set_re = re.compile(r"(^|\.)set\d\d[a-z]?$")
    forbidden = tuple(cfg["forbidden"])
    box = cfg["box"]
    trusted = tuple(p.rstrip(os.sep) + os.sep for p in cfg["trusted"])
    watched_ids = frozenset(id(f) for f in watched.values())
    codes = {label: f.__code__ for label, f in watched.items()}
    spawn_events = frozenset({"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                              "os.fork", "os.forkpty"})
    tool_events = frozenset({"gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys.settrace",
                             "sys.setprofile", "sys._current_frames"})
    attr_events = frozenset({"object.__getattr__", "object.__setattr__", "object.__delattr__"})
    watch = spawn_events | tool_events | attr_events | {"import", "open", "cryptocourse.reference",
                                                        "code.__new__", "function.__new__", "compile"}
    squeeze = re.compile(r"\s+").sub
    sources = {label: squeeze("", text) for label, text in cfg.get("_sources", {}).items()}
    busy: set = set()
    booted = [False]

    def is_forbidden(path) -> str | None:
        if isinstance(path, int):
            return None
        try:
            path = fspath(path)
            if isinstance(path, bytes):
                path = os.fsdecode(path)
            if not isabs(path):
                path = join(getcwd(), path)
            if path.startswith(trusted):
                real = path
            else:
                real = realpath(path)
        except BaseException:  # noqa: BLE001
            return None
        if real == box or real.startswith(box + os.sep):
            return None
        for f in forbidden:
            if real == f or real.startswith(f + os.sep):
                return "open", real
        if real in watched_files and booted[0]:
            return "reread", real
        return None

    def harmless(argv, env) -> bool:
        """``uname -p`` (platform.processor) and fontconfig listings (matplotlib's first font scan)."""
        if type(argv) not in (list, tuple) or not argv or type(argv[0]) is not str:
            return False
        name = argv[0].rsplit("/", 1)[-1]
        if name not in ("uname", "fc-list", "fc-match"):
            return False
        path = env.get("PATH") if isinstance(env, dict) else os.environ.get("PATH", "")
        found = which(argv[0], path=path) if "/" not in argv[0] else argv[0]
        return found in (f"/usr/bin/{name}", f"/bin/{name}")

    def handle(event, args):
        if event == "open":
            hit = is_forbidden(args[0])
            if hit:
                _send(b"A", *hit)
        elif event == "import":
            name = args[0]
            if isinstance(name, str):
                if set_re.search(name):
                    _send(b"A", "set-import", name)
                elif booted[0] and name in watched_modules:
                    _send(b"A", "reimport", name)
        elif event == "cryptocourse.reference":
            label = str(args[0]) if args else "?"
            own = codes.get(label)
            frame = getframe(1)
            while frame is not None and frame.f_code is not own:
                frame = frame.f_back
            caller = frame.f_back if frame is not None else None
            module = caller.f_globals.get("__name__", "") if caller is not None else ""
            short = label.rsplit(".", 1)[-1]
            if caller is not None:
                code = caller.f_code
                if id(code) in genuine and short in code.co_names:
                    return  # the package calling its own helper, as written in its source
            _send(b"A", "ref", label, str(module))
        elif event in attr_events:
            if len(args) > 1 and args[1] == "__code__" and id(args[0]) in watched_ids:
                _send(b"A", "code", f"{event} __code__ of {getattr(args[0], '__qualname__', '?')}")
        elif event == "code.__new__":
            if len(args) > 1 and args[1] in watched_files:
                _send(b"A", "code", f"rebuilt a code object of {args[1]}")
        elif event == "function.__new__":
            filename = getattr(args[0], "co_filename", None) if args else None
            if filename in watched_files:
                _send(b"A", "code", f"made a function from the code of {filename}")
        elif event == "compile":
            source = args[0] if args else None
            if isinstance(source, bytes):
                source = source.decode("utf-8", "replace")
            if isinstance(source, str) and len(source) > 40:
                flat = squeeze("", source)
                for label, text in sources.items():
                    if text in flat:
                        _send(b"A", "copy", label)
        elif event in tool_events:
            _send(b"A", "tool", event)
        elif event in spawn_events:
            what = args[1] if event in ("subprocess.Popen", "os.exec", "os.posix_spawn") and len(args) > 1 \
                else (args[0] if args else event)
            if event == "subprocess.Popen" and harmless(what, args[3] if len(args) > 3 else None):
                return
            _send(b"A", "spawn", event, repr(what)[:300])

    def hook(event, args):
        if event not in watch:
            return
        ident = get_ident()
        if ident in busy:
            return
        busy.add(ident)
        try:
            handle(event, args)
        except BaseException:  # noqa: BLE001 - never raise into the audited code
            pass
        finally:
            busy.discard(ident)

    return hook, booted


# -- step 7: collecting answers --------------------------------------------------------------
class _TooLarge(Exception):
    pass


class _NotPlain(Exception):
    pass


# The size-capped encoder walks every plain type an answer may be, in one closure for the same reason.
def _make_collector(limits: dict):  # noqa: C901
    """Plain-value conversion and JSON encoding from builtins captured now (before the notebook)."""
    _type, _len, _repr, _str, _isinstance = type, len, repr, str, isinstance
    _bool, _int, _float, _list, _tuple, _dict, _none = bool, int, float, list, tuple, dict, type(None)
    max_chars, max_items, max_depth = int(limits["chars"]), int(limits["items"]), 20

    def encode(value) -> str:
        out: list = []
        state = [0, 0]  # chars, items

        def emit(text):
            state[0] += _len(text)
            if state[0] > max_chars:
                raise _TooLarge(f"more than {max_chars:,} characters")
            out.append(text)

        def walk(v, depth):
            if depth > max_depth:
                raise _NotPlain("a structure nested too deeply")
            state[1] += 1
            if state[1] > max_items:
                raise _TooLarge(f"more than {max_items:,} items")
            t = _type(v)
            if v is None:
                emit("null")
            elif t is _bool:
                emit("true" if v else "false")
            elif t is _int:
                if v.bit_length() > 1100:
                    raise _NotPlain(f"a whole number with about {int(v.bit_length() * 0.30103):,} digits")
                emit(_int.__repr__(v))
            elif t is _float:
                text = _float.__repr__(v)
                emit({"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}.get(text, text))
            elif t is _str:
                if _len(v) > max_chars:
                    raise _TooLarge(f"a text of {_len(v):,} characters")
                emit('"' + _str.translate(v, _ESCAPE) + '"')
            elif t is _list or t is _tuple:
                emit("[")
                for i, x in enumerate(v):
                    if i:
                        emit(",")
                    walk(x, depth + 1)
                emit("]")
            elif t is _dict:
                emit("{")
                for i, (k, x) in enumerate(_dict.items(v)):
                    if _type(k) is not _str:
                        raise _NotPlain("a dict whose keys are not all strings")
                    if i:
                        emit(",")
                    emit('"' + _str.translate(k, _ESCAPE) + '":')
                    walk(x, depth + 1)
                emit("}")
            else:
                numpy = sys.modules.get("numpy")
                if numpy is not None and getattr(t, "__module__", "") == "numpy":
                    if t is numpy.ndarray:
                        if v.dtype.kind not in "biuf":
                            raise _NotPlain(f"a numpy array of dtype {v.dtype}")
                        if v.size > max_items:
                            raise _TooLarge(f"an array of {v.size:,} items")
                        walk(v.tolist(), depth + 1)
                        return
                    if _isinstance(v, (numpy.bool_, numpy.integer, numpy.floating)):
                        walk(v.item(), depth)
                        return
                raise _NotPlain(getattr(t, "__name__", "an object"))

        walk(value, 0)
        return "".join(out)

    def outcome_of(value) -> str:
        try:
            return '{"value":' + encode(value) + "}"
        except _TooLarge as exc:
            return '{"not_plain":"' + _str.translate(f"too large to check ({exc})", _ESCAPE) + '"}'
        except _NotPlain as exc:
            return '{"not_plain":"' + _str.translate(_str(exc)[:200], _ESCAPE) + '"}'
        except RecursionError:
            return '{"not_plain":"a structure nested too deeply"}'

    def raised(exc) -> str:
        try:
            message = _str(exc)[:300]
        except BaseException:  # noqa: BLE001 - a learner's exception may fail to print
            message = ""
        name = _type(exc).__name__
        return ('{"raised":"' + _str.translate(name[:100], _ESCAPE) + '","message":"'
                + _str.translate(message, _ESCAPE) + '"}')

    return outcome_of, raised


def _decode(value, numpy_cache: list):
    """Rebuild a case argument sent by the grader (see ``grade._portable``)."""
    t = type(value)
    if t is list:
        return [_decode(v, numpy_cache) for v in value]
    if t is not dict:
        return value
    tag = value.get("$")
    if tag is None:
        return {k: _decode(v, numpy_cache) for k, v in value.items()}
    if tag == "float":
        return float(value["v"])
    if tag == "tuple":
        return tuple(_decode(v, numpy_cache) for v in value["v"])
    if tag == "bytes":
        return bytes.fromhex(value["v"])
    if tag == "dict":
        return {_decode(k, numpy_cache): _decode(v, numpy_cache) for k, v in value["v"]}
    if tag in ("nd", "np"):
        if not numpy_cache:
            import numpy

            numpy_cache.append(numpy)
        np = numpy_cache[0]
        data = _decode(value["v"], numpy_cache)
        if tag == "nd":
            return np.array(data, dtype=value["dtype"]).reshape(value["shape"])
        return np.dtype(value["dtype"]).type(data)
    if tag == "module":
        import importlib

        return importlib.import_module(value["v"])
    if tag == "import":
        return _resolve(value["module"], value["name"])
    if tag == "fn":
        namespace = {"__name__": "cryptocourse.exercises._case", "__builtins__": __builtins__}
        for key, item in value["env"].items():
            namespace[key] = _decode(item, numpy_cache)
        exec(compile(value["src"], f"<grader case {value['name']}>", "exec"), namespace)  # noqa: S102
        return namespace[value["name"]]
    raise ValueError(f"unknown tag {tag!r}")


def _collect(request: dict, user_ns: dict, outcome_of, raised) -> str:
    import copy

    name, kind = request["name"], request["kind"]
    missing = object()
    answer = user_ns.get(name, missing) if isinstance(user_ns, dict) else missing
    if kind == "value":
        if answer is missing:
            return '[{"missing":true}]'
        if answer is Ellipsis or answer is None:
            return '[{"not_implemented":true}]'
        return "[" + outcome_of(answer) + "]"
    if answer is missing or answer is Ellipsis or answer is None:
        return '[{"missing":true}]'
    if not callable(answer):
        return '[{"not_callable":"' + type(answer).__name__[:100].translate(_ESCAPE) + '"}]'
    cache: list = []
    outcomes = []
    for case in request["cases"]:
        try:
            args = _decode(case["args"], cache)
            kwargs = _decode(case["kwargs"], cache)
        except Exception as exc:  # noqa: BLE001
            outcomes.append('{"raised":"GradingError","message":"' + str(exc)[:200].translate(_ESCAPE) + '"}')
            continue
        try:
            value = answer(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        except NotImplementedError:
            outcomes.append('{"not_implemented":true}')
            break
        except BaseException as exc:  # noqa: BLE001 - the learner's code may raise anything
            outcomes.append(raised(exc))
            continue
        outcomes.append(outcome_of(value))
    return "[" + ",".join(outcomes) + "]"


def _serve(request_fd: int, app, outcome_of, raised) -> None:
    import json
    import threading

    decode = json.JSONDecoder().decode
    read, Thread = os.read, threading.Thread

    def answer(line: bytes) -> None:
        try:
            request = decode(line.decode("utf-8"))
            nonce = str(request["nonce"])
        except Exception:  # noqa: BLE001
            return
        try:
            text = _collect(request, app.shell.user_ns, outcome_of, raised)
        except BaseException as exc:  # noqa: BLE001
            text = "[" + raised(exc) + "]"
        try:
            _send_line(b"O\t" + nonce.encode("ascii", "replace") + b"\t" + text.encode("utf-8", "replace") + b"\n")
        except BaseException:  # noqa: BLE001
            pass

    buffer = b""
    while True:
        try:
            chunk = read(request_fd, 1 << 16)
        except OSError:
            return
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            Thread(target=answer, args=(line,), daemon=True, name="cc-collect").start()


def _stub(*_args, **_kwargs) -> None:
    """The self-check is off while grading: the grader checks every exercise afterwards."""
    return None


def _stub_run_check(exercise_id="", *_args, **_kwargs):
    """``run_check`` while grading: a neutral verdict (the real one would import the exercise set)."""
    from .spec import CheckResult

    return CheckResult(str(exercise_id), "checked by the grader", "not attempted", 0.0, 0.0,
                       messages=["The self-check is off while grading: the grader checks this exercise."])


# -- main ----------------------------------------------------------------------------------
def main() -> None:
    global _REPORT_FD
    import json

    config_fd = int(os.environ.pop("CC_GRADE_CONFIG_FD"))
    chunks = []
    while True:
        chunk = os.read(config_fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(config_fd)
    cfg = json.loads(b"".join(chunks).decode("utf-8"))
    _REPORT_FD = int(cfg["report_fd"])
    request_fd = int(cfg["request_fd"])
    sys.path[:] = [p for p in sys.path if p not in ("", ".") and os.path.abspath(p) != os.getcwd()]

    import resource
    import signal

    from . import _sandbox

    def limit(which, value):
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass

    limit(resource.RLIMIT_CORE, 0)
    limit(resource.RLIMIT_AS, int(cfg["memory_bytes"]))
    limit(resource.RLIMIT_FSIZE, int(cfg["file_bytes"]))
    if cfg.get("uid") is not None:
        limit(resource.RLIMIT_NPROC, int(cfg["max_processes"]))
        _sandbox.drop_privileges(int(cfg["uid"]), int(cfg["gid"]), keep_read_search=bool(cfg.get("read_cap")))
    if _sandbox.LINUX:
        try:
            _sandbox.set_parent_death_signal(signal.SIGKILL)
        except OSError:
            pass
    for fd in (_REPORT_FD, request_fd):
        os.set_inheritable(fd, False)  # programs the notebook starts do not get the grader's pipes

    notes = []
    if cfg.get("landlock"):
        try:
            rules = cfg["landlock"]
            _sandbox.apply_landlock(rules["read"], rules["write"], rules["full"], rules["ports"],
                                    listable=rules.get("list", ()), abi=int(rules["abi"]))
        except OSError as exc:
            notes.append(f"Landlock could not be applied ({exc})")
    if cfg.get("seccomp"):
        try:
            _sandbox.guard_fd(_REPORT_FD)
            _sandbox.guard_fd(request_fd)
        except OSError as exc:
            notes.append(f"seccomp could not be applied ({exc})")
    if _sandbox.LINUX:
        try:
            _sandbox.set_no_new_privs()
        except OSError:
            pass

    import linecache

    watched, watched_files, watched_modules = {}, set(), set()
    for item in cfg["watch"]:
        try:
            import inspect

            function = _resolve(item["module"], item["qualname"])
            original = "".join(inspect.getsourcelines(function)[0])
            why = _watch(function, item["label"])
        except Exception as exc:  # noqa: BLE001
            why = f"{type(exc).__name__}: {exc}"
            function = None
        if why:
            notes.append(f"cannot watch {item['label']}: {why}")
            continue
        watched[item["label"]] = function
        cfg.setdefault("_sources", {})[item["label"]] = original
        filename = function.__code__.co_filename
        linecache.getlines(filename)  # tracebacks and inspect read it from here, not from the file
        module = sys.modules[item["module"]]
        cached = getattr(module, "__cached__", None)
        watched_files.update({filename} | ({cached} if cached else set()))
        watched_modules.add(item["module"])
    keep, genuine = _package_code(watched)
    hook, booted = _make_hook(cfg, watched, watched_files, watched_modules, genuine)
    sys.addaudithook(hook)
    booted[0] = True
    for note in notes:
        _send(b"N", note)

    outcome_of, raised = _make_collector(cfg["limits"])
    import threading

    sys.modules["debugpy"] = None  # no debugger: it would trace every thread and probe the platform
    from ipykernel.kernelapp import IPKernelApp

    import cryptocourse.exercises as exercises

    exercises.check = exercises.hint = _stub
    exercises.run_check = _stub_run_check
    app = IPKernelApp.instance()
    app.initialize(cfg["kernel_argv"])
    threading.Thread(target=_serve, args=(request_fd, app, outcome_of, raised), daemon=True,
                     name="cc-requests").start()
    _send(b"R", str(os.getpid()))
    app.start()


if __name__ == "__main__":
    main()
