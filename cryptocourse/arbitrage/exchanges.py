"""Arbitrage between two exchanges: every cost, the capital it ties up and the price risk of moving coins."""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .._validate import fail, number

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


def exchange_arbitrage(buy_price: float = 40_000.0, sell_price: float = 40_100.0, amount: float = 1.0,
                       taker_fee_buy: float = 0.001, taker_fee_sell: float = 0.001,
                       withdrawal_fee: float = 0.0005, cash_transfer_fee: float = 15.0,
                       transfer_minutes: float = 60.0, volatility: float = 0.6) -> ExchangeArbitrage:
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
        def below(level: float) -> float:  # P(price at arrival <= level), zero-drift GBM
            return _normal_cdf((math.log(level / ps) + 0.5 * sd_log**2) / sd_log)
        p_loss, p_gap = below(sell_even), below(pb)
    else:
        p_loss, p_gap = float(net < 0), float(ps <= pb)
    return ExchangeArbitrage(
        gross=q * (ps - pb), buy_fee=q * pb * fb, withdrawal_cost=wf * ps, sell_fee=arrived * ps * fs,
        cash_transfer_fee=cash, net=net, breakeven_gap=sell_even - pb, capital=capital,
        return_on_capital=net / capital, move_sd=arrived * ps * sd_log, p_gap_closes=p_gap, p_loss=p_loss,
    )
