"""Exercise set 08 (yield farming and impermanent loss): the checks behind
exercises/08_yield_farming_and_impermanent_loss.ipynb.

Each exercise carries its checks, the wrong answers learners plausibly write (each proven rejected
by tests/test_exercises.py), a nudge (shown with a failed check) and a hint (shown on request,
``hint("08.K")``, or after repeated failures). Reference answers are the package's own functions
in :mod:`cryptocourse.amm` and :mod:`cryptocourse.farming`, so the checks agree with the lesson.
"""
import numpy as np

from .. import amm, farming
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, mistake, rounded


def _rewards_sold_as_earned() -> float:
    days = np.arange(61)
    prices = 2.0 - 1.5 * days / 60                 # falls linearly from 2.00 to 0.50 USD
    return float(farming.reward_income(2_000, prices, 5e6, 20_000)[-1])


def _rewards(days) -> float:
    """08.4 mistakes: the farmer's tokens valued at the price on each of ``days``."""
    days = np.asarray(days, dtype=float)
    return float(np.sum(2_000 * 20_000 / 5e6 * (2 - 1.5 * days / 60)))


# -- plausible wrong answers (each must fail its check) -------------------------------------------
def _il_checked(f):
    def il(price_ratio):
        r = np.asarray(price_ratio, dtype=float)
        if np.any(r <= 0):
            raise ValueError("price_ratio must be > 0")
        out = f(r)
        return float(out) if np.ndim(out) == 0 else out
    return il


def _il_unchecked(price_ratio):
    r = np.asarray(price_ratio, dtype=float)
    out = 2 * np.sqrt(r) / (1 + r) - 1                           # sqrt(0) = 0 gives -1, no error
    return float(out) if np.ndim(out) == 0 else out


_X0 = 1 - 1 / np.sqrt(1.25)          # 08.5: X per unit of liquidity at entry
_Y0 = 1 - np.sqrt(0.8)               # 08.5: Y
_LP_ABOVE = np.sqrt(1.25) - np.sqrt(0.8)


