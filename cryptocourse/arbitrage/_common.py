"""Input checks and constants shared by the arbitrage modules."""
from __future__ import annotations

import math

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validate import number

_UINT112_MAX = 2**112 - 1  # UniswapV2Pair stores reserves as uint112
_UINT256_MAX = 2**256 - 1
_WHY_FEE = "the pool's swap fee as a fraction, e.g. 0.003 for Uniswap V2's 0.30 %"


def _as_out(x: Any) -> Any:
    """numpy 0-d results -> Python float (or bool); arrays stay arrays."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        return x.item()
    if isinstance(x, np.generic):
        return x.item()
    return x


def _reserves(reserve_a: ArrayLike, reserve_b: ArrayLike, suffix: str = "") -> tuple[Any, Any]:
    """Both reserves checked, named as the caller's parameters (``suffix``: "1", "_buy" ...)."""
    why = "an empty pool has no price to arbitrage"
    return (number(f"reserve_a{suffix}", reserve_a, lo=0, lo_open=True, hi=math.inf, hi_open=True, why=why),
            number(f"reserve_b{suffix}", reserve_b, lo=0, lo_open=True, hi=math.inf, hi_open=True, why=why))


def _price(price: ArrayLike, name: str = "price") -> Any:
    return number(name, price, lo=0, lo_open=True, hi=math.inf, hi_open=True,
                  why="the outside value of 1 token A in units of token B")


def _fee(fee: ArrayLike, name: str = "fee") -> Any:
    return number(name, fee, lo=0, hi=1, hi_open=True, why=_WHY_FEE)


def _gas(gas_cost: ArrayLike) -> Any:
    return number("gas_cost", gas_cost, lo=0, hi=math.inf, hi_open=True,
                  why="the transaction's cost in units of token B (0 for none)")
