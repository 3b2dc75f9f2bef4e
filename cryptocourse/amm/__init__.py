"""Automated market makers: Uniswap V2 (bit-exact), constant product in floats,
impermanent loss, Uniswap V3 concentrated liquidity and Curve StableSwap.

Two kinds of function live here, and each docstring says which it is:

* **exact**: mirrors a contract's integer arithmetic; ``int`` in, ``int`` out, named
  as the contract names it (``get_amount_out``, ``get_D``). Agrees to the wei.
* **teaching**: the same idea in floats, vectorised with numpy so a learner can
  sweep a parameter (``impermanent_loss(np.linspace(0.1, 10, 500))``).

Sources (read 2026-11-25):

* Uniswap V2 core, ``contracts/UniswapV2Pair.sol`` (mint, burn, swap, _mintFee) and
  ``test/UniswapV2Pair.spec.ts`` (swap/optimistic/fee test vectors),
  https://github.com/Uniswap/v2-core
* Uniswap V2 periphery, ``contracts/libraries/UniswapV2Library.sol`` (getAmountOut,
  getAmountIn, quote), https://github.com/Uniswap/v2-periphery
* Uniswap V3 whitepaper (ticks, liquidity, amounts in a range), https://uniswap.org/whitepaper-v3.pdf
* Curve StableSwap whitepaper, https://curve.fi/files/stableswap-paper.pdf, and
  ``contracts/pools/3pool/StableSwap3Pool.vy`` (get_D, get_y, get_dy),
  https://github.com/curvefi/curve-contract

Introduced in ``notebooks/07_amms.ipynb``; impermanent loss in
``notebooks/08_yield_farming_and_impermanent_loss.ipynb``.
"""
from __future__ import annotations

from .constant_product import (
    ConstantProductPool, amount_in, amount_out, constant_product_curve, execution_price, hodl_value,
    impermanent_loss, impermanent_loss_concentrated, lp_reserves_at_price, lp_value, min_amount_out,
    price_after, price_impact, spot_price
)
from .stableswap import (
    ConvergenceError, get_D, get_dy, get_y, stableswap_curve, stableswap_d, stableswap_depeg,
    stableswap_get_dy, stableswap_get_y, stableswap_spot_price
)
from .v2 import MINIMUM_LIQUIDITY, UniswapV2Error, UniswapV2Pair, get_amount_in, get_amount_out, liquidity_minted, quote
from .v3 import (
    MAX_SQRT_RATIO, MAX_TICK as MAX_TICK, MIN_SQRT_RATIO, MIN_TICK as MIN_TICK, amounts_for_liquidity,
    capital_efficiency, get_sqrt_ratio_at_tick, get_tick_at_sqrt_ratio, liquidity_for_amounts, price_to_tick,
    raw_price, tick_to_price
)

__all__ = [
    # Uniswap V2, exact
    "MINIMUM_LIQUIDITY", "get_amount_out", "get_amount_in", "quote", "liquidity_minted", "UniswapV2Error",
    "UniswapV2Pair",
    # constant product, teaching
    "spot_price", "amount_out", "amount_in", "execution_price", "price_impact", "price_after",
    "min_amount_out", "constant_product_curve", "lp_reserves_at_price", "lp_value", "hodl_value",
    "ConstantProductPool",
    # impermanent loss
    "impermanent_loss", "impermanent_loss_concentrated",
    # Uniswap V3, teaching
    "tick_to_price", "price_to_tick", "raw_price", "get_sqrt_ratio_at_tick", "get_tick_at_sqrt_ratio",
    "MIN_SQRT_RATIO", "MAX_SQRT_RATIO", "liquidity_for_amounts", "amounts_for_liquidity",
    "capital_efficiency",
    # Curve StableSwap
    "ConvergenceError", "get_D", "get_y", "get_dy", "stableswap_d", "stableswap_get_y",
    "stableswap_get_dy", "stableswap_spot_price", "stableswap_curve", "stableswap_depeg",
]
