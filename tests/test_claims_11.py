"""Claims tests for notebook 11 (arbitrage): every number and comparison its prose and answer keys
state is recomputed here from the package, with the same functions and defaults as the cells and the
dashboards they describe (issue 15). A changed default that breaks a sentence fails here.
"""
import math
import re

import numpy as np
import pytest

from cryptocourse import arbitrage as arb
from cryptocourse.amm import get_amount_out
from cryptocourse.dashboards.arbitrage import LVRDashboard, TwoPoolDashboard, lvr_view, two_pool_view
from lessontext import code, never_states, prose, states

NB = "notebooks/11_arbitrage.ipynb"
E18 = 10**18
SEEDS = [2026, 1, 2, 3, 4, 5]


# ---------------------------------------------------------------- retired sentences (the defects found)

def test_retired_claims_are_gone():
    never_states(NB, "Impermanent loss (notebook 08) is the same cost seen at the end",
                 "is the same cost seen at the end of the period")
    assert "by -" not in prose(NB) and "trails by -" not in prose(NB)
    # second review: a wrong reason, an overstatement, a condition that is not needed, a mislabelled probability
    never_states(NB, "because the fee stays in the pool", "much smaller than what the price does in an hour",
                 "no drift and no fees", "with no drift and no fees", "about a USDT withdrawal on Ethereum")
    assert "falls back to 40,000 USD or below meanwhile" not in code(NB)
    # third review (2026-12-04): sigma^2/8 per path, two paths announced for three, an exact claim off by the fee,
    # "0" printed as a pool number, one auction draw read as a trend
    never_states(NB, "path by path and never shrinking", "Two hourly price paths over 30 days",
                 "net of the fee, exactly at the outside price")
    assert "buy in pool {t.buy_pool}" in code(NB) and "if t.buy_pool == 0" in code(NB)


# ---------------------------------------------------------------- 1. two exchanges

def test_the_exchange_example_is_a_loss_after_costs():
    src = code(NB)
    assert ("exchange_arbitrage(buy_price=40_000, sell_price=40_100, amount=1.0, taker_fee_buy=0.001,\n"
            "                       taker_fee_sell=0.001, withdrawal_fee=0.0005, cash_transfer_fee=15.0)") in src
    r = arb.exchange_arbitrage(40_000, 40_100, 1.0, 0.001, 0.001, 0.0005, 15.0)
    assert r == arb.exchange_arbitrage()                     # the cell's numbers are the function's defaults
    assert r.net < 0
    states(NB, "The 100 USD gap is a **loss** once the costs are paid",
           "0.10 % taker fee on each venue", "a 0.0005 BTC withdrawal fee", "15 USD to move the dollars back",
           "60 % annual [volatility]", "say one hour")
    defaults = arb.exchange_arbitrage.__defaults__
    assert defaults[-2:] == (60.0, 0.6)                      # transfer_minutes, volatility as the prose says
    states(NB, "A 100 USD gap on a 40,000 USD coin is 0.25 %")
    assert 100 / 40_000 == 0.0025
    states(NB, "less than half of what the price typically moves in that hour (one standard deviation")
    assert r.gross < 0.5 * r.move_sd                         # 100 USD against one standard deviation of 257 USD


def test_the_gap_probability_is_at_arrival_not_at_any_moment():
    """The cell prints P(price at arrival <= 40,000); touching 40,000 at some moment is far likelier."""
    r = arb.exchange_arbitrage()
    assert "is 40,000 USD or below when the coins arrive: {r.p_gap_closes:.0%}" in code(NB)
    sd = 0.6 * math.sqrt(1 / (365 * 24))                    # log-price sd over the hour (independent formula)
    z = (math.log(40_000 / 40_100) + 0.5 * sd**2) / sd
    assert r.p_gap_closes == pytest.approx(0.5 * (1 + math.erf(z / math.sqrt(2))))
    rng = np.random.default_rng(11)
    steps = rng.standard_normal((20_000, 120)) * sd / math.sqrt(120) - 0.5 * sd**2 / 120
    path_min = 40_100 * np.exp(np.minimum.accumulate(np.cumsum(steps, axis=1), axis=1)[:, -1])
    assert (path_min <= 40_000).mean() > 1.5 * r.p_gap_closes