EXERCISES = [
    FunctionExercise(
        id="08.1", title="Impermanent loss", points=2, name="impermanent_loss",
        reference=amm.impermanent_loss,
        nudge="It is the LP's value divided by HODL's value, minus 1; both valued at the new price. "
              "Does a zero price ratio raise a ValueError?",
        hint="Work out what the pool holds after the price moves by r (x * y stays the same and the price is "
             "y / x), then value those tokens and the tokens you started with at the new price. IL compares "
             "the two as a fraction. Use numpy's functions so arrays work.",
        cases=[
            case(2.0, note="-5.72%"), case(4.0, note="-20%"), case(5.0, note="-25.46%"),
            case(1.0, note="no move, no loss"), case(0.5, note="halving = doubling"), case(1e-6),
            case(np.array([0.25, 0.8, 1.25, 10.0]), note="an array"),
            case(0.0, raises=ValueError, note="a zero price ratio"),
        ],
        mistakes=[
            mistake("forgot the - 1 (a ratio)", _il_checked(lambda r: 2 * np.sqrt(r) / (1 + r))),
            mistake("HODL / LP - 1 (upside down)", _il_checked(lambda r: (1 + r) / (2 * np.sqrt(r)) - 1)),
            mistake("sqrt(r) - 1 (against the deposit, not HODL)", _il_checked(lambda r: np.sqrt(r) - 1)),
            mistake("no ValueError for a zero ratio", _il_unchecked),
        ],
        compare=close(rel=1e-9, abs=1e-12),
    ),
    FunctionExercise(
        id="08.2", title="Fee APR from volume and TVL", points=2, name="fee_apr",
        reference=farming.fee_apr,
        nudge="A yearly rate as a fraction: fees per day, over a year, relative to the money in the pool.",
        hint="Section 3 gives the idea: what are one day's fees? How many days are in the year? As a fraction "
             "of what? (A simple APR: no compounding, no percent sign.)",
        cases=[
            case(2_000_000, 10_000_000), case(2_000_000, 10_000_000, 0.0005, note="a 0.05% pool"),
            case(0.0, 1e6, note="no trading"), case(5e8, 1e8, 0.01, note="a busy 1% pool"),
            case(np.array([1e5, 1e6, 1e7]), 5e6, 0.003, note="an array of volumes"),
        ],
        mistakes=[
            mistake("a daily rate (forgot x 365)", lambda v, tvl, f=0.003: v * f / tvl),
            mistake("in percent, not a fraction", lambda v, tvl, f=0.003: v * f * 365 / tvl * 100),
            mistake("forgot the fee tier (volume turnover)", lambda v, tvl, f=0.003: v * 365 / tvl),
            mistake("compounded daily (an APY)", lambda v, tvl, f=0.003: (1 + v * f / tvl) ** 365 - 1),
        ],
        compare=close(rel=1e-9),
    ),
    FunctionExercise(
        id="08.3", title="Break-even fee APR", points=3, name="break_even_fee_apr",
        reference=farming.break_even_fee_apr,
        nudge="Measure the gap between HODL and LP per unit deposited, then ask what yearly rate earns "
              "that gap in `days` days.",
        hint="The fees earned over the period (a simple APR: no compounding) must cover the gap between "
             "holding and the LP position, per unit deposited. What are those two worth after the move "
             "(section 1)? Then solve for the APR.",
        cases=[
            case(2.0, 365, note="8.58% a year"), case(2.0, 30), case(1.0, 30, note="no move"),
            case(0.5, 90), case(4.0, 7, note="a crash in a week"),
            case(np.array([1.1, 1.5, 3.0]), 365, note="an array of moves"),
        ],
        mistakes=[
            mistake("the gap itself, not a yearly rate", lambda r, d: (1 + r) / 2 - np.sqrt(r)),
            mistake("x days / 365 instead of x 365 / days", lambda r, d: ((1 + r) / 2 - np.sqrt(r)) * d / 365),
            mistake("loss relative to HODL, not to the deposit",
                    lambda r, d: (1 - 2 * np.sqrt(r) / (1 + r)) * 365 / d),
        ],
        compare=close(rel=1e-9, abs=1e-12),
    ),
    ValueExercise(
        id="08.4", title="Rewards valued when earned", points=2, name="rewards_usd",
        expected_value=_rewards_sold_as_earned,
        nudge="Each day's tokens are sold that day, at that day's price: which days do you earn on?",
        hint="Work day by day: the tokens you earn in a day are your share of the pool (deposit over TVL) "
             "times the day's emission; each day's tokens are worth that day's price. Sum over the days "
             "you earn on (the prompt says which): a numpy array of the days does it in one line.",
        mistakes=[
            mistake("today's price every day", lambda: 60 * 2_000 * 20_000 / 5e6 * 2.0),
            mistake("day 0 counted too (61 days)", lambda: _rewards(np.arange(0, 61))),
            mistake("days 0 ... 59 (off by one)", lambda: _rewards(np.arange(0, 60))),
            mistake("all sold at the end price", lambda: 60 * 2_000 * 20_000 / 5e6 * 0.5),
            mistake("average of the first and last price", lambda: 60 * 2_000 * 20_000 / 5e6 * 1.25),
        ],
        # USD to the cent, as the lesson prints money
        compare=rounded(2),
    ),
    ValueExercise(
        id="08.5", title="Impermanent loss outside a range", points=2, name="il_out_of_range",
        expected_value=lambda: amm.impermanent_loss_concentrated(1.5, 0.8, 1.25),
        nudge="Out of the range the position holds one token only; compare it with holding the tokens "
              "it started with, both valued at the new price.",
        hint="Count everything in Y at the new price. The LP now holds only Y (the prompt gives how much). "
             "HODL still holds the X and Y the position started with: only the X part changes value when "
             "the price moves. Then IL is the LP's value as a fraction of HODL's, minus 1.",
        mistakes=[
            mistake("full-range formula 2 sqrt(r)/(1 + r) - 1", lambda: amm.impermanent_loss(1.5)),
            mistake("HODL valued at the entry price", lambda: _LP_ABOVE / (_X0 + _Y0) - 1),
            mistake("in-range amounts beyond the range",
                    lambda: ((1 / np.sqrt(1.5) - 1 / np.sqrt(1.25)) * 1.5 + np.sqrt(1.5) - np.sqrt(0.8))
                    / (_X0 * 1.5 + _Y0) - 1),
            mistake("sign flipped (1 - LP / HODL)", lambda: 1 - _LP_ABOVE / (_X0 * 1.5 + _Y0)),
            mistake("in percent, not a fraction (-15.28)", lambda: 100 * (_LP_ABOVE / (_X0 * 1.5 + _Y0) - 1)),
        ],
        # a fraction to 4 places: -0.1528 (= -15.28 %, the lesson prints percentages to 2 decimals)
        compare=rounded(4),
    ),
    FreeTextExercise(
        id="08.6", title="Is impermanent loss really impermanent?", points=2,
        hint="What does the loss depend on: the path, or only today's price? What happens to it if the price "
             "comes back? And if you withdraw before it does?",
        rubric="Full marks: the loss depends only on the current price ratio, so it disappears if the "
               "price returns, but becomes real when the LP withdraws (or the price never returns); the "
               "fees earned meanwhile are kept either way. 1 point for only one side.",
    ),
]
