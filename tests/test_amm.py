"""Tests for cryptocourse.amm.

Known values come from the protocols' own tests:
- Uniswap/v2-core test/UniswapV2Pair.spec.ts (swapTestCases, optimisticTestCases, mint, burn,
  swap:token0/1, feeTo:off/on), read 2026-11-25.
- Uniswap/v2-periphery test/UniswapV2Router02.spec.ts (quote, getAmountOut, getAmountIn).
"""
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cryptocourse import amm
from cryptocourse.amm import (
    MINIMUM_LIQUIDITY, ConstantProductPool, ConvergenceError, UniswapV2Error, UniswapV2Pair,
    get_amount_in, get_amount_out, get_D, get_dy, get_y, impermanent_loss,
    impermanent_loss_concentrated, quote,
)

E18 = 10**18

# [swapAmount, token0Amount, token1Amount, expectedOutputAmount] (UniswapV2Pair.spec.ts)
SWAP_TEST_CASES = [
    (1 * E18, 5 * E18, 10 * E18, 1662497915624478906),
    (1 * E18, 10 * E18, 5 * E18, 453305446940074565),
    (2 * E18, 5 * E18, 10 * E18, 2851015155847869602),
    (2 * E18, 10 * E18, 5 * E18, 831248957812239453),
    (1 * E18, 10 * E18, 10 * E18, 906610893880149131),
    (1 * E18, 100 * E18, 100 * E18, 987158034397061298),
    (1 * E18, 1000 * E18, 1000 * E18, 996006981039903216),
]
# [outputAmount, token0Amount, token1Amount, inputAmount] (UniswapV2Pair.spec.ts, optimistic)
OPTIMISTIC_TEST_CASES = [
    (997000000000000000, 5 * E18, 10 * E18, 1 * E18),
    (997000000000000000, 10 * E18, 5 * E18, 1 * E18),
    (997000000000000000, 5 * E18, 5 * E18, 1 * E18),
    (1 * E18, 5 * E18, 5 * E18, 1003009027081243732),
]


def _pair(r0, r1, **kw):
    pair = UniswapV2Pair(**kw)
    pair.mint("lp", r0, r1)
    return pair


# ---------------------------------------------------------------- Uniswap V2 known values
@pytest.mark.parametrize("swap, r0, r1, expected", SWAP_TEST_CASES)
def test_get_amount_out_matches_uniswap_swap_vectors(swap, r0, r1, expected):
    assert get_amount_out(swap, r0, r1) == expected


@pytest.mark.parametrize("swap, r0, r1, expected", SWAP_TEST_CASES)
def test_pair_k_check_matches_uniswap_swap_vectors(swap, r0, r1, expected):
    pair = _pair(r0, r1)
    with pytest.raises(UniswapV2Error, match="UniswapV2: K"):
        pair.swap(0, expected + 1, amount0_in=swap)
    assert pair.get_reserves() == (r0, r1)          # a revert changes nothing
    pair.swap(0, expected, amount0_in=swap)
    assert pair.get_reserves() == (r0 + swap, r1 - expected)


@pytest.mark.parametrize("out, r0, r1, inp", OPTIMISTIC_TEST_CASES)
def test_pair_optimistic_vectors(out, r0, r1, inp):
    pair = _pair(r0, r1)
    with pytest.raises(UniswapV2Error, match="UniswapV2: K"):
        pair.swap(out + 1, 0, amount0_in=inp)
    pair.swap(out, 0, amount0_in=inp)


def test_mint_vector():
    pair = UniswapV2Pair()
    minted = pair.mint("wallet", 1 * E18, 4 * E18)
    assert pair.total_supply == 2 * E18
    assert minted == 2 * E18 - MINIMUM_LIQUIDITY
    assert pair.balance_of[UniswapV2Pair.ZERO_ADDRESS] == MINIMUM_LIQUIDITY
    assert pair.get_reserves() == (1 * E18, 4 * E18)


def test_burn_vector():
    pair = _pair(3 * E18, 3 * E18)
    assert pair.burn("lp", 3 * E18 - MINIMUM_LIQUIDITY) == (3 * E18 - 1000, 3 * E18 - 1000)
    assert pair.balance_of["lp"] == 0
    assert pair.total_supply == MINIMUM_LIQUIDITY
    assert pair.get_reserves() == (1000, 1000)


def test_swap_token0_and_token1_vectors():
    pair = _pair(5 * E18, 10 * E18)
    assert pair.swap_exact_in(E18, token_in=0) == 1662497915624478906
    assert pair.get_reserves() == (6 * E18, 10 * E18 - 1662497915624478906)
    pair = _pair(5 * E18, 10 * E18)
    out = get_amount_out(E18, 10 * E18, 5 * E18)
    assert out == 453305446940074565
    pair.swap(out, 0, amount1_in=E18)
    assert pair.get_reserves() == (5 * E18 - out, 11 * E18)


def test_fee_to_off_vector():
    pair = _pair(1000 * E18, 1000 * E18)
    pair.swap(996006981039903216, 0, amount1_in=E18)
    pair.burn("lp", 1000 * E18 - MINIMUM_LIQUIDITY)
    assert pair.total_supply == MINIMUM_LIQUIDITY


def test_fee_to_on_vector():
    pair = _pair(1000 * E18, 1000 * E18, fee_on=True, fee_to="other")
    pair.swap(996006981039903216, 0, amount1_in=E18)
    pair.burn("lp", 1000 * E18 - MINIMUM_LIQUIDITY)
    assert pair.total_supply == MINIMUM_LIQUIDITY + 249750499251388
    assert pair.balance_of["other"] == 249750499251388
    assert pair.get_reserves() == (1000 + 249501683697445, 1000 + 250000187312969)


