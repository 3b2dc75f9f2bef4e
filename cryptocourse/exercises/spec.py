"""How an exercise is defined, how an answer is run against it, and how it is scored.

An exercise set is a module ``cryptocourse/exercises/setNN.py`` with a list ``EXERCISES``.
Three kinds:

* :class:`FunctionExercise` -- "implement the mechanism": the learner writes a function; it is
  called on many :class:`Case` inputs (edge cases included) and compared with the reference.
* :class:`ValueExercise` -- "compute a number": the learner assigns a variable.
* :class:`FreeTextExercise` -- "explain in one sentence": graded by hand; the grader collects it.

Checking is split in two steps so the self-check and the batch grader say the same thing:
:func:`collect` runs the learner's answer and records *plain* outcomes (only built-in types: an
object with a rigged ``__eq__`` cannot pass for a number), then :func:`score` compares them with
the expected values and writes the feedback. The grader runs ``collect`` inside the learner's
kernel and ``score`` in its own process.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

__all__ = [
    "Case", "case", "close", "exact", "rounded", "Mistake", "mistake", "FunctionExercise", "ValueExercise",
    "FreeTextExercise", "CheckResult", "collect", "score", "to_plain", "NotPlain", "hidden_cases",
    "watched_functions",
]


# -- plain values --------------------------------------------------------------------------
class NotPlain(TypeError):
    """Raised when an answer is not made of plain built-in values."""


_PLAIN_SCALARS = (bool, int, float, str, type(None))


def to_plain(value: Any, _depth: int = 0) -> Any:
    """Convert an answer to plain built-in values (numpy scalars and arrays become floats/lists).

    Only *exact* built-in types pass: a subclass of ``float`` that overrides ``__eq__`` is
    refused, so an answer cannot pretend to equal everything.

    >>> import numpy as np
    >>> to_plain(np.float64(1.5)), to_plain(np.array([1, 2])), to_plain((1, "a"))
    (1.5, [1, 2], [1, 'a'])
    >>> class Sneaky(float):
    ...     def __eq__(self, other): return True
    >>> to_plain(Sneaky(1.0))
    Traceback (most recent call last):
    ...
    cryptocourse.exercises.spec.NotPlain: Sneaky
    """
    if _depth > 20:
        raise NotPlain("a structure nested too deeply")
    kind = type(value)
    if kind in _PLAIN_SCALARS:
        return value
    if kind in (list, tuple):
        return [to_plain(v, _depth + 1) for v in value]
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise NotPlain("a dict whose keys are not all strings")
        return {k: to_plain(v, _depth + 1) for k, v in value.items()}
    module = getattr(kind, "__module__", "")
    if module == "numpy":
        import numpy as np

        if kind is np.ndarray:
            if value.dtype.kind not in "biuf":
                raise NotPlain(f"a numpy array of dtype {value.dtype}")
            return to_plain(value.tolist(), _depth + 1)
        if isinstance(value, (np.bool_, np.integer, np.floating)):
            return value.item()
    raise NotPlain(kind.__name__)


def _describe(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, list):
        if len(value) > 6:
            return "[" + ", ".join(_describe(v) for v in value[:6]) + f", ... ({len(value)} items)]"
        return "[" + ", ".join(_describe(v) for v in value) + "]"
    return repr(value)


# -- comparisons ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Compare:
    """How a received plain value is compared with the expected one."""

    rel: float = 1e-9
    abs: float = 1e-12
    exact: bool = False

    def __call__(self, expected: Any, received: Any) -> str | None:
        """Return None if they match, else a short reason."""
        if isinstance(expected, bool) or self.exact:
            if type(received) is not type(expected):
                return f"expected a value of type {type(expected).__name__}, got {type(received).__name__}"
            if isinstance(expected, list):
                return self._sequence(expected, received)
            if isinstance(expected, dict):
                return self._mapping(expected, received)
            return None if received == expected else "values differ"
        if isinstance(expected, (int, float)):
            if type(received) not in (int, float):
                return f"expected a number, got {type(received).__name__}"
            if math.isnan(expected) and isinstance(received, float) and math.isnan(received):
                return None
            if math.isinf(expected) or math.isinf(received):
                return None if expected == received else "values differ"
            if math.isclose(received, expected, rel_tol=self.rel, abs_tol=self.abs):
                return None
            return "values differ"
        if isinstance(expected, list):
            return self._sequence(expected, received)
        if isinstance(expected, dict):
            return self._mapping(expected, received)
        if type(received) is not type(expected):
            return f"expected a value of type {type(expected).__name__}, got {type(received).__name__}"
        return None if received == expected else "values differ"

    def _sequence(self, expected: list, received: Any) -> str | None:
        if type(received) is not list:
            return f"expected a list/array, got {type(received).__name__}"
        if len(received) != len(expected):
            return f"expected {len(expected)} items, got {len(received)}"
        for i, (e, r) in enumerate(zip(expected, received, strict=True)):
            why = self(e, r)
            if why:
                return f"item {i}: {why}"
        return None

    def _mapping(self, expected: dict, received: Any) -> str | None:
        if type(received) is not dict:
            return f"expected a dict, got {type(received).__name__}"
        if set(received) != set(expected):
            return f"expected keys {sorted(expected)}, got {sorted(received)}"
        for key in expected:
            why = self(expected[key], received[key])
            if why:
                return f"{key!r}: {why}"
        return None


def close(rel: float = 1e-9, abs: float = 1e-12) -> Compare:
    """Numbers match within a relative and an absolute tolerance (floats)."""
    return Compare(rel=rel, abs=abs)


def exact() -> Compare:
    """Values must be equal and of the same type (integer protocol math: to the wei)."""
    return Compare(exact=True)


def rounded(decimals: int, rel: float = 1e-9) -> Compare:
    """Numbers match when they agree to ``decimals`` places: a learner may round as the lesson prints.

    ``rounded(2)`` accepts 2168.67 for 2168.6747... (cents) and rejects 2168.6 or 2169;
    ``rounded(4)`` accepts -0.1528 for -0.15279... Use it for money and percentages, where an
    answer written to the printed precision is right.

    >>> rounded(2)(2168.6747, 2168.67) is None, rounded(2)(2168.6747, 2168.66) is None
    (True, False)
    """
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not -12 <= decimals <= 15:
        raise ValueError(f"decimals must be a whole number from -12 to 15 (got {decimals!r})")
    return Compare(rel=rel, abs=0.5 * 10.0 ** (-decimals) * (1 + 1e-9) + 1e-12)


# -- cases and exercises -------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """One input to call a learner's function with; ``raises`` marks an expected error."""

    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    raises: type[BaseException] | None = None
    note: str = ""

    def call_text(self, name: str) -> str:
        parts = [_short_repr(a) for a in self.args] + [f"{k}={_short_repr(v)}" for k, v in self.kwargs.items()]
        return f"{name}({', '.join(parts)})"


