"""Exercise set 10 (leveraged yield farming): the checks behind exercises/10_leveraged_yield_farming.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.leverage`, so the
checks agree with the lesson.
"""
import numpy as np

from .. import leverage
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close


def _lp_liquidation_price(leverage_x, liquidation_threshold, entry_price):
    return leverage.levered_liquidation_price(leverage_x, liquidation_threshold, entry_price, lp=True)


def _p_liq():
    from ..risk import gbm_paths

    prices = gbm_paths(1.0, 0.0, 0.8, n_paths=2000, n_steps=365, seed=10)
    return leverage.levered_farm_outcomes(prices, 3.0, 0.20, 0.10).prob_liquidated


EXERCISES = [
    FunctionExercise(
        id="10.1", title="Leverage from loops", points=2, name="loop_leverage",
        reference=leverage.loop_leverage,
        hint="Each loop deposits ltv times the previous deposit: 1 + ltv + ltv**2 + ... + ltv**n_loops, "
             "which is (1 - ltv**(n_loops + 1)) / (1 - ltv).",
        cases=[
            case(0.8, 0, note="no loop: 1x"), case(0.8, 1), case(0.75, 4), case(0.5, 10),
            case(0.0, 3, note="LTV 0: no borrowing"), case(0.9, 50, note="many loops: near the limit"),
            case(np.array([0.5, 0.75, 0.8]), 3, note="an array of LTVs"),
        ],
    ),
    FunctionExercise(
        id="10.2", title="Net APY of a levered farm", points=2, name="net_apy",
        reference=leverage.net_apy,
        hint="Your equity earns the farm APY on leverage times itself and pays the borrow APY on "
             "(leverage - 1) times itself.",
        cases=[
            case(2.0, 0.20, 0.10, note="the course plan's example"), case(1.0, 0.20, 0.10, note="no leverage"),
            case(3.0, 0.12, 0.15, note="borrowing costs more than the farm pays"),
            case(4.0, 0.10, 0.10, note="equal rates"),
            case(np.array([1.0, 2.0, 3.0]), 0.20, 0.05, note="an array of leverages"),
        ],
    ),
    FunctionExercise(
        id="10.3", title="Liquidation price of a levered LP", points=3, name="lp_liquidation_price",
        reference=_lp_liquidation_price,
        hint="Per unit of equity the LP is worth leverage * sqrt(price / entry_price) and the debt is "
             "leverage - 1. Solve leverage * sqrt(r) * threshold = leverage - 1 for r, then multiply "
             "by the entry price.",
        cases=[
            case(3.0, 0.85, 2000.0), case(2.0, 0.85, 1.0), case(1.0, 0.85, 2000.0, note="no debt: never"),
            case(5.0, 0.9, 100.0), case(1.5, 0.75, 3000.0),
        ],
    ),
    ValueExercise(
        id="10.4", title="How many loops?", points=1, name="n_loops",
        expected_value=lambda: leverage.loops_needed(0.75, 3.0),
        hint="Compute the leverage after 0, 1, 2 ... loops at LTV 75 % and stop at the first one >= 3.",
        compare=close(rel=0, abs=0),
    ),
    ValueExercise(
        id="10.5", title="Probability of liquidation", points=2, name="p_liq",
        expected_value=_p_liq,
        hint="prices = gbm_paths(1.0, 0.0, 0.8, n_paths=2000, n_steps=365, seed=10), then "
             "levered_farm_outcomes(prices, 3.0, 0.20, 0.10).prob_liquidated.",
        compare=close(rel=1e-9),
    ),
    FreeTextExercise(
        id="10.6", title="A 40 % promise, a losing median", points=2,
        rubric="Full marks: explains that the net APY assumes a constant price and rate, while leverage "
               "also multiplies price moves / impermanent loss so many paths hit the liquidation price "
               "(losing most of the equity), and that a few big winners keep the mean up while the "
               "median falls.",
    ),
]
