"""Risk measures (VaR, CVaR, drawdown, probability of loss, portfolio volatility) and portfolio tools
(rebalancing, stop-loss, hedge)."""
from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

from cryptocourse._validate import choice, fail, number, scalar_out

from .paths import DAY, _as_vector, _paths_array


# --------------------------------------------------------------------------- risk measures
def _level(level) -> float:
    return number("level", level, lo=0, hi=1, lo_open=True, hi_open=True,
                  why="the confidence level is a fraction such as 0.95")


def _tail(returns, level):
    r = np.asarray(number("returns", returns), dtype=float)
    if r.ndim == 0 or r.shape[-1] == 0:
        fail("returns", "a non-empty list or array of returns", returns)
    n = r.shape[-1]
    k = max(1, math.ceil(round(n * (1.0 - _level(level)), 9)))
    losses = -r
    worst = -np.partition(-losses, k - 1, axis=-1)[..., :k]  # the k largest losses
    return worst, k


_out = scalar_out  # scalar in -> Python float out; arrays stay arrays


def value_at_risk(returns, level: float = 0.95):
    """Value at Risk: the loss that is exceeded in only ``1 - level`` of outcomes.

    Historical VaR uses past returns, Monte-Carlo VaR simulated ones: the function is
    the same, only the sample differs. With ``n`` returns and ``k = ceil(n (1 - level))``
    the VaR is the ``k``-th worst loss (a positive number is a loss).

    Parameters
    ----------
    returns : returns as fractions (0.1 = +10%), along the last axis.
    level : confidence level in (0, 1), e.g. 0.95.

    Returns
    -------
    float (or array, one per row): the loss as a fraction of capital.

    Examples
    --------
    >>> value_at_risk([-0.5, -0.2, 0.0, 0.1, 0.3], level=0.6)
    0.2

    Source: Rockafellar and Uryasev (2000). Introduced in notebook 14.
    """
    worst, k = _tail(returns, level)
    return _out(np.min(worst, axis=-1))


def conditional_value_at_risk(returns, level: float = 0.95):
    """Conditional VaR (expected shortfall): the average loss in the worst ``1 - level`` of outcomes.

    Always at least the VaR at the same level: it looks inside the tail instead of at its edge.

    Parameters
    ----------
    returns : returns as fractions, along the last axis.
    level : confidence level in (0, 1).

    Returns
    -------
    float (or array): mean of the ``k = ceil(n (1 - level))`` worst losses (fraction of capital).

    Examples
    --------
    >>> conditional_value_at_risk([-0.5, -0.2, 0.0, 0.1, 0.3], level=0.6)
    0.35

    Source: Rockafellar and Uryasev (2000). Introduced in notebook 14.
    """
    worst, k = _tail(returns, level)
    return _out(np.mean(worst, axis=-1))


def normal_var(mu, sigma, level: float = 0.95):
    """Closed-form VaR of a normally distributed return ``N(mu, sigma**2)``: ``-mu + sigma z_level``.

    Parameters
    ----------
    mu, sigma : mean and standard deviation of the return (fractions).
    level : confidence level in (0, 1).

    Returns
    -------
    float (or array): the VaR as a fraction of capital.

    Examples
    --------
    >>> round(normal_var(0.0, 0.1, 0.95), 4)
    0.1645
    """
    mu = number("mu", mu)
    sigma = number("sigma", sigma, lo=0)
    z = NormalDist().inv_cdf(_level(level))
    return _out(-mu + sigma * z)


def normal_cvar(mu, sigma, level: float = 0.95):
    """Closed-form CVaR of a normal return: ``-mu + sigma phi(z) / (1 - level)``.

    Parameters
    ----------
    mu, sigma : mean and standard deviation of the return (fractions).
    level : confidence level in (0, 1).

    Returns
    -------
    float (or array): the CVaR as a fraction of capital.

    Examples
    --------
    >>> round(normal_cvar(0.0, 0.1, 0.95), 4)
    0.2063
    """
    mu = number("mu", mu)
    sigma = number("sigma", sigma, lo=0)
    lv = _level(level)
    nd = NormalDist()
    return _out(-mu + sigma * nd.pdf(nd.inv_cdf(lv)) / (1.0 - lv))


