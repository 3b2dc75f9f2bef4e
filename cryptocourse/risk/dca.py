"""Dollar-cost averaging, lump sums, reinvested income, and the standard errors that go with simulated averages."""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Callable

import numpy as np

from cryptocourse._validate import fail, integer, number

from .measures import _out
from .paths import DAY, _paths_array, _seed


# --------------------------------------------------------------------------- DCA
def dca_average_cost(prices, amount_per_buy: float = 1.0):
    """Average price paid when buying a fixed cash amount at each price: the harmonic mean.

    Buying ``c`` USD at prices ``p_1..p_n`` gets ``sum(c / p_i)`` units for ``n c`` USD,
    so the cost per unit is ``n / sum(1 / p_i)``: the harmonic mean of the prices,
    never above their arithmetic mean. Floats in, float out; give ``fractions.Fraction``
    prices to get the exact ``Fraction``.

    Parameters
    ----------
    prices : prices at each buy (USD per unit, > 0), along the last axis.
    amount_per_buy : cash spent at each buy (USD, > 0); it cancels out.

    Returns
    -------
    float (or array, one per path): the average cost (USD per unit).

    Examples
    --------
    >>> dca_average_cost([100.0, 50.0])   # 1 + 2 units for 200 USD
    66.66666666666667
    >>> from fractions import Fraction
    >>> dca_average_cost([Fraction(100), Fraction(50), Fraction(25)])
    Fraction(300, 7)

    Introduced in notebook 13.
    """
    if isinstance(prices, (list, tuple)) and prices and all(isinstance(p, Fraction) for p in prices):
        if any(p <= 0 for p in prices):
            fail("prices", "> 0 everywhere", min(prices), "you cannot buy at a price <= 0")
        c = Fraction(amount_per_buy)
        if c <= 0:
            fail("amount_per_buy", "> 0", amount_per_buy)
        units = sum(c / p for p in prices)
        return (c * len(prices)) / units
    p = np.asarray(number("prices", prices, lo=0, lo_open=True, why="you cannot buy at a price <= 0"))
    if p.ndim == 0 or p.shape[-1] == 0:
        fail("prices", "a non-empty list or array of prices", prices)
    c = number("amount_per_buy", amount_per_buy, lo=0, lo_open=True)
    units = np.sum(c / p, axis=-1)
    return _out(c * p.shape[-1] / units)


def buy_steps(n_steps: int, n_buys: int) -> np.ndarray:
    """Steps at which a DCA plan buys: ``n_buys`` evenly spaced steps starting today.

    Examples
    --------
    >>> buy_steps(365, 12)
    array([  0,  30,  60,  91, 121, 152, 182, 212, 243, 273, 304, 334])
    """
    n_steps = integer("n_steps", n_steps, lo=1, hi=10**6, why="a whole number of steps, at most 1,000,000")
    n_buys = integer("n_buys", n_buys, lo=1, hi=n_steps, why="at most one buy per step")
    return np.floor(np.arange(n_buys) * n_steps / n_buys).astype(int)


def dca_exposure(n_steps: int, n_buys: int) -> float:
    """Average share of a DCA budget that is in the asset over the horizon (time-weighted).

    The ``i``-th of ``n_buys`` equal parts is bought at step ``s_i`` (:func:`buy_steps`) and then
    held for ``n_steps - s_i`` of the ``n_steps`` steps, so the average share invested is
    ``mean_i (n_steps - s_i) / n_steps``. A static mix that puts this share in the asset on day
    0 and keeps the rest in cash has the same average exposure, a fair benchmark for DCA. See also
    G. M. Constantinides, "A note on the suboptimality of dollar-cost averaging as an investment
    policy", J. Financial and Quantitative Analysis 14(2), 1979; M. S. Rozeff, "Lump-sum
    investing versus dollar-averaging", J. Portfolio Management 20(2), 1994; A. Shtekhman,
    C. Tasopoulos and B. Wimmer, "Dollar-cost averaging just means taking risk later",
    Vanguard Research, 2012.

    Parameters
    ----------
    n_steps : steps in the horizon (365 for a year of days).
    n_buys : number of equal buys (1 = lump sum: exposure 1).

    Returns
    -------
    float: the average invested share, in (0, 1].

    Examples
    --------
    >>> round(dca_exposure(365, 12), 4)     # 12 monthly buys: about 54 % invested on average
    0.5429
    >>> dca_exposure(365, 1)
    1.0

    Introduced in notebook 13.
    """
    steps = buy_steps(n_steps, n_buys)
    return float(np.mean((n_steps - steps) / n_steps))


