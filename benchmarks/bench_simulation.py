"""Benchmark: 100,000 price paths x 365 daily steps with a strategy's value along them.

Vectorised (``cryptocourse.risk.simulate``: GBM paths drawn block by block, on up to
2 threads, a strategy valued on them (staking with slashing events, or an LP position
with ``cryptocourse.amm.impermanent_loss``), then each path's final return and maximum
drawdown) against the same work written as a plain
pure-Python loop (``random.gauss``, ``math.exp``, one step at a time). The naive loop is
timed on a slice of the paths and scaled up linearly to 100,000 (it does the same
work per path, so its time is proportional to the number of paths); the row says so.

Run: ``/work/venv/bin/python benchmarks/bench_simulation.py``. Figures are printed,
never asserted (timings depend on the machine). ``measure()`` returns the rows for
``benchmarks/run.py``.
"""
from __future__ import annotations

import math
import random
import time

N_PATHS = 100_000
N_STEPS = 365
NAIVE_PATHS = 1_000          # the naive loop runs on this slice, then is scaled to N_PATHS
MU, SIGMA, FEE_APR = 0.0, 0.8, 0.2


STAKING_APR, SLASH_PROBABILITY, SLASH_FRACTION = 0.03, 0.01, 0.05


def _lp(prices, rng):
    from cryptocourse import risk

    return risk.lp_values(prices, fee_apr=FEE_APR)


def _staking(prices, rng):
    from cryptocourse import risk

    return risk.staking_values(prices, apr=STAKING_APR, slash_probability=SLASH_PROBABILITY,
                               slash_fraction=SLASH_FRACTION, seed=rng)


STRATEGIES = {"lp": _lp, "staking": _staking}


def vectorised(kind: str = "lp", n_paths: int = N_PATHS, seed: int = 2026, workers=None) -> dict:
    """The package way: returns per-path final return and max drawdown."""
    from cryptocourse import risk

    return risk.simulate(STRATEGIES[kind], 1.0, MU, SIGMA, n_paths=n_paths, n_steps=N_STEPS, seed=seed,
                         workers=workers)


def naive(kind: str = "lp", n_paths: int = NAIVE_PATHS, seed: int = 2026) -> tuple[list, list]:
    """The same work as a beginner's pure-Python loop (one path, one step at a time)."""
    rnd = random.Random(seed)
    dt = 1.0 / 365.0
    drift = (MU - 0.5 * SIGMA**2) * dt
    vol = SIGMA * math.sqrt(dt)
    q = 1.0 - (1.0 - SLASH_PROBABILITY) ** dt      # chance of a slashing on a given day
    finals, drawdowns = [], []
    for _ in range(n_paths):
        log_p = 0.0
        peak, worst = 1.0, 0.0
        value = 1.0
        tokens = 1.0
        for step in range(1, N_STEPS + 1):
            log_p += drift + vol * rnd.gauss(0.0, 1.0)
            r = math.exp(log_p)
            if kind == "lp":
                il = 2.0 * math.sqrt(r) / (1.0 + r) - 1.0
                value = 0.5 * (1.0 + r) * (1.0 + il) * math.exp(FEE_APR * step * dt)
            else:
                tokens *= 1.0 + STAKING_APR / 365.0
                if rnd.random() < q:
                    tokens *= 1.0 - SLASH_FRACTION
                value = r * tokens
            peak = max(peak, value)
            worst = max(worst, 1.0 - value / peak)
        finals.append(value - 1.0)
        drawdowns.append(worst)
    return finals, drawdowns


def _seconds(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def measure(repeats: int = 3) -> list[dict]:
    """Time the vectorised simulation and the naive loop; rows for benchmarks/run.py.

    Returns one dict per strategy: ``name``, ``seconds`` (vectorised, best of ``repeats``),
    ``naive_seconds`` (the naive loop on NAIVE_PATHS paths, best of ``repeats``, scaled to
    N_PATHS) and ``ratio`` (naive / vectorised). The two are timed alternately, so a busy
    moment on a shared machine affects both.
    """
    rows = []
    for kind, label in (("staking", "staking (rewards + slashing events)"),
                        ("lp", "LP (impermanent loss via amm + fees)")):
        vectorised(kind, 2 * 4096)  # warm up imports and caches
        fast = slow = math.inf
        for _ in range(repeats):  # interleaved, best of each: the machine is shared, timings wander
            fast = min(fast, _seconds(lambda kind=kind: vectorised(kind)))
            slow = min(slow, _seconds(lambda kind=kind: naive(kind)) * (N_PATHS / NAIVE_PATHS))
        rows.append({
            "name": (f"risk.simulate: {N_PATHS:,} GBM paths x {N_STEPS} daily steps, {label}, final return "
                     f"and max drawdown per path (naive pure-Python loop timed on {NAIVE_PATHS:,} paths "
                     f"and scaled x{N_PATHS // NAIVE_PATHS})"),
            "seconds": fast,
            "naive_seconds": slow,
            "ratio": slow / fast,
        })
    return rows


if __name__ == "__main__":
    for row in measure():
        print(row["name"])
        print(f"  vectorised: {row['seconds']:.3f} s   naive (scaled): {row['naive_seconds']:.1f} s   "
              f"speed-up: {row['ratio']:.0f}x")
