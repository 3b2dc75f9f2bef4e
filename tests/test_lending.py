"""Tests for cryptocourse.lending: rate models, the pool, positions and liquidation."""
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cryptocourse import lending as L
from cryptocourse.lending import (
    MARKETS, InterestRateModel, JumpRateModel, LendingPool, calculate_interest_rates,
    close_factor, get_borrow_rate, get_supply_rate, health_factor, liquidation_call,
    liquidation_price, max_borrow, simulate_position, utilization, utilization_rate,
)

R = 10**27
W = 10**18

# ---------------------------------------------------------------- known values

def test_aave_style_known_values_from_issue():
    # optimal 80 %, base 0, slope1 4 %, slope2 75 %, reserve factor 10 %
    m = InterestRateModel(0.80, 0.0, 0.04, 0.75, reserve_factor=0.10)
    assert m.borrow_rate(0.8) == pytest.approx(0.04, abs=1e-15)
    assert m.supply_rate(0.8) == pytest.approx(0.0288, abs=1e-15)
    assert m.borrow_rate(1.0) == pytest.approx(0.79, abs=1e-15)
    assert m.supply_rate(1.0) == pytest.approx(0.711, abs=1e-15)
    assert m.borrow_rate(0.0) == 0.0 and m.supply_rate(0.0) == 0.0
    # half way up the steep part: 4 % + 75 % * 0.5
    assert m.borrow_rate(0.9) == pytest.approx(0.415)


def test_compound_jump_rate_known_values():
    # Compound v2 tests/Models/InterestRateModelTest.js: base 10 %, multiplier 20 %,
    # kink 90 %, jump 100 % -> 27.8 % at 89 %, 29 % at 91 %, 38 % at 100 %.
    m = JumpRateModel(0.10, 0.20, 0.90, 1.00)
    assert m.borrow_rate(0.89) == pytest.approx(0.278, abs=1e-15)
    assert m.borrow_rate(0.91) == pytest.approx(0.29, abs=1e-15)
    assert m.borrow_rate(1.0) == pytest.approx(0.38, abs=1e-15)
    assert m.borrow_rate(0.0) == pytest.approx(0.10)