def test_liquidity_minted():
    assert amm.liquidity_minted(E18, 4 * E18, 0, 0, 0) == 2 * E18 - MINIMUM_LIQUIDITY
    assert amm.liquidity_minted(3 * E18, 3 * E18, 0, 0, 0) == 3 * E18 - MINIMUM_LIQUIDITY
    # an unbalanced later deposit is paid for its scarcer side only
    assert amm.liquidity_minted(E18, E18, 10 * E18, 20 * E18, 1000) == 50
    assert amm.liquidity_minted(1, 1, 0, 0, 0) == 1 - MINIMUM_LIQUIDITY
    with pytest.raises(ValueError, match="reserve0 must be >= 1"):
        amm.liquidity_minted(1, 1, 0, 1, 10)
    with pytest.raises(ValueError, match="amount1 must be >= 0"):
        amm.liquidity_minted(1, -1, 1, 1, 10)
    with pytest.raises(TypeError, match="total_supply must be an int"):
        amm.liquidity_minted(1, 1, 1, 1, 1.0)


def test_router_library_vectors():
    # Uniswap/v2-periphery test/UniswapV2Router02.spec.ts
    assert quote(1, 100, 200) == 2
    assert quote(2, 200, 100) == 1
    assert get_amount_out(2, 100, 100) == 1
    assert get_amount_in(1, 100, 100) == 2


def test_fee_bps_generalises_997_over_1000():
    # 30 bps written as 9970/10000 is the same fraction as the contract's 997/1000
    a, ri, ro = 123456789 * 10**9, 5 * E18, 7 * E18
    assert get_amount_out(a, ri, ro) == a * 997 * ro // (ri * 1000 + a * 997)
    assert get_amount_out(a, ri, ro, fee_bps=0) == a * ro // (ri + a)


# ---------------------------------------------------------------- Uniswap V2 properties
reserves = st.integers(min_value=10**6, max_value=10**30)
amounts = st.integers(min_value=1, max_value=10**28)
fees = st.integers(min_value=0, max_value=100)


@given(reserves, reserves, amounts, fees)
def test_k_never_falls_across_a_swap(r0, r1, amount, fee):
    pair = _pair(r0, r1, fee_bps=fee)
    k0 = pair.k
    try:
        pair.swap_exact_in(amount, token_in=0)
    except UniswapV2Error:
        return  # too small to buy one wei: nothing happens
    assert pair.k >= k0


@given(reserves, reserves, amounts, fees)
def test_one_wei_more_than_get_amount_out_fails_k(r0, r1, amount, fee):
    out = get_amount_out(amount, r0, r1, fee)
    pair = _pair(r0, r1, fee_bps=fee)
    if out + 1 < r1:
        with pytest.raises(UniswapV2Error, match="K"):
            pair.swap(0, out + 1, amount0_in=amount)
    if out > 0:
        pair.swap(0, out, amount0_in=amount)


@given(reserves, reserves, st.integers(min_value=1, max_value=10**29), fees)
def test_get_amount_out_of_get_amount_in_covers_request(r_in, r_out, want, fee):
    assume(want < r_out)
    needed = get_amount_in(want, r_in, r_out, fee)
    assert get_amount_out(needed, r_in, r_out, fee) >= want


@given(reserves, reserves, amounts, fees)
def test_round_trip_never_returns_more(r0, r1, amount, fee):
    pair = _pair(r0, r1, fee_bps=fee)
    try:
        got = pair.swap_exact_in(amount, token_in=0)
        back = pair.swap_exact_in(got, token_in=1)
    except UniswapV2Error:
        return
    assert back <= amount


@given(reserves, reserves, st.lists(st.tuples(st.integers(1, 10**27), st.integers(1, 10**27)), max_size=5),
       st.floats(0.0, 1.0))
def test_lp_shares_conserved_by_mint_and_burn(r0, r1, deposits, burn_frac):
    pair = _pair(r0, r1)
    for k, (a0, a1) in enumerate(deposits):
        try:
            pair.mint(f"lp{k}", a0, a1)
        except UniswapV2Error:
            pass
        assert sum(pair.balance_of.values()) == pair.total_supply
    for owner in list(pair.balance_of):
        share = int(pair.balance_of[owner] * burn_frac)
        if owner == UniswapV2Pair.ZERO_ADDRESS or share == 0:
            continue
        r_before, supply_before = pair.get_reserves(), pair.total_supply
        try:
            a0, a1 = pair.burn(owner, share)
        except UniswapV2Error:
            continue
        assert a0 * supply_before <= share * r_before[0]     # rounding favours those who stay
        assert a1 * supply_before <= share * r_before[1]
        assert sum(pair.balance_of.values()) == pair.total_supply
    assert pair.total_supply >= MINIMUM_LIQUIDITY


@given(reserves, reserves, st.integers(10**6, 10**27))
def test_mint_then_burn_returns_at_most_the_deposit(r0, r1, a0):
    pair = _pair(r0, r1)
    a1 = quote(a0, r0, r1)
    assume(a1 > 0)
    try:
        shares = pair.mint("me", a0, a1)
    except UniswapV2Error:
        return
    try:
        b0, b1 = pair.burn("me", shares)
    except UniswapV2Error:
        return
    assert b0 <= a0 and b1 <= a1


@given(st.integers(1, 10**24), reserves, reserves)
def test_float_amount_out_agrees_with_exact(a, r_in, r_out):
    exact = get_amount_out(a, r_in, r_out)
    approx = amm.amount_out(float(a), float(r_in), float(r_out))
    assert approx == pytest.approx(exact, rel=1e-9, abs=1.0)


