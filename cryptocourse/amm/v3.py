"""Uniswap V3: ticks, sqrt prices (exact, as TickMath), liquidity and the amounts in a range."""
from __future__ import annotations

import math

import numpy as np

from cryptocourse._validate import fail, integer, number

from .constant_product import _out, _range_amounts

# ---------------------------------------------------------------------------------------------
# Uniswap V3 concentrated liquidity (teaching, floats)
# ---------------------------------------------------------------------------------------------

_TICK_BASE = 1.0001  # each tick moves the price by 0.01% (Uniswap V3 whitepaper, eq. 6.1)
_LN_TICK_BASE = math.log(_TICK_BASE)
_LN2 = math.log(2.0)
MIN_TICK, MAX_TICK = -887272, 887272  # TickMath.sol


def tick_to_price(tick):
    """Price at a Uniswap V3 tick: ``1.0001 ** tick`` (token1 per token0, raw units; teaching).

    Parameters
    ----------
    tick : int or array
        Tick index in ``[-887272, 887272]``.

    Returns
    -------
    float or array
        Price (token1 per token0).

    Source: Uniswap V3 whitepaper, eq. 6.1. Notebook 07.

    >>> round(tick_to_price(6932), 4)    # about 2
    2.0
    """
    t = number("tick", tick, lo=MIN_TICK, hi=MAX_TICK, why="Uniswap V3 ticks run from -887272 to 887272")
    return _out(np.power(_TICK_BASE, t))


def price_to_tick(price):
    """Largest tick whose price is <= ``price``: ``floor(log(p) / log(1.0001))`` (teaching).

    Parameters
    ----------
    price : float or array
        Price (token1 per token0, raw units), > 0.

    Returns
    -------
    int or int array
        Tick index.

    Source: Uniswap V3 whitepaper, eq. 6.1 (TickMath.getTickAtSqrtRatio rounds down too).
    Notebook 07.

    >>> price_to_tick(2.0)
    6931
    """
    p = number("price", price, lo=0, lo_open=True, why="prices are positive")
    t = np.floor(np.log(p) / np.log(_TICK_BASE) + 1e-9).astype(np.int64)
    return int(t) if np.ndim(t) == 0 else t



def raw_price(price, decimals0: int, decimals1: int):
    """A price in whole tokens turned into the raw-unit price a Uniswap V3 pool stores (teaching).

    A pool prices token1 per token0 in the tokens' smallest units, so a price of ``price`` whole
    token1 per whole token0 is ``price * 10**decimals1 / 10**decimals0`` raw units. Ticks and
    ``sqrtPriceX96`` are computed from this raw price, never from the price people quote.

    Parameters
    ----------
    price : float or array
        Whole token1 per whole token0, > 0.
    decimals0, decimals1 : int
        Decimals of token0 and token1 (USDC 6, WETH 18). token0 is the token with the smaller
        contract address (UniswapV3Factory sorts them), which is why USDC is token0 of USDC/WETH.

    Returns
    -------
    float or array
        Raw token1 units per raw token0 unit.

    Source: Uniswap V3 whitepaper, section 6.1 (prices are ratios of raw reserves);
    UniswapV3Factory.createPool sorts the two addresses. Notebook 07.

    >>> raw_price(1 / 3000, decimals0=6, decimals1=18)   # USDC/WETH at 3,000 USD per ETH
    333333333.3333333
    >>> price_to_tick(raw_price(1 / 3000, 6, 18))         # the tick of the real pool
    196256
    """
    p = number("price", price, lo=0, lo_open=True, why="prices are positive")
    d0 = integer("decimals0", decimals0, lo=0, hi=77, why="ERC-20 decimals, e.g. 6 for USDC, 18 for WETH")
    d1 = integer("decimals1", decimals1, lo=0, hi=77, why="ERC-20 decimals, e.g. 6 for USDC, 18 for WETH")
    return _out(p * 10.0 ** (d1 - d0))

