"""Exercise set 07 (automated market makers): the checks behind exercises/07_amms.ipynb.

Reference answers are the package's own functions in :mod:`cryptocourse.amm`, so the checks agree
with the lesson; the integer exercises are compared exactly (to the wei).
"""
import numpy as np

from .. import amm
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, exact

E18 = 10**18

EXERCISES = [
    FunctionExercise(
        id="07.1", title="Uniswap V2's get_amount_out, to the wei", points=3, name="get_amount_out",
        reference=amm.get_amount_out,
        hint="In integers: amount_in_with_fee = amount_in * 997; numerator = amount_in_with_fee * "
             "reserve_out; denominator = reserve_in * 1000 + amount_in_with_fee; return numerator // "
             "denominator. Use // (floor division), never /, and raise ValueError for an empty reserve.",
        cases=[
            case(1 * E18, 5 * E18, 10 * E18, note="Uniswap's own test vector"),
            case(1 * E18, 10 * E18, 5 * E18, note="Uniswap's own test vector"),
            case(2 * E18, 5 * E18, 10 * E18), case(1 * E18, 1000 * E18, 1000 * E18),
            case(2, 100, 100, note="tiny amounts: rounding down"),
            case(1, 10**6, 10**6, note="one wei buys nothing"),
            case(10**30, 10**18, 10**18, note="a huge trade never empties the pool"),
            case(123456789123456789, 987654321987654321987, 555555555555555555555),
            case(1 * E18, 0, 10 * E18, raises=ValueError, note="empty pool"),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="07.2", title="get_amount_in: rounding in the pool's favour", points=2, name="get_amount_in",
        reference=amm.get_amount_in,
        hint="numerator = reserve_in * amount_out * 1000; denominator = (reserve_out - amount_out) * 997; "
             "return numerator // denominator + 1 (the contract always adds one wei). Raise ValueError "
             "if amount_out >= reserve_out.",
        cases=[
            case(1, 100, 100, note="Uniswap router test: 2"),
            case(1662497915624478906, 5 * E18, 10 * E18),
            case(1 * E18, 5 * E18, 10 * E18), case(999 * E18, 1000 * E18, 1000 * E18, note="nearly all of it"),
            case(10, 10**6, 10**6),
            case(10 * E18, 5 * E18, 10 * E18, raises=ValueError, note="the whole reserve"),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="07.3", title="Price impact", points=2, name="price_impact",
        reference=amm.price_impact,
        hint="spot = reserve_out / reserve_in; out = reserve_out * a(1-f) / (reserve_in + a(1-f)) with "
             "a = amount_in; execution = out / amount_in; impact = 1 - execution / spot. Plain numpy "
             "arithmetic works for arrays too.",
        cases=[
            case(10.0, 1_000.0, 3_000_000.0), case(1.0, 100.0, 100.0, fee=0.0, note="no fee: 1/101"),
            case(1_000.0, 1_000.0, 3_000_000.0, note="as big as the reserve"),
            case(0.001, 1e6, 1e6, fee=0.01, note="tiny trade: the fee is all"),
            case(np.array([1.0, 10.0, 100.0]), 1_000.0, 2_000.0, note="an array of sizes"),
        ],
        compare=close(rel=1e-9),
    ),
    FunctionExercise(
        id="07.4", title="LP shares minted by a deposit", points=3, name="liquidity_minted",
        reference=amm.liquidity_minted,
        hint="First deposit (total_supply == 0): math.isqrt(amount0 * amount1) - 1000 (MINIMUM_LIQUIDITY, "
             "locked forever). Later: min(amount0 * total_supply // reserve0, amount1 * total_supply // "
             "reserve1).",
        cases=[
            case(1 * E18, 4 * E18, 0, 0, 0, note="Uniswap's 'mint' test: 2e18 - 1000"),
            case(3 * E18, 3 * E18, 0, 0, 0),
            case(10**17, 4 * 10**17, 1 * E18, 4 * E18, 2 * E18, note="a balanced later deposit"),
            case(1 * E18, 1 * E18, 10 * E18, 20 * E18, 1000, note="unbalanced: the scarcer side counts"),
            case(5 * E18, 1, 10 * E18, 10 * E18, 10 * E18, note="one wei of token1 buys almost nothing"),
            case(2000, 2000, 0, 0, 0, note="a tiny first deposit"),
        ],
        compare=exact(),
    ),
    ValueExercise(
        id="07.5", title="Capital efficiency of a range", points=2, name="efficiency",
        expected_value=lambda: amm.capital_efficiency(0.9, 1.1),
        hint="At the entry price 1, liquidity L in the range [a, b] holds L(1 - 1/sqrt(b)) of X and "
             "L(1 - sqrt(a)) of Y, worth L(2 - sqrt(a) - 1/sqrt(b)); full range holds 2L. Efficiency is "
             "the ratio full / range.",
        compare=close(rel=1e-6),
    ),
    FreeTextExercise(
        id="07.6", title="Who pays the LPs, and why k grows", points=2,
        rubric="Full marks: fees stay in the pool so x*y after a swap is above k; each LP share is a fixed "
               "fraction of the reserves, so shares redeem more tokens; the traders pay it (and, through "
               "impermanent loss, arbitrageurs take some back). 1 point for the mechanism without who pays.",
    ),
]