# ---------------------------------------------------------------- Uniswap V2 errors
@pytest.mark.parametrize("call, match", [
    (lambda: get_amount_out(0, 10, 10), "amount_in must be >= 1"),
    (lambda: get_amount_out(1, 0, 10), "reserve_in must be >= 1 .*empty pool"),
    (lambda: get_amount_out(1, 10, 0), "reserve_out"),
    (lambda: get_amount_out(1, 10, 10, fee_bps=10_000), "fee_bps"),
    (lambda: get_amount_out(1, 10, 10, fee_bps=-1), "fee_bps"),
    (lambda: get_amount_in(10, 10, 10), "amount_out must be < reserve_out"),
    (lambda: get_amount_in(0, 10, 10), "amount_out"),
    (lambda: get_amount_in(1, 0, 10), "reserve_in"),
    (lambda: get_amount_in(1, 10, 0), "reserve_out"),
    (lambda: quote(0, 1, 1), "amount_a"),
    (lambda: quote(1, 0, 1), "reserve_a"),
    (lambda: quote(1, 1, 0), "reserve_b"),
])
def test_v2_bad_inputs(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_v2_refuses_floats_and_bools():
    with pytest.raises(TypeError, match="amount_in must be an int.*10\\*\\*18"):
        get_amount_out(1e18, 10**19, 10**19)
    with pytest.raises(TypeError, match="reserve_in"):
        get_amount_out(1, True, 10)
    with pytest.raises(TypeError, match="fee_on"):
        UniswapV2Pair(fee_on=1)


def test_pair_reverts_read_like_the_contract():
    pair = UniswapV2Pair()
    with pytest.raises(UniswapV2Error, match="INSUFFICIENT_LIQUIDITY_MINTED"):
        pair.mint("a", 10, 10)
    with pytest.raises(UniswapV2Error, match="mint"):
        pair.swap_exact_in(10, 0)
    with pytest.raises(UniswapV2Error, match="empty"):
        pair.price0()
    pair.mint("a", E18, E18)
    with pytest.raises(UniswapV2Error, match="INSUFFICIENT_OUTPUT_AMOUNT"):
        pair.swap(0, 0, amount0_in=5)
    with pytest.raises(UniswapV2Error, match="INSUFFICIENT_LIQUIDITY"):
        pair.swap(0, E18, amount0_in=5)
    with pytest.raises(UniswapV2Error, match="INSUFFICIENT_INPUT_AMOUNT"):
        pair.swap(0, 5)
    with pytest.raises(UniswapV2Error, match="INSUFFICIENT_OUTPUT_AMOUNT"):
        pair.swap_exact_in(1, 0)
    with pytest.raises(ValueError, match="liquidity must be <= the"):
        pair.burn("a", pair.total_supply)
    with pytest.raises(ValueError, match="liquidity must be >= 1"):
        pair.burn("a", 0)
    lopsided = UniswapV2Pair(fee_on=True)
    lopsided.mint("b", 10**6, 10**12)            # 10**9 shares for 10**6 of token0
    before = lopsided._snapshot()
    with pytest.raises(UniswapV2Error, match="INSUFFICIENT_LIQUIDITY_BURNED"):
        lopsided.burn("b", 1)                    # one share is worth 0.001 wei of token0
    assert lopsided._snapshot() == before        # the revert left no trace
    with pytest.raises(ValueError, match="token_in must be 0 or 1"):
        pair.swap_exact_in(10, 2)
    with pytest.raises(UniswapV2Error, match="OVERFLOW"):
        pair.mint("a", 2**112, 2**112)
    with pytest.raises(UniswapV2Error, match="INSUFFICIENT_LIQUIDITY_MINTED"):
        pair.mint("a", 0, 10)
    assert "UniswapV2Pair(" in repr(pair)


# ---------------------------------------------------------------- constant product, floats
def test_float_pool_known_values():
    assert amm.spot_price(5.0, 10.0) == 2.0
    assert amm.price_impact(1.0, 100.0, 100.0, fee=0.0) == pytest.approx(1 / 101)
    assert amm.price_impact(1.0, 100.0, 100.0) > amm.price_impact(1.0, 100.0, 100.0, fee=0.0)
    assert amm.amount_in(amm.amount_out(3.0, 50.0, 80.0), 50.0, 80.0) == pytest.approx(3.0)
    assert amm.min_amount_out(200.0, 0.01) == pytest.approx(198.0)
    x, y = amm.lp_reserves_at_price(9.0, 3.0)
    assert (x, y) == pytest.approx((1.0, 9.0))
    assert amm.hodl_value(2.0, 1.0, 3.0) == 5.0


def test_float_functions_are_vectorised():
    dx = np.linspace(0.0, 10.0, 11)
    out = amm.amount_out(dx, 100.0, 100.0)
    assert out.shape == (11,) and np.all(np.diff(out) > 0)
    assert isinstance(amm.amount_out(1.0, 100.0, 100.0), float)
    assert amm.price_after(dx, 100.0, 100.0).shape == (11,)
    assert amm.constant_product_curve(np.array([1.0, 2.0]), 8.0).tolist() == [8.0, 4.0]
    assert amm.lp_value(np.array([1.0, 4.0]), 1.0).tolist() == [2.0, 4.0]


@given(st.floats(1.0, 1e6), st.floats(1.0, 1e6), st.floats(0.0, 1e5), st.sampled_from([0.0, 0.0005, 0.003, 0.01]))
def test_float_pool_swap_grows_k_and_moves_price(x, y, dx, fee):
    pool = ConstantProductPool(x, y, fee)
    k0, p0 = pool.k, pool.price
    pool.swap(dx, "x")
    assert pool.k >= k0 * (1 - 1e-9)
    assert pool.price <= p0 * (1 + 1e-12)


@given(st.floats(1.0, 1e6), st.floats(1.0, 1e6), st.floats(0.01, 100.0), st.sampled_from([0.0, 0.003, 0.01]))
def test_arbitrage_brings_pool_to_outside_price(x, y, target_ratio, fee):
    pool = ConstantProductPool(x, y, fee)
    target = pool.price * target_ratio
    profit = pool.arbitrage_to(target)
    assert profit >= -1e-9 * (x + y)
    assert pool.price * (1 - fee) * (1 - 1e-9) <= target <= pool.price / (1 - fee) * (1 + 1e-9)


def test_float_pool_liquidity_and_errors():
    pool = ConstantProductPool(100.0, 400.0)
    shares, dy = pool.add_liquidity(10.0, "me")
    assert dy == pytest.approx(40.0) and shares == pytest.approx(20.0)
    assert pool.remove_liquidity(shares, "me") == pytest.approx((10.0, 40.0))
    assert pool.arbitrage_to(pool.price) == 0.0
    assert "ConstantProductPool(" in repr(pool)
    with pytest.raises(ValueError, match="shares must be <="):
        pool.remove_liquidity(1.0, "me")
    with pytest.raises(ValueError, match="token_in must be one of"):
        pool.swap(1.0, "z")
    with pytest.raises(ValueError, match="x must be > 0"):
        ConstantProductPool(0.0, 1.0)
    with pytest.raises(ValueError, match="fee must be >= 0 and < 1"):
        ConstantProductPool(1.0, 1.0, fee=1.0)
    with pytest.raises(ValueError, match="amount_in must be >= 0"):
        amm.amount_out(-1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="reserve_in must be > 0"):
        amm.amount_out(1.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="amount_out must be < reserve_out"):
        amm.amount_in(2.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="amount_in must be > 0"):
        amm.execution_price(0.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="slippage_tolerance"):
        amm.min_amount_out(1.0, 1.0)
    with pytest.raises(ValueError, match="k must be > 0"):
        amm.constant_product_curve(1.0, 0.0)
    with pytest.raises(ValueError, match="price must be > 0"):
        amm.lp_value(0.0, 1.0)
    with pytest.raises(TypeError, match="amount_in must be a number"):
        amm.amount_out("1", 1.0, 1.0)
    with pytest.raises(ValueError, match="amount_x must be > 0"):
        pool.add_liquidity(0.0)


# ---------------------------------------------------------------- impermanent loss
def test_impermanent_loss_known_values():
    il = impermanent_loss(np.array([1.0, 2.0, 4.0, 5.0]))
    assert np.round(il, 4).tolist() == [0.0, -0.0572, -0.2, -0.2546]
    assert impermanent_loss(0.5) == pytest.approx(impermanent_loss(2.0))
    assert isinstance(impermanent_loss(2.0), float)


@given(st.floats(1e-4, 1e4))
def test_impermanent_loss_never_positive_and_symmetric(r):
    assert -1.0 < impermanent_loss(r) <= 1e-15
    assert impermanent_loss(r) == pytest.approx(impermanent_loss(1.0 / r), abs=1e-12)


@given(st.floats(1e-3, 1e3))
def test_lp_value_over_hodl_matches_il(r):
    L = 10.0
    x0, y0 = amm.lp_reserves_at_price(1.0, L)
    ratio = amm.lp_value(r, L) / amm.hodl_value(r, x0, y0) - 1
    assert ratio == pytest.approx(impermanent_loss(r), abs=1e-12)


def test_concentrated_full_range_equals_v2():
    r = np.linspace(0.1, 10, 50)
    assert np.allclose(impermanent_loss_concentrated(r, 0.0, np.inf), impermanent_loss(r))


def test_concentrated_outside_the_range():
    a, b = 0.8, 1.25
    sa, sb = math.sqrt(a), math.sqrt(b)
    x0, y0 = 1 - 1 / sb, 1 - sa            # amounts per unit liquidity at entry price 1
    for r in (1.5, 3.0, 10.0):              # above: all token Y, fixed
        lp = sb - sa
        assert impermanent_loss_concentrated(r, a, b) == pytest.approx(lp / (x0 * r + y0) - 1)
    for r in (0.5, 0.1):                    # below: all token X
        lp = (1 / sa - 1 / sb) * r
        assert impermanent_loss_concentrated(r, a, b) == pytest.approx(lp / (x0 * r + y0) - 1)
    # a range entirely above the entry price holds only X: no loss until the price enters it
    assert impermanent_loss_concentrated(1.1, 1.2, 2.0) == pytest.approx(0.0)


@given(st.floats(0.0, 1.0), st.floats(0.0, 0.999), st.floats(1.001, 1000.0), st.floats(0.01, 100.0))
def test_concentrated_loses_more_than_full_range_inside_the_range(t, a, b, r_any):
    r = max(a, 1e-6) + t * (b - max(a, 1e-6))   # a price ratio inside the range
    assert impermanent_loss_concentrated(r, a, b) <= impermanent_loss(r) + 1e-12
    # anywhere (also outside the range) the position never beats holding, fees aside
    assert impermanent_loss_concentrated(r_any, a, b) <= 1e-12


def test_il_errors():
    with pytest.raises(ValueError, match="price_ratio must be > 0"):
        impermanent_loss(0.0)
    with pytest.raises(ValueError, match="price_ratio must be > 0 everywhere"):
        impermanent_loss([1.0, -2.0])
    with pytest.raises(ValueError, match="lower must be < upper"):
        impermanent_loss_concentrated(1.0, 2.0, 1.5)
    with pytest.raises(ValueError, match="lower must be >= 0"):
        impermanent_loss_concentrated(1.0, -1.0, 1.5)
    with pytest.raises(ValueError, match="upper must be > 0"):
        impermanent_loss_concentrated(1.0, 0.0, 0.0)


# ---------------------------------------------------------------- Uniswap V3
def test_ticks():
    assert amm.tick_to_price(0) == 1.0
    assert amm.price_to_tick(1.0) == 0
    assert amm.price_to_tick(np.array([1.0001, 0.5])).tolist() == [1, -6932]


def test_tick_math_matches_uniswap_v3_vectors():
    # Uniswap/v3-core test/TickMath.spec.ts and TickMath.sol constants
    assert amm.get_sqrt_ratio_at_tick(0) == 2**96
    assert amm.get_sqrt_ratio_at_tick(-887272) == amm.MIN_SQRT_RATIO == 4295128739
    assert amm.get_sqrt_ratio_at_tick(-887271) == 4295343490
    assert amm.get_sqrt_ratio_at_tick(887271) == 1461373636630004318706518188784493106690254656249
    assert amm.get_sqrt_ratio_at_tick(887272) == amm.MAX_SQRT_RATIO
    assert amm.get_tick_at_sqrt_ratio(amm.MIN_SQRT_RATIO) == -887272
    assert amm.get_tick_at_sqrt_ratio(amm.MAX_SQRT_RATIO - 1) == 887271
    with pytest.raises(ValueError, match="tick must be <= 887272"):
        amm.get_sqrt_ratio_at_tick(887273)
    with pytest.raises(TypeError, match="tick must be an int"):
        amm.get_sqrt_ratio_at_tick(1.0)
    with pytest.raises(ValueError, match="sqrt_price_x96 must be >= 4295128739"):
        amm.get_tick_at_sqrt_ratio(1)


@given(st.integers(-887272, 887271))
def test_tick_math_is_consistent_and_close_to_floats(tick):
    s = amm.get_sqrt_ratio_at_tick(tick)
    assert amm.get_sqrt_ratio_at_tick(tick + 1) > s
    assert amm.get_tick_at_sqrt_ratio(s) == tick
    assert amm.get_tick_at_sqrt_ratio(amm.get_sqrt_ratio_at_tick(tick + 1) - 1) == tick
    assert s / 2**96 == pytest.approx(1.0001 ** (tick / 2), rel=1e-9)


@given(st.floats(1e-6, 1e6))
def test_price_to_tick_rounds_down(p):
    t = amm.price_to_tick(p)
    assert amm.tick_to_price(t) <= p * (1 + 1e-9)
    assert amm.tick_to_price(t + 1) > p * (1 - 1e-9)


@given(st.floats(0.01, 100.0), st.floats(0.1, 0.99), st.floats(1.01, 10.0), st.floats(1.0, 1e6))
def test_liquidity_amounts_round_trip(p, a, b, L):
    x, y = amm.amounts_for_liquidity(p, a, b, L)
    assert amm.liquidity_for_amounts(p, a, b, x, y) == pytest.approx(L, rel=1e-9)


def test_capital_efficiency():
    assert amm.capital_efficiency(0.0, np.inf) == pytest.approx(1.0)
    assert amm.capital_efficiency(0.9995, 1.0005) == pytest.approx(4000.5, rel=1e-4)
    assert amm.capital_efficiency(0.25, 4.0) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="lower must be < upper"):
        amm.capital_efficiency(2.0, 1.0)
    with pytest.raises(ValueError, match="tick must be >= -887272"):
        amm.tick_to_price(-10**6)
    with pytest.raises(ValueError, match="lower_price must be < upper_price"):
        amm.amounts_for_liquidity(1.0, 2.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="liquidity must be >= 0"):
        amm.amounts_for_liquidity(1.0, 0.5, 2.0, -1.0)
    with pytest.raises(ValueError, match="amount0 must be >= 0"):
        amm.liquidity_for_amounts(1.0, 0.5, 2.0, -1.0, 1.0)


