"""Exercise set 14 (risk management): the checks behind exercises/14_risk_management.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.risk`, so the
checks agree with the lesson. Each graded exercise lists the wrong answers learners plausibly
write (``mistakes``); tests/test_exercises.py proves the check rejects every one.
"""
import math
from statistics import NormalDist

import numpy as np

from .. import risk
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, mistake, rounded

_R = [float(x) for x in np.random.default_rng(14).normal(0.01, 0.1, 200)]
_TIES = [-0.2, -0.2, -0.2, 0.0, 0.1, 0.1, 0.3, 0.5, -0.05, 0.02]
_V = [float(x) for x in risk.gbm_paths(100.0, 0.0, 0.8, n_paths=1, n_steps=120, seed=14)[0]]
_HUNDRED = [float(x) for x in np.arange(100) / 100 - 0.5]
_STRADDLE = [-0.5, -0.2, -0.2, -0.2, 0.0, 0.1, 0.1, 0.2, 0.3, 0.4]   # k = 2 at 80 %: the cut falls inside a tie


def _worst(returns, level, *, k_rule="ceil9", extra=0):
    """The largest losses, worst first, and k under a learner's rule (for the mistakes below)."""
    losses = np.sort(-np.asarray(returns, dtype=float))[::-1]
    raw = len(losses) * (1 - level)
    k = {"ceil9": math.ceil(round(raw, 9)), "ceil": math.ceil(raw), "floor": math.floor(raw),
         "nearest": round(raw)}[k_rule]
    k = min(max(1, k) + extra, len(losses))
    return losses, k


def _var(returns, level=0.95, **how):
    losses, k = _worst(returns, level, **how)
    return float(losses[k - 1])


def _cvar(returns, level=0.95, **how):
    losses, k = _worst(returns, level, **how)
    return float(np.mean(losses[:k]))


def _cvar_at_least_var(returns, level=0.95):
    """The mean of every loss at least as large as the VaR (a tie at the VaR brings in extra outcomes)."""
    losses, k = _worst(returns, level)
    return float(np.mean(losses[losses >= losses[k - 1]]))


def _cvar_beyond_var(returns, level=0.95):
    losses, k = _worst(returns, level)
    beyond = losses[: k - 1]
    return float(np.mean(beyond)) if beyond.size else float(losses[0])


def _drawdown(values, how):
    v = np.asarray(values, dtype=float)
    if how == "from the start":
        return float(1 - v.min() / v[0])
    if how == "max minus min":
        return float((v.max() - v.min()) / v.max())
    peak = np.maximum.accumulate(v)
    return float(np.max(peak - v))          # "in USD, not a fraction"


def _normal_cvar_wrong(how, mu=0.02, sigma=0.15, level=0.99):
    nd = NormalDist()
    z = nd.inv_cdf(level)
    return {"the VaR formula": -mu + sigma * z,
            "plus the mean": mu + sigma * nd.pdf(z) / (1 - level),
            "density at the level, not at z": -mu + sigma * nd.pdf(level) / (1 - level),
            "divided by the level": -mu + sigma * nd.pdf(z) / level}[how]


# 14.5: the lesson's market (notebook 14, section 4), half HODL ETH and half LP ALT/USDC
_MARKET = dict(n_paths=4000, n_steps=52, dt=7 / 365, seed=2026)
_HALF = {"hodl": 0.5, "lp": 0.5}


def _benefit(how="right"):
    sim = risk.simulate_strategies(**_MARKET)
    r = sim.final_returns()
    rows = [r[risk.STRATEGIES.index(name)] for name in _HALF]
    measure = risk.value_at_risk if how == "VaR" else risk.conditional_value_at_risk
    alone = [measure(x) for x in rows]
    together = measure(0.5 * rows[0] + 0.5 * rows[1])
    weighted = 0.5 * alone[0] + 0.5 * alone[1]
    if how == "unweighted sum":
        weighted = alone[0] + alone[1]
    points = weighted - together
    if how == "share of capital as share of CVaR":
        return [points, points]
    if how == "percent":
        return [100 * points, 100 * points / weighted]
    if how == "share of the portfolio's CVaR":
        return [points, points / together]
    return [points, points / weighted]


