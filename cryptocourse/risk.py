"""Risk: price paths, risk measures, DCA and strategy outcomes on the same paths.

Everything here is a float teaching model (no on-chain integer math): prices are
simulated, strategies are valued per unit of starting capital (1.0 = what you put
in), and every random draw comes from one integer ``seed`` so the same seed gives
the same numbers on every machine.

Shapes: a single asset's paths are ``(n_paths, n_steps + 1)`` (column 0 is today);
several assets are ``(n_assets, n_paths, n_steps + 1)``. Time steps are ``dt``
years (daily: ``1/365``, crypto trades every day).

Introduced in notebooks 13 (dollar-cost averaging) and 14 (risk management).
Sources: geometric Brownian motion and Merton's jump-diffusion (R. C. Merton,
"Option pricing when underlying stock returns are discontinuous", J. Financial
Economics 3, 1976); VaR/CVaR as in R. T. Rockafellar and S. Uryasev, "Optimization
of conditional value-at-risk", J. Risk 2, 2000.
"""
from __future__ import annotations

import math
import os
import threading
from fractions import Fraction
from collections import OrderedDict
from dataclasses import dataclass
from statistics import NormalDist
from typing import Callable, Sequence

import numpy as np

from cryptocourse._validate import choice, fail, integer, number, scalar_out

DAY = 1.0 / 365.0
"""One day in years (crypto markets trade every day of the year)."""

_CHUNK = 4096  # paths per block (each block has its own generators; changing this changes the draws)
_STREAM_NORMAL, _STREAM_JUMP_COUNT, _STREAM_JUMP_SIZE, _STREAM_EVENTS = 0, 1, 2, 3
_STREAM_COMMON_JUMPS = 4  # market-wide crashes (only drawn when common_jump_rate > 0)


# --------------------------------------------------------------------------- helpers
def _seed(seed) -> int:
    return integer("seed", seed, lo=0, why="use a whole number such as 2026 so runs are reproducible")


def _rngs(seed: int, block: int = 0):
    """Independent generators for normals, jump counts and jump sizes of one block of paths.

    SFC64 (a small fast chaotic generator, one of numpy's standard bit generators) draws
    normals about 25% faster than the default PCG64; both pass the standard statistical test
    batteries (https://numpy.org/doc/stable/reference/random/performance.html).
    """
    return [np.random.Generator(np.random.SFC64(np.random.SeedSequence(seed, spawn_key=(s, block))))
            for s in (_STREAM_NORMAL, _STREAM_JUMP_COUNT, _STREAM_JUMP_SIZE)]


def _event_rng(seed, stream: int):
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(np.random.SeedSequence(_seed(seed), spawn_key=(_STREAM_EVENTS, stream)))


#: The most values a simulation may hold at once (1.6 GB of floats); the course's largest run uses 36.5 million.
_MAX_PATH_VALUES = 200_000_000


def _as_vector(name, value, k, **bounds) -> np.ndarray:
    checked = number(name, value, **bounds)
    arr = np.atleast_1d(checked)
    if arr.ndim != 1 or (arr.size != k and np.ndim(checked) != 0):  # a single number applies to every asset
        fail(name, f"a number or a list of {k} numbers (one per asset)", value)
    return np.broadcast_to(arr, (k,)).astype(float)


def _paths_array(name: str, values, min_steps: int = 0, positive: bool = False, why: str = "") -> np.ndarray:
    """Check an array of values over time; fast path for float arrays (two reductions)."""
    arr = values if isinstance(values, np.ndarray) and values.dtype == np.float64 else None
    if arr is None or arr.size == 0 or not (np.isfinite(arr.min()) and np.isfinite(arr.max())):
        arr = np.asarray(number(name, values), dtype=float)
    if arr.ndim == 0 or arr.shape[-1] < min_steps + 1:
        fail(name, f"an array of values over time with at least {min_steps + 1} columns", values)
    if positive and arr.min() <= 0:
        fail(name, "> 0 everywhere", float(arr.min()), why)
    return arr