def test_check_question_on_a_2_usd_gap():
    r = arb.exchange_arbitrage(1_000, 1_002, 1.0, 0.001, 0.001, withdrawal_fee=0.0, cash_transfer_fee=0.0)
    assert r.buy_fee + r.sell_fee == pytest.approx(2.002)
    assert r.net < 0
    states(NB, "The fees are 1.000 + 1.002 = 2.002 USD (0.10 % of each side), a little more than the 2 USD gap")


# ---------------------------------------------------------------- 3-6. pools

def test_uniswap_example_reserves_after_the_trade():
    _, amount = arb.profit_maximizing_trade(1, 90, 10 * E18, 1000 * E18)
    out = get_amount_out(amount, 10 * E18, 1000 * E18)
    ra, rb = (10 * E18 + amount) / E18, (1000 * E18 - out) / E18
    states(NB, f"the reserves are ${ra:.4f}$ A and ${rb:.2f}$ B: their plain ratio is {rb / ra:.2f}, not 90")
    # the reason: the ratio is a price before the fee; the next seller gets ratio x 0.997, no more than 90
    states(NB, f"{rb / ra:.2f} × 0.997 = {rb / ra * 0.997:.2f} B per A, no more than outside")
    next_rate = get_amount_out(10**12, 10 * E18 + amount, 1000 * E18 - out) / 10**12
    assert f"{next_rate:.2f}" == f"{rb / ra * 0.997:.2f}" and next_rate <= 90
    assert "print(f\"the next seller of A gets {get_amount_out(delta, *after) / delta:.2f} B per A\")" in code(NB)
    # the fee staying in the pool is NOT why the ratio exceeds 90: paid outside, the ratio would be higher still
    assert rb / ((10 * E18 + 0.997 * amount) / E18) > rb / ra > 90


def test_two_pools_at_40100_need_more_than_two_fees():
    x = 5_000_000 / 40_000
    assert arb.two_pool_arbitrage(x, x * 40_000, x, x * 40_100, 0.003, 0.003).buy_pool == 0
    cheap = arb.two_pool_arbitrage(x, x * 40_000, x, x * 40_100, 0.0005, 0.0005)
    assert cheap.buy_pool == 1 and 0 < cheap.profit < 20           # "a small profit, and gas may still eat it"
    states(NB, "With the common 0.30 % fee, a 0.25 % gap is worth nothing",
           "Cheaper pools (0.05 %) leave a small profit, and gas may still eat it")


def test_check_question_band():
    low, high = arb.no_arbitrage_band(1.0, 100.0, 0.003)
    states(NB, f"$[\\gamma S, S/\\gamma]$ = [{low:.2f}, {high:.2f}]")
    assert low < 100.2 < high


# ---------------------------------------------------------------- 7. flash loans

def test_flash_section_claims():
    cheap, dear = (125 * E18, 5_000_000 * E18), (125 * E18, 5_050_000 * E18)
    lab_defaults = arb.deploy_flash_arbitrage.__defaults__
    assert lab_defaults[:2] == (cheap, dear)                 # "the coin at 40,000 and 40,400 USD"
    assert cheap[1] // cheap[0] == 40_000 and dear[1] // dear[0] == 40_400
    states(NB, "10 million USD each, the coin at 40,000 and 40,400 USD", "sets the premium at **0.05 %**")
    assert arb.flash_loan_premium(10_000, 5) == 5            # 0.05 %
    loan = arb.optimal_flash_amount(cheap, dear)
    first = arb.flash_arbitrage_profit(loan, cheap, dear)
    assert first.profit > 0
    after_buy = (cheap[0] - first.bought, cheap[1] + loan)
    after_sell = (dear[0] + first.bought, dear[1] - first.returned)
    assert arb.flash_arbitrage_profit(loan, after_buy, after_sell).profit < 0   # "no longer pays"
    assert arb.optimal_flash_amount(cheap, (125 * E18, 5_012_500 * E18)) == 0    # "no loan size pays at all"
    states(NB, "the same trade again no longer pays", "at the opening example's 40,100 USD no loan size pays at all")


# ---------------------------------------------------------------- 9. LVR: one computation for cell and dashboard

