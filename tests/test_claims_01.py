"""Claims tests for lesson 01 (money math): every number or comparison the prose, the answer keys
and the model answers state is recomputed here from the package with the same functions and
defaults (issue 15). A changed default or formula that breaks a sentence fails here."""
import math
import re

import numpy as np
import pytest

from cryptocourse.dashboards.finance import money_math_view
from cryptocourse.exercises import run_check
from cryptocourse.finance import (annualized_volatility, apr_to_apy, apy_to_apr, break_even_size,
                                  holding_return, real_yield)
from lessontext import code, never_states, states

LESSON = "notebooks/01_money_math.ipynb"
SOLUTION = "exercises/solutions/01_money_math.ipynb"
ROWS = [(0.05, 0.04), (0.08, 0.05), (0.10, 0.25)]  # the rows section 2 prints


def test_apr_behind_an_advertised_apy():
    states(LESSON, f'"12% APY" compounded daily pays a nominal rate of only about {apy_to_apr(0.12, 365):.1%}')


def test_the_shortcut_sentence_is_true_for_every_printed_row():
    assert "for nominal, inflation in [(0.05, 0.04), (0.08, 0.05), (0.10, 0.25)]:" in code(LESSON)
    states(LESSON, r"\frac{\text{nominal} - \text{inflation}}{1 + \text{inflation}}",
           "It **overstates** the real yield when the reward beats inflation",
           "**understates** it when inflation wins")
    never_states(LESSON, "overstates it when rates are large", "Only the holders who do not stake")
    for nominal, inflation in ROWS:
        real, shortcut = real_yield(nominal, inflation), nominal - inflation
        assert real == pytest.approx((nominal - inflation) / (1 + inflation), abs=1e-15)
        assert shortcut - real == pytest.approx((nominal - inflation) * inflation / (1 + inflation), abs=1e-15)
        if nominal > inflation:
            assert shortcut > real, (nominal, inflation)   # "overstates ... when the reward beats inflation"
        else:
            assert shortcut < real, (nominal, inflation)   # "understates it when inflation wins"


@pytest.mark.parametrize("nominal", np.linspace(-0.5, 1.0, 16))
@pytest.mark.parametrize("inflation", [0.01, 0.05, 0.25, 0.6])
def test_the_shortcut_exaggerates_in_both_directions_whenever_inflation_is_positive(nominal, inflation):
    real, shortcut = real_yield(nominal, inflation), nominal - inflation
    if abs(shortcut) < 1e-12:
        return
    assert abs(shortcut) > abs(real) and np.sign(shortcut) == np.sign(real)


def test_the_inflation_trap_numbers():
    real = real_yield(0.10, 0.25)
    states(LESSON, f"about **{-real:.0%} poorer** in network share each year (the shortcut says {0.25 - 0.10:.0%})")
    assert real_yield(0.0, 0.25) < real  # "Holders who do not stake at all lose even more"
    states(LESSON, "Holders who do not stake at all lose even more")
    # check your understanding, question 4
    q4 = real_yield(0.06, 0.15)
    assert f"{q4:.2%}" == "-7.83%" and q4 > 0.06 - 0.15          # a smaller loss than the shortcut's -9 %
    states(LESSON, f"$1.06/1.15 - 1 \\approx {q4 * 100:.2f}\\%$, a smaller loss than −9%", "It **understates** it")


def test_try_it_answer_key_matches_the_dashboard():
    yearly, daily, cont = (money_math_view(apr=0.20, periods_per_year=n).apy for n in (1, 365, math.inf))
    states(LESSON, f"Yearly gives {yearly:.2%}, daily {daily:.2%}: about **{(daily - yearly) * 100:.1f} points**",
           f"Continuous gives {cont:.2%}: only {(cont - daily) * 100:.3f} points over daily")
    v = money_math_view(apr=0.08, periods_per_year=365, inflation=0.05)
    states(LESSON, f"APY {v.apy:.2%}", f"$(1.0833/1.05) - 1 \\approx$ **{v.real_apy:.2%}**",
           f"8.33% − 5% would say {v.apy - 0.05:.2%}")
    two_weeks = money_math_view(apr=0.20, periods_per_year=365, fixed_costs=50, days=14).break_even_usd
    days = next(d for d in range(1, 366)
                if money_math_view(apr=0.20, periods_per_year=365, fixed_costs=50, days=d).break_even_usd <= 1_000)
    states(LESSON, f"About **{two_weeks:,.0f} USD** for 14 days", f"only from\n   day **{days}**",
           "hold 14 days at 20% APR, compounded daily")


def test_block_compounding_answer():
    per_year = 365 * 24 * 3600 / 12           # a block every 12 seconds
    apy = apr_to_apy(0.06, per_year)
    states(LESSON, f"**{apy:.2%}**", f"$e^{{0.06}} - 1 = {math.expm1(0.06) * 100:.2f}\\%$")
    assert min([0.06, 0.0618, 0.065], key=lambda x: abs(x - apy)) == 0.0618


