"""Leverage: looping deposits, net APY of a levered farm, liquidation price, Monte Carlo outcomes.

Introduced in ``notebooks/10_leveraged_yield_farming.ipynb`` (and reused in 14).

The model (teaching version, floats): you put in equity ``E`` (USD), borrow ``(L - 1) E``
of a stablecoin and hold ``L E`` of exposure, either in a 50/50 constant-product LP
(volatile token / stablecoin, so impermanent loss applies: it comes from
:func:`cryptocourse.amm.impermanent_loss`) or in the volatile token itself. The exposure
earns the farm APY, the debt grows at the (possibly variable) borrow rate, and the
position is liquidated when ``exposure * liquidation_threshold < debt``. Looping
(:func:`loop_leverage`) is one way to build that position: ``L`` loops' worth of exposure used
as collateral, ``L - 1`` of debt, so its health factor at entry is :func:`loop_health_factor`.

A second structure keeps the collateral and the farm apart (:func:`collateral_farm`): ETH as
collateral on a lending market, a stablecoin borrowed against it and provided to a
stable-to-stable StableSwap pool (:func:`stableswap_lp_value`); its health factor moves with
the ETH price, the borrow rate and the borrowed coin's price.

Simulated headlines carry their uncertainty (:func:`summarize_returns`: standard errors and a
distribution-free interval for the median). Shapes follow :mod:`cryptocourse.risk`: price paths
are ``(n_paths, n_steps + 1)`` with column 0 the entry price; time steps are ``dt_years``
(default one day).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cryptocourse._validate import fail, integer, number, scalar_out

__all__ = [
    "loop_leverage", "max_leverage", "loops_needed", "loop_schedule", "loop_health_factor", "net_apy",
    "exposure_value", "levered_impermanent_loss", "levered_liquidation_price",
    "simulate_borrow_rates", "LeverageOutcome", "levered_farm_outcomes", "compare_leverage",
    "leverage_risk_curve", "median_interval", "summarize_returns", "returns_from_unit_paths",
    "stableswap_lp_value", "CollateralFarmHistory", "collateral_farm",
]

DAY = 1.0 / 365.0


_out = scalar_out  # scalar in -> Python float out; arrays stay arrays


def _flag(name, value):
    """A real True/False (a string such as 'False' or a number is refused, not read as truthy)."""
    if not isinstance(value, (bool, np.bool_)):
        fail(name, "True or False", value, "a yes/no switch", TypeError)
    return bool(value)


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
    e = number("equity", equity, lo=0, hi=np.inf, lo_open=True, finite=True, why="USD you put in")
    ltv = _ltv(ltv)
    n = integer("n_loops", n_loops, lo=0, hi=1000, why="a whole number of loops")
    deposit = e * ltv ** np.arange(n + 1)
    borrow = deposit * ltv
    borrow[-1] = 0.0
    coll = np.cumsum(deposit)
    return {"deposit": deposit, "borrow": borrow, "total_collateral": coll,
            "total_debt": np.cumsum(borrow), "leverage": coll / e}


def loop_health_factor(ltv: Any, liquidation_threshold: Any, n_loops: Any = None) -> float | np.ndarray:
    """Health factor right after looping: ``L * threshold / (L - 1)`` with ``L = loop_leverage``.

    After ``n_loops`` rounds the collateral is ``L`` and the debt ``L - 1`` (per unit of equity).
    ``n_loops=None`` is the max-LTV loop taken to its limit (every round borrows the full LTV,
    forever, or at once with a flash loan): the debt is then ``ltv`` times the collateral and the
    health factor is ``threshold / ltv``, so a price fall of ``1 - ltv / threshold`` liquidates it.

    Parameters
    ----------
    ltv : float or array
        Loan-to-value used on each round, a fraction in (0, 1).
    liquidation_threshold : float or array
        Fraction in (0, 1], at least ``ltv``.
    n_loops : int, array of int, or None
        Rounds (0 = no debt: ``inf``); None for the limit.

    >>> round(loop_health_factor(0.805, 0.83, 1), 4), round(loop_health_factor(0.805, 0.83), 4)
    (1.8611, 1.0311)

    Notebook 10.
    """
    ltv = number("ltv", ltv, lo=0, hi=1, lo_open=True, hi_open=True,
                 why="loan-to-value is a fraction between 0 and 1 (0.8 is 80 %)")
    lt = number("liquidation_threshold", liquidation_threshold, lo=0, hi=1, lo_open=True,
                why="a fraction of the collateral value, above 0")
    if np.any(np.asarray(lt) < np.asarray(ltv)):
        fail("liquidation_threshold", "at least the ltv", liquidation_threshold,
             "a market never lends more than it would liquidate")
    if n_loops is None:
        return _out(np.asarray(lt) / np.asarray(ltv))
    lev = np.asarray(loop_leverage(ltv, n_loops))
    with np.errstate(divide="ignore"):
        hf = np.where(lev > 1.0, lev * np.asarray(lt) / np.where(lev > 1.0, lev - 1.0, 1.0), np.inf)
    return _out(hf)


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

    100 USD at 20 %, plus 100 USD borrowed at 10 % (2x): 30 USD a year on your 100 USD.

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
    r = number("price_ratio", price_ratio, lo=0, hi=np.inf, lo_open=True, finite=True,
               why="new price / entry price, both > 0")
    if _flag("lp", lp):  # (1 + r) / 2 * (1 + IL(r)) with IL(r) = 2 sqrt(r) / (1 + r) - 1 is exactly sqrt(r)
        return _out(np.sqrt(np.asarray(r)))
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

    r = number("price_ratio", price_ratio, lo=0, hi=np.inf, lo_open=True, finite=True,
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
    p0 = number("entry_price", entry_price, lo=0, hi=np.inf, lo_open=True, finite=True, why="a price in USD")
    g = number("debt_growth", debt_growth, lo=1, hi=1e6, why="debt only grows with interest")
    ratio = (np.asarray(lev) - 1.0) * g / (np.asarray(lev) * lt)
    if _flag("lp", lp):
        ratio = ratio ** 2
    return _out(np.asarray(p0) * ratio)


# ---------------------------------------------------------------------------
# Variable borrow rates
# ---------------------------------------------------------------------------

def simulate_borrow_rates(model: Any, n_paths: int = 1000, n_steps: int = 365, *,
                          mean_utilization: float = 0.8, volatility: float = 1.5,
                          reversion: float = 12.0, dt_years: float = DAY,
                          seed: int = 2026, prices: Any = None,
                          price_sensitivity: float = 5.0) -> tuple[np.ndarray, np.ndarray]:
    """Seeded paths of utilisation and the borrow rate they imply, optionally driven by prices.

    Utilisation wanders around ``mean_utilization`` (a mean-reverting process on the
    log-odds scale, so it stays between 0 and 1); the rate is ``model.borrow_rate(u)``,
    so spikes above the kink show up as rate spikes. With ``prices`` (one path per rate path),
    each day's log return also moves the log-odds by ``-price_sensitivity * log return``: when
    the collateral's price falls, stablecoin suppliers withdraw and borrowers draw more, so
    utilisation and the rate jump in a crash (and fall back as the shock fades); a rise eases
    them the same way. A teaching assumption, not a fit to market data.

    Parameters
    ----------
    model : InterestRateModel or JumpRateModel
        From :mod:`cryptocourse.lending`.
    n_paths, n_steps : int
        Shape of the output.
    mean_utilization : float, default 0.8
        Long-run utilisation, in (0, 1).
    volatility : float, default 1.5
        Yearly volatility of the log-odds of utilisation (its own noise, besides prices).
    reversion : float, default 12
        Pull back to the mean per year (12: shocks fade in about a month).
    dt_years : float, default 1/365
    seed : int, default 2026
    prices : array of shape (n_paths, n_steps + 1), optional
        Collateral price paths that drive utilisation (column 0 is the start).
    price_sensitivity : float, default 5
        Log-odds added per unit of log price fall (5: a 10 % fall in a day takes 85 %
        utilisation to about 91 %). Used only with ``prices``.

    Returns
    -------
    (rates, utilization) : two arrays of shape ``(n_paths, n_steps)``
        Borrow rate per year (a fraction) and utilisation during each step.

    >>> from cryptocourse.lending import InterestRateModel
    >>> m = InterestRateModel(0.9, 0, 0.035, 0.6)
    >>> r, u = simulate_borrow_rates(m, 2, 5, seed=1)
    >>> r.shape, bool(((u > 0) & (u < 1)).all())
    ((2, 5), True)
    >>> fall = np.array([[1.0, 1.0, 0.9, 0.9]])           # a 10 % fall on day 2
    >>> r, u = simulate_borrow_rates(m, 1, 3, mean_utilization=0.85, volatility=0.0, prices=fall)
    >>> u.round(3).tolist(), r.round(3).tolist()
    ([[0.85, 0.85, 0.906]], [[0.033, 0.033, 0.069]])

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
    beta = number("price_sensitivity", price_sensitivity, lo=0, hi=1000,
                  why="log-odds of utilisation per unit of log price fall, >= 0")
    # time runs down the rows here (one row per step, contiguous), and is transposed at the end
    shock = np.zeros((n_steps, n_paths))
    if prices is not None:
        pr = np.asarray(number("prices", prices, lo=0, hi=np.inf, lo_open=True, finite=True,
                               why="prices in USD, all > 0"), dtype=float)
        if pr.shape != (n_paths, n_steps + 1):
            fail("prices", f"an array of shape (n_paths, n_steps + 1) = {(n_paths, n_steps + 1)}",
                 f"shape {pr.shape}", "one price path per rate path, with the start in column 0")
        # the fall during step t moves the utilisation of step t + 1
        logs = np.log(pr.T)
        shock[1:] = -beta * (logs[1:-1] - logs[:-2])
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n_paths, n_steps)).T
    x_bar = np.log(m / (1.0 - m))
    a = np.exp(-k * dt)
    sd = vol * np.sqrt((1.0 - a * a) / (2.0 * k)) if k > 0 else vol * np.sqrt(dt)
    x = np.empty((n_steps, n_paths))
    xt = np.full(n_paths, x_bar)
    noise = sd * z
    for t in range(n_steps):
        xt += shock[t]
        x[t] = xt
        xt -= x_bar
        xt *= a
        xt += x_bar
        xt += noise[t]
    u = np.clip(1.0 / (1.0 + np.exp(-x.T)), 0.0, 1.0)
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
        """Headline numbers with their uncertainty: see :func:`summarize_returns`."""
        return summarize_returns(self.returns, self.liquidated, self.leverage)


