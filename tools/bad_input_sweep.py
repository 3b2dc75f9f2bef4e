"""Sweep the public API with bad input, one parameter at a time, and classify what happens.

    python tools/bad_input_sweep.py                 # summary + the unclear cases
    python tools/bad_input_sweep.py --json out.json # every call and its outcome

For each public function of the topic modules that has a docstring example, the example's own
call gives valid arguments (recorded while the examples run). Each parameter is then replaced, in
turn, by hostile values (None, a string, NaN, infinity, -1, 0, an empty list, True, 10**80, a
nested list) and the call is classified:

* ``named``   - ValueError/TypeError whose message names the parameter (what the course promises);
* ``unclear`` - any other exception, or a ValueError/TypeError that does not name the parameter;
* ``nonfinite`` - it returned NaN or infinity (a silent wrong answer);
* ``accepted`` - it returned a finite result (often right: 0 and -1 are valid for many parameters);
* ``hang``    - it ran longer than the time limit (SIGALRM; Unix only).

Functions that deploy contracts on the EVM are skipped (slow; their inputs are checked by the
same helpers). The figure this prints is quoted in issue 18's closing note.
"""
from __future__ import annotations

import argparse
import contextlib
import doctest
import importlib
import inspect
import io
import json
import math
import pkgutil
import signal
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOOLS = {"cli", "doctor", "course", "glossary", "workspace", "dashboards", "exercises", "chain"}
HOSTILE = {"None": None, "'abc'": "abc", "nan": math.nan, "inf": math.inf, "-1": -1, "0": 0, "[]": [],
           "True": True, "10**80": 10**80, "[[1, 2], [3]]": [[1, 2], [3]]}
TIME_LIMIT = 2


class Hang(Exception):
    pass


def topic_modules():
    import cryptocourse

    names = [m.name for m in pkgutil.iter_modules(cryptocourse.__path__) if not m.name.startswith("_")
             and m.name not in TOOLS]
    return [importlib.import_module(f"cryptocourse.{n}") for n in sorted(names)]


def public_functions(module):
    names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
    for name in names:
        obj = getattr(module, name, None)
        if inspect.isfunction(obj) and obj.__module__.startswith(module.__name__) and "deploy" not in name:
            yield name, obj


def recorded_call(module, name, function):
    """The first call of ``function`` its own docstring examples make: (args, kwargs) or None."""
    examples = doctest.DocTestParser().get_examples(function.__doc__ or "")
    calls = []

    def recorder(*args, **kwargs):
        calls.append((args, kwargs))
        return function(*args, **kwargs)

    namespace = dict(vars(importlib.import_module(function.__module__)))
    namespace.update(vars(module))
    namespace[name] = recorder
    for example in examples:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(example.source, "<example>", "single"), namespace)  # noqa: S102 - our own docstrings
        except Exception:  # noqa: BLE001 - an example that raises on purpose
            pass
        if calls:
            return calls[0]
    return None


def classify(function, args, kwargs, param):
    def alarm(*_):
        raise Hang

    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(TIME_LIMIT)
    try:
        try:
            result = function(*args, **kwargs)
        finally:
            signal.alarm(0)
    except Hang:
        return "hang", ""
    except (ValueError, TypeError) as exc:
        text = str(exc)
        return ("named" if param in text else "unclear"), f"{type(exc).__name__}: {text[:160]}"
    except (Exception, MemoryError) as exc:  # noqa: BLE001 - what we are measuring
        return "unclear", f"{type(exc).__name__}: {str(exc)[:160]}"
    try:
        values = np.asarray(result, dtype=float)
        if values.size and not np.all(np.isfinite(values)):
            return "nonfinite", repr(result)[:120]
    except (TypeError, ValueError):
        pass
    return "accepted", ""


def sweep():
    rows = []
    for module in topic_modules():
        for name, function in public_functions(module):
            call = recorded_call(module, name, function)
            if call is None:
                continue
            args, kwargs = call
            try:
                bound = inspect.signature(function).bind(*args, **kwargs)
            except TypeError:
                continue
            kinds = {n: p.kind for n, p in bound.signature.parameters.items()}
            for param in [p for p in bound.arguments if kinds[p] not in (inspect.Parameter.VAR_POSITIONAL,
                                                                         inspect.Parameter.VAR_KEYWORD)]:
                for label, value in HOSTILE.items():
                    trial = bound.arguments.copy()
                    trial[param] = value
                    b = inspect.BoundArguments(bound.signature, trial)
                    outcome, detail = classify(function, b.args, b.kwargs, param)
                    rows.append({"function": f"{function.__module__}.{name}", "param": param, "value": label,
                                 "outcome": outcome, "detail": detail})
    return rows


def main(argv=None) -> int:
    import resource

    # a bad size can ask for a huge array: cap memory so that shows as a MemoryError, not a dead machine
    resource.setrlimit(resource.RLIMIT_AS, (6 * 1024**3, resource.RLIM_INFINITY))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", help="write every call and its outcome here")
    args = parser.parse_args(argv)
    rows = sweep()
    counts = Counter(r["outcome"] for r in rows)
    functions = len({r["function"] for r in rows})
    print(f"{len(rows)} calls over {functions} functions: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    for r in rows:
        if r["outcome"] in ("unclear", "hang", "nonfinite"):
            print(f"  {r['outcome']:<9} {r['function']}({r['param']}={r['value']}): {r['detail']}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
