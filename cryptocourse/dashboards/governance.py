"""Notebook 04's dashboard: one population, four voting rules, and how captured the vote is.

``governance_view(...)`` is the pure compute function (tested in tests/test_governance.py);
``GovernanceDashboard`` is the thin view over it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import governance as g
from ._base import Dashboard, dropdown, int_slider, log_slider, slider

VOTE_RULES = ("one_person", "token", "quadratic")
LABELS = {"one_person": "one person,\none vote", "token": "token-\nweighted", "quadratic": "quadratic"}


@dataclass(frozen=True)
class GovernanceView:
    """Everything the governance dashboard shows, in numbers."""

    rules: tuple                 # the three ballot rules, in bar order
    share_for: np.ndarray        # For / (For + Against) under each rule (fraction)
    passed: np.ndarray           # did the proposal pass under each rule (quorum included)
    head_share_for: float        # share of people voting For (after delegation, people follow their delegate)
    conviction_periods: float    # periods of staking until conviction passes (inf: never)
    conviction_threshold: float  # conviction needed (token-periods)
    gini: float                  # Gini of token voting power after delegation
    nakamoto: int                # fewest accounts holding > 50 % of token voting power
    whale_share: float           # whales' share of token voting power after delegation
    lorenz_x: np.ndarray         # cumulative share of accounts (poorest first)
    lorenz_y: np.ndarray         # cumulative share of voting power


def governance_view(n_whales: int = 3, whale_tokens: float = 200_000.0, n_small: int = 300,
                    whale_support: float = 0.0, small_support: float = 0.65,
                    delegation: float = 0.0, quorum: float = 0.04, counting: str = "oz",
                    requested_share: float = 0.05, seed: int = 2026) -> GovernanceView:
    """Compute every number the governance dashboard shows (pure, no plotting).

    Small holders own 1,000 tokens on average (exponentially spread); each voter has
    100 quadratic-voting credits; delegators give their weight to a random whale.
    The conviction rule asks for ``requested_share`` of a common pool of 1 % of supply.

    >>> v = governance_view(n_whales=3, whale_support=0.0, small_support=1.0)
    >>> v.passed.tolist()
    [True, False, True]
    """
    pop = g.make_population(n_whales=n_whales, whale_tokens=whale_tokens, n_small=n_small,
                            small_tokens=1_000.0, whale_support=whale_support,
                            small_support=small_support, delegation=delegation, credits=100.0,
                            seed=seed)
    funds = 0.01 * float(pop.tokens.sum())
    res = g.compare_rules(pop, delegation="one_hop", quorum=quorum, counting=counting,
                          requested=requested_share * funds, funds=funds)
    power = res["token"]["power"]
    total = power.sum()
    xs = np.sort(power)
    lorenz_y = np.concatenate([[0.0], np.cumsum(xs) / total])
    lorenz_x = np.linspace(0.0, 1.0, xs.size + 1)
    heads = res["one_person"]
    return GovernanceView(
        rules=VOTE_RULES,
        share_for=np.array([res[r]["share_for"] for r in VOTE_RULES]),
        passed=np.array([res[r]["passed"] for r in VOTE_RULES]),
        head_share_for=float(heads["share_for"]),
        conviction_periods=float(res["conviction"]["time_to_pass"]),
        conviction_threshold=float(res["conviction"]["threshold"]),
        gini=float(res["token"]["gini"]),
        nakamoto=int(res["token"]["nakamoto"]),
        whale_share=float(power[:n_whales].sum() / total),
        lorenz_x=lorenz_x,
        lorenz_y=lorenz_y,
    )


class GovernanceDashboard(Dashboard):
    """Whales, small holders and delegation: who wins under each voting rule."""

    title = "One population, four voting rules"
    figsize = (8.6, 3.4)

    def controls_(self):
        return {
            "n_whales": int_slider("whales", 3, 0, 10),
            "whale_tokens": log_slider("tokens per whale", 200_000, 3, 6, fmt=",.0f"),
            "n_small": int_slider("small holders", 300, 10, 1000, 10),
            "whale_support": slider("whales voting For", 0.0, 0.0, 1.0, 0.05, fmt=".0%"),
            "small_support": slider("small holders voting For", 0.65, 0.0, 1.0, 0.05, fmt=".0%"),
            "delegation": slider("small holders delegating to a whale", 0.0, 0.0, 1.0, 0.05, fmt=".0%"),
            "quorum": slider("quorum (share of all votes)", 0.04, 0.0, 0.6, 0.01, fmt=".0%"),
            "counting": dropdown("quorum counts", [("For + Abstain (OpenZeppelin)", "oz"),
                                                   ("For only (Compound Bravo)", "bravo")], "oz"),
        }

    def compute(self, **values):
        return governance_view(**values)

    def setup(self, fig):
        self.ax_bars, self.ax_lorenz = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})
        ax = self.ax_bars
        x = np.arange(len(VOTE_RULES))
        self.bars = ax.bar(x, [0.5] * len(x), color="tab:grey", width=0.6)
        for bar in self.bars:
            self.dynamic(bar)
        self.bar_text = [self.dynamic(ax.text(i, 0.02, "", ha="center", va="bottom", fontsize=9,
                                              color="white", weight="bold")) for i in x]
        ax.axhline(0.5, color="black", lw=0.8, ls="--")
        ax.set_xticks(x, [LABELS[r] for r in VOTE_RULES], fontsize=8)
        ax.set_ylim(0, 1)
        ax.set(title="Share of votes For (green: passes)", ylabel="For / (For + Against)")
        ax = self.ax_lorenz
        ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls=":", label="perfect equality")
        self.lorenz = self.dynamic(*ax.plot([], [], color="tab:purple", label="token voting power"))
        ax.set(xlim=(0, 1), ylim=(0, 1), title="Who holds the votes (Lorenz curve)",
               xlabel="share of accounts (smallest first)", ylabel="share of voting power")
        ax.legend(loc="upper left", fontsize=8)

    def draw(self, v: GovernanceView) -> str:
        for bar, text, share, ok in zip(self.bars, self.bar_text, v.share_for, v.passed):
            h = 0.0 if not np.isfinite(share) else float(share)
            bar.set_height(h)
            bar.set_color("tab:green" if ok else "tab:red")
            text.set_text(f"{h:.0%}")
        self.lorenz.set_data(v.lorenz_x, v.lorenz_y)
        conv = ("never passes" if not np.isfinite(v.conviction_periods)
                else f"passes after <b>{v.conviction_periods:.0f} periods</b>")
        return (f"Token voting power: whales hold <b>{v.whale_share:.0%}</b>, Gini <b>{v.gini:.2f}</b>, "
                f"Nakamoto coefficient <b>{v.nakamoto}</b> · conviction voting (the For side stakes "
                f"its tokens): {conv}")
