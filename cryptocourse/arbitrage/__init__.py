"""Arbitrage: the trade that moves a pool to the outside price, what it earns, and who pays for it.

Four kinds of functions live here:

* **Two exchanges** (floats): :func:`exchange_arbitrage` puts every cost of buying on one
  venue and selling on another next to the gap, with the capital and the price risk.
* **Exact** (integer, wei): :func:`profit_maximizing_trade` mirrors Uniswap V2's
  ``computeProfitMaximizingTrade`` to the last wei; :func:`flash_loan_premium` (Aave V3),
  :func:`flash_arbitrage_profit` and :func:`optimal_flash_amount` model a flash-loan
  arbitrage that :func:`deploy_flash_arbitrage` runs on the course EVM (the contracts
  ArbToken, ArbPair, FlashLender and FlashArbitrage agree with them to the wei).
* **Teaching** (floats, vectorised): :func:`optimal_trade`, :func:`trade_profit`,
  :func:`arbitrage_profit`, :func:`no_arbitrage_band`, :func:`min_profitable_gap`,
  :func:`two_pool_trade_profit`, :func:`two_pool_arbitrage`, :func:`gas_auction`.
* **The LP's side**: :func:`lvr_rate`, :func:`expected_lvr`, :func:`breakeven_volume`, :func:`lvr_path` (one given
  path: LVR next to impermanent loss) and :func:`simulate_lvr` (many random paths)
  (loss-versus-rebalancing, Milionis, Moallemi, Roughgarden and Zhang 2022).

Conventions for the float functions: a pool holds ``reserve_a`` of token A (the
risky asset, e.g. ETH) and ``reserve_b`` of token B (the quote, e.g. USD); a
*price* is the value of 1 A in units of B; ``fee`` is the pool's swap fee as a
fraction (0.003 = 0.30 %, Uniswap V2); every profit is in units of B. Swaps use
:func:`cryptocourse.amm.amount_out` (one AMM for the whole course).

Introduced in notebook 11 (``notebooks/11_arbitrage.ipynb``).
"""
from __future__ import annotations

from .exchanges import ExchangeArbitrage, exchange_arbitrage
from .flash import (
    FlashArbitrage, FlashLab, deploy_flash_arbitrage, flash_arbitrage_profit, flash_loan_premium,
    optimal_flash_amount, profit_maximizing_trade
)
from .lvr import LVRResult, PathLVR, breakeven_volume, expected_lvr, lvr_path, lvr_rate, simulate_lvr
from .pools import (
    AuctionResult, TwoPoolTrade, arbitrage_profit, gas_auction, min_profitable_gap, no_arbitrage_band,
    optimal_trade, trade_profit, two_pool_arbitrage, two_pool_min_gap, two_pool_trade_profit
)

__all__ = [
    "exchange_arbitrage", "ExchangeArbitrage",
    "flash_loan_premium", "flash_arbitrage_profit", "FlashArbitrage", "optimal_flash_amount",
    "deploy_flash_arbitrage", "FlashLab",
    "lvr_path", "PathLVR",
    "profit_maximizing_trade", "optimal_trade", "trade_profit", "arbitrage_profit",
    "no_arbitrage_band", "min_profitable_gap", "two_pool_min_gap", "two_pool_trade_profit", "two_pool_arbitrage", "TwoPoolTrade",
    "gas_auction", "AuctionResult", "lvr_rate", "expected_lvr", "breakeven_volume", "simulate_lvr", "LVRResult",
]
