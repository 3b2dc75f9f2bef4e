"""Exercise set 13 (dollar-cost averaging): the checks behind exercises/13_dollar_cost_averaging.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.risk`, so the
checks agree with the lesson. Each graded exercise lists the wrong answers learners plausibly
write (``mistakes``); tests/test_exercises.py proves the check rejects every one.
"""
import math

import numpy as np

from .. import risk
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, mistake, rounded


def _dca_final_value(prices, n_buys, budget=1000.0):
    """Final value (USD) of a DCA plan on one price path (reference for 13.2)."""
    return float(risk.dca_vs_lump_sum([prices], n_buys=n_buys, budget=budget)["dca"][0])


def _plan(prices, n_buys, budget=1000.0, *, steps="floor", per_buy=None, value_at="last"):
    """A learner-style DCA plan with switches for the usual slips (mistakes of 13.2)."""
    p = np.asarray(prices, dtype=float)
    n = p.size - 1
    if steps == "floor":
        at = [math.floor(i * n / n_buys) for i in range(n_buys)]
    elif steps == "round":
        at = [round(i * n / n_buys) for i in range(n_buys)]
    elif steps == "len":
        at = [math.floor(i * p.size / n_buys) for i in range(n_buys)]
    elif steps == "whole periods":           # a fixed gap of n // n_buys steps: 0, 30, ..., 330 for a year
        at = [i * max(1, n // n_buys) for i in range(n_buys)]
    elif steps == "late":                   # the first buy one period from now, the last on the last day
        at = [math.floor((i + 1) * n / n_buys) for i in range(n_buys)]
    else:                                   # "linspace": first and last day included
        at = [int(x) for x in np.linspace(0, n, n_buys).round()]
    spend = budget / n_buys if per_buy is None else per_buy
    units = sum(spend / p[s] for s in at)
    return float(units * (p[-1] if value_at == "last" else p.mean()))


def _exposure(n_steps, n_buys, *, how="floor"):
    """A learner-style average exposure with switches for the usual slips (mistakes of 13.3)."""
    if how == "no floor":                   # evenly spaced buys, ignoring whole days
        return (n_buys + 1) / (2 * n_buys)
    steps = np.floor(np.arange(n_buys) * n_steps / n_buys)
    if how == "in cash":
        return float(np.mean(steps / n_steps))
    if how == "n + 1":
        return float(np.mean((n_steps - steps) / (n_steps + 1)))
    if how == "last day counted too":       # averaged over the steps 0 .. n_steps (one too many)
        days = np.arange(n_steps + 1)
        return float(np.mean(np.searchsorted(steps, days, side="right") / n_buys))
    if how == "buy day not counted":
        return float(np.mean((n_steps - steps - 1) / n_steps))
    return float(np.mean((n_steps - steps) / n_steps))


# 13.4: a static mix with DCA's bad year, on the exercise's own paths
_BUDGET = 1000.0


def _set13_paths():
    return risk.gbm_paths(1.0, 0.0, 0.8, n_paths=2000, n_steps=365, seed=13)


def _same_bad_year(q=5.0, how="right"):
    out = risk.dca_vs_lump_sum(_set13_paths(), n_buys=12, budget=_BUDGET)
    dca, lump = np.percentile(out["dca"], q), np.percentile(out["lump_sum"], q)
    share = (_BUDGET - dca) / (_BUDGET - lump)
    return {"right": share, "cash share": 1.0 - share, "percent": 100.0 * share,
            "ratio of percentiles": dca / lump}[how]


# 13.5: reinvesting lending income by hand, on one path
_ETH = [float(x) for x in risk.gbm_paths(2000.0, 0.0, 0.8, n_paths=1, n_steps=365, seed=14)[0]]
_PRINCIPAL, _APR, _EVERY = 10_000.0, 0.05, 30


def _eth_bought_value():
    """Value on day 365 of the ETH bought with the interest (reinvest_income minus principal and idle cash)."""
    total = risk.reinvest_income([_ETH], _APR, every=_EVERY, principal=_PRINCIPAL)[0, -1]
    idle = _PRINCIPAL * _APR * (365 - 360) / 365          # interest of days 360-365, not yet invested
    return float(total - _PRINCIPAL - idle)


def _eth_value_wrong(how):
    days = range(_EVERY, 361, _EVERY)
    income = _PRINCIPAL * _APR * _EVERY / 365
    if how == "monthly = 1/12 year":
        income = _PRINCIPAL * _APR / 12
    if how == "buys from day 0":
        days = range(0, 331, _EVERY)
    if how == "no day 360":
        days = range(_EVERY, 360, _EVERY)
    units = sum(income / _ETH[d] for d in days)
    price = float(np.mean([_ETH[d] for d in days])) if how == "average price" else _ETH[-1]
    return units * price


EXERCISES = [
    FunctionExercise(
        id="13.1", title="DCA's average cost", points=2, name="dca_average_cost",
        reference=risk.dca_average_cost,
        nudge="Count what you paid and what you got: cash in, units out. The average cost is one divided by "
              "the other, and it should not depend on how much each buy is.",
        hint="Keep two running totals over the buys: the USD spent and the units received (one buy of c USD "
             "at price p gets c / p units). Which of the two do you divide by the other to get USD per unit?",
        cases=[
            case([100.0, 80.0, 50.0, 80.0, 100.0]), case([100.0, 50.0], 250.0, note="the amount cancels out"),
            case([42.0], note="a single buy: its price"), case([2.0, 4.0, 4.0, 8.0]),
            case(np.array([1800.0, 2100.0, 1500.0, 2500.0, 1900.0]), 100.0, note="a numpy array"),
            case([1e-3, 1e3], note="very different prices"),
        ],
        compare=close(rel=1e-9),
        mistakes=[
            mistake("the average of the prices (arithmetic mean)", lambda p, a=1.0: float(np.mean(p))),
            mistake("the geometric mean", lambda p, a=1.0: float(np.exp(np.mean(np.log(p))))),
            mistake("units per USD, upside down", lambda p, a=1.0: float(np.sum(a / np.asarray(p)) / (len(p) * a))),
            mistake("the amount counted twice: n * c / sum(1 / p)",
                    lambda p, a=1.0: float(len(p) * a / np.sum(1.0 / np.asarray(p)))),
        ],
    ),
    FunctionExercise(
        id="13.2", title="A DCA plan on one price path", points=3, name="dca_final_value",
        reference=_dca_final_value,
        nudge="Check three things: on which days you buy (the first buy is today, the days are whole numbers "
              "rounded down), how much each buy spends, and at which price the units are valued at the end.",
        hint="With n_steps = len(prices) - 1, buy budget / n_buys USD at steps floor(i * n_steps / n_buys) "
             "for i = 0 .. n_buys - 1, add up the units, and value them at the last price.",
        cases=[
            case([100.0, 50.0, 100.0], 2, 200.0, note="the dip from the lesson: 1 + 2 units"),
            case([1.0, 2.0, 3.0, 4.0], 1, note="one buy is a lump sum"),
            case([10.0, 8.0, 12.0, 9.0, 11.0, 10.0, 13.0], 3, 900.0),
            case([10.0, 8.0, 12.0, 9.0, 11.0, 10.0, 13.0], 4, 400.0, note="buy days 0, 1.5, 3, 4.5 rounded down"),
            case(list(risk.gbm_paths(100.0, 0.0, 0.8, n_paths=1, n_steps=60, seed=13)[0]), 12,
                 note="a simulated 60-day path, 12 buys"),
            case(list(risk.gbm_paths(100.0, 0.0, 0.8, n_paths=1, n_steps=365, seed=13)[0]), 12,
                 note="a simulated year, 12 monthly buys"),
        ],
        compare=close(rel=1e-9),
        mistakes=[
            mistake("buy days rounded, not rounded down", lambda p, n, b=1000.0: _plan(p, n, b, steps="round")),
            mistake("n_steps = len(prices) (one day too many)", lambda p, n, b=1000.0: _plan(p, n, b, steps="len")),
            mistake("buys spread to include the last day", lambda p, n, b=1000.0: _plan(p, n, b, steps="linspace")),
            mistake("a fixed gap of n_steps // n_buys days (0, 30, ..., 330)",
                    lambda p, n, b=1000.0: _plan(p, n, b, steps="whole periods")),
            mistake("the first buy one period late", lambda p, n, b=1000.0: _plan(p, n, b, steps="late")),
            mistake("the whole budget spent at every buy", lambda p, n, b=1000.0: _plan(p, n, b, per_buy=b)),
            mistake("units valued at the average price, not the last",
                    lambda p, n, b=1000.0: _plan(p, n, b, value_at="mean")),
        ],
    ),
    FunctionExercise(
        id="13.3", title="DCA's average exposure", points=2, name="dca_exposure",
        reference=risk.dca_exposure,
        nudge="Follow one part of the budget: from its buy day to the end it is in the asset. Average that "
              "time, as a share of the whole horizon, over the parts; use the same buy days as in 13.2.",
        hint="Part i is bought at step s_i = floor(i * n_steps / n_buys) and then stays in the asset until the end "
             "of the horizon. What share of the n_steps steps is that? What is the exposure, then?",
        cases=[
            case(365, 12, note="12 monthly buys over a year"), case(365, 1, note="a lump sum: always invested"),
            case(365, 52, note="weekly buys"), case(30, 30, note="a buy every day"), case(10, 3),
            case(7, 4, note="buy days 0, 1.75, 3.5, 5.25 rounded down"),
        ],
        compare=close(rel=1e-9),
        mistakes=[
            mistake("evenly spaced buys, ignoring whole days: (n + 1) / (2 n)",
                    lambda s, b: _exposure(s, b, how="no floor")),
            mistake("the share of time in cash, not in the asset", lambda s, b: _exposure(s, b, how="in cash")),
            mistake("divides by n_steps + 1", lambda s, b: _exposure(s, b, how="n + 1")),
            mistake("the buy day itself not counted as invested",
                    lambda s, b: _exposure(s, b, how="buy day not counted")),
            mistake("averaged over n_steps + 1 days (the last day counted too)",
                    lambda s, b: _exposure(s, b, how="last day counted too")),
        ],
    ),
    ValueExercise(
        id="13.4", title="The static mix with DCA's bad year", points=2, name="share_same_bad_year",
        expected_value=_same_bad_year,
        nudge="A static mix's final value is cash plus a share of the lump sum's, path by path, so its 5th "
              "percentile is built from the lump sum's the same way. Set it equal to DCA's and solve for the share.",
        hint="A mix with share f in the token ends at (1 - f) * 1000 + f * lump on every path, so it rises "
             "and falls with the lump sum. Which path, then, sits at the mix's 5th percentile?",
        compare=rounded(3),
        mistakes=[
            mistake("DCA's average exposure instead", lambda: risk.dca_exposure(365, 12)),
            mistake("the share kept in cash (1 - f)", lambda: _same_bad_year(how="cash share")),
            mistake("the 95th percentile instead of the 5th", lambda: _same_bad_year(q=95.0)),
            mistake("a percent, not a fraction", lambda: _same_bad_year(how="percent")),
            mistake("the ratio of the two percentiles", lambda: _same_bad_year(how="ratio of percentiles")),
        ],
    ),
    ValueExercise(
        id="13.5", title="Reinvesting lending income by hand", points=2, name="eth_value",
        expected_value=_eth_bought_value,
        nudge="Each buy spends the interest of 30 days, not of a twelfth of a year; the buys happen on days "
              "30, 60, ..., 360, and everything bought is valued at the last price.",
        hint="First the cash of one buy: simple interest on 10,000 USD at 5 % a year for 30 of the 365 days. Each "
             "buy turns that cash into ETH at the day's price (cash divided by price); there are 12 buys, the "
             "last on day 360. The answer is all that ETH at the day-365 price.",
        compare=rounded(2),
        mistakes=[
            mistake("a month as 1/12 of a year", lambda: _eth_value_wrong("monthly = 1/12 year")),
            mistake("buys on days 0, 30, ..., 330 (interest before it is earned)",
                    lambda: _eth_value_wrong("buys from day 0")),
            mistake("valued at the average buy price, not the last price", lambda: _eth_value_wrong("average price")),
            mistake("range(30, 360, 30): the buy on day 360 left out", lambda: _eth_value_wrong("no day 360")),
            mistake("the last 5 days of interest added as cash", lambda: _eth_bought_value() + _PRINCIPAL * _APR * 5 / 365),
        ],
    ),
    FreeTextExercise(
        id="13.6", title="When DCA makes sense", points=2,
        rubric="Full marks (1 point each): says that DCA's smaller bad-year loss comes mostly from holding less of "
               "the asset on average, with a number from the lesson or the dashboard (e.g. a static mix with "
               "DCA's 54 % exposure had a better 5th percentile, 570 against 434 USD); and gives a reason to DCA "
               "anyway: money that only arrives over time (income, salary), or regret / discipline. Saying that "
               "DCA does not raise the expected value is welcome, not required.",
    ),
]
