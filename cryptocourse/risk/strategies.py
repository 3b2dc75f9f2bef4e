"""Random events (exploits, depegs) and the value of each cash-flow strategy on the same price paths."""
from __future__ import annotations

import math
import os
import threading
from typing import Callable

import numpy as np

from cryptocourse._validate import fail, integer, number

from .paths import _CHUNK, _STREAM_EVENTS, DAY, _event_rng, _PathModel, _paths_array, _check_size


# --------------------------------------------------------------------------- random events
def event_steps(n_paths: int, n_steps: int, annual_probability: float, *, dt: float = DAY,
                seed=2026, stream: int = 0) -> np.ndarray:
    """Step of the first random event (exploit, slashing, depeg) on each path.

    The event has a constant hazard: probability ``annual_probability`` of happening
    within a year, i.e. ``1 - (1 - p)**dt`` per step (so ``p = 1`` means on the first
    step: a stress test). Paths without an event in the horizon get ``n_steps + 1``.

    Parameters
    ----------
    n_paths, n_steps : paths and steps.
    annual_probability : chance the event happens within one year (0 to 1).
    dt : step length (years).
    seed : integer seed (or a ``numpy.random.Generator``).
    stream : which event (give each protocol its own stream so events are independent).

    Returns
    -------
    numpy.ndarray of int, shape ``(n_paths,)``: the step (1..n_steps) of the event, or
    ``n_steps + 1`` for none.

    Examples
    --------
    >>> s = event_steps(100_000, 365, 0.05, seed=1)
    >>> round(float((s <= 365).mean()), 2)
    0.05

    Introduced in notebook 14.
    """
    n_paths = integer("n_paths", n_paths, lo=1, hi=10**7, why="a whole number of paths, at most 10,000,000")
    n_steps = integer("n_steps", n_steps, lo=1, hi=10**6, why="a whole number of steps, at most 1,000,000")
    _check_size(n_paths, n_steps)
    p = number("annual_probability", annual_probability, lo=0, hi=1,
               why="a probability per year between 0 and 1 (0.05 = 5%)")
    dt = number("dt", dt, lo=0, lo_open=True, hi=1)
    stream = integer("stream", stream, lo=0)
    if p == 0:
        return np.full(n_paths, n_steps + 1)
    q = 1.0 if p == 1 else -math.expm1(math.log1p(-p) * dt)
    steps = _event_rng(seed, stream).geometric(q, n_paths)
    return np.minimum(steps, n_steps + 1)


def event_factor(steps, n_steps: int, loss_fraction: float) -> np.ndarray:
    """Multiplier over time that drops to ``1 - loss_fraction`` from each path's event step on.

    Parameters
    ----------
    steps : event step of each path (from :func:`event_steps`).
    n_steps : steps in the horizon.
    loss_fraction : share of the value lost in the event (0 to 1; 1 = everything).

    Returns
    -------
    numpy.ndarray, shape ``(n_paths, n_steps + 1)``: 1 before the event, ``1 - loss`` after.

    Examples
    --------
    >>> event_factor([2, 9], 3, 0.5)
    array([[1. , 1. , 0.5, 0.5],
           [1. , 1. , 1. , 1. ]])
    """
    s = np.atleast_1d(number("steps", steps, lo=0, why="each path's event step (from event_steps)"))
    n_steps = integer("n_steps", n_steps, lo=1, hi=10**6, why="a whole number of steps, at most 1,000,000")
    loss = number("loss_fraction", loss_fraction, lo=0, hi=1, why="a share of the value, 0 to 1")
    t = np.arange(n_steps + 1)
    return np.where(t[None, :] >= s[:, None], 1.0 - loss, 1.0)


