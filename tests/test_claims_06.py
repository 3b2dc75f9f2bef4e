"""Lesson 06 (staking): every number its prose, answer keys and model answers state, recomputed.

Each test recomputes a sentence's numbers from the package with the same function and defaults
as the cell or dashboard it describes, and asserts the sentence still says them (tests/lessontext.py).
Simulated headlines are also rerun with other seeds: their sign or ranking must hold.
"""
import numpy as np
import pytest
from lessontext import code, never_states, states

from cryptocourse import staking as sk
from cryptocourse.dashboards.staking import calculator_view, issuance_view

LESSON = "notebooks/06_staking.ipynb"
SOLUTION = "exercises/solutions/06_staking.ipynb"
GWEI = 10**9
SEEDS = [1, 2, 3, 4, 5]


def pct(x, places=2):
    return f"{100 * x:.{places}f}%"


def test_apr_curve_numbers():
    # section 1-2 and the summary: base rewards, 166.3 / sqrt(N), 16.6 % and 2.9 %
    b = [sk.eth_base_reward_per_increment(n * GWEI) for n in (1_000_000, 10_000_000, 32_000_000)]
    states(LESSON, f"({b[0]:,} / {b[1]:,} / {b[2]:,} at 1M / 10M / 32M ETH)")
    assert f"{sk.ETH_APR_CONSTANT:.1f}" == "166.3" and f"{sk.EPOCHS_PER_YEAR:,}" == "82,181.25"
    states(LESSON, f"{pct(sk.eth_staking_apr(1e6), 1)} at 1M ETH, {pct(sk.eth_staking_apr(32e6), 1)} at 32M")
    ratio = sk.eth_annual_issuance(2e6, exact=False) / sk.eth_annual_issuance(1e6, exact=False)
    apr_ratio = sk.eth_staking_apr(1e6, exact=False) / sk.eth_staking_apr(2e6, exact=False)
    assert f"{ratio:.2f}" == f"{apr_ratio:.2f}" == "1.41"
    states(LESSON, r"$\sqrt{2}\approx1.41\times$ and cuts the APR by the same factor")


def test_issuance_dashboard_answers():
    lo, hi = 20e6, 40e6                               # where the exact APR crosses 3 %
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if sk.eth_staking_apr(mid) >= 0.03 else (lo, mid)
    states(LESSON, f"below 3% at about **{lo / 1e6:.1f}M ETH** staked")
    a, b = issuance_view(30.5), issuance_view(31.0)
    assert a.apr_now > 0.03 > b.apr_now
    states(LESSON, f"the slider shows {pct(a.apr_now)} at 30.5M and {pct(b.apr_now)} at 31.0M")
    v = issuance_view(34.0)                           # the dashboard's defaults: 34M staked, 121M supply
    states(LESSON, f"about **{v.issuance_now_m * 1e6:,.0f} ETH** a year: **{pct(v.inflation)}** of a supply of 121M ETH")


def test_networks_sentence_matches_the_table():
    nets = sk.network_assumptions()
    assert nets["Polkadot"]["unbonding_days"] == 28 and nets["Cardano"]["unbonding_days"] == 0
    assert 2 <= nets["Solana"]["unbonding_days"] <= 3
    states(LESSON, "As each network documented it in 2025 (illustrative",
           "about 28 days on Polkadot", "about one epoch (2-3 days) on Solana", "nothing on Cardano")
    assert all("2025" in n["source"] for n in nets.values())