def _short_repr(value: Any) -> str:
    text = repr(value)
    if type(value).__module__ == "numpy" and hasattr(value, "tolist"):
        text = f"np.array({_describe(to_plain(value))})"
    return text if len(text) <= 80 else text[:77] + "..."


def case(*args: Any, raises: type[BaseException] | None = None, note: str = "", **kwargs: Any) -> Case:
    """Shorthand: ``case(0.05, 12)``, ``case(-2.0, raises=ValueError, note="below -100 %")``."""
    return Case(args=tuple(args), kwargs=dict(kwargs), raises=raises, note=note)


@dataclass(frozen=True)
class Mistake:
    """A wrong answer learners plausibly write; the check must reject it (``tests/test_exercises.py``).

    ``answer`` is a function (for a :class:`FunctionExercise`) or a value, or a zero-argument
    callable returning the value (for a :class:`ValueExercise`). ``label`` names the mistake
    ("simple instead of compound interest", "forgot the 0.3 % fee").
    """

    label: str
    answer: Any


def mistake(label: str, answer: Any) -> Mistake:
    """Shorthand: ``mistake("nominal - inflation", lambda n, i: n - i)``."""
    return Mistake(label=label, answer=answer)


@dataclass(frozen=True)
class Exercise:
    """Fields common to every exercise.

    ``nudge`` is shown with a failed check (a direction, not the formula); ``hint`` is the
    formula-level help, shown only when the learner asks (``hint("NN.K")``) or after repeated
    failed checks; neither is shown before an attempt. ``mistakes`` are the wrong answers the
    check is proven to reject. ``forbidden`` lists package functions a learner must not call to
    answer (the batch grader flags any call; see :func:`watched_functions`).
    """

    id: str
    title: str
    points: float
    hint: str = ""
    nudge: str = ""
    mistakes: Sequence[Mistake] = ()
    forbidden: Sequence[Callable[..., Any]] = ()

    @property
    def set_code(self) -> str:
        return self.id.split(".")[0]

    kind = "exercise"


