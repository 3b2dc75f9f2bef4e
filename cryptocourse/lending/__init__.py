"""Lending and borrowing: interest-rate curves, a lending pool, positions and liquidation.

Introduced in ``notebooks/09_lending_and_borrowing.ipynb`` (and reused in 10 and 14).

What is here
------------
- Rate models: :class:`InterestRateModel` (Aave v3's variable-rate strategy, a kink at the
  optimal utilisation) and :class:`JumpRateModel` (Compound v2's jump rate model).
  Both are teaching versions in floats (rates as fractions per year, ``0.04`` is 4 % a year),
  vectorised: an array of utilisations in gives an array of rates out.
- Exact integer versions, named as the protocols name them: :func:`calculate_interest_rates`
  (Aave v3, ray = 1e27 fixed point) and :func:`utilization_rate`, :func:`get_borrow_rate`,
  :func:`get_supply_rate` (Compound v2, mantissa = 1e18 fixed point).
- :data:`MARKETS`: a few real markets' parameters, as dated snapshots (not live data).
- :class:`LendingPool`: suppliers and borrowers, interest accrues over time, utilisation
  moves the rates, and nothing is created or lost (cash + borrows = supplies + reserves).
- Positions: :func:`health_factor`, :func:`max_borrow`, :func:`liquidation_price`,
  :func:`close_factor`, :func:`liquidation_call` (Aave v3's close factor and bonus, in both the
  rule of v3.0-v3.2 and the one of v3.3 and later) and :func:`simulate_position` (a borrower's
  health along a price path).
- Lending a stablecoin: :func:`stablecoin_lending_outcomes` (what spreading deposits over several
  protocols does, and does not do, to a year's return).

Sources (checked 2026-12):
- Aave v3 ``DefaultReserveInterestRateStrategy.calculateInterestRates``
  (github.com/aave/aave-v3-core, contracts/protocol/pool/).
- Aave v3.0-v3.2 liquidation: ``LiquidationLogic._calculateDebt`` in github.com/aave/aave-v3-core.
  Aave v3.3 and later: ``LiquidationLogic.executeLiquidationCall`` in github.com/aave-dao/aave-v3-origin,
  src/contracts/protocol/libraries/logic/LiquidationLogic.sol (read at commit 027aaed7), and
  docs/3.3/Aave-v3.3-features.md there. v3.3 was rolled out in February 2025.
- Compound v2 ``JumpRateModel.sol`` (github.com/compound-finance/compound-protocol, contracts/).
"""
from __future__ import annotations

from .fixed_point import calculate_interest_rates, get_borrow_rate, get_supply_rate, utilization_rate
from .pool import LendingPool
from .positions import (
    Liquidation, PositionHistory, close_factor, health_factor, liquidation_call, liquidation_price,
    max_borrow, simulate_position
)
from .rates import (
    AAVE_VERSIONS, CLOSE_FACTOR_HF_THRESHOLD, DEFAULT_LIQUIDATION_CLOSE_FACTOR, MARKETS,
    MAX_LIQUIDATION_CLOSE_FACTOR, MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD, MIN_LEFTOVER_BASE, PERCENTAGE_FACTOR,
    RAY, WAD, InterestRateModel, JumpRateModel, MarketSnapshot, utilization
)
from .stablecoin_lending import LendingOutcomes, stablecoin_lending_outcomes

__all__ = [
    "InterestRateModel", "JumpRateModel", "MarketSnapshot", "MARKETS", "utilization",
    "calculate_interest_rates", "utilization_rate", "get_borrow_rate", "get_supply_rate",
    "LendingPool", "health_factor", "max_borrow", "liquidation_price", "close_factor",
    "Liquidation", "liquidation_call", "PositionHistory", "simulate_position",
    "DEFAULT_LIQUIDATION_CLOSE_FACTOR", "MAX_LIQUIDATION_CLOSE_FACTOR",
    "CLOSE_FACTOR_HF_THRESHOLD", "MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD", "MIN_LEFTOVER_BASE",
    "AAVE_VERSIONS", "RAY", "WAD", "PERCENTAGE_FACTOR",
    "LendingOutcomes", "stablecoin_lending_outcomes",
]
