"""Exercise set 14 (risk management): the checks behind exercises/14_risk_management.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.risk`, so the
checks agree with the lesson.
"""
import numpy as np

from .. import risk
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close

_R = [float(x) for x in np.random.default_rng(14).normal(0.01, 0.1, 200)]
_TIES = [-0.2, -0.2, -0.2, 0.0, 0.1, 0.1, 0.3, 0.5, -0.05, 0.02]
_V = [float(x) for x in risk.gbm_paths(100.0, 0.0, 0.8, n_paths=1, n_steps=120, seed=14)[0]]

EXERCISES = [
    FunctionExercise(
        id="14.1", title="Historical Value at Risk", points=2, name="value_at_risk",
        reference=risk.value_at_risk,
        hint="Losses are minus the returns. With n returns take k = ceil(n * (1 - level)) (at least 1) and "
             "return the k-th largest loss. Careful: n * (1 - 0.95) is 4.999... or 5.000...1 in floats; "
             "round it (e.g. to 9 decimals) before math.ceil.",
        cases=[
            case([-0.5, -0.2, 0.0, 0.1, 0.3], 0.6), case([-0.5, -0.2, 0.0, 0.1, 0.3], 0.95, note="k = 1: the worst"),
            case(_R, 0.95, note="200 returns: k = 10"), case(_R, 0.99), case(_R, 0.9),
            case(_TIES, 0.8, note="ties"), case([0.05, 0.1, 0.2], 0.5, note="all gains: a negative VaR"),
            case([float(x) for x in np.arange(100) / 100 - 0.5], 0.95, note="n * 0.05 must give k = 5"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
    ),
    FunctionExercise(
        id="14.2", title="Conditional VaR (expected shortfall)", points=2, name="conditional_value_at_risk",
        reference=risk.conditional_value_at_risk,
        hint="Same k as for the VaR; return the mean of the k largest losses (so CVaR >= VaR).",
        cases=[
            case([-0.5, -0.2, 0.0, 0.1, 0.3], 0.6), case(_R, 0.95), case(_R, 0.99), case(_TIES, 0.7, note="ties"),
            case([0.05, 0.1, 0.2], 0.5, note="all gains"),
            case([float(x) for x in np.arange(100) / 100 - 0.5], 0.95, note="n * 0.05 must give k = 5"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
    ),
    FunctionExercise(
        id="14.3", title="Maximum drawdown", points=2, name="max_drawdown",
        reference=risk.max_drawdown,
        hint="Keep the running peak (np.maximum.accumulate); the drawdown at each step is 1 - value / peak; "
             "return the largest.",
        cases=[
            case([100.0, 120.0, 60.0, 90.0, 130.0]), case([1.0, 2.0, 3.0], note="never falls: 0"),
            case([5.0, 4.0, 3.0, 2.0, 1.0], note="only falls"), case([10.0]), case(_V, note="a simulated path"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
    ),
    ValueExercise(
        id="14.4", title="CVaR of a normal return, closed form", points=2, name="cvar_99",
        expected_value=lambda: risk.normal_cvar(0.02, 0.15, 0.99),
        hint="CVaR = -mu + sigma * phi(z) / (1 - level) with z = NormalDist().inv_cdf(level) and phi its "
             "density (statistics.NormalDist().pdf).",
        compare=close(rel=1e-9),
    ),
    ValueExercise(
        id="14.5", title="What diversification saves", points=2, name="benefit",
        expected_value=lambda: risk.simulate_strategies(1000, 365, seed=2026).summary(
            {"hodl": 0.5, "lp": 0.5})["diversification_benefit"],
        hint="sim = simulate_strategies(1000, 365, seed=2026); read sim.summary({'hodl': 0.5, 'lp': 0.5}) "
             "['diversification_benefit'] (a fraction of capital).",
        compare=close(rel=1e-9),
    ),
    FreeTextExercise(
        id="14.6", title="Your stress test", points=3,
        rubric="Full marks: names the scenario that hurt the capstone portfolio most and the strategy it "
               "went through, proposes one concrete change (weights, stop-loss, hedge), gives its cost with "
               "a number (mean return, or risk in another scenario), and names one risk the model leaves out (e.g. regulation).",
    ),
]