@dataclass(frozen=True)
class FunctionExercise(Exercise):
    """The learner implements ``name``; it is called on every case and compared with ``reference``.

    ``hidden_cases(rng)`` (optional) returns the extra cases the batch grader checks and the
    self-check never shows, drawn with ``rng`` (a :class:`random.Random` seeded per grading run);
    without it they are derived from ``cases`` by :func:`hidden_cases`.
    """

    name: str = ""
    reference: Callable[..., Any] | None = None
    cases: Sequence[Case] = ()
    compare: Compare = field(default_factory=close)
    hidden_cases: Callable[[Any], Sequence[Case]] | None = None
    kind = "function"

    def expected(self) -> list[dict]:
        """Expected outcome of every case, as plain values (computed in the checking process)."""
        out = []
        for c in self.cases:
            if c.raises is not None:
                out.append({"raised": c.raises.__name__})
                continue
            value = self.reference(*copy.deepcopy(c.args), **copy.deepcopy(c.kwargs))
            out.append({"value": to_plain(value)})
        return out


@dataclass(frozen=True)
class ValueExercise(Exercise):
    """The learner assigns the variable ``name``; compared with ``expected`` (a value or a function)."""

    name: str = ""
    expected_value: Any = None
    compare: Compare = field(default_factory=close)
    kind = "value"

    def expected(self) -> list[dict]:
        value = self.expected_value() if callable(self.expected_value) else self.expected_value
        return [{"value": to_plain(value)}]


@dataclass(frozen=True)
class FreeTextExercise(Exercise):
    """An explanation in the learner's words; graded by hand with ``rubric``."""

    rubric: str = ""
    kind = "free_text"


# -- running and scoring -------------------------------------------------------------------
def _exception_outcome(exc: BaseException) -> dict:
    if isinstance(exc, NotImplementedError):
        return {"not_implemented": True}
    return {"raised": type(exc).__name__, "message": str(exc)[:300]}


def collect(exercise: Exercise, answer: Any) -> list[dict]:
    """Run ``answer`` against ``exercise`` and return plain outcomes (one per case).

    An outcome is one of ``{"value": plain}``, ``{"raised": "ValueError", "message": ...}``,
    ``{"not_plain": "TypeName"}``, ``{"not_implemented": True}``, ``{"missing": True}``.
    """
    if isinstance(exercise, FunctionExercise):
        if answer is None or answer is Ellipsis:
            return [{"missing": True}]
        if not callable(answer):
            return [{"not_callable": type(answer).__name__}]
        outcomes = []
        for c in exercise.cases:
            try:
                value = answer(*copy.deepcopy(c.args), **copy.deepcopy(c.kwargs))
            except Exception as exc:  # the learner's code may raise anything; report it plainly
                outcomes.append(_exception_outcome(exc))
                if outcomes[-1].get("not_implemented"):
                    return outcomes
                continue
            try:
                outcomes.append({"value": to_plain(value)})
            except NotPlain as exc:
                outcomes.append({"not_plain": str(exc)})
        return outcomes
    if isinstance(exercise, ValueExercise):
        if answer is Ellipsis or answer is None:
            return [{"not_implemented": True}]
        try:
            return [{"value": to_plain(answer)}]
        except NotPlain as exc:
            return [{"not_plain": str(exc)}]
    return []