def depeg_paths(n_paths: int, n_steps: int, annual_probability: float = 0.05, depth: float = 0.3,
                half_life_days: float = 30.0, *, dt: float = DAY, seed=2026, stream: int = 0) -> np.ndarray:
    """Price of a stablecoin that may lose its peg once, then recover part-way.

    Until the event the price is 1 USD; at the event it falls to ``1 - depth`` and the
    gap closes with the given half-life (``float('inf')``: it never recovers, as UST).

    Parameters
    ----------
    n_paths, n_steps : paths and steps.
    annual_probability : chance of a depeg within a year (0 to 1).
    depth : size of the fall (fraction of 1 USD, 0 to 1).
    half_life_days : days for half the gap to close (> 0; ``inf`` for never).
    dt, seed, stream : as in :func:`event_steps`.

    Returns
    -------
    numpy.ndarray, shape ``(n_paths, n_steps + 1)``: stablecoin price (USD).

    Examples
    --------
    >>> p = depeg_paths(3, 365, annual_probability=1.0, depth=0.2, half_life_days=float("inf"), seed=1)
    >>> float(p[0, 0]), float(p[0, -1])
    (1.0, 0.8)

    Introduced in notebook 14.
    """
    steps = event_steps(n_paths, n_steps, annual_probability, dt=dt, seed=seed, stream=stream)
    depth = number("depth", depth, lo=0, hi=1, why="the fall as a fraction of 1 USD")
    hl = number("half_life_days", half_life_days, lo=0, lo_open=True, hi=float("inf"))
    t = np.arange(n_steps + 1)[None, :]
    since = (t - steps[:, None]) * dt * 365.0  # days since the event
    gap = np.where(since >= 0, depth * np.exp2(-np.maximum(since, 0) / hl), 0.0)
    return 1.0 - gap


# --------------------------------------------------------------------------- many paths, little memory
def simulate(strategy: Callable, s0: float = 1.0, mu: float = 0.0, sigma: float = 0.8, *,
             jump_rate: float = 0.0, jump_mean: float = -0.15, jump_std: float = 0.1,
             n_paths: int = 100_000, n_steps: int = 365, dt: float = DAY, seed: int = 2026,
             workers: int | None = None) -> dict:
    """Run a strategy on many price paths, block by block, keeping only each path's results.

    The paths are exactly those of :func:`gbm_paths` / :func:`jump_diffusion_paths`
    with the same arguments, but never held all at once, so 100,000 paths of a year
    of daily steps fit in a few MB.

    Parameters
    ----------
    strategy : ``strategy(prices, rng) -> values``: maps a block of prices
        ``(n, n_steps + 1)`` to the strategy's values (same shape, > 0); ``rng`` is a
        generator for its own random events (each block gets a fresh one).
    s0, mu, sigma, jump_rate, jump_mean, jump_std : the price model (see :func:`jump_diffusion_paths`).
    n_paths, n_steps, dt, seed : as in :func:`gbm_paths`.
    workers : threads (numpy releases the GIL; default: up to 2). The numbers do not
        depend on it: each block of paths has its own seeded generators.

    Returns
    -------
    dict with ``final_return`` and ``max_drawdown`` (arrays of shape ``(n_paths,)``, fractions)
    and ``final_price`` (USD).

    Examples
    --------
    >>> out = simulate(lambda p, rng: p, 1.0, 0.0, 0.8, n_paths=10, seed=1)
    >>> from cryptocourse.risk import gbm_paths
    >>> bool(np.allclose(out["final_return"], gbm_paths(1.0, 0.0, 0.8, n_paths=10, seed=1)[:, -1] - 1))
    True

    Measured in benchmarks/bench_simulation.py. Introduced in notebook 14.
    """
    if not callable(strategy):
        fail("strategy", "a function strategy(prices, rng) -> values", strategy, exc=TypeError)
    model = _PathModel(s0, mu, sigma, None, jump_rate, jump_mean, jump_std, n_paths, n_steps, dt, seed)
    workers = integer("workers", workers if workers is not None else min(2, os.cpu_count() or 1), lo=1, hi=64)
    final = np.empty(model.n_paths)
    mdd = np.empty(model.n_paths)
    last_price = np.empty(model.n_paths)

    local = threading.local()  # per-thread buffers, reused block after block (no fresh pages)

    def run(i: int) -> None:  # blocks write disjoint slices, so threads never collide
        if not hasattr(local, "out"):
            size = min(_CHUNK, model.n_paths)
            local.out = np.empty((1, size, model.n_steps + 1))
            local.z = np.empty((size, model.n_steps))
            local.peak = np.empty((size, model.n_steps + 1))
        a, b, logp = model.block(i, local.out, local.z)
        prices = np.exp(logp[0], out=logp[0])
        prices[:, 0] = model.s0[0]
        rng = np.random.default_rng(np.random.SeedSequence(model.seed, spawn_key=(_STREAM_EVENTS, 999, i)))
        values = np.asarray(strategy(prices, rng), dtype=float)
        if values.shape != prices.shape:
            fail("strategy", f"returning values of shape {prices.shape}", f"shape {values.shape}")
        final[a:b] = values[:, -1] / values[:, 0] - 1.0
        peak = np.maximum.accumulate(values, axis=1, out=local.peak[: b - a])
        mdd[a:b] = 1.0 - np.min(np.divide(values, peak, out=peak), axis=1)
        last_price[a:b] = prices[:, -1]

    if workers == 1 or model.n_blocks() == 1:
        for i in range(model.n_blocks()):
            run(i)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, range(model.n_blocks())))  # list() re-raises any error
    return {"final_return": final, "max_drawdown": mdd, "final_price": last_price}