def test_lesson_and_dashboard_are_one_computation():
    src = code(NB)
    assert "v = lvr_view(sigma=0.8, fee=0.003, volume=10.0)" in src
    assert "simulate_lvr(sigma=0.8, fee=0.003, days=365, n_paths=50" not in src   # the old second computation
    dash = LVRDashboard()
    values = dash.values()
    assert (values["sigma"], values["fee"], values["volume"]) == (0.8, 0.003, 10.0)
    cell = lvr_view(sigma=0.8, fee=0.003, volume=10.0)
    assert dash.result.lvr_year == cell.lvr_year and dash.result.lp_vs_rebalancing == cell.lp_vs_rebalancing
    assert lvr_view() is cell                                # the function's defaults are the dashboard's
    assert f"{cell.lvr_year:.2%}" in dash.summary.value


def test_lvr_prose_holds_for_several_seeds():
    states(NB, "80 % volatility costs the LPs about 8 % of the pool a year")
    assert arb.lvr_rate(0.8) == pytest.approx(0.08)
    states(NB, "below the rebalancing portfolio's by about 2 % of the pool a year")
    for seed in SEEDS:
        v = lvr_view(seed=seed)
        assert -0.025 < v.lp_vs_rebalancing < -0.015, seed          # "about 2 %", and negative
        assert abs(v.lvr_year - arb.lvr_rate(0.8)) < 0.01, seed     # "follows sigma**2/8"
        assert 0 < v.arb_fees_year < v.lvr_year, seed               # "part of it comes back"
        # "the simulated figure agrees within its standard error" (with the expectation, 2 SE for 6 seeds)
        assert abs(v.lvr_year - arb.expected_lvr(0.8)) < 2 * v.lvr_year_se, seed


def test_expected_lvr_is_below_the_rate_on_the_starting_value():
    states(NB, "the expected LVR is $1 - e^{-\\sigma^2/8}$ = 7.69 % of the *starting* value rather than 8 %")
    assert f"{arb.expected_lvr(0.8):.2%}" == "7.69%" and f"{1 - math.exp(-0.64 / 8):.2%}" == "7.69%"
    assert "expected_lvr(0.8)" in code(NB)
    # the dashboard draws the expectation, and the simulated dot sits on it within 3 SE at the slider's ends
    for sigma in (0.1, 0.8, 1.5):
        v = lvr_view(sigma=sigma)
        assert v.lvr_expected == pytest.approx(arb.expected_lvr(sigma))
        assert abs(v.lvr_year - v.lvr_expected) < 3 * v.lvr_year_se, sigma


def test_competing_bots_pass_the_gap_on():
    """The auction's rows are means over 2,000 draws: the winner's share falls as bots join."""
    states(NB, "already with two bots the\nblock producer gets most of the gap")
    assert "for _ in range(draws)" in code(NB)
    rng = np.random.default_rng(5)
    kept = {n: np.mean([arb.gas_auction(500.0, rng.uniform(5, 25, size=n)).winner_profit for _ in range(2_000)])
            for n in (1, 2, 5, 20, 100)}
    assert kept[1] > 450 and kept[2] < 250 / 2                  # two bots: the producer gets most
    assert kept[1] > kept[2] > kept[5] > kept[20] > kept[100]   # strictly falling with more bots


def test_try_it_answers():
    text = prose(NB)
    for tvl, fee, key in ((10_000_000, 0.003, "About **{}**"), (100_000, 0.003, "about\n   **{}**"),
                          (10_000_000, 0.0005, "falls to about **{}**")):
        gap = two_pool_view(tvl=tvl, fee=fee, gas=20.0).min_gap
        states(NB, key.format(f"{gap:.2%}"))
    assert TwoPoolDashboard().values()["gas"] == 20.0
    # break-even volume: between 16x and 17x for every seed
    match = re.search(r"Between \*\*(\d+)x and (\d+)x\*\*", text)
    lo, hi = int(match.group(1)), int(match.group(2))
    for seed in SEEDS:
        assert lvr_view(volume=float(lo), seed=seed).lp_vs_rebalancing < 0 < \
            lvr_view(volume=float(hi), seed=seed).lp_vs_rebalancing, seed
    states(NB, f"the standard error is about {lvr_view(volume=float(lo)).lp_vs_rebalancing_se:.2%} of the pool",
           f"says {0.8**2 / (8 * 0.003):.0f}x", f"({lvr_view().arb_fees_year:.1%} of the pool a year here)")
    states(NB, f"about **{lvr_view(volume=20.0).lvr_year:.1%}** a year in both cases",
           f"about\n   **{lvr_view(fee=0.0001, volume=20.0).arb_fees_year:.2%}** at the 0.01 % tier",
           f"about **{lvr_view(fee=0.01, volume=20.0).arb_fees_year:.1%}** at the 1 % tier")
    for seed in SEEDS:   # "in both cases": the LVR barely depends on the fee tier
        assert abs(lvr_view(fee=0.0001, volume=20.0, seed=seed).lvr_year
                   - lvr_view(fee=0.01, volume=20.0, seed=seed).lvr_year) < 0.005