@dataclass
class CheckResult:
    """The verdict on one exercise, with feedback a learner can act on."""

    exercise_id: str
    title: str
    status: str                 # "passed", "failed", "not attempted", "manual"
    points: float
    possible: float
    passed_cases: int = 0
    total_cases: int = 0
    messages: list[str] = field(default_factory=list)
    hint: str = ""
    nudge: str = ""
    show_hint: bool = False

    def text(self) -> str:
        head = {
            "passed": "✅ passed",
            "failed": "❌ not yet",
            "not attempted": "⏳ not attempted yet",
            "manual": "📝 graded by hand",
        }[self.status]
        lines = [f"Exercise {self.exercise_id} · {self.title}: {head} "
                 f"({self.points:g}/{self.possible:g} points)"]
        if self.total_cases > 1 and self.status == "failed":
            lines.append(f"{self.passed_cases} of {self.total_cases} checks passed.")
        lines += self.messages
        if self.status == "failed":
            if self.nudge:
                lines.append(f"Nudge: {self.nudge}")
            if self.show_hint and self.hint:
                lines.append(f"Hint: {self.hint}")
            elif self.hint:
                lines.append(f'Stuck? hint("{self.exercise_id}") shows a hint.')
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        color = {"passed": "#e6f4ea", "failed": "#fdecea", "not attempted": "#f1f3f4", "manual": "#fff8e1"}
        body = "<br>".join(html.escape(line) for line in self.text().splitlines())
        return (f"<div class='cc-check cc-{self.status.replace(' ', '-')}' style='background:{color[self.status]};"
                f"padding:6px 10px;border-radius:6px;font-family:sans-serif'>{body}</div>")

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        # what a plain-text front end (IPython, a text export) shows: the same words as the HTML view,
        # never the hidden hint that a generated dataclass repr would print in full
        return self.text()


def _received_text(outcome: dict) -> str:
    if "value" in outcome:
        return _describe(outcome["value"])
    if "raised" in outcome:
        msg = outcome.get("message", "")
        return f"an error {outcome['raised']}" + (f": {msg}" if msg else "")
    if "not_plain" in outcome:
        return f"an object of type {outcome['not_plain']} (return a plain number, list or string)"
    return "nothing"


def score(exercise: Exercise, outcomes: list[dict], flags: Sequence[str] = (), *, show_failures: int = 1,
          show_hint: bool = False) -> CheckResult:
    """Compare outcomes with the expected values and write the feedback (same for self-check and grader).

    ``show_failures`` is how many failing cases of a function exercise are spelled out (input,
    expected, received). A value exercise never shows its expected value: the feedback says how
    far off the answer is, not what it should be, so a check cannot be used as an answer key.
    """
    result = CheckResult(exercise.id, exercise.title, "failed", 0.0, float(exercise.points), hint=exercise.hint,
                         nudge=exercise.nudge, show_hint=show_hint)
    if isinstance(exercise, FreeTextExercise):
        result.status = "manual"
        return result
    name = getattr(exercise, "name", "")
    if not outcomes or outcomes[0].get("missing"):
        result.status = "not attempted"
        result.messages.append(f"No `{name}` was found: define it (keep its name) and run its cell.")
        return result
    if outcomes[0].get("not_callable"):
        result.messages.append(f"`{name}` should be a function, but it is a {outcomes[0]['not_callable']}.")
        return result
    if any(o.get("not_implemented") for o in outcomes):
        result.status = "not attempted"
        return result
    expected = exercise.expected()
    if len(outcomes) != len(expected):
        result.messages.append("The answer could not be run on every check (it stopped early).")
        return result
    failures = []
    passed = 0
    for i, (want, got) in enumerate(zip(expected, outcomes, strict=False)):
        if "raised" in want:
            ok = got.get("raised") == want["raised"]
            why = None if ok else f"expected it to raise {want['raised']}"
        elif "value" in got:
            why = exercise.compare(want["value"], got["value"])
            ok = why is None
        else:
            ok, why = False, None
        if ok:
            passed += 1
            continue
        if isinstance(exercise, FunctionExercise):
            c = exercise.cases[i]
            where = c.call_text(name) + (f"  [{c.note}]" if c.note else "")
            want_text = f"raises {want['raised']}" if "raised" in want else _describe(want["value"])
            failures.append(f"• {where}: expected {want_text}, received {_received_text(got)}"
                            + (f" ({why})" if why and why != "values differ" else ""))
        else:
            failures.append(f"• `{name}` = {_received_text(got)} is not right yet"
                            + (f" ({why})" if why and why != "values differ" else "")
                            + _how_far(want.get("value"), got.get("value")))
    result.passed_cases, result.total_cases = passed, len(expected)
    if passed == len(expected):  # all-or-nothing: a function is right when it is right on every check
        result.points = float(exercise.points)
        result.status = "passed"
        result.messages.append(f"All {passed} checks passed." if passed > 1 else "Correct.")
    else:
        shown = max(0, int(show_failures))
        result.messages += failures[:shown]
        if len(failures) > shown:
            result.messages.append(f"... and {len(failures) - shown} more failing check(s)"
                                   + (" (fix this one first)." if shown else "."))
    result.messages += [f"⚑ {flag}" for flag in flags]
    return result


