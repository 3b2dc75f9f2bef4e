"""Exercise set 13 (dollar-cost averaging): the checks behind exercises/13_dollar_cost_averaging.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.risk`, so the
checks agree with the lesson.
"""
import numpy as np

from .. import risk
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close


def _dca_final_value(prices, n_buys, budget=1000.0):
    """Final value (USD) of a DCA plan on one price path (reference for 13.2)."""
    return float(risk.dca_vs_lump_sum([prices], n_buys=n_buys, budget=budget)["dca"][0])


_PATH = list(risk.gbm_paths(100.0, 0.0, 0.8, n_paths=1, n_steps=60, seed=13)[0])

EXERCISES = [
    FunctionExercise(
        id="13.1", title="DCA's average cost", points=2, name="dca_average_cost",
        reference=risk.dca_average_cost,
        hint="Each buy of c USD at price p gets c / p units. Average cost = total cash / total units "
             "= n * c / sum(c / p_i): the harmonic mean of the prices.",
        cases=[
            case([100.0, 80.0, 50.0, 80.0, 100.0]), case([100.0, 50.0], 250.0, note="the amount cancels out"),
            case([42.0], note="a single buy: its price"), case([2.0, 4.0, 4.0, 8.0]),
            case(np.array([1800.0, 2100.0, 1500.0, 2500.0, 1900.0]), 100.0, note="a numpy array"),
            case([1e-3, 1e3], note="very different prices"),
        ],
        compare=close(rel=1e-9),
    ),
    FunctionExercise(
        id="13.2", title="A DCA plan on one price path", points=3, name="dca_final_value",
        reference=_dca_final_value,
        hint="With n_steps = len(prices) - 1, buy budget / n_buys USD at steps floor(i * n_steps / n_buys) "
             "for i = 0 .. n_buys - 1, add up the units, and value them at the last price.",
        cases=[
            case([100.0, 50.0, 100.0], 2, 200.0, note="the dip from the lesson: 1 + 2 units"),
            case([1.0, 2.0, 3.0, 4.0], 1, note="one buy is a lump sum"),
            case([10.0, 8.0, 12.0, 9.0, 11.0, 10.0, 13.0], 3, 900.0),
            case(_PATH, 12, note="a simulated 60-day path, 12 buys"),
            case(_PATH, 60, 6000.0, note="one buy a day"),
        ],
        compare=close(rel=1e-9),
    ),
    ValueExercise(
        id="13.3", title="How often does the lump sum win?", points=2, name="lump_sum_wins_share",
        expected_value=lambda: risk.dca_vs_lump_sum(
            risk.gbm_paths(1.0, 0.2, 0.6, n_paths=5000, n_steps=365, seed=13), n_buys=12)["lump_sum_wins"],
        hint="Simulate gbm_paths(1.0, 0.2, 0.6, n_paths=5000, n_steps=365, seed=13), run dca_vs_lump_sum with "
             "12 buys and read 'lump_sum_wins' (a share between 0 and 1).",
        compare=close(rel=1e-9),
    ),
    ValueExercise(
        id="13.4", title="Reinvesting lending income", points=2, name="mean_gain_reinvested",
        expected_value=lambda: float(np.mean(risk.reinvest_income(
            risk.gbm_paths(1.0, 0.0, 0.8, n_paths=2000, n_steps=365, seed=14), 0.05, every=30,
            principal=10_000.0)[:, -1] - 10_000.0)),
        hint="reinvest_income(prices, 0.05, every=30, principal=10_000.0) gives the value over time; take "
             "the last column, subtract the 10,000 USD principal and average over the paths.",
        compare=close(rel=1e-9),
    ),
    FreeTextExercise(
        id="13.5", title="When DCA makes sense", points=2,
        rubric="Full marks: says the lump sum has the higher expected value when the drift is positive, and "
               "gives a reason to DCA anyway: a narrower range of outcomes / smaller losses in bad years "
               "(risk, regret), or money that only arrives over time (income, salary).",
    ),
]