def median_interval(values: Any, level: float = 0.95) -> tuple[float, float]:
    """A distribution-free confidence interval for the median of ``values`` (order statistics).

    The sample median of ``n`` independent draws lies between the order statistics of ranks
    ``n/2 -/+ z * sqrt(n) / 2`` with probability about ``level`` (``z`` = 1.96 for 95 %), whatever
    the distribution: it needs no normality, which levered returns (a lump of liquidated paths
    and a long right tail) do not have.

    >>> median_interval(np.arange(1, 101))          # 100 draws: ranks 40 and 61
    (40.0, 61.0)

    Notebook 10.
    """
    from statistics import NormalDist

    x = np.sort(np.asarray(number("values", values, finite=True), dtype=float).ravel())
    lvl = number("level", level, lo=0, hi=1, lo_open=True, hi_open=True, why="a probability")
    n = x.size
    if n == 0:
        fail("values", "at least one value", values)
    z = NormalDist().inv_cdf(0.5 + lvl / 2.0)
    lo = int(np.clip(np.floor(n / 2.0 - z * np.sqrt(n) / 2.0), 1, n))
    hi = int(np.clip(np.ceil(n / 2.0 + z * np.sqrt(n) / 2.0) + 1, 1, n))
    return float(x[lo - 1]), float(x[hi - 1])


