"""Claims tests for notebook 12 (governance tokens): the numbers and comparisons its prose and answer
keys state, recomputed from the package with the functions and defaults of the cells and the dashboard
they describe (issue 15).
"""
import math

import pytest

from cryptocourse import tokens as tk
from cryptocourse.dashboards.tokens import SUPPLY, TokenValueDashboard, token_value_view
from lessontext import code, never_states, states

NB = "notebooks/12_governance_tokens.ipynb"


# ---------------------------------------------------------------- the overclaim found in review

def test_vote_escrow_does_not_claim_to_make_vote_borrowing_pointless():
    never_states(NB, "makes borrowing votes pointless", "makes\nborrowing votes pointless")
    # what the lock stops, and what it does not: bribe markets and liquid lockers, named with examples
    states(NB, "**What the lock stops.**", "**What it does not stop: votes can still be rented.**",
           "**Bribe markets** pay lock holders", "Votium", "**Liquid lockers** hold the lock",
           "cvxCRV", "smart\n  wallet checker", "it does\nnot make votes impossible to buy")
    # the contract facts behind "only locked tokens vote" and "a lock cannot be undone early":
    start = 1_700_000_000 // tk.WEEK * tk.WEEK
    with pytest.raises(ValueError, match="4 years max"):
        tk.ve_balance(10**18, start + tk.MAXTIME + tk.WEEK, start, lock_time=start)
    assert tk.ve_balance(10**18, start + 52 * tk.WEEK, start + 52 * tk.WEEK) == 0     # power ends at unlock


# ---------------------------------------------------------------- sections 1-3

def test_fee_switch_numbers():
    lps, protocol = tk.fee_switch_split(1.0, fee=0.003, protocol_share=1 / 6)
    assert protocol == pytest.approx(0.0005) and lps == pytest.approx(0.0025)
    states(NB, "the protocol then takes 1/6 of the fee (0.05 % of volume) and the LPs keep 0.25 %")


def test_dividend_equals_buyback_at_the_fair_price():
    revenue, supply, value = 10e6, 1e9, 190e6
    fair = (value + revenue) / supply
    d = tk.dividend_vs_buyback(revenue, supply, value, market_price=fair)
    assert d.buyback == pytest.approx(d.dividend)
    dear = tk.dividend_vs_buyback(revenue, supply, value, market_price=2 * fair)
    assert dear.buyback < dear.dividend          # "holders who stay lose" when the protocol overpays
    states(NB, "They are equal\nexactly when the buyback pays the fair price $(V+R)/N$",
           "the holders who **stay**\n   lose")


# ---------------------------------------------------------------- the dashboard's answer key

def test_try_it_answers_use_the_dashboard_function_and_defaults():
    dash = TokenValueDashboard()
    assert dash.values() == dict(annual_fees=50e6, holder_share=0.5, discount_rate=0.20, growth=0.10,
                                 emission_rate=0.10, years=0)
    v = token_value_view()
    assert dash.result.value == v.value
    states(NB, f"About **{v.value:.3f} USD** per token ({v.market_cap / 1e6:,.0f}M USD in all)",
           f"with no emissions **{v.value_no_emissions:.2f} USD**")
    assert 1 - v.value / v.value_no_emissions > 0.5
    states(NB, "takes more than half the value")
    assert token_value_view(holder_share=0.0).value == 0.0
    states(NB, "2. **Zero.**")
    at_11 = token_value_view(discount_rate=0.11, emission_rate=0.0).value
    assert at_11 == pytest.approx(2.5)
    states(NB, f"At 11 % the value is {at_11:.2f} USD")
    assert math.isinf(token_value_view(discount_rate=0.10, emission_rate=0.0).value)
    states(NB, "at 10 % the perpetuity **diverges**")
    ten = token_value_view(discount_rate=0.10, emission_rate=0.0, years=10)
    each = 0.5 * 50e6 / SUPPLY / 1.10                       # every payment is worth the same today
    assert ten.pv_per_token[:10] == pytest.approx([each] * 10)
    states(NB, f"ten payments\n   each worth {each:.4f} USD today, about **{ten.value:.2f} USD**")


# ---------------------------------------------------------------- vote-escrow and the attack

def test_check_question_on_lock_lengths():
    assert tk.vote_escrow_power(1000.0, 4.0) == 1000.0 and tk.vote_escrow_power(1000.0, 1.0) == 250.0
    assert tk.vote_escrow_power(1000.0, 3.0) == 750.0 and tk.vote_escrow_power(1000.0, 0.0) == 0.0
    states(NB, "**1,000 and 250** right after locking; a year later **750 and 0**")