# ---------------------------------------------------------------- StableSwap
def test_stableswap_balanced_pool():
    assert get_D([10**18] * 3, 200) == 3 * 10**18
    assert amm.stableswap_d([5.0, 5.0, 5.0], 100) == pytest.approx(15.0)
    assert amm.stableswap_spot_price(0, 1, [7.0, 7.0], 50) == pytest.approx(1.0)


def test_stableswap_exact_and_float_agree():
    xp = [1_200_000 * E18, 800_000 * E18, 1_000_000 * E18]
    D = get_D(xp, 2000)
    assert amm.stableswap_d([x / E18 for x in xp], 2000) == pytest.approx(D / E18, rel=1e-12)
    dy = get_dy(0, 1, 10_000 * E18, xp, 2000, fee=4_000_000)
    fdy = amm.stableswap_get_dy(0, 1, 10_000.0, [x / E18 for x in xp], 2000, fee=0.0004)
    assert dy / E18 == pytest.approx(fdy, rel=1e-12)


def test_stableswap_beats_constant_product_near_the_peg():
    sw = amm.stableswap_get_dy(0, 1, 10_000.0, [1e6, 1e6], 200)
    cp = amm.amount_out(10_000.0, 1e6, 1e6, fee=0.0)
    assert sw > 9_990.0 > cp
    # amp -> large: constant sum; amp small: close to constant product
    assert amm.stableswap_curve(50.0, 200.0, 1e9) == pytest.approx(150.0, rel=1e-6)
    assert amm.stableswap_curve(50.0, 200.0, 1e-6) == pytest.approx(200.0, rel=1e-3)