def max_drawdown(values):
    """Largest fall from a running peak, along the last axis (time).

    Parameters
    ----------
    values : values over time (USD or per unit of capital, > 0), shape ``(..., n_steps + 1)``.

    Returns
    -------
    float (or array, one per path): the drawdown as a fraction in [0, 1).

    Examples
    --------
    >>> max_drawdown([100, 120, 60, 90, 130])
    0.5
    """
    v = _paths_array("values", values, 0, positive=True, why="drawdown compares positive values with their peak")
    peak = np.maximum.accumulate(v, axis=-1)
    return _out(np.max(1.0 - v / peak, axis=-1))


def probability_of_loss(returns):
    """Share of outcomes with a negative return (along the last axis).

    Parameters
    ----------
    returns : returns as fractions.

    Returns
    -------
    float (or array): probability in [0, 1].

    Examples
    --------
    >>> probability_of_loss([-0.1, 0.2, 0.0, -0.3])
    0.5
    """
    r = np.asarray(number("returns", returns), dtype=float)
    if r.ndim == 0 or r.shape[-1] == 0:
        fail("returns", "a non-empty list or array of returns", returns)
    return _out(np.mean(r < 0, axis=-1))


def final_returns(values):
    """Return over the whole path of each row: ``values[..., -1] / values[..., 0] - 1``.

    Examples
    --------
    >>> final_returns([[100, 80, 150], [2, 1, 1]])
    array([ 0.5, -0.5])
    """
    v = _paths_array("values", values, 1)
    if np.any(v[..., 0] <= 0):
        fail("values", "> 0 at the start", v[..., 0].min(), "a return is relative to a positive start")
    return _out(v[..., -1] / v[..., 0] - 1.0)


def portfolio_volatility(weights, sigma, corr) -> float:
    """Closed-form volatility of a weighted portfolio: ``sqrt(w^T (s s^T * corr) w)``.

    Parameters
    ----------
    weights : capital weights (fractions).
    sigma : volatility of each asset (per year).
    corr : correlation matrix.

    Returns
    -------
    float: portfolio volatility (per year).

    Examples
    --------
    >>> round(portfolio_volatility([0.5, 0.5], [0.8, 0.8], [[1, 0], [0, 1]]), 4)
    0.5657
    """
    w = np.atleast_1d(number("weights", weights))
    n_sigma = np.size(number("sigma", sigma, lo=0)) if isinstance(sigma, (list, tuple, np.ndarray)) else w.size
    if n_sigma > 1 and w.size != n_sigma:
        fail("weights", f"one weight per asset ({n_sigma}, as in sigma)", weights)
    s = _as_vector("sigma", sigma, w.size, lo=0)
    c = np.atleast_2d(number("corr", corr, lo=-1, hi=1))
    if c.shape != (w.size, w.size):
        fail("corr", f"a {w.size} x {w.size} matrix", corr)
    cov = np.outer(s, s) * c
    return float(math.sqrt(max(float(w @ cov @ w), 0.0)))


def diversification_benefit(returns, weights, level: float = 0.95, measure: str = "cvar") -> float:
    """Risk saved by holding assets together: weighted sum of standalone risks minus the portfolio's.

    Parameters
    ----------
    returns : shape ``(n_assets, n_outcomes)``: each asset's return in the same scenarios.
    weights : capital weights (>= 0, summing to 1).
    level : confidence level for the risk measure.
    measure : ``"var"``, ``"cvar"`` or ``"std"`` (standard deviation).

    Returns
    -------
    float: the benefit as a fraction of capital (> 0 means diversification helped).

    Examples
    --------
    >>> r = [[-0.5, 0.5, -0.5, 0.5], [0.5, -0.5, 0.5, -0.5]]
    >>> diversification_benefit(r, [0.5, 0.5], level=0.5, measure="var")
    0.5
    """
    r = np.asarray(number("returns", returns), dtype=float)
    if r.ndim != 2:
        fail("returns", "a 2-D array (one row of outcomes per asset)", f"shape {r.shape}")
    w = check_weights(weights, r.shape[0])
    choice("measure", measure, ["var", "cvar", "std"])
    port = w @ r
    if measure == "std":
        alone, together = np.std(r, axis=-1), np.std(port)
    elif measure == "var":
        alone, together = value_at_risk(r, level), value_at_risk(port, level)
    else:
        alone, together = conditional_value_at_risk(r, level), conditional_value_at_risk(port, level)
    return float(w @ np.atleast_1d(alone) - together)