def summarize_returns(returns: Any, liquidated: Any = None, leverage: float = float("nan")) -> dict[str, float]:
    """Headline numbers of simulated returns, each with its uncertainty.

    Returns a dict: ``"leverage"``, ``"n_paths"``; ``"mean"`` and its standard error
    ``"mean_se"``; ``"median"`` with a 95 % interval ``"median_lo"``..``"median_hi"``
    (:func:`median_interval`); the 5th and 95th percentiles ``"p5"``, ``"p95"``; the share of
    paths losing money ``"prob_loss"`` and of paths liquidated ``"prob_liquidated"``, each with its
    standard error ``sqrt(p (1 - p) / n)`` (``"prob_loss_se"``, ``"prob_liquidated_se"``).

    >>> s = summarize_returns(np.array([-0.5, 0.1, 0.2, 0.3]), np.array([True, False, False, False]))
    >>> s["median"], s["prob_liquidated"], round(s["prob_liquidated_se"], 4)
    (0.15000000000000002, 0.25, 0.2165)

    Notebook 10.
    """
    r = np.atleast_1d(number("returns", returns, finite=True, why="simulated returns, one per path"))
    n = r.size
    liq = np.zeros(n, dtype=bool)
    if liquidated is not None:
        try:
            liq = np.atleast_1d(np.asarray(liquidated, dtype=bool))
        except (TypeError, ValueError):
            fail("liquidated", "an array of True/False, one per return", liquidated, exc=TypeError)
        if liq.shape != r.shape:
            fail("liquidated", f"one flag per return ({n})", f"shape {liq.shape}")
    lo, hi = median_interval(r)
    p_loss, p_liq = float(np.mean(r < 0)), float(np.mean(liq))
    return {
        "leverage": float(leverage),
        "n_paths": n,
        "mean": float(np.mean(r)),
        "mean_se": float(np.std(r, ddof=1) / np.sqrt(n)) if n > 1 else float("nan"),
        "median": float(np.median(r)),
        "median_lo": lo,
        "median_hi": hi,
        "p5": float(np.percentile(r, 5)),
        "p95": float(np.percentile(r, 95)),
        "prob_loss": p_loss,
        "prob_loss_se": float(np.sqrt(p_loss * (1 - p_loss) / n)),
        "prob_liquidated": p_liq,
        "prob_liquidated_se": float(np.sqrt(p_liq * (1 - p_liq) / n)),
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
    lp = _flag("lp", lp)
    p = number("prices", prices, lo=0, hi=np.inf, lo_open=True, finite=True, why="prices in USD, all > 0")
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


def _final_returns(X, G, lev, lt, pen, ratio=None, running_min=None):
    """Final return on equity and liquidation flag per path, from the unit paths (fast path).

    ``running_min`` (``np.minimum.accumulate(X / G, axis=1)``) lets many leverages share one pass:
    a path is liquidated on the first step where it drops below ``(lev - 1) / (lev * lt)``, and the
    number of steps before that is the count of running minima still above it.
    """
    final = lev * X[:, -1] - (lev - 1.0) * G[:, -1]
    liq = np.zeros(X.shape[0], dtype=bool)
    if lev > 1.0:
        if running_min is None:
            running_min = np.minimum.accumulate(X / G if ratio is None else ratio, axis=1)
        threshold = (lev - 1.0) / (lev * lt)
        liq = running_min[:, -1] < threshold          # the path's lowest point is below the line
        rows = np.flatnonzero(liq)
        s = np.count_nonzero(running_min[rows] >= threshold, axis=1)   # steps before the first crossing
        left = np.maximum(lev * X[rows, s] * (1.0 - pen) - (lev - 1.0) * G[rows, s], 0.0)
        final[rows] = left
    return final - 1.0, liq


def returns_from_unit_paths(exposure: Any, debt_growth: Any, leverage: float, liquidation_threshold: float = 0.85,
                            liquidation_penalty: float = 0.05, *, running_min: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Final return on equity and liquidation flag per path, from paths per unit of equity.

    The fast core of :func:`levered_farm_outcomes`, for callers that reuse the same paths for many
    leverages (the lesson 10 dashboard). ``exposure`` is the value of 1 USD of farm exposure along
    each path, income included (shape ``(n_paths, n_steps + 1)``), ``debt_growth`` the growth of
    1 USD of debt (same shape, or one row). At leverage ``L`` the health factor is
    ``liquidation_threshold * L * exposure / ((L - 1) * debt_growth)``, so a path is liquidated at
    its first step with ``exposure / debt_growth`` below ``(L - 1) / (L * liquidation_threshold)``;
    the equity left then is
    ``max(L * exposure * (1 - penalty) - (L - 1) * debt_growth, 0)``. ``running_min``, the running
    minimum of ``exposure / debt_growth`` along each path, may be passed to share it between leverages.

    >>> X = np.array([[1.0, 0.5, 1.2]]); G = np.ones((1, 3))
    >>> r, liq = returns_from_unit_paths(X, G, 2.0, 0.8)
    >>> bool(liq[0]), round(float(r[0]), 4)       # 0.5 < 1 / 1.6: liquidated at step 1, nothing left
    (True, -1.0)
    >>> r, liq = returns_from_unit_paths(X, G, 1.0, 0.8)
    >>> bool(liq[0]), round(float(r[0]), 4)       # no debt, no liquidation: +20 %
    (False, 0.2)
    """
    X = np.asarray(number("exposure", exposure, lo=0, finite=True, why="value of 1 USD of exposure, >= 0"))
    if X.ndim != 2 or X.shape[1] < 2:
        fail("exposure", "an array of shape (n_paths, n_steps + 1) with n_steps >= 1", f"shape {np.shape(exposure)}")
    try:
        G = np.broadcast_to(np.asarray(number("debt_growth", debt_growth, lo=0, lo_open=True, finite=True,
                                              why="growth of 1 USD of debt, > 0")), X.shape)
    except ValueError:
        fail("debt_growth", f"an array broadcastable to the exposure's shape {X.shape}", f"shape {np.shape(debt_growth)}")
    lt = number("liquidation_threshold", liquidation_threshold, lo=0, hi=1, lo_open=True,
                why="a fraction of the position value, above 0")
    lev = number("leverage", leverage, lo=1, hi=1e6, why="a leverage of 1x or more")
    pen = number("liquidation_penalty", liquidation_penalty, lo=0, hi=1, hi_open=True, why="a fraction of the position")
    if running_min is not None and np.shape(running_min) != X.shape:
        fail("running_min", f"an array of the exposure's shape {X.shape}", f"shape {np.shape(running_min)}")
    return _final_returns(X, G, float(lev), float(lt), float(pen), running_min=running_min)


def leverage_risk_curve(prices: Any, leverages: Any, farm_apy: Any = 0.20, borrow_apy: Any = 0.10,
                        *, liquidation_threshold: float = 0.85, liquidation_penalty: float = 0.05,
                        lp: bool = True, dt_years: float = DAY) -> dict[str, np.ndarray]:
    """Probability of liquidation and of loss, and the median return, for many leverages at once.

    The same model as :func:`levered_farm_outcomes` (and the same numbers), computed once for
    all leverages: fast enough for a slider.

    Returns a dict of arrays, one entry per leverage, with the keys of :func:`summarize_returns`
    (``"leverage"``, ``"median"`` with ``"median_lo"``/``"median_hi"``, ``"mean"``, ``"mean_se"``,
    ``"p5"``, ``"prob_loss"``, ``"prob_liquidated"`` with its ``"prob_liquidated_se"``, ...).

    >>> p = np.array([[100.0, 100.0], [100.0, 50.0]])
    >>> leverage_risk_curve(p, [1.0, 3.0], 0.0, 0.0)["prob_liquidated"].tolist()
    [0.0, 0.5]

    Notebook 10.
    """
    number("leverages", leverages, lo=1, hi=1_000, why="leverages of 1x or more")
    levs, X, G, lt, pen, _ = _prepare(prices, leverages, farm_apy, borrow_apy,
                                      liquidation_threshold, liquidation_penalty, lp, dt_years)
    levs = np.atleast_1d(levs)
    running_min = np.minimum.accumulate(X / G, axis=1)
    rows = [summarize_returns(*_final_returns(X, G, float(lev), lt, pen, running_min=running_min), float(lev))
            for lev in levs]
    return {k: np.array([row[k] for row in rows]) for k in rows[0]}


def compare_leverage(prices: Any, leverages: Any, farm_apy: Any = 0.20, borrow_apy: Any = 0.10,
                     **kwargs: Any) -> dict[str, np.ndarray]:
    """Run :func:`levered_farm_outcomes` for several leverages on the same paths.

    Returns a dict of arrays, one entry per leverage, with the keys of :func:`summarize_returns`
    (``"median"``, ``"median_lo"``, ``"median_hi"``, ``"prob_liquidated"``, ... ).

    >>> p = np.array([[100.0, 100.0], [100.0, 50.0]])
    >>> compare_leverage(p, [1.0, 3.0], 0.0, 0.0)["prob_liquidated"].tolist()
    [0.0, 0.5]

    Notebook 10.
    """
    levs = np.atleast_1d(number("leverages", leverages, lo=1, hi=1000, nonempty=True,
                                why="exposure / equity is at least 1"))
    rows = [levered_farm_outcomes(prices, float(x), farm_apy, borrow_apy, **kwargs).summary()
            for x in levs]
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}


# ---------------------------------------------------------------------------
# ETH collateral, borrowed stablecoin, stable-to-stable LP
# ---------------------------------------------------------------------------

def stableswap_lp_value(price_ratio: Any, amp: float = 200.0) -> float | np.ndarray:
    """Value of a two-stablecoin StableSwap LP share after one coin leaves its peg (per 1 at entry).

    The pool starts balanced (half coin A, half coin B, both worth 1). Coin B's market price moves
    to ``price_ratio`` coins A; arbitrageurs then trade the pool until its own price of B equals
    that (no fees), keeping the invariant ``D``. Returns the share's value in coin A, per unit of
    coin A deposited: 1 at the peg, and on either side less than simply holding the two coins
    would give (``(1 + price_ratio) / 2``). When B falls, the pool ends up holding mostly B
    (arbitrageurs took the good coin at near 1:1), so a high amplification does not protect the
    LP: it loses almost the whole depeg on its whole deposit. Teaching version in floats, built on
    :func:`cryptocourse.amm.stableswap_curve`
    (the closed form of the 2-coin invariant) and the invariant's price.

    Parameters
    ----------
    price_ratio : float or array
        Market price of coin B in coin A (0.9: B trades at 0.90 A), > 0.
    amp : float, default 200
        Curve's stored A for a 2-coin pool (whitepaper A times 2).

    >>> round(stableswap_lp_value(1.0), 6), round(stableswap_lp_value(0.9), 4)
    (1.0, 0.9133)
    >>> round(stableswap_lp_value(0.9, amp=2.0), 4)          # a less amplified pool loses less
    0.9461

    Source: Curve StableSwap whitepaper (invariant); pool mechanics as in notebook 07. Notebook 10.
    """
    from cryptocourse.amm import stableswap_curve

    r = np.asarray(number("price_ratio", price_ratio, lo=0, hi=np.inf, lo_open=True, finite=True,
                          why="coin B's price in coin A, > 0"), dtype=float)
    amp = number("amp", amp, lo=0, hi=1e7, lo_open=True,
                 why="Curve's A (about 100-2000 for stablecoins)")
    ann = 2.0 * amp
    d = 2.0  # one unit of each coin: D = 2 when balanced

    def price_of_b(xb):  # coins A per coin B at the pool's balances (xa(xb), xb)
        xa = np.asarray(stableswap_curve(xb, d, amp))
        k = d**3 / (4.0 * xa * xb)
        return (ann + k / xb) / (ann + k / xa), xa

    flat, back = np.unique(r.ravel(), return_inverse=True)  # a path often repeats one price
    # coin B's balance is above 1 when B is cheap (traders sold it into the pool), below 1 when
    # dear; bisect on log(balance of B) between a tiny and a huge balance
    lo = np.full(flat.shape, np.log(1e-9))
    hi = np.full(flat.shape, np.log(2.0 * 1e9))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # the far ends of the range
        for _ in range(100):
            mid = 0.5 * (lo + hi)
            price, _ = price_of_b(np.exp(mid))
            too_dear = price > flat  # the pool prices B above the market: it needs more B
            lo = np.where(too_dear, mid, lo)
            hi = np.where(too_dear, hi, mid)
    xb = np.exp(0.5 * (lo + hi))
    _, xa = price_of_b(xb)
    value = (xa + flat * xb) / d
    return _out(value[back].reshape(r.shape))


@dataclass
class CollateralFarmHistory:
    """The ETH-collateral / borrowed-stablecoin / stable-LP position along one path (per step).

    USD values: ``collateral_value``, ``debt_value``, ``lp_value``, ``equity``; tokens:
    ``collateral`` (ETH) and ``debt`` (the borrowed coin); ``health_before`` is the health
    factor liquidators saw each step (before acting), ``health`` the one after; ``liquidated``
    marks steps with a liquidation, ``liquidations`` holds the records
    (:class:`cryptocourse.lending.Liquidation`); ``bad_debt`` is debt written off (tokens).
    """

    eth_price: np.ndarray
    collateral: np.ndarray
    debt: np.ndarray
    debt_price: np.ndarray
    lp_value: np.ndarray
    health_before: np.ndarray
    health: np.ndarray
    liquidated: np.ndarray
    liquidations: list
    bad_debt: float

    @property
    def collateral_value(self) -> np.ndarray:
        return self.collateral * self.eth_price

    @property
    def debt_value(self) -> np.ndarray:
        return self.debt * self.debt_price

    @property
    def equity(self) -> np.ndarray:
        """ETH + LP - debt (USD): what you would have if you closed everything."""
        return self.collateral_value + self.lp_value - self.debt_value

    @property
    def first_liquidation(self) -> int:
        idx = np.flatnonzero(self.liquidated)
        return int(idx[0]) if idx.size else -1


def collateral_farm(
    eth_prices: Any,
    eth_amount: float,
    borrow: float,
    *,
    farm_apy: float = 0.08,
    borrow_apy: Any = 0.05,
    debt_price: Any = 1.0,
    other_price: Any = 1.0,
    amp: float = 200.0,
    liquidation_threshold: float = 0.83,
    liquidation_bonus: float = 0.05,
    version: str = "3.3",
    dt_years: float = DAY,
) -> CollateralFarmHistory:
    """ETH as collateral, a stablecoin borrowed against it, the stablecoin farmed in a stable pool.

    Step 0: deposit ``eth_amount`` ETH on a lending market, borrow ``borrow`` coins A (a stablecoin,
    e.g. USDC) and add them to a balanced A/B StableSwap pool (B another stablecoin, e.g. USDT). Each
    step: the debt grows at ``borrow_apy`` (an APY; a number or one rate per step), the LP at
    ``farm_apy`` (fees and rewards, reinvested) and it is revalued with :func:`stableswap_lp_value`
    at the coins' prices; the health factor ``ETH value * threshold / (debt * price of A)`` is read
    and, below 1, the lending market's liquidators act (:func:`cryptocourse.lending.liquidation_call`,
    one call per step). The LP is not collateral here: liquidation takes ETH, never the LP.
    Teaching version in floats.

    Parameters
    ----------
    eth_prices : array
        ETH price per step (USD), ``eth_prices[0]`` at entry.
    eth_amount : float
        ETH deposited, > 0.
    borrow : float
        Coins A borrowed and farmed, >= 0 (the market refuses more than LTV x collateral; check
        that yourself with :func:`cryptocourse.lending.max_borrow`).
    farm_apy : float, default 0.08
        The stable pool's yield per year (an APY).
    borrow_apy : float or array of length n_steps, default 0.05
        The borrow rate per year (an APY), e.g. one path from :func:`simulate_borrow_rates`.
    debt_price, other_price : float or array of length n_steps + 1, default 1
        USD prices of coin A (the one you owe) and of coin B: a depeg of either.
    amp : float, default 200
        The stable pool's amplification.
    liquidation_threshold, liquidation_bonus : float
        The collateral's, e.g. WETH's on Aave (0.83 and 0.05 in the 2023-10-31 snapshot).
    version : {"3.3", "3.0"}
        Aave's liquidation rule.
    dt_years : float, default 1/365

    >>> h = collateral_farm([3000.0, 3000.0, 1400.0], 10.0, 12_000.0, farm_apy=0.0, borrow_apy=0.0)
    >>> h.health_before.round(3).tolist(), h.liquidated.tolist()
    ([2.075, 2.075, 0.968], [False, False, True])
    >>> round(float(h.lp_value[-1]), 2), round(float(h.debt[-1]), 2)   # the LP stays, half the debt went
    (12000.0, 6000.0)

    Notebook 10.
    """
    from cryptocourse import lending

    p = np.atleast_1d(np.asarray(number("eth_prices", eth_prices, lo=0, hi=np.inf, lo_open=True, finite=True,
                                        why="ETH prices in USD, all > 0"), dtype=float))
    if p.ndim != 1 or p.size < 2:
        fail("eth_prices", "a 1-D price path with at least 2 points", f"shape {p.shape}")
    n = p.size
    q = number("eth_amount", eth_amount, lo=0, hi=np.inf, lo_open=True, finite=True, why="ETH deposited")
    d = number("borrow", borrow, lo=0, finite=True, why="coins borrowed")
    f = number("farm_apy", farm_apy, lo=-1, hi=100, why="a yearly yield as a fraction")
    lt = number("liquidation_threshold", liquidation_threshold, lo=0, hi=1, lo_open=True,
                why="a fraction of the collateral value, above 0")
    bonus = number("liquidation_bonus", liquidation_bonus, lo=0, hi=1, hi_open=True,
                   why="the liquidator's bonus as a fraction (0.05 is 5 %)")
    dt = number("dt_years", dt_years, lo=0, hi=10, lo_open=True, why="a step length in years")

    def per_step(name, value, size, lo):
        arr = np.asarray(number(name, value, lo=lo, hi=100 if lo == 0 else np.inf,
                                lo_open=lo > 0 or name.endswith("price"),
                                why="a yearly rate as a fraction" if name == "borrow_apy"
                                else "a price in USD, > 0"), dtype=float)
        try:
            return np.broadcast_to(arr, (size,)).astype(float)
        except ValueError:
            fail(name, f"a number or an array of length {size}", f"shape {arr.shape}")

    b = per_step("borrow_apy", borrow_apy, n - 1, 0)
    pa = per_step("debt_price", debt_price, n, 0)
    pb = per_step("other_price", other_price, n, 0)
    lp = d * pa * np.asarray(stableswap_lp_value(pb / pa, amp)) * (1.0 + f) ** (dt * np.arange(n))
    coll, debt, hb, ha = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    liq = np.zeros(n, dtype=bool)
    records = []
    for i in range(n):
        if i:
            d *= (1.0 + b[i - 1]) ** dt
        hf = q * p[i] * lt / (d * pa[i]) if d > 0 else np.inf
        hb[i] = hf
        if q > 0 and d > 0 and hf < 1.0:
            rec = lending.liquidation_call(q, d, p[i], lt, bonus, debt_price=pa[i], version=version)
            records.append(rec)
            q, d, hf = rec.collateral_left, rec.debt_left, rec.health_after
            liq[i] = True
        coll[i], debt[i], ha[i] = q, d, hf
    return CollateralFarmHistory(eth_price=p, collateral=coll, debt=debt, debt_price=pa, lp_value=lp,
                                 health_before=hb, health=ha, liquidated=liq, liquidations=records,
                                 bad_debt=float(sum(r.bad_debt for r in records)))
