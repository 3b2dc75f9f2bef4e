"""Notebook 10's dashboard: how leverage shapes the distribution of a farm's returns.

``leverage_view(...)`` is the pure compute function (tested in tests/test_leverage.py);
``LeverageDashboard`` is the thin view over it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import lending, leverage
from .._validate import fail, integer, number
from ._base import Dashboard, checkbox, int_slider, slider

N_PATHS = 5000   # enough that the headline's sign holds from seed to seed (tests/test_leverage.py)
N_DAYS = 365
RATE_MARKET = "Aave v3 Ethereum USDC (2023-10-31 snapshot)"
MEAN_UTILIZATION = 0.85
BINS = np.linspace(-1.0, 3.0, 81)  # return bins: -100 % .. +300 %


# Caches. The big ones hold arrays of N_PATHS x N_DAYS floats (about 15 MB each), so they keep only the
# latest two settings: a kernel stays small however far the sliders travel. The small ones hold finished
# views, so moving a slider back to a value seen before costs no simulation at all.
_BIG = 2


@lru_cache(maxsize=_BIG)
def _prices(volatility: float, seed: int) -> np.ndarray:
    from ..risk import gbm_paths

    p = gbm_paths(1.0, 0.0, volatility, n_paths=N_PATHS, n_steps=N_DAYS, seed=seed)
    p.flags.writeable = False
    return p


@lru_cache(maxsize=_BIG)
def _rate_excess(volatility: float, seed: int) -> np.ndarray:
    """Borrow-rate paths minus the rate at the usual utilisation (USDC snapshot curve).

    One rate path per price path, driven by it: utilisation jumps when the price falls
    (:func:`cryptocourse.leverage.simulate_borrow_rates` with ``prices``).
    """
    model = lending.MARKETS[RATE_MARKET].model
    rates, _ = leverage.simulate_borrow_rates(model, N_PATHS, N_DAYS, mean_utilization=MEAN_UTILIZATION,
                                              seed=seed + 1, prices=_prices(volatility, seed))
    excess = rates - float(model.borrow_rate(MEAN_UTILIZATION))
    excess.flags.writeable = False
    return excess


@lru_cache(maxsize=_BIG)
def _exposure(volatility: float, seed: int, lp: bool) -> np.ndarray:
    """Value of 1 USD of exposure along each path, before farm income (an LP or the token)."""
    p = _prices(volatility, seed)
    x0 = np.asarray(leverage.exposure_value(p / p[:, :1], lp=lp))
    x0.flags.writeable = False
    return x0


def _growth(rate, n_paths: int) -> np.ndarray:
    """Growth of 1 at an APY (a number, or one per path and step), as leverage.levered_farm_outcomes computes it."""
    steps = N_DAYS + 1
    if np.ndim(rate) == 0:  # one row, broadcast over the paths (a view, no copy)
        return np.broadcast_to(((1.0 + rate) ** leverage.DAY) ** np.arange(steps)[None, :], (n_paths, steps))
    out = np.ones((n_paths, steps))
    out[:, 1:] = np.cumprod((1.0 + rate) ** leverage.DAY, axis=1)
    return out


@lru_cache(maxsize=_BIG)
def _unit_paths(farm_apy, borrow_apy, volatility, lp, variable_rates, seed):
    """Exposure and debt per unit of equity on every path: they depend on neither the leverage nor
    the liquidation threshold (the model of leverage.levered_farm_outcomes, computed once)."""
    x0 = _exposure(volatility, seed, lp)
    rates = borrow_apy
    if variable_rates:
        rates = np.maximum(borrow_apy + _rate_excess(volatility, seed), 0.0)
    X = x0 * _growth(farm_apy, 1)[:1]
    G = _growth(rates, N_PATHS)
    # running minimum of X / G, shared by every leverage (see leverage.returns_from_unit_paths)
    running_min = np.minimum.accumulate((X / G).T, axis=0).T
    for arr in (X, running_min):
        arr.flags.writeable = False
    return X, G, running_min


def _hist(r: np.ndarray) -> np.ndarray:
    counts, _ = np.histogram(np.clip(r, BINS[0], BINS[-1] - 1e-9), BINS)
    return counts / r.size


@lru_cache(maxsize=64)
def _leverage_independent(*key):
    """What does not depend on the leverage slider: the 1x farm and the risk-vs-leverage curve."""
    farm_apy, borrow_apy, volatility, lt, lp, variable_rates, seed = key
    X, G, running_min = _unit_paths(farm_apy, borrow_apy, volatility, lp, variable_rates, seed)
    # the same model as leverage.leverage_risk_curve / levered_farm_outcomes, on the cached paths
    flat_r, flat_liq = leverage.returns_from_unit_paths(X, G, 1.0, lt, 0.05, running_min=running_min)
    grid = np.linspace(1.0, 0.98 / (1.0 - lt), 15)
    prob_liq, prob_loss = np.empty(grid.size), np.empty(grid.size)
    lowest, g_max = running_min[:, -1], float(np.max(G))
    for i, lev in enumerate(grid):
        liq = lowest < (lev - 1.0) / (lev * lt)
        # A liquidated path keeps less than (L - 1) G (0.95 / LT - 1) (see leverage.returns_from_unit_paths); when that
        # is below 1 for every path, every liquidated path has lost money and needs no more work.
        if (lev - 1.0) * g_max * (0.95 / lt - 1.0) < 1.0:
            prob_liq[i] = liq.mean()
            prob_loss[i] = np.mean(liq | (lev * X[:, -1] - (lev - 1.0) * G[:, -1] < 1.0))
        else:  # pragma: no cover - extreme settings: the exact computation
            r, liq = leverage.returns_from_unit_paths(X, G, float(lev), lt, 0.05, running_min=running_min)
            prob_liq[i], prob_loss[i] = liq.mean(), np.mean(r < 0)
    curve = {"prob_liquidated": prob_liq, "prob_loss": prob_loss}
    hist = _hist(flat_r)
    for arr in (grid, hist, *curve.values()):
        arr.flags.writeable = False  # cached: shared between views
    return (leverage.summarize_returns(flat_r, flat_liq, 1.0), hist), grid, curve


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
    seed: int = 2026


def leverage_view(leverage_x: float = 2.0, farm_apy: float = 0.20, borrow_apy: float = 0.10,
                  volatility: float = 0.6, liquidation_threshold: float = 0.85, lp: bool = True,
                  variable_rates: bool = False, seed: int = 2026) -> LeverageView:
    """Simulate a levered farm over one year on seeded price paths (pure).

    *Assumptions:* the volatile token follows a driftless geometric Brownian motion with
    ``volatility`` per year (5,000 daily paths from ``seed``); the exposure is a 50/50 LP
    (impermanent loss included) or the token itself; the farm pays ``farm_apy`` reinvested; debt
    is a stablecoin at ``borrow_apy`` (or, with ``variable_rates``, ``borrow_apy`` plus the change
    of the Aave v3 USDC snapshot curve's rate from the usual 85 % utilisation to a simulated one
    that jumps when the token's price falls, one rate path per price path); liquidation closes the
    whole position with a 5 % penalty. ``summary`` carries each headline's uncertainty
    (:func:`cryptocourse.leverage.summarize_returns`).

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
    for name, value in (("lp", lp), ("variable_rates", variable_rates)):
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False (got {value!r})")
    for name, value in (("leverage_x", lev_x), ("farm_apy", f), ("borrow_apy", b), ("volatility", vol),
                        ("liquidation_threshold", lt)):
        if np.ndim(value):
            raise TypeError(f"{name} must be a single number (got an array of shape {np.shape(value)}): "
                            "the dashboard shows one setting at a time")
    if lev_x >= 1.0 / (1.0 - lt):
        fail("leverage_x", f"below 1 / (1 - liquidation_threshold) = {1.0 / (1.0 - lt):.4g}", lev_x,
             "there the health factor starts below 1: the position would be liquidated at once")
    return _view(lev_x, f, b, vol, lt, bool(lp), bool(variable_rates), seed)


@lru_cache(maxsize=256)
def _view(lev_x, f, b, vol, lt, lp, variable_rates, seed) -> LeverageView:
    """leverage_view for validated inputs (cached: a view is a few kB)."""
    max_lev = 1.0 / (1.0 - lt)
    key = (round(f, 9), round(b, 9), round(vol, 6), round(lt, 9), lp, variable_rates, seed)
    X, G, running_min = _unit_paths(key[0], key[1], key[2], key[4], key[5], key[6])
    returns, liquidated = leverage.returns_from_unit_paths(X, G, lev_x, lt, 0.05, running_min=running_min)
    flat, grid, curve = _leverage_independent(*key)

    hist_levered = _hist(returns)
    hist_levered.flags.writeable = False  # cached: shared between views
    return LeverageView(
        leverage=lev_x, net_apy=float(leverage.net_apy(lev_x, f, b)),
        liquidation_drop=1.0 - float(leverage.levered_liquidation_price(lev_x, lt, 1.0, lp=lp)),
        summary=leverage.summarize_returns(returns, liquidated, lev_x), unlevered=flat[0],
        hist_levered=hist_levered, hist_unlevered=flat[1], bins=BINS, grid=grid,
        prob_liquidated=curve["prob_liquidated"], prob_loss=curve["prob_loss"], max_leverage=max_lev,
        seed=seed,
    )


class LeverageDashboard(Dashboard):
    """Leverage slider: the distribution of one year's returns and the chance of liquidation."""

    title = "Leveraged yield farming: one year on 5,000 simulated price paths (seeded)"
    figsize = (8.6, 3.6)

    def controls_(self):
        return {
            "leverage_x": slider("leverage (x)", 2.0, 1.0, 6.0, 0.1, fmt=".1f"),
            "farm_apy": slider("farm APY (fees + rewards)", 0.20, 0.0, 1.0, 0.01, fmt=".0%"),
            "borrow_apy": slider("borrow APY", 0.10, 0.0, 0.5, 0.01, fmt=".0%"),
            "volatility": slider("token volatility (per year)", 0.6, 0.0, 1.5, 0.05, fmt=".0%"),
            "liquidation_threshold": slider("liquidation threshold", 0.85, 0.5, 0.95, 0.01, fmt=".0%"),
            "lp": checkbox("exposure is a 50/50 LP (off: the token itself)", True),
            "variable_rates": checkbox("variable borrow rate (jumps when the price falls)", False),
            "seed": int_slider("price paths (seed)", 2026, 2020, 2040),
        }

    def compute(self, **values):
        return leverage_view(**values)

    #: Backgrounds kept for earlier axis limits (about 1 MB each): see render_png.
    max_backgrounds = 6

    def setup(self, fig):
        # A fixed layout instead of the base class's constrained one: the axes never move, so a
        # background drawn for some axis limits stays valid and can be reused (render_png), and a
        # full redraw skips the layout pass. The margins leave room for the widest tick labels.
        fig.set_layout_engine("none")
        grid = fig.add_gridspec(1, 2, width_ratios=[1.4, 1], left=0.085, right=0.985, bottom=0.14,
                                top=0.92, wspace=0.2)
        self.ax_hist, self.ax_curve = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
        self._backgrounds = {}
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

    def render_png(self) -> bytes:
        """As the base class does, but returning to axis limits seen before blits over the background
        kept for them instead of redrawing the whole figure (the axes stay put: see setup)."""
        key = self._frame_key()
        kept = self._backgrounds.pop(key, None)
        if kept is not None and key != self._background_key:
            self._background, self._background_key = kept, key
        png = super().render_png()
        self._backgrounds[self._background_key] = self._background   # most recent last
        while len(self._backgrounds) > self.max_backgrounds:
            self._backgrounds.pop(next(iter(self._backgrounds)))
        return png

    def draw(self, v: LeverageView) -> str:
        self.stairs_lev.set_data(v.hist_levered)
        self.stairs_flat.set_data(v.hist_unlevered)
        self.fit(self.ax_hist, 0.0, float(max(v.hist_levered.max(), v.hist_unlevered.max())))
        if self.ax_hist.get_ylim()[1] > 1.05:   # a share of paths never exceeds 1
            self.ax_hist.set_ylim(0.0, 1.05)
        # the x range moves in steps (a full redraw), not with every move of the threshold slider
        x_hi = next(x for x in (2.0, 2.5, 3.0, 4.0, 5.0, 7.0, 10.0, 14.0, 20.0) if x >= v.max_leverage - 1e-9)
        if self.ax_curve.get_xlim() != (1.0, x_hi):
            self.ax_curve.set_xlim(1.0, x_hi)
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
            f"<b>{s['median']:+.1%}</b> (95 % interval {s['median_lo']:+.1%} to {s['median_hi']:+.1%}; "
            f"1x: {v.unlevered['median']:+.1%}), bad case (5th pct.) "
            f"<b>{s['p5']:+.0%}</b> (1x: {v.unlevered['p5']:+.0%}), "
            f"<b>{s['prob_liquidated']:.1%}</b> &plusmn; {s['prob_liquidated_se']:.1%} of paths liquidated, "
            f"{s['prob_loss']:.0%} lose money · {s['n_paths']:,} paths, seed {v.seed}"
        )
