"""Notebook 11's dashboards: two pools with a price gap, and LVR against fee income.

``two_pool_view(...)`` and ``lvr_view(...)`` are the pure compute functions (tested in
tests/test_arbitrage.py); ``TwoPoolDashboard`` and ``LVRDashboard`` are thin views over them.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import arbitrage as arb
from .._validate import integer, number
from ._base import Dashboard, dropdown, fixed_two_panel_layout, int_slider, log_slider, slider, start_at_zero

FEE_TIERS = [("0.01 %", 0.0001), ("0.05 %", 0.0005), ("0.30 %", 0.003), ("1 %", 0.01)]
_GAPS = np.linspace(-0.03, 0.03, 241)  # pool 2 price relative to pool 1


@dataclass(frozen=True)
class TwoPoolView:
    """Everything the two-pool dashboard shows (amounts in USD, A priced in USD)."""

    price1: float              # pool 1 price of A (USD)
    price2: float              # pool 2 price of A (USD)
    buy_pool: int              # 1 or 2 (0: no trade pays)
    amount_in: float           # USD spent at the optimum (0 if none pays)
    gross_profit: float        # USD before gas at the optimum
    net_profit: float          # USD after gas (negative: do not trade)
    min_gap: float             # smallest gap (fraction, pool 2 above pool 1) that pays the gas
    sizes: np.ndarray          # USD spent, for the profit curve
    size_profits: np.ndarray   # gross profit at each size (USD)
    gaps: np.ndarray           # gaps (fraction) for the second panel
    gap_profits: np.ndarray    # best profit after gas at each gap (USD, may be negative)


def _best_gross(x, price1, gaps, fee):
    y1 = x * price1
    t = arb.two_pool_arbitrage(x, y1, x, y1 * (1 + gaps), fee, fee)
    return np.where(t.buy_pool > 0, t.profit, 0.0)


def two_pool_view(gap: float = 0.0025, tvl: float = 10_000_000.0, fee: float = 0.003,
                  gas: float = 20.0, price1: float = 40_000.0) -> TwoPoolView:
    """Compute the two-pool dashboard's numbers (pure, floats).

    Two pools of the same size (``tvl`` USD each, half in A), A priced ``price1`` in pool 1
    and ``price1*(1+gap)`` in pool 2, both with swap fee ``fee``; an arbitrageur pays ``gas``
    USD for the two-swap transaction.

    >>> v = two_pool_view(gap=0.0025)       # $40,000 vs $40,100: fees eat the gap
    >>> v.buy_pool, v.net_profit
    (0, -20.0)
    >>> v = two_pool_view(gap=0.02)
    >>> v.buy_pool, round(v.net_profit, 2)
    (1, 100.28)
    """
    g = number("gap", gap, lo=-0.5, hi=0.5, why="pool 2's price relative to pool 1, e.g. 0.01 = 1 % higher")
    tvl = number("tvl", tvl, lo=1.0, hi=1e12, why="USD in each pool")
    fee = number("fee", fee, lo=0, hi=0.1, why="the pools' swap fee as a fraction")
    gas = number("gas", gas, lo=0, hi=1e6, why="USD per arbitrage transaction")
    price1 = number("price1", price1, lo=1e-9, hi=1e9, why="USD per token A in pool 1")
    x = tvl / 2 / price1
    y1, y2 = x * price1, x * price1 * (1 + g)
    t = arb.two_pool_arbitrage(x, y1, x, y2, fee, fee)
    gross = t.profit if t.buy_pool else 0.0
    buy = t.buy_pool
    if buy:
        xa, ya, xb, yb = (x, y1, x, y2) if buy == 1 else (x, y2, x, y1)
        top = 2.5 * t.amount_in
    else:
        xa, ya, xb, yb = (x, y1, x, y2) if g >= 0 else (x, y2, x, y1)
        top = 0.002 * tvl
    sizes = np.linspace(0.0, top, 121)
    size_profits = arb.two_pool_trade_profit(sizes, xa, ya, xb, yb, fee, fee)
    gap_profits = _best_gross(x, price1, _GAPS, fee) - gas
    # smallest positive gap whose best profit pays the gas (beyond the slider's +-50 %: never)
    min_gap = float(arb.two_pool_min_gap(x, x * price1, fee, gas))
    if not min_gap <= 0.5:
        min_gap = float("inf")
    return TwoPoolView(
        price1=price1, price2=price1 * (1 + g), buy_pool=int(buy), amount_in=float(t.amount_in),
        gross_profit=float(gross), net_profit=float(gross) - gas if buy else -gas, min_gap=min_gap,
        sizes=sizes, size_profits=size_profits, gaps=_GAPS, gap_profits=gap_profits,
    )


class TwoPoolDashboard(Dashboard):
    """Two pools, one price gap: the best trade, its profit, and the gas that eats it."""

    title = "Arbitrage between two pools: optimal size, fees and gas"

    def controls_(self):
        return {
            "gap": slider("pool 2 price vs pool 1", 0.0025, -0.03, 0.03, 0.0005, fmt=".2%"),
            "tvl": log_slider("liquidity per pool (USD)", 10_000_000, 5, 9, fmt=",.0f"),
            "fee": dropdown("swap fee (each pool)", FEE_TIERS, 0.003),
            "gas": slider("gas per arbitrage (USD)", 20.0, 0.0, 200.0, 1.0, fmt=".0f"),
        }

    def compute(self, **values):
        return two_pool_view(**values)

    def setup(self, fig):
        self.ax_size, self.ax_gap = fig.subplots(1, 2)
        fixed_two_panel_layout(fig)
        ax = self.ax_size
        self.curve = self.dynamic(*ax.plot([], [], color="tab:blue", label="profit before gas"))
        self.gas_line = self.dynamic(ax.axhline(0, color="tab:red", ls="--", lw=1, label="gas"))
        self.best = self.dynamic(*ax.plot([], [], "o", color="black", label="optimal trade"))
        ax.axhline(0, color="grey", lw=0.8)
        ax.set(title="Profit against trade size", xlabel="USD spent in the cheap pool", ylabel="profit (USD)")
        ax.legend(loc="lower left", fontsize=8)
        ax = self.ax_gap
        self.gap_curve = self.dynamic(*ax.plot(_GAPS * 100, np.zeros_like(_GAPS), color="tab:green"))
        self.gap_marker = self.dynamic(*ax.plot([], [], "o", color="black", label="now"))
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xlim(_GAPS[0] * 100, _GAPS[-1] * 100)
        ax.set(title="Best profit after gas, by gap", xlabel="pool 2 price vs pool 1 (%)",
               ylabel="profit after gas (USD)")
        ax.legend(loc="upper center", fontsize=8)

    def draw(self, v: TwoPoolView) -> str:
        self.curve.set_data(v.sizes, v.size_profits)
        gas = self.controls["gas"].value
        self.gas_line.set_ydata([gas, gas])
        self.best.set_data([v.amount_in] if v.buy_pool else [], [v.gross_profit] if v.buy_pool else [])
        # generous padding: a dragged slider moves the curve inside still axes (fast blitting)
        self.fit(self.ax_size, 0.0, max(v.sizes[-1], 1.0), axis="x", pad=0.3)
        start_at_zero(self.ax_size, "x")
        self.fit(self.ax_size, min(v.size_profits.min(), 0.0), max(v.size_profits.max(), gas, 1.0), pad=0.4)
        self.gap_curve.set_ydata(v.gap_profits)
        gap = self.controls["gap"].value
        self.gap_marker.set_data([gap * 100], [v.net_profit])
        self.fit(self.ax_gap, min(v.gap_profits.min(), v.net_profit), max(v.gap_profits.max(), 1.0))
        gap_text = "never" if not np.isfinite(v.min_gap) else f"{v.min_gap:.2%}"
        if v.buy_pool and v.net_profit > 0:
            what = (f"buy in pool {v.buy_pool} with <b>{v.amount_in:,.0f} USD</b>, profit "
                    f"<b>{v.gross_profit:,.2f} USD</b> before gas, <b>{v.net_profit:+,.2f} USD</b> after")
        elif v.buy_pool:
            what = (f"<b>no trade pays after gas</b>: the best one (buy in pool {v.buy_pool} with "
                    f"{v.amount_in:,.0f} USD) makes {v.gross_profit:,.2f} USD before gas, "
                    f"{v.net_profit:+,.2f} USD after")
        else:
            what = "<b>no trade pays</b>: the gap is inside the two fees"
        return (f"A costs {v.price1:,.0f} USD in pool 1 and {v.price2:,.0f} USD in pool 2 · {what} · "
                f"smallest gap that pays (fees and gas): <b>{gap_text}</b>")


# --------------------------------------------------------------------------- LVR


@dataclass(frozen=True)
class LVRView:
    """Everything the LVR dashboard shows (fractions of the starting pool value).

    Notebook 11 prints its LVR numbers from this same function with the same defaults, so the
    lesson and the dashboard cannot disagree. ``*_se`` are standard errors of the means over paths.
    """

    days: np.ndarray            # 0 .. 365
    lvr: np.ndarray             # mean cumulative LVR (fraction of pool value)
    fees: np.ndarray            # mean cumulative fees, arbitrage + uninformed (fraction)
    arb_fees: np.ndarray        # mean cumulative fees paid by arbitrageurs (fraction)
    theory: np.ndarray          # sigma**2/8 * pool value, summed over time (fraction)
    lvr_year: float             # simulated LVR per year (fraction)
    lvr_year_se: float          # its standard error
    fees_year: float            # simulated fees per year (fraction)
    arb_fees_year: float        # of which paid by arbitrageurs
    lp_vs_rebalancing: float    # fees - LVR per year (fraction)
    lp_vs_rebalancing_se: float  # its standard error
    breakeven_volume: float     # uninformed volume per year that pays sigma**2/8 (x pool value)
    sigmas: np.ndarray          # volatility grid for the second panel
    lvr_curve: np.ndarray       # sigma**2/8 on that grid (a rate on the pool's CURRENT value)
    expected_curve: np.ndarray  # expected LVR over the year, share of the STARTING value: 1 - exp(-sigma**2/8)
    lvr_expected: float         # that expectation at this sigma (what lvr_year estimates)
    noise_fee_level: float      # fee * volume (fraction per year)
    n_paths: int                # simulated paths
    seed: int                   # their seed


_SIGMAS = np.linspace(0.05, 1.5, 59)
#: Paths behind the dashboard and notebook 11's numbers: enough that the LP's sign and the
#: break-even volume hold for other seeds (tests/test_claims_11.py), few enough to redraw fast.
LVR_PATHS = 100


def lvr_view(sigma: float = 0.8, fee: float = 0.003, volume: float = 10.0,
             n_paths: int = LVR_PATHS, steps_per_day: int = 24, seed: int = 2026) -> LVRView:
    """Compute the LVR dashboard's numbers: one simulated year of arbitrage (pure, seeded).

    ``volume`` is uninformed trading per year as a multiple of the pool's value. Results are
    cached (the same settings return the same object; its arrays are read-only).

    >>> v = lvr_view(sigma=0.8, fee=0.003, volume=0.0)
    >>> round(float(v.lvr[-1] / v.theory[-1]), 1), v.lp_vs_rebalancing < 0
    (1.0, True)
    """
    s = number("sigma", sigma, lo=0, hi=10, why="annual volatility, e.g. 0.8 for 80 % per year")
    f = number("fee", fee, lo=0, hi=0.5, why="the pool's swap fee as a fraction")
    vol = number("volume", volume, lo=0, hi=1e6, why="uninformed volume per year, x the pool's value")
    return _lvr_view(float(s), float(f), float(vol), integer("n_paths", n_paths, lo=2, hi=10_000),
                     integer("steps_per_day", steps_per_day, lo=1, hi=1440), integer("seed", seed, lo=0))


@lru_cache(maxsize=8)  # about 2 MB each (100 paths x 366 days x 7 arrays)
def _lvr_paths(sigma, fee, n_paths, steps_per_day, seed) -> arb.LVRResult:
    # uninformed fees are linear in the volume (fee * volume * value * dt), so one simulation at
    # volume 1 serves every position of the volume slider
    return arb.simulate_lvr(sigma=sigma, fee=fee, days=365, steps_per_day=steps_per_day, n_paths=n_paths,
                            noise_volume=1.0, pool_value=1.0, seed=seed)


@lru_cache(maxsize=64)
def _lvr_view(sigma, fee, volume, n_paths, steps_per_day, seed) -> LVRView:
    r = _lvr_paths(sigma, fee, n_paths, steps_per_day, seed)
    noise = r.noise_fees * volume
    fees = r.arb_fees + noise
    years = float(r.t[-1])                                   # pool value 1: totals are fractions
    lvr_end, lp_end = r.lvr[:, -1] / years, (fees[:, -1] - r.lvr[:, -1]) / years
    root_n = np.sqrt(n_paths)
    arrays = dict(days=np.arange(r.t.size), lvr=r.lvr.mean(axis=0), fees=fees.mean(axis=0),
                  arb_fees=r.arb_fees.mean(axis=0), theory=r.lvr_theory.mean(axis=0), sigmas=_SIGMAS,
                  lvr_curve=arb.lvr_rate(_SIGMAS), expected_curve=arb.expected_lvr(_SIGMAS))
    for a in arrays.values():
        a.setflags(write=False)
    return LVRView(
        **arrays, lvr_year=float(lvr_end.mean()), lvr_year_se=float(lvr_end.std(ddof=1) / root_n),
        fees_year=float(fees[:, -1].mean() / years), arb_fees_year=float(r.arb_fees[:, -1].mean() / years),
        lp_vs_rebalancing=float(lp_end.mean()), lp_vs_rebalancing_se=float(lp_end.std(ddof=1) / root_n),
        breakeven_volume=arb.breakeven_volume(sigma, fee) if fee > 0 else float("inf"),
        noise_fee_level=fee * volume, n_paths=n_paths, seed=seed, lvr_expected=float(arb.expected_lvr(sigma)),
    )


def lvr_summary(v: LVRView) -> str:
    """The dashboard's one-line summary (plain words, no double negatives), as HTML."""
    verdict = "beats" if v.lp_vs_rebalancing >= 0 else "trails"
    be = "none" if not np.isfinite(v.breakeven_volume) else f"{v.breakeven_volume:,.1f}x pool"
    return (f"LVR <b>{v.lvr_year:.2%} ± {v.lvr_year_se:.2%}</b> of the starting pool value per year · fees "
            f"<b>{v.fees_year:.2%}</b> (arbitrageurs pay {v.arb_fees_year:.2%}) · the LP <b>{verdict}</b> "
            f"rebalancing by <b>{abs(v.lp_vs_rebalancing):.2%} ± {v.lp_vs_rebalancing_se:.2%}</b> per year "
            f"(± one standard error, {v.n_paths} paths, seed {v.seed}) · uninformed volume that pays σ²/8 "
            f"alone (ignoring the arbitrageurs' own fees): {be} per year")