def _years(seed, n_years=2_000, sigma=0.80, days=365):
    rng = np.random.default_rng(seed)
    draws = rng.normal(-0.5 * sigma**2 / 365, sigma / math.sqrt(365), size=(n_years, days))
    return 100 * np.exp(np.concatenate([np.zeros((n_years, 1)), np.cumsum(draws, axis=1)], axis=1))


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_volatility_is_pinned_down_but_the_return_is_not(seed):
    """Section 4: 'a year of daily prices pins the volatility down to within a few points, but says
    little about the return', for the lesson's seed and five others."""
    paths = _years(seed)
    vols = annualized_volatility(paths)
    se = 0.80 / math.sqrt(2 * 364)
    assert vols.std(ddof=1) == pytest.approx(se, rel=0.1)         # the formula's standard error
    lo, hi = np.percentile(vols, [2.5, 97.5])
    assert lo < 0.80 < hi and (hi - lo) < 0.15                      # within a few points
    r5, r95 = np.percentile(paths[:, -1] / 100 - 1, [5, 95])
    assert r5 < -0.5 and r95 > 1.0                                  # the return: a wide range


def test_volatility_section_wording():
    states(LESSON, r"$\sigma / \sqrt{2(n - 1)}$", "pins the volatility down to within a few points",
           "says little about the return")


def test_model_answer_01_6_figures():
    earned = 300 * holding_return(0.40, 14, periods_per_year=1)   # 40 % APY for 14 days
    need = break_even_size(10, 0.40, 14, periods_per_year=1)
    states(SOLUTION, f"earns only about {earned:.2f} USD", f"about {round(need, -1):,.0f} USD just to break even")
    never_states(SOLUTION, "about 4-5 USD")


def test_break_even_check_accepts_what_the_lesson_prints():
    exact = break_even_size(35.0, 0.08, 60)
    for answer in (exact, round(exact, 2), math.floor(exact * 100) / 100, math.ceil(exact * 100) / 100,
                   round(exact), math.ceil(exact), math.floor(exact)):
        assert run_check("01.4", answer).status == "passed", answer
    assert run_check("01.4", round(exact) + 2).status == "failed"


def test_solution_states_the_accepted_rounding():
    states(SOLUTION, "rounding to the cent or to the dollar is fine", 'hint("01.1")')
    assert re.search(r"from cryptocourse\.exercises import check, hint", code(SOLUTION))


def test_median_year_loses_although_the_average_holds():
    """Section 4's last paragraph: with the -sigma^2/2 correction the expected price stays 100 USD,
    the median is exp(-0.32) - 1 = -27 %, and about two years in three end lower (P(Z < 0.4))."""
    sigma = 0.80
    median = math.expm1(-0.5 * sigma**2)
    assert round(median * 100) == -27
    below = 0.5 * (1 + math.erf(0.5 * sigma / math.sqrt(2)))     # P(log return < 0) = Phi(sigma / 2)
    assert abs(below - 2 / 3) < 0.02
    states(LESSON, r"$e^{-0.32} - 1 \approx -27\%$", "about\ntwo years in three end lower",
           "exactly what keeps the average at 100 USD")
    assert "(final < 100).mean()" in code(LESSON) and "final.mean()" in code(LESSON)


@pytest.mark.parametrize("seed", [2026, 1, 2, 3, 4, 5])
def test_median_and_average_claims_hold_for_other_seeds(seed):
    final = _years(seed)[:, -1]
    se = final.std(ddof=1) / math.sqrt(len(final))
    assert abs(final.mean() - 100) < 3 * se                          # the average stays near 100 USD
    assert np.median(final) < 100 and abs(np.median(final) / 100 - 1 - math.expm1(-0.32)) < 0.03
    assert 0.62 < (final < 100).mean() < 0.69                        # about two in three


def test_percentage_points_defined_before_first_use():
    states(LESSON, "We measure it\nin **percentage points**, the difference between two percentages (3% − 1% is 2 points)",
           "the dashboard, rounding to two decimals, shows 0.01")
    v = [money_math_view(apr=0.20, periods_per_year=n).apy for n in (365, math.inf)]
    assert round(v[1] * 100, 2) - round(v[0] * 100, 2) == pytest.approx(0.01)


# ---------------------------------------------------------------- fresh-eyes review (third pass, 2026-12-04)
def test_third_review_wording():
    from cryptocourse.finance import apr_to_apy, real_yield
    assert f"{real_yield(0.08, 0.05):.2%}" == "2.86%" and f"{apr_to_apy(0.08):.2%}" == "8.33%"
    states(LESSON, "section 2's 2.86% took 8% as the APY already", "an 8 % APR\npaid daily is an 8.33 % APY")
    states(LESSON, "is what you actually earn in a year, compounding included", "one reason risk models use them")
    assert "e^sum - 1 = {math.expm1(r_log.sum()):+.2%}" in code(LESSON)
