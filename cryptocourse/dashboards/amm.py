"""Notebook 07's dashboards: a pool explorer, constant product vs StableSwap, a V3 range picker.

Each has a pure compute function (``pool_explorer_view``, ``stableswap_view``, ``range_view``;
tested in tests/test_amm.py) and a thin view over it (see ``cryptocourse/dashboards/_base.py``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import amm
from ._base import Dashboard, dropdown, log_slider, slider

FEE_TIERS = [("0.01%", 1), ("0.05%", 5), ("0.30% (Uniswap V2)", 30), ("1%", 100)]
_WEI = 10**18


def _to_wei(tokens: float) -> int:
    return int(round(tokens * _WEI))


# ---------------------------------------------------------------------------------------------
# 1. Pool explorer
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PoolExplorerView:
    """Everything the pool explorer shows (token X sold into a pool of X and Y)."""

    amount_out: float          # Y received (tokens)
    amount_out_wei: int        # the same from the exact Uniswap V2 integer math (wei)
    spot_before: float         # Y per X before the trade
    spot_after: float          # Y per X after the trade
    execution_price: float     # Y per X actually paid
    price_impact: float        # 1 - execution / spot, fee included (fraction)
    curve_impact: float        # the same without the fee: dx / (x + dx)
    fee_paid: float            # X kept by the pool for LPs (tokens)
    k_growth: float            # k_after / k_before - 1 (fraction): the LPs' income
    curve_x: np.ndarray        # the curve x * y = k (X tokens)
    curve_y: np.ndarray        # (Y tokens)
    before: tuple              # (x, y) before the trade
    after: tuple               # (x, y) after
    sizes: np.ndarray          # trade sizes as a fraction of reserve X
    impacts: np.ndarray        # price impact (fee included) of each size


def pool_explorer_view(reserve_x: float = 1_000.0, reserve_y: float = 3_000_000.0, fee_bps: int = 30,
                       trade: float = 10.0) -> PoolExplorerView:
    """Compute the pool explorer: sell ``trade`` X into a constant-product pool (pure).

    >>> v = pool_explorer_view(reserve_x=5.0, reserve_y=10.0, fee_bps=30, trade=1.0)
    >>> v.amount_out_wei
    1662497915624478906
    >>> round(v.price_impact, 4)
    0.1688
    """
    fee = fee_bps / 10_000
    out = amm.amount_out(trade, reserve_x, reserve_y, fee)
    exact = amm.get_amount_out(max(_to_wei(trade), 1), _to_wei(reserve_x), _to_wei(reserve_y), int(fee_bps))
    x1, y1 = reserve_x + trade, reserve_y - out
    k = reserve_x * reserve_y
    lo, hi = min(reserve_x, x1) / 4, max(reserve_x, x1) * 2.5
    cx = np.geomspace(lo, hi, 200)
    sizes = np.geomspace(1e-4, 10.0, 120)
    return PoolExplorerView(
        amount_out=out, amount_out_wei=exact,
        spot_before=reserve_y / reserve_x, spot_after=y1 / x1,
        execution_price=out / trade,
        price_impact=amm.price_impact(trade, reserve_x, reserve_y, fee),
        curve_impact=amm.price_impact(trade, reserve_x, reserve_y, 0.0),
        fee_paid=trade * fee, k_growth=x1 * y1 / k - 1,
        curve_x=cx, curve_y=amm.constant_product_curve(cx, k),
        before=(reserve_x, reserve_y), after=(x1, y1),
        sizes=sizes, impacts=amm.price_impact(sizes * reserve_x, reserve_x, reserve_y, fee),
    )


class PoolExplorerDashboard(Dashboard):
    """Sell token X into an x*y=k pool: output, price impact, new price, fee income."""

    title = "Pool explorer: one swap on a constant-product pool"

    def controls_(self):
        return {
            "reserve_x": log_slider("reserve of X (tokens)", 1_000, 0, 6, fmt=",.4g"),
            "reserve_y": log_slider("reserve of Y (tokens)", 3_000_000, 2, 9, fmt=",.4g"),
            "fee_bps": dropdown("fee tier", FEE_TIERS, 30),
            "trade": log_slider("you sell (X tokens)", 10, -2, 5, fmt=",.4g"),
        }

    def compute(self, **values):
        return pool_explorer_view(**values)

    def setup(self, fig):
        self.ax_curve, self.ax_impact = fig.subplots(1, 2)
        ax = self.ax_curve
        self.curve = self.dynamic(*ax.plot([], [], color="tab:blue", label="x · y = k"))
        self.path = self.dynamic(*ax.plot([], [], color="tab:red", lw=2.5, label="your trade"))
        self.pt_before = self.dynamic(*ax.plot([], [], "o", color="black", label="before"))
        self.pt_after = self.dynamic(*ax.plot([], [], "o", color="tab:red", mfc="white", label="after"))
        ax.set(title="The pool's curve", xlabel="reserve of X (tokens)", ylabel="reserve of Y (tokens)")
        ax.ticklabel_format(style="sci", scilimits=(-3, 4))
        ax.legend(loc="upper right", fontsize=8)
        ax = self.ax_impact
        self.impact_line = self.dynamic(*ax.plot([], [], color="tab:purple"))
        self.impact_pt = self.dynamic(*ax.plot([], [], "o", color="black", label="your trade"))
        ax.set_xlim(1e-4 * 100, 10.0 * 100)
        ax.set_ylim(0.005, 100)
        ax.set(xscale="log", yscale="log", title="Price impact against trade size",
               xlabel="trade size (% of reserve X)", ylabel="price impact incl. fee (%)")
        ax.legend(loc="upper left", fontsize=8)

    def draw(self, v: PoolExplorerView) -> str:
        self.curve.set_data(v.curve_x, v.curve_y)
        self.path.set_data(*_segment(v.before, v.after))
        self.pt_before.set_data([v.before[0]], [v.before[1]])
        self.pt_after.set_data([v.after[0]], [v.after[1]])
        self.fit(self.ax_curve, 0.0, v.curve_x[-1], axis="x")
        self.fit(self.ax_curve, 0.0, min(v.curve_y[0], 4 * v.before[1]), axis="y")
        self.impact_line.set_data(v.sizes * 100, v.impacts * 100)
        trade = v.after[0] - v.before[0]
        self.impact_pt.set_data([trade / v.before[0] * 100], [max(v.price_impact * 100, 0.005)])
        exact = ("Uniswap V2's exact integer math" if self.controls["fee_bps"].value == 30
                 else "V2's integer formula with this fee")
        return (f"you get <b>{v.amount_out:,.6g} Y</b> ({exact}: {v.amount_out_wei:,} wei) · "
                f"price {v.spot_before:,.6g} → <b>{v.spot_after:,.6g} Y per X</b> · you paid "
                f"{v.execution_price:,.6g} Y per X: price impact <b>{v.price_impact:.3%}</b> "
                f"({v.curve_impact:.3%} from the curve, the rest is the fee) · fee to LPs "
                f"{v.fee_paid:,.4g} X, k grew {v.k_growth:.4%}")


def _segment(before, after):
    """Points between two pool states, interpolating log k (the fee makes k grow along the way)."""
    (x0, y0), (x1, y1) = before, after
    xs = np.geomspace(x0, x1, 30)
    t = np.log(xs / x0) / np.log(x1 / x0) if x1 != x0 else np.zeros_like(xs)
    k = (x0 * y0) * ((x1 * y1) / (x0 * y0)) ** t
    return xs, k / xs


# ---------------------------------------------------------------------------------------------
# 2. Constant product vs StableSwap
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StableSwapView:
    """Curves of a 2-coin pool (both coins worth 1 USD) and the output of one trade."""

    amp: float
    curve_x: np.ndarray
    cp_y: np.ndarray           # constant product through the same balanced point
    ss_y: np.ndarray           # StableSwap with this amp
    sum_y: np.ndarray          # constant sum
    trade: float               # coin 0 sold (tokens)
    ss_out: float              # coin 1 received from StableSwap (tokens)
    cp_out: float              # from constant product (tokens)
    ss_price_after: float      # marginal price of coin 0 in coin 1 after the trade
    sizes: np.ndarray          # trade sizes (% of one side's balance)
    ss_loss: np.ndarray        # 1 - out/in (%) for StableSwap
    cp_loss: np.ndarray        # the same for constant product
    depeg_price: float         # coin 1's market price (USD); 1.0 = on its peg
    depeg_good: float          # StableSwap balances after arbitrage to that price (tokens)
    depeg_bad: float
    depeg_bad_share: float     # coin 1 / all tokens in the StableSwap pool after arbitrage
    depeg_lp_vs_hodl: float    # StableSwap LP value / holding the deposit - 1 (fraction, <= 0)
    cp_depeg_bad_share: float  # the same two numbers for the constant-product pool
    cp_depeg_lp_vs_hodl: float


def stableswap_view(amp: float = 200.0, trade_pct: float = 10.0, depeg_price: float = 1.0,
                    balance: float = 1_000_000.0) -> StableSwapView:
    """Compare a StableSwap pool with a constant-product pool holding the same balances (pure, fee 0).

    ``depeg_price`` is coin 1's market price (USD): arbitrageurs trade each pool until it quotes
    that price (:func:`cryptocourse.amm.stableswap_depeg`; for constant product the impermanent
    loss of notebook 08).

    >>> v = stableswap_view(amp=200, trade_pct=10)
    >>> round(v.ss_out), round(v.cp_out)
    (99950, 90909)
    >>> v = stableswap_view(amp=200, depeg_price=0.9)
    >>> round(v.depeg_bad_share, 3), round(v.depeg_lp_vs_hodl, 4), round(v.cp_depeg_lp_vs_hodl, 4)
    (0.926, -0.0386, -0.0014)
    """
    D = 2.0 * balance
    x = np.geomspace(balance / 50, balance * 1.98, 300)
    dx = balance * trade_pct / 100
    ss_after = float(amm.stableswap_curve(balance + dx, D, amp))
    sizes = np.linspace(0.5, 100.0, 200)
    dxs = balance * sizes / 100
    ss_outs = balance - amm.stableswap_curve(balance + dxs, D, amp)
    cp_outs = amm.amount_out(dxs, balance, balance, 0.0)
    dep = amm.stableswap_depeg(amp, depeg_price, balance)
    return StableSwapView(
        amp=amp, curve_x=x, cp_y=balance**2 / x, ss_y=amm.stableswap_curve(x, D, amp), sum_y=D - x,
        trade=dx, ss_out=balance - ss_after, cp_out=amm.amount_out(dx, balance, balance, 0.0),
        ss_price_after=amm.stableswap_spot_price(0, 1, [balance + dx, ss_after], amp),
        sizes=sizes, ss_loss=(1 - ss_outs / dxs) * 100, cp_loss=(1 - cp_outs / dxs) * 100,
        depeg_price=float(depeg_price), depeg_good=dep["good"], depeg_bad=dep["bad"],
        depeg_bad_share=dep["bad_share"], depeg_lp_vs_hodl=dep["lp_vs_hodl"],
        cp_depeg_bad_share=1.0 / (1.0 + float(depeg_price)),     # x_bad / (x_bad + x_good) = 1 / (1 + p)
        cp_depeg_lp_vs_hodl=amm.impermanent_loss(float(depeg_price)),
    )


class StableSwapDashboard(Dashboard):
    """How Curve's amplification A flattens the curve near the peg."""

    title = "Constant product vs StableSwap (two coins pegged to 1 USD, 1M of each, no fee)"

    def controls_(self):
        return {
            "amp": log_slider("A (Curve's stored A)", 200, 0, 4, fmt=",.0f"),
            "trade_pct": slider("you sell (% of one side)", 10.0, 0.5, 100.0, 0.5, fmt=".1f"),
            "depeg_price": slider("coin 1's market price (USD)", 1.0, 0.5, 1.0, 0.01, fmt=".2f"),
        }

    def compute(self, **values):
        return stableswap_view(**values)

    def setup(self, fig):
        self.ax_curve, self.ax_loss = fig.subplots(1, 2)
        ax = self.ax_curve
        self.cp = self.dynamic(*ax.plot([], [], color="tab:blue", label="constant product x·y=k"))
        self.ss = self.dynamic(*ax.plot([], [], color="tab:green", lw=2, label="StableSwap"))
        self.sum = self.dynamic(*ax.plot([], [], color="grey", ls="--", label="constant sum x+y=D"))
        self.pt0 = self.dynamic(*ax.plot([], [], "o", color="black", label="balanced pool"))
        self.pt1 = self.dynamic(*ax.plot([], [], "o", color="tab:green", mfc="white", label="after your trade"))
        self.pt_depeg = self.dynamic(*ax.plot([], [], "X", color="tab:red", ms=8,
                                              label="after arbitrage to coin 1's price"))
        ax.set_xlim(0, 2.0e6)
        ax.set_ylim(0, 2.0e6)
        ax.set(title="Pool curves through the same point", xlabel="coin 0 balance (tokens)",
               ylabel="coin 1 balance (tokens)")
        ax.legend(loc="lower left", fontsize=6.5, framealpha=0.9)
        ax = self.ax_loss
        self.loss_ss = self.dynamic(*ax.plot([], [], color="tab:green", label="StableSwap"))
        self.loss_cp = self.dynamic(*ax.plot([], [], color="tab:blue", label="constant product"))
        self.loss_pt = self.dynamic(*ax.plot([], [], "o", color="black"))
        ax.set_xlim(0, 100)
        ax.set_ylim(1e-4, 100)
        ax.set(yscale="log", title="What a trade loses to the curve", xlabel="trade size (% of one side)",
               ylabel="1 - received / sold (%, log scale)")
        ax.legend(loc="upper left", fontsize=8)

    def draw(self, v: StableSwapView) -> str:
        self.cp.set_data(v.curve_x, v.cp_y)
        self.ss.set_data(v.curve_x, v.ss_y)
        self.sum.set_data(v.curve_x, v.sum_y)
        b = v.curve_x[0] * 50
        self.pt0.set_data([b], [b])
        self.pt1.set_data([b + v.trade], [b - v.ss_out])
        self.loss_ss.set_data(v.sizes, v.ss_loss)
        self.loss_cp.set_data(v.sizes, v.cp_loss)
        self.loss_pt.set_data([v.trade / b * 100], [max((1 - v.ss_out / v.trade) * 100, 1e-4)])
        self.pt_depeg.set_data([v.depeg_good], [v.depeg_bad])
        text = (f"selling <b>{v.trade:,.0f}</b> of coin 0: StableSwap pays <b>{v.ss_out:,.2f}</b>, "
                f"constant product pays <b>{v.cp_out:,.2f}</b> · after the trade StableSwap prices coin 0 "
                f"at {v.ss_price_after:.4f} of coin 1")
        if v.depeg_price < 1.0:
            text += (f"<br>coin 1 depegs to <b>{v.depeg_price:.2f} USD</b>: after arbitrage the StableSwap pool "
                     f"is <b>{v.depeg_bad_share:.1%}</b> coin 1 and its LPs are <b>{v.depeg_lp_vs_hodl:.2%}</b> "
                     f"against holding; constant product: {v.cp_depeg_bad_share:.1%} coin 1, "
                     f"{v.cp_depeg_lp_vs_hodl:.2%}")
        return text