# Uniswap V3 TickMath.sol (Uniswap/v3-core contracts/libraries/TickMath.sol, read 2026-11-25):
# Q128.128 factors sqrt(1.0001) ** -(2**k) for bit k of |tick|, and the bounds of sqrtPriceX96.
_TICK_FACTORS = (
    0xfffcb933bd6fad37aa2d162d1a594001, 0xfff97272373d413259a46990580e213a,
    0xfff2e50f5f656932ef12357cf3c7fdcc, 0xffe5caca7e10e4e61c3624eaa0941cd0,
    0xffcb9843d60f6159c9db58835c926644, 0xff973b41fa98c081472e6896dfb254c0,
    0xff2ea16466c96a3843ec78b326b52861, 0xfe5dee046a99a2a811c461f1969c3053,
    0xfcbe86c7900a88aedcffc83b479aa3a4, 0xf987a7253ac413176f2b074cf7815e54,
    0xf3392b0822b70005940c7a398e4b70f3, 0xe7159475a2c29b7443b29c7fa6e889d9,
    0xd097f3bdfd2022b8845ad8f792aa5825, 0xa9f746462d870fdf8a65dc1f90e061e5,
    0x70d869a156d2a1b890bb3df62baf32f7, 0x31be135f97d08fd981231505542fcfa6,
    0x9aa508b5b7a84e1c677de54f3e99bc9, 0x5d6af8dedb81196699c329225ee604,
    0x2216e584f5fa1ea926041bedfe98, 0x48a170391f7dc42444e8fa2,
)
MIN_SQRT_RATIO = 4295128739
MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342


def get_sqrt_ratio_at_tick(tick: int) -> int:
    """``sqrt(1.0001 ** tick) * 2**96`` as Uniswap V3 computes it (exact, Q64.96 fixed point).

    Parameters
    ----------
    tick : int
        Tick index in ``[-887272, 887272]``.

    Returns
    -------
    int
        ``sqrtPriceX96``: the square root of the price (token1 per token0, raw units) times
        2**96, rounded up, bit-exact with ``TickMath.getSqrtRatioAtTick``.

    Source: Uniswap/v3-core ``contracts/libraries/TickMath.sol`` (multiplies one constant per
    set bit of ``|tick|``). Notebook 07.

    >>> get_sqrt_ratio_at_tick(0) == 2**96
    True
    >>> get_sqrt_ratio_at_tick(-887272)
    4295128739
    """
    tick = integer("tick", tick, lo=MIN_TICK, hi=MAX_TICK, why="Uniswap V3 ticks run from -887272 to 887272")
    abs_tick = abs(tick)
    ratio = _TICK_FACTORS[0] if abs_tick & 1 else 1 << 128
    for bit in range(1, 20):
        if abs_tick & (1 << bit):
            ratio = (ratio * _TICK_FACTORS[bit]) >> 128
    if tick > 0:
        ratio = (2**256 - 1) // ratio
    return (ratio >> 32) + (0 if ratio % (1 << 32) == 0 else 1)


def get_tick_at_sqrt_ratio(sqrt_price_x96: int) -> int:
    """Greatest tick whose ``get_sqrt_ratio_at_tick`` is <= ``sqrt_price_x96`` (exact).

    Uniswap's contract reaches this by a fixed-point logarithm; the answer is defined as above,
    which is what we compute: a float logarithm gives the tick to within one, and exact
    comparisons with :func:`get_sqrt_ratio_at_tick` settle it (so it is exact for every input).

    Parameters
    ----------
    sqrt_price_x96 : int
        Square root of the price times 2**96, in ``[MIN_SQRT_RATIO, MAX_SQRT_RATIO)``.

    Returns
    -------
    int
        Tick index.

    Source: Uniswap/v3-core ``TickMath.getTickAtSqrtRatio``. Notebook 07.

    >>> get_tick_at_sqrt_ratio(2**96)
    0
    >>> get_tick_at_sqrt_ratio(get_sqrt_ratio_at_tick(-50) - 1)
    -51
    """
    s = integer("sqrt_price_x96", sqrt_price_x96, lo=MIN_SQRT_RATIO, hi=MAX_SQRT_RATIO - 1,
                why="a Q64.96 square-root price inside Uniswap V3's tick range")
    # price = (s / 2**96)**2 = 1.0001**tick; math.log of a big int is accurate to ~1e-16 relative,
    # far below the 5e-5 a tick spans, so the estimate is off by at most one step either way
    tick = math.floor((math.log(s) - 96 * _LN2) * 2.0 / _LN_TICK_BASE)
    tick = min(max(tick, MIN_TICK), MAX_TICK - 1)
    while tick > MIN_TICK and get_sqrt_ratio_at_tick(tick) > s:
        tick -= 1
    while tick < MAX_TICK - 1 and get_sqrt_ratio_at_tick(tick + 1) <= s:
        tick += 1
    return tick


