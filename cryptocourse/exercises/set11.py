"""Exercise set 11 (arbitrage): the checks behind exercises/11_arbitrage.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.arbitrage`, so the
checks agree with the lesson. Each graded exercise lists the wrong answers learners plausibly
write (``mistakes``); tests/test_exercises.py proves the check rejects every one.
"""
import math

import numpy as np

from .. import arbitrage
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, exact, mistake, rounded

E18 = 10**18
_CHEAP = (125 * E18, 5_000_000 * E18)        # the lesson's pools: the coin at 40,000 and 40,400 USD
_DEAR = (125 * E18, 5_050_000 * E18)


def _optimal_a_in(price, reserve_a, reserve_b, fee=0.003):
    a_to_b, amount = arbitrage.optimal_trade(price, reserve_a, reserve_b, fee)
    return np.where(a_to_b, amount, 0.0) if isinstance(amount, np.ndarray) else (amount if a_to_b else 0.0)


def _size(price, reserve_a, reserve_b, gamma, scaled_reserve=True, floor=True):
    """A learner-style size formula with switches for the usual slips (mistakes below)."""
    p = np.asarray(price, dtype=float)
    size = np.sqrt(reserve_a * reserve_b / (gamma * p)) - (reserve_a / gamma if scaled_reserve else reserve_a)
    if floor:
        size = np.maximum(size, 0.0)
    return float(size) if size.ndim == 0 else size