# ---------------------------------------------------------------------------------------------
# 3. Uniswap V3 range picker
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RangeView:
    """A V3 position opened at price 1 with 10,000 USD, seen at a later price."""

    lower: float
    upper: float
    price_ratio: float
    efficiency: float          # capital efficiency vs full range at entry
    value_x: float             # USD in token X now
    value_y: float             # USD in token Y now
    il_range: float            # impermanent loss of the range now (fraction)
    il_full: float             # full range, same move
    in_range: bool
    ratios: np.ndarray         # price ratios for the curves
    il_range_curve: np.ndarray
    il_full_curve: np.ndarray


def range_view(lower: float = 0.8, upper: float = 1.25, price_ratio: float = 1.1,
               deposit: float = 10_000.0) -> RangeView:
    """Compute the range picker (pure): efficiency, composition now, IL of range vs full range.

    >>> v = range_view(lower=0.25, upper=4.0, price_ratio=1.0)
    >>> round(v.efficiency, 3), round(v.value_x), round(v.value_y)
    (2.0, 5000, 5000)
    """
    if not lower < 1 < upper:
        raise ValueError(f"the range must contain the entry price: lower < 1 < upper (got {lower}, {upper})")
    L = deposit / sum(amm.amounts_for_liquidity(1.0, lower, upper, 1.0))   # entry value per L is x0 + y0
    x, y = amm.amounts_for_liquidity(price_ratio, lower, upper, L)
    ratios = np.geomspace(0.2, 5.0, 300)
    return RangeView(
        lower=lower, upper=upper, price_ratio=price_ratio,
        efficiency=amm.capital_efficiency(lower, upper),
        value_x=x * price_ratio, value_y=y,
        il_range=amm.impermanent_loss_concentrated(price_ratio, lower, upper),
        il_full=amm.impermanent_loss(price_ratio), in_range=lower <= price_ratio <= upper,
        ratios=ratios, il_range_curve=amm.impermanent_loss_concentrated(ratios, lower, upper),
        il_full_curve=amm.impermanent_loss(ratios),
    )