def test_the_attack_numbers():
    out = tk.borrowed_vote_attack(snapshot=False, timelock_delay=0, reaction_blocks=3)
    assert out.attacker_votes == 510_000 and out.treasury_lost > 0
    states(NB, "**No snapshot, no timelock**: 510,000 For beat 300,000 Against")
    assert tk.borrowed_vote_attack(snapshot=True).attacker_votes == 10_000
    states(NB, "so the attacker\n  counts only its own 10,000", "Snapshots do not stop tokens borrowed or bought *before*")
    never_states(NB, "must hold the tokens *before* the proposal, for many blocks")
    assert tk.flash_loan_fee(10_000) == pytest.approx(9.0)
    states(NB, "(0.09 % on Aave V2")


# ---------------------------------------------------------------- second review: overclaims and unexplained numbers

def test_short_locks_and_flash_loans_are_stated_without_overclaiming():
    never_states(NB, "Borrowed tokens therefore cannot become votes", "Borrowed tokens cannot be locked,",
                 "Curve anticipated this")
    start = 1_700_000_000 // tk.WEEK * tk.WEEK
    four_years = tk.ve_balance(10**18, start + tk.MAXTIME, start, lock_time=start)
    one_week = tk.ve_balance(10**18, start + tk.WEEK, start, lock_time=start)    # the shortest lock from here
    assert one_week / four_years < 0.005
    states(NB, "a one-week lock carries less than 0.5 % of the power of a four-year\nlock",
           "voted to whitelist Convex")
    assert "ve_balance(10**18, start + WEEK, start) / power:.2%}" in code(NB)


def test_the_fee_switch_is_dated_not_presented_as_off():
    never_states(NB, "fee switch would send")
    states(NB, "Uniswap V2's fee switch, when on, sends", "\"UNIfication\" proposal (gov.uniswap.org, November-December\n2025)",
           "vote in December 2025, and spends the", "check its current status before relying on it")
    never_states(NB, "put to a vote switching it on")                    # the vote has happened (third review)


def test_the_quorum_in_the_attack_is_explained_and_is_the_governors():
    out = tk.borrowed_vote_attack(snapshot=False)
    supply = 10_000 + 300_000 + 700_000 + 1_000_000
    assert out.quorum == 4 * supply // 100 == 80_400
    states(NB, "4 % of all 2,010,000 tokens (80,400)")
    assert "quorum = 4 * (10_000 + 300_000 + 700_000 + 1_000_000) // 100" in code(NB)
    assert tk.votes_to_win(0, 300_000, quorum=80_400) == 300_001


def test_the_timelock_sentence_matches_the_rule():
    never_states(NB, "the attack is stopped", "if the delay is longer than the community")
    states(NB, "If the delay is at least as long as the\n  community needs to react, a guardian (an")
    assert tk.borrowed_vote_attack(snapshot=False, timelock_delay=3, reaction_blocks=3).state == "Vetoed"
    assert tk.borrowed_vote_attack(snapshot=False, timelock_delay=2, reaction_blocks=3).state == "Executed"


def test_divergence_is_described_as_it_happens():
    never_states(NB, '"grow faster than\nthe discount rate for ever"')
    states(NB, "grow at least as\nfast as the discount rate (and the dilution) for ever")
    dash = TokenValueDashboard(discount_rate=0.10, emission_rate=0.0)     # growth 10 % = rate: diverges
    assert math.isinf(dash.result.value) and "at least as fast as" in dash.summary.value


