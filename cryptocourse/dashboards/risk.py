"""Notebook 14's dashboard: a portfolio builder across the course's strategies.

``portfolio_view(...)`` is the pure compute function (tested in tests/test_risk.py and
tests/test_claims_14.py); ``PortfolioDashboard`` is the thin view. The market (correlated ETH, ALT
and GOV with own and market-wide crashes, exploits, a possible USDC depeg) comes from
:func:`cryptocourse.risk.simulate_strategies` on 4,000 seeded paths of one year in **weekly**
steps: the same market as the lesson's own cells (:data:`MARKET`), so the dashboard and the
notebook print the same numbers at the same settings. Markets are cached, so moving a weight only
re-weighs the strategies.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import risk
from .._validate import fail, integer, number
from ._base import Dashboard, int_slider, slider

N_PATHS = 4000
N_STEPS = 52
DT = 7 / 365
MARKET = dict(n_paths=N_PATHS, n_steps=N_STEPS, dt=DT, seed=2026)
"""The lesson's market: ``simulate_strategies(**MARKET)`` (4,000 paths, one year in weekly steps)."""
_RETURN_EDGES = np.linspace(-1.0, 2.0, 61)   # portfolio return over the year; returns above +200% go in the last bin
_DD_EDGES = np.linspace(0.0, 1.0, 41)        # maximum drawdown
WEIGHT_NAMES = tuple(f"w_{name}" for name in risk.STRATEGIES)


@lru_cache(maxsize=8)     # about 20 MB each
def _market(corr: float, exploit_probability: float, jump_rate: float, common_jump_share: float,
            seed: int) -> risk.StrategySimulation:
    return risk.simulate_strategies(N_PATHS, N_STEPS, dt=DT, corr=corr, exploit_probability=exploit_probability,
                                    jump_rate=jump_rate, common_jump_share=common_jump_share, seed=seed)


@dataclass(frozen=True)
class PortfolioView:
    """Everything the portfolio dashboard shows (returns and losses as fractions of capital)."""

    weights: np.ndarray          # normalised weights, in risk.STRATEGIES order
    returns: np.ndarray          # portfolio return over the year, one per path
    drawdowns: np.ndarray        # maximum drawdown, one per path
    return_hist: np.ndarray      # share of paths per bin of _RETURN_EDGES (returns above +200% in the last bin)
    drawdown_hist: np.ndarray    # share of paths per bin of _DD_EDGES
    n_above: int                 # paths with a return above +200% (drawn in the last bin)
    mean_return: float
    se_mean_return: float        # its standard error
    var: float                   # VaR at `level` (a loss, fraction of capital)
    cvar: float                  # CVaR at `level`
    se_cvar: float               # bootstrap standard error of the CVaR
    probability_of_loss: float
    median_drawdown: float
    standalone_cvar: float       # weighted sum of each strategy's own CVaR
    diversification_benefit: float  # standalone_cvar minus the portfolio's CVaR (points of capital)
    diversification_share: float    # the benefit as a share of standalone_cvar
    level: float
    seed: int


def portfolio_view(w_hodl: float = 0.125, w_staking: float = 0.125, w_lp: float = 0.125,
                   w_lending: float = 0.125, w_leveraged_farm: float = 0.125, w_dca: float = 0.125,
                   w_governance_token: float = 0.125, w_model_share: float = 0.125, corr: float = 0.6,
                   exploit_probability: float = 0.02, jump_rate: float = 1.0, common_jump_share: float = 0.5,
                   level: float = 0.95, seed: int = 2026) -> PortfolioView:
    """Compute the portfolio builder's numbers (pure, no plotting).

    The eight weights (one per strategy in :data:`cryptocourse.risk.STRATEGIES`) are normalised
    to sum to 1 (they need not add up as you move them).

    Parameters
    ----------
    w_hodl, w_staking, w_lp, w_lending, w_leveraged_farm, w_dca, w_governance_token, w_model_share :
        relative weights (>= 0, not all 0).
    corr : correlation of ETH and ALT.
    exploit_probability : chance per year that each protocol is exploited.
    jump_rate : crashes per year of each asset.
    common_jump_share : share of the crashes that hit every asset at once.
    level : VaR / CVaR confidence level.
    seed : the market's seed (another seed: new paths, same settings).

    >>> v = portfolio_view(1, 0, 0, 1, 0, 0, 0, 0)
    >>> v.weights.tolist(), bool(v.cvar >= v.var)
    ([0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0], True)
    """
    given = dict(zip(WEIGHT_NAMES, (w_hodl, w_staking, w_lp, w_lending, w_leveraged_farm, w_dca,
                                    w_governance_token, w_model_share), strict=True))
    raw = np.array([number(name, value, lo=0, hi=1) for name, value in given.items()])
    if raw.sum() <= 0:
        fail("weights", "not all 0", raw.tolist(), "put some capital somewhere")
    w = raw / raw.sum()
    sim = _market(round(number("corr", corr, lo=-0.99, hi=0.99), 4),
                  round(number("exploit_probability", exploit_probability, lo=0, hi=1), 4),
                  round(number("jump_rate", jump_rate, lo=0, hi=52), 4),
                  round(number("common_jump_share", common_jump_share, lo=0, hi=1), 4),
                  integer("seed", seed, lo=0))
    values = sum(wi * sim.values[name] for wi, name in zip(w, risk.STRATEGIES, strict=True) if wi > 0)
    returns = values[:, -1] - 1.0
    drawdowns = risk.max_drawdown(values)
    r = sim.final_returns()
    standalone = float(w @ risk.conditional_value_at_risk(r, level))
    cvar = risk.conditional_value_at_risk(returns, level)
    benefit = standalone - cvar
    n = returns.size
    return PortfolioView(
        weights=w, returns=returns, drawdowns=drawdowns,
        return_hist=np.histogram(np.clip(returns, -1.0, 2.0 - 1e-9), _RETURN_EDGES)[0] / n,
        drawdown_hist=np.histogram(np.clip(drawdowns, 0, 1 - 1e-9), _DD_EDGES)[0] / n,
        n_above=int(np.sum(returns >= 2.0)),
        mean_return=float(returns.mean()), se_mean_return=float(risk.standard_error(returns)),
        var=risk.value_at_risk(returns, level), cvar=cvar,
        se_cvar=risk.bootstrap_se(lambda x: risk.conditional_value_at_risk(x, level), returns, n_boot=100,
                                  seed=seed),
        probability_of_loss=risk.probability_of_loss(returns),
        median_drawdown=float(np.median(drawdowns)), standalone_cvar=standalone,
        diversification_benefit=benefit, diversification_share=benefit / standalone if standalone > 0 else 0.0,
        level=level, seed=seed,
    )