def test_slashing_rules():
    assert sk.eth_slashing_initial_penalty(32 * GWEI, "bellatrix") == 1 * GWEI
    assert f"{sk.eth_slashing_initial_penalty(32 * GWEI, 'electra') / GWEI:.3f}" == "0.008"
    days = sk.EPOCHS_PER_SLASHINGS_VECTOR * sk.SECONDS_PER_EPOCH / 86_400
    states(LESSON, f"at least {sk.EPOCHS_PER_SLASHINGS_VECTOR:,} epochs, about {days:.0f} days",
           "1 ETH of 32), / 4096 since", "(about 0.008 ETH)")
    assert sk.PROPORTIONAL_SLASHING_MULTIPLIER["electra"] == 3
    total = 34_000_000 * GWEI
    assert sk.eth_slashing_correlation_penalty(32 * GWEI, total // 100, total, "bellatrix") == 0
    assert sk.eth_slashing_correlation_penalty(32 * GWEI, total // 100, total, "electra") > 0
    states(LESSON, "nor did one slashed together with 1% of the stake")
    lone = sk.eth_slashing_penalties(32 * GWEI, 32 * GWEI, total, "electra")["total"] / GWEI
    states(LESSON, f"small when alone (about {lone:.3f} ETH of 32 since Electra)")


def _simulation(seed):
    # the arguments of the lesson's section-6 cell (its rng is default_rng(2026), unused before)
    return sk.simulate_staking(1_000, 0.05, 1.0, commission=0.10, slash_prob=0.02, slash_fraction=0.10,
                               price_vol=0.6, unbonding_days=21, n_paths=20_000, seed=seed).summary()


def test_monte_carlo_headline_and_its_uncertainty():
    s = _simulation(2026)
    states(LESSON, f"the token's price swamps the {pct(sk.delegator_apr(0.05, 0.10), 1)} reward",
           f"most paths (about {100 * s['prob_loss']:.0f}%) end")
    z_mean = (s["mean_value"] - 1_000) / s["se_mean_value"]
    z_loss = (s["prob_loss"] - 0.5) / s["se_prob_loss"]
    states(LESSON, f"The mean is about {z_mean:.0f} standard errors above 1,000 USD",
           f"the share of losing paths about {z_loss:.0f} standard errors above half")
    states(LESSON, f"{pct(s['prob_beats_hodl'], 1)} + {pct(s['prob_slashed'], 1)} = 100%")
    assert s["prob_beats_hodl"] + s["prob_slashed"] == pytest.approx(1.0)


@pytest.mark.parametrize("seed", SEEDS)
def test_monte_carlo_headline_holds_for_other_seeds(seed):
    s = _simulation(seed)
    assert s["mean_value"] - 3 * s["se_mean_value"] > 1_000 > s["median_value"]
    assert s["prob_loss"] - 3 * s["se_prob_loss"] > 0.5
    assert s["prob_beats_hodl"] + s["prob_slashed"] == pytest.approx(1.0)   # wins on every unslashed path


def test_real_yield_transfer():
    inflation = sk.eth_annual_issuance(34e6) / 121e6
    staker = sk.real_staking_yield(sk.eth_staking_apr(34e6), inflation)
    holder = sk.real_staking_yield(0.0, inflation)
    staked = 34e6 / 121e6
    assert staked * staker == pytest.approx(-(1 - staked) * holder)        # the gain is exactly the loss
    states(LESSON, "what the stakers gain is exactly what the non-stakers lose")
    never_states(LESSON, "Much of a staking reward is a transfer")


def test_calculator_answer_key():
    v = calculator_view()                                                   # the dashboard's defaults
    states(LESSON, f"**{v.tokens_if_safe:,.2f}** tokens if never slashed ({pct(v.net_apr, 1)} after commission",
           f"**{v.tokens_if_slashed:,.2f}** if slashed; chance about {100 * v.prob_slashed:.0f}%",
           f"The mean, **{v.expected_tokens:,.2f}**")
    flat = calculator_view(price_vol=0.0, slash_fraction=1.0)
    # price risk aside: the tokens are the same at 60 % volatility
    assert flat.expected_tokens == pytest.approx(calculator_view(slash_fraction=1.0).expected_tokens)
    states(LESSON, "Price risk does not change the tokens; losing everything when slashed does",
           f"the mean falls from {v.expected_tokens:,.0f} to about **{flat.expected_tokens:,.0f}** tokens",
           f"stays at **{flat.summary['p5_value']:,.0f}**",
           f"(about {pct(flat.summary['prob_slashed'], 1)} of paths) is rarer than 5%")
    assert flat.summary["p5_value"] == pytest.approx(v.tokens_if_safe)
    six = calculator_view(price_vol=0.0, slash_fraction=1.0, slash_prob=0.06)
    assert six.summary["p5_value"] == 0.0
    states(LESSON, "At a 6% slashing chance the worst 5% drops to **0**")
    short, long_ = calculator_view(unbonding_days=0), calculator_view(unbonding_days=60)
    states(LESSON, f"Median value about **{short.summary['median_value']:,.0f} → {long_.summary['median_value']:,.0f} USD**",
           f"worst 5% about **{short.summary['p5_value']:,.0f} → {long_.summary['p5_value']:,.0f} USD**")
    assert short.tokens_if_safe == long_.tokens_if_safe


def test_calculator_seed_answer():
    runs = [calculator_view(seed=s).summary for s in range(2026, 2031)]
    means = [r["mean_value"] for r in runs]
    losses = [r["prob_loss"] for r in runs]
    states(LESSON, f"between about **{min(means):,.0f} and {max(means):,.0f} USD** (its ± is "
                   f"{runs[0]['se_mean_value']:,.0f} USD",
           f"between about **{pct(min(losses), 1)} and {pct(max(losses), 1)}** (± {pct(runs[0]['se_prob_loss'], 1)})")
    assert all(m > 1_000 for m in means) and all(p > 0.5 for p in losses)
    # one or two standard errors: the spread of the five means is of the size of their ±
    assert (max(means) - min(means)) / 2 < 2.5 * runs[0]["se_mean_value"]


def test_check_your_understanding():
    net = sk.delegator_apr(0.04, 0.10)
    states(LESSON, f"Net {pct(net, 1)}; real $(1.036/1.03) - 1 \\approx$ **{pct(sk.real_staking_yield(net, 0.03))}**")
    solo32, solo320 = sk.solo_validator_apr(np.array([32.0, 320.0]), 0.029, running_cost_per_year=0.3)
    pool = sk.delegator_apr(0.029, 0.10)
    states(LESSON, f"**{pct(solo32)}** (the costs eat {100 * 0.3 / 32:.2f} points)",
           f"**{pct(pool)}**: the pool wins", f"At 320 ETH solo earns about **{pct(solo320)}**")
    assert solo32 < pool < solo320


def test_model_answer_06_5():
    states(SOLUTION, f"({pct(sk.eth_staking_apr(1e6), 1)} at 1M ETH, {pct(sk.eth_staking_apr(32e6), 1)} at 32M)")



def test_06_4_slashed_stake_makes_the_order_of_divisions_matter():
    """06.4: 341,000 ETH (about 1 %) slashed; a one-division shortcut is 'off by a few Gwei'."""
    total, eff, slashed = 34_000_000 * GWEI, 32 * GWEI, 341_000 * GWEI
    states(SOLUTION, "**341,000 ETH**", "(about 1% of the total stake", "off by a few Gwei")
    assert f"{slashed / total:.0%}" == "1%"
    right = (sk.eth_slashing_initial_penalty(eff, "electra")
             + sk.eth_slashing_correlation_penalty(eff, slashed, total, "electra"))
    shortcut = eff // 4096 + eff * min(3 * slashed, total) // total
    assert 0 < shortcut - right < 32                       # a few Gwei: the check can tell them apart
    assert sk.eth_slashing_correlation_penalty(eff, slashed, total, "bellatrix") == 0


def test_delegation_and_liquid_staking_are_defined_in_the_staking_sense():
    states(LESSON, "a **liquid-staking** protocol, which gives you a token standing for your staked ETH",
           "you **delegate** your stake to it")
    never_states(LESSON, "[delegated](glossary.ipynb#delegation)")     # the glossary's is governance delegation


def test_unbonding_risk_formula_states_its_model():
    # 1 - exp(-s^2 t / 2 - 1.645 s sqrt(t)) is the 5 % quantile of a driftless GBM, nothing more
    from statistics import NormalDist
    z = NormalDist().inv_cdf(0.95)
    t = 28 / 365
    assert sk.unbonding_price_risk(0.7, 28) == pytest.approx(1 - np.exp(-0.49 * t / 2 - z * 0.7 * np.sqrt(t)))
    states(LESSON, "if the price moves randomly by percentages with no expected gain or loss (the model of section 6")


def test_exercise_set_numbers():
    b = [sk.eth_base_reward_per_increment(n * GWEI) for n in (1_000_000, 10_000_000, 32_000_000)]
    states(SOLUTION, f"you should get {b[0]}, {b[1]} and {b[2]}")
    assert sk.MIN_SLASHING_PENALTY_QUOTIENT["electra"] == 4096
    states(SOLUTION, "`MIN_SLASHING_PENALTY_QUOTIENT_ELECTRA` = 4096", "`PROPORTIONAL_SLASHING_MULTIPLIER_BELLATRIX` = 3")


# ---------------------------------------------------------------- fresh-eyes review (third pass, 2026-12-04)
def test_third_review_wording():
    # question 3's answer key holds only at the default slashing settings: the question now says so
    states(LESSON, "3. Back at the defaults (60% volatility, a 2% chance of slashing, 10% lost if slashed)")
    states(LESSON, "and for sync-committee duty, you also pay a penalty of the same size",
           "(a missed head vote or proposal only loses its reward)", "a 32-ETH validator compounds about once a year")
    never_states(LESSON, "[correlation](glossary.ipynb#correlation)")      # the statistical sense is another word
    assert 'who = "alone" if share == 0' in code(LESSON) and "missed duties estimated at a fixed 32-ETH" in code(LESSON)
