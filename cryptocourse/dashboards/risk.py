"""Notebook 14's dashboard: a portfolio builder across the course's strategies.

``portfolio_view(...)`` is the pure compute function (tested in tests/test_risk.py);
``PortfolioDashboard`` is the thin view. The market (correlated ETH and ALT with crash jumps,
exploits, a possible USDC depeg) comes from :func:`cryptocourse.risk.simulate_strategies` on
2,000 seeded paths of one year in **weekly** steps (so the dashboard stays responsive; the
lesson's own simulations use daily steps). Markets are cached, so moving a weight only
re-weighs the strategies.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import risk
from .._validate import fail, number
from ._base import Dashboard, slider

N_PATHS = 2000
N_STEPS = 52
DT = 7 / 365
_RETURN_EDGES = np.linspace(-1.0, 2.0, 61)   # portfolio return over the year
_DD_EDGES = np.linspace(0.0, 1.0, 41)        # maximum drawdown


@lru_cache(maxsize=24)
def _market(corr: float, exploit_probability: float, jump_rate: float) -> risk.StrategySimulation:
    return risk.simulate_strategies(N_PATHS, N_STEPS, dt=DT, corr=corr, exploit_probability=exploit_probability,
                                    jump_rate=jump_rate, seed=2026)


@dataclass(frozen=True)
class PortfolioView:
    """Everything the portfolio dashboard shows (returns and losses as fractions of capital)."""

    weights: np.ndarray          # normalised weights, in risk.STRATEGIES order
    returns: np.ndarray          # portfolio return over the year, one per path
    drawdowns: np.ndarray        # maximum drawdown, one per path
    return_hist: np.ndarray      # share of paths per bin of _RETURN_EDGES
    drawdown_hist: np.ndarray    # share of paths per bin of _DD_EDGES
    mean_return: float
    var: float                   # VaR at `level` (a loss, fraction of capital)
    cvar: float                  # CVaR at `level`
    probability_of_loss: float
    median_drawdown: float
    diversification_benefit: float  # weighted standalone CVaR minus portfolio CVaR
    level: float


def portfolio_view(w_hodl: float = 0.2, w_staking: float = 0.2, w_lp: float = 0.2, w_lending: float = 0.2,
                   w_leveraged_farm: float = 0.2, corr: float = 0.6, exploit_probability: float = 0.02,
                   jump_rate: float = 1.0, level: float = 0.95) -> PortfolioView:
    """Compute the portfolio builder's numbers (pure, no plotting).

    The five weights are normalised to sum to 1 (they need not add up as you move them).

    Parameters
    ----------
    w_hodl, w_staking, w_lp, w_lending, w_leveraged_farm : relative weights (>= 0, not all 0).
    corr : correlation of ETH and ALT.
    exploit_probability : chance per year that each protocol is exploited.
    jump_rate : crash jumps per year.
    level : VaR / CVaR confidence level.

    >>> v = portfolio_view(w_hodl=1, w_staking=0, w_lp=0, w_lending=1, w_leveraged_farm=0)
    >>> v.weights.tolist(), bool(v.cvar >= v.var)
    ([0.5, 0.0, 0.0, 0.5, 0.0], True)
    """
    raw = np.array([number(name, value, lo=0, hi=1) for name, value in (
        ("w_hodl", w_hodl), ("w_staking", w_staking), ("w_lp", w_lp), ("w_lending", w_lending),
        ("w_leveraged_farm", w_leveraged_farm))])
    if raw.sum() <= 0:
        fail("weights", "not all 0", raw.tolist(), "put some capital somewhere")
    w = raw / raw.sum()
    sim = _market(round(number("corr", corr, lo=-0.99, hi=0.99), 4),
                  round(number("exploit_probability", exploit_probability, lo=0, hi=1), 4),
                  round(number("jump_rate", jump_rate, lo=0, hi=52), 4))
    values = sum(wi * sim.values[name] for wi, name in zip(w, risk.STRATEGIES) if wi > 0)
    returns = values[:, -1] - 1.0
    drawdowns = risk.max_drawdown(values)
    benefit = risk.diversification_benefit(sim.final_returns(), w, level, "cvar")
    n = returns.size
    return PortfolioView(
        weights=w, returns=returns, drawdowns=drawdowns,
        return_hist=np.histogram(np.clip(returns, -1.0, 2.0 - 1e-9), _RETURN_EDGES)[0] / n,
        drawdown_hist=np.histogram(np.clip(drawdowns, 0, 1 - 1e-9), _DD_EDGES)[0] / n,
        mean_return=float(returns.mean()),
        var=risk.value_at_risk(returns, level), cvar=risk.conditional_value_at_risk(returns, level),
        probability_of_loss=risk.probability_of_loss(returns),
        median_drawdown=float(np.median(drawdowns)), diversification_benefit=benefit, level=level,
    )


class PortfolioDashboard(Dashboard):
    """Return distribution, VaR/CVaR and drawdowns of a portfolio of the course's strategies."""

    title = "Portfolio builder: 2,000 seeded one-year paths (weekly steps), weights normalised to 100%"
    figsize = (8.6, 3.4)

    def controls_(self):
        return {
            "w_hodl": slider("HODL ETH", 0.2, 0.0, 1.0, 0.05),
            "w_staking": slider("stake ETH", 0.2, 0.0, 1.0, 0.05),
            "w_lp": slider("LP ALT/USDC", 0.2, 0.0, 1.0, 0.05),
            "w_lending": slider("lend USDC", 0.2, 0.0, 1.0, 0.05),
            "w_leveraged_farm": slider("leveraged ALT farm (2x)", 0.2, 0.0, 1.0, 0.05),
            "corr": slider("correlation ETH-ALT", 0.6, -0.5, 0.95, 0.05),
            "exploit_probability": slider("exploit chance per protocol (per year)", 0.02, 0.0, 0.3, 0.01,
                                          fmt=".0%"),
            "jump_rate": slider("crash jumps per year", 1.0, 0.0, 6.0, 0.5, fmt=".1f"),
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
        ax.axvline(0, color="grey", lw=0.8, ls=":")
        ax.set(title="Portfolio return over one year", xlabel="return (%)", ylabel="share of paths")
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
        self.fit(self.ax_ret, 0.0, float(v.return_hist.max()))
        self.stairs_dd.set_data(v.drawdown_hist)
        self.dd_line.set_xdata([100 * v.median_drawdown] * 2)
        self.fit(self.ax_dd, 0.0, float(v.drawdown_hist.max()))
        mix = " · ".join(f"{risk.STRATEGY_LABELS[n]} {w:.0%}" for n, w in zip(risk.STRATEGIES, v.weights) if w > 0)
        return (
            f"{mix}<br>mean return <b>{v.mean_return:+.1%}</b> · 95% VaR <b>{v.var:.1%}</b> · "
            f"95% CVaR <b>{v.cvar:.1%}</b> · P(loss) <b>{v.probability_of_loss:.0%}</b> · median max drawdown "
            f"<b>{v.median_drawdown:.0%}</b> · diversification saves <b>{v.diversification_benefit:.1%}</b> of CVaR"
        )