def check_weights(weights, n: int) -> np.ndarray:
    """Validate portfolio weights: ``n`` numbers >= 0 that sum to 1; returns them as an array.

    Examples
    --------
    >>> check_weights([0.25, 0.75], 2)
    array([0.25, 0.75])
    """
    w = np.atleast_1d(number("weights", weights, lo=0, hi=1))
    if w.ndim != 1 or w.size != n:
        fail("weights", f"a list of {n} numbers (one per strategy)", weights)
    if abs(w.sum() - 1.0) > 1e-9:
        fail("weights", "numbers that sum to 1", weights, "they are shares of your capital")
    return w


def risk_summary(values, level: float = 0.95) -> dict:
    """The headline risk figures of a strategy's simulated values.

    Parameters
    ----------
    values : shape ``(n_paths, n_steps + 1)``: value over time on each path (> 0).
    level : confidence level for VaR and CVaR.

    Returns
    -------
    dict with ``mean_return``, ``median_return``, ``var``, ``cvar``,
    ``probability_of_loss``, ``median_max_drawdown`` (all fractions of capital).

    Examples
    --------
    >>> from cryptocourse.risk import gbm_paths
    >>> s = risk_summary(gbm_paths(1.0, 0.0, 0.5, n_paths=2000, seed=1))
    >>> sorted(s)
    ['cvar', 'mean_return', 'median_max_drawdown', 'median_return', 'probability_of_loss', 'var']
    """
    v = _paths_array("values", values, 1)
    if v.ndim != 2:
        fail("values", "a 2-D array (paths x time)", f"shape {v.shape}")
    r = final_returns(v)
    return {
        "mean_return": float(np.mean(r)),
        "median_return": float(np.median(r)),
        "var": float(value_at_risk(r, level)),
        "cvar": float(conditional_value_at_risk(r, level)),
        "probability_of_loss": float(probability_of_loss(r)),
        "median_max_drawdown": float(np.median(max_drawdown(v))),
    }


# --------------------------------------------------------------------------- portfolio tools
def portfolio_values(values, weights, rebalance: bool = False) -> np.ndarray:
    """Value over time of a portfolio of strategies (per unit of starting capital).

    Parameters
    ----------
    values : shape ``(n_strategies, n_paths, n_steps + 1)``: each strategy's value on the
        same paths (any starting value; each is scaled to start at 1).
    weights : share of capital in each strategy (>= 0, summing to 1).
    rebalance : buy-and-hold (False) or back to the weights every step (True).

    Returns
    -------
    numpy.ndarray, shape ``(n_paths, n_steps + 1)``: portfolio value, starting at 1.

    Examples
    --------
    >>> v = [[[1.0, 2.0, 1.0]], [[1.0, 0.5, 1.0]]]
    >>> portfolio_values(v, [0.5, 0.5]).tolist(), portfolio_values(v, [0.5, 0.5], rebalance=True).tolist()
    ([[1.0, 1.25, 1.0]], [[1.0, 1.25, 1.5625]])

    Introduced in notebook 14.
    """
    v = _paths_array("values", values, 1)
    if v.ndim != 3:
        fail("values", "a 3-D array (strategies x paths x time)", f"shape {v.shape}")
    if np.any(v <= 0):
        fail("values", "> 0 everywhere", float(v.min()), "a strategy worth 0 cannot be scaled (use a tiny value)")
    w = check_weights(weights, v.shape[0])
    rel = v / v[:, :, :1]
    if not rebalance:
        return np.tensordot(w, rel, axes=1)
    step = rel[:, :, 1:] / rel[:, :, :-1]
    growth = np.tensordot(w, step, axes=1)
    return np.concatenate([np.ones((v.shape[1], 1)), np.cumprod(growth, axis=1)], axis=1)


