"""Risk: price paths, risk measures, DCA and strategy outcomes on the same paths.

Everything here is a float teaching model (no on-chain integer math): prices are
simulated, strategies are valued per unit of starting capital (1.0 = what you put
in), and every random draw comes from one integer ``seed`` so the same seed gives
the same numbers on every machine.

Shapes: a single asset's paths are ``(n_paths, n_steps + 1)`` (column 0 is today);
several assets are ``(n_assets, n_paths, n_steps + 1)``. Time steps are ``dt``
years (daily: ``1/365``, crypto trades every day).

Introduced in notebooks 13 (dollar-cost averaging) and 14 (risk management).
Sources: geometric Brownian motion and Merton's jump-diffusion (R. C. Merton,
"Option pricing when underlying stock returns are discontinuous", J. Financial
Economics 3, 1976); VaR/CVaR as in R. T. Rockafellar and S. Uryasev, "Optimization
of conditional value-at-risk", J. Risk 2, 2000.
"""
from __future__ import annotations

from .dca import (
    bootstrap_se, buy_steps, dca_average_cost, dca_exposure, dca_values, dca_vs_lump_sum, reinvest_income,
    standard_error
)
from .market import STRATEGIES, STRATEGY_LABELS, STRESS_SCENARIOS, StrategySimulation, simulate_strategies, stress_test
from .measures import (
    check_weights, conditional_value_at_risk, diversification_benefit, final_returns, hedge, max_drawdown,
    normal_cvar, normal_var, portfolio_values, portfolio_volatility, probability_of_loss, risk_summary,
    stop_loss, value_at_risk
)
from .paths import DAY, brownian_motion, correlated_paths, gbm_from_brownian, gbm_paths, jump_diffusion_paths
from .strategies import (
    depeg_paths, event_factor, event_steps, governance_token_values, hodl_values, lending_values,
    leveraged_farm_values, lp_lvr, lp_values, model_share_values, simulate, staking_values, utilization_paths,
    with_exploit
)

__all__ = [
    "bootstrap_se",
    "buy_steps",
    "dca_average_cost",
    "dca_exposure",
    "dca_values",
    "dca_vs_lump_sum",
    "reinvest_income",
    "standard_error",
    "STRATEGIES",
    "STRATEGY_LABELS",
    "STRESS_SCENARIOS",
    "StrategySimulation",
    "simulate_strategies",
    "stress_test",
    "check_weights",
    "conditional_value_at_risk",
    "diversification_benefit",
    "final_returns",
    "hedge",
    "max_drawdown",
    "normal_cvar",
    "normal_var",
    "portfolio_values",
    "portfolio_volatility",
    "probability_of_loss",
    "risk_summary",
    "stop_loss",
    "value_at_risk",
    "DAY",
    "brownian_motion",
    "correlated_paths",
    "gbm_from_brownian",
    "gbm_paths",
    "jump_diffusion_paths",
    "depeg_paths",
    "event_factor",
    "event_steps",
    "governance_token_values",
    "hodl_values",
    "lending_values",
    "leveraged_farm_values",
    "lp_lvr",
    "lp_values",
    "model_share_values",
    "simulate",
    "staking_values",
    "utilization_paths",
    "with_exploit",
]