class LVRDashboard(Dashboard):
    """What arbitrage costs a liquidity provider (LVR) against the fees it earns."""

    title = "Loss-versus-rebalancing against fee income (one simulated year)"

    def controls_(self):
        return {
            "sigma": slider("volatility (per year)", 0.8, 0.1, 1.5, 0.05, fmt=".0%"),
            "fee": dropdown("fee tier", FEE_TIERS, 0.003),
            "volume": slider("uninformed volume (x pool per year)", 10.0, 0.0, 100.0, 1.0, fmt=".0f"),
            "seed": int_slider("random seed (new paths)", 2026, 2000, 2050),
        }

    def compute(self, **values):
        return lvr_view(**values)

    def setup(self, fig):
        self.ax_time, self.ax_sigma = fig.subplots(1, 2)
        fixed_two_panel_layout(fig)
        ax = self.ax_time
        self.l_lvr = self.dynamic(*ax.plot([], [], color="tab:red", label="LVR (simulated)"))
        self.l_theory = self.dynamic(*ax.plot([], [], color="tab:red", ls=":", label="σ²/8 × current value, summed"))
        self.l_fees = self.dynamic(*ax.plot([], [], color="tab:green", label="fees earned"))
        ax.set_xlim(0, 365)
        ax.set(title="Cumulative, mean of simulated paths", xlabel="day", ylabel="% of starting pool value")
        ax.legend(loc="upper left", fontsize=8)
        ax = self.ax_sigma
        self.l_rate = self.dynamic(*ax.plot(_SIGMAS * 100, 100 * arb.lvr_rate(_SIGMAS), color="tab:red", ls=":",
                                            label="σ²/8 (rate on the current value)"))
        self.l_curve = self.dynamic(*ax.plot(_SIGMAS * 100, 100 * arb.expected_lvr(_SIGMAS), color="tab:red",
                                             label=r"expected over a year: $1 - e^{-\sigma^2/8}$"))
        self.l_noise = self.dynamic(ax.axhline(0, color="tab:green", ls="--", label="fees from uninformed volume"))
        self.m_fees = self.dynamic(*ax.plot([], [], "s", color="tab:green", label="all fees (this setting)"))
        self.m_now = self.dynamic(*ax.plot([], [], "o", color="black", label="simulated LVR (this setting)"))
        ax.set_xlim(0, _SIGMAS[-1] * 100 + 8)   # room for the dot at the slider's maximum
        ax.set(title="One year, by volatility", xlabel="volatility (% per year)", ylabel="% of starting pool value")
        ax.legend(loc="upper left", fontsize=8)

    def draw(self, v: LVRView) -> str:
        self.l_lvr.set_data(v.days, 100 * v.lvr)
        self.l_theory.set_data(v.days, 100 * v.theory)
        self.l_fees.set_data(v.days, 100 * v.fees)
        top = 100 * max(v.lvr.max(), v.theory.max(), v.fees.max(), 1e-4)
        self.fit(self.ax_time, 0.0, top, pad=0.4)
        start_at_zero(self.ax_time, "y")
        self.l_noise.set_ydata([100 * v.noise_fee_level] * 2)
        sigma = self.controls["sigma"].value
        self.m_now.set_data([sigma * 100], [100 * v.lvr_year])
        self.m_fees.set_data([sigma * 100], [100 * v.fees_year])       # arbitrageurs' fees included
        self.fit(self.ax_sigma, 0.0, 100 * max(v.lvr_curve.max(), v.noise_fee_level, v.lvr_year, v.fees_year),
                 pad=0.6)
        start_at_zero(self.ax_sigma, "y")
        return lvr_summary(v)
