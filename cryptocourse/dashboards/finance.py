"""Notebook 01's dashboard: compounding, real yield and the break-even position size.

``money_math_view(...)`` is the pure compute function (tested in tests/test_dashboards.py);
``MoneyMathDashboard`` is the thin view over it. This file is the worked example of the
dashboard pattern (see ``cryptocourse/dashboards/_base.py``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import finance
from ._base import Dashboard, dropdown, log_slider, slider

COMPOUNDING = [("yearly", 1), ("monthly", 12), ("daily", 365), ("continuous", math.inf)]


@dataclass(frozen=True)
class MoneyMathView:
    """Everything the money-math dashboard shows, in numbers."""

    apy: float                 # effective yield per year (fraction)
    real_apy: float            # after inflation (fraction)
    break_even_usd: float      # smallest position that pays the fixed costs in the holding period
    profit_usd: float          # profit of the chosen position over the holding period, after costs
    years: np.ndarray          # time axis for the growth curve
    nominal_value: np.ndarray  # 1,000 tokens deposited, over time (tokens)
    real_value: np.ndarray     # the same in purchasing power / network share
    sizes: np.ndarray          # position sizes for the profit curve (USD)
    profits: np.ndarray        # profit of each size over the holding period (USD)


def money_math_view(apr: float = 0.10, periods_per_year: float = 365, inflation: float = 0.03,
                    fixed_costs: float = 20.0, days: float = 30, size: float = 5_000.0,
                    horizon_years: float = 5.0) -> MoneyMathView:
    """Compute every number the money-math dashboard shows (pure, no plotting).

    >>> v = money_math_view(apr=0.10, periods_per_year=365, inflation=0.0)
    >>> round(v.apy, 6), round(v.real_apy, 6)
    (0.105156, 0.105156)
    """
    years = np.linspace(0.0, horizon_years, 121)
    apy = finance.apr_to_apy(apr, periods_per_year)
    real = finance.real_yield(apy, inflation)
    sizes = np.geomspace(100, 100_000, 200)
    profits = finance.net_profit(sizes, apr, days, fixed_costs, periods_per_year)
    return MoneyMathView(
        apy=apy,
        real_apy=real,
        break_even_usd=finance.break_even_size(fixed_costs, apr, days, periods_per_year),
        profit_usd=finance.net_profit(size, apr, days, fixed_costs, periods_per_year),
        years=years,
        nominal_value=1000 * (1 + apy) ** years,
        real_value=1000 * (1 + real) ** years,
        sizes=sizes,
        profits=profits,
    )


class MoneyMathDashboard(Dashboard):
    """APR -> APY, nominal vs real growth, and profit against position size after gas."""

    title = "Money math: compounding, inflation and the break-even size"

    def controls_(self):
        return {
            "apr": slider("APR (per year)", 0.10, 0.01, 1.0, 0.01, fmt=".0%"),
            "periods_per_year": dropdown("compounding", COMPOUNDING, 365),
            "inflation": slider("token inflation (per year)", 0.03, 0.0, 0.5, 0.01, fmt=".0%"),
            "fixed_costs": slider("gas + fees (USD, in and out)", 20.0, 0.0, 200.0, 1.0, fmt=".0f"),
            "days": slider("holding period (days)", 30, 1, 365, 1, fmt=".0f"),
            "size": log_slider("position size (USD)", 5_000, 2, 5, fmt=",.0f"),
        }

    def compute(self, **values):
        return money_math_view(**values)

    def setup(self, fig):
        self.ax_growth, self.ax_profit = fig.subplots(1, 2)
        ax = self.ax_growth
        self.line_nominal = self.dynamic(*ax.plot([], [], color="tab:blue", label="nominal (tokens held)"))
        self.line_real = self.dynamic(*ax.plot([], [], color="tab:orange",
                                               label="real (share of all tokens, in today's tokens)"))
        ax.axhline(1000, color="grey", lw=0.8, ls=":")
        ax.set(title="1,000 tokens deposited", xlabel="years", ylabel="tokens (USD only at a constant price)")
        ax.legend(loc="upper left", fontsize=8)
        ax = self.ax_profit
        self.line_profit = self.dynamic(*ax.plot([], [], color="tab:green"))
        ax.axhline(0, color="grey", lw=0.8)
        self.break_even_line = self.dynamic(ax.axvline(1, color="tab:red", ls="--", lw=1, label="break-even size"))
        self.marker = self.dynamic(*ax.plot([], [], "o", color="black", label="your position"))
        ax.set_xlim(100, 100_000)
        ax.set(xscale="log", title="Profit over the holding period", xlabel="position size (USD)",
               ylabel="profit after costs (USD)")
        ax.legend(loc="upper left", fontsize=8)

    def draw(self, v: MoneyMathView) -> str:
        self.line_nominal.set_data(v.years, v.nominal_value)
        self.line_real.set_data(v.years, v.real_value)
        top = max(v.nominal_value.max(), v.real_value.max())
        bottom = min(v.nominal_value.min(), v.real_value.min())
        self.ax_growth.set_xlim(0, v.years[-1])
        self.fit(self.ax_growth, bottom, top)
        self.line_profit.set_data(v.sizes, v.profits)
        self.break_even_line.set_xdata([v.break_even_usd, v.break_even_usd])
        size = self.controls["size"].value
        self.marker.set_data([size], [v.profit_usd])
        self.fit(self.ax_profit, min(v.profits.min(), v.profit_usd), max(v.profits.max(), v.profit_usd))
        verdict = "profit" if v.profit_usd >= 0 else "loss"
        return (
            f"APY <b>{v.apy:.2%}</b> · real yield after inflation <b>{v.real_apy:.2%}</b> per year · "
            f"break-even size <b>{v.break_even_usd:,.0f} USD</b>"
            f"{'' if 100 <= v.break_even_usd <= 100_000 else ' (off the chart)'} · your position: "
            f"<b>{v.profit_usd:+,.2f} USD</b> ({verdict}) over the holding period"
        )
