"""Exercise set 07 (automated market makers): the checks behind exercises/07_amms.ipynb.

Each exercise carries its checks, the wrong answers learners plausibly write (each proven rejected
by tests/test_exercises.py), a nudge (shown with a failed check) and a hint (shown on request,
``hint("07.K")``, or after repeated failures). Reference answers are the package's own functions
in :mod:`cryptocourse.amm`, so the checks agree with the lesson; the integer exercises are
compared exactly (to the wei).
"""
import math

import numpy as np

from .. import amm
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, exact, mistake, rounded

E18 = 10**18


# -- plausible wrong answers (each must fail its check) -------------------------------------------
def _out_float(amount_in, reserve_in, reserve_out):
    if reserve_in <= 0 or reserve_out <= 0:
        raise ValueError("empty pool")
    a = amount_in * 997
    return a * reserve_out / (reserve_in * 1000 + a)             # / instead of //


def _out_no_fee(amount_in, reserve_in, reserve_out):
    if reserve_in <= 0 or reserve_out <= 0:
        raise ValueError("empty pool")
    return amount_in * reserve_out // (reserve_in + amount_in)


def _out_fee_on_output(amount_in, reserve_in, reserve_out):
    if reserve_in <= 0 or reserve_out <= 0:
        raise ValueError("empty pool")
    return amount_in * reserve_out // (reserve_in + amount_in) * 997 // 1000


def _out_no_check(amount_in, reserve_in, reserve_out):
    a = amount_in * 997
    return a * reserve_out // (reserve_in * 1000 + a)             # accepts an empty pool


def _out_checks_reserve_in_only(amount_in, reserve_in, reserve_out):
    if reserve_in <= 0:
        raise ValueError("empty pool")
    a = amount_in * 997
    return a * reserve_out // (reserve_in * 1000 + a)             # an empty reserve_out slips through


def _in_no_plus_one(amount_out, reserve_in, reserve_out):
    if amount_out >= reserve_out:
        raise ValueError("too much")
    return reserve_in * amount_out * 1000 // ((reserve_out - amount_out) * 997)


