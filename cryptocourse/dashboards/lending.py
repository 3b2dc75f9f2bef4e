"""Notebook 09's dashboards: the interest-rate curve and a borrower's health along a price path.

``rate_curve_view(...)`` and ``position_view(...)`` are the pure compute functions (tested in
tests/test_lending.py); ``RateCurveDashboard`` and ``PositionDashboard`` are thin views over them.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import lending
from .._validate import choice, integer, number
from ._base import Dashboard, dropdown, int_slider, slider

CUSTOM = "custom (use the sliders)"
USDC_MARKET = "Aave v3 Ethereum USDC (2023-10-31 snapshot)"
WETH_MARKET = "Aave v3 Ethereum WETH (2023-10-31 snapshot)"
VERSIONS = [("Aave v3.3 and later (since Feb 2025)", "3.3"), ("Aave v3.0-v3.2 (before)", "3.0")]
MARKET_NAMES = list(lending.MARKETS) + [CUSTOM]


# --------------------------------------------------------------------------- rate curve
@dataclass(frozen=True)
class RateCurveView:
    """Everything the rate-curve dashboard shows."""

    name: str
    model: object                # the InterestRateModel / JumpRateModel used
    utilization: float           # the chosen utilisation (fraction)
    kink: float                  # optimal utilisation / kink (fraction)
    borrow_rate: float           # per year (fraction)
    supply_rate: float           # per year (fraction)
    u: np.ndarray                # utilisation grid 0..1
    borrow_curve: np.ndarray     # per year (fraction)
    supply_curve: np.ndarray     # per year (fraction)
    deposit_income_usd: float    # one year's interest on 10,000 USD supplied
    loan_cost_usd: float         # one year's interest on 10,000 USD borrowed


def rate_curve_view(market: str = USDC_MARKET, utilization: float = 0.8,
                    optimal_utilization: float = 0.8, slope1: float = 0.04, slope2: float = 0.75,
                    reserve_factor: float = 0.10) -> RateCurveView:
    """Compute the rate curves of a market (a snapshot, or a custom Aave-style curve).

    The slider parameters are used only when ``market`` is ``CUSTOM``.

    >>> v = rate_curve_view(CUSTOM, 0.8, 0.8, 0.04, 0.75, 0.10)
    >>> round(v.borrow_rate, 4), round(v.supply_rate, 4)
    (0.04, 0.0288)
    """
    choice("market", market, MARKET_NAMES)
    u = number("utilization", utilization, lo=0, hi=1, why="a fraction between 0 and 1")
    if market == CUSTOM:
        model = lending.InterestRateModel(optimal_utilization, 0.0, slope1, slope2, reserve_factor)
        kink = model.optimal_utilization
    else:
        model = lending.MARKETS[market].model
        kink = getattr(model, "optimal_utilization", getattr(model, "kink", 1.0))
    grid = np.linspace(0.0, 1.0, 201)
    b, s = float(model.borrow_rate(u)), float(model.supply_rate(u))
    return RateCurveView(name=market, model=model, utilization=u, kink=float(kink),
                         borrow_rate=b, supply_rate=s, u=grid,
                         borrow_curve=np.asarray(model.borrow_rate(grid)),
                         supply_curve=np.asarray(model.supply_rate(grid)),
                         deposit_income_usd=10_000 * s, loan_cost_usd=10_000 * b)


class RateCurveDashboard(Dashboard):
    """Borrow and supply rate against utilisation, for real markets (snapshots) or your own curve."""

    title = "Interest-rate curve explorer (market parameters are dated snapshots, not live data)"

    def controls_(self):
        return {
            "market": dropdown("market", MARKET_NAMES, USDC_MARKET),
            "utilization": slider("utilisation", 0.80, 0.0, 1.0, 0.01, fmt=".0%"),
            "optimal_utilization": slider("custom: optimal utilisation", 0.80, 0.05, 0.99, 0.01, fmt=".0%"),
            "slope1": slider("custom: slope 1 (per year)", 0.04, 0.0, 0.20, 0.005, fmt=".1%"),
            "slope2": slider("custom: slope 2 (per year)", 0.75, 0.0, 3.0, 0.05, fmt=".0%"),
            "reserve_factor": slider("custom: reserve factor", 0.10, 0.0, 0.5, 0.01, fmt=".0%"),
        }

    def compute(self, **values):
        return rate_curve_view(**values)

    def setup(self, fig):
        ax = self.ax = fig.subplots()
        self.line_borrow = self.dynamic(*ax.plot([], [], color="tab:red", label="borrow APR"))
        self.line_supply = self.dynamic(*ax.plot([], [], color="tab:green", label="supply APR"))
        self.kink_line = self.dynamic(ax.axvline(0.8, color="grey", ls=":", lw=1, label="kink"))
        self.now_line = self.dynamic(ax.axvline(0.8, color="black", lw=0.8))
        self.dot_borrow = self.dynamic(*ax.plot([], [], "o", color="tab:red"))
        self.dot_supply = self.dynamic(*ax.plot([], [], "o", color="tab:green"))
        ax.set_xlim(0, 100)
        ax.set(title="Rates against utilisation", xlabel="utilisation (%)", ylabel="rate (% per year)")
        ax.legend(loc="upper left", fontsize=8)

    def draw(self, v: RateCurveView) -> str:
        x = v.u * 100
        self.line_borrow.set_data(x, v.borrow_curve * 100)
        self.line_supply.set_data(x, v.supply_curve * 100)
        self.kink_line.set_xdata([v.kink * 100] * 2)
        self.now_line.set_xdata([v.utilization * 100] * 2)
        self.dot_borrow.set_data([v.utilization * 100], [v.borrow_rate * 100])
        self.dot_supply.set_data([v.utilization * 100], [v.supply_rate * 100])
        # at least 0-100 %: three-digit tick labels from the first (layout-fixing) draw
        self.fit(self.ax, 0.0, max(float(v.borrow_curve.max()) * 100, 100.0))
        return (
            f"{v.name}: at <b>{v.utilization:.0%}</b> utilisation borrowers pay "
            f"<b>{v.borrow_rate:.2%}</b> and suppliers earn <b>{v.supply_rate:.2%}</b> per year "
            f"(kink at {v.kink:.0%}) · 10,000 USD supplied earns <b>{v.deposit_income_usd:,.0f} USD</b> "
            f"a year; borrowed, it costs <b>{v.loan_cost_usd:,.0f} USD</b>"
        )


# --------------------------------------------------------------------------- a position
@lru_cache(maxsize=64)
def _path(days: int, volatility: float, drift: float, seed: int) -> np.ndarray:
    """One seeded daily price path (geometric Brownian motion), starting at 1."""
    rng = np.random.default_rng(seed)
    dt = 1.0 / 365.0
    steps = (drift - 0.5 * volatility**2) * dt + volatility * np.sqrt(dt) * rng.standard_normal(days)
    path = np.exp(np.concatenate([[0.0], np.cumsum(steps)]))
    path.flags.writeable = False
    return path


@dataclass(frozen=True)
class PositionView:
    """Everything the position dashboard shows."""

    days: np.ndarray             # day index
    price: np.ndarray            # ETH price (USD)
    health: np.ndarray           # health factor at the end of each day, after any liquidation
    health_before: np.ndarray    # health factor liquidators saw each day, before acting (crosses 1)
    health_at_liquidation: np.ndarray  # the health factor that triggered each liquidation
    debt: np.ndarray             # USDC owed
    collateral: np.ndarray       # ETH held as collateral
    liquidation_price: np.ndarray  # price at which HF = 1, per day (USD; 0 without debt)
    liquidation_days: np.ndarray   # days with a liquidation
    start_health: float
    start_ltv: float             # debt / collateral value at the start (fraction)
    collateral_lost_eth: float   # ETH seized by liquidators in total
    final_equity_usd: float      # collateral value minus debt at the end
    max_borrow_usd: float        # what the LTV allowed at the start
    debt_repaid_usd: float = 0.0  # repaid by liquidators in total
    bad_debt_usd: float = 0.0    # written off (v3.3) when the collateral ran out
    version: str = "3.3"


def position_view(collateral_eth: float = 10.0, debt_usd: float = 15_000.0, eth_price: float = 2500.0,
                  volatility: float = 0.8, drift: float = 0.0, days: int = 180, seed: int = 1,
                  borrow_rate: float = 0.05, market: str = WETH_MARKET, version: str = "3.3"
                  ) -> PositionView:
    """Simulate an ETH-backed USDC loan along one seeded price path (pure).

    *Assumptions:* ETH follows a geometric Brownian motion (``volatility``, ``drift`` per
    year) from ``eth_price``; the debt accrues ``borrow_rate`` per year; liquidators act once a
    day when the health factor is below 1, repaying what Aave's close factor for ``version``
    allows; the market's LTV, liquidation threshold and bonus are its snapshot values.

    >>> v = position_view(10.0, 15_000.0, 2500.0, 0.8, 0.0, 180, 1)
    >>> round(v.start_health, 3), v.start_ltv
    (1.383, 0.6)
    """
    choice("market", market, list(lending.MARKETS))
    snap = lending.MARKETS[market]
    q = number("collateral_eth", collateral_eth, lo=0, hi=1e9, lo_open=True, why="ETH deposited")
    d = number("debt_usd", debt_usd, lo=0, hi=1e12, why="USDC borrowed")
    p0 = number("eth_price", eth_price, lo=0, hi=1e7, lo_open=True, why="USD per ETH")
    vol = number("volatility", volatility, lo=0, hi=5, why="a yearly volatility")
    mu = number("drift", drift, lo=-5, hi=5, why="a yearly drift")
    days = integer("days", days, lo=1, hi=3650, why="a whole number of days")
    seed = integer("seed", seed, lo=0, why="a whole number")
    if d > q * p0 * snap.ltv * (1 + 1e-12):
        from .._validate import fail

        fail("debt_usd", f"<= {q * p0 * snap.ltv:,.0f} USD (LTV {snap.ltv:.1%} of the collateral)",
             d, "the protocol refuses a loan above the loan-to-value limit")
    price = p0 * _path(days, vol, mu, seed)
    h = lending.simulate_position(price, q, d, snap.liquidation_threshold, snap.liquidation_bonus,
                                  borrow_rate=borrow_rate, version=version)
    lp = np.where(h.collateral > 0, h.debt / (np.maximum(h.collateral, 1e-300) * snap.liquidation_threshold), 0.0)
    return PositionView(
        days=np.arange(days + 1), price=price, health=h.health, health_before=h.health_before,
        debt=h.debt, collateral=h.collateral,
        liquidation_price=lp, liquidation_days=np.flatnonzero(h.liquidated),
        health_at_liquidation=np.array([r.health_before for r in h.liquidations]),
        start_health=float(lending.health_factor(q * p0, snap.liquidation_threshold, d)),
        start_ltv=d / (q * p0), collateral_lost_eth=float(sum(r.collateral_seized for r in h.liquidations)),
        final_equity_usd=float(h.equity[-1]), max_borrow_usd=q * p0 * snap.ltv,
        debt_repaid_usd=float(sum(r.debt_repaid for r in h.liquidations)), bad_debt_usd=h.bad_debt,
        version=version,
    )


class PositionDashboard(Dashboard):
    """A borrower's health factor along a simulated ETH price path, with liquidations."""

    title = "Your loan along a price path: health factor and liquidation (simulated, seeded)"
    figsize = (8.0, 4.6)

    def controls_(self):
        return {
            "collateral_eth": slider("collateral (ETH)", 10.0, 1.0, 50.0, 0.5, fmt=".1f"),
            "debt_usd": slider("debt (USDC)", 15_000.0, 0.0, 100_000.0, 100.0, fmt=",.0f"),
            "volatility": slider("ETH volatility (per year)", 0.8, 0.0, 1.5, 0.05, fmt=".0%"),
            "drift": slider("ETH drift (per year)", 0.0, -1.0, 1.0, 0.05, fmt=".0%"),
            "seed": int_slider("price path (seed)", 1, 0, 50),
            "borrow_rate": slider("borrow rate (per year)", 0.05, 0.0, 0.5, 0.01, fmt=".0%"),
            "version": dropdown("liquidation rule", VERSIONS, "3.3"),
        }

    def compute(self, **values):
        return position_view(**values)

    def setup(self, fig):
        self.ax_price, self.ax_health = fig.subplots(2, 1, sharex=True)
        ax = self.ax_price
        self.line_price = self.dynamic(*ax.plot([], [], color="tab:blue", label="ETH price"))
        self.line_liq = self.dynamic(*ax.plot([], [], color="tab:red", ls="--", lw=1,
                                              label="liquidation price"))
        self.marks_price = self.dynamic(*ax.plot([], [], "x", color="black", ms=7, label="liquidation"))
        ax.set_ylim(0, 10_000)  # widest tick labels first (the layout is fixed after the first draw)
        ax.set(title="ETH price and the price that triggers liquidation")
        ax.set_ylabel("USD per ETH", labelpad=8)
        ax.legend(loc="lower left", fontsize=8, ncols=3)
        ax = self.ax_health
        self.line_health = self.dynamic(*ax.plot([], [], color="tab:purple",
                                                 label="as liquidators see it (before they act)"))
        self.line_after = self.dynamic(*ax.plot([], [], color="tab:gray", lw=0.9, ls=":",
                                                label="after the day's liquidation"))
        ax.axhline(1.0, color="tab:red", lw=1)
        ax.axhline(lending.CLOSE_FACTOR_HF_THRESHOLD, color="tab:red", lw=0.8, ls=":")
        self.marks_health = self.dynamic(*ax.plot([], [], "x", color="black", ms=7))
        ax.set(title="Health factor (below 1: liquidation, marked x)",
               xlabel="day", ylabel="health factor")
        ax.legend(loc="upper right", fontsize=7)
        ax.set_ylim(0, 10.0)

    def draw(self, v: PositionView) -> str:
        days = v.days
        self.ax_price.set_xlim(0, days[-1])
        self.line_price.set_data(days, v.price)
        lp = np.where(v.liquidation_price > 0, v.liquidation_price, np.nan)
        self.line_liq.set_data(days, lp)
        self.marks_price.set_data(v.liquidation_days, v.price[v.liquidation_days])
        top = float(np.nanmax(np.concatenate([v.price, lp[np.isfinite(lp)]])))
        self.fit(self.ax_price, 0.0, top)
        shown = np.where(np.isfinite(v.health_before), v.health_before, np.nan)  # no debt: no line
        self.line_health.set_data(days, shown)
        if v.liquidation_days.size:  # the dotted line parts from the solid one at each liquidation
            self.line_after.set_data(days, np.where(np.isfinite(v.health), v.health, np.nan))
        else:
            self.line_after.set_data([], [])
        self.marks_health.set_data(v.liquidation_days, v.health_at_liquidation)
        finite = shown[np.isfinite(shown)]
        top = max(float(finite.max()) if finite.size else 1.5, 1.5)
        self.fit(self.ax_health, 0.0, min(top, 5.0))
        n = len(v.liquidation_days)
        if n:
            what = (f"<b>liquidated on day {v.liquidation_days[0]}</b> ({n} liquidation call(s), "
                    f"<b>{v.collateral_lost_eth:.2f} ETH</b> seized)")
        else:
            what = "<b>never liquidated</b>"
        if n and v.debt[-1] <= 0:
            what += ", all debt repaid by liquidators"
        if v.bad_debt_usd > 0:
            what += f", <b>{v.bad_debt_usd:,.0f} USD</b> written off as bad debt"
        return (f"start: health <b>{v.start_health:.2f}</b>, loan at {v.start_ltv:.0%} of the collateral "
                f"(max {v.max_borrow_usd:,.0f} USD) · {what} · equity at the end "
                f"<b>{v.final_equity_usd:,.0f} USD</b>")
