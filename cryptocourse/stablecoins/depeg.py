"""A depeg in a StableSwap pool: what arbitrageurs sell into it and what its liquidity providers hold after."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from cryptocourse._validate import fail, number

# ---------------------------------------------------------------------------------------------
# a depeg in a StableSwap pool
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DepegOutcome:
    """A StableSwap pool before and after arbitrageurs trade a depegged coin into it (floats)."""

    balances_before: tuple     # (depegged coin, good coin), tokens
    balances_after: tuple
    sold_in: float             # depegged coins the arbitrageurs sold to the pool
    bought_out: float          # good coins they took out
    average_price: float       # good coins per depegged coin they got
    lp_value_at_par: float     # pool value if both coins are worth 1 USD (before)
    lp_value_after: float      # pool value after, at the market price of the depegged coin
    hodl_value: float          # the LP's deposit, kept as coins, at that market price
    depegged_share: float      # share of the depegged coin in the pool after (by count)


def stableswap_depeg(balances: Sequence[float], amp: float, market_price: float,
                     fee: float = 0.0004) -> DepegOutcome:
    """Arbitrage a 2-coin StableSwap pool after coin 0 depegs to ``market_price`` (floats).

    *Assumptions:* coin 1 keeps its peg (1 USD); coin 0 trades at ``market_price`` USD elsewhere;
    arbitrageurs sell coin 0 to the pool while the pool pays more than the market for it (the
    marginal price after the fee is above ``market_price``), which is their profit; the fee
    stays in the pool.

    Parameters
    ----------
    balances : list of 2 floats
        Pool balances (depegged coin, good coin), tokens.
    amp : float
        Curve's A (as ``cryptocourse.amm``).
    market_price : float
        USD price of coin 0 (in (0, 1]).
    fee : float
        Swap fee as a fraction of the output (0.0004 = 0.04 %).

    Returns
    -------
    DepegOutcome

    Uses :func:`cryptocourse.amm.stableswap_get_y`, :func:`~cryptocourse.amm.stableswap_spot_price`
    and :func:`~cryptocourse.amm.stableswap_get_dy`. Notebook 09b (and notebook 07's StableSwap).

    >>> o = stableswap_depeg([1e6, 1e6], 2000, 0.88)
    >>> round(o.depegged_share, 3), round(o.average_price, 3)
    (0.978, 0.994)
    """
    from cryptocourse import amm

    b = number("balances", balances, lo=0, lo_open=True, why="a pool holds positive balances")
    if np.ndim(b) != 1 or len(b) != 2:
        fail("balances", "two balances (depegged coin, good coin)", balances)
    x0, y0 = float(b[0]), float(b[1])
    A = number("amp", amp, lo=0, lo_open=True, why="Curve's A, e.g. 100-2000 for stablecoins")
    p = number("market_price", market_price, lo=0, hi=1, lo_open=True,
               why="the depegged coin's USD price, below 1")
    f = number("fee", fee, lo=0, hi=0.5, hi_open=True, why="a fraction of the output: 0.0004 is 0.04 %")

    def marginal(x: float) -> float:
        y = amm.stableswap_get_y(0, 1, x, [x0, y0], A)
        return amm.stableswap_spot_price(0, 1, [x, y], A) * (1 - f)

    if marginal(x0) <= p:   # the pool already pays no more than the market: no trade
        dx = 0.0
    else:
        lo, hi = x0, 2 * x0
        while marginal(hi) > p:
            lo, hi = hi, 2 * hi
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if marginal(mid) > p else (lo, mid)
            if hi - lo <= 1e-12 * hi:
                break
        dx = lo - x0
    dy = amm.stableswap_get_dy(0, 1, dx, [x0, y0], A, fee=f) if dx > 0 else 0.0
    after = (x0 + dx, y0 - dy)
    return DepegOutcome(
        balances_before=(x0, y0), balances_after=after, sold_in=dx, bought_out=dy,
        average_price=dy / dx if dx > 0 else float("nan"), lp_value_at_par=x0 + y0,
        lp_value_after=after[0] * p + after[1], hodl_value=x0 * p + y0,
        depegged_share=after[0] / (after[0] + after[1]))