# --------------------------------------------------------------------------- strategies on the same paths
# Each returns the value over time per unit of starting capital, shape (n_paths, n_steps + 1),
# starting at 1, and reuses the topic module that teaches the mechanism.
def _relative(prices, name: str = "prices") -> np.ndarray:
    p = np.atleast_2d(_paths_array(name, prices, 1, positive=True, why="prices are positive"))
    return p / p[:, :1]


def _apply_events(values: np.ndarray, steps: np.ndarray, loss_fraction: float) -> np.ndarray:
    """In place: multiply each path by ``1 - loss`` from its event step on (cheap: events are rare)."""
    loss = number("loss_fraction", loss_fraction, lo=0, hi=1, why="a share of the value, 0 to 1")
    for row in np.flatnonzero(steps < values.shape[1]):
        values[row, steps[row]:] *= 1.0 - loss
    return values


def hodl_values(prices) -> np.ndarray:
    """HODL: buy the asset and hold it; value per unit of capital is ``P_t / P_0``.

    Examples
    --------
    >>> hodl_values([[2.0, 3.0, 1.0]]).tolist()
    [[1.0, 1.5, 0.5]]
    """
    return _relative(prices)


def with_exploit(values, annual_probability: float = 0.02, loss_fraction: float = 1.0, *,
                 dt: float = DAY, seed=2026, stream: int = 0) -> np.ndarray:
    """A strategy's value when its protocol may be exploited (hacked, rugged) once.

    Parameters
    ----------
    values : shape ``(n_paths, n_steps + 1)``: the strategy's value without the risk.
    annual_probability : chance of an exploit within a year (0 to 1).
    loss_fraction : share of the deposit lost when it happens (1 = all of it).
    dt, seed : step length (years) and seed.
    stream : one stream per protocol, so two protocols are hacked independently.

    Returns
    -------
    numpy.ndarray: the value with the exploit applied (floored at a tiny positive value).

    Examples
    --------
    >>> v = with_exploit(np.ones((4, 366)), annual_probability=1.0, loss_fraction=0.5, seed=1)
    >>> float(v[0, -1])
    0.5
    """
    v = np.atleast_2d(_paths_array("values", values, 1))
    steps = event_steps(v.shape[0], v.shape[1] - 1, annual_probability, dt=dt, seed=seed, stream=stream)
    return np.maximum(_apply_events(v.copy(), steps, loss_fraction), 1e-9)


