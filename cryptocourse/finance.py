"""Money math for crypto cash flow: rates, real yield, break-even size, returns, volatility.

Teaching versions in floats (no protocol here is integer math). Every function takes a
number or a numpy array and returns the same shape: ``apr_to_apy(np.linspace(0, 1, 5))``
just works. Rates are fractions per year (0.05 means 5 % per year).

Introduced in notebook 01 (``notebooks/01_money_math.ipynb``).
"""
from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ._validate import fail, number, scalar_out

__all__ = [
    "apr_to_apy", "apy_to_apr", "grow", "real_yield", "holding_return",
    "break_even_size", "net_profit", "simple_returns", "log_returns", "annualized_volatility",
]

CONTINUOUS = math.inf
"""Pass as ``periods_per_year`` for continuous compounding (the limit of ever more periods)."""

_WHY_PERIODS = "compounding periods per year, e.g. 365 (daily), 12 (monthly), 1 (yearly) or math.inf (continuous)"


def _periods(periods_per_year: ArrayLike) -> float:
    return number("periods_per_year", periods_per_year, lo=0, lo_open=True, hi=math.inf, why=_WHY_PERIODS)


def apr_to_apy(apr: ArrayLike, periods_per_year: float = 365) -> float | np.ndarray:
    """Annual percentage *yield* earned by compounding an APR ``periods_per_year`` times.

    APY = (1 + APR/n)^n - 1, and e^APR - 1 for continuous compounding (n = inf).

    Parameters
    ----------
    apr : float or array
        Nominal rate per year as a fraction (0.10 = 10 % APR), >= -1 per period.
    periods_per_year : float, default 365
        Compounding periods per year (365 daily, 12 monthly, ``math.inf`` continuous).

    Returns
    -------
    float or array
        Effective yield per year as a fraction.

    Examples
    --------
    >>> round(apr_to_apy(0.10, 365), 6)   # 10 % APR compounded daily
    0.105156
    >>> round(apr_to_apy(0.10, math.inf), 6)
    0.105171

    Source: the standard definition (e.g. the US Truth in Savings Act's APY formula).
    """
    n = _periods(periods_per_year)
    r = number("apr", apr, why="the nominal rate per year as a fraction, e.g. 0.05 for 5 %")
    if math.isinf(n):
        return np.expm1(r) if isinstance(r, np.ndarray) else math.expm1(r)
    per_period = r / n
    if np.any(np.asarray(per_period) < -1):
        fail("apr", f">= -{n:g} (a loss of more than 100 % per period)", apr)
    # expm1/log1p keep full precision for tiny rates, where (1 + r/n)**n - 1 loses digits
    with np.errstate(divide="ignore"):
        out = np.expm1(n * np.log1p(per_period))
    return scalar_out(out)


def apy_to_apr(apy: ArrayLike, periods_per_year: float = 365) -> float | np.ndarray:
    """The APR that, compounded ``periods_per_year`` times, gives ``apy`` (inverse of ``apr_to_apy``).

    APR = n * ((1 + APY)^(1/n) - 1), and ln(1 + APY) for continuous compounding.

    Parameters
    ----------
    apy : float or array
        Effective yield per year as a fraction, > -1.
    periods_per_year : float, default 365

    Returns
    -------
    float or array
        Nominal rate per year as a fraction.

    Examples
    --------
    >>> round(apy_to_apr(0.105156, 365), 4)
    0.1
    >>> round(apy_to_apr(apr_to_apy(0.2, 12), 12), 12)
    0.2
    """
    n = _periods(periods_per_year)
    y = number("apy", apy, lo=-1, lo_open=True, why="a yield below -100 % would mean losing more than everything")
    if math.isinf(n):
        return np.log1p(y) if isinstance(y, np.ndarray) else math.log1p(y)
    out = n * np.expm1(np.log1p(y) / n)
    return scalar_out(out)


def grow(principal: ArrayLike, apr: ArrayLike, years: ArrayLike, periods_per_year: float = 365) -> float | np.ndarray:
    """Value of ``principal`` after ``years`` at ``apr`` compounded ``periods_per_year`` times.

    Examples
    --------
    >>> round(grow(1000, 0.12, 1, 12), 2)     # 12 % APR, monthly
    1126.83
    >>> round(grow(1000, 0.12, 2, math.inf), 2)
    1271.25
    """
    p = number("principal", principal, lo=0, why="an amount of money, in USD or tokens")
    t = number("years", years, lo=0)
    growth = 1.0 + apr_to_apy(apr, periods_per_year)
    out = p * np.power(growth, t)
    return scalar_out(out)


def real_yield(nominal: ArrayLike, inflation: ArrayLike) -> float | np.ndarray:
    """Real yield: growth of your *share* (or purchasing power) after inflation.

    real = (1 + nominal) / (1 + inflation) - 1 = (nominal - inflation) / (1 + inflation). For
    staking, ``inflation`` is the token supply's growth: new tokens dilute holders, so a 5 %
    reward on a token whose supply grows 4 % a year increases your share of the network by
    only about 0.96 %. The shortcut ``nominal - inflation`` forgets the division: with positive
    inflation it overstates the real yield when nominal > inflation and understates it (shows
    a bigger loss) when inflation > nominal.

    Parameters
    ----------
    nominal : float or array
        Nominal yield per year as a fraction (APY), > -1.
    inflation : float or array
        Inflation per year as a fraction (token supply growth, or CPI), > -1.

    Examples
    --------
    >>> round(real_yield(0.05, 0.04), 6)
    0.009615
    >>> real_yield(0.03, 0.03)
    0.0
    >>> round(real_yield(0.10, 0.25), 4), 0.10 - 0.25     # the shortcut understates it here
    (-0.12, -0.15)
    """
    n = number("nominal", nominal, lo=-1, lo_open=True)
    i = number("inflation", inflation, lo=-1, lo_open=True, why="a supply cannot shrink by 100 % or more")
    out = (1.0 + n) / (1.0 + i) - 1.0
    return scalar_out(out)


