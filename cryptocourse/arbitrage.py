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
* **The LP's side**: :func:`lvr_rate`, :func:`breakeven_volume`, :func:`lvr_path` (one given
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

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ._validate import fail, integer, number

__all__ = [
    "exchange_arbitrage", "ExchangeArbitrage",
    "flash_loan_premium", "flash_arbitrage_profit", "FlashArbitrage", "optimal_flash_amount",
    "deploy_flash_arbitrage", "FlashLab",
    "lvr_path", "PathLVR",
    "profit_maximizing_trade", "optimal_trade", "trade_profit", "arbitrage_profit",
    "no_arbitrage_band", "min_profitable_gap", "two_pool_min_gap", "two_pool_trade_profit", "two_pool_arbitrage", "TwoPoolTrade",
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


# --------------------------------------------------------------------------- two exchanges


class ExchangeArbitrage(NamedTuple):
    """Result of :func:`exchange_arbitrage` (USD unless said otherwise)."""

    gross: float
    """The gap times the amount: what the headline promises."""
    buy_fee: float
    """Taker fee paid on the buying venue."""
    withdrawal_cost: float
    """The withdrawal fee (in coins, it pays the network fee) valued at the selling price."""
    sell_fee: float
    """Taker fee paid on the selling venue (on the coins that arrived)."""
    cash_transfer_fee: float
    """Moving the dollars back to the buying venue for the next round."""
    net: float
    """gross - every cost: the profit of one round (negative: a loss)."""
    breakeven_gap: float
    """The smallest selling price minus buying price (USD per coin) at which net = 0."""
    capital: float
    """Dollars on the buying venue plus coins on the selling venue, to trade both legs at once."""
    return_on_capital: float
    """net / capital, for one round (a fraction)."""
    move_sd: float
    """One standard deviation of the coins' value change while they travel (USD)."""
    p_gap_closes: float
    """Probability that, when the coins arrive, the selling price is at or below the buying price.

    (The chance that it touches the buying price at some moment during the transfer is higher.)
    """
    p_loss: float
    """Probability that the round trip done by transferring the coins ends with a loss."""


def _normal_cdf(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def exchange_arbitrage(buy_price=40_000.0, sell_price=40_100.0, amount=1.0, taker_fee_buy=0.001,
                       taker_fee_sell=0.001, withdrawal_fee=0.0005, cash_transfer_fee=15.0,
                       transfer_minutes=60.0, volatility=0.6) -> ExchangeArbitrage:
    """Buy a coin on one exchange and sell it on another: every cost, the capital and the price risk.

    One round: buy ``amount`` coins at ``buy_price`` (paying the taker fee), withdraw them
    (the venue keeps ``withdrawal_fee`` coins, which pays the blockchain's network fee), sell
    what arrives at ``sell_price`` (taker fee again), and move the dollars back
    (``cash_transfer_fee``) so the next round can start.

    Two ways to do it. *Transfer first*: the coins travel for ``transfer_minutes`` and the
    price moves meanwhile (a zero-drift geometric Brownian motion with ``volatility`` per
    year); ``p_loss`` and ``p_gap_closes`` measure that risk. *Inventory on both venues*:
    hold dollars on the buying venue and coins on the selling one, trade both legs at
    once and rebalance later; no price risk on the trade, but ``capital`` is tied up and
    every cost above is still paid.

    Parameters
    ----------
    buy_price, sell_price : float
        USD per coin on the cheap and on the dear venue (> 0).
    amount : float, default 1.0
        Coins bought (> withdrawal_fee).
    taker_fee_buy, taker_fee_sell : float, default 0.001
        Taker fee of each venue as a fraction (0.001 = 0.10 %).
    withdrawal_fee : float, default 0.0005
        Coins the buying venue keeps when you withdraw (>= 0).
    cash_transfer_fee : float, default 15.0
        USD to move the dollars back to the buying venue (>= 0).
    transfer_minutes : float, default 60.0
        Minutes from the withdrawal to coins you can sell (>= 0).
    volatility : float, default 0.6
        The coin's annual volatility (0.6 = 60 % per year, >= 0).

    Returns
    -------
    ExchangeArbitrage
        The cost items, ``net``, ``breakeven_gap``, ``capital``, ``return_on_capital``,
        ``move_sd``, ``p_gap_closes`` and ``p_loss``.

    Examples
    --------
    >>> r = exchange_arbitrage()                  # 1 BTC: 40,000 USD on one venue, 40,100 on another
    >>> round(r.gross, 2), round(r.net, 2), round(r.breakeven_gap, 2)
    (100.0, -15.13, 115.15)
    >>> round(exchange_arbitrage(withdrawal_fee=0, cash_transfer_fee=0).net, 2)   # the fees alone
    19.9

    The defaults are illustrative, not any venue's current price list: 0.10 % is the base spot
    taker fee of large exchanges (e.g. Binance's regular tier, as published in 2025-2026),
    0.0005 BTC is of the order exchanges charged for a bitcoin withdrawal (it moves with
    network congestion), 15 USD stands for a bank transfer or a stablecoin withdrawal (its cost
    depends on the method and on congestion); check each venue's fee page. Notebook 11.
    """
    why_p = "USD per coin on that venue"
    pb = number("buy_price", buy_price, lo=0, lo_open=True, hi=math.inf, hi_open=True, why=why_p)
    ps = number("sell_price", sell_price, lo=0, lo_open=True, hi=math.inf, hi_open=True, why=why_p)
    q = number("amount", amount, lo=0, lo_open=True, hi=math.inf, hi_open=True, why="coins bought")
    fb = number("taker_fee_buy", taker_fee_buy, lo=0, hi=1, hi_open=True, why="a fraction, 0.001 = 0.10 %")
    fs = number("taker_fee_sell", taker_fee_sell, lo=0, hi=1, hi_open=True, why="a fraction, 0.001 = 0.10 %")
    wf = number("withdrawal_fee", withdrawal_fee, lo=0, hi=math.inf, hi_open=True, why="coins kept by the venue")
    cash = number("cash_transfer_fee", cash_transfer_fee, lo=0, hi=math.inf, hi_open=True,
                  why="USD to move the dollars back")
    minutes = number("transfer_minutes", transfer_minutes, lo=0, hi=math.inf, hi_open=True,
                     why="minutes the coins travel")
    vol = number("volatility", volatility, lo=0, hi=10, why="annual volatility, 0.6 = 60 % per year")
    for name, v in (("buy_price", pb), ("sell_price", ps), ("amount", q), ("taker_fee_buy", fb),
                    ("taker_fee_sell", fs), ("withdrawal_fee", wf), ("cash_transfer_fee", cash),
                    ("transfer_minutes", minutes), ("volatility", vol)):
        if isinstance(v, np.ndarray):
            fail(name, "a single number", v, "one trade at a time", TypeError)
    if wf >= q:
        fail("withdrawal_fee", f"< amount ({q:g})", withdrawal_fee, "the fee would take every coin")
    arrived = q - wf
    cost = q * pb * (1.0 + fb)
    proceeds = arrived * ps * (1.0 - fs)
    net = proceeds - cost - cash
    sell_even = (cost + cash) / (arrived * (1.0 - fs))
    capital = cost + q * ps
    years = minutes / (365.0 * 24.0 * 60.0)
    sd_log = vol * math.sqrt(years)
    if sd_log > 0:
        def below(level):  # P(price at arrival <= level), zero-drift GBM
            return _normal_cdf((math.log(level / ps) + 0.5 * sd_log**2) / sd_log)
        p_loss, p_gap = below(sell_even), below(pb)
    else:
        p_loss, p_gap = float(net < 0), float(ps <= pb)
    return ExchangeArbitrage(
        gross=q * (ps - pb), buy_fee=q * pb * fb, withdrawal_cost=wf * ps, sell_fee=arrived * ps * fs,
        cash_transfer_fee=cash, net=net, breakeven_gap=sell_even - pb, capital=capital,
        return_on_capital=net / capital, move_sd=arrived * ps * sd_log, p_gap_closes=p_gap, p_loss=p_loss,
    )


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


# --------------------------------------------------------------------------- flash loans (exact)

_PERCENTAGE_FACTOR = 10_000  # Aave's PercentageMath: basis points


def flash_loan_premium(amount: int, premium_bps: int = 5) -> int:
    """The fee on a flash loan of ``amount`` wei, exactly as Aave V3 computes it.

    ``premium = (amount * premium_bps + 5_000) // 10_000``: Aave's ``percentMul``, which
    rounds half up. Aave V3's premium was initialised at deployment to 5 basis points
    (0.05 %) and can be changed by its governance (read ``FLASHLOAN_PREMIUM_TOTAL`` on
    the live pool); Aave V2 charged 9 (0.09 %).

    Parameters
    ----------
    amount : int
        Amount borrowed, in wei (>= 0).
    premium_bps : int, default 5
        The premium in basis points (0 to 9,999).

    Returns
    -------
    int
        The premium in wei; the borrower repays ``amount + premium``.

    Examples
    --------
    >>> flash_loan_premium(1_000_000 * 10**18)          # 0.05 % of a million tokens
    500000000000000000000
    >>> flash_loan_premium(1_000), flash_loan_premium(999), flash_loan_premium(1_001)  # half up
    (1, 0, 1)

    Source: aave/aave-v3-core, contracts/protocol/libraries/logic/FlashLoanLogic.sol
    (``executeFlashLoanSimple``: ``amount.percentMul(flashLoanPremiumTotal)``) and
    contracts/protocol/libraries/math/PercentageMath.sol; the 0.05 % default from Aave's
    developer documentation, "Flash Loans" (read 2026-12-03). The course contract
    ``contracts/FlashLender.vy`` does the same. Notebook 11.
    """
    a = integer("amount", amount, lo=0, hi=_UINT256_MAX // _PERCENTAGE_FACTOR,
                why="wei borrowed (a whole number)")
    bps = integer("premium_bps", premium_bps, lo=0, hi=_PERCENTAGE_FACTOR - 1,
                  why="basis points: 5 means 0.05 %")
    return (a * bps + _PERCENTAGE_FACTOR // 2) // _PERCENTAGE_FACTOR


class FlashArbitrage(NamedTuple):
    """Result of :func:`flash_arbitrage_profit` (all in wei)."""

    borrowed: int
    """B borrowed and spent in the cheap pool."""
    bought: int
    """A bought in the cheap pool and sold in the dear one."""
    returned: int
    """B received from the dear pool."""
    premium: int
    """The flash loan's fee."""
    profit: int
    """returned - borrowed - premium (negative: the transaction would revert)."""


def _pair(name, reserves):
    if isinstance(reserves, (str, bytes)) or not hasattr(reserves, "__len__") or len(reserves) != 2:
        fail(name, "a pair (reserve_a, reserve_b) of ints", reserves, "a pool's two reserves in wei", TypeError)
    why = "a Uniswap V2 pair stores reserves as uint112 and an empty pool has no price"
    return (integer(f"{name}[0]", reserves[0], lo=1, hi=_UINT112_MAX, why=why),
            integer(f"{name}[1]", reserves[1], lo=1, hi=_UINT112_MAX, why=why))


def flash_arbitrage_profit(borrowed: int, reserves_buy, reserves_sell, fee_bps: int = 30,
                           premium_bps: int = 5) -> FlashArbitrage:
    """Exact result of a flash-loan arbitrage between two Uniswap V2 pools (integers, wei).

    Borrow ``borrowed`` of token B, buy A with it in the pool where A is cheap, sell that A
    in the pool where it is dear, repay the loan plus :func:`flash_loan_premium`. Each swap
    is :func:`cryptocourse.amm.get_amount_out` on the pool's reserves, as the contract
    ``contracts/FlashArbitrage.vy`` computes it, so the profit equals the contract's to the wei.

    Parameters
    ----------
    borrowed : int
        B borrowed, in wei (>= 1).
    reserves_buy, reserves_sell : (int, int)
        ``(reserve_a, reserve_b)`` of the pool where A is bought and of the one where it is sold.
    fee_bps : int, default 30
        Each pool's swap fee in basis points (Uniswap V2: 30).
    premium_bps : int, default 5
        The flash loan's premium in basis points (Aave V3's default: 5).

    Returns
    -------
    FlashArbitrage
        ``borrowed``, ``bought``, ``returned``, ``premium``, ``profit`` (wei; negative profit:
        the contract reverts with "unprofitable").

    Examples
    --------
    >>> E18 = 10**18
    >>> cheap, dear = (125 * E18, 5_000_000 * E18), (125 * E18, 5_050_000 * E18)   # 40,000 vs 40,400
    >>> r = flash_arbitrage_profit(4_000 * E18, cheap, dear)
    >>> r.premium, r.profit                          # 2 tokens of premium, 7.41 tokens of profit
    (2000000000000000000, 7410142657022832910)

    Source: Uniswap/v2-periphery ``UniswapV2Library.getAmountOut`` and Aave V3's premium
    (see :func:`flash_loan_premium`). Notebook 11.
    """
    from .amm import get_amount_out

    b = integer("borrowed", borrowed, lo=1, hi=_UINT112_MAX, why="wei of token B borrowed")
    ra1, rb1 = _pair("reserves_buy", reserves_buy)
    ra2, rb2 = _pair("reserves_sell", reserves_sell)
    fee = integer("fee_bps", fee_bps, lo=0, hi=9_999, why="basis points: 30 means 0.30 %")
    bought = get_amount_out(b, rb1, ra1, fee)
    returned = get_amount_out(bought, ra2, rb2, fee) if bought > 0 else 0
    premium = flash_loan_premium(b, premium_bps)
    return FlashArbitrage(b, bought, returned, premium, returned - b - premium)


def optimal_flash_amount(reserves_buy, reserves_sell, fee_bps: int = 30, premium_bps: int = 5) -> int:
    """The loan (wei of B) that maximises a flash-loan arbitrage's profit; 0 when none pays.

    The two swaps compose to ``out(b) = P*b / (Q + R*b)`` (see :func:`two_pool_arbitrage`);
    the loan costs ``b * (1 + p)`` with p the premium, so the best size solves
    ``out'(b) = 1 + p``: ``b* = (sqrt(P*Q / (1 + p)) - Q) / R``, rounded down to a whole wei.
    It is computed in floats: the exact best loan can differ by a few parts in 10**15 (the
    profit is flat there, so this costs at most a few thousand wei).

    Parameters
    ----------
    reserves_buy, reserves_sell : (int, int)
        ``(reserve_a, reserve_b)`` of the pool where A is bought and of the one where it is sold.
    fee_bps : int, default 30
        Each pool's swap fee in basis points.
    premium_bps : int, default 5
        The flash loan's premium in basis points.

    Returns
    -------
    int
        Wei of B to borrow (0 if even the best size loses money).

    Examples
    --------
    >>> E18 = 10**18
    >>> b = optimal_flash_amount((125 * E18, 5_000_000 * E18), (125 * E18, 5_050_000 * E18))
    >>> b
    4324943211469698760704
    >>> optimal_flash_amount((125 * E18, 5_000_000 * E18), (125 * E18, 5_012_500 * E18))  # 40,100
    0

    Source: derived from two Uniswap V2 swaps (notebook 11).
    """
    ra1, rb1 = _pair("reserves_buy", reserves_buy)
    ra2, rb2 = _pair("reserves_sell", reserves_sell)
    fee = integer("fee_bps", fee_bps, lo=0, hi=9_999, why="basis points: 30 means 0.30 %")
    bps = integer("premium_bps", premium_bps, lo=0, hi=_PERCENTAGE_FACTOR - 1, why="basis points: 5 means 0.05 %")
    g = (10_000 - fee) / 10_000
    x1, y1, x2, y2 = float(ra1), float(rb1), float(ra2), float(rb2)
    big_p, big_q, big_r = g * g * x1 * y2, x2 * y1, g * (x2 + g * x1)
    best = (math.sqrt(big_p * big_q / (1.0 + bps / 10_000)) - big_q) / big_r
    if best < 1.0:
        return 0
    amount = min(int(best), _UINT112_MAX)
    return amount if flash_arbitrage_profit(amount, (ra1, rb1), (ra2, rb2), fee, bps).profit > 0 else 0


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


def two_pool_min_gap(reserve_a, reserve_b, fee=0.003, gas_cost=0.0):
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


def _follow_band(logp_t: np.ndarray, band: float, start=None) -> np.ndarray:
    """Pool log price, time-major: each step an arbitrageur moves it into [log P - band, log P + band].

    ``logp_t`` has shape (steps + 1, ...) (time first); the pool starts at ``start`` (default:
    the market price ``logp_t[0]``).
    """
    logs_t = np.empty_like(logp_t)
    if band == 0.0:
        logs_t[...] = logp_t
        return logs_t
    lo_t = logp_t - band
    hi_t = logp_t + band
    cur = np.array(logp_t[0] if start is None else start, dtype=float)  # a copy (0-d for one path)
    logs_t[0] = cur
    maximum, minimum = np.maximum, np.minimum
    for i in range(1, logp_t.shape[0]):  # the only sequential step: the pool remembers where it was
        maximum(cur, lo_t[i], out=cur)
        minimum(cur, hi_t[i], out=cur)
        logs_t[i] = cur
    return logs_t


def _steps(logp_t, logs_t, fee, liquidity):
    """Per-step LVR and arbitrage fees (time-major) and the pool's reserves, for liquidity L = sqrt(k)."""
    root_s = np.exp(0.5 * logs_t)
    x = liquidity / root_s
    y = liquidity * root_s
    price = np.exp(logp_t)
    dx = np.diff(x, axis=0)
    dy = np.diff(y, axis=0)
    p_next = price[1:]
    # the pool's loss on the arbitrage trade, valued at the market price after the move
    lvr_step = -(dx * p_next + dy)
    # the arbitrageur sends gross = net / (1 - fee) of the input token; the fee part goes to the LP
    gross_up = 1.0 / (1.0 - fee) - 1.0
    fee_step = gross_up * (np.maximum(dx, 0.0) * p_next + np.maximum(dy, 0.0))
    return price, x, y, lvr_step, fee_step


@dataclass(frozen=True)
class PathLVR:
    """Result of :func:`lvr_path`: one price path, every amount in B, one entry per price.

    ``pool_value`` excludes the fees (they are paid to the LP outside the reserves, in
    ``arb_fees``). Identities (exact): ``pool_value - rebalancing_value == -lvr`` and
    ``pool_value - hodl_value == -lvr + (rebalancing_value - hodl_value)``.
    """

    price: np.ndarray
    pool_value: np.ndarray
    hodl_value: np.ndarray
    rebalancing_value: np.ndarray
    lvr: np.ndarray
    arb_fees: np.ndarray

    @property
    def impermanent_loss(self) -> np.ndarray:
        """Pool value against holding the deposit, minus 1 (a fraction; fees excluded)."""
        return self.pool_value / self.hodl_value - 1.0

    @property
    def il_value(self) -> np.ndarray:
        """Pool value minus holding the deposit, in B (negative: the LP is behind holding)."""
        return self.pool_value - self.hodl_value


def lvr_path(prices, fee=0.0, pool_value=1.0) -> PathLVR:
    """Follow one price path with a constant-product pool and count LVR, fees and impermanent loss.

    The pool starts balanced at ``prices[0]`` (half its value in each token). At each new
    price an arbitrageur makes the optimal trade, which moves the pool's price to the
    nearest edge of the fee band [gamma*P, P/gamma] (with no fee: exactly to P). Three
    portfolios are compared, all valued at the market price:

    * the pool (its reserves; fees are counted apart, in ``arb_fees``),
    * **HODL**: the starting tokens, never traded,
    * **rebalancing**: at each step holds exactly the pool's tokens but trades at the market
      price (Milionis et al.'s benchmark). Its gain over the step is x * (P_new - P_old).

    ``lvr`` (rebalancing minus pool) grows at every step the price moves and never falls;
    impermanent loss (pool against HODL) depends only on the last price when there is no fee.

    Parameters
    ----------
    prices : sequence of float
        Market price of 1 A in B at each step (> 0), at least 2 of them.
    fee : float, default 0.0
        The pool's swap fee as a fraction.
    pool_value : float, default 1.0
        Pool value in B at the start.

    Returns
    -------
    PathLVR
        ``price``, ``pool_value``, ``hodl_value``, ``rebalancing_value``, cumulative ``lvr``
        and ``arb_fees`` (all in B, one entry per price), plus ``impermanent_loss``.

    Examples
    --------
    >>> there_and_back = lvr_path([100.0, 150.0, 100.0])      # up 50 %, then back
    >>> round(float(there_and_back.impermanent_loss[-1]), 6), round(float(there_and_back.lvr[-1]), 6)
    (0.0, 0.045876)
    >>> straight = lvr_path([100.0, 150.0])
    >>> round(float(straight.impermanent_loss[-1]), 6)          # IL at 1.5x, as in notebook 08
    -0.020204

    Source: Milionis, Moallemi, Roughgarden, Zhang (2022), "Automated Market Making and
    Loss-Versus-Rebalancing", https://arxiv.org/abs/2208.06046 (the rebalancing benchmark).
    Notebook 11.
    """
    p = number("prices", prices, lo=0, lo_open=True, hi=math.inf, hi_open=True,
               why="market prices of 1 A in B")
    p = np.atleast_1d(p)
    if p.ndim != 1 or p.size < 2:
        fail("prices", "a list of at least 2 prices", prices, "a path needs a start and an end")
    f = _fee(fee)
    if isinstance(f, np.ndarray):
        fail("fee", "a single number", fee, "one pool at a time", TypeError)
    v0 = number("pool_value", pool_value, lo=0, lo_open=True, hi=math.inf, hi_open=True,
                why="the pool's starting value in B")
    if isinstance(v0, np.ndarray):
        fail("pool_value", "a single number", pool_value, "one pool at a time", TypeError)
    logp = np.log(p)
    logs = _follow_band(logp, -math.log1p(-f))
    liquidity = v0 / (2.0 * math.sqrt(p[0]))  # value 2 L sqrt(P) at the start
    price, x, y, lvr_step, fee_step = _steps(logp, logs, f, liquidity)
    value = x * price + y
    hodl = x[0] * price + y[0]
    rebal = v0 + np.concatenate([[0.0], np.cumsum(x[:-1] * np.diff(price))])
    zero = np.zeros(1)
    return PathLVR(price=price, pool_value=value, hodl_value=hodl, rebalancing_value=rebal,
                   lvr=np.concatenate([zero, np.cumsum(lvr_step)]),
                   arb_fees=np.concatenate([zero, np.cumsum(fee_step)]))


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

    @property
    def il_value(self) -> np.ndarray:
        """Impermanent loss in B: pool value (ex fees) minus holding the deposit, per path and day.

        The deposit is half the starting value in each token at the starting price.
        """
        half = self.pool_value[:, :1] / 2.0
        return self.pool_value - half * (self.price / self.price[:, :1] + 1.0)

    def _per_path_year(self) -> dict:
        years = float(self.t[-1])
        v0 = float(self.pool_value[0, 0])
        out = {name: getattr(self, name)[:, -1] / years / v0
               for name in ("lvr", "arb_fees", "noise_fees", "lvr_theory")}
        out["lp_vs_rebalancing"] = out["arb_fees"] + out["noise_fees"] - out["lvr"]
        return out

    def per_year(self) -> dict:
        """Mean over paths of each total, annualised, as a fraction of the starting pool value."""
        return {name: float(v.mean()) for name, v in self._per_path_year().items()}

    def standard_error(self) -> dict:
        """Standard error of each :meth:`per_year` mean (sample std / sqrt(paths); nan for one path)."""
        n = self.lvr.shape[0]
        if n < 2:
            return {name: math.nan for name in self._per_path_year()}
        return {name: float(v.std(ddof=1) / math.sqrt(n)) for name, v in self._per_path_year().items()}


def simulate_lvr(sigma=0.8, fee=0.003, days: int = 365, steps_per_day: int = 24, n_paths: int = 100,
                 noise_volume=0.0, pool_value=1_000_000.0, drift=0.0, seed: int = 2026) -> LVRResult:
    """Arbitrage a constant-product pool against a GBM price and count LVR against fee income.

    Assumptions: the outside price follows geometric Brownian motion (``drift``, ``sigma``
    per year) starting at 1; at each step an arbitrageur makes the optimal trade, which
    moves the pool price to the edge of the fee band [gamma*P, P/gamma]; fees are paid to
    the LP outside the reserves (k stays constant); gas is ignored; uninformed traders
    trade ``noise_volume`` times the pool value per year in round trips that do not
    move the price and pay ``fee`` on it. LVR per step is the pool's loss on the
    arbitrage trade valued at the market price (what the rebalancing portfolio avoids);
    :func:`lvr_path` does the same on one given path.

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
        in B, plus ``price`` and ``pool_value`` (ex fees), each ``(n_paths, days + 1)``;
        ``per_year()`` and ``standard_error()`` summarise them.

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

    dt = 1.0 / (365.0 * spd)
    band = -math.log1p(-f)
    liquidity = v0 / 2.0  # L = sqrt(k): value 2L at P = 1
    rng = np.random.default_rng(seed)
    # Time-major blocks of whole days (steps, paths): small arrays that stay in the CPU cache.
    # Drawing the normals block by block gives the same numbers as one big draw.
    price_d = np.empty((days + 1, n_paths))
    value_d = np.empty((days + 1, n_paths))
    sums = {name: np.zeros((days + 1, n_paths)) for name in ("lvr", "arb_fees", "noise_fees", "lvr_theory")}
    price_d[0], value_d[0] = 1.0, v0
    last_logp = np.zeros(n_paths)
    last_logs = np.zeros(n_paths)
    block = max(1, 65_536 // (spd * n_paths))  # days per block: about 0.5 MB per array
    for d0 in range(0, days, block):
        d1 = min(days, d0 + block)
        rows = (d1 - d0) * spd
        logp = np.empty((rows + 1, n_paths))
        logp[0] = last_logp
        z = rng.standard_normal((rows, n_paths))
        z *= s * math.sqrt(dt)
        z += (mu - 0.5 * s * s) * dt
        np.cumsum(z, axis=0, out=logp[1:])
        logp[1:] += last_logp
        logs = _follow_band(logp, band, start=last_logs)
        price, x, y, lvr_step, fee_step = _steps(logp, logs, f, liquidity)
        value = x * price + y
        per_day = {"lvr": lvr_step, "arb_fees": fee_step,
                   "noise_fees": f * nv * dt * value[:-1], "lvr_theory": s * s / 8.0 * dt * value[:-1]}
        for name, step in per_day.items():
            sums[name][d0 + 1:d1 + 1] = step.reshape(d1 - d0, spd, n_paths).sum(axis=1)
        price_d[d0 + 1:d1 + 1] = price[spd::spd]
        value_d[d0 + 1:d1 + 1] = value[spd::spd]
        last_logp, last_logs = logp[-1].copy(), logs[-1].copy()
    cum = {name: np.cumsum(v, axis=0).T for name, v in sums.items()}

    return LVRResult(t=np.arange(days + 1) / 365.0, price=price_d.T.copy(), pool_value=value_d.T.copy(),
                     lvr=cum["lvr"], arb_fees=cum["arb_fees"], noise_fees=cum["noise_fees"],
                     lvr_theory=cum["lvr_theory"])


# --------------------------------------------------------------------------- the lab on the course EVM


@dataclass
class FlashLab:
    """Notebook 11's flash-loan arbitrage on the course EVM (built by :func:`deploy_flash_arbitrage`).

    Both pools hold ``coin`` as token0 and ``usd`` as token1 (Uniswap V2 orders its tokens by
    address; the lab keeps this order so reserves read as (coin, usd)).
    """

    coin: Any
    """ArbToken: the traded coin (token A)."""
    usd: Any
    """ArbToken: the dollar token (token B), also what the lender lends."""
    cheap: Any
    """ArbPair where the coin is cheap (bought)."""
    dear: Any
    """ArbPair where the coin is dear (sold)."""
    lender: Any
    """FlashLender holding dollar tokens."""
    executor: Any
    """FlashArbitrage, owned by ``bot``."""
    bot: str
    """The arbitrageur's address: it sends the transaction and receives the profit."""

    def reserves(self, pool) -> tuple[int, int]:
        """``(coin, usd)`` reserves of ``pool`` (``lab.cheap`` or ``lab.dear``), in wei."""
        r0, r1 = pool.get_reserves()
        return int(r0), int(r1)

    def run(self, amount: int, min_profit: int = 0):
        """Send the one arbitrage transaction from the bot; a :class:`cryptocourse.chain.CallResult`.

        Equivalent to ``lab.executor.run(lab.usd, lab.cheap, lab.dear, amount, min_profit,
        sender=lab.bot)``, but a revert comes back as ``ok=False`` with its reason and gas.
        """
        from . import chain

        amount = integer("amount", amount, lo=1, why="wei of dollar tokens to borrow")
        min_profit = integer("min_profit", min_profit, lo=0, why="wei the bot insists on keeping")
        return chain.try_call(self.executor.run, self.usd.address, self.cheap.address, self.dear.address,
                              amount, min_profit, sender=self.bot)


def deploy_flash_arbitrage(cheap=(125 * 10**18, 5_000_000 * 10**18), dear=(125 * 10**18, 5_050_000 * 10**18),
                           lender_cash: int = 10_000_000 * 10**18, premium_bps: int = 5,
                           seed: int = 2026) -> FlashLab:
    """Start a fresh course chain with two pools, a flash lender and an arbitrage contract.

    Deploys two :file:`ArbToken` (coin and usd, 18 decimals), two :file:`ArbPair` pools
    funded with ``cheap`` and ``dear`` reserves, a :file:`FlashLender` holding ``lender_cash``
    usd that charges ``premium_bps``, and a :file:`FlashArbitrage` contract owned by a
    fresh ``bot`` account that holds no tokens at all.

    Parameters
    ----------
    cheap, dear : (int, int)
        ``(coin, usd)`` reserves in wei of the pool where the coin is cheap and where it is dear.
        The defaults are notebook 11's pools (sections 6-7): 10M USD each, the coin at 40,000
        and 40,400 USD.
    lender_cash : int, default 10M tokens
        Dollar tokens (wei) the lender can lend.
    premium_bps : int, default 5
        The lender's premium in basis points (Aave V3's default, 0.05 %).
    seed : int, default 2026
        Seeds the chain's addresses (:func:`cryptocourse.chain.new_chain`).

    Returns
    -------
    FlashLab
        The contracts and the bot's address.

    Examples
    --------
    >>> lab = deploy_flash_arbitrage()
    >>> lab.reserves(lab.cheap), lab.usd.balanceOf(lab.bot)
    ((125000000000000000000, 5000000000000000000000000), 0)

    Source: the contracts in ``cryptocourse/contracts`` (ArbToken, ArbPair, FlashLender,
    FlashArbitrage). Notebook 11.
    """
    from . import chain

    cheap = _pair("cheap", cheap)
    dear = _pair("dear", dear)
    cash = integer("lender_cash", lender_cash, lo=0, hi=_UINT112_MAX, why="wei of dollar tokens")
    bps = integer("premium_bps", premium_bps, lo=0, hi=_PERCENTAGE_FACTOR - 1, why="basis points: 5 means 0.05 %")
    chain.new_chain(seed=integer("seed", seed, lo=0))
    deployer, bot = chain.accounts(2, names=["deployer", "bot"])
    coin = chain.deploy("ArbToken", "Lab Bitcoin", "lBTC", sender=deployer)
    usd = chain.deploy("ArbToken", "Lab Dollar", "lUSD", sender=deployer)
    pools = []
    for reserve_coin, reserve_usd in (cheap, dear):
        pool = chain.deploy("ArbPair", coin.address, usd.address, sender=deployer)
        coin.mint(pool.address, reserve_coin, sender=deployer)
        usd.mint(pool.address, reserve_usd, sender=deployer)
        pool.sync(sender=deployer)
        pools.append(pool)
    lender = chain.deploy("FlashLender", bps, sender=deployer)
    if cash:
        usd.mint(lender.address, cash, sender=deployer)
    executor = chain.deploy("FlashArbitrage", lender.address, sender=bot)
    return FlashLab(coin=coin, usd=usd, cheap=pools[0], dear=pools[1], lender=lender, executor=executor, bot=bot)
