"""Exercise set 01 (money math): the checks behind exercises/01_money_math.ipynb.

Each exercise carries its points, its checks, the wrong answers learners plausibly write (each
proven rejected by tests/test_exercises.py), a nudge (shown with a failed check) and a hint
(shown on request, ``hint("01.K")``, or after repeated failures). The reference answers are the
package's own functions in :mod:`cryptocourse.finance`, so the checks agree with the lesson.
"""
import math

import numpy as np

from .. import finance
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, mistake


# -- plausible wrong answers (each must fail its check) -------------------------------------------
def _apy_no_compounding(apr, periods_per_year=365):
    return apr


def _apy_forgot_minus_one(apr, periods_per_year=365):
    if math.isinf(periods_per_year):
        return np.exp(apr)
    return (1 + apr / periods_per_year) ** periods_per_year


def _apy_no_continuous_case(apr, periods_per_year=365):
    return (1 + apr / periods_per_year) ** periods_per_year - 1   # 1**inf - 1 = 0 for math.inf


def _apy_times_n(apr, periods_per_year=365):
    if math.isinf(periods_per_year):
        return np.expm1(apr)
    return (1 + apr) ** periods_per_year - 1                     # the whole APR every period


def _apr_no_times_n(apy, periods_per_year=365):
    if math.isinf(periods_per_year):
        return np.log1p(apy)
    return (1 + apy) ** (1 / periods_per_year) - 1               # the rate per period, not per year


def _apr_log_always(apy, periods_per_year=365):
    return np.log1p(apy)                                         # continuous, whatever n is


def _apr_forgot_minus_one(apy, periods_per_year=365):
    if math.isinf(periods_per_year):
        return np.log1p(apy)
    return periods_per_year * (1 + apy) ** (1 / periods_per_year)  # the growth factor, not the rate


def _apr_power_not_root(apy, periods_per_year=365):
    if math.isinf(periods_per_year):
        return np.log1p(apy)
    return periods_per_year * ((1 + apy) ** periods_per_year - 1)  # n-th power instead of n-th root


def _vol_population_std(prices, periods_per_year=365):
    r = np.diff(np.log(np.asarray(prices, dtype=float)))
    return float(np.std(r) * math.sqrt(periods_per_year))        # ddof=0


def _vol_simple_returns(prices, periods_per_year=365):
    p = np.asarray(prices, dtype=float)
    return float(np.std(p[1:] / p[:-1] - 1, ddof=1) * math.sqrt(periods_per_year))


def _vol_times_n(prices, periods_per_year=365):
    r = np.diff(np.log(np.asarray(prices, dtype=float)))
    return float(np.std(r, ddof=1) * periods_per_year)           # n instead of sqrt(n)


def _vol_not_annualised(prices, periods_per_year=365):
    return float(np.std(np.diff(np.log(np.asarray(prices, dtype=float))), ddof=1))


def _apy_math_exp(apr, periods_per_year=365):
    if periods_per_year == math.inf:
        return math.exp(apr) - 1                                    # TypeError on an array of rates
    return (1 + apr / periods_per_year) ** periods_per_year - 1


def _apr_math_log(apy, periods_per_year=365):
    if periods_per_year == math.inf:
        return math.log(1 + apy)
    return periods_per_year * ((1 + apy) ** (1 / periods_per_year) - 1)


