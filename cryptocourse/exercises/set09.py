"""Exercise set 09 (lending and borrowing): the checks behind exercises/09_lending_and_borrowing.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.lending`, so the
checks agree with the lesson. Each graded exercise lists the wrong answers learners actually
write (``mistakes``); ``tests/test_exercises.py`` proves the check rejects every one.
"""

import numpy as np

from .. import lending
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, mistake, rounded


def _borrow_rate(utilization, optimal_utilization, base_rate, slope1, slope2):
    return lending.InterestRateModel(optimal_utilization, base_rate, slope1, slope2).borrow_rate(utilization)


def _supply_rate(borrow_rate, utilization, reserve_factor):
    return borrow_rate * utilization * (1.0 - reserve_factor)


# exercise 09.5: 1.2 ETH at 1,900 USD (2,280 USD, above 2,000) backing 1,950 USDC (below 2,000), HF 0.970
ETH_5, DEBT_5, PRICE_5 = 1.2, 1_950.0, 1_900.0


def _seized_eth():
    """The ETH that leaves the borrower of exercise 09.5, liquidated under Aave v3.3's rule."""
    return lending.liquidation_call(ETH_5, DEBT_5, PRICE_5, 0.83, 0.05).collateral_seized


def _pieces(u, uo):
    u = np.asarray(u, dtype=float)
    return u, np.minimum(u, uo), np.maximum(u - uo, 0.0)


def _out(x):
    return float(x) if np.ndim(x) == 0 else x


def _hf(fn):
    def health(collateral_value, liquidation_threshold, debt_value):
        if debt_value == 0:
            return float("inf")
        return fn(collateral_value, liquidation_threshold, debt_value)
    return health