def stop_loss(values, threshold: float = 0.2, trailing: bool = False) -> np.ndarray:
    """Sell to cash the first time the value falls ``threshold`` below its start (or its peak).

    The sale happens at that step's value (a gap down is not avoided: a daily
    stop fills at the day's price, which can be well below the stop).

    Parameters
    ----------
    values : shape ``(..., n_steps + 1)``: value over time (> 0).
    threshold : the fall that triggers the sale (fraction, 0 to 1).
    trailing : measure the fall from the running peak instead of the start.

    Returns
    -------
    numpy.ndarray, same shape: the value with the stop applied (flat after the sale).

    Examples
    --------
    >>> stop_loss([1.0, 0.9, 0.7, 1.5], threshold=0.2).tolist()
    [1.0, 0.9, 0.7, 0.7]
    """
    v = _paths_array("values", values, 1)
    th = number("threshold", threshold, lo=0, hi=1, lo_open=True, hi_open=True)
    ref = np.maximum.accumulate(v, axis=-1) if trailing else v[..., :1]
    hit = v <= (1.0 - th) * ref
    hit[..., 0] = False
    any_hit = hit.any(axis=-1)
    first = np.where(any_hit, hit.argmax(axis=-1), v.shape[-1])
    t = np.arange(v.shape[-1])
    sold = t >= first[..., None]
    exit_value = np.take_along_axis(v, np.minimum(first, v.shape[-1] - 1)[..., None], axis=-1)
    return np.where(sold, exit_value, v)


def hedge(values, prices, hedge_ratio: float = 0.5, cost_apr: float = 0.05, dt: float = DAY) -> np.ndarray:
    """Add a short position in the asset (a hedge) to a strategy's value.

    Per unit of capital the hedge gains ``hedge_ratio * (1 - P_t / P_0)`` and pays
    ``hedge_ratio * cost_apr`` per year: its running cost, e.g. the borrow rate of tokens
    borrowed and sold (an illustrative constant; a perpetual future's funding payments play
    this role and can be received as well as paid). A ratio of 1 cancels a HODL's price risk.

    Parameters
    ----------
    values : shape ``(n_paths, n_steps + 1)``: the strategy's value (per unit of capital).
    prices : same shape: the hedged asset's price (USD).
    hedge_ratio : size of the short per unit of capital (0 to 2).
    cost_apr : running cost of the short (per year; borrow rate or funding).
    dt : step length (years).

    Returns
    -------
    numpy.ndarray: hedged value, floored at a tiny positive value (the position is closed at 0).

    Examples
    --------
    >>> hedge([[1.0, 0.5]], [[1.0, 0.5]], hedge_ratio=1.0, cost_apr=0.0).tolist()
    [[1.0, 1.0]]
    """
    v = _paths_array("values", values, 1)
    p = _paths_array("prices", prices, 1)
    if v.shape != p.shape:
        fail("prices", f"the same shape as values {v.shape}", f"shape {p.shape}")
    h = number("hedge_ratio", hedge_ratio, lo=0, hi=2)
    c = number("cost_apr", cost_apr, lo=0, hi=5)
    dt = number("dt", dt, lo=0, lo_open=True, hi=1)
    t = np.arange(v.shape[-1]) * dt
    hedged = v / v[..., :1] + h * (1.0 - p / p[..., :1]) - h * c * t
    dead = np.maximum.accumulate(hedged <= 1e-9, axis=-1)  # wiped out: stays closed
    return np.where(dead, 1e-9, hedged)
