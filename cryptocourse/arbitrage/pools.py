"""Arbitrage against constant-product pools in floats: optimal trades, no-arbitrage bands, two pools, gas auctions."""
from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from ._common import _as_out, _fee, _gas, _price, _reserves
from .._validate import fail, number

# --------------------------------------------------------------------------- teaching (floats)


def optimal_trade(price: ArrayLike, reserve_a: ArrayLike, reserve_b: ArrayLike, fee: ArrayLike = 0.003) -> tuple[Any, Any]:
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


def trade_profit(amount_in: ArrayLike, price: ArrayLike, reserve_a: ArrayLike, reserve_b: ArrayLike,
                 a_to_b: ArrayLike = True, fee: ArrayLike = 0.003) -> float | np.ndarray:
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
    from ..amm import amount_out

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


def arbitrage_profit(price: ArrayLike, reserve_a: ArrayLike, reserve_b: ArrayLike, fee: ArrayLike = 0.003,
                     gas_cost: ArrayLike = 0.0) -> float | np.ndarray:
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


def no_arbitrage_band(reserve_a: ArrayLike, reserve_b: ArrayLike, fee: ArrayLike = 0.003,
                      gas_cost: ArrayLike = 0.0) -> tuple[Any, Any]:
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


def min_profitable_gap(reserve_a: ArrayLike, reserve_b: ArrayLike, fee: ArrayLike = 0.003,
                       gas_cost: ArrayLike = 0.0) -> float | np.ndarray:
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


def two_pool_min_gap(reserve_a: ArrayLike, reserve_b: ArrayLike, fee: ArrayLike = 0.003,
                     gas_cost: ArrayLike = 0.0) -> float | np.ndarray:
    """Smallest price gap between two identical pools at which arbitrage between them pays its gas.

    Two constant-product pools hold the same reserves except that pool 2 prices A ``(1 + gap)``
    times higher (``reserve_b * (1 + gap)`` of B). The best trade of :func:`two_pool_arbitrage`
    then earns ``y * (g * sqrt(1 + gap) - 1)**2 / (g * (1 + g))`` (y = ``reserve_b``, g = 1 - fee),
    from the maximum ``(sqrt(P) - sqrt(Q))**2 / R`` of ``P*b / (Q + R*b) - b``. Setting it equal to
    the gas gives the gap: ``((1 + sqrt(gas * g * (1 + g) / y)) / g)**2 - 1``.

    Parameters
    ----------
    reserve_a, reserve_b : float or array
        Pool 1's reserves in tokens (pool 2 has the same A).
    fee : float or array, default 0.003
        Both pools' swap fee as a fraction.
    gas_cost : float or array, default 0
        Cost of the two-swap transaction in B.

    Returns
    -------
    float or array
        The gap as a fraction of pool 1's price (0.01 = 1 %).

    Examples
    --------
    >>> round(two_pool_min_gap(125.0, 5_000_000.0), 6)     # fees alone: (1/0.997)**2 - 1
    0.006027
    >>> round(two_pool_min_gap(125.0, 5_000_000.0, gas_cost=20.0), 6)    # $10M pools, $20 of gas
    0.011713
    >>> t = two_pool_arbitrage(125.0, 5e6, 125.0, 5e6 * (1 + two_pool_min_gap(125.0, 5e6, gas_cost=20.0)))
    >>> round(t.profit, 6)                                 # at that gap the best trade earns the gas
    20.0
    """
    _, y = _reserves(reserve_a, reserve_b)
    g = 1.0 - np.asarray(_fee(fee))
    gas = np.asarray(_gas(gas_cost))
    return _as_out(((1.0 + np.sqrt(gas * g * (1.0 + g) / y)) / g) ** 2 - 1.0)


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


def _chain(x1: ArrayLike, y1: ArrayLike, x2: ArrayLike, y2: ArrayLike, g1: ArrayLike, g2: ArrayLike) -> tuple:
    # buy A in pool 1 with b of B, sell it in pool 2: out = P*b / (Q + R*b)
    big_p = g1 * g2 * x1 * y2
    big_q = x2 * y1
    big_r = g1 * (x2 + g2 * x1)
    b = np.maximum((np.sqrt(big_p * big_q) - big_q) / big_r, 0.0)
    profit = big_p * b / (big_q + big_r * b) - b
    a = g1 * x1 * b / (y1 + g1 * b)
    return b, a, profit


def two_pool_trade_profit(amount_in: ArrayLike, reserve_a_buy: ArrayLike, reserve_b_buy: ArrayLike,
                          reserve_a_sell: ArrayLike, reserve_b_sell: ArrayLike, fee_buy: ArrayLike = 0.003,
                          fee_sell: ArrayLike = 0.003) -> float | np.ndarray:
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
    from ..amm import amount_out

    b = number("amount_in", amount_in, lo=0, hi=math.inf, hi_open=True, why="B spent in the cheap pool")
    x1, y1 = _reserves(reserve_a_buy, reserve_b_buy, "_buy")
    x2, y2 = _reserves(reserve_a_sell, reserve_b_sell, "_sell")
    f1, f2 = _fee(fee_buy, "fee_buy"), _fee(fee_sell, "fee_sell")
    a = amount_out(b, y1, x1, fee=f1)
    return _as_out(np.asarray(amount_out(a, x2, y2, fee=f2) - b, dtype=float))


def two_pool_arbitrage(reserve_a1: ArrayLike, reserve_b1: ArrayLike, reserve_a2: ArrayLike, reserve_b2: ArrayLike,
                       fee1: ArrayLike = 0.003, fee2: ArrayLike = 0.003, gas_cost: ArrayLike = 0.0) -> TwoPoolTrade:
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
    x1, y1 = _reserves(reserve_a1, reserve_b1, "1")
    x2, y2 = _reserves(reserve_a2, reserve_b2, "2")
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


def gas_auction(gross_profit: float, bot_costs: ArrayLike) -> AuctionResult:
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
