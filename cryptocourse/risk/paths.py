"""Simulated price paths: geometric Brownian motion, jump-diffusion, correlated assets (seeded, block by block)."""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from cryptocourse._validate import fail, integer, number

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


def _check_size(n_paths: int, n_steps: int) -> None:
    """Refuse a simulation too large to hold (a clear error instead of a MemoryError or a stall)."""
    if n_paths * (n_steps + 1) > _MAX_PATH_VALUES:
        fail("n_paths", f"such that n_paths x (n_steps + 1) <= {_MAX_PATH_VALUES:,}", f"{n_paths} x {n_steps + 1}",
             "about 1.6 GB of floats; use fewer paths or a coarser step")


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
