"""Notebook 12's dashboard: what a governance token's cash flow is worth.

``token_value_view(...)`` is the pure compute function (tested in tests/test_tokens.py);
``TokenValueDashboard`` is the thin view over it.
"""
from __future__ import annotations

from dataclasses import dataclass

import math

import numpy as np

from .. import tokens
from .._validate import integer, number
from ._base import Dashboard, dropdown, fixed_two_panel_layout, log_slider, slider, start_at_zero

SUPPLY = 1_000_000_000  # tokens outstanding in the dashboard's example protocol
HORIZONS = [("5 years", 5), ("10 years", 10), ("30 years", 30), ("forever", 0)]
_YEARS = np.arange(1, 31)
_RATES = np.linspace(0.02, 0.60, 117)


@dataclass(frozen=True)
class TokenValueView:
    """Everything the token-value dashboard shows (USD per token unless said otherwise)."""

    value: float                 # value per token today (inf if the perpetuity diverges)
    value_no_emissions: float    # the same without dilution
    holder_cash_year1: float     # USD per token paid in year 1 (before discounting)
    market_cap: float            # value * supply (USD): the model's value of all tokens, not a market price
    years: np.ndarray            # 1..30
    cash_per_token: np.ndarray   # cash paid to one of today's tokens each year (undiscounted)
    pv_per_token: np.ndarray     # the same, discounted to today
    rates: np.ndarray            # discount-rate grid
    value_by_rate: np.ndarray    # value per token on that grid (with emissions; nan where infinite)
    value_by_rate_no_em: np.ndarray  # without emissions


def _value(fees, share, rate, growth, emission, years):
    d = (1 + emission) * np.asarray(1 + rate, dtype=float)
    if years == 0:
        with np.errstate(divide="ignore", invalid="ignore"):
            q = (1 + growth) / d
            out = share * fees / (SUPPLY * d) / (1 - q)
        # nothing paid to holders is worth nothing, however fast the (unpaid) fees grow
        return np.where(np.asarray(share * fees) == 0, 0.0, np.where(q < 1, out, np.inf))
    return np.asarray(tokens.token_value_dcf(fees, share, rate, growth, emission, supply=SUPPLY, years=years))


def token_value_view(annual_fees: float = 50e6, holder_share: float = 0.5, discount_rate: float = 0.20,
                     growth: float = 0.10, emission_rate: float = 0.10, years: int = 0) -> TokenValueView:
    """Compute the token-value dashboard's numbers (pure). ``years=0`` means forever.

    The example protocol has 1 billion tokens; ``annual_fees`` is its revenue in year 1 (USD),
    ``holder_share`` the part paid to holders (the fee switch), the rest is the usual DCF of
    :func:`cryptocourse.tokens.token_value_dcf`.

    >>> v = token_value_view(50e6, 0.5, 0.20, 0.10, 0.0, years=0)   # 25M / (1.2 - 1.1) / 1e9
    >>> round(v.value, 4)
    0.25
    >>> v = token_value_view(50e6, 0.5, 0.05, 0.10, 0.0, years=0)   # growth beats the rate
    >>> v.value
    inf
    >>> token_value_view(50e6, 0.0, 0.05, 0.10, 0.0, years=0).value  # but nothing is paid to holders
    0.0
    """
    f = number("annual_fees", annual_fees, lo=0, hi=1e12, why="protocol revenue in year 1, USD")
    s = number("holder_share", holder_share, lo=0, hi=1, why="fraction of revenue paid to holders")
    r = number("discount_rate", discount_rate, lo=0.0, lo_open=True, hi=1.0, why="required return per year")
    g = number("growth", growth, lo=-0.5, hi=1.0, why="growth of fees per year")
    e = number("emission_rate", emission_rate, lo=0, hi=1.0, why="new tokens per year, fraction of supply")
    years = integer("years", years, lo=0, hi=1000, why="the horizon in whole years, 0 for ever")
    value = float(_value(f, s, r, g, e, years))
    no_em = float(_value(f, s, r, g, 0.0, years))
    cash = s * f * (1 + g) ** (_YEARS - 1) / (SUPPLY * (1 + e) ** _YEARS)
    pv = cash / (1 + r) ** _YEARS
    if years:
        pv = np.where(_YEARS <= years, pv, 0.0)
    by_rate = _value(f, s, _RATES, g, e, years)
    by_rate_no = _value(f, s, _RATES, g, 0.0, years)
    return TokenValueView(
        value=value, value_no_emissions=no_em, holder_cash_year1=float(cash[0]),
        market_cap=value * SUPPLY, years=_YEARS, cash_per_token=cash, pv_per_token=pv, rates=_RATES,
        value_by_rate=np.where(np.isfinite(by_rate), by_rate, np.nan),
        value_by_rate_no_em=np.where(np.isfinite(by_rate_no), by_rate_no, np.nan),
    )


