"""Notebook 08's dashboard: a farm simulator showing the distribution of LP minus HODL.

``farm_view(...)`` is the pure compute function (tested in tests/test_farming.py);
``FarmDashboard`` is the thin view over it (see ``cryptocourse/dashboards/_base.py``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import farming
from ._base import Dashboard, dropdown, int_slider, log_slider, slider

FEE_TIERS = [("0.05%", 0.0005), ("0.30%", 0.003), ("1%", 0.01)]
RANGES = [("full range (V2)", 0.0), ("×/÷ 2 (0.5 to 2)", 1.0), ("±50% (0.67 to 1.5)", 0.5),
          ("±20% (0.83 to 1.2)", 0.2), ("±10% (0.91 to 1.1)", 0.1)]


@dataclass(frozen=True)
class FarmView:
    """Everything the farm simulator shows (USD unless stated)."""

    total: np.ndarray          # LP + fees + rewards - HODL, one value per path
    mean_il: float
    mean_fees: float
    mean_rewards: float        # reward tokens valued when earned
    naive_rewards: float       # what today's incentive APR promises
    fee_apr: float             # fraction per year
    incentive_apr: float       # today's, fraction per year
    p_beats_hodl: float        # share of paths where LP beat HODL
    median: float
    p5: float                  # 5th percentile
    edges: np.ndarray          # histogram bin edges
    counts: np.ndarray         # histogram counts (share of paths per bin)
    n_paths: int
    mean: float                # mean of ``total``
    se_mean: float             # its standard error (another seed typically moves it this much)
    se_p_beats_hodl: float     # standard error of p_beats_hodl
    p_il_below_5pct: float     # share of paths whose impermanent loss is worse than -5 % of HODL
    se_p_il_below_5pct: float


def farm_view(deposit: float = 10_000.0, days: int = 90, sigma: float = 0.8,
              daily_volume: float = 2_000_000.0, fee_tier: float = 0.003, rewards_per_day: float = 5_000.0,
              reward_drift: float = -1.0, range_width: float = 0.0, tvl: float = 10_000_000.0,
              n_paths: int = 2000, seed: int = 2026) -> FarmView:
    """Run ``farming.simulate_farm`` and summarise the distribution of LP minus HODL (pure).

    ``range_width`` 0 means full range; w > 0 means the range [1/(1+w), 1+w] x entry price.
    At most 60 time steps (daily up to 60 days, then longer steps) keep it fast. ``seed`` picks
    the random paths; the ``se_*`` fields say how much another seed moves the headline numbers.

    >>> v = farm_view(n_paths=500)
    >>> bool(v.mean_il < 0 < v.mean_fees), bool(v.mean_rewards < v.naive_rewards)
    (True, True)
    """
    lower, upper = (None, None) if range_width == 0 else (1 / (1 + range_width), 1 + range_width)
    out = farming.simulate_farm(deposit=deposit, days=int(days), sigma=sigma, daily_volume=daily_volume,
                                tvl=tvl, fee_tier=fee_tier, rewards_per_day=rewards_per_day,
                                reward_drift=reward_drift, lower=lower, upper=upper,
                                n_paths=n_paths, seed=seed, dt_days=max(1.0, days / 60))
    total = out["total"]
    lo, hi = np.percentile(total, [0.5, 99.5])
    if hi <= lo:
        lo, hi = lo - 1.0, hi + 1.0
    edges = np.linspace(lo, hi, 41)
    counts, _ = np.histogram(np.clip(total, lo, hi), bins=edges)
    mean, se_mean = farming.mean_and_se(total)
    (p_beats,), (se_beats,) = farming.share_below(-total, [0.0])          # total > 0
    (p_il5,), (se_il5,) = farming.share_below(out["il"] / out["hodl"], [-0.05])
    return FarmView(
        total=total, mean_il=float(out["il"].mean()), mean_fees=float(out["fees"].mean()),
        mean_rewards=float(out["rewards"].mean()), naive_rewards=float(out["naive_rewards"]),
        fee_apr=float(out["fee_apr"]), incentive_apr=float(out["incentive_apr"]),
        p_beats_hodl=float(p_beats), median=float(np.median(total)),
        p5=float(np.percentile(total, 5)), edges=edges, counts=counts / len(total) * 100,
        n_paths=len(total), mean=mean, se_mean=se_mean, se_p_beats_hodl=float(se_beats),
        p_il_below_5pct=float(p_il5), se_p_il_below_5pct=float(se_il5),
    )


class FarmDashboard(Dashboard):
    """Farm simulator: fees and rewards against impermanent loss over 2,000 seeded price paths."""

    title = "Farm simulator: LP minus HODL over 2,000 price paths (10,000 USD, pool TVL 10M USD)"
    figsize = (8.0, 3.3)

    def controls_(self):
        return {
            "days": int_slider("days in the farm", 90, 7, 365, 1),
            "sigma": slider("token volatility (per year)", 0.8, 0.1, 1.5, 0.05, fmt=".0%"),
            "daily_volume": log_slider("pool volume (USD/day)", 2_000_000, 5, 8, fmt=",.3g"),
            "fee_tier": dropdown("fee tier", FEE_TIERS, 0.003),
            "rewards_per_day": log_slider("reward tokens/day (pool)", 5_000, 1, 5, fmt=",.3g"),
            "reward_drift": slider("reward token drift (per year, compounded)", -1.0, -3.0, 1.0, 0.1, fmt=".1f"),
            "range_width": dropdown("position", RANGES, 0.0),
            "seed": int_slider("random seed (new paths)", 2026, 2000, 2100),
        }

    def compute(self, **values):
        return farm_view(**values)

    def setup(self, fig):
        self.ax_hist, self.ax_parts = fig.subplots(1, 2, width_ratios=[3, 2])
        ax = self.ax_hist
        self.stairs = self.dynamic(ax.stairs(np.zeros(40), np.linspace(-1, 1, 41), fill=True,
                                             color="tab:blue", alpha=0.6))
        self.zero = ax.axvline(0, color="black", lw=1)
        self.mean_line = self.dynamic(ax.axvline(0, color="tab:red", ls="--", lw=1.2, label="mean"))
        ax.set(title="LP + fees + rewards - HODL at exit", xlabel="USD (10,000 deposited; tails clipped)",
               ylabel="share of paths (%)")
        ax.legend(loc="upper left", fontsize=8)
        ax = self.ax_parts
        labels = ["impermanent\nloss", "fees", "rewards\n(earned)", "rewards\n(promised)"]
        self.bars = ax.bar(labels, [0, 0, 0, 0], color=["tab:red", "tab:green", "tab:orange", "lightgray"])
        for bar in self.bars:
            self.dynamic(bar)
        ax.axhline(0, color="black", lw=0.8)
        ax.tick_params(axis="x", labelsize=7)
        ax.set(title="Average parts (USD)", ylabel="USD")

    def draw(self, v: FarmView) -> str:
        self.stairs.set_data(values=v.counts, edges=v.edges)
        self.fit(self.ax_hist, v.edges[0], v.edges[-1], axis="x")
        self.fit(self.ax_hist, 0.0, float(v.counts.max()))
        mean = float(v.total.mean())
        self.mean_line.set_xdata([mean, mean])
        parts = [v.mean_il, v.mean_fees, v.mean_rewards, v.naive_rewards]
        for bar, h in zip(self.bars, parts, strict=True):
            bar.set_height(h)
        self.fit(self.ax_parts, min(0.0, *parts), max(0.0, *parts))
        return (f"fee APR <b>{v.fee_apr:.1%}</b> · incentive APR today <b>{v.incentive_apr:.1%}</b> · "
                f"LP beat HODL on <b>{v.p_beats_hodl:.1%} ± {v.se_p_beats_hodl:.1%}</b> of {v.n_paths:,} paths · "
                f"mean <b>{v.mean:+,.0f} ± {v.se_mean:,.2g} USD</b>, median {v.median:+,.0f} USD, "
                f"5th percentile <b>{v.p5:+,.0f} USD</b> (1 path in 20 does worse) · on average: impermanent "
                f"loss <b>{v.mean_il:+,.0f} USD</b>, fees <b>{v.mean_fees:+,.0f} USD</b> · impermanent loss worse "
                f"than -5 % on {v.p_il_below_5pct:.1%} ± {v.se_p_il_below_5pct:.1%} of paths · rewards earned "
                f"{v.mean_rewards:,.0f} USD on average vs {v.naive_rewards:,.0f} USD promised by today's APR"
                f"<br>(± = one standard error: how far another seed typically moves the figure)")
