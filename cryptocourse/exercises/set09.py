"""Exercise set 09 (lending and borrowing): the checks behind exercises/09_lending_and_borrowing.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.lending`, so the
checks agree with the lesson.
"""

import numpy as np

from .. import lending
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close


def _borrow_rate(utilization, optimal_utilization, base_rate, slope1, slope2):
    return lending.InterestRateModel(optimal_utilization, base_rate, slope1, slope2).borrow_rate(utilization)


def _supply_rate(borrow_rate, utilization, reserve_factor):
    return borrow_rate * utilization * (1.0 - reserve_factor)


def _seized_eth():
    return lending.liquidation_call(2.0, 3400.0, 2000.0, 0.83, 0.05).collateral_seized


EXERCISES = [
    FunctionExercise(
        id="09.1", title="Aave's borrow-rate curve", points=3, name="borrow_rate",
        reference=_borrow_rate,
        hint="Below the kink: base + slope1 * U / U_opt. Above it: base + slope1 + slope2 * "
             "(U - U_opt) / (1 - U_opt). For arrays, np.where(U <= U_opt, ..., ...) or "
             "np.minimum/np.maximum work.",
        cases=[
            case(0.4, 0.8, 0.0, 0.04, 0.75), case(0.8, 0.8, 0.0, 0.04, 0.75, note="at the kink"),
            case(1.0, 0.8, 0.0, 0.04, 0.75, note="full utilisation"),
            case(0.0, 0.9, 0.01, 0.06, 0.60, note="empty pool: the base rate"),
            case(0.95, 0.9, 0.0, 0.06, 0.60), case(0.5, 0.45, 0.0, 0.07, 3.0, note="a volatile-asset curve"),
            case(np.array([0.0, 0.3, 0.8, 0.85, 1.0]), 0.8, 0.0, 0.04, 0.75, note="an array of utilisations"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
    ),
    FunctionExercise(
        id="09.2", title="Supply rate from the borrow rate", points=2, name="supply_rate",
        reference=_supply_rate,
        hint="Interest is paid on the borrowed part only (x utilisation) and the treasury keeps the "
             "reserve factor (x (1 - reserve_factor)).",
        cases=[
            case(0.04, 0.8, 0.10), case(0.79, 1.0, 0.10, note="full utilisation"),
            case(0.06, 0.0, 0.10, note="nothing borrowed"), case(0.05, 0.5, 0.0, note="no reserve factor"),
            case(np.array([0.02, 0.04, 0.415]), np.array([0.4, 0.8, 0.9]), 0.15, note="arrays"),
        ],
    ),
    FunctionExercise(
        id="09.3", title="Health factor", points=2, name="health_factor",
        reference=lending.health_factor,
        hint="collateral_value * liquidation_threshold / debt_value, and math.inf when there is no debt.",
        cases=[
            case(25_000.0, 0.83, 15_000.0), case(1000.0, 0.8, 800.0, note="exactly at the threshold"),
            case(1000.0, 0.83, 0.0, note="no debt: infinite"), case(0.0, 0.83, 100.0, note="no collateral"),
            case(15_000.0, 0.78, 20_000.0, note="already liquidatable"),
        ],
    ),
    ValueExercise(
        id="09.4", title="Liquidation price", points=2, name="liq_price",
        expected_value=lambda: lending.liquidation_price(5.0, 9_000.0, 0.83),
        hint="Solve health factor = 1 for the ETH price: 5 * price * 0.83 = 9,000.",
        compare=close(rel=1e-6),
    ),
    ValueExercise(
        id="09.5", title="What a liquidator takes", points=2, name="seized_eth",
        expected_value=_seized_eth,
        hint="HF = 2 * 2000 * 0.83 / 3400 is between 0.95 and 1, so the close factor is 50 %: the "
             "liquidator repays 1,700 USDC and takes that value in ETH plus the 5 % bonus.",
        compare=close(rel=1e-6),
    ),
    FreeTextExercise(
        id="09.6", title="Why stablecoin lending is steadier", points=2,
        rubric="Full marks: says the supplier's income does not depend on a volatile price (the "
               "principal stays ~1 USD, no liquidation risk for a supplier) AND that the rate still "
               "varies with utilisation (others' borrowing), or names a remaining risk (depeg, "
               "exploit, bad debt).",
    ),
]