# realistic pools: balances within a factor 100 of each other, A from 10 (with A = 1 and a
# 1400:1 imbalance the contract's integer Newton oscillates by 2-3 wei and never settles)
balances = st.lists(st.integers(10**22, 10**24), min_size=2, max_size=4)


@given(balances, st.integers(10, 5000), st.floats(1e-4, 0.5), st.data())
def test_stableswap_d_conserved_by_feeless_swap(xp, amp, frac, data):
    n = len(xp)
    i = data.draw(st.integers(0, n - 1))
    j = data.draw(st.sampled_from([k for k in range(n) if k != i]))
    dx = int(xp[i] * frac)
    D0 = get_D(xp, amp)
    dy = get_dy(i, j, dx, xp, amp, fee=0)
    assert 0 < dy < xp[j]
    new = list(xp)
    new[i] += dx
    new[j] -= dy
    D1 = get_D(new, amp)
    assert D1 >= D0 - 1                            # rounding keeps the pool whole
    assert D1 - D0 <= 10 * n + D0 // 10**15       # and conserves D
    fx = [x / E18 for x in xp]
    fdy = amm.stableswap_get_dy(i, j, dx / E18, fx, amp)
    fnew = list(fx)
    fnew[i] += dx / E18
    fnew[j] -= fdy
    assert amm.stableswap_d(fnew, amp) == pytest.approx(amm.stableswap_d(fx, amp), rel=1e-10)


