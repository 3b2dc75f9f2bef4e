"""Lesson 07 (automated market makers): every number its prose and answer keys state, recomputed.

Each test recomputes a sentence's numbers from the package with the same function and defaults as
the cell or dashboard it describes, and asserts the sentence still says them (tests/lessontext.py).
"""
import math

import numpy as np
import pytest
from lessontext import code, never_states, states

from cryptocourse import amm
from cryptocourse.dashboards.amm import pool_explorer_view, range_view, stableswap_view
from cryptocourse.exercises import load_set
from cryptocourse.exercises.spec import collect, score

LESSON = "notebooks/07_amms.ipynb"
E18 = 10**18


def pct(x, places=2):
    return f"{100 * x:.{places}f}%"


def test_first_swap_and_impermanent_loss():
    impact = amm.price_impact(10.0, 1_000.0, 3_000_000.0, 0.003)
    states(LESSON, f"You paid about {pct(impact, 1)} below the spot price")
    states(LESSON, f"(about {pct(-amm.impermanent_loss(1.1))} for this 10% move)")
    assert amm.price_impact(10.0, 1_000.0, 3_000_000.0, 0.0) == pytest.approx(10 / 1010)
    states(LESSON, "so a trade of 1% of the pool costs about 1%")


def test_protocol_fee_is_one_sixth_of_the_growth():
    pair = amm.UniswapV2Pair(fee_on=True)
    pair.mint("alice", 1_000 * 10**18, 1_000 * 10**18)
    root_before = math.isqrt(pair.k)
    for _ in range(20):
        pair.swap_exact_in(10 * 10**18, token_in=0)
        pair.swap_exact_in(10 * 10**18, token_in=1)
    root_after, supply = math.isqrt(pair.k), pair.total_supply
    pair.mint("alice", 10**18, 10**18)                  # a mint settles the protocol's fee first
    fee_shares = pair.balance_of[pair.fee_to]
    # the protocol's new shares are worth one sixth of the growth of sqrt(k)
    value_of_fee = fee_shares / (supply + fee_shares) * root_after
    assert value_of_fee == pytest.approx((root_after - root_before) / 6, rel=1e-6)
    states(LESSON, "one sixth of the LPs' fee income (the growth of $\\sqrt{k}$) would be minted as new shares")


def test_stableswap_trade_answers():
    v = stableswap_view(amp=200, trade_pct=10)          # the dashboard's defaults
    states(LESSON, f"StableSwap loses about **{pct(1 - v.ss_out / v.trade)}** ({v.ss_out:,.0f} received for "
                   f"{v.trade:,.0f}); constant product loses **{pct(1 - v.cp_out / v.trade, 1)}** ({v.cp_out:,.0f})")
    low = stableswap_view(amp=1, trade_pct=10)
    states(LESSON, f"the 10% trade now loses about **{pct(1 - low.ss_out / low.trade, 1)}**")
    lo, hi = 1.0, 100.0                                  # the trade size (% of one side) that costs 1 %
    for _ in range(50):
        mid = (lo + hi) / 2
        v = stableswap_view(amp=200, trade_pct=mid)
        lo, hi = (lo, mid) if 1 - v.ss_out / v.trade > 0.01 else (mid, hi)
    states(LESSON, f"From about **{lo:.0f}%** of one side")


# ---------------------------------------------------------------- the depeg (the corrected text)
def test_depeg_table_sentence():
    d = amm.stableswap_depeg(2000, 0.90, balance=1_000_000)
    states(LESSON, f"a pool with $A = 2{{,}}000$ is left {pct(d['bad_share'], 1)} in the depegged coin and its "
                   f"LPs are {pct(-d['lp_vs_hodl'])} behind holding",
           f"a constant-product pool is {pct(1 / 1.9, 1)} coin 1 and {pct(-amm.impermanent_loss(0.9))} behind")
    worst = 2 * 0.9 / 1.9 - 1
    assert abs(d["lp_vs_hodl"] - worst) < abs(d["lp_vs_hodl"] - amm.impermanent_loss(0.9))  # "close to the worst case"
    states(LESSON, "High amplification does *not* protect LPs in a depeg",
           "**the LPs end up holding the depegged coin**")
    never_states(LESSON, "That protects LPs if one coin loses its peg",
                 "the pool still cannot be drained of the good coin at 1:1")