def _range(price, lower_price, upper_price):
    p = number("price", price, lo=0, lo_open=True, why="prices are positive")
    a = number("lower_price", lower_price, lo=0, why="the range's lower price")
    b = number("upper_price", upper_price, lo=0, lo_open=True, hi=np.inf, why="the range's upper price")
    if np.any(np.asarray(a) >= np.asarray(b)):
        fail("lower_price", "< upper_price", lower_price, f"upper_price is {upper_price}")
    return np.sqrt(p), np.sqrt(a), np.sqrt(b)


def amounts_for_liquidity(price, lower_price, upper_price, liquidity):
    """Token amounts held by ``liquidity`` in the range ``[lower_price, upper_price]`` (teaching).

    Below the range the position is all token0 (X), above it all token1 (Y).

    Parameters
    ----------
    price : float or array
        Current price (Y per X).
    lower_price, upper_price : float
        Range bounds (Y per X), ``0 <= lower < upper`` (``upper`` may be ``inf``).
    liquidity : float
        Liquidity ``L`` (> 0).

    Returns
    -------
    tuple of (float or array, float or array)
        ``(amount0, amount1)`` in tokens.

    Source: Uniswap V3 whitepaper, eqs. 6.29-6.30; LiquidityAmounts.sol in v3-periphery.
    Notebook 07.

    >>> [round(v, 4) for v in amounts_for_liquidity(1.0, 0.25, 4.0, 100.0)]
    [50.0, 50.0]
    """
    s, sa, sb = _range(price, lower_price, upper_price)
    L = number("liquidity", liquidity, lo=0)
    x, y = _range_amounts(s, sa, sb)
    return _out(L * x), _out(L * y)


def liquidity_for_amounts(price, lower_price, upper_price, amount0, amount1):
    """Most liquidity ``L`` that ``amount0`` of X and ``amount1`` of Y can provide in a range.

    In range, ``L`` is limited by whichever token runs out first (the other is left over);
    below the range only X counts, above it only Y. (Teaching, floats.)

    Parameters
    ----------
    price : float
        Current price (Y per X).
    lower_price, upper_price : float
        Range bounds (Y per X).
    amount0, amount1 : float
        Tokens available (X and Y).

    Returns
    -------
    float
        Liquidity ``L``.

    Source: v3-periphery ``LiquidityAmounts.getLiquidityForAmounts``. Notebook 07.

    >>> round(liquidity_for_amounts(1.0, 0.25, 4.0, 50.0, 50.0), 6)
    100.0
    """
    s, sa, sb = _range(price, lower_price, upper_price)
    a0 = number("amount0", amount0, lo=0)
    a1 = number("amount1", amount1, lo=0)
    x_per_l, y_per_l = _range_amounts(s, sa, sb)
    with np.errstate(divide="ignore", invalid="ignore"):
        l0 = np.where(x_per_l > 0, a0 / np.where(x_per_l > 0, x_per_l, 1.0), np.inf)
        l1 = np.where(y_per_l > 0, a1 / np.where(y_per_l > 0, y_per_l, 1.0), np.inf)
    return _out(np.minimum(l0, l1))


def capital_efficiency(lower, upper, price_ratio=1.0):
    """How many times less capital a range needs than full range for the same liquidity.

    Parameters
    ----------
    lower, upper : float or array
        Range bounds as multiples of the current price (``lower < 1 < upper`` for a range that
        is active now).
    price_ratio : float or array
        Current price / reference price (default 1: the price the bounds refer to).

    Returns
    -------
    float or array
        Full-range capital / range capital for equal ``L`` (>= 1; 1 for the full range).

    Source: Uniswap V3 whitepaper, section 2 (about 4000x for a range 0.1% wide,
    ``capital_efficiency(0.9995, 1.0005)``). Notebook 07.

    >>> round(capital_efficiency(0.25, 4.0), 6)      # price within a factor 4 either way
    2.0
    """
    r = number("price_ratio", price_ratio, lo=0, lo_open=True)
    a = number("lower", lower, lo=0)
    b = number("upper", upper, lo=0, lo_open=True, hi=np.inf)
    if np.any(np.asarray(a) >= np.asarray(b)):
        fail("lower", "< upper", lower, f"upper is {upper}: the range must have width")
    s = np.sqrt(r)
    x, y = _range_amounts(s, np.sqrt(a), np.sqrt(b))
    return _out(2.0 * s / (x * r + y))