# ---------------------------------------------------------------- fresh-eyes review (third pass, 2026-12-04)
def test_third_review_numbers_and_wording():
    to_lps, to_protocol = tk.fee_switch_split(365 * 1e9, fee=0.003, protocol_share=1 / 6)
    assert f"{to_lps / 1e6:,.1f}" == "912.5" and f"{to_protocol / 1e6:,.1f}" == "182.5"   # parts add up to 1,095
    assert "{to_lps / 1e6:,.1f}M USD" in code(NB)
    # the veCRV shortfall is the week rounding (208 whole weeks of 208.57), not the floored slope
    states(NB, "4 years of 365 days are 208.57 weeks", "(208/208.57 = 99.73 %", "the floored slope costs less than a billionth")
    assert f"{tk.MAXTIME / tk.WEEK:.2f}" == "208.57" and f"{208 * tk.WEEK / tk.MAXTIME:.2%}" == "99.73%"
    slope = 10**18 // tk.MAXTIME
    assert 1 - slope * tk.MAXTIME / 10**18 < 1e-9
    start = 1_700_000_000 // tk.WEEK * tk.WEEK
    assert tk.ve_balance(10**18, start + tk.MAXTIME, start, lock_time=start) == slope * 208 * tk.WEEK
    states(NB, "The community needs 3 blocks\nto notice a passed proposal", "holders of its $N$ tokens",
           "($R/N$ per token)", "whoever holds\n  vote-locked CVX steers its votes")
    assert "reaction_blocks=3" in code(NB) and "default_rng" not in code(NB)
    never_states(NB, "to the $N$ holders", "liquid lockers (Convex's cvxCRV) make locked power tradable again")


def test_the_dashboard_reads_small_values_and_no_cash():
    from cryptocourse.dashboards.tokens import TokenValueDashboard
    d = TokenValueDashboard()
    d.set(holder_share=0.0)
    assert "nothing to dilute" in d.summary.value and "emissions take" not in d.summary.value
    d.set(holder_share=0.5, annual_fees=d.controls["annual_fees"].min)
    assert "0M USD" not in d.summary.value and "0.0000 USD" not in d.summary.value


def test_third_review_second_pass():
    """Second fresh review (2026-12-04): exact veCRV figures in answer 3, the divergence condition with
    dilution, Beanstalk's votes came from deposited borrowed stablecoins through an emergency path."""
    start = 1_700_000_000 // tk.WEEK * tk.WEEK
    e18 = 10**18
    four, one = tk.ve_balance(1000 * e18, start + tk.MAXTIME, start), tk.ve_balance(1000 * e18, start + 365 * 86400, start)
    later = tk.ve_balance(1000 * e18, start + tk.MAXTIME, start + 365 * 86400)
    assert [f"{x / e18:.1f}" for x in (four, one, later)] == ["997.3", "249.3", "747.3"]
    assert tk.ve_balance(1000 * e18, start + 365 * 86400, start + 365 * 86400) == 0
    states(NB, "(locking at the start of a week,\n   with the contract's week rounding: 997.3 and 249.3, then 747.3 and 0)",
           "$(1+g) \\ge (1+e)(1+r)$", "deposited them into the Beanstalk protocol to obtain about\n79 % of its voting power",
           "through an emergency path with no delay", "unless fees grow at least as fast as emissions")
    never_states(NB, "borrowed enough of them for a single block", "with growth at or above the discount rate is")
    # the sum for ever in closed form: the geometric series with ratio q
    s, f, r, g, e, n = 0.5, 50e6, 0.20, 0.10, 0.05, 1e9
    q = (1 + g) / ((1 + e) * (1 + r))
    first = s * f / (n * (1 + e) * (1 + r))
    assert tk.token_value_dcf(f, s, r, g, e, supply=n) == pytest.approx(first / (1 - q))
    # the dashboard at a tiny value reads in plain decimals, and 99.98 % is not rounded up to 100 %
    from cryptocourse.dashboards.tokens import _usd
    assert _usd(3.112e-06) == "0.000003112 USD"


def test_the_longest_lock_depends_on_the_weekday_and_no_cash_is_worth_nothing():
    states(NB, "made later in the week, it lasts between 1,453 and 1,460 days",
           "round by round (every two weeks on Votium)")
    assert "(all 1B tokens: {v * 1e9 / 1e6:,.0f}M USD)" in code(NB)
    start = 1_700_000_000 // tk.WEEK * tk.WEEK
    days = [((start + x + tk.MAXTIME) // tk.WEEK * tk.WEEK - (start + x)) / 86_400 for x in range(0, tk.WEEK, 600)]
    assert int(min(days)) == 1_453 and max(days) == 1_460
    # the fee switch off: worth nothing, even where the (unpaid) fees would grow faster than the rate
    assert token_value_view(annual_fees=50e6, holder_share=0.0, discount_rate=0.05, growth=0.5,
                            emission_rate=0.0).value == 0
    d = TokenValueDashboard()
    d.set(holder_share=0.0, discount_rate=0.05, growth=0.5, emission_rate=0.0)
    assert "infinite" not in d.summary.value and "nothing to dilute" in d.summary.value