def test_depeg_answer_key_uses_the_dashboard():
    rows = {a: stableswap_view(amp=a, depeg_price=0.9) for a in (200, 10, 1000)}
    v = rows[200]
    states(LESSON, f"At $A = 200$ the pool ends **{pct(v.depeg_bad_share, 1)}** coin 1 and its LPs are "
                   f"**{pct(-v.depeg_lp_vs_hodl)}** behind holding",
           f"at $A = 10$, {pct(rows[10].depeg_bad_share, 1)} and {pct(-rows[10].depeg_lp_vs_hodl)} behind",
           f"at $A = 1{{,}}000$, {pct(rows[1000].depeg_bad_share, 1)} and {pct(-rows[1000].depeg_lp_vs_hodl)} behind",
           f"(constant product: {pct(v.cp_depeg_bad_share, 1)} and {pct(-v.cp_depeg_lp_vs_hodl)})")
    assert rows[10].depeg_lp_vs_hodl > rows[200].depeg_lp_vs_hodl > rows[1000].depeg_lp_vs_hodl


def test_depeg_check_your_understanding():
    d = amm.stableswap_depeg(2000, 0.90)
    states(LESSON, f"(at 0.90 USD and $A = 2{{,}}000$: {pct(d['bad_share'], 1)} of the pool and "
                   f"{pct(-d['lp_vs_hodl'])} behind holding, against {pct(-amm.impermanent_loss(0.9))} for "
                   "constant product)")


