"""Exercise set 10 (leveraged yield farming): the checks behind exercises/10_leveraged_yield_farming.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.leverage`, so the
checks agree with the lesson. Each graded exercise lists the wrong answers learners actually
write (``mistakes``); ``tests/test_exercises.py`` proves the check rejects every one.
"""
import numpy as np

from .. import leverage
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, mistake, rounded

#: The price paths of exercise 10.5 (80 % volatility, no drift, one year of days).
PATHS_10_5 = dict(s0=1.0, mu=0.0, sigma=0.8, n_paths=2000, n_steps=365, seed=10)


def _lp_liquidation_price(leverage_x, liquidation_threshold, entry_price):
    return leverage.levered_liquidation_price(leverage_x, liquidation_threshold, entry_price, lp=True)


def _prices_10_5():
    from ..risk import gbm_paths

    k = PATHS_10_5
    return gbm_paths(k["s0"], k["mu"], k["sigma"], n_paths=k["n_paths"], n_steps=k["n_steps"], seed=k["seed"])


def _p_liq():
    """Share of the 10.5 paths on which a 3x LP (threshold 85 %) is liquidated, no fees or interest."""
    return leverage.levered_farm_outcomes(_prices_10_5(), 3.0, 0.0, 0.0).prob_liquidated


def _p_liq_with(price_of_path, ratio):
    prices = _prices_10_5()
    return float(np.mean(price_of_path(prices) < ratio))


_R_LP = ((3.0 - 1.0) / (3.0 * 0.85)) ** 2
_R_TOKEN = (3.0 - 1.0) / (3.0 * 0.85)


def _loop_hf(ltv, lt, n):
    lev = sum(ltv**k for k in range(n + 1))
    return lt * lev / (lev - 1.0)