def staking_values(prices, apr: float = 0.03, *, commission: float = 0.0, slash_probability: float = 0.01,
                   slash_fraction: float | None = None, dt: float = DAY, seed=2026, stream: int = 1) -> np.ndarray:
    """Stake the asset: rewards compound daily, a slashing event may cut the stake once.

    Rewards use :func:`cryptocourse.staking.delegator_apr` (after commission) and
    :func:`cryptocourse.staking.compound_growth`; by default a slashing costs what the
    Ethereum spec takes from an isolated 32-ETH validator
    (:func:`cryptocourse.staking.eth_slashing_penalties`, about 0.2%).

    Parameters
    ----------
    prices : shape ``(n_paths, n_steps + 1)``: the staked token's price (USD).
    apr : staking reward rate (per year) before commission.
    commission : the pool operator's share of the rewards (0 to 1).
    slash_probability : chance of being slashed within a year (0 to 1).
    slash_fraction : share of the stake lost if slashed (0 to 1); None: the Ethereum spec figure.
    dt, seed, stream : step length (years), seed and event stream.

    Returns
    -------
    numpy.ndarray, shape ``(n_paths, n_steps + 1)``: value per unit of capital.

    Examples
    --------
    >>> v = staking_values(np.ones((1, 366)), apr=0.04, slash_probability=0.0)
    >>> round(float(v[0, -1]), 5)
    1.04081

    Introduced in notebook 14 (the mechanism: notebook 06).
    """
    from cryptocourse import staking

    rel = _relative(prices)
    dt = number("dt", dt, lo=0, lo_open=True, hi=1)
    net = staking.delegator_apr(apr, commission)
    if slash_fraction is None:
        lost = staking.eth_slashing_penalties(32 * 10**9, 32 * 10**9, 34_000_000 * 10**9)["total"]
        slash_fraction = lost / (32 * 10**9)
    n_paths, m = rel.shape[0], rel.shape[1] - 1
    tokens = staking.compound_growth(net, np.arange(m + 1) * dt)
    number("slash_probability", slash_probability, lo=0, hi=1, why="a probability per year between 0 and 1")
    steps = event_steps(n_paths, m, slash_probability, dt=dt, seed=seed, stream=stream)
    rel *= tokens[None, :]
    return _apply_events(rel, steps, slash_fraction)


def lp_values(prices, fee_apr: float = 0.2, *, lower: float | None = None, upper: float | None = None,
              dt: float = DAY) -> np.ndarray:
    """Provide liquidity to a token/stablecoin pool: impermanent loss plus fee income.

    Value = LP position (:func:`cryptocourse.farming.lp_value_path`: full range as
    Uniswap V2, or a V3 range ``[lower, upper]`` times the entry price) plus the fees
    earned so far (:func:`cryptocourse.farming.fee_income_path`, kept as cash).

    Parameters
    ----------
    prices : shape ``(n_paths, n_steps + 1)``: the volatile token's price (USD).
    fee_apr : the pool's fee APR for full-range liquidity (per year).
    lower, upper : optional range as multiples of the entry price (e.g. 0.5 and 2).
    dt : step length (years).

    Returns
    -------
    numpy.ndarray, shape ``(n_paths, n_steps + 1)``: value per unit of capital.

    Examples
    --------
    >>> lp_values([[1.0, 4.0]], fee_apr=0.0).tolist()   # sqrt(4); HODL 50/50 would be 2.5
    [[1.0, 2.0]]

    Introduced in notebook 14 (the mechanism: notebooks 07 and 08).
    """
    from cryptocourse import amm, farming

    rel = _relative(prices)
    fee = number("fee_apr", fee_apr, lo=0, hi=10, why="a yearly fee rate (0.2 = 20%)")
    dt = number("dt", dt, lo=0, lo_open=True, hi=1)
    if lower is not None or upper is not None:
        value = farming.lp_value_path(rel, 1.0, lower, upper)
        if fee > 0:
            value += farming.fee_income_path(rel, fee, 1.0, lower, upper, dt_days=dt * 365.0)
        return value
    # Full range (the common case, and the one simulated at scale): the same numbers as the
    # farming functions (a test checks it) with fewer passes over the array. LP / HODL - 1 is
    # amm.impermanent_loss; the HODL half-and-half is (1 + r) / 2.
    value = np.asarray(amm.impermanent_loss(rel))
    value += 1.0
    half = rel + 1.0
    half *= 0.5
    value *= half
    if fee > 0:  # each step earns fee_apr * dt on the position's value at full range (notebook 08's rule)
        step = np.sqrt(rel, out=half)
        step *= fee * dt
        step[:, 0] = 0.0
        value += np.cumsum(step, axis=1, out=step)
    return value


