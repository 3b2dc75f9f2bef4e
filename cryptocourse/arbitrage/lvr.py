"""Loss-versus-rebalancing (LVR): what arbitrage takes from liquidity providers, in closed form and on paths."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._common import _WHY_FEE, _as_out, _fee
from .._validate import fail, integer, number

# --------------------------------------------------------------------------- LVR


def lvr_rate(sigma: ArrayLike, pool_value: ArrayLike = 1.0) -> float | np.ndarray:
    """Loss-versus-rebalancing per unit time of a constant-product pool: sigma**2/8 * value.

    What arbitrageurs take from a full-range constant-product pool (before fees),
    compared with a portfolio that holds the same tokens but rebalances at market prices.

    Parameters
    ----------
    sigma : float or array
        Volatility of the price per square-root time unit (e.g. 0.8 = 80 % per year).
    pool_value : float or array, default 1.0
        Pool value in B (1.0 gives the rate as a fraction of the pool).

    Returns
    -------
    float or array
        LVR in B per time unit (per year if sigma is annual).

    Examples
    --------
    >>> lvr_rate(0.8)              # 80 % volatility: 8 % of the pool per year
    0.08
    >>> round(lvr_rate(0.8, 1_000_000) / 365, 2)   # USD per day on a $1M pool
    219.18

    Source: Milionis, Moallemi, Roughgarden, Zhang (2022), "Automated Market Making and
    Loss-Versus-Rebalancing", https://arxiv.org/abs/2208.06046, Section 5 (constant product).
    Notebook 11.
    """
    s = number("sigma", sigma, lo=0, hi=math.inf, hi_open=True,
               why="volatility per sqrt(time unit), e.g. 0.8 for 80 % per year")
    v = number("pool_value", pool_value, lo=0, hi=math.inf, hi_open=True, why="pool value in B")
    return _as_out(np.asarray(s**2 / 8.0 * v))


def expected_lvr(sigma: ArrayLike, years: ArrayLike = 1.0, drift: ArrayLike = 0.0,
                 pool_value: ArrayLike = 1.0) -> float | np.ndarray:
    """Expected LVR over ``years``, as a share of the STARTING pool value (no fee, continuous arbitrage).

    :func:`lvr_rate` is a rate on the pool's *current* value. A constant-product pool is worth
    ``V0 * sqrt(P / P0)``, and for a geometric Brownian motion with drift ``mu`` (E[P] = P0 e^(mu t))
    ``E[sqrt(P / P0)] = exp((mu/2 - sigma**2/8) t)``: with no drift the pool shrinks on average, so a
    year at 80 % volatility costs ``1 - exp(-0.08)`` = 7.69 % of the starting value, not 8 %.
    Integrating ``sigma**2/8 * E[V_t]``::

        a = mu/2 - sigma**2/8;   E[LVR] = V0 * sigma**2/8 * (e^(a T) - 1) / a   (= V0 sigma**2/8 T if a = 0)

    Parameters
    ----------
    sigma : float or array
        Annual volatility (0.8 = 80 %).
    years : float or array, default 1.0
        Horizon in years (>= 0).
    drift : float or array, default 0.0
        Annual drift of the price.
    pool_value : float or array, default 1.0
        Starting pool value (1.0 gives a fraction).

    Examples
    --------
    >>> round(expected_lvr(0.8), 5)                     # 1 - exp(-0.08)
    0.07688
    >>> round(expected_lvr(0.8, drift=0.16), 5)         # drift sigma**2/4 keeps the pool's value flat: sigma**2/8
    0.08

    Source: the LVR rate of Milionis, Moallemi, Roughgarden, Zhang (2022), https://arxiv.org/abs/2208.06046
    (Section 5), integrated over the expected pool value. Notebook 11.
    """
    s = np.asarray(number("sigma", sigma, lo=0, hi=10, why="annual volatility, e.g. 0.8 for 80 % per year"))
    t = np.asarray(number("years", years, lo=0, hi=1_000, why="a horizon in years"))
    mu = np.asarray(number("drift", drift, lo=-10, hi=10, why="annual drift of the price"))
    v = np.asarray(number("pool_value", pool_value, lo=0, finite=True, why="starting pool value"))
    a = mu / 2.0 - s * s / 8.0
    at = a * t
    # (e^(a t) - 1) / a, written as t * expm1(at) / at so that a -> 0 gives t without a 0/0
    safe = np.where(at == 0.0, 1.0, at)
    growth = np.where(at == 0.0, t, t * np.expm1(at) / safe)
    return _as_out(v * s * s / 8.0 * growth)


def breakeven_volume(sigma: ArrayLike, fee: ArrayLike) -> float | np.ndarray:
    """Uninformed trading volume (per time unit, as a multiple of pool value) whose fees pay the LVR.

    fee * volume = sigma**2 / 8  =>  volume = sigma**2 / (8 * fee). Ignores the fees that
    arbitrageurs themselves pay (which reduce the net cost further).

    Parameters
    ----------
    sigma : float or array
        Volatility per square-root time unit.
    fee : float or array
        Swap fee as a fraction (> 0).

    Returns
    -------
    float or array
        Volume per time unit divided by pool value (1.0 = the pool's value once).

    Examples
    --------
    >>> round(breakeven_volume(0.8, 0.003), 2)   # 80 % vol, 0.30 % fee: 26.67 x pool per year
    26.67

    Source: Milionis et al. (2022), https://arxiv.org/abs/2208.06046. Notebook 11.
    """
    s = number("sigma", sigma, lo=0, hi=math.inf, hi_open=True,
               why="volatility per sqrt(time unit), e.g. 0.8 for 80 % per year")
    f = number("fee", fee, lo=0, lo_open=True, hi=1, hi_open=True, why=_WHY_FEE + "; with no fee nothing pays")
    return _as_out(np.asarray(s**2 / (8.0 * f)))


def _follow_band(logp_t: np.ndarray, band: float, start: np.ndarray | None = None) -> np.ndarray:
    """Pool log price, time-major: each step an arbitrageur moves it into [log P - band, log P + band].

    ``logp_t`` has shape (steps + 1, ...) (time first); the pool starts at ``start`` (default:
    the market price ``logp_t[0]``).
    """
    logs_t = np.empty_like(logp_t)
    if band == 0.0:
        logs_t[...] = logp_t
        return logs_t
    lo_t = logp_t - band
    hi_t = logp_t + band
    cur = np.array(logp_t[0] if start is None else start, dtype=float)  # a copy (0-d for one path)
    logs_t[0] = cur
    maximum, minimum = np.maximum, np.minimum
    for i in range(1, logp_t.shape[0]):  # the only sequential step: the pool remembers where it was
        maximum(cur, lo_t[i], out=cur)
        minimum(cur, hi_t[i], out=cur)
        logs_t[i] = cur
    return logs_t


def _steps(logp_t: np.ndarray, logs_t: np.ndarray, fee: float, liquidity: np.ndarray) -> tuple:
    """Per-step LVR and arbitrage fees (time-major) and the pool's reserves, for liquidity L = sqrt(k)."""
    root_s = np.exp(0.5 * logs_t)
    x = liquidity / root_s
    y = liquidity * root_s
    price = np.exp(logp_t)
    dx = np.diff(x, axis=0)
    dy = np.diff(y, axis=0)
    p_next = price[1:]
    # the pool's loss on the arbitrage trade, valued at the market price after the move
    lvr_step = -(dx * p_next + dy)
    # the arbitrageur sends gross = net / (1 - fee) of the input token; the fee part goes to the LP
    gross_up = 1.0 / (1.0 - fee) - 1.0
    fee_step = gross_up * (np.maximum(dx, 0.0) * p_next + np.maximum(dy, 0.0))
    return price, x, y, lvr_step, fee_step


@dataclass(frozen=True)
class PathLVR:
    """Result of :func:`lvr_path`: one price path, every amount in B, one entry per price.

    ``pool_value`` excludes the fees (they are paid to the LP outside the reserves, in
    ``arb_fees``). Identities (exact): ``pool_value - rebalancing_value == -lvr`` and
    ``pool_value - hodl_value == -lvr + (rebalancing_value - hodl_value)``.
    """

    price: np.ndarray
    pool_value: np.ndarray
    hodl_value: np.ndarray
    rebalancing_value: np.ndarray
    lvr: np.ndarray
    arb_fees: np.ndarray

    @property
    def impermanent_loss(self) -> np.ndarray:
        """Pool value against holding the deposit, minus 1 (a fraction; fees excluded)."""
        return self.pool_value / self.hodl_value - 1.0

    @property
    def il_value(self) -> np.ndarray:
        """Pool value minus holding the deposit, in B (negative: the LP is behind holding)."""
        return self.pool_value - self.hodl_value


def lvr_path(prices: ArrayLike, fee: float = 0.0, pool_value: float = 1.0) -> PathLVR:
    """Follow one price path with a constant-product pool and count LVR, fees and impermanent loss.

    The pool starts balanced at ``prices[0]`` (half its value in each token). At each new
    price an arbitrageur makes the optimal trade, which moves the pool's price to the
    nearest edge of the fee band [gamma*P, P/gamma] (with no fee: exactly to P). Three
    portfolios are compared, all valued at the market price:

    * the pool (its reserves; fees are counted apart, in ``arb_fees``),
    * **HODL**: the starting tokens, never traded,
    * **rebalancing**: at each step holds exactly the pool's tokens but trades at the market
      price (Milionis et al.'s benchmark). Its gain over the step is x * (P_new - P_old).

    ``lvr`` (rebalancing minus pool) grows at every step the price moves and never falls;
    impermanent loss (pool against HODL) depends only on the last price when there is no fee.

    Parameters
    ----------
    prices : sequence of float
        Market price of 1 A in B at each step (> 0), at least 2 of them.
    fee : float, default 0.0
        The pool's swap fee as a fraction.
    pool_value : float, default 1.0
        Pool value in B at the start.

    Returns
    -------
    PathLVR
        ``price``, ``pool_value``, ``hodl_value``, ``rebalancing_value``, cumulative ``lvr``
        and ``arb_fees`` (all in B, one entry per price), plus ``impermanent_loss``.

    Examples
    --------
    >>> there_and_back = lvr_path([100.0, 150.0, 100.0])      # up 50 %, then back
    >>> round(float(there_and_back.impermanent_loss[-1]), 6), round(float(there_and_back.lvr[-1]), 6)
    (0.0, 0.045876)
    >>> straight = lvr_path([100.0, 150.0])
    >>> round(float(straight.impermanent_loss[-1]), 6)          # IL at 1.5x, as in notebook 08
    -0.020204

    Source: Milionis, Moallemi, Roughgarden, Zhang (2022), "Automated Market Making and
    Loss-Versus-Rebalancing", https://arxiv.org/abs/2208.06046 (the rebalancing benchmark).
    Notebook 11.
    """
    p = number("prices", prices, lo=0, lo_open=True, hi=math.inf, hi_open=True,
               why="market prices of 1 A in B")
    p = np.atleast_1d(p)
    if p.ndim != 1 or p.size < 2:
        fail("prices", "a list of at least 2 prices", prices, "a path needs a start and an end")
    f = _fee(fee)
    if isinstance(f, np.ndarray):
        fail("fee", "a single number", fee, "one pool at a time", TypeError)
    v0 = number("pool_value", pool_value, lo=0, lo_open=True, hi=math.inf, hi_open=True,
                why="the pool's starting value in B")
    if isinstance(v0, np.ndarray):
        fail("pool_value", "a single number", pool_value, "one pool at a time", TypeError)
    logp = np.log(p)
    logs = _follow_band(logp, -math.log1p(-f))
    liquidity = v0 / (2.0 * math.sqrt(p[0]))  # value 2 L sqrt(P) at the start
    price, x, y, lvr_step, fee_step = _steps(logp, logs, f, liquidity)
    value = x * price + y
    hodl = x[0] * price + y[0]
    rebal = v0 + np.concatenate([[0.0], np.cumsum(x[:-1] * np.diff(price))])
    zero = np.zeros(1)
    return PathLVR(price=price, pool_value=value, hodl_value=hodl, rebalancing_value=rebal,
                   lvr=np.concatenate([zero, np.cumsum(lvr_step)]),
                   arb_fees=np.concatenate([zero, np.cumsum(fee_step)]))


@dataclass(frozen=True)
class LVRResult:
    """Result of :func:`simulate_lvr`: cumulative amounts per path, in B, recorded once a day.

    Arrays have shape ``(n_paths, days + 1)``; ``t`` is time in years (``days + 1``).
    """

    t: np.ndarray
    price: np.ndarray
    pool_value: np.ndarray
    lvr: np.ndarray
    arb_fees: np.ndarray
    noise_fees: np.ndarray
    lvr_theory: np.ndarray

    @property
    def lp_vs_rebalancing(self) -> np.ndarray:
        """The LP's result against the rebalancing portfolio: fees - LVR (B), per path and day."""
        return self.arb_fees + self.noise_fees - self.lvr

    @property
    def il_value(self) -> np.ndarray:
        """Impermanent loss in B: pool value (ex fees) minus holding the deposit, per path and day.

        The deposit is half the starting value in each token at the starting price.
        """
        half = self.pool_value[:, :1] / 2.0
        return self.pool_value - half * (self.price / self.price[:, :1] + 1.0)

    def _per_path_year(self) -> dict:
        years = float(self.t[-1])
        v0 = float(self.pool_value[0, 0])
        out = {name: getattr(self, name)[:, -1] / years / v0
               for name in ("lvr", "arb_fees", "noise_fees", "lvr_theory")}
        out["lp_vs_rebalancing"] = out["arb_fees"] + out["noise_fees"] - out["lvr"]
        return out

    def per_year(self) -> dict:
        """Mean over paths of each total, annualised, as a fraction of the starting pool value."""
        return {name: float(v.mean()) for name, v in self._per_path_year().items()}

    def standard_error(self) -> dict:
        """Standard error of each :meth:`per_year` mean (sample std / sqrt(paths); nan for one path)."""
        n = self.lvr.shape[0]
        if n < 2:
            return {name: math.nan for name in self._per_path_year()}
        return {name: float(v.std(ddof=1) / math.sqrt(n)) for name, v in self._per_path_year().items()}


def simulate_lvr(sigma: float = 0.8, fee: float = 0.003, days: int = 365, steps_per_day: int = 24, n_paths: int = 100,
                 noise_volume: ArrayLike = 0.0, pool_value: ArrayLike = 1_000_000.0, drift: ArrayLike = 0.0,
                 seed: int = 2026) -> LVRResult:
    """Arbitrage a constant-product pool against a GBM price and count LVR against fee income.

    Assumptions: the outside price follows geometric Brownian motion (``drift``, ``sigma``
    per year) starting at 1; at each step an arbitrageur makes the optimal trade, which
    moves the pool price to the edge of the fee band [gamma*P, P/gamma]; fees are paid to
    the LP outside the reserves (k stays constant); gas is ignored; uninformed traders
    trade ``noise_volume`` times the pool value per year in round trips that do not
    move the price and pay ``fee`` on it. LVR per step is the pool's loss on the
    arbitrage trade valued at the market price (what the rebalancing portfolio avoids);
    :func:`lvr_path` does the same on one given path.

    Parameters
    ----------
    sigma : float, default 0.8
        Annual volatility (0.8 = 80 % per year).
    fee : float, default 0.003
        Swap fee as a fraction.
    days : int, default 365
        Length of the simulation in days.
    steps_per_day : int, default 24
        Arbitrage opportunities per day (24 = hourly blocks of arbitrage).
    n_paths : int, default 100
        Number of simulated price paths.
    noise_volume : float, default 0
        Uninformed volume per year as a multiple of pool value.
    pool_value : float, default 1e6
        Starting pool value in B.
    drift : float, default 0
        Annual drift of the price.
    seed : int, default 2026
        Seed of the random generator (same seed, same paths).

    Returns
    -------
    LVRResult
        Cumulative ``lvr``, ``arb_fees``, ``noise_fees``, ``lvr_theory`` (sigma**2/8 * V dt)
        in B, plus ``price`` and ``pool_value`` (ex fees), each ``(n_paths, days + 1)``;
        ``per_year()`` and ``standard_error()`` summarise them.

    Examples
    --------
    >>> r = simulate_lvr(sigma=0.8, fee=0.0, days=30, steps_per_day=96, n_paths=200)
    >>> round(r.per_year()["lvr"] / r.per_year()["lvr_theory"], 1)   # sigma**2/8 holds
    1.0

    Source: Milionis, Moallemi, Roughgarden, Zhang (2022), https://arxiv.org/abs/2208.06046
    (LVR) and Milionis et al. (2023), https://arxiv.org/abs/2305.14604 (arbitrage with
    fees and discrete blocks). Notebook 11.
    """
    s = number("sigma", sigma, lo=0, hi=10, why="annual volatility, e.g. 0.8 for 80 % per year")
    f = number("fee", fee, lo=0, hi=0.5, why=_WHY_FEE)
    if isinstance(s, np.ndarray) or isinstance(f, np.ndarray):
        fail("sigma and fee", "single numbers", (sigma, fee), "simulate one setting at a time", TypeError)
    days = integer("days", days, lo=1, hi=3650, why="length of the simulation in days")
    spd = integer("steps_per_day", steps_per_day, lo=1, hi=1440, why="arbitrage steps per day")
    n_paths = integer("n_paths", n_paths, lo=1, hi=100_000, why="number of price paths")
    if n_paths * days * spd > 20_000_000:
        fail("n_paths * days * steps_per_day", "<= 20,000,000", n_paths * days * spd,
             "fewer paths or coarser steps keep it fast and in memory")
    nv = float(number("noise_volume", noise_volume, lo=0, hi=1e6,
                      why="uninformed volume per year as a multiple of pool value"))
    v0 = float(number("pool_value", pool_value, lo=0, lo_open=True, hi=1e18, why="starting pool value in B"))
    mu = float(number("drift", drift, lo=-10, hi=10, why="annual drift of the price"))
    seed = integer("seed", seed, lo=0, why="any whole number >= 0")

    dt = 1.0 / (365.0 * spd)
    band = -math.log1p(-f)
    liquidity = v0 / 2.0  # L = sqrt(k): value 2L at P = 1
    rng = np.random.default_rng(seed)
    # Time-major blocks of whole days (steps, paths): small arrays that stay in the CPU cache.
    # Drawing the normals block by block gives the same numbers as one big draw.
    price_d = np.empty((days + 1, n_paths))
    value_d = np.empty((days + 1, n_paths))
    sums = {name: np.zeros((days + 1, n_paths)) for name in ("lvr", "arb_fees", "noise_fees", "lvr_theory")}
    price_d[0], value_d[0] = 1.0, v0
    last_logp = np.zeros(n_paths)
    last_logs = np.zeros(n_paths)
    block = max(1, 65_536 // (spd * n_paths))  # days per block: about 0.5 MB per array
    for d0 in range(0, days, block):
        d1 = min(days, d0 + block)
        rows = (d1 - d0) * spd
        logp = np.empty((rows + 1, n_paths))
        logp[0] = last_logp
        z = rng.standard_normal((rows, n_paths))
        z *= s * math.sqrt(dt)
        z += (mu - 0.5 * s * s) * dt
        np.cumsum(z, axis=0, out=logp[1:])
        logp[1:] += last_logp
        logs = _follow_band(logp, band, start=last_logs)
        price, x, y, lvr_step, fee_step = _steps(logp, logs, f, liquidity)
        value = x * price + y
        per_day = {"lvr": lvr_step, "arb_fees": fee_step,
                   "noise_fees": f * nv * dt * value[:-1], "lvr_theory": s * s / 8.0 * dt * value[:-1]}
        for name, step in per_day.items():
            sums[name][d0 + 1:d1 + 1] = step.reshape(d1 - d0, spd, n_paths).sum(axis=1)
        price_d[d0 + 1:d1 + 1] = price[spd::spd]
        value_d[d0 + 1:d1 + 1] = value[spd::spd]
        last_logp, last_logs = logp[-1].copy(), logs[-1].copy()
    cum = {name: np.cumsum(v, axis=0).T for name, v in sums.items()}

    return LVRResult(t=np.arange(days + 1) / 365.0, price=price_d.T.copy(), pool_value=value_d.T.copy(),
                     lvr=cum["lvr"], arb_fees=cum["arb_fees"], noise_fees=cum["noise_fees"],
                     lvr_theory=cum["lvr_theory"])