class TokenValueDashboard(Dashboard):
    """Fees, the share paid to holders, the discount rate and emissions: what is one token worth?"""

    title = "What is a governance token's cash flow worth? (1 billion tokens)"

    def controls_(self):
        return {
            "annual_fees": log_slider("protocol fees, year 1 (USD)", 50e6, 5, 9, fmt=",.0f"),
            "holder_share": slider("share paid to holders", 0.5, 0.0, 1.0, 0.05, fmt=".0%"),
            "discount_rate": slider("discount rate (per year)", 0.20, 0.05, 0.60, 0.01, fmt=".0%"),
            "growth": slider("fee growth (per year)", 0.10, -0.20, 0.50, 0.01, fmt=".0%"),
            "emission_rate": slider("token emissions (per year)", 0.10, 0.0, 0.50, 0.01, fmt=".0%"),
            "years": dropdown("horizon", HORIZONS, 0),
        }

    def compute(self, **values):
        return token_value_view(**values)

    def setup(self, fig):
        self.ax_years, self.ax_rate = fig.subplots(1, 2)
        fixed_two_panel_layout(fig)
        ax = self.ax_years
        self.l_cash = self.dynamic(*ax.plot(_YEARS, np.zeros_like(_YEARS, dtype=float), "o-", ms=3,
                                            color="tab:blue", label="cash per token"))
        self.l_pv = self.dynamic(*ax.plot(_YEARS, np.zeros_like(_YEARS, dtype=float), "o-", ms=3,
                                          color="tab:orange", label="its value today"))
        ax.set_xlim(0, 31)
        ax.set(title="Cash to one of today's tokens", xlabel="year", ylabel="USD per token")
        ax.legend(loc="upper right", fontsize=8)
        ax = self.ax_rate
        self.l_rate = self.dynamic(*ax.plot(_RATES * 100, np.zeros_like(_RATES), color="tab:green",
                                            label="with emissions"))
        self.l_rate0 = self.dynamic(*ax.plot(_RATES * 100, np.zeros_like(_RATES), color="grey", ls="--",
                                             label="no emissions"))
        self.m_now = self.dynamic(*ax.plot([], [], "o", color="black", label="your inputs"))
        ax.set_xlim(_RATES[0] * 100, _RATES[-1] * 100)
        ax.set(title="Value per token by discount rate", xlabel="discount rate (% per year)",
               ylabel="USD per token")
        ax.legend(loc="upper right", fontsize=8)

    def draw(self, v: TokenValueView) -> str:
        self.l_cash.set_ydata(v.cash_per_token)
        self.l_pv.set_ydata(v.pv_per_token)
        self.fit(self.ax_years, 0.0, max(v.cash_per_token.max(), 1e-9), pad=0.4)
        start_at_zero(self.ax_years, "y")
        self.l_rate.set_ydata(v.value_by_rate)
        self.l_rate0.set_ydata(v.value_by_rate_no_em)
        rate = self.controls["discount_rate"].value
        shown = v.value if np.isfinite(v.value) else np.nan
        self.m_now.set_data([rate * 100], [shown])
        finite = v.value_by_rate_no_em[np.isfinite(v.value_by_rate_no_em)]
        top = min(finite.max() if finite.size else 1.0, 100 * max(v.holder_cash_year1, 1e-9))
        self.fit(self.ax_rate, 0.0, max(top, shown if np.isfinite(shown) else 0.0, 1e-9), pad=0.4)
        start_at_zero(self.ax_rate, "y")
        if not np.isfinite(v.value):
            return ("Value per token: <b>infinite</b>: fees grow at least as fast as the discount rate and "
                    "dilution together, forever. No real asset does that: pick a finite horizon or a lower growth.")
        if not np.isfinite(v.value_no_emissions):
            dilution = " · without emissions the value would be infinite"
        elif v.value_no_emissions > 0:
            taken = 1 - v.value / v.value_no_emissions
            share = "more than 99%" if 0.99 < taken < 1 else f"{taken:.0%}"
            dilution = f" · emissions take <b>{share}</b> of the value"
        else:
            dilution = " · no cash reaches holders, so there is nothing to dilute"
        return (f"Value per token <b>{_usd(v.value)}</b> (all 1B tokens: <b>{_usd(v.market_cap)}</b>) · "
                f"year-1 cash per token {_usd(v.holder_cash_year1)}{dilution}")


def _usd(x: float) -> str:
    """A USD amount readable at any size: 4 significant digits below 1 USD, M / B above a million."""
    if x >= 1e9:
        return f"{x / 1e9:,.2f}B USD"
    if x >= 1e6:
        return f"{x / 1e6:,.1f}M USD"
    if x >= 1:
        return f"{x:,.2f} USD"
    if x <= 0:
        return "0 USD"
    decimals = min(12, 3 - math.floor(math.log10(x)))     # 4 significant digits, never 1e-06 notation
    return f"{x:.{decimals}f} USD"