def lp_lvr(prices) -> np.ndarray:
    """Loss-versus-rebalancing of a full-range LP along many paths, per unit of capital (notebook 11).

    The pool of :func:`lp_values` (no fees) holds ``x = 1 / (2 sqrt(P / P_0))`` tokens per unit
    of capital. The **rebalancing** portfolio holds the same tokens at every step but trades at
    the market price, so it gains ``x_{t-1} (P_t - P_{t-1}) / P_0`` each step. LVR is the
    rebalancing portfolio minus the pool: what the arbitrageurs took. It never falls along a
    path, and at zero drift the pool's expected loss equals the expected LVR (the rebalancing
    portfolio is a fair bet). The same numbers as :func:`cryptocourse.arbitrage.lvr_path` with
    no fee, path by path (a test checks it), for many paths at once.

    Parameters
    ----------
    prices : shape ``(n_paths, n_steps + 1)``: the volatile token's price (USD).

    Returns
    -------
    numpy.ndarray, same shape: cumulative LVR per unit of capital (>= 0, starts at 0).

    Examples
    --------
    >>> lp_lvr([[100.0, 150.0, 100.0]]).round(6).tolist()     # as lvr_path in notebook 11
    [[0.0, 0.025255, 0.045876]]

    Source: Milionis, Moallemi, Roughgarden, Zhang (2022), "Automated Market Making and
    Loss-Versus-Rebalancing", arXiv:2208.06046. Introduced in notebook 14 (the mechanism: notebook 11).
    """
    rel = _relative(prices)
    root = np.sqrt(rel)
    rebal = np.ones_like(rel)
    np.cumsum(0.5 / root[:, :-1] * np.diff(rel, axis=1), axis=1, out=rebal[:, 1:])
    rebal[:, 1:] += 1.0
    return np.maximum(rebal - root, 0.0)


