"""Notebook 13's dashboard: dollar-cost averaging against a lump sum and a static mix.

``dca_view(...)`` is the pure compute function (tested in tests/test_risk.py and
tests/test_claims_13.py); ``DCADashboard`` is the thin view. Every setting of one seed reuses the
same seeded Brownian paths (common random numbers), so moving a slider changes the parameters,
never the luck; the seed slider draws new paths, to see how much the figures move.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import risk
from .._validate import integer, number
from ._base import Dashboard, int_slider, slider

N_PATHS = 2000
N_STEPS = 365
N_BOOT = 200                            # bootstrap resamples (bootstrap_se's default: the lesson prints the same ±)
_EDGES = np.geomspace(0.01, 50.0, 71)  # final value / budget: bins on a log scale


@lru_cache(maxsize=4)
def _brownian(n_paths: int, seed: int) -> np.ndarray:
    w = risk.brownian_motion(n_paths, N_STEPS, seed=seed)
    w.setflags(write=False)
    return w


def _p5(x):
    """5th percentile along the last axis: numpy's default (linear) rule, via a partial sort (fast)."""
    h = (x.shape[-1] - 1) * 0.05
    k = int(h)
    part = np.partition(x, (k, k + 1), axis=-1)
    return part[..., k] + (h - k) * (part[..., k + 1] - part[..., k])


@dataclass(frozen=True)
class DCAView:
    """Everything the DCA dashboard shows (values in USD for the chosen budget)."""

    budget: float
    lump_final: np.ndarray         # final value of the lump sum on each path (USD)
    dca_final: np.ndarray          # final value of DCA on each path (USD)
    mix_final: np.ndarray          # final value of the static mix with DCA's average exposure (USD)
    price_ratio: np.ndarray        # final price / first price on each path
    edges: np.ndarray              # histogram bin edges (USD); values outside are counted in the edge bins
    lump_hist: np.ndarray          # share of paths in each bin
    dca_hist: np.ndarray
    mix_hist: np.ndarray
    exposure: float                # DCA's average invested share = the static mix's share in the asset
    lump_wins: float               # share of paths where the lump sum ends higher
    se_lump_wins: float            # its standard error
    lump_mean: float
    dca_mean: float
    mix_mean: float
    se_mean_gap: float             # standard error of mean(lump) - mean(dca) (same paths)
    lump_median: float
    dca_median: float
    mix_median: float
    lump_p5: float                 # 5th percentile (a bad year)
    dca_p5: float
    mix_p5: float
    se_dca_p5: float               # bootstrap standard errors of the 5th percentiles
    se_mix_minus_dca_p5: float     # ... and of the gap between the mix's and DCA's (same paths)
    cost_vs_mean_price: float      # mean over paths of DCA average cost / mean buy price (<= 1)
    n_paths: int
    seed: int


def dca_view(mu: float = 0.0, sigma: float = 0.8, n_buys: int = 12, cash_apr: float = 0.0,
             budget: float = 1000.0, n_paths: int = N_PATHS, seed: int = 2026) -> DCAView:
    """Compute DCA vs lump sum vs static mix on seeded GBM paths over one year (pure, no plotting).

    Parameters
    ----------
    mu, sigma : the asset's drift and volatility (per year).
    n_buys : number of equal DCA buys over the year (1 = lump sum).
    cash_apr : yield on the cash waiting to be invested (per year); the static mix's cash earns it too.
    budget : USD to invest.
    n_paths, seed : paths and seed (another seed: new paths, same settings).

    >>> v = dca_view(mu=0.0, sigma=0.8, n_buys=1)
    >>> bool(np.allclose(v.lump_final, v.dca_final)), v.exposure
    (True, 1.0)
    """
    n_paths = integer("n_paths", n_paths, lo=10, hi=100_000)
    seed = integer("seed", seed, lo=0)
    budget = number("budget", budget, lo=0, lo_open=True)
    prices = risk.gbm_from_brownian(_brownian(n_paths, seed), 1.0, mu, sigma)
    out = risk.dca_vs_lump_sum(prices, n_buys=n_buys, budget=budget, cash_apr=cash_apr)
    lump, dca, mix = out["lump_sum"], out["dca"], out["static_mix"]
    edges = _EDGES * budget
    mean_price = prices[:, out["buy_steps"]].mean(axis=1)
    wins = lump > dca

    def hist(x):
        return np.histogram(np.clip(x, edges[0], edges[-1]), edges)[0] / n_paths

    return DCAView(
        budget=budget, lump_final=lump, dca_final=dca, mix_final=mix, price_ratio=prices[:, -1],
        edges=edges, lump_hist=hist(lump), dca_hist=hist(dca), mix_hist=hist(mix),
        exposure=out["exposure"],
        lump_wins=out["lump_sum_wins"], se_lump_wins=float(risk.standard_error(wins)),
        lump_mean=float(lump.mean()), dca_mean=float(dca.mean()), mix_mean=float(mix.mean()),
        se_mean_gap=float(risk.standard_error(lump - dca)),
        lump_median=float(np.median(lump)), dca_median=float(np.median(dca)), mix_median=float(np.median(mix)),
        lump_p5=float(_p5(lump)), dca_p5=float(_p5(dca)), mix_p5=float(_p5(mix)),
        se_dca_p5=risk.bootstrap_se(_p5, dca, n_boot=N_BOOT, seed=seed),
        se_mix_minus_dca_p5=risk.bootstrap_se(lambda a, b: _p5(a) - _p5(b), mix, dca, n_boot=N_BOOT, seed=seed),
        cost_vs_mean_price=float(np.mean(out["average_cost"] / mean_price)),
        n_paths=n_paths, seed=seed,
    )


