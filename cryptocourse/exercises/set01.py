"""Exercise set 01 (money math): the checks behind exercises/01_money_math.ipynb.

Each exercise carries its points, a hint and its checks; the reference answers are the
package's own functions in :mod:`cryptocourse.finance`, so the checks agree with the lesson.
"""
import math

import numpy as np

from .. import finance
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close

EXERCISES = [
    FunctionExercise(
        id="01.1", title="APR to APY", points=2, name="apr_to_apy",
        reference=finance.apr_to_apy,
        hint="Compounding n times a year at APR r multiplies by (1 + r/n), n times: (1 + r/n)**n - 1. "
             "For n = math.inf use math.exp(r) - 1.",
        cases=[
            case(0.05, 12), case(0.10, 365), case(0.10, 1, note="yearly: APY equals APR"),
            case(0.0, 365, note="zero rate"), case(1.0, 365), case(0.10, math.inf, note="continuous"),
            case(np.array([0.01, 0.05, 0.2]), 12, note="an array of rates"),
        ],
        compare=close(rel=1e-9),
    ),
    FunctionExercise(
        id="01.2", title="APY back to APR", points=2, name="apy_to_apr",
        reference=finance.apy_to_apr,
        hint="Undo the compounding: r = n * ((1 + APY)**(1/n) - 1); continuous: math.log(1 + APY).",
        cases=[
            case(0.0511619, 12), case(0.105156, 365), case(0.10, 1, note="yearly"), case(0.0, 365),
            case(0.5, math.inf, note="continuous"), case(np.array([0.02, 0.1, 1.0]), 365, note="an array"),
        ],
        compare=close(rel=1e-9),
    ),
    FunctionExercise(
        id="01.3", title="Real yield after token inflation", points=2, name="real_yield",
        reference=finance.real_yield,
        hint="Your tokens grow by (1 + nominal) while the supply grows by (1 + inflation): your share "
             "grows by the ratio. Real yield = (1 + nominal) / (1 + inflation) - 1 (not nominal - inflation).",
        cases=[
            case(0.05, 0.04), case(0.03, 0.03, note="equal rates"), case(0.0, 0.10, note="no reward"),
            case(0.20, 0.0, note="no inflation"), case(0.05, -0.02, note="deflation"),
        ],
    ),
    ValueExercise(
        id="01.4", title="Break-even deposit", points=2, name="break_even_usd",
        expected_value=lambda: finance.break_even_size(35.0, 0.08, 60),
        hint="Gas is paid whatever the size; the yield scales with the size. Find the size whose "
             "60-day return (8 % APR, compounded daily) equals 35 USD: size = 35 / return.",
        compare=close(rel=1e-4),
    ),
    FunctionExercise(
        id="01.5", title="Annualised volatility", points=2, name="annualized_volatility",
        reference=finance.annualized_volatility,
        hint="Take log returns np.diff(np.log(prices)), their sample standard deviation (ddof=1), "
             "and multiply by sqrt(periods_per_year).",
        cases=[
            case([100, 102, 99, 101, 100]), case([100, 110, 121, 133.1], note="steady growth: tiny volatility"),
            case([50, 40, 60, 45, 55, 52], 52, note="weekly prices"),
            case(np.linspace(100, 200, 30) * (1 + 0.01 * np.sin(np.arange(30))), 365),
        ],
        compare=close(rel=1e-7, abs=1e-12),
    ),
    FreeTextExercise(
        id="01.6", title="Why the advertised APY misleads", points=2,
        rubric="Full marks: names at least one of (a) fixed gas/fees make small positions lose money "
               "(break-even size), (b) token inflation: nominal vs real yield, (c) the rate is variable, "
               "and ties it to the learner's own numbers.",
    ),
]