EXERCISES = [
    FunctionExercise(
        id="10.1", title="Leverage from loops", points=2, name="loop_leverage",
        reference=leverage.loop_leverage,
        nudge="Write the deposits of the first rounds by hand (your own money, then what you borrowed "
              "against it, ...) and test your function with n_loops = 0 and 1.",
        hint="Round 0 deposits your own 1 USD; every round after it deposits ltv times the round before. "
             "The leverage is the sum of all n_loops + 1 deposits (a loop over the rounds, or the geometric "
             "series of the lesson's section 2).",
        cases=[
            case(0.8, 0, note="no loop: 1x"), case(0.8, 1), case(0.75, 4), case(0.5, 10),
            case(0.0, 3, note="LTV 0: no borrowing"), case(0.9, 50, note="many loops: near the limit"),
            case(np.array([0.5, 0.75, 0.8]), 3, note="an array of LTVs"),
        ],
        mistakes=[
            mistake("one round short (range(n_loops))", lambda ltv, n: sum(ltv**k for k in range(n)) + 0 * ltv),
            mistake("the limit 1 / (1 - ltv), whatever the loops", lambda ltv, n: 1.0 / (1.0 - ltv)),
            mistake("adds ltv once per loop (1 + n x ltv)", lambda ltv, n: 1.0 + n * ltv),
            mistake("your own deposit left out (the debt, not the leverage)",
                    lambda ltv, n: sum(ltv**k for k in range(1, n + 1)) + 0 * ltv),
        ],
    ),
    FunctionExercise(
        id="10.2", title="Net APY of a levered farm", points=2, name="net_apy",
        reference=leverage.net_apy,
        nudge="Count what is earned and what is paid separately: the farm pays on everything you hold, the "
              "lender charges only on what you borrowed.",
        hint="Your equity earns the farm APY on leverage times itself and pays the borrow APY on "
             "(leverage - 1) times itself.",
        cases=[
            case(2.0, 0.20, 0.10, note="100 USD of your own plus 100 USD borrowed"),
            case(1.0, 0.20, 0.10, note="no leverage"),
            case(3.0, 0.12, 0.15, note="borrowing costs more than the farm pays"),
            case(4.0, 0.10, 0.10, note="equal rates"),
            case(np.array([1.0, 2.0, 3.0]), 0.20, 0.05, note="an array of leverages"),
        ],
        mistakes=[
            mistake("interest charged on the whole position", lambda lev, f, b: lev * (f - b)),
            mistake("interest not multiplied by the debt", lambda lev, f, b: lev * f - b),
            mistake("the farm paid on your own money only", lambda lev, f, b: f - (lev - 1) * b),
        ],
    ),
    FunctionExercise(
        id="10.3", title="Liquidation price of a levered LP", points=3, name="lp_liquidation_price",
        reference=_lp_liquidation_price,
        nudge="An LP of token and USDC does not move one for one with the token: find what a price change "
              "by a factor r does to the LP's value first, then compare value x threshold with the debt.",
        hint="Per unit of equity the LP is worth leverage * sqrt(price / entry_price) and the debt is "
             "leverage - 1. Solve leverage * sqrt(r) * threshold = leverage - 1 for r, then multiply "
             "by the entry price.",
        cases=[
            case(3.0, 0.85, 2000.0), case(2.0, 0.85, 1.0), case(1.0, 0.85, 2000.0, note="no debt: never"),
            case(5.0, 0.9, 100.0), case(1.5, 0.75, 3000.0),
        ],
        mistakes=[
            mistake("the token's formula (no square: ignores impermanent loss)",
                    lambda lev, lt, p0: p0 * (lev - 1) / (lev * lt)),
            mistake("the price ratio only (entry price forgotten)",
                    lambda lev, lt, p0: ((lev - 1) / (lev * lt)) ** 2),
            mistake("square root instead of square",
                    lambda lev, lt, p0: p0 * np.sqrt((lev - 1) / (lev * lt))),
        ],
    ),
    ValueExercise(
        id="10.4", title="Starting health of a max-LTV loop", points=2, name="hf_loop",
        expected_value=lambda: leverage.loop_health_factor(0.805, 0.83, 3),
        nudge="After the loops, add up what you deposited (the collateral) and what you borrowed (the "
              "debt), per unit of your own money, then use the health-factor formula.",
        hint="After n loops the collateral is L = 1 + ltv + ... + ltv**n and the debt is L - 1 (all but "
             "your own money); health factor = L x threshold / (L - 1).",
        compare=rounded(4),
        mistakes=[
            mistake("the LTV used instead of the liquidation threshold", lambda: _loop_hf(0.805, 0.805, 3)),
            mistake("one loop short (2 loops)", lambda: _loop_hf(0.805, 0.83, 2)),
            mistake("one loop too many (4 loops)", lambda: _loop_hf(0.805, 0.83, 4)),
            mistake("the limit of endless looping (threshold / ltv)", 0.83 / 0.805),
            mistake("threshold forgotten: L / (L - 1)", lambda: _loop_hf(0.805, 1.0, 3)),
        ],
    ),
    ValueExercise(
        id="10.5", title="Probability of liquidation", points=2, name="p_liq",
        expected_value=_p_liq,
        nudge="A path is liquidated if the price is below the liquidation price on any day, not only on "
              "the last one. Give a fraction (0.25), not a percentage.",
        hint="Your lp_liquidation_price(3.0, 0.85, 1.0) is the threshold (the paths start at 1.0). A path "
             "counts as liquidated if its lowest price is below it; p_liq is the share of such paths.",
        compare=close(rel=1e-9, abs=1e-12),
        mistakes=[
            mistake("only the last day's price checked", lambda: _p_liq_with(lambda p: p[:, -1], _R_LP)),
            mistake("the token's liquidation price instead of the LP's",
                    lambda: _p_liq_with(lambda p: p.min(axis=1), _R_TOKEN)),
            mistake("a percentage instead of a fraction", lambda: 100 * _p_liq()),
            mistake("the price fall (1 - ratio) used as the liquidation price",
                    lambda: _p_liq_with(lambda p: p.min(axis=1), 1.0 - _R_LP)),
        ],
    ),
    FreeTextExercise(
        id="10.6", title="A 40 % promise, a losing median", points=2,
        rubric="Full marks: explains that the net APY assumes a constant price and rate, while leverage "
               "also multiplies price moves / impermanent loss so many paths hit the liquidation price "
               "(losing most of the equity), and that a few big winners keep the mean up while the "
               "median falls. One point if it names only one of the two.",
    ),
]