class DCADashboard(Dashboard):
    """Final value of a lump sum, DCA and a static mix on the same 2,000 seeded price paths."""

    title = "Dollar-cost averaging vs lump sum vs static mix: 1,000 USD over one year, 2,000 seeded paths"

    def controls_(self):
        return {
            "mu": slider("drift (per year, compounded)", 0.0, -0.8, 0.8, 0.05, fmt=".0%"),
            "sigma": slider("volatility (per year)", 0.8, 0.05, 1.5, 0.05, fmt=".0%"),
            "n_buys": int_slider("DCA buys over the year", 12, 1, 52),
            "cash_apr": slider("yield on waiting cash (per year)", 0.0, 0.0, 0.1, 0.005, fmt=".1%"),
            "seed": int_slider("random seed (new paths)", 2026, 2000, 2100),
        }

    def compute(self, **values):
        return dca_view(**values)

    def setup(self, fig):
        self.ax_hist, self.ax_scatter = fig.subplots(1, 2)
        ax = self.ax_hist
        zeros = np.zeros(len(_EDGES) - 1)
        edges = _EDGES * 1000
        self.stairs_lump = self.dynamic(ax.stairs(zeros, edges, color="tab:blue", lw=1.5, label="lump sum"))
        self.stairs_dca = self.dynamic(ax.stairs(zeros, edges, color="tab:orange", lw=1.5, label="DCA"))
        self.stairs_mix = self.dynamic(ax.stairs(zeros, edges, color="tab:green", lw=1.2, ls="--",
                                                 label="static mix"))
        ax.axvline(1000, color="grey", lw=0.8, ls=":")
        ax.set(xscale="log", title="Final value after one year", xlabel="final value (USD, log scale)",
               ylabel="share of paths")
        ax.set_xlim(10, 50_000)
        ax.text(0.01, 0.98, "edge bins hold the paths\nbeyond 10 or 50,000 USD", transform=ax.transAxes,
                fontsize=7, va="top", color="grey")
        ax.legend(loc="upper right", fontsize=8)
        ax = self.ax_scatter
        self.points = self.dynamic(ax.scatter(np.ones(N_PATHS), np.zeros(N_PATHS), s=3, alpha=0.35,
                                              color="tab:purple"))
        ax.axhline(0, color="grey", lw=0.8)
        ax.axvline(1, color="grey", lw=0.8, ls=":")
        ax.set(xscale="log", title="DCA minus lump sum vs final price",
               xlabel="final price / first price (log scale)", ylabel="DCA - lump sum (USD, clipped)")
        ax.set_xlim(0.05, 20)
        ax.set_ylim(-2100, 1100)  # fixed: points outside are drawn on the edge

    def draw(self, v: DCAView) -> str:
        self.stairs_lump.set_data(v.lump_hist)
        self.stairs_dca.set_data(v.dca_hist)
        self.stairs_mix.set_data(v.mix_hist)
        self.fit(self.ax_hist, 0.0, max(v.lump_hist.max(), v.dca_hist.max(), v.mix_hist.max()))
        diff = v.dca_final - v.lump_final
        scale = v.budget / 1000.0
        self.points.set_offsets(np.column_stack([np.clip(v.price_ratio, 0.05, 20),
                                                 np.clip(diff / scale, -2050, 1050)]))
        return (
            f"lump sum ends higher on <b>{v.lump_wins:.0%} ± {v.se_lump_wins:.0%}</b> of paths · mean: lump "
            f"<b>{v.lump_mean:,.0f}</b>, DCA <b>{v.dca_mean:,.0f}</b>, static mix {v.mix_mean:,.0f} USD "
            f"(lump - DCA {v.lump_mean - v.dca_mean:+,.0f} ± {v.se_mean_gap:,.0f}) · bad year (5th percentile): "
            f"lump <b>{v.lump_p5:,.0f}</b>, DCA <b>{v.dca_p5:,.0f} ± {v.se_dca_p5:,.0f}</b>, static mix "
            f"<b>{v.mix_p5:,.0f} USD</b> (mix - DCA {v.mix_p5 - v.dca_p5:+,.0f} ± {v.se_mix_minus_dca_p5:,.0f})"
            f"<br>static mix = <b>{v.exposure:.0%}</b> in the asset on day 0 and the rest in cash: DCA's average "
            f"exposure · DCA's average cost is {1 - v.cost_vs_mean_price:.1%} below the mean buy price · "
            f"seed {v.seed}, ± = one standard error"
        )