def _pmt(pa, pb, ra, rb, *, fee=(1000, 997), flip=False, keep_direction=False, floats=False, divide_first=False,
         at_most=False, order="mulDiv"):
    """computeProfitMaximizingTrade with switches for the usual slips (mistakes below)."""
    a_to_b = ra * pb // rb < pa
    if flip:
        a_to_b = not a_to_b
    p_in, p_out = (pa, pb) if a_to_b else (pb, pa)
    r_in = ra if a_to_b else rb
    num, den = fee
    if floats:
        left = int(math.sqrt(ra * rb * num * p_in / (p_out * den)))
        right = int(r_in * num / den)
    elif divide_first:
        left = math.isqrt(ra * rb // p_out * num * p_in // den)
        right = r_in * num // den
    elif order == "price first":                   # k * P floored, then / gamma floored
        left = math.isqrt(ra * rb * p_in // p_out * num // den)
        right = r_in * num // den
    elif order == "fee first":                     # k / gamma floored, then * P floored
        left = math.isqrt(ra * rb * num // den * p_in // p_out)
        right = r_in * num // den
    else:
        left = math.isqrt(ra * rb * num * p_in // (p_out * den))
        right = r_in * num // den
    if left < right or (at_most and left == right):
        return (a_to_b, 0) if keep_direction else (False, 0)
    return (a_to_b, left - right)


def _flash_profit(borrowed, reserves_buy, reserves_sell, premium_bps=5):
    # Aave v3.5+ rounds the premium up (the lesson's FlashLender does the same)
    return arbitrage.flash_arbitrage_profit(borrowed, tuple(reserves_buy), tuple(reserves_sell), 30,
                                            premium_bps, rounding="up").profit


def _swap(amount, r_in, r_out, fee=True):
    a = amount * 997 if fee else amount * 1000
    return a * r_out // (r_in * 1000 + a)


def _flash_wrong(borrowed, reserves_buy, reserves_sell, premium_bps=5, *, premium="up", second_fee=True,
                 swap_reserves=False):
    ra1, rb1 = reserves_buy
    ra2, rb2 = reserves_sell
    bought = _swap(borrowed, ra1, rb1) if swap_reserves else _swap(borrowed, rb1, ra1)
    returned = _swap(bought, ra2, rb2, fee=second_fee)
    if premium == "up":
        fee = -(-(borrowed * premium_bps) // 10_000)
    elif premium == "half_up":
        fee = (borrowed * premium_bps + 5_000) // 10_000
    elif premium == "float ceil":
        fee = math.ceil(borrowed * premium_bps / 10_000)
    elif premium == "floor":
        fee = borrowed * premium_bps // 10_000
    elif premium == "percent":
        fee = borrowed * premium_bps // 100
    else:
        fee = 0
    return returned - borrowed - fee


def _lvr_along(prices, pool_value=1.0):
    return float(arbitrage.lvr_path(prices, fee=0.0, pool_value=pool_value).lvr[-1])


def _lvr_wrong(prices, pool_value=1.0, *, how):
    p = np.asarray(prices, dtype=float)
    liq = pool_value / (2 * math.sqrt(p[0]))
    x, y = liq / np.sqrt(p), liq * np.sqrt(p)
    if how == "impermanent loss":
        return float(x[0] * p[-1] + y[0] - (x[-1] * p[-1] + y[-1]))
    if how == "old price":
        return float(np.sum(-(np.diff(x) * p[:-1] + np.diff(y))))
    if how == "last step missing":
        return float(np.sum(-(np.diff(x) * p[1:] + np.diff(y))[:-1]))
    if how == "pool value change":
        return float(-(x[-1] * p[-1] + y[-1] - pool_value))
    raise ValueError(how)


_EXCHANGE = dict(buy_price=3_000.0, sell_price=3_012.0, amount=1.0, taker_fee_buy=0.001, taker_fee_sell=0.002,
                 withdrawal_fee=0.001, cash_transfer_fee=1.0)


def _exchange_net(**changes):
    return arbitrage.exchange_arbitrage(**{**_EXCHANGE, **changes}).net


EXERCISES = [
    FunctionExercise(
        id="11.1", title="How much A to sell into an overpricing pool", points=2, name="optimal_a_in",
        reference=_optimal_a_in,
        nudge="Selling A pays while the pool still gives more than `price` for the next token of A. Find the "
              "size where that stops, with the fee in it, and never return a negative size.",
        hint="With gamma = 1 - fee and k = reserve_a * reserve_b, the best size is "
             "sqrt(k / (gamma * price)) - reserve_a / gamma. When that is negative (the pool does not "
             "overprice A by more than the fee) the answer is 0: use max(..., 0) or np.maximum for arrays.",
        cases=[
            case(90.0, 10.0, 1000.0, note="Uniswap's example pool, true price 90"),
            case(90.0, 10.0, 1000.0, 0.0, note="no fee"),
            case(1900.0, 500.0, 1_000_000.0, 0.0005, note="a 0.05 % pool"),
            case(99.9, 10.0, 1000.0, note="gap inside the fee: no trade"),
            case(110.0, 10.0, 1000.0, note="the pool underprices A: selling A never pays"),
            case(np.array([80.0, 95.0, 99.8, 120.0]), 10.0, 1000.0, note="an array of outside prices"),
        ],
        compare=close(rel=1e-9, abs=1e-9),
        forbidden=(arbitrage.optimal_trade, arbitrage.arbitrage_profit),
        mistakes=[
            mistake("forgot the fee (gamma = 1)", lambda p, ra, rb, fee=0.003: _size(p, ra, rb, 1.0)),
            mistake("subtracts reserve_a, not reserve_a / gamma",
                    lambda p, ra, rb, fee=0.003: _size(p, ra, rb, 1 - fee, scaled_reserve=False)),
            mistake("no floor at 0: a negative size when nothing pays",
                    lambda p, ra, rb, fee=0.003: _size(p, ra, rb, 1 - fee, floor=False)),
            mistake("gamma multiplies instead of dividing inside the root",
                    lambda p, ra, rb, fee=0.003: _size(p, ra, rb * (1 - fee) ** 2, 1 - fee)),
        ],
    ),
    FunctionExercise(
        id="11.2", title="Uniswap's profit-maximising trade, to the wei", points=3,
        name="profit_maximizing_trade",
        reference=arbitrage.profit_maximizing_trade,
        nudge="Stay in integers all the way (math.isqrt and //, never / or math.sqrt), take the fee as "
              "997/1000, and return exactly (False, 0) only when the size would be negative: a size of "
              "exactly 0 keeps its direction, as in Uniswap.",
        hint="First the direction: sell A when the pool pays more B per A than A is worth; Uniswap tests "
             "it as reserve_a x true_price_b, floor-divided by reserve_b, below true_price_a. Then the "
             "lesson's a* = sqrt(k / (gamma * P)) - x / gamma for the token you sell (x its reserve): "
             "if p_in is the true-price number of that token and p_out the other one, P = p_out / p_in, "
             "and 1 / gamma = 1000 / 997. In integers: multiply everything under the root first, "
             "floor-divide once, take math.isqrt; the x / gamma term is its own floor division.",
        cases=[
            case(1, 90, 10 * E18, 1000 * E18, note="Uniswap's test: 1:90"),
            case(1, 110, 10 * E18, 1000 * E18, note="Uniswap's test: 1:110"),
            case(110, 1, 1000 * E18, 10 * E18, note="the same pool, tokens in the other order"),
            case(1, 100, 10 * E18, 1000 * E18, note="already at the true price"),
            case(1000, 100_100, 10 * E18, 1000 * E18, note="0.1 % gap, inside the 0.3 % fee"),
            case(1001, 100_000, 10 * E18, 1000 * E18, note="selling A would be the direction, but inside the fee"),
            case(3, 7_000, 123_456_789_012_345_678_901, 987_654_321_098_765_432_109_876, note="odd numbers"),
            case(2, 1, 5 * 10**6, 10**6, note="tiny reserves (6-decimal tokens)"),
            case(180_974, 951_049, 894, 2_162, note="tiny reserves, awkward prices: the order of * and // shows"),
            case(2, 1, 1, 1, note="a size of exactly 0: Uniswap keeps the direction, (True, 0)"),
            case(723_541, 81_179, 4_607, 10, note="tiny reserves: one floor division, not two"),
            case(933_605, 33_347, 933, 151, note="tiny reserves: one floor division, not two (again)"),
        ],
        compare=exact(),
        mistakes=[
            mistake("float maths (math.sqrt and /)", lambda *a: _pmt(*a, floats=True)),
            mistake("forgot the fee (1000/1000)", lambda *a: _pmt(*a, fee=(1000, 1000))),
            mistake("direction test flipped", lambda *a: _pmt(*a, flip=True)),
            mistake("returns (a_to_b, 0) instead of (False, 0) when nothing pays",
                    lambda *a: _pmt(*a, keep_direction=True)),
            mistake("divides before multiplying (k // p_out * 1000 * p_in // 997)",
                    lambda *a: _pmt(*a, divide_first=True)),
            mistake("two floor divisions: the price first, then the fee", lambda *a: _pmt(*a, order="price first")),
            mistake("two floor divisions: the fee first, then the price", lambda *a: _pmt(*a, order="fee first")),
            mistake("(False, 0) also when the size is exactly 0 (left <= right)",
                    lambda *a: _pmt(*a, at_most=True)),
        ],
    ),
    ValueExercise(
        id="11.3", title="Does a 12 USD gap pay?", points=2, name="net_usd",
        expected_value=lambda: _exchange_net(),
        nudge="Follow one round step by step: what you pay on A, how many coins arrive on B after the "
              "withdrawal fee, what selling those brings, and the cost of bringing the dollars back.",
        hint="Fees as fractions: 0.10 % is 0.001. The taker fee on A is paid in USD on top of the price, so "
             "the cost grows by that fraction. The withdrawal fee is paid in ETH, so it shrinks the number "
             "of coins you can sell on B. B's taker fee is taken out of what the sale brings. Then subtract "
             "what you paid and the transfer back.",
        compare=rounded(2),
        forbidden=(arbitrage.exchange_arbitrage,),
        mistakes=[
            mistake("only the gap (no costs)", 12.0),
            mistake("forgot the withdrawal fee", lambda: _exchange_net(withdrawal_fee=0.0)),
            mistake("forgot moving the dollars back", lambda: _exchange_net(cash_transfer_fee=0.0)),
            mistake("fees as percentages, not fractions (0.1 for 0.10 %)",
                    lambda: _exchange_net(taker_fee_buy=0.1, taker_fee_sell=0.2)),
            mistake("taker fees only, nothing else", lambda: 12.0 - 3_000 * 0.001 - 3_012 * 0.002),
        ],
    ),
    FunctionExercise(
        id="11.4", title="A flash-loan arbitrage, to the wei", points=3, name="flash_profit",
        reference=_flash_profit,
        nudge="Three integer steps: the first swap pays coins for the borrowed dollars, the second pays "
              "dollars for those coins (both with the 0.30 % fee), and the loan costs its amount plus a "
              "premium rounded the way Aave rounds today (up, to a whole wei).",
        hint="A Uniswap V2 swap of a tokens in pays floor(997 a R_out / (1000 R_in + 997 a)), with R_in and "
             "R_out the pool's reserves of the token going in and of the token coming out: in the first "
             "swap B goes in and A comes out. The premium is borrowed x premium_bps / 10,000 rounded UP to "
             "a whole wei: stay in integers (a float loses wei at 10**21), e.g. a floor division plus one "
             "when there is a remainder.",
        cases=[
            case(4_000 * E18, _CHEAP, _DEAR, note="the lesson's pools, 4,000 USD borrowed"),
            case(arbitrage.optimal_flash_amount(_CHEAP, _DEAR), _CHEAP, _DEAR, note="the lesson's best loan"),
            case(4_000 * E18, _CHEAP, (125 * E18, 5_012_500 * E18), note="40,000 vs 40,100: a loss"),
            case(3_000, (10**6, 10**6), (10**6, 1_100_000), note="tiny amounts: the premium's rounding shows"),
            case(2_100, (10**6, 10**6), (10**6, 1_100_000), note="a premium of 1.05 wei: rounded up, 2"),
            case(1_000 * E18, _CHEAP, _DEAR, premium_bps=9, note="Aave V2's 0.09 %"),
            case(1_000 * E18, _CHEAP, _DEAR, premium_bps=0, note="no premium"),
        ],
        compare=exact(),
        forbidden=(arbitrage.flash_arbitrage_profit, arbitrage.flash_loan_premium),
        mistakes=[
            mistake("forgot the premium", lambda b, rb, rs, premium_bps=5: _flash_wrong(b, rb, rs, premium_bps,
                                                                                        premium="none")),
            mistake("premium rounded down, not up",
                    lambda b, rb, rs, premium_bps=5: _flash_wrong(b, rb, rs, premium_bps, premium="floor")),
            mistake("premium rounded half up (Aave before v3.5)",
                    lambda b, rb, rs, premium_bps=5: _flash_wrong(b, rb, rs, premium_bps, premium="half_up")),
            mistake("premium rounded up in floats (math.ceil of a float loses wei)",
                    lambda b, rb, rs, premium_bps=5: _flash_wrong(b, rb, rs, premium_bps, premium="float ceil")),
            mistake("premium in percent, not basis points",
                    lambda b, rb, rs, premium_bps=5: _flash_wrong(b, rb, rs, premium_bps, premium="percent")),
            mistake("no fee on the second swap",
                    lambda b, rb, rs, premium_bps=5: _flash_wrong(b, rb, rs, premium_bps, second_fee=False)),
            mistake("first swap with the reserves the wrong way round",
                    lambda b, rb, rs, premium_bps=5: _flash_wrong(b, rb, rs, premium_bps, swap_reserves=True)),
        ],
    ),
    FunctionExercise(
        id="11.5", title="LVR along a price path", points=2, name="lvr_along",
        reference=_lvr_along,
        nudge="LVR adds up, step by step, what the pool loses on each arbitrage trade valued at the NEW "
              "market price. It does not depend on the last price alone, and it never falls.",
        hint="A constant-product pool with no fee that sits at price P holds x = sqrt(k / P) of A and "
             "y = sqrt(k * P) of B; pick k so that the start is half pool_value in each token. On each "
             "step the pool's reserves change by dx and dy; what it gives up, valued at the new price, "
             "is -(dx * P_new + dy). Add that up over every step (numpy's diff helps).",
        cases=[
            case([100.0, 150.0, 100.0], note="up 50 % and back: no impermanent loss, some LVR"),
            case([100.0, 150.0], note="one jump"),
            case([100.0, 110.0, 121.0, 133.1, 146.41], 1e6, note="a steady climb, 1M pool"),
            case([2_000.0, 1_500.0, 2_500.0, 1_800.0, 3_000.0], 1e6, note="a wild path"),
            case(np.array([1.0, 0.5, 0.25]), note="a numpy array, falling"),
            case([50.0, 50.0, 50.0], note="no move: no LVR"),
        ],
        compare=close(rel=1e-9, abs=1e-9),
        forbidden=(arbitrage.lvr_path, arbitrage.simulate_lvr),
        mistakes=[
            mistake("impermanent loss instead (end price only)",
                    lambda p, v=1.0: _lvr_wrong(p, v, how="impermanent loss")),
            mistake("each step valued at the old price", lambda p, v=1.0: _lvr_wrong(p, v, how="old price")),
            mistake("off by one: the last step left out",
                    lambda p, v=1.0: _lvr_wrong(p, v, how="last step missing")),
            mistake("the pool's value change instead", lambda p, v=1.0: _lvr_wrong(p, v, how="pool value change")),
        ],
    ),
    FreeTextExercise(
        id="11.6", title="Who pays for arbitrage, and is it impermanent loss?", points=2,
        hint="Sections 9 and 10 of the lesson: who trades against the pool at a stale price, what can pay "
             "that back, and what impermanent loss depends on.",
        rubric="Full marks: says the LPs pay (arbitrageurs trade against the pool at stale prices: LVR, about "
               "sigma^2/8 of pool value per year), that only fees (from arbitrageurs and, mostly, uninformed "
               "traders) can compensate; and that LVR is not impermanent loss: IL depends only on the final "
               "price (zero if it returns), LVR grows with every move and never shrinks; they agree only on "
               "average, when the price has no drift (both measured before fee income). Do not require "
               "'no fees' for that last point: a pool fee does not change it.",
    ),
]