def utilization_paths(n_paths: int, n_steps: int, start: float = 0.7, mean: float = 0.7, speed: float = 6.0,
                      vol: float = 1.5, *, dt: float = DAY, seed=2026, stream: int = 2) -> np.ndarray:
    """Random utilisation of a lending market: a mean-reverting walk kept inside (0, 1).

    The log-odds ``x = log(U / (1 - U))`` follow an Ornstein-Uhlenbeck process
    ``dx = speed (x_mean - x) dt + vol dW``, so utilisation wanders around ``mean``
    and spikes now and then (as when borrowers rush in): an illustrative model.

    Parameters
    ----------
    n_paths, n_steps : paths and steps.
    start, mean : utilisation today and on average (fractions in (0, 1)).
    speed : how fast it returns to the mean (per year).
    vol : volatility of the log-odds (per sqrt year).
    dt, seed, stream : step length (years), seed and stream.

    Returns
    -------
    numpy.ndarray, shape ``(n_paths, n_steps)``: utilisation during each step.

    Examples
    --------
    >>> u = utilization_paths(3, 10, seed=1)
    >>> u.shape, bool(((u > 0) & (u < 1)).all())
    ((3, 10), True)
    """
    n_paths = integer("n_paths", n_paths, lo=1, hi=10**7, why="a whole number of paths, at most 10,000,000")
    n_steps = integer("n_steps", n_steps, lo=1, hi=10**6, why="a whole number of steps, at most 1,000,000")
    _check_size(n_paths, n_steps)
    u0 = number("start", start, lo=0, hi=1, lo_open=True, hi_open=True)
    um = number("mean", mean, lo=0, hi=1, lo_open=True, hi_open=True)
    k = number("speed", speed, lo=0, hi=1000)
    s = number("vol", vol, lo=0, hi=100)
    dt = number("dt", dt, lo=0, lo_open=True, hi=1)
    rng = _event_rng(seed, stream)
    xm = math.log(um / (1 - um))
    cur = np.full(n_paths, math.log(u0 / (1 - u0)))
    a = math.exp(-k * dt)
    sd = s * math.sqrt((1 - a * a) / (2 * k)) if k > 0 else s * math.sqrt(dt)
    z = np.ascontiguousarray(rng.standard_normal((n_paths, n_steps)).T)  # time-major: rows are days
    x = np.empty((n_steps, n_paths))
    for j in range(n_steps):
        x[j] = cur
        cur = xm + (cur - xm) * a + sd * z[j]
    return np.ascontiguousarray((1.0 / (1.0 + np.exp(-x))).T)


def lending_values(n_paths: int, n_steps: int, rate_model=None, *, utilization=None,
                   stable_price=None, dt: float = DAY, seed=2026) -> np.ndarray:
    """Supply a stablecoin to a lending market: variable interest, in USD, exposed to a depeg.

    The supply rate each step comes from the market's rate model
    (:class:`cryptocourse.lending.InterestRateModel`, Aave-style kink) at that step's
    utilisation (default: :func:`utilization_paths`). Value = stablecoin price
    (default 1 USD, or e.g. :func:`depeg_paths`) times the balance grown by the interest.

    Parameters
    ----------
    n_paths, n_steps : paths and steps.
    rate_model : an object with ``supply_rate(u)``; default Aave v3-like
        ``InterestRateModel(0.9, 0.0, 0.04, 0.6, reserve_factor=0.1)`` (illustrative).
    utilization : shape ``(n_paths, n_steps)`` or None (simulated).
    stable_price : shape ``(n_paths, n_steps + 1)`` or None (always 1 USD).
    dt, seed : step length (years) and seed.

    Returns
    -------
    numpy.ndarray, shape ``(n_paths, n_steps + 1)``: value per unit of capital (USD).

    Examples
    --------
    >>> v = lending_values(2, 365, utilization=np.full((2, 365), 0.9))
    >>> round(float(v[0, -1]), 4)   # 4% borrow x 90% used x 90% after reserve factor = 3.24%
    1.0329

    Introduced in notebook 14 (the mechanism: notebook 09).
    """
    from cryptocourse import lending

    n_paths = integer("n_paths", n_paths, lo=1, hi=10**7, why="a whole number of paths, at most 10,000,000")
    n_steps = integer("n_steps", n_steps, lo=1, hi=10**6, why="a whole number of steps, at most 1,000,000")

    _check_size(n_paths, n_steps)
    dt = number("dt", dt, lo=0, lo_open=True, hi=1)
    if rate_model is None:
        rate_model = lending.InterestRateModel(0.9, 0.0, 0.04, 0.6, reserve_factor=0.1)
    if not hasattr(rate_model, "supply_rate"):
        fail("rate_model", "a rate model with supply_rate(u)", rate_model, exc=TypeError)
    if utilization is None:
        utilization = utilization_paths(n_paths, n_steps, dt=dt, seed=seed)
    u = np.asarray(number("utilization", utilization, lo=0, hi=1))
    if u.shape != (n_paths, n_steps):
        fail("utilization", f"an array of shape ({n_paths}, {n_steps})", f"shape {u.shape}")
    rate = np.asarray(rate_model.supply_rate(u))
    balance = np.concatenate([np.ones((n_paths, 1)), np.exp(np.cumsum(rate * dt, axis=1))], axis=1)
    if stable_price is None:
        return balance
    sp = np.asarray(number("stable_price", stable_price, lo=0, lo_open=True))
    if sp.shape != balance.shape:
        fail("stable_price", f"an array of shape {balance.shape}", f"shape {sp.shape}")
    return balance * sp / sp[:, :1]