def _how_far(expected: Any, received: Any) -> str:
    """A hint at the size of the error of a number, without giving the number away."""
    numbers = (int, float)
    if type(expected) not in numbers or type(received) not in numbers:
        return ""
    if not (math.isfinite(expected) and math.isfinite(received)) or expected == 0:
        return ""
    if received == expected and type(received) is not type(expected):
        return (": the right number, but an int is expected: stay in whole numbers (// rather than /)"
                if type(expected) is int else ": the right number, but a float is expected")
    ratio = abs(received - expected) / abs(expected)
    if abs(received - 100 * expected) <= 0.01 * abs(100 * expected):
        return ": 100 times the answer: give a fraction, not a percentage (0.05 for 5 %)"
    if abs(100 * received - expected) <= 0.01 * abs(expected):
        return ": a hundredth of the answer: is this a percentage that should be a whole number, or a fraction?"
    if ratio < 0.01:
        return ": close, but not within the tolerance: check the rounding, or a small step of the method"
    if ratio < 0.2:
        return ": within 20 % of the answer"
    return ": far from the answer (check the method)"


# -- hidden cases and watched functions (used by the batch grader) ---------------------------
HIDDEN_NOTE = "hidden check: inputs drawn for this grading run"


def perturb(value: Any, rng: Any, memo: dict | None = None) -> Any:
    """``value`` with its numbers moved by 1-5 % (floats; integers from 1,000 up), else unchanged.

    Zero, infinities, booleans, strings and small integers (counts, periods, indexes) stay as they
    are; a fraction strictly between 0 and 1 stays in that range; equal numbers stay equal
    (``memo``), so a case at a kink or with equal rates keeps that shape.

    >>> import random
    >>> p = perturb([0.05, 12, 0.05, "x", 0.0, 10**18], random.Random(1))
    >>> p[0] != 0.05 and p[0] == p[2], [p[1], p[3], p[4]], p[5] != 10**18 and type(p[5]) is int
    (True, [12, 'x', 0.0], True)
    """
    memo = {} if memo is None else memo
    kind = type(value)
    if kind is float:
        if value == 0.0 or not math.isfinite(value):
            return value
        if ("f", value) not in memo:
            step = rng.uniform(0.01, 0.05) * rng.choice((-1.0, 1.0))
            new = value * (1.0 + step)
            if 0.0 < abs(value) < 1.0 and not 0.0 < abs(new) < 1.0:
                new = value * (1.0 - step)
            memo[("f", value)] = new
        return memo[("f", value)]
    if kind is int:
        if abs(value) < 1000:
            return value
        if ("i", value) not in memo:
            memo[("i", value)] = value + value * rng.randint(10, 50) * rng.choice((-1, 1)) // 1000
        return memo[("i", value)]
    if kind in (list, tuple):
        return kind(perturb(v, rng, memo) for v in value)
    if kind is dict:
        return {k: perturb(v, rng, memo) for k, v in value.items()}
    if getattr(kind, "__module__", "") == "numpy":
        import numpy as np

        if kind is np.ndarray and value.dtype.kind in "iuf":
            flat = [perturb(v, rng, memo) for v in value.ravel().tolist()]
            return np.array(flat, dtype=value.dtype).reshape(value.shape)
        if isinstance(value, (np.integer, np.floating)):
            return kind(perturb(value.item(), rng, memo))
    return value


