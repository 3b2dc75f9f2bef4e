"""Arbitrage: the trade that moves a pool to the outside price, what it earns, and who pays for it.

Two kinds of functions live here:

* **Exact** (integer, wei): :func:`profit_maximizing_trade` mirrors Uniswap V2's
  ``computeProfitMaximizingTrade`` to the last wei.
* **Teaching** (floats, vectorised): :func:`optimal_trade`, :func:`trade_profit`,
  :func:`arbitrage_profit`, :func:`no_arbitrage_band`, :func:`min_profitable_gap`,
  :func:`two_pool_trade_profit`, :func:`two_pool_arbitrage`, :func:`gas_auction`, and the
  LP's side of the story, :func:`lvr_rate`, :func:`breakeven_volume` and :func:`simulate_lvr`
  (loss-versus-rebalancing, Milionis, Moallemi, Roughgarden and Zhang 2022).

Conventions for the float functions: a pool holds ``reserve_a`` of token A (the
risky asset, e.g. ETH) and ``reserve_b`` of token B (the quote, e.g. USD); a
*price* is the value of 1 A in units of B; ``fee`` is the pool's swap fee as a
fraction (0.003 = 0.30 %, Uniswap V2); every profit is in units of B. Swaps use
:func:`cryptocourse.amm.amount_out` (one AMM for the whole course).

Introduced in notebook 11 (``notebooks/11_arbitrage.ipynb``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ._validate import fail, integer, number

__all__ = [
    "profit_maximizing_trade", "optimal_trade", "trade_profit", "arbitrage_profit",
    "no_arbitrage_band", "min_profitable_gap", "two_pool_trade_profit", "two_pool_arbitrage", "TwoPoolTrade",
    "gas_auction", "AuctionResult", "lvr_rate", "breakeven_volume", "simulate_lvr", "LVRResult",
]

_UINT112_MAX = 2**112 - 1  # UniswapV2Pair stores reserves as uint112
_UINT256_MAX = 2**256 - 1
_WHY_FEE = "the pool's swap fee as a fraction, e.g. 0.003 for Uniswap V2's 0.30 %"


def _as_out(x):
    """numpy 0-d results -> Python float (or bool); arrays stay arrays."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        return x.item()
    if isinstance(x, np.generic):
        return x.item()
    return x


def _reserves(reserve_a, reserve_b):
    why = "an empty pool has no price to arbitrage"
    return (number("reserve_a", reserve_a, lo=0, lo_open=True, hi=math.inf, hi_open=True, why=why),
            number("reserve_b", reserve_b, lo=0, lo_open=True, hi=math.inf, hi_open=True, why=why))


def _price(price, name="price"):
    return number(name, price, lo=0, lo_open=True, hi=math.inf, hi_open=True,
                  why="the outside value of 1 token A in units of token B")


def _fee(fee, name="fee"):
    return number(name, fee, lo=0, hi=1, hi_open=True, why=_WHY_FEE)


def _gas(gas_cost):
    return number("gas_cost", gas_cost, lo=0, hi=math.inf, hi_open=True,
                  why="the transaction's cost in units of token B (0 for none)")


# --------------------------------------------------------------------------- exact


