"""Exercise set 09b (stablecoins and MakerDAO vaults): the checks behind
exercises/09b_stablecoins_and_maker_vaults.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.stablecoins` (which
follow makerdao/dss to the last unit), so the checks agree with the lesson. Each graded exercise
lists the wrong answers learners plausibly write (each proven rejected by tests/test_exercises.py),
a nudge (shown with a failed check) and a hint (``hint("09b.K")``, or after repeated failures).
"""
from __future__ import annotations

import numpy as np

from .. import stablecoins as sc
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, exact, mistake, rounded

RAY, WAD, RAD = sc.RAY, sc.WAD, sc.RAD
DAY = 86_400
FIVE_PCT_A_DAY = 1000000564701133626865910626     # makerdao/dss src/test/jug.t.sol

# exercise 09b.3: a vault's debt after 30 days of ETH-A's fee
ART = 10_000 * WAD
RATE = 102 * RAY // 100
DAYS_3 = 30

# exercise 09b.4: a liquidation with ETH-A's auction
LOT_ETH, DEBT_DAI, ORACLE = 8.0, 9_000.0, 1_500.0
MINUTES_4 = 28          # 1,680 s: 18 full steps of 90 s (and 2/3 of a 19th, which does not count)


# -- plausible wrong answers (each must fail its check) --------------------------------------------
def _rpow_floor(x, n, base):
    """Square and multiply, but dividing with // (rounding down) instead of half up."""
    if x == 0:
        return base if n == 0 else 0
    z = x if n % 2 else base
    n //= 2
    while n:
        x = x * x // base
        if n % 2:
            z = z * x // base
        n //= 2
    return z