EXERCISES = [
    FunctionExercise(
        id="01.1", title="APR to APY", points=2, name="apr_to_apy",
        reference=finance.apr_to_apy,
        nudge="Compare your failing case with the lesson's table in section 1: does your function "
              "compound once per period, and does it treat periods_per_year=math.inf on its own?",
        hint="Each of the n periods multiplies the balance by (1 + APR/n). What is the growth over all n "
             "periods, and what do you take away to turn a growth factor into a rate? For n = math.inf the "
             "growth has a limit you met in section 1; use numpy's functions so arrays work too.",
        cases=[
            case(0.05, 12), case(0.10, 365), case(0.10, 1, note="yearly: APY equals APR"),
            case(0.0, 365, note="zero rate"), case(1.0, 365), case(0.10, math.inf, note="continuous"),
            case(np.array([0.01, 0.05, 0.2]), 12, note="an array of rates"),
            case(np.array([0.05, 0.5]), math.inf, note="an array of rates, compounded continuously"),
        ],
        mistakes=[
            mistake("APY = APR (no compounding)", _apy_no_compounding),
            mistake("forgot the - 1 (returns the growth factor)", _apy_forgot_minus_one),
            mistake("no special case for continuous compounding (1**inf - 1 = 0)", _apy_no_continuous_case),
            mistake("math.exp for the continuous case (fails on an array)", _apy_math_exp),
            mistake("compounds the whole APR every period", _apy_times_n),
        ],
        compare=close(rel=1e-9),
        forbidden=(finance.apr_to_apy,),
    ),
    FunctionExercise(
        id="01.2", title="APY back to APR", points=2, name="apy_to_apr",
        reference=finance.apy_to_apr,
        nudge="Undo apr_to_apy's steps, last one first. Does it also work for an array of APYs, and for "
              "periods_per_year=math.inf?",
        hint="1 + APY = (1 + r/n)**n. Undo the power first: what is the growth in one period? From there, "
             "what is r? For n = math.inf, which function undoes e**x? Use numpy's functions so arrays work.",
        cases=[
            case(0.0511619, 12), case(0.105156, 365), case(0.10, 1, note="yearly"), case(0.0, 365),
            case(0.5, math.inf, note="continuous"), case(np.array([0.02, 0.1, 1.0]), 365, note="an array"),
            case(np.array([0.05, 0.5]), math.inf, note="an array, compounded continuously"),
        ],
        mistakes=[
            mistake("forgot to multiply by n (the rate per period)", _apr_no_times_n),
            mistake("log(1 + APY) for every n (continuous formula everywhere)", _apr_log_always),
            mistake("forgot the - 1 before multiplying by n", _apr_forgot_minus_one),
            mistake("the n-th power instead of the n-th root", _apr_power_not_root),
            mistake("math.log / math.exp for the continuous case (fails on an array)", _apr_math_log),
        ],
        compare=close(rel=1e-9),
        forbidden=(finance.apy_to_apr,),
    ),
    FunctionExercise(
        id="01.3", title="Real yield after token inflation", points=2, name="real_yield",
        reference=finance.real_yield,
        nudge="Work with growth factors (1 + rate), not with differences of rates: the shortcut "
              "nominal - inflation is off whenever inflation is not zero.",
        hint="After a year you hold (1 + nominal) times as many tokens, and there are (1 + inflation) "
             "times as many tokens in total. Your share changed by the ratio of those two factors; the "
             "real yield is that change expressed as a rate.",
        cases=[
            case(0.05, 0.04), case(0.03, 0.03, note="equal rates"), case(0.0, 0.10, note="no reward"),
            case(0.20, 0.0, note="no inflation"), case(0.05, -0.02, note="deflation"),
            case(0.10, 0.25, note="inflation above the reward"),
        ],
        mistakes=[
            mistake("nominal - inflation", lambda n, i: n - i),
            mistake("(1 + nominal) * (1 - inflation) - 1", lambda n, i: (1 + n) * (1 - i) - 1),
            mistake("forgot the - 1 (returns the growth factor)", lambda n, i: (1 + n) / (1 + i)),
            mistake("nominal / inflation", lambda n, i: n / i if i else n),
        ],
        forbidden=(finance.real_yield,),
    ),
    ValueExercise(
        id="01.4", title="Break-even deposit", points=2, name="break_even_usd",
        expected_value=lambda: finance.break_even_size(35.0, 0.08, 60),
        nudge="Gas is paid once whatever the size; the interest is a percentage of the size earned over "
              "60 days (not a whole year), with daily compounding.",
        hint="What fraction of a year is 60 days? How do you turn a one-year growth factor (1 + APY, with "
             "your apr_to_apy at daily compounding) into one for part of a year? At break-even, what must the "
             "deposit's interest in USD equal?",
        mistakes=[
            mistake("simple interest (APR x 60/365)", lambda: 35.0 / (0.08 * 60 / 365)),
            mistake("APR used as the APY (no compounding)", lambda: 35.0 / (1.08 ** (60 / 365) - 1)),
            mistake("monthly instead of daily compounding", lambda: finance.break_even_size(35.0, 0.08, 60, 12)),
            mistake("a 360-day year", lambda: 35.0 / ((1 + finance.apr_to_apy(0.08)) ** (60 / 360) - 1)),
            mistake("a whole year's return instead of 60 days'", lambda: 35.0 / finance.apr_to_apy(0.08)),
            mistake("APY scaled by 60/365 (simple fraction of the APY)",
                    lambda: 35.0 / (finance.apr_to_apy(0.08) * 60 / 365)),
            mistake("half the gas (deposit only)", lambda: 17.5 / finance.holding_return(0.08, 60)),
        ],
        # the lesson prints break-even sizes to the dollar, the task asks for the cent: any answer
        # within 1 USD (rounded, floored or rounded up to the cent or the dollar) is right; the
        # nearest wrong method above (monthly compounding) is 8.57 USD away
        compare=close(rel=0, abs=1.0),
    ),
    FunctionExercise(
        id="01.5", title="Annualised volatility", points=2, name="annualized_volatility",
        reference=finance.annualized_volatility,
        nudge="Check three things against section 4: log returns (not simple ones), the sample "
              "standard deviation, and how a daily figure is scaled to a year.",
        hint="Section 4 in three steps: the log returns between consecutive prices; their sample standard "
             "deviation (numpy's ddof=1, dividing by n - 1); and the scaling from one period to a year (how "
             "does the spread of a sum of n independent returns grow with n?).",
        cases=[
            case([100, 102, 99, 101, 100]), case([100, 110, 121, 133.1], note="steady growth: tiny volatility"),
            case([50, 40, 60, 45, 55, 52], 52, note="weekly prices"),
            case(np.linspace(100, 200, 30) * (1 + 0.01 * np.sin(np.arange(30))), 365),
        ],
        mistakes=[
            mistake("population standard deviation (ddof=0)", _vol_population_std),
            mistake("simple returns instead of log returns", _vol_simple_returns),
            mistake("scaled by n instead of sqrt(n)", _vol_times_n),
            mistake("not annualised", _vol_not_annualised),
        ],
        compare=close(rel=1e-7, abs=1e-12),
        forbidden=(finance.annualized_volatility,),
    ),
    FreeTextExercise(
        id="01.6", title="Why the advertised APY misleads", points=2,
        hint="Sections 2 and 3 of the lesson: what a fixed cost does to a small position, and what the "
             "token's inflation does to a nominal yield.",
        rubric="1 point per reason, two asked for, each tied to the friend's numbers: (a) fixed gas/fees "
               "make small positions lose money (break-even size; 300 USD for 14 days at 40 % APY earns "
               "about 3.90 USD before costs), (b) token inflation: nominal vs real yield, (c) how the APY "
               "hides the compounding (the APR is lower). A reason named without the numbers: half a point. "
               "(Note for the grader: 'the rate is variable' is true but not taught in notebook 01.)",
    ),
]