def _benefit_reference():
    s = risk.simulate_strategies(**_MARKET).summary(_HALF)
    return [s["diversification_benefit"], s["diversification_share"]]


EXERCISES = [
    FunctionExercise(
        id="14.1", title="Historical Value at Risk", points=2, name="value_at_risk",
        reference=risk.value_at_risk,
        nudge="Work with losses (minus the returns), worst first, and pick one of them: which one depends on "
              "how many outcomes there are and on the level. Check the case with 100 returns at 95 %: it must "
              "pick the 5th worst.",
        hint="Losses are minus the returns. With n returns take k = ceil(n * (1 - level)) (at least 1) and "
             "return the k-th largest loss. Careful: n * (1 - 0.95) is 4.999... or 5.000...1 in floats; "
             "round it (e.g. to 9 decimals) before math.ceil.",
        cases=[
            case([-0.5, -0.2, 0.0, 0.1, 0.3], 0.6), case([-0.5, -0.2, 0.0, 0.1, 0.3], 0.95, note="k = 1: the worst"),
            case(_R, 0.95, note="200 returns: k = 10"), case(_R, 0.99), case(_R, 0.9),
            case(_TIES, 0.8, note="ties"), case([0.05, 0.1, 0.2], 0.5, note="all gains: a negative VaR"),
            case(_HUNDRED, 0.95, note="n * 0.05 must give k = 5"),
            case(_R[:50], 0.95, note="n * 0.05 = 2.5: k = 3"), case(_R[:7], 0.8, note="n * 0.2 = 1.4: k = 2"),
            case(_R[:7], 0.7, note="n * 0.3 = 2.1: k = 3"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
        mistakes=[
            mistake("ceil without rounding first: the 6th worst of 100", lambda r, lv=0.95: _var(r, lv, k_rule="ceil")),
            mistake("k rounded to the nearest whole number, not up", lambda r, lv=0.95: _var(r, lv, k_rule="nearest")),
            mistake("floor instead of ceil", lambda r, lv=0.95: _var(r, lv, k_rule="floor")),
            mistake("one too far: the (k+1)-th worst", lambda r, lv=0.95: _var(r, lv, extra=1)),
            mistake("the return, not the loss (sign)", lambda r, lv=0.95: -_var(r, lv)),
            mistake("np.percentile (interpolates between outcomes)",
                    lambda r, lv=0.95: float(-np.percentile(r, 100 * (1 - lv)))),
            mistake("np.percentile(method='lower'): the floor((n-1)(1-level))-th return, not the k-th",
                    lambda r, lv=0.95: float(-np.percentile(r, 100 * (1 - lv), method="lower"))),
        ],
    ),
    FunctionExercise(
        id="14.2", title="Conditional VaR (expected shortfall)", points=2, name="conditional_value_at_risk",
        reference=risk.conditional_value_at_risk,
        nudge="CVaR looks inside the tail: take the same worst outcomes the VaR counted (the VaR's own one "
              "included) and average them. It can never be below the VaR.",
        hint="Same k as for the VaR; return the mean of the k largest losses (so CVaR >= VaR).",
        cases=[
            case([-0.5, -0.2, 0.0, 0.1, 0.3], 0.6), case(_R, 0.95), case(_R, 0.99), case(_TIES, 0.7, note="ties"),
            case([0.05, 0.1, 0.2], 0.5, note="all gains"),
            case(_HUNDRED, 0.95, note="n * 0.05 must give k = 5"),
            case(_STRADDLE, 0.8, note="k = 2: the worst loss and one of three tied at 0.2"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
        mistakes=[
            mistake("the VaR itself", lambda r, lv=0.95: _var(r, lv)),
            mistake("every loss at least the VaR (a tie brings in more than k)", _cvar_at_least_var),
            mistake("only the losses strictly beyond the VaR", _cvar_beyond_var),
            mistake("one outcome too many: the k+1 worst", lambda r, lv=0.95: _cvar(r, lv, extra=1)),
            mistake("ceil without rounding first", lambda r, lv=0.95: _cvar(r, lv, k_rule="ceil")),
        ],
    ),
    FunctionExercise(
        id="14.3", title="Maximum drawdown", points=2, name="max_drawdown",
        reference=risk.max_drawdown,
        nudge="A drawdown is measured from the highest value reached *so far*, not from the start and not from "
              "the overall maximum, and it is a fraction of that peak.",
        hint="Go through the values in order, remembering the highest value seen so far (the running peak). At "
             "each step, the fall from that peak as a fraction of it is the drawdown at that step; the answer is "
             "the largest of them (numpy can keep a running maximum for you).",
        cases=[
            case([100.0, 120.0, 60.0, 90.0, 130.0]), case([1.0, 2.0, 3.0], note="never falls: 0"),
            case([5.0, 4.0, 3.0, 2.0, 1.0], note="only falls"), case([10.0]), case(_V, note="a simulated path"),
            case([1.0, 3.0, 2.0, 0.5, 4.0, 3.5], note="a new peak later: the worst fall is from 3 to 0.5"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
        mistakes=[
            mistake("measured from the start", lambda v: _drawdown(v, "from the start")),
            mistake("(max - min) / max, ignoring the order", lambda v: _drawdown(v, "max minus min")),
            mistake("in value units, not a fraction of the peak", lambda v: _drawdown(v, "absolute")),
        ],
    ),
    ValueExercise(
        id="14.4", title="CVaR of a normal return, closed form", points=2, name="cvar_99",
        expected_value=lambda: risk.normal_cvar(0.02, 0.15, 0.99),
        nudge="The CVaR is the VaR's point z plus the average of what lies beyond it: it needs the normal "
              "density at z, scaled by the probability of the tail.",
        hint="CVaR = -mu + sigma * phi(z) / (1 - level) with z = NormalDist().inv_cdf(level) and phi its "
             "density (statistics.NormalDist().pdf).",
        compare=rounded(4),
        mistakes=[
            mistake("the VaR formula", lambda: _normal_cvar_wrong("the VaR formula")),
            mistake("plus the mean instead of minus", lambda: _normal_cvar_wrong("plus the mean")),
            mistake("the density at the level, not at z", lambda: _normal_cvar_wrong("density at the level, not at z")),
            mistake("divided by the level, not by 1 - level", lambda: _normal_cvar_wrong("divided by the level")),
        ],
    ),
    ValueExercise(
        id="14.5", title="What diversification saves", points=2, name="benefit",
        expected_value=_benefit_reference,
        nudge="Two numbers, both from CVaRs of the final returns: the saving in percentage points of capital, "
              "and that saving as a share of the CVaR the two strategies would have on their own (weighted by "
              "your 50/50 split).",
        hint="Pick the rows of HODL ETH and LP ALT/USDC (STRATEGIES.index finds them). 'Alone' is the 50/50 "
             "weighted average of their two CVaRs; 'together' is the CVaR of the portfolio's return on each path "
             "(half of one row plus half of the other). The points are the gap between the two; the share is that "
             "gap divided by 'alone'.",
        compare=rounded(4),
        mistakes=[
            mistake("points of capital given as a share of the CVaR too",
                    lambda: _benefit("share of capital as share of CVaR")),
            mistake("VaR instead of CVaR", lambda: _benefit("VaR")),
            mistake("the stand-alone CVaRs added without the weights", lambda: _benefit("unweighted sum")),
            mistake("percent, not fractions", lambda: _benefit("percent")),
            mistake("the share taken of the portfolio's CVaR, not of the stand-alone one",
                    lambda: _benefit("share of the portfolio's CVaR")),
        ],
    ),
    FreeTextExercise(
        id="14.6", title="Your stress test", points=3,
        rubric="Full marks: names the scenario that hurt the capstone portfolio most and the strategy it "
               "went through, proposes one concrete change (weights, stop-loss, hedge), gives its cost with "
               "a number (mean return, or risk in another scenario) computed under the notebook's rules (the "
               "exploit scenario hits whichever protocol is largest after the change), and names one risk the "
               "model leaves out (e.g. regulation).",
    ),
]