def profit_maximizing_trade(
    true_price_a: int,
    true_price_b: int,
    reserve_a: int,
    reserve_b: int,
    fee_bps: int = 30,
) -> tuple[bool, int]:
    """Direction and size of the trade that moves a Uniswap V2 pair to the true price (exact, wei).

    Integer math exactly as Uniswap V2's ``computeProfitMaximizingTrade``:
    with k = reserve_a * reserve_b and gamma = 1 - fee,
    ``amount_in = floor(sqrt(floor(k * p_in / (gamma * p_out)))) - floor(r_in / gamma)``,
    where ``p_in, p_out`` are the true prices of the token sold and bought.
    The true price is a ratio: ``true_price_a`` units of A are worth ``true_price_b``
    units of B (Uniswap's test "1:90" means 1 A = 90 B). After the trade the pool's
    marginal price net of the fee equals the true price (to rounding).

    Parameters
    ----------
    true_price_a, true_price_b : int
        The true exchange ratio A : B (both >= 1).
    reserve_a, reserve_b : int
        The pair's reserves in wei (1 to 2**112 - 1, as the pair stores them).
    fee_bps : int, default 30
        Swap fee in basis points (30 = 0.30 %, Uniswap V2's 997/1000).

    Returns
    -------
    (bool, int)
        ``a_to_b`` (True: sell A for B; False: sell B for A) and ``amount_in`` in wei
        of the token sold; ``(False, 0)`` when the gap is inside the fee (no trade pays).

    Examples
    --------
    >>> profit_maximizing_trade(1, 90, 10 * 10**18, 1000 * 10**18)
    (True, 526682316179835569)
    >>> profit_maximizing_trade(1, 110, 10 * 10**18, 1000 * 10**18)
    (False, 47376582963642643588)

    Source: Uniswap/v2-periphery, contracts/libraries/UniswapV2LiquidityMathLibrary.sol
    (``computeProfitMaximizingTrade``; also contracts/examples/ExampleSwapToPrice.sol),
    https://github.com/Uniswap/v2-periphery (master, read 2026-11-25); the examples are the
    numbers of test/ExampleSwapToPrice.spec.ts. ``FullMath.mulDiv`` is an exact floor
    division and ``Babylonian.sqrt`` a floor square root (``math.isqrt``). Notebook 11.
    """
    why_p = "a true price is a positive ratio of whole numbers (Uniswap reverts with ZERO_PRICE)"
    pa = integer("true_price_a", true_price_a, lo=1, hi=_UINT256_MAX // 10_000, why=why_p)
    pb = integer("true_price_b", true_price_b, lo=1, hi=_UINT256_MAX // 10_000, why=why_p)
    why_r = "a Uniswap V2 pair stores reserves as uint112 and an empty pool has no price"
    ra = integer("reserve_a", reserve_a, lo=1, hi=_UINT112_MAX, why=why_r)
    rb = integer("reserve_b", reserve_b, lo=1, hi=_UINT112_MAX, why=why_r)
    fee = integer("fee_bps", fee_bps, lo=0, hi=9_999, why="basis points: 30 means 0.30 %")
    denom = 10_000 - fee  # 9970 for 30 bps; 10000/9970 == 1000/997, so results match exactly
    a_to_b = (ra * pb) // rb < pa
    p_in, p_out = (pa, pb) if a_to_b else (pb, pa)
    r_in = ra if a_to_b else rb
    left = math.isqrt((ra * rb * 10_000 * p_in) // (p_out * denom))
    right = (r_in * 10_000) // denom
    if left < right:
        return False, 0
    return a_to_b, left - right


# --------------------------------------------------------------------------- teaching (floats)


def optimal_trade(price, reserve_a, reserve_b, fee=0.003):
    """Profit-maximising trade between a constant-product pool and an outside price (floats).

    If the pool values A above the outside price (reserve_b/reserve_a > price) the
    arbitrageur sells A into the pool: ``a* = sqrt(k / (gamma * price)) - reserve_a / gamma``;
    otherwise sells B: ``b* = sqrt(k * price / gamma) - reserve_b / gamma`` (gamma = 1 - fee,
    k = reserve_a * reserve_b). Negative sizes (gap inside the fee) become 0.

    Parameters
    ----------
    price : float or array
        Outside value of 1 A in units of B (> 0).
    reserve_a, reserve_b : float or array
        Pool reserves in tokens (> 0).
    fee : float or array, default 0.003
        Swap fee as a fraction.

    Returns
    -------
    (bool or bool array, float or array)
        ``a_to_b`` and ``amount_in`` in tokens of the token sold (A if a_to_b, else B).

    Examples
    --------
    >>> a_to_b, amount = optimal_trade(90.0, 10.0, 1000.0)   # Uniswap's 1:90 example
    >>> a_to_b, round(amount, 9)
    (True, 0.526682316)

    Source: the closed form of Uniswap V2's computeProfitMaximizingTrade (see
    :func:`profit_maximizing_trade`). Notebook 11.
    """
    p = _price(price)
    x, y = _reserves(reserve_a, reserve_b)
    g = 1.0 - _fee(fee)
    k = x * y
    a_to_b = y / x > p
    sell_a = np.sqrt(k / (g * p)) - x / g
    sell_b = np.sqrt(k * p / g) - y / g
    amount = np.maximum(np.where(a_to_b, sell_a, sell_b), 0.0)
    return _as_out(np.asarray(a_to_b)), _as_out(amount)


def trade_profit(amount_in, price, reserve_a, reserve_b, a_to_b=True, fee=0.003):
    """Profit in B of one trade of ``amount_in`` against the pool, valued at the outside price.

    Selling A: profit = B received - amount_in * price. Selling B: profit =
    A received * price - amount_in. Before gas.

    Parameters
    ----------
    amount_in : float or array
        Tokens sold into the pool (A if ``a_to_b``, else B), >= 0.
    price : float or array
        Outside value of 1 A in B.
    reserve_a, reserve_b : float or array
        Pool reserves in tokens.
    a_to_b : bool, default True
        Direction: True sells A for B.
    fee : float, default 0.003
        Swap fee as a fraction.

    Returns
    -------
    float or array
        Profit in units of B (negative: a loss).

    Examples
    --------
    >>> round(trade_profit(0.526682316, 90.0, 10.0, 1000.0), 6)
    2.489059
    >>> trade_profit(0.0, 90.0, 10.0, 1000.0)
    0.0

    Source: constant-product swap with fee (Uniswap V2 whitepaper, 2020). Notebook 11.
    """
    from .amm import amount_out

    a = number("amount_in", amount_in, lo=0, hi=math.inf, hi_open=True,
               why="tokens sold into the pool")
    p = _price(price)
    x, y = _reserves(reserve_a, reserve_b)
    f = _fee(fee)
    if not isinstance(a_to_b, (bool, np.bool_)):
        fail("a_to_b", "True or False", a_to_b, "True sells A for B, False sells B for A", TypeError)
    if a_to_b:
        out = amount_out(a, x, y, fee=f)
        result = out - a * p
    else:
        out = amount_out(a, y, x, fee=f)
        result = out * p - a
    return _as_out(np.asarray(result, dtype=float))


def arbitrage_profit(price, reserve_a, reserve_b, fee=0.003, gas_cost=0.0):
    """Best profit in B from arbitraging a pool against an outside price, after fees and gas.

    Closed form of the optimal trade's profit: selling A,
    ``reserve_b + price*reserve_a/gamma - 2*sqrt(k*price/gamma)``; selling B,
    ``price*reserve_a + reserve_b/gamma - 2*sqrt(k*price/gamma)``; 0 inside the fee band
    [gamma*S, S/gamma] (S = reserve_b/reserve_a, the pool price);
    minus ``gas_cost``. A negative result means the arbitrage does not pay.

    Parameters
    ----------
    price : float or array
        Outside value of 1 A in B.
    reserve_a, reserve_b : float or array
        Pool reserves in tokens.
    fee : float or array, default 0.003
        Swap fee as a fraction.
    gas_cost : float or array, default 0
        Cost of the transaction in B.

    Returns
    -------
    float or array
        Profit in B (gross profit minus gas).

    Examples
    --------
    >>> round(arbitrage_profit(90.0, 10.0, 1000.0), 6)
    2.489059
    >>> round(arbitrage_profit(90.0, 10.0, 1000.0, gas_cost=5.0), 6)
    -2.510941

    Source: derived from the constant-product curve with fee (notebook 11 derives it).
    """
    p = _price(price)
    x, y = _reserves(reserve_a, reserve_b)
    g = 1.0 - _fee(fee)
    gas = _gas(gas_cost)
    root = 2.0 * np.sqrt(x * y * p / g)
    sell_a = y + p * x / g - root
    sell_b = p * x + y / g - root
    s = y / x
    # each closed form holds only where its trade size is positive (outside the fee band)
    gross = np.where(p < g * s, sell_a, np.where(p > s / g, sell_b, 0.0))
    return _as_out(np.maximum(gross, 0.0) - gas)


def no_arbitrage_band(reserve_a, reserve_b, fee=0.003, gas_cost=0.0):
    """Outside prices that no arbitrage pays to exploit: (low, high) in B per A.

    Between ``low`` and ``high`` the best trade earns at most ``gas_cost``.
    ``high = (sqrt(S/gamma) + sqrt(gas/reserve_a))**2`` and
    ``low = (sqrt(gamma*S) - sqrt(gamma*gas/reserve_a))**2`` (0 when no low price pays),
    where S = reserve_b/reserve_a is the pool price. With no gas this is [gamma*S, S/gamma].

    Parameters
    ----------
    reserve_a, reserve_b : float or array
        Pool reserves in tokens.
    fee : float or array, default 0.003
        Swap fee as a fraction.
    gas_cost : float or array, default 0
        Cost of the transaction in B.

    Returns
    -------
    (float or array, float or array)
        The band's lower and upper outside price, B per A.

    Examples
    --------
    >>> low, high = no_arbitrage_band(10.0, 1000.0)
    >>> round(low, 4), round(high, 4)
    (99.7, 100.3009)

    Source: solving :func:`arbitrage_profit` = gas for the price. Notebook 11.
    """
    x, y = _reserves(reserve_a, reserve_b)
    g = 1.0 - _fee(fee)
    gas = _gas(gas_cost)
    s = y / x
    high = (np.sqrt(s / g) + np.sqrt(gas / x)) ** 2
    low_root = np.sqrt(g * s) - np.sqrt(g * gas / x)
    low = np.where(low_root > 0, low_root, 0.0) ** 2
    return _as_out(low), _as_out(high)


def min_profitable_gap(reserve_a, reserve_b, fee=0.003, gas_cost=0.0):
    """Smallest relative price gap (outside above pool) at which arbitrage pays its fee and gas.

    ``high / S - 1`` with ``high`` from :func:`no_arbitrage_band` and S the pool price.
    With no gas the gap is ``1/gamma - 1`` (about the fee); gas makes it larger, the
    more so the smaller the pool.

    Parameters
    ----------
    reserve_a, reserve_b : float or array
        Pool reserves in tokens.
    fee : float or array, default 0.003
        Swap fee as a fraction.
    gas_cost : float or array, default 0
        Cost of the transaction in B.

    Returns
    -------
    float or array
        The gap as a fraction of the pool price (0.01 = 1 %).

    Examples
    --------
    >>> round(min_profitable_gap(10.0, 1000.0), 6)        # the fee alone: 0.3009 %
    0.003009
    >>> round(min_profitable_gap(10.0, 1000.0, gas_cost=1.0), 4)
    0.0673

    Source: see :func:`no_arbitrage_band`. Notebook 11.
    """
    x, y = _reserves(reserve_a, reserve_b)
    _, high = no_arbitrage_band(x, y, fee, gas_cost)
    return _as_out(np.asarray(high) / (y / x) - 1.0)


class TwoPoolTrade(NamedTuple):
    """Result of :func:`two_pool_arbitrage`."""

    buy_pool: int | np.ndarray
    """Pool where A is bought with B (1 or 2); 0 when no trade pays."""
    amount_in: float | np.ndarray
    """B spent in the cheap pool, in tokens of B."""
    amount_a: float | np.ndarray
    """A bought in the cheap pool and sold in the dear one."""
    profit: float | np.ndarray
    """B back from the dear pool minus B spent, minus gas (in B)."""


def _chain(x1, y1, x2, y2, g1, g2):
    # buy A in pool 1 with b of B, sell it in pool 2: out = P*b / (Q + R*b)
    big_p = g1 * g2 * x1 * y2
    big_q = x2 * y1
    big_r = g1 * (x2 + g2 * x1)
    b = np.maximum((np.sqrt(big_p * big_q) - big_q) / big_r, 0.0)
    profit = big_p * b / (big_q + big_r * b) - b
    a = g1 * x1 * b / (y1 + g1 * b)
    return b, a, profit


def two_pool_trade_profit(amount_in, reserve_a_buy, reserve_b_buy, reserve_a_sell, reserve_b_sell,
                          fee_buy=0.003, fee_sell=0.003):
    """Profit in B of spending ``amount_in`` B to buy A in one pool and selling that A in another.

    Parameters
    ----------
    amount_in : float or array
        B spent in the pool where A is bought (>= 0).
    reserve_a_buy, reserve_b_buy : float
        Reserves of the pool where A is bought.
    reserve_a_sell, reserve_b_sell : float
        Reserves of the pool where A is sold.
    fee_buy, fee_sell : float, default 0.003
        The two pools' swap fees as fractions.

    Returns
    -------
    float or array
        B received minus B spent (before gas).

    Examples
    --------
    >>> round(two_pool_trade_profit(18855.9, 100.0, 4e6, 100.0, 4.1e6), 2)
    176.97

    Source: two Uniswap V2 swaps in a row (:func:`cryptocourse.amm.amount_out`). Notebook 11.
    """
    from .amm import amount_out

    b = number("amount_in", amount_in, lo=0, hi=math.inf, hi_open=True, why="B spent in the cheap pool")
    x1, y1 = _reserves(reserve_a_buy, reserve_b_buy)
    x2, y2 = _reserves(reserve_a_sell, reserve_b_sell)
    f1, f2 = _fee(fee_buy, "fee_buy"), _fee(fee_sell, "fee_sell")
    a = amount_out(b, y1, x1, fee=f1)
    return _as_out(np.asarray(amount_out(a, x2, y2, fee=f2) - b, dtype=float))


def two_pool_arbitrage(reserve_a1, reserve_b1, reserve_a2, reserve_b2, fee1=0.003, fee2=0.003,
                       gas_cost=0.0) -> TwoPoolTrade:
    """Optimal arbitrage between two A/B constant-product pools (floats).

    Buy A with B where A is cheap, sell it where it is dear. The two swaps compose to
    ``out = P*b / (Q + R*b)`` with P = g1*g2*x1*y2, Q = x2*y1, R = g1*(x2 + g2*x1), so the
    best size is ``b* = (sqrt(P*Q) - Q) / R``; it pays only if g1*g2*(y2/x2) > y1/x1.

    Parameters
    ----------
    reserve_a1, reserve_b1, reserve_a2, reserve_b2 : float or array
        The two pools' reserves in tokens.
    fee1, fee2 : float, default 0.003
        Each pool's swap fee as a fraction.
    gas_cost : float, default 0
        Cost of the (two-swap) transaction in B; a trade is made only if it pays.

    Returns
    -------
    TwoPoolTrade
        ``buy_pool`` (1, 2 or 0 for none), ``amount_in`` (B), ``amount_a`` (A moved), ``profit`` (B).

    Examples
    --------
    >>> t = two_pool_arbitrage(100.0, 40_000 * 100.0, 100.0, 40_100 * 100.0)  # $40,000 vs $40,100
    >>> t.buy_pool, round(t.profit, 2)        # 0.25 % gap < two 0.30 % fees: no trade
    (0, 0.0)
    >>> t = two_pool_arbitrage(100.0, 40_000 * 100.0, 100.0, 41_000 * 100.0)
    >>> t.buy_pool, round(t.amount_a, 4), round(t.profit, 2)
    (1, 0.4678, 176.97)

    Source: composition of two Uniswap V2 swaps (notebook 11 derives it).
    """
    x1, y1 = _reserves(reserve_a1, reserve_b1)
    x2, y2 = _reserves(reserve_a2, reserve_b2)
    g1 = 1.0 - _fee(fee1, "fee1")
    g2 = 1.0 - _fee(fee2, "fee2")
    gas = _gas(gas_cost)
    b12, a12, p12 = _chain(x1, y1, x2, y2, g1, g2)
    b21, a21, p21 = _chain(x2, y2, x1, y1, g2, g1)
    first = p12 >= p21
    best = np.where(first, p12, p21) - gas
    pays = best > 0
    buy = np.where(pays, np.where(first, 1, 2), 0)
    return TwoPoolTrade(
        buy_pool=_as_out(buy),
        amount_in=_as_out(np.where(pays, np.where(first, b12, b21), 0.0)),
        amount_a=_as_out(np.where(pays, np.where(first, a12, a21), 0.0)),
        profit=_as_out(np.where(pays, best, 0.0)),
    )


class AuctionResult(NamedTuple):
    """Result of :func:`gas_auction`."""

    winner: int
    """Index of the winning bot (the one with the lowest own cost)."""
    priority_fee: float
    """What the winner bids for priority, paid to the block producer (B)."""
    winner_profit: float
    """What the winner keeps: gross profit - own cost - priority fee (B)."""
    to_block_producer: float
    """Share of the opportunity that goes to the block producer (= priority_fee)."""


def gas_auction(gross_profit: float, bot_costs) -> AuctionResult:
    """Bots bid for the same arbitrage; the one that pays the most gas wins it.

    A priority gas auction modelled as an open ascending auction: bot i can bid up to
    ``gross_profit - bot_costs[i]``; the bot with the highest limit wins and pays the
    second-highest limit (or 0 when it is alone). With several equally efficient bots
    the winner keeps nothing: competition hands the profit to the block producer.

    Parameters
    ----------
    gross_profit : float
        Profit of the opportunity before priority fees, in B (>= 0).
    bot_costs : sequence of float
        Each bot's own cost to take it (base gas, infrastructure), in B (>= 0).

    Returns
    -------
    AuctionResult
        ``winner``, ``priority_fee``, ``winner_profit``, ``to_block_producer``.

    Examples
    --------
    >>> gas_auction(100.0, [10.0])              # alone: keeps all but its cost
    AuctionResult(winner=0, priority_fee=0.0, winner_profit=90.0, to_block_producer=0.0)
    >>> gas_auction(100.0, [10.0, 10.0, 30.0])  # two equal rivals: nothing left
    AuctionResult(winner=0, priority_fee=90.0, winner_profit=0.0, to_block_producer=90.0)

    Source: Daian et al. 2020, "Flash Boys 2.0" (priority gas auctions),
    https://arxiv.org/abs/1904.05234. Notebook 11.
    """
    g = number("gross_profit", gross_profit, lo=0, hi=math.inf, hi_open=True,
               why="the opportunity's profit in B before priority fees")
    if isinstance(g, np.ndarray):
        fail("gross_profit", "a single number", gross_profit, "one opportunity at a time", TypeError)
    costs = number("bot_costs", bot_costs, lo=0, hi=math.inf, hi_open=True,
                   why="each bot's own cost in B")
    costs = np.atleast_1d(costs)
    if costs.ndim != 1 or costs.size == 0:
        fail("bot_costs", "a non-empty list of numbers", bot_costs, "one cost per bot")
    limits = np.maximum(g - costs, 0.0)
    winner = int(np.argmax(limits))
    second = float(np.max(np.delete(limits, winner))) if costs.size > 1 else 0.0
    keep = float(limits[winner]) - second
    return AuctionResult(winner, second, keep, second)


# --------------------------------------------------------------------------- LVR


def lvr_rate(sigma, pool_value=1.0):
    """Loss-versus-rebalancing per unit time of a constant-product pool: sigma**2/8 * value.

    What arbitrageurs take from a full-range constant-product pool (before fees),
    compared with a portfolio that holds the same tokens but rebalances at market prices.

    Parameters
    ----------
    sigma : float or array
        Volatility of the price per square-root time unit (e.g. 0.8 = 80 % per year).
    pool_value : float or array, default 1.0
        Pool value in B (1.0 gives the rate as a fraction of the pool).

    Returns
    -------
    float or array
        LVR in B per time unit (per year if sigma is annual).

    Examples
    --------
    >>> lvr_rate(0.8)              # 80 % volatility: 8 % of the pool per year
    0.08
    >>> round(lvr_rate(0.8, 1_000_000) / 365, 2)   # USD per day on a $1M pool
    219.18

    Source: Milionis, Moallemi, Roughgarden, Zhang (2022), "Automated Market Making and
    Loss-Versus-Rebalancing", https://arxiv.org/abs/2208.06046, Section 5 (constant product).
    Notebook 11.
    """
    s = number("sigma", sigma, lo=0, hi=math.inf, hi_open=True,
               why="volatility per sqrt(time unit), e.g. 0.8 for 80 % per year")
    v = number("pool_value", pool_value, lo=0, hi=math.inf, hi_open=True, why="pool value in B")
    return _as_out(np.asarray(s**2 / 8.0 * v))


def breakeven_volume(sigma, fee):
    """Uninformed trading volume (per time unit, as a multiple of pool value) whose fees pay the LVR.

    fee * volume = sigma**2 / 8  =>  volume = sigma**2 / (8 * fee). Ignores the fees that
    arbitrageurs themselves pay (which reduce the net cost further).

    Parameters
    ----------
    sigma : float or array
        Volatility per square-root time unit.
    fee : float or array
        Swap fee as a fraction (> 0).

    Returns
    -------
    float or array
        Volume per time unit divided by pool value (1.0 = the pool's value once).

    Examples
    --------
    >>> round(breakeven_volume(0.8, 0.003), 2)   # 80 % vol, 0.30 % fee: 26.67 x pool per year
    26.67

    Source: Milionis et al. (2022), https://arxiv.org/abs/2208.06046. Notebook 11.
    """
    s = number("sigma", sigma, lo=0, hi=math.inf, hi_open=True,
               why="volatility per sqrt(time unit), e.g. 0.8 for 80 % per year")
    f = number("fee", fee, lo=0, lo_open=True, hi=1, hi_open=True, why=_WHY_FEE + "; with no fee nothing pays")
    return _as_out(np.asarray(s**2 / (8.0 * f)))


@dataclass(frozen=True)
class LVRResult:
    """Result of :func:`simulate_lvr`: cumulative amounts per path, in B, recorded once a day.

    Arrays have shape ``(n_paths, days + 1)``; ``t`` is time in years (``days + 1``).
    """

    t: np.ndarray
    price: np.ndarray
    pool_value: np.ndarray
    lvr: np.ndarray
    arb_fees: np.ndarray
    noise_fees: np.ndarray
    lvr_theory: np.ndarray

    @property
    def lp_vs_rebalancing(self) -> np.ndarray:
        """The LP's result against the rebalancing portfolio: fees - LVR (B), per path and day."""
        return self.arb_fees + self.noise_fees - self.lvr

    def per_year(self) -> dict:
        """Mean over paths of each total, annualised, as a fraction of the starting pool value."""
        years = float(self.t[-1])
        v0 = float(self.pool_value[0, 0])
        out = {}
        for name in ("lvr", "arb_fees", "noise_fees", "lvr_theory"):
            out[name] = float(getattr(self, name)[:, -1].mean()) / years / v0
        out["lp_vs_rebalancing"] = out["arb_fees"] + out["noise_fees"] - out["lvr"]
        return out


def simulate_lvr(sigma=0.8, fee=0.003, days: int = 365, steps_per_day: int = 24, n_paths: int = 100,
                 noise_volume=0.0, pool_value=1_000_000.0, drift=0.0, seed: int = 2026) -> LVRResult:
    """Arbitrage a constant-product pool against a GBM price and count LVR against fee income.

    Assumptions: the outside price follows geometric Brownian motion (``drift``, ``sigma``
    per year) starting at 1; at each step an arbitrageur makes the optimal trade, which
    moves the pool price to the edge of the fee band [gamma*P, P/gamma]; fees are paid to
    the LP outside the reserves (k stays constant); gas is ignored; uninformed traders
    trade ``noise_volume`` times the pool value per year in round trips that do not
    move the price and pay ``fee`` on it. LVR per step is the pool's loss on the
    arbitrage trade valued at the market price (what the rebalancing portfolio avoids).

    Parameters
    ----------
    sigma : float, default 0.8
        Annual volatility (0.8 = 80 % per year).
    fee : float, default 0.003
        Swap fee as a fraction.
    days : int, default 365
        Length of the simulation in days.
    steps_per_day : int, default 24
        Arbitrage opportunities per day (24 = hourly blocks of arbitrage).
    n_paths : int, default 100
        Number of simulated price paths.
    noise_volume : float, default 0
        Uninformed volume per year as a multiple of pool value.
    pool_value : float, default 1e6
        Starting pool value in B.
    drift : float, default 0
        Annual drift of the price.
    seed : int, default 2026
        Seed of the random generator (same seed, same paths).

    Returns
    -------
    LVRResult
        Cumulative ``lvr``, ``arb_fees``, ``noise_fees``, ``lvr_theory`` (sigma**2/8 * V dt)
        in B, plus ``price`` and ``pool_value`` (ex fees), each ``(n_paths, days + 1)``.

    Examples
    --------
    >>> r = simulate_lvr(sigma=0.8, fee=0.0, days=30, steps_per_day=96, n_paths=200)
    >>> round(r.per_year()["lvr"] / r.per_year()["lvr_theory"], 1)   # sigma**2/8 holds
    1.0

    Source: Milionis, Moallemi, Roughgarden, Zhang (2022), https://arxiv.org/abs/2208.06046
    (LVR) and Milionis et al. (2023), https://arxiv.org/abs/2305.14604 (arbitrage with
    fees and discrete blocks). Notebook 11.
    """
    s = number("sigma", sigma, lo=0, hi=10, why="annual volatility, e.g. 0.8 for 80 % per year")
    f = number("fee", fee, lo=0, hi=0.5, why=_WHY_FEE)
    if isinstance(s, np.ndarray) or isinstance(f, np.ndarray):
        fail("sigma and fee", "single numbers", (sigma, fee), "simulate one setting at a time", TypeError)
    days = integer("days", days, lo=1, hi=3650, why="length of the simulation in days")
    spd = integer("steps_per_day", steps_per_day, lo=1, hi=1440, why="arbitrage steps per day")
    n_paths = integer("n_paths", n_paths, lo=1, hi=100_000, why="number of price paths")
    if n_paths * days * spd > 20_000_000:
        fail("n_paths * days * steps_per_day", "<= 20,000,000", n_paths * days * spd,
             "fewer paths or coarser steps keep it fast and in memory")
    nv = float(number("noise_volume", noise_volume, lo=0, hi=1e6,
                      why="uninformed volume per year as a multiple of pool value"))
    v0 = float(number("pool_value", pool_value, lo=0, lo_open=True, hi=1e18, why="starting pool value in B"))
    mu = float(number("drift", drift, lo=-10, hi=10, why="annual drift of the price"))
    seed = integer("seed", seed, lo=0, why="any whole number >= 0")

    n = days * spd
    dt = 1.0 / (365.0 * spd)
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n_paths, n))
    logp = np.concatenate([np.zeros((n_paths, 1)),
                           np.cumsum((mu - 0.5 * s * s) * dt + s * math.sqrt(dt) * z, axis=1)], axis=1)
    band = -math.log1p(-f)  # log(1/gamma)
    # pool log price follows the band around the outside log price (the only sequential step)
    lo_t = np.ascontiguousarray((logp - band).T)  # time-major rows: fast to walk step by step
    hi_t = np.ascontiguousarray((logp + band).T)
    logs_t = np.empty_like(lo_t)
    cur = logp[:, 0].copy()
    logs_t[0] = cur
    maximum, minimum = np.maximum, np.minimum
    for i in range(1, n + 1):
        maximum(cur, lo_t[i], out=cur)
        minimum(cur, hi_t[i], out=cur)
        logs_t[i] = cur
    logs = logs_t.T
    price = np.exp(logp)
    liq = v0 / 2.0  # L = sqrt(k); value 2L at S = P = 1
    root_s = np.exp(0.5 * logs)
    x = liq / root_s
    y = liq * root_s
    dx = np.diff(x, axis=1)
    dy = np.diff(y, axis=1)
    p_next = price[:, 1:]
    lvr_step = -(dx * p_next + dy)
    gross_up = 1.0 / (1.0 - f) - 1.0
    fee_step = gross_up * (np.maximum(dx, 0.0) * p_next + np.maximum(dy, 0.0))
    value = x * price + y
    theory_step = s * s / 8.0 * value[:, :-1] * dt
    noise_step = f * nv * value[:, :-1] * dt

    def cum_daily(step):
        c = np.concatenate([np.zeros((n_paths, 1)), np.cumsum(step, axis=1)], axis=1)
        return c[:, ::spd]

    return LVRResult(
        t=np.arange(days + 1) / 365.0,
        price=price[:, ::spd],
        pool_value=value[:, ::spd],
        lvr=cum_daily(lvr_step),
        arb_fees=cum_daily(fee_step),
        noise_fees=cum_daily(noise_step),
        lvr_theory=cum_daily(theory_step),
    )