def _same(a: Any, b: Any) -> bool:
    """Identical inputs: same types, same values (numpy arrays element by element)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if getattr(type(a), "__module__", "") == "numpy" and hasattr(a, "shape"):
        import numpy as np

        return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=True))
    try:
        return bool(a == b) or (a != a and b != b)
    except Exception:  # noqa: BLE001 - objects without a usable ==
        return a is b


def hidden_cases(exercise: "FunctionExercise", rng: Any) -> list[Case]:
    """The cases the batch grader adds to ``exercise.cases``: never shown by the self-check.

    From ``exercise.hidden_cases(rng)`` if the exercise defines it, else one variant of each case
    that does not expect an error, with its numbers perturbed (:func:`perturb`). A variant is
    dropped if nothing changed, or if the reference raises on it or returns something that is not
    a plain value (the perturbation broke a precondition). The result depends only on ``rng``.
    """
    if exercise.hidden_cases is not None:
        candidates = list(exercise.hidden_cases(rng))
    else:
        candidates = []
        for c in exercise.cases:
            if c.raises is not None:
                continue
            memo: dict = {}
            args, kwargs = perturb(c.args, rng, memo), perturb(c.kwargs, rng, memo)
            if _same((args, kwargs), (c.args, c.kwargs)):
                continue
            candidates.append(Case(args=tuple(args), kwargs=dict(kwargs), note=HIDDEN_NOTE))
    kept = []
    for c in candidates:
        if c.raises is None:
            try:
                to_plain(exercise.reference(*copy.deepcopy(c.args), **copy.deepcopy(c.kwargs)))
            except Exception:  # noqa: BLE001 - a variant the reference refuses is not a check
                continue
        kept.append(c if c.note else Case(c.args, c.kwargs, c.raises, HIDDEN_NOTE))
    return kept


_CALLS = {"CALL", "CALL_FUNCTION", "CALL_FUNCTION_KW", "CALL_METHOD", "CALL_KW", "CALL_FUNCTION_EX"}
_CONSTANT_STEPS = {"RESUME", "NOP", "PUSH_NULL", "PRECALL", "KW_NAMES", "LOAD_CONST", "BUILD_LIST", "BUILD_TUPLE",
                   "BUILD_MAP", "BUILD_CONST_KEY_MAP", "LIST_EXTEND", "LIST_TO_TUPLE", "BINARY_OP",
                   "BINARY_SUBSCR", "BINARY_TRUE_DIVIDE", "BINARY_MULTIPLY", "BINARY_ADD", "BINARY_SUBTRACT",
                   "UNARY_NEGATIVE", "RETURN_VALUE", "RETURN_CONST", "CACHE", "COPY_FREE_VARS"}


def _one_call_target(function: Any) -> Any:
    """The package function a lambda such as ``lambda: finance.f(35.0, 0.08, 60)`` just calls, else None.

    Only a lambda made of one call with constant arguments (then perhaps an attribute, an index or
    arithmetic with constants) qualifies: then "call this function with these numbers" IS the
    answer, and a learner doing so has not done the exercise.
    """
    import dis
    import types

    if not isinstance(function, types.FunctionType) or function.__name__ != "<lambda>":
        return None
    steps = list(dis.get_instructions(function))
    calls = [i for i, s in enumerate(steps) if s.opname in _CALLS]
    if len(calls) != 1 or not steps or steps[0].opname not in ("RESUME", "LOAD_GLOBAL", "PUSH_NULL"):
        return None
    chain: list[str] = []
    closed = False
    for step in steps[: calls[0]]:
        if step.opname == "LOAD_GLOBAL" and not chain:
            chain.append(step.argval)
        elif step.opname in ("LOAD_ATTR", "LOAD_METHOD") and chain and not closed:
            chain.append(step.argval)
        elif step.opname in _CONSTANT_STEPS:
            closed = closed or bool(chain) and step.opname not in ("PUSH_NULL", "CACHE")
        else:
            return None
    for step in steps[calls[0] + 1:]:
        if step.opname not in _CONSTANT_STEPS and step.opname != "LOAD_ATTR":
            return None
    if not chain:
        return None
    target = function.__globals__.get(chain[0])
    for name in chain[1:]:
        target = getattr(target, name, None)
    module = getattr(target, "__module__", "") or ""
    if callable(target) and module.startswith("cryptocourse.") and ".exercises." not in module:
        return target
    return None


def watched_functions(exercise: Exercise) -> list[Callable[..., Any]]:
    """Package functions whose use for ``exercise`` is reported by the batch grader.

    A function exercise's ``reference`` (when it is a package function: a reference written in
    the exercise set module is out of the kernel's reach anyway), the exercise's ``forbidden``
    list, and for a value exercise whose expected value is one call of a package function with
    constant arguments, that function.
    """
    found: list = []
    if isinstance(exercise, FunctionExercise) and exercise.reference is not None:
        found.append(exercise.reference)
    found += list(exercise.forbidden)
    if isinstance(exercise, ValueExercise):
        target = _one_call_target(exercise.expected_value)
        if target is not None:
            found.append(target)
    out = []
    for f in found:
        module = getattr(f, "__module__", "") or ""
        if module.startswith("cryptocourse.") and ".exercises." not in module and f not in out:
            out.append(f)
    return out

