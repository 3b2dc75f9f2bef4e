"""Tests for cryptocourse.arbitrage: Uniswap's numbers, optimality properties, clear errors."""
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cryptocourse import arbitrage as arb
from cryptocourse.amm import get_amount_out

E18 = 10**18


# ---------------------------------------------------------------- known values (Uniswap)

def test_uniswap_example_1_to_90():
    # Uniswap/v2-periphery test/ExampleSwapToPrice.spec.ts: reserves 10e18 : 1000e18, "moves the price to 1:90"
    a_to_b, amount = arb.profit_maximizing_trade(1, 90, 10 * E18, 1000 * E18)
    assert a_to_b is True
    assert abs(amount - 526682316179835569) <= 2
    assert amount == 526682316179835569
    # the spec's swap output for that input
    assert get_amount_out(amount, 10 * E18, 1000 * E18) == 49890467170695440744


def test_uniswap_example_1_to_110():
    a_to_b, amount = arb.profit_maximizing_trade(1, 110, 10 * E18, 1000 * E18)
    assert a_to_b is False
    assert amount == 47376582963642643588
    assert get_amount_out(amount, 1000 * E18, 10 * E18) == 451039908682851138


def test_uniswap_example_reverse_token_order():
    assert arb.profit_maximizing_trade(110, 1, 1000 * E18, 10 * E18) == (True, 47376582963642643588)


def test_no_trade_inside_fee_band():
    # true price equal to the pool price: no trade pays (the library returns (false, 0))
    assert arb.profit_maximizing_trade(1, 100, 10 * E18, 1000 * E18) == (False, 0)
    # 0.1 % away, inside the 0.3 % fee
    assert arb.profit_maximizing_trade(1000, 100_100, 10 * E18, 1000 * E18) == (False, 0)


