"""Exercise set 11 (arbitrage): the checks behind exercises/11_arbitrage.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.arbitrage`, so the
checks agree with the lesson.
"""
import numpy as np

from .. import arbitrage
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, exact

E18 = 10**18


def _optimal_a_in(price, reserve_a, reserve_b, fee=0.003):
    a_to_b, amount = arbitrage.optimal_trade(price, reserve_a, reserve_b, fee)
    return np.where(a_to_b, amount, 0.0) if isinstance(amount, np.ndarray) else (amount if a_to_b else 0.0)


EXERCISES = [
    FunctionExercise(
        id="11.1", title="How much A to sell into an overpricing pool", points=2, name="optimal_a_in",
        reference=_optimal_a_in,
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
    ),
    FunctionExercise(
        id="11.2", title="Uniswap's profit-maximising trade, to the wei", points=3,
        name="profit_maximizing_trade",
        reference=arbitrage.profit_maximizing_trade,
        hint="Integers only. a_to_b = reserve_a * true_price_b // reserve_b < true_price_a. Then "
             "left = math.isqrt(reserve_a * reserve_b * 1000 * p_in // (p_out * 997)) and "
             "right = r_in * 1000 // 997, where p_in, r_in belong to the token you sell. "
             "If left < right return (False, 0), else (a_to_b, left - right).",
        cases=[
            case(1, 90, 10 * E18, 1000 * E18, note="Uniswap's test: 1:90"),
            case(1, 110, 10 * E18, 1000 * E18, note="Uniswap's test: 1:110"),
            case(110, 1, 1000 * E18, 10 * E18, note="the same pool, tokens in the other order"),
            case(1, 100, 10 * E18, 1000 * E18, note="already at the true price"),
            case(1000, 100_100, 10 * E18, 1000 * E18, note="0.1 % gap, inside the 0.3 % fee"),
            case(3, 7_000, 123_456_789_012_345_678_901, 987_654_321_098_765_432_109_876, note="odd numbers"),
            case(2, 1, 5 * 10**6, 10**6, note="tiny reserves (6-decimal tokens)"),
        ],
        compare=exact(),
    ),
    ValueExercise(
        id="11.3", title="The smallest gap that pays", points=2, name="min_gap",
        expected_value=lambda: arbitrage.min_profitable_gap(250.0, 500_000.0, 0.003, 15.0),
        hint="S = reserve_b / reserve_a and gamma = 1 - fee. The highest outside price that does not pay "
             "is (sqrt(S / gamma) + sqrt(gas / reserve_a))**2; the gap is that price / S - 1.",
        compare=close(rel=1e-6),
    ),
    ValueExercise(
        id="11.4", title="What LVR costs per day", points=2, name="lvr_usd_per_day",
        expected_value=lambda: arbitrage.lvr_rate(0.6, 2_000_000.0) / 365,
        hint="LVR per year = sigma**2 / 8 times the pool value; divide by 365 for a day.",
        compare=close(rel=1e-6),
    ),
    ValueExercise(
        id="11.5", title="Who wins the gas auction, and what is left", points=2, name="winner_keeps",
        expected_value=lambda: arbitrage.gas_auction(400.0, [12.0, 20.0, 35.0]).winner_profit,
        hint="Each bot can bid up to 400 minus its own cost. The cheapest bot wins and pays what the "
             "runner-up could have paid; it keeps its own limit minus that.",
        compare=close(rel=1e-9),
    ),
    FreeTextExercise(
        id="11.6", title="Who pays for arbitrage?", points=2,
        rubric="Full marks: says the LPs pay (arbitrageurs trade against the pool at stale prices: LVR = "
               "sigma^2/8 of pool value per year), and that only fees (from arbitrageurs and, mostly, "
               "uninformed traders) can compensate, so high volatility with low volume loses money "
               "against simply holding/rebalancing.",
    ),
]