def leveraged_farm_values(prices, leverage: float = 2.0, farm_apy=0.2, borrow_apy=0.1, *,
                          liquidation_threshold: float = 0.85, liquidation_penalty: float = 0.05,
                          lp: bool = True, dt: float = DAY) -> np.ndarray:
    """Leveraged yield farming: borrow a stablecoin to farm ``leverage`` times your capital.

    A thin wrapper over :func:`cryptocourse.leverage.levered_farm_outcomes` (notebook 10's
    model: exposure ``L`` in a 50/50 LP or the token, debt ``L - 1``, the whole position
    closed with a penalty the first day ``exposure * threshold < debt``), returning the
    equity path.

    Parameters
    ----------
    prices : shape ``(n_paths, n_steps + 1)``: the volatile token's price (USD).
    leverage : exposure per unit of equity (>= 1, below ``1 / (1 - liquidation_threshold)``).
    farm_apy, borrow_apy : farm yield and borrow cost (APY per year); numbers or arrays of
        shape ``(n_paths, n_steps)`` (e.g. variable rates from
        :func:`cryptocourse.leverage.simulate_borrow_rates`).
    liquidation_threshold, liquidation_penalty : fractions.
    lp : farm an LP position (True) or the token itself (False).
    dt : step length (years).

    Returns
    -------
    numpy.ndarray, shape ``(n_paths, n_steps + 1)``: equity per unit of capital,
    floored at a tiny positive value when wiped out.

    Examples
    --------
    >>> v = leveraged_farm_values([[1.0, 1.0, 0.5]], leverage=3.0, farm_apy=0.0, borrow_apy=0.0, lp=False)
    >>> round(float(v[0, 1]), 6), round(float(v[0, 2]), 4)   # a 50% fall liquidates a 3x position
    (1.0, 0.0)

    Introduced in notebook 14 (the mechanism: notebook 10).
    """
    from cryptocourse import leverage as lev_module

    p = np.atleast_2d(_paths_array("prices", prices, 1, positive=True))
    dt = number("dt", dt, lo=0, lo_open=True, hi=1)
    out = lev_module.levered_farm_outcomes(
        p, leverage, farm_apy, borrow_apy, liquidation_threshold=liquidation_threshold,
        liquidation_penalty=liquidation_penalty, lp=lp, dt_years=dt)
    return np.maximum(out.equity, 1e-9)


def governance_token_values(prices, fee_yield: float = 0.05, *, dt: float = DAY) -> np.ndarray:
    """Hold a governance token whose protocol pays holders part of its fees (a fee switch, notebook 12).

    The token's price moves with the market; the payouts are ``fee_yield`` of the token's
    current price per year, paid in a stablecoin and kept as cash. Payouts proportional to
    the price are what notebook 12's discounted-cash-flow view implies when the market
    values the token at a steady multiple of its fees: when the protocol earns less, both
    fall.

    Parameters
    ----------
    prices : shape ``(n_paths, n_steps + 1)``: the token's price (USD).
    fee_yield : payouts per year as a share of the token's price (0.05 = 5 %).
    dt : step length (years).

    Returns
    -------
    numpy.ndarray, shape ``(n_paths, n_steps + 1)``: value per unit of capital.

    Examples
    --------
    >>> governance_token_values([[1.0, 1.0, 0.5]], fee_yield=1.0, dt=0.1).round(6).tolist()   # 10 % per step
    [[1.0, 1.1, 0.7]]

    Introduced in notebook 14 (the mechanism: notebook 12).
    """
    rel = _relative(prices)
    y = number("fee_yield", fee_yield, lo=0, hi=5, why="payouts per year as a share of the price (0.05 = 5%)")
    dt = number("dt", dt, lo=0, lo_open=True, hi=1)
    paid = np.zeros_like(rel)
    np.cumsum(rel[:, :-1] * (y * dt), axis=1, out=paid[:, 1:])
    return rel + paid


