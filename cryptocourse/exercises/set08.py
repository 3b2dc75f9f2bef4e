"""Exercise set 08 (yield farming and impermanent loss): the checks behind
exercises/08_yield_farming_and_impermanent_loss.ipynb.

Reference answers are the package's own functions in :mod:`cryptocourse.amm` and
:mod:`cryptocourse.farming`, so the checks agree with the lesson.
"""
import numpy as np

from .. import amm, farming
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close


def _rewards_sold_as_earned() -> float:
    days = np.arange(61)
    prices = 2.0 - 1.5 * days / 60                 # falls linearly from 2.00 to 0.50 USD
    return float(farming.reward_income(2_000, prices, 5e6, 20_000)[-1])


EXERCISES = [
    FunctionExercise(
        id="08.1", title="Impermanent loss", points=2, name="impermanent_loss",
        reference=amm.impermanent_loss,
        hint="IL(r) = 2 * sqrt(r) / (1 + r) - 1. Use np.sqrt so arrays work, and raise ValueError when "
             "a price ratio is not positive.",
        cases=[
            case(2.0, note="-5.72%"), case(4.0, note="-20%"), case(5.0, note="-25.46%"),
            case(1.0, note="no move, no loss"), case(0.5, note="halving = doubling"), case(1e-6),
            case(np.array([0.25, 0.8, 1.25, 10.0]), note="an array"),
            case(0.0, raises=ValueError, note="a zero price ratio"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
    ),
    FunctionExercise(
        id="08.2", title="Fee APR from volume and TVL", points=2, name="fee_apr",
        reference=farming.fee_apr,
        hint="Fees per day are daily_volume * fee_tier; a year is 365 days; divide by the TVL.",
        cases=[
            case(2_000_000, 10_000_000), case(2_000_000, 10_000_000, 0.0005, note="a 0.05% pool"),
            case(0.0, 1e6, note="no trading"), case(5e8, 1e8, 0.01, note="a busy 1% pool"),
            case(np.array([1e5, 1e6, 1e7]), 5e6, 0.003, note="an array of volumes"),
        ],
        compare=close(rel=1e-9),
    ),
    FunctionExercise(
        id="08.3", title="Break-even fee APR", points=3, name="break_even_fee_apr",
        reference=farming.break_even_fee_apr,
        hint="Per unit deposited (full range, 50/50 at entry): HODL is worth (1 + r) / 2 and the LP "
             "sqrt(r). The fees over `days` must cover the gap: apr * days / 365 = (1 + r)/2 - sqrt(r).",
        cases=[
            case(2.0, 365, note="8.58% a year"), case(2.0, 30), case(1.0, 30, note="no move"),
            case(0.5, 90), case(4.0, 7, note="a crash in a week"),
            case(np.array([1.1, 1.5, 3.0]), 365, note="an array of moves"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
    ),
    ValueExercise(
        id="08.4", title="Rewards valued when earned", points=2, name="rewards_usd",
        expected_value=_rewards_sold_as_earned,
        hint="Your share of each day's 2,000 tokens is 20,000 / 5,000,000. Day t (t = 1 ... 60) pays that "
             "share at that day's price 2 - 1.5 * t / 60 USD; add up the 60 days.",
        compare=close(rel=1e-6),
    ),
    ValueExercise(
        id="08.5", title="Impermanent loss outside a range", points=2, name="il_out_of_range",
        expected_value=lambda: amm.impermanent_loss_concentrated(1.5, 0.8, 1.25),
        hint="Per unit of liquidity at entry price 1 the range holds x0 = 1 - 1/sqrt(1.25) and "
             "y0 = 1 - sqrt(0.8). Above the range it holds only Y: sqrt(1.25) - sqrt(0.8). Compare with "
             "holding x0 * 1.5 + y0.",
        compare=close(rel=1e-6),
    ),
    FreeTextExercise(
        id="08.6", title="Is impermanent loss really impermanent?", points=2,
        rubric="Full marks: the loss depends only on the current price ratio, so it disappears if the "
               "price returns, but becomes real when the LP withdraws (or the price never returns); the "
               "fees earned meanwhile are kept either way. 1 point for only one side.",
    ),
]