def test_aave_exact_ray_math_matches_issue_values():
    args = dict(reserve_factor=1000, optimal_usage_ratio=8 * R // 10,
                base_variable_borrow_rate=0, variable_rate_slope1=4 * R // 100,
                variable_rate_slope2=75 * R // 100)
    liq, var = calculate_interest_rates(20 * W, 80 * W, **args)
    assert var == 4 * R // 100 and liq == 288 * R // 10000
    liq, var = calculate_interest_rates(0, 80 * W, **args)
    assert var == 79 * R // 100 and liq == 711 * R // 1000
    assert calculate_interest_rates(100 * W, 0, **args) == (0, 0)


def test_compound_exact_mantissa_math_matches_tests():
    p = dict(base_rate=W // 10, multiplier=W // 5, jump_multiplier=W, kink=9 * W // 10)
    assert get_borrow_rate(11, 89, 0, **p) == 278 * W // 1000
    assert get_borrow_rate(9, 91, 0, **p) == 29 * W // 100
    assert get_borrow_rate(0, 100, 0, **p) == 38 * W // 100
    assert utilization_rate(10, 0, 0) == 0
    # reserves are not the suppliers': 90 borrowed out of 100 - 10
    assert utilization_rate(20, 90, 10) == 9 * W // 10
    assert get_supply_rate(0, 100, 0, W // 10, **p) == 342 * W // 1000


def test_vectorised_and_scalar_types():
    m = InterestRateModel(0.80, 0.0, 0.04, 0.75)
    u = np.linspace(0, 1, 11)
    out = m.borrow_rate(u)
    assert isinstance(out, np.ndarray) and out.shape == (11,)
    assert type(m.borrow_rate(0.5)) is float
    assert type(JumpRateModel(0, 0.1, 0.8, 1).supply_rate(0.5)) is float
    assert utilization(np.array([0.0, 80.0]), np.array([0.0, 20.0])).tolist() == [0.0, 0.8]


def test_market_snapshots_are_labelled_and_sane():
    assert len(MARKETS) >= 3
    for key, snap in MARKETS.items():
        assert key == snap.name and snap.source and snap.date
        assert "snapshot" in key or "example" in key or "test" in key
        assert 0 < snap.ltv < snap.liquidation_threshold <= 1
        assert 0 < snap.liquidation_bonus < 0.2
        # a real curve: borrow rate rises with utilisation and supply stays below it
        u = np.linspace(0, 1, 101)
        b, s = snap.model.borrow_rate(u), snap.model.supply_rate(u)
        assert np.all(np.diff(b) >= -1e-15) and np.all(s <= b + 1e-15)

def test_aave_snapshots_match_the_2023_10_31_config_report():
    # bgd-labs/aave-proposals-v3, reports/AaveV3Ethereum_UpgradeAaveV3ETHPooolWETHParameters_20231031_after.json
    weth = MARKETS["Aave v3 Ethereum WETH (2023-10-31 snapshot)"]
    assert (weth.ltv, weth.liquidation_threshold, weth.liquidation_bonus) == (0.805, 0.83, 0.05)
    assert weth.liquidation_protocol_fee == 0.10 and weth.model.reserve_factor == 0.15
    assert (weth.model.optimal_utilization, weth.model.base_rate, weth.model.slope1, weth.model.slope2) == \
        (0.80, 0.0, 0.028, 0.80)
    assert weth.model.borrow_rate(1.0) == pytest.approx(0.828)
    usdc = MARKETS["Aave v3 Ethereum USDC (2023-10-31 snapshot)"]
    assert (usdc.ltv, usdc.liquidation_threshold, usdc.liquidation_bonus) == (0.77, 0.80, 0.045)
    assert usdc.liquidation_protocol_fee == 0.20 and usdc.model.reserve_factor == 0.10
    assert (usdc.model.optimal_utilization, usdc.model.slope1, usdc.model.slope2) == (0.90, 0.035, 0.60)
    assert usdc.model.borrow_rate(1.0) == pytest.approx(0.635)
    for snap in (weth, usdc):
        assert snap.date == "2023-10-31" and "aave-proposals-v3" in snap.source
    # the exact ray math agrees with the float curve at the kink and at full utilisation
    liq, var = calculate_interest_rates(10 * W, 90 * W, 1000, 9 * R // 10, 0, 35 * R // 1000, 6 * R // 10)
    assert var / R == pytest.approx(usdc.model.borrow_rate(0.9)) and liq / R == pytest.approx(usdc.model.supply_rate(0.9))


def test_health_factor_and_friends():
    assert health_factor(1000.0, 0.8, 400.0) == pytest.approx(2.0)
    assert health_factor(1000.0, 0.8, 0.0) == math.inf
    assert health_factor([100.0, 100.0], 0.5, [0.0, 50.0]).tolist() == [math.inf, 1.0]
    assert max_borrow(1000.0, 0.75) == 750.0
    assert max_borrow(1000.0, 0.75, 900.0) == 0.0
    p = liquidation_price(2.0, 3000.0, 0.8)
    assert p == pytest.approx(1875.0)
    assert health_factor(2.0 * p, 0.8, 3000.0) == pytest.approx(1.0)
    assert liquidation_price(1.0, 0.0, 0.8) == 0.0


def test_close_factor_thresholds_as_aave_v3():
    for version in ("3.0", "3.3"):  # a large position: the two rules agree
        assert close_factor(1.0, version=version) == 0.0
        assert close_factor(0.99, version=version) == 0.5
        assert close_factor(0.9500001, version=version) == 0.5
        assert close_factor(0.95, version=version) == 1.0
        assert close_factor(0.5, version=version) == 1.0
    assert L.CLOSE_FACTOR_HF_THRESHOLD == 0.95 and L.DEFAULT_LIQUIDATION_CLOSE_FACTOR == 0.5


def test_close_factor_size_rule_of_v3_3():
    # aave-v3-origin LiquidationLogic: MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD = 2000e8 (USD, 8 decimals),
    # MIN_LEFTOVER_BASE = MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD / 2
    assert L.MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD == 2000.0 and L.MIN_LEFTOVER_BASE == 1000.0
    # 50 % only when collateral AND debt are at least 2,000 USD (>=, as the contract compares)
    assert close_factor(0.97, 2000.0, 2000.0) == 0.5
    assert close_factor(0.97, 1999.99, 5000.0) == 1.0
    assert close_factor(0.97, 5000.0, 1999.99) == 1.0
    assert close_factor(0.97, 1999.99, 1999.99, version="3.0") == 0.5
    assert close_factor(1.2, 100.0, 50.0) == 0.0  # healthy: nothing, whatever the size
    out = close_factor(np.array([0.97, 0.97, 0.9]), np.array([1e4, 1e3, 1e4]), 3000.0)
    assert out.tolist() == [0.5, 1.0, 1.0]
    with pytest.raises(ValueError, match="version must be one of"):
        close_factor(0.97, version="3.4")


def test_liquidation_worked_example():
    # 1 ETH at 2000 USD backing 1700 USDC, LT 83 %, bonus 5 %: HF 0.976 -> 50 % close factor (v3.0-3.2)
    liq = liquidation_call(1.0, 1700.0, 2000.0, 0.83, 0.05, version="3.0")
    assert liq.health_before == pytest.approx(1660 / 1700)
    assert liq.debt_repaid == pytest.approx(850.0)
    assert liq.collateral_seized == pytest.approx(850 / 2000 * 1.05)
    assert liq.liquidator_profit == pytest.approx(850 * 0.05)
    assert liq.health_after > liq.health_before
    # below 0.95 the whole debt may go at once
    deep = liquidation_call(1.0, 1800.0, 2000.0, 0.83, 0.05)
    assert deep.health_before < 0.95 and deep.debt_repaid == pytest.approx(1800.0)
    assert deep.debt_left == pytest.approx(0.0) and deep.health_after == math.inf
    # since v3.3 the same small position (1,700 USD of debt < 2,000) is cleared in one call
    now = liquidation_call(1.0, 1700.0, 2000.0, 0.83, 0.05)
    assert now.close_factor == 1.0 and now.debt_repaid == 1700.0 and now.debt_left == 0.0
    assert now.collateral_seized == pytest.approx(1700 * 1.05 / 2000) and now.version == "3.3"
    # a large one (3,400 USD of debt, 4,000 USD of collateral) still gets 50 %
    big = liquidation_call(2.0, 3400.0, 2000.0, 0.83, 0.05)
    assert big.close_factor == 0.5 and big.debt_repaid == pytest.approx(1700.0)


def test_liquidation_when_collateral_does_not_cover_bonus():
    # underwater: collateral worth 1000, debt 1100: all collateral goes
    liq = liquidation_call(1.0, 1100.0, 1000.0, 0.83, 0.05, version="3.0")
    assert liq.collateral_seized == pytest.approx(1.0)
    assert liq.debt_repaid == pytest.approx(1000.0 / 1.05)
    assert liq.debt_left > 0 and liq.health_after == 0.0 and liq.bad_debt == 0.0  # stays on the account
    # v3.3: the debt left on an account with no collateral is burned and booked as a deficit
    now = liquidation_call(1.0, 1100.0, 1000.0, 0.83, 0.05)
    assert now.debt_left == 0.0 and now.bad_debt == pytest.approx(1100.0 - 1000.0 / 1.05)
    assert now.debt_repaid + now.bad_debt == pytest.approx(1100.0)


def test_v3_3_dust_rule():
    # 10 ETH at 1,000 USD (10,000 USD), 8,500 USDC of debt, LT 83 %: HF 0.976, 50 % allowed
    liq = liquidation_call(10.0, 8500.0, 1000.0, 0.83, 0.05)
    assert liq.close_factor == 0.5 and liq.debt_repaid == pytest.approx(4250.0)
    # 3 ETH at 800 USD (2,400 USD) backing 2,100 USDC: HF 0.949, all may go; a liquidator asking
    # for an amount that would leave 500 USD of debt is refused
    with pytest.raises(ValueError, match="MUST_NOT_LEAVE_DUST"):
        liquidation_call(3.0, 2100.0, 800.0, 0.83, 0.05, debt_to_cover=1600.0)
    with pytest.raises(ValueError, match="debt_to_cover"):
        liquidation_call(3.0, 2100.0, 800.0, 0.83, 0.05, debt_to_cover=1600.0)
    ok = liquidation_call(3.0, 2100.0, 800.0, 0.83, 0.05, debt_to_cover=1600.0, version="3.0")
    assert ok.debt_left == pytest.approx(500.0)
    # repaying everything, or leaving 1,000 USD of both, is allowed
    assert liquidation_call(3.0, 2100.0, 800.0, 0.83, 0.05, debt_to_cover=2100.0).debt_left == 0.0
    assert liquidation_call(3.0, 2100.0, 800.0, 0.83, 0.05, debt_to_cover=1000.0).debt_left == 1100.0
    # the default (most allowed) is cut back so that 1,000 USD of collateral stays:
    # 2,200 USD of collateral, 2,000 USDC of debt, LT 0.9 -> HF 0.99 -> 50 %, which would leave 950 USD
    cut = liquidation_call(2.2, 2000.0, 1000.0, 0.90, 0.25)
    assert cut.close_factor == 0.5
    assert cut.collateral_left * 1000.0 == pytest.approx(L.MIN_LEFTOVER_BASE)
    assert cut.debt_repaid == pytest.approx((2200.0 - 1000.0) / 1.25) and cut.debt_repaid < 1000.0
    assert cut.debt_left * 1.0 >= L.MIN_LEFTOVER_BASE


def test_liquidation_protocol_fee_comes_out_of_the_bonus():
    liq = liquidation_call(1.0, 1700.0, 2000.0, 0.83, 0.05, protocol_fee=0.10)
    bonus_tokens = liq.collateral_seized - liq.collateral_seized / 1.05
    assert liq.protocol_fee == pytest.approx(0.10 * bonus_tokens)
    assert liq.collateral_to_liquidator + liq.protocol_fee == pytest.approx(liq.collateral_seized)


def test_liquidation_respects_requested_cover():
    liq = liquidation_call(1.0, 1700.0, 2000.0, 0.83, 0.05, debt_to_cover=100.0)
    assert liq.debt_repaid == pytest.approx(100.0)
    capped = liquidation_call(1.0, 1700.0, 2000.0, 0.83, 0.05, debt_to_cover=10_000.0, version="3.0")
    assert capped.debt_repaid == pytest.approx(850.0)
    assert liquidation_call(1.0, 1700.0, 2000.0, 0.83, 0.05, debt_to_cover=10_000.0).debt_repaid == 1700.0


def test_simulate_position_liquidates_on_the_way_down():
    prices = np.linspace(2000, 1500, 51)
    h = simulate_position(prices, 1.0, 1500.0, 0.83, 0.05)
    first = h.first_liquidation
    assert first > 0
    assert prices[first] * 0.83 / 1500.0 < 1.0 <= prices[first - 1] * 0.83 / 1500.0
    assert np.all(h.debt[:first] == 1500.0) and h.debt[first] < 1500.0
    assert np.all(h.health[h.debt > 0] > 0)
    # no price drop, no debt growth: no liquidation
    flat = simulate_position(np.full(10, 2000.0), 1.0, 1000.0, 0.83, 0.05)
    assert flat.first_liquidation == -1 and not flat.liquidations


def test_simulate_position_reports_the_health_liquidators_saw():
    # the health factor after a liquidation is back above 1; the one that triggered it is below 1
    prices = np.linspace(2500, 1500, 101)
    for version in ("3.0", "3.3"):
        h = simulate_position(prices, 10.0, 18_000.0, 0.83, 0.05, version=version)
        days = h.liquidation_days
        assert days.size >= 2 and np.all(h.health_before[days] < 1.0)
        assert np.all(h.health[days] >= 1.0) or version == "3.3"
        assert np.all(h.health_before[~h.liquidated][h.debt[~h.liquidated] > 0] >= 1.0)
        assert [r.health_before for r in h.liquidations] == pytest.approx(h.health_before[days].tolist())
    # a big position under v3.0 keeps being halved; the post-liquidation line never crosses 1
    old = simulate_position(prices, 10.0, 18_000.0, 0.83, 0.05, version="3.0")
    assert old.liquidation_days.size >= 3 and np.all(old.health[old.debt > 0] >= 1.0)


def test_simulate_position_size_rule_and_bad_debt():
    # 1 ETH backing 1,500 USDC: the first liquidation clears it all since v3.3
    h = simulate_position([2000, 1900, 1780, 1700], 1.0, 1500.0, 0.83, 0.05)
    assert h.liquidation_days.tolist() == [2] and h.debt[-1] == 0.0 and h.bad_debt == 0.0
    # a gap down through the collateral's value: v3.3 writes the rest off, v3.0 leaves it owed
    gap = [2000.0, 2000.0, 1000.0, 1000.0]
    new = simulate_position(gap, 1.0, 1600.0, 0.83, 0.05)
    old = simulate_position(gap, 1.0, 1600.0, 0.83, 0.05, version="3.0")
    assert new.bad_debt == pytest.approx(1600.0 - 1000.0 / 1.05) and new.debt[-1] == 0.0
    assert old.bad_debt == 0.0 and old.debt[-1] == pytest.approx(1600.0 - 1000.0 / 1.05)


def test_simulate_position_interest_alone_can_liquidate():
    h = simulate_position(np.full(366 * 3, 2000.0), 1.0, 1600.0, 0.83, 0.05, borrow_rate=0.10)
    assert h.first_liquidation > 0
    assert h.debt[h.first_liquidation - 1] > 1600.0


def test_pool_worked_example_and_rates_follow_utilisation():
    pool = LendingPool(InterestRateModel(0.80, 0.0, 0.04, 0.75, reserve_factor=0.10))
    pool.supply("alice", 1000.0)
    assert pool.utilization == 0.0 and pool.borrow_rate == 0.0
    pool.borrow("bob", 800.0)
    assert pool.utilization == pytest.approx(0.8)
    pool.accrue(1.0)
    assert pool.debt_of("bob") == pytest.approx(832.0)
    assert pool.balance_of("alice") == pytest.approx(1028.8)
    assert pool.reserves == pytest.approx(3.2)
    pool.borrow("carol", 150.0)  # utilisation jumps past the kink
    assert pool.utilization > 0.9 and pool.borrow_rate > 0.3
    pool.repay("carol")
    pool.repay("bob")
    assert pool.borrows == pytest.approx(0.0, abs=1e-9)
    got = pool.withdraw("alice")
    assert got == pytest.approx(1028.8)
    assert pool.cash == pytest.approx(pool.reserves)
    assert pool.total_supplied == pytest.approx(0.0, abs=1e-9)


def test_pool_run_history_shapes():
    pool = LendingPool(JumpRateModel(0.02, 0.1, 0.8, 1.0, 0.1))
    pool.supply("a", 100.0)
    pool.borrow("b", 50.0)
    hist = pool.run(30, step_days=1)
    assert hist["days"][0] == 0 and hist["days"][-1] == 30 and len(hist["days"]) == 31
    assert np.all(np.diff(hist["borrows"]) > 0)
    assert "LendingPool(USDC" in repr(pool)


def test_pool_refuses_impossible_actions():
    pool = LendingPool(InterestRateModel(0.8, 0, 0.04, 0.75))
    pool.supply("a", 100.0)
    with pytest.raises(ValueError, match="amount must be <= the available liquidity"):
        pool.borrow("b", 101.0)
    pool.borrow("b", 90.0)
    with pytest.raises(ValueError, match="available liquidity"):
        pool.withdraw("a", 50.0)
    with pytest.raises(ValueError, match="amount must be <= the balance"):
        pool.withdraw("a", 500.0)
    with pytest.raises(ValueError, match="amount must be <= the debt"):
        pool.repay("b", 1000.0)
    with pytest.raises(ValueError, match="amount must be > 0"):
        pool.supply("a", 0)
    with pytest.raises(ValueError, match="who must be a borrower"):
        pool.repay("nobody")
    with pytest.raises(ValueError, match="who must be a supplier"):
        pool.withdraw("nobody")
    with pytest.raises(ValueError, match="years"):
        pool.accrue(-1)
    with pytest.raises(TypeError, match="model"):
        LendingPool("aave")


# ---------------------------------------------------------------- clear errors

@pytest.mark.parametrize("kwargs, match", [
    (dict(optimal_utilization=0.0, base_rate=0, slope1=0.04, slope2=0.75), "optimal_utilization"),
    (dict(optimal_utilization=1.2, base_rate=0, slope1=0.04, slope2=0.75), "optimal_utilization"),
    (dict(optimal_utilization=0.8, base_rate=-0.01, slope1=0.04, slope2=0.75), "base_rate"),
    (dict(optimal_utilization=0.8, base_rate=0, slope1=-1, slope2=0.75), "slope1"),
    (dict(optimal_utilization=0.8, base_rate=0, slope1=0.04, slope2=float("nan")), "slope2"),
    (dict(optimal_utilization=0.8, base_rate=0, slope1=0.04, slope2=0.75, reserve_factor=1.5),
     "reserve_factor"),
])
def test_interest_rate_model_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        InterestRateModel(**kwargs)


@pytest.mark.parametrize("args, match", [
    ((-0.1, 0.2, 0.9, 1.0), "base_rate"), ((0.1, -0.2, 0.9, 1.0), "multiplier"),
    ((0.1, 0.2, 0.0, 1.0), "kink"), ((0.1, 0.2, 0.9, -1.0), "jump_multiplier"),
])
def test_jump_rate_model_errors(args, match):
    with pytest.raises(ValueError, match=match):
        JumpRateModel(*args)
    with pytest.raises(ValueError, match="reserve_factor"):
        JumpRateModel(0.1, 0.2, 0.9, 1.0, reserve_factor=-0.1)


def test_rate_function_errors():
    m = InterestRateModel(0.8, 0, 0.04, 0.75)
    with pytest.raises(ValueError, match=r"utilization must be >= 0 and <= 1 \(got 1.5\)"):
        m.borrow_rate(1.5)
    with pytest.raises(ValueError, match="utilization"):
        m.supply_rate([0.5, -0.1])
    with pytest.raises(TypeError, match="utilization"):
        JumpRateModel(0, 0.1, 0.8, 1).borrow_rate("high")
    with pytest.raises(ValueError, match="total_debt"):
        utilization(-1, 10)
    with pytest.raises(ValueError, match="available_liquidity"):
        utilization(1, -10)


def test_integer_function_errors():
    with pytest.raises(TypeError, match="available_liquidity must be an int"):
        calculate_interest_rates(1e18, 0, 1000, R // 2, 0, 0, 0)
    with pytest.raises(ValueError, match="reserve_factor"):
        calculate_interest_rates(1, 1, 10_001, R // 2, 0, 0, 0)
    with pytest.raises(ValueError, match="optimal_usage_ratio"):
        calculate_interest_rates(1, 1, 1000, 0, 0, 0, 0)
    with pytest.raises(ValueError, match="reserves"):
        utilization_rate(1, 1, 5)
    with pytest.raises(ValueError, match="kink"):
        get_borrow_rate(1, 1, 0, 0, 0, 0, 2 * W)
    with pytest.raises(ValueError, match="reserve_factor_mantissa"):
        get_supply_rate(1, 1, 0, 2 * W, 0, 0, 0, W // 2)
    with pytest.raises(ValueError, match="cash"):
        utilization_rate(-1, 1, 0)


def test_position_function_errors():
    with pytest.raises(ValueError, match="collateral_value"):
        health_factor(-1, 0.8, 1)
    with pytest.raises(ValueError, match="liquidation_threshold"):
        health_factor(1, 1.8, 1)
    with pytest.raises(ValueError, match="debt_value"):
        health_factor(1, 0.8, -1)
    with pytest.raises(ValueError, match="ltv"):
        max_borrow(100, 1.0)
    with pytest.raises(ValueError, match="collateral_amount"):
        liquidation_price(0, 100, 0.8)
    with pytest.raises(ValueError, match="liquidation_threshold"):
        liquidation_price(1, 100, 0)
    with pytest.raises(ValueError, match="health"):
        close_factor(-0.5)


def test_liquidation_call_errors():
    with pytest.raises(ValueError, match="health factor is 1.66"):
        liquidation_call(1.0, 1000.0, 2000.0, 0.83, 0.05)
    with pytest.raises(ValueError, match="collateral_amount"):
        liquidation_call(0.0, 1000.0, 2000.0, 0.83, 0.05)
    with pytest.raises(ValueError, match="collateral_price"):
        liquidation_call(1.0, 1000.0, 0.0, 0.83, 0.05)
    with pytest.raises(ValueError, match="liquidation_bonus"):
        liquidation_call(1.0, 1900.0, 2000.0, 0.83, 1.5)
    with pytest.raises(ValueError, match="protocol_fee"):
        liquidation_call(1.0, 1900.0, 2000.0, 0.83, 0.05, protocol_fee=2)
    with pytest.raises(ValueError, match="debt_to_cover"):
        liquidation_call(1.0, 1900.0, 2000.0, 0.83, 0.05, debt_to_cover=0)
    with pytest.raises(TypeError, match="one position at a time"):
        liquidation_call([1.0, 2.0], 1900.0, 2000.0, 0.83, 0.05)


def test_simulate_position_errors():
    with pytest.raises(ValueError, match="prices"):
        simulate_position([2000, 0], 1.0, 100.0, 0.83, 0.05)
    with pytest.raises(ValueError, match="prices must be a 1-D array"):
        simulate_position(np.ones((2, 3)), 1.0, 100.0, 0.83, 0.05)
    with pytest.raises(ValueError, match="borrow_rate"):
        simulate_position([2000], 1.0, 100.0, 0.83, 0.05, borrow_rate=-1)
    with pytest.raises(ValueError, match="dt_years"):
        simulate_position([2000], 1.0, 100.0, 0.83, 0.05, dt_years=0)
    with pytest.raises(ValueError, match="version"):
        simulate_position([2000], 1.0, 100.0, 0.83, 0.05, version="v3")


# ---------------------------------------------------------------- stablecoin lending

def test_stablecoin_lending_outcomes_exact():
    one = L.stablecoin_lending_outcomes(1, 0.05, exploit_probability=0.02, exploit_loss=1.0)
    assert one.returns.tolist() == pytest.approx([-1.0, 0.05])
    assert one.probabilities.tolist() == pytest.approx([0.02, 0.98])
    four = L.stablecoin_lending_outcomes(4, 0.05, exploit_probability=0.02, exploit_loss=1.0)
    assert four.probabilities.sum() == pytest.approx(1.0)
    # spreading keeps the expected return and cuts the big losses ...
    assert four.mean == pytest.approx(one.mean) == pytest.approx(1.05 * 0.98 - 1)
    assert four.prob_below(-0.4) == pytest.approx(1 - 0.98**4 - 4 * 0.02 * 0.98**3)
    assert four.std < one.std and four.quantile(0.01) > one.quantile(0.01)
    # ... but makes a small loss more likely (any one of four exploits)
    assert four.prob_below(0.0) == pytest.approx(1 - 0.98**4)
    assert four.prob_below(0.0) > one.prob_below(0.0)
    # a depeg hits every protocol at once: spreading does nothing against it
    d1 = L.stablecoin_lending_outcomes(1, 0.05, exploit_probability=0.0, depeg_probability=0.05,
                                       depeg_loss=0.15)
    d4 = L.stablecoin_lending_outcomes(4, 0.05, exploit_probability=0.0, depeg_probability=0.05,
                                       depeg_loss=0.15)
    assert d1.returns.tolist() == pytest.approx(d4.returns.tolist())
    assert d1.prob_below(-0.1) == d4.prob_below(-0.1) == pytest.approx(0.05)
    assert d4.quantile(0.01) == pytest.approx(1.05 * 0.85 - 1)


def test_stablecoin_lending_outcomes_errors():
    with pytest.raises(ValueError, match="n_protocols"):
        L.stablecoin_lending_outcomes(0)
    with pytest.raises(TypeError, match="n_protocols"):
        L.stablecoin_lending_outcomes(2.5)
    with pytest.raises(ValueError, match="exploit_probability"):
        L.stablecoin_lending_outcomes(2, exploit_probability=1.5)
    with pytest.raises(ValueError, match="depeg_loss"):
        L.stablecoin_lending_outcomes(2, depeg_loss=-0.1)
    with pytest.raises(ValueError, match="q must be"):
        L.stablecoin_lending_outcomes(2).quantile(0.0)


def test_a_full_pool_freezes_withdrawals():
    pool = LendingPool(MARKETS["Aave v3 Ethereum USDC (2023-10-31 snapshot)"].model)
    pool.supply("alice", 1000.0)
    pool.borrow("bob", 1000.0)
    assert pool.utilization == 1.0 and pool.borrow_rate == pytest.approx(0.635)
    with pytest.raises(ValueError, match="the rest is lent out"):
        pool.withdraw("alice", 1.0)


# ---------------------------------------------------------------- properties

rates = st.floats(0, 2, allow_nan=False)
fracs = st.floats(0, 1, allow_nan=False)
kinks = st.floats(0.01, 1, allow_nan=False)


@given(kinks, rates, rates, rates, fracs, fracs)
def test_supply_rate_never_exceeds_borrow_rate(uo, base, s1, s2, rf, u):
    for m in (InterestRateModel(uo, base, s1, s2, rf), JumpRateModel(base, s1, uo, s2, rf)):
        assert m.supply_rate(u) <= m.borrow_rate(u) + 1e-12


@given(kinks, rates, rates, rates, st.lists(fracs, min_size=2, max_size=20))
def test_borrow_rate_is_non_decreasing_and_continuous(uo, base, s1, s2, us):
    u = np.sort(np.array(us))
    for m in (InterestRateModel(uo, base, s1, s2), JumpRateModel(base, s1, uo, s2)):
        b = m.borrow_rate(u)
        assert np.all(np.diff(b) >= -1e-12)
    m = InterestRateModel(uo, base, s1, s2)
    assert m.borrow_rate(uo) == pytest.approx(base + s1)
    if uo < 1:
        eps = 1e-9 * (1 - uo)  # a step right of the kink adds slope2 * 1e-9 at most
        assert m.borrow_rate(min(uo + eps, 1.0)) == pytest.approx(base + s1, abs=1e-8)


@given(st.integers(0, 10**30), st.integers(0, 10**30), st.integers(0, 10_000),
       st.integers(10**25, R - 10**25), st.integers(0, R // 10),
       st.integers(0, R // 5), st.integers(0, 3 * R))
def test_exact_aave_matches_float_model(avail, debt, rf_bps, opt, base, s1, s2):
    liq, var = calculate_interest_rates(avail, debt, rf_bps, opt, base, s1, s2)
    m = InterestRateModel(opt / R, base / R, s1 / R, s2 / R, rf_bps / 10_000)
    u = 0.0 if debt == 0 else debt / (avail + debt)
    assert var / R == pytest.approx(m.borrow_rate(u), rel=1e-9, abs=1e-18)
    assert liq / R == pytest.approx(m.supply_rate(u), rel=1e-9, abs=1e-18)
    assert liq <= var


@given(st.integers(0, 10**24), st.integers(0, 10**24), st.integers(0, W),
       st.integers(0, W // 5), st.integers(0, W), st.integers(0, 5 * W), st.integers(1, W))
def test_exact_compound_matches_float_model(cash, borrows, rf, base, mult, jump, kink):
    assume(cash + borrows > 0)
    b = get_borrow_rate(cash, borrows, 0, base, mult, jump, kink)
    s = get_supply_rate(cash, borrows, 0, rf, base, mult, jump, kink)
    m = JumpRateModel(base / W, mult / W, kink / W, jump / W, rf / W)
    u = borrows / (cash + borrows)
    assert b / W == pytest.approx(m.borrow_rate(u), rel=1e-9, abs=1e-15)
    assert s / W == pytest.approx(m.supply_rate(u), rel=1e-9, abs=1e-15)
    assert s <= b


actions = st.lists(
    st.tuples(st.sampled_from(["supply", "borrow", "repay", "withdraw", "accrue"]),
              st.sampled_from(["a", "b", "c"]), st.floats(0.01, 1.0)),
    min_size=1, max_size=30)


@given(actions, st.sampled_from(list(MARKETS)))
def test_pool_conserves_value(ops, market):
    """cash + borrows == supplies + reserves and debts add up, interest included."""
    pool = LendingPool(MARKETS[market].model)
    pool.supply("seed", 100.0)
    for op, who, x in ops:
        try:
            if op == "supply":
                pool.supply(who, 500.0 * x)
            elif op == "borrow":
                pool.borrow(who, pool.available_liquidity * x)
            elif op == "repay" and pool.debt_of(who) > 0:
                pool.repay(who, pool.debt_of(who) * x)
            elif op == "withdraw" and pool.balance_of(who) > 0:
                pool.withdraw(who, min(pool.balance_of(who), pool.available_liquidity) * x)
            elif op == "accrue":
                pool.accrue(x)
        except ValueError:
            pass  # refused actions change nothing
        supplies = sum(pool.balance_of(s) for s in ("seed", "a", "b", "c"))
        debts = sum(pool.debt_of(s) for s in ("a", "b", "c"))
        scale = max(1.0, pool.cash + pool.borrows)
        assert pool.cash + pool.borrows == pytest.approx(supplies + pool.reserves, abs=1e-9 * scale)
        assert debts == pytest.approx(pool.borrows, abs=1e-9 * scale)
        assert pool.cash >= -1e-9 * scale
        assert 0.0 <= pool.utilization <= 1.0
        assert pool.supply_rate <= pool.borrow_rate + 1e-12


@given(st.floats(0.01, 100), st.floats(1, 10_000), st.floats(0.3, 0.95),
       st.floats(0.0, 0.15), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_liquidation_never_lowers_health_of_a_solvent_position(q, price, lt, bonus, a, fee):
    """Solvent: collateral covers the debt plus the bonus (value >= debt * (1 + bonus))."""
    coll = q * price
    # debt between coll*lt (HF just below 1) and coll/(1+bonus) (still solvent)
    lo, hi = coll * lt, coll / (1 + bonus)
    assume(hi > lo * (1 + 1e-9))
    debt = lo + (hi - lo) * (0.001 + 0.998 * a)
    liq = liquidation_call(q, debt, price, lt, bonus, protocol_fee=fee)
    assert liq.health_after >= liq.health_before * (1 - 1e-12)
    assert liq.collateral_seized + liq.collateral_left == pytest.approx(q)
    assert liq.debt_repaid + liq.debt_left == pytest.approx(debt)
    assert liq.debt_repaid <= close_factor(liq.health_before, q * price, debt) * debt * (1 + 1e-12)
    assert liq.bad_debt == 0.0
    assert liq.liquidator_profit >= -1e-9


def test_liquidation_can_lower_health_when_insolvent():
    # the reason for the property's condition: value below debt * (1 + bonus)
    liq = liquidation_call(1.0, 980.0, 1000.0, 0.83, 0.05, version="3.0")
    assert liq.health_after < liq.health_before


def test_module_exports():
    for name in L.__all__:
        assert hasattr(L, name)


# ---------------------------------------------------------------- dashboards

def test_rate_curve_view_and_dashboard():
    from cryptocourse.dashboards.lending import CUSTOM, RateCurveDashboard, rate_curve_view

    v = rate_curve_view(CUSTOM, 1.0, 0.8, 0.04, 0.75, 0.10)
    assert v.borrow_rate == pytest.approx(0.79) and v.supply_rate == pytest.approx(0.711)
    assert v.deposit_income_usd == pytest.approx(7110.0)
    snap = rate_curve_view("Aave v3 Ethereum WETH (2023-10-31 snapshot)", 0.8)
    assert snap.kink == 0.8 and snap.borrow_rate == pytest.approx(0.028)
    comp = rate_curve_view("Compound v2 jump rate (test parameters)", 0.91)
    assert comp.borrow_rate == pytest.approx(0.29) and comp.kink == 0.9
    with pytest.raises(ValueError, match="market"):
        rate_curve_view("Aave v9")
    d = RateCurveDashboard()
    png = d.image.value
    d.set(utilization=0.95)
    assert d.result.borrow_rate > 0.1 and d.image.value != png
    d.set(market=CUSTOM, slope2=2.0)
    assert d.result.borrow_curve[-1] == pytest.approx(2.04)


def test_position_view_and_dashboard():
    from cryptocourse.dashboards.lending import PositionDashboard, position_view

    safe = position_view(10.0, 1000.0, 2500.0, 0.8, 0.0, 180, 1)
    assert safe.liquidation_days.size == 0 and safe.start_ltv == pytest.approx(0.04)
    crash = position_view(10.0, 20_000.0, 2500.0, 0.8, -1.0, 180, 3)
    assert crash.liquidation_days.size > 0
    assert np.all(crash.health_at_liquidation < 1.0)
    assert crash.collateral[-1] < 10.0 and crash.collateral_lost_eth > 0
    with pytest.raises(ValueError, match="debt_usd must be <="):
        position_view(10.0, 30_000.0, 2500.0)
    d = PositionDashboard()
    png = d.image.value
    d.set(debt_usd=19_000.0, seed=3)
    assert d.result.liquidation_days.size > 0 and d.image.value != png
    assert "liquidated on day" in d.summary.value
    d.set(debt_usd=40_000.0)  # above the LTV: refused, view kept
    assert "LTV" in d.error.value and d.result.debt[0] == 19_000.0


def test_position_dashboard_compares_the_two_rules():
    from cryptocourse.dashboards.lending import PositionDashboard, position_view

    new = position_view(1.0, 1800.0, 2500.0, 0.8, 0.0, 180, 1)
    old = position_view(1.0, 1800.0, 2500.0, 0.8, 0.0, 180, 1, version="3.0")
    assert new.liquidation_days.size == 1 and old.liquidation_days.size > 1
    # the line drawn is the health liquidators saw: it is below 1 on every liquidation day
    assert np.all(new.health_before[new.liquidation_days] < 1.0)
    assert np.all(old.health_before[old.liquidation_days] < 1.0)
    d = PositionDashboard(collateral_eth=1.0, debt_usd=1800.0, seed=1)
    png = d.image.value
    d.set(version="3.0")
    assert d.result.version == "3.0" and d.result.liquidation_days.size == old.liquidation_days.size
    assert d.image.value != png
    with pytest.raises(ValueError, match="version"):
        position_view(version="2")


@given(st.floats(0.01, 50), st.floats(10, 5_000), st.floats(0.5, 0.95), st.floats(0.0, 0.15),
       st.floats(0.3, 1.4), st.sampled_from(["3.0", "3.3"]))
def test_liquidation_books_balance_and_v3_3_leaves_no_dust(q, price, lt, bonus, ratio, version):
    """Any liquidatable position, solvent or not: what is seized, repaid, left and written off adds up."""
    coll = q * price
    debt = coll * lt / ratio if ratio < 1 else coll * lt * 1.01   # HF = ratio (< 1) or just below 1
    assume(health_factor(coll, lt, debt) < 1.0)
    liq = liquidation_call(q, debt, price, lt, bonus, version=version)
    assert liq.collateral_seized + liq.collateral_left == pytest.approx(q)
    assert liq.debt_repaid + liq.debt_left + liq.bad_debt == pytest.approx(debt)
    assert liq.debt_repaid <= close_factor(liq.health_before, coll, debt, version) * debt * (1 + 1e-9)
    if version == "3.0":
        assert liq.bad_debt == 0.0
    else:  # everything repaid, or all collateral taken, or at least 1,000 USD of both left
        assert (liq.debt_left == 0.0 or liq.collateral_left <= 1e-12 * q
                or min(liq.debt_left, liq.collateral_left * price) >= L.MIN_LEFTOVER_BASE * (1 - 1e-9))
        if liq.bad_debt > 0:
            assert liq.collateral_left <= 1e-12 * q and liq.debt_left == 0.0