# --------------------------------------------------------------------------- price paths
class _PathModel:
    """Validated parameters of correlated jump-diffusions, drawn block by block."""

    def __init__(self, s0, mu, sigma, corr, jump_rate, jump_mean, jump_std, n_paths, n_steps, dt, seed,
                 common_jump_rate=0.0):
        self.n_paths = integer("n_paths", n_paths, lo=1, why="simulate at least one path")
        self.n_steps = integer("n_steps", n_steps, lo=1, why="a path needs at least one step")
        if self.n_paths * (self.n_steps + 1) > _MAX_PATH_VALUES:
            fail("n_paths", f"such that n_paths x (n_steps + 1) <= {_MAX_PATH_VALUES:,}", f"{n_paths} x {n_steps + 1}",
                 "more values than fit in memory (8 bytes each); simulate fewer paths or steps")
        self.dt = number("dt", dt, lo=0, lo_open=True, hi=1, why="dt is the step in years (1/365 for a day)")
        s0_arr = np.atleast_1d(number("s0", s0, lo=0, lo_open=True, why="a price must be positive"))
        k = s0_arr.size
        if corr is not None:
            c = np.atleast_2d(number("corr", corr, lo=-1, hi=1))
            k = k if k > 1 else c.shape[0]
        self.k = k
        self.s0 = _as_vector("s0", s0, k, lo=0, lo_open=True, why="a price must be positive")
        self.mu = _as_vector("mu", mu, k, lo=-5, hi=5, why="mu is the expected return per year (0.1 = 10%)")
        self.sigma = _as_vector("sigma", sigma, k, lo=0, hi=5, why="sigma is the volatility per year (0.8 = 80%)")
        self.jump_rate = _as_vector("jump_rate", jump_rate, k, lo=0, hi=365,
                                    why="jump_rate is the expected number of jumps per year")
        self.jump_mean = _as_vector("jump_mean", jump_mean, k, lo=-5, hi=5,
                                    why="jump_mean is the mean log size of a jump (-0.2 is about a 18% fall)")
        self.jump_std = _as_vector("jump_std", jump_std, k, lo=0, hi=5)
        if corr is None:
            self.chol = None
        else:
            c = np.atleast_2d(number("corr", corr, lo=-1, hi=1))
            if c.shape != (k, k):
                fail("corr", f"a {k} x {k} matrix (one row and column per asset)", corr)
            if not np.allclose(c, c.T) or not np.allclose(np.diag(c), 1.0):
                fail("corr", "symmetric with ones on the diagonal", corr, "a correlation matrix")
            try:
                self.chol = np.linalg.cholesky(c)
            except np.linalg.LinAlgError:
                fail("corr", "positive definite", corr,
                     "these correlations cannot all hold at once (try values closer to 0)")
            if k == 1:
                self.chol = None
        self.common_jump_rate = number("common_jump_rate", common_jump_rate, lo=0, hi=365,
                                       why="market-wide crashes per year (they hit every asset on the same day)")
        self.seed = _seed(seed)
        self.has_jumps = bool(np.any(self.jump_rate > 0))
        # Merton's compensator keeps E[S_t] = s0 * exp(mu * t) with jumps on (own and market-wide).
        kappa = np.exp(self.jump_mean + 0.5 * self.jump_std ** 2) - 1.0
        self.drift = (self.mu - 0.5 * self.sigma ** 2 - (self.jump_rate + self.common_jump_rate) * kappa) * self.dt
        self.vol = self.sigma * math.sqrt(self.dt)

    def n_blocks(self) -> int:
        return -(-self.n_paths // _CHUNK)

    def block(self, i: int, out: np.ndarray | None = None,
              zbuf: np.ndarray | None = None) -> tuple[int, int, np.ndarray]:
        """Log prices of block ``i`` (paths ``i*_CHUNK`` onwards), shaped (k, n, n_steps + 1).

        Each block has its own generators (seed, stream, block), filled row by row, so a
        path's numbers depend only on the seed and its index: not on ``n_paths``, not on
        the order or the thread in which blocks are drawn.
        """
        g_norm, g_count, g_size = _rngs(self.seed, i)
        k, m = self.k, self.n_steps
        start = i * _CHUNK
        n = min(_CHUNK, self.n_paths - start)
        out = np.empty((k, n, m + 1)) if out is None else out[:, :n]
        out[:, :, 0] = np.log(self.s0)[:, None]
        if k == 1:
            z = (g_norm.standard_normal((n, m)) if zbuf is None else g_norm.standard_normal(out=zbuf[:n]))[None]
        else:
            z = g_norm.standard_normal((n, m, k))
            if self.chol is not None:
                z = z @ self.chol.T
            z = np.moveaxis(z, -1, 0)
        inc = z
        inc *= self.vol[:, None, None]
        inc += self.drift[:, None, None]
        if self.has_jumps:
            # A Poisson process on [0, T]: N ~ Poisson(rate T) jumps per path, at independent
            # uniform times (so in uniformly drawn steps); each adds a Normal(mean, std) log jump.
            totals = g_count.poisson(self.jump_rate[:, None] * self.dt * m, size=(k, n)).ravel()
            rows = np.repeat(np.arange(k * n), totals)
            steps = g_count.integers(0, m, size=rows.size)
            asset = rows // n
            sizes = self.jump_mean[asset] + self.jump_std[asset] * g_size.standard_normal(rows.size)
            flat = inc.reshape(k * n, m) if inc.flags.c_contiguous else None
            if flat is None:
                inc = np.ascontiguousarray(inc)
                flat = inc.reshape(k * n, m)
            np.add.at(flat, (rows, steps), sizes)
        if self.common_jump_rate > 0:
            # Market-wide crashes: one Poisson process per path, the same day for every asset, and one
            # standard normal per crash scaled by each asset's jump mean and spread (they fall together).
            g_common = np.random.Generator(np.random.SFC64(
                np.random.SeedSequence(self.seed, spawn_key=(_STREAM_COMMON_JUMPS, i))))
            totals = g_common.poisson(self.common_jump_rate * self.dt * m, size=n)
            rows = np.repeat(np.arange(n), totals)
            steps = g_common.integers(0, m, size=rows.size)
            z_jump = g_common.standard_normal(rows.size)
            inc = np.ascontiguousarray(inc)
            for a in range(k):
                np.add.at(inc[a], (rows, steps), self.jump_mean[a] + self.jump_std[a] * z_jump)
        inc[:, :, 0] += out[:, :, 0]
        np.cumsum(inc, axis=2, out=out[:, :, 1:])
        return start, start + n, out

    def block_log_prices(self) -> np.ndarray:
        """All log prices of the first asset, shape (n_paths, n_steps + 1)."""
        return np.concatenate([self.block(i)[2][0] for i in range(self.n_blocks())], axis=0)

    def prices(self) -> np.ndarray:
        full = np.empty((self.k, self.n_paths, self.n_steps + 1))
        for i in range(self.n_blocks()):
            a, b, logp = self.block(i)
            np.exp(logp, out=full[:, a:b])
            full[:, a:b, 0] = self.s0[:, None]  # exactly s0, not exp(log(s0))
        return full


def gbm_paths(s0: float = 1.0, mu: float = 0.0, sigma: float = 0.8, *, n_paths: int = 1000,
              n_steps: int = 365, dt: float = DAY, seed: int = 2026) -> np.ndarray:
    """Simulate geometric Brownian motion price paths (float teaching model).

    Each step multiplies the price by ``exp((mu - sigma**2/2) dt + sigma sqrt(dt) Z)``
    with ``Z`` standard normal, the exact solution of ``dS = mu S dt + sigma S dW``.

    Parameters
    ----------
    s0 : starting price (USD, > 0).
    mu : expected return (per year, 0.1 = 10%); ``E[S_t] = s0 exp(mu t)``.
    sigma : volatility (per year, 0.8 = 80%).
    n_paths, n_steps : number of paths and of steps after today.
    dt : step length (years; default one day).
    seed : integer seed; the same seed gives the same paths.

    Returns
    -------
    numpy.ndarray, shape ``(n_paths, n_steps + 1)``: prices (USD); column 0 is ``s0``.

    Examples
    --------
    >>> p = gbm_paths(100.0, 0.05, 0.8, n_paths=3, n_steps=365, seed=1)
    >>> p.shape, float(p[0, 0])
    ((3, 366), 100.0)
    >>> bool((gbm_paths(100.0, seed=1, n_paths=3) == gbm_paths(100.0, seed=1, n_paths=3)).all())
    True

    Introduced in notebook 13.
    """
    return _PathModel(s0, mu, sigma, None, 0.0, 0.0, 0.0, n_paths, n_steps, dt, seed).prices()[0]


def jump_diffusion_paths(s0: float = 1.0, mu: float = 0.0, sigma: float = 0.6, *, jump_rate: float = 2.0,
                         jump_mean: float = -0.15, jump_std: float = 0.1, n_paths: int = 1000,
                         n_steps: int = 365, dt: float = DAY, seed: int = 2026) -> np.ndarray:
    """Simulate Merton jump-diffusion price paths: GBM plus sudden jumps (crashes).

    Jumps arrive as a Poisson process (``jump_rate`` per year); each multiplies the
    price by ``exp(J)`` with ``J ~ Normal(jump_mean, jump_std**2)``. The drift is
    compensated, so ``E[S_t] = s0 exp(mu t)`` as for GBM: jumps add risk, not return.

    Parameters
    ----------
    s0, mu, sigma : as in :func:`gbm_paths` (USD, per year, per year).
    jump_rate : expected jumps per year (>= 0).
    jump_mean, jump_std : mean and spread of the log jump size (-0.15 is about a 14% fall).
    n_paths, n_steps, dt, seed : as in :func:`gbm_paths`.

    Returns
    -------
    numpy.ndarray, shape ``(n_paths, n_steps + 1)``: prices (USD).

    Examples
    --------
    >>> p = jump_diffusion_paths(100.0, jump_rate=4, n_paths=2, n_steps=30, seed=3)
    >>> p.shape
    (2, 31)

    Source: Merton (1976), see the module docstring. Introduced in notebook 14.
    """
    return _PathModel(s0, mu, sigma, None, jump_rate, jump_mean, jump_std, n_paths, n_steps, dt, seed).prices()[0]


def correlated_paths(s0: Sequence[float], mu, sigma, corr, *, jump_rate=0.0, jump_mean=-0.15, jump_std=0.1,
                     n_paths: int = 1000, n_steps: int = 365, dt: float = DAY, seed: int = 2026,
                     common_jump_rate: float = 0.0) -> np.ndarray:
    """Simulate several assets whose daily moves are correlated (Cholesky), optionally with jumps.

    Independent normals ``Z`` become correlated ones ``L Z`` with ``L`` the Cholesky
    factor of ``corr`` (``L L^T = corr``). Jumps come in two kinds: each asset's **own**
    jumps (``jump_rate`` per year, independent between assets: one coin's hack) and
    **market-wide** crashes (``common_jump_rate`` per year) that hit every asset on the
    same day, each asset falling by ``exp(jump_mean + jump_std * Z)`` with one shared ``Z``
    (a crash of the whole market, as in March 2020 or May 2022). The drift is compensated
    for both, so jumps add risk, not return.

    Parameters
    ----------
    s0 : starting prices, one per asset (USD).
    mu, sigma : expected return and volatility per year, one per asset (or one for all).
    corr : correlation matrix of the assets' log returns (symmetric, ones on the diagonal).
    jump_rate, jump_mean, jump_std : jump parameters, one per asset or one for all
        (see :func:`jump_diffusion_paths`); ``jump_rate`` counts each asset's own jumps.
    n_paths, n_steps, dt, seed : as in :func:`gbm_paths`.
    common_jump_rate : market-wide crashes per year (>= 0), shared by all assets.

    Returns
    -------
    numpy.ndarray, shape ``(n_assets, n_paths, n_steps + 1)``: prices (USD).

    Examples
    --------
    >>> p = correlated_paths([100.0, 1.0], [0.05, 0.0], [0.8, 0.6], [[1, 0.7], [0.7, 1]], n_paths=4, seed=1)
    >>> p.shape
    (2, 4, 366)
    >>> q = correlated_paths([1.0, 1.0], 0.0, 0.0, [[1, 0], [0, 1]], jump_std=0.0, common_jump_rate=3.0,
    ...                      n_paths=200, seed=1)
    >>> bool(np.allclose(q[0], q[1]))     # no diffusion, only shared crashes: the two assets move as one
    True

    Introduced in notebook 14.
    """
    return _PathModel(s0, mu, sigma, corr, jump_rate, jump_mean, jump_std, n_paths, n_steps, dt, seed,
                      common_jump_rate).prices()


def brownian_motion(n_paths: int = 1000, n_steps: int = 365, *, dt: float = DAY, seed: int = 2026) -> np.ndarray:
    """Standard Brownian motion paths ``W_t`` (the randomness inside :func:`gbm_paths`).

    Keep ``W`` and change ``mu`` or ``sigma`` with :func:`gbm_from_brownian`: every setting
    then sees the same market shocks ("common random numbers"), so differences come
    from the parameters, not from luck.

    Parameters
    ----------
    n_paths, n_steps, dt, seed : as in :func:`gbm_paths`.

    Returns
    -------
    numpy.ndarray, shape ``(n_paths, n_steps + 1)``: ``W`` (in sqrt-years), starting at 0.

    Examples
    --------
    >>> w = brownian_motion(2, 365, seed=1)
    >>> p = gbm_from_brownian(w, 100.0, 0.05, 0.8)
    >>> bool(np.allclose(p, gbm_paths(100.0, 0.05, 0.8, n_paths=2, seed=1)))
    True
    """
    return _PathModel(1.0, 0.5, 1.0, None, 0.0, 0.0, 0.0, n_paths, n_steps, dt, seed).block_log_prices()


def gbm_from_brownian(w, s0: float = 1.0, mu: float = 0.0, sigma: float = 0.8, *, dt: float = DAY) -> np.ndarray:
    """GBM prices from Brownian paths: ``s0 exp((mu - sigma**2/2) t + sigma W_t)``.

    Parameters
    ----------
    w : shape ``(n_paths, n_steps + 1)`` from :func:`brownian_motion`.
    s0, mu, sigma, dt : as in :func:`gbm_paths`.

    Returns
    -------
    numpy.ndarray, same shape: prices (USD).

    Examples
    --------
    >>> gbm_from_brownian([[0.0, 0.0]], 100.0, 0.0, 0.0).tolist()
    [[100.0, 100.0]]
    """
    w = _paths_array("w", w, 1)
    s0 = number("s0", s0, lo=0, lo_open=True, why="a price must be positive")
    mu = number("mu", mu, lo=-5, hi=5)
    sigma = number("sigma", sigma, lo=0, hi=5)
    dt = number("dt", dt, lo=0, lo_open=True, hi=1)
    t = np.arange(w.shape[-1]) * dt
    return s0 * np.exp((mu - 0.5 * sigma**2) * t + sigma * w)


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
    n_steps = integer("n_steps", n_steps, lo=1)
    n_buys = integer("n_buys", n_buys, lo=1, hi=n_steps, why="at most one buy per step")
    return np.floor(np.arange(n_buys) * n_steps / n_buys).astype(int)


def dca_exposure(n_steps: int, n_buys: int) -> float:
    """Average share of a DCA budget that is in the asset over the horizon (time-weighted).

    The ``i``-th of ``n_buys`` equal parts is bought at step ``s_i`` (:func:`buy_steps`) and then
    held for ``n_steps - s_i`` of the ``n_steps`` steps, so the average share invested is
    ``mean_i (n_steps - s_i) / n_steps``. A static mix that puts this share in the asset on day
    0 and keeps the rest in cash has the same average exposure: the fair benchmark for DCA in
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
    v = np.asarray(number("values", np.asarray(values, dtype=float)), dtype=float)
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
    n_paths = integer("n_paths", n_paths, lo=1)
    n_steps = integer("n_steps", n_steps, lo=1)
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
    s = np.atleast_1d(np.asarray(steps))
    n_steps = integer("n_steps", n_steps, lo=1)
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
def _relative(prices) -> np.ndarray:
    p = np.atleast_2d(_paths_array("prices", prices, 1, positive=True, why="prices are positive"))
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
    n_paths = integer("n_paths", n_paths, lo=1)
    n_steps = integer("n_steps", n_steps, lo=1)
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

    n_paths = integer("n_paths", n_paths, lo=1)
    n_steps = integer("n_steps", n_steps, lo=1)
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
    rel = _relative(eth_prices)
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


# --------------------------------------------------------------------------- a market of strategies
STRATEGIES = ("hodl", "staking", "lp", "lending", "leveraged_farm", "dca", "governance_token", "model_share")
"""The strategies :func:`simulate_strategies` values on shared paths (names used for weights), in course
order: HODL (01), staking (06), an LP that pays LVR (07, 08, 11), lending (09), leverage (10), DCA (13),
a governance token (12) and a share of a jointly owned model's revenue (Part I: 03 and 05)."""

STRATEGY_LABELS = {
    "hodl": "HODL ETH", "staking": "stake ETH", "lp": "LP ALT/USDC", "lending": "lend USDC",
    "leveraged_farm": "leveraged ALT farm", "dca": "DCA into ETH", "governance_token": "governance token",
    "model_share": "AI model revenue share",
}
_PROTOCOLS = ("staking", "lp", "lending", "leveraged_farm", "governance_token")
# HODL and DCA sit in your own wallet (no contract to hack); the model share's own risk is an incident.


@dataclass
class StrategySimulation:
    """Strategies valued on the same simulated market (see :func:`simulate_strategies`).

    ``values``: name -> value per unit of capital, shape ``(n_paths, n_steps + 1)``;
    ``prices``: ``"eth"``, ``"alt"`` (USD) and ``"usdc"`` (USD, may depeg);
    ``assumptions``: every input, to print next to the results.
    """

    values: dict
    prices: dict
    assumptions: dict

    def copy(self) -> "StrategySimulation":
        """An independent copy (arrays copied)."""
        return StrategySimulation(values={k: v.copy() for k, v in self.values.items()},
                                  prices={k: v.copy() for k, v in self.prices.items()},
                                  assumptions=dict(self.assumptions))

    def weights(self, weights) -> np.ndarray:
        """Weights as an array in :data:`STRATEGIES` order, from a dict or a sequence (sum 1)."""
        if isinstance(weights, dict):
            unknown = set(weights) - set(STRATEGIES)
            if unknown:
                fail("weights", "keyed by " + ", ".join(STRATEGIES), sorted(unknown)[0])
            weights = [weights.get(name, 0.0) for name in STRATEGIES]
        return check_weights(weights, len(STRATEGIES))

    def portfolio(self, weights, rebalance: bool = False) -> np.ndarray:
        """Portfolio value per unit of capital, shape ``(n_paths, n_steps + 1)``."""
        w = self.weights(weights)
        return portfolio_values(np.stack([self.values[n] for n in STRATEGIES]), w, rebalance)

    def final_returns(self) -> np.ndarray:
        """Each strategy's return over the horizon, shape ``(n_strategies, n_paths)``."""
        return np.stack([self.values[n][:, -1] / self.values[n][:, 0] - 1.0 for n in STRATEGIES])

    def summary(self, weights, level: float = 0.95) -> dict:
        """:func:`risk_summary` of the portfolio plus what diversification saves.

        Extra keys: ``standalone_cvar`` (the weighted sum of each strategy's own CVaR: the
        portfolio's CVaR if the strategies' worst years all came together),
        ``diversification_benefit`` (``standalone_cvar`` minus the portfolio's CVaR, in
        percentage points of capital) and ``diversification_share`` (the benefit as a share
        of ``standalone_cvar``), and ``mean_return_se`` (the mean's standard error).
        """
        w = self.weights(weights)
        values = self.portfolio(w)
        out = risk_summary(values, level)
        r = self.final_returns()
        standalone = float(w @ np.atleast_1d(conditional_value_at_risk(r, level)))
        out["diversification_benefit"] = diversification_benefit(r, w, level, "cvar")
        out["standalone_cvar"] = standalone
        out["diversification_share"] = out["diversification_benefit"] / standalone if standalone > 0 else 0.0
        out["mean_return_se"] = float(standard_error(final_returns(values)))
        return out

    def diversification_se(self, weights, level: float = 0.95, n_boot: int = 200, seed: int = 2026) -> float:
        """Bootstrap standard error of :meth:`summary`'s ``diversification_benefit`` (resampled paths)."""
        w = self.weights(weights)
        keep = [i for i in range(len(STRATEGIES)) if w[i] > 0]
        r = self.final_returns()[keep]

        def benefit(*rows):
            alone = np.stack([conditional_value_at_risk(x, level) for x in rows])
            together = conditional_value_at_risk(sum(w[i] * x for i, x in zip(keep, rows, strict=True)), level)
            return w[keep] @ alone - together

        return bootstrap_se(benefit, *r, n_boot=n_boot, seed=seed)


def simulate_strategies(n_paths: int = 2000, n_steps: int = 365, *, corr: float = 0.6, mu: float = 0.0,
                        eth_sigma: float = 0.7, alt_sigma: float = 1.0, gov_sigma: float = 1.2,
                        gov_corr: float = 0.8, jump_rate: float = 1.0, common_jump_share: float = 0.5,
                        jump_mean: float = -0.2, jump_std: float = 0.1, staking_apr: float = 0.03,
                        slash_probability: float = 0.01, lp_fee_apr: float = 0.3, leverage: float = 2.0,
                        farm_apy: float = 0.25, rate_model=None, dca_buys: int = 12, gov_fee_yield: float = 0.05,
                        model_revenue_yield: float = 0.10, usage_sigma: float = 0.4,
                        incident_probability: float = 0.05, incident_loss: float = 0.8,
                        exploit_probability=0.02, exploit_loss: float = 0.8, depeg_probability: float = 0.02,
                        depeg_depth: float = 0.2, depeg_half_life_days: float = 30.0, crash: float = 0.0,
                        crash_day: int = 30, dt: float = DAY, seed: int = 2026) -> StrategySimulation:
    """Value the course's strategies on one simulated market: correlated assets, crashes, exploits, depegs.

    The market: ETH, ALT (a volatile DeFi token) and GOV (a governance token) follow
    correlated jump-diffusions (:func:`correlated_paths`). Each asset crashes ``jump_rate``
    times a year on average; a share ``common_jump_share`` of those crashes are market-wide
    (every asset falls on the same day), the rest hit one asset alone. USDC may depeg once
    (:func:`depeg_paths`); one lending market's utilisation wanders (:func:`utilization_paths`)
    and sets both the lenders' supply rate and the leveraged farmer's borrow rate.

    The strategies (:data:`STRATEGIES`) reuse the topic modules: HODL ETH; stake ETH
    (:func:`staking_values`); LP on an ALT/USDC pool, whose impermanent loss is the LVR paid
    to arbitrageurs (:func:`lp_values`); lend USDC (:func:`lending_values`); a leveraged ALT
    LP farm (:func:`leveraged_farm_values`); DCA into ETH from USDC over the year
    (:func:`dca_values`); a governance token with a fee switch (:func:`governance_token_values`);
    a share of an AI model's licence revenue, paid in ETH (:func:`model_share_values`). Each
    protocol in ``_PROTOCOLS`` (staking, lp, lending, leveraged_farm, governance_token) may be
    exploited once, independently (:func:`with_exploit`). Every parameter is an illustrative
    assumption, not a forecast.

    Parameters
    ----------
    n_paths, n_steps : paths and steps (daily by default).
    corr : correlation of ETH's and ALT's daily moves (-0.99 to 0.99).
    mu, eth_sigma, alt_sigma, gov_sigma : drift (all assets) and volatilities (per year).
    gov_corr : correlation of GOV with ALT (GOV's correlation with ETH is ``corr * gov_corr``).
    jump_rate : crashes per year of each asset (>= 0).
    common_jump_share : share of those crashes that are market-wide (0 to 1).
    jump_mean, jump_std : mean and spread of a crash's log size (see :func:`jump_diffusion_paths`).
    staking_apr, slash_probability : staking reward (per year) and slashing chance (per year).
    lp_fee_apr : the pool's fee APR.
    leverage, farm_apy : the leveraged farm's leverage and yield (APY).
    rate_model : the USDC market's rate model (default Aave-like kink, illustrative).
    dca_buys : equal monthly-style buys of the DCA plan over the horizon.
    gov_fee_yield : the governance token's payouts per year, as a share of its price.
    model_revenue_yield, usage_sigma, incident_probability, incident_loss : the model share
        (see :func:`model_share_values`).
    exploit_probability : chance per year that a protocol is exploited: a number for all,
        or a dict by strategy name (missing names: 0).
    exploit_loss : share of the deposit lost in an exploit.
    depeg_probability, depeg_depth, depeg_half_life_days : USDC's depeg risk (see :func:`depeg_paths`).
    crash, crash_day : a stress test: ETH, ALT and GOV all lose ``crash`` (a fraction) on day ``crash_day``
        (counted in days whatever the step: with weekly steps, day 30 is the nearest step, week 4).
    dt, seed : step length (years) and seed.

    Returns
    -------
    StrategySimulation

    Examples
    --------
    >>> sim = simulate_strategies(200, 90, seed=1)
    >>> sorted(sim.values) == sorted(STRATEGIES), sim.values["lp"].shape
    (True, (200, 91))
    >>> sim.weights({"hodl": 0.5, "lending": 0.5}).tolist()
    [0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0]

    Introduced in notebook 14.
    """
    key = _market_key(dict(locals()))
    if key is not None and key in _MARKETS:
        _MARKETS.move_to_end(key)
        return _MARKETS[key].copy()
    from cryptocourse import lending

    n_paths = integer("n_paths", n_paths, lo=1)
    n_steps = integer("n_steps", n_steps, lo=1)
    c = number("corr", corr, lo=-0.99, hi=0.99, why="a correlation strictly between -1 and 1")
    g = number("gov_corr", gov_corr, lo=-0.99, hi=0.99, why="a correlation strictly between -1 and 1")
    rate = number("jump_rate", jump_rate, lo=0, hi=365, why="crashes per year of each asset")
    share = number("common_jump_share", common_jump_share, lo=0, hi=1,
                   why="the share of crashes that hit every asset at once (0 to 1)")
    crash = number("crash", crash, lo=0, hi=1, hi_open=True, why="the fall as a fraction (0.5 = -50%)")
    dt = number("dt", dt, lo=0, lo_open=True, hi=1, why="dt is the step in years (1/365 for a day)")
    crash_day = integer("crash_day", crash_day, lo=1, why="the day of the crash, from 1")
    crash_step = max(1, round(crash_day * DAY / dt))
    if crash > 0 and crash_step > n_steps:
        fail("crash_day", f"within the horizon (step {crash_step} of {n_steps})", crash_day,
             "the crash must happen within the horizon")
    if isinstance(exploit_probability, dict):
        unknown = set(exploit_probability) - set(_PROTOCOLS)
        if unknown:
            fail("exploit_probability", "keyed by " + ", ".join(_PROTOCOLS), sorted(unknown)[0])
        exploit = {name: exploit_probability.get(name, 0.0) for name in _PROTOCOLS}
    else:
        exploit = {name: exploit_probability for name in _PROTOCOLS}
    assumptions = {k: v for k, v in locals().items() if k not in ("lending", "exploit", "c", "g", "rate", "share")}
    corr3 = [[1.0, c, c * g], [c, 1.0, g], [c * g, g, 1.0]]   # GOV moves with ALT, and through it with ETH
    eth, alt, gov = correlated_paths([1.0, 1.0, 1.0], mu, [eth_sigma, alt_sigma, gov_sigma], corr3,
                                     jump_rate=rate * (1.0 - share), common_jump_rate=rate * share,
                                     jump_mean=jump_mean, jump_std=jump_std, n_paths=n_paths, n_steps=n_steps,
                                     dt=dt, seed=seed)
    if crash > 0:
        for asset in (eth, alt, gov):
            asset[:, crash_step:] *= 1.0 - crash
    usdc = depeg_paths(n_paths, n_steps, depeg_probability, depeg_depth, depeg_half_life_days,
                       dt=dt, seed=seed, stream=10)
    if rate_model is None:
        rate_model = lending.InterestRateModel(0.9, 0.0, 0.04, 0.6, reserve_factor=0.1)
    u = utilization_paths(n_paths, n_steps, dt=dt, seed=seed, stream=11)
    borrow_apy = np.expm1(np.asarray(rate_model.borrow_rate(u)))  # continuous APR -> APY
    values = {
        "hodl": hodl_values(eth),
        "staking": staking_values(eth, staking_apr, slash_probability=slash_probability, dt=dt,
                                  seed=seed, stream=12),
        "lp": lp_values(alt, lp_fee_apr, dt=dt),
        "lending": lending_values(n_paths, n_steps, rate_model, utilization=u, stable_price=usdc, dt=dt),
        "leveraged_farm": leveraged_farm_values(alt, leverage, farm_apy, borrow_apy, dt=dt),
        "dca": dca_values(eth, min(integer("dca_buys", dca_buys, lo=1), n_steps), cash=usdc),
        "governance_token": governance_token_values(gov, gov_fee_yield, dt=dt),
        "model_share": model_share_values(eth, model_revenue_yield, usage_sigma=usage_sigma,
                                          incident_probability=incident_probability, incident_loss=incident_loss,
                                          dt=dt, seed=seed, stream=30),
    }
    for i, name in enumerate(_PROTOCOLS):
        values[name] = with_exploit(values[name], exploit[name], exploit_loss, dt=dt, seed=seed, stream=20 + i)
    sim = StrategySimulation(values=values, prices={"eth": eth, "alt": alt, "gov": gov, "usdc": usdc},
                             assumptions=assumptions)
    if key is not None and n_paths * (n_steps + 1) <= _MARKET_CACHE_CELLS:
        _MARKETS[key] = sim.copy()
        while len(_MARKETS) > _MARKET_CACHE_SIZE:
            _MARKETS.popitem(last=False)
    return sim


# The same market is often asked for twice (a lesson's cell, then its dashboard): small markets are
# kept, keyed by every argument, and handed out as copies (so changing a returned array changes nothing).
_MARKETS: "OrderedDict[tuple, StrategySimulation]" = OrderedDict()
_MARKET_CACHE_SIZE = 4
_MARKET_CACHE_CELLS = 250_000      # paths x (steps + 1): the lesson's 4,000 weekly paths fit, daily years do not


def _market_key(args: dict):
    """A hashable key of simulate_strategies' arguments, or None when they cannot be compared safely."""
    if args.get("rate_model") is not None:
        return None
    items = []
    for name, value in sorted(args.items()):
        if isinstance(value, dict):
            value = tuple(sorted(value.items()))
        if isinstance(value, np.generic):
            value = value.item()
        if not isinstance(value, (int, float, str, bool, tuple, type(None))):
            return None
        items.append((name, value))
    return tuple(items)


STRESS_SCENARIOS = ("base", "crash", "depeg", "exploit")


def stress_test(weights, scenario: str = "crash", *, exploited: str | None = None, level: float = 0.95,
                **market) -> dict:
    """Risk figures of a portfolio in a stress scenario, on the same seeded market.

    Scenarios: ``"base"`` (the market as simulated); ``"crash"`` (ETH, ALT and GOV all fall
    50% on day 30, or the nearest step, on every path); ``"depeg"`` (USDC loses 30% of its
    value at the first step on every path and never recovers, as an algorithmic stablecoin did
    in 2022); ``"exploit"`` (the protocol ``exploited`` is hacked at the first step on every
    path, losing ``exploit_loss`` of the deposit). The rule for ``exploited=None``: the protocol (staking, lp, lending,
    leveraged_farm or governance_token) that holds most of your capital; a tie goes to the
    first in :data:`STRATEGIES` order.

    Parameters
    ----------
    weights : dict by strategy name or a sequence in :data:`STRATEGIES` order (sum 1).
    scenario : one of :data:`STRESS_SCENARIOS`.
    exploited : which protocol the exploit scenario hits (one of the protocols above).
    level : confidence level of VaR and CVaR.
    **market : other arguments of :func:`simulate_strategies` (n_paths, corr, seed, ...).

    Returns
    -------
    dict: :meth:`StrategySimulation.summary` plus ``scenario`` (its name) and ``returns``
    (the portfolio's return on each path, an array, e.g. for a histogram).

    Examples
    --------
    >>> w = {"hodl": 0.5, "lending": 0.5}
    >>> base = stress_test(w, "base", n_paths=500, n_steps=60)
    >>> crash = stress_test(w, "crash", n_paths=500, n_steps=60)
    >>> crash["mean_return"] < base["mean_return"]
    True

    Introduced in notebook 14 (the capstone).
    """
    choice("scenario", scenario, STRESS_SCENARIOS)
    if scenario == "crash":
        market.setdefault("crash", 0.5)
    elif scenario == "depeg":
        market.update(depeg_probability=1.0, depeg_depth=market.get("depeg_depth", 0.3),
                      depeg_half_life_days=market.get("depeg_half_life_days", float("inf")))
    elif scenario == "exploit":
        if exploited is None:
            w = StrategySimulation({}, {}, {}).weights(weights)
            exploited = max(_PROTOCOLS, key=lambda n: w[STRATEGIES.index(n)])
        choice("exploited", exploited, _PROTOCOLS)
        base = market.get("exploit_probability", 0.02)
        probs = dict(base) if isinstance(base, dict) else {n: base for n in _PROTOCOLS}
        probs[exploited] = 1.0
        market["exploit_probability"] = probs
    sim = simulate_strategies(**market)
    out = sim.summary(weights, level)
    out["scenario"] = scenario if scenario != "exploit" else f"exploit of {exploited}"
    out["returns"] = final_returns(sim.portfolio(weights))
    return out
