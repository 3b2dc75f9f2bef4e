"""Notebook 03's dashboard: a model licence's fee, owners' shares and usage -> each owner's payout.

``license_view(...)`` is the pure compute function (tested in tests/test_chain.py); it uses the
exact Python mirror of ModelLicense's split (:func:`cryptocourse.chain.license_payouts`), so the
numbers are the contract's to the wei, without running the EVM on every slider move.
``LicenseDashboard`` is the thin view over it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .. import chain
from ._base import Dashboard, int_slider, log_slider, slider

OWNERS = ("Lab A", "Uni B", "Clinic C")
#: gas of one ModelLicense.withdraw() transaction as measured on the course EVM in notebook 03
#: (21,000 intrinsic + execution - storage refund; about 30,100 gas)
WITHDRAW_GAS = 30_141


@dataclass(frozen=True)
class LicenseView:
    """Everything the licence dashboard shows."""

    fee_wei: int                 # fee of one use (wei)
    shares: list[int]            # owners' shares
    payouts_wei: list[int]       # each owner's revenue after `uses` uses (wei, exact)
    payouts_eth: np.ndarray      # the same in ether
    withdraw_cost_eth: float     # gas cost of one withdrawal (ether)
    net_eth: np.ndarray          # payout minus one withdrawal (ether)
    uses_axis: np.ndarray        # number of uses, for the revenue curves
    cumulative_eth: np.ndarray   # shape (3, len(uses_axis)): each owner's revenue (ether)
    uses_to_cover: list[int | None]  # uses before each owner's revenue pays one withdrawal (None: never)


def license_view(fee_eth: float = 0.001, share_a: int = 5, share_b: int = 3, share_c: int = 2,
                 uses: float = 1_000, gas_gwei: float = 20.0) -> LicenseView:
    """Owners' payouts from a ModelLicense after ``uses`` paid uses, and their net after withdrawing.

    Parameters
    ----------
    fee_eth : float
        Fee per use (ether).
    share_a, share_b, share_c : int
        The three owners' shares (positive integers).
    uses : float
        Number of paid uses, rounded to the nearest whole number (as the slider's readout shows it).
    gas_gwei : float
        Gas price (gwei per gas) paid by an owner to withdraw.

    >>> v = license_view(fee_eth=0.001, share_a=5, share_b=3, share_c=2, uses=1000)
    >>> [round(float(x), 6) for x in v.payouts_eth]
    [0.5, 0.3, 0.2]
    >>> license_view(fee_eth=0.0001, gas_gwei=100).uses_to_cover   # 30,141 gas x 100 gwei vs each cut
    [61, 101, 151]
    """
    from .._validate import integer, number

    # a log slider gives fees like 10**-3.95 = 0.000112201845430196...: more decimals than wei have.
    # The fee is what the slider shows, 4 significant digits, which is always a whole number of wei.
    fee_wei = chain.ether(f"{number('fee_eth', fee_eth, lo=0, hi=1e9):.4g}")
    shares = [integer(n, s, lo=1, why="every owner needs a positive share")
              for n, s in (("share_a", share_a), ("share_b", share_b), ("share_c", share_c))]
    n_uses = round(number("uses", uses, lo=0, hi=1e15))     # the readout rounds to nearest: so do we
    gas_gwei = number("gas_gwei", gas_gwei, lo=0)
    payouts = chain.license_payouts(fee_wei, shares, n_uses)
    payouts_eth = np.array(payouts, dtype=float) / chain.WEI_PER_ETHER
    cost = WITHDRAW_GAS * gas_gwei * 1e-9
    axis = np.round(np.linspace(0, max(n_uses, 1), 51))  # whole numbers of uses
    cuts = chain.split_fee(fee_wei, shares)
    per_use = np.array(cuts, dtype=float) / chain.WEI_PER_ETHER
    # smallest n with n * cut >= cost, in wei; the gas price (gwei) as an exact fraction
    cost_wei = WITHDRAW_GAS * Fraction(gas_gwei) * 10**9
    to_cover = [math.ceil(cost_wei / cut) if cut else None for cut in cuts]
    return LicenseView(fee_wei, shares, payouts, payouts_eth, cost, payouts_eth - cost,
                       axis, per_use[:, None] * axis[None, :], to_cover)


def _nice_ceiling(x: float) -> float:
    """The smallest of 1, 2, 5 x 10**k that is >= x (axis limits that move only in steps).

    >>> [_nice_ceiling(x) for x in (0.3, 1, 1.5, 4.9, 5.1)]
    [0.5, 1.0, 2.0, 5.0, 10.0]
    """
    import math

    if x <= 0:
        return 1.0
    e = math.floor(math.log10(x))
    for m in (1, 2, 5, 10):
        if m * 10.0**e >= x * (1 - 1e-12):
            return m * 10.0**e
    return 10.0 ** (e + 1)  # pragma: no cover


class LicenseDashboard(Dashboard):
    """Fee, shares and usage of the licence -> what each owner earns and keeps."""

    title = "Model licence: who earns what?"

    def controls_(self):
        return {
            "fee_eth": log_slider("fee per use (ETH)", 0.001, -5, -1, fmt=".4g"),
            "share_a": int_slider("share of Lab A", 5, 1, 10),
            "share_b": int_slider("share of Uni B", 3, 1, 10),
            "share_c": int_slider("share of Clinic C", 2, 1, 10),
            "uses": log_slider("number of uses", 1_000, 0, 6, fmt=",.0f"),
            "gas_gwei": slider("gas price (gwei)", 20.0, 1.0, 200.0, 1.0, fmt=".0f"),
        }

    def compute(self, **values):
        return license_view(**values)

    def setup(self, fig):
        # fixed margins: tick labels change width with the scale, a one-off layout would clip them
        fig.set_layout_engine("none")
        self.ax_bar, self.ax_line = fig.subplots(1, 2, gridspec_kw=dict(
            left=0.1, right=0.98, bottom=0.16, top=0.86, wspace=0.3))
        ax = self.ax_bar
        colours = ["tab:blue", "tab:orange", "tab:green"]
        self.bars = [self.dynamic(b) for b in ax.bar(OWNERS, [0, 0, 0], color=colours)]
        self.cost_line = self.dynamic(ax.axhline(0, color="tab:red", ls="--", lw=1, label="cost of one withdrawal"))
        ax.set(title="Each owner's revenue", ylabel="revenue (ETH)")
        ax.legend(loc="upper right", fontsize=8)
        ax = self.ax_line
        self.lines = [self.dynamic(*ax.plot([], [], color=c, label=o)) for c, o in zip(colours, OWNERS, strict=True)]
        ax.set(title="Revenue as uses accumulate", xlabel="number of uses", ylabel="revenue (ETH)")
        ax.legend(loc="upper left", fontsize=8)
        for ax in (self.ax_bar, self.ax_line):  # tick labels keep their width whatever the scale
            ax.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
        self.ax_line.ticklabel_format(axis="x", style="sci", scilimits=(0, 3))

    def draw(self, v: LicenseView) -> str:
        for bar, value in zip(self.bars, v.payouts_eth, strict=True):
            bar.set_height(value)
        self.cost_line.set_ydata([v.withdraw_cost_eth, v.withdraw_cost_eth])
        # limits on a 1-2-5 grid: most slider moves keep the axes still (blitted, fast)
        self.ax_bar.set_ylim(0, _nice_ceiling(1.1 * max(v.payouts_eth.max(), v.withdraw_cost_eth)))
        for line, ys in zip(self.lines, v.cumulative_eth, strict=True):
            line.set_data(v.uses_axis, ys)
        self.ax_line.set_xlim(0, _nice_ceiling(float(v.uses_axis[-1])))
        self.ax_line.set_ylim(0, _nice_ceiling(1.1 * max(v.cumulative_eth.max(), 1e-12)))
        total = sum(v.shares)
        parts = " · ".join(f"{o} ({s}/{total}): <b>{p:.6f} ETH</b>"
                           for o, s, p in zip(OWNERS, v.shares, v.payouts_eth, strict=True))
        losers = [o for o, net in zip(OWNERS, v.net_eth, strict=True) if net < 0]
        warn = (f" · withdrawing costs {v.withdraw_cost_eth:.6f} ETH: <b>{', '.join(losers)} would lose money</b>"
                if losers else f" · one withdrawal costs {v.withdraw_cost_eth:.6f} ETH")
        cover = " · ".join(f"{o} {n:,}" if n is not None else f"{o} never" for o, n in zip(OWNERS, v.uses_to_cover, strict=True))
        return parts + warn + f" · uses until the revenue covers one withdrawal: {cover}"
