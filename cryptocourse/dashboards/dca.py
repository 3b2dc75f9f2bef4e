"""Notebook 13's dashboard: dollar-cost averaging against a lump sum over drift and volatility.

``dca_view(...)`` is the pure compute function (tested in tests/test_risk.py); ``DCADashboard``
is the thin view. Every setting reuses the same seeded Brownian paths (common random numbers),
so moving a slider changes the parameters, never the luck.
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
_EDGES = np.geomspace(0.01, 50.0, 71)  # final value / budget: bins on a log scale


@lru_cache(maxsize=4)
def _brownian(n_paths: int, seed: int) -> np.ndarray:
    w = risk.brownian_motion(n_paths, N_STEPS, seed=seed)
    w.setflags(write=False)
    return w


@dataclass(frozen=True)
class DCAView:
    """Everything the DCA dashboard shows (values in USD for the chosen budget)."""

    budget: float
    lump_final: np.ndarray         # final value of the lump sum on each path (USD)
    dca_final: np.ndarray          # final value of DCA on each path (USD)
    price_ratio: np.ndarray        # final price / first price on each path
    edges: np.ndarray              # histogram bin edges (USD)
    lump_hist: np.ndarray          # share of paths in each bin
    dca_hist: np.ndarray
    lump_wins: float               # share of paths where the lump sum ends higher
    lump_mean: float
    dca_mean: float
    lump_median: float
    dca_median: float
    lump_p5: float                 # 5th percentile (a bad year)
    dca_p5: float
    cost_vs_mean_price: float      # mean over paths of DCA average cost / mean buy price (<= 1)


def dca_view(mu: float = 0.0, sigma: float = 0.8, n_buys: int = 12, cash_apr: float = 0.0,
             budget: float = 1000.0, n_paths: int = N_PATHS, seed: int = 2026) -> DCAView:
    """Compute DCA vs lump sum on seeded GBM paths over one year (pure, no plotting).

    Parameters
    ----------
    mu, sigma : the asset's drift and volatility (per year).
    n_buys : number of equal DCA buys over the year (1 = lump sum).
    cash_apr : yield on the cash waiting to be invested (per year).
    budget : USD to invest.
    n_paths, seed : paths and seed.

    >>> v = dca_view(mu=0.0, sigma=0.8, n_buys=1)
    >>> bool(np.allclose(v.lump_final, v.dca_final))
    True
    """
    n_paths = integer("n_paths", n_paths, lo=10, hi=100_000)
    seed = integer("seed", seed, lo=0)
    budget = number("budget", budget, lo=0, lo_open=True)
    prices = risk.gbm_from_brownian(_brownian(n_paths, seed), 1.0, mu, sigma)
    out = risk.dca_vs_lump_sum(prices, n_buys=n_buys, budget=budget, cash_apr=cash_apr)
    lump, dca = out["lump_sum"], out["dca"]
    edges = _EDGES * budget
    mean_price = prices[:, out["buy_steps"]].mean(axis=1)
    return DCAView(
        budget=budget, lump_final=lump, dca_final=dca, price_ratio=prices[:, -1],
        edges=edges,
        lump_hist=np.histogram(np.clip(lump, edges[0], edges[-1]), edges)[0] / n_paths,
        dca_hist=np.histogram(np.clip(dca, edges[0], edges[-1]), edges)[0] / n_paths,
        lump_wins=out["lump_sum_wins"],
        lump_mean=float(lump.mean()), dca_mean=float(dca.mean()),
        lump_median=float(np.median(lump)), dca_median=float(np.median(dca)),
        lump_p5=float(np.percentile(lump, 5)), dca_p5=float(np.percentile(dca, 5)),
        cost_vs_mean_price=float(np.mean(out["average_cost"] / mean_price)),
    )


class DCADashboard(Dashboard):
    """Final value of a lump sum and of DCA on the same 2,000 seeded price paths."""

    title = "Dollar-cost averaging vs lump sum: 1,000 USD over one year, 2,000 seeded paths"

    def controls_(self):
        return {
            "mu": slider("drift (expected return per year)", 0.0, -0.8, 0.8, 0.05, fmt=".0%"),
            "sigma": slider("volatility (per year)", 0.8, 0.05, 1.5, 0.05, fmt=".0%"),
            "n_buys": int_slider("DCA buys over the year", 12, 1, 52),
            "cash_apr": slider("yield on waiting cash (per year)", 0.0, 0.0, 0.1, 0.005, fmt=".1%"),
        }

    def compute(self, **values):
        return dca_view(**values)

    def setup(self, fig):
        self.ax_hist, self.ax_scatter = fig.subplots(1, 2)
        ax = self.ax_hist
        zeros = np.zeros(len(_EDGES) - 1)
        self.stairs_lump = self.dynamic(ax.stairs(zeros, _EDGES * 1000, color="tab:blue", lw=1.5, label="lump sum"))
        self.stairs_dca = self.dynamic(ax.stairs(zeros, _EDGES * 1000, color="tab:orange", lw=1.5, label="DCA"))
        ax.axvline(1000, color="grey", lw=0.8, ls=":")
        ax.set(xscale="log", title="Final value after one year", xlabel="final value (USD, log scale)",
               ylabel="share of paths")
        ax.set_xlim(10, 50_000)
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
        self.fit(self.ax_hist, 0.0, max(v.lump_hist.max(), v.dca_hist.max()))
        diff = v.dca_final - v.lump_final
        scale = v.budget / 1000.0
        self.points.set_offsets(np.column_stack([np.clip(v.price_ratio, 0.05, 20),
                                                 np.clip(diff / scale, -2050, 1050)]))
        return (
            f"lump sum ends higher on <b>{v.lump_wins:.0%}</b> of paths · mean: lump <b>{v.lump_mean:,.0f}</b> "
            f"vs DCA <b>{v.dca_mean:,.0f} USD</b> · bad year (5th percentile): lump <b>{v.lump_p5:,.0f}</b> "
            f"vs DCA <b>{v.dca_p5:,.0f} USD</b> · DCA's average cost is <b>{1 - v.cost_vs_mean_price:.1%}</b> "
            f"below the mean buy price"
        )