def _in_ceil(amount_out, reserve_in, reserve_out):
    if amount_out >= reserve_out:
        raise ValueError("too much")
    return -(-reserve_in * amount_out * 1000 // ((reserve_out - amount_out) * 997))   # ceiling division


def _in_no_fee(amount_out, reserve_in, reserve_out):
    if amount_out >= reserve_out:
        raise ValueError("too much")
    return reserve_in * amount_out // (reserve_out - amount_out) + 1


def _impact_no_fee(amount_in, reserve_in, reserve_out, fee=0.003):
    return amount_in / (reserve_in + amount_in)


def _impact_curve_plus_fee(amount_in, reserve_in, reserve_out, fee=0.003):
    return amount_in / (reserve_in + amount_in) + fee


def _impact_vs_price_after(amount_in, reserve_in, reserve_out, fee=0.003):
    a = amount_in * (1 - fee)
    out = reserve_out * a / (reserve_in + a)
    return 1 - (out / amount_in) / ((reserve_out - out) / (reserve_in + amount_in))


def _minted_no_minimum(amount0, amount1, reserve0, reserve1, total_supply):
    if total_supply == 0:
        return math.isqrt(amount0 * amount1)
    return min(amount0 * total_supply // reserve0, amount1 * total_supply // reserve1)


def _minted_float_sqrt(amount0, amount1, reserve0, reserve1, total_supply):
    if total_supply == 0:
        return int(math.sqrt(amount0 * amount1)) - 1000          # a float square root: off for big numbers
    return min(amount0 * total_supply // reserve0, amount1 * total_supply // reserve1)


def _minted_max(amount0, amount1, reserve0, reserve1, total_supply):
    if total_supply == 0:
        return math.isqrt(amount0 * amount1) - 1000
    return max(amount0 * total_supply // reserve0, amount1 * total_supply // reserve1)


def _out_fee_floored_first(amount_in, reserve_in, reserve_out):
    if reserve_in <= 0 or reserve_out <= 0:
        raise ValueError("empty pool")
    a = amount_in - amount_in * 3 // 1000
    return a * reserve_out // (reserve_in + a)


def _out_checks_zero_only(amount_in, reserve_in, reserve_out):
    if reserve_in == 0 or reserve_out == 0:
        raise ValueError("empty pool")
    with_fee = amount_in * 997
    return with_fee * reserve_out // (reserve_in * 1000 + with_fee)


def _minted_float_later(amount0, amount1, reserve0, reserve1, total_supply):
    if total_supply == 0:
        return math.isqrt(amount0 * amount1) - 1000
    return int(min(amount0 * total_supply / reserve0, amount1 * total_supply / reserve1))   # float division


def _minted_fraction_first(amount0, amount1, reserve0, reserve1, total_supply):
    if total_supply == 0:
        return math.isqrt(amount0 * amount1) - 1000
    return min(int(amount0 / reserve0 * total_supply), int(amount1 / reserve1 * total_supply))


def _minted_sqrt_later(amount0, amount1, reserve0, reserve1, total_supply):
    if total_supply == 0:
        return math.isqrt(amount0 * amount1) - 1000
    return math.isqrt(amount0 * amount1)                          # the first-deposit rule every time


_X_RANGE = 1 - 1 / math.sqrt(1.1)     # 07.5: X held per unit of liquidity at price 1
_Y_RANGE = 1 - math.sqrt(0.9)         # 07.5: Y held


EXERCISES = [
    FunctionExercise(
        id="07.1", title="Uniswap V2's get_amount_out, to the wei", points=3, name="get_amount_out",
        reference=amm.get_amount_out,
        nudge="Integers only, with the fee taken from the input before the curve, and one division "
              "at the very end that rounds down. Does an empty pool raise a ValueError?",
        hint="Start from section 1's output formula with (1 - fee) = 997/1000. How can you write it so that "
             "you never divide until the very last step (multiply the other terms instead)? That last step "
             "is a floor division (//), which rounds in the pool's favour.",
        cases=[
            case(1 * E18, 5 * E18, 10 * E18, note="Uniswap's own test vector"),
            case(1 * E18, 10 * E18, 5 * E18, note="Uniswap's own test vector"),
            case(2 * E18, 5 * E18, 10 * E18), case(1 * E18, 1000 * E18, 1000 * E18),
            case(2, 100, 100, note="tiny amounts: rounding down"),
            case(1, 10**6, 10**6, note="one wei buys nothing"),
            case(10**30, 10**18, 10**18, note="a huge trade never empties the pool"),
            case(123456789123456789, 987654321987654321987, 555555555555555555555),
            case(1 * E18, 0, 10 * E18, raises=ValueError, note="empty pool"),
            case(1 * E18, 10 * E18, 0, raises=ValueError, note="nothing to pay out: reserve_out is 0"),
            case(1 * E18, -1, 10 * E18, raises=ValueError, note="a negative reserve"),
            case(1, 1, 100, note="the fee must not be rounded in the trader's favour: 49, not 50"),
            case(929_339_868_545_501_023_260, 589_782_032_928_403_263_559_981, 734_355_417_973_592_672_862_861,
                 note="large odd numbers"),
        ],
        mistakes=[
            mistake("/ instead of // (a float)", _out_float),
            mistake("forgot the 0.3 % fee", _out_no_fee),
            mistake("fee taken from the output instead of the input", _out_fee_on_output),
            mistake("no ValueError for an empty pool", _out_no_check),
            mistake("checks reserve_in only", _out_checks_reserve_in_only),
            mistake("fee subtracted with // first (amount_in - amount_in * 3 // 1000): the input rounds up",
                    _out_fee_floored_first),
            mistake("checks for a zero reserve only (== 0), not a negative one", _out_checks_zero_only),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="07.2", title="get_amount_in: rounding in the pool's favour", points=2, name="get_amount_in",
        reference=amm.get_amount_in,
        nudge="Solve the output formula for the input, keep the fee as 997/1000, and remember which "
              "way the contract rounds: in the pool's favour, always.",
        hint="Solve section 1's output formula (with 997/1000 for the fee) for the input: multiply out the "
             "fraction and collect the input on one side. Keep the numerator and denominator as integers and "
             "divide once at the end; then ask which way the pool needs the result rounded, and why Uniswap "
             "adds one wei even when the division is exact.",
        cases=[
            case(1, 100, 100, note="Uniswap router test: 2"),
            case(1662497915624478906, 5 * E18, 10 * E18),
            case(1 * E18, 5 * E18, 10 * E18), case(999 * E18, 1000 * E18, 1000 * E18, note="nearly all of it"),
            case(10, 10**6, 10**6),
            case(1, 997, 2, note="the division is exact: still one wei more"),
            case(10 * E18, 5 * E18, 10 * E18, raises=ValueError, note="the whole reserve"),
        ],
        mistakes=[
            mistake("forgot the + 1", _in_no_plus_one),
            mistake("ceiling division instead of floor + 1", _in_ceil),
            mistake("forgot the fee (997/1000)", _in_no_fee),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="07.3", title="Price impact", points=2, name="price_impact",
        reference=amm.price_impact,
        nudge="Compare what you actually got per unit sold with the price before your trade, fee "
              "included in what you got.",
        hint="Three steps: (1) what the swap pays out, with the fee taken off the input before the "
             "curve (section 1's formula for the output); (2) the execution price, what you got per unit "
             "you sold; (3) compare it with the spot price before the trade as a fraction: one minus their "
             "ratio. Use only arithmetic, so numpy arrays work too.",
        cases=[
            case(10.0, 1_000.0, 3_000_000.0), case(1.0, 100.0, 100.0, fee=0.0, note="no fee: 1/101"),
            case(1_000.0, 1_000.0, 3_000_000.0, note="as big as the reserve"),
            case(0.001, 1e6, 1e6, fee=0.01, note="tiny trade: the fee is all"),
            case(np.array([1.0, 10.0, 100.0]), 1_000.0, 2_000.0, note="an array of sizes"),
        ],
        mistakes=[
            mistake("forgot the fee (curve only)", _impact_no_fee),
            mistake("curve part plus the fee, added", _impact_curve_plus_fee),
            mistake("compared with the price after the trade", _impact_vs_price_after),
        ],
        compare=close(rel=1e-9),
    ),
    FunctionExercise(
        id="07.4", title="LP shares minted by a deposit", points=3, name="liquidity_minted",
        reference=amm.liquidity_minted,
        nudge="Two cases: the very first deposit, and every later one. What is locked forever on the "
              "first, and which side of an unbalanced later deposit counts?",
        hint="Is math.sqrt exact for a 40-digit integer? Which function in math gives an exact integer root? "
             "For a later deposit, what is 10**17 // 10**18, and what does that tell you about the order of "
             "* and //?",
        cases=[
            case(1 * E18, 4 * E18, 0, 0, 0, note="Uniswap's 'mint' test: 2e18 - 1000"),
            case(3 * E18, 3 * E18, 0, 0, 0),
            case(10**17, 4 * 10**17, 1 * E18, 4 * E18, 2 * E18, note="a balanced later deposit"),
            case(1 * E18, 1 * E18, 10 * E18, 20 * E18, 1000, note="unbalanced: the scarcer side counts"),
            case(5 * E18, 1, 10 * E18, 10 * E18, 10 * E18, note="one wei of token1 buys almost nothing"),
            case(2000, 2000, 0, 0, 0, note="a tiny first deposit"),
            case(123456789123456789123, 987654321987654321, 0, 0, 0,
                 note="not a perfect square: a float square root is off here"),
            case(123456789123456789123, 987654321987654321987, 10**21 + 7, 8 * 10**21 + 11, 3 * 10**21 + 3,
                 note="a later deposit in odd numbers: float division is off here"),
            case(98_600_000_000_000_000, 391_200_000_000_000_000, 1_038_000_000_000_000_000,
                 4_172_000_000_000_000_000, 1_912_000_000_000_000_000, note="a later deposit, 0.0986 of token0"),
        ],
        mistakes=[
            mistake("forgot MINIMUM_LIQUIDITY", _minted_no_minimum),
            mistake("float square root (math.sqrt) instead of math.isqrt", _minted_float_sqrt),
            mistake("max instead of min for an unbalanced deposit", _minted_max),
            mistake("square root for later deposits too", _minted_sqrt_later),
            mistake("float division for later deposits (a0 * ts / r0)", _minted_float_later),
            mistake("fraction of the reserve first, in floats (a0 / r0 * ts)", _minted_fraction_first),
        ],
        compare=exact(),
    ),
    ValueExercise(
        id="07.5", title="Capital efficiency of a range", points=2, name="efficiency",
        expected_value=lambda: amm.capital_efficiency(0.9, 1.1),
        nudge="Compare the capital each position needs for the same liquidity at price 1: the full "
              "range holds L of each token, the range less of each.",
        hint="At price 1 one X is worth one Y, so a position's capital is the sum of what it holds. What "
             "do the range and the full range hold for the same L (section 7's formulas, or "
             "amounts_for_liquidity)? Which of the two needs more capital?",
        mistakes=[
            mistake("full range counted as L, not 2L", lambda: 1 / (_X_RANGE + _Y_RANGE)),
            mistake("upside down: range / full", lambda: (_X_RANGE + _Y_RANGE) / 2),
            mistake("one token only (X side)", lambda: 1 / _X_RANGE),
            mistake("sqrt(b) - sqrt(a) as the range's capital", lambda: 2 / (math.sqrt(1.1) - math.sqrt(0.9))),
        ],
        # the lesson prints efficiencies to one decimal (9.5x, 40.5x): 20.4, 20.44 or more digits pass;
        # every listed mistake is at least 0.4 away
        compare=rounded(1),
    ),
    FreeTextExercise(
        id="07.6", title="Who pays the LPs, and why k grows", points=2,
        hint="Section 4 (liquidity providers own the pool): where does the 0.3 % fee go, and what is an LP "
             "share a fraction of?",
        rubric="Full marks: fees stay in the pool so x*y after a swap is above k; each LP share is a fixed "
               "fraction of the reserves, so shares redeem more tokens; the traders pay it (and, through "
               "impermanent loss, arbitrageurs take some back). 1 point for the mechanism without who pays.",
    ),
]