@given(st.floats(1.0, 1e6), st.floats(1.0, 1e6), st.floats(0.5, 1e4))
def test_stableswap_curve_lies_on_invariant(x, y, amp):
    D = amm.stableswap_d([x, y], amp)
    assert amm.stableswap_curve(x, D, amp) == pytest.approx(y, rel=1e-8)


def test_stableswap_errors():
    with pytest.raises(ConvergenceError, match="max_iter=1"):
        get_D([10**18, 10**24], 10, max_iter=1)
    with pytest.raises(ConvergenceError, match="max_iter=1"):
        amm.stableswap_d([1.0, 1e6], 10, max_iter=1)
    # a real non-convergence: integer Newton oscillates by 2-3 wei (A = 1, 1400:1 imbalance)
    with pytest.raises(ConvergenceError, match="max_iter=255"):
        get_D([612706198912443088785, 424432115533155348], 1)
    with pytest.raises(ConvergenceError, match="max_iter=1"):
        get_y(0, 1, 10**19, [10**18, 10**18], 10, max_iter=1)
    with pytest.raises(ConvergenceError, match="max_iter=1"):
        amm.stableswap_get_y(0, 1, 10.0, [1.0, 1.0], 10, max_iter=1)
    with pytest.raises(ValueError, match="amp must be >= 1"):
        get_D([10, 10], 0)
    with pytest.raises(ValueError, match=r"xp\[1\] must be >= 1"):
        get_D([10, 0], 10)
    with pytest.raises(ValueError, match="xp must be a list of 2 to 8"):
        get_D([10], 10)
    with pytest.raises(TypeError, match="xp must be a list"):
        get_D(10, 10)
    with pytest.raises(ValueError, match="j must be different from i"):
        get_y(1, 1, 10, [10, 10], 10)
    with pytest.raises(ValueError, match="i must be <= 1"):
        get_dy(2, 1, 10, [10, 10], 10)
    with pytest.raises(ValueError, match="dx must be >= 1"):
        get_dy(0, 1, 0, [10, 10], 10)
    with pytest.raises(ValueError, match="fee must be <="):
        get_dy(0, 1, 1, [10, 10], 10, fee=10**10)
    with pytest.raises(ValueError, match="amp must be > 0"):
        amm.stableswap_d([1.0, 1.0], 0.0)
    with pytest.raises(ValueError, match="balances must be > 0"):
        amm.stableswap_d([1.0, 0.0], 10)
    with pytest.raises(ValueError, match="balances must be a list of 2 to 8"):
        amm.stableswap_d([1.0], 10)
    with pytest.raises(ValueError, match="dx must be > 0"):
        amm.stableswap_get_dy(0, 1, 0.0, [1.0, 1.0], 10)
    with pytest.raises(ValueError, match="j must be different"):
        amm.stableswap_spot_price(0, 0, [1.0, 1.0], 10)
    with pytest.raises(ValueError, match="d must be > 0"):
        amm.stableswap_curve(1.0, 0.0, 10)


# ---------------------------------------------------------------- notebook 07 dashboards
def test_pool_explorer_view_matches_the_exact_math():
    from cryptocourse.dashboards.amm import pool_explorer_view

    v = pool_explorer_view(reserve_x=5.0, reserve_y=10.0, fee_bps=30, trade=1.0)
    assert v.amount_out_wei == 1662497915624478906
    assert v.amount_out == pytest.approx(1.662497915624478906)
    assert v.spot_after == pytest.approx((10 - v.amount_out) / 6.0)
    assert v.curve_impact == pytest.approx(1 / 6)
    assert v.price_impact > v.curve_impact and v.k_growth > 0
    assert np.all(np.diff(v.impacts) > 0)