def _rpow_one_by_one(x, n, base):
    """Multiply by x one period at a time, rounding half up each time (other rounding steps)."""
    z = base
    for _ in range(n):
        z = (z * x + base // 2) // base
    return z


def _rpow_float(x, n, base):
    return int(base * (x / base) ** n)


def _rpow_simple(x, n, base):
    return base + n * (x - base)           # simple interest: n times the per-period increase


def _debt(rate):
    return ART * rate / RAD


def _returned_eth(penalty=0.13, steps=MINUTES_4 * 60 // 90, per_second=False, price=None):
    """Exercise 09b.4's answer with one step done wrong (``steps`` may be fractional)."""
    top = ORACLE * 1.10
    auction = price if price is not None else top * 0.99 ** (MINUTES_4 * 60 if per_second else steps)
    return max(LOT_ETH - DEBT_DAI * (1 + penalty) / auction, 0.0)


def _expected_debt():
    return _debt(sc.drip(RATE, sc.ETH_A.duty, DAYS_3 * DAY))


def _expected_returned():
    top = int(ORACLE) * sc.ETH_A.buf                               # ray: 1,500 DAI x 1.10
    price = sc.clip_price_stairstep(top, MINUTES_4 * 60, sc.ETH_A.step, sc.ETH_A.cut) / RAY
    tab = DEBT_DAI * sc.ETH_A.chop / WAD                           # debt x 1.13
    return LOT_ETH - tab / price


EXERCISES = [
    FunctionExercise(
        id="09b.1", title="MakerDAO's rpow", points=3, name="rpow",
        reference=sc.rpow,
        nudge="Compare your failing case with the lesson's section 3: square x at every step, multiply it "
              "into the result only when the current binary digit of n is 1, and after every product "
              "divide by base rounding half up, not down.",
        hint="Work one case by hand first: n = 13 is 1101 in binary, so x**13 = x**1 * x**4 * x**8. Each "
             "power in that list is the square of the one before (x**2, x**4, x**8), and you multiply into the "
             "result only those whose binary digit is 1; n % 2 reads the lowest digit and n // 2 drops it. In "
             "fixed point, the product of a and b is (a*b + base // 2) // base. Decide what x = 0 and n = 0 "
             "give before the loop.",
        cases=[
            case(FIVE_PCT_A_DAY, DAY, RAY, note="5 % a day, for one day (dss's jug tests)"),
            case(1000234891009084238901289093, 3724, RAY, note="dss's test_rpow"),
            case(sc.ETH_A.duty, 3 * DAY, RAY, note="ETH-A's fee, for three days"),
            case(99 * RAY // 100, 13, RAY, note="the auction's cut, 13 steps"),
            case(15, 2, 10, note="small numbers: 2.25 rounds half up to 2.3"),
            case(15, 3, 10, note="small numbers, odd power"),
            case(7 * RAY, 1, RAY, note="power 1"), case(7 * RAY, 0, RAY, note="power 0 is base (1.0)"),
            case(0, 0, RAY, note="0 to the power 0 is base"), case(0, 5, RAY, note="0 to a power is 0"),
            case(RAY, 123_456, RAY, note="1.0 stays 1.0"),
        ],
        mistakes=[
            mistake("rounds down after each product instead of half up", _rpow_floor),
            mistake("multiplies one period at a time (other rounding steps)", _rpow_one_by_one),
            mistake("float power (x / base) ** n", _rpow_float),
            mistake("simple instead of compounded: base + n * (x - base)", _rpow_simple),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="09b.2", title="A vault's liquidation price", points=2, name="vault_liquidation_price",
        reference=sc.vault_liquidation_price,
        nudge="Write the safety condition of section 2, collateral x price / debt >= liquidation ratio, "
              "as an equality and solve it for the price. Check it on 10 ETH owing 10,000 DAI at 145 %.",
        hint="At the liquidation price the vault sits exactly on the line: collateral x price / debt equals "
             "the liquidation ratio. Isolate price (two steps: multiply both sides by one quantity, divide by "
             "another). Test collateral before you divide; with arrays, np.any(...) tests every element. "
             "Plain arithmetic operators work on numpy arrays as they are.",
        cases=[
            case(10.0, 10_000.0, 1.45, note="the lesson's vault"), case(4.0, 3_000.0, 1.45),
            case(2.5, 8_000.0, 1.7), case(1.0, 0.0, 1.45, note="no debt: never liquidated (price 0)"),
            case(100.0, 7_500.0, 1.0, note="a ratio of 100 %"),
            case(np.array([5.0, 10.0, 20.0]), np.array([4_000.0, 8_000.0, 8_000.0]), 1.45, note="arrays"),
            case(0.0, 1_000.0, 1.45, raises=ValueError, note="no collateral"),
        ],
        mistakes=[
            mistake("liquidation ratio upside down: debt / (collateral x ratio)", lambda c, d, r: d / (c * r)),
            mistake("forgot the liquidation ratio: debt / collateral", lambda c, d, r: d / c),
            mistake("only the margin above 100 %: debt x (ratio - 1) / collateral",
                    lambda c, d, r: d * (r - 1) / c),
        ],
        compare=close(rel=1e-9),
    ),
    ValueExercise(
        id="09b.3", title="Thirty days of stability fee", points=2, name="debt_dai",
        expected_value=_expected_debt,
        nudge="The fee compounds every second from the vault's current rate (1.02, not 1.0), and the "
              "contract rounds: use your rpow, then multiply by the rate rounding down.",
        hint="Jug.drip multiplies the old rate by duty to the power of the seconds that passed (30 days in "
             "seconds), with rpow, then divides by RAY rounding down. The debt is art times the new rate; art "
             "is a wad and rate a ray, so the product is a rad: divide by RAD for DAI.",
        mistakes=[
            mistake("simple interest: 1.5 % x 30/365", lambda: _debt(RATE) * (1 + 0.015 * DAYS_3 / 365)),
            mistake("forgot the rate already accrued (started at 1.0)",
                    lambda: _debt(sc.drip(RAY, sc.ETH_A.duty, DAYS_3 * DAY))),
            mistake("a month of 1.5 %/12", lambda: _debt(RATE) * (1 + 0.015 / 12)),
            mistake("the normalised debt art, without the rate", lambda: ART / WAD),
            mistake("a whole year of fee", lambda: _debt(sc.drip(RATE, sc.ETH_A.duty, 365 * DAY))),
        ],
        compare=rounded(2),
    ),
    ValueExercise(
        id="09b.4", title="What the owner gets back", points=3, name="returned_eth",
        expected_value=_expected_returned,
        nudge="Three steps: the tab includes the 13 % penalty; the auction starts 10 % above the oracle "
              "price and loses 1 % every full 90 seconds; the keeper buys just enough ETH to raise the tab.",
        hint="The tab is the debt times (1 + penalty). The auction price after t seconds is the starting "
             "price times 0.99 to the power of the number of FULL 90-second steps in t (integer division). "
             "The keeper buys tab / price ETH; the owner gets back what is left of the 8 ETH.",
        mistakes=[
            mistake("forgot the penalty", lambda: _returned_eth(penalty=0.0)),
            mistake("bought at the starting price (no decay)", lambda: _returned_eth(steps=0)),
            mistake("bought at the oracle price", lambda: _returned_eth(price=ORACLE)),
            mistake("cut 1 % every second, not every 90 s", lambda: _returned_eth(per_second=True)),
            mistake("counted minutes as steps (28 cuts)", lambda: _returned_eth(steps=MINUTES_4)),
            mistake("a fractional step: 28 * 60 / 90 cuts instead of full steps only",
                    lambda: _returned_eth(steps=MINUTES_4 * 60 / 90)),
            mistake("rounded the steps up (19 cuts)", lambda: _returned_eth(steps=MINUTES_4 * 60 // 90 + 1)),
            mistake("penalty subtracted from the collateral instead",
                    lambda: LOT_ETH * 0.87 - DEBT_DAI / (ORACLE * 1.10 * 0.99 ** 18)),
        ],
        compare=rounded(4),
    ),
    FreeTextExercise(
        id="09b.5", title="Who is hurt by a depeg?", points=2,
        rubric="Full marks: for the USDC depeg of March 2023, ranks or compares at least three of: a DAI "
               "holder (DAI fell with USDC through the PSM, whole again when the peg came back), a USDC lender "
               "(owed USDC, so the claim fell by the full depeg), a StableSwap LP (arbitrageurs took the good "
               "coin near 1:1, the LP ended up holding mostly the depegged coin; high amplification does not "
               "protect), a vault owner (debt counted at 1 DAI = 1 USD, ratio unchanged; could repay with cheap "
               "DAI); AND says the losses were only final for those who sold at the trough or had the peg not "
               "returned.",
    ),
]