def _library_reference(pa, pb, ra, rb):
    """UniswapV2LiquidityMathLibrary.computeProfitMaximizingTrade transcribed line by line (1000/997)."""
    a_to_b = (ra * pb) // rb < pa  # FullMath.mulDiv(reserveA, truePriceTokenB, reserveB) < truePriceTokenA
    invariant = ra * rb
    left = math.isqrt((invariant * 1000 * (pa if a_to_b else pb)) // ((pb if a_to_b else pa) * 997))
    right = ((ra if a_to_b else rb) * 1000) // 997
    if left < right:
        return (False, 0)
    return (a_to_b, left - right)


@given(ra=st.integers(1, 2**112 - 1), rb=st.integers(1, 2**112 - 1), pa=st.integers(1, 10**30), pb=st.integers(1, 10**30))
def test_fee_bps_30_is_uniswaps_997(ra, rb, pa, pb):
    # 10000/9970 and 1000/997 are the same fraction, so the results agree exactly
    assert arb.profit_maximizing_trade(pa, pb, ra, rb) == _library_reference(pa, pb, ra, rb)


def test_zero_fee_moves_pool_exactly_to_price():
    a_to_b, amount = arb.profit_maximizing_trade(1, 90, 10 * E18, 1000 * E18, fee_bps=0)
    assert a_to_b
    assert amount == math.isqrt(10 * E18 * 1000 * E18 // 90) - 10 * E18


# ---------------------------------------------------------------- properties (exact)

reserves = st.integers(min_value=10**12, max_value=10**30)
prices = st.integers(min_value=1, max_value=10**6)


@given(ra=reserves, rb=reserves, pa=prices, pb=prices)
def test_after_trade_marginal_price_net_of_fee_equals_true_price(ra, rb, pa, pb):
    """At the optimal size, one more wei traded returns exactly its true value (d out / d in = price)."""
    a_to_b, amount = arb.profit_maximizing_trade(pa, pb, ra, rb)
    target = pb / pa if a_to_b else pa / pb  # true value of one input token, in output tokens
    if amount == 0:
        # inside the no-arbitrage band [gamma*S, S/gamma] (to rounding)
        assert 0.997 * rb / ra <= pb / pa * (1 + 1e-9) and pb / pa <= rb / (0.997 * ra) * (1 + 1e-9)
        return
    r_in, r_out = (ra, rb) if a_to_b else (rb, ra)
    delta = min(amount, max(r_in // 10**6, 1))
    assume(delta >= 10**4)
    slope = (get_amount_out(amount + delta, r_in, r_out) - get_amount_out(amount - delta, r_in, r_out)) / (2 * delta)
    # each floor moves the difference by < 1 wei: allow 1/delta, plus float noise
    assert slope == pytest.approx(target, rel=1e-6, abs=1.0 / delta)


@given(ra=reserves, rb=reserves, pa=prices, pb=prices)
def test_after_the_trade_no_further_arbitrage_pays(ra, rb, pa, pb):
    a_to_b, amount = arb.profit_maximizing_trade(pa, pb, ra, rb)
    assume(amount > 0)
    if a_to_b:
        ra2, rb2 = ra + amount, rb - get_amount_out(amount, ra, rb)
    else:
        ra2, rb2 = ra - get_amount_out(amount, rb, ra), rb + amount
    assume(ra2 > 0 and rb2 > 0)
    again, more = arb.profit_maximizing_trade(pa, pb, ra2, rb2)
    assert more <= 2  # the pool now sits inside the fee band of the true price (2 wei of rounding)


def _int_profit(x, a_to_b, pa, pb, ra, rb):
    """Profit of selling x wei, in units where 1 A = pb and 1 B = pa."""
    if a_to_b:
        return get_amount_out(x, ra, rb) * pa - x * pb
    return get_amount_out(x, rb, ra) * pb - x * pa


@given(ra=reserves, rb=reserves, pa=prices, pb=prices, frac=st.floats(0, 3), shift=st.integers(-1000, 1000))
def test_no_other_size_makes_more_profit(ra, rb, pa, pb, frac, shift):
    a_to_b, amount = arb.profit_maximizing_trade(pa, pb, ra, rb)
    assume(amount > 0)
    best = _int_profit(amount, a_to_b, pa, pb, ra, rb)
    other = max(1, int(amount * frac) + shift)
    # one wei of rounding in the output is worth pa (or pb): allow that much
    assert _int_profit(other, a_to_b, pa, pb, ra, rb) <= best + 2 * (pa + pb)
    assert best >= -(pa + pb)


@given(ra=reserves, rb=reserves, pa=prices, pb=prices)
def test_exact_and_float_versions_agree(ra, rb, pa, pb):
    a_to_b, amount = arb.profit_maximizing_trade(pa, pb, ra, rb)
    f_dir, f_amount = arb.optimal_trade(pb / pa, float(ra), float(rb))
    assert f_amount == pytest.approx(amount, rel=1e-6, abs=1e-6 * min(ra, rb) + 4)
    if amount > 0:
        assert f_dir == a_to_b


# ---------------------------------------------------------------- float versions

def test_optimal_trade_is_vectorised():
    a_to_b, amount = arb.optimal_trade(np.array([90.0, 100.0, 110.0]), 10.0, 1000.0)
    assert a_to_b.tolist() == [True, False, False]
    assert amount[1] == 0.0
    assert amount[2] == pytest.approx(47.376582963642643588, rel=1e-9)


@given(price=st.floats(1, 1000), x=st.floats(1, 1e6), y=st.floats(1, 1e6), fee=st.sampled_from([0.0, 0.0005, 0.003, 0.01]))
def test_closed_form_profit_matches_the_trade_and_beats_other_sizes(price, x, y, fee):
    a_to_b, amount = arb.optimal_trade(price, x, y, fee)
    best = arb.arbitrage_profit(price, x, y, fee)
    assert best >= 0
    assert arb.trade_profit(amount, price, x, y, a_to_b, fee) == pytest.approx(best, rel=1e-7, abs=1e-7 * (x * price + y))
    sizes = amount * np.array([0.0, 0.5, 0.9, 0.99, 1.01, 1.1, 2.0]) + np.array([0, 0, 0, 0, 0, 0, 1e-3 * x])
    others = arb.trade_profit(sizes, price, x, y, a_to_b, fee)
    assert np.all(others <= best + 1e-9 * (x * price + y))


@given(x=st.floats(1, 1e6), y=st.floats(1, 1e6), fee=st.sampled_from([0.0005, 0.003, 0.01]), gas=st.floats(0, 100))
def test_band_edges_earn_exactly_the_gas(x, y, fee, gas):
    low, high = arb.no_arbitrage_band(x, y, fee, gas)
    scale = x * (y / x) + y
    assert arb.arbitrage_profit(high, x, y, fee, gas) == pytest.approx(0.0, abs=1e-8 * scale)
    if low > 0:
        assert arb.arbitrage_profit(low, x, y, fee, gas) == pytest.approx(0.0, abs=1e-8 * scale)
    mid = math.sqrt(low * high) if low > 0 else high / 2
    assert arb.arbitrage_profit(mid, x, y, fee, gas) <= 1e-9 * scale


def test_band_without_gas_is_the_fee_band():
    low, high = arb.no_arbitrage_band(10.0, 1000.0, 0.003)
    assert low == pytest.approx(99.7) and high == pytest.approx(100 / 0.997)
    assert arb.min_profitable_gap(10.0, 1000.0) == pytest.approx(1 / 0.997 - 1)
    # gas makes small pools need bigger gaps
    assert arb.min_profitable_gap(10.0, 1000.0, gas_cost=1.0) > arb.min_profitable_gap(1000.0, 100_000.0, gas_cost=1.0)


def test_two_pool_brief_example_fees_eat_the_gap():
    # $40,000 on one venue, $40,100 on the other: 0.25 % < two 0.30 % fees
    t = arb.two_pool_arbitrage(100.0, 4_000_000.0, 100.0, 4_010_000.0)
    assert t.buy_pool == 0 and t.profit == 0.0
    t = arb.two_pool_arbitrage(100.0, 4_000_000.0, 100.0, 4_010_000.0, fee1=0.0005, fee2=0.0005)
    assert t.buy_pool == 1 and t.profit > 0


@given(x1=st.floats(1, 1e4), p1=st.floats(1, 1e3), x2=st.floats(1, 1e4), gap=st.floats(-0.5, 0.5),
       fee=st.sampled_from([0.0, 0.003]))
def test_two_pool_optimum(x1, p1, x2, gap, fee):
    y1, y2 = x1 * p1, x2 * p1 * (1 + gap)
    t = arb.two_pool_arbitrage(x1, y1, x2, y2, fee, fee)
    if t.buy_pool == 0:
        return
    (xa, ya, xb, yb) = (x1, y1, x2, y2) if t.buy_pool == 1 else (x2, y2, x1, y1)
    from cryptocourse.amm import amount_out as swap_out

    def profit(b):
        return swap_out(swap_out(b, ya, xa, fee=fee), xb, yb, fee=fee) - b

    scale = ya + yb
    assert profit(t.amount_in) == pytest.approx(t.profit, rel=1e-7, abs=1e-9 * scale)
    for m in (0.5, 0.9, 1.1, 2.0):
        assert profit(t.amount_in * m) <= t.profit + 1e-9 * scale
    # at the optimum one more unit of B spent returns exactly one unit of B: d(profit)/db = 0
    d = 1e-4 * t.amount_in
    assert (profit(t.amount_in + d) - profit(t.amount_in - d)) / (2 * d) == pytest.approx(0.0, abs=1e-5)


def test_gas_auction_hands_profit_to_block_producer():
    r = arb.gas_auction(100.0, [5.0] * 5)
    assert r.winner_profit == 0.0 and r.to_block_producer == 95.0
    r = arb.gas_auction(100.0, [30.0, 10.0])
    assert r == arb.AuctionResult(1, 70.0, 20.0, 70.0)
    r = arb.gas_auction(5.0, [10.0, 20.0])  # nobody can profit: nothing is bid
    assert r.priority_fee == 0.0 and r.winner_profit == 0.0


@given(g=st.floats(0, 1e6), costs=st.lists(st.floats(0, 1e6), min_size=1, max_size=20))
def test_gas_auction_conserves_the_opportunity(g, costs):
    r = arb.gas_auction(g, costs)
    assert r.winner_profit >= 0 and r.priority_fee >= 0
    assert r.winner_profit + r.priority_fee == pytest.approx(max(g - min(costs), 0.0))


# ---------------------------------------------------------------- LVR

def test_lvr_rate_is_sigma_squared_over_eight():
    assert arb.lvr_rate(0.8) == pytest.approx(0.08)
    assert arb.lvr_rate(np.array([0.0, 0.4]), 100.0).tolist() == pytest.approx([0.0, 2.0])
    assert arb.breakeven_volume(0.8, 0.003) == pytest.approx(0.64 / 0.024)


def test_expected_lvr_is_sigma_squared_over_eight_of_the_shrinking_pool():
    # closed forms: 1 - e^(-sigma^2/8) with no drift; sigma^2/8 exactly when the drift keeps E[value] flat
    assert arb.expected_lvr(0.8) == pytest.approx(1 - math.exp(-0.08), rel=1e-12)
    assert arb.expected_lvr(0.8, drift=0.16) == pytest.approx(0.08, rel=1e-12)
    assert arb.expected_lvr(0.8, years=0.0) == 0.0
    assert arb.expected_lvr(0.8, years=1e-9) == pytest.approx(0.08e-9, rel=1e-6)   # starts at the rate
    assert arb.expected_lvr(np.array([0.0, 1.5]), pool_value=2.0).tolist() == pytest.approx(
        [0.0, 2 * (1 - math.exp(-1.5**2 / 8))])
    # and the simulation agrees within a few standard errors, with and without drift
    for drift in (0.0, 1.0):
        r = arb.simulate_lvr(sigma=0.8, fee=0.0, days=365, steps_per_day=24, n_paths=1000, drift=drift,
                             pool_value=1.0, seed=11)
        end = r.lvr[:, -1]
        assert abs(end.mean() - arb.expected_lvr(0.8, drift=drift)) < 4 * end.std(ddof=1) / math.sqrt(end.size)
    with pytest.raises(ValueError, match="years"):
        arb.expected_lvr(0.8, years=-1)


def test_simulated_lvr_matches_theory_without_fees():
    r = arb.simulate_lvr(sigma=0.5, fee=0.0, days=60, steps_per_day=96, n_paths=100, seed=7)
    per = r.per_year()
    assert per["lvr"] == pytest.approx(per["lvr_theory"], rel=0.03)
    assert per["lvr_theory"] == pytest.approx(0.5**2 / 8, rel=0.05)
    assert per["arb_fees"] == 0.0


def test_simulation_is_seeded_and_shaped():
    a = arb.simulate_lvr(days=10, n_paths=3, seed=1)
    b = arb.simulate_lvr(days=10, n_paths=3, seed=1)
    assert a.lvr.shape == (3, 11) and a.t.shape == (11,)
    assert np.array_equal(a.lvr, b.lvr)
    assert a.pool_value[0, 0] == pytest.approx(1_000_000.0)


def test_lvr_never_decreases_and_fees_recover_part_of_it():
    r = arb.simulate_lvr(sigma=0.8, fee=0.003, days=60, n_paths=20)
    assert np.all(np.diff(r.lvr, axis=1) >= -1e-6)
    assert np.all(np.diff(r.arb_fees, axis=1) >= 0)
    # arbitrageurs never lose on their trades: fees they pay <= what they take
    assert np.all(r.arb_fees[:, -1] <= r.lvr[:, -1] + 1e-6)
    assert np.all(r.lp_vs_rebalancing[:, -1] < 0)  # no noise traders: the LP loses to rebalancing


def test_noise_volume_at_breakeven_pays_the_lvr_roughly():
    sigma, fee = 0.6, 0.003
    vol = arb.breakeven_volume(sigma, fee)
    per = arb.simulate_lvr(sigma=sigma, fee=fee, days=90, n_paths=50, noise_volume=vol).per_year()
    assert per["noise_fees"] == pytest.approx(per["lvr_theory"], rel=0.05)
    assert per["lp_vs_rebalancing"] > 0  # the arbitrageurs' own fees tip it positive


# ---------------------------------------------------------------- clear errors

@pytest.mark.parametrize("kwargs, name, exc", [
    (dict(true_price_a=0, true_price_b=1, reserve_a=10, reserve_b=10), "true_price_a", ValueError),
    (dict(true_price_a=1, true_price_b=0, reserve_a=10, reserve_b=10), "true_price_b", ValueError),
    (dict(true_price_a=1, true_price_b=1, reserve_a=0, reserve_b=10), "reserve_a", ValueError),
    (dict(true_price_a=1, true_price_b=1, reserve_a=10, reserve_b=2**112), "reserve_b", ValueError),
    (dict(true_price_a=1, true_price_b=1, reserve_a=10.0, reserve_b=10), "reserve_a", TypeError),
    (dict(true_price_a=1, true_price_b=1, reserve_a=10, reserve_b=10, fee_bps=10_000), "fee_bps", ValueError),
    (dict(true_price_a=1, true_price_b=1, reserve_a=10, reserve_b=10, fee_bps=-1), "fee_bps", ValueError),
])
def test_profit_maximizing_trade_errors(kwargs, name, exc):
    with pytest.raises(exc, match=name):
        arb.profit_maximizing_trade(**kwargs)


@pytest.mark.parametrize("call, name", [
    (lambda: arb.optimal_trade(0, 10, 10), "price"),
    (lambda: arb.optimal_trade(1, 0, 10), "reserve_a"),
    (lambda: arb.optimal_trade(1, 10, -1), "reserve_b"),
    (lambda: arb.optimal_trade(1, 10, 10, fee=1.0), "fee"),
    (lambda: arb.trade_profit(-1, 1, 10, 10), "amount_in"),
    (lambda: arb.arbitrage_profit(1, 10, 10, gas_cost=-1), "gas_cost"),
    (lambda: arb.no_arbitrage_band(10, 10, fee=-0.1), "fee"),
    (lambda: arb.min_profitable_gap(10, 0), "reserve_b"),
    (lambda: arb.two_pool_arbitrage(1, 1, 1, 1, fee2=2), "fee2"),
    (lambda: arb.gas_auction(-1, [1]), "gross_profit"),
    (lambda: arb.gas_auction(1, []), "bot_costs"),
    (lambda: arb.gas_auction(1, [-1]), "bot_costs"),
    (lambda: arb.lvr_rate(-0.1), "sigma"),
    (lambda: arb.breakeven_volume(0.5, 0.0), "fee"),
    (lambda: arb.simulate_lvr(days=0), "days"),
    (lambda: arb.simulate_lvr(sigma=-1), "sigma"),
    (lambda: arb.simulate_lvr(noise_volume=-1), "noise_volume"),
    (lambda: arb.simulate_lvr(n_paths=100_000, days=3650), "n_paths"),
])
def test_float_api_errors(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_type_errors():
    with pytest.raises(TypeError, match="a_to_b"):
        arb.trade_profit(1.0, 1.0, 10.0, 10.0, a_to_b="yes")
    with pytest.raises(TypeError, match="price"):
        arb.optimal_trade("90", 10.0, 1000.0)


# ---------------------------------------------------------------- dashboards (headless)

def test_two_pool_view_numbers():
    from cryptocourse.dashboards.arbitrage import two_pool_view

    v = two_pool_view(gap=0.0025)  # the brief's $40,000 vs $40,100
    assert v.buy_pool == 0 and v.net_profit == -20.0 and v.price2 == pytest.approx(40_100.0)
    assert 0.006 < v.min_gap < 0.02  # more than the two 0.30 % fees
    v = two_pool_view(gap=-0.02)
    assert v.buy_pool == 2 and v.net_profit > 0
    # the optimum is the top of the profit curve
    assert v.gross_profit >= v.size_profits.max() - 1e-6
    # the minimum gap is where the best profit equals the gas
    edge = two_pool_view(gap=v.min_gap * 1.001)
    assert 0.0 <= edge.net_profit < 0.5
    assert two_pool_view(gap=v.min_gap * 0.99).buy_pool in (0, 1)
    assert two_pool_view(gap=v.min_gap * 0.99).net_profit < 0


def test_lvr_view_numbers():
    from cryptocourse.dashboards.arbitrage import lvr_view

    v = lvr_view(sigma=0.6, fee=0.003, volume=0.0)
    assert v.lvr[-1] == pytest.approx(v.theory[-1], rel=0.05)
    assert v.breakeven_volume == pytest.approx(0.36 / 0.024)
    assert v.lp_vs_rebalancing < 0
    rich = lvr_view(sigma=0.6, fee=0.003, volume=40.0)
    assert rich.lp_vs_rebalancing > 0 and rich.fees_year > v.fees_year


def test_dashboards_update_headless():
    from cryptocourse.dashboards.arbitrage import LVRDashboard, TwoPoolDashboard

    d = TwoPoolDashboard()
    before, png = d.result, d.image.value
    d.set(gap=0.02)
    assert d.result.buy_pool == 1 and d.result is not before and d.image.value != png
    d = LVRDashboard()
    png = d.image.value
    d.set(sigma=0.3, volume=50.0)
    assert d.result.lp_vs_rebalancing > 0 and d.image.value != png
    with pytest.raises(ValueError, match="gap"):
        from cryptocourse.dashboards.arbitrage import two_pool_view
        two_pool_view(gap=0.9)


@given(price=st.floats(1, 1000), x=st.floats(1, 1e6), y=st.floats(1, 1e6), fee=st.sampled_from([0.0005, 0.003, 0.01]))
def test_simulation_shortcut_matches_the_optimal_trade(price, x, y, fee):
    """simulate_lvr moves the pool price to the edge of the band [gamma*P, P/gamma]: the optimal trade does that."""
    a_to_b, amount = arb.optimal_trade(price, x, y, fee)
    g, k = 1 - fee, x * y
    s = y / x
    if amount == 0:
        assert g * price <= s * (1 + 1e-12) and s <= price / g * (1 + 1e-12)
        return
    if a_to_b:  # gamma * amount enters the curve (the fee is set aside), k unchanged
        x2 = x + g * amount
        assert (k / x2) / x2 == pytest.approx(price / g, rel=1e-9)
    else:
        y2 = y + g * amount
        assert y2 / (k / y2) == pytest.approx(price * g, rel=1e-9)


# ---------------------------------------------------------------- two exchanges (issue 16)

def test_exchange_arbitrage_itemises_every_cost():
    r = arb.exchange_arbitrage()  # 1 BTC, 40,000 vs 40,100 USD, 0.10 % taker fees, 0.0005 BTC, 15 USD
    assert r.gross == pytest.approx(100.0)
    assert r.buy_fee == pytest.approx(40.0) and r.withdrawal_cost == pytest.approx(0.0005 * 40_100)
    assert r.sell_fee == pytest.approx(0.9995 * 40_100 * 0.001)
    assert r.net == pytest.approx(r.gross - r.buy_fee - r.withdrawal_cost - r.sell_fee - r.cash_transfer_fee)
    assert r.net == pytest.approx(0.9995 * 40_100 * 0.999 - 40_040 - 15)
    assert r.net < 0                                   # the seed's 100 USD gap is a loss
    even = arb.exchange_arbitrage(sell_price=40_000 + r.breakeven_gap)
    assert even.net == pytest.approx(0.0, abs=1e-8)
    assert r.capital == pytest.approx(40_040 + 40_100) and r.return_on_capital == pytest.approx(r.net / r.capital)


def test_exchange_arbitrage_price_risk():
    r = arb.exchange_arbitrage(transfer_minutes=60, volatility=0.6)
    sd = 0.6 * math.sqrt(1 / (365 * 24))
    assert r.move_sd == pytest.approx(0.9995 * 40_100 * sd)
    # a lognormal price at arrival: P(S <= 40,000) and P(S <= break-even price)
    z_gap = (math.log(40_000 / 40_100) + sd**2 / 2) / sd
    assert r.p_gap_closes == pytest.approx(0.5 * (1 + math.erf(z_gap / math.sqrt(2))))
    assert 0.5 < r.p_loss < 0.6 and r.p_gap_closes < r.p_loss
    calm = arb.exchange_arbitrage(volatility=0.0)
    assert calm.p_loss == 1.0 and calm.p_gap_closes == 0.0 and calm.move_sd == 0.0
    instant = arb.exchange_arbitrage(sell_price=41_000, transfer_minutes=0)
    assert instant.p_loss == 0.0
    longer = arb.exchange_arbitrage(sell_price=41_000, transfer_minutes=600)
    assert longer.p_loss > arb.exchange_arbitrage(sell_price=41_000).p_loss > 0


@given(gap=st.floats(-500, 5_000), fee=st.floats(0, 0.01), wf=st.floats(0, 0.01))
def test_exchange_arbitrage_net_rises_with_the_gap_and_falls_with_fees(gap, fee, wf):
    base = arb.exchange_arbitrage(sell_price=40_000 + gap, taker_fee_buy=fee, taker_fee_sell=fee, withdrawal_fee=wf)
    wider = arb.exchange_arbitrage(sell_price=40_001 + gap, taker_fee_buy=fee, taker_fee_sell=fee, withdrawal_fee=wf)
    dearer = arb.exchange_arbitrage(sell_price=40_000 + gap, taker_fee_buy=fee + 0.001, taker_fee_sell=fee,
                                    withdrawal_fee=wf)
    assert wider.net > base.net > dearer.net
    assert base.net <= base.gross


@pytest.mark.parametrize("kwargs, name, exc", [
    (dict(buy_price=0), "buy_price", ValueError),
    (dict(sell_price=-1), "sell_price", ValueError),
    (dict(amount=0), "amount", ValueError),
    (dict(taker_fee_buy=1.0), "taker_fee_buy", ValueError),
    (dict(taker_fee_sell=-0.1), "taker_fee_sell", ValueError),
    (dict(withdrawal_fee=1.0), "withdrawal_fee", ValueError),
    (dict(cash_transfer_fee=-1), "cash_transfer_fee", ValueError),
    (dict(transfer_minutes=-5), "transfer_minutes", ValueError),
    (dict(volatility=-0.1), "volatility", ValueError),
    (dict(buy_price="40000"), "buy_price", TypeError),
    (dict(amount=[1.0, 2.0]), "amount", TypeError),
])
def test_exchange_arbitrage_errors(kwargs, name, exc):
    with pytest.raises(exc, match=name):
        arb.exchange_arbitrage(**kwargs)


# ---------------------------------------------------------------- LVR along a path, and impermanent loss

def test_lvr_path_known_values_and_identities():
    back = arb.lvr_path([100.0, 150.0, 100.0])
    assert back.impermanent_loss[-1] == pytest.approx(0.0, abs=1e-12)
    # one step from P to P' costs (L / sqrt(P)) * (sqrt(P') - sqrt(P))**2, L = V / (2 sqrt(P0))
    liq = 1.0 / (2 * math.sqrt(100.0))
    up = liq / math.sqrt(100.0) * (math.sqrt(150.0) - math.sqrt(100.0)) ** 2
    down = liq / math.sqrt(150.0) * (math.sqrt(100.0) - math.sqrt(150.0)) ** 2
    assert back.lvr.tolist() == pytest.approx([0.0, up, up + down])
    from cryptocourse.amm import impermanent_loss
    assert arb.lvr_path([100.0, 150.0]).impermanent_loss[-1] == pytest.approx(impermanent_loss(1.5))


@given(steps=st.lists(st.floats(-0.3, 0.3), min_size=1, max_size=60), fee=st.sampled_from([0.0, 0.003, 0.01]),
       value=st.floats(1.0, 1e9))
def test_lvr_path_never_falls_and_the_identities_hold(steps, fee, value):
    prices = 2_000.0 * np.exp(np.concatenate([[0.0], np.cumsum(steps)]))
    r = arb.lvr_path(prices, fee=fee, pool_value=value)
    assert np.all(np.diff(r.lvr) >= -1e-9 * value)
    assert np.all(np.diff(r.arb_fees) >= 0)
    assert r.pool_value - r.rebalancing_value == pytest.approx(-r.lvr, abs=1e-9 * value)
    assert r.il_value == pytest.approx(-r.lvr + r.rebalancing_value - r.hodl_value, abs=1e-9 * value)
    if fee == 0.0:  # impermanent loss depends only on the last price
        from cryptocourse.amm import impermanent_loss
        assert r.impermanent_loss[-1] == pytest.approx(impermanent_loss(prices[-1] / prices[0]), abs=1e-9)


def test_lvr_path_matches_the_simulation_on_the_same_path():
    sim = arb.simulate_lvr(sigma=0.8, fee=0.003, days=5, steps_per_day=1, n_paths=3, seed=3)
    for i in range(3):
        one = arb.lvr_path(sim.price[i], fee=0.003, pool_value=1_000_000.0)
        assert one.lvr == pytest.approx(sim.lvr[i], rel=1e-9)
        assert one.arb_fees == pytest.approx(sim.arb_fees[i], rel=1e-9)
        assert one.pool_value == pytest.approx(sim.pool_value[i], rel=1e-9)
        assert one.il_value == pytest.approx(sim.il_value[i], rel=1e-6, abs=1e-6)


def test_simulation_standard_errors():
    r = arb.simulate_lvr(days=30, n_paths=40, noise_volume=5.0, seed=11)
    se, per = r.standard_error(), r.per_year()
    per_path = r.lvr[:, -1] / r.t[-1] / 1e6
    assert se["lvr"] == pytest.approx(per_path.std(ddof=1) / math.sqrt(40))
    assert per["lvr"] == pytest.approx(per_path.mean())
    assert set(se) == set(per)
    assert math.isnan(arb.simulate_lvr(days=2, n_paths=1).standard_error()["lvr"])


def test_simulation_blocks_do_not_change_the_paths():
    # the simulation draws its normals day-block by day-block; the result must not depend on the block size
    a = arb.simulate_lvr(days=40, steps_per_day=24, n_paths=3, seed=5)
    b = arb.simulate_lvr(days=40, steps_per_day=24, n_paths=300, seed=5)  # other paths, other blocks
    assert a.lvr.shape == (3, 41) and b.lvr.shape == (300, 41)
    rng = np.random.default_rng(5)
    z = rng.standard_normal((40 * 24, 3))
    logp = np.concatenate([[np.zeros(3)], np.cumsum(-0.5 * 0.64 / 8760 + 0.8 * math.sqrt(1 / 8760) * z, axis=0)])
    assert a.price[:, -1] == pytest.approx(np.exp(logp[-1]), rel=1e-9)


@pytest.mark.parametrize("call, name, exc", [
    (lambda: arb.lvr_path([100.0]), "prices", ValueError),
    (lambda: arb.lvr_path([100.0, 0.0]), "prices", ValueError),
    (lambda: arb.lvr_path([100.0, 110.0], fee=1.0), "fee", ValueError),
    (lambda: arb.lvr_path([100.0, 110.0], pool_value=0), "pool_value", ValueError),
    (lambda: arb.lvr_path([100.0, 110.0], fee=[0.0, 0.1]), "fee", TypeError),
    (lambda: arb.lvr_path("100"), "prices", TypeError),
])
def test_lvr_path_errors(call, name, exc):
    with pytest.raises(exc, match=name):
        call()


def test_lvr_view_is_cached_with_standard_errors_and_reseeds():
    from cryptocourse.dashboards.arbitrage import LVR_PATHS, lvr_view

    v = lvr_view()
    assert v is lvr_view(0.8, 0.003, 10.0) and v.n_paths == LVR_PATHS and v.seed == 2026
    assert 0 < v.lvr_year_se < 0.01 and 0 < v.lp_vs_rebalancing_se < 0.005
    with pytest.raises(ValueError):
        v.lvr[0] = 1.0                                 # cached results are read-only
    other = lvr_view(seed=7)
    assert other.lvr_year != v.lvr_year and abs(other.lvr_year - v.lvr_year) < 5 * v.lvr_year_se
    with pytest.raises(ValueError, match="volume"):
        lvr_view(volume=-1)


def test_lvr_summary_has_no_double_negative():
    from cryptocourse.dashboards.arbitrage import LVRDashboard, lvr_summary, lvr_view

    trailing = lvr_summary(lvr_view(volume=0.0))
    assert "trails" in trailing and "by <b>-" not in trailing and "by <b>+" not in trailing
    assert "beats" in lvr_summary(lvr_view(volume=40.0))
    d = LVRDashboard()
    before = d.result
    d.set(seed=2030)
    assert d.result.seed == 2030 and d.result is not before and "seed 2030" in d.summary.value


def test_lvr_view_equals_the_simulation_at_that_volume():
    # the dashboard simulates once at volume 1 and scales the uninformed fees (they are linear in it)
    from cryptocourse.dashboards.arbitrage import lvr_view

    for volume in (0.0, 10.0, 37.0):
        v = lvr_view(sigma=0.6, fee=0.003, volume=volume, n_paths=20, seed=9)
        r = arb.simulate_lvr(sigma=0.6, fee=0.003, days=365, n_paths=20, noise_volume=volume, pool_value=1.0, seed=9)
        per, se = r.per_year(), r.standard_error()
        assert v.lvr_year == pytest.approx(per["lvr"], rel=1e-12)
        assert v.fees_year == pytest.approx(per["arb_fees"] + per["noise_fees"], rel=1e-12, abs=1e-15)
        assert v.lp_vs_rebalancing == pytest.approx(per["lp_vs_rebalancing"], rel=1e-9, abs=1e-15)
        assert v.lp_vs_rebalancing_se == pytest.approx(se["lp_vs_rebalancing"], rel=1e-9)
        assert v.lvr_year_se == pytest.approx(se["lvr"], rel=1e-12)


@pytest.mark.parametrize("x, y, fee, gas", [(125.0, 5e6, 0.003, 20.0), (3.0, 9e3, 0.01, 50.0),
                                            (1e4, 1e4, 0.0005, 0.0), (2.0, 3e4, 0.0001, 1e3)])
def test_two_pool_min_gap_is_where_the_best_trade_pays_the_gas(x, y, fee, gas):
    from cryptocourse.arbitrage import two_pool_arbitrage, two_pool_min_gap

    gap = two_pool_min_gap(x, y, fee, gas)
    at = two_pool_arbitrage(x, y, x, y * (1 + gap), fee, fee)
    assert at.profit == pytest.approx(gas, rel=1e-6, abs=1e-9)
    below = two_pool_arbitrage(x, y, x, y * (1 + gap * 0.999), fee, fee, gas_cost=gas)
    above = two_pool_arbitrage(x, y, x, y * (1 + gap * 1.001 + 1e-9), fee, fee, gas_cost=gas)
    assert below.buy_pool == 0 and above.buy_pool == 1


def test_two_pool_min_gap_names_bad_input():
    from cryptocourse.arbitrage import two_pool_min_gap

    for kwargs, name in (({"reserve_b": 0.0}, "reserve_b"), ({"fee": 1.0}, "fee"), ({"gas_cost": -1.0}, "gas_cost")):
        args = dict(reserve_a=1.0, reserve_b=100.0, fee=0.003, gas_cost=0.0) | kwargs
        with pytest.raises(ValueError, match=name):
            two_pool_min_gap(**args)