class RangeDashboard(Dashboard):
    """Pick a V3 range: capital efficiency, what you hold, and the loss when the price moves."""

    title = "Concentrated liquidity: pick a range (10,000 USD deposited at price 1)"

    def controls_(self):
        return {
            "lower": slider("lower bound (× entry price)", 0.8, 0.05, 0.99, 0.01),
            "upper": slider("upper bound (× entry price)", 1.25, 1.01, 5.0, 0.01),
            "price_ratio": log_slider("price now (× entry price)", 1.1, -0.69, 0.69, 0.01, fmt=".3f"),
        }

    def compute(self, **values):
        return range_view(**values)

    def setup(self, fig):
        self.ax_il, self.ax_mix = fig.subplots(1, 2, width_ratios=[2, 1])
        ax = self.ax_il
        self.full = self.dynamic(*ax.plot([], [], color="tab:blue", label="full range (V2)"))
        self.rng = self.dynamic(*ax.plot([], [], color="tab:orange", lw=2, label="your range"))
        self.lo = self.dynamic(ax.axvline(1, color="tab:orange", ls=":", lw=1))
        self.hi = self.dynamic(ax.axvline(1, color="tab:orange", ls=":", lw=1))
        self.now = self.dynamic(*ax.plot([], [], "o", color="black", label="price now"))
        ax.set(xscale="log", title="Impermanent loss vs holding", xlabel="price / entry price",
               ylabel="LP value / value if held - 1 (%)")
        ax.set_xticks([0.2, 0.5, 1, 2, 5], labels=["0.2", "0.5", "1", "2", "5"])
        ax.minorticks_off()
        ax.set_xlim(0.2, 5.0)
        ax.legend(loc="lower left", fontsize=8)
        ax = self.ax_mix
        self.bars = ax.bar(["token X", "token Y"], [0, 0], color=["tab:purple", "tab:gray"])
        for bar in self.bars:
            self.dynamic(bar)
        ax.set_ylim(0, 22_000)
        ax.set(title="Holdings now", ylabel="value (USD)")

    def draw(self, v: RangeView) -> str:
        self.full.set_data(v.ratios, v.il_full_curve * 100)
        self.rng.set_data(v.ratios, v.il_range_curve * 100)
        self.lo.set_xdata([v.lower, v.lower])
        self.hi.set_xdata([v.upper, v.upper])
        self.now.set_data([v.price_ratio], [v.il_range * 100])
        self.fit(self.ax_il, min(v.il_range_curve.min(), v.il_full_curve.min()) * 100, 0.0)
        self.bars[0].set_height(v.value_x)
        self.bars[1].set_height(v.value_y)
        self.fit(self.ax_mix, 0.0, max(v.value_x + v.value_y, 1.0))
        where = "inside the range: earning fees" if v.in_range else "<b>outside the range</b>: no fees, all in one token"
        return (f"capital efficiency <b>{v.efficiency:,.1f}×</b> full range · now {where} · holds "
                f"{v.value_x:,.0f} USD of X + {v.value_y:,.0f} USD of Y · impermanent loss "
                f"<b>{v.il_range:.2%}</b> (full range: {v.il_full:.2%})")