def test_stableswap_and_range_views():
    from cryptocourse.dashboards.amm import range_view, stableswap_view

    flat, curvy = stableswap_view(amp=2000), stableswap_view(amp=2)
    assert flat.ss_out > curvy.ss_out > flat.cp_out
    assert np.all(flat.ss_loss < flat.cp_loss)
    v = range_view(0.8, 1.25, 1.0)
    assert v.in_range and v.value_x + v.value_y == pytest.approx(10_000.0)
    out = range_view(0.8, 1.25, 2.0)
    assert not out.in_range and out.value_x == 0.0 and out.il_range < out.il_full
    with pytest.raises(ValueError, match="contain the entry price"):
        range_view(1.1, 1.25, 1.0)


def test_amm_dashboards_update_headless():
    from cryptocourse.dashboards.amm import PoolExplorerDashboard, RangeDashboard, StableSwapDashboard

    dash = PoolExplorerDashboard()
    png, out = dash.image.value, dash.result.amount_out
    dash.set(trade=100.0)
    assert dash.result.amount_out > out and dash.image.value != png
    dash = StableSwapDashboard()
    png, ss = dash.image.value, dash.result.ss_out
    dash.set(amp=5.0)
    assert dash.result.ss_out < ss and dash.image.value != png
    dash = RangeDashboard()
    png = dash.image.value
    dash.set(price_ratio=2.0)
    assert not dash.result.in_range and dash.image.value != png
    assert "outside the range" in dash.summary.value


# ---------------------------------------------------------------- the same math on a real EVM
_V2_MATH_VY = """
# pragma version ~=0.4.3
# Uniswap V2's library math and the pair's K check, written in Vyper for the course's EVM.

@external
@pure
def get_amount_out(amount_in: uint256, reserve_in: uint256, reserve_out: uint256) -> uint256:
    amount_in_with_fee: uint256 = amount_in * 997
    return amount_in_with_fee * reserve_out // (reserve_in * 1000 + amount_in_with_fee)

@external
@pure
def get_amount_in(amount_out: uint256, reserve_in: uint256, reserve_out: uint256) -> uint256:
    return reserve_in * amount_out * 1000 // ((reserve_out - amount_out) * 997) + 1

@external
@pure
def k_ok(r0: uint256, r1: uint256, in0: uint256, in1: uint256, out0: uint256, out1: uint256) -> bool:
    b0: uint256 = r0 + in0 - out0
    b1: uint256 = r1 + in1 - out1
    return (b0 * 1000 - in0 * 3) * (b1 * 1000 - in1 * 3) >= r0 * r1 * 1000 * 1000
"""


def test_integer_math_agrees_with_the_evm():
    """Python ints and the EVM's uint256 give the same wei on seeded random pools (uint112 reserves)."""
    import random

    from cryptocourse import chain

    rnd = random.Random(2026)
    with chain.fresh_chain():
        evm = chain.deploy_source(_V2_MATH_VY, name="V2Math")
        cases = [(s, r0, r1) for s, r0, r1, _ in SWAP_TEST_CASES]
        for _ in range(120):
            bits = rnd.randint(20, 111)
            cases.append((rnd.randint(1, 2**bits), rnd.randint(1, 2**bits), rnd.randint(2, 2**bits)))
        for amount, r_in, r_out in cases:
            out = get_amount_out(amount, r_in, r_out)
            assert evm.get_amount_out(amount, r_in, r_out) == out
            want = min(out, r_out - 1) or 1
            assert evm.get_amount_in(want, r_in, r_out) == get_amount_in(want, r_in, r_out)
            assert evm.k_ok(r_in, r_out, amount, 0, 0, out)
            if out + 1 < r_out:
                assert not evm.k_ok(r_in, r_out, amount, 0, 0, out + 1)


