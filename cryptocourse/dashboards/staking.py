"""Notebook 06's dashboards: Ethereum's issuance curve and a staking calculator.

``issuance_view(...)`` and ``calculator_view(...)`` are the pure compute functions (tested in
tests/test_staking.py); ``IssuanceDashboard`` and ``StakingCalculatorDashboard`` are thin views.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import staking
from .._validate import number
from ._base import Dashboard, dropdown, int_slider, slider

COMPOUNDING = [("not restaked", 0), ("yearly", 1), ("monthly", 12), ("daily", 365)]

_GRID_M = np.linspace(1.0, 60.0, 237)  # total staked, millions of ETH (0.25M steps)
_GRID_APR = staking.eth_staking_apr(_GRID_M * 1e6)
_GRID_ISSUANCE = staking.eth_annual_issuance(_GRID_M * 1e6)


@dataclass(frozen=True)
class IssuanceView:
    """Everything the issuance dashboard shows."""

    staked_m: np.ndarray            # grid of total ETH staked (millions)
    apr: np.ndarray                 # APR on that grid (fraction per year)
    issuance_m: np.ndarray          # new ETH per year on that grid (millions)
    total_staked_m: float           # the chosen total (millions of ETH)
    base_reward_per_increment: int  # Gwei per ETH per epoch (exact spec value)
    apr_now: float                  # fraction per year
    issuance_now_m: float           # millions of ETH per year
    staked_share: float             # total staked / supply
    inflation: float                # gross issuance / supply, per year
    real_yield: float               # a staker's share growth per year
    non_staker_dilution: float      # a non-staker's share change per year (negative)


def issuance_view(total_staked_m: float = 34.0, supply_m: float = 121.0) -> IssuanceView:
    """Compute the issuance dashboard's numbers (pure; Ethereum consensus spec, ideal participation).

    Parameters
    ----------
    total_staked_m : float
        Total ETH staked, in millions (1 to 60).
    supply_m : float
        Total ETH supply, in millions (at least the staked amount); gross issuance only
        (the fee burn is left out).

    >>> v = issuance_view(10.0, 120.0)
    >>> v.base_reward_per_increment, round(v.apr_now, 4)
    (640, 0.0526)
    """
    n = number("total_staked_m", total_staked_m, lo=1.0, hi=60.0,
                       why="the dashboard covers 1 to 60 million ETH staked")
    supply = number("supply_m", supply_m, lo=n, hi=1e4,
                            why="no more ETH can be staked than exists")
    apr = staking.eth_staking_apr(n * 1e6)
    issuance = staking.eth_annual_issuance(n * 1e6) / 1e6
    inflation = issuance / supply
    return IssuanceView(
        staked_m=_GRID_M, apr=_GRID_APR, issuance_m=_GRID_ISSUANCE / 1e6, total_staked_m=n,
        base_reward_per_increment=staking.eth_base_reward_per_increment(int(n * 1e6) * 10**9),
        apr_now=apr, issuance_now_m=issuance, staked_share=n / supply, inflation=inflation,
        real_yield=staking.real_staking_yield(apr, inflation),
        non_staker_dilution=staking.real_staking_yield(0.0, inflation),
    )


class IssuanceDashboard(Dashboard):
    """APR and issuance against total ETH staked, from the consensus-spec formula."""

    title = "Ethereum's issuance curve: APR falls as more ETH is staked"

    def controls_(self):
        return {
            "total_staked_m": slider("total ETH staked (millions)", 34.0, 1.0, 60.0, 0.5, fmt=".1f"),
            "supply_m": slider("ETH supply (millions)", 121.0, 100.0, 130.0, 1.0, fmt=".0f"),
        }

    def compute(self, **values):
        return issuance_view(**values)

    def setup(self, fig):
        self.ax_apr, self.ax_iss = fig.subplots(1, 2)
        ax = self.ax_apr
        ax.plot(_GRID_M, 100 * _GRID_APR, color="tab:blue", label="APR = 166.3 / sqrt(N)")
        self.marker_apr = self.dynamic(*ax.plot([], [], "o", color="black", label="chosen total"))
        ax.set(title="Staking APR (ideal participation)", xlabel="total ETH staked (millions)",
               ylabel="APR (% per year)", xlim=(0, 61), ylim=(0, 17.5))
        ax.legend(loc="upper right", fontsize=8)
        ax = self.ax_iss
        ax.plot(_GRID_M, _GRID_ISSUANCE / 1e6, color="tab:green", label="new ETH per year")
        self.marker_iss = self.dynamic(*ax.plot([], [], "o", color="black"))
        ax.set(title="Issuance grows like sqrt(N)", xlabel="total ETH staked (millions)",
               ylabel="new ETH per year (millions)", xlim=(0, 61),
               ylim=(0, 1.05 * _GRID_ISSUANCE.max() / 1e6))
        ax.legend(loc="lower right", fontsize=8)

    def draw(self, v: IssuanceView) -> str:
        self.marker_apr.set_data([v.total_staked_m], [100 * v.apr_now])
        self.marker_iss.set_data([v.total_staked_m], [v.issuance_now_m])
        return (
            f"base reward <b>{v.base_reward_per_increment:,} Gwei</b> per ETH per epoch · "
            f"APR <b>{v.apr_now:.2%}</b> · issuance <b>{v.issuance_now_m * 1e6:,.0f} ETH/year</b> "
            f"({v.inflation:.2%} of supply; {v.staked_share:.0%} of supply staked) · "
            f"stakers' share <b>{v.real_yield:+.2%}</b>/year, non-stakers' <b>{v.non_staker_dilution:+.2%}</b>/year"
        )


@dataclass(frozen=True)
class CalculatorView:
    """Everything the staking calculator shows."""

    net_apr: float              # after commission, fraction per year
    tokens_if_safe: float       # tokens received if never slashed
    tokens_if_slashed: float    # tokens received if slashed
    prob_slashed: float         # probability of a slashing over the horizon
    expected_tokens: float      # mean tokens received
    summary: dict               # StakingOutcomes.summary() (USD values)
    bin_edges: np.ndarray       # histogram of USD value received
    bin_pct: np.ndarray         # percent of paths per bin
    quantiles_pct: np.ndarray   # 0..100, x axis of the token quantile curve
    token_quantiles: np.ndarray  # tokens received at each quantile
    amount: float
    price0: float


def calculator_view(amount: float = 1_000.0, apr: float = 0.05, commission: float = 0.10,
                    compounds_per_year: int = 365, years: float = 1.0, unbonding_days: float = 21.0,
                    slash_prob: float = 0.02, slash_fraction: float = 0.10, price_vol: float = 0.6,
                    price0: float = 1.0, inflation: float = 0.0, n_paths: int = 20_000,
                    seed: int = 2026) -> CalculatorView:
    """Compute the staking calculator's numbers over ``n_paths`` seeded paths (pure).

    The same seed on every update (common random numbers), so moving one slider
    changes only what that slider changes; a new ``seed`` draws new paths (the summary's
    ``se_*`` entries say how much the figures move from seed to seed).

    >>> v = calculator_view(amount=1000, apr=0.05, commission=0.1, slash_prob=0.0, price_vol=0.0)
    >>> round(v.net_apr, 3), round(v.tokens_if_safe, 2), v.prob_slashed
    (0.045, 1046.02, 0.0)
    """
    out = staking.simulate_staking(
        amount, apr, years, commission=commission, compounds_per_year=int(compounds_per_year),
        slash_prob=slash_prob, slash_fraction=slash_fraction, price0=price0, price_vol=price_vol,
        unbonding_days=unbonding_days, inflation=inflation, n_paths=n_paths, seed=seed)
    net = staking.delegator_apr(apr, commission)
    safe = amount * staking.compound_growth(net, years, int(compounds_per_year))
    v = out.value
    lo, hi = np.percentile(v, [0.2, 99.8])
    if hi - lo < 1e-9 * max(abs(hi), 1.0):
        lo, hi = lo - 0.05 * max(abs(lo), 1e-9), hi + 0.05 * max(abs(hi), 1e-9)
    counts, edges = np.histogram(np.clip(v, lo, hi), bins=60, range=(lo, hi))
    q = np.linspace(0, 100, 201)
    return CalculatorView(
        net_apr=net, tokens_if_safe=safe, tokens_if_slashed=safe * (1 - slash_fraction),
        prob_slashed=1 - (1 - slash_prob) ** years, expected_tokens=float(out.tokens.mean()),
        summary=out.summary(), bin_edges=edges, bin_pct=100 * counts / len(v),
        quantiles_pct=q, token_quantiles=np.percentile(out.tokens, q), amount=float(amount),
        price0=float(price0),
    )


class StakingCalculatorDashboard(Dashboard):
    """Distribution of a staker's outcomes: commission, compounding, lock-up, slashing, price."""

    title = "Staking calculator: the whole distribution, not just the mean"
    figsize = (8.6, 3.5)

    def controls_(self):
        return {
            "amount": slider("amount staked (tokens)", 1_000.0, 10.0, 10_000.0, 10.0, fmt=",.0f"),
            "apr": slider("gross APR (per year)", 0.05, 0.0, 0.30, 0.005, fmt=".1%"),
            "commission": slider("pool commission", 0.10, 0.0, 0.5, 0.01, fmt=".0%"),
            "compounds_per_year": dropdown("rewards", COMPOUNDING, 365),
            "years": slider("years staked", 1.0, 0.25, 10.0, 0.25, fmt=".2f"),
            "unbonding_days": int_slider("unbonding (days)", 21, 0, 60),
            "slash_prob": slider("slashing probability (per year)", 0.02, 0.0, 0.3, 0.005, fmt=".1%"),
            "slash_fraction": slider("share lost if slashed", 0.10, 0.0, 1.0, 0.01, fmt=".0%"),
            "price_vol": slider("price volatility (per year)", 0.6, 0.0, 1.5, 0.05, fmt=".0%"),
            "seed": int_slider("random seed (new paths)", 2026, 2000, 2100),
        }

    def compute(self, **values):
        return calculator_view(**values)

    def setup(self, fig):
        self.ax_value, self.ax_tokens = fig.subplots(1, 2, width_ratios=[1.4, 1])
        ax = self.ax_value
        self.hist = self.dynamic(*ax.plot([], [], color="tab:blue", drawstyle="steps-post"))
        self.start_line = self.dynamic(ax.axvline(0, color="grey", ls=":", lw=1.2, label="value staked"))
        self.mean_line = self.dynamic(ax.axvline(0, color="tab:green", lw=1.2, label="mean"))
        self.p5_line = self.dynamic(ax.axvline(0, color="tab:red", ls="--", lw=1.2, label="worst 5 %"))
        ax.set(title="Value you can sell for (USD)", xlabel="USD, after unbonding", ylabel="% of paths")
        ax.legend(loc="upper right", fontsize=8)
        ax = self.ax_tokens
        self.qline = self.dynamic(*ax.plot([], [], color="tab:purple", label="tokens received"))
        self.amount_line = self.dynamic(ax.axhline(0, color="grey", ls=":", lw=1.2, label="tokens staked"))
        ax.set_xlim(0, 100)
        ax.set(title="Tokens received, sorted", xlabel="% of paths (worst to best)", ylabel="tokens")
        ax.legend(loc="lower right", fontsize=8)

    def draw(self, v: CalculatorView) -> str:
        s = v.summary
        edges = v.bin_edges
        self.hist.set_data(edges, np.append(v.bin_pct, v.bin_pct[-1]))
        self.fit(self.ax_value, float(edges[0]), float(edges[-1]), axis="x")
        self.fit(self.ax_value, 0.0, float(v.bin_pct.max()))
        for line, x in ((self.start_line, s["start_value"]), (self.mean_line, s["mean_value"]),
                        (self.p5_line, s["p5_value"])):
            line.set_xdata([x, x])
        self.qline.set_data(v.quantiles_pct, v.token_quantiles)
        self.amount_line.set_ydata([v.amount, v.amount])
        lo = min(float(v.token_quantiles.min()), v.amount)
        hi = max(float(v.token_quantiles.max()), v.amount)
        self.fit(self.ax_tokens, lo, hi)
        return (
            f"net APR after commission <b>{v.net_apr:.2%}</b> · tokens back: <b>{v.tokens_if_safe:,.2f}</b> "
            f"if never slashed, <b>{v.tokens_if_slashed:,.2f}</b> if slashed (chance {v.prob_slashed:.1%}); "
            f"mean <b>{v.expected_tokens:,.2f}</b><br>value (USD, price 1.00 today) over "
            f"{s['n_paths']:,} paths: mean <b>{s['mean_value']:,.0f} ± {s['se_mean_value']:,.0f}</b>, "
            f"median <b>{s['median_value']:,.0f}</b>, worst 5 % below "
            f"<b>{s['p5_value']:,.0f}</b>, best 5 % above <b>{s['p95_value']:,.0f}</b> · "
            f"chance of ending below the value staked <b>{s['prob_loss']:.1%} ± {s['se_prob_loss']:.1%}</b> · "
            f"beats holding unstaked in <b>{s['prob_beats_hodl']:.1%}</b> of paths "
            f"(± = one standard error: how far another seed typically moves the figure)"
        )