# ---------------------------------------------------------------- 10. LVR is not impermanent loss

def _path_to(rng, end, sigma, start=2_000.0, hours=720):
    """The notebook's path_to (section 10), with an explicit generator."""
    w = np.concatenate([[0.0], np.cumsum(rng.standard_normal(hours))]) * sigma / np.sqrt(365 * 24)
    return start * np.exp(w + np.linspace(0, 1, hours + 1) * (np.log(end / start) - w[-1]))


def test_the_notebook_uses_this_path_function():
    src = code(NB)
    assert "w = np.concatenate([[0.0], np.cumsum(rng.standard_normal(hours))]) * sigma / np.sqrt(365 * 24)" in src
    assert "np.exp(w + np.linspace(0, 1, hours + 1) * (np.log(end / start) - w[-1]))" in src
    assert '"calm": path_to(3_000, 0.2), "wild": path_to(3_000, 1.2)' in src


@pytest.mark.parametrize("seed", SEEDS)
def test_same_end_same_il_different_lvr(seed):
    rng = np.random.default_rng(seed)
    calm = arb.lvr_path(_path_to(rng, 3_000, 0.2), pool_value=1e6)
    wild = arb.lvr_path(_path_to(rng, 3_000, 1.2), pool_value=1e6)
    back = arb.lvr_path(_path_to(rng, 2_000, 1.2), pool_value=1e6)
    assert round(calm.il_value[-1]) == round(wild.il_value[-1])      # "the same impermanent loss, to the dollar"
    assert wild.lvr[-1] > 5 * calm.lvr[-1]                         # "many times the LVR"
    assert abs(back.il_value[-1]) < 1e-6 and back.lvr[-1] > 0.005 * 1e6  # "no impermanent loss ... a large LVR"
    states(NB, "have the same impermanent loss, to the dollar", "has many times the LVR of the calm one",
           "has no impermanent loss\nat all and still a large LVR")


@pytest.mark.parametrize("seed", [7, 1, 2, 3, 4])
def test_il_equals_lvr_only_on_average_and_without_drift(seed):
    src = code(NB)
    assert "simulate_lvr(sigma=0.8, fee=0.0, days=365, steps_per_day=4, n_paths=1000, drift=drift, seed=7)" in src

    def se(a):
        return a.std(ddof=1) / math.sqrt(a.size)

    means = {}
    for drift in (0.0, 1.0):
        sim = arb.simulate_lvr(sigma=0.8, fee=0.0, days=365, steps_per_day=4, n_paths=1000, drift=drift, seed=seed)
        lvr, il = sim.lvr[:, -1] / 1e6, -sim.il_value[:, -1] / 1e6
        means[drift] = (lvr.mean(), il.mean(), math.hypot(se(lvr), se(il)))
    lvr0, il0, err0 = means[0.0]
    assert abs(lvr0 - il0) < 2.5 * err0                              # "the same size within their standard errors"
    lvr1, il1, _ = means[1.0]
    assert il1 > 2.5 * lvr1                                          # "several times the LVR"
    assert "sim.il_value[:, -1] / 1e6" in src
    states(NB, "With no drift the two averages have the same size within their standard errors",
           "with a strong\ntrend the impermanent loss is several times the LVR")


@pytest.mark.parametrize("seed", [7, 1, 2, 3, 4])
def test_a_pool_fee_does_not_change_the_average_agreement(seed):
    """The prose: with no drift, IL and LVR agree on average whatever the pool fee (both before fee income)."""
    states(NB, "A\npool fee does not change this: both are measured before the fees the LP earns")
    sim = arb.simulate_lvr(sigma=0.8, fee=0.003, days=365, steps_per_day=4, n_paths=1000, drift=0.0, seed=seed)
    diff = (sim.lvr[:, -1] + sim.il_value[:, -1]) / 1e6                  # LVR - |IL| per path
    assert abs(diff.mean()) < 2.5 * diff.std(ddof=1) / math.sqrt(diff.size)
