"""Notebook 04's dashboard: one population, four voting rules, turnout, quorum and capture.

``governance_view(...)`` is the pure compute function (tested in tests/test_governance.py);
``GovernanceDashboard`` is the thin view over it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import governance as g
from .._validate import integer
from ._base import Dashboard, dropdown, int_slider, log_slider, slider

VOTE_RULES = ("one_person", "token", "quadratic")
LABELS = {"one_person": "one person,\none vote", "token": "token-\nweighted", "quadratic": "quadratic"}
SHORT = {"one_person": "one-person-one-vote", "token": "token voting", "quadratic": "quadratic voting"}
COUNTING = {"oz": "For + Abstain", "bravo": "For only"}


@dataclass(frozen=True)
class GovernanceView:
    """Everything the governance dashboard shows, in numbers."""

    rules: tuple                 # the three ballot rules, in bar order
    share_for: np.ndarray        # For / (For + Against) among the ballots cast, per rule (fraction)
    passed: np.ndarray           # did the proposal pass under each rule (quorum included)
    turnout: np.ndarray          # share of all weight (heads, tokens, quadratic votes) that was cast, per rule
    quorum_counted: np.ndarray   # weight counted toward the quorum, as a share of all weight, per rule
    quorum_reached: np.ndarray   # did the counted weight reach the quorum, per rule
    quorum: float                # the quorum: a share of all weight (of the total supply, for tokens)
    counting: str                # "oz" (For + Abstain count toward quorum) or "bravo" (For only)
    head_share_for: float        # share of heads voting For (after delegation, people follow their delegate)
    conviction_periods: float    # periods of staking until conviction passes (inf: never)
    conviction_threshold: float  # conviction needed (token-periods)
    gini: float                  # Gini of token voting power after delegation
    nakamoto: int                # fewest accounts holding > 50 % of token voting power
    whale_share: float           # whales' share of token voting power after delegation
    lorenz_x: np.ndarray         # cumulative share of accounts (poorest first)
    lorenz_y: np.ndarray         # cumulative share of voting power
    seed: int                    # the seed of the small holders' draws


def governance_view(n_whales: int = 3, whale_tokens: float = 200_000.0, n_small: int = 300,
                    whale_support: float = 0.0, small_support: float = 0.65,
                    delegation: float = 0.0, turnout: float = 1.0, abstain: float = 0.0,
                    quorum: float = 0.04, counting: str = "oz",
                    requested_share: float = 0.05, seed: int = 2026) -> GovernanceView:
    """Compute every number the governance dashboard shows (pure, no plotting).

    Small holders own 1,000 tokens on average (exponentially spread); each voter has
    100 quadratic-voting credits; delegators give their weight to a random whale.
    Whales always vote; a small holder casts a ballot with probability ``turnout``
    and, if it does, abstains with probability ``abstain``. The quorum is a share of
    ALL weight (the total token supply under token voting, all heads under
    one-person-one-vote), as OpenZeppelin's GovernorVotesQuorumFraction measures it;
    ``counting`` says which ballots count toward it. The conviction rule asks for
    ``requested_share`` of a common pool of 1 % of supply.

    >>> v = governance_view(n_whales=3, whale_support=0.0, small_support=1.0)
    >>> v.passed.tolist()
    [True, False, True]
    >>> governance_view(turnout=0.05).quorum_reached.tolist()   # too few heads vote
    [False, False, False]
    """
    seed = integer("seed", seed, lo=0, why="a whole number")
    pop = g.make_population(n_whales=n_whales, whale_tokens=whale_tokens, n_small=n_small,
                            small_tokens=1_000.0, whale_support=whale_support,
                            small_support=small_support, delegation=delegation, credits=100.0,
                            seed=seed, turnout=turnout, abstain=abstain)
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
        turnout=np.array([res[r]["turnout"] for r in VOTE_RULES]),
        quorum_counted=np.array([res[r]["quorum_counted"] / res[r]["total"] for r in VOTE_RULES]),
        quorum_reached=np.array([res[r]["quorum_reached"] for r in VOTE_RULES]),
        quorum=float(quorum),
        counting=counting,
        head_share_for=float(heads["share_for"]),
        conviction_periods=float(res["conviction"]["time_to_pass"]),
        conviction_threshold=float(res["conviction"]["threshold"]),
        gini=float(res["token"]["gini"]),
        nakamoto=int(res["token"]["nakamoto"]),
        whale_share=float(power[:n_whales].sum() / total),
        lorenz_x=lorenz_x,
        lorenz_y=lorenz_y,
        seed=seed,
    )


class GovernanceDashboard(Dashboard):
    """Whales, small holders, turnout and delegation: who wins under each voting rule."""

    title = "One population, three ballots: who votes, what counts, who wins"
    figsize = (10.4, 3.5)

    def controls_(self):
        return {
            "n_whales": int_slider("whales (always vote)", 3, 0, 10),
            "whale_tokens": log_slider("tokens per whale", 200_000, 3, 6, fmt=",.0f"),
            "n_small": int_slider("small holders", 300, 10, 1000, 10),
            "whale_support": slider("whales voting For", 0.0, 0.0, 1.0, 0.05, fmt=".0%"),
            "small_support": slider("small holders preferring For", 0.65, 0.0, 1.0, 0.05, fmt=".0%"),
            "delegation": slider("small holders delegating to a whale", 0.0, 0.0, 1.0, 0.05, fmt=".0%"),
            "turnout": slider("small holders who vote (turnout)", 1.0, 0.0, 1.0, 0.05, fmt=".0%"),
            "abstain": slider("of those, voting Abstain", 0.0, 0.0, 1.0, 0.05, fmt=".0%"),
            "quorum": slider("quorum (share of ALL weight)", 0.04, 0.0, 0.6, 0.01, fmt=".0%"),
            "counting": dropdown("counted toward quorum", [("For + Abstain (OpenZeppelin)", "oz"),
                                                           ("For only (Compound Bravo)", "bravo")], "oz"),
            "seed": int_slider("random seed (new small holders)", 2026, 2000, 2050),
        }

    def compute(self, **values):
        return governance_view(**values)

    def setup(self, fig):
        # fixed margins instead of the constrained layout: the first draw is ~0.1 s faster (notebook
        # 04 must run in under 5 s) and nothing in this figure changes size
        fig.set_layout_engine("none")
        self.ax_bars, self.ax_quorum, self.ax_lorenz = fig.subplots(
            1, 3, gridspec_kw=dict(width_ratios=[1, 1, 0.95], left=0.055, right=0.99, bottom=0.2, top=0.84,
                                   wspace=0.32))
        x = np.arange(len(VOTE_RULES))
        ticks = [LABELS[r] for r in VOTE_RULES]
        ax = self.ax_bars
        self.bars = ax.bar(x, [0.5] * len(x), color="tab:grey", width=0.6)
        for bar in self.bars:
            self.dynamic(bar)
        self.bar_text = [self.dynamic(ax.text(i, 0.02, "", ha="center", va="bottom", fontsize=8,
                                              weight="bold")) for i in x]
        ax.axhline(0.5, color="black", lw=0.8, ls="--")
        ax.set_xticks(x, ticks, fontsize=8)
        ax.set_ylim(0, 1)
        ax.set(title="For among ballots cast\n(green: passes, quorum included)", ylabel="For / (For + Against)")
        ax = self.ax_quorum
        self.q_bars = ax.bar(x, [0.1] * len(x), color="tab:blue", width=0.6)
        for bar in self.q_bars:
            self.dynamic(bar)
        self.q_text = [self.dynamic(ax.text(i, 0.02, "", ha="center", va="bottom", fontsize=8)) for i in x]
        self.q_line = self.dynamic(ax.axhline(0.04, color="tab:red", lw=1.2, ls="--", label="quorum"))
        self.turn_marks = self.dynamic(*ax.plot(x, [0.5] * len(x), "v", color="black", ms=6,
                                                 label="turnout (all ballots)"))
        ax.set_xticks(x, ticks, fontsize=8)
        ax.set_ylim(0, 1)
        ax.set(title="Counted toward quorum\n(share of ALL weight)", ylabel="share of all weight")
        ax.legend(loc="upper right", fontsize=7)
        ax = self.ax_lorenz
        ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls=":", label="perfect equality")
        self.lorenz = self.dynamic(*ax.plot([], [], color="tab:purple", label="token voting power"))
        ax.set(xlim=(0, 1), ylim=(0, 1), title="Who holds the votes\n(Lorenz curve)",
               xlabel="share of accounts (smallest first)", ylabel="share of voting power")
        ax.legend(loc="upper left", fontsize=7)

    def draw(self, v: GovernanceView) -> str:
        for bar, text, share, ok in zip(self.bars, self.bar_text, v.share_for, v.passed, strict=True):
            h = 0.0 if not np.isfinite(share) else float(share)
            bar.set_height(h)
            bar.set_color("tab:green" if ok else "tab:red")
            text.set_y(h + 0.01)
            text.set_text(f"{h:.0%}" if np.isfinite(share) else "no votes")
        for bar, text, counted, ok in zip(self.q_bars, self.q_text, v.quorum_counted, v.quorum_reached, strict=True):
            bar.set_height(float(counted))
            bar.set_color("tab:blue" if ok else "tab:orange")
            text.set_y(float(counted) + 0.01)
            text.set_text(f"{counted:.1%}")
        self.q_line.set_ydata([v.quorum, v.quorum])
        self.turn_marks.set_ydata(v.turnout)
        self.lorenz.set_data(v.lorenz_x, v.lorenz_y)
        conv = ("never passes" if not np.isfinite(v.conviction_periods)
                else f"passes after <b>{v.conviction_periods:.0f} periods</b>")
        turnout = ", ".join(f"{name} <b>{t:.0%}</b>" for name, t in
                            zip(("heads", "tokens", "quadratic votes"), v.turnout, strict=True))
        missing = [SHORT[r] for r, ok in zip(v.rules, v.quorum_reached, strict=True) if not ok]
        quorum = (f"quorum {v.quorum:.0%} of all weight, counting {COUNTING[v.counting]}: "
                  + (f"<b>missed</b> by {', '.join(missing)}" if missing else "<b>reached</b> by every rule"))
        return (f"Turnout: {turnout} · {quorum}<br>"
                f"Token voting power: whales hold <b>{v.whale_share:.0%}</b>, Gini <b>{v.gini:.2f}</b>, "
                f"Nakamoto coefficient <b>{v.nakamoto}</b> · conviction voting (the For side stakes "
                f"its tokens): {conv} · seed {v.seed}")
