"""Input checks shared by every topic module.

Every public function validates its inputs here, so a learner who passes a bad
value gets one readable sentence that names the parameter, the value and what is
allowed, for example::

    ValueError: reserve_in must be > 0 (got 0): an empty pool cannot price a swap

Helpers return the cleaned value: ``number`` gives a ``float`` for a scalar and a
float ``numpy`` array for array-likes (so functions are vectorised for free),
``integer`` gives an exact ``int`` (for protocol math in wei or gwei).
"""
from __future__ import annotations

import math
import numbers
from typing import Any, Iterable

import numpy as np


def _fmt(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _bound_text(lo, hi, lo_open: bool, hi_open: bool) -> str:
    parts = []
    if lo is not None:
        parts.append(f"{'>' if lo_open else '>='} {lo:g}" if isinstance(lo, float) else f"{'>' if lo_open else '>='} {lo}")
    if hi is not None and not (hi == math.inf and not hi_open):   # "<= inf" says nothing a learner needs
        parts.append(f"{'<' if hi_open else '<='} {hi:g}" if isinstance(hi, float) else f"{'<' if hi_open else '<='} {hi}")
    return " and ".join(parts)


def _raise(name: str, constraint: str, value: Any, why: str = "", exc=ValueError):
    msg = f"{name} must be {constraint} (got {_fmt(value)})"
    if why:
        msg += f": {why}"
    raise exc(msg)


_FAST_INT = 2**53  # ints this small convert to float exactly


def number(
    name: str,
    value: Any,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    hi_open: bool = False,
    why: str = "",
    finite: bool = False,
    nonempty: bool = True,
) -> float | np.ndarray:
    """Check a real number (or array of them) and return it as float / float array.

    ``lo``/``hi`` are bounds, inclusive unless ``lo_open``/``hi_open``. NaN is
    always refused; so is infinity, unless a bound names it (``hi=math.inf``, closed: e.g.
    ``periods_per_year`` where infinity means continuous compounding) and ``finite`` is false.
    An infinite amount or price would only turn a result into infinity, NaN or nonsense.
    An empty array is refused (``nonempty=False`` allows it): nothing the course computes has a
    meaning for no values, and numpy's own error for it names no parameter.

    >>> number("apr", 0.05, lo=0)
    0.05
    >>> number("apr", -1, lo=0)
    Traceback (most recent call last):
    ...
    ValueError: apr must be >= 0 (got -1)
    """
    allow_inf = not finite and ((hi is not None and hi == math.inf and not hi_open)
                                or (lo is not None and lo == -math.inf and not lo_open))
    kind = type(value)
    if kind is float or kind is int and -_FAST_INT < value < _FAST_INT:
        # the common case, a plain number within its bounds, in a few comparisons; anything
        # else (NaN, infinity where not allowed, out of bounds) takes the path below for its message
        v = float(value)
        if (lo is None or (v > lo if lo_open else v >= lo)) and (hi is None or (v < hi if hi_open else v <= hi)) \
                and (v == v if allow_inf else v - v == 0.0):
            return v
    if value is None or isinstance(value, (bool, np.bool_)) or isinstance(value, (str, bytes)):
        _raise(name, "a number or an array of numbers", value, why, TypeError)
    if isinstance(value, numbers.Real):
        arr = np.asarray(float(value))
    else:
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            _raise(name, "a number or an array of numbers", value, why, TypeError)
        if arr.dtype == object:  # pragma: no cover - defensive
            _raise(name, "a number or an array of numbers", value, why, TypeError)
    if np.isnan(arr).any():
        _raise(name, "a number, not NaN", value, why)
    if nonempty and arr.ndim and arr.size == 0:
        _raise(name, "a number or a non-empty array", value, why)
    if not allow_inf and np.isinf(arr).any():
        shown = value if arr.ndim == 0 else f"{float(arr[np.isinf(arr)].flat[0]):g} among its values"
        _raise(name, "finite", shown, why or "infinity is not a usable value here")
    bad = np.zeros(arr.shape, dtype=bool)
    if lo is not None:
        bad |= (arr <= lo) if lo_open else (arr < lo)
    if hi is not None:
        bad |= (arr >= hi) if hi_open else (arr > hi)
    if lo is None and hi is None:
        bad |= ~np.isfinite(arr)
    if bad.any():
        shown = value if arr.ndim == 0 else arr[bad].flat[0]
        constraint = _bound_text(lo, hi, lo_open, hi_open) or "finite"
        if arr.ndim:
            constraint += " everywhere"
        _raise(name, constraint, shown if arr.ndim == 0 else f"{float(shown):g} among its values", why)
    if arr.ndim == 0:
        return float(arr)
    return arr


def integer(
    name: str,
    value: Any,
    *,
    lo: int | None = None,
    hi: int | None = None,
    why: str = "",
) -> int:
    """Check an exact integer (Python ``int`` or numpy integer; not bool, not float).

    Protocol math (wei, gwei, basis points) is integer math; a float there would
    silently lose precision, so it is refused.

    >>> integer("amount_in", 10**18, lo=1)
    1000000000000000000
    >>> integer("amount_in", 1e18)
    Traceback (most recent call last):
    ...
    TypeError: amount_in must be an int (got 1e+18): protocol amounts are whole numbers (wei); write 10**18, not 1e18
    """
    if type(value) is int and (lo is None or value >= lo) and (hi is None or value <= hi):
        return value             # the common case in one test (bool is not `int` by type)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        hint = why or "protocol amounts are whole numbers (wei); write 10**18, not 1e18"
        _raise(name, "an int", value, hint, TypeError)
    value = int(value)
    if lo is not None and value < lo:
        _raise(name, f">= {lo}", value, why)
    if hi is not None and value > hi:
        _raise(name, f"<= {hi}", value, why)
    return value


def choice(name: str, value: Any, allowed: Iterable[Any], why: str = "") -> Any:
    """Check that ``value`` is one of ``allowed``.

    >>> choice("rule", "token", ["one_person", "token"])
    'token'
    >>> choice("rule", "x", ["one_person", "token"])
    Traceback (most recent call last):
    ...
    ValueError: rule must be one of 'one_person', 'token' (got 'x')
    """
    allowed = list(allowed)
    if value not in allowed:
        _raise(name, "one of " + ", ".join(repr(a) for a in allowed), value, why)
    return value


def scalar_out(x: Any) -> float | np.ndarray:
    """The course's output convention: a scalar result as a Python ``float``, arrays unchanged.

    >>> scalar_out(np.float64(0.5)), scalar_out(np.array([1.0, 2.0]))
    (0.5, array([1., 2.]))
    """
    if type(x) is float:
        return x
    return float(x) if np.ndim(x) == 0 else x


def fail(name: str, constraint: str, value: Any, why: str = "", exc: type = ValueError):
    """Raise the standard error for a check that the helpers above do not cover.

    >>> fail("weights", "summing to 1", [0.2, 0.2])
    Traceback (most recent call last):
    ...
    ValueError: weights must be summing to 1 (got [0.2, 0.2])
    """
    _raise(name, constraint, value, why, exc)