EXERCISES = [
    FunctionExercise(
        id="09.1", title="Aave's borrow-rate curve", points=3, name="borrow_rate",
        reference=_borrow_rate,
        nudge="Check your two pieces on their own: at the kink both must give base + slope1, and at 100 % "
              "utilisation the rate is base + slope1 + slope2.",
        hint="Below the kink: base + slope1 * U / U_opt. Above it: base + slope1 + slope2 * "
             "(U - U_opt) / (1 - U_opt). For arrays, np.minimum(U, U_opt) and np.maximum(U - U_opt, 0) "
             "give both pieces at once.",
        cases=[
            case(0.4, 0.8, 0.0, 0.04, 0.75), case(0.8, 0.8, 0.0, 0.04, 0.75, note="at the kink"),
            case(1.0, 0.8, 0.0, 0.04, 0.75, note="full utilisation"),
            case(0.0, 0.9, 0.01, 0.06, 0.60, note="empty pool: the base rate"),
            case(0.95, 0.9, 0.01, 0.06, 0.60, note="a base rate above the kink"),
            case(0.95, 0.9, 0.0, 0.06, 0.60), case(0.5, 0.45, 0.0, 0.07, 3.0, note="a volatile-asset curve"),
            case(np.array([0.0, 0.3, 0.8, 0.85, 1.0]), 0.8, 0.0, 0.04, 0.75, note="an array of utilisations"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
        mistakes=[
            mistake("the excess above the kink not divided by (1 - U_opt)",
                    lambda u, uo, b, s1, s2: _out(b + s1 * _pieces(u, uo)[1] / uo + s2 * _pieces(u, uo)[2])),
            mistake("above the kink, slope1 forgotten",
                    lambda u, uo, b, s1, s2: _out(np.where(np.asarray(u) <= uo, b + s1 * np.asarray(u) / uo,
                                                           b + s2 * (np.asarray(u) - uo) / (1 - uo)))),
            mistake("base rate forgotten above the kink",
                    lambda u, uo, b, s1, s2: _out(np.where(np.asarray(u) <= uo, b + s1 * np.asarray(u) / uo,
                                                           s1 + s2 * (np.asarray(u) - uo) / (1 - uo)))),
            mistake("slope1 times U instead of U / U_opt",
                    lambda u, uo, b, s1, s2: _out(b + s1 * _pieces(u, uo)[1]
                                                  + s2 * _pieces(u, uo)[2] / (1 - uo))),
        ],
    ),
    FunctionExercise(
        id="09.2", title="Supply rate from the borrow rate", points=2, name="supply_rate",
        reference=_supply_rate,
        nudge="Suppliers are paid only for the part of the pool that is lent out, and the treasury takes "
              "its cut before they are paid.",
        hint="Interest is paid on the borrowed part only (x utilisation) and the treasury keeps the "
             "reserve factor (x (1 - reserve_factor)).",
        cases=[
            case(0.04, 0.8, 0.10), case(0.79, 1.0, 0.10, note="full utilisation"),
            case(0.06, 0.0, 0.10, note="nothing borrowed"), case(0.05, 0.5, 0.0, note="no reserve factor"),
            case(np.array([0.02, 0.04, 0.415]), np.array([0.4, 0.8, 0.9]), 0.15, note="arrays"),
        ],
        mistakes=[
            mistake("utilisation forgotten", lambda b, u, rf: b * (1 - rf)),
            mistake("reserve factor forgotten", lambda b, u, rf: b * u),
            mistake("multiplied by the reserve factor instead of (1 - reserve factor)", lambda b, u, rf: b * u * rf),
        ],
    ),
    FunctionExercise(
        id="09.3", title="Health factor", points=2, name="health_factor",
        reference=lending.health_factor,
        nudge="More collateral must give a higher health factor, more debt a lower one, and a loan with no "
              "debt can never be liquidated.",
        hint="collateral_value * liquidation_threshold / debt_value, and math.inf when there is no debt.",
        cases=[
            case(25_000.0, 0.83, 15_000.0), case(1000.0, 0.8, 800.0, note="exactly at the threshold"),
            case(1000.0, 0.83, 0.0, note="no debt: infinite"), case(0.0, 0.83, 100.0, note="no collateral"),
            case(15_000.0, 0.78, 20_000.0, note="already liquidatable"),
        ],
        mistakes=[
            mistake("upside down: debt / (collateral x threshold)", _hf(lambda c, lt, d: d / (c * lt) if c else float("inf"))),
            mistake("threshold forgotten: collateral / debt", _hf(lambda c, lt, d: c / d)),
            mistake("0 instead of infinity without debt",
                    lambda c, lt, d: 0.0 if d == 0 else c * lt / d),
        ],
    ),
    ValueExercise(
        id="09.4", title="Liquidation price", points=2, name="liq_price",
        expected_value=lambda: lending.liquidation_price(5.0, 9_000.0, 0.83),
        nudge="Write the health factor with the ETH price as the unknown, set it equal to 1 and solve for "
              "the price. Give USD to the cent.",
        hint="At the liquidation price: 5 ETH x price x 0.83 = 9,000 USDC.",
        compare=rounded(2),
        mistakes=[
            mistake("liquidation threshold forgotten (9,000 / 5)", 9_000 / 5),
            mistake("multiplied by the threshold instead of dividing", 9_000 * 0.83 / 5),
            mistake("the LTV (80.5 %) used instead of the threshold", 9_000 / (5 * 0.805)),
            mistake("rounded to whole dollars", float(round(9_000 / (5 * 0.83)))),
            mistake("cut to one decimal", np.floor(9_000 / (5 * 0.83) * 10) / 10),
        ],
    ),
    ValueExercise(
        id="09.5", title="What a liquidator takes", points=2, name="seized_eth",
        expected_value=_seized_eth,
        nudge="First find how much of the debt the liquidator may repay: look at the health factor AND at "
              "the size of the position's collateral and debt (the rule since Aave v3.3). Then turn that "
              "repayment into ETH, with the bonus on top.",
        hint="Since Aave v3.3 the close factor is 100 % when the position's collateral OR its debt is worth "
             "less than 2,000 USD (one of the two is enough), whatever the health factor. ETH that leaves "
             "the borrower = debt repaid x (1 + bonus) / ETH price.",
        compare=rounded(4),
        mistakes=[
            mistake("50 %: the pre-v3.3 rule, or both collateral AND debt required under 2,000 USD",
                    DEBT_5 / 2 * 1.05 / PRICE_5),
            mistake("bonus forgotten", DEBT_5 / PRICE_5),
            mistake("bonus subtracted instead of added", DEBT_5 * 0.95 / PRICE_5),
            mistake("only the liquidator's net share (protocol fee of 10 % of the bonus taken off)",
                    DEBT_5 * (1 + 0.05 * 0.9) / PRICE_5),
            mistake("answered in USD instead of ETH", DEBT_5 * 1.05),
            mistake("the whole collateral", ETH_5),
        ],
    ),
    FreeTextExercise(
        id="09.6", title="Stablecoin lending: steady, not safe", points=2,
        rubric="Full marks: (1) says why the income is steadier (the principal stays near 1 USD and a "
               "supplier cannot be liquidated) but still varies (the rate follows utilisation); AND (2) "
               "says what spreading over protocols protects against (one protocol's exploit or bad debt) "
               "and what it does not (a depeg of the stablecoin itself, or market-wide stress that "
               "freezes withdrawals everywhere at once). One point for only one of the two parts.",
    ),
]