def holding_return(apr: ArrayLike, days: ArrayLike, periods_per_year: float = 365) -> float | np.ndarray:
    """Fractional return of a position held ``days`` days at ``apr`` (compounded).

    Examples
    --------
    >>> round(holding_return(0.10, 365), 6) == round(apr_to_apy(0.10), 6)
    True
    >>> round(holding_return(0.10, 30), 6)
    0.008252
    """
    d = number("days", days, lo=0, why="how long the position is held, in days")
    growth = 1.0 + apr_to_apy(apr, periods_per_year)
    out = np.power(growth, d / 365.0) - 1.0
    return scalar_out(out)


def break_even_size(fixed_costs: ArrayLike, apr: ArrayLike, days: ArrayLike, periods_per_year: float = 365) -> float | np.ndarray:
    """Smallest position (USD) whose yield over ``days`` pays its fixed costs (gas, fees).

    size = fixed_costs / holding_return. A position smaller than this loses money even
    if the advertised APR is paid in full.

    Parameters
    ----------
    fixed_costs : float or array
        Costs that do not scale with size, in USD (gas to enter + exit, a flat fee), >= 0.
    apr : float or array
        Yield per year as a fraction, > 0.
    days : float or array
        Holding period in days, > 0.

    Returns
    -------
    float or array
        Break-even position size in USD.

    Examples
    --------
    >>> round(break_even_size(20, 0.10, 30), 2)    # $20 of gas, 10 % APR, one month
    2423.68
    """
    c = number("fixed_costs", fixed_costs, lo=0, why="gas and flat fees in USD")
    number("apr", apr, lo=0, lo_open=True, why="with no yield, no position size ever breaks even")
    number("days", days, lo=0, lo_open=True, why="a position held for no time earns nothing")
    out = c / holding_return(apr, days, periods_per_year)
    return scalar_out(out)


def net_profit(size: ArrayLike, apr: ArrayLike, days: ArrayLike, fixed_costs: ArrayLike,
               periods_per_year: float = 365) -> float | np.ndarray:
    """Profit in USD of a position of ``size`` USD held ``days`` days, after fixed costs.

    Examples
    --------
    >>> round(net_profit(1000, 0.10, 30, 20), 2)
    -11.75
    >>> round(net_profit(10_000, 0.10, 30, 20), 2)
    62.52
    """
    s = number("size", size, lo=0, why="the position in USD")
    c = number("fixed_costs", fixed_costs, lo=0, why="gas and flat fees in USD")
    out = s * holding_return(apr, days, periods_per_year) - c
    return scalar_out(out)


def _prices(prices: ArrayLike) -> np.ndarray:
    p = number("prices", prices, lo=0, lo_open=True, why="prices are positive numbers")
    p = np.atleast_1d(p)
    if p.shape[-1] < 2:
        fail("prices", "at least 2 prices along the last axis", prices, "a return needs a start and an end")
    return p


def simple_returns(prices: ArrayLike) -> np.ndarray:
    """Period-by-period simple returns p[t]/p[t-1] - 1 along the last axis.

    Examples
    --------
    >>> simple_returns([100, 110, 99]).round(4).tolist()
    [0.1, -0.1]
    """
    p = _prices(prices)
    return p[..., 1:] / p[..., :-1] - 1.0


def log_returns(prices: ArrayLike) -> np.ndarray:
    """Period-by-period log returns ln(p[t]/p[t-1]) along the last axis (they add up over time).

    Examples
    --------
    >>> r = log_returns([100, 110, 99])
    >>> r.round(4).tolist()
    [0.0953, -0.1054]
    >>> round(float(r.sum()), 4) == round(math.log(99 / 100), 4)
    True
    """
    p = _prices(prices)
    return np.diff(np.log(p), axis=-1)


def annualized_volatility(prices: ArrayLike, periods_per_year: float = 365) -> float | np.ndarray:
    """Annualised volatility: sample std of log returns times sqrt(periods per year).

    Crypto trades every day, so daily prices use 365 (stock markets use 252).

    Parameters
    ----------
    prices : array
        Prices sampled at equal intervals (>= 3 of them), along the last axis.
    periods_per_year : float, default 365
        Samples per year (365 for daily, 52 weekly, 8760 hourly).

    Returns
    -------
    float or array
        Volatility per sqrt(year) as a fraction (0.8 = 80 %).

    Examples
    --------
    >>> round(annualized_volatility([100, 102, 99, 101, 100]), 4)
    0.4657
    """
    n = number("periods_per_year", periods_per_year, lo=0, lo_open=True, hi=math.inf, hi_open=True,
               why="samples per year, e.g. 365 for daily prices")
    r = log_returns(prices)
    if r.shape[-1] < 2:
        fail("prices", "at least 3 prices", prices, "a standard deviation needs 2 or more returns")
    out = np.std(r, axis=-1, ddof=1) * math.sqrt(n)
    return scalar_out(out)