class PortfolioDashboard(Dashboard):
    """Return distribution, VaR/CVaR and drawdowns of a portfolio of the course's strategies."""

    title = ("Portfolio builder: 4,000 seeded one-year paths (weekly steps), the lesson's market; "
             "weights normalised to 100%")
    figsize = (8.6, 3.4)

    def controls_(self):
        weights = {f"w_{name}": slider(risk.STRATEGY_LABELS[name], 0.125, 0.0, 1.0, 0.025, fmt=".3f")
                   for name in risk.STRATEGIES}
        return {
            **weights,
            "corr": slider("correlation ETH-ALT", 0.6, -0.5, 0.95, 0.05),
            "exploit_probability": slider("exploit chance per protocol (per year)", 0.02, 0.0, 0.3, 0.01,
                                          fmt=".0%"),
            "jump_rate": slider("crashes per asset per year", 1.0, 0.0, 6.0, 0.5, fmt=".1f"),
            "common_jump_share": slider("share of crashes that are market-wide", 0.5, 0.0, 1.0, 0.1, fmt=".0%"),
            "seed": int_slider("random seed (new paths)", 2026, 2000, 2100),
        }

    def compute(self, **values):
        return portfolio_view(**values)

    def setup(self, fig):
        self.ax_ret, self.ax_dd = fig.subplots(1, 2)
        ax = self.ax_ret
        self.stairs_ret = self.dynamic(ax.stairs(np.zeros(len(_RETURN_EDGES) - 1), _RETURN_EDGES * 100,
                                                 color="tab:blue", fill=True, alpha=0.5))
        self.var_line = self.dynamic(ax.axvline(0, color="tab:orange", lw=1.5, label="VaR (95%)"))
        self.cvar_line = self.dynamic(ax.axvline(0, color="tab:red", lw=1.5, ls="--", label="CVaR (95%)"))
        self.above_text = self.dynamic(ax.text(0.99, 0.62, "", transform=ax.transAxes, ha="right", fontsize=7,
                                               color="grey"))
        ax.axvline(0, color="grey", lw=0.8, ls=":")
        ax.set(title="Portfolio return over one year", xlabel="return (%; last bin: +200% or more)",
               ylabel="share of paths")
        ax.set_xlim(-100, 200)
        ax.legend(loc="upper right", fontsize=8)
        ax = self.ax_dd
        self.stairs_dd = self.dynamic(ax.stairs(np.zeros(len(_DD_EDGES) - 1), _DD_EDGES * 100,
                                                color="tab:purple", fill=True, alpha=0.5))
        self.dd_line = self.dynamic(ax.axvline(0, color="black", lw=1.2, label="median"))
        ax.set(title="Worst fall from a peak (max drawdown)", xlabel="max drawdown (%)", ylabel="share of paths")
        ax.set_xlim(0, 100)
        ax.legend(loc="upper right", fontsize=8)

    def draw(self, v: PortfolioView) -> str:
        self.stairs_ret.set_data(v.return_hist)
        self.var_line.set_xdata([-100 * v.var] * 2)
        self.cvar_line.set_xdata([-100 * v.cvar] * 2)
        self.above_text.set_text(f"{v.n_above} paths above +200%\n(in the last bin)" if v.n_above else "")
        self.fit(self.ax_ret, 0.0, float(v.return_hist.max()))
        self.stairs_dd.set_data(v.drawdown_hist)
        self.dd_line.set_xdata([100 * v.median_drawdown] * 2)
        self.fit(self.ax_dd, 0.0, float(v.drawdown_hist.max()))
        mix = " · ".join(f"{risk.STRATEGY_LABELS[n]} {w:.0%}" for n, w in zip(risk.STRATEGIES, v.weights, strict=True) if w > 0)
        return (
            f"{mix}<br>mean return <b>{v.mean_return:+.1%} ± {v.se_mean_return:.1%}</b> · 95% VaR <b>{v.var:.1%}</b> · "
            f"95% CVaR <b>{v.cvar:.1%} ± {v.se_cvar:.1%}</b> · P(loss) <b>{v.probability_of_loss:.0%}</b> · median max "
            f"drawdown <b>{v.median_drawdown:.0%}</b><br>diversification benefit <b>{v.diversification_benefit:.1%} of "
            f"capital</b> (percentage points): {v.diversification_share:.0%} of the {v.standalone_cvar:.1%} CVaR the "
            f"strategies would have alone · seed {v.seed}, ± = one standard error"
        )
