"""Notebook 10's dashboard: how leverage shapes the distribution of a farm's returns.

``leverage_view(...)`` is the pure compute function (tested in tests/test_leverage.py);
``LeverageDashboard`` is the thin view over it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import lending, leverage
from .._validate import integer, number
from ._base import Dashboard, checkbox, int_slider, slider

N_PATHS = 400
N_DAYS = 365
RATE_MARKET = "Aave v3 Ethereum USDC (2024 snapshot)"
BINS = np.linspace(-1.0, 3.0, 81)  # return bins: -100 % .. +300 %


@lru_cache(maxsize=16)
def _prices(volatility: float, seed: int) -> np.ndarray:
    from ..risk import gbm_paths

    p = gbm_paths(1.0, 0.0, volatility, n_paths=N_PATHS, n_steps=N_DAYS, seed=seed)
    p.flags.writeable = False
    return p


@lru_cache(maxsize=16)
def _rate_shape(seed: int) -> np.ndarray:
    """Borrow-rate paths relative to their level at the mean utilisation (USDC snapshot curve)."""
    model = lending.MARKETS[RATE_MARKET].model
    rates, _ = leverage.simulate_borrow_rates(model, N_PATHS, N_DAYS, mean_utilization=0.85,
                                              seed=seed + 1)
    shape = rates / float(model.borrow_rate(0.85))
    shape.flags.writeable = False
    return shape


@lru_cache(maxsize=32)
def _inputs(farm_apy, borrow_apy, volatility, liquidation_threshold, lp, variable_rates, seed):
    prices = _prices(volatility, seed)
    rates = borrow_apy
    if variable_rates:
        rates = borrow_apy * _rate_shape(seed)
        rates.flags.writeable = False
    return prices, rates, dict(liquidation_threshold=liquidation_threshold, lp=lp)


@lru_cache(maxsize=32)
def _unit_paths(*key):
    """Exposure per unit of equity and debt growth per path: they do not depend on the leverage."""
    farm_apy, lt = key[0], key[3]
    prices, rates, kw = _inputs(*key)
    _, X, G, _, _, _ = leverage._prepare(prices, 1.0, farm_apy, rates, lt, 0.05, kw["lp"], leverage.DAY)
    ratio = X / G
    for arr in (X, ratio):
        arr.flags.writeable = False
    return X, G, ratio


def _summary(lev: float, r: np.ndarray, liquidated: np.ndarray) -> dict:
    """The same numbers as LeverageOutcome.summary()."""
    return {"leverage": float(lev), "mean": float(np.mean(r)), "median": float(np.median(r)),
            "p5": float(np.percentile(r, 5)), "p95": float(np.percentile(r, 95)),
            "prob_loss": float(np.mean(r < 0)), "prob_liquidated": float(np.mean(liquidated))}


def _hist(r: np.ndarray) -> np.ndarray:
    counts, _ = np.histogram(np.clip(r, BINS[0], BINS[-1] - 1e-9), BINS)
    return counts / r.size


@lru_cache(maxsize=32)
def _leverage_independent(*key):
    """What does not depend on the leverage slider: the 1x farm and the risk-vs-leverage curve."""
    farm_apy, lt = key[0], key[3]
    prices, rates, kw = _inputs(*key)
    flat = leverage.levered_farm_outcomes(prices, 1.0, farm_apy, rates, **kw)
    grid = np.linspace(1.0, 0.98 / (1.0 - lt), 25)
    curve = leverage.leverage_risk_curve(prices, grid, farm_apy, rates, **kw)
    hist = _hist(flat.returns)
    for arr in (grid, hist, *curve.values()):
        arr.flags.writeable = False  # cached: shared between views
    return (flat.summary(), hist), grid, curve


@dataclass(frozen=True)
class LeverageView:
    """Everything the leverage dashboard shows (returns are fractions of your equity)."""

    leverage: float
    net_apy: float               # at a flat price, fixed rates
    liquidation_drop: float      # price fall that liquidates at entry (fraction)
    summary: dict                # of the levered farm (see LeverageOutcome.summary)
    unlevered: dict              # the same farm at 1x
    hist_levered: np.ndarray     # share of paths per return bin
    hist_unlevered: np.ndarray
    bins: np.ndarray             # return bin edges (fractions)
    grid: np.ndarray             # leverages for the curve
    prob_liquidated: np.ndarray  # per leverage in grid
    prob_loss: np.ndarray        # per leverage in grid
    max_leverage: float          # where the health factor starts at 1


def leverage_view(leverage_x: float = 2.0, farm_apy: float = 0.20, borrow_apy: float = 0.10,
                  volatility: float = 0.6, liquidation_threshold: float = 0.85, lp: bool = True,
                  variable_rates: bool = False, seed: int = 2026) -> LeverageView:
    """Simulate a levered farm over one year on seeded price paths (pure).

    *Assumptions:* the volatile token follows a driftless geometric Brownian motion with
    ``volatility`` per year (400 daily paths, seeded); the exposure is a 50/50 LP (impermanent
    loss included) or the token itself; the farm pays ``farm_apy`` reinvested; debt is a
    stablecoin at ``borrow_apy`` (or, with ``variable_rates``, a rate that moves with a
    simulated utilisation along the Aave v3 USDC snapshot curve, averaging about ``borrow_apy``);
    liquidation closes the whole position with a 5 % penalty.

    >>> v = leverage_view(1.0)
    >>> v.summary["prob_liquidated"], round(v.net_apy, 2)
    (0.0, 0.2)
    """
    lev_x = number("leverage_x", leverage_x, lo=1, hi=50, why="exposure / equity is at least 1")
    f = number("farm_apy", farm_apy, lo=-1, hi=100, why="a yearly yield as a fraction")
    vol = number("volatility", volatility, lo=0, hi=3, why="a yearly volatility")
    lt = number("liquidation_threshold", liquidation_threshold, lo=0.05, hi=0.99,
                why="a fraction of the position value")
    b = number("borrow_apy", borrow_apy, lo=0, hi=5, why="a yearly rate")
    seed = integer("seed", seed, lo=0, why="a whole number")
    max_lev = 1.0 / (1.0 - lt)
    key = (round(f, 9), round(b, 9), round(vol, 6), round(lt, 9), bool(lp),
           bool(variable_rates), seed)
    if lev_x >= max_lev:
        leverage.levered_farm_outcomes(_prices(key[2], seed)[:1, :2], lev_x, f, b,
                                       liquidation_threshold=lt)  # raises the readable error
    X, G, ratio = _unit_paths(*key)
    returns, liquidated = leverage._final_returns(X, G, lev_x, lt, 0.05, ratio)
    flat, grid, curve = _leverage_independent(*key)

    return LeverageView(
        leverage=lev_x, net_apy=float(leverage.net_apy(lev_x, f, b)),
        liquidation_drop=1.0 - float(leverage.levered_liquidation_price(lev_x, lt, 1.0, lp=bool(lp))),
        summary=_summary(lev_x, returns, liquidated), unlevered=flat[0],
        hist_levered=_hist(returns), hist_unlevered=flat[1], bins=BINS, grid=grid,
        prob_liquidated=curve["prob_liquidated"], prob_loss=curve["prob_loss"], max_leverage=max_lev,
    )


class LeverageDashboard(Dashboard):
    """Leverage slider: the distribution of one year's returns and the chance of liquidation."""

    title = "Leveraged yield farming: one year on 400 simulated price paths (seeded)"
    figsize = (8.6, 3.6)

    def controls_(self):
        return {
            "leverage_x": slider("leverage (x)", 2.0, 1.0, 6.0, 0.1, fmt=".1f"),
            "farm_apy": slider("farm APY (fees + rewards)", 0.20, 0.0, 1.0, 0.01, fmt=".0%"),
            "borrow_apy": slider("borrow APY", 0.10, 0.0, 0.5, 0.01, fmt=".0%"),
            "volatility": slider("token volatility (per year)", 0.6, 0.0, 1.5, 0.05, fmt=".0%"),
            "liquidation_threshold": slider("liquidation threshold", 0.85, 0.5, 0.95, 0.01, fmt=".0%"),
            "lp": checkbox("exposure is a 50/50 LP (off: the token itself)", True),
            "variable_rates": checkbox("variable borrow rate (utilisation moves it)", False),
            "seed": int_slider("price paths (seed)", 2026, 2020, 2040),
        }

    def compute(self, **values):
        return leverage_view(**values)

    def setup(self, fig):
        self.ax_hist, self.ax_curve = fig.subplots(1, 2, width_ratios=[1.4, 1])
        ax = self.ax_hist
        edges = BINS * 100
        self.stairs_flat = self.dynamic(ax.stairs(np.zeros(len(BINS) - 1), edges, color="grey",
                                                  label="1x (no debt)"))
        self.stairs_lev = self.dynamic(ax.stairs(np.zeros(len(BINS) - 1), edges, color="tab:red",
                                                 fill=True, alpha=0.4, label="levered"))
        ax.axvline(0, color="black", lw=0.8)
        ax.axvline(-100, color="tab:red", lw=0.8, ls=":")
        ax.set_xlim(-105, 300)
        ax.set_ylim(0, 0.5)
        ax.set(title="Return on your equity after one year", xlabel="return (%)",
               ylabel="share of paths")
        ax.legend(loc="upper right", fontsize=8)
        ax = self.ax_curve
        self.line_liq = self.dynamic(*ax.plot([], [], color="tab:red", label="P(liquidated)"))
        self.line_loss = self.dynamic(*ax.plot([], [], color="tab:orange", label="P(loss)"))
        self.dot_liq = self.dynamic(*ax.plot([], [], "o", color="tab:red"))
        self.dot_loss = self.dynamic(*ax.plot([], [], "o", color="tab:orange"))
        ax.set_ylim(-3, 103)
        ax.set_xlim(1, 7)
        ax.set(title="Risk against leverage", xlabel="leverage (x)", ylabel="probability (%)")
        ax.legend(loc="upper left", fontsize=8)

    def draw(self, v: LeverageView) -> str:
        self.stairs_lev.set_data(v.hist_levered)
        self.stairs_flat.set_data(v.hist_unlevered)
        self.fit(self.ax_hist, 0.0, float(max(v.hist_levered.max(), v.hist_unlevered.max())))
        self.ax_curve.set_xlim(1.0, max(v.max_leverage, 2.0))
        self.line_liq.set_data(v.grid, v.prob_liquidated * 100)
        self.line_loss.set_data(v.grid, v.prob_loss * 100)
        s = v.summary
        self.dot_liq.set_data([v.leverage], [s["prob_liquidated"] * 100])
        self.dot_loss.set_data([v.leverage], [s["prob_loss"] * 100])
        if v.leverage >= v.max_leverage:
            raise ValueError(f"leverage_x must be < {v.max_leverage:.2f}")  # pragma: no cover
        return (
            f"<b>{v.leverage:.1f}x</b>: net APY at a flat price <b>{v.net_apy:+.1%}</b> · "
            f"liquidated if the token falls <b>{v.liquidation_drop:.0%}</b> · over the year: median "
            f"<b>{s['median']:+.0%}</b> (1x: {v.unlevered['median']:+.0%}), bad case (5th pct.) "
            f"<b>{s['p5']:+.0%}</b> (1x: {v.unlevered['p5']:+.0%}), "
            f"<b>{s['prob_liquidated']:.0%}</b> of paths liquidated, {s['prob_loss']:.0%} lose money"
        )