def standard_error(values, axis: int = -1):
    """Standard error of a simulated mean: ``std(values) / sqrt(n)`` (sample std, ``ddof=1``).

    How far the mean would typically move if the simulation were run again with another
    seed. For a share of paths (booleans, e.g. "the lump sum wins") it is the binomial
    ``sqrt(p (1 - p) / n)``.

    Parameters
    ----------
    values : outcomes, one per path, along ``axis`` (at least 2).
    axis : the axis of the paths.

    Returns
    -------
    float (or array): the standard error, in the units of ``values``.

    Examples
    --------
    >>> standard_error([1.0, 2.0, 3.0, 4.0])
    0.6454972243679028

    Introduced in notebook 13.
    """
    v = np.asarray(number("values", values), dtype=float)
    if v.ndim == 0 or v.shape[axis] < 2:
        fail("values", "at least 2 outcomes", values, "a standard error needs a spread")
    return _out(np.std(v, axis=axis, ddof=1) / math.sqrt(v.shape[axis]))


def bootstrap_se(statistic: Callable, *samples, n_boot: int = 200, seed: int = 2026) -> float:
    """Bootstrap standard error of ``statistic(*samples)``: recompute it on resampled paths.

    Draws ``n_boot`` resamples of the paths with replacement (the same paths for every
    sample, so a difference between two strategies on the same paths keeps its pairing)
    and returns the standard deviation of the statistic over them (B. Efron, "Bootstrap
    methods: another look at the jackknife", Annals of Statistics 7, 1979). Use it where
    no formula is at hand: a percentile, a VaR, a gap between two percentiles.

    Parameters
    ----------
    statistic : a function of the samples that works along the last axis, e.g.
        ``lambda x: np.percentile(x, 5, axis=-1)``.
    *samples : one or more arrays of outcomes, one per path (same length).
    n_boot : number of resamples (>= 20).
    seed : integer seed of the resampling.

    Returns
    -------
    float: the standard error, in the units of the statistic.

    Examples
    --------
    >>> x = np.random.default_rng(1).normal(0.0, 1.0, 4000)
    >>> se = bootstrap_se(lambda v: np.mean(v, axis=-1), x)
    >>> bool(abs(se - standard_error(x)) < 0.003)      # agrees with std / sqrt(n) for a mean
    True

    Introduced in notebook 13.
    """
    if not callable(statistic):
        fail("statistic", "a function of the samples, e.g. lambda x: np.percentile(x, 5, axis=-1)", statistic,
             exc=TypeError)
    if not samples:
        fail("samples", "at least one array of outcomes", samples, exc=TypeError)
    arrays = [np.asarray(number("samples", np.asarray(x, dtype=float)), dtype=float) for x in samples]
    n = arrays[0].shape[-1] if arrays[0].ndim else 0
    if n < 2 or any(a.ndim != 1 or a.shape[0] != n for a in arrays):
        fail("samples", "1-D arrays of the same length (>= 2), one outcome per path",
             [a.shape for a in arrays])
    n_boot = integer("n_boot", n_boot, lo=20, hi=100_000)
    idx = np.random.default_rng(_seed(seed)).integers(0, n, size=(n_boot, n))
    chunk = max(1, 100_000 // n)          # resamples per pass: small arrays stay in the CPU cache (faster)
    parts = []
    for start in range(0, n_boot, chunk):
        rows = idx[start:start + chunk]
        part = np.asarray(statistic(*(a[rows] for a in arrays)), dtype=float)
        if part.shape != (rows.shape[0],):
            fail("statistic", "a function that works along the last axis (returns one value per resample)",
                 f"shape {part.shape}")
        parts.append(part)
    return float(np.std(np.concatenate(parts), ddof=1))


def dca_values(prices, n_buys: int = 12, cash=None) -> np.ndarray:
    """Value over time of a DCA plan, per unit of budget: cash waits, then buys in equal parts.

    The budget (1) is split into ``n_buys`` equal parts, bought at :func:`buy_steps`. A part
    not yet spent is held as ``cash`` (default: 1 USD that stays 1 USD; give a stablecoin's
    price path, e.g. :func:`depeg_paths`, to expose the waiting cash to a depeg). At a
    buy, the part's cash value then buys the asset at that step's price.

    Parameters
    ----------
    prices : shape ``(n_paths, n_steps + 1)``: the asset's price (USD).
    n_buys : number of equal buys (1 = a lump sum on day 0).
    cash : shape ``(n_paths, n_steps + 1)`` or None: value of 1 unit of the waiting cash (USD).

    Returns
    -------
    numpy.ndarray, shape ``(n_paths, n_steps + 1)``: value per unit of budget (starts at 1).

    Examples
    --------
    >>> dca_values([[100.0, 50.0, 100.0]], n_buys=2).tolist()   # half bought at 100, half at 50
    [[1.0, 0.75, 1.5]]
    >>> out = dca_vs_lump_sum([[100.0, 50.0, 100.0]], n_buys=2, budget=1.0)
    >>> float(out["dca"][0])
    1.5

    Introduced in notebook 14 (the plan itself: notebook 13).
    """
    p = np.atleast_2d(_paths_array("prices", prices, 1, positive=True, why="you cannot buy at a price <= 0"))
    m = p.shape[1] - 1
    steps = buy_steps(m, n_buys)
    if cash is None:
        c = np.ones_like(p)
    else:
        c = np.atleast_2d(_paths_array("cash", cash, 1, positive=True, why="the waiting cash's value in USD"))
        if c.shape != p.shape:
            fail("cash", f"an array of the same shape as prices {p.shape}", f"shape {c.shape}")
        c = c / c[:, :1]
    part = 1.0 / len(steps)
    t = np.arange(m + 1)
    bought = t[None, :] >= steps[:, None]                        # (n_buys, time): part i already bought
    units = part * c[:, steps] / p[:, steps]                     # (n_paths, n_buys)
    held_units = units @ bought                                  # units held at each step
    waiting = part * (len(steps) - bought.sum(axis=0))           # parts still in cash
    return held_units * p + waiting[None, :] * c


def dca_vs_lump_sum(prices, n_buys: int = 12, budget: float = 1.0, cash_apr: float = 0.0,
                    dt: float = DAY) -> dict:
    """Invest a budget all today (lump sum) or in ``n_buys`` equal parts (DCA), on the same paths.

    The DCA cash waiting to be invested earns ``cash_apr`` (e.g. a stablecoin lending
    rate, continuously compounded). Both are valued at the last step. A third plan makes
    the comparison fair: a **static mix** that puts DCA's average exposure
    (:func:`dca_exposure`) into the asset on day 0 and keeps the rest in cash (earning
    ``cash_apr``) all along.

    Parameters
    ----------
    prices : shape ``(n_paths, n_steps + 1)`` (or one path): asset prices (USD).
    n_buys : number of equal DCA buys, evenly spaced from today (1 = lump sum).
    budget : cash to invest (USD).
    cash_apr : yield on cash not yet invested (per year, continuous).
    dt : step length (years).

    Returns
    -------
    dict with ``lump_sum``, ``dca`` and ``static_mix`` (final values, USD, one per path),
    ``average_cost`` (DCA cost per unit, USD), ``lump_sum_wins`` (share of paths where
    the lump sum ends higher), ``exposure`` (DCA's average invested share, the static
    mix's share in the asset) and ``buy_steps``.

    Examples
    --------
    >>> out = dca_vs_lump_sum([[100.0, 50.0, 100.0]], n_buys=2, budget=200.0)
    >>> float(out["lump_sum"][0]), float(out["dca"][0]), float(out["average_cost"][0])
    (200.0, 300.0, 66.66666666666667)
    >>> out["exposure"], float(out["static_mix"][0])      # 3/4 in the asset, 1/4 in cash
    (0.75, 200.0)

    Introduced in notebook 13.
    """
    p = np.atleast_2d(_paths_array("prices", prices, 1, positive=True, why="you cannot buy at a price <= 0"))
    n_steps = p.shape[-1] - 1
    steps = buy_steps(n_steps, n_buys)
    budget = number("budget", budget, lo=0, lo_open=True)
    cash_apr = number("cash_apr", cash_apr, lo=-1, hi=10)
    dt = number("dt", dt, lo=0, lo_open=True, hi=1)
    part = budget / len(steps) * np.exp(cash_apr * steps * dt)  # each part grows while it waits
    units = np.sum(part / p[:, steps], axis=-1)
    dca = units * p[:, -1]
    lump = budget / p[:, 0] * p[:, -1]
    exposure = float(np.mean((n_steps - steps) / n_steps))      # dca_exposure, without re-validating
    mix = budget * (exposure * p[:, -1] / p[:, 0] + (1.0 - exposure) * math.exp(cash_apr * n_steps * dt))
    return {
        "lump_sum": lump,
        "dca": dca,
        "static_mix": mix,
        "average_cost": np.sum(part) / units,
        "lump_sum_wins": float(np.mean(lump > dca)),
        "exposure": exposure,
        "buy_steps": steps,
    }


def reinvest_income(prices, income_apr, every: int = 30, principal: float = 1.0, reinvest: bool = True,
                    dt: float = DAY) -> np.ndarray:
    """Value over time of a cash-flow position whose income buys the asset (DCA from income).

    ``principal`` USD sits in an income source (e.g. stablecoin lending) paying
    ``income_apr`` (scalar, or one rate per step for a variable APY). Every ``every``
    steps the accrued income buys the asset at that day's price (``reinvest=True``)
    or stays as cash (``False``).

    Parameters
    ----------
    prices : shape ``(n_paths, n_steps + 1)``: asset prices (USD).
    income_apr : income rate (per year, simple within a period); a scalar or an array
        of shape ``(n_paths, n_steps)`` (the rate during each step).
    every : steps between buys (30 = monthly with daily steps).
    principal : USD earning the income (kept, not spent).
    reinvest : buy the asset with the income, or keep it as cash.
    dt : step length (years).

    Returns
    -------
    numpy.ndarray, shape ``(n_paths, n_steps + 1)``: principal + cash + asset value (USD).

    Examples
    --------
    >>> v = reinvest_income([[1.0, 1.0, 2.0]], income_apr=365.0, every=1, principal=1.0)
    >>> v.tolist()   # income of 1 USD buys 1 unit on day 1, worth 2 USD on day 2, then 1 more USD
    [[1.0, 2.0, 4.0]]

    Introduced in notebook 13.
    """
    p = np.atleast_2d(_paths_array("prices", prices, 1, positive=True))
    n_paths, m = p.shape[0], p.shape[1] - 1
    every = integer("every", every, lo=1, hi=m, why="steps between buys")
    principal = number("principal", principal, lo=0)
    dt = number("dt", dt, lo=0, lo_open=True, hi=1)
    rate = np.asarray(number("income_apr", income_apr, lo=-1, hi=1000), dtype=float)
    if rate.ndim and rate.shape != (n_paths, m):
        fail("income_apr", f"a number or an array of shape ({n_paths}, {m})", f"shape {rate.shape}")
    income = np.broadcast_to(principal * rate * dt, (n_paths, m))
    earned = np.concatenate([np.zeros((n_paths, 1)), np.cumsum(income, axis=1)], axis=1)
    if not reinvest:
        return principal + earned
    buy_at = np.arange(every, m + 1, every)
    units = np.zeros((n_paths, m + 1))
    spent = np.zeros((n_paths, m + 1))
    prev = np.zeros(n_paths)
    for s in buy_at:
        cash = earned[:, s] - prev
        units[:, s] = cash / p[:, s]
        spent[:, s] = cash
        prev = earned[:, s]
    units = np.cumsum(units, axis=1)
    cash_left = earned - np.cumsum(spent, axis=1)
    return principal + cash_left + units * p
