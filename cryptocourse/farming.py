"""Yield farming: fee income, token incentives, impermanent loss, LP versus HODL.

An LP's result against simply holding the two deposited tokens is

    LP - HODL = fee income + incentive tokens (valued when earned) - impermanent loss

All functions here are teaching versions in floats, vectorised with numpy. Price paths are
arrays whose **last axis is time**: one path ``(n_steps,)`` or many ``(n_paths, n_steps)``;
column 0 is the entry price. Money amounts are in the quote token (say USD); APRs are simple
yearly rates (0.2 = 20% per year, 365-day year).

Model assumptions (stated in every simulation that uses them):

* the pool is kept at the outside price by arbitrage (no lag; its cost is notebook 11's LVR);
* the pool's fee APR (fees / TVL per year) is constant; a concentrated position earns fees in
  proportion to its liquidity while the price is inside its range and nothing outside;
* fee income is collected in quote value when earned and not reinvested;
* incentive tokens are valued at the reward token's price on the day they are earned
  (what a farmer who sells them gets), unless ``sell="at_end"``.

Sources: impermanent loss and range amounts from the Uniswap V2/V3 whitepapers (see
``cryptocourse.amm``). Introduced in ``notebooks/08_yield_farming_and_impermanent_loss.ipynb``.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from cryptocourse._validate import choice, fail, integer, number, scalar_out

__all__ = [
    "fee_apr", "incentive_apr", "lp_minus_hodl", "break_even_fee_apr",
    "price_paths", "lp_value_path", "hodl_value_path", "fee_income_path", "lp_minus_hodl_path",
    "reward_income", "naive_reward_income", "simulate_farm", "mean_and_se", "share_below",
]

_YEAR = 365.0


_out = scalar_out  # scalar in -> Python float out; arrays stay arrays


def fee_apr(daily_volume: ArrayLike, tvl: ArrayLike, fee_tier: ArrayLike = 0.003,
            lp_share: ArrayLike = 1.0) -> float | np.ndarray:
    """Yearly fee income of a pool per unit of liquidity: ``volume * fee * 365 / TVL``.

    Parameters
    ----------
    daily_volume : float or array
        Trading volume per day (USD).
    tvl : float or array
        Total value locked in the pool (USD), > 0.
    fee_tier : float
        Swap fee as a fraction (Uniswap V2: 0.003; V3 tiers 0.0001, 0.0005, 0.003, 0.01).
    lp_share : float
        Share of the fee paid to LPs (1 without a protocol fee; 5/6 with Uniswap V2's fee switch).

    Returns
    -------
    float or array
        Simple APR (0.2 = 20% per year).

    Notebook 08.

    >>> fee_apr(daily_volume=2_000_000, tvl=10_000_000, fee_tier=0.003)
    0.219
    """
    v = number("daily_volume", daily_volume, lo=0, why="volume in USD per day")
    t = number("tvl", tvl, lo=0, lo_open=True, why="a pool with no liquidity has no APR")
    f = number("fee_tier", fee_tier, lo=0, hi=1, hi_open=True, why="a fraction: 0.003 means 0.3%")
    s = number("lp_share", lp_share, lo=0, hi=1, why="the fraction of fees LPs keep")
    return _out(v * f * s * _YEAR / t)


def incentive_apr(rewards_per_day: ArrayLike, reward_price: ArrayLike, tvl: ArrayLike) -> float | np.ndarray:
    """APR from reward-token emissions: ``tokens/day * price * 365 / TVL``.

    Vectorised, so the dilution is easy to see: double the TVL (new farmers arrive) or halve
    the reward token's price and the APR halves.

    Parameters
    ----------
    rewards_per_day : float or array
        Reward tokens emitted to the pool per day.
    reward_price : float or array
        Reward token price (USD).
    tvl : float or array
        Pool TVL (USD), > 0.

    Returns
    -------
    float or array
        Simple APR (fraction per year) at those prices, for as long as they last.

    Notebook 08.

    >>> incentive_apr(1_000, 2.0, tvl=[1e6, 2e6, 4e6]).round(4).tolist()
    [0.73, 0.365, 0.1825]
    """
    e = number("rewards_per_day", rewards_per_day, lo=0, why="tokens emitted per day")
    p = number("reward_price", reward_price, lo=0, why="a price in USD")
    t = number("tvl", tvl, lo=0, lo_open=True, why="a pool with no liquidity has no APR")
    return _out(e * p * _YEAR / t)


# ---------------------------------------------------------------------------------------------
# One price move: position per unit of liquidity, entry price normalised to 1
# ---------------------------------------------------------------------------------------------

def _bounds(lower: ArrayLike | None, upper: ArrayLike | None) -> tuple[Any, Any]:
    a = 0.0 if lower is None else number("lower", lower, lo=0,
                                          why="the range's lower bound as a multiple of the entry price")
    b = np.inf if upper is None else number("upper", upper, lo=0, lo_open=True, hi=np.inf,
                                             why="the range's upper bound as a multiple of the entry price")
    if np.any(np.asarray(a) >= np.asarray(b)):
        fail("lower", "< upper", lower, f"upper is {upper}: the range must have width")
    if np.any(np.asarray(a) > 1) or np.any(np.asarray(b) < 1):
        fail("lower", "<= 1 <= upper", (lower, upper),
             "the range must contain the entry price (a range outside it is a limit order, not an LP)")
    return np.sqrt(a), np.sqrt(b)


def _per_l(r: ArrayLike, sa: ArrayLike, sb: ArrayLike) -> tuple[Any, Any, Any]:
    """(LP value, HODL value, entry value) per unit liquidity at price ratio r (entry price 1)."""
    s = np.clip(np.sqrt(r), sa, sb)
    x, y = 1.0 / s - 1.0 / sb, s - sa
    x0, y0 = 1.0 - 1.0 / sb, 1.0 - sa
    return x * r + y, x0 * r + y0, x0 + y0


def lp_minus_hodl(price_ratio: ArrayLike, fee_return: ArrayLike = 0.0, incentive_return: ArrayLike = 0.0,
                  lower: ArrayLike | None = None, upper: ArrayLike | None = None) -> float | np.ndarray:
    """LP result minus HODL result, per unit of deposit, after one price move.

    ``LP - HODL = fees + incentives - impermanent loss``, all as fractions of the money
    deposited (so 0.05 on a $1,000 deposit is $50).

    Parameters
    ----------
    price_ratio : float or array
        Price at exit / price at entry (> 0).
    fee_return, incentive_return : float or array
        Fee income and incentive income over the holding period, as fractions of the deposit
        (e.g. ``fee_apr * days / 365``).
    lower, upper : float, optional
        Uniswap V3 range as multiples of the entry price (default: full range).

    Returns
    -------
    float or array
        (LP value + fees + incentives - HODL value) / deposit.

    Notebook 08.

    >>> round(lp_minus_hodl(2.0), 4)            # full range, price doubles, no fees: -IL
    -0.0858
    >>> round(lp_minus_hodl(2.0, fee_return=0.10), 4)
    0.0142
    """
    r = number("price_ratio", price_ratio, lo=0, lo_open=True, why="a ratio of two positive prices")
    fr = number("fee_return", fee_return, lo=0)
    ir = number("incentive_return", incentive_return, lo=0)
    sa, sb = _bounds(lower, upper)
    lp, hodl, v0 = _per_l(r, sa, sb)
    return _out((lp - hodl) / v0 + fr + ir)


def break_even_fee_apr(price_ratio: ArrayLike, days: ArrayLike, incentive_apr: ArrayLike = 0.0,
                       lower: ArrayLike | None = None, upper: ArrayLike | None = None) -> float | np.ndarray:
    """Fee APR an LP needs so that LP + fees + incentives = HODL after a price move.

    Parameters
    ----------
    price_ratio : float or array
        Exit price / entry price (> 0).
    days : float or array
        Holding period (days, > 0).
    incentive_apr : float or array
        APR already earned from incentive tokens (fraction per year).
    lower, upper : float, optional
        V3 range as multiples of the entry price (default: full range).

    Returns
    -------
    float or array
        Simple fee APR on the deposit (fraction per year); negative means incentives alone
        already cover the loss.

    Notebook 08.

    >>> round(break_even_fee_apr(2.0, days=365), 4)    # a doubling in a year needs 8.6% in fees
    0.0858
    >>> round(break_even_fee_apr(2.0, days=30), 4)     # ... and over a month, 104% APR
    1.0437
    """
    d = number("days", days, lo=0, lo_open=True, why="a holding period in days")
    inc = number("incentive_apr", incentive_apr, lo=0)
    loss = -lp_minus_hodl(price_ratio, lower=lower, upper=upper)
    return _out(loss * _YEAR / d - inc)


# ---------------------------------------------------------------------------------------------
# Price paths
# ---------------------------------------------------------------------------------------------

def price_paths(p0: float, sigma: float, days: int, n_paths: int, seed: int = 2026, mu: float = 0.0,
                dt_days: float = 1.0) -> np.ndarray:
    """Seeded geometric Brownian motion price paths, shape ``(n_paths, n_steps + 1)``.

    Parameters
    ----------
    p0 : float
        Starting price (USD).
    sigma : float
        Volatility per year (0.8 = 80%, typical of ETH).
    days : float
        Horizon (days).
    n_paths : int
        Number of paths.
    seed : int
        Seed for ``numpy.random.default_rng``.
    mu : float
        Drift per year (log-price drift is ``mu - sigma**2 / 2``).
    dt_days : float
        Step length (days).

    Returns
    -------
    numpy.ndarray
        Prices; column 0 is ``p0``.

    Notebook 08.

    >>> price_paths(100.0, 0.8, days=30, n_paths=4, seed=1).shape
    (4, 31)
    """
    p0 = number("p0", p0, lo=0, lo_open=True, why="prices are positive")
    s = number("sigma", sigma, lo=0, why="volatility per year, e.g. 0.8 for 80%")
    d = number("days", days, lo=0, lo_open=True, hi=36_500, why="days simulated, at most 100 years")
    n = integer("n_paths", n_paths, lo=1, hi=10**7, why="a whole number of paths, at most 10,000,000")
    seed = integer("seed", seed, lo=0, why="a whole number >= 0: the same seed gives the same numbers")
    m = number("mu", mu)
    dt = number("dt_days", dt_days, lo=0, lo_open=True)
    steps = max(1, int(round(d / dt)))
    if n * (steps + 1) > 200_000_000:
        fail("n_paths", "such that n_paths x (steps + 1) <= 200,000,000 (1.6 GB of prices)", f"{n} x {steps + 1}")
    h = dt / _YEAR
    z = np.random.default_rng(seed).standard_normal((n, steps))
    log = np.cumsum((m - 0.5 * s * s) * h + s * np.sqrt(h) * z, axis=1)
    return p0 * np.exp(np.concatenate([np.zeros((n, 1)), log], axis=1))


def _prices(prices: ArrayLike) -> np.ndarray:
    p = number("prices", prices, lo=0, lo_open=True, why="prices are positive")
    if np.ndim(p) == 0 or np.shape(p)[-1] < 1:
        fail("prices", "an array of prices with time on the last axis", prices)
    return np.asarray(p, dtype=float)


def _unit(prices: ArrayLike, deposit: ArrayLike, lower: ArrayLike | None, upper: ArrayLike | None) -> tuple:
    p = _prices(prices)
    dep = number("deposit", deposit, lo=0, lo_open=True, why="money deposited (USD)")
    sa, sb = _bounds(lower, upper)
    r = p / p[..., :1]
    lp, hodl, v0 = _per_l(r, sa, sb)
    return r, lp, hodl, dep / v0, sa, sb


def lp_value_path(prices: ArrayLike, deposit: ArrayLike = 1.0, lower: ArrayLike | None = None,
                  upper: ArrayLike | None = None) -> np.ndarray:
    """Value (USD) along each path of an LP position opened at the first price, fees excluded.

    Parameters
    ----------
    prices : array, shape (n_steps,) or (n_paths, n_steps)
        Price of the volatile token in USD; column 0 is the entry price.
    deposit : float
        USD deposited at entry.
    lower, upper : float, optional
        V3 range as multiples of the entry price (default: full range, i.e. Uniswap V2).

    Returns
    -------
    numpy.ndarray
        Same shape as ``prices``: position value in USD.

    Notebook 08.

    >>> lp_value_path([100.0, 400.0], deposit=1000.0).tolist()   # full range: sqrt(4) = 2
    [1000.0, 2000.0]
    """
    _, lp, _, scale, _, _ = _unit(prices, deposit, lower, upper)
    return lp * scale


def hodl_value_path(prices: ArrayLike, deposit: ArrayLike = 1.0, lower: ArrayLike | None = None,
                    upper: ArrayLike | None = None) -> np.ndarray:
    """Value (USD) of holding the tokens the LP position started with, along each path.

    Full range starts 50/50 in value; a V3 range starts with the mix its range needs.

    Parameters
    ----------
    prices : array, shape (n_steps,) or (n_paths, n_steps)
        Price in USD; column 0 is the entry price.
    deposit : float
        USD at entry.
    lower, upper : float, optional
        V3 range as multiples of the entry price.

    Returns
    -------
    numpy.ndarray
        Same shape as ``prices`` (USD).

    Notebook 08.

    >>> hodl_value_path([100.0, 400.0], deposit=1000.0).tolist()
    [1000.0, 2500.0]
    """
    _, _, hodl, scale, _, _ = _unit(prices, deposit, lower, upper)
    return hodl * scale


def fee_income_path(prices: ArrayLike, fee_apr: ArrayLike, deposit: ArrayLike = 1.0, lower: ArrayLike | None = None,
                    upper: ArrayLike | None = None, dt_days: ArrayLike = 1.0) -> np.ndarray:
    """Cumulative fee income (USD, valued when earned) along each price path.

    Each step earns ``fee_apr * dt / 365`` of what a full-range position with the same
    liquidity would be worth, if the price is inside the range (always, for full range).

    Parameters
    ----------
    prices : array, shape (n_steps,) or (n_paths, n_steps)
        Price in USD; column 0 is entry.
    fee_apr : float or array
        The pool's fee APR for full-range liquidity (see ``fee_apr``).
    deposit : float
        USD at entry.
    lower, upper : float, optional
        V3 range as multiples of the entry price.
    dt_days : float
        Days per step.

    Returns
    -------
    numpy.ndarray
        Same shape as ``prices``; 0 at entry.

    Notebook 08.

    >>> fee_income_path([100.0, 100.0, 100.0], fee_apr=0.365, deposit=1000.0).tolist()
    [0.0, 1.0, 2.0]
    """
    r, _, _, scale, sa, sb = _unit(prices, deposit, lower, upper)
    f = number("fee_apr", fee_apr, lo=0, why="a yearly rate, 0.2 for 20%")
    dt = number("dt_days", dt_days, lo=0, lo_open=True)
    s = np.sqrt(r)
    in_range = (s >= sa) & (s <= sb)
    step = f * dt / _YEAR * 2.0 * s * in_range * scale
    step[..., 0] = 0.0
    return np.cumsum(step, axis=-1)


def lp_minus_hodl_path(prices: ArrayLike, fee_apr: ArrayLike = 0.0, deposit: ArrayLike = 1.0,
                       lower: ArrayLike | None = None, upper: ArrayLike | None = None,
                       dt_days: ArrayLike = 1.0) -> np.ndarray:
    """LP value + fees - HODL value (USD) along each price path.

    This is the function to reuse on your own price paths (notebook 14 does).

    Parameters
    ----------
    prices : array, shape (n_steps,) or (n_paths, n_steps)
        Price in USD; column 0 is entry.
    fee_apr : float or array
        Pool fee APR for full-range liquidity.
    deposit : float
        USD at entry.
    lower, upper : float, optional
        V3 range as multiples of the entry price.
    dt_days : float
        Days per step.

    Returns
    -------
    numpy.ndarray
        Same shape as ``prices`` (USD); negative where impermanent loss beats fees.

    Notebook 08.

    >>> lp_minus_hodl_path([100.0, 400.0], deposit=1000.0).round(2).tolist()
    [0.0, -500.0]
    """
    lp = lp_value_path(prices, deposit, lower, upper)
    hodl = hodl_value_path(prices, deposit, lower, upper)
    return lp + fee_income_path(prices, fee_apr, deposit, lower, upper, dt_days) - hodl


# ---------------------------------------------------------------------------------------------
# How sure is a simulated number? (Monte Carlo standard errors)
# ---------------------------------------------------------------------------------------------

def _sample(values: ArrayLike) -> np.ndarray:
    v = number("values", values)
    v = np.ravel(np.asarray(v, dtype=float))
    if v.size < 2:
        fail("values", "at least 2 simulated outcomes", values, "one path has no spread to measure")
    return v


def mean_and_se(values: ArrayLike) -> tuple[float, float]:
    """Mean of simulated outcomes and its standard error ``std / sqrt(n)``.

    The standard error says how much the mean would move if the simulation were rerun with
    another seed: mean +/- 2 standard errors is a rough 95 % interval.

    Parameters
    ----------
    values : array
        One outcome per path (at least 2).

    Returns
    -------
    (float, float)
        The mean and its standard error, in the units of ``values``.

    Notebook 08.

    >>> mean_and_se([1.0, 2.0, 3.0, 4.0])
    (2.5, 0.6454972243679028)
    """
    v = _sample(values)
    return float(v.mean()), float(v.std(ddof=1) / np.sqrt(v.size))


def share_below(values: ArrayLike, thresholds: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Share of paths whose outcome is below each threshold, with its standard error.

    Parameters
    ----------
    values : array
        One outcome per path (at least 2), e.g. impermanent loss as a fraction.
    thresholds : float or array
        Cut-offs in the units of ``values`` (-0.05 for "a loss worse than 5 %").

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Shares (fractions of paths, one per threshold) and their standard errors
        ``sqrt(share (1 - share) / n)``.

    Notebook 08.

    >>> shares, ses = share_below([-0.3, -0.02, -0.001, 0.0], [-0.01, -0.2])
    >>> shares.tolist(), ses.round(3).tolist()
    ([0.5, 0.25], [0.25, 0.217])
    """
    v = _sample(values)
    t = np.atleast_1d(np.asarray(number("thresholds", thresholds), dtype=float))
    shares = (v[:, None] < t[None, :]).mean(axis=0)
    return shares, np.sqrt(shares * (1.0 - shares) / v.size)


# ---------------------------------------------------------------------------------------------
# Incentive tokens
# ---------------------------------------------------------------------------------------------

def reward_income(rewards_per_day: ArrayLike, reward_prices: ArrayLike, tvl: ArrayLike, deposit: ArrayLike,
                  dt_days: ArrayLike = 1.0, sell: str = "when_earned") -> np.ndarray:
    """Cumulative USD value of the reward tokens a farmer earns along each path.

    The farmer gets ``deposit / tvl`` of each day's emission. Valued at the price when earned
    (``sell="when_earned"``: sell as you go) or held (``sell="at_end"``: each entry is the
    tokens held so far at that day's price, so the last entry is their value at the end). A falling
    reward token makes the advertised APR a promise that is not kept.

    Parameters
    ----------
    rewards_per_day : float
        Tokens emitted to the whole pool per day.
    reward_prices : array, shape (n_steps,) or (n_paths, n_steps)
        Reward token price (USD); column 0 is the entry day (no rewards yet).
    tvl : float or array
        Pool TVL (USD): a number, or a path of the same shape as ``reward_prices``.
    deposit : float
        The farmer's deposit (USD).
    dt_days : float
        Days per step.
    sell : {"when_earned", "at_end"}
        How the tokens are valued.

    Returns
    -------
    numpy.ndarray
        Same shape as ``reward_prices`` (USD); 0 at entry.

    Notebook 08.

    >>> reward_income(1000, [2.0, 1.0, 0.5], tvl=1e6, deposit=1e4).tolist()   # 10 tokens/day
    [0.0, 10.0, 15.0]
    >>> reward_income(1000, [2.0, 1.0, 0.5], 1e6, 1e4, sell="at_end").tolist()
    [0.0, 10.0, 10.0]
    """
    e = number("rewards_per_day", rewards_per_day, lo=0, why="tokens emitted per day")
    p = number("reward_prices", reward_prices, lo=0, why="prices in USD")
    if np.ndim(p) == 0 or np.shape(p)[-1] == 0:
        fail("reward_prices", "an array of prices with time on the last axis (at least the entry day)",
             reward_prices)
    t = number("tvl", tvl, lo=0, lo_open=True, why="a pool with no liquidity has no farmers")
    dep = number("deposit", deposit, lo=0, lo_open=True, why="money deposited (USD)")
    dt = number("dt_days", dt_days, lo=0, lo_open=True)
    choice("sell", sell, ["when_earned", "at_end"])
    share = np.minimum(dep / np.asarray(t, dtype=float), 1.0)
    tokens = np.broadcast_to(e * dt * share, np.shape(p)).copy()
    tokens[..., 0] = 0.0
    if sell == "when_earned":
        return np.cumsum(tokens * p, axis=-1)
    return np.cumsum(tokens, axis=-1) * p


def naive_reward_income(rewards_per_day: ArrayLike, reward_price: ArrayLike, tvl: ArrayLike, deposit: ArrayLike,
                        days: ArrayLike) -> float | np.ndarray:
    """What a simple APR calculator promises: today's incentive APR times the deposit and time.

    Parameters
    ----------
    rewards_per_day, reward_price, tvl : float
        Today's emission (tokens/day), token price (USD) and pool TVL (USD).
    deposit : float
        The farmer's deposit (USD).
    days : float or array
        Holding period (days).

    Returns
    -------
    float or array
        ``deposit * incentive_apr * days / 365`` (USD), assuming nothing changes.

    Notebook 08.

    >>> naive_reward_income(1000, 2.0, 1e6, 1e4, days=2)
    40.0
    """
    d = number("days", days, lo=0)
    dep = number("deposit", deposit, lo=0, lo_open=True, why="money deposited (USD)")
    return _out(dep * incentive_apr(rewards_per_day, reward_price, tvl) * d / _YEAR)


# ---------------------------------------------------------------------------------------------
# The farm simulator behind notebook 08's dashboard
# ---------------------------------------------------------------------------------------------

def simulate_farm(deposit: ArrayLike = 10_000.0, days: int = 90, sigma: ArrayLike = 0.8, mu: ArrayLike = 0.0,
                  daily_volume: ArrayLike = 2_000_000.0, tvl: ArrayLike = 10_000_000.0, fee_tier: ArrayLike = 0.003,
                  rewards_per_day: ArrayLike = 5_000.0, reward_price: ArrayLike = 1.0, reward_drift: ArrayLike = -1.0,
                  reward_sigma: ArrayLike = 1.0, lower: ArrayLike | None = None, upper: ArrayLike | None = None,
                  n_paths: int = 1000, seed: int = 2026, dt_days: ArrayLike = 1.0) -> dict[str, np.ndarray]:
    """Simulate a farm over many seeded paths and split LP minus HODL into its parts.

    Assumptions: the volatile token and the reward token follow independent geometric
    Brownian motions (steps of ``dt_days``); volume and TVL stay constant (so the fee APR is constant);
    the farmer sells reward tokens the day they are earned; no gas, no protocol fee.

    Parameters
    ----------
    deposit : float
        USD deposited.
    days : int
        Horizon (days).
    sigma, mu : float
        Volatility and drift per year of the volatile token.
    daily_volume, tvl, fee_tier : float
        Pool volume (USD/day), TVL (USD), fee fraction.
    rewards_per_day, reward_price : float
        Reward tokens emitted to the pool per day, and their price today (USD).
    reward_drift, reward_sigma : float
        Drift and volatility per year of the reward token (farm tokens tend to fall).
    lower, upper : float, optional
        V3 range as multiples of the entry price (default: full range).
    n_paths, seed : int
        Number of paths and the seed.
    dt_days : float
        Days per step (1: daily; longer steps are faster and slightly coarser for fees in a range).

    Returns
    -------
    dict of numpy.ndarray, each of shape (n_paths,), in USD
        ``il`` (LP - HODL before income, <= 0), ``fees``, ``rewards`` (valued when earned),
        ``total`` (= il + fees + rewards), ``price_ratio`` (exit / entry), ``hodl`` (value of
        holding the deposited tokens at exit); plus floats
        ``fee_apr``, ``incentive_apr`` (today's) and ``naive_rewards`` (USD a calculator
        would promise).

    Notebook 08.

    >>> out = simulate_farm(n_paths=200, seed=1)
    >>> bool(out["rewards"].mean() < out["naive_rewards"])   # the reward token fell
    True
    """
    d = integer("days", days, lo=1, hi=3650)
    n = integer("n_paths", n_paths, lo=1, hi=100_000)
    seed = integer("seed", seed, lo=0, why="a whole number >= 0: the same seed gives the same numbers")
    f_apr = fee_apr(daily_volume, tvl, fee_tier)
    dt = number("dt_days", dt_days, lo=0, lo_open=True, hi=d, why="a step no longer than the horizon")
    dt = d / max(1, int(round(d / dt)))          # a whole number of steps that ends exactly at `days`
    p = price_paths(1.0, sigma, d, n, seed=seed, mu=mu, dt_days=dt)
    rp = price_paths(number("reward_price", reward_price, lo=0, lo_open=True), reward_sigma, d, n,
                     seed=seed + 1, mu=reward_drift, dt_days=dt)
    lp = lp_value_path(p, deposit, lower, upper)[:, -1]
    hodl = hodl_value_path(p, deposit, lower, upper)[:, -1]
    fees = fee_income_path(p, f_apr, deposit, lower, upper, dt_days=dt)[:, -1]
    rewards = reward_income(rewards_per_day, rp, tvl, deposit, dt_days=dt)[:, -1]
    return {
        "il": lp - hodl, "fees": fees, "rewards": rewards, "total": lp - hodl + fees + rewards,
        "price_ratio": p[:, -1], "hodl": hodl,
        "fee_apr": f_apr, "incentive_apr": incentive_apr(rewards_per_day, reward_price, tvl),
        "naive_rewards": naive_reward_income(rewards_per_day, reward_price, tvl, deposit, d),
    }
