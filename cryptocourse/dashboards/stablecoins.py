"""Notebook 09b's dashboard: a MakerDAO vault along an ETH price path, its liquidation and auction.

``vault_view(...)`` is the pure compute function (tested in tests/test_stablecoins.py);
``VaultDashboard`` is the thin view over it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import stablecoins as sc
from .._validate import fail, integer, number
from ._base import Dashboard, int_slider, slider

ETH_PRICE = 2_000.0   # starting ETH price of the simulation (USD), an illustrative round number
DAYS = 180
AUCTION_MINUTES = 60  # the auction panel shows its first hour


@lru_cache(maxsize=64)
def _path(volatility: float, seed: int) -> np.ndarray:
    """One seeded daily price path (geometric Brownian motion, no drift), starting at 1."""
    from ..risk import gbm_paths

    path = gbm_paths(1.0, 0.0, volatility, n_paths=1, n_steps=DAYS, seed=seed)[0]
    path.flags.writeable = False
    return path


@dataclass(frozen=True)
class VaultView:
    """Everything the vault dashboard shows (floats; USD = DAI at the peg)."""

    days: np.ndarray                # 0 .. DAYS
    price: np.ndarray               # ETH price (USD)
    debt: np.ndarray                # DAI owed, stability fee included (nan after a liquidation)
    ratio: np.ndarray               # collateralisation ratio (nan after a liquidation)
    liquidation_price: np.ndarray   # ETH price at which the vault is unsafe (nan after)
    liquidation_ratio: float        # ETH-A's 1.45
    liquidation_day: int            # first day below the liquidation ratio, -1 if never
    start_ratio: float
    auction_seconds: np.ndarray     # the auction's clock (s)
    auction_price: np.ndarray       # the auction's price along it (DAI per ETH; empty without one)
    outcome: sc.AuctionOutcome | None
    owner_eth_end: float            # ETH the owner holds at the end (vault or returned)
    owner_equity_end: float         # its value minus any debt left, at the last price (USD)
    equity_without_liquidation: float  # the same had the vault never been liquidated (USD)


def vault_view(collateral_eth: float = 10.0, debt_dai: float = 10_000.0, volatility: float = 0.8,
               seed: int = 7, fee: float = 0.015, penalty: float = 0.13, buf: float = 1.10,
               keeper_margin: float = 0.02) -> VaultView:
    """Follow an ETH-A-style vault for 180 days along one seeded price path (pure, floats).

    *Assumptions:* ETH starts at 2,000 USD and follows a geometric Brownian motion
    (``volatility`` a year, no drift); DAI stays at 1 USD; the debt grows at the stability
    ``fee`` (compounded every second); the vault is barked on the first day its ratio is below
    ETH-A's 145 %; the auction follows ETH-A's curve (step 90 s, cut 0.99, tail 2 h, cusp 45 %)
    from ``buf`` x the price and one keeper buys ``keeper_margin`` below the market (see
    :func:`cryptocourse.stablecoins.liquidation_outcome`); the owner keeps the returned ETH.

    >>> v = vault_view()
    >>> round(v.start_ratio, 2), v.liquidation_ratio
    (2.0, 1.45)
    """
    q = number("collateral_eth", collateral_eth, lo=0, lo_open=True, hi=1e6, why="ETH locked")
    d = number("debt_dai", debt_dai, lo=0, hi=1e9, why="DAI drawn")
    vol = number("volatility", volatility, lo=0, hi=3, why="a yearly volatility: 0.8 is 80 %")
    seed = integer("seed", seed, lo=0, why="a whole number")
    f = number("fee", fee, lo=0, hi=1, why="a yearly fee as a fraction: 0.015 is 1.5 %")
    lr = sc.ETH_A.liquidation_ratio
    dust = sc.ETH_A.dust / sc.RAD
    if 0 < d < dust:
        fail("debt_dai", f"0 or >= {dust:,.0f} DAI", d, "ETH-A's dust: smaller vaults are not allowed")
    limit = float(sc.max_draw(q, ETH_PRICE, lr))
    if d > limit * (1 + 1e-12):
        fail("debt_dai", f"<= {limit:,.0f} DAI", d,
             f"{q:g} ETH at {ETH_PRICE:,.0f} USD back at most that much at a {lr:.0%} ratio")
    days = np.arange(DAYS + 1)
    price = ETH_PRICE * _path(vol, seed)
    debt = d * (1 + f) ** (days / 365)
    ratio = np.asarray(sc.collateralization_ratio(q, price, debt))
    liq = np.asarray(sc.vault_liquidation_price(q, debt, lr))
    below = np.flatnonzero(ratio < lr)
    day = int(below[0]) if below.size else -1
    seconds = np.arange(0, AUCTION_MINUTES * 60 + 1, 30)
    if day >= 0:
        outcome = sc.liquidation_outcome(q, float(debt[day]), float(price[day]), penalty=penalty, buf=buf,
                                         step=sc.ETH_A.step, cut=sc.ETH_A.cut / sc.RAY,
                                         keeper_margin=keeper_margin, tail=sc.ETH_A.tail,
                                         cusp=sc.ETH_A.cusp / sc.RAY)
        curve = outcome.top * (sc.ETH_A.cut / sc.RAY) ** (seconds // sc.ETH_A.step)
        after = days > day
        debt, ratio, liq = (np.where(after, np.nan, a) for a in (debt, ratio, liq))
        eth_end = outcome.collateral_returned   # nan if no keeper bought before a reset
        equity = eth_end * price[-1]
    else:
        outcome, curve = None, np.array([])
        eth_end = q
        equity = q * price[-1] - debt[-1]
    return VaultView(days=days, price=price, debt=debt, ratio=ratio, liquidation_price=liq,
                     liquidation_ratio=lr, liquidation_day=day, start_ratio=float(ratio[0]),
                     auction_seconds=seconds, auction_price=curve, outcome=outcome,
                     owner_eth_end=float(eth_end), owner_equity_end=float(equity),
                     equity_without_liquidation=float(q * price[-1] - d * (1 + f) ** (DAYS / 365)))


class VaultDashboard(Dashboard):
    """An ETH-A vault's ratio along a simulated ETH price path, its liquidation and the auction."""

    title = ("Your vault along a price path: ratio, liquidation, auction (ETH-A parameters of March 2023; "
             "simulated, seeded)")
    figsize = (9.0, 4.8)

    def controls_(self):
        return {
            "collateral_eth": slider("collateral (ETH)", 10.0, 6.0, 50.0, 0.5, fmt=".1f"),
            "debt_dai": slider("debt drawn (DAI)", 10_000.0, 7_500.0, 60_000.0, 500.0, fmt=",.0f"),
            "volatility": slider("ETH volatility (per year)", 0.8, 0.0, 1.5, 0.05, fmt=".0%"),
            "seed": int_slider("price path (seed)", 7, 0, 50),
            "fee": slider("stability fee (per year)", 0.015, 0.0, 0.20, 0.005, fmt=".1%"),
            "penalty": slider("liquidation penalty", 0.13, 0.0, 0.30, 0.01, fmt=".0%"),
            "buf": slider("auction start (x price)", 1.10, 1.0, 1.5, 0.01, fmt=".2f"),
            "keeper_margin": slider("keeper's margin below market", 0.02, 0.0, 0.20, 0.01, fmt=".0%"),
        }

    def compute(self, **values):
        return vault_view(**values)

    def setup(self, fig):
        grid = fig.add_gridspec(2, 2, width_ratios=(1.5, 1.0))
        self.ax_price = fig.add_subplot(grid[0, 0])
        self.ax_ratio = fig.add_subplot(grid[1, 0], sharex=self.ax_price)
        self.ax_auction = fig.add_subplot(grid[:, 1])
        ax = self.ax_price
        self.line_price = self.dynamic(*ax.plot([], [], color="tab:blue", label="ETH price"))
        self.line_liq = self.dynamic(*ax.plot([], [], color="tab:red", ls="--", lw=1, label="liquidation price"))
        self.mark_price = self.dynamic(*ax.plot([], [], "x", color="black", ms=8, label="barked"))
        ax.set_xlim(0, DAYS)
        ax.set_ylim(0, 10_000)  # widest tick labels first (the layout is fixed after the first draw)
        ax.set(title="ETH price and the price that liquidates the vault", ylabel="USD per ETH")
        ax.legend(loc="lower left", fontsize=7, ncols=3)
        ax = self.ax_ratio
        self.line_ratio = self.dynamic(*ax.plot([], [], color="tab:purple"))
        ax.axhline(sc.ETH_A.liquidation_ratio * 100, color="tab:red", lw=1)
        self.mark_ratio = self.dynamic(*ax.plot([], [], "x", color="black", ms=8))
        ax.set(title="Collateralisation ratio (red: ETH-A's 145 %)", xlabel="day", ylabel="ratio (%)")
        ax.set_ylim(0, 500)
        ax = self.ax_auction
        self.line_auction = self.dynamic(*ax.plot([], [], color="tab:orange", drawstyle="steps-post",
                                                  label="auction price"))
        self.line_market = self.dynamic(*ax.plot([], [], color="tab:blue", lw=1, label="market price"))
        self.mark_take = self.dynamic(*ax.plot([], [], "o", color="black", label="keeper takes"))
        self.text_auction = self.dynamic(ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center",
                                                 va="center", fontsize=9, color="grey"))
        self.text_keeps = self.dynamic(ax.text(0.04, 0.04, "", transform=ax.transAxes, ha="left",
                                               va="bottom", fontsize=8))
        ax.set_xlim(0, AUCTION_MINUTES)
        ax.set_ylim(0, 10_000)
        ax.set(title="The Dutch auction (first hour)", xlabel="minutes after bark", ylabel="DAI per ETH")
        ax.legend(loc="upper right", fontsize=7)

    def draw(self, v: VaultView) -> str:
        self.line_price.set_data(v.days, v.price)
        self.line_liq.set_data(v.days, v.liquidation_price)
        self.line_ratio.set_data(v.days, v.ratio * 100)
        top = max(float(np.nanmax(v.price)), float(np.nanmax(v.liquidation_price)))
        self.fit(self.ax_price, 0.0, top)
        self.fit(self.ax_ratio, 0.0, max(float(np.nanmax(v.ratio)) * 100, 200.0))
        o = v.outcome
        if o is None:
            for line in (self.mark_price, self.mark_ratio, self.line_auction, self.line_market, self.mark_take):
                line.set_data([], [])
            self.text_auction.set_text("no liquidation on this path")
            self.text_keeps.set_text("")
            what = (f"<b>never liquidated</b>; at the end the owner holds {v.owner_eth_end:.2f} ETH and owes "
                    f"{v.debt[-1]:,.0f} DAI: equity <b>{v.owner_equity_end:,.0f} USD</b>")
        else:
            d = v.liquidation_day
            self.mark_price.set_data([d], [v.price[d]])
            self.mark_ratio.set_data([d], [v.ratio[d] * 100])
            minutes = v.auction_seconds / 60
            self.line_auction.set_data(minutes, v.auction_price)
            self.line_market.set_data([0, minutes[-1]], [v.price[d]] * 2)
            self.text_auction.set_text("")
            self.fit(self.ax_auction, 0.0, o.top)
            if np.isfinite(o.take_seconds):
                self.mark_take.set_data([o.take_seconds / 60], [o.take_price])
                self.text_keeps.set_text(f"tab {o.tab:,.0f} DAI: keeper buys {o.collateral_sold:.2f} ETH\n"
                                         f"owner gets back {o.collateral_returned:.2f} ETH")
                what = (f"<b>barked on day {d}</b> at {v.price[d]:,.0f} USD: tab <b>{o.tab:,.0f} DAI</b> (debt + "
                        f"penalty); a keeper buys <b>{o.collateral_sold:.3f} ETH</b> after {o.take_seconds / 60:.1f} "
                        f"min at {o.take_price:,.0f} DAI; the owner gets back <b>{o.collateral_returned:.3f} ETH</b>"
                        f" (worth {v.owner_equity_end:,.0f} USD at the end")
                if o.bad_debt > 0:
                    what += f"; <b>bad debt {o.bad_debt:,.0f} DAI</b>"
                what += ")"
            else:
                self.mark_take.set_data([], [])
                self.text_keeps.set_text("no keeper buys before a reset")
                what = (f"<b>barked on day {d}</b>: no keeper buys before the auction needs a reset "
                        f"(margin too high)")
        return (f"start: ratio <b>{v.start_ratio:.0%}</b>, liquidation price {v.liquidation_price[0]:,.0f} USD "
                f"· {what} · without a liquidation: {v.equity_without_liquidation:,.0f} USD")