def model_share_values(eth_prices, revenue_yield: float = 0.10, *, usage_sigma: float = 0.4,
                       incident_probability: float = 0.05, incident_loss: float = 0.8, dt: float = DAY,
                       seed=2026, stream: int = 30) -> np.ndarray:
    """Own a share of a jointly owned AI model's licence revenue (Part I: notebooks 03 and 05).

    Users pay the model's ModelLicense contract a fee per use **in ETH** (notebook 03), split
    among the owners by their shares (notebook 05's Shapley-based shares). You buy a share
    for 1 USD that pays ``revenue_yield`` a year at today's usage and ETH price. The USD
    revenue then moves with two things: **usage** (a zero-drift random walk of its own,
    volatility ``usage_sigma``, independent of crypto prices) and the **ETH price** (fees are
    paid in ETH). An **incident** (the model harms someone; governance slashes the provider's
    bond and users leave) happens with ``incident_probability`` a year and cuts usage by
    ``incident_loss`` for good. The share is valued at the same multiple of its revenue as
    when you bought it; revenue received is kept as cash. Illustrative assumptions.

    Parameters
    ----------
    eth_prices : shape ``(n_paths, n_steps + 1)``: ETH's price (USD).
    revenue_yield : revenue per year per USD paid for the share, at the start.
    usage_sigma : volatility of usage (per year).
    incident_probability, incident_loss : the incident's chance per year and the share of usage lost.
    dt, seed, stream : step length (years), seed and random stream.

    Returns
    -------
    numpy.ndarray, shape ``(n_paths, n_steps + 1)``: value per unit of capital.

    Examples
    --------
    >>> flat = np.ones((2, 366))
    >>> v = model_share_values(flat, 0.1, usage_sigma=0.0, incident_probability=0.0)
    >>> round(float(v[0, -1]), 6)      # a year of 10 % revenue at steady usage and ETH price
    1.1

    Introduced in notebook 14 (the mechanism: notebooks 03 and 05).
    """
    rel = _relative(eth_prices, "eth_prices")
    number("incident_probability", incident_probability, lo=0, hi=1, why="a probability per year between 0 and 1")
    y = number("revenue_yield", revenue_yield, lo=0, hi=5, why="revenue per year per USD invested (0.1 = 10%)")
    s = number("usage_sigma", usage_sigma, lo=0, hi=5, why="volatility of usage per year (0.4 = 40%)")
    loss = number("incident_loss", incident_loss, lo=0, hi=1, why="the share of usage lost, 0 to 1")
    dt = number("dt", dt, lo=0, lo_open=True, hi=1)
    stream = integer("stream", stream, lo=0)
    n_paths, m = rel.shape[0], rel.shape[1] - 1
    z = _event_rng(seed, stream).standard_normal((n_paths, m))
    log_usage = np.zeros((n_paths, m + 1))
    np.cumsum(s * math.sqrt(dt) * z - 0.5 * s * s * dt, axis=1, out=log_usage[:, 1:])
    flow = np.exp(log_usage) * rel                    # revenue relative to the start (USD)
    hit = event_steps(n_paths, m, incident_probability, dt=dt, seed=seed, stream=stream + 1)
    flow = _apply_events(flow, hit, loss)
    paid = np.zeros_like(flow)
    np.cumsum(flow[:, :-1] * (y * dt), axis=1, out=paid[:, 1:])
    return flow + paid