# ---------------------------------------------------------------- a real pool's tick: token decimals
def test_raw_price_and_the_usdc_weth_tick():
    """USDC/WETH at 3,000 USD per ETH: token0 = USDC (6 decimals), token1 = WETH (18), raw price 1e12/3000."""
    raw = amm.raw_price(1 / 3000, decimals0=6, decimals1=18)
    assert raw == pytest.approx(1e12 / 3000)
    tick = amm.price_to_tick(raw)
    assert tick == 196_256
    assert amm.price_to_tick(3000.0) == 80_067                 # the decimals-naive tick
    # TickMath (bit-exact): the exact sqrtPriceX96 of the raw price lies between the two ticks
    exact = math.isqrt(10**12 * 2**192 // 3000)
    assert amm.get_sqrt_ratio_at_tick(196_256) <= exact < amm.get_sqrt_ratio_at_tick(196_257)
    assert amm.get_tick_at_sqrt_ratio(exact) == 196_256
    naive = math.isqrt(3000 * 2**192)
    assert amm.get_tick_at_sqrt_ratio(naive) == 80_067
    # equal decimals change nothing; the tick rises when ETH falls (WETH per USDC grows)
    assert amm.raw_price(2.0, 18, 18) == 2.0
    assert amm.price_to_tick(amm.raw_price(1 / 2500, 6, 18)) > tick


def test_raw_price_errors():
    with pytest.raises(ValueError, match="price must be > 0"):
        amm.raw_price(0.0, 6, 18)
    with pytest.raises((TypeError, ValueError), match="decimals0"):
        amm.raw_price(1.0, 6.5, 18)
    with pytest.raises(ValueError, match="decimals1"):
        amm.raw_price(1.0, 6, -1)


# ---------------------------------------------------------------- StableSwap in a depeg
@pytest.mark.parametrize("amp", [1, 10, 200, 2000])
@pytest.mark.parametrize("price", [0.99, 0.9, 0.5, 0.1])
def test_depeg_arbitrage_stops_at_the_market_price_on_the_same_curve(amp, price):
    d = amm.stableswap_depeg(amp, price, balance=1_000.0)
    assert amm.stableswap_spot_price(1, 0, [d["good"], d["bad"]], amp) == pytest.approx(price, rel=1e-9)
    assert amm.stableswap_d([d["good"], d["bad"]], amp) == pytest.approx(2_000.0, rel=1e-9)  # no fee: D kept
    assert d["arbitrage_profit"] == pytest.approx(d["hodl_value"] - d["lp_value"])
    worst = 2 * price / (1 + price) - 1                      # a pool made entirely of the depegged coin
    assert worst - 1e-12 <= d["lp_vs_hodl"] <= amm.impermanent_loss(price) + 1e-12 <= 0.0


def test_higher_amplification_leaves_lps_more_of_the_depegged_coin():
    for price in (0.95, 0.9, 0.5):
        rows = [amm.stableswap_depeg(a, price) for a in (1, 10, 100, 1000, 10000)]
        shares = [r["bad_share"] for r in rows]
        losses = [r["lp_vs_hodl"] for r in rows]
        assert shares == sorted(shares) and losses == sorted(losses, reverse=True)
        assert shares[0] > 1 / (1 + price) and shares[-1] > 0.97      # more than constant product
    on_peg = amm.stableswap_depeg(200, 1.0, balance=5.0)
    assert on_peg["good"] == pytest.approx(5.0) and on_peg["lp_vs_hodl"] == pytest.approx(0.0, abs=1e-12)


def test_depeg_errors():
    with pytest.raises(ValueError, match=r"depeg_price must be > 0 and <= 1 \(got 1.2\)"):
        amm.stableswap_depeg(100, 1.2)
    with pytest.raises(ValueError, match=r"depeg_price must be > 0 and <= 1 \(got 0.0\)"):
        amm.stableswap_depeg(100, 0.0)
    with pytest.raises(ValueError, match="amp must be > 0"):
        amm.stableswap_depeg(0, 0.9)
    with pytest.raises(ValueError, match="balance must be > 0"):
        amm.stableswap_depeg(100, 0.9, balance=0.0)
    with pytest.raises(ValueError, match="single numbers"):
        amm.stableswap_depeg([10, 100], 0.9)


def test_stableswap_dashboard_depeg_control():
    from cryptocourse.dashboards.amm import StableSwapDashboard, stableswap_view

    v = stableswap_view(amp=200, depeg_price=0.9, balance=1_000_000.0)
    d = amm.stableswap_depeg(200, 0.9, balance=1_000_000.0)
    assert (v.depeg_bad_share, v.depeg_lp_vs_hodl) == (d["bad_share"], d["lp_vs_hodl"])
    assert v.cp_depeg_bad_share == pytest.approx(1 / 1.9)
    assert v.cp_depeg_lp_vs_hodl == pytest.approx(amm.impermanent_loss(0.9))
    dash = StableSwapDashboard()
    png = dash.image.value
    assert "depegs" not in dash.summary.value
    dash.set(depeg_price=0.9)
    assert dash.image.value != png and "92.6%" in dash.summary.value and "-3.86%" in dash.summary.value


def test_tick_at_sqrt_ratio_is_the_greatest_tick_at_or_below_on_every_boundary():
    """The float-estimate-then-exact-check search equals its definition (a bisection) at each
    tick's boundary (one wei either side), the range's ends and random prices."""
    import random

    from cryptocourse.amm import MAX_SQRT_RATIO, MIN_SQRT_RATIO, get_sqrt_ratio_at_tick, get_tick_at_sqrt_ratio
    from cryptocourse.amm.v3 import MAX_TICK, MIN_TICK

    def by_bisection(s):
        lo, hi = MIN_TICK, MAX_TICK
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if get_sqrt_ratio_at_tick(mid) <= s else (lo, mid)
        return lo

    rng = random.Random(18)
    ticks = [MIN_TICK, MIN_TICK + 1, -1, 0, 1, 80_067, 196_256, MAX_TICK - 1] + \
        [rng.randrange(MIN_TICK, MAX_TICK) for _ in range(300)]
    prices = [get_sqrt_ratio_at_tick(t) + d for t in ticks for d in (-1, 0, 1)]
    prices += [rng.randrange(MIN_SQRT_RATIO, MAX_SQRT_RATIO) for _ in range(300)] + [MAX_SQRT_RATIO - 1]
    for s in prices:
        if MIN_SQRT_RATIO <= s < MAX_SQRT_RATIO:
            assert get_tick_at_sqrt_ratio(s) == by_bisection(s), s


def test_get_D_written_out_for_two_and_three_coins_equals_the_contracts_loop():
    """The 2- and 3-coin fast paths of get_D give the integers of the 3pool contract's own loop."""
    import random

    from cryptocourse.amm import get_D

    def contract_loop(xp, amp):      # StableSwap3Pool.vy get_D, as written there
        n, S = len(xp), sum(xp)
        D, Ann = S, amp * n
        for _ in range(255):
            D_P = D
            for x in xp:
                D_P = D_P * D // (x * n)
            D_prev = D
            D = (Ann * S + D_P * n) * D // ((Ann - 1) * D + (n + 1) * D_P)
            if abs(D - D_prev) <= 1:
                return D
        raise AssertionError("no convergence")

    rng = random.Random(9)
    for _ in range(400):
        n = rng.choice((2, 3, 4))
        xp = [rng.randrange(10**18, 10**26) for _ in range(n)]
        amp = rng.choice((1, 10, 100, 2000, 5000))
        try:
            want = contract_loop(xp, amp)
        except AssertionError:
            continue
        assert get_D(xp, amp) == want, (xp, amp)
