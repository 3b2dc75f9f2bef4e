"""Leverage: looping deposits, net APY of a levered farm, liquidation price, Monte Carlo outcomes.

Introduced in ``notebooks/10_leveraged_yield_farming.ipynb`` (and reused in 14).

The model (teaching version, floats): you put in equity ``E`` (USD), borrow ``(L - 1) E``
of a stablecoin and hold ``L E`` of exposure, either in a 50/50 constant-product LP
(volatile token / stablecoin, so impermanent loss applies: it comes from
:func:`cryptocourse.amm.impermanent_loss`) or in the volatile token itself. The exposure
earns the farm APY, the debt grows at the (possibly variable) borrow rate, and the
position is liquidated when ``exposure * liquidation_threshold < debt``.

Shapes follow :mod:`cryptocourse.risk`: price paths are ``(n_paths, n_steps + 1)`` with
column 0 the entry price; time steps are ``dt_years`` (default one day).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cryptocourse._validate import fail, integer, number, scalar_out

__all__ = [
    "loop_leverage", "max_leverage", "loops_needed", "loop_schedule", "net_apy",
    "exposure_value", "levered_impermanent_loss", "levered_liquidation_price",
    "simulate_borrow_rates", "LeverageOutcome", "levered_farm_outcomes", "compare_leverage",
    "leverage_risk_curve",
]

DAY = 1.0 / 365.0


_out = scalar_out  # scalar in -> Python float out; arrays stay arrays


def _ltv(ltv):
    return number("ltv", ltv, lo=0, hi=1, hi_open=True,
                  why="loan-to-value is a fraction below 1 (0.8 is 80 %)")


# ---------------------------------------------------------------------------
# Looping
# ---------------------------------------------------------------------------

def loop_leverage(ltv: Any, n_loops: Any) -> float | np.ndarray:
    """Leverage after ``n_loops`` rounds of deposit -> borrow -> redeposit.

    Each round borrows ``ltv`` times the last deposit and deposits it again, so the
    exposure per unit of equity is ``1 + ltv + ltv**2 + ... + ltv**n_loops``
    ``= (1 - ltv**(n_loops + 1)) / (1 - ltv)``, approaching ``1 / (1 - ltv)``.

    Parameters
    ----------
    ltv : float or array
        Loan-to-value used on each round, a fraction in [0, 1).
    n_loops : int or array of int
        Number of borrow-and-redeposit rounds (0 = no borrowing), >= 0.

    Returns
    -------
    float or array
        Leverage: exposure / equity (unitless, >= 1).

    >>> loop_leverage(0.8, 0), loop_leverage(0.8, 1), round(loop_leverage(0.8, 3), 4)
    (1.0, 1.8, 2.952)

    Notebook 10.
    """
    ltv = _ltv(ltv)
    n = number("n_loops", n_loops, lo=0, hi=10_000, why="a whole number of loops")
    if np.any(np.asarray(n) != np.floor(n)):
        fail("n_loops", "a whole number", n_loops, "you cannot do half a loop")
    ltv_a = np.asarray(ltv, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        lev = np.where(ltv_a == 0, 1.0, (1.0 - ltv_a ** (np.asarray(n) + 1)) /
                       np.where(ltv_a == 0, 1.0, 1.0 - ltv_a))
    return _out(lev)


def max_leverage(ltv: Any) -> float | np.ndarray:
    """The limit of looping forever: ``1 / (1 - ltv)`` (unitless).

    >>> max_leverage(0.8)
    5.0

    Notebook 10.
    """
    return _out(1.0 / (1.0 - np.asarray(_ltv(ltv))))


def loops_needed(ltv: float, target_leverage: float) -> int:
    """Fewest loops to reach ``target_leverage`` at ``ltv`` (it must be below the limit).

    >>> loops_needed(0.8, 3.0)
    4

    Notebook 10.
    """
    ltv = _ltv(ltv)
    if np.ndim(ltv):
        fail("ltv", "a single number", ltv, exc=TypeError)
    limit = 1.0 / (1.0 - ltv)
    target = number("target_leverage", target_leverage, lo=1, hi=limit, hi_open=True,
                    why=f"looping at LTV {ltv:g} can only approach {limit:.4g}x")
    if target <= 1.0:
        return 0
    # (1 - ltv**(n+1)) / (1 - ltv) >= target  <=>  ltv**(n+1) <= 1 - target (1 - ltv)
    n = int(np.ceil(np.log(1.0 - target * (1.0 - ltv)) / np.log(ltv) - 1.0 - 1e-12))
    return max(n, 0)


def loop_schedule(equity: float, ltv: float, n_loops: int) -> dict[str, np.ndarray]:
    """Round-by-round table of a loop: what is deposited and borrowed each time (USD).

    Returns a dict of arrays, one entry per round ``0..n_loops``: ``"deposit"``,
    ``"borrow"`` (0 on the last round), ``"total_collateral"``, ``"total_debt"``,
    ``"leverage"`` (collateral / equity after that round's deposit).

    >>> t = loop_schedule(100.0, 0.5, 2)
    >>> t["deposit"].tolist(), t["total_debt"].tolist()
    ([100.0, 50.0, 25.0], [50.0, 75.0, 75.0])

    Notebook 10.
    """
    e = number("equity", equity, lo=0, hi=np.inf, lo_open=True, why="USD you put in")
    ltv = _ltv(ltv)
    n = integer("n_loops", n_loops, lo=0, hi=1000, why="a whole number of loops")
    deposit = e * ltv ** np.arange(n + 1)
    borrow = deposit * ltv
    borrow[-1] = 0.0
    coll = np.cumsum(deposit)
    return {"deposit": deposit, "borrow": borrow, "total_collateral": coll,
            "total_debt": np.cumsum(borrow), "leverage": coll / e}


def net_apy(leverage: Any, farm_apy: Any, borrow_apy: Any) -> float | np.ndarray:
    """Yearly return on equity of a levered farm: ``L * farm - (L - 1) * borrow``.

    Parameters
    ----------
    leverage : float or array
        Exposure / equity, >= 1.
    farm_apy : float or array
        Yield on the whole exposure per year (fees + rewards, a fraction).
    borrow_apy : float or array
        Cost of the debt per year (a fraction, >= 0).

    Returns
    -------
    float or array
        Return on your own money per year (a fraction), before price moves.

    The course plan's example: 100 USD at 20 %, plus 100 USD borrowed at 10 % (2x):

    >>> round(net_apy(2.0, 0.20, 0.10), 10)
    0.3

    Notebook 10.
    """
    lev = number("leverage", leverage, lo=1, hi=1000, why="exposure / equity is at least 1")
    f = number("farm_apy", farm_apy, lo=-1, hi=100, why="a yearly yield as a fraction")
    b = number("borrow_apy", borrow_apy, lo=0, hi=100, why="a yearly rate as a fraction")
    return _out(np.asarray(lev) * f - (np.asarray(lev) - 1.0) * b)


# ---------------------------------------------------------------------------
# Levered LP: value, amplified impermanent loss, liquidation price
# ---------------------------------------------------------------------------

def exposure_value(price_ratio: Any, lp: bool = True) -> float | np.ndarray:
    """Value of 1 USD of exposure after the volatile token's price moves by ``price_ratio``.

    For a 50/50 constant-product LP this is what holding would give, ``(1 + r) / 2``,
    times ``1 + impermanent_loss(r)`` (which works out to ``sqrt(r)``); for the token
    itself it is ``r``. Fees and rewards are not included.

    >>> exposure_value(4.0), exposure_value(4.0, lp=False)
    (2.0, 4.0)

    Source: IL from :func:`cryptocourse.amm.impermanent_loss` (notebook 08). Notebook 10.
    """
    from cryptocourse.amm import impermanent_loss

    r = number("price_ratio", price_ratio, lo=0, hi=np.inf, lo_open=True,
               why="new price / entry price, both > 0")
    if lp:
        return _out((1.0 + np.asarray(r)) / 2.0 * (1.0 + np.asarray(impermanent_loss(r))))
    return _out(np.asarray(r) * 1.0)


def levered_impermanent_loss(price_ratio: Any, leverage: Any) -> float | np.ndarray:
    """Impermanent loss on your equity when the LP is levered ``L`` times (a fraction of equity).

    With ``L`` times the LP, the gap to holding the same 50/50 basket is ``L`` times larger:
    ``L * (1 + r) / 2 * impermanent_loss(r)``.

    >>> round(levered_impermanent_loss(2.0, 1.0), 4), round(levered_impermanent_loss(2.0, 3.0), 4)
    (-0.0858, -0.2574)

    Source: :func:`cryptocourse.amm.impermanent_loss`. Notebook 10.
    """
    from cryptocourse.amm import impermanent_loss

    r = number("price_ratio", price_ratio, lo=0, hi=np.inf, lo_open=True,
               why="new price / entry price, both > 0")
    lev = number("leverage", leverage, lo=1, hi=1000, why="exposure / equity is at least 1")
    return _out(np.asarray(lev) * (1.0 + np.asarray(r)) / 2.0 * np.asarray(impermanent_loss(r)))


def levered_liquidation_price(leverage: Any, liquidation_threshold: Any, entry_price: Any = 1.0,
                              lp: bool = True, debt_growth: Any = 1.0) -> float | np.ndarray:
    """Price of the volatile token at which a levered position is liquidated (stablecoin debt).

    Liquidation happens when ``L * E * value(r) * threshold = (L - 1) * E * debt_growth``:
    for an LP ``value(r) = sqrt(r)``, so ``r = ((L - 1) g / (L * threshold))**2``; for the
    token itself ``r = (L - 1) g / (L * threshold)``. Farm yield is left out (it would lower
    the price a little).

    Parameters
    ----------
    leverage : float or array
        Exposure / equity, >= 1 (1 means no debt: price 0).
    liquidation_threshold : float or array
        Fraction in (0, 1].
    entry_price : float or array, default 1
        Token price at entry (USD); the answer is in the same unit.
    lp : bool, default True
        True for a 50/50 LP position, False for the token itself.
    debt_growth : float or array, default 1
        Debt now / debt at entry (interest accrued so far), >= 1.

    >>> round(levered_liquidation_price(3.0, 0.85, 2000.0), 2)     # 3x LP
    1230.3
    >>> round(levered_liquidation_price(3.0, 0.85, 2000.0, lp=False), 2)
    1568.63

    Notebook 10.
    """
    lev = number("leverage", leverage, lo=1, hi=1000, why="exposure / equity is at least 1")
    lt = number("liquidation_threshold", liquidation_threshold, lo=0, hi=1, lo_open=True,
                why="a fraction of the position value, above 0")
    p0 = number("entry_price", entry_price, lo=0, hi=np.inf, lo_open=True, why="a price in USD")
    g = number("debt_growth", debt_growth, lo=1, hi=1e6, why="debt only grows with interest")
    ratio = (np.asarray(lev) - 1.0) * g / (np.asarray(lev) * lt)
    if lp:
        ratio = ratio ** 2
    return _out(np.asarray(p0) * ratio)


# ---------------------------------------------------------------------------
# Variable borrow rates
# ---------------------------------------------------------------------------

def simulate_borrow_rates(model: Any, n_paths: int = 1000, n_steps: int = 365, *,
                          mean_utilization: float = 0.8, volatility: float = 1.5,
                          reversion: float = 12.0, dt_years: float = DAY,
                          seed: int = 2026) -> tuple[np.ndarray, np.ndarray]:
    """Seeded paths of utilisation and the borrow rate they imply.

    Utilisation wanders around ``mean_utilization`` (a mean-reverting process on the
    log-odds scale, so it stays between 0 and 1); the rate is ``model.borrow_rate(u)``,
    so spikes above the kink show up as rate spikes. A teaching assumption, not a fit
    to market data.

    Parameters
    ----------
    model : InterestRateModel or JumpRateModel
        From :mod:`cryptocourse.lending`.
    n_paths, n_steps : int
        Shape of the output.
    mean_utilization : float, default 0.8
        Long-run utilisation, in (0, 1).
    volatility : float, default 1.5
        Yearly volatility of the log-odds of utilisation.
    reversion : float, default 12
        Pull back to the mean per year (12: shocks fade in about a month).
    dt_years : float, default 1/365
    seed : int, default 2026

    Returns
    -------
    (rates, utilization) : two arrays of shape ``(n_paths, n_steps)``
        Borrow rate per year (a fraction) and utilisation during each step.

    >>> from cryptocourse.lending import InterestRateModel
    >>> r, u = simulate_borrow_rates(InterestRateModel(0.8, 0, 0.04, 0.75), 2, 5, seed=1)
    >>> r.shape, bool(((u > 0) & (u < 1)).all())
    ((2, 5), True)

    Notebook 10.
    """
    from cryptocourse.lending import InterestRateModel, JumpRateModel

    if not isinstance(model, (InterestRateModel, JumpRateModel)):
        fail("model", "an InterestRateModel or a JumpRateModel", model, exc=TypeError)
    n_paths = integer("n_paths", n_paths, lo=1, hi=10**7, why="a whole number of paths")
    n_steps = integer("n_steps", n_steps, lo=1, hi=10**6, why="a whole number of steps")
    m = number("mean_utilization", mean_utilization, lo=0, hi=1, lo_open=True, hi_open=True,
               why="a utilisation strictly between 0 and 1")
    vol = number("volatility", volatility, lo=0, hi=100, why="a yearly volatility, >= 0")
    k = number("reversion", reversion, lo=0, hi=10_000, why="a yearly pull-back speed, >= 0")
    dt = number("dt_years", dt_years, lo=0, hi=10, lo_open=True, why="a step length in years")
    seed = integer("seed", seed, lo=0, why="a whole number, the same seed gives the same paths")
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n_paths, n_steps))
    x_bar = np.log(m / (1.0 - m))
    x = np.empty((n_paths, n_steps))
    xt = np.full(n_paths, x_bar)
    a = np.exp(-k * dt)
    sd = vol * np.sqrt((1.0 - a * a) / (2.0 * k)) if k > 0 else vol * np.sqrt(dt)
    for t in range(n_steps):
        x[:, t] = xt
        xt = x_bar + a * (xt - x_bar) + sd * z[:, t]
    u = np.clip(1.0 / (1.0 + np.exp(-x)), 0.0, 1.0)
    return np.asarray(model.borrow_rate(u)), u


# ---------------------------------------------------------------------------
# Monte Carlo of levered farming
# ---------------------------------------------------------------------------

@dataclass
class LeverageOutcome:
    """Result of :func:`levered_farm_outcomes` (values per unit of starting equity).

    Attributes (shapes for ``n_paths`` paths of ``n_steps + 1`` points)
    ----------------------------------------------------------------------
    equity : (n_paths, n_steps + 1)  your money along the way (1.0 = what you put in)
    exposure : (n_paths, n_steps + 1)  value of the LP / token position (0 after liquidation)
    debt : (n_paths, n_steps + 1)  what you owe (0 after liquidation)
    health : (n_paths, n_steps + 1)  ``exposure * threshold / debt`` (inf without debt)
    liquidated : (n_paths,)  True if the position was liquidated
    liquidation_step : (n_paths,)  index of the liquidation, -1 if none
    leverage : float
    """

    equity: np.ndarray
    exposure: np.ndarray
    debt: np.ndarray
    health: np.ndarray
    liquidated: np.ndarray
    liquidation_step: np.ndarray
    leverage: float

    @property
    def returns(self) -> np.ndarray:
        """Return on equity at the end of each path (a fraction; -1 is everything lost)."""
        return self.equity[..., -1] - 1.0

    @property
    def prob_liquidated(self) -> float:
        """Share of paths that were liquidated."""
        return float(np.mean(self.liquidated))

    def summary(self) -> dict[str, float]:
        """Mean, median, 5th and 95th percentile of returns, P(loss), P(liquidated)."""
        r = np.atleast_1d(self.returns)
        return {
            "leverage": float(self.leverage),
            "mean": float(np.mean(r)),
            "median": float(np.median(r)),
            "p5": float(np.percentile(r, 5)),
            "p95": float(np.percentile(r, 95)),
            "prob_loss": float(np.mean(r < 0)),
            "prob_liquidated": self.prob_liquidated,
        }


def levered_farm_outcomes(
    prices: Any,
    leverage: float,
    farm_apy: Any = 0.20,
    borrow_apy: Any = 0.10,
    *,
    liquidation_threshold: float = 0.85,
    liquidation_penalty: float = 0.05,
    lp: bool = True,
    dt_years: float = DAY,
) -> LeverageOutcome:
    """Simulate a levered farm on given price paths: returns and liquidations.

    Per unit of equity: exposure ``L`` (an LP of the volatile token and a stablecoin, or the
    token itself), debt ``L - 1`` in the stablecoin. Each step the exposure moves with the
    price (with impermanent loss for an LP) and grows by ``(1 + farm_apy) ** dt``; the debt
    grows by ``(1 + borrow_apy) ** dt`` (both are APYs: a year at a flat price gives exactly
    :func:`net_apy`). The first time ``exposure * threshold < debt`` the whole position is
    closed: the liquidator takes ``liquidation_penalty`` of the exposure, the debt is repaid,
    and what is left (if anything) stays in cash. Prices are checked once per step, so a
    gap between steps can cost more than the penalty. Teaching version in floats.

    Parameters
    ----------
    prices : array, shape (n_paths, n_steps + 1) or (n_steps + 1,)
        Volatile token price paths (USD); column 0 is the entry price. Same shape as
        :func:`cryptocourse.risk.gbm_paths` returns.
    leverage : float
        Exposure / equity, >= 1 and below ``1 / (1 - liquidation_threshold)``.
    farm_apy : float or array, default 0.20
        Yield of the exposure per year (fees + rewards, reinvested; an APY); an array
        broadcastable to ``(n_paths, n_steps)`` makes it vary over time.
    borrow_apy : float or array, default 0.10
        Borrow cost per year (an APY); an array broadcastable to ``(n_paths, n_steps)`` (for example
        from :func:`simulate_borrow_rates`) makes it variable.
    liquidation_threshold : float, default 0.85
    liquidation_penalty : float, default 0.05
        Share of the exposure lost to the liquidator when closed.
    lp : bool, default True
        True: a 50/50 constant-product LP; False: the token itself.
    dt_years : float, default 1/365

    Returns
    -------
    LeverageOutcome

    >>> p = np.array([[100.0, 100.0, 100.0], [100.0, 60.0, 50.0]])
    >>> out = levered_farm_outcomes(p, 3.0, 0.0, 0.0)
    >>> out.liquidated.tolist(), out.liquidation_step.tolist()
    ([False, True], [-1, 1])
    >>> out.equity[:, -1].round(4).tolist()    # the liquidated path keeps 0.95 * 2.32 - 2
    [1.0, 0.2076]

    Notebook 10; reused by :mod:`cryptocourse.risk` (notebook 14).
    """
    lev, X, G, lt, pen, single = _prepare(prices, leverage, farm_apy, borrow_apy,
                                          liquidation_threshold, liquidation_penalty, lp, dt_years)
    if np.ndim(lev):
        fail("leverage", "a single number", leverage, "call once per leverage", TypeError)
    n_paths, n_pts = X.shape
    exposure = lev * X
    debt = (lev - 1.0) * G
    with np.errstate(divide="ignore"):
        health = np.where(debt > 0, exposure * lt / np.where(debt > 0, debt, 1.0), np.inf)
    below = health < 1.0
    liquidated = below.any(axis=1)
    step = np.where(liquidated, below.argmax(axis=1), -1)
    equity = exposure - debt
    rows = np.flatnonzero(liquidated)
    if rows.size:
        trigger = health[rows, step[rows]]
        cols = step[rows]
        left = np.maximum(exposure[rows, cols] * (1.0 - pen) - debt[rows, cols], 0.0)
        after = np.arange(n_pts)[None, :] >= cols[:, None]
        equity[rows] = np.where(after, left[:, None], equity[rows])
        exposure[rows] = np.where(after, 0.0, exposure[rows])
        debt[rows] = np.where(after, 0.0, debt[rows])
        health[rows] = np.where(after, np.inf, health[rows])
        health[rows, cols] = trigger  # the health that triggered it
    if single:
        return LeverageOutcome(equity=equity[0], exposure=exposure[0], debt=debt[0],
                               health=health[0], liquidated=liquidated[0],
                               liquidation_step=step[0], leverage=float(lev))
    return LeverageOutcome(equity=equity, exposure=exposure, debt=debt, health=health,
                           liquidated=liquidated, liquidation_step=step, leverage=float(lev))


def _prepare(prices, leverage, farm_apy, borrow_apy, liquidation_threshold, liquidation_penalty,
             lp, dt_years):
    """Validate, and build the per-unit exposure ``X`` and debt growth ``G`` paths."""
    p = number("prices", prices, lo=0, hi=np.inf, lo_open=True, why="prices in USD, all > 0")
    p = np.asarray(p, dtype=float)
    single = p.ndim == 1
    p = np.atleast_2d(p)
    if p.ndim != 2 or p.shape[1] < 2:
        fail("prices", "an array of shape (n_paths, n_steps + 1) with n_steps >= 1",
             f"shape {np.shape(prices)}")
    n_paths, n_pts = p.shape
    lt = number("liquidation_threshold", liquidation_threshold, lo=0, hi=1, lo_open=True,
                why="a fraction of the position value, above 0")
    limit = 1.0 / (1.0 - lt) if lt < 1 else np.inf
    lev = number("leverage", leverage, lo=1, hi=limit, hi_open=True,
                 why=f"at leverage {limit:.4g}x or more the health factor starts below 1 "
                     f"(threshold {lt:g})")
    pen = number("liquidation_penalty", liquidation_penalty, lo=0, hi=1, hi_open=True,
                 why="a fraction of the position")
    dt = number("dt_years", dt_years, lo=0, hi=10, lo_open=True, why="a step length in years")
    f = number("farm_apy", farm_apy, lo=-1, hi=100, why="a yearly yield as a fraction")
    b = number("borrow_apy", borrow_apy, lo=0, hi=100, why="a yearly rate as a fraction")

    def growth(rate, name, original):
        rate = np.asarray(rate, dtype=float)
        if rate.ndim == 0:  # one rate: a row, broadcast over paths (fast)
            return ((1.0 + rate) ** dt) ** np.arange(n_pts)[None, :]
        try:
            rate = np.broadcast_to(rate, (n_paths, n_pts - 1))
        except ValueError:
            fail(name, f"a number or an array broadcastable to {(n_paths, n_pts - 1)}",
                 f"shape {np.shape(original)}")
        out = np.ones((n_paths, n_pts))
        out[:, 1:] = np.cumprod((1.0 + rate) ** dt, axis=1)
        return out

    X = np.asarray(exposure_value(p / p[:, :1], lp=lp)) * growth(f, "farm_apy", farm_apy)
    G = np.broadcast_to(growth(b, "borrow_apy", borrow_apy), (n_paths, n_pts))
    return lev, X, G, lt, pen, single


def _final_returns(X, G, lev, lt, pen, ratio=None):
    """Final return on equity and liquidation flag per path, from the unit paths (fast path)."""
    final = lev * X[:, -1] - (lev - 1.0) * G[:, -1]
    liq = np.zeros(X.shape[0], dtype=bool)
    if lev > 1.0:
        if ratio is None:
            ratio = X / G
        below = ratio < (lev - 1.0) / (lev * lt)
        liq = below.any(axis=1)
        s = below.argmax(axis=1)
        idx = np.arange(X.shape[0])
        left = np.maximum(lev * X[idx, s] * (1.0 - pen) - (lev - 1.0) * G[idx, s], 0.0)
        final = np.where(liq, left, final)
    return final - 1.0, liq


def leverage_risk_curve(prices: Any, leverages: Any, farm_apy: Any = 0.20, borrow_apy: Any = 0.10,
                        *, liquidation_threshold: float = 0.85, liquidation_penalty: float = 0.05,
                        lp: bool = True, dt_years: float = DAY) -> dict[str, np.ndarray]:
    """Probability of liquidation and of loss, and the median return, for many leverages at once.

    The same model as :func:`levered_farm_outcomes` (and the same numbers), computed once for
    all leverages: fast enough for a slider.

    Returns a dict of arrays, one entry per leverage: ``"leverage"``, ``"prob_liquidated"``,
    ``"prob_loss"``, ``"median"``, ``"p5"``.

    >>> p = np.array([[100.0, 100.0], [100.0, 50.0]])
    >>> leverage_risk_curve(p, [1.0, 3.0], 0.0, 0.0)["prob_liquidated"].tolist()
    [0.0, 0.5]

    Notebook 10.
    """
    levs, X, G, lt, pen, _ = _prepare(prices, leverages, farm_apy, borrow_apy,
                                      liquidation_threshold, liquidation_penalty, lp, dt_years)
    levs = np.atleast_1d(levs)
    ratio = X / G
    keys = ("leverage", "prob_liquidated", "prob_loss", "median", "p5")
    res = {k: np.empty(levs.size) for k in keys}
    for i, lev in enumerate(levs):
        r, liq = _final_returns(X, G, float(lev), lt, pen, ratio)
        res["leverage"][i] = lev
        res["prob_liquidated"][i] = liq.mean()
        res["prob_loss"][i] = np.mean(r < 0)
        res["median"][i] = np.median(r)
        res["p5"][i] = np.percentile(r, 5)
    return res


def compare_leverage(prices: Any, leverages: Any, farm_apy: Any = 0.20, borrow_apy: Any = 0.10,
                     **kwargs: Any) -> dict[str, np.ndarray]:
    """Run :func:`levered_farm_outcomes` for several leverages on the same paths.

    Returns a dict of arrays, one entry per leverage: ``"leverage"``, ``"mean"``,
    ``"median"``, ``"p5"``, ``"p95"``, ``"prob_loss"``, ``"prob_liquidated"``.

    >>> p = np.array([[100.0, 100.0], [100.0, 50.0]])
    >>> compare_leverage(p, [1.0, 3.0], 0.0, 0.0)["prob_liquidated"].tolist()
    [0.0, 0.5]

    Notebook 10.
    """
    levs = np.atleast_1d(number("leverages", leverages, lo=1, hi=1000,
                                why="exposure / equity is at least 1"))
    rows = [levered_farm_outcomes(prices, float(x), farm_apy, borrow_apy, **kwargs).summary()
            for x in levs]
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}