# ---------------------------------------------------------------- V3 ticks: decimals
def test_tick_with_decimals():
    naive = amm.price_to_tick(3000.0)
    tick = amm.price_to_tick(amm.raw_price(1 / 3000, decimals0=6, decimals1=18))
    assert (naive, tick) == (80_067, 196_256)
    exact = math.isqrt(10**12 * 2**192 // 3000)            # sqrtPriceX96 of the raw price, exactly
    assert amm.get_tick_at_sqrt_ratio(exact) == tick       # TickMath agrees
    states(LESSON, f"The naive tick, {naive:,}, would be right only", f"the tick is near **{tick:,}**",
           f"sits near tick {tick:,}, not the decimals-naive {naive:,}")
    states(LESSON, r"the raw price is $10^{12}/3{,}000 \approx 3.3\times10^{8}$, not 3,000")
    assert f"{1e12 / 3000:.1e}" == "3.3e+08"


# ---------------------------------------------------------------- pool explorer and range picker
def test_pool_explorer_answers():
    sizes = [t / 10 for t in range(10, 200)]
    trade = next(t for t in sizes if pool_explorer_view(trade=t).price_impact >= 0.01)
    states(LESSON, f"About **{trade:.1f} X** ({trade / 1000:.2%} of the reserve)")
    ten, cheap = pool_explorer_view(trade=10.0), pool_explorer_view(trade=10.0, fee_bps=1)
    states(LESSON, f"$10/1010 = {pct(ten.curve_impact)[:-1]}\\%$", f"the total is **{pct(ten.price_impact)}**",
           f"the fee adds about **{100 * (ten.price_impact - ten.curve_impact):.2f}** [percentage points]",
           f"at 0.01% the total is **{pct(cheap.price_impact)}** and the fee adds about "
           f"{100 * (cheap.price_impact - cheap.curve_impact):.2f} points")
    big = pool_explorer_view(trade=1000.0)
    states(LESSON, f"About **{big.amount_out:,.0f} Y**, an average of {big.execution_price:,.0f} Y per X",
           f"the new price is about **{big.spot_after:,.0f} Y per X**")


def test_range_answers():
    states(LESSON, f"About **{range_view(0.8, 1.25).efficiency:.1f}x** for 0.8-1.25 and "
                   f"**{range_view(0.95, 1.05).efficiency:.1f}x** for 0.95-1.05")
    above = range_view(0.8, 1.25, 1.3)
    assert above.value_x == 0.0 and above.value_y == range_view(0.8, 1.25, 2.0).value_y
    states(LESSON, f"Only token Y, **{above.value_y:,.0f} USD** of it")
    low, stop = range_view(0.8, 1.25, 0.5), range_view(0.8, 1.25, 10**-0.30)   # the slider's nearest stop
    assert f"{10**-0.30:.3f}" == "0.501"
    states(LESSON, "the slider's nearest stop shows 0.501",
           f"The range loses **{pct(-low.il_range, 1)}** against holding at 0.5 ({pct(-stop.il_range, 1)} at the "
           f"slider's 0.501); the full range only **{pct(-low.il_full, 1)}**")
    assert f"{-stop.il_full:.1%}" == f"{-low.il_full:.1%}"


# ---------------------------------------------------------------- exercise 07.5 accepts the printed rounding
@pytest.mark.parametrize("answer,ok", [(20.44, True), (20.4, True), (round(amm.capital_efficiency(0.9, 1.1), 4), True),
                                       (20.5, False), (20.3, False), (20, False), (19.98, False), (10.22, False)])
def test_07_5_accepts_the_printed_rounding(answer, ok):
    ex = next(e for e in load_set("07") if e.id == "07.5")
    assert (score(ex, collect(ex, answer)).status == "passed") is ok


def test_exercise_set_numbers():
    solution = "exercises/solutions/07_amms.ipynb"
    states(solution, f"gives `{amm.get_amount_out(10**18, 5 * 10**18, 10**18 * 10)}` wei")
    assert amm.capital_efficiency(0.9, 1.1) == pytest.approx(2 / ((1 - 1 / math.sqrt(1.1)) + (1 - math.sqrt(0.9))))


@pytest.mark.parametrize("seed", [2026, 1, 2, 3, 4, 5])
def test_bob_gets_more_of_both_tokens_for_any_seed(seed):
    """Section 4's simulation (300 alternating round trips): 'Bob gets back more of **both** tokens'."""
    e18 = 10**18
    rng = np.random.default_rng(seed)
    pair = amm.UniswapV2Pair()
    pair.mint("alice", 1_000 * e18, 3_000_000 * e18)
    bob = pair.mint("bob", 100 * e18, 300_000 * e18)
    for i, size in enumerate(rng.uniform(0, 20, 300)):
        first = i % 2
        amount = int(size * e18) if first == 0 else int(size * 3_000 * e18)
        got = pair.swap_exact_in(amount, token_in=first)
        pair.swap_exact_in(got, token_in=1 - first)
    eth, usdc = pair.burn("bob", bob)
    assert eth > 100 * e18 and usdc > 300_000 * e18
    states(LESSON, "Bob gets back more of **both** tokens")


def test_stored_amp_is_twice_the_formula_A_for_two_coins():
    """Section 6: the contract stores A n^(n-1), twice the formula's A for two coins."""
    e18 = 10**18
    b = [1_200_000 * e18, 800_000 * e18]
    amp = 200
    d = amm.get_D(b, amp) / e18
    x, y, a_formula, n = 1.2e6, 0.8e6, amp / 2, 2                      # the whitepaper's invariant
    lhs = a_formula * n**n * (x + y) + d
    rhs = a_formula * d * n**n + d ** (n + 1) / (n**n * x * y)
    assert lhs == pytest.approx(rhs, rel=1e-9)
    states(LESSON, "The contract stores $A n^{n-1}$ as `amp` (for two coins, twice the $A$ of the formula above")


def test_rounding_get_amount_in_down_would_make_the_swap_revert():
    """Check your understanding 2: a quote rounded down only is short, and the pair's K check reverts it."""
    e18 = 10**18
    r_in, r_out, out = 5 * e18, 10 * e18, 3 * e18
    num, den = r_in * out * 1000, (r_out - out) * 997
    assert num % den != 0                                    # the quotient is not a whole number of wei
    pair = amm.UniswapV2Pair()
    pair.mint("alice", r_in, r_out)
    with pytest.raises(amm.UniswapV2Error, match="K"):
        pair.swap(0, out, amount0_in=num // den)            # rounded down only: one wei short, reverts
    pair.swap(0, out, amount0_in=amm.get_amount_in(out, r_in, r_out))   # floor + 1: accepted
    states(LESSON, "its `K` check reverts the swap, so the trader's transaction would fail instead")
    never_states(LESSON, "a trader could receive a wei more than the fee-adjusted product allows")


# ---------------------------------------------------------------- fresh-eyes review (third pass, 2026-12-04)
def test_third_review_wording():
    never_states(LESSON, "A tick counts the raw-unit price of token1 in token0", "a random size up to 2% of the pool")
    states(LESSON, "A tick counts the raw-unit price of token0 in token1 (token1 per token0)",
           "a random size up to 20 ETH (about 1.8 % of the pool)")
    assert "rng.uniform(0, 20, 300)" in code(LESSON) and 'pair.mint("alice", 1_000 * E18' in code(LESSON)
    assert f"{20 / 1_100:.1%}" == "1.8%"                                  # Alice's 1,000 ETH + Bob's 100
    # the tick counts token1 (WETH) per token0 (USDC): it rises when ETH falls
    from cryptocourse.amm import price_to_tick, raw_price
    assert price_to_tick(raw_price(1 / 2_900, 6, 18)) > price_to_tick(raw_price(1 / 3_000, 6, 18))


def test_the_explorer_says_exact_only_for_uniswap_v2s_own_fee():
    from cryptocourse.dashboards.amm import PoolExplorerDashboard
    d = PoolExplorerDashboard()
    assert "Uniswap V2's exact integer math" in d.summary.value
    d.set(fee_bps=100)
    assert "V2's integer formula with this fee" in d.summary.value and "Uniswap V2's exact" not in d.summary.value


def _depeg_loss_with_fee(amp, fee, price=0.9, step=2_000):
    """Arbitrage a 1M/1M StableSwap pool in small steps until selling the depegged coin stops paying;
    the fee stays in the pool. Returns LP value / HODL value - 1 (an independent check of section 6)."""
    bal = [10**6 * E18, 10**6 * E18]
    dx = step * E18
    while True:
        dy = amm.get_dy(1, 0, dx, bal, amp, fee=fee)
        if dy < price * dx:
            break
        bal = [bal[0] - dy, bal[1] + dx]
    return (bal[0] / E18 + price * bal[1] / E18) / (10**6 * (1 + price)) - 1


def test_the_curve_not_the_fee_decides_the_depeg_loss():
    """'Fees ... win back only a little of it ... a lower A' limits the damage (cell 27, answer 4)."""
    states(LESSON, "Fees, even the higher fees newer Curve pools charge when a pool is\nunbalanced",
           "win back only a little of it",
           "What\nreally protects LPs is pooling only coins unlikely to depeg, a lower $A$, and leaving early")
    never_states(LESSON, "What limits the LPs' loss is not the\ncurve", "the curve does not.")
    no_fee, big_fee = _depeg_loss_with_fee(2_000, 0), _depeg_loss_with_fee(2_000, 30_000_000)   # 0 and 0.30 %
    assert no_fee == pytest.approx(amm.stableswap_depeg(2_000, 0.90)["lp_vs_hodl"], abs=2e-4)
    assert 0 < big_fee - no_fee < 0.002                                    # a 0.3 % fee wins back < 0.2 points
    assert _depeg_loss_with_fee(10, 0) - no_fee > 0.03                      # A = 10 instead: > 3 points less loss
    states(LESSON, "USDC was back at 1 USD on\n13 March")


def test_the_first_slider_stop_above_one_percent():
    from cryptocourse.dashboards.amm import StableSwapDashboard
    step = StableSwapDashboard().controls["trade_pct"].step

    def loss(pct):
        v = stableswap_view(amp=200, trade_pct=pct)
        return 1 - v.ss_out / v.trade
    assert step == 0.5 and loss(79.0) < 0.01 <= loss(79.5)
    states(LESSON, "(the slider's first stop above 1% is 79.5%)")
